//! One worker of a parallel node: `python3` running the driver in a process group of its own,
//! given mini-batches on stdin (JSON lines), its replies read on a thread and sent to the pool.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::Sender;
use std::time::Duration;

use indexmap::IndexMap;

use super::super::process;

/// How long a worker whose replies ended has to exit before it is killed.
const REAP_WAIT: Duration = Duration::from_millis(300);

/// How every worker of a node is started.
pub(super) struct Spec {
    pub driver: PathBuf,
    pub code: PathBuf,
    pub entry_script: String,
    pub logging_level: &'static str,
    /// `program_arguments`, with its values put in, split as Azure ML's parallel runtime splits
    /// them ([`super::arguments::split`]).
    pub arguments: Vec<String>,
    pub env: IndexMap<String, String>,
    /// The folder of the workers' logs (`user_logs`).
    pub logs: PathBuf,
}

impl Spec {
    pub(super) fn log_of(&self, slot: usize) -> PathBuf {
        self.logs.join(format!("worker_{slot}.txt"))
    }
}

/// What a worker said, or that it is gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Reply {
    Ready,
    InitFailed(String),
    Done {
        batch: usize,
        rows: u64,
    },
    Failed {
        batch: usize,
        error: String,
    },
    /// A line that is not the protocol's.
    Garbled(String),
    /// Its protocol channel closed: the process ended (or is ending).
    Exited,
}

/// A reply from worker `slot`, started the `generation`-th time: replies of a worker since
/// killed and replaced are told apart from its successor's.
#[derive(Debug)]
pub(super) struct Message {
    pub slot: usize,
    pub generation: u64,
    pub reply: Reply,
}

pub(super) struct Worker {
    child: Child,
    stdin: Option<ChildStdin>,
    /// Whether its process has been waited for: a worker dropped before is killed.
    reaped: bool,
}

impl Drop for Worker {
    fn drop(&mut self) {
        if !self.reaped {
            self.kill();
        }
    }
}

impl Worker {
    /// Starts worker `slot`; its replies go to `tx`.
    pub(super) fn start(
        spec: &Spec,
        slot: usize,
        generation: u64,
        tx: Sender<Message>,
    ) -> Result<Worker, String> {
        let log_path = spec.log_of(slot);
        let log = File::options()
            .create(true)
            .append(true)
            .open(&log_path)
            .map_err(|e| format!("cannot open {}: {e}", log_path.display()))?;
        let mut cmd = Command::new("python3");
        cmd.arg("-u")
            .arg(&spec.driver)
            .arg(&spec.entry_script)
            .arg(spec.logging_level)
            .args(&spec.arguments)
            .current_dir(&spec.code)
            .envs(&spec.env)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log);
        let mut child = process::spawn(&mut cmd).map_err(|e| {
            format!("cannot start python3: {e}; parallel nodes need python3 on the PATH")
        })?;
        let stdin = child.stdin.take();
        let Some(stdout) = child.stdout.take() else {
            process::kill_group(&mut child);
            return Err("python3 was started without its stdout".to_owned());
        };
        let reader = std::thread::Builder::new()
            .name(format!("parallel-worker-{slot}"))
            .spawn(move || read_replies(stdout, slot, generation, &tx));
        if let Err(e) = reader {
            process::kill_group(&mut child);
            return Err(format!("cannot start a thread to read worker {slot}: {e}"));
        }
        Ok(Worker {
            child,
            stdin,
            reaped: false,
        })
    }

    /// Gives the worker mini-batch `batch`; `rows` is where its rows go.
    pub(super) fn send(&mut self, batch: usize, files: &[PathBuf], rows: &Path) -> io::Result<()> {
        let files: Vec<String> = files
            .iter()
            .map(|f| f.to_string_lossy().into_owned())
            .collect();
        let message = serde_json::json!({
            "batch": batch,
            "files": files,
            "rows": rows.to_string_lossy(),
        });
        let line = format!("{message}\n");
        let stdin = self
            .stdin
            .as_mut()
            .ok_or_else(|| io::Error::new(io::ErrorKind::BrokenPipe, "stdin closed"))?;
        stdin.write_all(line.as_bytes())?;
        stdin.flush()
    }

    /// Asks the worker's whole process group to end (SIGTERM), without waiting: `kill` follows.
    pub(super) fn terminate(&mut self) {
        self.stdin = None;
        if self.reaped {
            return;
        }
        process::terminate_group(&self.child);
    }

    /// Kills the worker's whole process group and reaps it (a timeout, a cancel, a threshold
    /// passed).
    pub(super) fn kill(&mut self) {
        self.stdin = None;
        if self.reaped {
            return;
        }
        process::kill_group(&mut self.child);
        self.reaped = true;
    }

    /// Closes the worker's stdin: it has no more mini-batches to run.
    pub(super) fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Reaps a worker whose replies ended: how it exited, when it did within a moment. Its group
    /// is killed all the same, for what it started.
    pub(super) fn reap(&mut self) -> Option<ExitStatus> {
        self.stdin = None;
        if self.reaped {
            return self.child.try_wait().ok().flatten();
        }
        // A worker that does not exit within the moment is killed by `wait` itself.
        let status = match process::wait(&mut self.child, Some(REAP_WAIT), &AtomicBool::new(false))
        {
            Ok(process::Ended::Exited(status)) => Some(status),
            _ => None,
        };
        process::kill_group(&mut self.child);
        self.reaped = true;
        status
    }

    /// Ends a worker that has no more work: stdin closed so that it calls `shutdown()` and exits;
    /// killed when it takes longer than `grace` or the run is canceled.
    pub(super) fn finish(&mut self, grace: Duration, cancel: &AtomicBool) {
        self.close_stdin();
        // On a timeout or a cancel, wait kills the group; after an exit, what the worker started
        // may still run in it, so the group is killed all the same.
        let _ = process::wait(&mut self.child, Some(grace), cancel);
        process::kill_group(&mut self.child);
        self.reaped = true;
    }
}

