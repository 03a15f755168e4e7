//! Inputs and outputs: as a component declares them, and as a job or node binds them.

use super::version::Version;
use crate::codes::Code;
use crate::convert::{Cx, FromNode, ToNode, yaml_struct};
use crate::model::{Binding, DataPath, Literal, Mode, PortType, Template};
use crate::yaml::{Node, Value};

yaml_struct! {
    /// An input a component declares (`inputs.<name>` of a component).
    ///
    /// ```
    /// use pipeline_core::{Component, Literal, ParamType, PortType, component_from_str};
    ///
    /// let c = component_from_str("
    /// name: train
    /// command: python train.py --lr ${{inputs.learning_rate}}
    /// inputs:
    ///   learning_rate: {type: number, default: 0.01, min: 0.0, max: 1.0}
    /// ").unwrap();
    /// let lr = &c.inputs().unwrap()["learning_rate"];
    /// assert_eq!(lr.kind, PortType::Param(ParamType::Number));
    /// assert_eq!(lr.max, Some(Literal::Float(1.0)));
    /// ```
    pub struct InputSpec {
        "type" => kind: PortType,
        "description" => description: Option<String>,
        "optional" => optional: Option<bool>,
        "default" => default: Option<Literal>,
        "min" => min: Option<Literal>,
        "max" => max: Option<Literal>,
        "enum" => allowed: Option<Vec<Literal>>,
        "mode" => mode: Option<Mode>,
    }
}

impl InputSpec {
    /// A required input of this type.
    ///
    /// ```
    /// use pipeline_core::{AssetType, InputSpec, PortType};
    ///
    /// let data = InputSpec::new(PortType::Asset(AssetType::UriFolder));
    /// assert_eq!(data.kind.as_str(), "uri_folder");
    /// assert!(!data.is_optional());
    /// ```
    pub fn new(kind: PortType) -> Self {
        InputSpec {
            kind,
            description: None,
            optional: None,
            default: None,
            min: None,
            max: None,
            allowed: None,
            mode: None,
            extra: Default::default(),
        }
    }

    /// Whether a node may leave this input unbound.
    ///
    /// ```
    /// use pipeline_core::{InputSpec, Literal, ParamType, PortType};
    ///
    /// let mut seed = InputSpec::new(PortType::Param(ParamType::Integer));
    /// assert!(!seed.is_optional());
    /// seed.optional = Some(true);
    /// assert!(seed.is_optional());
    /// let mut epochs = InputSpec::new(PortType::Param(ParamType::Integer));
    /// epochs.default = Some(Literal::Int(10));
    /// assert!(epochs.is_optional());
    /// ```
    pub fn is_optional(&self) -> bool {
        self.optional == Some(true) || self.default.is_some()
    }
}

yaml_struct! {
    /// An output a component declares (`outputs.<name>` of a component).
    ///
    /// ```
    /// use pipeline_core::{AssetType, Mode, PortType, component_from_str};
    ///
    /// let c = component_from_str("
    /// name: train
    /// command: python train.py --model ${{outputs.model}}
    /// outputs:
    ///   model: {type: mlflow_model, mode: upload}
    /// ").unwrap();
    /// let model = &c.outputs().unwrap()["model"];
    /// assert_eq!(model.kind, PortType::Asset(AssetType::MlflowModel));
    /// assert_eq!(model.mode, Some(Mode::Upload));
    /// ```
    pub struct OutputSpec {
        "type" => kind: PortType,
        "description" => description: Option<String>,
        "mode" => mode: Option<Mode>,
    }
}

impl OutputSpec {
    /// An output of this type.
    ///
    /// ```
    /// use pipeline_core::{AssetType, OutputSpec, PortType};
    ///
    /// let model = OutputSpec::new(PortType::Asset(AssetType::MlflowModel));
    /// assert_eq!(model.kind.as_str(), "mlflow_model");
    /// assert!(model.mode.is_none() && model.description.is_none());
    /// ```
    pub fn new(kind: PortType) -> Self {
        OutputSpec {
            kind,
            description: None,
            mode: None,
            extra: Default::default(),
        }
    }
}

