#!/usr/bin/env bash
# Lighthouse (npm lighthouse@12.2.3, pinned, installed under tools/lighthouse/, gitignored)
# against the release build on loopback, with Debian's Chromium: 总览, 项目 (filtered), a
# project page, 进度计划 and 预算, mobile and desktop. Prints performance, accessibility,
# best practices, SEO (0-100) and CLS per page. Figures only; nothing passes or fails here.
#   bash scripts/bench-lighthouse.sh
#   KEYPROJ_BIN=… KEYPROJ_STATIC_DIR=… bash scripts/bench-lighthouse.sh   # a build already made
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/ensure-test-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"

lh_version="12.2.3"
lh_dir="$root/tools/lighthouse"
if ! grep -qs "\"version\": \"$lh_version\"" "$lh_dir/node_modules/lighthouse/package.json"; then
    echo "==> installing lighthouse $lh_version (npm) into tools/lighthouse"
    npm install --no-save --no-audit --no-fund --prefix "$lh_dir" "lighthouse@$lh_version" >/dev/null
fi
lighthouse="$lh_dir/node_modules/.bin/lighthouse"

target="${CARGO_TARGET_DIR:-$root/target}"
bin="${KEYPROJ_BIN:-}"
static="${KEYPROJ_STATIC_DIR:-$root/frontend/dist}"
if [ -z "$bin" ]; then
    bash scripts/ensure-tools.sh
    (cd frontend && trunk build --offline --release)
    cargo build --locked --release -p keyproj-backend --bin keyproj
    bin="$target/release/keyproj"
fi

work="$(mktemp -d /tmp/keyproj-lighthouse.XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
RUST_LOG=warn "$bin" --database-url "$work/keyproj.db" --bind "127.0.0.1:$port" \
    --static-dir "$static" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 600); do
    curl -fs "$base/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done

pages=(
    "总览:/"
    "项目 (韶山市, by 总投资):/projects?district=shaoshan&sort=-total_investment"
    "a project (B09):/projects/B09"
    "进度计划:/schedule"
    "预算:/budget"
)
printf '%-8s %-34s %5s %5s %5s %5s %7s\n' "form" "page" "perf" "a11y" "b.p." "SEO" "CLS"
for form in mobile desktop; do
    preset=()
    [ "$form" = desktop ] && preset=(--preset=desktop)
    for entry in "${pages[@]}"; do
        name="${entry%%:*}"
        path="${entry#*:}"
        out="$work/report.json"
        CHROME_PATH="${CHROMIUM:-/usr/bin/chromium}" "$lighthouse" "$base$path" "${preset[@]}" \
            --quiet --output=json --output-path="$out" \
            --only-categories=performance,accessibility,best-practices,seo \
            --chrome-flags="--headless=new --no-sandbox --disable-gpu" >/dev/null 2>&1 || {
            echo "lighthouse failed on $path ($form)" >&2
            continue
        }
        python3 - "$out" "$form" "$name" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["categories"]
score = lambda k: "-" if c[k]["score"] is None else f'{round(c[k]["score"] * 100)}'
cls = r["audits"]["cumulative-layout-shift"]["numericValue"]
print(f'{sys.argv[2]:<8} {sys.argv[3]:<34} {score("performance"):>5} {score("accessibility"):>5} '
      f'{score("best-practices"):>5} {score("seo"):>5} {cls:>7.3f}')
EOF
    done
done
