//! `array`: typed arrays of numbers (CPython's `Modules/arraymodule.c`).
//! An array keeps its items as native machine bytes (`Vec<u8>`) and
//! exports them through `Slots::buffer`, so `memoryview(a)`, `bytes(a)`,
//! `struct.unpack_from(fmt, a)` and file `write(a)` see the same memory
//! layout as in CPython; while a view exists the array refuses to resize.
//! Item conversions reproduce the C converters' messages ("signed char is
//! greater than maximum", "unsigned int is greater than maximum", ...).
//! Pickling goes through `__reduce_ex__` and `_array_reconstructor` with
//! CPython's machine-format codes.

use std::cell::{Cell, RefCell};

use num_bigint::BigInt;
use num_traits::ToPrimitive;
use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{exact, new_type, FunctionDef, GetSetDef, MethodDef};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::ops;
use taipan_vm::sequence::{slice_indices, slice_positions, SliceData};
use taipan_vm::types::builtin::{
    as_buffer, big_to_f64, int_data, new_bytes, new_int_big, new_list, new_str, new_tuple, object_slots, type_name, IntData, StrData,
};
use taipan_vm::types::{is_subtype, lookup, type_data, type_of, BufferProcs, Kwargs, Slots};
use taipan_vm::{BinaryOp, CompareOp, PyErr, PyResult, Vm};

use crate::util;

const TYPECODES: &str = "bBuhHiIlLqQfd";

fn itemsize(code: u8) -> usize {
    match code {
        b'b' | b'B' => 1,
        b'h' | b'H' => 2,
        b'i' | b'I' | b'f' | b'u' => 4,
        _ => 8,
    }
}

pub struct ArrayData {
    code: u8,
    data: RefCell<Vec<u8>>,
    exports: Cell<usize>,
}

/// For `_ctypes`' `from_buffer`: the address and byte length of an array's
/// storage, counted as an export (the array refuses to resize until
/// [`unexport_raw`]); `None` for other objects.
pub(crate) fn export_raw(o: &Obj) -> Option<(usize, usize)> {
    let a = o.downcast::<ArrayData>()?;
    let mut d = a.data.borrow_mut();
    a.exports.set(a.exports.get() + 1);
    Some((d.as_mut_ptr() as usize, d.len()))
}

/// Ends an export of [`export_raw`].
pub(crate) fn unexport_raw(o: &Obj) {
    if let Some(a) = o.downcast::<ArrayData>() {
        a.exports.set(a.exports.get().saturating_sub(1));
    }
}

impl ArrayData {
    fn len(&self) -> usize {
        self.data.borrow().len() / itemsize(self.code)
    }

    fn size(&self) -> usize {
        itemsize(self.code)
    }

    fn item(&self, vm: &Vm, i: usize) -> Obj {
        let n = self.size();
        let d = self.data.borrow();
        get_item(vm, self.code, &d[i * n..(i + 1) * n])
    }

    fn items(&self, vm: &Vm) -> Vec<Obj> {
        (0..self.len()).map(|i| self.item(vm, i)).collect()
    }

    fn resizable(&self, vm: &Vm) -> PyResult<()> {
        if self.exports.get() > 0 {
            return Err(vm.new_error(&buffer_error(vm), "cannot resize an array that is exporting buffers"));
        }
        Ok(())
    }
}

fn buffer_error(vm: &Vm) -> Obj {
    vm.types.buffer_error.clone()
}

fn get_item(vm: &Vm, code: u8, b: &[u8]) -> Obj {
    let mut w = [0u8; 8];
    w[..b.len()].copy_from_slice(b);
    let u = u64::from_ne_bytes(w);
    let float = |x: f64| alloc(vm.types.float.clone(), x);
    match code {
        b'b' => vm.int(b[0] as i8 as i64),
        b'B' => vm.int(b[0] as i64),
        b'h' => vm.int(i16::from_ne_bytes([b[0], b[1]]) as i64),
        b'H' => vm.int(u16::from_ne_bytes([b[0], b[1]]) as i64),
        b'i' => vm.int(i32::from_ne_bytes([b[0], b[1], b[2], b[3]]) as i64),
        b'I' => vm.int(u32::from_ne_bytes([b[0], b[1], b[2], b[3]]) as i64),
        b'l' | b'q' => vm.int(u as i64),
        b'L' | b'Q' => {
            if u <= i64::MAX as u64 {
                vm.int(u as i64)
            } else {
                new_int_big(vm, BigInt::from(u))
            }
        }
        b'f' => float(f32::from_ne_bytes([b[0], b[1], b[2], b[3]]) as f64),
        b'd' => float(f64::from_ne_bytes(w)),
        _ => {
            let c = u32::from_ne_bytes([b[0], b[1], b[2], b[3]]);
            match char::from_u32(c) {
                Some(ch) => new_str(vm, &ch.to_string()),
                None => new_str(vm, "\u{fffd}"),
            }
        }
    }
}

fn overflow(vm: &Vm, msg: &str) -> PyErr {
    vm.new_error(&vm.types.overflow_error, msg)
}

/// The int of an item value (through `__index__`; floats refused).
fn int_value(vm: &Vm, v: &Obj) -> PyResult<BigInt> {
    if let Some(i) = int_data(v) {
        return Ok(i.to_big());
    }
    if v.downcast::<f64>().is_some() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let i = ops::index(vm, v)?;
    Ok(int_data(&i).map(IntData::to_big).unwrap_or_default())
}

fn float_value(vm: &Vm, v: &Obj) -> PyResult<f64> {
    if let Some(f) = v.downcast::<f64>() {
        return Ok(*f);
    }
    if let Some(i) = int_data(v) {
        return match i {
            IntData::Small(x) => Ok(*x as f64),
            IntData::Big(b) => big_to_f64(vm, b),
        };
    }
    let ty = type_of(v);
    if let Some(f) = lookup(&ty, "__float__") {
        let r = util::call(vm, &f, std::slice::from_ref(v))?;
        return match r.downcast::<f64>() {
            Some(x) => Ok(*x),
            None => Err(vm.type_error(format!("{}.__float__ returned non-float (type {})", type_name(v), type_name(&r)))),
        };
    }
    if lookup(&ty, "__index__").is_some() {
        let i = ops::index(vm, v)?;
        if let Some(d) = int_data(&i) {
            return big_to_f64(vm, &d.to_big());
        }
    }
    Err(vm.type_error(format!("must be real number, not {}", type_name(v))))
}

