#!/usr/bin/env python3
"""Differential test of `pipeline validate` against the real Azure ML Python SDK (azure-ai-ml).

Real YAML (the corpus's job, component and compute files that the SDK accepts as they are, and the
YAML the examples emit) is mutated the ways users get it wrong: a key dropped, misspelt or
duplicated; a value of the wrong type; an enum value in another case or misspelt; a bad node,
component or port name; a binding to a missing node, port or input; a path written another way
(equivalent rewrites must stay accepted) or wrongly; a missing environment or compute; a node type
changed. Each mutant is judged twice:

* by us: ``pipeline validate --format json MUTANT`` (accepted = no error-severity diagnostic; the
  verdict is the sorted set of error codes, or "accept");
* by the SDK, offline, in this one long-lived process: ``load_job`` / ``load_component`` /
  ``load_compute`` then ``_validate()`` (and ``_validate()`` of every inline component, nested ones too), as
  ``scripts/conformance.py`` does. Its verdict is "accept" or a short key derived from the first
  error: the exception type, the YAML path with names replaced by ``*``, and the message with
  values stripped (``ValidationError jobs.*.type: Value <v> passed is not in set <list>``).

A disagreement's class is (operator, our codes, the SDK's key). Classes listed in the allow-list
(``scripts/differential_allow.txt``: ``operator | codes | sdk key  # why we are right``, exact, no
patterns) are where we are deliberately stricter than the SDK for a real defect; any other
disagreement fails the run. The report (markdown) goes to stdout and ``--report FILE``; the last
line printed is ``differential: N passed, M failed`` (passed = agreements + allowed disagreements).
Exit 1 when M > 0 or the allow-list is malformed, 2 on a bad invocation.

Mutants live next to their original in a temporary copy of the corpus (relative paths resolve; the
stand-ins of conformance.py fill in missing code folders and conda files), one at a time, and are
deleted after they are judged unless ``--keep DIR``.

Run it through ``scripts/differential.sh``, which provides the pinned SDK and builds the binaries.
``--self-test`` checks the operators and the class keys without the SDK.
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import copy
import hashlib
import json
import multiprocessing
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
# Importing conformance also sets AZURE_ML_CLI_PRIVATE_FEATURES_ENABLED=true and the telemetry
# opt-out, before the SDK is imported.
import conformance  # noqa: E402
import yaml  # noqa: E402

REPO = conformance.REPO
DEFAULT_ALLOW = REPO / "scripts" / "differential_allow.txt"
SAMPLE_MUTANTS = 630
SAMPLE_SEED = 1
SDK_TIMEOUT = 60  # seconds for one load + validate
OURS_TIMEOUT = 60

# Mappings whose keys are names the user chose (nodes, ports, variables), not schema fields.
NAME_MAPS = {"jobs", "inputs", "outputs", "environment_variables", "tags", "properties", "search_space", "conf",
             "transformer_params"}
# Keys whose values are enums in Azure's schemas (values are only mutated if they look like a token).
ENUM_KEYS = {"type", "mode", "goal", "sampling_algorithm", "task", "primary_metric", "log_verbosity",
             "training_mode"}
ENUM_VALUE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
NODE_TYPES = ["command", "parallel", "pipeline", "sweep", "spark", "automl", "import", "data_transfer"]

BIND_NODE = re.compile(r"\$\{\{\s*parent\.jobs\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_.-]+?)\s*\}\}")
BIND_PARENT = re.compile(r"\$\{\{\s*parent\.(inputs|outputs)\.([A-Za-z0-9_.-]+?)\s*\}\}")
BIND_COMMAND = re.compile(r"\$\{\{\s*(inputs|outputs)\.([A-Za-z_][A-Za-z0-9_.]*?)\s*\}\}")

NUMBERED = re.compile(r"\d+")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Sources: a YAML file, its text and its node tree (with positions)
# ---------------------------------------------------------------------------------------------


@dataclass
class Pair:
    """One key/value pair of a mapping, with where it sits."""

    path: Tuple[str, ...]  # keys (list items as "[i]") from the root to this key
    key: yaml.ScalarNode
    value: yaml.Node
    parent: yaml.MappingNode
    named: bool  # the key is a name the user chose (a node, a port, ...), not a schema field

    @property
    def dotted(self) -> str:
        return dotted(self.path)


def dotted(path: Sequence[str]) -> str:
    out = ""
    for part in path:
        out += part if part.startswith("[") else (f".{part}" if out else part)
    return out


@dataclass
class Source:
    path: Path  # absolute, in the work folder
    rel: str  # as shown in the report
    kind: str  # job, component, compute
    text: str
    data: Any
    root: yaml.Node
    pairs: List[Pair] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path, rel: str, kind: str) -> Optional["Source"]:
        try:
            text = path.read_text(encoding="utf-8")
            data = yaml.safe_load(text)
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return None
        if not isinstance(root, yaml.MappingNode):
            return None
        src = cls(path, rel, kind, text, data, root)
        src.pairs = list(walk(root, ()))
        return src

    def scalars(self) -> Iterable[Tuple[Tuple[str, ...], yaml.ScalarNode]]:
        """Every scalar value (not key) with its path."""
        for pair in self.pairs:
            if isinstance(pair.value, yaml.ScalarNode):
                yield pair.path, pair.value
            elif isinstance(pair.value, yaml.SequenceNode):
                for i, item in enumerate(pair.value.value):
                    if isinstance(item, yaml.ScalarNode):
                        yield pair.path + (f"[{i}]",), item

    def node_maps(self) -> List[Pair]:
        """The `jobs` pairs of pipelines (the job itself, pipeline components, nested inline ones)."""
        out = []
        for pair in self.pairs:
            if pair.key.value == "jobs" and isinstance(pair.value, yaml.MappingNode) and not pair.named:
                if len(pair.path) == 1 or pair.path[-2] == "component":
                    out.append(pair)
        return out

    def nodes(self) -> List[Pair]:
        return [p for jobs in self.node_maps() for p in self.pairs
                if p.parent is jobs.value and isinstance(p.value, yaml.MappingNode)]

    def components(self) -> List[Tuple[Tuple[str, ...], yaml.MappingNode]]:
        """Component definitions: the root of a component file, and inline `component:` mappings."""
        out: List[Tuple[Tuple[str, ...], yaml.MappingNode]] = []
        if self.kind == "component":
            out.append(((), self.root))
        for pair in self.pairs:
            if pair.key.value == "component" and isinstance(pair.value, yaml.MappingNode) and not pair.named:
                out.append((pair.path, pair.value))
        return out

    def is_pipeline_root(self) -> bool:
        return isinstance(self.data, dict) and str(self.data.get("type", "")).lower() == "pipeline"


def walk(node: yaml.Node, path: Tuple[str, ...]) -> Iterable[Pair]:
    if isinstance(node, yaml.MappingNode):
        named = bool(path) and path[-1] in NAME_MAPS
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                continue
            sub = path + (str(key.value),)
            yield Pair(sub, key, value, node, named)
            yield from walk(value, sub)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from walk(item, path + (f"[{i}]",))


def mapping_get(node: yaml.Node, key: str) -> Optional[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def scalar_type(node: yaml.Node) -> str:
    """The type PyYAML gives a node: str, int, float, bool, null, map, seq, other."""
    if isinstance(node, yaml.MappingNode):
        return "map"
    if isinstance(node, yaml.SequenceNode):
        return "seq"
    return {
        "tag:yaml.org,2002:str": "str",
        "tag:yaml.org,2002:int": "int",
        "tag:yaml.org,2002:float": "float",
        "tag:yaml.org,2002:bool": "bool",
        "tag:yaml.org,2002:null": "null",
    }.get(node.tag, "other")


# ---------------------------------------------------------------------------------------------
# Edits: applied to the text where possible (comments, quoting and layout stay), else to a copy of
# the node tree, which is then serialised
# ---------------------------------------------------------------------------------------------


def fmt(value: Any) -> str:
    """A value as one line of YAML, quoted where PyYAML would read it as something else."""
    text = yaml.safe_dump(value, default_flow_style=True, width=10**9, allow_unicode=True).strip()
    if text.endswith("\n..."):
        text = text[:-4].rstrip()
    return text


@dataclass
class Edit:
    op: str  # rename (key -> new), set (value node -> new), drop (pair), dup (pair, value), span
    node: Any = None  # the key node (rename, drop, dup) or the value node (set)
    parent: Any = None  # the mapping (drop, dup, set) holding the pair
    new: Any = None
    start: int = 0  # span edits: character range in the text
    end: int = 0
    same: bool = True  # dup: copy the value as it is


def line_starts(text: str) -> List[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def pair_of(parent: yaml.MappingNode, key: yaml.Node) -> Tuple[yaml.Node, yaml.Node]:
    for k, v in parent.value:
        if k is key:
            return k, v
    raise KeyError("pair not found")


def last_line(text: str, end_index: int) -> int:
    """The last line (0-based) with content before end_index."""
    return text[:end_index].rstrip().count("\n")


def own_line(text: str, starts: List[int], key: yaml.Node) -> bool:
    """The key starts its line (after indentation only), so its lines can be cut or copied."""
    line = key.start_mark.line
    return text[starts[line]:key.start_mark.index].strip() == ""


def text_edits(text: str, edits: List[Edit]) -> Optional[str]:
    """Apply edits to the text, or None if one of them cannot be done there."""
    starts = line_starts(text)
    replacements: List[Tuple[int, int, str]] = []
    for e in edits:
        if e.op == "span":
            replacements.append((e.start, e.end, e.new))
        elif e.op == "rename":
            replacements.append((e.node.start_mark.index, e.node.end_mark.index, fmt(e.new)))
        elif e.op == "set":
            node = e.node
            if not isinstance(node, yaml.ScalarNode) or node.style in ("|", ">"):
                return None
            if node.start_mark.line != node.end_mark.line:
                return None
            new = fmt(e.new)
            if node.start_mark.index == node.end_mark.index and text[node.start_mark.index - 1:node.start_mark.index] == ":":
                new = " " + new
            replacements.append((node.start_mark.index, node.end_mark.index, new))
        elif e.op in ("drop", "dup"):
            if e.parent.flow_style or not own_line(text, starts, e.node):
                return None
            _, value = pair_of(e.parent, e.node)
            first = e.node.start_mark.line
            last = max(first, last_line(text, value.end_mark.index))
            begin = starts[first]
            stop = starts[last + 1] if last + 1 < len(starts) else len(text)
            if e.op == "drop":
                replacements.append((begin, stop, ""))
            else:
                if e.same:
                    block = text[begin:stop]
                else:
                    if not isinstance(value, yaml.ScalarNode) or value.style in ("|", ">"):
                        return None
                    key_text = text[e.node.start_mark.index:e.node.end_mark.index]
                    block = " " * e.node.start_mark.column + key_text + ": " + fmt(e.new)
                if not block.endswith("\n"):
                    block += "\n"
                prefix = "" if stop == 0 or text[stop - 1] == "\n" else "\n"
                replacements.append((stop, stop, prefix + block))
        else:
            raise ValueError(e.op)
    replacements.sort(key=lambda r: (r[0], r[1]), reverse=True)
    # Overlapping replacements cannot both be done on the text.
    for (s1, e1, _), (s2, e2, _) in zip(replacements, replacements[1:]):
        if e2 > s1 and not (s1 == e1 == s2 == e2):
            return None
    out = text
    for start, end, new in replacements:
        out = out[:start] + new + out[end:]
    return out


def node_of(value: Any) -> yaml.Node:
    return yaml.compose(fmt(value), Loader=yaml.SafeLoader) or yaml.ScalarNode("tag:yaml.org,2002:null", "")


def tree_edits(root: yaml.Node, edits: List[Edit]) -> Optional[str]:
    """Apply edits to a copy of the node tree and serialise it, or None if one is text-only."""
    memo: Dict[int, Any] = {}
    copy_root = copy.deepcopy(root, memo)

    def twin(node: Any) -> Any:
        return memo[id(node)]

    for e in edits:
        if e.op == "rename":
            twin(e.node).value = str(e.new)
            twin(e.node).style = None
            twin(e.node).tag = "tag:yaml.org,2002:str"
        elif e.op == "set":
            parent = twin(e.parent)
            target = twin(e.node)
            new = node_of(e.new)
            if isinstance(parent, yaml.MappingNode):
                parent.value = [(k, new if v is target else v) for k, v in parent.value]
            else:
                parent.value = [new if v is target else v for v in parent.value]
        elif e.op == "drop":
            parent = twin(e.parent)
            key = twin(e.node)
            parent.value = [(k, v) for k, v in parent.value if k is not key]
        else:
            return None  # duplicates and span edits exist only in text
    return yaml.serialize(copy_root, Dumper=yaml.SafeDumper, allow_unicode=True, width=10**9)


def apply_edits(src: Source, edits: List[Edit]) -> Optional[Tuple[str, Any]]:
    """The mutant's text and data: text edits if they give valid YAML, else the serialised tree."""
    for attempt in (lambda: text_edits(src.text, edits), lambda: tree_edits(src.root, edits)):
        text = attempt()
        if text is None or text == src.text:
            continue
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:
            continue
        return text, data
    return None


