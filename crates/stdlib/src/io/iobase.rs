//! The abstract bases `_io._IOBase`, `_io._RawIOBase`,
//! `_io._BufferedIOBase` and `_io._TextIOBase`: default methods written in
//! terms of the other methods, looked up on the instance (so Python
//! subclasses, such as `io.py`'s `IOBase`, override them), as CPython's
//! `iobase.c`/`bufferedio.c`/`textio.c` bases do. `_IOBase` keeps its
//! closed flag in the instance dict (`__IOBase_closed`).

use taipan_vm::native::{GetSetDef, MethodDef};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{self, new_bytes, new_list, type_name, BytesData, StrData};
use taipan_vm::types::{Kwargs, Slots};
use taipan_vm::{ops, PyResult, Vm};

use super::{attr, closed_error, meth, size_arg, truth, unsupported};

const CLOSED_KEY: &str = "__IOBase_closed";

/// Whether `_IOBase.close` ran on `this` (its dict has `__IOBase_closed`).
pub(crate) fn iobase_closed_flag(vm: &Vm, this: &Obj) -> bool {
    let Some(d) = taipan_vm::classes::instance_dict(vm, this) else { return false };
    matches!(builtin::dict_get_str(vm, &d, CLOSED_KEY), Ok(Some(_)))
}

/// `self.closed`, as a truth value.
pub(crate) fn is_closed(vm: &Vm, this: &Obj) -> PyResult<bool> {
    let c = attr(vm, this, "closed")?;
    truth(vm, &c)
}

/// `_checkClosed`: `ValueError("I/O operation on closed file.")`.
pub(crate) fn check_closed(vm: &Vm, this: &Obj) -> PyResult<()> {
    if is_closed(vm, this)? {
        return Err(closed_error(vm, true));
    }
    Ok(())
}

fn check_flag(vm: &Vm, this: &Obj, method: &str, msg: &str) -> PyResult<()> {
    let r = meth(vm, this, method, &[])?;
    if !truth(vm, &r)? {
        return Err(unsupported(vm, msg));
    }
    Ok(())
}

pub(crate) fn check_readable(vm: &Vm, this: &Obj) -> PyResult<()> {
    check_flag(vm, this, "readable", "File or stream is not readable.")
}
pub(crate) fn check_writable(vm: &Vm, this: &Obj) -> PyResult<()> {
    check_flag(vm, this, "writable", "File or stream is not writable.")
}
pub(crate) fn check_seekable(vm: &Vm, this: &Obj) -> PyResult<()> {
    check_flag(vm, this, "seekable", "File or stream is not seekable.")
}

fn iobase_new(vm: &Vm, cls: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let _ = vm;
    Ok(alloc(cls.clone(), ()))
}

/// Whether `this` is being finalized (`iobase_finalize` set its
/// `_finalizing` attribute before calling `close()`).
pub(crate) fn finalizing(vm: &Vm, this: &Obj) -> bool {
    let Some(d) = taipan_vm::classes::instance_dict(vm, this) else { return false };
    match builtin::dict_get_str(vm, &d, "_finalizing") {
        Ok(Some(v)) => truth(vm, &v).unwrap_or(false),
        _ => false,
    }
}

/// From a finalizing `close()`: `inner._dealloc_warn(source)` (the
/// buffered and text layers pass the warning down to the raw file);
/// errors are dropped.
pub(crate) fn forward_dealloc_warn(vm: &Vm, this: &Obj, inner: &Obj) {
    if finalizing(vm, this) {
        let _ = meth(vm, inner, "_dealloc_warn", std::slice::from_ref(this));
    }
}

/// The finalizer of every io object (`iobase_finalize`): `close()` unless
/// already closed; errors are silenced as in CPython outside dev mode.
pub(crate) fn iobase_finalize(vm: &Vm, this: &Obj) {
    let closed = match attr(vm, this, "closed") {
        Ok(c) => truth(vm, &c).unwrap_or(true),
        Err(_) => true,
    };
    if closed {
        return;
    }
    if let Some(d) = taipan_vm::classes::instance_dict(vm, this) {
        let _ = builtin::dict_set(vm, &d, vm.intern("_finalizing"), vm.true_.clone());
    }
    let _ = meth(vm, this, "close", &[]);
}

