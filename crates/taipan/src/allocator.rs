//! The binary's global allocator: mimalloc, or the C library's malloc
//! (with CPython's debug hooks when asked), chosen once at startup.
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
//! `PYTHONMALLOC` picks another allocator, as in CPython: `malloc` (the C
//! library's, through `std::alloc::System`), `malloc_debug` or `debug`
//! (malloc with the debug hooks), `mimalloc` (the default, CPython 3.13's
//! name for it); `-X dev` and `PYTHONDEVMODE` install the debug hooks when
//! `PYTHONMALLOC` does not say otherwise; `-E`/`-I` ignore the variables.
//! The hooks always wrap malloc, so that every block is visible to
//! external memory checkers. They are CPython's: each block is preceded by
//! its requested size and 8 forbidden bytes (0xFD) and followed by 8 more;
//! new memory is filled with 0xCD, freed memory with 0xDD; freeing a block
//! whose pads were overwritten, or with another size than it was
//! allocated with, is a fatal error. `pymem_getallocatorsname()` reports
//! the choice ([`name`]).
//!
//! The choice is made by [`choose_at_startup`], run by the C runtime
//! (glibc's `.init_array` passes it `argc`, `argv` and `envp`) before
//! `main` and before any Rust code allocates. It scans the command line
//! without allocating. Should anything allocate earlier, the first
//! allocation fixes mimalloc for the life of the process.
//!
//! # Safety
//!
//! - `mi_malloc`/`mi_zalloc`/`mi_realloc` return blocks aligned to
//!   `MAX_PLAIN_ALIGN` (mimalloc's `MI_MAX_ALIGN_SIZE`, 16 on 64-bit
//!   targets) or null; every request with a larger alignment (or an
//!   alignment above its size) goes through the `_aligned` functions.
//! - Every block is released by the allocator that made it: the mode
//!   changes at most once, from `UNDECIDED` (no block allocated yet) to
//!   its final value, so every block of the process is made and freed in
//!   the same mode. mimalloc blocks are released with `mi_free`, which
//!   accepts blocks of both kinds; `realloc` keeps the block's original
//!   alignment (`GlobalAlloc` passes the layout the block was allocated
//!   with).
//! - A debug block of `n` bytes with alignment `a` is one `System` block of
//!   `h + n + 8` bytes (`h = max(16, a)`, so the data stays aligned to
//!   `a`), allocated and freed with the same layout (`debug_layout`); the
//!   header's last 16 bytes (the size, then the leading pad) and the
//!   trailing pad lie inside it.
//! - `choose_at_startup` reads `argv` and `envp` as glibc passes them:
//!   `argc` valid NUL-terminated strings, and a null-terminated array of
//!   NUL-terminated strings.

use std::alloc::{GlobalAlloc, Layout, System};
use std::ffi::{c_char, c_int, c_void, CStr};
use std::sync::atomic::{AtomicU8, Ordering::Relaxed};

use libmimalloc_sys as mi;

/// The alignment every plain mimalloc allocation has.
const MAX_PLAIN_ALIGN: usize = 16;

/// The global allocator (see the module documentation).
pub struct Allocator;

/// No block allocated and no choice made yet.
const UNDECIDED: u8 = 0;
const MIMALLOC: u8 = 1;
const MALLOC: u8 = 2;
const MALLOC_DEBUG: u8 = 3;

static MODE: AtomicU8 = AtomicU8::new(UNDECIDED);

/// The allocator in use (mimalloc from now on if none was chosen yet).
#[inline]
fn mode() -> u8 {
    match MODE.load(Relaxed) {
        UNDECIDED => match MODE.compare_exchange(UNDECIDED, MIMALLOC, Relaxed, Relaxed) {
            Ok(_) => MIMALLOC,
            Err(m) => m,
        },
        m => m,
    }
}

/// The allocator's name in CPython's vocabulary (`pymem_getallocatorsname`).
pub fn name() -> &'static str {
    match mode() {
        MALLOC => "malloc",
        MALLOC_DEBUG => "malloc_debug",
        _ => "mimalloc",
    }
}

