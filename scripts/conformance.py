#!/usr/bin/env python3
"""Conformance check of `pipeline emit` against the real Azure ML Python SDK (azure-ai-ml).

For every job, component and compute YAML of the azureml-examples corpus this script:

1. loads the file with the SDK (load_job / load_component / load_compute) and validates it
   client-side (``entity._validate()``),
2. re-emits it in place with our emitter (``<emitter> emit FILE -o FILE.tmp --force``),
3. loads it again and checks that the SDK still accepts it and that ``entity._to_dict()`` is unchanged.

Extra files or folders (``--extra DIR`` or positional) are only loaded and validated: every job,
component or compute YAML there must be accepted as-is.

Everything happens on a temporary copy of the corpus; the corpus itself is never written to. Run it
through ``scripts/conformance.sh``, which provides a venv with the pinned SDK.

The last line printed is ``conformance: N passed, M failed``; the exit code is 1 if M > 0.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

# The SDK reads this at import time; it unlocks the private-preview schema fields that some corpus
# files use, so that they are judged like the az ml CLI with private features would judge them.
os.environ["AZURE_ML_CLI_PRIVATE_FEATURES_ENABLED"] = "true"
# Telemetry must never try to start; loading is offline anyway.
os.environ.setdefault("AZUREML_SDKV2_TELEMETRY_OPTOUT", "1")

import yaml  # noqa: E402  (PyYAML ships with azure-ai-ml)

REPO = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------------------------
# Network isolation
# ---------------------------------------------------------------------------------------------


class NetworkBlocked(RuntimeError):
    pass


def block_network() -> None:
    """Make every outgoing connection fail at once.

    Loading must be offline: a file the SDK can only load by talking to a workspace or registry is
    out of scope, and a hidden network call would make the result depend on the machine.
    """

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise NetworkBlocked("network access is blocked during the conformance check")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse  # type: ignore[assignment]


# ---------------------------------------------------------------------------------------------
# Classification
# ---------------------------------------------------------------------------------------------

JOB_SCHEMAS = {"pipelinejob", "commandjob", "sweepjob", "sparkjob", "automljob"}
COMPONENT_SCHEMAS = {"commandcomponent", "parallelcomponent", "pipelinecomponent", "sparkcomponent"}
JOB_TYPES = {"pipeline", "command", "sweep", "spark", "automl"}
COMPUTE_TYPES = {"computeinstance", "amlcompute", "virtualmachine", "synapsespark", "kubernetes"}
KINDS = ("job", "component", "compute")


def read_yaml(path: Path) -> Any:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def classify(data: Any) -> str:
    """Return "job", "component", "compute" or "other" for a parsed YAML document."""
    if not isinstance(data, dict):
        return "other"
    schema = data.get("$schema")
    if isinstance(schema, str) and schema.strip():
        base = schema.strip().rstrip("/").rsplit("/", 1)[-1].lower()
        for suffix in (".schema.json", ".json"):
            if base.endswith(suffix):
                base = base[: -len(suffix)]
                break
        if base in JOB_SCHEMAS:
            return "job"
        if base in COMPONENT_SCHEMAS:
            return "component"
        if base.endswith("compute"):
            return "compute"
        return "other"
    kind = data.get("type")
    if isinstance(kind, str):
        kind = kind.lower()
        if kind in JOB_TYPES:
            return "job"
        if kind in COMPUTE_TYPES:
            return "compute"
    return "other"


def yaml_files(root: Path) -> List[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in (".yml", ".yaml"))


# ---------------------------------------------------------------------------------------------
# Stand-ins for local code and data
# ---------------------------------------------------------------------------------------------

REMOTE_PREFIXES = (
    "azureml:",
    "http://",
    "https://",
    "wasbs://",
    "abfss://",
    "adl://",
    "azureml://",
    "git+",
)

# A conda file the SDK parses (it reads the YAML when it builds the environment); `name` and one
# dependency are the least that conda itself accepts.
CONDA_STANDIN = "name: standin\ndependencies:\n  - python=3.10\n"


def local_ref(value: Any) -> Optional[str]:
    """The path a value names if it is a local path, else None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or "${{" in value or value.lower().startswith(REMOTE_PREFIXES):
        return None
    # `file:./x` is the SDK's explicit spelling of a local path.
    if value.startswith("file:"):
        value = value[len("file:") :]
    return value or None


