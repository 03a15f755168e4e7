//! Reuse, as Azure ML does it: a node whose component, command, code and inputs (content and
//! values) are unchanged takes the outputs of the run that last completed it.
//!
//! The key is a SHA-256 of all of that; `.pipeline/cache/<key>` names the earlier node's outputs
//! folder. An entry is written only once its node has completed, so after a crash a rerun reuses
//! exactly what completed.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use std::sync::atomic::{AtomicBool, Ordering};

use super::copy::{Take, canceled, walk};

/// Feeds reuse's key: what is hashed, each part framed so that no two inputs run together.
pub(crate) struct Key(Sha256);

impl Key {
    pub(crate) fn new() -> Self {
        let mut hasher = Sha256::new();
        // Bumped when what goes into the key changes, so old entries stop matching.
        hasher.update(b"pipeline-run-reuse-1\0");
        Key(hasher)
    }

    pub(crate) fn text(&mut self, label: &str, text: &str) {
        self.frame(label.as_bytes());
        self.frame(text.as_bytes());
    }

    /// The content of a file or folder: every regular file's relative path and bytes (what
    /// [`walk`] skips is not read), checking `cancel` as it goes.
    pub(crate) fn tree(
        &mut self,
        label: &str,
        root: &Path,
        take: Take,
        cancel: &AtomicBool,
    ) -> io::Result<()> {
        self.frame(label.as_bytes());
        if !root.exists() {
            self.frame(b"<missing>");
            return Ok(());
        }
        let tree = walk(root, take)?;
        for d in &tree.dirs {
            self.frame(b"dir");
            self.frame(d.to_string_lossy().as_bytes());
        }
        let mut buffer = vec![0; 64 * 1024];
        for f in &tree.files {
            self.frame(b"file");
            self.frame(f.to_string_lossy().as_bytes());
            let mut file = File::open(root.join(f))?;
            let len = file.metadata()?.len();
            self.0.update(len.to_le_bytes());
            loop {
                if cancel.load(Ordering::SeqCst) {
                    return Err(canceled());
                }
                let n = file.read(&mut buffer)?;
                if n == 0 {
                    break;
                }
                self.0.update(&buffer[..n]);
            }
        }
        Ok(())
    }

    fn frame(&mut self, bytes: &[u8]) {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    pub(crate) fn finish(self) -> String {
        self.0
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// Where reuse keeps its entries: `<workspace>/.pipeline/cache`.
pub(crate) struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub(crate) fn new(workspace: &Path) -> Self {
        Cache {
            dir: workspace.join(".pipeline").join("cache"),
        }
    }

    /// The outputs folder of the run that completed `key`, if it is still there.
    pub(crate) fn lookup(&self, key: &str) -> Option<PathBuf> {
        let recorded = fs::read_to_string(self.dir.join(key)).ok()?;
        let outputs = PathBuf::from(recorded.trim_end());
        outputs.is_dir().then_some(outputs)
    }

    /// Records that `outputs` holds what `key` produces (atomically: a crash leaves the old
    /// entry or the new one, never half of one).
    pub(crate) fn record(&self, key: &str, outputs: &Path) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let mut temp = tempfile::NamedTempFile::new_in(&self.dir)?;
        writeln!(temp, "{}", outputs.display())?;
        temp.persist(self.dir.join(key)).map_err(|e| e.error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_of(root: &Path) -> String {
        let mut k = Key::new();
        k.tree("data", root, Take::All, &AtomicBool::new(false))
            .unwrap();
        k.finish()
    }

    #[test]
    fn keys_follow_content_not_timestamps() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.csv"), "1,2").unwrap();
        let first = key_of(dir.path());
        assert_eq!(first.len(), 64);
        fs::write(dir.path().join("a.csv"), "1,2").unwrap();
        assert_eq!(key_of(dir.path()), first);
        fs::write(dir.path().join("a.csv"), "1,3").unwrap();
        assert_ne!(key_of(dir.path()), first);
        // Framing: ("ab", "c") and ("a", "bc") differ.
        let mut x = Key::new();
        x.text("ab", "c");
        let mut y = Key::new();
        y.text("a", "bc");
        assert_ne!(x.finish(), y.finish());
    }

    #[test]
    fn entries_point_at_outputs_that_still_exist() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let outputs = dir.path().join("run1/train/outputs");
        fs::create_dir_all(&outputs).unwrap();
        assert_eq!(cache.lookup("k"), None);
        cache.record("k", &outputs).unwrap();
        assert_eq!(cache.lookup("k"), Some(outputs.clone()));
        fs::remove_dir_all(&outputs).unwrap();
        assert_eq!(cache.lookup("k"), None);
    }
}
