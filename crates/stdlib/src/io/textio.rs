//! `_io.TextIOWrapper` (text over a buffered byte stream: encoding,
//! newline translation, line buffering, tell/seek) and
//! `_io.IncrementalNewlineDecoder`.
//!
//! Decoded text is kept as code points with, for each, the number of
//! bytes it came from (`lens`; `\r\n` translated to `\n` counts both), so
//! `tell()` is the buffer's position minus the bytes not yet handed out:
//! cookies are plain byte offsets. A `\r` at the end of a chunk is held
//! back (as undecoded bytes) until the next chunk says whether `\n`
//! follows. The built-in codecs decode natively; other encodings go
//! through the `codecs` registry's incremental encoder/decoder objects.

use std::cell::{Cell, RefCell};

use taipan_parser::wtf8::Wtf8Buf;
use taipan_vm::codecs::{Codec, Endian};
use taipan_vm::native::{bind, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{self, new_bytes, new_str, new_str_wtf8, new_tuple, type_name, StrData};
use taipan_vm::types::{Kwargs, Slots};
use taipan_vm::{PyErr, PyResult, Vm};

use super::{attr, int_arg, meth, opt_str, size_arg, truth, unsupported};

const CR: u32 = '\r' as u32;
const LF: u32 = '\n' as u32;
pub(crate) const SEEN_CR: u8 = 1;
pub(crate) const SEEN_LF: u8 = 2;
pub(crate) const SEEN_CRLF: u8 = 4;

/// The `newlines` attribute for a set of `SEEN_*` flags.
pub(crate) fn newlines_obj(vm: &Vm, seen: u8) -> Obj {
    let names: Vec<&str> =
        [(SEEN_CR, "\r"), (SEEN_LF, "\n"), (SEEN_CRLF, "\r\n")].iter().filter(|(f, _)| seen & f != 0).map(|(_, n)| *n).collect();
    match names.as_slice() {
        [] => vm.none.clone(),
        [one] => new_str(vm, one),
        many => new_tuple(vm, many.iter().map(|n| new_str(vm, n)).collect()),
    }
}

pub(crate) fn to_cps(s: &StrData) -> Vec<u32> {
    s.value.code_points().collect()
}

pub(crate) fn from_cps(vm: &Vm, cps: &[u32]) -> Obj {
    let mut w = Wtf8Buf::with_capacity(cps.len());
    for &c in cps {
        w.push_code_point(c);
    }
    new_str_wtf8(vm, w)
}

/// Where the line starting at `cps[0]` ends (exclusive), if it ends in
/// `cps`: CPython's `_PyIO_find_line_ending`. In universal mode a `\r`
/// at the very end is a line end only when `final`.
pub(crate) fn find_line_end(cps: &[u32], translated: bool, universal: bool, readnl: &[u32], final_: bool) -> Option<usize> {
    if translated {
        return cps.iter().position(|&c| c == LF).map(|i| i + 1);
    }
    if universal {
        for (i, &c) in cps.iter().enumerate() {
            if c == LF {
                return Some(i + 1);
            }
            if c == CR {
                return match cps.get(i + 1) {
                    Some(&LF) => Some(i + 2),
                    Some(_) => Some(i + 1),
                    None if final_ => Some(i + 1),
                    None => None,
                };
            }
        }
        return None;
    }
    if readnl.is_empty() {
        return None;
    }
    cps.windows(readnl.len()).position(|w| w == readnl).map(|i| i + readnl.len())
}

/// Newline handling of decoded text: counts the kinds seen and, when
/// `translate`, turns `\r\n` and `\r` into `\n`, merging their lengths.
fn translate_newlines(cps: &mut Vec<u32>, lens: &mut Vec<u32>, translate: bool, seen: &Cell<u8>) {
    let mut s = seen.get();
    let mut out_c = Vec::with_capacity(cps.len());
    let mut out_l = Vec::with_capacity(cps.len());
    let mut i = 0;
    while i < cps.len() {
        let (c, l) = (cps[i], lens[i]);
        if c == CR {
            if cps.get(i + 1) == Some(&LF) {
                s |= SEEN_CRLF;
                if translate {
                    out_c.push(LF);
                    out_l.push(l + lens[i + 1]);
                } else {
                    out_c.extend([CR, LF]);
                    out_l.extend([l, lens[i + 1]]);
                }
                i += 2;
                continue;
            }
            s |= SEEN_CR;
            out_c.push(if translate { LF } else { CR });
            out_l.push(l);
        } else {
            if c == LF {
                s |= SEEN_LF;
            }
            out_c.push(c);
            out_l.push(l);
        }
        i += 1;
    }
    seen.set(s);
    *cps = out_c;
    *lens = out_l;
}

enum Decoder {
    Native(Codec),
    Py(Obj),
}

enum Encoder {
    Native(Codec),
    Py(Obj),
}

pub struct TextData {
    buffer: RefCell<Option<Obj>>,
    ok: Cell<bool>,
    detached: Cell<bool>,
    encoding: RefCell<String>,
    errors: RefCell<String>,
    decoder: RefCell<Option<Decoder>>,
    encoder: RefCell<Option<Encoder>>,
    /// A BOM is still to be written (utf-16/utf-32 at the stream start).
    encoding_start: Cell<bool>,
    readuniversal: Cell<bool>,
    readtranslate: Cell<bool>,
    readnl: RefCell<Vec<u32>>,
    writenl: RefCell<Option<String>>,
    line_buffering: Cell<bool>,
    write_through: Cell<bool>,
    seekable: Cell<bool>,
    telling: Cell<bool>,
    has_read1: Cell<bool>,
    chunk_size: Cell<usize>,
    decoded: RefCell<Vec<u32>>,
    lens: RefCell<Vec<u32>>,
    decoded_pos: Cell<usize>,
    /// Bytes read but not decoded yet (incomplete sequence, held `\r`).
    carry: RefCell<Vec<u8>>,
    pending: RefCell<Vec<u8>>,
    seen: Cell<u8>,
}

impl Default for TextData {
    fn default() -> Self {
        TextData {
            buffer: RefCell::new(None),
            ok: Cell::new(false),
            detached: Cell::new(false),
            encoding: RefCell::new(String::new()),
            errors: RefCell::new("strict".into()),
            decoder: RefCell::new(None),
            encoder: RefCell::new(None),
            encoding_start: Cell::new(true),
            readuniversal: Cell::new(true),
            readtranslate: Cell::new(true),
            readnl: RefCell::new(Vec::new()),
            writenl: RefCell::new(None),
            line_buffering: Cell::new(false),
            write_through: Cell::new(false),
            seekable: Cell::new(false),
            telling: Cell::new(false),
            has_read1: Cell::new(false),
            chunk_size: Cell::new(8192),
            decoded: RefCell::new(Vec::new()),
            lens: RefCell::new(Vec::new()),
            decoded_pos: Cell::new(0),
            carry: RefCell::new(Vec::new()),
            pending: RefCell::new(Vec::new()),
            seen: Cell::new(0),
        }
    }
}

fn traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(d) = o.downcast::<TextData>() {
        if let Ok(b) = d.buffer.try_borrow() {
            if let Some(b) = &*b {
                visit(b);
            }
        }
        if let Ok(dec) = d.decoder.try_borrow() {
            if let Some(Decoder::Py(x)) = &*dec {
                visit(x);
            }
        }
        if let Ok(enc) = d.encoder.try_borrow() {
            if let Some(Encoder::Py(x)) = &*enc {
                visit(x);
            }
        }
    }
}

