//! What a `#[component]` can be told wrong at compile time, each on the offending token.

use syn::{Expr, ExprLit, ExprUnary, Lit, UnOp};

use super::{Component, Param};
use crate::attrs::Errors;
use crate::command::named_ports;
use crate::types::{Kind, Scalar};
use pipeline_schema::{enums, names};

pub(crate) fn validate(c: &Component, errors: &mut Errors) {
    let name = c.name();
    if !names::is_component_name(&name) {
        let span = c.name.as_ref().map_or(c.ident.span(), |n| n.span());
        errors.at(
            span,
            format!(
                "`{name}` is not a valid component name: it must match {}, such as `{}`",
                names::COMPONENT_NAME,
                names::suggest(&name)
            ),
        );
    }
    if c.unread {
        return;
    }
    if c.environment.is_none() {
        errors.at(
            c.ident.span(),
            "a component needs an environment: add `environment = \"azureml:<name>@latest\"` to #[component(…)]",
        );
    }
    if c.is_parallel() {
        check_parallel(c, errors);
    } else {
        for key in &c.parallel_settings {
            errors.at(
                key.span(),
                format!(
                    "`{key}` is a parallel component's setting: add `parallel` to #[component(…)]"
                ),
            );
        }
        match &c.command {
            None => errors.at(
                c.ident.span(),
                "a component needs a command: add `command = \"python script.py --in ${{inputs.x}}\"` to #[component(…)]",
            ),
            Some(command) => check_command(c, command, errors),
        }
    }
    let mut seen: Vec<String> = Vec::new();
    for p in &c.params {
        let lower = p.name().to_lowercase();
        if seen.contains(&lower) {
            errors.at(
                p.ident.span(),
                format!(
                    "`{}` differs from another port only in case: Azure ML reads them as one",
                    p.name()
                ),
            );
        }
        seen.push(lower);
        check_port_attrs(p, errors);
    }
}

/// Every `${{inputs.x}}` / `${{outputs.y}}` of a command (or of a parallel task's arguments)
/// names a port, and an optional input stands only in `$[[ … ]]`.
fn check_command(c: &Component, command: &syn::LitStr, errors: &mut Errors) {
    let text = command.value();
    let listed = |input: bool| {
        let names: Vec<String> = c
            .params
            .iter()
            .filter(|p| {
                p.port
                    .as_ref()
                    .is_some_and(|k| matches!(k.kind, Kind::Output(_)) != input)
            })
            .map(|p| format!("`{}`", p.name()))
            .collect();
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    };
    for named in named_ports(&text) {
        let param = c.params.iter().find(|p| p.name() == named.port);
        let kind = if named.input { "inputs" } else { "outputs" };
        let is_output = param
            .and_then(|p| p.port.as_ref())
            .map(|k| matches!(k.kind, Kind::Output(_)));
        match (param, is_output) {
            (None, _) => errors.at(
                command.span(),
                format!(
                    "`${{{{{kind}.{}}}}}` names no parameter of `{}`; its {kind}: {}",
                    named.port,
                    c.ident,
                    listed(named.input)
                ),
            ),
            (Some(_), Some(out)) if out == named.input => errors.at(
                command.span(),
                format!(
                    "`${{{{{kind}.{}}}}}`: `{}` is {}, write `${{{{{}.{}}}}}`",
                    named.port,
                    named.port,
                    if out { "an output" } else { "an input" },
                    if out { "outputs" } else { "inputs" },
                    named.port
                ),
            ),
            (Some(p), _)
                if named.input
                    && !named.optional_part
                    && p.port.as_ref().is_some_and(|k| k.optional) =>
            {
                errors.at(
                    command.span(),
                    format!(
                        "`{}` is optional, so `${{{{inputs.{}}}}}` must stand inside `$[[ … ]]`, which Azure ML leaves out when it is unset: `$[[--{} ${{{{inputs.{}}}}}]]`",
                        named.port, named.port, named.port, named.port
                    ),
                );
            }
            _ => {}
        }
    }
}

