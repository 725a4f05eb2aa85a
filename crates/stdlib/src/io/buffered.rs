//! `_io.BufferedReader`, `BufferedWriter`, `BufferedRandom` (one payload,
//! three personalities) and `BufferedRWPair`: a byte buffer in front of
//! a raw stream, reached through the raw object's methods.
//!
//! Invariant: at most one of the read buffer (bytes read ahead from the
//! raw stream, `read_pos` of them consumed) and the write buffer (bytes not
//! yet written to the raw stream) is non-empty; the logical position is
//! the raw position minus the unread bytes plus the pending ones.

use std::cell::{Cell, RefCell};

use taipan_vm::native::{bind, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{self, new_bytes, new_str, type_name};
use taipan_vm::types::{Kwargs, Slots};
use taipan_vm::{PyErr, PyResult, Vm};

use super::{attr, int_arg, meth, size_arg, truth, unsupported};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Reader,
    Writer,
    Random,
}

pub struct BufferedData {
    kind: Cell<Kind>,
    raw: RefCell<Option<Obj>>,
    ok: Cell<bool>,
    detached: Cell<bool>,
    buffer_size: Cell<usize>,
    read_buf: RefCell<Vec<u8>>,
    read_pos: Cell<usize>,
    write_buf: RefCell<Vec<u8>>,
}

impl BufferedData {
    fn new(kind: Kind) -> BufferedData {
        BufferedData {
            kind: Cell::new(kind),
            raw: RefCell::new(None),
            ok: Cell::new(false),
            detached: Cell::new(false),
            buffer_size: Cell::new(super::DEFAULT_BUFFER_SIZE),
            read_buf: RefCell::new(Vec::new()),
            read_pos: Cell::new(0),
            write_buf: RefCell::new(Vec::new()),
        }
    }
    fn readable(&self) -> bool {
        self.kind.get() != Kind::Writer
    }
    fn writable(&self) -> bool {
        self.kind.get() != Kind::Reader
    }
    fn unread(&self) -> usize {
        self.read_buf.borrow().len() - self.read_pos.get()
    }
}

fn traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(d) = o.downcast::<BufferedData>() {
        if let Ok(r) = d.raw.try_borrow() {
            if let Some(r) = &*r {
                visit(r);
            }
        }
    }
}

fn clear(o: &Obj) {
    if let Some(d) = o.downcast::<BufferedData>() {
        if let Ok(mut r) = d.raw.try_borrow_mut() {
            let old = r.take();
            drop(r);
            drop(old);
        }
    }
}

fn make(vm: &Vm, name: &'static str, kind: Kind, methods: &'static [MethodDef]) -> Obj {
    let base = super::bufferediobase_type(vm);
    let new: taipan_vm::types::CallFn = match kind {
        Kind::Reader => |_vm, cls, _a, _k| Ok(alloc(cls.clone(), BufferedData::new(Kind::Reader))),
        Kind::Writer => |_vm, cls, _a, _k| Ok(alloc(cls.clone(), BufferedData::new(Kind::Writer))),
        Kind::Random => |_vm, cls, _a, _k| Ok(alloc(cls.clone(), BufferedData::new(Kind::Random))),
    };
    let slots = Slots {
        new: Some(new),
        init: Some(buffered_init),
        repr: Some(buffered_repr),
        traverse: Some(traverse),
        clear: Some(clear),
        finalize: Some(super::iobase::iobase_finalize),
        ..Slots::default()
    };
    taipan_vm::native::new_type_with_dict::<BufferedData>(vm, name, &[&base], slots, methods, GETSETS)
}

pub(crate) fn reader_type(vm: &Vm) -> Obj {
    vm.native_type("_io.BufferedReader", |vm| make(vm, "_io.BufferedReader", Kind::Reader, READER_METHODS))
}
pub(crate) fn writer_type(vm: &Vm) -> Obj {
    vm.native_type("_io.BufferedWriter", |vm| make(vm, "_io.BufferedWriter", Kind::Writer, WRITER_METHODS))
}
pub(crate) fn random_type(vm: &Vm) -> Obj {
    vm.native_type("_io.BufferedRandom", |vm| make(vm, "_io.BufferedRandom", Kind::Random, RANDOM_METHODS))
}

fn data<'a>(vm: &Vm, this: &'a Obj) -> PyResult<&'a BufferedData> {
    this.downcast::<BufferedData>().ok_or_else(|| vm.type_error("buffered method called on another object"))
}

