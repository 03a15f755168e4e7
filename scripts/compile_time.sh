#!/usr/bin/env bash
# Compile time of pipelines written with the macros (issue: keep the macros cheap).
#
#   scripts/compile_time.sh [N]     (N components and an N-node pipeline; 100 by default)
#
# Generates a crate in target/compile-time/ that depends on this one by path, with N
# #[component] functions and one #[pipeline] chaining them, and measures:
#   clean:       `cargo build` of that crate after `cargo clean -p` of it (dependencies built);
#   incremental: after touching its source, `cargo build` again;
#   from scratch: `cargo build` with an empty target folder (every dependency too).
# Prints a markdown table. Build times depend on the machine: compare them with each other.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-100}"
CRATE="$REPO/target/compile-time/gen"
rm -rf "$CRATE"
mkdir -p "$CRATE/src"
cat >"$CRATE/Cargo.toml" <<TOML
[package]
name = "gen"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
pipeline = { path = "$REPO" }

[workspace]
TOML
{
    echo "use pipeline::prelude::*;"
    for i in $(seq 0 $((N - 1))); do
        cat <<RS

/// Step $i of a generated pipeline.
#[component(
    environment = "azureml:AzureML-sklearn-1.0@latest",
    code = "steps",
    command = "python step.py --data \${{inputs.data}} --lr \${{inputs.lr}} --out \${{outputs.out}}"
)]
fn step$i(data: Input<UriFolder>, #[input(default = 0.01, min = 0.0, max = 1.0)] lr: f64, out: Output<UriFolder>) {}
RS
    done
    echo
    echo "#[pipeline(default_compute = \"azureml:cpu-cluster\")]"
    echo "fn chain(raw: Input<UriFolder>) -> Output<UriFolder> {"
    echo "    let n0 = step0(raw);"
    for i in $(seq 1 $((N - 1))); do
        echo "    let n$i = step$i(n$((i - 1)).outputs.out).lr(0.1);"
    done
    echo "    n$((N - 1)).outputs.out"
    echo "}"
    echo
    echo "fn main() {"
    echo "    print!(\"{}\", chain::job().to_yaml());"
    echo "}"
} >"$CRATE/src/main.rs"

export CARGO_TARGET_DIR="$REPO/target/compile-time/target"
rm -rf "$CARGO_TARGET_DIR"
seconds() {
    local t0=$EPOCHREALTIME
    "$@" >/dev/null 2>&1
    python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$t0" "$EPOCHREALTIME"
}
cd "$CRATE"
scratch=$(seconds cargo build --quiet)
"$CARGO_TARGET_DIR/debug/gen" | grep -c "^  n[0-9]*:$" | grep -qx "$N" ||
    { echo "compile_time: the generated pipeline does not have $N nodes" >&2; exit 1; }
cargo clean --quiet -p gen
clean=$(seconds cargo build --quiet)
touch src/main.rs
incremental=$(seconds cargo build --quiet)
echo
echo "| build (debug, $(nproc) cores) | $N components + a $N-node pipeline |"
echo "|---|---:|"
printf '| from scratch (every dependency too) | %.1f s |\n' "$scratch"
printf '| clean (dependencies built) | %.1f s |\n' "$clean"
printf '| incremental (source touched) | %.1f s |\n' "$incremental"
