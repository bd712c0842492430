#!/usr/bin/env bash
# Conditional GET, measured: throughput of revalidations (If-None-Match with the current tag,
# answered 304 after reading the data version, one read shared by the requests arriving
# together) against hello-JSON (`GET /api/hello`, no
# database) and against the full answer, on the real 87 projects, on SQLite and then on a
# throwaway PostgreSQL server. `wrk -t2 -c32 -d8s` per figure. Prints figures only.
#   bash scripts/bench-revalidate.sh              # builds the release binary first
#   KEYPROJ_BIN=target/debug/keyproj bash scripts/bench-revalidate.sh   # another binary
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if ! command -v wrk >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wrk
fi
export PATH="$HOME/.cargo/bin:$PATH"

target="${CARGO_TARGET_DIR:-$root/target}"
bin="${KEYPROJ_BIN:-}"
if [ -z "$bin" ]; then
    cargo build --locked --release -p keyproj-backend --bin keyproj
    bin="$target/release/keyproj"
fi
duration="${KEYPROJ_BENCH_SECS:-8}"
# the list as the issue measures it, one project, and the dashboard's summary
urls=(
    "/api/projects?district=shaoshan&sort=-total_investment"
    "/api/projects/B09"
    "/api/summary?group_by=district"
)

# req/s of wrk against URL, with extra wrk arguments
rate() {
    wrk -t2 -c32 -d"${duration}s" "$@" | awk '/^Requests\/sec/ {printf "%.0f", $2}'
}

# Starts keyproj on database $1, runs every measurement, stops it.
measure() {
    local db="$1" engine="$2"
    local port
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    local base="http://127.0.0.1:$port"
    RUST_LOG=warn "$bin" --database-url "$db" --bind "127.0.0.1:$port" --static-dir /nonexistent >/dev/null 2>&1 &
    local pid=$!
    for _ in $(seq 1 600); do
        curl -fs "$base/healthz" >/dev/null 2>&1 && break
        sleep 0.1
    done
    local hello
    hello="$(rate "$base/api/hello")"
    echo
    echo "$engine ($(basename "$bin"), $(nproc) cores shared with wrk): hello-JSON $hello req/s"
    # the 200s are kept answers after the first (the response cache, on by default)
    printf '%-58s %12s %12s %10s\n' "URL" "200 req/s" "304 req/s" "304/hello"
    for u in "${urls[@]}"; do
        local tag status full reval
        tag="$(curl -fs -D - -o /dev/null "$base$u" | awk 'tolower($1)=="etag:" {sub(/\r$/,""); $1=""; sub(/^ /,""); print}')"
        status="$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $tag" "$base$u")"
        if [ "$status" != "304" ]; then
            echo "$u: If-None-Match $tag answered $status, not 304" >&2
            kill "$pid"
            exit 1
        fi
        full="$(rate "$base$u")"
        reval="$(rate -H "If-None-Match: $tag" "$base$u")"
        printf '%-58s %12s %12s %9s%%\n' "$u" "$full" "$reval" \
            "$(awk -v a="$reval" -v b="$hello" 'BEGIN {printf "%.1f", 100 * a / b}')"
    done
    kill "$pid"
    wait "$pid" 2>/dev/null || true
}

if [ -n "${KEYPROJ_TEST_PG_URL:-}" ]; then
    db="${KEYPROJ_TEST_PG_URL%/*}/keyproj_bench_revalidate"
    psql "$KEYPROJ_TEST_PG_URL" -qc "CREATE DATABASE keyproj_bench_revalidate" >/dev/null
    measure "$db" "PostgreSQL"
    exit 0
fi
work="$(mktemp -d /tmp/keyproj-bench-revalidate.XXXXXX)"
measure "$work/keyproj.db" "SQLite"
rm -rf "$work"
# again on PostgreSQL: the same script under a throwaway server
bash scripts/with-postgres.sh env KEYPROJ_BIN="$bin" bash "$0"
