#!/usr/bin/env bash
# Builds lantai's release binary with profile-guided optimization (PGO):
# an instrumented build of lantai builds training sites, and the compiler
# then lays out and inlines the code for the paths those builds took (the
# template interpreter, the YAML and Markdown parsers, the search index).
# The result is the same program: only its machine code differs. About
# 8 % less user CPU than `cargo build --release` on a 10k-item build (see
# BENCHMARKS.md).
#
#   scripts/pgo-build.sh                # writes target/pgo/lantai
#
# Training sites: the demo exhibition in this repository and a corpus of
# 2,000 items from ../shared/bench/gen_corpus.py (LANTAI_CORPUS_GENERATOR
# overrides the path), drawn with a seed the benchmarks do not use, so the
# binary is not trained on the corpora it is measured on.
#
# Needs llvm-profdata of the LLVM version rustc is built on. When it is
# missing it is installed from Debian's packages (llvm-N), as test.sh
# installs Chromium; elsewhere, install it by hand.
set -euo pipefail
# A generator given by a relative path is relative to where this was run.
if [ -n "${LANTAI_CORPUS_GENERATOR:-}" ]; then
    LANTAI_CORPUS_GENERATOR=$(realpath -m "$LANTAI_CORPUS_GENERATOR")
fi
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif need sudo; then sudo -n "$@"; else
        echo "error: need root to install $*" >&2; return 2; fi
}

host=$(rustc -vV | sed -n 's/^host: //p')
llvm_major=$(rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')
if [ -z "$host" ] || [ -z "$llvm_major" ]; then
    echo "error: cannot tell rustc's host or LLVM version from 'rustc -vV'" >&2
    exit 2
fi

# A profile written by rustc's LLVM can only be read by llvm-profdata of
# the same major version.
find_profdata() {
    local candidate version
    # rustup's llvm-tools component first: it is rustc's own LLVM.
    for candidate in "$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata" \
        "llvm-profdata-$llvm_major" "/usr/lib/llvm-$llvm_major/bin/llvm-profdata" llvm-profdata; do
        need "$candidate" || continue
        version=$("$candidate" merge --version 2>/dev/null) || continue
        if [[ $version == *"LLVM version $llvm_major."* ]]; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}
if ! profdata=$(find_profdata); then
    if need apt-get; then
        echo "== installing llvm-$llvm_major (Debian package) for llvm-profdata"
        as_root apt-get update -qq || true
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "llvm-$llvm_major" >/dev/null || true
    fi
    profdata=$(find_profdata) || {
        echo "error: no llvm-profdata for LLVM $llvm_major (rustc's): install Debian's llvm-$llvm_major" \
            "or rustup's llvm-tools component" >&2
        exit 2
    }
fi

work=target/pgo
generator=${LANTAI_CORPUS_GENERATOR:-../shared/bench/gen_corpus.py}
corpus="$work/training-corpus"
if [ ! -f "$corpus/.complete" ]; then
    if [ ! -f "$generator" ]; then
        echo "error: no corpus generator at $generator; set LANTAI_CORPUS_GENERATOR to gen_corpus.py" >&2
        exit 2
    fi
    echo "== generating the training corpus (2,000 items)"
    python3 "$generator" --items 2000 --seed 7 --format lantai --out "$corpus" >/dev/null
    touch "$corpus/.complete"
fi
# The demo, copied without its image cache, so that every build trains the
# image code as a first build runs it, whatever this checkout has cached.
demo="$work/training-demo"
rm -rf "$demo"
mkdir -p "$demo"
cp -r site.yaml content static templates "$demo"/

# With --target, RUSTFLAGS reach lantai and its dependencies but not build
# scripts and procedural macros, which would otherwise write profiles of
# the compiler's own runs.
# CARGO_ENCODED_RUSTFLAGS: one flag, whatever spaces the path has (and in
# place of any RUSTFLAGS of the caller's).
profiles="$PWD/$work/profiles"
rm -rf "$profiles"
echo "== instrumented build"
CARGO_ENCODED_RUSTFLAGS="-Cprofile-generate=$profiles" \
    cargo build --release --locked --quiet --target "$host" --target-dir "$work/instrumented"
instrumented="$work/instrumented/$host/release/lantai"

echo "== training: building the demo exhibition and the training corpus"
for site in "$demo" "$corpus"; do
    "$instrumented" build --root "$site" --output "$work/training-output" >/dev/null
    if ! problems=$("$instrumented" check --root "$site" 2>&1); then
        echo "$problems" >&2
        echo "error: lantai check found problems in $site, which should build cleanly" >&2
        exit 1
    fi
done
rm -rf "$work/training-output" "$work"/.training-output.lantai-* "$demo"

"$profdata" merge -o "$work/lantai.profdata" "$profiles"
rm -rf "$profiles"

echo "== optimized build"
CARGO_ENCODED_RUSTFLAGS="-Cprofile-use=$PWD/$work/lantai.profdata" \
    cargo build --release --locked --quiet --target "$host" --target-dir "$work/optimized"
cp "$work/optimized/$host/release/lantai" "$work/lantai"
echo "built $work/lantai"
