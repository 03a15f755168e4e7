use pipeline::prelude::*;

#[component(name = "Prep-Data", environment = "azureml:e@latest", command = "python s.py")]
fn prep() {}

fn main() {}
