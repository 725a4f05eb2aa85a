//! `bytearray`: a mutable byte string. Its non-mutating methods are
//! `bytes`' (`types::bytes`), building `bytearray` results; the mutators
//! are here. While a `memoryview` exports its buffer it cannot be resized.

use std::cell::{Cell, RefCell};

use crate::native::{at_most, exact, MethodDef};
use crate::object::{alloc, Obj};
use crate::sequence::SliceData;
use crate::types::builtin::*;
use crate::types::bytes::{as_buffer, byte_value, BytesIterData};
use crate::types::{type_data_of, Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::BinaryOp;

pub struct ByteArrayData {
    pub value: RefCell<Vec<u8>>,
    /// Live `memoryview`s of this buffer.
    pub exports: Cell<usize>,
    /// Filled by `__new__` from its arguments (an exact bytearray, so that
    /// the buffer is measured at allocation); the first `__init__` then
    /// has nothing left to do.
    pub fresh: Cell<bool>,
}

pub fn new_bytearray(vm: &Vm, v: Vec<u8>) -> Obj {
    alloc(vm.types.bytearray.clone(), ByteArrayData { value: RefCell::new(v), exports: Cell::new(0), fresh: Cell::new(false) })
}

pub(crate) fn memory_error(vm: &Vm) -> crate::PyErr {
    crate::PyErr { exc: new_exception(vm, &vm.types.memory_error, Vec::new()) }
}

fn ba(o: &Obj) -> &ByteArrayData {
    match o.downcast::<ByteArrayData>() {
        Some(b) => b,
        None => unreachable!("bytearray method on a non-bytearray"),
    }
}

/// Raises `BufferError` if the buffer is exported (it cannot be resized).
fn check_resizable(vm: &Vm, b: &ByteArrayData) -> PyResult<()> {
    if b.exports.get() > 0 {
        return Err(vm.new_error(&vm.types.buffer_error, "Existing exports of data: object cannot be re-sized"));
    }
    Ok(())
}

pub fn bytearray_slots() -> Slots {
    Slots {
        // As in CPython, `__init__` fills the bytearray (so that
        // `bytearray.__init__(ba, ...)` refills it); an exact bytearray is
        // filled by `__new__` already (its buffer is then measured at
        // allocation, for tracemalloc) and skips its first `__init__`.
        new: Some(|vm, cls, args, kw| {
            let exact = cls.is(&vm.types.bytearray);
            let v = if exact { crate::types::bytes::construct(vm, "bytearray", args, kw)?.unwrap_or_default() } else { Vec::new() };
            Ok(alloc(cls.clone(), ByteArrayData { value: RefCell::new(v), exports: Cell::new(0), fresh: Cell::new(exact) }))
        }),
        init: Some(|vm, o, args, kw| {
            let Some(d) = o.downcast::<ByteArrayData>() else {
                return Err(vm.type_error("descriptor '__init__' requires a 'bytearray' object"));
            };
            if d.fresh.replace(false) {
                return Ok(vm.none.clone());
            }
            let v = crate::types::bytes::construct(vm, "bytearray", args, kw)?.unwrap_or_default();
            check_resizable(vm, d)?;
            *d.value.borrow_mut() = v;
            Ok(vm.none.clone())
        }),
        repr: Some(|vm, o| {
            // Unlike bytes, bytearray escapes `'` even inside double quotes.
            let inner = taipan_parser::repr::repr_bytes(&ba(o).value.borrow());
            let inner = match inner.strip_prefix("b\"").and_then(|r| r.strip_suffix('"')) {
                Some(body) => format!("b\"{}\"", body.replace('\'', "\\'")),
                None => inner,
            };
            Ok(new_str(vm, &format!("{}({inner})", type_data_of(o).name)))
        }),
        hash: Some(|vm, o| Err(vm.type_error(format!("unhashable type: '{}'", type_name(o))))),
        bool: Some(|_, o| Ok(!ba(o).value.borrow().is_empty())),
        iter: Some(|vm, o| Ok(alloc(vm.types.bytearray_iterator.clone(), BytesIterData::new(o)))),
        binary: Some(crate::types::bytes::buffer_binary),
        compare: Some(crate::types::bytes::buffer_compare),
        ..object_slots()
    }
}

/// `a += b` and `a *= n` on a bytearray, in place; `None` for other
/// operands.
pub fn inplace(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Option<Obj>> {
    let Some(x) = a.downcast::<ByteArrayData>() else { return Ok(None) };
    match op {
        BinaryOp::Add => {
            let Some(y) = as_buffer(b) else {
                return Err(vm.type_error(format!("can't concat {} to {}", type_name(b), type_name(a))));
            };
            let y = y.into_owned();
            check_resizable(vm, x)?;
            x.value.borrow_mut().extend_from_slice(&y);
            Ok(Some(a.clone()))
        }
        BinaryOp::Multiply => {
            let Some(IntData::Small(n)) = b.downcast::<IntData>() else { return Ok(None) };
            check_resizable(vm, x)?;
            crate::types::container::repeat_len(vm, x.value.borrow().len(), (*n).max(0) as usize)?;
            let v = x.value.borrow().repeat((*n).max(0) as usize);
            *x.value.borrow_mut() = v;
            Ok(Some(a.clone()))
        }
        _ => Ok(None),
    }
}

/// The bytes of an assigned value: a buffer or an iterable of ints.
fn assigned_bytes(vm: &Vm, value: &Obj) -> PyResult<Vec<u8>> {
    if let Some(b) = as_buffer(value) {
        return Ok(b.into_owned());
    }
    if value.downcast::<IntData>().is_some() || crate::types::type_data_of(value).slots.get().iter.is_none() {
        return Err(vm.type_error("can assign only bytes, buffers, or iterables of ints in range(0, 256)"));
    }
    let items = crate::sequence::to_vec(vm, value)?;
    items.iter().map(|x| byte_value(vm, x)).collect()
}

pub fn setitem(vm: &Vm, this: &Obj, key: &Obj, value: Obj) -> PyResult<()> {
    let b = ba(this);
    let len = b.value.borrow().len();
    if let Some(s) = key.downcast::<SliceData>() {
        let v = assigned_bytes(vm, &value)?;
        let (start, stop, step) = crate::sequence::slice_indices(vm, s, len as i64)?;
        if step == 1 {
            let stop = stop.max(start) as usize;
            let start = start as usize;
            if stop - start != v.len() {
                check_resizable(vm, b)?;
            }
            b.value.borrow_mut().splice(start..stop, v);
            return Ok(());
        }
        let pos = crate::sequence::slice_positions(vm, s, len)?;
        if pos.len() != v.len() {
            let msg = format!("attempt to assign bytes of size {} to extended slice of size {}", v.len(), pos.len());
            return Err(vm.new_error(&vm.types.value_error, msg));
        }
        let mut d = b.value.borrow_mut();
        for (p, c) in pos.into_iter().zip(v) {
            d[p] = c;
        }
        return Ok(());
    }
    let Some(i) = crate::sequence::ssize_index(vm, key)? else {
        return Err(vm.type_error(format!("bytearray indices must be integers or slices, not {}", type_name(key))));
    };
    // The value's `__index__` may resize the bytearray: check afterwards.
    let c = byte_value(vm, &value)?;
    let i = crate::sequence::position(vm, i, b.value.borrow().len(), "bytearray")?;
    b.value.borrow_mut()[i] = c;
    Ok(())
}

pub fn delitem(vm: &Vm, this: &Obj, key: &Obj) -> PyResult<()> {
    let b = ba(this);
    let len = b.value.borrow().len();
    let mut pos = match key.downcast::<SliceData>() {
        Some(s) => crate::sequence::slice_positions(vm, s, len)?,
        None => {
            let Some(i) = crate::sequence::ssize_index(vm, key)? else {
                return Err(vm.type_error(format!("bytearray indices must be integers or slices, not {}", type_name(key))));
            };
            // (After `__index__`, which may resize the bytearray.)
            vec![crate::sequence::position(vm, i, b.value.borrow().len(), "bytearray")?]
        }
    };
    if pos.is_empty() {
        return Ok(());
    }
    check_resizable(vm, b)?;
    pos.sort_unstable();
    let mut d = b.value.borrow_mut();
    let mut k = 0;
    let mut i = 0;
    d.retain(|_| {
        let keep = pos.get(k) != Some(&i);
        if !keep {
            k += 1;
        }
        i += 1;
        keep
    });
    Ok(())
}

fn ba_append(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x] = exact(vm, "append", args, kw)?;
    let c = byte_value(vm, &x)?;
    check_resizable(vm, ba(this))?;
    ba(this).value.borrow_mut().push(c);
    Ok(vm.none.clone())
}

fn ba_extend(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x] = exact(vm, "extend", args, kw)?;
    let v = match as_buffer(&x) {
        Some(b) => b.into_owned(),
        None => {
            if crate::types::type_data_of(&x).slots.get().iter.is_none() {
                return Err(vm.type_error(format!("can't extend bytearray with {}", type_name(&x))));
            }
            let items = crate::sequence::to_vec(vm, &x)?;
            items.iter().map(|i| byte_value(vm, i)).collect::<PyResult<Vec<u8>>>()?
        }
    };
    check_resizable(vm, ba(this))?;
    ba(this).value.borrow_mut().extend_from_slice(&v);
    Ok(vm.none.clone())
}

