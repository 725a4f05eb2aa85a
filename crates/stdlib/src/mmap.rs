//! `mmap`: memory-mapped files and anonymous maps (CPython's
//! `Modules/mmapmodule.c`, its Unix half). An `mmap.mmap` owns one
//! mapping and a `dup` of the file descriptor; it is a mutable byte
//! sequence (`m[i]`, slices, slice assignment), a file-like object
//! (`read`/`write`/`seek`/...), and exports its bytes through
//! `Slots::buffer` (read-only for `ACCESS_READ`), so `bytes(m)`,
//! `memoryview(m)` and `re.search(pattern, m)` work. Every operation on a
//! closed map raises "mmap closed or invalid", including after an
//! argument's `__index__` closed it.
//!
//! # Safety
//!
//! `MmapData::map` is either null (closed) or the start of a live
//! mapping of `MmapData::size` bytes made by `mmap` (or moved by
//! `mremap`) and owned by that object alone: it is unmapped only by
//! `close`/`Drop`, which null it first. All access goes through the
//! helpers of `MmapData`, which check bounds against `size` and
//! closedness on every call, and never let a reference into the mapping
//! outlive the call (bytes are copied out; `with_bytes` lends a slice to a
//! closure that runs no Python code). Everything runs under the GIL, so a
//! map cannot be closed or resized while such a borrow is live. As in
//! CPython, another process sharing the file may change the bytes at any
//! time and a file truncated behind the map's back makes access fault.

use std::cell::Cell;

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{at_most, bind, exact, new_type, FunctionDef, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::ops;
use taipan_vm::sequence::{slice_indices, slice_walk, SliceData};
use taipan_vm::types::builtin::{as_buffer, int_data, new_bytes, new_str, object_slots, type_name};
use taipan_vm::types::{lookup, type_data, type_of, BufferProcs, Kwargs, Slots};
use taipan_vm::{PyErr, PyResult, Vm};

use crate::posix::{c_int_arg, int_arg, os_error, sys};
use crate::util::to_isize;

const ACCESS_DEFAULT: i32 = 0;
const ACCESS_READ: i32 = 1;
const ACCESS_WRITE: i32 = 2;
const ACCESS_COPY: i32 = 3;

pub struct MmapData {
    /// The mapping; null once closed.
    map: Cell<*mut u8>,
    size: Cell<usize>,
    pos: Cell<usize>,
    offset: i64,
    /// The map's own descriptor (`-1` for anonymous maps and once closed).
    fd: Cell<i32>,
    access: i32,
    exports: Cell<usize>,
}

impl Drop for MmapData {
    fn drop(&mut self) {
        self.unmap();
    }
}

impl MmapData {
    fn is_open(&self) -> bool {
        !self.map.get().is_null()
    }

    /// Releases the mapping and the descriptor (idempotent).
    fn unmap(&self) {
        let fd = self.fd.replace(-1);
        if fd >= 0 {
            let _ = sys::close(fd);
        }
        let p = self.map.replace(std::ptr::null_mut());
        if !p.is_null() {
            // SAFETY: `p` was the live mapping of `size` bytes; it was
            // nulled above so nothing reaches it afterwards (module docs).
            unsafe { libc::munmap(p.cast(), self.size.get()) };
        }
    }

    /// Lends the mapped bytes to `f` (empty when closed); `f` must not
    /// run Python code.
    fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        let p = self.map.get();
        if p.is_null() || self.size.get() == 0 {
            return f(&[]);
        }
        // SAFETY: a live mapping of `size` bytes; the slice does not
        // outlive `f`, which runs no Python code (module docs).
        f(unsafe { std::slice::from_raw_parts(p, self.size.get()) })
    }

    /// Copies `len` bytes from `start` (clipped to the map).
    fn read(&self, start: usize, len: usize) -> Vec<u8> {
        self.with_bytes(|b| {
            let s = start.min(b.len());
            let e = s.saturating_add(len).min(b.len());
            b[s..e].to_vec()
        })
    }

    /// Writes `data` at `start`; false if it does not fit or the map is
    /// closed. Callers have checked that the map is writable.
    fn write(&self, start: usize, data: &[u8]) -> bool {
        let p = self.map.get();
        if p.is_null() || start.checked_add(data.len()).is_none_or(|e| e > self.size.get()) {
            return false;
        }
        if data.is_empty() {
            return true;
        }
        // SAFETY: the range lies inside the live, writable mapping and
        // `data` is a Rust buffer (not the mapping: callers copy first).
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), p.add(start), data.len()) };
        true
    }

    /// `memmove` inside the map (bounds checked by the caller).
    fn move_within(&self, dest: usize, src: usize, count: usize) {
        let p = self.map.get();
        let n = self.size.get();
        if p.is_null() || dest.saturating_add(count) > n || src.saturating_add(count) > n || count == 0 {
            return;
        }
        // SAFETY: both ranges lie inside the live mapping; `copy` allows
        // overlap.
        unsafe { std::ptr::copy(p.add(src), p.add(dest), count) };
    }
}

