//! What a parallel node reads: the files of `input_data` (a folder, a file, or an MLTable
//! folder), and the output `append_row_to` names.

use std::path::{Path, PathBuf};

use crate::model::{Binding, Segment, Template};

use super::super::copy::{Take, walk};
use super::mltable;

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
    let files = walk(path, Take::All)
        .map_err(|e| format!("cannot list {shown}: {e}"))?
        .files;
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
    fn append_row_to_names_an_output_only_when_it_is_one_binding() {
        assert_eq!(
            output_named(&Template::parse("${{outputs.scored}}")),
            Some("scored")
        );
        assert_eq!(
            output_named(&Template::parse("${{outputs.scored}}/x")),
            None
        );
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
