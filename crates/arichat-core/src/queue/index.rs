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
//! collide.
//!
//! **Growing never stops the world** (issue 20 point 3): doubling a table of a million
//! conversations in one call (allocate and zero 32 MiB, re-insert two million cells) took
//! one `upsert` 5.6 ms. Instead, when the table reaches 3/4 the doubled table is zeroed
//! [`ZERO_PER_INSERT`] cells per insert (inserts still go to the full table meanwhile,
//! a little past 3/4), then becomes the table and the old one is walked in order,
//! [`MOVE_PER_INSERT`] positions per insert, each live cell re-inserted (no id is
//! re-hashed or read). Until the walk ends a lookup that misses in the new table looks in
//! the old one, and a removal also marks the id's old cell [`GONE`] (a tombstone: it
//! keeps the old table's probe runs whole and is never moved). A walk of `n` positions
//! takes `n / 8` inserts; the next doubling needs `n / 2` more ids, so walks never
//! overlap (and if one ever would, it is finished first). The queue's `tick` calls
//! [`Index::prepare`], which does the zeroing ahead (from 5/8 full, 2 MiB a call), so
//! that the page faults of a fresh table land there and not in an insert.

use std::hash::{BuildHasher, RandomState};

use super::huge::Block;

/// A cell: `hash << 32 | (slot + 1)`; 0 is empty.
type Cell = u64;

/// A removed cell of the table being emptied into its successor. Never a live cell: it
/// would name slot `u32::MAX - 1`, and a queue has fewer than 2³² − 2 slots.
const GONE: Cell = u64::MAX;

/// Cells of the next table zeroed per insert while it is prepared: 64 KiB, a few
/// microseconds (plus, every 32 calls, the kernel's zeroing of a fresh 2 MiB huge page).
pub(super) const ZERO_PER_INSERT: usize = 8 * 1024;

/// Positions of the old table walked per insert once the new one is in use.
pub(super) const MOVE_PER_INSERT: usize = 8;

#[derive(Debug, Clone)]
pub(super) struct Index {
    /// The table lookups read and inserts write: a power of two long; from 2 MiB (a
    /// quarter million cells) aligned and advised for huge pages (`huge.rs`): at a
    /// million conversations every probe is a random read of 16 MiB.
    cells: Block<Cell>,
    /// The doubled table while it is being zeroed (`len < capacity`), else empty.
    next: Block<Cell>,
    /// The previous table while its cells move into `cells`, else empty.
    old: Block<Cell>,
    /// Positions of `old` already walked.
    moved: usize,
    len: usize,
    hasher: RandomState,
    /// Cells zeroed or positions walked per insert (the constants above; tests slow it).
    pace: (usize, usize),
    /// Cells zeroed, walked or re-inserted by growth so far (tests bound it per call).
    #[cfg(test)]
    work: usize,
}

impl Default for Index {
    fn default() -> Self {
        Index::with_pace(ZERO_PER_INSERT, MOVE_PER_INSERT)
    }
}

