//! Work on huge pipelines (the `jobs` of 100,000 nodes) spread over the machine's cores.

/// A text at least this big is read on every core, and its tree freed on another thread.
pub(crate) const BIG_TEXT: usize = 4 << 20;

/// A mapping at least this big is read, written and emitted on every core.
pub(crate) const PARALLEL_ENTRIES: usize = 2048;

/// Splits `items` over the machine's cores, runs `f` on each part, and returns the results in
/// order, so the outcome is the same as a sequential run.
pub(crate) fn in_parallel<I: Sync, R: Send>(items: &[I], f: impl Fn(&[I]) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let f = &f;
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| s.spawn(move || f(part)))
            .collect();
        // A panic in a worker is a bug in the caller; re-raise it there.
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// Frees a huge mapping's entries on every core (a 100,000-node pipeline's nodes are millions of
/// small allocations: a tenth of a second on one core); a usual one on this thread.
pub(crate) fn drop_in_parallel<K: Send, V: Send>(map: indexmap::IndexMap<K, V>) {
    if map.len() < PARALLEL_ENTRIES {
        return;
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let mut entries: Vec<(K, V)> = map.into_iter().collect();
    let chunk = entries.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        while entries.len() > chunk {
            let part = entries.split_off(entries.len() - chunk);
            s.spawn(move || drop(part));
        }
        drop(entries);
    });
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn every_entry_is_dropped_once_small_or_huge() {
        static DROPPED: AtomicUsize = AtomicUsize::new(0);
        struct Counted;
        impl Drop for Counted {
            fn drop(&mut self) {
                DROPPED.fetch_add(1, Ordering::Relaxed);
            }
        }
        for n in [0, 3, PARALLEL_ENTRIES, PARALLEL_ENTRIES * 3 + 1] {
            DROPPED.store(0, Ordering::Relaxed);
            drop_in_parallel((0..n).map(|i| (i, Counted)).collect());
            assert_eq!(DROPPED.load(Ordering::Relaxed), n, "{n} entries");
        }
    }
}
