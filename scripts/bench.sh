#!/usr/bin/env bash
# Load + validate + emit of generated pipelines, ours beside the Azure ML Python SDK's (DESIGN §9).
#
#   scripts/bench.sh [--sdk-sizes "100 1000 3000"] [--no-sdk] [--no-phases]
#
# 1. builds benches/load_validate_emit.rs in release and checks that it generates the very YAML
#    scripts/bench_gen.py writes (chain and fan-out pipelines, about 700 bytes a node);
# 2. runs our side: each benchmark (chain and fan-out of 100, 1,000, 3,000, 10,000 and 100,000
#    nodes) in a process of its own, so that one that fails is reported without losing the
#    others; then the 100,000-node pipelines phase by phase (parse, load, validate, emit);
# 3. runs the SDK's side with scripts/bench_sdk.py in the venv of scripts/conformance.sh
#    (azure-ai-ml 1.35.2): DSL build + dump, and load_job + _validate(), each in a fresh process;
# 4. prints markdown tables: the times, our time per node, and SDK/ours ratios.
#
# Our times are divan's medians of one whole load + validate + emit in process (start-up is about a
# millisecond for us). The SDK's are whole processes as DESIGN §9 measured them, and in parentheses
# the same with the interpreter start and imports left out. Compare ratios; absolute times depend on
# the machine and on what else runs on it. The SDK's side dominates the run time (about 4 minutes
# of the 6 on 2 cores); --sdk-sizes "100 1000" cuts it to about 1.5. SDK sizes outside ours get no
# ratio.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SDK_VERSION="1.35.2"
VENV="${CONFORMANCE_VENV:-$REPO/target/conformance-venv}"
PY="$VENV/bin/python"
OUR_SIZES=(100 1000 3000 10000 100000)  # the benchmark's SIZES
SDK_SIZES=(100 1000 3000)
run_sdk=1
run_phases=1

while [ $# -gt 0 ]; do
    case "$1" in
        --sdk-sizes) read -r -a SDK_SIZES <<<"$2"; shift 2 ;;
        --sdk-sizes=*) read -r -a SDK_SIZES <<<"${1#*=}"; shift ;;
        --no-sdk) run_sdk=0; shift ;;
        --no-phases) run_phases=0; shift ;;
        -h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

started=$SECONDS
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
note() { printf 'bench [%3ds]: %s\n' "$((SECONDS - started))" "$*" >&2; }

# The venv, as scripts/conformance.sh makes it: reused only if it holds the pinned SDK.
if [ "$run_sdk" = 1 ] &&
    ! "$PY" -c "import importlib.metadata as m, sys; sys.exit(m.version('azure-ai-ml') != '$SDK_VERSION')" 2>/dev/null; then
    note "installing azure-ai-ml==$SDK_VERSION into $VENV"
    python3 -m venv "$VENV"
    "$PY" -m pip install -q --disable-pip-version-check "azure-ai-ml==$SDK_VERSION"
fi

# 1. Our benchmark, built in release; the same YAML on both sides.
note "building the benchmark"
bin="$(cd "$REPO" && cargo bench -q --bench load_validate_emit --no-run --message-format=json |
    python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "load_validate_emit" and m.get("executable"):
        print(m["executable"])')"
[ -x "$bin" ] || { echo "bench: no benchmark executable" >&2; exit 1; }

