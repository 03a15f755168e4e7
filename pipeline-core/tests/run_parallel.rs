//! Parallel nodes run locally with real Python workers: mini-batches, rows appended in order,
//! retries, thresholds, timeouts, init() failures, cancel.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use pipeline_core::JobStatus;
use pipeline_core::run::{Event, RunOptions, RunReport, run};

/// The entry script of every test: `run()` writes one row per file; the file `f3.txt` behaves as
/// the `MODE` environment variable says.
const SCORE_PY: &str = r#"
import argparse
import os
import time

prefix = None


def init():
    global prefix
    parser = argparse.ArgumentParser()
    parser.add_argument("--prefix", required=True)
    args, _ = parser.parse_known_args()
    prefix = args.prefix
    if os.environ.get("MODE") == "init_fails":
        raise RuntimeError("no model here")
    print("init done on node", os.environ["AZUREML_NODE_NAME"])


def run(mini_batch):
    names = [os.path.basename(f) for f in mini_batch]
    print("scoring", names)
    mode = os.environ.get("MODE")
    if names[0] == "f0.txt":
        time.sleep(0.3)  # the first mini-batch ends last
    if "f3.txt" in names:
        if mode == "fail_once" and not os.path.exists("tried_f3"):
            open("tried_f3", "w").close()
            raise ValueError("first try fails")
        if mode == "always_fail":
            raise ValueError("f3 is unreadable")
        if mode == "hang":
            time.sleep(60)
        if mode == "short":
            return [f"{prefix}:{names[0]}"]
    return [f"{prefix}:{n}" for n in names]
"#;

/// A workspace with `data/f0.txt`…`data/f6.txt`, `src/score.py` and `pipeline.yml` whose
/// parallel node `score` has `settings` added and runs with `MODE=mode`.
fn workspace(mode: &str, settings: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("data")).unwrap();
    for i in 0..7 {
        fs::write(root.join(format!("data/f{i}.txt")), format!("file {i}\n")).unwrap();
    }
    fs::create_dir_all(root.join("src")).unwrap();
    fs::write(root.join("src/score.py"), SCORE_PY).unwrap();
    let yaml = format!(
        r#"$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json
type: pipeline
inputs:
  images: {{type: uri_folder, path: ./data}}
jobs:
  score:
    type: parallel
    inputs:
      images: ${{{{parent.inputs.images}}}}
      prefix: scored
    outputs:
      scored: {{type: uri_folder}}
    input_data: ${{{{inputs.images}}}}
    mini_batch_size: "3"
    resources:
      instance_count: 1
    max_concurrency_per_instance: 2
    logging_level: DEBUG
    environment_variables:
      MODE: {mode}
{settings}
    task:
      type: run_function
      code: ./src
      entry_script: score.py
      program_arguments: --prefix ${{{{inputs.prefix}}}}
      append_row_to: ${{{{outputs.scored}}}}
"#
    );
    let path = root.join("pipeline.yml");
    fs::write(&path, yaml).unwrap();
    (dir, path)
}

fn run_in(dir: &Path, pipeline: &Path) -> (RunReport, Vec<Event>) {
    let job = pipeline_core::load_job(pipeline).unwrap();
    let mut events = Vec::new();
    let report = run(&job, &RunOptions::new(dir), &mut |e| events.push(e.clone())).unwrap();
    (report, events)
}

fn rows(report: &RunReport) -> String {
    fs::read_to_string(report.nodes[0].outputs["scored"].join("parallel_run_step.txt")).unwrap()
}

fn std_log(report: &RunReport) -> String {
    fs::read_to_string(&report.nodes[0].log).unwrap()
}

fn all_rows() -> String {
    (0..7).map(|i| format!("scored:f{i}.txt\n")).collect()
}

#[test]
fn mini_batches_run_on_workers_and_rows_are_appended_in_order() {
    let (dir, pipeline) = workspace("plain", "");
    let (report, events) = run_in(dir.path(), &pipeline);
    let node = &report.nodes[0];
    assert_eq!(node.status, JobStatus::Completed, "{:?}", node.error);
    // f0's mini-batch ends last, yet its rows come first.
    assert_eq!(rows(&report), all_rows());
    let progress: Vec<(u64, u64)> = events
        .iter()
        .filter_map(|e| match e {
            Event::Progress { done, total, .. } => Some((*done, *total)),
            _ => None,
        })
        .collect();
    assert_eq!(progress.last(), Some(&(3, 3)), "{progress:?}");
    let log = std_log(&report);
    assert!(log.contains("7 file(s) from a folder"), "{log}");
    assert!(
        log.contains("in 3 mini-batch(es) of 3; 2 worker(s)"),
        "{log}"
    );
    assert!(
        log.contains("summary: 3 mini-batch(es): 3 succeeded, 0 failed"),
        "{log}"
    );
    // The script's prints are in the workers' logs, not in the protocol.
    let logs = node.log.parent().unwrap();
    let workers = fs::read_to_string(logs.join("worker_0.txt")).unwrap()
        + &fs::read_to_string(logs.join("worker_1.txt")).unwrap();
    assert!(workers.contains("init done on node score"), "{workers}");
    assert!(
        workers.contains("scoring ['f0.txt', 'f1.txt', 'f2.txt']"),
        "{workers}"
    );
}

