#!/usr/bin/env bash
# The scale benchmark: 100,000 projects and 1,000,000 reports, the HTTP API of the release
# binary measured on SQLite and then on a throwaway PostgreSQL server. Prints figures only.
# First step: the whole OC4IDS export (size, time, the server's peak RSS); with
# KEYPROJ_BENCH_ONLY=oc4ids that is the only step.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-tools.sh
bash scripts/ensure-test-deps.sh
if ! command -v wrk >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wrk
fi
export PATH="$HOME/.cargo/bin:$PATH"

cargo build --locked --release -p keyproj-backend --bin keyproj
cargo bench --locked -p keyproj-tests --bench scale
bash scripts/with-postgres.sh cargo bench --locked -p keyproj-tests --bench scale
