//! `_testbuffer`: the test exporter of the buffer protocol that
//! `test_buffer` drives (CPython's Modules/_testbuffer.c). `ndarray` is
//! an N-dimensional exporter: a stack of base buffers (each its own
//! `bytearray` of memory, a `types::buffer::BufferView` describing
//! format, shape, strides, suboffsets and offset, and an export count),
//! or a consumer of another exporter's buffer taken with `getbuf` request
//! flags. Items are packed and unpacked by the `struct` module, as in
//! CPython. PIL-style arrays keep their sub-array "pointers" as byte
//! offsets into the same memory (see `types::buffer`).
//! `staticarray` exports a fixed 12-byte buffer; the functions check
//! `PyBuffer_GetPointer`, `PyBuffer_ToContiguous`,
//! `PyMemoryView_GetContiguous` and contiguity tests.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

use taipan_vm::classes::{call_object, getattr};
use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{bind, new_type, FunctionDef, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::sequence::SliceData;
use taipan_vm::types::buffer::{self as pybuf, req, with_mem, BufferView};
use taipan_vm::types::builtin::*;
use taipan_vm::types::bytearray::new_bytearray;
use taipan_vm::types::bytes::{new_bytes, BytesData};
use taipan_vm::types::{BufferProcs, Kwargs, Slots};
use taipan_vm::{PyErr, PyResult, Vm};

const ND_MAX_NDIM: usize = 128;
const ND_VAREXPORT: u32 = 0x001;
const ND_WRITABLE: u32 = 0x002;
const ND_FORTRAN: u32 = 0x004;
const ND_SCALAR: u32 = 0x008;
const ND_PIL: u32 = 0x010;
const ND_REDIRECT: u32 = 0x020;
const ND_GETBUF_FAIL: u32 = 0x040;
const ND_GETBUF_UNDEFINED: u32 = 0x080;
const ND_C: u32 = 0x100;

fn c_contig(flags: u32) -> bool {
    flags & (ND_SCALAR | ND_C) != 0
}
fn f_contig(flags: u32) -> bool {
    flags & (ND_SCALAR | ND_FORTRAN) != 0
}
fn any_contig(flags: u32) -> bool {
    flags & (ND_SCALAR | ND_C | ND_FORTRAN) != 0
}

/// Tags base buffers so that a released view finds its own.
static NEXT_ID: AtomicUsize = AtomicUsize::new(1);

/// One base buffer (CPython's `ndbuf_t`).
struct NdBuf {
    id: usize,
    /// Length of the memory and start of the array in it (-1 for a
    /// consumer).
    len: isize,
    offset: isize,
    flags: Cell<u32>,
    exports: Cell<isize>,
    base: RefCell<BufferView>,
    /// The base is a buffer taken from another exporter (released with
    /// the ndarray).
    consumer: bool,
}

impl Drop for NdBuf {
    fn drop(&mut self) {
        if self.consumer {
            pybuf::release_buffer(&self.base.borrow());
        }
    }
}

struct NdArray {
    flags: Cell<u32>,
    /// The base buffers, the active one (`head`) last.
    bufs: RefCell<Vec<Rc<NdBuf>>>,
}

fn nd(o: &Obj) -> &NdArray {
    match o.downcast::<NdArray>() {
        Some(n) => n,
        None => unreachable!("ndarray method on a non-ndarray"),
    }
}

fn head(vm: &Vm, o: &Obj) -> PyResult<Rc<NdBuf>> {
    match o.downcast::<NdArray>().and_then(|n| n.bufs.borrow().last().cloned()) {
        Some(h) => Ok(h),
        None => Err(vm.type_error("ndarray is not initialized")),
    }
}

fn is_consumer(o: &Obj) -> bool {
    o.downcast::<NdArray>().and_then(|n| n.bufs.borrow().last().map(|b| b.consumer)).unwrap_or(false)
}

fn value_error(vm: &Vm, msg: impl Into<String>) -> PyErr {
    vm.new_error(&vm.types.value_error, msg.into())
}

fn buffer_error(vm: &Vm, msg: impl Into<String>) -> PyErr {
    vm.new_error(&vm.types.buffer_error, msg.into())
}

fn struct_attr(vm: &Vm, name: &str) -> PyResult<Obj> {
    let m = taipan_vm::import::import_absolute(vm, "struct")?;
    getattr(vm, &m, &new_str(vm, name))
}

/// `n` arguments: an index as a C `Py_ssize_t`.
fn ssize_arg(vm: &Vm, o: &Obj) -> PyResult<isize> {
    let i = taipan_vm::ops::index(vm, o)?;
    match int_data(&i) {
        Some(IntData::Small(v)) => Ok(*v as isize),
        _ => Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C ssize_t")),
    }
}

/// The items of a list or tuple, or `"{what} must be a list or a tuple"`.
fn list_or_tuple(vm: &Vm, o: &Obj, what: &str) -> PyResult<Vec<Obj>> {
    if let Some(l) = o.downcast::<ListData>() {
        return Ok(l.items.borrow().clone());
    }
    if let Some(t) = o.downcast::<TupleData>() {
        return Ok(t.items.to_vec());
    }
    Err(vm.type_error(format!("{what} must be a list or a tuple")))
}

fn seq_as_ssize(vm: &Vm, items: &[Obj], is_shape: bool) -> PyResult<Vec<isize>> {
    let what = if is_shape { "shape" } else { "strides" };
    let mut out = Vec::with_capacity(items.len());
    for x in items {
        let Some(i) = int_data(x) else { return Err(value_error(vm, format!("elements of {what} must be integers"))) };
        let IntData::Small(v) = i else {
            return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C ssize_t"));
        };
        if is_shape && *v < 0 {
            return Err(value_error(vm, "elements of shape must be integers >= 0"));
        }
        out.push(*v as isize);
    }
    Ok(out)
}

/// The bytes of one item packed by `packer` (`Struct.pack`) from an
/// initializer element (CPython's `pack_from_list` rules).
fn pack_element(vm: &Vm, packer: &Obj, nmemb: usize, item: &Obj) -> PyResult<Vec<u8>> {
    let scalar = item.downcast::<BytesData>().is_some() || int_data(item).is_some() || item.downcast::<f64>().is_some();
    let args = if scalar && nmemb == 1 {
        vec![item.clone()]
    } else {
        match (item.downcast::<ListData>(), item.downcast::<TupleData>()) {
            (Some(l), _) if l.items.borrow().len() == nmemb => l.items.borrow().clone(),
            (_, Some(t)) if t.items.len() == nmemb => t.items.to_vec(),
            _ => return Err(value_error(vm, "mismatch between initializer element and format string")),
        }
    };
    let b = call_object(vm, packer, &args)?;
    Ok(b.downcast::<BytesData>().map(|b| b.value.to_vec()).unwrap_or_default())
}

/// A `struct.Struct` for `format` and its number of members.
fn packer_of(vm: &Vm, format: &Obj, itemsize: isize) -> PyResult<(Obj, usize)> {
    let s = call_object(vm, &struct_attr(vm, "Struct")?, std::slice::from_ref(format))?;
    let zero = new_bytes(vm, vec![0; itemsize.max(0) as usize]);
    let t = call_object(vm, &getattr(vm, &s, &new_str(vm, "unpack"))?, &[zero])?;
    let n = t.downcast::<TupleData>().map_or(1, |t| t.items.len());
    Ok((s, n.max(1)))
}

/// Packs `value` as one item of `format` at byte `ptr` of `mem`.
fn pack_single(vm: &Vm, mem: &Obj, ptr: isize, value: &Obj, format: Option<&str>, itemsize: isize) -> PyResult<()> {
    let fmt = new_str(vm, format.unwrap_or("B"));
    let (s, nmemb) = packer_of(vm, &fmt, itemsize)?;
    let bytes = pack_element(vm, &getattr(vm, &s, &new_str(vm, "pack"))?, nmemb, value)?;
    let n = (itemsize.max(0) as usize).min(bytes.len());
    if !pybuf::write_mem(mem, ptr, &bytes[..n]) {
        return Err(vm.type_error("ndarray is not writable"));
    }
    Ok(())
}

/// Unpacks one item (`struct.unpack_from`; a 1-tuple gives its value).
fn unpack_bytes(vm: &Vm, unpack_from: &Obj, b: Vec<u8>) -> PyResult<Obj> {
    let t = call_object(vm, unpack_from, &[new_bytes(vm, b)])?;
    Ok(match t.downcast::<TupleData>() {
        Some(tt) if tt.items.len() == 1 => tt.items[0].clone(),
        _ => t,
    })
}

fn unpacker(vm: &Vm, format: Option<&str>) -> PyResult<Obj> {
    let s = call_object(vm, &struct_attr(vm, "Struct")?, &[new_str(vm, format.unwrap_or("B"))])?;
    getattr(vm, &s, &new_str(vm, "unpack_from"))
}

fn unpack_single(vm: &Vm, view: &BufferView, ptr: isize) -> PyResult<Obj> {
    let size = if view.format.is_none() { 1 } else { view.itemsize.max(0) as usize };
    let b = with_mem(&view.mem, |r| pybuf::bytes_at(r, ptr, size));
    unpack_bytes(vm, &unpacker(vm, view.format.as_deref())?, b)
}

/// `verify_structure`: the items stay inside the memory.
fn verify_structure(vm: &Vm, len: isize, itemsize: isize, offset: isize, shape: &[isize], strides: &[isize]) -> PyResult<()> {
    let invalid = || value_error(vm, "invalid combination of buffer, shape and strides");
    if shape.is_empty() && (offset < 0 || offset + itemsize > len) {
        return Err(invalid());
    }
    if strides.iter().any(|s| s % itemsize != 0) {
        return Err(value_error(vm, "strides must be a multiple of itemsize"));
    }
    if shape.contains(&0) {
        return Ok(());
    }
    // (i128: no overflow for any shape and strides.)
    let (mut imin, mut imax) = (0i128, 0i128);
    for (&n, &s) in shape.iter().zip(strides) {
        if s <= 0 {
            imin += (n as i128 - 1) * s as i128;
        } else {
            imax += (n as i128 - 1) * s as i128;
        }
    }
    if imin + (offset as i128) < 0 || imax + offset as i128 + itemsize as i128 > len as i128 {
        return Err(invalid());
    }
    Ok(())
}

fn init_flags(b: &BufferView) -> u32 {
    let mut f = 0;
    if b.ndim == 0 {
        f |= ND_SCALAR;
    }
    if b.suboffsets.is_some() {
        f |= ND_PIL;
    }
    if b.is_contiguous('C') {
        f |= ND_C;
    }
    if b.is_contiguous('F') {
        f |= ND_FORTRAN;
    }
    f
}

/// A new original base buffer from initializer items (`init_ndbuf`).
fn init_ndbuf(vm: &Vm, items: &Obj, shape: &Obj, strides: Option<&Obj>, offset: isize, format: &Obj, flags: u32) -> PyResult<NdBuf> {
    let shape_items = list_or_tuple(vm, shape, "shape")?;
    let ndim = shape_items.len();
    if ndim > ND_MAX_NDIM {
        return Err(value_error(vm, format!("ndim must not exceed {ND_MAX_NDIM}")));
    }
    let mut strides_items = None;
    if let Some(s) = strides {
        let v = list_or_tuple(vm, s, "strides")?;
        if !v.is_empty() {
            if flags & ND_FORTRAN != 0 {
                return Err(vm.type_error("ND_FORTRAN cannot be used together with strides"));
            }
            if v.len() != ndim {
                return Err(value_error(vm, "len(shape) != len(strides)"));
            }
            strides_items = Some(v);
        }
    }
    let size = call_object(vm, &struct_attr(vm, "calcsize")?, std::slice::from_ref(format))?;
    let itemsize = match int_data(&size) {
        Some(IntData::Small(v)) => *v as isize,
        _ => 0,
    };
    if itemsize <= 0 {
        return Err(value_error(vm, "itemsize must not be zero"));
    }
    let items = if ndim == 0 { vec![items.clone()] } else { list_or_tuple(vm, items, "items")? };
    if items.is_empty() {
        return Err(value_error(vm, "initializer list or tuple must not be empty"));
    }
    let len = items.len() as isize * itemsize;
    if offset % itemsize != 0 {
        return Err(value_error(vm, "offset must be a multiple of itemsize"));
    }
    if offset < 0 || offset + itemsize > len {
        return Err(value_error(vm, "offset out of bounds"));
    }
    // init_simple: pack every item.
    let (s, nmemb) = packer_of(vm, format, itemsize)?;
    let pack = getattr(vm, &s, &new_str(vm, "pack"))?;
    let mut data = Vec::with_capacity(len as usize);
    for item in &items {
        let mut b = pack_element(vm, &pack, nmemb, item)?;
        b.resize(itemsize as usize, 0);
        data.extend_from_slice(&b);
    }
    let Some(fmt) = format.downcast::<StrData>() else { return Err(vm.type_error("format must be a str")) };
    let fmt = fmt.as_str().into_owned();
    if !fmt.is_ascii() {
        return Err(vm.type_error("format must be ASCII"));
    }
    let mem = new_bytearray(vm, data);
    let mut flags = flags;
    let mut base = BufferView {
        obj: vm.none.clone(),
        mem: mem.clone(),
        buf: 0,
        len,
        itemsize,
        readonly: flags & ND_WRITABLE == 0,
        format: Some(fmt),
        ndim,
        shape: None,
        strides: None,
        suboffsets: None,
        internal: 0,
    };
    let mut total_len = len;
    let mut offset = offset;
    // init_structure
    if ndim == 0 {
        if flags & ND_PIL != 0 {
            return Err(vm.type_error("ndim = 0 cannot be used in conjunction with ND_PIL"));
        }
        flags |= ND_SCALAR | ND_C | ND_FORTRAN;
        base.buf = offset;
        base.len = itemsize;
    } else {
        let shape = seq_as_ssize(vm, &shape_items, true)?;
        let strides = match &strides_items {
            Some(v) => seq_as_ssize(vm, v, false)?,
            None => pybuf::strides_from_shape(&shape, itemsize, flags & ND_FORTRAN != 0),
        };
        verify_structure(vm, len, itemsize, offset, &shape, &strides)?;
        base.buf = offset;
        base.len = shape.iter().fold(itemsize, |a, &n| a.wrapping_mul(n));
        base.shape = Some(shape);
        base.strides = Some(strides);
        if base.is_contiguous('C') {
            flags |= ND_C;
        }
        if base.is_contiguous('F') {
            flags |= ND_FORTRAN;
        }
        if flags & ND_PIL != 0 {
            total_len = init_suboffsets(&mut base, offset, len);
            flags &= !(ND_C | ND_FORTRAN);
            offset = 0;
        }
    }
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    base.internal = id;
    Ok(NdBuf { id, len: total_len, offset, flags: Cell::new(flags), exports: Cell::new(0), base: RefCell::new(base), consumer: false })
}

/// `init_suboffsets`: puts an array of shape[0] "pointers" to the
/// sub-arrays before the data; returns the new memory length.
fn init_suboffsets(base: &mut BufferView, offset: isize, len: isize) -> isize {
    let shape = base.shape.clone().unwrap_or_default();
    let mut strides = base.strides.clone().unwrap_or_default();
    let addsize = 8 * ((shape[0] * 8 + 7) / 8);
    let (mut imin, mut suboffset0) = (0isize, 0isize);
    for n in 0..shape.len() {
        if shape[n] == 0 {
            break;
        }
        if strides[n] <= 0 {
            let x = (shape[n] - 1) * strides[n];
            imin += x;
            if n >= 1 {
                suboffset0 -= x;
            }
        }
    }
    let old = with_mem(&base.mem, |r| r.to_vec());
    let mut data = vec![0u8; addsize as usize];
    let start = addsize + offset + imin;
    let step = strides[0].abs();
    for n in 0..shape[0] {
        let p = (start + n * step) as i64;
        data[(n * 8) as usize..(n * 8 + 8) as usize].copy_from_slice(&p.to_le_bytes());
    }
    data.extend_from_slice(&old);
    if let Some(b) = base.mem.downcast::<taipan_vm::types::bytearray::ByteArrayData>() {
        *b.value.borrow_mut() = data;
    }
    let mut subs = vec![-1isize; shape.len()];
    subs[0] = suboffset0;
    base.suboffsets = Some(subs);
    base.buf = 0;
    if strides[0] >= 0 {
        strides[0] = 8;
    } else {
        strides[0] = -8;
        if shape[0] > 0 {
            base.buf = (shape[0] - 1) * 8;
        }
    }
    base.strides = Some(strides);
    len + addsize
}

/// A consumer base: the buffer of `exporter` for request `flags`.
fn consumer_buf(vm: &Vm, exporter: &Obj, flags: u32) -> PyResult<NdBuf> {
    let view = pybuf::get_buffer(vm, exporter, flags)?;
    let f = if view.readonly { 0 } else { ND_WRITABLE };
    let f = f | init_flags(&view);
    Ok(NdBuf {
        id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        len: -1,
        offset: -1,
        flags: Cell::new(f),
        exports: Cell::new(0),
        base: RefCell::new(view),
        consumer: true,
    })
}

fn new_consumer(vm: &Vm, b: NdBuf) -> Obj {
    alloc(ndarray_type(vm), NdArray { flags: Cell::new(0), bufs: RefCell::new(vec![Rc::new(b)]) })
}

static ND_PARAMS: Params = Params {
    fname: "ndarray",
    names: &["obj", "shape", "strides", "offset", "format", "flags", "getbuf"],
    posonly: 0,
    kwonly: 0,
    required: 1,
};

fn ndarray_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [v, shape, strides, offset, format, flags, getbuf] = bind::<7>(vm, &ND_PARAMS, args, kw)?;
    let Some(v) = v else { return Err(vm.type_error("ndarray() missing required argument 'obj' (pos 1)")) };
    let offset = offset.map(|o| ssize_arg(vm, &o)).transpose()?.unwrap_or(0);
    let flags = flags.map(|f| taipan_vm::ops::c_int(vm, &f)).transpose()?.unwrap_or(0) as u32;
    let getbuf = getbuf.map(|f| taipan_vm::ops::c_int(vm, &f)).transpose()?;
    let format_given = format.is_some();
    let format = format.unwrap_or_else(|| new_str(vm, "B"));
    if pybuf::check_buffer(&v) && shape.is_none() {
        let format_is_b = format.downcast::<StrData>().is_some_and(|s| s.as_str() == "B");
        if strides.is_some() || offset != 0 || (format_given && !format_is_b) || !(flags == 0 || flags == ND_REDIRECT) {
            return Err(vm.type_error("construction from exporter object only takes 'obj', 'getbuf' and 'flags' arguments"));
        }
        let getbuf = getbuf.map_or(pybuf::PYBUF_FULL_RO, |g| g as u32);
        let b = consumer_buf(vm, &v, getbuf)?;
        b.flags.set(b.flags.get() | flags);
        return Ok(alloc(cls.clone(), NdArray { flags: Cell::new(0), bufs: RefCell::new(vec![Rc::new(b)]) }));
    }
    if getbuf.is_some() {
        return Err(vm.type_error("getbuf argument only valid for construction from exporter object"));
    }
    let Some(shape) = shape else {
        return Err(vm.type_error("shape is a required argument when constructing from list, tuple or scalar"));
    };
    let mut flags = flags;
    let mut ndflags = 0;
    if flags & ND_VAREXPORT != 0 {
        ndflags |= ND_VAREXPORT;
        flags &= !ND_VAREXPORT;
    }
    let b = init_ndbuf(vm, &v, &shape, strides.as_ref(), offset, &format, flags)?;
    Ok(alloc(cls.clone(), NdArray { flags: Cell::new(ndflags), bufs: RefCell::new(vec![Rc::new(b)]) }))
}

