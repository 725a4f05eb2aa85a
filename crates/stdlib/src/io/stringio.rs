//! `_io.StringIO`: an in-memory text stream (code points, so positions
//! are character indices), with `StringIO`'s newline rules: `newline=None`
//! translates `\r\n`/`\r` to `\n` on write, `'\r'`/`'\r\n'` replace `\n`
//! on write, `''` and None split lines universally.

use std::cell::{Cell, RefCell};

use taipan_vm::native::{bind, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{type_name, StrData};
use taipan_vm::types::{Kwargs, Slots};
use taipan_vm::{PyErr, PyResult, Vm};

use super::textio::{find_line_end, from_cps, newline_decode, newlines_obj, to_cps};
use super::{closed_error, int_arg, size_arg};

pub struct StringIOData {
    buf: RefCell<Vec<u32>>,
    pos: Cell<usize>,
    closed: Cell<bool>,
    ok: Cell<bool>,
    readuniversal: Cell<bool>,
    readtranslate: Cell<bool>,
    /// Newline decoding on write (newline None or '').
    decode_newlines: Cell<bool>,
    readnl: RefCell<Vec<u32>>,
    writenl: RefCell<Option<Vec<u32>>>,
    pendingcr: Cell<bool>,
    seen: Cell<u8>,
}

impl Default for StringIOData {
    fn default() -> Self {
        StringIOData {
            buf: RefCell::new(Vec::new()),
            pos: Cell::new(0),
            closed: Cell::new(false),
            ok: Cell::new(false),
            readuniversal: Cell::new(false),
            readtranslate: Cell::new(false),
            decode_newlines: Cell::new(false),
            readnl: RefCell::new(vec!['\n' as u32]),
            writenl: RefCell::new(None),
            pendingcr: Cell::new(false),
            seen: Cell::new(0),
        }
    }
}

pub(crate) fn stringio_type(vm: &Vm) -> Obj {
    vm.native_type("_io.StringIO", |vm| {
        let base = super::textiobase_type(vm);
        let slots = Slots {
            new: Some(|_vm, cls, _a, _k| Ok(alloc(cls.clone(), StringIOData::default()))),
            init: Some(init),
            next: Some(next),
            finalize: None,
            ..Slots::default()
        };
        taipan_vm::native::new_type_with_dict::<StringIOData>(vm, "_io.StringIO", &[&base], slots, METHODS, GETSETS)
    })
}

fn data<'a>(vm: &Vm, this: &'a Obj) -> PyResult<&'a StringIOData> {
    let d = this.downcast::<StringIOData>().ok_or_else(|| vm.type_error("StringIO method called on another object"))?;
    if !d.ok.get() {
        return Err(vm.new_error(&vm.types.value_error, "I/O operation on uninitialized object"));
    }
    Ok(d)
}

fn open_data<'a>(vm: &Vm, this: &'a Obj) -> PyResult<&'a StringIOData> {
    let d = data(vm, this)?;
    if d.closed.get() {
        return Err(closed_error(vm, false));
    }
    Ok(d)
}

fn init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "StringIO", names: &["initial_value", "newline"], posonly: 0, kwonly: 0, required: 0 };
    let [value, newline] = bind::<2>(vm, &P, args, kw)?;
    let Some(d) = this.downcast::<StringIOData>() else { return Err(vm.type_error("StringIO expected")) };
    let newline: Option<String> = match &newline {
        None => Some("\n".into()),
        Some(n) if n.is(&vm.none) => None,
        Some(n) => match n.downcast::<StrData>() {
            Some(s) => Some(s.as_str().into_owned()),
            None => return Err(vm.type_error(format!("newline must be str or None, not {}", type_name(n)))),
        },
    };
    if let Some(n) = &newline {
        if !matches!(n.as_str(), "" | "\n" | "\r" | "\r\n") {
            return Err(vm.new_error(&vm.types.value_error, format!("illegal newline value: '{n}'")));
        }
    }
    let value = match &value {
        Some(v) if !v.is(&vm.none) => match v.downcast::<StrData>() {
            Some(s) => Some(to_cps(s)),
            None => return Err(vm.type_error(format!("initial_value must be str or None, not {}", type_name(v)))),
        },
        _ => None,
    };
    d.readuniversal.set(newline.as_deref().is_none_or(str::is_empty));
    d.readtranslate.set(newline.is_none());
    d.decode_newlines.set(d.readuniversal.get());
    *d.readnl.borrow_mut() = newline.as_deref().unwrap_or("").chars().map(|c| c as u32).collect();
    *d.writenl.borrow_mut() = match newline.as_deref() {
        Some(n) if n.starts_with('\r') => Some(n.chars().map(|c| c as u32).collect()),
        _ => None,
    };
    d.pendingcr.set(false);
    d.seen.set(0);
    d.buf.borrow_mut().clear();
    d.pos.set(0);
    d.closed.set(false);
    d.ok.set(true);
    if let Some(v) = value {
        write_cps(d, v);
        d.pos.set(0);
    }
    Ok(vm.none.clone())
}

