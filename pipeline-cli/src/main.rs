//! The `pipeline` command.

use std::process::ExitCode;

// Huge pipelines are millions of small strings and maps: mimalloc handles them faster than the
// system allocator (see the README's benchmark).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    pipeline_cli::run(std::env::args_os())
}
