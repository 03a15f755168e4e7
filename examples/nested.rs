//! A nested pipeline: `training` (clean → fit) is a pipeline of its own, run as one node of
//! `nightly`, which reports on the model it gives.
//!
//! ```text
//! cargo run --example nested -- list
//! cargo run --example nested -- emit nightly
//! cargo run --example nested -- graph nightly
//! ```

use pipeline::prelude::*;

/// Keeps trips with a positive distance and fare.
#[component(
    environment = "azureml://registries/azureml/environments/sklearn-1.5/labels/latest",
    code = "examples/nested/components/clean",
    command = "python clean.py --raw ${{inputs.raw}} --clean ${{outputs.clean}}"
)]
fn clean(raw: Input<UriFolder>, clean: Output<UriFolder>) {}

/// Fits fare = a + b * distance.
#[component(
    environment = "azureml://registries/azureml/environments/sklearn-1.5/labels/latest",
    code = "examples/nested/components/fit",
    command = "python fit.py --data ${{inputs.data}} --model ${{outputs.model}}"
)]
fn fit(data: Input<UriFolder>, model: Output<CustomModel>) {}

/// Writes the fitted line as a report.
#[component(
    environment = "azureml://registries/azureml/environments/sklearn-1.5/labels/latest",
    code = "examples/nested/components/report",
    command = "python report.py --model ${{inputs.model}} --report ${{outputs.report}}"
)]
fn report(model: Input<CustomModel>, report: Output<UriFolder>) {}

/// What training gives.
#[derive(PipelineOutputs)]
struct Trained {
    model: Output<CustomModel>,
    cleaned: Output<UriFolder>,
}

/// Cleans the trips and fits the model.
#[pipeline(default_compute = "azureml:cpu-cluster")]
fn training(raw: Input<UriFolder>) -> Trained {
    let cleaned = clean(raw);
    let fitted = fit(cleaned.outputs.clean);
    Trained {
        model: fitted.outputs.model,
        cleaned: cleaned.outputs.clean,
    }
}

/// Trains (a nested pipeline) and reports on the model, every night.
#[pipeline(experiment_name = "nightly", default_compute = "azureml:cpu-cluster")]
fn nightly(#[input(default = "examples/nested/data")] raw: Input<UriFolder>) -> Output<UriFolder> {
    let trained = training(raw);
    let reported = report(trained.outputs.model);
    reported.outputs.report
}

fn main() {
    pipeline_cli::main([nightly::definition(), training::definition()])
}
