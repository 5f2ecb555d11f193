//! `arichat.Scorecard` and `arichat.fit`: scorecards of `arichat_core::scoring` and
//! the fitting of `arichat_core::fit`, on dicts and on pandas, polars or pyarrow
//! tables.
//!
//! `Scorecard.score_table` reads tables through the Arrow C data interface
//! (src/arrow.rs) and hands borrowed columns to the core's batch path; `fit` still
//! reads tables as Python lists, one per column.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::{Array, ArrayRef, Float64Array, StringArray};

use arichat_core::fit::{fit_labelled_with_progress, CvReport, FitOptions, LabelledFit};
use arichat_core::scoring::{
    reasons_json, reasons_text, BatchScores, Column, Contribution, EngagementEvent, EngagementKind,
    Grade, LeadRecord, Value,
};
use arichat_core::{ConfigFormat, CoreError, Intent, LifecycleStage};
use chrono::Utc;
use pyo3::exceptions::{PyKeyError, PyTypeError, PyUserWarning};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyDict, PyFloat, PyInt, PyString, PyTuple, PyType};

use crate::arrow;
use crate::convert::to_py;
use crate::error::to_py_err;
use crate::parallel::Stop;
use crate::progress::Progress;
use crate::time::to_utc;

/// A lead scorecard: fit rules over attributes, engagement rules over events, caps,
/// grades and stages. Immutable; load one with `from_toml`, `from_json` or
/// `from_file`, or learn one with `arichat.fit`.
#[pyclass(name = "Scorecard", module = "arichat", frozen, eq)]
#[derive(PartialEq)]
pub struct Scorecard {
    inner: arichat_core::scoring::Scorecard,
}

/// A table's columns as `(name, values)`, values as Python objects.
type RawColumns<'py> = Vec<(String, Vec<Bound<'py, PyAny>>)>;

/// Reads a pyarrow Table or RecordBatch, a pandas or polars DataFrame, or a dict of
/// sequences into Python lists, column by column.
fn read_table<'py>(table: &Bound<'py, PyAny>) -> PyResult<RawColumns<'py>> {
    let module: String = table.get_type().getattr("__module__")?.extract()?;
    let root = module.split('.').next().unwrap_or("");
    let dict = if let Ok(d) = table.cast::<PyDict>() {
        d.clone()
    } else {
        let d = match root {
            "pyarrow" if table.hasattr("to_pydict")? => table.call_method0("to_pydict")?,
            "polars" => {
                let kw = PyDict::new(table.py());
                kw.set_item("as_series", false)?;
                table.call_method("to_dict", (), Some(&kw))?
            }
            "pandas" => table.call_method1("to_dict", ("list",))?,
            _ => {
                return Err(PyTypeError::new_err(format!(
                    "expected a pyarrow Table or RecordBatch, a pandas or polars DataFrame, \
                     or a dict of columns, not {}",
                    table.get_type().name()?
                )))
            }
        };
        d.cast_into::<PyDict>()?
    };
    let mut columns = Vec::with_capacity(dict.len());
    for (name, values) in dict.iter() {
        let name: String = name
            .extract()
            .map_err(|_| PyTypeError::new_err(format!("column names must be str, got {name:?}")))?;
        let values = values
            .try_iter()?
            .collect::<PyResult<Vec<Bound<'py, PyAny>>>>()?;
        columns.push((name, values));
    }
    Ok(columns)
}

/// One Python value as a core [`Value`]: `None` (and pandas' `NA`/`NaT`) is null,
/// `bool`, `int`/`float` (NaN reads as null in every rule), `str`; NumPy scalars
/// through `.item()`.
fn to_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if obj.is_none() {
        Ok(Value::Null)
    } else if let Ok(b) = obj.cast::<PyBool>() {
        Ok(Value::Bool(b.is_true()))
    } else if obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyFloat>() {
        Ok(Value::Number(obj.extract::<f64>()?))
    } else if let Ok(s) = obj.cast::<PyString>() {
        Ok(Value::Text(s.extract::<String>()?))
    } else {
        let ty = obj.get_type();
        let name: String = ty.name()?.extract()?;
        if name == "NAType" || name == "NaTType" {
            return Ok(Value::Null);
        }
        let module: String = ty.getattr("__module__")?.extract()?;
        if module == "numpy" && obj.hasattr("item")? {
            let item = obj.call_method0("item")?;
            if !item.get_type().is(&ty) {
                return to_value(&item);
            }
        }
        Err(PyTypeError::new_err(format!(
            "a lead attribute must be None, bool, int, float or str, not {name}"
        )))
    }
}

fn is_null(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Number(n) => !n.is_finite(),
        _ => false,
    }
}

