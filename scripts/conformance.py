#!/usr/bin/env python3
"""Conformance check of `pipeline emit` against the real Azure ML Python SDK (azure-ai-ml).

For every job, component and compute YAML of the azureml-examples corpus this script:

1. loads the file with the SDK (load_job / load_component / load_compute) and validates it
   client-side (``entity._validate()``, and each inline component of a pipeline job),
2. ``--mode elsewhere``: emits it into another folder, at another depth
   (``<emitter> emit FILE -o OUT/x/y/NAME``), loads that and checks that the SDK accepts it and
   reads it as it read the original: ``entity._to_dict()`` is the same once every local path in
   either is resolved to an absolute real path from its own file's folder. So a relative path
   the emitter forgot to rewrite, or rewrote wrongly, shows up as a different absolute path,
3. ``--mode in-place``: re-emits it in place (``<emitter> emit FILE -o FILE.tmp --force``), loads
   it again and checks that the SDK still accepts it and that ``entity._to_dict()`` is unchanged.

Both modes run by default (``--mode both``), elsewhere first: it reads the untouched copy.

Files the SDK rejects before the round trip are listed with its reason; they are not failures.
Extra files or folders (``--extra PATH`` or positional) are only loaded and validated: every job,
component or compute YAML there must be accepted as it is.

Everything happens on a temporary copy of the corpus; the corpus itself is never written to. Run it
through ``scripts/conformance.sh``, which provides a venv with the pinned SDK and builds the CLI.

The last line printed is ``conformance: N passed, M failed`` (a corpus file counts once per mode,
an extra once); the exit code is 1 if M > 0, 2 on a
bad invocation.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
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
from typing import Any, Callable, Dict, List, Optional, Tuple

# Read by the SDK when its schemas are built: it unlocks the private-preview fields that some corpus
# files use, so they are judged as `az ml` with private features would judge them.
os.environ["AZURE_ML_CLI_PRIVATE_FEATURES_ENABLED"] = "true"
# Keeps telemetry from even trying to start.
os.environ.setdefault("AZUREML_SDKV2_TELEMETRY_OPTOUT", "1")

import yaml  # noqa: E402  (PyYAML is a dependency of azure-ai-ml, so the venv has it)

REPO = Path(__file__).resolve().parent.parent
KINDS = ("job", "component", "compute")


# ---------------------------------------------------------------------------------------------
# Network isolation
# ---------------------------------------------------------------------------------------------


class NetworkBlocked(RuntimeError):
    pass


def block_network() -> None:
    """Make every outgoing connection of this process fail at once.

    Loading must be offline: a file the SDK can only load by asking a workspace or registry is out
    of scope, and a hidden network call would make the verdict depend on the machine.
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
COMPUTE_SCHEMAS = {"computeinstance", "amlcompute", "vmcompute"}  # and any other "...compute"
JOB_TYPES = {"pipeline", "command", "sweep", "spark", "automl"}
COMPUTE_TYPES = {"computeinstance", "amlcompute", "virtualmachine", "synapsespark", "kubernetes"}


def _loadable_keys(schema_cls: Any) -> set:
    fields = schema_cls(context={"base_path": "."}).fields
    return {f.data_key or n for n, f in fields.items() if not f.dump_only} - {"$schema"}


_KEYS_ONLY_OF: Dict[Tuple[str, str], set] = {}


def keys_only_of(component_kind: str, job_kind: str) -> set:
    """Keys the SDK's schema for one kind of document takes and the other's does not (the same
    rule as `pipeline-core/src/load.rs`, which reads them from pipeline-schema's tables)."""
    key = (component_kind, job_kind)
    if key not in _KEYS_ONLY_OF:
        from azure.ai.ml._schema._sweep.sweep_job import SweepJobSchema  # noqa: F401  (loads schemas)
        from azure.ai.ml._schema.component.command_component import CommandComponentSchema
        from azure.ai.ml._schema.component.parallel_component import ParallelComponentSchema
        from azure.ai.ml._schema.job.command_job import CommandJobSchema
        from azure.ai.ml._schema.job.parallel_job import ParallelJobSchema
        from azure.ai.ml._schema.pipeline.pipeline_component import PipelineComponentSchema
        from azure.ai.ml._schema.pipeline.pipeline_job import PipelineJobSchema

        schemas = {
            "command_component": CommandComponentSchema,
            "command_job": CommandJobSchema,
            "pipeline_component": PipelineComponentSchema,
            "pipeline_job": PipelineJobSchema,
            "parallel_component": ParallelComponentSchema,
            "parallel_job": ParallelJobSchema,
        }
        _KEYS_ONLY_OF[key] = _loadable_keys(schemas[component_kind]) - _loadable_keys(schemas[job_kind])
    return _KEYS_ONLY_OF[key]


