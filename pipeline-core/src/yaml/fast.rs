//! A fast reader for the plain block YAML that pipelines are nearly always written in.
//!
//! The general reader (saphyr's event parser and the tree builder in `parse.rs`) handles all of
//! YAML at about 30 MB/s; a 100,000-node pipeline is 70 MB. This one reads only block mappings,
//! block sequences, one-line plain scalars and one-line quoted scalars, straight from the bytes,
//! and gives up (`None`) on anything else: flow collections, block scalars, multi-line scalars,
//! anchors, aliases, tags, merge keys, directives, duplicate keys, tabs, control characters, or
//! anything it is unsure of. The caller then reads the text with the general reader, which also
//! reports every error. When it does answer, its tree is the general reader's, positions included
//! (the parity tests below and in `split.rs` compare the two on the corpus and on generated text).

use std::collections::HashSet;

use super::node::{Mapping, Node, Span, Value};
use super::resolve::{Plain, resolve_plain};

/// The tree of `text`, whose first line is line `first_line` of its file; `None` when the text is
/// not plain block YAML (read it with the general reader then).
pub(super) fn parse(text: &str, first_line: usize) -> Option<Node> {
    if !plain_bytes(text.as_bytes()) {
        return None;
    }
    let mut p = Reader::new(text, 0, first_line);
    let (indent, _) = p.peek()?;
    let root = p.block(indent)?;
    // Anything left over (a second document, text at a lower indentation) is not ours to judge.
    match p.peek() {
        None if !p.gave_up => Some(root),
        _ => None,
    }
}

/// Whether the text has none of the characters this reader leaves to the general one: tabs,
/// carriage returns and other control characters, and byte order marks.
fn plain_bytes(bytes: &[u8]) -> bool {
    // Block by block, without an early exit inside one, so that the compiler vectorizes it.
    let suspect = |block: &[u8]| {
        block.iter().fold(false, |found, &b| {
            found | ((b < 0x20) & (b != b'\n')) | (b == 0x7f) | (b == 0xEF)
        })
    };
    (0..bytes.len()).step_by(4096).all(|start| {
        let block = &bytes[start..(start + 4096).min(bytes.len())];
        !suspect(block)
            || !block.iter().enumerate().any(|(i, &b)| {
                // EF starts a byte order mark (EF BB BF) or some other rare character.
                let mark =
                    b == 0xEF && bytes.get(start + i + 1..start + i + 3) == Some(&[0xBB, 0xBF]);
                (b < 0x20 && b != b'\n') || b == 0x7f || mark
            })
    })
}

/// The entries of a block mapping whose keys are at column `indent`, from byte `from` (at the
/// start of line `line`) to byte `to` of `text`: a part of a huge mapping, read on its own, one
/// entry at a time, so that each can be used and freed before the next is read. Keys must be
/// strings. With `rest`, the mapping may end before `to`, and what follows is read as more
/// entries of the top-level mapping (column 1).
pub(super) fn entries(
    text: &str,
    from: usize,
    to: usize,
    line: usize,
    indent: usize,
    rest: bool,
) -> Option<Entries<'_>> {
    let text = text.get(..to)?;
    if !plain_bytes(&text.as_bytes()[from..]) {
        return None;
    }
    let mut reader = Reader::new(text, from, line);
    match reader.peek()? {
        (col, true) if col == indent => {}
        _ => return None,
    }
    Some(Entries {
        span: reader.span(reader.pos),
        reader,
        indent,
        rest,
        state: State::Going,
        keys: Vec::new(),
    })
}

/// See [`entries`].
pub(crate) struct Entries<'a> {
    reader: Reader<'a>,
    indent: usize,
    rest: bool,
    state: State,
    /// Where the first key stands.
    pub(crate) span: Span,
    /// The keys read so far, for finding one that two parts both have.
    pub(crate) keys: Vec<&'a str>,
}

#[derive(PartialEq)]
enum State {
    Going,
    Done,
    Failed,
}

