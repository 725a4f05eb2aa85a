//! `_json`: the accelerator under the pure-Python `json` package, as
//! CPython's `Modules/_json.c` behaves: `scanstring`, the `Scanner` type
//! (`make_scanner`: one JSON value from a str, honouring `strict`, the
//! object hooks and the `parse_*` callables), the `Encoder` type
//! (`make_encoder`: the one-shot encoder `json.dumps` uses when `indent`
//! is None) and `encode_basestring(_ascii)`. Errors are
//! `json.decoder.JSONDecodeError`s with CPython's messages and positions.
//!
//! The decoder works on the str's generalised UTF-8 bytes (every JSON
//! delimiter is ASCII) and converts byte offsets to code-point indices
//! only where an index leaves the module.

use std::collections::HashMap;

use taipan_parser::wtf8::Wtf8Buf;
use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{bind, new_type, FunctionDef, GetSetDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::ops;
use taipan_vm::types::builtin::{
    dict_data, dict_items, dict_set, int_data, int_to_decimal, list_items, new_dict, new_list, new_str, new_str_wtf8, new_tuple,
    object_slots, str_data, type_name, DictData, ListData, StrData, TupleData,
};
use taipan_vm::types::{type_of, Kwargs, Slots};
use taipan_vm::{PyErr, PyResult, Vm};

use crate::util;

// Errors -------------------------------------------------------------------

/// `JSONDecodeError(msg, s, pos)` (`pos` a code-point index).
fn decode_error(vm: &Vm, msg: &str, s: &Obj, pos: i64) -> PyErr {
    let cls = taipan_vm::import::import_absolute(vm, "json.decoder").and_then(|m| util::getattr(vm, &m, "JSONDecodeError"));
    let cls = match cls {
        Ok(c) => c,
        Err(e) => return e,
    };
    match util::call(vm, &cls, &[new_str(vm, msg), s.clone(), vm.int(pos)]) {
        Ok(exc) => PyErr { exc },
        Err(e) => e,
    }
}

/// The error at byte offset `at` of `s`; `usize::MAX` stands for -1
/// (`scanstring(s, 0)`: the string "starts" before the text).
fn decode_error_at(vm: &Vm, msg: &str, s: &Obj, at: usize) -> PyErr {
    let sd = str_data(s);
    let pos = if at == usize::MAX {
        -1
    } else if at >= sd.bytes().len() {
        sd.len() as i64
    } else {
        sd.char_index(at) as i64
    };
    decode_error(vm, msg, s, pos)
}

fn stop_iteration(vm: &Vm, idx: usize) -> PyErr {
    taipan_vm::generator::stop_iteration(vm, Some(vm.int(idx as i64)))
}

fn not_a_string(vm: &Vm, o: &Obj) -> PyErr {
    vm.type_error(format!("first argument must be a string, not {}", type_name(o)))
}

// scanstring ---------------------------------------------------------------

fn hex4(b: &[u8], at: usize) -> Option<u32> {
    let mut c = 0u32;
    for &d in b.get(at..at + 4)? {
        c = (c << 4) | (d as char).to_digit(16)?;
    }
    Some(c)
}

/// Scans a JSON string body starting at byte `end` (just after the
/// opening quote): the decoded str and the byte offset after the closing
/// quote.
fn scan_string(vm: &Vm, s: &Obj, end: usize, strict: bool) -> PyResult<(Obj, usize)> {
    let b = str_data(s).bytes();
    let len = b.len();
    // The code point before `end` (the opening quote when scanning a
    // document); `usize::MAX` for -1.
    let begin = match end.checked_sub(1) {
        None => usize::MAX,
        Some(mut p) => {
            while p > 0 && b.get(p).is_some_and(|&x| x & 0xC0 == 0x80) {
                p -= 1;
            }
            p
        }
    };
    let mut end = end;
    let mut out: Option<Wtf8Buf> = None;
    loop {
        let mut next = end;
        let mut c = 0u8;
        while next < len {
            c = b[next];
            if c == b'"' || c == b'\\' {
                break;
            }
            if c <= 0x1f && strict {
                return Err(decode_error_at(vm, "Invalid control character at", s, next));
            }
            next += 1;
        }
        if next >= len || (c != b'"' && c != b'\\') {
            return Err(decode_error_at(vm, "Unterminated string starting at", s, begin));
        }
        if c == b'"' && out.is_none() {
            // Fast path: no escapes at all.
            let mut w = Wtf8Buf::with_capacity(next - end);
            w.push_wtf8_bytes(&b[end..next]);
            return Ok((new_str_wtf8(vm, w), next + 1));
        }
        let buf = out.get_or_insert_with(Wtf8Buf::new);
        if next != end {
            buf.push_wtf8_bytes(&b[end..next]);
        }
        next += 1;
        if c == b'"' {
            end = next;
            break;
        }
        if next == len {
            return Err(decode_error_at(vm, "Unterminated string starting at", s, begin));
        }
        let e = b[next];
        let cp: u32;
        if e != b'u' {
            end = next + 1;
            cp = match e {
                b'"' => '"' as u32,
                b'\\' => '\\' as u32,
                b'/' => '/' as u32,
                b'b' => 8,
                b'f' => 12,
                b'n' => 10,
                b'r' => 13,
                b't' => 9,
                _ => return Err(decode_error_at(vm, "Invalid \\escape", s, end - 2)),
            };
        } else {
            next += 1;
            end = next + 4;
            if end >= len {
                return Err(decode_error_at(vm, "Invalid \\uXXXX escape", s, next - 1));
            }
            let Some(mut c1) = hex4(b, next) else {
                return Err(decode_error_at(vm, "Invalid \\uXXXX escape", s, end - 5));
            };
            if (0xD800..0xDC00).contains(&c1) && end + 6 < len && b[end] == b'\\' && b[end + 1] == b'u' {
                let Some(c2) = hex4(b, end + 2) else {
                    return Err(decode_error_at(vm, "Invalid \\uXXXX escape", s, end + 1));
                };
                if (0xDC00..0xE000).contains(&c2) {
                    c1 = 0x10000 + ((c1 - 0xD800) << 10) + (c2 - 0xDC00);
                    end += 6;
                }
            }
            cp = c1;
        }
        buf.push_code_point(cp);
    }
    Ok((new_str_wtf8(vm, out.unwrap_or_default()), end))
}

fn py_scanstring(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::no_kwargs(vm, "scanstring", kw)?;
    if args.len() < 2 || args.len() > 3 {
        let msg = if args.len() < 2 {
            format!("scanstring() takes at least 2 arguments ({} given)", args.len())
        } else {
            format!("scanstring() takes at most 3 arguments ({} given)", args.len())
        };
        return Err(vm.type_error(msg));
    }
    let s = &args[0];
    let end = util::to_isize(vm, &args[1])?;
    let strict = match args.get(2) {
        Some(v) => ops::truth(vm, &ops::index(vm, v)?)?,
        None => true,
    };
    let Some(sd) = s.downcast::<StrData>() else { return Err(not_a_string(vm, s)) };
    if end < 0 || end as usize > sd.len() {
        return Err(vm.new_error(&vm.types.value_error, "end is out of bounds"));
    }
    let (v, after) = scan_string(vm, s, sd.offset(end as usize), strict)?;
    Ok(new_tuple(vm, vec![v, vm.int(sd.char_index(after) as i64)]))
}

// Scanner ------------------------------------------------------------------

pub struct ScannerData {
    strict: bool,
    object_hook: Obj,
    object_pairs_hook: Obj,
    parse_float: Obj,
    parse_int: Obj,
    parse_constant: Obj,
}

fn scanner_of<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a ScannerData> {
    o.downcast::<ScannerData>().ok_or_else(|| vm.type_error(format!("expected a _json.Scanner, got '{}'", type_name(o))))
}

static SCANNER_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("strict", |vm, o| Ok(vm.bool(scanner_of(vm, o)?.strict)), "strict"),
    GetSetDef::readonly("object_hook", |vm, o| Ok(scanner_of(vm, o)?.object_hook.clone()), "object_hook"),
    GetSetDef::readonly("object_pairs_hook", |vm, o| Ok(scanner_of(vm, o)?.object_pairs_hook.clone()), "object_pairs_hook"),
    GetSetDef::readonly("parse_float", |vm, o| Ok(scanner_of(vm, o)?.parse_float.clone()), "parse_float"),
    GetSetDef::readonly("parse_int", |vm, o| Ok(scanner_of(vm, o)?.parse_int.clone()), "parse_int"),
    GetSetDef::readonly("parse_constant", |vm, o| Ok(scanner_of(vm, o)?.parse_constant.clone()), "parse_constant"),
];

