//! `memoryview`: a view of any buffer exporter (`types::buffer`), with
//! CPython's N-dimensional model: shape, strides, suboffsets, the struct
//! formats of `cast`, `tolist`/`tobytes` in C/Fortran order and
//! comparisons through the struct module for non-native formats. A view
//! counts as an export of its exporter until released (a `bytearray`
//! cannot be resized meanwhile), and is itself an exporter (`exports`).

use std::cell::Cell;

use crate::native::{exact, GetSetDef, MethodDef};
use crate::object::{alloc, Obj};
use crate::sequence::SliceData;
use crate::types::buffer::{self as pybuf, native_fmtchar, req, with_mem, BufferView};
use crate::types::builtin::*;
use crate::types::bytes::{hash_bytes, new_bytes, BytesData};
use crate::types::{Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::CompareOp;

pub struct MemoryViewData {
    /// The buffer, with format, shape and strides always present.
    pub view: BufferView,
    pub released: Cell<bool>,
    /// The hash, once computed (kept after `release()`, as CPython).
    pub hash: Cell<Option<i64>>,
    /// Buffers exported from this view (`ndarray(m)`, ...).
    pub exports: Cell<usize>,
}

impl Drop for MemoryViewData {
    fn drop(&mut self) {
        if !self.released.get() {
            pybuf::release_buffer(&self.view);
        }
    }
}

impl MemoryViewData {
    /// The number of items of the first dimension (`len()`).
    pub fn dim0(&self) -> usize {
        if self.view.ndim == 0 {
            1
        } else {
            self.view.shape.as_ref().and_then(|s| s.first().copied()).unwrap_or(0).max(0) as usize
        }
    }

    pub fn nbytes(&self) -> usize {
        self.view.len.max(0) as usize
    }

    pub fn itemsize(&self) -> usize {
        self.view.itemsize.max(0) as usize
    }

    pub fn readonly(&self) -> bool {
        self.view.readonly
    }

    pub fn format(&self) -> &str {
        self.view.format.as_deref().unwrap_or("B")
    }

    /// CPython's `_Py_MEMORYVIEW_C` flag.
    pub fn c_contiguous(&self) -> bool {
        self.flags().0
    }

    /// (C, Fortran) contiguity as memoryview's `init_flags` decides it.
    fn flags(&self) -> (bool, bool) {
        let v = &self.view;
        if v.ndim == 0 {
            return (true, true);
        }
        if v.suboffsets.is_some() {
            return (false, false);
        }
        if v.ndim == 1 {
            let shape0 = v.shape.as_ref().map_or(0, |s| s[0]);
            let stride0 = v.strides.as_ref().map_or(v.itemsize, |s| s[0]);
            let c = shape0 == 1 || stride0 == v.itemsize;
            return (c, c);
        }
        (v.is_contiguous('C'), v.is_contiguous('F'))
    }

    /// The byte position of item 0 in the exporter's memory, when the
    /// view is C-contiguous (for consumers writing raw memory).
    pub fn contiguous_start(&self) -> Option<usize> {
        (self.c_contiguous() && self.view.buf >= 0).then_some(self.view.buf as usize)
    }
}

/// A view over `view` (CPython's `mbuf_add_view`): missing shape,
/// strides and format filled in. The export stays counted.
pub fn from_view(mut view: BufferView) -> MemoryViewData {
    if view.format.is_none() {
        view.format = Some("B".to_string());
    }
    if view.ndim == 0 {
        // As CPython: a scalar view has no shape and strides arrays.
        view.shape = None;
        view.strides = None;
    } else {
        let shape = view.shape_or_default();
        let strides = view.strides_or_default();
        view.shape = Some(shape);
        view.strides = Some(strides);
    }
    MemoryViewData { view, released: Cell::new(false), hash: Cell::new(None), exports: Cell::new(0) }
}

/// `memory_getbuf`: the buffer of a memoryview for a consumer's request.
pub fn memory_getbuf(vm: &Vm, obj: &Obj, m: &MemoryViewData, flags: u32) -> PyResult<BufferView> {
    if m.released.get() {
        return Err(released_error(vm));
    }
    let err = |msg: &str| Err(vm.new_error(&vm.types.buffer_error, msg));
    let mut v = m.view.clone();
    let (c, f) = m.flags();
    if req(flags, pybuf::PYBUF_WRITABLE) && v.readonly {
        return err("memoryview: underlying buffer is not writable");
    }
    if flags & pybuf::PYBUF_FORMAT == 0 {
        v.format = None;
    }
    if req(flags, pybuf::PYBUF_C_CONTIGUOUS) && !c {
        return err("memoryview: underlying buffer is not C-contiguous");
    }
    if req(flags, pybuf::PYBUF_F_CONTIGUOUS) && !f {
        return err("memoryview: underlying buffer is not Fortran contiguous");
    }
    if req(flags, pybuf::PYBUF_ANY_CONTIGUOUS) && !c && !f {
        return err("memoryview: underlying buffer is not contiguous");
    }
    if !req(flags, pybuf::PYBUF_INDIRECT) && v.suboffsets.is_some() {
        return err("memoryview: underlying buffer requires suboffsets");
    }
    if !req(flags, pybuf::PYBUF_STRIDES) {
        if !c {
            return err("memoryview: underlying buffer is not C-contiguous");
        }
        v.strides = None;
    }
    if !req(flags, pybuf::PYBUF_ND) {
        if v.format.is_some() {
            return err("memoryview: cannot cast to unsigned bytes if the format flag is present");
        }
        v.ndim = 1;
        v.shape = None;
    }
    v.obj = obj.clone();
    v.internal = 0;
    m.exports.set(m.exports.get() + 1);
    Ok(v)
}

fn released_error(vm: &Vm) -> crate::PyErr {
    vm.new_error(&vm.types.value_error, "operation forbidden on released memoryview object")
}

fn new_view(cls: &Obj, m: MemoryViewData) -> Obj {
    alloc(cls.clone(), m)
}

/// A new memoryview of the same exporter with `view` (counted again).
fn derived(vm: &Vm, view: BufferView) -> Obj {
    pybuf::retain(&view);
    new_view(&vm.types.memoryview, from_view(view))
}

/// `PickleBuffer.raw()`: the contiguous memory of `m` as one dimension of
/// unsigned bytes, in memory order.
pub fn raw_view(vm: &Vm, m: &MemoryViewData) -> Obj {
    let mut v = m.view.clone();
    v.format = Some("B".to_string());
    v.itemsize = 1;
    v.ndim = 1;
    v.shape = Some(vec![v.len]);
    v.strides = Some(vec![1]);
    v.suboffsets = None;
    derived(vm, v)
}

/// Writes `data` over the view's bytes from byte `offset` of its C-order
/// representation.
pub fn write_view_bytes(m: &MemoryViewData, offset: usize, data: &[u8]) -> bool {
    if m.view.readonly || m.released.get() || offset + data.len() > m.nbytes() {
        return false;
    }
    if let Some(start) = m.contiguous_start() {
        return pybuf::write_mem(&m.view.mem, (start + offset) as isize, data);
    }
    let mut whole = view_bytes(m).unwrap_or_default();
    if whole.len() < offset + data.len() {
        return false;
    }
    whole[offset..offset + data.len()].copy_from_slice(data);
    m.view.write_items(&whole)
}

/// The bytes the view covers in C order (`tobytes()`); `None` once released.
pub fn view_bytes(m: &MemoryViewData) -> Option<Vec<u8>> {
    if m.released.get() {
        return None;
    }
    Some(m.view.to_contiguous('C'))
}

/// The bytes of a contiguous view in memory order (C or Fortran, whichever
/// the view is), as `PickleBuffer` pickles them; `None` once released.
pub fn memory_order_bytes(m: &MemoryViewData) -> Option<Vec<u8>> {
    if m.released.get() {
        return None;
    }
    let order = if m.view.is_contiguous('C') { 'C' } else { 'F' };
    Some(m.view.to_contiguous(order))
}

/// One item of native format `format` as its bytes, for item assignment
/// (`struct.pack` of one value, with memoryview's messages).
fn pack_item(vm: &Vm, fmt: &str, value: &Obj) -> PyResult<Vec<u8>> {
    let Some((format, size)) = native_fmtchar(fmt) else {
        return Err(vm.new_error(&vm.types.not_implemented_error, format!("memoryview: unsupported format {fmt}")));
    };
    let invalid_type = || vm.type_error(format!("memoryview: invalid type for format '{format}'"));
    let invalid_value = || vm.new_error(&vm.types.value_error, format!("memoryview: invalid value for format '{format}'"));
    match format {
        'f' | 'd' => {
            let x = if let Some(f) = value.downcast::<f64>() {
                *f
            } else if int_data(value).is_some()
                || crate::types::lookup(&crate::types::type_of(value), "__float__").is_some()
                || crate::types::lookup(&crate::types::type_of(value), "__index__").is_some()
            {
                // `fix_error_int`: conversion errors become memoryview's.
                match crate::types::float::number_to_f64(vm, value) {
                    Ok(x) => x,
                    Err(e) => {
                        let t = crate::types::type_of(&e.exc);
                        if crate::types::is_subtype(&t, &vm.types.type_error) {
                            return Err(invalid_type());
                        }
                        if crate::types::is_subtype(&t, &vm.types.overflow_error) || crate::types::is_subtype(&t, &vm.types.value_error) {
                            return Err(invalid_value());
                        }
                        return Err(e);
                    }
                }
            } else {
                return Err(invalid_type());
            };
            Ok(if format == 'f' { (x as f32).to_le_bytes().to_vec() } else { x.to_le_bytes().to_vec() })
        }
        '?' => Ok(vec![crate::ops::truth(vm, value)? as u8]),
        'c' => match value.downcast::<BytesData>() {
            Some(b) if b.value.len() == 1 => Ok(b.value.to_vec()),
            Some(_) => Err(invalid_value()),
            None => Err(invalid_type()),
        },
        _ => {
            let i = if int_data(value).is_some() {
                value.clone()
            } else if crate::types::lookup(&crate::types::type_of(value), "__index__").is_some() {
                crate::ops::index(vm, value)?
            } else {
                return Err(invalid_type());
            };
            let Some(i) = int_data(&i) else { return Err(invalid_type()) };
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

/// One item of native format char `format` from its bytes.
fn unpack(vm: &Vm, format: char, b: &[u8]) -> Obj {
    let mut w = [0u8; 8];
    let n = b.len().min(8);
    w[..n].copy_from_slice(&b[..n]);
    let u = u64::from_le_bytes(w);
    match format {
        'b' => vm.int(w[0] as i8 as i64),
        'B' => vm.int(w[0] as i64),
        'h' => vm.int(u as u16 as i16 as i64),
        'H' => vm.int(u as u16 as i64),
        'i' => vm.int(u as u32 as i32 as i64),
        'I' => vm.int(u as u32 as i64),
        'l' | 'q' | 'n' => vm.int(u as i64),
        'L' | 'Q' | 'N' | 'P' => new_int_big(vm, u.into()),
        'c' => new_bytes(vm, b.to_vec()),
        '?' => vm.bool(w[0] != 0),
        'f' => alloc(vm.types.float.clone(), f32::from_le_bytes([w[0], w[1], w[2], w[3]]) as f64),
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
        return Err(released_error(vm));
    }
    Ok(m)
}

/// Raises if the view was released meanwhile (by `__index__`,
/// `__float__` or `__bool__` code run during the operation).
fn recheck(vm: &Vm, m: &MemoryViewData) -> PyResult<()> {
    if m.released.get() {
        return Err(released_error(vm));
    }
    Ok(())
}

/// The native format character of the view (`adjust_fmt`), or
/// CPython's NotImplementedError.
fn adjust_fmt(vm: &Vm, m: &MemoryViewData) -> PyResult<char> {
    let f = m.format();
    let g = f.strip_prefix('@').unwrap_or(f);
    let mut chars = g.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(vm.new_error(&vm.types.not_implemented_error, format!("memoryview: unsupported format {f}"))),
    }
}

/// One item at byte `p` of `r`, unpacked by native char `c`.
fn unpack_at(vm: &Vm, m: &MemoryViewData, c: char, r: &[u8], p: isize) -> PyResult<Obj> {
    if native_fmtchar(&c.to_string()).is_none() {
        return Err(vm.new_error(&vm.types.not_implemented_error, format!("memoryview: format {} not supported", m.format())));
    }
    Ok(unpack(vm, c, &pybuf::bytes_at(r, p, m.itemsize())))
}

/// Every item in C order (for `tolist`, iteration, comparisons).
fn items(vm: &Vm, m: &MemoryViewData) -> PyResult<Vec<Obj>> {
    let c = adjust_fmt(vm, m)?;
    with_mem(&m.view.mem, |r| m.view.item_pointers(r).into_iter().map(|p| unpack_at(vm, m, c, r, p)).collect())
}

/// `tolist()`: nested lists by shape (the item for ndim = 0).
fn tolist(vm: &Vm, m: &MemoryViewData) -> PyResult<Obj> {
    let flat = items(vm, m)?;
    if m.view.ndim == 0 {
        return Ok(flat.into_iter().next().unwrap_or_else(|| vm.none.clone()));
    }
    let shape = m.view.shape_or_default();
    Ok(nest(vm, &flat, &shape))
}

/// Nests the C-order `flat` items into lists of `shape`.
pub fn nest(vm: &Vm, flat: &[Obj], shape: &[isize]) -> Obj {
    if shape.len() <= 1 {
        return new_list(vm, flat.to_vec());
    }
    let n = shape[0].max(0) as usize;
    let per: usize = shape[1..].iter().map(|&x| x.max(0) as usize).product();
    let rows = (0..n).map(|i| nest(vm, flat.get(i * per..(i + 1) * per).unwrap_or(&[]), &shape[1..])).collect();
    new_list(vm, rows)
}

pub fn memoryview_slots() -> Slots {
    Slots {
        new: Some(|vm, cls, args, kw| {
            static P: crate::native::Params =
                crate::native::Params { fname: "memoryview", names: &["object"], posonly: 0, kwonly: 0, required: 1 };
            let [obj] = crate::native::bind::<1>(vm, &P, args, kw)?;
            let Some(obj) = obj else { return Err(vm.type_error("memoryview() missing required argument 'object' (pos 1)")) };
            if let Some(m) = obj.downcast::<MemoryViewData>() {
                live(vm, &obj)?;
                let view = m.view.clone();
                pybuf::retain(&view);
                return Ok(new_view(cls, from_view(view)));
            }
            if !pybuf::check_buffer(&obj) {
                return Err(vm.type_error(format!("memoryview: a bytes-like object is required, not '{}'", type_name(&obj))));
            }
            let view = pybuf::get_buffer(vm, &obj, pybuf::PYBUF_FULL_RO)?;
            if view.ndim > 64 {
                pybuf::release_buffer(&view);
                return Err(vm.new_error(&vm.types.value_error, "memoryview: number of dimensions must not exceed 64"));
            }
            Ok(new_view(cls, from_view(view)))
        }),
        // `bool(m)` is `len(m) != 0` (CPython's `sq_length`).
        bool: Some(|vm, o| Ok(live(vm, o)?.dim0() > 0)),
        repr: Some(|vm, o| {
            let what = if mv(o).released.get() { "released memory" } else { "memory" };
            Ok(new_str(vm, &format!("<{what} at {:#x}>", o.as_ptr() as usize)))
        }),
        hash: Some(|vm, o| {
            if let Some(h) = mv(o).hash.get() {
                return Ok(h);
            }
            let m = live(vm, o)?;
            if !m.view.readonly {
                return Err(vm.new_error(&vm.types.value_error, "cannot hash writable memoryview object"));
            }
            let f = m.format();
            let f = f.strip_prefix('@').unwrap_or(f);
            if !matches!(f, "B" | "b" | "c") {
                return Err(vm.new_error(&vm.types.value_error, "memoryview: hashing is restricted to formats 'B', 'b' or 'c'"));
            }
            if !m.view.obj.is(&vm.none) {
                crate::ops::hash(vm, &m.view.obj)?;
            }
            let h = hash_bytes(&view_bytes(m).unwrap_or_default());
            m.hash.set(Some(h));
            Ok(h)
        }),
        iter: Some(|vm, o| {
            let m = live(vm, o)?;
            adjust_fmt(vm, m)?;
            if m.view.ndim == 0 {
                return Err(vm.type_error("invalid indexing of 0-dim memory"));
            }
            if m.view.ndim != 1 {
                return Err(vm.new_error(&vm.types.not_implemented_error, "multi-dimensional sub-views are not implemented"));
            }
            let snapshot = new_list(vm, items(vm, m)?);
            crate::ops::iter(vm, &snapshot)
        }),
        compare: Some(compare),
        // The exporter can hold the view (a cycle through `b.m = memoryview(b)`).
        traverse: Some(|o, visit| {
            if let Some(m) = o.downcast::<MemoryViewData>() {
                visit(&m.view.obj);
                visit(&m.view.mem);
            }
        }),
        ..object_slots()
    }
}

/// The unpacker of a struct format (`struct.Struct(fmt).unpack_from`),
/// `None` when the struct module rejects the format.
fn struct_unpacker(vm: &Vm, format: &str) -> PyResult<Option<Obj>> {
    let module = crate::import::import_absolute(vm, "struct")?;
    let cls = crate::classes::getattr(vm, &module, &new_str(vm, "Struct"))?;
    match crate::classes::call_object(vm, &cls, &[new_str(vm, format)]) {
        Ok(s) => Ok(Some(crate::classes::getattr(vm, &s, &new_str(vm, "unpack_from"))?)),
        Err(e) => {
            let t = crate::types::type_of(&e.exc);
            if crate::types::is_subtype(&t, &vm.types.import_error) || crate::types::is_subtype(&t, &vm.types.memory_error) {
                Err(e)
            } else {
                Ok(None)
            }
        }
    }
}

/// The items of `v` in C order through a struct unpacker (a tuple of one
/// value becomes the value).
fn struct_items(vm: &Vm, v: &BufferView, unpacker: &Obj) -> PyResult<Vec<Obj>> {
    let size = v.itemsize.max(0) as usize;
    let chunks: Vec<Vec<u8>> = with_mem(&v.mem, |r| v.item_pointers(r).into_iter().map(|p| pybuf::bytes_at(r, p, size)).collect());
    let mut out = Vec::with_capacity(chunks.len());
    for c in chunks {
        let t = crate::classes::call_object(vm, unpacker, &[new_bytes(vm, c)])?;
        out.push(match t.downcast::<TupleData>() {
            Some(tt) if tt.items.len() == 1 => tt.items[0].clone(),
            _ => t,
        });
    }
    Ok(out)
}

/// Native-char items of `v`.
fn native_items(vm: &Vm, v: &BufferView, c: char) -> Vec<Obj> {
    let size = v.itemsize.max(0) as usize;
    with_mem(&v.mem, |r| v.item_pointers(r).into_iter().map(|p| unpack(vm, c, &pybuf::bytes_at(r, p, size))).collect())
}

fn equiv_shape(a: &BufferView, b: &BufferView) -> bool {
    if a.ndim != b.ndim {
        return false;
    }
    let (sa, sb) = (a.shape_or_default(), b.shape_or_default());
    for i in 0..a.ndim {
        if sa[i] != sb[i] {
            return false;
        }
        if sa[i] == 0 {
            break;
        }
    }
    true
}

fn compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    if !matches!(op, CompareOp::Eq | CompareOp::Ne) {
        return Ok(vm.not_implemented.clone());
    }
    let ma = mv(a);
    let result = |equal: bool| Ok(vm.bool(equal == (op == CompareOp::Eq)));
    if ma.released.get() {
        return result(a.is(b));
    }
    let held;
    let vb: &BufferView = match b.downcast::<MemoryViewData>() {
        Some(mb) if mb.released.get() => return result(a.is(b)),
        Some(mb) => &mb.view,
        None => match pybuf::hold(vm, b, pybuf::PYBUF_FULL_RO) {
            Ok(h) => {
                held = h;
                &held.0
            }
            Err(_) => return Ok(vm.not_implemented.clone()),
        },
    };
    let va = &ma.view;
    if !equiv_shape(va, vb) {
        return result(false);
    }
    let fa = va.format.as_deref().unwrap_or("B");
    let fb = vb.format.as_deref().unwrap_or("B");
    let (xs, ys) = match (native_fmtchar(fa), native_fmtchar(fb)) {
        (Some((ca, _)), Some((cb, _))) if ca == cb => (native_items(vm, va, ca), native_items(vm, vb, cb)),
        _ => {
            let (Some(ua), Some(ub)) = (struct_unpacker(vm, fa)?, struct_unpacker(vm, fb)?) else {
                return result(false);
            };
            (struct_items(vm, va, &ua)?, struct_items(vm, vb, &ub)?)
        }
    };
    if xs.len() != ys.len() {
        return result(false);
    }
    for (x, y) in xs.iter().zip(&ys) {
        if !crate::ops::eq(vm, x, y)? {
            return result(false);
        }
    }
    result(true)
}

/// An index into dimension `dim` of `n` items (`lookup_dimension`).
fn lookup_dimension(vm: &Vm, i: i64, n: isize, dim: usize) -> PyResult<isize> {
    let j = if i < 0 { i + n as i64 } else { i };
    if j < 0 || j >= n as i64 {
        return Err(vm.new_error(&vm.types.index_error, format!("index out of bounds on dimension {}", dim + 1)));
    }
    Ok(j as isize)
}

fn is_index(x: &Obj) -> bool {
    x.downcast::<IntData>().is_some() || crate::types::lookup(&crate::types::type_of(x), "__index__").is_some()
}

/// `PyNumber_AsSsize_t(key, IndexError)`.
fn index_of(vm: &Vm, key: &Obj) -> PyResult<i64> {
    match crate::sequence::ssize_index(vm, key)? {
        Some(i) => Ok(i),
        None => Err(vm.type_error("memoryview: invalid slice key")),
    }
}

/// The byte position of the item at the index tuple `t` (`ptr_from_tuple`).
fn ptr_from_tuple(vm: &Vm, m: &MemoryViewData, t: &[Obj]) -> PyResult<isize> {
    let v = &m.view;
    if t.len() > v.ndim {
        return Err(vm.type_error(format!("cannot index {}-dimension view with {}-element tuple", v.ndim, t.len())));
    }
    let shape = v.shape_or_default();
    let mut idx = Vec::with_capacity(t.len());
    for (d, k) in t.iter().enumerate() {
        let i = index_of(vm, k)?;
        recheck(vm, m)?;
        idx.push(lookup_dimension(vm, i, shape[d], d)?);
    }
    Ok(with_mem(&v.mem, |r| v.pointer(r, &idx)))
}

/// `init_slice`: the view narrowed by slice `s` in dimension `dim`.
fn slice_view(vm: &Vm, v: &mut BufferView, s: &SliceData, dim: usize) -> PyResult<()> {
    let mut shape = v.shape_or_default();
    let mut strides = v.strides_or_default();
    let (start, stop, step) = crate::sequence::slice_indices(vm, s, shape[dim] as i64)?;
    let n = crate::sequence::slice_walk(start, stop, step).count() as isize;
    let start = start as isize;
    match v.suboffsets.as_mut() {
        Some(subs) if dim > 0 => {
            let mut k = dim as isize - 1;
            while k >= 0 && subs[k as usize] < 0 {
                k -= 1;
            }
            if k < 0 {
                v.buf += strides[dim] * start;
            } else {
                subs[k as usize] += strides[dim] * start;
            }
        }
        _ => v.buf += strides[dim] * start,
    }
    shape[dim] = n;
    strides[dim] = strides[dim].saturating_mul(step as isize);
    v.len = shape.iter().product::<isize>() * v.itemsize;
    v.shape = Some(shape);
    v.strides = Some(strides);
    Ok(())
}

pub fn getitem(vm: &Vm, o: &Obj, key: &Obj) -> PyResult<Obj> {
    let m = live(vm, o)?;
    let v = &m.view;
    if v.ndim == 0 {
        if key.is(&vm.ellipsis) {
            return Ok(o.clone());
        }
        if key.downcast::<TupleData>().is_some_and(|t| t.items.is_empty()) {
            let c = adjust_fmt(vm, m)?;
            return with_mem(&v.mem, |r| unpack_at(vm, m, c, r, v.buf));
        }
        return Err(vm.type_error("invalid indexing of 0-dim memory"));
    }
    if is_index(key) {
        let i = index_of(vm, key)?;
        recheck(vm, m)?;
        let c = adjust_fmt(vm, m)?;
        if v.ndim != 1 {
            return Err(vm.new_error(&vm.types.not_implemented_error, "multi-dimensional sub-views are not implemented"));
        }
        let j = lookup_dimension(vm, i, v.shape_or_default()[0], 0)?;
        return with_mem(&v.mem, |r| {
            let p = v.pointer(r, &[j]);
            unpack_at(vm, m, c, r, p)
        });
    }
    if let Some(s) = key.downcast::<SliceData>() {
        let mut nv = v.clone();
        slice_view(vm, &mut nv, s, 0)?;
        return Ok(derived(vm, nv));
    }
    if let Some(t) = key.downcast::<TupleData>() {
        if t.items.iter().all(is_index) {
            let c = adjust_fmt(vm, m)?;
            if t.items.len() < v.ndim {
                return Err(vm.new_error(&vm.types.not_implemented_error, "sub-views are not implemented"));
            }
            let p = ptr_from_tuple(vm, m, &t.items)?;
            return with_mem(&v.mem, |r| unpack_at(vm, m, c, r, p));
        }
        if !t.items.is_empty() && t.items.iter().all(|x| x.downcast::<SliceData>().is_some()) {
            return Err(vm.new_error(&vm.types.not_implemented_error, "multi-dimensional slicing is not implemented"));
        }
    }
    Err(vm.type_error("memoryview: invalid slice key"))
}

/// Writes one packed item at byte `p`.
fn store(vm: &Vm, m: &MemoryViewData, p: isize, value: &Obj) -> PyResult<()> {
    let bytes = pack_item(vm, m.format(), value)?;
    recheck(vm, m)?;
    if !pybuf::write_mem(&m.view.mem, p, &bytes) {
        return Err(vm.type_error("cannot modify read-only memory"));
    }
    Ok(())
}

pub fn setitem(vm: &Vm, o: &Obj, key: &Obj, value: Obj) -> PyResult<()> {
    let m = live(vm, o)?;
    let v = &m.view;
    adjust_fmt(vm, m)?;
    if v.readonly {
        return Err(vm.type_error("cannot modify read-only memory"));
    }
    if v.ndim == 0 {
        if key.is(&vm.ellipsis) || key.downcast::<TupleData>().is_some_and(|t| t.items.is_empty()) {
            adjust_fmt(vm, m)?;
            return store(vm, m, v.buf, &value);
        }
        return Err(vm.type_error("invalid indexing of 0-dim memory"));
    }
    if is_index(key) {
        if v.ndim > 1 {
            return Err(vm.new_error(&vm.types.not_implemented_error, "sub-views are not implemented"));
        }
        let i = index_of(vm, key)?;
        recheck(vm, m)?;
        let j = lookup_dimension(vm, i, v.shape_or_default()[0], 0)?;
        let p = with_mem(&v.mem, |r| v.pointer(r, &[j]));
        return store(vm, m, p, &value);
    }
    if let Some(s) = key.downcast::<SliceData>() {
        if v.ndim == 1 {
            let src = pybuf::hold(vm, &value, pybuf::PYBUF_FULL_RO)?;
            let mut dest = v.clone();
            slice_view(vm, &mut dest, s, 0)?;
            recheck(vm, m)?;
            let sf = src.0.format.as_deref().unwrap_or("B");
            let df = dest.format.as_deref().unwrap_or("B");
            let strip = |f: &str| f.strip_prefix('@').unwrap_or(f).to_string();
            if strip(sf) != strip(df) || src.0.itemsize != dest.itemsize || !equiv_shape(&dest, &src.0) {
                return Err(vm.new_error(&vm.types.value_error, "memoryview assignment: lvalue and rvalue have different structures"));
            }
            let bytes = src.0.to_contiguous('C');
            if !dest.write_items(&bytes) {
                return Err(vm.type_error("cannot modify read-only memory"));
            }
            return Ok(());
        }
    }
    if let Some(t) = key.downcast::<TupleData>() {
        if t.items.iter().all(is_index) {
            if t.items.len() < v.ndim {
                return Err(vm.new_error(&vm.types.not_implemented_error, "sub-views are not implemented"));
            }
            let p = ptr_from_tuple(vm, m, &t.items)?;
            return store(vm, m, p, &value);
        }
    }
    let multislice =
        key.downcast::<TupleData>().is_some_and(|t| !t.items.is_empty() && t.items.iter().all(|x| x.downcast::<SliceData>().is_some()));
    if key.downcast::<SliceData>().is_some() || multislice {
        return Err(vm.new_error(&vm.types.not_implemented_error, "memoryview slice assignments are currently restricted to ndim = 1"));
    }
    Err(vm.type_error("memoryview: invalid slice key"))
}

fn release(vm: &Vm, o: &Obj) -> PyResult<()> {
    let m = mv(o);
    if m.released.get() {
        return Ok(());
    }
    let n = m.exports.get();
    if n > 0 {
        let s = if n == 1 { "" } else { "s" };
        return Err(vm.new_error(&vm.types.buffer_error, format!("memoryview has {n} exported buffer{s}")));
    }
    m.released.set(true);
    pybuf::release_buffer(&m.view);
    Ok(())
}

fn mv_cast(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: crate::native::Params =
        crate::native::Params { fname: "cast", names: &["format", "shape"], posonly: 0, kwonly: 0, required: 1 };
    let [format, shape] = crate::native::bind::<2>(vm, &P, args, kw)?;
    let m = live(vm, this)?;
    let Some(format) = format else { return Err(vm.type_error("cast() missing required argument 'format' (pos 1)")) };
    let Some(f) = format.downcast::<StrData>() else {
        return Err(vm.type_error(format!("cast() argument 'format' must be str, not {}", type_name(&format))));
    };
    let f = f.as_str().into_owned();
    let v = &m.view;
    if !m.c_contiguous() {
        return Err(vm.type_error("memoryview: casts are restricted to C-contiguous views"));
    }
    let shape = shape.filter(|s| !s.is(&vm.none));
    let zero_in_shape = v.shape_or_default().contains(&0);
    if (shape.is_some() || v.ndim != 1) && zero_in_shape {
        return Err(vm.type_error("memoryview: cannot cast view with zeros in shape or strides"));
    }
    let mut new_shape = None;
    if let Some(s) = &shape {
        let items = if let Some(l) = s.downcast::<ListData>() {
            l.items.borrow().clone()
        } else if let Some(t) = s.downcast::<TupleData>() {
            t.items.to_vec()
        } else {
            return Err(vm.type_error("shape must be a list or a tuple"));
        };
        if items.len() > 64 {
            return Err(vm.new_error(&vm.types.value_error, "memoryview: number of dimensions must not exceed 64"));
        }
        if v.ndim != 1 && items.len() != 1 {
            return Err(vm.type_error("memoryview: cast must be 1D -> ND or ND -> 1D"));
        }
        new_shape = Some(items);
    }
    if !f.is_ascii() {
        return Err(vm.new_error(
            &vm.types.value_error,
            "memoryview: destination format must be a native single character format prefixed with an optional '@'",
        ));
    }
    let Some((dc, size)) = native_fmtchar(&f) else {
        return Err(vm.new_error(
            &vm.types.value_error,
            "memoryview: destination format must be a native single character format prefixed with an optional '@'",
        ));
    };
    let byte = |c: char| matches!(c, 'b' | 'B' | 'c');
    let src_byte = native_fmtchar(m.format()).is_some_and(|(c, _)| byte(c));
    if !src_byte && !byte(dc) {
        return Err(vm.type_error("memoryview: cannot cast between two non-byte formats"));
    }
    if v.len % size as isize != 0 {
        return Err(vm.type_error("memoryview: length is not a multiple of itemsize"));
    }
    let mut nv = v.clone();
    nv.format = Some(f.clone());
    nv.itemsize = size as isize;
    nv.ndim = 1;
    nv.shape = Some(vec![v.len / size as isize]);
    nv.strides = Some(vec![size as isize]);
    nv.suboffsets = None;
    if let Some(items) = new_shape {
        let mut dims = Vec::with_capacity(items.len());
        let mut len: isize = size as isize;
        for x in &items {
            let Some(i) = x.downcast::<IntData>() else {
                return Err(vm.type_error("memoryview.cast(): elements of shape must be integers"));
            };
            let n = match i {
                IntData::Small(n) => *n,
                _ => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C ssize_t")),
            };
            if n <= 0 {
                return Err(vm.new_error(&vm.types.value_error, "memoryview.cast(): elements of shape must be integers > 0"));
            }
            if n as isize > isize::MAX / len {
                return Err(vm.new_error(&vm.types.value_error, "memoryview.cast(): product(shape) > SSIZE_MAX"));
            }
            len *= n as isize;
            dims.push(n as isize);
        }
        let total = len;
        if total != v.len {
            return Err(vm.type_error("memoryview: product(shape) * itemsize != buffer size"));
        }
        nv.ndim = dims.len();
        if dims.is_empty() {
            nv.strides = None;
            nv.shape = None;
        } else {
            nv.strides = Some(pybuf::strides_from_shape(&dims, size as isize, false));
            nv.shape = Some(dims);
        }
    }
    Ok(derived(vm, nv))
}

/// The `order` argument of `tobytes` (`None` is C).
fn order_arg(vm: &Vm, order: Option<Obj>) -> PyResult<char> {
    let Some(o) = order.filter(|o| !o.is(&vm.none)) else { return Ok('C') };
    let Some(s) = o.downcast::<StrData>() else {
        return Err(vm.type_error(format!("tobytes() argument 'order' must be str or None, not {}", type_name(&o))));
    };
    match &*s.as_str() {
        "C" => Ok('C'),
        "F" => Ok('F'),
        "A" => Ok('A'),
        _ => Err(vm.new_error(&vm.types.value_error, "order must be 'C', 'F' or 'A'")),
    }
}

pub static MEMORYVIEW_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "__len__",
        |vm, s, a, kw| {
            let [] = exact(vm, "__len__", a, kw)?;
            Ok(vm.int(live(vm, s)?.dim0() as i64))
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
            Err(vm.type_error(if m.view.readonly { "cannot modify read-only memory" } else { "cannot delete memory" }))
        },
        "Delete self[key].",
    ),
    MethodDef::method(
        "tobytes",
        |vm, s, a, kw| {
            static P: crate::native::Params =
                crate::native::Params { fname: "tobytes", names: &["order"], posonly: 0, kwonly: 0, required: 0 };
            let [order] = crate::native::bind::<1>(vm, &P, a, kw)?;
            let m = live(vm, s)?;
            let order = order_arg(vm, order)?;
            Ok(new_bytes(vm, m.view.to_contiguous(order)))
        },
        "Return the data in the buffer as a byte string.",
    ),
    MethodDef::method(
        "tolist",
        |vm, s, a, kw| {
            let [] = exact(vm, "tolist", a, kw)?;
            let m = live(vm, s)?;
            tolist(vm, m)
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
            release(vm, s)?;
            Ok(vm.none.clone())
        },
        "Release the underlying buffer exposed by the memoryview object.",
    ),
    MethodDef::method(
        "toreadonly",
        |vm, s, a, kw| {
            let [] = exact(vm, "toreadonly", a, kw)?;
            let m = live(vm, s)?;
            let mut v = m.view.clone();
            v.readonly = true;
            Ok(derived(vm, v))
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
            release(vm, s)?;
            Ok(vm.none.clone())
        },
        "Release the underlying buffer exposed by the memoryview object.",
    ),
];

