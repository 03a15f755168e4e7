//! `pipeline run`, run as the real binary on pipelines written into temporary folders.

mod support;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{pipeline, text};

const ENV: &str = "environment: azureml:AzureML-sklearn-1.0@latest";

/// A pipeline job YAML of `jobs` (each node's keys indented by four spaces, `ENV` added), with
/// `head` (inputs, outputs, settings) before them.
fn pipeline_yaml(head: &str, jobs: &[(&str, &str)]) -> String {
    let mut yaml = format!(
        "$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json\ntype: pipeline\n{head}jobs:\n"
    );
    for (name, body) in jobs {
        yaml.push_str(&format!("  {name}:\n    {ENV}\n{body}"));
    }
    yaml
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(path, text).unwrap();
}

/// Every stdout line as JSON: nothing else may be there.
fn events(out: &Output) -> Vec<Value> {
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn summary(events: &[Value]) -> &Value {
    let last = events.last().expect("events");
    assert_eq!(last["event"], "summary", "{last}");
    last
}

/// A node of the summary.
fn node<'a>(summary: &'a Value, name: &str) -> &'a Value {
    summary["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == name)
        .unwrap_or_else(|| panic!("no node {name} in {summary}"))
}

/// Where the event saying `name` became `status` is in the stream.
fn position(events: &[Value], name: &str, status: &str) -> usize {
    events
        .iter()
        .position(|e| e["event"] == "node" && e["name"] == name && e["status"] == status)
        .unwrap_or_else(|| panic!("{name} never {status}"))
}

fn run_json(dir: &Path, args: &[&str]) -> (Output, Vec<Value>) {
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    all.extend(["--format", "json"]);
    let out = pipeline(&all, dir);
    let events = events(&out);
    (out, events)
}

fn output_file(summary: &Value, node_name: &str, port: &str, file: &str) -> PathBuf {
    let folder = node(summary, node_name)["outputs"][port].as_str().unwrap();
    Path::new(folder).join(file)
}

/// The real process running `pipeline run … --format json`, its events read as they come.
struct Running {
    child: Child,
    lines: mpsc::Receiver<Value>,
    seen: Vec<Value>,
}

impl Running {
    fn start(dir: &Path, file: &str) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pipeline"))
            .args(["run", file, "--format", "json"])
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(serde_json::from_str(&line).unwrap());
            }
        });
        Running {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Reads events until `name` is `status`.
    fn wait_for(&mut self, name: &str, status: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self
            .seen
            .iter()
            .any(|e| e["event"] == "node" && e["name"] == name && e["status"] == status)
        {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(e) => self.seen.push(e),
                Err(_) => panic!("{name} never {status}: {:?}", self.seen),
            }
        }
    }

    /// The run folder, from the `started` event.
    fn dir(&self) -> PathBuf {
        let started = self.seen.iter().find(|e| e["event"] == "started").unwrap();
        PathBuf::from(started["dir"].as_str().unwrap())
    }

    /// Waits for the process to end, at most `limit`; its exit code and every event.
    fn end_within(mut self, limit: Duration) -> (Option<i32>, Vec<Value>) {
        let deadline = Instant::now() + limit;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("still running after {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        self.seen.extend(self.lines.iter());
        (status.code(), self.seen)
    }
}