/// A dict of attributes as a [`LeadRecord`].
pub(crate) fn to_record(record: &Bound<'_, PyDict>) -> PyResult<LeadRecord> {
    let mut out = LeadRecord::new();
    for (k, v) in record.iter() {
        let k: String = k
            .extract()
            .map_err(|_| PyTypeError::new_err("record keys must be str"))?;
        out.set(k, to_value(&v)?);
    }
    Ok(out)
}

/// One event dict: `{"kind": str, "at": datetime, "intent": str?, "payload": str?}`.
fn to_event(obj: &Bound<'_, PyAny>) -> PyResult<EngagementEvent> {
    let d = obj
        .cast::<PyDict>()
        .map_err(|_| PyTypeError::new_err("each event must be a dict"))?;
    let get = |key: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
        Ok(d.get_item(key)?.filter(|v| !v.is_none()))
    };
    let kind: String = get("kind")?
        .ok_or_else(|| PyKeyError::new_err("event needs \"kind\""))?
        .extract()?;
    let at = get("at")?.ok_or_else(|| PyKeyError::new_err("event needs \"at\""))?;
    let mut event = EngagementEvent::new(
        kind.parse::<EngagementKind>().map_err(to_py_err)?,
        to_utc("event at", &at)?,
    );
    if let Some(intent) = get("intent")? {
        let intent: String = intent.extract()?;
        event.intent = Some(intent.parse::<Intent>().map_err(to_py_err)?);
    }
    if let Some(payload) = get("payload")? {
        event.payload = Some(payload.extract()?);
    }
    Ok(event)
}

#[pymethods]
impl Scorecard {
    /// Reads and checks a scorecard in TOML.
    #[classmethod]
    fn from_toml(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
        arichat_core::scoring::Scorecard::from_toml(text)
            .map(|inner| Scorecard { inner })
            .map_err(to_py_err)
    }

