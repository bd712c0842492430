#!/usr/bin/env bash
# Installs what building keyproj needs and is not already here, at the right version:
# libpq (Debian), the wasm32 target, trunk 0.21.14 and a wasm-bindgen CLI equal to the wasm-bindgen crate in
# Cargo.lock (trunk would otherwise try to download one, which fails offline).
# Safe to run again: anything present at the right version is skipped.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

TRUNK_VERSION="0.21.14"

say() { printf '==> %s\n' "$*"; }

if ! command -v cargo >/dev/null 2>&1; then
    echo "cargo is not on PATH: install Rust (rustup) first" >&2
    exit 1
fi

# diesel's PostgreSQL driver links libpq; the release build of the web app also writes
# brotli copies of its files (frontend/Trunk.toml)
if ! dpkg -s libpq-dev >/dev/null 2>&1 || ! command -v pkg-config >/dev/null 2>&1 \
    || ! command -v brotli >/dev/null 2>&1; then
    say "installing libpq-dev, pkg-config and brotli (Debian packages)"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends libpq-dev pkg-config brotli
fi

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (takes a few minutes, once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# The version trunk will look for: the wasm-bindgen crate that Cargo.lock resolved.
bindgen_version="$(awk '
    $0 == "name = \"wasm-bindgen\"" { found = 1; next }
    found && /^version = / { gsub(/"/, "", $3); print $3; exit }
' "$root/Cargo.lock")"
if [ -z "$bindgen_version" ]; then
    echo "no wasm-bindgen in Cargo.lock" >&2
    exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
    say "installing wasm-bindgen-cli $bindgen_version (takes about ten minutes, once)"
    # not --locked: its own lockfile pins a crate version the registry no longer has
    cargo install wasm-bindgen-cli --version "$bindgen_version" --force
fi