/// The PID a node's command wrote (`echo $$ > …/pid`), waiting for it to be written.
fn read_pid(path: &Path) -> libc::pid_t {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(pid) = fs::read_to_string(path)
            .ok()
            .and_then(|t| t.trim().parse().ok())
        {
            return pid;
        }
        assert!(
            Instant::now() < deadline,
            "{} never written",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn alive(pid: libc::pid_t) -> bool {
    // SAFETY: signal 0 only asks whether the process exists.
    unsafe { libc::kill(pid, 0) == 0 }
}

fn group_alive(pgid: libc::pid_t) -> bool {
    // SAFETY: as above, for a process group.
    unsafe { libc::killpg(pgid, 0) == 0 }
}

const DIAMOND: &[(&str, &str)] = &[
    (
        "a",
        "    command: echo ${{inputs.text}} > ${{outputs.out}}/a.txt
    inputs: {text: '${{parent.inputs.greeting}}'}
    outputs: {out: {type: uri_folder}}
",
    ),
    (
        "b",
        "    command: sleep 0.3; cat ${{inputs.x}}/a.txt > ${{outputs.out}}/b.txt
    inputs: {x: '${{parent.jobs.a.outputs.out}}'}
    outputs: {out: {type: uri_folder}}
",
    ),
    (
        "c",
        "    command: sleep 0.3; cat ${{inputs.x}}/a.txt > ${{outputs.out}}/c.txt
    inputs: {x: '${{parent.jobs.a.outputs.out}}'}
    outputs: {out: {type: uri_folder}}
",
    ),
    (
        "d",
        "    command: cat ${{inputs.b}}/b.txt ${{inputs.c}}/c.txt > ${{outputs.out}}/d.txt
    inputs: {b: '${{parent.jobs.b.outputs.out}}', c: '${{parent.jobs.c.outputs.out}}'}
    outputs: {out: '${{parent.outputs.final}}'}
",
    ),
];

#[test]
fn a_diamond_runs_in_dependency_order() {
    let dir = tempfile::tempdir().unwrap();
    let head = "inputs: {greeting: hello}\noutputs: {final: {type: uri_folder}}\n";
    write(dir.path(), "diamond.yml", &pipeline_yaml(head, DIAMOND));
    let (out, events) = run_json(dir.path(), &["diamond.yml", "--jobs", "2"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    assert_eq!(events[0]["event"], "started");
    assert_eq!(events[0]["nodes"], serde_json::json!(["a", "b", "c", "d"]));
    let notices = events.iter().filter(|e| e["event"] == "notice").count();
    assert_eq!(notices, 1, "the notice is said once");
    for upstream in ["b", "c"] {
        assert!(position(&events, "a", "Completed") < position(&events, upstream, "Running"));
        assert!(position(&events, upstream, "Completed") < position(&events, "d", "Running"));
    }
    let pipeline_end = events
        .iter()
        .rev()
        .find(|e| e["event"] == "pipeline")
        .unwrap();
    assert_eq!(pipeline_end["status"], "Completed");

    let summary = summary(&events);
    assert_eq!(summary["status"], "Completed");
    let final_output = summary["outputs"]["final"].as_str().unwrap();
    assert_eq!(
        fs::read_to_string(Path::new(final_output).join("d.txt")).unwrap(),
        "hello\nhello\n"
    );
}

#[test]
fn independent_nodes_run_at_the_same_time() {
    let dir = tempfile::tempdir().unwrap();
    let timed = "    command: date +%s.%N > ${{outputs.out}}/start; sleep 1; date +%s.%N > ${{outputs.out}}/end
    outputs: {out: {type: uri_folder}}
";
    write(
        dir.path(),
        "pair.yml",
        &pipeline_yaml("", &[("left", timed), ("right", timed)]),
    );
    let (out, events) = run_json(dir.path(), &["pair.yml", "--jobs", "2"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let summary = summary(&events);
    let time = |node: &str, file: &str| -> f64 {
        let path = output_file(summary, node, "out", file);
        fs::read_to_string(&path).unwrap().trim().parse().unwrap()
    };
    let (left, right) = (
        (time("left", "start"), time("left", "end")),
        (time("right", "start"), time("right", "end")),
    );
    assert!(
        left.0 < right.1 && right.0 < left.1,
        "the intervals do not overlap: {left:?} {right:?}"
    );
}

/// `bad` fails at once; `after` reads its output; `slow` → `later` is a branch of their own.
fn failing_pipeline(head: &str) -> String {
    pipeline_yaml(
        head,
        &[
            (
                "bad",
                "    command: echo going wrong; exit 3
    outputs: {out: {type: uri_folder}}
",
            ),
            (
                "after",
                "    command: ls ${{inputs.x}}
    inputs: {x: '${{parent.jobs.bad.outputs.out}}'}
",
            ),
            (
                "slow",
                "    command: sleep 1; echo slow > ${{outputs.out}}/s.txt
    outputs: {out: {type: uri_folder}}
",
            ),
            (
                "later",
                "    command: cat ${{inputs.x}}/s.txt
    inputs: {x: '${{parent.jobs.slow.outputs.out}}'}
",
            ),
        ],
    )
}

#[test]
fn a_failure_stops_what_has_not_started() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "fail.yml", &failing_pipeline(""));
    let out = pipeline(
        &["run", "fail.yml", "--jobs", "2", "--run-id", "r1"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    let log = fs::canonicalize(dir.path())
        .unwrap()
        .join(".pipeline/runs/r1/bad/user_logs/std_log.txt");
    assert!(
        err.contains(&format!(
            "bad failed: the command failed with exit code 3\n  log: {}",
            log.display()
        )),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&log).unwrap(), "going wrong\n");
    let row = |name: &str| {
        err.lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no row for {name}: {err}"))
            .split_whitespace()
            .nth(1)
            .unwrap()
            .to_owned()
    };
    assert_eq!(row("bad"), "Failed");
    assert_eq!(row("after"), "NotStarted");
    // Running nodes finish; nothing new starts.
    assert_eq!(row("slow"), "Completed");
    assert_eq!(row("later"), "NotStarted");
    assert!(err.contains("\npipeline Failed in "), "{err}");
}

#[test]
fn with_continue_on_step_failure_other_branches_complete() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "fail.yml",
        &failing_pipeline("settings: {continue_on_step_failure: true}\n"),
    );
    let (out, events) = run_json(dir.path(), &["fail.yml", "--jobs", "2"]);
    assert_eq!(out.status.code(), Some(1));
    let summary = summary(&events);
    assert_eq!(summary["status"], "Failed");
    assert_eq!(node(summary, "bad")["status"], "Failed");
    assert_eq!(node(summary, "after")["status"], "NotStarted");
    assert_eq!(node(summary, "slow")["status"], "Completed");
    assert_eq!(node(summary, "later")["status"], "Completed");
    assert!(position(&events, "bad", "Failed") < position(&events, "later", "Running"));
}

#[test]
fn a_node_past_its_timeout_fails() {
    let dir = tempfile::tempdir().unwrap();
    let sleepy = "    command: sleep 30
    limits: {timeout: 1}
";
    write(
        dir.path(),
        "slow.yml",
        &pipeline_yaml("", &[("nap", sleepy)]),
    );
    let started = Instant::now();
    let (out, events) = run_json(dir.path(), &["slow.yml"]);
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(1));
    let nap = node(summary(&events), "nap");
    assert_eq!(nap["status"], "Failed");
    let error = nap["error"].as_str().unwrap();
    assert!(error.contains("timed out after 1 s"), "{error}");
}

/// Starts a run whose node sleeps, stops the runner with `signal`, and checks the cancel.
fn cancel_with(signal: libc::c_int) {
    let dir = tempfile::tempdir().unwrap();
    let sleeper = "    command: echo $$ > ${{outputs.out}}/pid; sleep 60
    outputs: {out: {type: uri_folder}}
";
    write(
        dir.path(),
        "sleep.yml",
        &pipeline_yaml("", &[("sleeper", sleeper)]),
    );
    let mut running = Running::start(dir.path(), "sleep.yml");
    running.wait_for("sleeper", "Running");
    let pid = read_pid(&running.dir().join("sleeper/outputs/out/pid"));
    assert!(alive(pid));

    let runner = libc::pid_t::try_from(running.child.id()).unwrap();
    // SAFETY: sends a signal to the process this test started.
    assert_eq!(unsafe { libc::kill(runner, signal) }, 0);
    let (code, events) = running.end_within(Duration::from_secs(10));
    assert_eq!(code, Some(1), "{events:?}");

    let said = |event: &str, status: &str| {
        events
            .iter()
            .any(|e| e["event"] == event && e["status"] == status)
    };
    assert!(said("pipeline", "CancelRequested"), "{events:?}");
    assert!(said("node", "CancelRequested"), "{events:?}");
    assert!(said("pipeline", "Canceled"), "{events:?}");
    let summary = summary(&events);
    assert_eq!(summary["status"], "Canceled");
    assert_eq!(node(summary, "sleeper")["status"], "Canceled");
    assert!(!alive(pid), "the node's shell outlived the cancel");
    assert!(
        !group_alive(pid),
        "a process of the node outlived the cancel"
    );
}

#[test]
fn ctrl_c_cancels_the_run_and_kills_its_processes() {
    cancel_with(libc::SIGINT);
}

#[test]
fn sigterm_cancels_too() {
    cancel_with(libc::SIGTERM);
}

#[test]
fn unchanged_nodes_are_reused_until_their_inputs_change() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "data/x.txt", "one\n");
    let yaml = pipeline_yaml(
        "inputs: {data: {type: uri_folder, path: ./data}}\n",
        &[
            (
                "copy",
                "    command: cat ${{inputs.d}}/x.txt > ${{outputs.out}}/x.txt
    inputs: {d: '${{parent.inputs.data}}'}
    outputs: {out: {type: uri_folder}}
",
            ),
            (
                "shout",
                "    command: tr a-z A-Z < ${{inputs.x}}/x.txt > ${{outputs.out}}/y.txt
    inputs: {x: '${{parent.jobs.copy.outputs.out}}'}
    outputs: {out: {type: uri_folder}}
",
            ),
            (
                "fixed",
                "    command: echo same > ${{outputs.out}}/c.txt
    outputs: {out: {type: uri_folder}}
",
            ),
        ],
    );
    write(dir.path(), "reuse.yml", &yaml);
    let reused = |args: &[&str]| -> Vec<(String, bool)> {
        let mut all = vec!["reuse.yml"];
        all.extend_from_slice(args);
        let (out, events) = run_json(dir.path(), &all);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let summary = summary(&events);
        summary["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                assert_eq!(n["status"], "Completed");
                (
                    n["name"].as_str().unwrap().to_owned(),
                    n["reused"].as_bool().unwrap(),
                )
            })
            .collect()
    };
    let all = |r: bool| {
        vec![
            ("copy".to_owned(), r),
            ("shout".to_owned(), r),
            ("fixed".to_owned(), r),
        ]
    };
    assert_eq!(reused(&[]), all(false));
    assert_eq!(reused(&[]), all(true));
    assert_eq!(reused(&["--force-rerun"]), all(false));

    write(dir.path(), "data/x.txt", "two\n");
    assert_eq!(
        reused(&[]),
        vec![
            ("copy".to_owned(), false),
            ("shout".to_owned(), false),
            ("fixed".to_owned(), true),
        ]
    );
}