/// The native bytes of one item (CPython's `*_setitem` converters).
fn item_bytes(vm: &Vm, code: u8, v: &Obj) -> PyResult<Vec<u8>> {
    match code {
        b'f' => return Ok((float_value(vm, v)? as f32).to_ne_bytes().to_vec()),
        b'd' => return Ok(float_value(vm, v)?.to_ne_bytes().to_vec()),
        b'u' => {
            let Some(s) = v.downcast::<StrData>() else { return Err(vm.type_error("array item must be unicode character")) };
            let s = s.as_str();
            let mut chars = s.chars();
            return match (chars.next(), chars.next()) {
                (Some(c), None) => Ok((c as u32).to_ne_bytes().to_vec()),
                _ => Err(vm.type_error("array item must be unicode character")),
            };
        }
        _ => {}
    }
    let x = int_value(vm, v)?;
    let long = || x.to_i64().ok_or_else(|| overflow(vm, "Python int too large to convert to C long"));
    let range = |v: i64, lo: i64, hi: i64, under: &str, over: &str| -> PyResult<i64> {
        if v < lo {
            Err(overflow(vm, under))
        } else if v > hi {
            Err(overflow(vm, over))
        } else {
            Ok(v)
        }
    };
    let short = |v: i64| {
        range(
            v,
            i16::MIN as i64,
            i16::MAX as i64,
            "signed short integer is less than minimum",
            "signed short integer is greater than maximum",
        )
    };
    let int = |v: i64| {
        range(v, i32::MIN as i64, i32::MAX as i64, "signed integer is less than minimum", "signed integer is greater than maximum")
    };
    let ulong = || {
        if x.sign() == num_bigint::Sign::Minus {
            return Err(overflow(vm, "can't convert negative value to unsigned int"));
        }
        x.to_u64().ok_or_else(|| overflow(vm, "Python int too large to convert to C unsigned long"))
    };
    Ok(match code {
        b'b' => {
            let v = short(long()?)?;
            vec![range(v, -128, 127, "signed char is less than minimum", "signed char is greater than maximum")? as u8]
        }
        b'B' => {
            vec![range(long()?, 0, 255, "unsigned byte integer is less than minimum", "unsigned byte integer is greater than maximum")?
                as u8]
        }
        b'h' => (short(long()?)? as i16).to_ne_bytes().to_vec(),
        b'H' => {
            let v = int(long()?)?;
            (range(v, 0, 65535, "unsigned short is less than minimum", "unsigned short is greater than maximum")? as u16)
                .to_ne_bytes()
                .to_vec()
        }
        b'i' => (int(long()?)? as i32).to_ne_bytes().to_vec(),
        b'I' => {
            let v = ulong()?;
            if v > u32::MAX as u64 {
                return Err(overflow(vm, "unsigned int is greater than maximum"));
            }
            (v as u32).to_ne_bytes().to_vec()
        }
        b'l' => long()?.to_ne_bytes().to_vec(),
        b'L' => ulong()?.to_ne_bytes().to_vec(),
        b'q' => x.to_i64().ok_or_else(|| overflow(vm, "int too big to convert"))?.to_ne_bytes().to_vec(),
        _ => {
            if x.sign() == num_bigint::Sign::Minus {
                return Err(overflow(vm, "can't convert negative int to unsigned"));
            }
            x.to_u64().ok_or_else(|| overflow(vm, "int too big to convert"))?.to_ne_bytes().to_vec()
        }
    })
}

fn arr<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a ArrayData> {
    o.downcast::<ArrayData>()
        .ok_or_else(|| vm.type_error(format!("descriptor requires a 'array.array' object but received '{}'", type_name(o))))
}

fn is_array(o: &Obj) -> bool {
    o.downcast::<ArrayData>().is_some()
}

fn new_array(cls: &Obj, code: u8, data: Vec<u8>) -> Obj {
    alloc(cls.clone(), ArrayData { code, data: RefCell::new(data), exports: Cell::new(0) })
}

fn same_kind(vm: &Vm, this: &Obj, code: u8, data: Vec<u8>) -> Obj {
    let _ = this;
    new_array(&array_type(vm), code, data)
}

// ------------------------------------------------------------ the type

static BUFFER: BufferProcs = BufferProcs {
    format: |o| match o.downcast::<ArrayData>() {
        Some(a) => ((if a.code == b'u' { 'w' } else { a.code as char }), a.size()),
        None => ('B', 1),
    },
    read: |o| o.downcast::<ArrayData>().map(|a| a.data.borrow().clone()).unwrap_or_default(),
    write: Some(|o, at, bytes| {
        if let Some(a) = o.downcast::<ArrayData>() {
            let mut d = a.data.borrow_mut();
            if at + bytes.len() <= d.len() {
                d[at..at + bytes.len()].copy_from_slice(bytes);
            }
        }
    }),
    readonly: None,
    check: None,
    exports: |o, delta| {
        if let Some(a) = o.downcast::<ArrayData>() {
            a.exports.set((a.exports.get() as isize + delta).max(0) as usize);
        }
    },
    getbuffer: None,
    release: None,
};

pub fn array_type(vm: &Vm) -> Obj {
    vm.native_type("array.array", |vm| {
        let slots = Slots {
            new: Some(array_new),
            repr: Some(array_repr),
            iter: Some(|vm, o| {
                arr(vm, o)?;
                Ok(alloc(iterator_type(vm), ArrayIter { array: RefCell::new(Some(o.clone())), index: Cell::new(0) }))
            }),
            binary: Some(array_binary),
            compare: Some(array_compare),
            buffer: Some(&BUFFER),
            ..object_slots()
        };
        // gc: weak references need the collector's head (no objects inside).
        let t = new_type::<ArrayData>(vm, "array.array", &[], true, slots, ARRAY_METHODS, ARRAY_GETSETS);
        type_data(&t).collection.set(taipan_vm::types::Collection::Sequence);
        type_data(&t).weakrefable.set(true);
        type_data(&t).dict.borrow_mut().insert("__hash__", vm.none.clone());
        let mut s = type_data(&t).slots.get();
        s.hash = None;
        type_data(&t).slots.set(s);
        type_data(&t).dict.borrow_mut().insert("__doc__", new_str(vm, ARRAY_DOC));
        taipan_vm::types::type_modified(&t);
        t
    })
}

