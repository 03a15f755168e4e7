//! Pipelines: the graph, the bindings, node ports against their components, settings, compute.

use std::collections::HashSet;

use indexmap::IndexMap;

use super::component::{
    check_command, check_input_data, check_task, code_path, environment, named_inputs,
    named_outputs,
};
use super::names::{is_asset_name, is_node_name, suggest};
use super::types::{Flow, check_flow};
use super::{At, Checker, FastMap};
use crate::codes::Code;
use crate::graph::PipelineGraph;
use crate::load::normalize;
use crate::model::{
    Binding, Component, ComponentRef, DataPath, InputData, InputSpec, JobInput, JobOutput,
    OutputSpec, PipelineJob, PipelineNode, PipelineSettings, PortType,
};
use crate::parallel::{PARALLEL_ENTRIES, in_parallel};
use crate::schema::kinds::CONTROL_FLOW_TYPES;

/// A pipeline job: its ports, settings and nodes.
pub(crate) fn pipeline_job(checker: &mut Checker<'_>, job: &PipelineJob, at: &At) {
    let empty_in = IndexMap::new();
    let empty_out = IndexMap::new();
    let inputs = job.inputs.as_ref().unwrap_or(&empty_in);
    let outputs = job.outputs.as_ref().unwrap_or(&empty_out);
    // A pipeline job's own inputs and outputs are not held to the port name rule: the SDK checks
    // none (it registers no component for them), and a binding names them as written.
    for (name, input) in inputs {
        data_path(checker, input, &at.keys(&["inputs", name]));
    }
    for (name, output) in outputs {
        output_name(checker, output, &at.keys(&["outputs", name]));
    }
    if let Some(settings) = &job.settings {
        check_settings(checker, settings, &at.key("settings"));
    }
    let parent: IndexMap<String, Flow> = inputs
        .iter()
        .map(|(k, v)| (k.clone(), flow_of_value(v)))
        .collect();
    let output_names: Vec<String> = outputs.keys().cloned().collect();

    if let Some(component) = &job.component {
        no_file_prefix(checker, component, &at.key("component"));
        if job.jobs.is_some() {
            checker.report(
                Code::E054,
                &at.key("jobs"),
                "a pipeline job has either `component:` or `jobs:`, not both",
                Some("keep `jobs:` to define the nodes here, or `component:` to run a pipeline component".to_owned()),
            );
        }
        // A pipeline job that runs one pipeline component: its inputs feed that component's.
        let here = at.key("component");
        if let Some(c) = resolve(checker, component, &here) {
            bind_ports(
                checker,
                c,
                Some(inputs),
                Some(outputs),
                &parent,
                &FastMap::default(),
                at,
            );
            if let Component::Pipeline(p) = c
                && let Some(jobs) = &p.jobs
            {
                check_compute(checker, job, jobs, &declared_of(jobs), &here);
            }
        }
        return;
    }
    body(
        checker,
        job.jobs.as_ref(),
        &parent,
        &output_names,
        at,
        Some(job),
    );
}