fn write_cps(d: &StringIOData, cps: Vec<u32>) {
    let mut cps = cps;
    if d.decode_newlines.get() {
        cps = newline_decode(cps, &d.pendingcr, &d.seen, d.readtranslate.get(), true);
    }
    if let Some(nl) = &*d.writenl.borrow() {
        let mut out = Vec::with_capacity(cps.len());
        for c in cps {
            if c == '\n' as u32 {
                out.extend_from_slice(nl);
            } else {
                out.push(c);
            }
        }
        cps = out;
    }
    let mut buf = d.buf.borrow_mut();
    let pos = d.pos.get();
    if pos > buf.len() {
        buf.resize(pos, 0);
    }
    let end = pos + cps.len();
    if end > buf.len() {
        buf.resize(end, 0);
    }
    buf[pos..end].copy_from_slice(&cps);
    d.pos.set(end);
}

fn m_write(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [s] = taipan_vm::native::exact::<1>(vm, "write", args, kw)?;
    let d = data(vm, this)?;
    let Some(st) = s.downcast::<StrData>() else {
        return Err(vm.type_error(format!("string argument expected, got '{}'", type_name(&s))));
    };
    if d.closed.get() {
        return Err(closed_error(vm, false));
    }
    let n = st.len();
    if n > 0 {
        write_cps(d, to_cps(st));
    }
    Ok(vm.int(n as i64))
}

fn m_getvalue(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "getvalue", args, kw)?;
    let d = open_data(vm, this)?;
    let v = from_cps(vm, &d.buf.borrow());
    Ok(v)
}

fn m_read(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [size] = taipan_vm::native::at_most::<1>(vm, "read", 0, args, kw)?;
    let d = open_data(vm, this)?;
    let n = size_arg(vm, size)?;
    let buf = d.buf.borrow();
    let pos = d.pos.get();
    if pos >= buf.len() {
        return Ok(from_cps(vm, &[]));
    }
    let end = if n < 0 { buf.len() } else { (pos + n as usize).min(buf.len()) };
    d.pos.set(end);
    Ok(from_cps(vm, &buf[pos..end]))
}

fn readline(vm: &Vm, d: &StringIOData, limit: i64) -> Obj {
    let buf = d.buf.borrow();
    let pos = d.pos.get().min(buf.len());
    let rest = &buf[pos..];
    let mut end = find_line_end(rest, d.readtranslate.get(), d.readuniversal.get(), &d.readnl.borrow(), true).unwrap_or(rest.len());
    if limit >= 0 {
        end = end.min(limit as usize);
    }
    d.pos.set(pos + end);
    from_cps(vm, &rest[..end])
}

fn m_readline(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [size] = taipan_vm::native::at_most::<1>(vm, "readline", 0, args, kw)?;
    let d = open_data(vm, this)?;
    let n = size_arg(vm, size)?;
    Ok(readline(vm, d, n))
}

fn next(vm: &Vm, this: &Obj) -> PyResult<Option<Obj>> {
    let exact = taipan_vm::types::type_of(this).is(&stringio_type(vm));
    let line = if exact {
        let d = open_data(vm, this)?;
        readline(vm, d, -1)
    } else {
        let l = super::meth(vm, this, "readline", &[])?;
        if l.downcast::<StrData>().is_none() {
            return Err(vm.new_error(&vm.types.os_error, format!("readline() should have returned a str object, not '{}'", type_name(&l))));
        }
        l
    };
    Ok(if line.downcast::<StrData>().is_some_and(|s| s.is_empty()) { None } else { Some(line) })
}

fn m_next(vm: &Vm, this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    match next(vm, this)? {
        Some(v) => Ok(v),
        None => Err(PyErr { exc: taipan_vm::types::builtin::new_exception(vm, &vm.types.stop_iteration, Vec::new()) }),
    }
}

fn m_tell(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "tell", args, kw)?;
    let d = open_data(vm, this)?;
    Ok(vm.int(d.pos.get() as i64))
}

fn m_seek(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [pos, whence] = taipan_vm::native::at_most::<2>(vm, "seek", 1, args, kw)?;
    let pos = int_arg(vm, pos.as_ref().unwrap_or(&vm.none))?;
    let whence = match whence {
        Some(w) => int_arg(vm, &w)?,
        None => 0,
    };
    let d = open_data(vm, this)?;
    if !(0..=2).contains(&whence) {
        return Err(vm.new_error(&vm.types.value_error, format!("Invalid whence ({whence}, should be 0, 1 or 2)")));
    }
    if pos < 0 && whence == 0 {
        return Err(vm.new_error(&vm.types.value_error, format!("Negative seek position {pos}")));
    }
    if whence != 0 && pos != 0 {
        // CPython says "cur" for both.
        return Err(vm.new_error(&vm.types.os_error, "Can't do nonzero cur-relative seeks"));
    }
    let new = match whence {
        0 => pos as usize,
        1 => d.pos.get(),
        _ => d.buf.borrow().len(),
    };
    d.pos.set(new);
    Ok(vm.int(new as i64))
}

