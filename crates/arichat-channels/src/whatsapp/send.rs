//! Request bodies of the WhatsApp Cloud API `/{phone-number-id}/messages` endpoint.

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
    let mut body = Map::new();
    body.insert("messaging_product".into(), "whatsapp".into());
    body.insert("recipient_type".into(), "individual".into());
    body.insert("to".into(), to.into());
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
