//! A codebook's short options in a table of hashed slots, keyed on a text value's
//! [`Wide`] word: one slot probed per row, whatever the number of options.

/// A value of up to 16 bytes as one 16-byte little-endian word: its bytes, zero past
/// its length, and for a value shorter than 16 bytes its length tagged into the last
/// byte (`0xF0 | len`, a byte that never ends UTF-8 text, so a 16-byte value can only
/// share a word with a shorter one if it is not UTF-8, and such rows are null).
/// Equal words mean equal values, compared in one 16-byte test. Read from a text
/// buffer with one unaligned 16-byte load where 16 bytes remain, so a row costs a
/// load and a mask whatever its length.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Wide {
    lo: u64,
    hi: u64,
}

impl Wide {
    /// Longest value a word holds whole.
    pub(super) const EXACT_UP_TO: usize = 16;

    /// A word no UTF-8 value has (all bytes 0xFF, the length-0 tag): for values too
    /// long for a word and for empty slots.
    const NONE: Wide = Wide {
        lo: u64::MAX,
        hi: 0xF0 << 56,
    };

    /// The word of `b` (at most [`Wide::EXACT_UP_TO`] bytes); a longer value gets a
    /// word that equals no UTF-8 row's.
    pub(super) fn of(b: &[u8]) -> Self {
        if b.len() > Self::EXACT_UP_TO {
            return Self::NONE;
        }
        let mut w = [0u8; 16];
        w[..b.len()].copy_from_slice(b);
        Self::at(&w, b.len()).0
    }

    /// The word of the first `len` (at most 16) of `chunk`'s bytes, and whether those
    /// bytes are all ASCII.
    #[inline(always)]
    pub(super) fn at(chunk: &[u8; 16], len: usize) -> (Self, bool) {
        let (lo, hi) = chunk.split_at(8);
        let word = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or([0; 8]));
        // Loads of masks and tag rather than shifts and selects per half; the index
        // masked rather than checked (a length past 16 is never passed).
        let [mask_lo, mask_hi, tag] = MASKS[len % MASKS.len()];
        let (lo, hi) = (word(lo) & mask_lo, word(hi) & mask_hi);
        let ascii = (lo | hi) & 0x8080_8080_8080_8080 == 0;
        (Wide { lo, hi: hi | tag }, ascii)
    }

    /// Equality as one test of or-ed differences: no branch per half.
    #[inline(always)]
    pub(super) fn same(&self, other: &Wide) -> bool {
        ((self.lo ^ other.lo) | (self.hi ^ other.hi)) == 0
    }

    /// The slot of this word in a table hashed with `multiplier`: the top 8 bits of
    /// the product. `XOR`: the product of the halves' xor (one multiply, the cheap
    /// hash tried first); otherwise the sum of each half times a multiplier (both from
    /// `multiplier`), which parts words whose halves' xors are equal.
    #[inline(always)]
    fn slot<const XOR: bool>(&self, multiplier: u64) -> usize {
        let hash = if XOR {
            (self.lo ^ self.hi).wrapping_mul(multiplier)
        } else {
            (self.lo.wrapping_mul(multiplier))
                .wrapping_add(self.hi.wrapping_mul(multiplier.rotate_left(32) | 1))
        };
        usize::from(hash.to_be_bytes()[0])
    }
}

/// For each length up to 16: the masks that keep a value's bytes in the low and the
/// high half of a 16-byte load, and the length's tag in the high half (zeros past 16,
/// up to a power of two).
const MASKS: [[u64; 3]; 32] = {
    let mut masks = [[0; 3]; 32];
    let mut len = 0;
    while len <= 16 {
        let lo_bytes = if len < 8 { len } else { 8 };
        masks[len][0] = if lo_bytes == 8 {
            u64::MAX
        } else {
            (1 << (8 * lo_bytes)) - 1
        };
        masks[len][1] = match len {
            0..=8 => 0,
            16 => u64::MAX,
            _ => (1 << (8 * (len - 8))) - 1,
        };
        masks[len][2] = if len < 16 {
            (0xF0 | len as u64) << 56
        } else {
            0
        };
        len += 1;
    }
    masks
};

/// Options (and the empty value) in 256 slots hashed without collisions among them:
/// a row reads the one slot its word hashes to and takes that slot's code when the
/// words are equal, the miss code otherwise. No loop over options, no branch on which
/// option a row holds.
pub(super) struct OptionSlots {
    /// The hash's multiplier, picked so that no two keys share a slot.
    multiplier: u64,
    /// Whether the hash is the cheap one ([`Wide::slot`]).
    xor: bool,
    /// Each slot's key ([`Wide::NONE`] where empty): the low halves in the first 256
    /// entries, the high halves in the next (a slot's halves at one scaled index).
    keys: Box<[u64; 2 * 256]>,
    /// Each slot's code (the miss code where empty).
    codes: Box<[u8; 256]>,
    /// The code of a row whose slot holds another word.
    miss: u8,
}

