//! A node's process: started in a process group of its own, so that cancelling or timing it out
//! kills everything it started, not only bash.

use std::io;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, ExitStatus};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How often a running process is checked for its end, a cancel or a timeout: every millisecond
/// or less in its first second, as most nodes of a debugging run end in milliseconds, then every
/// 10 ms, well inside the two seconds a cancel may take.
const FIRST_POLL: Duration = Duration::from_micros(50);
const EARLY_POLL: Duration = Duration::from_millis(1);
const EARLY: Duration = Duration::from_secs(1);
const POLL: Duration = Duration::from_millis(10);

/// How long a process group has after SIGTERM before it gets SIGKILL.
const GRACE: Duration = Duration::from_millis(800);

/// How a process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ended {
    Exited(ExitStatus),
    TimedOut,
    Canceled,
}

/// Starts `command` as the leader of a new process group.
pub(crate) fn spawn(command: &mut Command) -> io::Result<Child> {
    command.process_group(0).spawn()
}

/// Waits for `child`; kills its group when `cancel` is set or `timeout` passes.
pub(crate) fn wait(
    child: &mut Child,
    timeout: Option<Duration>,
    cancel: &AtomicBool,
) -> io::Result<Ended> {
    let started = Instant::now();
    let mut pause = FIRST_POLL;
    loop {
        if let Some(status) = child.try_wait()? {
            // What the main process left in its group ends with it, as in a container.
            if let Ok(pgid) = libc::pid_t::try_from(child.id()) {
                // SAFETY: killpg only sends a signal; an empty group gives ESRCH, harmlessly.
                unsafe { libc::killpg(pgid, libc::SIGKILL) };
            }
            return Ok(Ended::Exited(status));
        }
        let ended = if cancel.load(Ordering::SeqCst) {
            Ended::Canceled
        } else if timeout.is_some_and(|t| started.elapsed() >= t) {
            Ended::TimedOut
        } else {
            std::thread::sleep(pause);
            let cap = if started.elapsed() < EARLY {
                EARLY_POLL
            } else {
                POLL
            };
            pause = (pause * 2).min(cap);
            continue;
        };
        kill_group(child);
        return Ok(ended);
    }
}

/// Asks `child`'s whole group to end (SIGTERM), without waiting for it.
pub(crate) fn terminate_group(child: &Child) {
    if let Ok(pgid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: killpg only sends a signal; the group is the child's own (process_group(0)).
        unsafe { libc::killpg(pgid, libc::SIGTERM) };
    }
}

/// SIGTERM to the whole group, then SIGKILL to what is left after a grace period; reaps `child`.
pub(crate) fn kill_group(child: &mut Child) {
    let Ok(pgid) = libc::pid_t::try_from(child.id()) else {
        let _ = child.kill();
        let _ = child.wait();
        return;
    };
    terminate_group(child);
    let deadline = Instant::now() + GRACE;
    while Instant::now() < deadline {
        if group_is_gone(pgid) {
            break;
        }
        // The leader must be reaped for the group to be seen as gone.
        let _ = child.try_wait();
        std::thread::sleep(POLL);
    }
    // SAFETY: as above; a group that is already gone makes killpg return ESRCH, harmlessly.
    unsafe { libc::killpg(pgid, libc::SIGKILL) };
    let _ = child.wait();
}

fn group_is_gone(pgid: libc::pid_t) -> bool {
    // SAFETY: signal 0 sends nothing; it only asks whether the group has a member.
    unsafe { libc::killpg(pgid, 0) != 0 }
}

/// `exit code 3`, `killed by signal 9`: why a process that ended on its own failed.
pub(crate) fn describe(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        _ => status.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeout_kills_the_whole_group() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("survived");
        // The grandchild would write the marker after 1.5 s if it outlived the timeout.
        let script = format!("(sleep 1.5; touch {}) & sleep 30", marker.display());
        let mut child = spawn(Command::new("bash").args(["-c", &script])).unwrap();
        let started = Instant::now();
        let ended = wait(
            &mut child,
            Some(Duration::from_millis(200)),
            &AtomicBool::new(false),
        )
        .unwrap();
        assert_eq!(ended, Ended::TimedOut);
        assert!(started.elapsed() < Duration::from_secs(2));
        std::thread::sleep(Duration::from_millis(1600));
        assert!(!marker.exists(), "a process of the group outlived the kill");
    }

    #[test]
    fn exit_codes_are_described() {
        let mut child = spawn(Command::new("bash").args(["-c", "exit 3"])).unwrap();
        let Ended::Exited(status) = wait(&mut child, None, &AtomicBool::new(false)).unwrap() else {
            panic!("bash did not exit")
        };
        assert_eq!(describe(status), "exit code 3");
    }
}
