use pipeline::prelude::*;

#[component(environment = "azureml:e@latest")]
fn prep() {}

fn main() {}