fn clear(o: &Obj) {
    if let Some(d) = o.downcast::<TextData>() {
        let b = d.buffer.try_borrow_mut().ok().and_then(|mut b| b.take());
        drop(b);
        let x = d.decoder.try_borrow_mut().ok().and_then(|mut b| b.take());
        drop(x);
        let y = d.encoder.try_borrow_mut().ok().and_then(|mut b| b.take());
        drop(y);
    }
}

pub(crate) fn textiowrapper_type(vm: &Vm) -> Obj {
    vm.native_type("_io.TextIOWrapper", |vm| {
        let base = super::textiobase_type(vm);
        let slots = Slots {
            new: Some(|_vm, cls, _a, _k| Ok(alloc(cls.clone(), TextData::default()))),
            init: Some(text_init),
            repr: Some(text_repr),
            next: Some(text_next),
            traverse: Some(traverse),
            clear: Some(clear),
            finalize: Some(super::iobase::iobase_finalize),
            ..Slots::default()
        };
        taipan_vm::native::new_type_with_dict::<TextData>(vm, "_io.TextIOWrapper", &[&base], slots, METHODS, GETSETS)
    })
}

fn data<'a>(vm: &Vm, this: &'a Obj) -> PyResult<&'a TextData> {
    this.downcast::<TextData>().ok_or_else(|| vm.type_error("TextIOWrapper method called on another object"))
}

/// The payload and the buffer (initialised, not detached).
fn buf<'a>(vm: &Vm, this: &'a Obj) -> PyResult<(&'a TextData, Obj)> {
    let d = data(vm, this)?;
    if d.detached.get() {
        return Err(vm.new_error(&vm.types.value_error, "underlying buffer has been detached"));
    }
    match (&*d.buffer.borrow(), d.ok.get()) {
        (Some(b), true) => Ok((d, b.clone())),
        _ => Err(vm.new_error(&vm.types.value_error, "I/O operation on uninitialized object")),
    }
}

fn check_closed(vm: &Vm, this: &Obj) -> PyResult<()> {
    let c = attr(vm, this, "closed")?;
    if truth(vm, &c)? {
        return Err(super::closed_error(vm, true));
    }
    Ok(())
}

/// Looks `encoding` up: a built-in codec, or the registry's incremental
/// objects.
fn make_codec(
    vm: &Vm,
    encoding: &str,
    errors: &str,
    need_encoder: bool,
    need_decoder: bool,
) -> PyResult<(Option<Decoder>, Option<Encoder>)> {
    if let Some(c) = taipan_vm::codecs::lookup(encoding) {
        return Ok((need_decoder.then_some(Decoder::Native(c)), need_encoder.then_some(Encoder::Native(c))));
    }
    let codecs = taipan_vm::import::import_absolute(vm, "codecs")?;
    let info = meth(vm, &codecs, "lookup", &[new_str(vm, encoding)])?;
    if let Some(t) = taipan_vm::classes::getattr_opt(vm, &info, &vm.intern("_is_text_encoding"))? {
        if !truth(vm, &t)? {
            return Err(vm.new_error(
                &vm.types.lookup_error,
                format!("'{encoding}' is not a text encoding; use codecs.open() to handle arbitrary codecs"),
            ));
        }
    }
    let mut dec = None;
    let mut enc = None;
    if need_decoder {
        let f = attr(vm, &info, "incrementaldecoder")?;
        dec = Some(Decoder::Py(taipan_vm::classes::call_object(vm, &f, &[new_str(vm, errors)])?));
    }
    if need_encoder {
        let f = attr(vm, &info, "incrementalencoder")?;
        enc = Some(Encoder::Py(taipan_vm::classes::call_object(vm, &f, &[new_str(vm, errors)])?));
    }
    Ok((dec, enc))
}

static INIT_PARAMS: Params = Params {
    fname: "TextIOWrapper",
    names: &["buffer", "encoding", "errors", "newline", "line_buffering", "write_through"],
    posonly: 0,
    kwonly: 0,
    required: 1,
};

fn set_newline(vm: &Vm, d: &TextData, newline: Option<String>) -> PyResult<()> {
    if let Some(n) = &newline {
        if !matches!(n.as_str(), "" | "\n" | "\r" | "\r\n") {
            return Err(vm.new_error(&vm.types.value_error, format!("illegal newline value: {n}")));
        }
    }
    d.readuniversal.set(newline.as_deref().is_none_or(str::is_empty));
    d.readtranslate.set(newline.is_none());
    *d.readnl.borrow_mut() = newline.as_deref().map_or_else(Vec::new, |n| n.chars().map(|c| c as u32).collect());
    *d.writenl.borrow_mut() = match newline.as_deref() {
        None | Some("") | Some("\n") => None,
        Some(n) => Some(n.to_string()),
    };
    Ok(())
}

