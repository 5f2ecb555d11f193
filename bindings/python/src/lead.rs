//! `arichat.Lead`: a thin wrapper around [`arichat_core::Lead`].

use arichat_core::{
    ChangeCause, Channel, ContactId, LeadChange, LeadId, LeadStatus, LifecycleStage, TenantId,
    Transition,
};
use chrono::{DateTime, Utc};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyType};

use crate::error::to_py_err;
use crate::time::to_utc;

/// A sales lead with an audited status and lifecycle stage.
///
/// Status and stage move only through `set_status` and `set_stage`, which check the
/// core's transition tables; an illegal move raises and leaves the lead unchanged.
#[pyclass(name = "Lead", module = "arichat", eq)]
#[derive(PartialEq)]
pub struct Lead {
    inner: arichat_core::Lead,
}

fn parse<T: std::str::FromStr<Err = arichat_core::CoreError>>(s: &str) -> PyResult<T> {
    s.parse().map_err(to_py_err)
}

fn change_to_dict<'py>(py: Python<'py>, change: &LeadChange) -> PyResult<Bound<'py, PyDict>> {
    let (field, from, to) = match change.transition {
        Transition::Status { from, to } => ("status", from.as_str(), to.as_str()),
        Transition::Stage { from, to } => ("stage", from.as_str(), to.as_str()),
    };
    let dict = PyDict::new(py);
    dict.set_item("field", field)?;
    dict.set_item("from", from)?;
    dict.set_item("to", to)?;
    dict.set_item("at", change.at)?;
    dict.set_item("cause", change.cause.as_str())?;
    dict.set_item("reason", &change.reason)?;
    Ok(dict)
}

#[pymethods]
impl Lead {
    /// A new lead: status `unattended`, stage `iql`, attributed to `channel`.
    #[new]
    fn new(
        id: &str,
        tenant_id: &str,
        contact_id: &str,
        channel: &str,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        let channel: Channel = parse(channel)?;
        Ok(Lead {
            inner: arichat_core::Lead::new(
                LeadId::new(id),
                TenantId::new(tenant_id),
                ContactId::new(contact_id),
                channel,
                to_utc("now", now)?,
            ),
        })
    }

    /// The lead id.
    #[getter]
    fn id(&self) -> &str {
        self.inner.id().as_str()
    }

    /// The owning tenant.
    #[getter]
    fn tenant_id(&self) -> &str {
        self.inner.tenant_id().as_str()
    }

    /// The contact this lead belongs to.
    #[getter]
    fn contact_id(&self) -> &str {
        self.inner.contact_id().as_str()
    }

    /// The channel the lead came from, if known.
    #[getter]
    fn channel(&self) -> Option<&'static str> {
        self.inner.source().channel.map(Channel::as_str)
    }

    /// Current status: unattended, interested, negotiating, won or lost.
    #[getter]
    fn status(&self) -> &'static str {
        self.inner.status().as_str()
    }

    /// Current lifecycle stage: iql, mql, sql or customer.
    #[getter]
    fn stage(&self) -> &'static str {
        self.inner.stage().as_str()
    }

    /// When the lead was created (UTC).
    #[getter]
    fn created_at(&self) -> DateTime<Utc> {
        self.inner.created_at()
    }

    /// When status or stage last changed (UTC).
    #[getter]
    fn updated_at(&self) -> DateTime<Utc> {
        self.inner.updated_at()
    }

    /// Every change, oldest first, as dicts with keys field, from, to, at, cause, reason.
    #[getter]
    fn history<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let changes = self
            .inner
            .history()
            .iter()
            .map(|c| change_to_dict(py, c))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, changes)
    }

    /// Moves the status and returns the recorded change.
    fn set_status<'py>(
        &mut self,
        py: Python<'py>,
        to: &str,
        cause: &str,
        reason: &str,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let to: LeadStatus = parse(to)?;
        let cause: ChangeCause = parse(cause)?;
        let at = to_utc("at", at)?;
        let change = self
            .inner
            .set_status(to, cause, reason, at)
            .map_err(to_py_err)?;
        change_to_dict(py, change)
    }

    /// Moves the lifecycle stage and returns the recorded change.
    fn set_stage<'py>(
        &mut self,
        py: Python<'py>,
        to: &str,
        cause: &str,
        reason: &str,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let to: LifecycleStage = parse(to)?;
        let cause: ChangeCause = parse(cause)?;
        let at = to_utc("at", at)?;
        let change = self
            .inner
            .set_stage(to, cause, reason, at)
            .map_err(to_py_err)?;
        change_to_dict(py, change)
    }

    /// Serializes the lead to JSON (stable snake_case field names).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Reads a lead from JSON, checking that its history leads to its status and stage.
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, json: &str) -> PyResult<Self> {
        arichat_core::Lead::from_json(json)
            .map(|inner| Lead { inner })
            .map_err(to_py_err)
    }

    /// Pickling and `copy` go through the JSON form: `Lead.from_json(lead.to_json())`.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let from_json = slf.get_type().getattr("from_json")?;
        Ok((from_json, (slf.borrow().inner.to_json(),)))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let repr =
            |s: &str| -> PyResult<String> { PyString::new(py, s).repr()?.extract::<String>() };
        Ok(format!(
            "Lead(id={}, tenant_id={}, contact_id={}, status={}, stage={}, changes={})",
            repr(self.id())?,
            repr(self.tenant_id())?,
            repr(self.contact_id())?,
            repr(self.status())?,
            repr(self.stage())?,
            self.inner.history().len()
        ))
    }
}
