//! Work split across threads without the GIL (`Scorecard.score_table(threads=...)`): the
//! chunks of a table in contiguous parts, one part per thread, each part's output kept
//! in order, so the result is the single-threaded one. The calling thread scores the
//! first part and runs the `between` hook (Ctrl-C, progress) before any part starts,
//! after each of its chunks and while it waits for the others; an error anywhere stops
//! every part at its next chunk.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use pyo3::PyErr;

use crate::scoring::Stop;

/// The threads `threads` asks for: 0 means one per available core.
pub(crate) fn resolve_threads(threads: usize) -> usize {
    match threads {
        0 => std::thread::available_parallelism().map_or(1, NonZeroUsize::get),
        n => n,
    }
}

/// Runs `work` over every chunk on up to `threads` threads (never more than there are
/// chunks) and returns each part's output, parts in chunk order. `rows(chunk)` counts
/// toward the total `between(done)` is given.
pub(crate) fn run_parts<C, T>(
    chunks: &[C],
    threads: usize,
    rows: impl Fn(&C) -> u64 + Sync,
    init: impl Fn(&[C]) -> T + Sync,
    work: impl Fn(&C, &mut T) -> Result<(), Stop> + Sync,
    mut between: impl FnMut(u64) -> Result<(), PyErr>,
) -> Result<Vec<T>, Stop>
where
    C: Sync,
    T: Send,
{
    let threads = threads.clamp(1, chunks.len().max(1));
    let per_part = chunks.len().div_ceil(threads).max(1);
    let mut parts = chunks.chunks(per_part);
    let first = parts.next().unwrap_or(&[]);
    let done = AtomicU64::new(0);
    let stop = AtomicBool::new(false);
    let finished = AtomicUsize::new(0);
    // A part: its chunks in order, until the end or until another part failed.
    let run = |part: &[C]| -> Result<T, Stop> {
        let mut out = init(part);
        for chunk in part {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            if let Err(e) = work(chunk, &mut out) {
                stop.store(true, Ordering::Relaxed);
                return Err(e);
            }
            done.fetch_add(rows(chunk), Ordering::Relaxed);
        }
        Ok(out)
    };
    // Before any part starts: the hook sees 0 rows done first.
    between(0).map_err(Stop::Python)?;
    std::thread::scope(|scope| {
        let others: Vec<_> = parts
            .map(|part| {
                let (run, finished) = (&run, &finished);
                scope.spawn(move || {
                    let out = run(part);
                    finished.fetch_add(1, Ordering::Release);
                    out
                })
            })
            .collect();
        // The calling thread: the first part, with the hook between chunks.
        let mut mine = init(first);
        let mut result = Ok(());
        for chunk in first {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            if let Err(e) = work(chunk, &mut mine) {
                result = Err(e);
                break;
            }
            done.fetch_add(rows(chunk), Ordering::Relaxed);
            if let Err(e) = between(done.load(Ordering::Relaxed)) {
                result = Err(Stop::Python(e));
                break;
            }
        }
        // Then wait for the others, still answering Ctrl-C and reporting progress.
        while result.is_ok() && finished.load(Ordering::Acquire) < others.len() {
            std::thread::sleep(Duration::from_millis(20));
            if let Err(e) = between(done.load(Ordering::Relaxed)) {
                result = Err(Stop::Python(e));
            }
        }
        if result.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        let mut outs = vec![mine];
        for handle in others {
            let out = handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            match (out, &result) {
                (Ok(out), _) => outs.push(out),
                (Err(e), Ok(())) => result = Err(e),
                (Err(_), Err(_)) => {}
            }
        }
        if result.is_ok() {
            between(done.load(Ordering::Relaxed)).map_err(Stop::Python)?;
        }
        result.map(|()| outs)
    })
}
