//! From a job to the steps that run: nested pipelines flattened, every input resolved to a
//! literal, a local path or an upstream output, and everything that cannot run here found before
//! anything starts.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use indexmap::IndexMap;

use super::RunOptions;
use crate::Yaml;
use crate::convert::ToNode;
use crate::model::{
    AssetRef, AssetType, Binding, CodeRef, CommandJob, Component, ComponentRef, DataPath,
    InputSpec, Job, JobInput, JobOutput, Literal, LoggingLevel, MiniBatchSize, OutputSpec,
    PipelineJob, PipelineNode, PortType, Segment, Template,
};

/// Why a job cannot run on this machine: every reason found, each naming the node and what to do.
///
/// ```
/// use pipeline_core::run::{run, RunOptions};
///
/// let job = pipeline_core::job_from_str("
/// type: pipeline
/// jobs:
///   sweep_lr: {type: sweep, trial: ./train.yml}
///   prep: {command: ls, environment: azureml:AzureML-sklearn-1.0@latest, code: azureml:prep-code:1}
/// ").unwrap();
/// let err = run(&job, &RunOptions::new("/tmp/ws"), &mut |_| {}).unwrap_err();
/// assert_eq!(err.problems.len(), 2);
/// assert!(err.problems[0].starts_with("cannot run locally: sweep node sweep_lr"));
/// assert!(err.problems[1].contains("point `code` at a local folder"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    /// One line per problem.
    pub problems: Vec<String>,
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            f.write_str(p)?;
        }
        Ok(())
    }
}

impl std::error::Error for PlanError {}

/// What an input of a step is once resolved.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Literal(Literal),
    /// A local file or folder (absolute).
    Path(PathBuf),
    /// An output of an earlier step.
    Upstream {
        step: usize,
        port: String,
    },
    /// An optional input left unset: its `$[[…]]` block disappears.
    Unset,
}

/// An output port of a step: a folder, or a file for `uri_file`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OutputShape {
    Folder,
    File,
}

#[derive(Debug, Clone)]
pub(crate) struct ParallelTask {
    pub entry_script: String,
    pub program_arguments: Option<Template>,
    pub input_data: Template,
    pub mini_batch_size: MiniBatchSize,
    pub workers: u64,
    pub error_threshold: i64,
    pub mini_batch_error_threshold: i64,
    pub max_retries: u64,
    pub batch_timeout: Duration,
    pub logging_level: LoggingLevel,
    pub append_row_to: Option<Template>,
}

#[derive(Debug, Clone)]
pub(crate) enum StepKind {
    Command(Template),
    Parallel(Box<ParallelTask>),
}

#[derive(Debug, Clone)]
pub(crate) struct Step {
    /// `train`, or `outer/train` inside a nested pipeline node.
    pub name: String,
    pub kind: StepKind,
    pub inputs: IndexMap<String, Value>,
    pub outputs: IndexMap<String, OutputShape>,
    /// Steps that must complete first.
    pub deps: Vec<usize>,
    /// The code folder (absolute), copied into the run.
    pub code: Option<PathBuf>,
    pub environment_variables: IndexMap<String, String>,
    pub timeout: Option<Duration>,
    pub deterministic: bool,
    /// The node's and its component's YAML: what reuse compares besides data.
    pub definition: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub steps: Vec<Step>,
    /// The pipeline's outputs: which step's port each is.
    pub outputs: IndexMap<String, (usize, String)>,
    pub continue_on_step_failure: bool,
    pub force_rerun: bool,
}

pub(crate) fn plan(job: &Job, options: &RunOptions) -> Result<Plan, PlanError> {
    let mut planner = Planner {
        options,
        steps: Vec::new(),
        problems: Vec::new(),
    };
    let plan = match job {
        Job::Pipeline(p) => planner.pipeline_job(p),
        Job::Command(c) => planner.command_job(c),
        Job::Other(o) => {
            planner.problem(format!(
                "cannot run locally: a {} job runs only on Azure ML; `pipeline run` runs pipeline and command jobs",
                o.kind
            ));
            None
        }
    };
    match plan {
        Some(plan) if planner.problems.is_empty() => Ok(plan),
        _ => Err(PlanError {
            problems: planner.problems,
        }),
    }
}

