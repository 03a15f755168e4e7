//! The keys each SDK schema takes: what `schema_cls().fields` says of each field (its `data_key`
//! or name, `required`, `load_only`, `dump_only`), read by `scripts/gen_schema.py`.
//!
//! Start from a document kind ([`document`]) or a node type ([`node_schemas`]), then follow
//! [`Key::nested`] into the schemas a key holds (`resources`, `distribution`, `identity`…).
//!
//! ```
//! use pipeline_schema::keys::{self, Unknown};
//!
//! let component = keys::document("command_component").unwrap();
//! assert!(component.key("command").unwrap().required);
//! let resources = component.key("resources").unwrap();
//! // The SDK nests `ComponentResourceSchema` with `unknown=INCLUDE`: extra keys load.
//! assert_eq!(resources.nested[0], ("ComponentResourceSchema", Unknown::Include));
//! ```

pub use crate::generated::keys::{AUTOML_JOBS, DOCUMENTS, NODE_KINDS, SCHEMAS};

/// What marshmallow does with a key the schema does not declare (`Meta.unknown`, or the
/// `unknown=` of the `NestedField` that nests it).
///
/// ```
/// use pipeline_schema::keys::{Unknown, schema};
///
/// assert_eq!(schema("PipelineJobSchema").unwrap().unknown, Unknown::Raise);
/// // Unknown `settings` keys load (and are kept): the SDK does not reject them.
/// assert_eq!(schema("PipelineJobSettingsSchema").unwrap().unknown, Unknown::Include);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    /// An error (`RAISE`).
    Raise,
    /// Kept (`INCLUDE`).
    Include,
    /// Dropped silently (`EXCLUDE`).
    Exclude,
}

/// The kind of value a key takes, from the marshmallow field class.
///
/// ```
/// use pipeline_schema::keys::{FieldKind, schema};
///
/// let limits = schema("CommandJobLimitsSchema").unwrap();
/// assert_eq!(limits.key("timeout").unwrap().kind, FieldKind::Int);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A string (`fields.Str` and its subclasses).
    Str,
    /// An integer.
    Int,
    /// A float or other number.
    Number,
    /// A boolean.
    Bool,
    /// A `StringTransformedEnum`: see [`crate::enums`].
    Enum,
    /// A nested schema.
    Nested,
    /// One of several fields (`UnionField`, `TypeSensitiveUnionField`).
    Union,
    /// A mapping (`fields.Dict`).
    Map,
    /// A list.
    List,
    /// A version (`VersionField`): text, or a number (or boolean) the SDK turns into text.
    Version,
    /// A version of whole numbers joined by `.` (`NumberVersionField`: `3.4`, `1.0.1`).
    NumberVersion,
    /// Anything else (ARM ids, versions, custom fields).
    Other,
}

/// `required` (marshmallow's `required=True`), a flag of [`Key::new`].
///
/// ```
/// use pipeline_schema::keys::{FieldKind, Key, REQUIRED};
///
/// assert!(Key::new("command", FieldKind::Str, REQUIRED, &[]).required);
/// ```
pub const REQUIRED: u8 = 1;
/// `load_only`: read from YAML, never written back; a flag of [`Key::new`].
///
/// ```
/// use pipeline_schema::keys::{FieldKind, Key, LOAD_ONLY};
///
/// assert!(Key::new("k", FieldKind::Str, LOAD_ONLY, &[]).load_only);
/// ```
pub const LOAD_ONLY: u8 = 2;
/// `dump_only`: written by the SDK only, an unknown key to its loader; a flag of [`Key::new`].
///
/// ```
/// use pipeline_schema::keys::{DUMP_ONLY, FieldKind, Key};
///
/// assert!(Key::new("status", FieldKind::Str, DUMP_ONLY, &[]).dump_only);
/// ```
pub const DUMP_ONLY: u8 = 4;
/// Wrapped in the SDK's `ExperimentalField` (loads, with a warning); a flag of [`Key::new`].
///
/// ```
/// use pipeline_schema::keys::{EXPERIMENTAL, FieldKind, Key, REQUIRED};
///
/// let k = Key::new("queue_settings", FieldKind::Nested, EXPERIMENTAL | REQUIRED, &[]);
/// assert!(k.experimental && k.required);
/// ```
pub const EXPERIMENTAL: u8 = 8;

/// A mapping whose values may be null (the value field's `allow_none`: a job's
/// `outputs: {model: }`); a flag of [`Key::new`].
///
/// ```
/// use pipeline_schema::keys::{FieldKind, Key, NULL_VALUES};
///
/// assert!(Key::new("outputs", FieldKind::Map, NULL_VALUES, &[]).null_values);
/// ```
pub const NULL_VALUES: u8 = 16;

/// Popped by the schema's `pre_load` before it reads the rest (an anonymous asset's `name` and
/// `version`): any value loads; a flag of [`Key::new`].
///
/// ```
/// use pipeline_schema::keys::schema;
///
/// let env = schema("AnonymousEnvironmentSchema").unwrap();
/// assert!(env.key("name").unwrap().popped);
/// ```
pub const POPPED: u8 = 32;