/// The nodes of a pipeline job or component, against the pipeline's inputs and outputs.
pub(crate) fn body(
    checker: &mut Checker<'_>,
    jobs: Option<&IndexMap<String, PipelineNode>>,
    parent_inputs: &IndexMap<String, Flow>,
    parent_outputs: &[String],
    at: &At,
    job: Option<&PipelineJob>,
) {
    let jobs = match jobs {
        Some(j) if !j.is_empty() => j,
        _ => {
            checker.report(
                Code::E051,
                &at.key("jobs"),
                "this pipeline has no nodes",
                Some(
                    "add nodes under `jobs:`, or name a pipeline component with `component:`"
                        .to_owned(),
                ),
            );
            return;
        }
    };
    let outputs_map: IndexMap<String, ()> =
        parent_outputs.iter().map(|o| (o.clone(), ())).collect();
    let (graph, dangling) = PipelineGraph::build(parent_inputs, &outputs_map, jobs);
    for d in dangling {
        let here = at.keys(&["jobs", &d.job]);
        let here = here.path(&d.at);
        match &d.binding {
            Binding::ParentInput(_) => checker.report(
                Code::E020,
                &here,
                format!("`{}` names no input of this pipeline", d.binding),
                Some(format!("pipeline inputs: {}", names(parent_inputs.keys()))),
            ),
            Binding::ParentOutput(name) => checker.report(
                Code::E021,
                &here,
                format!("`${{{{parent.outputs.{name}}}}}` names no output of this pipeline"),
                Some(format!(
                    "pipeline outputs: {}",
                    names(parent_outputs.iter())
                )),
            ),
            Binding::JobOutput { job, .. } | Binding::JobInput { job, .. } => checker.report(
                Code::E022,
                &here,
                format!(
                    "`{}` names node `{job}`, which this pipeline does not have",
                    d.binding
                ),
                Some(format!("nodes: {}", names(jobs.keys()))),
            ),
            _ => {}
        }
    }
    for cycle in graph.cycles() {
        let first = cycle.first().cloned().unwrap_or_default();
        checker.report(
            Code::E027,
            &at.keys(&["jobs", &first]),
            format!("these nodes depend on each other in a circle: {}", cycle.join(" → ")),
            Some("a node cannot consume its own output, directly or through others: break one of these bindings".to_owned()),
        );
    }

    // What each node declares, where its component is known offline.
    let entries: Vec<(&String, &PipelineNode)> = jobs.iter().collect();
    let declared: FastMap<&str, &Component> = on_every_core(checker, &entries, |checker, part| {
        let mut found = Vec::new();
        for (name, node) in part {
            let here = at.keys(&["jobs", name]);
            if !is_node_name(name) {
                checker.report_key(
                    Code::E011,
                    &here,
                    format!("`{name}` is not a valid node name"),
                    Some(format!(
                        "a node name is a lower-case identifier, such as `{}`",
                        suggest(name)
                    )),
                );
            }
            match node {
                PipelineNode::Pipeline(n) => {
                    no_file_prefix(checker, &n.component, &here.key("component"))
                }
                PipelineNode::Parallel(n) => {
                    if let Some(flow @ ComponentRef::File { component, .. }) = &n.component
                        && component.as_deref().is_some_and(|c| c.kind() == "flow")
                    {
                        no_file_prefix(checker, flow, &here.key("component"));
                    }
                }
                _ => {}
            }
            if let PipelineNode::Pipeline(n) = node
                && let ComponentRef::Inline(_) = &n.component
            {
                checker.report(
                    Code::E047,
                    &here.key("component"),
                    "a pipeline node's component is given inline, which Azure ML does not take",
                    Some(
                        "write the pipeline component to its own YAML and name it: `component: ./train_pipeline.yml` (or a registered `azureml:` one)"
                            .to_owned(),
                    ),
                );
            }
            if let Some(c) = node
                .component()
                .and_then(|c| resolve(checker, c, &here.key("component")))
            {
                found.push((name.as_str(), c));
            }
            if let PipelineNode::Other(o) = node {
                for (key, reference) in &o.refs {
                    resolve(checker, reference, &here.key(key.as_str()));
                }
            }
        }
        found
    })
    .into_iter()
    .flatten()
    .collect();
    // What each node output carries; a type given at the node wins over its component's.
    let mut upstream: FastMap<(&str, &str), Flow> = FastMap::default();
    upstream.reserve(jobs.len());
    for (name, node) in jobs {
        if let Some(c) = declared.get(name.as_str()) {
            for (port, spec) in c.outputs().into_iter().flatten() {
                upstream.insert((name, port), Flow::from(spec.kind));
            }
        }
        for (port, out) in node.outputs().into_iter().flatten() {
            if let JobOutput::Data(d) = out
                && let Some(kind) = d.kind
            {
                upstream.insert((name, port), Flow::from(kind));
            }
        }
    }

    on_every_core(checker, &entries, |checker, part| {
        for (name, node) in part {
            check_node(
                checker,
                name,
                node,
                &declared,
                jobs,
                parent_inputs,
                &upstream,
                at,
            );
        }
    });
    if let Some(job) = job {
        check_compute(checker, job, jobs, &declared, at);
        super::init_finalize::check(checker, job.settings.as_ref(), jobs, at);
    }
}

/// Runs `f` over the nodes: on this thread for a usual pipeline, on every core (each part with a
/// checker of its own, merged back in order) for a huge one.
fn on_every_core<'a, R: Send>(
    checker: &mut Checker<'_>,
    entries: &[(&'a String, &'a PipelineNode)],
    f: impl Fn(&mut Checker<'_>, &[(&'a String, &'a PipelineNode)]) -> R + Sync,
) -> Vec<R> {
    if entries.len() < PARALLEL_ENTRIES {
        return vec![f(checker, entries)];
    }
    let template = &*checker;
    let parts = in_parallel(entries, |part| {
        let mut own = template.fork();
        let result = f(&mut own, part);
        (result, own)
    });
    let mut results = Vec::with_capacity(parts.len());
    for (result, own) in parts {
        checker.merge(own);
        results.push(result);
    }
    results
}

/// One node: its ports against its component, what it names, its own command or task.
#[allow(clippy::too_many_arguments)]
fn check_node(
    checker: &mut Checker<'_>,
    name: &str,
    node: &PipelineNode,
    declared: &FastMap<&str, &Component>,
    jobs: &IndexMap<String, PipelineNode>,
    parent_inputs: &IndexMap<String, Flow>,
    upstream: &FastMap<(&str, &str), Flow>,
    at: &At,
) {
    let here = at.keys(&["jobs", name]);
    unknown_ports(checker, node, declared, jobs, &here);
    unreadable_bindings(checker, node, &here);
    match declared.get(name) {
        Some(c) => bind_ports(
            checker,
            c,
            node.inputs(),
            node.outputs(),
            parent_inputs,
            upstream,
            &here,
        ),
        None => {
            for (port, input) in node.inputs().into_iter().flatten() {
                data_path(checker, input, &here.keys(&["inputs", port]));
            }
            for (port, output) in node.outputs().into_iter().flatten() {
                output_name(checker, output, &here.keys(&["outputs", port]));
            }
        }
    }
    inline_node(checker, node, &here);
    if let PipelineNode::Other(o) = node
        && o.kind == "spark"
    {
        super::spark::compute_or_resources(checker, o, &here);
        super::spark::entry_is_a_file(checker, o, &here);
        if o.named_component().is_none() {
            super::spark::code(checker, o, &here);
            super::spark::entry_exists(checker, o, &here);
        }
    }
    if let PipelineNode::Other(o) = node
        && o.kind == "sweep"
    {
        super::spark::trial_code(checker, o, &here);
    }
    node_runs_its_kind(checker, node, declared.get(name).copied(), &here);
    flow_data_input(checker, node, &here);
    if let PipelineNode::Other(o) = node {
        verbatim_required_inputs(checker, o, &here);
    }
}

