//! The `${{…}}` / `$[[…]]` grammar: the expressions Azure ML resolves in pipeline YAML and
//! component commands, parsed into typed values, and the strings that hold them.
//!
//! Mirrors what azure-ai-ml 1.35.2 resolves: `${{parent.inputs.x}}` (dotted for input groups),
//! `${{parent.outputs.x}}`, `${{parent.jobs.<node>.outputs.<port>}}` and
//! `${{parent.jobs.<node>.inputs.<port>}}` (`NodeOutput._data_binding` and
//! `PipelineInput._data_binding` in `entities/_job/pipeline/_io/base.py` write them; the SDK's
//! loader keeps any `${{…}}` string as a binding, so a node input naming a sibling's input loads);
//! in a command `${{inputs.x}}`,
//! `${{outputs.y}}` (`_validate_inputs_for`, `entities/_job/_input_output_helpers.py`) and
//! optional parts `$[[ … ]]`; in output paths `${{name}}` and `${{default_datastore}}`.
//! Spaces inside the braces are allowed, as the SDK's `is_data_binding_expression` allows them.
//!
//! ```
//! use pipeline_schema::binding::{Binding, Template};
//!
//! let t = Template::parse("python t.py ${{inputs.data}} $[[--seed ${{inputs.seed}}]]");
//! assert_eq!(t.bindings(), [(&Binding::Input("data".into()), false), (&Binding::Input("seed".into()), true)]);
//! ```

use std::fmt;

/// What a `${{…}}` expression refers to.
///
/// ```
/// use pipeline_schema::binding::Binding;
///
/// let b = Binding::parse("parent.jobs.train.outputs.model");
/// assert_eq!(b, Binding::JobOutput { job: "train".into(), port: "model".into() });
/// assert_eq!(b.to_string(), "${{parent.jobs.train.outputs.model}}");
/// assert_eq!(Binding::parse("default_datastore"), Binding::DefaultDatastore);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Binding {
    /// `${{parent.inputs.x}}`, or `${{parent.inputs.group.sub}}` (the dotted name).
    ParentInput(String),
    /// `${{parent.outputs.x}}`.
    ParentOutput(String),
    /// `${{parent.jobs.<job>.outputs.<port>}}`.
    JobOutput {
        /// The node that produces it.
        job: String,
        /// Its output port.
        port: String,
    },
    /// `${{parent.jobs.<job>.inputs.<port>}}`.
    JobInput {
        /// The node.
        job: String,
        /// Its input port.
        port: String,
    },
    /// `${{inputs.x}}` in a component's command (dotted for groups).
    Input(String),
    /// `${{outputs.x}}` in a component's command.
    Output(String),
    /// `${{name}}`: the output's generated name, in output paths.
    Name,
    /// `${{default_datastore}}`, in output paths.
    DefaultDatastore,
    /// Any other expression (such as `${{search_space.lr}}`), kept as written without the braces.
    Other(String),
}

