#!/usr/bin/env bash
# The payments benchmark: createTransaction(PAYMENT) of merchant invoice VAs through
# the router, every service on PostgreSQL, at 1, 16 and 64 concurrent clients.
#
#   bench/payments.sh
#   BENCH_CLIENTS="64" BENCH_DURATION=60 bench/payments.sh
#
# What one payment is: the router plans and forwards the mutation to the transaction
# subgraph, whose saga checks the payer's wallet (wallet subgraph), the invoice
# (its own database), claims the VA, asks fraud (fraud subgraph, which logs the
# check), moves the money payer → merchant (wallet subgraph: ledger, balances) and
# records the result with its event (outbox). History is filled from those events
# meanwhile. The system runs as `cargo run --release` runs it (one process, the
# in-process event bus), but with a PostgreSQL database per service.
#
# The peer: the same payments through Hive Router (over the same subgraphs, our
# supergraph, `Authorization` propagated), in the same run, one router after the
# other at each number of clients. Hive Router does not verify the token at the
# edge (the subgraphs do); ours does.
#
# Settings (environment):
#   BENCH_CLIENTS      concurrent clients, one run each             ["1 16 64"]
#   BENCH_DURATION     measured seconds per run                      [20]
#   BENCH_WARMUP       warm-up seconds per run                       [5]
#   BENCH_PAYERS       customers paying (each with a wallet)         [500]
#   BENCH_MERCHANTS    merchants the invoices belong to              [1]
#   BENCH_INVOICES     invoices issued beforehand (each paid once)   [70000]
#   BENCH_PG           PostgreSQL server (databases bench_pay_* are made there)
#                      [postgres://postgres@127.0.0.1:5432]
#   BENCH_POOL         connections per service to its database       [4]
#   BENCH_PG_SOCKET    directory of the server's Unix socket, which the services then
#                      connect through; "" for TCP without TLS
#                      [/var/run/postgresql when BENCH_PG is the default and the socket is there]
#   BENCH_BUS_URL      nats://… to run events over NATS JetStream    [in-process]
#   BENCH_ROUTERS      "ours hive" or one of them                    [both]
#   HIVE_ROUTER        the hive_router binary  [hive_router on PATH, else ~/.cargo/bin/hive_router]
#
# Every answer is checked ("status":"SUCCESS"); a run with a wrong answer is
# reported as such. At the end the money is checked in the databases: each paid
# invoice is one SUCCESS payment, the merchants hold exactly what was paid, and the
# wallets hold exactly what was deposited.
#
# Needs: wrk, curl, psql, python3, and Hive Router (cargo +nightly install hive-router
# --features graphiql --locked; or BENCH_ROUTERS=ours). Writes the table to stdout and to
# bench/results/payments.md.

set -euo pipefail
cd "$(dirname "$0")/.."

CLIENTS=${BENCH_CLIENTS:-"1 16 64"}
DURATION=${BENCH_DURATION:-20}
WARMUP=${BENCH_WARMUP:-5}
export BENCH_PAYERS=${BENCH_PAYERS:-500}
export BENCH_MERCHANTS=${BENCH_MERCHANTS:-1}
export BENCH_INVOICES=${BENCH_INVOICES:-70000}
export BENCH_AMOUNT=10000
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
POOL=${BENCH_POOL:-4}
if [ -z "${BENCH_PG_SOCKET+set}" ] && [ -z "${BENCH_PG:-}" ] && [ -S /var/run/postgresql/.s.PGSQL.5432 ]; then
    BENCH_PG_SOCKET=/var/run/postgresql
fi
SOCKET=${BENCH_PG_SOCKET:-}
ROUTERS=${BENCH_ROUTERS:-"ours hive"}
BASE_PORT=18000
HIVE_PORT=18010

# shellcheck source=bench/lib.sh
. bench/lib.sh

need_wrk
for tool in curl psql python3; do
    command -v $tool >/dev/null || die "$tool is missing"
done
if [[ " $ROUTERS " == *" hive "* ]]; then
    hive_router "BENCH_ROUTERS=ours bench/payments.sh"
fi
ports_free $(seq $BASE_PORT $((BASE_PORT + 5))) $HIVE_PORT

say "building (release)"
cargo build --release --quiet -p dompet-sawit

say "fresh databases on $PG"
SERVICES="auth wallet transaction fraud history"
for service in $SERVICES; do
    psql "$PG/postgres" -qc "set client_min_messages = warning" \
        -c "drop database if exists bench_pay_$service with (force)" \
        -c "create database bench_pay_$service" >/dev/null
done
# The databases are on this machine: through its Unix socket, else TCP without TLS.
db() {
    if [ -n "$SOCKET" ]; then echo "$PG/bench_pay_$1?host=$SOCKET"; else echo "$PG/bench_pay_$1?sslmode=disable"; fi
}
sql() { psql "$(db "$1")" -Atc "$2"; }

