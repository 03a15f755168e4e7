//! Values shared by jobs and components: literals, asset references, paths, port types, modes,
//! environments, resources, limits, distribution, identity, services and queue settings.

use std::fmt;

use crate::codes::Code;
use crate::convert::{Cx, FromNode, ToNode, yaml_enum, yaml_struct};
use crate::model::{ComponentRef, SourceDir, Template};
use crate::yaml::{Mapping, Node, Value};
use indexmap::IndexMap;

/// A document or node of a kind not modelled yet (spark, sweep, automl, …), kept verbatim.
///
/// ```
/// use pipeline_core::{Job, Yaml, job_from_str};
///
/// let yaml = "type: sweep\nsampling_algorithm: random\nobjective:\n  goal: maximize\n  primary_metric: accuracy\n";
/// let Job::Other(sweep) = job_from_str(yaml).unwrap() else { panic!() };
/// assert_eq!(sweep.kind, "sweep");
/// assert_eq!(sweep.body.get("sampling_algorithm").unwrap().as_str(), Some("random"));
/// // Read from memory it has no folder; `load_job` records its file's, so that written
/// // elsewhere its relative paths (a trial's `code`) still lead to the same files.
/// assert_eq!(sweep.source_dir.get(), None);
/// assert_eq!(Job::Other(sweep).to_yaml(), yaml);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Opaque {
    /// Its `type`.
    pub kind: String,
    /// The whole mapping, `type` included.
    pub body: Mapping,
    /// The components it names (a spark or data_transfer node's `component:`, a sweep's
    /// `trial:`), read when it was loaded: written back as they are in `body`.
    pub refs: Vec<(String, ComponentRef)>,
    /// The folder its relative paths (`code`, `path`…) start from, for a document read from a
    /// file; a node's are its pipeline's.
    pub source_dir: SourceDir,
}

/// The keys of a kind kept verbatim that name a component, and whether one given inline is a
/// component of its own (a sweep's inline `trial` is not: its command names the sweep's inputs
/// and search space).
const COMPONENT_KEYS: &[(&str, bool)] = &[("component", true), ("trial", false)];

impl Opaque {
    /// A kind kept verbatim, naming no component.
    ///
    /// ```
    /// use pipeline_core::{Opaque, yaml::Mapping};
    ///
    /// let o = Opaque::new("synapsespark", Mapping::new());
    /// assert_eq!(o.kind, "synapsespark");
    /// assert!(o.refs.is_empty());
    /// ```
    pub fn new(kind: &str, body: Mapping) -> Self {
        Opaque {
            kind: kind.to_owned(),
            body,
            refs: Vec::new(),
            source_dir: SourceDir::default(),
        }
    }

    /// The component the `component:` key names, as read when loaded (a sweep's `trial` is not
    /// one).
    ///
    /// ```
    /// use pipeline_core::{ComponentRef, Job, PipelineNode, job_from_str};
    ///
    /// let job = job_from_str("type: pipeline\njobs:\n  etl: {type: spark, component: azureml:etl:1}\n").unwrap();
    /// let Job::Pipeline(p) = job else { panic!() };
    /// let PipelineNode::Other(etl) = &p.jobs.as_ref().unwrap()["etl"] else { panic!() };
    /// assert!(matches!(etl.named_component(), Some(ComponentRef::Asset(_))));
    /// ```
    pub fn named_component(&self) -> Option<&ComponentRef> {
        self.refs
            .iter()
            .find(|(k, _)| k == "component")
            .map(|(_, r)| r)
    }

    /// A kind kept verbatim, with the components it names read (and their files loaded).
    pub(crate) fn with_refs(kind: &str, body: &Mapping, cx: &mut Cx<'_>) -> Self {
        let mut refs = Vec::new();
        for (key, inline_too) in COMPONENT_KEYS {
            if let Some((k, v)) = body.entry(key)
                && (matches!(v.value, Value::Str(_))
                    || (*inline_too && matches!(v.value, Value::Map(_))))
                && let Some(r) = cx.at_span(*key, k.span, |cx| ComponentRef::from_node(v, cx))
            {
                refs.push(((*key).to_owned(), r));
            }
        }
        Opaque {
            kind: kind.to_owned(),
            body: body.clone(),
            refs,
            source_dir: SourceDir::default(),
        }
    }
}