fn exports_error(vm: &Vm, n: isize) -> PyErr {
    buffer_error(vm, format!("cannot change structure: {n} exported buffer{}", if n == 1 { "" } else { "s" }))
}

fn nd_push(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params =
        Params { fname: "push", names: &["items", "shape", "strides", "offset", "format", "flags"], posonly: 0, kwonly: 0, required: 2 };
    let [items, shape, strides, offset, format, flags] = bind::<6>(vm, &P, args, kw)?;
    let (Some(items), Some(shape)) = (items, shape) else { return Err(vm.type_error("push() missing required argument")) };
    let offset = offset.map(|o| ssize_arg(vm, &o)).transpose()?.unwrap_or(0);
    let format = format.unwrap_or_else(|| new_str(vm, "B"));
    let flags = flags.map(|f| taipan_vm::ops::c_int(vm, &f)).transpose()?.unwrap_or(0) as u32;
    if flags & ND_VAREXPORT != 0 {
        return Err(value_error(vm, "ND_VAREXPORT flag can only be used during object creation"));
    }
    let h = head(vm, this)?;
    if h.consumer {
        return Err(buffer_error(vm, "structure of re-exporting object is immutable"));
    }
    if nd(this).flags.get() & ND_VAREXPORT == 0 && h.exports.get() > 0 {
        return Err(exports_error(vm, h.exports.get()));
    }
    let b = init_ndbuf(vm, &items, &shape, strides.as_ref(), offset, &format, flags)?;
    nd(this).bufs.borrow_mut().push(Rc::new(b));
    Ok(vm.none.clone())
}