# CPU seconds (user + system) used so far by the processes named $1.
cpu_of() {
    local total=0 pid
    for pid in $(pgrep -x "$1"); do
        total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
    done
    awk -v t="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz }'
}

say "starting the system"
(
    cd "$WORK"
    # The fraud rules and e-money limits are for people; the benchmark's
    # customers pay many times a minute.
    FRAUD_VELOCITY_MAX_COUNT=1000000000 FRAUD_DAILY_MAX_AMOUNT=1000000000000 \
    EMONEY_UNVERIFIED_MAX_BALANCE=1000000000000 EMONEY_UNVERIFIED_MONTHLY_INCOMING=1000000000000 \
    ACCESS_TOKEN_TTL_SECS=7200 RUST_LOG=warn \
    DATABASE_MAX_CONNECTIONS=$POOL EVENT_BUS_URL=${BENCH_BUS_URL:-} \
    ROUTER_PORT=$BASE_PORT AUTH_PORT=$((BASE_PORT + 1)) WALLET_PORT=$((BASE_PORT + 2)) \
    TRANSACTION_PORT=$((BASE_PORT + 3)) FRAUD_PORT=$((BASE_PORT + 4)) HISTORY_PORT=$((BASE_PORT + 5)) \
    AUTH_DATABASE_URL=$(db auth) WALLET_DATABASE_URL=$(db wallet) \
    TRANSACTION_DATABASE_URL=$(db transaction) FRAUD_DATABASE_URL=$(db fraud) \
    HISTORY_DATABASE_URL=$(db history) \
        exec "$OLDPWD/target/release/dompet-sawit" >system.out 2>system.log
) &
SYSTEM_PID=$!
PIDS+=("$SYSTEM_PID")
URL=http://127.0.0.1:$BASE_PORT/graphql
for _ in $(seq 1 600); do
    curl -sf -o /dev/null "http://127.0.0.1:$BASE_PORT/health" && break
    kill -0 "$SYSTEM_PID" 2>/dev/null || { cat "$WORK/system.log" >&2; die "the system did not start"; }
    sleep 0.1
done

if [[ " $ROUTERS " == *" hive "* ]]; then
    say "starting Hive Router on :$HIVE_PORT"
    cat >"$WORK/hive.yaml" <<YAML
supergraph:
  source: file
  path: $PWD/schema/supergraph.graphql
http:
  host: 127.0.0.1
  port: $HIVE_PORT
log:
  level: warn
headers:
  all:
    request:
      - propagate:
          named: Authorization
override_subgraph_urls:
  subgraphs:
    auth: { url: "http://127.0.0.1:$((BASE_PORT + 1))/graphql" }
    wallet: { url: "http://127.0.0.1:$((BASE_PORT + 2))/graphql" }
    transaction: { url: "http://127.0.0.1:$((BASE_PORT + 3))/graphql" }
    fraud: { url: "http://127.0.0.1:$((BASE_PORT + 4))/graphql" }
    history: { url: "http://127.0.0.1:$((BASE_PORT + 5))/graphql" }
YAML
    ROUTER_CONFIG_FILE_PATH="$WORK/hive.yaml" "$HIVE_ROUTER" >"$WORK/hive.log" 2>&1 &
    HIVE_PID=$!
    PIDS+=("$HIVE_PID")
    for _ in $(seq 1 300); do
        curl -sf -o /dev/null "http://127.0.0.1:$HIVE_PORT/health" && break
        kill -0 "$HIVE_PID" 2>/dev/null || { cat "$WORK/hive.log" >&2; die "Hive Router did not start"; }
        sleep 0.1
    done
fi

say "setting up $BENCH_PAYERS payers, $BENCH_MERCHANTS merchant(s), $BENCH_INVOICES invoices"
BENCH_ROUTER_URL=$URL python3 bench/payments/setup.py "$WORK/invoices.tsv" "$WORK/settlements.txt"

OFFSET=0
# Runs wrk with $1 clients for $2 seconds against $3; sets RESULT to its RESULT line
# and moves OFFSET past the invoices it used.
pay() {
    local clients=$1 seconds=$2 url=$3 threads=2
    [ "$clients" -lt 2 ] && threads=1
    BENCH_INVOICES_FILE=$WORK/invoices.tsv BENCH_OFFSET=$OFFSET BENCH_THREADS=$threads \
        BENCH_NEXT_OFFSET_FILE=$WORK/offset \
        wrk -t"$threads" -c"$clients" -d"${seconds}s" --timeout 10s -s bench/wrk/pay.lua "$url" \
        >"$WORK/wrk.out"
    RESULT=$(grep '^RESULT' "$WORK/wrk.out")
    OFFSET=$(cat "$WORK/offset")
}
field() { sed -E "s/.* $1=([0-9]+).*/\1/" <<<" $2"; }

