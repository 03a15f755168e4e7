"""Writes pipeline-schema's generated tables from the azure-ai-ml SDK's own marshmallow schemas.

    python gen_schema.py OUT_DIR      (run by scripts/gen_schema.sh with the pinned SDK's python)

What it reads, all from `azure.ai.ml._schema`:
- every schema the YAML of the document kinds below reaches (through nested, union, list and dict
  fields), and for each its keys: `field.data_key or name`, `required`, `load_only`, `dump_only`,
  what kind of value it takes, which schemas it nests (with the `unknown` policy the nesting
  field applies), and the schema's own `unknown` policy;
- every `StringTransformedEnum` field among them: the allowed values as the SDK lists them (read
  before the field transforms them), and how the SDK compares a value with them, found by
  running the field's own `casing_transform` on probe strings (not by reading its source);
- the node kinds a pipeline's `jobs` take (the keys of the `TypeSensitiveUnionField` of
  `PipelineJobSchema.jobs`) and the schemas each kind is tried against;
- probes of `camel_to_snake`, so that a Rust unit test holds our copy of it to the SDK's.

The output is deterministic: the same SDK gives the same bytes (gen_schema.sh formats it).
"""

import importlib
import importlib.metadata
import os
import re
import sys

# Control-flow nodes (do_while, if_else, parallel_for) are only in the schemas with this set.
os.environ["AZURE_ML_CLI_PRIVATE_FEATURES_ENABLED"] = "true"

import warnings

warnings.filterwarnings("ignore")

import importlib.abc  # noqa: E402
import importlib.machinery  # noqa: E402

FIELDS_MODULE = "azure.ai.ml._schema.core.fields"


def _recording(enum_class):
    """The allowed values as written in the schema: the field's __init__ replaces them with their
    transformed form, so keep the originals (deep copies of the field keep them too)."""
    original = enum_class.__init__

    def init(self, **kwargs):
        allowed = kwargs.get("allowed_values")
        self._listed_values = [allowed] if isinstance(allowed, str) else list(allowed or [])
        original(self, **kwargs)

    enum_class.__init__ = init


class _PatchFieldsOnImport(importlib.abc.MetaPathFinder):
    """Patches StringTransformedEnum as soon as its module has run, before any schema module
    (which `import azure.ai.ml` loads at once) creates a field."""

    def find_spec(self, name, path, target=None):
        if name != FIELDS_MODULE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            _recording(module.StringTransformedEnum)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _PatchFieldsOnImport())

from azure.ai.ml._schema.core import fields as aml_fields  # noqa: E402

if not hasattr(aml_fields.StringTransformedEnum.__init__, "__closure__") or \
        aml_fields.StringTransformedEnum.__init__.__name__ != "init":
    raise SystemExit(f"{FIELDS_MODULE} was imported before the generator could patch it")

import logging  # noqa: E402

logging.disable(logging.CRITICAL)

from marshmallow import EXCLUDE, INCLUDE, RAISE, Schema, fields  # noqa: E402

from azure.ai.ml._schema.assets.asset import AnonymousAssetSchema  # noqa: E402
from marshmallow import class_registry  # noqa: E402

from azure.ai.ml._utils.utils import camel_to_snake  # noqa: E402

# The documents `az ml … create --file` reads, by the kind we call them, and the SDK schema that
# loads each (the classes `load_job`, `load_component` and `load_compute` dispatch to).
DOCUMENTS = [
    ("pipeline_job", "azure.ai.ml._schema.pipeline.pipeline_job", "PipelineJobSchema"),
    ("command_job", "azure.ai.ml._schema.job.command_job", "CommandJobSchema"),
    ("sweep_job", "azure.ai.ml._schema._sweep.sweep_job", "SweepJobSchema"),
    ("parallel_job", "azure.ai.ml._schema.job.parallel_job", "ParallelJobSchema"),
    ("spark_job", "azure.ai.ml._schema.job.spark_job", "SparkJobSchema"),
    ("command_component", "azure.ai.ml._schema.component.command_component", "CommandComponentSchema"),
    ("parallel_component", "azure.ai.ml._schema.component.parallel_component", "ParallelComponentSchema"),
    ("pipeline_component", "azure.ai.ml._schema.pipeline.pipeline_component", "PipelineComponentSchema"),
    ("spark_component", "azure.ai.ml._schema.component.spark_component", "SparkComponentSchema"),
    ("pipeline_settings", "azure.ai.ml._schema.pipeline.settings", "PipelineJobSettingsSchema"),
    ("amlcompute", "azure.ai.ml._schema.compute.aml_compute", "AmlComputeSchema"),
    ("computeinstance", "azure.ai.ml._schema.compute.compute_instance", "ComputeInstanceSchema"),
    ("kubernetes", "azure.ai.ml._schema.compute.kubernetes_compute", "KubernetesComputeSchema"),
    ("virtualmachine", "azure.ai.ml._schema.compute.virtual_machine_compute", "VirtualMachineComputeSchema"),
    ("synapsespark", "azure.ai.ml._schema.compute.synapsespark_compute", "SynapseSparkComputeSchema"),
]

