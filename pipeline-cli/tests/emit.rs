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

/// Writes `files` (path, content) under `root`, creating their folders.
fn write_tree(root: &std::path::Path, files: &[(&str, &str)]) {
    for (path, content) in files {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }
}

const SPARK_CONF: &str = "conf: {spark.driver.cores: 1, spark.driver.memory: 2g, spark.executor.cores: 2, spark.executor.memory: 2g, spark.executor.instances: 2}\n";

#[test]
fn every_kind_keeps_its_paths_when_written_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline_yml = format!(
        "type: pipeline
inputs:
  path: ./a-literal-not-a-path
jobs:
  train:
    component: ../../../comp.yml
  spark_inline:
    type: spark
    entry: {{file: main.py}}
    {SPARK_CONF}    resources: {{instance_type: standard_e4s_v3, runtime_version: '3.3'}}
  tune:
    type: sweep
    trial: ./trial.yml
    sampling_algorithm: random
    search_space: {{lr: {{type: choice, values: [0.1]}}}}
    objective: {{goal: maximize, primary_metric: acc}}
    limits: {{max_total_trials: 1}}
"
    );
    write_tree(
        dir.path(),
        &[
            (
                "comp.yml",
                "type: command\nname: train\ncommand: python train.py\ncode: ./src\nenvironment: azureml:env:1\n",
            ),
            ("src/train.py", ""),
            ("a/b/c/p.yml", &pipeline_yml),
            ("a/b/c/main.py", ""),
            (
                "a/b/c/trial.yml",
                "type: command\ncommand: python t.py\nenvironment: azureml:env:1\n",
            ),
            (
                "spark/component.yml",
                &format!(
                    "type: spark\nname: etl\ncode: ./src\nentry: {{file: main.py}}\n{SPARK_CONF}"
                ),
            ),
            (
                "spark/no_code.yml",
                &format!("type: spark\nname: etl\nentry: {{file: main.py}}\n{SPARK_CONF}"),
            ),
            ("spark/src/main.py", ""),
            ("spark/main.py", ""),
        ],
    );
    fs::create_dir_all(dir.path().join("out/x")).unwrap();

    // (c) Three leading `..` read from the pipeline's own folder (`.`): the root's comp.yml,
    // not ../comp.yml.
    let out = pipeline(
        &["emit", "p.yml", "-o", "../../../out/x/p.yml"],
        &dir.path().join("a/b/c"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = fs::read_to_string(dir.path().join("out/x/p.yml")).unwrap();
    for expected in [
        "component: ../../comp.yml\n",
        // (b) An inline spark node without `code` runs in its YAML's folder: named now.
        "type: spark\n    code: ../../a/b/c\n    entry:",
        // A sweep node's trial is a component file too.
        "trial: ../../a/b/c/trial.yml\n",
        // A literal input is a value, whatever the input is called.
        "path: ./a-literal-not-a-path\n",
    ] {
        assert!(written.contains(expected), "{expected:?} in\n{written}");
    }
    // And it reads from there: its component file is found again.
    let out = pipeline(&["emit", "out/x/p.yml"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // (a) A spark component (a kind kept verbatim) has its `code` moved too.
    let out = pipeline(
        &["emit", "spark/component.yml", "-o", "out/x/component.yml"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = fs::read_to_string(dir.path().join("out/x/component.yml")).unwrap();
    assert!(written.contains("code: ../../spark/src\n"), "{written}");
    // (b) Without `code`, the spark component's own folder.
    let out = pipeline(
        &["emit", "spark/no_code.yml", "-o", "out/x/no_code.yml"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = fs::read_to_string(dir.path().join("out/x/no_code.yml")).unwrap();
    assert!(written.contains("code: ../../spark\nentry:"), "{written}");
    // In its own folder nothing is added: the text is the canonical one.
    let out = pipeline(
        &["emit", "spark/no_code.yml", "-o", "spark/again.yml"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = fs::read_to_string(dir.path().join("spark/again.yml")).unwrap();
    assert!(!written.contains("code:"), "{written}");
}

#[cfg(unix)]
#[test]
fn paths_climb_out_of_where_a_linked_output_folder_really_is() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("jobs/c.yml", "type: command\ncommand: echo\ncode: ./src\n"),
            ("jobs/src/x.py", ""),
        ],
    );
    fs::create_dir_all(dir.path().join("real/deep")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("real/deep"), dir.path().join("link")).unwrap();
    let out = pipeline(&["emit", "jobs/c.yml", "-o", "link/c.yml"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = fs::read_to_string(dir.path().join("link/c.yml")).unwrap();
    // `..` from link/ is real/, as the SDK's resolve() and the OS take it; not the temp folder.
    assert!(written.contains("code: ../../jobs/src\n"), "{written}");
    assert!(dir.path().join("real/deep/../../jobs/src/x.py").exists());
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

/// `--force` replaces only a regular file: through a symbolic link, the link's target (the link
/// stays); a FIFO or a device is refused. A replaced file keeps its mode; a new one gets 0666 less
/// the umask (the issue: /dev/null became a regular file, every file ended 0600).
#[test]
fn force_replaces_only_regular_files_and_keeps_their_mode() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    fs::write(path.join("job.yml"), JOB).unwrap();
    let emit = |out: &str| pipeline(&["emit", "job.yml", "-o", out, "--force"], path);
    let mode = |name: &str| fs::metadata(path.join(name)).unwrap().permissions().mode() & 0o777;

    let out = emit("new.yml");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // The test harness's umask decides; 0600 would be tempfile's own.
    assert_ne!(mode("new.yml"), 0o600);

    fs::write(path.join("kept.yml"), "old").unwrap();
    fs::set_permissions(path.join("kept.yml"), fs::Permissions::from_mode(0o640)).unwrap();
    assert_eq!(emit("kept.yml").status.code(), Some(0));
    assert_eq!(mode("kept.yml"), 0o640);
    assert_eq!(
        fs::read_to_string(path.join("kept.yml")).unwrap(),
        CANONICAL
    );

    fs::create_dir(path.join("real")).unwrap();
    fs::write(path.join("real/target.yml"), "old").unwrap();
    symlink("real/target.yml", path.join("link.yml")).unwrap();
    assert_eq!(emit("link.yml").status.code(), Some(0));
    assert!(
        fs::symlink_metadata(path.join("link.yml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        fs::read_to_string(path.join("real/target.yml")).unwrap(),
        CANONICAL
    );

    let fifo = std::ffi::CString::new(path.join("pipe").to_str().unwrap()).unwrap();
    // SAFETY: a C string that outlives the call.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let out = emit("pipe");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("is a FIFO: emit replaces only regular files"),
        "{}",
        text(&out.stderr)
    );
    use std::os::unix::fs::FileTypeExt;
    assert!(
        fs::symlink_metadata(path.join("pipe"))
            .unwrap()
            .file_type()
            .is_fifo()
    );

    symlink("/dev/null", path.join("null.yml")).unwrap();
    let out = emit("null.yml");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("is a device"),
        "{}",
        text(&out.stderr)
    );
}
