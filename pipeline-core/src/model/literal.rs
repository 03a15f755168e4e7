//! Literal parameter values.

use std::fmt;

use crate::convert::{Cx, FromNode, ToNode};
use crate::model::ParamType;
use crate::yaml::{Node, Value};

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
