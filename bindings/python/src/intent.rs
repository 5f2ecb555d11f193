//! `arichat.classify` and `arichat.classify_many`: the built-in rule classifier.

use std::sync::OnceLock;

use arichat_core::intent::{Classification, IntentClassifier, RuleClassifier};
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::convert::to_py;

/// The built-in classifier, built once per process.
fn rules() -> &'static RuleClassifier {
    static RULES: OnceLock<RuleClassifier> = OnceLock::new();
    RULES.get_or_init(RuleClassifier::new)
}

/// Classifies `text` with spans as Python string indices (code points), so that
/// `text[start:end] == evidence` — the core reports UTF-8 byte offsets.
fn classify_py(text: &str) -> Classification {
    let mut c = rules().classify(text);
    let index = |byte: usize| text.get(..byte).map_or(0, |head| head.chars().count());
    for m in &mut c.intents {
        (m.start, m.end) = (index(m.start), index(m.end));
    }
    c
}

/// Classifies one message: `{"intents": [{"intent", "confidence", "start", "end",
/// "evidence"}, ...], "primary": intent}`; `text[start:end] == evidence`.
#[pyfunction]
pub(crate) fn classify<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    to_py(py, &classify_py(text))
}

/// Classifies many messages (without holding the GIL while classifying); one dict
/// per message, in order, as [`classify`] gives.
#[pyfunction]
pub(crate) fn classify_many<'py>(
    py: Python<'py>,
    texts: Vec<String>,
) -> PyResult<Bound<'py, PyList>> {
    let results: Vec<_> = py.detach(|| texts.iter().map(|t| classify_py(t)).collect());
    let items = results
        .iter()
        .map(|c| to_py(py, c))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}