/// A spark or data_transfer node binds every required input of the component file it names,
/// as a typed node does (the SDK: "Required input 'x' for component 'y' not provided"). Both are
/// kept verbatim: their ports are read from the mappings as written.
fn verbatim_required_inputs(checker: &mut Checker<'_>, node: &crate::model::Opaque, at: &At) {
    use crate::yaml::Node;
    let Some(Component::Other(component)) = node.named_component().and_then(|r| r.component())
    else {
        return;
    };
    let Some(declared) = component.body.get("inputs").and_then(Node::as_map) else {
        return;
    };
    let given = node.body.get("inputs").and_then(Node::as_map);
    for (port, spec) in declared.iter() {
        let spec = spec.as_map();
        let optional = spec
            .and_then(|m| m.get("optional"))
            .is_some_and(|o| matches!(o.value, crate::yaml::Value::Bool(true)));
        let defaulted = spec.and_then(|m| m.get("default")).is_some();
        let port = port.to_string();
        let bound = given
            .and_then(|g| g.get(&port))
            .is_some_and(|v| !v.is_null());
        if !bound && !optional && !defaulted {
            unbound_input(checker, &port, &"this node's component", at);
        }
    }
}

/// A node running a prompt flow binds the flow's one required input, `data` (the SDK's
/// `FlowComponentInputDict`: `data` is a required `uri_folder`; `flow_outputs`, `connections` and
/// the flow's own column mappings are optional).
fn flow_data_input(checker: &mut Checker<'_>, node: &PipelineNode, at: &At) {
    let Some(Component::Other(flow)) = node.component().and_then(ComponentRef::component) else {
        return;
    };
    if flow.kind != "flow" {
        return;
    }
    let bound = node
        .inputs()
        .is_some_and(|inputs| inputs.contains_key(FLOW_DATA_INPUT));
    if !bound {
        unbound_input(checker, FLOW_DATA_INPUT, &"this node's flow", at);
    }
}

/// The input a flow component requires.
const FLOW_DATA_INPUT: &str = "data";

/// E026: a required input of `label` (a component) that the node at `at` leaves unbound.
fn unbound_input(checker: &mut Checker<'_>, port: &str, label: &dyn std::fmt::Display, at: &At) {
    checker.report(
        Code::E026,
        &at.key("inputs"),
        format!("required input `{port}` of {label} is not bound"),
        Some(format!("bind it: `inputs: {{{port}: ${{{{parent.inputs.{port}}}}}}}`, or mark it `optional: true` in the component")),
    );
}

/// A node runs a component of its own type: a `spark` node a spark component, and so on (the SDK:
/// "jobs.<node>.component.type: Value 'command' passed is not in set ['spark']").
fn node_runs_its_kind(
    checker: &mut Checker<'_>,
    node: &PipelineNode,
    declared: Option<&Component>,
    at: &At,
) {
    // `declared` leaves out components kept verbatim (a spark file named by a `pipeline` node).
    let component = declared.or_else(|| match node {
        PipelineNode::Other(o) => o.named_component().and_then(|r| r.component()),
        typed => typed.component().and_then(ComponentRef::component),
    });
    let Some(component) = component else { return };
    if !crate::schema::kinds::node_runs(node.kind(), component.kind()) {
        checker.report(
            Code::E005,
            &at.key("type"),
            format!(
                "a `{}` node runs a `{}` component",
                node.kind(),
                component.kind()
            ),
            Some(format!(
                "write `type: {}` on the node, or name a {} component",
                component.kind(),
                node.kind()
            )),
        );
    }
}

/// A list of names for a hint: the first dozen, and how many more.
pub(crate) fn names<'a>(it: impl Iterator<Item = &'a String>) -> String {
    const SHOWN: usize = 12;
    let all: Vec<&String> = it.collect();
    if all.is_empty() {
        return "none".to_owned();
    }
    let mut out: Vec<String> = all.iter().take(SHOWN).map(|n| format!("`{n}`")).collect();
    if all.len() > SHOWN {
        out.push(format!("and {} more", all.len() - SHOWN));
    }
    out.join(", ")
}

