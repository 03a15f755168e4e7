//! `run --format json`: one JSON object per line on stdout for every event, then a summary; for
//! tools and tests, which read each line as it comes (stdout is line-buffered).

use std::path::Path;
use std::time::{Duration, Instant};

use indexmap::IndexMap;
use pipeline_core::run::{Event, NodeReport, RunReport};

use crate::render::json_string;

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
        println!("{}", event_line(event, self.start.elapsed()));
    }

    pub(crate) fn finish(&mut self, report: &RunReport) {
        println!("{}", summary(report));
    }
}

fn path(p: &Path) -> String {
    json_string(&p.display().to_string())
}

fn opt(s: Option<&str>) -> String {
    s.map_or_else(|| "null".to_owned(), json_string)
}

fn millis(d: Duration) -> u128 {
    d.as_millis()
}

fn paths(map: &IndexMap<String, std::path::PathBuf>) -> String {
    let fields: Vec<String> = map
        .iter()
        .map(|(k, v)| format!("{}:{}", json_string(k), path(v)))
        .collect();
    format!("{{{}}}", fields.join(","))
}

/// One event as a JSON object.
pub(crate) fn event_line(event: &Event, elapsed: Duration) -> String {
    let at = millis(elapsed);
    match event {
        Event::Started { run_id, dir, nodes } => {
            let nodes: Vec<String> = nodes.iter().map(|n| json_string(n)).collect();
            format!(
                "{{\"event\":\"started\",\"elapsed_ms\":{at},\"run_id\":{},\"dir\":{},\"nodes\":[{}]}}",
                json_string(run_id),
                path(dir),
                nodes.join(",")
            )
        }
        Event::Notice(message) => format!(
            "{{\"event\":\"notice\",\"elapsed_ms\":{at},\"message\":{}}}",
            json_string(message)
        ),
        Event::Pipeline { status } => format!(
            "{{\"event\":\"pipeline\",\"elapsed_ms\":{at},\"status\":\"{}\"}}",
            status.as_str()
        ),
        Event::Node {
            name,
            status,
            reused,
            log,
            error,
        } => format!(
            "{{\"event\":\"node\",\"elapsed_ms\":{at},\"name\":{},\"status\":\"{}\",\"reused\":{reused},\"log\":{},\"error\":{}}}",
            json_string(name),
            status.as_str(),
            path(log),
            opt(error.as_deref())
        ),
        Event::Progress { name, done, total } => format!(
            "{{\"event\":\"progress\",\"elapsed_ms\":{at},\"name\":{},\"done\":{done},\"total\":{total}}}",
            json_string(name)
        ),
    }
}

fn node(n: &NodeReport) -> String {
    format!(
        "{{\"name\":{},\"status\":\"{}\",\"reused\":{},\"duration_ms\":{},\"log\":{},\"error\":{},\"outputs\":{}}}",
        json_string(&n.name),
        n.status.as_str(),
        n.reused,
        millis(n.duration),
        path(&n.log),
        opt(n.error.as_deref()),
        paths(&n.outputs)
    )
}

/// The last line: how the run ended, node by node, and where its outputs are.
pub(crate) fn summary(report: &RunReport) -> String {
    let nodes: Vec<String> = report.nodes.iter().map(node).collect();
    format!(
        "{{\"event\":\"summary\",\"run_id\":{},\"dir\":{},\"status\":\"{}\",\"duration_ms\":{},\"nodes\":[{}],\"outputs\":{}}}",
        json_string(&report.run_id),
        path(&report.dir),
        report.status.as_str(),
        millis(report.duration),
        nodes.join(","),
        paths(&report.outputs)
    )
}

/// Why nothing ran (an invalid file, a job that cannot run here), as the only line.
pub(crate) fn error(problems: &[String]) -> String {
    let problems: Vec<String> = problems.iter().map(|p| json_string(p)).collect();
    format!(
        "{{\"event\":\"error\",\"problems\":[{}]}}",
        problems.join(",")
    )
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
