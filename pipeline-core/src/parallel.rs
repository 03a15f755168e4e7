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
