//! The end of a run as people read it: a table of nodes, why each failure failed and where its log
//! is, where the pipeline's outputs are.

use std::fmt::Write;
use std::time::Duration;

use pipeline_core::JobStatus;
use pipeline_core::run::{NodeReport, RunReport};

/// `1.2s`, `2m03s`, `1h05m`: short enough for a column, precise where it matters.
pub(crate) fn seconds(d: Duration) -> String {
    let s = d.as_secs();
    if s < 60 {
        format!("{:.1}s", d.as_secs_f64())
    } else if s < 3600 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{}h{:02}m", s / 3600, s / 60 % 60)
    }
}

/// A node's status as the summary and the progress lines say it.
pub(crate) fn status_text(status: JobStatus, reused: bool) -> String {
    if reused && status == JobStatus::Completed {
        "Completed (reused)".to_owned()
    } else {
        status.as_str().to_owned()
    }
}

fn duration_text(n: &NodeReport) -> String {
    let never_ran = n.status == JobStatus::NotStarted
        || (n.status == JobStatus::Canceled && n.duration.is_zero());
    if never_ran {
        "-".to_owned()
    } else {
        seconds(n.duration)
    }
}

/// The whole summary, ending with a newline.
pub(crate) fn human(report: &RunReport) -> String {
    let mut out = String::new();
    let rows: Vec<[String; 3]> = report
        .nodes
        .iter()
        .map(|n| {
            [
                n.name.clone(),
                status_text(n.status, n.reused),
                duration_text(n),
            ]
        })
        .collect();
    let header = ["node", "status", "duration"].map(str::to_owned);
    let width = |c: usize| {
        rows.iter()
            .chain([&header])
            .map(|r| r[c].chars().count())
            .max()
            .unwrap_or(0)
    };
    let (w0, w1, w2) = (width(0), width(1), width(2));
    out.push('\n');
    for row in [&header].into_iter().chain(&rows) {
        let _ = writeln!(out, "  {:w0$}  {:w1$}  {:>w2$}", row[0], row[1], row[2]);
    }
    for n in report
        .nodes
        .iter()
        .filter(|n| n.status == JobStatus::Failed)
    {
        let _ = writeln!(
            out,
            "\n{} failed: {}\n  log: {}",
            n.name,
            n.error.as_deref().unwrap_or("(no reason given)").trim_end(),
            n.log.display()
        );
    }
    if !report.outputs.is_empty() {
        out.push_str("\noutputs:\n");
        for (name, path) in &report.outputs {
            let _ = writeln!(out, "  {name} → {}", path.display());
        }
    }
    let _ = writeln!(
        out,
        "\nrun folder: {}\npipeline {} in {}",
        report.dir.display(),
        report.status.as_str(),
        seconds(report.duration)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use indexmap::IndexMap;

    fn node(name: &str, status: JobStatus, reused: bool, ms: u64) -> NodeReport {
        NodeReport {
            name: name.into(),
            status,
            reused,
            duration: Duration::from_millis(ms),
            log: format!("/r/{name}/user_logs/std_log.txt").into(),
            error: (status == JobStatus::Failed).then(|| "exit code 3".to_owned()),
            outputs: IndexMap::new(),
        }
    }

    #[test]
    fn a_table_then_failures_then_outputs() {
        let report = RunReport {
            run_id: "r".into(),
            dir: "/ws/.pipeline/runs/r".into(),
            status: JobStatus::Failed,
            nodes: vec![
                node("prep", JobStatus::Completed, true, 3),
                node("train", JobStatus::Failed, false, 1250),
                node("score", JobStatus::NotStarted, false, 0),
            ],
            outputs: [("model".to_owned(), "/r/train/outputs/model".into())].into(),
            duration: Duration::from_secs(75),
        };
        assert_eq!(
            human(&report),
            "
  node   status              duration
  prep   Completed (reused)      0.0s
  train  Failed                  1.2s
  score  NotStarted                 -

train failed: exit code 3
  log: /r/train/user_logs/std_log.txt

outputs:
  model → /r/train/outputs/model

run folder: /ws/.pipeline/runs/r
pipeline Failed in 1m15s
"
        );
    }
}
