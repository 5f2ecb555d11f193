//! The one tokio runtime of the extension, and the bridge from its futures to asyncio.
//!
//! A blocking call runs the future with `block_on` while the GIL is released. An async
//! call creates an asyncio future on the running loop and spawns the Rust future; when
//! it finishes, the tokio worker converts the result and schedules `set_result` /
//! `set_exception` with `loop.call_soon_threadsafe`. That is the only moment a tokio
//! thread holds the GIL, and it is counted: an `atexit` hook ([`drain`]) stops new
//! completions and waits (GIL released) for the running ones, so no tokio thread
//! touches Python while the interpreter finalizes — which otherwise aborts the process
//! ("PyGILState_Release: thread state must be current") when a script exits right
//! after its last await. A cancelled asyncio future aborts its Rust task.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::Duration;

use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;
use tokio::runtime::Runtime;
use tokio::task::AbortHandle;

/// The runtime every client's futures run on (built on first use).
pub(crate) fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("arichat-tokio")
            .enable_all()
            .build()
            .expect("the tokio runtime starts")
    })
}

static SHUTTING_DOWN: AtomicBool = AtomicBool::new(false);
static IN_PYTHON: Mutex<usize> = Mutex::new(0);
static LEFT_PYTHON: Condvar = Condvar::new();

/// Enters the counted section where a tokio thread may hold the GIL; `false` once the
/// interpreter is shutting down.
fn enter() -> bool {
    let mut n = IN_PYTHON.lock().unwrap_or_else(|e| e.into_inner());
    if SHUTTING_DOWN.load(Ordering::SeqCst) {
        return false;
    }
    *n += 1;
    true
}

fn leave() {
    let mut n = IN_PYTHON.lock().unwrap_or_else(|e| e.into_inner());
    *n -= 1;
    LEFT_PYTHON.notify_all();
}

/// The `atexit` hook: no completion enters Python any more, and the ones inside finish
/// (waiting at most 5 seconds, with the GIL released so they can).
#[pyfunction]
pub(crate) fn drain(py: Python<'_>) {
    py.detach(|| {
        let mut n = IN_PYTHON.lock().unwrap_or_else(|e| e.into_inner());
        SHUTTING_DOWN.store(true, Ordering::SeqCst);
        while *n > 0 {
            let (guard, timeout) = LEFT_PYTHON
                .wait_timeout(n, Duration::from_secs(5))
                .unwrap_or_else(|e| e.into_inner());
            n = guard;
            if timeout.timed_out() {
                break;
            }
        }
    });
}

/// Sets the outcome of an asyncio future on its loop, unless it was cancelled.
#[pyfunction]
fn set_outcome(future: &Bound<'_, PyAny>, ok: bool, value: &Bound<'_, PyAny>) -> PyResult<()> {
    if future.call_method0("done")?.is_truthy()? {
        return Ok(());
    }
    let method = if ok { "set_result" } else { "set_exception" };
    future.call_method1(method, (value,))?;
    Ok(())
}

/// Aborts the Rust task when its asyncio future is cancelled.
#[pyclass(frozen)]
struct AbortOnCancel(AbortHandle);

#[pymethods]
impl AbortOnCancel {
    fn __call__(&self, future: &Bound<'_, PyAny>) -> PyResult<()> {
        if future.call_method0("cancelled")?.is_truthy()? {
            self.0.abort();
        }
        Ok(())
    }
}

/// Runs `fut` on the runtime and returns an asyncio future of the running loop that
/// completes with its value, or with the exception `to_err` makes of its error.
pub(crate) fn awaitable<'py, T, E, F>(
    py: Python<'py>,
    fut: F,
    to_err: fn(&E) -> PyErr,
) -> PyResult<Bound<'py, PyAny>>
where
    T: for<'a> IntoPyObject<'a> + Send + 'static,
    E: Send + 'static,
    F: Future<Output = Result<T, E>> + Send + 'static,
{
    let event_loop = py.import("asyncio")?.call_method0("get_running_loop")?;
    let future = event_loop.call_method0("create_future")?;
    let target = (event_loop.unbind(), future.clone().unbind());
    let task = runtime().spawn(async move {
        let result = fut.await;
        let (event_loop, future) = target;
        if !enter() {
            // The interpreter is exiting: nobody awaits any more. Dropping the
            // references without the GIL only queues their decref.
            return;
        }
        Python::attach(|py| {
            let outcome = match result {
                Ok(value) => value.into_py_any(py).map(|v| (true, v)),
                Err(err) => Ok((false, to_err(&err).into_value(py).into_any())),
            };
            let scheduled = outcome.and_then(|(ok, value)| {
                let setter = wrap_pyfunction!(set_outcome, py)?;
                event_loop.call_method1(py, "call_soon_threadsafe", (setter, &future, ok, value))
            });
            // A closed loop (its program moved on) has nobody to tell.
            drop(scheduled);
            drop((event_loop, future));
        });
        leave();
    });
    future.call_method1("add_done_callback", (AbortOnCancel(task.abort_handle()),))?;
    Ok(future)
}
