//! `pipeline graph FILE [--format mermaid|dot]`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use indexmap::IndexMap;
use pipeline_core::graph::{PipelineGraph, dot, mermaid};
use pipeline_core::{Component, Document, Error, Job, JobInput, PipelineNode, load};

use crate::Failure;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    /// A Mermaid flowchart (renders on GitHub and in many editors).
    Mermaid,
    /// Graphviz (`dot -Tsvg`).
    Dot,
}

#[derive(Debug, Args)]
pub(crate) struct GraphArgs {
    /// A pipeline job or pipeline component YAML.
    file: PathBuf,
    /// The notation.
    #[arg(long, value_enum, default_value = "mermaid")]
    format: Format,
}

pub(crate) fn run(args: &GraphArgs) -> Result<(), Failure> {
    let document = load(&args.file).map_err(|e| match e {
        Error::Read { .. } => Failure::usage(e),
        e => Failure::input(e),
    })?;
    crate::output::print(&draw(
        &document,
        args.format,
        &args.file.display().to_string(),
    )?);
    Ok(())
}

/// The DAG of a pipeline job or component, in `format`; `what` names it in errors.
pub(crate) fn draw(document: &Document, format: Format, what: &str) -> Result<String, Failure> {
    let not_a_pipeline = |kind: &str| {
        Failure::input(format!(
            "{what}: {kind} has no graph: give a pipeline job or a pipeline component"
        ))
    };
    let component_graph = |c: &Component| match c {
        Component::Pipeline(p) => Ok((
            p.inputs
                .iter()
                .flatten()
                .map(|(k, _)| (k.clone(), ()))
                .collect::<IndexMap<_, _>>(),
            p.outputs
                .iter()
                .flatten()
                .map(|(k, _)| (k.clone(), ()))
                .collect::<IndexMap<_, _>>(),
            p.jobs.clone().unwrap_or_default(),
        )),
        other => Err(not_a_pipeline(&format!("a {} component", other.kind()))),
    };
    let (inputs, outputs, jobs): (
        IndexMap<String, ()>,
        IndexMap<String, ()>,
        IndexMap<String, PipelineNode>,
    ) = match document {
        Document::Job(Job::Pipeline(p)) => {
            match (&p.jobs, p.component.as_ref().and_then(|c| c.component())) {
                (None, Some(c)) => component_graph(c)?,
                _ => (
                    p.inputs
                        .iter()
                        .flatten()
                        .map(|(k, _): (&String, &JobInput)| (k.clone(), ()))
                        .collect(),
                    p.outputs
                        .iter()
                        .flatten()
                        .map(|(k, _)| (k.clone(), ()))
                        .collect(),
                    p.jobs.clone().unwrap_or_default(),
                ),
            }
        }
        Document::Component(c) => component_graph(c)?,
        Document::Job(j) => return Err(not_a_pipeline(&format!("a {} job", j.kind()))),
        Document::Compute(_) => return Err(not_a_pipeline("a compute")),
    };
    let (graph, _dangling) = PipelineGraph::build(&inputs, &outputs, &jobs);
    Ok(match format {
        Format::Mermaid => mermaid(&graph, &jobs),
        Format::Dot => dot(&graph, &jobs),
    })
}
