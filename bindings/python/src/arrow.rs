//! The Arrow C data interface at the edge: Arrow PyCapsules (`__arrow_c_stream__`,
//! `__arrow_c_array__`) imported with arrow-rs's `ffi` modules, columns read as borrowed
//! views the core's batch path takes, and results exported back as capsules.
//!
//! No Python object is made per row: buffers are shared with the producer (pyarrow,
//! polars, ...) and the only allocations are per column of a batch (a validity mask,
//! integers widened to `f64`, `&str` views of a text column).

use std::ffi::CStr;
use std::sync::Arc;

use arichat_core::scoring::Column;
use arichat_core::CoreError;
use arrow_array::cast::AsArray;
use arrow_array::ffi::{from_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::types::{
    Float16Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type,
    UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{
    make_array, Array, ArrayRef, ArrowPrimitiveType, RecordBatch, RecordBatchIterator, StructArray,
};
use arrow_buffer::{ArrowNativeType, BooleanBuffer, NullBuffer};
use arrow_schema::{ArrowError, DataType, Field, Schema};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict, PyTuple};

use crate::error::to_py_err;

const STREAM: &CStr = c"arrow_array_stream";
const SCHEMA: &CStr = c"arrow_schema";
const ARRAY: &CStr = c"arrow_array";

fn arrow_err(e: ArrowError) -> PyErr {
    PyValueError::new_err(format!("Arrow import failed: {e}"))
}

/// Arrays imported from an Arrow producer, chunk by chunk, with their field (a struct
/// field for tables and record batches).
pub(crate) struct Imported {
    pub(crate) field: Field,
    pub(crate) chunks: Vec<ArrayRef>,
}

/// Whether `obj` speaks the Arrow PyCapsule interface.
pub(crate) fn is_arrow(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(obj.hasattr("__arrow_c_stream__")? || obj.hasattr("__arrow_c_array__")?)
}

/// Imports an object exposing `__arrow_c_stream__` (preferred: tables, chunked arrays,
/// data frames) or `__arrow_c_array__` (record batches, arrays) without copying buffers.
pub(crate) fn import(obj: &Bound<'_, PyAny>) -> PyResult<Imported> {
    if obj.hasattr("__arrow_c_stream__")? {
        let capsule = obj.call_method0("__arrow_c_stream__")?;
        let capsule = capsule.cast_into::<PyCapsule>()?;
        let ptr = capsule.pointer_checked(Some(STREAM))?;
        // SAFETY: the capsule is named "arrow_array_stream", so by the PyCapsule
        // interface it holds an ArrowArrayStream; `from_raw` moves it out and leaves a
        // released stream behind, which the capsule's destructor then ignores.
        let mut stream =
            unsafe { FFI_ArrowArrayStream::from_raw(ptr.as_ptr().cast::<FFI_ArrowArrayStream>()) };
        let released = || PyValueError::new_err("the Arrow stream was already consumed");
        let (Some(get_schema), Some(get_next)) = (stream.get_schema, stream.get_next) else {
            return Err(released());
        };
        let stream_err = |stream: &mut FFI_ArrowArrayStream, rc: i32| {
            let msg = stream
                .get_last_error
                // SAFETY: the producer's callback, on its own live stream; the message
                // is a C string valid until the next call on the stream.
                .map(|f| unsafe { f(stream) })
                .filter(|p| !p.is_null())
                .map(|p| unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
                .unwrap_or_else(|| format!("error code {rc}"));
            PyValueError::new_err(format!("Arrow stream failed: {msg}"))
        };
        let mut schema = FFI_ArrowSchema::empty();
        // SAFETY: the producer's callback on its live stream, writing into `schema`.
        let rc = unsafe { get_schema(&mut stream, &mut schema) };
        if rc != 0 {
            return Err(stream_err(&mut stream, rc));
        }
        let field = Field::try_from(&schema).map_err(arrow_err)?;
        let mut chunks = Vec::new();
        loop {
            let mut array = FFI_ArrowArray::empty();
            // SAFETY: as above; a released `array` marks the end of the stream.
            let rc = unsafe { get_next(&mut stream, &mut array) };
            if rc != 0 {
                return Err(stream_err(&mut stream, rc));
            }
            if array.is_released() {
                break;
            }
            // SAFETY: `array` was just produced by the stream, whose schema is `schema`.
            let data = unsafe { from_ffi(array, &schema) }.map_err(arrow_err)?;
            chunks.push(make_array(data));
        }
        return Ok(Imported { field, chunks });
    }
    if obj.hasattr("__arrow_c_array__")? {
        let pair = obj.call_method0("__arrow_c_array__")?;
        let pair = pair.cast_into::<PyTuple>()?;
        let schema_capsule = pair.get_item(0)?.cast_into::<PyCapsule>()?;
        let array_capsule = pair.get_item(1)?.cast_into::<PyCapsule>()?;
        let schema_ptr = schema_capsule.pointer_checked(Some(SCHEMA))?;
        let array_ptr = array_capsule.pointer_checked(Some(ARRAY))?;
        // SAFETY: capsules named "arrow_schema" and "arrow_array" hold an ArrowSchema
        // and an ArrowArray. The schema is only borrowed (its capsule releases it); the
        // array is moved out (`from_raw` leaves a released one behind).
        let schema = unsafe { &*schema_ptr.as_ptr().cast::<FFI_ArrowSchema>() };
        let array =
            unsafe { FFI_ArrowArray::from_raw(array_ptr.as_ptr().cast::<FFI_ArrowArray>()) };
        let field = Field::try_from(schema).map_err(arrow_err)?;
        // SAFETY: `array` and `schema` come as one pair from the producer.
        let data = unsafe { from_ffi(array, schema) }.map_err(arrow_err)?;
        return Ok(Imported {
            field,
            chunks: vec![make_array(data)],
        });
    }
    Err(PyTypeError::new_err(format!(
        "expected an object with __arrow_c_stream__ or __arrow_c_array__, not {}",
        obj.get_type().name()?
    )))
}

/// The record batches of an imported table (struct arrays); `Err` names the type of a
/// chunk that is not one.
pub(crate) fn struct_batches(imported: &Imported) -> Result<Vec<&StructArray>, String> {
    imported
        .chunks
        .iter()
        .map(|chunk| {
            chunk.as_struct_opt().ok_or_else(|| {
                format!(
                    "expected a table (Arrow struct/record batch), got Arrow type {}",
                    chunk.data_type()
                )
            })
        })
        .collect()
}

/// The column names of an imported table (none for an imported plain array).
pub(crate) fn column_names(imported: &Imported) -> Vec<&str> {
    match imported.field.data_type() {
        DataType::Struct(fields) => fields.iter().map(|f| f.name().as_str()).collect(),
        _ => Vec::new(),
    }
}

/// Views of the columns of a record batch whose names `wanted` accepts.
pub(crate) fn views<'a>(
    batch: &'a StructArray,
    wanted: impl Fn(&str) -> bool,
) -> Result<Vec<(&'a str, View<'a>)>, String> {
    views_with(batch, wanted, view)
}

/// [`views`] for the core's column-wise scoring and assignment: plain text columns are
/// read in place ([`View::Utf8`]) instead of as one `&str` per row.
pub(crate) fn views_in_place<'a>(
    batch: &'a StructArray,
    wanted: impl Fn(&str) -> bool,
) -> Result<Vec<(&'a str, View<'a>)>, String> {
    views_with(batch, wanted, view_in_place)
}

