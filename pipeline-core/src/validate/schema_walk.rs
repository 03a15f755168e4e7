//! The SDK's schemas walked over the file as written: keys the schema does not have, required keys
//! left out, and enum values as the SDK compares them (`pipeline_schema::keys` and `enums`,
//! generated from azure-ai-ml's marshmallow schemas).
//!
//! The typed model reads what it knows leniently (any case of an enum value); this walk is where
//! the SDK's exact rules are applied, for every kind, the ones the model keeps verbatim included.
//!
//! A key holding a union is judged as marshmallow judges it: against every alternative that can
//! apply (its `type`, when it has one, matches, and its required keys are present); a key none of
//! them declares is an error when every such alternative refuses unknown keys (`RAISE`), and a
//! warning when one keeps or drops them (`INCLUDE`, `EXCLUDE`), since the SDK then loads the file.

use pipeline_schema::keys::{self, FieldKind, Key, SchemaKeys, Unknown};
use pipeline_schema::{enums, kinds};

use super::{At, Checker};
use crate::codes::Code;
use crate::yaml::{Mapping, Node, Value};

/// The schema a document of `kind` (`pipeline_job`, `command_component`, …) is loaded with, and
/// what the loader does with unknown top-level keys: `load_component` passes `unknown=INCLUDE`
/// (`entities/_component/component.py`), the job and compute loaders keep the schema's `RAISE`.
pub(crate) fn document(checker: &mut Checker<'_>, root: &Node, kind: &str, at: &At) {
    let Some(schema) = keys::document(kind) else {
        return;
    };
    let unknown = if kind.ends_with("_component") {
        Unknown::Include
    } else {
        schema.unknown
    };
    walk(checker, root, &[(schema, unknown)], at);
}

/// A standalone automl job: walked against the job schemas of automl's tasks (told apart by
/// `task`), refusing unknown keys as `load_job` does.
pub(crate) fn automl_job(checker: &mut Checker<'_>, root: &Node, at: &At) {
    let alternatives: Vec<(&SchemaKeys, Unknown)> = keys::AUTOML_JOBS
        .iter()
        .filter_map(|name| keys::schema(name))
        .map(|s| (s, Unknown::Raise))
        .collect();
    // `load_job` looks the task up as written among the snake_case names of the tasks
    // (`AutoMLJob._load_from_dict`: "Unsupported task type"), whatever the node schemas' enums
    // take.
    let tasks: Vec<String> = alternatives
        .iter()
        .filter_map(|(s, _)| enums::field(s.schema, "task"))
        .flat_map(|f| f.values.iter().map(|v| enums::camel_to_snake(v)))
        .collect();
    if let Some(task) = root
        .as_map()
        .and_then(|m| m.get("task"))
        .and_then(Node::as_str)
        && !tasks.iter().any(|t| t == task)
    {
        let names: Vec<&str> = tasks.iter().map(String::as_str).collect();
        checker.report(
            Code::E005,
            &at.key("task"),
            format!("`{task}` is not an automl task (the SDK: \"Unsupported task type\")"),
            Some(format!("tasks, as written: {}", list(&names))),
        );
        return;
    }
    walk(checker, root, &alternatives, at);
}