fn scanner_type(vm: &Vm) -> Obj {
    vm.native_type("_json.Scanner", |vm| {
        let slots = Slots {
            new: Some(scanner_new),
            call: Some(scanner_call),
            traverse: Some(|o, visit| {
                if let Some(s) = o.downcast::<ScannerData>() {
                    visit(&s.object_hook);
                    visit(&s.object_pairs_hook);
                    visit(&s.parse_float);
                    visit(&s.parse_int);
                    visit(&s.parse_constant);
                }
            }),
            ..object_slots()
        };
        let t = new_type::<ScannerData>(vm, "_json.Scanner", &[], true, slots, &[], SCANNER_GETSETS);
        set_doc(vm, &t, "JSON scanner object");
        t
    })
}

fn set_doc(vm: &Vm, t: &Obj, doc: &str) {
    taipan_vm::types::type_data(t).dict.borrow_mut().insert("__doc__", new_str(vm, doc));
    taipan_vm::types::type_modified(t);
}

fn scanner_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = Params { fname: "make_scanner", names: &["context"], posonly: 0, kwonly: 0, required: 1 };
    let [ctx] = bind::<1>(vm, &p, args, kw)?;
    let ctx = ctx.unwrap_or_else(|| vm.none.clone());
    let strict = ops::truth(vm, &util::getattr(vm, &ctx, "strict")?)?;
    let object_hook = util::getattr(vm, &ctx, "object_hook")?;
    let object_pairs_hook = util::getattr(vm, &ctx, "object_pairs_hook")?;
    let parse_float = util::getattr(vm, &ctx, "parse_float")?;
    let parse_int = util::getattr(vm, &ctx, "parse_int")?;
    let parse_constant = util::getattr(vm, &ctx, "parse_constant")?;
    Ok(alloc(cls.clone(), ScannerData { strict, object_hook, object_pairs_hook, parse_float, parse_int, parse_constant }))
}

