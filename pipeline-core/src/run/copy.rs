//! Copies of folders: a node's code into its run (so a run never writes into the user's sources),
//! an input into the node that reads it, and an earlier run's outputs into a node that reuses
//! them. Always copies (the file system may share the blocks: a reflink), never hard links: a
//! node that writes what it was given must not change the run it came from.
//!
//! Only regular files and folders are read: a FIFO, a device or a socket (or a link to one) would
//! block a read forever or never end, so each is skipped and said.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::files::special;

/// Folders that are never part of a node's code: version control and Python's caches.
const SKIPPED: [&str; 3] = [".git", "__pycache__", ".pipeline"];

/// A folder's content, as paths relative to its root.
#[derive(Debug, Default)]
pub(crate) struct Tree {
    /// The regular files, sorted (one empty path when the root is itself a file).
    pub files: Vec<PathBuf>,
    /// The folders to create, sorted.
    pub dirs: Vec<PathBuf>,
    /// What was left out, and why (`a FIFO`, `a device`, `a link that leads nowhere`).
    pub skipped: Vec<(PathBuf, &'static str)>,
    /// Links that lead out of the folder, and where: what they name is taken all the same.
    pub outside: Vec<(PathBuf, PathBuf)>,
}

/// Which files of a folder are taken.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Take {
    /// All (data).
    All,
    /// A node's code, as Azure ML snapshots it: less what the root's `.amlignore` names, or its
    /// `.gitignore` when it has no `.amlignore` (azure-ai-ml's `get_ignore_file`).
    Code,
}

/// The root's ignore file as Azure ML reads it, if it has one.
fn ignore_file(root: &Path) -> Option<ignore::gitignore::Gitignore> {
    let file = [".amlignore", ".gitignore"]
        .iter()
        .map(|name| root.join(name))
        .find(|p| p.is_file())?;
    let mut builder = ignore::gitignore::GitignoreBuilder::new(root);
    // A line it cannot read is left out, as git leaves it.
    let _ = builder.add(file);
    builder.build().ok()
}

/// The files under `root` (or `root` itself when it is a file). Symbolic links are followed; a
/// link to something special, or that leads nowhere, is skipped and said.
pub(crate) fn walk(root: &Path, take: Take) -> io::Result<Tree> {
    let mut tree = Tree::default();
    let ignored = match take {
        Take::Code => ignore_file(root),
        Take::All => None,
    };
    let meta = fs::metadata(root)?;
    if let Some(what) = special(&meta.file_type()) {
        return Err(io::Error::other(format!(
            "{} is {what}, not a file or folder",
            root.display()
        )));
    }
    if meta.is_file() {
        tree.files.push(PathBuf::new());
        return Ok(tree);
    }
    let canonical_root = fs::canonicalize(root)?;
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
            if let Some(ignored) = &ignored
                && ignored
                    .matched_path_or_any_parents(&path, entry.path().is_dir())
                    .is_ignore()
            {
                continue;
            }
            let meta = match fs::metadata(entry.path()) {
                Ok(m) => m,
                Err(_) => {
                    tree.skipped.push((path, "a link that leads nowhere"));
                    continue;
                }
            };
            if let Some(what) = special(&meta.file_type()) {
                tree.skipped.push((path, what));
                continue;
            }
            if entry.file_type()?.is_symlink() {
                let target = fs::canonicalize(entry.path())?;
                // A link to a folder above this one would be walked forever.
                if meta.is_dir() && canonical_root.starts_with(&target) {
                    tree.skipped
                        .push((path, "a link to a folder that holds it"));
                    continue;
                }
                if !target.starts_with(&canonical_root) {
                    tree.outside.push((path.clone(), target));
                }
            }
            if meta.is_dir() {
                tree.dirs.push(path.clone());
                stack.push(path);
            } else {
                tree.files.push(path);
            }
        }
    }
    tree.files.sort();
    tree.dirs.sort();
    Ok(tree)
}

/// The error a copy or hash returns when the run is canceled part way.
pub(crate) fn canceled() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "canceled")
}

/// Copies `from` (a folder or a file) to `to`, checking `cancel` between files; returns what was
/// skipped.
pub(crate) fn copy_tree(
    from: &Path,
    to: &Path,
    take: Take,
    cancel: &AtomicBool,
) -> io::Result<Tree> {
    let tree = walk(from, take)?;
    if tree.files.len() == 1 && tree.files[0].as_os_str().is_empty() {
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::copy(from, to)?;
        return Ok(tree);
    }
    fs::create_dir_all(to)?;
    for d in &tree.dirs {
        fs::create_dir_all(to.join(d))?;
    }
    for f in &tree.files {
        if cancel.load(Ordering::SeqCst) {
            return Err(canceled());
        }
        fs::copy(from.join(f), to.join(f))?;
    }
    Ok(tree)
}

