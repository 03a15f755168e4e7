//! Components: command, parallel (with its `run_function` task) and pipeline; other kinds kept
//! verbatim.

use super::version::Version;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;

use crate::codes::Code;
use crate::convert::{Cx, FromNode, ToNode, read_kind_in, yaml_enum, yaml_struct};
use crate::model::{
    AssetRef, Binding, CodeRef, Distribution, Environment, InputSpec, Limits, Literal, Opaque,
    OutputSpec, PipelineNode, Resources, SourceDir, Template,
};
use crate::yaml::{Mapping, Node, Value};

/// The `$schema` URL of each kind of document.
///
/// ```
/// use pipeline_core::schema_url;
///
/// assert_eq!(
///     schema_url("commandComponent"),
///     "https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json"
/// );
/// ```
pub fn schema_url(name: &str) -> String {
    format!("https://azuremlschemas.azureedge.net/latest/{name}.schema.json")
}

yaml_struct! {
    /// A component that runs one command (`type: command`).
    ///
    /// ```
    /// use pipeline_core::{CommandComponent, Component, component_from_str};
    ///
    /// let c = component_from_str("
    /// name: prep
    /// version: '1'
    /// command: python prep.py --raw ${{inputs.raw_data}}
    /// environment: azureml:AzureML-sklearn-1.0@latest
    /// ").unwrap();
    /// let Component::Command(prep) = c else { panic!("not a command component") };
    /// assert_eq!(prep.version.as_deref(), Some("1"));
    /// assert_eq!(prep.command.unwrap().bindings().len(), 1);
    /// ```
    pub struct CommandComponent tag = "command" {
        "$schema" => schema: Option<String>,
        "name" => name: Option<String>,
        "version" => version: Option<Version>,
        "display_name" => display_name: Option<String>,
        "description" => description: Option<String>,
        "tags" => tags: Option<IndexMap<String, String>>,
        "is_deterministic" => is_deterministic: Option<bool>,
        "inputs" => inputs: Option<IndexMap<String, InputSpec>>,
        "outputs" => outputs: Option<IndexMap<String, OutputSpec>>,
        "code" => code: Option<CodeRef>,
        "environment" => environment: Option<Environment>,
        "command" => command: Option<Template>,
        "environment_variables" => environment_variables: Option<IndexMap<String, Literal>>,
        "resources" => resources: Option<Resources>,
        "distribution" => distribution: Option<Distribution>,
        "limits" => limits: Option<Limits>,
        "additional_includes" => additional_includes: Option<Vec<String>>,
    }
    hidden {
        /// The folder relative paths are relative to (the YAML file's), when known.
        source_dir: SourceDir,
    }
}

impl CommandComponent {
    /// A command component with the `$schema` set.
    ///
    /// ```
    /// use pipeline_core::{CommandComponent, Yaml};
    ///
    /// let c = CommandComponent::new("train", "python train.py --data ${{inputs.data}}");
    /// assert_eq!(c.name.as_deref(), Some("train"));
    /// let schema = "https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json";
    /// assert!(c.to_yaml().starts_with(&format!("$schema: {schema}\ntype: command\n")));
    /// ```
    pub fn new(name: impl Into<String>, command: impl Into<String>) -> Self {
        CommandComponent {
            schema: Some(schema_url("commandComponent")),
            name: Some(name.into()),
            version: None,
            display_name: None,
            description: None,
            tags: None,
            is_deterministic: None,
            inputs: None,
            outputs: None,
            code: None,
            environment: None,
            command: Some(Template::parse(&command.into())),
            environment_variables: None,
            resources: None,
            distribution: None,
            limits: None,
            additional_includes: None,
            extra: Mapping::new(),
            source_dir: SourceDir::default(),
        }
    }
}

/// How many items (or how much data) each mini-batch of a parallel job gets. Always written as a
/// string: the SDK's schema takes nothing else (`mini_batch_size: 5` is rejected, `"5"` is not).
///
/// ```
/// use pipeline_core::{Binding, MiniBatchSize, SizeUnit};
///
/// let size = MiniBatchSize::parse("10kb").unwrap();
/// assert_eq!(size, MiniBatchSize::Size { amount: 10, unit: SizeUnit::Kb });
/// assert_eq!(size.to_string(), "10kb");
/// let bound = MiniBatchSize::Binding(Binding::ParentInput("batch".into()));
/// assert_eq!(bound.to_string(), "${{parent.inputs.batch}}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MiniBatchSize {
    /// Set from a pipeline input: `${{parent.inputs.batch}}`.
    Binding(Binding),
    /// A number of files or rows.
    Count(u64),
    /// An amount of data, such as `10kb`.
    Size {
        /// How many units.
        amount: u64,
        /// Which unit.
        unit: SizeUnit,
    },
}