/// The component a node runs, checked (once per file); `None` when it cannot be known offline.
pub(crate) fn resolve<'c>(
    checker: &mut Checker<'_>,
    reference: &'c ComponentRef,
    at: &At,
) -> Option<&'c Component> {
    let component = match reference {
        ComponentRef::Inline(c) => {
            checker.component(c, at, super::Naming::Anonymous);
            &**c
        }
        ComponentRef::File {
            path,
            component: Some(c),
            ..
        } => {
            let base = at
                .file
                .parent()
                .map(|p| p.to_path_buf())
                .unwrap_or_default();
            let file = normalize(&base.join(path));
            if checker.first_visit(&file) {
                let file_at = At::root(&file, c.source_dir());
                checker.component(c, &file_at, super::Naming::Anonymous);
                if let Some(kind) = super::component_schema_kind(c) {
                    checker.schema_walk(kind, &file_at);
                }
            }
            &**c
        }
        ComponentRef::File {
            component: None, ..
        } => return None,
        ComponentRef::Asset(a) => {
            checker.note_offline(at, &a.to_string());
            return None;
        }
    };
    match component {
        Component::Other(_) => None,
        c => Some(c),
    }
}

/// `${{parent.jobs.a.outputs.x}}` must name an output `a` has (when `a`'s ports are known).
fn unknown_ports(
    checker: &mut Checker<'_>,
    node: &PipelineNode,
    declared: &FastMap<&str, &Component>,
    jobs: &IndexMap<String, PipelineNode>,
    at: &At,
) {
    crate::graph::for_each_binding(node, &mut |path, binding| {
        let (job, port, outputs) = match binding {
            Binding::JobOutput { job, port } => (job, port, true),
            Binding::JobInput { job, port } => (job, port, false),
            _ => return,
        };
        let Some(target) = jobs.get(job) else { return };
        // A node may also declare ports of its own (`outputs: {x: {type: …}}`); a command or
        // parallel node given right in the node has only those.
        let node_ports: Vec<&String> = if outputs {
            target
                .outputs()
                .into_iter()
                .flatten()
                .map(|(k, _)| k)
                .collect()
        } else {
            target
                .inputs()
                .into_iter()
                .flatten()
                .map(|(k, _)| k)
                .collect()
        };
        let component_ports: Vec<&String> = match declared.get(job.as_str()) {
            Some(c) if outputs => c.outputs().into_iter().flatten().map(|(k, _)| k).collect(),
            Some(c) => c.inputs().into_iter().flatten().map(|(k, _)| k).collect(),
            None if target.is_inline() => Vec::new(),
            None => return,
        };
        if !node_ports.contains(&port) && !component_ports.contains(&port) {
            let mut ports = component_ports;
            ports.extend(
                node_ports
                    .into_iter()
                    .filter(|p| !ports.contains(p))
                    .collect::<Vec<_>>(),
            );
            let here = at.path(path);
            let kind = if outputs { "output" } else { "input" };
            checker.report(
                Code::E023,
                &here,
                format!("node `{job}` has no {kind} `{port}`"),
                Some(format!("its {kind}s: {}", names(ports.into_iter()))),
            );
        }
    });
}

/// An input's `${{parent.…}}` that is no binding the SDK reads (a name with a space, a missing
/// part): the SDK takes the text for a literal, which a node input may not be ("Job input in a
/// pipeline can bind only to a job output or a pipeline input").
fn unreadable_bindings(checker: &mut Checker<'_>, node: &PipelineNode, at: &At) {
    // A node defined right in the pipeline is turned into a component, whose outputs the SDK
    // finds from their bindings ("Job input in a pipeline can bind only to a job output or a
    // pipeline input"); a node naming a component keeps an output's text as written.
    let outputs_read = node.is_inline()
        || matches!(node, PipelineNode::Other(o) if o.kind == "spark" && o.named_component().is_none());
    crate::graph::for_each_binding(node, &mut |path, binding| {
        let Binding::Other(raw) = binding else { return };
        // An input's value, or an output's that is read: `body: ${{parent.jobs.<node>}}` of a
        // loop names a node.
        let read = match path.first().map(|p| p.as_ref()) {
            Some("inputs") => true,
            Some("outputs") => outputs_read,
            _ => false,
        };
        if !read {
            return;
        }
        let code = if raw.starts_with("parent.inputs") {
            Code::E020
        } else if raw.starts_with("parent.outputs") {
            Code::E021
        } else if raw.starts_with("parent.jobs") {
            Code::E022
        } else {
            return;
        };
        checker.report(
            code,
            &at.path(path),
            format!("`${{{{{raw}}}}}` is not a binding the SDK reads"),
            Some("a binding is `${{parent.inputs.<name>}}`, `${{parent.outputs.<name>}}` or `${{parent.jobs.<node>.outputs.<port>}}`, each name letters, digits and `_`".to_owned()),
        );
    });
}

/// A pipeline component is named by its path alone: the SDK reads `file:./x.yml` there as a
/// registered name and refuses it ("please provide the correct registry path").
fn no_file_prefix(checker: &mut Checker<'_>, component: &ComponentRef, at: &At) {
    if let ComponentRef::File {
        path,
        prefixed: true,
        component,
    } = component
    {
        // The SDK's file reference fields for pipeline components and prompt flows take a plain
        // path only ("Not supporting non file for component").
        let what = match component.as_deref() {
            Some(Component::Other(flow)) if flow.kind == "flow" => "a flow",
            _ => "a pipeline component",
        };
        checker.report(
            Code::E006,
            at,
            format!("{what} is not named with `file:` (`file:{path}`)"),
            Some(format!("write `component: {path}`")),
        );
    }
}

