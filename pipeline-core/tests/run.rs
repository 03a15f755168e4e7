//! The local runner through its library API, on pipelines written to temporary folders and run
//! with real processes: what a node sees, where things land, what runs again.

use std::fs;
use std::path::Path;

use pipeline_core::run::{Event, RunOptions, RunReport, run};
use pipeline_core::{JobStatus, load_job};

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn run_file(
    workspace: &Path,
    file: &Path,
    options: impl FnOnce(&mut RunOptions),
) -> (RunReport, Vec<Event>) {
    let job = load_job(file).unwrap_or_else(|e| panic!("{e}"));
    let mut opts = RunOptions::new(workspace);
    options(&mut opts);
    let mut events = Vec::new();
    let report =
        run(&job, &opts, &mut |e| events.push(e.clone())).unwrap_or_else(|e| panic!("{e}"));
    (report, events)
}

fn node<'r>(report: &'r RunReport, name: &str) -> &'r pipeline_core::run::NodeReport {
    report
        .nodes
        .iter()
        .find(|n| n.name == name)
        .unwrap_or_else(|| panic!("no node {name} in {:?}", report.nodes))
}

const ENV: &str = "azureml:AzureML-sklearn-1.0@latest";

/// A component file with its code folder, a nested pipeline component, defaults and an optional
/// input: the shape of real projects.
fn project(dir: &Path) {
    write(
        dir,
        "components/count/count.sh",
        "#!/bin/bash\nset -e\nwc -l < \"$1/lines.txt\" | tr -d ' ' > \"$2/count.txt\"\n",
    );
    write(
        dir,
        "components/count.yml",
        &format!(
            "$schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json
name: count
type: command
code: ./count
environment: {ENV}
inputs:
  data: {{type: uri_folder}}
  label: {{type: string, default: lines}}
  suffix: {{type: string, optional: true}}
outputs:
  counted: {{type: uri_folder}}
command: >-
  bash count.sh ${{{{inputs.data}}}} ${{{{outputs.counted}}}} &&
  echo ${{{{inputs.label}}}}$[[${{{{inputs.suffix}}}}]] > ${{{{outputs.counted}}}}/label.txt &&
  touch written_in_code_folder
"
        ),
    );
    write(
        dir,
        "components/inner.yml",
        &format!(
            "$schema: https://azuremlschemas.azureedge.net/latest/pipelineComponent.schema.json
name: inner
type: pipeline
inputs:
  data: {{type: uri_folder}}
outputs:
  result: {{type: uri_folder}}
jobs:
  copy:
    type: command
    environment: {ENV}
    inputs: {{src: \"${{{{parent.inputs.data}}}}\"}}
    outputs: {{dst: {{type: uri_folder}}}}
    command: cp ${{{{inputs.src}}}}/lines.txt ${{{{outputs.dst}}}}/
  count:
    type: command
    component: ./count.yml
    inputs: {{data: \"${{{{parent.jobs.copy.outputs.dst}}}}\"}}
    outputs: {{counted: \"${{{{parent.outputs.result}}}}\"}}
"
        ),
    );
    write(dir, "data/lines.txt", "a\nb\nc\n");
    write(
        dir,
        "pipeline.yml",
        "$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json
type: pipeline
inputs:
  raw: {type: uri_folder, path: ./data}
outputs:
  final: {type: uri_folder}
jobs:
  nested:
    type: pipeline
    component: ./components/inner.yml
    inputs: {data: \"${{parent.inputs.raw}}\"}
  direct:
    type: command
    component: ./components/count.yml
    inputs:
      data: ${{parent.inputs.raw}}
      suffix: _direct
    outputs: {counted: \"${{parent.outputs.final}}\"}
",
    );
}

#[test]
fn nested_pipelines_run_inline_with_component_files_defaults_and_optional_inputs() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path());
    let ws = tempfile::tempdir().unwrap();
    let (report, events) = run_file(ws.path(), &dir.path().join("pipeline.yml"), |_| {});
    assert_eq!(report.status, JobStatus::Completed, "{report:#?}");
    let names: Vec<_> = report.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["nested/copy", "nested/count", "direct"]);

    let nested = node(&report, "nested/count").outputs["counted"].clone();
    assert_eq!(fs::read_to_string(nested.join("count.txt")).unwrap(), "3\n");
    // The default applies; the optional block disappears when its input is unset.
    assert_eq!(
        fs::read_to_string(nested.join("label.txt")).unwrap(),
        "lines\n"
    );
    let direct = &report.outputs["final"];
    assert_eq!(
        fs::read_to_string(direct.join("label.txt")).unwrap(),
        "lines_direct\n"
    );

    // The code ran in a copy: the user's folder is untouched.
    assert!(
        !dir.path()
            .join("components/count/written_in_code_folder")
            .exists()
    );
    assert!(
        report
            .dir
            .join("direct/code/written_in_code_folder")
            .exists()
    );
    assert!(report.dir.join("direct/user_logs/std_log.txt").is_file());
    assert!(report.dir.starts_with(ws.path().join(".pipeline/runs")));

    // Statuses go NotStarted → Queued → Running → Completed, the pipeline Running → Completed.
    let of = |name: &str| -> Vec<JobStatus> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::Node {
                    name: n, status, ..
                } if n == name => Some(*status),
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        of("nested/count"),
        [JobStatus::Queued, JobStatus::Running, JobStatus::Completed]
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Notice(n) if n.contains("environments are not built")))
    );
}

#[test]
fn reuse_follows_code_and_data_and_force_rerun_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path());
    let ws = tempfile::tempdir().unwrap();
    let file = dir.path().join("pipeline.yml");
    let (first, _) = run_file(ws.path(), &file, |_| {});
    assert!(first.nodes.iter().all(|n| !n.reused));

    let (second, _) = run_file(ws.path(), &file, |_| {});
    assert_eq!(second.status, JobStatus::Completed);
    assert!(second.nodes.iter().all(|n| n.reused), "{:#?}", second.nodes);
    // Reused outputs are in the new run, with the same content.
    let out = &second.outputs["final"];
    assert!(out.starts_with(&second.dir));
    assert_eq!(fs::read_to_string(out.join("count.txt")).unwrap(), "3\n");

    // A change to the code reruns the nodes that use it, and nothing else.
    write(
        dir.path(),
        "components/count/count.sh",
        "#!/bin/bash\nset -e\nwc -l < \"$1/lines.txt\" | tr -d ' ' > \"$2/count.txt\"\necho changed\n",
    );
    let (third, _) = run_file(ws.path(), &file, |_| {});
    assert!(node(&third, "nested/copy").reused);
    assert!(!node(&third, "nested/count").reused);
    assert!(!node(&third, "direct").reused);

    // New data reruns everything downstream of it.
    write(dir.path(), "data/lines.txt", "a\nb\n");
    let (fourth, _) = run_file(ws.path(), &file, |_| {});
    assert!(fourth.nodes.iter().all(|n| !n.reused));
    assert_eq!(
        fs::read_to_string(fourth.outputs["final"].join("count.txt")).unwrap(),
        "2\n"
    );

    let (forced, _) = run_file(ws.path(), &file, |o| o.force_rerun = true);
    assert!(forced.nodes.iter().all(|n| !n.reused));
}

