#!/usr/bin/env bash
# Runs each fuzz target for a bounded time (default 60 s) on top of the
# committed seeds in fuzz/seeds/. Works on the stable toolchain
# (cargo-fuzz without a sanitizer). A crash fails the script and leaves the
# input in fuzz/artifacts/<target>/: add it as a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install cargo-fuzz --locked --quiet
fi

for target in content_file dates markdown; do
    mkdir -p "fuzz/corpus/$target"
    echo "== fuzzing $target for ${seconds}s"
    cargo fuzz run --sanitizer none "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
        -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 2>&1 | tail -n 4
    status=${PIPESTATUS[0]}
    if [ "$status" -ne 0 ]; then
        echo "error: fuzz target $target failed; the input is in fuzz/artifacts/$target/" >&2
        exit 1
    fi
done
