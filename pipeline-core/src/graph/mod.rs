//! The DAG of a pipeline: its inputs, its nodes and its outputs, joined by the bindings between
//! them. Built from the typed model and from the bindings inside nodes kept verbatim alike.
//!
//! ```
//! use pipeline_core::graph::PipelineGraph;
//! use pipeline_core::{Job, job_from_str};
//!
//! let Job::Pipeline(mut p) = job_from_str("
//! type: pipeline
//! inputs: {raw: {type: uri_folder, path: azureml:taxi_raw:1}}
//! jobs:
//!   train: {component: azureml:taxi_train:3, inputs: {data: '${{parent.jobs.prep.outputs.train}}'}}
//!   prep: {component: azureml:taxi_prep@latest, inputs: {raw: '${{parent.inputs.raw}}'}}
//! ").unwrap() else { unreachable!() };
//! # let (inputs, outputs) = (p.inputs.take().unwrap_or_default(), p.outputs.take().unwrap_or_default());
//! let (graph, dangling) = PipelineGraph::build(&inputs, &outputs, p.jobs.as_ref().unwrap());
//! assert!(dangling.is_empty());
//! assert_eq!(graph.topological_order().unwrap(), ["prep", "train"]);
//! ```

mod render;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use indexmap::IndexMap;
use petgraph::algo::{kosaraju_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::model::{Binding, JobInput, JobOutput, Literal, MiniBatchSize, PipelineNode, Template};
use crate::yaml::{Node, Value};

/// A vertex of the graph.
///
/// ```
/// use pipeline_core::graph::Vertex;
///
/// // The YAML path of each: `inputs.raw`, `jobs.train`, `outputs.model`.
/// let vertices = [Vertex::Input("raw".into()), Vertex::Job("train".into()), Vertex::Output("model".into())];
/// assert_eq!(vertices.map(|v| v.name().to_owned()), ["raw", "train", "model"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Vertex {
    /// An input of the pipeline (`inputs.<name>`).
    Input(String),
    /// A node (`jobs.<name>`).
    Job(String),
    /// An output of the pipeline (`outputs.<name>`).
    Output(String),
}

impl Vertex {
    /// The name, without saying which kind it is.
    ///
    /// ```
    /// use pipeline_core::graph::Vertex;
    ///
    /// assert_eq!(Vertex::Job("train".into()).name(), "train");
    /// assert_eq!(Vertex::Input("train".into()).name(), "train");
    /// ```
    pub fn name(&self) -> &str {
        match self {
            Vertex::Input(n) | Vertex::Job(n) | Vertex::Output(n) => n,
        }
    }
}

/// An edge: data or a value flowing from one port to another.
///
/// ```
/// # use pipeline_core::graph::PipelineGraph;
/// # use pipeline_core::{Job, job_from_str};
/// # let Job::Pipeline(mut p) = job_from_str("
/// # type: pipeline
/// # inputs: {raw: {type: uri_folder, path: azureml:taxi_raw:1}}
/// # outputs: {model: {type: mlflow_model}}
/// # jobs:
/// #   prep: {component: azureml:taxi_prep@latest, inputs: {raw: '${{parent.inputs.raw}}'}}
/// #   train:
/// #     component: azureml:taxi_train:3
/// #     compute: azureml:gpu-cluster
/// #     inputs: {data: '${{parent.jobs.prep.outputs.train}}', lr: 0.01}
/// #     outputs: {model: '${{parent.outputs.model}}'}
/// # ").unwrap() else { unreachable!() };
/// # let (inputs, outputs) = (p.inputs.take().unwrap_or_default(), p.outputs.take().unwrap_or_default());
/// # let jobs = p.jobs.take().unwrap_or_default();
/// # let (graph, _) = PipelineGraph::build(&inputs, &outputs, &jobs);
/// use pipeline_core::graph::{Edge, Vertex};
///
/// let prep = graph.find(&Vertex::Job("prep".into())).unwrap();
/// let train = graph.find(&Vertex::Job("train".into())).unwrap();
/// let edge = graph.graph.find_edge(prep, train).unwrap();
/// // `data: ${{parent.jobs.prep.outputs.train}}` in `train`.
/// assert_eq!(graph.graph[edge], Edge { from_port: "train".into(), to_port: "data".into() });
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edge {
    /// The port it leaves (an output of a node; the input's own name for a pipeline input).
    pub from_port: String,
    /// The port it reaches (an input of a node, or where in the node the binding stands).
    pub to_port: String,
}

