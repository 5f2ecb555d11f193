//! What a Telegram message carries, as [`MessageContent`].
//!
//! | Telegram field | content |
//! |---|---|
//! | `text` (+ `entities`) | `Text`, or `FormattedText` when entities are sent |
//! | `photo` | `Image`, the largest size's `file_id` |
//! | `animation` | `Video` (Telegram sends GIFs as MPEG-4; checked before `document`, which Telegram also sets) |
//! | `document` | `Document` (mime type, file name) |
//! | `audio`, `voice` | `Audio` |
//! | `video`, `video_note` | `Video` |
//! | `sticker` | `Sticker` |
//! | `venue` | `Location` with the venue's title and address (checked before `location`) |
//! | `location` | `Location` |
//! | `contact` | `Contacts` with the card's JSON |
//! | `dice`, `poll`, `game`, `invoice`, `story`, `paid_media`, `checklist`, `giveaway`, `giveaway_winners` | `Unsupported` with that field's JSON |
//!
//! `caption` (NFC-normalized) goes to `Media::caption`. A message with none of these
//! (service messages such as `new_chat_members`, or kinds newer than this code) has no
//! content: the caller emits an `unsupported` event for the whole update.

use arichat_core::{Media, MessageContent};

use super::entities::text_content;
use super::wire::{File, Message};
use arichat_core::text::normalize_text;

/// Takes the content out of `m`; `None` when it carries none arichat knows.
pub(super) fn take(m: &mut Message<'_>) -> Option<MessageContent> {
    if let Some(text) = m.text.take() {
        return Some(text_content(&text, m.entities.take()));
    }
    let caption = m
        .caption
        .take()
        .map(|c| normalize_text(&c))
        .filter(|c| !c.is_empty());
    let media = |f: Box<File<'_>>| Media {
        id: Some(f.file_id.into_owned()),
        mime_type: f.mime_type.map(|t| t.into_owned()),
        filename: f.file_name.map(|n| normalize_text(&n)),
        caption: caption.clone(),
        ..Media::default()
    };
    if let Some(sizes) = m.photo.take() {
        // Telegram lists sizes smallest first; pick by area (then bytes) to be sure.
        let largest = sizes
            .into_iter()
            .max_by_key(|p| (p.width.saturating_mul(p.height), p.file_size))?;
        return Some(MessageContent::Image(Media {
            id: Some(largest.file_id.into_owned()),
            caption,
            ..Media::default()
        }));
    }
    let files = [
        (m.animation.take(), MessageContent::Video as fn(Media) -> _),
        (m.document.take(), MessageContent::Document),
        (m.audio.take(), MessageContent::Audio),
        (m.voice.take(), MessageContent::Audio),
        (m.video.take(), MessageContent::Video),
        (m.video_note.take(), MessageContent::Video),
        (m.sticker.take(), MessageContent::Sticker),
    ];
    for (file, make) in files {
        if let Some(f) = file {
            return Some(make(media(f)));
        }
    }
    if let Some(v) = m.venue.take() {
        let v = *v;
        return Some(MessageContent::Location {
            latitude: v.location.latitude,
            longitude: v.location.longitude,
            name: v.title.map(|t| normalize_text(&t)),
            address: v.address.map(|a| normalize_text(&a)),
        });
    }
    if let Some(l) = m.location.take() {
        return Some(MessageContent::Location {
            latitude: l.latitude,
            longitude: l.longitude,
            name: None,
            address: None,
        });
    }
    if let Some(card) = m.contact.take() {
        return Some(MessageContent::Contacts {
            contacts: vec![*card],
        });
    }
    let others = [
        ("dice", m.dice.take()),
        ("poll", m.poll.take()),
        ("game", m.game.take()),
        ("invoice", m.invoice.take()),
        ("story", m.story.take()),
        ("paid_media", m.paid_media.take()),
        ("checklist", m.checklist.take()),
        ("giveaway", m.giveaway.take()),
        ("giveaway_winners", m.giveaway_winners.take()),
    ];
    others.into_iter().find_map(|(kind, raw)| {
        raw.map(|raw| MessageContent::Unsupported {
            kind: kind.to_owned(),
            raw: crate::fields::keep(raw),
        })
    })
}
