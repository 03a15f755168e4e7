//! Pipelines defined with `#[component]` and `#[pipeline]`: the job they build.

use pipeline::prelude::*;

/// Drops meter errors and splits trips into train and test sets.
#[component(
    version = "1",
    environment = "azureml:AzureML-sklearn-1.0@latest",
    code = "examples/nyc_taxi/components/prep",
    command = "python prep.py --raw ${{inputs.raw_data}} --train ${{outputs.train}} --test ${{outputs.test}} $[[--ratio ${{inputs.test_ratio}}]]"
)]
fn prep(
    raw_data: Input<UriFolder>,
    #[input(min = 0.0, max = 1.0)] test_ratio: Option<f64>,
    train: Output<UriFolder>,
    #[output(mode = "upload")] test: Output<UriFolder>,
) {
}

#[component(
    environment = "azureml:AzureML-sklearn-1.0@latest",
    code = "examples/nyc_taxi/components/train",
    command = "python train.py --data ${{inputs.data}} --lr ${{inputs.learning_rate}} --model ${{outputs.model}}",
    tags = [("stage", "train")]
)]
fn train(
    data: Input<UriFolder>,
    #[input(default = 0.01, min = 0.0, max = 1.0, description = "Step size.")] learning_rate: f64,
    model: Output<MlflowModel>,
) {
}

/// NYC taxi fare regression.
#[pipeline(experiment_name = "nyc_taxi", default_compute = "azureml:cpu-cluster")]
fn nyc_taxi(
    #[input(default = "azureml:nyc_taxi_raw:1")] raw: Input<UriFolder>,
    learning_rate: f64,
) -> Output<MlflowModel> {
    let prepped = prep(raw).test_ratio(0.2);
    let trained = train(prepped.outputs.train).learning_rate(learning_rate);
    train(prepped.outputs.test);
    trained.outputs.model
}

#[test]
fn the_job_is_the_functions_wiring() {
    insta::assert_snapshot!("dsl_nyc_taxi", nyc_taxi::job().to_yaml());
}

#[test]
fn built_twice_the_same_yaml_and_it_validates() {
    let yaml = nyc_taxi::job().to_yaml();
    assert_eq!(nyc_taxi::job().to_yaml(), yaml);
    let job = pipeline::Document::Job(pipeline::Job::Pipeline(nyc_taxi::job()));
    let report = pipeline::validate::validate_document(&job);
    let found: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| format!("{:?} {} {}", d.code, d.path, d.message))
        .collect();
    assert!(found.is_empty(), "{found:#?}");
}

#[component(
    environment = "azureml:AzureML-sklearn-1.0@latest",
    code = "examples/nyc_taxi/components/score",
    command = "python score.py --model ${{inputs.model}} --data ${{inputs.data}} --out ${{outputs.scores}} --report ${{outputs.report}}"
)]
fn score(
    model: Input<MlflowModel>,
    data: Input<UriFolder>,
    scores: Output<UriFolder>,
    report: Output<UriFile>,
) {
}

/// What the training pipeline gives.
#[derive(PipelineOutputs)]
struct Trained {
    model: Output<MlflowModel>,
    holdout: Output<UriFolder>,
}

/// Prep and train, as one pipeline to nest.
#[pipeline]
fn training(raw: Input<UriFolder>, #[input(default = 0.05)] learning_rate: f64) -> Trained {
    let prepped = prep(raw);
    let trained = train(prepped.outputs.train)
        .learning_rate(learning_rate)
        .compute("azureml:gpu-cluster");
    Trained {
        model: trained.outputs.model.mode(Mode::Upload),
        holdout: prepped.outputs.test,
    }
}

/// Training nested in a pipeline that scores the holdout set.
#[pipeline(
    default_compute = "azureml:cpu-cluster",
    continue_on_step_failure = false
)]
fn scored(#[input(default = "azureml:nyc_taxi_raw:1")] raw: Input<UriFolder>) -> Output<UriFolder> {
    let training_run = training(raw).learning_rate(0.1);
    let scoring = score(training_run.outputs.model, training_run.outputs.holdout)
        .display_name("Score the holdout set")
        .environment_variable("LOG_LEVEL", "debug");
    scoring
        .outputs
        .scores
        .path("azureml://datastores/workspaceblobstore/paths/scores/")
}

#[test]
fn pipelines_nest_return_several_outputs_and_set_node_settings() {
    let yaml = scored::job().to_yaml();
    insta::assert_snapshot!("dsl_nested", yaml);
    let job = pipeline::Document::Job(pipeline::Job::Pipeline(scored::job()));
    let found: Vec<String> = pipeline::validate::validate_document(&job)
        .diagnostics
        .iter()
        .map(|d| format!("{:?} {}", d.code, d.path))
        .collect();
    // In memory the nested pipeline is inline, which the SDK does not take: `emit -o` writes it
    // to a file (tests/example_cli.rs); nothing else is wrong.
    assert_eq!(found, ["E047 jobs.training_run.component"]);
    let trained = training::job().to_yaml();
    assert!(
        trained
            .contains("outputs:\n  model:\n    type: mlflow_model\n    mode: upload\n  holdout:\n"),
        "{trained}"
    );
}

/// Scores trips a mini-batch at a time.
#[component(
    parallel,
    environment = "azureml:AzureML-sklearn-1.0@latest",
    code = "examples/nyc_taxi/components/score",
    entry_script = "score.py",
    program_arguments = "--model ${{inputs.model}} $[[--threshold ${{inputs.threshold}}]]",
    input_data = "${{inputs.trips}}",
    mini_batch_size = "10kb",
    max_concurrency_per_instance = 2,
    instance_count = 3,
    error_threshold = -1,
    mini_batch_error_threshold = 5,
    retry_settings = (max_retries = 2, timeout = 60),
    logging_level = "INFO",
    append_row_to = "${{outputs.scores}}",
    environment_variables = [("AZUREML_PARALLEL_EXAMPLE", "1")]
)]
fn batch_score(
    trips: Input<UriFolder>,
    model: Input<CustomModel>,
    threshold: Option<f64>,
    scores: Output<UriFolder>,
) {
}

/// Trains on several nodes.
#[component(
    environment = "azureml:AzureML-pytorch-2.0@latest",
    code = "examples/nyc_taxi/components/train",
    command = "python train.py --data ${{inputs.data}} --model ${{outputs.model}}",
    resources = (instance_count = 2, instance_type = "Standard_NC6s_v3"),
    distribution = (type = "pytorch", process_count_per_instance = 4),
    timeout = 3600,
    is_deterministic = false,
    display_name = "Distributed training"
)]
fn train_distributed(data: Input<UriFolder>, model: Output<CustomModel>) {}

#[pipeline(default_compute = "azureml:cpu-cluster")]
fn batch(trips: Input<UriFolder>) -> Output<UriFolder> {
    let trained = train_distributed(trips);
    batch_score(trips, trained.outputs.model).outputs.scores
}

#[test]
fn parallel_and_distributed_components() {
    insta::assert_snapshot!("dsl_parallel", batch::job().to_yaml());
    let job = pipeline::Document::Job(pipeline::Job::Pipeline(batch::job()));
    let found: Vec<String> = pipeline::validate::validate_document(&job)
        .diagnostics
        .iter()
        .map(|d| format!("{:?} {} {}", d.code, d.path, d.message))
        .collect();
    assert!(found.is_empty(), "{found:#?}");
}
