//! A vector kept in fixed pages of about 64 KiB, so that growing never moves what it
//! holds.
//!
//! Why: a `Vec` that doubles copies everything it holds into fresh memory in the call
//! that crosses the boundary. For the queue's heaps that call was an upsert: with
//! 100,000 open leads the pipeline's slowest queue update took 1.4–1.6 ms of CPU, with
//! a million 3–43 ms (`pipeline_latency`, thread CPU time max), against 0.2–0.5 ms for
//! the B-trees, whose nodes are allocated one at a time. Here a push past the last page
//! allocates one page; an index costs a shift, a mask and one more (cached) load.

use std::ops::{Index, IndexMut};

const PAGE_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone)]
pub(super) struct Paged<T> {
    pages: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Paged<T> {
    fn default() -> Self {
        Paged {
            pages: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Paged<T> {
    /// `log2` of the items per page: a power of two near `PAGE_BYTES` in all.
    const SHIFT: u32 = {
        let per = PAGE_BYTES / std::mem::size_of::<T>();
        if per <= 1 {
            0
        } else {
            per.ilog2()
        }
    };
    const MASK: usize = (1 << Self::SHIFT) - 1;

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        (i < self.len).then(|| &self.pages[i >> Self::SHIFT][i & Self::MASK])
    }

    pub fn push(&mut self, item: T) {
        let page = self.len >> Self::SHIFT;
        if page == self.pages.len() {
            self.pages.push(Vec::with_capacity(Self::MASK + 1));
        }
        self.pages[page].push(item);
        self.len += 1;
    }

    /// Removes the last item. Its page, if left empty, is kept for the next push.
    pub fn pop(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        self.pages[self.len >> Self::SHIFT].pop()
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.pages.iter().flatten()
    }
}

impl<T> Index<usize> for Paged<T> {
    type Output = T;

    fn index(&self, i: usize) -> &T {
        &self.pages[i >> Self::SHIFT][i & Self::MASK]
    }
}

impl<T> IndexMut<usize> for Paged<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        &mut self.pages[i >> Self::SHIFT][i & Self::MASK]
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
}
