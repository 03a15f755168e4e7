//! `pipeline_cli::main([...])`: the `pipeline` commands for pipelines defined in Rust, so that a
//! user's binary is one line: `fn main() { pipeline_cli::main([nyc_taxi::definition()]) }`.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};
use indexmap::IndexMap;
use pipeline_core::dsl::Definition;
use pipeline_core::validate::validate_str;
use pipeline_core::{
    Component, ComponentRef, DataPath, Document, Job, JobInput, Literal, ParamType, PipelineJob,
    PipelineNode, PortType, Yaml, relative_path,
};

use crate::{Failure, graph};

/// The pipelines this program defines: list them, emit their YAML, check them, draw them, run them.
#[derive(Debug, Parser)]
#[command(about)]
struct DefinedCli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The pipelines this program defines.
    List,
    /// Emit a pipeline's job YAML (to stdout, or to a file with -o), as `az ml job create` takes it.
    Emit(EmitArgs),
    /// Check a pipeline: everything `pipeline validate` checks in a YAML file.
    Validate(ValidateArgs),
    /// Draw a pipeline's DAG.
    Graph(GraphArgs),
    /// Run a pipeline on this machine, as Azure ML would run it on a cluster.
    #[command(after_help = crate::run::AFTER_HELP)]
    Run(RunArgs),
}

#[derive(Debug, Args)]
struct EmitArgs {
    /// What to emit (see `list`); the first one listed when left out.
    name: Option<String>,
    /// Write here instead of to standard output; relative paths are rewritten to stay correct
    /// from this file's folder.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Replace OUT (and component files) if they exist; never half-written.
    #[arg(long)]
    force: bool,
    /// Set an input's value: `--set raw=azureml:taxi:2`, `--set learning_rate=0.1`.
    #[arg(long = "set", value_name = "INPUT=VALUE")]
    sets: Vec<String>,
    /// Write each component to its own YAML in DIR, and reference it with `file:`.
    #[arg(long, value_name = "DIR")]
    components: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct ValidateArgs {
    /// What to check (see `list`); the first one listed when left out.
    name: Option<String>,
    /// How to print what is found.
    #[arg(long, value_enum, default_value = "human")]
    format: crate::validate::Format,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Debug, Args)]
struct GraphArgs {
    /// The pipeline to draw (see `list`); the first one listed when left out.
    name: Option<String>,
    /// The notation.
    #[arg(long, value_enum, default_value = "mermaid")]
    format: graph::Format,
}

#[derive(Debug, Args)]
struct RunArgs {
    /// The pipeline to run (see `list`); the first one listed when left out.
    name: Option<String>,
    #[command(flatten)]
    flags: crate::run::RunFlags,
}

/// Runs the command line of a program defining these pipelines, and exits with its code: 0 done,
/// 1 a problem found (or a run that failed or was canceled), 2 an unusable invocation. Its
/// commands: `list`, `emit [NAME] [-o OUT] [--force] [--set input=value]… [--components DIR]`,
/// `validate [NAME]`, `graph [NAME]`, `run [NAME] [--jobs N] [--force-rerun] [--data NAME=PATH]…
/// [--format human|json] [--run-id ID]`.
///
/// ```no_run
/// use pipeline_core::dsl::Definition;
/// use pipeline_core::{CommandJob, Document, Environment, Job};
///
/// fn hello() -> Document {
///     let job = CommandJob::new("echo hello", Environment::parse("azureml:AzureML-sklearn-1.0@latest"));
///     Document::Job(Job::Command(job))
/// }
///
/// fn main() {
///     // With `#[pipeline] fn taxi(…)`, this is `pipeline_cli::main([taxi::definition()])`.
///     pipeline_cli::main([Definition::document("hello", Some("Says hello."), hello)])
/// }
/// ```
pub fn main<I: IntoIterator<Item = Definition>>(definitions: I) -> ! {
    let code = run_defined(definitions, std::env::args_os());
    std::process::exit(code.into())
}

/// [`main`] without exiting: the exit code for these arguments (the program's name first).
///
/// ```
/// use pipeline_core::dsl::Definition;
/// use pipeline_core::{CommandJob, Document, Environment, Job};
///
/// fn hello() -> Document {
///     let job = CommandJob::new("echo hello", Environment::parse("azureml:AzureML-sklearn-1.0@latest"));
///     Document::Job(Job::Command(job))
/// }
///
/// let defined = [Definition::document("hello", None, hello)];
/// assert_eq!(pipeline_cli::run_defined(defined, ["prog", "validate", "hello"]), 0);
/// assert_eq!(pipeline_cli::run_defined(defined, ["prog", "emit", "nope"]), 2);
/// ```
pub fn run_defined<I, A, T>(definitions: I, args: A) -> u8
where
    I: IntoIterator<Item = Definition>,
    A: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let definitions: Vec<Definition> = definitions.into_iter().collect();
    let cli = match DefinedCli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let result = match &cli.command {
        Command::List => {
            list(&definitions);
            Ok(())
        }
        Command::Emit(args) => find(&definitions, args.name.as_deref()).and_then(|d| emit(d, args)),
        Command::Validate(args) => {
            find(&definitions, args.name.as_deref()).and_then(|d| validate(d, args))
        }
        Command::Graph(args) => find(&definitions, args.name.as_deref()).and_then(|d| {
            crate::output::print(&graph::draw(&d.build(), args.format, d.name())?);
            Ok(())
        }),
        Command::Run(args) => find(&definitions, args.name.as_deref()).and_then(|d| run(d, args)),
    };
    match result {
        Ok(()) => 0,
        Err(failure) => {
            if !failure.message.is_empty() {
                eprintln!("{failure}");
            }
            failure.code
        }
    }
}

