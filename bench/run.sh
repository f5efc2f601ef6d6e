#!/usr/bin/env bash
# The gateways benchmark: our router and Hive Router side by side, in the same run,
# on this machine, over the same subgraphs (bench/subgraphs), with the same query
# (bench/query.graphql, an ~88 KB answer) and load (wrk, closed loop).
#
#   bench/run.sh                      # both routers, dedupe on and off, 30 s each
#   BENCH_DURATION=60 bench/run.sh
#
# Settings (environment):
#   BENCH_DURATION     measured seconds per run                       [30]
#   BENCH_WARMUP       warm-up seconds per run (every answer checked) [5]
#   BENCH_CONNECTIONS  concurrent connections                         [50]
#   BENCH_THREADS      wrk threads                                    [2]
#   BENCH_MODES        "dedupe no-dedupe" or one of them              [both]
#   BENCH_ROUTERS      "ours hive" or one of them                     [both]
#   HIVE_ROUTER        the hive_router binary  [hive_router on PATH, else ~/.cargo/bin/hive_router]
#
# "dedupe": identical client requests in flight share one execution and identical
# subgraph requests share one fetch (ours: ROUTER_DEDUPE_REQUESTS and
# ROUTER_DEDUPE_SUBGRAPH_REQUESTS; Hive: traffic_shaping.router.dedupe.enabled and
# traffic_shaping.all.dedupe_enabled). "no-dedupe": both kinds off in both routers.
#
# Before each measured run, the router's answer must be byte-identical to
# bench/expected-response.json, and every answer of the warm-up must be 200 with
# that many bytes; a router that answers wrong gets no figures.
#
# Needs: wrk (apt-get install wrk; installed here when missing and run as root),
# curl, and Hive Router (cargo +nightly install hive-router --features graphiql --locked).
# Writes the table to stdout and to bench/results/latest.md.

set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION:-30}
WARMUP=${BENCH_WARMUP:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-50}
THREADS=${BENCH_THREADS:-2}
MODES=${BENCH_MODES:-"dedupe no-dedupe"}
ROUTERS=${BENCH_ROUTERS:-"ours hive"}
SUBGRAPHS_PORT=4200
OURS_PORT=4000
HIVE_PORT=4001

# shellcheck source=bench/lib.sh
. bench/lib.sh

# --- tools -------------------------------------------------------------------
need_wrk
command -v curl >/dev/null || die "curl is missing"
if [[ " $ROUTERS " == *" hive "* ]]; then
    hive_router "BENCH_ROUTERS=ours bench/run.sh"
fi
ports_free $SUBGRAPHS_PORT $OURS_PORT $HIVE_PORT

say "building (release)"
cargo build --release --quiet -p router -p bench-subgraphs

# --- helpers -----------------------------------------------------------------
# The request body: {"query": <bench/query.graphql>}.
BODY="$WORK/body.json"
{
    printf '{"query":"'
    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' bench/query.graphql | awk '{ printf "%s\\n", $0 }'
    printf '"}'
} >"$BODY"
EXPECTED=bench/expected-response.json
EXPECTED_BYTES=$(wc -c <"$EXPECTED" | tr -d ' ')

# Waits until $1 answers 200; prints the milliseconds it took since $2 (ns).
wait_healthy() {
    local url=$1 since=$2
    for _ in $(seq 1 1000); do
        if curl -sf -o /dev/null "$url"; then
            echo $((($(date +%s%N) - since) / 1000000))
            return 0
        fi
        sleep 0.01
    done
    return 1
}

# CPU seconds (user + system) a process has used so far.
cpu_seconds() {
    local ticks
    ticks=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
    awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz }'
}

peak_rss_mib() {
    awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"
}

# Runs wrk against $1 for $2 seconds; prints its RESULT line. $3=check to verify
# every answer.
load() {
    local url=$1 seconds=$2 check=${3:-}
    local expected=""
    [ "$check" = check ] && expected=$EXPECTED_BYTES
    BENCH_BODY=$BODY BENCH_EXPECTED_BYTES=$expected \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --timeout 10s \
        -s bench/wrk/post.lua "$url" | grep '^RESULT'
}

field() { sed -E "s/.* $1=([0-9]+).*/\1/" <<<" $2"; }

# --- the subgraphs ----------------------------------------------------------------
say "starting the subgraphs on :$SUBGRAPHS_PORT"
BENCH_SUBGRAPHS_PORT=$SUBGRAPHS_PORT target/release/bench-subgraphs >"$WORK/subgraphs.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 500); do
    curl -s -o /dev/null "http://127.0.0.1:$SUBGRAPHS_PORT/" && break
    sleep 0.01
done

