//! The binary's global allocator: mimalloc.
//!
//! The interpreter allocates and frees small objects (ints, floats, bound
//! methods, tuples, frames' buffers) at a high rate; mimalloc's
//! thread-local free lists serve them in a few instructions (CPython has
//! its own small-object allocator for the same reason).
//!
//! Requests whose alignment mimalloc guarantees anyway (at most 16 bytes,
//! and not above the size) use its plain entry points: its aligned ones
//! take a slow over-allocating path for sizes that are not powers of two
//! whenever a size class's page has no free block ready, which is most of
//! the time for the interpreter's objects (the `mimalloc` crate's allocator
//! always calls the aligned ones, hence this small wrapper).
//!
//! # Safety
//!
//! - `mi_malloc`/`mi_zalloc`/`mi_realloc` return blocks aligned to
//!   `MAX_PLAIN_ALIGN` (mimalloc's `MI_MAX_ALIGN_SIZE`, 16 on 64-bit
//!   targets) or null; every request with a larger alignment (or an
//!   alignment above its size) goes through the `_aligned` functions.
//! - Every block is released with `mi_free`, which accepts blocks of both
//!   kinds; `realloc` keeps the block's original alignment (`GlobalAlloc`
//!   passes the layout the block was allocated with).

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment every plain mimalloc allocation has.
const MAX_PLAIN_ALIGN: usize = 16;

pub struct Mimalloc;

#[inline(always)]
fn plain(layout: &Layout) -> bool {
    layout.align() <= MAX_PLAIN_ALIGN && layout.align() <= layout.size()
}

// SAFETY: see the module's Safety section: blocks are aligned as the
// layout asks and freed by the allocator that made them.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if plain(&layout) {
            // SAFETY: the result is 16-byte aligned, enough for `layout`.
            unsafe { mi::mi_malloc(layout.size()).cast() }
        } else {
            // SAFETY: `layout.align()` is a power of two (a `Layout` invariant).
            unsafe { mi::mi_malloc_aligned(layout.size(), layout.align()).cast() }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if plain(&layout) {
            // SAFETY: as in `alloc`.
            unsafe { mi::mi_zalloc(layout.size()).cast() }
        } else {
            // SAFETY: as in `alloc`.
            unsafe { mi::mi_zalloc_aligned(layout.size(), layout.align()).cast() }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator (a `GlobalAlloc` contract).
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= MAX_PLAIN_ALIGN && layout.align() <= new_size {
            // SAFETY: `ptr` came from this allocator; the new block is
            // 16-byte aligned, enough for the layout's alignment.
            unsafe { mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast() }
        } else {
            // SAFETY: as above, with the alignment asked explicitly.
            unsafe { mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast() }
        }
    }
}