yaml_struct! {
    /// Data given to a job or node input: `{type, path, mode}`.
    ///
    /// ```
    /// use pipeline_core::{AssetRef, DataPath, Job, JobInput, Mode, job_from_str};
    ///
    /// let job = job_from_str("
    /// type: pipeline
    /// inputs:
    ///   raw: {type: uri_folder, path: azureml:nyc_taxi_raw:1, mode: ro_mount}
    /// ").unwrap();
    /// let Job::Pipeline(p) = &job else { panic!("not a pipeline") };
    /// let JobInput::Data(raw) = &p.inputs.as_ref().unwrap()["raw"] else { panic!("not data") };
    /// let asset = AssetRef::parse("azureml:nyc_taxi_raw:1").unwrap();
    /// assert_eq!(raw.path, Some(DataPath::Asset(asset)));
    /// assert_eq!(raw.mode, Some(Mode::RoMount));
    /// ```
    pub struct InputData {
        "type" => kind: Option<PortType>,
        "path" => path: Option<DataPath>,
        "mode" => mode: Option<Mode>,
        "default" => default: Option<Literal>,
        "optional" => optional: Option<bool>,
        "description" => description: Option<String>,
    }
}

impl InputData {
    /// An input of this type whose value is given later (a pipeline input set at submission).
    ///
    /// ```
    /// use pipeline_core::{AssetType, InputData, PipelineJob, PortType, Yaml};
    ///
    /// let raw = InputData::of_type(PortType::Asset(AssetType::UriFolder));
    /// assert!(raw.path.is_none());
    /// let job = PipelineJob::new().input("raw", raw);
    /// assert!(job.to_yaml().contains("inputs:\n  raw:\n    type: uri_folder\n"));
    /// ```
    pub fn of_type(kind: PortType) -> Self {
        InputData {
            path: None,
            ..InputData::new(kind, DataPath::Local(String::new()))
        }
    }

    /// Data of this type at this path.
    ///
    /// ```
    /// use pipeline_core::{AssetType, DataPath, InputData, PortType};
    ///
    /// let path = DataPath::parse("wasbs://data@azuremlexamples.blob.core.windows.net/nyc_taxi/");
    /// let raw = InputData::new(PortType::Asset(AssetType::UriFolder), path);
    /// assert!(matches!(raw.path, Some(DataPath::Uri(_))));
    /// assert_eq!(raw.kind, Some(PortType::Asset(AssetType::UriFolder)));
    /// ```
    pub fn new(kind: PortType, path: DataPath) -> Self {
        InputData {
            kind: Some(kind),
            path: Some(path),
            mode: None,
            default: None,
            optional: None,
            description: None,
            extra: Default::default(),
        }
    }
}

/// What a job or node input is set to.
///
/// ```
/// use pipeline_core::{Job, JobInput, Literal, PipelineNode, job_from_str};
///
/// let job = job_from_str("
/// type: pipeline
/// jobs:
///   train:
///     component: azureml:train:1
///     inputs:
///       epochs: 10
///       data: ${{parent.jobs.prep.outputs.train}}
///       args: --lr ${{parent.inputs.lr}}
///       model: {type: mlflow_model, path: azureml:base_model:3}
///       seed:
/// ").unwrap();
/// let Job::Pipeline(p) = &job else { panic!("not a pipeline") };
/// let inputs = p.jobs.as_ref().unwrap()["train"].inputs().unwrap();
/// assert_eq!(inputs["epochs"], JobInput::Literal(Literal::Int(10)));
/// assert!(matches!(inputs["data"], JobInput::Binding(_)));
/// assert!(matches!(inputs["args"], JobInput::Template(_)));
/// assert!(matches!(inputs["model"], JobInput::Data(_)));
/// assert_eq!(inputs["seed"], JobInput::Empty);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum JobInput {
    /// A literal parameter value.
    Literal(Literal),
    /// A binding: `${{parent.inputs.x}}`, `${{parent.jobs.a.outputs.b}}`.
    Binding(Binding),
    /// Text with expressions inside it, such as `--lr ${{parent.inputs.lr}}`.
    Template(Template),
    /// Data: `{type, path, mode}` (the path may itself be a binding).
    Data(InputData),
    /// Declared with no value (`x:` alone).
    Empty,
}

