//! The `type`s each loader takes, and how it compares them: written by hand from the SDK code
//! that dispatches on `type` (there is no schema field to generate them from).
//!
//! ```
//! use pipeline_schema::kinds::{COMPUTE_TYPES, JOB_TYPES, node_types};
//!
//! assert_eq!(JOB_TYPES.matches("sweep"), Some("sweep"));
//! assert_eq!(COMPUTE_TYPES.matches("ComputeInstance"), Some("computeinstance"));
//! assert_eq!(node_types().matches("DO_WHILE"), Some("do_while"));
//! ```

use crate::enums::Casing;

/// A closed set of `type` values and how the SDK compares a value with them.
///
/// ```
/// use pipeline_schema::kinds::{COMPONENT_TYPES, JOB_TYPES};
///
/// assert_eq!(COMPONENT_TYPES.matches("Command"), Some("command"));
/// // `load_job` compares as written: `Pipeline` is "Unsupported job type".
/// assert_eq!(JOB_TYPES.matches("Pipeline"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kinds {
    /// The values, in the SDK's spelling.
    pub values: &'static [&'static str],
    /// How a value is compared with them.
    pub casing: Casing,
}

impl Kinds {
    /// The value `value` stands for, in the SDK's spelling, or `None` when the SDK refuses it.
    ///
    /// ```
    /// use pipeline_schema::kinds::COMPUTE_TYPES;
    ///
    /// assert_eq!(COMPUTE_TYPES.matches("AmlCompute"), Some("amlcompute"));
    /// assert_eq!(COMPUTE_TYPES.matches("computeinstanse"), None);
    /// ```
    pub fn matches(&self, value: &str) -> Option<&'static str> {
        let values: &'static [&'static str] = self.values;
        values.iter().copied().find(|v| self.casing.same(value, v))
    }
}

/// The job types `load_job` takes (`Job._load` in `entities/_job/job.py`, which compares
/// `type` as written and raises "Unsupported job type" for any other).
///
/// ```
/// use pipeline_schema::kinds::JOB_TYPES;
///
/// assert_eq!(JOB_TYPES.matches("automl"), Some("automl"));
/// assert_eq!(JOB_TYPES.matches("Automl"), None);
/// ```
pub const JOB_TYPES: Kinds = Kinds {
    values: &[
        "command",
        "spark",
        "import",
        "sweep",
        "automl",
        "pipeline",
        "finetuning",
        "distillation",
    ],
    casing: Casing::Exact,
};

/// The component types `load_component` takes (`get_type_from_spec` in `entities/_util.py`
/// lower-cases a `NodeType` before looking it up, and raises "Unsupported component type" for
/// any other); `flow` is a prompt flow run as a component.
///
/// ```
/// use pipeline_schema::kinds::COMPONENT_TYPES;
///
/// assert_eq!(COMPONENT_TYPES.matches("Parallel"), Some("parallel"));
/// assert_eq!(COMPONENT_TYPES.matches("commanm"), None);
/// ```
pub const COMPONENT_TYPES: Kinds = Kinds {
    values: &[
        "command",
        "parallel",
        "pipeline",
        "spark",
        "import",
        "data_transfer",
        "flow",
    ],
    casing: Casing::IgnoreCase,
};

/// The compute types `load_compute` takes (`Compute._load` in `entities/_compute/compute.py`,
/// which lower-cases `type` and raises "Unknown compute type" for any other).
///
/// ```
/// use pipeline_schema::kinds::COMPUTE_TYPES;
///
/// assert_eq!(COMPUTE_TYPES.matches("SynapseSpark"), Some("synapsespark"));
/// assert_eq!(COMPUTE_TYPES.matches("computeinstanse"), None);
/// ```
pub const COMPUTE_TYPES: Kinds = Kinds {
    values: &[
        "amlcompute",
        "computeinstance",
        "virtualmachine",
        "kubernetes",
        "synapsespark",
    ],
    casing: Casing::IgnoreCase,
};

/// The control-flow node types (`ControlFlowType` in `constants/_component.py`): they steer other
/// nodes and run nowhere themselves.
///
/// ```
/// use pipeline_schema::kinds::CONTROL_FLOW_TYPES;
///
/// assert!(CONTROL_FLOW_TYPES.contains(&"do_while"));
/// ```
pub const CONTROL_FLOW_TYPES: &[&str] = &["do_while", "if_else", "parallel_for"];

/// The node types of a pipeline (`PipelineJobSchema.jobs`, generated: [`crate::keys::NODE_KINDS`]),
/// which the SDK compares ignoring case.
///
/// ```
/// use pipeline_schema::kinds::node_types;
///
/// assert_eq!(node_types().matches("Parallel"), Some("parallel"));
/// assert_eq!(node_types().matches("comand"), None);
/// ```
pub fn node_types() -> Kinds {
    static NAMES: std::sync::LazyLock<Vec<&'static str>> =
        std::sync::LazyLock::new(|| crate::keys::NODE_KINDS.iter().map(|(k, _)| *k).collect());
    Kinds {
        values: NAMES.as_slice(),
        casing: Casing::IgnoreCase,
    }
}

/// Whether a node of `node_type` runs a component of `component_type`, both compared ignoring
/// case: each node runs its own type, and a `parallel` node runs a prompt `flow` too (the
/// parallel node's `component` field is a union of text, `ParallelComponent` and `FlowComponent`).
///
/// ```
/// use pipeline_schema::kinds::node_runs;
///
/// assert!(node_runs("Spark", "spark"));
/// assert!(node_runs("parallel", "flow"));
/// assert!(!node_runs("pipeline", "spark"));
/// assert!(!node_runs("command", "flow"));
/// ```
pub fn node_runs(node_type: &str, component_type: &str) -> bool {
    /// Node types that run more than their own type of component.
    const ALSO: &[(&str, &[&str])] = &[("parallel", &["flow"])];
    node_type.eq_ignore_ascii_case(component_type)
        || ALSO.iter().any(|(node, others)| {
            node.eq_ignore_ascii_case(node_type)
                && others
                    .iter()
                    .any(|o| o.eq_ignore_ascii_case(component_type))
        })
}
