//! Job statuses, as Azure ML reports them, and the transitions between them.

use std::fmt;
use std::str::FromStr;

/// The status of a job or node (`azure.ai.ml.constants.JobStatus`).
///
/// ```
/// use pipeline_core::JobStatus;
///
/// let status: JobStatus = "Running".parse().unwrap();
/// assert_eq!(status, JobStatus::Running);
/// assert!(status.is_in_progress() && !status.is_terminal());
/// assert!(status.can_transition_to(JobStatus::Completed));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum JobStatus {
    /// Created, not yet submitted to run.
    NotStarted,
    /// Submitted; the service is starting it.
    Starting,
    /// Compute is being provisioned.
    Provisioning,
    /// The environment is being prepared.
    Preparing,
    /// Waiting for compute.
    Queued,
    /// Running.
    Running,
    /// Done running; outputs are being collected.
    Finalizing,
    /// Cancel requested; not yet stopped.
    CancelRequested,
    /// Finished successfully.
    Completed,
    /// Finished with an error.
    Failed,
    /// Stopped by a cancel.
    Canceled,
    /// Stopped answering heartbeats.
    NotResponding,
    /// Paused.
    Paused,
    /// Unknown to the client.
    Unknown,
}

impl JobStatus {
    /// All 14 statuses.
    pub const ALL: [JobStatus; 14] = [
        JobStatus::NotStarted,
        JobStatus::Starting,
        JobStatus::Provisioning,
        JobStatus::Preparing,
        JobStatus::Queued,
        JobStatus::Running,
        JobStatus::Finalizing,
        JobStatus::CancelRequested,
        JobStatus::Completed,
        JobStatus::Failed,
        JobStatus::Canceled,
        JobStatus::NotResponding,
        JobStatus::Paused,
        JobStatus::Unknown,
    ];

    /// The spelling Azure ML uses.
    ///
    /// ```
    /// use pipeline_core::JobStatus;
    ///
    /// assert_eq!(JobStatus::CancelRequested.as_str(), "CancelRequested");
    /// assert_eq!(JobStatus::NotStarted.to_string(), "NotStarted");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::NotStarted => "NotStarted",
            JobStatus::Starting => "Starting",
            JobStatus::Provisioning => "Provisioning",
            JobStatus::Preparing => "Preparing",
            JobStatus::Queued => "Queued",
            JobStatus::Running => "Running",
            JobStatus::Finalizing => "Finalizing",
            JobStatus::CancelRequested => "CancelRequested",
            JobStatus::Completed => "Completed",
            JobStatus::Failed => "Failed",
            JobStatus::Canceled => "Canceled",
            JobStatus::NotResponding => "NotResponding",
            JobStatus::Paused => "Paused",
            JobStatus::Unknown => "Unknown",
        }
    }

    /// Whether the job will not change status again (the SDK's terminal statuses).
    ///
    /// ```
    /// use pipeline_core::JobStatus;
    ///
    /// assert!(JobStatus::Completed.is_terminal());
    /// assert!(JobStatus::Failed.is_terminal());
    /// assert!(!JobStatus::CancelRequested.is_terminal()); // Canceled is yet to come
    /// ```
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            JobStatus::Completed
                | JobStatus::Failed
                | JobStatus::Canceled
                | JobStatus::NotResponding
                | JobStatus::Paused
        )
    }

    /// Whether the job is on its way: submitted and not yet terminal.
    ///
    /// ```
    /// use pipeline_core::JobStatus;
    ///
    /// assert!(JobStatus::Queued.is_in_progress());
    /// assert!(!JobStatus::NotStarted.is_in_progress()); // not submitted yet
    /// assert!(!JobStatus::Completed.is_in_progress());
    /// ```
    pub fn is_in_progress(self) -> bool {
        matches!(
            self,
            JobStatus::Starting
                | JobStatus::Provisioning
                | JobStatus::Preparing
                | JobStatus::Queued
                | JobStatus::Running
                | JobStatus::Finalizing
                | JobStatus::CancelRequested
        )
    }

    /// Whether a job may go from `self` to `next`.
    ///
    /// Forward through NotStarted → Starting → Provisioning → Preparing → Queued → Running →
    /// Finalizing → Completed, skipping steps as the service does (a reused node goes straight to
    /// Completed); any status before the end may fail, be asked to cancel, or stop responding;
    /// CancelRequested ends in Canceled (or in whatever the job reached first); Unknown may become
    /// anything, because it only says the client does not know. Terminal statuses stay as they
    /// are, except that NotResponding and Paused may resume to Running.
    ///
    /// ```
    /// use pipeline_core::JobStatus::*;
    ///
    /// assert!(Queued.can_transition_to(Running));
    /// assert!(NotStarted.can_transition_to(Completed)); // a reused node
    /// assert!(Running.can_transition_to(CancelRequested));
    /// assert!(!Running.can_transition_to(Queued));
    /// assert!(!Completed.can_transition_to(Running));
    /// assert!(Paused.can_transition_to(Running));
    /// ```
    pub fn can_transition_to(self, next: JobStatus) -> bool {
        use JobStatus::*;
        if self == next {
            return false;
        }
        match (self, next) {
            (Unknown, _) => true,
            (_, Unknown) => !self.is_terminal(),
            (NotResponding | Paused, Running) => true,
            (from, _) if from.is_terminal() => false,
            (CancelRequested, Canceled | Completed | Failed) => true,
            (CancelRequested, _) => false,
            (_, CancelRequested | Failed | NotResponding | Canceled | Paused) => true,
            (from, to) => match (from.pipeline_rank(), to.pipeline_rank()) {
                (Some(a), Some(b)) => b > a,
                _ => false,
            },
        }
    }

    /// Position on the normal way to Completed.
    fn pipeline_rank(self) -> Option<u8> {
        Some(match self {
            JobStatus::NotStarted => 0,
            JobStatus::Starting => 1,
            JobStatus::Provisioning => 2,
            JobStatus::Preparing => 3,
            JobStatus::Queued => 4,
            JobStatus::Running => 5,
            JobStatus::Finalizing => 6,
            JobStatus::Completed => 7,
            _ => return None,
        })
    }
}

