//! `bytes`, and the byte-string algorithms `bytearray` shares (CPython's
//! `bytes_methods.c`): every method works on the receiver's bytes and
//! builds its result with the receiver's kind (`bytes` or `bytearray`).

use std::borrow::Cow;
use std::cell::Cell;

use crate::native::{bind, exact, MethodDef, Params};
use crate::object::{alloc, Obj};
use crate::types::builtin::*;
use crate::types::bytearray::{new_bytearray, ByteArrayData};
use crate::types::memoryview::MemoryViewData;
use crate::types::{is_subtype, type_data_of, type_of, Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::{BinaryOp, CompareOp};

/// A `bytes`: immutable bytes and a cached hash.
pub struct BytesData {
    pub value: Box<[u8]>,
    hash: Cell<Option<i64>>,
}

pub fn new_bytes(vm: &Vm, v: Vec<u8>) -> Obj {
    alloc(vm.types.bytes.clone(), BytesData { value: v.into_boxed_slice(), hash: Cell::new(None) })
}

fn new_bytes_of(cls: &Obj, v: Vec<u8>) -> Obj {
    alloc(cls.clone(), BytesData { value: v.into_boxed_slice(), hash: Cell::new(None) })
}

/// The bytes of a `bytes` object (or of an instance of a subclass).
pub fn bytes_data(o: &Obj) -> Option<&[u8]> {
    o.downcast::<BytesData>().map(|b| &b.value[..])
}

/// The contents of any object exporting a byte buffer (`bytes`,
/// `bytearray`, `memoryview`): borrowed for `bytes`, a copy otherwise.
pub fn as_buffer(o: &Obj) -> Option<Cow<'_, [u8]>> {
    if let Some(b) = o.downcast::<BytesData>() {
        return Some(Cow::Borrowed(&b.value));
    }
    if let Some(b) = o.downcast::<ByteArrayData>() {
        return Some(Cow::Owned(b.value.borrow().clone()));
    }
    if let Some(m) = o.downcast::<MemoryViewData>() {
        return crate::types::memoryview::view_bytes(m).map(Cow::Owned);
    }
    if let Some(b) = crate::types::picklebuffer::buffer_bytes(o) {
        return Some(Cow::Owned(b));
    }
    buffer_procs(o).map(|p| Cow::Owned((p.read)(o)))
}

/// The buffer procedures of an exporter outside the core (`Slots::buffer`).
pub fn buffer_procs(o: &Obj) -> Option<&'static crate::types::BufferProcs> {
    crate::types::type_data_of(o).slots.get().buffer
}

/// Runs the exporter's `BufferProcs::check` (if any) before a buffer is
/// taken from `o`.
pub fn check_export(vm: &Vm, o: &Obj) -> PyResult<()> {
    match buffer_procs(o).and_then(|p| p.check) {
        Some(check) => check(vm, o),
        None => Ok(()),
    }
}

/// The size in bytes of a writable buffer (`bytearray`, a writable
/// `memoryview`, a writable exporter); `None` for anything else.
pub fn writable_buffer_len(o: &Obj) -> Option<usize> {
    if let Some(b) = o.downcast::<ByteArrayData>() {
        return Some(b.value.borrow().len());
    }
    if let Some(m) = o.downcast::<MemoryViewData>() {
        return (!m.view.readonly && !m.released.get()).then_some(m.nbytes());
    }
    let p = buffer_procs(o)?;
    p.writer(o)?;
    Some((p.read)(o).len())
}

/// Writes `data` into a writable buffer at byte `offset`
/// (`PyObject_GetBuffer(PyBUF_WRITABLE)` then a copy); `false` when `o`
/// is not a writable buffer or the bytes do not fit.
pub fn write_buffer(o: &Obj, offset: usize, data: &[u8]) -> bool {
    match writable_buffer_len(o) {
        Some(n) if offset.checked_add(data.len()).is_some_and(|end| end <= n) => {}
        _ => return false,
    }
    if let Some(b) = o.downcast::<ByteArrayData>() {
        b.value.borrow_mut()[offset..offset + data.len()].copy_from_slice(data);
        return true;
    }
    if let Some(m) = o.downcast::<MemoryViewData>() {
        return crate::types::memoryview::write_view_bytes(m, offset, data);
    }
    match buffer_procs(o).and_then(|p| p.writer(o)) {
        Some(w) => {
            w(o, offset, data);
            true
        }
        None => false,
    }
}

/// The length of a buffer object, for `len()`.
pub fn buffer_len(o: &Obj) -> Option<usize> {
    if let Some(b) = o.downcast::<BytesData>() {
        return Some(b.value.len());
    }
    if let Some(b) = o.downcast::<ByteArrayData>() {
        return Some(b.value.borrow().len());
    }
    o.downcast::<MemoryViewData>().filter(|m| !m.released.get()).map(|m| m.dim0())
}

/// `hash(bytes)`: CPython's SipHash-1-3 of the bytes (equal to the hash
/// of the ASCII/Latin-1 str with the same code units, as in CPython).
pub fn hash_bytes(b: &[u8]) -> i64 {
    crate::hash::hash_bytes(b)
}

fn data(o: &Obj) -> Cow<'_, [u8]> {
    as_buffer(o).unwrap_or(Cow::Borrowed(&[]))
}

fn is_bytearray(o: &Obj) -> bool {
    o.downcast::<ByteArrayData>().is_some()
}

/// A result of the receiver's kind.
fn out(vm: &Vm, this: &Obj, v: Vec<u8>) -> Obj {
    if is_bytearray(this) {
        new_bytearray(vm, v)
    } else {
        new_bytes(vm, v)
    }
}

/// A bytes-like argument.
pub fn buf_arg<'a>(vm: &Vm, o: &'a Obj) -> PyResult<Cow<'a, [u8]>> {
    as_buffer(o).ok_or_else(|| vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(o))))
}

/// A byte value (0..=255) from an int.
pub fn byte_value(vm: &Vm, o: &Obj) -> PyResult<u8> {
    match o.downcast::<IntData>() {
        Some(IntData::Small(v)) if (0..256).contains(v) => Ok(*v as u8),
        Some(_) => Err(vm.new_error(&vm.types.value_error, "byte must be in range(0, 256)")),
        // Objects with `__index__` count as their int (`_getbytevalue`).
        None if has_index(o) => byte_value(vm, &crate::ops::index(vm, o)?),
        None => Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer", type_name(o)))),
    }
}

/// Whether the type of `o` defines `__index__` (`PyIndex_Check`).
fn has_index(o: &Obj) -> bool {
    crate::types::lookup(&type_of(o), "__index__").is_some()
}

