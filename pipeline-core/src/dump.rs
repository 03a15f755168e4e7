//! Writing models as YAML: to text, to any writer, or to a file (atomically, never half-written).

use std::fs;
use std::io::Write;
use std::path::{Component as PathPart, Path, PathBuf};

use crate::convert::ToNode;
use crate::error::Error;
use crate::load::{Document, normalize};
use indexmap::IndexMap;

use crate::model::{
    AmlCompute, CommandComponent, CommandJob, Component, Compute, ComputeInstance, DataPath, Job,
    ParallelComponent, PipelineComponent, PipelineJob, PipelineNode,
};
use crate::parallel::PARALLEL_ENTRIES;
use crate::yaml::{Mapping, Node, Value};

/// Where [`Yaml::dump`] writes.
///
/// ```
/// use pipeline_core::{Dest, Yaml, compute_from_str};
///
/// let cluster = compute_from_str("type: amlcompute\nname: cpu-cluster\n").unwrap();
/// let mut out: Vec<u8> = Vec::new();
/// cluster.dump(Dest::Writer(&mut out)).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), "type: amlcompute\nname: cpu-cluster\n");
/// // Paths convert too: `dump("cluster.yml")` writes a file.
/// assert!(matches!(Dest::from("cluster.yml"), Dest::Path(_)));
/// ```
pub enum Dest<'a> {
    /// A file that must not exist yet.
    Path(&'a Path),
    /// Any writer.
    Writer(&'a mut dyn Write),
}

impl<'a> From<&'a Path> for Dest<'a> {
    fn from(p: &'a Path) -> Self {
        Dest::Path(p)
    }
}

impl<'a> From<&'a PathBuf> for Dest<'a> {
    fn from(p: &'a PathBuf) -> Self {
        Dest::Path(p)
    }
}

impl<'a> From<&'a str> for Dest<'a> {
    fn from(p: &'a str) -> Self {
        Dest::Path(Path::new(p))
    }
}

impl<'a, W: Write> From<&'a mut W> for Dest<'a> {
    fn from(w: &'a mut W) -> Self {
        Dest::Writer(w)
    }
}

/// Models that are written as YAML documents.
///
/// ```
/// use pipeline_core::{Yaml, component_from_str};
///
/// let component = component_from_str("name: train\ntype: command\ncommand: python train.py\n").unwrap();
/// let mut out = Vec::new();
/// component.dump(&mut out).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), component.to_yaml());
/// ```
pub trait Yaml {
    /// The canonical YAML text: `$schema` first, then `type`, then the SDK's order, unknown keys
    /// last; strings that a YAML 1.1 reader would take for something else are quoted.
    ///
    /// ```
    /// use pipeline_core::{Yaml, job_from_str};
    ///
    /// let job = job_from_str("command: python train.py\ntags: {reviewed: 'yes'}\ntype: command\n").unwrap();
    /// assert_eq!(
    ///     job.to_yaml(),
    ///     "type: command\ntags:\n  reviewed: 'yes'\ncommand: python train.py\n"
    /// );
    /// ```
    fn to_yaml(&self) -> String;

    /// Writes the YAML, as the SDK's `dump` does: to a writer, or to a file path that must not
    /// exist yet. A file is written to a temporary file beside it and renamed into place, so it
    /// is never left half-written; relative paths in the model (`code`, `path`, component
    /// files…) are rewritten to stay correct from the new file's folder.
    ///
    /// ```
    /// use pipeline_core::{Error, Yaml, job_from_str};
    /// # let dir = std::env::temp_dir().join(format!("pipeline-doc-dump-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    ///
    /// let job = job_from_str("type: command\ncommand: python train.py\ncompute: azureml:cpu-cluster\n").unwrap();
    /// let path = dir.join("train.yml");
    /// job.dump(&path).unwrap();
    /// assert_eq!(std::fs::read_to_string(&path).unwrap(), job.to_yaml());
    /// // A file that is already there is never overwritten.
    /// assert!(matches!(job.dump(&path), Err(Error::AlreadyExists { .. })));
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    fn dump<'a>(&self, dest: impl Into<Dest<'a>>) -> Result<(), Error>;

    /// Like [`Yaml::dump`] to a path, but replaces a file that is already there (atomically).
    ///
    /// ```
    /// use pipeline_core::{Yaml, compute_from_str};
    /// # let dir = std::env::temp_dir().join(format!("pipeline-doc-dump-replacing-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    ///
    /// let path = dir.join("cluster.yml");
    /// std::fs::write(&path, "type: amlcompute\nname: cpu-cluster\n").unwrap();
    /// let bigger = compute_from_str("type: amlcompute\nname: cpu-cluster\nmax_instances: 8\n").unwrap();
    /// bigger.dump_replacing(&path).unwrap();
    /// assert!(std::fs::read_to_string(&path).unwrap().ends_with("max_instances: 8\n"));
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    fn dump_replacing(&self, path: &Path) -> Result<(), Error>;
}

