//! Loading, validating and emitting any text as a job, component or compute file: diagnostics or
//! a document, never a panic; an emitted document loads again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pipeline_core::Yaml;
use pipeline_core::validate::validate_str;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let report = validate_str(text, "fuzz.yml");
    if let Some(document) = &report.document {
        let written = document.to_yaml();
        let again = validate_str(&written, "fuzz.yml");
        assert!(again.document.is_some(), "emitted YAML loads again:\n{written}");
    }
});
