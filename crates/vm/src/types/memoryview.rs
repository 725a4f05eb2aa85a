//! `memoryview`: a one-dimensional view of a `bytes` or `bytearray`
//! buffer (`start` byte offset, `len` items `stride` bytes apart), with
//! the struct formats of `cast`. A view of a `bytearray` counts as an
//! export and blocks resizing until released.

use std::cell::Cell;

use crate::native::{exact, GetSetDef, MethodDef};
use crate::object::{alloc, Obj};
use crate::sequence::SliceData;
use crate::types::builtin::*;
use crate::types::bytearray::ByteArrayData;
use crate::types::bytes::{as_buffer, buffer_procs, hash_bytes, new_bytes, BytesData};
use crate::types::{Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::CompareOp;

pub struct MemoryViewData {
    /// The exporting object (`bytes` or `bytearray`).
    pub obj: Obj,
    pub start: usize,
    pub len: usize,
    pub stride: isize,
    pub itemsize: usize,
    pub format: char,
    pub readonly: bool,
    pub released: Cell<bool>,
    /// The hash, once computed (kept after `release()`, as CPython).
    pub hash: Cell<Option<i64>>,
}

impl Drop for MemoryViewData {
    fn drop(&mut self) {
        if !self.released.get() {
            unexport(&self.obj);
        }
    }
}

fn unexport(obj: &Obj) {
    if let Some(b) = obj.downcast::<ByteArrayData>() {
        b.exports.set(b.exports.get().saturating_sub(1));
    } else if let Some(p) = buffer_procs(obj) {
        (p.exports)(obj, -1);
    }
}

fn export(obj: &Obj) {
    if let Some(b) = obj.downcast::<ByteArrayData>() {
        b.exports.set(b.exports.get() + 1);
    } else if let Some(p) = buffer_procs(obj) {
        (p.exports)(obj, 1);
    }
}

fn new_view(cls: &Obj, m: MemoryViewData) -> Obj {
    export(&m.obj);
    alloc(cls.clone(), m)
}

/// The raw bytes of the underlying buffer.
fn raw(obj: &Obj) -> Vec<u8> {
    if let Some(b) = obj.downcast::<BytesData>() {
        return b.value.to_vec();
    }
    if let Some(b) = obj.downcast::<ByteArrayData>() {
        return b.value.borrow().clone();
    }
    buffer_procs(obj).map_or_else(Vec::new, |p| (p.read)(obj))
}

/// Calls `f` with the exporter's bytes: borrowed for bytes and bytearray
/// (no copy: views of big buffers stay cheap), a copy for other exporters.
fn with_raw<R>(obj: &Obj, f: impl FnOnce(&[u8]) -> R) -> R {
    if let Some(b) = obj.downcast::<BytesData>() {
        return f(&b.value);
    }
    if let Some(b) = obj.downcast::<ByteArrayData>() {
        return f(&b.value.borrow());
    }
    f(&raw(obj))
}

/// The number of positions of a slice (`PySlice_AdjustIndices`'s count)
/// from indices clamped by `slice_indices`.
fn slice_count(start: i64, stop: i64, step: i64) -> usize {
    let (start, stop, step) = (start as i128, stop as i128, step as i128);
    let n = if step > 0 && start < stop {
        (stop - start - 1) / step + 1
    } else if step < 0 && stop < start {
        (start - stop - 1) / -step + 1
    } else {
        0
    };
    n as usize
}

/// Writes `data` at byte `at` of the exporter (bytearray or a writable
/// `Slots::buffer` exporter); false when it is read-only or too short.
fn write_raw(obj: &Obj, at: usize, data: &[u8]) -> bool {
    if let Some(b) = obj.downcast::<ByteArrayData>() {
        let mut v = b.value.borrow_mut();
        if at + data.len() > v.len() {
            return false;
        }
        v[at..at + data.len()].copy_from_slice(data);
        return true;
    }
    match buffer_procs(obj).and_then(|p| p.writer(obj)) {
        Some(w) if at + data.len() <= raw(obj).len() => {
            w(obj, at, data);
            true
        }
        _ => false,
    }
}

/// Writes `data` over the view's bytes from byte `offset` of the view
/// (items `stride` apart in the exporter).
pub fn write_view_bytes(m: &MemoryViewData, offset: usize, data: &[u8]) -> bool {
    if m.readonly || m.released.get() || offset + data.len() > m.len * m.itemsize {
        return false;
    }
    if m.stride == m.itemsize as isize {
        return write_raw(&m.obj, m.start + offset, data);
    }
    let size = m.itemsize.max(1);
    let mut k = 0;
    while k < data.len() {
        let pos = offset + k;
        let (item, within) = (pos / size, pos % size);
        let n = (size - within).min(data.len() - k);
        let at = m.start as isize + item as isize * m.stride + within as isize;
        if at < 0 || !write_raw(&m.obj, at as usize, &data[k..k + n]) {
            return false;
        }
        k += n;
    }
    true
}

/// One item of `format` as its native bytes, for item assignment
/// (`struct.pack` of one value, with memoryview's messages).
fn pack_item(vm: &Vm, format: char, value: &Obj) -> PyResult<Vec<u8>> {
    let invalid_type = || vm.type_error(format!("memoryview: invalid type for format '{format}'"));
    let invalid_value = || vm.new_error(&vm.types.value_error, format!("memoryview: invalid value for format '{format}'"));
    match format {
        'f' | 'd' => {
            let x = if let Some(f) = value.downcast::<f64>() {
                *f
            } else if int_data(value).is_some() {
                crate::types::float::number_to_f64(vm, value)?
            } else {
                return Err(invalid_type());
            };
            Ok(if format == 'f' { (x as f32).to_le_bytes().to_vec() } else { x.to_le_bytes().to_vec() })
        }
        '?' => Ok(vec![crate::ops::truth(vm, value)? as u8]),
        'c' => match value.downcast::<BytesData>() {
            Some(b) if b.value.len() == 1 => Ok(b.value.to_vec()),
            _ => Err(invalid_value()),
        },
        _ => {
            let size = itemsize_of(format)
                .ok_or_else(|| vm.new_error(&vm.types.not_implemented_error, format!("memoryview: format {format} not supported")))?;
            let Some(i) = int_data(value) else { return Err(invalid_type()) };
            let v = i.to_big();
            let signed = matches!(format, 'b' | 'h' | 'i' | 'l' | 'q' | 'n');
            let bits = size as u32 * 8;
            let fits = if signed {
                let lim = num_bigint::BigInt::from(1) << (bits - 1);
                v >= -lim.clone() && v < lim
            } else {
                v >= 0.into() && v < (num_bigint::BigInt::from(1) << bits)
            };
            if !fits {
                return Err(invalid_value());
            }
            let mut bytes = v.to_signed_bytes_le();
            let fill = if v < 0.into() { 0xff } else { 0 };
            bytes.resize(size, fill);
            Ok(bytes)
        }
    }
}

/// The bytes the view covers, in order (`tobytes()`); `None` once released.
pub fn view_bytes(m: &MemoryViewData) -> Option<Vec<u8>> {
    if m.released.get() {
        return None;
    }
    with_raw(&m.obj, |r| {
        if m.stride == m.itemsize as isize {
            // Contiguous: one copy of the viewed range.
            let end = (m.start + m.len * m.itemsize).min(r.len());
            return Some(r.get(m.start..end).unwrap_or_default().to_vec());
        }
        let mut out = Vec::with_capacity(m.len * m.itemsize);
        for i in 0..m.len {
            let at = m.start as isize + i as isize * m.stride;
            if at < 0 || at as usize + m.itemsize > r.len() {
                break;
            }
            out.extend_from_slice(&r[at as usize..at as usize + m.itemsize]);
        }
        Some(out)
    })
}

fn itemsize_of(format: char) -> Option<usize> {
    Some(match format {
        'B' | 'b' | 'c' | '?' => 1,
        'H' | 'h' => 2,
        'I' | 'i' | 'f' => 4,
        'L' | 'l' | 'Q' | 'q' | 'N' | 'n' | 'd' | 'P' => 8,
        _ => return None,
    })
}

/// One item of `format` from its native (little-endian) bytes.
fn unpack(vm: &Vm, format: char, b: &[u8]) -> Obj {
    let mut w = [0u8; 8];
    w[..b.len()].copy_from_slice(b);
    let u = u64::from_le_bytes(w);
    match format {
        'b' => vm.int(b[0] as i8 as i64),
        'h' => vm.int(u as u16 as i16 as i64),
        'i' => vm.int(u as u32 as i32 as i64),
        'l' | 'q' | 'n' => vm.int(u as i64),
        'L' | 'Q' | 'N' | 'P' => new_int_big(vm, u.into()),
        'c' => new_bytes(vm, b.to_vec()),
        '?' => vm.bool(b[0] != 0),
        'f' => alloc(vm.types.float.clone(), f32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f64),
        'd' => alloc(vm.types.float.clone(), f64::from_le_bytes(w)),
        _ => vm.int(u as i64),
    }
}

fn mv(o: &Obj) -> &MemoryViewData {
    match o.downcast::<MemoryViewData>() {
        Some(m) => m,
        None => unreachable!("memoryview method on a non-memoryview"),
    }
}

/// `mv` itself, unless released.
fn live<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a MemoryViewData> {
    let m = mv(o);
    if m.released.get() {
        return Err(vm.new_error(&vm.types.value_error, "operation forbidden on released memoryview object"));
    }
    Ok(m)
}

fn items(vm: &Vm, m: &MemoryViewData) -> Vec<Obj> {
    let b = view_bytes(m).unwrap_or_default();
    b.chunks(m.itemsize.max(1)).map(|c| unpack(vm, m.format, c)).collect()
}

pub fn memoryview_slots() -> Slots {
    Slots {
        new: Some(|vm, cls, args, kw| {
            static P: crate::native::Params =
                crate::native::Params { fname: "memoryview", names: &["object"], posonly: 0, kwonly: 0, required: 1 };
            let [obj] = crate::native::bind::<1>(vm, &P, args, kw)?;
            let Some(mut obj) = obj else { return Err(vm.type_error("memoryview() missing required argument 'object' (pos 1)")) };
            // A `PickleBuffer` re-exports the view it holds.
            if let Some(view) = crate::types::picklebuffer::exported_view(vm, &obj) {
                obj = view?;
            }
            if let Some(m) = obj.downcast::<MemoryViewData>() {
                live(vm, &obj)?;
                let copy = MemoryViewData { obj: m.obj.clone(), released: Cell::new(false), hash: Cell::new(None), ..*m };
                return Ok(new_view(cls, copy));
            }
            if let Some(p) = buffer_procs(&obj) {
                crate::types::bytes::check_export(vm, &obj)?;
                let (format, itemsize) = (p.format)(&obj);
                let len = with_raw(&obj, |r| r.len()) / itemsize.max(1);
                let readonly = p.is_readonly(&obj);
                let m = MemoryViewData {
                    obj,
                    start: 0,
                    len,
                    stride: itemsize as isize,
                    itemsize,
                    format,
                    readonly,
                    released: Cell::new(false),
                    hash: Cell::new(None),
                };
                return Ok(new_view(cls, m));
            }
            let readonly = obj.downcast::<BytesData>().is_some();
            if !readonly && obj.downcast::<ByteArrayData>().is_none() {
                return Err(vm.type_error(format!("memoryview: a bytes-like object is required, not '{}'", type_name(&obj))));
            }
            let len = with_raw(&obj, |r| r.len());
            let m = MemoryViewData {
                obj,
                start: 0,
                len,
                stride: 1,
                itemsize: 1,
                format: 'B',
                readonly,
                released: Cell::new(false),
                hash: Cell::new(None),
            };
            Ok(new_view(cls, m))
        }),
        // `bool(m)` is `len(m) != 0` (CPython's `sq_length`).
        bool: Some(|vm, o| Ok(live(vm, o)?.len > 0)),
        repr: Some(|vm, o| {
            let what = if mv(o).released.get() { "released memory" } else { "memory" };
            Ok(new_str(vm, &format!("<{what} at {:#x}>", o.as_ptr() as usize)))
        }),
        hash: Some(|vm, o| {
            if let Some(h) = mv(o).hash.get() {
                return Ok(h);
            }
            let m = live(vm, o)?;
            if !m.readonly {
                return Err(vm.new_error(&vm.types.value_error, "cannot hash writable memoryview object"));
            }
            if !matches!(m.format, 'B' | 'b' | 'c') {
                return Err(vm.new_error(&vm.types.value_error, "memoryview: hashing is restricted to formats 'B', 'b' or 'c'"));
            }
            let h = hash_bytes(&view_bytes(m).unwrap_or_default());
            m.hash.set(Some(h));
            Ok(h)
        }),
        iter: Some(|vm, o| {
            let m = live(vm, o)?;
            let snapshot = new_list(vm, items(vm, m));
            crate::ops::iter(vm, &snapshot)
        }),
        compare: Some(|vm, op, a, b| {
            if !matches!(op, CompareOp::Eq | CompareOp::Ne) {
                return Ok(vm.not_implemented.clone());
            }
            let (ma, mb) = (mv(a), b.downcast::<MemoryViewData>());
            if ma.released.get() || mb.is_some_and(|m| m.released.get()) {
                return Ok(vm.bool((op == CompareOp::Eq) == a.is(b)));
            }
            let Some(other) = as_buffer(b) else { return Ok(vm.not_implemented.clone()) };
            // Other exporters (array.array...) compare item by item in
            // their own format, through a view of them.
            let other_view;
            let mb = match mb {
                None if b.downcast::<BytesData>().is_none() && b.downcast::<ByteArrayData>().is_none() => {
                    other_view = crate::classes::call_object(vm, &vm.types.memoryview, std::slice::from_ref(b))?;
                    other_view.downcast::<MemoryViewData>()
                }
                mb => mb,
            };
            let equal = match mb {
                Some(m) if m.format != ma.format => {
                    let (x, y) = (items(vm, ma), items(vm, m));
                    x.len() == y.len() && {
                        let mut all = true;
                        for (p, q) in x.iter().zip(&y) {
                            if !crate::ops::eq(vm, p, q)? {
                                all = false;
                                break;
                            }
                        }
                        all
                    }
                }
                None if ma.format != 'B' => {
                    let x = items(vm, ma);
                    x.len() == other.len()
                        && x.iter()
                            .zip(other.iter())
                            .all(|(p, &q)| matches!(p.downcast::<IntData>(), Some(IntData::Small(v)) if *v == q as i64))
                }
                _ => view_bytes(ma).unwrap_or_default() == other.as_ref(),
            };
            Ok(vm.bool(equal == (op == CompareOp::Eq)))
        }),
        // The exporter can hold the view (a cycle through `b.m = memoryview(b)`).
        traverse: Some(|o, visit| {
            if let Some(m) = o.downcast::<MemoryViewData>() {
                visit(&m.obj);
            }
        }),
        ..object_slots()
    }
}

pub fn getitem(vm: &Vm, o: &Obj, key: &Obj) -> PyResult<Obj> {
    let m = live(vm, o)?;
    if let Some(s) = key.downcast::<SliceData>() {
        let (start, stop, step) = crate::sequence::slice_indices(vm, s, m.len as i64)?;
        let n = slice_count(start, stop, step);
        let v = MemoryViewData {
            obj: m.obj.clone(),
            start: if n == 0 { m.start } else { (m.start as isize + start as isize * m.stride) as usize },
            len: n,
            // One item or none: the stride is unused (and may be huge).
            stride: m.stride.saturating_mul(step as isize),
            released: Cell::new(false),
            hash: Cell::new(None),
            ..*m
        };
        return Ok(new_view(&vm.types.memoryview, v));
    }
    let i = item_position(vm, m, key, false)?;
    let at = (m.start as isize + i as isize * m.stride) as usize;
    let item = with_raw(&m.obj, |r| r.get(at..at + m.itemsize).map(<[u8]>::to_vec));
    match item {
        Some(b) => Ok(unpack(vm, m.format, &b)),
        None => Err(vm.new_error(&vm.types.index_error, "index out of bounds on dimension 1")),
    }
}

/// The item a non-slice `key` designates in a (one-dimensional) view: an
/// index, or a tuple of one index; CPython's errors for other tuples
/// (`set`: those of an assignment) and other keys. (A one-dimensional
/// view's `m[()]` is a sub-view, which CPython does not implement.)
fn item_position(vm: &Vm, m: &MemoryViewData, key: &Obj, set: bool) -> PyResult<usize> {
    let is_index = |x: &Obj| x.downcast::<IntData>().is_some() || crate::types::lookup(&crate::types::type_of(x), "__index__").is_some();
    let key = match key.downcast::<TupleData>() {
        Some(t) if t.items.iter().all(is_index) => {
            if t.items.is_empty() {
                return Err(vm.new_error(&vm.types.not_implemented_error, "sub-views are not implemented"));
            }
            if t.items.len() != 1 {
                return Err(vm.type_error(format!("cannot index 1-dimension view with {}-element tuple", t.items.len())));
            }
            t.items[0].clone()
        }
        Some(t) if t.items.iter().all(|x| x.downcast::<SliceData>().is_some()) => {
            let msg = if set {
                "memoryview slice assignments are currently restricted to ndim = 1"
            } else {
                "multi-dimensional slicing is not implemented"
            };
            return Err(vm.new_error(&vm.types.not_implemented_error, msg));
        }
        _ => key.clone(),
    };
    let Some(i) = crate::sequence::ssize_index(vm, &key)? else { return Err(vm.type_error("memoryview: invalid slice key")) };
    crate::sequence::position(vm, i, m.len, "memoryview")
        .map_err(|_| vm.new_error(&vm.types.index_error, "index out of bounds on dimension 1"))
}

pub fn setitem(vm: &Vm, o: &Obj, key: &Obj, value: Obj) -> PyResult<()> {
    let m = live(vm, o)?;
    if m.readonly {
        return Err(vm.type_error("cannot modify read-only memory"));
    }
    let positions: Vec<usize> = match key.downcast::<SliceData>() {
        Some(s) => crate::sequence::slice_positions(vm, s, m.len)?,
        None => {
            let i = item_position(vm, m, key, true)?;
            let bytes = pack_item(vm, m.format, &value)?;
            if !write_view_bytes(m, i * m.itemsize, &bytes) {
                return Err(vm.type_error("cannot modify read-only memory"));
            }
            return Ok(());
        }
    };
    let Some(src) = as_buffer(&value) else {
        return Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(&value))));
    };
    let src = src.into_owned();
    if src.len() != positions.len() * m.itemsize {
        return Err(vm.new_error(&vm.types.value_error, "memoryview assignment: lvalue and rvalue have different structures"));
    }
    for (k, p) in positions.into_iter().enumerate() {
        if !write_view_bytes(m, p * m.itemsize, &src[k * m.itemsize..(k + 1) * m.itemsize]) {
            return Err(vm.type_error("cannot modify read-only memory"));
        }
    }
    Ok(())
}