struct Planner<'o> {
    options: &'o RunOptions,
    steps: Vec<Step>,
    problems: Vec<String>,
}

/// The pipeline a node is in: its inputs' values, its folder, and its name in step names.
struct Scope<'a> {
    prefix: String,
    inputs: IndexMap<String, Value>,
    dir: Option<PathBuf>,
    jobs: &'a IndexMap<String, PipelineNode>,
    /// Each node's resolved inputs and outputs, once planned.
    done: HashMap<String, Planned>,
    /// Nodes being planned: a binding back to one of them is a cycle.
    visiting: Vec<String>,
    /// `parent.outputs.x` of this pipeline: which step's port.
    parent_outputs: IndexMap<String, (usize, String)>,
}

#[derive(Debug, Clone, Default)]
struct Planned {
    inputs: IndexMap<String, Value>,
    outputs: IndexMap<String, (usize, String)>,
}

impl<'o> Planner<'o> {
    fn problem(&mut self, message: String) {
        self.problems.push(message);
    }

    fn base_dir(&self, source: Option<&Path>) -> PathBuf {
        source
            .map(Path::to_path_buf)
            .or_else(|| self.options.base_dir.clone())
            .unwrap_or_else(|| PathBuf::from("."))
    }

    fn pipeline_job(&mut self, job: &PipelineJob) -> Option<Plan> {
        let dir = self.base_dir(job.source_dir.get());
        let mut inputs = IndexMap::new();
        for (name, input) in job.inputs.iter().flatten() {
            let value = self.top_input(name, input, &dir);
            inputs.insert(name.clone(), value);
        }
        let empty = IndexMap::new();
        let jobs = job.jobs.as_ref().unwrap_or(&empty);
        let mut scope = Scope {
            prefix: String::new(),
            inputs,
            dir: Some(dir),
            jobs,
            done: HashMap::new(),
            visiting: Vec::new(),
            parent_outputs: IndexMap::new(),
        };
        self.nodes(&mut scope);
        let settings = job.settings.as_ref();
        let mut outputs = IndexMap::new();
        for name in job.outputs.iter().flatten().map(|(n, _)| n) {
            if let Some(at) = scope.parent_outputs.get(name) {
                outputs.insert(name.clone(), at.clone());
            }
        }
        Some(Plan {
            steps: std::mem::take(&mut self.steps),
            outputs,
            continue_on_step_failure: settings
                .and_then(|s| s.continue_on_step_failure)
                .unwrap_or(false),
            force_rerun: settings.and_then(|s| s.force_rerun).unwrap_or(false),
        })
    }

    fn command_job(&mut self, job: &CommandJob) -> Option<Plan> {
        let dir = self.base_dir(job.source_dir.get());
        let mut inputs = IndexMap::new();
        for (name, input) in job.inputs.iter().flatten() {
            let value = self.top_input(name, input, &dir);
            inputs.insert(name.clone(), value);
        }
        let name = job.name.clone().unwrap_or_else(|| "command".to_owned());
        let Some(command) = job.command.clone() else {
            self.problem(format!("command job {name}: no `command` to run"));
            return None;
        };
        let code = self.code(&name, job.code.as_ref(), &dir);
        let outputs = job
            .outputs
            .iter()
            .flatten()
            .map(|(port, o)| (port.clone(), shape_of_job_output(o, None)))
            .collect();
        let step = Step {
            name,
            kind: StepKind::Command(command),
            inputs,
            outputs,
            deps: Vec::new(),
            code,
            environment_variables: literals(job.environment_variables.as_ref()),
            timeout: job
                .limits
                .as_ref()
                .and_then(|l| l.timeout)
                .map(Duration::from_secs),
            deterministic: true,
            definition: job.to_yaml(),
        };
        let outputs = step
            .outputs
            .keys()
            .map(|p| (p.clone(), (0, p.clone())))
            .collect();
        self.steps.push(step);
        Some(Plan {
            steps: std::mem::take(&mut self.steps),
            outputs,
            continue_on_step_failure: false,
            force_rerun: false,
        })
    }

