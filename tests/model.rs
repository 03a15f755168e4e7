//! The model as a user sees it: typed bindings, canonical emission, unknown keys kept, errors that
//! say where, dump to files.

use std::fs;
use std::sync::Arc;

use pipeline::{
    Binding, CommandJob, Component, ComponentRef, DataPath, Distribution, Document, Environment,
    Error, IdentityType, Job, JobInput, JobOutput, Literal, MiniBatchSize, Mode, PipelineNode,
    PortType, SizeUnit, Yaml, job_from_str, load, load_job,
};

const MESSY: &str = r#"
jobs:
  score:
    inputs:
      model: ${{parent.jobs.train.outputs.model}}
      threshold: 0.5
      note: 'on'
    outputs:
      scores: ${{parent.outputs.scores}}
    command: python score.py --model ${{inputs.model}} $[[--threshold ${{inputs.threshold}}]]
    environment: azureml:AzureML-sklearn-1.0@latest
    future_key: {kept: true}
  train:
    type: command
    component:
      type: command
      name: train
      inputs:
        data: {type: uri_folder}
        lr: {type: number, default: 0.01, min: 0.0, max: 1.0}
      outputs:
        model: {type: mlflow_model}
      command: python train.py --data ${{inputs.data}} --lr ${{inputs.lr}} --model ${{outputs.model}}
      environment: {image: 'python:3.11', conda_file: ./conda.yml}
      code: ./src
    inputs:
      data: {type: uri_folder, path: azureml:taxi:1, mode: ro_mount}
      lr: ${{parent.inputs.lr}}
  sweep_it:
    type: sweep
    trial: ./trial.yml
    inputs:
      data: ${{parent.jobs.train.outputs.model}}
description:
outputs:
  scores: {type: uri_folder, mode: upload}
settings:
  default_compute: azureml:cpu-cluster
  continue_on_step_failure: true
  my_setting: 1
inputs:
  lr: 0.01
tags: {release: '2024-01-01', mode: 'yes', octal: '0755', time: '1:30'}
type: pipeline
$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json
"#;

fn messy() -> pipeline::PipelineJob {
    match job_from_str(MESSY).unwrap() {
        Job::Pipeline(p) => p,
        other => panic!("not a pipeline: {other:?}"),
    }
}

#[test]
fn bindings_are_typed_values() {
    let job = messy();
    let jobs = job.jobs.as_ref().unwrap();
    let PipelineNode::Command(score) = &jobs["score"] else {
        panic!()
    };
    let inputs = score.inputs.as_ref().unwrap();
    assert_eq!(
        inputs["model"],
        JobInput::Binding(Binding::job_output("train", "model"))
    );
    assert_eq!(inputs["threshold"], JobInput::Literal(Literal::Float(0.5)));
    assert_eq!(inputs["note"], JobInput::Literal(Literal::Str("on".into())));
    assert_eq!(
        score.outputs.as_ref().unwrap()["scores"],
        JobOutput::Binding(Binding::ParentOutput("scores".into()))
    );
    let bindings = score.command.as_ref().unwrap().bindings();
    assert_eq!(
        bindings,
        vec![
            (&Binding::Input("model".into()), false),
            (&Binding::Input("threshold".into()), true)
        ]
    );

    let PipelineNode::Command(train) = &jobs["train"] else {
        panic!()
    };
    let Some(ComponentRef::Inline(component)) = &train.component else {
        panic!()
    };
    let Component::Command(c) = component.as_ref() else {
        panic!()
    };
    let lr = &c.inputs.as_ref().unwrap()["lr"];
    assert_eq!(lr.kind, PortType::Param(pipeline::ParamType::Number));
    assert_eq!(lr.max, Some(Literal::Float(1.0)));
    let JobInput::Data(data) = &train.inputs.as_ref().unwrap()["data"] else {
        panic!()
    };
    assert_eq!(data.mode, Some(Mode::RoMount));
    assert!(
        matches!(&data.path, Some(DataPath::Asset(pipeline::AssetRef::Version { name, version })) if name == "taxi" && version == "1")
    );

    // A kind we do not model is kept verbatim, and its bindings still count.
    let sweep = &jobs["sweep_it"];
    assert!(matches!(sweep, PipelineNode::Other(n) if n.kind == "sweep"));
    assert_eq!(
        sweep.bindings(),
        vec![Binding::job_output("train", "model")]
    );
}

#[test]
fn emission_is_canonical_and_keeps_unknown_keys() {
    let text = Job::Pipeline(messy()).to_yaml();
    insta::assert_snapshot!("messy_pipeline", text);
    // Equal after a second load, and stable.
    let again = job_from_str(&text).unwrap();
    assert_eq!(again, Job::Pipeline(messy()));
    assert_eq!(again.to_yaml(), text);
}