/// The `sub` argument of `find`, `count`, `in`...: an int or bytes-like.
fn sub_arg(vm: &Vm, o: &Obj) -> PyResult<Vec<u8>> {
    if o.downcast::<IntData>().is_some() || has_index(o) {
        return Ok(vec![byte_value(vm, o)?]);
    }
    match as_buffer(o) {
        Some(b) => Ok(b.into_owned()),
        None => Err(vm.type_error(format!("argument should be integer or bytes-like object, not '{}'", type_name(o)))),
    }
}

fn slice_arg(vm: &Vm, o: &Option<Obj>) -> PyResult<Option<i64>> {
    match o {
        None => Ok(None),
        Some(o) if o.is(&vm.none) => Ok(None),
        Some(o) => match o.downcast::<IntData>() {
            Some(IntData::Small(v)) => Ok(Some(*v)),
            Some(IntData::Big(b)) => Ok(Some(if num_traits::Signed::is_negative(b) { i64::MIN / 2 } else { i64::MAX / 2 })),
            None => Err(vm.type_error("slice indices must be integers or None or have an __index__ method")),
        },
    }
}

/// CPython's `ADJUST_INDICES`.
fn adjust(start: Option<i64>, end: Option<i64>, len: usize) -> (i64, i64) {
    let len = len as i64;
    let mut end = end.unwrap_or(len);
    let mut start = start.unwrap_or(0);
    if end > len {
        end = len;
    } else if end < 0 {
        end = (end + len).max(0);
    }
    if start < 0 {
        start = (start + len).max(0);
    }
    (start, end)
}

fn find_in(h: &[u8], n: &[u8], start: i64, end: i64, reverse: bool) -> i64 {
    if start > end || end - start < n.len() as i64 {
        return -1;
    }
    let hay = &h[start as usize..end as usize];
    if n.is_empty() {
        return if reverse { end } else { start };
    }
    let found = if reverse { hay.windows(n.len()).rposition(|w| w == n) } else { hay.windows(n.len()).position(|w| w == n) };
    found.map_or(-1, |i| start + i as i64)
}

fn find_pos(h: &[u8], n: &[u8]) -> Option<usize> {
    if n.is_empty() {
        return Some(0);
    }
    h.windows(n.len()).position(|w| w == n)
}

fn rfind_pos(h: &[u8], n: &[u8]) -> Option<usize> {
    if n.is_empty() {
        return Some(h.len());
    }
    h.windows(n.len()).rposition(|w| w == n)
}

/// `(sub[, start[, end]])` with the old-style argument-count messages.
fn sub_start_end(vm: &Vm, name: &str, args: &[Obj], kw: Kwargs) -> PyResult<(Vec<u8>, Option<i64>, Option<i64>)> {
    crate::native::no_kwargs(vm, name, kw)?;
    if args.is_empty() {
        return Err(vm.type_error(format!("{name}() takes at least 1 argument (0 given)")));
    }
    if args.len() > 3 {
        return Err(vm.type_error(format!("{name}() takes at most 3 arguments ({} given)", args.len())));
    }
    let sub = sub_arg(vm, &args[0])?;
    Ok((sub, slice_arg(vm, &args.get(1).cloned())?, slice_arg(vm, &args.get(2).cloned())?))
}

fn find_common(vm: &Vm, this: &Obj, name: &str, args: &[Obj], kw: Kwargs, reverse: bool) -> PyResult<i64> {
    let (sub, start, end) = sub_start_end(vm, name, args, kw)?;
    let h = data(this);
    let (s, e) = adjust(start, end, h.len());
    Ok(find_in(&h, &sub, s, e, reverse))
}

fn bytes_find(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    Ok(vm.int(find_common(vm, this, "find", args, kw, false)?))
}

fn bytes_rfind(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    Ok(vm.int(find_common(vm, this, "rfind", args, kw, true)?))
}

fn bytes_index(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    match find_common(vm, this, "index", args, kw, false)? {
        -1 => Err(vm.new_error(&vm.types.value_error, "subsection not found")),
        i => Ok(vm.int(i)),
    }
}

fn bytes_rindex(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    match find_common(vm, this, "rindex", args, kw, true)? {
        -1 => Err(vm.new_error(&vm.types.value_error, "subsection not found")),
        i => Ok(vm.int(i)),
    }
}

fn bytes_count(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (sub, start, end) = sub_start_end(vm, "count", args, kw)?;
    let h = data(this);
    let (s, e) = adjust(start, end, h.len());
    if s > e {
        return Ok(vm.int(0));
    }
    if sub.is_empty() {
        return Ok(vm.int(e - s + 1));
    }
    let mut hay = &h[s as usize..e as usize];
    let mut n = 0;
    while let Some(i) = find_pos(hay, &sub) {
        n += 1;
        hay = &hay[i + sub.len()..];
    }
    Ok(vm.int(n))
}