impl Binding {
    /// Parses the text between `${{` and `}}` (surrounding spaces allowed, as in the SDK).
    ///
    /// ```
    /// use pipeline_schema::binding::Binding;
    ///
    /// assert_eq!(Binding::parse(" parent.inputs.lr "), Binding::ParentInput("lr".into()));
    /// assert_eq!(Binding::parse("inputs.data"), Binding::Input("data".into()));
    /// assert_eq!(Binding::parse("outputs.model"), Binding::Output("model".into()));
    /// // Expressions this model does not type are kept as written.
    /// assert_eq!(
    ///     Binding::parse("search_space.lr"),
    ///     Binding::Other("search_space.lr".into())
    /// );
    /// ```
    pub fn parse(inner: &str) -> Binding {
        let inner = inner.trim();
        // Dotted names (`group.sub`) are kept as written: `rest` is a slice of `inner`.
        let dotted = |rest: &str| rest.split('.').all(is_identifier);
        // What follows `parent.` is any text without white space, as the SDK's binding pattern
        // says (`\$\{\{\s*(parent\S*?)\s*\}\}` in `get_all_data_binding_expressions`,
        // `_utils/utils.py`): a pipeline input named `train-data` is bound as written.
        let dotted_name = |rest: &str| rest.split('.').all(is_binding_name);
        let mut parts = inner.splitn(5, '.');
        let binding = match (parts.next(), parts.next()) {
            (Some("parent"), Some("inputs")) => inner
                .strip_prefix("parent.inputs.")
                .filter(|rest| dotted_name(rest))
                .map(|rest| Binding::ParentInput(rest.to_owned())),
            (Some("parent"), Some("outputs")) => inner
                .strip_prefix("parent.outputs.")
                .filter(|name| is_binding_name(name))
                .map(|name| Binding::ParentOutput(name.to_owned())),
            (Some("parent"), Some("jobs")) => match (parts.next(), parts.next(), parts.next()) {
                (Some(job), Some(kind @ ("outputs" | "inputs")), Some(port))
                    if is_binding_name(job) && is_binding_name(port) =>
                {
                    let (job, port) = (job.to_owned(), port.to_owned());
                    Some(if kind == "outputs" {
                        Binding::JobOutput { job, port }
                    } else {
                        Binding::JobInput { job, port }
                    })
                }
                _ => None,
            },
            (Some("inputs"), Some(_)) => inner
                .strip_prefix("inputs.")
                .filter(|rest| dotted(rest))
                .map(|rest| Binding::Input(rest.to_owned())),
            (Some("outputs"), Some(name)) if parts.next().is_none() && is_identifier(name) => {
                Some(Binding::Output(name.to_owned()))
            }
            (Some("name"), None) => Some(Binding::Name),
            (Some("default_datastore"), None) => Some(Binding::DefaultDatastore),
            _ => None,
        };
        binding.unwrap_or_else(|| Binding::Other(inner.to_owned()))
    }

    /// A binding to an upstream node's output.
    ///
    /// ```
    /// use pipeline_schema::binding::Binding;
    ///
    /// let b = Binding::job_output("prep", "train_data");
    /// assert_eq!(b.to_string(), "${{parent.jobs.prep.outputs.train_data}}");
    /// assert_eq!(b, Binding::parse("parent.jobs.prep.outputs.train_data"));
    /// ```
    pub fn job_output(job: impl Into<String>, port: impl Into<String>) -> Binding {
        Binding::JobOutput {
            job: job.into(),
            port: port.into(),
        }
    }
}

/// Which side of a component a command's `${{inputs.x}}` / `${{outputs.y}}` names.
///
/// ```
/// use pipeline_schema::binding::{Binding, Side};
///
/// assert_eq!(Binding::parse("outputs.model").command_port(), Some((Side::Output, "model")));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// `${{inputs.…}}`.
    Input,
    /// `${{outputs.…}}`.
    Output,
}

impl Binding {
    /// For `${{inputs.x}}` and `${{outputs.y}}`, the side and the port they name (for an input
    /// group's `${{inputs.group.sub}}`, the group `group`: the port a component declares).
    ///
    /// ```
    /// use pipeline_schema::binding::{Binding, Side};
    ///
    /// assert_eq!(Binding::parse("inputs.data").command_port(), Some((Side::Input, "data")));
    /// assert_eq!(Binding::parse("inputs.g.sub").command_port(), Some((Side::Input, "g")));
    /// assert_eq!(Binding::parse("parent.inputs.data").command_port(), None);
    /// ```
    pub fn command_port(&self) -> Option<(Side, &str)> {
        let (side, name) = match self {
            Binding::Input(n) => (Side::Input, n),
            Binding::Output(n) => (Side::Output, n),
            _ => return None,
        };
        Some((side, name.split('.').next().unwrap_or(name)))
    }
}