/// The payload and the raw stream, checking initialisation/detachment.
fn raw<'a>(vm: &Vm, this: &'a Obj) -> PyResult<(&'a BufferedData, Obj)> {
    let d = data(vm, this)?;
    if d.detached.get() {
        return Err(vm.new_error(&vm.types.value_error, "raw stream has been detached"));
    }
    match (&*d.raw.borrow(), d.ok.get()) {
        (Some(r), true) => Ok((d, r.clone())),
        _ => Err(vm.new_error(&vm.types.value_error, "I/O operation on uninitialized object")),
    }
}

static READER_PARAMS: Params = Params { fname: "BufferedReader", names: &["raw", "buffer_size"], posonly: 0, kwonly: 0, required: 1 };
static WRITER_PARAMS: Params = Params { fname: "BufferedWriter", names: &["raw", "buffer_size"], posonly: 0, kwonly: 0, required: 1 };
static RANDOM_PARAMS: Params = Params { fname: "BufferedRandom", names: &["raw", "buffer_size"], posonly: 0, kwonly: 0, required: 1 };

/// Buffer sizes above this cannot be allocated (CPython's `PyMem_Malloc`
/// fails with MemoryError).
const MAX_BUFFER_SIZE: i64 = 1 << 48;

fn buffered_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let d = data(vm, this)?;
    let params = match d.kind.get() {
        Kind::Reader => &READER_PARAMS,
        Kind::Writer => &WRITER_PARAMS,
        Kind::Random => &RANDOM_PARAMS,
    };
    let [rawobj, size] = bind::<2>(vm, params, args, kw)?;
    d.ok.set(false);
    d.detached.set(false);
    let rawobj = rawobj.unwrap_or_else(|| vm.none.clone());
    if d.readable() {
        super::iobase::check_readable(vm, &rawobj)?;
    }
    if d.writable() {
        super::iobase::check_writable(vm, &rawobj)?;
    }
    if d.kind.get() == Kind::Random {
        super::iobase::check_seekable(vm, &rawobj)?;
    }
    let size = match size {
        Some(s) => int_arg(vm, &s)?,
        None => super::DEFAULT_BUFFER_SIZE as i64,
    };
    if size <= 0 {
        return Err(vm.new_error(&vm.types.value_error, "buffer size must be strictly positive"));
    }
    if size > MAX_BUFFER_SIZE {
        return Err(PyErr { exc: builtin::new_exception(vm, &vm.types.memory_error, Vec::new()) });
    }
    d.buffer_size.set(size as usize);
    *d.raw.borrow_mut() = Some(rawobj);
    d.read_buf.borrow_mut().clear();
    d.read_pos.set(0);
    d.write_buf.borrow_mut().clear();
    d.ok.set(true);
    Ok(vm.none.clone())
}

fn buffered_repr(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    let tn = taipan_vm::types::type_data(&taipan_vm::types::type_of(this)).name.to_string();
    let full = match tn.as_str() {
        "BufferedReader" | "BufferedWriter" | "BufferedRandom" => format!("_io.{tn}"),
        _ => tn,
    };
    let name = match taipan_vm::classes::getattr_opt(vm, this, &vm.intern("name")) {
        Ok(n) => n,
        Err(e) if taipan_vm::types::is_subtype(&taipan_vm::types::type_of(&e.exc), &vm.types.value_error) => None,
        Err(e) => return Err(e),
    };
    Ok(new_str(
        vm,
        &match name {
            Some(n) => format!("<{full} name={}>", builtin::repr_string(vm, &n)?),
            None => format!("<{full}>"),
        },
    ))
}

fn is_closed(vm: &Vm, raw: &Obj) -> PyResult<bool> {
    let c = attr(vm, raw, "closed")?;
    truth(vm, &c)
}

fn closed_check(vm: &Vm, raw: &Obj, what: &str) -> PyResult<()> {
    if is_closed(vm, raw)? {
        return Err(vm.new_error(&vm.types.value_error, format!("{what} of closed file")));
    }
    Ok(())
}

/// Writes the whole write buffer to the raw stream.
fn flush_writes(vm: &Vm, d: &BufferedData, raw: &Obj) -> PyResult<()> {
    loop {
        let pending = std::mem::take(&mut *d.write_buf.borrow_mut());
        if pending.is_empty() {
            return Ok(());
        }
        let n = match raw_write(vm, raw, &pending) {
            Ok(Some(n)) => n,
            Ok(None) => {
                *d.write_buf.borrow_mut() = pending;
                return Err(blocking_error(vm, 0)?);
            }
            Err(e) => {
                *d.write_buf.borrow_mut() = pending;
                return Err(e);
            }
        };
        {
            let mut w = d.write_buf.borrow_mut();
            let rest = pending[n as usize..].to_vec();
            let newer = std::mem::take(&mut *w);
            *w = rest;
            w.extend(newer);
        }
        // A write cut short by a signal succeeds partially: its handler
        // runs before the next write blocks, perhaps for good (an
        // exception it raises leaves the rest buffered).
        taipan_vm::signals::run_pending(vm)?;
    }
}

