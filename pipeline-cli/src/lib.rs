//! The `pipeline` command line: `emit` (re-emit YAML canonically), `validate` (check what Azure ML
//! checks, offline), `graph` (draw a pipeline's DAG), `run` (run a pipeline on this machine); and
//! [`main`], the same commands for a program that defines its pipelines in Rust.
//!
//! ```
//! use pipeline_core::dsl::Definition;
//! use pipeline_core::{CommandJob, Document, Environment, Job};
//!
//! fn hello() -> Document {
//!     let env = Environment::parse("azureml:AzureML-sklearn-1.0@latest");
//!     Document::Job(Job::Command(CommandJob::new("echo hello", env)))
//! }
//! // A user's binary runs `pipeline_cli::main(defined)`; `run_defined` returns the exit code.
//! let defined = [Definition::document("hello", Some("Says hello."), hello)];
//! assert_eq!(pipeline_cli::run_defined(defined, ["prog", "list"]), 0);
//! # let dir = std::env::temp_dir().join(format!("pipeline-cli-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir).unwrap();
//! let out = dir.join("hello.yml");
//! assert_eq!(pipeline_cli::run_defined(defined, ["prog", "emit", "hello", "-o", out.to_str().unwrap()]), 0);
//! assert!(std::fs::read_to_string(&out).unwrap().contains("command: echo hello\n"));
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```

#![warn(missing_docs)]

mod defined;
mod emit;
mod graph;
mod live;
mod output;
mod progress;
mod render;
mod run;
mod run_json;
mod summary;
mod validate;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use defined::{main, run_defined};

/// Typed Azure ML pipelines: validate, draw, run and emit the YAML that `az ml job create` takes.
#[derive(Debug, Parser)]
#[command(name = "pipeline", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Re-emit a job, component or compute YAML canonically (to stdout, or to a file with -o).
    Emit(emit::EmitArgs),
    /// Check YAML files: everything Azure ML checks offline, and what it lets through.
    Validate(validate::ValidateArgs),
    /// Draw a pipeline's DAG: nodes, their components, and the ports each edge joins.
    Graph(graph::GraphArgs),
    /// Run a pipeline (or command) job on this machine, as Azure ML would run it on a cluster.
    #[command(after_help = run::AFTER_HELP)]
    Run(run::RunArgs),
}

/// Runs the `pipeline` command line on `args` (the program's name first). Exit codes: 0 done, 1
/// bad input (or a run that failed or was canceled), 2 an unusable invocation.
///
/// ```no_run
/// // What `pipeline validate --deny-warnings job.yml` does.
/// let code = pipeline_cli::run(["pipeline", "validate", "--deny-warnings", "job.yml"]);
/// # let _ = code;
/// ```
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with success, usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Emit(args) => emit::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Run(args) => run::run_file(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if !failure.message.is_empty() {
                eprintln!("{failure}");
            }
            ExitCode::from(failure.code)
        }
    }
}

/// Writes `document` to `path` (atomically: never half-written); an existing file only with
/// `force`, else an error saying to pass `--force`.
pub(crate) fn write_file(
    document: &impl pipeline_core::Yaml,
    path: &std::path::Path,
    force: bool,
) -> Result<(), Failure> {
    let written = if force {
        document.dump_replacing(path)
    } else {
        document.dump(path)
    };
    written.map_err(|e| match e {
        pipeline_core::Error::AlreadyExists { .. } => {
            Failure::input(format!("{e}, or pass --force to replace it"))
        }
        e => Failure::input(e),
    })
}

/// A command's failure: what to print, and the exit code.
#[derive(Debug)]
pub(crate) struct Failure {
    message: String,
    code: u8,
}

impl Failure {
    /// Bad input: exit 1.
    pub(crate) fn input(message: impl std::fmt::Display) -> Self {
        Failure {
            message: message.to_string(),
            code: 1,
        }
    }

    /// A failure already reported: exit with `code`, print nothing more.
    pub(crate) fn quiet(code: u8) -> Self {
        Failure {
            message: String::new(),
            code,
        }
    }

    /// An unusable invocation: exit 2.
    pub(crate) fn usage(message: impl std::fmt::Display) -> Self {
        Failure {
            message: message.to_string(),
            code: 2,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.message.contains(": error[") {
            f.write_str(&self.message)
        } else {
            write!(f, "error: {}", self.message)
        }
    }
}