yaml_enum! {
    /// Units of a mini-batch size.
    ///
    /// ```
    /// use pipeline_core::{MiniBatchSize, SizeUnit};
    ///
    /// assert_eq!("mb".parse::<SizeUnit>(), Ok(SizeUnit::Mb));
    /// assert_eq!(SizeUnit::Gb.to_string(), "gb");
    /// let size = MiniBatchSize::parse("2GB").unwrap();
    /// assert!(matches!(size, MiniBatchSize::Size { unit: SizeUnit::Gb, .. }));
    /// ```
    pub enum SizeUnit {
        /// 1,024 bytes.
        Kb = "kb",
        /// 1,024 KB.
        Mb = "mb",
        /// 1,024 MB.
        Gb = "gb",
    }
}

impl MiniBatchSize {
    /// Reads `10`, `"10"`, `10kb`, `1MB`.
    ///
    /// ```
    /// use pipeline_core::{MiniBatchSize, SizeUnit};
    ///
    /// assert_eq!(MiniBatchSize::parse("10"), Some(MiniBatchSize::Count(10)));
    /// assert_eq!(
    ///     MiniBatchSize::parse("1MB"),
    ///     Some(MiniBatchSize::Size { amount: 1, unit: SizeUnit::Mb })
    /// );
    /// assert_eq!(MiniBatchSize::parse("10 files"), None);
    /// ```
    pub fn parse(s: &str) -> Option<MiniBatchSize> {
        let s = s.trim();
        let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let amount: u64 = s[..split].parse().ok()?;
        let unit = s[split..].trim();
        if unit.is_empty() {
            return Some(MiniBatchSize::Count(amount));
        }
        Some(MiniBatchSize::Size {
            amount,
            unit: unit.to_ascii_lowercase().parse().ok()?,
        })
    }

    /// The size in bytes, for a size.
    ///
    /// ```
    /// use pipeline_core::MiniBatchSize;
    ///
    /// assert_eq!(MiniBatchSize::parse("10kb").unwrap().bytes(), Some(10 * 1024));
    /// assert_eq!(MiniBatchSize::parse("1mb").unwrap().bytes(), Some(1 << 20));
    /// assert_eq!(MiniBatchSize::parse("100").unwrap().bytes(), None);
    /// ```
    pub fn bytes(&self) -> Option<u64> {
        match *self {
            MiniBatchSize::Count(_) | MiniBatchSize::Binding(_) => None,
            MiniBatchSize::Size { amount, unit } => Some(
                amount
                    * match unit {
                        SizeUnit::Kb => 1 << 10,
                        SizeUnit::Mb => 1 << 20,
                        SizeUnit::Gb => 1 << 30,
                    },
            ),
        }
    }
}

impl fmt::Display for MiniBatchSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MiniBatchSize::Binding(b) => b.fmt(f),
            MiniBatchSize::Count(n) => write!(f, "{n}"),
            MiniBatchSize::Size { amount, unit } => write!(f, "{amount}{unit}"),
        }
    }
}

impl FromNode for MiniBatchSize {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let parsed = match &node.value {
            Value::Int(i) => u64::try_from(*i).ok().map(MiniBatchSize::Count),
            Value::Str(s) => match Template::parse(s).as_binding() {
                Some(b) => Some(MiniBatchSize::Binding(b.clone())),
                None => MiniBatchSize::parse(s),
            },
            _ => None,
        };
        parsed.or_else(|| {
            cx.error(
                Code::E005,
                node.span,
                format!("`{node}` is not a mini-batch size"),
                Some("give a count such as 10, or a size such as 10kb, 1mb or 1gb".to_owned()),
            );
            None
        })
    }
}

impl ToNode for MiniBatchSize {
    fn to_node(&self) -> Node {
        Node::str(self.to_string())
    }
}

