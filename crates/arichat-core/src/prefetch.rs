//! A hint to start loading memory that is about to be read.
//!
//! A table read at scattered places (the intent model's rows) costs a cache miss
//! per read; naming the places early lets the loads run
//! while other work goes on. A hint changes no result: on other architectures it does
//! nothing.

/// Starts loading the cache line that holds the start of `value`.
#[inline]
pub(crate) fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    #[allow(unsafe_code)]
    // SAFETY: `_mm_prefetch` (SSE, part of every x86-64 target) reads nothing
    // architecturally and never faults; the pointer is a live reference besides.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(value).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}
