//! The nodes of a pipeline (`jobs.<name>`): command, parallel and pipeline nodes are typed; every
//! other kind (spark, sweep, automl, import, data_transfer, control flow) is kept verbatim and
//! still takes part in the graph through the bindings found in it.

use indexmap::IndexMap;

use crate::convert::{Cx, FromNode, ToNode, read_kind_in, yaml_struct};
use crate::model::{
    Binding, CodeRef, ComponentRef, Distribution, Environment, Identity, JobInput, JobOutput,
    JobService, Limits, Literal, LoggingLevel, MiniBatchSize, Opaque, PipelineSettings,
    QueueSettings, Resources, RetrySettings, RunFunction, Template,
};
use crate::yaml::{Mapping, Node};

yaml_struct! {
    /// A command node: a component (named or inline) with its inputs bound, or a command given
    /// right in the node.
    ///
    /// ```
    /// use pipeline_core::{Job, PipelineNode, job_from_str};
    ///
    /// let job = job_from_str("
    /// type: pipeline
    /// jobs:
    ///   hello:
    ///     command: echo ${{inputs.msg}}
    ///     environment: azureml:AzureML-sklearn-1.0@latest
    ///     inputs: {msg: hi}
    /// ").unwrap();
    /// let Job::Pipeline(p) = &job else { panic!("not a pipeline") };
    /// let PipelineNode::Command(hello) = &p.jobs.as_ref().unwrap()["hello"] else { panic!() };
    /// assert!(hello.component.is_none());
    /// assert_eq!(hello.command.as_ref().unwrap().to_string(), "echo ${{inputs.msg}}");
    /// ```
    pub struct CommandNode tag = "command" {
        "component" => component: Option<ComponentRef>,
        "display_name" => display_name: Option<String>,
        "description" => description: Option<String>,
        "tags" => tags: Option<IndexMap<String, String>>,
        "properties" => properties: Option<Mapping>,
        "compute" => compute: Option<Template>,
        "inputs" => inputs: Option<IndexMap<String, JobInput>>,
        "outputs" => outputs: Option<IndexMap<String, JobOutput>>,
        "code" => code: Option<CodeRef>,
        "environment" => environment: Option<Environment>,
        "command" => command: Option<Template>,
        "environment_variables" => environment_variables: Option<IndexMap<String, Literal>>,
        "resources" => resources: Option<Resources>,
        "limits" => limits: Option<Limits>,
        "distribution" => distribution: Option<Distribution>,
        "identity" => identity: Option<Identity>,
        "services" => services: Option<IndexMap<String, JobService>>,
        "queue_settings" => queue_settings: Option<QueueSettings>,
    }
}

impl CommandNode {
    /// A node running this component.
    ///
    /// ```
    /// use pipeline_core::{AssetRef, CommandNode, ComponentRef};
    ///
    /// let train = ComponentRef::Asset(AssetRef::parse("azureml:train@latest").unwrap());
    /// let node = CommandNode::new(train.clone());
    /// assert_eq!(node.component, Some(train));
    /// assert!(node.inputs.is_none() && node.command.is_none());
    /// ```
    pub fn new(component: ComponentRef) -> Self {
        CommandNode {
            component: Some(component),
            display_name: None,
            description: None,
            tags: None,
            properties: None,
            compute: None,
            inputs: None,
            outputs: None,
            code: None,
            environment: None,
            command: None,
            environment_variables: None,
            resources: None,
            limits: None,
            distribution: None,
            identity: None,
            services: None,
            queue_settings: None,
            extra: Mapping::new(),
        }
    }
}