/// A name in a `${{parent.…}}` binding: text without white space or a dot.
fn is_binding_name(s: &str) -> bool {
    !s.is_empty() && !s.contains(|c: char| c.is_whitespace() || c == '.')
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl fmt::Display for Binding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Binding::ParentInput(n) => write!(f, "${{{{parent.inputs.{n}}}}}"),
            Binding::ParentOutput(n) => write!(f, "${{{{parent.outputs.{n}}}}}"),
            Binding::JobOutput { job, port } => {
                write!(f, "${{{{parent.jobs.{job}.outputs.{port}}}}}")
            }
            Binding::JobInput { job, port } => {
                write!(f, "${{{{parent.jobs.{job}.inputs.{port}}}}}")
            }
            Binding::Input(n) => write!(f, "${{{{inputs.{n}}}}}"),
            Binding::Output(n) => write!(f, "${{{{outputs.{n}}}}}"),
            Binding::Name => f.write_str("${{name}}"),
            Binding::DefaultDatastore => f.write_str("${{default_datastore}}"),
            Binding::Other(raw) => write!(f, "${{{{{raw}}}}}"),
        }
    }
}

/// A piece of a [`Template`].
///
/// ```
/// use pipeline_schema::binding::{Binding, Segment, Template};
///
/// let t = Template::parse("--lr ${{inputs.lr}} $[[--seed ${{inputs.seed}}]]");
/// assert_eq!(t.segments[0], Segment::Text("--lr ".into()));
/// assert_eq!(t.segments[1], Segment::Expr(Binding::Input("lr".into())));
/// assert!(matches!(&t.segments[3], Segment::Optional(inner) if inner.len() == 2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// Text taken as it is.
    Text(String),
    /// A `${{…}}` expression.
    Expr(Binding),
    /// `$[[ … ]]`: a part of a command that is left out when an optional input it names is unset.
    Optional(Vec<Segment>),
}

/// A string that may hold `${{…}}` expressions (and, in commands, `$[[…]]` optional parts).
///
/// ```
/// use pipeline_schema::binding::Template;
///
/// let cmd = "python train.py --data ${{inputs.data}} $[[--seed ${{inputs.seed}}]]";
/// let t = Template::parse(cmd);
/// assert_eq!(t.bindings().len(), 2);
/// // Written back exactly as it was read.
/// assert_eq!(t.to_string(), cmd);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Template {
    /// The pieces, in order.
    pub segments: Vec<Segment>,
}

impl Template {
    /// Parses a string. Text that only looks like an expression (an unclosed `${{`) stays text.
    ///
    /// ```
    /// use pipeline_schema::binding::{Binding, Segment, Template};
    ///
    /// let t = Template::parse("azureml://datastores/${{default_datastore}}/paths/${{name}}/");
    /// assert_eq!(t.segments[1], Segment::Expr(Binding::DefaultDatastore));
    /// assert_eq!(t.segments[3], Segment::Expr(Binding::Name));
    ///
    /// let unclosed = Template::parse("echo ${{inputs.x");
    /// assert!(unclosed.is_literal());
    /// ```
    pub fn parse(s: &str) -> Template {
        let mut segments = Vec::new();
        parse_into(s, &mut segments, true);
        Template { segments }
    }

    /// The binding, when the whole string is exactly one `${{…}}` expression.
    ///
    /// ```
    /// use pipeline_schema::binding::{Binding, Template};
    ///
    /// let whole = Template::parse("${{parent.inputs.learning_rate}}");
    /// assert_eq!(
    ///     whole.as_binding(),
    ///     Some(&Binding::ParentInput("learning_rate".into()))
    /// );
    /// assert_eq!(Template::parse("--lr ${{parent.inputs.learning_rate}}").as_binding(), None);
    /// ```
    pub fn as_binding(&self) -> Option<&Binding> {
        match self.segments.as_slice() {
            [Segment::Expr(b)] => Some(b),
            _ => None,
        }
    }

