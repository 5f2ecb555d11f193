//! # arichat-channels
//!
//! Everything vendor-specific: the wire formats of the WhatsApp Cloud API,
//! Messenger, Instagram and the Telegram Bot API, webhook verification, and —
//! behind the `client` feature — HTTP clients for their send APIs.
//!
//! The vendor modules arrive with the inbound issue; this crate already fixes the
//! dependency direction: channels depend on `arichat-core`, never the reverse.

pub use arichat_core::Channel;

/// The channels this crate will speak, re-exported for hosts that only depend on it.
pub fn supported_channels() -> &'static [Channel] {
    &Channel::ALL
}

#[cfg(test)]
mod tests {
    #[test]
    fn all_four_channels_are_supported() {
        assert_eq!(super::supported_channels().len(), 4);
    }
}
