//! A vector kept in fixed pages (64 KiB, then 2 MiB), so that growing never moves what
//! it holds.
//!
//! Why: a `Vec` that doubles copies everything it holds into fresh memory in the call
//! that crosses the boundary. For the queue's heaps that call was an upsert: with
//! 100,000 open leads the pipeline's slowest queue update took 1.4–1.6 ms of CPU, with
//! a million 3–43 ms (`pipeline_latency`, thread CPU time max), against 0.2–0.5 ms for
//! the B-trees, whose nodes are allocated one at a time. Here a push past the last page
//! allocates one page; an index costs a shift, a mask and one more (cached) load.
//!
//! The first 2 MiB are held in 64 KiB pages; past that, pages are 2 MiB blocks advised
//! for transparent huge pages (`huge.rs`): a queue of a million conversations reads
//! its slots at random, and with 4 KiB pages each read paid a TLB miss. A queue that
//! never holds 2 MiB of something never allocates a 2 MiB block for it.

use std::ops::{Index, IndexMut};

use super::huge::{Block, HUGE_PAGE};

const PAGE_BYTES: usize = 64 * 1024;

/// Small pages before the first big one: 2 MiB in all.
const SMALL_PAGES: usize = HUGE_PAGE / PAGE_BYTES;

#[derive(Debug, Clone)]
pub(super) struct Paged<T> {
    /// Up to [`SMALL_PAGES`] pages of [`Paged::PER_PAGE`] items.
    small: Vec<Vec<T>>,
    /// Then blocks of [`Paged::PER_BLOCK`] items.
    big: Vec<Block<T>>,
    /// The next big block, allocated and faulted in ahead by [`Paged::prepare`].
    spare: Option<Block<T>>,
    len: usize,
}

impl<T> Default for Paged<T> {
    fn default() -> Self {
        Paged {
            small: Vec::new(),
            big: Vec::new(),
            spare: None,
            len: 0,
        }
    }
}

impl<T> Paged<T> {
    /// `log2` of the items per small page: a power of two near `PAGE_BYTES` in all.
    const SHIFT: u32 = {
        let per = PAGE_BYTES / std::mem::size_of::<T>();
        if per <= 1 {
            0
        } else {
            per.ilog2()
        }
    };
    const MASK: usize = (1 << Self::SHIFT) - 1;
    const PER_PAGE: usize = 1 << Self::SHIFT;
    /// Items held in small pages.
    const SMALL_LEN: usize = SMALL_PAGES * Self::PER_PAGE;
    /// Items per big block: as many as fit in one huge page (a division by this
    /// constant is a multiplication).
    const PER_BLOCK: usize = {
        let per = HUGE_PAGE / std::mem::size_of::<T>();
        if per == 0 {
            1
        } else {
            per
        }
    };

    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    pub fn get(&self, i: usize) -> Option<&T> {
        (i < self.len).then(|| &self[i])
    }

    #[inline]
    pub fn push(&mut self, item: T) {
        let i = self.len;
        if i < Self::SMALL_LEN {
            let page = i >> Self::SHIFT;
            if page == self.small.len() {
                self.small.push(Vec::with_capacity(Self::PER_PAGE));
            }
            self.small[page].push(item);
        } else {
            let block = (i - Self::SMALL_LEN) / Self::PER_BLOCK;
            if block == self.big.len() {
                let next = self.spare.take();
                self.big
                    .push(next.unwrap_or_else(|| Block::with_capacity(Self::PER_BLOCK)));
            }
            self.big[block].push(item);
        }
        self.len += 1;
    }

    /// Readies the next big block when fewer than a quarter block's items of room are
    /// left: allocated and faulted in here ([`Block::fault_in`]), so the push that needs
    /// it does not pay the kernel's zeroing of a fresh huge page. The queue calls it
    /// from its `tick`, the host's maintenance call.
    pub fn prepare(&mut self) {
        let soon = self.len + Self::PER_BLOCK / 4;
        if self.spare.is_some() || soon < Self::SMALL_LEN {
            return;
        }
        if (soon - Self::SMALL_LEN) / Self::PER_BLOCK >= self.big.len() {
            let mut next = Block::with_capacity(Self::PER_BLOCK);
            next.fault_in();
            self.spare = Some(next);
        }
    }

