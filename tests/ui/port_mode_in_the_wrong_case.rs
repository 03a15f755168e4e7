use pipeline::prelude::*;

#[component(environment = "azureml:e@latest", command = "python t.py --d ${{inputs.data}}")]
fn train(#[input(mode = "RO_MOUNT")] data: Input<UriFolder>) {}

fn main() {}
