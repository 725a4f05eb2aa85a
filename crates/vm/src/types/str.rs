//! `str`: the payload (generalised UTF-8 with a cached code-point count and
//! a sparse code-point index, so `len` and indexing are O(1)), the slots,
//! and every method of CPython 3.11's `str` except `encode` (`%`-formatting
//! and `str.format` live in `str_format.rs`).

use std::borrow::Cow;
use std::cell::{Cell, OnceCell};

use crate::native::{at_most, bind, exact, no_kwargs, MethodDef, Params};
use crate::object::{alloc, Obj};
use crate::types::builtin::*;
use crate::types::Kwargs;
use crate::types::Slots;
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::{BinaryOp, CompareOp};
use taipan_parser::unicode::{self, case_map, ctype, CaseMap};
use taipan_parser::wtf8::Wtf8Buf;

/// Code points between two entries of a non-ASCII string's index.
const STRIDE: usize = 64;

/// A `str`: code points (lone surrogates allowed) and a cached hash.
pub struct StrData {
    pub value: Wtf8Buf,
    hash: Cell<Option<i64>>,
    /// Number of code points.
    len: usize,
    /// Non-ASCII strings: the byte offset of every `STRIDE`th code point,
    /// built the first time the string is indexed.
    index: OnceCell<Box<[usize]>>,
}

/// Byte length of the code point starting with byte `b`.
fn width(b: u8) -> usize {
    match b {
        0..=0x7F => 1,
        0x80..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// Decodes the code point at byte `pos` (a code-point boundary).
fn decode_at(b: &[u8], pos: usize) -> u32 {
    let first = b[pos] as u32;
    let cont = |k: usize| b.get(pos + k).map_or(0, |&c| c as u32 & 0x3F);
    match width(b[pos]) {
        1 => first,
        2 => ((first & 0x1F) << 6) | cont(1),
        3 => ((first & 0x0F) << 12) | (cont(1) << 6) | cont(2),
        _ => ((first & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3),
    }
}

impl StrData {
    pub fn new(value: Wtf8Buf) -> StrData {
        let len = value.as_bytes().iter().filter(|&&b| b & 0xC0 != 0x80).count();
        StrData { value, hash: Cell::new(None), len, index: OnceCell::new() }
    }

    pub fn as_str(&self) -> Cow<'_, str> {
        match self.value.as_str() {
            Some(s) => Cow::Borrowed(s),
            None => Cow::Owned(String::from_utf8_lossy(self.value.as_bytes()).into_owned()),
        }
    }

    /// The number of code points (`len(s)`), O(1).
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn is_ascii(&self) -> bool {
        self.len == self.value.as_bytes().len()
    }

    pub fn bytes(&self) -> &[u8] {
        self.value.as_bytes()
    }

    fn index(&self) -> &[usize] {
        self.index.get_or_init(|| {
            let mut v = Vec::with_capacity(self.len / STRIDE + 1);
            let mut n = 0;
            for (i, &b) in self.bytes().iter().enumerate() {
                if b & 0xC0 != 0x80 {
                    if n % STRIDE == 0 {
                        v.push(i);
                    }
                    n += 1;
                }
            }
            v.into_boxed_slice()
        })
    }

    /// The byte offset of code point `i` (`i <= len`).
    pub fn offset(&self, i: usize) -> usize {
        if self.is_ascii() {
            return i;
        }
        if i >= self.len {
            return self.bytes().len();
        }
        let b = self.bytes();
        let mut pos = self.index()[i / STRIDE];
        for _ in 0..i % STRIDE {
            pos += width(b[pos]);
        }
        pos
    }

    /// The code-point index of byte offset `byte` (a code-point boundary).
    pub fn char_index(&self, byte: usize) -> usize {
        if self.is_ascii() || byte == 0 {
            return byte;
        }
        let idx = self.index();
        let chunk = idx.partition_point(|&o| o <= byte).saturating_sub(1);
        let from = idx.get(chunk).copied().unwrap_or(0);
        chunk * STRIDE + self.bytes()[from..byte].iter().filter(|&&b| b & 0xC0 != 0x80).count()
    }

    /// The code point at index `i` (`i < len`).
    pub fn code_point(&self, i: usize) -> u32 {
        decode_at(self.bytes(), self.offset(i))
    }

    /// The code points, each with its byte offset.
    fn positions(&self) -> impl Iterator<Item = (usize, u32)> + '_ {
        let b = self.bytes();
        let mut pos = 0;
        std::iter::from_fn(move || {
            if pos >= b.len() {
                return None;
            }
            let at = pos;
            pos += width(b[at]);
            Some((at, decode_at(b, at)))
        })
    }

    fn cps(&self) -> Vec<u32> {
        self.value.code_points().collect()
    }
}

pub fn new_str(vm: &Vm, s: &str) -> Obj {
    new_str_wtf8(vm, Wtf8Buf::from_str(s))
}

pub fn new_str_wtf8(vm: &Vm, value: Wtf8Buf) -> Obj {
    alloc(vm.types.str_.clone(), StrData::new(value))
}

/// A str of one code point.
pub fn new_str_cp(vm: &Vm, cp: u32) -> Obj {
    let mut w = Wtf8Buf::with_capacity(4);
    w.push_code_point(cp);
    new_str_wtf8(vm, w)
}

fn from_bytes(vm: &Vm, b: &[u8]) -> Obj {
    let mut w = Wtf8Buf::with_capacity(b.len());
    w.push_wtf8_bytes(b);
    new_str_wtf8(vm, w)
}

/// `s` itself when it is an exact `str`, else an exact copy (CPython
/// returns the object unchanged only for exact strs).
fn same(vm: &Vm, o: &Obj) -> Obj {
    if std::ptr::eq(o.type_ptr(), vm.types.str_.as_ptr()) {
        o.clone()
    } else {
        from_bytes(vm, str_data(o).bytes())
    }
}

static STR_NEW_PARAMS: Params = Params { fname: "str", names: &["object", "encoding", "errors"], posonly: 0, kwonly: 0, required: 0 };

pub fn str_slots() -> Slots {
    Slots {
        new: Some(|vm, cls, args, kw| {
            let [object, encoding, errors] = bind::<3>(vm, &STR_NEW_PARAMS, args, kw)?;
            let s = match object {
                Some(x) if encoding.is_some() || errors.is_some() => crate::codecs::str_from_encoded(vm, &x, encoding, errors)?,
                None if encoding.is_some() || errors.is_some() => {
                    crate::codecs::str_from_encoded(vm, &crate::types::bytes::new_bytes(vm, Vec::new()), encoding, errors)?
                }
                None => new_str(vm, ""),
                Some(x) => crate::ops::str(vm, &x)?,
            };
            if cls.is(&vm.types.str_) {
                return Ok(s);
            }
            Ok(alloc(cls.clone(), StrData::new(str_data(&s).value.clone())))
        }),
        repr: Some(|vm, o| Ok(new_str(vm, &taipan_parser::repr::repr_str(&str_data(o).value)))),
        str: Some(|vm, o| Ok(same(vm, o))),
        hash: Some(|_, o| Ok(str_hash(str_data(o)))),
        bool: Some(|_, o| Ok(!str_data(o).is_empty())),
        iter: Some(|vm, o| {
            // One-character strs, over a snapshot (strs are immutable).
            let chars = str_data(o).value.code_points().map(|c| new_str_cp(vm, c)).collect();
            let snapshot = new_list(vm, chars);
            Ok(alloc(vm.types.list_iterator.clone(), ListIterData { list: snapshot, index: Cell::new(0) }))
        }),
        binary: Some(str_binary),
        compare: Some(str_compare),
        ..object_slots()
    }
}

pub fn str_data(o: &Obj) -> &StrData {
    match o.downcast::<StrData>() {
        Some(s) => s,
        None => unreachable!("str slot called on a non-str"),
    }
}

/// CPython's str hash (SipHash-1-3 over the canonical Latin-1/UCS-2/UCS-4
/// form, keyed by `PYTHONHASHSEED`; see `crate::hash`), cached.
pub fn str_hash(s: &StrData) -> i64 {
    if let Some(h) = s.hash.get() {
        return h;
    }
    let h = crate::hash::hash_str_wtf8(s.value.as_bytes());
    s.hash.set(Some(h));
    h
}

/// `s * n` (`n` already checked to be an int).
fn repeat(vm: &Vm, s: &StrData, n: usize) -> PyResult<Obj> {
    let total = s.bytes().len().checked_mul(n).filter(|&t| t <= isize::MAX as usize / 2);
    let Some(total) = total else { return Err(vm.new_error(&vm.types.overflow_error, "repeated string is too long")) };
    let mut w = Wtf8Buf::with_capacity(total);
    for _ in 0..n {
        w.push_wtf8(&s.value);
    }
    Ok(new_str_wtf8(vm, w))
}

fn str_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    match (op, a.downcast::<StrData>(), b.downcast::<StrData>()) {
        (BinaryOp::Add, Some(x), Some(y)) => {
            let mut v = Wtf8Buf::with_capacity(x.bytes().len() + y.bytes().len());
            v.push_wtf8(&x.value);
            v.push_wtf8(&y.value);
            Ok(new_str_wtf8(vm, v))
        }
        (BinaryOp::Add, Some(_), None) => Err(vm.type_error(format!("can only concatenate str (not \"{}\") to str", type_name(b)))),
        (BinaryOp::Multiply, Some(x), None) | (BinaryOp::Multiply, None, Some(x)) => {
            let (this, other) = if a.downcast::<StrData>().is_some() { (a, b) } else { (b, a) };
            match crate::types::container::repeat_count(vm, other) {
                // An exact str times one is itself (CPython returns it).
                Some(Ok(1)) if std::ptr::eq(this.type_ptr(), vm.types.str_.as_ptr()) => Ok(this.clone()),
                Some(n) => repeat(vm, x, n?),
                None if other.downcast::<f64>().is_some() || other.downcast::<StrData>().is_some() => {
                    Err(vm.type_error(format!("can't multiply sequence by non-int of type '{}'", type_name(other))))
                }
                None => Ok(vm.not_implemented.clone()),
            }
        }
        (BinaryOp::Remainder, Some(_), _) => crate::types::str_format::percent_format(vm, a, b),
        _ => Ok(vm.not_implemented.clone()),
    }
}

