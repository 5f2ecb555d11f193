//! A d-ary min-heap whose entries are deleted lazily: each entry carries its slot's
//! stamp at the time it was pushed, and counts only while the slot still holds that
//! stamp (see the [module docs](super)).
//!
//! Why a heap rather than an ordered tree: the update path only pushes, and a pushed key
//! that is not better than its parent's stays at the tail, where the last pushes were —
//! in cache. A message arriving now has the latest `waiting_since`, so among the
//! smallest intercepts of its phase (the lowest priorities): a push climbs only past
//! the parents it beats, while a B-tree insertion walks to a random leaf of a million
//! keys.

use std::cmp::Ordering;

use super::paged::Paged;

/// Children per node. A push compares with parents only, so wider nodes make it
/// cheaper; a pop compares up to `D` children per level, and the timers' heap pops once
/// per re-key. Growth bench (updates only), three paired runs on a loaded machine, ns
/// per upsert at 1 k / 1 M: `D = 2` 161–164 / 819–892, `D = 4` 146–149 / 836–894,
/// `D = 8` 141–143 / 783–818. `pipeline_latency --leads 1000000` (updates, re-keys and
/// ticks), two paired runs: queue p99 17.2–17.4 µs and tick p99 36–37 µs with `D = 4`,
/// 20.4–23.0 and 45–47 µs with `D = 8`. The tail decides.
const D: usize = 4;

/// One pushed key: where it came from and the stamp that says whether it still counts.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry<K> {
    pub key: K,
    pub slot: u32,
    pub stamp: u32,
}

/// The heap: `first` is the least key (for [`Rank`](super::Rank), the best).
#[derive(Debug, Clone)]
pub(super) struct Heap<K> {
    items: Paged<Entry<K>>,
}

impl<K> Default for Heap<K> {
    fn default() -> Self {
        Heap {
            items: Paged::default(),
        }
    }
}

impl<K: Ord + Copy> Heap<K> {
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn get(&self, i: usize) -> Option<&Entry<K>> {
        self.items.get(i)
    }

    pub fn first(&self) -> Option<&Entry<K>> {
        self.items.get(0)
    }

    /// The positions of `i`'s children (for a best-first walk).
    pub fn children(&self, i: usize) -> std::ops::Range<usize> {
        let start = (D * i + 1).min(self.items.len());
        start..(start + D).min(self.items.len())
    }

    #[cfg(test)]
    pub fn iter(&self) -> impl Iterator<Item = &Entry<K>> {
        self.items.iter()
    }

    /// Readies the entries' next big block ahead of need (see `Paged::prepare`).
    pub fn prepare(&mut self) {
        self.items.prepare();
    }

    pub fn push(&mut self, entry: Entry<K>) {
        self.items.push(entry);
        self.sift_up(self.items.len() - 1);
    }

    pub fn pop_first(&mut self) -> Option<Entry<K>> {
        (!self.items.is_empty()).then(|| self.remove_at(0))
    }

    /// Removes the entry at `i` (the last one takes its place and moves up or down).
    pub fn remove_at(&mut self, i: usize) -> Entry<K> {
        let last = self.items.pop().expect("non-empty heap");
        if i == self.items.len() {
            return last;
        }
        let out = std::mem::replace(&mut self.items[i], last);
        if i > 0 && self.items[i].key < self.items[(i - 1) / D].key {
            self.sift_up(i);
        } else {
            self.sift_down(i);
        }
        out
    }

    /// Examines up to `budget` entries from position `*pos` on, removing those for which
    /// `stale` holds; returns how many it removed and advances `*pos` past the others.
    /// The entry moved into a removed one's place is examined next.
    pub fn sweep(
        &mut self,
        pos: &mut usize,
        budget: &mut usize,
        stale: impl Fn(&Entry<K>) -> bool,
    ) -> usize {
        let mut removed = 0;
        while *budget > 0 && *pos < self.items.len() {
            *budget -= 1;
            if stale(&self.items[*pos]) {
                self.remove_at(*pos);
                removed += 1;
            } else {
                *pos += 1;
            }
        }
        removed
    }

    fn sift_up(&mut self, mut i: usize) {
        let e = self.items[i];
        while i > 0 {
            let parent = (i - 1) / D;
            if e.key.cmp(&self.items[parent].key) != Ordering::Less {
                break;
            }
            self.items[i] = self.items[parent];
            i = parent;
        }
        self.items[i] = e;
    }

    fn sift_down(&mut self, mut i: usize) {
        let e = self.items[i];
        let n = self.items.len();
        loop {
            let first = D * i + 1;
            if first >= n {
                break;
            }
            let mut best = first;
            for c in first + 1..(first + D).min(n) {
                if self.items[c].key < self.items[best].key {
                    best = c;
                }
            }
            if self.items[best].key >= e.key {
                break;
            }
            self.items[i] = self.items[best];
            i = best;
        }
        self.items[i] = e;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(key: i32) -> Entry<i32> {
        Entry {
            key,
            slot: 0,
            stamp: 0,
        }
    }

    proptest! {
        #[test]
        fn pops_in_order_after_pushes_and_removals(
            keys in proptest::collection::vec(-50i32..50, 0..200),
            removals in proptest::collection::vec(0usize..1000, 0..50),
        ) {
            let mut h = Heap::default();
            let mut model = Vec::new();
            for k in keys {
                h.push(entry(k));
                model.push(k);
            }
            for r in removals {
                if h.len() == 0 {
                    break;
                }
                let k = h.remove_at(r % h.len()).key;
                let at = model.iter().position(|m| *m == k).unwrap();
                model.swap_remove(at);
            }
            model.sort_unstable();
            let popped: Vec<i32> = std::iter::from_fn(|| h.pop_first().map(|e| e.key)).collect();
            prop_assert_eq!(popped, model);
        }

        #[test]
        fn sweep_removes_exactly_the_stale(keys in proptest::collection::vec(-50i32..50, 0..200), budget in 1usize..50) {
            let mut h = Heap::default();
            for k in &keys {
                h.push(entry(*k));
            }
            // A removal's replacement can move above the cursor, out of this pass's
            // reach, so passes repeat until one removes nothing.
            let mut removed = 0;
            loop {
                let (mut pos, mut in_pass) = (0, 0);
                while pos < h.len() {
                    let mut b = budget;
                    in_pass += h.sweep(&mut pos, &mut b, |e| e.key % 3 == 0);
                }
                removed += in_pass;
                if in_pass == 0 {
                    break;
                }
            }
            prop_assert_eq!(removed, keys.iter().filter(|k| *k % 3 == 0).count());
            let mut rest: Vec<i32> = keys.into_iter().filter(|k| k % 3 != 0).collect();
            rest.sort_unstable();
            let popped: Vec<i32> = std::iter::from_fn(|| h.pop_first().map(|e| e.key)).collect();
            prop_assert_eq!(popped, rest);
        }
    }
}