    /// Reads and checks a scorecard in JSON (the same shape as TOML).
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
        arichat_core::scoring::Scorecard::from_json(text)
            .map(|inner| Scorecard { inner })
            .map_err(to_py_err)
    }

    /// Reads a scorecard file: TOML for `.toml`, JSON for `.json` (`InvalidConfigError`
    /// for another name).
    #[classmethod]
    fn from_file(cls: &Bound<'_, PyType>, path: PathBuf) -> PyResult<Self> {
        let format = ConfigFormat::of_path(&path).map_err(to_py_err)?;
        let text = std::fs::read_to_string(&path)?;
        match format {
            ConfigFormat::Toml => Self::from_toml(cls, &text),
            ConfigFormat::Json => Self::from_json(cls, &text),
        }
    }

    /// The scorecard as TOML (reads back equal with `from_toml`).
    fn to_toml(&self) -> String {
        self.inner.to_toml()
    }

    /// The scorecard as pretty JSON (reads back equal with `from_json`).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The scorecard's name, if it has one.
    #[getter]
    fn name(&self) -> Option<&str> {
        self.inner.name.as_deref()
    }

    /// Scores one lead as of `now` (default: the current time): `record` maps field
    /// names to None, bool, int, float or str; `events` are dicts with `kind`, `at`
    /// (an aware datetime) and optionally `intent` and `payload`. Returns `total`,
    /// `fit`, `engagement`, `grade`, `stage`, `probability` (with an odds scale) and
    /// `contributions`, whose `points` add up to `total`.
    #[pyo3(signature = (record, events = None, now = None))]
    fn score<'py>(
        &self,
        py: Python<'py>,
        record: &Bound<'py, PyDict>,
        events: Option<Vec<Bound<'py, PyAny>>>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let record = to_record(record)?;
        let events = events
            .unwrap_or_default()
            .iter()
            .map(to_event)
            .collect::<PyResult<Vec<_>>>()?;
        let now = match now {
            Some(t) => to_utc("now", t)?,
            None => Utc::now(),
        };
        to_py(py, &self.inner.score(&record, &events, now))
    }

    /// Scores every row of a table through the Arrow C data interface with the core's
    /// batch path: the same totals, grades and stages as `score` row by row, without a
    /// Python object per row. `table` is anything with `__arrow_c_stream__` or
    /// `__arrow_c_array__` (pyarrow Table/RecordBatch, polars DataFrame, ...), a pandas
    /// DataFrame (through `pyarrow.Table.from_pandas`) or a dict of columns. Only the
    /// scorecard's fields are read; the rows are scored without the GIL, and Ctrl-C
    /// stops between chunks of 65,536 rows with `KeyboardInterrupt`.
    /// `engagement` optionally gives each row's engagement points. Returns columns
    /// `total`, `fit` (float64), `grade`, `stage` (str) and, with an odds scale,
    /// `probability`, in the input's kind: a pandas DataFrame on the input's index
    /// for pandas (so `frame.join(out)` lines up), a polars DataFrame for polars, a
    /// pyarrow Table for other Arrow input, a dict of NumPy arrays for a dict.
    /// `explain=N` adds `reasons` (the N largest contributions per row as text,
    /// `job_admin +12; age -4.5`) and `reasons_json` (the same as a JSON array), as
    /// `arichat score --explain N` writes them. A table without a column the card reads
    /// raises `InvalidScoringDataError` naming it (and a likely misspelling);
    /// `allow_missing=True` scores anyway, as if the column were all null, with a
    /// `UserWarning` saying how many rules can never fire. `progress`, a callable, is
    /// called with `(rows_done, rows_total)` from 0 to the total as chunks are scored;
    /// an exception it raises stops the scoring. `threads` splits the rows across that
    /// many threads (0: one per core), each scoring a contiguous part of the chunks: the
    /// same output as one thread, in the same order. Text columns that arrive
    /// dictionary-encoded (pandas `category`, polars `Categorical`, Arrow dictionaries)
    /// are read by key, each rule decided once per distinct value: about 1.3 times as
    /// fast as the same column as plain strings (BENCHMARKS.md).
    #[pyo3(signature = (table, engagement = None, *, explain = 0, allow_missing = false, progress = None, threads = 1))]
    #[allow(clippy::too_many_arguments)]
    fn score_table<'py>(
        &self,
        py: Python<'py>,
        table: &Bound<'py, PyAny>,
        engagement: Option<Vec<f64>>,
        explain: usize,
        allow_missing: bool,
        progress: Option<&Bound<'py, PyAny>>,
        threads: usize,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut progress = Progress::new(progress)?;
        let kind = TableKind::of(table)?;
        let imported = arrow::import(&arrow::to_arrow(table, "a table")?)?;
        let batches = arrow::struct_batches(&imported).map_err(PyTypeError::new_err)?;
        let rows: usize = batches.iter().map(|b| b.len()).sum();
        if engagement.as_ref().is_some_and(|e| e.len() != rows) {
            return Err(to_py_err(CoreError::InvalidScoringData {
                reason: format!("engagement must have {rows} values"),
            }));
        }
        let names = arrow::column_names(&imported);
        if let Some(absent) = self.inner.absent_fields(&names) {
            if !allow_missing {
                return Err(to_py_err(CoreError::InvalidScoringData {
                    reason: format!(
                        "the table has {absent}; allow_missing=True scores without them"
                    ),
                }));
            }
            let msg = std::ffi::CString::new(format!("the table has {absent}; scoring anyway"))
                .unwrap_or_default();
            PyErr::warn(py, &py.get_type::<PyUserWarning>(), &msg, 1)?;
        }
        let fields: BTreeSet<&str> = self.inner.fit.iter().map(|r| r.field.as_str()).collect();
        // The chunks in row order: (batch, first row in it, rows, first row in the table).
        // At most CHUNK_ROWS rows each: the per-column views (text as `&str`s) stay small.
        let mut chunks = Vec::new();
        let mut offset = 0;
        for (b, batch) in batches.iter().enumerate() {
            let n = batch.len();
            for start in (0..n.max(1)).step_by(CHUNK_ROWS) {
                let len = CHUNK_ROWS.min(n - start);
                chunks.push((b, start, len, offset));
                offset += len;
            }
        }
        let score_chunk = |&(b, start, len, offset): &(usize, usize, usize, usize),
                           (out, reasons): &mut (BatchScores, Vec<Vec<Contribution>>)|
         -> Result<(), Stop> {
            let chunk = arrow_array::StructArray::slice(batches[b], start, len);
            let views = arrow::views_in_place(&chunk, |name| fields.contains(name))
                .map_err(|reason| CoreError::InvalidScoringData { reason })?;
            let columns: Vec<(&str, Column<'_>)> =
                views.iter().map(|(n, v)| (*n, v.column())).collect();
            // Without any scorecard field the row count comes from `engagement`.
            let zeros;
            let eng = match &engagement {
                Some(e) => Some(&e[offset..offset + len]),
                None if columns.is_empty() => {
                    zeros = vec![0.0; len];
                    Some(zeros.as_slice())
                }
                None => None,
            };
            self.inner.score_batch_into(&columns, eng, out)?;
            if explain > 0 {
                reasons.extend(self.inner.explain_batch(&columns, explain)?);
            }
            Ok(())
        };
        let threads = arichat_core::worker_threads(threads);
        let parts = py
            .detach(|| {
                let mut reported = None;
                crate::parallel::run_parts(
                    &chunks,
                    threads,
                    |&(_, _, len, _)| len as u64,
                    |part| {
                        let rows = part.iter().map(|c| c.2).sum();
                        let scores = BatchScores {
                            total: Vec::with_capacity(rows),
                            fit: Vec::with_capacity(rows),
                            grade: Vec::with_capacity(rows),
                            stage: Vec::with_capacity(rows),
                        };
                        (scores, Vec::new())
                    },
                    score_chunk,
                    |done| {
                        // Ctrl-C (or any signal handler that raises) stops between chunks.
                        Python::attach(|py| py.check_signals())?;
                        if reported != Some(done) {
                            reported = Some(done);
                            progress.report(done, rows as u64);
                        }
                        progress.take_error().map_or(Ok(()), Err)
                    },
                )
            })
            .map_err(Stop::into_py)?;
        let mut parts = parts.into_iter();
        let (mut scores, mut reasons) = parts.next().unwrap_or_default();
        for (more, more_reasons) in parts {
            scores.total.extend(more.total);
            scores.fit.extend(more.fit);
            scores.grade.extend(more.grade);
            scores.stage.extend(more.stage);
            reasons.extend(more_reasons);
        }
        let probability = self.inner.odds.as_ref().map(|odds| {
            let p: Vec<f64> = scores.total.iter().map(|t| odds.probability(*t)).collect();
            p
        });
        if matches!(kind, TableKind::Dict | TableKind::Pandas) {
            // NumPy arrays made from buffers (float64, fixed-width unicode), not from
            // Python objects per row.
            let np = py.import("numpy")?;
            let dict = PyDict::new(py);
            dict.set_item("total", numpy_f64(&np, scores.total)?)?;
            dict.set_item("fit", numpy_f64(&np, scores.fit)?)?;
            let grades: Vec<&str> = Grade::ALL.iter().map(|g| g.as_str()).collect();
            let stages: Vec<&str> = LifecycleStage::ALL.iter().map(|s| s.as_str()).collect();
            dict.set_item(
                "grade",
                numpy_str(&np, &grades, scores.grade.iter().map(|g| g.index()))?,
            )?;
            dict.set_item(
                "stage",
                numpy_str(&np, &stages, scores.stage.iter().map(|s| s.index()))?,
            )?;
            if let Some(p) = probability {
                dict.set_item("probability", numpy_f64(&np, p)?)?;
            }
            if explain > 0 {
                let text: Vec<String> = reasons.iter().map(|r| reasons_text(r)).collect();
                let json: Vec<String> = reasons.iter().map(|r| reasons_json(r)).collect();
                dict.set_item("reasons", text)?;
                dict.set_item("reasons_json", json)?;
            }
            if matches!(kind, TableKind::Dict) {
                return Ok(dict.into_any());
            }
            // The input's index, so `frame.join(card.score_table(frame))` lines up.
            let kw = PyDict::new(py);
            kw.set_item("index", table.getattr("index")?)?;
            kw.set_item("copy", false)?;
            return py
                .import("pandas")?
                .getattr("DataFrame")?
                .call((dict,), Some(&kw));
        }
        let grade = names_array(Grade::ALL, &scores.grade, Grade::as_str, Grade::index)?;
        let stage = names_array(
            LifecycleStage::ALL,
            &scores.stage,
            LifecycleStage::as_str,
            LifecycleStage::index,
        )?;
        let mut cols: Vec<(&str, ArrayRef)> = vec![
            ("total", Arc::new(Float64Array::from(scores.total))),
            ("fit", Arc::new(Float64Array::from(scores.fit))),
            ("grade", grade),
            ("stage", stage),
        ];
        if let Some(p) = probability {
            cols.push(("probability", Arc::new(Float64Array::from(p))));
        }
        if explain > 0 {
            let text: StringArray = reasons.iter().map(|r| Some(reasons_text(r))).collect();
            let json: StringArray = reasons.iter().map(|r| Some(reasons_json(r))).collect();
            cols.push(("reasons", Arc::new(text)));
            cols.push(("reasons_json", Arc::new(json)));
        }
        let data = Bound::new(py, arrow::ArrowData::table(cols)?)?;
        let out = arrow::pyarrow(py)?.call_method1("table", (data,))?;
        match kind {
            TableKind::Polars => py.import("polars")?.call_method1("from_arrow", (out,)),
            _ => Ok(out),
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "Scorecard(name={:?}, fit_rules={}, engagement_rules={})",
            self.inner.name,
            self.inner.fit.len(),
            self.inner.engagement.len()
        )
    }
}

