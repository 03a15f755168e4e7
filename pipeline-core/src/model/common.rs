//! Values shared by jobs and components: literals, asset references, paths, port types, modes,
//! environments, resources, limits, distribution, identity, services and queue settings.

use std::fmt;

use crate::codes::Code;
use crate::convert::{Cx, FromNode, ToNode, yaml_enum, yaml_struct};
use crate::model::Template;
use crate::yaml::{Mapping, Node, Value};
use indexmap::IndexMap;

/// A document or node of a kind not modelled yet (spark, sweep, automl, …), kept verbatim.
#[derive(Debug, Clone, PartialEq)]
pub struct Opaque {
    /// Its `type`.
    pub kind: String,
    /// The whole mapping, `type` included.
    pub body: Mapping,
}

/// A literal parameter value.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PortType {
    /// Data or a model.
    Asset(AssetType),
    /// A literal value.
    Param(ParamType),
}

impl PortType {
    /// The YAML spelling.
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
    pub struct InlineEnvironment {
        "name" => name: Option<String>,
        "version" => version: Option<String>,
        "description" => description: Option<String>,
        "tags" => tags: Option<IndexMap<String, String>>,
        "image" => image: Option<String>,
        "conda_file" => conda_file: Option<CondaFile>,
        "build" => build: Option<BuildContext>,
        "os_type" => os_type: Option<String>,
    }
}

/// `conda_file:` is a path to a conda YAML, or the conda specification itself.
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
    pub struct BuildContext {
        "path" => path: String,
        "dockerfile_path" => dockerfile_path: Option<String>,
    }
}

yaml_struct! {
    /// Compute resources of a job or node.
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
    pub struct Limits {
        /// Seconds after which the job is cancelled.
        "timeout" => timeout: Option<u64>,
    }
}

yaml_struct! {
    /// PyTorch distributed training.
    pub struct PyTorchDistribution tag = "pytorch" {
        "process_count_per_instance" => process_count_per_instance: Option<u64>,
    }
}

yaml_struct! {
    /// MPI distributed training.
    pub struct MpiDistribution tag = "mpi" {
        "process_count_per_instance" => process_count_per_instance: Option<u64>,
    }
}

yaml_struct! {
    /// TensorFlow distributed training.
    pub struct TensorFlowDistribution tag = "tensorflow" {
        "worker_count" => worker_count: Option<u64>,
        "parameter_server_count" => parameter_server_count: Option<u64>,
    }
}

yaml_struct! {
    /// A Ray cluster.
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
        match kind {
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
    pub struct Identity {
        "type" => kind: IdentityType,
        "client_id" => client_id: Option<String>,
        "object_id" => object_id: Option<String>,
        "msi_resource_id" => msi_resource_id: Option<String>,
    }
}

yaml_enum! {
    /// An interactive service on a running job.
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
    pub struct JobService {
        "type" => kind: ServiceType,
        "nodes" => nodes: Option<String>,
        "port" => port: Option<u64>,
        "ssh_public_keys" => ssh_public_keys: Option<String>,
        "log_dir" => log_dir: Option<String>,
        "properties" => properties: Option<Mapping>,
    }
}

yaml_enum! {
    /// The tier a job is queued in.
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
    pub struct QueueSettings {
        "job_tier" => job_tier: Option<JobTier>,
        "priority" => priority: Option<Priority>,
    }
}
