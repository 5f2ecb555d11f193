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
//!   Each id has its own field of [`arichat_core::WhatsappIdentity`] (`wa_id`,
//!   `user_id`, `parent_user_id`, `username` from `contacts[].profile.username`); a
//!   BSUID is never a `wa_id`, and an id that does not validate is left out.
//! * identity changes: a `user_changed_user_id` / `user_changed_number` system message
//!   (new ids in `system`, old in `from_user_id` / `from`) and each `user_id_update[]`
//!   item (`user_id` / `parent_user_id` `{previous, current}`) are `identity_changed`
//!   with the old ids as the contact. Keys: the system message's wamid, or
//!   `whatsapp:<account>:user_id_update:<new ids>`. (A `user_id_update` change that
//!   takes the lenient path is kept whole as `unsupported`.)
//! * kinds: inbound messages are `message` (inbound, client; system notices author
//!   `system`), echoes `message` (outbound, agent); `edit` is `message_edited`,
//!   `revoke` is `message_deleted`; statuses `sent`/`delivered`/`read`/`failed` are
//!   `status` with errors and billing (`{"conversation", "pricing"}`), `played` (a
//!   voice note played) is `status` read. See [`content::content`] for message content.
//! * `context.id` is `reply_to`; `forwarded` or `frequently_forwarded` set `forwarded`;
//!   an ad `referral` (with `ctwa_clid`) is the message's referral, else a
//!   `context.referred_product` is kept as a referral with `source_type`
//!   `"referred_product"`, `source_id` the product retailer id and `ref` the catalog id.
//! * `calls` changes: each `calls[]` item is an `unsupported` event (kind `call`, the
//!   item's JSON) with the caller (the callee of a business-initiated call) as contact;
//!   a call's `statuses` are kept as `status:<name>`.
//! * `user_preferences` changes: a `marketing_messages` `stop` is `consent` opt-out,
//!   `resume` / `signup` opt-in (detail `marketing_messages:<value>`); anything else
//!   `unsupported` (kind `user_preferences`).
//! * a `failed` status with error 131050 (the user stopped marketing messages) is the
//!   status followed by a `consent` opt-out (detail `whatsapp error 131050`), as the
//!   send client reads the same error.
//! * unsupported: changes of other fields (`account_update`, templates, ...)
//!   as `{"field", "value"}` with the field as vendor kind; value-level `errors` as
//!   `{"errors": [...]}` (kind `errors`); other statuses (kind `status:<name>`); an
//!   malformed entry or change that still reads as JSON.
//!
//! Times: an item's `timestamp`; value-level `errors` the time of the first event of
//! their change; what has neither (a whole change) the entry's `time`. Only a body
//! without any time falls back to `received_at`, so a redelivered body gives
//! identical events. A message of a type arichat
//!   does not model stays a
//!   `message` event with [`MessageContent::Unsupported`](arichat_core::MessageContent)
//!   holding the whole message JSON (with its `errors`).
//!
//! * invalid_item: a message or status that does not read (not an object, a field of
//!   the wrong type, a number out of range), with its raw text and the reason; an
//!   entry or change that is not even JSON arichat can hold.
//!
//! Idempotency keys: `whatsapp:<phone_number_id>:msg:<wamid>` for messages, echoes,
//! edits and revokes (each has its own wamid), `whatsapp:<phone_number_id>:status:<wamid>:<status>`
//! for statuses (`…:opt_out` for the opt-out a status proves),
//! `whatsapp:<phone_number_id>:pref:<user>:<category>:<value>:<timestamp>` for
//! preferences, and the content hash of [`crate::unsupported`] for the rest.
//!
//! Speed: the body is read once, into typed structs (unknown fields skipped, not
//! built). The generic JSON of the body is built only when something must be kept
//! raw (an unsupported change or content), and a body that does not fit the typed
//! read (one malformed item) is read again with entries, changes and items kept raw
//! (`RawValue`) and mapped item by item, so one item that does not read costs only
//! itself.

mod contacts;
mod content;
mod map;
mod raw;
pub mod send;
mod wire;

