//! `sqlite3.Blob` (3.11, `Connection.blobopen`): incremental I/O on one
//! BLOB with a file-like position (`read`, `write`, `seek`, `tell`),
//! `len()`, indexing and slicing by byte, and the context manager.

use std::cell::Cell;
use std::rc::Rc;

use taipan_vm::native::{exact, new_type, MethodDef};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{as_buffer, int_data, new_bytes, object_slots, type_name, IntData};
use taipan_vm::types::{type_of, Kwargs, Slots};
use taipan_vm::{PyResult, Vm};

use super::ffi::BlobHandle;
use super::{connection, error, sqlite_error};

pub struct Blob {
    conn: Obj,
    h: Rc<BlobHandle>,
    offset: Cell<usize>,
}

pub fn blob_type(vm: &Vm) -> Obj {
    vm.native_type("sqlite3.Blob", |vm| {
        let slots = Slots {
            new: Some(super::disallow_new),
            iter: Some(|vm, o| Err(vm.type_error(format!("'{}' object is not iterable", type_name(o))))),
            traverse: Some(|o, visit| {
                if let Some(b) = o.downcast::<Blob>() {
                    visit(&b.conn);
                }
            }),
            ..object_slots()
        };
        let t = new_type::<Blob>(vm, "sqlite3.Blob", &[], true, slots, BLOB_METHODS, &[]);
        taipan_vm::types::type_data(&t).weakrefable.set(true);
        t
    })
}

pub fn new_blob(vm: &Vm, conn: Obj, h: Rc<BlobHandle>) -> Obj {
    alloc(blob_type(vm), Blob { conn, h, offset: Cell::new(0) })
}

fn check<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a Blob> {
    let b = o
        .downcast::<Blob>()
        .ok_or_else(|| vm.type_error(format!("descriptor requires a 'sqlite3.Blob' object but received '{}'", type_name(o))))?;
    connection::db_of(vm, &b.conn)?;
    if !b.h.is_live() {
        return Err(error(vm, "ProgrammingError", "Cannot operate on a closed blob."));
    }
    Ok(b)
}

fn int_of(vm: &Vm, o: &Obj) -> PyResult<i64> {
    if o.downcast::<f64>().is_some() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    match int_data(&taipan_vm::ops::index(vm, o)?) {
        Some(IntData::Small(v)) => Ok(*v),
        _ => Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int")),
    }
}

fn read_at(vm: &Vm, b: &Blob, off: usize, n: usize) -> PyResult<Vec<u8>> {
    b.h.read(off, n).map_err(|rc| sqlite_error(vm, rc, &super::ffi::errstr(rc)))
}

fn read_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [n] = taipan_vm::native::at_most::<1>(vm, "read", 0, args, kw)?;
    let b = check(vm, this)?;
    let len = b.h.len();
    let off = b.offset.get();
    let mut n = match n {
        Some(n) => int_of(vm, &n)?,
        None => -1,
    };
    let avail = len.saturating_sub(off) as i64;
    if n < 0 || n > avail {
        n = avail;
    }
    let data = read_at(vm, b, off, n as usize)?;
    b.offset.set(off + n as usize);
    Ok(new_bytes(vm, data))
}

fn write_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [data] = exact::<1>(vm, "write", args, kw)?;
    let b = check(vm, this)?;
    let Some(bytes) = as_buffer(&data) else {
        return Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(&data))));
    };
    let off = b.offset.get();
    if bytes.len() > b.h.len().saturating_sub(off) {
        return Err(vm.new_error(&vm.types.value_error, "data longer than blob length"));
    }
    let rc = b.h.write(off, &bytes);
    if rc != super::ffi::sys::SQLITE_OK {
        return Err(sqlite_error(vm, rc, &super::ffi::errstr(rc)));
    }
    b.offset.set(off + bytes.len());
    Ok(vm.none.clone())
}

fn seek_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [off, origin] = taipan_vm::native::at_most::<2>(vm, "seek", 1, args, kw)?;
    let b = check(vm, this)?;
    let off = int_of(vm, off.as_ref().unwrap_or(&vm.none))?;
    let origin = match origin {
        Some(o) => int_of(vm, &o)?,
        None => 0,
    };
    let len = b.h.len() as i64;
    let base = match origin {
        0 => 0,
        1 => b.offset.get() as i64,
        2 => len,
        _ => return Err(vm.new_error(&vm.types.value_error, "'origin' should be os.SEEK_SET, os.SEEK_CUR, or os.SEEK_END")),
    };
    let Some(pos) = base.checked_add(off).filter(|p| i32::try_from(*p).is_ok()) else {
        return Err(vm.new_error(&vm.types.overflow_error, "seek offset results in overflow"));
    };
    if pos < 0 || pos > len {
        return Err(vm.new_error(&vm.types.value_error, "offset out of blob range"));
    }
    b.offset.set(pos as usize);
    Ok(vm.none.clone())
}

fn tell_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "tell", args, kw)?;
    let b = check(vm, this)?;
    Ok(vm.int(b.offset.get() as i64))
}

fn close_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "close", args, kw)?;
    if let Some(b) = this.downcast::<Blob>() {
        connection::db_of(vm, &b.conn)?;
        b.h.close();
    }
    Ok(vm.none.clone())
}

