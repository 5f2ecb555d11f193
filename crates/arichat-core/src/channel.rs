//! The messaging channels arichat speaks.

use std::fmt;
use std::str::FromStr;

use crate::CoreError;

/// A messaging channel.
///
/// Serialized in snake_case (`"whatsapp"`, `"messenger"`, ...).
///
/// ```
/// use arichat_core::Channel;
/// assert_eq!("telegram".parse::<Channel>().unwrap(), Channel::Telegram);
/// assert_eq!(Channel::Whatsapp.as_str(), "whatsapp");
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Channel {
    /// WhatsApp Cloud API.
    Whatsapp,
    /// Facebook Messenger (a page's inbox).
    Messenger,
    /// Instagram direct messages.
    Instagram,
    /// Telegram Bot API.
    Telegram,
    /// Mattermost (outgoing webhooks and slash commands of a team).
    Mattermost,
}

impl Channel {
    /// All channels, in a stable order.
    pub const ALL: [Channel; 5] = [
        Channel::Whatsapp,
        Channel::Messenger,
        Channel::Instagram,
        Channel::Telegram,
        Channel::Mattermost,
    ];

    /// The snake_case name used in JSON and on command lines.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Whatsapp => "whatsapp",
            Channel::Messenger => "messenger",
            Channel::Instagram => "instagram",
            Channel::Telegram => "telegram",
            Channel::Mattermost => "mattermost",
        }
    }

    /// Whether the platform enforces a 24-hour customer-service window (Meta's
    /// channels do; a Telegram bot or a Mattermost team may write at any time).
    pub fn has_service_window(self) -> bool {
        !matches!(self, Channel::Telegram | Channel::Mattermost)
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Channel {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| CoreError::UnknownVariant {
                kind: "channel",
                value: s.to_owned(),
                expected: "whatsapp, messenger, instagram, telegram, mattermost",
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_json_and_from_str() {
        for c in Channel::ALL {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
            assert_eq!(c.as_str().parse::<Channel>().unwrap(), c);
        }
    }

    #[test]
    fn unknown_channel_is_a_typed_error() {
        let err = "sms".parse::<Channel>().unwrap_err();
        assert!(matches!(
            err,
            CoreError::UnknownVariant {
                kind: "channel",
                ..
            }
        ));
        assert!(err.to_string().contains("whatsapp"));
    }

    #[test]
    fn only_meta_channels_have_a_window() {
        assert!(!Channel::Telegram.has_service_window());
        assert!(!Channel::Mattermost.has_service_window());
        assert!(Channel::Instagram.has_service_window());
    }
}