@dataclass
class StandIns:
    """Creates missing local files and folders inside the temporary copy, and records them."""

    root: Path
    created: Dict[str, List[str]] = field(default_factory=dict)

    def make(self, base: Path, ref: str, what: str) -> Optional[Path]:
        """Create `ref` (relative to `base`) as `what`: file, dir, conda or mltable.

        Never overwrites what the corpus already has, and never writes outside the copy.
        """
        target = (base / ref).resolve()
        try:
            target.relative_to(self.root)
        except ValueError:
            return None
        if target.exists():
            return target
        if what == "dir" or what == "mltable":
            target.mkdir(parents=True, exist_ok=True)
            if what == "mltable":
                # The SDK accepts an empty mltable folder; an MLTable file makes it a real one.
                (target / "MLTable").write_text("paths:\n  - pattern: ./*\n", encoding="utf-8")
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(CONDA_STANDIN if what == "conda" else "", encoding="utf-8")
        self.created.setdefault(what, []).append(str(target.relative_to(self.root)))
        return target


def has_extension(ref: str) -> bool:
    name = ref.rstrip("/").rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    return bool(dot and stem and ext and not ref.endswith("/"))


def file_or_dir(ref: str) -> str:
    return "file" if has_extension(ref) else "dir"


def add_standins(node: Any, yaml_dir: Path, code_dir: Path, standins: StandIns) -> None:
    """Walk one parsed YAML document and create the local paths it names that do not exist.

    `code_dir` is the folder that code-relative fields (entry scripts, spark files) resolve against:
    the nearest enclosing `code:`, else the YAML's folder.
    """
    if isinstance(node, list):
        for item in node:
            add_standins(item, yaml_dir, code_dir, standins)
        return
    if not isinstance(node, dict):
        return

    code = local_ref(node.get("code"))
    if code is not None:
        made = standins.make(yaml_dir, code, file_or_dir(code))
        if made is not None and made.is_dir():
            code_dir = made

    conda = local_ref(node.get("conda_file"))
    if conda is not None:
        standins.make(yaml_dir, conda, "conda")

    path = local_ref(node.get("path"))
    if path is not None:
        kind = str(node.get("type", "")).lower()
        if kind == "uri_file":
            standins.make(yaml_dir, path, "file")
        elif kind == "mltable":
            standins.make(yaml_dir, path, "mltable")
        else:
            standins.make(yaml_dir, path, file_or_dir(path))

    model = local_ref(node.get("model"))
    if model is not None and ("/" in model or model.startswith(".")):
        standins.make(yaml_dir, model, file_or_dir(model))

    # Fields that name files inside the code folder.
    for key in ("entry_script", "scoring_script"):
        ref = local_ref(node.get(key))
        if ref is not None:
            standins.make(code_dir, ref, "file")
    entry = node.get("entry")
    if isinstance(entry, dict):
        ref = local_ref(entry.get("file"))
        if ref is not None:
            standins.make(code_dir, ref, "file")
    for key in ("py_files", "jars", "files", "archives"):
        refs = node.get(key)
        if isinstance(refs, list):
            for item in refs:
                ref = local_ref(item)
                if ref is not None:
                    standins.make(code_dir, ref, file_or_dir(ref))

    # Extra files or folders copied into the code snapshot, relative to the YAML's folder.
    includes = node.get("additional_includes")
    if isinstance(includes, list):
        for item in includes:
            ref = local_ref(item)
            if ref is not None:
                standins.make(yaml_dir, ref, file_or_dir(ref))

    for key, value in node.items():
        if key == "build" and isinstance(value, dict):
            ref = local_ref(value.get("path"))
            if ref is not None:
                standins.make(yaml_dir, ref, "dir")
            continue
        if isinstance(value, (dict, list)):
            add_standins(value, yaml_dir, code_dir, standins)