fn enter_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__enter__", args, kw)?;
    check(vm, this)?;
    Ok(this.clone())
}

fn exit_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<3>(vm, "__exit__", args, kw)?;
    let b = check(vm, this)?;
    b.h.close();
    Ok(vm.false_.clone())
}

fn len_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__len__", args, kw)?;
    let b = check(vm, this)?;
    Ok(vm.int(b.h.len() as i64))
}

/// A byte index (negative from the end), range-checked.
fn index_of(vm: &Vm, b: &Blob, key: &Obj) -> PyResult<usize> {
    let i = match int_data(&taipan_vm::ops::index(vm, key)?) {
        Some(IntData::Small(v)) => *v,
        _ => return Err(vm.new_error(&vm.types.index_error, "cannot fit 'int' into an index-sized integer")),
    };
    let len = b.h.len() as i64;
    let j = if i < 0 { i + len } else { i };
    if j < 0 || j >= len {
        return Err(vm.new_error(&vm.types.index_error, "Blob index out of range"));
    }
    Ok(j as usize)
}

/// `slice.indices(len)` for a step-1 slice (others: NotImplemented).
fn slice_range(vm: &Vm, b: &Blob, key: &Obj) -> PyResult<(usize, usize, i64)> {
    let ind = super::super::util::call_method(vm, key, "indices", &[vm.int(b.h.len() as i64)])?;
    let v = super::super::util::collect(vm, &ind)?;
    let g = |i: usize| int_of(vm, &v[i]);
    let (start, stop, step) = (g(0)?, g(1)?, g(2)?);
    Ok((start.max(0) as usize, stop.max(start).max(0) as usize, step))
}

fn getitem_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key] = exact::<1>(vm, "__getitem__", args, kw)?;
    let b = check(vm, this)?;
    if type_of(&key).is(&vm.types.slice) {
        let (start, stop, step) = slice_range(vm, b, &key)?;
        if step == 1 {
            return Ok(new_bytes(vm, read_at(vm, b, start, stop - start)?));
        }
        let all = read_at(vm, b, 0, b.h.len())?;
        let all = new_bytes(vm, all);
        return taipan_vm::sequence::getitem(vm, &all, &key);
    }
    if int_data(&key).is_none() && taipan_vm::types::lookup(&type_of(&key), "__index__").is_none() {
        return Err(vm.type_error("Blob indices must be integers"));
    }
    let i = index_of(vm, b, &key)?;
    let byte = read_at(vm, b, i, 1)?;
    Ok(vm.int(byte[0] as i64))
}

fn setitem_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key, value] = exact::<2>(vm, "__setitem__", args, kw)?;
    let b = check(vm, this)?;
    if type_of(&key).is(&vm.types.slice) {
        let (start, stop, step) = slice_range(vm, b, &key)?;
        let Some(data) = super::contiguous(vm, &value)? else {
            return Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(&value))));
        };
        let count = if step > 0 && stop > start { (stop - start - 1) / step as usize + 1 } else { 0 };
        if data.len() != count {
            return Err(vm.new_error(&vm.types.index_error, "Blob slice assignment is wrong size"));
        }
        if count == 0 {
            return Ok(vm.none.clone());
        }
        let rc = if step == 1 {
            b.h.write(start, &data)
        } else {
            // Read the span, patch every step-th byte, write it back.
            let mut span = read_at(vm, b, start, stop - start)?;
            for (k, byte) in data.iter().enumerate() {
                span[k * step as usize] = *byte;
            }
            b.h.write(start, &span)
        };
        if rc != super::ffi::sys::SQLITE_OK {
            return Err(sqlite_error(vm, rc, &super::ffi::errstr(rc)));
        }
        return Ok(vm.none.clone());
    }
    if int_data(&key).is_none() {
        return Err(vm.type_error("Blob indices must be integers"));
    }
    let i = index_of(vm, b, &key)?;
    if int_data(&value).is_none() && taipan_vm::types::lookup(&type_of(&value), "__index__").is_none() {
        return Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer", type_name(&value))));
    }
    let v = match int_data(&taipan_vm::ops::index(vm, &value)?) {
        Some(IntData::Small(v)) => *v,
        _ => -1,
    };
    if !(0..=255).contains(&v) {
        return Err(vm.new_error(&vm.types.value_error, "byte must be in range(0, 256)"));
    }
    let rc = b.h.write(i, &[v as u8]);
    if rc != super::ffi::sys::SQLITE_OK {
        return Err(sqlite_error(vm, rc, &super::ffi::errstr(rc)));
    }
    Ok(vm.none.clone())
}

static BLOB_METHODS: &[MethodDef] = &[
    MethodDef::method("read", read_m, "Read data at the current offset position."),
    MethodDef::method("write", write_m, "Write data at the current offset."),
    MethodDef::method("seek", seek_m, "Set the current access position to offset."),
    MethodDef::method("tell", tell_m, "Return the current access position for the blob."),
    MethodDef::method("close", close_m, "Close the blob."),
    MethodDef::method("__enter__", enter_m, "Blob context manager enter."),
    MethodDef::method("__exit__", exit_m, "Blob context manager exit."),
    MethodDef::method("__len__", len_m, "Return len(self)."),
    MethodDef::method("__getitem__", getitem_m, "Return self[key]."),
    MethodDef::method("__setitem__", setitem_m, "Set self[key] to value."),
];
