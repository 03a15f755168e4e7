//! `run --format json`: one JSON object per line on stdout for every event, then a summary; for
//! tools and tests, which read each line as it comes (stdout is line-buffered).

use std::path::Path;
use std::time::{Duration, Instant};

use indexmap::IndexMap;
use pipeline_core::run::{Event, NodeReport, RunReport};
use serde_json::{Value, json};

use crate::output;

/// Prints events as JSON lines; `elapsed_ms` on each is the time since the display started.
pub(crate) struct JsonLines {
    start: Instant,
}

impl JsonLines {
    pub(crate) fn new() -> Self {
        JsonLines {
            start: Instant::now(),
        }
    }

    pub(crate) fn event(&mut self, event: &Event) {
        output::println(&event_line(event, self.start.elapsed()));
    }

    pub(crate) fn finish(&mut self, report: &RunReport) {
        output::println(&summary(report));
    }
}

fn path(p: &Path) -> Value {
    Value::String(p.display().to_string())
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn paths(map: &IndexMap<String, std::path::PathBuf>) -> Value {
    Value::Object(map.iter().map(|(k, v)| (k.clone(), path(v))).collect())
}

/// One event as a JSON object.
pub(crate) fn event_line(event: &Event, elapsed: Duration) -> String {
    let at = millis(elapsed);
    let value = match event {
        Event::Started { run_id, dir, nodes } => json!({
            "event": "started", "elapsed_ms": at, "run_id": run_id, "dir": path(dir), "nodes": nodes,
        }),
        Event::Notice(message) => json!({"event": "notice", "elapsed_ms": at, "message": message}),
        Event::Pipeline { status } => {
            json!({"event": "pipeline", "elapsed_ms": at, "status": status.as_str()})
        }
        Event::Node {
            name,
            status,
            reused,
            log,
            error,
        } => json!({
            "event": "node", "elapsed_ms": at, "name": name, "status": status.as_str(),
            "reused": reused, "log": path(log), "error": error,
        }),
        Event::Progress { name, done, total } => json!({
            "event": "progress", "elapsed_ms": at, "name": name, "done": done, "total": total,
        }),
    };
    value.to_string()
}

fn node(n: &NodeReport) -> Value {
    json!({
        "name": n.name, "status": n.status.as_str(), "reused": n.reused,
        "duration_ms": millis(n.duration), "log": path(&n.log), "error": n.error,
        "outputs": paths(&n.outputs),
    })
}

/// The last line: how the run ended, node by node, and where its outputs are.
pub(crate) fn summary(report: &RunReport) -> String {
    let nodes: Vec<Value> = report.nodes.iter().map(node).collect();
    json!({
        "event": "summary", "run_id": report.run_id, "dir": path(&report.dir),
        "status": report.status.as_str(), "duration_ms": millis(report.duration), "nodes": nodes,
        "outputs": paths(&report.outputs),
    })
    .to_string()
}

/// Why nothing ran (an invalid file, a job that cannot run here), as the only line.
pub(crate) fn error(problems: &[String]) -> String {
    json!({"event": "error", "problems": problems}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pipeline_core::JobStatus;

    #[test]
    fn node_events_are_one_line_objects() {
        let event = Event::Node {
            name: "train".into(),
            status: JobStatus::Failed,
            reused: false,
            log: "/r/train/user_logs/std_log.txt".into(),
            error: Some("exit code 1\n".into()),
        };
        assert_eq!(
            event_line(&event, Duration::from_millis(1500)),
            r#"{"event":"node","elapsed_ms":1500,"name":"train","status":"Failed","reused":false,"log":"/r/train/user_logs/std_log.txt","error":"exit code 1\n"}"#
        );
        assert_eq!(
            error(&["a \"b\"".into()]),
            r#"{"event":"error","problems":["a \"b\""]}"#
        );
    }
}
