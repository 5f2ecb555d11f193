//! Request bodies of the Messenger and Instagram Send API (`/{page-or-ig-id}/messages`).

use serde_json::{json, Value};

use crate::outbound::{Delivery, MediaKind, MediaSource, Outbound};

/// Messenger allows at most 13 quick replies.
pub const MAX_QUICK_REPLIES: usize = 13;

arichat_core::named_enum!(
    /// A sender action: typing indicators and read receipts, named as the Send API
    /// spells them (`FromStr` refuses anything else with `unknown_variant`).
    ///
    /// ```
    /// use arichat_channels::meta_send::SenderAction;
    /// assert_eq!("mark_seen".parse::<SenderAction>().unwrap(), SenderAction::MarkSeen);
    /// assert_eq!("typing".parse::<SenderAction>().unwrap_err().code(), "unknown_variant");
    /// ```
    SenderAction, "sender action", "typing_on, typing_off, mark_seen", {
        /// Show the typing indicator.
        TypingOn => "typing_on",
        /// Hide it.
        TypingOff => "typing_off",
        /// Mark the contact's last message as seen.
        MarkSeen => "mark_seen",
    }
);

/// The request bodies that send `message` to `recipient` (a PSID or IGSID) with the
/// `messaging_type` (and `tag`) of `delivery`.
///
/// Usually one body; a media message with a caption becomes two (the attachment, then
/// the caption as text), since the Send API has no captions. A list becomes quick
/// replies (at most [`MAX_QUICK_REPLIES`], else `Err` with the reason).
///
/// ```
/// use arichat_channels::meta_send::message_bodies;
/// use arichat_channels::outbound::{Delivery, MessageTag, Outbound};
/// let bodies = message_bodies("psid-1", &Outbound::text("hola"), Delivery::Tagged(MessageTag::HumanAgent)).unwrap();
/// assert_eq!(bodies[0]["messaging_type"], "MESSAGE_TAG");
/// assert_eq!(bodies[0]["tag"], "HUMAN_AGENT");
/// ```
pub fn message_bodies(
    recipient: &str,
    message: &Outbound,
    delivery: Delivery,
) -> Result<Vec<Value>, String> {
    let messages = match message {
        Outbound::Text { body, .. } => vec![json!({ "text": body })],
        Outbound::Media(media) => {
            let kind = match media.kind {
                MediaKind::Image | MediaKind::Sticker => "image",
                MediaKind::Video => "video",
                MediaKind::Audio => "audio",
                MediaKind::Document => "file",
            };
            let payload = match &media.source {
                MediaSource::Id(id) => json!({ "attachment_id": id }),
                MediaSource::Link(url) => json!({ "url": url, "is_reusable": true }),
            };
            let mut parts = vec![json!({ "attachment": { "type": kind, "payload": payload } })];
            if let Some(caption) = &media.caption {
                parts.push(json!({ "text": caption }));
            }
            parts
        }
        Outbound::Buttons { body, buttons } => vec![quick_replies(
            body,
            buttons.iter().map(|b| (b.id.as_str(), b.title.as_str())),
        )?],
        Outbound::List { body, sections, .. } => vec![quick_replies(
            body,
            sections
                .iter()
                .flat_map(|s| s.rows.iter())
                .map(|r| (r.id.as_str(), r.title.as_str())),
        )?],
        Outbound::Template(_) | Outbound::Reaction { .. } => {
            return Err(format!("the Send API has no {} messages", message.kind()))
        }
    };
    let (messaging_type, tag) = match delivery {
        Delivery::Update => ("UPDATE", None),
        Delivery::Tagged(tag) => ("MESSAGE_TAG", Some(tag.as_str())),
        Delivery::Response | Delivery::Template | Delivery::Unrestricted => ("RESPONSE", None),
    };
    Ok(messages
        .into_iter()
        .map(|message| {
            let mut body = json!({
                "recipient": { "id": recipient },
                "messaging_type": messaging_type,
                "message": message,
            });
            if let Some(tag) = tag {
                body["tag"] = tag.into();
            }
            body
        })
        .collect())
}

/// The body of a sender action.
pub fn sender_action_body(recipient: &str, action: SenderAction) -> Value {
    json!({ "recipient": { "id": recipient }, "sender_action": action.as_str() })
}

fn quick_replies<'a>(
    text: &str,
    options: impl Iterator<Item = (&'a str, &'a str)>,
) -> Result<Value, String> {
    let replies: Vec<Value> = options
        .map(|(id, title)| json!({ "content_type": "text", "title": title, "payload": id }))
        .collect();
    if replies.len() > MAX_QUICK_REPLIES {
        return Err(format!(
            "{} options exceed the {MAX_QUICK_REPLIES} quick replies the Send API allows",
            replies.len()
        ));
    }
    Ok(json!({ "text": text, "quick_replies": replies }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbound::{ListRow, ListSection, MediaMessage};

    #[test]
    fn captions_become_a_second_message_and_long_lists_fail() {
        let media = Outbound::Media(MediaMessage {
            kind: MediaKind::Document,
            source: MediaSource::Link("https://x.example/c.pdf".into()),
            caption: Some("su contrato".into()),
            filename: None,
        });
        let bodies = message_bodies("p", &media, Delivery::Response).unwrap();
        assert_eq!(bodies.len(), 2);
        assert_eq!(bodies[0]["message"]["attachment"]["type"], "file");
        assert_eq!(bodies[1]["message"]["text"], "su contrato");
        assert_eq!(bodies[1]["messaging_type"], "RESPONSE");
        let rows = (0..14)
            .map(|i| ListRow {
                id: i.to_string(),
                title: format!("op {i}"),
                description: None,
            })
            .collect();
        let list = Outbound::List {
            body: "elija".into(),
            button: "ver".into(),
            sections: vec![ListSection {
                title: "s".into(),
                rows,
            }],
        };
        assert!(message_bodies("p", &list, Delivery::Response).is_err());
    }
}