all_sizes=("${OUR_SIZES[@]}")
[ "$run_sdk" = 1 ] && all_sizes+=("${SDK_SIZES[@]}")
mapfile -t all_sizes < <(printf '%s\n' "${all_sizes[@]}" | sort -nu)
note "generating ${all_sizes[*]}-node pipelines (Python and Rust, compared byte for byte)"
python3 "$REPO/scripts/bench_gen.py" "$work/yaml" "${all_sizes[@]}"
"$bin" --write-yaml "$work/yaml-rs" "${all_sizes[@]}"
for file in "$work"/yaml/*.yml; do
    cmp -s "$file" "$work/yaml-rs/$(basename "$file")" ||
        { echo "bench: scripts/bench_gen.py and the benchmark differ on $(basename "$file")" >&2; exit 1; }
done
du -b "$work"/yaml/*.yml >"$work/sizes.txt"
rm -rf "$work/yaml-rs"

# 2. Ours: one process per benchmark, so that a failure (a stack overflow…) costs only its cell.
mkdir -p "$work/ours"
for shape in chain fanout; do
    for n in "${OUR_SIZES[@]}"; do
        note "ours: $shape, $n nodes"
        out="$work/ours/$shape-$n.txt"
        "$bin" --bench --exact "load_validate_emit::$shape::$n" >"$out" 2>&1 || {
            status=$?
            tail -n 3 "$out" >&2
            reason="$(grep -m1 -E 'overflow|panicked' "$out" || true)"
            echo "FAILED: ${reason:-exit status $status}" >>"$out"
        }
    done
done
if [ "$run_phases" = 1 ]; then
    note "ours: the 100,000-node pipelines phase by phase"
    "$bin" --bench '^load_validate_emit::phases::' >"$work/ours/phases.txt" 2>&1 || {
        status=$?
        echo "FAILED: exit status $status" >>"$work/ours/phases.txt"
    }
fi

# 3. The SDK's side, in fresh processes.
if [ "$run_sdk" = 1 ]; then
    note "SDK: ${SDK_SIZES[*]} nodes (each run is a fresh python process)"
    PYTHONUNBUFFERED=1 "$PY" "$REPO/scripts/bench_sdk.py" --sizes "${SDK_SIZES[@]}" \
        --yaml-dir "$work/yaml" --json "$work/sdk.json" >&2 || true
fi

# 4. The tables.
note "done"
python3 - "$work" "$((SECONDS - started))" "$(nproc)" <<'EOF'
import json, re, sys
from pathlib import Path

work, elapsed, cores = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
UNITS = {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}
ROW = re.compile(r"^[\s│├╰─]*(\S+)\s+([\d.]+) (ns|µs|us|ms|s)\s+│\s+([\d.]+) (\S+)\s+│\s+([\d.]+) (\S+)\s+│")


def medians(path):
    """{label: median seconds} of a divan output; labels are the argument (size or shape)."""
    out, group = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        m = ROW.match(line)
        if m:
            out[(group, m.group(1))] = float(m.group(6)) * UNITS[m.group(7)]
        elif (g := re.match(r"^[\s│├╰─]*(\w+)\s+│", line)):
            group = g.group(1)
    return out


def failure(path):
    lines = [l for l in path.read_text(encoding="utf-8").splitlines() if l.startswith("FAILED: ")]
    return lines[-1][len("FAILED: "):] if lines else None


def fmt(s):
    if s is None:
        return "n/a"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.3g} ms"
    return f"{s * 1e6:.3g} µs"


def ratio(a, b):
    return f"{a / b:,.0f}×" if a and b else "n/a"


ours = {}
for f in (work / "ours").glob("*-*.txt"):
    shape, n = f.stem.split("-")
    got = medians(f)
    ours[(shape, int(n))] = next(iter(got.values())) if got else (failure(f) or "no result")
sdk = {}
startup = None
if (work / "sdk.json").exists():
    for r in json.loads((work / "sdk.json").read_text()):
        if r["work"] == "startup":
            startup = r.get("whole_process")
        else:
            sdk[(r["work"], r["shape"], r["nodes"])] = r
sizes = {}
for line in (work / "sizes.txt").read_text().splitlines():
    b, name = line.split()
    sizes[Path(name).stem] = int(b)


def sdk_cell(work_, shape, n, mine):
    r = sdk.get((work_, shape, n))
    if r is None:
        return "n/a", "n/a"
    if "error" in r:
        return f"failed: {r['error'][:60]}", "n/a"
    whole, inner = r["whole_process"], r["in_process"]
    if not isinstance(mine, float):
        return f"{fmt(whole)} ({fmt(inner)})", "n/a"
    return f"{fmt(whole)} ({fmt(inner)})", f"{ratio(whole, mine)} ({ratio(inner, mine)})"


print(f"\n### Load + validate + emit, ours and azure-ai-ml 1.35.2 ({cores} cores)\n")
print("| pipeline | nodes | YAML | ours: load + validate + emit | ours per node "
      "| SDK: DSL build + dump | SDK/ours | SDK: load_job + _validate | SDK/ours |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
shown = sorted({(s, n) for (s, n) in ours} | {(s, n) for (_, s, n) in sdk}, key=lambda k: (k[0], k[1]))
for shape, n in shown:
    mine = ours.get((shape, n))
    if isinstance(mine, float):
        mine_cell, per_node = fmt(mine), fmt(mine / n)
    else:
        mine_cell, per_node = (mine or "not run"), "n/a"
    dsl, dsl_ratio = sdk_cell("dsl", shape, n, mine)
    load, load_ratio = sdk_cell("load", shape, n, mine)
    size = sizes.get(f"{shape}-{n}")
    size_cell = f"{size / 1e6:.1f} MB" if size else "n/a"
    print(f"| {shape} | {n:,} | {size_cell} | {mine_cell} | {per_node} | {dsl} | {dsl_ratio} | {load} | {load_ratio} |")
print()
print("Ours: divan's median, in process (the YAML text in memory; our process starts in about a millisecond).")
print("SDK: one fresh process each, whole (in parentheses: after the interpreter start and imports"
      + (f", which alone take {fmt(startup)}" if startup else "") + ").")

phases_file = work / "ours" / "phases.txt"
if phases_file.exists():
    got = medians(phases_file)
    print("\n### Ours, 100,000 nodes phase by phase (medians)\n")
    print("| pipeline | parse (YAML → tree) | load (YAML → model) | validate (model) | emit (model → YAML) "
          "| load + validate + emit, measured whole |")
    print("|---|---:|---:|---:|---:|---:|")
    for shape in ("chain", "fanout"):
        whole = ours.get((shape, 100_000))
        cells = [fmt(got.get((p, shape))) for p in ("parse", "load", "validate", "emit")]
        print(f"| {shape} | " + " | ".join(cells) + f" | {fmt(whole) if isinstance(whole, float) else whole} |")
    if failure(phases_file):
        print(f"\nphases: {failure(phases_file)}")

print(f"\nscripts/bench.sh took {elapsed // 60} min {elapsed % 60} s.")
EOF
