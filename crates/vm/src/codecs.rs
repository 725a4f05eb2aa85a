//! Text encodings: `str.encode`, `bytes.decode`, `str(b, encoding)`.
//!
//! The codecs CPython builds into its core (UTF-8, ASCII, Latin-1, UTF-16
//! and UTF-32 in both byte orders) with the standard error handlers
//! (`strict`, `ignore`, `replace`, `backslashreplace`, `surrogateescape`,
//! `surrogatepass`, `xmlcharrefreplace`, `namereplace`), CPython's
//! encoding-name normalisation and aliases, and its `UnicodeEncodeError` /
//! `UnicodeDecodeError` ranges and reasons.

use crate::native::{bind, Params};
use crate::object::Obj;
use crate::types::builtin::{new_str, new_str_wtf8, str_data, type_name, StrData};
use crate::types::Kwargs;
use crate::vm::Vm;
use crate::{PyErr, PyResult};
use taipan_parser::wtf8::Wtf8Buf;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endian {
    /// `utf-16` / `utf-32`: a BOM on encoding; on decoding a BOM chooses
    /// the order, little-endian without one.
    Bom,
    Little,
    Big,
}

/// The built-in codecs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Codec {
    Utf8,
    Ascii,
    Latin1,
    Utf16(Endian),
    Utf32(Endian),
}

impl Codec {
    /// The codec's name in error messages.
    pub fn name(self) -> &'static str {
        match self {
            Codec::Utf8 => "utf-8",
            Codec::Ascii => "ascii",
            Codec::Latin1 => "latin-1",
            Codec::Utf16(Endian::Bom) => "utf-16",
            Codec::Utf16(Endian::Little) => "utf-16-le",
            Codec::Utf16(Endian::Big) => "utf-16-be",
            Codec::Utf32(Endian::Bom) => "utf-32",
            Codec::Utf32(Endian::Little) => "utf-32-le",
            Codec::Utf32(Endian::Big) => "utf-32-be",
        }
    }
}

/// `encodings.normalize_encoding` followed by the alias table: runs of
/// characters other than letters, digits and `.` become one `_`, leading
/// and trailing ones dropped, ASCII lower-cased.
pub fn lookup(name: &str) -> Option<Codec> {
    let mut norm = String::new();
    let mut pending = false;
    for c in name.chars() {
        if c.is_alphanumeric() || c == '.' {
            if pending && !norm.is_empty() {
                norm.push('_');
            }
            norm.push(c.to_ascii_lowercase());
            pending = false;
        } else {
            pending = true;
        }
    }
    Some(match norm.as_str() {
        "utf_8" | "u8" | "utf" | "utf8" | "utf8_ucs2" | "utf8_ucs4" | "cp65001" => Codec::Utf8,
        "ascii" | "646" | "ansi_x3.4_1968" | "ansi_x3_4_1968" | "ansi_x3.4_1986" | "cp367" | "csascii" | "ibm367" | "iso646_us"
        | "iso_646.irv_1991" | "iso_ir_6" | "us" | "us_ascii" => Codec::Ascii,
        "latin_1" | "8859" | "cp819" | "csisolatin1" | "ibm819" | "iso8859" | "iso8859_1" | "iso_8859_1" | "iso_8859_1_1987"
        | "iso_ir_100" | "l1" | "latin" | "latin1" => Codec::Latin1,
        "utf_16" | "u16" | "utf16" => Codec::Utf16(Endian::Bom),
        "utf_16_le" | "utf_16le" | "unicodelittleunmarked" => Codec::Utf16(Endian::Little),
        "utf_16_be" | "utf_16be" | "unicodebigunmarked" => Codec::Utf16(Endian::Big),
        "utf_32" | "u32" | "utf32" => Codec::Utf32(Endian::Bom),
        "utf_32_le" | "utf_32le" => Codec::Utf32(Endian::Little),
        "utf_32_be" | "utf_32be" => Codec::Utf32(Endian::Big),
        _ => return None,
    })
}

fn lookup_or_raise(vm: &Vm, encoding: &str) -> PyResult<Codec> {
    lookup(encoding).ok_or_else(|| vm.new_error(&vm.types.lookup_error, format!("unknown encoding: {encoding}")))
}

/// The standard error handlers, and any other registered with
/// `codecs.register_error` (called with the UnicodeError).
#[derive(Clone)]
enum Handler {
    Strict,
    Ignore,
    Replace,
    BackslashReplace,
    SurrogateEscape,
    SurrogatePass,
    XmlCharRefReplace,
    NameReplace,
    Custom(Obj),
}