fn scanner_call(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = Params { fname: "scan_once", names: &["string", "idx"], posonly: 0, kwonly: 0, required: 2 };
    let [s, idx] = bind::<2>(vm, &p, args, kw)?;
    let (s, idx) = (s.unwrap_or_else(|| vm.none.clone()), idx.unwrap_or_else(|| vm.none.clone()));
    let idx = util::to_isize(vm, &idx)?;
    let Some(sd) = s.downcast::<StrData>() else { return Err(not_a_string(vm, &s)) };
    let sc = scanner_of(vm, this)?;
    if idx < 0 {
        return Err(vm.new_error(&vm.types.value_error, "idx cannot be negative"));
    }
    if idx as usize >= sd.len() {
        return Err(stop_iteration(vm, idx as usize));
    }
    let mut st = Scan { sc, s: &s, b: sd.bytes(), memo: HashMap::new() };
    let (v, end) = st.scan_once(vm, sd.offset(idx as usize))?;
    Ok(new_tuple(vm, vec![v, vm.int(sd.char_index(end) as i64)]))
}

struct Scan<'a> {
    sc: &'a ScannerData,
    s: &'a Obj,
    b: &'a [u8],
    memo: HashMap<&'a [u8], Obj>,
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

impl<'a> Scan<'a> {
    fn skip_ws(&self, mut i: usize) -> usize {
        while i < self.b.len() && is_ws(self.b[i]) {
            i += 1;
        }
        i
    }

    fn stop(&self, vm: &Vm, at: usize) -> PyErr {
        stop_iteration(vm, str_data(self.s).char_index(at))
    }

    fn err(&self, vm: &Vm, msg: &str, at: usize) -> PyErr {
        decode_error_at(vm, msg, self.s, at)
    }

    fn scan_once(&mut self, vm: &Vm, idx: usize) -> PyResult<(Obj, usize)> {
        let b = self.b;
        if idx >= b.len() {
            return Err(self.stop(vm, idx));
        }
        let rest = &b[idx..];
        match b[idx] {
            b'"' => return scan_string(vm, self.s, idx + 1, self.sc.strict),
            b'{' => {
                let _g = vm.enter_recursive_call(" while decoding a JSON object from a unicode string")?;
                return self.parse_object(vm, idx + 1);
            }
            b'[' => {
                let _g = vm.enter_recursive_call(" while decoding a JSON array from a unicode string")?;
                return self.parse_array(vm, idx + 1);
            }
            b'n' if rest.starts_with(b"null") => return Ok((vm.none.clone(), idx + 4)),
            b't' if rest.starts_with(b"true") => return Ok((vm.bool(true), idx + 4)),
            b'f' if rest.starts_with(b"false") => return Ok((vm.bool(false), idx + 5)),
            b'N' if rest.starts_with(b"NaN") => return self.constant(vm, "NaN", idx),
            b'I' if rest.starts_with(b"Infinity") => return self.constant(vm, "Infinity", idx),
            b'-' if rest.starts_with(b"-Infinity") => return self.constant(vm, "-Infinity", idx),
            _ => {}
        }
        self.match_number(vm, idx)
    }