/// A parallel component: a task instead of a command, data split by `input_data`.
fn check_parallel(c: &Component, errors: &mut Errors) {
    if let Some(command) = &c.command {
        errors.at(
            command.span(),
            "a parallel component has no command: its task calls `init()` and `run(mini_batch)` in `entry_script`; pass arguments with `program_arguments`",
        );
    }
    if c.entry_script.is_none() {
        errors.at(c.ident.span(), "a parallel component needs `entry_script = \"score.py\"`, the script whose `run(mini_batch)` is called");
    }
    match &c.input_data {
        None => errors.at(
            c.ident.span(),
            "a parallel component needs `input_data = \"${{inputs.<data input>}}\"`: the data split into mini-batches",
        ),
        Some(input_data) => {
            let named = named_ports(&input_data.value());
            let data_input = named.first().filter(|n| n.input).and_then(|n| {
                c.params
                    .iter()
                    .find(|p| p.name() == n.port && p.port.as_ref().is_some_and(|k| matches!(k.kind, Kind::Data(_))))
            });
            if named.len() != 1 || data_input.is_none() {
                let inputs: Vec<String> = c
                    .params
                    .iter()
                    .filter(|p| p.port.as_ref().is_some_and(|k| matches!(k.kind, Kind::Data(_))))
                    .map(|p| format!("`${{{{inputs.{}}}}}`", p.name()))
                    .collect();
                errors.at(
                    input_data.span(),
                    format!(
                        "`input_data` names one data input of the component: {}",
                        if inputs.is_empty() { "it has none".to_owned() } else { inputs.join(", ") }
                    ),
                );
            }
        }
    }
    if let Some(args) = &c.program_arguments {
        check_command(c, args, errors);
    }
    if let Some(append) = &c.append_row_to {
        let named = named_ports(&append.value());
        let ok = named.len() == 1
            && !named[0].input
            && c.params.iter().any(|p| {
                p.name() == named[0].port
                    && p.port
                        .as_ref()
                        .is_some_and(|k| matches!(k.kind, Kind::Output(_)))
            });
        if !ok {
            errors.at(
                append.span(),
                "`append_row_to` names one output of the component: `${{outputs.<name>}}`",
            );
        }
    }
    // The SDK compares logging levels as written (`casing_transform=lambda x: x`).
    let levels = enums::PARALLEL_COMPONENT_LOGGING_LEVEL;
    if let Some(level) = &c.logging_level
        && levels.matches(&level.value()).is_none()
    {
        errors.at(
            level.span(),
            format!(
                "unknown logging level; Azure ML's are, in upper case: {}",
                levels.listed()
            ),
        );
    }
}

/// A literal's value as the checks need it.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Number {
    Int(i128),
    Float(f64),
}

impl Number {
    fn value(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

/// The literal an expression is (`-1` included), or `None`.
fn literal(e: &Expr) -> Option<(Lit, bool)> {
    match e {
        Expr::Lit(ExprLit { lit, .. }) => Some((lit.clone(), false)),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr,
            ..
        }) => match &**expr {
            Expr::Lit(ExprLit { lit, .. }) => Some((lit.clone(), true)),
            _ => None,
        },
        Expr::Group(g) => literal(&g.expr),
        _ => None,
    }
}

fn number(e: &Expr) -> Option<Number> {
    let (lit, negative) = literal(e)?;
    let sign = if negative { -1.0 } else { 1.0 };
    match lit {
        Lit::Int(i) => i
            .base10_parse::<i128>()
            .ok()
            .map(|v| Number::Int(if negative { -v } else { v })),
        Lit::Float(f) => f
            .base10_parse::<f64>()
            .ok()
            .map(|v| Number::Float(sign * v)),
        _ => None,
    }
}

/// Whether `e` is a literal an input of type `scalar` takes (what expansion writes; anything else
/// was reported here and is left out, so that it gives no second error).
pub(crate) fn fits(e: &Expr, scalar: Scalar) -> bool {
    matches!(
        (scalar, literal(e)),
        (Scalar::Int, Some((Lit::Int(_), _)))
            | (Scalar::Float, Some((Lit::Float(_) | Lit::Int(_), _)))
            | (Scalar::Str, Some((Lit::Str(_), false)))
            | (Scalar::Bool, Some((Lit::Bool(_), false)))
    )
}

