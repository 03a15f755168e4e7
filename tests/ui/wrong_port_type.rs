use pipeline::prelude::*;

#[component(environment = "azureml:e@latest", command = "python s.py --data ${{inputs.data}} --out ${{outputs.out}}")]
fn make_table(data: Input<UriFolder>, out: Output<MlTable>) {}

#[component(environment = "azureml:e@latest", command = "python t.py --data ${{inputs.data}}")]
fn train(data: Input<UriFolder>) {}

#[pipeline]
fn wired(raw: Input<UriFolder>) {
    let table = make_table(raw);
    train(table.outputs.out);
}

fn main() {}
