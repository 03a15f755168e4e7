//! The pipeline a `#[pipeline]` function is building: its nodes, named when it is finished.
//!
//! A pipeline's body runs once, when its job is asked for. Each component call adds a node to the
//! innermost pipeline being built on this thread, and the handles it returns name that node by
//! index, so that a `let` can name it afterwards and outputs can be bound before names are final.

use std::cell::RefCell;
use std::collections::HashSet;

use indexmap::IndexMap;

use super::ports::{Arg, Source};
use crate::model::{
    Binding, CommandComponent, CommandNode, Component, ComponentRef, JobInput, JobOutput, Literal,
    OutputData, PipelineComponent, PipelineComponentNode, PipelineNode, Template,
};

/// A node of the pipeline being built (its index, in the order nodes were added): what node
/// handles and output handles hold, so that a `let` can name the node after it was added.
///
/// ```
/// use pipeline_core::dsl::{add_node, build, command_node, name};
/// use pipeline_core::CommandComponent;
///
/// let (built, (first, second)) = build(|| {
///     let prep = || command_node(CommandComponent::new("prep", "python prep.py"));
///     let (first, second) = (add_node("prep", prep()), add_node("prep", prep()));
///     name(second, "prep_test"); // what `let prep_test = prep(…);` does
///     (first, second)
/// });
/// assert_ne!(first, second);
/// assert_eq!(built.jobs.keys().collect::<Vec<_>>(), ["prep", "prep_test"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeId(usize);

/// A node as it is being built: its names and what is bound to it.
struct Pending {
    /// The name used when no `let` names it: the component's.
    default_name: String,
    /// The `let` that binds it.
    name: Option<String>,
    node: PipelineNode,
    /// Inputs bound so far, in the order they were bound.
    args: IndexMap<String, Arg>,
    /// Outputs that are the pipeline's own: node port → pipeline output.
    exported: IndexMap<String, String>,
    /// Where outputs go (`mode`, `path`), by port.
    settled: IndexMap<String, OutputData>,
}

#[derive(Default)]
struct Building {
    nodes: Vec<Pending>,
}

thread_local! {
    static BUILDING: RefCell<Vec<Building>> = const { RefCell::new(Vec::new()) };
}

fn with_current<R>(f: impl FnOnce(&mut Building) -> R) -> R {
    BUILDING.with(|b| {
        let mut stack = b.borrow_mut();
        let current = stack.last_mut().expect(
            "a component was called outside a #[pipeline] function: call it inside one, whose \
             `job()` builds the pipeline",
        );
        f(current)
    })
}

/// Adds a node running a component to the pipeline being built.
#[doc(hidden)]
pub fn add_node(default_name: &str, node: PipelineNode) -> NodeId {
    with_current(|b| {
        b.nodes.push(Pending {
            default_name: default_name.to_owned(),
            name: None,
            node,
            args: IndexMap::new(),
            exported: IndexMap::new(),
            settled: IndexMap::new(),
        });
        NodeId(b.nodes.len() - 1)
    })
}

/// Binds a node's input (again: the last binding wins, as a setter's would).
#[doc(hidden)]
pub fn bind(node: NodeId, input: &str, arg: Arg) {
    with_current(|b| {
        b.nodes[node.0].args.insert(input.to_owned(), arg);
    });
}

/// Names a node after the `let` that binds it.
#[doc(hidden)]
pub fn name(node: NodeId, name: &str) {
    with_current(|b| b.nodes[node.0].name = Some(name.to_owned()));
}

/// Changes a node's settings.
#[doc(hidden)]
pub fn edit(node: NodeId, f: impl FnOnce(&mut PipelineNode)) {
    with_current(|b| f(&mut b.nodes[node.0].node));
}

/// Says where a node's output goes (its mode, its path): at the node, or, for an output that is
/// the pipeline's, on the pipeline's output.
#[doc(hidden)]
pub fn settle(node: NodeId, port: &str, f: impl FnOnce(&mut OutputData)) {
    with_current(|b| {
        let settled = b.nodes[node.0]
            .settled
            .entry(port.to_owned())
            .or_insert_with(OutputData::unset);
        f(settled);
    });
}

/// Makes a node's output the pipeline's output `as_name`.
#[doc(hidden)]
pub fn export(node: NodeId, port: &str, as_name: &str) {
    with_current(|b| {
        b.nodes[node.0]
            .exported
            .insert(port.to_owned(), as_name.to_owned());
    });
}

/// What a pipeline body built: its nodes, and where its own outputs go (set at the nodes that
/// produce them), by pipeline output.
#[doc(hidden)]
pub struct Built {
    /// The nodes, named and bound.
    pub jobs: IndexMap<String, PipelineNode>,
    /// `mode` and `path` set on node outputs that are the pipeline's.
    pub outputs: IndexMap<String, OutputData>,
}

