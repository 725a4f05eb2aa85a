//! The buffer protocol (PEP 3118, CPython's `Py_buffer`): `BufferView`
//! describes the memory an exporter lends (item format and size, shape,
//! strides, PIL-style suboffsets), `get_buffer` asks an object for one
//! under `PyBUF_*` request flags (`PyObject_GetBuffer`) and
//! `release_buffer` gives it back. Memory is addressed by byte offsets
//! into the bytes of `BufferView::mem` (a `bytes`, a `bytearray` or an
//! exporter's `BufferProcs::read`); the "pointers" of suboffset arrays are
//! such offsets, stored as 8 little-endian bytes.

use crate::object::Obj;
use crate::types::builtin::*;
use crate::types::bytearray::ByteArrayData;
use crate::types::bytes::{buffer_procs, BytesData};
use crate::types::memoryview::MemoryViewData;
use crate::vm::Vm;
use crate::PyResult;

pub const PYBUF_SIMPLE: u32 = 0;
pub const PYBUF_WRITABLE: u32 = 0x1;
pub const PYBUF_FORMAT: u32 = 0x4;
pub const PYBUF_ND: u32 = 0x8;
pub const PYBUF_STRIDES: u32 = 0x10 | PYBUF_ND;
pub const PYBUF_C_CONTIGUOUS: u32 = 0x20 | PYBUF_STRIDES;
pub const PYBUF_F_CONTIGUOUS: u32 = 0x40 | PYBUF_STRIDES;
pub const PYBUF_ANY_CONTIGUOUS: u32 = 0x80 | PYBUF_STRIDES;
pub const PYBUF_INDIRECT: u32 = 0x100 | PYBUF_STRIDES;
pub const PYBUF_CONTIG: u32 = PYBUF_ND | PYBUF_WRITABLE;
pub const PYBUF_CONTIG_RO: u32 = PYBUF_ND;
pub const PYBUF_STRIDED: u32 = PYBUF_STRIDES | PYBUF_WRITABLE;
pub const PYBUF_STRIDED_RO: u32 = PYBUF_STRIDES;
pub const PYBUF_RECORDS: u32 = PYBUF_STRIDES | PYBUF_WRITABLE | PYBUF_FORMAT;
pub const PYBUF_RECORDS_RO: u32 = PYBUF_STRIDES | PYBUF_FORMAT;
pub const PYBUF_FULL: u32 = PYBUF_INDIRECT | PYBUF_WRITABLE | PYBUF_FORMAT;
pub const PYBUF_FULL_RO: u32 = PYBUF_INDIRECT | PYBUF_FORMAT;
pub const PYBUF_READ: u32 = 0x100;
pub const PYBUF_WRITE: u32 = 0x200;

/// Whether request `flags` include all the bits of `req`.
pub fn req(flags: u32, req: u32) -> bool {
    flags & req == req
}

/// A lent buffer (CPython's `Py_buffer`). `None` fields are C's NULL.
#[derive(Clone)]
pub struct BufferView {
    /// The exporter (`memoryview.obj`; `None` for memory without owner).
    pub obj: Obj,
    /// Where the bytes live: `bytes`, `bytearray` or a `Slots::buffer`
    /// exporter.
    pub mem: Obj,
    /// The byte offset of the first item (`buf`) in `mem`.
    pub buf: isize,
    pub len: isize,
    pub itemsize: isize,
    pub readonly: bool,
    pub format: Option<String>,
    pub ndim: usize,
    pub shape: Option<Vec<isize>>,
    pub strides: Option<Vec<isize>>,
    pub suboffsets: Option<Vec<isize>>,
    /// The exporter's own tag (CPython's `internal`).
    pub internal: usize,
}

/// Calls `f` with the bytes of `mem`: borrowed for `bytes` and
/// `bytearray`, a copy for other exporters.
pub fn with_mem<R>(mem: &Obj, f: impl FnOnce(&[u8]) -> R) -> R {
    if let Some(b) = mem.downcast::<BytesData>() {
        return f(&b.value);
    }
    if let Some(b) = mem.downcast::<ByteArrayData>() {
        return f(&b.value.borrow());
    }
    f(&buffer_procs(mem).map_or_else(Vec::new, |p| (p.read)(mem)))
}

