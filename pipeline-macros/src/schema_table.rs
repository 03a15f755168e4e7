//! `key = (a = 1, type = "x")` settings checked against the SDK schema the YAML key nests
//! (`pipeline_schema::keys`): its keys, the kind of each value, enum values compared as the SDK
//! compares them (written back in the SDK's spelling), and, where the key nests one of several
//! schemas (`distribution`), the `type` that chooses one. Every mistake is a compile error on
//! the offending token, so that reading the YAML the macro writes can not fail at run time.

use pipeline_schema::enums;
use pipeline_schema::keys::{self, FieldKind, SchemaKeys};
use syn::{Expr, ExprLit, Lit};

use crate::attrs::Errors;

/// Keys whose SDK field is a union (a literal or a `${{…}}` binding, a string or a list): the
/// literal the attribute takes for them, the one our model reads.
const UNION_LITERALS: &[(&str, &str, FieldKind)] = &[
    ("RetrySettingsSchema", "max_retries", FieldKind::Int),
    ("RetrySettingsSchema", "timeout", FieldKind::Int),
    ("ComponentResourceSchema", "docker_args", FieldKind::Str),
];

/// The literal a key takes in an attribute, or `None` when the attribute cannot write it.
fn literal_kind(schema: &str, key: &keys::Key) -> Option<FieldKind> {
    match key.kind {
        FieldKind::Int | FieldKind::Number | FieldKind::Str | FieldKind::Bool | FieldKind::Enum => {
            Some(key.kind)
        }
        FieldKind::Union => UNION_LITERALS
            .iter()
            .find(|(s, k, _)| *s == schema && *k == key.name)
            .map(|(_, _, kind)| *kind),
        _ => None,
    }
}

/// One `name = value` of the table.
struct Entry<'a> {
    name: String,
    key: &'a Expr,
    value: &'a Expr,
}

/// The schemas `attribute` nests in the SDK schema `document` (such as `CommandComponentSchema`
/// and `distribution`).
fn nested(document: &str, attribute: &str) -> Vec<&'static SchemaKeys> {
    keys::schema(document)
        .and_then(|d| d.key(attribute))
        .map(|k| {
            k.nested
                .iter()
                .filter_map(|(n, _)| keys::schema(n))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether the SDK schema `document` has `attribute` as a key nesting a schema.
pub(crate) fn nests(document: &str, attribute: &str) -> bool {
    !nested(document, attribute).is_empty()
}

/// The keys the attribute can set in `schema`, as an example: `(a = 1, b = "…")`.
fn usage(attribute: &str, schema: &SchemaKeys) -> String {
    let example: Vec<String> = schema
        .loadable()
        .filter_map(|k| {
            literal_kind(schema.schema, k).map(|kind| {
                let v = match kind {
                    FieldKind::Int => "1",
                    FieldKind::Number => "1.0",
                    FieldKind::Bool => "true",
                    _ => "\"…\"",
                };
                format!("{} = {v}", k.name)
            })
        })
        .collect();
    format!("`{attribute}` takes `({})`", example.join(", "))
}

/// The entries of `(a = 1, b = "x")`, or errors saying what the table looks like.
fn entries<'a>(
    value: &'a Expr,
    usage: &dyn Fn() -> String,
    errors: &mut Errors,
) -> Option<Vec<Entry<'a>>> {
    let exprs: Vec<&Expr> = match value {
        Expr::Tuple(t) => t.elems.iter().collect(),
        Expr::Paren(p) => vec![&*p.expr],
        other => {
            errors.push(syn::Error::new_spanned(other, usage()));
            return None;
        }
    };
    let mut out = Vec::new();
    for e in exprs {
        let Expr::Assign(assign) = e else {
            errors.push(syn::Error::new_spanned(e, usage()));
            return None;
        };
        let Some(ident) = (match &*assign.left {
            Expr::Path(p) => p.path.get_ident(),
            _ => None,
        }) else {
            errors.push(syn::Error::new_spanned(&assign.left, usage()));
            return None;
        };
        let name = ident.to_string();
        out.push(Entry {
            name: name.strip_prefix("r#").unwrap_or(&name).to_owned(),
            key: &assign.left,
            value: &assign.right,
        });
    }
    Some(out)
}

