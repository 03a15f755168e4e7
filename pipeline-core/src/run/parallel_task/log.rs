//! The node's own log, `user_logs/std_log.txt`: what the runner did with each mini-batch, then a
//! summary. The workers' output is in their own logs, `user_logs/worker_<k>.txt`.

use std::fmt::Display;
use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

pub(super) struct Log {
    file: File,
    started: Instant,
}

impl Log {
    pub(super) fn create(path: &Path) -> Result<Log, String> {
        // Appended to: the step's notes (what its code copy skipped) may be there already.
        let file = File::options()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        Ok(Log {
            file,
            started: Instant::now(),
        })
    }

    /// One line, with the time since the node started. Best effort: a log that cannot be written
    /// does not fail the node.
    pub(super) fn line(&mut self, text: impl Display) {
        let secs = self.started.elapsed().as_secs_f64();
        let _ = writeln!(self.file, "pipeline: [{secs:7.2} s] {text}");
    }
}
