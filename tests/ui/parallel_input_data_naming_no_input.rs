use pipeline::prelude::*;

#[component(
    parallel,
    environment = "azureml:e@latest",
    entry_script = "score.py",
    input_data = "${{inputs.trip}}"
)]
fn score(trips: Input<UriFolder>, scores: Output<UriFolder>) {}

fn main() {}
