use pipeline::prelude::*;

#[component(
    environment = "azureml:e@latest",
    command = "python s.py",
    resources = (instance_count = "2")
)]
fn prep() {}

fn main() {}