def component_without_schema(kind: str, data: Dict[str, Any]) -> bool:
    """A file with no `$schema` whose keys say it is a component and none say it is a job."""
    has = lambda keys: any(k in data for k in keys)  # noqa: E731
    if kind == "parallel":
        return not has(keys_only_of("parallel_job", "parallel_component"))
    if kind not in ("command", "pipeline"):
        return False
    component, job = f"{kind}_component", f"{kind}_job"
    return has(keys_only_of(component, job)) and not has(keys_only_of(job, component))


def classify(data: Any) -> str:
    """"job", "component", "compute" or "other" for a parsed YAML document.

    `$schema` decides when present, because `type` is ambiguous: a pipeline component also says
    `type: pipeline`.
    """
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
        if base in COMPUTE_SCHEMAS or base.endswith("compute"):
            return "compute"
        return "other"
    kind = data.get("type")
    if isinstance(kind, str) and component_without_schema(kind, data):
        return "component"
    if isinstance(kind, str):
        kind = kind.lower()
        if kind in JOB_TYPES:
            return "job"
        if kind in COMPUTE_TYPES:
            return "compute"
    elif kind is None and "command" in data:
        # load_job's default type is command; `pipeline emit` classifies the same way.
        return "job"
    return "other"


def yaml_files(root: Path) -> List[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in (".yml", ".yaml"))


# ---------------------------------------------------------------------------------------------
# Stand-ins for local code and data
# ---------------------------------------------------------------------------------------------

REMOTE_PREFIXES = ("azureml:", "http://", "https://", "wasbs://", "abfss://", "adl://", "azureml://", "git+")
URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")

# The SDK parses a conda file when it loads the environment and inlines its content. An empty file
# or any mapping passes, but a file whose content is a plain string is taken as *another path*, and
# a list fails; a mapping that conda itself would accept is the safe choice.
CONDA_STANDIN = "name: standin\ndependencies:\n  - python=3.10\n"


