//! Copies of folders: a node's code into its run (so a run never writes into the user's sources),
//! and an earlier run's outputs into a node that reuses them.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Folders that are never part of a node's code: version control and Python's caches.
const SKIPPED: [&str; 3] = [".git", "__pycache__", ".pipeline"];

/// The files under `root` (or `root` itself when it is a file), sorted, with the folders to
/// create, as paths relative to `root`. Symbolic links are followed.
pub(crate) fn walk(root: &Path) -> io::Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    if root.is_file() {
        files.push(PathBuf::new());
        return Ok((files, dirs));
    }
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let mut entries: Vec<_> = fs::read_dir(root.join(&rel))?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries.into_iter().rev() {
            let name = entry.file_name();
            if SKIPPED.iter().any(|s| name == *s) {
                continue;
            }
            let path = rel.join(&name);
            if fs::metadata(entry.path())?.is_dir() {
                dirs.push(path.clone());
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    dirs.sort();
    Ok((files, dirs))
}

/// Copies `from` (a folder or a file) to `to`.
pub(crate) fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    transfer(from, to, |a, b| fs::copy(a, b).map(drop))
}

/// Gives `to` the files of `from` as hard links (copies where links cannot be made, across
/// file systems): reused outputs cost no space.
pub(crate) fn link_tree(from: &Path, to: &Path) -> io::Result<()> {
    transfer(from, to, |a, b| {
        fs::hard_link(a, b).or_else(|_| fs::copy(a, b).map(drop))
    })
}

fn transfer(
    from: &Path,
    to: &Path,
    file: impl Fn(&Path, &Path) -> io::Result<()>,
) -> io::Result<()> {
    if from.is_file() {
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent)?;
        }
        return file(from, to);
    }
    let (files, dirs) = walk(from)?;
    fs::create_dir_all(to)?;
    for d in dirs {
        fs::create_dir_all(to.join(d))?;
    }
    for f in files {
        file(&from.join(&f), &to.join(&f))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_skip_caches_and_keep_the_tree() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        fs::create_dir_all(src.join("pkg/__pycache__")).unwrap();
        fs::create_dir_all(src.join(".git")).unwrap();
        fs::write(src.join("main.py"), "print(1)").unwrap();
        fs::write(src.join("pkg/util.py"), "x = 1").unwrap();
        fs::write(src.join("pkg/__pycache__/util.pyc"), "").unwrap();
        let (files, _) = walk(&src).unwrap();
        assert_eq!(
            files,
            [PathBuf::from("main.py"), PathBuf::from("pkg/util.py")]
        );
        copy_tree(&src, &dir.path().join("copy")).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("copy/pkg/util.py")).unwrap(),
            "x = 1"
        );
        link_tree(&src, &dir.path().join("linked")).unwrap();
        assert!(dir.path().join("linked/main.py").is_file());
        assert!(!dir.path().join("linked/.git").exists());
    }
}