# ---------------------------------------------------------------------------------------------
# Typos and bad names
# ---------------------------------------------------------------------------------------------

NEIGHBOURS = "qwertyuiopasdfghjklzxcvbnm"


def typo(word: str, rng: random.Random, avoid: Iterable[str] = ()) -> Optional[str]:
    """A misspelling of `word` (transposed, dropped, doubled or replaced letter) not in `avoid`."""
    avoid_set = {a.lower() for a in avoid} | {word.lower()}
    for _ in range(30):
        letters = [i for i, ch in enumerate(word) if ch.isalpha()]
        if not letters:
            return None
        how = rng.choice(["swap", "drop", "double", "replace"])
        i = rng.choice(letters)
        if how == "swap" and i + 1 < len(word) and word[i] != word[i + 1] and word[i + 1].isalnum():
            new = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        elif how == "drop" and len(word) > 2:
            new = word[:i] + word[i + 1:]
        elif how == "double":
            new = word[:i] + word[i] + word[i:]
        else:
            ch = rng.choice(NEIGHBOURS)
            if word[i].isupper():
                ch = ch.upper()
            new = word[:i] + ch + word[i + 1:]
        if new and new.lower() not in avoid_set and (new[0].isalpha() or new[0] == word[0]):
            return new
    return None


def bad_node_name(name: str, rng: random.Random) -> str:
    return rng.choice([name[0].upper() + name[1:], name + "-1", "1" + name, name + ".x", name.replace("_", "-") if "_" in name else name + "-step"])


def bad_component_name(name: str, rng: random.Random) -> str:
    return rng.choice([name.replace("_", "-") if "_" in name else name + "-v2", name[0].upper() + name[1:], "1" + name,
                       "_" + name, name + ".x"])


def bad_port_name(name: str, rng: random.Random) -> str:
    return rng.choice([name.replace("_", "-") if "_" in name else name + "-in", "1" + name, name + " x"])


# ---------------------------------------------------------------------------------------------
# Operators
# ---------------------------------------------------------------------------------------------


@dataclass
class Mutant:
    edits: List[Edit]
    what: str  # the mutation in words


Site = Any


class Operator:
    name = ""
    summary = ""

    def sites(self, src: Source) -> List[Site]:
        raise NotImplementedError

    def mutate(self, src: Source, site: Site, rng: random.Random) -> Optional[Mutant]:
        raise NotImplementedError


def field_pairs(src: Source) -> List[Pair]:
    return [p for p in src.pairs if not p.named]


class KeyDrop(Operator):
    name = "key_drop"
    summary = "a key dropped"

    def sites(self, src):
        return field_pairs(src)

    def mutate(self, src, pair, rng):
        return Mutant([Edit("drop", pair.key, pair.parent)], f"dropped key `{pair.dotted}`")


class KeyMisspell(Operator):
    name = "key_misspell"
    summary = "a key misspelt"

    def sites(self, src):
        return [p for p in field_pairs(src) if any(ch.isalpha() for ch in p.key.value)]

    def mutate(self, src, pair, rng):
        siblings = [k.value for k, _ in pair.parent.value if isinstance(k, yaml.ScalarNode)]
        new = typo(pair.key.value, rng, siblings)
        if new is None:
            return None
        return Mutant([Edit("rename", pair.key, new=new)], f"misspelt key `{pair.dotted}` as `{new}`")


class KeyDuplicate(Operator):
    name = "key_duplicate"
    summary = "a key written twice with the same value"

    def sites(self, src):
        return [p for p in field_pairs(src) if not p.parent.flow_style]

    def mutate(self, src, pair, rng):
        return Mutant([Edit("dup", pair.key, pair.parent, same=True)],
                      f"duplicated key `{pair.dotted}` (same value)")


def changed_value(node: yaml.ScalarNode, rng: random.Random) -> Any:
    """Another value of the same type."""
    kind = scalar_type(node)
    value = yaml.safe_load(node.value) if kind != "str" else node.value
    if kind == "bool":
        return not value
    if kind == "int":
        return value + rng.choice([1, 10])
    if kind == "float":
        return value * 2 if value else 0.5
    if kind == "str":
        return value + "_2" if value else "x"
    return None


class KeyConflict(Operator):
    name = "key_conflict"
    summary = "a key written twice with different values"

    def sites(self, src):
        return [p for p in field_pairs(src) if not p.parent.flow_style and isinstance(p.value, yaml.ScalarNode)
                and scalar_type(p.value) in ("str", "int", "float", "bool") and p.value.style not in ("|", ">")]

    def mutate(self, src, pair, rng):
        new = changed_value(pair.value, rng)
        if new is None:
            return None
        # The second (later) occurrence is the one PyYAML keeps; put the changed one first.
        if rng.random() < 0.5:
            return Mutant([Edit("dup", pair.key, pair.parent, new=new, same=False)],
                          f"key `{pair.dotted}` written again below with value {fmt(new)}")
        return Mutant([Edit("set", pair.value, pair.parent, new=new), Edit("dup", pair.key, pair.parent, same=True)],
                      f"key `{pair.dotted}` written twice: first {fmt(new)}, then the original value")


WRONG_TYPES = {
    "str": [42, True, ["x"], {"x": 1}],
    "int": ["abc", 1.5, True, [1]],
    "float": ["abc", True, [0.5]],
    "bool": ["maybe", 2, [True]],
    "map": ["abc", 42, ["x"]],
    "seq": ["abc", 42, {"x": 1}],
}


