//! [`Node`] tree → YAML text, in block style, safe for YAML 1.1 (PyYAML) and YAML 1.2 readers.
//!
//! Every string that some reader would take for something else (`on`, `no`, `0755`, `1:30`,
//! `2024-01-01`, `1e-5`) is quoted; floats always carry a dot and a signed exponent, the only
//! spelling PyYAML reads as a float; `${{…}}` stays plain where that is safe (block context).

use std::fmt::Write;

use super::node::{Mapping, Node, Value, format_float};
use super::resolve::is_ambiguous;
use crate::parallel::{PARALLEL_ENTRIES, in_parallel};

const INDENT: usize = 2;

/// Writes a document. The output ends with a newline and reads back as an equal tree.
///
/// ```
/// use pipeline_core::yaml::{emit, parse};
///
/// // `1e-5` has no dot: PyYAML reads it as a string, and so do we.
/// let node = parse("{inputs: {data: '${{parent.inputs.raw}}', seed: '0755', lr: 1e-5, wd: 2.0e-5}}")
///     .unwrap();
/// let text = emit(&node);
/// assert_eq!(
///     text,
///     "inputs:\n  data: ${{parent.inputs.raw}}\n  seed: '0755'\n  lr: '1e-5'\n  wd: 2.0e-5\n"
/// );
/// assert_eq!(parse(&text).unwrap(), node);
/// ```
pub fn emit(node: &Node) -> String {
    let mut out = String::new();
    match &node.value {
        Value::Map(m) if !m.is_empty() => write_map(&mut out, m, 0, false),
        Value::Seq(items) if !items.is_empty() => write_seq(&mut out, items, 0, false),
        _ => {
            // Indented even at the top: a line `...` or `---` at column 0 would end the
            // document (found by the read fuzz target).
            if !write_inline(&mut out, node) {
                out.push_str(&block_scalar(node, INDENT));
            }
            out.push('\n');
        }
    }
    out
}

/// Writes a document whose top-level mapping holds `key: null` in place of a huge mapping, whose
/// entries are rendered from `entries` and written a part at a time on every core: the huge
/// mapping is never a tree as a whole, and each entry's tree is freed as soon as it is written.
pub(crate) fn emit_streamed<T: Sync>(
    root: &Node,
    key: &str,
    entries: &[(&String, &T)],
    render: impl Fn(&T) -> Node + Sync,
) -> String {
    let Value::Map(top) = &root.value else {
        return emit(root);
    };
    let mut out = String::new();
    for (k, v) in top.iter() {
        if k.as_str() == Some(key) && v.is_null() && !entries.is_empty() {
            write_key(&mut out, k);
            out.push_str(":\n");
            write_in_parallel(&mut out, entries, |piece, (name, value)| {
                pad(piece, INDENT);
                write_string_key(piece, name);
                piece.push(':');
                write_after_indicator(piece, &render(value), INDENT);
            });
        } else {
            write_entry(&mut out, k, v, 0);
        }
    }
    out
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// `first_inline`: the first entry continues a line already begun (after `- `).
fn write_map(out: &mut String, map: &Mapping, indent: usize, first_inline: bool) {
    if map.len() >= PARALLEL_ENTRIES && !first_inline {
        return write_map_parallel(out, map, indent);
    }
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 || !first_inline {
            pad(out, indent);
        }
        write_entry(out, key, value, indent);
    }
}

/// The longest key written as `key: value`: YAML (and PyYAML) reads an implicit key of at most
/// 1024 characters, `: ` included.
const IMPLICIT_KEY: usize = 1000;

fn write_entry(out: &mut String, key: &Node, value: &Node, indent: usize) {
    let start = out.len();
    write_key(out, key);
    if out.len() - start > IMPLICIT_KEY && out[start..].chars().count() > IMPLICIT_KEY {
        // An explicit key: `? key`, then `: value` on the next line (found by the fuzzer).
        out.insert_str(start, "? ");
        out.push('\n');
        pad(out, indent);
    }
    out.push(':');
    write_after_indicator(out, value, indent);
}