/// A literal parameter value.
///
/// ```
/// use pipeline_core::{JobInput, Literal, job_from_str, Job};
///
/// let job = job_from_str("type: command\ncommand: python train.py\ninputs: {epochs: 10, lr: 0.01, optimizer: adam}\n").unwrap();
/// let Job::Command(job) = job else { panic!() };
/// let inputs = job.inputs.unwrap();
/// assert_eq!(inputs["epochs"], JobInput::Literal(Literal::Int(10)));
/// assert_eq!(inputs["lr"], JobInput::Literal(Literal::from(0.01)));
/// assert_eq!(inputs["optimizer"], JobInput::Literal("adam".into()));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `true` / `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// Text.
    Str(String),
}

impl Literal {
    /// The parameter type this literal naturally has.
    ///
    /// ```
    /// use pipeline_core::{Literal, ParamType};
    ///
    /// assert_eq!(Literal::Int(10).param_type(), ParamType::Integer);
    /// assert_eq!(Literal::Float(0.01).param_type(), ParamType::Number);
    /// assert_eq!(Literal::from("adam").param_type(), ParamType::String);
    /// assert_eq!(Literal::Bool(true).param_type(), ParamType::Boolean);
    /// ```
    pub fn param_type(&self) -> ParamType {
        match self {
            Literal::Bool(_) => ParamType::Boolean,
            Literal::Int(_) => ParamType::Integer,
            Literal::Float(_) => ParamType::Number,
            Literal::Str(_) => ParamType::String,
        }
    }

    pub(crate) fn from_scalar(node: &Node) -> Option<Literal> {
        Some(match &node.value {
            Value::Bool(b) => Literal::Bool(*b),
            Value::Int(i) => Literal::Int(*i),
            Value::Float(f) => Literal::Float(*f),
            Value::Str(s) | Value::Timestamp(s) => Literal::Str(s.clone()),
            _ => return None,
        })
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_node().fmt(f)
    }
}

impl FromNode for Literal {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        Literal::from_scalar(node)
            .or_else(|| cx.expected(node, "a literal value (number, string or boolean)"))
    }
}

impl ToNode for Literal {
    fn to_node(&self) -> Node {
        Node::new(match self {
            Literal::Bool(b) => Value::Bool(*b),
            Literal::Int(i) => Value::Int(*i),
            Literal::Float(f) => Value::Float(*f),
            Literal::Str(s) => Value::Str(s.clone()),
        })
    }
}

impl From<&str> for Literal {
    fn from(s: &str) -> Self {
        Literal::Str(s.to_owned())
    }
}
impl From<String> for Literal {
    fn from(s: String) -> Self {
        Literal::Str(s)
    }
}
impl From<i64> for Literal {
    fn from(i: i64) -> Self {
        Literal::Int(i)
    }
}
impl From<f64> for Literal {
    fn from(f: f64) -> Self {
        Literal::Float(f)
    }
}
impl From<bool> for Literal {
    fn from(b: bool) -> Self {
        Literal::Bool(b)
    }
}

/// A reference to an asset registered in Azure ML, which cannot be checked offline.
///
/// ```
/// use pipeline_core::AssetRef;
///
/// let env = AssetRef::parse("azureml:AzureML-sklearn-1.0@latest").unwrap();
/// assert_eq!(env, AssetRef::Label { name: "AzureML-sklearn-1.0".into(), label: "latest".into() });
/// assert_eq!(env.to_string(), "azureml:AzureML-sklearn-1.0@latest");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AssetRef {
    /// `azureml:name:version`.
    Version {
        /// Asset name.
        name: String,
        /// Version.
        version: String,
    },
    /// `azureml:name@label` (usually `@latest`).
    Label {
        /// Asset name.
        name: String,
        /// Label.
        label: String,
    },
    /// `azureml:name`: a name alone (a compute, or an asset's default version).
    Name(String),
    /// `azureml://registries/…`, `azureml://datastores/…`, `azureml://subscriptions/…`.
    Uri(String),
}