/// `raw.write(data)`: the count written (checked), None when a
/// non-blocking stream would block.
fn raw_write(vm: &Vm, raw: &Obj, data: &[u8]) -> PyResult<Option<usize>> {
    let r = meth(vm, raw, "write", &[new_bytes(vm, data.to_vec())])?;
    if r.is(&vm.none) {
        return Ok(None);
    }
    let n = int_arg(vm, &r)?;
    if n < 0 || n as usize > data.len() {
        return Err(vm.new_error(
            &vm.types.os_error,
            format!("raw write() returned invalid length {n} (should have been between 0 and {})", data.len()),
        ));
    }
    Ok(Some(n as usize))
}

/// `BlockingIOError(EAGAIN, ..., written)`: `written` bytes of the call
/// were taken (written or buffered).
fn blocking_error(vm: &Vm, written: usize) -> PyResult<PyErr> {
    let cls = vm.exception_type("BlockingIOError").unwrap_or_else(|| vm.types.os_error.clone());
    let args = [vm.int(libc::EAGAIN as i64), new_str(vm, "write could not complete without blocking"), vm.int(written as i64)];
    Ok(PyErr { exc: taipan_vm::classes::call_object(vm, &cls, &args)? })
}

fn is_blocking_error(vm: &Vm, e: &PyErr) -> bool {
    vm.exception_type("BlockingIOError").is_some_and(|t| taipan_vm::types::is_subtype(&taipan_vm::types::type_of(&e.exc), &t))
}

/// Drops the read-ahead, moving the raw stream back to the logical
/// position (before a write or a raw-level operation).
fn drop_read_ahead(vm: &Vm, d: &BufferedData, raw: &Obj) -> PyResult<()> {
    let unread = d.unread();
    d.read_buf.borrow_mut().clear();
    d.read_pos.set(0);
    if unread > 0 {
        meth(vm, raw, "seek", &[vm.int(-(unread as i64)), vm.int(1)])?;
    }
    Ok(())
}

/// Reads up to `n` bytes from the raw stream: `None` if it would block.
fn raw_read(vm: &Vm, raw: &Obj, n: usize) -> PyResult<Option<Vec<u8>>> {
    if let Some(f) = raw.downcast::<super::fileio::FileIOData>() {
        let exact = taipan_vm::types::type_of(raw).is(&super::fileio::fileio_type(vm));
        let fd = f.fd.get();
        if exact && fd >= 0 {
            let mut buf = vec![0u8; n];
            return match taipan_vm::signals::retry_eintr(vm, || super::sys::read(fd, &mut buf))? {
                Ok(got) => {
                    buf.truncate(got);
                    Ok(Some(buf))
                }
                Err(e) if e.raw_os_error() == Some(libc::EAGAIN) => Ok(None),
                Err(e) => Err(super::os_error(vm, e, None)),
            };
        }
    }
    // `raw.readinto(memoryview)`, its count checked as CPython's
    // `_bufferedreader_raw_read` does.
    let target = builtin::new_bytearray(vm, vec![0u8; n]);
    let view = taipan_vm::classes::call_object(vm, &vm.types.memoryview, std::slice::from_ref(&target))?;
    let r = meth(vm, raw, "readinto", std::slice::from_ref(&view));
    let _ = meth(vm, &view, "release", &[]);
    let r = r?;
    if r.is(&vm.none) {
        return Ok(None);
    }
    let got = match taipan_vm::ops::index(vm, &r).and_then(|i| builtin::expect_int(vm, &i, "")) {
        Ok(k) => k,
        Err(e) => {
            let err = vm.new_error(&vm.types.os_error, "raw readinto() failed");
            if let Some(x) = builtin::exception_data(&err.exc) {
                *x.cause.borrow_mut() = Some(e.exc);
                x.suppress_context.set(true);
            }
            return Err(err);
        }
    };
    if got < 0 || got as usize > n {
        return Err(
            vm.new_error(&vm.types.os_error, format!("raw readinto() returned invalid length {got} (should have been between 0 and {n})"))
        );
    }
    let mut bytes = builtin::as_buffer(&target).map(|b| b.into_owned()).unwrap_or_default();
    bytes.truncate(got as usize);
    Ok(Some(bytes))
}