fn text_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [buffer, encoding, errors, newline, line_buffering, write_through] = bind::<6>(vm, &INIT_PARAMS, args, kw)?;
    let d = data(vm, this)?;
    d.ok.set(false);
    d.detached.set(false);
    let buffer = buffer.unwrap_or_else(|| vm.none.clone());
    let mut encoding = opt_str(vm, &encoding, "TextIOWrapper", "encoding")?;
    if encoding.is_none() {
        super::warn_default_encoding(vm, 1)?;
    }
    if encoding.as_deref().is_none_or(|e| e == "locale") {
        encoding = Some("UTF-8".to_string());
    }
    let encoding = encoding.unwrap_or_default();
    let errors = opt_str(vm, &errors, "TextIOWrapper", "errors")?.unwrap_or_else(|| "strict".to_string());
    let newline = opt_str(vm, &newline, "TextIOWrapper", "newline")?;
    set_newline(vm, d, newline)?;
    d.line_buffering.set(match &line_buffering {
        Some(v) => truth(vm, v)?,
        None => false,
    });
    d.write_through.set(match &write_through {
        Some(v) => truth(vm, v)?,
        None => false,
    });
    let readable = truth(vm, &meth(vm, &buffer, "readable", &[])?)?;
    let writable = truth(vm, &meth(vm, &buffer, "writable", &[])?)?;
    let (dec, enc) = make_codec(vm, &encoding, &errors, writable, readable)?;
    *d.decoder.borrow_mut() = dec;
    *d.encoder.borrow_mut() = enc;
    *d.encoding.borrow_mut() = encoding;
    *d.errors.borrow_mut() = errors;
    let seekable = truth(vm, &meth(vm, &buffer, "seekable", &[])?)?;
    d.seekable.set(seekable);
    d.telling.set(seekable);
    d.has_read1.set(taipan_vm::classes::getattr_opt(vm, &buffer, &vm.intern("read1"))?.is_some());
    fix_encoder_state(vm, d, &buffer)?;
    d.decoded.borrow_mut().clear();
    d.lens.borrow_mut().clear();
    d.decoded_pos.set(0);
    d.carry.borrow_mut().clear();
    d.pending.borrow_mut().clear();
    d.seen.set(0);
    *d.buffer.borrow_mut() = Some(buffer);
    d.ok.set(true);
    Ok(vm.none.clone())
}

fn text_repr(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    let tn = taipan_vm::types::type_data(&taipan_vm::types::type_of(this)).name.to_string();
    let tn = if tn == "TextIOWrapper" { "_io.TextIOWrapper".to_string() } else { tn };
    let mut out = format!("<{tn}");
    let d = data(vm, this)?;
    if !d.ok.get() && !d.detached.get() {
        return Err(vm.new_error(&vm.types.value_error, "I/O operation on uninitialized object"));
    }
    let value_error = |e: &PyErr| {
        taipan_vm::types::is_subtype(&taipan_vm::types::type_of(&e.exc), &vm.types.value_error)
            || taipan_vm::types::is_subtype(&taipan_vm::types::type_of(&e.exc), &vm.types.attribute_error)
    };
    for name in ["name", "mode"] {
        match taipan_vm::classes::getattr(vm, this, &vm.intern(name)) {
            Ok(v) => out.push_str(&format!(" {name}={}", builtin::repr_string(vm, &v)?)),
            Err(e) if value_error(&e) => {}
            Err(e) => return Err(e),
        }
    }
    out.push_str(&format!(" encoding={}>", builtin::repr_string(vm, &new_str(vm, &d.encoding.borrow()))?));
    Ok(new_str(vm, &out))
}

// ------------------------------------------------------------- decoding