fn nd_pop(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = taipan_vm::native::exact::<0>(vm, "pop", args, kw)?;
    let h = head(vm, this)?;
    if h.consumer {
        return Err(buffer_error(vm, "structure of re-exporting object is immutable"));
    }
    if h.exports.get() > 0 {
        return Err(exports_error(vm, h.exports.get()));
    }
    let mut bufs = nd(this).bufs.borrow_mut();
    if bufs.len() < 2 {
        return Err(buffer_error(vm, "list only has a single base"));
    }
    bufs.pop();
    Ok(vm.none.clone())
}

/// `ndarray_getbuf`: the head buffer for a consumer's request.
fn nd_getbuf(vm: &Vm, this: &Obj, flags: u32) -> PyResult<BufferView> {
    let h = head(vm, this)?;
    let base = h.base.borrow().clone();
    let baseflags = h.flags.get();
    if !base.obj.is(&vm.none) && baseflags & ND_REDIRECT != 0 {
        // The central code counts the export again: give this one back.
        let v = pybuf::get_buffer(vm, &base.obj, flags)?;
        pybuf::release_buffer(&v);
        return Ok(v);
    }
    let mut view = base.clone();
    if view.format.is_none() {
        view.format = Some("B".to_string());
    }
    if base.ndim != 0
        && ((req(flags, pybuf::PYBUF_ND) && base.shape.is_none()) || (req(flags, pybuf::PYBUF_STRIDES) && base.strides.is_none()))
    {
        return Err(buffer_error(vm, "re-exporter does not provide format, shape or strides"));
    }
    if baseflags & ND_GETBUF_FAIL != 0 {
        let _ = ND_GETBUF_UNDEFINED;
        return Err(buffer_error(vm, "ND_GETBUF_FAIL: forced test exception"));
    }
    if req(flags, pybuf::PYBUF_WRITABLE) && base.readonly {
        return Err(buffer_error(vm, "ndarray is not writable"));
    }
    if flags & pybuf::PYBUF_FORMAT == 0 {
        view.format = None;
    }
    if req(flags, pybuf::PYBUF_C_CONTIGUOUS) && !c_contig(baseflags) {
        return Err(buffer_error(vm, "ndarray is not C-contiguous"));
    }
    if req(flags, pybuf::PYBUF_F_CONTIGUOUS) && !f_contig(baseflags) {
        return Err(buffer_error(vm, "ndarray is not Fortran contiguous"));
    }
    if req(flags, pybuf::PYBUF_ANY_CONTIGUOUS) && !any_contig(baseflags) {
        return Err(buffer_error(vm, "ndarray is not contiguous"));
    }
    if !req(flags, pybuf::PYBUF_INDIRECT) && baseflags & ND_PIL != 0 {
        return Err(buffer_error(vm, "ndarray cannot be represented without suboffsets"));
    }
    if !req(flags, pybuf::PYBUF_STRIDES) {
        if !c_contig(baseflags) {
            return Err(buffer_error(vm, "ndarray is not C-contiguous"));
        }
        view.strides = None;
    }
    if !req(flags, pybuf::PYBUF_ND) {
        if view.format.is_some() {
            return Err(buffer_error(vm, "ndarray: cannot cast to unsigned bytes if the format flag is present"));
        }
        view.ndim = 1;
        view.shape = None;
    }
    let c = view.is_contiguous('C');
    if c_contig(baseflags) != c
        || (view.format.is_some() && view.shape.is_some() && f_contig(baseflags) != view.is_contiguous('F'))
        || (view.format.is_none() && view.shape.is_none() && !view.is_contiguous('F'))
    {
        return Err(buffer_error(vm, "ndarray: contiguity mismatch in getbuf()"));
    }
    view.obj = this.clone();
    view.internal = h.id;
    Ok(view)
}