/// How relative paths move when a model read from the folder `source` is written to `dest`:
/// `(from, to)` folders, or `None` when they stay as they are.
fn rebase_plan(source: Option<&Path>, dest: &Path) -> Option<(PathBuf, PathBuf)> {
    let source = source?;
    let to_dir = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let (from, to) = (real_dir(source)?, real_dir(to_dir)?);
    (from != to).then_some((from, to))
}

/// The folder as the operating system reaches it: absolute, with links resolved as far as it
/// exists. The SDK resolves `base / "../x"` through the real folder, so a path written relative
/// to a folder reached through a link must climb out of where the link really leads.
fn real_dir(dir: &Path) -> Option<PathBuf> {
    let absolute = normalize(&std::path::absolute(dir).ok()?);
    // The longest part that exists is resolved; the rest (not created yet) is appended as is.
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            return Some(rest.iter().rev().fold(real, |p, part| p.join(part)));
        }
        rest.push(existing.file_name()?);
        existing = existing.parent()?;
    }
}

/// A model ready to write: its tree, and the nodes of a huge pipeline, which are rendered and
/// written a part at a time instead of as one tree (`jobs: null` stands in the tree for them).
struct Rendered<'m> {
    tree: Node,
    jobs: Option<&'m IndexMap<String, PipelineNode>>,
}

impl Rendered<'_> {
    fn whole(tree: Node) -> Self {
        Rendered { tree, jobs: None }
    }

    fn pipeline(job: &PipelineJob) -> Rendered<'_> {
        match &job.jobs {
            Some(jobs) if jobs.len() >= PARALLEL_ENTRIES => Rendered {
                tree: job.to_node_without("jobs"),
                jobs: Some(jobs),
            },
            _ => Rendered::whole(job.to_node()),
        }
    }

    /// The YAML text, relative paths moved by `plan`; the tree is freed (on another thread when
    /// it is huge).
    fn text(self, plan: Option<&(PathBuf, PathBuf)>) -> String {
        let mut tree = self.tree;
        if let Some((from, to)) = plan {
            rebase_tree(&mut tree, from, to);
        }
        let text = match self.jobs {
            None => crate::yaml::emit(&tree),
            Some(jobs) => {
                let entries: Vec<(&String, &PipelineNode)> = jobs.iter().collect();
                crate::yaml::emit_streamed(&tree, "jobs", &entries, |node| {
                    let mut n = node.to_node();
                    if let Some((from, to)) = plan {
                        rebase_tree(&mut n, from, to);
                    }
                    n
                })
            }
        };
        crate::convert::release(Some(tree), text.len());
        text
    }

    fn write(self, source: Option<&Path>, dest: Dest<'_>, replace: bool) -> Result<(), Error> {
        match dest {
            Dest::Writer(w) => {
                w.write_all(self.text(None).as_bytes())
                    .map_err(|source| Error::Write {
                        path: PathBuf::from("<writer>"),
                        source,
                    })
            }
            Dest::Path(p) => {
                let plan = rebase_plan(source, p);
                write_file(p, &self.text(plan.as_ref()), replace)
            }
        }
    }
}

/// Keys whose string values (or list items) are local paths relative to the YAML's folder, in
/// every kind of job, component and node the SDK reads (azure-ai-ml 1.35.2): `code` (command,
/// parallel `task`, spark, sweep `trial`…), `path` (inputs, outputs, automl data, an
/// environment's `build` context), `conda_file`, `additional_includes`, a node's `component`
/// file and a sweep node's `trial` file. Spark's `entry.file`, `py_files`… and a parallel
/// `entry_script` are relative to `code` and move with it.
const PATH_KEYS: &[&str] = &[
    "code",
    "path",
    "conda_file",
    "additional_includes",
    "component",
    "trial",
];

