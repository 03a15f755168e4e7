//! Parallel nodes (`type: parallel`, task `run_function`), run as Azure ML's parallel job runs
//! them: `input_data` split into mini-batches, `init()` once per worker and `run(mini_batch)`
//! once per mini-batch on a pool of Python workers, failed mini-batches tried again, the node
//! failed once more fail than its thresholds allow, the rows `run()` returns appended to
//! `append_row_to`.
//!
//! - `batches`: the split by `mini_batch_size`;
//! - `arguments`: `program_arguments` split as Azure ML's parallel runtime splits them;
//! - `inputs`, `mltable`: `input_data`'s files (a folder, a file, an MLTable);
//! - `worker`, `driver.py`: one Python worker and its protocol;
//! - `pool`: dispatch, retries, timeouts, thresholds, cancel;
//! - `log`: the node's `user_logs/std_log.txt`.

mod arguments;
mod batches;
mod inputs;
mod log;
mod mltable;
mod pool;
mod worker;

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use indexmap::IndexMap;

use super::plan::{OutputShape, ParallelTask, Step};
use super::render::{self, Bound};
use super::step::{Context, Outcome, StepDirs, environment};
use log::Log;
use pool::{End, Fate, Settings, Tally};
use worker::Spec;

/// What each worker runs, written into the node's folder as `parallel_driver.py`.
const DRIVER: &str = include_str!("driver.py");

/// The file `append_row_to` a folder writes, as Azure ML names it.
const APPEND_FILE: &str = "parallel_run_step.txt";

pub(crate) fn run(
    step: &Step,
    task: &ParallelTask,
    dirs: &StepDirs,
    inputs: &IndexMap<String, Option<super::render::InputText>>,
    outputs: &IndexMap<String, String>,
    cx: &Context<'_>,
) -> Result<Outcome, String> {
    let node = &step.name;
    // Every message names the node: the run's display shows it beside other nodes'.
    let fail = |what: String| format!("parallel node {node}: {what}");
    let mut log = Log::create(&dirs.log()).map_err(fail)?;
    let bound = Bound {
        inputs,
        outputs,
        node,
    };

    let data_path = render::text(&task.input_data, &bound)
        .map_err(|e| fail(format!("input_data {}: {e}", task.input_data)))?;
    let data = inputs::list(Path::new(&data_path)).map_err(|e| {
        fail(format!(
            "input_data: {e}; it must be a folder, a file or an MLTable folder"
        ))
    })?;
    for note in &data.notes {
        log.line(note);
    }
    let file_count = data.files.len();
    let batches = batches::split(data.files, &task.mini_batch_size).map_err(fail)?;

    let script = dirs.code.join(&task.entry_script);
    if !script.is_file() {
        return Err(fail(format!(
            "entry_script {} is not in its code folder {}; check `task.code` and `task.entry_script`",
            task.entry_script,
            dirs.code.display()
        )));
    }
    // No shell reads these on Azure ML: values go in as they are, then the runtime splits them.
    let arguments = match &task.program_arguments {
        Some(t) => arguments::split(
            &render::text(t, &bound).map_err(|e| fail(format!("program_arguments: {e}")))?,
        ),
        None => Vec::new(),
    };
    let rows_target = append_target(task, step, &bound).map_err(fail)?;

    let workers = usize::try_from(task.workers)
        .unwrap_or(usize::MAX)
        .clamp(1, batches.len().max(1));
    let settings = Settings {
        workers,
        max_tries: task.max_retries.max(1),
        timeout: task.batch_timeout,
        error_threshold: task.error_threshold,
        mini_batch_error_threshold: task.mini_batch_error_threshold,
    };
    log.line(format!(
        "{file_count} file(s) from {} {data_path}, in {} mini-batch(es) of {}; {workers} worker(s) running {}",
        data.kind,
        batches.len(),
        task.mini_batch_size,
        task.entry_script
    ));
    log.line(format!(
        "each mini-batch tried up to {} time(s), {} s each (retry_settings); error_threshold {}, mini_batch_error_threshold {}",
        settings.max_tries,
        settings.timeout.as_secs(),
        settings.error_threshold,
        settings.mini_batch_error_threshold
    ));

    let driver = dirs.root.join("parallel_driver.py");
    fs::write(&driver, DRIVER)
        .map_err(|e| fail(format!("cannot write {}: {e}", driver.display())))?;
    let rows_dir = dirs.root.join("mini_batches");
    fs::create_dir_all(&rows_dir)
        .map_err(|e| fail(format!("cannot create {}: {e}", rows_dir.display())))?;

    let spec = Spec {
        driver,
        code: dirs.code.clone(),
        entry_script: task.entry_script.clone(),
        logging_level: task.logging_level.as_str(),
        arguments,
        env: environment(step, cx.run_dir),
        logs: dirs.logs.clone(),
    };
    if cx.cancel.load(Ordering::SeqCst) {
        return Ok(Outcome::Canceled);
    }
    let job = pool::Job {
        batches: &batches,
        rows_dir: &rows_dir,
        spec: &spec,
        settings: &settings,
        cancel: cx.cancel,
        progress: cx.progress,
    };
    let (end, tally) = if batches.is_empty() {
        log.line("input_data has no files: nothing to run");
        (End::Completed, pool::Tally::empty())
    } else {
        pool::run(&job, &mut log)
    };
    if end == End::Canceled {
        let _ = fs::remove_dir_all(&rows_dir);
        return Ok(Outcome::Canceled);
    }

    // The rows of the mini-batches that succeeded, in mini-batch order, also when the node
    // failed: they tell how far it got.
    let appended = match &rows_target {
        Some(target) => Some(
            append_rows(&tally, &rows_dir, target)
                .map_err(|e| fail(format!("cannot write {}: {e}", target.display())))?,
        ),
        None => None,
    };
    let _ = fs::remove_dir_all(&rows_dir);
    log.line(summary(&tally, appended, rows_target.as_deref()));
    Ok(match end {
        End::Completed => Outcome::Completed { reused: false },
        End::Failed(why) => Outcome::Failed(fail(why)),
        End::Canceled => Outcome::Canceled,
    })
}