yaml_struct! {
    /// Retries of a failed mini-batch.
    ///
    /// ```
    /// use pipeline_core::{Component, component_from_str};
    ///
    /// let c = component_from_str("
    /// type: parallel
    /// name: score
    /// retry_settings: {max_retries: 3, timeout: 300}
    /// task: {type: run_function, entry_script: score.py}
    /// ").unwrap();
    /// let Component::Parallel(score) = c else { panic!("not a parallel component") };
    /// let retry = score.retry_settings.unwrap();
    /// assert_eq!((retry.max_retries, retry.timeout), (Some(3), Some(300)));
    /// ```
    pub struct RetrySettings {
        "max_retries" => max_retries: Option<u64>,
        /// Seconds a mini-batch may take.
        "timeout" => timeout: Option<u64>,
    }
}

yaml_enum! {
    /// Log level of a parallel job.
    ///
    /// ```
    /// use pipeline_core::LoggingLevel;
    ///
    /// assert_eq!("WARNING".parse::<LoggingLevel>(), Ok(LoggingLevel::Warning));
    /// assert_eq!(LoggingLevel::Debug.to_string(), "DEBUG");
    /// // The model reads any case; validation holds the file to the SDK, which takes only
    /// // DEBUG, INFO and WARNING, as written.
    /// assert_eq!("info".parse::<LoggingLevel>(), Ok(LoggingLevel::Info));
    /// let yaml = "type: parallel\nname: score\nlogging_level: info\ninput_data: ${{inputs.data}}\ninputs: {data: {type: uri_folder}}\ntask: {type: run_function, entry_script: score.py, environment: azureml:env:1}\n";
    /// let report = pipeline_core::validate::validate_str(yaml, "score.yml");
    /// assert!(report.diagnostics.iter().any(|d| d.code == pipeline_core::Code::E005 && d.path == "logging_level"));
    /// ```
    pub enum LoggingLevel {
        /// Everything.
        Debug = "DEBUG",
        /// Progress.
        Info = "INFO",
        /// Problems.
        Warning = "WARNING",
        /// Failures.
        Error = "ERROR",
        /// Fatal failures.
        Critical = "CRITICAL",
    }
}

yaml_struct! {
    /// A parallel job's task: an entry script whose `init()` and `run(mini_batch)` are called.
    ///
    /// ```
    /// use pipeline_core::{CodeRef, ParallelComponent, RunFunction, Template, Yaml};
    ///
    /// let mut task = RunFunction::new("score.py");
    /// task.code = Some(CodeRef::parse("./src"));
    /// task.program_arguments = Some(Template::parse("--model ${{inputs.model}}"));
    /// let yaml = ParallelComponent::new("score", task).to_yaml();
    /// assert!(yaml.contains("  type: run_function\n  code: ./src\n  entry_script: score.py\n"));
    /// ```
    pub struct RunFunction tag = "run_function" {
        "code" => code: Option<CodeRef>,
        "entry_script" => entry_script: Option<String>,
        "program_arguments" => program_arguments: Option<Template>,
        "model" => model: Option<String>,
        "append_row_to" => append_row_to: Option<Template>,
        "environment" => environment: Option<Environment>,
        "environment_variables" => environment_variables: Option<IndexMap<String, Literal>>,
    }
}

impl FromNode for Box<RunFunction> {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let kind = node.as_map().and_then(|m| m.get("type"));
        // The SDK compares the task type ignoring case (`Run_Function`).
        match kind
            .and_then(Node::as_str)
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("run_function") => RunFunction::from_node(node, cx).map(Box::new),
            Some(other) => {
                cx.error(
                    Code::E005,
                    kind.map_or(node.span, |k| k.span),
                    format!("unknown parallel task type `{other}`"),
                    Some("a parallel task is `type: run_function`".to_owned()),
                );
                None
            }
        }
    }
}