impl Iterator for Entries<'_> {
    type Item = (Node, Node);

    fn next(&mut self) -> Option<(Node, Node)> {
        if self.state != State::Going {
            return None;
        }
        let read = self
            .reader
            .entry(self.indent)
            .and_then(|(key, value, raw)| {
                self.keys.push(raw);
                let more = self.reader.more_entries(self.indent)?;
                key.as_str()?;
                Some(((key, value), more))
            });
        match read {
            Some((entry, more)) => {
                if !more {
                    self.state = State::Done;
                }
                Some(entry)
            }
            None => {
                self.state = State::Failed;
                None
            }
        }
    }
}

impl Entries<'_> {
    /// After the last entry: whether the part was all read (`None` if not), and the top-level
    /// entries after the mapping, if any.
    pub(super) fn finish(mut self) -> Option<Option<Node>> {
        if self.state != State::Done {
            return None;
        }
        let p = &mut self.reader;
        let more = match p.peek() {
            None => None,
            Some((1, true)) if self.rest && self.indent > 1 => Some(p.mapping(1)?),
            Some(_) => return None,
        };
        match p.peek() {
            None if !p.gave_up => Some(more),
            _ => None,
        }
    }
}

/// Where the reader is: `pos` is the next unread byte, on line `line`, which starts at
/// `line_start`.
struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    line_start: usize,
    /// Set where the text turned out not to be plain block YAML after all.
    gave_up: bool,
    /// Collections open around the reader: past [`super::MAX_DEPTH`] the general reader takes
    /// over (and reports it), so that this one never recurses without bound.
    depth: usize,
}

/// Up to this many keys, a mapping is searched for a duplicate rather than indexed.
const SMALL: usize = 16;

impl<'a> Reader<'a> {
    fn new(text: &'a str, from: usize, line: usize) -> Self {
        Reader {
            text,
            bytes: text.as_bytes(),
            pos: from,
            line,
            line_start: from,
            gave_up: false,
            depth: 0,
        }
    }

    /// The 1-based column (in characters) of byte `at` on the current line.
    fn column(&self, at: usize) -> usize {
        let prefix = &self.bytes[self.line_start..at];
        prefix.len() - prefix.iter().filter(|&&b| b & 0xC0 == 0x80).count() + 1
    }

    fn span(&self, at: usize) -> Span {
        Span {
            line: self.line,
            column: self.column(at),
        }
    }

    /// The end of the current line (the offset of its `\n`, or of the text's end).
    fn line_end(&self) -> usize {
        memchr(b'\n', &self.bytes[self.pos..]).map_or(self.bytes.len(), |i| self.pos + i)
    }

    /// Skips spaces, comments and empty lines up to the next content; returns its column and
    /// whether it is at the start of its line (after indentation only). `None` at the end.
    /// Document markers and directives give up the fast read.
    fn peek(&mut self) -> Option<(usize, bool)> {
        loop {
            let rest = &self.bytes[self.pos..];
            let spaces = rest.iter().take_while(|&&b| b == b' ').count();
            let at = self.pos + spaces;
            match self.bytes.get(at) {
                None => {
                    self.pos = at;
                    return None;
                }
                Some(b'\n') => self.next_line(at),
                Some(b'#') if at == self.line_start || self.bytes[at - 1] == b' ' => {
                    self.pos = at;
                    let end = self.line_end();
                    if end == self.bytes.len() {
                        self.pos = end;
                        return None;
                    }
                    self.next_line(end);
                }
                Some(_) => {
                    let fresh = self.bytes[self.line_start..at].iter().all(|&b| b == b' ');
                    if fresh && at == self.line_start {
                        let line = &self.bytes[at..];
                        if line.starts_with(b"---") || line.starts_with(b"...") || line[0] == b'%' {
                            // A document boundary or directive: the general reader decides.
                            self.gave_up = true;
                            self.pos = self.bytes.len();
                            return None;
                        }
                    }
                    self.pos = at;
                    return Some((self.column(at), fresh));
                }
            }
        }
    }

    fn next_line(&mut self, newline: usize) {
        self.pos = newline + 1;
        self.line += 1;
        self.line_start = self.pos;
    }