/// Writes `data` at byte `at` of `mem`; false when it does not fit or
/// `mem` cannot be written.
pub fn write_mem(mem: &Obj, at: isize, data: &[u8]) -> bool {
    if at < 0 {
        return false;
    }
    let at = at as usize;
    if let Some(b) = mem.downcast::<ByteArrayData>() {
        let mut v = b.value.borrow_mut();
        if at + data.len() > v.len() {
            return false;
        }
        v[at..at + data.len()].copy_from_slice(data);
        return true;
    }
    match buffer_procs(mem).and_then(|p| p.write.map(|w| (p, w))) {
        Some((p, w)) if at + data.len() <= (p.read)(mem).len() => {
            w(mem, at, data);
            true
        }
        _ => false,
    }
}

/// The `n` bytes at `at` of `r` (zeros outside it).
pub fn bytes_at(r: &[u8], at: isize, n: usize) -> Vec<u8> {
    if at >= 0 {
        if let Some(s) = r.get(at as usize..at as usize + n) {
            return s.to_vec();
        }
    }
    vec![0; n]
}

/// The "pointer" (a byte offset into the same memory) stored at `at`.
pub fn read_ptr(r: &[u8], at: isize) -> isize {
    let b = bytes_at(r, at, 8);
    i64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]) as isize
}

/// C-order (or Fortran-order) strides for `shape`.
pub fn strides_from_shape(shape: &[isize], itemsize: isize, fortran: bool) -> Vec<isize> {
    let n = shape.len();
    let mut s = vec![0; n];
    if n == 0 {
        return s;
    }
    if fortran {
        s[0] = itemsize;
        for i in 1..n {
            s[i] = s[i - 1] * shape[i - 1];
        }
    } else {
        s[n - 1] = itemsize;
        for i in (0..n - 1).rev() {
            s[i] = s[i + 1] * shape[i + 1];
        }
    }
    s
}

impl BufferView {
    /// The shape, with CPython's default for a missing one (`len /
    /// itemsize` items in one dimension).
    pub fn shape_or_default(&self) -> Vec<isize> {
        match &self.shape {
            Some(s) => s.clone(),
            None if self.ndim == 0 => Vec::new(),
            None => vec![self.len / self.itemsize.max(1)],
        }
    }

    /// The strides, C-order ones when missing.
    pub fn strides_or_default(&self) -> Vec<isize> {
        match &self.strides {
            Some(s) => s.clone(),
            None => strides_from_shape(&self.shape_or_default(), self.itemsize, false),
        }
    }

    /// Whether a suboffset of dimension `d` dereferences.
    fn sub(&self, d: usize) -> Option<isize> {
        self.suboffsets.as_ref().and_then(|s| s.get(d).copied()).filter(|&s| s >= 0)
    }

    /// `PyBuffer_GetPointer`: the byte position of the item at `indices`.
    pub fn pointer(&self, r: &[u8], indices: &[isize]) -> isize {
        let strides = self.strides_or_default();
        let mut p = self.buf;
        for (d, &i) in indices.iter().enumerate() {
            p += strides.get(d).copied().unwrap_or(self.itemsize) * i;
            if let Some(s) = self.sub(d) {
                p = read_ptr(r, p) + s;
            }
        }
        p
    }

    /// The positions of every item in C order (`p` starting pointer of
    /// dimension `from`).
    pub fn item_pointers(&self, r: &[u8]) -> Vec<isize> {
        let shape = self.shape_or_default();
        let strides = self.strides_or_default();
        let mut out = Vec::new();
        if shape.iter().any(|&n| n <= 0) {
            return out;
        }
        self.walk(r, &shape, &strides, 0, self.buf, &mut out);
        out
    }

    fn walk(&self, r: &[u8], shape: &[isize], strides: &[isize], d: usize, p: isize, out: &mut Vec<isize>) {
        self.walk_to(r, shape, strides, d, shape.len(), p, out)
    }