/// Export counting (`ndarray_releasebuf`): a base no longer at the head
/// goes away with its last export.
fn nd_release(this: &Obj, id: usize, delta: isize) {
    let Some(n) = this.downcast::<NdArray>() else { return };
    let mut bufs = n.bufs.borrow_mut();
    let Some(pos) = bufs.iter().position(|b| b.id == id) else { return };
    let b = &bufs[pos];
    if b.consumer {
        return;
    }
    b.exports.set(b.exports.get() + delta);
    if b.exports.get() <= 0 && pos + 1 != bufs.len() {
        bufs.remove(pos);
    }
}

static ND_BUFFER: BufferProcs = BufferProcs {
    format: |_| ('B', 1),
    read: |o| match o.downcast::<NdArray>().and_then(|n| n.bufs.borrow().last().cloned()) {
        Some(h) => h.base.borrow().to_contiguous('C'),
        None => Vec::new(),
    },
    write: Some(|o, at, data| {
        if let Some(h) = o.downcast::<NdArray>().and_then(|n| n.bufs.borrow().last().cloned()) {
            let b = h.base.borrow();
            if b.is_contiguous('C') {
                pybuf::write_mem(&b.mem, b.buf + at as isize, data);
            }
        }
    }),
    readonly: Some(|o| o.downcast::<NdArray>().and_then(|n| n.bufs.borrow().last().map(|h| h.base.borrow().readonly)).unwrap_or(true)),
    check: None,
    exports: |_, _| {},
    getbuffer: Some(nd_getbuf),
    release: Some(nd_release),
};

/// The byte position of item `index` of the first dimension
/// (`ptr_from_index`).
fn ptr_from_index(vm: &Vm, base: &BufferView, index: isize) -> PyResult<isize> {
    let nitems = match &base.shape {
        Some(s) => s[0],
        None => base.len,
    };
    let i = if index < 0 { index + nitems } else { index };
    if i < 0 || i >= nitems {
        return Err(vm.new_error(&vm.types.index_error, "index out of bounds"));
    }
    let step = base.strides.as_ref().map_or(base.itemsize, |s| s[0]);
    let mut p = base.buf + step * i;
    if let Some(s0) = base.suboffsets.as_ref().map(|s| s[0]).filter(|&s| s >= 0) {
        p = with_mem(&base.mem, |r| pybuf::read_ptr(r, p)) + s0;
    }
    Ok(p)
}

fn nd_item(vm: &Vm, this: &Obj, index: isize) -> PyResult<Obj> {
    let h = head(vm, this)?;
    let base = h.base.borrow().clone();
    if base.ndim == 0 {
        return Err(vm.type_error("invalid indexing of scalar"));
    }
    let p = ptr_from_index(vm, &base, index)?;
    if base.ndim == 1 {
        return unpack_single(vm, &base, p);
    }
    let sub = consumer_buf(vm, this, pybuf::PYBUF_FULL_RO)?;
    {
        let mut v = sub.base.borrow_mut();
        let shape0 = v.shape.as_ref().map_or(1, |s| s[0]).max(1);
        v.buf = p;
        v.len /= shape0;
        v.ndim -= 1;
        v.shape = v.shape.take().map(|s| s[1..].to_vec());
        v.strides = v.strides.take().map(|s| s[1..].to_vec());
        v.suboffsets = v.suboffsets.take().map(|s| s[1..].to_vec());
        sub.flags.set((sub.flags.get() & ND_WRITABLE) | init_flags(&v));
    }
    Ok(new_consumer(vm, sub))
}

