//! Work split across threads without the GIL (`Scorecard.score_table(threads=...)`): the
//! chunks of a table in contiguous parts, one part per thread, each part's output kept
//! in order, so the result is the single-threaded one. The calling thread scores the
//! first part and runs the `between` hook (Ctrl-C, progress) before any part starts,
//! after each of its chunks and while it waits for the others; an error anywhere stops
//! every part at its next chunk.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use arichat_core::CoreError;
use pyo3::PyErr;

use crate::error::to_py_err;

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
    // A part: its chunks in order, `after` each one, until the end or until any part
    // failed. A failure here stops the others at their next chunk.
    let run = |part: &[C], mut after: Box<dyn FnMut() -> Result<(), Stop> + '_>| {
        let mut out = init(part);
        for chunk in part {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let step = work(chunk, &mut out).and_then(|()| {
                done.fetch_add(rows(chunk), Ordering::Relaxed);
                after()
            });
            if let Err(e) = step {
                stop.store(true, Ordering::Relaxed);
                return Err(e);
            }
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
                    let out = run(part, Box::new(|| Ok(())));
                    finished.fetch_add(1, Ordering::Release);
                    out
                })
            })
            .collect();
        // The calling thread: the first part, with the hook after each chunk.
        let hook = || between(done.load(Ordering::Relaxed)).map_err(Stop::Python);
        let (mine, mut result) = match run(first, Box::new(hook)) {
            Ok(mine) => (Some(mine), Ok(())),
            Err(e) => (None, Err(e)),
        };
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
        let mut outs: Vec<T> = mine.into_iter().collect();
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

/// Why work done without the GIL stopped: the core refused the data, or a signal
/// handler raised (Ctrl-C is `KeyboardInterrupt`).
pub(crate) enum Stop {
    Core(CoreError),
    Python(PyErr),
}

impl From<CoreError> for Stop {
    fn from(e: CoreError) -> Self {
        Stop::Core(e)
    }
}

impl Stop {
    pub(crate) fn into_py(self) -> PyErr {
        match self {
            Stop::Core(e) => to_py_err(e),
            Stop::Python(e) => e,
        }
    }
}