/// Maps whose keys are the user's own: a string directly in one is a value (a literal input, a
/// binding, a tag, a variable, a spark setting), never a path, whatever its key is called.
const FREE_FORM_KEYS: &[&str] = &[
    "inputs",
    "outputs",
    "tags",
    "properties",
    "environment_variables",
    "conf",
];

/// Moves every local relative path in `node` from the folder `from` to the folder `to`.
fn rebase_tree(node: &mut Node, from: &Path, to: &Path) {
    match &mut node.value {
        Value::Map(m) => {
            add_implicit_spark_code(m);
            for (k, v) in m.iter_mut() {
                let key = k.as_str().unwrap_or("");
                let is_path_key = PATH_KEYS.contains(&key);
                match &mut v.value {
                    Value::Str(s) if is_path_key || is_file_reference(s) => {
                        *s = rebase_one(s, from, to);
                    }
                    Value::Seq(items) if is_path_key => {
                        for item in items {
                            if let Value::Str(s) = &mut item.value {
                                *s = rebase_one(s, from, to);
                            }
                        }
                    }
                    // Node names are the user's own too (a node may be called `inputs`).
                    Value::Map(nodes) if key == "jobs" => {
                        for (_, node) in nodes.iter_mut() {
                            rebase_tree(node, from, to);
                        }
                    }
                    Value::Map(entries) if FREE_FORM_KEYS.contains(&key) => {
                        // Only what is nested deeper (an input's `{type, path}`) can hold paths.
                        for (_, value) in entries.iter_mut() {
                            if value.as_map().is_some() {
                                rebase_tree(value, from, to);
                            }
                        }
                    }
                    _ => rebase_tree(v, from, to),
                }
            }
        }
        Value::Seq(items) => items.iter_mut().for_each(|i| rebase_tree(i, from, to)),
        _ => {}
    }
}

/// `file:./x.yml`: the SDK reads the file in place of any nested object (an `environment`, a
/// `resources`…), relative to the YAML's folder, whatever the key.
fn is_file_reference(value: &str) -> bool {
    value.starts_with("file:")
}

/// A spark job, component or inline node without `code` runs with `code: .`, the YAML's own
/// folder (`SparkComponent` and `ParameterizedSpark` default it so; a command component without
/// `code` has none at all). Written elsewhere, that folder must be named, or `entry.file` would
/// be looked for beside the new file. A node that names a `component` takes the component's code.
fn add_implicit_spark_code(map: &mut Mapping) {
    let is_spark = map
        .get("type")
        .and_then(Node::as_str)
        .is_some_and(|t| t.eq_ignore_ascii_case("spark"));
    if !is_spark || map.get("code").is_some() || map.get("component").is_some() {
        return;
    }
    // Rebased with the other path fields, by the caller's walk over this mapping.
    let code = Node::str(".");
    // Beside `entry`, which it is read with.
    let entry_at = map.iter().position(|(k, _)| k.as_str() == Some("entry"));
    match entry_at {
        Some(at) => map.insert_at(at, Node::str("code"), code),
        None => map.insert_str("code", code),
    }
}

/// `./src` seen from `from` → the same folder seen from `to`. Only local relative paths change.
fn rebase_one(value: &str, from: &Path, to: &Path) -> String {
    let (prefix, path) = match value.strip_prefix("file:") {
        Some(rest) => ("file:", rest),
        None => ("", value),
    };
    let is_local = !path.is_empty()
        && DataPath::parse(path).as_local().is_some()
        && !Path::new(path).is_absolute();
    if !is_local {
        return value.to_owned();
    }
    let target = normalize(&from.join(path));
    let relative = relative_to(&target, to).display().to_string();
    // Keep the file's own spelling: `./src` stays `./…` where it can.
    let dot = if path.starts_with("./") && !relative.starts_with("..") && relative != "." {
        "./"
    } else {
        ""
    };
    format!("{prefix}{dot}{relative}")
}

