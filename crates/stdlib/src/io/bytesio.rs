//! `_io.BytesIO`: an in-memory binary stream.

use std::cell::{Cell, RefCell};

use taipan_vm::native::{bind, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{self, new_bytes, type_name};
use taipan_vm::types::{BufferProcs, Kwargs, Slots};
use taipan_vm::{ops, PyResult, Vm};

use super::{closed_error, int_arg, size_arg};

#[derive(Default)]
pub struct BytesIOData {
    buf: RefCell<Vec<u8>>,
    pos: Cell<usize>,
    closed: Cell<bool>,
    /// Live views from `getbuffer()`: while any exists the buffer cannot
    /// be resized or closed.
    exports: Cell<usize>,
}

/// The exporter behind `getbuffer()`'s memoryview (CPython's
/// `_io._BytesIOBuffer`): reads and writes the BytesIO's own bytes.
struct BytesIOBuffer {
    owner: Obj,
}

fn owner_data(o: &Obj) -> Option<&BytesIOData> {
    o.downcast::<BytesIOBuffer>().and_then(|b| b.owner.downcast::<BytesIOData>())
}

static BUFFER: BufferProcs = BufferProcs {
    format: |_| ('B', 1),
    read: |o| owner_data(o).map(|d| d.buf.borrow().clone()).unwrap_or_default(),
    write: Some(|o, at, bytes| {
        if let Some(d) = owner_data(o) {
            let mut buf = d.buf.borrow_mut();
            if at + bytes.len() <= buf.len() {
                buf[at..at + bytes.len()].copy_from_slice(bytes);
            }
        }
    }),
    readonly: None,
    check: None,
    exports: |o, delta| {
        if let Some(d) = owner_data(o) {
            d.exports.set((d.exports.get() as isize + delta).max(0) as usize);
        }
    },
    getbuffer: None,
    release: None,
};

fn buffer_type(vm: &Vm) -> Obj {
    vm.native_type("_io._BytesIOBuffer", |vm| {
        let slots = Slots { buffer: Some(&BUFFER), ..Slots::default() };
        taipan_vm::native::new_type::<BytesIOBuffer>(vm, "_io._BytesIOBuffer", &[], false, slots, &[], &[])
    })
}

/// Refuses to resize the buffer while `getbuffer()` views exist.
fn check_exports(vm: &Vm, d: &BytesIOData) -> PyResult<()> {
    if d.exports.get() > 0 {
        return Err(vm.new_error(&vm.types.buffer_error, "Existing exports of data: object cannot be re-sized"));
    }
    Ok(())
}

pub(crate) fn bytesio_type(vm: &Vm) -> Obj {
    vm.native_type("_io.BytesIO", |vm| {
        let base = super::bufferediobase_type(vm);
        let slots =
            Slots { new: Some(|_vm, cls, _a, _k| Ok(alloc(cls.clone(), BytesIOData::default()))), init: Some(init), ..Slots::default() };
        taipan_vm::native::new_type_with_dict::<BytesIOData>(vm, "_io.BytesIO", &[&base], slots, METHODS, GETSETS)
    })
}

fn data<'a>(vm: &Vm, this: &'a Obj) -> PyResult<&'a BytesIOData> {
    let d = this.downcast::<BytesIOData>().ok_or_else(|| vm.type_error("BytesIO method called on another object"))?;
    if d.closed.get() {
        return Err(closed_error(vm, true));
    }
    Ok(d)
}

fn init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "BytesIO", names: &["initial_bytes"], posonly: 0, kwonly: 0, required: 0 };
    let [value] = bind::<1>(vm, &P, args, kw)?;
    let Some(d) = this.downcast::<BytesIOData>() else { return Err(vm.type_error("BytesIO expected")) };
    check_exports(vm, d)?;
    let bytes = match value.filter(|v| !v.is(&vm.none)) {
        Some(v) => match builtin::as_buffer(&v) {
            Some(b) => b.into_owned(),
            None => return Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(&v)))),
        },
        None => Vec::new(),
    };
    *d.buf.borrow_mut() = bytes;
    d.pos.set(0);
    d.closed.set(false);
    Ok(vm.none.clone())
}

fn read_n(d: &BytesIOData, n: i64) -> Vec<u8> {
    let buf = d.buf.borrow();
    let pos = d.pos.get();
    if pos >= buf.len() {
        return Vec::new();
    }
    let end = if n < 0 { buf.len() } else { (pos + n as usize).min(buf.len()) };
    d.pos.set(end);
    buf[pos..end].to_vec()
}