fn handler(vm: &Vm, errors: &str) -> PyResult<Handler> {
    Ok(match errors {
        "strict" => Handler::Strict,
        "ignore" => Handler::Ignore,
        "replace" => Handler::Replace,
        "backslashreplace" => Handler::BackslashReplace,
        "surrogateescape" => Handler::SurrogateEscape,
        "surrogatepass" => Handler::SurrogatePass,
        "xmlcharrefreplace" => Handler::XmlCharRefReplace,
        "namereplace" => Handler::NameReplace,
        _ => Handler::Custom(registered_handler(vm, errors)?),
    })
}

/// `codecs.lookup_error(name)`: the registry lives in `_codecs`; without it
/// only the standard names exist.
fn registered_handler(vm: &Vm, name: &str) -> PyResult<Obj> {
    let unknown = || vm.new_error(&vm.types.lookup_error, format!("unknown error handler name '{name}'"));
    let Ok(codecs) = crate::import::import_absolute(vm, "_codecs") else { return Err(unknown()) };
    let lookup = crate::classes::getattr(vm, &codecs, &vm.intern("lookup_error"))?;
    crate::classes::call_object(vm, &lookup, &[new_str(vm, name)])
}

/// Calls a registered handler with the error: its replacement (str, or
/// also bytes when `encoding`) and the position to resume at, not yet
/// checked against the input's length (a decode handler may replace the
/// input through `exc.object`).
fn call_custom(vm: &Vm, f: &Obj, exc: &Obj, encoding: bool) -> PyResult<(Obj, i64)> {
    call_handler_object(vm, f, exc, encoding, bad_result_message(encoding), false)
}

fn bad_result_message(encoding: bool) -> &'static str {
    if encoding {
        "encoding error handler must return (str/bytes, int) tuple"
    } else {
        "decoding error handler must return (str, int) tuple"
    }
}

/// Looks up the error handler registered as `errors` and calls it with
/// `exc`: its replacement and raw resume position (see `resume_position`).
pub fn call_error_handler(vm: &Vm, errors: &str, exc: &Obj, encoding: bool) -> PyResult<(Obj, i64)> {
    call_custom(vm, &registered_handler(vm, errors)?, exc, encoding)
}

/// `call_error_handler` for codecs whose TypeError for a malformed result
/// is worded differently (CPython's multibyte codecs say "(str, int)" even
/// though they take bytes, and take a position too large for an index as
/// out of bounds rather than an overflow).
pub fn call_error_handler_worded(vm: &Vm, errors: &str, exc: &Obj, accept_bytes: bool, bad_result: &'static str) -> PyResult<(Obj, i64)> {
    let f = registered_handler(vm, errors)?;
    call_handler_object(vm, &f, exc, accept_bytes, bad_result, true)
}

fn call_handler_object(
    vm: &Vm,
    f: &Obj,
    exc: &Obj,
    accept_bytes: bool,
    bad_result: &'static str,
    clamp_huge: bool,
) -> PyResult<(Obj, i64)> {
    let r = crate::classes::call_object(vm, f, std::slice::from_ref(exc))?;
    let bad = || vm.type_error(bad_result);
    let items = r.downcast::<crate::types::builtin::TupleData>().map(|t| t.items.to_vec()).ok_or_else(bad)?;
    let [rep, pos] = items.as_slice() else { return Err(bad()) };
    let rep_ok = rep.downcast::<StrData>().is_some() || (accept_bytes && crate::types::builtin::bytes_data(rep).is_some());
    let Some(pos) = crate::types::int::int_data(pos).filter(|_| rep_ok) else { return Err(bad()) };
    let big = pos.to_big();
    let pos = match i64::try_from(&big) {
        Ok(p) => p,
        Err(_) if clamp_huge => {
            if big.sign() == num_bigint::Sign::Minus {
                i64::MIN / 2
            } else {
                i64::MAX / 2
            }
        }
        Err(_) => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C ssize_t")),
    };
    Ok((rep.clone(), pos))
}

/// Runs the decode error handler registered as `errors` on `exc` (a
/// UnicodeDecodeError about `input`): the replacement, where to resume,
/// and the new input if the handler replaced `exc.object`.
pub fn run_decode_handler(vm: &Vm, errors: &str, exc: &Obj, input: &[u8]) -> PyResult<(Wtf8Buf, usize, Option<Vec<u8>>)> {
    let f = registered_handler(vm, errors)?;
    decode_with_handler(vm, &f, exc, input)
}

