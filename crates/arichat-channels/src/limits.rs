//! Size and nesting limits checked before a body is parsed, and the cap on items
//! enforced while it is parsed.

use crate::ChannelError;

/// Limits on an untrusted body. Defaults: 1 MiB, 128 levels of nesting and 10,000
/// items — far above any real webhook (Meta batches up to 1,000 updates in a few
/// hundred KiB; the deepest fixture nests 9 levels; Telegram's `getUpdates` returns at
/// most 100) and far below what could exhaust a worker's stack or memory.
///
/// Items are the elements of every list read item by item: entries, changes,
/// messages, echoes, statuses and contacts (WhatsApp), entries, `messaging` /
/// `standby` / `changes` items and attachments (Messenger, Instagram), `getUpdates`
/// results (Telegram). A real 1,000-message WhatsApp body counts about 3,000 (entry,
/// change, message and contact per message at worst), so the default leaves three
/// times that in reserve, while bounding what a body of tiny items (`{}`, three
/// bytes each) can cost: see BENCHMARKS.md, "Memory per body byte".
///
/// The JSON parser itself refuses nesting deeper than [`PARSER_MAX_DEPTH`], so at the
/// default the depth limit costs nothing; a stricter `max_depth` adds one pre-scan of
/// the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Deepest nesting of arrays and objects accepted.
    pub max_depth: usize,
    /// Most items accepted in one body ([`ChannelError::TooManyItems`] beyond).
    pub max_items: usize,
}

/// Nesting depth at which serde_json stops parsing (its built-in recursion limit).
pub const PARSER_MAX_DEPTH: usize = 128;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 1 << 20,
            max_depth: PARSER_MAX_DEPTH,
            max_items: 10_000,
        }
    }
}

impl Limits {
    /// Checks size, then — when `max_depth` is stricter than the parser's own limit —
    /// nesting depth with one pass over the bytes (brackets inside strings do not count).
    ///
    /// # Errors
    /// [`ChannelError::BodyTooLarge`] or [`ChannelError::TooDeep`].
    pub fn check(&self, body: &[u8]) -> Result<(), ChannelError> {
        if body.len() > self.max_body_bytes {
            return Err(ChannelError::BodyTooLarge {
                size: body.len(),
                limit: self.max_body_bytes,
            });
        }
        if self.max_depth >= PARSER_MAX_DEPTH {
            return Ok(());
        }
        if nests_deeper(body, self.max_depth) {
            return Err(ChannelError::TooDeep {
                limit: self.max_depth,
            });
        }
        Ok(())
    }
}

/// Whether `body` nests arrays and objects deeper than `limit`, in one pass over the
/// bytes (brackets inside strings do not count).
pub(crate) fn nests_deeper(body: &[u8], limit: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in body {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_and_depth() {
        let l = Limits {
            max_body_bytes: 100,
            max_depth: 3,
            ..Limits::default()
        };
        assert!(l.check(br#"{"a":[{"b":1}]}"#).is_ok());
        assert_eq!(
            l.check(br#"{"a":[{"b":[1]}]}"#),
            Err(ChannelError::TooDeep { limit: 3 })
        );
        assert!(l.check(br#"{"a":"[[[[[[\"[[["}"#).is_ok());
        assert!(matches!(
            l.check(&[b' '; 101]),
            Err(ChannelError::BodyTooLarge { size: 101, .. })
        ));
    }
}
