//! The unsafe core of `_ctypes`: raw memory at integer addresses,
//! `dlopen`/`dlsym`, foreign calls through libffi and libffi closures
//! (C-callable function pointers that run Python code).
//!
//! # Safety
//!
//! ctypes hands Python code raw addresses by design: as in CPython, a
//! Python program that passes a bad address to `string_at`, `memmove`,
//! `from_address` or a foreign function may crash the process. What this
//! module guarantees is that every address it dereferences on its own
//! account is valid:
//! - [`alloc`] returns zeroed, 16-byte aligned blocks of at least one
//!   byte, released only by [`free`] with the size they were allocated
//!   with (the Python layer keeps each block in one owner object whose
//!   finalizer frees it exactly once).
//! - [`read`], [`write`], [`fill`], [`copy`], [`strlen`], [`wcslen`]
//!   dereference the caller's address range `[addr, addr + n)`; the
//!   Python layer derives those ranges from blocks it allocated or from
//!   addresses the user supplied (the latter is the documented ctypes
//!   hazard). Null addresses are refused before any access.
//! - [`call`] passes libffi a `ffi_cif` built from the type descriptions
//!   and one pointer per argument to a block holding that argument's
//!   value (laid out by the Python layer with the same sizes), and a result
//!   block of at least `max(size, 8)` bytes.
//! - Closures: [`Thunk`] owns the closure allocation, its `ffi_cif` and the
//!   boxed user data that the trampoline receives; the code pointer is
//!   valid until the `Thunk` is dropped. The trampoline dereferences the
//!   `Vm` pointer stored at creation: the interpreter outlives every
//!   Python object and so every `Thunk` (they live in the vm's state).
//!   Callbacks must come from the thread that holds the GIL (calls made
//!   by C code synchronously during a foreign call, as `qsort` does).

use std::ffi::{c_void, CStr, CString};

use libffi::low;
use libffi::middle::{Cif, Type};
use taipan_vm::object::Obj;
use taipan_vm::Vm;

/// The layout of every block handed out by [`alloc`].
fn layout(size: usize) -> Option<std::alloc::Layout> {
    std::alloc::Layout::from_size_align(size.max(1), 16).ok()
}

/// A zeroed block of `size` bytes (at least one), or `None` when the
/// allocator refuses.
pub fn alloc(size: usize) -> Option<usize> {
    let l = layout(size)?;
    // SAFETY: `l` has a non-zero size.
    let p = unsafe { std::alloc::alloc_zeroed(l) };
    (!p.is_null()).then_some(p as usize)
}

/// Releases a block of [`alloc`] (same `size`).
pub fn free(addr: usize, size: usize) {
    if let (Some(l), false) = (layout(size), addr == 0) {
        // SAFETY: `addr` came from `alloc(size)` and is freed once (module invariant).
        unsafe { std::alloc::dealloc(addr as *mut u8, l) }
    }
}

/// The `n` bytes at `addr`.
pub fn read(addr: usize, n: usize) -> Vec<u8> {
    if addr == 0 || n == 0 {
        return Vec::new();
    }
    // SAFETY: the caller's range (module invariant).
    unsafe { std::slice::from_raw_parts(addr as *const u8, n).to_vec() }
}

/// Stores `data` at `addr`.
pub fn write(addr: usize, data: &[u8]) {
    if addr == 0 || data.is_empty() {
        return;
    }
    // SAFETY: the caller's range (module invariant); `data` is a separate Rust buffer.
    unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), addr as *mut u8, data.len()) }
}

/// `memset(addr, c, n)`.
pub fn fill(addr: usize, c: u8, n: usize) {
    if addr != 0 {
        // SAFETY: the caller's range (module invariant).
        unsafe { std::ptr::write_bytes(addr as *mut u8, c, n) }
    }
}

/// `memmove(dst, src, n)`.
pub fn copy(dst: usize, src: usize, n: usize) {
    if dst != 0 && src != 0 {
        // SAFETY: the caller's ranges (module invariant); `copy` allows overlap.
        unsafe { std::ptr::copy(src as *const u8, dst as *mut u8, n) }
    }
}

/// `strlen(addr)`.
pub fn strlen(addr: usize) -> usize {
    if addr == 0 {
        return 0;
    }
    // SAFETY: the caller's NUL-terminated string (module invariant).
    unsafe { libc::strlen(addr as *const libc::c_char) }
}