/// What kind of table came in, so the same kind goes out.
enum TableKind {
    /// A dict of columns: a dict of NumPy arrays back.
    Dict,
    /// A pandas DataFrame: a pandas DataFrame back, on the input's index.
    Pandas,
    /// A polars DataFrame: a polars DataFrame back.
    Polars,
    /// Any other Arrow producer: a `pyarrow.Table` back.
    Arrow,
}

impl TableKind {
    fn of(table: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(if table.cast::<PyDict>().is_ok() {
            TableKind::Dict
        } else {
            match arrow::module_root(table)?.as_str() {
                "pandas" => TableKind::Pandas,
                "polars" => TableKind::Polars,
                _ => TableKind::Arrow,
            }
        })
    }
}

/// A writable float64 NumPy array with a copy of `values` (one `memcpy`: the vector
/// becomes an Arrow buffer, whose bytes NumPy copies).
fn numpy_f64<'py>(np: &Bound<'py, PyModule>, values: Vec<f64>) -> PyResult<Bound<'py, PyAny>> {
    let buffer = arrow_buffer::Buffer::from_vec(values);
    let buf = PyByteArray::new(np.py(), buffer.as_slice());
    np.call_method1("frombuffer", (buf, "float64"))
}

/// An Arrow string array of each value's name, built from the offsets and bytes of the
/// few names (no `&str` per row). Names of one width (grades: 1 byte, stages: 3) are
/// copied as fixed-size arrays, names of up to 16 bytes as one 16-byte copy per row
/// (the next row's overwrites the padding), without a call to `memcpy` per row.
fn names_array<T: Copy>(
    all: &[T],
    values: &[T],
    name: impl Fn(T) -> &'static str,
    index: impl Fn(T) -> usize,
) -> PyResult<ArrayRef> {
    let names: Vec<&'static [u8]> = all.iter().map(|v| name(*v).as_bytes()).collect();
    let codes = values.iter().map(|v| index(*v));
    let too_long =
        || pyo3::exceptions::PyOverflowError::new_err("more than 2 GiB of names in one column");
    let width = names.first().map_or(0, |n| n.len());
    let fixed = match width {
        _ if names.iter().any(|n| n.len() != width) => None,
        1 => fixed_width::<1>(&names, codes.clone()),
        2 => fixed_width::<2>(&names, codes.clone()),
        3 => fixed_width::<3>(&names, codes.clone()),
        4 => fixed_width::<4>(&names, codes.clone()),
        _ => None,
    };
    let (bytes, offsets) = match fixed {
        Some(bytes) => {
            i32::try_from(bytes.len()).map_err(|_| too_long())?;
            let offsets: Vec<i32> = (0..=values.len()).map(|i| (i * width) as i32).collect();
            (bytes, offsets)
        }
        None => match padded(&names, codes.clone()) {
            Some(laid_out) => laid_out,
            None => {
                let mut bytes = Vec::new();
                let mut offsets = Vec::with_capacity(values.len() + 1);
                offsets.push(0i32);
                for code in codes {
                    bytes.extend_from_slice(names[code]);
                    offsets.push(i32::try_from(bytes.len()).map_err(|_| too_long())?);
                }
                (bytes, offsets)
            }
        },
    };
    // SAFETY: `bytes` is whole names (`&'static str`s, so UTF-8) one after another, and
    // `offsets` rise from 0 to its length at the names' boundaries (each is the last
    // plus a name's length): what `OffsetBuffer::new` would check again, offset by
    // offset in a loop that stops at the first fall (1.8 ms of 28 for the grade and
    // stage of a million rows), and `try_new` over every byte (2 ms).
    #[allow(unsafe_code)]
    let array = unsafe {
        let offsets = arrow_buffer::OffsetBuffer::new_unchecked(offsets.into());
        StringArray::new_unchecked(offsets, bytes.into(), None)
    };
    Ok(Arc::new(array))
}

