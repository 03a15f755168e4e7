//! Validation: everything Azure ML's SDK checks offline, and what it lets through (DESIGN §5).
//!
//! Every problem has a stable [`Code`], the file, line, column and YAML path, and a hint. All are
//! collected in one pass; warnings and notes never stop anything.
//!
//! ```
//! use pipeline_core::{Code, validate::validate_str};
//!
//! let report = validate_str("
//! type: pipeline
//! settings: {default_compute: azureml:cpu-cluster}
//! jobs:
//!   train:
//!     command: python train.py --data ${{inputs.data}}
//!     environment: azureml:AzureML-sklearn-1.0@latest
//!     inputs: {data: '${{parent.jobs.prep.outputs.clean}}'}
//! ", "pipeline.yml");
//! let d = &report.diagnostics[0];
//! assert_eq!((d.code, d.line, d.path.as_str()), (Code::E022, 8, "jobs.train.inputs.data"));
//! ```

mod component;
mod init_finalize;
mod names;
pub(crate) use names::edit_distance;
mod pipeline;
mod schema_walk;
mod spark;
mod types;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::codes::{Code, Severity};
use crate::convert::Source;
use crate::error::{Diagnostic, Error};
use crate::load::{Document, load_with_sources};
use crate::model::{Component, Job};
use crate::yaml::{Node, Span, Value};

/// A map for validation's lookups by name, which on a huge pipeline are millions: std's hasher
/// resists flooding by untrusted keys at several times the cost, and these keys are the user's
/// own file.
pub(crate) type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// What validation found, with the files it read (for showing the offending lines).
///
/// ```
/// use pipeline_core::{Document, validate::validate_str};
///
/// let report = validate_str("type: amlcompute\nname: cpu-cluster\n", "cluster.yml");
/// assert!(report.diagnostics.is_empty());
/// assert_eq!(report.sources.len(), 1);
/// assert!(matches!(report.document, Some(Document::Compute(_))));
/// ```
#[derive(Debug, Default)]
pub struct Report {
    /// Every problem, errors first, then in file and line order.
    pub diagnostics: Vec<Diagnostic>,
    /// The files read: the one validated and the component files it names.
    pub sources: Vec<Arc<Source>>,
    /// The document, when it loaded (validation problems do not stop it loading).
    pub document: Option<Document>,
}

impl Report {
    /// How many problems of this severity.
    ///
    /// ```
    /// use pipeline_core::{Severity, validate::validate_str};
    ///
    /// // No compute named anywhere: a warning, not an error.
    /// let report = validate_str("type: command\ncommand: python train.py\nenvironment: azureml:AzureML-sklearn-1.0@latest\n", "train.yml");
    /// assert_eq!(report.count(Severity::Warning), 1);
    /// assert_eq!(report.count(Severity::Error), 0);
    /// ```
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity() == severity)
            .count()
    }

    /// Whether any error was found.
    ///
    /// ```
    /// use pipeline_core::validate::validate_str;
    ///
    /// let ok = validate_str("type: command\ncommand: python train.py\ncompute: azureml:cpu-cluster\nenvironment: azureml:AzureML-sklearn-1.0@latest\n", "train.yml");
    /// assert!(!ok.has_errors());
    /// // `default_compute` must be `azureml:<name>` or `serverless`.
    /// let bad = validate_str("type: pipeline\nsettings: {default_compute: cpu-cluster}\njobs:\n  hello: {command: echo hi, environment: azureml:AzureML-sklearn-1.0@latest}\n", "p.yml");
    /// assert!(bad.has_errors());
    /// ```
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// The text of a file that was read.
    ///
    /// ```
    /// use std::path::Path;
    /// use pipeline_core::validate::validate_str;
    ///
    /// let text = "type: command\ncommand: python train.py\nlimits: {timeout: soon}\n";
    /// let report = validate_str(text, "train.yml");
    /// let d = &report.diagnostics[0];
    /// let source = report.source(&d.file).unwrap();
    /// assert_eq!(source.text.lines().nth(d.line - 1), Some("limits: {timeout: soon}"));
    /// assert!(report.source(Path::new("other.yml")).is_none());
    /// ```
    pub fn source(&self, file: &Path) -> Option<&Source> {
        self.sources.iter().find(|s| s.file == file).map(|s| &**s)
    }
}