/// Takes up to `n` unread bytes from the read buffer.
fn take_buffered(d: &BufferedData, n: usize) -> Vec<u8> {
    let buf = d.read_buf.borrow();
    let pos = d.read_pos.get();
    let k = n.min(buf.len() - pos);
    let out = buf[pos..pos + k].to_vec();
    d.read_pos.set(pos + k);
    out
}

/// Refills the read buffer with one raw read; false at EOF (or would block).
fn fill(vm: &Vm, d: &BufferedData, raw: &Obj) -> PyResult<Option<bool>> {
    let Some(chunk) = raw_read(vm, raw, d.buffer_size.get())? else { return Ok(None) };
    let mut buf = d.read_buf.borrow_mut();
    let pos = d.read_pos.get();
    buf.drain(..pos);
    d.read_pos.set(0);
    let got = !chunk.is_empty();
    buf.extend_from_slice(&chunk);
    Ok(Some(got))
}

fn prepare_read<'a>(vm: &Vm, this: &'a Obj, what: &str) -> PyResult<(&'a BufferedData, Obj)> {
    let (d, raw) = raw(vm, this)?;
    if !d.readable() {
        return Err(unsupported(vm, what));
    }
    closed_check(vm, &raw, what)?;
    if !d.write_buf.borrow().is_empty() {
        flush_writes(vm, d, &raw)?;
    }
    Ok((d, raw))
}

fn m_read(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [size] = taipan_vm::native::at_most::<1>(vm, "read", 0, args, kw)?;
    let n = size_arg(vm, size)?;
    if n < -1 {
        return Err(vm.new_error(&vm.types.value_error, "read length must be non-negative or -1"));
    }
    let (d, raw) = prepare_read(vm, this, "read")?;
    let mut out = take_buffered(d, if n < 0 { usize::MAX } else { n as usize });
    if n < 0 {
        d.read_buf.borrow_mut().clear();
        d.read_pos.set(0);
        loop {
            let r = if out.is_empty() && taipan_vm::classes::getattr_opt(vm, &raw, &vm.intern("readall"))?.is_some() {
                let r = meth(vm, &raw, "readall", &[])?;
                if r.is(&vm.none) {
                    return Ok(r);
                }
                let b = builtin::as_buffer(&r).map(|b| b.into_owned()).unwrap_or_default();
                return Ok(new_bytes(vm, b));
            } else {
                raw_read(vm, &raw, d.buffer_size.get().max(super::DEFAULT_BUFFER_SIZE))?
            };
            match r {
                None if out.is_empty() => return Ok(vm.none.clone()),
                None => break,
                Some(c) if c.is_empty() => break,
                Some(c) => out.extend(c),
            }
        }
        return Ok(new_bytes(vm, out));
    }
    let n = n as usize;
    while out.len() < n {
        match fill(vm, d, &raw)? {
            None if out.is_empty() => return Ok(vm.none.clone()),
            Some(true) => out.extend(take_buffered(d, n - out.len())),
            _ => break,
        }
    }
    Ok(new_bytes(vm, out))
}

fn m_read1(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [size] = taipan_vm::native::at_most::<1>(vm, "read1", 0, args, kw)?;
    let n = size_arg(vm, size)?;
    let (d, raw) = prepare_read(vm, this, "read of closed file")?;
    let n = if n < 0 { d.buffer_size.get() } else { n as usize };
    if n == 0 {
        return Ok(new_bytes(vm, Vec::new()));
    }
    if d.unread() == 0 {
        fill(vm, d, &raw)?;
    }
    Ok(new_bytes(vm, take_buffered(d, n)))
}

fn m_peek(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [_size] = taipan_vm::native::at_most::<1>(vm, "peek", 0, args, kw)?;
    let (d, raw) = prepare_read(vm, this, "peek")?;
    if d.unread() == 0 {
        fill(vm, d, &raw)?;
    }
    let buf = d.read_buf.borrow();
    Ok(new_bytes(vm, buf[d.read_pos.get()..].to_vec()))
}