/// The bytes and offsets of `names[code]` for each code, each name (at most 16 bytes)
/// written as one 16-byte copy at the end of the last; `None` for longer names or past
/// 2 GiB.
fn padded(
    names: &[&[u8]],
    codes: impl ExactSizeIterator<Item = usize> + Clone,
) -> Option<(Vec<u8>, Vec<i32>)> {
    let padded: Vec<([u8; 16], usize)> = names
        .iter()
        .map(|n| {
            let mut word = [0u8; 16];
            word.get_mut(..n.len())?.copy_from_slice(n);
            Some((word, n.len()))
        })
        .collect::<Option<_>>()?;
    let rows = codes.len();
    let total: usize = codes
        .clone()
        .map(|c| padded.get(c).map_or(0, |(_, len)| *len))
        .sum();
    // Room for the last row's whole 16-byte copy.
    let room = total.checked_add(16)?;
    i32::try_from(room).ok()?;
    let mut bytes = vec![0u8; room];
    let mut offsets = Vec::with_capacity(rows + 1);
    offsets.push(0i32);
    let mut at = 0usize;
    for code in codes {
        let (word, len) = padded.get(code)?;
        bytes.get_mut(at..at + 16)?.copy_from_slice(word);
        at += len;
        offsets.push(at as i32);
    }
    bytes.truncate(at);
    Some((bytes, offsets))
}