    #[allow(clippy::too_many_arguments)]
    fn walk_to(&self, r: &[u8], shape: &[isize], strides: &[isize], d: usize, depth: usize, p: isize, out: &mut Vec<isize>) {
        if d == depth {
            out.push(p);
            return;
        }
        for i in 0..shape[d] {
            let mut q = p + i * strides[d];
            if let Some(s) = self.sub(d) {
                q = read_ptr(r, q) + s;
            }
            self.walk_to(r, shape, strides, d + 1, depth, q, out);
        }
    }

    /// The start of each innermost row, outer dimensions in C order.
    fn row_pointers(&self, r: &[u8]) -> Vec<isize> {
        let shape = self.shape_or_default();
        let strides = self.strides_or_default();
        let mut out = Vec::new();
        if shape.iter().any(|&n| n <= 0) {
            return out;
        }
        self.walk_to(r, &shape, &strides, 0, shape.len().saturating_sub(1), self.buf, &mut out);
        out
    }

    /// The item positions of the row starting at `p` (last dimension).
    fn row_items(&self, r: &[u8], p: isize) -> Vec<isize> {
        let d = self.ndim.saturating_sub(1);
        let n = self.shape_or_default().get(d).copied().unwrap_or(1);
        let stride = self.strides_or_default().get(d).copied().unwrap_or(self.itemsize);
        (0..n)
            .map(|i| {
                let q = p + i * stride;
                match self.sub(d) {
                    Some(s) => read_ptr(r, q) + s,
                    None => q,
                }
            })
            .collect()
    }

    /// `PyBuffer_IsContiguous(view, order)` for `'C'`, `'F'` or `'A'`.
    pub fn is_contiguous(&self, order: char) -> bool {
        if self.suboffsets.is_some() {
            return false;
        }
        match order {
            'C' => self.is_c_contiguous(),
            'F' => self.is_f_contiguous(),
            _ => self.is_c_contiguous() || self.is_f_contiguous(),
        }
    }

    fn is_c_contiguous(&self) -> bool {
        if self.len == 0 || self.strides.is_none() {
            return true;
        }
        let (shape, strides) = (self.shape_or_default(), self.strides_or_default());
        let mut sd = self.itemsize;
        for i in (0..self.ndim).rev() {
            let dim = shape[i];
            if dim > 1 && strides[i] != sd {
                return false;
            }
            sd *= dim;
        }
        true
    }

    fn is_f_contiguous(&self) -> bool {
        if self.len == 0 {
            return true;
        }
        let shape = self.shape_or_default();
        if self.strides.is_none() {
            return self.ndim <= 1 || shape.iter().filter(|&&n| n > 1).count() <= 1;
        }
        let strides = self.strides_or_default();
        let mut sd = self.itemsize;
        for i in 0..self.ndim {
            let dim = shape[i];
            if dim > 1 && strides[i] != sd {
                return false;
            }
            sd *= dim;
        }
        true
    }

    /// `PyBuffer_ToContiguous`: the items in `order` (`'A'`: as they are
    /// when contiguous, else C).
    pub fn to_contiguous(&self, order: char) -> Vec<u8> {
        with_mem(&self.mem, |r| self.to_contiguous_in(r, order))
    }

    pub fn to_contiguous_in(&self, r: &[u8], order: char) -> Vec<u8> {
        let size = self.itemsize.max(0) as usize;
        if self.is_contiguous(order) || (order == 'A' && self.is_contiguous('C')) {
            let start = self.buf.max(0) as usize;
            let n = self.len.max(0) as usize;
            return match r.get(start..start + n) {
                Some(s) => s.to_vec(),
                None => bytes_at(r, self.buf, n),
            };
        }
        let ptrs = self.item_pointers(r);
        let ptrs = if order == 'F' { to_fortran_order(&ptrs, &self.shape_or_default()) } else { ptrs };
        let mut out = Vec::with_capacity(ptrs.len() * size);
        for p in ptrs {
            match (p >= 0).then(|| r.get(p as usize..p as usize + size)).flatten() {
                Some(s) => out.extend_from_slice(s),
                None => out.extend(std::iter::repeat_n(0, size)),
            }
        }
        out
    }