fn closed_error(vm: &Vm) -> PyErr {
    vm.new_error(&vm.types.value_error, "mmap closed or invalid")
}

fn data<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a MmapData> {
    o.downcast::<MmapData>()
        .ok_or_else(|| vm.type_error(format!("descriptor requires a 'mmap.mmap' object but received '{}'", type_name(o))))
}

/// The map, which must be open (CPython's `CHECK_VALID`).
fn valid<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a MmapData> {
    let m = data(vm, o)?;
    if m.is_open() {
        Ok(m)
    } else {
        Err(closed_error(vm))
    }
}

fn check_open(vm: &Vm, m: &MmapData) -> PyResult<()> {
    if m.is_open() {
        Ok(())
    } else {
        Err(closed_error(vm))
    }
}

fn check_writable(vm: &Vm, m: &MmapData) -> PyResult<()> {
    if m.access == ACCESS_READ {
        return Err(vm.type_error("mmap can't modify a readonly memory map."));
    }
    Ok(())
}

fn check_resizeable(vm: &Vm, m: &MmapData) -> PyResult<()> {
    if m.exports.get() > 0 {
        return Err(vm.new_error(&vm.types.buffer_error, "mmap can't resize with extant buffers exported."));
    }
    if m.access != ACCESS_WRITE && m.access != ACCESS_DEFAULT {
        return Err(vm.type_error("mmap can't resize a readonly or copy-on-write memory map."));
    }
    Ok(())
}

fn errno_error(vm: &Vm) -> PyErr {
    os_error(vm, sys::errno(), None, None)
}

/// Whether `o` can be used as an index (`PyIndex_Check`).
fn is_index(o: &Obj) -> bool {
    int_data(o).is_some() || lookup(&type_of(o), "__index__").is_some()
}

/// A bytes-like argument (`y*`).
fn bytes_arg(vm: &Vm, o: &Obj) -> PyResult<Vec<u8>> {
    as_buffer(o).map(|b| b.into_owned()).ok_or_else(|| vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(o))))
}

fn isize_to_usize(v: isize) -> usize {
    v.max(0) as usize
}

// ------------------------------------------------------------ the type

static BUFFER: BufferProcs = BufferProcs {
    format: |_| ('B', 1),
    read: |o| o.downcast::<MmapData>().map(|m| m.read(0, m.size.get())).unwrap_or_default(),
    write: Some(|o, at, bytes| {
        if let Some(m) = o.downcast::<MmapData>() {
            if m.access != ACCESS_READ {
                m.write(at, bytes);
            }
        }
    }),
    readonly: Some(|o| o.downcast::<MmapData>().is_none_or(|m| m.access == ACCESS_READ)),
    check: Some(|vm, o| valid(vm, o).map(|_| ())),
    exports: |o, delta| {
        if let Some(m) = o.downcast::<MmapData>() {
            m.exports.set((m.exports.get() as isize + delta).max(0) as usize);
        }
    },
    getbuffer: None,
    release: None,
};

