//! Request bodies of the Telegram Bot API send methods.

use serde_json::{json, Map, Value};

use crate::outbound::{MediaKind, MediaSource, Outbound};

/// A `chat_id` as Telegram wants it: an integer when the id is numeric, else the
/// string (`@channelusername`).
pub fn chat_id(id: &str) -> Value {
    id.parse::<i64>().map_or_else(|_| id.into(), Value::from)
}

/// The Bot API method and body that send `message` to `chat`, optionally as a reply.
///
/// Text goes by `sendMessage`; media by `sendPhoto`, `sendVideo`, `sendAudio`,
/// `sendDocument` or `sendSticker`; buttons and lists as an inline keyboard whose
/// buttons carry the ids as `callback_data`. Templates and reactions are not Telegram
/// messages (`Err`).
///
/// ```
/// use arichat_channels::outbound::Outbound;
/// let (method, body) = arichat_channels::telegram_send::message_request("42", &Outbound::text("hola"), Some(7)).unwrap();
/// assert_eq!(method, "sendMessage");
/// assert_eq!(body["chat_id"], 42);
/// assert_eq!(body["reply_parameters"]["message_id"], 7);
/// ```
pub fn message_request(
    chat: &str,
    message: &Outbound,
    reply_to: Option<i64>,
) -> Result<(&'static str, Value), String> {
    let mut body = Map::new();
    body.insert("chat_id".into(), chat_id(chat));
    let method = match message {
        Outbound::Text {
            body: text,
            preview_url,
        } => {
            body.insert("text".into(), text.as_str().into());
            if !preview_url {
                body.insert(
                    "link_preview_options".into(),
                    json!({ "is_disabled": true }),
                );
            }
            "sendMessage"
        }
        Outbound::Media(media) => {
            let (method, field) = match media.kind {
                MediaKind::Image => ("sendPhoto", "photo"),
                MediaKind::Video => ("sendVideo", "video"),
                MediaKind::Audio => ("sendAudio", "audio"),
                MediaKind::Document => ("sendDocument", "document"),
                MediaKind::Sticker => ("sendSticker", "sticker"),
            };
            let file = match &media.source {
                MediaSource::Id(id) | MediaSource::Link(id) => id.as_str(),
            };
            body.insert(field.into(), file.into());
            if let (Some(caption), false) = (&media.caption, media.kind == MediaKind::Sticker) {
                body.insert("caption".into(), caption.as_str().into());
            }
            method
        }
        Outbound::Buttons {
            body: text,
            buttons,
        } => {
            body.insert("text".into(), text.as_str().into());
            body.insert(
                "reply_markup".into(),
                inline_keyboard(buttons.iter().map(|b| (b.id.as_str(), b.title.as_str()))),
            );
            "sendMessage"
        }
        Outbound::List {
            body: text,
            sections,
            ..
        } => {
            body.insert("text".into(), text.as_str().into());
            body.insert(
                "reply_markup".into(),
                inline_keyboard(
                    sections
                        .iter()
                        .flat_map(|s| s.rows.iter())
                        .map(|r| (r.id.as_str(), r.title.as_str())),
                ),
            );
            "sendMessage"
        }
        Outbound::Template(_) | Outbound::Reaction { .. } => {
            return Err(format!("Telegram has no {} messages", message.kind()))
        }
    };
    if let Some(id) = reply_to {
        body.insert(
            "reply_parameters".into(),
            json!({ "message_id": id, "allow_sending_without_reply": true }),
        );
    }
    Ok((method, Value::Object(body)))
}

/// An inline keyboard with one button per row; `(callback_data, text)` pairs.
pub fn inline_keyboard<'a>(buttons: impl Iterator<Item = (&'a str, &'a str)>) -> Value {
    let rows: Vec<Value> = buttons
        .map(|(data, text)| json!([{ "text": text, "callback_data": data }]))
        .collect();
    json!({ "inline_keyboard": rows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbound::{MediaMessage, ReplyButton};

    #[test]
    fn media_and_keyboards() {
        let photo = Outbound::Media(MediaMessage {
            kind: MediaKind::Image,
            source: MediaSource::Link("https://x.example/p.jpg".into()),
            caption: Some("nuevo".into()),
            filename: None,
        });
        let (method, body) = message_request("@shop", &photo, None).unwrap();
        assert_eq!(method, "sendPhoto");
        assert_eq!(body["chat_id"], "@shop");
        assert_eq!(body["caption"], "nuevo");
        let buttons = Outbound::Buttons {
            body: "¿Agendamos?".into(),
            buttons: vec![
                ReplyButton {
                    id: "si".into(),
                    title: "Sí".into(),
                },
                ReplyButton {
                    id: "no".into(),
                    title: "No".into(),
                },
            ],
        };
        let (_, body) = message_request("42", &buttons, None).unwrap();
        assert_eq!(
            body["reply_markup"]["inline_keyboard"][1][0]["callback_data"],
            "no"
        );
        assert!(message_request(
            "42",
            &Outbound::Reaction {
                message_id: "1".into(),
                emoji: "👍".into()
            },
            None
        )
        .is_err());
    }
}
