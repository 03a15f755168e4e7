//! Text → [`Node`] tree, with positions, PyYAML's scalar resolution, anchors, aliases and merge
//! keys, and duplicate keys rejected (PyYAML silently keeps the last one; we say where both are).

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as ParserSpan, Tag};

use super::node::{Mapping, Node, Span, Value};
use super::resolve::{Plain, resolve_plain};
use crate::codes::Code;

/// A YAML text that could not be read.
///
/// ```
/// use pipeline_core::Code;
/// use pipeline_core::yaml::parse;
///
/// let e = parse("jobs:\n  train: {command: a}\n  train: {command: b}\n").unwrap_err();
/// assert_eq!(e.code, Code::E002);
/// assert_eq!((e.span.line, e.span.column), (3, 3));
/// assert!(e.message.contains("duplicate key `train` (first at line 2)"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// `E001` (syntax) or `E002` (duplicate key).
    pub code: Code,
    /// Where it went wrong.
    pub span: Span,
    /// What went wrong.
    pub message: String,
    /// How to fix it, when we know.
    pub help: Option<String>,
}

impl SyntaxError {
    fn new(span: Span, message: impl Into<String>) -> Self {
        SyntaxError {
            code: Code::E001,
            span,
            message: message.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Parses one YAML document. An empty text is `null`; several documents are an error (the SDK
/// reads one).
///
/// ```
/// use pipeline_core::yaml::{Value, parse};
///
/// let node = parse("type: pipeline\nsettings: {default_compute: azureml:cpu-cluster}\n").unwrap();
/// assert_eq!(node.as_map().unwrap().get("type").unwrap().as_str(), Some("pipeline"));
/// assert_eq!(parse("").unwrap().value, Value::Null);
/// assert!(parse("type: pipeline\n---\ntype: command\n").is_err());
/// assert!(parse("jobs: {train: [}").is_err());
/// ```
pub fn parse(source: &str) -> Result<Node, SyntaxError> {
    reject_nul(source)?;
    reject_ambiguous_breaks(source)?;
    let big = source.len() >= super::split::PARALLEL_BYTES;
    if big && let Some(node) = super::split::fast_in_parallel(source) {
        return Ok(node);
    }
    if let Some(node) = super::fast::parse(source, 1) {
        return Ok(node);
    }
    if big && let Some(node) = super::split::parse_jobs_in_parallel(source) {
        return Ok(node);
    }
    parse_sequential(source)
}

/// Parses the whole text on this thread.
pub(super) fn parse_sequential(source: &str) -> Result<Node, SyntaxError> {
    let first = parse_events(source, &[]);
    match &first {
        // PyYAML ignores indentation inside flow collections; a 1.2 scanner does not.
        Err(e) if e.code == Code::E001 && e.message.contains("indentation") => {
            match super::flow_indent::indent_flow_continuations(source) {
                Some((text, added)) => parse_events(&text, &added).or(first),
                None => first,
            }
        }
        _ => first,
    }
}

/// Parses `source`, whose line `i` (0-based) had `shifted[i]` spaces put in front of it: its
/// positions are given as they were before.
fn parse_events(source: &str, shifted: &[usize]) -> Result<Node, SyntaxError> {
    let to_span = |span: ParserSpan| {
        let mut span = to_span(span);
        if let Some(&n) = span.line.checked_sub(1).and_then(|i| shifted.get(i)) {
            span.column = span.column.saturating_sub(n).max(1);
        }
        span
    };
    let mut builder = Builder::default();
    let mut documents = 0;
    for event in Parser::new_from_str(source) {
        let (event, span) = event.map_err(|e| {
            let m = e.marker();
            SyntaxError::new(
                Span {
                    line: m.line(),
                    column: m.col() + 1,
                },
                e.info().to_owned(),
            )
            .help(
                "a parser stops where the text stops making sense: look here and just above for an \
                 unclosed bracket, brace or quote, or a wrong indentation",
            )
        })?;
        let span = to_span(span);
        if let Event::DocumentStart(_) = event {
            documents += 1;
            if documents > 1 {
                return Err(SyntaxError::new(span, "more than one YAML document in this file")
                    .help("Azure ML reads a single document: remove the `---` and what follows, or split the file"));
            }
        }
        builder.event(event, span)?;
    }
    Ok(builder.root.unwrap_or(Node {
        value: Value::Null,
        span: Span { line: 1, column: 1 },
    }))
}

/// A character PyYAML refuses anywhere in the text ("unacceptable character … special characters
/// are not allowed": C0 and C1 controls but tab and line breaks, surrogates, U+FFFE and U+FFFF),
/// said where it is; a NUL is also what the scanner would misread ("unexpected end of stream").
fn reject_nul(source: &str) -> Result<(), SyntaxError> {
    let printable = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{85}')
            || ('\u{20}'..='\u{7e}').contains(&c)
            || ('\u{a0}'..='\u{d7ff}').contains(&c)
            || ('\u{e000}'..='\u{fffd}').contains(&c)
            || c >= '\u{10000}'
    };
    // Most text is printable ASCII: only a byte below 0x20 or from 0x7f asks for a closer look.
    if source
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) || matches!(b, b'\t' | b'\n' | b'\r'))
    {
        return Ok(());
    }
    let Some((at, c)) = source.char_indices().find(|(_, c)| !printable(*c)) else {
        return Ok(());
    };
    let before = &source[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let message = if c == '\0' {
        "a NUL character (byte 0): YAML text cannot hold one".to_owned()
    } else {
        format!(
            "a non-printable character U+{:04X}: PyYAML, and so the SDK, refuses it",
            c as u32
        )
    };
    Err(
        SyntaxError::new(Span { line, column }, message).help(format!(
            "remove it, or write it escaped inside double quotes (\"\\x{:02x}\")",
            c as u32
        )),
    )
}

/// NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR are line breaks to YAML 1.1 (PyYAML, so the SDK)
/// and ordinary characters to YAML 1.2: the same file would mean two things. Escaped inside
/// double quotes (`"\x85"`, `"\u2028"`) they mean one.
fn reject_ambiguous_breaks(source: &str) -> Result<(), SyntaxError> {
    // They are encoded as C2 85 and E2 80 A8/A9: without those lead bytes there is none.
    if !source
        .bytes()
        .fold(false, |found, b| found | (b == 0xC2) | (b == 0xE2))
    {
        return Ok(());
    }
    for (i, line) in source.split('\n').enumerate() {
        if let Some((col, c)) = line
            .chars()
            .enumerate()
            .find(|(_, c)| matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}'))
        {
            return Err(SyntaxError::new(
                Span {
                    line: i + 1,
                    column: col + 1,
                },
                format!("a raw U+{:04X} line-break character", c as u32),
            )
            .help(format!("YAML 1.1 (the SDK) and YAML 1.2 read it differently: write it escaped, as \"\\u{:04x}\" inside double quotes", c as u32)));
        }
    }
    Ok(())
}

fn to_span(span: ParserSpan) -> Span {
    Span {
        line: span.start.line(),
        column: span.start.col() + 1,
    }
}

enum Frame {
    Seq {
        items: Vec<Node>,
        span: Span,
        anchor: usize,
    },
    Map {
        entries: Vec<(Node, Node)>,
        /// String keys seen so far, with their line, for finding duplicates in constant time.
        seen: HashMap<String, usize>,
        pending_key: Option<Node>,
        /// Values of `<<` keys, merged when the mapping ends.
        merges: Vec<Node>,
        span: Span,
        anchor: usize,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    /// Each anchor's node, and how many nodes it holds.
    anchors: Vec<Option<(Node, usize)>>,
    root: Option<Node>,
    /// Nodes added by aliases so far (bounded by [`super::MAX_ALIAS_NODES`]).
    alias_nodes: usize,
}

/// How many nodes a tree holds (iteratively: a tree may be deep).
fn node_count(node: &Node) -> usize {
    let mut count = 0;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        count += 1;
        match &n.value {
            Value::Seq(items) => stack.extend(items),
            Value::Map(m) => {
                for (k, v) in m.iter() {
                    stack.push(k);
                    stack.push(v);
                }
            }
            _ => {}
        }
    }
    count
}

impl Builder {
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), SyntaxError> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let node = scalar(&text, style, tag.as_deref(), span)?;
                self.remember(anchor, &node);
                self.add(node, span)
            }
            Event::Alias(id) => {
                let Some(Some((node, count))) = self.anchors.get(id) else {
                    return Err(SyntaxError::new(
                        span,
                        "this alias names an anchor that is not defined before it",
                    ));
                };
                self.alias_nodes = self.alias_nodes.saturating_add(*count);
                if self.alias_nodes > super::MAX_ALIAS_NODES {
                    return Err(SyntaxError::new(
                        span,
                        format!(
                            "aliases here expand to more than {} nodes",
                            super::MAX_ALIAS_NODES
                        ),
                    )
                    .help("nested aliases multiply (an alias bomb): write the repeated part out, or use fewer levels of aliases"));
                }
                let node = node.clone();
                self.add(Node { span, ..node }, span)
            }
            Event::SequenceStart(..) | Event::MappingStart(..)
                if self.stack.len() >= super::MAX_DEPTH =>
            {
                Err(SyntaxError::new(
                    span,
                    format!("collections nested more than {} deep", super::MAX_DEPTH),
                )
                .help(
                    "no Azure ML file nests this deep: look for a runaway indentation or bracket",
                ))
            }
            Event::SequenceStart(anchor, tag) => {
                check_collection_tag(tag.as_deref(), "seq", span)?;
                self.stack.push(Frame::Seq {
                    items: Vec::new(),
                    span,
                    anchor,
                });
                Ok(())
            }
            Event::MappingStart(anchor, tag) => {
                check_collection_tag(tag.as_deref(), "map", span)?;
                self.stack.push(Frame::Map {
                    entries: Vec::new(),
                    seen: HashMap::new(),
                    pending_key: None,
                    merges: Vec::new(),
                    span,
                    anchor,
                });
                Ok(())
            }
            Event::SequenceEnd => match self.stack.pop() {
                Some(Frame::Seq {
                    items,
                    span,
                    anchor,
                }) => {
                    let node = Node {
                        value: Value::Seq(items),
                        span,
                    };
                    self.remember(anchor, &node);
                    self.add(node, span)
                }
                _ => Err(SyntaxError::new(span, "unbalanced sequence end")),
            },
            Event::MappingEnd => match self.stack.pop() {
                Some(Frame::Map {
                    entries,
                    merges,
                    span,
                    anchor,
                    ..
                }) => {
                    let node = Node {
                        value: Value::Map(merge(entries, merges)?),
                        span,
                    };
                    self.remember(anchor, &node);
                    self.add(node, span)
                }
                _ => Err(SyntaxError::new(span, "unbalanced mapping end")),
            },
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd => Ok(()),
        }
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor == 0 {
            return;
        }
        if self.anchors.len() <= anchor {
            self.anchors.resize(anchor + 1, None);
        }
        self.anchors[anchor] = Some((node.clone(), node_count(node)));
    }

    fn add(&mut self, node: Node, span: Span) -> Result<(), SyntaxError> {
        let is_key_position = matches!(
            self.stack.last(),
            Some(Frame::Map {
                pending_key: None,
                ..
            })
        );
        // `<<` is a merge key only as a key; anywhere else it is the text `<<`.
        let node = if !is_key_position && is_merge_key(&node) {
            Node {
                value: Value::Str("<<".to_owned()),
                ..node
            }
        } else {
            node
        };
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                Ok(())
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                Ok(())
            }
            Some(Frame::Map {
                entries,
                seen,
                pending_key,
                merges,
                ..
            }) => {
                match pending_key.take() {
                    None => {
                        if matches!(node.value, Value::Seq(_) | Value::Map(_)) {
                            return Err(SyntaxError::new(span, "a mapping key must be a scalar")
                            .help("Azure ML keys are plain names; quote the key if it is meant as text"));
                        }
                        *pending_key = Some(node);
                        Ok(())
                    }
                    Some(key) if is_merge_key(&key) => {
                        merges.push(node);
                        Ok(())
                    }
                    Some(key) => {
                        // Small mappings (nearly all) are searched; a big one (the `jobs` of a
                        // 100,000-node pipeline) gets an index, so reading stays linear.
                        let first_line = match &key.value {
                            Value::Str(s) if entries.len() >= SMALL => {
                                if seen.is_empty() {
                                    seen.extend(entries.iter().filter_map(|(k, _)| {
                                        k.as_str().map(|s| (s.to_owned(), k.span.line))
                                    }));
                                }
                                seen.insert(s.clone(), key.span.line)
                            }
                            _ => entries
                                .iter()
                                .find(|(k, _)| *k == key)
                                .map(|(k, _)| k.span.line),
                        };
                        if let Some(first_line) = first_line {
                            return Err(SyntaxError {
                            code: Code::E002,
                            ..SyntaxError::new(
                                key.span,
                                format!("duplicate key `{key}` (first at line {first_line})"),
                            )
                        }
                        .help("YAML readers silently keep only the last value: remove one of the two"));
                        }
                        entries.push((key, node));
                        Ok(())
                    }
                }
            }
        }
    }
}