    /// A block node whose first content is at column `indent` (the reader is there).
    fn block(&mut self, indent: usize) -> Option<Node> {
        if self.depth >= super::MAX_DEPTH {
            self.gave_up = true;
            return None;
        }
        self.depth += 1;
        let node = if self.at_item() {
            self.sequence(indent, false)
        } else {
            self.mapping(indent)
        };
        self.depth -= 1;
        node
    }

    /// Whether the reader is at a `-` that starts a sequence item.
    fn at_item(&self) -> bool {
        self.bytes.get(self.pos) == Some(&b'-')
            && matches!(self.bytes.get(self.pos + 1), None | Some(b' ' | b'\n'))
    }

    /// A block sequence whose `-` are at column `indent`; `indentless` when it is a mapping's value
    /// at the mapping's own indentation (`key:` then `- item` below it).
    fn sequence(&mut self, indent: usize, indentless: bool) -> Option<Node> {
        let mut span = self.span(self.pos);
        let mut items = Vec::new();
        loop {
            // At a `-`.
            let dash_line = self.line;
            let dash_line_end = self.span(self.line_end());
            self.pos += 1;
            let mut first_token = dash_line_end;
            let item = match self.peek() {
                Some((col, _)) if self.line == dash_line => {
                    if self.at_item() || self.bytes[self.pos] == b'#' {
                        return None;
                    }
                    first_token = self.span(self.pos);
                    if self.at_key() {
                        self.mapping(col)?
                    } else {
                        let node = self.scalar()?;
                        self.end_of_value(indent)?;
                        node
                    }
                }
                Some((col, true)) if col > indent => self.block(col)?,
                // Nothing after the `-`: null, placed at the end of its line as the general reader
                // places it.
                _ => Node {
                    value: Value::Null,
                    span: dash_line_end,
                },
            };
            if indentless && items.is_empty() {
                // The general reader places an indentless sequence at the token after its first
                // `-`: the item on the same line, or else the end of that line.
                if item.is_null() {
                    return None;
                }
                span = first_token;
            }
            items.push(item);
            match self.peek() {
                Some((col, true)) if col == indent && self.at_item() => continue,
                Some((col, true)) if col < indent => break,
                // Same column but not an item (the end of an indentless sequence), or deeper.
                Some((col, true)) if col == indent => break,
                None => break,
                _ => return None,
            }
        }
        Some(Node {
            value: Value::Seq(items),
            span,
        })
    }

    /// Whether the rest of the current line is `key: …` (a plain key).
    fn at_key(&self) -> bool {
        self.key_end().is_some()
    }

    /// The end of a plain key starting at the reader (the offset of its `:`), when the line is a
    /// `key: value` or `key:` line whose key the fast reader can read.
    fn key_end(&self) -> Option<usize> {
        let start = self.pos;
        let first = *self.bytes.get(start)?;
        if !plain_start(first, self.bytes.get(start + 1).copied()) {
            return None;
        }
        let mut i = start;
        while let Some(&b) = self.bytes.get(i) {
            match b {
                b'\n' => return None,
                b'#' if i > start && self.bytes[i - 1] == b' ' => return None,
                b':' if matches!(self.bytes.get(i + 1), None | Some(b' ' | b'\n')) => {
                    return Some(i);
                }
                _ => i += 1,
            }
        }
        None
    }

    /// A block mapping whose keys are at column `indent` (the reader is at the first key).
    fn mapping(&mut self, indent: usize) -> Option<Node> {
        let span = self.span(self.pos);
        let mut entries: Vec<(Node, Node)> = Vec::new();
        // The text of every string key so far (a plain key's text is its string), indexed once
        // the mapping is big enough for searching to cost.
        let mut texts: Vec<&'a str> = Vec::new();
        let mut seen: HashSet<&'a str> = HashSet::new();
        loop {
            let (key, value, raw) = self.entry(indent)?;
            // A duplicate is an error the general reader reports, with both lines.
            let duplicate = match &key.value {
                Value::Str(_) if texts.len() >= SMALL => {
                    if seen.is_empty() {
                        seen.extend(texts.iter().copied());
                    }
                    !seen.insert(raw)
                }
                Value::Str(_) => {
                    texts.push(raw);
                    entries.iter().any(|(k, _)| *k == key)
                }
                _ => entries.iter().any(|(k, _)| *k == key),
            };
            if duplicate {
                return None;
            }
            entries.push((key, value));
            if !self.more_entries(indent)? {
                break;
            }
        }
        Some(Node {
            value: Value::Map(Mapping::from_unique(entries)),
            span,
        })
    }