fn ba_insert(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [i, x] = exact(vm, "insert", args, kw)?;
    let i = expect_int(vm, &i, "")?;
    let c = byte_value(vm, &x)?;
    let b = ba(this);
    check_resizable(vm, b)?;
    let len = b.value.borrow().len() as i64;
    let at = if i < 0 { (i + len).max(0) } else { i.min(len) };
    b.value.borrow_mut().insert(at as usize, c);
    Ok(vm.none.clone())
}

fn ba_pop(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [i] = at_most::<1>(vm, "pop", 0, args, kw)?;
    let i = match i {
        Some(i) => expect_int(vm, &i, "")?,
        None => -1,
    };
    let b = ba(this);
    let len = b.value.borrow().len() as i64;
    if len == 0 {
        return Err(vm.new_error(&vm.types.index_error, "pop from empty bytearray"));
    }
    let j = if i < 0 { i + len } else { i };
    if !(0..len).contains(&j) {
        return Err(vm.new_error(&vm.types.index_error, "pop index out of range"));
    }
    check_resizable(vm, b)?;
    let c = b.value.borrow_mut().remove(j as usize);
    Ok(vm.int(c as i64))
}

fn ba_remove(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x] = exact(vm, "remove", args, kw)?;
    let c = byte_value(vm, &x)?;
    let b = ba(this);
    let Some(at) = b.value.borrow().iter().position(|&y| y == c) else {
        return Err(vm.new_error(&vm.types.value_error, "value not found in bytearray"));
    };
    check_resizable(vm, b)?;
    b.value.borrow_mut().remove(at);
    Ok(vm.none.clone())
}

