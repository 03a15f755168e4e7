//! Running the real `pipeline` binary in the CLI tests.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `pipeline ARGS` in `dir` and waits for it.
pub fn pipeline(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pipeline"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("the pipeline binary runs")
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