impl Index {
    fn with_pace(zero: usize, walk: usize) -> Self {
        Index {
            cells: Block::default(),
            next: Block::default(),
            old: Block::default(),
            moved: 0,
            len: 0,
            hasher: RandomState::new(),
            pace: (zero.max(1), walk.max(1)),
            #[cfg(test)]
            work: 0,
        }
    }

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
            std::hint::black_box(self.cells[home(self.cells.len(), hash)]);
        }
    }

    /// The slot of the id hashed to `hash` for which `is_it(slot)` holds.
    pub fn find(&self, hash: u32, is_it: impl Fn(u32) -> bool) -> Option<u32> {
        let hit = |c: Cell| c != GONE && (c >> 32) as u32 == hash && is_it(slot_of(c));
        probe(&self.cells, hash, hit).or_else(|| probe(&self.old, hash, hit))
    }

    /// Adds `slot` under `hash` (the caller knows its id is not in the table), and does
    /// this call's share of any growth.
    pub fn insert(&mut self, hash: u32, slot: u32) {
        debug_assert!(slot < u32::MAX - 1, "slot number out of range");
        self.grow_a_little();
        put(&mut self.cells, cell(hash, slot));
        self.len += 1;
    }

    /// Removes `slot`, held under `hash` (compares slot numbers, not ids).
    pub fn remove(&mut self, hash: u32, slot: u32) {
        let target = cell(hash, slot);
        let in_cells = shift_out(&mut self.cells, target);
        // A cell walked out of `old` is still there, and a lookup that misses in `cells`
        // must not find it: mark it gone.
        let in_old = mark_gone(&mut self.old, target);
        assert!(
            in_cells || in_old,
            "removing a slot the index does not hold"
        );
        self.len -= 1;
    }

    /// Growth work ahead of the inserts, for a host's maintenance call (the queue's
    /// `tick`): starts a doubling from 5/8 full instead of 3/4, zeroes up to 32 paces
    /// of the next table (2 MiB, one huge page) and walks up to 512 paces of the old.
    /// Inserts then find the next table zeroed and pay no page faults for it.
    pub fn prepare(&mut self) {
        let growing = !self.old.is_empty() || self.next.capacity() > 0;
        if !growing && !self.cells.is_empty() && self.len * 8 >= self.cells.len() * 5 {
            self.next = Block::with_capacity(self.cells.len() * 2);
        }
        self.zero(self.pace.0 * 32);
        self.walk(self.pace.1 * 512);
    }

    /// Starts, continues or finishes a doubling so that `cells` has room for one more.
    /// An insert zeroes the next table only once `cells` is 3/4 full (before that,
    /// [`prepare`](Self::prepare) may be doing it) and walks the old one every time.
    fn grow_a_little(&mut self) {
        if !self.old.is_empty() {
            self.walk(self.pace.1);
        } else if (self.len + 1) * 4 > self.cells.len() * 3 {
            if self.next.capacity() == 0 {
                self.next = Block::with_capacity((self.cells.len() * 2).max(16));
            }
            self.zero(self.pace.0);
        }
        // A growth that has not kept up (only a pace set very slow in tests) is
        // finished before the table passes 7/8.
        while (self.len + 1) * 8 > self.cells.len() * 7 {
            if self.old.is_empty() && self.next.capacity() == 0 {
                let size = (self.cells.len() * 2).max(16);
                self.next = Block::with_capacity(size);
            }
            self.zero(usize::MAX);
            self.walk(usize::MAX);
        }
    }

    /// Zeroes up to `n` more cells of `next`; when it is whole, it becomes the table.
    fn zero(&mut self, n: usize) {
        if self.next.capacity() == 0 {
            return;
        }
        let todo = n.min(self.next.capacity() - self.next.len());
        for _ in 0..todo {
            self.next.push(0);
        }
        self.count(todo);
        if self.next.len() == self.next.capacity() {
            self.old = std::mem::replace(&mut self.cells, std::mem::take(&mut self.next));
            self.moved = 0;
        }
    }

    /// Walks up to `n` more positions of `old`, re-inserting its live cells; frees it
    /// at the end.
    fn walk(&mut self, n: usize) {
        let end = self.old.len().min(self.moved.saturating_add(n));
        for i in self.moved..end {
            let c = self.old[i];
            if c != 0 && c != GONE {
                put(&mut self.cells, c);
            }
        }
        self.count(end - self.moved);
        self.moved = end;
        if self.moved == self.old.len() {
            self.old = Block::default();
            self.moved = 0;
        }
    }

    /// Ids the tables hold: the cells of `cells` and the live cells of `old` not yet
    /// walked. Equal to `len` unless a removed cell was left to be walked back in.
    #[cfg(test)]
    fn held(&self) -> usize {
        let live = |c: &&Cell| **c != 0 && **c != GONE;
        let walked_later = self.old.get(self.moved..).unwrap_or(&[]);
        self.cells.iter().filter(live).count() + walked_later.iter().filter(live).count()
    }

    #[cfg(test)]
    fn count(&mut self, n: usize) {
        self.work += n;
    }

    #[cfg(not(test))]
    fn count(&mut self, _: usize) {}
}

/// Where a lookup of `hash` starts in a table of `len` cells (a power of two): the high
/// bits of `hash · len`, uniform over the table.
fn home(len: usize, hash: u32) -> usize {
    ((u64::from(hash) * len as u64) >> 32) as usize
}