    fn constant(&self, vm: &Vm, name: &str, idx: usize) -> PyResult<(Obj, usize)> {
        let v = util::call(vm, &self.sc.parse_constant, &[new_str(vm, name)])?;
        Ok((v, idx + name.len()))
    }

    fn match_number(&self, vm: &Vm, start: usize) -> PyResult<(Obj, usize)> {
        let b = self.b;
        let digit = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_digit());
        let mut idx = start;
        if b[idx] == b'-' {
            idx += 1;
            if idx >= b.len() {
                return Err(self.stop(vm, start));
            }
        }
        if (b'1'..=b'9').contains(&b[idx]) {
            idx += 1;
            while digit(idx) {
                idx += 1;
            }
        } else if b[idx] == b'0' {
            idx += 1;
        } else {
            return Err(self.stop(vm, start));
        }
        let mut is_float = false;
        if idx + 1 < b.len() && b[idx] == b'.' && digit(idx + 1) {
            is_float = true;
            idx += 2;
            while digit(idx) {
                idx += 1;
            }
        }
        if idx + 1 < b.len() && (b[idx] == b'e' || b[idx] == b'E') {
            let e_start = idx;
            idx += 1;
            if idx + 1 < b.len() && (b[idx] == b'-' || b[idx] == b'+') {
                idx += 1;
            }
            while digit(idx) {
                idx += 1;
            }
            if digit(idx - 1) {
                is_float = true;
            } else {
                idx = e_start;
            }
        }
        // The number is ASCII.
        let text = std::str::from_utf8(&b[start..idx]).unwrap_or("0");
        let custom = if is_float { &self.sc.parse_float } else { &self.sc.parse_int };
        let builtin = if is_float { &vm.types.float } else { &vm.types.int };
        let v = if !custom.is(builtin) {
            util::call(vm, custom, &[new_str(vm, text)])?
        } else if is_float {
            let f: f64 = text.parse().unwrap_or(f64::NAN);
            alloc(vm.types.float.clone(), f)
        } else if let Ok(i) = text.parse::<i64>() {
            vm.int(i)
        } else {
            // Big (and over-long) integers: `int(text)`'s rules and errors.
            util::call(vm, &vm.types.int, &[new_str(vm, text)])?
        };
        Ok((v, idx))
    }

    fn parse_object(&mut self, vm: &Vm, start: usize) -> PyResult<(Obj, usize)> {
        let b = self.b;
        let pairs_hook = !self.sc.object_pairs_hook.is(&vm.none);
        let mut pairs: Vec<Obj> = Vec::new();
        let dict = if pairs_hook { None } else { Some(new_dict(vm)) };
        let mut idx = self.skip_ws(start);
        if idx >= b.len() || b[idx] != b'}' {
            loop {
                if idx >= b.len() || b[idx] != b'"' {
                    return Err(self.err(vm, "Expecting property name enclosed in double quotes", idx));
                }
                let (key, next) = scan_string(vm, self.s, idx + 1, self.sc.strict)?;
                let raw = &b[idx + 1..next - 1];
                let key = match self.memo.get(raw) {
                    Some(k) => k.clone(),
                    None => {
                        self.memo.insert(raw, key.clone());
                        key
                    }
                };
                idx = self.skip_ws(next);
                if idx >= b.len() || b[idx] != b':' {
                    return Err(self.err(vm, "Expecting ':' delimiter", idx));
                }
                idx = self.skip_ws(idx + 1);
                let (val, next) = self.scan_once(vm, idx)?;
                match &dict {
                    Some(d) => dict_set(vm, d, key, val)?,
                    None => pairs.push(new_tuple(vm, vec![key, val])),
                }
                idx = self.skip_ws(next);
                if idx < b.len() && b[idx] == b'}' {
                    break;
                }
                if idx >= b.len() || b[idx] != b',' {
                    return Err(self.err(vm, "Expecting ',' delimiter", idx));
                }
                idx = self.skip_ws(idx + 1);
            }
        }
        let end = idx + 1;
        if pairs_hook {
            let v = util::call(vm, &self.sc.object_pairs_hook, &[new_list(vm, pairs)])?;
            return Ok((v, end));
        }
        let d = dict.unwrap_or_else(|| new_dict(vm));
        if !self.sc.object_hook.is(&vm.none) {
            return Ok((util::call(vm, &self.sc.object_hook, &[d])?, end));
        }
        Ok((d, end))
    }

    fn parse_array(&mut self, vm: &Vm, start: usize) -> PyResult<(Obj, usize)> {
        let b = self.b;
        let mut items = Vec::new();
        let mut idx = self.skip_ws(start);
        if idx >= b.len() || b[idx] != b']' {
            loop {
                let (val, next) = self.scan_once(vm, idx)?;
                items.push(val);
                idx = self.skip_ws(next);
                if idx < b.len() && b[idx] == b']' {
                    break;
                }
                if idx >= b.len() || b[idx] != b',' {
                    return Err(self.err(vm, "Expecting ',' delimiter", idx));
                }
                idx = self.skip_ws(idx + 1);
            }
        }
        Ok((new_list(vm, items), idx + 1))
    }
}