/// A binding that names something the pipeline does not have.
///
/// ```
/// use pipeline_core::graph::{Dangling, PipelineGraph};
/// use pipeline_core::{Binding, Job, job_from_str};
///
/// let Job::Pipeline(mut p) = job_from_str("type: pipeline
/// jobs: {train: {component: azureml:taxi_train:3, inputs: {data: '${{parent.jobs.perp.outputs.train}}'}}}
/// ").unwrap() else { unreachable!() };
/// # let (inputs, outputs) = (p.inputs.take().unwrap_or_default(), p.outputs.take().unwrap_or_default());
/// let (_, dangling) = PipelineGraph::build(&inputs, &outputs, p.jobs.as_ref().unwrap());
/// assert_eq!(dangling, [Dangling {
///     job: "train".into(),
///     at: vec!["inputs".into(), "data".into()],
///     binding: Binding::JobOutput { job: "perp".into(), port: "train".into() },
/// }]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dangling {
    /// The node holding the binding.
    pub job: String,
    /// Where in the node it stands: `["inputs", "data"]`.
    pub at: Vec<String>,
    /// The binding.
    pub binding: Binding,
}

/// A pipeline's graph.
///
/// ```
/// # use pipeline_core::graph::PipelineGraph;
/// # use pipeline_core::{Job, job_from_str};
/// # let Job::Pipeline(mut p) = job_from_str("
/// # type: pipeline
/// # inputs: {raw: {type: uri_folder, path: azureml:taxi_raw:1}}
/// # outputs: {model: {type: mlflow_model}}
/// # jobs:
/// #   prep: {component: azureml:taxi_prep@latest, inputs: {raw: '${{parent.inputs.raw}}'}}
/// #   train:
/// #     component: azureml:taxi_train:3
/// #     compute: azureml:gpu-cluster
/// #     inputs: {data: '${{parent.jobs.prep.outputs.train}}', lr: 0.01}
/// #     outputs: {model: '${{parent.outputs.model}}'}
/// # ").unwrap() else { unreachable!() };
/// # let (inputs, outputs) = (p.inputs.take().unwrap_or_default(), p.outputs.take().unwrap_or_default());
/// # let jobs = p.jobs.take().unwrap_or_default();
/// # let (graph, _) = PipelineGraph::build(&inputs, &outputs, &jobs);
/// // A pipeline with the input `raw`, the nodes `prep` and `train`, the output `model`.
/// assert_eq!(graph.graph.node_count(), 4);
/// // raw → prep, prep → train, train → model.
/// assert_eq!(graph.graph.edge_count(), 3);
/// assert_eq!(graph.topological_order().unwrap(), ["prep", "train"]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct PipelineGraph {
    /// The graph itself.
    pub graph: DiGraph<Vertex, Edge>,
    /// Vertices by name, made on the first [`PipelineGraph::find`]: validation never asks.
    index: OnceLock<HashMap<Vertex, NodeIndex>>,
}

/// Every binding in a node with the path where it stands, for typed and verbatim nodes alike.
///
/// Typed nodes are read where their schema lets bindings stand (compute, inputs, outputs,
/// environment variables, mini-batch size, and any key kept verbatim); verbatim nodes everywhere.
/// An inline component's own `${{inputs.x}}` are not the pipeline's bindings.
///
/// ```
/// # use pipeline_core::graph::PipelineGraph;
/// # use pipeline_core::{Job, job_from_str};
/// # let Job::Pipeline(mut p) = job_from_str("
/// # type: pipeline
/// # inputs: {raw: {type: uri_folder, path: azureml:taxi_raw:1}}
/// # outputs: {model: {type: mlflow_model}}
/// # jobs:
/// #   prep: {component: azureml:taxi_prep@latest, inputs: {raw: '${{parent.inputs.raw}}'}}
/// #   train:
/// #     component: azureml:taxi_train:3
/// #     compute: azureml:gpu-cluster
/// #     inputs: {data: '${{parent.jobs.prep.outputs.train}}', lr: 0.01}
/// #     outputs: {model: '${{parent.outputs.model}}'}
/// # ").unwrap() else { unreachable!() };
/// # let (inputs, outputs) = (p.inputs.take().unwrap_or_default(), p.outputs.take().unwrap_or_default());
/// # let jobs = p.jobs.take().unwrap_or_default();
/// # let (graph, _) = PipelineGraph::build(&inputs, &outputs, &jobs);
/// use pipeline_core::graph::node_bindings;
/// use pipeline_core::Binding;
///
/// let bindings = node_bindings(&jobs["train"]);
/// assert_eq!(bindings.len(), 2);
/// assert_eq!(bindings[0].0, ["inputs", "data"]);
/// assert_eq!(bindings[0].1, Binding::JobOutput { job: "prep".into(), port: "train".into() });
/// assert_eq!(bindings[1].1.to_string(), "${{parent.outputs.model}}");
/// ```
pub fn node_bindings(node: &PipelineNode) -> Vec<(Vec<String>, Binding)> {
    let mut out = Vec::new();
    for_each_binding(node, &mut |path, b| {
        out.push((path.iter().map(|p| p.to_string()).collect(), b.clone()));
    });
    out
}

