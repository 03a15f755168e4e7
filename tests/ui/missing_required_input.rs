use pipeline::prelude::*;

#[component(environment = "azureml:e@latest", command = "python s.py --data ${{inputs.data}} --out ${{outputs.out}}")]
fn make_table(data: Input<UriFolder>, out: Output<MlTable>) {}

#[pipeline]
fn wired() {
    make_table();
}

fn main() {}