/// Up to this many keys, a mapping is searched for duplicates rather than indexed.
const SMALL: usize = 16;

/// The merge key is recognised by its resolved form, which the scalar builder marks with a
/// private string that no document can contain.
const MERGE_MARK: &str = "\u{0}<<";

fn is_merge_key(key: &Node) -> bool {
    key.as_str() == Some(MERGE_MARK)
}

/// `<<: *a` or `<<: [*a, *b]`: entries of the merged mappings that the mapping does not set
/// itself, earlier merges winning, as PyYAML does.
fn merge(entries: Vec<(Node, Node)>, merges: Vec<Node>) -> Result<Mapping, SyntaxError> {
    let mut out = Mapping::new();
    let mut sources = Vec::new();
    for m in merges {
        match m.value {
            Value::Map(map) => sources.push(map),
            Value::Seq(items) => {
                for item in items {
                    match item.value {
                        Value::Map(map) => sources.push(map),
                        _ => {
                            return Err(SyntaxError::new(
                                item.span,
                                "a merge key `<<` takes mappings only",
                            ));
                        }
                    }
                }
            }
            _ => {
                return Err(SyntaxError::new(
                    m.span,
                    "a merge key `<<` takes a mapping or a list of mappings",
                ));
            }
        }
    }
    for source in sources {
        for (k, v) in source.iter() {
            if !out.contains_key(k) && !entries.iter().any(|(e, _)| e == k) {
                out.push_unchecked(k.clone(), v.clone());
            }
        }
    }
    for (k, v) in entries {
        out.push_unchecked(k, v);
    }
    Ok(out)
}