impl JobInput {
    /// Every binding this input holds.
    ///
    /// ```
    /// use pipeline_core::{AssetType, Binding, DataPath, InputData, JobInput, PortType};
    ///
    /// let path = DataPath::parse("${{parent.jobs.prep.outputs.train}}/part-0.csv");
    /// let data = JobInput::from(InputData::new(PortType::Asset(AssetType::UriFile), path));
    /// assert_eq!(data.bindings(), [&Binding::job_output("prep", "train")]);
    /// assert!(JobInput::from(0.01).bindings().is_empty());
    /// ```
    pub fn bindings(&self) -> Vec<&Binding> {
        let mut out = Vec::new();
        self.each_binding(&mut |b| out.push(b));
        out
    }

    /// Calls `f` with what [`JobInput::bindings`] lists, without collecting it.
    ///
    /// ```
    /// use pipeline_core::{JobInput, Template};
    ///
    /// let args = Template::parse("--lr ${{parent.inputs.lr}} --seed ${{parent.inputs.seed}}");
    /// let args = JobInput::Template(args);
    /// let mut count = 0;
    /// args.each_binding(&mut |_| count += 1);
    /// assert_eq!(count, 2);
    /// ```
    pub fn each_binding<'a>(&'a self, f: &mut dyn FnMut(&'a Binding)) {
        match self {
            JobInput::Binding(b) => f(b),
            JobInput::Template(t)
            | JobInput::Data(InputData {
                path: Some(DataPath::Uri(t)),
                ..
            }) => t.each_binding(&mut |b, _| f(b)),
            _ => {}
        }
    }
}

impl FromNode for JobInput {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        match &node.value {
            Value::Null => Some(JobInput::Empty),
            Value::Map(_) => InputData::from_node(node, cx).map(JobInput::Data),
            Value::Str(s) if s.contains("${{") => {
                let t = Template::parse(s);
                Some(match t.as_binding() {
                    Some(b) => JobInput::Binding(b.clone()),
                    None if t.is_literal() => JobInput::Literal(Literal::Str(s.clone())),
                    None => JobInput::Template(t),
                })
            }
            Value::Seq(_) => cx.expected(
                node,
                "a value, a binding or a mapping with `type` and `path`",
            ),
            _ => Literal::from_node(node, cx).map(JobInput::Literal),
        }
    }
}

impl ToNode for JobInput {
    fn to_node(&self) -> Node {
        match self {
            JobInput::Literal(l) => l.to_node(),
            JobInput::Binding(b) => b.to_node(),
            JobInput::Template(t) => t.to_node(),
            JobInput::Data(d) => d.to_node(),
            JobInput::Empty => Node::null(),
        }
    }
}

impl From<Binding> for JobInput {
    fn from(b: Binding) -> Self {
        JobInput::Binding(b)
    }
}

impl From<InputData> for JobInput {
    fn from(d: InputData) -> Self {
        JobInput::Data(d)
    }
}

impl<T: Into<Literal>> From<T> for JobInput {
    fn from(v: T) -> Self {
        JobInput::Literal(v.into())
    }
}

yaml_struct! {
    /// Where a job or node output goes: `{type, mode, path, name, version}`.
    ///
    /// ```
    /// use pipeline_core::{Job, JobOutput, Mode, job_from_str};
    ///
    /// let job = job_from_str("
    /// type: pipeline
    /// outputs:
    ///   model: {type: mlflow_model, mode: upload, name: nyc_taxi_model, version: '3'}
    /// ").unwrap();
    /// let Job::Pipeline(p) = &job else { panic!("not a pipeline") };
    /// let JobOutput::Data(model) = &p.outputs.as_ref().unwrap()["model"] else { panic!() };
    /// assert_eq!(model.mode, Some(Mode::Upload));
    /// assert_eq!(model.name.as_deref(), Some("nyc_taxi_model"));
    /// assert_eq!(model.version.as_deref(), Some("3"));
    /// ```
    pub struct OutputData {
        "type" => kind: Option<PortType>,
        "mode" => mode: Option<Mode>,
        "path" => path: Option<DataPath>,
        "name" => name: Option<String>,
        "version" => version: Option<Version>,
        "description" => description: Option<String>,
    }
}