/// Reads and validates a YAML file: load errors (syntax, types, missing keys) and, when it loads,
/// every check on the model and the component files it names.
///
/// ```
/// use pipeline_core::{Code, validate::validate_path};
/// # let dir = std::env::temp_dir().join(format!("pipeline-doc-validate-path-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
///
/// let path = dir.join("pipeline.yml");
/// std::fs::write(&path, "type: pipeline\nsettings: {default_compute: azureml:cpu-cluster}\njobs:\n  train: {component: ./train.yml}\n").unwrap();
/// let report = validate_path(&path).unwrap();
/// assert_eq!(report.diagnostics[0].code, Code::E006); // ./train.yml does not exist
/// assert!(validate_path(dir.join("missing.yml")).is_err());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn validate_path(path: impl AsRef<Path>) -> Result<Report, Error> {
    let path = path.as_ref();
    let text = crate::files::read_text(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(validate_str(&text, path))
}

/// Validates `text` as though it were the content of the file `path`.
///
/// ```
/// use pipeline_core::{Code, validate::validate_str};
///
/// let report = validate_str("type: pipeline\nsettings: {default_compute: azureml:cpu-cluster}\njobs:\n  Train: {command: python train.py, environment: azureml:AzureML-sklearn-1.0@latest}\n", "jobs/pipeline.yml");
/// let d = &report.diagnostics[0];
/// assert_eq!((d.code, d.line, d.path.as_str()), (Code::E011, 4, "jobs.Train"));
/// assert!(d.to_string().starts_with("jobs/pipeline.yml:4:3: error[E011]: jobs.Train: "));
/// ```
pub fn validate_str(text: &str, path: impl AsRef<Path>) -> Report {
    let path = path.as_ref();
    let (document, sources) = load_with_sources(text, path);
    let mut report = match document {
        Err(e) => Report {
            diagnostics: e.diagnostics().to_vec(),
            sources,
            document: None,
        },
        Ok(document) => {
            let mut checker = Checker::new(&sources);
            checker.document(&document, path);
            Report {
                diagnostics: checker.diagnostics,
                sources,
                document: Some(document),
            }
        }
    };
    in_order(&mut report.diagnostics);
    report
}

/// Errors first, then by file and position; a problem found twice (a component file that two
/// parts of a huge pipeline both checked) once.
fn in_order(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (
            a.severity(),
            &a.file,
            a.line,
            a.column,
            a.code,
            &a.path,
            &a.message,
        )
            .cmp(&(
                b.severity(),
                &b.file,
                b.line,
                b.column,
                b.code,
                &b.path,
                &b.message,
            ))
    });
    diagnostics.dedup();
}

/// Validates a model built in memory (no file: diagnostics carry the YAML path but no line).
///
/// ```
/// use pipeline_core::{Code, Document, component_from_str, validate::validate_document};
///
/// let mut component = component_from_str("type: command\nname: train\ncommand: python train.py\nenvironment: azureml:AzureML-sklearn-1.0@latest\n").unwrap();
/// if let pipeline_core::Component::Command(c) = &mut component {
///     c.name = Some("Train-Model".to_owned());
/// }
/// let report = validate_document(&Document::Component(component));
/// let d = &report.diagnostics[0];
/// assert_eq!((d.code, d.line, d.path.as_str()), (Code::E010, 0, "name"));
/// ```
pub fn validate_document(document: &Document) -> Report {
    let sources = Vec::new();
    let mut checker = Checker::new(&sources);
    checker.document(document, Path::new("<memory>"));
    let mut diagnostics = checker.diagnostics;
    in_order(&mut diagnostics);
    Report {
        diagnostics,
        sources,
        document: None,
    }
}

/// Where a check is looking: a file, the folder its relative paths start from, a YAML path.
///
/// Free to extend: checks make one for nearly every value they look at and most never report, so
/// a place borrows its parent and its keys, and the dotted text is built only for a diagnostic.
#[derive(Debug, Clone)]
pub(crate) struct At<'a> {
    pub(crate) file: &'a Path,
    pub(crate) dir: Option<&'a Path>,
    parent: Option<&'a At<'a>>,
    names: Names<'a>,
}

