//! The `progress=` argument of long calls (`arichat.fit`, `Scorecard.score_table`): a
//! callable called with `(done, total)` as the core reports work done. The work runs
//! without the GIL; each report takes it back briefly for the call. An exception in
//! the callback stops the work (the caller takes it with `take_error`).

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

/// A progress callback, or none.
pub(crate) struct Progress {
    callback: Option<Py<PyAny>>,
    error: Option<PyErr>,
}

impl Progress {
    /// Checks that `callback` (when given) is callable.
    pub(crate) fn new(callback: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        if let Some(cb) = callback.filter(|cb| !cb.is_callable()) {
            return Err(PyTypeError::new_err(format!(
                "progress must be callable as progress(done, total), not {}",
                cb.get_type().name()?
            )));
        }
        Ok(Progress {
            callback: callback.map(|cb| cb.clone().unbind()),
            error: None,
        })
    }

    /// Calls the callback with `(done, total)`, taking the GIL for the call.
    pub(crate) fn report(&mut self, done: u64, total: u64) {
        let (Some(cb), None) = (&self.callback, &self.error) else {
            return;
        };
        let error = &mut self.error;
        Python::attach(|py| {
            if let Err(e) = cb.call1(py, (done, total)) {
                *error = Some(e);
            }
        });
    }

    /// The callback's exception, taken (for work that can stop early).
    pub(crate) fn take_error(&mut self) -> Option<PyErr> {
        self.error.take()
    }
}