fn decode_with_handler(vm: &Vm, f: &Obj, exc: &Obj, input: &[u8]) -> PyResult<(Wtf8Buf, usize, Option<Vec<u8>>)> {
    let (rep, pos) = call_custom(vm, f, exc, false)?;
    let object = crate::classes::getattr(vm, exc, &vm.intern("object"))?;
    let Some(now) = crate::types::builtin::bytes_data(&object).filter(|_| object.downcast::<crate::types::bytes::BytesData>().is_some())
    else {
        return Err(vm.type_error("exception attribute object must be bytes"));
    };
    let new_input = (now != input).then(|| now.to_vec());
    let len = new_input.as_ref().map_or(input.len(), Vec::len);
    Ok((str_data(&rep).value.clone(), resume_position(vm, pos, len)?, new_input))
}

/// A handler's resume position: negative counts from the end.
pub fn resume_position(vm: &Vm, p: i64, len: usize) -> PyResult<usize> {
    let p = if p < 0 { p + len as i64 } else { p };
    if p < 0 || p > len as i64 {
        return Err(vm.new_error(&vm.types.index_error, format!("position {p} from error handler out of bounds")));
    }
    Ok(p as usize)
}

fn is_surrogate(cp: u32) -> bool {
    (0xD800..0xE000).contains(&cp)
}

/// Appends `cp` encoded by a multi-byte `codec` (no checks).
fn push_unit(codec: Codec, out: &mut Vec<u8>, cp: u32) {
    match codec {
        Codec::Utf8 => {
            if cp < 0x80 {
                out.push(cp as u8);
            } else if cp < 0x800 {
                out.extend([0xC0 | (cp >> 6) as u8, 0x80 | (cp & 0x3F) as u8]);
            } else if cp < 0x10000 {
                out.extend([0xE0 | (cp >> 12) as u8, 0x80 | ((cp >> 6) & 0x3F) as u8, 0x80 | (cp & 0x3F) as u8]);
            } else {
                out.extend([
                    0xF0 | (cp >> 18) as u8,
                    0x80 | ((cp >> 12) & 0x3F) as u8,
                    0x80 | ((cp >> 6) & 0x3F) as u8,
                    0x80 | (cp & 0x3F) as u8,
                ]);
            }
        }
        Codec::Ascii | Codec::Latin1 => out.push(cp as u8),
        Codec::Utf16(e) => {
            let mut unit = |u: u16| match e {
                Endian::Big => out.extend(u.to_be_bytes()),
                _ => out.extend(u.to_le_bytes()),
            };
            if cp >= 0x10000 {
                let v = cp - 0x10000;
                unit(0xD800 | (v >> 10) as u16);
                unit(0xDC00 | (v & 0x3FF) as u16);
            } else {
                unit(cp as u16);
            }
        }
        Codec::Utf32(Endian::Big) => out.extend(cp.to_be_bytes()),
        Codec::Utf32(_) => out.extend(cp.to_le_bytes()),
    }
}

fn can_encode(codec: Codec, cp: u32) -> bool {
    match codec {
        Codec::Ascii => cp < 0x80,
        Codec::Latin1 => cp < 0x100,
        _ => !is_surrogate(cp),
    }
}

fn encode_reason(codec: Codec) -> &'static str {
    match codec {
        Codec::Ascii => "ordinal not in range(128)",
        Codec::Latin1 => "ordinal not in range(256)",
        _ => "surrogates not allowed",
    }
}

/// Python's `\x`/`\u`/`\U` escape of one code point (the shortest form).
fn backslash_escape(out: &mut String, cp: u32) {
    use std::fmt::Write;
    let _ = if cp < 0x100 {
        write!(out, "\\x{cp:02x}")
    } else if cp < 0x10000 {
        write!(out, "\\u{cp:04x}")
    } else {
        write!(out, "\\U{cp:08x}")
    };
}

/// The ASCII text the standard encode error handlers put in place of
/// `chars`: `replace`, `backslashreplace`, `xmlcharrefreplace` and
/// `namereplace` (None for other names).
pub fn replacement_text(handler: &str, chars: &[u32]) -> Option<String> {
    let mut text = String::new();
    match handler {
        "replace" => text.extend(std::iter::repeat_n('?', chars.len())),
        "backslashreplace" => chars.iter().for_each(|&c| backslash_escape(&mut text, c)),
        "xmlcharrefreplace" => chars.iter().for_each(|c| text.push_str(&format!("&#{c};"))),
        "namereplace" => {
            for &c in chars {
                match taipan_parser::unicode::name_of(c) {
                    Some(n) => text.push_str(&format!("\\N{{{n}}}")),
                    None => backslash_escape(&mut text, c),
                }
            }
        }
        _ => return None,
    }
    Some(text)
}

