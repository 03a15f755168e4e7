//! `pipeline emit`, run as the real binary.

mod support;

use std::fs;
use std::io::Write;
use std::process::{Command, Stdio};

use support::{pipeline, text};

const JOB: &str = "jobs:\n  hello: {command: 'echo ${{inputs.x}}', environment: 'azureml:env:1', inputs: {x: 'no'}}\ntype: pipeline\n";
const CANONICAL: &str = "type: pipeline\njobs:\n  hello:\n    type: command\n    inputs:\n      x: 'no'\n    environment: azureml:env:1\n    command: echo ${{inputs.x}}\n";

#[test]
fn emits_canonical_yaml_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("job.yml"), JOB).unwrap();
    let out = pipeline(&["emit", "job.yml"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), CANONICAL);
}

#[test]
fn reads_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pipeline"))
        .args(["emit", "-"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(JOB.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), CANONICAL);
}

#[test]
fn writes_a_file_and_never_overwrites_without_force() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("job.yml"), JOB).unwrap();
    let out = pipeline(&["emit", "job.yml", "-o", "out.yml"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert_eq!(
        fs::read_to_string(dir.path().join("out.yml")).unwrap(),
        CANONICAL
    );

    fs::write(dir.path().join("out.yml"), "precious").unwrap();
    let out = pipeline(&["emit", "job.yml", "-o", "out.yml"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("out.yml already exists")
            && text(&out.stderr).contains("--force"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("out.yml")).unwrap(),
        "precious"
    );

    let out = pipeline(&["emit", "job.yml", "-o", "out.yml", "--force"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        fs::read_to_string(dir.path().join("out.yml")).unwrap(),
        CANONICAL
    );
}

#[test]
fn rewrites_relative_paths_when_writing_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("jobs/src")).unwrap();
    fs::create_dir_all(dir.path().join("out")).unwrap();
    fs::write(
        dir.path().join("jobs/c.yml"),
        "type: command\ncommand: echo\ncode: ./src\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("jobs/p.yml"),
        "type: pipeline\njobs:\n  a: {component: ./c.yml}\n",
    )
    .unwrap();
    let out = pipeline(&["emit", "jobs/p.yml", "-o", "out/p.yml"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = fs::read_to_string(dir.path().join("out/p.yml")).unwrap();
    assert!(written.contains("component: ../jobs/c.yml"), "{written}");
    // And the result loads from there.
    let out = pipeline(&["emit", "out/p.yml"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn bad_input_exits_1_naming_file_line_and_path() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("bad.yml"),
        "type: pipeline\nsettings:\n  force_rerun: maybe\n  continue_on_step_failure: 3\n",
    )
    .unwrap();
    let out = pipeline(&["emit", "bad.yml", "-o", "out.yml"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("bad.yml:3:16: error[E003]: settings.force_rerun: expected a boolean"),
        "{err}"
    );
    assert!(
        err.contains("bad.yml:4:29: error[E003]: settings.continue_on_step_failure"),
        "{err}"
    );
    assert!(
        !dir.path().join("out.yml").exists(),
        "nothing written for bad input"
    );

    fs::write(dir.path().join("data.yml"), "$schema: https://azuremlschemas.azureedge.net/latest/data.schema.json\ntype: uri_folder\npath: ./x\n").unwrap();
    let out = pipeline(&["emit", "data.yml"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("not a job, component or compute ($schema data)"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn unusable_invocations_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["emit"][..],
        &["emit", "missing.yml"],
        &["emit", "x.yml", "--force"],
        &["frobnicate"],
        &["emit", "."],
    ] {
        let out = pipeline(args, dir.path());
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(!text(&out.stderr).is_empty());
    }
    let out = pipeline(&["--help"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("emit"));
}