fn mmap_type(vm: &Vm) -> Obj {
    vm.native_type("mmap.mmap", |vm| {
        let slots = Slots {
            new: Some(mmap_new),
            repr: Some(mmap_repr),
            iter: Some(|vm, o| {
                data(vm, o)?;
                Ok(alloc(iter_type(vm), MmapIter { map: o.clone(), index: Cell::new(0) }))
            }),
            buffer: Some(&BUFFER),
            ..object_slots()
        };
        // gc: weak references need the collector's head (no objects inside).
        let t = new_type::<MmapData>(vm, "mmap.mmap", &[], true, slots, METHODS, GETSETS);
        type_data(&t).weakrefable.set(true);
        t
    })
}

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "mmap", mmap_type(vm))?;
    add_attr(vm, m, "error", vm.types.os_error.clone())?;
    let page = sys::sysconf(libc::_SC_PAGESIZE).unwrap_or(4096);
    let consts: &[(&str, i64)] = &[
        ("ACCESS_DEFAULT", ACCESS_DEFAULT as i64),
        ("ACCESS_READ", ACCESS_READ as i64),
        ("ACCESS_WRITE", ACCESS_WRITE as i64),
        ("ACCESS_COPY", ACCESS_COPY as i64),
        ("PAGESIZE", page),
        ("ALLOCATIONGRANULARITY", page),
        ("PROT_EXEC", libc::PROT_EXEC as i64),
        ("PROT_READ", libc::PROT_READ as i64),
        ("PROT_WRITE", libc::PROT_WRITE as i64),
        ("MAP_SHARED", libc::MAP_SHARED as i64),
        ("MAP_PRIVATE", libc::MAP_PRIVATE as i64),
        ("MAP_DENYWRITE", libc::MAP_DENYWRITE as i64),
        ("MAP_EXECUTABLE", libc::MAP_EXECUTABLE as i64),
        ("MAP_ANON", libc::MAP_ANONYMOUS as i64),
        ("MAP_ANONYMOUS", libc::MAP_ANONYMOUS as i64),
        ("MAP_POPULATE", libc::MAP_POPULATE as i64),
        ("MAP_STACK", libc::MAP_STACK as i64),
        ("MADV_NORMAL", libc::MADV_NORMAL as i64),
        ("MADV_RANDOM", libc::MADV_RANDOM as i64),
        ("MADV_SEQUENTIAL", libc::MADV_SEQUENTIAL as i64),
        ("MADV_WILLNEED", libc::MADV_WILLNEED as i64),
        ("MADV_DONTNEED", libc::MADV_DONTNEED as i64),
        ("MADV_REMOVE", libc::MADV_REMOVE as i64),
        ("MADV_DONTFORK", libc::MADV_DONTFORK as i64),
        ("MADV_DOFORK", libc::MADV_DOFORK as i64),
        ("MADV_HWPOISON", libc::MADV_HWPOISON as i64),
        ("MADV_MERGEABLE", libc::MADV_MERGEABLE as i64),
        ("MADV_UNMERGEABLE", libc::MADV_UNMERGEABLE as i64),
        ("MADV_HUGEPAGE", libc::MADV_HUGEPAGE as i64),
        ("MADV_NOHUGEPAGE", libc::MADV_NOHUGEPAGE as i64),
        ("MADV_DONTDUMP", libc::MADV_DONTDUMP as i64),
        ("MADV_DODUMP", libc::MADV_DODUMP as i64),
        ("MADV_FREE", libc::MADV_FREE as i64),
    ];
    for (name, v) in consts {
        add_attr(vm, m, name, vm.int(*v))?;
    }
    Ok(())
}

static FUNCS: &[FunctionDef] = &[];

