use pipeline::prelude::*;

#[allow(non_snake_case)]
#[component(environment = "azureml:e@latest", command = "python s.py --a ${{inputs.data}} --b ${{inputs.Data}}")]
fn prep(data: Input<UriFolder>, Data: Input<UriFolder>) {}

fn main() {}