/// The keys one step adds to its parent's path.
#[derive(Debug, Clone)]
enum Names<'a> {
    None,
    One(Cow<'a, str>),
    Two(&'a str, &'a str),
    Many(Vec<&'a str>),
}

impl<'a> At<'a> {
    /// The root of a file.
    pub(crate) fn root(file: &'a Path, dir: Option<&'a Path>) -> At<'a> {
        At {
            file,
            dir,
            parent: None,
            names: Names::None,
        }
    }

    /// One level deeper.
    pub(crate) fn key<'b>(&'b self, key: impl Into<Cow<'b, str>>) -> At<'b> {
        At {
            file: self.file,
            dir: self.dir,
            parent: Some(self),
            names: Names::One(key.into()),
        }
    }

    /// Several levels deeper.
    pub(crate) fn keys<'b>(&'b self, keys: &[&'b str]) -> At<'b> {
        At {
            file: self.file,
            dir: self.dir,
            parent: Some(self),
            names: match keys {
                [] => Names::None,
                [one] => Names::One(Cow::Borrowed(one)),
                [a, b] => Names::Two(a, b),
                many => Names::Many(many.to_vec()),
            },
        }
    }

    /// Deeper by a path held elsewhere (such as `["inputs", "data"]`).
    pub(crate) fn path<'b, S: AsRef<str>>(&'b self, keys: &'b [S]) -> At<'b> {
        At {
            file: self.file,
            dir: self.dir,
            parent: Some(self),
            names: Names::Many(keys.iter().map(AsRef::as_ref).collect()),
        }
    }

    /// The path's segments, outermost first.
    fn segments(&self) -> Vec<&str> {
        let mut steps = Vec::new();
        let mut at = Some(self);
        while let Some(here) = at {
            steps.push(&here.names);
            at = here.parent;
        }
        let mut out = Vec::new();
        for names in steps.into_iter().rev() {
            match names {
                Names::None => {}
                Names::One(k) => out.push(&**k),
                Names::Two(a, b) => out.extend([*a, *b]),
                Names::Many(ks) => out.extend(ks.iter().copied()),
            }
        }
        out
    }

    fn dotted(&self) -> String {
        let mut out = String::new();
        for seg in self.segments() {
            if !out.is_empty() && !seg.starts_with('[') {
                out.push('.');
            }
            out.push_str(seg);
        }
        out
    }
}

/// The SDK schema's name for a document (`pipeline_schema::keys::document`), where it has one.
pub(crate) fn schema_kind(document: &Document) -> Option<&'static str> {
    Some(match document {
        Document::Job(Job::Pipeline(_)) => "pipeline_job",
        Document::Job(Job::Command(_)) => "command_job",
        Document::Job(Job::Other(o)) => match o.kind.as_str() {
            "sweep" => "sweep_job",
            "spark" => "spark_job",
            "parallel" => "parallel_job",
            _ => return None,
        },
        Document::Component(c) => component_schema_kind(c)?,
        // The compute types are the document kinds' names.
        Document::Compute(c) => match c {
            crate::model::Compute::Instance(_) => "computeinstance",
            crate::model::Compute::Aml(_) => "amlcompute",
            crate::model::Compute::Other(o) => {
                crate::schema::kinds::COMPUTE_TYPES.matches(&o.kind)?
            }
        },
    })
}

/// The SDK schema's name for a component document.
pub(crate) fn component_schema_kind(component: &Component) -> Option<&'static str> {
    Some(match component {
        Component::Command(_) => "command_component",
        Component::Parallel(_) => "parallel_component",
        Component::Pipeline(_) => "pipeline_component",
        Component::Other(o) if o.kind == "spark" => "spark_component",
        Component::Other(_) => return None,
    })
}

/// Whether a component is registered under its own name, which must then follow the naming
/// rule, or anonymously: a node's component (inline, or a local file a pipeline names) is
/// registered under a hash of its content, and the SDK takes any name there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Naming {
    /// A component document of its own (`az ml component create`).
    Registered,
    /// A node's component.
    Anonymous,
}

/// Runs the checks and collects what they find.
pub(crate) struct Checker<'s> {
    sources: HashMap<&'s Path, &'s Source>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Component files already checked (each is checked once, however many nodes name it).
    checked: HashSet<PathBuf>,
    /// Files already told that registered components cannot be checked offline.
    noted_offline: HashSet<PathBuf>,
}

