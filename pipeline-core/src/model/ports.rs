//! Inputs and outputs: as a component declares them, and as a job or node binds them.

use crate::codes::Code;
use crate::convert::{Cx, FromNode, ToNode, yaml_struct};
use crate::model::{Binding, DataPath, Literal, Mode, PortType, Template};
use crate::yaml::{Node, Value};

yaml_struct! {
    /// An input a component declares (`inputs.<name>` of a component).
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
    pub fn is_optional(&self) -> bool {
        self.optional == Some(true) || self.default.is_some()
    }
}

yaml_struct! {
    /// An output a component declares (`outputs.<name>` of a component).
    pub struct OutputSpec {
        "type" => kind: PortType,
        "description" => description: Option<String>,
        "mode" => mode: Option<Mode>,
    }
}

impl OutputSpec {
    /// An output of this type.
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
    pub fn of_type(kind: PortType) -> Self {
        InputData {
            path: None,
            ..InputData::new(kind, DataPath::Local(String::new()))
        }
    }

    /// Data of this type at this path.
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
    pub fn bindings(&self) -> Vec<&Binding> {
        let mut out = Vec::new();
        self.each_binding(&mut |b| out.push(b));
        out
    }

    /// Calls `f` with what [`JobInput::bindings`] lists, without collecting it.
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
    pub struct OutputData {
        "type" => kind: Option<PortType>,
        "mode" => mode: Option<Mode>,
        "path" => path: Option<DataPath>,
        "name" => name: Option<String>,
        "version" => version: Option<String>,
        "description" => description: Option<String>,
    }
}

impl OutputData {
    /// An output whose type its component says, every setting left to Azure ML.
    pub fn unset() -> Self {
        OutputData {
            kind: None,
            ..OutputData::new(PortType::Param(crate::model::ParamType::String))
        }
    }

    /// An output of this type, with every other setting left to Azure ML.
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