def local_ref(value: Any) -> Optional[str]:
    """The path a value names if it is a local path, else None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or "${{" in value or value.lower().startswith(REMOTE_PREFIXES) or URL_SCHEME.match(value):
        return None
    # `file:./x` is the SDK's explicit spelling of a local path.
    if value.startswith("file:"):
        value = value[len("file:") :]
    return value or None


def has_extension(ref: str) -> bool:
    if ref.endswith("/"):
        return False
    stem, dot, ext = ref.rsplit("/", 1)[-1].rpartition(".")
    return bool(dot and stem and ext)


def file_or_dir(ref: str) -> str:
    return "file" if has_extension(ref) else "dir"


@dataclass
class StandIns:
    """Creates missing local files and folders inside the temporary copy, and records them.

    Measured with azure-ai-ml 1.35.2: what the SDK really checks offline is that `code` exists (a
    folder, or a single file), that a conda file exists, that `additional_includes` exist, and, in
    `_validate()`, that a spark `entry.file` exists inside `code`. Data paths and parallel
    `entry_script` are not checked, and an empty folder is a valid local mltable (no `MLTable` file
    needed); they get stand-ins anyway so that a stricter SDK version still loads.
    """

    root: Path
    created: Dict[str, List[str]] = field(default_factory=dict)

    def make(self, base: Path, ref: str, what: str) -> Optional[Path]:
        """Create `ref` (relative to `base`) as a "file", "dir" or "conda" file if it is missing.

        Never overwrites what the corpus has, and never writes outside the copy.
        """
        target = (base / ref).resolve()
        try:
            target.relative_to(self.root)
        except ValueError:
            return None
        if target.exists():
            return target
        try:
            if what == "dir":
                target.mkdir(parents=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(CONDA_STANDIN if what == "conda" else "", encoding="utf-8")
        except OSError:
            # e.g. a path that runs through an existing file: leave it for the SDK to judge.
            return None
        self.created.setdefault(what, []).append(str(target.relative_to(self.root)))
        return target

    def add(self, node: Any, yaml_dir: Path, code_dir: Optional[Path] = None) -> None:
        """Walk one parsed YAML document and create the local paths it names.

        `code_dir` is the folder that code-relative fields (entry scripts, spark files) resolve
        against: the nearest enclosing `code:`, else the YAML's own folder.
        """
        code_dir = code_dir or yaml_dir
        if isinstance(node, list):
            for item in node:
                self.add(item, yaml_dir, code_dir)
            return
        if not isinstance(node, dict):
            return

        code = local_ref(node.get("code"))
        if code is not None:
            made = self.make(yaml_dir, code, file_or_dir(code))
            if made is not None and made.is_dir():
                code_dir = made

        conda = local_ref(node.get("conda_file"))
        if conda is not None:
            self.make(yaml_dir, conda, "conda")

        path = local_ref(node.get("path"))
        if path is not None:
            kind = str(node.get("type", "")).lower()
            if kind == "uri_file":
                self.make(yaml_dir, path, "file")
            elif kind in ("uri_folder", "mltable", "custom_model", "mlflow_model", "triton_model"):
                # A folder type wins over a dotted name such as `data.v2`.
                self.make(yaml_dir, path, "dir")
            else:
                self.make(yaml_dir, path, file_or_dir(path))

        model = local_ref(node.get("model"))
        if model is not None and ("/" in model or model.startswith(".")):
            self.make(yaml_dir, model, file_or_dir(model))

        # Extra files or folders copied into the code snapshot, relative to the YAML's folder.
        includes = node.get("additional_includes")
        if isinstance(includes, list):
            for item in includes:
                ref = local_ref(item)
                if ref is not None:
                    self.make(yaml_dir, ref, file_or_dir(ref))

        # Fields that name files inside the code folder.
        for key in ("entry_script", "scoring_script"):
            ref = local_ref(node.get(key))
            if ref is not None:
                self.make(code_dir, ref, "file")
        entry = node.get("entry")
        if isinstance(entry, dict):
            ref = local_ref(entry.get("file"))
            if ref is not None:
                self.make(code_dir, ref, "file")
        for key in ("py_files", "jars", "files", "archives"):
            refs = node.get(key)
            if isinstance(refs, list):
                for item in refs:
                    ref = local_ref(item)
                    if ref is not None:
                        self.make(code_dir, ref, file_or_dir(ref))

        for key, value in node.items():
            if key == "build" and isinstance(value, dict):
                # An environment's docker build context (a folder, whatever its name looks like).
                ref = local_ref(value.get("path"))
                if ref is not None:
                    self.make(yaml_dir, ref, "dir")
                continue
            if isinstance(value, (dict, list)):
                self.add(value, yaml_dir, code_dir)


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


def read_kind(path: Path) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return classify(yaml.safe_load(f))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return "other"


def prepare_copy(src: Path, dest: Path, verbose: bool) -> Dict[Path, str]:
    """Copy src into dest, add stand-ins, and classify every YAML of the copy."""
    copy_writable(src, dest)
    standins = StandIns(dest)
    kinds: Dict[Path, str] = {}
    for path in yaml_files(dest):
        try:
            with open(path, encoding="utf-8") as f:
                data = yaml.safe_load(f)
        except (yaml.YAMLError, UnicodeDecodeError):
            kinds[path] = "other"
            continue
        kinds[path] = classify(data)
        standins.add(data, path.parent)
    total = sum(len(v) for v in standins.created.values())
    detail = ", ".join(f"{len(v)} {k}" for k, v in sorted(standins.created.items()))
    print(f"stand-ins: {total} created" + (f" ({detail})" if detail else ""))
    if verbose:
        for what, paths in sorted(standins.created.items()):
            for p in paths:
                print(f"  stand-in {what}: {p}")
    return kinds


# ---------------------------------------------------------------------------------------------
# Loading with the SDK
# ---------------------------------------------------------------------------------------------

# Union fields make the SDK list every alternative it tried; these say nothing about the file.
NOISE = ("In order to specify", "Not a valid URL", "If you are trying to configure", "The easiest way to author")


def one_line(text: Any, limit: int = 400) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def summarise(text: Any, limit: int = 400) -> str:
    """The gist of an SDK error: "path: message" pairs out of its embedded JSON report."""
    text = str(text)
    start = text.find("{")
    if start >= 0:
        try:
            report, _ = json.JSONDecoder().raw_decode(text[start:])
        except ValueError:
            report = None
        if report is not None:
            parts = list(dict.fromkeys(p for p in flatten_report(report) if p))
            if parts:
                return one_line("; ".join(parts), limit)
    return one_line(strip_noise(text) or text, limit)


def strip_noise(message: str) -> str:
    """The message without the alternatives the SDK lists for union fields ("" if nothing is left)."""
    kept = [m.strip() for m in str(message).split("; ") if m.strip() and not m.strip().startswith(NOISE)]
    return "; ".join(dict.fromkeys(kept))


def flatten_report(report: Any, where: str = "") -> List[str]:
    """Flatten the SDK's two report shapes: {"errors": [{path, message}]} and marshmallow's tree."""
    if isinstance(report, dict):
        errors = report.get("errors")
        if isinstance(errors, list):
            out = []
            for err in errors:
                if isinstance(err, dict):
                    message = summarise(err.get("message", ""), 300)
                    path = err.get("path")
                    out.append(f"{path}: {message}" if path and path != "*" else message)
            return out
        out = []
        for key, value in report.items():
            if key in ("result", "warnings"):
                continue
            sub = where if key == "_schema" else (f"{where}.{key}" if where else str(key))
            out.extend(flatten_report(value, sub))
        return out
    if isinstance(report, list):
        return [line for item in report for line in flatten_report(item, where)]
    message = strip_noise(str(report))
    if not message:
        return []
    return [f"{where}: {message}" if where else message]


@dataclass
class Outcome:
    accepted: bool
    error: str = ""
    data: Any = None


class Sdk:
    """The SDK's loaders, imported once (the import alone takes seconds)."""

    def __init__(self) -> None:
        # Verdicts come from exceptions and validation results; the SDK's warnings ("experimental
        # class", "asset name will not be used") are noise here, and they go through handlers of its
        # own, so only a global switch silences them.
        warnings.filterwarnings("ignore")
        import logging

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
            # The job's own _validate covers the graph; its inline components are checked on their
            # own too, the way `az ml job create` would register them.
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
            except Exception as e:  # noqa: BLE001  (some entities' _validate() raise instead of returning)
                problems.append(prefix + summarise(e))
                continue
            if isinstance(result, self.ValidationResult) and not result.passed:
                for where, message in result.error_messages.items():
                    problems.append(f"{prefix}{where}: {summarise(message, 300)}")
        return list(dict.fromkeys(problems))

    @staticmethod
    def to_dict(entity: Any) -> Any:
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
            return Outcome(False, f"{type(e).__name__}: {summarise(e)}")
        try:
            problems = self.validate(entity)
        except Exception as e:  # noqa: BLE001
            problems = [f"validation crashed: {type(e).__name__}: {summarise(e)}"]
        # No normalisation of the dict is needed, measured on the corpus: paths are absolute but the
        # file is re-loaded from the same folder, and anonymous environments get a content hash as
        # version, not a random id. Python's dict equality ignores key order.
        data = self.to_dict(entity)
        if problems:
            return Outcome(False, one_line("; ".join(problems), 600), data)
        return Outcome(True, "", data)