CONTEXT = {"base_path": "."}


def load_class(module, name):
    return getattr(importlib.import_module(module), name)



def unknown_name(policy):
    return {RAISE: "Raise", INCLUDE: "Include", EXCLUDE: "Exclude"}[policy]


def schema_class(nested):
    """The schema class a NestedField names (a class, an instance, a registered name, a lambda)."""
    if isinstance(nested, type) and issubclass(nested, Schema):
        return nested
    if isinstance(nested, Schema):
        return type(nested)
    if isinstance(nested, str):
        return class_registry.get_class(nested)
    if callable(nested):
        return schema_class(nested())
    raise TypeError(f"cannot resolve nested schema {nested!r}")


def instantiate(cls):
    return cls(context=dict(CONTEXT))


# Distinct classes may share a name (automl makes a `CustomChoiceSchema` per value type inside a
# function): the later ones, in the walk's fixed order, get `_2`, `_3`…
names_of = {}
classes_named = {}


def class_name(cls):
    if cls in names_of:
        return names_of[cls]
    same = classes_named.setdefault(cls.__name__, [])
    same.append(cls)
    name = cls.__name__ if len(same) == 1 else f"{cls.__name__}_{len(same)}"
    names_of[cls] = name
    return name


def field_kind(f):
    """What value a field takes, in the words of the Rust `FieldKind`."""
    if isinstance(f, aml_fields.ExperimentalField):
        return field_kind(f.experimental_field)
    if isinstance(f, aml_fields.StringTransformedEnum):
        return "Enum"
    if isinstance(f, aml_fields.TypeSensitiveUnionField) or isinstance(f, aml_fields.UnionField):
        # A union of text fields only (a binding or a name, an enum or a name) takes text, as a
        # text field does: `condition: true` or `compute: 42` is refused by every member.
        members = [field_kind(m) for m in inner_fields(f)]
        if members and all(k in ("Str", "Enum") for k in members):
            return "Str"
        return "Union"
    # Before the generic classes: both are plain `Field`s with a `_deserialize` of their own.
    if isinstance(f, aml_fields.NumberVersionField):
        return "NumberVersion"
    if isinstance(f, aml_fields.VersionField):
        return "Version"
    if isinstance(f, fields.Nested):
        return "Nested"
    if isinstance(f, fields.Boolean):
        return "Bool"
    if isinstance(f, fields.Integer):
        return "Int"
    if isinstance(f, fields.Number):
        return "Number"
    if isinstance(f, (fields.Dict, fields.Mapping)):
        return "Map"
    if isinstance(f, fields.List):
        return "List"
    # The SDK's reference fields are text too: each refuses anything but a string.
    if isinstance(f, (fields.String, aml_fields.ArmStr, aml_fields.RegistryStr)):
        return "Str"
    return "Other"


def union_members(f):
    """The kinds a union's members take, flattened through nested unions and ExperimentalField
    (empty for any other field): a value fits the union when it fits one of them."""
    if isinstance(f, aml_fields.ExperimentalField):
        return union_members(f.experimental_field)
    if not isinstance(f, aml_fields.UnionField):
        return []
    out = []
    for m in inner_fields(f):
        for kind in union_members(m) or [field_kind(m)]:
            if kind not in out:
                out.append(kind)
    return out


def null_values(f):
    """Whether a mapping's values may be null (its value field's `allow_none`: a job's
    `outputs: {model: }`)."""
    if isinstance(f, aml_fields.ExperimentalField):
        return null_values(f.experimental_field)
    if isinstance(f, (fields.Dict, fields.Mapping)) and f.value_field is not None:
        return bool(f.value_field.allow_none)
    return False


