//! Where a `${{…}}` placeholder sits in a command, as bash reads the command: bare, inside
//! `'…'`, or inside `"…"` (and so on inside `$(…)`), so that a value can be put in for its place
//! and arrive as Azure ML would pass it, without ever being run.
//!
//! Azure ML pastes each value into the command text as it is, then bash reads the result: a value
//! in a bare placeholder word-splits, one in quotes stays whole, and shell code in a value runs.
//! The local runner keeps the first two and drops the third: see [`insert`].

use std::fmt;

/// Where a placeholder sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// Outside quotes: the value's words become words of the command.
    Bare,
    /// Inside `'…'`.
    SingleQuoted,
    /// Inside `"…"`.
    DoubleQuoted,
}

/// A place the reader does not handle, where a value cannot be put in safely.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unhandled {
    Heredoc,
    AnsiCQuote,
    BraceExpansion,
    Backticks,
    Comment,
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unhandled::Heredoc => "a heredoc (`<<EOF`)",
            Unhandled::AnsiCQuote => "a `$'…'` string",
            Unhandled::BraceExpansion => "a `${…}` expansion",
            Unhandled::Backticks => "backticks (`` `…` ``)",
            Unhandled::Comment => "a comment",
        })
    }
}

/// One level of bash's reading.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Frame {
    /// Plain command text (the command itself, or inside `$(…)`), with its open `(`.
    Plain {
        parens: usize,
    },
    Single,
    Double,
    AnsiC,
    Brace {
        depth: usize,
    },
    Backtick,
    Comment,
}

/// Reads a command's text piece by piece, the placeholders between the pieces.
#[derive(Debug, Clone)]
pub(crate) struct Reader {
    stack: Vec<Frame>,
    /// The previous character ends a word (so `#` starts a comment).
    word_start: bool,
    /// The previous character was an unescaped `\`.
    escaped: bool,
    /// The previous character was `$` (for `$(`, `${`, `$'`).
    dollar: bool,
    /// `<` seen just before (for `<<`).
    less: usize,
    /// Heredoc delimiters whose bodies start at the next line.
    pending: Vec<String>,
    /// Reading a heredoc's delimiter word.
    delimiter: Option<String>,
    /// Inside a heredoc body: its delimiter, and the current line so far.
    heredoc: Option<(String, String)>,
}

impl Default for Reader {
    fn default() -> Self {
        Reader {
            stack: vec![Frame::Plain { parens: 0 }],
            word_start: true,
            escaped: false,
            dollar: false,
            less: 0,
            pending: Vec::new(),
            delimiter: None,
            heredoc: None,
        }
    }
}

impl Reader {
    /// The place a placeholder would sit at, after the text read so far.
    pub(crate) fn place(&self) -> Result<Place, Unhandled> {
        if self.heredoc.is_some() || self.delimiter.is_some() {
            return Err(Unhandled::Heredoc);
        }
        match self.stack.last() {
            Some(Frame::Single) => Ok(Place::SingleQuoted),
            Some(Frame::Double) => Ok(Place::DoubleQuoted),
            Some(Frame::AnsiC) => Err(Unhandled::AnsiCQuote),
            Some(Frame::Brace { .. }) => Err(Unhandled::BraceExpansion),
            Some(Frame::Backtick) => Err(Unhandled::Backticks),
            Some(Frame::Comment) => Err(Unhandled::Comment),
            Some(Frame::Plain { .. }) | None => Ok(Place::Bare),
        }
    }

    /// A placeholder's value was put in here: it continues the current word.
    pub(crate) fn placeholder(&mut self) {
        self.word_start = false;
        self.escaped = false;
        self.dollar = false;
        self.less = 0;
    }

    /// Reads `text`, a piece of the command between placeholders.
    pub(crate) fn read(&mut self, text: &str) {
        for c in text.chars() {
            self.char(c);
        }
    }