class ValueType(Operator):
    name = "value_type"
    summary = "a value of the wrong type"

    def sites(self, src):
        out = []
        for p in src.pairs:
            kind = scalar_type(p.value)
            if p.named and not (len(p.path) >= 2 and p.path[-2] == "inputs" and kind not in ("map", "seq")):
                continue  # free-form values (tags, environment variables, ...) take anything; literal inputs do not
            if kind not in WRONG_TYPES or p.key.value == "$schema":
                continue
            if kind == "str" and "${{" in str(p.value.value):
                continue  # a binding: the binding operators change those
            out.append(p)
        return out

    def mutate(self, src, pair, rng):
        kind = scalar_type(pair.value)
        new = rng.choice(WRONG_TYPES[kind])
        old = pair.value.value if isinstance(pair.value, yaml.ScalarNode) else f"a {kind}"
        new_kind = {str: "string", int: "integer", float: "number", bool: "boolean", list: "list", dict: "mapping"}[type(new)]
        return Mutant([Edit("set", pair.value, pair.parent, new=new)],
                      f"`{pair.dotted}`: {kind} {one(old)} replaced by the {new_kind} {fmt(new)}")


def one(value: Any, limit: int = 60) -> str:
    text = " ".join(str(value).split())
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def enum_pairs(src: Source) -> List[Pair]:
    return [p for p in src.pairs if not p.named and p.key.value in ENUM_KEYS and isinstance(p.value, yaml.ScalarNode)
            and scalar_type(p.value) == "str" and ENUM_VALUE.match(p.value.value)]


class EnumCase(Operator):
    name = "enum_case"
    summary = "an enum value in another case"

    def sites(self, src):
        return enum_pairs(src)

    def mutate(self, src, pair, rng):
        value = pair.value.value
        options = [v for v in (value.upper(), value.capitalize(), value.title(), value.lower()) if v != value]
        if not options:
            return None
        new = rng.choice(sorted(set(options)))
        return Mutant([Edit("set", pair.value, pair.parent, new=new)], f"`{pair.dotted}`: {value!r} written {new!r}")


class EnumMisspell(Operator):
    name = "enum_misspell"
    summary = "an enum value misspelt"

    def sites(self, src):
        return enum_pairs(src)

    def mutate(self, src, pair, rng):
        new = typo(pair.value.value, rng)
        if new is None:
            return None
        return Mutant([Edit("set", pair.value, pair.parent, new=new)],
                      f"`{pair.dotted}`: {pair.value.value!r} misspelt {new!r}")


def binding_spans(src: Source, pattern: re.Pattern, group: int, where: Callable[[Tuple[str, ...]], bool] = lambda p: True
                  ) -> List[Tuple[Tuple[str, ...], int, int, str, re.Match]]:
    """Occurrences of a binding's name in the text of scalar values: (path, start, end, name, match)."""
    out = []
    for path, node in src.scalars():
        raw = src.text[node.start_mark.index:node.end_mark.index]
        if not where(path) or "${{" not in raw:
            continue
        for m in pattern.finditer(raw):
            out.append((path, node.start_mark.index + m.start(group), node.start_mark.index + m.end(group), m.group(group), m))
    return out


def node_names(src: Source) -> List[str]:
    return [p.key.value for p in src.nodes()]


class NameNode(Operator):
    name = "name_node"
    summary = "a bad node name (bindings follow the rename)"

    def sites(self, src):
        return src.nodes()

    def mutate(self, src, pair, rng):
        old = pair.key.value
        new = bad_node_name(old, rng)
        edits = [Edit("rename", pair.key, new=new)]
        for _path, start, end, name, _m in binding_spans(src, BIND_NODE, 1):
            if name == old:
                edits.append(Edit("span", start=start, end=end, new=new))
        return Mutant(edits, f"node `{pair.dotted}` renamed `{new}` (its bindings too)")


class NameComponent(Operator):
    name = "name_component"
    summary = "a bad component name"

    def sites(self, src):
        out = []
        for path, comp in src.components():
            name = mapping_get(comp, "name")
            if isinstance(name, yaml.ScalarNode) and scalar_type(name) == "str" and name.value:
                out.append((path, comp, name))
        return out

    def mutate(self, src, site, rng):
        path, comp, name = site
        new = bad_component_name(name.value, rng)
        return Mutant([Edit("set", name, comp, new=new)], f"component name `{dotted(path + ('name',))}` {name.value!r} -> {new!r}")


class NamePort(Operator):
    name = "name_port"
    summary = "a bad input/output name on a component (its uses follow the rename)"

    def holders(self, src: Source) -> List[Tuple[Tuple[str, ...], yaml.MappingNode]]:
        return list(src.components())

    def sites(self, src):
        out = []
        for path, holder in self.holders(src):
            for side in ("inputs", "outputs"):
                ports = mapping_get(holder, side)
                if isinstance(ports, yaml.MappingNode):
                    for k, _v in ports.value:
                        if isinstance(k, yaml.ScalarNode):
                            out.append((path, holder, side, k))
        return out

    def mutate(self, src, site, rng):
        path, holder, side, key = site
        old = key.value
        new = bad_port_name(old, rng)
        edits = [Edit("rename", key, new=new)]
        # The uses: `${{inputs.x}}` in the component's command (text inside the holder), the node
        # inputs that feed an inline component, `${{parent.inputs.x}}` of the pipeline's nodes.
        lo, hi = holder.start_mark.index, holder.end_mark.index
        if path and path[-1] == "component":
            node = next((p for p in src.nodes() if p.path == path[:-1]), None)
            port_map = mapping_get(node.value, side) if node else None
            if isinstance(port_map, yaml.MappingNode):
                for k, _v in port_map.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == old:
                        edits.append(Edit("rename", k, new=new))
        for p_path, start, end, name, m in binding_spans(src, BIND_COMMAND, 2):
            if lo <= start < hi and name == old and m.group(1) == side and not inside_nested_component(src, holder, start):
                edits.append(Edit("span", start=start, end=end, new=new))
        # `${{parent.inputs.x}}` in the nodes of a pipeline (job or pipeline component).
        for p_path, start, end, name, m in binding_spans(src, BIND_PARENT, 2):
            if lo <= start < hi and name == old and m.group(1) == side and not inside_nested_component(src, holder, start):
                edits.append(Edit("span", start=start, end=end, new=new))
        return Mutant(edits, f"{side[:-1]} `{dotted(path + (side, old))}` renamed `{new}` (its uses too)")


class NameJobPort(NamePort):
    name = "name_job_port"
    summary = "a bad input/output name on a pipeline job (its `${{parent.…}}` uses follow the rename)"

    def holders(self, src):
        return [((), src.root)] if src.kind == "job" and src.is_pipeline_root() else []


def inside_nested_component(src: Source, holder: yaml.Node, index: int) -> bool:
    """The text position lies in a component mapping nested inside `holder`."""
    for _path, comp in src.components():
        if comp is holder:
            continue
        if holder.start_mark.index <= comp.start_mark.index and comp.end_mark.index <= holder.end_mark.index:
            if comp.start_mark.index <= index < comp.end_mark.index:
                return True
    return False


class BindNode(Operator):
    name = "bind_node"
    summary = "a binding to a missing node (`${{parent.jobs.X.outputs.Y}}`)"

    def sites(self, src):
        return binding_spans(src, BIND_NODE, 1)

    def mutate(self, src, site, rng):
        path, start, end, name, _m = site
        new = typo(name, rng, node_names(src))
        if new is None:
            return None
        return Mutant([Edit("span", start=start, end=end, new=new)],
                      f"`{dotted(path)}`: binding to node `{name}` changed to missing node `{new}`")


class BindPort(Operator):
    name = "bind_port"
    summary = "a binding to a missing output port of a node"

    def sites(self, src):
        return binding_spans(src, BIND_NODE, 2)

    def mutate(self, src, site, rng):
        path, start, end, name, m = site
        new = typo(name, rng)
        if new is None:
            return None
        return Mutant([Edit("span", start=start, end=end, new=new)],
                      f"`{dotted(path)}`: binding to output `{m.group(1)}.{name}` changed to missing output `{new}`")


class BindParent(Operator):
    name = "bind_parent"
    summary = "a binding to a missing pipeline input or output (`${{parent.inputs.X}}`)"

    def sites(self, src):
        return binding_spans(src, BIND_PARENT, 2)

    def mutate(self, src, site, rng):
        path, start, end, name, m = site
        declared: List[str] = []
        for pair in src.pairs:
            if len(pair.path) >= 2 and pair.path[-2] == m.group(1):
                declared.append(pair.key.value)
        new = typo(name, rng, declared)
        if new is None:
            return None
        return Mutant([Edit("span", start=start, end=end, new=new)],
                      f"`{dotted(path)}`: binding to parent {m.group(1)[:-1]} `{name}` changed to missing `{new}`")


class BindCommand(Operator):
    name = "bind_command"
    summary = "a command placeholder naming a missing input/output (`${{inputs.X}}`)"

    def sites(self, src):
        return binding_spans(src, BIND_COMMAND, 2, lambda p: bool(p) and p[-1] == "command")

    def mutate(self, src, site, rng):
        path, start, end, name, m = site
        declared = [p.key.value for p in src.pairs if len(p.path) >= 2 and p.path[-2] in ("inputs", "outputs")]
        new = typo(name, rng, declared)
        if new is None:
            return None
        return Mutant([Edit("span", start=start, end=end, new=new)],
                      f"`{dotted(path)}`: `${{{{{m.group(1)}.{name}}}}}` changed to missing `{m.group(1)}.{new}`")


# Paths ---------------------------------------------------------------------------------------