/// `mmap(fileno, length, flags=MAP_SHARED, prot=PROT_WRITE|PROT_READ,
/// access=ACCESS_DEFAULT, offset=0)`.
fn mmap_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params =
        Params { fname: "mmap", names: &["fileno", "length", "flags", "prot", "access", "offset"], posonly: 0, kwonly: 0, required: 2 };
    let [fileno, length, flags, prot, access, offset] = bind::<6>(vm, &P, args, kw)?;
    let (Some(fileno), Some(length)) = (fileno, length) else {
        return Err(vm.type_error("function missing required argument 'length' (pos 2)"));
    };
    let fd = c_int_arg(vm, &fileno)?;
    let map_size = to_isize(vm, &length)?;
    let mut flags = match &flags {
        Some(f) => c_int_arg(vm, f)?,
        None => libc::MAP_SHARED,
    };
    let mut prot = match &prot {
        Some(p) => c_int_arg(vm, p)?,
        None => libc::PROT_WRITE | libc::PROT_READ,
    };
    let mut access = match &access {
        Some(a) => c_int_arg(vm, a)?,
        None => ACCESS_DEFAULT,
    };
    let offset = match &offset {
        Some(o) => int_arg(vm, o)?,
        None => 0,
    };
    if map_size < 0 {
        return Err(vm.new_error(&vm.types.overflow_error, "memory mapped length must be positive"));
    }
    if offset < 0 {
        return Err(vm.new_error(&vm.types.overflow_error, "memory mapped offset must be positive"));
    }
    if access != ACCESS_DEFAULT && (flags != libc::MAP_SHARED || prot != (libc::PROT_WRITE | libc::PROT_READ)) {
        return Err(vm.new_error(&vm.types.value_error, "mmap can't specify both access and flags, prot."));
    }
    match access {
        ACCESS_READ => {
            flags = libc::MAP_SHARED;
            prot = libc::PROT_READ;
        }
        ACCESS_WRITE => {
            flags = libc::MAP_SHARED;
            prot = libc::PROT_READ | libc::PROT_WRITE;
        }
        ACCESS_COPY => {
            flags = libc::MAP_PRIVATE;
            prot = libc::PROT_READ | libc::PROT_WRITE;
        }
        ACCESS_DEFAULT => {
            if prot & libc::PROT_READ != 0 && prot & libc::PROT_WRITE != 0 {
                // The default: a shared read/write map.
            } else if prot & libc::PROT_WRITE != 0 {
                access = ACCESS_WRITE;
            } else {
                access = ACCESS_READ;
            }
        }
        _ => return Err(vm.new_error(&vm.types.value_error, "mmap invalid access parameter.")),
    }
    let mut map_size = map_size as usize;
    if fd != -1 {
        if let Ok(st) = sys::fstat(fd) {
            if st.st_mode & libc::S_IFMT == libc::S_IFREG {
                let file_size = st.st_size;
                if map_size == 0 {
                    if file_size == 0 {
                        return Err(vm.new_error(&vm.types.value_error, "cannot mmap an empty file"));
                    }
                    if offset >= file_size {
                        return Err(vm.new_error(&vm.types.value_error, "mmap offset is greater than file size"));
                    }
                    map_size = (file_size - offset) as usize;
                } else if offset > file_size || ((file_size - offset) as u64) < map_size as u64 {
                    return Err(vm.new_error(&vm.types.value_error, "mmap length is greater than file size"));
                }
            }
        }
    }
    let own_fd = if fd == -1 {
        flags |= libc::MAP_ANONYMOUS;
        -1
    } else {
        sys::dup(fd, false).map_err(|e| os_error(vm, e, None, None))?
    };
    let map_fd = if fd == -1 { -1 } else { own_fd };
    // SAFETY: asks the kernel for a new mapping; no existing memory is
    // touched (the address hint is null).
    let p = unsafe { libc::mmap(std::ptr::null_mut(), map_size, prot, flags, map_fd, offset as libc::off_t) };
    if p == libc::MAP_FAILED {
        let e = errno_error(vm);
        if own_fd >= 0 {
            let _ = sys::close(own_fd);
        }
        return Err(e);
    }
    let m = MmapData {
        map: Cell::new(p.cast()),
        size: Cell::new(map_size),
        pos: Cell::new(0),
        offset,
        fd: Cell::new(own_fd),
        access,
        exports: Cell::new(0),
    };
    Ok(alloc(cls.clone(), m))
}

fn mmap_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let m = data(vm, o)?;
    let ty = type_of(o);
    let name = type_data(&ty).name.clone();
    if !m.is_open() {
        return Ok(new_str(vm, &format!("<{name} closed=True>")));
    }
    let access = match m.access {
        ACCESS_READ => "ACCESS_READ",
        ACCESS_WRITE => "ACCESS_WRITE",
        ACCESS_COPY => "ACCESS_COPY",
        _ => "ACCESS_DEFAULT",
    };
    Ok(new_str(vm, &format!("<{name} closed=False, access={access}, length={}, pos={}, offset={}>", m.size.get(), m.pos.get(), m.offset)))
}

// ------------------------------------------------------------ methods

fn m_close(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "close", args, kw)?;
    let m = data(vm, this)?;
    if m.exports.get() > 0 {
        return Err(vm.new_error(&vm.types.buffer_error, "cannot close exported pointers exist"));
    }
    m.unmap();
    Ok(vm.none.clone())
}

