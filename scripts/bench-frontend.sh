#!/usr/bin/env bash
# Prints the web app's size (release wasm and JS glue: raw, gzip -9, and the brotli copy the
# server sends to browsers) of each bundle: the public pages (what the dashboard downloads)
# and the signed-in pages (account/, downloaded on the first visit to one of them), and the
# dashboard's first-render time in headless Chromium on loopback. Figures only; nothing here
# passes or fails on them.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-tools.sh
bash scripts/ensure-test-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"

(cd frontend && trunk build --offline --release)
size() {
    printf '  %-4s %8d bytes raw  %8d bytes gzip -9  %8d bytes as sent (brotli copy)\n' \
        "$1" "$(stat -c%s "$2")" "$(gzip -9 -c "$2" | wc -c)" "$(stat -c%s "$2.br")"
}
echo "bundles (release, profile wasm-release, no wasm-opt):"
for bundle in "public pages (dashboard):frontend/dist" "signed-in pages:frontend/dist/account"; do
    dir="${bundle#*:}"
    echo " ${bundle%%:*}, $dir"
    size wasm "$(ls "$dir"/*.wasm)"
    size js "$(ls "$dir"/*.js)"
done

cargo bench --locked -p keyproj-tests --bench first_render
