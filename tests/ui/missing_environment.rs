use pipeline::prelude::*;

#[component(command = "python s.py")]
fn prep() {}

fn main() {}