impl AssetRef {
    /// Parses `azureml:…`; `None` for text without that prefix.
    ///
    /// ```
    /// use pipeline_core::AssetRef;
    ///
    /// let data = AssetRef::parse("azureml:taxi-data:2").unwrap();
    /// assert_eq!(data, AssetRef::Version { name: "taxi-data".into(), version: "2".into() });
    /// assert_eq!(AssetRef::parse("azureml:cpu-cluster"), Some(AssetRef::Name("cpu-cluster".into())));
    /// let uri = "azureml://registries/azureml/components/train/versions/1";
    /// assert_eq!(AssetRef::parse(uri), Some(AssetRef::Uri(uri.into())));
    /// assert_eq!(AssetRef::parse("./data"), None);
    /// ```
    pub fn parse(s: &str) -> Option<AssetRef> {
        if s.starts_with("azureml://") {
            return Some(AssetRef::Uri(s.to_owned()));
        }
        let rest = s.strip_prefix("azureml:")?;
        Some(if let Some((name, version)) = rest.split_once(':') {
            AssetRef::Version {
                name: name.to_owned(),
                version: version.to_owned(),
            }
        } else if let Some((name, label)) = rest.split_once('@') {
            AssetRef::Label {
                name: name.to_owned(),
                label: label.to_owned(),
            }
        } else {
            AssetRef::Name(rest.to_owned())
        })
    }
}

impl fmt::Display for AssetRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AssetRef::Version { name, version } => write!(f, "azureml:{name}:{version}"),
            AssetRef::Label { name, label } => write!(f, "azureml:{name}@{label}"),
            AssetRef::Name(name) => write!(f, "azureml:{name}"),
            AssetRef::Uri(uri) => f.write_str(uri),
        }
    }
}

/// Where data (or code) lives: a local path, a registered asset, or a URI.
///
/// ```
/// use pipeline_core::{AssetRef, DataPath};
///
/// assert_eq!(DataPath::parse("./data/raw"), DataPath::Local("./data/raw".into()));
/// assert!(matches!(DataPath::parse("azureml:taxi-data:1"), DataPath::Asset(AssetRef::Version { .. })));
/// assert!(matches!(DataPath::parse("wasbs://data@account.blob.core.windows.net/taxi"), DataPath::Uri(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DataPath {
    /// A path relative to the YAML file's folder (or absolute).
    Local(String),
    /// `azureml:name:version`, `azureml:name@latest`, `azureml://…`.
    Asset(AssetRef),
    /// `https://…`, `wasbs://…`, `abfss://…`, or a path with `${{…}}` in it.
    Uri(Template),
}

impl DataPath {
    /// Reads any path text.
    ///
    /// ```
    /// use pipeline_core::DataPath;
    ///
    /// let templated = DataPath::parse("azureml://datastores/workspaceblobstore/paths/${{name}}/out");
    /// assert!(matches!(templated, DataPath::Uri(_)));
    /// assert_eq!(templated.to_string(), "azureml://datastores/workspaceblobstore/paths/${{name}}/out");
    /// assert!(matches!(DataPath::parse("https://example.com/iris.csv"), DataPath::Uri(_)));
    /// assert!(matches!(DataPath::parse("iris.csv"), DataPath::Local(_)));
    /// ```
    pub fn parse(s: &str) -> DataPath {
        if s.contains("${{") {
            DataPath::Uri(Template::parse(s))
        } else if let Some(asset) = AssetRef::parse(s) {
            DataPath::Asset(asset)
        } else if s.contains("://") || s.starts_with("git+") {
            DataPath::Uri(Template::parse(s))
        } else {
            DataPath::Local(s.to_owned())
        }
    }

    /// The local path, if this is one.
    ///
    /// ```
    /// use pipeline_core::DataPath;
    ///
    /// assert_eq!(DataPath::parse("./data/raw").as_local(), Some("./data/raw"));
    /// assert_eq!(DataPath::parse("azureml:taxi-data@latest").as_local(), None);
    /// ```
    pub fn as_local(&self) -> Option<&str> {
        match self {
            DataPath::Local(p) => Some(p),
            _ => None,
        }
    }
}

impl fmt::Display for DataPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataPath::Local(p) => f.write_str(p),
            DataPath::Asset(a) => a.fmt(f),
            DataPath::Uri(t) => t.fmt(f),
        }
    }
}

impl FromNode for DataPath {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        String::from_node(node, cx).map(|s| DataPath::parse(&s))
    }
}

impl ToNode for DataPath {
    fn to_node(&self) -> Node {
        Node::str(self.to_string())
    }
}

yaml_enum! {
    /// Asset types of inputs and outputs.
    ///
    /// ```
    /// use pipeline_core::AssetType;
    ///
    /// assert_eq!("uri_folder".parse::<AssetType>(), Ok(AssetType::UriFolder));
    /// assert_eq!(AssetType::MlflowModel.to_string(), "mlflow_model");
    /// assert!("folder".parse::<AssetType>().is_err());
    /// ```
    pub enum AssetType {
        /// One file.
        UriFile = "uri_file",
        /// A folder.
        UriFolder = "uri_folder",
        /// A table described by an `MLTable` file.
        MlTable = "mltable",
        /// An MLflow model.
        MlflowModel = "mlflow_model",
        /// A model in any other format.
        CustomModel = "custom_model",
        /// A Triton model repository.
        TritonModel = "triton_model",
        /// A file or folder (legacy).
        Path = "path",
    }
}

