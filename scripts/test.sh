#!/usr/bin/env bash
# Command 2: every check and test. Installs missing build tools first.
# Formatting, lints (native and wasm32), the wasm32 build of shared and frontend, the trunk
# bundle; then all unit, data and API tests against a real SQLite database, the browser tests
# (the built app in headless Chromium against the real server), the SIGKILL crash test, and
# the whole API suite a second time on a real PostgreSQL server that this script starts and
# removes.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-tools.sh
bash scripts/ensure-test-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (native, every crate)"
cargo clippy --locked --workspace --all-targets -- -D warnings

step "clippy (wasm32: shared and frontend)"
cargo clippy --locked --target wasm32-unknown-unknown -p keyproj-shared -p keyproj-frontend --all-targets -- -D warnings

step "wasm32 build of shared and frontend"
cargo build --locked --target wasm32-unknown-unknown -p keyproj-shared -p keyproj-frontend

step "trunk: both bundles of the web app (public pages, and signed-in pages in dist/account)"
(cd frontend && trunk build --offline)

# the API suite starts this binary twice to test two processes on one database
step "the keyproj binary"
cargo build --locked -p keyproj-backend --bin keyproj

step "tests on SQLite: unit, data, API, and the app in headless Chromium"
cargo test --locked --workspace

step "crash test: SIGKILL during a stream of report submissions, three rounds"
bash scripts/kill-test.sh 3 2

step "API tests again, on PostgreSQL (a throwaway server)"
bash scripts/with-postgres.sh cargo test --locked -p keyproj-tests --test api