/// `init_slice`: narrows dimension `dim` of `v` by slice `s`.
fn init_slice(vm: &Vm, v: &mut BufferView, s: &SliceData, dim: usize) -> PyResult<()> {
    let mut shape = v.shape.clone().unwrap_or_default();
    let mut strides = v.strides.clone().unwrap_or_default();
    if dim >= shape.len() {
        return Err(vm.type_error("cannot index memory using \"tuple\""));
    }
    let (start, stop, step) = taipan_vm::sequence::slice_indices(vm, s, shape[dim] as i64)?;
    let n = taipan_vm::sequence::slice_walk(start, stop, step).count() as isize;
    let start = start as isize;
    let adjust_buf = match v.suboffsets.as_mut() {
        Some(subs) if dim > 0 => {
            let mut k = dim as isize - 1;
            while k >= 0 && subs[k as usize] < 0 {
                k -= 1;
            }
            if k >= 0 {
                subs[k as usize] += strides[dim] * start;
                false
            } else {
                true
            }
        }
        _ => true,
    };
    if adjust_buf {
        v.buf += strides[dim] * start;
    }
    shape[dim] = n;
    strides[dim] = strides[dim].saturating_mul(step as isize);
    v.shape = Some(shape);
    v.strides = Some(strides);
    Ok(())
}

fn nd_subscript(vm: &Vm, this: &Obj, key: &Obj) -> PyResult<Obj> {
    let h = head(vm, this)?;
    let base = h.base.borrow().clone();
    if base.ndim == 0 {
        if key.downcast::<TupleData>().is_some_and(|t| t.items.is_empty()) {
            return unpack_single(vm, &base, base.buf);
        }
        if key.is(&vm.ellipsis) {
            return Ok(this.clone());
        }
        return Err(vm.type_error("invalid indexing of scalar"));
    }
    if int_data(key).is_some() || taipan_vm::types::lookup(&taipan_vm::types::type_of(key), "__index__").is_some() {
        let i = ssize_arg(vm, key)?;
        return nd_item(vm, this, i);
    }
    let sub = consumer_buf(vm, this, pybuf::PYBUF_FULL_RO)?;
    {
        let mut v = sub.base.borrow_mut();
        if let Some(s) = key.downcast::<SliceData>() {
            init_slice(vm, &mut v, s, 0)?;
        } else if let Some(t) = key.downcast::<TupleData>() {
            for (i, k) in t.items.iter().enumerate() {
                let Some(s) = k.downcast::<SliceData>() else {
                    return Err(vm.type_error(format!("cannot index memory using \"{}\"", type_name(k))));
                };
                init_slice(vm, &mut v, s, i)?;
            }
        } else {
            return Err(vm.type_error(format!("cannot index memory using \"{}\"", type_name(key))));
        }
        v.len = v.shape.as_ref().map_or(1, |s| s.iter().fold(1isize, |a, &n| a.wrapping_mul(n))).wrapping_mul(v.itemsize);
        sub.flags.set((sub.flags.get() & ND_WRITABLE) | init_flags(&v));
    }
    Ok(new_consumer(vm, sub))
}

fn fix_format(f: &Option<String>) -> &str {
    f.as_deref().unwrap_or("B")
}

fn nd_ass_subscript(vm: &Vm, this: &Obj, key: &Obj, value: Option<Obj>) -> PyResult<()> {
    let h = head(vm, this)?;
    let dest = h.base.borrow().clone();
    if dest.readonly {
        return Err(vm.type_error("ndarray is not writable"));
    }
    let Some(value) = value else { return Err(vm.type_error("ndarray data cannot be deleted")) };
    if dest.ndim == 0 {
        if key.is(&vm.ellipsis) || key.downcast::<TupleData>().is_some_and(|t| t.items.is_empty()) {
            return pack_single(vm, &dest.mem, dest.buf, &value, dest.format.as_deref(), dest.itemsize);
        }
        return Err(vm.type_error("invalid indexing of scalar"));
    }
    let is_idx = int_data(key).is_some() || taipan_vm::types::lookup(&taipan_vm::types::type_of(key), "__index__").is_some();
    if dest.ndim == 1 && is_idx {
        let i = ssize_arg(vm, key)?;
        let p = ptr_from_index(vm, &dest, i)?;
        return pack_single(vm, &dest.mem, p, &value, dest.format.as_deref(), dest.itemsize);
    }
    let src = pybuf::hold(vm, &value, pybuf::PYBUF_FULL_RO)?;
    let sub = nd_subscript(vm, this, key)?;
    let d = head(vm, &sub)?.base.borrow().clone();
    let s = &src.0;
    let same = fix_format(&d.format) == fix_format(&s.format) && d.itemsize == s.itemsize && d.ndim == s.ndim && {
        let (a, b) = (d.shape_or_default(), s.shape_or_default());
        let mut ok = true;
        for i in 0..d.ndim {
            if a[i] != b[i] {
                ok = false;
                break;
            }
            if a[i] == 0 {
                break;
            }
        }
        ok
    };
    if !same {
        return Err(value_error(vm, "ndarray assignment: lvalue and rvalue have different structures"));
    }
    pybuf::copy_rows(&d, s);
    Ok(())
}

fn nd_tolist(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    let h = head(vm, this)?;
    let base = h.base.borrow().clone();
    let Some(fmt) = base.format.clone() else {
        return Err(value_error(vm, "ndarray: tolist() does not support format=NULL, use tobytes()"));
    };
    let mut v = base.clone();
    if v.shape.is_none() {
        v.shape = Some(vec![base.len]);
        v.strides = Some(vec![base.itemsize]);
    }
    let unpack_from = unpacker(vm, Some(&fmt))?;
    let size = v.itemsize.max(0) as usize;
    let chunks: Vec<Vec<u8>> = with_mem(&v.mem, |r| {
        if v.ndim == 0 {
            vec![pybuf::bytes_at(r, v.buf, size)]
        } else {
            v.item_pointers(r).into_iter().map(|p| pybuf::bytes_at(r, p, size)).collect()
        }
    });
    let mut flat = Vec::with_capacity(chunks.len());
    for c in chunks {
        flat.push(unpack_bytes(vm, &unpack_from, c)?);
    }
    if v.ndim == 0 {
        return Ok(flat.into_iter().next().unwrap_or_else(|| vm.none.clone()));
    }
    Ok(taipan_vm::types::memoryview::nest(vm, &flat, &v.shape_or_default()))
}

fn nd_tobytes_vec(vm: &Vm, this: &Obj) -> PyResult<Vec<u8>> {
    let h = head(vm, this)?;
    let base = h.base.borrow();
    if c_contig(h.flags.get()) {
        let n = base.len.max(0) as usize;
        return Ok(with_mem(&base.mem, |r| pybuf::bytes_at(r, base.buf, n)));
    }
    Ok(base.to_contiguous('C'))
}