#[test]
fn after_a_crash_a_rerun_reuses_what_completed() {
    let dir = tempfile::tempdir().unwrap();
    let first = "    command: echo one > ${{outputs.out}}/one.txt
    outputs: {out: {type: uri_folder}}
";
    let second = |command: &str| {
        format!(
            "    command: {command}
    inputs: {{x: '${{{{parent.jobs.first.outputs.out}}}}'}}
    outputs: {{out: {{type: uri_folder}}}}
"
        )
    };
    let stuck = second("echo $$ > ${{outputs.out}}/pid; sleep 60");
    write(
        dir.path(),
        "crash.yml",
        &pipeline_yaml("", &[("first", first), ("second", &stuck)]),
    );
    let mut running = Running::start(dir.path(), "crash.yml");
    running.wait_for("first", "Completed");
    running.wait_for("second", "Running");
    let pid = read_pid(&running.dir().join("second/outputs/out/pid"));
    running.child.kill().unwrap();
    let (code, _) = running.end_within(Duration::from_secs(10));
    assert_eq!(code, None, "killed by a signal");
    // The runner had no chance to stop its node: that is the test's to do.
    // SAFETY: kills the process group of the node this test's run started.
    unsafe { libc::killpg(pid, libc::SIGKILL) };

    let done = second("cat ${{inputs.x}}/one.txt > ${{outputs.out}}/two.txt");
    write(
        dir.path(),
        "crash.yml",
        &pipeline_yaml("", &[("first", first), ("second", &done)]),
    );
    let (out, events) = run_json(dir.path(), &["crash.yml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let summary = summary(&events);
    assert_eq!(node(summary, "first")["reused"], true);
    assert_eq!(node(summary, "second")["reused"], false);
    assert_eq!(
        fs::read_to_string(output_file(summary, "second", "out", "two.txt")).unwrap(),
        "one\n"
    );
}

#[test]
fn a_string_parameter_is_never_shell_code() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    write(&home, "keep.txt", "still here");
    let said = "    command: printf '%s' ${{inputs.s}} > ${{outputs.out}}/said.txt
    inputs: {s: '${{parent.inputs.s}}'}
    outputs: {out: {type: uri_folder}}
";
    write(
        dir.path(),
        "quote.yml",
        &pipeline_yaml("inputs: {s: '\"; rm -rf ~\"'}\n", &[("say", said)]),
    );
    // Were the value ever run as shell code, it would remove this HOME, not the real one.
    let out = Command::new(env!("CARGO_BIN_EXE_pipeline"))
        .args(["run", "quote.yml", "--format", "json"])
        .current_dir(dir.path())
        .env("HOME", &home)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let events = events(&out);
    let said = output_file(summary(&events), "say", "out", "said.txt");
    assert_eq!(fs::read_to_string(said).unwrap(), "\"; rm -rf ~\"");
    assert!(home.join("keep.txt").exists());
}

#[test]
fn an_azureml_asset_needs_data_before_anything_starts() {
    let dir = tempfile::tempdir().unwrap();
    let count = "    command: ls ${{inputs.raw}} > ${{outputs.out}}/files.txt
    inputs: {raw: '${{parent.inputs.raw}}'}
    outputs: {out: {type: uri_folder}}
";
    write(
        dir.path(),
        "asset.yml",
        &pipeline_yaml(
            "inputs: {raw: {type: uri_folder, path: 'azureml:raw_taxi:1'}}\n",
            &[("count", count)],
        ),
    );
    let (out, events) = run_json(dir.path(), &["asset.yml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "error: pipeline input raw: `azureml:raw_taxi:1` is not on this machine; map it to a local copy with --data raw_taxi=PATH"
        ),
        "{err}"
    );
    assert_eq!(events.len(), 1, "only the error: {events:?}");
    assert_eq!(events[0]["event"], "error");
    assert!(!dir.path().join(".pipeline/runs").exists(), "nothing ran");

    write(dir.path(), "taxi/trips.csv", "1,2\n");
    let (out, events) = run_json(dir.path(), &["asset.yml", "--data", "raw_taxi=taxi"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let files = output_file(summary(&events), "count", "out", "files.txt");
    assert_eq!(fs::read_to_string(files).unwrap(), "trips.csv\n");
}

#[test]
fn a_spark_node_cannot_run_here() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "src/etl.py", "print('etl')\n");
    let spark = "    type: spark
    code: ./src
    entry: {file: etl.py}
    conf: {spark.driver.cores: 1, spark.driver.memory: 2g, spark.executor.cores: 2, spark.executor.memory: 2g, spark.executor.instances: 2}
    resources: {instance_type: standard_e4s_v3, runtime_version: '3.4'}
";
    write(dir.path(), "spark.yml", &pipeline_yaml("", &[("x", spark)]));
    let out = pipeline(&["run", "spark.yml"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("error: cannot run locally: spark node x"),
        "{err}"
    );
    assert!(!dir.path().join(".pipeline/runs").exists(), "nothing ran");
}

#[test]
fn plain_lines_and_a_summary_when_not_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let head = "inputs: {greeting: hello}\noutputs: {final: {type: uri_folder}}\n";
    write(dir.path(), "diamond.yml", &pipeline_yaml(head, DIAMOND));
    let out = pipeline(&["run", "diamond.yml", "--run-id", "first"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "", "human output is on stderr");
    let err = text(&out.stderr);
    let notes = err
        .matches("note: environments are not built locally")
        .count();
    assert_eq!(notes, 1, "{err}");
    assert!(err.contains("s] a Running\n"), "{err}");
    assert!(err.contains("s] d Completed\n"), "{err}");
    let here = fs::canonicalize(dir.path()).unwrap();
    let run_dir = here.join(".pipeline/runs/first");
    assert!(
        err.contains(&format!(
            "outputs:\n  final → {}\n",
            run_dir.join("d/outputs/out").display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("run folder: {}\n", run_dir.display())),
        "{err}"
    );

    let again = pipeline(&["run", "diamond.yml", "--run-id", "first"], dir.path());
    assert_eq!(again.status.code(), Some(2), "a run never reuses a folder");
    assert!(text(&again.stderr).contains("--run-id first:"));
    let second = pipeline(&["run", "diamond.yml"], dir.path());
    assert!(text(&second.stderr).contains("a     Completed (reused)"));
}

#[test]
fn an_invalid_file_gets_validate_diagnostics_and_runs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let loop_ = "    command: echo ${{inputs.x}}
    inputs: {x: '${{parent.jobs.two.outputs.out}}'}
    outputs: {out: {type: uri_folder}}
";
    let two = "    command: echo ${{inputs.x}}
    inputs: {x: '${{parent.jobs.one.outputs.out}}'}
    outputs: {out: {type: uri_folder}}
";
    write(
        dir.path(),
        "cycle.yml",
        &pipeline_yaml("", &[("one", loop_), ("two", two)]),
    );
    let out = pipeline(&["run", "cycle.yml"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("E027"), "{err}");
    assert!(err.contains("--> cycle.yml:"), "{err}");
    assert!(!dir.path().join(".pipeline").exists());

    let missing = pipeline(&["run", "nope.yml"], dir.path());
    assert_eq!(missing.status.code(), Some(2));
    let bad_flag = pipeline(&["run", "cycle.yml", "--data", "raw"], dir.path());
    assert_eq!(bad_flag.status.code(), Some(2));
    assert!(text(&bad_flag.stderr).contains("write NAME=PATH"));
}

/// Values put in for placeholders bare, in `'…'` and in `"…"`: as Azure ML would pass them, and
/// never run (the cases: `'${{inputs.a}}'` with `x; touch PWNED; #`, `"${{inputs.b}}"`
/// with `$(touch PWNED2)` and backticks).
#[test]
fn placeholders_arrive_as_on_azure_and_never_run() {
    let temp = tempfile::tempdir().unwrap();
    // A project folder with a space in its name: local paths never split.
    let dir = &temp.path().join("my project");
    let args = "    command: >-
      python3 -c 'import json, sys; json.dump(sys.argv[1:], open(sys.argv[1], \"w\"))'
      ${{outputs.out}}/args.json
      '${{inputs.a}}' \"${{inputs.b}}\" \"${{inputs.c}}\" ${{inputs.e}} \"${{inputs.e}}\"
      '${{inputs.e}}' \"$(echo sub '${{inputs.a}}')\" ${{inputs.data}}
    inputs:
      a: 'x; touch PWNED; #'
      b: '$(touch PWNED2)'
      c: '`touch PWNED3` \"q\" \\'
      e: hello world
      data: {type: uri_folder, path: ./my data}
    outputs: {out: {type: uri_folder}}
";
    write(dir, "my data/f.txt", "x");
    write(dir, "args.yml", &pipeline_yaml("", &[("echo", args)]));
    let (out, events) = run_json(dir, &["args.yml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let file = output_file(summary(&events), "echo", "out", "args.json");
    let argv: Vec<String> = serde_json::from_str(&fs::read_to_string(file).unwrap()).unwrap();
    let run_dir = PathBuf::from(summary(&events)["dir"].as_str().unwrap());
    // The input is the node's read-only copy (ro_mount), under the run folder.
    let data = run_dir.join("echo/inputs/data");
    assert_eq!(
        argv[1..],
        [
            "x; touch PWNED; #",
            "$(touch PWNED2)",
            "`touch PWNED3` \"q\" \\",
            "hello",
            "world",
            "hello world",
            "hello world",
            "sub x; touch PWNED; #",
            data.to_str().unwrap(),
        ]
    );
    for (i, marker) in ["PWNED", "PWNED2", "PWNED3"].iter().enumerate() {
        assert!(
            !run_dir.join("echo/code").join(marker).exists() && !dir.join(marker).exists(),
            "value {i} ran"
        );
    }
}

#[test]
fn a_placeholder_in_a_heredoc_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let heredoc = "    command: |
      cat <<EOF
      ${{inputs.a}}
      EOF
    inputs: {a: hi}
";
    write(dir.path(), "h.yml", &pipeline_yaml("", &[("cat", heredoc)]));
    let (out, events) = run_json(dir.path(), &["h.yml"]);
    assert_eq!(out.status.code(), Some(1));
    let error = node(summary(&events), "cat")["error"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(error.contains("sits inside a heredoc"), "{error}");
}

/// Runs started together never share a folder: each gets its own, and a `--run-id` taken by
/// another run is refused (the issue: 27 of 50 pairs shared one).
#[test]
fn runs_started_together_get_folders_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let tag = "    command: echo $AZUREML_RUN_ID > ${{outputs.out}}/id.txt
    outputs: {out: {type: uri_folder}}
";
    write(dir.path(), "tag.yml", &pipeline_yaml("", &[("tag", tag)]));
    let start = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_pipeline"))
            .args(["run", "tag.yml", "--format", "json"])
            .args(extra)
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let children: Vec<Child> = (0..8).map(|_| start(&["--force-rerun"])).collect();
    let mut folders = std::collections::HashSet::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let events = events(&out);
        let summary = summary(&events);
        let folder = summary["dir"].as_str().unwrap().to_owned();
        let id = fs::read_to_string(output_file(summary, "tag", "out", "id.txt")).unwrap();
        assert_eq!(id.trim(), summary["run_id"].as_str().unwrap());
        assert!(folders.insert(folder), "two runs shared a folder");
    }
    let same: Vec<Child> = (0..4).map(|_| start(&["--run-id", "nightly"])).collect();
    let codes: Vec<Option<i32>> = same
        .into_iter()
        .map(|c| c.wait_with_output().unwrap().status.code())
        .collect();
    assert_eq!(
        codes.iter().filter(|c| **c == Some(0)).count(),
        1,
        "exactly one run takes --run-id nightly: {codes:?}"
    );
}

/// A node that writes into what it reads changes neither the node that made it nor, on a later
/// run, the run whose outputs were reused (the issue: reused outputs were hard links, and a
/// downstream append grew every later reuse).
#[test]
fn a_node_that_writes_its_input_changes_no_other_run() {
    let dir = tempfile::tempdir().unwrap();
    let make = "    command: echo a > ${{outputs.out}}/rows.csv
    outputs: {out: {type: uri_folder}}
";
    let grow = "    command: echo b >> ${{inputs.rows}}/rows.csv; cat ${{inputs.rows}}/rows.csv > ${{outputs.seen}}/seen.csv
    inputs: {rows: {type: uri_folder, path: '${{parent.jobs.make.outputs.out}}', mode: download}}
    outputs: {seen: {type: uri_folder}}
";
    write(
        dir.path(),
        "grow.yml",
        &pipeline_yaml("", &[("make", make), ("grow", grow)]),
    );
    let mut runs = Vec::new();
    for _ in 0..3 {
        let (out, events) = run_json(dir.path(), &["grow.yml"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        runs.push(events);
    }
    for events in &runs {
        let summary = summary(events);
        let made = output_file(summary, "make", "out", "rows.csv");
        assert_eq!(fs::read_to_string(made).unwrap(), "a\n");
        let seen = output_file(summary, "grow", "seen", "seen.csv");
        assert_eq!(fs::read_to_string(seen).unwrap(), "a\nb\n");
    }
    // The later runs reused `make`, and their copies were never shared with `grow`.
    assert_eq!(node(summary(&runs[2]), "make")["reused"], true);
}

/// A FIFO or a link to /dev/zero in a node's code folder is left out and said: the copy and the
/// reuse hash never block on it (the issue: the run hung and could not be canceled).
#[test]
fn special_files_in_a_code_folder_are_skipped_and_said() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "src/main.sh", "echo ran > \"$1\"/ran.txt\n");
    let fifo = std::ffi::CString::new(dir.path().join("src/pipe").to_str().unwrap()).unwrap();
    // SAFETY: a C string that outlives the call.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("src/zero")).unwrap();
    let node_yaml = "    code: ./src
    command: bash main.sh ${{outputs.out}}
    outputs: {out: {type: uri_folder}}
";
    write(
        dir.path(),
        "fifo.yml",
        &pipeline_yaml("", &[("step", node_yaml)]),
    );
    let running = Running::start(dir.path(), "fifo.yml");
    let (code, events) = running.end_within(Duration::from_secs(20));
    assert_eq!(code, Some(0), "{events:?}");
    let summary = summary(&events);
    assert!(output_file(summary, "step", "out", "ran.txt").exists());
    let log = fs::read_to_string(node(summary, "step")["log"].as_str().unwrap()).unwrap();
    assert!(log.contains("code/pipe is a FIFO"), "{log}");
    assert!(log.contains("code/zero is a device"), "{log}");
}

/// A reader that goes away (`pipeline run --format json … | head -1`) ends nothing and panics
/// nothing: the run completes and says so in its exit code.
#[test]
fn a_closed_stdout_is_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let say = "    command: echo hi
";
    write(
        dir.path(),
        "say.yml",
        &pipeline_yaml("", &[("a", say), ("b", say)]),
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_pipeline"))
        .args(["run", "say.yml", "--format", "json"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("\"started\""), "{first}");
    // The reader is gone: everything after is written to a closed pipe.
    let out = child.wait_with_output().unwrap();
    let err = text(&out.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{err}"
    );
    assert_eq!(out.status.code(), Some(0), "{err}");
}

/// Whether `pid` is running: not gone, and not a zombie left for its parent to reap.
fn running(pid: libc::pid_t) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            stat.rsplit_once(") ")
                .map(|(_, rest)| !rest.starts_with('Z'))
        })
        .unwrap_or(false)
}

/// Waits up to `limit` for `pid` to stop running.
fn ends_within(pid: libc::pid_t, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while running(pid) {
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    true
}

#[test]
fn sighup_cancels_too() {
    cancel_with(libc::SIGHUP);
}

/// What a node leaves running (here a daemon that left its process group with `setsid`) ends
/// with the node, as its container would on Azure ML (the issue: it ran on, reparented to init).
#[test]
fn a_nodes_leftovers_end_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let leave = "    command: setsid sleep 60 > /dev/null 2>&1 & echo $! > ${{outputs.out}}/pid
    outputs: {out: {type: uri_folder}}
";
    write(
        dir.path(),
        "leave.yml",
        &pipeline_yaml("", &[("leave", leave)]),
    );
    let (out, events) = run_json(dir.path(), &["leave.yml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let pid = read_pid(&output_file(summary(&events), "leave", "out", "pid"));
    assert!(
        ends_within(pid, Duration::from_secs(5)),
        "the daemon outlived its node"
    );
}

/// A runner killed outright (SIGKILL: nothing of it runs on) leaves no node behind: its watchdog
/// ends them, including what left the node's process group.
#[test]
fn a_killed_runner_leaves_no_node_behind() {
    let dir = tempfile::tempdir().unwrap();
    let sleeper = "    command: setsid sleep 60 & echo $! > ${{outputs.out}}/daemon; echo $$ > ${{outputs.out}}/pid; sleep 60
    outputs: {out: {type: uri_folder}}
";
    write(
        dir.path(),
        "sleep.yml",
        &pipeline_yaml("", &[("sleeper", sleeper)]),
    );
    let mut running_run = Running::start(dir.path(), "sleep.yml");
    running_run.wait_for("sleeper", "Running");
    let out = running_run.dir().join("sleeper/outputs/out");
    let (pid, daemon) = (read_pid(&out.join("pid")), read_pid(&out.join("daemon")));
    assert!(running(pid) && running(daemon));
    running_run.child.kill().unwrap();
    running_run.child.wait().unwrap();
    assert!(
        ends_within(pid, Duration::from_secs(5)),
        "the node outlived its runner"
    );
    assert!(
        ends_within(daemon, Duration::from_secs(5)),
        "the daemon outlived its runner"
    );
}

/// `settings.on_init` runs before every other node, and `on_finalize` after all of them even
/// when one failed, as on Azure ML.
#[test]
fn on_init_runs_first_and_on_finalize_runs_last_even_after_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let quick = "    command: echo ok
";
    let bad = "    command: exit 3
";
    write(
        dir.path(),
        "hooks.yml",
        &pipeline_yaml(
            "settings: {on_init: setup, on_finalize: cleanup}\n",
            &[
                ("work", quick),
                ("bad", bad),
                ("setup", quick),
                ("cleanup", quick),
            ],
        ),
    );
    let (out, events) = run_json(dir.path(), &["hooks.yml"]);
    assert_eq!(out.status.code(), Some(1));
    let setup_done = position(&events, "setup", "Completed");
    assert!(setup_done < position(&events, "work", "Running"));
    assert!(setup_done < position(&events, "bad", "Running"));
    let cleanup = position(&events, "cleanup", "Running");
    assert!(cleanup > position(&events, "bad", "Failed"));
    assert!(cleanup > position(&events, "work", "Completed"));
    let summary = summary(&events);
    assert_eq!(summary["status"], "Failed");
    assert_eq!(node(summary, "cleanup")["status"], "Completed");
}

/// A cancel leaves `on_finalize` to run: the run ends Canceled once it has.
#[test]
fn on_finalize_runs_after_a_cancel() {
    let dir = tempfile::tempdir().unwrap();
    let sleeper = "    command: echo $$ > ${{outputs.out}}/pid; sleep 60
    outputs: {out: {type: uri_folder}}
";
    let cleanup = "    command: echo cleaned > ${{outputs.out}}/done.txt
    outputs: {out: {type: uri_folder}}
";
    write(
        dir.path(),
        "fin.yml",
        &pipeline_yaml(
            "settings: {on_finalize: cleanup}\n",
            &[("sleeper", sleeper), ("cleanup", cleanup)],
        ),
    );
    let mut running_run = Running::start(dir.path(), "fin.yml");
    running_run.wait_for("sleeper", "Running");
    read_pid(&running_run.dir().join("sleeper/outputs/out/pid"));
    let runner = libc::pid_t::try_from(running_run.child.id()).unwrap();
    // SAFETY: sends a signal to the process this test started.
    assert_eq!(unsafe { libc::kill(runner, libc::SIGINT) }, 0);
    let (code, events) = running_run.end_within(Duration::from_secs(10));
    assert_eq!(code, Some(1), "{events:?}");
    let summary = summary(&events);
    assert_eq!(summary["status"], "Canceled");
    assert_eq!(node(summary, "sleeper")["status"], "Canceled");
    assert_eq!(node(summary, "cleanup")["status"], "Completed");
    let done = output_file(summary, "cleanup", "out", "done.txt");
    assert_eq!(fs::read_to_string(done).unwrap(), "cleaned\n");
}

/// A node's code is taken as Azure ML snapshots it: less what `.amlignore` names; a change to
/// an ignored file does not make the node run again.
#[test]
fn code_is_snapshotted_as_on_azure() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "src/main.sh", "ls > \"$1\"/files.txt\n");
    write(dir.path(), "src/.amlignore", "scratch/\n");
    write(dir.path(), "src/scratch/big.bin", "1");
    let step = "    code: ./src
    command: bash main.sh ${{outputs.out}}
    outputs: {out: {type: uri_folder}}
";
    write(
        dir.path(),
        "snap.yml",
        &pipeline_yaml("", &[("step", step)]),
    );
    let (out, events) = run_json(dir.path(), &["snap.yml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let files =
        fs::read_to_string(output_file(summary(&events), "step", "out", "files.txt")).unwrap();
    assert_eq!(files, "main.sh\n");
    write(dir.path(), "src/scratch/big.bin", "2");
    let (_, events) = run_json(dir.path(), &["snap.yml"]);
    assert_eq!(node(summary(&events), "step")["reused"], true);
}

/// A second signal ends the runner at once (exit 130), even while `on_finalize` runs; its
/// watchdog then ends the nodes.
#[test]
fn a_second_signal_ends_the_runner_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let slow_cleanup = "    command: echo $$ > ${{outputs.out}}/pid; sleep 60
    outputs: {out: {type: uri_folder}}
";
    let sleeper = "    command: sleep 60
";
    write(
        dir.path(),
        "two.yml",
        &pipeline_yaml(
            "settings: {on_finalize: cleanup}\n",
            &[("sleeper", sleeper), ("cleanup", slow_cleanup)],
        ),
    );
    let mut running_run = Running::start(dir.path(), "two.yml");
    running_run.wait_for("sleeper", "Running");
    let runner = libc::pid_t::try_from(running_run.child.id()).unwrap();
    // SAFETY: sends a signal to the process this test started.
    assert_eq!(unsafe { libc::kill(runner, libc::SIGINT) }, 0);
    running_run.wait_for("cleanup", "Running");
    let pid = read_pid(&running_run.dir().join("cleanup/outputs/out/pid"));
    // SAFETY: as above.
    assert_eq!(unsafe { libc::kill(runner, libc::SIGINT) }, 0);
    let started = Instant::now();
    let status = running_run.child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        ends_within(pid, Duration::from_secs(5)),
        "the finalizer outlived its runner"
    );
}

/// A FIFO in an input folder never blocks the reuse hash or the copy: the node fails, saying what
/// it found (the issue: the run hung, and a cancel ended nothing).
#[test]
fn a_fifo_in_an_input_fails_the_node_without_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "data/a.csv", "1\n");
    let fifo = std::ffi::CString::new(dir.path().join("data/pipe").to_str().unwrap()).unwrap();
    // SAFETY: a C string that outlives the call.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let read = "    command: ls ${{inputs.data}}
    inputs: {data: {type: uri_folder, path: ./data}}
";
    write(
        dir.path(),
        "fifo_in.yml",
        &pipeline_yaml("", &[("read", read)]),
    );
    let running_run = Running::start(dir.path(), "fifo_in.yml");
    let (code, events) = running_run.end_within(Duration::from_secs(20));
    assert_eq!(code, Some(1), "{events:?}");
    let error = node(summary(&events), "read")["error"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        error.contains("is a FIFO; an input is read from regular files"),
        "{error}"
    );
}