    fn char(&mut self, c: char) {
        if let Some((delimiter, line)) = &mut self.heredoc {
            if c == '\n' {
                let done = line.trim_start_matches('\t') == delimiter.as_str();
                line.clear();
                if done {
                    self.heredoc = None;
                    self.next_heredoc();
                    self.word_start = true;
                }
            } else {
                line.push(c);
            }
            return;
        }
        if let Some(word) = &mut self.delimiter {
            match c {
                // `<<<` is a here-string, not a heredoc.
                '<' if word.is_empty() => {
                    self.delimiter = None;
                    return;
                }
                ' ' | '\t' if word.is_empty() => return,
                '-' if word.is_empty() => return,
                '\'' | '"' | '\\' => return,
                c if c.is_whitespace() || ";|&<>()".contains(c) => {
                    let word = std::mem::take(word);
                    self.delimiter = None;
                    self.pending.push(word);
                }
                c => {
                    word.push(c);
                    return;
                }
            }
        }
        let escaped = std::mem::take(&mut self.escaped);
        let dollar = std::mem::take(&mut self.dollar);
        let less = std::mem::take(&mut self.less);
        let top = self
            .stack
            .last()
            .cloned()
            .unwrap_or(Frame::Plain { parens: 0 });
        match top {
            Frame::Single => {
                if c == '\'' {
                    self.stack.pop();
                }
            }
            Frame::AnsiC => {
                if escaped {
                } else if c == '\\' {
                    self.escaped = true;
                } else if c == '\'' {
                    self.stack.pop();
                }
            }
            Frame::Comment => {
                if c == '\n' {
                    self.stack.pop();
                    self.newline();
                }
            }
            Frame::Backtick => {
                if escaped {
                } else if c == '\\' {
                    self.escaped = true;
                } else if c == '`' {
                    self.stack.pop();
                }
            }
            Frame::Brace { depth } => {
                if escaped {
                } else if c == '\\' {
                    self.escaped = true;
                } else if c == '{' {
                    self.set_top(Frame::Brace { depth: depth + 1 });
                } else if c == '}' {
                    if depth <= 1 {
                        self.stack.pop();
                    } else {
                        self.set_top(Frame::Brace { depth: depth - 1 });
                    }
                }
            }
            Frame::Double => {
                if escaped {
                } else if c == '\\' {
                    self.escaped = true;
                } else if c == '"' {
                    self.stack.pop();
                } else if c == '`' {
                    self.stack.push(Frame::Backtick);
                } else if dollar && c == '(' {
                    self.stack.push(Frame::Plain { parens: 0 });
                    self.word_start = true;
                } else if dollar && c == '{' {
                    self.stack.push(Frame::Brace { depth: 1 });
                } else if c == '$' {
                    self.dollar = true;
                }
            }
            Frame::Plain { parens } => {
                let starts_word = std::mem::replace(&mut self.word_start, false);
                if escaped {
                    return;
                }
                match c {
                    '\\' => self.escaped = true,
                    '\'' if dollar => self.stack.push(Frame::AnsiC),
                    '\'' => self.stack.push(Frame::Single),
                    '"' => self.stack.push(Frame::Double),
                    '`' => self.stack.push(Frame::Backtick),
                    '{' if dollar => self.stack.push(Frame::Brace { depth: 1 }),
                    '(' if dollar => {
                        self.stack.push(Frame::Plain { parens: 0 });
                        self.word_start = true;
                    }
                    '(' => {
                        self.set_top(Frame::Plain { parens: parens + 1 });
                        self.word_start = true;
                    }
                    ')' => {
                        if parens > 0 {
                            self.set_top(Frame::Plain { parens: parens - 1 });
                        } else if self.stack.len() > 1 {
                            self.stack.pop();
                        }
                    }
                    '$' => self.dollar = true,
                    '#' if starts_word => self.stack.push(Frame::Comment),
                    '<' if less == 1 => self.delimiter = Some(String::new()),
                    '<' => self.less = less + 1,
                    '\n' => self.newline(),
                    c if c.is_whitespace() || ";|&".contains(c) => self.word_start = true,
                    _ => {}
                }
            }
        }
    }

    fn set_top(&mut self, frame: Frame) {
        if let Some(top) = self.stack.last_mut() {
            *top = frame;
        }
    }

    /// A newline in plain text: the bodies of heredocs opened on this line start.
    fn newline(&mut self) {
        self.word_start = true;
        self.next_heredoc();
    }

    fn next_heredoc(&mut self) {
        if !self.pending.is_empty() {
            let delimiter = self.pending.remove(0);
            self.heredoc = Some((delimiter, String::new()));
        }
    }
}

/// A value put in for a placeholder at `place`, so that bash reads it as Azure ML's would reach
/// the program, but never as code.
///
/// - Bare: a plain value is split into words on white space, as Azure's pasted text is; a value
///   with shell syntax (a `;`, `$(…)`, a quote, `*`…) arrives literally, as one word, where Azure
///   would run it; a local path is always one word.
/// - In `'…'`: the value as it is (a `'` in it closes and reopens the quotes).
/// - In `"…"`: the value with `\`, `$`, `` ` `` and `"` escaped.
pub(crate) fn insert(value: &str, place: Place, is_path: bool) -> String {
    match place {
        Place::Bare if is_path || has_shell_syntax(value) => quote_word(value),
        Place::Bare => value
            .split_whitespace()
            .map(quote_word)
            .collect::<Vec<_>>()
            .join(" "),
        Place::SingleQuoted => value.replace('\'', r"'\''"),
        Place::DoubleQuoted => {
            let mut out = String::with_capacity(value.len());
            for c in value.chars() {
                if matches!(c, '\\' | '$' | '`' | '"') {
                    out.push('\\');
                }
                out.push(c);
            }
            out
        }
    }
}

