//! Typed handles to ports, and what may feed what: the wiring rules the compiler checks.

use std::fmt;
use std::marker::PhantomData;

use pipeline_schema::compat::{AssetType as SchemaAsset, Compat, may_feed};

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
    ///
    /// ```
    /// use pipeline_core::dsl::{Arg, Feeds, UriFile};
    /// use pipeline_core::JobInput;
    ///
    /// // A file given right at the node: `train(…).labels("azureml://datastores/…/labels.csv")`.
    /// let Arg::Value(JobInput::Data(data)) =
    ///     Feeds::<UriFile>::arg("azureml://datastores/workspaceblobstore/paths/taxi/labels.csv")
    /// else { unreachable!() };
    /// assert_eq!(data.kind.unwrap().to_string(), "uri_file");
    /// ```
    UriFile,
    /// `uri_folder`: a folder.
    ///
    /// ```
    /// use pipeline_core::dsl::{Input, PipelineInput, UriFolder};
    /// use pipeline_core::JobInput;
    ///
    /// // `#[input(default = "azureml:taxi_raw:1")] raw: Input<UriFolder>` on a pipeline.
    /// let JobInput::Data(raw) = <Input<UriFolder>>::declare(Some("azureml:taxi_raw:1")) else {
    ///     unreachable!()
    /// };
    /// assert_eq!(raw.kind.unwrap().to_string(), "uri_folder");
    /// assert_eq!(raw.path.unwrap().to_string(), "azureml:taxi_raw:1");
    /// ```
    UriFolder,
    /// `mltable`: a table described by an `MLTable` file.
    ///
    /// ```
    /// use pipeline_core::dsl::{Asset, Input, MlTable, PipelineInput};
    /// use pipeline_core::{AssetType, PortType};
    ///
    /// assert_eq!(MlTable::TYPE.as_str(), "mltable");
    /// let spec = <Input<MlTable>>::spec(None);
    /// assert_eq!(spec.kind, PortType::Asset(AssetType::MlTable));
    /// ```
    MlTable,
    /// `mlflow_model`: an MLflow model.
    ///
    /// ```
    /// use pipeline_core::dsl::{MlflowModel, Output, PipelineOutputs, add_node, build, command_node};
    /// use pipeline_core::{CommandComponent, JobOutput};
    ///
    /// let (_, outputs) = build(|| {
    ///     let train = add_node("train", command_node(CommandComponent::new("train", "python train.py")));
    ///     Output::<MlflowModel>::of(train, "model").export()
    /// });
    /// let JobOutput::Data(model) = &outputs[0].1 else { unreachable!() };
    /// assert_eq!(model.kind.unwrap().to_string(), "mlflow_model");
    /// ```
    MlflowModel,
    /// `custom_model`: a model in any other format.
    ///
    /// ```
    /// use pipeline_core::dsl::{Asset, CustomModel};
    /// use pipeline_core::AssetType;
    ///
    /// assert_eq!(CustomModel::TYPE, AssetType::CustomModel);
    /// assert_eq!(CustomModel::TYPE.as_str(), "custom_model");
    /// ```
    CustomModel,
    /// `triton_model`: a Triton model repository.
    ///
    /// ```
    /// use pipeline_core::dsl::{Arg, Feeds, Input, TritonModel};
    ///
    /// // Only a Triton model feeds a Triton model input.
    /// let model: Input<TritonModel> = Input::parent("model");
    /// assert!(matches!(Feeds::<TritonModel>::arg(model), Arg::Port(_)));
    /// assert_eq!(format!("{:?}", model), "Input(model)");
    /// ```
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
///
/// ```
/// use pipeline_core::dsl::{Arg, Feeds, Input, MlTable, Output, Source, add_node, build, command_node};
/// use pipeline_core::CommandComponent;
///
/// let trips: Input<MlTable> = Input::parent("trips");
/// assert_eq!(Feeds::<MlTable>::arg(trips), Arg::Port(Source::ParentInput("trips")));
/// build(|| {
///     let prep = add_node("prep", command_node(CommandComponent::new("prep", "python prep.py")));
///     let table = Output::<MlTable>::of(prep, "table");
///     assert_eq!(table.source(), Source::NodeOutput(prep, "table"));
/// });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// An input of the pipeline being built.
    ParentInput(&'static str),
    /// An output of one of its nodes.
    NodeOutput(NodeId, &'static str),
}

/// What is bound to a node's input: a port upstream, or a value.
///
/// ```
/// use pipeline_core::dsl::{Arg, Feeds, Param, Source};
/// use pipeline_core::{JobInput, Literal};
///
/// // `train(data).learning_rate(0.01)` binds a value…
/// assert_eq!(Feeds::<f64>::arg(0.01), Arg::Value(JobInput::Literal(Literal::Float(0.01))));
/// // …and `.learning_rate(lr)`, in a pipeline with the parameter `lr`, a port.
/// let lr: Param<f64> = Param::parent("lr");
/// assert_eq!(Feeds::<f64>::arg(lr), Arg::Port(Source::ParentInput("lr")));
/// ```
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
    ///
    /// ```
    /// use pipeline_core::dsl::{Arg, Feeds, Input, Source, UriFolder};
    ///
    /// // What the body of `#[pipeline] fn p(raw: Input<UriFolder>)` sees as `raw`.
    /// let raw: Input<UriFolder> = Input::parent("raw");
    /// assert_eq!(Feeds::<UriFolder>::arg(raw), Arg::Port(Source::ParentInput("raw")));
    /// ```
    pub fn parent(name: &'static str) -> Self {
        Input {
            name,
            asset: PhantomData,
        }
    }

    /// Its name.
    ///
    /// ```
    /// use pipeline_core::dsl::{Input, MlTable};
    ///
    /// let trips: Input<MlTable> = Input::parent("trips");
    /// assert_eq!(trips.name(), "trips");
    /// ```
    pub fn name(&self) -> &'static str {
        self.name
    }
}