def path_sites(src: Source) -> List[Tuple[Pair, str, str, Path]]:
    """Local paths that exist: (pair, prefix such as 'file:', the path, what it resolves to)."""
    out = []
    base = src.path.parent
    for pair in src.pairs:
        if pair.named or not isinstance(pair.value, yaml.ScalarNode) or scalar_type(pair.value) != "str":
            continue
        if pair.key.value not in ("component", "code", "conda_file", "path"):
            continue
        raw = pair.value.value.strip()
        ref = conformance.local_ref(raw)
        if ref is None or ref.startswith("/") or pair.value.style in ("|", ">"):
            continue
        prefix = "file:" if raw.startswith("file:") else ""
        target = Path(os.path.normpath(base / ref))
        if target.exists():
            out.append((pair, prefix, ref, target))
    return out


def resolves(base: Path, ref: str) -> Path:
    return Path(os.path.normpath(base / ref))


class PathEquivalent(Operator):
    name = "path_equivalent"
    summary = "a local path written another, equivalent way (must stay accepted)"

    def sites(self, src):
        return path_sites(src)

    def mutate(self, src, site, rng):
        pair, prefix, ref, target = site
        base = src.path.parent
        plain = ref[2:] if ref.startswith("./") else ref
        options = []
        options.append(plain if ref.startswith("./") else ("./" + ref if not ref.startswith("../") else ref))
        options.append(f"../{base.name}/{plain}")
        options.append("./" + plain.replace("/", "/./", 1) if "/" in plain else "././" + plain)
        first = plain.split("/", 1)[0]
        if first not in ("..", ".") and (base / first).is_dir():
            options.append(f"{first}/../{plain}")
        if target.is_dir() and not ref.endswith("/"):
            options.append(ref + "/")
        if pair.key.value == "component":
            options.append(("" if prefix else "file:") + ref)
        choices = []
        for opt in options:
            full = opt if opt.startswith("file:") or pair.key.value != "component" or not prefix else prefix + opt
            if full == prefix + ref or full == ref and not prefix:
                continue
            bare = full[len("file:"):] if full.startswith("file:") else full
            if resolves(base, bare) == target:
                choices.append(full)
        if not choices:
            return None
        new = rng.choice(sorted(set(choices)))
        return Mutant([Edit("set", pair.value, pair.parent, new=new)],
                      f"`{pair.dotted}`: {pair.value.value!r} written {new!r} (same target)")


class PathWrong(Operator):
    name = "path_wrong"
    summary = "a local path that names nothing"

    def sites(self, src):
        return path_sites(src)

    def mutate(self, src, site, rng):
        pair, prefix, ref, target = site
        base = src.path.parent
        plain = ref[2:] if ref.startswith("./") else ref
        options = ["../" + plain]
        parts = plain.rstrip("/").split("/")
        wrong_last = typo(parts[-1], rng) if parts[-1] not in ("..", ".") else None
        if wrong_last:
            options.append("/".join(parts[:-1] + [wrong_last]))
        if plain.startswith("../"):
            options.append(plain[3:])
        if len(parts) > 1:
            options.append("./" + parts[-1])
        choices = [prefix + o for o in options if not resolves(base, o).exists()]
        if not choices:
            return None
        new = rng.choice(sorted(set(choices)))
        return Mutant([Edit("set", pair.value, pair.parent, new=new)],
                      f"`{pair.dotted}`: {pair.value.value!r} written {new!r} (names nothing)")


# Environment, compute, node types -------------------------------------------------------------


class EnvMissing(Operator):
    name = "env_missing"
    summary = "the environment of a command/parallel/sweep component, node or job removed"

    def sites(self, src):
        return [p for p in field_pairs(src) if p.key.value == "environment"]

    def mutate(self, src, pair, rng):
        return Mutant([Edit("drop", pair.key, pair.parent)], f"dropped `{pair.dotted}`")


class ComputeMissing(Operator):
    name = "compute_missing"
    summary = "compute removed (every `compute`/`default_compute` of a job, or one of them)"

    def sites(self, src):
        if src.kind != "job":
            return []
        found = [p for p in field_pairs(src) if p.key.value in ("compute", "default_compute")]
        if not found:
            return []
        return [("all", found)] + [("one", [p]) for p in found]

    def mutate(self, src, site, rng):
        how, pairs = site
        edits = [Edit("drop", p.key, p.parent) for p in pairs]
        if how == "all":
            return Mutant(edits, "dropped every compute: " + ", ".join(f"`{p.dotted}`" for p in pairs))
        return Mutant(edits, f"dropped `{pairs[0].dotted}` (the only one dropped)")


def node_type_pairs(src: Source) -> List[Pair]:
    out = []
    for node in src.nodes():
        t = mapping_get(node.value, "type")
        if isinstance(t, yaml.ScalarNode) and scalar_type(t) == "str":
            key = next(k for k, v in node.value.value if v is t)
            out.append(Pair(node.path + ("type",), key, t, node.value, False))
    return out


class NodeTypeOther(Operator):
    name = "node_type_other"
    summary = "a node's type changed to another valid type"

    def sites(self, src):
        return node_type_pairs(src)

    def mutate(self, src, pair, rng):
        old = pair.value.value
        new = rng.choice([t for t in NODE_TYPES if t != old.lower()])
        return Mutant([Edit("set", pair.value, pair.parent, new=new)], f"`{pair.dotted}`: {old!r} -> {new!r}")


class NodeTypeMisspell(Operator):
    name = "node_type_misspell"
    summary = "a node's type misspelt"

    def sites(self, src):
        return node_type_pairs(src)

    def mutate(self, src, pair, rng):
        new = typo(pair.value.value, rng, NODE_TYPES)
        if new is None:
            return None
        return Mutant([Edit("set", pair.value, pair.parent, new=new)],
                      f"`{pair.dotted}`: {pair.value.value!r} misspelt {new!r}")


OPERATORS: List[Operator] = [
    KeyDrop(), KeyMisspell(), KeyDuplicate(), KeyConflict(), ValueType(), EnumCase(), EnumMisspell(),
    NameNode(), NameComponent(), NamePort(), NameJobPort(), BindNode(), BindPort(), BindParent(), BindCommand(),
    PathEquivalent(), PathWrong(), EnvMissing(), ComputeMissing(), NodeTypeOther(), NodeTypeMisspell(),
]
BY_NAME = {op.name: op for op in OPERATORS}


# ---------------------------------------------------------------------------------------------
# Planning: which mutants, deterministically from the seed
# ---------------------------------------------------------------------------------------------


@dataclass
class Plan:
    index: int
    op: str
    source: int  # index into the sources
    site: int  # index into op.sites(source)
    variant: int
    text: str = ""  # the mutant, once made
    what: str = ""


def site_pools(sources: List[Source], seed: int) -> Dict[str, List[Tuple[int, int, int]]]:
    """For each operator, its (source, site, variant) slots in the order they are tried: round the
    files in a shuffled order, a shuffled site of each file each time round; every site once
    before any site again with another variant (another typo, another wrong type)."""
    rng = random.Random(seed)
    pools: Dict[str, List[Tuple[int, int, int]]] = {}
    for op in OPERATORS:
        per_source: List[List[Tuple[int, int, int]]] = []
        order = list(range(len(sources)))
        rng.shuffle(order)
        for s in order:
            n = len(op.sites(sources[s]))
            if n:
                head = [(s, i, 0) for i in range(n)]
                rng.shuffle(head)
                rest = [(s, i, v) for v in (1, 2) for i in range(n)]
                rng.shuffle(rest)
                per_source.append(head + rest)
        pool: List[Tuple[int, int, int]] = []
        depth = 0
        while True:
            added = False
            for slots in per_source:
                if depth < len(slots):
                    pool.append(slots[depth])
                    added = True
            if not added:
                break
            depth += 1
        pools[op.name] = pool
    return pools


