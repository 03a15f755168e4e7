use pipeline::prelude::*;

#[component(
    environment = "azureml:e@latest",
    command = "python t.py",
    distribution = (type = "PyTorch", worker_count = 2)
)]
fn train() {}

fn main() {}