/// One key of a schema.
///
/// ```
/// use pipeline_schema::keys::schema;
///
/// let job = schema("PipelineJobSchema").unwrap();
/// let status = job.key("status").unwrap();
/// assert!(status.dump_only && !status.required);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key as written in YAML (`data_key or name`).
    pub name: &'static str,
    /// The value must be given.
    pub required: bool,
    /// Only read, never written (`load_only`).
    pub load_only: bool,
    /// Only written by the SDK (`dump_only`): loading it is the schema's unknown-key case.
    pub dump_only: bool,
    /// Wrapped in the SDK's `ExperimentalField`.
    pub experimental: bool,
    /// A mapping whose values may be null.
    pub null_values: bool,
    /// Popped before loading: any value loads.
    pub popped: bool,
    /// The value's kind.
    pub kind: FieldKind,
    /// The schemas the value may be (one for a nested field, several for a union), each with the
    /// unknown-key policy the nesting field applies; look them up with [`schema`].
    pub nested: &'static [(&'static str, Unknown)],
    /// For a [`FieldKind::Union`], the kinds its members take (nested unions flattened): a value
    /// fits the union when it fits one of them. Empty for any other kind.
    pub members: &'static [FieldKind],
}

impl Key {
    /// A key, its flags from [`REQUIRED`], [`LOAD_ONLY`], [`DUMP_ONLY`], [`EXPERIMENTAL`],
    /// [`NULL_VALUES`], [`POPPED`] (the
    /// generated tables are written this way to stay short).
    ///
    /// ```
    /// use pipeline_schema::keys::{FieldKind, Key, REQUIRED};
    ///
    /// let k = Key::new("type", FieldKind::Enum, REQUIRED, &[]);
    /// assert!(k.required && !k.dump_only);
    /// ```
    pub const fn new(
        name: &'static str,
        kind: FieldKind,
        flags: u8,
        nested: &'static [(&'static str, Unknown)],
    ) -> Key {
        Key {
            name,
            required: flags & REQUIRED != 0,
            load_only: flags & LOAD_ONLY != 0,
            dump_only: flags & DUMP_ONLY != 0,
            experimental: flags & EXPERIMENTAL != 0,
            null_values: flags & NULL_VALUES != 0,
            popped: flags & POPPED != 0,
            kind,
            nested,
            members: &[],
        }
    }

    /// The same key, a union whose members take these kinds.
    ///
    /// ```
    /// use pipeline_schema::keys::{FieldKind, Key};
    ///
    /// let k = Key::new("training_data", FieldKind::Union, 0, &[]).union_of(&[FieldKind::Str, FieldKind::Nested]);
    /// assert_eq!(k.members, [FieldKind::Str, FieldKind::Nested]);
    /// ```
    pub const fn union_of(self, members: &'static [FieldKind]) -> Key {
        Key { members, ..self }
    }
}

/// The keys of one SDK schema class.
///
/// ```
/// use pipeline_schema::keys::schema;
///
/// let mpi = schema("MPIDistributionSchema").unwrap();
/// let names: Vec<&str> = mpi.keys.iter().map(|k| k.name).collect();
/// assert_eq!(names, ["type", "process_count_per_instance"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaKeys {
    /// The SDK class name (classes of one name made in a function get `_2`, `_3`…).
    pub schema: &'static str,
    /// What the schema itself does with an undeclared key.
    pub unknown: Unknown,
    /// Its keys, in the order the SDK declares them.
    pub keys: &'static [Key],
}

impl SchemaKeys {
    /// The key `name`.
    ///
    /// ```
    /// use pipeline_schema::keys::schema;
    ///
    /// let settings = schema("PipelineJobSettingsSchema").unwrap();
    /// assert!(settings.key("force_rerun").is_some());
    /// assert!(settings.key("forcererun").is_none());
    /// ```
    pub fn key(&self, name: &str) -> Option<&'static Key> {
        self.keys.iter().find(|k| k.name == name)
    }

    /// The keys a document may carry: all but the `dump_only` ones.
    ///
    /// ```
    /// use pipeline_schema::keys::schema;
    ///
    /// let job = schema("PipelineJobSchema").unwrap();
    /// assert!(job.loadable().any(|k| k.name == "jobs"));
    /// assert!(!job.loadable().any(|k| k.name == "status"));
    /// ```
    pub fn loadable(&self) -> impl Iterator<Item = &'static Key> + use<> {
        let keys: &'static [Key] = self.keys;
        keys.iter().filter(|k| !k.dump_only)
    }
}