fn views_with<'a>(
    batch: &'a StructArray,
    wanted: impl Fn(&str) -> bool,
    view: impl Fn(&str, &'a dyn Array) -> Result<View<'a>, String>,
) -> Result<Vec<(&'a str, View<'a>)>, String> {
    let mut views = Vec::new();
    for (field, array) in batch.fields().iter().zip(batch.columns()) {
        let name = field.name().as_str();
        if wanted(name) {
            views.push((name, view(name, array.as_ref())?));
        }
    }
    Ok(views)
}

/// [`view`], with `string` and `large_string` (under 2 GiB of text) as [`View::Utf8`].
pub(crate) fn view_in_place<'a>(name: &str, array: &'a dyn Array) -> Result<View<'a>, String> {
    let valid = || validity(array.logical_nulls().as_ref());
    Ok(match array.data_type() {
        DataType::Utf8 => {
            let a = array.as_string::<i32>();
            View::Utf8(
                std::borrow::Cow::Borrowed(a.offsets()),
                a.value_data(),
                valid(),
            )
        }
        DataType::LargeUtf8 => {
            let a = array.as_string::<i64>();
            let narrow: Option<Vec<i32>> =
                a.offsets().iter().map(|o| i32::try_from(*o).ok()).collect();
            match narrow {
                Some(offsets) => View::Utf8(offsets.into(), a.value_data(), valid()),
                None => View::Text(a.iter().collect()),
            }
        }
        _ => view(name, array)?,
    })
}

