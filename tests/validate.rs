//! One small YAML file per diagnostic code in `tests/validate/`, each with its diagnostics as a
//! snapshot: the code it is named after must be among them, and `clean_pipeline.yml` has none.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use pipeline::Code;
use pipeline::validate::validate_path;

/// The fixtures' folder, absolute.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/validate")
}

/// Every `*.yml` directly in the fixtures' folder, sorted by name.
fn fixture_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(fixtures())
        .expect("tests/validate")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "yml"))
        .collect();
    files.sort();
    files
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .expect("file name")
        .to_string_lossy()
        .into_owned()
}

/// The code a fixture is named after (`e027_cycle` → `E027`), if any.
fn code_of(name: &str) -> Option<Code> {
    let prefix = name.split('_').next()?.to_ascii_uppercase();
    Code::ALL.iter().copied().find(|c| c.as_str() == prefix)
}

/// The diagnostics, one per line (and a help line), with paths relative to the fixtures' folder
/// so that the text does not depend on where the checkout is.
fn render(diagnostics: &[pipeline::Diagnostic]) -> String {
    let root = fixtures();
    let root_text = root.display().to_string();
    let mut out = String::new();
    for d in diagnostics {
        let file = d.file.strip_prefix(&root).unwrap_or(&d.file);
        let file = file.to_string_lossy().replace('\\', "/");
        let message = d.message.replace(&root_text, "<fixtures>");
        writeln!(
            out,
            "{}[{}] {}:{}:{} {}: {}",
            d.severity(),
            d.code,
            file,
            d.line,
            d.column,
            if d.path.is_empty() { "(root)" } else { &d.path },
            message
        )
        .unwrap();
        if let Some(help) = &d.help {
            writeln!(out, "    help: {}", help.replace(&root_text, "<fixtures>")).unwrap();
        }
    }
    out
}

#[test]
fn every_fixture_gives_its_diagnostics() {
    let files = fixture_files();
    assert!(!files.is_empty(), "no fixtures in tests/validate");
    let mut clean_seen = false;
    for file in &files {
        let name = stem(file);
        let report =
            validate_path(file).unwrap_or_else(|e| panic!("{name}: validate_path failed: {e}"));
        let text = render(&report.diagnostics);
        insta::assert_snapshot!(name.as_str(), text);

        if name == "clean_pipeline" {
            clean_seen = true;
            assert!(
                report.diagnostics.is_empty(),
                "clean_pipeline.yml should have no diagnostics:\n{text}"
            );
            continue;
        }
        let code = code_of(&name).unwrap_or_else(|| {
            panic!("{name}.yml is neither clean_pipeline nor named after a code (e027_…)")
        });
        assert!(
            report.diagnostics.iter().any(|d| d.code == code),
            "{name}.yml should give {code}, but gave:\n{text}"
        );
    }
    assert!(clean_seen, "tests/validate/clean_pipeline.yml is missing");
}

#[test]
fn every_code_has_a_fixture() {
    let covered: Vec<Code> = fixture_files()
        .iter()
        .filter_map(|f| code_of(&stem(f)))
        .collect();
    // E009 is the CLI's (a file that cannot be read never becomes a report): tested by
    // pipeline-cli/tests/validate_graph.rs.
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| !covered.contains(c) && **c != Code::E009)
        .map(|c| c.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a fixture in tests/validate: {}",
        missing.join(", ")
    );
}