/// `wcslen(addr)` (`wchar_t` is 4 bytes here).
pub fn wcslen(addr: usize) -> usize {
    if addr == 0 {
        return 0;
    }
    let mut n = 0;
    // SAFETY: the caller's NUL-terminated wide string (module invariant);
    // reads stop at the first zero `wchar_t`.
    unsafe {
        while std::ptr::read_unaligned((addr as *const u32).add(n)) != 0 {
            n += 1;
        }
    }
    n
}

/// The latest `dlerror()` text.
fn dlerror() -> String {
    // SAFETY: `dlerror` returns null or a NUL-terminated thread-local string.
    let p = unsafe { libc::dlerror() };
    if p.is_null() {
        return "unknown dlopen() error".to_string();
    }
    // SAFETY: non-null, NUL-terminated (above).
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// `dlopen(name, mode)`; `None` opens the main program.
pub fn dlopen(name: Option<&CStr>, mode: i32) -> Result<usize, String> {
    let p = name.map_or(std::ptr::null(), |n| n.as_ptr());
    // SAFETY: `p` is null or a NUL-terminated string alive for the call.
    let h = unsafe { libc::dlopen(p, mode) };
    if h.is_null() {
        Err(dlerror())
    } else {
        Ok(h as usize)
    }
}

/// `dlsym(handle, name)`; handle 0 is `RTLD_DEFAULT`.
pub fn dlsym(handle: usize, name: &CStr) -> Result<usize, String> {
    // Clear a stale error first.
    // SAFETY: see `dlerror`.
    unsafe { libc::dlerror() };
    // SAFETY: `handle` is a handle of `dlopen` or RTLD_DEFAULT (a bad handle is the
    // user's documented hazard); `name` is NUL-terminated.
    let p = unsafe { libc::dlsym(handle as *mut c_void, name.as_ptr()) };
    if p.is_null() {
        Err(dlerror())
    } else {
        Ok(p as usize)
    }
}

/// `dlclose(handle)`: 0 on success.
pub fn dlclose(handle: usize) -> Result<(), String> {
    // SAFETY: as for `dlsym`.
    if unsafe { libc::dlclose(handle as *mut c_void) } == 0 {
        Ok(())
    } else {
        Err(dlerror())
    }
}

/// A type description coming from the Python layer: a scalar code or a
/// structure with its members (arrays already expanded).
pub enum Spec {
    Scalar(u8),
    Struct(Vec<Spec>),
}

/// The libffi type of a description; `None` for an unknown code.
pub fn ffi_type(s: &Spec) -> Option<Type> {
    Some(match s {
        Spec::Scalar(c) => match c {
            b'b' => Type::i8(),
            b'B' | b'c' | b'?' => Type::u8(),
            b'h' => Type::i16(),
            b'H' => Type::u16(),
            b'i' => Type::i32(),
            b'I' | b'u' => Type::u32(),
            b'l' | b'q' | b'n' => Type::i64(),
            b'L' | b'Q' | b'N' => Type::u64(),
            b'f' => Type::f32(),
            b'd' => Type::f64(),
            b'g' => Type::longdouble(),
            b'P' | b'z' | b'Z' | b'O' | b'X' => Type::pointer(),
            b'v' => Type::i16(),
            b'0' => Type::void(),
            _ => return None,
        },
        Spec::Struct(members) => {
            let ts: Option<Vec<Type>> = members.iter().map(ffi_type).collect();
            Type::structure(ts?)
        }
    })
}

// The thread's private ctypes `errno` (`get_errno`/`set_errno`).
thread_local! {
    static CTYPES_ERRNO: std::cell::Cell<i32> = const { std::cell::Cell::new(0) };
}

/// ctypes' private copy of `errno`.
pub fn get_errno() -> i32 {
    CTYPES_ERRNO.with(|e| e.get())
}

/// Sets ctypes' private copy of `errno`; returns the old value.
pub fn set_errno(v: i32) -> i32 {
    CTYPES_ERRNO.with(|e| e.replace(v))
}

fn errno_location() -> *mut i32 {
    // SAFETY: always valid for the calling thread.
    unsafe { libc::__errno_location() }
}

/// Calls the C function at `fun` with the argument values stored at
/// `args` (one block per argument, typed by `arg_types`); the result is
/// stored at `result` (a block of at least `max(size, 8)` bytes, ignored
/// for void). With `use_errno`, the private errno is swapped with the
/// real one around the call, as CPython does.
pub fn call(fun: usize, arg_types: Vec<Type>, res_type: Type, args: &[usize], result: usize, nfixed: Option<usize>, use_errno: bool) {
    let cif = match nfixed {
        Some(n) => Cif::new_variadic(arg_types, n, res_type),
        None => Cif::new(arg_types, res_type),
    };
    let mut avalues: Vec<*mut c_void> = args.iter().map(|&a| a as *mut c_void).collect();
    let code = libffi::middle::CodePtr(fun as *mut c_void);
    if use_errno {
        // SAFETY: the thread's own errno.
        unsafe { *errno_location() = set_errno(0) };
    }
    // SAFETY: module invariant: `cif` describes the blocks at `avalues` and
    // `result`; `fun` is the user's function pointer (ctypes' documented hazard).
    unsafe {
        low::call_return_into(cif.as_raw_ptr(), code, avalues.as_mut_ptr(), result as *mut c_void);
    }
    if use_errno {
        // SAFETY: the thread's own errno.
        set_errno(unsafe { *errno_location() });
    }
}

/// What a closure's trampoline needs: the interpreter, a weak reference
/// to the Python callable (called as `f(result_address, (arg_addresses...))`),
/// the argument count and whether errno is swapped.
struct ThunkData {
    vm: *const Vm,
    callable: Obj,
    nargs: usize,
    use_errno: bool,
}

/// A libffi closure: a C function pointer that calls a Python function.
pub struct Thunk {
    alloc: *mut low::ffi_closure,
    code: usize,
    _cif: Box<Cif>,
    _data: Box<ThunkData>,
}

impl Thunk {
    /// The C-callable address.
    pub fn address(&self) -> usize {
        self.code
    }
}

impl Drop for Thunk {
    fn drop(&mut self) {
        // SAFETY: `alloc` came from `closure_alloc` and is freed once.
        unsafe { low::closure_free(self.alloc) }
    }
}

unsafe extern "C" fn trampoline(_cif: &low::ffi_cif, result: &mut u64, args: *const *const c_void, data: &ThunkData) {
    // SAFETY: the interpreter outlives the thunk (module invariant).
    let vm = unsafe { &*data.vm };
    // A callback that raises (or returns nothing) leaves zero, as CPython's.
    *result = 0;
    let res = result as *mut u64 as usize;
    let addrs: Vec<Obj> = (0..data.nargs)
        .map(|i| {
            // SAFETY: libffi passes one pointer per declared argument.
            let p = unsafe { *args.add(i) } as usize;
            vm.int(p as i64)
        })
        .collect();
    if data.use_errno {
        // SAFETY: the thread's own errno.
        unsafe { *errno_location() = set_errno(*errno_location()) };
    }
    // Errors are reported by the Python layer; one that escapes is dropped.
    let tuple = taipan_vm::types::builtin::new_tuple(vm, addrs);
    // `callable` is a weak reference (the Python side owns the function, so
    // that cycles through it stay collectable).
    if let Ok(f) = crate::util::call(vm, &data.callable, &[]) {
        if !f.is(&vm.none) {
            let _ = crate::util::call(vm, &f, &[vm.int(res as i64), tuple]);
        }
    }
    if data.use_errno {
        // SAFETY: the thread's own errno.
        unsafe { *errno_location() = set_errno(*errno_location()) };
    }
}

/// A closure calling `callable` with the C argument types `arg_types`.
pub fn thunk(vm: &Vm, callable: Obj, arg_types: Vec<Type>, res_type: Type, use_errno: bool) -> Option<Thunk> {
    let nargs = arg_types.len();
    let cif = Box::new(Cif::new(arg_types, res_type));
    let data = Box::new(ThunkData { vm: vm as *const Vm, callable, nargs, use_errno });
    let (alloc, code) = low::try_closure_alloc()?;
    // SAFETY: `alloc`/`code` come from `closure_alloc`; `cif` and `data` are
    // boxed and owned by the returned `Thunk`, so they live as long as the closure.
    let ok = unsafe { low::prep_closure(alloc, cif.as_raw_ptr(), trampoline, &*data as *const ThunkData, code) };
    if ok.is_err() {
        // SAFETY: allocated above, not yet shared.
        unsafe { low::closure_free(alloc) };
        return None;
    }
    Some(Thunk { alloc, code: code.as_ptr() as usize, _cif: cif, _data: data })
}

/// A C string from Rust bytes (`None` when they contain NUL).
pub fn cstring(b: &[u8]) -> Option<CString> {
    CString::new(b).ok()
}
