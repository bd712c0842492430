#!/usr/bin/env bash
# Command 1: build everything and serve keyproj on SQLite with the 87 projects loaded,
# at http://127.0.0.1:8080 (or KEYPROJ_BIND). Installs missing build tools first.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-tools.sh
export PATH="$HOME/.cargo/bin:$PATH"

echo "==> building the web app (trunk, release: public and signed-in bundles)"
(cd frontend && trunk build --offline --release)

echo "==> building and starting the server"
exec cargo run --release --locked -p keyproj-backend --bin keyproj -- --static-dir frontend/dist "$@"
