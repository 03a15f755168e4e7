//! Components: names, ports, defaults, commands, parallel settings, local paths, environments.

use indexmap::IndexMap;

use super::names::{check_ports, is_component_name, suggest};
use super::pipeline;
use super::types::{Bounds, Flow, check_literal};
use super::{At, Checker, Naming};
use crate::codes::Code;
use crate::model::{
    Binding, CodeRef, CommandComponent, CommandJob, Component, CondaFile, Environment, InputSpec,
    Literal, OutputSpec, ParallelComponent, ParamType, PortType, RunFunction, Template,
};
use crate::yaml::Node;

/// A standalone command job: its command against its own inputs and outputs, its files, compute.
pub(crate) fn command_job(checker: &mut Checker<'_>, job: &CommandJob, at: &At) {
    let (inputs, outputs) = (
        named_inputs(job.inputs.as_ref()),
        named_outputs(job.outputs.as_ref()),
    );
    for (section, names) in [
        ("inputs", inputs.keys().collect::<Vec<_>>()),
        ("outputs", outputs.keys().collect()),
    ] {
        for name in names {
            if !is_job_port_key(name) {
                checker.report_key(
                    Code::E012,
                    &at.keys(&[section, name]),
                    format!("`{name}` is not a valid job input or output name"),
                    Some(format!(
                        "use letters, digits and `_`, not starting with a digit (such as `{}`)",
                        suggest(name)
                    )),
                );
            }
        }
    }
    for (name, input) in job.inputs.iter().flatten() {
        super::pipeline::data_path(checker, input, &at.keys(&["inputs", name]));
    }
    match &job.command {
        None => checker.report(
            Code::E046,
            at,
            "this command job has no `command`",
            Some("add `command: python main.py` or similar".to_owned()),
        ),
        Some(cmd) => {
            check_command(
                checker,
                cmd,
                Some(&inputs),
                Some(&outputs),
                &at.key("command"),
            );
            bare_literals(checker, cmd, job.inputs.as_ref(), at);
        }
    }
    code_path(checker, job.code.as_ref(), at);
    environment(checker, job.environment.as_ref(), at);
    if job.compute.is_none() {
        checker.report(
            Code::W002,
            at,
            "no `compute`: the job will run on serverless compute",
            Some("set `compute: azureml:<cluster>` to run it on a cluster of yours".to_owned()),
        );
    }
}

/// Declarations for the ports a job or node names itself, with no component to declare them: the
/// command checks only need their names.
pub(crate) fn named_inputs<V>(ports: Option<&IndexMap<String, V>>) -> IndexMap<String, InputSpec> {
    let any = || InputSpec::new(PortType::Param(ParamType::String));
    ports
        .into_iter()
        .flatten()
        .map(|(k, _)| (k.clone(), any()))
        .collect()
}

/// See [`named_inputs`].
pub(crate) fn named_outputs<V>(
    ports: Option<&IndexMap<String, V>>,
) -> IndexMap<String, OutputSpec> {
    let any = || OutputSpec::new(PortType::Param(ParamType::String));
    ports
        .into_iter()
        .flatten()
        .map(|(k, _)| (k.clone(), any()))
        .collect()
}