fn str_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    match (a.downcast::<StrData>(), b.downcast::<StrData>()) {
        // Generalised UTF-8 orders like its code points; equality is
        // byte equality.
        (Some(x), Some(y)) => Ok(compare_result(vm, op, x.value.as_bytes(), y.value.as_bytes())),
        _ => Ok(vm.not_implemented.clone()),
    }
}

// ----- searching ------------------------------------------------------

/// The first occurrence of `n` in `h` (byte offsets; both generalised
/// UTF-8, so a match always starts on a code-point boundary).
pub fn find_bytes(h: &[u8], n: &[u8]) -> Option<usize> {
    if n.is_empty() {
        return Some(0);
    }
    if n.len() > h.len() {
        return None;
    }
    let last = h.len() - n.len();
    let mut i = 0;
    while i <= last {
        i += h[i..=last].iter().position(|&b| b == n[0])?;
        if &h[i..i + n.len()] == n {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The last occurrence of `n` in `h`.
pub fn rfind_bytes(h: &[u8], n: &[u8]) -> Option<usize> {
    if n.len() > h.len() {
        return None;
    }
    if n.is_empty() {
        return Some(h.len());
    }
    let mut end = h.len() - n.len() + 1;
    while end > 0 {
        let i = h[..end].iter().rposition(|&b| b == n[0])?;
        if &h[i..i + n.len()] == n {
            return Some(i);
        }
        end = i;
    }
    None
}

/// Non-overlapping occurrences of a non-empty `n` in `h`.
fn count_bytes(h: &[u8], n: &[u8], max: usize) -> usize {
    let mut count = 0;
    let mut pos = 0;
    while count < max {
        match find_bytes(&h[pos..], n) {
            Some(i) => {
                count += 1;
                pos += i + n.len();
            }
            None => break,
        }
    }
    count
}

/// `_PyEval_SliceIndex`: `None` or an integer (big ones clamped).
fn slice_index(vm: &Vm, o: &Obj) -> PyResult<Option<i64>> {
    if o.is(&vm.none) {
        return Ok(None);
    }
    match o.downcast::<IntData>() {
        Some(IntData::Small(v)) => Ok(Some(*v)),
        Some(IntData::Big(b)) => Ok(Some(if num_traits::Signed::is_negative(b) { i64::MIN } else { i64::MAX })),
        None => match crate::types::lookup(&crate::types::type_of(o), "__index__") {
            Some(f) => {
                let r = crate::classes::call_object(vm, &f, std::slice::from_ref(o))?;
                slice_index(vm, &r)
            }
            None => Err(vm.type_error("slice indices must be integers or None or have an __index__ method")),
        },
    }
}

/// CPython's `ADJUST_INDICES`: `end` clamped to `[0, len]`, `start` made
/// non-negative (it may exceed `len`).
fn adjust(start: Option<i64>, end: Option<i64>, len: usize) -> (usize, usize) {
    let len = len as i64;
    let mut end = end.unwrap_or(len);
    if end > len {
        end = len;
    } else if end < 0 {
        end = (end + len).max(0);
    }
    let mut start = start.unwrap_or(0);
    if start < 0 {
        start = (start + len).max(0);
    }
    (start as usize, end as usize)
}

/// The common `(sub[, start[, end]])` arguments of `find`, `count`,
/// `startswith`, ... (`PyArg_ParseTuple` messages).
fn sub_start_end(vm: &Vm, name: &str, args: &[Obj], kw: Kwargs) -> PyResult<(Obj, Option<i64>, Option<i64>)> {
    if !kw.is_empty() {
        return Err(vm.type_error(format!("str.{name}() takes no keyword arguments")));
    }
    if args.is_empty() {
        return Err(vm.type_error(format!("{name}() takes at least 1 argument (0 given)")));
    }
    if args.len() > 3 {
        return Err(vm.type_error(format!("{name}() takes at most 3 arguments ({} given)", args.len())));
    }
    let start = match args.get(1) {
        Some(o) => slice_index(vm, o)?,
        None => None,
    };
    let end = match args.get(2) {
        Some(o) => slice_index(vm, o)?,
        None => None,
    };
    Ok((args[0].clone(), start, end))
}

fn need_str<'a>(vm: &Vm, o: &'a Obj, msg: impl FnOnce() -> String) -> PyResult<&'a StrData> {
    o.downcast::<StrData>().ok_or_else(|| vm.type_error(msg()))
}

/// `find`/`rfind`/`index`/`rindex`/`count` share this search.
fn search(s: &StrData, sub: &StrData, start: Option<i64>, end: Option<i64>, reverse: bool) -> Option<usize> {
    let (start, end) = adjust(start, end, s.len());
    if end < start || end - start < sub.len() {
        return None;
    }
    let (b0, b1) = (s.offset(start), s.offset(end));
    let hay = &s.bytes()[b0..b1];
    let pos = if reverse { rfind_bytes(hay, sub.bytes()) } else { find_bytes(hay, sub.bytes()) }?;
    Some(s.char_index(b0 + pos))
}

fn find_like(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, name: &str, reverse: bool, raise: bool) -> PyResult<Obj> {
    let (sub, start, end) = sub_start_end(vm, name, args, kw)?;
    let sub = need_str(vm, &sub, || format!("must be str, not {}", type_name(&sub)))?;
    match search(str_data(this), sub, start, end, reverse) {
        Some(i) => Ok(vm.int(i as i64)),
        None if raise => Err(vm.new_error(&vm.types.value_error, "substring not found")),
        None => Ok(vm.int(-1)),
    }
}

fn str_count(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (sub, start, end) = sub_start_end(vm, "count", args, kw)?;
    let sub = need_str(vm, &sub, || format!("must be str, not {}", type_name(&sub)))?;
    let s = str_data(this);
    let (start, end) = adjust(start, end, s.len());
    if end < start || end - start < sub.len() {
        return Ok(vm.int(0));
    }
    if sub.is_empty() {
        return Ok(vm.int((end - start + 1) as i64));
    }
    let hay = &s.bytes()[s.offset(start)..s.offset(end)];
    Ok(vm.int(count_bytes(hay, sub.bytes(), usize::MAX) as i64))
}

fn tailmatch(s: &StrData, sub: &StrData, start: Option<i64>, end: Option<i64>, at_end: bool) -> bool {
    let (start, end) = adjust(start, end, s.len());
    if end < start || end - start < sub.len() {
        return false;
    }
    if sub.is_empty() {
        return true;
    }
    let at = if at_end { s.offset(end - sub.len()) } else { s.offset(start) };
    s.bytes()[at..].starts_with(sub.bytes())
}

fn starts_ends(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, name: &str, at_end: bool) -> PyResult<Obj> {
    let (prefix, start, end) = sub_start_end(vm, name, args, kw)?;
    let s = str_data(this);
    if let Some(t) = prefix.downcast::<TupleData>() {
        for p in t.items.iter() {
            let p = need_str(vm, p, || format!("tuple for {name} must only contain str, not {}", type_name(p)))?;
            if tailmatch(s, p, start, end, at_end) {
                return Ok(vm.true_.clone());
            }
        }
        return Ok(vm.false_.clone());
    }
    let p = need_str(vm, &prefix, || format!("{name} first arg must be str or a tuple of str, not {}", type_name(&prefix)))?;
    Ok(vm.bool(tailmatch(s, p, start, end, at_end)))
}

// ----- splitting and stripping ---------------------------------------

/// `Py_UNICODE_ISSPACE`.
pub fn is_space(cp: u32) -> bool {
    if cp < 0x80 {
        matches!(cp, 0x09..=0x0D | 0x1C..=0x20)
    } else {
        unicode::has_ctype(cp, ctype::SPACE)
    }
}

fn is_linebreak(cp: u32) -> bool {
    matches!(cp, 0x0A | 0x0B | 0x0C | 0x0D | 0x1C | 0x1D | 0x1E | 0x85 | 0x2028 | 0x2029)
}

static SPLIT_PARAMS: Params = Params { fname: "split", names: &["sep", "maxsplit"], posonly: 0, kwonly: 0, required: 0 };
static RSPLIT_PARAMS: Params = Params { fname: "rsplit", names: &["sep", "maxsplit"], posonly: 0, kwonly: 0, required: 0 };

fn split_impl(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, reverse: bool) -> PyResult<Obj> {
    let [sep, maxsplit] = bind::<2>(vm, if reverse { &RSPLIT_PARAMS } else { &SPLIT_PARAMS }, args, kw)?;
    let max = match maxsplit {
        Some(m) => expect_int(vm, &m, "")?,
        None => -1,
    };
    let max = if max < 0 { usize::MAX } else { max as usize };
    let s = str_data(this);
    let b = s.bytes();
    let mut parts: Vec<(usize, usize)> = Vec::new();
    match sep.filter(|x| !x.is(&vm.none)) {
        None => {
            let pos: Vec<(usize, u32)> = s.positions().collect();
            let at = |i: usize| if i < pos.len() { pos[i].0 } else { b.len() };
            let n = pos.len();
            if !reverse {
                let mut i = 0;
                let mut left = max;
                while left > 0 {
                    while i < n && is_space(pos[i].1) {
                        i += 1;
                    }
                    if i == n {
                        break;
                    }
                    let j = i;
                    while i < n && !is_space(pos[i].1) {
                        i += 1;
                    }
                    parts.push((at(j), at(i)));
                    left -= 1;
                }
                while i < n && is_space(pos[i].1) {
                    i += 1;
                }
                if i < n {
                    parts.push((at(i), b.len()));
                }
            } else {
                let mut i = n;
                let mut left = max;
                while left > 0 {
                    while i > 0 && is_space(pos[i - 1].1) {
                        i -= 1;
                    }
                    if i == 0 {
                        break;
                    }
                    let j = i;
                    while i > 0 && !is_space(pos[i - 1].1) {
                        i -= 1;
                    }
                    parts.push((at(i), at(j)));
                    left -= 1;
                }
                while i > 0 && is_space(pos[i - 1].1) {
                    i -= 1;
                }
                if i > 0 {
                    parts.push((0, at(i)));
                }
                parts.reverse();
            }
        }
        Some(sep) => {
            let sep = need_str(vm, &sep, || format!("must be str or None, not {}", type_name(&sep)))?;
            if sep.is_empty() {
                return Err(vm.new_error(&vm.types.value_error, "empty separator"));
            }
            let n = sep.bytes();
            if !reverse {
                let mut pos = 0;
                let mut left = max;
                while left > 0 {
                    let Some(i) = find_bytes(&b[pos..], n) else { break };
                    parts.push((pos, pos + i));
                    pos += i + n.len();
                    left -= 1;
                }
                parts.push((pos, b.len()));
            } else {
                let mut end = b.len();
                let mut left = max;
                while left > 0 {
                    let Some(i) = rfind_bytes(&b[..end], n) else { break };
                    parts.push((i + n.len(), end));
                    end = i;
                    left -= 1;
                }
                parts.push((0, end));
                parts.reverse();
            }
        }
    }
    Ok(new_list(vm, parts.into_iter().map(|(x, y)| from_bytes(vm, &b[x..y])).collect()))
}

static SPLITLINES_PARAMS: Params = Params { fname: "splitlines", names: &["keepends"], posonly: 0, kwonly: 0, required: 0 };

fn str_splitlines(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [keepends] = bind::<1>(vm, &SPLITLINES_PARAMS, args, kw)?;
    let keep = match keepends {
        Some(k) => expect_int(vm, &k, "")? != 0,
        None => false,
    };
    let s = str_data(this);
    let b = s.bytes();
    let pos: Vec<(usize, u32)> = s.positions().collect();
    let at = |i: usize| if i < pos.len() { pos[i].0 } else { b.len() };
    let mut out = Vec::new();
    let mut i = 0;
    while i < pos.len() {
        let j = i;
        while i < pos.len() && !is_linebreak(pos[i].1) {
            i += 1;
        }
        let mut eol = i;
        if i < pos.len() {
            if pos[i].1 == 0x0D && i + 1 < pos.len() && pos[i + 1].1 == 0x0A {
                i += 2;
            } else {
                i += 1;
            }
            if keep {
                eol = i;
            }
        }
        out.push(from_bytes(vm, &b[at(j)..at(eol)]));
    }
    Ok(new_list(vm, out))
}

fn partition_impl(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, reverse: bool) -> PyResult<Obj> {
    let [sep] = exact::<1>(vm, if reverse { "str.rpartition" } else { "str.partition" }, args, kw)?;
    let sepd = need_str(vm, &sep, || format!("must be str, not {}", type_name(&sep)))?;
    if sepd.is_empty() {
        return Err(vm.new_error(&vm.types.value_error, "empty separator"));
    }
    let b = str_data(this).bytes();
    let empty = || new_str(vm, "");
    let found = if reverse { rfind_bytes(b, sepd.bytes()) } else { find_bytes(b, sepd.bytes()) };
    let items = match found {
        Some(i) => vec![from_bytes(vm, &b[..i]), sep.clone(), from_bytes(vm, &b[i + sepd.bytes().len()..])],
        None if reverse => vec![empty(), empty(), same(vm, this)],
        None => vec![same(vm, this), empty(), empty()],
    };
    Ok(new_tuple(vm, items))
}

/// `strip`/`lstrip`/`rstrip`: `which` 0 = both, 1 = left, 2 = right.
fn strip_impl(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, name: &str, qual: &str, which: u8) -> PyResult<Obj> {
    no_kwargs(vm, qual, kw)?;
    let [chars] = at_most::<1>(vm, name, 0, args, &[])?;
    let set: Option<Vec<u32>> = match chars.filter(|c| !c.is(&vm.none)) {
        None => None,
        Some(c) => match c.downcast::<StrData>() {
            Some(c) => Some(c.cps()),
            None => return Err(vm.type_error(format!("{name} arg must be None or str"))),
        },
    };
    let strip = |cp: u32| match &set {
        None => is_space(cp),
        Some(v) => v.contains(&cp),
    };
    let s = str_data(this);
    let b = s.bytes();
    let pos: Vec<(usize, u32)> = s.positions().collect();
    let mut i = 0;
    let mut j = pos.len();
    if which != 2 {
        while i < j && strip(pos[i].1) {
            i += 1;
        }
    }
    if which != 1 {
        while j > i && strip(pos[j - 1].1) {
            j -= 1;
        }
    }
    if i == 0 && j == pos.len() {
        return Ok(same(vm, this));
    }
    let at = |k: usize| if k < pos.len() { pos[k].0 } else { b.len() };
    Ok(from_bytes(vm, &b[at(i)..at(j)]))
}

// ----- padding ----------------------------------------------------------

fn fill_char(vm: &Vm, o: Option<Obj>) -> PyResult<u32> {
    let Some(o) = o else { return Ok(' ' as u32) };
    let Some(s) = o.downcast::<StrData>() else {
        return Err(vm.type_error(format!("The fill character must be a unicode character, not {}", type_name(&o))));
    };
    if s.len() != 1 {
        return Err(vm.type_error("The fill character must be exactly one character long"));
    }
    Ok(s.code_point(0))
}

/// `center`/`ljust`/`rjust`: `align` is '^', '<' or '>'.
fn pad_impl(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, name: &str, qual: &str, align: char) -> PyResult<Obj> {
    no_kwargs(vm, qual, kw)?;
    let [width, fill] = at_most::<2>(vm, name, 1, args, &[])?;
    let width = expect_int(vm, width.as_ref().unwrap_or(&vm.none), "")?;
    let fill = fill_char(vm, fill)?;
    let s = str_data(this);
    if width <= s.len() as i64 {
        return Ok(same(vm, this));
    }
    let marg = width as usize - s.len();
    let (left, right) = match align {
        '<' => (0, marg),
        '>' => (marg, 0),
        _ => {
            let left = marg / 2 + (marg & width as usize & 1);
            (left, marg - left)
        }
    };
    let mut w = Wtf8Buf::with_capacity(s.bytes().len() + marg);
    for _ in 0..left {
        w.push_code_point(fill);
    }
    w.push_wtf8(&s.value);
    for _ in 0..right {
        w.push_code_point(fill);
    }
    Ok(new_str_wtf8(vm, w))
}

fn str_zfill(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [width] = exact::<1>(vm, "str.zfill", args, kw)?;
    let width = expect_int(vm, &width, "")?;
    let s = str_data(this);
    if width <= s.len() as i64 {
        return Ok(same(vm, this));
    }
    let fill = width as usize - s.len();
    let b = s.bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len() + fill);
    let signed = matches!(b.first(), Some(b'+' | b'-'));
    if signed {
        out.push(b[0]);
    }
    out.extend(std::iter::repeat_n(b'0', fill));
    out.extend_from_slice(if signed { &b[1..] } else { b });
    Ok(from_bytes(vm, &out))
}

