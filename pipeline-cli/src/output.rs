//! Standard output, written so that a reader that goes away (`pipeline run --format json | head`)
//! ends nothing: what follows is not wanted, and the run goes on (`print!` would panic).

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once a write failed for another reason than a closed pipe, so that it is said once.
static SAID: AtomicBool = AtomicBool::new(false);

/// Writes `text` to stdout and flushes it.
pub(crate) fn print(text: &str) {
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush())
        && e.kind() != io::ErrorKind::BrokenPipe
        && !SAID.swap(true, Ordering::SeqCst)
    {
        eprintln!("error: cannot write to standard output: {e}");
    }
}

/// Writes `line` and a newline to stdout.
pub(crate) fn println(line: &str) {
    print(&format!("{line}\n"));
}