/// Brings pandas objects, dicts of columns and sequences to Arrow with pyarrow (the
/// one place Python-side conversion happens); Arrow producers pass through untouched.
pub(crate) fn to_arrow<'py>(obj: &Bound<'py, PyAny>, what: &str) -> PyResult<Bound<'py, PyAny>> {
    if is_arrow(obj)? && module_root(obj)? != "pandas" {
        return Ok(obj.clone());
    }
    let py = obj.py();
    let pa = pyarrow(py)?;
    let converted = match module_root(obj)?.as_str() {
        "pandas" if obj.hasattr("columns")? => {
            let kw = PyDict::new(py);
            kw.set_item("preserve_index", false)?;
            pa.getattr("Table")?
                .call_method("from_pandas", (obj,), Some(&kw))
        }
        "pandas" => pa.getattr("Array")?.call_method1("from_pandas", (obj,)),
        _ if obj.cast::<PyDict>().is_ok() => pa.call_method1("table", (obj,)),
        _ if what == "a column" && !obj.is_instance_of::<pyo3::types::PyString>() => {
            pa.call_method1("array", (obj,))
        }
        _ => {
            return Err(PyTypeError::new_err(format!(
                "expected {what}: an Arrow object (pyarrow, polars, anything with \
                 __arrow_c_stream__ or __arrow_c_array__), a pandas object or a dict of \
                 columns, not {}",
                obj.get_type().name()?
            )))
        }
    };
    // pyarrow raises ArrowInvalid (a ValueError) or ArrowTypeError (a TypeError) when
    // a column's values do not share one type or columns differ in length: either way
    // the data is wrong, which is arichat's InvalidScoringDataError.
    converted.map_err(|e| {
        to_py_err(CoreError::InvalidScoringData {
            reason: format!(
                "cannot read {what} as Arrow (one type per column, equal lengths): {e}"
            ),
        })
    })
}