impl<T> Output<T> {
    /// The output `port` of a node.
    ///
    /// ```
    /// use pipeline_core::dsl::{Feeds, Output, UriFolder, add_node, bind, build, command_node};
    /// use pipeline_core::CommandComponent;
    ///
    /// let (built, _) = build(|| {
    ///     let prep = add_node("prep", command_node(CommandComponent::new("prep", "python prep.py")));
    ///     let train = add_node("train", command_node(CommandComponent::new("train", "python train.py")));
    ///     // `train(prep.outputs.clean)`
    ///     bind(train, "data", Feeds::<UriFolder>::arg(Output::<UriFolder>::of(prep, "clean")));
    /// });
    /// let data = &built.jobs["train"].inputs().unwrap()["data"];
    /// assert_eq!(data.bindings()[0].to_string(), "${{parent.jobs.prep.outputs.clean}}");
    /// ```
    pub fn of(node: NodeId, port: &'static str) -> Self {
        Output {
            node,
            port,
            asset: PhantomData,
        }
    }

    /// Where it comes from.
    ///
    /// ```
    /// use pipeline_core::dsl::{Output, Source, UriFolder, add_node, build, command_node};
    /// use pipeline_core::CommandComponent;
    ///
    /// build(|| {
    ///     let prep = add_node("prep", command_node(CommandComponent::new("prep", "python prep.py")));
    ///     let clean = Output::<UriFolder>::of(prep, "clean");
    ///     assert_eq!(clean.source(), Source::NodeOutput(prep, "clean"));
    /// });
    /// ```
    pub fn source(&self) -> Source {
        Source::NodeOutput(self.node, self.port)
    }