const ARRAY_DOC: &str = "array(typecode [, initializer]) -> array\n\nReturn a new array whose items are restricted by typecode, and\ninitialized from the optional initializer value, which must be a list,\nstring or iterable over elements of the appropriate type.\n\nArrays represent basic values and behave very much like lists, except\nthe type of objects stored in them is constrained. The type is specified\nat object creation time by using a type code, which is a single character.\n";

fn bad_typecode(vm: &Vm) -> PyErr {
    vm.new_error(&vm.types.value_error, "bad typecode (must be b, B, u, h, H, i, I, l, L, q, Q, f or d)")
}

fn array_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if cls.is(&array_type(vm)) && !kw.is_empty() {
        return Err(vm.type_error("array.array() takes no keyword arguments"));
    }
    if args.is_empty() {
        return Err(vm.type_error("array() takes at least 1 argument (0 given)"));
    }
    if args.len() > 2 {
        return Err(vm.type_error(format!("array() takes at most 2 arguments ({} given)", args.len())));
    }
    let code = match args[0].downcast::<StrData>() {
        Some(s) => {
            let s = s.as_str();
            let mut cs = s.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) => c,
                _ => return Err(vm.type_error("array() argument 1 must be a unicode character, not str")),
            }
        }
        None => return Err(vm.type_error(format!("array() argument 1 must be a unicode character, not {}", type_name(&args[0])))),
    };
    if !code.is_ascii() || !TYPECODES.contains(code) {
        return Err(bad_typecode(vm));
    }
    let code = code as u8;
    let a = new_array(cls, code, Vec::new());
    let Some(init) = args.get(1) else { return Ok(a) };
    fill(vm, arr(vm, &a)?, code, init)?;
    Ok(a)
}

/// Fills a new array from its initializer.
fn fill(vm: &Vm, d: &ArrayData, code: u8, init: &Obj) -> PyResult<()> {
    if let Some(s) = init.downcast::<StrData>() {
        if code != b'u' {
            return Err(vm.type_error(format!("cannot use a str to initialize an array with typecode '{}'", code as char)));
        }
        let mut data = d.data.borrow_mut();
        for c in s.as_str().chars() {
            data.extend_from_slice(&(c as u32).to_ne_bytes());
        }
        return Ok(());
    }
    if let Some(other) = init.downcast::<ArrayData>() {
        if other.code == b'u' && code != b'u' {
            return Err(vm.type_error(format!("cannot use a unicode array to initialize an array with typecode '{}'", code as char)));
        }
        if other.code != code {
            let items = other.items(vm);
            for x in &items {
                let b = item_bytes(vm, code, x)?;
                d.data.borrow_mut().extend_from_slice(&b);
            }
            return Ok(());
        }
    }
    if init.downcast::<taipan_vm::types::builtin::BytesData>().is_some()
        || init.downcast::<taipan_vm::types::builtin::ByteArrayData>().is_some()
    {
        return frombytes(vm, d, &as_buffer(init).map(|b| b.into_owned()).unwrap_or_default());
    }
    extend_iter(vm, d, init)
}

fn frombytes(vm: &Vm, a: &ArrayData, b: &[u8]) -> PyResult<()> {
    if !b.len().is_multiple_of(a.size()) {
        return Err(vm.new_error(&vm.types.value_error, "bytes length not a multiple of item size"));
    }
    if !b.is_empty() {
        a.resizable(vm)?;
    }
    a.data.borrow_mut().extend_from_slice(b);
    Ok(())
}

fn extend_iter(vm: &Vm, a: &ArrayData, it: &Obj) -> PyResult<()> {
    if let Some(other) = it.downcast::<ArrayData>() {
        if other.code != a.code {
            return Err(vm.type_error("can only extend with array of same kind"));
        }
        let bytes = other.data.borrow().clone();
        if !bytes.is_empty() {
            a.resizable(vm)?;
        }
        a.data.borrow_mut().extend_from_slice(&bytes);
        return Ok(());
    }
    let iter = ops::iter(vm, it)?;
    while let Some(x) = ops::next(vm, &iter)? {
        let b = item_bytes(vm, a.code, &x)?;
        a.resizable(vm)?;
        a.data.borrow_mut().extend_from_slice(&b);
    }
    Ok(())
}

fn array_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let a = arr(vm, o)?;
    let name = type_data(&type_of(o)).name.to_string();
    let name = name.rsplit('.').next().unwrap_or("array").to_string();
    let code = a.code as char;
    if a.len() == 0 {
        return Ok(new_str(vm, &format!("{name}('{code}')")));
    }
    let inner = if a.code == b'u' { util::repr(vm, &tounicode(vm, a)?)? } else { util::repr(vm, &new_list(vm, a.items(vm)))? };
    Ok(new_str(vm, &format!("{name}('{code}', {inner})")))
}

/// The str of a `'u'` array (UCS-4 code units; lone surrogates kept, code
/// points beyond U+10FFFF a ValueError, as CPython's).
fn tounicode(vm: &Vm, a: &ArrayData) -> PyResult<Obj> {
    let d = a.data.borrow();
    let mut w = taipan_parser::wtf8::Wtf8Buf::with_capacity(d.len());
    for c in d.chunks_exact(4) {
        let cp = u32::from_ne_bytes([c[0], c[1], c[2], c[3]]);
        if cp > 0x10ffff {
            return Err(vm.new_error(&vm.types.value_error, format!("character U+{cp:x} is not in range [U+0000; U+10ffff]")));
        }
        w.push_code_point(cp);
    }
    Ok(taipan_vm::types::builtin::new_str_wtf8(vm, w))
}