/// Decodes `input` (the carried bytes plus a new chunk) to code points
/// and their byte lengths; bytes of an incomplete sequence at the end go
/// back to `carry` unless `final_`.
fn decode_native(vm: &Vm, d: &TextData, codec: Codec, input: &[u8], final_: bool) -> PyResult<(Vec<u32>, Vec<u32>, Vec<u8>)> {
    let errors = d.errors.borrow().clone();
    let mut cps = Vec::with_capacity(input.len());
    let mut lens = Vec::with_capacity(input.len());
    let mut carry = Vec::new();
    // Assigns `k` bytes to the replacement `text` of an undecodable run.
    let replacement = |cps: &mut Vec<u32>, lens: &mut Vec<u32>, text: Wtf8Buf, k: usize| {
        let start = cps.len();
        cps.extend(text.code_points());
        let n = cps.len() - start;
        if n == 0 {
            if let Some(l) = lens.last_mut() {
                *l += k as u32;
            }
        } else {
            lens.extend(std::iter::repeat_n(0, n));
            lens[start] = k as u32;
        }
    };
    match codec {
        Codec::Latin1 => {
            cps.extend(input.iter().map(|&b| b as u32));
            lens.resize(input.len(), 1);
        }
        Codec::Ascii => {
            for (i, &b) in input.iter().enumerate() {
                if b < 0x80 {
                    cps.push(b as u32);
                    lens.push(1);
                } else if errors == "strict" {
                    return Err(taipan_vm::codecs::decode(vm, input, "ascii", "strict").err().unwrap_or_else(|| vm.type_error("ascii")));
                } else {
                    let _ = i;
                    let r = taipan_vm::codecs::decode(vm, &[b], "ascii", &errors)?;
                    replacement(&mut cps, &mut lens, r, 1);
                }
            }
        }
        Codec::Utf8 => {
            let mut i = 0;
            while i < input.len() {
                match std::str::from_utf8(&input[i..]) {
                    Ok(s) => {
                        for c in s.chars() {
                            cps.push(c as u32);
                            lens.push(c.len_utf8() as u32);
                        }
                        break;
                    }
                    Err(e) => {
                        let v = e.valid_up_to();
                        if let Ok(s) = std::str::from_utf8(&input[i..i + v]) {
                            for c in s.chars() {
                                cps.push(c as u32);
                                lens.push(c.len_utf8() as u32);
                            }
                        }
                        i += v;
                        let k = match e.error_len() {
                            Some(k) => k,
                            None if !final_ => {
                                carry = input[i..].to_vec();
                                break;
                            }
                            None => input.len() - i,
                        };
                        if errors == "strict" {
                            let e = taipan_vm::codecs::decode(vm, input, "utf-8", "strict").err();
                            return Err(e.unwrap_or_else(|| vm.type_error("utf-8")));
                        }
                        let r = taipan_vm::codecs::decode(vm, &input[i..i + k], "utf-8", &errors)?;
                        replacement(&mut cps, &mut lens, r, k);
                        i += k;
                    }
                }
            }
        }
        Codec::Utf16(_) | Codec::Utf32(_) => {
            let (unit, mut endian) = match codec {
                Codec::Utf16(e) => (2, e),
                Codec::Utf32(e) => (4, e),
                _ => (1, Endian::Little),
            };
            let mut start = 0;
            let mut bom_len = 0;
            if endian == Endian::Bom {
                if input.len() < unit && !final_ {
                    return Ok((cps, lens, input.to_vec()));
                }
                let (le, be): (&[u8], &[u8]) =
                    if unit == 2 { (b"\xff\xfe", b"\xfe\xff") } else { (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff") };
                endian = if input.starts_with(le) {
                    start = unit;
                    Endian::Little
                } else if input.starts_with(be) {
                    start = unit;
                    Endian::Big
                } else {
                    Endian::Little
                };
                bom_len = start;
                let fixed = if unit == 2 { Codec::Utf16(endian) } else { Codec::Utf32(endian) };
                *d.decoder.borrow_mut() = Some(Decoder::Native(fixed));
            }
            let body = &input[start..];
            let mut end = if final_ { body.len() } else { body.len() / unit * unit };
            if unit == 2 && !final_ && end >= 2 {
                let last = if endian == Endian::Big {
                    u16::from_be_bytes([body[end - 2], body[end - 1]])
                } else {
                    u16::from_le_bytes([body[end - 2], body[end - 1]])
                };
                if (0xD800..0xDC00).contains(&last) {
                    end -= 2;
                }
            }
            carry = body[end..].to_vec();
            let name = match (unit, endian) {
                (2, Endian::Big) => "utf-16-be",
                (2, _) => "utf-16-le",
                (_, Endian::Big) => "utf-32-be",
                _ => "utf-32-le",
            };
            let text = taipan_vm::codecs::decode(vm, &body[..end], name, &errors)?;
            for c in text.code_points() {
                cps.push(c);
                lens.push(if unit == 2 && c >= 0x10000 { 4 } else { unit as u32 });
            }
            if bom_len > 0 {
                if let Some(l) = lens.first_mut() {
                    *l += bom_len as u32;
                }
            }
        }
    }
    Ok((cps, lens, carry))
}

/// Decodes a chunk (`final_` at end of file) into the decoded buffer.
fn feed(vm: &Vm, d: &TextData, chunk: &[u8], final_: bool) -> PyResult<()> {
    let mut input = std::mem::take(&mut *d.carry.borrow_mut());
    input.extend_from_slice(chunk);
    let native = match &*d.decoder.borrow() {
        Some(Decoder::Native(c)) => Some(*c),
        Some(Decoder::Py(_)) => None,
        None => return Err(unsupported(vm, "not readable")),
    };
    let (mut cps, mut lens, mut carry) = match native {
        Some(c) => decode_native(vm, d, c, &input, final_)?,
        None => {
            let dec = match &*d.decoder.borrow() {
                Some(Decoder::Py(o)) => o.clone(),
                _ => return Err(unsupported(vm, "not readable")),
            };
            let r = meth(vm, &dec, "decode", &[new_bytes(vm, input.clone()), vm.bool(final_)])?;
            let Some(s) = r.downcast::<StrData>() else {
                return Err(vm.type_error(format!("decoder should return a string result, not '{}'", type_name(&r))));
            };
            let cps = to_cps(s);
            let lens = vec![1; cps.len()];
            (cps, lens, Vec::new())
        }
    };
    if d.readuniversal.get() {
        if !final_ && cps.last() == Some(&CR) {
            cps.pop();
            let l = lens.pop().unwrap_or(1) as usize;
            let consumed = input.len() - carry.len();
            let mut held = input[consumed.saturating_sub(l)..consumed].to_vec();
            held.extend(carry);
            carry = held;
        }
        translate_newlines(&mut cps, &mut lens, d.readtranslate.get(), &d.seen);
    }
    *d.carry.borrow_mut() = carry;
    let mut dec = d.decoded.borrow_mut();
    let mut dl = d.lens.borrow_mut();
    let pos = d.decoded_pos.get();
    if pos > 0 {
        dec.drain(..pos);
        dl.drain(..pos);
        d.decoded_pos.set(0);
    }
    dec.extend(cps);
    dl.extend(lens);
    Ok(())
}

/// Reads one chunk from the buffer and decodes it; false at EOF.
fn read_chunk(vm: &Vm, d: &TextData, buffer: &Obj) -> PyResult<bool> {
    let size = vm.int(d.chunk_size.get() as i64);
    let r = meth(vm, buffer, if d.has_read1.get() { "read1" } else { "read" }, &[size])?;
    let chunk = if r.is(&vm.none) {
        Vec::new()
    } else {
        match builtin::as_buffer(&r).filter(|_| r.downcast::<StrData>().is_none()) {
            Some(b) => b.into_owned(),
            None => {
                let m = if d.has_read1.get() { "read1" } else { "read" };
                return Err(vm.type_error(format!("underlying {m}() should have returned a bytes-like object, not '{}'", type_name(&r))));
            }
        }
    };
    let eof = chunk.is_empty();
    feed(vm, d, &chunk, eof)?;
    Ok(!eof)
}

/// Takes `n` decoded code points.
fn take(d: &TextData, n: usize) -> Vec<u32> {
    let dec = d.decoded.borrow();
    let pos = d.decoded_pos.get();
    let n = n.min(dec.len() - pos);
    d.decoded_pos.set(pos + n);
    dec[pos..pos + n].to_vec()
}

fn available(d: &TextData) -> usize {
    d.decoded.borrow().len() - d.decoded_pos.get()
}

fn reset_decoded(d: &TextData) {
    d.decoded.borrow_mut().clear();
    d.lens.borrow_mut().clear();
    d.decoded_pos.set(0);
    d.carry.borrow_mut().clear();
}

fn check_readable(vm: &Vm, d: &TextData) -> PyResult<()> {
    if d.decoder.borrow().is_none() {
        return Err(unsupported(vm, "not readable"));
    }
    Ok(())
}

fn m_read(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [size] = taipan_vm::native::at_most::<1>(vm, "read", 0, args, kw)?;
    let (d, buffer) = buf(vm, this)?;
    let n = size_arg(vm, size)?;
    check_closed(vm, this)?;
    check_readable(vm, d)?;
    write_flush(vm, d, &buffer)?;
    if n < 0 {
        let r = meth(vm, &buffer, "read", &[])?;
        let bytes = if r.is(&vm.none) {
            Vec::new()
        } else {
            match builtin::as_buffer(&r).filter(|_| r.downcast::<StrData>().is_none()) {
                Some(b) => b.into_owned(),
                None => {
                    return Err(vm.type_error(format!("underlying read() should have returned a bytes object, not '{}'", type_name(&r))))
                }
            }
        };
        feed(vm, d, &bytes, true)?;
        let out = take(d, usize::MAX);
        reset_decoded(d);
        return Ok(from_cps(vm, &out));
    }
    let n = n as usize;
    while available(d) < n {
        if !read_chunk(vm, d, &buffer)? {
            break;
        }
    }
    Ok(from_cps(vm, &take(d, n)))
}

fn readline(vm: &Vm, this: &Obj, limit: i64) -> PyResult<Obj> {
    let (d, buffer) = buf(vm, this)?;
    check_closed(vm, this)?;
    check_readable(vm, d)?;
    write_flush(vm, d, &buffer)?;
    let limit = if limit < 0 { usize::MAX } else { limit as usize };
    let mut eof = false;
    loop {
        let found = {
            let dec = d.decoded.borrow();
            let rest = &dec[d.decoded_pos.get()..];
            find_line_end(rest, d.readtranslate.get(), d.readuniversal.get(), &d.readnl.borrow(), eof)
        };
        match found {
            Some(end) => return Ok(from_cps(vm, &take(d, end.min(limit)))),
            None if available(d) >= limit || eof => return Ok(from_cps(vm, &take(d, limit))),
            None => eof = !read_chunk(vm, d, &buffer)?,
        }
    }
}

fn m_readline(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [size] = taipan_vm::native::at_most::<1>(vm, "readline", 0, args, kw)?;
    let n = match size {
        Some(s) if !s.is(&vm.none) => int_arg(vm, &s)?,
        _ => -1,
    };
    readline(vm, this, n)
}

fn text_next(vm: &Vm, this: &Obj) -> PyResult<Option<Obj>> {
    let d = data(vm, this)?;
    d.telling.set(false);
    let line = readline(vm, this, -1)?;
    let empty = line.downcast::<StrData>().is_none_or(|s| s.is_empty());
    if empty {
        d.telling.set(d.seekable.get());
        return Ok(None);
    }
    Ok(Some(line))
}

fn m_next(vm: &Vm, this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    match text_next(vm, this)? {
        Some(v) => Ok(v),
        None => Err(PyErr { exc: builtin::new_exception(vm, &vm.types.stop_iteration, Vec::new()) }),
    }
}

// -------------------------------------------------------------- writing

/// Writes the pending encoded bytes to the buffer.
fn write_flush(vm: &Vm, d: &TextData, buffer: &Obj) -> PyResult<()> {
    let pending = std::mem::take(&mut *d.pending.borrow_mut());
    if pending.is_empty() {
        return Ok(());
    }
    meth(vm, buffer, "write", &[new_bytes(vm, pending)]).map(drop)
}

fn encode(vm: &Vm, d: &TextData, text: &Wtf8Buf) -> PyResult<Vec<u8>> {
    let enc = match &*d.encoder.borrow() {
        Some(Encoder::Native(c)) => Ok(*c),
        Some(Encoder::Py(o)) => Err(o.clone()),
        None => return Err(unsupported(vm, "not writable")),
    };
    match enc {
        Ok(c) => {
            let name = match c {
                Codec::Utf16(Endian::Bom) if !d.encoding_start.get() => "utf-16-le",
                Codec::Utf32(Endian::Bom) if !d.encoding_start.get() => "utf-32-le",
                c => c.name(),
            };
            let out = taipan_vm::codecs::encode(vm, text, name, &d.errors.borrow())?;
            if !text.is_empty() {
                d.encoding_start.set(false);
            }
            Ok(out)
        }
        Err(o) => {
            let r = meth(vm, &o, "encode", &[new_str_wtf8(vm, text.clone())])?;
            match builtin::bytes_data(&r) {
                Some(b) => Ok(b.to_vec()),
                None => Err(vm.type_error(format!("encoder should return a bytes object, not '{}'", type_name(&r)))),
            }
        }
    }
}

fn m_write(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [text] = taipan_vm::native::exact::<1>(vm, "write", args, kw)?;
    let (d, buffer) = buf(vm, this)?;
    let Some(s) = text.downcast::<StrData>() else {
        return Err(vm.type_error(format!("write() argument must be str, not {}", type_name(&text))));
    };
    check_closed(vm, this)?;
    if d.encoder.borrow().is_none() {
        return Err(unsupported(vm, "not writable"));
    }
    let bytes = s.value.as_bytes();
    let haslf = bytes.contains(&b'\n');
    let mut needflush = d.line_buffering.get() && (haslf || bytes.contains(&b'\r'));
    let translated;
    let value = match &*d.writenl.borrow() {
        Some(nl) if haslf => {
            let mut w = Wtf8Buf::with_capacity(bytes.len());
            let mut last = 0;
            for (i, &b) in bytes.iter().enumerate() {
                if b == b'\n' {
                    w.push_wtf8_bytes(&bytes[last..i]);
                    w.push_str(nl);
                    last = i + 1;
                }
            }
            w.push_wtf8_bytes(&bytes[last..]);
            translated = w;
            &translated
        }
        _ => &s.value,
    };
    let encoded = encode(vm, d, value)?;
    d.pending.borrow_mut().extend_from_slice(&encoded);
    if d.write_through.get() {
        needflush = true;
    }
    if needflush || d.pending.borrow().len() > d.chunk_size.get() {
        write_flush(vm, d, &buffer)?;
    }
    if !d.decoded.borrow().is_empty() || !d.carry.borrow().is_empty() {
        reset_decoded(d);
    }
    if needflush && (d.line_buffering.get() && (haslf || bytes.contains(&b'\r'))) {
        meth(vm, &buffer, "flush", &[])?;
    }
    Ok(vm.int(s.len() as i64))
}

fn m_flush(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "flush", args, kw)?;
    let (d, buffer) = buf(vm, this)?;
    check_closed(vm, this)?;
    d.telling.set(d.seekable.get());
    write_flush(vm, d, &buffer)?;
    meth(vm, &buffer, "flush", &[])
}

fn m_close(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "close", args, kw)?;
    let (_, buffer) = buf(vm, this)?;
    let closed = attr(vm, &buffer, "closed")?;
    if truth(vm, &closed)? {
        return Ok(vm.none.clone());
    }
    super::iobase::forward_dealloc_warn(vm, this, &buffer);
    let r = meth(vm, this, "flush", &[]);
    let c = meth(vm, &buffer, "close", &[]);
    match (r, c) {
        (Err(e), Ok(_)) => Err(e),
        (Err(e1), Err(e2)) => {
            if let Some(x) = builtin::exception_data(&e2.exc) {
                *x.context.borrow_mut() = Some(e1.exc);
            }
            Err(e2)
        }
        (Ok(_), c) => c.map(|_| vm.none.clone()),
    }
}

