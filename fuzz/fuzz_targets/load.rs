//! Loading, validating and emitting any text as a job, component or compute file: diagnostics or
//! a document, never a panic; an emitted valid document loads again.
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
        // A document that validates is written back to one that loads again; one with errors
        // (a stray `version` on a job…) may be read as something else, but is written all the same.
        let valid = report
            .diagnostics
            .iter()
            .all(|d| d.severity() != pipeline_core::Severity::Error);
        if valid {
            let again = validate_str(&written, "fuzz.yml");
            assert!(again.document.is_some(), "emitted YAML loads again:\n{written}");
        }
    }
});