use arichat_core::{Channel, ChannelAccountId, Event, RawJson};
use chrono::{DateTime, Utc};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::{ChannelError, NormalizeOptions};

use contacts::ContactList;
use map::Scope;
use raw::RawBody;

use crate::span::At;

const OBJECT: &str = "whatsapp_business_account";

pub(crate) fn normalize(
    text: &str,
    options: &NormalizeOptions,
) -> Result<Vec<Event>, ChannelError> {
    let mut events = Vec::new();
    match serde_json::from_str::<wire::Body>(text) {
        Ok(parsed) => {
            check_object(parsed.object.as_deref())?;
            events.reserve(items(&parsed));
            let mut raw = RawBody::new(text);
            for (e, entry) in parsed.entry.into_iter().enumerate() {
                for (c, change) in entry.changes.into_iter().enumerate() {
                    let at = Position {
                        entry: e,
                        change: c,
                    };
                    fast_change(
                        change,
                        EntryOf {
                            id: entry.id.as_deref(),
                            time: map::time(entry.time),
                        },
                        at,
                        &mut raw,
                        options,
                        &mut events,
                    );
                }
            }
        }
        Err(_) => slow_body(text, options, &mut events)?,
    }
    Ok(events)
}

/// About one event per item (a few more: opt-outs, value-level errors), reserved
/// before mapping: an `Event` is 632 bytes, and growing the list copied them all at
/// every doubling.
fn items(body: &wire::Body<'_>) -> usize {
    let change = |c: &wire::ChangeValue<'_>| {
        c.messages.len()
            + c.message_echoes.len()
            + c.statuses.len()
            + c.calls.len()
            + c.user_preferences.len()
            + c.user_id_update.len()
    };
    body.entry
        .iter()
        .flat_map(|e| &e.changes)
        .map(|c| c.value.value.as_ref().map_or(1, change).max(1))
        .sum()
}

/// What a change takes from its entry.
#[derive(Clone, Copy)]
struct EntryOf<'a> {
    /// The WABA id.
    id: Option<&'a str>,
    /// The entry's `time`.
    time: Option<DateTime<Utc>>,
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
        Some(_) => Err(shape(format!("object is not {OBJECT:?}"))),
        None => Err(shape("no \"object\" field")),
    }
}

fn account(value_pnid: Option<&str>, entry_id: Option<&str>) -> ChannelAccountId {
    ChannelAccountId::new(value_pnid.or(entry_id).unwrap_or("unknown"))
}

/// Fields whose value holds items mapped one by one.
fn is_item_field(field: &str) -> bool {
    matches!(
        field,
        "messages" | "smb_message_echoes" | "calls" | "user_preferences" | "user_id_update"
    )
}

/// The whole change kept raw, dated by its entry.
fn unsupported_change(field: &str, change: RawJson, scope: Scope<'_>) -> Event {
    let kind = if field.is_empty() { "change" } else { field };
    let Scope {
        account,
        entry_time,
        options,
        ..
    } = scope;
    crate::unsupported::event(
        Channel::Whatsapp,
        account,
        kind,
        change,
        entry_time,
        options,
    )
}

/// A status event, followed by the opt-out it proves (error 131050).
fn push_status(events: &mut Vec<Event>, status: Event) {
    let opt_out = map::status_opt_out(&status);
    events.push(status);
    events.extend(opt_out);
}

