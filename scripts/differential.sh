#!/usr/bin/env bash
# Differential test of `pipeline validate` against the real Azure ML SDK (azure-ai-ml).
#
#   scripts/differential.sh [--sample | --mutants N] [--seed N] [--jobs N] [--report FILE]
#                           [--allow FILE] [--keep DIR] [--pipeline BIN] [--operators a,b] [--results FILE]
#
# Sets up (or reuses) the venv with the pinned SDK (scripts/sdk_venv.sh), builds our CLI and the
# examples (whose emitted YAML is mutated too), runs the script's self-test, then
# scripts/differential.py with all arguments. See that file for what is compared.
# CI runs `scripts/differential.sh --sample` (630 mutants, fixed seed).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The pinned SDK and its venv (SDK_VERSION, SDK_PY).
source "$REPO/scripts/sdk_venv.sh"

own_binary=1
for arg in "$@"; do
    case "$arg" in
        --pipeline | --pipeline=*) own_binary=0 ;;
    esac
done
if [ "$own_binary" = 1 ]; then
    (cd "$REPO" && cargo build -q -p pipeline-cli)
fi
# The examples' binaries: the script runs `<example> list` and `<example> emit NAME -o FILE`.
(cd "$REPO" && cargo build -q --examples)

# Cheap checks of the tester itself (operators really mutate, class keys are stable), no SDK.
"$SDK_PY" "$REPO/scripts/differential.py" --self-test

# Unbuffered, so that progress shows up in CI logs as it happens.
PYTHONUNBUFFERED=1 "$SDK_PY" "$REPO/scripts/differential.py" "$@"