fn core_tag_suffix(tag: &Tag) -> Option<&str> {
    match tag.handle.as_str() {
        "tag:yaml.org,2002:" | "!!" => Some(tag.suffix.as_str()),
        _ => None,
    }
}

fn check_collection_tag(tag: Option<&Tag>, expected: &str, span: Span) -> Result<(), SyntaxError> {
    match tag {
        None => Ok(()),
        Some(t) if core_tag_suffix(t) == Some(expected) => Ok(()),
        Some(t) => Err(unsupported_tag(t, span)),
    }
}

fn unsupported_tag(tag: &Tag, span: Span) -> SyntaxError {
    SyntaxError::new(span, format!("unsupported tag `{}{}`", tag.handle, tag.suffix))
        .help("the Azure ML loader (PyYAML's safe loader) accepts only standard tags such as !!str; remove the tag")
}

fn scalar(
    text: &str,
    style: ScalarStyle,
    tag: Option<&Tag>,
    span: Span,
) -> Result<Node, SyntaxError> {
    let value = match tag {
        Some(t) => match core_tag_suffix(t) {
            Some("str") => Value::Str(text.to_owned()),
            Some(kind @ ("int" | "float" | "bool" | "null" | "timestamp")) => {
                let resolved = match resolve_plain(text) {
                    Ok(Plain::Value(v)) => v,
                    _ => Value::Str(text.to_owned()),
                };
                let fits = matches!(
                    (kind, &resolved),
                    ("int", Value::Int(_))
                        | ("float", Value::Float(_))
                        | ("bool", Value::Bool(_))
                        | ("null", Value::Null)
                        | ("timestamp", Value::Timestamp(_))
                );
                match (fits, kind, &resolved) {
                    (true, ..) => resolved,
                    (false, "float", Value::Int(i)) => Value::Float(*i as f64),
                    _ => {
                        return Err(SyntaxError::new(
                            span,
                            format!("`{text}` is not a valid !!{kind}"),
                        ));
                    }
                }
            }
            _ => return Err(unsupported_tag(t, span)),
        },
        None if style == ScalarStyle::Plain => match resolve_plain(text) {
            Ok(Plain::Value(v)) => v,
            Ok(Plain::Merge) => Value::Str(MERGE_MARK.to_owned()),
            Ok(Plain::ValueTag) => {
                return Err(SyntaxError::new(
                    span,
                    "a bare `=` cannot be read by the Azure ML loader",
                )
                .help("quote it: '='"));
            }
            Err(message) => {
                return Err(SyntaxError::new(span, message).help("quote it to keep it as text"));
            }
        },
        None => Value::Str(text.to_owned()),
    };
    Ok(Node { value, span })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(src: &str) -> Mapping {
        parse(src).unwrap().as_map().unwrap().clone()
    }

    #[test]
    fn scalars_resolve_like_pyyaml_and_keep_positions() {
        let m = map("a: on\nb: '0755'\nc: 0755\nd: 1e-5\ne: |\n  x\n  y\n");
        assert_eq!(m.get("a").unwrap().value, Value::Bool(true));
        assert_eq!(m.get("b").unwrap().value, Value::Str("0755".into()));
        assert_eq!(m.get("c").unwrap().value, Value::Int(493));
        assert_eq!(m.get("d").unwrap().value, Value::Str("1e-5".into()));
        assert_eq!(m.get("e").unwrap().value, Value::Str("x\ny\n".into()));
        assert_eq!(m.get("c").unwrap().span, Span { line: 3, column: 4 });
    }

    #[test]
    fn duplicate_keys_are_errors_naming_both_lines() {
        let e = parse("jobs:\n  a: 1\n  b: 2\n  a: 3\n").unwrap_err();
        assert_eq!(e.span, Span { line: 4, column: 3 });
        assert!(
            e.message.contains("duplicate key `a` (first at line 2)"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_nul_is_said_where_it_is() {
        let e = parse("a: 1\nname: \"a\0b\"\n").unwrap_err();
        assert_eq!((e.span.line, e.span.column), (2, 9));
        assert!(e.message.contains("NUL"), "{}", e.message);
        // Other characters PyYAML refuses, as it refuses them (the fuzzer's third finding
        // began with one the reader took).
        let e = parse("a: b\u{f}c\n").unwrap_err();
        assert!(e.message.contains("U+000F"), "{}", e.message);
        assert!(parse("a: \"b\\x0fc\"\n").is_ok(), "escaped, it is fine");
        assert!(parse("a: é→\u{a0}x\tb\n").is_ok());
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_errors_not_crashes() {
        // The issue's shape: each level lists the one before ten times.
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            bomb.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(bomb.len() < 800);
        let e = parse(&bomb).unwrap_err();
        assert!(
            e.message.contains("aliases here expand to more than"),
            "{}",
            e.message
        );
        assert!(
            parse(&"- x\n".repeat(50_000)).is_ok(),
            "a long flat list is fine"
        );
        let nested_seq = "- ".repeat(50_000) + "x\n";
        let e = parse(&nested_seq).unwrap_err();
        assert!(
            e.message.contains("nested more than 256 deep"),
            "{}",
            e.message
        );
        // The scanner's own limit stops flow collections first.
        let nested_flow = "[".repeat(20_000) + &"]".repeat(20_000);
        assert_eq!(parse(&nested_flow).unwrap_err().code, Code::E001);
        let mut nested_map = String::new();
        for i in 0..1_000 {
            nested_map.push_str(&" ".repeat(i));
            nested_map.push_str("k:\n");
        }
        assert!(
            parse(&nested_map)
                .unwrap_err()
                .message
                .contains("nested more than")
        );
        // Just under the limit still reads.
        assert!(parse(&("- ".repeat(250) + "x\n")).is_ok());
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let m = map("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\nd: *b\n");
        let c = m.get("c").unwrap().as_map().unwrap();
        assert_eq!(c.get("x").unwrap().value, Value::Int(1));
        assert_eq!(c.get("y").unwrap().value, Value::Int(3));
        assert_eq!(m.get("d").unwrap(), m.get("base").unwrap());
    }

    #[test]
    fn tags_and_bad_input() {
        let m = map("a: !!str 123\nb: !!float 1\n");
        assert_eq!(m.get("a").unwrap().value, Value::Str("123".into()));
        assert_eq!(m.get("b").unwrap().value, Value::Float(1.0));
        assert!(
            parse("a: !Ref x\n")
                .unwrap_err()
                .message
                .contains("unsupported tag")
        );
        assert!(parse("a: [1, 2\n").is_err());
        assert!(
            parse("a: 1\n---\nb: 2\n")
                .unwrap_err()
                .message
                .contains("more than one")
        );
        assert!(parse("a: =\n").is_err());
        assert_eq!(parse("").unwrap().value, Value::Null);
        let e = parse("a: 1\nb: \"x\u{2028}y\"\n").unwrap_err();
        assert_eq!((e.span.line, e.span.column), (2, 6));
        assert!(e.message.contains("U+2028"), "{}", e.message);
        assert_eq!(
            parse("b: \"x\\u2028y\"\n")
                .unwrap()
                .as_map()
                .unwrap()
                .get("b")
                .unwrap()
                .value,
            Value::Str("x\u{2028}y".into())
        );
    }
}