#[test]
fn errors_name_file_line_column_and_path_and_are_all_collected() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.yml");
    fs::write(
        &file,
        "type: pipeline\nsettings:\n  force_rerun: sometimes\njobs:\n  a:\n    type: parallel\n    mini_batch_size: lots\n  b:\n    component: ./nope.yml\n",
    )
    .unwrap();
    let err = load_job(&file).unwrap_err();
    let d = err.diagnostics();
    assert_eq!(d.len(), 3, "{err}");
    assert_eq!(
        (d[0].line, d[0].column, d[0].path.as_str()),
        (3, 16, "settings.force_rerun")
    );
    assert_eq!(
        (d[1].line, d[1].column, d[1].path.as_str()),
        (7, 22, "jobs.a.mini_batch_size")
    );
    assert_eq!(
        (d[2].line, d[2].column, d[2].path.as_str()),
        (9, 16, "jobs.b.component")
    );
    assert!(d.iter().all(|d| d.file == file));
    let shown = err.to_string();
    assert!(
        shown.contains("bad.yml:3:16: error[E003]: settings.force_rerun: expected a boolean"),
        "{shown}"
    );
    assert!(d[1].help.as_deref().unwrap().contains("10kb"), "{shown}");
}

#[test]
fn bad_yaml_is_an_error_not_a_panic() {
    for (text, expect) in [
        ("a: [1, 2", "expected ',' or ']'"),
        ("a: 1\na: 2\n", "duplicate key `a`"),
        ("", "expected a job"),
        ("- 1\n- 2\n", "expected a job"),
        ("type: pipeline\njobs: [a]\n", "jobs: expected a mapping"),
        (
            "type: pipeline\njobs:\n  x:\n    type: command\n    inputs:\n      a: {type: dataset}\n",
            "`dataset` is not an input or output type",
        ),
        (
            "type: command\ncommand: x\ndistribution: {type: horovod}\n",
            "unknown distribution type `horovod`",
        ),
        (
            "type: command\ncommand: x\nlimits: {timeout: -5}\n",
            "a whole number",
        ),
        (
            "type: command\nx: 99999999999999999999999\n",
            "does not fit in 64 bits",
        ),
    ] {
        let err = job_from_str(text).unwrap_err();
        assert!(err.to_string().contains(expect), "{text:?} gave: {err}");
    }
}

#[test]
fn component_files_are_read_once_and_relative_to_their_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("components/train")).unwrap();
    fs::write(
        dir.path().join("components/train/train.yml"),
        "type: command\nname: train\ncode: ./src\ncommand: python train.py\nenvironment: azureml:env:1\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("pipe.yml"),
        "type: pipeline\njobs:\n  a: {component: ./components/train/train.yml}\n  b: {component: 'file:components/train/train.yml'}\n",
    )
    .unwrap();
    let Job::Pipeline(p) = load_job(dir.path().join("pipe.yml")).unwrap() else {
        panic!()
    };
    let jobs = p.jobs.as_ref().unwrap();
    let file_component = |n: &str| match jobs[n].component() {
        Some(ComponentRef::File {
            component: Some(c), ..
        }) => Arc::clone(c),
        other => panic!("{other:?}"),
    };
    assert!(
        Arc::ptr_eq(&file_component("a"), &file_component("b")),
        "one read for both nodes"
    );
    assert_eq!(file_component("a").name(), Some("train"));

    // A file that names itself is an error, not a stack overflow.
    fs::write(
        dir.path().join("loop.yml"),
        "type: pipeline\njobs:\n  a: {type: pipeline, component: ./loop.yml}\n",
    )
    .unwrap();
    let err = pipeline::load_component(dir.path().join("loop.yml")).unwrap_err();
    assert!(err.to_string().contains("names itself"), "{err}");
}

#[test]
fn dump_writes_atomically_never_overwrites_and_rebases_paths() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("src/components")).unwrap();
    fs::write(
        dir.path().join("src/components/c.yml"),
        "type: command\ncommand: echo\ncode: ./code\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("src/job.yml"),
        "type: command\ncommand: python a.py --d ${{inputs.d}}\ncode: ./code\nenvironment: {image: python, conda_file: env/conda.yml}\ninputs:\n  d: {type: uri_folder, path: ./data}\n  e: {type: uri_file, path: https://x/y.csv}\n",
    )
    .unwrap();
    let job = load_job(dir.path().join("src/job.yml")).unwrap();

    // To a writer.
    let mut buf = Vec::new();
    job.dump(&mut buf).unwrap();
    assert_eq!(String::from_utf8(buf).unwrap(), job.to_yaml());

    // To a new file in another folder: paths now point back at the same places.
    fs::create_dir_all(dir.path().join("out")).unwrap();
    let out = dir.path().join("out/job.yml");
    job.dump(&out).unwrap();
    let written = fs::read_to_string(&out).unwrap();
    assert!(written.contains("code: ../src/code\n"), "{written}");
    assert!(
        written.contains("conda_file: ../src/env/conda.yml\n"),
        "{written}"
    );
    assert!(written.contains("path: ../src/data\n"), "{written}");
    assert!(written.contains("path: https://x/y.csv\n"), "{written}");

    // Never over an existing file, and nothing else is touched.
    let err = job.dump(&out).unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err}");
    job.dump_replacing(&out).unwrap();
    let names: Vec<_> = fs::read_dir(dir.path().join("out"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        names,
        vec![std::ffi::OsString::from("job.yml")],
        "no temporary file left behind"
    );

    // Reloaded from there and dumped back beside the original, it is the original text.
    let moved = load(&out).unwrap();
    let back = dir.path().join("src/back.yml");
    moved.dump(&back).unwrap();
    let unprefixed = |s: String| s.replace(" ./", " ");
    assert_eq!(
        unprefixed(fs::read_to_string(&back).unwrap()),
        unprefixed(job.to_yaml())
    );
    let Document::Job(Job::Command(back)) = load(&back).unwrap() else {
        panic!()
    };
    assert_eq!(back.code, Some(pipeline::CodeRef::Local("code".into())));
}