/// One value against the schemas it may be, each with the unknown-key policy it is nested with.
fn walk(checker: &mut Checker<'_>, node: &Node, alternatives: &[(&SchemaKeys, Unknown)], at: &At) {
    let Some(map) = node.as_map() else { return };
    let typed: Vec<(&SchemaKeys, Unknown)> = alternatives
        .iter()
        .copied()
        .filter(|(s, _)| type_fits(s, map))
        .collect();
    if typed.is_empty() {
        type_refused(checker, alternatives, map, at);
        return;
    }
    let applicable: Vec<(&SchemaKeys, Unknown)> = typed
        .iter()
        .copied()
        .filter(|(s, _)| missing_required(s, map).is_empty())
        .collect();
    let applicable = if applicable.is_empty() {
        let (schema, _) = typed[0];
        let mut reported = false;
        for key in to_report(missing_required(schema, map)) {
            reported = true;
            checker.report(
                Code::E004,
                &at.key(key.name),
                format!("missing required key `{}`", key.name),
                Some(format!("add `{}:` here (the SDK requires it)", key.name)),
            );
        }
        if reported {
            return;
        }
        // Only keys with checks of their own are missing (a `command`, perhaps misspelt): the
        // keys written are still held to the schema, where a misspelling gets its did-you-mean.
        vec![typed[0]]
    } else {
        applicable
    };
    for (key_node, value) in map.iter() {
        let Some(name) = key_node.as_str() else {
            continue;
        };
        // Every loader drops `$schema` before the schema sees the file (it is dump-only there).
        if name == "$schema" {
            continue;
        }
        let declared: Vec<(&SchemaKeys, &Key)> = applicable
            .iter()
            .filter_map(|(s, _)| declared_key(s, name).map(|k| (*s, k)))
            .collect();
        let here = at.key(name.to_owned());
        let Some(&(_, key)) = declared.first() else {
            unknown_key(checker, name, &applicable, &here);
            continue;
        };
        if key.popped {
            continue;
        }
        // An enum's own check below names its values.
        if key.kind != FieldKind::Enum
            && !VALUES_TURNED_TO_TEXT.contains(&name)
            && !declared.iter().any(|(_, k)| value_fits(k, value))
        {
            let mapping = matches!(key.kind, FieldKind::Map | FieldKind::Nested);
            let takes = takes_phrase(key);
            checker.report(
                if mapping { Code::E052 } else { Code::E003 },
                &here,
                format!("`{name}` is {}, where the SDK takes {takes}", value.kind()),
                Some(format!("write {takes} here")),
            );
            continue;
        }
        // An enum's text, alone or as a union's member (`sampling_algorithm: random` or
        // `{type: random}`), is one of the enum's values.
        if key.kind == FieldKind::Enum || (key.kind == FieldKind::Union && value.as_str().is_some())
        {
            enum_value(checker, &declared, value, &here);
        }
        // Every applicable schema's view of the key: automl nodes of different tasks each nest
        // their own search space.
        let mut nested: Vec<(&SchemaKeys, Unknown)> = Vec::new();
        for (n, policy) in declared.iter().flat_map(|(_, k)| k.nested) {
            if let Some(s) = keys::schema(n)
                && !nested.iter().any(|(have, _)| have.schema == s.schema)
            {
                nested.push((s, *policy));
            }
        }
        if nested.is_empty() {
            continue;
        }
        match (&value.value, key.kind) {
            (Value::Map(entries), FieldKind::Map) if name == "jobs" => {
                nodes(checker, entries, &nested, &here)
            }
            (Value::Map(entries), FieldKind::Map) => {
                for (k, v) in entries.iter() {
                    let entry = here.key(k.to_string());
                    match &v.value {
                        // A mapping of lists of the nested schema (automl's
                        // `transformer_params: {imputer: [{fields: […]}]}`).
                        Value::Seq(items) => {
                            for (i, item) in items.iter().enumerate() {
                                walk(checker, item, &nested, &entry.key(format!("[{i}]")));
                            }
                        }
                        // marshmallow's `Dict` holds its values to the value field, which
                        // refuses a null ("Field may not be null").
                        Value::Null if !key.null_values => checker.report(
                            Code::E052,
                            &entry,
                            format!("`{k}` is empty, where the SDK takes a mapping"),
                            Some(format!("give `{k}` its keys, or remove it")),
                        ),
                        _ => walk(checker, v, &nested, &entry),
                    }
                }
            }
            (Value::Seq(items), FieldKind::List) => {
                for (i, v) in items.iter().enumerate() {
                    walk(checker, v, &nested, &here.key(format!("[{i}]")));
                }
            }
            // A union's alternatives may include a plain mapping of anything (`environment_variables`),
            // which the tables do not show: only a union told apart by `type` is walked into.
            (_, FieldKind::Union) if !discriminated(name, &nested, value) => {}
            _ => walk(checker, value, &nested, &here),
        }
    }
}