fn array_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    match op {
        BinaryOp::Add => {
            let Some(x) = a.downcast::<ArrayData>() else { return Ok(vm.not_implemented.clone()) };
            let Some(y) = b.downcast::<ArrayData>() else {
                return Err(vm.type_error(format!("can only append array (not \"{}\") to array", type_name(b))));
            };
            if x.code != y.code {
                return Err(vm.type_error("bad argument type for built-in operation"));
            }
            let mut d = x.data.borrow().clone();
            d.extend_from_slice(&y.data.borrow());
            Ok(same_kind(vm, a, x.code, d))
        }
        BinaryOp::Multiply => {
            let (arr_obj, n) = if is_array(a) { (a, b) } else { (b, a) };
            let Some(x) = arr_obj.downcast::<ArrayData>() else { return Ok(vm.not_implemented.clone()) };
            if !is_index(n) {
                if is_array(a) {
                    return Err(vm.type_error(format!("can't multiply sequence by non-int of type '{}'", type_name(n))));
                }
                return Ok(vm.not_implemented.clone());
            }
            let count = util::to_isize(vm, n)?.max(0) as usize;
            taipan_vm::types::container::repeat_len(vm, x.data.borrow().len(), count)?;
            let d = x.data.borrow().repeat(count);
            Ok(same_kind(vm, arr_obj, x.code, d))
        }
        _ => Ok(vm.not_implemented.clone()),
    }
}

fn array_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let (Some(x), Some(y)) = (a.downcast::<ArrayData>(), b.downcast::<ArrayData>()) else { return Ok(vm.not_implemented.clone()) };
    if x.len() != y.len() && matches!(op, CompareOp::Eq | CompareOp::Ne) {
        return Ok(vm.bool(op == CompareOp::Ne));
    }
    let (xs, ys) = (x.items(vm), y.items(vm));
    let mut k = 0;
    while k < xs.len() && k < ys.len() {
        if !ops::eq(vm, &xs[k], &ys[k])? {
            break;
        }
        k += 1;
    }
    if k >= xs.len() || k >= ys.len() {
        let (lx, ly) = (xs.len(), ys.len());
        let r = match op {
            CompareOp::Lt => lx < ly,
            CompareOp::Le => lx <= ly,
            CompareOp::Eq => lx == ly,
            CompareOp::Ne => lx != ly,
            CompareOp::Gt => lx > ly,
            CompareOp::Ge => lx >= ly,
        };
        return Ok(vm.bool(r));
    }
    match op {
        CompareOp::Eq => Ok(vm.bool(false)),
        CompareOp::Ne => Ok(vm.bool(true)),
        _ => ops::compare(vm, op, &xs[k], &ys[k]),
    }
}

// ------------------------------------------------------------- methods

fn index_of(vm: &Vm, a: &ArrayData, key: &Obj, msg: &str) -> PyResult<usize> {
    let i = util::to_isize(vm, key)?;
    let len = a.len() as isize;
    let j = if i < 0 { i + len } else { i };
    if j < 0 || j >= len {
        return Err(vm.new_error(&vm.types.index_error, msg));
    }
    Ok(j as usize)
}

fn is_index(o: &Obj) -> bool {
    int_data(o).is_some() || lookup(&type_of(o), "__index__").is_some()
}

fn m_getitem(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key] = exact::<1>(vm, "__getitem__", args, kw)?;
    let a = arr(vm, this)?;
    if let Some(s) = key.downcast::<SliceData>() {
        let n = a.size();
        let d = a.data.borrow();
        let mut out = Vec::new();
        for p in slice_positions(vm, s, d.len() / n)? {
            out.extend_from_slice(&d[p * n..(p + 1) * n]);
        }
        drop(d);
        return Ok(same_kind(vm, this, a.code, out));
    }
    if !is_index(&key) {
        return Err(vm.type_error("array indices must be integers"));
    }
    let i = index_of(vm, a, &key, "array index out of range")?;
    Ok(a.item(vm, i))
}

fn m_setitem(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key, value] = exact::<2>(vm, "__setitem__", args, kw)?;
    let a = arr(vm, this)?;
    let n = a.size();
    if let Some(s) = key.downcast::<SliceData>() {
        let Some(v) = value.downcast::<ArrayData>() else {
            return Err(vm.type_error(format!("can only assign array (not \"{}\") to array slice", type_name(&value))));
        };
        if v.code != a.code {
            return Err(vm.type_error("bad argument type for built-in operation"));
        }
        let src = v.data.borrow().clone();
        let len = a.len();
        let (start, stop, step) = slice_indices(vm, s, len as i64)?;
        if step == 1 {
            let stop = stop.max(start) as usize;
            let start = start as usize;
            if src.len() != (stop - start) * n {
                a.resizable(vm)?;
            }
            a.data.borrow_mut().splice(start * n..stop * n, src);
            return Ok(vm.none.clone());
        }
        let positions = slice_positions(vm, s, len)?;
        if positions.len() * n != src.len() {
            return Err(vm.new_error(
                &vm.types.value_error,
                format!("attempt to assign array of size {} to extended slice of size {}", src.len() / n, positions.len()),
            ));
        }
        let mut d = a.data.borrow_mut();
        for (k, p) in positions.into_iter().enumerate() {
            d[p * n..(p + 1) * n].copy_from_slice(&src[k * n..(k + 1) * n]);
        }
        return Ok(vm.none.clone());
    }
    if !is_index(&key) {
        return Err(vm.type_error("array indices must be integers"));
    }
    let i = index_of(vm, a, &key, "array assignment index out of range")?;
    let b = item_bytes(vm, a.code, &value)?;
    let mut d = a.data.borrow_mut();
    if (i + 1) * n <= d.len() {
        d[i * n..(i + 1) * n].copy_from_slice(&b);
    }
    Ok(vm.none.clone())
}

