use pipeline::prelude::*;

#[component(
    environment = "azureml:e@latest",
    command = "python t.py",
    distribution = (type = "horovod", process_count_per_instance = 2)
)]
fn train() {}

fn main() {}