impl<'s> Checker<'s> {
    fn new(sources: &'s [Arc<Source>]) -> Self {
        Checker {
            sources: sources.iter().map(|s| (s.file.as_path(), &**s)).collect(),
            diagnostics: Vec::new(),
            checked: HashSet::new(),
            noted_offline: HashSet::new(),
        }
    }

    fn document(&mut self, document: &Document, file: &Path) {
        let dir = match document {
            Document::Job(j) => j.source_dir(),
            Document::Component(c) => c.source_dir(),
            _ => None,
        };
        let at = At::root(file, dir);
        match document {
            Document::Job(job) => self.job(job, &at),
            Document::Component(c) => self.component(c, &at, Naming::Registered),
            Document::Compute(_) => {}
        }
        if let Some(kind) = schema_kind(document) {
            self.schema_walk(kind, &at);
        } else if let Document::Job(Job::Other(o)) = document
            && o.kind == "automl"
            && let Some(root) = self.sources.get(at.file).and_then(|s| s.root())
        {
            schema_walk::automl_job(self, root, &at);
        }
    }

    /// Holds the file `at` names, as written, to the SDK's schema for a document of `kind`.
    pub(crate) fn schema_walk(&mut self, kind: &str, at: &At) {
        if let Some(root) = self.sources.get(at.file).and_then(|s| s.root()) {
            schema_walk::document(self, root, kind, at);
        }
    }

    fn job(&mut self, job: &Job, at: &At) {
        match job {
            Job::Pipeline(p) => pipeline::pipeline_job(self, p, at),
            Job::Command(c) => component::command_job(self, c, at),
            Job::Other(o) => {
                for (key, reference) in &o.refs {
                    pipeline::resolve(self, reference, &at.key(key.as_str()));
                }
                if o.kind == "spark" {
                    spark::compute_or_resources(self, o, at);
                    spark::code(self, o, at);
                    spark::entry_is_a_file(self, o, at);
                    spark::direct_modes(self, o, at);
                }
                if o.kind == "sweep" {
                    spark::trial_code(self, o, at);
                }
            }
        }
    }

    /// Records a problem at a place; the line and column come from the file's tree.
    pub(crate) fn report(
        &mut self,
        code: Code,
        at: &At,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let span = self.span(at, false);
        self.push(code, at, span, message.into(), help);
    }

    /// Like [`Checker::report`], pointing at the key rather than its value (for names).
    pub(crate) fn report_key(
        &mut self,
        code: Code,
        at: &At,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let span = self.span(at, true);
        self.push(code, at, span, message.into(), help);
    }

    fn push(&mut self, code: Code, at: &At, span: Span, message: String, help: Option<String>) {
        self.diagnostics.push(Diagnostic {
            code,
            file: at.file.to_path_buf(),
            line: span.line,
            column: span.column,
            path: at.dotted(),
            message,
            help,
        });
    }

    /// The position of the deepest node on the path that exists in the file.
    fn span(&self, at: &At, want_key: bool) -> Span {
        let Some(root) = self.sources.get(at.file).and_then(|s| s.root()) else {
            return Span::default();
        };
        let mut node: &Node = root;
        let mut span = root.span;
        // A problem with a whole mapping or list is shown at its key, not at its first entry.
        let mut key_span = None;
        let segments = at.segments();
        for (i, seg) in segments.iter().enumerate() {
            let last = i + 1 == segments.len();
            let next = match &node.value {
                Value::Map(m) => m.iter().find(|(k, _)| k.to_string() == *seg).map(|(k, v)| {
                    key_span = Some(k.span);
                    if last && want_key {
                        span = k.span;
                    }
                    v
                }),
                Value::Seq(items) => seg
                    .strip_prefix('[')
                    .and_then(|s| s.strip_suffix(']'))
                    .and_then(|i| i.parse::<usize>().ok())
                    .and_then(|i| items.get(i))
                    .inspect(|n| key_span = Some(n.span)),
                _ => None,
            };
            match next {
                Some(n) => {
                    node = n;
                    if !(last && want_key) {
                        span = n.span;
                    }
                }
                None => break,
            }
        }
        match (&node.value, key_span) {
            (Value::Map(_) | Value::Seq(_), Some(k)) if !want_key => k,
            _ => span,
        }
    }

