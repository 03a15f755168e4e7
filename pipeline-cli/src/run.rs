//! `pipeline run FILE [--jobs N] [--force-rerun] [--data NAME=PATH]... [--format human|json]
//! [--run-id ID]`, and what `run [NAME]` of a program defining pipelines shares with it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use clap::{Args, ValueEnum};
use indexmap::IndexMap;
use pipeline_core::run::{PlanError, RunOptions, run};
use pipeline_core::validate::{Report, validate_path};
use pipeline_core::{Document, Job, JobStatus};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

use crate::progress::Display;
use crate::{Failure, render};

/// What `run` prints while the pipeline runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// To stderr: a live display on a terminal, else a line per change of status; then a summary.
    Human,
    /// To stdout: one JSON object per line for every event, then one with the summary.
    Json,
}

/// How to run: the flags of `pipeline run` and of a defining program's `run`.
#[derive(Debug, Args)]
pub(crate) struct RunFlags {
    /// How many nodes run at the same time [default: the number of cores].
    #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    jobs: Option<u32>,
    /// Run every node, even those whose outputs an earlier run with the same inputs made.
    #[arg(long)]
    force_rerun: bool,
    /// A local file or folder standing for an `azureml:` data asset or a remote URI:
    /// `--data raw_taxi=./taxi.csv`, `--data raw_taxi:3=…`, `--data https://…/x.csv=…`.
    #[arg(long = "data", value_name = "NAME=PATH", value_parser = parse_data)]
    data: Vec<(String, PathBuf)>,
    /// What to print as it runs.
    #[arg(long, value_enum, default_value = "human")]
    pub(crate) format: Format,
    /// The run's folder name under .pipeline/runs/ [default: made from the time].
    #[arg(long, value_name = "ID")]
    run_id: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    /// The pipeline or command job YAML to run.
    file: PathBuf,
    #[command(flatten)]
    flags: RunFlags,
}

/// The help after `pipeline run --help` (and a defining program's `run --help`).
pub(crate) const AFTER_HELP: &str = "\
Runs in the current folder: each run in .pipeline/runs/<run-id>/<node>/ (outputs/, \
user_logs/std_log.txt), reused outputs in .pipeline/cache/. Environments are not built: nodes \
run with this machine's own tools. Ctrl-C (or SIGTERM) cancels: running nodes are killed with \
their child processes, and the run ends Canceled.

Exit status: 0 when the pipeline completed; 1 when it failed, was canceled, or cannot run here \
(each reason printed as `error: …`); 2 when the command line is wrong or the file unreadable.";

pub(crate) fn run_file(args: &RunArgs) -> Result<(), Failure> {
    if args.file.is_dir() {
        return Err(Failure::usage(format!(
            "{} is a folder: give a job YAML",
            args.file.display()
        )));
    }
    let report = validate_path(&args.file).map_err(Failure::usage)?;
    refuse_invalid(&report, args.flags.format)?;
    let what = args.file.display().to_string();
    let job = into_job(report.document, &what)?;
    execute(&job, &args.flags, None)
}

/// Fails (exit 1) when `report` has errors that stop a local run, after printing them as
/// `pipeline validate` does (and in JSON, as an `error` event). Warnings, and errors about where
/// Azure ML would run the job, do not stop a run and are left to `validate`.
pub(crate) fn refuse_invalid(report: &Report, format: Format) -> Result<(), Failure> {
    let stopping: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code.stops_a_local_run())
        .cloned()
        .collect();
    if stopping.is_empty() {
        return Ok(());
    }
    let errors = Report {
        diagnostics: stopping,
        sources: report.sources.clone(),
        document: None,
    };
    let color = render::stderr_color();
    eprint!("{}", render::human(&errors, color));
    let problems: Vec<String> = errors.diagnostics.iter().map(|d| d.to_string()).collect();
    if format == Format::Json {
        crate::output::println(&crate::run_json::error(&problems));
    }
    let n = problems.len();
    Err(Failure::input(format!(
        "not run: {n} error{} (see above; `pipeline validate` checks without running)",
        if n == 1 { "" } else { "s" }
    )))
}

/// The job a document holds; `what` names it in the error when it holds something else.
pub(crate) fn into_job(document: Option<Document>, what: &str) -> Result<Job, Failure> {
    match document {
        Some(Document::Job(job)) => Ok(job),
        Some(Document::Component(c)) => Err(Failure::input(format!(
            "{what} is a {} component: `run` runs jobs; use it as a node of a pipeline job",
            c.kind()
        ))),
        Some(Document::Compute(_)) => Err(Failure::input(format!(
            "{what} is a compute: `run` runs pipeline and command jobs"
        ))),
        None => Err(Failure::input(format!("{what} could not be read"))),
    }
}

