//! How many threads a "threads" argument asks for, decided once for every runtime that
//! splits work (Python's `score_table(threads=...)` today).

use std::num::NonZeroUsize;

/// The threads `requested` asks for: 0 means one per core the process may use (1 when
/// that cannot be known); any other number is taken as given (callers split no finer
/// than their work allows).
///
/// ```
/// assert_eq!(arichat_core::worker_threads(3), 3);
/// assert!(arichat_core::worker_threads(0) >= 1);
/// ```
pub fn worker_threads(requested: usize) -> usize {
    match requested {
        0 => std::thread::available_parallelism().map_or(1, NonZeroUsize::get),
        n => n,
    }
}