/// Encodes `s` with `encoding` and error handler `errors`.
pub fn encode(vm: &Vm, s: &Wtf8Buf, encoding: &str, errors: &str) -> PyResult<Vec<u8>> {
    let codec = lookup_or_raise(vm, encoding)?;
    if codec == Codec::Utf8 {
        if let Some(text) = s.as_str() {
            return Ok(text.as_bytes().to_vec());
        }
    }
    let cps: Vec<u32> = s.code_points().collect();
    let mut out = Vec::with_capacity(cps.len());
    match codec {
        Codec::Utf16(Endian::Bom) => out.extend([0xFF, 0xFE]),
        Codec::Utf32(Endian::Bom) => out.extend([0xFF, 0xFE, 0, 0]),
        _ => {}
    }
    let unit_codec = match codec {
        Codec::Utf16(Endian::Bom) => Codec::Utf16(Endian::Little),
        Codec::Utf32(Endian::Bom) => Codec::Utf32(Endian::Little),
        c => c,
    };
    let mut h: Option<Handler> = None;
    let mut i = 0;
    while i < cps.len() {
        let cp = cps[i];
        if can_encode(codec, cp) {
            push_unit(unit_codec, &mut out, cp);
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        while end < cps.len() && !can_encode(codec, cps[end]) {
            end += 1;
        }
        let hd = match &h {
            Some(hd) => hd,
            None => h.insert(handler(vm, errors)?),
        };
        let fail = |vm: &Vm, a: usize, b: usize| encode_error(vm, codec, s, a, b);
        let mut text = String::new();
        match hd {
            Handler::Custom(f) => {
                let (rep, pos) = call_custom(vm, f, &fail(vm, start, end).exc, true)?;
                let pos = resume_position(vm, pos, cps.len())?;
                if let Some(bytes) = crate::types::builtin::bytes_data(&rep) {
                    // Bytes go in as they are, but only whole code units.
                    let unit = match unit_codec {
                        Codec::Utf16(_) => 2,
                        Codec::Utf32(_) => 4,
                        _ => 1,
                    };
                    if bytes.len() % unit != 0 {
                        return Err(fail(vm, start, end));
                    }
                    out.extend_from_slice(bytes);
                } else {
                    // A str replacement must itself be encodable: Latin-1
                    // takes it up to U+00FF, the others only ASCII.
                    let limit = if codec == Codec::Latin1 { 0x100 } else { 0x80 };
                    for c in str_data(&rep).value.code_points() {
                        if c >= limit {
                            return Err(fail(vm, start, end));
                        }
                        push_unit(unit_codec, &mut out, c);
                    }
                }
                i = pos;
                continue;
            }
            Handler::Strict => return Err(fail(vm, start, end)),
            Handler::Ignore => {}
            Handler::Replace => text = replacement_text("replace", &cps[start..end]).unwrap_or_default(),
            Handler::BackslashReplace => text = replacement_text("backslashreplace", &cps[start..end]).unwrap_or_default(),
            Handler::XmlCharRefReplace => text = replacement_text("xmlcharrefreplace", &cps[start..end]).unwrap_or_default(),
            Handler::NameReplace => text = replacement_text("namereplace", &cps[start..end]).unwrap_or_default(),
            Handler::SurrogateEscape => {
                for (k, &c) in cps[start..end].iter().enumerate() {
                    if !(0xDC80..0xDD00).contains(&c) {
                        return Err(fail(vm, start + k, end));
                    }
                    out.push((c - 0xDC00) as u8);
                }
            }
            Handler::SurrogatePass => {
                if matches!(codec, Codec::Ascii | Codec::Latin1) {
                    return Err(fail(vm, start, end));
                }
                for &c in &cps[start..end] {
                    match unit_codec {
                        Codec::Utf16(Endian::Big) => out.extend((c as u16).to_be_bytes()),
                        Codec::Utf16(_) => out.extend((c as u16).to_le_bytes()),
                        _ => push_unit(unit_codec, &mut out, c),
                    }
                }
            }
        }
        // Replacement text is ASCII: every codec encodes it.
        for c in text.chars() {
            push_unit(unit_codec, &mut out, c as u32);
        }
        i = end;
    }
    Ok(out)
}

/// One decoding problem: the byte range and the reason.
struct DecodeFault {
    start: usize,
    end: usize,
    reason: &'static str,
}

fn fault(start: usize, end: usize, reason: &'static str) -> DecodeFault {
    DecodeFault { start, end, reason }
}

/// Decodes the UTF-8 sequence at `b[i..]`: the code point and its length,
/// or the fault (CPython's ranges: the maximal valid prefix).
fn utf8_step(b: &[u8], i: usize) -> Result<(u32, usize), DecodeFault> {
    let c = b[i];
    if c < 0x80 {
        return Ok((c as u32, 1));
    }
    let (n, lo, hi) = match c {
        0xC2..=0xDF => (2, 0x80, 0xBF),
        0xE0 => (3, 0xA0, 0xBF),
        0xED => (3, 0x80, 0x9F),
        0xE1..=0xEF => (3, 0x80, 0xBF),
        0xF0 => (4, 0x90, 0xBF),
        0xF1..=0xF3 => (4, 0x80, 0xBF),
        0xF4 => (4, 0x80, 0x8F),
        _ => return Err(fault(i, i + 1, "invalid start byte")),
    };
    let mut cp = (c as u32) & (0x7F >> n);
    for k in 1..n {
        let Some(&x) = b.get(i + k) else { return Err(fault(i, b.len(), "unexpected end of data")) };
        let (l, h) = if k == 1 { (lo, hi) } else { (0x80, 0xBF) };
        if !(l..=h).contains(&x) {
            return Err(fault(i, i + k, "invalid continuation byte"));
        }
        cp = (cp << 6) | (x as u32 & 0x3F);
    }
    Ok((cp, n))
}

/// Decodes `b` with `encoding` and error handler `errors`.
pub fn decode(vm: &Vm, input: &[u8], encoding: &str, errors: &str) -> PyResult<Wtf8Buf> {
    let mut b = input;
    let mut codec = lookup_or_raise(vm, encoding)?;
    if codec == Codec::Utf8 {
        if let Ok(text) = std::str::from_utf8(b) {
            return Ok(Wtf8Buf::from_str(text));
        }
    }
    let mut i = 0;
    // The byte-order mark of `utf-16` / `utf-32`.
    match codec {
        Codec::Utf16(Endian::Bom) => {
            codec = if b.starts_with(&[0xFE, 0xFF]) { Codec::Utf16(Endian::Big) } else { Codec::Utf16(Endian::Little) };
            if b.starts_with(&[0xFE, 0xFF]) || b.starts_with(&[0xFF, 0xFE]) {
                i = 2;
            }
        }
        Codec::Utf32(Endian::Bom) => {
            codec = if b.starts_with(&[0, 0, 0xFE, 0xFF]) { Codec::Utf32(Endian::Big) } else { Codec::Utf32(Endian::Little) };
            if b.starts_with(&[0, 0, 0xFE, 0xFF]) || b.starts_with(&[0xFF, 0xFE, 0, 0]) {
                i = 4;
            }
        }
        _ => {}
    }
    let mut out = Wtf8Buf::new();
    let mut h: Option<Handler> = None;
    // Set when an error handler replaces the input (`exc.object = ...`).
    let mut replaced: Option<Vec<u8>> = None;
    let mut owned: Vec<u8>;
    loop {
        if let Some(new_input) = replaced.take() {
            owned = new_input;
            b = &owned;
        }
        if i >= b.len() {
            break;
        }
        let step: Result<(u32, usize), DecodeFault> = match codec {
            Codec::Utf8 => utf8_step(b, i),
            Codec::Ascii if b[i] < 0x80 => Ok((b[i] as u32, 1)),
            Codec::Ascii => Err(fault(i, i + 1, "ordinal not in range(128)")),
            Codec::Latin1 => Ok((b[i] as u32, 1)),
            Codec::Utf16(e) => utf16_step(b, i, e),
            Codec::Utf32(e) => utf32_step(b, i, e),
        };
        let f = match step {
            Ok((cp, n)) => {
                out.push_code_point(cp);
                i += n;
                continue;
            }
            Err(f) => f,
        };
        let hd = match &h {
            Some(hd) => hd,
            None => h.insert(handler(vm, errors)?),
        };
        let fail = |vm: &Vm| decode_error(vm, codec, b, f.start, f.end, f.reason);
        i = match hd {
            Handler::Custom(handler) => {
                let (text, pos, new_input) = decode_with_handler(vm, handler, &fail(vm).exc, b)?;
                out.push_wtf8(&text);
                replaced = new_input;
                pos
            }
            Handler::Strict => return Err(fail(vm)),
            Handler::Ignore => f.end,
            Handler::Replace => {
                out.push_code_point(0xFFFD);
                f.end
            }
            Handler::BackslashReplace => {
                let mut s = String::new();
                b[f.start..f.end].iter().for_each(|&x| backslash_escape(&mut s, x as u32));
                out.push_str(&s);
                f.end
            }
            Handler::SurrogateEscape => {
                let mut k = f.start;
                while k < f.end && k < f.start + 4 && b[k] >= 0x80 {
                    out.push_code_point(0xDC00 + b[k] as u32);
                    k += 1;
                }
                if k == f.start {
                    return Err(fail(vm));
                }
                k
            }
            Handler::SurrogatePass => match surrogate_at(codec, b, f.start) {
                Some((cp, n)) => {
                    out.push_code_point(cp);
                    f.start + n
                }
                None => return Err(fail(vm)),
            },
            Handler::XmlCharRefReplace | Handler::NameReplace => {
                return Err(vm.type_error("don't know how to handle UnicodeDecodeError in error callback"))
            }
        };
    }
    Ok(out)
}

fn unit16(b: &[u8], i: usize, e: Endian) -> u32 {
    let pair = [b[i], b[i + 1]];
    (if e == Endian::Big { u16::from_be_bytes(pair) } else { u16::from_le_bytes(pair) }) as u32
}

fn utf16_step(b: &[u8], i: usize, e: Endian) -> Result<(u32, usize), DecodeFault> {
    if i + 2 > b.len() {
        return Err(fault(i, b.len(), "truncated data"));
    }
    let u = unit16(b, i, e);
    if !is_surrogate(u) {
        return Ok((u, 2));
    }
    if u >= 0xDC00 {
        return Err(fault(i, i + 2, "illegal encoding"));
    }
    if i + 4 > b.len() {
        return Err(fault(i, b.len(), "unexpected end of data"));
    }
    let v = unit16(b, i + 2, e);
    if !(0xDC00..0xE000).contains(&v) {
        return Err(fault(i, i + 2, "illegal UTF-16 surrogate"));
    }
    Ok((0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00), 4))
}