/// `target` as a path relative to the folder `base` (both absolute, or both relative to the same
/// folder): `../jobs/c.yml`.
///
/// ```
/// use std::path::Path;
/// use pipeline_core::relative_path;
///
/// let from_pipelines = relative_path(Path::new("jobs/components/train.yml"), Path::new("jobs/pipelines"));
/// assert_eq!(from_pipelines, Path::new("../components/train.yml"));
/// assert_eq!(relative_path(Path::new("/w/src/./train.py"), Path::new("/w")), Path::new("src/train.py"));
/// assert_eq!(relative_path(Path::new("jobs"), Path::new("jobs")), Path::new("."));
/// ```
pub fn relative_path(target: &Path, base: &Path) -> PathBuf {
    let (target, base) = (normalize(target), normalize(base));
    let climbs = |p: &Path| {
        p.components()
            .take_while(|c| *c == PathPart::ParentDir)
            .count()
    };
    if target.is_absolute() == base.is_absolute() && climbs(&base) <= climbs(&target) {
        return relative_to(&target, &base);
    }
    // One absolute and one relative, or a base above the folder the target is relative to:
    // only the current folder relates them.
    match (std::path::absolute(&target), std::path::absolute(&base)) {
        (Ok(t), Ok(b)) => relative_to(&normalize(&t), &normalize(&b)),
        _ => target,
    }
}

/// `target` relative to `base`, both normalised and both absolute or both relative to the same
/// folder, with `base` climbing no higher than `target` does.
fn relative_to(target: &Path, base: &Path) -> PathBuf {
    // `.` is no folder to climb out of.
    let t: Vec<_> = target
        .components()
        .filter(|c| *c != PathPart::CurDir)
        .collect();
    let b: Vec<_> = base
        .components()
        .filter(|c| *c != PathPart::CurDir)
        .collect();
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for part in &t[common..] {
        out.push(part);
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// Writes `text` to `path` atomically (a temporary file in the same folder, renamed over it), so
/// that a reader sees the old file or the new one, never half of one. Through a symbolic link,
/// the link's target is written and the link kept. Only a regular file is ever replaced (a FIFO,
/// a device or a folder at `path` is an error); a replaced file keeps its mode, a new one gets
/// 0666 less the umask.
fn write_file(path: &Path, text: &str, replace: bool) -> Result<(), Error> {
    use std::os::unix::fs::PermissionsExt;
    let write_err = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let target = link_target(path);
    let existing = fs::metadata(&target).ok();
    if let Some(meta) = &existing {
        if !replace {
            return Err(Error::AlreadyExists {
                path: path.to_path_buf(),
            });
        }
        if !meta.is_file() {
            return Err(write_err(std::io::Error::other(format!(
                "{} is {}: emit replaces only regular files",
                target.display(),
                if meta.is_dir() {
                    "a folder"
                } else {
                    crate::files::special(&meta.file_type()).unwrap_or("not a regular file")
                }
            ))));
        }
    }
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(write_err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("the folder {} does not exist", dir.display()),
        )));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".pipeline-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(write_err)?;
    tmp.write_all(text.as_bytes()).map_err(write_err)?;
    let mode = existing
        .as_ref()
        .map_or(0o666 & !umask(), |m| m.permissions().mode() & 0o7777);
    tmp.as_file()
        .set_permissions(fs::Permissions::from_mode(mode))
        .map_err(write_err)?;
    tmp.as_file().sync_all().map_err(write_err)?;
    if replace {
        tmp.persist(&target).map_err(|e| write_err(e.error))?;
    } else {
        tmp.persist_noclobber(&target)
            .map_err(|e| match e.error.kind() {
                std::io::ErrorKind::AlreadyExists => Error::AlreadyExists {
                    path: path.to_path_buf(),
                },
                _ => write_err(e.error),
            })?;
    }
    Ok(())
}

/// Where a path leads through symbolic links (a dangling link: the path it names).
fn link_target(path: &Path) -> PathBuf {
    let mut current = path.to_path_buf();
    // A loop of links is left to the write to report.
    for _ in 0..40 {
        match fs::read_link(&current) {
            Ok(to) => {
                current = match current.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            Err(_) => break,
        }
    }
    current
}

/// The process's umask, read from `/proc/self/status` (reading it with `umask(2)` would change it
/// for a moment for every thread); 022 where that is not available.
fn umask() -> u32 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|m| u32::from_str_radix(m.trim(), 8).ok())
        })
        .unwrap_or(0o022)
}