#[test]
fn command_jobs_parallel_and_computes_are_typed() {
    let job = job_from_str(
        "type: command\ncommand: python x.py\nenvironment: azureml:env@latest\ndistribution: {type: pytorch, process_count_per_instance: 4}\nresources: {instance_count: 2}\nlimits: {timeout: 3600}\nidentity: {type: user_identity}\nqueue_settings: {job_tier: spot}\nservices:\n  lab: {type: jupyter_lab}\n",
    )
    .unwrap();
    let Job::Command(c): Job = job else { panic!() };
    let CommandJob {
        distribution,
        resources,
        limits,
        identity,
        environment,
        ..
    } = c;
    assert!(
        matches!(distribution, Some(Distribution::PyTorch(d)) if d.process_count_per_instance == Some(4))
    );
    assert_eq!(resources.unwrap().instance_count, Some(2));
    assert_eq!(limits.unwrap().timeout, Some(3600));
    assert_eq!(identity.unwrap().kind, IdentityType::UserIdentity);
    assert!(
        matches!(environment, Some(Environment::Asset(pipeline::AssetRef::Label { label, .. })) if label == "latest")
    );

    let component = pipeline::component_from_str(
        "type: parallel\nname: score\nmini_batch_size: 10kb\ninput_data: ${{inputs.data}}\ninputs: {data: {type: uri_folder}}\nretry_settings: {max_retries: 2, timeout: 60}\nlogging_level: DEBUG\nerror_threshold: -1\ntask:\n  type: run_function\n  code: ./src\n  entry_script: score.py\n  append_row_to: ${{outputs.out}}\n",
    )
    .unwrap();
    let Component::Parallel(p) = component else {
        panic!()
    };
    assert_eq!(
        p.mini_batch_size,
        Some(MiniBatchSize::Size {
            amount: 10,
            unit: SizeUnit::Kb
        })
    );
    assert_eq!(p.mini_batch_size.unwrap().bytes(), Some(10 * 1024));
    assert_eq!(
        p.input_data.unwrap().as_binding(),
        Some(&Binding::Input("data".into()))
    );
    let task = p.task.unwrap();
    assert_eq!(task.entry_script.as_deref(), Some("score.py"));
    assert_eq!(
        task.append_row_to.unwrap().as_binding(),
        Some(&Binding::Output("out".into()))
    );
    assert_eq!(p.error_threshold, Some(-1));
}

#[test]
fn huge_pipelines_load_on_every_core_with_the_same_result() {
    // Past a few thousand nodes, nodes are read and written in parallel: the model, the text and
    // the diagnostics (with their lines) must be what a sequential run gives.
    let mut yaml =
        String::from("type: pipeline\nsettings: {default_compute: 'azureml:c'}\njobs:\n");
    for i in 0..5000 {
        let input = if i == 0 {
            "${{parent.inputs.raw}}".to_owned()
        } else {
            format!("${{{{parent.jobs.n{}.outputs.out}}}}", i - 1)
        };
        yaml.push_str(&format!("  n{i}:\n    command: echo ${{{{inputs.d}}}}\n    environment: azureml:env:1\n    inputs:\n      d: {input}\n"));
    }
    let job = job_from_str(&yaml).unwrap();
    let text = job.to_yaml();
    assert_eq!(job_from_str(&text).unwrap(), job);
    let Job::Pipeline(p) = &job else { panic!() };
    let names: Vec<&String> = p.jobs.as_ref().unwrap().keys().collect();
    assert_eq!(names.len(), 5000);
    assert!(
        names
            .iter()
            .enumerate()
            .all(|(i, n)| **n == format!("n{i}")),
        "order kept"
    );

    // Two bad nodes far apart: both reported, in order, at their own lines.
    let bad = yaml
        .replacen(
            "  n4000:\n    command: echo",
            "  n4000:\n    limits: {timeout: soon}\n    command: echo",
            1,
        )
        .replacen(
            "  n10:\n    command: echo",
            "  n10:\n    limits: {timeout: -1}\n    command: echo",
            1,
        );
    let err = job_from_str(&bad).unwrap_err();
    let d = err.diagnostics();
    assert_eq!(d.len(), 2, "{err}");
    assert_eq!(
        (d[0].path.as_str(), d[0].line),
        ("jobs.n10.limits.timeout", 4 + 5 * 10 + 1)
    );
    assert_eq!(
        (d[1].path.as_str(), d[1].line),
        ("jobs.n4000.limits.timeout", 4 + 5 * 4000 + 2)
    );
}