    /// Every binding, including those inside `$[[…]]`, with whether it is inside one.
    ///
    /// ```
    /// use pipeline_schema::binding::{Binding, Template};
    ///
    /// let cmd = "python train.py $[[--seed ${{inputs.seed}}]] --model ${{outputs.model}}";
    /// let t = Template::parse(cmd);
    /// assert_eq!(
    ///     t.bindings(),
    ///     vec![
    ///         (&Binding::Input("seed".into()), true),
    ///         (&Binding::Output("model".into()), false),
    ///     ]
    /// );
    /// ```
    pub fn bindings(&self) -> Vec<(&Binding, bool)> {
        let mut out = Vec::new();
        self.each_binding(&mut |b, optional| out.push((b, optional)));
        out
    }

    /// Calls `f` with what [`Template::bindings`] lists, without collecting it.
    ///
    /// ```
    /// use pipeline_schema::binding::Template;
    ///
    /// let t = Template::parse("python score.py ${{inputs.data}} $[[--limit ${{inputs.limit}}]]");
    /// let mut optional = Vec::new();
    /// t.each_binding(&mut |b, inside| {
    ///     if inside {
    ///         optional.push(b.to_string());
    ///     }
    /// });
    /// assert_eq!(optional, ["${{inputs.limit}}"]);
    /// ```
    pub fn each_binding<'a>(&'a self, f: &mut dyn FnMut(&'a Binding, bool)) {
        fn walk<'a>(segs: &'a [Segment], optional: bool, f: &mut dyn FnMut(&'a Binding, bool)) {
            for s in segs {
                match s {
                    Segment::Text(_) => {}
                    Segment::Expr(b) => f(b, optional),
                    Segment::Optional(inner) => walk(inner, true, f),
                }
            }
        }
        walk(&self.segments, false, f);
    }

    /// Whether the string has no expressions at all.
    ///
    /// ```
    /// use pipeline_schema::binding::Template;
    ///
    /// assert!(Template::parse("python prep.py --raw ./data").is_literal());
    /// assert!(!Template::parse("python prep.py --raw ${{inputs.raw}}").is_literal());
    /// ```
    pub fn is_literal(&self) -> bool {
        self.segments.iter().all(|s| matches!(s, Segment::Text(_)))
    }
}

impl From<&str> for Template {
    fn from(s: &str) -> Self {
        Template::parse(s)
    }
}

fn push_text(out: &mut Vec<Segment>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Segment::Text(prev)) = out.last_mut() {
        prev.push_str(text);
    } else {
        out.push(Segment::Text(text.to_owned()));
    }
}

