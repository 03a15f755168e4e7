//! Runs a pipeline on this machine, as Azure ML would run it on a cluster: nodes in dependency
//! order, independent ones at the same time, each in its own folder of a run, with Azure ML's
//! statuses, timeouts, `continue_on_step_failure`, reuse of unchanged nodes, and cancellation.
//!
//! Environments are not built: every node runs with the tools of this machine.
//!
//! ```
//! use pipeline_core::run::{run, RunOptions};
//! use pipeline_core::{JobStatus, job_from_str};
//!
//! let job = job_from_str(r#"
//! type: pipeline
//! inputs: {greeting: hello}
//! jobs:
//!   say:
//!     command: echo ${{inputs.text}} > ${{outputs.out}}/said.txt
//!     environment: azureml:AzureML-sklearn-1.0@latest
//!     inputs: {text: "${{parent.inputs.greeting}}"}
//!     outputs: {out: {type: uri_folder}}
//! "#).unwrap();
//! let workspace = tempfile::tempdir().unwrap();
//! let options = RunOptions::new(workspace.path());
//! let report = run(&job, &options, &mut |_event| {}).unwrap();
//! assert_eq!(report.status, JobStatus::Completed);
//! let said = report.nodes[0].outputs["out"].join("said.txt");
//! assert_eq!(std::fs::read_to_string(said).unwrap(), "hello\n");
//! ```

mod command;
mod copy;
mod events;
mod parallel_task;
mod plan;
mod process;
mod render;
mod reuse;
mod schedule;
mod step;
mod supervise;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use indexmap::IndexMap;

use crate::model::{Job, JobStatus};

pub use events::Event;
pub use plan::PlanError;

/// How to run: where, how many nodes at once, which data stands for which `azureml:` asset.
///
/// ```
/// use std::sync::atomic::Ordering;
/// use pipeline_core::run::RunOptions;
///
/// let mut options = RunOptions::new("/tmp/ws");
/// options.jobs = 2;
/// options.data.insert("raw_taxi".into(), "/data/taxi-sample".into());
/// // A signal handler holds a clone of the flag and sets it to cancel the run.
/// let cancel = options.cancel.clone();
/// cancel.store(true, Ordering::SeqCst);
/// assert!(options.cancel.load(Ordering::SeqCst));
/// ```
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The folder that holds `.pipeline/` (runs and the reuse cache): the current folder for the
    /// CLI.
    pub workspace: PathBuf,
    /// Where relative local paths (`code`, input `path`) resolve when the job does not say where
    /// it was read from: the YAML's folder, or the defining crate's folder for Rust pipelines.
    pub base_dir: Option<PathBuf>,
    /// How many nodes run at the same time (at least 1).
    pub jobs: usize,
    /// Run every node even when an earlier run's outputs could be reused.
    pub force_rerun: bool,
    /// Local paths for `azureml:` data assets and remote URIs, keyed by the asset's name
    /// (`raw_taxi`, `raw_taxi:3`, `raw_taxi@latest`) or by the whole URI.
    pub data: IndexMap<String, PathBuf>,
    /// Set it (from a signal handler, another thread) to cancel the run: running nodes are
    /// killed with their whole process group, and the run ends `Canceled`.
    pub cancel: Arc<AtomicBool>,
    /// The run's id (its folder's name under `.pipeline/runs/`); made from the time if unset.
    pub run_id: Option<String>,
}

impl RunOptions {
    /// Options to run in `workspace` with as many nodes at once as the machine has cores.
    ///
    /// ```
    /// let options = pipeline_core::run::RunOptions::new("/tmp/ws");
    /// assert!(options.jobs >= 1);
    /// assert!(!options.force_rerun);
    /// ```
    pub fn new(workspace: impl Into<PathBuf>) -> Self {
        RunOptions {
            workspace: workspace.into(),
            base_dir: None,
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            force_rerun: false,
            data: IndexMap::new(),
            cancel: Arc::new(AtomicBool::new(false)),
            run_id: None,
        }
    }

    /// The folder of all runs: `<workspace>/.pipeline/runs`.
    ///
    /// ```
    /// let options = pipeline_core::run::RunOptions::new("ws");
    /// assert_eq!(options.runs_dir(), std::path::Path::new("ws/.pipeline/runs"));
    /// ```
    pub fn runs_dir(&self) -> PathBuf {
        self.workspace.join(".pipeline").join("runs")
    }
}

