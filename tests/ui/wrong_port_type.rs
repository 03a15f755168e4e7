use pipeline::prelude::*;

#[component(environment = "azureml:e@latest", command = "python s.py --data ${{inputs.data}} --out ${{outputs.out}}")]
fn split(data: Input<UriFolder>, out: Output<UriFolder>) {}

#[component(environment = "azureml:e@latest", command = "python t.py --labels ${{inputs.labels}}")]
fn train(labels: Input<UriFile>) {}

#[pipeline]
fn wired(raw: Input<UriFolder>) {
    let parts = split(raw);
    // A folder where the script opens one file: Azure ML would fail at run time.
    train(parts.outputs.out);
}

fn main() {}