/// The slot of the first cell of `hash`'s run for which `hit` holds.
fn probe(cells: &[Cell], hash: u32, hit: impl Fn(Cell) -> bool) -> Option<u32> {
    if cells.is_empty() {
        return None;
    }
    let mask = cells.len() - 1;
    let mut i = home(cells.len(), hash);
    loop {
        let c = cells[i];
        if c == 0 {
            return None;
        }
        if hit(c) {
            return Some(slot_of(c));
        }
        i = (i + 1) & mask;
    }
}

/// Writes `c` into the first empty cell of its run.
fn put(cells: &mut [Cell], c: Cell) {
    let mask = cells.len() - 1;
    let mut i = home(cells.len(), (c >> 32) as u32);
    while cells[i] != 0 {
        i = (i + 1) & mask;
    }
    cells[i] = c;
}

/// The position of `target` in `cells`, if there.
fn position(cells: &[Cell], target: Cell) -> Option<usize> {
    if cells.is_empty() {
        return None;
    }
    let mask = cells.len() - 1;
    let mut i = home(cells.len(), (target >> 32) as u32);
    loop {
        match cells[i] {
            0 => return None,
            c if c == target => return Some(i),
            _ => i = (i + 1) & mask,
        }
    }
}

/// Marks `target` gone in a table being emptied; whether it was there.
fn mark_gone(cells: &mut [Cell], target: Cell) -> bool {
    position(cells, target).map(|i| cells[i] = GONE).is_some()
}

/// Removes `target` from a table without tombstones, shifting the rest of its run back
/// (later cells move into the hole unless that would put them before their home);
/// whether it was there.
fn shift_out(cells: &mut [Cell], target: Cell) -> bool {
    let Some(mut hole) = position(cells, target) else {
        return false;
    };
    let mask = cells.len() - 1;
    let mut i = hole;
    loop {
        i = (i + 1) & mask;
        let c = cells[i];
        if c == 0 {
            break;
        }
        let home = home(cells.len(), (c >> 32) as u32);
        // `c` may fill the hole when its home is not in (hole, i], cyclically.
        let stays = if hole <= i {
            hole < home && home <= i
        } else {
            hole < home || home <= i
        };
        if !stays {
            cells[hole] = c;
            hole = i;
        }
    }
    cells[hole] = 0;
    true
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
        /// Paces from one cell a call keep a growth going across many inserts,
        /// removals and `prepare`s, and make the 7/8 catch-up happen.
        #[test]
        fn behaves_like_a_map(ops in proptest::collection::vec((0u8..60, any::<bool>(), 0u8..8), 0..400), spread in 1u32..8, zero in 1usize..40, walk in 1usize..20) {
            let mut index = Index::with_pace(zero, walk);
            let mut model: HashMap<u8, u32> = HashMap::new();
            let mut ids: Vec<Option<u8>> = Vec::new();
            let h = |id: u8| u32::from(id) % spread * 0x2000_0000;
            for (id, insert, tick) in ops {
                if tick == 0 {
                    index.prepare();
                }
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
                prop_assert_eq!(index.held(), model.len());
            }
            for (id, slot) in model {
                prop_assert_eq!(index.find(h(id), |s| ids[s as usize] == Some(id)), Some(slot));
            }
        }
    }

    /// No insert pays for a whole doubling: filling to 300,000 ids (growths at 12, 24,
    /// … 393,216 ids), each insert zeroes or walks at most one pace's worth, and every id
    /// stays findable while its cell moves between tables.
    #[test]
    fn growth_is_paid_a_little_per_insert() {
        let mut index = Index::default();
        let hash = |i: u32| i.wrapping_mul(0x9E37_79B9);
        let mut most = 0;
        for i in 0..300_000u32 {
            let before = index.work;
            index.insert(hash(i), i);
            most = most.max(index.work - before);
            if i % 997 == 0 {
                for j in [0, i / 2, i] {
                    assert_eq!(index.find(hash(j), |s| s == j), Some(j));
                }
            }
        }
        // One pace, plus the few cells a tiny table zeroes and walks in the same call.
        assert!(
            most <= ZERO_PER_INSERT,
            "one insert did {most} cells of growth"
        );
        assert!(index.work > 600_000, "the tables were zeroed and walked");
        for i in (0..300_000u32).step_by(7) {
            index.remove(hash(i), i);
        }
        for i in 0..300_000u32 {
            let want = (i % 7 != 0).then_some(i);
            assert_eq!(index.find(hash(i), |s| s == i), want);
        }
    }
}