yaml_struct! {
    /// A parallel node: a parallel component, or its settings and `task` given right in the node.
    ///
    /// ```
    /// use pipeline_core::{Job, MiniBatchSize, PipelineNode, job_from_str};
    ///
    /// let job = job_from_str("
    /// type: pipeline
    /// jobs:
    ///   score:
    ///     type: parallel
    ///     component: azureml:batch_score:2
    ///     mini_batch_size: '${{parent.inputs.batch}}'
    ///     max_concurrency_per_instance: 4
    /// ").unwrap();
    /// let Job::Pipeline(p) = &job else { panic!("not a pipeline") };
    /// let PipelineNode::Parallel(score) = &p.jobs.as_ref().unwrap()["score"] else { panic!() };
    /// assert!(matches!(score.mini_batch_size, Some(MiniBatchSize::Binding(_))));
    /// assert_eq!(score.max_concurrency_per_instance, Some(4));
    /// ```
    pub struct ParallelNode tag = "parallel" {
        "component" => component: Option<ComponentRef>,
        "display_name" => display_name: Option<String>,
        "description" => description: Option<String>,
        "tags" => tags: Option<IndexMap<String, String>>,
        "compute" => compute: Option<Template>,
        "inputs" => inputs: Option<IndexMap<String, JobInput>>,
        "outputs" => outputs: Option<IndexMap<String, JobOutput>>,
        "resources" => resources: Option<Resources>,
        "mini_batch_size" => mini_batch_size: Option<MiniBatchSize>,
        "partition_keys" => partition_keys: Option<Node>,
        "input_data" => input_data: Option<Template>,
        "max_concurrency_per_instance" => max_concurrency_per_instance: Option<u64>,
        "error_threshold" => error_threshold: Option<i64>,
        "mini_batch_error_threshold" => mini_batch_error_threshold: Option<i64>,
        "retry_settings" => retry_settings: Option<RetrySettings>,
        "logging_level" => logging_level: Option<LoggingLevel>,
        "task" => task: Option<Box<RunFunction>>,
        "environment_variables" => environment_variables: Option<IndexMap<String, Literal>>,
        "identity" => identity: Option<Identity>,
    }
}

yaml_struct! {
    /// A node that runs a pipeline component (a nested pipeline).
    ///
    /// ```
    /// use pipeline_core::{ComponentRef, Job, PipelineNode, job_from_str};
    ///
    /// let job = job_from_str("
    /// type: pipeline
    /// jobs:
    ///   train_and_eval:
    ///     type: pipeline
    ///     component: azureml:train_and_eval:1
    ///     settings: {default_compute: azureml:gpu-cluster}
    /// ").unwrap();
    /// let Job::Pipeline(p) = &job else { panic!("not a pipeline") };
    /// let PipelineNode::Pipeline(nested) = &p.jobs.as_ref().unwrap()["train_and_eval"] else {
    ///     panic!("not a pipeline node")
    /// };
    /// assert!(matches!(nested.component, ComponentRef::Asset(_)));
    /// let settings = nested.settings.as_ref().unwrap();
    /// assert_eq!(settings.default_compute.as_deref(), Some("azureml:gpu-cluster"));
    /// ```
    pub struct PipelineComponentNode tag = "pipeline" {
        "component" => component: ComponentRef,
        "display_name" => display_name: Option<String>,
        "description" => description: Option<String>,
        "tags" => tags: Option<IndexMap<String, String>>,
        "compute" => compute: Option<Template>,
        "inputs" => inputs: Option<IndexMap<String, JobInput>>,
        "outputs" => outputs: Option<IndexMap<String, JobOutput>>,
        "settings" => settings: Option<PipelineSettings>,
    }
}

impl PipelineComponentNode {
    /// A node running this pipeline component.
    ///
    /// ```
    /// use pipeline_core::{AssetRef, ComponentRef, PipelineComponentNode, PipelineNode};
    ///
    /// let nested = ComponentRef::Asset(AssetRef::parse("azureml:train_and_eval:1").unwrap());
    /// let node = PipelineNode::Pipeline(Box::new(PipelineComponentNode::new(nested)));
    /// assert_eq!(node.kind(), "pipeline");
    /// assert!(node.component().is_some());
    /// ```
    pub fn new(component: ComponentRef) -> Self {
        PipelineComponentNode {
            component,
            display_name: None,
            description: None,
            tags: None,
            compute: None,
            inputs: None,
            outputs: None,
            settings: None,
            extra: Mapping::new(),
        }
    }
}