fn nd_hash(vm: &Vm, this: &Obj) -> PyResult<i64> {
    let h = head(vm, this)?;
    let (readonly, obj) = {
        let b = h.base.borrow();
        (b.readonly, b.obj.clone())
    };
    if !readonly {
        return Err(value_error(vm, "cannot hash writable ndarray object"));
    }
    if !obj.is(&vm.none) {
        taipan_vm::ops::hash(vm, &obj)?;
    }
    Ok(taipan_vm::types::bytes::hash_bytes(&nd_tobytes_vec(vm, this)?))
}

fn nd_memoryview_from_buffer(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    let h = head(vm, this)?;
    let view = h.base.borrow().clone();
    let data_len = if !h.consumer {
        h.len
    } else if view.obj.downcast::<NdArray>().is_some() && !is_consumer(&view.obj) {
        head(vm, &view.obj)?.len
    } else {
        return Err(vm.type_error("memoryview_from_buffer(): ndarray must be original exporter or consumer from ndarray/original exporter"));
    };
    if view.format.as_ref().is_some_and(|f| f.len() > ND_MAX_NDIM) {
        return Err(vm.type_error(format!("memoryview_from_buffer: format is limited to {ND_MAX_NDIM} characters")));
    }
    if view.ndim > ND_MAX_NDIM {
        return Err(vm.type_error(format!("memoryview_from_buffer: ndim is limited to {ND_MAX_NDIM}")));
    }
    if view.ndim > 64 {
        return Err(value_error(vm, "memoryview: number of dimensions must not exceed 64"));
    }
    let copy = with_mem(&view.mem, |r| pybuf::bytes_at(r, 0, data_len.max(0) as usize));
    let mut info = view;
    info.mem = new_bytearray(vm, copy);
    info.obj = vm.none.clone();
    Ok(alloc(vm.types.memoryview.clone(), taipan_vm::types::memoryview::from_view(info)))
}

fn nd_add_suboffsets(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    let h = head(vm, this)?;
    let mut b = h.base.borrow_mut();
    if b.suboffsets.is_some() {
        return Err(vm.type_error("cannot add suboffsets to PIL-style array"));
    }
    if b.strides.is_none() {
        return Err(vm.type_error("cannot add suboffsets to array without strides"));
    }
    b.suboffsets = Some(vec![-1; b.ndim]);
    h.flags.set(h.flags.get() & !(ND_C | ND_FORTRAN));
    Ok(vm.none.clone())
}

fn noargs(vm: &Vm, name: &str, args: &[Obj], kw: Kwargs) -> PyResult<()> {
    let [] = taipan_vm::native::exact::<0>(vm, name, args, kw)?;
    Ok(())
}

static ND_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "tolist",
        |vm, s, a, kw| {
            noargs(vm, "tolist", a, kw)?;
            nd_tolist(vm, s)
        },
        "",
    ),
    MethodDef::method(
        "tobytes",
        |vm, s, a, kw| {
            noargs(vm, "tobytes", a, kw)?;
            Ok(new_bytes(vm, nd_tobytes_vec(vm, s)?))
        },
        "",
    ),
    MethodDef::method("push", nd_push, ""),
    MethodDef::method("pop", nd_pop, ""),
    MethodDef::method(
        "add_suboffsets",
        |vm, s, a, kw| {
            noargs(vm, "add_suboffsets", a, kw)?;
            nd_add_suboffsets(vm, s)
        },
        "",
    ),
    MethodDef::method(
        "memoryview_from_buffer",
        |vm, s, a, kw| {
            noargs(vm, "memoryview_from_buffer", a, kw)?;
            nd_memoryview_from_buffer(vm, s)
        },
        "",
    ),
    MethodDef::method(
        "__getitem__",
        |vm, s, a, kw| {
            let [key] = taipan_vm::native::exact::<1>(vm, "__getitem__", a, kw)?;
            nd_subscript(vm, s, &key)
        },
        "Return self[key].",
    ),
    MethodDef::method(
        "__setitem__",
        |vm, s, a, kw| {
            let [key, value] = taipan_vm::native::exact::<2>(vm, "__setitem__", a, kw)?;
            nd_ass_subscript(vm, s, &key, Some(value))?;
            Ok(vm.none.clone())
        },
        "Set self[key] to value.",
    ),
    MethodDef::method(
        "__delitem__",
        |vm, s, a, kw| {
            let [key] = taipan_vm::native::exact::<1>(vm, "__delitem__", a, kw)?;
            nd_ass_subscript(vm, s, &key, None)?;
            Ok(vm.none.clone())
        },
        "Delete self[key].",
    ),
];

fn int_tuple(vm: &Vm, v: Option<&[isize]>) -> Obj {
    new_tuple(vm, v.unwrap_or(&[]).iter().map(|&x| vm.int(x as i64)).collect())
}

fn with_head(vm: &Vm, o: &Obj, f: fn(&Vm, &NdBuf, &BufferView) -> PyResult<Obj>) -> PyResult<Obj> {
    let h = head(vm, o)?;
    let b = h.base.borrow().clone();
    f(vm, &h, &b)
}

fn contig_getter(vm: &Vm, h: &NdBuf, b: &BufferView, order: char, flag: fn(u32) -> bool) -> PyResult<Obj> {
    let r = b.is_contiguous(order);
    if r != flag(h.flags.get()) {
        return Err(vm.new_error(&vm.types.runtime_error, "results from PyBuffer_IsContiguous() and flags differ"));
    }
    Ok(vm.bool(r))
}

static ND_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("flags", |vm, o| with_head(vm, o, |vm, h, _| Ok(vm.int(h.flags.get() as i64))), ""),
    GetSetDef::readonly("offset", |vm, o| with_head(vm, o, |vm, h, _| Ok(vm.int(h.offset as i64))), ""),
    GetSetDef::readonly("obj", |vm, o| with_head(vm, o, |_, _, b| Ok(b.obj.clone())), ""),
    GetSetDef::readonly("nbytes", |vm, o| with_head(vm, o, |vm, _, b| Ok(vm.int(b.len as i64))), ""),
    GetSetDef::readonly("readonly", |vm, o| with_head(vm, o, |vm, _, b| Ok(vm.bool(b.readonly))), ""),
    GetSetDef::readonly("itemsize", |vm, o| with_head(vm, o, |vm, _, b| Ok(vm.int(b.itemsize as i64))), ""),
    GetSetDef::readonly("format", |vm, o| with_head(vm, o, |vm, _, b| Ok(new_str(vm, b.format.as_deref().unwrap_or("")))), ""),
    GetSetDef::readonly("ndim", |vm, o| with_head(vm, o, |vm, _, b| Ok(vm.int(b.ndim as i64))), ""),
    GetSetDef::readonly("shape", |vm, o| with_head(vm, o, |vm, _, b| Ok(int_tuple(vm, b.shape.as_deref()))), ""),
    GetSetDef::readonly("strides", |vm, o| with_head(vm, o, |vm, _, b| Ok(int_tuple(vm, b.strides.as_deref()))), ""),
    GetSetDef::readonly("suboffsets", |vm, o| with_head(vm, o, |vm, _, b| Ok(int_tuple(vm, b.suboffsets.as_deref()))), ""),
    GetSetDef::readonly("c_contiguous", |vm, o| with_head(vm, o, |vm, h, b| contig_getter(vm, h, b, 'C', c_contig)), ""),
    GetSetDef::readonly("f_contiguous", |vm, o| with_head(vm, o, |vm, h, b| contig_getter(vm, h, b, 'F', f_contig)), ""),
    GetSetDef::readonly("contiguous", |vm, o| with_head(vm, o, |vm, h, b| contig_getter(vm, h, b, 'A', any_contig)), ""),
];