#[test]
fn a_mini_batch_that_fails_once_is_retried() {
    let (dir, pipeline) = workspace("fail_once", "    mini_batch_error_threshold: 0\n");
    let (report, _) = run_in(dir.path(), &pipeline);
    let node = &report.nodes[0];
    assert_eq!(node.status, JobStatus::Completed, "{:?}", node.error);
    assert_eq!(rows(&report), all_rows());
    let log = std_log(&report);
    assert!(
        log.contains("mini-batch 1 failed on try 1 of 3")
            && log.contains("ValueError: first try fails; retrying"),
        "{log}"
    );
    assert!(log.contains("1 retried"), "{log}");
}

#[test]
fn failures_past_mini_batch_error_threshold_fail_the_node() {
    let settings = "    mini_batch_error_threshold: 0\n    retry_settings: {max_retries: 2}\n";
    let (dir, pipeline) = workspace("always_fail", settings);
    let (report, _) = run_in(dir.path(), &pipeline);
    let node = &report.nodes[0];
    assert_eq!(node.status, JobStatus::Failed);
    let error = node.error.as_deref().unwrap();
    assert!(
        error.starts_with(
            "parallel node score: 1 mini-batch failed, more than mini_batch_error_threshold 0; see user_logs/worker_"
        ),
        "{error}"
    );
    let log = std_log(&report);
    assert!(log.contains("failed on try 2 of 2"), "{log}");
    assert!(log.contains("ValueError: f3 is unreadable"), "{log}");
}

#[test]
fn failures_are_ignored_with_threshold_minus_one() {
    let settings = "    mini_batch_error_threshold: -1\n    retry_settings: {max_retries: 2}\n";
    let (dir, pipeline) = workspace("always_fail", settings);
    let (report, _) = run_in(dir.path(), &pipeline);
    assert_eq!(report.nodes[0].status, JobStatus::Completed);
    // The rows of mini-batches 0 and 2; mini-batch 1 (f3, f4, f5) failed.
    assert_eq!(
        rows(&report),
        "scored:f0.txt\nscored:f1.txt\nscored:f2.txt\nscored:f6.txt\n"
    );
    let log = std_log(&report);
    assert!(log.contains("2 succeeded, 1 failed"), "{log}");
    assert!(log.contains("items: 4 succeeded, 3 failed"), "{log}");
}

#[test]
fn missing_rows_count_as_failed_items() {
    // Mini-batch 1 returns one row for three files: two items failed, more than 1.
    let (dir, pipeline) = workspace("short", "    error_threshold: 1\n");
    let (report, _) = run_in(dir.path(), &pipeline);
    let node = &report.nodes[0];
    assert_eq!(node.status, JobStatus::Failed);
    let error = node.error.as_deref().unwrap();
    assert!(
        error.contains("2 items failed, more than error_threshold 1"),
        "{error}"
    );
}

#[test]
fn a_mini_batch_past_its_timeout_is_killed_and_tried_again() {
    let settings = "    retry_settings: {max_retries: 2, timeout: 1}\n";
    let (dir, pipeline) = workspace("hang", settings);
    let started = Instant::now();
    let (report, _) = run_in(dir.path(), &pipeline);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    // Azure ML's default thresholds (-1) let the node complete without the hung mini-batch.
    assert_eq!(report.nodes[0].status, JobStatus::Completed);
    let log = std_log(&report);
    assert!(
        log.contains("mini-batch 1 failed on try 1 of 2")
            && log.contains("timed out after 1 s (retry_settings.timeout)"),
        "{log}"
    );
    assert!(log.contains("restarted after a timeout"), "{log}");
    assert!(log.contains("failed on try 2 of 2"), "{log}");
    assert_eq!(
        rows(&report),
        "scored:f0.txt\nscored:f1.txt\nscored:f2.txt\nscored:f6.txt\n"
    );
}