/// A node of a pipeline.
///
/// ```
/// use pipeline_core::{Job, PipelineNode, job_from_str};
///
/// let job = job_from_str("
/// type: pipeline
/// jobs:
///   prep: {component: azureml:prep:1}
///   tune: {type: sweep, trial: azureml:train:1}
/// ").unwrap();
/// let Job::Pipeline(p) = &job else { panic!("not a pipeline") };
/// let jobs = p.jobs.as_ref().unwrap();
/// assert!(matches!(jobs["prep"], PipelineNode::Command(_)));
/// assert!(matches!(&jobs["tune"], PipelineNode::Other(o) if o.kind == "sweep"));
/// ```
// Boxed: a typed node is over a kilobyte, and the `jobs` of a 100,000-node pipeline are moved as
// they are read and gathered; moving pointers instead took a tenth off loading one.
#[derive(Debug, Clone, PartialEq)]
pub enum PipelineNode {
    /// `type: command` (the default when `type` is left out).
    Command(Box<CommandNode>),
    /// `type: parallel`.
    Parallel(Box<ParallelNode>),
    /// `type: pipeline`.
    Pipeline(Box<PipelineComponentNode>),
    /// spark, sweep, automl, import, data_transfer, do_while, if_else, parallel_for, …
    Other(Opaque),
}

impl PipelineNode {
    /// The `type` as written in YAML.
    ///
    /// ```
    /// use pipeline_core::{AssetRef, CommandNode, ComponentRef, PipelineNode};
    ///
    /// let prep = ComponentRef::Asset(AssetRef::parse("azureml:prep:1").unwrap());
    /// let node: PipelineNode = CommandNode::new(prep).into();
    /// assert_eq!(node.kind(), "command");
    /// ```
    pub fn kind(&self) -> &str {
        match self {
            PipelineNode::Command(_) => "command",
            PipelineNode::Parallel(_) => "parallel",
            PipelineNode::Pipeline(_) => "pipeline",
            PipelineNode::Other(n) => &n.kind,
        }
    }

    /// The component, for typed nodes that name one.
    ///
    /// ```
    /// use pipeline_core::{AssetRef, CommandNode, ComponentRef, PipelineNode};
    ///
    /// let prep = ComponentRef::Asset(AssetRef::parse("azureml:prep:1").unwrap());
    /// let node: PipelineNode = CommandNode::new(prep.clone()).into();
    /// assert_eq!(node.component(), Some(&prep));
    /// ```
    pub fn component(&self) -> Option<&ComponentRef> {
        match self {
            PipelineNode::Command(n) => n.component.as_ref(),
            PipelineNode::Parallel(n) => n.component.as_ref(),
            PipelineNode::Pipeline(n) => Some(&n.component),
            PipelineNode::Other(_) => None,
        }
    }

    /// The node's inputs (none for kinds kept verbatim: see [`PipelineNode::bindings`]).
    ///
    /// ```
    /// use pipeline_core::{AssetRef, Binding, CommandNode, ComponentRef, JobInput, PipelineNode};
    ///
    /// let train = ComponentRef::Asset(AssetRef::parse("azureml:train:1").unwrap());
    /// let node: PipelineNode = CommandNode::new(train)
    ///     .input("data", Binding::job_output("prep", "train_data"))
    ///     .into();
    /// let inputs = node.inputs().unwrap();
    /// assert_eq!(inputs["data"], JobInput::Binding(Binding::job_output("prep", "train_data")));
    /// ```
    pub fn inputs(&self) -> Option<&IndexMap<String, JobInput>> {
        match self {
            PipelineNode::Command(n) => n.inputs.as_ref(),
            PipelineNode::Parallel(n) => n.inputs.as_ref(),
            PipelineNode::Pipeline(n) => n.inputs.as_ref(),
            PipelineNode::Other(_) => None,
        }
    }