/// The reduction of a bytearray (CPython's `_common_reduce`): the
/// contents as a latin-1 str (protocols 0-2) or as bytes, and the
/// instance's `__getstate__()`.
fn common_reduce(vm: &Vm, this: &Obj, proto: i64) -> PyResult<Obj> {
    let state = crate::lang::call_method(vm, this, "__getstate__", &[])?;
    let v = ba(this).value.borrow().clone();
    let args = if v.is_empty() {
        vec![]
    } else if proto < 3 {
        let latin1: String = v.iter().map(|&b| b as char).collect();
        vec![new_str(vm, &latin1), new_str(vm, "latin-1")]
    } else {
        vec![crate::types::bytes::new_bytes(vm, v)]
    };
    Ok(new_tuple(vm, vec![crate::types::type_of(this), new_tuple(vm, args), state]))
}

pub static BYTEARRAY_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "__reduce__",
        |vm, s, a, kw| {
            exact::<0>(vm, "__reduce__", a, kw)?;
            common_reduce(vm, s, 2)
        },
        "Return state information for pickling.",
    ),
    MethodDef::method(
        "__reduce_ex__",
        |vm, s, a, kw| {
            let [proto] = at_most::<1>(vm, "__reduce_ex__", 0, a, kw)?;
            let proto = match proto {
                Some(p) => crate::types::iterators::state_index(vm, &p)
                    .map_err(|_| vm.type_error(format!("'{}' object cannot be interpreted as an integer", type_name(&p))))?,
                None => 0,
            };
            common_reduce(vm, s, proto)
        },
        "Return state information for pickling.",
    ),
    MethodDef::method(
        "__setitem__",
        |vm, s, a, kw| {
            let [key, value] = exact(vm, "__setitem__", a, kw)?;
            setitem(vm, s, &key, value)?;
            Ok(vm.none.clone())
        },
        "Set self[key] to value.",
    ),
    MethodDef::method(
        "__delitem__",
        |vm, s, a, kw| {
            let [key] = exact(vm, "__delitem__", a, kw)?;
            delitem(vm, s, &key)?;
            Ok(vm.none.clone())
        },
        "Delete self[key].",
    ),
    MethodDef::method("append", ba_append, "Append a single item to the end of the bytearray."),
    MethodDef::method("extend", ba_extend, "Append all the items from the iterator or sequence to the end of the bytearray."),
    MethodDef::method("insert", ba_insert, "Insert a single item into the bytearray before the given index."),
    MethodDef::method("pop", ba_pop, "Remove and return a single item from B."),
    MethodDef::method("remove", ba_remove, "Remove the first occurrence of a value in the bytearray."),
    MethodDef::method(
        "reverse",
        |vm, s, a, kw| {
            let [] = exact(vm, "reverse", a, kw)?;
            ba(s).value.borrow_mut().reverse();
            Ok(vm.none.clone())
        },
        "Reverse the order of the values in B in place.",
    ),
    MethodDef::method(
        "clear",
        |vm, s, a, kw| {
            let [] = exact(vm, "clear", a, kw)?;
            check_resizable(vm, ba(s))?;
            ba(s).value.borrow_mut().clear();
            Ok(vm.none.clone())
        },
        "Remove all items from the bytearray.",
    ),
    MethodDef::method(
        "copy",
        |vm, s, a, kw| {
            let [] = exact(vm, "copy", a, kw)?;
            let v = ba(s).value.borrow().clone();
            Ok(new_bytearray(vm, v))
        },
        "Return a copy of B.",
    ),
    MethodDef::method(
        "__alloc__",
        |vm, s, a, kw| {
            let [] = exact(vm, "__alloc__", a, kw)?;
            let n = ba(s).value.borrow().capacity().max(ba(s).value.borrow().len() + 1);
            Ok(vm.int(n as i64))
        },
        "B.__alloc__() -> int",
    ),
];