fn m_delitem(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key] = exact::<1>(vm, "__delitem__", args, kw)?;
    let a = arr(vm, this)?;
    let n = a.size();
    let positions = if let Some(s) = key.downcast::<SliceData>() {
        slice_positions(vm, s, a.len())?
    } else {
        if !is_index(&key) {
            return Err(vm.type_error("array indices must be integers"));
        }
        vec![index_of(vm, a, &key, "array assignment index out of range")?]
    };
    if positions.is_empty() {
        return Ok(vm.none.clone());
    }
    a.resizable(vm)?;
    let mut keep = vec![true; a.len()];
    for p in positions {
        keep[p] = false;
    }
    let old = std::mem::take(&mut *a.data.borrow_mut());
    let new: Vec<u8> = old.chunks(n).zip(keep).filter(|(_, k)| *k).flat_map(|(c, _)| c.to_vec()).collect();
    *a.data.borrow_mut() = new;
    Ok(vm.none.clone())
}

fn m_len(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "__len__", args, kw)?;
    Ok(vm.int(arr(vm, this)?.len() as i64))
}

fn find(vm: &Vm, a: &ArrayData, x: &Obj, start: usize, stop: usize) -> PyResult<Option<usize>> {
    let mut i = start;
    while i < stop.min(a.len()) {
        let item = a.item(vm, i);
        if ops::eq(vm, &item, x)? {
            return Ok(Some(i));
        }
        i += 1;
    }
    Ok(None)
}

fn m_contains(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x] = exact::<1>(vm, "__contains__", args, kw)?;
    let a = arr(vm, this)?;
    Ok(vm.bool(find(vm, a, &x, 0, usize::MAX)?.is_some()))
}

fn m_append(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x] = exact::<1>(vm, "append", args, kw)?;
    let a = arr(vm, this)?;
    let b = item_bytes(vm, a.code, &x)?;
    a.resizable(vm)?;
    a.data.borrow_mut().extend_from_slice(&b);
    Ok(vm.none.clone())
}

fn m_extend(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x] = exact::<1>(vm, "extend", args, kw)?;
    extend_iter(vm, arr(vm, this)?, &x)?;
    Ok(vm.none.clone())
}

fn m_insert(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [i, x] = exact::<2>(vm, "insert", args, kw)?;
    let a = arr(vm, this)?;
    let i = util::to_isize(vm, &i)?;
    let len = a.len() as isize;
    let at = if i < 0 { (i + len).max(0) } else { i.min(len) } as usize;
    let b = item_bytes(vm, a.code, &x)?;
    a.resizable(vm)?;
    let n = a.size();
    a.data.borrow_mut().splice(at * n..at * n, b);
    Ok(vm.none.clone())
}

fn m_pop(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [i] = taipan_vm::native::at_most::<1>(vm, "pop", 0, args, kw)?;
    let a = arr(vm, this)?;
    let i = match &i {
        Some(i) => util::to_isize(vm, i)?,
        None => -1,
    };
    let len = a.len() as isize;
    if len == 0 {
        return Err(vm.new_error(&vm.types.index_error, "pop from empty array"));
    }
    let j = if i < 0 { i + len } else { i };
    if j < 0 || j >= len {
        return Err(vm.new_error(&vm.types.index_error, "pop index out of range"));
    }
    let j = j as usize;
    let item = a.item(vm, j);
    a.resizable(vm)?;
    let n = a.size();
    a.data.borrow_mut().drain(j * n..(j + 1) * n);
    Ok(item)
}

fn m_remove(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x] = exact::<1>(vm, "remove", args, kw)?;
    let a = arr(vm, this)?;
    let Some(j) = find(vm, a, &x, 0, usize::MAX)? else {
        return Err(vm.new_error(&vm.types.value_error, "array.remove(x): x not in array"));
    };
    a.resizable(vm)?;
    let n = a.size();
    a.data.borrow_mut().drain(j * n..(j + 1) * n);
    Ok(vm.none.clone())
}

fn m_index(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x, start, stop] = taipan_vm::native::at_most::<3>(vm, "index", 1, args, kw)?;
    let a = arr(vm, this)?;
    let len = a.len() as isize;
    let clamp = |o: &Option<Obj>, default: isize| -> PyResult<usize> {
        let v = match o {
            Some(o) => util::to_isize(vm, o)?,
            None => default,
        };
        Ok(if v < 0 { (v + len).max(0) } else { v.min(len) } as usize)
    };
    let (start, stop) = (clamp(&start, 0)?, clamp(&stop, len)?);
    let x = x.unwrap_or_else(|| vm.none.clone());
    match find(vm, a, &x, start, stop)? {
        Some(i) => Ok(vm.int(i as i64)),
        None => Err(vm.new_error(&vm.types.value_error, "array.index(x): x not in array")),
    }
}

fn m_count(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x] = exact::<1>(vm, "count", args, kw)?;
    let a = arr(vm, this)?;
    let mut n = 0;
    for i in 0..a.len() {
        if ops::eq(vm, &a.item(vm, i), &x)? {
            n += 1;
        }
    }
    Ok(vm.int(n))
}

fn m_reverse(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "reverse", args, kw)?;
    let a = arr(vm, this)?;
    let n = a.size();
    let old = a.data.borrow().clone();
    let new: Vec<u8> = old.chunks(n).rev().flatten().copied().collect();
    *a.data.borrow_mut() = new;
    Ok(vm.none.clone())
}

fn m_byteswap(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "byteswap", args, kw)?;
    let a = arr(vm, this)?;
    let n = a.size();
    for c in a.data.borrow_mut().chunks_mut(n) {
        c.reverse();
    }
    Ok(vm.none.clone())
}

fn m_buffer_info(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "buffer_info", args, kw)?;
    let a = arr(vm, this)?;
    let addr = a.data.borrow().as_ptr() as usize as i64;
    Ok(new_tuple(vm, vec![vm.int(addr), vm.int(a.len() as i64)]))
}

fn m_tobytes(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "tobytes", args, kw)?;
    Ok(new_bytes(vm, arr(vm, this)?.data.borrow().clone()))
}