    /// The node's outputs (none for kinds kept verbatim).
    ///
    /// ```
    /// use pipeline_core::{AssetRef, Binding, CommandNode, ComponentRef, JobOutput, PipelineNode};
    ///
    /// let train = ComponentRef::Asset(AssetRef::parse("azureml:train:1").unwrap());
    /// let node: PipelineNode = CommandNode::new(train)
    ///     .output("model", JobOutput::Binding(Binding::ParentOutput("trained_model".into())))
    ///     .into();
    /// let model = &node.outputs().unwrap()["model"];
    /// assert_eq!(model.binding(), Some(&Binding::ParentOutput("trained_model".into())));
    /// ```
    pub fn outputs(&self) -> Option<&IndexMap<String, JobOutput>> {
        match self {
            PipelineNode::Command(n) => n.outputs.as_ref(),
            PipelineNode::Parallel(n) => n.outputs.as_ref(),
            PipelineNode::Pipeline(n) => n.outputs.as_ref(),
            PipelineNode::Other(_) => None,
        }
    }

    /// The component, to change it (typed nodes).
    ///
    /// ```
    /// use pipeline_core::{AssetRef, CommandNode, ComponentRef, PipelineNode};
    ///
    /// let mut node: PipelineNode =
    ///     CommandNode::new(ComponentRef::Asset(AssetRef::parse("azureml:a:1").unwrap())).into();
    /// let b = ComponentRef::Asset(AssetRef::parse("azureml:b:2").unwrap());
    /// *node.component_mut().unwrap() = b.clone();
    /// assert_eq!(node.component(), Some(&b));
    /// ```
    pub fn component_mut(&mut self) -> Option<&mut ComponentRef> {
        match self {
            PipelineNode::Command(n) => n.component.as_mut(),
            PipelineNode::Parallel(n) => n.component.as_mut(),
            PipelineNode::Pipeline(n) => Some(&mut n.component),
            PipelineNode::Other(_) => None,
        }
    }

    /// The node's inputs, to add to (created empty when there are none); `None` for kinds kept
    /// verbatim.
    ///
    /// ```
    /// use pipeline_core::{AssetRef, CommandNode, ComponentRef, JobInput, Literal, PipelineNode};
    ///
    /// let mut node: PipelineNode =
    ///     CommandNode::new(ComponentRef::Asset(AssetRef::parse("azureml:a:1").unwrap())).into();
    /// node.inputs_mut().unwrap().insert("lr".into(), JobInput::Literal(Literal::Float(0.1)));
    /// assert_eq!(node.inputs().unwrap().len(), 1);
    /// ```
    pub fn inputs_mut(&mut self) -> Option<&mut IndexMap<String, JobInput>> {
        let inputs = match self {
            PipelineNode::Command(n) => &mut n.inputs,
            PipelineNode::Parallel(n) => &mut n.inputs,
            PipelineNode::Pipeline(n) => &mut n.inputs,
            PipelineNode::Other(_) => return None,
        };
        Some(inputs.get_or_insert_with(IndexMap::new))
    }

    /// The node's outputs, to add to (created empty when there are none); `None` for kinds kept
    /// verbatim.
    ///
    /// ```
    /// use pipeline_core::{AssetRef, Binding, CommandNode, ComponentRef, JobOutput, PipelineNode};
    ///
    /// let mut node: PipelineNode =
    ///     CommandNode::new(ComponentRef::Asset(AssetRef::parse("azureml:a:1").unwrap())).into();
    /// let out = JobOutput::Binding(Binding::ParentOutput("m".into()));
    /// node.outputs_mut().unwrap().insert("model".into(), out);
    /// assert_eq!(node.outputs().unwrap().len(), 1);
    /// ```
    pub fn outputs_mut(&mut self) -> Option<&mut IndexMap<String, JobOutput>> {
        let outputs = match self {
            PipelineNode::Command(n) => &mut n.outputs,
            PipelineNode::Parallel(n) => &mut n.outputs,
            PipelineNode::Pipeline(n) => &mut n.outputs,
            PipelineNode::Other(_) => return None,
        };
        Some(outputs.get_or_insert_with(IndexMap::new))
    }

