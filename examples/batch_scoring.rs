//! Batch scoring with a parallel job: Azure ML splits the trip files into mini-batches and calls
//! `run(mini_batch)` in `examples/batch_scoring/score/score.py` on several nodes at once.
//!
//! ```text
//! cargo run --example batch_scoring -- emit          # the pipeline job's YAML
//! cargo run --example batch_scoring -- validate
//! ```

use pipeline::prelude::*;

/// Predicts the fare of every trip, a mini-batch of files at a time.
#[component(
    parallel,
    version = "1",
    environment = "azureml://registries/azureml/environments/sklearn-1.5/labels/latest",
    code = "examples/batch_scoring/score",
    entry_script = "score.py",
    program_arguments = "--model ${{inputs.model}}",
    input_data = "${{inputs.trips}}",
    mini_batch_size = "1",
    instance_count = 2,
    max_concurrency_per_instance = 2,
    mini_batch_error_threshold = 5,
    retry_settings = (max_retries = 2, timeout = 300),
    logging_level = "INFO",
    append_row_to = "${{outputs.scores}}"
)]
fn score_trips(trips: Input<UriFolder>, model: Input<UriFolder>, scores: Output<UriFolder>) {}

/// Scores a folder of trips with a fitted model, on a cluster.
#[pipeline(
    experiment_name = "batch_scoring",
    default_compute = "azureml:cpu-cluster"
)]
fn batch_scoring(
    #[input(default = "examples/batch_scoring/data")] trips: Input<UriFolder>,
    #[input(default = "examples/batch_scoring/data")] model: Input<UriFolder>,
) -> Output<UriFolder> {
    let scored = score_trips(trips, model);
    scored.outputs.scores.mode(Mode::Upload)
}

fn main() {
    pipeline_cli::main([batch_scoring::definition()])
}
