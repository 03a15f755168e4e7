//! Loading jobs, components and computes from YAML files, following component references.

use std::fs;
use std::path::{Component as PathPart, Path, PathBuf};
use std::sync::Arc;

pub use crate::classify::{DocumentKind, classify};
use crate::codes::Code;
use crate::convert::{
    Cx, FromNode, Loader, Source, add_source, parse_tree, read_document, read_source, release,
};
use crate::error::{Diagnostic, Error};
use crate::model::{Component, Compute, Job};
use crate::yaml::Node;

/// Any document this crate models.
///
/// ```
/// use pipeline_core::{Compute, Document, load_str};
///
/// let doc = load_str("type: amlcompute\nname: cpu-cluster\nsize: Standard_DS3_v2\n", "cluster.yml").unwrap();
/// let Document::Compute(Compute::Aml(cluster)) = doc else { panic!("a cluster") };
/// assert_eq!(cluster.name, "cpu-cluster");
/// ```
// Nearly every value is a typed variant; boxing them would only add a pointer hop.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    /// A job (`load_job`).
    Job(Job),
    /// A component (`load_component`).
    Component(Component),
    /// A compute (`load_compute`).
    Compute(Compute),
}

fn read(path: &Path) -> Result<String, Error> {
    crate::files::read_text(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })
}

fn dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn finish<T>(loader: Loader, value: Option<T>) -> Result<T, Error> {
    match value {
        Some(v) if loader.diagnostics.is_empty() => Ok(v),
        _ => {
            let mut d = loader.diagnostics;
            if d.is_empty() {
                // Every reader records why it returns None; this is a safety net, not a path.
                d.push(Diagnostic {
                    code: Code::E003,
                    file: PathBuf::from("<unknown>"),
                    line: 0,
                    column: 0,
                    path: String::new(),
                    message: "could not be read".to_owned(),
                    help: None,
                });
            }
            Err(Error::Invalid(d))
        }
    }
}

fn load_file<T: FromNode>(path: &Path, set_dir: impl FnOnce(&mut T, PathBuf)) -> Result<T, Error> {
    load_text_at(&read(path)?, path, set_dir)
}

fn load_text_at<T: FromNode>(
    text: &str,
    path: &Path,
    set_dir: impl FnOnce(&mut T, PathBuf),
) -> Result<T, Error> {
    let dir = dir_of(path);
    let mut loader = Loader::default();
    let mut value = read_document::<T>(&mut loader, text, path, Some(dir.clone()));
    if let Some(v) = value.as_mut() {
        set_dir(v, dir);
    }
    finish(loader, value)
}

fn load_text<T: FromNode>(text: &str, name: &str) -> Result<T, Error> {
    let mut loader = Loader::default();
    let value = read_document::<T>(&mut loader, text, Path::new(name), None);
    finish(loader, value)
}

/// Loads a job (pipeline, command, or another kind kept verbatim) from a YAML file, reading the
/// component files its nodes name, relative to its folder.
///
/// ```
/// use pipeline_core::{Job, load_job};
/// # let dir = std::env::temp_dir().join(format!("pipeline-doc-load-job-{}", std::process::id()));
/// # std::fs::create_dir_all(dir.join("components")).unwrap();
/// # std::fs::write(dir.join("components/train.yml"), "$schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json\nname: train\ncommand: python train.py\nenvironment: azureml:AzureML-sklearn-1.0@latest\n").unwrap();
///
/// std::fs::write(dir.join("pipeline.yml"), "type: pipeline\njobs:\n  train: {component: ./components/train.yml}\n").unwrap();
/// let Job::Pipeline(job) = load_job(dir.join("pipeline.yml")).unwrap() else { panic!() };
/// let train = job.jobs.as_ref().unwrap()["train"].component().unwrap();
/// // The component file was read: what it declares is known.
/// assert_eq!(train.component().unwrap().name(), Some("train"));
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn load_job(path: impl AsRef<Path>) -> Result<Job, Error> {
    load_file(path.as_ref(), |j: &mut Job, d| j.set_source_dir(Some(d)))
}