fn m_detach(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "detach", args, kw)?;
    let (d, buffer) = buf(vm, this)?;
    meth(vm, this, "flush", &[])?;
    d.detached.set(true);
    d.ok.set(false);
    d.buffer.borrow_mut().take();
    Ok(buffer)
}

// ------------------------------------------------------------ positions

fn m_tell(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "tell", args, kw)?;
    let (d, buffer) = buf(vm, this)?;
    check_closed(vm, this)?;
    if !d.seekable.get() {
        return Err(unsupported(vm, "underlying stream is not seekable"));
    }
    if !d.telling.get() {
        return Err(vm.new_error(&vm.types.os_error, "telling position disabled by next() call"));
    }
    meth(vm, this, "flush", &[])?;
    let p = meth(vm, &buffer, "tell", &[])?;
    let pos = int_arg(vm, &p)?;
    let unread: u64 = d.lens.borrow()[d.decoded_pos.get()..].iter().map(|&l| l as u64).sum();
    let mut held = d.carry.borrow().len() as i64;
    let py_dec = match &*d.decoder.borrow() {
        Some(Decoder::Py(dec)) => Some(dec.clone()),
        _ => None,
    };
    if let Some(dec) = py_dec {
        if let Ok(st) = meth(vm, &dec, "getstate", &[]) {
            if let Some(t) = st.downcast::<builtin::TupleData>() {
                if let Some(b) = t.items.first().and_then(|b| builtin::as_buffer(b).map(|x| x.len())) {
                    held += b as i64;
                }
            }
        }
    }
    Ok(vm.int((pos - unread as i64 - held).max(0)))
}