fn ndarray_type(vm: &Vm) -> Obj {
    vm.native_type("_testbuffer.ndarray", |vm| {
        let slots = Slots {
            new: Some(ndarray_new),
            hash: Some(nd_hash),
            // `iter(nd)` walks `nd[0]`, `nd[1]`, ... until IndexError.
            traverse: Some(|o, visit| {
                if let Some(n) = o.downcast::<NdArray>() {
                    for b in n.bufs.borrow().iter() {
                        let v = b.base.borrow();
                        visit(&v.obj);
                        visit(&v.mem);
                    }
                }
            }),
            buffer: Some(&ND_BUFFER),
            ..object_slots()
        };
        new_type::<NdArray>(vm, "_testbuffer.ndarray", &[], true, slots, ND_METHODS, ND_GETSETS)
    })
}

// ------------------------------------------------------------ staticarray

struct StaticArray {
    legacy: bool,
}

fn static_getbuf(vm: &Vm, this: &Obj, _flags: u32) -> PyResult<BufferView> {
    let legacy = this.downcast::<StaticArray>().is_some_and(|s| s.legacy);
    let mem = new_bytes(vm, (0u8..12).collect());
    Ok(BufferView {
        obj: if legacy { vm.none.clone() } else { this.clone() },
        mem,
        buf: 0,
        len: 12,
        itemsize: 1,
        readonly: true,
        format: Some("B".to_string()),
        ndim: 1,
        shape: Some(vec![12]),
        strides: Some(vec![1]),
        suboffsets: None,
        internal: 0,
    })
}

static STATIC_BUFFER: BufferProcs = BufferProcs {
    format: |_| ('B', 1),
    read: |_| (0u8..12).collect(),
    write: None,
    readonly: None,
    check: None,
    exports: |_, _| {},
    getbuffer: Some(static_getbuf),
    release: Some(|_, _, _| {}),
};

fn staticarray_type(vm: &Vm) -> Obj {
    vm.native_type("_testbuffer.staticarray", |vm| {
        let slots = Slots {
            new: Some(|vm, cls, args, kw| {
                static P: Params = Params { fname: "staticarray", names: &["legacy_mode"], posonly: 0, kwonly: 0, required: 0 };
                let [legacy] = bind::<1>(vm, &P, args, kw)?;
                let legacy = legacy.is_some_and(|l| !l.is(&vm.false_));
                Ok(alloc(cls.clone(), StaticArray { legacy }))
            }),
            buffer: Some(&STATIC_BUFFER),
            ..object_slots()
        };
        new_type::<StaticArray>(vm, "_testbuffer.staticarray", &[], false, slots, &[], &[])
    })
}

// ------------------------------------------------------------ functions

fn positional<const N: usize>(vm: &Vm, name: &str, args: &[Obj], kw: Kwargs) -> PyResult<[Obj; N]> {
    taipan_vm::native::exact::<N>(vm, name, args, kw)
}

fn slice_indices_fn(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key, len] = positional::<2>(vm, "slice_indices", args, kw)?;
    let len = ssize_arg(vm, &len)?;
    let Some(s) = key.downcast::<SliceData>() else { return Err(vm.type_error("first argument must be a slice object")) };
    let (start, stop, step) = taipan_vm::sequence::slice_indices(vm, s, len as i64)?;
    let n = taipan_vm::sequence::slice_walk(start, stop, step).count() as i64;
    Ok(new_tuple(vm, vec![vm.int(start), vm.int(stop), vm.int(step), vm.int(n)]))
}

fn get_pointer(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [bufobj, seq] = positional::<2>(vm, "get_pointer", args, kw)?;
    let seq = list_or_tuple(vm, &seq, "seq")?;
    let held = pybuf::hold(vm, &bufobj, pybuf::PYBUF_FULL_RO)?;
    let view = &held.0;
    if view.ndim > ND_MAX_NDIM {
        return Err(value_error(vm, format!("get_pointer(): ndim > {ND_MAX_NDIM}")));
    }
    if seq.len() != view.ndim {
        return Err(value_error(vm, "get_pointer(): len(indices) != ndim"));
    }
    let shape = view.shape_or_default();
    let mut idx = Vec::with_capacity(seq.len());
    for (i, x) in seq.iter().enumerate() {
        let v = ssize_arg(vm, x)?;
        if v < 0 || v >= shape[i] {
            return Err(value_error(vm, format!("get_pointer(): invalid index {v} at position {i}")));
        }
        idx.push(v);
    }
    let p = with_mem(&view.mem, |r| view.pointer(r, &idx));
    unpack_single(vm, view, p)
}

fn ascii_order(vm: &Vm, order: &Obj) -> PyResult<char> {
    let Some(s) = order.downcast::<StrData>() else { return Err(vm.type_error("order must be a string")) };
    let s = s.as_str().into_owned();
    if let Some(pos) = s.chars().position(|c| !c.is_ascii()) {
        let e = call_object(
            vm,
            &vm.types.unicode_encode_error,
            &[new_str(vm, "ascii"), new_str(vm, &s), vm.int(pos as i64), vm.int(pos as i64 + 1), new_str(vm, "ordinal not in range(128)")],
        )?;
        return Err(PyErr { exc: e });
    }
    match s.chars().next() {
        Some(c @ ('C' | 'F' | 'A')) => Ok(c),
        _ => Err(value_error(vm, "invalid order, must be C, F or A")),
    }
}

fn get_contiguous(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [obj, buffertype, order] = positional::<3>(vm, "get_contiguous", args, kw)?;
    let Some(t) = int_data(&buffertype) else { return Err(vm.type_error("buffertype must be PyBUF_READ or PyBUF_WRITE")) };
    let t = match t {
        IntData::Small(v) => *v,
        _ => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C long")),
    };
    if t != pybuf::PYBUF_READ as i64 && t != pybuf::PYBUF_WRITE as i64 {
        return Err(value_error(vm, "invalid buffer type"));
    }
    let ord = ascii_order(vm, &order)?;
    let mv = call_object(vm, &vm.types.memoryview, &[obj])?;
    let Some(m) = mv.downcast::<taipan_vm::types::memoryview::MemoryViewData>() else { return Ok(mv) };
    if t == pybuf::PYBUF_WRITE as i64 && m.view.readonly {
        return Err(buffer_error(vm, "underlying buffer is not writable"));
    }
    if m.view.is_contiguous(ord) {
        return Ok(mv);
    }
    if t == pybuf::PYBUF_WRITE as i64 {
        return Err(buffer_error(vm, "writable contiguous buffer requested for a non-contiguous object."));
    }
    // A contiguous copy in `ord` with the same format and shape.
    let src = &m.view;
    let bytes = src.to_contiguous(ord);
    let mem = new_bytes(vm, bytes);
    let shape = src.shape_or_default();
    let info = BufferView {
        obj: mem.clone(),
        mem,
        buf: 0,
        len: src.len,
        itemsize: src.itemsize,
        readonly: true,
        format: src.format.clone(),
        ndim: src.ndim,
        strides: Some(pybuf::strides_from_shape(&shape, src.itemsize, ord == 'F')),
        shape: Some(shape),
        suboffsets: None,
        internal: 0,
    };
    Ok(alloc(vm.types.memoryview.clone(), taipan_vm::types::memoryview::from_view(info)))
}