fn m_enter(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__enter__", args, kw)?;
    valid(vm, this)?;
    Ok(this.clone())
}

fn m_exit(vm: &Vm, this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    m_close(vm, this, &[], &[])
}

/// `find`/`rfind(sub[, start[, end]])`: start defaults to the position.
fn find_impl(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, reverse: bool) -> PyResult<Obj> {
    let name = if reverse { "rfind" } else { "find" };
    let m = valid(vm, this)?;
    let [sub, start, end] = at_most::<3>(vm, name, 1, args, kw)?;
    let sub = bytes_arg(vm, sub.as_ref().unwrap_or(&vm.none))?;
    let mut start = match &start {
        Some(s) => to_isize(vm, s)?,
        None => m.pos.get() as isize,
    };
    let mut end = match &end {
        Some(e) => to_isize(vm, e)?,
        None => m.size.get() as isize,
    };
    check_open(vm, m)?;
    let size = m.size.get() as isize;
    for v in [&mut start, &mut end] {
        if *v < 0 {
            *v += size;
        }
        *v = (*v).clamp(0, size);
    }
    if end < start {
        return Ok(vm.int(-1));
    }
    let (s, e) = (start as usize, end as usize);
    let found = m.with_bytes(|b| {
        let hay = &b[s..e];
        if sub.len() > hay.len() {
            return None;
        }
        if reverse {
            (0..=hay.len() - sub.len()).rev().find(|&i| hay[i..i + sub.len()] == sub[..])
        } else if sub.is_empty() {
            Some(0)
        } else {
            hay.windows(sub.len()).position(|w| w == &sub[..])
        }
    });
    Ok(vm.int(found.map_or(-1, |i| (i + s) as i64)))
}

fn m_find(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    find_impl(vm, this, args, kw, false)
}

fn m_rfind(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    find_impl(vm, this, args, kw, true)
}

fn m_flush(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let m = valid(vm, this)?;
    let [offset, size] = at_most::<2>(vm, "flush", 0, args, kw)?;
    let offset = match &offset {
        Some(o) => to_isize(vm, o)?,
        None => 0,
    };
    let size = match &size {
        Some(s) => to_isize(vm, s)?,
        None => m.size.get() as isize,
    };
    if size < 0 || offset < 0 || (m.size.get() as isize) - offset < size {
        return Err(vm.new_error(&vm.types.value_error, "flush values out of range"));
    }
    if m.access == ACCESS_READ || m.access == ACCESS_COPY {
        return Ok(vm.none.clone());
    }
    check_open(vm, m)?;
    // SAFETY: `offset + size` lies within the live mapping (checked
    // above); msync only reads the range's page state.
    let r = unsafe { libc::msync(m.map.get().add(offset as usize).cast(), size as usize, libc::MS_SYNC) };
    if r == -1 {
        return Err(errno_error(vm));
    }
    Ok(vm.none.clone())
}

fn m_madvise(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let m = valid(vm, this)?;
    let [option, start, length] = at_most::<3>(vm, "madvise", 1, args, kw)?;
    let option = c_int_arg(vm, option.as_ref().unwrap_or(&vm.none))?;
    let start = match &start {
        Some(s) => to_isize(vm, s)?,
        None => 0,
    };
    let mut length = match &length {
        Some(l) => to_isize(vm, l)?,
        None => m.size.get() as isize,
    };
    let size = m.size.get() as isize;
    if start < 0 || start >= size {
        return Err(vm.new_error(&vm.types.value_error, "madvise start out of bounds"));
    }
    if length < 0 {
        return Err(vm.new_error(&vm.types.value_error, "madvise length invalid"));
    }
    if isize::MAX - start < length {
        return Err(vm.new_error(&vm.types.overflow_error, "madvise length too large"));
    }
    if start + length > size {
        length = size - start;
    }
    check_open(vm, m)?;
    // SAFETY: `[start, start + length)` lies within the live mapping;
    // madvise only gives the kernel advice about those pages.
    let r = unsafe { libc::madvise(m.map.get().add(start as usize).cast(), length as usize, option) };
    if r != 0 {
        return Err(errno_error(vm));
    }
    Ok(vm.none.clone())
}

