#!/usr/bin/env bash
# The one place that names the azure-ai-ml version our rules are measured against.
#
#   source scripts/sdk_venv.sh    # sets SDK_VERSION, SDK_VENV and SDK_PY, installing if needed
#
# Every script that asks the real SDK (conformance, the differential tester, the schema
# generator) sources this file, so that moving to a newer SDK is one setting:
#   AZURE_AI_ML_VERSION=1.36.0 bash scripts/differential.sh ...
# Each version gets its own venv under target/, so a run against a newer SDK never disturbs the
# pinned one.
SDK_VERSION="${AZURE_AI_ML_VERSION:-1.35.2}"
_sdk_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "$SDK_VERSION" = "1.35.2" ]; then
    SDK_VENV="${CONFORMANCE_VENV:-$_sdk_repo/target/conformance-venv}"
else
    SDK_VENV="${CONFORMANCE_VENV:-$_sdk_repo/target/sdk-venv-$SDK_VERSION}"
fi
SDK_PY="$SDK_VENV/bin/python"
# Reuse the venv only if it really holds that SDK: another version would judge differently.
if ! "$SDK_PY" -c "import importlib.metadata as m, sys; sys.exit(m.version('azure-ai-ml') != '$SDK_VERSION')" 2>/dev/null; then
    echo "sdk: installing azure-ai-ml==$SDK_VERSION into $SDK_VENV" >&2
    python3 -m venv "$SDK_VENV"
    "$SDK_PY" -m pip install -q --disable-pip-version-check "azure-ai-ml==$SDK_VERSION"
fi
export SDK_VERSION SDK_VENV SDK_PY
unset _sdk_repo
