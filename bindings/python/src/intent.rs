//! `arichat.classify`, `arichat.classify_many` and `arichat.classify_column`: the
//! built-in rule classifier, on one message, a list, or an Arrow column.

use std::sync::{Arc, OnceLock};

use arichat_core::intent::{Classification, Intent, IntentClassifier, RuleClassifier};
use arichat_core::CoreError;
use arrow_array::cast::AsArray;
use arrow_array::types::Int8Type;
use arrow_array::{Array, ArrayRef, DictionaryArray, Int8Array, StringArray};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::arrow::{self, ArrowData, View};
use crate::convert::to_py;
use crate::error::to_py_err;

/// The built-in classifier, built once per process.
pub(crate) fn rules() -> &'static RuleClassifier {
    static RULES: OnceLock<RuleClassifier> = OnceLock::new();
    RULES.get_or_init(RuleClassifier::new)
}

/// Classifies `text` with spans as Python string indices (code points), so that
/// `text[start:end] == evidence` — the core reports UTF-8 byte offsets.
fn classify_py(text: &str) -> Classification {
    let mut c = rules().classify(text);
    to_char_spans(text, &mut c);
    c
}

/// Turns the UTF-8 byte offsets of `c`'s spans into code-point indices into `text`.
pub(crate) fn to_char_spans(text: &str, c: &mut Classification) {
    let index = |byte: usize| text.get(..byte).map_or(0, |head| head.chars().count());
    for m in &mut c.intents {
        (m.start, m.end) = (index(m.start), index(m.end));
    }
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

/// The primary intent of each message as its index in `Intent::ALL`, `None` for null.
fn primary_codes(name: &str, chunk: &dyn Array) -> Result<Vec<Option<i8>>, String> {
    let code = |text: Option<&str>| {
        text.map(|t| {
            let primary = rules().classify(t).primary;
            Intent::ALL.iter().position(|i| *i == primary).unwrap_or(0) as i8
        })
    };
    if let Some(dict) = chunk.as_any_dictionary_opt() {
        // Each distinct message is classified once.
        let View::Text(values) = arrow::view(name, dict.values().as_ref())? else {
            return Err(format!(
                "column {name:?} is a dictionary of non-text values"
            ));
        };
        let per_value: Vec<Option<i8>> = values.into_iter().map(code).collect();
        let keys = dict.keys();
        return Ok(dict
            .normalized_keys()
            .into_iter()
            .enumerate()
            .map(|(i, k)| if keys.is_valid(i) { per_value[k] } else { None })
            .collect());
    }
    match arrow::view(name, chunk)? {
        View::Text(texts) => Ok(texts.into_iter().map(code).collect()),
        _ => Err(format!(
            "column {name:?} has Arrow type {}; classify_column reads text",
            chunk.data_type()
        )),
    }
}

/// Classifies a column of messages through the Arrow C data interface, without a
/// Python object per message and without the GIL: a pyarrow Array or ChunkedArray, a
/// polars or pandas Series, anything with `__arrow_c_stream__`/`__arrow_c_array__`
/// (one text column), or a sequence of str. Returns the primary intent of each
/// message as a pyarrow dictionary array (int8 codes into every intent name, in a
/// fixed order; `.indices.to_numpy()` gives the codes, `.dictionary` the names); null
/// messages give null. The same primaries as `classify` one by one.
#[pyfunction]
pub(crate) fn classify_column<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let imported = arrow::import(&arrow::to_arrow(texts, "a column")?)?;
    let name = imported.field.name().clone();
    let chunks = imported
        .chunks
        .iter()
        .map(|c| match c.as_struct_opt() {
            Some(s) if s.num_columns() == 1 => Ok(s.column(0).clone()),
            Some(s) => Err(PyTypeError::new_err(format!(
                "classify_column needs one text column, got a table of {}",
                s.num_columns()
            ))),
            None => Ok(c.clone()),
        })
        .collect::<PyResult<Vec<ArrayRef>>>()?;
    let codes = py
        .detach(|| -> Result<Vec<Option<i8>>, String> {
            let mut out = Vec::with_capacity(chunks.iter().map(|c| c.len()).sum());
            for c in &chunks {
                out.extend(primary_codes(&name, c.as_ref())?);
            }
            Ok(out)
        })
        .map_err(|reason| to_py_err(CoreError::InvalidScoringData { reason }))?;
    let names: Vec<&str> = Intent::ALL.iter().map(|i| i.as_str()).collect();
    let dict = DictionaryArray::<Int8Type>::try_new(
        Int8Array::from(codes),
        Arc::new(StringArray::from(names)),
    )
    .map_err(|e| PyValueError::new_err(e.to_string()))?;
    let data = Bound::new(py, ArrowData::array("primary", Arc::new(dict)))?;
    py.import("pyarrow")?.call_method1("array", (data,))
}