/// The entries of a huge mapping, written on every core.
fn write_map_parallel(out: &mut String, map: &Mapping, indent: usize) {
    let entries: Vec<(&Node, &Node)> = map.iter().collect();
    write_in_parallel(out, &entries, |piece, (key, value)| {
        pad(piece, indent);
        write_entry(piece, key, value, indent);
    });
}

/// Entries that do not depend on each other, written on every core by `write` and joined in
/// order, so the text is the same as a sequential write.
fn write_in_parallel<E: Sync>(
    out: &mut String,
    entries: &[E],
    write: impl Fn(&mut String, &E) + Sync,
) {
    // Each piece is tens of megabytes: sized from its first entries, it is not copied as it grows.
    const SAMPLE: usize = 64;
    let pieces = in_parallel(entries, |part| {
        let mut piece = String::new();
        let (first, rest) = part.split_at(part.len().min(SAMPLE));
        for entry in first {
            write(&mut piece, entry);
        }
        piece.reserve(piece.len() / first.len().max(1) * rest.len() * 9 / 8);
        for entry in rest {
            write(&mut piece, entry);
        }
        piece
    });
    out.reserve(pieces.iter().map(String::len).sum());
    for piece in pieces {
        out.push_str(&piece);
    }
}

fn write_seq(out: &mut String, items: &[Node], indent: usize, first_inline: bool) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 || !first_inline {
            pad(out, indent);
        }
        out.push('-');
        match &item.value {
            Value::Map(m) if !m.is_empty() => {
                out.push(' ');
                write_map(out, m, indent + INDENT, true);
            }
            Value::Seq(s) if !s.is_empty() => {
                out.push(' ');
                write_seq(out, s, indent + INDENT, true);
            }
            _ => write_after_indicator(out, item, indent),
        }
    }
}

/// What follows `key:` or `-`: a scalar on the same line, or a nested block on the next lines.
fn write_after_indicator(out: &mut String, value: &Node, indent: usize) {
    match &value.value {
        Value::Map(m) if !m.is_empty() => {
            out.push('\n');
            write_map(out, m, indent + INDENT, false);
        }
        Value::Seq(s) if !s.is_empty() => {
            out.push('\n');
            write_seq(out, s, indent + INDENT, false);
        }
        Value::Null => out.push('\n'),
        _ => {
            out.push(' ');
            if !write_inline(out, value) {
                out.push_str(&block_scalar(value, indent + INDENT));
            }
            out.push('\n');
        }
    }
}

fn write_string_key(out: &mut String, s: &str) {
    if !write_string_inline(out, s) {
        out.push_str(&double_quoted(s));
    }
}

fn write_key(out: &mut String, key: &Node) {
    match &key.value {
        Value::Str(s) => write_string_key(out, s),
        _ => {
            if !write_inline(out, key) {
                out.push_str(&double_quoted(&key.to_string()));
            }
        }
    }
}

/// Writes a scalar that fits on the current line; `false` (nothing written) for a string that
/// reads best as a block.
fn write_inline(out: &mut String, node: &Node) -> bool {
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&format_float(*f)),
        Value::Timestamp(t) => out.push_str(t),
        Value::Str(s) => {
            if !write_string_inline(out, s) {
                if literal_block_ok(s) {
                    return false;
                }
                out.push_str(&double_quoted(s));
            }
        }
        Value::Seq(_) => out.push_str("[]"),
        Value::Map(_) => out.push_str("{}"),
    }
    true
}

/// A multi-line string as a literal block (`|`, `|-` or `|+`), its lines at `indent`.
fn block_scalar(node: &Node, indent: usize) -> String {
    let Value::Str(s) = &node.value else {
        return node.to_string();
    };
    let body = s.trim_end_matches('\n');
    let chomp = match s.len() - body.len() {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let mut out = format!("|{chomp}");
    for line in s.strip_suffix('\n').unwrap_or(s).split('\n') {
        out.push('\n');
        if !line.is_empty() {
            pad(&mut out, indent);
            out.push_str(line);
        }
    }
    out
}

/// A literal block keeps the text exactly when it has lines, starts with no space (that would
/// need an indentation indicator), and holds only printable characters.
fn literal_block_ok(s: &str) -> bool {
    s.contains('\n')
        && !s.starts_with([' ', '\t', '\n'])
        && !s.trim_end_matches('\n').is_empty()
        && s.chars().all(|c| c == '\n' || c == '\t' || is_printable(c))
        && !s.contains('\r')
        && !s.lines().any(|l| l.ends_with([' ', '\t']))
}

/// PyYAML's printable set, less the characters that YAML treats as line breaks or that PyYAML's
/// reader strips (a BOM).
fn is_printable(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && !matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}')
}