fn reset_decoder(vm: &Vm, d: &TextData, at_start: bool) -> PyResult<()> {
    reset_decoded(d);
    let enc = d.encoding.borrow().clone();
    if let Some(dec) = &mut *d.decoder.borrow_mut() {
        match dec {
            Decoder::Native(c) => {
                if at_start {
                    if let Some(orig) = taipan_vm::codecs::lookup(&enc) {
                        *c = orig;
                    }
                } else if *c == Codec::Utf16(Endian::Bom) {
                    *c = Codec::Utf16(Endian::Little);
                } else if *c == Codec::Utf32(Endian::Bom) {
                    *c = Codec::Utf32(Endian::Little);
                }
            }
            Decoder::Py(o) => {
                meth(vm, o, "reset", &[])?;
            }
        }
    }
    reset_encoder(vm, d, at_start)
}

/// The encoder's state after a seek or at a new encoding: at the start of
/// the stream a BOM is written first (`reset()`), elsewhere not
/// (`setstate(0)`), as CPython's `_textiowrapper_encoder_reset`.
fn reset_encoder(vm: &Vm, d: &TextData, at_start: bool) -> PyResult<()> {
    d.encoding_start.set(at_start);
    let enc = match &*d.encoder.borrow() {
        Some(Encoder::Py(o)) => o.clone(),
        _ => return Ok(()),
    };
    if at_start {
        meth(vm, &enc, "reset", &[])?;
    } else {
        meth(vm, &enc, "setstate", &[vm.int(0)])?;
    }
    Ok(())
}

/// `_textiowrapper_fix_encoder_state`: a seekable stream not at position
/// 0 writes no BOM.
fn fix_encoder_state(vm: &Vm, d: &TextData, buffer: &Obj) -> PyResult<()> {
    d.encoding_start.set(true);
    if !d.seekable.get() || d.encoder.borrow().is_none() {
        return Ok(());
    }
    let pos = meth(vm, buffer, "tell", &[])?;
    if !taipan_vm::ops::eq(vm, &pos, &vm.int(0))? {
        reset_encoder(vm, d, false)?;
    }
    Ok(())
}

fn m_seek(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [cookie, whence] = taipan_vm::native::at_most::<2>(vm, "seek", 1, args, kw)?;
    let (d, buffer) = buf(vm, this)?;
    let cookie = cookie.unwrap_or_else(|| vm.none.clone());
    let whence = match whence {
        Some(w) => int_arg(vm, &w)?,
        None => 0,
    };
    check_closed(vm, this)?;
    if !d.seekable.get() {
        return Err(unsupported(vm, "underlying stream is not seekable"));
    }
    match whence {
        1 | 2 => {
            if int_arg(vm, &cookie)? != 0 {
                let what = if whence == 1 { "cur" } else { "end" };
                return Err(unsupported(vm, &format!("can't do nonzero {what}-relative seeks")));
            }
            if whence == 1 {
                let here = m_tell(vm, this, &[], &[])?;
                return m_seek(vm, this, &[here], &[]);
            }
            meth(vm, this, "flush", &[])?;
            let r = meth(vm, &buffer, "seek", &[vm.int(0), vm.int(2)])?;
            let at = int_arg(vm, &r)?;
            reset_decoder(vm, d, at == 0)?;
            Ok(r)
        }
        0 => {
            let pos = int_arg(vm, &cookie)?;
            if pos < 0 {
                let r = builtin::repr_string(vm, &cookie)?;
                return Err(vm.new_error(&vm.types.value_error, format!("negative seek position {r}")));
            }
            meth(vm, this, "flush", &[])?;
            meth(vm, &buffer, "seek", &[vm.int(pos)])?;
            reset_decoder(vm, d, pos == 0)?;
            Ok(cookie)
        }
        _ => Err(vm.new_error(&vm.types.value_error, format!("invalid whence ({whence}, should be 0, 1 or 2)"))),
    }
}

fn m_truncate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [pos] = taipan_vm::native::at_most::<1>(vm, "truncate", 0, args, kw)?;
    let (_, buffer) = buf(vm, this)?;
    meth(vm, this, "flush", &[])?;
    meth(vm, &buffer, "truncate", &[pos.unwrap_or_else(|| vm.none.clone())])
}

fn m_reconfigure(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params {
        fname: "reconfigure",
        names: &["encoding", "errors", "newline", "line_buffering", "write_through"],
        posonly: 0,
        kwonly: 5,
        required: 0,
    };
    let [encoding, errors, newline, line_buffering, write_through] = bind::<5>(vm, &P, args, kw)?;
    // As CPython's C version: the flags are C integers (`__index__`).
    let flag = |v: Option<Obj>| -> PyResult<Option<bool>> {
        match v.filter(|v| !v.is(&vm.none)) {
            None => Ok(None),
            Some(v) => match taipan_vm::ops::index(vm, &v)?.downcast::<builtin::IntData>() {
                Some(builtin::IntData::Small(n)) => Ok(Some(*n != 0)),
                _ => Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C long")),
            },
        }
    };
    let line_buffering = flag(line_buffering)?;
    let write_through = flag(write_through)?;
    let (d, buffer) = buf(vm, this)?;
    let encoding = super::opt_str_nul(vm, &encoding, "reconfigure", "encoding", true)?;
    let errors_s = opt_str(vm, &errors, "reconfigure", "errors")?;
    let newline_given = newline.is_some();
    let newline = opt_str(vm, &newline, "reconfigure", "newline")?;
    if (encoding.is_some() || newline_given) && !d.decoded.borrow().is_empty() && d.decoder.borrow().is_some() {
        return Err(unsupported(vm, "It is not possible to set the encoding or newline of stream after the first read"));
    }
    meth(vm, this, "flush", &[])?;
    if encoding.is_some() || errors_s.is_some() {
        let enc = match encoding {
            Some(e) if e == "locale" => "UTF-8".to_string(),
            // CPython looks the name up as a C string: up to a NUL.
            Some(e) => e.split('\0').next().unwrap_or_default().to_string(),
            None => d.encoding.borrow().clone(),
        };
        let errs = errors_s.unwrap_or_else(|| {
            if errors.is_none() && enc != *d.encoding.borrow() {
                "strict".into()
            } else {
                d.errors.borrow().clone()
            }
        });
        let readable = d.decoder.borrow().is_some();
        let writable = d.encoder.borrow().is_some();
        let (dec, encd) = make_codec(vm, &enc, &errs, writable, readable)?;
        *d.decoder.borrow_mut() = dec;
        *d.encoder.borrow_mut() = encd;
        *d.encoding.borrow_mut() = enc;
        *d.errors.borrow_mut() = errs;
        let (_, buffer) = buf(vm, this)?;
        fix_encoder_state(vm, d, &buffer)?;
    }
    if newline_given {
        set_newline(vm, d, newline)?;
    }
    if let Some(v) = line_buffering {
        d.line_buffering.set(v);
    }
    if let Some(v) = write_through {
        d.write_through.set(v);
    }
    let _ = buffer;
    Ok(vm.none.clone())
}