yaml_struct! {
    /// A component that runs an entry script over mini-batches of its input (`type: parallel`).
    ///
    /// ```
    /// use pipeline_core::{Component, LoggingLevel, MiniBatchSize, component_from_str};
    ///
    /// let c = component_from_str("
    /// type: parallel
    /// name: batch_score
    /// mini_batch_size: 10kb
    /// input_data: ${{inputs.data}}
    /// logging_level: INFO
    /// task: {type: run_function, entry_script: score.py}
    /// ").unwrap();
    /// let Component::Parallel(score) = c else { panic!("not a parallel component") };
    /// assert_eq!(score.mini_batch_size.unwrap().bytes(), Some(10 * 1024));
    /// assert_eq!(score.logging_level, Some(LoggingLevel::Info));
    /// assert_eq!(score.task.unwrap().entry_script.as_deref(), Some("score.py"));
    /// ```
    pub struct ParallelComponent tag = "parallel" {
        "$schema" => schema: Option<String>,
        "name" => name: Option<String>,
        "version" => version: Option<Version>,
        "display_name" => display_name: Option<String>,
        "description" => description: Option<String>,
        "tags" => tags: Option<IndexMap<String, String>>,
        "is_deterministic" => is_deterministic: Option<bool>,
        "inputs" => inputs: Option<IndexMap<String, InputSpec>>,
        "outputs" => outputs: Option<IndexMap<String, OutputSpec>>,
        "resources" => resources: Option<Resources>,
        "mini_batch_size" => mini_batch_size: Option<MiniBatchSize>,
        "partition_keys" => partition_keys: Option<Node>,
        "input_data" => input_data: Option<Template>,
        "max_concurrency_per_instance" => max_concurrency_per_instance: Option<u64>,
        "error_threshold" => error_threshold: Option<i64>,
        "mini_batch_error_threshold" => mini_batch_error_threshold: Option<i64>,
        "retry_settings" => retry_settings: Option<RetrySettings>,
        "logging_level" => logging_level: Option<LoggingLevel>,
        "task" => task: Option<Box<RunFunction>>,
        "environment_variables" => environment_variables: Option<IndexMap<String, Literal>>,
    }
    hidden {
        /// The folder relative paths are relative to (the YAML file's), when known.
        source_dir: SourceDir,
    }
}

yaml_struct! {
    /// A component made of other components' nodes (`type: pipeline`).
    ///
    /// ```
    /// use pipeline_core::{Component, component_from_str};
    ///
    /// let c = component_from_str("
    /// type: pipeline
    /// name: prep_and_train
    /// inputs: {raw: {type: uri_folder}}
    /// jobs:
    ///   prep: {component: azureml:prep:1, inputs: {raw: '${{parent.inputs.raw}}'}}
    /// ").unwrap();
    /// let Component::Pipeline(p) = c else { panic!("not a pipeline component") };
    /// let prep = &p.jobs.as_ref().unwrap()["prep"];
    /// assert_eq!(prep.bindings()[0].to_string(), "${{parent.inputs.raw}}");
    /// ```
    pub struct PipelineComponent tag = "pipeline" {
        "$schema" => schema: Option<String>,
        "name" => name: Option<String>,
        "version" => version: Option<Version>,
        "display_name" => display_name: Option<String>,
        "description" => description: Option<String>,
        "tags" => tags: Option<IndexMap<String, String>>,
        "is_deterministic" => is_deterministic: Option<bool>,
        "inputs" => inputs: Option<IndexMap<String, InputSpec>>,
        "outputs" => outputs: Option<IndexMap<String, OutputSpec>>,
        "jobs" => jobs: Option<IndexMap<String, PipelineNode>>,
    }
    hidden {
        /// The folder relative paths are relative to (the YAML file's), when known.
        source_dir: SourceDir,
    }
}

/// Any component.
///
/// ```
/// use pipeline_core::{Component, component_from_str};
///
/// let command = component_from_str("name: hello\ncommand: echo hi").unwrap();
/// assert!(matches!(command, Component::Command(_)));
/// let spark = component_from_str("type: spark\nname: etl\nentry: {file: etl.py}").unwrap();
/// assert!(matches!(&spark, Component::Other(o) if o.kind == "spark"));
/// ```
// Nearly every value is a typed variant; boxing them would only add a pointer hop.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Component {
    /// `type: command` (the default).
    Command(CommandComponent),
    /// `type: parallel`.
    Parallel(ParallelComponent),
    /// `type: pipeline`.
    Pipeline(PipelineComponent),
    /// Any other type, kept verbatim.
    Other(Opaque),
}

impl Component {
    /// The component's name, if it has one.
    ///
    /// ```
    /// use pipeline_core::{CommandComponent, Component, component_from_str};
    ///
    /// let train = Component::from(CommandComponent::new("train", "python train.py"));
    /// assert_eq!(train.name(), Some("train"));
    /// let spark = component_from_str("type: spark\nname: etl\nentry: {file: etl.py}").unwrap();
    /// assert_eq!(spark.name(), Some("etl"));
    /// ```
    pub fn name(&self) -> Option<&str> {
        match self {
            Component::Command(c) => c.name.as_deref(),
            Component::Parallel(c) => c.name.as_deref(),
            Component::Pipeline(c) => c.name.as_deref(),
            Component::Other(c) => c.body.get("name").and_then(Node::as_str),
        }
    }

