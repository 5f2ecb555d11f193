//! A fixed-capacity buffer whose memory, once it is 2 MiB or more, is aligned to 2 MiB
//! and advised to Linux as wanting transparent huge pages.
//!
//! Why: with a million open conversations, an update reads an index cell and a slot at
//! random places of arrays of 16 and 128 MiB. With 4 KiB pages each read is a TLB miss
//! as well as a cache miss (a page walk before the load), and the walks are what made
//! 1 M cost 5–6× 1 k. Backed by 2 MiB pages, those arrays need 8 and 64 TLB entries,
//! which the second-level TLB holds. Hosts whose transparent-huge-page mode is
//! `madvise` (the common default, and this machine's) only give huge pages to ranges a
//! program asked for, so the queue asks: [`Block::with_capacity`] aligns a block of at
//! least [`HUGE_PAGE`] bytes to 2 MiB (a huge page must be aligned) and calls
//! `madvise(MADV_HUGEPAGE)` on it before anything is written, so that the first
//! writes fault whole huge pages in. Smaller blocks are ordinary allocations: a small
//! queue never pays 2 MiB. Elsewhere than Linux and Android the advice is a no-op.
//!
//! The advice is a hint: when the kernel has no THP, or memory is too fragmented, the
//! block simply stays on 4 KiB pages and everything works the same, slower. The cost
//! is that the first write into each 2 MiB zeroes it whole (tens to a couple of hundred
//! microseconds inside the call that writes it), once per 2 MiB of growth.
//!
//! `std`'s `Vec` cannot carry an alignment larger than its item's (its deallocation
//! uses the item's), hence this small owned buffer — the only `unsafe` of the queue.
// The raw allocation and the item reads and writes below; each block says why it holds.
#![allow(unsafe_code)]

use std::alloc::{self, Layout};
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

/// The size and alignment of an x86-64 / AArch64 (4 KiB granule) transparent huge page.
pub(super) const HUGE_PAGE: usize = 2 * 1024 * 1024;

/// A buffer of at most `cap` items, allocated once (it never grows, so it never moves).
pub(super) struct Block<T> {
    ptr: NonNull<T>,
    len: usize,
    cap: usize,
}

// SAFETY: a `Block<T>` owns its items as a `Vec<T>` does; the pointer is never shared
// outside `&self`/`&mut self` borrows.
unsafe impl<T: Send> Send for Block<T> {}
// SAFETY: as above: `&Block<T>` only hands out `&T`.
unsafe impl<T: Sync> Sync for Block<T> {}

impl<T> Block<T> {
    /// An empty block with room for `cap` items: aligned to [`HUGE_PAGE`], rounded up
    /// to whole huge pages and advised for huge pages when that is within one item of
    /// [`HUGE_PAGE`] bytes or more.
    ///
    /// # Panics
    /// When `T` is zero-sized, `cap` is 0 or the size overflows.
    pub fn with_capacity(cap: usize) -> Self {
        let layout = Self::layout(cap);
        // SAFETY: `layout` has a non-zero size (`layout` checks `T` and `cap`).
        let raw = unsafe { alloc::alloc(layout) };
        let Some(ptr) = NonNull::new(raw.cast::<T>()) else {
            alloc::handle_alloc_error(layout)
        };
        if layout.align() == HUGE_PAGE {
            advise_huge_pages(raw, layout.size());
        }
        Block { ptr, len: 0, cap }
    }

    /// The layout of a block of `cap` items (`cap > 0`).
    fn layout(cap: usize) -> Layout {
        assert!(std::mem::size_of::<T>() > 0, "a block of zero-sized items");
        assert!(cap > 0, "a block of no items");
        let bytes = std::mem::size_of::<T>()
            .checked_mul(cap)
            .expect("block size overflows");
        // Huge when within one item of a huge page or more (a page of `Paged` holds
        // as many items as fit in 2 MiB), and then whole huge pages long, so that no
        // other allocation shares the last one.
        if bytes + std::mem::size_of::<T>() > HUGE_PAGE {
            let whole = bytes.div_ceil(HUGE_PAGE) * HUGE_PAGE;
            Layout::from_size_align(whole, HUGE_PAGE).expect("block layout")
        } else {
            Layout::array::<T>(cap).expect("block layout")
        }
    }