/// The bytes of `names[code]` for each code, every name `W` bytes long.
fn fixed_width<const W: usize>(
    names: &[&[u8]],
    codes: impl Iterator<Item = usize>,
) -> Option<Vec<u8>> {
    let fixed: Vec<[u8; W]> = names
        .iter()
        .map(|n| <[u8; W]>::try_from(*n).ok())
        .collect::<Option<_>>()?;
    let (n, _) = codes.size_hint();
    let mut bytes = vec![0u8; n * W];
    for (dst, c) in bytes.chunks_exact_mut(W).zip(codes) {
        dst.copy_from_slice(&fixed[c]);
    }
    Some(bytes)
}

/// Rows scored per call of the core by `score_table`.
const CHUNK_ROWS: usize = 1 << 16;

/// A writable NumPy unicode array (`<U{width}`, UTF-32) of `names[code]` per row: each
/// (short ASCII) name is encoded once and copied per row.
fn numpy_str<'py>(
    np: &Bound<'py, PyModule>,
    names: &[&str],
    codes: impl ExactSizeIterator<Item = usize>,
) -> PyResult<Bound<'py, PyAny>> {
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0).max(1);
    let encoded: Vec<Vec<u8>> = names
        .iter()
        .map(|n| {
            (0..width)
                .flat_map(|i| {
                    n.as_bytes()
                        .get(i)
                        .map_or(0u32, |b| u32::from(*b))
                        .to_le_bytes()
                })
                .collect()
        })
        .collect();
    let mut bytes = Vec::with_capacity(codes.len() * width * 4);
    for code in codes {
        bytes.extend_from_slice(&encoded[code]);
    }
    let buf = PyByteArray::new(np.py(), &bytes);
    np.call_method1("frombuffer", (buf, format!("<U{width}")))
}

/// Fits a scorecard to a labelled table (pyarrow, pandas, polars or a dict of
/// columns): `label` names the outcome column, every other column except `drop`
/// is a field, rows with a null label are skipped. `positive` is the label value of
/// the outcome to score for (default: read from yes/no values such as True, 1, "yes",
/// "sí", "sim"). `seed` (default 0) shuffles the `folds` (default 5; 0 for none) of the
/// cross-validation. `monotone`, `min_support`, `min_iv` and `max_rules` are the
/// core's `FitOptions` (defaults in `arichat_core::fit`). Returns a [`FitResult`].
/// The data is fitted without the GIL. `progress`, a callable, is called with
/// `(fits_done, fits_total)`: one fit per fold and the final one; an exception it
/// raises, or Ctrl-C (`KeyboardInterrupt`), stops the fit before the next one.
#[pyfunction]
#[pyo3(signature = (table, label, positive = None, seed = None, drop = None, folds = None, *, monotone = None, min_support = None, min_iv = None, max_rules = None, progress = None))]
#[allow(clippy::too_many_arguments)] // keyword arguments of one Python function
pub(crate) fn fit<'py>(
    py: Python<'py>,
    table: &Bound<'py, PyAny>,
    label: &str,
    positive: Option<&Bound<'py, PyAny>>,
    seed: Option<u64>,
    drop: Option<Vec<String>>,
    folds: Option<usize>,
    monotone: Option<bool>,
    min_support: Option<f64>,
    min_iv: Option<f64>,
    max_rules: Option<usize>,
    progress: Option<&Bound<'py, PyAny>>,
) -> PyResult<FitResult> {
    let mut progress = Progress::new(progress)?;
    let kind = TableKind::of(table)?;
    let raw = read_table(table)?;
    let drop = drop.unwrap_or_default();
    for d in &drop {
        if !raw.iter().any(|(n, _)| n == d) {
            return Err(PyKeyError::new_err(format!("no column {d:?} to drop")));
        }
    }
    if !raw.iter().any(|(n, _)| n == label) {
        return Err(PyKeyError::new_err(format!("no label column {label:?}")));
    }
    let n = raw.first().map_or(0, |(_, values)| values.len());
    let mut records = vec![LeadRecord::new(); n];
    for (name, values) in &raw {
        for (row, v) in records.iter_mut().zip(values) {
            let v = to_value(v)?;
            if name == label || !is_null(&v) {
                row.set(name.clone(), v);
            }
        }
    }
    let options = FitOptions {
        label: label.to_owned(),
        positive: positive.map(to_value).transpose()?,
        drop,
        seed,
        folds,
        monotone,
        min_support,
        min_information_value: min_iv,
        max_rules,
    };
    // Between fits (one per fold and the final one) the callback is called and signal
    // handlers run: an exception in either (Ctrl-C's KeyboardInterrupt) stops the fit.
    let out = py.detach(|| {
        fit_labelled_with_progress(records, &options, &mut |done, total| {
            progress.report(done, total);
            if let Some(e) = progress.take_error() {
                return Err(Stop::Python(e));
            }
            Python::attach(|py| py.check_signals()).map_err(Stop::Python)
        })
    });
    let out = out.map_err(Stop::into_py)?;
    let scorecard = Py::new(
        py,
        Scorecard {
            inner: out.fitted.scorecard.clone(),
        },
    )?;
    Ok(FitResult {
        scorecard,
        out,
        kind,
    })
}

