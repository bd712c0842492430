#!/usr/bin/env bash
# Prints the web app's size (release wasm, raw and gzip -9) and the dashboard's first-render
# time in headless Chromium on loopback. Figures only; nothing here passes or fails on them.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-tools.sh
bash scripts/ensure-test-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"

(cd frontend && trunk build --offline --release)
wasm="$(ls frontend/dist/*.wasm)"
js="$(ls frontend/dist/*.js)"
echo "bundle (release, profile wasm-release, no wasm-opt):"
printf '  wasm %8d bytes raw  %8d bytes gzip -9\n' "$(stat -c%s "$wasm")" "$(gzip -9 -c "$wasm" | wc -c)"
printf '  js   %8d bytes raw  %8d bytes gzip -9\n' "$(stat -c%s "$js")" "$(gzip -9 -c "$js" | wc -c)"

cargo bench --locked -p keyproj-tests --bench first_render
