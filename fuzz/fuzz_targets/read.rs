//! The reader on any text: an error or a tree, never a panic, a hang or unbounded memory; and a
//! tree it reads is written back to text it reads again as the same tree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pipeline_core::yaml::{emit, parse};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(node) = parse(text) {
        let written = emit(&node);
        let again = parse(&written).expect("emitted YAML reads back");
        assert_eq!(emit(&again), written, "emitting is stable");
    }
});
