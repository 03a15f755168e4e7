//! The files an `MLTable` folder stands for: its `paths:` (`file:`, `folder:`, `pattern:`), each
//! relative to the folder. Its transformations (`read_delimited`, …) are not applied: a parallel
//! node run here gets the files' paths, as it does for a folder.

use std::path::{Path, PathBuf};

use crate::load::normalize;
use crate::yaml::{self, Node};

use super::super::copy::{Take, walk};

/// What an MLTable lists: its files in order (each once), and a note for the log, if any.
#[derive(Debug, Default)]
pub(super) struct Listed {
    pub files: Vec<PathBuf>,
    pub note: Option<String>,
}

/// The files listed by `<folder>/MLTable`.
pub(super) fn files(folder: &Path) -> Result<Listed, String> {
    let file = folder.join("MLTable");
    let shown = file.display();
    let text = std::fs::read_to_string(&file).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let doc = yaml::parse(&text).map_err(|e| {
        format!(
            "{shown} is not valid YAML: line {}: {}",
            e.span.line, e.message
        )
    })?;
    let not_understood = |why: &str| {
        format!(
            "{shown}: {why}; a local MLTable lists its data under `paths:` as `- file: …`, `- folder: …` or `- pattern: …`"
        )
    };
    let map = doc
        .as_map()
        .ok_or_else(|| not_understood("not a mapping"))?;
    let entries = match map.get("paths").map(|p| &p.value) {
        Some(yaml::Value::Seq(entries)) => entries,
        _ => return Err(not_understood("no `paths:` list")),
    };
    let mut listed = Listed::default();
    for entry in entries {
        let (kind, value) = one_entry(entry).ok_or_else(|| {
            not_understood("a `paths:` entry is not one of `file:`, `folder:`, `pattern:`")
        })?;
        let local = local_path(value).ok_or_else(|| {
            format!(
                "{shown}: `{kind}: {value}` is not on this machine; point it at a local path (relative to the MLTable's folder)"
            )
        })?;
        let found = match kind {
            "file" => {
                let path = normalize(&folder.join(local));
                if !path.is_file() {
                    return Err(format!("{shown}: file {} does not exist", path.display()));
                }
                vec![path]
            }
            "folder" => {
                let path = normalize(&folder.join(local));
                let rel = walk(&path, Take::All)
                    .map_err(|e| format!("{shown}: cannot list folder {}: {e}", path.display()))?
                    .files;
                rel.into_iter().map(|r| path.join(r)).collect()
            }
            _ => matching(folder, local)
                .map_err(|e| format!("{shown}: cannot list `pattern: {value}`: {e}"))?,
        };
        for path in found {
            // The MLTable file describes the data; it is not part of it.
            if path != file && !listed.files.contains(&path) {
                listed.files.push(path);
            }
        }
    }
    if map.get("transformations").is_some() {
        listed.note = Some(format!(
            "{shown}: its transformations are not applied locally; run() gets the files' paths"
        ));
    }
    Ok(listed)
}

/// `("pattern", "./*.csv")` from `{pattern: ./*.csv}`.
fn one_entry(entry: &Node) -> Option<(&'static str, &str)> {
    let map = entry.as_map()?;
    if map.len() != 1 {
        return None;
    }
    ["file", "folder", "pattern"]
        .into_iter()
        .find_map(|kind| Some((kind, map.get(kind)?.as_str()?)))
}

/// The local path of an MLTable path: `./a.csv`, `/data/a.csv`, `file:///data/a.csv`; `None`
/// for a remote one (`azureml://`, `https://`, `wasbs://`, …).
fn local_path(value: &str) -> Option<&str> {
    if let Some(rest) = value.strip_prefix("file://") {
        return Some(rest);
    }
    if let Some(rest) = value.strip_prefix("file:") {
        return Some(rest);
    }
    (!value.contains("://")).then_some(value)
}

/// The files under `folder` whose path matches the glob `pattern` (relative to `folder`, or
/// absolute), sorted.
fn matching(folder: &Path, pattern: &str) -> std::io::Result<Vec<PathBuf>> {
    let parts: Vec<&str> = pattern
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    // Walk only from the part of the pattern that has no wildcard.
    let fixed = parts.iter().take_while(|p| !is_glob(p)).count();
    let mut base = if pattern.starts_with('/') {
        PathBuf::from("/")
    } else {
        folder.to_path_buf()
    };
    base.extend(&parts[..fixed]);
    let base = normalize(&base);
    let rest = &parts[fixed..];
    if rest.is_empty() {
        return Ok(if base.is_file() {
            vec![base]
        } else {
            Vec::new()
        });
    }
    if !base.is_dir() {
        return Ok(Vec::new());
    }
    let files = walk(&base, Take::All)?.files;
    Ok(files
        .into_iter()
        .filter(|rel| {
            let names: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            path_matches(rest, &names)
        })
        .map(|rel| base.join(rel))
        .collect())
}