/// A pipeline's nodes: each against the schemas of its `type` (default `command`).
///
/// A node with no `type` is a command node to Azure ML's documentation, and to us. The SDK's
/// loader instead tries every node schema in turn and keeps the first that loads, so a sweep
/// node whose `type` is gone still loads as a sweep. We say which type its keys are (on
/// `type`, E056), rather than hold them to a command node's keys or guess as the SDK does.
fn nodes(checker: &mut Checker<'_>, jobs: &Mapping, nested: &[(&SchemaKeys, Unknown)], at: &At) {
    for (name, node) in jobs.iter() {
        let Some(map) = node.as_map() else { continue };
        let here = at.key(name.to_string());
        let Some(written) = map.get("type") else {
            let command = node_kind_schemas("command", nested);
            // Walked once: what it finds is kept when the node loads as a command node.
            let before = checker.diagnostics.len();
            walk(checker, node, &command, &here);
            if !has_error(&checker.diagnostics[before..]) {
                continue;
            }
            checker.diagnostics.truncate(before);
            // The SDK loads a component file with each node type's schema: only the types that
            // run the file's kind can load it.
            let component = component_type(checker, map, at);
            let implied = keys::NODE_KINDS
                .iter()
                .map(|(kind, _)| *kind)
                .filter(|kind| *kind != "command")
                .filter(|kind| {
                    component
                        .as_deref()
                        .is_none_or(|c| kinds::node_runs(kind, c))
                })
                .find(|kind| {
                    let schemas = node_kind_schemas(kind, nested);
                    // Its component file's type says which it is; else its keys must be that
                    // type's own (a sweep's `trial`), not ones a schema merely keeps.
                    (component.is_some() || has_own_key(map, &schemas, &command))
                        && loads_as(checker, node, &schemas, &here)
                });
            match implied {
                Some(kind) => checker.report_key(
                    Code::E056,
                    &here,
                    format!("node `{name}` has no `type`, and its keys are a `{kind}` node's"),
                    Some(format!(
                        "write `type: {kind}`: a node without one is a command node (the SDK guesses from the keys instead)"
                    )),
                ),
                None => walk(checker, node, &command, &here),
            }
            continue;
        };
        let kind = written.as_str().unwrap_or("command");
        walk(checker, node, &node_kind_schemas(kind, nested), &here);
    }
}

/// Whether `map` has a key that `kind` declares and `other` does not.
fn has_own_key(
    map: &Mapping,
    kind: &[(&SchemaKeys, Unknown)],
    other: &[(&SchemaKeys, Unknown)],
) -> bool {
    let declares = |schemas: &[(&SchemaKeys, Unknown)], name: &str| {
        schemas.iter().any(|(s, _)| declared_key(s, name).is_some())
    };
    map.iter().any(|(k, _)| {
        k.as_str()
            .is_some_and(|name| name != "type" && declares(kind, name) && !declares(other, name))
    })
}

/// The schemas of a node `type`, each with the unknown-key policy it is nested with.
fn node_kind_schemas<'k>(
    kind: &str,
    nested: &[(&SchemaKeys, Unknown)],
) -> Vec<(&'k SchemaKeys, Unknown)> {
    keys::node_schemas(kind)
        .map(|s| {
            let policy = nested
                .iter()
                .find(|(n, _)| n.schema == s.schema)
                .map_or(s.unknown, |(_, p)| *p);
            let policy = if keys::unknown_fails_after_load(s.schema) {
                Unknown::Raise
            } else {
                policy
            };
            (s, policy)
        })
        .collect()
}

/// The `type` of the local component file a node names (`command` when the file has none), if
/// the file was read.
fn component_type(checker: &Checker<'_>, node: &Mapping, at: &At) -> Option<String> {
    let reference = node.get("component")?.as_str()?;
    let path = reference.strip_prefix("file:").unwrap_or(reference);
    let file = crate::load::normalize(&at.file.parent()?.join(path));
    let root = checker.sources.get(file.as_path())?.root()?;
    let kind = root
        .as_map()?
        .get("type")
        .map_or(Some("command"), Node::as_str)?;
    Some(kind.to_owned())
}

/// Whether `node` loads as one of `kinds` without an error (what the walk finds is not kept).
fn loads_as(
    checker: &mut Checker<'_>,
    node: &Node,
    kinds: &[(&SchemaKeys, Unknown)],
    at: &At,
) -> bool {
    let before = checker.diagnostics.len();
    walk(checker, node, kinds, at);
    let loads = !has_error(&checker.diagnostics[before..]);
    checker.diagnostics.truncate(before);
    loads
}