#[test]
fn init_failing_on_every_worker_fails_the_node() {
    let (dir, pipeline) = workspace("init_fails", "");
    let (report, _) = run_in(dir.path(), &pipeline);
    let node = &report.nodes[0];
    assert_eq!(node.status, JobStatus::Failed);
    let error = node.error.as_deref().unwrap();
    assert!(
        error.contains("no worker could run the 3 mini-batches left: RuntimeError: no model here; see user_logs/worker_"),
        "{error}"
    );
    let worker_log = node.log.with_file_name("worker_0.txt");
    let traceback = fs::read_to_string(worker_log).unwrap();
    assert!(traceback.contains("Traceback"), "{traceback}");
}

#[test]
fn cancel_kills_the_workers() {
    let (dir, pipeline) = workspace("hang", "");
    let job = pipeline_core::load_job(&pipeline).unwrap();
    let options = RunOptions::new(dir.path());
    let cancel = options.cancel.clone();
    let started = Instant::now();
    let report = std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(Duration::from_millis(1500));
            cancel.store(true, Ordering::SeqCst);
        });
        run(&job, &options, &mut |_| {}).unwrap()
    });
    assert_eq!(report.status, JobStatus::Canceled);
    assert_eq!(report.nodes[0].status, JobStatus::Canceled);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn an_mltable_is_split_by_size_and_rows_go_to_a_uri_file_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("table/parts")).unwrap();
    for (name, bytes) in [
        ("a.csv", 600),
        ("b.csv", 600),
        ("c.csv", 100),
        ("x.txt", 10),
    ] {
        fs::write(root.join("table/parts").join(name), vec![b'1'; bytes]).unwrap();
    }
    fs::write(
        root.join("table/MLTable"),
        "type: mltable\npaths:\n  - pattern: ./parts/*.csv\n",
    )
    .unwrap();
    fs::create_dir_all(root.join("src")).unwrap();
    fs::write(
        root.join("src/count.py"),
        "import os\n\ndef run(mini_batch):\n    return [f'{os.path.basename(f)} {os.path.getsize(f)}' for f in mini_batch]\n",
    )
    .unwrap();
    let yaml = r#"type: pipeline
jobs:
  count:
    type: parallel
    inputs:
      table: {type: mltable, path: ./table}
    outputs:
      sizes: {type: uri_file, path: azureml://datastores/workspaceblobstore/paths/sizes.txt}
    input_data: ${{inputs.table}}
    mini_batch_size: "1kb"
    task:
      type: run_function
      code: ./src
      entry_script: count.py
      append_row_to: ${{outputs.sizes}}
"#;
    let pipeline = root.join("pipeline.yml");
    fs::write(&pipeline, yaml).unwrap();
    let (report, _) = run_in(root, &pipeline);
    let node = &report.nodes[0];
    assert_eq!(node.status, JobStatus::Completed, "{:?}", node.error);
    let sizes = fs::read_to_string(&node.outputs["sizes"]).unwrap();
    assert_eq!(sizes, "a.csv 600\nb.csv 600\nc.csv 100\n");
    let log = std_log(&report);
    assert!(log.contains("3 file(s) from an MLTable"), "{log}");
    assert!(log.contains("in 2 mini-batch(es) of 1kb"), "{log}");
}

#[test]
fn a_parallel_component_runs_from_its_own_folder() {
    let (dir, _) = workspace("plain", "");
    let root = dir.path();
    fs::create_dir_all(root.join("components")).unwrap();
    fs::write(
        root.join("components/score.yml"),
        r#"$schema: https://azuremlschemas.azureedge.net/latest/parallelComponent.schema.json
type: parallel
name: score
inputs:
  images: {type: uri_folder}
  prefix: {type: string, default: comp}
outputs:
  scored: {type: uri_folder}
input_data: ${{inputs.images}}
mini_batch_size: "2"
max_concurrency_per_instance: 3
task:
  type: run_function
  code: ../src
  entry_script: score.py
  program_arguments: --prefix ${{inputs.prefix}}
  append_row_to: ${{outputs.scored}}
"#,
    )
    .unwrap();
    let pipeline = root.join("with_component.yml");
    fs::write(
        &pipeline,
        r#"type: pipeline
jobs:
  score:
    type: parallel
    component: ./components/score.yml
    inputs:
      images: {type: uri_folder, path: ./data}
"#,
    )
    .unwrap();
    let (report, _) = run_in(root, &pipeline);
    let node = &report.nodes[0];
    assert_eq!(node.status, JobStatus::Completed, "{:?}", node.error);
    let expected: String = (0..7).map(|i| format!("comp:f{i}.txt\n")).collect();
    assert_eq!(rows(&report), expected);
    let log = std_log(&report);
    assert!(
        log.contains("in 4 mini-batch(es) of 2; 3 worker(s)"),
        "{log}"
    );
}