fn affix_match(vm: &Vm, this: &Obj, name: &str, args: &[Obj], kw: Kwargs, suffix: bool) -> PyResult<Obj> {
    crate::native::no_kwargs(vm, name, kw)?;
    if args.is_empty() || args.len() > 3 {
        let msg = if args.is_empty() {
            format!("{name}() takes at least 1 argument (0 given)")
        } else {
            format!("{name}() takes at most 3 arguments ({} given)", args.len())
        };
        return Err(vm.type_error(msg));
    }
    let h = data(this);
    let (s, e) = adjust(slice_arg(vm, &args.get(1).cloned())?, slice_arg(vm, &args.get(2).cloned())?, h.len());
    let test = |p: &[u8]| -> bool {
        let e2 = e - p.len() as i64;
        if e2 < s || s > h.len() as i64 {
            return false;
        }
        let at = if suffix { e2 as usize } else { s as usize };
        &h[at..at + p.len()] == p
    };
    let first = &args[0];
    if let Some(t) = first.downcast::<TupleData>() {
        for p in t.items.iter() {
            if test(&buf_arg(vm, p)?) {
                return Ok(vm.true_.clone());
            }
        }
        return Ok(vm.false_.clone());
    }
    match as_buffer(first) {
        Some(p) => Ok(vm.bool(test(&p))),
        None => Err(vm.type_error(format!("{name} first arg must be bytes or a tuple of bytes, not {}", type_name(first)))),
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn strip_common(vm: &Vm, this: &Obj, name: &str, args: &[Obj], kw: Kwargs, left: bool, right: bool) -> PyResult<Obj> {
    let [chars] = crate::native::at_most::<1>(vm, name, 0, args, kw)?;
    let chars: Option<Vec<u8>> = match chars {
        Some(c) if !c.is(&vm.none) => Some(buf_arg(vm, &c)?.into_owned()),
        _ => None,
    };
    let strip = |c: u8| chars.as_ref().map_or(is_space(c), |cs| cs.contains(&c));
    let h = data(this);
    let mut a = 0;
    let mut b = h.len();
    if left {
        while a < b && strip(h[a]) {
            a += 1;
        }
    }
    if right {
        while b > a && strip(h[b - 1]) {
            b -= 1;
        }
    }
    Ok(out(vm, this, h[a..b].to_vec()))
}

fn split_common(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, reverse: bool) -> PyResult<Obj> {
    static SPLIT: Params = Params { fname: "split", names: &["sep", "maxsplit"], posonly: 0, kwonly: 0, required: 0 };
    static RSPLIT: Params = Params { fname: "rsplit", names: &["sep", "maxsplit"], posonly: 0, kwonly: 0, required: 0 };
    let [sep, maxsplit] = bind::<2>(vm, if reverse { &RSPLIT } else { &SPLIT }, args, kw)?;
    let maxsplit = match maxsplit {
        Some(m) => expect_int(vm, &m, "")?,
        None => -1,
    };
    let maxsplit = if maxsplit < 0 { usize::MAX } else { maxsplit as usize };
    let h = data(this);
    let mut parts: Vec<Vec<u8>> = Vec::new();
    match sep.filter(|s| !s.is(&vm.none)) {
        None => {
            // Runs of whitespace separate; no empty parts.
            let mut rest: &[u8] = &h;
            loop {
                let trimmed: &[u8] = if reverse {
                    let n = rest.iter().rposition(|&c| !is_space(c)).map_or(0, |i| i + 1);
                    &rest[..n]
                } else {
                    let n = rest.iter().position(|&c| !is_space(c)).unwrap_or(rest.len());
                    &rest[n..]
                };
                if trimmed.is_empty() {
                    break;
                }
                if parts.len() == maxsplit {
                    parts.push(trimmed.to_vec());
                    break;
                }
                if reverse {
                    let at = trimmed.iter().rposition(|&c| is_space(c)).map_or(0, |i| i + 1);
                    parts.push(trimmed[at..].to_vec());
                    rest = &trimmed[..at];
                } else {
                    let at = trimmed.iter().position(|&c| is_space(c)).unwrap_or(trimmed.len());
                    parts.push(trimmed[..at].to_vec());
                    rest = &trimmed[at..];
                }
            }
        }
        Some(sep) => {
            let sep = buf_arg(vm, &sep)?.into_owned();
            if sep.is_empty() {
                return Err(vm.new_error(&vm.types.value_error, "empty separator"));
            }
            let mut rest: &[u8] = &h;
            while parts.len() < maxsplit {
                let found = if reverse { rfind_pos(rest, &sep) } else { find_pos(rest, &sep) };
                let Some(i) = found else { break };
                if reverse {
                    parts.push(rest[i + sep.len()..].to_vec());
                    rest = &rest[..i];
                } else {
                    parts.push(rest[..i].to_vec());
                    rest = &rest[i + sep.len()..];
                }
            }
            parts.push(rest.to_vec());
        }
    }
    if reverse {
        parts.reverse();
    }
    Ok(new_list(vm, parts.into_iter().map(|p| out(vm, this, p)).collect()))
}

fn partition_common(vm: &Vm, this: &Obj, name: &str, args: &[Obj], kw: Kwargs, reverse: bool) -> PyResult<Obj> {
    let [sep] = exact(vm, name, args, kw)?;
    let sep = buf_arg(vm, &sep)?.into_owned();
    if sep.is_empty() {
        return Err(vm.new_error(&vm.types.value_error, "empty separator"));
    }
    let h = data(this);
    let found = if reverse { rfind_pos(&h, &sep) } else { find_pos(&h, &sep) };
    let parts = match found {
        Some(i) => [h[..i].to_vec(), sep.clone(), h[i + sep.len()..].to_vec()],
        None if reverse => [Vec::new(), Vec::new(), h.to_vec()],
        None => [h.to_vec(), Vec::new(), Vec::new()],
    };
    Ok(new_tuple(vm, parts.into_iter().map(|p| out(vm, this, p)).collect()))
}

fn replace_bytes(h: &[u8], old: &[u8], new: &[u8], count: usize) -> Vec<u8> {
    let mut r = Vec::with_capacity(h.len());
    let mut n = 0;
    if old.is_empty() {
        for (i, &c) in h.iter().enumerate() {
            if n < count {
                r.extend_from_slice(new);
                n += 1;
            }
            r.push(c);
            if i + 1 == h.len() && n < count {
                r.extend_from_slice(new);
            }
        }
        if h.is_empty() && count > 0 {
            r.extend_from_slice(new);
        }
        return r;
    }
    let mut rest = h;
    while n < count {
        let Some(i) = find_pos(rest, old) else { break };
        r.extend_from_slice(&rest[..i]);
        r.extend_from_slice(new);
        rest = &rest[i + old.len()..];
        n += 1;
    }
    r.extend_from_slice(rest);
    r
}

fn bytes_replace(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [old, new, count] = crate::native::at_most::<3>(vm, "replace", 2, args, kw)?;
    let (Some(old), Some(new)) = (old, new) else { return Err(vm.type_error("replace expected at least 2 arguments")) };
    let old = buf_arg(vm, &old)?.into_owned();
    let new = buf_arg(vm, &new)?.into_owned();
    let count = match count {
        Some(c) => expect_int(vm, &c, "")?,
        None => -1,
    };
    let count = if count < 0 { usize::MAX } else { count as usize };
    Ok(out(vm, this, replace_bytes(&data(this), &old, &new, count)))
}

fn fill_arg(vm: &Vm, name: &str, fill: Option<Obj>) -> PyResult<u8> {
    let Some(f) = fill else { return Ok(b' ') };
    match as_buffer(&f) {
        Some(b) if b.len() == 1 && f.downcast::<MemoryViewData>().is_none() => Ok(b[0]),
        _ => Err(vm.type_error(format!("{name}() argument 2 must be a byte string of length 1, not {}", type_name(&f)))),
    }
}

fn pad_common(vm: &Vm, this: &Obj, name: &str, args: &[Obj], kw: Kwargs, how: u8) -> PyResult<Obj> {
    let [width, fill] = crate::native::at_most::<2>(vm, name, 1, args, kw)?;
    let width = match width {
        Some(w) => expect_int(vm, &w, "")?,
        None => 0,
    };
    let fill = fill_arg(vm, name, fill)?;
    let h = data(this);
    let len = h.len() as i64;
    if width <= len {
        return Ok(out(vm, this, h.to_vec()));
    }
    let pad = width - len;
    let left = match how {
        b'l' => 0,
        b'r' => pad,
        _ => pad / 2 + (pad & width & 1),
    };
    let mut r = vec![fill; left as usize];
    r.extend_from_slice(&h);
    r.resize(width as usize, fill);
    Ok(out(vm, this, r))
}

fn bytes_zfill(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [width] = exact(vm, "zfill", args, kw)?;
    let width = expect_int(vm, &width, "")?;
    let h = data(this);
    if width <= h.len() as i64 {
        return Ok(out(vm, this, h.to_vec()));
    }
    let fill = width as usize - h.len();
    let mut r = vec![b'0'; fill];
    r.extend_from_slice(&h);
    if matches!(h.first(), Some(b'+' | b'-')) {
        r[0] = h[0];
        r[fill] = b'0';
    }
    Ok(out(vm, this, r))
}

fn bytes_expandtabs(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "expandtabs", names: &["tabsize"], posonly: 0, kwonly: 0, required: 0 };
    let [tabsize] = bind::<1>(vm, &P, args, kw)?;
    let tabsize = match tabsize {
        Some(t) => expect_int(vm, &t, "")?,
        None => 8,
    };
    let mut r = Vec::new();
    let mut col: i64 = 0;
    for &c in data(this).iter() {
        match c {
            b'\t' => {
                if tabsize > 0 {
                    let n = tabsize - col % tabsize;
                    r.extend(std::iter::repeat_n(b' ', n as usize));
                    col += n;
                }
            }
            b'\n' | b'\r' => {
                r.push(c);
                col = 0;
            }
            _ => {
                r.push(c);
                col += 1;
            }
        }
    }
    Ok(out(vm, this, r))
}

fn bytes_join(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [iterable] = exact(vm, "join", args, kw)?;
    let sep = data(this).into_owned();
    // A bytearray separator is exported while the iterable runs: a
    // custom iterator cannot resize it meanwhile (as in CPython).
    let exporter = this.downcast::<crate::types::bytearray::ByteArrayData>();
    if let Some(b) = exporter {
        b.exports.set(b.exports.get() + 1);
    }
    let items = crate::sequence::to_vec(vm, &iterable);
    if let Some(b) = exporter {
        b.exports.set(b.exports.get() - 1);
    }
    let items = items?;
    let mut r = Vec::new();
    for (n, x) in items.iter().enumerate() {
        let Some(b) = as_buffer(x) else {
            return Err(vm.type_error(format!("sequence item {n}: expected a bytes-like object, {} found", type_name(x))));
        };
        if n > 0 {
            r.extend_from_slice(&sep);
        }
        r.extend_from_slice(&b);
    }
    Ok(out(vm, this, r))
}

fn bytes_splitlines(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "splitlines", names: &["keepends"], posonly: 0, kwonly: 0, required: 0 };
    let [keep] = bind::<1>(vm, &P, args, kw)?;
    let keep = match keep {
        Some(k) => crate::ops::truth(vm, &k)?,
        None => false,
    };
    let h = data(this);
    let mut parts = Vec::new();
    let mut i = 0;
    while i < h.len() {
        let start = i;
        while i < h.len() && h[i] != b'\n' && h[i] != b'\r' {
            i += 1;
        }
        let eol = i;
        if i < h.len() {
            i += if h[i] == b'\r' && h.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
        }
        parts.push(out(vm, this, h[start..if keep { i } else { eol }].to_vec()));
    }
    Ok(new_list(vm, parts))
}

