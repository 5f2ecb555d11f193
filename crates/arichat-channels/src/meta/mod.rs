//! Messenger (`object: "page"`) and Instagram (`object: "instagram"`) webhooks.
//!
//! Both use the Messenger Platform shape: `{"object", "entry": [{"id", "time",
//! "messaging" | "standby" | "changes": [...]}]}`.
//!
//! # What the body must be
//! A JSON object with an `entry` array; otherwise the whole body fails
//! ([`ChannelError::InvalidJson`] or [`ChannelError::UnexpectedShape`]). `object` must
//! be `"page"` for [`Channel::Messenger`] and `"instagram"` for [`Channel::Instagram`];
//! a body **without** `object` is accepted for either (some Instagram test suites and
//! the Graph dashboard's sample events omit it). Everything below the envelope is
//! lenient: ids as strings or numbers, and times as epoch milliseconds, epoch seconds
//! (values below 10¹¹, as in `changes` entries and documentation samples), digit
//! strings or ISO-8601 strings (`2021-09-08T06:34:04+0000`).
//!
//! # Mapping
//! - `channel_account_id`: the entry `id` (page id / Instagram account id), `unknown`
//!   when absent.
//! - direction: outbound + agent for echoes (`is_echo`) and items sent by the account
//!   itself; inbound + client otherwise.
//! - contact: the PSID (Messenger) / IGSID (Instagram) of the party that is not the
//!   account; when neither id is the account's, the recipient of an echo and the
//!   sender of anything else. A plugin `user_ref` (customer chat guest, checkbox
//!   plugin) is no contact: the event has none.
//! - `occurred_at`: the item's `timestamp`, else the entry's `time`, else
//!   `received_at`.
//! - `messaging[]` and `standby[]` items (standby: another app owns the thread) map
//!   alike:
//!   - `message` → `Message` (inbound + client; echo → outbound + agent) with one event
//!     per part (text or quick reply, then each attachment, see `content`); the first
//!     keeps the `mid`, the others get `<mid>#<n>`. `reply_to.mid` → `reply_to`; a
//!     story reply → `reply_to = "story:<story id>"` (or its URL without an id);
//!     `message.referral` → `referral` on the first part; `is_deleted` →
//!     `MessageDeleted`; `is_unsupported` → unsupported content with the message JSON.
//!   - `message_edit` → `MessageEdited` (text content).
//!   - `reaction` → `Message` with `Reaction` content (empty emoji for `unreact`);
//!     reactions have no id of their own, so `message_id` is
//!     `reaction:<contact>:<target mid>:<time ms>`.
//!   - `read` with a `watermark` → `Read`; Instagram's `read.mid` → `Status` read of that
//!     message. `delivery` → `Delivered` with the `mids`.
//!   - `postback` → `Postback` (payload, title), followed by a `Referral` event when it
//!     carries `referral` (m.me link / ad that led to the Get Started tap).
//!   - `referral` → `Referral` (ref, source → source_type, ad_id / post / product id →
//!     source_id, referer_uri → source_url, ads_context_data.ad_title → headline).
//!   - `optin` → `Consent` opt-in, detail = `ref` (else the marketing-messages token,
//!     else `payload`); `notification_messages_status: STOP_NOTIFICATIONS` → opt-out.
//!   - any other key (`account_linking`, `policy-enforcement`, handover
//!     `pass_thread_control` / `take_thread_control` / `request_thread_control`,
//!     `app_roles`, `payment`, `checkout_update`, `prior_message`, ...) → an
//!     unsupported event with the whole item (in addition to what the item's known
//!     fields map to), as does an item that names no message. An item that fails to
//!     parse (a known field of the wrong type, not an object) is an `invalid_item`
//!     event with its raw text and the reason.
//! - `changes[]` (Instagram comments, mentions, story insights, page feed, ...) →
//!   unsupported, `vendor_kind` = the change's `field`.
//! - An entry that is an object without item arrays → unsupported `entry`; one that
//!   does not read (not an object, arrays of the wrong type) → `invalid_item` `entry`.
//!
//! Not kept: `seq`, `nlp` (Meta's built-in NLP annotations), echo `app_id` and
//! `metadata`, referral `type` (always `OPEN_THREAD`) and `is_guest_user`,
//! `ads_context_data` image URLs, story CDN URLs when the story has an id,
//! `reply_to.is_self_reply`, `postback.mid` (used in the key), the marketing-messages
//! opt-in's frequency, timezone, token expiry and title.
//!
//! # Parsing
//! One typed pass over the body (items included, strings borrowed) is the fast path.
//! An item whose event needs its raw JSON (unsupported items, `is_unsupported` or
//! empty messages, items without a time) is found in the body text and mapped alone,
//! up to three per body. Anything else unusual — an entry or item of an unexpected
//! type, or more such items — reads the body again with entries and items kept raw,
//! item by item; both paths give the same events.
//!
//! # Idempotency keys
//! `<channel>:<account>:` followed by
//! `msg:<mid>` (`msg:<mid>#<n>` for further parts), `deleted:<mid>`,
//! `edit:<mid>:<num_edit>`, `reaction:<contact>:<target mid>:<time>:<react|unreact>`,
//! `read:<contact>:<watermark ms>` (Instagram: `read:<contact>:<mid>`),
//! `delivery:<contact>:<watermark ms>`, `postback:<mid>` (or
//! `postback:<contact>:<time>`; its referral adds `:referral`),
//! `referral:<contact>:<time>`, `optin:<contact>:<time>[:<status>]`; unsupported
//! events hash their JSON. `<time>` is the item's timestamp in epoch ms, or `h` and a
//! hash of the item when it has none; `<contact>` is the PSID / IGSID,
//! `user_ref=<ref>` for a plugin user, or `-` when the item names none.