fn m_move(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let m = valid(vm, this)?;
    let [dest, src, count] = exact::<3>(vm, "move", args, kw)?;
    let dest = to_isize(vm, &dest)?;
    let src = to_isize(vm, &src)?;
    let count = to_isize(vm, &count)?;
    check_writable(vm, m)?;
    let size = m.size.get() as isize;
    if dest < 0 || src < 0 || count < 0 || size - dest < count || size - src < count {
        return Err(vm.new_error(&vm.types.value_error, "source, destination, or count out of range"));
    }
    check_open(vm, m)?;
    m.move_within(dest as usize, src as usize, count as usize);
    Ok(vm.none.clone())
}

fn m_read(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let m = valid(vm, this)?;
    let [n] = at_most::<1>(vm, "read", 0, args, kw)?;
    let n = match &n {
        Some(n) if !n.is(&vm.none) => {
            if !is_index(n) {
                return Err(vm.type_error(format!("argument should be integer or None, not '{}'", type_name(n))));
            }
            to_isize(vm, n)?
        }
        _ => -1,
    };
    check_open(vm, m)?;
    let (pos, size) = (m.pos.get(), m.size.get());
    let remaining = size.saturating_sub(pos);
    let n = if n < 0 || n as usize > remaining { remaining } else { n as usize };
    let out = m.read(pos, n);
    m.pos.set(pos + n);
    Ok(new_bytes(vm, out))
}

fn m_read_byte(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "read_byte", args, kw)?;
    let m = valid(vm, this)?;
    let pos = m.pos.get();
    if pos >= m.size.get() {
        return Err(vm.new_error(&vm.types.value_error, "read byte out of range"));
    }
    let b = m.read(pos, 1);
    m.pos.set(pos + 1);
    Ok(vm.int(b.first().copied().unwrap_or(0) as i64))
}

fn m_readline(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "readline", args, kw)?;
    let m = valid(vm, this)?;
    let pos = m.pos.get();
    let line = m.with_bytes(|b| {
        if pos >= b.len() {
            return Vec::new();
        }
        let rest = &b[pos..];
        let n = rest.iter().position(|&c| c == b'\n').map_or(rest.len(), |i| i + 1);
        rest[..n].to_vec()
    });
    m.pos.set(pos + line.len());
    Ok(new_bytes(vm, line))
}

fn m_resize(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let m = valid(vm, this)?;
    let [new_size] = exact::<1>(vm, "resize", args, kw)?;
    let new_size = to_isize(vm, &new_size)?;
    check_open(vm, m)?;
    check_resizeable(vm, m)?;
    if new_size < 0 || (isize::MAX - new_size) < m.offset as isize {
        return Err(vm.new_error(&vm.types.value_error, "new size out of range"));
    }
    let fd = m.fd.get();
    if fd != -1 {
        sys::ftruncate(fd, m.offset + new_size as i64).map_err(|e| os_error(vm, e, None, None))?;
    }
    // SAFETY: moves the live mapping of `size` bytes (the kernel may
    // relocate it); on success the old address is no longer used.
    let p = unsafe { libc::mremap(m.map.get().cast(), m.size.get(), new_size as usize, libc::MREMAP_MAYMOVE) };
    if p == libc::MAP_FAILED {
        return Err(errno_error(vm));
    }
    m.map.set(p.cast());
    m.size.set(new_size as usize);
    Ok(vm.none.clone())
}

fn m_seek(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let m = valid(vm, this)?;
    let [dist, how] = at_most::<2>(vm, "seek", 1, args, kw)?;
    let dist = to_isize(vm, dist.as_ref().unwrap_or(&vm.none))?;
    let how = match &how {
        Some(h) => c_int_arg(vm, h)?,
        None => 0,
    };
    let out_of_range = || vm.new_error(&vm.types.value_error, "seek out of range");
    let base = match how {
        0 => 0,
        1 => m.pos.get() as isize,
        2 => m.size.get() as isize,
        _ => return Err(vm.new_error(&vm.types.value_error, "unknown seek type")),
    };
    let at = base.checked_add(dist).ok_or_else(out_of_range)?;
    if at < 0 || at as usize > m.size.get() {
        return Err(out_of_range());
    }
    m.pos.set(at as usize);
    Ok(vm.none.clone())
}