/// Keys a schema does not mark required, but whose `post_load` constructor cannot do without:
/// an `import` node without `outputs` (or `output`) is a `KeyError: 'outputs'` in
/// `import_job` (`entities/_builders/import_func.py`).
///
/// ```
/// use pipeline_schema::keys::{needed_after_load, schema};
///
/// assert!(!schema("ImportSchema").unwrap().key("outputs").unwrap().required);
/// assert!(needed_after_load("ImportSchema", "outputs"));
/// ```
pub fn needed_after_load(schema: &str, key: &str) -> bool {
    const NEEDED: &[(&str, &str)] = &[("ImportSchema", "outputs")];
    NEEDED.iter().any(|(s, k)| *s == schema && *k == key)
}

/// Whether a schema that keeps unknown keys (`INCLUDE`) hands them to a `post_load` constructor
/// that takes none, so that an unknown key fails after all: the automl node schemas
/// ("object.__init__() takes exactly one argument") and a parallel node given right in a
/// pipeline (`parallel_run_function`; the SDK then reports the first alternative's error,
/// "component: Missing data for required field").
///
/// ```
/// use pipeline_schema::keys::unknown_fails_after_load;
///
/// assert!(unknown_fails_after_load("PipelineParallelJobSchema"));
/// assert!(unknown_fails_after_load("AutoMLRegressionNodeSchema"));
/// assert!(!unknown_fails_after_load("ParallelSchema"));
/// ```
pub fn unknown_fails_after_load(schema: &str) -> bool {
    schema == "PipelineParallelJobSchema" || node_schemas("automl").any(|s| s.schema == schema)
}

/// The keys of the SDK schema class `name`.
///
/// ```
/// use pipeline_schema::keys::schema;
///
/// assert!(schema("CommandComponentSchema").is_some());
/// assert!(schema("NoSuchSchema").is_none());
/// ```
pub fn schema(name: &str) -> Option<&'static SchemaKeys> {
    SCHEMAS
        .binary_search_by(|s| s.schema.cmp(name))
        .ok()
        .map(|i| &SCHEMAS[i])
}

/// The schema that loads a document of `kind` (`pipeline_job`, `command_job`, `sweep_job`,
/// `parallel_job`, `spark_job`, `command_component`, `parallel_component`, `pipeline_component`,
/// `spark_component`, `pipeline_settings`, and the compute types: `amlcompute`, `computeinstance`,
/// `kubernetes`, `virtualmachine`, `synapsespark`).
///
/// ```
/// use pipeline_schema::keys::document;
///
/// assert_eq!(document("sweep_job").unwrap().schema, "SweepJobSchema");
/// assert!(document("computeinstance").unwrap().key("size").is_some());
/// ```
pub fn document(kind: &str) -> Option<&'static SchemaKeys> {
    DOCUMENTS
        .iter()
        .find(|(k, _)| *k == kind)
        .and_then(|(_, s)| schema(s))
}

/// The schemas the SDK tries, in order, for a pipeline node of `type: kind` (`command`,
/// `parallel`, `pipeline`, `sweep`, `spark`, `automl`, `import`, `data_transfer`, `do_while`,
/// `if_else`, `parallel_for`).
///
/// ```
/// use pipeline_schema::keys::node_schemas;
///
/// let command: Vec<&str> = node_schemas("command").map(|s| s.schema).collect();
/// assert_eq!(command[0], "CommandSchema");
/// assert_eq!(node_schemas("nonsense").count(), 0);
/// ```
pub fn node_schemas(kind: &str) -> impl Iterator<Item = &'static SchemaKeys> + use<> {
    let names: &'static [&'static str] = NODE_KINDS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(kind))
        .map_or(&[], |(_, s)| *s);
    names.iter().filter_map(|n| schema(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_and_node_schema_and_nested_schema_is_in_the_table() {
        for (kind, name) in DOCUMENTS {
            assert!(schema(name).is_some(), "{kind}: {name}");
        }
        for (kind, names) in NODE_KINDS {
            assert_eq!(node_schemas(kind).count(), names.len(), "{kind}");
        }
        for s in SCHEMAS {
            for k in s.keys {
                for (n, _) in k.nested {
                    assert!(schema(n).is_some(), "{}.{} nests {n}", s.schema, k.name);
                }
            }
        }
    }

    #[test]
    fn keys_as_the_sdk_declares_them() {
        let job = document("pipeline_job").unwrap();
        for k in [
            "type", "jobs", "inputs", "outputs", "settings", "compute", "identity",
        ] {
            assert!(job.key(k).is_some(), "{k}");
        }
        let component = document("command_component").unwrap();
        assert!(component.key("environment").unwrap().required);
        assert_eq!(component.unknown, Unknown::Raise);
        let nodes: Vec<&str> = NODE_KINDS.iter().map(|(k, _)| *k).collect();
        for kind in [
            "command",
            "parallel",
            "pipeline",
            "sweep",
            "spark",
            "automl",
            "import",
            "data_transfer",
            "do_while",
            "if_else",
            "parallel_for",
        ] {
            assert!(nodes.contains(&kind), "{kind}");
        }
        let pytorch = schema("PyTorchDistributionSchema").unwrap();
        assert_eq!(
            pytorch.key("process_count_per_instance").unwrap().kind,
            FieldKind::Int
        );
    }
}