static EXPANDTABS_PARAMS: Params = Params { fname: "expandtabs", names: &["tabsize"], posonly: 0, kwonly: 0, required: 0 };

fn str_expandtabs(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [tabsize] = bind::<1>(vm, &EXPANDTABS_PARAMS, args, kw)?;
    let tab = match tabsize {
        Some(t) => expect_int(vm, &t, "")?,
        None => 8,
    };
    let mut w = Wtf8Buf::new();
    let mut col: i64 = 0;
    for cp in str_data(this).value.code_points() {
        if cp == '\t' as u32 {
            if tab > 0 {
                let n = tab - col % tab;
                col += n;
                for _ in 0..n {
                    w.push_code_point(' ' as u32);
                }
            }
        } else {
            col += 1;
            w.push_code_point(cp);
            if cp == '\n' as u32 || cp == '\r' as u32 {
                col = 0;
            }
        }
    }
    Ok(new_str_wtf8(vm, w))
}

// ----- replacing and joining --------------------------------------------

fn str_replace(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "str.replace", kw)?;
    let [old, new, count] = at_most::<3>(vm, "replace", 2, args, &[])?;
    let (Some(old), Some(new)) = (old, new) else { return Err(vm.type_error("replace expected at least 2 arguments")) };
    let old = need_str(vm, &old, || format!("replace() argument 1 must be str, not {}", type_name(&old)))?;
    let new = need_str(vm, &new, || format!("replace() argument 2 must be str, not {}", type_name(&new)))?;
    let count = match count {
        Some(c) => expect_int(vm, &c, "")?,
        None => -1,
    };
    let max = if count < 0 { usize::MAX } else { count as usize };
    let s = str_data(this);
    let b = s.bytes();
    let mut w = Wtf8Buf::with_capacity(b.len());
    if old.is_empty() {
        let mut left = max;
        for (pos, _) in s.positions() {
            if left == 0 {
                w.push_wtf8_bytes(&b[pos..]);
                return Ok(new_str_wtf8(vm, w));
            }
            w.push_wtf8(&new.value);
            left -= 1;
            w.push_wtf8_bytes(&b[pos..pos + width(b[pos])]);
        }
        if left > 0 {
            w.push_wtf8(&new.value);
        }
        return Ok(new_str_wtf8(vm, w));
    }
    let mut pos = 0;
    let mut left = max;
    while left > 0 {
        let Some(i) = find_bytes(&b[pos..], old.bytes()) else { break };
        w.push_wtf8_bytes(&b[pos..pos + i]);
        w.push_wtf8(&new.value);
        pos += i + old.bytes().len();
        left -= 1;
    }
    if pos == 0 {
        return Ok(same(vm, this));
    }
    w.push_wtf8_bytes(&b[pos..]);
    Ok(new_str_wtf8(vm, w))
}