/// Calls `f` with what [`node_bindings`] lists, borrowing instead of copying: validation walks
/// every node of a pipeline twice, and a huge one has 100,000.
///
/// ```
/// # use pipeline_core::graph::PipelineGraph;
/// # use pipeline_core::{Job, job_from_str};
/// # let Job::Pipeline(mut p) = job_from_str("
/// # type: pipeline
/// # inputs: {raw: {type: uri_folder, path: azureml:taxi_raw:1}}
/// # outputs: {model: {type: mlflow_model}}
/// # jobs:
/// #   prep: {component: azureml:taxi_prep@latest, inputs: {raw: '${{parent.inputs.raw}}'}}
/// #   train:
/// #     component: azureml:taxi_train:3
/// #     compute: azureml:gpu-cluster
/// #     inputs: {data: '${{parent.jobs.prep.outputs.train}}', lr: 0.01}
/// #     outputs: {model: '${{parent.outputs.model}}'}
/// # ").unwrap() else { unreachable!() };
/// # let (inputs, outputs) = (p.inputs.take().unwrap_or_default(), p.outputs.take().unwrap_or_default());
/// # let jobs = p.jobs.take().unwrap_or_default();
/// # let (graph, _) = PipelineGraph::build(&inputs, &outputs, &jobs);
/// use pipeline_core::graph::for_each_binding;
///
/// let mut seen = Vec::new();
/// for_each_binding(&jobs["train"], &mut |path, binding| {
///     seen.push(format!("{}: {binding}", path.join(".")));
/// });
/// assert_eq!(seen, [
///     "inputs.data: ${{parent.jobs.prep.outputs.train}}",
///     "outputs.model: ${{parent.outputs.model}}",
/// ]);
/// ```
pub fn for_each_binding(node: &PipelineNode, f: &mut dyn FnMut(&[Cow<'_, str>], &Binding)) {
    let template =
        |path: &[Cow<'_, str>], t: &Template, f: &mut dyn FnMut(&[Cow<'_, str>], &Binding)| {
            t.each_binding(&mut |b, _| f(path, b));
        };
    let ports = |inputs: Option<&IndexMap<String, JobInput>>,
                 outputs: Option<&IndexMap<String, JobOutput>>,
                 f: &mut dyn FnMut(&[Cow<'_, str>], &Binding)| {
        for (name, input) in inputs.into_iter().flatten() {
            let path = [Cow::Borrowed("inputs"), Cow::Borrowed(name.as_str())];
            input.each_binding(&mut |b| f(&path, b));
        }
        for (name, output) in outputs.into_iter().flatten() {
            if let Some(b) = output.binding() {
                f(&[Cow::Borrowed("outputs"), Cow::Borrowed(name.as_str())], b);
            }
        }
    };
    let env = |vars: Option<&IndexMap<String, Literal>>,
               f: &mut dyn FnMut(&[Cow<'_, str>], &Binding)| {
        for (name, value) in vars.into_iter().flatten() {
            if let Literal::Str(s) = value
                && s.contains("${{")
            {
                let path = [
                    Cow::Borrowed("environment_variables"),
                    Cow::Borrowed(name.as_str()),
                ];
                template(&path, &Template::parse(s), f);
            }
        }
    };
    let compute = |c: &Option<Template>, f: &mut dyn FnMut(&[Cow<'_, str>], &Binding)| {
        if let Some(c) = c {
            template(&[Cow::Borrowed("compute")], c, f);
        }
    };
    let extra = match node {
        PipelineNode::Command(n) => {
            compute(&n.compute, f);
            ports(n.inputs.as_ref(), n.outputs.as_ref(), f);
            env(n.environment_variables.as_ref(), f);
            &n.extra
        }
        PipelineNode::Parallel(n) => {
            compute(&n.compute, f);
            if let Some(MiniBatchSize::Binding(b)) = &n.mini_batch_size {
                f(&[Cow::Borrowed("mini_batch_size")], b);
            }
            ports(n.inputs.as_ref(), n.outputs.as_ref(), f);
            env(n.environment_variables.as_ref(), f);
            &n.extra
        }
        PipelineNode::Pipeline(n) => {
            compute(&n.compute, f);
            ports(n.inputs.as_ref(), n.outputs.as_ref(), f);
            &n.extra
        }
        PipelineNode::Other(n) => &n.body,
    };
    let mut path = Vec::new();
    for (k, v) in extra.iter() {
        path.push(key(k));
        walk(v, &mut path, f);
        path.pop();
    }
}

/// A mapping key as a path step.
fn key(k: &Node) -> Cow<'_, str> {
    match k.as_str() {
        Some(k) => Cow::Borrowed(k),
        None => Cow::Owned(k.to_string()),
    }
}

fn walk<'n>(
    node: &'n Node,
    path: &mut Vec<Cow<'n, str>>,
    f: &mut dyn FnMut(&[Cow<'_, str>], &Binding),
) {
    match &node.value {
        Value::Str(s) if s.contains("${{") => {
            Template::parse(s).each_binding(&mut |b, _| f(path, b));
        }
        Value::Map(m) => {
            for (k, v) in m.iter() {
                path.push(key(k));
                walk(v, path, f);
                path.pop();
            }
        }
        Value::Seq(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Cow::Owned(format!("[{i}]")));
                walk(v, path, f);
                path.pop();
            }
        }
        _ => {}
    }
}

impl PipelineGraph {
    /// Builds the graph of a pipeline from its inputs, outputs and nodes. Bindings that name an
    /// input, output, node or port that does not exist are returned, not added.
    ///
    /// ```
    /// use pipeline_core::graph::PipelineGraph;
    /// use pipeline_core::{Job, job_from_str};
    ///
    /// let Job::Pipeline(mut p) = job_from_str("
    /// type: pipeline
    /// inputs: {raw: {type: uri_folder, path: azureml:taxi_raw:1}}
    /// jobs:
    ///   prep: {component: azureml:taxi_prep@latest, inputs: {raw: '${{parent.inputs.raw}}'}}
    ///   train: {component: azureml:taxi_train:3, inputs: {data: '${{parent.inputs.missing}}'}}
    /// ").unwrap() else { unreachable!() };
    /// # let (inputs, outputs) = (p.inputs.take().unwrap_or_default(), p.outputs.take().unwrap_or_default());
    /// let (graph, dangling) = PipelineGraph::build(&inputs, &outputs, p.jobs.as_ref().unwrap());
    /// assert_eq!(graph.graph.edge_count(), 1);
    /// assert_eq!(dangling[0].binding.to_string(), "${{parent.inputs.missing}}");
    /// ```
    pub fn build<I, O>(
        inputs: &IndexMap<String, I>,
        outputs: &IndexMap<String, O>,
        jobs: &IndexMap<String, PipelineNode>,
    ) -> (Self, Vec<Dangling>) {
        let mut graph =
            DiGraph::with_capacity(inputs.len() + jobs.len() + outputs.len(), jobs.len());
        // Vertices in this order, so a name's place in its map gives its index.
        for name in inputs.keys() {
            graph.add_node(Vertex::Input(name.clone()));
        }
        for name in jobs.keys() {
            graph.add_node(Vertex::Job(name.clone()));
        }
        for name in outputs.keys() {
            graph.add_node(Vertex::Output(name.clone()));
        }
        let input = |name: &str| inputs.get_index_of(name).map(NodeIndex::new);
        let job = |name: &str| {
            jobs.get_index_of(name)
                .map(|i| NodeIndex::new(inputs.len() + i))
        };
        let output = |name: &str| {
            outputs
                .get_index_of(name)
                .map(|i| NodeIndex::new(inputs.len() + jobs.len() + i))
        };
        let mut dangling = Vec::new();
        for (i, (name, node)) in jobs.iter().enumerate() {
            let me = NodeIndex::new(inputs.len() + i);
            for_each_binding(node, &mut |at, binding| {
                let edge = match binding {
                    // `group.sub` binds to the group input `group`.
                    Binding::ParentInput(input_name) => {
                        let root = input_name.split('.').next().unwrap_or(input_name);
                        input(root).map(|from| (from, me, input_name.clone(), port_of(at)))
                    }
                    Binding::JobOutput { job: from, port }
                    | Binding::JobInput { job: from, port } => {
                        job(from).map(|from| (from, me, port.clone(), port_of(at)))
                    }
                    Binding::ParentOutput(output_name) => {
                        output(output_name).map(|out| (me, out, port_of(at), output_name.clone()))
                    }
                    // `${{inputs.x}}`, `${{name}}`, search spaces: not edges of this graph.
                    _ => return,
                };
                match edge {
                    Some((from, to, from_port, to_port)) => {
                        graph.add_edge(from, to, Edge { from_port, to_port });
                    }
                    None => dangling.push(Dangling {
                        job: name.clone(),
                        at: at.iter().map(|p| p.to_string()).collect(),
                        binding: binding.clone(),
                    }),
                }
            });
        }
        let g = PipelineGraph {
            graph,
            index: OnceLock::new(),
        };
        (g, dangling)
    }

    /// The index of a vertex.
    ///
    /// ```
    /// # use pipeline_core::graph::PipelineGraph;
    /// # use pipeline_core::{Job, job_from_str};
    /// # let Job::Pipeline(mut p) = job_from_str("
    /// # type: pipeline
    /// # inputs: {raw: {type: uri_folder, path: azureml:taxi_raw:1}}
    /// # outputs: {model: {type: mlflow_model}}
    /// # jobs:
    /// #   prep: {component: azureml:taxi_prep@latest, inputs: {raw: '${{parent.inputs.raw}}'}}
    /// #   train:
    /// #     component: azureml:taxi_train:3
    /// #     compute: azureml:gpu-cluster
    /// #     inputs: {data: '${{parent.jobs.prep.outputs.train}}', lr: 0.01}
    /// #     outputs: {model: '${{parent.outputs.model}}'}
    /// # ").unwrap() else { unreachable!() };
    /// # let (inputs, outputs) = (p.inputs.take().unwrap_or_default(), p.outputs.take().unwrap_or_default());
    /// # let jobs = p.jobs.take().unwrap_or_default();
    /// # let (graph, _) = PipelineGraph::build(&inputs, &outputs, &jobs);
    /// use pipeline_core::graph::Vertex;
    ///
    /// let train = graph.find(&Vertex::Job("train".into())).unwrap();
    /// assert_eq!(graph.graph[train], Vertex::Job("train".into()));
    /// assert!(graph.find(&Vertex::Job("raw".into())).is_none()); // `raw` is an input
    /// ```
    pub fn find(&self, v: &Vertex) -> Option<NodeIndex> {
        let index = self.index.get_or_init(|| {
            self.graph
                .node_indices()
                .map(|i| (self.graph[i].clone(), i))
                .collect()
        });
        index.get(v).copied()
    }

    /// The nodes in an order where every node comes after those it depends on; a cycle, as the
    /// path that closes it (`["a", "b", "a"]`), when there is none.
    ///
    /// ```
    /// # use pipeline_core::graph::PipelineGraph;
    /// # use pipeline_core::{Job, job_from_str};
    /// # let Job::Pipeline(mut p) = job_from_str("
    /// # type: pipeline
    /// # inputs: {raw: {type: uri_folder, path: azureml:taxi_raw:1}}
    /// # outputs: {model: {type: mlflow_model}}
    /// # jobs:
    /// #   prep: {component: azureml:taxi_prep@latest, inputs: {raw: '${{parent.inputs.raw}}'}}
    /// #   train:
    /// #     component: azureml:taxi_train:3
    /// #     compute: azureml:gpu-cluster
    /// #     inputs: {data: '${{parent.jobs.prep.outputs.train}}', lr: 0.01}
    /// #     outputs: {model: '${{parent.outputs.model}}'}
    /// # ").unwrap() else { unreachable!() };
    /// # let (inputs, outputs) = (p.inputs.take().unwrap_or_default(), p.outputs.take().unwrap_or_default());
    /// # let jobs = p.jobs.take().unwrap_or_default();
    /// # let (graph, _) = PipelineGraph::build(&inputs, &outputs, &jobs);
    /// // prep → train
    /// assert_eq!(graph.topological_order().unwrap(), ["prep", "train"]);
    ///
    /// let Job::Pipeline(mut looped) = job_from_str("
    /// type: pipeline
    /// jobs:
    ///   a: {component: azureml:step:1, inputs: {x: '${{parent.jobs.b.outputs.y}}'}}
    ///   b: {component: azureml:step:1, inputs: {x: '${{parent.jobs.a.outputs.y}}'}}
    /// ").unwrap() else { unreachable!() };
    /// # let (inputs, outputs) = (looped.inputs.take().unwrap_or_default(), looped.outputs.take().unwrap_or_default());
    /// let (graph, _) = PipelineGraph::build(&inputs, &outputs, looped.jobs.as_ref().unwrap());
    /// assert_eq!(graph.topological_order().unwrap_err(), ["a", "b", "a"]);
    /// ```
    pub fn topological_order(&self) -> Result<Vec<String>, Vec<String>> {
        match toposort(&self.graph, None) {
            Ok(order) => Ok(order
                .into_iter()
                .filter_map(|i| match &self.graph[i] {
                    Vertex::Job(n) => Some(n.clone()),
                    _ => None,
                })
                .collect()),
            Err(_) => Err(self.cycles().into_iter().next().unwrap_or_default()),
        }
    }

    /// Every cycle among the nodes, one path per strongly connected group, each closed
    /// (`["a", "b", "a"]`), in node order.
    ///
    /// ```
    /// use pipeline_core::graph::PipelineGraph;
    /// use pipeline_core::{Job, job_from_str};
    ///
    /// let Job::Pipeline(mut p) = job_from_str("
    /// type: pipeline
    /// jobs:
    ///   a: {component: azureml:step:1, inputs: {x: '${{parent.jobs.b.outputs.y}}'}}
    ///   b: {component: azureml:step:1, inputs: {x: '${{parent.jobs.a.outputs.y}}'}}
    ///   c: {component: azureml:step:1, inputs: {x: '${{parent.jobs.c.outputs.y}}'}}
    /// ").unwrap() else { unreachable!() };
    /// # let (inputs, outputs) = (p.inputs.take().unwrap_or_default(), p.outputs.take().unwrap_or_default());
    /// let (graph, _) = PipelineGraph::build(&inputs, &outputs, p.jobs.as_ref().unwrap());
    /// assert_eq!(graph.cycles(), [vec!["a", "b", "a"], vec!["c", "c"]]);
    /// ```
    pub fn cycles(&self) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        // Most pipelines have none: the (iterative) topological sort says so cheaply.
        if toposort(&self.graph, None).is_ok() {
            return out;
        }
        // Kosaraju's search is iterative: a 100,000-node chain must not overflow the stack.
        for scc in kosaraju_scc(&self.graph) {
            let looped = scc.len() > 1 || self.graph.contains_edge(scc[0], scc[0]);
            if !looped {
                continue;
            }
            let start = *scc.iter().min().unwrap_or(&scc[0]);
            out.push(self.cycle_through(start, &scc));
        }
        out.sort();
        out
    }

    /// A shortest path from `start` back to itself inside one strongly connected group.
    fn cycle_through(&self, start: NodeIndex, scc: &[NodeIndex]) -> Vec<String> {
        let mut prev: HashMap<NodeIndex, NodeIndex> = HashMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut closing = None;
        'search: while let Some(at) = queue.pop_front() {
            let mut next: Vec<NodeIndex> = self
                .graph
                .edges(at)
                .map(|e| e.target())
                .filter(|t| scc.contains(t))
                .collect();
            next.sort();
            next.dedup();
            for t in next {
                if t == start {
                    closing = Some(at);
                    break 'search;
                }
                if let std::collections::hash_map::Entry::Vacant(e) = prev.entry(t) {
                    e.insert(at);
                    queue.push_back(t);
                }
            }
        }
        let mut path = vec![start];
        let mut at = closing.unwrap_or(start);
        let mut back = Vec::new();
        while at != start {
            back.push(at);
            at = prev[&at];
        }
        back.reverse();
        path.extend(back);
        path.push(start);
        path.into_iter()
            .map(|i| self.graph[i].name().to_owned())
            .collect()
    }
}

