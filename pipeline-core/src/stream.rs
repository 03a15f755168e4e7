//! A huge pipeline job read node by node while its text is parsed.
//!
//! Read the usual way, a 100,000-node pipeline is first a tree of every value (several times the
//! size of its text), then the model. Here each part of the `jobs:` mapping is parsed on its own
//! core one node at a time, and each node's tree is turned into the model and freed before the
//! next is parsed, so the big tree never exists. Anything unusual (text the fast reader leaves to
//! the general one, a node that does not read cleanly) gives `None`, and the caller reads the
//! text the usual way, which reports every problem as always.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use crate::classify::{DocumentKind, classify};
use crate::convert::{Cx, FromNode, Loader};
use crate::model::PipelineNode;
use crate::parallel::BIG_TEXT;
use crate::yaml::{Mapping, Node};

/// A pipeline job's tree with `jobs: {}`, and its nodes, read.
pub(crate) struct Streamed {
    pub(crate) root: Node,
    pub(crate) jobs: IndexMap<String, PipelineNode>,
}

/// The nodes of a huge pipeline job's text (the file `file`, relative paths from `dir`), read as
/// they are parsed; component files they name are read into `loader`. `None` for a small text,
/// anything but a pipeline job, or anything unusual.
pub(crate) fn pipeline_job(
    loader: &mut Loader,
    text: &str,
    file: &Path,
    dir: Option<PathBuf>,
) -> Option<Streamed> {
    if text.len() < BIG_TEXT {
        return None;
    }
    let reading = loader.reading.clone();
    let is_pipeline_job = |root: &Node| {
        classify(root) == DocumentKind::Job
            && root
                .as_map()
                .and_then(|m| m.get("type"))
                .and_then(Node::as_str)
                == Some("pipeline")
    };
    let mut split = crate::yaml::fast_split(text, is_pipeline_job, |root, entries| {
        let key_span = root
            .as_map()
            .and_then(|m| m.entry("jobs"))
            .map(|(k, _)| k.span)
            .unwrap_or_default();
        let mut part_loader = Loader {
            reading: reading.clone(),
            ..Loader::default()
        };
        let mut cx = Cx::new(&mut part_loader, file.to_path_buf(), dir.clone());
        // The same path and key positions as the usual read of `jobs`, so diagnostics match.
        let nodes: Vec<(String, Option<PipelineNode>)> = cx.at_span("jobs", key_span, |cx| {
            entries
                .map(|(k, v)| {
                    let name = k.to_string();
                    let node =
                        cx.at_span(name.clone(), k.span, |cx| PipelineNode::from_node(&v, cx));
                    (name, node)
                })
                .collect()
        });
        (nodes, part_loader)
    })?;
    let mut jobs = IndexMap::new();
    let mut parts = Vec::new();
    for (nodes, part_loader) in std::mem::take(&mut split.parts) {
        // A problem anywhere: read again the usual way, which reports it in its place.
        if !part_loader.diagnostics.is_empty() {
            return None;
        }
        jobs.reserve(nodes.len());
        for (name, node) in nodes {
            jobs.insert(name, node?);
        }
        parts.push(part_loader);
    }
    for part in parts {
        loader.sources.extend(part.sources);
        for (k, c) in part.components {
            loader.components.entry(k).or_insert(c);
        }
    }
    let root = split.root_with_jobs(Mapping::new());
    Some(Streamed { root, jobs })
}

#[cfg(test)]
mod tests {
    use crate::load::{Document, job_from_str, load_str};
    use crate::model::Job;
    use crate::parallel::BIG_TEXT;

    /// A pipeline job of more than `BIG_TEXT` bytes.
    fn huge(extra: &str) -> String {
        let mut yaml = String::from(
            "$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json\ntype: pipeline\nsettings:\n  default_compute: azureml:c\njobs:\n",
        );
        let mut i = 0;
        while yaml.len() < BIG_TEXT + 1000 {
            yaml.push_str(&format!(
                "  n{i}:\n    type: command\n    inputs:\n      d: ${{{{parent.jobs.n{}.outputs.o}}}}\n      lr: 0.1\n    outputs:\n      o:\n        type: uri_folder\n    command: python x.py --d ${{{{inputs.d}}}} --o ${{{{outputs.o}}}}\n    environment: azureml:e:1\n    code: ./src\n",
                i.max(1) - 1
            ));
            i += 1;
        }
        yaml.push_str(extra);
        yaml
    }

    #[test]
    fn nodes_read_as_parsed_make_the_model_the_usual_read_makes() {
        let yaml = huge("tags:\n  k: v\n");
        let mut loader = crate::convert::Loader::default();
        let path = std::path::Path::new("/w/huge.yml");
        assert!(super::pipeline_job(&mut loader, &yaml, path, None).is_some());
        let streamed = load_str(&yaml, path).unwrap();
        let usual = job_from_str(&yaml).unwrap();
        assert_eq!(streamed, Document::Job(usual));
        let Document::Job(Job::Pipeline(p)) = &streamed else {
            panic!("a pipeline job");
        };
        assert!(p.jobs.as_ref().unwrap().len() > 10_000);
        assert_eq!(p.tags.as_ref().unwrap()["k"], "v");
    }

    #[test]
    fn a_node_that_does_not_read_is_reported_in_its_place() {
        let yaml = huge("").replace(
            "  n7000:\n    type: command\n",
            "  n7000:\n    type: command\n    limits: 3\n",
        );
        let line = yaml[..yaml.find("    limits: 3").unwrap()].lines().count() + 1;
        let e = load_str(&yaml, "/w/huge.yml").unwrap_err();
        let d = &e.diagnostics()[0];
        assert_eq!(
            (d.line, d.path.as_str()),
            (line, "jobs.n7000.limits"),
            "{d:?}"
        );
    }
}
