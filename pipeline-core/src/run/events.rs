//! What a run tells as it goes: enough for a live display, a log, or a tool reading JSON.

use std::path::PathBuf;

use crate::model::JobStatus;

/// One change in a run, in the order it happened.
///
/// ```
/// use pipeline_core::run::Event;
/// use pipeline_core::JobStatus;
///
/// let event = Event::Node {
///     name: "train".into(),
///     status: JobStatus::Failed,
///     reused: false,
///     log: "/ws/.pipeline/runs/r1/train/user_logs/std_log.txt".into(),
///     error: Some("exit code 1".into()),
/// };
/// assert!(matches!(event, Event::Node { status: JobStatus::Failed, .. }));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The run has its folder; `nodes` are all the nodes that will run, dependencies first.
    Started {
        /// The run's id.
        run_id: String,
        /// `.pipeline/runs/<run-id>`.
        dir: PathBuf,
        /// Every node, `outer/inner` for a node of a nested pipeline.
        nodes: Vec<String>,
    },
    /// Something to say once, such as that environments are this machine's.
    Notice(String),
    /// The pipeline's status changed.
    Pipeline {
        /// Its new status.
        status: JobStatus,
    },
    /// A node's status changed.
    Node {
        /// The node.
        name: String,
        /// Its new status.
        status: JobStatus,
        /// With `Completed`: the outputs are an earlier run's.
        reused: bool,
        /// Its log file.
        log: PathBuf,
        /// With `Failed`: why.
        error: Option<String>,
    },
    /// A parallel node finished a mini-batch.
    Progress {
        /// The node.
        name: String,
        /// Mini-batches finished (succeeded or failed for good).
        done: u64,
        /// All its mini-batches.
        total: u64,
    },
}