/// Loads a component from a YAML file.
///
/// ```
/// use pipeline_core::{Component, load_component};
/// # let dir = std::env::temp_dir().join(format!("pipeline-doc-load-component-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
///
/// let path = dir.join("train.yml");
/// std::fs::write(&path, "type: command\nname: train\ncommand: python train.py\nenvironment: azureml:AzureML-sklearn-1.0@latest\n").unwrap();
/// let Component::Command(train) = load_component(&path).unwrap() else { panic!() };
/// assert_eq!(train.name.as_deref(), Some("train"));
/// assert_eq!(train.source_dir.get(), Some(dir.as_path()));
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn load_component(path: impl AsRef<Path>) -> Result<Component, Error> {
    load_file(path.as_ref(), |c: &mut Component, d| {
        c.set_source_dir(Some(d))
    })
}

/// Loads a compute from a YAML file.
///
/// ```
/// use pipeline_core::{Compute, load_compute};
/// # let dir = std::env::temp_dir().join(format!("pipeline-doc-load-compute-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
///
/// let path = dir.join("cluster.yml");
/// std::fs::write(&path, "type: amlcompute\nname: cpu-cluster\nmax_instances: 4\n").unwrap();
/// let Compute::Aml(cluster) = load_compute(&path).unwrap() else { panic!() };
/// assert_eq!(cluster.max_instances, Some(4));
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn load_compute(path: impl AsRef<Path>) -> Result<Compute, Error> {
    load_file(path.as_ref(), |_: &mut Compute, _| {})
}

/// Loads whatever job, component or compute a file holds.
///
/// ```
/// use pipeline_core::{Document, load};
/// # let dir = std::env::temp_dir().join(format!("pipeline-doc-load-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
///
/// let path = dir.join("train.yml");
/// std::fs::write(&path, "type: command\ncommand: python train.py\ncompute: azureml:cpu-cluster\n").unwrap();
/// assert!(matches!(load(&path).unwrap(), Document::Job(_)));
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn load(path: impl AsRef<Path>) -> Result<Document, Error> {
    let path = path.as_ref();
    load_str(&read(path)?, path)
}

/// Reads `text` as though it were the content of the file `path`: diagnostics name `path`, and
/// relative component files are followed from its folder.
///
/// ```
/// use std::path::Path;
/// use pipeline_core::{Code, load_str};
///
/// let text = "type: pipeline\njobs:\n  train: {component: ./missing/train.yml}\n";
/// let err = load_str(text, "no-such-folder/pipeline.yml").unwrap_err();
/// let d = &err.diagnostics()[0];
/// assert_eq!(d.code, Code::E006); // looked for no-such-folder/missing/train.yml
/// assert_eq!((d.file.as_path(), d.line), (Path::new("no-such-folder/pipeline.yml"), 3));
/// ```
pub fn load_str(text: &str, path: impl AsRef<Path>) -> Result<Document, Error> {
    load_with_sources(text, path.as_ref()).0
}

