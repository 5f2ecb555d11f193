//! CloudEvents in their transport shapes ([`arichat_channels::cloudevents`]): the
//! Pub/Sub publish and push bodies and the HTTP binary mode. Events become CloudEvents
//! through `normalizeCloudevents(channel, body, options)`; arichat's derived events (a
//! lead scored, a status changed, ...) through `derivedCloudevent`.

use std::collections::HashMap;

use arichat_channels::cloudevents::{CloudEvent, DerivedKind};
use arichat_channels::ChannelError;
use arichat_core::{Event, LeadId};
use napi::bindgen_prelude::{Buffer, BufferSlice, Either};
use napi_derive::napi;
use serde_json::Value;

use crate::serde_js::{parse, to_js};
use crate::{channel_error, core_error, Result};

/// A CloudEvent from its JS object.
fn cloudevent(value: &Value) -> Result<CloudEvent> {
    CloudEvent::from_json(&value.to_string()).map_err(|e| channel_error(ChannelError::from(e)))
}

/// A body given as a Buffer or a string, as text.
fn text(body: &Either<BufferSlice, String>) -> String {
    match body {
        Either::A(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        Either::B(text) => text.clone(),
    }
}

/// The body of a Pub/Sub `topics.publish` request carrying `cloudevents` (as
/// `normalizeCloudevents` gives them) in binary mode, each message
/// ordered by the event's `partitionkey`.
///
/// Throws `invalid_cloudevent`, `unsupported_specversion` or `invalid_extension_name`.
#[napi(
    ts_args_type = "cloudevents: Array<CloudEvent>",
    ts_return_type = "{ messages: Array<PubsubMessage> }"
)]
pub fn cloudevents_to_pubsub(cloudevents: Vec<Value>) -> Result<Value> {
    let events = cloudevents
        .iter()
        .map(cloudevent)
        .collect::<Result<Vec<_>>>()?;
    Ok(CloudEvent::pubsub_publish_body(&events))
}

/// The CloudEvent a Pub/Sub push subscription delivered (the POST body).
///
/// Throws `invalid_cloudevent` (and the other envelope codes) when it is not one.
#[napi(ts_return_type = "CloudEvent")]
pub fn cloudevent_from_pubsub_push(body: Either<BufferSlice, String>) -> Result<Value> {
    let event = CloudEvent::from_pubsub_push(&text(&body))
        .map_err(|e| channel_error(ChannelError::from(e)))?;
    Ok(serde_json::to_value(event).unwrap_or(Value::Null))
}

/// An HTTP request in the CloudEvents binary mode.
#[napi(object)]
pub struct HttpCloudEvent {
    /// `ce-` headers (percent-encoded as the binding requires) and `content-type`.
    pub headers: HashMap<String, String>,
    /// The data.
    pub body: Buffer,
}

/// The HTTP binary mode of a CloudEvent.
///
/// Throws the envelope codes when `cloudevent` is not a CloudEvent 1.0.
#[napi(ts_args_type = "cloudevent: CloudEvent")]
pub fn cloudevent_to_http(cloudevent: Value) -> Result<HttpCloudEvent> {
    let message = self::cloudevent(&cloudevent)?.to_http_binary();
    Ok(HttpCloudEvent {
        headers: message.headers.into_iter().collect(),
        body: message.body.into(),
    })
}

/// A CloudEvent from an HTTP request in binary mode: its headers (any case) and body.
///
/// Throws `invalid_cloudevent` when a required `ce-` header is missing.
#[napi(ts_return_type = "CloudEvent")]
pub fn cloudevent_from_http(
    headers: HashMap<String, String>,
    body: Either<BufferSlice, String>,
) -> Result<Value> {
    let pairs: Vec<(String, String)> = headers.into_iter().collect();
    let event = CloudEvent::from_http_binary(&pairs, text(&body).as_bytes())
        .map_err(|e| channel_error(ChannelError::from(e)))?;
    Ok(serde_json::to_value(event).unwrap_or(Value::Null))
}

/// The CloudEvent of one of arichat's derived events, caused by `cause` (an event as
/// `normalize` gives it, or its JSON): `kind` is `lead.status_changed`, `lead.scored`,
/// `consent.changed` or `conversation.flagged` (type `com.arichat.<kind>.v1`); `data`
/// any JSON value (the score, the lead change, ...); `id` is the cause's idempotency
/// key and the kind, so a redelivered message derives the same id; `lead` sets the
/// `lead` extension.
///
/// Throws `unknown_variant` for another kind, `invalid_json` when `cause` is not an event.
#[napi(
    ts_args_type = "kind: 'lead.status_changed' | 'lead.scored' | 'consent.changed' | 'conversation.flagged', cause: Record<string, any> | string, data: unknown, lead?: string",
    ts_return_type = "CloudEvent"
)]
pub fn derived_cloudevent(
    kind: String,
    cause: Value,
    data: Value,
    lead: Option<String>,
) -> Result<Value> {
    let kind: DerivedKind = kind.parse().map_err(core_error)?;
    let cause: Event = parse(cause, "event")?;
    let lead = lead.map(LeadId::new);
    Ok(to_js(&CloudEvent::derived_from(
        kind,
        &cause,
        &data,
        lead.as_ref(),
    )))
}