pub(crate) fn iobase_slots() -> Slots {
    Slots {
        new: Some(iobase_new),
        iter: Some(|vm, o| {
            check_closed(vm, o)?;
            Ok(o.clone())
        }),
        next: Some(|vm, o| {
            let line = meth(vm, o, "readline", &[])?;
            let empty = match (line.downcast::<StrData>(), line.downcast::<BytesData>()) {
                (Some(s), _) => s.is_empty(),
                (_, Some(b)) => b.value.is_empty(),
                _ => ops::length(vm, &line)? == 0,
            };
            Ok(if empty { None } else { Some(line) })
        }),
        finalize: Some(iobase_finalize),
        ..Slots::default()
    }
}

fn noargs(vm: &Vm, name: &str, args: &[Obj], kw: Kwargs) -> PyResult<()> {
    taipan_vm::native::exact::<0>(vm, name, args, kw).map(drop)
}

fn m_seek(vm: &Vm, _this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    Err(unsupported(vm, "seek"))
}
fn m_tell(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    noargs(vm, "tell", args, kw)?;
    meth(vm, this, "seek", &[vm.int(0), vm.int(1)])
}
fn m_truncate(vm: &Vm, _this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    Err(unsupported(vm, "truncate"))
}
fn m_flush(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    noargs(vm, "flush", args, kw)?;
    check_closed(vm, this)?;
    Ok(vm.none.clone())
}
/// `_IOBase.close()`: `flush()`, then mark closed (even if flush raised).
pub(crate) fn m_close(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    noargs(vm, "close", args, kw)?;
    if is_closed(vm, this)? {
        return Ok(vm.none.clone());
    }
    let r = meth(vm, this, "flush", &[]);
    if let Some(d) = taipan_vm::classes::instance_dict(vm, this) {
        builtin::dict_set(vm, &d, vm.intern(CLOSED_KEY), vm.true_.clone())?;
    }
    r.map(|_| vm.none.clone())
}
fn m_false(vm: &Vm, _this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    noargs(vm, "seekable", args, kw)?;
    Ok(vm.false_.clone())
}
fn m_check_closed(vm: &Vm, this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    check_closed(vm, this)?;
    Ok(vm.none.clone())
}
fn m_check_readable(vm: &Vm, this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    check_readable(vm, this)?;
    Ok(vm.true_.clone())
}
fn m_check_writable(vm: &Vm, this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    check_writable(vm, this)?;
    Ok(vm.true_.clone())
}
fn m_check_seekable(vm: &Vm, this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    check_seekable(vm, this)?;
    Ok(vm.true_.clone())
}
fn m_fileno(vm: &Vm, _this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    Err(unsupported(vm, "fileno"))
}
fn m_isatty(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    noargs(vm, "isatty", args, kw)?;
    check_closed(vm, this)?;
    Ok(vm.false_.clone())
}
fn m_enter(vm: &Vm, this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    check_closed(vm, this)?;
    Ok(this.clone())
}
fn m_exit(vm: &Vm, this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    meth(vm, this, "close", &[])
}
fn m_iter(vm: &Vm, this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    check_closed(vm, this)?;
    Ok(this.clone())
}
fn m_next(vm: &Vm, this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    match (iobase_slots().next.expect("set above"))(vm, this)? {
        Some(v) => Ok(v),
        None => Err(taipan_vm::PyErr { exc: builtin::new_exception(vm, &vm.types.stop_iteration, Vec::new()) }),
    }
}

/// `_IOBase.readline(size=-1)`: byte by byte through `read(1)` (or by
/// `peek` when the object has one).
fn m_readline(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [size] = taipan_vm::native::at_most::<1>(vm, "readline", 0, args, kw)?;
    let limit = size_arg(vm, size)?;
    let peek = taipan_vm::classes::getattr_opt(vm, this, &vm.intern("peek"))?;
    let mut out: Vec<u8> = Vec::new();
    while limit < 0 || (out.len() as i64) < limit {
        let mut nreadahead = 1;
        if let Some(p) = &peek {
            let ahead = taipan_vm::classes::call_object(vm, p, &[vm.int(1)])?;
            let Some(buf) = builtin::as_buffer(&ahead) else {
                return Err(
                    vm.new_error(&vm.types.os_error, format!("peek() should have returned a bytes object, not '{}'", type_name(&ahead)))
                );
            };
            if !buf.is_empty() {
                let mut n = buf.iter().position(|&b| b == b'\n').map_or(buf.len(), |i| i + 1);
                if limit >= 0 {
                    n = n.min((limit as usize).saturating_sub(out.len()));
                }
                nreadahead = n.max(1);
            }
        }
        let b = meth(vm, this, "read", &[vm.int(nreadahead as i64)])?;
        if b.is(&vm.none) {
            break;
        }
        let Some(data) = builtin::as_buffer(&b) else {
            return Err(vm.new_error(&vm.types.os_error, format!("read() should have returned a bytes object, not '{}'", type_name(&b))));
        };
        if data.is_empty() {
            break;
        }
        out.extend_from_slice(&data);
        if out.ends_with(b"\n") {
            break;
        }
    }
    Ok(new_bytes(vm, out))
}

