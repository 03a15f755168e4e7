#!/usr/bin/env bash
# Every public item of our crates has a rustdoc example: rustdoc's JSON output (nightly only) lists
# the items and their docs; doc_examples.py names those without an example. `cargo test` compiles
# and runs the examples themselves.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "skipped: rustdoc example check needs a nightly toolchain (rustup toolchain install nightly)"
    exit 0
fi
crates=(pipeline-schema pipeline-core pipeline-cli pipeline-macros pipeline)
target="${CARGO_TARGET_DIR:-target}/doc-json"
for crate in "${crates[@]}"; do
    CARGO_TARGET_DIR="$target" cargo +nightly rustdoc -q -p "$crate" --lib -- \
        -Z unstable-options --output-format json
done
python3 scripts/doc_examples.py "$target"/doc/{pipeline_schema,pipeline_core,pipeline_cli,pipeline_macros,pipeline}.json