/// The `pyarrow` module, or an `ImportError` that says what to install (it is a
/// declared dependency of the wheel; this covers environments that removed it).
pub(crate) fn pyarrow(py: Python<'_>) -> PyResult<Bound<'_, PyModule>> {
    py.import("pyarrow").map_err(|e| {
        pyo3::exceptions::PyImportError::new_err(format!(
            "arichat reads and returns tables through pyarrow, which is not importable \
             here ({e}); install it with: pip install 'pyarrow>=14'"
        ))
    })
}

/// The top-level package of an object's type (`pandas`, `polars`, `pyarrow`, ...).
pub(crate) fn module_root(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    let module: String = obj.get_type().getattr("__module__")?.extract()?;
    Ok(module.split('.').next().unwrap_or("").to_owned())
}

/// An Arrow column in the shape of [`Column`]: borrowed where Arrow's layout is the
/// core's (dense `f64`), per-column buffers where it is not (bit-packed validity and
/// booleans, other numeric types, `&str` views of offsets or views).
pub(crate) enum View<'a> {
    /// Numbers, borrowed when the column is `float64`.
    Number(std::borrow::Cow<'a, [f64]>, Option<Vec<bool>>),
    /// Booleans.
    Bool(Vec<bool>, Option<Vec<bool>>),
    /// Text.
    Text(Vec<Option<&'a str>>),
    /// Text read in place: offsets (borrowed for `string`, narrowed for `large_string`
    /// under 2 GiB), the value bytes and the validity.
    Utf8(std::borrow::Cow<'a, [i32]>, &'a [u8], Option<Vec<bool>>),
    /// Dictionary-encoded text: keys (null rows point at a trailing `None`; borrowed
    /// when they are 32-bit and without nulls) and values.
    Categorical(std::borrow::Cow<'a, [u32]>, Vec<Option<&'a str>>),
}

impl View<'_> {
    /// The view as the core's column.
    pub(crate) fn column(&self) -> Column<'_> {
        match self {
            View::Number(values, valid) => Column::Number {
                values,
                valid: valid.as_deref(),
            },
            View::Bool(values, valid) => Column::Bool {
                values,
                valid: valid.as_deref(),
            },
            View::Text(values) => Column::Text(values),
            View::Utf8(offsets, data, valid) => Column::Utf8 {
                offsets,
                data,
                valid: valid.as_deref(),
            },
            View::Categorical(keys, values) => Column::Categorical { keys, values },
        }
    }
}

fn validity(nulls: Option<&NullBuffer>) -> Option<Vec<bool>> {
    nulls
        .filter(|n| n.null_count() > 0)
        .map(|n| bits(n.inner()))
}

/// Bit-packed booleans as one `bool` per value, 64 at a time (testing each bit through
/// an iterator costs several times more).
fn bits(b: &BooleanBuffer) -> Vec<bool> {
    let mut out = Vec::with_capacity(b.len() + 64);
    for word in b.inner().bit_chunks(b.offset(), b.len()).iter_padded() {
        out.extend((0..64).map(|i| (word >> i) & 1 == 1));
    }
    out.truncate(b.len());
    out
}

/// The positions of the nulls: a word-wise NOT of the validity bits, then their set
/// bits (fast when nulls are few, unlike testing every row's bit).
fn null_indices(nulls: &NullBuffer) -> Vec<usize> {
    (!nulls.inner()).set_indices().collect()
}

/// The values of a primitive array as `f64` (nulls read as whatever the slot holds;
/// the validity travels separately).
fn numbers<T: ArrowPrimitiveType>(
    array: &dyn Array,
    to_f64: impl Fn(T::Native) -> f64,
) -> Vec<f64> {
    array
        .as_primitive::<T>()
        .values()
        .iter()
        .map(|v| to_f64(*v))
        .collect()
}

