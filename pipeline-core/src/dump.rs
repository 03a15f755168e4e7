//! Writing models as YAML: to text, to any writer, or to a file (atomically, never half-written).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::convert::ToNode;
use crate::error::Error;
use crate::load::{Document, normalize};
use crate::model::{
    AmlCompute, CommandComponent, CommandJob, Component, Compute, ComputeInstance, DataPath, Job,
    ParallelComponent, PipelineComponent, PipelineJob,
};
use crate::yaml::{Node, Value};

/// Where [`Yaml::dump`] writes.
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
pub trait Yaml {
    /// The canonical YAML text: `$schema` first, then `type`, then the SDK's order, unknown keys
    /// last; strings that a YAML 1.1 reader would take for something else are quoted.
    fn to_yaml(&self) -> String;

    /// Writes the YAML, as the SDK's `dump` does: to a writer, or to a file path that must not
    /// exist yet. A file is written to a temporary file beside it and renamed into place, so it
    /// is never left half-written; relative paths in the model (`code`, `path`, component
    /// files…) are rewritten to stay correct from the new file's folder.
    fn dump<'a>(&self, dest: impl Into<Dest<'a>>) -> Result<(), Error>;

    /// Like [`Yaml::dump`] to a path, but replaces a file that is already there (atomically).
    fn dump_replacing(&self, path: &Path) -> Result<(), Error>;
}

/// The rendered tree, its relative paths rebased from `source` to the folder of `dest`.
fn rebased(node: Node, source: Option<&Path>, dest: &Path) -> Node {
    let Some(source) = source else { return node };
    let to_dir = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (Ok(from), Ok(to)) = (std::path::absolute(source), std::path::absolute(&to_dir)) else {
        return node;
    };
    let (from, to) = (normalize(&from), normalize(&to));
    if from == to {
        return node;
    }
    let mut node = node;
    rebase_tree(&mut node, &from, &to);
    node
}

/// Keys whose string values are paths relative to the YAML file.
const PATH_KEYS: &[&str] = &[
    "code",
    "path",
    "conda_file",
    "component",
    "environment",
    "additional_includes",
];

fn rebase_tree(node: &mut Node, from: &Path, to: &Path) {
    match &mut node.value {
        Value::Map(m) => {
            for (k, v) in m.iter_mut() {
                let is_path_key = k.as_str().is_some_and(|k| PATH_KEYS.contains(&k));
                match &mut v.value {
                    Value::Str(s) if is_path_key => *s = rebase_one(s, from, to),
                    Value::Seq(items) if is_path_key => {
                        for item in items {
                            if let Value::Str(s) = &mut item.value {
                                *s = rebase_one(s, from, to);
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

/// `./src` seen from `from` → the same folder seen from `to`. Only local relative paths change.
fn rebase_one(value: &str, from: &Path, to: &Path) -> String {
    let (prefix, path) = match value.strip_prefix("file:") {
        Some(rest) => ("file:", rest),
        None => ("", value),
    };
    let is_local = !path.is_empty()
        && DataPath::parse(path).as_local().is_some()
        && !Path::new(path).is_absolute();
    // `environment: name` without `file:` is an asset name, not a path.
    if !is_local || (prefix.is_empty() && looks_like_name(path)) {
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

/// A bare word (`cpu-env`) rather than a path (`./x`, `src`, `a/b`, `env.yml`): kept as is.
fn looks_like_name(s: &str) -> bool {
    s.starts_with('<') || (s.contains(' ') && !s.contains('/'))
}

fn relative_to(target: &Path, base: &Path) -> PathBuf {
    let t: Vec<_> = target.components().collect();
    let b: Vec<_> = base.components().collect();
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

fn write_file(path: &Path, text: &str, replace: bool) -> Result<(), Error> {
    let write_err = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    if !replace && path.exists() {
        return Err(Error::AlreadyExists {
            path: path.to_path_buf(),
        });
    }
    let dir = match path.parent() {
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
    tmp.as_file().sync_all().map_err(write_err)?;
    if replace {
        tmp.persist(path).map_err(|e| write_err(e.error))?;
    } else {
        tmp.persist_noclobber(path)
            .map_err(|e| match e.error.kind() {
                std::io::ErrorKind::AlreadyExists => Error::AlreadyExists {
                    path: path.to_path_buf(),
                },
                _ => write_err(e.error),
            })?;
    }
    Ok(())
}

/// The text of a tree that is then freed (on another thread, for a huge one).
fn emit_and_release(node: Node) -> String {
    let text = crate::yaml::emit(&node);
    crate::convert::release(Some(node), text.len());
    text
}

fn dump_node(node: Node, source: Option<&Path>, dest: Dest<'_>) -> Result<(), Error> {
    match dest {
        Dest::Writer(w) => w
            .write_all(crate::yaml::emit(&node).as_bytes())
            .map_err(|source| Error::Write {
                path: PathBuf::from("<writer>"),
                source,
            }),
        Dest::Path(p) => write_file(p, &crate::yaml::emit(&rebased(node, source, p)), false),
    }
}

macro_rules! impl_yaml {
    ($($ty:ty => |$s:ident| $source:expr;)*) => {$(
        impl Yaml for $ty {
            fn to_yaml(&self) -> String {
                emit_and_release(self.to_node())
            }

            fn dump<'a>(&self, dest: impl Into<Dest<'a>>) -> Result<(), Error> {
                let $s = self;
                dump_node(self.to_node(), $source, dest.into())
            }

            fn dump_replacing(&self, path: &Path) -> Result<(), Error> {
                let $s = self;
                write_file(path, &crate::yaml::emit(&rebased(self.to_node(), $source, path)), true)
            }
        }
    )*};
}

impl_yaml! {
    PipelineJob => |s| s.source_dir.get();
    CommandJob => |s| s.source_dir.get();
    CommandComponent => |s| s.source_dir.get();
    ParallelComponent => |s| s.source_dir.get();
    PipelineComponent => |s| s.source_dir.get();
    ComputeInstance => |_s| None;
    AmlCompute => |_s| None;
    Compute => |_s| None;
    Job => |s| match s {
        Job::Pipeline(j) => j.source_dir.get(),
        Job::Command(j) => j.source_dir.get(),
        Job::Other(_) => None,
    };
    Component => |s| match s {
        Component::Command(c) => c.source_dir.get(),
        Component::Parallel(c) => c.source_dir.get(),
        Component::Pipeline(c) => c.source_dir.get(),
        Component::Other(_) => None,
    };
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
}