fn release(o: &Obj) {
    let m = mv(o);
    if !m.released.get() {
        m.released.set(true);
        unexport(&m.obj);
    }
}

fn mv_cast(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: crate::native::Params =
        crate::native::Params { fname: "cast", names: &["format", "shape"], posonly: 0, kwonly: 0, required: 1 };
    let [format, _shape] = crate::native::bind::<2>(vm, &P, args, kw)?;
    let m = live(vm, this)?;
    let Some(format) = format else { return Err(vm.type_error("cast() missing required argument 'format' (pos 1)")) };
    let Some(f) = format.downcast::<StrData>() else {
        return Err(vm.type_error(format!("cast() argument 'format' must be str, not {}", type_name(&format))));
    };
    let f = f.as_str().into_owned();
    let fc = f.strip_prefix('@').unwrap_or(&f);
    let mut chars = fc.chars();
    let (Some(c), None, Some(size)) = (chars.next(), chars.next(), fc.chars().next().and_then(itemsize_of)) else {
        return Err(vm.new_error(
            &vm.types.value_error,
            "memoryview: destination format must be a native single character format prefixed with an optional '@'",
        ));
    };
    if m.stride != m.itemsize as isize && m.len > 1 {
        return Err(vm.type_error("memoryview: casts are restricted to C-contiguous views"));
    }
    if m.format != 'B' && m.format != 'b' && m.format != 'c' && size != 1 {
        return Err(vm.type_error("memoryview: cannot cast between two non-byte formats"));
    }
    let nbytes = m.len * m.itemsize;
    if nbytes % size != 0 {
        return Err(vm.type_error("memoryview: length is not a multiple of itemsize"));
    }
    let v = MemoryViewData {
        obj: m.obj.clone(),
        start: m.start,
        len: nbytes / size,
        stride: size as isize,
        itemsize: size,
        format: c,
        readonly: m.readonly,
        released: Cell::new(false),
        hash: Cell::new(None),
    };
    Ok(new_view(&vm.types.memoryview, v))
}