    /// The port's name.
    ///
    /// ```
    /// use pipeline_core::dsl::{MlflowModel, Output, add_node, build, command_node};
    /// use pipeline_core::CommandComponent;
    ///
    /// let (_, model) = build(|| {
    ///     let train = add_node("train", command_node(CommandComponent::new("train", "python train.py")));
    ///     Output::<MlflowModel>::of(train, "model")
    /// });
    /// assert_eq!(model.port(), "model");
    /// ```
    pub fn port(&self) -> &'static str {
        self.port
    }

    /// How the output is written (`upload`, `rw_mount`, `direct`…).
    ///
    /// ```
    /// use pipeline_core::dsl::{MlflowModel, Output, add_node, build, command_node};
    /// use pipeline_core::{CommandComponent, JobOutput, Mode};
    ///
    /// let (built, _) = build(|| {
    ///     let train = add_node("train", command_node(CommandComponent::new("train", "python train.py")));
    ///     // `trained.outputs.model.mode(Mode::Upload)`
    ///     Output::<MlflowModel>::of(train, "model").mode(Mode::Upload)
    /// });
    /// let JobOutput::Data(model) = &built.jobs["train"].outputs().unwrap()["model"] else { panic!() };
    /// assert_eq!(model.mode, Some(Mode::Upload));
    /// ```
    pub fn mode(self, mode: Mode) -> Self {
        super::building::settle(self.node, self.port, |o| o.mode = Some(mode));
        self
    }

    /// Where the output is written (`azureml://datastores/<store>/paths/<path>`…).
    ///
    /// ```
    /// use pipeline_core::dsl::{Output, PipelineOutputs, UriFolder, add_node, build, command_node};
    /// use pipeline_core::CommandComponent;
    ///
    /// let (built, _) = build(|| {
    ///     let score = add_node("score", command_node(CommandComponent::new("score", "python score.py")));
    ///     // A pipeline returning `scoring.outputs.scores.path("azureml://…")`.
    ///     let scores = Output::<UriFolder>::of(score, "scores");
    ///     scores.path("azureml://datastores/workspaceblobstore/paths/scores/").export()
    /// });
    /// // The output is the pipeline's: its path is set on the pipeline's output.
    /// let path = built.outputs["scores"].path.as_ref().unwrap();
    /// assert_eq!(path.to_string(), "azureml://datastores/workspaceblobstore/paths/scores/");
    /// ```
    pub fn path(self, path: &str) -> Self {
        super::building::settle(self.node, self.port, |o| {
            o.path = Some(DataPath::parse(path))
        });
        self
    }
}

impl<T> Param<T> {
    /// The pipeline parameter `name`.
    ///
    /// ```
    /// use pipeline_core::dsl::{Arg, Feeds, Param, Source};
    ///
    /// // What the body of `#[pipeline] fn p(seed: i64)` sees as `seed`.
    /// let seed: Param<i64> = Param::parent("seed");
    /// assert_eq!(Feeds::<i64>::arg(seed), Arg::Port(Source::ParentInput("seed")));
    /// ```
    pub fn parent(name: &'static str) -> Self {
        Param {
            name,
            kind: PhantomData,
        }
    }

