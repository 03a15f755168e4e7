use pipeline::prelude::*;

#[component(environment = "azureml:e@latest", command = "python s.py --data ${{inputs.dat}} --out ${{outputs.out}}")]
fn prep(data: Input<UriFolder>, out: Output<UriFolder>) {}

fn main() {}
