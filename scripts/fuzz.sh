#!/usr/bin/env bash
# Coverage-guided fuzzing of the reader and the loader with cargo-fuzz, on the stable toolchain
# (RUSTC_BOOTSTRAP=1 lets it take cargo-fuzz's nightly flags; a new machine has no nightly).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]      (default: 600 s; targets read, load)
#
# Seeds: the corpus's YAML ($PIPELINE_CORPUS or ../shared/corpus) and tests/validate, copied into
# target/fuzz/seeds (never into the project). Findings go to fuzz/artifacts/<target>/; the
# coverage corpus each run grows is kept in target/fuzz/corpus/<target>.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_PER_TARGET="${1:-600}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(read load)
CORPUS="${PIPELINE_CORPUS:-$REPO/../shared/corpus}"

command -v cargo-fuzz > /dev/null || cargo install cargo-fuzz --locked
SEEDS="$REPO/target/fuzz/seeds"
mkdir -p "$SEEDS"
if [ -d "$CORPUS" ]; then
    find "$CORPUS" "$REPO/tests/validate" \( -name '*.yml' -o -name '*.yaml' \) -size -64k \
        -exec cp -f {} "$SEEDS/" \; 2> /dev/null || true
fi
for target in "${TARGETS[@]}"; do
    grown="$REPO/target/fuzz/corpus/$target"
    mkdir -p "$grown" "$REPO/fuzz/artifacts/$target"
    (cd "$REPO/fuzz" && RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "$grown" "$SEEDS" -- \
        -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
        -artifact_prefix="$REPO/fuzz/artifacts/$target/")
done
