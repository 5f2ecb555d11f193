//! Idempotency keys: `<channel>:<account>:<what>[:<more>...]`, the one format every
//! vendor module builds its keys with.
//!
//! Downstream dedup stores hold these strings, so the same event must keep the same key
//! across releases: each vendor module's tests pin its keys byte for byte. Built by
//! pushing the pieces (`format!` took ~1,000 instructions a key on the WhatsApp path).

use std::fmt::{self, Write};

use arichat_core::Channel;

/// A key being built: `<channel>:<account>` and then `:`-separated parts.
pub(crate) struct KeyBuilder(String);

impl KeyBuilder {
    /// `<channel>:<account>`, with room for `more` bytes of parts.
    pub(crate) fn new(channel: Channel, account: &str, more: usize) -> Self {
        let channel = channel.as_str();
        let mut key = String::with_capacity(channel.len() + 1 + account.len() + more);
        key.push_str(channel);
        key.push(':');
        key.push_str(account);
        KeyBuilder(key)
    }

    /// `:` and `part`.
    pub(crate) fn part(mut self, part: &str) -> Self {
        self.0.push(':');
        self.0.push_str(part);
        self
    }

    /// `:` and `part` formatted (numbers, or a tail that holds its own `:`s).
    pub(crate) fn part_fmt(mut self, part: fmt::Arguments<'_>) -> Self {
        self.0.push(':');
        // Writing to a String cannot fail.
        let _ = self.0.write_fmt(part);
        self
    }

    /// The key.
    pub(crate) fn finish(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vendor_shape_is_channel_account_then_parts() {
        let wa = KeyBuilder::new(Channel::Whatsapp, "1065", 20)
            .part("status")
            .part("wamid.X")
            .part("read")
            .finish();
        assert_eq!(wa, "whatsapp:1065:status:wamid.X:read");
        let tg = KeyBuilder::new(Channel::Telegram, "bot7", 8)
            .part_fmt(format_args!("{}", 900_i64))
            .finish();
        assert_eq!(tg, "telegram:bot7:900");
        let meta = KeyBuilder::new(Channel::Messenger, "PAGE", 32)
            .part_fmt(format_args!("read:{}:{}", "S", "m_r"))
            .finish();
        assert_eq!(meta, "messenger:PAGE:read:S:m_r");
        let hashed = KeyBuilder::new(Channel::Instagram, "IG", 40)
            .part("unsupported")
            .part("00ff")
            .finish();
        assert_eq!(hashed, "instagram:IG:unsupported:00ff");
    }
}