    /// The declared inputs (none for kinds not modelled).
    ///
    /// ```
    /// use pipeline_core::{AssetType, CommandComponent, Component, InputSpec, PortType};
    ///
    /// let train = CommandComponent::new("train", "python train.py --data ${{inputs.data}}")
    ///     .input("data", InputSpec::new(PortType::Asset(AssetType::UriFolder)));
    /// let c = Component::from(train);
    /// assert_eq!(c.inputs().unwrap().keys().collect::<Vec<_>>(), ["data"]);
    /// ```
    pub fn inputs(&self) -> Option<&IndexMap<String, InputSpec>> {
        match self {
            Component::Command(c) => c.inputs.as_ref(),
            Component::Parallel(c) => c.inputs.as_ref(),
            Component::Pipeline(c) => c.inputs.as_ref(),
            Component::Other(_) => None,
        }
    }

    /// The declared outputs (none for kinds not modelled).
    ///
    /// ```
    /// use pipeline_core::{Component, component_from_str};
    ///
    /// let c = component_from_str("
    /// name: train
    /// command: python train.py --model ${{outputs.model}}
    /// outputs: {model: {type: mlflow_model}}
    /// ").unwrap();
    /// assert_eq!(c.outputs().unwrap()["model"].kind.as_str(), "mlflow_model");
    /// let spark = component_from_str("type: spark\noutputs: {out: {type: uri_folder}}").unwrap();
    /// assert!(spark.outputs().is_none());
    /// ```
    pub fn outputs(&self) -> Option<&IndexMap<String, OutputSpec>> {
        match self {
            Component::Command(c) => c.outputs.as_ref(),
            Component::Parallel(c) => c.outputs.as_ref(),
            Component::Pipeline(c) => c.outputs.as_ref(),
            Component::Other(_) => None,
        }
    }

    /// The `type` as written in YAML.
    ///
    /// ```
    /// use pipeline_core::component_from_str;
    ///
    /// assert_eq!(component_from_str("name: hello\ncommand: echo hi").unwrap().kind(), "command");
    /// assert_eq!(component_from_str("type: spark\nname: etl").unwrap().kind(), "spark");
    /// ```
    pub fn kind(&self) -> &str {
        match self {
            Component::Command(_) => "command",
            Component::Parallel(_) => "parallel",
            Component::Pipeline(_) => "pipeline",
            Component::Other(c) => &c.kind,
        }
    }

    /// The folder its relative paths start from, when known.
    pub(crate) fn source_dir(&self) -> Option<&Path> {
        match self {
            Component::Command(c) => c.source_dir.get(),
            Component::Parallel(c) => c.source_dir.get(),
            Component::Pipeline(c) => c.source_dir.get(),
            Component::Other(c) => c.source_dir.get(),
        }
    }

    pub(crate) fn set_source_dir(&mut self, dir: Option<PathBuf>) {
        let slot = match self {
            Component::Command(c) => &mut c.source_dir,
            Component::Parallel(c) => &mut c.source_dir,
            Component::Pipeline(c) => &mut c.source_dir,
            Component::Other(c) => &mut c.source_dir,
        };
        *slot = SourceDir(dir);
    }
}

impl FromNode for Component {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        // Prompt flow files (`Flow.schema.json`, `Run.schema.json`) say what they are only by
        // their schema; Azure ML runs them as flow components.
        let default = match node
            .as_map()
            .and_then(|m| m.get("$schema"))
            .and_then(Node::as_str)
        {
            Some(schema) if schema.contains("/promptflow/") => "flow",
            _ => "command",
        };
        let (map, kind) = read_kind_in(
            node,
            cx,
            "a component",
            Some(default),
            crate::schema::kinds::COMPONENT_TYPES,
        )?;
        match kind {
            "command" => CommandComponent::from_node(node, cx).map(Component::Command),
            "parallel" => ParallelComponent::from_node(node, cx).map(Component::Parallel),
            "pipeline" => PipelineComponent::from_node(node, cx).map(Component::Pipeline),
            _ => Some(Component::Other(Opaque::new(kind, map.clone()))),
        }
    }
}

impl ToNode for Component {
    fn to_node(&self) -> Node {
        match self {
            Component::Command(c) => c.to_node(),
            Component::Parallel(c) => c.to_node(),
            Component::Pipeline(c) => c.to_node(),
            Component::Other(c) => Node::map(c.body.clone()),
        }
    }
}

impl From<CommandComponent> for Component {
    fn from(c: CommandComponent) -> Self {
        Component::Command(c)
    }
}

