use pipeline::prelude::*;

#[component(environment = "azureml:e@latest", command = "python s.py", version = )]
fn prep() {}

fn main() {}
