//! The examples' own command line (`pipeline_cli::main`), run as the real example binaries.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pipeline::Severity;

/// The example binary `name`, which `cargo test` builds beside the test binaries.
fn example(name: &str) -> PathBuf {
    let deps = std::env::current_exe().expect("the test binary's path");
    let bin = deps
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>")
        .join("examples")
        .join(name);
    assert!(bin.exists(), "{} is built by `cargo test`", bin.display());
    bin
}

fn run(name: &str, args: &[&str], dir: &Path) -> Output {
    Command::new(example(name))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the example runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_example_lists_emits_validates_and_draws_its_pipeline() {
    let dir = tempfile::tempdir().unwrap();
    let listed = run("nyc_taxi", &["list"], dir.path());
    assert!(listed.status.success());
    assert_eq!(
        text(&listed.stdout),
        "nyc_taxi  NYC taxi fare regression: prep → train → score → eval.\n"
    );

    let emitted = run("nyc_taxi", &["emit", "nyc_taxi"], dir.path());
    assert!(emitted.status.success(), "{}", text(&emitted.stderr));
    insta::assert_snapshot!("example_nyc_taxi", text(&emitted.stdout));

    let checked = run("nyc_taxi", &["validate", "nyc_taxi"], dir.path());
    assert!(checked.status.success(), "{}", text(&checked.stderr));
    assert!(text(&checked.stderr).contains("ok: 0 errors, 0 warnings in `nyc_taxi`"));

    let drawn = run(
        "nyc_taxi",
        &["graph", "nyc_taxi", "--format", "dot"],
        dir.path(),
    );
    assert!(drawn.status.success());
    assert!(
        text(&drawn.stdout).contains("job_prepped -> job_trained [label=\"train → data\"];"),
        "{}",
        text(&drawn.stdout)
    );
}

#[test]
fn emitted_elsewhere_with_component_files_and_set_inputs_it_still_validates() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        "nyc_taxi",
        &[
            "emit",
            "nyc_taxi",
            "-o",
            "out/taxi.yml",
            "--components",
            "out/components",
            "--set",
            "test_ratio=0.3",
            "--set",
            "raw=azureml:taxi_raw:2",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let job = std::fs::read_to_string(dir.path().join("out/taxi.yml")).unwrap();
    assert!(
        job.contains("    component: components/prep.yml\n"),
        "{job}"
    );
    assert!(
        job.contains("  test_ratio: 0.3\n") && job.contains("    path: azureml:taxi_raw:2\n"),
        "{job}"
    );
    // Each component once, its code folder rewritten to be found from there.
    let mut files: Vec<String> = std::fs::read_dir(dir.path().join("out/components"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["eval.yml", "prep.yml", "score.yml", "train.yml"]);
    let report = pipeline::validate::validate_path(dir.path().join("out/taxi.yml")).unwrap();
    let found: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| format!("{:?} {}", d.code, d.message))
        .collect();
    assert_eq!(
        report.count(Severity::Error) + report.count(Severity::Warning),
        0,
        "{found:#?}"
    );

    // Not replaced without --force, and left as it was.
    let again = run(
        "nyc_taxi",
        &["emit", "nyc_taxi", "-o", "out/taxi.yml"],
        dir.path(),
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains("--force"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/taxi.yml")).unwrap(),
        job
    );
}

#[test]
fn unusable_invocations_exit_2_and_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let unknown = run("nyc_taxi", &["emit", "nope"], dir.path());
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(
        text(&unknown.stderr),
        "error: nothing called `nope` here; defined: nyc_taxi\n"
    );
    let bad = run(
        "nyc_taxi",
        &["emit", "nyc_taxi", "--set", "test_ratio=fast"],
        dir.path(),
    );
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        text(&bad.stderr),
        "error: --set test_ratio=fast: `fast` is not a number value\n"
    );
    let no_input = run(
        "nyc_taxi",
        &["emit", "nyc_taxi", "--set", "lr=1"],
        dir.path(),
    );
    assert_eq!(no_input.status.code(), Some(2));
    assert!(
        text(&no_input.stderr).contains("the inputs: raw, test_ratio"),
        "{}",
        text(&no_input.stderr)
    );
}

