//! Jobs: pipeline jobs and standalone command jobs; other kinds (sweep, spark, automl) verbatim.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use crate::convert::{Cx, FromNode, ToNode, read_kind_in, yaml_struct};
use crate::model::{
    CodeRef, ComponentRef, Distribution, Environment, Identity, JobInput, JobOutput, JobService,
    Limits, Literal, Opaque, PipelineNode, QueueSettings, Resources, SourceDir, Template,
    schema_url,
};
use crate::yaml::{Mapping, Node};

yaml_struct! {
    /// `settings:` of a pipeline job. Keys not listed here are kept (and reported by validation).
    ///
    /// ```
    /// use pipeline_core::{Job, job_from_str};
    ///
    /// let job = job_from_str("
    /// type: pipeline
    /// settings:
    ///   default_compute: azureml:cpu-cluster
    ///   continue_on_step_failure: true
    ///   on_init: setup
    ///   retries: 3
    /// ").unwrap();
    /// let Job::Pipeline(p) = &job else { panic!("not a pipeline") };
    /// let settings = p.settings.as_ref().unwrap();
    /// assert_eq!(settings.default_compute.as_deref(), Some("azureml:cpu-cluster"));
    /// assert_eq!(settings.continue_on_step_failure, Some(true));
    /// assert_eq!(settings.on_init.as_deref(), Some("setup"));
    /// assert!(settings.extra.get("retries").is_some());
    /// ```
    pub struct PipelineSettings {
        /// `azureml:<cluster>` or `serverless`.
        "default_compute" => default_compute: Option<String>,
        /// `azureml:<datastore>`.
        "default_datastore" => default_datastore: Option<String>,
        "continue_on_step_failure" => continue_on_step_failure: Option<bool>,
        "force_rerun" => force_rerun: Option<bool>,
        /// A node run before all others (private preview).
        "on_init" => on_init: Option<String>,
        /// A node run after all others, whatever their outcome (private preview).
        "on_finalize" => on_finalize: Option<String>,
    }
}

impl PipelineSettings {
    /// No settings.
    ///
    /// ```
    /// use pipeline_core::PipelineSettings;
    ///
    /// let mut settings = PipelineSettings::new();
    /// assert_eq!(settings, PipelineSettings::default());
    /// settings.force_rerun = Some(true);
    /// assert!(settings.default_compute.is_none() && settings.extra.is_empty());
    /// ```
    pub fn new() -> Self {
        PipelineSettings {
            default_compute: None,
            default_datastore: None,
            continue_on_step_failure: None,
            force_rerun: None,
            on_init: None,
            on_finalize: None,
            extra: Mapping::new(),
        }
    }
}

impl Default for PipelineSettings {
    fn default() -> Self {
        Self::new()
    }
}

yaml_struct! {
    /// A pipeline job (`type: pipeline`): nodes wired by bindings, or one pipeline component.
    ///
    /// ```
    /// use pipeline_core::{Job, job_from_str};
    ///
    /// let job = job_from_str("
    /// type: pipeline
    /// experiment_name: nyc_taxi
    /// inputs: {raw: {type: uri_folder, path: azureml:nyc_taxi_raw:1}}
    /// jobs:
    ///   prep: {component: azureml:prep:1, inputs: {raw: '${{parent.inputs.raw}}'}}
    ///   train: {component: azureml:train:1, inputs: {data: '${{parent.jobs.prep.outputs.train}}'}}
    /// ").unwrap();
    /// let Job::Pipeline(p) = &job else { panic!("not a pipeline") };
    /// assert_eq!(p.experiment_name.as_deref(), Some("nyc_taxi"));
    /// assert_eq!(p.jobs.as_ref().unwrap().keys().collect::<Vec<_>>(), ["prep", "train"]);
    /// ```
    pub struct PipelineJob tag = "pipeline" {
        "$schema" => schema: Option<String>,
        "name" => name: Option<String>,
        "display_name" => display_name: Option<String>,
        "description" => description: Option<String>,
        "tags" => tags: Option<IndexMap<String, String>>,
        "properties" => properties: Option<Mapping>,
        "experiment_name" => experiment_name: Option<String>,
        "compute" => compute: Option<Template>,
        "identity" => identity: Option<Identity>,
        "services" => services: Option<IndexMap<String, JobService>>,
        "settings" => settings: Option<PipelineSettings>,
        "inputs" => inputs: Option<IndexMap<String, JobInput>>,
        "outputs" => outputs: Option<IndexMap<String, JobOutput>>,
        "jobs" => jobs: Option<IndexMap<String, PipelineNode>>,
        "component" => component: Option<ComponentRef>,
    }
    hidden {
        /// The folder relative paths are relative to (the YAML file's), when known.
        source_dir: SourceDir,
    }
}