/// A load's result with every file it read (the document's and the component files'), so that
/// diagnostics can show the lines they point at.
pub(crate) fn load_with_sources(
    text: &str,
    path: &Path,
) -> (Result<Document, Error>, Vec<Arc<Source>>) {
    let mut loader = Loader::default();
    let dir = Some(dir_of(path));
    let src = add_source(&mut loader, text, path);
    // A huge pipeline job's nodes are read as they are parsed; anything else as a whole tree.
    let (root, mut nodes) = match crate::stream::pipeline_job(&mut loader, text, path, dir.clone())
    {
        Some(streamed) => (Some(streamed.root), Some(streamed.jobs)),
        None => (parse_tree(&mut loader, text, path), None),
    };
    let document = match root.as_ref().map(|r| (r, classify(r))) {
        None => None,
        Some((root, DocumentKind::Job)) => read_source::<Job>(&mut loader, &src, root, dir.clone())
            .map(|mut j| {
                j.set_source_dir(dir);
                if let (Job::Pipeline(p), Some(nodes)) = (&mut j, nodes.take()) {
                    p.jobs = Some(nodes);
                }
                Document::Job(j)
            }),
        Some((root, DocumentKind::Component)) => {
            read_source::<Component>(&mut loader, &src, root, dir.clone()).map(|mut c| {
                c.set_source_dir(dir);
                Document::Component(c)
            })
        }
        Some((root, DocumentKind::Compute)) => {
            read_source::<Compute>(&mut loader, &src, root, dir).map(Document::Compute)
        }
        Some((root, DocumentKind::Unsupported(what))) => {
            let span = root.span;
            loader.diagnostics.push(Diagnostic {
                code: Code::E007,
                file: path.to_path_buf(),
                line: span.line,
                column: span.column,
                path: String::new(),
                message: format!("not a job, component or compute ({what})"),
                help: Some(
                    "pipeline reads pipeline and command jobs, components and computes; set `$schema` to say which"
                        .to_owned(),
                ),
            });
            None
        }
    };
    release(root, text.len());
    let sources = std::mem::take(&mut loader.sources);
    (finish(loader, document), sources)
}

/// Reads a job from YAML text. Component files are not followed (there is no folder to follow
/// them from): use [`load_job`] for that.
///
/// ```
/// use pipeline_core::{Job, job_from_str};
///
/// let job = job_from_str("type: command\ncommand: python train.py --lr ${{inputs.lr}}\ninputs: {lr: 0.01}\ncompute: azureml:cpu-cluster\n").unwrap();
/// let Job::Command(job) = job else { panic!() };
/// assert_eq!(job.compute.unwrap().to_string(), "azureml:cpu-cluster");
/// assert_eq!(job.inputs.unwrap().len(), 1);
/// ```
pub fn job_from_str(text: &str) -> Result<Job, Error> {
    load_text(text, "<memory>")
}

/// Reads a component from YAML text.
///
/// ```
/// use pipeline_core::{Component, component_from_str};
///
/// let yaml = "type: command\nname: prep_data\nversion: '1'\ncommand: python prep.py\nenvironment: azureml:AzureML-sklearn-1.0@latest\n";
/// let component = component_from_str(yaml).unwrap();
/// assert!(matches!(&component, Component::Command(c) if c.version.as_deref() == Some("1")));
/// assert_eq!(component.name(), Some("prep_data"));
/// ```
pub fn component_from_str(text: &str) -> Result<Component, Error> {
    load_text(text, "<memory>")
}

/// Reads a compute from YAML text.
///
/// ```
/// use pipeline_core::{Compute, compute_from_str};
///
/// let compute = compute_from_str("type: computeinstance\nname: ci-alice\nsize: STANDARD_DS3_v2\n").unwrap();
/// let Compute::Instance(ci) = compute else { panic!() };
/// assert_eq!((ci.name.as_str(), ci.size.as_deref()), ("ci-alice", Some("STANDARD_DS3_v2")));
/// ```
pub fn compute_from_str(text: &str) -> Result<Compute, Error> {
    load_text(text, "<memory>")
}