fn delegate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, name: &str) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, name, args, kw)?;
    let (_, buffer) = buf(vm, this)?;
    meth(vm, &buffer, name, &[])
}
fn m_fileno(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    delegate(vm, this, args, kw, "fileno")
}
fn m_isatty(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    delegate(vm, this, args, kw, "isatty")
}
fn m_seekable(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "seekable", args, kw)?;
    let (d, _) = buf(vm, this)?;
    check_closed(vm, this)?;
    Ok(vm.bool(d.seekable.get()))
}
fn m_readable(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    delegate(vm, this, args, kw, "readable")
}
fn m_writable(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    delegate(vm, this, args, kw, "writable")
}
fn m_getstate(vm: &Vm, this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    Err(vm.type_error(format!("cannot pickle '{}' object", type_name(this))))
}

static METHODS: &[MethodDef] = &[
    MethodDef::method("read", m_read, "Read at most size characters from stream."),
    MethodDef::method("readline", m_readline, "Read until newline or EOF."),
    MethodDef::method("write", m_write, "Write string to stream."),
    MethodDef::method("flush", m_flush, ""),
    MethodDef::method("close", m_close, ""),
    MethodDef::method("detach", m_detach, ""),
    MethodDef::method("tell", m_tell, ""),
    MethodDef::method("seek", m_seek, ""),
    MethodDef::method("truncate", m_truncate, ""),
    MethodDef::method("reconfigure", m_reconfigure, "Reconfigure the text stream with new parameters."),
    MethodDef::method("fileno", m_fileno, ""),
    MethodDef::method("isatty", m_isatty, ""),
    MethodDef::method("seekable", m_seekable, ""),
    MethodDef::method("readable", m_readable, ""),
    MethodDef::method("writable", m_writable, ""),
    MethodDef::method("__next__", m_next, "Implement next(self)."),
    MethodDef::method("__getstate__", m_getstate, ""),
];

fn g_encoding(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    let d = data(vm, this)?;
    Ok(new_str(vm, &d.encoding.borrow()))
}
fn g_errors(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    let d = data(vm, this)?;
    Ok(new_str(vm, &d.errors.borrow()))
}
fn g_newlines(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    let d = data(vm, this)?;
    if !d.readuniversal.get() || d.decoder.borrow().is_none() {
        return Ok(vm.none.clone());
    }
    Ok(newlines_obj(vm, d.seen.get()))
}
fn g_line_buffering(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(vm.bool(data(vm, this)?.line_buffering.get()))
}
fn g_write_through(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(vm.bool(data(vm, this)?.write_through.get()))
}
fn g_buffer(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(buf(vm, this)?.1)
}
fn g_closed(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    attr(vm, &buf(vm, this)?.1, "closed")
}
fn g_name(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    attr(vm, &buf(vm, this)?.1, "name")
}
fn g_chunk_size(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(vm.int(data(vm, this)?.chunk_size.get() as i64))
}
fn s_chunk_size(vm: &Vm, this: &Obj, v: Option<Obj>) -> PyResult<()> {
    let Some(v) = v else { return Err(vm.new_error(&vm.types.attribute_error, "cannot delete attribute")) };
    let n = int_arg(vm, &v)?;
    if n <= 0 {
        return Err(vm.new_error(&vm.types.value_error, "a strictly positive integer is required"));
    }
    data(vm, this)?.chunk_size.set(n as usize);
    Ok(())
}

static GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("encoding", g_encoding, ""),
    GetSetDef::readonly("errors", g_errors, ""),
    GetSetDef::readonly("newlines", g_newlines, ""),
    GetSetDef::readonly("line_buffering", g_line_buffering, ""),
    GetSetDef::readonly("write_through", g_write_through, ""),
    GetSetDef::readonly("buffer", g_buffer, ""),
    GetSetDef::readonly("closed", g_closed, ""),
    GetSetDef::readonly("name", g_name, ""),
    GetSetDef::new("_CHUNK_SIZE", g_chunk_size, s_chunk_size, ""),
];

// ------------------------------------------- IncrementalNewlineDecoder

pub struct NewlineDecoderData {
    decoder: RefCell<Option<Obj>>,
    translate: Cell<bool>,
    pendingcr: Cell<bool>,
    seen: Cell<u8>,
    ok: Cell<bool>,
}

pub(crate) fn newline_decoder_type(vm: &Vm) -> Obj {
    vm.native_type("_io.IncrementalNewlineDecoder", |vm| {
        let slots = Slots {
            new: Some(|_vm, cls, _a, _k| {
                Ok(alloc(
                    cls.clone(),
                    NewlineDecoderData {
                        decoder: RefCell::new(None),
                        translate: Cell::new(false),
                        pendingcr: Cell::new(false),
                        seen: Cell::new(0),
                        ok: Cell::new(false),
                    },
                ))
            }),
            init: Some(nd_init),
            traverse: Some(|o, visit| {
                if let Some(d) = o.downcast::<NewlineDecoderData>() {
                    if let Ok(x) = d.decoder.try_borrow() {
                        if let Some(x) = &*x {
                            visit(x);
                        }
                    }
                }
            }),
            ..Slots::default()
        };
        taipan_vm::native::new_type_with_dict::<NewlineDecoderData>(vm, "_io.IncrementalNewlineDecoder", &[], slots, ND_METHODS, ND_GETSETS)
    })
}