/// Writes a single-line string: plain when every reader reads it back as this string, else
/// quoted. `false` (nothing written) for a string of several lines.
fn write_string_inline(out: &mut String, s: &str) -> bool {
    if s.contains('\n') {
        return false;
    }
    if plain_ok(s) {
        out.push_str(s);
    } else if s.chars().all(is_printable) {
        out.push('\'');
        out.push_str(&s.replace('\'', "''"));
        out.push('\'');
    } else {
        out.push_str(&double_quoted(s));
    }
    true
}

/// Whether a one-line string can be written plain: in one pass over its bytes, as this is asked of
/// every string written.
fn plain_ok(s: &str) -> bool {
    let bytes = s.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if matches!(first, b' ' | b'\t') || matches!(last, b' ' | b'\t' | b':') {
        return false;
    }
    let second = bytes.get(1).copied();
    let starts_with_indicator = match first {
        // Block indicators are plain-safe when a non-space follows (`-x`, `:x`, `?x`)...
        b'-' | b'?' | b':' => {
            second.is_none_or(|c| matches!(c, b' ' | b'\t' | b',' | b'[' | b']' | b'{' | b'}'))
        }
        // ...the rest never start a plain scalar.
        b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
        | b'"' | b'%' | b'@' | b'`' => true,
        _ => false,
    };
    // A document marker (`---` or `...`, then white space or nothing) at the start of a line
    // ends or starts a document: at the top of a file a plain scalar may stand there.
    let marker = (s.starts_with("---") || s.starts_with("..."))
        && matches!(bytes.get(3), None | Some(b' ' | b'\t'));
    if starts_with_indicator || marker {
        return false;
    }
    let mut ascii = true;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            // Tabs, control characters, `: ` and ` #` (which would end the scalar).
            b'\t' | 0..=0x1f | 0x7f => return false,
            b':' if bytes.get(i + 1) == Some(&b' ') => return false,
            b'#' if i > 0 && bytes[i - 1] == b' ' => return false,
            0x80.. => ascii = false,
            _ => {}
        }
    }
    (ascii || s.chars().all(is_printable)) && !is_ambiguous(s)
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if !is_printable(c) => {
                let n = c as u32;
                if n <= 0xff {
                    let _ = write!(out, "\\x{n:02x}");
                } else if n <= 0xffff {
                    let _ = write!(out, "\\u{n:04x}");
                } else {
                    let _ = write!(out, "\\U{n:08x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::super::parse::parse;
    use super::*;

    fn roundtrip(src: &str) -> String {
        let node = parse(src).unwrap();
        let out = emit(&node);
        assert_eq!(parse(&out).unwrap(), node, "emitted:\n{out}");
        out
    }

    #[test]
    fn ambiguous_strings_are_quoted() {
        let out = roundtrip(
            "a: 'on'\nb: 'no'\nc: 'y'\nd: '0755'\ne: '1:30'\nf: '2024-01-01'\ng: '1e-5'\nh: ''\ni: '~'\n",
        );
        assert_eq!(
            out,
            "a: 'on'\nb: 'no'\nc: 'y'\nd: '0755'\ne: '1:30'\nf: '2024-01-01'\ng: '1e-5'\nh: ''\ni: '~'\n"
        );
    }

    #[test]
    fn bindings_stay_plain_in_block_context() {
        let out = roundtrip("x: ${{parent.inputs.lr}}\ny: ['${{parent.jobs.a.outputs.b}}']\n");
        assert_eq!(
            out,
            "x: ${{parent.inputs.lr}}\n'y':\n  - ${{parent.jobs.a.outputs.b}}\n"
        );
    }

    #[test]
    fn floats_always_read_back_as_floats() {
        assert_eq!(format_float(1.0), "1.0");
        assert_eq!(format_float(1e-5), "1.0e-5");
        assert_eq!(format_float(1e20), "1.0e+20");
        assert_eq!(format_float(-2.5e-7), "-2.5e-7");
        assert_eq!(format_float(0.01), "0.01");
        roundtrip("a: 1.0\nb: .inf\nc: -.inf\nd: 1.5e+300\n");
    }

    #[test]
    fn multiline_strings_become_literal_blocks() {
        let out = roundtrip("cmd: >-\n  python a.py\n  --x 1\nk:\n  - |\n    one\n    two\n");
        assert_eq!(out, "cmd: python a.py --x 1\nk:\n  - |\n    one\n    two\n");
        let out = roundtrip("a: \"x\\n\\ny\\n\\n\"\nb: \" lead\\nx\"\nc: \"tail \\nx\"\n");
        assert!(out.contains("a: |+\n  x\n\n  y\n\n"), "{out}");
        assert!(out.contains("b: \" lead\\nx\""), "{out}");
    }

    #[test]
    fn nested_collections_and_odd_keys() {
        roundtrip(
            "a:\n  - - 1\n    - 2\n  - {}\n  - []\n  - k: v\n    l:\n      - m\nb: {}\n'on': 1\n1: x\n\"a: b\": c\n",
        );
        roundtrip("- a\n- b: 1\n");
        roundtrip("plain\n");
        // A document marker and more, as the whole document (found by the fuzzer).
        roundtrip("'... {2NO {2 {h'\n");
        roundtrip("'--- x'\n");
        // A key near the implicit key's limit is written as an explicit one (found by the
        // fuzzer, whose key grew past the limit once its characters were escaped).
        let long_key = format!("{}: 1\n", "k".repeat(1010));
        let out = roundtrip(&long_key);
        assert!(out.starts_with("? "), "{out}");
        roundtrip(&format!("a:\n  {}\n", long_key.trim_end()));
        roundtrip("\"4x-monito\\n\\n\\n\\n...\\nodn\"\n");
        roundtrip("a: '... x'\n");
        roundtrip(
            "x: \"tab\\there\"\ny: \"bell\\a\"\nz: \"it's\"\nw: '-'\nv: '- x'\nu: '#c'\nt: 'a #b'\n",
        );
    }

    /// Many generated strings, of the characters that trip YAML up, survive emit → parse.
    #[test]
    fn generated_strings_survive_a_round_trip() {
        let alphabet: Vec<char> =
            " \t\n:-?#&*!|>'\"%@`{}[],$~01.eEyYnNoOfFtT<=\\\u{85}\u{a0}\u{2028}\u{7f}é→x"
                .chars()
                .collect();
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = (next() % 9) as usize;
            let s: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let mut m = Mapping::new();
            m.insert(Node::str(s.clone()), Node::str(s.clone()));
            m.insert(Node::str("list"), Node::seq(vec![Node::str(s.clone())]));
            let node = Node::map(m);
            let out = emit(&node);
            let back =
                parse(&out).unwrap_or_else(|e| panic!("{s:?} emitted as {out:?}: {}", e.message));
            assert_eq!(back, node, "{s:?} emitted as {out:?}");
        }
    }

    #[test]
    fn big_mappings_are_written_in_parallel_to_the_same_text() {
        let mut m = Mapping::new();
        for i in 0..(PARALLEL_ENTRIES * 2 + 7) {
            let mut inner = Mapping::new();
            inner.insert_str("type", Node::str("command"));
            inner.insert_str(
                "x",
                Node::seq(vec![Node::str(format!("v{i}")), Node::str("on")]),
            );
            m.push_unchecked(Node::str(format!("n{i}")), Node::map(inner));
        }
        let node = Node::map(m);
        let text = emit(&node);
        let mut sequential = String::new();
        for (k, v) in node.as_map().unwrap().iter() {
            write_entry(&mut sequential, k, v, 0);
        }
        assert_eq!(text, sequential);
        assert_eq!(parse(&text).unwrap(), node);
    }
}