fn is_glob(part: &str) -> bool {
    part.contains(['*', '?', '['])
}

/// Whether the path `names` matches the pattern `parts`, part by part; `**` stands for any
/// number of folders.
fn path_matches(parts: &[&str], names: &[&str]) -> bool {
    match parts.split_first() {
        None => names.is_empty(),
        Some((&"**", rest)) => (0..=names.len()).any(|skip| path_matches(rest, &names[skip..])),
        Some((part, rest)) => match names.split_first() {
            Some((name, names)) => name_matches(part, name) && path_matches(rest, names),
            None => false,
        },
    }
}

/// Whether one file or folder name matches a glob part: `*`, `?`, `[abc]`, `[a-z]`, `[!a]`.
fn name_matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Backtracking over the last `*` only: linear enough for file names.
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        let step = match p.get(pi) {
            Some('*') => {
                star = Some((pi, ni));
                pi += 1;
                continue;
            }
            Some('?') => Some(1),
            // A `[` without its `]` is taken as itself.
            Some('[') => class_matches(&p[pi..], n[ni]).or((n[ni] == '[').then_some(1)),
            Some(c) if *c == n[ni] => Some(1),
            _ => None,
        };
        match step {
            Some(len) if len > 0 => {
                pi += len;
                ni += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    pi = sp + 1;
                    ni = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// For a `[…]` class at the start of `p`: its length when it matches `c`, `Some(0)` when it does
/// not, `None` when it has no `]`.
fn class_matches(p: &[char], c: char) -> Option<usize> {
    let close = p.iter().skip(2).position(|x| *x == ']').map(|i| i + 2)?;
    let mut body = &p[1..close];
    let negated = matches!(body.first(), Some('!' | '^'));
    if negated {
        body = &body[1..];
    }
    let mut hit = false;
    let mut i = 0;
    while i < body.len() {
        if i + 2 < body.len() && body[i + 1] == '-' {
            hit |= body[i] <= c && c <= body[i + 2];
            i += 3;
        } else {
            hit |= body[i] == c;
            i += 1;
        }
    }
    Some(if hit != negated { close + 1 } else { 0 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn names_match_globs() {
        assert!(name_matches("*.csv", "a.csv"));
        assert!(name_matches("*.csv", ".csv"));
        assert!(!name_matches("*.csv", "a.csv.bak"));
        assert!(name_matches("part-?.csv", "part-1.csv"));
        assert!(!name_matches("part-?.csv", "part-12.csv"));
        assert!(name_matches("part-[0-3]*", "part-2x"));
        assert!(!name_matches("part-[!0-3]*", "part-2x"));
        assert!(name_matches("a*b*c", "aXbYbZc"));
        assert!(name_matches("[abc]", "b"));
        assert!(name_matches("x[", "x["));
    }

    #[test]
    fn double_stars_cross_folders() {
        let p = ["**", "*.png"];
        assert!(path_matches(&p, &["a.png"]));
        assert!(path_matches(&p, &["x", "y", "a.png"]));
        assert!(!path_matches(&p, &["x", "a.jpg"]));
        assert!(!path_matches(&["*.png"], &["x", "a.png"]));
    }

    #[test]
    fn paths_are_files_folders_and_patterns() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "a.csv",
            "b.csv",
            "c.txt",
            "sub/d.csv",
            "sub/deep/e.csv",
            "more/f.bin",
        ] {
            let path = root.join(f);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, f).unwrap();
        }
        fs::write(
            root.join("MLTable"),
            "type: mltable\npaths:\n  - file: ./c.txt\n  - pattern: ./*.csv\n  - folder: more\n  - pattern: sub/**/*.csv\n  - file: a.csv\ntransformations:\n  - read_delimited: {delimiter: ','}\n",
        )
        .unwrap();
        let listed = files(root).unwrap();
        let rel: Vec<_> = listed
            .files
            .iter()
            .map(|f| f.strip_prefix(root).unwrap().to_str().unwrap())
            .collect();
        assert_eq!(
            rel,
            [
                "c.txt",
                "a.csv",
                "b.csv",
                "more/f.bin",
                "sub/d.csv",
                "sub/deep/e.csv"
            ]
        );
        assert!(listed.note.unwrap().contains("not applied locally"));
    }

    #[test]
    fn an_mltable_not_understood_names_its_file() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("MLTable"), "paths:\n  - url: x\n").unwrap();
        let err = files(dir.path()).unwrap_err();
        assert!(err.contains("MLTable: a `paths:` entry"), "{err}");
        fs::write(
            dir.path().join("MLTable"),
            "paths:\n  - folder: azureml://datastores/x/paths/y\n",
        )
        .unwrap();
        let err = files(dir.path()).unwrap_err();
        assert!(err.contains("is not on this machine"), "{err}");
        fs::write(dir.path().join("MLTable"), "type: mltable\n").unwrap();
        let err = files(dir.path()).unwrap_err();
        assert!(err.contains("no `paths:` list"), "{err}");
    }
}