/// What `arichat.fit` learned: the scorecard, how the solver went and, unless
/// `folds=0`, the cross-validation (every row scored once by the card fitted without
/// its fold). Tables come back in the kind `fit` was given: a pandas or polars
/// DataFrame, else a `pyarrow.Table`.
#[pyclass(name = "FitResult", module = "arichat", frozen)]
pub struct FitResult {
    scorecard: Py<Scorecard>,
    out: LabelledFit,
    kind: TableKind,
}

impl FitResult {
    fn cv(&self) -> Option<&CvReport> {
        self.out.cv.as_ref()
    }

    /// Columns (name, values) as a frame of the input's kind.
    fn frame<'py>(
        &self,
        py: Python<'py>,
        columns: &Bound<'py, PyDict>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match self.kind {
            TableKind::Pandas => py.import("pandas")?.getattr("DataFrame")?.call1((columns,)),
            TableKind::Polars => py.import("polars")?.getattr("DataFrame")?.call1((columns,)),
            TableKind::Dict | TableKind::Arrow => {
                arrow::pyarrow(py)?.call_method1("table", (columns,))
            }
        }
    }
}

#[pymethods]
impl FitResult {
    /// The fitted scorecard.
    #[getter]
    fn scorecard(&self, py: Python<'_>) -> Py<Scorecard> {
        self.scorecard.clone_ref(py)
    }

    /// Mean of the folds' ROC-AUC (None without cross-validation).
    #[getter]
    fn auc(&self) -> Option<f64> {
        self.cv().map(|cv| cv.auc_mean)
    }

    /// Standard deviation of the folds' ROC-AUC.
    #[getter]
    fn auc_std(&self) -> Option<f64> {
        self.cv().map(|cv| cv.auc_std)
    }

    /// ROC-AUC of all out-of-fold totals together.
    #[getter]
    fn auc_pooled(&self) -> Option<f64> {
        self.cv().map(|cv| cv.auc_pooled)
    }

    /// Brier score of the out-of-fold probabilities.
    #[getter]
    fn brier(&self) -> Option<f64> {
        self.cv().map(|cv| cv.brier)
    }

    /// Log loss of the out-of-fold probabilities.
    #[getter]
    fn log_loss(&self) -> Option<f64> {
        self.cv().map(|cv| cv.log_loss)
    }