// encode_basestring --------------------------------------------------------

fn push_u_escape(out: &mut String, c: u32) {
    use std::fmt::Write;
    let _ = write!(out, "\\u{c:04x}");
}

/// Appends the JSON form of `s` (with quotes) to `out`; `ascii` escapes
/// every non-ASCII code point (surrogate pairs above the BMP).
fn encode_str_into(s: &StrData, ascii: bool, out: &mut Wtf8Buf) {
    let bytes = s.bytes();
    out.push_str("\"");
    let mut esc = String::new();
    let mut run = 0;
    let mut pos = 0;
    let flush = |out: &mut Wtf8Buf, from: usize, to: usize| {
        if to > from {
            out.push_wtf8_bytes(&bytes[from..to]);
        }
    };
    for c in s.value.code_points() {
        let w = match c {
            0..=0x7F => 1,
            0x80..=0x7FF => 2,
            0x800..=0xFFFF => 3,
            _ => 4,
        };
        let plain = match c {
            0x22 | 0x5C => false,
            0..=0x1F => false,
            0x7F.. if ascii => false,
            _ => true,
        };
        if !plain {
            flush(out, run, pos);
            esc.clear();
            match c {
                0x22 => esc.push_str("\\\""),
                0x5C => esc.push_str("\\\\"),
                8 => esc.push_str("\\b"),
                12 => esc.push_str("\\f"),
                10 => esc.push_str("\\n"),
                13 => esc.push_str("\\r"),
                9 => esc.push_str("\\t"),
                0x10000.. => {
                    let v = c - 0x10000;
                    push_u_escape(&mut esc, 0xD800 | (v >> 10));
                    push_u_escape(&mut esc, 0xDC00 | (v & 0x3FF));
                }
                _ => push_u_escape(&mut esc, c),
            }
            out.push_str(&esc);
            run = pos + w;
        }
        pos += w;
    }
    flush(out, run, pos);
    out.push_str("\"");
}

fn encode_str(vm: &Vm, o: &Obj, ascii: bool) -> PyResult<Obj> {
    let Some(s) = o.downcast::<StrData>() else { return Err(not_a_string(vm, o)) };
    let mut out = Wtf8Buf::with_capacity(s.bytes().len() + 2);
    encode_str_into(s, ascii, &mut out);
    Ok(new_str_wtf8(vm, out))
}

fn py_encode_basestring_ascii(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [s] = taipan_vm::native::exact::<1>(vm, "encode_basestring_ascii", args, kw)?;
    encode_str(vm, &s, true)
}

fn py_encode_basestring(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [s] = taipan_vm::native::exact::<1>(vm, "encode_basestring", args, kw)?;
    encode_str(vm, &s, false)
}

// Encoder ------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum FastEncode {
    None,
    Ascii,
    Unicode,
}

pub struct EncoderData {
    markers: Obj,
    default: Obj,
    encoder: Obj,
    indent: Obj,
    key_separator: Obj,
    item_separator: Obj,
    sort_keys: bool,
    skipkeys: bool,
    allow_nan: bool,
    fast: FastEncode,
}

fn encoder_of<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a EncoderData> {
    o.downcast::<EncoderData>().ok_or_else(|| vm.type_error(format!("expected a _json.Encoder, got '{}'", type_name(o))))
}

static ENCODER_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("markers", |vm, o| Ok(encoder_of(vm, o)?.markers.clone()), "markers"),
    GetSetDef::readonly("default", |vm, o| Ok(encoder_of(vm, o)?.default.clone()), "default"),
    GetSetDef::readonly("encoder", |vm, o| Ok(encoder_of(vm, o)?.encoder.clone()), "encoder"),
    GetSetDef::readonly("indent", |vm, o| Ok(encoder_of(vm, o)?.indent.clone()), "indent"),
    GetSetDef::readonly("key_separator", |vm, o| Ok(encoder_of(vm, o)?.key_separator.clone()), "key_separator"),
    GetSetDef::readonly("item_separator", |vm, o| Ok(encoder_of(vm, o)?.item_separator.clone()), "item_separator"),
    GetSetDef::readonly("sort_keys", |vm, o| Ok(vm.bool(encoder_of(vm, o)?.sort_keys)), "sort_keys"),
    GetSetDef::readonly("skipkeys", |vm, o| Ok(vm.bool(encoder_of(vm, o)?.skipkeys)), "skipkeys"),
];