fn fast_change<'a>(
    change: At<'a, wire::Change<'a>>,
    entry: EntryOf<'_>,
    at: Position,
    raw: &mut RawBody<'a>,
    options: &NormalizeOptions,
    events: &mut Vec<Event>,
) {
    let At {
        value: change,
        start,
    } = change;
    let field = change.field.as_deref().unwrap_or("");
    let mut v = change.value.unwrap_or_default();
    let pnid = v.metadata.take().and_then(|m| m.phone_number_id);
    let scope = Scope {
        account: account(pnid.as_deref(), entry.id),
        contacts: ContactList::new(&v.contacts),
        entry_time: entry.time,
        options,
    };
    if !is_item_field(field) {
        let json = raw.get(at, None, start);
        events.push(unsupported_change(field, json, scope));
        return;
    }
    let before = events.len();
    // Messages are mapped where they lie: moving each out of its list copied it
    // (416 bytes) twice more.
    for (i, m) in v.messages.iter_mut().enumerate() {
        let start = m.start;
        events.push(map::message(&scope, &mut m.value, false, || {
            raw.get(at, Some(("messages", i)), start)
        }));
    }
    for (i, m) in v.message_echoes.iter_mut().enumerate() {
        let start = m.start;
        events.push(map::message(&scope, &mut m.value, true, || {
            raw.get(at, Some(("message_echoes", i)), start)
        }));
    }
    for (i, s) in std::mem::take(&mut v.statuses).into_iter().enumerate() {
        let status = map::status(&scope, s.value, || {
            raw.get(at, Some(("statuses", i)), s.start)
        });
        push_status(events, status);
    }
    for (i, c) in std::mem::take(&mut v.calls).into_iter().enumerate() {
        let json = raw.get(at, Some(("calls", i)), c.start);
        events.push(map::call(&scope, c.value, json));
    }
    for (i, p) in std::mem::take(&mut v.user_preferences)
        .into_iter()
        .enumerate()
    {
        let json = raw.get(at, Some(("user_preferences", i)), p.start);
        events.push(map::preference(&scope, p.value, json));
    }
    for u in std::mem::take(&mut v.user_id_update) {
        events.extend(map::user_id_update(&scope, u));
    }
    if let Some(errors) = v.errors.take() {
        let e = map::value_errors(&scope, errors, events.get(before));
        events.push(e);
    }
    if events.len() == before {
        let json = raw.get(at, None, start);
        events.push(unsupported_change(field, json, scope));
    }
}

/// The lenient path: entries, changes and items kept raw and read one by one, so a
/// malformed one becomes an `unsupported` or `invalid_item` event and the rest of the
/// body is delivered.
fn slow_body(
    text: &str,
    options: &NormalizeOptions,
    events: &mut Vec<Event>,
) -> Result<(), ChannelError> {
    crate::items::restart();
    let body: wire::RawBody<'_> = serde_json::from_str(text)
        .map_err(|e| ChannelError::not_envelope(Channel::Whatsapp, &e, text))?;
    check_object(body.object.as_ref().and_then(Value::as_str))?;
    let Some(entries) = body.entry else {
        return Err(shape("no \"entry\" array"));
    };
    for entry in entries {
        match serde_json::from_str::<wire::RawEntry<'_>>(entry.get()) {
            Ok(wire::RawEntry {
                id,
                time,
                changes: Some(changes),
            }) => {
                let of = EntryOf {
                    id: id.as_ref().and_then(Value::as_str),
                    time: map::time(time),
                };
                for change in changes {
                    slow_change(change, of, options, events);
                }
            }
            Ok(parsed) => {
                let entry_id = parsed.id.as_ref().and_then(Value::as_str);
                let at = map::time(parsed.time);
                events.push(keep(
                    "entry",
                    entry,
                    None,
                    account(None, entry_id),
                    at,
                    options,
                ));
            }
            Err(e) => {
                let account = account(None, None);
                events.push(keep("entry", entry, Some(e), account, None, options));
            }
        }
    }
    Ok(())
}

/// A raw item that is not mapped: `unsupported` with its JSON when it reads as JSON
/// and `typed` (the error of the typed read, if any) is `None`, else `invalid_item`
/// with its text and the reason.
fn keep(
    kind: &str,
    raw: &RawValue,
    typed: Option<serde_json::Error>,
    account: ChannelAccountId,
    at: Option<DateTime<Utc>>,
    options: &NormalizeOptions,
) -> Event {
    let Some(error) = typed else {
        return crate::unsupported::kept(Channel::Whatsapp, account, kind, raw, at, options);
    };
    let reason = crate::json::reason(&error, raw.get());
    let text = raw.get();
    crate::unsupported::invalid(Channel::Whatsapp, account, kind, reason, text, at, options)
}

