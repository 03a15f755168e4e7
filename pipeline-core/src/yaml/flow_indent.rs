//! PyYAML ignores indentation inside flow collections (its scanner says so: "In the flow context,
//! indentation is ignored. We make the scanner less restrictive than specification requires"), so
//! the SDK reads
//!
//! ```yaml
//! enum: [
//!   "a", "b"
//! ]
//! ```
//!
//! while a YAML 1.2 scanner stops at the `]` that sits at its key's column. Leading spaces on a
//! line inside a flow collection mean nothing to either reader (line folding drops them, even in a
//! quoted scalar), so adding some changes no value: the text is re-read with every such line
//! indented past the line that opened the collection, and positions are shifted back.

/// The text with each line that starts inside a flow collection indented past the line that
/// opened it, and the spaces added to each line (0-based); `None` when nothing needs it.
pub(super) fn indent_flow_continuations(source: &str) -> Option<(String, Vec<usize>)> {
    let mut scan = Scan::default();
    let mut out = String::with_capacity(source.len() + 64);
    let mut added = Vec::new();
    let mut any = false;
    for line in source.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let extra = match scan.open_indent {
            Some(opened) if scan.depth > 0 && indent <= opened && !line.trim().is_empty() => {
                opened + 1 - indent
            }
            _ => 0,
        };
        any |= extra > 0;
        added.push(extra);
        out.extend(std::iter::repeat_n(' ', extra));
        out.push_str(line);
        scan.line(line, indent);
    }
    any.then_some((out, added))
}

/// Where the scan stands between lines.
#[derive(Default)]
struct Scan {
    /// Open flow collections.
    depth: usize,
    /// The indentation of the line that opened the outermost open collection.
    open_indent: Option<usize>,
    /// Inside a quoted scalar that goes on to the next line (its quote character).
    quote: Option<u8>,
    /// Inside a block scalar (`|`, `>`) whose lines are more indented than this.
    block_scalar: Option<usize>,
}

impl Scan {
    fn line(&mut self, line: &str, indent: usize) {
        let bytes = line.as_bytes();
        if let Some(parent) = self.block_scalar {
            if line.trim().is_empty() || indent > parent {
                return;
            }
            self.block_scalar = None;
        }
        let mut i = indent;
        // A token may start here: after indentation, `- `, `? `, `: `, a flow indicator or `,`.
        let mut token_start = true;
        while i < bytes.len() {
            let c = bytes[i];
            if let Some(q) = self.quote {
                match c {
                    b'\\' if q == b'"' => i += 1,
                    b'\'' if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
                    _ if c == q => {
                        self.quote = None;
                        token_start = false;
                    }
                    _ => {}
                }
                i += 1;
                continue;
            }
            let next_blank = bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace());
            match c {
                b' ' | b'\t' | b'\r' | b'\n' => {
                    if self.depth > 0 {
                        token_start = true;
                    }
                }
                b'#' if i == 0 || bytes[i - 1].is_ascii_whitespace() => return,
                b'\'' | b'"' if token_start => self.quote = Some(c),
                b'[' | b'{' if token_start || self.depth > 0 => {
                    if self.depth == 0 {
                        self.open_indent = Some(indent);
                    }
                    self.depth += 1;
                    token_start = true;
                }
                b']' | b'}' if self.depth > 0 => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        self.open_indent = None;
                    }
                    token_start = false;
                }
                b',' if self.depth > 0 => token_start = true,
                b'-' | b'?' | b':' if next_blank => token_start = true,
                b'|' | b'>' if token_start && self.depth == 0 => {
                    self.block_scalar = Some(indent);
                    return;
                }
                b'&' | b'!' if token_start => {
                    // An anchor or tag: the token is what follows it.
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    continue;
                }
                _ => token_start = false,
            }
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::indent_flow_continuations;

    fn fixed(text: &str) -> Option<String> {
        indent_flow_continuations(text).map(|(t, _)| t)
    }

    #[test]
    fn a_closing_bracket_at_its_keys_column_is_indented() {
        let (text, added) =
            indent_flow_continuations("enum: [\n  \"a\", \"b\"\n]\nx: 1\n").unwrap();
        assert_eq!(text, "enum: [\n  \"a\", \"b\"\n ]\nx: 1\n");
        assert_eq!(added, vec![0, 0, 1, 0]);
        let nested = "inputs:\n  mode:\n    enum: [\n    a, b\n    ]\n";
        assert_eq!(
            fixed(nested).unwrap(),
            "inputs:\n  mode:\n    enum: [\n     a, b\n     ]\n"
        );
    }

    #[test]
    fn brackets_in_plain_scalars_quotes_comments_and_block_scalars_open_nothing() {
        for text in [
            "command: echo [x\nnext: 1\n",
            "command: 'echo [x'\nnext: 1\n",
            "command: \"echo {x\"\nnext: 1\n",
            "a: 1 # [\nb: 2\n",
            "command: |\n  echo [\nnext: 1\n",
            "k: [a, b]\nl: {c: d}\n",
        ] {
            assert_eq!(fixed(text), None, "{text:?}");
        }
    }

    #[test]
    fn quoted_scalars_in_a_flow_collection_may_hold_brackets_and_span_lines() {
        let text = "k: ['a ] b', \"c\n]\", 'it''s'\n]\n";
        assert_eq!(
            fixed(text).unwrap(),
            "k: ['a ] b', \"c\n ]\", 'it''s'\n ]\n"
        );
    }

    #[test]
    fn the_reader_reads_such_text_as_pyyaml_does_with_positions_as_written() {
        let loose = crate::yaml::parse("enum: [\n  \"a\", \"b\"\n]\nx: {k:\nv}\n").unwrap();
        let tight = crate::yaml::parse("enum: [\"a\", \"b\"]\nx: {k: v}\n").unwrap();
        assert_eq!(loose, tight);
        let x = loose.as_map().unwrap().get("x").unwrap().as_map().unwrap();
        let (_, v) = x.iter().next().unwrap();
        assert_eq!((v.span.line, v.span.column), (5, 1));
        // Text that is wrong for both readers keeps its own error.
        let e = crate::yaml::parse("a:\n  b: 1\n c: 2\n").unwrap_err();
        assert_eq!(e.span.line, 3);
    }

    #[test]
    fn sequence_entries_open_collections_too() {
        assert_eq!(
            fixed("- [a,\nb]\n- &x {c: d,\ne: f}\n").unwrap(),
            "- [a,\n b]\n- &x {c: d,\n e: f}\n"
        );
    }
}