fn bytes_hex(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "hex", names: &["sep", "bytes_per_sep"], posonly: 0, kwonly: 0, required: 0 };
    let [sep, per] = bind::<2>(vm, &P, args, kw)?;
    Ok(new_str(vm, &hex_string(vm, &data(this), sep, per)?))
}

/// `bytes.hex` / `memoryview.hex`.
pub fn hex_string(vm: &Vm, h: &[u8], sep: Option<Obj>, per: Option<Obj>) -> PyResult<String> {
    let sep: Option<u8> = match sep {
        None => None,
        Some(s) => {
            let raw: Vec<u8> =
                if let Some(st) = s.downcast::<StrData>() { st.value.as_bytes().to_vec() } else { buf_arg(vm, &s)?.into_owned() };
            if raw.len() != 1 {
                return Err(vm.new_error(&vm.types.value_error, "sep must be length 1."));
            }
            if raw[0] >= 0x80 {
                return Err(vm.new_error(&vm.types.value_error, "sep must be ASCII."));
            }
            Some(raw[0])
        }
    };
    let per = match per {
        Some(p) => expect_int(vm, &p, "")?,
        None => 1,
    };
    let mut r = String::with_capacity(h.len() * 3);
    let group = per.unsigned_abs() as usize;
    for (i, &c) in h.iter().enumerate() {
        if let Some(s) = sep {
            if i > 0 && group > 0 {
                // Groups count from the right when `bytes_per_sep` > 0.
                let boundary = if per > 0 { (h.len() - i).is_multiple_of(group) } else { i.is_multiple_of(group) };
                if boundary {
                    r.push(s as char);
                }
            }
        }
        r.push_str(&format!("{c:02x}"));
    }
    Ok(r)
}

fn from_hex(vm: &Vm, s: &Obj) -> PyResult<Vec<u8>> {
    let Some(st) = s.downcast::<StrData>() else {
        return Err(vm.type_error(format!("fromhex() argument must be str, not {}", type_name(s))));
    };
    let cps: Vec<u32> = st.value.code_points().collect();
    let digit = |c: u32| char::from_u32(c).and_then(|c| c.to_digit(16));
    let bad = |i: usize| vm.new_error(&vm.types.value_error, format!("non-hexadecimal number found in fromhex() arg at position {i}"));
    let mut r = Vec::new();
    let mut i = 0;
    while i < cps.len() {
        if cps[i] < 0x80 && is_space(cps[i] as u8) {
            i += 1;
            continue;
        }
        let hi = digit(cps[i]).ok_or_else(|| bad(i))?;
        let lo = cps.get(i + 1).and_then(|&c| digit(c)).ok_or_else(|| bad(i + 1))?;
        r.push((hi * 16 + lo) as u8);
        i += 2;
    }
    Ok(r)
}

