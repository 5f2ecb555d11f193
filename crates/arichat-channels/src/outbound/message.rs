//! The vendor-neutral outbound message.

use serde::{Deserialize, Serialize};

/// A message a host wants to send, whatever the channel.
///
/// Serialized with a `type` tag, so bindings accept it as a JSON object:
///
/// ```
/// use arichat_channels::outbound::Outbound;
/// let msg: Outbound = serde_json::from_str(r#"{"type": "text", "body": "¡Hola!"}"#).unwrap();
/// assert_eq!(msg, Outbound::text("¡Hola!"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outbound {
    /// Plain text.
    Text {
        /// The text.
        body: String,
        /// Ask the platform to render a preview of the first link (WhatsApp).
        #[serde(default)]
        preview_url: bool,
    },
    /// An image, video, audio, document or sticker, by uploaded id or by link.
    Media(MediaMessage),
    /// Text with up to three reply buttons (WhatsApp interactive buttons, Messenger and
    /// Instagram quick replies, a Telegram inline keyboard).
    Buttons {
        /// The text above the buttons.
        body: String,
        /// The buttons.
        buttons: Vec<ReplyButton>,
    },
    /// A list of options in sections (WhatsApp interactive list; quick replies or an
    /// inline keyboard elsewhere).
    List {
        /// The text above the list.
        body: String,
        /// The label of the button that opens the list.
        button: String,
        /// The sections.
        sections: Vec<ListSection>,
    },
    /// A pre-approved WhatsApp message template (the only free send outside the window).
    Template(Template),
    /// A reaction to an earlier message.
    Reaction {
        /// The vendor id of the message reacted to.
        message_id: String,
        /// The emoji; empty removes the reaction.
        emoji: String,
    },
}

impl Outbound {
    /// A plain text message without link preview.
    pub fn text(body: impl Into<String>) -> Self {
        Outbound::Text {
            body: body.into(),
            preview_url: false,
        }
    }

    /// The `type` tag of this message, as serialized.
    pub fn kind(&self) -> &'static str {
        match self {
            Outbound::Text { .. } => "text",
            Outbound::Media(_) => "media",
            Outbound::Buttons { .. } => "buttons",
            Outbound::List { .. } => "list",
            Outbound::Template(_) => "template",
            Outbound::Reaction { .. } => "reaction",
        }
    }

    /// Whether this is marketing by its own nature (a template of category marketing).
    pub fn is_marketing(&self) -> bool {
        matches!(self, Outbound::Template(t) if t.category == TemplateCategory::Marketing)
    }
}

/// Kinds of media.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    /// JPEG or PNG image.
    Image,
    /// Video.
    Video,
    /// Audio or voice note.
    Audio,
    /// Any file.
    Document,
    /// Sticker (WhatsApp).
    Sticker,
}

impl MediaKind {
    /// The snake_case name, as the vendors spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
            MediaKind::Document => "document",
            MediaKind::Sticker => "sticker",
        }
    }
}

/// Where the platform finds a media file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaSource {
    /// An id returned by an earlier upload (WhatsApp media id, Messenger attachment id,
    /// Telegram file_id).
    Id(String),
    /// A public HTTPS link the platform fetches.
    Link(String),
}

/// A media message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaMessage {
    /// Image, video, ...
    pub kind: MediaKind,
    /// Id or link.
    pub source: MediaSource,
    /// Caption (not for audio or stickers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// File name shown for documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
}

/// A reply button: an id the host gets back, and a title the contact sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyButton {
    /// Payload returned when tapped.
    pub id: String,
    /// Label (WhatsApp: at most 20 characters).
    pub title: String,
}

/// A section of a list message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListSection {
    /// Section title.
    pub title: String,
    /// Its rows.
    pub rows: Vec<ListRow>,
}

/// One choice of a list message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListRow {
    /// Payload returned when chosen.
    pub id: String,
    /// Label.
    pub title: String,
    /// Second line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A WhatsApp message template and the values of its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    /// The template's name as approved.
    pub name: String,
    /// Its language code (`es_MX`, `pt_BR`, `en_US`).
    pub language: String,
    /// Its category as approved; a marketing template needs the contact's consent.
    pub category: TemplateCategory,
    /// Values for the header, body and buttons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<TemplateComponent>,
}

/// Template categories as WhatsApp approves them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateCategory {
    /// Promotions and offers: needs an opt-in.
    Marketing,
    /// Updates about an existing transaction or account.
    Utility,
    /// One-time passcodes.
    Authentication,
}

/// Values for one part of a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "part", rename_all = "snake_case")]
pub enum TemplateComponent {
    /// Header parameters (text or one media).
    Header {
        /// The values.
        parameters: Vec<TemplateParameter>,
    },
    /// Body parameters (`{{1}}`, `{{2}}`, ...).
    Body {
        /// The values.
        parameters: Vec<TemplateParameter>,
    },
    /// One button's parameter (a URL suffix or a quick-reply payload).
    Button {
        /// Quick reply or URL.
        kind: TemplateButtonKind,
        /// The button's position, from 0.
        index: u8,
        /// The values.
        parameters: Vec<TemplateParameter>,
    },
}

/// Template button kinds that take parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateButtonKind {
    /// A quick-reply button (parameter: payload).
    QuickReply,
    /// A URL button (parameter: the dynamic URL suffix).
    Url,
}

/// One template parameter value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum TemplateParameter {
    /// Text.
    Text(String),
    /// Quick-reply payload.
    Payload(String),
    /// Image header.
    Image(MediaSource),
    /// Video header.
    Video(MediaSource),
    /// Document header.
    Document(MediaSource),
}
