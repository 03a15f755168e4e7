//! A huge pipeline is mostly its `jobs:` mapping: its entries are read on every core.
//!
//! Only plain block-style text qualifies (no anchors, aliases, tags, merge keys, tabs, document
//! markers, or quotes and brackets left open at the end of a line), so that a line at the entries'
//! indentation can only be the start of an entry. The text outside `jobs:` is read with the
//! `jobs:` lines blanked, each group of entries with the lines before it blanked, so every
//! position is the one a sequential read gives. Anything unexpected, a syntax error or a
//! duplicate node name included, falls back to the sequential read, which reports it as usual.

use std::collections::HashSet;

use super::node::{Mapping, Node, Value};
use super::parse::parse_sequential;
use crate::parallel::in_parallel;

/// Texts smaller than this are read on one thread: splitting would not pay.
pub(crate) const PARALLEL_BYTES: usize = crate::parallel::BIG_TEXT;

/// The `jobs:` entries of `source` read in parallel; `None` when the text does not qualify.
pub(crate) fn parse_jobs_in_parallel(source: &str) -> Option<Node> {
    if source.contains("<<")
        || source
            .bytes()
            .any(|b| matches!(b, b'&' | b'*' | b'!' | b'\t' | b'%'))
    {
        return None;
    }
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    if lines
        .iter()
        .any(|l| l.starts_with("---") || l.starts_with("...") || !balanced(l))
    {
        return None;
    }
    let start = lines.iter().position(|l| l.trim_end() == "jobs:")?;
    let top_level = |l: &str| !l.starts_with([' ', '#', '\n', '\r']) && !l.trim().is_empty();
    let end = (start + 1..lines.len())
        .find(|&i| top_level(lines[i]))
        .unwrap_or(lines.len());
    let content = |l: &str| {
        let t = l.trim_start_matches(' ');
        !t.trim().is_empty() && !t.starts_with('#')
    };
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let first = (start + 1..end).find(|&i| content(lines[i]))?;
    let width = indent(lines[first]);
    let mut entries = Vec::new();
    for (i, l) in lines.iter().enumerate().take(end).skip(first) {
        if !content(l) {
            continue;
        }
        match indent(l) {
            w if w < width => return None,
            w if w == width => {
                if l[w..].starts_with('-') {
                    return None;
                }
                entries.push(i);
            }
            _ => {}
        }
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if entries.len() < 2 * threads {
        return None;
    }
    // Groups of entries, each from its first line to the next group's.
    let per = entries.len().div_ceil(threads);
    let mut ranges: Vec<(usize, usize)> = entries.chunks(per).map(|c| (c[0], 0)).collect();
    for i in 0..ranges.len() {
        ranges[i].1 = ranges.get(i + 1).map_or(end, |r| r.0);
    }
    let blank = |n: usize| "\n".repeat(n);
    let outer = (usize::MAX, usize::MAX);
    let work: Vec<(usize, usize)> = std::iter::once(outer)
        .chain(ranges.iter().copied())
        .collect();
    let parsed = in_parallel(&work, |part| {
        part.iter()
            .map(|&(from, to)| {
                let text = if (from, to) == outer {
                    let mut t: String = lines[..=start].concat();
                    t.push_str(&blank(end - start - 1));
                    t.push_str(&lines[end..].concat());
                    t
                } else {
                    let mut t = blank(from);
                    t.push_str(&lines[from..to].concat());
                    t
                };
                parse_sequential(&text).ok()
            })
            .collect::<Vec<_>>()
    });
    let mut parsed = parsed.into_iter().flatten();
    let mut root = parsed.next()??;
    let mut jobs = Mapping::new();
    let mut jobs_span = None;
    let mut seen = HashSet::new();
    for part in parsed {
        let part = part?;
        jobs_span.get_or_insert(part.span);
        let Value::Map(m) = part.value else {
            return None;
        };
        for (k, v) in m.into_entries() {
            if !seen.insert(k.as_str()?.to_owned()) {
                return None;
            }
            jobs.push_unchecked(k, v);
        }
    }
    let Value::Map(top) = &mut root.value else {
        return None;
    };
    let (_, slot) = top.iter_mut().find(|(k, _)| k.as_str() == Some("jobs"))?;
    if !slot.is_null() {
        return None;
    }
    *slot = Node {
        value: Value::Map(jobs),
        span: jobs_span?,
    };
    Some(root)
}

/// Quotes and brackets closed on the line they open: a line that leaves one open may continue on
/// the next, where an entry boundary could not be trusted.
fn balanced(line: &str) -> bool {
    let mut double = false;
    let mut single = false;
    let mut depth = 0i32;
    let mut prev = ' ';
    for c in line.chars() {
        match c {
            '"' if !single && prev != '\\' => double = !double,
            '\'' if !double => single = !single,
            '[' | '{' if !double && !single => depth += 1,
            ']' | '}' if !double && !single => depth -= 1,
            '#' if !double && !single && prev == ' ' => break,
            _ => {}
        }
        prev = c;
    }
    !double && !single && depth == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Equal trees, positions included.
    fn same(a: &Node, b: &Node) -> bool {
        a.span == b.span
            && match (&a.value, &b.value) {
                (Value::Map(x), Value::Map(y)) => {
                    x.len() == y.len()
                        && x.iter()
                            .zip(y.iter())
                            .all(|((k1, v1), (k2, v2))| same(k1, k2) && same(v1, v2))
                }
                (Value::Seq(x), Value::Seq(y)) => {
                    x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
                }
                (x, y) => x == y,
            }
    }

    fn pipeline(n: usize, extra: &str) -> String {
        let mut t = String::from(
            "$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json\ntype: pipeline\njobs:\n",
        );
        for i in 0..n {
            t.push_str(&format!(
                "  # node {i}\n  n{i}:\n    command: |\n      echo {i}\n      jobs:\n    inputs: {{a: '${{{{parent.jobs.n{}.outputs.o}}}}', b: \"x # y\"}}\n\n",
                i.saturating_sub(1)
            ));
        }
        t.push_str(extra);
        t
    }

    #[test]
    fn parallel_read_gives_the_sequential_tree_with_positions() {
        let text = pipeline(500, "settings:\n  default_compute: azureml:c\n");
        let parallel = parse_jobs_in_parallel(&text).expect("qualifies");
        let sequential = parse_sequential(&text).unwrap();
        assert!(same(&parallel, &sequential));
    }

    #[test]
    fn anything_unusual_falls_back() {
        for extra in [
            "x: &a 1\n",
            "y: *a\n",
            "z: !!str 1\n",
            "---\n",
            "w: 'open\n  more'\n",
            "v: [1,\n  2]\n",
        ] {
            assert!(
                parse_jobs_in_parallel(&pipeline(50, extra)).is_none(),
                "{extra:?}"
            );
        }
        // A duplicate node name or a syntax error: the sequential read reports it.
        let dup = pipeline(50, "").replace("  n7:\n", "  n3:\n");
        assert!(parse_jobs_in_parallel(&dup).is_none());
        assert!(
            parse_sequential(&dup)
                .unwrap_err()
                .message
                .contains("duplicate key `n3`")
        );
        let bad =
            pipeline(50, "").replace("  n9:\n    command: |", "  n9:\n   command: x\n    oops: [");
        assert!(parse_jobs_in_parallel(&bad).is_none());
        assert!(crate::yaml::parse(&bad).is_err());
    }

    #[test]
    fn corpus_files_read_alike_when_they_qualify() {
        let corpus = std::env::var_os("PIPELINE_CORPUS").map_or_else(
            || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
            std::path::PathBuf::from,
        );
        let root = corpus.join("azureml-examples");
        if !root.is_dir() {
            assert!(
                std::env::var_os("CI").is_none(),
                "corpus not found at {}; CI does not skip",
                root.display()
            );
            println!("skipped: corpus not found at {}", root.display());
            return;
        }
        let mut stack = vec![root];
        let mut qualified = 0;
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "yml" || x == "yaml") {
                    let text = std::fs::read_to_string(&p).unwrap();
                    if let (Some(par), Ok(seq)) =
                        (parse_jobs_in_parallel(&text), parse_sequential(&text))
                    {
                        assert!(same(&par, &seq), "{}", p.display());
                        qualified += 1;
                    }
                }
            }
        }
        println!("{qualified} corpus files read in parallel alike");
    }
}
