use pipeline::prelude::*;

#[component(environment = "azureml:e@latest", command = "python s.py --lr ${{inputs.lr}}")]
fn prep(#[input(default = 2.5, min = 0.0, max = 1.0)] lr: f64) {}

fn main() {}