/// What flows into a node input, as far as it is known.
fn flow_of<'i>(
    input: &'i JobInput,
    parent: &IndexMap<String, Flow>,
    jobs: &FastMap<(&str, &str), Flow>,
) -> (Flow, Source<'i>) {
    let of_binding = |b: &'i Binding| -> (Flow, Source<'i>) {
        match b {
            Binding::ParentInput(name) => (
                parent.get(name).cloned().unwrap_or(Flow::Unknown),
                Source::ParentInput(name),
            ),
            Binding::JobOutput { job, port } => (
                jobs.get(&(job.as_str(), port.as_str()))
                    .cloned()
                    .unwrap_or(Flow::Unknown),
                Source::JobOutput(job, port),
            ),
            _ => (Flow::Unknown, Source::Unknown),
        }
    };
    match input {
        JobInput::Literal(l) => (Flow::Value(l.clone()), Source::Value),
        JobInput::Binding(b) => of_binding(b),
        // Data given right at the node says how to read it: its type wins over the component's.
        JobInput::Data(InputData { kind: Some(_), .. }) => (Flow::Unknown, Source::Unknown),
        JobInput::Data(InputData {
            path: Some(DataPath::Uri(t)),
            kind: None,
            ..
        }) => t
            .as_binding()
            .map_or((Flow::Unknown, Source::Unknown), of_binding),
        _ => (Flow::Unknown, Source::Unknown),
    }
}

/// Where what flows into an input comes from, as messages name it (written only for one).
enum Source<'a> {
    ParentInput(&'a str),
    JobOutput(&'a str, &'a str),
    Value,
    Unknown,
}

impl std::fmt::Display for Source<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::ParentInput(name) => write!(f, "pipeline input `{name}`"),
            Source::JobOutput(job, port) => write!(f, "output `{port}` of `{job}`"),
            Source::Value => f.write_str("the value"),
            Source::Unknown => Ok(()),
        }
    }
}

/// A component as messages name it (written only for one).
struct Label<'a>(Option<&'a str>);

impl std::fmt::Display for Label<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(n) => write!(f, "component `{n}`"),
            None => f.write_str("its component"),
        }
    }
}

/// The value of a pipeline input, as what it brings to the nodes bound to it.
fn flow_of_value(input: &JobInput) -> Flow {
    match input {
        JobInput::Literal(l) => Flow::Value(l.clone()),
        JobInput::Data(InputData {
            kind: Some(PortType::Param(_)),
            default: Some(d),
            ..
        }) => Flow::Value(d.clone()),
        JobInput::Data(InputData { kind: Some(k), .. }) => Flow::from(*k),
        _ => Flow::Unknown,
    }
}

/// A node's (or a pipeline job's) inputs and outputs against its component's declaration.
fn bind_ports(
    checker: &mut Checker<'_>,
    component: &Component,
    inputs: Option<&IndexMap<String, JobInput>>,
    outputs: Option<&IndexMap<String, JobOutput>>,
    parent: &IndexMap<String, Flow>,
    jobs: &FastMap<(&str, &str), Flow>,
    at: &At,
) {
    let empty_specs = IndexMap::new();
    let specs: &IndexMap<String, InputSpec> = component.inputs().unwrap_or(&empty_specs);
    let out_specs: Option<&IndexMap<String, OutputSpec>> = component.outputs();
    let label = Label(component.name());
    for (port, input) in inputs.into_iter().flatten() {
        let here = at.keys(&["inputs", port]);
        data_path(checker, input, &here);
        let Some(spec) = specs.get(port) else {
            checker.report_key(
                Code::W004,
                &here,
                format!("{label} has no input `{port}`: Azure ML will ignore it"),
                Some(format!("its inputs: {}", names(specs.keys()))),
            );
            continue;
        };
        let (flow, what) = flow_of(input, parent, jobs);
        check_flow(checker, &flow, spec, &here, &what);
    }
    if let Component::Command(c) = component
        && let Some(command) = &c.command
    {
        super::component::bare_literals(checker, command, inputs, at);
    }
    for (port, spec) in specs {
        let bound = inputs
            .and_then(|i| i.get(port))
            .is_some_and(|v| !matches!(v, JobInput::Empty));
        if !bound && spec.optional != Some(true) && spec.default.is_none() {
            unbound_input(checker, port, &label, at);
        }
    }
    for (port, output) in outputs.into_iter().flatten() {
        let here = at.keys(&["outputs", port]);
        output_name(checker, output, &here);
        if let Some(out_specs) = out_specs
            && !out_specs.contains_key(port)
        {
            checker.report_key(
                Code::W005,
                &here,
                format!("{label} has no output `{port}`: Azure ML will ignore it"),
                Some(format!("its outputs: {}", names(out_specs.keys()))),
            );
        }
    }
}

