//! A node's inputs resolved: pipeline inputs, bindings to other nodes, component defaults, and
//! data found on this machine.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use super::{Planner, Scope, Value, absolute};
use crate::model::{
    AssetRef, Binding, CodeRef, DataPath, InputSpec, JobInput, Literal, PortType, Segment, Template,
};

impl Planner<'_> {
    /// A pipeline's own input: a literal, or data at a path (local, or mapped with `--data`).
    pub(super) fn top_input(&mut self, name: &str, input: &JobInput, dir: &Path) -> Value {
        match input {
            JobInput::Literal(l) => Value::Literal(l.clone()),
            JobInput::Data(d) => match &d.path {
                Some(path) => self.data_path(&format!("pipeline input {name}"), path, dir),
                None => Value::Unset,
            },
            JobInput::Empty => Value::Unset,
            JobInput::Binding(b) => {
                self.problem(format!(
                    "pipeline input {name}: `{b}` cannot be resolved at the top of a pipeline; give a value"
                ));
                Value::Unset
            }
            JobInput::Template(t) => Value::Literal(Literal::Str(t.to_string())),
        }
    }

    /// Data at `path`: a local path resolved against `dir`, or an asset or URI mapped with
    /// `--data`.
    pub(super) fn data_path(&mut self, what: &str, path: &DataPath, dir: &Path) -> Value {
        let (key, shown) = match path {
            DataPath::Local(p) => {
                let local = dir.join(p.strip_prefix("file:").unwrap_or(p));
                if !local.exists() {
                    self.problem(format!(
                        "{what}: local path {} does not exist",
                        local.display()
                    ));
                }
                return Value::Path(absolute(&local));
            }
            DataPath::Asset(AssetRef::Version { name, .. })
            | DataPath::Asset(AssetRef::Label { name, .. })
            | DataPath::Asset(AssetRef::Name(name)) => (name.clone(), path.to_string()),
            DataPath::Asset(AssetRef::Uri(uri)) => (uri.clone(), uri.clone()),
            DataPath::Uri(t) => (t.to_string(), t.to_string()),
        };
        let mapped = self
            .options
            .data
            .get(&key)
            .or_else(|| self.options.data.get(&shown));
        match mapped {
            Some(p) if p.exists() => Value::Path(absolute(p)),
            Some(p) => {
                self.problem(format!(
                    "{what}: --data {key}={} does not exist",
                    p.display()
                ));
                Value::Unset
            }
            None => {
                self.problem(format!(
                    "{what}: `{shown}` is not on this machine; map it to a local copy with --data {key}=PATH"
                ));
                Value::Unset
            }
        }
    }

    pub(super) fn code(
        &mut self,
        node: &str,
        code: Option<&CodeRef>,
        dir: &Path,
    ) -> Option<PathBuf> {
        match code? {
            CodeRef::Local(p) => {
                let path = dir.join(p.strip_prefix("file:").unwrap_or(p));
                if path.is_dir() || path.is_file() {
                    Some(absolute(&path))
                } else {
                    self.problem(format!(
                        "node {node}: code folder {} does not exist",
                        path.display()
                    ));
                    None
                }
            }
            other => {
                self.problem(format!(
                    "node {node}: code `{other}` is in Azure ML; point `code` at a local folder to run it here"
                ));
                None
            }
        }
    }

    /// A node's inputs: those it binds, then its component's defaults; a required one missing is
    /// a problem.
    pub(super) fn node_inputs(
        &mut self,
        scope: &mut Scope<'_>,
        name: &str,
        full: &str,
        given: Option<&IndexMap<String, JobInput>>,
        specs: Option<&IndexMap<String, InputSpec>>,
    ) -> Option<IndexMap<String, Value>> {
        let mut values = IndexMap::new();
        let dir = scope.dir.clone().unwrap_or_else(|| self.base_dir(None));
        for (port, input) in given.into_iter().flatten() {
            let spec = specs.and_then(|s| s.get(port));
            let is_data = matches!(spec.map(|s| s.kind), Some(PortType::Asset(_)));
            let what = format!("node {full}: input {port}");
            let value = match input {
                JobInput::Empty => Value::Unset,
                JobInput::Literal(Literal::Str(s)) if is_data => {
                    self.data_path(&what, &DataPath::parse(s), &dir)
                }
                JobInput::Literal(l) => Value::Literal(l.clone()),
                JobInput::Binding(b) => self.resolve(scope, full, b)?,
                JobInput::Template(t) => self.render_template(scope, full, t)?,
                JobInput::Data(d) => match &d.path {
                    Some(DataPath::Uri(t)) if t.as_binding().is_some() => {
                        let b = t.as_binding().cloned()?;
                        self.resolve(scope, full, &b)?
                    }
                    Some(path) => self.data_path(&what, path, &dir),
                    None => Value::Unset,
                },
            };
            values.insert(port.clone(), value);
        }
        for (port, spec) in specs.into_iter().flatten() {
            match values.get(port) {
                Some(v) if *v != Value::Unset => continue,
                _ => {}
            }
            let value = match &spec.default {
                Some(Literal::Str(s)) if matches!(spec.kind, PortType::Asset(_)) => self.data_path(
                    &format!("node {full}: input {port}"),
                    &DataPath::parse(s),
                    &dir,
                ),
                Some(l) => Value::Literal(l.clone()),
                None if spec.optional == Some(true) => Value::Unset,
                None => {
                    self.problem(format!(
                        "node {full}: input {port} is required but not given; bind it in `jobs.{name}.inputs`"
                    ));
                    Value::Unset
                }
            };
            values.insert(port.clone(), value);
        }
        Some(values)
    }

    /// The value a binding names, from the scope's pipeline inputs or another node's ports.
    pub(super) fn resolve(
        &mut self,
        scope: &mut Scope<'_>,
        full: &str,
        binding: &Binding,
    ) -> Option<Value> {
        match binding {
            Binding::ParentInput(name) => match scope.inputs.get(name) {
                Some(v) => Some(v.clone()),
                None => {
                    self.problem(format!(
                        "node {full}: `{binding}` names no input of its pipeline"
                    ));
                    None
                }
            },
            Binding::JobOutput { job, port } | Binding::JobInput { job, port } => {
                if !scope.jobs.contains_key(job) {
                    self.problem(format!("node {full}: `{binding}` names no node `{job}`"));
                    return None;
                }
                let planned = self.node(scope, job)?;
                let ports = if matches!(binding, Binding::JobOutput { .. }) {
                    planned
                        .outputs
                        .get(port)
                        .map(|(step, port)| Value::Upstream {
                            step: *step,
                            port: port.clone(),
                        })
                } else {
                    planned.inputs.get(port).cloned()
                };
                match ports {
                    Some(v) => Some(v),
                    None => {
                        self.problem(format!(
                            "node {full}: `{binding}` names no port `{port}` of node {job}"
                        ));
                        None
                    }
                }
            }
            other => {
                self.problem(format!(
                    "node {full}: `{other}` cannot be resolved on this machine"
                ));
                None
            }
        }
    }

    /// A string with bindings in it: each replaced by its literal value or local path.
    pub(super) fn render_template(
        &mut self,
        scope: &mut Scope<'_>,
        full: &str,
        template: &Template,
    ) -> Option<Value> {
        let mut out = String::new();
        for segment in &template.segments {
            match segment {
                Segment::Text(t) => out.push_str(t),
                Segment::Expr(b) => match self.resolve(scope, full, b)? {
                    Value::Literal(l) => out.push_str(&crate::run::render::literal_text(&l)),
                    Value::Path(p) => out.push_str(&p.display().to_string()),
                    Value::Unset => {}
                    Value::Upstream { .. } => {
                        self.problem(format!(
                            "node {full}: `{b}` is an output; bind it alone, not inside a string"
                        ));
                        return None;
                    }
                },
                // An input's value is not a command: `$[[` has no meaning in it.
                Segment::Optional(_) => out.push_str(
                    &Template {
                        segments: vec![segment.clone()],
                    }
                    .to_string(),
                ),
            }
        }
        Some(Value::Literal(Literal::Str(out)))
    }
}
