//! The live display on a terminal: a bar for the pipeline (`N/M nodes`), a spinner with the
//! elapsed time for each running node (a bar of mini-batches for a parallel node), and a line
//! that stays for each node that ends.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use pipeline_core::JobStatus;
use pipeline_core::run::Event;

use crate::summary;

const PIPELINE: &str = "{prefix:.bold} [{bar:30.cyan/blue}] {pos}/{len} nodes  {elapsed}  {msg}";
const NODE: &str = "  {spinner:.green} {prefix} {elapsed:>4}  {msg}";
const MINI_BATCHES: &str =
    "  {spinner:.green} {prefix} {elapsed:>4}  [{bar:20.green/white}] {pos}/{len} mini-batches";
const TICK: Duration = Duration::from_millis(120);

/// A template known to be valid; a default spinner rather than a panic if one were not.
fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}

pub(crate) struct Live {
    multi: MultiProgress,
    pipeline: ProgressBar,
    nodes: HashMap<String, ProgressBar>,
    /// The longest node name: the names' column.
    width: usize,
    queued: HashSet<String>,
    canceling: bool,
}

impl Live {
    pub(crate) fn new() -> Self {
        Live {
            multi: MultiProgress::new(),
            // Shown once the run says how many nodes it has.
            pipeline: ProgressBar::hidden(),
            nodes: HashMap::new(),
            width: 0,
            queued: HashSet::new(),
            canceling: false,
        }
    }

    /// A line that stays above the bars.
    fn say(&self, line: String) {
        // Printing fails only when stderr is gone, and then there is no one to tell.
        let _ = self.multi.println(line);
    }

    pub(crate) fn event(&mut self, event: &Event) {
        match event {
            Event::Started { run_id, dir, nodes } => {
                self.width = nodes.iter().map(|n| n.chars().count()).max().unwrap_or(0);
                self.say(format!("run {run_id} in {}", dir.display()));
                self.pipeline = self.multi.add(
                    ProgressBar::new(nodes.len() as u64)
                        .with_style(style(PIPELINE).progress_chars("=> "))
                        .with_prefix("pipeline"),
                );
                self.pipeline.enable_steady_tick(TICK);
            }
            Event::Notice(message) => self.say(format!("note: {message}")),
            Event::Pipeline { status } => {
                self.canceling = *status == JobStatus::CancelRequested;
                self.update_message();
            }
            Event::Node {
                name,
                status,
                reused,
                error,
                ..
            } => self.node(name, *status, *reused, error.as_deref()),
            Event::Progress { name, done, total } => {
                if let Some(bar) = self.nodes.get(name) {
                    if bar.length() != Some(*total) {
                        bar.set_style(style(MINI_BATCHES).progress_chars("=> "));
                        bar.set_length(*total);
                    }
                    bar.set_position(*done);
                }
            }
        }
    }

    fn node(&mut self, name: &str, status: JobStatus, reused: bool, error: Option<&str>) {
        match status {
            JobStatus::Queued => {
                self.queued.insert(name.to_owned());
            }
            JobStatus::Running => {
                self.queued.remove(name);
                let bar = self.multi.add(
                    ProgressBar::new_spinner()
                        .with_style(style(NODE))
                        .with_prefix(format!("{name:w$}", w = self.width)),
                );
                bar.enable_steady_tick(TICK);
                self.nodes.insert(name.to_owned(), bar);
            }
            JobStatus::CancelRequested => {
                if let Some(bar) = self.nodes.get(name) {
                    bar.set_message("cancel requested");
                }
            }
            // NotStarted comes only at the end, for nodes a failure upstream kept waiting.
            _ if status.is_terminal() || status == JobStatus::NotStarted => {
                self.queued.remove(name);
                let took = self.nodes.remove(name).map(|bar| {
                    let took = bar.elapsed();
                    bar.finish_and_clear();
                    self.multi.remove(&bar);
                    took
                });
                let mark = match status {
                    JobStatus::Completed => '✓',
                    JobStatus::Failed => '✗',
                    _ => '-',
                };
                let mut line = format!(
                    "  {mark} {name:w$} {}",
                    summary::status_text(status, reused),
                    w = self.width
                );
                if let Some(took) = took {
                    line.push_str(&format!(" in {}", summary::seconds(took)));
                }
                if let Some(e) = error {
                    line.push_str(&format!(": {}", e.trim_end()));
                }
                self.say(line);
                self.pipeline.inc(1);
            }
            _ => {}
        }
        self.update_message();
    }

    fn update_message(&self) {
        let mut parts = Vec::new();
        if !self.nodes.is_empty() {
            parts.push(format!("{} running", self.nodes.len()));
        }
        if !self.queued.is_empty() {
            parts.push(format!("{} queued", self.queued.len()));
        }
        if self.canceling {
            parts.push("canceling…".to_owned());
        }
        self.pipeline.set_message(parts.join(", "));
    }

    /// Takes the bars off the screen, so the summary follows the lines that stay.
    pub(crate) fn clear(&mut self) {
        for (_, bar) in self.nodes.drain() {
            bar.finish_and_clear();
        }
        self.pipeline.finish_and_clear();
        let _ = self.multi.clear();
    }
}