# --- the routers --------------------------------------------------------------
# Starts router $1 in mode $2; sets ROUTER_PID, ROUTER_URL, STARTUP_MS.
start_router() {
    local which=$1 mode=$2 dedupe=true
    [ "$mode" = no-dedupe ] && dedupe=false
    local started
    started=$(date +%s%N)
    case $which in
    ours)
        ROUTER_SUPERGRAPH=bench/supergraph.graphql ROUTER_PORT=$OURS_PORT \
            ROUTER_VERIFY_TOKENS=false RUST_LOG=warn \
            ROUTER_DEDUPE_REQUESTS=$dedupe ROUTER_DEDUPE_SUBGRAPH_REQUESTS=$dedupe \
            ROUTER_SUBGRAPH_ACCOUNTS_URL=http://127.0.0.1:$SUBGRAPHS_PORT/accounts \
            ROUTER_SUBGRAPH_INVENTORY_URL=http://127.0.0.1:$SUBGRAPHS_PORT/inventory \
            ROUTER_SUBGRAPH_PRODUCTS_URL=http://127.0.0.1:$SUBGRAPHS_PORT/products \
            ROUTER_SUBGRAPH_REVIEWS_URL=http://127.0.0.1:$SUBGRAPHS_PORT/reviews \
            target/release/router >"$WORK/ours-$mode.log" 2>&1 &
        ROUTER_PID=$!
        ROUTER_URL=http://127.0.0.1:$OURS_PORT
        ;;
    hive)
        cat >"$WORK/hive-$mode.yaml" <<YAML
supergraph:
  source: file
  path: $PWD/bench/supergraph.graphql
http:
  host: 127.0.0.1
  port: $HIVE_PORT
log:
  level: warn
traffic_shaping:
  all:
    dedupe_enabled: $dedupe
  router:
    dedupe:
      enabled: $dedupe
override_subgraph_urls:
  subgraphs:
    accounts: { url: "http://127.0.0.1:$SUBGRAPHS_PORT/accounts" }
    inventory: { url: "http://127.0.0.1:$SUBGRAPHS_PORT/inventory" }
    products: { url: "http://127.0.0.1:$SUBGRAPHS_PORT/products" }
    reviews: { url: "http://127.0.0.1:$SUBGRAPHS_PORT/reviews" }
YAML
        ROUTER_CONFIG_FILE_PATH="$WORK/hive-$mode.yaml" "$HIVE_ROUTER" >"$WORK/hive-$mode.log" 2>&1 &
        ROUTER_PID=$!
        ROUTER_URL=http://127.0.0.1:$HIVE_PORT
        ;;
    esac
    PIDS+=("$ROUTER_PID")
    STARTUP_MS=$(wait_healthy "$ROUTER_URL/health" "$started") || {
        cat "$WORK/$which-$mode.log" >&2
        die "$which did not become healthy"
    }
}

stop_router() {
    kill "$ROUTER_PID" 2>/dev/null || true
    wait "$ROUTER_PID" 2>/dev/null || true
}

ROWS=()
run_one() {
    local which=$1 mode=$2
    say "$which, $mode"
    start_router "$which" "$mode"
    local url=$ROUTER_URL/graphql
    curl -s -H 'content-type: application/json' --data-binary "@$BODY" "$url" >"$WORK/answer.json"
    if ! cmp -s "$WORK/answer.json" "$EXPECTED"; then
        stop_router
        ROWS+=("| $which | $mode | wrong answer (differs from bench/expected-response.json) | | | | | | |")
        say "$which answered differently from the expected response; no figures"
        return
    fi
    local warm
    warm=$(load "$url" "$WARMUP" check)
    if [ "$(field wrong "$warm")" != 0 ] || [ "$(field checked "$warm")" = 0 ]; then
        stop_router
        ROWS+=("| $which | $mode | $(field wrong "$warm") wrong answers of $(field checked "$warm") under load | | | | | | |")
        say "$which answered wrong under load; no figures"
        return
    fi
    local cpu_before cpu_after result
    cpu_before=$(cpu_seconds "$ROUTER_PID")
    result=$(load "$url" "$DURATION")
    cpu_after=$(cpu_seconds "$ROUTER_PID")
    local rss requests duration p50 p99 failed
    rss=$(peak_rss_mib "$ROUTER_PID")
    stop_router
    requests=$(field requests "$result")
    duration=$(field duration_us "$result")
    p50=$(field p50_us "$result")
    p99=$(field p99_us "$result")
    failed=$(($(field socket_errors "$result") + $(field non2xx "$result")))
    ROWS+=("$(awk -v w="$which" -v m="$mode" -v n="$requests" -v d="$duration" -v p50="$p50" -v p99="$p99" \
        -v c0="$cpu_before" -v c1="$cpu_after" -v rss="$rss" -v s="$STARTUP_MS" -v f="$failed" 'BEGIN {
        printf "| %s | %s | %.0f | %.2f | %.2f | %.3f | %s | %s | %s |",
            w, m, n / (d / 1e6), p50 / 1000, p99 / 1000, (c1 - c0) / n * 1000, rss, s, f }')")
}

# Within a mode both routers run back to back; the order alternates between modes.
order="$ROUTERS"
for mode in $MODES; do
    for which in $order; do run_one "$which" "$mode"; done
    order=$(tr ' ' '\n' <<<"$order" | tac | tr '\n' ' ')
done

# --- report -------------------------------------------------------------------
mkdir -p bench/results
{
    echo "Gateways benchmark, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo
    echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
    echo "Load: wrk, $CONNECTIONS connections, $THREADS threads, ${WARMUP} s checked warm-up, ${DURATION} s measured; subgraphs, routers and wrk share the machine."
    [[ " $ROUTERS " == *" hive "* ]] && echo "Hive Router: $HIVE_ROUTER"
    echo
    echo "| router | mode | req/s | p50 ms | p99 ms | router CPU s / 1000 req | peak RSS MiB | startup ms | failed |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${ROWS[@]}"
} | tee bench/results/latest.md
