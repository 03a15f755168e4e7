//! Helpers shared by the integration tests.

use std::path::PathBuf;

/// The shared corpus of real Azure ML YAML (`$PIPELINE_CORPUS`, else `../shared/corpus`), as its
/// `azureml-examples` folder. Absent: says so aloud and returns `None`, except under CI, where a
/// missing corpus is a failure, not a skip.
pub fn corpus() -> Option<PathBuf> {
    let root = std::env::var_os("PIPELINE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let dir = root.join("azureml-examples");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "corpus not found at {} (set PIPELINE_CORPUS); CI does not skip",
            dir.display()
        );
    }
    println!("skipped: corpus not found at {}", dir.display());
    None
}

/// Every `.yml` / `.yaml` file under `dir`, sorted, depth first.
pub fn yaml_files(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "yml" || e == "yaml") {
            out.push(p);
        }
    }
}