    /// Its name.
    ///
    /// ```
    /// use pipeline_core::dsl::Param;
    ///
    /// let lr: Param<f64> = Param::parent("learning_rate");
    /// assert_eq!(lr.name(), "learning_rate");
    /// ```
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

/// What may be bound to an input declared as `T`: an output or pipeline input of an asset type
/// that may feed `T` (its own, and for a `UriFolder` input also `UriFile` and `MlTable`, as
/// Azure ML accepts: `pipeline_schema::compat::may_feed`), a data path for data, a literal or
/// pipeline parameter of the same type for a parameter.
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
    note = "an output or pipeline input feeds inputs of its own asset type, and a UriFolder input also takes UriFile, MlTable and the model types (Azure ML accepts them); a parameter takes a literal or pipeline parameter of its own type"
)]
pub trait Feeds<T> {
    /// What is bound.
    ///
    /// ```
    /// use pipeline_core::dsl::{Arg, Feeds, UriFolder};
    /// use pipeline_core::{JobInput, Literal};
    ///
    /// let Arg::Value(JobInput::Data(data)) = Feeds::<UriFolder>::arg("azureml:taxi_raw:1") else {
    ///     unreachable!()
    /// };
    /// assert_eq!(data.path.unwrap().to_string(), "azureml:taxi_raw:1");
    /// let auto = Feeds::<String>::arg("auto");
    /// assert_eq!(auto, Arg::Value(JobInput::Literal(Literal::Str("auto".into()))));
    /// ```
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

/// The pairs of different asset types where the first may feed an input of the second:
/// `impl Feeds<To> for Output<From>` and `for Input<From>`. Each pair is checked at compile time
/// to be one `pipeline_schema::compat::may_feed` accepts, and a unit test checks that these are
/// all it accepts.
macro_rules! accepted_feeds {
    ($($from:ident => $to:ident,)*) => {
        $(
            const _: () = assert!(matches!(
                may_feed(SchemaAsset::$from, SchemaAsset::$to),
                Compat::Accepted(_)
            ));

            impl Feeds<$to> for Output<$from> {
                fn arg(self) -> Arg {
                    Arg::Port(self.source())
                }
            }

            impl Feeds<$to> for Input<$from> {
                fn arg(self) -> Arg {
                    Arg::Port(Source::ParentInput(self.name))
                }
            }
        )*

        /// The pairs above, for the test that they are all `may_feed` accepts.
        #[cfg(test)]
        const ACCEPTED: &[(SchemaAsset, SchemaAsset)] = &[$((SchemaAsset::$from, SchemaAsset::$to)),*];
    };
}

accepted_feeds! {
    UriFile => UriFolder,
    MlTable => UriFolder,
    MlflowModel => UriFolder,
    CustomModel => UriFolder,
    TritonModel => UriFolder,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CommandComponent;
    use crate::dsl::{add_node, bind, build, command_node};

    #[test]
    fn the_feeds_impls_are_what_the_schema_accepts() {
        for from in SchemaAsset::ALL {
            for to in SchemaAsset::ALL {
                let implemented = ACCEPTED.contains(&(from, to));
                let accepted = matches!(may_feed(from, to), Compat::Accepted(_));
                assert_eq!(implemented, accepted, "{from:?} -> {to:?}");
            }
        }
    }

    #[test]
    fn the_asset_types_are_the_schemas() {
        for (ours, theirs) in [
            (UriFile::TYPE, SchemaAsset::UriFile),
            (UriFolder::TYPE, SchemaAsset::UriFolder),
            (MlTable::TYPE, SchemaAsset::MlTable),
            (MlflowModel::TYPE, SchemaAsset::MlflowModel),
            (CustomModel::TYPE, SchemaAsset::CustomModel),
            (TritonModel::TYPE, SchemaAsset::TritonModel),
        ] {
            assert_eq!(ours.as_str(), theirs.as_str());
        }
    }

    #[test]
    fn a_table_or_a_file_feeds_a_folder_input() {
        let (built, _) = build(|| {
            let prep = add_node(
                "prep",
                command_node(CommandComponent::new("prep", "python p.py")),
            );
            let train = add_node(
                "train",
                command_node(CommandComponent::new("train", "python t.py")),
            );
            let table: Output<MlTable> = Output::of(prep, "table");
            bind(train, "data", Feeds::<UriFolder>::arg(table));
            bind(
                train,
                "labels",
                Feeds::<UriFolder>::arg(Input::<UriFile>::parent("labels")),
            );
        });
        let inputs = built.jobs["train"].inputs().unwrap();
        assert_eq!(
            inputs["data"].bindings()[0].to_string(),
            "${{parent.jobs.prep.outputs.table}}"
        );
        assert_eq!(
            inputs["labels"].bindings()[0].to_string(),
            "${{parent.inputs.labels}}"
        );
    }
}