    /// The compute a typed node names for itself (kinds kept verbatim: `None`).
    ///
    /// ```
    /// use pipeline_core::{AssetRef, CommandNode, ComponentRef, PipelineNode, Template};
    ///
    /// let mut node: PipelineNode =
    ///     CommandNode::new(ComponentRef::Asset(AssetRef::parse("azureml:a:1").unwrap())).into();
    /// assert!(node.compute().is_none());
    /// node.set_compute(Template::parse("azureml:gpu"));
    /// assert_eq!(node.compute().unwrap().to_string(), "azureml:gpu");
    /// ```
    pub fn compute(&self) -> Option<&Template> {
        match self {
            PipelineNode::Command(n) => n.compute.as_ref(),
            PipelineNode::Parallel(n) => n.compute.as_ref(),
            PipelineNode::Pipeline(n) => n.compute.as_ref(),
            PipelineNode::Other(_) => None,
        }
    }

    /// Sets a typed node's compute (a kind kept verbatim is left as it is).
    ///
    /// ```
    /// use pipeline_core::{AssetRef, CommandNode, ComponentRef, PipelineNode, Template};
    ///
    /// let mut node: PipelineNode =
    ///     CommandNode::new(ComponentRef::Asset(AssetRef::parse("azureml:a:1").unwrap())).into();
    /// node.set_compute(Template::parse("serverless"));
    /// assert!(node.compute().is_some());
    /// ```
    pub fn set_compute(&mut self, compute: Template) {
        let slot = match self {
            PipelineNode::Command(n) => &mut n.compute,
            PipelineNode::Parallel(n) => &mut n.compute,
            PipelineNode::Pipeline(n) => &mut n.compute,
            PipelineNode::Other(_) => return,
        };
        *slot = Some(compute);
    }

    /// Sets a typed node's display name (a kind kept verbatim is left as it is).
    ///
    /// ```
    /// use pipeline_core::{AssetRef, CommandNode, ComponentRef, PipelineNode};
    ///
    /// let mut node: PipelineNode =
    ///     CommandNode::new(ComponentRef::Asset(AssetRef::parse("azureml:a:1").unwrap())).into();
    /// node.set_display_name("Train");
    /// let PipelineNode::Command(n) = &node else { unreachable!() };
    /// assert_eq!(n.display_name.as_deref(), Some("Train"));
    /// ```
    pub fn set_display_name(&mut self, name: &str) {
        let slot = match self {
            PipelineNode::Command(n) => &mut n.display_name,
            PipelineNode::Parallel(n) => &mut n.display_name,
            PipelineNode::Pipeline(n) => &mut n.display_name,
            PipelineNode::Other(_) => return,
        };
        *slot = Some(name.to_owned());
    }

    /// The environment variables of a node that runs a process itself (command, parallel), to add
    /// to; `None` for the others.
    ///
    /// ```
    /// use pipeline_core::{AssetRef, CommandNode, ComponentRef, Literal, PipelineNode};
    ///
    /// let mut node: PipelineNode =
    ///     CommandNode::new(ComponentRef::Asset(AssetRef::parse("azureml:a:1").unwrap())).into();
    /// node.environment_variables_mut().unwrap().insert("X".into(), Literal::Str("1".into()));
    /// ```
    pub fn environment_variables_mut(&mut self) -> Option<&mut IndexMap<String, Literal>> {
        let vars = match self {
            PipelineNode::Command(n) => &mut n.environment_variables,
            PipelineNode::Parallel(n) => &mut n.environment_variables,
            PipelineNode::Pipeline(_) | PipelineNode::Other(_) => return None,
        };
        Some(vars.get_or_insert_with(IndexMap::new))
    }

