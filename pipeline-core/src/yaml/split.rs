//! A huge pipeline is mostly its `jobs:` mapping: its entries are read on every core.
//!
//! Only plain block-style text qualifies (no anchors, aliases, tags, merge keys, tabs, document
//! markers, or quotes and brackets left open at the end of a line), so that a line at the entries'
//! indentation can only be the start of an entry. The text outside `jobs:` is read with the
//! `jobs:` lines blanked, each group of entries with the lines before it blanked, so every
//! position is the one a sequential read gives. Anything unexpected, a syntax error or a
//! duplicate node name included, falls back to the sequential read, which reports it as usual.

use std::collections::HashSet;

use super::fast::Entries;
use super::node::{Mapping, Node, Span, Value};
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

/// A huge plain block text (see `fast.rs`) read with its `jobs:` entries on every core: the text
/// is cut at entry boundaries into one part per core, each read alone with its real line numbers,
/// entry by entry, by `worker` (which may turn each entry into something smaller and free it).
/// The tree returned has `jobs: null`; `accept` may turn the text down, from the tree, before the
/// entries are read. `None` when the text is not plain block YAML or its `jobs:` is not a mapping
/// of string keys followed only by more top-level keys; the caller then reads it another way.
pub(crate) fn fast_split<W: Send>(
    source: &str,
    accept: impl FnOnce(&Node) -> bool,
    worker: impl Fn(&Node, &mut Entries<'_>) -> W + Sync,
) -> Option<Split<W>> {
    let bytes = source.as_bytes();
    let jobs_at = if source.starts_with("jobs:") {
        0
    } else {
        source.find("\njobs:")? + 1
    };
    let after_key = jobs_at + "jobs:".len();
    let line_end = source[after_key..]
        .find('\n')
        .map_or(source.len(), |i| after_key + i);
    let tail = source[after_key..line_end].trim_start_matches(' ');
    if !(tail.is_empty() || tail.starts_with('#')) || line_end == source.len() {
        return None;
    }
    let body = line_end + 1;
    let width = first_content_indent(&source[body..])?;
    if width == 0 {
        return None;
    }
    // One part per core, cut where an entry starts (a line of exactly `width` spaces and a key).
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let mut cuts = vec![body];
    for k in 1..threads {
        let target = body + (source.len() - body) * k / threads;
        if let Some(cut) = entry_start_from(bytes, target, width)
            && cut > *cuts.last()?
        {
            cuts.push(cut);
        }
    }
    cuts.push(source.len());
    let mut lines = Vec::with_capacity(cuts.len());
    let mut line = 1;
    let mut counted = 0;
    for &cut in &cuts[..cuts.len() - 1] {
        line += count_newlines(&bytes[counted..cut]);
        counted = cut;
        lines.push(line);
    }
    let parts: Vec<(usize, usize, usize, bool)> = cuts
        .windows(2)
        .zip(lines)
        .map(|(w, line)| (w[0], w[1], line, w[1] == source.len()))
        .collect();
    let mut root = super::fast::parse(&source[..body], 1)?;
    // `jobs:` must be the text's last key so far, with nothing after it on its line.
    let jobs_last = root
        .as_map()
        .and_then(|m| m.iter().last())
        .is_some_and(|(k, v)| k.as_str() == Some("jobs") && v.is_null());
    if !jobs_last || !accept(&root) {
        return None;
    }
    let tree = &root;
    let read = in_parallel(&parts, |part| {
        part.iter()
            .map(|&(from, to, line, last)| {
                let mut entries = super::fast::entries(source, from, to, line, width + 1, last)?;
                let work = worker(tree, &mut entries);
                // Whatever the worker left unread is read (and checked) all the same.
                entries.by_ref().for_each(drop);
                let span = entries.span;
                let keys = std::mem::take(&mut entries.keys);
                let more = entries.finish()?;
                Some((work, span, keys, more))
            })
            .collect::<Vec<_>>()
    });
    let mut parts = Vec::with_capacity(read.len());
    let mut jobs_span = None;
    let mut more = None;
    let mut seen = HashSet::new();
    for part in read.into_iter().flatten() {
        let (work, span, keys, rest) = part?;
        jobs_span.get_or_insert(span);
        // A node name twice is an error the general reader reports.
        for k in keys {
            if !seen.insert(k) {
                return None;
            }
        }
        parts.push(work);
        more = rest.or(more);
    }
    let Value::Map(top) = &mut root.value else {
        return None;
    };
    if let Some(Node {
        value: Value::Map(more),
        ..
    }) = more
    {
        for (k, v) in more.into_entries() {
            if top.contains_key(&k) {
                return None;
            }
            top.push_unchecked(k, v);
        }
    }
    Some(Split {
        root,
        jobs_span: jobs_span?,
        parts,
    })
}

/// What [`fast_split`] read.
pub(crate) struct Split<W> {
    /// The tree, with `jobs: null`.
    pub(crate) root: Node,
    /// Where the `jobs` mapping starts (its first key).
    pub(crate) jobs_span: Span,
    /// What the worker made of each part, in order.
    pub(crate) parts: Vec<W>,
}

impl<W> Split<W> {
    /// The tree with `jobs` set to `jobs`, placed where the `jobs` mapping starts.
    pub(crate) fn root_with_jobs(self, jobs: Mapping) -> Node {
        let mut root = self.root;
        if let Value::Map(top) = &mut root.value
            && let Some((_, slot)) = top.iter_mut().find(|(k, _)| k.as_str() == Some("jobs"))
        {
            *slot = Node {
                value: Value::Map(jobs),
                span: self.jobs_span,
            };
        }
        root
    }
}

/// The whole tree of a huge plain block text, its `jobs:` entries read on every core.
pub(crate) fn fast_in_parallel(source: &str) -> Option<Node> {
    let mut split = fast_split(source, |_| true, |_, entries| entries.collect::<Vec<_>>())?;
    let mut map = Mapping::new();
    for (k, v) in std::mem::take(&mut split.parts).into_iter().flatten() {
        map.push_unchecked(k, v);
    }
    Some(split.root_with_jobs(map))
}

/// The indentation of the first line with content (not blank, not a comment).
fn first_content_indent(text: &str) -> Option<usize> {
    text.split('\n').find_map(|l| {
        let t = l.trim_start_matches(' ');
        (!t.is_empty() && !t.starts_with('#')).then(|| l.len() - t.len())
    })
}

/// The first line at or after byte `from` that starts an entry at indentation `width`.
fn entry_start_from(bytes: &[u8], from: usize, width: usize) -> Option<usize> {
    let mut at = from;
    loop {
        // To the start of the next line.
        at += bytes[at..].iter().position(|&b| b == b'\n')? + 1;
        let line = &bytes[at..];
        if line.len() > width
            && line[..width].iter().all(|&b| b == b' ')
            && !matches!(line[width], b' ' | b'#' | b'-' | b'\n')
        {
            return Some(at);
        }
    }
}

/// How many `\n` in `bytes` (vectorized: no early exit).
fn count_newlines(bytes: &[u8]) -> usize {
    bytes.iter().map(|&b| usize::from(b == b'\n')).sum()
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
    use crate::yaml::testing::{corpus_yaml_files, same};

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
    fn fast_parallel_read_gives_the_sequential_tree_with_positions() {
        let mut text =
            String::from("# generated\n$schema: x\ntype: pipeline\njobs:   # the nodes\n\n");
        for i in 0..3000usize {
            text.push_str(&format!(
                "  n{i}:\n    type: command\n    inputs:\n      a: ${{{{parent.jobs.n{}.outputs.o}}}}\n      b: 'x # y'  # c\n    list:\n    - 1\n    - k: é\n\n",
                i.saturating_sub(1)
            ));
        }
        let sequential = parse_sequential(&text).unwrap();
        let parallel = fast_in_parallel(&text).expect("qualifies");
        assert!(same(&parallel, &sequential));
        text.push_str("settings:\n  default_compute: azureml:c\nz: 1\n");
        let sequential = parse_sequential(&text).unwrap();
        let parallel = fast_in_parallel(&text).expect("qualifies");
        assert!(same(&parallel, &sequential));
        assert_eq!(parallel.as_map().unwrap().len(), 5);
        // A node name twice, a duplicate top-level key, or something only the general reader
        // reads: no answer.
        for bad in [
            text.replace("  n2999:\n", "  n7:\n"),
            text.replace("z: 1\n", "type: x\n"),
            text.replace("  n2500:\n", "  n2500: &a\n"),
            text.replace(
                "  n1500:\n    type: command\n",
                "  n1500:\n    type: [a,\n  b]\n",
            ),
        ] {
            assert!(fast_in_parallel(&bad).is_none());
        }
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
        let Some(files) = corpus_yaml_files("azureml-examples") else {
            return;
        };
        let mut qualified = 0;
        for p in files {
            let text = std::fs::read_to_string(&p).unwrap();
            if let (Some(par), Ok(seq)) = (parse_jobs_in_parallel(&text), parse_sequential(&text)) {
                assert!(same(&par, &seq), "{}", p.display());
                qualified += 1;
            }
        }
        println!("{qualified} corpus files read in parallel alike");
    }
}
