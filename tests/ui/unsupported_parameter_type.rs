use pipeline::prelude::*;

#[component(environment = "azureml:e@latest", command = "python s.py --n ${{inputs.n}}")]
fn prep(n: u8) {}

fn main() {}