fn encoder_type(vm: &Vm) -> Obj {
    vm.native_type("_json.Encoder", |vm| {
        let slots = Slots {
            new: Some(encoder_new),
            call: Some(encoder_call),
            traverse: Some(|o, visit| {
                if let Some(e) = o.downcast::<EncoderData>() {
                    visit(&e.markers);
                    visit(&e.default);
                    visit(&e.encoder);
                    visit(&e.indent);
                    visit(&e.key_separator);
                    visit(&e.item_separator);
                }
            }),
            ..object_slots()
        };
        let t = new_type::<EncoderData>(vm, "_json.Encoder", &[], true, slots, &[], ENCODER_GETSETS);
        set_doc(vm, &t, "_iterencode(obj, _current_indent_level) -> iterable");
        t
    })
}

static ENCODER_PARAMS: Params = Params {
    fname: "make_encoder",
    names: &["markers", "default", "encoder", "indent", "key_separator", "item_separator", "sort_keys", "skipkeys", "allow_nan"],
    posonly: 0,
    kwonly: 0,
    required: 9,
};

/// Which of this module's string encoders `f` is, if any.
fn fast_encode_of(f: &Obj) -> FastEncode {
    let Some(d) = f.downcast::<taipan_vm::function::BuiltinFunctionData>() else { return FastEncode::None };
    if std::ptr::fn_addr_eq(d.func, py_encode_basestring_ascii as taipan_vm::function::BuiltinFn) {
        FastEncode::Ascii
    } else if std::ptr::fn_addr_eq(d.func, py_encode_basestring as taipan_vm::function::BuiltinFn) {
        FastEncode::Unicode
    } else {
        FastEncode::None
    }
}

fn encoder_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let vals = bind::<9>(vm, &ENCODER_PARAMS, args, kw)?;
    let [markers, default, encoder, indent, key_separator, item_separator, sort_keys, skipkeys, allow_nan] =
        vals.map(|v| v.unwrap_or_else(|| vm.none.clone()));
    for (i, sep) in [(5, &key_separator), (6, &item_separator)] {
        if sep.downcast::<StrData>().is_none() {
            return Err(vm.type_error(format!("make_encoder() argument {i} must be str, not {}", type_name(sep))));
        }
    }
    let sort_keys = ops::truth(vm, &sort_keys)?;
    let skipkeys = ops::truth(vm, &skipkeys)?;
    let allow_nan = ops::truth(vm, &allow_nan)?;
    if !markers.is(&vm.none) && markers.downcast::<DictData>().is_none() {
        return Err(vm.type_error(format!("make_encoder() argument 1 must be dict or None, not {}", type_name(&markers))));
    }
    let fast = fast_encode_of(&encoder);
    Ok(alloc(
        cls.clone(),
        EncoderData { markers, default, encoder, indent, key_separator, item_separator, sort_keys, skipkeys, allow_nan, fast },
    ))
}

fn encoder_call(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = Params { fname: "_iterencode", names: &["obj", "_current_indent_level"], posonly: 0, kwonly: 0, required: 2 };
    let [obj, level] = bind::<2>(vm, &p, args, kw)?;
    let obj = obj.unwrap_or_else(|| vm.none.clone());
    util::to_isize(vm, &level.unwrap_or_else(|| vm.none.clone()))?;
    let e = encoder_of(vm, this)?;
    let mut out = Wtf8Buf::new();
    encode_obj(vm, e, &mut out, &obj)?;
    Ok(new_list(vm, vec![new_str_wtf8(vm, out)]))
}

fn float_json(vm: &Vm, e: &EncoderData, o: &Obj, f: f64) -> PyResult<String> {
    if !f.is_finite() {
        if !e.allow_nan {
            let _ = o;
            return Err(vm.new_error(&vm.types.value_error, "Out of range float values are not JSON compliant"));
        }
        return Ok(if f > 0.0 {
            "Infinity"
        } else if f < 0.0 {
            "-Infinity"
        } else {
            "NaN"
        }
        .to_string());
    }
    Ok(taipan_parser::repr::repr_float(f))
}

