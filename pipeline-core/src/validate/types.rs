//! Types of ports and literals: what may feed what.

use super::{At, Checker};
use crate::codes::Code;
use crate::model::{AssetType, InputSpec, Literal, ParamType, PortType};

/// What is known of the type of a value flowing into an input.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Flow {
    /// Data or a model of this type.
    Asset(AssetType),
    /// A literal value (known: it can be checked against min, max and enum too).
    Value(Literal),
    /// A parameter of this type, value unknown.
    Param(ParamType),
    /// Unknown (a registered component's output, an untyped input).
    Unknown,
}

impl From<PortType> for Flow {
    fn from(t: PortType) -> Self {
        match t {
            PortType::Asset(a) => Flow::Asset(a),
            PortType::Param(p) => Flow::Param(p),
        }
    }
}

/// "a" or "an", as the word is said (`an mltable`, `a uri_folder`).
fn article(word: &str) -> &'static str {
    match word.as_bytes().first() {
        Some(b'a' | b'e' | b'i' | b'o' | b'm') => "an",
        _ => "a",
    }
}

/// Whether data of type `from` may feed an input of type `to`: `pipeline_schema::compat`'s table
/// (Azure ML's, looser than equality: an `mltable` or a `uri_file` may feed a `uri_folder`), with
/// the reason when it may not. `path` is the legacy "any file or folder" type: it fits every
/// asset type either way.
fn assets_fit(from: AssetType, to: AssetType) -> Result<(), &'static str> {
    use crate::schema::compat;
    if from == to || from == AssetType::Path || to == AssetType::Path {
        return Ok(());
    }
    match (
        compat::AssetType::parse(from.as_str()),
        compat::AssetType::parse(to.as_str()),
    ) {
        (Some(f), Some(t)) => match compat::may_feed(f, t) {
            compat::Compat::Mismatch(reason) => Err(reason),
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// Whether a parameter of type `from` may feed an input of type `to`.
fn params_fit(from: ParamType, to: ParamType) -> bool {
    from == to
        || matches!(
            (from, to),
            (ParamType::Integer, ParamType::Number) | (_, ParamType::String)
        )
}

/// The SDK converts text to the input's type where it can (`"1e-3"` to a number, `"False"` to a
/// boolean), so such text fits; other text does not.
fn literal_fits(value: &Literal, to: ParamType) -> bool {
    match (value, to) {
        (Literal::Str(s), ParamType::Number) => s.trim().parse::<f64>().is_ok(),
        (Literal::Str(s), ParamType::Integer) => s.trim().parse::<i64>().is_ok(),
        (Literal::Str(s), ParamType::Boolean) => {
            matches!(s.to_ascii_lowercase().as_str(), "true" | "false")
        }
        _ => params_fit(value.param_type(), to),
    }
}

/// A literal as the SDK turns it into text (Python's `str()`): `True`, not `true`.
fn as_text(l: &Literal) -> String {
    match l {
        Literal::Bool(true) => "True".to_owned(),
        Literal::Bool(false) => "False".to_owned(),
        other => other.to_string(),
    }
}

fn as_f64(l: &Literal) -> Option<f64> {
    match l {
        Literal::Int(i) => Some(*i as f64),
        Literal::Float(f) => Some(*f),
        Literal::Str(s) => s.trim().parse().ok(),
        Literal::Bool(_) => None,
    }
}

/// Whether `value` is one of `allowed`, comparing numbers by value and everything else as text.
fn in_enum(value: &Literal, allowed: &[Literal]) -> bool {
    allowed.iter().any(|a| match (as_f64(a), as_f64(value)) {
        (Some(x), Some(y)) => x == y,
        _ => as_text(a) == as_text(value),
    })
}

/// Checks what flows into an input against its declaration: E028 (port types), E029 (literal
/// type), E030 (range), E031 (enum). `what` names the source in messages ("the literal", "output
/// `model` of `train`").
pub(crate) fn check_flow(
    checker: &mut Checker<'_>,
    flow: &Flow,
    spec: &InputSpec,
    at: &At,
    what: &dyn std::fmt::Display,
) {
    match (flow, spec.kind) {
        (Flow::Unknown, _) => {}
        (Flow::Asset(from), PortType::Asset(to)) => {
            if let Err(reason) = assets_fit(*from, to) {
                checker.report(
                    Code::E028,
                    at,
                    format!(
                        "{what} is {} `{from}` but this input takes {} `{to}`: {reason}",
                        article(from.as_str()),
                        article(to.as_str())
                    ),
                    Some(format!(
                        "bind {} `{to}` here, or change one of the two types",
                        article(to.as_str())
                    )),
                );
            }
        }
        (Flow::Asset(from), PortType::Param(to)) => checker.report(
            Code::E028,
            at,
            format!("{what} is data (`{from}`) but this input is a `{to}` parameter"),
            Some("bind a value or a parameter input here".to_owned()),
        ),
        (Flow::Param(from), PortType::Asset(to)) => checker.report(
            Code::E028,
            at,
            format!("{what} is a `{from}` parameter but this input takes data (`{to}`)"),
            Some("bind a data input or an upstream output here".to_owned()),
        ),
        (Flow::Param(from), PortType::Param(to)) => {
            if !params_fit(*from, to) {
                checker.report(
                    Code::E029,
                    at,
                    format!("{what} is a `{from}` but this input is a `{to}`"),
                    None,
                );
            }
        }
        // A string can name data (a path or `azureml:` asset); other literals cannot.
        (Flow::Value(value), PortType::Asset(to)) => {
            if !matches!(value, Literal::Str(_)) {
                checker.report(
                    Code::E029,
                    at,
                    format!("{what} is `{value}`, a {}, but this input takes data (`{to}`)", value.param_type()),
                    Some("give a path or an `azureml:` asset, as a mapping `{type, path}` or a binding".to_owned()),
                );
            }
        }
        (Flow::Value(value), PortType::Param(to)) => {
            check_literal(checker, value, to, spec, at, what, Bounds::Enforced)
        }
    }
}

/// How a literal outside an input's `min`/`max` or `enum` is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bounds {
    /// A value given to the input (E030, E031): the component says it takes no other.
    Enforced,
    /// The input's own default (W007): the SDK and Azure ML accept it as written.
    OwnDefault,
}

/// A literal against a parameter input: its type, `min`/`max` and `enum`.
pub(crate) fn check_literal(
    checker: &mut Checker<'_>,
    value: &Literal,
    to: ParamType,
    spec: &InputSpec,
    at: &At,
    what: &dyn std::fmt::Display,
    bounds: Bounds,
) {
    let (range_code, enum_code) = match bounds {
        Bounds::Enforced => (Code::E030, Code::E031),
        Bounds::OwnDefault => (Code::W007, Code::W007),
    };
    if !literal_fits(value, to) {
        let hint = match (value, to) {
            (Literal::Str(s), ParamType::Integer | ParamType::Number)
                if s.parse::<f64>().is_ok() =>
            {
                format!("write it without quotes: {s}")
            }
            _ => format!("give a {to}"),
        };
        checker.report(
            Code::E029,
            at,
            format!(
                "{what} is `{value}`, a {}, but this input is a `{to}`",
                value.param_type()
            ),
            Some(hint),
        );
        return;
    }
    if let Some(v) = as_f64(value) {
        let bound = |b: &Option<Literal>| b.as_ref().and_then(as_f64);
        let (min, max) = (bound(&spec.min), bound(&spec.max));
        if min.is_some_and(|m| v < m) || max.is_some_and(|m| v > m) {
            let range = match (&spec.min, &spec.max) {
                (Some(a), Some(b)) => format!("from {a} to {b}"),
                (Some(a), None) => format!("at least {a}"),
                (None, Some(b)) => format!("at most {b}"),
                (None, None) => String::new(),
            };
            checker.report(
                range_code,
                at,
                format!("{what} is `{value}`, out of range: this input takes {range}"),
                Some(
                    "give a value within the range, or widen `min`/`max` in the component"
                        .to_owned(),
                ),
            );
        }
    }
    if let Some(allowed) = &spec.allowed
        && !in_enum(value, allowed)
    {
        let list: Vec<String> = allowed.iter().map(ToString::to_string).collect();
        checker.report(
            enum_code,
            at,
            format!("{what} is `{value}`, not one of this input's values"),
            Some(format!("use one of: {}", list.join(", "))),
        );
    }
}
