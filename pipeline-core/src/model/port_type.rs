//! The types and modes of inputs and outputs.

use std::fmt;

use crate::codes::Code;
use crate::convert::{Cx, FromNode, ToNode, yaml_enum};
use crate::yaml::Node;

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