macro_rules! impl_yaml {
    ($($ty:ty => |$s:ident| $source:expr, $render:expr;)*) => {$(
        impl Yaml for $ty {
            fn to_yaml(&self) -> String {
                let $s = self;
                $render.text(None)
            }

            fn dump<'a>(&self, dest: impl Into<Dest<'a>>) -> Result<(), Error> {
                let $s = self;
                $render.write($source, dest.into(), false)
            }

            fn dump_replacing(&self, path: &Path) -> Result<(), Error> {
                let $s = self;
                $render.write($source, Dest::Path(path), true)
            }
        }
    )*};
}

impl_yaml! {
    PipelineJob => |s| s.source_dir.get(), Rendered::pipeline(s);
    CommandJob => |s| s.source_dir.get(), Rendered::whole(s.to_node());
    CommandComponent => |s| s.source_dir.get(), Rendered::whole(s.to_node());
    ParallelComponent => |s| s.source_dir.get(), Rendered::whole(s.to_node());
    PipelineComponent => |s| s.source_dir.get(), Rendered::whole(s.to_node());
    ComputeInstance => |_s| None, Rendered::whole(_s.to_node());
    AmlCompute => |_s| None, Rendered::whole(_s.to_node());
    Compute => |_s| None, Rendered::whole(_s.to_node());
    Job => |s| s.source_dir(), match s {
        Job::Pipeline(j) => Rendered::pipeline(j),
        _ => Rendered::whole(s.to_node()),
    };
    Component => |s| s.source_dir(), Rendered::whole(s.to_node());
}

impl Yaml for Document {
    fn to_yaml(&self) -> String {
        match self {
            Document::Job(j) => j.to_yaml(),
            Document::Component(c) => c.to_yaml(),
            Document::Compute(c) => c.to_yaml(),
        }
    }