fn m_frombytes(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [b] = exact::<1>(vm, "frombytes", args, kw)?;
    let Some(bytes) = as_buffer(&b).map(|x| x.into_owned()) else {
        return Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(&b))));
    };
    frombytes(vm, arr(vm, this)?, &bytes)?;
    Ok(vm.none.clone())
}

fn m_tolist(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "tolist", args, kw)?;
    Ok(new_list(vm, arr(vm, this)?.items(vm)))
}

fn m_fromlist(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [l] = exact::<1>(vm, "fromlist", args, kw)?;
    let Some(list) = l.downcast::<taipan_vm::types::builtin::ListData>() else { return Err(vm.type_error("arg must be list")) };
    let items = list.items.borrow().clone();
    let a = arr(vm, this)?;
    let mut add = Vec::new();
    for x in &items {
        add.extend_from_slice(&item_bytes(vm, a.code, x)?);
    }
    if !add.is_empty() {
        a.resizable(vm)?;
    }
    a.data.borrow_mut().extend_from_slice(&add);
    Ok(vm.none.clone())
}

fn m_fromunicode(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [s] = exact::<1>(vm, "fromunicode", args, kw)?;
    let Some(text) = s.downcast::<StrData>() else {
        return Err(vm.type_error(format!("fromunicode() argument must be str, not {}", type_name(&s))));
    };
    let a = arr(vm, this)?;
    if a.code != b'u' {
        return Err(vm.new_error(&vm.types.value_error, "fromunicode() may only be called on unicode type arrays"));
    }
    let mut add = Vec::new();
    for c in text.as_str().chars() {
        add.extend_from_slice(&(c as u32).to_ne_bytes());
    }
    if !add.is_empty() {
        a.resizable(vm)?;
    }
    a.data.borrow_mut().extend_from_slice(&add);
    Ok(vm.none.clone())
}

fn m_tounicode(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "tounicode", args, kw)?;
    let a = arr(vm, this)?;
    if a.code != b'u' {
        return Err(vm.new_error(&vm.types.value_error, "tounicode() may only be called on unicode type arrays"));
    }
    tounicode(vm, a)
}

fn m_fromfile(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f, n] = exact::<2>(vm, "fromfile", args, kw)?;
    let a = arr(vm, this)?;
    let n = util::to_isize(vm, &n)?;
    if n < 0 {
        return Err(vm.new_error(&vm.types.value_error, "negative count"));
    }
    let want = n as usize * a.size();
    let b = util::call_method(vm, &f, "read", &[vm.int(want as i64)])?;
    let Some(bytes) = b.downcast::<taipan_vm::types::builtin::BytesData>().map(|b| b.value.to_vec()) else {
        return Err(vm.type_error("read() didn't return bytes"));
    };
    let whole = bytes.len() / a.size() * a.size();
    frombytes(vm, a, &bytes[..whole])?;
    if bytes.len() != want {
        return Err(
            vm.new_error(&vm.exception_type("EOFError").unwrap_or_else(|| vm.types.exception.clone()), "read() didn't return enough bytes")
        );
    }
    Ok(vm.none.clone())
}

fn m_tofile(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f] = exact::<1>(vm, "tofile", args, kw)?;
    let data = arr(vm, this)?.data.borrow().clone();
    for chunk in data.chunks(64 * 1024) {
        util::call_method(vm, &f, "write", &[new_bytes(vm, chunk.to_vec())])?;
    }
    Ok(vm.none.clone())
}

fn m_copy(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "__copy__", args, kw)?;
    let a = arr(vm, this)?;
    Ok(new_array(&array_type(vm), a.code, a.data.borrow().clone()))
}

fn m_deepcopy(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [_memo] = exact::<1>(vm, "__deepcopy__", args, kw)?;
    m_copy(vm, this, &[], &[])
}

fn m_iadd(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [other] = exact::<1>(vm, "__iadd__", args, kw)?;
    if !is_array(&other) {
        return Err(vm.type_error(format!("can only extend array with array (not \"{}\")", type_name(&other))));
    }
    extend_iter(vm, arr(vm, this)?, &other)?;
    Ok(this.clone())
}

fn m_imul(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [n] = exact::<1>(vm, "__imul__", args, kw)?;
    let count = util::to_isize(vm, &n)?.max(0) as usize;
    let a = arr(vm, this)?;
    if count != 1 && a.len() > 0 {
        a.resizable(vm)?;
    }
    taipan_vm::types::container::repeat_len(vm, a.data.borrow().len(), count)?;
    let new = a.data.borrow().repeat(count);
    *a.data.borrow_mut() = new;
    Ok(this.clone())
}

fn m_sizeof(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "__sizeof__", args, kw)?;
    Ok(vm.int(64 + arr(vm, this)?.data.borrow().capacity() as i64))
}

/// CPython's machine format code of a typecode (little-endian host).
fn mformat_code(code: u8) -> i64 {
    let le = cfg!(target_endian = "little");
    let base = match code {
        b'b' => return 1,
        b'B' => return 0,
        b'u' => return if le { 20 } else { 21 },
        b'h' => 4,
        b'H' => 2,
        b'i' => 8,
        b'I' => 6,
        b'l' | b'q' => 12,
        b'L' | b'Q' => 10,
        b'f' => 14,
        _ => 16,
    };
    if le {
        base
    } else {
        base + 1
    }
}

fn m_reduce_ex(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [protocol] = exact::<1>(vm, "__reduce_ex__", args, kw)?;
    let protocol = util::to_isize(vm, &protocol)?;
    let a = arr(vm, this)?;
    let dict = util::getattr_opt(vm, this, "__dict__")?.unwrap_or_else(|| vm.none.clone());
    let code = new_str(vm, &(a.code as char).to_string());
    if protocol < 3 {
        let args = new_tuple(vm, vec![code, new_list(vm, a.items(vm))]);
        return Ok(new_tuple(vm, vec![type_of(this), args, dict]));
    }
    let module = taipan_vm::import::import_name(vm, "array", None, &vm.none, 0)?;
    let recon = util::getattr(vm, &module, "_array_reconstructor")?;
    let args = new_tuple(vm, vec![type_of(this), code, vm.int(mformat_code(a.code)), new_bytes(vm, a.data.borrow().clone())]);
    Ok(new_tuple(vm, vec![recon, args, dict]))
}

