//! `${{…}}` expressions and the strings that hold them: the grammar is `pipeline_schema`'s (one
//! home for Azure ML's rules, shared with the macros); this file reads and writes them as YAML.
//!
//! ```
//! use pipeline_core::{Binding, Template};
//!
//! let b = Binding::parse("parent.jobs.train.outputs.model");
//! assert_eq!(b, Binding::JobOutput { job: "train".into(), port: "model".into() });
//! assert_eq!(b.to_string(), "${{parent.jobs.train.outputs.model}}");
//! assert_eq!(Template::parse("--lr ${{inputs.lr}}").bindings().len(), 1);
//! ```

pub use pipeline_schema::binding::{Binding, Segment, Template};

use crate::convert::{Cx, FromNode, ToNode};
use crate::yaml::{Node, Value};

impl FromNode for Template {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        match &node.value {
            Value::Str(s) => Some(Template::parse(s)),
            _ => String::from_node(node, cx).map(|s| Template::parse(&s)),
        }
    }
}

impl ToNode for Template {
    fn to_node(&self) -> Node {
        Node::str(self.to_string())
    }
}

impl FromNode for Binding {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        if let Value::Str(s) = &node.value
            && let Some(b) = Template::parse(s).as_binding()
        {
            return Some(b.clone());
        }
        cx.expected(node, "a binding such as `${{parent.inputs.x}}`")
    }
}

impl ToNode for Binding {
    fn to_node(&self) -> Node {
        Node::str(self.to_string())
    }
}
