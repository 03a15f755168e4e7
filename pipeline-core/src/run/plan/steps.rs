//! The step a command or parallel node becomes: its command or task, code, environment and
//! limits, from the node and its component (the node's own settings first).

use std::path::PathBuf;
use std::time::Duration;

use indexmap::IndexMap;

use super::{OutputShape, ParallelTask, Planner, Scope, Step, StepKind, Value, literals};
use crate::model::{
    CommandNode, Component, Literal, LoggingLevel, MiniBatchSize, Mode, ParallelNode,
};

/// What every step has, whatever its kind.
pub(super) struct StepBase {
    pub name: String,
    pub inputs: IndexMap<String, Value>,
    pub input_modes: IndexMap<String, Mode>,
    pub outputs: IndexMap<String, OutputShape>,
    pub deps: Vec<usize>,
    pub definition: String,
    /// The pipeline's folder: the node's own relative paths start here.
    pub dir: PathBuf,
    /// The component's folder: its relative paths start here.
    pub component_dir: PathBuf,
}

impl Planner<'_> {
    pub(super) fn command_step(
        &mut self,
        n: &CommandNode,
        component: Option<&Component>,
        base: StepBase,
    ) -> Option<Step> {
        let full = base.name.as_str();
        let (dir, component_dir) = (&base.dir, &base.component_dir);
        let c = match component {
            Some(Component::Command(c)) => Some(c),
            _ => None,
        };
        let Some(command) = n
            .command
            .clone()
            .or_else(|| c.and_then(|c| c.command.clone()))
        else {
            self.problem(format!("node {full}: no `command` to run"));
            return None;
        };
        let code = match (&n.code, c.and_then(|c| c.code.as_ref())) {
            (Some(code), _) => self.code(full, Some(code), dir),
            (None, Some(code)) => self.code(full, Some(code), component_dir),
            (None, None) => None,
        };
        let mut env = literals(c.and_then(|c| c.environment_variables.as_ref()));
        env.extend(literals(n.environment_variables.as_ref()));
        let limits = n.limits.as_ref().or(c.and_then(|c| c.limits.as_ref()));
        Some(Step {
            name: base.name.clone(),
            kind: StepKind::Command(command),
            inputs: base.inputs,
            input_modes: base.input_modes,
            outputs: base.outputs,
            deps: base.deps,
            code,
            environment_variables: env,
            timeout: limits.and_then(|l| l.timeout).map(Duration::from_secs),
            deterministic: c.and_then(|c| c.is_deterministic).unwrap_or(true),
            definition: base.definition,
        })
    }

    pub(super) fn parallel_step(
        &mut self,
        scope: &mut Scope<'_>,
        n: &ParallelNode,
        component: Option<&Component>,
        base: StepBase,
    ) -> Option<Step> {
        let full = base.name.as_str();
        let (dir, component_dir) = (&base.dir, &base.component_dir);
        // A parallel node gives its settings and `task` itself, or takes them from its
        // component.
        let c = match component {
            Some(Component::Parallel(c)) => Some(c),
            None => None,
            Some(_) => {
                self.problem(format!(
                    "node {full}: a parallel node needs a parallel component"
                ));
                return None;
            }
        };
        let task = n.task.as_ref().or(c.and_then(|c| c.task.as_ref()));
        let Some(task) = task else {
            self.problem(format!("node {full}: no `task` (run_function) to run"));
            return None;
        };
        let Some(entry_script) = task.entry_script.clone() else {
            self.problem(format!("node {full}: the task has no `entry_script`"));
            return None;
        };
        let Some(input_data) = n
            .input_data
            .clone()
            .or_else(|| c.and_then(|c| c.input_data.clone()))
        else {
            self.problem(format!(
                "node {full}: no `input_data` to split into mini-batches"
            ));
            return None;
        };
        // The node's own task is relative to the pipeline's folder; a component's, to
        // the component's.
        let task_dir = if n.task.is_some() { dir } else { component_dir };
        let code = self.code(full, task.code.as_ref(), task_dir);
        let mut env = literals(c.and_then(|c| c.environment_variables.as_ref()));
        env.extend(literals(task.environment_variables.as_ref()));
        env.extend(literals(n.environment_variables.as_ref()));
        let resources = n
            .resources
            .as_ref()
            .or(c.and_then(|c| c.resources.as_ref()));
        let retry = n
            .retry_settings
            .as_ref()
            .or(c.and_then(|c| c.retry_settings.as_ref()));
        let mini_batch_size = match n
            .mini_batch_size
            .clone()
            .or_else(|| c.and_then(|c| c.mini_batch_size.clone()))
        {
            Some(MiniBatchSize::Binding(b)) => match self.resolve(scope, full, &b) {
                Some(Value::Literal(Literal::Int(i))) if i > 0 => MiniBatchSize::Count(i as u64),
                Some(Value::Literal(Literal::Str(s))) => match MiniBatchSize::parse(&s) {
                    Some(m) => m,
                    None => {
                        self.problem(format!(
                                    "node {full}: mini_batch_size `{s}` is not a count or a size such as 10kb"
                                ));
                        MiniBatchSize::Count(1)
                    }
                },
                _ => {
                    self.problem(format!(
                        "node {full}: mini_batch_size `{b}` does not resolve to a count or a size"
                    ));
                    MiniBatchSize::Count(1)
                }
            },
            Some(m) => m,
            None => MiniBatchSize::Count(1),
        };
        Some(Step {
            name: base.name.clone(),
            kind: StepKind::Parallel(Box::new(ParallelTask {
                entry_script,
                program_arguments: task.program_arguments.clone(),
                input_data,
                mini_batch_size,
                workers: n
                    .max_concurrency_per_instance
                    .or(c.and_then(|c| c.max_concurrency_per_instance))
                    .unwrap_or(1)
                    .max(1)
                    * resources.and_then(|r| r.instance_count).unwrap_or(1).max(1),
                // Azure ML's default, -1, ignores every failure.
                error_threshold: n
                    .error_threshold
                    .or(c.and_then(|c| c.error_threshold))
                    .unwrap_or(-1),
                mini_batch_error_threshold: n
                    .mini_batch_error_threshold
                    .or(c.and_then(|c| c.mini_batch_error_threshold))
                    .unwrap_or(-1),
                max_retries: retry.and_then(|r| r.max_retries).unwrap_or(3),
                batch_timeout: Duration::from_secs(
                    retry.and_then(|r| r.timeout).unwrap_or(60).max(1),
                ),
                logging_level: n
                    .logging_level
                    .or(c.and_then(|c| c.logging_level))
                    .unwrap_or(LoggingLevel::Info),
                append_row_to: task.append_row_to.clone(),
            })),
            inputs: base.inputs,
            input_modes: base.input_modes,
            outputs: base.outputs,
            deps: base.deps,
            code,
            environment_variables: env,
            timeout: None,
            deterministic: c.and_then(|c| c.is_deterministic).unwrap_or(true),
            definition: base.definition,
        })
    }
}