fn encode_string(vm: &Vm, e: &EncoderData, out: &mut Wtf8Buf, o: &Obj) -> PyResult<()> {
    match e.fast {
        FastEncode::Ascii => encode_str_into(str_data(o), true, out),
        FastEncode::Unicode => encode_str_into(str_data(o), false, out),
        FastEncode::None => {
            let r = util::call(vm, &e.encoder, std::slice::from_ref(o))?;
            let Some(s) = r.downcast::<StrData>() else {
                return Err(vm.type_error(format!("encoder() must return a string, not {}", type_name(&r))));
            };
            out.push_wtf8(&s.value);
        }
    }
    Ok(())
}

fn marker_key(vm: &Vm, o: &Obj) -> Obj {
    vm.int(o.as_ptr() as usize as i64)
}

fn enter_marker(vm: &Vm, e: &EncoderData, o: &Obj) -> PyResult<Option<Obj>> {
    if e.markers.is(&vm.none) {
        return Ok(None);
    }
    let key = marker_key(vm, o);
    if taipan_vm::types::builtin::dict_contains(vm, &e.markers, &key)? {
        return Err(vm.new_error(&vm.types.value_error, "Circular reference detected"));
    }
    dict_set(vm, &e.markers, key.clone(), o.clone())?;
    Ok(Some(key))
}

fn leave_marker(vm: &Vm, e: &EncoderData, key: Option<Obj>) -> PyResult<()> {
    if let Some(k) = key {
        if !taipan_vm::types::builtin::dict_del(vm, &e.markers, &k)? {
            return Err(taipan_vm::types::builtin::key_error(vm, &k));
        }
    }
    Ok(())
}

fn encode_obj(vm: &Vm, e: &EncoderData, out: &mut Wtf8Buf, o: &Obj) -> PyResult<()> {
    if o.is(&vm.none) {
        out.push_str("null");
    } else if o.is(&vm.bool(true)) {
        out.push_str("true");
    } else if o.is(&vm.bool(false)) {
        out.push_str("false");
    } else if o.downcast::<StrData>().is_some() {
        encode_string(vm, e, out, o)?;
    } else if let Some(i) = int_data(o) {
        out.push_str(&int_to_decimal(vm, i)?);
    } else if let Some(f) = o.downcast::<f64>() {
        out.push_str(&float_json(vm, e, o, *f)?);
    } else if o.downcast::<ListData>().is_some() || o.downcast::<TupleData>().is_some() {
        let _g = vm.enter_recursive_call(" while encoding a JSON object")?;
        encode_list(vm, e, out, o)?;
    } else if o.downcast::<DictData>().is_some() {
        let _g = vm.enter_recursive_call(" while encoding a JSON object")?;
        encode_dict(vm, e, out, o)?;
    } else {
        let key = enter_marker(vm, e, o)?;
        let newobj = util::call(vm, &e.default, std::slice::from_ref(o))?;
        {
            let _g = vm.enter_recursive_call(" while encoding a JSON object")?;
            encode_obj(vm, e, out, &newobj)?;
        }
        leave_marker(vm, e, key)?;
    }
    Ok(())
}

fn encode_list(vm: &Vm, e: &EncoderData, out: &mut Wtf8Buf, o: &Obj) -> PyResult<()> {
    // `PySequence_Fast`: exact lists and tuples as they are (a list is read
    // live, so `default` may shrink it), subclasses through their iterator.
    let t = type_of(o);
    let snapshot: Option<Vec<Obj>> = if t.is(&vm.types.tuple) {
        o.downcast::<TupleData>().map(|t| t.items.to_vec())
    } else if t.is(&vm.types.list) {
        None
    } else {
        let it = ops::iter(vm, o)?;
        let mut v = Vec::new();
        while let Some(x) = ops::next(vm, &it)? {
            v.push(x);
        }
        Some(v)
    };
    let item = |i: usize| -> PyResult<Option<Obj>> {
        Ok(match &snapshot {
            Some(v) => v.get(i).cloned(),
            None => list_items(vm, o)?.borrow().get(i).cloned(),
        })
    };
    if item(0)?.is_none() {
        out.push_str("[]");
        return Ok(());
    }
    let key = enter_marker(vm, e, o)?;
    out.push_str("[");
    let sep = str_data(&e.item_separator);
    let mut i = 0;
    while let Some(x) = item(i)? {
        if i > 0 {
            out.push_wtf8(&sep.value);
        }
        encode_obj(vm, e, out, &x)?;
        i += 1;
    }
    leave_marker(vm, e, key)?;
    out.push_str("]");
    Ok(())
}