    /// How many items it can hold.
    pub fn capacity(&self) -> usize {
        self.cap
    }

    /// Whether its memory was aligned to 2 MiB and advised for huge pages.
    #[cfg(test)]
    pub fn is_huge(&self) -> bool {
        self.cap > 0 && Self::layout(self.cap).align() == HUGE_PAGE
    }

    /// Writes a byte into every 4 KiB page of the room past the items, so that the
    /// kernel backs it now (a whole huge page at once when advised) rather than in the
    /// push that first lands there. On this project's VM a huge page's first write costs
    /// 2–7 ms and a 4 KiB page's 3–6 µs (`BENCHMARKS.md`, "Priority queue").
    pub fn fault_in(&mut self) {
        if self.cap == 0 {
            return;
        }
        const PAGE: usize = 4096;
        let bytes = Self::layout(self.cap).size();
        let from = (self.len * std::mem::size_of::<T>()).next_multiple_of(PAGE);
        let base = self.ptr.as_ptr().cast::<u8>();
        for offset in (from..bytes).step_by(PAGE) {
            // SAFETY: `offset < bytes`, inside the allocation, and past the initialized
            // items (`from` rounds their end up): the byte belongs to no item yet, and a
            // push writes its item over it without reading it.
            unsafe { base.add(offset).write_volatile(0) };
        }
    }

    /// Appends an item.
    ///
    /// # Panics
    /// When the block is full.
    #[inline]
    pub fn push(&mut self, item: T) {
        assert!(self.len < self.cap, "pushing into a full block");
        // SAFETY: `len < cap`: the place is inside the allocation, past the initialized
        // prefix, so nothing is overwritten without being dropped.
        unsafe { self.ptr.as_ptr().add(self.len).write(item) };
        self.len += 1;
    }

    /// Removes the last item.
    #[inline]
    pub fn pop(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        // SAFETY: the item at the old `len - 1` is initialized; shrinking `len` first
        // leaves it outside the initialized prefix, so it is moved out exactly once.
        Some(unsafe { self.ptr.as_ptr().add(self.len).read() })
    }
}

impl<T> Default for Block<T> {
    /// An empty block of no capacity, which allocates nothing.
    fn default() -> Self {
        Block {
            ptr: NonNull::dangling(),
            len: 0,
            cap: 0,
        }
    }
}

impl<T> Deref for Block<T> {
    type Target = [T];