/// `["inputs", "data"]` → `data`; anything else → the dotted path.
fn port_of(at: &[Cow<'_, str>]) -> String {
    match at {
        [section, port, ..] if section == "inputs" || section == "outputs" => port.to_string(),
        _ => at.join("."),
    }
}

pub use render::{dot, mermaid};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Job, job_from_str};

    fn graph(yaml: &str) -> (PipelineGraph, Vec<Dangling>, IndexMap<String, PipelineNode>) {
        let Job::Pipeline(p) = job_from_str(yaml).unwrap() else {
            panic!()
        };
        let jobs = p.jobs.clone().unwrap();
        let inputs = p.inputs.clone().unwrap_or_default();
        let outputs = p.outputs.clone().unwrap_or_default();
        let (g, d) = PipelineGraph::build(&inputs, &outputs, &jobs);
        (g, d, jobs)
    }

    const DIAMOND: &str = "
type: pipeline
inputs: {raw: {type: uri_folder, path: azureml:raw:1}}
outputs: {report: {type: uri_folder}}
jobs:
  d: {command: x, inputs: {l: '${{parent.jobs.b.outputs.o}}', r: '${{parent.jobs.c.outputs.o}}'}, outputs: {o: '${{parent.outputs.report}}'}}
  b: {command: x, inputs: {i: '${{parent.jobs.a.outputs.o}}'}}
  c: {command: x, inputs: {i: '${{parent.jobs.a.outputs.o}}'}}
  a: {command: x, inputs: {i: '${{parent.inputs.raw}}'}}