fn unit32(b: &[u8], i: usize, e: Endian) -> u32 {
    let q = [b[i], b[i + 1], b[i + 2], b[i + 3]];
    if e == Endian::Big {
        u32::from_be_bytes(q)
    } else {
        u32::from_le_bytes(q)
    }
}

fn utf32_step(b: &[u8], i: usize, e: Endian) -> Result<(u32, usize), DecodeFault> {
    if i + 4 > b.len() {
        return Err(fault(i, b.len(), "truncated data"));
    }
    let u = unit32(b, i, e);
    if u >= 0x110000 {
        return Err(fault(i, i + 4, "code point not in range(0x110000)"));
    }
    if is_surrogate(u) {
        return Err(fault(i, i + 4, "code point in surrogate code point range(0xd800, 0xe000)"));
    }
    Ok((u, 4))
}

/// The surrogate encoded at `b[i..]` by `codec`, for `surrogatepass`.
fn surrogate_at(codec: Codec, b: &[u8], i: usize) -> Option<(u32, usize)> {
    let cp_n = match codec {
        Codec::Utf8 => {
            let s = b.get(i..i + 3)?;
            (s[0] == 0xED && (0xA0..0xC0).contains(&s[1]) && (0x80..0xC0).contains(&s[2]))
                .then(|| ((0xD << 12) | ((s[1] as u32 & 0x3F) << 6) | (s[2] as u32 & 0x3F), 3))?
        }
        Codec::Utf16(e) if i + 2 <= b.len() => (unit16(b, i, e), 2),
        Codec::Utf32(e) if i + 4 <= b.len() => (unit32(b, i, e), 4),
        _ => return None,
    };
    is_surrogate(cp_n.0).then_some(cp_n)
}

