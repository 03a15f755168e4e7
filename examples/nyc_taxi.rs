//! The NYC-taxi shape (prep → train → score → eval), written as annotated Rust functions and
//! emitted as the PipelineJob YAML that `az ml job create --file` takes.
//!
//! ```text
//! cargo run --example nyc_taxi -- list                          # the pipelines defined here
//! cargo run --example nyc_taxi -- emit nyc_taxi                 # YAML to stdout (paths relative to this crate)
//! cargo run --example nyc_taxi -- emit nyc_taxi -o taxi.yml     # to a file; paths rewritten to stay correct from there
//! cargo run --example nyc_taxi -- validate nyc_taxi             # every check `pipeline validate` makes
//! cargo run --example nyc_taxi -- graph nyc_taxi                # the DAG, as Mermaid
//! ```
//! The component scripts are real (standard-library Python) and live in `examples/nyc_taxi/`.

use pipeline::prelude::*;

/// Drops meter errors and splits trips into train and test sets.
#[component(
    version = "1",
    environment = "azureml://registries/azureml/environments/sklearn-1.5/labels/latest",
    code = "examples/nyc_taxi/components/prep",
    command = "python prep.py --raw ${{inputs.raw_data}} --train ${{outputs.train}} --test ${{outputs.test}} $[[--test_ratio ${{inputs.test_ratio}}]]"
)]
fn prep(
    raw_data: Input<UriFolder>,
    #[input(min = 0.0, max = 1.0)] test_ratio: Option<f64>,
    train: Output<UriFolder>,
    test: Output<UriFolder>,
) {
}

/// Fits fare = a + b * distance.
#[component(
    version = "1",
    environment = "azureml://registries/azureml/environments/sklearn-1.5/labels/latest",
    code = "examples/nyc_taxi/components/train",
    command = "python train.py --data ${{inputs.data}} --model ${{outputs.model}}"
)]
fn train(data: Input<UriFolder>, model: Output<CustomModel>) {}

/// Predicts the fare of every test trip.
#[component(
    version = "1",
    environment = "azureml://registries/azureml/environments/sklearn-1.5/labels/latest",
    code = "examples/nyc_taxi/components/score",
    command = "python score.py --model ${{inputs.model}} --data ${{inputs.data}} --predictions ${{outputs.predictions}}"
)]
fn score(model: Input<CustomModel>, data: Input<UriFolder>, predictions: Output<UriFolder>) {}

/// Reports the RMSE of the predictions.
#[component(
    version = "1",
    environment = "azureml://registries/azureml/environments/sklearn-1.5/labels/latest",
    code = "examples/nyc_taxi/components/eval",
    command = "python eval.py --predictions ${{inputs.predictions}} --report ${{outputs.report}}"
)]
fn eval(predictions: Input<UriFolder>, report: Output<UriFolder>) {}

/// NYC taxi fare regression: prep → train → score → eval.
#[pipeline(
    experiment_name = "nyc_taxi",
    default_compute = "azureml:cpu-cluster",
    continue_on_step_failure = false
)]
fn nyc_taxi(
    #[input(default = "examples/nyc_taxi/data")] raw: Input<UriFolder>,
    #[input(default = 0.25)] test_ratio: f64,
) -> Output<UriFolder> {
    let prepped = prep(raw).test_ratio(test_ratio);
    let trained = train(prepped.outputs.train);
    let scored = score(trained.outputs.model, prepped.outputs.test);
    let evaluated = eval(scored.outputs.predictions);
    evaluated.outputs.report.mode(Mode::Upload)
}

fn main() {
    pipeline_cli::main([nyc_taxi::definition()])
}
