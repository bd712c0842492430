#!/usr/bin/env bash
# Lighthouse (npm lighthouse@12.2.3, pinned, installed under tools/lighthouse/, gitignored)
# against the release build on loopback, with Debian's Chromium: 总览, 项目 (filtered), a
# project page, 进度计划 and 预算, mobile and desktop, each KEYPROJ_LH_RUNS times (3). Prints,
# for the median run, performance, accessibility, best practices, SEO (0-100), CLS, LCP and
# total blocking time per page, with the spread of performance. Figures only; nothing
# passes or fails here.
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
runs="${KEYPROJ_LH_RUNS:-3}"
echo "each page $runs times; the median run by performance (Lighthouse's own advice for variance),"
echo "with the lowest and highest performance of the runs"
printf '%-8s %-34s %5s %9s %5s %5s %5s %7s %7s %7s\n' "form" "page" "perf" "(min-max)" "a11y" "b.p." "SEO" "CLS" "LCP s" "TBT ms"
for form in mobile desktop; do
    preset=()
    [ "$form" = desktop ] && preset=(--preset=desktop)
    for entry in "${pages[@]}"; do
        name="${entry%%:*}"
        path="${entry#*:}"
        reports=()
        for run in $(seq 1 "$runs"); do
            out="$work/report-$run.json"
            CHROME_PATH="${CHROMIUM:-/usr/bin/chromium}" "$lighthouse" "$base$path" "${preset[@]}" \
                --quiet --output=json --output-path="$out" \
                --only-categories=performance,accessibility,best-practices,seo \
                --chrome-flags="--headless=new --no-sandbox --disable-gpu" >/dev/null 2>&1 || {
                echo "lighthouse failed on $path ($form)" >&2
                continue
            }
            reports+=("$out")
        done
        [ "${#reports[@]}" -gt 0 ] || continue
        python3 - "$form" "$name" "${reports[@]}" <<'EOF'
import json, sys
form, name, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
runs = sorted((json.load(open(p)) for p in paths),
              key=lambda r: r["categories"]["performance"]["score"] or 0)
r = runs[len(runs) // 2]
c = r["categories"]
score = lambda run, k: "-" if run["categories"][k]["score"] is None else round(run["categories"][k]["score"] * 100)
spread = f'{score(runs[0], "performance")}-{score(runs[-1], "performance")}'
cls = r["audits"]["cumulative-layout-shift"]["numericValue"]
lcp = r["audits"]["largest-contentful-paint"]["numericValue"] / 1000
tbt = r["audits"]["total-blocking-time"]["numericValue"]
print(f'{form:<8} {name:<34} {score(r, "performance"):>5} {spread:>9} {score(r, "accessibility"):>5} '
      f'{score(r, "best-practices"):>5} {score(r, "seo"):>5} {cls:>7.3f} {lcp:>7.2f} {tbt:>7.0f}')
EOF
    done
done