// ---- The exceptions -------------------------------------------------------

/// A UnicodeEncodeError / UnicodeDecodeError of type `ty`, made by calling
/// the type (so its `__init__` checks and converts the arguments).
pub fn unicode_error(vm: &Vm, ty: &Obj, encoding: &str, object: Obj, start: usize, end: usize, reason: &str) -> PyErr {
    let args = [new_str(vm, encoding), object, vm.int(start as i64), vm.int(end as i64), new_str(vm, reason)];
    match crate::classes::call_object(vm, ty, &args) {
        Ok(exc) => PyErr { exc },
        Err(e) => e,
    }
}

fn encode_error(vm: &Vm, codec: Codec, s: &Wtf8Buf, start: usize, end: usize) -> PyErr {
    let object = new_str_wtf8(vm, s.clone());
    unicode_error(vm, &vm.types.unicode_encode_error, codec.name(), object, start, end, encode_reason(codec))
}

fn decode_error(vm: &Vm, codec: Codec, b: &[u8], start: usize, end: usize, reason: &str) -> PyErr {
    let object = crate::types::bytes::new_bytes(vm, b.to_vec());
    unicode_error(vm, &vm.types.unicode_decode_error, codec.name(), object, start, end, reason)
}

// ---- Python-level entry points --------------------------------------------

