use pipeline::prelude::*;

#[component(environment = "azureml:e@latest", command = "python s.py", mini_batch_size = 10)]
fn prep() {}

fn main() {}
