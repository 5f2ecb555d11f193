//! What a Messenger / Instagram message carries, as [`MessageContent`] parts.
//!
//! A message is text, a quick-reply tap, and/or attachments. Each becomes one part:
//! the text (or the quick reply, which carries the text as its title) first, then one
//! part per attachment in order. `image` / `audio` / `video` / `file` become media
//! (an image with a `sticker_id` is a sticker), `location` a location; every other
//! attachment type (`fallback` link previews, `template`, `share`, `story_mention`,
//! `ig_reel`, `reel`, `ig_post`, `unsupported_type`, ...) is kept whole as
//! [`MessageContent::Unsupported`] with the attachment's JSON.

use arichat_core::text::normalize_text;
use arichat_core::{Media, MessageContent, RawJson};
use serde_json::value::RawValue;

use super::raw::NeedRaw;
use super::wire::{Attachment, LocationPayload, MediaPayload, Message};
use crate::fields::keep;

/// The parts of a message that is not an unsend. Never empty: a message with nothing
/// arichat reads (Meta's `is_unsupported`, or no text and no attachments) is one
/// unsupported part carrying `raw_message()`.
pub(super) fn parts(
    msg: &Message<'_>,
    raw_message: impl Fn() -> Result<RawJson, NeedRaw>,
) -> Result<Vec<MessageContent>, NeedRaw> {
    if msg.is_unsupported == Some(true) {
        return Ok(vec![unsupported("unsupported", raw_message()?)]);
    }
    let attachments = msg.attachments.as_deref().unwrap_or_default();
    let mut parts = Vec::with_capacity(1 + attachments.len());
    let text = msg
        .text
        .as_deref()
        .filter(|t| !t.is_empty() || attachments.is_empty());
    match (&msg.quick_reply, text) {
        (Some(qr), text) => parts.push(MessageContent::InteractiveReply {
            id: qr.payload.as_deref().unwrap_or_default().to_owned(),
            title: text.map(normalize_text).unwrap_or_default(),
            flow_name: None,
        }),
        (None, Some(text)) => parts.push(MessageContent::Text {
            body: normalize_text(text),
        }),
        (None, None) => {}
    }
    parts.extend(attachments.iter().map(|a| attachment(a)));
    if parts.is_empty() {
        parts.push(match &msg.sticker_id {
            Some(id) => MessageContent::Sticker(Media {
                id: Some(id.as_str().to_owned()),
                ..Media::default()
            }),
            None => unsupported("message", raw_message()?),
        });
    }
    Ok(parts)
}

/// One attachment.
pub(super) fn attachment(raw: &RawValue) -> MessageContent {
    let Ok(att) = serde_json::from_str::<Attachment>(raw.get()) else {
        return unsupported("attachment", keep(raw));
    };
    let payload = att.payload.map_or("{}", RawValue::get);
    let mapped = match att.kind.as_ref() {
        "image" | "audio" | "video" | "file" => {
            serde_json::from_str::<MediaPayload>(payload).ok().map(|p| {
                let sticker = p.sticker_id.map(|id| id.as_str().to_owned());
                let media = Media {
                    url: p.url.map(String::from),
                    id: sticker.clone(),
                    ..Media::default()
                };
                match att.kind.as_ref() {
                    "image" if sticker.is_some() => MessageContent::Sticker(media),
                    "image" => MessageContent::Image(media),
                    "audio" => MessageContent::Audio(media),
                    "video" => MessageContent::Video(media),
                    _ => MessageContent::Document(media),
                }
            })
        }
        "location" => serde_json::from_str::<LocationPayload>(payload)
            .ok()
            .filter(|p| p.coordinates.lat.is_finite() && p.coordinates.long.is_finite())
            .map(|p| MessageContent::Location {
                latitude: p.coordinates.lat,
                longitude: p.coordinates.long,
                name: att.title.as_deref().map(normalize_text),
                address: None,
            }),
        _ => None,
    };
    mapped.unwrap_or_else(|| unsupported(&att.kind, keep(raw)))
}

fn unsupported(kind: &str, raw: RawJson) -> MessageContent {
    MessageContent::Unsupported {
        kind: kind.to_owned(),
        raw,
    }
}