fn parse_into(mut s: &str, out: &mut Vec<Segment>, allow_optional: bool) {
    // Every expression starts at a `$`: one byte search, not a substring search per kind.
    let next = |s: &str| {
        s.bytes().enumerate().find_map(|(i, b)| {
            if b != b'$' {
                return None;
            }
            match s.as_bytes().get(i + 1..i + 3) {
                Some(b"{{") => Some((i, true)),
                Some(b"[[") if allow_optional => Some((i, false)),
                _ => None,
            }
        })
    };
    while !s.is_empty() {
        match next(s) {
            Some((e, true)) => {
                push_text(out, &s[..e]);
                match s[e + 3..].find("}}") {
                    Some(end) => {
                        out.push(Segment::Expr(Binding::parse(&s[e + 3..e + 3 + end])));
                        s = &s[e + 3 + end + 2..];
                    }
                    None => {
                        push_text(out, &s[e..]);
                        return;
                    }
                }
            }
            Some((o, false)) => {
                push_text(out, &s[..o]);
                match s[o + 3..].find("]]") {
                    Some(end) => {
                        let mut inner = Vec::new();
                        parse_into(&s[o + 3..o + 3 + end], &mut inner, false);
                        out.push(Segment::Optional(inner));
                        s = &s[o + 3 + end + 2..];
                    }
                    None => {
                        push_text(out, &s[o..]);
                        return;
                    }
                }
            }
            None => {
                push_text(out, s);
                return;
            }
        }
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn write(f: &mut fmt::Formatter<'_>, segs: &[Segment]) -> fmt::Result {
            for s in segs {
                match s {
                    Segment::Text(t) => f.write_str(t)?,
                    Segment::Expr(b) => write!(f, "{b}")?,
                    Segment::Optional(inner) => {
                        f.write_str("$[[")?;
                        write(f, inner)?;
                        f.write_str("]]")?;
                    }
                }
            }
            Ok(())
        }
        write(f, &self.segments)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bindings_parse_into_typed_values() {
        assert_eq!(
            Binding::parse("parent.inputs.lr"),
            Binding::ParentInput("lr".into())
        );
        assert_eq!(
            Binding::parse(" parent.inputs.group.sub "),
            Binding::ParentInput("group.sub".into())
        );
        assert_eq!(
            Binding::parse("parent.jobs.train.outputs.model"),
            Binding::job_output("train", "model")
        );
        assert_eq!(
            Binding::parse("parent.outputs.x"),
            Binding::ParentOutput("x".into())
        );
        assert_eq!(Binding::parse("inputs.data"), Binding::Input("data".into()));
        assert_eq!(Binding::parse("name"), Binding::Name);
        assert_eq!(
            Binding::parse("search_space.lr"),
            Binding::Other("search_space.lr".into())
        );
        assert_eq!(
            Binding::parse("parent.jobs.a.b.c"),
            Binding::Other("parent.jobs.a.b.c".into())
        );
        assert_eq!(
            Binding::parse("parent.jobs.a.inputs.b"),
            Binding::JobInput {
                job: "a".into(),
                port: "b".into()
            }
        );
        assert_eq!(
            Binding::parse("inputs.g.sub"),
            Binding::Input("g.sub".into())
        );
        assert_eq!(
            Binding::parse(" default_datastore"),
            Binding::DefaultDatastore
        );
        // Near misses are kept as written.
        for other in [
            "parent.inputs",
            "parent.inputs.",
            "parent.inputs.a..b",
            "parent.outputs.a.b",
            "parent.jobs.a.outputs",
            "parent.jobs.a.outputs.b.c",
            "parent.jobs.a b.outputs.c",
            "parent.jobs.a.params.b",
            "inputs",
            "inputs.",
            "outputs.a.b",
            "name.x",
            "parent",
            "",
        ] {
            assert_eq!(
                Binding::parse(other),
                Binding::Other(other.into()),
                "{other}"
            );
        }
        // The SDK's pattern takes any text without white space after `parent.`: names that
        // break the naming rules are still bindings (the names are checked on their own).
        assert_eq!(
            Binding::parse("parent.jobs.1a.outputs.b"),
            Binding::job_output("1a", "b")
        );
        assert_eq!(
            Binding::parse("parent.inputs.train-data"),
            Binding::ParentInput("train-data".into())
        );
    }

    #[test]
    fn templates_render_back_exactly() {
        for s in [
            "python train.py --data ${{inputs.data}} $[[--seed ${{inputs.seed}}]] --out ${{outputs.model}}",
            "azureml://datastores/${{default_datastore}}/paths/${{name}}/",
            "plain text",
            "unclosed ${{inputs.x",
            "unclosed $[[ --x ${{inputs.x}}",
            "echo $[[a]] $HOME ${{inputs.a}}${{inputs.b}}",
            "",
        ] {
            assert_eq!(Template::parse(s).to_string(), s);
        }
        let t = Template::parse("a $[[--seed ${{inputs.seed}}]] ${{inputs.x}}");
        assert_eq!(
            t.bindings(),
            vec![
                (&Binding::Input("seed".into()), true),
                (&Binding::Input("x".into()), false)
            ]
        );
        assert_eq!(
            Template::parse("${{ parent.inputs.x }}").to_string(),
            "${{parent.inputs.x}}"
        );
    }
}