fn str_join(vm: &Vm, s: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [iterable] = exact(vm, "str.join", args, kw)?;
    if !crate::ops::is_iterable_type(&iterable) {
        return Err(vm.type_error("can only join an iterable"));
    }
    let items = crate::sequence::to_vec(vm, &iterable)?;
    // A single exact str is returned as it is.
    if let [only] = items.as_slice() {
        if std::ptr::eq(only.type_ptr(), vm.types.str_.as_ptr()) {
            return Ok(only.clone());
        }
    }
    let sep = str_data(s);
    let mut out = Wtf8Buf::new();
    for (n, x) in items.iter().enumerate() {
        match x.downcast::<StrData>() {
            Some(p) => {
                if n > 0 {
                    out.push_wtf8(&sep.value);
                }
                out.push_wtf8(&p.value);
            }
            None => {
                let msg = format!("sequence item {n}: expected str instance, {} found", type_name(x));
                return Err(vm.type_error(msg));
            }
        }
    }
    Ok(new_str_wtf8(vm, out))
}

fn affix_impl(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, name: &str, suffix: bool) -> PyResult<Obj> {
    let qual = if suffix { "str.removesuffix" } else { "str.removeprefix" };
    let [a] = exact::<1>(vm, qual, args, kw)?;
    let a = need_str(vm, &a, || format!("{name}() argument must be str, not {}", type_name(&a)))?;
    let b = str_data(this).bytes();
    let n = a.bytes();
    if !n.is_empty() {
        if !suffix && b.starts_with(n) {
            return Ok(from_bytes(vm, &b[n.len()..]));
        }
        if suffix && b.ends_with(n) {
            return Ok(from_bytes(vm, &b[..b.len() - n.len()]));
        }
    }
    Ok(same(vm, this))
}