fn list(definitions: &[Definition]) {
    let width = definitions
        .iter()
        .map(|d| d.name().len())
        .max()
        .unwrap_or(0);
    for d in definitions {
        match d.summary() {
            Some(s) => crate::output::println(&format!("{:width$}  {s}", d.name())),
            None => crate::output::println(d.name()),
        }
    }
}

/// The definition called `name`, or the first one (the program's main one) when no name is given.
fn find<'d>(definitions: &'d [Definition], name: Option<&str>) -> Result<&'d Definition, Failure> {
    let names = || {
        let names: Vec<&str> = definitions.iter().map(Definition::name).collect();
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    };
    match name {
        None => definitions
            .first()
            .ok_or_else(|| Failure::usage("this program defines nothing to emit")),
        Some(name) => definitions
            .iter()
            .find(|d| d.name() == name)
            .ok_or_else(|| {
                Failure::usage(format!(
                    "nothing called `{name}` here; defined: {}",
                    names()
                ))
            }),
    }
}

fn emit(d: &Definition, args: &EmitArgs) -> Result<(), Failure> {
    let mut document = d.build();
    let inputs = match &mut document {
        Document::Job(Job::Pipeline(j)) => Some(&mut j.inputs),
        Document::Job(Job::Command(j)) => Some(&mut j.inputs),
        _ => None,
    };
    match inputs {
        Some(inputs) => {
            for set in &args.sets {
                apply_set(inputs, set)?;
            }
        }
        None if !args.sets.is_empty() => {
            return Err(Failure::usage(format!(
                "--set: `{}` has no inputs to set",
                d.name()
            )));
        }
        None => {}
    }
    if let Some(dir) = &args.components {
        let Document::Job(Job::Pipeline(job)) = &mut document else {
            return Err(Failure::usage(format!(
                "--components: `{}` is not a pipeline; its components are its own",
                d.name()
            )));
        };
        write_components(job, dir, args.force, false)?;
    } else if let (Some(out), Document::Job(Job::Pipeline(job))) = (&args.output, &mut document) {
        // The SDK takes a nested pipeline's component only from a file: beside OUT.
        let beside = out.parent().unwrap_or(Path::new(""));
        write_components(job, beside, args.force, true)?;
    }
    match &args.output {
        None => {
            if has_nested_inline(&document) {
                eprintln!(
                    "note: the SDK takes a nested pipeline's component only from a file: emit with -o OUT, which writes it beside OUT"
                );
            }
            crate::output::print(&document.to_yaml());
            Ok(())
        }
        Some(path) => {
            crate::write_file(&document, path, args.force)?;
            eprintln!("wrote {}", path.display());
            Ok(())
        }
    }
}

/// `--set input=value`: a data input's path, or a parameter's value read as its type.
fn apply_set(inputs: &mut Option<IndexMap<String, JobInput>>, set: &str) -> Result<(), Failure> {
    let Some((name, value)) = set.split_once('=') else {
        return Err(Failure::usage(format!(
            "--set {set}: write INPUT=VALUE, such as --set learning_rate=0.1"
        )));
    };
    let inputs = inputs.get_or_insert_with(Default::default);
    let Some(input) = inputs.get_mut(name) else {
        let names: Vec<&str> = inputs.keys().map(String::as_str).collect();
        return Err(Failure::usage(format!(
            "--set {set}: there is no input `{name}`; the inputs: {}",
            if names.is_empty() {
                "none".to_owned()
            } else {
                names.join(", ")
            }
        )));
    };
    let parse = |kind: ParamType| -> Result<Literal, Failure> {
        let bad = || {
            Failure::usage(format!(
                "--set {set}: `{value}` is not a {} value",
                kind.as_str()
            ))
        };
        Ok(match kind {
            ParamType::Integer => Literal::Int(value.parse().map_err(|_| bad())?),
            ParamType::Number => Literal::Float(value.parse().map_err(|_| bad())?),
            ParamType::Boolean => Literal::Bool(match value {
                "true" | "True" => true,
                "false" | "False" => false,
                _ => return Err(bad()),
            }),
            ParamType::String => Literal::Str(value.to_owned()),
        })
    };
    *input = match &*input {
        JobInput::Literal(l) => JobInput::Literal(parse(l.param_type())?),
        JobInput::Data(d) => match d.kind {
            Some(PortType::Param(p)) => JobInput::Literal(parse(p)?),
            _ => {
                let mut d = d.clone();
                d.path = Some(DataPath::parse(value));
                JobInput::Data(d)
            }
        },
        _ => JobInput::Literal(Literal::Str(value.to_owned())),
    };
    Ok(())
}

