//! `settings.on_init` and `settings.on_finalize`, as the SDK judges them
//! (`PipelineJob._validate_init_finalize_job` in azure-ai-ml's `entities/_job/pipeline/pipeline_job.py`):
//! each names a node of this pipeline, not a control-flow node, wired to no other node, and not
//! the same node as the other; some other node remains; nested pipeline nodes set neither.

use indexmap::IndexMap;

use super::{At, Checker};
use crate::codes::Code;
use crate::graph::for_each_binding;
use crate::model::{Binding, PipelineNode, PipelineSettings};
use crate::schema::kinds::CONTROL_FLOW_TYPES as CONTROL_FLOW;

pub(crate) fn check(
    checker: &mut Checker<'_>,
    settings: Option<&PipelineSettings>,
    jobs: &IndexMap<String, PipelineNode>,
    at: &At,
) {
    for (name, node) in jobs {
        if let PipelineNode::Pipeline(n) = node
            && let Some(s) = &n.settings
        {
            for (key, value) in [("on_init", &s.on_init), ("on_finalize", &s.on_finalize)] {
                if value.is_some() {
                    checker.report(
                        Code::E055,
                        &at.keys(&["jobs", name, "settings", key]),
                        format!(
                            "`{key}` is not taken on a pipeline node, only on the pipeline job"
                        ),
                        Some(format!("move `{key}` to the top-level `settings:`")),
                    );
                }
            }
        }
    }
    let Some(settings) = settings else { return };
    let (init, finalize) = (settings.on_init.as_deref(), settings.on_finalize.as_deref());
    if init.is_none() && finalize.is_none() {
        return;
    }
    let settings_at = at.key("settings");
    if init == finalize {
        checker.report(
            Code::E055,
            &settings_at.key("on_finalize"),
            format!(
                "`on_init` and `on_finalize` both name `{}`",
                init.unwrap_or_default()
            ),
            Some("give each its own node".to_owned()),
        );
    }
    if jobs
        .keys()
        .all(|k| Some(k.as_str()) == init || Some(k.as_str()) == finalize)
    {
        checker.report(
            Code::E055,
            &at.key("jobs"),
            "this pipeline has no node besides its on_init / on_finalize nodes",
            Some("add the nodes that do the work".to_owned()),
        );
    }
    for (key, name) in [("on_init", init), ("on_finalize", finalize)] {
        let Some(name) = name else { continue };
        let here = settings_at.key(key);
        let problem = match jobs.get(name) {
            None => Some((
                format!("`{key}: {name}` names no node of this pipeline"),
                format!("nodes: {}", super::pipeline::names(jobs.keys())),
            )),
            Some(node) if CONTROL_FLOW.contains(&node.kind()) => Some((
                format!("`{key}: {name}` names a `{}` node", node.kind()),
                "an init or finalize node must do work itself: name a command or similar node"
                    .to_owned(),
            )),
            Some(_) if !isolated(name, jobs) => Some((
                format!("`{key}: {name}` names a node that is wired to other nodes"),
                "an init or finalize node takes no input from other nodes and feeds none"
                    .to_owned(),
            )),
            Some(_) => None,
        };
        if let Some((message, help)) = problem {
            checker.report(Code::E055, &here, message, Some(help));
        }
    }
}

/// Whether no input of `name` comes from another node and no input of another node from it.
fn isolated(name: &str, jobs: &IndexMap<String, PipelineNode>) -> bool {
    let mut wired = false;
    for (other, node) in jobs {
        if CONTROL_FLOW.contains(&node.kind()) {
            continue;
        }
        for_each_binding(node, &mut |path, binding| {
            if path.first().map(|p| p.as_ref()) != Some("inputs") {
                return;
            }
            if let Binding::JobOutput { job, .. } | Binding::JobInput { job, .. } = binding
                && (other == name || job == name)
            {
                wired = true;
            }
        });
    }
    !wired
}

#[cfg(test)]
mod tests {
    use crate::codes::Code;
    use crate::validate::validate_str;

    fn e055(settings: &str, extra_nodes: &str) -> Vec<String> {
        let yaml = format!(
            "type: pipeline\nsettings: {{default_compute: azureml:cpu, {settings}}}\njobs:\n  \
             setup: {{command: echo, environment: azureml:env:1}}\n  \
             work: {{command: echo, environment: azureml:env:1}}\n{extra_nodes}"
        );
        validate_str(&yaml, "p.yml")
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::E055)
            .map(|d| format!("{}: {}", d.path, d.message))
            .collect()
    }

    #[test]
    fn isolated_nodes_may_be_init_and_finalize() {
        let third = "  more: {command: echo, environment: azureml:env:1}\n";
        assert!(e055("on_init: setup, on_finalize: work", third).is_empty());
        assert_eq!(
            e055("on_init: setup, on_finalize: work", ""),
            ["jobs: this pipeline has no node besides its on_init / on_finalize nodes"]
        );
        assert!(e055("on_finalize: setup", "").is_empty());
    }

    #[test]
    fn the_sdks_rules_each_give_e055() {
        assert_eq!(
            e055("on_init: ghost", ""),
            ["settings.on_init: `on_init: ghost` names no node of this pipeline"]
        );
        assert_eq!(
            e055("on_init: setup, on_finalize: setup", "").len(),
            1,
            "the same node twice"
        );
        let consumer = "  next: {command: 'echo ${{inputs.x}}', environment: azureml:env:1, inputs: {x: '${{parent.jobs.setup.outputs.o}}'}}\n";
        assert_eq!(
            e055("on_init: setup", consumer),
            ["settings.on_init: `on_init: setup` names a node that is wired to other nodes"]
        );
        let loop_node = "  again: {type: do_while, body: '${{parent.jobs.work}}', condition: x}\n";
        assert_eq!(
            e055("on_finalize: again", loop_node),
            ["settings.on_finalize: `on_finalize: again` names a `do_while` node"]
        );
    }
}