fn encode_dict(vm: &Vm, e: &EncoderData, out: &mut Wtf8Buf, o: &Obj) -> PyResult<()> {
    if dict_data(o).is_empty() {
        out.push_str("{}");
        return Ok(());
    }
    let key = enter_marker(vm, e, o)?;
    out.push_str("{");
    let exact = type_of(o).is(&vm.types.dict);
    let mut items: Vec<(Obj, Obj)> = if exact {
        dict_items(o)
    } else {
        // `PyMapping_Items`: a subclass's own `items()`.
        let r = util::call_method(vm, o, "items", &[])?;
        let mut v = Vec::new();
        for it in util::collect(vm, &r)? {
            let pair = util::collect(vm, &it)?;
            if pair.len() != 2 {
                return Err(vm.new_error(&vm.types.value_error, "items must return 2-tuples"));
            }
            v.push((pair[0].clone(), pair[1].clone()));
        }
        v
    };
    if e.sort_keys {
        let tuples: Vec<Obj> = items.iter().map(|(k, v)| new_tuple(vm, vec![k.clone(), v.clone()])).collect();
        let list = new_list(vm, tuples);
        util::call_method(vm, &list, "sort", &[])?;
        items = list_items(vm, &list)?
            .borrow()
            .iter()
            .filter_map(|t| t.downcast::<TupleData>().map(|t| (t.items[0].clone(), t.items[1].clone())))
            .collect();
    }
    let item_sep = str_data(&e.item_separator);
    let key_sep = str_data(&e.key_separator);
    let mut first = true;
    for (k, v) in items {
        let kstr: Obj = if k.downcast::<StrData>().is_some() {
            k.clone()
        } else if let Some(f) = k.downcast::<f64>() {
            new_str(vm, &float_json(vm, e, &k, *f)?)
        } else if k.is(&vm.bool(true)) {
            new_str(vm, "true")
        } else if k.is(&vm.bool(false)) {
            new_str(vm, "false")
        } else if k.is(&vm.none) {
            new_str(vm, "null")
        } else if let Some(i) = int_data(&k) {
            new_str(vm, &int_to_decimal(vm, i)?)
        } else if e.skipkeys {
            continue;
        } else {
            return Err(vm.type_error(format!("keys must be str, int, float, bool or None, not {}", type_name(&k))));
        };
        if !first {
            out.push_wtf8(&item_sep.value);
        }
        first = false;
        encode_string(vm, e, out, &kstr)?;
        out.push_wtf8(&key_sep.value);
        encode_obj(vm, e, out, &v)?;
    }
    leave_marker(vm, e, key)?;
    out.push_str("}");
    Ok(())
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("encode_basestring_ascii", py_encode_basestring_ascii, "encode_basestring_ascii(string) -> string\n\nReturn an ASCII-only JSON representation of a Python string"),
    FunctionDef::new("encode_basestring", py_encode_basestring, "encode_basestring(string) -> string\n\nReturn a JSON representation of a Python string"),
    FunctionDef::new("scanstring", py_scanstring, "scanstring(string, end, strict=True) -> (string, end)\n\nScan the string s for a JSON string. End is the index of the\ncharacter in s after the quote that started the JSON string.\nUnescapes all valid JSON string escape sequences and raises ValueError\non attempt to decode an invalid string. If strict is False then literal\ncontrol characters are allowed in the string.\n\nReturns a tuple of the decoded string and the index of the character in s\nafter the end quote."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "__doc__", new_str(vm, "json speedups\n"))?;
    add_attr(vm, m, "make_scanner", scanner_type(vm))?;
    add_attr(vm, m, "make_encoder", encoder_type(vm))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(s: &str, ascii: bool) -> String {
        let mut out = Wtf8Buf::new();
        encode_str_into(&StrData::new(Wtf8Buf::from_str(s)), ascii, &mut out);
        String::from_utf8(out.as_bytes().to_vec()).unwrap_or_default()
    }

    #[test]
    fn hex_escapes() {
        assert_eq!(hex4(b"\\u00e9", 2), Some(0xe9));
        assert_eq!(hex4(b"ABCD", 0), Some(0xabcd));
        assert_eq!(hex4(b"12g4", 0), None);
        assert_eq!(hex4(b"123", 0), None);
    }

    #[test]
    fn string_encoding() {
        assert_eq!(encoded("a\"b\\c\n\u{1}", false), "\"a\\\"b\\\\c\\n\\u0001\"");
        assert_eq!(encoded("é\u{1f600}", false), "\"é\u{1f600}\"");
        assert_eq!(encoded("é\u{1f600}\u{7f}", true), "\"\\u00e9\\ud83d\\ude00\\u007f\"");
        assert_eq!(encoded("", true), "\"\"");
    }
}