fn m_size(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "size", args, kw)?;
    // As in CPython 3.11, the size of the file, even for anonymous maps
    // (whose descriptor -1 gives EBADF).
    let m = valid(vm, this)?;
    let st = sys::fstat(m.fd.get()).map_err(|e| os_error(vm, e, None, None))?;
    Ok(vm.int(st.st_size))
}

fn m_tell(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "tell", args, kw)?;
    Ok(vm.int(valid(vm, this)?.pos.get() as i64))
}

fn m_write(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let m = valid(vm, this)?;
    let [b] = exact::<1>(vm, "write", args, kw)?;
    let b = bytes_arg(vm, &b)?;
    check_writable(vm, m)?;
    let (pos, size) = (m.pos.get(), m.size.get());
    if pos > size || size - pos < b.len() {
        return Err(vm.new_error(&vm.types.value_error, "data out of range"));
    }
    check_open(vm, m)?;
    m.write(pos, &b);
    m.pos.set(pos + b.len());
    Ok(vm.int(b.len() as i64))
}

fn m_write_byte(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let m = valid(vm, this)?;
    let [v] = exact::<1>(vm, "write_byte", args, kw)?;
    let v = int_arg(vm, &v)?;
    if v < 0 {
        return Err(vm.new_error(&vm.types.overflow_error, "unsigned byte integer is less than minimum"));
    }
    if v > 255 {
        return Err(vm.new_error(&vm.types.overflow_error, "unsigned byte integer is greater than maximum"));
    }
    check_open(vm, m)?;
    check_writable(vm, m)?;
    let pos = m.pos.get();
    if pos >= m.size.get() {
        return Err(vm.new_error(&vm.types.value_error, "write byte out of range"));
    }
    m.write(pos, &[v as u8]);
    m.pos.set(pos + 1);
    Ok(vm.none.clone())
}

fn m_len(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__len__", args, kw)?;
    Ok(vm.int(valid(vm, this)?.size.get() as i64))
}

/// An index into the map (`PyNumber_AsSsize_t(i, IndexError)`, negative
/// from the end), checked against the size.
fn item_index(vm: &Vm, m: &MmapData, key: &Obj) -> PyResult<usize> {
    let i = ops::index(vm, key)?;
    let i = match int_data(&i) {
        Some(taipan_vm::types::builtin::IntData::Small(v)) if isize::try_from(*v).is_ok() => *v as isize,
        _ => return Err(vm.new_error(&vm.types.index_error, format!("cannot fit '{}' into an index-sized integer", type_name(key)))),
    };
    let size = m.size.get() as isize;
    let i = if i < 0 { i + size } else { i };
    if i < 0 || i >= size {
        return Err(vm.new_error(&vm.types.index_error, "mmap index out of range"));
    }
    Ok(i as usize)
}

fn m_getitem(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key] = exact::<1>(vm, "__getitem__", args, kw)?;
    let m = valid(vm, this)?;
    if is_index(&key) {
        let i = item_index(vm, m, &key)?;
        check_open(vm, m)?;
        return Ok(vm.int(m.read(i, 1).first().copied().unwrap_or(0) as i64));
    }
    if let Some(s) = key.downcast::<SliceData>() {
        let (start, stop, step) = slice_indices(vm, s, m.size.get() as i64)?;
        check_open(vm, m)?;
        if step == 1 {
            let len = isize_to_usize((stop - start) as isize);
            return Ok(new_bytes(vm, m.read(start.max(0) as usize, len)));
        }
        let out = m.with_bytes(|b| slice_walk(start, stop, step).filter_map(|i| b.get(i).copied()).collect());
        return Ok(new_bytes(vm, out));
    }
    Err(vm.type_error("mmap indices must be integers"))
}

fn m_setitem(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key, value] = exact::<2>(vm, "__setitem__", args, kw)?;
    ass_subscript(vm, this, &key, Some(&value))
}

fn m_delitem(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key] = exact::<1>(vm, "__delitem__", args, kw)?;
    ass_subscript(vm, this, &key, None)
}