def inner_fields(f):
    """The fields a field holds: union members, a list's items, a dict's values, the field an
    ExperimentalField wraps."""
    if isinstance(f, aml_fields.ExperimentalField):
        return [f.experimental_field]
    if isinstance(f, aml_fields.UnionField):
        return list(f._union_fields)
    if isinstance(f, fields.List):
        return [f.inner]
    if isinstance(f, (fields.Dict, fields.Mapping)) and f.value_field is not None:
        return [f.value_field]
    return []


def nested_of(f):
    """The (schema class, unknown policy) pairs a field reaches, in order, without repeats."""
    out = []
    if isinstance(f, fields.Nested):
        out.append((schema_class(f.nested), f.unknown))
    for inner in inner_fields(f):
        for pair in nested_of(inner):
            if pair not in out:
                out.append(pair)
    return out


def enums_of(f):
    """The StringTransformedEnum fields a field is or holds (not through nested schemas)."""
    if isinstance(f, aml_fields.StringTransformedEnum):
        return [f]
    out = []
    for inner in inner_fields(f):
        out.extend(enums_of(inner))
    return out


def _lower(s):
    return s.lower()


def _upper(s):
    return s.upper()


def probes(values):
    words = ["fooBar", "FooBar", "foo_bar", "FOO_BAR", "fooBAR", "HTTPServer", "a,b", "X, Y", "mpi",
             "PyTorch", "ro_mount", "Ro_Mount", "tensorFlow", "Managed", "userIdentity", "A1b2C3", "x"]
    out = []
    for v in list(values) + words:
        for p in (v, v.lower(), v.upper(), v.swapcase(), v.title(), v.replace("_", "")):
            if p and p not in out:
                out.append(p)
    return out


def casing(f, where):
    """How the field compares a value with its allowed values, found by running its transform."""
    transform = f.casing_transform
    candidates = [("Exact", lambda s: s), ("IgnoreCase", _lower), ("IgnoreCase", _upper),
                  ("CamelToSnake", camel_to_snake)]
    tests = probes(f._listed_values)
    for name, candidate in candidates:
        try:
            if all(transform(p) == candidate(p) for p in tests):
                return name
        except Exception:  # a transform that fails on a probe is not this candidate
            continue
    raise SystemExit(f"{where}: a casing_transform that is none of identity, lower, upper, camel_to_snake")


def screaming(name):
    s = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z0-9])([A-Z])", r"\1_\2", s).upper()


def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def walk(roots):
    """Every schema class reached from the roots, by name, with its keys and enum fields."""
    schemas = {}
    enums = []
    queue = list(roots)
    while queue:
        cls = queue.pop(0)
        name = class_name(cls)
        if name in schemas:
            continue
        schema = instantiate(cls)
        keys = []
        # An anonymous asset's `pre_load` pops `name` and `version` before the schema reads the
        # rest (`AnonymousAssetSchema.warn_if_named`): any value loads.
        popped = ("name", "version") if issubclass(cls, AnonymousAssetSchema) else ()
        for attr, f in schema.fields.items():
            key = f.data_key or attr
            nested = nested_of(f)
            for sub, _ in nested:
                queue.append(sub)
            keys.append({
                "name": key,
                "required": bool(f.required) and key not in popped,
                "load_only": bool(f.load_only),
                "dump_only": bool(f.dump_only) and key not in popped,
                "popped": key in popped,
                "kind": field_kind(f),
                "members": union_members(f) if field_kind(f) == "Union" else [],
                "experimental": isinstance(f, aml_fields.ExperimentalField),
                "null_values": null_values(f),
                "nested": [(class_name(c), unknown_name(u)) for c, u in nested],
            })
            for e in enums_of(f):
                enums.append({
                    "schema": name,
                    "field": key,
                    "values": list(e._listed_values),
                    "casing": casing(e, f"{name}.{key}"),
                    "pass_original": bool(e.pass_original),
                })
        schemas[name] = {"keys": keys, "unknown": unknown_name(schema.unknown)}
    return schemas, enums


