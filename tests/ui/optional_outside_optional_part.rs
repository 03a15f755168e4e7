use pipeline::prelude::*;

#[component(environment = "azureml:e@latest", command = "python s.py --seed ${{inputs.seed}}")]
fn prep(seed: Option<i64>) {}

fn main() {}
