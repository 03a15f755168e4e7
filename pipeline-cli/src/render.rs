//! Diagnostics as people read them (rustc-like, with the offending line, through miette) and as
//! tools read them (JSON).

use std::fmt;
use std::fmt::Write;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceSpan};
use pipeline_core::validate::Report;
use pipeline_core::{Diagnostic, Severity};

/// One diagnostic with the text of its file, in the shape miette draws.
struct Shown<'a> {
    d: &'a Diagnostic,
    source: Option<Excerpt>,
    span: Option<SourceSpan>,
}

/// The few lines a diagnostic quotes (see [`excerpt`]), which miette reads as the file: the
/// position it prints is moved back to the file's own column where the line was cut.
struct Excerpt {
    name: String,
    text: String,
    /// The line that was cut, and how many columns its excerpt is left of the file's.
    line: usize,
    shift: usize,
}

impl miette::SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        let column = if inner.line() + 1 == self.line {
            inner.column() + self.shift
        } else {
            inner.column()
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Shown<'_> {}

impl miette::Diagnostic for Shown<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.d.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity() {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.d
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span?;
        let label = if self.d.path.is_empty() {
            None
        } else {
            Some(self.d.path.clone())
        };
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            label, span,
        ))))
    }
}

/// The byte range of the token at a 1-based line and column: to the end of the line, less
/// trailing spaces and a comment.
fn token_span(text: &str, line: usize, column: usize) -> Option<SourceSpan> {
    if line == 0 {
        return None;
    }
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let start = l
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(l.len(), |(b, _)| b);
            let rest = l[start..].trim_end_matches(['\n', '\r']);
            let rest = rest.find(" #").map_or(rest, |c| &rest[..c]).trim_end();
            // A key: up to its colon.
            let rest = match rest.find(": ") {
                Some(c) if !rest.starts_with(['\'', '"']) => &rest[..c],
                _ => rest.strip_suffix(':').unwrap_or(rest),
            };
            return Some(SourceSpan::new((offset + start).into(), rest.len().max(1)));
        }
        offset += l.len();
    }
    None
}

/// About how many characters of a source line a diagnostic quotes.
const LINE_SHOWN: usize = 200;

/// What stands for the part of a line left out.
const CUT: &str = "...";

/// The most characters of a message shown (a message may quote a value from the file).
const MESSAGE_SHOWN: usize = 1_000;

/// `message`, cut to [`MESSAGE_SHOWN`] characters.
fn clip(message: &str) -> String {
    match message.char_indices().nth(MESSAGE_SHOWN) {
        None => message.to_owned(),
        Some((cut, _)) => format!(
            "{}… ({} more characters)",
            &message[..cut],
            message[cut..].chars().count()
        ),
    }
}

/// The lines around `line` of `text` (one before, one after), each cut to about [`LINE_SHOWN`]
/// characters around where the diagnostic points, the lines above left empty so that line numbers
/// stay right; and the column in that excerpt. A 50 MB line is quoted as 200 characters.
fn excerpt(text: &str, line: usize, column: usize) -> (String, usize) {
    let mut out = String::new();
    let mut new_column = column;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        let number = i + 1;
        if number + 1 < line {
            out.push('\n');
            continue;
        }
        if number > line + 1 {
            break;
        }
        let body = l.trim_end_matches(['\n', '\r']);
        let chars = body.chars().count();
        let (start, end) = if chars <= LINE_SHOWN {
            (0, chars)
        } else if number == line {
            let start = column
                .saturating_sub(1 + LINE_SHOWN / 2)
                .min(chars - LINE_SHOWN);
            (start, start + LINE_SHOWN)
        } else {
            (0, LINE_SHOWN)
        };
        // ASCII marks: miette counts columns in bytes.
        if start > 0 {
            out.push_str(CUT);
        }
        out.extend(body.chars().skip(start).take(end - start));
        if end < chars {
            out.push_str(CUT);
        }
        out.push('\n');
        if number == line && start > 0 {
            new_column = column - start + CUT.len();
        }
    }
    (out, new_column)
}

/// Every diagnostic of a report, drawn with its source line, in the order given.
pub(crate) fn human(report: &Report, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    for d in &report.diagnostics {
        let source = report
            .source(&d.file)
            .map(|s| (s, excerpt(&s.text, d.line, d.column)));
        let clipped = Diagnostic {
            message: clip(&d.message),
            ..d.clone()
        };
        let shown = Shown {
            d: &clipped,
            span: source
                .as_ref()
                .and_then(|(_, (text, column))| token_span(text, d.line, *column)),
            source: source.map(|(s, (text, column))| Excerpt {
                name: s.file.display().to_string(),
                text,
                line: d.line,
                shift: d.column.saturating_sub(column),
            }),
        };
        if shown.source.is_none() {
            // No text to show: say where in words.
            let _ = writeln!(out, "{d}");
            continue;
        }
        let _ = handler.render_report(&mut out, &shown);
        let _ = writeln!(out, "  --> {}:{}:{}", d.file.display(), d.line, d.column);
    }
    out
}

/// Whether diagnostics printed to stderr get colours: on a terminal, unless `NO_COLOR` is set.
pub(crate) fn stderr_color() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// One JSON object per diagnostic, in an array, one object a line: for editors and tools.
pub(crate) fn json(diagnostics: &[&Diagnostic]) -> String {
    let objects: Vec<String> = diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "file": d.file.display().to_string(),
                "line": d.line,
                "column": d.column,
                "path": d.path,
                "code": d.code.as_str(),
                "severity": d.severity().to_string(),
                "message": clip(&d.message),
                "help": d.help,
            })
            .to_string()
        })
        .collect();
    if objects.is_empty() {
        "[]\n".to_owned()
    } else {
        format!("[\n  {}\n]\n", objects.join(",\n  "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_quoted_around_where_it_points() {
        let long = format!("a: 1\nb: {}\nc: 3\n", "x".repeat(50_000_000));
        let (text, column) = excerpt(&long, 2, 25_000_000);
        assert!(text.len() < 1_000, "{}", text.len());
        assert!(text.starts_with("a: 1\n..."));
        assert_eq!(
            text.lines().nth(1).unwrap().chars().nth(column - 1),
            Some('x')
        );
        let (text, column) = excerpt("one\ntwo\nthree\nfour\nfive\n", 4, 2);
        assert_eq!((text.as_str(), column), ("\n\nthree\nfour\nfive\n", 2));
        let message = "v".repeat(5_000);
        assert!(clip(&message).ends_with("… (4000 more characters)"));
    }

    #[test]
    fn token_spans_stop_before_comments() {
        let text = "a: 1\nbb: value  # note\n";
        let span = token_span(text, 2, 5).unwrap();
        assert_eq!(&text[span.offset()..span.offset() + span.len()], "value");
    }
}