ROWS=()
order="$ROUTERS"
for clients in $CLIENTS; do
    # Both routers back to back at each load; the order alternates.
    for which in $order; do
        url=$URL router_pid=""
        if [ "$which" = hive ]; then
            url=http://127.0.0.1:$HIVE_PORT/graphql
            router_pid=$HIVE_PID
        fi
        say "$which, $clients client(s): ${WARMUP} s warm-up"
        pay "$clients" "$WARMUP" "$url"
        [ "$(field wrong "$RESULT")" = 0 ] || say "warm-up: $(field wrong "$RESULT") wrong answers"
        say "$which, $clients client(s): ${DURATION} s measured"
        own0=$(cpu_of dompet-sawit)
        pg0=$(cpu_of postgres)
        hive0=0
        [ -n "$router_pid" ] && hive0=$(cpu_of hive_router)
        pay "$clients" "$DURATION" "$url"
        own1=$(cpu_of dompet-sawit)
        pg1=$(cpu_of postgres)
        hive1=0
        [ -n "$router_pid" ] && hive1=$(cpu_of hive_router)
        result=$RESULT
        n=$(field requests "$result")
        bad=$(($(field wrong "$result") + $(field socket_errors "$result") + $(field exhausted "$result")))
        ROWS+=("$(awk -v w="$which" -v c="$clients" -v n="$n" -v d="$(field duration_us "$result")" \
            -v p50="$(field p50_us "$result")" -v p99="$(field p99_us "$result")" \
            -v o0="$own0" -v o1="$own1" -v g0="$pg0" -v g1="$pg1" -v h0="$hive0" -v h1="$hive1" -v bad="$bad" 'BEGIN {
            hive = (w == "hive") ? sprintf("%.2f", (h1 - h0) / n * 1000) : "—"
            printf "| %s | %s | %.0f | %.1f | %.1f | %.2f | %s | %.2f | %s |",
                w, c, n / (d / 1e6), p50 / 1000, p99 / 1000, (o1 - o0) / n * 1000, hive, (g1 - g0) / n * 1000, bad }')")
    done
    order=$(tr ' ' '\n' <<<"$order" | tac | tr '\n' ' ')
done

say "checking the money"
# Let the last payments' callbacks and events settle.
sleep 1
paid_invoices=$(sql transaction "select count(*) from invoices where status = 'PAID'")
payments=$(sql transaction "select count(*) from transactions where type = 'PAYMENT' and status = 'SUCCESS'")
not_success=$(sql transaction "select count(*) from transactions where status <> 'SUCCESS'")
deposited=$(sql transaction "select coalesce(sum(amount), 0) from transactions where type = 'DEPOSIT' and status = 'SUCCESS'")
held=$(sql wallet "select coalesce(sum(balance), 0) from wallets")
merchants_hold=$(sql wallet "select coalesce(sum(balance), 0) from wallets where kind = 'MERCHANT'")
checks=$(sql fraud "select count(*) from fraud_logs")
money="ok"
[ "$paid_invoices" = "$payments" ] || money="paid invoices $paid_invoices ≠ payments $payments"
[ "$merchants_hold" = $((payments * BENCH_AMOUNT)) ] || money="merchants hold $merchants_hold ≠ $payments × $BENCH_AMOUNT"
[ "$held" = "$deposited" ] || money="wallets hold $held ≠ deposited $deposited"
[ "$not_success" = 0 ] || money="$not_success transactions did not succeed"

mkdir -p bench/results
{
    echo "Payments benchmark, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo
    echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr); PostgreSQL $(psql "$PG/postgres" -Atc 'show server_version') (${SOCKET:+Unix socket }${SOCKET:-TCP}), events ${BENCH_BUS_URL:-in-process}"
    echo "Load: wrk closed loop, each client one connection; ${WARMUP} s warm-up, ${DURATION} s measured; $BENCH_PAYERS payers, $BENCH_MERCHANTS merchant(s), Rp $BENCH_AMOUNT per invoice; everything shares the machine."
    echo
    [[ " $ROUTERS " == *" hive "* ]] && echo "Hive Router: $HIVE_ROUTER"
    echo
    echo "CPU ms per payment: \"system\" is our one process (our router and every subgraph, also while Hive Router routes), \"Hive\" the Hive Router process."
    echo
    echo "| router | clients | payments/s | p50 ms | p99 ms | CPU system | CPU Hive | CPU PostgreSQL | failed |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "Money after the runs: $money ($payments payments, $checks fraud checks logged)."
} | tee bench/results/payments.md
[ "$money" = ok ] || exit 1