fn py_buffer_to_contiguous(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [obj, order, flags] = positional::<3>(vm, "py_buffer_to_contiguous", args, kw)?;
    let flags = taipan_vm::ops::c_int(vm, &flags)? as u32;
    let held = pybuf::hold(vm, &obj, flags)?;
    let ord = ascii_order(vm, &order)?;
    Ok(new_bytes(vm, held.0.to_contiguous(ord)))
}

fn is_contiguous(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [obj, order] = positional::<2>(vm, "is_contiguous", args, kw)?;
    let ord = ascii_order(vm, &order)?;
    if obj.downcast::<NdArray>().is_some() {
        let h = head(vm, &obj)?;
        let r = h.base.borrow().is_contiguous(ord);
        return Ok(vm.bool(r));
    }
    let Ok(held) = pybuf::hold(vm, &obj, pybuf::PYBUF_FULL_RO) else {
        return Err(vm.type_error("is_contiguous: object does not implement the buffer protocol"));
    };
    Ok(vm.bool(held.0.is_contiguous(ord)))
}

fn cmp_contig(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [b1, b2] = positional::<2>(vm, "cmp_contig", args, kw)?;
    let Ok(v1) = pybuf::hold(vm, &b1, pybuf::PYBUF_FULL_RO) else {
        return Err(vm.type_error("cmp_contig: first argument does not implement the buffer protocol"));
    };
    let Ok(v2) = pybuf::hold(vm, &b2, pybuf::PYBUF_FULL_RO) else {
        return Err(vm.type_error("cmp_contig: second argument does not implement the buffer protocol"));
    };
    let (a, b) = (&v1.0, &v2.0);
    let contig = (a.is_contiguous('C') && b.is_contiguous('C')) || (a.is_contiguous('F') && b.is_contiguous('F'));
    if !contig {
        return Ok(vm.false_.clone());
    }
    let fmt_eq = fix_format(&a.format) == fix_format(&b.format);
    if a.len != b.len
        || a.itemsize != b.itemsize
        || a.ndim != b.ndim
        || !fmt_eq
        || a.shape.is_some() != b.shape.is_some()
        || a.strides.is_some() != b.strides.is_some()
        || a.suboffsets.is_some() != b.suboffsets.is_some()
    {
        return Ok(vm.false_.clone());
    }
    let arrays_eq = |x: &Option<Vec<isize>>, y: &Option<Vec<isize>>, shape: Option<&Vec<isize>>| match (x, y) {
        (Some(x), Some(y)) => (0..a.ndim).all(|i| shape.is_some_and(|s| s[i] <= 1) || x[i] == y[i]),
        _ => true,
    };
    if !arrays_eq(&a.shape, &b.shape, None)
        || !arrays_eq(&a.strides, &b.strides, a.shape.as_ref())
        || !arrays_eq(&a.suboffsets, &b.suboffsets, None)
    {
        return Ok(vm.false_.clone());
    }
    let n = a.len.max(0) as usize;
    let x = with_mem(&a.mem, |r| pybuf::bytes_at(r, a.buf, n));
    let y = with_mem(&b.mem, |r| pybuf::bytes_at(r, b.buf, n));
    Ok(vm.bool(x == y))
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("slice_indices", slice_indices_fn, ""),
    FunctionDef::new("get_pointer", get_pointer, ""),
    FunctionDef::new(
        "get_sizeof_void_p",
        |vm, args, kw| {
            noargs(vm, "get_sizeof_void_p", args, kw)?;
            Ok(vm.int(8))
        },
        "",
    ),
    FunctionDef::new("get_contiguous", get_contiguous, ""),
    FunctionDef::new("py_buffer_to_contiguous", py_buffer_to_contiguous, ""),
    FunctionDef::new("is_contiguous", is_contiguous, ""),
    FunctionDef::new("cmp_contig", cmp_contig, ""),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "ndarray", ndarray_type(vm))?;
    add_attr(vm, m, "staticarray", staticarray_type(vm))?;
    let consts: &[(&str, u32)] = &[
        ("ND_MAX_NDIM", ND_MAX_NDIM as u32),
        ("ND_VAREXPORT", ND_VAREXPORT),
        ("ND_WRITABLE", ND_WRITABLE),
        ("ND_FORTRAN", ND_FORTRAN),
        ("ND_SCALAR", ND_SCALAR),
        ("ND_PIL", ND_PIL),
        ("ND_GETBUF_FAIL", ND_GETBUF_FAIL),
        ("ND_GETBUF_UNDEFINED", ND_GETBUF_UNDEFINED),
        ("ND_REDIRECT", ND_REDIRECT),
        ("PyBUF_SIMPLE", pybuf::PYBUF_SIMPLE),
        ("PyBUF_WRITABLE", pybuf::PYBUF_WRITABLE),
        ("PyBUF_FORMAT", pybuf::PYBUF_FORMAT),
        ("PyBUF_ND", pybuf::PYBUF_ND),
        ("PyBUF_STRIDES", pybuf::PYBUF_STRIDES),
        ("PyBUF_INDIRECT", pybuf::PYBUF_INDIRECT),
        ("PyBUF_C_CONTIGUOUS", pybuf::PYBUF_C_CONTIGUOUS),
        ("PyBUF_F_CONTIGUOUS", pybuf::PYBUF_F_CONTIGUOUS),
        ("PyBUF_ANY_CONTIGUOUS", pybuf::PYBUF_ANY_CONTIGUOUS),
        ("PyBUF_FULL", pybuf::PYBUF_FULL),
        ("PyBUF_FULL_RO", pybuf::PYBUF_FULL_RO),
        ("PyBUF_RECORDS", pybuf::PYBUF_RECORDS),
        ("PyBUF_RECORDS_RO", pybuf::PYBUF_RECORDS_RO),
        ("PyBUF_STRIDED", pybuf::PYBUF_STRIDED),
        ("PyBUF_STRIDED_RO", pybuf::PYBUF_STRIDED_RO),
        ("PyBUF_CONTIG", pybuf::PYBUF_CONTIG),
        ("PyBUF_CONTIG_RO", pybuf::PYBUF_CONTIG_RO),
        ("PyBUF_READ", pybuf::PYBUF_READ),
        ("PyBUF_WRITE", pybuf::PYBUF_WRITE),
    ];
    for (name, v) in consts {
        add_attr(vm, m, name, vm.int(*v as i64))?;
    }
    Ok(())
}
