//! Request bodies of the WhatsApp Cloud API `/{phone-number-id}/messages` endpoint.

use arichat_core::Bsuid;
use serde_json::{json, Map, Value};

use crate::outbound::{
    MediaKind, MediaSource, Outbound, TemplateButtonKind, TemplateComponent, TemplateParameter,
};

/// The body that sends `message` to the WhatsApp user `to` (a phone number or wa_id),
/// optionally as a reply to the message `reply_to`.
///
/// ```
/// use arichat_channels::outbound::Outbound;
/// let body = arichat_channels::whatsapp_send::message_body("5215512345678", &Outbound::text("hola"), None);
/// assert_eq!(body["type"], "text");
/// assert_eq!(body["text"]["body"], "hola");
/// ```
pub fn message_body(to: &str, message: &Outbound, reply_to: Option<&str>) -> Value {
    message_body_to(&Recipient::individual(to), message, reply_to)
}

/// Who a WhatsApp message goes to, written as Meta's `/messages` reference asks: a
/// phone number (or wa_id) in `to`, a business-scoped user id (or parent BSUID) in
/// `recipient` (for users whose phone is withheld since 2026), a group's id in `to`
/// with `recipient_type: "group"`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Recipient {
    /// A phone number or wa_id.
    Phone(String),
    /// A BSUID or parent BSUID.
    User(Bsuid),
    /// A group id.
    Group(String),
}

impl Recipient {
    /// A user: a BSUID-shaped `to` is a [`Recipient::User`], anything else a phone.
    ///
    /// ```
    /// use arichat_channels::whatsapp_send::Recipient;
    /// assert!(matches!(Recipient::individual("US.13491208655302741918"), Recipient::User(_)));
    /// assert!(matches!(Recipient::individual("5215512345678"), Recipient::Phone(_)));
    /// ```
    pub fn individual(to: &str) -> Self {
        match Bsuid::parse(to) {
            Ok(b) => Recipient::User(b),
            Err(_) => Recipient::Phone(to.to_owned()),
        }
    }

    /// The id as sent.
    pub fn as_str(&self) -> &str {
        match self {
            Recipient::Phone(s) | Recipient::Group(s) => s,
            Recipient::User(b) => b.as_str(),
        }
    }

    fn write(&self, body: &mut Map<String, Value>) {
        let (kind, field) = match self {
            Recipient::Phone(_) => ("individual", "to"),
            Recipient::User(_) => ("individual", "recipient"),
            Recipient::Group(_) => ("group", "to"),
        };
        body.insert("recipient_type".into(), kind.into());
        body.insert(field.into(), self.as_str().into());
    }
}

/// The body that sends `message` to `recipient` (see [`Recipient`]).
///
/// ```
/// use arichat_channels::outbound::Outbound;
/// use arichat_channels::whatsapp_send::{message_body_to, Recipient};
/// let body = message_body_to(&Recipient::Group("120363025246125486".into()), &Outbound::text("hola"), None);
/// assert_eq!(body["recipient_type"], "group");
/// assert_eq!(body["to"], "120363025246125486");
/// ```
pub fn message_body_to(recipient: &Recipient, message: &Outbound, reply_to: Option<&str>) -> Value {
    let mut body = Map::new();
    body.insert("messaging_product".into(), "whatsapp".into());
    recipient.write(&mut body);
    if let Some(id) = reply_to {
        body.insert("context".into(), json!({ "message_id": id }));
    }
    let (kind, payload) = match message {
        Outbound::Text { body, preview_url } => {
            ("text", json!({ "body": body, "preview_url": preview_url }))
        }
        Outbound::Media(media) => {
            let mut obj = media_object(&media.source);
            if let Some(caption) = &media.caption {
                if !matches!(media.kind, MediaKind::Audio | MediaKind::Sticker) {
                    obj.insert("caption".into(), caption.as_str().into());
                }
            }
            if let (MediaKind::Document, Some(name)) = (media.kind, &media.filename) {
                obj.insert("filename".into(), name.as_str().into());
            }
            (media.kind.as_str(), Value::Object(obj))
        }
        Outbound::Buttons { body, buttons } => (
            "interactive",
            json!({
                "type": "button",
                "body": { "text": body },
                "action": { "buttons": buttons.iter().map(|b| json!({
                    "type": "reply", "reply": { "id": b.id, "title": b.title }
                })).collect::<Vec<_>>() },
            }),
        ),
        Outbound::List {
            body,
            button,
            sections,
        } => (
            "interactive",
            json!({
                "type": "list",
                "body": { "text": body },
                "action": { "button": button, "sections": sections },
            }),
        ),
        Outbound::Template(t) => (
            "template",
            json!({
                "name": t.name,
                "language": { "code": t.language },
                "components": t.components.iter().map(component).collect::<Vec<_>>(),
            }),
        ),
        Outbound::Reaction { message_id, emoji } => (
            "reaction",
            json!({ "message_id": message_id, "emoji": emoji }),
        ),
    };
    body.insert("type".into(), kind.into());
    body.insert(kind.into(), payload);
    Value::Object(body)
}