/// Runs `job` in the current folder with `flags`, showing it as it goes; `base_dir` is where
/// relative paths start when the job does not say. Ok when the pipeline completed.
pub(crate) fn execute(job: &Job, flags: &RunFlags, base_dir: Option<&Path>) -> Result<(), Failure> {
    let workspace = std::env::current_dir()
        .map_err(|e| Failure::input(format!("cannot read the current folder: {e}")))?;
    let mut options = RunOptions::new(workspace);
    options.base_dir = base_dir.map(Path::to_path_buf);
    if let Some(jobs) = flags.jobs {
        options.jobs = jobs as usize;
    }
    options.force_rerun = flags.force_rerun;
    options.data = data_map(&flags.data)?;
    if let Some(id) = &flags.run_id {
        check_run_id(id, &options.runs_dir())?;
        options.run_id = Some(id.clone());
    }

    let mut display = Display::new(flags.format);
    let signals = CancelOnSignals::register(&options.cancel);
    let result = run(job, &options, &mut |event| display.event(event));
    drop(signals);
    match result {
        Ok(report) => {
            display.finish(&report);
            if report.status == JobStatus::Completed {
                Ok(())
            } else {
                Err(Failure::quiet(1))
            }
        }
        Err(e) => Err(plan_failure(&e, flags.format)),
    }
}

/// Every reason a job cannot run, one `error: …` line each (and an `error` event in JSON).
fn plan_failure(e: &PlanError, format: Format) -> Failure {
    if format == Format::Json {
        crate::output::println(&crate::run_json::error(&e.problems));
    }
    for problem in &e.problems {
        eprintln!("error: {problem}");
    }
    Failure::quiet(1)
}

/// `--data` pairs as a map; the same name twice is a mistake worth saying.
fn data_map(pairs: &[(String, PathBuf)]) -> Result<IndexMap<String, PathBuf>, Failure> {
    let mut map = IndexMap::new();
    for (name, path) in pairs {
        if let Some(first) = map.insert(name.clone(), path.clone()) {
            return Err(Failure::usage(format!(
                "--data {name} is given twice ({} and {}): keep one",
                first.display(),
                path.display()
            )));
        }
    }
    Ok(map)
}

/// `NAME=PATH`, split at the last `=` (a URI may hold `=`, a path seldom does).
fn parse_data(s: &str) -> Result<(String, PathBuf), String> {
    match s.rsplit_once('=') {
        Some((name, path)) if !name.is_empty() && !path.is_empty() => {
            Ok((name.to_owned(), PathBuf::from(path)))
        }
        _ => Err(format!(
            "`{s}`: write NAME=PATH, such as --data raw_taxi=./data/taxi.csv"
        )),
    }
}

/// A run id is a folder name, and a new one: a run never writes into another's folder.
fn check_run_id(id: &str, runs_dir: &Path) -> Result<(), Failure> {
    let plain = !id.is_empty()
        && id != "."
        && id != ".."
        && !id.contains(['/', '\\'])
        && !id.chars().any(char::is_control);
    if !plain {
        return Err(Failure::usage(format!(
            "--run-id `{id}`: give a folder name (no `/`), such as --run-id nightly-42"
        )));
    }
    let dir = runs_dir.join(id);
    if dir.exists() {
        return Err(Failure::usage(format!(
            "--run-id {id}: {} already exists; choose another id or remove that folder",
            dir.display()
        )));
    }
    Ok(())
}

/// SIGINT, SIGTERM and SIGHUP (a closed terminal) set the cancel flag while it lives, instead of
/// killing the runner and leaving its nodes (each in its own process group, out of reach of the
/// terminal's Ctrl-C) running. A second one ends the runner at once (exit 130); its watchdog then
/// ends the nodes.
struct CancelOnSignals(Vec<signal_hook::SigId>);

impl CancelOnSignals {
    fn register(cancel: &Arc<AtomicBool>) -> Self {
        let mut ids = Vec::new();
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            // The first registration sees the flag still clear; the second one, already set.
            let registered =
                signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(cancel))
                    .and_then(|first| {
                        ids.push(first);
                        signal_hook::flag::register(signal, Arc::clone(cancel))
                    });
            match registered {
                Ok(id) => ids.push(id),
                Err(e) => eprintln!(
                    "warning: cannot catch signal {signal} ({e}): stopping this run would leave its nodes running"
                ),
            }
        }
        CancelOnSignals(ids)
    }
}

impl Drop for CancelOnSignals {
    fn drop(&mut self) {
        for id in self.0.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_pairs_split_at_the_last_equals() {
        assert_eq!(
            parse_data("raw=./a.csv").unwrap(),
            ("raw".to_owned(), PathBuf::from("./a.csv"))
        );
        assert_eq!(
            parse_data("https://x/y?a=b=/tmp/y").unwrap().0,
            "https://x/y?a=b"
        );
        assert!(parse_data("raw").is_err());
        assert!(parse_data("=x").is_err());
    }

    #[test]
    fn run_ids_are_new_folder_names() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("taken")).unwrap();
        assert!(check_run_id("nightly-1", dir.path()).is_ok());
        assert!(check_run_id("a/b", dir.path()).is_err());
        assert!(check_run_id("..", dir.path()).is_err());
        assert!(check_run_id("taken", dir.path()).is_err());
    }
}
