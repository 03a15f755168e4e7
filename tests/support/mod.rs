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