fn m_read(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [size] = taipan_vm::native::at_most::<1>(vm, "read", 0, args, kw)?;
    let d = data(vm, this)?;
    let n = size_arg(vm, size)?;
    Ok(new_bytes(vm, read_n(d, n)))
}

fn m_readinto(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [b] = taipan_vm::native::exact::<1>(vm, "readinto", args, kw)?;
    let d = data(vm, this)?;
    let n = super::writable_len(vm, &b)?;
    let got = read_n(d, n as i64);
    super::write_into(vm, &b, &got)?;
    Ok(vm.int(got.len() as i64))
}

fn readline(d: &BytesIOData, limit: i64) -> Vec<u8> {
    let buf = d.buf.borrow();
    let pos = d.pos.get();
    if pos >= buf.len() {
        return Vec::new();
    }
    let rest = &buf[pos..];
    let mut end = rest.iter().position(|&c| c == b'\n').map_or(rest.len(), |i| i + 1);
    if limit >= 0 {
        end = end.min(limit as usize);
    }
    d.pos.set(pos + end);
    rest[..end].to_vec()
}

fn m_readline(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [size] = taipan_vm::native::at_most::<1>(vm, "readline", 0, args, kw)?;
    let d = data(vm, this)?;
    let n = size_arg(vm, size)?;
    Ok(new_bytes(vm, readline(d, n)))
}

fn m_readlines(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [hint] = taipan_vm::native::at_most::<1>(vm, "readlines", 0, args, kw)?;
    let d = data(vm, this)?;
    let hint = size_arg(vm, hint)?;
    let mut lines = Vec::new();
    let mut total = 0;
    loop {
        let l = readline(d, -1);
        if l.is_empty() {
            break;
        }
        total += l.len();
        lines.push(new_bytes(vm, l));
        if hint > 0 && total >= hint as usize {
            break;
        }
    }
    Ok(builtin::new_list(vm, lines))
}

fn m_write(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [b] = taipan_vm::native::exact::<1>(vm, "write", args, kw)?;
    let d = data(vm, this)?;
    check_exports(vm, d)?;
    let Some(bytes) = builtin::as_buffer(&b) else {
        return Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(&b))));
    };
    let mut buf = d.buf.borrow_mut();
    let pos = d.pos.get();
    let end = pos + bytes.len();
    if !bytes.is_empty() {
        if end > buf.len() {
            buf.resize(end, 0);
        }
        buf[pos..end].copy_from_slice(&bytes);
        d.pos.set(end);
    }
    Ok(vm.int(bytes.len() as i64))
}

fn m_writelines(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [lines] = taipan_vm::native::exact::<1>(vm, "writelines", args, kw)?;
    data(vm, this)?;
    let it = ops::iter(vm, &lines)?;
    while let Some(l) = ops::next(vm, &it)? {
        m_write(vm, this, &[l], &[])?;
    }
    Ok(vm.none.clone())
}

fn m_getvalue(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "getvalue", args, kw)?;
    let d = data(vm, this)?;
    let v = d.buf.borrow().clone();
    Ok(new_bytes(vm, v))
}

fn m_getbuffer(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "getbuffer", args, kw)?;
    data(vm, this)?;
    let exporter = alloc(buffer_type(vm), BytesIOBuffer { owner: this.clone() });
    taipan_vm::classes::call_object(vm, &vm.types.memoryview, &[exporter])
}

fn m_tell(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "tell", args, kw)?;
    Ok(vm.int(data(vm, this)?.pos.get() as i64))
}

fn m_seek(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [pos, whence] = taipan_vm::native::at_most::<2>(vm, "seek", 1, args, kw)?;
    let pos = int_arg(vm, pos.as_ref().unwrap_or(&vm.none))?;
    let whence = match whence {
        Some(w) => int_arg(vm, &w)?,
        None => 0,
    };
    let d = data(vm, this)?;
    let base = match whence {
        0 => {
            if pos < 0 {
                return Err(vm.new_error(&vm.types.value_error, format!("negative seek value {pos}")));
            }
            0
        }
        1 => d.pos.get() as i64,
        2 => d.buf.borrow().len() as i64,
        _ => return Err(vm.new_error(&vm.types.value_error, format!("invalid whence ({whence}, should be 0, 1 or 2)"))),
    };
    let new = (base + pos).max(0);
    d.pos.set(new as usize);
    Ok(vm.int(new))
}

fn m_truncate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [size] = taipan_vm::native::at_most::<1>(vm, "truncate", 0, args, kw)?;
    let d = data(vm, this)?;
    check_exports(vm, d)?;
    let size = match size.filter(|s| !s.is(&vm.none)) {
        Some(s) => int_arg(vm, &s)?,
        None => d.pos.get() as i64,
    };
    if size < 0 {
        return Err(vm.new_error(&vm.types.value_error, format!("negative size value {size}")));
    }
    let mut buf = d.buf.borrow_mut();
    if (size as usize) < buf.len() {
        buf.truncate(size as usize);
    }
    Ok(vm.int(size))
}