/// Reads the worker's replies until its stdout closes.
fn read_replies(stdout: ChildStdout, slot: usize, generation: u64, tx: &Sender<Message>) {
    let mut reader = BufReader::new(stdout);
    let mut line = Vec::new();
    loop {
        line.clear();
        let reply = match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => Reply::Exited,
            Ok(_) => parse(String::from_utf8_lossy(&line).trim_end_matches(['\n', '\r'])),
        };
        let last = reply == Reply::Exited;
        let sent = tx.send(Message {
            slot,
            generation,
            reply,
        });
        if last || sent.is_err() {
            return;
        }
    }
}

/// One protocol line: `ready`, `init-failed\tERROR`, `done\tBATCH\tROWS`, `failed\tBATCH\tERROR`.
fn parse(line: &str) -> Reply {
    let fields: Vec<&str> = line.split('\t').collect();
    let batch = |s: &str| s.parse::<usize>().ok();
    match fields.as_slice() {
        ["ready"] => Reply::Ready,
        ["init-failed", error] => Reply::InitFailed((*error).to_owned()),
        ["done", b, rows] => match (batch(b), rows.parse()) {
            (Some(batch), Ok(rows)) => Reply::Done { batch, rows },
            _ => Reply::Garbled(line.to_owned()),
        },
        ["failed", b, error] => match batch(b) {
            Some(batch) => Reply::Failed {
                batch,
                error: (*error).to_owned(),
            },
            None => Reply::Garbled(line.to_owned()),
        },
        _ => Reply::Garbled(line.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_parsed() {
        assert_eq!(parse("ready"), Reply::Ready);
        assert_eq!(parse("done\t3\t12"), Reply::Done { batch: 3, rows: 12 });
        assert_eq!(
            parse("failed\t0\tValueError: bad"),
            Reply::Failed {
                batch: 0,
                error: "ValueError: bad".to_owned()
            }
        );
        assert_eq!(
            parse("init-failed\tImportError: x"),
            Reply::InitFailed("ImportError: x".to_owned())
        );
        assert!(matches!(parse("done\tx\t1"), Reply::Garbled(_)));
        assert!(matches!(parse("hello"), Reply::Garbled(_)));
    }
}