# ---------------------------------------------------------------------------------------------
# Comparing dicts
# ---------------------------------------------------------------------------------------------


def diff(before: Any, after: Any, where: str = "") -> List[str]:
    """The paths where two plain-data trees differ, with both values.

    Leaves must match in type too: the SDK keeps pipeline input literals as they were parsed, so
    `2e-5` (a string to PyYAML) and `2.0e-5` (a float) are different inputs.
    """
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
        return [line for i, (b, a) in enumerate(zip(before, after)) for line in diff(b, a, f"{where}[{i}]")]
    if type(before) is type(after) and before == after:
        return []
    return [f"{where or '(root)'}: {short(before)} -> {short(after)}"]


def short(value: Any) -> str:
    return one_line(repr(value), 120)


# ---------------------------------------------------------------------------------------------
# Running the emitter
# ---------------------------------------------------------------------------------------------


def emit(emitter: List[str], path: Path, out: Path) -> Tuple[bool, str]:
    """Emit `path` to the new file `out` (its folder must exist); on failure `out` is removed."""
    try:
        proc = subprocess.run(
            emitter + ["emit", str(path), "-o", str(out), "--force"],
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        out.unlink(missing_ok=True)
        return False, one_line(f"could not run the emitter: {e}")
    if proc.returncode != 0:
        out.unlink(missing_ok=True)
        output = (proc.stderr or proc.stdout).strip().splitlines()
        shown = "\n        ".join(output[:20] + (["..."] if len(output) > 20 else []))
        return False, f"exit {proc.returncode}" + (f":\n        {shown}" if shown else "")
    if not out.is_file():
        return False, "exit 0 but no output file"
    return True, ""


def emit_in_place(emitter: List[str], path: Path) -> Tuple[bool, str]:
    """Re-emit `path` over itself; on failure the file is left as it was."""
    tmp = path.with_name(path.name + ".tmp")
    ok, err = emit(emitter, path, tmp)
    if ok:
        os.replace(tmp, path)
    return ok, err


# ---------------------------------------------------------------------------------------------
# Local paths, resolved for comparing files that live in different folders
# ---------------------------------------------------------------------------------------------

# Fields of the SDK's dicts whose string values (or list items) are local paths relative to the
# YAML's folder when they are not remote or absolute. Spark's `entry.file`, `py_files`… are
# relative to `code`, which is resolved itself, so they must stay exactly as they were.
# `uri` is an input's path in the REST shape, the dict of entities whose `_to_dict()` fails.
PATH_FIELDS = {"code", "path", "conda_file", "additional_includes", "component", "trial", "uri"}
# Maps whose keys are the user's own (ports, variables, tags): a string directly under one of
# these is a value, never a path, whatever its key is called (an input named `path`).
FREE_FORM = {"inputs", "outputs", "environment_variables", "tags", "properties", "conf", "identity"}


def resolve_paths(data: Any, base: Path, key: Optional[str] = None, in_free_form: bool = False) -> Any:
    """`data` with each local path replaced by the absolute real path it names from `base`.

    `file:` references are paths wherever they are (the SDK loads them in place of any nested
    object); other strings only under PATH_FIELDS. Symlinks and `..` are resolved by the OS, so
    a rewrite is judged by where it really leads.
    """
    if isinstance(data, dict):
        free_form = key in FREE_FORM
        return {k: resolve_paths(v, base, str(k), free_form) for k, v in data.items()}
    if isinstance(data, list):
        return [resolve_paths(item, base, key, in_free_form) for item in data]
    if not isinstance(data, str) or in_free_form:
        return data
    if not data.startswith("file:") and key not in PATH_FIELDS:
        return data
    if data.startswith("azureml:") and not data.startswith("azureml://"):
        # `_to_dict()` spells a local input path `azureml:<path>` as written (`azureml:./data`).
        # An asset (`azureml:name:1`) names no file; a wrong rewrite names none either and is kept
        # as it is, so it still differs.
        rest = data[len("azureml:") :]
        if rest and (base / rest).exists():
            return "azureml:" + os.path.realpath(base / rest)
        return data
    ref = local_ref(data)
    if ref is None:
        return data
    prefix = "file:" if data.startswith("file:") else ""
    return prefix + os.path.realpath(base / ref)


def elsewhere_name(rel: Path) -> str:
    """A unique flat file name for a corpus file emitted into one folder."""
    return "__".join(rel.parts)


# ---------------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------------


@dataclass
class Tally:
    passed: int = 0
    failures: List[str] = field(default_factory=list)
    summary: List[str] = field(default_factory=list)


def kind_counts(kinds: Dict[Path, str]) -> str:
    counts = {k: 0 for k in KINDS}
    for kind in kinds.values():
        if kind in counts:
            counts[kind] += 1
    other = sum(1 for k in kinds.values() if k not in KINDS)
    checked = len(kinds) - other
    return f"{checked} ({', '.join(f'{n} {k}' for k, n in counts.items())}); {other} other, not checked"


MODES = ("elsewhere", "in-place")


def check_corpus(
    corpus: Path, work: Path, sdk: Sdk, emitter: List[str], tally: Tally, verbose: bool, modes: Tuple[str, ...]
) -> None:
    """Copy the corpus under `work` and run the round trips `modes` name on every file."""
    started = time.monotonic()
    copy = work / "corpus"
    kinds = prepare_copy(corpus, copy, verbose)
    checked = [p for p, k in kinds.items() if k in KINDS]
    print(f"corpus: {len(kinds)} YAML files; classified {kind_counts(kinds)}")

    def rel(p: Path) -> str:
        return str(p.relative_to(copy))

    def tidy(message: str) -> str:
        # Messages name files by their temporary absolute path; the corpus-relative one reads better.
        return message.replace(f"{copy}/", "").replace(f"{work}/", "")

    # Every file is loaded before any is rewritten: a pipeline job loads its component files too,
    # so its "before" picture must be of the untouched copy.
    before = {p: sdk.load(p, kinds[p]) for p in checked}
    accepted = [p for p in checked if before[p].accepted]
    rejected = [p for p in checked if not before[p].accepted]
    print(f"loaded originally: {len(accepted)} accepted, {len(rejected)} rejected")
    for p in rejected:
        print(f"  rejected by the SDK (not a failure): {rel(p)}: {tidy(before[p].error)}")
    tally.summary += [
        f"classified: {kind_counts(kinds)}",
        f"accepted originally: {len(accepted)}",
        f"rejected originally: {len(rejected)} (listed above with the SDK's reason; not failures)",
    ]

    # Elsewhere first: the in-place round trip rewrites the copy that the emitted files point into.
    if "elsewhere" in modes:
        # Two folders below a sibling of the copy: every path back climbs out of OUT/x/y and down
        # into the corpus, which sits at other depths (`../../../corpus/azureml-examples/...`).
        out_dir = work / "elsewhere" / "x" / "y"
        out_dir.mkdir(parents=True)
        outs = {p: out_dir / elsewhere_name(p.relative_to(copy)) for p in accepted}
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
            emitted = dict(zip(accepted, pool.map(lambda p: emit(emitter, p, outs[p]), accepted)))
        written = sum(1 for ok, _ in emitted.values() if ok)
        print(f"emitted elsewhere: {written} of {len(accepted)} accepted files, into {tidy(str(out_dir))}/")
        passed = 0
        for p in accepted:
            ok, err = emitted[p]
            where = f"{rel(p)} (elsewhere)"
            if not ok:
                tally.failures.append(f"{where}: the emitter failed on a file the SDK accepts: {tidy(err)}")
                continue
            after = sdk.load(outs[p], kinds[p])
            if not after.accepted:
                tally.failures.append(f"{where}: the SDK rejects the file emitted elsewhere: {tidy(after.error)}")
                continue
            changes = diff(resolve_paths(before[p].data, p.parent), resolve_paths(after.data, outs[p].parent))
            if changes:
                shown = "\n      ".join(tidy(c) for c in changes[:12])
                more = f"\n      ... and {len(changes) - 12} more" if len(changes) > 12 else ""
                tally.failures.append(f"{where}: the SDK reads the file emitted elsewhere differently:\n      {shown}{more}")
                continue
            passed += 1
        tally.passed += passed
        tally.summary.append(f"elsewhere: {passed} of {len(accepted)} accepted files read the same from {tidy(str(out_dir))}/")

    if "in-place" in modes:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
            emitted = dict(zip(checked, pool.map(lambda p: emit_in_place(emitter, p), checked)))
        round_tripped = sum(1 for ok, _ in emitted.values() if ok)
        print(f"emitted: {round_tripped} of {len(checked)} files re-emitted in place")
        passed = 0
        for p in checked:
            ok, err = emitted[p]
            if not before[p].accepted:
                # Still loaded again, for information only: our emitter may refuse it or change it.
                after = sdk.load(p, kinds[p]) if ok else None
                if not ok:
                    print(f"  emitter refused {rel(p)} (the SDK rejects it too): {tidy(err)}")
                elif after is not None and after.accepted:
                    print(f"  note: {rel(p)} is rejected as written but accepted after the round trip")
                continue
            if not ok:
                tally.failures.append(f"{rel(p)}: the emitter failed on a file the SDK accepts: {tidy(err)}")
                continue
            after = sdk.load(p, kinds[p])
            if not after.accepted:
                tally.failures.append(f"{rel(p)}: the SDK rejects the re-emitted file: {tidy(after.error)}")
                continue
            changes = diff(before[p].data, after.data)
            if changes:
                shown = "\n      ".join(tidy(c) for c in changes[:12])
                more = f"\n      ... and {len(changes) - 12} more" if len(changes) > 12 else ""
                tally.failures.append(f"{rel(p)}: the SDK reads the re-emitted file differently:\n      {shown}{more}")
                continue
            passed += 1
        tally.passed += passed
        tally.summary.append(f"in place: {passed} of {len(accepted)} accepted files round-tripped "
                             f"({round_tripped} of {len(checked)} re-emitted)")

    tally.summary.append(f"corpus time: {time.monotonic() - started:.1f}s")


def check_extras(extras: List[Path], sdk: Sdk, tally: Tally, verbose: bool) -> None:
    # Loaded where they are, with no copy and no stand-ins: emitted YAML names its code and data by
    # paths relative to itself, often outside its folder, and all of them must really exist.
    # Loading writes nothing.
    kinds: Dict[Path, str] = {}
    for extra in extras:
        for path in [extra] if extra.is_file() else yaml_files(extra):
            kinds.setdefault(path.resolve(), read_kind(path))
    print(f"extras: {len(kinds)} YAML files; classified {kind_counts(kinds)}")
    accepted = 0
    for path, kind in kinds.items():
        if kind not in KINDS:
            if verbose:
                print(f"  extra not checked (not a job, component or compute): {path}")
            continue
        outcome = sdk.load(path, kind)
        if outcome.accepted:
            accepted += 1
        else:
            tally.failures.append(f"{path} (extra): the SDK rejects it: {outcome.error}")
    tally.passed += accepted
    tally.summary.append(f"extras accepted: {accepted} of {sum(1 for k in kinds.values() if k in KINDS)}")


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def parse_args(argv: List[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Round-trip the Azure ML corpus through `pipeline emit` and check it with azure-ai-ml."
    )
    parser.add_argument(
        "--emitter",
        help="command that runs the emitter, split like a shell would (default: <repo>/target/debug/pipeline)",
    )
    parser.add_argument("--corpus", help="corpus root (default: $PIPELINE_CORPUS or <repo>/../shared/corpus)")
    parser.add_argument(
        "--extra",
        action="append",
        default=[],
        metavar="PATH",
        help="YAML file or folder whose jobs, components and computes must be accepted as they are, "
        "where they are (repeatable)",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="more extras, like --extra")
    parser.add_argument(
        "--mode",
        choices=MODES + ("both",),
        default="both",
        help="which round trip to check on the corpus: emitted into another folder, re-emitted in place, "
        "or both (default)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy and print where it is")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the stand-ins created")
    return parser.parse_args(argv)


def find_corpus(args: argparse.Namespace) -> Optional[Path]:
    candidate = args.corpus or os.environ.get("PIPELINE_CORPUS") or str(REPO.parent / "shared" / "corpus")
    path = Path(candidate)
    return path.resolve() if path.is_dir() else None


def main(argv: List[str]) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    emitter = shlex.split(args.emitter) if args.emitter else [str(REPO / "target" / "debug" / "pipeline")]
    extras = [Path(p) for p in args.extra + args.paths]
    missing = [str(p) for p in extras if not p.exists()]
    if missing:
        print(f"error: extra path not found: {', '.join(missing)}", file=sys.stderr)
        return 2

    corpus = find_corpus(args)
    # CI must never pass by skipping.
    skipped_in_ci = corpus is None and "CI" in os.environ
    if corpus is None:
        print("skipped: corpus not found")
        if not extras:
            return 1 if skipped_in_ci else 0
    elif not emitter or (shutil.which(emitter[0]) is None and not Path(emitter[0]).is_file()):
        print(f"error: emitter not found: {emitter[0] if emitter else '(empty)'} (build it or pass --emitter)",
              file=sys.stderr)
        return 2

    block_network()
    sdk = Sdk()
    tally = Tally()
    work = Path(tempfile.mkdtemp(prefix="conformance-")).resolve()
    try:
        if corpus is not None:
            modes = MODES if args.mode == "both" else (args.mode,)
            check_corpus(corpus, work, sdk, emitter, tally, args.verbose, modes)
        if extras:
            check_extras(extras, sdk, tally, args.verbose)
    finally:
        if args.keep:
            print(f"kept the temporary copy: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    if tally.failures:
        print(f"\nFAILURES ({len(tally.failures)}):")
        for line in tally.failures:
            print(f"  FAIL {line}")
    print()
    for line in tally.summary:
        print(line)
    print(f"total time: {time.monotonic() - started:.1f}s")
    print(f"conformance: {tally.passed} passed, {len(tally.failures)} failed")
    return 1 if tally.failures or skipped_in_ci else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