yaml_enum! {
    /// Parameter (literal) types of inputs.
    ///
    /// ```
    /// use pipeline_core::{Literal, ParamType};
    ///
    /// assert_eq!("number".parse::<ParamType>(), Ok(ParamType::Number));
    /// assert_eq!(Literal::Int(3).param_type(), ParamType::Integer);
    /// assert_eq!(ParamType::ALL.len(), 4);
    /// ```
    pub enum ParamType {
        /// Whole numbers.
        Integer = "integer",
        /// Floating-point numbers.
        Number = "number",
        /// Text.
        String = "string",
        /// `true` / `false`.
        Boolean = "boolean",
    }
}

/// The `type` of an input or output port.
///
/// ```
/// use pipeline_core::{AssetType, ParamType, PortType, component_from_str};
///
/// let yaml = "type: command\nname: train\ncommand: python train.py\ninputs:\n  data: {type: uri_folder}\n  lr: {type: number, default: 0.01}\n";
/// let inputs = component_from_str(yaml).unwrap().inputs().unwrap().clone();
/// assert_eq!(inputs["data"].kind, PortType::Asset(AssetType::UriFolder));
/// assert_eq!(inputs["lr"].kind, PortType::Param(ParamType::Number));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PortType {
    /// Data or a model.
    Asset(AssetType),
    /// A literal value.
    Param(ParamType),
}

impl PortType {
    /// The YAML spelling.
    ///
    /// ```
    /// use pipeline_core::{AssetType, ParamType, PortType};
    ///
    /// assert_eq!(PortType::Asset(AssetType::MlTable).as_str(), "mltable");
    /// assert_eq!(PortType::Param(ParamType::Boolean).as_str(), "boolean");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            PortType::Asset(a) => a.as_str(),
            PortType::Param(p) => p.as_str(),
        }
    }
}

impl fmt::Display for PortType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromNode for PortType {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let s = node.as_str().unwrap_or_default();
        if let Ok(a) = s.parse() {
            return Some(PortType::Asset(a));
        }
        if let Ok(p) = s.parse() {
            return Some(PortType::Param(p));
        }
        let all: Vec<&str> = AssetType::ALL
            .iter()
            .map(|a| a.as_str())
            .chain(ParamType::ALL.iter().map(|p| p.as_str()))
            .collect();
        cx.error(
            Code::E005,
            node.span,
            format!("`{node}` is not an input or output type"),
            Some(format!("use one of: {}", all.join(", "))),
        );
        None
    }
}

impl ToNode for PortType {
    fn to_node(&self) -> Node {
        Node::str(self.as_str())
    }
}

yaml_enum! {
    /// How data reaches a job (inputs) or leaves it (outputs).
    ///
    /// ```
    /// use pipeline_core::{Job, JobInput, Mode, job_from_str};
    ///
    /// let job = job_from_str("type: command\ncommand: python prep.py\ninputs:\n  raw: {type: uri_folder, path: azureml:taxi-data:1, mode: download}\n").unwrap();
    /// let Job::Command(job) = job else { panic!() };
    /// let JobInput::Data(raw) = &job.inputs.as_ref().unwrap()["raw"] else { panic!() };
    /// assert_eq!(raw.mode, Some(Mode::Download));
    /// assert_eq!("ro_mount".parse::<Mode>(), Ok(Mode::RoMount));
    /// ```
    pub enum Mode {
        /// Read-only mount.
        RoMount = "ro_mount",
        /// Read-write mount.
        RwMount = "rw_mount",
        /// Mount (outputs).
        Mount = "mount",
        /// Copied to the node before the job starts.
        Download = "download",
        /// Uploaded when the job ends.
        Upload = "upload",
        /// The URI is passed as is.
        Direct = "direct",
        /// Mount, evaluated by the runtime.
        EvalMount = "eval_mount",
        /// Download, evaluated by the runtime.
        EvalDownload = "eval_download",
    }
}

