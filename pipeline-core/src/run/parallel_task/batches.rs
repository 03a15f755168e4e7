//! Mini-batches: the input's files split by `mini_batch_size`, a count of files or an amount of
//! data, in the order they were listed.

use std::path::PathBuf;

use crate::model::MiniBatchSize;

/// The files split into mini-batches, reading each file's size when the size is in bytes.
pub(super) fn split(
    files: Vec<PathBuf>,
    size: &MiniBatchSize,
) -> Result<Vec<Vec<PathBuf>>, String> {
    match size {
        MiniBatchSize::Count(0) => Err(
            "mini_batch_size is 0; give at least 1 (files per mini-batch) or a size such as 10kb"
                .to_owned(),
        ),
        MiniBatchSize::Count(n) => Ok(by_count(files, *n)),
        MiniBatchSize::Size { .. } => {
            let limit = size.bytes().unwrap_or(u64::MAX);
            let sized = files
                .into_iter()
                .map(|f| match std::fs::metadata(&f) {
                    Ok(m) => Ok((f, m.len())),
                    Err(e) => Err(format!("cannot read the size of {}: {e}", f.display())),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(by_size(sized, limit))
        }
        MiniBatchSize::Binding(b) => Err(format!(
            "mini_batch_size `{b}` was not resolved; give a count or a size such as 10kb"
        )),
    }
}

/// `n` files per mini-batch, the last one with what is left.
fn by_count(files: Vec<PathBuf>, n: u64) -> Vec<Vec<PathBuf>> {
    let n = usize::try_from(n).unwrap_or(usize::MAX).max(1);
    let mut batches = Vec::with_capacity(files.len().div_ceil(n));
    let mut files = files.into_iter().peekable();
    while files.peek().is_some() {
        batches.push(files.by_ref().take(n).collect());
    }
    batches
}

/// Consecutive files grouped until one more would take the mini-batch past `limit` bytes; a file
/// larger than `limit` is a mini-batch of its own.
fn by_size(files: Vec<(PathBuf, u64)>, limit: u64) -> Vec<Vec<PathBuf>> {
    let mut batches = Vec::new();
    let mut current: Vec<PathBuf> = Vec::new();
    let mut bytes = 0u64;
    for (file, len) in files {
        if !current.is_empty() && bytes.saturating_add(len) > limit {
            batches.push(std::mem::take(&mut current));
            bytes = 0;
        }
        bytes = bytes.saturating_add(len);
        current.push(file);
    }
    if !current.is_empty() {
        batches.push(current);
    }
    batches
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SizeUnit;

    fn names(batches: &[Vec<PathBuf>]) -> Vec<Vec<&str>> {
        batches
            .iter()
            .map(|b| b.iter().map(|f| f.to_str().unwrap()).collect())
            .collect()
    }

    #[test]
    fn counts_make_equal_batches_and_a_rest() {
        let files: Vec<PathBuf> = (1..=7).map(|i| PathBuf::from(format!("{i}"))).collect();
        let batches = by_count(files.clone(), 3);
        assert_eq!(
            names(&batches),
            [vec!["1", "2", "3"], vec!["4", "5", "6"], vec!["7"]]
        );
        assert_eq!(by_count(files.clone(), 10).len(), 1);
        assert_eq!(by_count(Vec::new(), 3).len(), 0);
        assert!(split(files, &MiniBatchSize::Count(0)).is_err());
    }

    #[test]
    fn sizes_group_files_up_to_the_limit() {
        let sized = [("a", 400), ("b", 600), ("c", 1), ("d", 5000), ("e", 10)]
            .into_iter()
            .map(|(f, n)| (PathBuf::from(f), n))
            .collect();
        assert_eq!(
            names(&by_size(sized, 1000)),
            [vec!["a", "b"], vec!["c"], vec!["d"], vec!["e"]]
        );
    }

    #[test]
    fn sizes_are_read_from_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<PathBuf> = [700, 700, 300]
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let f = dir.path().join(format!("{i}.bin"));
                std::fs::write(&f, vec![0u8; *n]).unwrap();
                f
            })
            .collect();
        let size = MiniBatchSize::Size {
            amount: 1,
            unit: SizeUnit::Kb,
        };
        let batches = split(files, &size).unwrap();
        assert_eq!(batches.iter().map(Vec::len).collect::<Vec<_>>(), [1, 2]);
    }
}