    /// Writes `src` (the items in C order) over the items of this view.
    pub fn write_items(&self, src: &[u8]) -> bool {
        let size = self.itemsize.max(0) as usize;
        if self.suboffsets.is_none() && self.is_c_contiguous() {
            return write_mem(&self.mem, self.buf, &src[..src.len().min(self.len.max(0) as usize)]);
        }
        let ptrs = with_mem(&self.mem, |r| self.item_pointers(r));
        for (k, p) in ptrs.into_iter().enumerate() {
            let Some(chunk) = src.get(k * size..(k + 1) * size) else { return false };
            if !write_mem(&self.mem, p, chunk) {
                return false;
            }
        }
        true
    }
}

/// Copies the items of `src` over those of `dest` (same structure) one
/// innermost row at a time, as CPython's `copy_buffer` does: with
/// overlapping memory, later rows read what earlier rows wrote.
pub fn copy_rows(dest: &BufferView, src: &BufferView) -> bool {
    let size = dest.itemsize.max(0) as usize;
    if dest.ndim == 0 {
        let b = with_mem(&src.mem, |r| bytes_at(r, src.buf, size));
        return write_mem(&dest.mem, dest.buf, &b);
    }
    let drows = with_mem(&dest.mem, |r| dest.row_pointers(r));
    let srows = with_mem(&src.mem, |r| src.row_pointers(r));
    for (dp, sp) in drows.into_iter().zip(srows) {
        let row: Vec<Vec<u8>> = with_mem(&src.mem, |r| src.row_items(r, sp).into_iter().map(|p| bytes_at(r, p, size)).collect());
        let targets = with_mem(&dest.mem, |r| dest.row_items(r, dp));
        for (p, b) in targets.into_iter().zip(row) {
            if !write_mem(&dest.mem, p, &b) {
                return false;
            }
        }
    }
    true
}

/// C-order item pointers reordered to Fortran order.
fn to_fortran_order(c: &[isize], shape: &[isize]) -> Vec<isize> {
    let n = c.len();
    let cstrides = strides_from_shape(shape, 1, false);
    let mut out = Vec::with_capacity(n);
    let mut idx = vec![0isize; shape.len()];
    for _ in 0..n {
        let pos: isize = idx.iter().zip(&cstrides).map(|(i, s)| i * s).sum();
        out.push(c.get(pos as usize).copied().unwrap_or(0));
        for d in 0..idx.len() {
            idx[d] += 1;
            if idx[d] < shape[d] {
                break;
            }
            idx[d] = 0;
        }
    }
    out
}

fn buffer_error(vm: &Vm, msg: &str) -> crate::PyErr {
    vm.new_error(&vm.types.buffer_error, msg)
}

/// `PyBuffer_FillInfo` (with a format): a one-dimensional contiguous
/// buffer of the whole of `mem`.
fn fill_info(vm: &Vm, obj: &Obj, len: usize, format: (char, usize), readonly: bool, flags: u32) -> PyResult<BufferView> {
    if req(flags, PYBUF_WRITABLE) && readonly {
        return Err(buffer_error(vm, "Object is not writable."));
    }
    let itemsize = format.1.max(1) as isize;
    let len = len as isize;
    Ok(BufferView {
        obj: obj.clone(),
        mem: obj.clone(),
        buf: 0,
        len,
        itemsize,
        readonly,
        format: req(flags, PYBUF_FORMAT).then(|| format.0.to_string()),
        ndim: 1,
        shape: req(flags, PYBUF_ND).then(|| vec![len / itemsize]),
        strides: req(flags, PYBUF_STRIDES).then(|| vec![itemsize]),
        suboffsets: None,
        internal: 0,
    })
}