impl fmt::Display for JobStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown status name.
///
/// ```
/// use pipeline_core::{JobStatus, UnknownStatus};
///
/// let err = "Done".parse::<JobStatus>().unwrap_err();
/// assert_eq!(err, UnknownStatus("Done".to_owned()));
/// assert!(err.to_string().starts_with("`Done` is not a job status"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a job status (NotStarted, Starting, …, Completed, Failed, Canceled)")]
pub struct UnknownStatus(pub String);

impl FromStr for JobStatus {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, UnknownStatus> {
        JobStatus::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| UnknownStatus(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::JobStatus::*;
    use super::*;

    #[test]
    fn fourteen_statuses_round_trip_their_names() {
        assert_eq!(JobStatus::ALL.len(), 14);
        for s in JobStatus::ALL {
            assert_eq!(s.as_str().parse::<JobStatus>(), Ok(s));
        }
        assert!("Done".parse::<JobStatus>().is_err());
    }

    #[test]
    fn terminal_and_in_progress() {
        let terminal: Vec<_> = JobStatus::ALL
            .into_iter()
            .filter(|s| s.is_terminal())
            .collect();
        assert_eq!(
            terminal,
            [Completed, Failed, Canceled, NotResponding, Paused]
        );
        let busy: Vec<_> = JobStatus::ALL
            .into_iter()
            .filter(|s| s.is_in_progress())
            .collect();
        assert_eq!(
            busy,
            [
                Starting,
                Provisioning,
                Preparing,
                Queued,
                Running,
                Finalizing,
                CancelRequested
            ]
        );
        assert!(!NotStarted.is_in_progress() && !Unknown.is_terminal());
    }

    #[test]
    fn transitions() {
        for (a, b) in [
            (NotStarted, Queued),
            (Queued, Running),
            (Running, Completed),
            (NotStarted, Completed),
            (Running, CancelRequested),
            (CancelRequested, Canceled),
            (Running, Failed),
            (Paused, Running),
            (Unknown, Running),
        ] {
            assert!(a.can_transition_to(b), "{a} -> {b}");
        }
        for (a, b) in [
            (Completed, Running),
            (Running, Queued),
            (Failed, Completed),
            (CancelRequested, Running),
            (Canceled, Failed),
            (Running, Running),
            (Completed, Unknown),
        ] {
            assert!(!a.can_transition_to(b), "{a} -> {b}");
        }
    }
}