def automl_job_schemas(pipeline_job_cls):
    """The standalone automl job schemas: each automl node schema's base that is a task's schema
    (`AutoMLClassificationNodeSchema(AutoMLNodeMixin, AutoMLClassificationSchema, …)`)."""
    jobs = instantiate(pipeline_job_cls).fields["jobs"].value_field
    out = []
    for member in jobs._type_sensitive_fields_dict["automl"]:
        for node_cls, _ in nested_of(member):
            bases = [b for b in node_cls.__bases__
                     if b.__name__.endswith("Schema") and b.__name__ != "PatchedBaseSchema"]
            if len(bases) != 1:
                raise SystemExit(f"{node_cls.__name__}: expected one task schema among its bases, found {bases}")
            if bases[0] not in out:
                out.append(bases[0])
    return out


def node_kinds(pipeline_job_cls):
    jobs = instantiate(pipeline_job_cls).fields["jobs"].value_field
    kinds = []
    for kind, members in jobs._type_sensitive_fields_dict.items():
        classes = []
        for m in members:
            for c, _ in nested_of(m):
                if class_name(c) not in classes:
                    classes.append(class_name(c))
        kinds.append((kind, classes))
    return kinds


HEADER = [
    "// @generated by scripts/gen_schema.py from azure-ai-ml's marshmallow schemas: do not edit.",
    "// Regenerate with `bash scripts/gen_schema.sh` (`AZURE_AI_ML_VERSION=x.y.z` for another SDK).",
    "",
]


def doc_example(lines):
    """Rustdoc lines holding one example (every public item has one)."""
    return ["///", "/// ```"] + [f"/// {line}" if line else "///" for line in lines] + ["/// ```"]


def render_version(version):
    out = HEADER + ["/// The azure-ai-ml version these tables were read from.",
                    f"pub const SDK_VERSION: &str = {rust_str(version)};"]
    return "\n".join(out) + "\n"


def render_enums(enums):
    out = HEADER + ["use crate::enums::{Casing, EnumField};", ""]
    w = out.append
    consts = []
    seen = {}
    for e in enums:
        base = screaming(re.sub("Schema$", "", e["schema"])) + "_" + screaming(e["field"]).lstrip("_")
        const = re.sub("[^A-Z0-9_]", "_", base)
        # One field can hold several enums (a union of two): number the later ones.
        n = seen.get(const, 0)
        seen[const] = n + 1
        if n:
            const = f"{const}_{n + 1}"
        consts.append(const)
        values = ", ".join(rust_str(v) for v in e["values"])
        first = e["values"][0]
        w(f"/// `{e['schema']}.{e['field']}`: {', '.join(e['values'])} ({e['casing']}).")
        out.extend(doc_example([
            f"use pipeline_schema::enums::{const};",
            "",
            f"assert_eq!({const}.matches({rust_str(first)}), Some({rust_str(first)}));",
        ]))
        w(f"pub const {const}: EnumField = EnumField {{ schema: {rust_str(e['schema'])}, "
          f"field: {rust_str(e['field'])}, values: &[{values}], casing: Casing::{e['casing']}, "
          f"pass_original: {'true' if e['pass_original'] else 'false'} }};")
    w("")
    w("/// Every `StringTransformedEnum` field of the schemas in [`crate::keys::SCHEMAS`], sorted by")
    w("/// schema and field.")
    out.extend(doc_example([
        "use pipeline_schema::enums::ENUM_FIELDS;",
        "",
        "assert!(ENUM_FIELDS.iter().any(|e| e.schema == \"QueueSettingsSchema\" && e.field == \"priority\"));",
    ]))
    w(f"pub static ENUM_FIELDS: &[EnumField] = &[{', '.join(consts)}];")
    w("")
    w("/// `camel_to_snake(input) == output` in the SDK: what our copy of it is tested against.")
    out.extend(doc_example([
        "use pipeline_schema::enums::{CAMEL_TO_SNAKE_PROBES, camel_to_snake};",
        "",
        "for (input, output) in CAMEL_TO_SNAKE_PROBES {",
        "    assert_eq!(camel_to_snake(input), *output);",
        "}",
    ]))
    w("pub static CAMEL_TO_SNAKE_PROBES: &[(&str, &str)] = &[")
    for p in camel_probes(enums):
        w(f"({rust_str(p)}, {rust_str(camel_to_snake(p) or '')}),")
    w("];")
    return "\n".join(out) + "\n"