/// Where a job's or component's code comes from.
///
/// ```
/// use pipeline_core::{CodeRef, Job, job_from_str};
///
/// let job = job_from_str("type: command\ncode: ./src\ncommand: python train.py\n").unwrap();
/// let Job::Command(job) = job else { panic!() };
/// assert_eq!(job.code, Some(CodeRef::Local("./src".into())));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CodeRef {
    /// A folder or file relative to the YAML file.
    Local(String),
    /// A registered code asset.
    Asset(AssetRef),
    /// A URI (a git repository, a datastore).
    Uri(String),
}

impl CodeRef {
    /// Reads `code:` text.
    ///
    /// ```
    /// use pipeline_core::{AssetRef, CodeRef};
    ///
    /// assert_eq!(CodeRef::parse("./src"), CodeRef::Local("./src".into()));
    /// assert!(matches!(CodeRef::parse("azureml:train-code:3"), CodeRef::Asset(AssetRef::Version { .. })));
    /// let git = "git+https://github.com/Azure/azureml-examples.git";
    /// assert_eq!(CodeRef::parse(git), CodeRef::Uri(git.into()));
    /// ```
    pub fn parse(s: &str) -> CodeRef {
        match DataPath::parse(s) {
            DataPath::Local(p) => CodeRef::Local(p),
            DataPath::Asset(a) => CodeRef::Asset(a),
            DataPath::Uri(t) => CodeRef::Uri(t.to_string()),
        }
    }
}

impl fmt::Display for CodeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeRef::Local(p) | CodeRef::Uri(p) => f.write_str(p),
            CodeRef::Asset(a) => a.fmt(f),
        }
    }
}

impl FromNode for CodeRef {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        String::from_node(node, cx).map(|s| CodeRef::parse(&s))
    }
}

impl ToNode for CodeRef {
    fn to_node(&self) -> Node {
        Node::str(self.to_string())
    }
}

/// The environment a job runs in.
///
/// ```
/// use pipeline_core::{Environment, Job, job_from_str};
///
/// let yaml = "type: command\ncommand: python train.py\nenvironment: {image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04}\n";
/// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
/// let Some(Environment::Inline(env)) = job.environment else { panic!() };
/// assert_eq!(env.image.as_deref(), Some("mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Environment {
    /// A registered environment: `azureml:name:version`, `azureml:name@latest`, `azureml://registries/…`.
    Asset(AssetRef),
    /// `file:./env.yml`: an environment YAML beside this one.
    File(String),
    /// Any other text (an ARM id, or a placeholder in a template), kept as written.
    Named(String),
    /// An environment defined here.
    Inline(Box<InlineEnvironment>),
}

impl Environment {
    /// Reads an environment given as text: `azureml:…`, `file:…`, or anything else kept as written.
    ///
    /// ```
    /// use pipeline_core::{AssetRef, Environment};
    ///
    /// let curated = Environment::parse("azureml:AzureML-sklearn-1.0@latest");
    /// assert!(matches!(curated, Environment::Asset(AssetRef::Label { .. })));
    /// assert_eq!(Environment::parse("file:./env.yml"), Environment::File("./env.yml".into()));
    /// assert_eq!(Environment::parse("<env>"), Environment::Named("<env>".into()));
    /// ```
    pub fn parse(s: &str) -> Environment {
        if let Some(a) = AssetRef::parse(s) {
            Environment::Asset(a)
        } else if let Some(f) = s.strip_prefix("file:") {
            Environment::File(f.to_owned())
        } else {
            Environment::Named(s.to_owned())
        }
    }
}

impl FromNode for Environment {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        match &node.value {
            Value::Map(_) => {
                InlineEnvironment::from_node(node, cx).map(|e| Environment::Inline(Box::new(e)))
            }
            Value::Str(s) => Some(Environment::parse(s)),
            _ => cx.expected(
                node,
                "an environment (`azureml:name@latest` or a mapping with `image`)",
            ),
        }
    }
}

impl ToNode for Environment {
    fn to_node(&self) -> Node {
        match self {
            Environment::Asset(a) => Node::str(a.to_string()),
            Environment::File(f) => Node::str(format!("file:{f}")),
            Environment::Named(s) => Node::str(s.clone()),
            Environment::Inline(e) => e.to_node(),
        }
    }
}