/// The allocator the command line and environment ask for.
fn choice<'a>(args: impl Iterator<Item = &'a [u8]>, env: impl Iterator<Item = &'a [u8]>) -> u8 {
    let args: Args<'a, _> = Args { it: args.skip(1) };
    let (dev, ignore_env) = args.scan();
    let mut dev = dev;
    let mut pythonmalloc: Option<&[u8]> = None;
    if !ignore_env {
        for e in env {
            if let Some(v) = e.strip_prefix(b"PYTHONMALLOC=") {
                pythonmalloc = Some(v).filter(|v| !v.is_empty());
            } else if let Some(v) = e.strip_prefix(b"PYTHONDEVMODE=") {
                dev |= !v.is_empty();
            }
        }
    }
    match pythonmalloc {
        Some(b"malloc") => MALLOC,
        Some(b"malloc_debug" | b"debug") => MALLOC_DEBUG,
        Some(b"mimalloc") => MIMALLOC,
        _ if dev => MALLOC_DEBUG,
        _ => MIMALLOC,
    }
}

/// The command line's options, scanned as `options::parse` reads them
/// (up to `-c`, `-m`, the script or `-`), without allocating.
struct Args<'a, I: Iterator<Item = &'a [u8]>> {
    it: I,
}

impl<'a, I: Iterator<Item = &'a [u8]>> Args<'a, I> {
    /// Whether `-X dev` is given, and whether `-E` or `-I` is.
    fn scan(mut self) -> (bool, bool) {
        let (mut dev, mut ignore_env) = (false, false);
        while let Some(a) = self.it.next() {
            if a == b"--check-hash-based-pycs" {
                self.it.next();
                continue;
            }
            if a == b"-" || a.len() < 2 || a[0] != b'-' || a[1] == b'-' {
                break;
            }
            let letters = &a[1..];
            for (j, &c) in letters.iter().enumerate() {
                match c {
                    b'c' | b'm' => return (dev, ignore_env),
                    b'X' | b'W' => {
                        let rest = &letters[j + 1..];
                        let arg = if rest.is_empty() { self.it.next().unwrap_or(b"") } else { rest };
                        let name = arg.split(|&b| b == b'=').next().unwrap_or(b"");
                        dev |= c == b'X' && name == b"dev";
                        break;
                    }
                    b'E' | b'I' => ignore_env = true,
                    _ => {}
                }
            }
        }
        (dev, ignore_env)
    }
}

/// Chooses the allocator before `main` (see the module documentation).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
extern "C" fn choose_at_startup(argc: c_int, argv: *const *const c_char, envp: *const *const c_char) {
    let arg = |i: usize| -> &'static [u8] {
        // SAFETY: `i < argc`, and glibc's `argv` holds `argc` valid C
        // strings that live as long as the process (Safety section).
        unsafe { CStr::from_ptr(*argv.add(i)).to_bytes() }
    };
    let nargs = if argv.is_null() { 0 } else { argc.max(0) as usize };
    let mut k = 0;
    let env = std::iter::from_fn(|| {
        if envp.is_null() {
            return None;
        }
        // SAFETY: `envp` is null-terminated and is read up to the null.
        let p = unsafe { *envp.add(k) };
        if p.is_null() {
            return None;
        }
        k += 1;
        // SAFETY: a valid C string (Safety section).
        Some(unsafe { CStr::from_ptr(p).to_bytes() })
    });
    let chosen = choice((0..nargs).map(arg), env);
    let _ = MODE.compare_exchange(UNDECIDED, chosen, Relaxed, Relaxed);
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[used]
#[link_section = ".init_array"]
static CHOOSE_AT_STARTUP: extern "C" fn(c_int, *const *const c_char, *const *const c_char) = choose_at_startup;

// ---- the debug hooks ---------------------------------------------------

/// CPython's fill bytes: pads, new memory, freed memory.
const FORBIDDEN: u8 = 0xFD;
const CLEAN: u8 = 0xCD;
const DEAD: u8 = 0xDD;
/// Bytes of each pad; bytes of the header (size and leading pad) below
/// the data.
const PAD: usize = 8;
const HEADER: usize = 16;