/// The body that marks `message_id` as read, optionally showing a typing indicator
/// until the reply is sent (or 25 seconds pass).
pub fn mark_read_body(message_id: &str, typing_indicator: bool) -> Value {
    let mut body = json!({
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": message_id,
    });
    if typing_indicator {
        body["typing_indicator"] = json!({ "type": "text" });
    }
    body
}

fn media_object(source: &MediaSource) -> Map<String, Value> {
    let mut obj = Map::new();
    match source {
        MediaSource::Id(id) => obj.insert("id".into(), id.as_str().into()),
        MediaSource::Link(link) => obj.insert("link".into(), link.as_str().into()),
    };
    obj
}

fn component(c: &TemplateComponent) -> Value {
    match c {
        TemplateComponent::Header { parameters } => {
            json!({ "type": "header", "parameters": parameters.iter().map(parameter).collect::<Vec<_>>() })
        }
        TemplateComponent::Body { parameters } => {
            json!({ "type": "body", "parameters": parameters.iter().map(parameter).collect::<Vec<_>>() })
        }
        TemplateComponent::Button {
            kind,
            index,
            parameters,
        } => json!({
            "type": "button",
            "sub_type": match kind { TemplateButtonKind::QuickReply => "quick_reply", TemplateButtonKind::Url => "url" },
            "index": index.to_string(),
            "parameters": parameters.iter().map(parameter).collect::<Vec<_>>(),
        }),
    }
}

fn parameter(p: &TemplateParameter) -> Value {
    match p {
        TemplateParameter::Text(text) => json!({ "type": "text", "text": text }),
        TemplateParameter::Payload(payload) => json!({ "type": "payload", "payload": payload }),
        TemplateParameter::Image(src) => json!({ "type": "image", "image": media_object(src) }),
        TemplateParameter::Video(src) => json!({ "type": "video", "video": media_object(src) }),
        TemplateParameter::Document(src) => {
            json!({ "type": "document", "document": media_object(src) })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbound::{MediaMessage, ReplyButton, Template, TemplateCategory};

    #[test]
    fn template_components_follow_the_cloud_api_shape() {
        let msg = Outbound::Template(Template {
            name: "order_update".into(),
            language: "pt_BR".into(),
            category: TemplateCategory::Utility,
            components: vec![
                TemplateComponent::Header {
                    parameters: vec![TemplateParameter::Image(MediaSource::Link(
                        "https://x.example/a.png".into(),
                    ))],
                },
                TemplateComponent::Body {
                    parameters: vec![TemplateParameter::Text("Ana".into())],
                },
                TemplateComponent::Button {
                    kind: TemplateButtonKind::Url,
                    index: 0,
                    parameters: vec![TemplateParameter::Text("track/123".into())],
                },
            ],
        });
        let body = message_body("5511999999999", &msg, None);
        assert_eq!(body["template"]["language"]["code"], "pt_BR");
        let comps = body["template"]["components"].as_array().unwrap();
        assert_eq!(
            comps[0]["parameters"][0]["image"]["link"],
            "https://x.example/a.png"
        );
        assert_eq!(comps[1]["parameters"][0]["text"], "Ana");
        assert_eq!(comps[2]["sub_type"], "url");
        assert_eq!(comps[2]["index"], "0");
    }

    #[test]
    fn media_buttons_and_replies() {
        let doc = Outbound::Media(MediaMessage {
            kind: MediaKind::Document,
            source: MediaSource::Id("m-1".into()),
            caption: Some("contrato".into()),
            filename: Some("contrato.pdf".into()),
        });
        let body = message_body("1", &doc, Some("wamid.X"));
        assert_eq!(body["type"], "document");
        assert_eq!(body["document"]["id"], "m-1");
        assert_eq!(body["document"]["filename"], "contrato.pdf");
        assert_eq!(body["context"]["message_id"], "wamid.X");
        let buttons = Outbound::Buttons {
            body: "¿Seguimos?".into(),
            buttons: vec![ReplyButton {
                id: "yes".into(),
                title: "Sí".into(),
            }],
        };
        let body = message_body("1", &buttons, None);
        assert_eq!(body["interactive"]["type"], "button");
        assert_eq!(
            body["interactive"]["action"]["buttons"][0]["reply"]["id"],
            "yes"
        );
        assert_eq!(
            mark_read_body("wamid.Y", true)["typing_indicator"]["type"],
            "text"
        );
        assert!(mark_read_body("wamid.Y", false)
            .get("typing_indicator")
            .is_none());
    }
}