    /// One `key: value` entry of a mapping at column `indent` (the reader is at the key), with the
    /// key's text.
    fn entry(&mut self, indent: usize) -> Option<(Node, Node, &'a str)> {
        let colon = self.key_end()?;
        let key_span = self.span(self.pos);
        let raw = self.text[self.pos..colon].trim_end_matches(' ');
        if raw.len() > 1024 {
            return None;
        }
        let key = Node {
            value: plain(raw)?,
            span: key_span,
        };
        let key_line = self.line;
        let colon_span = self.span(colon);
        self.pos = colon + 1;
        let value = match self.peek() {
            Some(_) if self.line == key_line => {
                let node = self.scalar()?;
                self.end_of_value(indent)?;
                node
            }
            Some((col, true)) if col > indent => self.block(col)?,
            Some((col, true)) if col == indent && self.at_item() => self.sequence(col, true)?,
            // No value: null, placed at the `:` as the general reader places it.
            _ => Node {
                value: Value::Null,
                span: colon_span,
            },
        };
        Some((key, value, raw))
    }

    /// After an entry of a mapping at column `indent`: whether another follows (`None` when what
    /// follows is not for this reader).
    fn more_entries(&mut self, indent: usize) -> Option<bool> {
        match self.peek() {
            Some((col, true)) if col == indent && !self.at_item() => Some(true),
            Some((col, true)) if col < indent => Some(false),
            None => Some(false),
            _ => None,
        }
    }

    /// After a one-line value: nothing more may continue it on the following lines (a deeper line
    /// would be a multi-line scalar, which the general reader handles).
    fn end_of_value(&mut self, indent: usize) -> Option<()> {
        match self.peek() {
            Some((col, true)) if col <= indent => Some(()),
            None => Some(()),
            _ => None,
        }
    }

    /// A one-line scalar at the reader: plain, single- or double-quoted.
    fn scalar(&mut self) -> Option<Node> {
        let start = self.pos;
        let span = self.span(start);
        let end = self.line_end();
        let line = &self.text[start..end];
        let value = match self.bytes[start] {
            b'\'' => {
                let (s, used) = single_quoted(&line[1..])?;
                self.pos = start + 1 + used;
                Value::Str(s)
            }
            b'"' => {
                let (s, used) = double_quoted(&line[1..])?;
                self.pos = start + 1 + used;
                Value::Str(s)
            }
            first => {
                if !plain_start(first, line.as_bytes().get(1).copied()) {
                    return None;
                }
                let len = plain_len(line.as_bytes())?;
                self.pos = start + len;
                plain(line[..len].trim_end_matches(' '))?
            }
        };
        // After the scalar: spaces, then the end of the line or a comment.
        let rest = &self.bytes[self.pos..end];
        let spaces = rest.iter().take_while(|&&b| b == b' ').count();
        match rest.get(spaces) {
            None => {}
            Some(b'#') if self.bytes[self.pos + spaces - 1] == b' ' => {}
            _ => return None,
        }
        self.pos = end;
        Some(Node { value, span })
    }
}

/// Whether a plain scalar may start with `first` (followed by `next`), as far as this reader goes.
fn plain_start(first: u8, next: Option<u8>) -> bool {
    match first {
        b'-' | b'?' | b':' => !matches!(next, None | Some(b' ' | b'\n')),
        b'[' | b']' | b'{' | b'}' | b',' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
        | b'"' | b'%' | b'@' | b'`' | b' ' | b'\n' => false,
        _ => true,
    }
}

/// The length of a one-line plain value: up to a comment or the line's end. `None` when it holds
/// `: ` or ends in `:` (a mapping where a value was expected), which the general reader judges.
fn plain_len(line: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < line.len() {
        match line[i] {
            b'#' if line[i - 1] == b' ' => return Some(i),
            b':' if matches!(line.get(i + 1), None | Some(b' ')) => return None,
            _ => {}
        }
        i += 1;
    }
    Some(i)
}