fn m_close(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "close", args, kw)?;
    if let Some(d) = this.downcast::<BytesIOData>() {
        check_exports(vm, d)?;
        d.closed.set(true);
        d.buf.borrow_mut().clear();
    }
    Ok(vm.none.clone())
}

fn m_true(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "readable", args, kw)?;
    data(vm, this)?;
    Ok(vm.true_.clone())
}

fn m_false(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "isatty", args, kw)?;
    data(vm, this)?;
    Ok(vm.false_.clone())
}

fn m_flush(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "flush", args, kw)?;
    data(vm, this)?;
    Ok(vm.none.clone())
}

/// `(getvalue(), tell(), __dict__ copy or None)`, what `__setstate__`
/// takes back (pickling and copying).
fn m_getstate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "__getstate__", args, kw)?;
    let d = data(vm, this)?;
    let value = new_bytes(vm, d.buf.borrow().clone());
    let pos = vm.int(d.pos.get() as i64);
    Ok(builtin::new_tuple(vm, vec![value, pos, super::state_dict(vm, this)]))
}

fn m_setstate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [state] = taipan_vm::native::exact::<1>(vm, "__setstate__", args, kw)?;
    let d = data(vm, this)?;
    check_exports(vm, d)?;
    let items = match state.downcast::<builtin::TupleData>() {
        Some(t) if t.items.len() >= 3 => t.items.to_vec(),
        _ => {
            return Err(vm.type_error(format!(
                "{}.__setstate__ argument should be 3-tuple, got {}",
                taipan_vm::types::type_data_of(this).name,
                type_name(&state)
            )))
        }
    };
    let Some(bytes) = builtin::as_buffer(&items[0]) else {
        return Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(&items[0]))));
    };
    let bytes = bytes.into_owned();
    if !taipan_vm::types::is_subtype(&taipan_vm::types::type_of(&items[1]), &vm.types.int) {
        return Err(vm.type_error(format!("second item of state must be an integer, not {}", type_name(&items[1]))));
    }
    let pos = int_arg(vm, &items[1])?;
    if pos < 0 {
        return Err(vm.new_error(&vm.types.value_error, "position value cannot be negative"));
    }
    super::restore_state_dict(vm, this, &items[2], "third")?;
    *d.buf.borrow_mut() = bytes;
    d.pos.set(pos as usize);
    Ok(vm.none.clone())
}

static METHODS: &[MethodDef] = &[
    MethodDef::method("__getstate__", m_getstate, "Helper for pickle."),
    MethodDef::method("__setstate__", m_setstate, "Helper for pickle."),
    MethodDef::method("read", m_read, "Read at most size bytes, returned as a bytes object."),
    MethodDef::method("read1", m_read, "Read at most size bytes, returned as a bytes object."),
    MethodDef::method("readinto", m_readinto, "Read bytes into buffer."),
    MethodDef::method("readline", m_readline, "Next line from the file, as a bytes object."),
    MethodDef::method("readlines", m_readlines, "List of bytes objects, each a line from the file."),
    MethodDef::method("write", m_write, "Write bytes to file."),
    MethodDef::method("writelines", m_writelines, "Write lines to the file."),
    MethodDef::method("getvalue", m_getvalue, "Retrieve the entire contents of the BytesIO object."),
    MethodDef::method("getbuffer", m_getbuffer, "Get a read-write view over the contents of the BytesIO object."),
    MethodDef::method("tell", m_tell, "Current file position, an integer."),
    MethodDef::method("seek", m_seek, "Change stream position."),
    MethodDef::method("truncate", m_truncate, "Truncate the file to at most size bytes."),
    MethodDef::method("close", m_close, "Disable all I/O operations."),
    MethodDef::method("readable", m_true, "Returns True if the IO object can be read."),
    MethodDef::method("writable", m_true, "Returns True if the IO object can be written."),
    MethodDef::method("seekable", m_true, "Returns True if the IO object can be seeked."),
    MethodDef::method("isatty", m_false, "Always returns False."),
    MethodDef::method("flush", m_flush, "Does nothing."),
];

fn g_closed(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(vm.bool(this.downcast::<BytesIOData>().is_some_and(|d| d.closed.get())))
}

static GETSETS: &[GetSetDef] = &[GetSetDef::readonly("closed", g_closed, "True if the file is closed.")];
