//! The body answering a hook in its HTTP response.

use serde::Serialize;

arichat_core::named_enum!(
    /// Where Mattermost shows a hook's answer.
    ///
    /// ```
    /// use arichat_channels::mattermost::ResponseType;
    /// assert_eq!("comment".parse::<ResponseType>().unwrap(), ResponseType::Comment);
    /// assert!("thread".parse::<ResponseType>().is_err());
    /// ```
    ResponseType, "response type", "comment, in_channel, ephemeral", {
        /// A reply in the thread of the post that triggered an outgoing webhook.
        Comment => "comment",
        /// A post in the channel, visible to everyone (slash commands).
        InChannel => "in_channel",
        /// Only the user who ran a slash command sees it.
        Ephemeral => "ephemeral",
    }
);

impl Default for ResponseType {
    /// [`ResponseType::Comment`]: a bot answering a post answers in its thread.
    fn default() -> Self {
        ResponseType::Comment
    }
}

/// The JSON an outgoing webhook or slash command may answer with.
///
/// ```
/// use arichat_channels::mattermost::HookReply;
/// let body = HookReply::comment("Venta registrada ✓").to_json();
/// assert_eq!(body, r#"{"text":"Venta registrada ✓","response_type":"comment"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct HookReply {
    /// The message (Markdown).
    pub text: String,
    /// Where it shows.
    pub response_type: ResponseType,
}

impl HookReply {
    /// An answer of `response_type`.
    pub fn new(text: impl Into<String>, response_type: ResponseType) -> Self {
        HookReply {
            text: text.into(),
            response_type,
        }
    }

    /// An answer in the thread of the triggering post (outgoing webhooks).
    pub fn comment(text: impl Into<String>) -> Self {
        Self::new(text, ResponseType::Comment)
    }

    /// The body to send with `Content-Type: application/json`.
    pub fn to_json(&self) -> String {
        // A struct of a string and a unit enum always serializes.
        serde_json::to_string(self).unwrap_or_default()
    }
}
