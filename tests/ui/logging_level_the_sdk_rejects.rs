use pipeline::prelude::*;

#[component(
    parallel,
    environment = "azureml:e@latest",
    entry_script = "score.py",
    input_data = "${{inputs.trips}}",
    logging_level = "ERROR"
)]
fn score(trips: Input<UriFolder>, scores: Output<UriFolder>) {}

fn main() {}