/// The `System` layout of a debug block for `layout`, and the offset of
/// its data.
fn debug_layout(layout: &Layout) -> Option<(Layout, usize)> {
    let head = layout.align().max(HEADER);
    let total = head.checked_add(layout.size())?.checked_add(PAD)?;
    Layout::from_size_align(total, layout.align().max(8)).ok().map(|l| (l, head))
}

/// What is wrong with a debug block, if anything.
fn check_block(size_field: usize, lead: &[u8], tail: &[u8], size: usize) -> Result<(), &'static str> {
    if size_field != size {
        return Err("bad ID");
    }
    if lead.iter().any(|&b| b != FORBIDDEN) {
        return Err("bad leading pad byte");
    }
    if tail.iter().any(|&b| b != FORBIDDEN) {
        return Err("bad trailing pad byte");
    }
    Ok(())
}

/// Reports a damaged block and aborts (nothing is allocated on the way).
fn fatal(p: *mut u8, size: usize, what: &str) -> ! {
    use std::io::Write;
    let mut err = std::io::stderr();
    let _ = write!(
        err,
        "Debug memory block at address p={p:p}: API 'r'\n    {size} bytes originally requested\nFatal Python error: _PyMem_DebugRawFree: {what}\n"
    );
    std::process::abort()
}

/// # Safety
/// As `GlobalAlloc::alloc`.
unsafe fn debug_alloc(layout: Layout, zeroed: bool) -> *mut u8 {
    let Some((outer, head)) = debug_layout(&layout) else { return std::ptr::null_mut() };
    // SAFETY: `outer` has a non-zero size (it includes the pads).
    let base = unsafe { System.alloc(outer) };
    if base.is_null() {
        return base;
    }
    let n = layout.size();
    // SAFETY: `base` points to `head + n + PAD` bytes (Safety section);
    // `head >= HEADER`, so the size and pad lie in the header.
    unsafe {
        let p = base.add(head);
        p.sub(HEADER).cast::<usize>().write_unaligned(n);
        std::ptr::write_bytes(p.sub(PAD), FORBIDDEN, PAD);
        std::ptr::write_bytes(p, if zeroed { 0 } else { CLEAN }, n);
        std::ptr::write_bytes(p.add(n), FORBIDDEN, PAD);
        p
    }
}

/// # Safety
/// As `GlobalAlloc::dealloc`: `p` came from `debug_alloc(layout)`.
unsafe fn debug_dealloc(p: *mut u8, layout: Layout) {
    let Some((outer, head)) = debug_layout(&layout) else { return };
    let n = layout.size();
    // SAFETY: `p` is the data of a debug block (Safety section); the
    // header and the pads lie inside the block when its size is `n`, and
    // the size field is read before the pads are.
    unsafe {
        let size_field = p.sub(HEADER).cast::<usize>().read_unaligned();
        let lead = std::slice::from_raw_parts(p.sub(PAD), PAD);
        if size_field != n {
            fatal(p, size_field, "bad ID");
        }
        let tail = std::slice::from_raw_parts(p.add(n), PAD);
        if let Err(what) = check_block(size_field, lead, tail, n) {
            fatal(p, n, what);
        }
        std::ptr::write_bytes(p, DEAD, n);
        System.dealloc(p.sub(head), outer);
    }
}

/// # Safety
/// As `GlobalAlloc::realloc`.
unsafe fn debug_realloc(p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
    let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else { return std::ptr::null_mut() };
    // SAFETY: as `GlobalAlloc::realloc`: `p` holds `layout.size()` bytes
    // and came from this allocator; the new block is distinct.
    unsafe {
        let q = debug_alloc(new_layout, false);
        if !q.is_null() {
            std::ptr::copy_nonoverlapping(p, q, layout.size().min(new_size));
            debug_dealloc(p, layout);
        }
        q
    }
}

// ---- mimalloc ------------------------------------------------------------

struct Mimalloc;

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

