//! What one step of a run is, shared by the command and parallel steps: its folders, how it ended,
//! what it needs from the run around it, and the environment its processes get.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use indexmap::IndexMap;

use super::plan::{Plan, Step};
use super::reuse::Cache;
use super::supervise::{NODE_TAG, RUN_TAG, node_tag, run_tag};

/// The folders of one step in a run: `<run>/<node>/{code,outputs,user_logs}`.
#[derive(Debug, Clone)]
pub(crate) struct StepDirs {
    pub root: PathBuf,
    pub code: PathBuf,
    pub outputs: PathBuf,
    pub logs: PathBuf,
}

impl StepDirs {
    pub(crate) fn new(run_dir: &Path, name: &str) -> Self {
        let root = run_dir.join(name);
        StepDirs {
            code: root.join("code"),
            outputs: root.join("outputs"),
            logs: root.join("user_logs"),
            root,
        }
    }

    pub(crate) fn log(&self) -> PathBuf {
        self.logs.join("std_log.txt")
    }

    pub(crate) fn output(&self, port: &str) -> PathBuf {
        self.outputs.join(port)
    }
}

/// How a step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Completed { reused: bool },
    Failed(String),
    Canceled,
}

/// What a step needs from the run around it.
pub(crate) struct Context<'a> {
    pub plan: &'a Plan,
    pub run_dir: &'a Path,
    pub cache: &'a Cache,
    pub force_rerun: bool,
    pub cancel: &'a AtomicBool,
    /// Tells the run a parallel step's progress: (mini-batches done, all of them).
    pub progress: &'a (dyn Fn(u64, u64) + Sync),
}

/// What a node's processes find in their environment: its `environment_variables`, then the run
/// and node they belong to, as Azure ML's runtime sets them.
pub(crate) fn environment(step: &Step, run_dir: &Path) -> IndexMap<String, String> {
    let mut env = step.environment_variables.clone();
    env.insert("AZUREML_RUN_ID".to_owned(), run_id_of(run_dir));
    env.insert("AZUREML_NODE_NAME".to_owned(), step.name.clone());
    // What finds the node's processes again, wherever they go (`supervise`).
    env.insert(RUN_TAG.to_owned(), run_tag(run_dir));
    env.insert(NODE_TAG.to_owned(), node_tag(run_dir, &step.name));
    env
}

fn run_id_of(run_dir: &Path) -> String {
    run_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