/// A plain scalar resolved as PyYAML resolves it; `None` for what the general reader must judge
/// (`<<`, `=`, an integer out of range).
fn plain(s: &str) -> Option<Value> {
    match resolve_plain(s) {
        Ok(Plain::Value(v)) => Some(v),
        _ => None,
    }
}

/// The text of a single-quoted scalar closed on this line (`rest` starts after the opening quote),
/// and the bytes it used, closing quote included.
fn single_quoted(rest: &str) -> Option<(String, usize)> {
    let bytes = rest.as_bytes();
    let mut out = String::new();
    let mut from = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            out.push_str(&rest[from..i]);
            if bytes.get(i + 1) == Some(&b'\'') {
                out.push('\'');
                i += 2;
                from = i;
                continue;
            }
            return Some((out, i + 1));
        }
        i += 1;
    }
    None
}

/// The text of a double-quoted scalar closed on this line, with its escapes (the common ones; any
/// other gives up), and the bytes it used.
fn double_quoted(rest: &str) -> Option<(String, usize)> {
    let bytes = rest.as_bytes();
    let mut out = String::new();
    let mut from = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                out.push_str(&rest[from..i]);
                return Some((out, i + 1));
            }
            b'\\' => {
                out.push_str(&rest[from..i]);
                let (c, used) = match *bytes.get(i + 1)? {
                    b'\\' => ('\\', 2),
                    b'"' => ('"', 2),
                    b'/' => ('/', 2),
                    b'n' => ('\n', 2),
                    b't' => ('\t', 2),
                    b'r' => ('\r', 2),
                    b'0' => ('\0', 2),
                    b'x' => (hex(rest.get(i + 2..i + 4)?)?, 4),
                    b'u' => (hex(rest.get(i + 2..i + 6)?)?, 6),
                    b'U' => (hex(rest.get(i + 2..i + 10)?)?, 10),
                    _ => return None,
                };
                out.push(c);
                i += used;
                from = i;
            }
            _ => i += 1,
        }
    }
    None
}

fn hex(digits: &str) -> Option<char> {
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    char::from_u32(u32::from_str_radix(digits, 16).ok()?)
}

