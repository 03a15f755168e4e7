#!/usr/bin/env bash
# Regenerates pipeline-schema's tables (pipeline-schema/src/generated/{version,enums,keys}.rs) from
# the azure-ai-ml SDK that scripts/sdk_venv.sh names.
#
#   bash scripts/gen_schema.sh            # writes the tables
#   bash scripts/gen_schema.sh --check    # exits 1, with a diff, when they differ from the SDK's
#   AZURE_AI_ML_VERSION=1.36.0 bash scripts/gen_schema.sh    # against another SDK version
set -euo pipefail
cd "$(dirname "$0")/.."

check=false
case "${1:-}" in
    --check) check=true ;;
    "") ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

source scripts/sdk_venv.sh
target=pipeline-schema/src/generated
files=(version.rs enums.rs keys.rs)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$SDK_PY" scripts/gen_schema.py "$work"
# rustfmt makes the bytes a function of the SDK alone (the .py writes long lines).
rustfmt --edition 2024 "${files[@]/#/$work/}"

if $check; then
    status=0
    for f in "${files[@]}"; do
        if ! diff -u "$target/$f" "$work/$f"; then
            status=1
        fi
    done
    if [ "$status" -ne 0 ]; then
        echo "gen_schema: $target differs from azure-ai-ml $SDK_VERSION; run bash scripts/gen_schema.sh" >&2
        exit 1
    fi
    echo "gen_schema: $target matches azure-ai-ml $SDK_VERSION"
else
    for f in "${files[@]}"; do
        cp "$work/$f" "$target/$f"
    done
    echo "gen_schema: wrote $target from azure-ai-ml $SDK_VERSION"
fi
