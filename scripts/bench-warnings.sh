#!/usr/bin/env bash
# The warnings benchmark (issue 12 §8): the scale data plus 500,000 annual plans, then one
# month's warnings (a filtered page), the colour counts by district and a plan update with
# the read that re-judges it, p50/p99 on the release binary, on SQLite and then on a
# throwaway PostgreSQL server. Prints figures only.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-tools.sh
bash scripts/ensure-test-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"

cargo build --locked --release -p keyproj-backend --bin keyproj
export KEYPROJ_BIN="${KEYPROJ_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/keyproj}"
cargo bench --locked -p keyproj-tests --bench warning_scale
bash scripts/with-postgres.sh cargo bench --locked -p keyproj-tests --bench warning_scale