fn m_truncate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [size] = taipan_vm::native::at_most::<1>(vm, "truncate", 0, args, kw)?;
    let d = open_data(vm, this)?;
    let size = match size.filter(|s| !s.is(&vm.none)) {
        Some(s) => int_arg(vm, &s)?,
        None => d.pos.get() as i64,
    };
    if size < 0 {
        return Err(vm.new_error(&vm.types.value_error, format!("Negative size value {size}")));
    }
    let mut buf = d.buf.borrow_mut();
    if (size as usize) < buf.len() {
        buf.truncate(size as usize);
    }
    Ok(vm.int(size))
}

fn m_close(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "close", args, kw)?;
    let Some(d) = this.downcast::<StringIOData>() else { return Err(vm.type_error("StringIO expected")) };
    d.closed.set(true);
    d.buf.borrow_mut().clear();
    Ok(vm.none.clone())
}

fn m_true(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "readable", args, kw)?;
    open_data(vm, this)?;
    Ok(vm.true_.clone())
}

/// `(getvalue(), newline, tell(), __dict__ copy or None)`, what
/// `__setstate__` takes back (pickling and copying).
fn m_getstate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "__getstate__", args, kw)?;
    let d = open_data(vm, this)?;
    let value = from_cps(vm, &d.buf.borrow());
    let newline = if d.readtranslate.get() { vm.none.clone() } else { from_cps(vm, &d.readnl.borrow()) };
    let pos = vm.int(d.pos.get() as i64);
    Ok(taipan_vm::types::builtin::new_tuple(vm, vec![value, newline, pos, super::state_dict(vm, this)]))
}

/// Restores a `__getstate__` tuple: `__init__` with the value and the
/// newline (which checks them), then the text as it was (no newline
/// translation), the position and the attributes.
fn m_setstate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [state] = taipan_vm::native::exact::<1>(vm, "__setstate__", args, kw)?;
    // A new object (`pickle`'s `StringIO.__new__`) need not be initialized.
    let Some(d) = this.downcast::<StringIOData>() else { return Err(vm.type_error("StringIO expected")) };
    if d.closed.get() {
        return Err(closed_error(vm, false));
    }
    let items = match state.downcast::<taipan_vm::types::builtin::TupleData>() {
        Some(t) if t.items.len() >= 4 => t.items.to_vec(),
        _ => {
            return Err(vm.type_error(format!(
                "{}.__setstate__ argument should be 4-tuple, got {}",
                taipan_vm::types::type_data_of(this).name,
                type_name(&state)
            )))
        }
    };
    init(vm, this, &items[..2], &[])?;
    let value = items[0].downcast::<StrData>().map(to_cps).unwrap_or_default();
    if !taipan_vm::types::is_subtype(&taipan_vm::types::type_of(&items[2]), &vm.types.int) {
        return Err(vm.type_error(format!("third item of state must be an integer, got {}", type_name(&items[2]))));
    }
    let pos = int_arg(vm, &items[2])?;
    if pos < 0 {
        return Err(vm.new_error(&vm.types.value_error, "position value cannot be negative"));
    }
    super::restore_state_dict(vm, this, &items[3], "fourth")?;
    *d.buf.borrow_mut() = value;
    d.pos.set(pos as usize);
    Ok(vm.none.clone())
}

static METHODS: &[MethodDef] = &[
    MethodDef::method("__getstate__", m_getstate, "Helper for pickle."),
    MethodDef::method("__setstate__", m_setstate, "Helper for pickle."),
    MethodDef::method("write", m_write, "Write string to file."),
    MethodDef::method("getvalue", m_getvalue, "Retrieve the entire contents of the object."),
    MethodDef::method("read", m_read, "Read at most size characters, returned as a string."),
    MethodDef::method("readline", m_readline, "Read until newline or EOF."),
    MethodDef::method("tell", m_tell, "Tell the current file position."),
    MethodDef::method("seek", m_seek, "Change stream position."),
    MethodDef::method("truncate", m_truncate, "Truncate size to pos."),
    MethodDef::method("close", m_close, "Close the IO object."),
    MethodDef::method("readable", m_true, "Returns True if the IO object can be read."),
    MethodDef::method("writable", m_true, "Returns True if the IO object can be written."),
    MethodDef::method("seekable", m_true, "Returns True if the IO object can be seeked."),
    MethodDef::method("__next__", m_next, "Implement next(self)."),
];

fn g_closed(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(vm.bool(data(vm, this)?.closed.get()))
}
fn g_line_buffering(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    open_data(vm, this)?;
    Ok(vm.false_.clone())
}
fn g_newlines(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    let d = open_data(vm, this)?;
    if !d.decode_newlines.get() {
        return Ok(vm.none.clone());
    }
    Ok(newlines_obj(vm, d.seen.get()))
}

static GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("closed", g_closed, ""),
    GetSetDef::readonly("line_buffering", g_line_buffering, ""),
    GetSetDef::readonly("newlines", g_newlines, ""),
];