static ARRAY_METHODS: &[MethodDef] = &[
    MethodDef::method("append", m_append, "Append new value v to the end of the array."),
    MethodDef::method("buffer_info", m_buffer_info, "Return a tuple (address, length) giving the current memory address and the length in items of the buffer used to hold array's contents."),
    MethodDef::method("byteswap", m_byteswap, "Byteswap all items of the array."),
    MethodDef::method("count", m_count, "Return number of occurrences of v in the array."),
    MethodDef::method("extend", m_extend, "Append items to the end of the array."),
    MethodDef::method("frombytes", m_frombytes, "Appends items from the string, interpreting it as an array of machine values, as if it had been read from a file using the fromfile() method."),
    MethodDef::method("fromfile", m_fromfile, "Read n objects from the file object f and append them to the end of the array."),
    MethodDef::method("fromlist", m_fromlist, "Append items to array from list."),
    MethodDef::method("fromunicode", m_fromunicode, "Extends this array with data from the unicode string ustr."),
    MethodDef::method("index", m_index, "Return index of first occurrence of v in the array."),
    MethodDef::method("insert", m_insert, "Insert a new item v into the array before position i."),
    MethodDef::method("pop", m_pop, "Return the i-th element and delete it from the array."),
    MethodDef::method("remove", m_remove, "Remove the first occurrence of v in the array."),
    MethodDef::method("reverse", m_reverse, "Reverse the order of the items in the array."),
    MethodDef::method("tobytes", m_tobytes, "Convert the array to an array of machine values and return the bytes representation."),
    MethodDef::method("tofile", m_tofile, "Write all items (as machine values) to the file object f."),
    MethodDef::method("tolist", m_tolist, "Convert array to an ordinary list with the same items."),
    MethodDef::method("tounicode", m_tounicode, "Extends this array with data from the unicode string ustr."),
    MethodDef::method("__copy__", m_copy, "Return a copy of the array."),
    MethodDef::method("__deepcopy__", m_deepcopy, "Return a copy of the array."),
    MethodDef::method("__reduce_ex__", m_reduce_ex, "Return state information for pickling."),
    MethodDef::method("__sizeof__", m_sizeof, "Size of the array in memory, in bytes."),
    MethodDef::method("__len__", m_len, "Return len(self)."),
    MethodDef::method("__getitem__", m_getitem, "Return self[key]."),
    MethodDef::method("__setitem__", m_setitem, "Set self[key] to value."),
    MethodDef::method("__delitem__", m_delitem, "Delete self[key]."),
    MethodDef::method("__contains__", m_contains, "Return key in self."),
    MethodDef::method("__iadd__", m_iadd, "Implement self+=value."),
    MethodDef::method("__imul__", m_imul, "Implement self*=value."),
];

static ARRAY_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly(
        "typecode",
        |vm, o| Ok(new_str(vm, &(arr(vm, o)?.code as char).to_string())),
        "the typecode character used to create the array",
    ),
    GetSetDef::readonly("itemsize", |vm, o| Ok(vm.int(arr(vm, o)?.size() as i64)), "the size, in bytes, of one array item"),
];

// ------------------------------------------------------------ iterator

pub struct ArrayIter {
    array: RefCell<Option<Obj>>,
    index: Cell<usize>,
}

fn iterator_type(vm: &Vm) -> Obj {
    vm.native_type("array.arrayiterator", |vm| {
        let slots = Slots {
            new: Some(|vm, _cls, _a, _kw| Err(vm.type_error("cannot create 'array.arrayiterator' instances"))),
            iter: Some(|_vm, o| Ok(o.clone())),
            next: Some(|vm, o| {
                let Some(it) = o.downcast::<ArrayIter>() else { return Ok(None) };
                let Some(a) = it.array.borrow().clone() else { return Ok(None) };
                let d = arr(vm, &a)?;
                let i = it.index.get();
                if i >= d.len() {
                    *it.array.borrow_mut() = None;
                    return Ok(None);
                }
                it.index.set(i + 1);
                Ok(Some(d.item(vm, i)))
            }),
            traverse: Some(|o, visit| {
                if let Some(it) = o.downcast::<ArrayIter>() {
                    if let Ok(a) = it.array.try_borrow() {
                        if let Some(a) = a.as_ref() {
                            visit(a);
                        }
                    }
                }
            }),
            ..object_slots()
        };
        new_type::<ArrayIter>(vm, "array.arrayiterator", &[], true, slots, ARRAY_ITER_METHODS, &[])
    })
}

/// `__reduce__`: `(iter, (array,), index)`, `(iter, ((),))` once exhausted.
fn iter_reduce(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__reduce__", args, kw)?;
    use taipan_vm::types::iterators::reduce_iter;
    if let Some(it) = this.downcast::<ArrayIter>() {
        if let Some(a) = it.array.borrow().clone() {
            return reduce_iter(vm, a, Some(it.index.get() as i64));
        }
    }
    reduce_iter(vm, new_tuple(vm, vec![]), None)
}

/// `__setstate__(index)`: the position, clamped to the array.
fn iter_setstate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [state] = exact::<1>(vm, "__setstate__", args, kw)?;
    let i = taipan_vm::types::iterators::state_index(vm, &state)?;
    if let Some(it) = this.downcast::<ArrayIter>() {
        if let Some(a) = it.array.borrow().clone() {
            let n = arr(vm, &a)?.len();
            it.index.set(i.clamp(0, n as i64) as usize);
        }
    }
    Ok(vm.none.clone())
}

static ARRAY_ITER_METHODS: &[MethodDef] = &[
    MethodDef::method("__reduce__", iter_reduce, "Return state information for pickling."),
    MethodDef::method("__setstate__", iter_setstate, "Set state information for unpickling."),
];

// -------------------------------------------------------- reconstructor

/// The item size and signedness of an integer machine format.
fn mformat_int(mf: i64) -> Option<(usize, bool)> {
    match mf {
        0 => Some((1, false)),
        1 => Some((1, true)),
        2..=13 => Some(([2, 4, 8][((mf - 2) / 4) as usize], (mf - 2) % 4 >= 2)),
        _ => None,
    }
}

