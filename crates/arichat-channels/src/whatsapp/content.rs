//! What a WhatsApp message carries -> [`MessageContent`].

use arichat_core::text::normalize_text;
use arichat_core::{Media, MessageContent, MessageId};

use super::wire;
use crate::borrowed::Str;

/// The content of `m`, or `Err(kind)` when arichat does not model it (the caller
/// keeps the raw message as [`MessageContent::Unsupported`] with that kind).
///
/// Mapped: text, image, audio, video, document, sticker, location, contacts,
/// interactive `button_reply` / `list_reply` (id and title), interactive `nfm_reply`
/// (a Flow: `id` is the `response_json` string, `title` the visible body), template
/// quick-reply `button` (payload and text), reaction (no emoji = removed), order and
/// system (its body as text). Everything else (`unsupported`, `unknown`,
/// `request_welcome`, interactive `call_permission_reply`, a type whose payload is
/// missing, coordinates that are not numbers, ...) is `Err`.
///
/// A message without `type` (Meta's own documentation examples of a location omit
/// it) is read by the one payload it carries.
pub(crate) fn content(m: &mut wire::Message<'_>) -> Result<MessageContent, String> {
    // Borrowed: the type is copied only into an unsupported content's `kind`.
    let kind = m
        .kind
        .take()
        .or_else(|| carried(m).map(Str::from))
        .unwrap_or_default();
    let unsupported = || kind.to_string();
    Ok(match kind.as_str() {
        "text" => MessageContent::Text {
            body: normalize_text(&m.text.take().ok_or_else(unsupported)?.body),
        },
        "image" => MessageContent::Image(media(*m.image.take().ok_or_else(unsupported)?)),
        "audio" => MessageContent::Audio(media(*m.audio.take().ok_or_else(unsupported)?)),
        "video" => MessageContent::Video(media(*m.video.take().ok_or_else(unsupported)?)),
        "document" => MessageContent::Document(media(*m.document.take().ok_or_else(unsupported)?)),
        "sticker" => MessageContent::Sticker(media(*m.sticker.take().ok_or_else(unsupported)?)),
        "location" => {
            let l = m.location.take().ok_or_else(unsupported)?;
            match (l.latitude.0, l.longitude.0) {
                (Some(latitude), Some(longitude)) => MessageContent::Location {
                    latitude,
                    longitude,
                    name: text(l.name.as_deref()),
                    address: text(l.address.as_deref()),
                },
                _ => return Err(unsupported()),
            }
        }
        "contacts" => MessageContent::Contacts {
            contacts: m.contacts.take().ok_or_else(unsupported)?,
        },
        "interactive" => return interactive(*m.interactive.take().ok_or_else(unsupported)?),
        "button" => {
            let b = m.button.take().ok_or_else(unsupported)?;
            let title = text(b.text.as_deref()).unwrap_or_default();
            MessageContent::InteractiveReply {
                id: b.payload.map_or_else(|| title.clone(), Str::into_owned),
                flow_name: None,
                title,
            }
        }
        "reaction" => {
            let r = m.reaction.take().ok_or_else(unsupported)?;
            MessageContent::Reaction {
                message_id: MessageId::new(r.message_id.into_owned()),
                emoji: r.emoji.map(Str::into_owned).unwrap_or_default(),
            }
        }
        "order" => {
            let o = m.order.take().ok_or_else(unsupported)?;
            MessageContent::Order {
                catalog_id: o.catalog_id.map(Str::into_owned).unwrap_or_default(),
                items: o.product_items,
                text: text(o.text.as_deref()),
            }
        }
        "system" => MessageContent::Text {
            body: text(m.system.as_ref().and_then(|s| s.body.as_deref()))
                .ok_or_else(unsupported)?,
        },
        _ => return Err(unsupported()),
    })
}

/// The type named by the only payload a typeless message carries.
fn carried(m: &wire::Message<'_>) -> Option<&'static str> {
    let present = [
        ("text", m.text.is_some()),
        ("image", m.image.is_some()),
        ("audio", m.audio.is_some()),
        ("video", m.video.is_some()),
        ("document", m.document.is_some()),
        ("sticker", m.sticker.is_some()),
        ("location", m.location.is_some()),
        ("contacts", m.contacts.is_some()),
        ("interactive", m.interactive.is_some()),
        ("button", m.button.is_some()),
        ("reaction", m.reaction.is_some()),
        ("order", m.order.is_some()),
    ];
    let mut found = present.iter().filter(|(_, here)| *here).map(|(k, _)| *k);
    match (found.next(), found.next()) {
        (Some(kind), None) => Some(kind),
        _ => None,
    }
}

fn interactive(i: wire::Interactive<'_>) -> Result<MessageContent, String> {
    let kind = i.kind.as_deref().unwrap_or("interactive").to_owned();
    let reply = match kind.as_str() {
        "button_reply" => i.button_reply,
        "list_reply" => i.list_reply,
        "nfm_reply" => {
            let n = i.nfm_reply.ok_or_else(|| kind.clone())?;
            return Ok(MessageContent::InteractiveReply {
                id: n.response_json.map(Str::into_owned).unwrap_or_default(),
                title: text(n.body.as_deref()).unwrap_or_default(),
                flow_name: n.name.map(Str::into_owned),
            });
        }
        _ => None,
    };
    let r = reply.ok_or_else(|| kind.clone())?;
    Ok(MessageContent::InteractiveReply {
        id: r.id.into_owned(),
        title: normalize_text(&r.title),
        flow_name: None,
    })
}

fn media(m: wire::Media<'_>) -> Media {
    Media {
        id: m.id.map(Str::into_owned),
        url: m.url.map(Str::into_owned),
        mime_type: m.mime_type.map(Str::into_owned),
        caption: text(m.caption.as_deref()),
        filename: m.filename.map(Str::into_owned),
        sha256: m.sha256.map(Str::into_owned),
    }
}

/// Normalized text, `None` when absent or empty.
pub(crate) fn text(s: Option<&str>) -> Option<String> {
    s.map(normalize_text).filter(|t| !t.is_empty())
}
