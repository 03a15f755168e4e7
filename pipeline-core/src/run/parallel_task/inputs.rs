//! What a parallel node reads and writes: `input_data` and `append_row_to` as local paths, and
//! the files of `input_data` (a folder, a file, or an MLTable folder).

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use crate::model::{Binding, Segment, Template};

use super::super::copy::walk;
use super::mltable;

/// `${{inputs.x}}` and `${{outputs.y}}` of one node: each input's text (`None` when unset) and
/// each output's path.
pub(super) struct Ports<'a> {
    pub inputs: &'a IndexMap<String, Option<String>>,
    pub outputs: &'a IndexMap<String, String>,
}

/// The template's text with each binding replaced by its path or value, unquoted (a path, not a
/// command); `$[[…]]` parts whose inputs are unset are left out.
pub(super) fn path_text(template: &Template, ports: &Ports<'_>) -> Result<String, String> {
    let mut out = String::new();
    write(&template.segments, ports, &mut out)?;
    Ok(out)
}

fn write(segments: &[Segment], ports: &Ports<'_>, out: &mut String) -> Result<(), String> {
    for segment in segments {
        match segment {
            Segment::Text(t) => out.push_str(t),
            Segment::Expr(b) => match value(b, ports)? {
                Some(v) => out.push_str(&v),
                None => return Err(format!("`{b}` is an optional input left unset; bind it")),
            },
            Segment::Optional(inner) => {
                let mut all_set = true;
                for s in inner {
                    if let Segment::Expr(b) = s {
                        all_set &= value(b, ports)?.is_some();
                    }
                }
                if all_set {
                    write(inner, ports, out)?;
                }
            }
        }
    }
    Ok(())
}

fn value(binding: &Binding, ports: &Ports<'_>) -> Result<Option<String>, String> {
    match binding {
        Binding::Input(name) => ports
            .inputs
            .get(name)
            .cloned()
            .ok_or_else(|| format!("`{binding}` names no input of the node")),
        Binding::Output(name) => ports
            .outputs
            .get(name)
            .cloned()
            .map(Some)
            .ok_or_else(|| format!("`{binding}` names no output of the node")),
        other => Err(format!(
            "`{other}` cannot be resolved on this machine; use `${{{{inputs.…}}}}` or `${{{{outputs.…}}}}`"
        )),
    }
}

/// The output a template names when it is only `${{outputs.x}}`.
pub(super) fn output_named(template: &Template) -> Option<&str> {
    match template.segments.as_slice() {
        [Segment::Expr(Binding::Output(name))] => Some(name),
        _ => None,
    }
}

/// The files of `input_data`, in the order they are split into mini-batches, and notes for the
/// log.
#[derive(Debug, Default)]
pub(super) struct Data {
    pub files: Vec<PathBuf>,
    pub kind: &'static str,
    pub notes: Vec<String>,
}

/// A folder's files (recursively, sorted by path), a single file, or an MLTable's files.
pub(super) fn list(path: &Path) -> Result<Data, String> {
    let shown = path.display();
    if path.is_file() {
        return Ok(Data {
            files: vec![path.to_path_buf()],
            kind: "a file",
            notes: Vec::new(),
        });
    }
    if !path.is_dir() {
        return Err(format!("{shown} does not exist"));
    }
    if path.join("MLTable").is_file() {
        let listed = mltable::files(path)?;
        return Ok(Data {
            files: listed.files,
            kind: "an MLTable",
            notes: listed.note.into_iter().collect(),
        });
    }
    let (files, _) = walk(path).map_err(|e| format!("cannot list {shown}: {e}"))?;
    Ok(Data {
        files: files.into_iter().map(|f| path.join(f)).collect(),
        kind: "a folder",
        notes: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn templates_become_unquoted_paths() {
        let mut inputs = IndexMap::new();
        inputs.insert("images".to_owned(), Some("/data/my images".to_owned()));
        inputs.insert("extra".to_owned(), None);
        let mut outputs = IndexMap::new();
        outputs.insert("scored".to_owned(), "/run/out".to_owned());
        let ports = Ports {
            inputs: &inputs,
            outputs: &outputs,
        };
        let t = Template::parse("${{inputs.images}}");
        assert_eq!(path_text(&t, &ports).unwrap(), "/data/my images");
        let t = Template::parse("${{outputs.scored}}");
        assert_eq!(output_named(&t), Some("scored"));
        let err = path_text(&Template::parse("${{inputs.extra}}"), &ports).unwrap_err();
        assert!(err.contains("left unset"), "{err}");
        let err = path_text(&Template::parse("${{inputs.nope}}"), &ports).unwrap_err();
        assert!(err.contains("names no input"), "{err}");
    }

    #[test]
    fn folders_list_their_files_recursively_and_sorted() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["b.png", "a/z.png", "a.png"] {
            let path = dir.path().join(f);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "x").unwrap();
        }
        let data = list(dir.path()).unwrap();
        let rel: Vec<_> = data
            .files
            .iter()
            .map(|f| f.strip_prefix(dir.path()).unwrap().to_str().unwrap())
            .collect();
        assert_eq!(rel, ["a/z.png", "a.png", "b.png"]);
        let one = list(&dir.path().join("b.png")).unwrap();
        assert_eq!(one.files, [dir.path().join("b.png")]);
        assert!(list(&dir.path().join("nope")).is_err());
    }
}
