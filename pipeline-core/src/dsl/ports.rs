//! Typed handles to ports, and what may feed what: the wiring rules the compiler checks.

use std::fmt;
use std::marker::PhantomData;

use super::building::NodeId;
use crate::model::{AssetType, DataPath, InputData, JobInput, Literal, Mode, ParamType, PortType};

/// A type of data or model a port carries: the `T` of `Input<T>` and `Output<T>`.
///
/// ```
/// use pipeline_core::dsl::{Asset, MlflowModel};
/// use pipeline_core::AssetType;
///
/// assert_eq!(MlflowModel::TYPE, AssetType::MlflowModel);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an Azure ML asset type",
    label = "not an asset type",
    note = "ports carry UriFile, UriFolder, MlTable, MlflowModel, CustomModel or TritonModel"
)]
pub trait Asset: Copy + 'static {
    /// The asset type.
    const TYPE: AssetType;
}

macro_rules! assets {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub struct $name;

            impl Asset for $name {
                const TYPE: AssetType = AssetType::$name;
            }
        )*
    };
}

assets! {
    /// `uri_file`: one file.
    UriFile,
    /// `uri_folder`: a folder.
    UriFolder,
    /// `mltable`: a table described by an `MLTable` file.
    MlTable,
    /// `mlflow_model`: an MLflow model.
    MlflowModel,
    /// `custom_model`: a model in any other format.
    CustomModel,
    /// `triton_model`: a Triton model repository.
    TritonModel,
}

/// A literal parameter type: `i64` (integer), `f64` (number), `String` (string), `bool` (boolean).
///
/// ```
/// use pipeline_core::dsl::Scalar;
/// use pipeline_core::ParamType;
///
/// assert_eq!(<i64 as Scalar>::TYPE, ParamType::Integer);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a parameter type of Azure ML",
    label = "not a parameter type",
    note = "parameters are i64, f64, String or bool, or an Option of one (an optional input)"
)]
pub trait Scalar: 'static {
    /// The parameter type.
    const TYPE: ParamType;
}

impl Scalar for i64 {
    const TYPE: ParamType = ParamType::Integer;
}
impl Scalar for f64 {
    const TYPE: ParamType = ParamType::Number;
}
impl Scalar for String {
    const TYPE: ParamType = ParamType::String;
}
impl Scalar for bool {
    const TYPE: ParamType = ParamType::Boolean;
}

/// Where a value bound to an input comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// An input of the pipeline being built.
    ParentInput(&'static str),
    /// An output of one of its nodes.
    NodeOutput(NodeId, &'static str),
}

/// What is bound to a node's input: a port upstream, or a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A port of the pipeline or of a node.
    Port(Source),
    /// A value given right at the node.
    Value(JobInput),
}

/// A data input. In a component's signature it declares the input; in a pipeline's body the
/// pipeline's own input of that name is a handle that feeds nodes' inputs of the same type.
///
/// ```
/// use pipeline_core::dsl::{Arg, Feeds, Input, Source, UriFolder};
///
/// let raw: Input<UriFolder> = Input::parent("raw");
/// assert_eq!(Feeds::<UriFolder>::arg(raw), Arg::Port(Source::ParentInput("raw")));
/// ```
pub struct Input<T> {
    name: &'static str,
    asset: PhantomData<T>,
}

/// A data output. In a component's signature it declares the output; in a pipeline's body
/// `node.outputs.<name>` is a handle that feeds inputs of the same type.
///
/// ```
/// use pipeline_core::dsl::{Output, Source, UriFolder};
///
/// let (built, out) = pipeline_core::dsl::build(|| {
///     // What `let prepped = prep(raw);` adds, and what `prepped.outputs.clean` is.
///     let node = pipeline_core::dsl::add_node("prep", pipeline_core::dsl::command_node(
///         pipeline_core::CommandComponent::new("prep", "python prep.py"),
///     ));
///     Output::<UriFolder>::of(node, "clean")
/// });
/// assert_eq!(out.port(), "clean");
/// assert!(matches!(out.source(), Source::NodeOutput(_, "clean")));
/// assert_eq!(built.jobs.len(), 1);
/// ```
pub struct Output<T> {
    node: NodeId,
    port: &'static str,
    asset: PhantomData<T>,
}

/// A parameter of the pipeline being built (an `f64`, `i64`, `String` or `bool` input), as a
/// handle that feeds nodes' parameters of the same type.
///
/// ```
/// use pipeline_core::dsl::{Arg, Feeds, Param, Source};
///
/// let lr: Param<f64> = Param::parent("learning_rate");
/// assert_eq!(Feeds::<f64>::arg(lr), Arg::Port(Source::ParentInput("learning_rate")));
/// ```
pub struct Param<T> {
    name: &'static str,
    kind: PhantomData<T>,
}

