//! A standalone command job: one component run once, on its own (the SDK's `command(...)`),
//! rather than as a node of a pipeline.
//!
//! ```text
//! cargo run --example command_job -- emit                       # the command job's YAML
//! cargo run --example command_job -- emit --set data=azureml:trips:2
//! ```

use pipeline::prelude::*;
use pipeline::{CommandJob, Document, Job};

/// Fits fare = a + b * distance.
#[component(
    environment = "azureml://registries/azureml/environments/sklearn-1.5/labels/latest",
    code = "examples/command_job/train",
    command = "python fit.py --data ${{inputs.data}} --model ${{outputs.model}}",
    timeout = 1800
)]
fn fit(data: Input<UriFolder>, model: Output<CustomModel>) {}

/// Fits the fare model once, on the trips in `examples/command_job/data`.
fn fit_once() -> Document {
    let job = CommandJob::from_component(&fit::component())
        .input(
            "data",
            pipeline::InputData::new(
                pipeline::PortType::Asset(pipeline::AssetType::UriFolder),
                pipeline::DataPath::parse("examples/command_job/data"),
            ),
        )
        .compute("azureml:cpu-cluster")
        .experiment_name("fit_once");
    Document::Job(Job::Command(job))
}

fn main() {
    pipeline_cli::main([Definition::document(
        "fit_once",
        Some("Fits the fare model once, on its own."),
        fit_once,
    )])
}
