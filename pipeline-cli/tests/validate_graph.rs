//! `pipeline validate` and `pipeline graph`, run as the real binary.

mod support;

use std::fs;
use std::path::Path;

use support::{pipeline, text};

const CLEAN: &str = "$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json
type: pipeline
settings: {default_compute: 'azureml:cpu-cluster'}
inputs: {lr: 0.1}
jobs:
  train:
    command: python -c 'print(${{inputs.lr}})'
    environment: azureml:AzureML-sklearn-1.0@latest
    inputs: {lr: '${{parent.inputs.lr}}'}
    outputs: {model: {type: uri_folder}}
  report:
    command: echo ${{inputs.model}}
    environment: azureml:AzureML-sklearn-1.0@latest
    inputs: {model: '${{parent.jobs.train.outputs.model}}'}
    outputs: {x: {type: uri_folder}}
";

fn fixture(dir: &Path, name: &str, text: &str) {
    fs::write(dir.join(name), text).unwrap();
}

#[test]
fn clean_files_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path(), "ok.yml", CLEAN);
    let out = pipeline(&["validate", "ok.yml"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "ok: 0 errors, 0 warnings in 1 file\n");
}

#[test]
fn errors_exit_1_with_the_offending_line() {
    let dir = tempfile::tempdir().unwrap();
    fixture(
        dir.path(),
        "cycle.yml",
        &CLEAN.replace("${{parent.inputs.lr}}", "${{parent.jobs.report.outputs.x}}"),
    );
    let out = pipeline(&["validate", "cycle.yml"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("E027"), "{err}");
    assert!(
        err.contains("these nodes depend on each other in a circle: train → report → train"),
        "{err}"
    );
    assert!(
        err.contains(" 6 │   train:"),
        "the offending line is shown: {err}"
    );
    assert!(err.contains("--> cycle.yml:6:3"), "{err}");
    assert!(
        err.ends_with("failed: 1 error, 0 warnings in 1 file\n"),
        "{err}"
    );
}

#[test]
fn warnings_pass_unless_denied() {
    let dir = tempfile::tempdir().unwrap();
    fixture(
        dir.path(),
        "warn.yml",
        &CLEAN.replace("{default_compute", "{force_rerum: true, default_compute"),
    );
    let out = pipeline(&["validate", "warn.yml"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("did you mean `force_rerun`?"));
    let out = pipeline(&["validate", "--deny-warnings", "warn.yml"], dir.path());
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn json_for_tools() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path(), "ok.yml", CLEAN);
    fixture(dir.path(), "bad.yml", &CLEAN.replace("train:", "Train:"));
    let out = pipeline(
        &["validate", "--format", "json", "ok.yml", "bad.yml"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let json = text(&out.stdout);
    // One object a line, in an array.
    assert!(json.starts_with("[\n  {\"file\":\"bad.yml\","), "{json}");
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    let first = &parsed[0];
    assert_eq!(
        (
            &first["file"],
            &first["line"],
            &first["column"],
            &first["path"],
            &first["code"],
            &first["severity"]
        ),
        (
            &serde_json::json!("bad.yml"),
            &serde_json::json!(6),
            &serde_json::json!(3),
            &serde_json::json!("jobs.Train"),
            &serde_json::json!("E011"),
            &serde_json::json!("error")
        )
    );
    assert!(
        out.stderr.is_empty(),
        "JSON mode prints nothing else: {}",
        text(&out.stderr)
    );
}

#[test]
fn unusable_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["validate"][..],
        &["validate", "missing.yml"],
        &["validate", "--format", "xml", "a.yml"],
        &["graph", "missing.yml"],
    ] {
        let out = pipeline(args, dir.path());
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn graph_draws_nodes_components_and_ports() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path(), "p.yml", CLEAN);
    let out = pipeline(&["graph", "p.yml"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "flowchart LR\n  in_lr[/\"input: lr\"/]\n  job_train[\"train<br/><small>command</small>\"]\n  job_report[\"report<br/><small>command</small>\"]\n  in_lr -->|\"lr\"| job_train\n  job_train -->|\"model\"| job_report\n"
    );
    let out = pipeline(&["graph", "--format", "dot", "p.yml"], dir.path());
    assert!(text(&out.stdout).contains("job_train -> job_report [label=\"model\"];"));

    fixture(
        dir.path(),
        "job.yml",
        "type: command\ncommand: echo\nenvironment: azureml:e:1\n",
    );
    let out = pipeline(&["graph", "job.yml"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("a command job has no graph"),
        "{}",
        text(&out.stderr)
    );
}

/// A diagnostic on a 5 MB line quotes about 200 characters of it (the issue: one bare 50 MB
/// string printed a 200 MB diagnostic).
#[test]
fn a_huge_line_is_quoted_briefly() {
    let dir = tempfile::tempdir().unwrap();
    let huge = "x".repeat(5_000_000);
    fixture(
        dir.path(),
        "huge.yml",
        &format!(
            "$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json\ncommand: echo\nenvironment: azureml:e:1\ncompute: azureml:c\nidentity: {{type: {huge}}}\n"
        ),
    );
    for format in ["human", "json"] {
        let out = pipeline(&["validate", "--format", format, "huge.yml"], dir.path());
        assert_eq!(out.status.code(), Some(1));
        let shown = out.stdout.len() + out.stderr.len();
        assert!(shown < 10_000, "{format}: {shown} bytes");
    }
}

/// A file that cannot be read (missing, a folder, a FIFO) is one more problem (E009): the other
/// files' diagnostics are still printed, and `--format json` still prints one JSON document (the
/// issue: the unreadable file hid them, and JSON printed nothing).
#[test]
fn an_unreadable_file_hides_no_other_files_problems() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path(), "ok.yml", CLEAN);
    fixture(dir.path(), "bad.yml", &CLEAN.replace("train:", "Train:"));
    fs::create_dir(dir.path().join("folder.yml")).unwrap();
    let fifo = std::ffi::CString::new(dir.path().join("pipe.yml").to_str().unwrap()).unwrap();
    // SAFETY: a C string that outlives the call.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let files = ["ok.yml", "missing.yml", "folder.yml", "pipe.yml", "bad.yml"];
    let mut args = vec!["validate", "--format", "json"];
    args.extend(files);
    let out = pipeline(&args, dir.path());
    assert_eq!(
        out.status.code(),
        Some(2),
        "unusable input, once all is said"
    );
    let parsed: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    let found: Vec<(String, String)> = parsed
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for (file, code) in [
        ("missing.yml", "E009"),
        ("folder.yml", "E009"),
        ("pipe.yml", "E009"),
        ("bad.yml", "E011"),
    ] {
        assert!(
            found.contains(&(file.to_owned(), code.to_owned())),
            "{file} {code}: {found:?}"
        );
    }
    let mut args = vec!["validate"];
    args.extend(files);
    let out = pipeline(&args, dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("it is a FIFO, not a file") && err.contains("E011"),
        "{err}"
    );
}

/// A few hundred bytes of nested aliases, or 50,000 nested sequences, are an error naming the
/// place in validate, emit and graph alike (the issue: an abort, the OOM killer, or a stack
/// overflow, exit 134).
#[test]
fn alias_bombs_and_deep_nesting_are_errors_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = format!("*a{}", i - 1);
        bomb.push_str(&format!("a{i}: &a{i} [{}]\n", vec![p; 10].join(", ")));
    }
    fixture(dir.path(), "bomb.yml", &bomb);
    fixture(dir.path(), "deep.yml", &("- ".repeat(50_000) + "x\n"));
    for (file, said) in [
        ("bomb.yml", "aliases here expand to more than"),
        ("deep.yml", "nested more than 256 deep"),
    ] {
        for command in ["validate", "emit", "graph"] {
            let out = pipeline(&[command, file], dir.path());
            assert_eq!(
                out.status.code(),
                Some(1),
                "{command} {file}: {}",
                text(&out.stderr)
            );
            assert!(
                text(&out.stderr).contains(said),
                "{command} {file}: {}",
                text(&out.stderr)
            );
        }
    }
}

/// A command that is not text (`command: true`) is an error, not run as `True`.
#[test]
fn a_command_is_text() {
    let dir = tempfile::tempdir().unwrap();
    fixture(
        dir.path(),
        "job.yml",
        "$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json\ncommand: true\nenvironment: azureml:e:1\ncompute: azureml:c\n",
    );
    let out = pipeline(&["validate", "job.yml"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("`command` is a boolean, where the SDK takes text"),
        "{}",
        text(&out.stderr)
    );
    let out = pipeline(&["run", "job.yml"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
}