fn str_translate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [table] = exact::<1>(vm, "str.translate", args, kw)?;
    let mut w = Wtf8Buf::new();
    for cp in str_data(this).value.code_points() {
        let key = vm.int(cp as i64);
        let r = match crate::sequence::getitem(vm, &table, &key) {
            Ok(r) => r,
            Err(e) => {
                let t = crate::types::type_of(&e.exc);
                if crate::types::is_subtype(&t, &vm.types.key_error) || crate::types::is_subtype(&t, &vm.types.index_error) {
                    w.push_code_point(cp);
                    continue;
                }
                return Err(e);
            }
        };
        if r.is(&vm.none) {
            continue;
        }
        if let Some(i) = r.downcast::<IntData>() {
            match i {
                IntData::Small(v) if (0..0x110000).contains(v) => w.push_code_point(*v as u32),
                _ => return Err(vm.new_error(&vm.types.value_error, "character mapping must be in range(0x110000)")),
            }
        } else if let Some(s) = r.downcast::<StrData>() {
            w.push_wtf8(&s.value);
        } else {
            return Err(vm.type_error("character mapping must return integer, None or str"));
        }
    }
    Ok(new_str_wtf8(vm, w))
}

fn str_maketrans(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x, y, z] = at_most::<3>(vm, "maketrans", 1, args, kw)?;
    let x = x.unwrap_or_else(|| vm.none.clone());
    let d = new_dict(vm);
    match y {
        None => {
            if x.downcast::<DictData>().is_none() {
                return Err(vm.type_error("if you give only one argument to maketrans it must be a dict"));
            }
            for (k, v) in dict_items(&x) {
                let key = if let Some(s) = k.downcast::<StrData>() {
                    if s.len() != 1 {
                        return Err(vm.new_error(&vm.types.value_error, "string keys in translate table must be of length 1"));
                    }
                    vm.int(s.code_point(0) as i64)
                } else if k.downcast::<IntData>().is_some() {
                    k.clone()
                } else {
                    return Err(vm.type_error("keys in translate table must be strings or integers"));
                };
                dict_set(vm, &d, key, v)?;
            }
        }
        Some(y) => {
            let ys = need_str(vm, &y, || format!("maketrans() argument 2 must be str, not {}", type_name(&y)))?;
            if let Some(z) = &z {
                need_str(vm, z, || format!("maketrans() argument 3 must be str, not {}", type_name(z)))?;
            }
            let xs = need_str(vm, &x, || "first maketrans argument must be a string if there is a second argument".to_string())?;
            if xs.len() != ys.len() {
                return Err(vm.new_error(&vm.types.value_error, "the first two maketrans arguments must have equal length"));
            }
            for (a, b) in xs.value.code_points().zip(ys.value.code_points()) {
                dict_set(vm, &d, vm.int(a as i64), vm.int(b as i64))?;
            }
            if let Some(z) = z {
                let zs = need_str(vm, &z, || format!("maketrans() argument 3 must be str, not {}", type_name(&z)))?;
                for c in zs.value.code_points() {
                    dict_set(vm, &d, vm.int(c as i64), vm.none.clone())?;
                }
            }
        }
    }
    Ok(d)
}

// ----- case mapping and classification --------------------------------

fn flags(cp: u32) -> u16 {
    unicode::ctype_flags(cp)
}

fn is_cased(cp: u32) -> bool {
    flags(cp) & ctype::CASED != 0
}