/// Writes each inline component to `dir/<name>.yml` and makes its nodes reference that file.
/// `only_pipelines`: write only nested pipelines' components (which the SDK takes only from a
/// file), leaving the others inline.
fn write_components(
    job: &mut PipelineJob,
    dir: &Path,
    force: bool,
    only_pipelines: bool,
) -> Result<(), Failure> {
    let here = std::env::current_dir()
        .map_err(|e| Failure::input(format!("cannot read the current folder: {e}")))?;
    let dir = here.join(dir);
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure::input(format!("cannot create {}: {e}", dir.display())))?;
    let base = job
        .source_dir
        .get()
        .map_or_else(|| here.clone(), Path::to_path_buf);
    let mut written: HashMap<String, (Component, PathBuf)> = HashMap::new();
    for node in job.jobs.iter_mut().flat_map(|j| j.values_mut()) {
        let Some(reference) = node.component_mut() else {
            continue;
        };
        let ComponentRef::Inline(component) = reference else {
            continue;
        };
        if only_pipelines && !matches!(**component, Component::Pipeline(_)) {
            continue;
        }
        let name = component.name().unwrap_or("component").to_owned();
        // One file per distinct component: the same name with other content gets `_2`, `_3`…
        let mut file_name = name.clone();
        let mut n = 1;
        let path = loop {
            match written.get(&file_name) {
                Some((c, path)) if c == &**component => break path.clone(),
                Some(_) => {
                    n += 1;
                    file_name = format!("{name}_{n}");
                }
                None => {
                    let path = dir.join(format!("{file_name}.yml"));
                    crate::write_file(&**component, &path, force)?;
                    written.insert(file_name.clone(), ((**component).clone(), path.clone()));
                    break path;
                }
            }
        };
        // `./x.yml`, without `file:`: the SDK takes a nested pipeline's component only so.
        let relative = relative_path(&path, &base).display().to_string();
        let relative = if relative.starts_with("..") {
            relative
        } else {
            format!("./{relative}")
        };
        *reference = ComponentRef::File {
            path: relative,
            prefixed: false,
            component: None,
        };
    }
    Ok(())
}

fn validate(d: &Definition, args: &ValidateArgs) -> Result<(), Failure> {
    let report = check(d)?;
    crate::validate::print_reports(
        &[report],
        args.format,
        args.deny_warnings,
        &format!("`{}`", d.name()),
    )
}

/// Runs a definition's job, after the checks `validate` makes; relative paths start from the
/// defining crate's folder.
fn run(d: &Definition, args: &RunArgs) -> Result<(), Failure> {
    crate::run::refuse_invalid(&check(d)?, args.flags.format)?;
    let document = d.build();
    let dir = source_dir(&document).map(Path::to_path_buf);
    let job = crate::run::into_job(Some(document), &format!("`{}`", d.name()))?;
    crate::run::execute(&job, &args.flags, dir.as_deref())
}

/// What validation finds in a definition.
fn check(d: &Definition) -> Result<pipeline_core::validate::Report, Failure> {
    let mut document = d.build();
    // Checked as the YAML it emits, placed where its relative paths start, so that every check
    // (local paths included) runs and diagnostics point at lines of that YAML. Nested pipelines'
    // components go to files for the check, as `emit -o` writes them.
    let nested = tempfile::tempdir()
        .map_err(|e| Failure::input(format!("cannot make a temporary folder: {e}")))?;
    if let Document::Job(Job::Pipeline(job)) = &mut document {
        write_components(job, nested.path(), true, true)?;
    }
    let dir = source_dir(&document).map_or_else(PathBuf::new, Path::to_path_buf);
    let text = document.to_yaml();
    Ok(validate_str(&text, dir.join(format!("{}.yml", d.name()))))
}

/// The folder a document's relative paths start from, when it has one.
fn source_dir(document: &Document) -> Option<&Path> {
    match document {
        Document::Job(Job::Pipeline(j)) => j.source_dir.get(),
        Document::Job(Job::Command(j)) => j.source_dir.get(),
        Document::Component(Component::Command(c)) => c.source_dir.get(),
        Document::Component(Component::Parallel(c)) => c.source_dir.get(),
        Document::Component(Component::Pipeline(c)) => c.source_dir.get(),
        _ => None,
    }
}

/// Whether a pipeline job has a node running an inline pipeline component.
fn has_nested_inline(document: &Document) -> bool {
    let Document::Job(Job::Pipeline(job)) = document else {
        return false;
    };
    job.jobs.iter().flat_map(|j| j.values()).any(|n| {
        matches!(n, PipelineNode::Pipeline(p) if matches!(p.component, ComponentRef::Inline(_)))
    })
}