fn m_readinto_impl(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, one: bool) -> PyResult<Obj> {
    let [b] = taipan_vm::native::exact::<1>(vm, if one { "readinto1" } else { "readinto" }, args, kw)?;
    let n = super::writable_len(vm, &b)?;
    let data = if one { m_read1(vm, this, &[vm.int(n as i64)], &[])? } else { m_read(vm, this, &[vm.int(n as i64)], &[])? };
    if data.is(&vm.none) {
        return Ok(data);
    }
    let bytes = builtin::bytes_data(&data).unwrap_or(&[]);
    super::write_into(vm, &b, bytes)?;
    Ok(vm.int(bytes.len() as i64))
}
fn m_readinto(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    m_readinto_impl(vm, this, args, kw, false)
}
/// `readinto1(b)`: the buffered bytes, then at most one raw read: straight
/// into `b` when what is missing exceeds the buffer size, else through the
/// buffer only if nothing was buffered.
fn m_readinto1(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [b] = taipan_vm::native::exact::<1>(vm, "readinto1", args, kw)?;
    let n = super::writable_len(vm, &b)?;
    let (d, raw) = prepare_read(vm, this, "read of closed file")?;
    let mut out = take_buffered(d, n);
    let remaining = n - out.len();
    if remaining > 0 {
        if remaining > d.buffer_size.get() {
            match raw_read(vm, &raw, remaining)? {
                Some(chunk) => out.extend_from_slice(&chunk),
                None if out.is_empty() => return Ok(vm.none.clone()),
                None => {}
            }
        } else if out.is_empty() {
            if fill(vm, d, &raw)?.is_none() {
                return Ok(vm.none.clone());
            }
            out = take_buffered(d, remaining);
        }
    }
    super::write_into(vm, &b, &out)?;
    Ok(vm.int(out.len() as i64))
}

fn m_readline(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [size] = taipan_vm::native::at_most::<1>(vm, "readline", 0, args, kw)?;
    let limit = size_arg(vm, size)?;
    let (d, raw) = prepare_read(vm, this, "readline")?;
    let limit = if limit < 0 { usize::MAX } else { limit as usize };
    let mut out = Vec::new();
    loop {
        {
            let buf = d.read_buf.borrow();
            let pos = d.read_pos.get();
            let avail = &buf[pos..];
            let want = limit - out.len();
            let end = match avail.iter().position(|&c| c == b'\n') {
                Some(i) if i < want => Some(i + 1),
                _ => None,
            };
            let take = end.unwrap_or(avail.len()).min(want);
            out.extend_from_slice(&avail[..take]);
            d.read_pos.set(pos + take);
            if end.is_some() || out.len() >= limit {
                break;
            }
        }
        match fill(vm, d, &raw)? {
            Some(true) => {}
            _ => break,
        }
    }
    Ok(new_bytes(vm, out))
}

fn m_write(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [b] = taipan_vm::native::exact::<1>(vm, "write", args, kw)?;
    let (d, raw) = raw(vm, this)?;
    if !d.writable() {
        return Err(unsupported(vm, "write"));
    }
    let Some(data) = builtin::as_buffer(&b) else {
        return Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(&b))));
    };
    if is_closed(vm, &raw)? {
        return Err(vm.new_error(&vm.types.value_error, "write to closed file"));
    }
    if d.unread() > 0 || !d.read_buf.borrow().is_empty() {
        drop_read_ahead(vm, d, &raw)?;
    }
    // As CPython's `BufferedWriter.write`: what fits is buffered; else the
    // buffer is flushed and the data written straight through while more
    // than a buffer's worth is left. On a non-blocking stream that would
    // block, as much as fits is buffered and BlockingIOError reports how
    // many of the bytes were taken.
    let n = data.len();
    let size = d.buffer_size.get();
    if d.write_buf.borrow().len() + n <= size {
        d.write_buf.borrow_mut().extend_from_slice(&data);
        return Ok(vm.int(n as i64));
    }
    if let Err(e) = flush_writes(vm, d, &raw) {
        if !is_blocking_error(vm, &e) {
            return Err(e);
        }
        let avail = size.saturating_sub(d.write_buf.borrow().len());
        if n <= avail {
            d.write_buf.borrow_mut().extend_from_slice(&data);
            return Ok(vm.int(n as i64));
        }
        d.write_buf.borrow_mut().extend_from_slice(&data[..avail]);
        return Err(blocking_error(vm, avail)?);
    }
    let mut written = 0;
    while n - written > size {
        match raw_write(vm, &raw, &data[written..])? {
            Some(k) => written += k,
            None => {
                d.write_buf.borrow_mut().extend_from_slice(&data[written..written + size]);
                return Err(blocking_error(vm, written + size)?);
            }
        }
        taipan_vm::signals::run_pending(vm)?;
    }
    d.write_buf.borrow_mut().extend_from_slice(&data[written..]);
    Ok(vm.int(n as i64))
}