/// The nodes a pipeline body adds, named and bound: `body` runs with a pipeline of its own.
#[doc(hidden)]
pub fn build<R>(body: impl FnOnce() -> R) -> (Built, R) {
    BUILDING.with(|b| b.borrow_mut().push(Building::default()));
    // Popped even if the body panics, so that the next pipeline starts clean.
    struct Pop;
    impl Drop for Pop {
        fn drop(&mut self) {
            BUILDING.with(|b| b.borrow_mut().pop());
        }
    }
    let pop = Pop;
    let out = body();
    let building = BUILDING.with(|b| std::mem::take(b.borrow_mut().last_mut().expect("pushed")));
    drop(pop);
    (finish(building), out)
}

/// Names every node (its `let`, else its component's name with `_1`, `_2`… where taken) and turns
/// what is bound to it into bindings.
fn finish(building: Building) -> Built {
    let mut taken: HashSet<String> = HashSet::new();
    let mut names = vec![String::new(); building.nodes.len()];
    // `let` names first: they are what the user wrote, so they are kept where they can be.
    for pass in [true, false] {
        for (i, pending) in building.nodes.iter().enumerate() {
            if pending.name.is_some() != pass {
                continue;
            }
            let wanted = pending.name.as_deref().unwrap_or(&pending.default_name);
            let mut name = wanted.to_owned();
            let mut n = 1;
            while !taken.insert(name.clone()) {
                name = format!("{wanted}_{n}");
                n += 1;
            }
            names[i] = name;
        }
    }
    let mut jobs = IndexMap::new();
    let mut pipeline_outputs = IndexMap::new();
    for (i, pending) in building.nodes.into_iter().enumerate() {
        let Pending {
            mut node,
            args,
            exported,
            settled,
            ..
        } = pending;
        for (input, arg) in args {
            let value = match arg {
                Arg::Port(Source::ParentInput(p)) => {
                    JobInput::Binding(Binding::ParentInput(p.into()))
                }
                Arg::Port(Source::NodeOutput(from, port)) => {
                    JobInput::Binding(Binding::job_output(names[from.0].clone(), port))
                }
                Arg::Value(v) => v,
            };
            inputs_of(&mut node).insert(input, value);
        }
        for (port, data) in settled {
            match exported.get(&port) {
                Some(as_name) => {
                    pipeline_outputs.insert(as_name.clone(), data);
                }
                None => {
                    outputs_of(&mut node).insert(port, JobOutput::Data(data));
                }
            }
        }
        for (port, as_name) in exported {
            outputs_of(&mut node).insert(port, JobOutput::Binding(Binding::ParentOutput(as_name)));
        }
        jobs.insert(names[i].clone(), node);
    }
    Built {
        jobs,
        outputs: pipeline_outputs,
    }
}

fn inputs_of(node: &mut PipelineNode) -> &mut IndexMap<String, JobInput> {
    node.inputs_mut().expect("the DSL makes typed nodes only")
}

fn outputs_of(node: &mut PipelineNode) -> &mut IndexMap<String, JobOutput> {
    node.outputs_mut().expect("the DSL makes typed nodes only")
}

/// Sets a typed node's compute.
#[doc(hidden)]
pub fn set_compute(node: &mut PipelineNode, compute: &str) {
    node.set_compute(Template::parse(compute));
}

/// Sets a typed node's display name.
#[doc(hidden)]
pub fn set_display_name(node: &mut PipelineNode, name: &str) {
    node.set_display_name(name);
}

/// Adds an environment variable to a typed node.
#[doc(hidden)]
pub fn set_environment_variable(node: &mut PipelineNode, name: &str, value: &str) {
    if let Some(vars) = node.environment_variables_mut() {
        vars.insert(name.to_owned(), Literal::Str(value.to_owned()));
    }
}

/// A node running a pipeline component, inline.
#[doc(hidden)]
pub fn pipeline_node(component: PipelineComponent) -> PipelineNode {
    PipelineNode::Pipeline(Box::new(PipelineComponentNode::new(ComponentRef::Inline(
        Box::new(Component::Pipeline(component)),
    ))))
}

/// A parallel node running an inline component.
#[doc(hidden)]
pub fn parallel_node(component: crate::model::ParallelComponent) -> PipelineNode {
    PipelineNode::Parallel(Box::new(crate::model::ParallelNode::new(
        ComponentRef::Inline(Box::new(Component::Parallel(component))),
    )))
}

/// A command node running an inline component.
#[doc(hidden)]
pub fn command_node(component: CommandComponent) -> PipelineNode {
    PipelineNode::Command(Box::new(CommandNode::new(ComponentRef::inline(component))))
}
