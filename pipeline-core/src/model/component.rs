//! Components: command, parallel (with its `run_function` task) and pipeline; other kinds kept
//! verbatim.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use indexmap::IndexMap;

use crate::codes::Code;
use crate::convert::{Cx, FromNode, ToNode, read_kind, yaml_enum, yaml_struct};
use crate::model::{
    AssetRef, Binding, CodeRef, Distribution, Environment, InputSpec, Limits, Literal, Opaque,
    OutputSpec, PipelineNode, Resources, SourceDir, Template,
};
use crate::yaml::{Mapping, Node, Value};

/// The `$schema` URL of each kind of document.
pub fn schema_url(name: &str) -> String {
    format!("https://azuremlschemas.azureedge.net/latest/{name}.schema.json")
}

yaml_struct! {
    /// A component that runs one command (`type: command`).
    pub struct CommandComponent tag = "command" {
        "$schema" => schema: Option<String>,
        "name" => name: Option<String>,
        "version" => version: Option<String>,
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
    pub struct RetrySettings {
        "max_retries" => max_retries: Option<u64>,
        /// Seconds a mini-batch may take.
        "timeout" => timeout: Option<u64>,
    }
}

yaml_enum! {
    /// Log level of a parallel job.
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
        match kind.and_then(Node::as_str) {
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
    pub struct ParallelComponent tag = "parallel" {
        "$schema" => schema: Option<String>,
        "name" => name: Option<String>,
        "version" => version: Option<String>,
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
    pub struct PipelineComponent tag = "pipeline" {
        "$schema" => schema: Option<String>,
        "name" => name: Option<String>,
        "version" => version: Option<String>,
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
    pub fn name(&self) -> Option<&str> {
        match self {
            Component::Command(c) => c.name.as_deref(),
            Component::Parallel(c) => c.name.as_deref(),
            Component::Pipeline(c) => c.name.as_deref(),
            Component::Other(c) => c.body.get("name").and_then(Node::as_str),
        }
    }

    /// The declared inputs (none for kinds not modelled).
    pub fn inputs(&self) -> Option<&IndexMap<String, InputSpec>> {
        match self {
            Component::Command(c) => c.inputs.as_ref(),
            Component::Parallel(c) => c.inputs.as_ref(),
            Component::Pipeline(c) => c.inputs.as_ref(),
            Component::Other(_) => None,
        }
    }

    /// The declared outputs (none for kinds not modelled).
    pub fn outputs(&self) -> Option<&IndexMap<String, OutputSpec>> {
        match self {
            Component::Command(c) => c.outputs.as_ref(),
            Component::Parallel(c) => c.outputs.as_ref(),
            Component::Pipeline(c) => c.outputs.as_ref(),
            Component::Other(_) => None,
        }
    }

    /// The `type` as written in YAML.
    pub fn kind(&self) -> &str {
        match self {
            Component::Command(_) => "command",
            Component::Parallel(_) => "parallel",
            Component::Pipeline(_) => "pipeline",
            Component::Other(c) => &c.kind,
        }
    }

    pub(crate) fn set_source_dir(&mut self, dir: Option<PathBuf>) {
        let slot = match self {
            Component::Command(c) => &mut c.source_dir,
            Component::Parallel(c) => &mut c.source_dir,
            Component::Pipeline(c) => &mut c.source_dir,
            Component::Other(_) => return,
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
        let (map, kind) = read_kind(node, cx, "a component", Some(default))?;
        match kind.as_str() {
            "command" => CommandComponent::from_node(node, cx).map(Component::Command),
            "parallel" => ParallelComponent::from_node(node, cx).map(Component::Parallel),
            "pipeline" => PipelineComponent::from_node(node, cx).map(Component::Pipeline),
            _ => Some(Component::Other(Opaque {
                kind,
                body: map.clone(),
            })),
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
