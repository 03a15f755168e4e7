use pipeline::prelude::*;

#[pipeline(default_compute = "cpu-cluster")]
fn wired() {}

fn main() {}