/// The `encoding` and `errors` arguments as strs (CPython's type check).
fn codec_args(vm: &Vm, fname: &str, encoding: Option<Obj>, errors: Option<Obj>) -> PyResult<(String, String)> {
    let get = |o: Option<Obj>, what: &str, default: &str| -> PyResult<String> {
        match o {
            None => Ok(default.to_string()),
            Some(o) => match o.downcast::<StrData>() {
                Some(s) => Ok(s.as_str().into_owned()),
                None => Err(vm.type_error(format!("{fname}() argument '{what}' must be str, not {}", type_name(&o)))),
            },
        }
    };
    Ok((get(encoding, "encoding", "utf-8")?, get(errors, "errors", "strict")?))
}

/// Encodes or decodes (`which`) with a codec the vm does not implement,
/// through the codec registry (`_codecs.encode`/`decode`, e.g. `cp1252`
/// from the `encodings` package); the result must be bytes / str.
fn via_registry(vm: &Vm, which: &str, obj: &Obj, encoding: &str, errors: &str) -> PyResult<Obj> {
    let Ok(m) = crate::import::import_absolute(vm, "_codecs") else {
        return Err(vm.new_error(&vm.types.lookup_error, format!("unknown encoding: {encoding}")));
    };
    let look = crate::classes::getattr(vm, &m, &vm.intern("lookup"))?;
    let info = crate::classes::call_object(vm, &look, &[new_str(vm, encoding)])?;
    if let Some(t) = crate::classes::getattr_opt(vm, &info, &vm.intern("_is_text_encoding"))? {
        if !crate::ops::truth(vm, &t)? {
            return Err(vm.new_error(
                &vm.types.lookup_error,
                format!("'{encoding}' is not a text encoding; use codecs.{which}() to handle arbitrary codecs"),
            ));
        }
    }
    let f = crate::classes::getattr(vm, &m, &vm.intern(which))?;
    let r = crate::classes::call_object(vm, &f, &[obj.clone(), new_str(vm, encoding), new_str(vm, errors)])?;
    let ok = if which == "encode" { r.downcast::<crate::types::bytes::BytesData>().is_some() } else { r.downcast::<StrData>().is_some() };
    if !ok {
        let (what, want, how) = if which == "encode" { ("encoder", "bytes", "encode") } else { ("decoder", "str", "decode") };
        return Err(vm.type_error(format!(
            "'{encoding}' {what} returned '{}' instead of '{want}'; use codecs.{how}() to {how} to arbitrary types",
            type_name(&r)
        )));
    }
    Ok(r)
}

/// Whether CPython's `str.encode`/`bytes.decode`/`str()` run the codec
/// directly (the names it normalises to UTF-8/16/32, ASCII or Latin-1)
/// rather than through the registry, whose failures it wraps.
fn is_fast_path(encoding: &str) -> bool {
    let mut norm = String::new();
    let mut punct = false;
    for c in encoding.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            if punct && !norm.is_empty() {
                norm.push('_');
            }
            punct = false;
            norm.push(c.to_ascii_lowercase());
        } else {
            punct = true;
        }
    }
    matches!(
        norm.as_str(),
        "utf8"
            | "utf_8"
            | "utf16"
            | "utf_16"
            | "utf32"
            | "utf_32"
            | "ascii"
            | "us_ascii"
            | "latin1"
            | "latin_1"
            | "iso_8859_1"
            | "iso8859_1"
    )
}

/// A codec's failure as the registry reports it: "encoding with 'X' codec
/// failed (TypeError: ...)" when the exception can be re-created.
pub fn wrap_failure(vm: &Vm, which: &str, encoding: &str, e: PyErr) -> PyErr {
    crate::types::exceptions::rewrap_with_prefix(vm, e, &format!("{which} with '{encoding}' codec failed"))
}

/// `encode` for `str.encode` and friends: wrapped failures unless the name
/// is one of CPython's fast paths.
fn encode_wrapped(vm: &Vm, s: &Wtf8Buf, encoding: &str, errors: &str) -> PyResult<Vec<u8>> {
    encode(vm, s, encoding, errors).map_err(|e| if is_fast_path(encoding) { e } else { wrap_failure(vm, "encoding", encoding, e) })
}