    /// Whether the node carries its own command or parallel task instead of naming a component.
    ///
    /// ```
    /// use pipeline_core::{Job, job_from_str};
    ///
    /// let job = job_from_str("type: pipeline\njobs:\n  a: {command: echo hi}\n  b: {component: azureml:b:1}\n").unwrap();
    /// let Job::Pipeline(p) = &job else { panic!() };
    /// let jobs = p.jobs.as_ref().unwrap();
    /// assert!(jobs["a"].is_inline() && !jobs["b"].is_inline());
    /// ```
    pub fn is_inline(&self) -> bool {
        match self {
            PipelineNode::Command(n) => n.component.is_none() && n.command.is_some(),
            PipelineNode::Parallel(n) => n.component.is_none() && n.task.is_some(),
            PipelineNode::Pipeline(_) | PipelineNode::Other(_) => false,
        }
    }

    /// Every `${{…}}` binding of the node (typed or verbatim): what ties it into the graph.
    ///
    /// ```
    /// use pipeline_core::{Binding, Job, job_from_str};
    ///
    /// let job = job_from_str("
    /// type: pipeline
    /// jobs:
    ///   tune:
    ///     type: sweep
    ///     trial: azureml:train:1
    ///     inputs: {data: '${{parent.jobs.prep.outputs.train}}'}
    /// ").unwrap();
    /// let Job::Pipeline(p) = &job else { panic!("not a pipeline") };
    /// let tune = &p.jobs.as_ref().unwrap()["tune"];
    /// assert!(tune.inputs().is_none());
    /// assert_eq!(tune.bindings(), [Binding::job_output("prep", "train")]);
    /// ```
    pub fn bindings(&self) -> Vec<Binding> {
        crate::graph::node_bindings(self)
            .into_iter()
            .map(|(_, b)| b)
            .collect()
    }
}

/// The kind of a node written without `type`. The SDK tries every node schema on such a node and
/// takes the first that loads it, so a node with a sweep's `trial` is a sweep, and a node naming
/// a component file runs that component's type; anything else is a command, the SDK's default.
fn untyped_kind(node: &Node, cx: &mut Cx<'_>) -> String {
    let Some(map) = node.as_map() else {
        return "command".to_owned();
    };
    if map.get("type").is_some() {
        return "command".to_owned();
    }
    if map.get("trial").is_some() {
        return "sweep".to_owned();
    }
    if let Some(path) = map.get("component").and_then(Node::as_str)
        && crate::model::AssetRef::parse(path).is_none()
    {
        let path = path.strip_prefix("file:").unwrap_or(path);
        // A file that loads is kept in the load's cache, and the node takes it from there; the
        // problems of one that does not are the node's own read to report, once.
        let reported = cx.loader.diagnostics.len();
        let read = cx.at("component", |cx| {
            crate::load::component_file(cx, path, map.get("component").unwrap_or(node))
        });
        cx.loader.diagnostics.truncate(reported);
        if let Some(Some(component)) = read {
            return component.kind().to_owned();
        }
    }
    "command".to_owned()
}

impl FromNode for PipelineNode {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let default = untyped_kind(node, cx);
        let (map, kind) = read_kind_in(
            node,
            cx,
            "a pipeline node",
            Some(&default),
            crate::schema::kinds::node_types(),
        )?;
        match kind {
            "command" => {
                CommandNode::from_node(node, cx).map(|n| PipelineNode::Command(Box::new(n)))
            }
            "parallel" => {
                ParallelNode::from_node(node, cx).map(|n| PipelineNode::Parallel(Box::new(n)))
            }
            "pipeline" => PipelineComponentNode::from_node(node, cx)
                .map(|n| PipelineNode::Pipeline(Box::new(n))),
            _ => Some(PipelineNode::Other(Opaque::with_refs(kind, map, cx))),
        }
    }
}

impl ToNode for PipelineNode {
    fn to_node(&self) -> Node {
        match self {
            PipelineNode::Command(n) => n.to_node(),
            PipelineNode::Parallel(n) => n.to_node(),
            PipelineNode::Pipeline(n) => n.to_node(),
            PipelineNode::Other(n) => Node::map(n.body.clone()),
        }
    }
}