/// A dictionary's keys as `u32`, null keys as `null`. 32-bit keys without nulls are
/// borrowed (an `int32` key is read as `u32`: a negative one becomes too large, which the
/// core reports as a key outside the values); others are widened.
fn dictionary_keys(keys: &dyn Array, null: u32) -> Result<std::borrow::Cow<'_, [u32]>, String> {
    fn widen<T: ArrowPrimitiveType>(keys: &dyn Array, null: u32) -> Vec<u32> {
        let keys = keys.as_primitive::<T>();
        let key = |k: T::Native| u32::try_from(k.as_usize()).unwrap_or(u32::MAX);
        let mut out: Vec<u32> = keys.values().iter().map(|k| key(*k)).collect();
        if let Some(nulls) = keys.logical_nulls() {
            null_indices(&nulls).into_iter().for_each(|i| out[i] = null);
        }
        out
    }
    if keys.logical_null_count() == 0 {
        match keys.data_type() {
            DataType::UInt32 => {
                return Ok(keys.as_primitive::<UInt32Type>().values().as_ref().into());
            }
            DataType::Int32 => {
                return Ok(keys
                    .as_primitive::<Int32Type>()
                    .values()
                    .inner()
                    .typed_data::<u32>()
                    .into());
            }
            _ => {}
        }
    }
    Ok(match keys.data_type() {
        DataType::Int8 => widen::<Int8Type>(keys, null),
        DataType::Int16 => widen::<Int16Type>(keys, null),
        DataType::Int32 => widen::<Int32Type>(keys, null),
        DataType::Int64 => widen::<Int64Type>(keys, null),
        DataType::UInt8 => widen::<UInt8Type>(keys, null),
        DataType::UInt16 => widen::<UInt16Type>(keys, null),
        DataType::UInt32 => widen::<UInt32Type>(keys, null),
        DataType::UInt64 => widen::<UInt64Type>(keys, null),
        dt => return Err(format!("dictionary keys of Arrow type {dt}")),
    }
    .into())
}

/// Reads one Arrow array as a [`View`]; `Err` names the unsupported type.
pub(crate) fn view<'a>(name: &str, array: &'a dyn Array) -> Result<View<'a>, String> {
    let valid = || validity(array.logical_nulls().as_ref());
    Ok(match array.data_type() {
        DataType::Float64 => View::Number(
            std::borrow::Cow::Borrowed(array.as_primitive::<Float64Type>().values()),
            valid(),
        ),
        // i64/u64 beyond 2^53 lose precision, as Python ints do in the row path.
        DataType::Int64 => View::Number(numbers::<Int64Type>(array, |v| v as f64).into(), valid()),
        DataType::UInt64 => {
            View::Number(numbers::<UInt64Type>(array, |v| v as f64).into(), valid())
        }
        DataType::Float16 => View::Number(
            numbers::<Float16Type>(array, |v| v.to_f64()).into(),
            valid(),
        ),
        DataType::Float32 => View::Number(numbers::<Float32Type>(array, f64::from).into(), valid()),
        DataType::Int8 => View::Number(numbers::<Int8Type>(array, f64::from).into(), valid()),
        DataType::Int16 => View::Number(numbers::<Int16Type>(array, f64::from).into(), valid()),
        DataType::Int32 => View::Number(numbers::<Int32Type>(array, f64::from).into(), valid()),
        DataType::UInt8 => View::Number(numbers::<UInt8Type>(array, f64::from).into(), valid()),
        DataType::UInt16 => View::Number(numbers::<UInt16Type>(array, f64::from).into(), valid()),
        DataType::UInt32 => View::Number(numbers::<UInt32Type>(array, f64::from).into(), valid()),
        DataType::Boolean => {
            let b = array.as_boolean();
            View::Bool(bits(b.values()), valid())
        }
        DataType::Utf8 => View::Text(array.as_string::<i32>().iter().collect()),
        DataType::LargeUtf8 => View::Text(array.as_string::<i64>().iter().collect()),
        DataType::Utf8View => View::Text(array.as_string_view().iter().collect()),
        DataType::Null => View::Text(vec![None; array.len()]),
        DataType::Dictionary(_, _) => {
            let dict = array
                .as_any_dictionary_opt()
                .ok_or_else(|| format!("column {name:?}: unreadable dictionary"))?;
            let values = view(name, dict.values().as_ref())?;
            if let View::Text(mut v) = values {
                // Stays encoded: the core tests each distinct value once.
                let null = u32::try_from(v.len())
                    .map_err(|_| format!("column {name:?}: more than 2^32 dictionary values"))?;
                v.push(None);
                return Ok(View::Categorical(dictionary_keys(dict.keys(), null)?, v));
            }
            let keys = dict.normalized_keys();
            let key_valid = dict.keys().logical_nulls();
            let present = |i: usize| key_valid.as_ref().is_none_or(|n| n.is_valid(i));
            match values {
                View::Text(_) | View::Utf8(..) => {
                    unreachable!("text dictionaries returned above; `view` gives no Utf8")
                }
                View::Categorical(..) => {
                    return Err(format!("column {name:?}: a dictionary of dictionaries"))
                }
                View::Number(v, m) => View::Number(
                    keys.iter().map(|k| v[*k]).collect::<Vec<f64>>().into(),
                    Some(
                        keys.iter()
                            .enumerate()
                            .map(|(i, k)| present(i) && m.as_ref().is_none_or(|m| m[*k]))
                            .collect(),
                    ),
                ),
                View::Bool(v, m) => View::Bool(
                    keys.iter().map(|k| v[*k]).collect(),
                    Some(
                        keys.iter()
                            .enumerate()
                            .map(|(i, k)| present(i) && m.as_ref().is_none_or(|m| m[*k]))
                            .collect(),
                    ),
                ),
            }
        }
        dt => {
            return Err(format!(
                "column {name:?} has Arrow type {dt}; scoring reads numbers, booleans \
                 and text (also dictionary-encoded)"
            ))
        }
    })
}

