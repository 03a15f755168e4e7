//! An asset's `version`: text, or a number the SDK turns into text.

use std::fmt;
use std::ops::Deref;

use crate::codes::Code;
use crate::convert::{Cx, FromNode, ToNode};
use crate::yaml::{Node, Value};

/// A component's, environment's or output's `version`, as text (`1`, `1.0.2`, `2024-01-05`).
///
/// The SDK turns whatever is written into text (`str(value)`), so `version: [1]` would register
/// version `[1]`; a list or mapping is refused here (E014), a number or boolean read as the SDK
/// writes it.
///
/// ```
/// use pipeline_core::{Component, Version, component_from_str};
///
/// let c = component_from_str("name: prep\nversion: 2\ncommand: echo\n").unwrap();
/// let Component::Command(prep) = c else { panic!("not a command component") };
/// assert_eq!(prep.version, Some(Version::from("2")));
/// assert_eq!(prep.version.as_deref(), Some("2"));
/// assert!(component_from_str("name: prep\nversion: [1]\ncommand: echo\n").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Version(String);

impl Version {
    /// The version as text.
    ///
    /// ```
    /// assert_eq!(pipeline_core::Version::from("1").as_str(), "1");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Version {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for Version {
    fn from(text: String) -> Self {
        Version(text)
    }
}

impl From<&str> for Version {
    fn from(text: &str) -> Self {
        Version(text.to_owned())
    }
}

impl FromNode for Version {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        if let Value::Seq(_) | Value::Map(_) = node.value {
            cx.error(
                Code::E014,
                node.span,
                format!(
                    "a version is text or a number, not {} (the SDK would register its Python text, such as `[1]`)",
                    node.kind()
                ),
                Some("write one version: `version: 1` or `version: \"1.0.2\"`".to_owned()),
            );
            return None;
        }
        String::from_node(node, cx).map(Version)
    }
}

impl ToNode for Version {
    fn to_node(&self) -> Node {
        self.0.to_node()
    }
}