impl OptionSlots {
    /// Most keys a table is built for: past it, a multiplier without collisions is
    /// rarely found among the tries, and the caller compares options one by one.
    pub(super) const MAX_KEYS: usize = 48;

    /// Multipliers tried (for each hash) before giving up.
    const TRIES: u64 = 256;

    /// A table of `keys` (value and code; values of at most 16 bytes, none twice)
    /// where every other value gets `miss`; `None` with more than
    /// [`OptionSlots::MAX_KEYS`] keys or when no multiplier tried separates them with
    /// either hash (the cheap one first).
    pub(super) fn new(keys: &[(&[u8], u8)], miss: u8) -> Option<Self> {
        if keys.len() > Self::MAX_KEYS || keys.iter().any(|(k, _)| k.len() > Wide::EXACT_UP_TO) {
            return None;
        }
        let words: Vec<(Wide, u8)> = keys.iter().map(|(k, c)| (Wide::of(k), *c)).collect();
        let build = |xor: bool, multiplier: u64| {
            let mut keys = Box::new([Wide::NONE; 256]);
            let mut codes = Box::new([miss; 256]);
            for (w, code) in &words {
                let slot = if xor {
                    w.slot::<true>(multiplier)
                } else {
                    w.slot::<false>(multiplier)
                };
                if keys[slot] != Wide::NONE {
                    return None;
                }
                keys[slot] = *w;
                codes[slot] = *code;
            }
            let mut halves = Box::new([0; 2 * 256]);
            for (s, k) in keys.iter().enumerate() {
                halves[s] = k.lo;
                halves[256 + s] = k.hi;
            }
            Some(OptionSlots {
                multiplier,
                xor,
                keys: halves,
                codes,
                miss,
            })
        };
        [true, false].into_iter().find_map(|xor| {
            (0..Self::TRIES)
                .map(odd_multiplier)
                .find_map(|multiplier| build(xor, multiplier))
        })
    }

    /// Whether rows are probed with the cheap hash: `Probe::index::<true>`.
    pub(super) fn xor(&self) -> bool {
        self.xor
    }

    /// Slots in a table.
    pub(super) const SLOTS: usize = 256;

    /// Entries of a table read at [`Probe::index`]: one per code, then one per slot.
    pub(super) const INDEXES: usize = 2 * Self::SLOTS;

    /// A table read at [`Probe::index`] (and at any code): entry `c < SLOTS` is
    /// `by_code[c]`, entry `SLOTS + s` is `by_code` of slot `s`'s code.
    pub(super) fn by_index<T: Copy>(&self, by_code: &[T; 256]) -> Box<[T; Self::INDEXES]> {
        let mut table = Box::new([by_code[0]; Self::INDEXES]);
        let (codes, slots) = table.split_at_mut(Self::SLOTS);
        codes.copy_from_slice(by_code);
        for (t, c) in slots.iter_mut().zip(self.codes.iter()) {
            *t = by_code[usize::from(*c)];
        }
        table
    }

    /// The table as plain values, to copy into a row loop's registers (read through
    /// `&self`, the fields would be reloaded after every store of a code).
    #[inline(always)]
    pub(super) fn probe(&self) -> Probe<'_> {
        Probe {
            keys: &self.keys,
            #[cfg(test)]
            codes: &self.codes,
            multiplier: self.multiplier,
            #[cfg(test)]
            xor: self.xor,
            miss: self.miss,
        }
    }
}

/// [`OptionSlots`] borrowed for a loop over rows.
#[derive(Clone, Copy)]
pub(super) struct Probe<'s> {
    keys: &'s [u64; 2 * 256],
    #[cfg(test)]
    codes: &'s [u8; 256],
    multiplier: u64,
    #[cfg(test)]
    xor: bool,
    miss: u8,
}