/// Whether any of `diagnostics` is an error.
fn has_error(diagnostics: &[crate::error::Diagnostic]) -> bool {
    diagnostics
        .iter()
        .any(|d| d.code.severity() == crate::codes::Severity::Error)
}

/// Whether a union's mapping value is walked as one of its nested schemas. Some unions also take
/// a plain mapping of anything, which the tables do not show: those are named in
/// [`MAPPINGS_OF_VALUES`] and not walked.
fn discriminated(name: &str, alternatives: &[(&SchemaKeys, Unknown)], value: &Node) -> bool {
    if MAPPINGS_OF_VALUES.contains(&name) {
        return false;
    }
    !alternatives.is_empty() && value.as_map().is_some()
}

/// Keys the tables call text whose field turns any value into text itself (a component's
/// `version: [1]` loads), so no value is refused there for its kind.
const VALUES_TURNED_TO_TEXT: &[&str] = &["version"];

/// Union keys whose mapping value is names to values (`environment_variables: {NCCL_DEBUG: INFO}`),
/// whatever schema the union also lists.
const MAPPINGS_OF_VALUES: &[&str] = &["environment_variables"];

/// A mapping whose `type` no alternative takes, where every alternative is told apart by its
/// `type`: E005 (the model reads types leniently; the SDK compares them as each schema says).
fn type_refused(
    checker: &mut Checker<'_>,
    alternatives: &[(&SchemaKeys, Unknown)],
    map: &Mapping,
    at: &At,
) {
    let written = map.get("type");
    let Some(text) = written.and_then(Node::as_str) else {
        // A number, a list or a mapping is none of the types' texts.
        if let Some(value) = written
            && !value.is_null()
        {
            let listed = type_values(alternatives);
            checker.report(
                Code::E003,
                &at.key("type"),
                format!("`type` is {}, where the SDK takes text", value.kind()),
                (!listed.is_empty()).then(|| format!("types: {}", list(&listed))),
            );
            return;
        }
        if written.is_none()
            && !alternatives.is_empty()
            && alternatives
                .iter()
                .all(|(s, _)| s.key("type").is_some_and(|k| k.required))
        {
            checker.report(
                Code::E004,
                &at.key("type"),
                "missing required key `type`",
                Some("add `type:` here (the SDK requires it)".to_owned()),
            );
        }
        return;
    };
    let values = type_values(alternatives);
    if values.is_empty() {
        return;
    }
    let exact = values.iter().find(|v| v.eq_ignore_ascii_case(text));
    checker.report(
        Code::E005,
        &at.key("type"),
        format!("`{text}` is not a type here"),
        Some(match exact {
            Some(v) => format!("the SDK compares this type as written: write `{v}`"),
            None => format!("types: {}", list(&values)),
        }),
    );
}

/// The `type` values the alternatives take, when every one is told apart by a `type` enum
/// (empty otherwise).
fn type_values(alternatives: &[(&SchemaKeys, Unknown)]) -> Vec<&'static str> {
    let fields: Vec<&enums::EnumField> = alternatives
        .iter()
        .filter_map(|(s, _)| enums::field(s.schema, "type"))
        .collect();
    if fields.is_empty() || fields.len() < alternatives.len() {
        return Vec::new();
    }
    let mut values: Vec<&'static str> = Vec::new();
    for f in &fields {
        for v in f.values {
            if !values.contains(v) {
                values.push(v);
            }
        }
    }
    values
}

/// Whether a value may stand where a field of this kind is: as marshmallow's field reads it
/// (`fields.Str` takes only text, `fields.Int` a whole number or its text, `fields.Bool` a
/// boolean or its text), and a `${{…}}` binding is left to the binding checks.
fn value_fits(key: &Key, value: &Node) -> bool {
    // marshmallow's fields refuse `null` unless made to allow it, and the SDK's schemas allow it
    // nowhere a document sets it ("Field may not be null": `description:` or `settings:` with
    // nothing after it, measured on every kind of field).
    if value.is_null() {
        return false;
    }
    if value.as_str().is_some_and(|s| s.contains("${{")) {
        return true;
    }
    if key.kind == FieldKind::Union && !key.members.is_empty() {
        return key.members.iter().any(|m| kind_fits(*m, &value.value));
    }
    kind_fits(key.kind, &value.value)
}