yaml_struct! {
    /// An environment defined inline: a Docker image, optionally with a conda file, or a build context.
    ///
    /// ```
    /// use pipeline_core::{CondaFile, Environment, Job, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\nenvironment:\n  image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04\n  conda_file: ./conda.yml\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// let Some(Environment::Inline(env)) = job.environment else { panic!() };
    /// assert_eq!(env.conda_file, Some(CondaFile::Path("./conda.yml".into())));
    /// assert_eq!(env.build, None);
    /// ```
    pub struct InlineEnvironment {
        // Both kept as written, whatever they are: the SDK registers an inline environment under
        // an anonymous name and version and drops these before loading ("will not be used for
        // anonymous registration").
        "name" => name: Option<Node>,
        "version" => version: Option<Node>,
        "description" => description: Option<String>,
        "tags" => tags: Option<IndexMap<String, String>>,
        "image" => image: Option<String>,
        "conda_file" => conda_file: Option<CondaFile>,
        "build" => build: Option<BuildContext>,
        "os_type" => os_type: Option<String>,
    }
}

/// `conda_file:` is a path to a conda YAML, or the conda specification itself.
///
/// ```
/// use pipeline_core::{CondaFile, Environment, Job, job_from_str};
///
/// let yaml = "type: command\ncommand: python train.py\nenvironment:\n  image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04\n  conda_file: {dependencies: [python=3.10, scikit-learn]}\n";
/// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
/// let Some(Environment::Inline(env)) = job.environment else { panic!() };
/// let Some(CondaFile::Inline(spec)) = env.conda_file else { panic!() };
/// assert!(spec.as_map().unwrap().get("dependencies").is_some());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum CondaFile {
    /// A file relative to the YAML file.
    Path(String),
    /// The specification inline.
    Inline(Node),
}

impl FromNode for CondaFile {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        match &node.value {
            Value::Map(_) => Some(CondaFile::Inline(node.clone())),
            _ => String::from_node(node, cx).map(CondaFile::Path),
        }
    }
}

impl ToNode for CondaFile {
    fn to_node(&self) -> Node {
        match self {
            CondaFile::Path(p) => Node::str(p.clone()),
            CondaFile::Inline(n) => n.clone(),
        }
    }
}

yaml_struct! {
    /// A Docker build context.
    ///
    /// ```
    /// use pipeline_core::{Environment, Job, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\nenvironment:\n  build: {path: ./docker, dockerfile_path: Dockerfile.gpu}\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// let Some(Environment::Inline(env)) = job.environment else { panic!() };
    /// let build = env.build.unwrap();
    /// assert_eq!((build.path.as_str(), build.dockerfile_path.as_deref()), ("./docker", Some("Dockerfile.gpu")));
    /// ```
    pub struct BuildContext {
        "path" => path: String,
        "dockerfile_path" => dockerfile_path: Option<String>,
    }
}

yaml_struct! {
    /// Compute resources of a job or node.
    ///
    /// ```
    /// use pipeline_core::{Job, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\nresources: {instance_count: 2, instance_type: Standard_NC6s_v3, shm_size: 16g}\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// let resources = job.resources.unwrap();
    /// assert_eq!(resources.instance_count, Some(2));
    /// assert_eq!(resources.shm_size.as_deref(), Some("16g"));
    /// ```
    pub struct Resources {
        "instance_count" => instance_count: Option<u64>,
        "instance_type" => instance_type: Option<String>,
        "shm_size" => shm_size: Option<String>,
        "docker_args" => docker_args: Option<String>,
        "locations" => locations: Option<Vec<String>>,
        "properties" => properties: Option<Mapping>,
    }
}

yaml_struct! {
    /// Limits of a command job or node.
    ///
    /// ```
    /// use pipeline_core::{Job, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\nlimits: {timeout: 7200}\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// assert_eq!(job.limits.unwrap().timeout, Some(7200));
    /// ```
    pub struct Limits {
        /// Seconds after which the job is cancelled.
        "timeout" => timeout: Option<u64>,
    }
}

yaml_struct! {
    /// PyTorch distributed training.
    ///
    /// ```
    /// use pipeline_core::{Distribution, Job, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\ndistribution: {type: pytorch, process_count_per_instance: 4}\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// let Some(Distribution::PyTorch(torch)) = job.distribution else { panic!() };
    /// assert_eq!(torch.process_count_per_instance, Some(4));
    /// ```
    pub struct PyTorchDistribution tag = "pytorch" {
        "process_count_per_instance" => process_count_per_instance: Option<u64>,
    }
}

yaml_struct! {
    /// MPI distributed training.
    ///
    /// ```
    /// use pipeline_core::{Distribution, Job, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\ndistribution: {type: mpi, process_count_per_instance: 2}\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// let Some(Distribution::Mpi(mpi)) = job.distribution else { panic!() };
    /// assert_eq!(mpi.process_count_per_instance, Some(2));
    /// ```
    pub struct MpiDistribution tag = "mpi" {
        "process_count_per_instance" => process_count_per_instance: Option<u64>,
    }
}