# ---------------------------------------------------------------------------------------------
# Loading with the SDK
# ---------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    accepted: bool
    error: str = ""
    data: Any = None


def one_line(text: str, limit: int = 400) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Sdk:
    """The SDK's loaders, imported once (the import takes seconds)."""

    def __init__(self) -> None:
        # The SDK warns loudly about experimental classes and unknown fields; the verdict is in the
        # exception or validation result, not in warnings.
        warnings.filterwarnings("ignore")
        import logging

        # Its loggers print "experimental class" notes and anonymous-asset warnings through
        # handlers of their own, whatever the parent logger's level.
        logging.disable(logging.WARNING)

        from azure.ai.ml import load_component, load_compute, load_job
        from azure.ai.ml.entities import Component, PipelineJob
        from azure.ai.ml.entities._validation import ValidationResult

        self.loaders: Dict[str, Callable[..., Any]] = {
            "job": load_job,
            "component": load_component,
            "compute": load_compute,
        }
        self.Component = Component
        self.PipelineJob = PipelineJob
        self.ValidationResult = ValidationResult

    def validate(self, entity: Any) -> List[str]:
        """Client-side validation problems of `entity` (empty when it passes)."""
        targets: List[Tuple[str, Any]] = [("", entity)]
        if isinstance(entity, self.PipelineJob):
            # A pipeline job's _validate covers the graph; inline components are checked on their own
            # the way `az ml job create` would register them.
            for name, node in (entity.jobs or {}).items():
                component = getattr(node, "component", None)
                if isinstance(component, self.Component):
                    targets.append((f"jobs.{name}.component: ", component))
        problems: List[str] = []
        for prefix, target in targets:
            check = getattr(target, "_validate", None)
            if check is None:
                continue
            try:
                result = check()
            except Exception as e:  # noqa: BLE001  (some _validate() raise instead of returning)
                problems.append(prefix + one_line(f"{type(e).__name__}: {e}"))
                continue
            if isinstance(result, self.ValidationResult) and not result.passed:
                for where, message in result.error_messages.items():
                    problems.append(prefix + one_line(f"{where}: {message}"))
        return problems

    def to_dict(self, entity: Any) -> Any:
        try:
            return entity._to_dict()
        except Exception as e:  # noqa: BLE001
            try:
                return entity._to_rest_object().as_dict()
            except Exception:  # noqa: BLE001
                return {"<no dict>": one_line(f"{type(e).__name__}: {e}")}

    def load(self, path: Path, kind: str) -> Outcome:
        try:
            entity = self.loaders[kind](str(path))
        except Exception as e:  # noqa: BLE001  (one bad file must not stop the run)
            return Outcome(False, one_line(f"{type(e).__name__}: {e}"))
        try:
            problems = self.validate(entity)
        except Exception as e:  # noqa: BLE001
            problems = [one_line(f"validation crashed: {type(e).__name__}: {e}")]
        data = normalise(self.to_dict(entity))
        if problems:
            return Outcome(False, "; ".join(problems), data)
        return Outcome(True, "", data)


def normalise(data: Any) -> Any:
    return data


# ---------------------------------------------------------------------------------------------
# Comparing dicts
# ---------------------------------------------------------------------------------------------


def diff(before: Any, after: Any, where: str = "") -> List[str]:
    """Paths where two plain-data trees differ, with both values, shortest first."""
    if isinstance(before, dict) and isinstance(after, dict):
        out: List[str] = []
        for key in list(before) + [k for k in after if k not in before]:
            sub = f"{where}.{key}" if where else str(key)
            if key not in after:
                out.append(f"{sub}: {short(before[key])} -> (missing)")
            elif key not in before:
                out.append(f"{sub}: (missing) -> {short(after[key])}")
            else:
                out.extend(diff(before[key], after[key], sub))
        return out
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        out = []
        for i, (b, a) in enumerate(zip(before, after)):
            out.extend(diff(b, a, f"{where}[{i}]"))
        return out
    if before == after and type(before) is type(after):
        return []
    return [f"{where or '(root)'}: {short(before)} -> {short(after)}"]


