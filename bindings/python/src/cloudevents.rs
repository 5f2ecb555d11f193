//! CloudEvents in their transport shapes ([`arichat_channels::cloudevents`]): the
//! Pub/Sub publish and push bodies and the HTTP binary mode. Events become CloudEvents
//! through `normalize(..., cloudevents=True)`; arichat's derived events (a lead scored,
//! a status changed, ...) through `derived_cloudevent`.

use arichat_channels::cloudevents::{CloudEvent, DerivedKind};
use arichat_channels::ChannelError;
use arichat_core::LeadId;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyMapping};

use crate::convert::{json_text, to_py};
use crate::error::{channel_to_py_err, to_py_err};

/// A CloudEvent from a dict (or its JSON text).
fn cloudevent(value: &Bound<'_, PyAny>) -> PyResult<CloudEvent> {
    CloudEvent::from_json(&json_text(value)?).map_err(|e| channel_to_py_err(ChannelError::from(e)))
}

/// Text from `bytes` or `str`.
fn text(value: &Bound<'_, PyAny>) -> PyResult<String> {
    match value.cast::<PyBytes>() {
        Ok(b) => Ok(String::from_utf8_lossy(b.as_bytes()).into_owned()),
        Err(_) => value.extract(),
    }
}

/// The body of a Pub/Sub `topics.publish` request carrying `cloudevents` (dicts as
/// `normalize(..., cloudevents=True)` gives them) in binary mode, each message ordered
/// by the event's `partitionkey`.
#[pyfunction]
pub(crate) fn cloudevents_to_pubsub<'py>(
    py: Python<'py>,
    cloudevents: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let events = cloudevents
        .try_iter()?
        .map(|item| cloudevent(&item?))
        .collect::<PyResult<Vec<_>>>()?;
    to_py(py, &CloudEvent::pubsub_publish_body(&events))
}

/// The CloudEvent a Pub/Sub push subscription delivered (the POST body, `bytes` or
/// `str`). Raises `InvalidBodyError` (code `invalid_cloudevent`, ...) when it is not one.
#[pyfunction]
pub(crate) fn cloudevent_from_pubsub_push<'py>(
    py: Python<'py>,
    body: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let event = CloudEvent::from_pubsub_push(&text(body)?)
        .map_err(|e| channel_to_py_err(ChannelError::from(e)))?;
    to_py(py, &event)
}

/// The HTTP binary mode of a CloudEvent: `(headers, body)`, the `ce-` headers
/// percent-encoded as the binding requires and `content-type` the data's media type.
#[pyfunction]
pub(crate) fn cloudevent_to_http<'py>(
    py: Python<'py>,
    cloudevent: &Bound<'py, PyAny>,
) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyBytes>)> {
    let message = self::cloudevent(cloudevent)?.to_http_binary();
    let headers = PyDict::new(py);
    for (name, value) in &message.headers {
        headers.set_item(name, value)?;
    }
    Ok((headers, PyBytes::new(py, &message.body)))
}

/// A CloudEvent from an HTTP request in binary mode: its headers (any case) and body.
#[pyfunction]
pub(crate) fn cloudevent_from_http<'py>(
    py: Python<'py>,
    headers: &Bound<'py, PyMapping>,
    body: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut pairs = Vec::new();
    for item in headers.items()?.try_iter()? {
        let (name, value): (String, String) = item?.extract()?;
        pairs.push((name, value));
    }
    let body = text(body)?;
    let event = CloudEvent::from_http_binary(&pairs, body.as_bytes())
        .map_err(|e| channel_to_py_err(ChannelError::from(e)))?;
    to_py(py, &event)
}

/// The CloudEvent of one of arichat's derived events, caused by `cause` (an event as
/// `normalize` gives it, or its JSON): `kind` is `lead.status_changed`, `lead.scored`,
/// `consent.changed` or `conversation.flagged` (type `com.arichat.<kind>.v1`); `data`
/// any JSON-able value (the score, the lead change, ...); `id` is the cause's
/// idempotency key and the kind, so a redelivered message derives the same id; `lead`
/// sets the `lead` extension. Raises `UnknownVariantError` for another kind.
#[pyfunction]
#[pyo3(signature = (kind, cause, data, *, lead = None))]
pub(crate) fn derived_cloudevent<'py>(
    py: Python<'py>,
    kind: &str,
    cause: &Bound<'py, PyAny>,
    data: &Bound<'py, PyAny>,
    lead: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let kind: DerivedKind = kind.parse().map_err(to_py_err)?;
    let cause = crate::profile::event(cause)?;
    let data: serde_json::Value = crate::profile::parse(&json_text(data)?, "derived event data")?;
    let lead = lead.map(LeadId::new);
    to_py(
        py,
        &CloudEvent::derived_from(kind, &cause, &data, lead.as_ref()),
    )
}