def render_keys(documents, schemas, nodes, automl_jobs):
    out = HEADER + [
        "use crate::keys::FieldKind::*;",
        "use crate::keys::Unknown::*;",
        "use crate::keys::{DUMP_ONLY, EXPERIMENTAL, Key, LOAD_ONLY, NULL_VALUES, POPPED, REQUIRED, SchemaKeys};",
        "",
    ]
    w = out.append
    w("/// The keys of every schema the documents of [`DOCUMENTS`] reach, sorted by schema name.")
    out.extend(doc_example([
        "use pipeline_schema::keys::SCHEMAS;",
        "",
        "assert!(SCHEMAS.windows(2).all(|w| w[0].schema < w[1].schema));",
    ]))
    w("pub static SCHEMAS: &[SchemaKeys] = &[")
    for name in sorted(schemas):
        s = schemas[name]
        w(f"SchemaKeys {{ schema: {rust_str(name)}, unknown: {s['unknown']}, keys: &[")
        for k in s["keys"]:
            nested = ", ".join(f"({rust_str(c)}, {u})" for c, u in k["nested"])
            flags = [f for f in ("required", "load_only", "dump_only", "experimental", "null_values", "popped")
                     if k[f]]
            flags = " | ".join(f.upper() for f in flags) or "0"
            members = ", ".join(k["members"])
            w(f"Key::new({rust_str(k['name'])}, {k['kind']}, {flags}, &[{nested}]).union_of(&[{members}]),"
              if members else f"Key::new({rust_str(k['name'])}, {k['kind']}, {flags}, &[{nested}]),")
        w("] },")
    w("];")
    w("")
    w("/// The documents we read, by kind, and the SDK schema that loads each.")
    out.extend(doc_example([
        "use pipeline_schema::keys::DOCUMENTS;",
        "",
        "assert!(DOCUMENTS.contains(&(\"pipeline_job\", \"PipelineJobSchema\")));",
    ]))
    w("pub static DOCUMENTS: &[(&str, &str)] = &[")
    for kind, _, cls in documents:
        w(f"({rust_str(kind)}, {rust_str(cls)}),")
    w("];")
    w("")
    w("/// A pipeline's node types (`jobs.<name>.type`) and the schemas the SDK tries for each, in")
    w("/// order (the keys of `PipelineJobSchema.jobs`'s `TypeSensitiveUnionField`).")
    out.extend(doc_example([
        "use pipeline_schema::keys::NODE_KINDS;",
        "",
        "assert!(NODE_KINDS.iter().any(|(kind, _)| *kind == \"parallel_for\"));",
    ]))
    w("pub static NODE_KINDS: &[(&str, &[&str])] = &[")
    for kind, classes in nodes:
        w(f"({rust_str(kind)}, &[{', '.join(rust_str(c) for c in classes)}]),")
    w("];")
    w("")
    w("/// The schemas of standalone automl jobs, one per task (the automl node schemas' own bases):")
    w("/// a job's `training_data` is a mapping, where a node's may be a binding too.")
    out.extend(doc_example([
        "use pipeline_schema::keys::AUTOML_JOBS;",
        "",
        "assert!(AUTOML_JOBS.contains(&\"AutoMLRegressionSchema\"));",
    ]))
    w(f"pub static AUTOML_JOBS: &[&str] = &[{', '.join(rust_str(class_name(c)) for c in automl_jobs)}];")
    return "\n".join(out) + "\n"


def camel_probes(enums):
    words = set()
    for e in enums:
        if e["casing"] == "CamelToSnake":
            for v in e["values"]:
                words.update(probes([v])[:6])
    words.update(["fooBar", "FooBarBaz", "HTTPServer", "getHTTPResponseCode", "a,b", "X, yZ", "aBcDe",
                  "ABC", "A", "", "x1Y", "1A", "_Ab", "a_B", "PyTorch", "TensorFlow", "ro_mount",
                  "Ab Cd", "mLTable", "uri_Folder", "a\u00e9B"])
    return sorted(words)


def main():
    out_dir = sys.argv[1]
    version = importlib.metadata.version("azure-ai-ml")
    roots = [load_class(m, c) for _, m, c in DOCUMENTS]
    nodes = node_kinds(roots[0])
    automl_jobs = automl_job_schemas(roots[0])
    roots = roots + automl_jobs
    # The node schemas are reached through `jobs` already; listing them keeps them in the tables
    # even if a future SDK nests them differently.
    schemas, enums = walk(roots)
    enums.sort(key=lambda e: (e["schema"], e["field"]))
    for name, text in [("version.rs", render_version(version)),
                       ("enums.rs", render_enums(enums)),
                       ("keys.rs", render_keys(DOCUMENTS, schemas, nodes, automl_jobs))]:
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
