use pipeline::prelude::*;

#[component(environment = "azureml:e@latest", command = "python s.py", retries = 3)]
fn prep() {}

fn main() {}