/// Arrow data made in Rust, handed to Python consumers through the PyCapsule
/// interface (`pyarrow.table(x)`, `pyarrow.array(x)`, `polars.DataFrame(x)`).
#[pyclass(name = "_ArrowData", module = "arichat", frozen)]
pub(crate) struct ArrowData {
    field: Arc<Field>,
    array: ArrayRef,
}

impl ArrowData {
    /// A table (one record batch) of named columns.
    pub(crate) fn table(columns: Vec<(&str, ArrayRef)>) -> PyResult<Self> {
        let schema = Schema::new(
            columns
                .iter()
                .map(|(n, a)| Field::new(*n, a.data_type().clone(), a.null_count() > 0))
                .collect::<Vec<_>>(),
        );
        let batch = RecordBatch::try_new(
            Arc::new(schema),
            columns.into_iter().map(|(_, a)| a).collect(),
        )
        .map_err(arrow_err)?;
        let array: ArrayRef = Arc::new(arrow_array::StructArray::from(batch));
        let field = Field::new("", array.data_type().clone(), false);
        Ok(ArrowData {
            field: Arc::new(field),
            array,
        })
    }
}

#[pymethods]
impl ArrowData {
    /// The schema as an `arrow_schema` capsule.
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        let schema = FFI_ArrowSchema::try_from(self.field.as_ref()).map_err(arrow_err)?;
        PyCapsule::new_with_value(py, schema, SCHEMA)
    }

    /// `(arrow_schema, arrow_array)` capsules of the data (requested_schema is ignored).
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_array__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let _ = requested_schema;
        let schema = FFI_ArrowSchema::try_from(self.field.as_ref()).map_err(arrow_err)?;
        let array = FFI_ArrowArray::new(&self.array.to_data());
        let schema = PyCapsule::new_with_value(py, schema, SCHEMA)?;
        let array = PyCapsule::new_with_value(py, array, ARRAY)?;
        PyTuple::new(py, [schema, array])
    }

    /// An `arrow_array_stream` capsule of the data (requested_schema is ignored).
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let stream = match self.array.data_type() {
            DataType::Struct(_) => {
                let batch = RecordBatch::from(self.array.as_struct().clone());
                let schema = batch.schema();
                FFI_ArrowArrayStream::new(Box::new(RecordBatchIterator::new([Ok(batch)], schema)))
            }
            _ => {
                // A lone array travels as a one-column batch.
                let schema = Arc::new(Schema::new(vec![self.field.as_ref().clone()]));
                let batch = RecordBatch::try_new(schema.clone(), vec![self.array.clone()])
                    .map_err(arrow_err)?;
                FFI_ArrowArrayStream::new(Box::new(RecordBatchIterator::new([Ok(batch)], schema)))
            }
        };
        PyCapsule::new_with_value(py, stream, STREAM)
    }
}