    /// Removes the last item. Its page, if left empty, is kept for the next push.
    #[inline]
    pub fn pop(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        let i = self.len;
        if i < Self::SMALL_LEN {
            self.small[i >> Self::SHIFT].pop()
        } else {
            self.big[(i - Self::SMALL_LEN) / Self::PER_BLOCK].pop()
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> {
        let big = self.big.iter().flat_map(|b| b.iter());
        self.small.iter().flatten().chain(big)
    }
}

impl<T> Index<usize> for Paged<T> {
    type Output = T;

    #[inline]
    fn index(&self, i: usize) -> &T {
        if i < Self::SMALL_LEN {
            &self.small[i >> Self::SHIFT][i & Self::MASK]
        } else {
            let j = i - Self::SMALL_LEN;
            &self.big[j / Self::PER_BLOCK][j % Self::PER_BLOCK]
        }
    }
}

impl<T> IndexMut<usize> for Paged<T> {
    #[inline]
    fn index_mut(&mut self, i: usize) -> &mut T {
        if i < Self::SMALL_LEN {
            &mut self.small[i >> Self::SHIFT][i & Self::MASK]
        } else {
            let j = i - Self::SMALL_LEN;
            &mut self.big[j / Self::PER_BLOCK][j % Self::PER_BLOCK]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_a_vec_across_pages() {
        let mut p = Paged::default();
        let mut v = Vec::new();
        let per = Paged::<u64>::MASK + 1;
        assert_eq!(per, 8192);
        for i in 0..3 * per as u64 + 5 {
            p.push(i);
            v.push(i);
        }
        for _ in 0..per + 3 {
            assert_eq!(p.pop(), v.pop());
        }
        p.push(7);
        v.push(7);
        p[per - 1] = 1;
        v[per - 1] = 1;
        assert_eq!(p.len(), v.len());
        assert!(p.iter().eq(v.iter()));
        assert_eq!(p.get(v.len()), None);
        assert_eq!(p.get(per), Some(&v[per]));
    }

    /// Past the small pages into two big blocks and back, with items of an odd size
    /// (a block holds a number of them that is not a power of two).
    #[test]
    fn crosses_into_huge_blocks_and_back() {
        type Item = [u8; 24];
        let item = |i: usize| {
            let mut a = [0u8; 24];
            a[..8].copy_from_slice(&(i as u64).to_le_bytes());
            a
        };
        let mut p = Paged::default();
        let small = Paged::<Item>::SMALL_LEN;
        let per = Paged::<Item>::PER_BLOCK;
        assert_eq!(per, HUGE_PAGE / 24);
        let n = small + per + 10;
        for i in 0..n {
            p.push(item(i));
        }
        assert_eq!(p.big.len(), 2);
        assert!(p.big.iter().all(|b| b.is_huge()));
        assert!((0..n).all(|i| p[i] == item(i)));
        assert!(p.iter().copied().eq((0..n).map(item)));
        p[small + per] = item(1);
        assert_eq!(p.get(small + per), Some(&item(1)));
        for i in (small - 3..n).rev() {
            let expected = if i == small + per { item(1) } else { item(i) };
            assert_eq!(p.pop(), Some(expected));
        }
        assert_eq!(p.len(), small - 3);
        p.push(item(5));
        assert_eq!(p[small - 3], item(5));
        assert_eq!(p.get(small - 2), None);
    }

    /// `prepare` readies a block only when the next one is near, and the push that
    /// crosses into it takes that block rather than allocating.
    #[test]
    fn the_prepared_block_is_the_one_used() {
        let mut p: Paged<u64> = Paged::default();
        let (small, per) = (Paged::<u64>::SMALL_LEN, Paged::<u64>::PER_BLOCK);
        for i in 0..small as u64 - per as u64 / 2 {
            p.push(i);
        }
        p.prepare();
        assert!(
            p.spare.is_none(),
            "half a block of room left: nothing to do yet"
        );
        while p.len() < small - 10 {
            p.push(1);
        }
        p.prepare();
        let ready = p
            .spare
            .as_ref()
            .map(|b| b.as_ptr())
            .expect("a block readied");
        for _ in 0..20 {
            p.push(2);
        }
        assert!(p.spare.is_none());
        assert_eq!(p.big.len(), 1);
        assert_eq!(p.big[0].as_ptr(), ready);
        assert_eq!(p[small + 5], 2);
        p.prepare();
        assert!(p.spare.is_none(), "the new block has room for a while");
    }
}