    fn dump<'a>(&self, dest: impl Into<Dest<'a>>) -> Result<(), Error> {
        match self {
            Document::Job(j) => j.dump(dest),
            Document::Component(c) => c.dump(dest),
            Document::Compute(c) => c.dump(dest),
        }
    }

    fn dump_replacing(&self, path: &Path) -> Result<(), Error> {
        match self {
            Document::Job(j) => j.dump_replacing(path),
            Document::Component(c) => c.dump_replacing(path),
            Document::Compute(c) => c.dump_replacing(path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_follow_the_file() {
        let from = Path::new("/w/jobs/a");
        let to = Path::new("/w/out");
        assert_eq!(rebase_one("./src", from, to), "../jobs/a/src");
        assert_eq!(rebase_one("file:../c.yml", from, to), "file:../jobs/c.yml");
        assert_eq!(rebase_one("azureml:x:1", from, to), "azureml:x:1");
        assert_eq!(rebase_one("https://h/x", from, to), "https://h/x");
        assert_eq!(rebase_one("/abs/x", from, to), "/abs/x");
        assert_eq!(
            rebase_one("${{parent.inputs.x}}", from, to),
            "${{parent.inputs.x}}"
        );
        assert_eq!(rebase_one(".", from, Path::new("/w/jobs/a/sub")), "..");
    }

    /// `yaml` read as a document of the folder `from`, rebased to the folder `to`, as text.
    fn rebased(yaml: &str, from: &str, to: &str) -> String {
        let mut tree = crate::yaml::parse(yaml).unwrap();
        rebase_tree(&mut tree, Path::new(from), Path::new(to));
        crate::yaml::emit(&tree)
    }

    #[test]
    fn every_path_field_moves_and_nothing_else_does() {
        let yaml = "type: pipeline
inputs:
  path: ./literal
  code: ./literal
  data: {type: uri_folder, path: ./data}
outputs:
  out: {type: uri_folder, path: ./out}
tags: {code: ./tag}
jobs:
  inputs:
    type: command
    code: ./src
    environment: file:./env.yml
    environment_variables: {path: ./var}
    additional_includes: [../shared, ./lib]
  sweep:
    type: sweep
    trial: ./train.yml
  nested:
    type: pipeline
    component: file:./sub/pipeline.yml
    resources: file:./resources.yml
";
        let out = rebased(yaml, "/w/jobs/a", "/w/out");
        let expected = "type: pipeline
inputs:
  path: ./literal
  code: ./literal
  data:
    type: uri_folder
    path: ../jobs/a/data
outputs:
  out:
    type: uri_folder
    path: ../jobs/a/out
tags:
  code: ./tag
jobs:
  inputs:
    type: command
    code: ../jobs/a/src
    environment: file:../jobs/a/env.yml
    environment_variables:
      path: ./var
    additional_includes:
      - ../jobs/shared
      - ../jobs/a/lib
  sweep:
    type: sweep
    trial: ../jobs/a/train.yml
  nested:
    type: pipeline
    component: file:../jobs/a/sub/pipeline.yml
    resources: file:../jobs/a/resources.yml
";
        assert_eq!(out, expected);
    }

    #[test]
    fn spark_without_code_names_its_folder_once_elsewhere() {
        // A spark job, component or inline node runs with `code: .` when it names none.
        let spark = "type: spark\nentry:\n  file: main.py\n";
        assert_eq!(
            rebased(spark, "/w/jobs/a", "/w/out/x"),
            "type: spark\ncode: ../../jobs/a\nentry:\n  file: main.py\n"
        );
        let node = "type: pipeline\njobs:\n  s: {type: spark, entry: {file: main.py}}\n  c: {type: spark, component: ./c.yml}\n";
        let out = rebased(node, "/w/jobs/a", "/w/out");
        assert!(
            out.contains("  s:\n    type: spark\n    code: ../jobs/a\n"),
            "{out}"
        );
        // A node that names a component takes the component's code.
        assert!(
            out.contains("  c:\n    type: spark\n    component: ../jobs/a/c.yml\n"),
            "{out}"
        );
        // A command component without `code` has no code at all: nothing to add.
        let command = "type: command\ncommand: echo hi\n";
        assert_eq!(rebased(command, "/w/jobs/a", "/w/out"), command);
    }

    #[test]
    fn relative_paths_relate_relative_folders_too() {
        let rel = |t: &str, b: &str| relative_path(Path::new(t), Path::new(b));
        assert_eq!(rel("x/c.yml", "."), Path::new("x/c.yml"));
        assert_eq!(rel("./x/c.yml", "./"), Path::new("x/c.yml"));
        assert_eq!(rel("../../c.yml", "a"), Path::new("../../../c.yml"));
        assert_eq!(rel("../../c.yml", ".."), Path::new("../c.yml"));
        assert_eq!(rel("a/b/c", "a/b/c"), Path::new("."));
        // A base above the folder the target is relative to: only the current folder tells.
        let here = std::env::current_dir().unwrap();
        let name = here.file_name().unwrap();
        assert_eq!(rel("x", ".."), Path::new(name).join("x"));
        // One absolute, one relative: the same.
        assert_eq!(rel(here.join("x").to_str().unwrap(), "."), Path::new("x"));
    }

    #[test]
    fn huge_pipelines_are_written_a_part_at_a_time_with_the_same_text() {
        let mut yaml = String::from(
            "$schema: x\ntype: pipeline\nsettings:\n  default_compute: azureml:c\njobs:\n",
        );
        for i in 0..PARALLEL_ENTRIES + 10 {
            yaml.push_str(&format!(
                "  n{i}:\n    type: command\n    code: ./src\n    command: echo {i}\n    environment: azureml:e:1\n"
            ));
        }
        yaml.push_str("tags:\n  on: 'yes'\n");
        let dir = tempfile::tempdir().unwrap();
        let job = crate::load::job_from_str(&yaml).unwrap();
        let Job::Pipeline(mut p) = job else {
            panic!("a pipeline job")
        };
        // As one tree, and streamed: the same text.
        assert_eq!(p.to_yaml(), crate::yaml::emit(&p.to_node()));
        let again = crate::load::job_from_str(&p.to_yaml()).unwrap();
        assert_eq!(again, Job::Pipeline(p.clone()));
        // Written into another folder, relative paths inside the nodes move too.
        p.source_dir = crate::model::SourceDir(Some(dir.path().join("a")));
        let out = dir.path().join("b.yml");
        p.dump(&out).unwrap();
        let written = std::fs::read_to_string(&out).unwrap();
        assert_eq!(
            written.matches("    code: ./a/src\n").count(),
            PARALLEL_ENTRIES + 10
        );
    }
}
