# What the benchmark scripts share; sourced by bench/run.sh and bench/payments.sh.
#
#   WORK        a temporary folder, removed on exit
#   PIDS        processes to stop on exit (append to it)
#   say, die    progress to stderr; stop with a message
#   need_wrk    wrk, installed with apt-get when root and missing
#   hive_router sets HIVE_ROUTER (the hive_router binary) or dies saying how to get it
#   ports_free  dies when one of the given local ports is taken

WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

say() { echo "== $*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }

need_wrk() {
    command -v wrk >/dev/null && return
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing wrk"
        apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
    else
        die "wrk is missing: apt-get install wrk (or brew install wrk)"
    fi
}

# $1: how to run the script without Hive Router, for the message.
hive_router() {
    HIVE_ROUTER=${HIVE_ROUTER:-$(command -v hive_router || echo "$HOME/.cargo/bin/hive_router")}
    [ -x "$HIVE_ROUTER" ] || die "Hive Router not found (HIVE_ROUTER=$HIVE_ROUTER):
  cargo +nightly install hive-router --features graphiql --locked   (about 15–25 minutes on 2 cores)
  or run only ours: $1"
}

ports_free() {
    local port
    for port in "$@"; do
        if curl -s -o /dev/null "http://127.0.0.1:$port/"; then die "port $port is in use"; fi
    done
}
