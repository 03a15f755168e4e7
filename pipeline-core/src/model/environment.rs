//! Where a job's code and environment come from.

use std::fmt;

use crate::convert::{Cx, FromNode, ToNode, yaml_struct};
use crate::model::{AssetRef, DataPath};
use crate::yaml::{Node, Value};
use indexmap::IndexMap;

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
