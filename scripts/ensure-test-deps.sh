#!/usr/bin/env bash
# What the tests need beyond the build: Debian's Chromium and chromedriver for the browser
# tests (CJK fonts make its screenshots readable), and the PostgreSQL server for the second
# run of the API tests. Installs only what is missing.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing ${missing[*]} (Debian packages)"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# axe-core, which the browser tests inject into every page to check its accessibility
# (tests/tests/browser/a11y.rs). Pinned, from npm, into tests/node_modules (gitignored), so
# the tests themselves need no network.
axe_version="4.11.0"
axe_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests"
if ! grep -qs "\"version\": \"$axe_version\"" "$axe_dir/node_modules/axe-core/package.json"; then
    command -v npm >/dev/null 2>&1 || {
        echo "==> installing npm (Debian package)"
        sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends npm
    }
    echo "==> installing axe-core $axe_version (npm) into tests/node_modules"
    npm install --no-save --no-audit --no-fund --prefix "$axe_dir" "axe-core@$axe_version"
fi