    /// A component named by a node or loaded as a document, checked once per file.
    pub(crate) fn component(&mut self, component: &Component, at: &At, naming: Naming) {
        component::check(self, component, at, naming);
    }

    /// Says once per file that registered components are taken on trust.
    pub(crate) fn note_offline(&mut self, at: &At, reference: &str) {
        if self.noted_offline.insert(at.file.to_path_buf()) {
            self.report(
                Code::N001,
                at,
                format!("registered components such as `{reference}` cannot be checked offline"),
                Some("their inputs, outputs and types are taken on trust here; Azure ML checks them on submit".to_owned()),
            );
        }
    }

    /// A checker for part of the nodes, on another thread: same files, nothing found yet.
    pub(crate) fn fork(&self) -> Checker<'s> {
        Checker {
            sources: self.sources.clone(),
            diagnostics: Vec::new(),
            checked: self.checked.clone(),
            noted_offline: self.noted_offline.clone(),
        }
    }

    /// Takes in what a [`Checker::fork`] found. A component file checked by two parts is
    /// reported twice (the report removes repeats); a file is told N001 once.
    pub(crate) fn merge(&mut self, other: Checker<'s>) {
        for d in other.diagnostics {
            if d.code == Code::N001
                && self
                    .diagnostics
                    .iter()
                    .any(|e| e.code == Code::N001 && e.file == d.file)
            {
                continue;
            }
            self.diagnostics.push(d);
        }
        self.checked.extend(other.checked);
        self.noted_offline.extend(other.noted_offline);
    }

    /// Whether a component file still needs checking (and marks it checked).
    pub(crate) fn first_visit(&mut self, file: &Path) -> bool {
        self.checked.insert(file.to_path_buf())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_follow_yaml_paths_and_fall_back_to_the_nearest_parent() {
        let report = validate_str(
            "type: pipeline\njobs:\n  Bad-Name:\n    command: echo\n",
            "x.yml",
        );
        let e011 = report
            .diagnostics
            .iter()
            .find(|d| d.code == Code::E011)
            .expect("E011");
        assert_eq!(
            (e011.line, e011.column, e011.path.as_str()),
            (3, 3, "jobs.Bad-Name")
        );
    }

    #[test]
    fn huge_pipelines_are_checked_on_every_core_with_the_same_findings() {
        let mut yaml = String::from(
            "inputs: {raw: {type: uri_folder, path: 'azureml:r:1'}}\ntype: pipeline\nsettings: {default_compute: 'azureml:c'}\njobs:\n",
        );
        let mut lines = Vec::new();
        let mut line = 5;
        for i in 0..3000 {
            let name = if i == 2900 {
                "Bad_Name".to_owned()
            } else {
                format!("n{i}")
            };
            let input = match i {
                0 => "${{parent.inputs.raw}}".to_owned(),
                10 => "${{parent.jobs.ghost.outputs.out}}".to_owned(),
                2950 => "${{parent.jobs.nowhere.outputs.out}}".to_owned(),
                2901 => "${{parent.jobs.n2899.outputs.out}}".to_owned(),
                _ => format!("${{{{parent.jobs.n{}.outputs.out}}}}", i - 1),
            };
            let registered = i % 1000 == 5;
            lines.push(line);
            yaml.push_str(&format!("  {name}:\n"));
            line += 1;
            if registered {
                yaml.push_str("    component: azureml:step:1\n");
                line += 1;
            }
            yaml.push_str(&format!("    command: echo ${{{{inputs.d}}}}\n    environment: azureml:env:1\n    inputs:\n      d: {input}\n    outputs: {{out: {{type: uri_folder}}}}\n"));
            line += 5;
        }
        let report = validate_str(&yaml, "huge.yml");
        let found: Vec<(Code, usize, &str)> = report
            .diagnostics
            .iter()
            .map(|d| (d.code, d.line, d.path.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (Code::E022, lines[10] + 4, "jobs.n10.inputs.d"),
                (Code::E011, lines[2900], "jobs.Bad_Name"),
                (Code::E022, lines[2950] + 4, "jobs.n2950.inputs.d"),
                (Code::N001, lines[5] + 1, "jobs.n5.component"),
            ],
            "{:#?}",
            report.diagnostics
        );
    }
}