#[test]
fn nodes_that_are_not_deterministic_always_run() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "job.yml",
        &format!(
            "type: pipeline
jobs:
  stamp:
    type: command
    component:
      type: command
      is_deterministic: false
      environment: {ENV}
      outputs: {{out: {{type: uri_folder}}}}
      command: date +%s%N > ${{{{outputs.out}}}}/now
"
        ),
    );
    let ws = tempfile::tempdir().unwrap();
    let file = dir.path().join("job.yml");
    run_file(ws.path(), &file, |_| {});
    let (again, _) = run_file(ws.path(), &file, |_| {});
    assert!(!again.nodes[0].reused);
}

#[test]
fn what_cannot_run_here_is_said_before_anything_starts() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "job.yml",
        &format!(
            "type: pipeline
inputs:
  taxi: {{type: uri_folder, path: azureml:raw_taxi:3}}
jobs:
  prep:
    type: command
    environment: {ENV}
    inputs: {{data: \"${{{{parent.inputs.taxi}}}}\"}}
    command: ls ${{{{inputs.data}}}}
  etl:
    type: spark
    entry: {{file: etl.py}}
  score:
    type: command
    component: azureml:score:1
"
        ),
    );
    let job = load_job(dir.path().join("job.yml")).unwrap();
    let ws = tempfile::tempdir().unwrap();
    let err = run(&job, &RunOptions::new(ws.path()), &mut |_| {}).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("pipeline input taxi: `azureml:raw_taxi:3` is not on this machine; map it to a local copy with --data raw_taxi=PATH"), "{text}");
    assert!(
        text.contains("cannot run locally: spark node etl"),
        "{text}"
    );
    assert!(
        text.contains("node score uses the registered component azureml:score:1"),
        "{text}"
    );
    assert!(!ws.path().join(".pipeline").exists(), "nothing may start");

    // Mapped with --data, the asset is read from the local folder.
    let local = tempfile::tempdir().unwrap();
    write(local.path(), "part-0.csv", "1\n");
    write(
        dir.path(),
        "job.yml",
        &format!(
            "type: pipeline
inputs:
  taxi: {{type: uri_folder, path: azureml:raw_taxi:3}}
jobs:
  prep:
    type: command
    environment: {ENV}
    inputs: {{data: \"${{{{parent.inputs.taxi}}}}\"}}
    outputs: {{listing: {{type: uri_file}}}}
    command: ls ${{{{inputs.data}}}} > ${{{{outputs.listing}}}}
"
        ),
    );
    let (report, _) = run_file(ws.path(), &dir.path().join("job.yml"), |o| {
        o.data.insert("raw_taxi".into(), local.path().to_path_buf());
    });
    assert_eq!(report.status, JobStatus::Completed);
    let listing = &report.nodes[0].outputs["listing"];
    assert_eq!(fs::read_to_string(listing).unwrap(), "part-0.csv\n");
}

#[test]
fn a_missing_required_input_names_the_node_and_the_port() {
    let job = pipeline_core::job_from_str(&format!(
        "type: pipeline
jobs:
  train:
    type: command
    component:
      type: command
      environment: {ENV}
      inputs: {{lr: {{type: number}}}}
      command: echo ${{{{inputs.lr}}}}
"
    ))
    .unwrap();
    let ws = tempfile::tempdir().unwrap();
    let err = run(&job, &RunOptions::new(ws.path()), &mut |_| {}).unwrap_err();
    assert_eq!(
        err.to_string(),
        "node train: input lr is required but not given; bind it in `jobs.train.inputs`"
    );
}

#[test]
fn a_standalone_command_job_runs_as_one_node() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "job.yml",
        &format!(
            "$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json
type: command
name: hello
environment: {ENV}
inputs: {{who: world, flag: true, lr: 0.00001}}
outputs: {{greeting: {{type: uri_folder}}}}
command: echo hello ${{{{inputs.who}}}} ${{{{inputs.flag}}}} ${{{{inputs.lr}}}} > ${{{{outputs.greeting}}}}/hi.txt
"
        ),
    );
    let ws = tempfile::tempdir().unwrap();
    let (report, _) = run_file(ws.path(), &dir.path().join("job.yml"), |_| {});
    assert_eq!(report.status, JobStatus::Completed);
    assert_eq!(report.nodes[0].name, "hello");
    // Values arrive as the SDK passes them: Python's str() of each.
    assert_eq!(
        fs::read_to_string(report.outputs["greeting"].join("hi.txt")).unwrap(),
        "hello world True 1e-05\n"
    );
}