/// Whether a field of one kind takes this (non-null) value.
fn kind_fits(kind: FieldKind, value: &Value) -> bool {
    match (kind, value) {
        (FieldKind::Str, v) => matches!(v, Value::Str(_) | Value::Timestamp(_)),
        // `StringTransformedEnum` refuses anything but text (which `enum_value` then judges).
        (FieldKind::Enum, v) => matches!(v, Value::Str(_)),
        // marshmallow's `Integer` (not strict) takes a float and drops its fraction.
        (FieldKind::Int, Value::Int(_) | Value::Float(_)) => true,
        (FieldKind::Int, Value::Str(s)) => s.trim().parse::<i64>().is_ok(),
        (FieldKind::Number, Value::Int(_) | Value::Float(_)) => true,
        (FieldKind::Number, Value::Str(s)) => s.trim().parse::<f64>().is_ok(),
        (FieldKind::Bool, Value::Bool(_)) => true,
        (FieldKind::Bool, Value::Int(i)) => *i == 0 || *i == 1,
        (FieldKind::Bool, Value::Str(s)) => BOOLEAN_TEXT.contains(&s.as_str()),
        (FieldKind::Map | FieldKind::Nested, v) => matches!(v, Value::Map(_)),
        (FieldKind::List, v) => matches!(v, Value::Seq(_)),
        // `VersionField` takes text and numbers (a Python bool is a number), and refuses
        // anything else with an `MlException` ("Type … is not supported for version").
        (FieldKind::Version, v) => {
            matches!(
                v,
                Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Bool(_)
            )
        }
        // `NumberVersionField` then holds the text to whole numbers joined by `.`.
        (FieldKind::NumberVersion, Value::Int(_) | Value::Float(_)) => true,
        (FieldKind::NumberVersion, Value::Str(s)) => {
            s.split('.').all(|part| part.trim().parse::<i64>().is_ok())
        }
        (FieldKind::Int | FieldKind::Number | FieldKind::Bool | FieldKind::NumberVersion, _) => {
            false
        }
        (FieldKind::Union | FieldKind::Other, _) => true,
    }
}

/// The text marshmallow's `fields.Boolean` takes for true and false.
const BOOLEAN_TEXT: &[&str] = &[
    "t", "T", "true", "True", "TRUE", "on", "On", "ON", "y", "Y", "yes", "Yes", "YES", "1", "f",
    "F", "false", "False", "FALSE", "off", "Off", "OFF", "n", "N", "no", "No", "NO", "0",
];

/// What a key takes, for messages: a union's members joined with "or".
fn takes_phrase(key: &Key) -> String {
    if key.kind != FieldKind::Union || key.members.is_empty() {
        return kind_phrase(key.kind).to_owned();
    }
    let mut phrases: Vec<&str> = Vec::new();
    for m in key.members {
        let p = kind_phrase(*m);
        if !phrases.contains(&p) {
            phrases.push(p);
        }
    }
    // "a whole number or a number" says no more than "a number".
    if phrases.contains(&kind_phrase(FieldKind::Number)) {
        phrases.retain(|p| *p != kind_phrase(FieldKind::Int));
    }
    phrases.join(" or ")
}

/// What a field of this kind takes, for messages.
fn kind_phrase(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Str | FieldKind::Enum => "text",
        FieldKind::Int => "a whole number",
        FieldKind::Number => "a number",
        FieldKind::Bool => "a boolean",
        FieldKind::Map | FieldKind::Nested => "a mapping",
        FieldKind::List => "a list",
        FieldKind::Version => "a version (text or a number)",
        FieldKind::NumberVersion => "a version of whole numbers joined by `.` (`3.4`)",
        FieldKind::Union | FieldKind::Other => "another value",
    }
}