fn m_readlines(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [hint] = taipan_vm::native::at_most::<1>(vm, "readlines", 0, args, kw)?;
    let hint = size_arg(vm, hint)?;
    let mut lines = Vec::new();
    let it = ops::iter(vm, this)?;
    let mut total = 0usize;
    while let Some(line) = ops::next(vm, &it)? {
        if hint > 0 {
            total += ops::length(vm, &line)?;
        }
        lines.push(line);
        if hint > 0 && total >= hint as usize {
            break;
        }
    }
    Ok(new_list(vm, lines))
}

fn m_writelines(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [lines] = taipan_vm::native::exact::<1>(vm, "writelines", args, kw)?;
    check_closed(vm, this)?;
    let it = ops::iter(vm, &lines)?;
    while let Some(line) = ops::next(vm, &it)? {
        meth(vm, this, "write", &[line])?;
    }
    Ok(vm.none.clone())
}

fn g_closed(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(vm.bool(iobase_closed_flag(vm, this)))
}

/// `_IOBase.__del__`: the finalizer as a method, so that a subclass's own
/// `__del__` can run it through `super().__del__()`.
fn m_del(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    noargs(vm, "__del__", args, kw)?;
    iobase_finalize(vm, this);
    Ok(vm.none.clone())
}

pub(crate) static IOBASE_METHODS: &[MethodDef] = &[
    MethodDef::method("__del__", m_del, "Called when the instance is about to be destroyed."),
    MethodDef::method("seek", m_seek, "Change the stream position to the given byte offset."),
    MethodDef::method("tell", m_tell, "Return current stream position."),
    MethodDef::method("truncate", m_truncate, "Truncate file to size bytes."),
    MethodDef::method("flush", m_flush, "Flush write buffers, if applicable."),
    MethodDef::method("close", m_close, "Flush and close the IO object."),
    MethodDef::method("seekable", m_false, "Return whether object supports random access."),
    MethodDef::method("readable", m_false, "Return whether object was opened for reading."),
    MethodDef::method("writable", m_false, "Return whether object was opened for writing."),
    MethodDef::method("_checkClosed", m_check_closed, ""),
    MethodDef::method("_checkSeekable", m_check_seekable, ""),
    MethodDef::method("_checkReadable", m_check_readable, ""),
    MethodDef::method("_checkWritable", m_check_writable, ""),
    MethodDef::method("fileno", m_fileno, "Returns underlying file descriptor if one exists."),
    MethodDef::method("isatty", m_isatty, "Return whether this is an 'interactive' stream."),
    MethodDef::method("__enter__", m_enter, ""),
    MethodDef::method("__exit__", m_exit, ""),
    MethodDef::method("__iter__", m_iter, "Implement iter(self)."),
    MethodDef::method("__next__", m_next, "Implement next(self)."),
    MethodDef::method("readline", m_readline, "Read and return a line from the stream."),
    MethodDef::method("readlines", m_readlines, "Return a list of lines from the stream."),
    MethodDef::method("writelines", m_writelines, "Write a list of lines to stream."),
];

pub(crate) static IOBASE_GETSETS: &[GetSetDef] = &[GetSetDef::readonly("closed", g_closed, "")];

// ------------------------------------------------------------ _RawIOBase

/// `_RawIOBase.read(size=-1)`: `readinto` a bytearray of `size` bytes.
fn raw_read(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [size] = taipan_vm::native::at_most::<1>(vm, "read", 0, args, kw)?;
    let n = size_arg(vm, size)?;
    if n < 0 {
        return meth(vm, this, "readall", &[]);
    }
    let b = builtin::new_bytearray(vm, vec![0; n as usize]);
    let got = meth(vm, this, "readinto", std::slice::from_ref(&b))?;
    if got.is(&vm.none) {
        return Ok(got);
    }
    let got = super::int_arg(vm, &got)?;
    let data = builtin::as_buffer(&b).map(|d| d.into_owned()).unwrap_or_default();
    if got < 0 || got as usize > data.len() {
        return Err(vm.new_error(&vm.types.value_error, format!("readinto returned {got} outside buffer size {}", data.len())));
    }
    Ok(new_bytes(vm, data[..got as usize].to_vec()))
}