fn getter(vm: &Vm, o: &Obj, f: fn(&Vm, &MemoryViewData) -> Obj) -> PyResult<Obj> {
    Ok(f(vm, live(vm, o)?))
}

fn int_tuple(vm: &Vm, v: &[isize]) -> Obj {
    new_tuple(vm, v.iter().map(|&x| vm.int(x as i64)).collect())
}

pub static MEMORYVIEW_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("obj", |vm, o| getter(vm, o, |_, m| m.view.obj.clone()), "The underlying object of the memoryview."),
    GetSetDef::readonly("nbytes", |vm, o| getter(vm, o, |vm, m| vm.int(m.view.len as i64)), ""),
    GetSetDef::readonly(
        "readonly",
        |vm, o| getter(vm, o, |vm, m| vm.bool(m.view.readonly)),
        "A bool indicating whether the memory is read only.",
    ),
    GetSetDef::readonly("itemsize", |vm, o| getter(vm, o, |vm, m| vm.int(m.view.itemsize as i64)), ""),
    GetSetDef::readonly("format", |vm, o| getter(vm, o, |vm, m| new_str(vm, m.format())), ""),
    GetSetDef::readonly("ndim", |vm, o| getter(vm, o, |vm, m| vm.int(m.view.ndim as i64)), ""),
    GetSetDef::readonly("shape", |vm, o| getter(vm, o, |vm, m| int_tuple(vm, &m.view.shape_or_default())), ""),
    GetSetDef::readonly("strides", |vm, o| getter(vm, o, |vm, m| int_tuple(vm, &m.view.strides_or_default())), ""),
    GetSetDef::readonly("suboffsets", |vm, o| getter(vm, o, |vm, m| int_tuple(vm, m.view.suboffsets.as_deref().unwrap_or(&[]))), ""),
    GetSetDef::readonly(
        "contiguous",
        |vm, o| {
            getter(vm, o, |vm, m| {
                let (c, f) = m.flags();
                vm.bool(c || f)
            })
        },
        "",
    ),
    GetSetDef::readonly("c_contiguous", |vm, o| getter(vm, o, |vm, m| vm.bool(m.flags().0)), ""),
    GetSetDef::readonly("f_contiguous", |vm, o| getter(vm, o, |vm, m| vm.bool(m.flags().1)), ""),
];