/// The inputs a command places bare (`--x ${{inputs.x}}`), where bash reads a value's text as
/// shell syntax once Azure ML has pasted it in.
pub(crate) fn bare_inputs(template: &crate::model::Template) -> Vec<String> {
    use crate::model::{Binding, Segment};
    fn walk(segments: &[Segment], reader: &mut Reader, out: &mut Vec<String>) {
        for segment in segments {
            match segment {
                Segment::Text(t) => reader.read(t),
                Segment::Expr(binding) => {
                    if let (Binding::Input(name), Ok(Place::Bare)) = (binding, reader.place())
                        && !out.contains(name)
                    {
                        out.push(name.clone());
                    }
                    reader.placeholder();
                }
                Segment::Optional(inner) => walk(inner, reader, out),
            }
        }
    }
    let mut out = Vec::new();
    walk(&template.segments, &mut Reader::default(), &mut out);
    out
}

/// `word` as one literal bash word: as it is when nothing in it is special, else single-quoted.
pub(crate) fn quote_word(word: &str) -> String {
    let safe = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./=:,+@%".contains(&b));
    if safe {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Whether bash would read more than words in `value` pasted bare: an operator, a quote, an
/// expansion or a glob (what Azure ML would run as code).
pub(crate) fn has_shell_syntax(value: &str) -> bool {
    value.chars().any(|c| "`$;&|<>()'\"\\*?[]{}~#!".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The place of the one placeholder marked `@` in `command`.
    fn place(command: &str) -> Result<Place, Unhandled> {
        let (before, _) = command.split_once('@').unwrap();
        let mut reader = Reader::default();
        reader.read(before);
        reader.place()
    }

    #[test]
    fn places_as_bash_reads_them() {
        assert_eq!(place("echo @"), Ok(Place::Bare));
        assert_eq!(place("echo '@'"), Ok(Place::SingleQuoted));
        assert_eq!(place("echo \"x @\""), Ok(Place::DoubleQuoted));
        assert_eq!(place("echo 'a' \"b\" @"), Ok(Place::Bare));
        assert_eq!(place("echo \"it's @\""), Ok(Place::DoubleQuoted));
        assert_eq!(place("echo 'say \"@"), Ok(Place::SingleQuoted));
        assert_eq!(place("echo \\' @"), Ok(Place::Bare));
        assert_eq!(place("echo \"$(cat '@"), Ok(Place::SingleQuoted));
        assert_eq!(place("echo \"$(cat @"), Ok(Place::Bare));
        assert_eq!(place("echo \"$(cat x) @"), Ok(Place::DoubleQuoted));
        assert_eq!(place("echo $( (cd a) && @"), Ok(Place::Bare));
        assert_eq!(place("a#b @"), Ok(Place::Bare));
    }

    #[test]
    fn places_it_does_not_handle_are_named() {
        assert_eq!(place("echo $'@"), Err(Unhandled::AnsiCQuote));
        assert_eq!(place("echo ${x:-@"), Err(Unhandled::BraceExpansion));
        assert_eq!(place("echo `cat @"), Err(Unhandled::Backticks));
        assert_eq!(place("echo x # @"), Err(Unhandled::Comment));
        assert_eq!(place("echo x # c\necho @"), Ok(Place::Bare));
        assert_eq!(place("cat <<EOF\n@"), Err(Unhandled::Heredoc));
        assert_eq!(place("cat <<'EOF'\nx\nEOF\necho @"), Ok(Place::Bare));
        assert_eq!(place("cat <<-EOF\n\tx\n\tEOF\necho @"), Ok(Place::Bare));
        assert_eq!(place("cat <<<@"), Ok(Place::Bare));
    }

    #[test]
    fn values_go_in_as_words_or_whole_never_as_code() {
        assert_eq!(insert("hello world", Place::Bare, false), "hello world");
        assert_eq!(
            insert("x; touch PWNED; #", Place::Bare, false),
            "'x; touch PWNED; #'"
        );
        assert_eq!(
            insert("/my project/d", Place::Bare, true),
            "'/my project/d'"
        );
        assert_eq!(insert("", Place::Bare, false), "");
        assert_eq!(insert("it's", Place::SingleQuoted, false), r"it'\''s");
        assert_eq!(
            insert("$(touch P) `x` \"q\" \\", Place::DoubleQuoted, false),
            r#"\$(touch P) \`x\` \"q\" \\"#
        );
    }

    #[test]
    fn bare_inputs_are_the_unquoted_ones() {
        let t = crate::model::Template::parse(
            "run ${{inputs.a}} '${{inputs.b}}' \"${{inputs.c}}\" $[[--d ${{inputs.d}}]] ${{outputs.o}}",
        );
        assert_eq!(bare_inputs(&t), ["a", "d"]);
    }

    #[test]
    fn shell_syntax_is_what_bash_would_read() {
        assert!(!has_shell_syntax("hello world 0.01 a-b_c/d.csv"));
        for v in ["a;b", "$(x)", "`x`", "a|b", "*.csv", "a>b", "'q'"] {
            assert!(has_shell_syntax(v), "{v}");
        }
    }
}