def short(value: Any) -> str:
    return one_line(repr(value), 120)


# ---------------------------------------------------------------------------------------------
# Running the emitter
# ---------------------------------------------------------------------------------------------


def emit_in_place(emitter: List[str], path: Path) -> Tuple[bool, str]:
    """Re-emit `path` over itself; on failure the file is left as it was."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        proc = subprocess.run(
            emitter + ["emit", str(path), "-o", str(tmp), "--force"],
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        tmp.unlink(missing_ok=True)
        return False, one_line(f"could not run emitter: {e}")
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        return False, f"exit {proc.returncode}: " + one_line(proc.stderr or proc.stdout, 1000)
    if not tmp.is_file():
        return False, "exit 0 but no output file"
    os.replace(tmp, path)
    return True, ""


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def parse_args(argv: List[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--emitter",
        help="command that runs the emitter, split like a shell would "
        "(default: <repo>/target/debug/pipeline)",
    )
    parser.add_argument("--corpus", help="corpus root (default: $PIPELINE_CORPUS or <repo>/../shared/corpus)")
    parser.add_argument(
        "--extra",
        action="append",
        default=[],
        metavar="PATH",
        help="YAML file or folder that must be accepted as-is (repeatable)",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="more extras, like --extra")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the stand-ins created")
    return parser.parse_args(argv)


def find_corpus(args: argparse.Namespace) -> Optional[Path]:
    candidate = args.corpus or os.environ.get("PIPELINE_CORPUS") or str(REPO.parent / "shared" / "corpus")
    path = Path(candidate)
    return path.resolve() if path.is_dir() else None


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def main(argv: List[str]) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    emitter = shlex.split(args.emitter) if args.emitter else [str(REPO / "target" / "debug" / "pipeline")]
    extras = [Path(p) for p in args.extra + args.paths]
    for p in extras:
        if not p.exists():
            print(f"error: extra path not found: {p}", file=sys.stderr)
            return 2

    corpus = find_corpus(args)
    in_ci = bool(os.environ.get("CI"))
    if corpus is None:
        print("skipped: corpus not found")
        if not extras:
            return 1 if in_ci else 0
    elif not args.emitter and not Path(emitter[0]).is_file():
        print(f"error: emitter not found: {emitter[0]} (build it or pass --emitter)", file=sys.stderr)
        return 2

    block_network()
    sdk = Sdk()
    failures: List[str] = []
    passed = 0

    with tempfile.TemporaryDirectory(prefix="conformance-") as tmpdir:
        work = Path(tmpdir).resolve()
        if corpus is not None:
            passed += check_corpus(corpus, work / "corpus", sdk, emitter, failures, args.verbose)
        if extras:
            passed += check_extras(extras, work / "extras", sdk, failures, args.verbose)

    print(f"time: {time.monotonic() - started:.1f}s")
    if failures:
        print(f"\nFAILURES ({len(failures)}):")
        for line in failures:
            print(f"  FAIL {line}")
    print(f"conformance: {passed} passed, {len(failures)} failed")
    if corpus is None and in_ci:
        return 1
    return 1 if failures else 0


def copy_writable(src: Path, dest: Path) -> None:
    """Copy a file or tree without its modes: the corpus is read-only, the copy must not be."""
    if src.is_file():
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        return
    for folder, _dirs, files in os.walk(src):
        target = dest / Path(folder).relative_to(src)
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            shutil.copyfile(Path(folder) / name, target / name)


def prepare_copy(sources: Iterable[Tuple[Path, Path]], dest: Path, verbose: bool) -> Dict[Path, Any]:
    """Copy sources into dest, create stand-ins, and return each YAML's parsed content."""
    dest.mkdir(parents=True, exist_ok=True)
    for src, rel in sources:
        copy_writable(src, dest / rel)
    parsed: Dict[Path, Any] = {}
    for path in yaml_files(dest):
        try:
            parsed[path] = read_yaml(path)
        except Exception as e:  # noqa: BLE001
            parsed[path] = yaml.YAMLError(str(e))
    standins = StandIns(dest)
    for path, data in parsed.items():
        if not isinstance(data, yaml.YAMLError):
            add_standins(data, path.parent, path.parent, standins)
    total = sum(len(v) for v in standins.created.values())
    print(
        f"stand-ins: {total} created ("
        + ", ".join(f"{len(v)} {k}" for k, v in sorted(standins.created.items()))
        + ")"
    )
    if verbose:
        for what, paths in sorted(standins.created.items()):
            for p in paths:
                print(f"  stand-in {what}: {p}")
    return parsed