fn is_case_ignorable(cp: u32) -> bool {
    flags(cp) & ctype::CASE_IGNORABLE != 0
}

/// The final-sigma rule: capital sigma at `i` lowers to 'ς' when a cased
/// letter precedes it and none follows (case-ignorables skipped).
fn final_sigma(cps: &[u32], i: usize) -> bool {
    let before = cps[..i].iter().rev().find(|&&c| !is_case_ignorable(c));
    if !before.is_some_and(|&c| is_cased(c)) {
        return false;
    }
    let after = cps[i + 1..].iter().find(|&&c| !is_case_ignorable(c));
    !after.is_some_and(|&c| is_cased(c))
}

fn push_mapped(w: &mut Wtf8Buf, cp: u32, which: CaseMap) {
    match case_map(cp, which) {
        Some(m) => w.push_str(m),
        None => w.push_code_point(cp),
    }
}

/// `lower_ucs4`: lower-case one code point in its context.
fn push_lower(w: &mut Wtf8Buf, cps: &[u32], i: usize) {
    if cps[i] == 0x3A3 {
        w.push_code_point(if final_sigma(cps, i) { 0x3C2 } else { 0x3C3 });
    } else {
        push_mapped(w, cps[i], CaseMap::Lower);
    }
}

#[derive(Clone, Copy)]
enum Case {
    Lower,
    Upper,
    Fold,
    Swap,
    Title,
    Capitalize,
}

fn case_convert(s: &StrData, how: Case) -> Wtf8Buf {
    if s.is_ascii() {
        let b = s.bytes();
        let mut out = b.to_vec();
        match how {
            Case::Lower | Case::Fold => out.make_ascii_lowercase(),
            Case::Upper => out.make_ascii_uppercase(),
            Case::Swap => out.iter_mut().for_each(|c| {
                if c.is_ascii_alphabetic() {
                    *c ^= 0x20
                }
            }),
            Case::Title => {
                let mut prev_cased = false;
                for c in out.iter_mut() {
                    if prev_cased {
                        c.make_ascii_lowercase();
                    } else {
                        c.make_ascii_uppercase();
                    }
                    prev_cased = c.is_ascii_alphabetic();
                }
            }
            Case::Capitalize => {
                out.make_ascii_lowercase();
                if let Some(c) = out.first_mut() {
                    c.make_ascii_uppercase();
                }
            }
        }
        let mut w = Wtf8Buf::with_capacity(out.len());
        w.push_wtf8_bytes(&out);
        return w;
    }
    let cps = s.cps();
    let mut w = Wtf8Buf::with_capacity(s.bytes().len());
    let mut prev_cased = false;
    for (i, &cp) in cps.iter().enumerate() {
        match how {
            Case::Lower => push_lower(&mut w, &cps, i),
            Case::Upper => push_mapped(&mut w, cp, CaseMap::Upper),
            Case::Fold => push_mapped(&mut w, cp, CaseMap::Fold),
            Case::Swap => {
                let f = flags(cp);
                if f & ctype::UPPER != 0 {
                    push_lower(&mut w, &cps, i);
                } else if f & ctype::LOWER != 0 {
                    push_mapped(&mut w, cp, CaseMap::Upper);
                } else {
                    w.push_code_point(cp);
                }
            }
            Case::Title => {
                if prev_cased {
                    push_lower(&mut w, &cps, i);
                } else {
                    push_mapped(&mut w, cp, CaseMap::Title);
                }
                prev_cased = is_cased(cp);
            }
            Case::Capitalize => {
                if i == 0 {
                    push_mapped(&mut w, cp, CaseMap::Title);
                } else {
                    push_lower(&mut w, &cps, i);
                }
            }
        }
    }
    w
}

fn case_method(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, qual: &str, how: Case) -> PyResult<Obj> {
    let [] = exact::<0>(vm, qual, args, kw)?;
    Ok(new_str_wtf8(vm, case_convert(str_data(this), how)))
}

/// `isalpha`, `isdecimal`, ...: non-empty and every code point has one of
/// the `mask` flags.
fn all_flags(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, qual: &str, mask: u16) -> PyResult<Obj> {
    let [] = exact::<0>(vm, qual, args, kw)?;
    let s = str_data(this);
    Ok(vm.bool(!s.is_empty() && s.value.code_points().all(|c| flags(c) & mask != 0)))
}

fn str_isspace(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "str.isspace", args, kw)?;
    let s = str_data(this);
    Ok(vm.bool(!s.is_empty() && s.value.code_points().all(is_space)))
}

/// `islower`/`isupper`: no code point of the opposite case or titlecase,
/// and at least one cased one.
fn case_test(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, qual: &str, want: u16, reject: u16) -> PyResult<Obj> {
    let [] = exact::<0>(vm, qual, args, kw)?;
    let mut cased = false;
    for c in str_data(this).value.code_points() {
        let f = flags(c);
        if f & reject != 0 {
            return Ok(vm.false_.clone());
        }
        cased |= f & want != 0;
    }
    Ok(vm.bool(cased))
}

fn str_istitle(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "str.istitle", args, kw)?;
    let mut cased = false;
    let mut prev_cased = false;
    for c in str_data(this).value.code_points() {
        let f = flags(c);
        if f & (ctype::UPPER | ctype::TITLE) != 0 {
            if prev_cased {
                return Ok(vm.false_.clone());
            }
            prev_cased = true;
            cased = true;
        } else if f & ctype::LOWER != 0 {
            if !prev_cased {
                return Ok(vm.false_.clone());
            }
            prev_cased = true;
            cased = true;
        } else {
            prev_cased = false;
        }
    }
    Ok(vm.bool(cased))
}

fn str_isidentifier(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "str.isidentifier", args, kw)?;
    let mut it = str_data(this).value.code_points();
    let ok = match it.next() {
        Some(c) => unicode::is_xid_start(c) && it.all(unicode::is_xid_continue),
        None => false,
    };
    Ok(vm.bool(ok))
}

fn str_isprintable(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "str.isprintable", args, kw)?;
    Ok(vm.bool(str_data(this).value.code_points().all(unicode::is_printable)))
}

fn str_isascii(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "str.isascii", args, kw)?;
    Ok(vm.bool(str_data(this).is_ascii()))
}

// ----- dunders ------------------------------------------------------------

fn str_len(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "str.__len__", args, kw)?;
    Ok(vm.int(str_data(this).len() as i64))
}

fn str_getitem(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key] = exact::<1>(vm, "str.__getitem__", args, kw)?;
    crate::sequence::getitem(vm, this, &key)
}

fn str_contains(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x] = exact::<1>(vm, "str.__contains__", args, kw)?;
    Ok(vm.bool(crate::ops::contains(vm, this, &x)?))
}