/// `^[a-zA-Z_]+[a-zA-Z0-9_]*$`
fn is_job_port_key(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && c.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A component: its name, ports, defaults and what its kind needs.
pub(crate) fn check(checker: &mut Checker<'_>, component: &Component, at: &At, naming: Naming) {
    if naming == Naming::Registered
        && let Some(name) = component.name()
        && !is_component_name(name)
    {
        checker.report(
            Code::E010,
            &at.key("name"),
            format!("`{name}` is not a valid component name"),
            Some(format!(
                "a component name is lower-case letters, digits and `_`, starting with a letter, such as `{}`",
                suggest(name).trim_start_matches('_')
            )),
        );
    }
    if let Some(inputs) = component.inputs() {
        check_ports(checker, inputs.keys(), &at.key("inputs"));
        check_defaults(checker, inputs, &at.key("inputs"));
    }
    if let Some(outputs) = component.outputs() {
        check_ports(checker, outputs.keys(), &at.key("outputs"));
    }
    match component {
        Component::Command(c) => command_component(checker, c, at),
        Component::Parallel(c) => parallel_component(checker, c, at),
        Component::Pipeline(c) => {
            let empty = IndexMap::new();
            let inputs = c.inputs.as_ref().unwrap_or(&empty);
            let parent: IndexMap<String, Flow> = inputs
                .iter()
                .map(|(k, v)| (k.clone(), Flow::from(v.kind)))
                .collect();
            let outputs: Vec<String> = c.outputs.iter().flatten().map(|(k, _)| k.clone()).collect();
            pipeline::body(checker, c.jobs.as_ref(), &parent, &outputs, at, None);
        }
        Component::Other(o) => {
            // Kinds kept verbatim (spark, data_transfer…) declare ports as the others do.
            for section in ["inputs", "outputs"] {
                if let Some(ports) = o.body.get(section).and_then(Node::as_map) {
                    let names: Vec<String> = ports.iter().map(|(k, _)| k.to_string()).collect();
                    check_ports(checker, names.iter(), &at.key(section));
                }
            }
            if o.kind == "spark" {
                super::spark::code(checker, o, at);
            }
        }
    }
}

/// A declared default must fit its own input.
fn check_defaults(checker: &mut Checker<'_>, inputs: &IndexMap<String, InputSpec>, at: &At) {
    for (name, spec) in inputs {
        if let (Some(default), PortType::Param(to)) = (&spec.default, spec.kind) {
            check_literal(
                checker,
                default,
                to,
                spec,
                &at.keys(&[name, "default"]),
                &"the default",
                Bounds::OwnDefault,
            );
        }
    }
}

fn command_component(checker: &mut Checker<'_>, c: &CommandComponent, at: &At) {
    match &c.command {
        None => checker.report(
            Code::E046,
            at,
            "this command component has no `command`",
            Some("add `command: python main.py --data ${{inputs.data}}` or similar".to_owned()),
        ),
        Some(cmd) => check_command(
            checker,
            cmd,
            c.inputs.as_ref(),
            c.outputs.as_ref(),
            &at.key("command"),
        ),
    }
    code_path(checker, c.code.as_ref(), at);
    environment(checker, c.environment.as_ref(), at);
    for (i, include) in c.additional_includes.iter().flatten().enumerate() {
        local_path(
            checker,
            include,
            &at.keys(&["additional_includes", &format!("[{i}]")]),
            "additional include",
        );
    }
}

fn parallel_component(checker: &mut Checker<'_>, c: &ParallelComponent, at: &At) {
    check_input_data(
        checker,
        c.input_data.as_ref(),
        c.inputs.as_ref().map(|i| i.keys().collect()),
        at,
    );
    check_task(
        checker,
        c.task.as_deref(),
        c.inputs.as_ref(),
        c.outputs.as_ref(),
        at,
    );
}

/// `input_data: ${{inputs.<name>}}` must name an input.
pub(crate) fn check_input_data(
    checker: &mut Checker<'_>,
    input_data: Option<&Template>,
    inputs: Option<Vec<&String>>,
    at: &At,
) {
    let Some(input_data) = input_data else {
        return;
    };
    let here = at.key("input_data");
    let names = inputs.unwrap_or_default();
    match input_data.as_binding() {
        Some(Binding::Input(name)) if names.contains(&name) => {}
        Some(Binding::Input(name)) => checker.report(
            Code::E042,
            &here,
            format!("`input_data` names `{name}`, which is not an input"),
            Some(format!("declared inputs: {}", list(&names))),
        ),
        _ => checker.report(
            Code::E042,
            &here,
            format!("`input_data` is `{input_data}`; it must be `${{{{inputs.<name>}}}}`"),
            Some("point it at the input whose files are split into mini-batches".to_owned()),
        ),
    }
}

/// A parallel task: its entry script, code folder, environment, and the ports its arguments name.
pub(crate) fn check_task(
    checker: &mut Checker<'_>,
    task: Option<&RunFunction>,
    inputs: Option<&IndexMap<String, InputSpec>>,
    outputs: Option<&IndexMap<String, OutputSpec>>,
    at: &At,
) {
    let here = at.key("task");
    let Some(task) = task else {
        checker.report(
            Code::E043,
            at,
            "this parallel job has no `task`",
            Some(
                "add `task: {type: run_function, code: ./src, entry_script: score.py}`".to_owned(),
            ),
        );
        return;
    };
    if task.entry_script.as_deref().is_none_or(str::is_empty) {
        checker.report(
            Code::E043,
            &here,
            "the parallel task has no `entry_script`",
            Some(
                "name the script whose init() and run(mini_batch) are called, relative to `code`"
                    .to_owned(),
            ),
        );
    } else if let (Some(CodeRef::Local(code)), Some(script), Some(dir)) =
        (&task.code, &task.entry_script, at.dir.as_ref())
        && dir.join(code).is_dir()
        && !dir.join(code).join(script).exists()
    {
        checker.report(
            Code::E044,
            &here.key("entry_script"),
            format!(
                "entry script `{script}` not found in `{code}` (looked for {})",
                crate::load::normalize(&dir.join(code).join(script)).display()
            ),
            Some("the entry script is relative to the task's `code` folder".to_owned()),
        );
    }
    code_path(checker, task.code.as_ref(), &here);
    environment(checker, task.environment.as_ref(), &here);
    if let Some(args) = &task.program_arguments {
        check_command(
            checker,
            args,
            inputs,
            outputs,
            &here.key("program_arguments"),
        );
    }
    if let Some(append) = &task.append_row_to {
        check_command(checker, append, inputs, outputs, &here.key("append_row_to"));
    }
}

fn list(names: &[&String]) -> String {
    super::pipeline::names(names.iter().copied())
}

/// `${{inputs.x}}` and `${{outputs.y}}` in a command must name ports; an optional input only
/// inside `$[[ … ]]`.
pub(crate) fn check_command(
    checker: &mut Checker<'_>,
    command: &Template,
    inputs: Option<&IndexMap<String, InputSpec>>,
    outputs: Option<&IndexMap<String, OutputSpec>>,
    at: &At,
) {
    let input_names: Vec<&String> = inputs.iter().flat_map(|m| m.keys()).collect();
    let output_names: Vec<&String> = outputs.iter().flat_map(|m| m.keys()).collect();
    for name in crate::shell::bare_inputs(command) {
        if let Some(Literal::Str(default)) = inputs
            .and_then(|m| m.get(&name))
            .and_then(|spec| spec.default.as_ref())
        {
            // Shown at the command: the fix is to quote the placeholder there.
            shell_syntax_in_bare_value(checker, &name, default, at);
        }
    }
    for (binding, optional_block) in command.bindings() {
        match binding {
            Binding::Input(name) => {
                // `${{inputs.group.sub}}` names the group input `group`.
                let root = name.split('.').next().unwrap_or(name);
                match inputs.and_then(|m| m.get(name).or_else(|| m.get(root))) {
                    None => checker.report(
                        Code::E040,
                        at,
                        format!("`${{{{inputs.{name}}}}}` names no input"),
                        Some(format!("declared inputs: {}", list(&input_names))),
                    ),
                    Some(spec) if spec.optional == Some(true) && spec.default.is_none() && !optional_block => checker.report(
                        Code::E041,
                        at,
                        format!("optional input `{name}` is used outside `$[[ … ]]`"),
                        Some(format!("wrap the part that needs it: `$[[--{name} ${{{{inputs.{name}}}}}]]`, so it disappears when the input is unset")),
                    ),
                    Some(_) => {}
                }
            }
            // `${{inputs.my-data}}`: not an identifier, so not a port Azure ML can substitute.
            Binding::Other(raw) if raw.starts_with("inputs.") || raw.starts_with("outputs.") => {
                checker.report(
                    Code::E040,
                    at,
                    format!(
                        "`${{{{{raw}}}}}` names no port: port names are letters, digits and `_`"
                    ),
                    Some(format!(
                        "declared inputs: {}; outputs: {}",
                        list(&input_names),
                        list(&output_names)
                    )),
                )
            }
            Binding::Output(name) if !output_names.contains(&name) => checker.report(
                Code::E040,
                at,
                format!("`${{{{outputs.{name}}}}}` names no output"),
                Some(format!("declared outputs: {}", list(&output_names))),
            ),
            _ => {}
        }
    }
}

/// W008 for each text value a job or node gives an input that `command` places bare.
pub(crate) fn bare_literals(
    checker: &mut Checker<'_>,
    command: &Template,
    inputs: Option<&IndexMap<String, crate::model::JobInput>>,
    at: &At,
) {
    for name in crate::shell::bare_inputs(command) {
        if let Some(crate::model::JobInput::Literal(Literal::Str(value))) =
            inputs.and_then(|i| i.get(&name))
        {
            shell_syntax_in_bare_value(checker, &name, value, &at.keys(&["inputs", &name]));
        }
    }
}

/// W008: `value`, given to input `name` which a command places bare, holds shell syntax.
pub(crate) fn shell_syntax_in_bare_value(
    checker: &mut Checker<'_>,
    name: &str,
    value: &str,
    at: &At,
) {
    if crate::shell::has_shell_syntax(value) {
        checker.report(
            Code::W008,
            at,
            format!(
                "`{value}` holds shell syntax, and the command places `${{{{inputs.{name}}}}}` bare: Azure ML pastes it in, where bash runs it (a local run passes it as one word)"
            ),
            Some(format!(
                "quote the placeholder in the command: `\"${{{{inputs.{name}}}}}\"`"
            )),
        );
    }
}

/// `code:` must exist when it is a local path.
pub(crate) fn code_path(checker: &mut Checker<'_>, code: Option<&CodeRef>, at: &At) {
    if let Some(CodeRef::Local(path)) = code {
        local_path(checker, path, &at.key("code"), "code folder");
    }
}

/// A local path relative to the file's folder must exist (E044).
pub(crate) fn local_path(checker: &mut Checker<'_>, path: &str, at: &At, what: &str) {
    let Some(dir) = at.dir.as_ref() else { return };
    let full = dir.join(path);
    // A link that leads nowhere is not a missing folder: say where it leads.
    if !full.exists()
        && let Ok(target) = std::fs::read_link(&full)
    {
        checker.report(
            Code::E044,
            at,
            format!(
                "{what} `{path}` is a symbolic link to {}, which does not exist",
                target.display()
            ),
            Some("point the link at an existing folder, or name the folder itself".to_owned()),
        );
        return;
    }
    if !full.exists() {
        checker.report(
            Code::E044,
            at,
            format!(
                "{what} `{path}` not found (looked for {})",
                crate::load::normalize(&dir.join(path)).display()
            ),
            Some("local paths are relative to the folder of the YAML file".to_owned()),
        );
    }
}

/// An environment must be a reference, a `file:`, or an inline definition whose files exist.
pub(crate) fn environment(checker: &mut Checker<'_>, env: Option<&Environment>, at: &At) {
    let here = at.key("environment");
    match env {
        // An ARM id names a registered environment too.
        Some(Environment::Named(s)) if s.starts_with("/subscriptions/") => {}
        Some(Environment::Named(s)) => checker.report(
            Code::E045,
            &here,
            format!("environment `{s}` is neither a reference nor a definition"),
            Some("use `azureml:<name>:<version>`, `azureml:<name>@latest`, or a mapping with `image`".to_owned()),
        ),
        Some(Environment::File(f)) => local_path(checker, f, &here, "environment file"),
        Some(Environment::Inline(e)) => {
            if let Some(CondaFile::Path(p)) = &e.conda_file {
                local_path(checker, p, &here.key("conda_file"), "conda file");
            }
            if let Some(build) = &e.build {
                local_path(checker, &build.path, &here.keys(&["build", "path"]), "build context");
            }
        }
        _ => {}
    }
}
