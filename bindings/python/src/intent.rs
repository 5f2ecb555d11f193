//! `arichat.classify`, `arichat.classify_many` and `arichat.classify_column`: the
//! built-in hybrid classifier, on one message, a list, or an Arrow column.

use std::sync::{Arc, OnceLock};

use arichat_core::intent::{
    Classification, HybridClassifier, Intent, IntentClassifier, Language, OptOutSignal,
};
use arichat_core::CoreError;
use arrow_array::cast::AsArray;
use arrow_array::types::Int8Type;
use arrow_array::{
    Array, ArrayRef, BooleanArray, DictionaryArray, Float64Array, Int8Array, StringArray,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::arrow::{self, ArrowData, View};
use crate::convert::{shortest_f64, to_py};
use crate::error::to_py_err;

/// The built-in classifier, built once per process.
pub(crate) fn classifier() -> &'static HybridClassifier {
    static CLASSIFIER: OnceLock<HybridClassifier> = OnceLock::new();
    CLASSIFIER.get_or_init(HybridClassifier::new)
}

/// Classifies `text` with spans as Python string indices (code points), so that
/// `text[start:end] == evidence` — the core reports UTF-8 byte offsets.
fn classify_py(text: &str) -> Classification {
    let mut c = classifier().classify(text);
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
/// "evidence"}, ...], "primary": intent, "confidence": float, "language": "es" | "pt" |
/// "en" | "unknown", "uncertain": bool, "opt_out": "explicit" | "implicit" | None}`;
/// `text[start:end] == evidence`.
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

/// What `classify_column` keeps of one message's classification.
#[derive(Clone, Copy)]
struct Row {
    primary: Intent,
    confidence: f32,
    language: Language,
    uncertain: bool,
    opt_out: Option<OptOutSignal>,
}

impl Row {
    fn of(text: &str) -> Row {
        let c = classifier().classify(text);
        Row {
            primary: c.primary,
            confidence: c.confidence,
            language: c.language,
            uncertain: c.uncertain,
            opt_out: c.opt_out,
        }
    }
}

/// The classification of each message, `None` for null.
fn rows(name: &str, chunk: &dyn Array) -> Result<Vec<Option<Row>>, String> {
    let row = |text: Option<&str>| text.map(Row::of);
    if let Some(dict) = chunk.as_any_dictionary_opt() {
        // Each distinct message is classified once.
        let View::Text(values) = arrow::view(name, dict.values().as_ref())? else {
            return Err(format!(
                "column {name:?} is a dictionary of non-text values"
            ));
        };
        let per_value: Vec<Option<Row>> = values.into_iter().map(row).collect();
        let keys = dict.keys();
        return Ok(dict
            .normalized_keys()
            .into_iter()
            .enumerate()
            .map(|(i, k)| if keys.is_valid(i) { per_value[k] } else { None })
            .collect());
    }
    match arrow::view(name, chunk)? {
        View::Text(texts) => Ok(texts.into_iter().map(row).collect()),
        _ => Err(format!(
            "column {name:?} has Arrow type {}; classify_column reads text",
            chunk.data_type()
        )),
    }
}

/// A dictionary<int8, utf8> column of the names `all` (every one, in order), with
/// `value`'s index for each row, null where it gives `None`.
fn names<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    index: fn(T) -> usize,
    rows: &[Option<Row>],
    value: impl Fn(&Row) -> Option<T>,
) -> PyResult<ArrayRef> {
    let keys: Int8Array = rows
        .iter()
        .map(|r| r.as_ref().and_then(&value).map(|v| index(v) as i8))
        .collect();
    let values = StringArray::from(all.iter().map(|v| name(*v)).collect::<Vec<_>>());
    let dict = DictionaryArray::<Int8Type>::try_new(keys, Arc::new(values))
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(Arc::new(dict))
}

/// Classifies a column of messages through the Arrow C data interface, without a
/// Python object per message and without the GIL: a pyarrow Array or ChunkedArray, a
/// polars or pandas Series, anything with `__arrow_c_stream__`/`__arrow_c_array__`
/// (one text column), or a sequence of str. Returns a pyarrow Table, one row per
/// message, with the fields `classify` gives but the spans: `primary`, `language` and
/// `opt_out` as dictionary<int8, string> columns (codes into every name, in a fixed
/// order), `confidence` float64 (the same floats as `classify`), `uncertain` bool. A
/// null message gives a row of nulls.
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
    let rows = py
        .detach(|| -> Result<Vec<Option<Row>>, String> {
            let mut out = Vec::with_capacity(chunks.iter().map(|c| c.len()).sum());
            for c in &chunks {
                out.extend(rows(&name, c.as_ref())?);
            }
            Ok(out)
        })
        .map_err(|reason| to_py_err(CoreError::InvalidScoringData { reason }))?;
    let confidence: Float64Array = rows
        .iter()
        .map(|r| r.map(|r| shortest_f64(r.confidence)))
        .collect();
    let uncertain: BooleanArray = rows.iter().map(|r| r.map(|r| r.uncertain)).collect();
    let columns: Vec<(&str, ArrayRef)> = vec![
        (
            "primary",
            names(Intent::ALL, Intent::as_str, Intent::index, &rows, |r| {
                Some(r.primary)
            })?,
        ),
        ("confidence", Arc::new(confidence)),
        (
            "language",
            names(
                Language::ALL,
                Language::as_str,
                Language::index,
                &rows,
                |r| Some(r.language),
            )?,
        ),
        ("uncertain", Arc::new(uncertain)),
        (
            "opt_out",
            names(
                OptOutSignal::ALL,
                OptOutSignal::as_str,
                OptOutSignal::index,
                &rows,
                |r| r.opt_out,
            )?,
        ),
    ];
    let data = Bound::new(py, ArrowData::table(columns)?)?;
    arrow::pyarrow(py)?.call_method1("table", (data,))
}