/// Whether a schema with a `type` enum takes this mapping's `type` (a schema without one takes
/// any).
fn type_fits(schema: &SchemaKeys, map: &Mapping) -> bool {
    // A `type` that is a union (the generic service schema's) takes other values too.
    if schema
        .key("type")
        .is_some_and(|k| k.kind != FieldKind::Enum)
    {
        return true;
    }
    let Some(field) = enums::field(schema.schema, "type") else {
        return true;
    };
    let type_matches = match map.get("type").and_then(Node::as_str) {
        Some(t) => t.contains("${{") || field.matches(t).is_some(),
        // Many schemas default their `type`: only a required one must be written.
        None => !schema.key("type").is_some_and(|k| k.required),
    };
    // automl's schemas share `type: automl` and are told apart by their `task`.
    let other_task = match (
        enums::field(schema.schema, "task"),
        map.get("task").and_then(Node::as_str),
    ) {
        (Some(task), Some(t)) => field_is_automl_task(task) && task.matches(t).is_none(),
        _ => false,
    };
    type_matches && !other_task
}

/// Whether an enum is an automl schema's `task` (the discriminator of automl's schemas).
fn field_is_automl_task(field: &enums::EnumField) -> bool {
    field.field == "task" && field.values.len() == 1
}

/// Required keys whose absence a check of its own reports, with a hint made for it: E046 (no
/// `command`), E043 (no `entry_script`).
const CHECKED_ELSEWHERE: &[&str] = &["command", "entry_script"];

/// The required keys of `schema` that `map` leaves out.
fn missing_required(schema: &SchemaKeys, map: &Mapping) -> Vec<&'static Key> {
    schema
        .loadable()
        .filter(|k| k.required || keys::needed_after_load(schema.schema, k.name))
        .filter(|k| map.get(k.name).is_none())
        .collect()
}

/// The missing required keys to report (those without a check of their own).
fn to_report(missing: Vec<&'static Key>) -> impl Iterator<Item = &'static Key> {
    missing
        .into_iter()
        .filter(|k| !CHECKED_ELSEWHERE.contains(&k.name))
}

/// The key `name` of `schema`, or, for an inline (anonymous) component, of the component schema
/// it stands for: `name`, `version` and the like are the component's own, which the SDK keeps
/// (`unknown=INCLUDE`) and replaces with a hash when it registers the anonymous component.
fn declared_key(schema: &SchemaKeys, name: &str) -> Option<&'static Key> {
    schema.loadable().find(|k| k.name == name).or_else(|| {
        let named = schema.schema.strip_prefix("Anonymous")?;
        keys::schema(named)?.loadable().find(|k| k.name == name)
    })
}

/// A key no applicable schema declares.
fn unknown_key(
    checker: &mut Checker<'_>,
    name: &str,
    applicable: &[(&SchemaKeys, Unknown)],
    at: &At,
) {
    // `settings` keys have their own check and hint (W001).
    if applicable
        .iter()
        .any(|(s, _)| s.schema == "PipelineJobSettingsSchema")
    {
        return;
    }
    let refused = applicable.iter().all(|(_, p)| *p == Unknown::Raise);
    let known: Vec<&str> = applicable
        .iter()
        .flat_map(|(s, _)| s.loadable().map(|k| k.name))
        .filter(|k| *k != "type")
        .collect();
    let close = known
        .iter()
        .copied()
        .filter(|k| super::names::edit_distance(k, name) <= 2)
        .min_by_key(|k| super::names::edit_distance(k, name));
    let hint = match close {
        Some(k) => format!("did you mean `{k}`?"),
        None => format!("keys here: {}", list(&known)),
    };
    if refused {
        checker.report_key(
            Code::E008,
            at,
            format!("`{name}` is not a key here: the SDK refuses it (\"Unknown field\")"),
            Some(hint),
        );
    } else {
        checker.report_key(
            Code::W006,
            at,
            format!("`{name}` is not a key here: it is kept, but Azure ML does not use it"),
            Some(hint),
        );
    }
}

