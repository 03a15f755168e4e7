//! Every process a run starts, found again wherever it went: each node's processes carry the run's
//! tag and their node's in their environment, which children inherit, so that a process that left
//! its node's process group (`setsid`, a daemon) is still found and ended with its node, as
//! Azure ML ends a node's container; and a watchdog ends them all if the runner itself dies, even
//! of SIGKILL.
//!
//! Not covered: a process that clears its environment (`env -i`) and leaves the group; it is
//! reparented to init and lives on.

use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The environment variable naming the run a process belongs to.
pub(crate) const RUN_TAG: &str = "PIPELINE_RUN_TAG";
/// The environment variable naming the node a process belongs to.
pub(crate) const NODE_TAG: &str = "PIPELINE_NODE_TAG";

/// The run's tag: the runner's process id, the run id, and a hash of the run's folder (two runs
/// of one process, in two workspaces, may have the same id), unique among live runs.
pub(crate) fn run_tag(run_dir: &Path) -> String {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let id = run_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut hasher = DefaultHasher::new();
    run_dir.hash(&mut hasher);
    format!("{}:{id}:{:016x}", std::process::id(), hasher.finish())
}

/// A node's tag, within its run's.
pub(crate) fn node_tag(run_dir: &Path, node: &str) -> String {
    format!("{}/{node}", run_tag(run_dir))
}

/// Sends SIGKILL to every process (but this one) whose environment holds `var=value`; returns how
/// many. Reads `/proc`: where it is absent nothing is found.
pub(crate) fn kill_tagged(var: &str, value: &str) -> usize {
    let wanted = format!("{var}={value}");
    let me = std::process::id();
    let Ok(entries) = fs::read_dir("/proc") else {
        return 0;
    };
    let mut killed = 0;
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == me {
            continue;
        }
        // Another user's process, or one that just ended: not ours to end.
        let Ok(environ) = fs::read(entry.path().join("environ")) else {
            continue;
        };
        if environ.split(|&b| b == 0).any(|v| v == wanted.as_bytes())
            && let Ok(pid) = libc::pid_t::try_from(pid)
        {
            // SAFETY: sends a signal to a process that carries this run's tag.
            if unsafe { libc::kill(pid, libc::SIGKILL) } == 0 {
                killed += 1;
            }
        }
    }
    killed
}

/// Ends every process of a run when the runner is gone: a bash loop, in a process group of its
/// own, that checks every 200 ms that the runner lives. Stopped when dropped.
pub(crate) struct Watchdog(Option<Child>);

/// The watchdog: waits for the runner to be gone, then kills what carries the run's tag.
const WATCH: &str = r#"
while kill -0 "$PIPELINE_WATCHED" 2>/dev/null; do sleep 0.2; done
for p in /proc/[0-9]*; do
  if [ "${p#/proc/}" != "$$" ] && tr '\0' '\n' < "$p/environ" 2>/dev/null | grep -qxF "$PIPELINE_WATCH_FOR"; then
    kill -9 "${p#/proc/}" 2>/dev/null
  fi
done
"#;

impl Watchdog {
    /// Starts the watchdog of the run tagged `tag`; without bash, none (said by the caller's
    /// nodes failing to start anyway).
    pub(crate) fn start(tag: &str) -> Watchdog {
        let mut cmd = Command::new("bash");
        cmd.args(["-c", WATCH])
            .env("PIPELINE_WATCHED", std::process::id().to_string())
            .env("PIPELINE_WATCH_FOR", format!("{RUN_TAG}={tag}"))
            .env_remove(RUN_TAG)
            .env_remove(NODE_TAG)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        Watchdog(super::process::spawn(&mut cmd).ok())
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        if let Some(child) = &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A run in progress, marked in its folder (`.running`, holding the runner's process id) until it
/// ends; a runner killed outright leaves the mark, which a later run finds.
pub(crate) struct RunMark(std::path::PathBuf);

/// The mark's file name in a run's folder.
const RUNNING: &str = ".running";

impl RunMark {
    /// Marks `run_dir` as running (best effort: a run is not refused for want of its mark).
    pub(crate) fn set(run_dir: &Path) -> RunMark {
        let path = run_dir.join(RUNNING);
        let _ = fs::write(&path, std::process::id().to_string());
        RunMark(path)
    }
}

impl Drop for RunMark {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// The runs under `runs_dir` whose runner is gone without ending them (killed, or its machine
/// stopped), each said once: its mark is renamed `.interrupted`.
pub(crate) fn interrupted_runs(runs_dir: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(runs_dir) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let mark = entry.path().join(RUNNING);
        let Ok(text) = fs::read_to_string(&mark) else {
            continue;
        };
        let alive = text
            .trim()
            .parse::<libc::pid_t>()
            // SAFETY: signal 0 only asks whether the process exists.
            .is_ok_and(|pid| unsafe { libc::kill(pid, 0) } == 0);
        if !alive && fs::rename(&mark, entry.path().join(".interrupted")).is_ok() {
            found.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn a_run_whose_runner_is_gone_is_found_once() {
        let runs = tempfile::tempdir().unwrap();
        for id in ["done", "live", "killed"] {
            fs::create_dir(runs.path().join(id)).unwrap();
        }
        drop(RunMark::set(&runs.path().join("done")));
        let _live = RunMark::set(&runs.path().join("live"));
        // No process has a negative id: its runner is gone.
        fs::write(runs.path().join("killed").join(RUNNING), "-5").unwrap();
        assert_eq!(interrupted_runs(runs.path()), ["killed"]);
        assert!(interrupted_runs(runs.path()).is_empty(), "said once");
    }

    #[test]
    fn tagged_processes_are_found_outside_their_group() {
        let tag = format!("test-{}", std::process::id());
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("pid");
        // `setsid` leaves the process group; the tag goes with it.
        let mut starter = Command::new("bash")
            .args([
                "-c",
                &format!("setsid sleep 60 & echo $! > {}", pid_file.display()),
            ])
            .env(NODE_TAG, &tag)
            .spawn()
            .unwrap();
        starter.wait().unwrap();
        let pid: libc::pid_t = fs::read_to_string(&pid_file)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        // Found once it runs (`setsid` may fork first, and an exec takes a moment, its
        // environment unreadable meanwhile).
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut killed = 0;
        while killed == 0 && Instant::now() < deadline {
            killed = kill_tagged(NODE_TAG, &tag);
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(killed, 1);
        let deadline = Instant::now() + Duration::from_secs(5);
        // SAFETY: as above.
        while unsafe { libc::kill(pid, 0) } == 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        // Reparented to init (or this test's reaper), it is gone or a zombie: not running.
        let state = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        assert!(state.is_empty() || state.contains(") Z "), "{state}");
    }
}