/// `_RawIOBase.readall()`: `read(DEFAULT_BUFFER_SIZE)` until EOF.
fn raw_readall(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    noargs(vm, "readall", args, kw)?;
    let mut out = Vec::new();
    loop {
        let d = meth(vm, this, "read", &[vm.int(super::DEFAULT_BUFFER_SIZE as i64)])?;
        if d.is(&vm.none) {
            if out.is_empty() {
                return Ok(d);
            }
            break;
        }
        let Some(b) = builtin::bytes_data(&d) else { return Err(vm.type_error("read() should return bytes")) };
        if b.is_empty() {
            break;
        }
        out.extend_from_slice(b);
    }
    Ok(new_bytes(vm, out))
}

fn raw_unsupported_readinto(vm: &Vm, _this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    Err(vm.new_error(&vm.types.not_implemented_error, ""))
}

pub(crate) static RAWIOBASE_METHODS: &[MethodDef] = &[
    MethodDef::method("read", raw_read, ""),
    MethodDef::method("readall", raw_readall, "Read until EOF, using multiple read() call."),
    MethodDef::method("readinto", raw_unsupported_readinto, ""),
    MethodDef::method("write", raw_unsupported_readinto, ""),
];

// ------------------------------------------------------- _BufferedIOBase

fn buf_unsupported_read(vm: &Vm, _this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    Err(unsupported(vm, "read"))
}
fn buf_unsupported_read1(vm: &Vm, _this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    Err(unsupported(vm, "read1"))
}
fn buf_unsupported_write(vm: &Vm, _this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    Err(unsupported(vm, "write"))
}
fn buf_unsupported_detach(vm: &Vm, _this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    Err(unsupported(vm, "detach"))
}

/// `readinto(b)` through `read(len(b))`.
fn readinto_via(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, method: &str) -> PyResult<Obj> {
    let [b] = taipan_vm::native::exact::<1>(vm, method, args, kw)?;
    let Some(n) = builtin::as_buffer(&b).map(|x| x.len()) else {
        return Err(vm.type_error(format!("readinto() argument must be read-write bytes-like object, not {}", type_name(&b))));
    };
    let data = meth(vm, this, if method == "readinto1" { "read1" } else { "read" }, &[vm.int(n as i64)])?;
    let Some(d) = builtin::as_buffer(&data) else { return Err(vm.type_error("read() should return bytes")) };
    if d.len() > n {
        return Err(
            vm.new_error(&vm.types.value_error, format!("read() returned too much data: {n} bytes requested, {} returned", d.len()))
        );
    }
    super::write_into(vm, &b, &d)?;
    Ok(vm.int(d.len() as i64))
}
fn buf_readinto(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    readinto_via(vm, this, args, kw, "readinto")
}
fn buf_readinto1(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    readinto_via(vm, this, args, kw, "readinto1")
}

pub(crate) static BUFFEREDIOBASE_METHODS: &[MethodDef] = &[
    MethodDef::method("read", buf_unsupported_read, "Read and return up to n bytes."),
    MethodDef::method("read1", buf_unsupported_read1, "Read and return up to n bytes, with at most one read() call."),
    MethodDef::method("write", buf_unsupported_write, "Write the given buffer to the IO stream."),
    MethodDef::method("detach", buf_unsupported_detach, "Disconnect this buffer from its underlying raw stream and return it."),
    MethodDef::method("readinto", buf_readinto, ""),
    MethodDef::method("readinto1", buf_readinto1, ""),
];

// ----------------------------------------------------------- _TextIOBase

fn text_unsupported_read(vm: &Vm, _this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    Err(unsupported(vm, "read"))
}
fn text_unsupported_readline(vm: &Vm, _this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    Err(unsupported(vm, "readline"))
}
fn text_unsupported_write(vm: &Vm, _this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    Err(unsupported(vm, "write"))
}
fn text_none(vm: &Vm, _this: &Obj) -> PyResult<Obj> {
    Ok(vm.none.clone())
}

pub(crate) static TEXTIOBASE_METHODS: &[MethodDef] = &[
    MethodDef::method("detach", buf_unsupported_detach, "Separate the underlying buffer from the TextIOBase and return it."),
    MethodDef::method("read", text_unsupported_read, "Read at most n characters from stream."),
    MethodDef::method("readline", text_unsupported_readline, "Read until newline or EOF."),
    MethodDef::method("write", text_unsupported_write, "Write string to stream."),
];

pub(crate) static TEXTIOBASE_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("encoding", text_none, "Encoding of the text stream."),
    GetSetDef::readonly("newlines", text_none, "Line endings translated so far."),
    GetSetDef::readonly("errors", text_none, "The error setting of the decoder or encoder."),
];
