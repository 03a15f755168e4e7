//! What a run shows as it goes, the same for `pipeline run FILE` and a defining program's `run`:
//! a live display on a terminal, a line per change elsewhere (CI logs, pipes), or JSON lines.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use pipeline_core::run::{Event, RunReport};

use crate::live::Live;
use crate::run::Format;
use crate::run_json::JsonLines;
use crate::summary;

/// The display a run's events go to.
pub(crate) enum Display {
    Live(Live),
    Lines(Lines),
    Json(JsonLines),
}

impl Display {
    /// The display for `format`: live only when stderr is a terminal that can redraw.
    pub(crate) fn new(format: Format) -> Self {
        match format {
            Format::Json => Display::Json(JsonLines::new()),
            Format::Human if redrawable() => Display::Live(Live::new()),
            Format::Human => Display::Lines(Lines::new()),
        }
    }

    pub(crate) fn event(&mut self, event: &Event) {
        match self {
            Display::Live(d) => d.event(event),
            Display::Lines(d) => d.event(event),
            Display::Json(d) => d.event(event),
        }
    }

    /// Shows how the run ended.
    pub(crate) fn finish(&mut self, report: &RunReport) {
        match self {
            Display::Live(d) => {
                d.clear();
                eprint!("{}", summary::human(report));
            }
            Display::Lines(_) => eprint!("{}", summary::human(report)),
            Display::Json(d) => d.finish(report),
        }
    }
}

fn redrawable() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

/// How often a parallel node's mini-batch count is printed as a line: a line for each of
/// thousands of mini-batches would bury the changes of status.
const PROGRESS_EVERY: Duration = Duration::from_secs(2);

/// One line per change on stderr, stamped with the time since the start: `[  1.2s] train Running`.
pub(crate) struct Lines {
    start: Instant,
    last_progress: HashMap<String, Instant>,
}

impl Lines {
    fn new() -> Self {
        Lines {
            start: Instant::now(),
            last_progress: HashMap::new(),
        }
    }

    fn event(&mut self, event: &Event) {
        if let Some(line) = self.line(event) {
            eprintln!("[{:>6.1}s] {line}", self.start.elapsed().as_secs_f64());
        }
    }

    fn line(&mut self, event: &Event) -> Option<String> {
        Some(match event {
            Event::Started { run_id, dir, nodes } => format!(
                "run {run_id}: {} node{} in {}",
                nodes.len(),
                if nodes.len() == 1 { "" } else { "s" },
                dir.display()
            ),
            Event::Notice(message) => format!("note: {message}"),
            Event::Pipeline { status } => format!("pipeline {}", status.as_str()),
            Event::Node {
                name,
                status,
                reused,
                error,
                ..
            } => {
                let status = summary::status_text(*status, *reused);
                match error {
                    Some(e) => format!("{name} {status}: {}", e.trim_end()),
                    None => format!("{name} {status}"),
                }
            }
            Event::Progress { name, done, total } => {
                let now = Instant::now();
                let last = self.last_progress.get(name);
                if done < total && last.is_some_and(|t| now - *t < PROGRESS_EVERY) {
                    return None;
                }
                self.last_progress.insert(name.clone(), now);
                format!("{name} {done}/{total} mini-batches")
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pipeline_core::JobStatus;

    #[test]
    fn a_line_per_change_and_few_for_progress() {
        let mut lines = Lines::new();
        let node = Event::Node {
            name: "prep".into(),
            status: JobStatus::Completed,
            reused: true,
            log: "/r/prep/user_logs/std_log.txt".into(),
            error: None,
        };
        assert_eq!(lines.line(&node).unwrap(), "prep Completed (reused)");
        let progress = |done| Event::Progress {
            name: "score".into(),
            done,
            total: 10,
        };
        assert!(lines.line(&progress(1)).is_some());
        assert!(lines.line(&progress(2)).is_none());
        assert!(lines.line(&progress(10)).is_some(), "the last one always");
    }
}
