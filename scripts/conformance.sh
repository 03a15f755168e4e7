#!/usr/bin/env bash
# Conformance check of `pipeline emit` against the real Azure ML Python SDK.
#
#   scripts/conformance.sh [--emitter "CMD"] [--mode elsewhere|in-place|both] [--extra DIR]... [PATH]... [-v] [--keep]
#
# Sets up (or reuses) a venv with the pinned azure-ai-ml at $CONFORMANCE_VENV
# (default: target/conformance-venv), builds the CLI unless --emitter names another emitter, and
# runs scripts/conformance.py with all arguments: by default both round trips of every corpus
# file, emitted into another folder and re-emitted in place. See that file for what is checked.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The pinned SDK and its venv (SDK_VERSION, SDK_PY): scripts/sdk_venv.sh.
source "$REPO/scripts/sdk_venv.sh"
PY="$SDK_PY"

own_emitter=1
for arg in "$@"; do
    case "$arg" in
        --emitter | --emitter=*) own_emitter=0 ;;
    esac
done
extra=()
if [ "$own_emitter" = 1 ]; then
    (cd "$REPO" && cargo build -q -p pipeline-cli && cargo build -q --examples)
    # The examples' YAML, emitted where no source lives: its relative paths must be rewritten.
    examples_out="$(mktemp -d)"
    trap 'rm -rf "$examples_out"' EXIT
    # Every example, and everything each defines (`list` names them).
    for source in "$REPO"/examples/*.rs; do
        example="$(basename "$source" .rs)"
        bin="$REPO/target/debug/examples/$example"
        for name in $("$bin" list | awk '{print $1}'); do
            "$bin" emit "$name" -o "$examples_out/$example-$name.yml"
        done
    done
    extra=(--extra "$examples_out")
    # Our own validator must find nothing to say about them either.
    "$REPO/target/debug/pipeline" validate --deny-warnings "$examples_out"/*.yml
    # Strings that YAML 1.1 readers take for something else survive our emitter.
    "$PY" "$REPO/scripts/yaml11_fidelity.py" "$REPO/target/debug/pipeline"
fi

# Unbuffered, so that progress shows up in CI logs as it happens.
PYTHONUNBUFFERED=1 "$PY" "$REPO/scripts/conformance.py" "$@" "${extra[@]}"