/// `PyObject_GetBuffer(obj, flags)`. The export is counted until
/// `release_buffer`.
pub fn get_buffer(vm: &Vm, obj: &Obj, flags: u32) -> PyResult<BufferView> {
    if let Some(m) = obj.downcast::<MemoryViewData>() {
        return crate::types::memoryview::memory_getbuf(vm, obj, m, flags);
    }
    if let Some(b) = obj.downcast::<BytesData>() {
        return fill_info(vm, obj, b.value.len(), ('B', 1), true, flags);
    }
    if let Some(b) = obj.downcast::<ByteArrayData>() {
        let v = fill_info(vm, obj, b.value.borrow().len(), ('B', 1), false, flags)?;
        b.exports.set(b.exports.get() + 1);
        return Ok(v);
    }
    if let Some(view) = crate::types::picklebuffer::exported_view(vm, obj) {
        let view = view?;
        if let Some(m) = view.downcast::<MemoryViewData>() {
            let inner = m.view.obj.clone();
            if !inner.is(&vm.none) {
                return get_buffer(vm, &inner, flags);
            }
        }
        return get_buffer(vm, &view, flags);
    }
    if let Some(p) = buffer_procs(obj) {
        if let Some(getbuffer) = p.getbuffer {
            let v = getbuffer(vm, obj, flags)?;
            retain(&v);
            return Ok(v);
        }
        crate::types::bytes::check_export(vm, obj)?;
        let v = fill_info(vm, obj, (p.read)(obj).len(), (p.format)(obj), p.is_readonly(obj), flags)?;
        (p.exports)(obj, 1);
        return Ok(v);
    }
    Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(obj))))
}

/// `PyObject_CheckBuffer`: whether `obj` exports a buffer.
pub fn check_buffer(obj: &Obj) -> bool {
    obj.downcast::<MemoryViewData>().is_some()
        || obj.downcast::<BytesData>().is_some()
        || obj.downcast::<ByteArrayData>().is_some()
        || obj.downcast::<crate::types::picklebuffer::PickleBufferData>().is_some()
        || buffer_procs(obj).is_some()
}

/// Counts one more export of `view` (a copy of it is kept).
pub fn retain(view: &BufferView) {
    export_delta(view, 1);
}

/// `PyBuffer_Release`: the export of `view` ends.
pub fn release_buffer(view: &BufferView) {
    export_delta(view, -1);
}

fn export_delta(view: &BufferView, delta: isize) {
    let obj = &view.obj;
    if let Some(m) = obj.downcast::<MemoryViewData>() {
        m.exports.set((m.exports.get() as isize + delta).max(0) as usize);
    } else if let Some(b) = obj.downcast::<ByteArrayData>() {
        b.exports.set((b.exports.get() as isize + delta).max(0) as usize);
    } else if let Some(p) = buffer_procs(obj) {
        match p.release {
            Some(rel) => rel(obj, view.internal, delta),
            None => (p.exports)(obj, delta),
        }
    }
}

/// A buffer held for the duration of a call, released when dropped.
pub struct Held(pub BufferView);

impl Drop for Held {
    fn drop(&mut self) {
        release_buffer(&self.0);
    }
}

/// `get_buffer` held until the guard drops.
pub fn hold(vm: &Vm, obj: &Obj, flags: u32) -> PyResult<Held> {
    get_buffer(vm, obj, flags).map(Held)
}

/// The single native struct character of a format (`'@'` prefix
/// allowed) and its size (CPython's `get_native_fmtchar`).
pub fn native_fmtchar(format: &str) -> Option<(char, usize)> {
    let f = format.strip_prefix('@').unwrap_or(format);
    let mut chars = f.chars();
    let c = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    let size = match c {
        'c' | 'b' | 'B' | '?' => 1,
        'h' | 'H' => 2,
        'i' | 'I' | 'f' => 4,
        'l' | 'L' | 'q' | 'Q' | 'n' | 'N' | 'd' | 'P' => 8,
        _ => return None,
    };
    Some((c, size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strides() {
        assert_eq!(strides_from_shape(&[2, 3, 4], 2, false), vec![24, 8, 2]);
        assert_eq!(strides_from_shape(&[2, 3, 4], 2, true), vec![2, 4, 12]);
    }

    #[test]
    fn fortran_order() {
        // 2x3 C-order pointers 0..6 → Fortran order walks columns first.
        assert_eq!(to_fortran_order(&[0, 1, 2, 3, 4, 5], &[2, 3]), vec![0, 3, 1, 4, 2, 5]);
    }

    #[test]
    fn fmtchar() {
        assert_eq!(native_fmtchar("@L"), Some(('L', 8)));
        assert_eq!(native_fmtchar("<L"), None);
        assert_eq!(native_fmtchar("BB"), None);
    }
}
