//! What a YAML file holds, judged as the Azure ML CLI judges it, before anything is read from it.

use crate::yaml::{Mapping, Node, Value};

/// What a YAML file holds, judged as the Azure ML CLI does: by `$schema`, else by `type`.
///
/// ```
/// use pipeline_core::{DocumentKind, classify, yaml::parse};
///
/// let data = parse("$schema: https://azuremlschemas.azureedge.net/latest/data.schema.json\nname: taxi\n");
/// assert_eq!(classify(&data.unwrap()), DocumentKind::Unsupported("$schema data".to_owned()));
/// assert_eq!(classify(&parse("type: sweep").unwrap()), DocumentKind::Job);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentKind {
    /// A job.
    Job,
    /// A component.
    Component,
    /// A compute.
    Compute,
    /// Something else (a data asset, an environment, an endpoint…), named by its schema or type.
    Unsupported(String),
}

/// Classifies a parsed document.
///
/// ```
/// use pipeline_core::{DocumentKind, classify, yaml::parse};
///
/// let component = parse("$schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json\nname: train\n");
/// assert_eq!(classify(&component.unwrap()), DocumentKind::Component);
/// assert_eq!(classify(&parse("type: computeinstance\nname: ci-1").unwrap()), DocumentKind::Compute);
/// // A `command` without `type` is a command job, as the CLI reads it.
/// assert_eq!(classify(&parse("command: python train.py").unwrap()), DocumentKind::Job);
/// // Without `$schema`, keys that only components have say it is one.
/// let versioned = parse("type: command\nname: train\nversion: '1'\ncommand: python train.py").unwrap();
/// assert_eq!(classify(&versioned), DocumentKind::Component);
/// ```
pub fn classify(node: &Node) -> DocumentKind {
    let Some(map) = node.as_map() else {
        return DocumentKind::Unsupported(format!("not a mapping but {}", node.kind()));
    };
    if let Some(schema) = map.get("$schema").and_then(Node::as_str) {
        let base = schema
            .rsplit('/')
            .next()
            .unwrap_or(schema)
            .to_ascii_lowercase();
        let base = base.trim_end_matches(".json").trim_end_matches(".schema");
        return if base.ends_with("job") {
            DocumentKind::Job
        } else if base.ends_with("component") {
            DocumentKind::Component
        } else if base.ends_with("compute") || base == "computeinstance" {
            DocumentKind::Compute
        } else {
            DocumentKind::Unsupported(format!("$schema {base}"))
        };
    }
    match map.get("type").map(|t| &t.value) {
        // Without `$schema`, a file written as a component says so by keys no job has.
        Some(Value::Str(t)) if is_component_without_schema(t, map) => DocumentKind::Component,
        Some(Value::Str(t)) if crate::schema::kinds::JOB_TYPES.matches(t).is_some() => {
            DocumentKind::Job
        }
        Some(Value::Str(t)) if crate::schema::kinds::COMPUTE_TYPES.matches(t).is_some() => {
            DocumentKind::Compute
        }
        Some(Value::Str(t)) => DocumentKind::Unsupported(format!("type {t}")),
        _ if map.get("command").is_some() => DocumentKind::Job,
        _ => DocumentKind::Unsupported("no $schema and no type".to_owned()),
    }
}

/// Whether `map` has a key that the SDK's schema for a `component_kind` document takes and the
/// one for `job_kind` does not (`pipeline_schema::keys`; `$schema` aside, which both are written
/// with).
fn has_keys_only_of(map: &Mapping, component_kind: &str, job_kind: &str) -> bool {
    use crate::schema::keys;
    let (Some(only), Some(not)) = (keys::document(component_kind), keys::document(job_kind)) else {
        return false;
    };
    only.loadable().any(|k| {
        k.name != "$schema"
            && map.get(k.name).is_some()
            && !not.loadable().any(|j| j.name == k.name)
    })
}

/// A `type: command`, `pipeline` or `parallel` file with no `$schema` whose keys say it is a
/// component (`version`, `is_deterministic`…) and none say it is a job: `az ml component create`
/// takes it, and reading it as a job would warn of every such key and skip the component checks.
/// A `type: parallel` file is a component unless it has a job's keys: we read no standalone
/// parallel job, and `load_component` takes such a file.
fn is_component_without_schema(kind: &str, map: &Mapping) -> bool {
    let (component, job) = match kind {
        "command" => ("command_component", "command_job"),
        "pipeline" => ("pipeline_component", "pipeline_job"),
        "parallel" => {
            return !has_keys_only_of(map, "parallel_job", "parallel_component");
        }
        _ => return false,
    };
    has_keys_only_of(map, component, job) && !has_keys_only_of(map, job, component)
}