impl PipelineJob {
    /// An empty pipeline job with its `$schema` set.
    ///
    /// ```
    /// use pipeline_core::{PipelineJob, Yaml};
    ///
    /// let job = PipelineJob::new();
    /// assert!(job.jobs.is_none());
    /// let schema = "https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json";
    /// assert_eq!(job.to_yaml(), format!("$schema: {schema}\ntype: pipeline\n"));
    /// ```
    pub fn new() -> Self {
        PipelineJob {
            schema: Some(schema_url("pipelineJob")),
            name: None,
            display_name: None,
            description: None,
            tags: None,
            properties: None,
            experiment_name: None,
            compute: None,
            identity: None,
            services: None,
            settings: None,
            inputs: None,
            outputs: None,
            jobs: None,
            component: None,
            extra: Mapping::new(),
            source_dir: SourceDir::default(),
        }
    }
}

impl Default for PipelineJob {
    fn default() -> Self {
        Self::new()
    }
}

yaml_struct! {
    /// A standalone command job (`type: command`).
    ///
    /// ```
    /// use pipeline_core::{Job, job_from_str};
    ///
    /// let job = job_from_str("
    /// command: python train.py --lr ${{inputs.lr}}
    /// environment: azureml:AzureML-sklearn-1.0@latest
    /// compute: azureml:cpu-cluster
    /// inputs: {lr: 0.01}
    /// ").unwrap();
    /// let Job::Command(train) = &job else { panic!("not a command job") };
    /// assert_eq!(train.compute.as_ref().unwrap().to_string(), "azureml:cpu-cluster");
    /// assert_eq!(train.inputs.as_ref().unwrap()["lr"], 0.01.into());
    /// ```
    pub struct CommandJob tag = "command" {
        "$schema" => schema: Option<String>,
        "name" => name: Option<String>,
        "display_name" => display_name: Option<String>,
        "description" => description: Option<String>,
        "tags" => tags: Option<IndexMap<String, String>>,
        "properties" => properties: Option<Mapping>,
        "experiment_name" => experiment_name: Option<String>,
        "compute" => compute: Option<Template>,
        "inputs" => inputs: Option<IndexMap<String, JobInput>>,
        "outputs" => outputs: Option<IndexMap<String, JobOutput>>,
        "code" => code: Option<CodeRef>,
        "environment" => environment: Option<Environment>,
        "command" => command: Option<Template>,
        "environment_variables" => environment_variables: Option<IndexMap<String, Literal>>,
        "resources" => resources: Option<Resources>,
        "limits" => limits: Option<Limits>,
        "distribution" => distribution: Option<Distribution>,
        "identity" => identity: Option<Identity>,
        "services" => services: Option<IndexMap<String, JobService>>,
        "queue_settings" => queue_settings: Option<QueueSettings>,
    }
    hidden {
        /// The folder relative paths are relative to (the YAML file's), when known.
        source_dir: SourceDir,
    }
}

