use pipeline::prelude::*;

#[component(environment = "azureml:e@latest", command = "python s.py --lr ${{inputs.lr}}")]
fn prep(#[input(default = "fast")] lr: f64) {}

fn main() {}