/// A node that carries its own command or parallel task instead of a component.
fn inline_node(checker: &mut Checker<'_>, node: &PipelineNode, at: &At) {
    match node {
        PipelineNode::Command(n) if n.component.is_none() => {
            match &n.command {
                None => checker.report(
                    Code::E046,
                    at,
                    "this command node has neither `component` nor `command`",
                    Some("name a component, or give `command`, `environment` (and `code`) right here".to_owned()),
                ),
                Some(cmd) => {
                    let inputs = named_inputs(n.inputs.as_ref());
                    let outputs = named_outputs(n.outputs.as_ref());
                    check_command(checker, cmd, Some(&inputs), Some(&outputs), &at.key("command"));
                    super::component::bare_literals(checker, cmd, n.inputs.as_ref(), at);
                }
            }
            code_path(checker, n.code.as_ref(), at);
            environment(checker, n.environment.as_ref(), at);
            // The SDK makes the node an anonymous command component, which needs one
            // ("jobs.<node>.component.environment: Missing data for required field").
            if n.command.is_some() && n.environment.is_none() {
                checker.report(
                    Code::E004,
                    &at.key("environment"),
                    "missing required key `environment`: a command given right in the node runs in an environment named here",
                    Some("add `environment: azureml:<name>@latest` (or an inline `image:`/`conda_file:` definition)".to_owned()),
                );
            }
        }
        PipelineNode::Parallel(n) if n.component.is_none() => {
            let names: Vec<&String> = n.inputs.iter().flatten().map(|(k, _)| k).collect();
            check_input_data(checker, n.input_data.as_ref(), Some(names), at);
            let inputs = named_inputs(n.inputs.as_ref());
            let outputs = named_outputs(n.outputs.as_ref());
            check_task(
                checker,
                n.task.as_deref(),
                Some(&inputs),
                Some(&outputs),
                at,
            );
        }
        _ => {}
    }
}

/// A local data path that does not exist is a warning: it may be created before submitting.
pub(crate) fn data_path(checker: &mut Checker<'_>, input: &JobInput, at: &At) {
    let JobInput::Data(InputData {
        path: Some(DataPath::Local(path)),
        ..
    }) = input
    else {
        return;
    };
    let Some(dir) = at.dir.as_ref() else { return };
    if !dir.join(path).exists() {
        checker.report(
            Code::W003,
            &at.key("path"),
            format!("local data path `{path}` does not exist (looked for {})", crate::load::normalize(&dir.join(path)).display()),
            Some("Azure ML uploads local data on submit: create it first, or point at an `azureml:` asset".to_owned()),
        );
    }
}

/// An output's registered asset name (`name:`) follows the asset naming rule.
fn output_name(checker: &mut Checker<'_>, output: &JobOutput, at: &At) {
    if let JobOutput::Data(d) = output
        && let Some(name) = &d.name
        && !is_asset_name(name)
    {
        checker.report(
            Code::E013,
            &at.key("name"),
            format!("`{name}` is not a valid asset name"),
            Some("use letters, digits, `_` and `-`, at most 255 characters".to_owned()),
        );
    }
}

const SETTINGS: &[&str] = &[
    "default_compute",
    "default_datastore",
    "continue_on_step_failure",
    "force_rerun",
    "default_environment",
];

fn check_settings(checker: &mut Checker<'_>, settings: &PipelineSettings, at: &At) {
    if let Some(compute) = &settings.default_compute
        && !compute.starts_with("azureml:")
        && !compute.eq_ignore_ascii_case("serverless")
        && !compute.contains("${{")
    {
        checker.report(
            Code::E050,
            &at.key("default_compute"),
            format!("`default_compute: {compute}` needs the `azureml:` prefix"),
            Some(format!("write `azureml:{compute}`, or `serverless`")),
        );
    }
    let known: HashSet<&str> = SETTINGS.iter().copied().collect();
    for (key, _) in settings.extra.iter() {
        let key = key.to_string();
        if known.contains(key.as_str()) {
            continue;
        }
        let close = SETTINGS
            .iter()
            .find(|k| super::names::edit_distance(k, &key) <= 2);
        checker.report_key(
            Code::W001,
            &at.key(key.clone()),
            format!("`{key}` is not a pipeline setting Azure ML knows"),
            Some(match close {
                Some(k) => format!("did you mean `{k}`?"),
                None => format!("settings are: {}", SETTINGS.join(", ")),
            }),
        );
    }
}

/// With no `compute` on the job and no `settings.default_compute`, every node that runs on a
/// compute needs its own, or Azure ML refuses the job: the SDK's "Compute not set"
/// (`PipelineComponent._validate_compute_is_set`). Pipeline nodes are looked into; control-flow
/// nodes run nowhere; a spark node with `resources` runs on serverless Spark.
fn check_compute(
    checker: &mut Checker<'_>,
    job: &PipelineJob,
    jobs: &IndexMap<String, PipelineNode>,
    declared: &FastMap<&str, &Component>,
    at: &At,
) {
    let default = job.compute.is_some()
        || job
            .settings
            .as_ref()
            .is_some_and(|s| s.default_compute.is_some());
    if default {
        return;
    }
    let mut bare = Vec::new();
    without_compute(jobs, declared, "", &mut bare);
    // Nodes of a pipeline component the job runs (`component: ./pipeline.yml`) are in that
    // file: they are reported at `component`.
    let in_component = at.segments().last() == Some(&"component");
    for path in bare {
        let (node, inner) = path.split_once(".jobs.").unwrap_or((&path, ""));
        let (here, message) = if in_component {
            (
                at.clone(),
                format!("node `{path}` of this pipeline component has no compute"),
            )
        } else if inner.is_empty() {
            (
                at.keys(&["jobs", node]),
                format!("node `{node}` has no compute"),
            )
        } else {
            (
                at.keys(&["jobs", node]),
                format!("node `{inner}` inside pipeline node `{node}` has no compute"),
            )
        };
        checker.report(
            Code::E053,
            &here,
            message,
            Some(
                "set `settings.default_compute: azureml:<cluster>` (or `serverless`), or `compute:` on the node"
                    .to_owned(),
            ),
        );
    }
}