/// Decodes `items` in machine format `mf` into item objects.
fn decode_mformat(vm: &Vm, mf: i64, items: &[u8]) -> PyResult<Vec<Obj>> {
    let (size, signed, float, big) = match mf {
        0 => (1, false, false, false),
        1 => (1, true, false, false),
        2..=13 => {
            let k = (mf - 2) / 4;
            let size = [2, 4, 8][k as usize];
            let signed = (mf - 2) % 4 >= 2;
            (size, signed, false, mf % 2 == 1)
        }
        14 | 15 => (4, false, true, mf == 15),
        16 | 17 => (8, false, true, mf == 17),
        18 | 19 => {
            let units: Vec<u16> = items
                .chunks_exact(2)
                .map(|c| if mf == 19 { u16::from_be_bytes([c[0], c[1]]) } else { u16::from_le_bytes([c[0], c[1]]) })
                .collect();
            let s = String::from_utf16_lossy(&units);
            return Ok(s.chars().map(|c| new_str(vm, &c.to_string())).collect());
        }
        _ => {
            let mut out = Vec::new();
            for c in items.chunks_exact(4) {
                let v = if mf == 21 { u32::from_be_bytes([c[0], c[1], c[2], c[3]]) } else { u32::from_le_bytes([c[0], c[1], c[2], c[3]]) };
                let Some(ch) = char::from_u32(v) else {
                    return Err(vm.new_error(&vm.types.value_error, format!("character U+{v:x} is not in range [U+0000; U+10ffff]")));
                };
                out.push(new_str(vm, &ch.to_string()));
            }
            return Ok(out);
        }
    };
    let mut out = Vec::new();
    for c in items.chunks_exact(size) {
        let mut w = [0u8; 8];
        if big {
            for (k, b) in c.iter().rev().enumerate() {
                w[k] = *b;
            }
        } else {
            w[..size].copy_from_slice(c);
        }
        let u = u64::from_le_bytes(w);
        out.push(if float {
            let x = if size == 4 { f32::from_bits(u as u32) as f64 } else { f64::from_bits(u) };
            alloc(vm.types.float.clone(), x)
        } else if signed {
            let shift = 64 - size * 8;
            vm.int(((u << shift) as i64) >> shift)
        } else if u <= i64::MAX as u64 {
            vm.int(u as i64)
        } else {
            new_int_big(vm, BigInt::from(u))
        });
    }
    Ok(out)
}

fn m_array_reconstructor(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [cls, code, mf, items] = exact::<4>(vm, "_array_reconstructor", args, kw)?;
    if !is_subtype(&type_of(&cls), &vm.types.type_) {
        return Err(vm.type_error(format!("first argument must be a type object, not {}", type_name(&cls))));
    }
    let at = array_type(vm);
    if !is_subtype(&cls, &at) {
        return Err(vm.type_error(format!("{} is not a subtype of array.array", type_data(&cls).name)));
    }
    let c = match code.downcast::<StrData>().map(|s| s.as_str().into_owned()) {
        Some(s) if s.chars().count() == 1 => s.chars().next().unwrap_or(' '),
        _ => return Err(vm.type_error(format!("_array_reconstructor() argument 2 must be a unicode character, not {}", type_name(&code)))),
    };
    if !c.is_ascii() || !TYPECODES.contains(c) {
        return Err(vm.new_error(&vm.types.value_error, "second argument must be a valid type code"));
    }
    let mf = match int_data(&mf) {
        Some(IntData::Small(v)) => *v,
        _ => return Err(vm.type_error("an integer is required")),
    };
    if !(0..=21).contains(&mf) {
        return Err(vm.new_error(&vm.types.value_error, "third argument must be a valid machine format code."));
    }
    let Some(bytes) = items.downcast::<taipan_vm::types::builtin::BytesData>().map(|b| b.value.to_vec()) else {
        return Err(vm.type_error(format!("fourth argument should be bytes, not {}", type_name(&items))));
    };
    let code = c as u8;
    if mformat_code(code) == mf {
        let a = new_array(&cls, code, Vec::new());
        frombytes(vm, arr(vm, &a)?, &bytes)?;
        return Ok(a);
    }
    let values = decode_mformat(vm, mf, &bytes)?;
    // Integers go into the first typecode of the stored size and
    // signedness (a pickle from another machine may have other sizes).
    let code = match mformat_int(mf) {
        Some((size, signed)) => {
            b"bBhHiIlLqQ".iter().copied().find(|&c| itemsize(c) == size && c.is_ascii_lowercase() == signed).unwrap_or(code)
        }
        None => code,
    };
    let a = new_array(&cls, code, Vec::new());
    let d = arr(vm, &a)?;
    for v in &values {
        let b = item_bytes(vm, code, v)?;
        d.data.borrow_mut().extend_from_slice(&b);
    }
    Ok(a)
}

static FUNCS: &[FunctionDef] = &[FunctionDef::new("_array_reconstructor", m_array_reconstructor, "Internal. Used for pickling support.")];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    let t = array_type(vm);
    add_attr(vm, m, "array", t.clone())?;
    add_attr(vm, m, "ArrayType", t.clone())?;
    // `collections.abc.MutableSequence.register(array)`, as CPython's
    // module does when it is loaded.
    let fromlist = new_tuple(vm, vec![new_str(vm, "MutableSequence")]);
    let abc = taipan_vm::import::import_name(vm, "collections.abc", None, &fromlist, 0)?;
    let seq = util::getattr(vm, &abc, "MutableSequence")?;
    util::call_method(vm, &seq, "register", &[t])?;
    add_attr(vm, m, "typecodes", new_str(vm, TYPECODES))?;
    add_attr(vm, m, "__doc__", new_str(vm, "This module defines an object type which can efficiently represent\nan array of basic values: characters, integers, floating point\nnumbers.  Arrays are sequence types and behave very much like lists,\nexcept that the type of objects stored in them is constrained.\n"))?;
    Ok(())
}