mod content;
mod envelope;
mod item;
mod map;
mod raw;
pub mod send;
mod wire;

use arichat_core::{Channel, ChannelAccountId, Event};
use serde_json::value::RawValue;

use crate::walk::{walk, Step};
use crate::{ChannelError, NormalizeOptions};
use map::EntryCtx;

pub(crate) fn normalize(
    channel: Channel,
    text: &str,
    options: &NormalizeOptions,
) -> Result<Vec<Event>, ChannelError> {
    // Fast path: one typed pass. Any surprise (a malformed entry, or more items whose
    // mapping needs their raw JSON than `fast` walks to) reads the body again, keeping
    // entries and items raw.
    if let Ok(envelope) = serde_json::from_str::<envelope::Envelope>(text) {
        check_object(channel, envelope.object.as_deref())?;
        if let Some(events) = fast(channel, text, &envelope, options) {
            return Ok(events);
        }
    }
    crate::items::restart();
    let envelope: envelope::LenientEnvelope =
        serde_json::from_str(text).map_err(|e| ChannelError::not_envelope(channel, &e, text))?;
    check_object(channel, envelope.object.as_deref())?;
    let mut out = Vec::with_capacity(envelope.entry.len());
    for raw in envelope.entry {
        let parsed = serde_json::from_str::<envelope::Entry>(raw.get());
        let typed_error = parsed
            .as_ref()
            .err()
            .map(|e| crate::json::reason(e, raw.get()));
        let parsed = parsed.ok();
        let ctx = entry_ctx(
            channel,
            parsed.as_ref().and_then(|e| e.id.as_ref()),
            parsed.as_ref().and_then(|e| e.time.0),
            options,
        );
        match parsed {
            Some(e) if e.has_items() => {
                for item in e.messaging.iter().chain(e.standby.iter()).flatten() {
                    map::raw_item(&ctx, item, &mut out);
                }
                changes(&ctx, e.changes.iter().flatten().copied(), &mut out);
            }
            _ => out.push(ctx.keep("entry", raw, typed_error)),
        }
    }
    Ok(out)
}

/// Items per body whose raw JSON the fast path finds by walking the body
/// ([`crate::walk`]); past it, the body is read again the lenient way.
const MAX_WALKS: usize = 3;

/// The fast path's mapping; `None` when more than [`MAX_WALKS`] items need their raw
/// JSON. An item that needs it is found in `text` and mapped as the lenient path maps
/// it (`map::raw_item`), instead of reading the whole body again: Instagram's corpus
/// took the second read for most bodies.
fn fast(
    channel: Channel,
    text: &str,
    envelope: &envelope::Envelope<'_>,
    options: &NormalizeOptions,
) -> Option<Vec<Event>> {
    let mut out = Vec::with_capacity(envelope.entry.len());
    let mut walks = 0;
    for (at, e) in envelope.entry.iter().enumerate() {
        if !e.has_items() {
            return None;
        }
        let ctx = entry_ctx(channel, e.id.as_ref(), e.time.0, options);
        for (list, items) in [("messaging", &e.messaging), ("standby", &e.standby)] {
            for (i, item) in items.iter().flatten().enumerate() {
                let before = out.len();
                if map::item(&ctx, item, raw::Raw(None), &mut out).is_ok() {
                    continue;
                }
                out.truncate(before);
                walks += 1;
                if walks > MAX_WALKS {
                    return None;
                }
                let path = [
                    Step::Key("entry"),
                    Step::Index(at),
                    Step::Key(list),
                    Step::Index(i),
                ];
                let raw = walk::<&RawValue>(text, &path)?;
                // Already counted by the typed read.
                crate::items::uncounted(|| map::raw_item(&ctx, raw, &mut out));
            }
        }
        changes(&ctx, e.changes.iter().flatten().copied(), &mut out);
    }
    Some(out)
}

fn check_object(channel: Channel, object: Option<&str>) -> Result<(), ChannelError> {
    let expected = match channel {
        Channel::Instagram => "instagram",
        _ => "page",
    };
    match object {
        Some(object) if object != expected => Err(ChannelError::UnexpectedShape {
            channel,
            reason: format!("object is not {expected:?}"),
        }),
        _ => Ok(()),
    }
}

fn entry_ctx<'o>(
    channel: Channel,
    id: Option<&wire::Id<'_>>,
    time: Option<chrono::DateTime<chrono::Utc>>,
    options: &'o NormalizeOptions,
) -> EntryCtx<'o> {
    let account = id
        .map(|id| id.as_str().trim())
        .filter(|id| !id.is_empty())
        .unwrap_or("unknown");
    EntryCtx {
        channel,
        account: ChannelAccountId::new(account),
        entry_time: time,
        options,
    }
}

/// `changes[]` items: unsupported, named by their `field`.
fn changes<'a>(
    ctx: &EntryCtx<'_>,
    items: impl Iterator<Item = &'a RawValue>,
    out: &mut Vec<Event>,
) {
    for change in items {
        let field = serde_json::from_str::<wire::Change>(change.get())
            .ok()
            .and_then(|c| c.field.map(|f| f.into_owned()))
            .unwrap_or_else(|| "changes".to_owned());
        out.push(ctx.keep(&field, change, None));
    }
}