    /// The reliability diagram of the out-of-fold probabilities as a frame: one row
    /// per non-empty bin of predicted probability with `lower`, `upper`, `count`,
    /// `mean_predicted` and `observed_rate` (None without cross-validation).
    #[getter]
    fn calibration<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let Some(cv) = self.cv() else { return Ok(None) };
        let bins = &cv.reliability;
        let cols = PyDict::new(py);
        cols.set_item("lower", bins.iter().map(|b| b.lower).collect::<Vec<_>>())?;
        cols.set_item("upper", bins.iter().map(|b| b.upper).collect::<Vec<_>>())?;
        cols.set_item(
            "count",
            bins.iter().map(|b| b.count as u64).collect::<Vec<_>>(),
        )?;
        cols.set_item(
            "mean_predicted",
            bins.iter().map(|b| b.mean_predicted).collect::<Vec<_>>(),
        )?;
        cols.set_item(
            "observed_rate",
            bins.iter().map(|b| b.observed_rate).collect::<Vec<_>>(),
        )?;
        self.frame(py, &cols).map(Some)
    }

    /// Each fold's held-out `rows`, `positives`, `auc` and `brier` as a frame (None
    /// without cross-validation).
    #[getter]
    fn folds<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let Some(cv) = self.cv() else { return Ok(None) };
        let f = &cv.folds;
        let cols = PyDict::new(py);
        cols.set_item("fold", f.iter().map(|r| r.fold as u64).collect::<Vec<_>>())?;
        cols.set_item("rows", f.iter().map(|r| r.rows as u64).collect::<Vec<_>>())?;
        cols.set_item(
            "positives",
            f.iter().map(|r| r.positives as u64).collect::<Vec<_>>(),
        )?;
        cols.set_item("auc", f.iter().map(|r| r.auc).collect::<Vec<_>>())?;
        cols.set_item("brier", f.iter().map(|r| r.brier).collect::<Vec<_>>())?;
        self.frame(py, &cols).map(Some)
    }

    /// The columns the fit left out, as a frame: `field`, `reason` (`constant`,
    /// `nearly_constant`, `low_information`, `rule_budget`, `no_points`) and its
    /// `information_value`.
    #[getter]
    fn dropped<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let d = &self.out.fitted.dropped;
        let cols = PyDict::new(py);
        cols.set_item(
            "field",
            d.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(),
        )?;
        cols.set_item(
            "reason",
            d.iter().map(|f| f.reason.as_str()).collect::<Vec<_>>(),
        )?;
        cols.set_item(
            "information_value",
            d.iter().map(|f| f.information_value).collect::<Vec<_>>(),
        )?;
        self.frame(py, &cols)
    }

    /// Rows fitted (rows with a label).
    #[getter]
    fn rows(&self) -> usize {
        self.out.rows
    }

    /// Positive rows among them.
    #[getter]
    fn positives(&self) -> usize {
        self.out.positives
    }

    /// Rows skipped for an empty or null label.
    #[getter]
    fn unlabelled(&self) -> usize {
        self.out.unlabelled
    }

    /// Fit rules of the scorecard.
    #[getter]
    fn rules(&self) -> usize {
        self.out.fitted.scorecard.fit.len()
    }

    /// Solver iterations.
    #[getter]
    fn iterations(&self) -> usize {
        self.out.fitted.iterations
    }

    /// Whether the solver converged.
    #[getter]
    fn converged(&self) -> bool {
        self.out.fitted.converged
    }

    /// The fit report as one self-contained HTML page (inline SVG and CSS, no script,
    /// nothing fetched): the file `arichat fit --report` writes, from the core's
    /// `arichat_core::fit::FitReport`.
    fn to_html(&self) -> String {
        self.out.report.to_html()
    }

    /// The report's figures as dicts and lists: `title`, `rows`, `positives`, `rules`,
    /// `base`, `evaluation` (cross-validated or in-sample), `auc`, `brier`, `log_loss`,
    /// `roc`, `gains`, `calibration` (by decile), `grades`, `fields` (each rule's bins
    /// with points, rows and conversion rate) and `dropped` (columns left out, and why).
    #[getter]
    fn report<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.out.report)
    }

    /// Everything as plain Python values (the cross-validation's `auc_mean`,
    /// `auc_std`, `auc_pooled`, `brier`, `log_loss`, `folds`, `reliability`, and
    /// `rows`, `positives`, `unlabelled`, `rules`, `iterations`, `converged`), for
    /// JSON or logging.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let report = match self.cv() {
            Some(cv) => to_py(py, cv)?.cast_into::<PyDict>()?,
            None => PyDict::new(py),
        };
        report.set_item("rows", self.out.rows)?;
        report.set_item("positives", self.out.positives)?;
        report.set_item("unlabelled", self.out.unlabelled)?;
        report.set_item("rules", self.rules())?;
        report.set_item("iterations", self.out.fitted.iterations)?;
        report.set_item("converged", self.out.fitted.converged)?;
        Ok(report)
    }

    /// `card, report = arichat.fit(...)` as in releases before `FitResult`: the
    /// scorecard and `to_dict()`. Deprecated; use the attributes.
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        PyErr::warn(
            py,
            &py.get_type::<pyo3::exceptions::PyDeprecationWarning>(),
            c"unpacking arichat.fit(...) into (card, report) is deprecated: use \
              result.scorecard and result.auc, result.calibration, result.to_dict()",
            1,
        )?;
        let pair = PyTuple::new(
            py,
            [
                self.scorecard.clone_ref(py).into_bound(py).into_any(),
                self.to_dict(py)?.into_any(),
            ],
        )?;
        pair.try_iter().map(Bound::into_any)
    }

    fn __repr__(&self) -> String {
        let auc = self
            .cv()
            .map_or_else(|| "None".to_owned(), |cv| format!("{:.4}", cv.auc_mean));
        format!(
            "FitResult(rules={}, rows={}, positives={}, auc={auc})",
            self.rules(),
            self.out.rows,
            self.out.positives
        )
    }
}