fn m_flush(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "flush", args, kw)?;
    let (d, raw) = raw(vm, this)?;
    if d.writable() {
        if is_closed(vm, &raw)? {
            return Err(vm.new_error(&vm.types.value_error, "flush of closed file"));
        }
        flush_writes(vm, d, &raw)?;
        if d.kind.get() == Kind::Random {
            drop_read_ahead(vm, d, &raw)?;
        }
        let _ = taipan_vm::classes::getattr_opt(vm, &raw, &vm.intern("flush"))?
            .map(|f| taipan_vm::classes::call_object(vm, &f, &[]))
            .transpose()?;
    } else if is_closed(vm, &raw)? {
        return Err(vm.new_error(&vm.types.value_error, "flush of closed file"));
    }
    Ok(vm.none.clone())
}

fn m_close(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "close", args, kw)?;
    let (d, raw) = raw(vm, this)?;
    if is_closed(vm, &raw)? {
        return Ok(vm.none.clone());
    }
    super::iobase::forward_dealloc_warn(vm, this, &raw);
    let r = meth(vm, this, "flush", &[]).map(drop);
    d.read_buf.borrow_mut().clear();
    d.read_pos.set(0);
    let c = meth(vm, &raw, "close", &[]);
    match (r, c) {
        (Err(e), Ok(_)) => Err(e),
        (Err(e1), Err(e2)) => {
            if let Some(x) = builtin::exception_data(&e2.exc) {
                *x.context.borrow_mut() = Some(e1.exc);
            }
            Err(e2)
        }
        (Ok(()), c) => c.map(|_| vm.none.clone()),
    }
}

fn m_detach(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "detach", args, kw)?;
    let (_, raw) = raw(vm, this)?;
    meth(vm, this, "flush", &[])?;
    let d = data(vm, this)?;
    d.detached.set(true);
    d.ok.set(false);
    d.raw.borrow_mut().take();
    Ok(raw)
}

/// The logical position.
fn tell(vm: &Vm, d: &BufferedData, raw: &Obj) -> PyResult<i64> {
    let r = meth(vm, raw, "tell", &[])?;
    let pos = int_arg(vm, &r)?;
    if pos < 0 {
        return Err(vm.new_error(&vm.types.os_error, format!("Raw stream returned invalid position {pos}")));
    }
    Ok((pos - d.unread() as i64 + d.write_buf.borrow().len() as i64).max(0))
}

fn m_tell(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "tell", args, kw)?;
    let (d, raw) = raw(vm, this)?;
    Ok(vm.int(tell(vm, d, &raw)?))
}

fn m_seek(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [target, whence] = taipan_vm::native::at_most::<2>(vm, "seek", 1, args, kw)?;
    let (d, raw) = raw(vm, this)?;
    let target = target.unwrap_or_else(|| vm.none.clone());
    let whence = match whence {
        Some(w) => int_arg(vm, &w)?,
        None => 0,
    };
    if !(0..=2).contains(&whence) {
        return Err(vm.new_error(&vm.types.value_error, format!("whence value {whence} unsupported")));
    }
    closed_check(vm, &raw, "seek")?;
    super::iobase::check_seekable(vm, &raw)?;
    let mut pos = int_arg(vm, &target)?;
    flush_writes(vm, d, &raw)?;
    if whence == 1 {
        pos -= d.unread() as i64;
    }
    d.read_buf.borrow_mut().clear();
    d.read_pos.set(0);
    let r = meth(vm, &raw, "seek", &[vm.int(pos), vm.int(whence)])?;
    let n = int_arg(vm, &r)?;
    if n < 0 {
        return Err(vm.new_error(&vm.types.os_error, format!("Raw stream returned invalid position {n}")));
    }
    Ok(vm.int(n))
}

fn m_truncate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [pos] = taipan_vm::native::at_most::<1>(vm, "truncate", 0, args, kw)?;
    let (d, raw) = raw(vm, this)?;
    if !d.writable() {
        return Err(unsupported(vm, "truncate"));
    }
    closed_check(vm, &raw, "truncate")?;
    flush_writes(vm, d, &raw)?;
    let pos = match pos.filter(|p| !p.is(&vm.none)) {
        Some(p) => p,
        None => vm.int(tell(vm, d, &raw)?),
    };
    drop_read_ahead(vm, d, &raw)?;
    meth(vm, &raw, "truncate", &[pos])
}

