//! What `#[component]` and `#[pipeline]` expand to: typed handles to ports, the rules of what may
//! feed what (which the compiler checks), and the pipeline a `#[pipeline]` body is building.
//!
//! Users write the attributes and never name most of this; the facade re-exports the handles in
//! `pipeline::prelude` and the rest in `pipeline::__private` for the generated code. What only
//! the generated code calls is hidden from these docs.
//!
//! A pipeline's body runs inside [`build`]-like scaffolding the attributes generate; what it
//! manipulates are the handles below:
//!
//! ```
//! use pipeline_core::dsl::{Feeds, Input, Output, Param, UriFolder};
//!
//! // `#[pipeline] fn p(raw: Input<UriFolder>, lr: f64)` gives its body these in place of its
//! // parameters: handles that feed nodes' inputs of the same type.
//! let raw: Input<UriFolder> = Input::parent("raw");
//! let lr: Param<f64> = Param::parent("lr");
//! assert_eq!((raw.name(), lr.name()), ("raw", "lr"));
//! let _bound = (Feeds::<UriFolder>::arg(raw), Feeds::<f64>::arg(lr));
//! ```

mod building;
mod ports;

mod definition;

pub use building::{
    Built, NodeId, add_node, bind, build, command_node, edit, export, name, parallel_node,
};
pub use building::{
    pipeline_node, set_compute, set_display_name, set_environment_variable, settle,
};
pub use definition::{Definition, PipelineParts};
pub use ports::{
    Arg, Asset, CustomModel, Feeds, Input, MlTable, MlflowModel, Output, Param, Scalar, Source,
    TritonModel, UriFile, UriFolder,
};

use crate::model::{
    DataPath, InputData, InputSpec, JobInput, JobOutput, Literal, OutputData, PortType,
};