fn binary_method(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, qual: &str, op: BinaryOp, reflected: bool) -> PyResult<Obj> {
    let [other] = exact::<1>(vm, qual, args, kw)?;
    if op == BinaryOp::Remainder && reflected {
        // `other % self` with a str on the right only formats when the
        // left operand is a str too.
        return match other.downcast::<StrData>() {
            Some(_) => crate::types::str_format::percent_format(vm, &other, this),
            None => Ok(vm.not_implemented.clone()),
        };
    }
    if op == BinaryOp::Multiply
        && other.downcast::<IntData>().is_none()
        && crate::types::lookup(&crate::types::type_of(&other), "__index__").is_none()
    {
        expect_int(vm, &other, "")?;
    }
    if reflected {
        str_binary(vm, op, &other, this)
    } else {
        str_binary(vm, op, this, &other)
    }
}

/// `s[i]` with `i` already an index in `[0, len)`.
pub fn str_item(vm: &Vm, s: &StrData, i: usize) -> Obj {
    if s.is_ascii() {
        return from_bytes(vm, &s.bytes()[i..i + 1]);
    }
    new_str_cp(vm, s.code_point(i))
}

/// `s[start:stop:step]` over the normalised slice positions.
pub fn str_slice(vm: &Vm, s: &StrData, start: i64, stop: i64, step: i64) -> Obj {
    if step == 1 {
        if stop <= start {
            return new_str(vm, "");
        }
        let (a, b) = (s.offset(start as usize), s.offset(stop as usize));
        return from_bytes(vm, &s.bytes()[a..b]);
    }
    let mut w = Wtf8Buf::new();
    if s.is_ascii() {
        let b = s.bytes();
        for i in crate::sequence::slice_walk(start, stop, step) {
            w.push_code_point(b[i] as u32);
        }
    } else {
        let cps = s.cps();
        for i in crate::sequence::slice_walk(start, stop, step) {
            w.push_code_point(cps[i]);
        }
    }
    new_str_wtf8(vm, w)
}