/// Makes everything under `root` read-only (files 0444, folders 0555), or writable again by its
/// owner.
pub(crate) fn set_read_only(root: &Path, read_only: bool) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let meta = fs::symlink_metadata(root)?;
    if meta.is_dir() {
        // Writable first, to read inside; read-only last, once the content is done.
        if !read_only {
            fs::set_permissions(root, fs::Permissions::from_mode(0o755))?;
        }
        for entry in fs::read_dir(root)? {
            set_read_only(&entry?.path(), read_only)?;
        }
        if read_only {
            fs::set_permissions(root, fs::Permissions::from_mode(0o555))?;
        }
    } else if meta.is_file() {
        let mode = if read_only { 0o444 } else { 0o644 };
        fs::set_permissions(root, fs::Permissions::from_mode(mode))?;
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
        let tree = walk(&src, Take::All).unwrap();
        assert_eq!(
            tree.files,
            [PathBuf::from("main.py"), PathBuf::from("pkg/util.py")]
        );
        let never = AtomicBool::new(false);
        copy_tree(&src, &dir.path().join("copy"), Take::All, &never).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("copy/pkg/util.py")).unwrap(),
            "x = 1"
        );
        assert!(!dir.path().join("copy/.git").exists());
    }

    #[test]
    fn a_copy_shares_nothing_with_what_it_copies() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("out");
        fs::create_dir_all(&src).unwrap();
        fs::write(src.join("rows.csv"), "a\n").unwrap();
        copy_tree(
            &src,
            &dir.path().join("copy"),
            Take::All,
            &AtomicBool::new(false),
        )
        .unwrap();
        let (a, b) = (
            fs::metadata(src.join("rows.csv")).unwrap(),
            fs::metadata(dir.path().join("copy/rows.csv")).unwrap(),
        );
        assert_ne!(a.ino(), b.ino());
        fs::write(dir.path().join("copy/rows.csv"), "a\nb\n").unwrap();
        assert_eq!(fs::read_to_string(src.join("rows.csv")).unwrap(), "a\n");
    }

    #[test]
    fn fifos_devices_and_loops_are_skipped_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("code");
        fs::create_dir_all(&src).unwrap();
        fs::write(src.join("main.py"), "").unwrap();
        let fifo = std::ffi::CString::new(src.join("pipe").to_str().unwrap()).unwrap();
        // SAFETY: a C string that outlives the call.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        std::os::unix::fs::symlink("/dev/zero", src.join("zero")).unwrap();
        std::os::unix::fs::symlink(&src, src.join("loop")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone"), src.join("dangling")).unwrap();
        let tree = walk(&src, Take::All).unwrap();
        assert_eq!(tree.files, [PathBuf::from("main.py")]);
        let skipped: Vec<(String, &str)> = tree
            .skipped
            .iter()
            .map(|(p, w)| (p.display().to_string(), *w))
            .collect();
        assert_eq!(
            skipped,
            [
                ("zero".to_owned(), "a device"),
                ("pipe".to_owned(), "a FIFO"),
                ("loop".to_owned(), "a link to a folder that holds it"),
                ("dangling".to_owned(), "a link that leads nowhere"),
            ]
        );
    }

    #[test]
    fn a_canceled_copy_stops() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("d");
        fs::create_dir_all(&src).unwrap();
        fs::write(src.join("a"), "").unwrap();
        let err = copy_tree(
            &src,
            &dir.path().join("c"),
            Take::All,
            &AtomicBool::new(true),
        )
        .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::Interrupted);
    }

    #[test]
    fn code_is_taken_as_azure_ml_snapshots_it() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        fs::create_dir_all(src.join("data")).unwrap();
        fs::create_dir_all(src.join("pkg")).unwrap();
        for f in ["main.py", "data/big.csv", "pkg/util.py", "notes.tmp"] {
            fs::write(src.join(f), "x").unwrap();
        }
        fs::write(src.join(".gitignore"), "*.tmp\n").unwrap();
        let files = |take| walk(&src, take).unwrap().files;
        assert_eq!(files(Take::All).len(), 5);
        // .gitignore, when there is no .amlignore…
        assert!(!files(Take::Code).contains(&PathBuf::from("notes.tmp")));
        assert!(files(Take::Code).contains(&PathBuf::from("data/big.csv")));
        // …and .amlignore instead of it when there is one.
        fs::write(src.join(".amlignore"), "data/\n").unwrap();
        let code = files(Take::Code);
        assert!(code.contains(&PathBuf::from("notes.tmp")));
        assert!(!code.contains(&PathBuf::from("data/big.csv")));
        assert!(code.contains(&PathBuf::from("pkg/util.py")));
        // A link out of the folder is taken, and said.
        let outside = dir.path().join("shared.py");
        fs::write(&outside, "y").unwrap();
        std::os::unix::fs::symlink(&outside, src.join("shared.py")).unwrap();
        let tree = walk(&src, Take::Code).unwrap();
        assert!(tree.files.contains(&PathBuf::from("shared.py")));
        assert_eq!(tree.outside.len(), 1);
    }

    #[test]
    fn read_only_and_back() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("in");
        fs::create_dir_all(root.join("sub")).unwrap();
        fs::write(root.join("sub/f"), "x").unwrap();
        set_read_only(&root, true).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&root.join("sub/f")), 0o444);
        assert_eq!(mode(&root.join("sub")), 0o555);
        set_read_only(&root, false).unwrap();
        assert_eq!(mode(&root.join("sub/f")), 0o644);
        fs::remove_dir_all(&root).unwrap();
    }
}