fn nd<'a>(vm: &Vm, this: &'a Obj) -> PyResult<&'a NewlineDecoderData> {
    let d = this.downcast::<NewlineDecoderData>().ok_or_else(|| vm.type_error("IncrementalNewlineDecoder expected"))?;
    if !d.ok.get() {
        return Err(vm.new_error(&vm.types.value_error, "IncrementalNewlineDecoder.__init__() not called"));
    }
    Ok(d)
}

fn nd_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params =
        Params { fname: "IncrementalNewlineDecoder", names: &["decoder", "translate", "errors"], posonly: 0, kwonly: 0, required: 2 };
    let [decoder, translate, _errors] = bind::<3>(vm, &P, args, kw)?;
    let Some(d) = this.downcast::<NewlineDecoderData>() else { return Err(vm.type_error("IncrementalNewlineDecoder expected")) };
    let decoder = decoder.filter(|x| !x.is(&vm.none));
    *d.decoder.borrow_mut() = decoder;
    d.translate.set(truth(vm, translate.as_ref().unwrap_or(&vm.false_))?);
    d.pendingcr.set(false);
    d.seen.set(0);
    d.ok.set(true);
    Ok(vm.none.clone())
}

/// `IncrementalNewlineDecoder.decode` on already-decoded code points.
pub(crate) fn newline_decode(cps: Vec<u32>, pendingcr: &Cell<bool>, seen: &Cell<u8>, translate: bool, final_: bool) -> Vec<u32> {
    let mut out = cps;
    if pendingcr.get() && (!out.is_empty() || final_) {
        out.insert(0, CR);
        pendingcr.set(false);
    }
    if !final_ && out.last() == Some(&CR) {
        out.pop();
        pendingcr.set(true);
    }
    let mut lens = vec![1; out.len()];
    translate_newlines(&mut out, &mut lens, translate, seen);
    out
}

fn nd_decode(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "decode", names: &["input", "final"], posonly: 0, kwonly: 0, required: 1 };
    let [input, final_] = bind::<2>(vm, &P, args, kw)?;
    let d = nd(vm, this)?;
    let input = input.unwrap_or_else(|| vm.none.clone());
    let final_ = truth(vm, final_.as_ref().unwrap_or(&vm.false_))?;
    let dec = d.decoder.borrow().clone();
    let output = match dec {
        Some(dec) => {
            let kw = [(vm.intern("final"), vm.bool(final_))];
            taipan_vm::classes::call_object_kw(vm, &attr(vm, &dec, "decode")?, &[input], &kw)?
        }
        None => input,
    };
    let Some(s) = output.downcast::<StrData>() else {
        return Err(vm.type_error(format!("decoder should return a string result, not '{}'", type_name(&output))));
    };
    let out = newline_decode(to_cps(s), &d.pendingcr, &d.seen, d.translate.get(), final_);
    Ok(from_cps(vm, &out))
}

fn nd_getstate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "getstate", args, kw)?;
    let d = nd(vm, this)?;
    let dec = d.decoder.borrow().clone();
    let (buffer, flag) = match dec {
        Some(dec) => {
            let st = meth(vm, &dec, "getstate", &[])?;
            let items = st.downcast::<builtin::TupleData>().map(|t| t.items.to_vec()).unwrap_or_default();
            let [b, f] = items.as_slice() else { return Err(vm.type_error("illegal decoder state")) };
            (b.clone(), int_arg(vm, f)?)
        }
        None => (new_bytes(vm, Vec::new()), 0),
    };
    let flag = (flag << 1) | d.pendingcr.get() as i64;
    Ok(new_tuple(vm, vec![buffer, vm.int(flag)]))
}

fn nd_setstate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [state] = taipan_vm::native::exact::<1>(vm, "setstate", args, kw)?;
    let d = nd(vm, this)?;
    let items = state.downcast::<builtin::TupleData>().map(|t| t.items.to_vec()).unwrap_or_default();
    let [b, f] = items.as_slice() else { return Err(vm.type_error("state argument must be a tuple")) };
    let flag = int_arg(vm, f)?;
    d.pendingcr.set(flag & 1 != 0);
    let dec = d.decoder.borrow().clone();
    if let Some(dec) = dec {
        meth(vm, &dec, "setstate", &[new_tuple(vm, vec![b.clone(), vm.int(flag >> 1)])])?;
    }
    Ok(vm.none.clone())
}

fn nd_reset(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "reset", args, kw)?;
    let d = nd(vm, this)?;
    d.seen.set(0);
    d.pendingcr.set(false);
    let dec = d.decoder.borrow().clone();
    if let Some(dec) = dec {
        meth(vm, &dec, "reset", &[])?;
    }
    Ok(vm.none.clone())
}

fn nd_newlines(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(newlines_obj(vm, nd(vm, this)?.seen.get()))
}

static ND_METHODS: &[MethodDef] = &[
    MethodDef::method("decode", nd_decode, ""),
    MethodDef::method("getstate", nd_getstate, ""),
    MethodDef::method("setstate", nd_setstate, ""),
    MethodDef::method("reset", nd_reset, ""),
];

static ND_GETSETS: &[GetSetDef] = &[GetSetDef::readonly("newlines", nd_newlines, "")];

#[cfg(test)]
mod tests {
    use super::*;

    fn cps(s: &str) -> Vec<u32> {
        s.chars().map(|c| c as u32).collect()
    }

    #[test]
    fn line_endings() {
        assert_eq!(find_line_end(&cps("ab\ncd"), true, true, &[], false), Some(3));
        assert_eq!(find_line_end(&cps("ab\r\ncd"), false, true, &[], false), Some(4));
        assert_eq!(find_line_end(&cps("ab\rcd"), false, true, &[], false), Some(3));
        // A final \r may be the first half of \r\n: undecided until final.
        assert_eq!(find_line_end(&cps("ab\r"), false, true, &[], false), None);
        assert_eq!(find_line_end(&cps("ab\r"), false, true, &[], true), Some(3));
        assert_eq!(find_line_end(&cps("a\nb\r\nc"), false, false, &cps("\r\n"), false), Some(5));
    }

    #[test]
    fn newline_translation_keeps_byte_lengths() {
        let seen = Cell::new(0);
        let mut c = cps("a\r\nb\rc\n");
        let mut l = vec![1, 1, 1, 1, 1, 1, 1];
        translate_newlines(&mut c, &mut l, true, &seen);
        assert_eq!(c, cps("a\nb\nc\n"));
        assert_eq!(l, vec![1, 2, 1, 1, 1, 1]);
        assert_eq!(seen.get(), SEEN_CR | SEEN_LF | SEEN_CRLF);
    }
}