fn delegate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, name: &str) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, name, args, kw)?;
    let (_, raw) = raw(vm, this)?;
    meth(vm, &raw, name, &[])
}
fn m_seekable(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    delegate(vm, this, args, kw, "seekable")
}
fn m_readable(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    delegate(vm, this, args, kw, "readable")
}
fn m_writable(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    delegate(vm, this, args, kw, "writable")
}
fn m_fileno(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    delegate(vm, this, args, kw, "fileno")
}
fn m_isatty(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    delegate(vm, this, args, kw, "isatty")
}
fn m_getstate(vm: &Vm, this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    Err(vm.type_error(format!("cannot pickle '{}' object", type_name(this))))
}

/// `_dealloc_warn(source)`: passed on to the raw stream, if it has one.
fn m_dealloc_warn(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [source] = taipan_vm::native::exact::<1>(vm, "_dealloc_warn", args, kw)?;
    if let Some(raw) = this.downcast::<BufferedData>().and_then(|d| d.raw.borrow().clone()) {
        if taipan_vm::classes::getattr_opt(vm, &raw, &vm.intern("_dealloc_warn"))?.is_some() {
            meth(vm, &raw, "_dealloc_warn", &[source])?;
        }
    }
    Ok(vm.none.clone())
}

macro_rules! common_methods {
    ($($extra:expr),* $(,)?) => {
        &[
            $($extra,)*
            MethodDef::method("detach", m_detach, ""),
            MethodDef::method("flush", m_flush, ""),
            MethodDef::method("close", m_close, ""),
            MethodDef::method("_dealloc_warn", m_dealloc_warn, ""),
            MethodDef::method("seekable", m_seekable, ""),
            MethodDef::method("fileno", m_fileno, ""),
            MethodDef::method("isatty", m_isatty, ""),
            MethodDef::method("seek", m_seek, ""),
            MethodDef::method("tell", m_tell, ""),
            MethodDef::method("truncate", m_truncate, ""),
            MethodDef::method("__getstate__", m_getstate, ""),
        ]
    };
}

// A reader has no `writable` and a writer no `readable` of their own:
// `_IOBase`'s answer False, whatever the raw stream says.
static READER_METHODS: &[MethodDef] = common_methods!(
    MethodDef::method("readable", m_readable, ""),
    MethodDef::method("read", m_read, ""),
    MethodDef::method("read1", m_read1, ""),
    MethodDef::method("peek", m_peek, ""),
    MethodDef::method("readinto", m_readinto, ""),
    MethodDef::method("readinto1", m_readinto1, ""),
    MethodDef::method("readline", m_readline, ""),
);
static WRITER_METHODS: &[MethodDef] =
    common_methods!(MethodDef::method("writable", m_writable, ""), MethodDef::method("write", m_write, ""));
static RANDOM_METHODS: &[MethodDef] = common_methods!(
    MethodDef::method("readable", m_readable, ""),
    MethodDef::method("writable", m_writable, ""),
    MethodDef::method("read", m_read, ""),
    MethodDef::method("read1", m_read1, ""),
    MethodDef::method("peek", m_peek, ""),
    MethodDef::method("readinto", m_readinto, ""),
    MethodDef::method("readinto1", m_readinto1, ""),
    MethodDef::method("readline", m_readline, ""),
    MethodDef::method("write", m_write, ""),
);

fn g_raw(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(raw(vm, this)?.1)
}
fn g_closed(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    attr(vm, &raw(vm, this)?.1, "closed")
}
fn g_name(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    attr(vm, &raw(vm, this)?.1, "name")
}
fn g_mode(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    attr(vm, &raw(vm, this)?.1, "mode")
}

static GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("raw", g_raw, ""),
    GetSetDef::readonly("closed", g_closed, ""),
    GetSetDef::readonly("name", g_name, ""),
    GetSetDef::readonly("mode", g_mode, ""),
];

// ------------------------------------------------------- BufferedRWPair

pub struct RWPairData {
    reader: RefCell<Option<Obj>>,
    writer: RefCell<Option<Obj>>,
}