/// An enum value, held to the way the SDK compares it.
fn enum_value(checker: &mut Checker<'_>, declared: &[(&SchemaKeys, &Key)], value: &Node, at: &At) {
    let Some(text) = value.as_str() else {
        // A list, a mapping, a number or a boolean is none of an enum's texts.
        if let Some(field) = declared
            .iter()
            .find_map(|(s, k)| enums::field(s.schema, k.name))
        {
            checker.report(
                Code::E003,
                at,
                format!(
                    "this is {}, where the SDK takes one of {}",
                    value.kind(),
                    field.listed()
                ),
                Some(format!("write one of {}", field.listed())),
            );
        }
        return;
    };
    if text.contains("${{") {
        return;
    }
    let fields: Vec<&enums::EnumField> = declared
        .iter()
        .filter_map(|(s, k)| enums::field(s.schema, k.name))
        .collect();
    if fields.is_empty() || fields.iter().any(|f| f.matches(text).is_some()) {
        return;
    }
    let field = fields[0];
    let close = field
        .values
        .iter()
        .find(|v| v.eq_ignore_ascii_case(text))
        .map(|v| format!("the SDK compares this value as written: write `{v}`"));
    checker.report(
        Code::E005,
        at,
        format!("`{text}` is not one of {}", field.listed()),
        Some(close.unwrap_or_else(|| format!("use one of {}", field.listed()))),
    );
}