/// A `#[pipeline]` function's parameter type, as the pipeline input it declares.
///
/// ```
/// use pipeline_core::dsl::{Input, PipelineInput, UriFolder};
/// use pipeline_core::{JobInput, Literal};
///
/// // `#[input(default = 0.1)] lr: f64` and `raw: Input<UriFolder>`:
/// assert_eq!(<f64 as PipelineInput>::declare(Some(0.1)), JobInput::Literal(Literal::Float(0.1)));
/// assert!(matches!(<Input<UriFolder> as PipelineInput>::declare(None), JobInput::Data(_)));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a pipeline input",
    label = "not an input type",
    note = "pipeline inputs are Input<T> (data) or i64, f64, String, bool (parameters)"
)]
pub trait PipelineInput {
    /// The handle the body sees in its place.
    type Handle;
    /// What feeds it when the pipeline runs as a node of another (`T` for `Input<T>`).
    type Fed;
    /// The handle to the pipeline input `name`.
    ///
    /// ```
    /// use pipeline_core::dsl::{Input, Param, PipelineInput, UriFolder};
    ///
    /// // `#[pipeline] fn p(raw: Input<UriFolder>, lr: f64)`: its body sees these.
    /// let raw: Input<UriFolder> = <Input<UriFolder>>::handle("raw");
    /// let lr: Param<f64> = <f64 as PipelineInput>::handle("lr");
    /// assert_eq!((raw.name(), lr.name()), ("raw", "lr"));
    /// ```
    fn handle(name: &'static str) -> Self::Handle;
    /// The input's declaration, with its default value if it has one.
    ///
    /// ```
    /// use pipeline_core::dsl::PipelineInput;
    /// use pipeline_core::{JobInput, Literal, ParamType, PortType};
    ///
    /// // `#[input(default = "auto")] solver: String`, and `seed: i64` (no default).
    /// let solver = <String as PipelineInput>::declare(Some("auto"));
    /// assert_eq!(solver, JobInput::Literal(Literal::Str("auto".into())));
    /// let JobInput::Data(seed) = <i64 as PipelineInput>::declare(None) else { unreachable!() };
    /// assert_eq!(seed.kind, Some(PortType::Param(ParamType::Integer)));
    /// ```
    fn declare(default: Option<Self::Default>) -> JobInput;
    /// What a default is written as (`"azureml:data:1"` for data, the value for a parameter).
    type Default;
    /// The input as a pipeline component declares it (a data default stays with the job).
    ///
    /// ```
    /// use pipeline_core::dsl::{Input, PipelineInput, UriFolder};
    /// use pipeline_core::Literal;
    ///
    /// let lr = <f64 as PipelineInput>::spec(Some(0.01));
    /// assert_eq!(lr.default, Some(Literal::Float(0.01)));
    /// let raw = <Input<UriFolder>>::spec(Some("azureml:taxi_raw:1"));
    /// assert_eq!((raw.kind.to_string().as_str(), raw.default), ("uri_folder", None));
    /// ```
    fn spec(default: Option<Self::Default>) -> InputSpec;
}

impl<T: Asset> PipelineInput for Input<T> {
    type Handle = Input<T>;
    type Fed = T;
    type Default = &'static str;
    fn handle(name: &'static str) -> Self::Handle {
        Input::parent(name)
    }
    fn declare(default: Option<&'static str>) -> JobInput {
        let mut data = InputData::of_type(PortType::Asset(T::TYPE));
        data.path = default.map(DataPath::parse);
        JobInput::Data(data)
    }
    fn spec(_: Option<&'static str>) -> InputSpec {
        InputSpec::new(PortType::Asset(T::TYPE))
    }
}

macro_rules! scalar_inputs {
    ($($t:ty => $default:ty, $literal:expr;)*) => {
        $(
            impl PipelineInput for $t {
                type Handle = Param<$t>;
                type Fed = $t;
                type Default = $default;
                fn handle(name: &'static str) -> Self::Handle {
                    Param::parent(name)
                }
                fn spec(default: Option<$default>) -> InputSpec {
                    let mut spec = InputSpec::new(PortType::Param(<$t as Scalar>::TYPE));
                    spec.default = default.map($literal);
                    spec
                }
                fn declare(default: Option<$default>) -> JobInput {
                    match default {
                        Some(v) => JobInput::Literal($literal(v)),
                        None => JobInput::Data(InputData::of_type(PortType::Param(
                            <$t as Scalar>::TYPE,
                        ))),
                    }
                }
            }
        )*
    };
}
scalar_inputs! {
    i64 => i64, Literal::Int;
    f64 => f64, Literal::Float;
    bool => bool, Literal::Bool;
    String => &'static str, |s: &str| Literal::Str(s.to_owned());
}

/// What a `#[pipeline]` function returns: its outputs. Nothing, one `Output<T>` (named after the
/// node's port), or a struct of outputs with `#[derive(PipelineOutputs)]` (named after its fields).
///
/// ```
/// use pipeline_core::dsl::{PipelineOutputs, build};
///
/// // A pipeline returning nothing has no outputs.
/// let (_, outputs) = build(|| ().export());
/// assert!(outputs.is_empty());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be what a pipeline returns",
    label = "not a pipeline output",
    note = "a pipeline returns nothing, an Output<T> of one of its nodes, or a struct of them with #[derive(PipelineOutputs)]"
)]
pub trait PipelineOutputs: Sized {
    /// Makes the outputs the pipeline's, and declares them: `(name, declaration)`.
    ///
    /// ```
    /// use pipeline_core::dsl::{MlflowModel, Output, PipelineOutputs, add_node, build, command_node};
    /// use pipeline_core::CommandComponent;
    ///
    /// let (built, outputs) = build(|| {
    ///     let train = add_node("train", command_node(CommandComponent::new("train", "python train.py")));
    ///     Output::<MlflowModel>::of(train, "model").export() // `-> Output<MlflowModel>`
    /// });
    /// assert_eq!(outputs[0].0, "model");
    /// let model = &built.jobs["train"].outputs().unwrap()["model"];
    /// assert_eq!(model.binding().unwrap().to_string(), "${{parent.outputs.model}}");
    /// ```
    fn export(self) -> Vec<(&'static str, JobOutput)>;
    /// The same outputs on a node that runs the pipeline as a component, `names` being what
    /// [`PipelineOutputs::export`] named them.
    ///
    /// ```
    /// use pipeline_core::dsl::{MlflowModel, Output, PipelineOutputs, Source, add_node, build};
    /// use pipeline_core::dsl::pipeline_node;
    /// use pipeline_core::{Component, component_from_str};
    ///
    /// let Ok(Component::Pipeline(training)) = component_from_str("type: pipeline\nname: training")
    /// else { unreachable!() };
    /// build(|| {
    ///     // What calling `#[pipeline] fn training(…) -> Output<MlflowModel>` in a body adds.
    ///     let node = add_node("training", pipeline_node(training));
    ///     let model = <Output<MlflowModel>>::of_node(node, &["model"]);
    ///     assert_eq!(model.source(), Source::NodeOutput(node, "model"));
    /// });
    /// ```
    fn of_node(node: NodeId, names: &[&'static str]) -> Self;
}

impl PipelineOutputs for () {
    fn export(self) -> Vec<(&'static str, JobOutput)> {
        Vec::new()
    }
    fn of_node(_: NodeId, _: &[&'static str]) -> Self {}
}

impl<T: Asset> PipelineOutputs for Output<T> {
    fn export(self) -> Vec<(&'static str, JobOutput)> {
        vec![export_as(self, self.port())]
    }
    fn of_node(node: NodeId, names: &[&'static str]) -> Self {
        Output::of(node, names.first().copied().unwrap_or_default())
    }
}

/// Makes a node output the pipeline's output `name`, and declares it.
#[doc(hidden)]
pub fn export_as<T: Asset>(output: Output<T>, name: &'static str) -> (&'static str, JobOutput) {
    if let Source::NodeOutput(node, port) = output.source() {
        export(node, port, name);
    }
    (
        name,
        JobOutput::Data(OutputData::new(PortType::Asset(T::TYPE))),
    )
}

/// Settings every node has, on every node handle: `train(data).compute("azureml:gpu")`.
///
/// ```
/// use pipeline_core::dsl::{NodeHandle, NodeId, NodeSettings, add_node, build, command_node};
/// use pipeline_core::{CommandComponent, Yaml};
///
/// struct Step(NodeId);
/// impl NodeHandle for Step {
///     fn node_id(&self) -> NodeId {
///         self.0
///     }
/// }
/// let (built, _) = build(|| {
///     let node = add_node("step", command_node(CommandComponent::new("step", "echo hi")));
///     Step(node).compute("azureml:gpu-cluster").display_name("A step")
/// });
/// let node = &built.jobs["step"];
/// assert_eq!(node.kind(), "command");
/// ```
pub trait NodeSettings: NodeHandle + Sized {
    /// Runs the node on this compute (`azureml:<name>`), not the pipeline's default.
    ///
    /// ```
    /// # use pipeline_core::dsl::{NodeHandle, NodeId, NodeSettings, add_node, build, command_node};
    /// # use pipeline_core::{CommandComponent, PipelineNode};
    /// # struct TrainNode(NodeId);
    /// # impl NodeHandle for TrainNode {
    /// #     fn node_id(&self) -> NodeId {
    /// #         self.0
    /// #     }
    /// # }
    /// # fn train() -> TrainNode {
    /// #     TrainNode(add_node("train", command_node(CommandComponent::new("train", "python train.py"))))
    /// # }
    /// let (built, _) = build(|| train().compute("azureml:gpu-cluster"));
    /// let PipelineNode::Command(node) = &built.jobs["train"] else { unreachable!() };
    /// assert_eq!(node.compute.as_ref().unwrap().to_string(), "azureml:gpu-cluster");
    /// ```
    fn compute(self, compute: &str) -> Self {
        edit(self.node_id(), |n| set_compute(n, compute));
        self
    }

    /// The name the studio shows for the node.
    ///
    /// ```
    /// # use pipeline_core::dsl::{NodeHandle, NodeId, NodeSettings, add_node, build, command_node};
    /// # use pipeline_core::{CommandComponent, PipelineNode};
    /// # struct TrainNode(NodeId);
    /// # impl NodeHandle for TrainNode {
    /// #     fn node_id(&self) -> NodeId {
    /// #         self.0
    /// #     }
    /// # }
    /// # fn train() -> TrainNode {
    /// #     TrainNode(add_node("train", command_node(CommandComponent::new("train", "python train.py"))))
    /// # }
    /// let (built, _) = build(|| train().display_name("Train the fare model"));
    /// let PipelineNode::Command(node) = &built.jobs["train"] else { unreachable!() };
    /// assert_eq!(node.display_name.as_deref(), Some("Train the fare model"));
    /// ```
    fn display_name(self, name: &str) -> Self {
        edit(self.node_id(), |n| set_display_name(n, name));
        self
    }

    /// Sets an environment variable for the node's command.
    ///
    /// ```
    /// # use pipeline_core::dsl::{NodeHandle, NodeId, NodeSettings, add_node, build, command_node};
    /// # use pipeline_core::{CommandComponent, PipelineNode};
    /// # struct TrainNode(NodeId);
    /// # impl NodeHandle for TrainNode {
    /// #     fn node_id(&self) -> NodeId {
    /// #         self.0
    /// #     }
    /// # }
    /// # fn train() -> TrainNode {
    /// #     TrainNode(add_node("train", command_node(CommandComponent::new("train", "python train.py"))))
    /// # }
    /// use pipeline_core::Literal;
    ///
    /// let (built, _) = build(|| train().environment_variable("AZUREML_COMPUTE_USE_COMMON_RUNTIME", "true"));
    /// let PipelineNode::Command(node) = &built.jobs["train"] else { unreachable!() };
    /// let vars = node.environment_variables.as_ref().unwrap();
    /// assert_eq!(vars["AZUREML_COMPUTE_USE_COMMON_RUNTIME"], Literal::Str("true".into()));
    /// ```
    fn environment_variable(self, name: &str, value: &str) -> Self {
        edit(self.node_id(), |n| set_environment_variable(n, name, value));
        self
    }
}

impl<T: NodeHandle> NodeSettings for T {}

/// A node handle returned by a component call: what a `let` in a pipeline body names. The
/// attributes implement it for the node types they generate (see [`NodeSettings`]'s example).
///
/// ```
/// use pipeline_core::dsl::{NodeHandle, NodeId, add_node, build, command_node, name};
/// use pipeline_core::CommandComponent;
///
/// struct TrainNode(NodeId); // what `#[component] fn train(…)` generates, in short
/// impl NodeHandle for TrainNode {
///     fn node_id(&self) -> NodeId { self.0 }
/// }
/// let (built, _) = build(|| {
///     let train = command_node(CommandComponent::new("train", "python train.py"));
///     let node = TrainNode(add_node("train", train));
///     name(node.node_id(), "trained"); // what `let trained = train(…);` does
/// });
/// assert!(built.jobs.contains_key("trained"));
/// ```
pub trait NodeHandle {
    /// The node.
    ///
    /// ```
    /// # use pipeline_core::dsl::{NodeHandle, NodeId, NodeSettings, add_node, build, command_node};
    /// # use pipeline_core::{CommandComponent, PipelineNode};
    /// # struct TrainNode(NodeId);
    /// # impl NodeHandle for TrainNode {
    /// #     fn node_id(&self) -> NodeId {
    /// #         self.0
    /// #     }
    /// # }
    /// # fn train() -> TrainNode {
    /// #     TrainNode(add_node("train", command_node(CommandComponent::new("train", "python train.py"))))
    /// # }
    /// build(|| {
    ///     let node = train();
    ///     let again = node.node_id();
    ///     assert_eq!(node.node_id(), again); // a handle names one node
    /// });
    /// ```
    fn node_id(&self) -> NodeId;
}

/// A value bound by a `let` in a pipeline body: a node is named after the binding, anything else
/// passes through. (The generated code calls `(&&&Let::new(value)).named("x")`: method lookup
/// tries [`NameNode`] first, which only nodes have, then [`KeepValue`].)
#[doc(hidden)]
pub struct Let<T>(std::cell::Cell<Option<T>>);

impl<T> Let<T> {
    /// Wraps the value.
    pub fn new(value: T) -> Self {
        Let(std::cell::Cell::new(Some(value)))
    }

    fn take(&self) -> T {
        self.0.take().expect("a `Let` is named once")
    }
}

/// Names a node after its `let`.
#[doc(hidden)]
pub trait NameNode<T> {
    /// The node, named.
    fn named(&self, name: &'static str) -> T;
}

impl<T: NodeHandle> NameNode<T> for &&Let<T> {
    fn named(&self, as_name: &'static str) -> T {
        let node = self.take();
        name(node.node_id(), as_name);
        node
    }
}

/// Leaves anything but a node as it is.
#[doc(hidden)]
pub trait KeepValue<T> {
    /// The value.
    fn named(&self, name: &'static str) -> T;
}

impl<T> KeepValue<T> for &Let<T> {
    fn named(&self, _: &'static str) -> T {
        self.take()
    }
}

/// Reads the setting `what` of `item`, given as `key = (a = 1, b = "x")` in an attribute, from
/// the YAML flow mapping the macro wrote for it (after checking its keys and literal types).
///
/// # Panics
/// When the model rejects the YAML, with both names in the message. The attributes check every
/// key and value against `pipeline-schema` at compile time (a `distribution` of `type =
/// "horovod"` is a compile error), and a unit test below reads every key they may write, so a
/// macro-written table does not reach this.
fn from_attribute<T: crate::convert::FromNode>(item: &str, what: &str, yaml: &str) -> T {
    let mut loader = crate::convert::Loader::default();
    let read = crate::yaml::parse(yaml).ok().and_then(|node| {
        let mut cx = crate::convert::Cx::new(&mut loader, std::path::PathBuf::from(item), None);
        T::from_node(&node, &mut cx)
    });
    match (read, loader.diagnostics.first()) {
        (Some(v), None) => v,
        (_, Some(d)) => panic!("`{what}` of `{item}`: {}", d.message),
        (None, None) => panic!("`{what}` of `{item}` is not valid: {yaml}"),
    }
}

macro_rules! attribute_readers {
    ($($(#[$doc:meta])* $f:ident => $t:ty;)*) => {
        $(
            $(#[$doc])*
            #[doc(hidden)]
            pub fn $f(item: &str, yaml: &str) -> $t {
                from_attribute(item, stringify!($f), yaml)
            }
        )*
    };
}

attribute_readers! {
    /// `resources = (instance_count = 2, instance_type = "…")`.
    resources => crate::model::Resources;
    /// `distribution = (type = "pytorch", process_count_per_instance = 2)`.
    distribution => crate::model::Distribution;
    /// `retry_settings = (max_retries = 3, timeout = 60)`.
    retry_settings => crate::model::RetrySettings;
    /// `mini_batch_size = "10kb"` or `= 10`.
    mini_batch_size => crate::model::MiniBatchSize;
}

#[cfg(test)]
mod tests {
    use pipeline_schema::enums;
    use pipeline_schema::keys::{self, FieldKind};

    /// YAML setting every key of `schema` that an attribute table can write (what
    /// pipeline-macros' `schema_table` accepts), each with a value of its kind.
    fn every_settable_key(schema: &str, unions: &[(&str, &str)]) -> String {
        let s = keys::schema(schema).unwrap();
        let entries: Vec<String> = s
            .loadable()
            .filter_map(|k| {
                let value = match k.kind {
                    FieldKind::Int | FieldKind::Number => "2".to_owned(),
                    FieldKind::Bool => "true".to_owned(),
                    FieldKind::Str => "\"x\"".to_owned(),
                    FieldKind::Enum => {
                        format!("\"{}\"", enums::field(schema, k.name).unwrap().values[0])
                    }
                    FieldKind::Union => unions
                        .iter()
                        .find(|(key, _)| *key == k.name)
                        .map(|(_, v)| (*v).to_owned())?,
                    _ => return None,
                };
                Some(format!("{}: {value}", k.name))
            })
            .collect();
        format!("{{{}}}", entries.join(", "))
    }

    #[test]
    fn every_key_an_attribute_table_may_set_is_read_without_panicking() {
        let resources = every_settable_key("ComponentResourceSchema", &[("docker_args", "\"x\"")]);
        super::resources("c", &resources);
        for d in [
            "MPIDistributionSchema",
            "TensorFlowDistributionSchema",
            "PyTorchDistributionSchema",
            "RayDistributionSchema",
        ] {
            super::distribution("c", &every_settable_key(d, &[]));
        }
        let retry = every_settable_key(
            "RetrySettingsSchema",
            &[("max_retries", "2"), ("timeout", "2")],
        );
        super::retry_settings("c", &retry);
    }
}
