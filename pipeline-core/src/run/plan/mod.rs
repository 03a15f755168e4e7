//! From a job to the steps that run: nested pipelines flattened, every input resolved to a
//! literal, a local path or an upstream output, and everything that cannot run here found before
//! anything starts.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use indexmap::IndexMap;

mod inputs;
mod steps;

use super::RunOptions;
use crate::Yaml;
use crate::convert::ToNode;
use crate::model::{
    AssetType, Binding, CommandJob, Component, ComponentRef, Job, JobInput, JobOutput, Literal,
    LoggingLevel, MiniBatchSize, Mode, OutputSpec, PipelineJob, PipelineNode, PortType, Template,
};
use steps::StepBase;

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
    /// Each data input's mode where one is given (the node's, else its component's); the rest
    /// are `ro_mount`, Azure ML's default.
    pub input_modes: IndexMap<String, Mode>,
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
    /// `settings.on_finalize`: the step run once every other has ended, whatever their outcome,
    /// even when the run failed or was canceled.
    pub on_finalize: Option<usize>,
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
        let mut steps = std::mem::take(&mut self.steps);
        let step_of = |name: &str, steps: &[Step]| steps.iter().position(|s| s.name == name);
        let mut on_finalize = None;
        for (setting, name) in [
            ("on_init", settings.and_then(|s| s.on_init.as_deref())),
            (
                "on_finalize",
                settings.and_then(|s| s.on_finalize.as_deref()),
            ),
        ] {
            let Some(name) = name else { continue };
            let Some(index) = step_of(name, &steps) else {
                self.problem(format!(
                    "settings.{setting}: `{name}` is not a command or parallel node of this pipeline"
                ));
                continue;
            };
            if setting == "on_init" {
                // Every other node waits for it (on Azure ML it runs before all of them).
                let finalizer = settings.and_then(|s| s.on_finalize.as_deref());
                for (i, step) in steps.iter_mut().enumerate() {
                    if i != index && Some(step.name.as_str()) != finalizer {
                        step.deps.push(index);
                        step.deps.sort_unstable();
                        step.deps.dedup();
                    }
                }
            } else {
                on_finalize = Some(index);
            }
        }
        Some(Plan {
            steps,
            outputs,
            continue_on_step_failure: settings
                .and_then(|s| s.continue_on_step_failure)
                .unwrap_or(false),
            force_rerun: settings.and_then(|s| s.force_rerun).unwrap_or(false),
            on_finalize,
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
        let input_modes = job
            .inputs
            .iter()
            .flatten()
            .filter_map(|(port, input)| match input {
                JobInput::Data(d) => d.mode.map(|m| (port.clone(), m)),
                _ => None,
            })
            .collect();
        let step = Step {
            name,
            kind: StepKind::Command(command),
            inputs,
            input_modes,
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
            on_finalize: None,
            force_rerun: false,
        })
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
            .and_then(Component::source_dir)
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

        // The node's mode for an input, else its component's.
        let mut input_modes: IndexMap<String, Mode> = specs
            .into_iter()
            .flatten()
            .filter_map(|(port, spec)| spec.mode.map(|m| (port.clone(), m)))
            .collect();
        for (port, input) in node.inputs().into_iter().flatten() {
            if let JobInput::Data(d) = input
                && let Some(mode) = d.mode
            {
                input_modes.insert(port.clone(), mode);
            }
        }
        let base = StepBase {
            name: full.to_owned(),
            inputs: inputs.clone(),
            input_modes,
            outputs,
            deps,
            definition,
            dir,
            component_dir,
        };
        let step = match node {
            PipelineNode::Command(n) => self.command_step(n, component, base)?,
            PipelineNode::Parallel(n) => self.parallel_step(scope, n, component, base)?,
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