/// Names for a hint: the first dozen in backticks.
fn list(names: &[&str]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for n in names {
        if !seen.contains(n) {
            seen.push(n);
        }
    }
    let shown: Vec<String> = seen.iter().take(12).map(|n| format!("`{n}`")).collect();
    let more = seen.len().saturating_sub(12);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use crate::codes::Code;
    use crate::validate::validate_str;

    fn found(yaml: &str) -> Vec<(Code, String)> {
        validate_str(yaml, "x.yml")
            .diagnostics
            .iter()
            .filter(|d| d.code != Code::W002)
            .map(|d| (d.code, d.path.clone()))
            .collect()
    }

    const JOB: &str = "type: command\ncommand: echo hi\nenvironment: azureml:env:1\n";

    #[test]
    fn unknown_keys_are_errors_where_the_sdk_refuses_them_and_warnings_where_it_keeps_them() {
        assert_eq!(
            found(&format!("{JOB}comand: x\n")),
            [(Code::E008, "comand".to_owned())]
        );
        assert_eq!(
            found(&format!("{JOB}resources: {{instance_cont: 2}}\n")),
            [(Code::E008, "resources.instance_cont".to_owned())]
        );
        let component = "$schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json\nname: c\ncommand: echo\nenvironment: azureml:env:1\nowner: me\n";
        assert_eq!(found(component), [(Code::W006, "owner".to_owned())]);
    }

    #[test]
    fn enum_values_are_compared_as_the_sdk_compares_them() {
        // Ignoring case…
        assert!(found(&format!("{JOB}distribution: {{type: PyTorch}}\n")).is_empty());
        assert!(found(&format!("{JOB}identity: {{type: AMLToken}}\n")).is_empty());
        // …through camel_to_snake…
        assert!(found(&format!("{JOB}identity: {{type: UserIdentity}}\n")).is_empty());
        // …or as written.
        let parallel = "$schema: https://azuremlschemas.azureedge.net/latest/parallelComponent.schema.json\ntype: parallel\nname: p\nlogging_level: info\ninput_data: ${{inputs.d}}\ninputs: {d: {type: uri_folder}}\ntask: {type: run_function, entry_script: s.py, environment: azureml:env:1}\n";
        assert_eq!(found(parallel), [(Code::E005, "logging_level".to_owned())]);
        let typed = "$schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json\nname: c\ncommand: echo ${{inputs.n}}\nenvironment: azureml:env:1\ninputs: {n: {type: Number}}\n";
        assert_eq!(found(typed), [(Code::E005, "inputs.n.type".to_owned())]);
    }

    #[test]
    fn required_keys_and_value_kinds() {
        let sweep = "type: pipeline\nsettings: {default_compute: azureml:c}\njobs:\n  s: {type: sweep, sampling_algorithm: random, trial: azureml:t:1, search_space: {lr: {type: choice, values: [1]}}}\n";
        assert_eq!(
            found(sweep),
            [
                (Code::E004, "jobs.s.limits".to_owned()),
                (Code::E004, "jobs.s.objective".to_owned()),
                (Code::N001, "jobs.s.trial".to_owned())
            ]
        );
        assert_eq!(
            found(&format!("{JOB}display_name: 42\n")),
            [(Code::E003, "display_name".to_owned())]
        );
        assert_eq!(
            found(&format!("{JOB}limits: 5\n")),
            [(Code::E052, "limits".to_owned())]
        );
        let untyped = "$schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json\nname: c\ncommand: echo ${{inputs.n}}\nenvironment: azureml:env:1\ninputs: {n: {default: 1}}\n";
        assert_eq!(found(untyped), [(Code::E004, "inputs.n".to_owned())]);
    }

    #[test]
    fn a_union_takes_what_one_of_its_members_takes() {
        let spark = |extra: &str| {
            found(&format!(
                "$schema: https://azuremlschemas.azureedge.net/latest/sparkJob.schema.json\ntype: spark\ncode: ./\ncompute: azureml:c\n{extra}"
            ))
        };
        // `entry` is one of two nested schemas: a number is neither.
        assert_eq!(spark("entry: 42\n"), [(Code::E003, "entry".to_owned())]);
        assert!(spark("entry: {file: main.py}\n").is_empty());
        // `identity` is told apart by a `type`, which is text.
        assert_eq!(
            spark("entry: {file: main.py}\nidentity: {type: 42}\n"),
            [(Code::E003, "identity.type".to_owned())]
        );
        // `runtime_version` is a `NumberVersionField`: `3.4` or "3.4", never `true`.
        let version = |v: &str| {
            spark(&format!(
                "entry: {{file: main.py}}\nresources: {{instance_type: standard_e4s_v3, runtime_version: {v}}}\n"
            ))
        };
        assert!(version("3.4").is_empty());
        assert!(version("'3.4'").is_empty());
        for bad in ["true", "{x: 1}", "three"] {
            assert_eq!(
                version(bad),
                [(Code::E003, "resources.runtime_version".to_owned())],
                "{bad}"
            );
        }
    }

    #[test]
    fn mapping_values_are_walked_and_null_only_where_the_sdk_allows_it() {
        let spark = "$schema: https://azuremlschemas.azureedge.net/latest/sparkComponent.schema.json\ntype: spark\nname: s\ncode: ./\nentry: {file: a.py}\n";
        assert_eq!(
            found(&format!("{spark}inputs:\n  a:\n")),
            [(Code::E052, "inputs.a".to_owned())]
        );
        // A job's outputs may be left empty: the default output.
        assert!(found(&format!("{JOB}outputs:\n  model:\n")).is_empty());
        // automl's `transformer_params` map to lists of transformers.
        let automl = "$schema: https://azuremlschemas.azureedge.net/latest/autoMLJob.schema.json\ntype: automl\ntask: classification\ncompute: azureml:c\ntarget_column_name: y\ntraining_data: {type: mltable, path: ./d}\nfeaturization: {mode: custom, transformer_params: {imputer: [{fields: [a], ifelds: [b]}]}}\n";
        assert_eq!(
            found(automl),
            [(
                Code::E008,
                "featurization.transformer_params.imputer[0].ifelds".to_owned()
            )]
        );
    }

    #[test]
    fn environment_variables_are_names_to_values() {
        assert!(
            found(&format!(
                "{JOB}environment_variables: {{NCCL_DEBUG: INFO}}\n"
            ))
            .is_empty()
        );
    }
}

#[cfg(test)]
mod automl_tests {
    use crate::codes::Code;
    use crate::validate::validate_str;

    #[test]
    fn an_automl_jobs_task_is_looked_up_as_written() {
        let job = |task: &str| {
            format!(
                "$schema: https://azuremlschemas.azureedge.net/latest/autoMLJob.schema.json\ntype: automl\ntask: {task}\ncompute: azureml:c\n"
            )
        };
        let codes = |task: &str| -> Vec<Code> {
            validate_str(&job(task), "a.yml")
                .diagnostics
                .iter()
                .map(|d| d.code)
                .filter(|c| *c == Code::E005)
                .collect()
        };
        assert!(codes("regression").is_empty());
        assert_eq!(codes("Regression"), [Code::E005]);
    }
}