    /// A pipeline's own input: a literal, or data at a path (local, or mapped with `--data`).
    fn top_input(&mut self, name: &str, input: &JobInput, dir: &Path) -> Value {
        match input {
            JobInput::Literal(l) => Value::Literal(l.clone()),
            JobInput::Data(d) => match &d.path {
                Some(path) => self.data_path(&format!("pipeline input {name}"), path, dir),
                None => Value::Unset,
            },
            JobInput::Empty => Value::Unset,
            JobInput::Binding(b) => {
                self.problem(format!(
                    "pipeline input {name}: `{b}` cannot be resolved at the top of a pipeline; give a value"
                ));
                Value::Unset
            }
            JobInput::Template(t) => Value::Literal(Literal::Str(t.to_string())),
        }
    }

    /// Data at `path`: a local path resolved against `dir`, or an asset or URI mapped with
    /// `--data`.
    fn data_path(&mut self, what: &str, path: &DataPath, dir: &Path) -> Value {
        let (key, shown) = match path {
            DataPath::Local(p) => {
                let local = dir.join(p.strip_prefix("file:").unwrap_or(p));
                if !local.exists() {
                    self.problem(format!(
                        "{what}: local path {} does not exist",
                        local.display()
                    ));
                }
                return Value::Path(absolute(&local));
            }
            DataPath::Asset(AssetRef::Version { name, .. })
            | DataPath::Asset(AssetRef::Label { name, .. })
            | DataPath::Asset(AssetRef::Name(name)) => (name.clone(), path.to_string()),
            DataPath::Asset(AssetRef::Uri(uri)) => (uri.clone(), uri.clone()),
            DataPath::Uri(t) => (t.to_string(), t.to_string()),
        };
        let mapped = self
            .options
            .data
            .get(&key)
            .or_else(|| self.options.data.get(&shown));
        match mapped {
            Some(p) if p.exists() => Value::Path(absolute(p)),
            Some(p) => {
                self.problem(format!(
                    "{what}: --data {key}={} does not exist",
                    p.display()
                ));
                Value::Unset
            }
            None => {
                self.problem(format!(
                    "{what}: `{shown}` is not on this machine; map it to a local copy with --data {key}=PATH"
                ));
                Value::Unset
            }
        }
    }

    fn code(&mut self, node: &str, code: Option<&CodeRef>, dir: &Path) -> Option<PathBuf> {
        match code? {
            CodeRef::Local(p) => {
                let path = dir.join(p.strip_prefix("file:").unwrap_or(p));
                if path.is_dir() || path.is_file() {
                    Some(absolute(&path))
                } else {
                    self.problem(format!(
                        "node {node}: code folder {} does not exist",
                        path.display()
                    ));
                    None
                }
            }
            other => {
                self.problem(format!(
                    "node {node}: code `{other}` is in Azure ML; point `code` at a local folder to run it here"
                ));
                None
            }
        }
    }

    fn nodes(&mut self, scope: &mut Scope<'_>) {
        for name in scope.jobs.keys() {
            self.node(scope, name);
        }
    }

    /// Plans node `name` of `scope` (after the nodes it reads from) and returns its ports.
    fn node(&mut self, scope: &mut Scope<'_>, name: &str) -> Option<Planned> {
        if let Some(done) = scope.done.get(name) {
            return Some(done.clone());
        }
        let full = format!("{}{name}", scope.prefix);
        if scope.visiting.iter().any(|v| v == name) {
            self.problem(format!(
                "node {full}: its inputs depend on its own outputs (a cycle through {})",
                scope.visiting.join(" → ")
            ));
            return None;
        }
        let node = scope.jobs.get(name)?;
        scope.visiting.push(name.to_owned());
        let planned = self.node_kind(scope, name, &full, node);
        scope.visiting.pop();
        let planned = planned.unwrap_or_default();
        scope.done.insert(name.to_owned(), planned.clone());
        Some(planned)
    }