fn bytes_fromhex(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [s] = exact(vm, "fromhex", args, kw)?;
    let v = from_hex(vm, &s)?;
    if cls.is(&vm.types.bytes) {
        return Ok(new_bytes(vm, v));
    }
    if cls.is(&vm.types.bytearray) {
        return Ok(new_bytearray(vm, v));
    }
    let base = if is_subtype(cls, &vm.types.bytearray) { new_bytearray(vm, v) } else { new_bytes(vm, v) };
    crate::classes::call_object(vm, cls, &[base])
}

fn bytes_maketrans(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [frm, to] = exact(vm, "maketrans", args, kw)?;
    let frm = buf_arg(vm, &frm)?.into_owned();
    let to = buf_arg(vm, &to)?.into_owned();
    if frm.len() != to.len() {
        return Err(vm.new_error(&vm.types.value_error, "maketrans arguments must have same length"));
    }
    let mut table: Vec<u8> = (0..=255).collect();
    for (f, t) in frm.iter().zip(&to) {
        table[*f as usize] = *t;
    }
    Ok(new_bytes(vm, table))
}

fn bytes_translate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "translate", names: &["table", "delete"], posonly: 1, kwonly: 0, required: 1 };
    let [table, delete] = bind::<2>(vm, &P, args, kw)?;
    let table: Option<Vec<u8>> = match table {
        Some(t) if !t.is(&vm.none) => {
            let t = buf_arg(vm, &t)?.into_owned();
            if t.len() != 256 {
                return Err(vm.new_error(&vm.types.value_error, "translation table must be 256 characters long"));
            }
            Some(t)
        }
        _ => None,
    };
    let delete = match delete {
        Some(d) => buf_arg(vm, &d)?.into_owned(),
        None => Vec::new(),
    };
    let r = data(this).iter().filter(|c| !delete.contains(c)).map(|&c| table.as_ref().map_or(c, |t| t[c as usize])).collect();
    Ok(out(vm, this, r))
}

fn affix_remove(vm: &Vm, this: &Obj, name: &str, args: &[Obj], kw: Kwargs, suffix: bool) -> PyResult<Obj> {
    let [p] = exact(vm, name, args, kw)?;
    let p = buf_arg(vm, &p)?.into_owned();
    let h = data(this);
    let r = if suffix { h.strip_suffix(&p[..]).unwrap_or(&h) } else { h.strip_prefix(&p[..]).unwrap_or(&h) };
    Ok(out(vm, this, r.to_vec()))
}

fn map_bytes(vm: &Vm, this: &Obj, name: &str, args: &[Obj], kw: Kwargs, f: fn(&[u8]) -> Vec<u8>) -> PyResult<Obj> {
    let [] = exact(vm, name, args, kw)?;
    Ok(out(vm, this, f(&data(this))))
}

fn title_bytes(h: &[u8]) -> Vec<u8> {
    let mut prev_cased = false;
    h.iter()
        .map(|&c| {
            let r = if prev_cased { c.to_ascii_lowercase() } else { c.to_ascii_uppercase() };
            prev_cased = c.is_ascii_alphabetic();
            r
        })
        .collect()
}

fn capitalize_bytes(h: &[u8]) -> Vec<u8> {
    h.iter().enumerate().map(|(i, &c)| if i == 0 { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() }).collect()
}

fn swapcase_bytes(h: &[u8]) -> Vec<u8> {
    h.iter().map(|&c| if c.is_ascii_uppercase() { c.to_ascii_lowercase() } else { c.to_ascii_uppercase() }).collect()
}

fn predicate(vm: &Vm, this: &Obj, name: &str, args: &[Obj], kw: Kwargs, f: fn(&[u8]) -> bool) -> PyResult<Obj> {
    let [] = exact(vm, name, args, kw)?;
    Ok(vm.bool(f(&data(this))))
}

fn istitle(h: &[u8]) -> bool {
    let mut cased = false;
    let mut prev_cased = false;
    for &c in h {
        if c.is_ascii_uppercase() {
            if prev_cased {
                return false;
            }
            prev_cased = true;
            cased = true;
        } else if c.is_ascii_lowercase() {
            if !prev_cased {
                return false;
            }
            prev_cased = true;
            cased = true;
        } else {
            prev_cased = false;
        }
    }
    cased
}

