//! FNV-1a (64 bit), the one stable hash of the crate: the intent lexicon's maps (keyed by
//! short words, where SipHash's setup dominates), the intent model's feature buckets and
//! corpus splits, and the campaign buckets ([`crate::campaign::bucket`]). Stable across
//! platforms and releases: the committed model, the splits and every customer's campaign
//! bucket depend on it.

use std::hash::Hasher;

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0100_0000_01b3;

/// An FNV-1a state.
#[derive(Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(OFFSET)
    }
}

impl Fnv {
    /// The state after `byte`.
    pub fn byte(self, byte: u8) -> Self {
        Fnv((self.0 ^ u64::from(byte)).wrapping_mul(PRIME))
    }

    /// The state after `bytes`.
    pub fn bytes(self, bytes: &[u8]) -> Self {
        bytes.iter().fold(self, |h, b| h.byte(*b))
    }

    /// The hash so far.
    pub fn value(self) -> u64 {
        self.0
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        *self = self.bytes(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(Fnv::default().value(), 0xcbf2_9ce4_8422_2325);
        assert_eq!(Fnv::default().bytes(b"a").value(), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(
            Fnv::default().bytes(b"foobar").value(),
            0x8594_4171_f739_67e8
        );
    }
}