/// The dotted paths (`train`, `nested.jobs.train`) of the nodes below that need a compute and
/// have none.
fn without_compute(
    jobs: &IndexMap<String, PipelineNode>,
    declared: &FastMap<&str, &Component>,
    prefix: &str,
    out: &mut Vec<String>,
) {
    for (name, node) in jobs {
        let bare = match node {
            PipelineNode::Command(_) | PipelineNode::Parallel(_) => node.compute().is_none(),
            PipelineNode::Pipeline(_) => {
                if let Some(Component::Pipeline(c)) = declared.get(name.as_str())
                    && let Some(inner) = &c.jobs
                {
                    let nested = declared_of(inner);
                    without_compute(inner, &nested, &format!("{name}.jobs."), out);
                }
                false
            }
            PipelineNode::Other(o) => {
                // Control-flow nodes run nowhere; an import node runs on the service's own
                // compute (the SDK does not ask one of it).
                let runs_nowhere =
                    CONTROL_FLOW_TYPES.contains(&o.kind.as_str()) || o.kind == "import";
                let serverless_spark = o.kind == "spark" && o.body.get("resources").is_some();
                !runs_nowhere && !serverless_spark && o.body.get("compute").is_none()
            }
        };
        if bare {
            out.push(format!("{prefix}{name}"));
        }
    }
}