impl Probe<'_> {
    /// Where the code of the value whose word is `w` lies in a table of
    /// [`OptionSlots::INDEXES`] entries laid out as [`OptionSlots::by_index`] lays
    /// them: `SLOTS + slot` when its slot holds `w`, the miss code otherwise, picked
    /// without a branch (whether a row holds an option is data, and a branch on it
    /// mispredicts). `XOR`: [`OptionSlots::xor`].
    #[inline(always)]
    pub(super) fn index<const XOR: bool>(self, w: &Wide) -> usize {
        let slot = w.slot::<XOR>(self.multiplier);
        let differ = (self.keys[slot] ^ w.lo) | (self.keys[256 + slot] ^ w.hi);
        std::hint::select_unpredictable(
            differ == 0,
            OptionSlots::SLOTS + slot,
            usize::from(self.miss),
        )
    }

    /// The code of the value whose word is `w`: its slot's when the slot holds `w`,
    /// the miss code otherwise.
    #[cfg(test)]
    pub(super) fn code(self, w: &Wide) -> u8 {
        let index = if self.xor {
            self.index::<true>(w)
        } else {
            self.index::<false>(w)
        };
        match index.checked_sub(OptionSlots::SLOTS) {
            Some(slot) => self.codes[slot],
            None => self.miss,
        }
    }
}

/// The `i`-th multiplier tried: odd, with bits spread over the whole word (SplitMix64's
/// finalizer of `i`).
fn odd_multiplier(i: u64) -> u64 {
    let mut z = i.wrapping_add(1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (z ^ (z >> 31)) | 1
}

#[cfg(test)]
mod tests {
    use super::{OptionSlots, Wide, MASKS};

    #[test]
    fn masks_keep_the_first_len_bytes() {
        for (len, [lo, hi, tag]) in MASKS.iter().enumerate().take(17) {
            assert_eq!(hi & tag, 0, "{len}");
            assert_eq!(*tag == 0, len == 16, "{len}");
            let bytes: Vec<u8> = lo
                .to_le_bytes()
                .into_iter()
                .chain(hi.to_le_bytes())
                .collect();
            let want: Vec<u8> = (0..16).map(|i| if i < len { 0xff } else { 0 }).collect();
            assert_eq!(bytes, want, "{len}");
        }
    }

    proptest::proptest! {
        /// A value's code is its key's, or the miss code for any other value.
        #[test]
        fn slots_give_each_key_its_code(
            keys in proptest::collection::btree_set("[ab\u{e9}]{0,7}", 0..40),
            probes in proptest::collection::vec("[ab\u{e9}]{0,7}", 0..40),
        ) {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            let coded: Vec<(&[u8], u8)> =
                keys.iter().enumerate().map(|(i, k)| (k.as_bytes(), i as u8 + 2)).collect();
            let Some(slots) = OptionSlots::new(&coded, 1) else {
                return Ok(()); // no multiplier found: the caller compares one by one
            };
            for p in keys.iter().copied().chain(probes.iter().map(String::as_str)) {
                let want = keys.iter().position(|k| *k == p).map_or(1, |i| i as u8 + 2);
                proptest::prop_assert_eq!(slots.probe().code(&Wide::of(p.as_bytes())), want, "{:?}", p);
            }
        }
    }

    #[test]
    fn options_the_cheap_hash_cannot_part_take_the_other() {
        // The halves of one are the other's swapped: their xors, and so their cheap
        // hashes, are equal whatever the multiplier.
        let keys: [(&[u8], u8); 3] = [(b"", 0), (b"aaaaaaaabbbbbbbb", 2), (b"bbbbbbbbaaaaaaaa", 3)];
        let slots = OptionSlots::new(&keys, 1).expect("the second hash parts them");
        assert!(!slots.xor());
        assert_eq!(slots.probe().code(&Wide::of(b"aaaaaaaabbbbbbbb")), 2);
        assert_eq!(slots.probe().code(&Wide::of(b"bbbbbbbbaaaaaaaa")), 3);
        assert_eq!(slots.probe().code(&Wide::of(b"aaaaaaaaaaaaaaaa")), 1);
        assert_eq!(slots.probe().code(&Wide::of(b"")), 0);
        // Options whose xors differ take the cheap hash.
        let keys: [(&[u8], u8); 2] = [(b"", 0), (b"CO", 2)];
        assert!(OptionSlots::new(&keys, 1).expect("two keys fit").xor());
    }

    #[test]
    fn a_few_options_always_get_slots() {
        let keys: [(&[u8], u8); 5] = [(b"", 0), (b"CO", 2), (b"MX", 3), (b"AR", 4), (b"BR", 5)];
        let slots = OptionSlots::new(&keys, 1).expect("five keys fit");
        assert_eq!(slots.probe().code(&Wide::of(b"BR")), 5);
        assert_eq!(slots.probe().code(&Wide::of(b"")), 0);
        assert_eq!(slots.probe().code(&Wide::of(b"PE")), 1);
        assert_eq!(slots.probe().code(&Wide::of(b"BRA")), 1);
    }
}
