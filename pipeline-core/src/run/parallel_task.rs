//! Parallel nodes (run_function): not yet written.

use indexmap::IndexMap;

use super::command::{Context, Outcome, StepDirs};
use super::plan::{ParallelTask, Step};

pub(crate) fn run(
    step: &Step,
    task: &ParallelTask,
    dirs: &StepDirs,
    inputs: &IndexMap<String, Option<String>>,
    outputs: &IndexMap<String, String>,
    cx: &Context<'_>,
) -> Result<Outcome, String> {
    let _ = (step, task, dirs, inputs, outputs, cx);
    Err("parallel nodes: in progress".to_owned())
}