yaml_struct! {
    /// TensorFlow distributed training.
    ///
    /// ```
    /// use pipeline_core::{Distribution, Job, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\ndistribution: {type: tensorflow, worker_count: 2, parameter_server_count: 1}\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// let Some(Distribution::TensorFlow(tf)) = job.distribution else { panic!() };
    /// assert_eq!((tf.worker_count, tf.parameter_server_count), (Some(2), Some(1)));
    /// ```
    pub struct TensorFlowDistribution tag = "tensorflow" {
        "worker_count" => worker_count: Option<u64>,
        "parameter_server_count" => parameter_server_count: Option<u64>,
    }
}

yaml_struct! {
    /// A Ray cluster.
    ///
    /// ```
    /// use pipeline_core::{Distribution, Job, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\ndistribution: {type: ray, port: 6379, include_dashboard: true}\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// let Some(Distribution::Ray(ray)) = job.distribution else { panic!() };
    /// assert_eq!((ray.port, ray.include_dashboard), (Some(6379), Some(true)));
    /// ```
    pub struct RayDistribution tag = "ray" {
        "port" => port: Option<u64>,
        "address" => address: Option<String>,
        "include_dashboard" => include_dashboard: Option<bool>,
        "dashboard_port" => dashboard_port: Option<u64>,
        "head_node_additional_args" => head_node_additional_args: Option<String>,
        "worker_node_additional_args" => worker_node_additional_args: Option<String>,
    }
}

/// How a job is spread over nodes and processes.
///
/// ```
/// use pipeline_core::{Code, Distribution, Job, job_from_str};
///
/// let yaml = "type: command\ncommand: python train.py\ndistribution: {type: mpi}\n";
/// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
/// assert!(matches!(job.distribution, Some(Distribution::Mpi(_))));
/// let err = job_from_str("type: command\ncommand: python train.py\ndistribution: {type: horovod}\n");
/// assert_eq!(err.unwrap_err().diagnostics()[0].code, Code::E005);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    /// `type: pytorch`.
    PyTorch(PyTorchDistribution),
    /// `type: mpi`.
    Mpi(MpiDistribution),
    /// `type: tensorflow`.
    TensorFlow(TensorFlowDistribution),
    /// `type: ray`.
    Ray(RayDistribution),
}

impl FromNode for Distribution {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let map = cx.map(node, "a distribution")?;
        let kind = map.get("type").and_then(Node::as_str).unwrap_or_default();
        // The SDK compares distribution types ignoring case (`PyTorch`, `MPI`).
        match kind.to_ascii_lowercase().as_str() {
            "pytorch" => PyTorchDistribution::from_node(node, cx).map(Distribution::PyTorch),
            "mpi" => MpiDistribution::from_node(node, cx).map(Distribution::Mpi),
            "tensorflow" => {
                TensorFlowDistribution::from_node(node, cx).map(Distribution::TensorFlow)
            }
            "ray" => RayDistribution::from_node(node, cx).map(Distribution::Ray),
            _ => {
                let at = map.get("type").map_or(node.span, |n| n.span);
                cx.error(
                    Code::E005,
                    at,
                    format!("unknown distribution type `{kind}`"),
                    Some("use pytorch, mpi, tensorflow or ray".to_owned()),
                );
                None
            }
        }
    }
}

impl ToNode for Distribution {
    fn to_node(&self) -> Node {
        match self {
            Distribution::PyTorch(d) => d.to_node(),
            Distribution::Mpi(d) => d.to_node(),
            Distribution::TensorFlow(d) => d.to_node(),
            Distribution::Ray(d) => d.to_node(),
        }
    }
}

yaml_enum! {
    /// The identity a job runs as.
    ///
    /// ```
    /// use pipeline_core::IdentityType;
    ///
    /// assert_eq!("user_identity".parse::<IdentityType>(), Ok(IdentityType::UserIdentity));
    /// assert_eq!(IdentityType::AmlToken.to_string(), "aml_token");
    /// ```
    pub enum IdentityType {
        /// The workspace's AML token.
        AmlToken = "aml_token",
        /// The submitting user.
        UserIdentity = "user_identity",
        /// A managed identity.
        Managed = "managed",
        /// A managed identity (older spelling).
        ManagedIdentity = "managed_identity",
    }
}

