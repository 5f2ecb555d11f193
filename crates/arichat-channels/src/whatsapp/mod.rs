//! WhatsApp Cloud API webhooks (`object: whatsapp_business_account`).
//!
//! A body holds entries (one per WhatsApp Business Account), each with changes; a
//! change whose `field` is `messages` (or `smb_message_echoes`, the business app's own
//! messages under coexistence) carries `messages`, `message_echoes`, `statuses`,
//! `contacts` and `metadata`. Every message and status becomes one event, in body
//! order (per change: messages, echoes, statuses, then value-level `errors`).
//!
//! * `channel_account_id`: `metadata.phone_number_id`; for changes without metadata
//!   (account and template updates) the entry `id` (the WABA id).
//! * contact: the message's `from` (an echo's `to`, a status's `recipient_id`, or a
//!   group status's participant) matched against `contacts[].wa_id` for the profile
//!   name; phone from the `wa_id`. Bodies that carry only business-scoped user ids
//!   (`from_user_id` / `contacts[].user_id`) get that id as the identity and no phone.
//! * kinds: inbound messages are `message` (inbound, client; system notices author
//!   `system`), echoes `message` (outbound, agent); `edit` is `message_edited`,
//!   `revoke` is `message_deleted`; statuses `sent`/`delivered`/`read`/`failed` are
//!   `status` with errors and billing (`{"conversation", "pricing"}`), `played` (a
//!   voice note played) is `status` read. See [`content::content`] for message content.
//! * `context.id` is `reply_to`; `forwarded` or `frequently_forwarded` set `forwarded`;
//!   an ad `referral` (with `ctwa_clid`) is the message's referral, else a
//!   `context.referred_product` is kept as a referral with `source_type`
//!   `"referred_product"`, `source_id` the product retailer id and `ref` the catalog id.
//! * unsupported: changes of other fields (`account_update`, `calls`, templates, ...)
//!   as `{"field", "value"}` with the field as vendor kind; value-level `errors` as
//!   `{"errors": [...]}` (kind `errors`); other statuses (kind `status:<name>`); an
//!   item that is not a message or status object (kind `message` / `status`); a
//!   malformed entry or change. A message of a type arichat does not model stays a
//!   `message` event with [`MessageContent::Unsupported`](arichat_core::MessageContent)
//!   holding the whole message JSON (with its `errors`).
//!
//! Idempotency keys: `whatsapp:<phone_number_id>:msg:<wamid>` for messages, echoes,
//! edits and revokes (each has its own wamid), `whatsapp:<phone_number_id>:status:<wamid>:<status>`
//! for statuses, and the content hash of [`crate::unsupported`] for the rest.
//!
//! Speed: the body is read once, into typed structs (unknown fields skipped, not
//! built). The generic JSON of the body is built only when something must be kept
//! raw (an unsupported change or content), and a body that does not fit the typed
//! read (one malformed item) is mapped from that generic JSON item by item.

mod content;
mod lenient;
mod map;
pub mod send;
mod wire;

use arichat_core::{Channel, ChannelAccountId, Event};
use serde::Deserialize;
use serde_json::Value;

use crate::{ChannelError, NormalizeOptions};

use map::{RawBody, Scope};

const OBJECT: &str = "whatsapp_business_account";

pub(crate) fn normalize(
    body: &[u8],
    options: &NormalizeOptions,
) -> Result<Vec<Event>, ChannelError> {
    let mut events = Vec::new();
    let body = crate::json::Body::new(body);
    match body.parse::<wire::Body>() {
        Ok(parsed) => {
            check_object(parsed.object.as_deref())?;
            let mut raw = RawBody::new(body);
            for (e, entry) in parsed.entry.into_iter().enumerate() {
                for (c, change) in entry.changes.into_iter().enumerate() {
                    let at = Position {
                        entry: e,
                        change: c,
                    };
                    fast_change(
                        change,
                        entry.id.as_deref(),
                        at,
                        &mut raw,
                        options,
                        &mut events,
                    );
                }
            }
        }
        Err(_) => {
            let value: Value = body.parse().map_err(|e| ChannelError::json(&e))?;
            slow_body(&value, options, &mut events)?;
        }
    }
    Ok(events)
}

/// Where a change sits in the body.
#[derive(Clone, Copy)]
pub(crate) struct Position {
    pub entry: usize,
    pub change: usize,
}

fn shape(reason: impl Into<String>) -> ChannelError {
    ChannelError::UnexpectedShape {
        channel: Channel::Whatsapp,
        reason: reason.into(),
    }
}

fn check_object(object: Option<&str>) -> Result<(), ChannelError> {
    match object {
        Some(OBJECT) => Ok(()),
        Some(other) => Err(shape(format!("object is {other:?}, expected {OBJECT:?}"))),
        None => Err(shape("no \"object\" field")),
    }
}

fn account(value_pnid: Option<String>, entry_id: Option<&str>) -> ChannelAccountId {
    ChannelAccountId::new(
        value_pnid
            .or_else(|| entry_id.map(str::to_owned))
            .unwrap_or_else(|| "unknown".to_owned()),
    )
}