/// `.` and `..` removed without touching the file system (which may not hold the path yet).
///
/// A `..` cancels the folder name before it, never another `..`: a relative path keeps every
/// leading `..` it cannot cancel (`../../x` stays so), and at the root `..` is the root itself.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            PathPart::CurDir => {}
            PathPart::ParentDir => match out.components().next_back() {
                Some(PathPart::Normal(_)) => {
                    out.pop();
                }
                // `/..` is `/` (and `C:\..` is `C:\`).
                Some(PathPart::RootDir | PathPart::Prefix(_)) => {}
                // Nothing left to cancel: the path climbs above where it started.
                Some(PathPart::ParentDir | PathPart::CurDir) | None => out.push(".."),
            },
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// Reads the component file a node names, once per load however many nodes name it.
/// `Some(None)`: not followed (no folder to follow from); `None`: an error was recorded.
pub(crate) fn component_file(
    cx: &mut Cx<'_>,
    reference: &str,
    node: &Node,
) -> Option<Option<Arc<Component>>> {
    let Some(dir) = cx.dir.clone() else {
        return Some(None);
    };
    let display = normalize(&dir.join(reference));
    let Ok(key) = fs::canonicalize(&display) else {
        cx.error(
            Code::E006,
            node.span,
            format!(
                "component file `{reference}` not found (looked for {})",
                display.display()
            ),
            Some(
                "a component path is relative to the folder of the YAML file that names it"
                    .to_owned(),
            ),
        );
        return None;
    };
    if let Some(c) = cx.loader.components.get(&key) {
        return Some(Some(Arc::clone(c)));
    }
    if cx.loader.reading.contains(&key) {
        cx.error(
            Code::E006,
            node.span,
            format!("component file `{reference}` names itself, directly or through other files"),
            None,
        );
        return None;
    }
    let text = match crate::files::read_text(&key) {
        Ok(t) => t,
        Err(e) => {
            cx.error(
                Code::E006,
                node.span,
                format!("cannot read component file `{reference}`: {e}"),
                None,
            );
            return None;
        }
    };
    cx.loader.reading.push(key.clone());
    let sub_dir = dir_of(&display);
    let mut component =
        read_document::<Component>(cx.loader, &text, &display, Some(sub_dir.clone()));
    cx.loader.reading.pop();
    let Some(component) = component.as_mut() else {
        cx.error(
            Code::E006,
            node.span,
            format!("component file `{reference}` is not valid (see the errors in it)"),
            Some("fix the errors reported in that file".to_owned()),
        );
        return None;
    };
    component.set_source_dir(Some(sub_dir));
    let component = Arc::new(component.clone());
    cx.loader.components.insert(key, Arc::clone(&component));
    Some(Some(component))
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use std::path::Path;

    fn n(path: &str) -> String {
        normalize(Path::new(path)).display().to_string()
    }

    #[test]
    fn leading_parent_folders_all_survive() {
        // The reported shape: `a/b/c/p.yml` naming `../../../comp.yml`, and deeper.
        assert_eq!(n("a/b/c/../../../comp.yml"), "comp.yml");
        assert_eq!(n("a/b/c/../../../../comp.yml"), "../comp.yml");
        assert_eq!(n("../../../comp.yml"), "../../../comp.yml");
        assert_eq!(n("./../../../comp.yml"), "../../../comp.yml");
        assert_eq!(n("../.././../x/./y"), "../../../x/y");
        assert_eq!(n("../a/../../b"), "../../b");
        assert_eq!(n("a/../../b/../../c"), "../../c");
        for depth in 1..8 {
            let ups = "../".repeat(depth);
            assert_eq!(n(&format!("{ups}comp.yml")), format!("{ups}comp.yml"));
            assert_eq!(n(&format!("./{ups}./comp.yml")), format!("{ups}comp.yml"));
            let down = "d/".repeat(depth);
            assert_eq!(n(&format!("{down}{ups}comp.yml")), "comp.yml");
            assert_eq!(
                n(&format!("{down}{ups}{ups}comp.yml")),
                format!("{ups}comp.yml")
            );
        }
    }

    #[test]
    fn current_folders_vanish_and_nothing_is_dot() {
        assert_eq!(n("./a/./b/."), "a/b");
        assert_eq!(n("."), ".");
        assert_eq!(n("./"), ".");
        assert_eq!(n("a/.."), ".");
        assert_eq!(n(""), ".");
        assert_eq!(n(".."), "..");
        assert_eq!(n("../"), "..");
    }

    #[test]
    fn absolute_paths_stop_at_the_root() {
        assert_eq!(n("/w/a/b/../../c"), "/w/c");
        assert_eq!(n("/w/../../../c"), "/c");
        assert_eq!(n("/.."), "/");
        assert_eq!(n("/./a/./../b/"), "/b");
    }
}
