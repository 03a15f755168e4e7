//! The graph as Mermaid or Graphviz text: node names, component names, port labels.

use std::fmt::Write;

use indexmap::IndexMap;
use petgraph::visit::EdgeRef;

use super::{PipelineGraph, Vertex};
use crate::model::{ComponentRef, PipelineNode};

/// What a node box says under its name: its component, or its kind.
fn component_label(node: &PipelineNode) -> String {
    match node.component() {
        Some(ComponentRef::Inline(c)) => c
            .name()
            .map_or_else(|| format!("inline {}", c.kind()), str::to_owned),
        Some(ComponentRef::File {
            path, component, ..
        }) => component
            .as_ref()
            .and_then(|c| c.name())
            .map_or_else(|| path.clone(), str::to_owned),
        Some(ComponentRef::Asset(a)) => a.to_string(),
        None => node.kind().to_owned(),
    }
}

fn id(v: &Vertex) -> String {
    let (prefix, name) = match v {
        Vertex::Input(n) => ("in", n),
        Vertex::Job(n) => ("job", n),
        Vertex::Output(n) => ("out", n),
    };
    let clean: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{prefix}_{clean}")
}

fn escape(s: &str) -> String {
    s.replace('"', "'")
}

fn edge_label(from: &str, to: &str) -> String {
    if from == to {
        from.to_owned()
    } else {
        format!("{from} → {to}")
    }
}

/// A Mermaid flowchart (`flowchart LR`).
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
/// use pipeline_core::graph::mermaid;
///
/// let chart = mermaid(&graph, &jobs);
/// assert!(chart.starts_with("flowchart LR\n"));
/// assert!(chart.contains("  in_raw[/\"input: raw\"/]\n"));
/// assert!(chart.contains("  job_train[\"train<br/><small>azureml:taxi_train:3</small>\"]\n"));
/// assert!(chart.contains("  job_prep -->|\"train → data\"| job_train\n"));
/// ```
pub fn mermaid(g: &PipelineGraph, jobs: &IndexMap<String, PipelineNode>) -> String {
    let mut out = String::from("flowchart LR\n");
    for i in g.graph.node_indices() {
        let v = &g.graph[i];
        let _ = match v {
            Vertex::Input(n) => writeln!(out, "  {}[/\"input: {}\"/]", id(v), escape(n)),
            Vertex::Output(n) => writeln!(out, "  {}[\\\"output: {}\"\\]", id(v), escape(n)),
            Vertex::Job(n) => {
                let label = jobs.get(n).map(component_label).unwrap_or_default();
                writeln!(
                    out,
                    "  {}[\"{}<br/><small>{}</small>\"]",
                    id(v),
                    escape(n),
                    escape(&label)
                )
            }
        };
    }
    for e in g.graph.edge_references() {
        let w = e.weight();
        let _ = writeln!(
            out,
            "  {} -->|\"{}\"| {}",
            id(&g.graph[e.source()]),
            escape(&edge_label(&w.from_port, &w.to_port)),
            id(&g.graph[e.target()])
        );
    }
    out
}

/// A Graphviz `digraph`.
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
/// use pipeline_core::graph::dot;
///
/// let text = dot(&graph, &jobs);
/// assert!(text.starts_with("digraph pipeline {\n  rankdir=LR;\n"));
/// assert!(text.contains("  job_prep [shape=box, label=\"prep\\nazureml:taxi_prep@latest\"];\n"));
/// assert!(text.contains("  in_raw -> job_prep [label=\"raw\"];\n"));
/// assert!(text.contains("  job_train -> out_model [label=\"model\"];\n"));
/// ```
pub fn dot(g: &PipelineGraph, jobs: &IndexMap<String, PipelineNode>) -> String {
    let mut out =
        String::from("digraph pipeline {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
    for i in g.graph.node_indices() {
        let v = &g.graph[i];
        let _ = match v {
            Vertex::Input(n) => writeln!(
                out,
                "  {} [shape=invhouse, label=\"input: {}\"];",
                id(v),
                escape(n)
            ),
            Vertex::Output(n) => writeln!(
                out,
                "  {} [shape=house, label=\"output: {}\"];",
                id(v),
                escape(n)
            ),
            Vertex::Job(n) => {
                let label = jobs.get(n).map(component_label).unwrap_or_default();
                writeln!(
                    out,
                    "  {} [shape=box, label=\"{}\\n{}\"];",
                    id(v),
                    escape(n),
                    escape(&label)
                )
            }
        };
    }
    for e in g.graph.edge_references() {
        let w = e.weight();
        let _ = writeln!(
            out,
            "  {} -> {} [label=\"{}\"];",
            id(&g.graph[e.source()]),
            id(&g.graph[e.target()]),
            escape(&edge_label(&w.from_port, &w.to_port))
        );
    }
    out.push_str("}\n");
    out
}
