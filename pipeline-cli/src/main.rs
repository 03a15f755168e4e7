//! The `pipeline` command.

use std::process::ExitCode;

// Huge pipelines are millions of small strings and maps: mimalloc handles them faster than the
// system allocator (see the README's benchmark).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    keep_freed_memory();
    pipeline_cli::run(std::env::args_os())
}

/// mimalloc's `purge_delay` option (its index in mimalloc 2 and 3 alike; the `mimalloc` crate
/// builds mimalloc 3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// By default mimalloc hands memory freed for a second back to the OS. Reading a huge pipeline frees
/// and allocates hundreds of megabytes in turn, and every page handed back is faulted in and zeroed
/// again when it is reused: a quarter to a half of `pipeline validate`'s time on 100,000 nodes. A
/// command lives for seconds, so it keeps what it frees; its peak memory does not change.
fn keep_freed_memory() {
    // SAFETY: sets a global option; mimalloc reads options atomically, at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_is_the_option_set() {
        // SAFETY: reads and sets global options.
        let get = || unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        // mimalloc 3's default (1,000 ms) says the index names `purge_delay`.
        assert_eq!(get(), 1000);
        keep_freed_memory();
        assert_eq!(get(), -1);
    }
}