// SAFETY: every block is made and freed in the same mode (Safety section);
// each mode's allocator keeps `GlobalAlloc`'s contract.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        unsafe {
            match mode() {
                MIMALLOC => Mimalloc.alloc(layout),
                MALLOC => System.alloc(layout),
                _ => debug_alloc(layout, false),
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        unsafe {
            match mode() {
                MIMALLOC => Mimalloc.alloc_zeroed(layout),
                MALLOC => System.alloc_zeroed(layout),
                _ => debug_alloc(layout, true),
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract; the mode is the block's.
        unsafe {
            match mode() {
                MIMALLOC => Mimalloc.dealloc(ptr, layout),
                MALLOC => System.dealloc(ptr, layout),
                _ => debug_dealloc(ptr, layout),
            }
        }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract; the mode is the block's.
        unsafe {
            match mode() {
                MIMALLOC => Mimalloc.realloc(ptr, layout, new_size),
                MALLOC => System.realloc(ptr, layout, new_size),
                _ => debug_realloc(ptr, layout, new_size),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(args: &[&str], env: &[&str]) -> u8 {
        choice(args.iter().map(|a| a.as_bytes()), env.iter().map(|e| e.as_bytes()))
    }

    #[test]
    fn the_command_line_and_environment_choose() {
        assert_eq!(pick(&["taipan"], &[]), MIMALLOC);
        assert_eq!(pick(&["taipan", "-X", "dev", "-c", "pass"], &[]), MALLOC_DEBUG);
        assert_eq!(pick(&["taipan", "-bXdev", "x.py"], &[]), MALLOC_DEBUG);
        assert_eq!(pick(&["taipan", "-c", "pass", "-X", "dev"], &[]), MIMALLOC);
        assert_eq!(pick(&["taipan", "x.py", "-X", "dev"], &[]), MIMALLOC);
        assert_eq!(pick(&["taipan", "-W", "dev", "x.py"], &[]), MIMALLOC);
        assert_eq!(pick(&["taipan"], &["PYTHONMALLOC=malloc"]), MALLOC);
        assert_eq!(pick(&["taipan"], &["PYTHONMALLOC=debug"]), MALLOC_DEBUG);
        assert_eq!(pick(&["taipan", "-X", "dev"], &["PYTHONMALLOC=malloc"]), MALLOC);
        assert_eq!(pick(&["taipan"], &["PYTHONDEVMODE=1"]), MALLOC_DEBUG);
        assert_eq!(pick(&["taipan"], &["PYTHONDEVMODE="]), MIMALLOC);
        assert_eq!(pick(&["taipan", "-E"], &["PYTHONMALLOC=malloc"]), MIMALLOC);
        assert_eq!(pick(&["taipan", "-I", "-X", "dev"], &["PYTHONMALLOC=malloc"]), MALLOC_DEBUG);
    }

    #[test]
    fn debug_blocks_keep_their_pads() {
        for (size, align) in [(1, 1), (24, 8), (100, 16), (7, 64), (0, 1)] {
            let layout = Layout::from_size_align(size, align).expect("layout");
            // SAFETY: a fresh block of `layout`, freed with the same layout.
            unsafe {
                let p = debug_alloc(layout, false);
                assert!(!p.is_null());
                assert_eq!(p as usize % align, 0);
                assert!(std::slice::from_raw_parts(p, size).iter().all(|&b| b == CLEAN));
                let lead = std::slice::from_raw_parts(p.sub(PAD), PAD);
                let tail = std::slice::from_raw_parts(p.add(size), PAD);
                assert_eq!(check_block(p.sub(HEADER).cast::<usize>().read_unaligned(), lead, tail, size), Ok(()));
                let q = debug_realloc(p, layout, size + 10);
                assert!(std::slice::from_raw_parts(q.add(size), 10).iter().all(|&b| b == CLEAN));
                debug_dealloc(q, Layout::from_size_align(size + 10, align).expect("layout"));
            }
        }
        let pad = [FORBIDDEN; PAD];
        let mut bad = pad;
        bad[3] = 0;
        assert_eq!(check_block(5, &pad, &bad, 5), Err("bad trailing pad byte"));
        assert_eq!(check_block(5, &bad, &pad, 5), Err("bad leading pad byte"));
        assert_eq!(check_block(4, &pad, &pad, 5), Err("bad ID"));
    }
}