/// The methods `bytes` and `bytearray` share (results of the receiver's kind).
pub static SHARED_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "__len__",
        |vm, s, a, kw| {
            let [] = exact(vm, "__len__", a, kw)?;
            Ok(vm.int(data(s).len() as i64))
        },
        "Return len(self).",
    ),
    MethodDef::method(
        "__getitem__",
        |vm, s, a, kw| {
            let [key] = exact(vm, "__getitem__", a, kw)?;
            buffer_getitem(vm, s, &key)
        },
        "Return self[key].",
    ),
    MethodDef::method(
        "__contains__",
        |vm, s, a, kw| {
            let [item] = exact(vm, "__contains__", a, kw)?;
            Ok(vm.bool(buffer_contains(vm, s, &item)?))
        },
        "Return key in self.",
    ),
    MethodDef::method(
        "capitalize",
        |vm, s, a, kw| map_bytes(vm, s, "capitalize", a, kw, capitalize_bytes),
        "B.capitalize() -> copy of B\n\nReturn a copy of B with only its first character capitalized (ASCII)\nand the rest lower-cased.",
    ),
    MethodDef::method("center", |vm, s, a, kw| pad_common(vm, s, "center", a, kw, b'c'), "Return a centered string of length width."),
    MethodDef::method("count", bytes_count, "B.count(sub[, start[, end]]) -> int"),
    MethodDef::method("decode", crate::codecs::bytes_decode, "Decode the bytes using the codec registered for encoding."),
    MethodDef::method("endswith", |vm, s, a, kw| affix_match(vm, s, "endswith", a, kw, true), "B.endswith(suffix[, start[, end]]) -> bool"),
    MethodDef::method("expandtabs", bytes_expandtabs, "Return a copy where all tab characters are expanded using spaces."),
    MethodDef::method("find", bytes_find, "B.find(sub[, start[, end]]) -> int"),
    MethodDef::class("fromhex", bytes_fromhex, "Create a bytes object from a string of hexadecimal numbers."),
    MethodDef::method("hex", bytes_hex, "Create a string of hexadecimal numbers from a bytes object."),
    MethodDef::method("index", bytes_index, "B.index(sub[, start[, end]]) -> int"),
    MethodDef::method(
        "isalnum",
        |vm, s, a, kw| predicate(vm, s, "isalnum", a, kw, |h| !h.is_empty() && h.iter().all(u8::is_ascii_alphanumeric)),
        "B.isalnum() -> bool",
    ),
    MethodDef::method(
        "isalpha",
        |vm, s, a, kw| predicate(vm, s, "isalpha", a, kw, |h| !h.is_empty() && h.iter().all(u8::is_ascii_alphabetic)),
        "B.isalpha() -> bool",
    ),
    MethodDef::method("isascii", |vm, s, a, kw| predicate(vm, s, "isascii", a, kw, |h| h.is_ascii()), "B.isascii() -> bool"),
    MethodDef::method(
        "isdigit",
        |vm, s, a, kw| predicate(vm, s, "isdigit", a, kw, |h| !h.is_empty() && h.iter().all(u8::is_ascii_digit)),
        "B.isdigit() -> bool",
    ),
    MethodDef::method(
        "islower",
        |vm, s, a, kw| {
            predicate(vm, s, "islower", a, kw, |h| h.iter().any(u8::is_ascii_lowercase) && !h.iter().any(u8::is_ascii_uppercase))
        },
        "B.islower() -> bool",
    ),
    MethodDef::method(
        "isspace",
        |vm, s, a, kw| predicate(vm, s, "isspace", a, kw, |h| !h.is_empty() && h.iter().all(|&c| is_space(c))),
        "B.isspace() -> bool",
    ),
    MethodDef::method("istitle", |vm, s, a, kw| predicate(vm, s, "istitle", a, kw, istitle), "B.istitle() -> bool"),
    MethodDef::method(
        "isupper",
        |vm, s, a, kw| {
            predicate(vm, s, "isupper", a, kw, |h| h.iter().any(u8::is_ascii_uppercase) && !h.iter().any(u8::is_ascii_lowercase))
        },
        "B.isupper() -> bool",
    ),
    MethodDef::method("join", bytes_join, "Concatenate any number of bytes objects."),
    MethodDef::method("ljust", |vm, s, a, kw| pad_common(vm, s, "ljust", a, kw, b'l'), "Return a left-justified string of length width."),
    MethodDef::method("lower", |vm, s, a, kw| map_bytes(vm, s, "lower", a, kw, |h| h.to_ascii_lowercase()), "B.lower() -> copy of B"),
    MethodDef::method(
        "lstrip",
        |vm, s, a, kw| strip_common(vm, s, "lstrip", a, kw, true, false),
        "Strip leading bytes contained in the argument.",
    ),
    MethodDef::static_("maketrans", bytes_maketrans, "Return a translation table useable for the bytes or bytearray translate method."),
    MethodDef::method(
        "partition",
        |vm, s, a, kw| partition_common(vm, s, "partition", a, kw, false),
        "Partition the bytes into three parts using the given separator.",
    ),
    MethodDef::method(
        "removeprefix",
        |vm, s, a, kw| affix_remove(vm, s, "removeprefix", a, kw, false),
        "Return a bytes object with the given prefix string removed if present.",
    ),
    MethodDef::method(
        "removesuffix",
        |vm, s, a, kw| affix_remove(vm, s, "removesuffix", a, kw, true),
        "Return a bytes object with the given suffix string removed if present.",
    ),
    MethodDef::method("replace", bytes_replace, "Return a copy with all occurrences of substring old replaced by new."),
    MethodDef::method("rfind", bytes_rfind, "B.rfind(sub[, start[, end]]) -> int"),
    MethodDef::method("rindex", bytes_rindex, "B.rindex(sub[, start[, end]]) -> int"),
    MethodDef::method("rjust", |vm, s, a, kw| pad_common(vm, s, "rjust", a, kw, b'r'), "Return a right-justified string of length width."),
    MethodDef::method(
        "rpartition",
        |vm, s, a, kw| partition_common(vm, s, "rpartition", a, kw, true),
        "Partition the bytes into three parts using the given separator.",
    ),
    MethodDef::method(
        "rsplit",
        |vm, s, a, kw| split_common(vm, s, a, kw, true),
        "Return a list of the sections in the bytes, using sep as the delimiter.",
    ),
    MethodDef::method(
        "rstrip",
        |vm, s, a, kw| strip_common(vm, s, "rstrip", a, kw, false, true),
        "Strip trailing bytes contained in the argument.",
    ),
    MethodDef::method(
        "split",
        |vm, s, a, kw| split_common(vm, s, a, kw, false),
        "Return a list of the sections in the bytes, using sep as the delimiter.",
    ),
    MethodDef::method("splitlines", bytes_splitlines, "Return a list of the lines in the bytes, breaking at line boundaries."),
    MethodDef::method(
        "startswith",
        |vm, s, a, kw| affix_match(vm, s, "startswith", a, kw, false),
        "B.startswith(prefix[, start[, end]]) -> bool",
    ),
    MethodDef::method(
        "strip",
        |vm, s, a, kw| strip_common(vm, s, "strip", a, kw, true, true),
        "Strip leading and trailing bytes contained in the argument.",
    ),
    MethodDef::method("swapcase", |vm, s, a, kw| map_bytes(vm, s, "swapcase", a, kw, swapcase_bytes), "B.swapcase() -> copy of B"),
    MethodDef::method("title", |vm, s, a, kw| map_bytes(vm, s, "title", a, kw, title_bytes), "B.title() -> copy of B"),
    MethodDef::method("translate", bytes_translate, "Return a copy with each character mapped by the given translation table."),
    MethodDef::method("upper", |vm, s, a, kw| map_bytes(vm, s, "upper", a, kw, |h| h.to_ascii_uppercase()), "B.upper() -> copy of B"),
    MethodDef::method("zfill", bytes_zfill, "Pad a numeric string with zeros on the left, to fill a field of the given width."),
];

pub static BYTES_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "__sizeof__",
        |vm, s, a, kw| {
            let [] = exact(vm, "__sizeof__", a, kw)?;
            // What was really allocated: the object's block (header and
            // payload, no GC head) and the bytes' buffer, which is also
            // the size `tracemalloc` traces.
            let len = s.downcast::<BytesData>().map_or(0, |b| b.value.len());
            Ok(vm.int((s.block_size() + len) as i64))
        },
        "Size of object in memory, in bytes.",
    ),
    MethodDef::method(
        "__bytes__",
        |vm, s, a, kw| {
            let [] = exact(vm, "__bytes__", a, kw)?;
            if type_of(s).is(&vm.types.bytes) {
                Ok(s.clone())
            } else {
                Ok(new_bytes(vm, data(s).into_owned()))
            }
        },
        "Convert this value to exact type bytes.",
    ),
    MethodDef::method(
        "__getnewargs__",
        |vm, s, a, kw| {
            let [] = exact(vm, "__getnewargs__", a, kw)?;
            Ok(new_tuple(vm, vec![new_bytes(vm, data(s).into_owned())]))
        },
        "",
    ),
];

