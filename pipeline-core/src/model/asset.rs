//! References to registered assets, and where data lives.

use std::fmt;

use crate::convert::{Cx, FromNode, ToNode};
use crate::model::Template;
use crate::yaml::Node;

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