";

    #[test]
    fn diamond_in_dependency_order_with_ports() {
        let (g, dangling, jobs) = graph(DIAMOND);
        assert!(dangling.is_empty());
        let order = g.topological_order().unwrap();
        let pos = |n: &str| order.iter().position(|x| x == n).unwrap();
        assert!(
            pos("a") < pos("b")
                && pos("a") < pos("c")
                && pos("b") < pos("d")
                && pos("c") < pos("d")
        );
        assert_eq!(g.graph.edge_count(), 6);
        let a = g.find(&Vertex::Job("a".into())).unwrap();
        let raw = g.find(&Vertex::Input("raw".into())).unwrap();
        let e = g.graph.find_edge(raw, a).unwrap();
        assert_eq!(
            g.graph[e],
            Edge {
                from_port: "raw".into(),
                to_port: "i".into()
            }
        );
        let m = mermaid(&g, &jobs);
        assert!(m.contains("job_d -->|\"o → report\"| out_report"), "{m}");
        assert!(dot(&g, &jobs).contains("job_a -> job_b [label=\"o → i\"];"));
    }

    #[test]
    fn cycles_are_paths_and_dangling_bindings_are_returned() {
        let (g, dangling, _) = graph(
            "type: pipeline\njobs:\n  a: {command: x, inputs: {i: '${{parent.jobs.c.outputs.o}}'}}\n  b: {command: x, inputs: {i: '${{parent.jobs.a.outputs.o}}'}}\n  c: {command: x, inputs: {i: '${{parent.jobs.b.outputs.o}}', j: '${{parent.jobs.zz.outputs.o}}', k: '${{parent.inputs.nope}}'}}\n  s: {command: x, inputs: {i: '${{parent.jobs.s.outputs.o}}'}}\n",
        );
        assert_eq!(g.cycles(), vec![vec!["a", "b", "c", "a"], vec!["s", "s"]]);
        assert_eq!(
            g.topological_order()
                .unwrap_err()
                .first()
                .map(String::as_str),
            Some("a")
        );
        let missing: Vec<String> = dangling
            .iter()
            .map(|d| format!("{}.{} {}", d.job, d.at.join("."), d.binding))
            .collect();
        assert_eq!(
            missing,
            [
                "c.inputs.j ${{parent.jobs.zz.outputs.o}}",
                "c.inputs.k ${{parent.inputs.nope}}"
            ]
        );
    }

    #[test]
    fn verbatim_nodes_take_part_through_their_bindings() {
        let (g, dangling, _) = graph(
            "type: pipeline\njobs:\n  a: {command: x}\n  sweep: {type: sweep, trial: {command: 'python t.py ${{inputs.d}}'}, inputs: {d: '${{parent.jobs.a.outputs.o}}'}}\n",
        );
        assert!(dangling.is_empty());
        assert_eq!(g.topological_order().unwrap(), ["a", "sweep"]);
    }
}