/// One raw change of the lenient path.
fn slow_change(
    change: &RawValue,
    entry: EntryOf<'_>,
    options: &NormalizeOptions,
    events: &mut Vec<Event>,
) {
    let parsed = match serde_json::from_str::<wire::RawChange<'_>>(change.get()) {
        Ok(parsed) => parsed,
        Err(_) => {
            let account = account(None, entry.id);
            events.push(keep("change", change, None, account, entry.time, options));
            return;
        }
    };
    let field = parsed.field.as_ref().and_then(Value::as_str).unwrap_or("");
    let value = parsed
        .value
        .filter(|v| is_item_field(field) && v.get().starts_with('{'))
        .and_then(|v| serde_json::from_str::<wire::RawChangeValue<'_>>(v.get()).ok());
    match value {
        Some(value) => slow_value(field, change, value, entry, options, events),
        None => {
            let pnid = parsed
                .value
                .and_then(|v| serde_json::from_str::<wire::RawMetadataOf>(v.get()).ok())
                .and_then(|v| v.metadata)
                .and_then(|m| m.phone_number_id);
            let kind = if field.is_empty() { "change" } else { field };
            let account = account(pnid.as_deref(), entry.id);
            events.push(keep(kind, change, None, account, entry.time, options));
        }
    }
}

/// A `messages` value of the lenient path: map item by item; an item that does not
/// read becomes an `invalid_item` event with the reason.
fn slow_value(
    field: &str,
    change: &RawValue,
    value: wire::RawChangeValue<'_>,
    entry: EntryOf<'_>,
    options: &NormalizeOptions,
    events: &mut Vec<Event>,
) {
    let pnid = value
        .metadata
        .and_then(|m| serde_json::from_str::<wire::Metadata>(m.get()).ok())
        .and_then(|m| m.phone_number_id);
    let contacts: Vec<wire::Contact> = value
        .contacts
        .iter()
        .flatten()
        .filter_map(|c| serde_json::from_str(c.get()).ok())
        .collect();
    let scope = Scope {
        account: account(pnid.as_deref(), entry.id),
        contacts: ContactList::new(&contacts),
        entry_time: entry.time,
        options,
    };
    let invalid = |kind: &str, raw: &RawValue, e: serde_json::Error| {
        keep(
            kind,
            raw,
            Some(e),
            scope.account.clone(),
            entry.time,
            options,
        )
    };
    let as_value = crate::fields::keep;
    let before = events.len();
    for (list, outbound) in [(&value.messages, false), (&value.message_echoes, true)] {
        for item in list.iter().flatten() {
            events.push(match serde_json::from_str::<wire::Message>(item.get()) {
                Ok(mut m) => map::message(&scope, &mut m, outbound, || as_value(item)),
                Err(e) => invalid("message", item, e),
            });
        }
    }
    for item in value.statuses.iter().flatten() {
        match serde_json::from_str::<wire::Status>(item.get()) {
            Ok(s) => push_status(events, map::status(&scope, s, || as_value(item))),
            Err(e) => events.push(invalid("status", item, e)),
        }
    }
    for item in value.calls.iter().flatten() {
        events.push(match serde_json::from_str::<wire::Call>(item.get()) {
            Ok(c) => map::call(&scope, c, as_value(item)),
            Err(e) => invalid("call", item, e),
        });
    }
    for item in value.user_preferences.iter().flatten() {
        events.push(
            match serde_json::from_str::<wire::UserPreference>(item.get()) {
                Ok(p) => map::preference(&scope, p, as_value(item)),
                Err(e) => invalid("user_preferences", item, e),
            },
        );
    }
    if let Some(errors) = value.errors {
        let errors = match errors {
            Value::Array(a) => a,
            other => vec![other],
        };
        let e = map::value_errors(&scope, errors, events.get(before));
        events.push(e);
    }
    if events.len() == before {
        let kind = if field.is_empty() { "change" } else { field };
        events.push(keep(kind, change, None, scope.account, entry.time, options));
    }
}