fn ass_subscript(vm: &Vm, this: &Obj, key: &Obj, value: Option<&Obj>) -> PyResult<Obj> {
    let m = valid(vm, this)?;
    check_writable(vm, m)?;
    if is_index(key) {
        let i = item_index(vm, m, key)?;
        let Some(value) = value else {
            return Err(vm.type_error("mmap doesn't support item deletion"));
        };
        if !is_index(value) {
            return Err(vm.type_error("mmap item value must be an int"));
        }
        let v = to_isize(vm, value)?;
        if !(0..=255).contains(&v) {
            return Err(vm.new_error(&vm.types.value_error, "mmap item value must be in range(0, 256)"));
        }
        check_open(vm, m)?;
        m.write(i, &[v as u8]);
        return Ok(vm.none.clone());
    }
    if let Some(s) = key.downcast::<SliceData>() {
        let (start, stop, step) = slice_indices(vm, s, m.size.get() as i64)?;
        let Some(value) = value else {
            return Err(vm.type_error("mmap object doesn't support slice deletion"));
        };
        let src = bytes_arg(vm, value)?;
        let positions: Vec<usize> = slice_walk(start, stop, step).collect();
        if src.len() != positions.len() {
            return Err(vm.new_error(&vm.types.index_error, "mmap slice assignment is wrong size"));
        }
        check_open(vm, m)?;
        if step == 1 {
            if let Some(&first) = positions.first() {
                m.write(first, &src);
            }
        } else {
            for (p, b) in positions.into_iter().zip(src) {
                m.write(p, &[b]);
            }
        }
        return Ok(vm.none.clone());
    }
    Err(vm.type_error("mmap indices must be integer"))
}

static METHODS: &[MethodDef] = &[
    MethodDef::method("close", m_close, ""),
    MethodDef::method("find", m_find, ""),
    MethodDef::method("rfind", m_rfind, ""),
    MethodDef::method("flush", m_flush, ""),
    MethodDef::method("madvise", m_madvise, ""),
    MethodDef::method("move", m_move, ""),
    MethodDef::method("read", m_read, ""),
    MethodDef::method("read_byte", m_read_byte, ""),
    MethodDef::method("readline", m_readline, ""),
    MethodDef::method("resize", m_resize, ""),
    MethodDef::method("seek", m_seek, ""),
    MethodDef::method("size", m_size, ""),
    MethodDef::method("tell", m_tell, ""),
    MethodDef::method("write", m_write, ""),
    MethodDef::method("write_byte", m_write_byte, ""),
    MethodDef::method("__enter__", m_enter, ""),
    MethodDef::method("__exit__", m_exit, ""),
    MethodDef::method("__len__", m_len, "Return len(self)."),
    MethodDef::method("__getitem__", m_getitem, "Return self[key]."),
    MethodDef::method("__setitem__", m_setitem, "Set self[key] to value."),
    MethodDef::method("__delitem__", m_delitem, "Delete self[key]."),
];

static GETSETS: &[GetSetDef] = &[GetSetDef::readonly("closed", |vm, o| Ok(vm.bool(!data(vm, o)?.is_open())), "")];

// ------------------------------------------------------------ iterator

/// `iter(m)`: CPython iterates an mmap through its sequence `sq_item`,
/// which gives 1-byte `bytes` (unlike `m[i]`, an int).
pub struct MmapIter {
    map: Obj,
    index: Cell<usize>,
}

fn iter_type(vm: &Vm) -> Obj {
    vm.native_type("mmap.iterator", |vm| {
        let slots = Slots {
            new: Some(|vm, _cls, _a, _kw| Err(vm.type_error("cannot create 'iterator' instances"))),
            iter: Some(|_vm, o| Ok(o.clone())),
            next: Some(|vm, o| {
                let Some(it) = o.downcast::<MmapIter>() else { return Ok(None) };
                let i = it.index.get();
                if i == usize::MAX {
                    return Ok(None);
                }
                let m = valid(vm, &it.map)?;
                if i >= m.size.get() {
                    it.index.set(usize::MAX);
                    return Ok(None);
                }
                it.index.set(i + 1);
                Ok(Some(new_bytes(vm, m.read(i, 1))))
            }),
            traverse: Some(|o, visit| {
                if let Some(it) = o.downcast::<MmapIter>() {
                    visit(&it.map);
                }
            }),
            ..object_slots()
        };
        new_type::<MmapIter>(vm, "iterator", &[], true, slots, &[], &[])
    })
}
