//! Diagnostics as people read them (rustc-like, with the offending line, through miette) and as
//! tools read them (JSON).

use std::fmt;
use std::fmt::Write;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use pipeline_core::validate::Report;
use pipeline_core::{Diagnostic, Severity};

/// One diagnostic with the text of its file, in the shape miette draws.
struct Shown<'a> {
    d: &'a Diagnostic,
    source: Option<NamedSource<String>>,
    span: Option<SourceSpan>,
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
        let source = report.source(&d.file);
        let shown = Shown {
            d,
            source: source.map(|s| NamedSource::new(s.file.display().to_string(), s.text.clone())),
            span: source.and_then(|s| token_span(&s.text, d.line, d.column)),
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

/// `s` as a JSON string literal, quotes included.
pub(crate) fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One JSON object per diagnostic, in an array: for editors and tools.
pub(crate) fn json(diagnostics: &[&Diagnostic]) -> String {
    let mut out = String::from("[");
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let help = d
            .help
            .as_deref()
            .map_or_else(|| "null".to_owned(), json_string);
        let _ = write!(
            out,
            "\n  {{\"file\": {}, \"line\": {}, \"column\": {}, \"path\": {}, \"code\": \"{}\", \"severity\": \"{}\", \"message\": {}, \"help\": {}}}",
            json_string(&d.file.display().to_string()),
            d.line,
            d.column,
            json_string(&d.path),
            d.code,
            d.severity(),
            json_string(&d.message),
            help
        );
    }
    out.push_str(if diagnostics.is_empty() {
        "]\n"
    } else {
        "\n]\n"
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_spans_stop_before_comments() {
        let text = "a: 1\nbb: value  # note\n";
        let span = token_span(text, 2, 5).unwrap();
        assert_eq!(&text[span.offset()..span.offset() + span.len()], "value");
        assert_eq!(json_string("a\"b\n\u{1}"), "\"a\\\"b\\n\\u0001\"");
    }
}