impl CommandJob {
    /// A command job with its `$schema` set.
    ///
    /// ```
    /// use pipeline_core::{CommandJob, Environment, Yaml};
    ///
    /// let env = Environment::parse("azureml:AzureML-sklearn-1.0@latest");
    /// let yaml = CommandJob::new("python train.py", env).to_yaml();
    /// let schema = "https://azuremlschemas.azureedge.net/latest/commandJob.schema.json";
    /// assert!(yaml.starts_with(&format!("$schema: {schema}\ntype: command\n")));
    /// assert!(yaml.contains("command: python train.py\n"));
    /// ```
    pub fn new(command: impl AsRef<str>, environment: Environment) -> Self {
        CommandJob {
            schema: Some(schema_url("commandJob")),
            name: None,
            display_name: None,
            description: None,
            tags: None,
            properties: None,
            experiment_name: None,
            compute: None,
            inputs: None,
            outputs: None,
            code: None,
            environment: Some(environment),
            command: Some(Template::parse(command.as_ref())),
            environment_variables: None,
            resources: None,
            limits: None,
            distribution: None,
            identity: None,
            services: None,
            queue_settings: None,
            extra: Mapping::new(),
            source_dir: SourceDir::default(),
        }
    }
}

/// Any job.
///
/// ```
/// use pipeline_core::{Job, job_from_str};
///
/// let command = job_from_str("command: echo hi\nenvironment: azureml:my-env:1").unwrap();
/// assert!(matches!(command, Job::Command(_)));
/// let sweep = job_from_str("type: sweep\nsampling_algorithm: random").unwrap();
/// assert!(matches!(&sweep, Job::Other(o) if o.kind == "sweep"));
/// ```
// Nearly every value is a typed variant; boxing them would only add a pointer hop.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    /// `type: pipeline`.
    Pipeline(PipelineJob),
    /// `type: command` (the default).
    Command(CommandJob),
    /// Any other type, kept verbatim.
    Other(Opaque),
}

impl Job {
    /// The `type` as written in YAML.
    ///
    /// ```
    /// use pipeline_core::{Job, PipelineJob, job_from_str};
    ///
    /// assert_eq!(Job::Pipeline(PipelineJob::new()).kind(), "pipeline");
    /// // `type` defaults to `command`.
    /// assert_eq!(job_from_str("command: echo hi").unwrap().kind(), "command");
    /// assert_eq!(job_from_str("type: automl\ntask: classification").unwrap().kind(), "automl");
    /// ```
    pub fn kind(&self) -> &str {
        match self {
            Job::Pipeline(_) => "pipeline",
            Job::Command(_) => "command",
            Job::Other(j) => &j.kind,
        }
    }

    /// The folder its relative paths start from, when known.
    pub(crate) fn source_dir(&self) -> Option<&Path> {
        match self {
            Job::Pipeline(j) => j.source_dir.get(),
            Job::Command(j) => j.source_dir.get(),
            Job::Other(j) => j.source_dir.get(),
        }
    }

    pub(crate) fn set_source_dir(&mut self, dir: Option<PathBuf>) {
        match self {
            Job::Pipeline(j) => j.source_dir = SourceDir(dir),
            Job::Command(j) => j.source_dir = SourceDir(dir),
            Job::Other(j) => j.source_dir = SourceDir(dir),
        }
    }
}

impl FromNode for Job {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let (map, kind) = read_kind_in(
            node,
            cx,
            "a job",
            Some("command"),
            crate::schema::kinds::JOB_TYPES,
        )?;
        match kind {
            "pipeline" => PipelineJob::from_node(node, cx).map(Job::Pipeline),
            "command" => CommandJob::from_node(node, cx).map(Job::Command),
            _ => Some(Job::Other(Opaque::with_refs(kind, map, cx))),
        }
    }
}

impl ToNode for Job {
    fn to_node(&self) -> Node {
        match self {
            Job::Pipeline(j) => j.to_node(),
            Job::Command(j) => j.to_node(),
            Job::Other(j) => Node::map(j.body.clone()),
        }
    }
}

impl Drop for PipelineJob {
    fn drop(&mut self) {
        if let Some(jobs) = self.jobs.take() {
            crate::parallel::drop_in_parallel(jobs);
        }
    }
}