def plan_mutants(sources: List[Source], total: int, seed: int) -> List[Plan]:
    """`total` distinct mutants, made here, spread evenly over the operators: each operator takes its
    share from its pool (a slot that gives no mutant, or one already made, is replaced by the next);
    what an exhausted operator cannot give goes to the others."""
    pools = site_pools(sources, seed)
    cursor = {name: 0 for name in pools}
    made: Dict[str, List[Plan]] = {name: [] for name in pools}
    seen: set = set()

    def take_one(name: str) -> bool:
        pool = pools[name]
        while cursor[name] < len(pool):
            s, i, v = pool[cursor[name]]
            cursor[name] += 1
            plan = Plan(0, name, s, i, v)
            mutant = make_mutant(sources[s], plan, seed)
            if mutant is None:
                continue
            digest = hashlib.sha1(f"{s}\0{mutant[0]}".encode()).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            plan.text, plan.what = mutant[0], mutant[2]
            made[name].append(plan)
            return True
        return False

    live = [name for name in pools if pools[name]]
    remaining = total
    while remaining > 0 and live:
        share = max(1, remaining // len(live))
        for name in list(live):
            for _ in range(share):
                if remaining == 0:
                    break
                if not take_one(name):
                    live.remove(name)
                    break
                remaining -= 1
            if remaining == 0:
                break
    plans: List[Plan] = []
    for op in OPERATORS:
        for plan in made[op.name]:
            plan.index = len(plans)
            plans.append(plan)
    return plans


def make_mutant(src: Source, plan: Plan, seed: int) -> Optional[Tuple[str, Any, str]]:
    """(text, data, description) of a planned mutant, or None when the site gives none."""
    op = BY_NAME[plan.op]
    sites = op.sites(src)
    if plan.site >= len(sites):
        return None
    rng = random.Random(f"{seed}/{plan.op}/{src.rel}/{plan.site}/{plan.variant}")
    mutant = op.mutate(src, sites[plan.site], rng)
    if mutant is None:
        return None
    applied = apply_edits(src, mutant.edits)
    if applied is None:
        return None
    text, data = applied
    # A duplicate key may read the same as the original (PyYAML keeps the last value); anything
    # else must change what PyYAML reads.
    if plan.op not in ("key_duplicate", "key_conflict") and data == src.data:
        return None
    return text, data, mutant.what


# ---------------------------------------------------------------------------------------------
# Verdicts
# ---------------------------------------------------------------------------------------------


@dataclass
class Verdict:
    accepted: bool
    key: str  # "accept", our sorted error codes, or the SDK's error key
    message: str = ""  # our first error diagnostic, or the SDK's message


def run_ours(binary: str, path: Path) -> Verdict:
    try:
        proc = subprocess.run([binary, "validate", "--format", "json", str(path)], capture_output=True, text=True,
                              timeout=OURS_TIMEOUT, stdin=subprocess.DEVNULL, cwd=str(path.parent))
    except subprocess.TimeoutExpired:
        return Verdict(False, "TIMEOUT", f"no answer in {OURS_TIMEOUT}s")
    except OSError as e:
        return Verdict(False, "CRASH", f"could not run {binary}: {e}")
    try:
        diagnostics = json.loads(proc.stdout) if proc.stdout.strip() else []
        if not isinstance(diagnostics, list):
            raise ValueError("not a list")
    except ValueError:
        return Verdict(False, "CRASH", one_line_text(f"exit {proc.returncode}: {proc.stderr or proc.stdout}", 300))
    errors = [d for d in diagnostics if isinstance(d, dict) and d.get("severity") == "error"]
    if proc.returncode not in (0, 1):
        return Verdict(False, "CRASH", one_line_text(f"exit {proc.returncode}: {proc.stderr}", 300))
    if not errors:
        if proc.returncode != 0:
            return Verdict(False, "EXIT1-NO-ERROR", one_line_text(proc.stderr or "exit 1 without an error", 300))
        return Verdict(True, "accept")
    codes = ",".join(sorted({str(d.get("code", "?")) for d in errors}))
    first = errors[0]
    where = first.get("path") or ""
    file = Path(str(first.get("file", ""))).name
    text = f"{first.get('code')} {file}:{first.get('line')}:{first.get('column')} {where}: {first.get('message', '')}"
    return Verdict(False, codes, one_line_text(text, 300))


def one_line_text(text: Any, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# The SDK's error key ------------------------------------------------------------------------

# After these keys of a YAML path comes a name the user chose.
NAMED_SEGMENTS = NAME_MAPS | {"fields"}
BINDING_ALTERNATIVE = re.compile(r"^Value passed is not a data binding string", re.I)
NORMALISE = [
    (re.compile(r"(?<![\w.])(/[^\s'\"]+)+"), "<path>"),  # absolute paths
    (re.compile(r"\$\{\{[^}]*\}\}"), "<binding>"),
    (re.compile(r"'[^']*'"), "<v>"),
    (re.compile(r'"[^"]*"'), "<v>"),
    (re.compile(r"\bValue \S+ passed\b"), "Value <v> passed"),
    (re.compile(r"(Currently got|got|but got|found|given|type of)\s+\S+?(?=[.,;]?(\s|$))", re.I), r"\1 <v>"),
    (re.compile(r":\s*[^\s:]+\.?$"), ": <v>"),
    (re.compile(r"\b\d+(\.\d+)?\b"), "<n>"),
]


def strip_brackets(text: str) -> str:
    """Every bracketed value (a dict or list the SDK printed, however nested) as <v> or <list>."""
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch in "{[" and not text.startswith("{{", i):
            inner = balanced(text, i)
            if inner is not None:
                out.append("<list>" if ch == "[" else "<v>")
                i += len(inner)
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def normalise_path(path: str) -> str:
    parts = [p for p in re.split(r"\.(?![^\[]*\])", str(path).strip()) if p != ""]
    out: List[str] = []
    for part in parts:
        if out and out[-1] in NAMED_SEGMENTS:
            out.append("*")
        elif part == "value" and out and out[-1] == "*":
            continue  # marshmallow's Dict fields report a value's errors under "value"
        elif part.isdigit() or re.fullmatch(r"\[\d+\]", part):
            out.append("*")
        else:
            out.append(part)
    return ".".join(out) or "-"


def normalise_message(message: str) -> str:
    clauses = [c.strip() for c in re.split(r";\s+", str(message)) if c.strip()]
    kept = [c for c in clauses if not is_noise(c)]
    text = (kept or clauses or [""])[0].splitlines()[0]
    text = NORMALISE[0][0].sub(NORMALISE[0][1], text)
    text = NORMALISE[1][0].sub(NORMALISE[1][1], text)
    text = strip_brackets(text)
    for pattern, repl in NORMALISE[2:]:
        text = pattern.sub(repl, text)
    text = " ".join(text.split()).rstrip(".")
    return text[:90]


def embedded_report(text: str) -> Any:
    """The report an SDK message embeds: JSON, or, for a message that is one, a Python literal
    (marshmallow's dict, printed; several are joined with "; ": the first is taken)."""
    text = str(text)
    start = text.find("{")
    literal_ok = text.lstrip().startswith("{")
    while start >= 0:
        try:
            report, _ = json.JSONDecoder().raw_decode(text[start:])
            return report
        except ValueError:
            pass
        literal = balanced(text, start) if literal_ok else None
        if literal is not None:
            try:
                return ast.literal_eval(literal)
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                pass
        if literal_ok:
            return None
        start = text.find("{", start + 1)
    return None


def balanced(text: str, start: int) -> Optional[str]:
    """The bracketed text that opens at `start` (quotes respected), or None if it does not close."""
    depth, quote, i = 0, "", start
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
        i += 1
    return None


def report_leaves(report: Any, where: str) -> Iterable[Tuple[str, str]]:
    """(path, message) of every error in a report, in order; nested reports are opened."""
    if isinstance(report, dict):
        errors = report.get("errors")
        if isinstance(errors, list):
            for err in errors:
                if not isinstance(err, dict):
                    continue
                path = str(err.get("path") or "")
                path = "" if path == "*" else path
                sub = f"{where}.{path}".strip(".") if where else path
                yield from message_leaves(str(err.get("message", "")), sub)
            return
        for key, value in report.items():
            if key in ("result", "warnings"):
                continue
            sub = where if key == "_schema" else (f"{where}.{key}" if where else str(key))
            yield from report_leaves(value, sub)
        return
    if isinstance(report, list):
        for item in report:
            yield from report_leaves(item, where)
        return
    if str(report).strip():
        yield from message_leaves(str(report), where)


def message_leaves(message: str, where: str) -> Iterable[Tuple[str, str]]:
    inner = embedded_report(message) if "{" in message else None
    if isinstance(inner, (dict, list)):
        found = list(report_leaves(inner, where))
        if found:
            yield from found
            return
    yield where, message


def is_noise(message: str) -> bool:
    text = message.strip()
    return not text or text.startswith(conformance.NOISE) or bool(BINDING_ALTERNATIVE.match(text))


def first_report_error(text: str) -> Optional[Tuple[str, str]]:
    """(path, message) of the first error that says something about the file (union fields list
    every alternative they tried: "not a binding", "not a valid URL" are skipped when others exist)."""
    report = embedded_report(text)
    if report is None:
        return None
    leaves = list(report_leaves(report, ""))
    if not leaves:
        return None
    return next((leaf for leaf in leaves if not is_noise(leaf[1])), leaves[0])


def sdk_key(exc_type: str, path: str, message: str) -> str:
    if message.strip().rstrip(".") == "Unknown field" and path:
        path = path.rsplit(".", 1)[0] + ".<unknown>" if "." in path else "<unknown>"
    return f"{exc_type} {normalise_path(path)}: {normalise_message(message)}".replace("#", "")


def key_from_exception(exc: BaseException, prefix: str = "") -> Tuple[str, str]:
    """(key, message) for an exception raised by a loader or _validate()."""
    text = str(exc)
    exc_type = type(exc).__name__
    found = first_report_error(text)
    if found is not None:
        path, message = found
    else:
        path, message = "", conformance.strip_noise(text) or text
    if prefix:
        path = f"{prefix}.{path}".strip(".")
    return sdk_key(exc_type, path, message), text


class Judge:
    """The SDK's verdict, in this process."""

    def __init__(self) -> None:
        self.sdk = conformance.Sdk()

    def __call__(self, path: Path, kind: str) -> Verdict:
        def alarm(_signum: int, _frame: Any) -> None:
            raise TimeoutError(f"the SDK took over {SDK_TIMEOUT}s")

        old = signal.signal(signal.SIGALRM, alarm)
        signal.alarm(SDK_TIMEOUT)
        try:
            return self.judge(path, kind)
        except TimeoutError as e:
            return Verdict(False, "SDK-TIMEOUT", str(e))
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)

    def judge(self, path: Path, kind: str) -> Verdict:
        try:
            entity = self.sdk.loaders[kind](str(path))
        except TimeoutError:
            raise
        except Exception as e:  # noqa: BLE001  (any failure is the SDK's verdict)
            key, text = key_from_exception(e)
            return Verdict(False, key, sdk_message(text, path))
        # The entity, and every inline component of its nodes (as conformance.py does), and, unlike
        # conformance.py, those nested in inline or file pipeline components too: `az ml` registers
        # each of them, and validates it then, when the job or pipeline component is created.
        targets: List[Tuple[str, Any]] = [("", entity)]

        def add_nodes(prefix: str, holder: Any) -> None:
            for name, node in (getattr(holder, "jobs", None) or {}).items():
                component = getattr(node, "component", None)
                if isinstance(component, self.sdk.Component):
                    where = f"{prefix}jobs.{name}.component"
                    targets.append((where, component))
                    add_nodes(where + ".", component)

        if isinstance(entity, (self.sdk.PipelineJob, self.sdk.Component)):
            add_nodes("", entity)
        for prefix, target in targets:
            check = getattr(target, "_validate", None)
            if check is None:
                continue
            try:
                result = check()
            except TimeoutError:
                raise
            except Exception as e:  # noqa: BLE001
                key, text = key_from_exception(e, prefix)
                return Verdict(False, "validate:" + key, sdk_message(text, path))
            if isinstance(result, self.sdk.ValidationResult) and not result.passed:
                errors = getattr(result, "_errors", None) or []
                if errors:
                    where, message = str(errors[0].yaml_path or ""), str(errors[0].message or "")
                else:
                    where, message = next(iter(result.error_messages.items()), ("", "failed"))
                where = f"{prefix}.{where}".strip(".") if prefix else where
                full = "; ".join(f"{p}: {m}" for p, m in result.error_messages.items())
                return Verdict(False, sdk_key("validate", where, message), sdk_message(
                    (f"{prefix}: " if prefix else "") + full, path))
        return Verdict(True, "accept")


def sdk_message(text: str, path: Path) -> str:
    return one_line_text(conformance.summarise(text, 600).replace(f"{path.parent}/", ""), 300)


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------


@dataclass
class Result:
    index: int
    op: str
    source: str
    what: str
    ours: Verdict
    sdk: Verdict
    kept: str = ""
    seconds: Tuple[float, float] = (0.0, 0.0)  # ours, the SDK

    @property
    def outcome(self) -> str:
        if self.ours.accepted and self.sdk.accepted:
            return "agree"
        if not self.ours.accepted and not self.sdk.accepted:
            return "both_reject"
        return "we_reject" if not self.ours.accepted else "we_accept"

    @property
    def cls(self) -> Tuple[str, str, str]:
        return (self.op, self.ours.key, self.sdk.key)


# State shared with forked workers (set up before the fork, read-only after).
STATE: Dict[str, Any] = {}


def mutant_path(src: Source, index: int) -> Path:
    return src.path.with_name(f"{src.path.stem}.mutant{index:05d}{src.path.suffix}")


def timed(fn: Callable[..., Any], *args: Any) -> Tuple[float, Any]:
    t0 = time.monotonic()
    value = fn(*args)
    return time.monotonic() - t0, value


def mutant_kind(text: str, kind: str) -> str:
    """How the mutant is loaded: as its source is, unless the mutation changed what the file says
    it is (a `$schema` dropped or misspelt, a `type` changed), when it is classified anew, by the
    rule `pipeline validate` follows too (conformance.classify)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return kind
    again = conformance.classify(data)
    return again if again in ("job", "component", "compute") else kind


def judge_plans(plans: List[Plan]) -> List[Optional[Result]]:
    sources: List[Source] = STATE["sources"]
    judge: Judge = STATE["judge"]
    binary: str = STATE["binary"]
    keep: bool = STATE["keep"]
    out: List[Optional[Result]] = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        for plan in plans:
            src = sources[plan.source]
            text, what = plan.text, plan.what
            target = mutant_path(src, plan.index)
            target.write_text(text, encoding="utf-8")
            try:
                ours_future = pool.submit(timed, run_ours, binary, target)  # ours runs while the SDK works
                sdk_s, sdk = timed(judge, target, mutant_kind(text, src.kind))
                ours_s, ours = ours_future.result()
            finally:
                if not keep:
                    target.unlink(missing_ok=True)
            out.append(Result(plan.index, plan.op, src.rel, what, ours, sdk, str(target) if keep else "",
                              (ours_s, sdk_s)))
    return out


def run_plans(plans: List[Plan], jobs: int) -> List[Result]:
    chunks = [plans[i:i + 20] for i in range(0, len(plans), 20)]
    results: List[Result] = []
    started = time.monotonic()
    done = 0

    def progress(batch: List[Optional[Result]]) -> None:
        nonlocal done
        done += len(batch)
        results.extend(r for r in batch if r is not None)
        if done % 200 < 20 or done == len(plans):
            rate = done / max(time.monotonic() - started, 1e-6)
            log(f"  {done}/{len(plans)} mutants judged ({rate:.1f}/s)")

    if jobs <= 1:
        for chunk in chunks:
            progress(judge_plans(chunk))
    else:
        # Forked once: each worker is a long-lived copy of this process with the SDK imported.
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(jobs) as pool:
            for batch in pool.imap_unordered(judge_plans, chunks):
                progress(batch)
    results.sort(key=lambda r: r.index)
    return results


# ---------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------


def emit_examples(dest: Path) -> List[Path]:
    """Every example's definitions, emitted into `dest` (as conformance.sh does)."""
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for source in sorted((REPO / "examples").glob("*.rs")):
        binary = REPO / "target" / "debug" / "examples" / source.stem
        if not binary.is_file():
            log(f"warning: example binary {binary} missing (cargo build --examples)")
            continue
        listed = subprocess.run([str(binary), "list"], capture_output=True, text=True, timeout=60)
        for line in listed.stdout.splitlines():
            if not line.split():
                continue
            name = line.split()[0]
            target = dest / f"{source.stem}-{name}.yml"
            proc = subprocess.run([str(binary), "emit", name, "-o", str(target)], capture_output=True, text=True,
                                  timeout=60)
            if proc.returncode != 0:
                log(f"warning: {source.stem} emit {name} failed: {proc.stderr.strip()[:200]}")
    for path in conformance.yaml_files(dest):
        out.append(path)
    return out


def gather_sources(work: Path, corpus: Optional[Path], examples: bool) -> List[Tuple[Path, str, str]]:
    found: List[Tuple[Path, str, str]] = []
    if corpus is not None:
        # Quiet: conformance prints how many stand-ins it made.
        kinds = conformance.prepare_copy(corpus, work / "corpus", False)
        for path, kind in sorted(kinds.items()):
            if kind in conformance.KINDS:
                found.append((path, str(path.relative_to(work / "corpus")), kind))
    if examples:
        for path in emit_examples(work / "examples"):
            kind = conformance.read_kind(path)
            if kind in conformance.KINDS:
                found.append((path, f"examples/{path.name}", kind))
    return found


# ---------------------------------------------------------------------------------------------
# Allow-list
# ---------------------------------------------------------------------------------------------


@dataclass
class AllowList:
    entries: Dict[Tuple[str, str, str], str] = field(default_factory=dict)
    problems: List[str] = field(default_factory=list)


def parse_allow(text: str, name: str = "allow-list") -> AllowList:
    """`operator | our codes | sdk key  # why we are right`, one class a line; `#` lines are comments."""
    allow = AllowList()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        body, sep, reason = line.partition(" # ")
        parts = [p.strip() for p in body.split(" | ")]
        where = f"{name}:{number}"
        if len(parts) != 3 or not all(parts):
            allow.problems.append(f"{where}: not `operator | codes | sdk key  # reason`: {line}")
            continue
        op, codes, key = parts
        if not sep or not reason.strip():
            allow.problems.append(f"{where}: no reason given (` # why we are right`): {line}")
            continue
        if op not in BY_NAME and op != "original":
            allow.problems.append(f"{where}: unknown operator `{op}`")
            continue
        if codes == "accept" or not re.fullmatch(r"[A-Z]+[0-9]+(,[A-Z]+[0-9]+)*", codes):
            allow.problems.append(f"{where}: our codes must be a sorted list such as `E040` or `E006,E040`, "
                                  f"not `{codes}` (only classes where we reject belong here)")
            continue
        if codes != ",".join(sorted(set(codes.split(",")))):
            allow.problems.append(f"{where}: codes not sorted: `{codes}`")
            continue
        if key != "accept":
            allow.problems.append(f"{where}: the SDK's key must be `accept` (we are stricter than the SDK), "
                                  f"not `{key}`")
            continue
        if "*" in op or "*" in codes or "?" in codes:
            allow.problems.append(f"{where}: no wildcards")
            continue
        allow.entries[(op, codes, key)] = reason.strip()
    return allow


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def report(results: List[Result], baseline: List[Result], allow: AllowList, meta: Dict[str, Any]
           ) -> Tuple[str, int, int, List[Tuple[str, str, str]]]:
    lines: List[str] = []
    add = lines.append
    add(f"# Differential test: `pipeline validate` vs azure-ai-ml {meta['sdk_version']}")
    add("")
    add(f"- seed {meta['seed']}, {len(results)} mutants judged ({meta['asked']} asked for"
        + (f"; the operators' sites ran out at {meta['planned']}" if meta['planned'] < meta['asked'] else "")
        + f"), jobs {meta['jobs']}")
    add(f"- sources: {meta['sources']} files the SDK accepts as written "
        f"({meta['mutated_sources']} mutated; {meta['excluded']} left out because we reject them as written, "
        f"see Baseline); {meta['sdk_rejects']} corpus files the SDK rejects as written are not used")
    n = max(1, len(results))
    add(f"- time: setup {meta['setup']:.0f}s (copy, stand-ins, examples, sources judged as written), "
        f"mutants {meta['elapsed']:.0f}s; per mutant: ours {1000 * sum(r.seconds[0] for r in results) / n:.0f} ms, "
        f"the SDK {1000 * sum(r.seconds[1] for r in results) / n:.0f} ms")
    add("")

    def classify(r: Result) -> str:
        if r.outcome in ("agree", "both_reject"):
            return "pass"
        return "allowed" if r.cls in allow.entries else "fail"

    everything = baseline + results
    passed = sum(1 for r in everything if classify(r) != "fail")
    failed = len(everything) - passed

    add("## Per operator")
    add("")
    add("| operator | mutants | agree | we reject, SDK accepts | we accept, SDK rejects | both reject | allowed | failed |")
    add("|---|---:|---:|---:|---:|---:|---:|---:|")
    by_op: Dict[str, List[Result]] = defaultdict(list)
    for r in everything:
        by_op[r.op].append(r)
    totals = Counter()
    for name in ["original"] + [op.name for op in OPERATORS]:
        rs = by_op.get(name, [])
        c = Counter(r.outcome for r in rs)
        k = Counter(classify(r) for r in rs)
        row = [len(rs), c["agree"] + c["both_reject"], c["we_reject"], c["we_accept"], c["both_reject"],
               k["allowed"], k["fail"]]
        totals.update(dict(zip(range(7), row)))
        add(f"| {name} | " + " | ".join(str(x) for x in row) + " |")
    add("| **total** | " + " | ".join(str(totals[i]) for i in range(7)) + " |")
    add("")
    add("`agree` counts both-accept and both-reject; `original` is each source as written (not a mutant).")
    add("")

    groups: Dict[Tuple[str, str, str], List[Result]] = defaultdict(list)
    for r in everything:
        if r.outcome in ("we_reject", "we_accept"):
            groups[r.cls].append(r)
    failing = sorted((c for c in groups if c not in allow.entries), key=lambda c: (-len(groups[c]), c))
    allowed = sorted((c for c in groups if c in allow.entries), key=lambda c: (-len(groups[c]), c))

    def section(title: str, classes: List[Tuple[str, str, str]]) -> None:
        add(f"## {title} ({len(classes)} classes, {sum(len(groups[c]) for c in classes)} mutants)")
        add("")
        for n, c in enumerate(classes, 1):
            rs = groups[c]
            ex = rs[0]
            files = len({r.source for r in rs})
            add(f"### {n}. `{c[0]} | {c[1]} | {c[2]}`")
            add("")
            add(f"{len(rs)} case(s) from {files} file(s); "
                + ("we reject, the SDK accepts" if ex.outcome == "we_reject" else "we accept, the SDK rejects")
                + (f"; allowed: {allow.entries[c]}" if c in allow.entries else ""))
            add("")
            add(f"- source: `{ex.source}`" + (f" (kept: `{ex.kept}`)" if ex.kept else ""))
            add(f"- mutation: {ex.what}")
            add(f"- ours: {ex.ours.message or 'accept'}")
            add(f"- SDK: {ex.sdk.message or 'accept'}")
            add("")

    section("Unexplained disagreements", failing)
    if allowed:
        section("Allowed disagreements (scripts/differential_allow.txt)", allowed)
    unused = [c for c in allow.entries if c not in groups]
    if unused:
        add(f"## Allow-list entries not seen in this run ({len(unused)})")
        add("")
        for c in unused:
            add(f"- `{' | '.join(c)}`")
        add("")
    return "\n".join(lines), passed, failed, failing


# ---------------------------------------------------------------------------------------------
# Self-test (no SDK needed)
# ---------------------------------------------------------------------------------------------

SELF_PIPELINE = """\
$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json
type: pipeline
settings:
  default_compute: azureml:cpu-cluster   # a comment that must survive
inputs:
  raw:
    type: uri_folder
    path: ./data
  lr: 0.01
jobs:
  prep:
    type: command
    component: ./prep.yml
    inputs:
      raw_data: ${{parent.inputs.raw}}
  train:
    type: command
    compute: azureml:gpu
    component:
      name: train
      type: command
      inputs:
        data: {type: uri_folder}
        lr: {type: number}
      outputs:
        model: {type: mlflow_model, mode: rw_mount}
      code: ./src
      environment: azureml:env@latest
      command: python train.py --data ${{inputs.data}} --lr ${{inputs.lr}} --model ${{outputs.model}}
    inputs:
      data: ${{parent.jobs.prep.outputs.train}}
      lr: ${{parent.inputs.lr}}
"""

SELF_COMPONENT = """\
name: prep
type: command
inputs:
  raw_data:
    type: uri_folder
outputs:
  train:
    type: uri_folder
environment: azureml:env@latest
command: python prep.py ${{inputs.raw_data}} ${{outputs.train}}
"""


def self_test() -> int:
    failures: List[str] = []

    def check(ok: bool, what: str) -> None:
        if not ok:
            failures.append(what)

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        (base / "data").mkdir()
        (base / "src").mkdir()
        (base / "pipeline.yml").write_text(SELF_PIPELINE)
        (base / "prep.yml").write_text(SELF_COMPONENT)
        pipe = Source.read(base / "pipeline.yml", "pipeline.yml", "job")
        comp = Source.read(base / "prep.yml", "prep.yml", "component")
        assert pipe is not None and comp is not None
        sources = [pipe, comp]
        # Every operator has a site in one of the two files, and really mutates it.
        for op in OPERATORS:
            made = 0
            for s, src in enumerate(sources):
                for i in range(len(op.sites(src))):
                    for v in range(3):
                        m = make_mutant(src, Plan(0, op.name, s, i, v), 7)
                        if m is None:
                            continue
                        text, data, what = m
                        made += 1
                        check(text != src.text, f"{op.name}: mutant equals the original ({what})")
                        if op.name == "key_duplicate":
                            check(data == src.data, f"{op.name}: data changed ({what})")
                        elif op.name == "key_conflict":
                            key = what.split("`")[1].rsplit(".", 1)[-1]
                            check(len(re.findall(rf"(?m)^\s*{re.escape(key)}:", text)) > len(
                                re.findall(rf"(?m)^\s*{re.escape(key)}:", src.text)), f"{op.name}: no second key ({what})")
                        else:
                            check(data != src.data, f"{op.name}: PyYAML reads the same data ({what})")
                        if op.name == "path_equivalent":
                            check(Source.read(base / "pipeline.yml", "", "job") is not None, "re-read")
            check(made > 0, f"{op.name}: no mutant from the self-test files")
        # Text edits keep the comment.
        m = make_mutant(pipe, Plan(0, "node_type_misspell", 0, 0, 0), 1)
        check(m is not None and "a comment that must survive" in m[0], "text edit lost the comment")
        # A node rename follows into the bindings.
        sites = NameNode().sites(pipe)
        prep = next(i for i, p in enumerate(sites) if p.key.value == "prep")
        m = make_mutant(pipe, Plan(0, "name_node", 0, prep, 0), 3)
        check(m is not None and "parent.jobs.prep." not in m[0], "node rename left a binding behind")
        # Equivalent paths resolve to the same place; wrong ones to nothing.
        for s, src in enumerate(sources):
            for i, (pair, _prefix, ref, target) in enumerate(path_sites(src)):
                for v in range(3):
                    m = make_mutant(src, Plan(0, "path_equivalent", s, i, v), 5)
                    if m:
                        new = dig(m[1], pair.path)
                        new = new[5:] if new.startswith("file:") else new
                        check(resolves(base, new) == target, f"path_equivalent: {ref} -> {new} moved")
                    m = make_mutant(src, Plan(0, "path_wrong", s, i, v), 5)
                    if m:
                        new = dig(m[1], pair.path)
                        new = new[5:] if new.startswith("file:") else new
                        check(not resolves(base, new).exists(), f"path_wrong: {ref} -> {new} exists")
        # Determinism: the same seed plans and makes the same mutants.
        a = [(p.op, p.source, p.site, p.variant, p.text) for p in plan_mutants(sources, 60, 11)]
        b = [(p.op, p.source, p.site, p.variant, p.text) for p in plan_mutants(sources, 60, 11)]
        check(a == b and len(a) == 60, f"planning is not deterministic or not the size asked ({len(a)})")
        ops = Counter(x[0] for x in a)
        check(len(ops) == len(OPERATORS), f"not every operator planned: {sorted(set(BY_NAME) - set(ops))}")
        check(len({(x[1], x[4]) for x in a}) == len(a), "the same mutant planned twice")
        c = [(p.op, p.text) for p in plan_mutants(sources, 60, 12)]
        check(c != [(x[0], x[4]) for x in a], "another seed plans the same mutants")

    # Class keys: the same problem in two files with other names gives one key.
    def report_error(path: str, message: str, value: str) -> str:
        body = json.dumps({"result": "Failed", "errors": [{"message": message, "path": path, "value": value,
                                                           "location": "/x/y.yml#line 3"}]}, indent=2)
        return f"Validation for PipelineJobSchema failed:\n\n {body} \n\n If you are trying to configure ..."

    class ValidationError(Exception):
        pass

    k1 = key_from_exception(ValidationError(report_error(
        "jobs.train.type", "Value 'comand' passed is not in set ['command', 'import']", "comand")))[0]
    k2 = key_from_exception(ValidationError(report_error(
        "jobs.score_step.type", "Value 'commnd' passed is not in set ['command', 'import', 'sweep']", "commnd")))[0]
    check(k1 == k2, f"keys differ: {k1!r} vs {k2!r}")
    check(k1 == "ValidationError jobs.*.type: Value <v> passed is not in set <list>", f"unexpected key {k1!r}")
    k3 = key_from_exception(ValidationError(report_error(
        "jobs.a.limits.timeout", "Value passed is not a data binding string: abc; Not a valid integer.", "abc")))[0]
    check(k3 == "ValidationError jobs.*.limits.timeout: Not a valid integer", f"unexpected key {k3!r}")
    k4 = sdk_key("validate", "jobs.node_1.compute", "Compute not set")
    check(k4 == "validate jobs.*.compute: Compute not set", f"unexpected key {k4!r}")
    k5 = sdk_key("validate", "command", "Invalid data binding expression: inputs.x")
    k6 = sdk_key("validate", "command", "Invalid data binding expression: outputs.model_dir")
    check(k5 == k6, f"keys differ: {k5!r} vs {k6!r}")
    k9 = sdk_key("ValidationError", "jobs.a.task", "Value {'type': 'x', 'env': {'image': 'y'}} passed is not in set ['a', 'b']")
    check(k9 == "ValidationError jobs.*.task: Value <v> passed is not in set <list>", f"unexpected key {k9!r}")
    k10 = sdk_key("ValidationError", "jobs.n.component", "In order to specify an existing components, please ...:\n"
                  "1. The full ARM ID; Not supporting non file for component")
    check(k10 == "ValidationError jobs.*.component: Not supporting non file for component", f"unexpected key {k10!r}")
    k7 = sdk_key("ValidationError", "jobs.Train-1", "Pipeline node name should be ... Currently got Train-1.")
    k8 = sdk_key("ValidationError", "jobs.1score", "Pipeline node name should be ... Currently got 1score.")
    check(k7 == k8, f"keys differ: {k7!r} vs {k8!r}")

    # Allow-list: reasons required, exact classes only.
    good = parse_allow("# comment\nbind_node | E020 | accept  # the node does not exist: submit fails\n")
    check(not good.problems and ("bind_node", "E020", "accept") in good.entries, f"allow-list: {good.problems}")
    for bad in ("bind_node | E020 | accept\n", "bind_node | E020 | accept #   \n", "bind_* | E020 | accept # x\n",
                "bind_node | accept | accept # x\n", "bind_node | E020 | ValidationError x: y # x\n",
                "bind_node | E040,E020 | accept # x\n"):
        check(bool(parse_allow(bad).problems), f"allow-list accepted {bad!r}")

    for f in failures:
        print(f"FAIL {f}")
    print(f"self-test: {'ok' if not failures else f'{len(failures)} failed'}")
    return 1 if failures else 0


def dig(data: Any, path: Sequence[str]) -> Any:
    for part in path:
        if part.startswith("["):
            data = data[int(part[1:-1])]
        else:
            data = data[part]
    return data


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def parse_args(argv: List[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Mutate real Azure ML YAML; compare `pipeline validate` with azure-ai-ml.")
    parser.add_argument("--seed", type=int, default=SAMPLE_SEED, help=f"random seed (default {SAMPLE_SEED})")
    parser.add_argument("--mutants", type=int, help=f"mutants in all, spread over the operators (default {SAMPLE_MUTANTS})")
    parser.add_argument("--sample", action="store_true",
                        help=f"the CI preset: {SAMPLE_MUTANTS} mutants, seed {SAMPLE_SEED}")
    parser.add_argument("--allow", default=str(DEFAULT_ALLOW), help="allow-list file (default scripts/differential_allow.txt)")
    parser.add_argument("--pipeline", default=str(REPO / "target" / "debug" / "pipeline"), help="our binary")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (forked once each; default 1)")
    parser.add_argument("--report", help="also write the markdown report to this file")
    parser.add_argument("--results", metavar="FILE", help="write every case (mutant or original) as JSON lines")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR (created; must not exist) and keep every mutant there")
    parser.add_argument("--corpus", help="corpus root (default: $PIPELINE_CORPUS or <repo>/../shared/corpus)")
    parser.add_argument("--no-examples", action="store_true", help="do not mutate the examples' emitted YAML")
    parser.add_argument("--operators", help="comma-separated operators to run (default: all)")
    parser.add_argument("--self-test", action="store_true", help="check the operators and class keys, without the SDK")
    args = parser.parse_args(argv)
    if args.sample:
        if args.mutants is None:
            args.mutants = SAMPLE_MUTANTS
    if args.mutants is None:
        args.mutants = SAMPLE_MUTANTS
    return args


def main(argv: List[str]) -> int:
    args = parse_args(argv)
    if args.self_test:
        return self_test()
    started = time.monotonic()

    allow_path = Path(args.allow)
    if allow_path.is_file():
        allow = parse_allow(allow_path.read_text(encoding="utf-8"), str(allow_path))
    else:
        allow = AllowList(problems=[] if args.allow == str(DEFAULT_ALLOW) else [f"allow-list not found: {allow_path}"])
    if args.operators:
        wanted = [o.strip() for o in args.operators.split(",") if o.strip()]
        unknown = [o for o in wanted if o not in BY_NAME]
        if unknown:
            print(f"error: unknown operators: {', '.join(unknown)}", file=sys.stderr)
            return 2
        OPERATORS[:] = [op for op in OPERATORS if op.name in wanted]
    binary = str(Path(args.pipeline).resolve())
    if not Path(binary).is_file():
        print(f"error: our binary not found: {binary} (cargo build -p pipeline-cli, or --pipeline)", file=sys.stderr)
        return 2
    corpus = conformance.find_corpus(args)
    if corpus is None and args.no_examples:
        print("error: no corpus and no examples: nothing to mutate", file=sys.stderr)
        return 2
    if corpus is None:
        log("warning: corpus not found; mutating the examples only")
        if "CI" in os.environ:
            print("differential: 0 passed, 1 failed (corpus not found in CI)")
            return 1

    if args.keep:
        work = Path(args.keep).resolve()
        if work.exists() and any(work.iterdir()):
            print(f"error: --keep {work}: the folder exists and is not empty", file=sys.stderr)
            return 2
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="differential-")).resolve()

    conformance.block_network()
    try:
        log("loading the SDK ...")
        judge = Judge()
        found = gather_sources(work, corpus, not args.no_examples)
        log(f"judging {len(found)} files as written ...")
        sources: List[Source] = []
        baseline: List[Result] = []
        sdk_rejects = excluded = 0
        for path, rel, kind in found:
            sdk = judge(path, kind)
            if not sdk.accepted:
                sdk_rejects += 1
                continue
            ours = run_ours(binary, path)
            baseline.append(Result(-1, "original", rel, "none (the file as written)", ours, sdk))
            if not ours.accepted:
                excluded += 1
                continue
            src = Source.read(path, rel, kind)
            if src is not None:
                sources.append(src)
        plans = plan_mutants(sources, args.mutants, args.seed)
        setup = time.monotonic() - started
        log(f"{len(sources)} sources; {len(plans)} mutants planned over {len(OPERATORS)} operators "
            f"(setup {setup:.0f}s)")
        STATE.update(sources=sources, judge=judge, binary=binary, seed=args.seed, keep=bool(args.keep))
        t0 = time.monotonic()
        results = run_plans(plans, max(1, args.jobs))
        elapsed = time.monotonic() - t0
    finally:
        if args.keep:
            log(f"kept the work folder and the mutants: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    meta = dict(sdk_version=os.environ.get("SDK_VERSION") or sdk_version(), seed=args.seed, planned=len(plans),
                asked=args.mutants,
                jobs=args.jobs, sources=len(baseline), mutated_sources=len(sources), excluded=excluded,
                sdk_rejects=sdk_rejects, setup=setup, elapsed=elapsed)
    text, passed, failed, failing = report(results, baseline, allow, meta)
    print(text)
    if args.report:
        Path(args.report).parent.mkdir(parents=True, exist_ok=True)
        Path(args.report).write_text(text + "\n", encoding="utf-8")
    if args.results:
        with open(args.results, "w", encoding="utf-8") as out:
            for r in baseline + results:
                out.write(json.dumps({
                    "index": r.index, "op": r.op, "source": r.source, "mutation": r.what, "outcome": r.outcome,
                    "class": " | ".join(r.cls), "allowed": r.cls in allow.entries,
                    "ours": r.ours.key, "ours_first": r.ours.message, "sdk": r.sdk.key, "sdk_message": r.sdk.message,
                    "kept": r.kept}) + "\n")
    for problem in allow.problems:
        print(f"allow-list: {problem}")
    if failing:
        print(f"\nUNEXPLAINED DISAGREEMENT CLASSES ({len(failing)}): operator | ours | SDK")
        for c in failing:
            print(f"  {c[0]} | {c[1]} | {c[2]}")
    print(f"total time: {time.monotonic() - started:.0f}s")
    print(f"differential: {passed} passed, {failed} failed")
    return 1 if failed or allow.problems else 0


def sdk_version() -> str:
    try:
        import importlib.metadata as metadata

        return metadata.version("azure-ai-ml")
    except Exception:  # noqa: BLE001
        return "?"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