    fn node_kind(
        &mut self,
        scope: &mut Scope<'_>,
        name: &str,
        full: &str,
        node: &PipelineNode,
    ) -> Option<Planned> {
        let component = match node {
            PipelineNode::Other(o) => {
                self.problem(format!(
                    "cannot run locally: {} node {full} runs only on Azure ML",
                    o.kind
                ));
                return None;
            }
            _ => match node.component() {
                None => None,
                Some(ComponentRef::Asset(a)) => {
                    self.problem(format!(
                        "cannot run locally: node {full} uses the registered component {a}; point `component` at its YAML file"
                    ));
                    return None;
                }
                Some(ComponentRef::File {
                    path,
                    component: None,
                    ..
                }) => {
                    self.problem(format!(
                        "node {full}: component file {path} was not loaded; run the job from its YAML file"
                    ));
                    return None;
                }
                Some(r) => r.component(),
            },
        };
        if let Some(c) = component
            && let Component::Other(o) = c
        {
            self.problem(format!(
                "cannot run locally: node {full} uses a {} component, which runs only on Azure ML",
                o.kind
            ));
            return None;
        }
        let specs = component.and_then(Component::inputs);
        let inputs = self.node_inputs(scope, name, full, node.inputs(), specs)?;
        let dir = scope.dir.clone().unwrap_or_else(|| self.base_dir(None));
        let component_dir = component
            .and_then(component_source_dir)
            .map(Path::to_path_buf)
            .unwrap_or_else(|| dir.clone());

        if let PipelineNode::Pipeline(p) = node {
            let Some(Component::Pipeline(inner)) = component else {
                self.problem(format!(
                    "node {full}: a pipeline node needs a pipeline component"
                ));
                return None;
            };
            let empty = IndexMap::new();
            let mut inner_scope = Scope {
                prefix: format!("{full}/"),
                inputs,
                dir: Some(component_dir),
                jobs: inner.jobs.as_ref().unwrap_or(&empty),
                done: HashMap::new(),
                visiting: Vec::new(),
                parent_outputs: IndexMap::new(),
            };
            self.nodes(&mut inner_scope);
            let outputs = inner_scope.parent_outputs.clone();
            for (port, out) in p.outputs.iter().flatten() {
                if let (JobOutput::Binding(Binding::ParentOutput(up)), Some(at)) =
                    (out, outputs.get(port))
                {
                    scope.parent_outputs.insert(up.clone(), at.clone());
                }
            }
            return Some(Planned {
                inputs: inner_scope.inputs,
                outputs,
            });
        }

        let step_index = self.steps.len();
        let output_specs = component.and_then(Component::outputs);
        let node_outputs = node.outputs();
        let mut outputs = IndexMap::new();
        for (port, spec) in output_specs.into_iter().flatten() {
            let declared = node_outputs.and_then(|o| o.get(port));
            outputs.insert(
                port.clone(),
                shape_of_job_output_or_spec(declared, Some(spec)),
            );
        }
        for (port, out) in node_outputs.into_iter().flatten() {
            outputs
                .entry(port.clone())
                .or_insert_with(|| shape_of_job_output(out, None));
            if let JobOutput::Binding(Binding::ParentOutput(up)) = out {
                scope
                    .parent_outputs
                    .insert(up.clone(), (step_index, port.clone()));
            }
        }
        let mut deps: Vec<usize> = inputs
            .values()
            .filter_map(|v| match v {
                Value::Upstream { step, .. } => Some(*step),
                _ => None,
            })
            .collect();
        deps.sort_unstable();
        deps.dedup();

        let mut definition = crate::yaml::emit(&node.to_node());
        if let Some(ComponentRef::File {
            component: Some(c), ..
        }) = node.component()
        {
            definition.push_str("\n---\n");
            definition.push_str(&crate::yaml::emit(&c.to_node()));
        }

        let step = match node {
            PipelineNode::Command(n) => {
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
                    (Some(code), _) => self.code(full, Some(code), &dir),
                    (None, Some(code)) => self.code(full, Some(code), &component_dir),
                    (None, None) => None,
                };
                let mut env = literals(c.and_then(|c| c.environment_variables.as_ref()));
                env.extend(literals(n.environment_variables.as_ref()));
                let limits = n.limits.as_ref().or(c.and_then(|c| c.limits.as_ref()));
                Step {
                    name: full.to_owned(),
                    kind: StepKind::Command(command),
                    inputs: inputs.clone(),
                    outputs: outputs.clone(),
                    deps,
                    code,
                    environment_variables: env,
                    timeout: limits.and_then(|l| l.timeout).map(Duration::from_secs),
                    deterministic: c.and_then(|c| c.is_deterministic).unwrap_or(true),
                    definition,
                }
            }
            PipelineNode::Parallel(n) => {
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
                let task_dir = if n.task.is_some() {
                    &dir
                } else {
                    &component_dir
                };
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
                        Some(Value::Literal(Literal::Int(i))) if i > 0 => {
                            MiniBatchSize::Count(i as u64)
                        }
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
                Step {
                    name: full.to_owned(),
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
                    inputs: inputs.clone(),
                    outputs: outputs.clone(),
                    deps,
                    code,
                    environment_variables: env,
                    timeout: None,
                    deterministic: c.and_then(|c| c.is_deterministic).unwrap_or(true),
                    definition,
                }
            }
            PipelineNode::Pipeline(_) | PipelineNode::Other(_) => unreachable!("handled above"),
        };
        let ports = step
            .outputs
            .keys()
            .map(|p| (p.clone(), (step_index, p.clone())))
            .collect();
        self.steps.push(step);
        Some(Planned {
            inputs,
            outputs: ports,
        })
    }

    /// A node's inputs: those it binds, then its component's defaults; a required one missing is
    /// a problem.
    fn node_inputs(
        &mut self,
        scope: &mut Scope<'_>,
        name: &str,
        full: &str,
        given: Option<&IndexMap<String, JobInput>>,
        specs: Option<&IndexMap<String, InputSpec>>,
    ) -> Option<IndexMap<String, Value>> {
        let mut values = IndexMap::new();
        let dir = scope.dir.clone().unwrap_or_else(|| self.base_dir(None));
        for (port, input) in given.into_iter().flatten() {
            let spec = specs.and_then(|s| s.get(port));
            let is_data = matches!(spec.map(|s| s.kind), Some(PortType::Asset(_)));
            let what = format!("node {full}: input {port}");
            let value = match input {
                JobInput::Empty => Value::Unset,
                JobInput::Literal(Literal::Str(s)) if is_data => {
                    self.data_path(&what, &DataPath::parse(s), &dir)
                }
                JobInput::Literal(l) => Value::Literal(l.clone()),
                JobInput::Binding(b) => self.resolve(scope, full, b)?,
                JobInput::Template(t) => self.render_template(scope, full, t)?,
                JobInput::Data(d) => match &d.path {
                    Some(DataPath::Uri(t)) if t.as_binding().is_some() => {
                        let b = t.as_binding().cloned()?;
                        self.resolve(scope, full, &b)?
                    }
                    Some(path) => self.data_path(&what, path, &dir),
                    None => Value::Unset,
                },
            };
            values.insert(port.clone(), value);
        }
        for (port, spec) in specs.into_iter().flatten() {
            match values.get(port) {
                Some(v) if *v != Value::Unset => continue,
                _ => {}
            }
            let value = match &spec.default {
                Some(Literal::Str(s)) if matches!(spec.kind, PortType::Asset(_)) => self.data_path(
                    &format!("node {full}: input {port}"),
                    &DataPath::parse(s),
                    &dir,
                ),
                Some(l) => Value::Literal(l.clone()),
                None if spec.optional == Some(true) => Value::Unset,
                None => {
                    self.problem(format!(
                        "node {full}: input {port} is required but not given; bind it in `jobs.{name}.inputs`"
                    ));
                    Value::Unset
                }
            };
            values.insert(port.clone(), value);
        }
        Some(values)
    }

    /// The value a binding names, from the scope's pipeline inputs or another node's ports.
    fn resolve(&mut self, scope: &mut Scope<'_>, full: &str, binding: &Binding) -> Option<Value> {
        match binding {
            Binding::ParentInput(name) => match scope.inputs.get(name) {
                Some(v) => Some(v.clone()),
                None => {
                    self.problem(format!(
                        "node {full}: `{binding}` names no input of its pipeline"
                    ));
                    None
                }
            },
            Binding::JobOutput { job, port } | Binding::JobInput { job, port } => {
                if !scope.jobs.contains_key(job) {
                    self.problem(format!("node {full}: `{binding}` names no node `{job}`"));
                    return None;
                }
                let planned = self.node(scope, job)?;
                let ports = if matches!(binding, Binding::JobOutput { .. }) {
                    planned
                        .outputs
                        .get(port)
                        .map(|(step, port)| Value::Upstream {
                            step: *step,
                            port: port.clone(),
                        })
                } else {
                    planned.inputs.get(port).cloned()
                };
                match ports {
                    Some(v) => Some(v),
                    None => {
                        self.problem(format!(
                            "node {full}: `{binding}` names no port `{port}` of node {job}"
                        ));
                        None
                    }
                }
            }
            other => {
                self.problem(format!(
                    "node {full}: `{other}` cannot be resolved on this machine"
                ));
                None
            }
        }
    }

    /// A string with bindings in it: each replaced by its literal value or local path.
    fn render_template(
        &mut self,
        scope: &mut Scope<'_>,
        full: &str,
        template: &Template,
    ) -> Option<Value> {
        let mut out = String::new();
        for segment in &template.segments {
            match segment {
                Segment::Text(t) => out.push_str(t),
                Segment::Expr(b) => match self.resolve(scope, full, b)? {
                    Value::Literal(l) => out.push_str(&super::render::literal_text(&l)),
                    Value::Path(p) => out.push_str(&p.display().to_string()),
                    Value::Unset => {}
                    Value::Upstream { .. } => {
                        self.problem(format!(
                            "node {full}: `{b}` is an output; bind it alone, not inside a string"
                        ));
                        return None;
                    }
                },
                // An input's value is not a command: `$[[` has no meaning in it.
                Segment::Optional(_) => out.push_str(
                    &Template {
                        segments: vec![segment.clone()],
                    }
                    .to_string(),
                ),
            }
        }
        Some(Value::Literal(Literal::Str(out)))
    }
}

fn component_source_dir(c: &Component) -> Option<&Path> {
    match c {
        Component::Command(c) => c.source_dir.get(),
        Component::Parallel(c) => c.source_dir.get(),
        Component::Pipeline(c) => c.source_dir.get(),
        Component::Other(_) => None,
    }
}

fn shape_of_job_output(output: &JobOutput, spec: Option<&OutputSpec>) -> OutputShape {
    shape_of_job_output_or_spec(Some(output), spec)
}

fn shape_of_job_output_or_spec(
    output: Option<&JobOutput>,
    spec: Option<&OutputSpec>,
) -> OutputShape {
    let declared = match output {
        Some(JobOutput::Data(d)) => d.kind,
        _ => None,
    };
    match declared.or(spec.map(|s| s.kind)) {
        Some(PortType::Asset(AssetType::UriFile)) => OutputShape::File,
        _ => OutputShape::Folder,
    }
}

fn literals(map: Option<&IndexMap<String, Literal>>) -> IndexMap<String, String> {
    map.into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), super::render::literal_text(v)))
        .collect()
}

/// `path` made absolute against the current folder, without resolving links.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(path)
    };
    crate::load::normalize(&joined)
}
