#!/usr/bin/env bash
# Reads during a login burst: the release binary on SQLite, then on a throwaway PostgreSQL
# server. Prints figures only (see tests/benches/login_burst.rs).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-tools.sh
bash scripts/ensure-test-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"

cargo build --locked --release -p keyproj-backend --bin keyproj
cargo bench --locked -p keyproj-tests --bench login_burst
bash scripts/with-postgres.sh cargo bench --locked -p keyproj-tests --bench login_burst
