//! A command with its `${{…}}` replaced by local paths and values, each put in for where it sits
//! in the command (`crate::shell`), as Azure ML's runtime would pass it to the node.

use std::path::Path;

use indexmap::IndexMap;

use crate::model::{Binding, Literal, Segment, Template};
use crate::shell::{self, Reader};

/// A value as the SDK passes it to a command: Python's `str()` of it (`True`, `0.01`, `1e-05`).
pub(crate) fn literal_text(literal: &Literal) -> String {
    match literal {
        Literal::Bool(true) => "True".to_owned(),
        Literal::Bool(false) => "False".to_owned(),
        Literal::Int(i) => i.to_string(),
        Literal::Float(f) => python_float(*f),
        Literal::Str(s) => s.clone(),
    }
}

/// Python's `repr(float)`: the shortest digits that read back, in scientific notation below 1e-4
/// and from 1e16.
fn python_float(f: f64) -> String {
    if f.is_nan() {
        return "nan".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    let sci = format!("{f:e}");
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-4..16).contains(&exponent) {
        let plain = format!("{f}");
        if plain.contains('.') {
            plain
        } else {
            format!("{plain}.0")
        }
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.abs())
    }
}

/// What an input stands for in a command: a value, or a local path (which never word-splits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum InputText {
    Value(String),
    Path(String),
}

impl InputText {
    pub(crate) fn text(&self) -> &str {
        match self {
            InputText::Value(t) | InputText::Path(t) => t,
        }
    }
}

/// What `${{inputs.x}}` and `${{outputs.y}}` stand for in one node's command.
pub(crate) struct Bound<'a> {
    /// Each input's text, or `None` when an optional input is unset.
    pub inputs: &'a IndexMap<String, Option<InputText>>,
    pub outputs: &'a IndexMap<String, String>,
    pub node: &'a str,
}

/// The command to give bash: each value put in for where it sits (see [`shell::insert`]), so that
/// it arrives as Azure ML would pass it and is never run. A placeholder where the reader cannot
/// tell (a heredoc, a comment…) or an unknown binding is an error naming it.
pub(crate) fn command(template: &Template, bound: &Bound<'_>) -> Result<String, String> {
    let mut out = String::new();
    let mut reader = Some(Reader::default());
    write(&template.segments, bound, &mut reader, &mut out)?;
    Ok(out)
}

/// A path or value such as `input_data` or `append_row_to`: each binding's text as it is (it is
/// not given to a shell).
pub(crate) fn text(template: &Template, bound: &Bound<'_>) -> Result<String, String> {
    let mut out = String::new();
    write(&template.segments, bound, &mut None, &mut out)?;
    Ok(out)
}

/// Writes `segments`; with a `reader`, for bash, each value put in for its place.
fn write(
    segments: &[Segment],
    bound: &Bound<'_>,
    reader: &mut Option<Reader>,
    out: &mut String,
) -> Result<(), String> {
    for segment in segments {
        match segment {
            Segment::Text(t) => {
                out.push_str(t);
                if let Some(r) = reader {
                    r.read(t);
                }
            }
            Segment::Expr(b) => {
                let Some(v) = value(b, bound)? else {
                    return Err(format!(
                        "`{b}` is an optional input left unset; bind it, or put it inside `$[[…]]` so that it can be left out"
                    ));
                };
                match reader {
                    None => out.push_str(v.text()),
                    Some(r) => {
                        let place = r.place().map_err(|unhandled| {
                            format!(
                                "`${{{{{b}}}}}` sits inside {unhandled}, where the runner cannot put a value in as Azure ML would; move it out (into a plain or quoted word)"
                            )
                        })?;
                        out.push_str(&shell::insert(
                            v.text(),
                            place,
                            matches!(v, InputText::Path(_)),
                        ));
                        r.placeholder();
                    }
                }
            }
            Segment::Optional(inner) => {
                let mut all_set = true;
                for s in inner {
                    if let Segment::Expr(b) = s
                        && value(b, bound)?.is_none()
                    {
                        all_set = false;
                    }
                }
                if all_set {
                    write(inner, bound, reader, out)?;
                }
            }
        }
    }
    Ok(())
}

fn value(binding: &Binding, bound: &Bound<'_>) -> Result<Option<InputText>, String> {
    match binding {
        Binding::Input(name) => bound
            .inputs
            .get(name)
            .cloned()
            .ok_or_else(|| format!("`{binding}` names no input of node {}", bound.node)),
        Binding::Output(name) => bound
            .outputs
            .get(name)
            .map(|p| Some(InputText::Path(p.clone())))
            .ok_or_else(|| format!("`{binding}` names no output of node {}", bound.node)),
        Binding::Name => Ok(Some(InputText::Value(bound.node.to_owned()))),
        Binding::DefaultDatastore => Ok(Some(InputText::Value("workspaceblobstore".to_owned()))),
        other => Err(format!(
            "`{other}` cannot be resolved on this machine (node {})",
            bound.node
        )),
    }
}

/// A path as text for a command.
pub(crate) fn path_text(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_pythons_str() {
        assert_eq!(literal_text(&Literal::Bool(true)), "True");
        assert_eq!(literal_text(&Literal::Float(0.01)), "0.01");
        assert_eq!(literal_text(&Literal::Float(1e-5)), "1e-05");
        assert_eq!(literal_text(&Literal::Float(2.0)), "2.0");
        assert_eq!(literal_text(&Literal::Float(1e16)), "1e+16");
        assert_eq!(literal_text(&Literal::Float(123456.5)), "123456.5");
        assert_eq!(literal_text(&Literal::Int(-3)), "-3");
    }

    #[test]
    fn optional_blocks_disappear_when_their_input_is_unset() {
        let t = Template::parse(
            "python run.py --data ${{inputs.data}} $[[--seed ${{inputs.seed}}]] --out ${{outputs.model}}",
        );
        let mut inputs = IndexMap::new();
        inputs.insert(
            "data".to_owned(),
            Some(InputText::Path("/d ata".to_owned())),
        );
        inputs.insert("seed".to_owned(), None);
        let mut outputs = IndexMap::new();
        outputs.insert("model".to_owned(), "/o".to_owned());
        let bound = Bound {
            inputs: &inputs,
            outputs: &outputs,
            node: "train",
        };
        assert_eq!(
            command(&t, &bound).unwrap(),
            "python run.py --data '/d ata'  --out /o"
        );
        let err = text(&Template::parse("${{inputs.seed}}"), &bound).unwrap_err();
        assert!(err.contains("left unset"), "{err}");
        inputs.insert("seed".to_owned(), Some(InputText::Value("7".to_owned())));
        let bound = Bound {
            inputs: &inputs,
            outputs: &outputs,
            node: "train",
        };
        assert_eq!(
            command(&t, &bound).unwrap(),
            "python run.py --data '/d ata' --seed 7 --out /o"
        );
        // Unquoted where the text is a path, not a command.
        assert_eq!(
            text(&Template::parse("${{inputs.data}}/part"), &bound).unwrap(),
            "/d ata/part"
        );
        let err = command(&Template::parse("${{inputs.nope}}"), &bound).unwrap_err();
        assert!(err.contains("names no input of node train"), "{err}");
    }
}