/// How a run ended, node by node.
///
/// ```
/// use pipeline_core::run::{run, RunOptions};
/// use pipeline_core::{JobStatus, job_from_str};
///
/// let job = job_from_str(r#"
/// type: pipeline
/// outputs: {words: {type: uri_folder}}
/// jobs:
///   count:
///     command: echo 3 > ${{outputs.n}}/n.txt
///     environment: azureml:AzureML-sklearn-1.0@latest
///     outputs: {n: "${{parent.outputs.words}}"}
/// "#).unwrap();
/// let workspace = tempfile::tempdir().unwrap();
/// let report = run(&job, &RunOptions::new(workspace.path()), &mut |_| {}).unwrap();
/// assert_eq!(report.status, JobStatus::Completed);
/// assert!(report.dir.starts_with(workspace.path().join(".pipeline/runs")));
/// // The pipeline's output is the node's, in the run's folder.
/// assert_eq!(report.outputs["words"], report.dir.join("count/outputs/n"));
/// ```
#[derive(Debug, Clone)]
pub struct RunReport {
    /// The run's id.
    pub run_id: String,
    /// The run's folder: `.pipeline/runs/<run-id>`.
    pub dir: PathBuf,
    /// The pipeline's final status: `Completed`, `Failed` or `Canceled`.
    pub status: JobStatus,
    /// Every node that runs, in the order they were planned (dependencies first).
    pub nodes: Vec<NodeReport>,
    /// The pipeline's outputs (`outputs:` of the job), where they are on disk.
    pub outputs: IndexMap<String, PathBuf>,
    /// How long the run took.
    pub duration: Duration,
}

/// How one node ended.
///
/// ```
/// use pipeline_core::run::{run, RunOptions};
/// use pipeline_core::{JobStatus, job_from_str};
///
/// let job = job_from_str("
/// type: pipeline
/// jobs:
///   broken: {command: exit 3, environment: azureml:AzureML-sklearn-1.0@latest}
/// ").unwrap();
/// let workspace = tempfile::tempdir().unwrap();
/// let report = run(&job, &RunOptions::new(workspace.path()), &mut |_| {}).unwrap();
/// let node = &report.nodes[0];
/// assert_eq!((node.name.as_str(), node.status), ("broken", JobStatus::Failed));
/// assert_eq!(node.error.as_deref(), Some("the command failed with exit code 3"));
/// assert!(node.log.ends_with("broken/user_logs/std_log.txt"));
/// ```
#[derive(Debug, Clone)]
pub struct NodeReport {
    /// The node's name; a node of a nested pipeline is `outer/inner`.
    pub name: String,
    /// Its final status; `NotStarted` when a failure upstream kept it from starting.
    pub status: JobStatus,
    /// Whether its outputs were those of an earlier run.
    pub reused: bool,
    /// How long it ran (zero when it did not start).
    pub duration: Duration,
    /// Its log: `<run>/<node>/user_logs/std_log.txt`.
    pub log: PathBuf,
    /// Why it failed, when it did.
    pub error: Option<String>,
    /// Its outputs, by port.
    pub outputs: IndexMap<String, PathBuf>,
}

/// Runs `job` (a pipeline job or a standalone command job) with `options`, telling `on_event`
/// each change of status as it happens.
///
/// Returns an error before anything starts when the job cannot run here (a node kind that only
/// runs on Azure, an `azureml:` asset without `--data`, a missing required input); otherwise the
/// report, whatever the pipeline's final status.
///
/// ```
/// use pipeline_core::run::{run, RunOptions};
///
/// let job = pipeline_core::job_from_str("
/// type: pipeline
/// jobs:
///   etl: {type: spark, entry: {file: etl.py}}
/// ").unwrap();
/// let err = run(&job, &RunOptions::new("ws"), &mut |_| {}).unwrap_err();
/// assert!(err.to_string().contains("cannot run locally: spark node etl"));
/// ```
pub fn run(
    job: &Job,
    options: &RunOptions,
    on_event: &mut dyn FnMut(&Event),
) -> Result<RunReport, PlanError> {
    let plan = plan::plan(job, options)?;
    schedule::execute(plan, options, on_event)
}

/// Creates the run's folder, exclusively: `requested` must name a folder that does not exist; a
/// new id is the time to the millisecond, with `-1`, `-2`… when runs started together took it.
/// `mkdir` either creates the folder or fails, so no two runs ever share one.
pub(crate) fn create_run_dir(
    runs_dir: &Path,
    requested: Option<&str>,
) -> Result<(String, PathBuf), String> {
    fs::create_dir_all(runs_dir)
        .map_err(|e| format!("cannot create the runs folder {}: {e}", runs_dir.display()))?;
    let try_create = |id: &str| -> Result<Option<PathBuf>, String> {
        let dir = runs_dir.join(id);
        match fs::create_dir(&dir) {
            Ok(()) => Ok(Some(dir)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(None),
            Err(e) => Err(format!(
                "cannot create the run folder {}: {e}",
                dir.display()
            )),
        }
    };
    if let Some(id) = requested {
        return match try_create(id)? {
            Some(dir) => Ok((id.to_owned(), dir)),
            None => Err(format!(
                "run folder {} already exists: a run never writes into another's folder; choose another --run-id",
                runs_dir.join(id).display()
            )),
        };
    }
    let base = time_id();
    let mut id = base.clone();
    for n in 1.. {
        if let Some(dir) = try_create(&id)? {
            return Ok((id, dir));
        }
        id = format!("{base}-{n}");
    }
    unreachable!("the loop returns or fails")
}

/// The current time as a run id: `20261204-173828-147` (UTC, to the millisecond).
fn time_id() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}{m:02}{d:02}-{:02}{:02}{:02}-{:03}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        now.subsec_millis()
    )
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_413), (2025, 11, 21));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