pub(crate) fn rwpair_type(vm: &Vm) -> Obj {
    vm.native_type("_io.BufferedRWPair", |vm| {
        let base = super::bufferediobase_type(vm);
        let slots = Slots {
            new: Some(|_vm, cls, _a, _k| Ok(alloc(cls.clone(), RWPairData { reader: RefCell::new(None), writer: RefCell::new(None) }))),
            init: Some(rwpair_init),
            traverse: Some(|o, visit| {
                if let Some(d) = o.downcast::<RWPairData>() {
                    for c in [&d.reader, &d.writer] {
                        if let Ok(c) = c.try_borrow() {
                            if let Some(x) = &*c {
                                visit(x);
                            }
                        }
                    }
                }
            }),
            finalize: Some(super::iobase::iobase_finalize),
            ..Slots::default()
        };
        taipan_vm::native::new_type_with_dict::<RWPairData>(vm, "_io.BufferedRWPair", &[&base], slots, RWPAIR_METHODS, RWPAIR_GETSETS)
    })
}

fn rwpair_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "BufferedRWPair", names: &["reader", "writer", "buffer_size"], posonly: 3, kwonly: 0, required: 2 };
    let [r, w, size] = bind::<3>(vm, &P, args, kw)?;
    let size = size.unwrap_or_else(|| vm.int(super::DEFAULT_BUFFER_SIZE as i64));
    let (r, w) = (r.unwrap_or_else(|| vm.none.clone()), w.unwrap_or_else(|| vm.none.clone()));
    super::iobase::check_readable(vm, &r)?;
    super::iobase::check_writable(vm, &w)?;
    let reader = taipan_vm::classes::call_object(vm, &reader_type(vm), &[r, size.clone()])?;
    let writer = taipan_vm::classes::call_object(vm, &writer_type(vm), &[w, size])?;
    let Some(d) = this.downcast::<RWPairData>() else { return Err(vm.type_error("BufferedRWPair expected")) };
    *d.reader.borrow_mut() = Some(reader);
    *d.writer.borrow_mut() = Some(writer);
    Ok(vm.none.clone())
}

fn pair(vm: &Vm, this: &Obj, reader: bool) -> PyResult<Obj> {
    let Some(d) = this.downcast::<RWPairData>() else { return Err(vm.type_error("BufferedRWPair expected")) };
    let c = if reader { d.reader.borrow() } else { d.writer.borrow() };
    c.clone().ok_or_else(|| vm.new_error(&vm.types.value_error, "I/O operation on uninitialized object"))
}

macro_rules! forward {
    ($fname:ident, $name:literal, $reader:expr) => {
        fn $fname(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
            let target = pair(vm, this, $reader)?;
            let f = attr(vm, &target, $name)?;
            taipan_vm::classes::call_object_kw(vm, &f, args, kw)
        }
    };
}
forward!(p_read, "read", true);
forward!(p_peek, "peek", true);
forward!(p_read1, "read1", true);
forward!(p_readinto, "readinto", true);
forward!(p_readinto1, "readinto1", true);
forward!(p_readable, "readable", true);
forward!(p_write, "write", false);
forward!(p_flush, "flush", false);
forward!(p_writable, "writable", false);

fn p_isatty(vm: &Vm, this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let w = meth(vm, &pair(vm, this, false)?, "isatty", &[])?;
    if truth(vm, &w)? {
        return Ok(w);
    }
    meth(vm, &pair(vm, this, true)?, "isatty", &[])
}

fn p_close(vm: &Vm, this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    // The writer first, then the reader; the reader's error wins, with
    // the writer's as its context.
    let w = meth(vm, &pair(vm, this, false)?, "close", &[]);
    let r = meth(vm, &pair(vm, this, true)?, "close", &[]);
    match (w, r) {
        (Err(e1), Err(e2)) => {
            if let Some(x) = builtin::exception_data(&e2.exc) {
                if x.context.borrow().is_none() {
                    *x.context.borrow_mut() = Some(e1.exc);
                }
            }
            Err(e2)
        }
        (Err(e), Ok(_)) => Err(e),
        (Ok(_), r) => r,
    }
}

fn p_closed(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    attr(vm, &pair(vm, this, false)?, "closed")
}

static RWPAIR_METHODS: &[MethodDef] = &[
    MethodDef::method("read", p_read, ""),
    MethodDef::method("peek", p_peek, ""),
    MethodDef::method("read1", p_read1, ""),
    MethodDef::method("readinto", p_readinto, ""),
    MethodDef::method("readinto1", p_readinto1, ""),
    MethodDef::method("write", p_write, ""),
    MethodDef::method("flush", p_flush, ""),
    MethodDef::method("readable", p_readable, ""),
    MethodDef::method("writable", p_writable, ""),
    MethodDef::method("close", p_close, ""),
    MethodDef::method("isatty", p_isatty, ""),
];

static RWPAIR_GETSETS: &[GetSetDef] = &[GetSetDef::readonly("closed", p_closed, "")];