fn decode_wrapped(vm: &Vm, b: &[u8], encoding: &str, errors: &str) -> PyResult<Wtf8Buf> {
    decode(vm, b, encoding, errors).map_err(|e| if is_fast_path(encoding) { e } else { wrap_failure(vm, "decoding", encoding, e) })
}

/// Encodes `s` (a str object) to bytes with any codec: the vm's own, or
/// one found through the codec registry (`bytes(s, 'cp1252')`).
pub fn encode_obj(vm: &Vm, s: &Obj, encoding: &str, errors: &str) -> PyResult<Vec<u8>> {
    if lookup(encoding).is_none() {
        let r = via_registry(vm, "encode", s, encoding, errors)?;
        return Ok(crate::types::bytes::as_buffer(&r).map(|b| b.into_owned()).unwrap_or_default());
    }
    encode_wrapped(vm, &str_data(s).value, encoding, errors)
}

/// `str.encode(encoding='utf-8', errors='strict')`.
pub fn str_encode(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "encode", names: &["encoding", "errors"], posonly: 0, kwonly: 0, required: 0 };
    let [encoding, errors] = bind::<2>(vm, &P, args, kw)?;
    let (encoding, errors) = codec_args(vm, "encode", encoding, errors)?;
    if lookup(&encoding).is_none() {
        return via_registry(vm, "encode", this, &encoding, &errors);
    }
    let s = &str_data(this).value;
    Ok(crate::types::bytes::new_bytes(vm, encode_wrapped(vm, s, &encoding, &errors)?))
}

/// `bytes.decode` / `bytearray.decode`.
pub fn bytes_decode(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "decode", names: &["encoding", "errors"], posonly: 0, kwonly: 0, required: 0 };
    let [encoding, errors] = bind::<2>(vm, &P, args, kw)?;
    let (encoding, errors) = codec_args(vm, "decode", encoding, errors)?;
    if lookup(&encoding).is_none() {
        return via_registry(vm, "decode", this, &encoding, &errors);
    }
    let data = crate::types::bytes::as_buffer(this).map(|b| b.into_owned()).unwrap_or_default();
    Ok(new_str_wtf8(vm, decode_wrapped(vm, &data, &encoding, &errors)?))
}

/// `str(object, encoding, errors)` when an encoding or error handler is
/// given: the hook `str`'s constructor calls.
pub fn str_from_encoded(vm: &Vm, object: &Obj, encoding: Option<Obj>, errors: Option<Obj>) -> PyResult<Obj> {
    let (encoding, errors) = codec_args(vm, "str", encoding, errors)?;
    if object.downcast::<StrData>().is_some() {
        return Err(vm.type_error("decoding str is not supported"));
    }
    let Some(data) = crate::types::bytes::as_buffer(object) else {
        return Err(vm.type_error(format!("decoding to str: need a bytes-like object, {} found", type_name(object))));
    };
    if lookup(&encoding).is_none() {
        return via_registry(vm, "decode", object, &encoding, &errors);
    }
    let data = data.into_owned();
    Ok(new_str_wtf8(vm, decode_wrapped(vm, &data, &encoding, &errors)?))
}

/// Methods this module adds to `str`.
pub static STR_CODEC_METHODS: &[crate::native::MethodDef] =
    &[crate::native::MethodDef::method("encode", str_encode, "Encode the string using the codec registered for encoding.")];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise() {
        assert_eq!(lookup("UTF8"), Some(Codec::Utf8));
        assert_eq!(lookup(" utf_8 "), Some(Codec::Utf8));
        assert_eq!(lookup("Latin-1"), Some(Codec::Latin1));
        assert_eq!(lookup("L1"), Some(Codec::Latin1));
        assert_eq!(lookup("UTF-16LE"), Some(Codec::Utf16(Endian::Little)));
        assert_eq!(lookup("cp1252x"), None);
    }

    #[test]
    fn utf8_fault_ranges() {
        let f = utf8_step(b"\xf0\x90\x80a", 0).err().map(|f| (f.start, f.end, f.reason));
        assert_eq!(f, Some((0, 3, "invalid continuation byte")));
        let f = utf8_step(b"\xe0", 0).err().map(|f| (f.start, f.end, f.reason));
        assert_eq!(f, Some((0, 1, "unexpected end of data")));
        assert_eq!(utf8_step("\u{20ac}".as_bytes(), 0).ok(), Some((0x20AC, 3)));
    }
}