/// Every example, everything it defines: its YAML as reviewed, and nothing for `validate` to say.
#[test]
fn every_example_emits_its_reviewed_yaml_and_validates_clean() {
    let dir = tempfile::tempdir().unwrap();
    for example in ["batch_scoring", "nested", "command_job", "compute_instance"] {
        let listed = run(example, &["list"], dir.path());
        assert!(listed.status.success());
        for line in text(&listed.stdout).lines() {
            let name = line.split_whitespace().next().unwrap();
            let emitted = run(example, &["emit", name], dir.path());
            assert!(
                emitted.status.success(),
                "{example} {name}: {}",
                text(&emitted.stderr)
            );
            insta::assert_snapshot!(format!("example_{example}_{name}"), text(&emitted.stdout));
            let checked = run(example, &["validate", name, "--deny-warnings"], dir.path());
            assert!(
                checked.status.success(),
                "{example} {name}: {}",
                text(&checked.stderr)
            );
        }
    }
}

#[test]
fn a_nested_pipeline_goes_to_a_file_beside_the_job_as_the_sdk_wants() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        "nested",
        &["emit", "nightly", "-o", "jobs/nightly.yml"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let job = std::fs::read_to_string(dir.path().join("jobs/nightly.yml")).unwrap();
    assert!(
        job.contains("    type: pipeline\n    component: training.yml\n"),
        "{job}"
    );
    let report = pipeline::validate::validate_path(dir.path().join("jobs/nightly.yml")).unwrap();
    let found: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| format!("{:?} {}", d.code, d.message))
        .collect();
    assert_eq!(
        report.count(Severity::Error) + report.count(Severity::Warning),
        0,
        "{found:#?}"
    );
}

#[test]
fn the_example_runs_its_pipeline_here_and_reuses_it_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    // `code` folders are the crate's, wherever the program runs; the run goes in the current one.
    let first = run(
        "nyc_taxi",
        &["run", "nyc_taxi", "--run-id", "one"],
        dir.path(),
    );
    let err = text(&first.stderr);
    assert_eq!(first.status.code(), Some(0), "{err}");
    assert!(err.contains("\npipeline Completed in "), "{err}");
    let report = dir
        .path()
        .join(".pipeline/runs/one/evaluated/outputs/report");
    assert!(report.is_dir(), "{err}");

    let second = run("nyc_taxi", &["run"], dir.path());
    let err = text(&second.stderr);
    assert_eq!(second.status.code(), Some(0), "{err}");
    for node in ["prepped", "trained", "scored", "evaluated"] {
        assert!(
            err.lines()
                .any(|l| l.trim_start().starts_with(node) && l.contains("Completed (reused)")),
            "{node} is reused: {err}"
        );
    }

    let nested = run(
        "nested",
        &["run", "nightly", "--format", "json"],
        dir.path(),
    );
    assert_eq!(nested.status.code(), Some(0), "{}", text(&nested.stderr));
    let last = text(&nested.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .to_owned();
    assert!(last.starts_with("{\"event\":\"summary\""), "{last}");
    assert!(
        last.contains("\"name\":\"trained/fitted\",\"status\":\"Completed\""),
        "{last}"
    );

    let unknown = run("nyc_taxi", &["run", "nope"], dir.path());
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn the_parallel_and_command_job_examples_run_here_and_say_where_their_outputs_are() {
    let dir = tempfile::tempdir().unwrap();
    let scoring = run("batch_scoring", &["run", "--run-id", "scoring"], dir.path());
    let err = text(&scoring.stderr);
    assert_eq!(scoring.status.code(), Some(0), "{err}");
    let scores = dir
        .path()
        .join(".pipeline/runs/scoring/scored/outputs/scores");
    assert!(
        err.contains(&format!("scores → {}", scores.display())),
        "{err}"
    );
    // Rows of scores (file, distance, fare), one per trip.
    let rows = std::fs::read_to_string(scores.join("parallel_run_step.txt")).unwrap();
    assert!(rows.lines().count() > 1, "{rows}");
    assert!(rows.lines().all(|l| l.split(',').count() == 3), "{rows}");

    let job = run("command_job", &["run", "--run-id", "job"], dir.path());
    let err = text(&job.stderr);
    assert_eq!(job.status.code(), Some(0), "{err}");
    assert!(err.contains("outputs:\n  model → "), "{err}");

    // A compute is not something to run.
    let compute = run("compute_instance", &["run"], dir.path());
    assert_eq!(compute.status.code(), Some(1));
    assert!(text(&compute.stderr).contains("is a compute: `run` runs pipeline and command jobs"));
}