/// The components of a nested pipeline's nodes that were loaded with it.
fn declared_of(jobs: &IndexMap<String, PipelineNode>) -> FastMap<&str, &Component> {
    jobs.iter()
        .filter_map(|(name, node)| Some((name.as_str(), node.component()?.component()?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::codes::Code;
    use crate::validate::validate_str;

    fn without_compute(yaml: &str) -> Vec<String> {
        validate_str(yaml, "p.yml")
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::E053)
            .map(|d| d.message.clone())
            .collect()
    }

    #[test]
    fn every_node_that_runs_somewhere_needs_a_compute() {
        let yaml = "type: pipeline\njobs:\n  \
            a: {command: echo, environment: azureml:env:1}\n  \
            b: {command: echo, environment: azureml:env:1, compute: azureml:gpu}\n  \
            etl: {type: spark, component: azureml:etl:1, resources: {instance_type: standard_e4s_v3, runtime_version: '3.3'}}\n  \
            copy: {type: data_transfer, component: azureml:copy:1}\n  \
            again: {type: do_while, body: '${{parent.jobs.a}}', condition: x}\n";
        assert_eq!(
            without_compute(yaml),
            ["node `a` has no compute", "node `copy` has no compute"]
        );
        let with_default = yaml.replace("jobs:", "settings: {default_compute: serverless}\njobs:");
        assert!(without_compute(&with_default).is_empty());
        let on_the_job = yaml.replace("jobs:", "compute: azureml:cpu\njobs:");
        assert!(without_compute(&on_the_job).is_empty());
    }

    #[test]
    fn a_nested_pipelines_nodes_need_one_too() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("inner.yml"),
            "$schema: https://azuremlschemas.azureedge.net/latest/pipelineComponent.schema.json\ntype: pipeline\nname: inner\njobs:\n  fit: {command: echo, environment: azureml:env:1}\n",
        )
        .unwrap();
        let outer = dir.path().join("outer.yml");
        let text = "type: pipeline\njobs:\n  nested: {type: pipeline, component: ./inner.yml}\n";
        std::fs::write(&outer, text).unwrap();
        let report = crate::validate::validate_path(&outer).unwrap();
        let found: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::E053)
            .map(|d| (d.path.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [(
                "jobs.nested",
                "node `fit` inside pipeline node `nested` has no compute"
            )]
        );
    }

    fn codes(yaml: &str) -> Vec<(Code, String)> {
        validate_str(yaml, "p.yml")
            .diagnostics
            .iter()
            .map(|d| (d.code, d.path.clone()))
            .collect()
    }

    #[test]
    fn node_types_are_the_sdks_in_any_case() {
        let node = |t: &str| {
            format!(
                "type: pipeline\nsettings: {{default_compute: azureml:c}}\njobs:\n  a: {{type: {t}, command: echo, environment: azureml:e:1}}\n"
            )
        };
        assert!(codes(&node("Command")).is_empty());
        assert_eq!(
            codes(&node("comand")),
            [(Code::E005, "jobs.a.type".to_owned())]
        );
        assert_eq!(
            codes(&node("unsupported")),
            [(Code::E005, "jobs.a.type".to_owned())]
        );
    }

    /// The codes and paths `validate_path` gives for `pipeline` written beside `files`.
    fn codes_in_folder(pipeline: &str, files: &[(&str, &str)]) -> Vec<(Code, String)> {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let file = dir.path().join("p.yml");
        std::fs::write(&file, pipeline).unwrap();
        crate::validate::validate_path(&file)
            .unwrap()
            .diagnostics
            .iter()
            .map(|d| (d.code, d.path.clone()))
            .collect()
    }

    #[test]
    fn a_flow_node_binds_data_and_names_its_flow_without_file() {
        let flow = (
            "run.yml",
            "$schema: https://azuremlschemas.azureedge.net/promptflow/latest/Run.schema.json\nflow: ./\n",
        );
        let pipeline = |component: &str, inputs: &str| {
            format!(
                "type: pipeline\nsettings: {{default_compute: azureml:c}}\ninputs: {{d: {{type: uri_file, path: azureml://x}}}}\njobs:\n  f:\n    type: parallel\n    component: {component}\n    inputs: {inputs}\n"
            )
        };
        assert!(
            codes_in_folder(
                &pipeline("./run.yml", "{data: '${{parent.inputs.d}}'}"),
                &[flow]
            )
            .is_empty()
        );
        assert_eq!(
            codes_in_folder(&pipeline("./run.yml", "{text: x}"), &[flow]),
            [(Code::E026, "jobs.f.inputs".to_owned())]
        );
        assert_eq!(
            codes_in_folder(
                &pipeline("file:./run.yml", "{data: '${{parent.inputs.d}}'}"),
                &[flow]
            ),
            [(Code::E006, "jobs.f.component".to_owned())]
        );
    }

    #[test]
    fn an_inline_nodes_output_bindings_are_read() {
        let pipeline = "type: pipeline\nsettings: {default_compute: azureml:c}\noutputs: {out: {type: uri_folder}}\njobs:\n  a:\n    command: echo\n    environment: azureml:e:1\n    outputs: {o: '${{parent.outputs.out x}}'}\n";
        assert_eq!(
            codes_in_folder(pipeline, &[]),
            [(Code::E021, "jobs.a.outputs.o".to_owned())]
        );
    }

    #[test]
    fn shell_syntax_given_to_a_bare_placeholder_is_a_warning() {
        let node = |command: &str| {
            codes(&format!(
                "type: pipeline\nsettings: {{default_compute: azureml:c}}\njobs:\n  a:\n    command: {command}\n    environment: azureml:e:1\n    inputs: {{who: 'x; touch hacked', plain: hello world}}\n"
            ))
        };
        assert_eq!(
            node("echo ${{inputs.who}}"),
            [(Code::W008, "jobs.a.inputs.who".to_owned())]
        );
        assert!(node("echo '${{inputs.who}}' ${{inputs.plain}}").is_empty());
    }

    #[test]
    fn component_files_of_kinds_kept_verbatim_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p.yml");
        let text = "type: pipeline\nsettings: {default_compute: azureml:c}\njobs:\n  etl: {type: spark, component: ./etl.yml, compute: azureml:spark-pool}\n  copy: {type: data_transfer, task: copy_data, component: ./copy.yml}\n";
        std::fs::write(&file, text).unwrap();
        let report = crate::validate::validate_path(&file).unwrap();
        let found: Vec<_> = report
            .diagnostics
            .iter()
            .map(|d| (d.code, d.path.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (Code::E006, "jobs.etl.component"),
                (Code::E006, "jobs.copy.component")
            ]
        );
        std::fs::write(dir.path().join("etl.yml"), "$schema: https://azuremlschemas.azureedge.net/latest/sparkComponent.schema.json\ntype: spark\nname: etl\ncode: ./src\nentry: {file: etl.py}\n").unwrap();
        std::fs::write(
            dir.path().join("copy.yml"),
            "type: data_transfer\nname: copy\ntask: copy_data\n",
        )
        .unwrap();
        let report = crate::validate::validate_path(&file).unwrap();
        let found: Vec<_> = report
            .diagnostics
            .iter()
            .map(|d| (d.code, d.path.as_str()))
            .collect();
        assert_eq!(
            found,
            [(Code::E044, "code")],
            "the spark component's code folder is checked"
        );
        // A typed node naming one of them runs the wrong kind (the SDK loads the file with the
        // node type's schema and refuses it).
        std::fs::create_dir(dir.path().join("src")).unwrap();
        for (node_type, code) in [
            ("pipeline", Some(Code::E005)),
            ("parallel", Some(Code::E005)),
            ("command", Some(Code::E005)),
            ("spark", None),
        ] {
            let text = format!(
                "type: pipeline\nsettings: {{default_compute: azureml:c}}\njobs:\n  etl: {{type: {node_type}, component: ./etl.yml, compute: azureml:spark-pool}}\n"
            );
            std::fs::write(&file, text).unwrap();
            let report = crate::validate::validate_path(&file).unwrap();
            let found: Vec<_> = report
                .diagnostics
                .iter()
                .map(|d| d.code)
                .filter(|c| *c != Code::W006)
                .collect();
            assert_eq!(found, Vec::from_iter(code), "{node_type}");
        }
    }
}