impl<T> Input<T> {
    /// The pipeline input `name`.
    pub fn parent(name: &'static str) -> Self {
        Input {
            name,
            asset: PhantomData,
        }
    }

    /// Its name.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

impl<T> Output<T> {
    /// The output `port` of a node.
    pub fn of(node: NodeId, port: &'static str) -> Self {
        Output {
            node,
            port,
            asset: PhantomData,
        }
    }

    /// Where it comes from.
    pub fn source(&self) -> Source {
        Source::NodeOutput(self.node, self.port)
    }

    /// The port's name.
    pub fn port(&self) -> &'static str {
        self.port
    }

    /// How the output is written (`upload`, `rw_mount`, `direct`…).
    pub fn mode(self, mode: Mode) -> Self {
        super::building::settle(self.node, self.port, |o| o.mode = Some(mode));
        self
    }

    /// Where the output is written (`azureml://datastores/<store>/paths/<path>`…).
    pub fn path(self, path: &str) -> Self {
        super::building::settle(self.node, self.port, |o| {
            o.path = Some(DataPath::parse(path))
        });
        self
    }
}

impl<T> Param<T> {
    /// The pipeline parameter `name`.
    pub fn parent(name: &'static str) -> Self {
        Param {
            name,
            kind: PhantomData,
        }
    }

    /// Its name.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

// Handles are names and indices: copied freely, whatever `T` is.
macro_rules! copy_handle {
    ($($handle:ident),*) => {
        $(
            impl<T> Clone for $handle<T> {
                fn clone(&self) -> Self {
                    *self
                }
            }
            impl<T> Copy for $handle<T> {}
        )*
    };
}
copy_handle!(Input, Output, Param);

impl<T> fmt::Debug for Input<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Input({})", self.name)
    }
}
impl<T> fmt::Debug for Output<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Output({:?}.{})", self.node, self.port)
    }
}
impl<T> fmt::Debug for Param<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Param({})", self.name)
    }
}

/// What may be bound to an input declared as `T`: an output or pipeline input of the same asset
/// type, a data path for data, a literal or pipeline parameter of the same type for a parameter.
///
/// ```
/// use pipeline_core::dsl::{Arg, Feeds, Input, Source, UriFolder};
///
/// let raw: Input<UriFolder> = Input::parent("raw");
/// assert_eq!(Feeds::<UriFolder>::arg(raw), Arg::Port(Source::ParentInput("raw")));
/// assert!(matches!(Feeds::<f64>::arg(0.5), Arg::Value(_)));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot feed an input declared as `{T}`",
    label = "expected something that carries `{T}`",
    note = "an output or pipeline input feeds only inputs of its own asset type, and a parameter takes a literal or pipeline parameter of its own type"
)]
pub trait Feeds<T> {
    /// What is bound.
    fn arg(self) -> Arg;
}

impl<T: Asset> Feeds<T> for Output<T> {
    fn arg(self) -> Arg {
        Arg::Port(self.source())
    }
}

impl<T: Asset> Feeds<T> for Input<T> {
    fn arg(self) -> Arg {
        Arg::Port(Source::ParentInput(self.name))
    }
}

/// A path or asset reference given right at the node (`azureml:data:1`, `./data`, `https://…`).
impl<T: Asset> Feeds<T> for &str {
    fn arg(self) -> Arg {
        Arg::Value(JobInput::Data(InputData::new(
            PortType::Asset(T::TYPE),
            DataPath::parse(self),
        )))
    }
}

impl<T: Scalar> Feeds<T> for Param<T> {
    fn arg(self) -> Arg {
        Arg::Port(Source::ParentInput(self.name))
    }
}

impl Feeds<i64> for i64 {
    fn arg(self) -> Arg {
        Arg::Value(JobInput::Literal(Literal::Int(self)))
    }
}
impl Feeds<f64> for f64 {
    fn arg(self) -> Arg {
        Arg::Value(JobInput::Literal(Literal::Float(self)))
    }
}
impl Feeds<bool> for bool {
    fn arg(self) -> Arg {
        Arg::Value(JobInput::Literal(Literal::Bool(self)))
    }
}
impl Feeds<String> for &str {
    fn arg(self) -> Arg {
        Arg::Value(JobInput::Literal(Literal::Str(self.to_owned())))
    }
}
impl Feeds<String> for String {
    fn arg(self) -> Arg {
        Arg::Value(JobInput::Literal(Literal::Str(self)))
    }
}