impl OutputData {
    /// An output whose type its component says, every setting left to Azure ML.
    ///
    /// ```
    /// use pipeline_core::{JobOutput, Mode, OutputData, PipelineJob, Yaml};
    ///
    /// let mut model = OutputData::unset();
    /// assert!(model.kind.is_none());
    /// model.mode = Some(Mode::Upload);
    /// let job = PipelineJob::new().output("model", JobOutput::Data(model));
    /// assert!(job.to_yaml().contains("outputs:\n  model:\n    mode: upload\n"));
    /// ```
    pub fn unset() -> Self {
        OutputData {
            kind: None,
            ..OutputData::new(PortType::Param(crate::model::ParamType::String))
        }
    }

    /// An output of this type, with every other setting left to Azure ML.
    ///
    /// ```
    /// use pipeline_core::{AssetType, OutputData, PortType};
    ///
    /// let scores = OutputData::new(PortType::Asset(AssetType::UriFolder));
    /// assert_eq!(scores.kind, Some(PortType::Asset(AssetType::UriFolder)));
    /// assert!(scores.mode.is_none() && scores.path.is_none());
    /// ```
    pub fn new(kind: PortType) -> Self {
        OutputData {
            kind: Some(kind),
            mode: None,
            path: None,
            name: None,
            version: None,
            description: None,
            extra: Default::default(),
        }
    }
}

/// What a job or node output is set to.
///
/// ```
/// use pipeline_core::{Binding, Job, JobOutput, job_from_str};
///
/// let job = job_from_str("
/// type: pipeline
/// jobs:
///   train:
///     component: azureml:train:1
///     outputs:
///       model: ${{parent.outputs.trained_model}}
///       metrics: {type: uri_folder, mode: upload}
///       logs:
/// ").unwrap();
/// let Job::Pipeline(p) = &job else { panic!("not a pipeline") };
/// let outputs = p.jobs.as_ref().unwrap()["train"].outputs().unwrap();
/// assert_eq!(outputs["model"], JobOutput::Binding(Binding::ParentOutput("trained_model".into())));
/// assert!(matches!(outputs["metrics"], JobOutput::Data(_)));
/// assert_eq!(outputs["logs"], JobOutput::Empty);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum JobOutput {
    /// Promoted to the parent pipeline: `${{parent.outputs.x}}`.
    Binding(Binding),
    /// Settings for the output data.
    Data(OutputData),
    /// Declared with no settings (`x:` alone): Azure ML's defaults.
    Empty,
}

impl JobOutput {
    /// The binding, when the output is promoted.
    ///
    /// ```
    /// use pipeline_core::{AssetType, Binding, JobOutput, OutputData, PortType};
    ///
    /// let promoted = JobOutput::Binding(Binding::ParentOutput("trained_model".into()));
    /// assert_eq!(promoted.binding().unwrap().to_string(), "${{parent.outputs.trained_model}}");
    /// let data = JobOutput::Data(OutputData::new(PortType::Asset(AssetType::UriFolder)));
    /// assert!(data.binding().is_none());
    /// ```
    pub fn binding(&self) -> Option<&Binding> {
        match self {
            JobOutput::Binding(b) => Some(b),
            _ => None,
        }
    }
}

impl FromNode for JobOutput {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        match &node.value {
            Value::Null => Some(JobOutput::Empty),
            Value::Map(_) => OutputData::from_node(node, cx).map(JobOutput::Data),
            Value::Str(s) => match Template::parse(s).as_binding() {
                Some(b) => Some(JobOutput::Binding(b.clone())),
                None => {
                    cx.error(
                        Code::E003,
                        node.span,
                        format!("`{s}` is not a binding"),
                        Some("an output is `${{parent.outputs.<name>}}`, a mapping such as `{type: uri_folder, mode: upload}`, or left empty".to_owned()),
                    );
                    None
                }
            },
            _ => cx.expected(
                node,
                "`${{parent.outputs.<name>}}`, a mapping with `type`/`mode`/`path`, or nothing",
            ),
        }
    }
}

impl ToNode for JobOutput {
    fn to_node(&self) -> Node {
        match self {
            JobOutput::Binding(b) => b.to_node(),
            JobOutput::Data(d) => d.to_node(),
            JobOutput::Empty => Node::null(),
        }
    }
}
