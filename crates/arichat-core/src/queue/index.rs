//! From a conversation id to its slot: an open-addressing table of 8-byte cells, each a
//! 32-bit hash of the id and the slot number. The ids themselves live only in the slots.
//!
//! Why not `HashMap<ConversationId, u32>`: its keys are a second copy of every id (a
//! `String` header in the table, the bytes on the heap), and a hit reads the control
//! bytes, the bucket and the key's bytes — three places — before the slot, which the
//! update reads anyway. Here a hit reads one cell (a few neighbours at most, in the same
//! cache line) and then the slot, whose id confirms the match; a 32-bit hash that
//! matches a different id costs one more comparison, 1 in 4 billion per probed cell.
//! Linear probing at most 3/4 full: a hit probes about 2.5 cells, a miss about 8.5.
//!
//! The hash is the std's `RandomState` (SipHash, keyed per process): the ids come from
//! webhooks, and a fixed hash such as the crate's FNV would let a sender pick ids that
//! collide. Growing doubles the table and re-inserts every cell (no id is re-hashed or
//! read): `O(n)` once per doubling, like the `Vec`s of slots and heap entries.

use std::hash::{BuildHasher, RandomState};

use super::huge::Block;

/// A cell: `hash << 32 | (slot + 1)`; 0 is empty.
type Cell = u64;

#[derive(Debug, Clone, Default)]
pub(super) struct Index {
    /// A power of two long; from 2 MiB (a quarter million cells) aligned and advised
    /// for huge pages (`huge.rs`): at a million conversations every probe is a random
    /// read of 16 MiB.
    cells: Block<Cell>,
    len: usize,
    hasher: RandomState,
}

impl Index {
    /// The 32-bit hash the table keys `id` by.
    pub fn hash(&self, id: &str) -> u32 {
        let h = self.hasher.hash_one(id);
        (h >> 32) as u32 ^ h as u32
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// Loads the first cell a lookup of `hash` reads and drops it: issued early, the
    /// load runs while the caller does other work, and the lookup then finds the cell
    /// in cache.
    pub fn touch(&self, hash: u32) {
        if !self.cells.is_empty() {
            std::hint::black_box(self.cells[self.home(hash)]);
        }
    }

    /// The slot of the id hashed to `hash` for which `is_it(slot)` holds.
    pub fn find(&self, hash: u32, is_it: impl Fn(u32) -> bool) -> Option<u32> {
        if self.cells.is_empty() {
            return None;
        }
        let mask = self.cells.len() - 1;
        let mut i = self.home(hash);
        loop {
            let cell = self.cells[i];
            if cell == 0 {
                return None;
            }
            if (cell >> 32) as u32 == hash && is_it(slot_of(cell)) {
                return Some(slot_of(cell));
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds `slot` under `hash` (the caller knows its id is not in the table).
    pub fn insert(&mut self, hash: u32, slot: u32) {
        if (self.len + 1) * 4 > self.cells.len() * 3 {
            self.grow();
        }
        self.put(cell(hash, slot));
        self.len += 1;
    }

    /// Removes `slot`, held under `hash` (compares slot numbers, not ids).
    pub fn remove(&mut self, hash: u32, slot: u32) {
        let mask = self.cells.len() - 1;
        let target = cell(hash, slot);
        let mut hole = self.home(hash);
        while self.cells[hole] != target {
            assert!(
                self.cells[hole] != 0,
                "removing a slot the index does not hold"
            );
            hole = (hole + 1) & mask;
        }
        // Backward shift: later cells of the run move into the hole unless that would
        // put them before their home.
        let mut i = hole;
        loop {
            i = (i + 1) & mask;
            let c = self.cells[i];
            if c == 0 {
                break;
            }
            let home = self.home((c >> 32) as u32);
            // `c` may fill the hole when its home is not in (hole, i], cyclically.
            let stays = if hole <= i {
                hole < home && home <= i
            } else {
                hole < home || home <= i
            };
            if !stays {
                self.cells[hole] = c;
                hole = i;
            }
        }
        self.cells[hole] = 0;
        self.len -= 1;
    }

    fn home(&self, hash: u32) -> usize {
        // The high bits of `hash · len`: uniform over the table for a power-of-two length.
        ((u64::from(hash) * self.cells.len() as u64) >> 32) as usize
    }

    fn put(&mut self, c: Cell) {
        let mask = self.cells.len() - 1;
        let mut i = self.home((c >> 32) as u32);
        while self.cells[i] != 0 {
            i = (i + 1) & mask;
        }
        self.cells[i] = c;
    }

    fn grow(&mut self) {
        let size = (self.cells.len() * 2).max(16);
        let old = std::mem::replace(&mut self.cells, Block::filled(0, size));
        for &c in old.iter().filter(|&&c| c != 0) {
            self.put(c);
        }
    }
}

fn cell(hash: u32, slot: u32) -> Cell {
    u64::from(hash) << 32 | u64::from(slot + 1)
}

fn slot_of(cell: Cell) -> u32 {
    cell as u32 - 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    proptest! {
        /// Against a `HashMap`, with hashes forced into few values so that runs wrap
        /// and collide, removals shift cells back and 32-bit collisions need the ids.
        #[test]
        fn behaves_like_a_map(ops in proptest::collection::vec((0u8..60, any::<bool>()), 0..400), spread in 1u32..8) {
            let mut index = Index::default();
            let mut model: HashMap<u8, u32> = HashMap::new();
            let mut ids: Vec<Option<u8>> = Vec::new();
            let h = |id: u8| u32::from(id) % spread * 0x2000_0000;
            for (id, insert) in ops {
                let found = index.find(h(id), |s| ids[s as usize] == Some(id));
                prop_assert_eq!(found, model.get(&id).copied());
                match (insert, found) {
                    (true, None) => {
                        let slot = u32::try_from(ids.len()).unwrap();
                        ids.push(Some(id));
                        index.insert(h(id), slot);
                        model.insert(id, slot);
                    }
                    (false, Some(slot)) => {
                        index.remove(h(id), slot);
                        ids[slot as usize] = None;
                        model.remove(&id);
                    }
                    _ => {}
                }
                prop_assert_eq!(index.len(), model.len());
            }
            for (id, slot) in model {
                prop_assert_eq!(index.find(h(id), |s| ids[s as usize] == Some(id)), Some(slot));
            }
        }
    }
}
