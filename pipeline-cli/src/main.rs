//! The `pipeline` command.

use std::process::ExitCode;

fn main() -> ExitCode {
    pipeline_cli::run(std::env::args_os())
}