def print_counts(label: str, kinds: Dict[Path, str]) -> None:
    counts = {k: 0 for k in KINDS + ("other",)}
    for kind in kinds.values():
        counts[kind] += 1
    print(f"{label}: {len(kinds)} YAML files: " + ", ".join(f"{counts[k]} {k}" for k in counts))


def check_corpus(
    corpus: Path, work: Path, sdk: Sdk, emitter: List[str], failures: List[str], verbose: bool
) -> int:
    parsed = prepare_copy([(corpus, Path("."))], work, verbose)
    kinds = {p: classify(d) for p, d in parsed.items()}
    print_counts("corpus", kinds)
    checked = [p for p, k in kinds.items() if k in KINDS]

    def rel(p: Path) -> str:
        return str(p.relative_to(work))

    # Every file is loaded before any is rewritten: pipeline jobs load their component files too,
    # so the "before" picture must be of the untouched copy.
    before = {p: sdk.load(p, kinds[p]) for p in checked}
    accepted = [p for p in checked if before[p].accepted]
    rejected = [p for p in checked if not before[p].accepted]
    print(f"accepted originally: {len(accepted)}; rejected originally: {len(rejected)} (not failures)")
    for p in rejected:
        print(f"  rejected {rel(p)}: {before[p].error}")

    workers = max(2, os.cpu_count() or 2)
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        emitted = dict(zip(checked, pool.map(lambda p: emit_in_place(emitter, p), checked)))
    round_tripped = sum(1 for ok, _ in emitted.values() if ok)
    print(f"round-tripped: {round_tripped} of {len(checked)}")
    for p in rejected:
        ok, err = emitted[p]
        if not ok:
            print(f"  emitter refused {rel(p)} (SDK rejects it too): {err}")

    passed = 0
    for p in checked:
        if not before[p].accepted:
            continue
        ok, err = emitted[p]
        if not ok:
            failures.append(f"{rel(p)}: emitter failed on a file the SDK accepts: {err}")
            continue
        after = sdk.load(p, kinds[p])
        if not after.accepted:
            failures.append(f"{rel(p)}: SDK rejects the re-emitted file: {after.error}")
            continue
        changes = diff(before[p].data, after.data)
        if changes:
            shown = "\n      ".join(changes[:12])
            more = f"\n      ... and {len(changes) - 12} more" if len(changes) > 12 else ""
            failures.append(f"{rel(p)}: SDK reads the re-emitted file differently:\n      {shown}{more}")
            continue
        passed += 1
    return passed


def check_extras(extras: List[Path], work: Path, sdk: Sdk, failures: List[str], verbose: bool) -> int:
    # Each extra is copied under its own index so that equal names cannot collide.
    sources = [(p.resolve(), Path(str(i)) / p.resolve().name) for i, p in enumerate(extras)]
    parsed = prepare_copy(sources, work, verbose)
    kinds = {p: classify(d) for p, d in parsed.items()}
    print_counts("extras", kinds)
    origin = {}
    for (src, rel_dir) in sources:
        for p in parsed:
            try:
                origin[p] = src / p.relative_to(work / rel_dir) if src.is_dir() else src
            except ValueError:
                pass
    passed = 0
    for p, kind in kinds.items():
        if kind not in KINDS:
            if verbose:
                print(f"  extra not checked (kind other): {origin[p]}")
            continue
        outcome = sdk.load(p, kind)
        if outcome.accepted:
            passed += 1
        else:
            failures.append(f"{origin[p]} (extra): SDK rejects it: {outcome.error}")
    return passed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
