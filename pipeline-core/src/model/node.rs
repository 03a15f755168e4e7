//! The nodes of a pipeline (`jobs.<name>`): command, parallel and pipeline nodes are typed; every
//! other kind (spark, sweep, automl, import, data_transfer, control flow) is kept verbatim and
//! still takes part in the graph through the bindings found in it.

use indexmap::IndexMap;

use crate::convert::{Cx, FromNode, ToNode, read_kind, yaml_struct};
use crate::model::{
    Binding, CodeRef, ComponentRef, Distribution, Environment, Identity, JobInput, JobOutput,
    JobService, Limits, Literal, LoggingLevel, MiniBatchSize, Opaque, PipelineSettings,
    QueueSettings, Resources, RetrySettings, RunFunction, Template,
};
use crate::yaml::{Mapping, Node};

yaml_struct! {
    /// A command node: a component (named or inline) with its inputs bound, or a command given
    /// right in the node.
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
    pub fn kind(&self) -> &str {
        match self {
            PipelineNode::Command(_) => "command",
            PipelineNode::Parallel(_) => "parallel",
            PipelineNode::Pipeline(_) => "pipeline",
            PipelineNode::Other(n) => &n.kind,
        }
    }

    /// The component, for typed nodes that name one.
    pub fn component(&self) -> Option<&ComponentRef> {
        match self {
            PipelineNode::Command(n) => n.component.as_ref(),
            PipelineNode::Parallel(n) => n.component.as_ref(),
            PipelineNode::Pipeline(n) => Some(&n.component),
            PipelineNode::Other(_) => None,
        }
    }

    /// The node's inputs (none for kinds kept verbatim: see [`PipelineNode::bindings`]).
    pub fn inputs(&self) -> Option<&IndexMap<String, JobInput>> {
        match self {
            PipelineNode::Command(n) => n.inputs.as_ref(),
            PipelineNode::Parallel(n) => n.inputs.as_ref(),
            PipelineNode::Pipeline(n) => n.inputs.as_ref(),
            PipelineNode::Other(_) => None,
        }
    }

    /// The node's outputs (none for kinds kept verbatim).
    pub fn outputs(&self) -> Option<&IndexMap<String, JobOutput>> {
        match self {
            PipelineNode::Command(n) => n.outputs.as_ref(),
            PipelineNode::Parallel(n) => n.outputs.as_ref(),
            PipelineNode::Pipeline(n) => n.outputs.as_ref(),
            PipelineNode::Other(_) => None,
        }
    }

    /// Every `${{…}}` binding of the node (typed or verbatim): what ties it into the graph.
    pub fn bindings(&self) -> Vec<Binding> {
        crate::graph::node_bindings(self)
            .into_iter()
            .map(|(_, b)| b)
            .collect()
    }
}

impl FromNode for PipelineNode {
    fn from_node(node: &Node, cx: &mut Cx<'_>) -> Option<Self> {
        let (map, kind) = read_kind(node, cx, "a pipeline node", Some("command"))?;
        match kind.as_str() {
            "command" => {
                CommandNode::from_node(node, cx).map(|n| PipelineNode::Command(Box::new(n)))
            }
            "parallel" => {
                ParallelNode::from_node(node, cx).map(|n| PipelineNode::Parallel(Box::new(n)))
            }
            "pipeline" => PipelineComponentNode::from_node(node, cx)
                .map(|n| PipelineNode::Pipeline(Box::new(n))),
            _ => Some(PipelineNode::Other(Opaque {
                kind,
                body: map.clone(),
            })),
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
