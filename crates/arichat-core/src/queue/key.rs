//! A copy of a short id's bytes kept inside its slot, so that finding a conversation
//! compares bytes fetched with the slot instead of following the id's `String` to a
//! third place in memory.
//!
//! Why: at a million open leads an update was three dependent cache misses — the index
//! cell, the slot, then the held id's heap bytes to confirm the match (a fifth of the
//! update's time in `memcmp` under `perf`). With the bytes inline the confirmation reads
//! the slot's own cache lines. The `String` is still held (the slot's
//! [`QueueEntry`](super::QueueEntry) is what `get` lends), so this costs 64 bytes per
//! lead. Ids longer than [`INLINE`] bytes are compared through the `String`, as before.

/// The longest id kept inline: a slot grows from 128 to 192 bytes (three cache lines)
/// to hold it and its length. The pipeline's WhatsApp ids
/// (`whatsapp:<phone_number_id>:<sender>`) are about 37 bytes.
pub(super) const INLINE: usize = 63;

/// The marker length of an id too long to keep inline.
const LONG: u8 = u8::MAX;

/// An id's bytes when it has at most [`INLINE`] of them.
#[derive(Debug, Clone)]
pub(super) struct InlineId {
    len: u8,
    bytes: [u8; INLINE],
}

impl InlineId {
    /// The inline copy of `id` (a marker alone when `id` is longer than [`INLINE`]).
    pub fn of(id: &str) -> Self {
        let mut bytes = [0; INLINE];
        match bytes.get_mut(..id.len()) {
            Some(head) => {
                head.copy_from_slice(id.as_bytes());
                InlineId {
                    len: id.len() as u8,
                    bytes,
                }
            }
            None => InlineId { len: LONG, bytes },
        }
    }

    /// Whether `id` equals the id this was made of, `held` (whose bytes are read only
    /// when it is too long to be inline).
    pub fn matches(&self, id: &str, held: &str) -> bool {
        if self.len == LONG {
            held == id
        } else {
            self.bytes.get(..usize::from(self.len)) == Some(id.as_bytes())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids_compare_inline_and_long_ones_through_the_held_id() {
        let short = "whatsapp:106540352242922:573000000001";
        let k = InlineId::of(short);
        // The held id is not read for a short one: a wrong `held` does not matter.
        assert!(k.matches(short, "unrelated"));
        assert!(!k.matches("whatsapp:106540352242922:573000000002", short));
        assert!(!k.matches("whatsapp:106540352242922:57300000000", short));
        assert!(!k.matches("whatsapp:106540352242922:5730000000011", short));
        assert!(!k.matches("", short));

        let edge = "x".repeat(INLINE);
        let k = InlineId::of(&edge);
        assert!(k.matches(&edge, "unrelated"));
        assert!(!k.matches(&"x".repeat(INLINE + 1), &edge));

        let long = "y".repeat(INLINE + 1);
        let k = InlineId::of(&long);
        assert!(k.matches(&long, &long));
        assert!(!k.matches(&long, "another"));
        assert!(!k.matches("y", &long));

        let empty = InlineId::of("");
        assert!(empty.matches("", "unrelated"));
        assert!(!empty.matches("a", ""));
    }
}