pub static STR_METHODS: &[MethodDef] = &[
    MethodDef::method("__len__", str_len, "Return len(self)."),
    MethodDef::method(
        "__getnewargs__",
        |vm, s, a, kw| {
            exact::<0>(vm, "__getnewargs__", a, kw)?;
            let copy = new_str_wtf8(vm, str_data(s).value.clone());
            Ok(crate::types::builtin::new_tuple(vm, vec![copy]))
        },
        "",
    ),
    MethodDef::method("__getitem__", str_getitem, "Return self[key]."),
    MethodDef::method("__contains__", str_contains, "Return key in self."),
    MethodDef::method("__add__", |vm, s, a, kw| binary_method(vm, s, a, kw, "str.__add__", BinaryOp::Add, false), "Return self+value."),
    MethodDef::method("__mul__", |vm, s, a, kw| binary_method(vm, s, a, kw, "str.__mul__", BinaryOp::Multiply, false), "Return self*value."),
    MethodDef::method(
        "__rmul__",
        |vm, s, a, kw| binary_method(vm, s, a, kw, "str.__rmul__", BinaryOp::Multiply, true),
        "Return value*self.",
    ),
    MethodDef::method("__mod__", |vm, s, a, kw| binary_method(vm, s, a, kw, "str.__mod__", BinaryOp::Remainder, false), "Return self%value."),
    MethodDef::method(
        "__rmod__",
        |vm, s, a, kw| binary_method(vm, s, a, kw, "str.__rmod__", BinaryOp::Remainder, true),
        "Return value%self.",
    ),
    MethodDef::method(
        "capitalize",
        |vm, s, a, kw| case_method(vm, s, a, kw, "str.capitalize", Case::Capitalize),
        "Return a capitalized version of the string.",
    ),
    MethodDef::method(
        "casefold",
        |vm, s, a, kw| case_method(vm, s, a, kw, "str.casefold", Case::Fold),
        "Return a version of the string suitable for caseless comparisons.",
    ),
    MethodDef::method(
        "center",
        |vm, s, a, kw| pad_impl(vm, s, a, kw, "center", "str.center", '^'),
        "Return a centered string of length width.",
    ),
    MethodDef::method(
        "count",
        str_count,
        "S.count(sub[, start[, end]]) -> int\n\nReturn the number of non-overlapping occurrences of substring sub in\nstring S[start:end].",
    ),
    MethodDef::method(
        "endswith",
        |vm, s, a, kw| starts_ends(vm, s, a, kw, "endswith", true),
        "S.endswith(suffix[, start[, end]]) -> bool\n\nReturn True if S ends with the specified suffix, False otherwise.",
    ),
    MethodDef::method("expandtabs", str_expandtabs, "Return a copy where all tab characters are expanded using spaces."),
    MethodDef::method(
        "find",
        |vm, s, a, kw| find_like(vm, s, a, kw, "find", false, false),
        "S.find(sub[, start[, end]]) -> int\n\nReturn the lowest index in S where substring sub is found,\nsuch that sub is contained within S[start:end].",
    ),
    MethodDef::method(
        "format",
        crate::types::str_format::str_format_method,
        "S.format(*args, **kwargs) -> str\n\nReturn a formatted version of S, using substitutions from args and kwargs.\nThe substitutions are identified by braces ('{' and '}').",
    ),
    MethodDef::method(
        "format_map",
        crate::types::str_format::str_format_map,
        "S.format_map(mapping) -> str\n\nReturn a formatted version of S, using substitutions from mapping.\nThe substitutions are identified by braces ('{' and '}').",
    ),
    MethodDef::method(
        "index",
        |vm, s, a, kw| find_like(vm, s, a, kw, "index", false, true),
        "S.index(sub[, start[, end]]) -> int\n\nReturn the lowest index in S where substring sub is found,\nsuch that sub is contained within S[start:end].",
    ),
    MethodDef::method(
        "isalnum",
        |vm, s, a, kw| all_flags(vm, s, a, kw, "str.isalnum", ctype::ALPHA | ctype::DECIMAL | ctype::DIGIT | ctype::NUMERIC),
        "Return True if the string is an alpha-numeric string, False otherwise.",
    ),
    MethodDef::method(
        "isalpha",
        |vm, s, a, kw| all_flags(vm, s, a, kw, "str.isalpha", ctype::ALPHA),
        "Return True if the string is an alphabetic string, False otherwise.",
    ),
    MethodDef::method("isascii", str_isascii, "Return True if all characters in the string are ASCII, False otherwise."),
    MethodDef::method(
        "isdecimal",
        |vm, s, a, kw| all_flags(vm, s, a, kw, "str.isdecimal", ctype::DECIMAL),
        "Return True if the string is a decimal string, False otherwise.",
    ),
    MethodDef::method(
        "isdigit",
        |vm, s, a, kw| all_flags(vm, s, a, kw, "str.isdigit", ctype::DIGIT),
        "Return True if the string is a digit string, False otherwise.",
    ),
    MethodDef::method("isidentifier", str_isidentifier, "Return True if the string is a valid Python identifier, False otherwise."),
    MethodDef::method(
        "islower",
        |vm, s, a, kw| case_test(vm, s, a, kw, "str.islower", ctype::LOWER, ctype::UPPER | ctype::TITLE),
        "Return True if the string is a lowercase string, False otherwise.",
    ),
    MethodDef::method(
        "isnumeric",
        |vm, s, a, kw| all_flags(vm, s, a, kw, "str.isnumeric", ctype::NUMERIC),
        "Return True if the string is a numeric string, False otherwise.",
    ),
    MethodDef::method("isprintable", str_isprintable, "Return True if the string is printable, False otherwise."),
    MethodDef::method("isspace", str_isspace, "Return True if the string is a whitespace string, False otherwise."),
    MethodDef::method("istitle", str_istitle, "Return True if the string is a title-cased string, False otherwise."),
    MethodDef::method(
        "isupper",
        |vm, s, a, kw| case_test(vm, s, a, kw, "str.isupper", ctype::UPPER, ctype::LOWER | ctype::TITLE),
        "Return True if the string is an uppercase string, False otherwise.",
    ),
    MethodDef::method("join", str_join, "Concatenate any number of strings."),
    MethodDef::method(
        "ljust",
        |vm, s, a, kw| pad_impl(vm, s, a, kw, "ljust", "str.ljust", '<'),
        "Return a left-justified string of length width.",
    ),
    MethodDef::method(
        "lower",
        |vm, s, a, kw| case_method(vm, s, a, kw, "str.lower", Case::Lower),
        "Return a copy of the string converted to lowercase.",
    ),
    MethodDef::method(
        "lstrip",
        |vm, s, a, kw| strip_impl(vm, s, a, kw, "lstrip", "str.lstrip", 1),
        "Return a copy of the string with leading whitespace removed.",
    ),
    MethodDef::static_("maketrans", str_maketrans, "Return a translation table usable for str.translate()."),
    MethodDef::method(
        "partition",
        |vm, s, a, kw| partition_impl(vm, s, a, kw, false),
        "Partition the string into three parts using the given separator.",
    ),
    MethodDef::method(
        "removeprefix",
        |vm, s, a, kw| affix_impl(vm, s, a, kw, "removeprefix", false),
        "Return a str with the given prefix string removed if present.",
    ),
    MethodDef::method(
        "removesuffix",
        |vm, s, a, kw| affix_impl(vm, s, a, kw, "removesuffix", true),
        "Return a str with the given suffix string removed if present.",
    ),
    MethodDef::method("replace", str_replace, "Return a copy with all occurrences of substring old replaced by new."),
    MethodDef::method(
        "rfind",
        |vm, s, a, kw| find_like(vm, s, a, kw, "rfind", true, false),
        "S.rfind(sub[, start[, end]]) -> int\n\nReturn the highest index in S where substring sub is found,\nsuch that sub is contained within S[start:end].",
    ),
    MethodDef::method(
        "rindex",
        |vm, s, a, kw| find_like(vm, s, a, kw, "rindex", true, true),
        "S.rindex(sub[, start[, end]]) -> int\n\nReturn the highest index in S where substring sub is found,\nsuch that sub is contained within S[start:end].",
    ),
    MethodDef::method(
        "rjust",
        |vm, s, a, kw| pad_impl(vm, s, a, kw, "rjust", "str.rjust", '>'),
        "Return a right-justified string of length width.",
    ),
    MethodDef::method(
        "rpartition",
        |vm, s, a, kw| partition_impl(vm, s, a, kw, true),
        "Partition the string into three parts using the given separator.",
    ),
    MethodDef::method(
        "rsplit",
        |vm, s, a, kw| split_impl(vm, s, a, kw, true),
        "Return a list of the substrings in the string, using sep as the separator string.",
    ),
    MethodDef::method(
        "rstrip",
        |vm, s, a, kw| strip_impl(vm, s, a, kw, "rstrip", "str.rstrip", 2),
        "Return a copy of the string with trailing whitespace removed.",
    ),
    MethodDef::method(
        "split",
        |vm, s, a, kw| split_impl(vm, s, a, kw, false),
        "Return a list of the substrings in the string, using sep as the separator string.",
    ),
    MethodDef::method("splitlines", str_splitlines, "Return a list of the lines in the string, breaking at line boundaries."),
    MethodDef::method(
        "startswith",
        |vm, s, a, kw| starts_ends(vm, s, a, kw, "startswith", false),
        "S.startswith(prefix[, start[, end]]) -> bool\n\nReturn True if S starts with the specified prefix, False otherwise.",
    ),
    MethodDef::method(
        "strip",
        |vm, s, a, kw| strip_impl(vm, s, a, kw, "strip", "str.strip", 0),
        "Return a copy of the string with leading and trailing whitespace removed.",
    ),
    MethodDef::method(
        "swapcase",
        |vm, s, a, kw| case_method(vm, s, a, kw, "str.swapcase", Case::Swap),
        "Convert uppercase characters to lowercase and lowercase characters to uppercase.",
    ),
    MethodDef::method(
        "title",
        |vm, s, a, kw| case_method(vm, s, a, kw, "str.title", Case::Title),
        "Return a version of the string where each word is titlecased.",
    ),
    MethodDef::method("translate", str_translate, "Replace each character in the string using the given translation table."),
    MethodDef::method(
        "upper",
        |vm, s, a, kw| case_method(vm, s, a, kw, "str.upper", Case::Upper),
        "Return a copy of the string converted to uppercase.",
    ),
    MethodDef::method(
        "zfill",
        str_zfill,
        "Pad a numeric string with zeros on the left, to fill a field of the given width.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn data(s: &str) -> StrData {
        StrData::new(Wtf8Buf::from_str(s))
    }

    #[test]
    fn index_and_offsets_agree() {
        let text: String = (0..300)
            .map(|i| {
                if i % 7 == 0 {
                    'é'
                } else if i % 11 == 0 {
                    '😀'
                } else {
                    'a'
                }
            })
            .collect();
        let s = data(&text);
        assert_eq!(s.len(), 300);
        let chars: Vec<char> = text.chars().collect();
        let mut byte = 0;
        for (i, c) in chars.iter().enumerate() {
            assert_eq!(s.offset(i), byte);
            assert_eq!(s.char_index(byte), i);
            assert_eq!(s.code_point(i), *c as u32);
            byte += c.len_utf8();
        }
        assert_eq!(s.offset(300), text.len());
        assert_eq!(s.char_index(text.len()), 300);
    }

    #[test]
    fn byte_search() {
        assert_eq!(find_bytes(b"abcabc", b"ca"), Some(2));
        assert_eq!(rfind_bytes(b"abcabc", b"bc"), Some(4));
        assert_eq!(rfind_bytes(b"abc", b""), Some(3));
        assert_eq!(find_bytes(b"ab", b"abc"), None);
        assert_eq!(count_bytes(b"aaaa", b"aa", usize::MAX), 2);
    }

    #[test]
    fn case_mapping_special_cases() {
        let up = case_convert(&data("straße"), Case::Upper);
        assert_eq!(up.as_str(), Some("STRASSE"));
        let low = case_convert(&data("ΟΔΟΣ ΣΑ"), Case::Lower);
        assert_eq!(low.as_str(), Some("οδος σα"));
        assert_eq!(case_convert(&data("ǆemal"), Case::Title).as_str(), Some("ǅemal"));
    }
}