yaml_struct! {
    /// The identity a job uses to reach data.
    ///
    /// ```
    /// use pipeline_core::{IdentityType, Job, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\nidentity: {type: managed, client_id: 8a3b0c7d-0000}\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// let identity = job.identity.unwrap();
    /// assert_eq!(identity.kind, IdentityType::Managed);
    /// assert_eq!(identity.client_id.as_deref(), Some("8a3b0c7d-0000"));
    /// ```
    pub struct Identity {
        "type" => kind: IdentityType,
        "client_id" => client_id: Option<String>,
        "object_id" => object_id: Option<String>,
        "msi_resource_id" => msi_resource_id: Option<String>,
    }
}

yaml_enum! {
    /// An interactive service on a running job.
    ///
    /// ```
    /// use pipeline_core::ServiceType;
    ///
    /// assert_eq!("vs_code".parse::<ServiceType>(), Ok(ServiceType::VsCode));
    /// assert_eq!(ServiceType::TensorBoard.as_str(), "tensor_board");
    /// ```
    pub enum ServiceType {
        /// JupyterLab.
        JupyterLab = "jupyter_lab",
        /// SSH.
        Ssh = "ssh",
        /// TensorBoard.
        TensorBoard = "tensor_board",
        /// VS Code.
        VsCode = "vs_code",
    }
}

yaml_struct! {
    /// An interactive service (`services.<name>`).
    ///
    /// ```
    /// use pipeline_core::{Job, ServiceType, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\nservices:\n  board: {type: tensor_board, log_dir: outputs/tblogs}\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// let board = &job.services.as_ref().unwrap()["board"];
    /// assert_eq!(board.service_type(), Some(ServiceType::TensorBoard));
    /// assert_eq!(board.log_dir.as_deref(), Some("outputs/tblogs"));
    /// ```
    pub struct JobService {
        /// As written: the SDK's generic service schema takes any type, or none.
        "type" => kind: Option<String>,
        "nodes" => nodes: Option<String>,
        "port" => port: Option<u64>,
        "ssh_public_keys" => ssh_public_keys: Option<String>,
        "log_dir" => log_dir: Option<String>,
        "properties" => properties: Option<Mapping>,
    }
}

impl JobService {
    /// The service's type, when it is one Azure ML knows (in any case, as the SDK compares it).
    ///
    /// ```
    /// use pipeline_core::{Job, ServiceType, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\nservices:\n  ide: {type: VS_Code}\n  other: {port: 8080}\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// let services = job.services.unwrap();
    /// assert_eq!(services["ide"].service_type(), Some(ServiceType::VsCode));
    /// assert_eq!(services["other"].service_type(), None);
    /// ```
    pub fn service_type(&self) -> Option<ServiceType> {
        self.kind.as_deref()?.parse().ok()
    }
}

yaml_enum! {
    /// The tier a job is queued in.
    ///
    /// ```
    /// use pipeline_core::JobTier;
    ///
    /// assert_eq!("spot".parse::<JobTier>(), Ok(JobTier::Spot));
    /// // `null` is a tier's name here, not YAML's null.
    /// assert_eq!(JobTier::Null.as_str(), "null");
    /// ```
    pub enum JobTier {
        /// Low-priority, preemptible.
        Spot = "spot",
        /// Basic.
        Basic = "basic",
        /// Standard.
        Standard = "standard",
        /// Premium.
        Premium = "premium",
        /// No tier.
        Null = "null",
    }
}

yaml_enum! {
    /// A job's priority in its queue.
    ///
    /// ```
    /// use pipeline_core::Priority;
    ///
    /// assert_eq!("high".parse::<Priority>(), Ok(Priority::High));
    /// assert!("urgent".parse::<Priority>().is_err());
    /// ```
    pub enum Priority {
        /// Low.
        Low = "low",
        /// Medium.
        Medium = "medium",
        /// High.
        High = "high",
    }
}

yaml_struct! {
    /// Queue settings of a job.
    ///
    /// ```
    /// use pipeline_core::{Job, JobTier, Priority, job_from_str};
    ///
    /// let yaml = "type: command\ncommand: python train.py\nqueue_settings: {job_tier: spot, priority: low}\n";
    /// let Job::Command(job) = job_from_str(yaml).unwrap() else { panic!() };
    /// let queue = job.queue_settings.unwrap();
    /// assert_eq!((queue.job_tier, queue.priority), (Some(JobTier::Spot), Some(Priority::Low)));
    /// ```
    pub struct QueueSettings {
        "job_tier" => job_tier: Option<JobTier>,
        "priority" => priority: Option<Priority>,
    }
}