/// The first `needle` in `haystack` (a word at a time would be faster still; lines are short).
fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse::parse_sequential;
    use crate::yaml::testing::{corpus_yaml_files, difference};

    /// The fast tree, checked against the general reader's; `None` when the fast reader gave up.
    fn checked(text: &str) -> Option<Node> {
        let fast = parse(text, 1);
        if let Some(fast) = &fast {
            let general = parse_sequential(text)
                .unwrap_or_else(|e| panic!("fast read {text:?}, general says {e:?}"));
            if let Some(d) = difference(fast, &general, "") {
                panic!("{text:?}\n{d}");
            }
        }
        fast
    }

    #[test]
    fn plain_block_yaml_reads_as_the_general_reader_reads_it() {
        for text in [
            "a: 1\n",
            "a: 1",
            "a:\n",
            "a:",
            "a:\nb: 2\n",
            "a:   \n  # c\nb: 2\n",
            "a: # c\n  b: x  # c\n  c: 'q''s' # c\n  d: \"x\\ty\\u00e9\\\"\"\n",
            "# head\n\n$schema: x\ntype: pipeline\njobs:\n  n0:\n    inputs:\n      d: ${{parent.inputs.raw}}\n",
            "l:\n- a\n- b\nm: 1\n",
            "l:\n  - a\n  -\n  - c: 1\n    d:\n      - 2\n",
            "l:\n  - a\n  -   # c\n  -\n\n  - 1\n",
            "a:    # c\n\nb:\n",
            "l:\n  - c: 1\n    d: 2\n  - e: 3\nz: on\n",
            "- 1\n- x: y\n-\n  a: b\n",
            "é: ü\nkey é: 'ü: x' # ü\nx: ok\n",
            "a: b:c\nd: http://x:1/y\ne: -1\nf: 1e-5\ng: 1.0e-5\nh: 2024-01-01\ni: 0x1f\nj: ~\nk: null\n",
            "a:\n  b:\n    c:\n  d: 1\n",
            "a:\n  b:\n  - 1\n",
            "a  : 1\nb: x   \n",
            "  a: 1\n  b: 2\n",
            "a: \"\"\nb: ''\n",
        ] {
            assert!(checked(text).is_some(), "fast reader gave up on {text:?}");
        }
    }

    #[test]
    fn anything_else_is_left_to_the_general_reader() {
        for text in [
            "",
            "# only\n",
            "a: 1\na: 2\n",
            "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\nh: 8\ni: 9\nj: 10\nk: 11\nl: 12\nm: 13\nn: 14\no: 15\np: 16\nq: 17\nr: 18\nq: 19\n",
            "on: 1\ntrue: 2\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: [1, 2]\n",
            "a: {b: 1}\n",
            "a: |\n  x\n",
            "a: >\n  x\n",
            "a: b\n  c\n",
            "a: 'b\n  c'\n",
            "a: \"b\n  c\"\n",
            "a: b: c\n",
            "a:\tb\n",
            "a: 1\r\nb: 2\r\n",
            "---\na: 1\n",
            "a: 1\n---\nb: 2\n",
            "%YAML 1.1\n---\na: 1\n",
            "<<: {a: 1}\n",
            "a: =\n",
            "a: 99999999999999999999999\n",
            "a: 1\n b: 2\n",
            "a:\n    b: 1\n  c: 2\n",
            "- a\nb: 1\n",
            "a: 1\n- b\n",
            "? a\n: 1\n",
            "\"a\": 1\n",
            "a: \"\\q\"\n",
            "a: @x\n",
            "a: 'x' y\n",
            "just text\n",
            "a:\n  - x\n  b: 1\n",
            "l:\n  - - x\n",
            "\u{feff}a: 1\n",
            "a: x\u{feff}y\n",
            "a: x\u{7f}\n",
            "a:\n  b:\n  -\n",
            "l:\n-\n- x\n",
        ] {
            assert!(checked(text).is_none(), "fast reader read {text:?}");
        }
    }

    /// The text with one small random edit where YAML is touchiest.
    fn mutate(text: &str, seed: &mut u64) -> String {
        let mut next = |n: usize| {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            (*seed % n.max(1) as u64) as usize
        };
        const PIECES: [&str; 16] = [
            " ", ":", "- ", "#", "'", "\"", "\n", "x", "{", "[", ": ", " #", "\\", "\n  ", "-", "é",
        ];
        let mut at = next(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut out = String::with_capacity(text.len() + 4);
        out.push_str(&text[..at]);
        match next(3) {
            0 => out.push_str(PIECES[next(PIECES.len())]),
            1 => {
                // Drop a character.
                let skip = text[at..].chars().next().map_or(0, char::len_utf8);
                out.push_str(&text[at + skip..]);
                return out;
            }
            _ => {
                // Repeat the line, indented a little differently.
                let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
                out.truncate(start);
                out.push_str(&text[start..end]);
                out.push('\n');
                out.push_str(&" ".repeat(next(3)));
                out.push_str(&text[start..]);
                return out;
            }
        }
        out.push_str(&text[at..]);
        out
    }

    #[test]
    fn corpus_files_read_alike() {
        let Some(files) = corpus_yaml_files("") else {
            return;
        };
        let (mut fast, mut all, mut mutants) = (0, 0, 0);
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for p in files {
            let text = std::fs::read_to_string(&p).unwrap();
            all += 1;
            if checked(&text).is_some() {
                fast += 1;
                // Small edits of a file the fast reader takes: wherever it still answers,
                // it must answer as the general reader does.
                for _ in 0..40 {
                    let mutant = mutate(&text, &mut seed);
                    if checked(&mutant).is_some() {
                        mutants += 1;
                    }
                }
            }
        }
        println!(
            "{fast} of {all} corpus files read by the fast reader, alike; {mutants} edited ones too"
        );
        assert!(
            fast * 2 > all,
            "only {fast} of {all} corpus files read fast"
        );
    }
}