/// Where the rows go: the file of a `uri_file` output, `parallel_run_step.txt` in a folder.
fn append_target(
    task: &ParallelTask,
    step: &Step,
    bound: &Bound<'_>,
) -> Result<Option<PathBuf>, String> {
    let Some(template) = &task.append_row_to else {
        return Ok(None);
    };
    let path =
        render::text(template, bound).map_err(|e| format!("append_row_to {template}: {e}"))?;
    let shape = inputs::output_named(template).and_then(|o| step.outputs.get(o));
    Ok(Some(if shape == Some(&OutputShape::File) {
        PathBuf::from(path)
    } else {
        Path::new(&path).join(APPEND_FILE)
    }))
}

/// Writes the rows of every mini-batch that succeeded into `target`; returns how many.
fn append_rows(tally: &Tally, rows_dir: &Path, target: &Path) -> io::Result<u64> {
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut out = io::BufWriter::new(File::create(target)?);
    let mut count = 0;
    for (batch, fate) in tally.fates.iter().enumerate() {
        if let Fate::Succeeded { rows } = fate {
            if *rows > 0 {
                io::copy(
                    &mut File::open(rows_dir.join(format!("{batch}.txt")))?,
                    &mut out,
                )?;
            }
            count += rows;
        }
    }
    io::Write::flush(&mut out)?;
    Ok(count)
}

fn summary(tally: &Tally, appended: Option<u64>, target: Option<&Path>) -> String {
    let succeeded = tally
        .fates
        .iter()
        .filter(|f| matches!(f, Fate::Succeeded { .. }))
        .count();
    let rows = match (appended, target) {
        (Some(n), Some(t)) => format!("{n} row(s) appended to {}", t.display()),
        _ => "rows not kept (no append_row_to)".to_owned(),
    };
    format!(
        "summary: {} mini-batch(es): {succeeded} succeeded, {} failed, {} not run; {} retried; items: {} succeeded, {} failed; {rows}",
        tally.fates.len(),
        tally.failed_batches,
        tally.fates.len() - succeeded - tally.failed_batches as usize,
        tally.retries,
        tally.succeeded_items,
        tally.failed_items,
    )
}