/// A string literal's value.
fn string(e: &Expr) -> Option<String> {
    match e {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// Which of several schemas the table's `type` chooses (each has a `type` enum).
fn chosen<'s>(
    attribute: &str,
    value: &Expr,
    candidates: &[&'s SchemaKeys],
    entries: &[Entry<'_>],
    errors: &mut Errors,
) -> Option<&'s SchemaKeys> {
    let types: Vec<(&'s SchemaKeys, &'static enums::EnumField)> = candidates
        .iter()
        .filter_map(|s| enums::field(s.schema, "type").map(|e| (*s, e)))
        .collect();
    let listed = types
        .iter()
        .map(|(_, e)| e.listed())
        .collect::<Vec<_>>()
        .join(", ");
    let Some(entry) = entries.iter().find(|e| e.name == "type") else {
        errors.push(syn::Error::new_spanned(
            value,
            format!("`{attribute}` needs a `type`: one of {listed}"),
        ));
        return None;
    };
    let found = string(entry.value).and_then(|v| {
        types
            .iter()
            .find(|(_, e)| e.matches(&v).is_some())
            .map(|(s, _)| *s)
    });
    if found.is_none() {
        errors.push(syn::Error::new_spanned(
            entry.value,
            format!("unknown `{attribute}` type; Azure ML's are: {listed}"),
        ));
    }
    found
}

/// A value as YAML, if it is the literal `kind` wants (an enum value is written as the SDK lists
/// it); otherwise an error on it.
fn yaml_value(
    schema: &SchemaKeys,
    entry: &Entry<'_>,
    kind: FieldKind,
    errors: &mut Errors,
) -> Option<String> {
    let lit = match entry.value {
        Expr::Lit(ExprLit { lit, .. }) => Some(lit),
        _ => None,
    };
    let text = match (kind, lit) {
        (FieldKind::Int | FieldKind::Number, Some(Lit::Int(i))) => {
            Some(i.base10_digits().to_owned())
        }
        (FieldKind::Number, Some(Lit::Float(f))) => Some(f.base10_digits().to_owned()),
        (FieldKind::Bool, Some(Lit::Bool(b))) => Some(b.value.to_string()),
        (FieldKind::Str, Some(Lit::Str(s))) => Some(quoted(&s.value())),
        (FieldKind::Enum, Some(Lit::Str(s))) => {
            // Every enum key has its field in the tables (a unit test of pipeline-schema).
            let Some(field) = enums::field(schema.schema, &entry.name) else {
                return Some(quoted(&s.value()));
            };
            match field.matches(&s.value()) {
                Some(canonical) => Some(quoted(canonical)),
                None => {
                    errors.push(syn::Error::new_spanned(
                        entry.value,
                        format!(
                            "`{}` is not one of Azure ML's values: {}",
                            s.value(),
                            field.listed()
                        ),
                    ));
                    return None;
                }
            }
        }
        _ => None,
    };
    if text.is_none() {
        let wanted = match kind {
            FieldKind::Int => "an integer",
            FieldKind::Number => "a number",
            FieldKind::Bool => "`true` or `false`",
            _ => "a string",
        };
        errors.push(syn::Error::new_spanned(
            entry.value,
            format!("`{}` takes {wanted}", entry.name),
        ));
    }
    text
}

/// A double-quoted YAML scalar: JSON's escapes are YAML's.
fn quoted(s: &str) -> String {
    let mut q = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            c if (c as u32) < 0x20 => q.push_str(&format!("\\x{:02x}", c as u32)),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

/// `attribute = (a = 1, b = "x")` of an item the SDK loads with the schema `document`, checked
/// against the schema `attribute` nests there, as a YAML flow mapping (`{a: 1, b: "x"}`).
pub(crate) fn table(
    value: &Expr,
    attribute: &str,
    document: &str,
    errors: &mut Errors,
) -> Option<String> {
    let candidates = nested(document, attribute);
    let first = *candidates.first()?;
    let generic = || {
        if candidates.len() == 1 {
            usage(attribute, first)
        } else {
            format!("`{attribute}` takes `(type = \"…\", …)`")
        }
    };
    let entries = entries(value, &generic, errors)?;
    let schema = if candidates.len() == 1 {
        first
    } else {
        chosen(attribute, value, &candidates, &entries, errors)?
    };
    let mut ok = true;
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for entry in &entries {
        if seen.contains(&entry.name.as_str()) {
            errors.push(syn::Error::new_spanned(
                entry.key,
                format!("`{}` is set twice", entry.name),
            ));
            ok = false;
            continue;
        }
        seen.push(&entry.name);
        let Some(key) = schema.loadable().find(|k| k.name == entry.name) else {
            let of = if candidates.len() > 1 {
                format!(" of this type ({})", schema.schema)
            } else {
                String::new()
            };
            errors.push(syn::Error::new_spanned(
                entry.key,
                format!(
                    "`{attribute}`{of} has no `{}`; {}",
                    entry.name,
                    usage(attribute, schema)
                ),
            ));
            ok = false;
            continue;
        };
        let Some(kind) = literal_kind(schema.schema, key) else {
            errors.push(syn::Error::new_spanned(
                entry.key,
                format!(
                    "`{}` holds a list or mapping, which #[component] does not write; set it in the component's YAML",
                    entry.name
                ),
            ));
            ok = false;
            continue;
        };
        match yaml_value(schema, entry, kind, errors) {
            Some(text) => out.push(format!("{}: {text}", entry.name)),
            None => ok = false,
        }
    }
    ok.then(|| format!("{{{}}}", out.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(attribute: &str, document: &str, tokens: &str) -> Result<String, String> {
        // As the attribute reads it: keys that are keywords (`type`) included.
        let value = syn::parse_str::<crate::attrs::Entry>(&format!("x = {tokens}"))
            .unwrap()
            .value;
        let mut errors = Errors::default();
        let out = table(&value, attribute, document, &mut errors);
        let e = errors.to_compile_errors().to_string();
        out.filter(|_| e.is_empty()).ok_or(e)
    }

    #[test]
    fn distributions_are_chosen_by_type_ignoring_case_and_written_as_the_sdk_spells_them() {
        assert_eq!(
            read(
                "distribution",
                "CommandComponentSchema",
                "(type = \"PyTorch\", process_count_per_instance = 2)"
            ),
            Ok("{type: \"pytorch\", process_count_per_instance: 2}".to_owned())
        );
        let horovod = read(
            "distribution",
            "CommandComponentSchema",
            "(type = \"horovod\")",
        );
        assert!(
            horovod
                .unwrap_err()
                .contains("`mpi`, `tensorflow`, `pytorch`, `ray`")
        );
        let other = read(
            "distribution",
            "CommandComponentSchema",
            "(type = \"mpi\", worker_count = 2)",
        );
        assert!(other.unwrap_err().contains("has no `worker_count`"));
        let untyped = read(
            "distribution",
            "CommandComponentSchema",
            "(worker_count = 2)",
        );
        assert!(untyped.unwrap_err().contains("needs a `type`"));
    }

    #[test]
    fn keys_and_literals_follow_the_schema() {
        assert_eq!(
            read(
                "resources",
                "CommandComponentSchema",
                "(instance_count = 2, shm_size = \"2g\", docker_args = \"--ipc=host\")"
            ),
            Ok("{instance_count: 2, shm_size: \"2g\", docker_args: \"--ipc=host\"}".to_owned())
        );
        assert!(
            read(
                "resources",
                "CommandComponentSchema",
                "(instance_count = \"2\")"
            )
            .unwrap_err()
            .contains("takes an integer")
        );
        assert!(
            read("resources", "CommandComponentSchema", "(properties = 1)")
                .unwrap_err()
                .contains("list or mapping")
        );
        assert!(
            read(
                "retry_settings",
                "ParallelComponentSchema",
                "(max_retries = 3, max_retries = 4)"
            )
            .unwrap_err()
            .contains("set twice")
        );
        assert_eq!(
            read(
                "retry_settings",
                "ParallelComponentSchema",
                "(timeout = 60)"
            ),
            Ok("{timeout: 60}".to_owned())
        );
    }

    #[test]
    fn every_union_literal_names_a_union_key_of_the_schema() {
        for (schema, key, _) in UNION_LITERALS {
            let k = keys::schema(schema).and_then(|s| s.key(key));
            assert_eq!(k.map(|k| k.kind), Some(FieldKind::Union), "{schema}.{key}");
        }
    }
}