/// Checks that `e` is a literal an input of type `scalar` takes.
fn of_type(e: &Expr, scalar: Scalar, what: &str, errors: &mut Errors) -> Option<Number> {
    let wrong = |errors: &mut Errors| {
        errors.push(syn::Error::new_spanned(
            e,
            format!(
                "this {what} is not a `{}` literal, the input's type",
                scalar.yaml()
            ),
        ));
    };
    match (scalar, literal(e)) {
        (Scalar::Int, Some((Lit::Int(_), _))) => number(e),
        (Scalar::Float, Some((Lit::Float(_) | Lit::Int(_), _))) => {
            number(e).map(|n| Number::Float(n.value()))
        }
        (Scalar::Str, Some((Lit::Str(_), false))) | (Scalar::Bool, Some((Lit::Bool(_), false))) => {
            None
        }
        _ => {
            wrong(errors);
            None
        }
    }
}

fn check_port_attrs(p: &Param, errors: &mut Errors) {
    let Some(port) = &p.port else {
        return;
    };
    let a = &p.attrs;
    // A component's ports are read by `InputPortSchema` / `OutputPortSchema`, which compare the
    // mode as written.
    let modes = if matches!(port.kind, Kind::Output(_)) {
        enums::OUTPUT_PORT_MODE
    } else {
        enums::INPUT_PORT_MODE
    };
    if let Some(mode) = &a.mode
        && modes.matches(&mode.value()).is_none()
    {
        errors.at(
            mode.span(),
            format!("unknown mode; Azure ML's modes are: {}", modes.listed()),
        );
    }
    match &port.kind {
        Kind::Output(_) => {
            if a.written.as_ref().is_some_and(|w| w == "input") {
                errors.at(
                    p.ident.span(),
                    format!(
                        "`{}` is an output: its settings go in #[output(…)]",
                        p.name()
                    ),
                );
            }
            return;
        }
        _ if a.written.as_ref().is_some_and(|w| w == "output") => {
            errors.at(
                p.ident.span(),
                format!("`{}` is an input: its settings go in #[input(…)]", p.name()),
            );
            return;
        }
        Kind::Data(_) => {
            for (e, key) in [(&a.default, "default"), (&a.min, "min"), (&a.max, "max")] {
                if let Some(e) = e {
                    errors.push(syn::Error::new_spanned(
                        e,
                        format!(
                            "a data input has no `{key}`: bind data where the component is used"
                        ),
                    ));
                }
            }
            if let Some(first) = a.allowed.first() {
                errors.push(syn::Error::new_spanned(first, "a data input has no `enum`"));
            }
            return;
        }
        Kind::Scalar(_) => {}
    }
    let Kind::Scalar(scalar) = port.kind else {
        return;
    };
    let numeric = matches!(scalar, Scalar::Int | Scalar::Float);
    let default = a
        .default
        .as_ref()
        .and_then(|e| of_type(e, scalar, "default", errors));
    let bound = |e: &Option<Expr>, key: &str, errors: &mut Errors| -> Option<Number> {
        let e = e.as_ref()?;
        if !numeric {
            errors.push(syn::Error::new_spanned(
                e,
                format!("only a number or integer input has a `{key}`"),
            ));
            return None;
        }
        of_type(e, scalar, key, errors)
    };
    let min = bound(&a.min, "min", errors);
    let max = bound(&a.max, "max", errors);
    if let (Some(lo), Some(hi), Some(e)) = (min, max, &a.min)
        && lo.value() > hi.value()
    {
        errors.push(syn::Error::new_spanned(e, "`min` is above `max`"));
    }
    if let (Some(d), Some(e)) = (default, a.default.as_ref()) {
        if min.is_some_and(|lo| d.value() < lo.value())
            || max.is_some_and(|hi| d.value() > hi.value())
        {
            errors.push(syn::Error::new_spanned(
                e,
                "the default is outside `min`..=`max`",
            ));
        }
    }
    if !a.allowed.is_empty() {
        if scalar != Scalar::Str {
            errors.push(syn::Error::new_spanned(
                &a.allowed[0],
                "only a string input has an `enum`",
            ));
        } else {
            for e in &a.allowed {
                of_type(e, scalar, "enum value", errors);
            }
            if let Some(e) = &a.default
                && let Some((Lit::Str(d), _)) = literal(e)
                && !a
                    .allowed
                    .iter()
                    .any(|v| matches!(literal(v), Some((Lit::Str(s), _)) if s.value() == d.value()))
            {
                errors.push(syn::Error::new_spanned(
                    e,
                    "the default is not one of the `enum` values",
                ));
            }
        }
    }
}