pub static MEMORYVIEW_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "__len__",
        |vm, s, a, kw| {
            let [] = exact(vm, "__len__", a, kw)?;
            Ok(vm.int(live(vm, s)?.len as i64))
        },
        "Return len(self).",
    ),
    MethodDef::method(
        "__getitem__",
        |vm, s, a, kw| {
            let [key] = exact(vm, "__getitem__", a, kw)?;
            getitem(vm, s, &key)
        },
        "Return self[key].",
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
            let [_key] = exact(vm, "__delitem__", a, kw)?;
            let m = live(vm, s)?;
            Err(vm.type_error(if m.readonly { "cannot modify read-only memory" } else { "cannot delete memory" }))
        },
        "Delete self[key].",
    ),
    MethodDef::method(
        "tobytes",
        |vm, s, a, kw| {
            let [_order] = crate::native::at_most::<1>(vm, "tobytes", 0, a, kw)?;
            let m = live(vm, s)?;
            Ok(new_bytes(vm, view_bytes(m).unwrap_or_default()))
        },
        "Return the data in the buffer as a byte string.",
    ),
    MethodDef::method(
        "tolist",
        |vm, s, a, kw| {
            let [] = exact(vm, "tolist", a, kw)?;
            let m = live(vm, s)?;
            Ok(new_list(vm, items(vm, m)))
        },
        "Return the data in the buffer as a list of elements.",
    ),
    MethodDef::method(
        "hex",
        |vm, s, a, kw| {
            static P: crate::native::Params =
                crate::native::Params { fname: "hex", names: &["sep", "bytes_per_sep"], posonly: 0, kwonly: 0, required: 0 };
            let [sep, per] = crate::native::bind::<2>(vm, &P, a, kw)?;
            let m = live(vm, s)?;
            let h = crate::types::bytes::hex_string(vm, &view_bytes(m).unwrap_or_default(), sep, per)?;
            Ok(new_str(vm, &h))
        },
        "Return the data in the buffer as a str of hexadecimal numbers.",
    ),
    MethodDef::method(
        "release",
        |vm, s, a, kw| {
            let [] = exact(vm, "release", a, kw)?;
            release(s);
            Ok(vm.none.clone())
        },
        "Release the underlying buffer exposed by the memoryview object.",
    ),
    MethodDef::method(
        "toreadonly",
        |vm, s, a, kw| {
            let [] = exact(vm, "toreadonly", a, kw)?;
            let m = live(vm, s)?;
            let v = MemoryViewData { obj: m.obj.clone(), readonly: true, released: Cell::new(false), hash: Cell::new(None), ..*m };
            Ok(new_view(&vm.types.memoryview, v))
        },
        "Return a readonly version of the memoryview.",
    ),
    MethodDef::method("cast", mv_cast, "Cast a memoryview to a new format or shape."),
    MethodDef::method(
        "__enter__",
        |vm, s, a, kw| {
            let [] = exact(vm, "__enter__", a, kw)?;
            live(vm, s)?;
            Ok(s.clone())
        },
        "",
    ),
    MethodDef::method(
        "__exit__",
        |vm, s, _a, _kw| {
            release(s);
            Ok(vm.none.clone())
        },
        "Release the underlying buffer exposed by the memoryview object.",
    ),
];