    #[inline]
    fn deref(&self) -> &[T] {
        // SAFETY: the first `len` items are initialized and the allocation lives as
        // long as `self`.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl<T> DerefMut for Block<T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut [T] {
        // SAFETY: as in `deref`, and `&mut self` makes the borrow unique.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl<T> Drop for Block<T> {
    fn drop(&mut self) {
        let items: *mut [T] = &mut **self;
        // SAFETY: the items are initialized and dropped once, here.
        unsafe { std::ptr::drop_in_place(items) };
        if self.cap > 0 {
            // SAFETY: a block with room was allocated by `with_capacity` with this
            // layout (`layout(cap)` is a pure function of `T` and `cap`).
            unsafe { alloc::dealloc(self.ptr.as_ptr().cast(), Self::layout(self.cap)) };
        }
    }
}

impl<T: Clone> Clone for Block<T> {
    fn clone(&self) -> Self {
        if self.cap == 0 {
            return Block::default();
        }
        let mut b = Block::with_capacity(self.cap);
        for item in self.iter() {
            b.push(item.clone());
        }
        b
    }
}

impl<T: fmt::Debug> fmt::Debug for Block<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Asks the kernel to back `[ptr, ptr + bytes)` with transparent huge pages.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn advise_huge_pages(ptr: *mut u8, bytes: usize) {
    // SAFETY: the range is a live allocation of ours, 2 MiB-aligned (so page-aligned);
    // `MADV_HUGEPAGE` only sets a flag on the mapping and never changes its contents.
    // Its failure (a kernel without THP: EINVAL) is ignored: it is only a hint, and the
    // memory is usable either way.
    let _ = unsafe { libc::madvise(ptr.cast(), bytes, libc::MADV_HUGEPAGE) };
}

/// No transparent huge pages to ask for (macOS and iOS promote on their own, or not).
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn advise_huge_pages(_ptr: *mut u8, _bytes: usize) {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    #[test]
    fn small_blocks_keep_their_items_alignment_and_big_ones_are_2_mib_aligned() {
        let small = Block::<u64>::with_capacity(1000);
        assert!(!small.is_huge());
        assert_eq!(small.capacity(), 1000);
        let big = Block::<u64>::with_capacity(HUGE_PAGE / 8);
        assert!(big.is_huge());
        assert_eq!(big.ptr.as_ptr() as usize % HUGE_PAGE, 0);
        let odd = Block::<[u8; 3]>::with_capacity(HUGE_PAGE / 3);
        assert!(odd.is_huge());
        assert_eq!(odd.ptr.as_ptr() as usize % HUGE_PAGE, 0);
        let just_under = Block::<[u8; 3]>::with_capacity(HUGE_PAGE / 3 - 1);
        assert!(!just_under.is_huge());
        let empty = Block::<u64>::default();
        assert!(empty.is_empty() && !empty.is_huge());
        assert_eq!(empty.clone().capacity(), 0);
    }

    #[test]
    fn behaves_like_a_vec_and_drops_each_item_once() {
        let counted = Rc::new(());
        let mut b = Block::with_capacity(HUGE_PAGE / 8 + 1);
        let mut v = Vec::new();
        for i in 0..10_000 {
            b.push((i, Rc::clone(&counted)));
            v.push(i);
        }
        assert_eq!(Rc::strong_count(&counted), 10_001);
        assert_eq!(b.pop().map(|(i, _)| i), v.pop());
        b[3].0 = 7;
        v[3] = 7;
        assert!(b.iter().map(|(i, _)| *i).eq(v.iter().copied()));
        let copy = b.clone();
        assert_eq!(Rc::strong_count(&counted), 1 + 2 * 9_999);
        drop(b);
        assert_eq!(copy.len(), 9_999);
        drop(copy);
        assert_eq!(Rc::strong_count(&counted), 1);
    }

    /// Faulting in the room past the items leaves the items as they were, and pushes
    /// fill that room as usual (also from an odd item size, whose end is mid-page).
    #[test]
    fn fault_in_keeps_the_items_and_the_room() {
        let mut b = Block::with_capacity(HUGE_PAGE / 24);
        for i in 0..1_001u64 {
            b.push([i, i + 1, i + 2]);
        }
        b.fault_in();
        assert!(b
            .iter()
            .enumerate()
            .all(|(i, &v)| v[0] == i as u64 && v[2] == i as u64 + 2));
        while b.len() < b.capacity() {
            let i = b.len() as u64;
            b.push([i, 7, 7]);
        }
        b.fault_in();
        assert!(b.iter().enumerate().all(|(i, &v)| v[0] == i as u64));
        let mut empty: Block<u8> = Block::default();
        empty.fault_in();
    }

    #[test]
    #[should_panic(expected = "full block")]
    fn pushing_past_the_capacity_panics() {
        let mut b = Block::with_capacity(2);
        for i in 0..3 {
            b.push(i);
        }
    }

    /// On Linux with THP available, the kernel accepts the advice for a block (a
    /// refusal is ignored by `with_capacity`, so this checks the call is well-formed).
    #[cfg(target_os = "linux")]
    #[test]
    fn the_advice_is_well_formed() {
        let b = Block::<u8>::with_capacity(HUGE_PAGE);
        // A kernel built with THP accepts the advice whatever its mode.
        let thp = std::path::Path::new("/sys/kernel/mm/transparent_hugepage").exists();
        // SAFETY: the same call as `advise_huge_pages`, on the block's own range.
        let r = unsafe { libc::madvise(b.ptr.as_ptr().cast(), HUGE_PAGE, libc::MADV_HUGEPAGE) };
        if thp {
            assert_eq!(r, 0, "{}", std::io::Error::last_os_error());
        }
    }
}