impl From<ParallelComponent> for Component {
    fn from(c: ParallelComponent) -> Self {
        Component::Parallel(c)
    }
}

impl From<PipelineComponent> for Component {
    fn from(c: PipelineComponent) -> Self {
        Component::Pipeline(c)
    }
}

/// How a node names its component.
///
/// ```
/// use pipeline_core::{ComponentRef, Job, job_from_str};
///
/// let job = job_from_str("
/// type: pipeline
/// jobs:
///   prep: {component: azureml:prep:1}
///   train: {component: file:./train.yml}
/// ").unwrap();
/// let Job::Pipeline(p) = &job else { panic!("not a pipeline") };
/// let jobs = p.jobs.as_ref().unwrap();
/// assert!(matches!(jobs["prep"].component(), Some(ComponentRef::Asset(_))));
/// assert!(matches!(jobs["train"].component(), Some(ComponentRef::File { prefixed: true, .. })));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum ComponentRef {
    /// Defined right there in the node.
    Inline(Box<Component>),
    /// A YAML file beside this one: `./x.yml` or `file:./x.yml`.
    File {
        /// The path as written, without `file:`.
        path: String,
        /// Whether it was written with the `file:` prefix.
        prefixed: bool,
        /// The component read from that file (`None` when references were not followed).
        component: Option<Arc<Component>>,
    },
    /// A registered component: `azureml:name:version`, `azureml:name@latest`, `azureml://registries/…`.
    Asset(AssetRef),
}

impl ComponentRef {
    /// A component defined right in the node. Its `$schema` is dropped: a document has one
    /// schema, the job's.
    ///
    /// ```
    /// use pipeline_core::{CommandComponent, ComponentRef};
    ///
    /// let c = CommandComponent::new("prep", "python prep.py");
    /// assert!(c.schema.is_some());
    /// let ComponentRef::Inline(inline) = ComponentRef::inline(c) else { unreachable!() };
    /// assert_eq!(inline.name(), Some("prep"));
    /// assert!(matches!(*inline, pipeline_core::Component::Command(ref c) if c.schema.is_none()));
    /// ```
    pub fn inline(component: impl Into<Component>) -> Self {
        let mut component = component.into();
        match &mut component {
            Component::Command(c) => c.schema = None,
            Component::Parallel(c) => c.schema = None,
            Component::Pipeline(c) => c.schema = None,
            Component::Other(c) => {
                c.body.remove("$schema");
            }
        }
        ComponentRef::Inline(Box::new(component))
    }

    /// The component, when it is known offline.
    ///
    /// ```
    /// use pipeline_core::{AssetRef, CommandComponent, ComponentRef};
    ///
    /// let inline = ComponentRef::inline(CommandComponent::new("prep", "python prep.py"));
    /// assert_eq!(inline.component().unwrap().name(), Some("prep"));
    /// // A registered component is only known to the workspace.
    /// let asset = ComponentRef::Asset(AssetRef::parse("azureml:prep:1").unwrap());
    /// assert!(asset.component().is_none());
    /// ```
    pub fn component(&self) -> Option<&Component> {
        match self {
            ComponentRef::Inline(c) => Some(c),
            ComponentRef::File { component, .. } => component.as_deref(),
            ComponentRef::Asset(_) => None,
        }
    }
}

impl FromNode for ComponentRef {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        match &node.value {
            Value::Map(_) => {
                Component::from_node(node, cx).map(|c| ComponentRef::Inline(Box::new(c)))
            }
            Value::Str(s) => {
                if let Some(asset) = AssetRef::parse(s) {
                    return Some(ComponentRef::Asset(asset));
                }
                let (path, prefixed) = match s.strip_prefix("file:") {
                    Some(p) => (p.to_owned(), true),
                    None => (s.clone(), false),
                };
                let component = crate::load::component_file(cx, &path, node)?;
                Some(ComponentRef::File {
                    path,
                    prefixed,
                    component,
                })
            }
            _ => cx.expected(
                node,
                "a component: a mapping, `./file.yml`, `file:./file.yml` or `azureml:name:version`",
            ),
        }
    }
}

impl ToNode for ComponentRef {
    fn to_node(&self) -> Node {
        match self {
            ComponentRef::Inline(c) => c.to_node(),
            ComponentRef::File { path, prefixed, .. } => Node::str(if *prefixed {
                format!("file:{path}")
            } else {
                path.clone()
            }),
            ComponentRef::Asset(a) => Node::str(a.to_string()),
        }
    }
}