fn getter(vm: &Vm, o: &Obj, f: fn(&Vm, &MemoryViewData) -> Obj) -> PyResult<Obj> {
    Ok(f(vm, live(vm, o)?))
}

pub static MEMORYVIEW_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("obj", |vm, o| getter(vm, o, |_, m| m.obj.clone()), "The underlying object of the memoryview."),
    GetSetDef::readonly("nbytes", |vm, o| getter(vm, o, |vm, m| vm.int((m.len * m.itemsize) as i64)), ""),
    GetSetDef::readonly(
        "readonly",
        |vm, o| getter(vm, o, |vm, m| vm.bool(m.readonly)),
        "A bool indicating whether the memory is read only.",
    ),
    GetSetDef::readonly("itemsize", |vm, o| getter(vm, o, |vm, m| vm.int(m.itemsize as i64)), ""),
    GetSetDef::readonly("format", |vm, o| getter(vm, o, |vm, m| new_str(vm, &m.format.to_string())), ""),
    GetSetDef::readonly("ndim", |vm, o| getter(vm, o, |vm, _| vm.int(1)), ""),
    GetSetDef::readonly("shape", |vm, o| getter(vm, o, |vm, m| new_tuple(vm, vec![vm.int(m.len as i64)])), ""),
    GetSetDef::readonly("strides", |vm, o| getter(vm, o, |vm, m| new_tuple(vm, vec![vm.int(m.stride as i64)])), ""),
    GetSetDef::readonly("suboffsets", |vm, o| getter(vm, o, |vm, _| new_tuple(vm, Vec::new())), ""),
    GetSetDef::readonly("contiguous", |vm, o| getter(vm, o, |vm, m| vm.bool(m.len <= 1 || m.stride == m.itemsize as isize)), ""),
    GetSetDef::readonly("c_contiguous", |vm, o| getter(vm, o, |vm, m| vm.bool(m.len <= 1 || m.stride == m.itemsize as isize)), ""),
    GetSetDef::readonly("f_contiguous", |vm, o| getter(vm, o, |vm, m| vm.bool(m.len <= 1 || m.stride == m.itemsize as isize)), ""),
];