fn is_message_field(field: &str) -> bool {
    matches!(field, "messages" | "smb_message_echoes")
}

fn unsupported_change(
    field: &str,
    change: Value,
    account: ChannelAccountId,
    options: &NormalizeOptions,
) -> Event {
    let kind = if field.is_empty() { "change" } else { field };
    crate::unsupported::event(Channel::Whatsapp, account, kind, change, options)
}

fn fast_change(
    change: wire::Change,
    entry_id: Option<&str>,
    at: Position,
    raw: &mut RawBody<'_>,
    options: &NormalizeOptions,
    events: &mut Vec<Event>,
) {
    let field = change.field.as_deref().unwrap_or("");
    let mut v = change.value.unwrap_or_default();
    let pnid = v.metadata.take().and_then(|m| m.phone_number_id);
    let scope = Scope {
        account: account(pnid, entry_id),
        contacts: &v.contacts,
        options,
    };
    if !is_message_field(field) {
        let json = raw.get(at, None);
        events.push(unsupported_change(field, json, scope.account, options));
        return;
    }
    let before = events.len();
    for (i, m) in std::mem::take(&mut v.messages).into_iter().enumerate() {
        events.push(map::message(&scope, m, false, || {
            raw.get(at, Some(("messages", i)))
        }));
    }
    for (i, m) in std::mem::take(&mut v.message_echoes)
        .into_iter()
        .enumerate()
    {
        events.push(map::message(&scope, m, true, || {
            raw.get(at, Some(("message_echoes", i)))
        }));
    }
    for (i, s) in std::mem::take(&mut v.statuses).into_iter().enumerate() {
        events.push(map::status(&scope, s, || {
            raw.get(at, Some(("statuses", i)))
        }));
    }
    if let Some(errors) = v.errors.take() {
        events.push(map::value_errors(&scope, errors));
    }
    if events.len() == before {
        let json = raw.get(at, None);
        events.push(unsupported_change(field, json, scope.account, options));
    }
}

fn slow_body(
    body: &Value,
    options: &NormalizeOptions,
    events: &mut Vec<Event>,
) -> Result<(), ChannelError> {
    let Some(obj) = body.as_object() else {
        return Err(shape("body is not a JSON object"));
    };
    check_object(obj.get("object").and_then(Value::as_str))?;
    let Some(entries) = obj.get("entry").and_then(Value::as_array) else {
        return Err(shape("no \"entry\" array"));
    };
    for entry in entries {
        let entry_id = entry.get("id").and_then(Value::as_str);
        let Some(changes) = entry.get("changes").and_then(Value::as_array) else {
            events.push(crate::unsupported::event(
                Channel::Whatsapp,
                account(None, entry_id),
                "entry",
                entry.clone(),
                options,
            ));
            continue;
        };
        for change in changes {
            let field = change.get("field").and_then(Value::as_str).unwrap_or("");
            match change.get("value") {
                Some(value) if is_message_field(field) && value.is_object() => {
                    slow_value(field, change, value, entry_id, options, events)
                }
                value => {
                    let pnid = value
                        .and_then(|v| v.pointer("/metadata/phone_number_id"))
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    events.push(unsupported_change(
                        field,
                        change.clone(),
                        account(pnid, entry_id),
                        options,
                    ));
                }
            }
        }
    }
    Ok(())
}

/// A `messages` value in a body that did not read as typed: map item by item,
/// keeping the items that do not read as unsupported events.
fn slow_value(
    field: &str,
    change: &Value,
    value: &Value,
    entry_id: Option<&str>,
    options: &NormalizeOptions,
    events: &mut Vec<Event>,
) {
    let pnid = value
        .pointer("/metadata/phone_number_id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let list = |name: &str| -> &[Value] {
        value
            .get(name)
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    };
    let contacts: Vec<wire::Contact> = list("contacts")
        .iter()
        .filter_map(|c| wire::Contact::deserialize(c).ok())
        .collect();
    let scope = Scope {
        account: account(pnid, entry_id),
        contacts: &contacts,
        options,
    };
    let before = events.len();
    for (name, outbound) in [("messages", false), ("message_echoes", true)] {
        for item in list(name) {
            events.push(match wire::Message::deserialize(item) {
                Ok(m) => map::message(&scope, m, outbound, || item.clone()),
                Err(_) => map::unsupported(&scope, "message", item.clone()),
            });
        }
    }
    for item in list("statuses") {
        events.push(match wire::Status::deserialize(item) {
            Ok(s) => map::status(&scope, s, || item.clone()),
            Err(_) => map::unsupported(&scope, "status", item.clone()),
        });
    }
    if let Some(errors) = value.get("errors") {
        let errors = match errors {
            Value::Array(a) => a.clone(),
            other => vec![other.clone()],
        };
        events.push(map::value_errors(&scope, errors));
    }
    if events.len() == before {
        events.push(unsupported_change(
            field,
            change.clone(),
            scope.account,
            options,
        ));
    }
}