// ---- Construction -----------------------------------------------------------

/// The bytes of `bytes(source, encoding, errors)` / `bytearray(...)`.
pub(crate) fn construct(vm: &Vm, what: &str, args: &[Obj], kw: Kwargs) -> PyResult<Option<Vec<u8>>> {
    static BYTES: Params = Params { fname: "bytes", names: &["source", "encoding", "errors"], posonly: 0, kwonly: 0, required: 0 };
    static BYTEARRAY: Params = Params { fname: "bytearray", names: &["source", "encoding", "errors"], posonly: 0, kwonly: 0, required: 0 };
    let [source, encoding, errors] = bind::<3>(vm, if what == "bytes" { &BYTES } else { &BYTEARRAY }, args, kw)?;
    let Some(source) = source else {
        if encoding.is_some() || errors.is_some() {
            let msg = if encoding.is_some() { "encoding without a string argument" } else { "errors without a string argument" };
            return Err(vm.type_error(msg));
        }
        return Ok(Some(Vec::new()));
    };
    let str_arg = |o: Option<Obj>, name: &str| -> PyResult<Option<String>> {
        match o {
            None => Ok(None),
            Some(o) => match o.downcast::<StrData>() {
                Some(s) => Ok(Some(s.as_str().into_owned())),
                None => Err(vm.type_error(format!("{what}() argument '{name}' must be str, not {}", type_name(&o)))),
            },
        }
    };
    let encoding = str_arg(encoding, "encoding")?;
    let errors = str_arg(errors, "errors")?;
    if source.downcast::<StrData>().is_some() {
        let Some(encoding) = encoding else { return Err(vm.type_error("string argument without an encoding")) };
        return crate::codecs::encode_obj(vm, &source, &encoding, errors.as_deref().unwrap_or("strict")).map(Some);
    }
    if encoding.is_some() {
        return Err(vm.type_error("encoding without a string argument"));
    }
    if errors.is_some() {
        return Err(vm.type_error("errors without a string argument"));
    }
    if what == "bytes" {
        if let Some(f) = crate::types::lookup(&type_of(&source), "__bytes__") {
            let r = crate::classes::call_special(vm, &f, &source, &[], &[])?;
            return match r.downcast::<BytesData>() {
                Some(b) => Ok(Some(b.value.to_vec())),
                None => Err(vm.type_error(format!("__bytes__ returned non-bytes (type {})", type_name(&r)))),
            };
        }
    }
    check_export(vm, &source)?;
    if let Some(b) = as_buffer(&source) {
        return Ok(Some(b.into_owned()));
    }
    // A count: an int, or an object with `__index__` (whose TypeError
    // lets the object be tried as an iterable, as in CPython).
    let count = if source.downcast::<IntData>().is_some() {
        Some(source.clone())
    } else if has_index(&source) {
        match crate::ops::index(vm, &source) {
            Ok(n) => Some(n),
            Err(e) if is_subtype(&type_of(&e.exc), &vm.types.type_error) => None,
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    if let Some(n) = count {
        return match n.downcast::<IntData>() {
            Some(IntData::Small(n)) if *n < 0 => Err(vm.new_error(&vm.types.value_error, "negative count")),
            Some(IntData::Small(n)) if *n <= (1 << 40) => Ok(Some(vec![0; *n as usize])),
            _ => Err(vm.new_error(&vm.types.overflow_error, format!("cannot fit '{}' into an index-sized integer", type_name(&source)))),
        };
    }
    if crate::types::type_data_of(&source).slots.get().iter.is_none() && crate::types::lookup(&type_of(&source), "__getitem__").is_none() {
        return Err(vm.type_error(format!("cannot convert '{}' object to {what}", type_name(&source))));
    }
    let it = crate::ops::iter(vm, &source)?;
    let mut v = Vec::new();
    while let Some(x) = crate::ops::next(vm, &it)? {
        match byte_value(vm, &x) {
            Ok(b) => v.push(b),
            Err(e) if what == "bytes" && is_subtype(&type_of(&e.exc), &vm.types.value_error) => {
                return Err(vm.new_error(&vm.types.value_error, "bytes must be in range(0, 256)"));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(Some(v))
}

// ---- Slots ------------------------------------------------------------------

pub fn bytes_slots() -> Slots {
    Slots {
        new: Some(|vm, cls, args, kw| {
            if cls.is(&vm.types.bytes) && args.len() == 1 && kw.is_empty() && type_of(&args[0]).is(&vm.types.bytes) {
                return Ok(args[0].clone());
            }
            let v = construct(vm, "bytes", args, kw)?.unwrap_or_default();
            Ok(new_bytes_of(cls, v))
        }),
        repr: Some(|vm, o| Ok(new_str(vm, &taipan_parser::repr::repr_bytes(&data(o))))),
        hash: Some(|_, o| {
            let Some(b) = o.downcast::<BytesData>() else { return Ok(0) };
            if let Some(h) = b.hash.get() {
                return Ok(h);
            }
            let h = hash_bytes(&b.value);
            b.hash.set(Some(h));
            Ok(h)
        }),
        bool: Some(|_, o| Ok(!data(o).is_empty())),
        iter: Some(|vm, o| Ok(alloc(vm.types.bytes_iterator.clone(), BytesIterData::new(o)))),
        binary: Some(buffer_binary),
        compare: Some(buffer_compare),
        ..object_slots()
    }
}

/// `+`, `*` and `%` of bytes and bytearray.
pub(crate) fn buffer_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let a_seq = a.downcast::<BytesData>().is_some() || is_bytearray(a);
    match op {
        BinaryOp::Add if a_seq => {
            let Some(y) = as_buffer(b) else {
                return if b.downcast::<StrData>().is_some() || a_seq {
                    Err(vm.type_error(format!("can't concat {} to {}", type_name(b), type_name(a))))
                } else {
                    Ok(vm.not_implemented.clone())
                };
            };
            let mut v = data(a).into_owned();
            v.extend_from_slice(&y);
            Ok(out(vm, a, v))
        }
        BinaryOp::Multiply => {
            let (seq, n) = if a_seq { (a, b) } else { (b, a) };
            let n = match crate::types::container::repeat_count(vm, n) {
                Some(n) => n? as i64,
                None if type_data_of(n).slots.get().python_binary => return Ok(vm.not_implemented.clone()),
                None => return Err(vm.type_error(format!("can't multiply sequence by non-int of type '{}'", type_name(n)))),
            };
            let d = data(seq);
            if n > 0 && (d.len() as i64).checked_mul(n).is_none_or(|t| t > isize::MAX as i64) {
                return Err(crate::types::bytearray::memory_error(vm));
            }
            Ok(out(vm, seq, d.repeat(n.max(0) as usize)))
        }
        BinaryOp::Remainder if a_seq => Ok(out(vm, a, crate::types::bytes_format::percent_format(vm, &data(a), b)?)),
        _ => Ok(vm.not_implemented.clone()),
    }
}

pub(crate) fn buffer_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    // `bytes` compares only with `bytes` (and `bytearray`, `memoryview`
    // through their own comparisons).
    if a.downcast::<BytesData>().is_some() && buffer_procs(b).is_some() {
        return Ok(vm.not_implemented.clone());
    }
    let (Some(x), Some(y)) = (as_buffer(a), as_buffer(b)) else { return Ok(vm.not_implemented.clone()) };
    if b.downcast::<MemoryViewData>().is_some() && !matches!(op, CompareOp::Eq | CompareOp::Ne) {
        return Ok(vm.not_implemented.clone());
    }
    Ok(compare_result(vm, op, &x[..], &y[..]))
}

/// `x in b` for bytes and bytearray.
pub fn buffer_contains(vm: &Vm, container: &Obj, item: &Obj) -> PyResult<bool> {
    let sub =
        if item.downcast::<IntData>().is_some() || has_index(item) { vec![byte_value(vm, item)?] } else { buf_arg(vm, item)?.into_owned() };
    Ok(find_pos(&data(container), &sub).is_some())
}

/// `b[i]` (an int) and `b[i:j:k]` (the receiver's kind).
pub fn buffer_getitem(vm: &Vm, container: &Obj, key: &Obj) -> PyResult<Obj> {
    let d = data(container);
    if let Some(s) = key.downcast::<crate::sequence::SliceData>() {
        let pos = crate::sequence::slice_positions(vm, s, d.len())?;
        return Ok(out(vm, container, pos.into_iter().map(|i| d[i]).collect()));
    }
    let what = if is_bytearray(container) { "bytearray" } else { "byte" };
    let Some(i) = crate::sequence::ssize_index(vm, key)? else {
        return Err(vm.type_error(format!("{what} indices must be integers or slices, not {}", type_name(key))));
    };
    let i = crate::sequence::position(vm, i, d.len(), if is_bytearray(container) { "bytearray" } else { "" }).map_err(|e| {
        if is_bytearray(container) {
            e
        } else {
            vm.new_error(&vm.types.index_error, "index out of range")
        }
    })?;
    Ok(vm.int(d[i] as i64))
}

pub struct BytesIterData {
    /// Dropped once exhausted (so the sequence can be freed then).
    pub seq: std::cell::RefCell<Option<Obj>>,
    pub index: Cell<usize>,
}

impl BytesIterData {
    pub fn new(seq: &Obj) -> BytesIterData {
        BytesIterData { seq: std::cell::RefCell::new(Some(seq.clone())), index: Cell::new(0) }
    }
}

fn bytes_iter<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a BytesIterData> {
    o.downcast::<BytesIterData>().ok_or_else(|| vm.type_error("expected a bytes iterator"))
}

/// `__length_hint__`, `__reduce__` and `__setstate__` of the bytes and
/// bytearray iterators (`(iter, (seq,), index)`, `(iter, ((),))` once
/// exhausted).
pub static BYTES_ITER_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "__length_hint__",
        |vm, this, args, kw| {
            exact::<0>(vm, "__length_hint__", args, kw)?;
            let it = bytes_iter(vm, this)?;
            let n = it.seq.borrow().as_ref().map_or(0, |s| data(s).len().saturating_sub(it.index.get()));
            Ok(vm.int(n as i64))
        },
        "Private method returning an estimate of len(list(it)).",
    ),
    MethodDef::method(
        "__reduce__",
        |vm, this, args, kw| {
            exact::<0>(vm, "__reduce__", args, kw)?;
            let it = bytes_iter(vm, this)?;
            let seq = it.seq.borrow().clone();
            match seq {
                Some(s) => crate::types::iterators::reduce_iter(vm, s, Some(it.index.get() as i64)),
                None => crate::types::iterators::reduce_iter(vm, new_tuple(vm, vec![]), None),
            }
        },
        "Return state information for pickling.",
    ),
    MethodDef::method(
        "__setstate__",
        |vm, this, args, kw| {
            let [state] = exact::<1>(vm, "__setstate__", args, kw)?;
            let i = crate::types::iterators::state_index(vm, &state)?;
            let it = bytes_iter(vm, this)?;
            if let Some(s) = &*it.seq.borrow() {
                it.index.set(i.clamp(0, data(s).len() as i64) as usize);
            }
            Ok(vm.none.clone())
        },
        "Set state information for unpickling.",
    ),
];

pub fn bytes_iterator_slots() -> Slots {
    Slots {
        iter: Some(|_, o| Ok(o.clone())),
        next: Some(|vm, o| {
            let Some(it) = o.downcast::<BytesIterData>() else { return Ok(None) };
            let i = it.index.get();
            let seq = it.seq.borrow().clone();
            let Some(seq) = seq else { return Ok(None) };
            let c = data(&seq).get(i).copied();
            match c {
                Some(c) => {
                    it.index.set(i + 1);
                    Ok(Some(vm.int(c as i64)))
                }
                None => {
                    drop(it.seq.replace(None));
                    Ok(None)
                }
            }
        }),
        traverse: Some(|o, visit| {
            if let Some(it) = o.downcast::<BytesIterData>() {
                if let Ok(s) = it.seq.try_borrow() {
                    if let Some(s) = &*s {
                        visit(s);
                    }
                }
            }
        }),
        ..object_slots()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_and_find() {
        assert_eq!(replace_bytes(b"abc", b"", b"-", usize::MAX), b"-a-b-c-");
        assert_eq!(replace_bytes(b"abc", b"", b"-", 2), b"-a-bc");
        assert_eq!(replace_bytes(b"aaa", b"a", b"bb", 2), b"bbbba");
        assert_eq!(find_in(b"abcabc", b"c", 0, 6, true), 5);
        assert_eq!(find_in(b"abc", b"", 4, 3, false), -1);
        assert_eq!(adjust(Some(-100), Some(-1), 5), (0, 4));
    }

    #[test]
    fn title_case() {
        assert_eq!(title_bytes(b"hello wORLD 3x"), b"Hello World 3X");
        assert!(istitle(b"Hello World"));
        assert!(!istitle(b"HEllo"));
        assert_eq!(hash_bytes(b"abc"), hash_bytes(b"abc"));
    }
}
