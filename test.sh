#!/usr/bin/env bash
# Runs every test of lantai: unit tests beside the code, the integration
# tests in tests/ that build real sites, and the browser tests in
# tests/browser/ that drive headless Chromium. Installs what the tests need
# when it is missing (Chromium from Debian's packages, playwright-core and axe-core from
# the npm registry), so this one command works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")"

need() { command -v "$1" >/dev/null 2>&1; }

if ! need cargo; then
    echo "error: cargo is not installed; install Rust (rustup) first" >&2
    exit 2
fi

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif need sudo; then sudo "$@"; else
        echo "error: need root to install $*" >&2; exit 2; fi
}

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
    # With a CJK font, so that pages are laid out as visitors see them.
    echo "== installing Chromium and a CJK font (Debian packages) for the browser tests"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
if ! need node || ! need npm; then
    echo "== installing Node.js (Debian package) for the browser tests"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

echo "== cargo test"
cargo test --locked --all-targets "$@"

echo "== browser tests (headless Chromium)"
cargo build --locked --quiet
(
    cd tests/browser
    { [ -d node_modules/playwright-core ] && [ -d node_modules/axe-core ]; } || npm ci --no-audit --no-fund --silent
    npm test --silent
)
