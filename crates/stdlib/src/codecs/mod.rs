//! `_codecs`: the codec registry (search functions, a cache keyed by the
//! normalised name, error handlers) and the codec functions the
//! `encodings` package calls. The built-in codecs (UTF-8/16/32, Latin-1,
//! ASCII) are the vm's (`taipan_vm::codecs`): one implementation.

use std::cell::RefCell;

use taipan_parser::wtf8::Wtf8Buf;
use taipan_vm::codecs::{self as vmcodecs, unicode_error, Codec, Endian};
use taipan_vm::modules::{add_functions, NativeModuleDef};
use taipan_vm::native::{bind, FunctionDef, Params};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{self, new_bytes, new_str, new_str_wtf8, new_tuple, str_data, type_name, StrData, TupleData};
use taipan_vm::types::Kwargs;
use taipan_vm::{ops, PyErr, PyResult, Vm};

mod utf7;

pub const MODULE: NativeModuleDef = NativeModuleDef { name: "_codecs", init: init_module };

#[derive(Default)]
struct Registry {
    search: RefCell<Vec<Obj>>,
    cache: RefCell<Vec<(String, Obj)>>,
    errors: RefCell<Vec<(String, Obj)>>,
    initialised: std::cell::Cell<bool>,
}

fn init_module(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCTIONS)?;
    // The standard handlers are registered like any other, as the very
    // objects `codecs.strict_errors` etc. name.
    let reg = vm.state::<Registry>();
    let mut errors = reg.errors.borrow_mut();
    for (name, fname) in STANDARD_HANDLERS {
        if !errors.iter().any(|(k, _)| k == name) {
            errors.push((name.to_string(), taipan_vm::classes::getattr(vm, m, &vm.intern(fname))?));
        }
    }
    Ok(())
}

static FUNCTIONS: &[FunctionDef] = &[
    FunctionDef::new("register", register, "Register a codec search function."),
    FunctionDef::new("unregister", unregister, "Unregister a codec search function and clear the registry's cache."),
    FunctionDef::new("lookup", lookup, "Looks up a codec tuple in the Python codec registry and returns a CodecInfo object."),
    FunctionDef::new("encode", encode, "Encodes obj using the codec registered for encoding."),
    FunctionDef::new("decode", decode, "Decodes obj using the codec registered for encoding."),
    FunctionDef::new("register_error", register_error, "Register the specified error handler under the name errors."),
    FunctionDef::new("lookup_error", lookup_error, "lookup_error(errors) -> handler"),
    FunctionDef::new("_forget_codec", forget_codec, "Purge the named codec from the internal codec lookup cache"),
    FunctionDef::new("strict_errors", strict_errors, ""),
    FunctionDef::new("ignore_errors", ignore_errors, ""),
    FunctionDef::new("replace_errors", replace_errors, ""),
    FunctionDef::new("backslashreplace_errors", backslashreplace_errors, ""),
    FunctionDef::new("xmlcharrefreplace_errors", xmlcharrefreplace_errors, ""),
    FunctionDef::new("namereplace_errors", namereplace_errors, ""),
    FunctionDef::new("surrogateescape_errors", surrogateescape_errors, ""),
    FunctionDef::new("surrogatepass_errors", surrogatepass_errors, ""),
    FunctionDef::new("utf_8_encode", utf_8_encode, ""),
    FunctionDef::new("utf_8_decode", utf_8_decode, ""),
    FunctionDef::new("ascii_encode", ascii_encode, ""),
    FunctionDef::new("ascii_decode", ascii_decode, ""),
    FunctionDef::new("latin_1_encode", latin_1_encode, ""),
    FunctionDef::new("latin_1_decode", latin_1_decode, ""),
    FunctionDef::new("utf_16_encode", utf_16_encode, ""),
    FunctionDef::new("utf_16_decode", utf_16_decode, ""),
    FunctionDef::new("utf_16_le_encode", utf_16_le_encode, ""),
    FunctionDef::new("utf_16_le_decode", utf_16_le_decode, ""),
    FunctionDef::new("utf_16_be_encode", utf_16_be_encode, ""),
    FunctionDef::new("utf_16_be_decode", utf_16_be_decode, ""),
    FunctionDef::new("utf_16_ex_decode", utf_16_ex_decode, ""),
    FunctionDef::new("utf_32_encode", utf_32_encode, ""),
    FunctionDef::new("utf_32_decode", utf_32_decode, ""),
    FunctionDef::new("utf_32_le_encode", utf_32_le_encode, ""),
    FunctionDef::new("utf_32_le_decode", utf_32_le_decode, ""),
    FunctionDef::new("utf_32_be_encode", utf_32_be_encode, ""),
    FunctionDef::new("utf_32_be_decode", utf_32_be_decode, ""),
    FunctionDef::new("utf_32_ex_decode", utf_32_ex_decode, ""),
    FunctionDef::new("utf_7_encode", utf7::utf_7_encode, ""),
    FunctionDef::new("utf_7_decode", utf7::utf_7_decode, ""),
    FunctionDef::new("charmap_encode", charmap_encode, ""),
    FunctionDef::new("charmap_decode", charmap_decode, ""),
    FunctionDef::new("charmap_build", charmap_build, ""),
    FunctionDef::new("unicode_escape_encode", unicode_escape_encode, ""),
    FunctionDef::new("unicode_escape_decode", unicode_escape_decode, ""),
    FunctionDef::new("raw_unicode_escape_encode", raw_unicode_escape_encode, ""),
    FunctionDef::new("raw_unicode_escape_decode", raw_unicode_escape_decode, ""),
    FunctionDef::new("escape_encode", escape_encode, ""),
    FunctionDef::new("escape_decode", escape_decode, ""),
    FunctionDef::new("readbuffer_encode", readbuffer_encode, ""),
];

// ---------------------------------------------------------------- registry

/// `callable(o)`.
fn is_callable(o: &Obj) -> bool {
    taipan_vm::types::type_data_of(o).slots.get().call.is_some() || o.downcast::<taipan_vm::function::FunctionData>().is_some()
}

fn register(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f] = taipan_vm::native::exact::<1>(vm, "register", args, kw)?;
    if !is_callable(&f) {
        return Err(vm.type_error("argument must be callable"));
    }
    vm.state::<Registry>().search.borrow_mut().push(f);
    Ok(vm.none.clone())
}

fn unregister(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f] = taipan_vm::native::exact::<1>(vm, "unregister", args, kw)?;
    let r = vm.state::<Registry>();
    r.search.borrow_mut().retain(|x| !x.is(&f));
    r.cache.borrow_mut().clear();
    Ok(vm.none.clone())
}

/// CPython's `normalizestring`: lower case, spaces to underscores.
fn normalize(name: &str) -> String {
    name.chars().map(|c| if c == ' ' { '_' } else { c.to_ascii_lowercase() }).collect()
}

/// `codecs.lookup(encoding)`: the `CodecInfo` of the first search function
/// that knows the name (the `encodings` package's, imported on first use).
pub fn lookup_codec(vm: &Vm, encoding: &str) -> PyResult<Obj> {
    let reg = vm.state::<Registry>();
    if !reg.initialised.get() {
        reg.initialised.set(true);
        taipan_vm::import::import_absolute(vm, "encodings")?;
    }
    let key = normalize(encoding);
    if let Some((_, v)) = reg.cache.borrow().iter().find(|(k, _)| *k == key) {
        return Ok(v.clone());
    }
    let funcs = reg.search.borrow().clone();
    for f in funcs {
        let r = taipan_vm::classes::call_object(vm, &f, &[new_str(vm, &key)])?;
        if r.is(&vm.none) {
            continue;
        }
        if r.downcast::<TupleData>().is_none_or(|t| t.items.len() != 4) {
            return Err(vm.type_error("codec search functions must return 4-tuples"));
        }
        reg.cache.borrow_mut().push((key, r.clone()));
        return Ok(r);
    }
    Err(vm.new_error(&vm.types.lookup_error, format!("unknown encoding: {encoding}")))
}

fn lookup(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [e] = taipan_vm::native::exact::<1>(vm, "lookup", args, kw)?;
    let Some(s) = e.downcast::<StrData>() else {
        return Err(vm.type_error(format!("lookup() argument must be str, not {}", type_name(&e))));
    };
    // The name is encoded to UTF-8 first, as CPython does.
    if let Some(pos) = s.value.code_points().position(|c| (0xD800..0xE000).contains(&c)) {
        let ty = &vm.types.unicode_encode_error;
        return Err(vmcodecs::unicode_error(vm, ty, "utf-8", e.clone(), pos, pos + 1, "surrogates not allowed"));
    }
    if s.as_str().contains('\0') {
        return Err(vm.new_error(&vm.types.value_error, "embedded null character"));
    }
    lookup_codec(vm, &s.as_str())
}

fn forget_codec(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [e] = taipan_vm::native::exact::<1>(vm, "_forget_codec", args, kw)?;
    let key = normalize(&str_data(&e).as_str());
    vm.state::<Registry>().cache.borrow_mut().retain(|(k, _)| *k != key);
    Ok(vm.none.clone())
}

fn str_arg(vm: &Vm, o: &Option<Obj>, default: &str, fname: &str, what: &str) -> PyResult<String> {
    match o {
        None => Ok(default.to_string()),
        Some(o) if o.is(&vm.none) => Ok(default.to_string()),
        Some(o) => match o.downcast::<StrData>() {
            Some(s) => Ok(s.as_str().into_owned()),
            None => Err(vm.type_error(format!("{fname}() argument '{what}' must be str, not {}", type_name(o)))),
        },
    }
}

/// `codecs.encode`/`decode` through the registry: item 0 (encoder) or
/// 1 (decoder) of the `CodecInfo`, whose result is `(output, consumed)`.
fn run_codec(vm: &Vm, obj: Obj, encoding: &str, errors: &str, which: usize) -> PyResult<Obj> {
    let info = lookup_codec(vm, encoding)?;
    let f = info.downcast::<TupleData>().map(|t| t.items[which].clone()).ok_or_else(|| vm.type_error("bad codec info"))?;
    let r = taipan_vm::classes::call_object(vm, &f, &[obj, new_str(vm, errors)])
        .map_err(|e| vmcodecs::wrap_failure(vm, if which == 0 { "encoding" } else { "decoding" }, encoding, e))?;
    match r.downcast::<TupleData>() {
        Some(t) if t.items.len() == 2 => Ok(t.items[0].clone()),
        _ => Err(vm.type_error(if which == 0 {
            "encoder must return a tuple (object, integer)"
        } else {
            "decoder must return a tuple (object,integer)"
        })),
    }
}

fn encode(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "encode", names: &["obj", "encoding", "errors"], posonly: 0, kwonly: 0, required: 1 };
    let [obj, encoding, errors] = bind::<3>(vm, &P, args, kw)?;
    let obj = obj.unwrap_or_else(|| vm.none.clone());
    let encoding = str_arg(vm, &encoding, "utf-8", "encode", "encoding")?;
    let errors = str_arg(vm, &errors, "strict", "encode", "errors")?;
    if let (Some(s), Some(_)) = (obj.downcast::<StrData>(), vmcodecs::lookup(&encoding)) {
        let out = vmcodecs::encode(vm, &s.value, &encoding, &errors).map_err(|e| vmcodecs::wrap_failure(vm, "encoding", &encoding, e))?;
        return Ok(new_bytes(vm, out));
    }
    run_codec(vm, obj, &encoding, &errors, 0)
}

fn decode(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "decode", names: &["obj", "encoding", "errors"], posonly: 0, kwonly: 0, required: 1 };
    let [obj, encoding, errors] = bind::<3>(vm, &P, args, kw)?;
    let obj = obj.unwrap_or_else(|| vm.none.clone());
    let encoding = str_arg(vm, &encoding, "utf-8", "decode", "encoding")?;
    let errors = str_arg(vm, &errors, "strict", "decode", "errors")?;
    if let (Some(b), Some(_)) = (builtin::bytes_data(&obj), vmcodecs::lookup(&encoding)) {
        let text = vmcodecs::decode(vm, b, &encoding, &errors).map_err(|e| vmcodecs::wrap_failure(vm, "decoding", &encoding, e))?;
        return Ok(new_str_wtf8(vm, text));
    }
    run_codec(vm, obj, &encoding, &errors, 1)
}

// ----------------------------------------------------------- error handlers

const STANDARD_HANDLERS: [(&str, &str); 8] = [
    ("strict", "strict_errors"),
    ("ignore", "ignore_errors"),
    ("replace", "replace_errors"),
    ("backslashreplace", "backslashreplace_errors"),
    ("xmlcharrefreplace", "xmlcharrefreplace_errors"),
    ("namereplace", "namereplace_errors"),
    ("surrogateescape", "surrogateescape_errors"),
    ("surrogatepass", "surrogatepass_errors"),
];

fn register_error(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name, handler] = taipan_vm::native::exact::<2>(vm, "register_error", args, kw)?;
    let name = str_arg(vm, &Some(name), "", "register_error", "errors")?;
    if !is_callable(&handler) {
        return Err(vm.type_error("handler must be callable"));
    }
    let reg = vm.state::<Registry>();
    let mut e = reg.errors.borrow_mut();
    e.retain(|(k, _)| *k != name);
    e.push((name, handler));
    Ok(vm.none.clone())
}

fn lookup_error(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name] = taipan_vm::native::exact::<1>(vm, "lookup_error", args, kw)?;
    let name = str_arg(vm, &Some(name), "", "lookup_error", "name")?;
    if let Some((_, h)) = vm.state::<Registry>().errors.borrow().iter().find(|(k, _)| *k == name) {
        return Ok(h.clone());
    }
    Err(vm.new_error(&vm.types.lookup_error, format!("unknown error handler name '{name}'")))
}

/// The parts of a `UnicodeError` a handler needs.
struct ErrInfo {
    exc: Obj,
    decode: bool,
    /// A `UnicodeTranslateError` (str in, str out, like an encode error).
    translate: bool,
    object: Obj,
    start: usize,
    end: usize,
}

fn err_info(vm: &Vm, args: &[Obj], kw: Kwargs, fname: &str) -> PyResult<ErrInfo> {
    let [exc] = taipan_vm::native::exact::<1>(vm, fname, args, kw)?;
    let ty = taipan_vm::types::type_of(&exc);
    let decode = taipan_vm::types::is_subtype(&ty, &vm.types.unicode_decode_error);
    let encode = taipan_vm::types::is_subtype(&ty, &vm.types.unicode_encode_error);
    let translate = taipan_vm::types::is_subtype(&ty, &vm.types.unicode_translate_error);
    if !decode && !encode && !translate {
        return Err(cannot_handle(vm, &exc));
    }
    let get = |n: &str| taipan_vm::classes::getattr(vm, &exc, &vm.intern(n));
    let object = get("object")?;
    let size = if decode {
        match object.downcast::<taipan_vm::types::bytes::BytesData>() {
            Some(_) => builtin::as_buffer(&object).map_or(0, |b| b.len()),
            None => return Err(vm.type_error("object attribute must be bytes")),
        }
    } else {
        match object.downcast::<StrData>() {
            Some(s) => s.len(),
            None => return Err(vm.type_error("object attribute must be unicode")),
        }
    };
    // CPython's clamping: start inside the object, end past start's first
    // possible position.
    let start = builtin::expect_int(vm, &get("start")?, "")?.clamp(0, size.saturating_sub(1) as i64) as usize;
    let end = builtin::expect_int(vm, &get("end")?, "")?.max(1).min(size as i64) as usize;
    Ok(ErrInfo { exc, decode, translate, object, start, end })
}

fn cannot_handle(vm: &Vm, exc: &Obj) -> PyErr {
    vm.type_error(format!("don't know how to handle {} in error callback", type_name(exc)))
}

fn result(vm: &Vm, text: Wtf8Buf, end: usize) -> Obj {
    new_tuple(vm, vec![new_str_wtf8(vm, text), vm.int(end as i64)])
}

fn strict_errors(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [exc] = taipan_vm::native::exact::<1>(vm, "strict_errors", args, kw)?;
    if taipan_vm::types::is_subtype(&taipan_vm::types::type_of(&exc), &vm.types.base_exception) {
        return Err(PyErr { exc });
    }
    Err(vm.type_error("codec must pass exception instance"))
}

fn ignore_errors(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let e = err_info(vm, args, kw, "ignore_errors")?;
    Ok(result(vm, Wtf8Buf::new(), e.end))
}

/// The code points `start..end` of the str an encode error is about.
fn bad_chars(e: &ErrInfo) -> Vec<u32> {
    e.object
        .downcast::<StrData>()
        .map(|s| s.value.code_points().skip(e.start).take(e.end.saturating_sub(e.start)).collect())
        .unwrap_or_default()
}

fn bad_bytes(e: &ErrInfo) -> Vec<u8> {
    builtin::as_buffer(&e.object).map(|b| b.get(e.start..e.end.min(b.len())).unwrap_or(&[]).to_vec()).unwrap_or_default()
}

/// Encode and translate errors: the vm's replacement text for every
/// character of the range (ASCII ones included).
fn via_ascii(vm: &Vm, e: &ErrInfo, handler: &str) -> PyResult<Obj> {
    let text = vmcodecs::replacement_text(handler, &bad_chars(e)).unwrap_or_default();
    Ok(result(vm, Wtf8Buf::from_str(&text), e.end))
}

fn replace_errors(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let e = err_info(vm, args, kw, "replace_errors")?;
    if e.decode {
        return Ok(result(vm, Wtf8Buf::from_str("\u{FFFD}"), e.end));
    }
    if e.translate {
        let n = e.end.saturating_sub(e.start);
        return Ok(result(vm, Wtf8Buf::from_str(&"\u{FFFD}".repeat(n)), e.end));
    }
    via_ascii(vm, &e, "replace")
}

fn backslashreplace_errors(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let e = err_info(vm, args, kw, "backslashreplace_errors")?;
    if e.decode {
        let text: String = bad_bytes(&e).iter().map(|b| format!("\\x{b:02x}")).collect();
        return Ok(result(vm, Wtf8Buf::from_str(&text), e.end));
    }
    via_ascii(vm, &e, "backslashreplace")
}

fn xmlcharrefreplace_errors(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let e = err_info(vm, args, kw, "xmlcharrefreplace_errors")?;
    if e.decode || e.translate {
        return Err(cannot_handle(vm, &e.exc));
    }
    via_ascii(vm, &e, "xmlcharrefreplace")
}

fn namereplace_errors(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let e = err_info(vm, args, kw, "namereplace_errors")?;
    if e.decode || e.translate {
        return Err(cannot_handle(vm, &e.exc));
    }
    via_ascii(vm, &e, "namereplace")
}

fn surrogateescape_errors(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let e = err_info(vm, args, kw, "surrogateescape_errors")?;
    if e.translate {
        return Err(cannot_handle(vm, &e.exc));
    }
    if e.decode {
        let bytes = bad_bytes(&e);
        if bytes.iter().any(|&b| b < 128) {
            return Err(PyErr { exc: e.exc });
        }
        let mut w = Wtf8Buf::new();
        for b in bytes {
            w.push_code_point(0xDC00 + b as u32);
        }
        return Ok(result(vm, w, e.end));
    }
    let chars = bad_chars(&e);
    if chars.iter().any(|c| !(0xDC80..0xDD00).contains(c)) {
        return Err(PyErr { exc: e.exc });
    }
    let bytes: Vec<u8> = chars.iter().map(|c| (c - 0xDC00) as u8).collect();
    Ok(new_tuple(vm, vec![new_bytes(vm, bytes), vm.int(e.end as i64)]))
}

/// `surrogatepass`: lone surrogates pass through the UTF-8/16/32 codecs
/// as the code units they would be (the byte order from the error's
/// encoding; plain `utf-16`/`utf-32` mean this machine's, little-endian).
fn surrogatepass_errors(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let e = err_info(vm, args, kw, "surrogatepass_errors")?;
    if e.translate {
        return Err(cannot_handle(vm, &e.exc));
    }
    let encoding = taipan_vm::classes::getattr(vm, &e.exc, &vm.intern("encoding"))?;
    let encoding = encoding.downcast::<StrData>().map(|s| s.as_str().to_string()).unwrap_or_default();
    let codec = match vmcodecs::lookup(&encoding) {
        Some(Codec::Utf16(Endian::Bom)) => Codec::Utf16(Endian::Little),
        Some(Codec::Utf32(Endian::Bom)) => Codec::Utf32(Endian::Little),
        Some(c @ (Codec::Utf8 | Codec::Utf16(_) | Codec::Utf32(_))) => c,
        _ => return Err(PyErr { exc: e.exc }),
    };
    if e.decode {
        let bytes = builtin::as_buffer(&e.object).map(|b| b.get(e.start..).unwrap_or(&[]).to_vec()).unwrap_or_default();
        let unit = match codec {
            Codec::Utf8 if bytes.len() >= 3 && bytes[0] & 0xF0 == 0xE0 && bytes[1] & 0xC0 == 0x80 && bytes[2] & 0xC0 == 0x80 => {
                Some((((bytes[0] as u32 & 0x0F) << 12) | ((bytes[1] as u32 & 0x3F) << 6) | (bytes[2] as u32 & 0x3F), 3))
            }
            Codec::Utf16(Endian::Big) if bytes.len() >= 2 => Some((u16::from_be_bytes([bytes[0], bytes[1]]) as u32, 2)),
            Codec::Utf16(_) if bytes.len() >= 2 => Some((u16::from_le_bytes([bytes[0], bytes[1]]) as u32, 2)),
            Codec::Utf32(Endian::Big) if bytes.len() >= 4 => Some((u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]), 4)),
            Codec::Utf32(_) if bytes.len() >= 4 => Some((u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]), 4)),
            _ => None,
        };
        let Some((c, n)) = unit.filter(|(c, _)| (0xD800..0xE000).contains(c)) else { return Err(PyErr { exc: e.exc }) };
        let mut w = Wtf8Buf::new();
        w.push_code_point(c);
        return Ok(result(vm, w, e.start + n));
    }
    let chars = bad_chars(&e);
    if chars.iter().any(|c| !(0xD800..0xE000).contains(c)) {
        return Err(PyErr { exc: e.exc });
    }
    let mut w = Wtf8Buf::new();
    for c in chars {
        w.push_code_point(c);
    }
    let bytes = vmcodecs::encode(vm, &w, codec.name(), "surrogatepass")?;
    Ok(new_tuple(vm, vec![new_bytes(vm, bytes), vm.int(e.end as i64)]))
}

// ---------------------------------------------------------- codec functions

fn text_arg<'a>(vm: &Vm, o: &'a Obj, fname: &str) -> PyResult<&'a StrData> {
    o.downcast::<StrData>().ok_or_else(|| vm.type_error(format!("{fname}() argument 1 must be str, not {}", type_name(o))))
}

fn bytes_arg(vm: &Vm, o: &Obj, fname: &str) -> PyResult<Vec<u8>> {
    if let Some(s) = o.downcast::<StrData>() {
        // The escape decoders accept str (as its UTF-8 bytes).
        if fname.contains("escape") {
            return Ok(s.value.as_bytes().to_vec());
        }
    }
    builtin::as_buffer(o)
        .map(|b| b.into_owned())
        .ok_or_else(|| vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(o))))
}

/// `NAME_encode(str, errors=None)` -> `(bytes, len(str))`.
fn encode_fn(vm: &Vm, args: &[Obj], kw: Kwargs, fname: &str, codec: &str) -> PyResult<Obj> {
    let [s, errors] = taipan_vm::native::at_most::<2>(vm, fname, 1, args, kw)?;
    let s = s.unwrap_or_else(|| vm.none.clone());
    let st = text_arg(vm, &s, fname)?;
    let errors = str_arg(vm, &errors, "strict", fname, "errors")?;
    let out = vmcodecs::encode(vm, &st.value, codec, &errors)?;
    Ok(new_tuple(vm, vec![new_bytes(vm, out), vm.int(st.len() as i64)]))
}

/// How many bytes at the end of `b` are an incomplete sequence for `codec`.
fn incomplete_tail(codec: Codec, b: &[u8]) -> usize {
    match codec {
        Codec::Utf8 => match std::str::from_utf8(b) {
            Err(e) if e.error_len().is_none() => b.len() - e.valid_up_to(),
            Err(_) => {
                // An error before the end: only a truncated sequence at
                // the very end is held back.
                let mut n = 0;
                for k in 1..=3.min(b.len()) {
                    if std::str::from_utf8(&b[b.len() - k..]).is_err_and(|e| e.error_len().is_none() && e.valid_up_to() == 0) {
                        n = k;
                    }
                }
                n
            }
            Ok(_) => 0,
        },
        Codec::Utf16(e) => {
            let mut n = b.len() % 2;
            let end = b.len() - n;
            if end >= 2 {
                let u = if e == Endian::Big {
                    u16::from_be_bytes([b[end - 2], b[end - 1]])
                } else {
                    u16::from_le_bytes([b[end - 2], b[end - 1]])
                };
                if (0xD800..0xDC00).contains(&u) {
                    n += 2;
                }
            }
            n
        }
        Codec::Utf32(_) => b.len() % 4,
        _ => 0,
    }
}

/// `NAME_decode(data, errors=None, final=False)` -> `(str, consumed)`.
fn decode_fn(vm: &Vm, args: &[Obj], kw: Kwargs, fname: &'static str, codec: Codec) -> PyResult<Obj> {
    let p = Params { fname, names: &["data", "errors", "final"], posonly: 3, kwonly: 0, required: 1 };
    let [data, errors, final_] = bind::<3>(vm, &p, args, kw)?;
    let data = bytes_arg(vm, &data.unwrap_or_else(|| vm.none.clone()), fname)?;
    let errors = str_arg(vm, &errors, "strict", fname, "errors")?;
    let final_ = match &final_ {
        Some(f) => ops::truth(vm, f)?,
        None => false,
    };
    let (text, used) = decode_part(vm, &data, codec, &errors, final_)?;
    Ok(new_tuple(vm, vec![new_str_wtf8(vm, text), vm.int(used as i64)]))
}

fn decode_part(vm: &Vm, data: &[u8], codec: Codec, errors: &str, final_: bool) -> PyResult<(Wtf8Buf, usize)> {
    let mut end = data.len();
    if !final_ {
        let tail_codec = match codec {
            Codec::Utf16(Endian::Bom) => Codec::Utf16(if data.starts_with(b"\xfe\xff") { Endian::Big } else { Endian::Little }),
            c => c,
        };
        end -= incomplete_tail(tail_codec, data);
        // With surrogatepass, the first two bytes of an encoded surrogate
        // are a sequence still to complete.
        if codec == Codec::Utf8 && errors == "surrogatepass" && end >= 2 && data[end - 2] == 0xED && (0xA0..=0xBF).contains(&data[end - 1])
        {
            end -= 2;
        }
        if matches!(codec, Codec::Utf16(Endian::Bom) | Codec::Utf32(Endian::Bom))
            && end < if matches!(codec, Codec::Utf16(_)) { 2 } else { 4 }
        {
            end = 0;
        }
    }
    Ok((vmcodecs::decode(vm, &data[..end], codec.name(), errors)?, end))
}

macro_rules! codec_fns {
    ($($enc:ident, $dec:ident, $name:literal, $codec:expr;)*) => {
        $(
            fn $enc(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
                encode_fn(vm, args, kw, stringify!($enc), $name)
            }
            fn $dec(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
                decode_fn(vm, args, kw, stringify!($dec), $codec)
            }
        )*
    };
}

codec_fns! {
    utf_8_encode, utf_8_decode, "utf-8", Codec::Utf8;
    ascii_encode, ascii_decode, "ascii", Codec::Ascii;
    latin_1_encode, latin_1_decode, "latin-1", Codec::Latin1;
    utf_16_encode, utf_16_decode, "utf-16", Codec::Utf16(Endian::Bom);
    utf_16_le_encode, utf_16_le_decode, "utf-16-le", Codec::Utf16(Endian::Little);
    utf_16_be_encode, utf_16_be_decode, "utf-16-be", Codec::Utf16(Endian::Big);
    utf_32_encode, utf_32_decode, "utf-32", Codec::Utf32(Endian::Bom);
    utf_32_le_encode, utf_32_le_decode, "utf-32-le", Codec::Utf32(Endian::Little);
    utf_32_be_encode, utf_32_be_decode, "utf-32-be", Codec::Utf32(Endian::Big);
}

/// `utf_16_ex_decode(data, errors=None, byteorder=0, final=False)` ->
/// `(str, consumed, byteorder)`.
fn ex_decode(vm: &Vm, args: &[Obj], kw: Kwargs, fname: &'static str, unit: usize) -> PyResult<Obj> {
    let p = Params { fname, names: &["data", "errors", "byteorder", "final"], posonly: 4, kwonly: 0, required: 1 };
    let [data, errors, order, final_] = bind::<4>(vm, &p, args, kw)?;
    let data = bytes_arg(vm, &data.unwrap_or_else(|| vm.none.clone()), fname)?;
    let errors = str_arg(vm, &errors, "strict", fname, "errors")?;
    let mut order = match order {
        Some(o) => builtin::expect_int(vm, &o, "")?,
        None => 0,
    };
    let final_ = match &final_ {
        Some(f) => ops::truth(vm, f)?,
        None => false,
    };
    let mut start = 0;
    if order == 0 {
        let (le, be): (&[u8], &[u8]) = if unit == 2 { (b"\xff\xfe", b"\xfe\xff") } else { (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff") };
        if data.starts_with(le) {
            order = -1;
            start = unit;
        } else if data.starts_with(be) {
            order = 1;
            start = unit;
        } else if data.len() < unit && !final_ {
            return Ok(new_tuple(vm, vec![new_str(vm, ""), vm.int(0), vm.int(0)]));
        }
    }
    let endian = if order > 0 { Endian::Big } else { Endian::Little };
    let codec = if unit == 2 { Codec::Utf16(endian) } else { Codec::Utf32(endian) };
    let (text, used) = decode_part(vm, &data[start..], codec, &errors, final_)?;
    Ok(new_tuple(vm, vec![new_str_wtf8(vm, text), vm.int((used + start) as i64), vm.int(order)]))
}

fn utf_16_ex_decode(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    ex_decode(vm, args, kw, "utf_16_ex_decode", 2)
}
fn utf_32_ex_decode(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    ex_decode(vm, args, kw, "utf_32_ex_decode", 4)
}

/// Calls a (custom or standard) error handler: `(replacement, resume)`,
/// the position checked against the input's length `len`.
fn call_handler(vm: &Vm, errors: &str, exc: PyErr, len: usize, encoding: bool) -> PyResult<(Obj, usize)> {
    let (rep, pos) = vmcodecs::call_error_handler(vm, errors, &exc.exc, encoding)?;
    Ok((rep, vmcodecs::resume_position(vm, pos, len)?))
}

/// `charmap_decode(data, errors=None, mapping=None)`: a 256-character
/// str table (`\ufffe` = undefined), a dict, or None (Latin-1).
fn charmap_decode(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [data, errors, mapping] = taipan_vm::native::at_most::<3>(vm, "charmap_decode", 1, args, kw)?;
    let data_obj = data.unwrap_or_else(|| vm.none.clone());
    let data = bytes_arg(vm, &data_obj, "charmap_decode")?;
    let errors = str_arg(vm, &errors, "strict", "charmap_decode", "errors")?;
    let mapping = mapping.filter(|m| !m.is(&vm.none));
    let Some(mapping) = mapping else {
        let t = vmcodecs::decode(vm, &data, "latin-1", &errors)?;
        return Ok(new_tuple(vm, vec![new_str_wtf8(vm, t), vm.int(data.len() as i64)]));
    };
    let table: Option<Vec<u32>> = mapping.downcast::<StrData>().map(|s| s.value.code_points().collect());
    let mut out = Wtf8Buf::new();
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        let mapped: Option<Wtf8Buf> = match &table {
            Some(t) => t.get(b as usize).filter(|&&c| c != 0xFFFE).map(|&c| {
                let mut w = Wtf8Buf::new();
                w.push_code_point(c);
                w
            }),
            None => match taipan_vm::classes::call_object(
                vm,
                &taipan_vm::classes::getattr(vm, &mapping, &vm.intern("__getitem__"))?,
                &[vm.int(b as i64)],
            ) {
                Ok(v) if v.is(&vm.none) => None,
                Ok(v) => {
                    if let Some(s) = v.downcast::<StrData>() {
                        Some(s.value.clone())
                    } else {
                        let n = builtin::expect_int(vm, &v, "")?;
                        if !(0..=0x10FFFF).contains(&n) {
                            return Err(vm.type_error("character mapping must be in range(0x110000)"));
                        }
                        let mut w = Wtf8Buf::new();
                        if n != 0xFFFE {
                            w.push_code_point(n as u32);
                            Some(w)
                        } else {
                            None
                        }
                    }
                }
                Err(e) if taipan_vm::types::is_subtype(&taipan_vm::types::type_of(&e.exc), &vm.types.lookup_error) => None,
                Err(e) => return Err(e),
            },
        };
        match mapped {
            Some(w) => {
                out.push_wtf8(&w);
                i += 1;
            }
            None => {
                let exc = unicode_error(
                    vm,
                    &vm.types.unicode_decode_error,
                    "charmap",
                    new_bytes(vm, data.clone()),
                    i,
                    i + 1,
                    "character maps to <undefined>",
                );
                if errors == "strict" {
                    return Err(exc);
                }
                let (rep, pos) = call_handler(vm, &errors, exc, data.len(), false)?;
                if let Some(s) = rep.downcast::<StrData>() {
                    out.push_wtf8(&s.value);
                }
                i = pos;
            }
        }
    }
    Ok(new_tuple(vm, vec![new_str_wtf8(vm, out), vm.int(data.len() as i64)]))
}

/// `charmap_build(decoding_table)`: the encoding map (a dict here).
fn charmap_build(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [t] = taipan_vm::native::exact::<1>(vm, "charmap_build", args, kw)?;
    let s = text_arg(vm, &t, "charmap_build")?;
    let d = builtin::new_dict(vm);
    for (i, c) in s.value.code_points().enumerate() {
        if c != 0xFFFE {
            builtin::dict_set(vm, &d, vm.int(c as i64), vm.int(i as i64))?;
        }
    }
    Ok(d)
}

fn charmap_encode(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [s, errors, mapping] = taipan_vm::native::at_most::<3>(vm, "charmap_encode", 1, args, kw)?;
    let s = s.unwrap_or_else(|| vm.none.clone());
    let st = text_arg(vm, &s, "charmap_encode")?;
    let errors = str_arg(vm, &errors, "strict", "charmap_encode", "errors")?;
    let Some(mapping) = mapping.filter(|m| !m.is(&vm.none)) else {
        let out = vmcodecs::encode(vm, &st.value, "latin-1", &errors)?;
        return Ok(new_tuple(vm, vec![new_bytes(vm, out), vm.int(st.len() as i64)]));
    };
    let cps: Vec<u32> = st.value.code_points().collect();
    let map_one = |c: u32| -> PyResult<Option<Vec<u8>>> {
        let getitem = taipan_vm::classes::getattr(vm, &mapping, &vm.intern("__getitem__"))?;
        match taipan_vm::classes::call_object(vm, &getitem, &[vm.int(c as i64)]) {
            Ok(v) if v.is(&vm.none) => Ok(None),
            Ok(v) => {
                if let Some(b) = builtin::bytes_data(&v) {
                    return Ok(Some(b.to_vec()));
                }
                let n = builtin::expect_int(vm, &v, "")?;
                if !(0..256).contains(&n) {
                    return Err(vm.type_error("character mapping must be in range(256)"));
                }
                Ok(Some(vec![n as u8]))
            }
            Err(e) if taipan_vm::types::is_subtype(&taipan_vm::types::type_of(&e.exc), &vm.types.lookup_error) => Ok(None),
            Err(e) => Err(e),
        }
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < cps.len() {
        match map_one(cps[i])? {
            Some(b) => {
                out.extend(b);
                i += 1;
            }
            None => {
                let mut j = i + 1;
                while j < cps.len() && map_one(cps[j])?.is_none() {
                    j += 1;
                }
                let exc = unicode_error(vm, &vm.types.unicode_encode_error, "charmap", s.clone(), i, j, "character maps to <undefined>");
                if errors == "strict" {
                    return Err(exc);
                }
                let (rep, pos) = call_handler(vm, &errors, exc, cps.len(), true)?;
                if let Some(b) = builtin::bytes_data(&rep) {
                    out.extend_from_slice(b);
                } else if let Some(r) = rep.downcast::<StrData>() {
                    for c in r.value.code_points() {
                        match map_one(c)? {
                            Some(b) => out.extend(b),
                            None => {
                                return Err(unicode_error(
                                    vm,
                                    &vm.types.unicode_encode_error,
                                    "charmap",
                                    s.clone(),
                                    i,
                                    j,
                                    "character maps to <undefined>",
                                ))
                            }
                        }
                    }
                }
                i = pos;
            }
        }
    }
    Ok(new_tuple(vm, vec![new_bytes(vm, out), vm.int(cps.len() as i64)]))
}

/// `unicode_escape` / `raw_unicode_escape` encoding.
fn escape_text(st: &StrData, raw: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for c in st.value.code_points() {
        match c {
            _ if raw && c < 0x100 => out.push(c as u8),
            0x5C if !raw => out.extend(b"\\\\"),
            0x09 if !raw => out.extend(b"\\t"),
            0x0A if !raw => out.extend(b"\\n"),
            0x0D if !raw => out.extend(b"\\r"),
            0x20..=0x7E => out.push(c as u8),
            _ if c < 0x100 => out.extend(format!("\\x{c:02x}").bytes()),
            _ if c < 0x10000 => out.extend(format!("\\u{c:04x}").bytes()),
            _ => out.extend(format!("\\U{c:08x}").bytes()),
        }
    }
    out
}

fn unicode_escape_encode(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [s, _errors] = taipan_vm::native::at_most::<2>(vm, "unicode_escape_encode", 1, args, kw)?;
    let s = s.unwrap_or_else(|| vm.none.clone());
    let st = text_arg(vm, &s, "unicode_escape_encode")?;
    Ok(new_tuple(vm, vec![new_bytes(vm, escape_text(st, false)), vm.int(st.len() as i64)]))
}

fn raw_unicode_escape_encode(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [s, _errors] = taipan_vm::native::at_most::<2>(vm, "raw_unicode_escape_encode", 1, args, kw)?;
    let s = s.unwrap_or_else(|| vm.none.clone());
    let st = text_arg(vm, &s, "raw_unicode_escape_encode")?;
    Ok(new_tuple(vm, vec![new_bytes(vm, escape_text(st, true)), vm.int(st.len() as i64)]))
}

/// Decodes Python escapes in Latin-1 text (`raw`: only `\u`/`\U`).
fn unescape(vm: &Vm, data: &[u8], raw: bool, errors: &str, codec_name: &str) -> PyResult<Wtf8Buf> {
    unescape_from(vm, data, 0, raw, errors, codec_name)
}

/// `unescape` from byte `start` on; an error handler that replaces the
/// input (`exc.object = ...`) continues in the new input.
fn unescape_from(vm: &Vm, data: &[u8], start: usize, raw: bool, errors: &str, codec_name: &str) -> PyResult<Wtf8Buf> {
    let mut out = Wtf8Buf::new();
    let mut i = start;
    let fail = |start: usize, end: usize, reason: &str| -> PyErr {
        unicode_error(vm, &vm.types.unicode_decode_error, codec_name, new_bytes(vm, data.to_vec()), start, end, reason)
    };
    while i < data.len() {
        let b = data[i];
        if raw && b == b'\\' {
            // Only the last backslash of an odd run starts a `\u` escape.
            let run = data[i..].iter().take_while(|&&x| x == b'\\').count();
            if run > 1 {
                let literal = run - run % 2;
                for _ in 0..literal {
                    out.push_code_point(b'\\' as u32);
                }
                i += literal;
                continue;
            }
        }
        if b != b'\\' || i + 1 >= data.len() {
            if b == b'\\' && !raw {
                let e = fail(i, data.len(), "\\ at end of string");
                if errors == "strict" {
                    return Err(e);
                }
                let (rep, pos, new_input) = vmcodecs::run_decode_handler(vm, errors, &e.exc, data)?;
                out.push_wtf8(&rep);
                if let Some(new_input) = new_input {
                    out.push_wtf8(&unescape_from(vm, &new_input, pos, raw, errors, codec_name)?);
                    return Ok(out);
                }
                i = pos.max(i + 1);
                continue;
            }
            out.push_code_point(b as u32);
            i += 1;
            continue;
        }
        let c = data[i + 1];
        let hex = |n: usize, what: &str| -> Result<(u32, usize), PyErr> {
            let digits = data.get(i + 2..i + 2 + n).filter(|d| d.iter().all(u8::is_ascii_hexdigit));
            match digits {
                Some(d) => Ok((u32::from_str_radix(std::str::from_utf8(d).unwrap_or("0"), 16).unwrap_or(0), i + 2 + n)),
                None => {
                    let mut end = i + 2;
                    while end < data.len() && end < i + 2 + n && data[end].is_ascii_hexdigit() {
                        end += 1;
                    }
                    Err(fail(i, end, &format!("truncated {what} escape")))
                }
            }
        };
        let step: Result<(Option<u32>, usize), PyErr> = match c {
            b'u' => hex(4, "\\uXXXX").map(|(v, j)| (Some(v), j)),
            b'U' => {
                hex(8, "\\UXXXXXXXX")
                    .and_then(|(v, j)| if v > 0x10FFFF { Err(fail(i, j, "illegal Unicode character")) } else { Ok((Some(v), j)) })
            }
            _ if raw => Ok((None, i)),
            b'x' => hex(2, "\\xXX").map(|(v, j)| (Some(v), j)),
            b'\n' => Ok((Some(u32::MAX), i + 2)),
            b'\\' => Ok((Some(0x5C), i + 2)),
            b'\'' => Ok((Some(0x27), i + 2)),
            b'"' => Ok((Some(0x22), i + 2)),
            b'a' => Ok((Some(7), i + 2)),
            b'b' => Ok((Some(8), i + 2)),
            b'f' => Ok((Some(12), i + 2)),
            b'n' => Ok((Some(10), i + 2)),
            b'r' => Ok((Some(13), i + 2)),
            b't' => Ok((Some(9), i + 2)),
            b'v' => Ok((Some(11), i + 2)),
            b'0'..=b'7' => {
                let mut v = 0u32;
                let mut j = i + 1;
                while j < data.len() && j < i + 4 && (b'0'..=b'7').contains(&data[j]) {
                    v = v * 8 + (data[j] - b'0') as u32;
                    j += 1;
                }
                Ok((Some(v), j))
            }
            b'N' => {
                let close = data[i + 2..].iter().position(|&x| x == b'}').map(|p| p + i + 2);
                match (data.get(i + 2), close) {
                    (Some(b'{'), Some(end)) => {
                        let name = String::from_utf8_lossy(&data[i + 3..end]).into_owned();
                        match taipan_parser::unicode::lookup_name(&name) {
                            Some(v) => Ok((Some(v), end + 1)),
                            None => Err(fail(i, end + 1, "unknown Unicode character name")),
                        }
                    }
                    _ => Err(fail(i, data.len(), "malformed \\N character escape")),
                }
            }
            _ => Ok((None, i)),
        };
        match step {
            Ok((Some(u32::MAX), j)) => i = j,
            Ok((Some(v), j)) => {
                out.push_code_point(v);
                i = j;
            }
            Ok((None, _)) => {
                out.push_code_point(b'\\' as u32);
                i += 1;
            }
            Err(e) => {
                if errors == "strict" {
                    return Err(e);
                }
                let end = taipan_vm::classes::getattr(vm, &e.exc, &vm.intern("end"))
                    .ok()
                    .and_then(|v| builtin::expect_int(vm, &v, "").ok())
                    .unwrap_or(i as i64 + 1);
                let (rep, pos, new_input) = vmcodecs::run_decode_handler(vm, errors, &e.exc, data)?;
                out.push_wtf8(&rep);
                if let Some(new_input) = new_input {
                    out.push_wtf8(&unescape_from(vm, &new_input, pos, raw, errors, codec_name)?);
                    return Ok(out);
                }
                i = pos.max(end as usize).max(i + 1);
            }
        }
    }
    Ok(out)
}

/// Where an escape sequence that the end of `data` cuts short begins
/// (`data.len()` when none is): what an incremental decoder keeps for
/// the next chunk. Malformed escapes are complete (they are errors).
fn escape_tail(data: &[u8], raw: bool) -> usize {
    let mut i = 0;
    while i < data.len() {
        if data[i] != b'\\' {
            i += 1;
            continue;
        }
        if raw {
            // `\u` escapes only after an odd run of backslashes.
            let run = data[i..].iter().take_while(|&&x| x == b'\\').count();
            let j = i + run;
            if run % 2 == 0 {
                i = j;
                continue;
            }
            match data.get(j) {
                None => return j - 1,
                Some(b'u' | b'U') => i = j - 1,
                Some(_) => {
                    i = j;
                    continue;
                }
            }
        }
        let Some(&c) = data.get(i + 1) else { return i };
        let count = match c {
            b'u' => 4,
            b'U' => 8,
            b'x' if !raw => 2,
            b'N' if !raw => {
                match data.get(i + 2) {
                    None => return i,
                    Some(b'{') => match data[i + 3..].iter().position(|&x| x == b'}') {
                        None => return i,
                        Some(p) => i += 3 + p + 1,
                    },
                    Some(_) => i += 2,
                }
                continue;
            }
            _ if raw => {
                i += 1;
                continue;
            }
            _ => {
                i += 2;
                continue;
            }
        };
        let mut j = i + 2;
        while j < i + 2 + count {
            match data.get(j) {
                None => return i,
                Some(d) if d.is_ascii_hexdigit() => j += 1,
                Some(_) => break,
            }
        }
        i = j;
    }
    data.len()
}

/// `(raw_)unicode_escape_decode(data, errors=None, final=True)`: without
/// `final`, an escape cut short at the end is left for the next call.
fn escape_decode_fn(vm: &Vm, args: &[Obj], kw: Kwargs, fname: &'static str, raw: bool, codec_name: &str) -> PyResult<Obj> {
    let [data, errors, final_] = taipan_vm::native::at_most::<3>(vm, fname, 1, args, kw)?;
    let data = bytes_arg(vm, &data.unwrap_or_else(|| vm.none.clone()), fname)?;
    let errors = str_arg(vm, &errors, "strict", fname, "errors")?;
    let final_ = match &final_ {
        Some(f) => ops::truth(vm, f)?,
        None => true,
    };
    let end = if final_ { data.len() } else { escape_tail(&data, raw) };
    let text = unescape(vm, &data[..end], raw, &errors, codec_name)?;
    if !raw {
        warn_invalid_escape(vm, &data[..end], false)?;
    }
    Ok(new_tuple(vm, vec![new_str_wtf8(vm, text), vm.int(end as i64)]))
}

/// Where the first escape that Python deprecates starts (its backslash):
/// an unknown escape letter, or an octal escape above `\377`. `bytes`:
/// bytes-literal escapes (no `\u`, `\U`, `\N`).
fn first_invalid_escape(data: &[u8], bytes: bool) -> Option<usize> {
    let mut i = 0;
    while i + 1 < data.len() {
        if data[i] != b'\\' {
            i += 1;
            continue;
        }
        match data[i + 1] {
            b'\n' | b'\\' | b'\'' | b'"' | b'a' | b'b' | b'f' | b'n' | b'r' | b't' | b'v' | b'x' => i += 2,
            b'u' | b'U' | b'N' if !bytes => i += 2,
            b'0'..=b'7' => {
                let mut v = 0u32;
                let mut j = i + 1;
                while j < data.len() && j < i + 4 && (b'0'..=b'7').contains(&data[j]) {
                    v = v * 8 + u32::from(data[j] - b'0');
                    j += 1;
                }
                if v > 0o377 {
                    return Some(i);
                }
                i = j;
            }
            _ => return Some(i),
        }
    }
    None
}

/// The DeprecationWarning of a decode that met an invalid escape
/// ("invalid escape sequence '\z'", "invalid octal escape sequence
/// '\777'"), after the decode succeeded, as CPython warns.
fn warn_invalid_escape(vm: &Vm, data: &[u8], bytes: bool) -> PyResult<()> {
    let Some(i) = first_invalid_escape(data, bytes) else { return Ok(()) };
    let c = data[i + 1];
    let msg = if (b'4'..=b'7').contains(&c) {
        let digits: String = data[i + 1..(i + 4).min(data.len())].iter().map(|&b| b as char).collect();
        format!("invalid octal escape sequence '\\{digits}'")
    } else {
        format!("invalid escape sequence '\\{}'", c as char)
    };
    taipan_vm::warnings::warn_builtin(vm, "DeprecationWarning", &msg, 1)
}

/// Bytes-literal escapes (`escape_decode`): octal values wrap at a byte,
/// unknown escapes stay as they are, a bad `\x` is a ValueError or, with
/// `errors` "replace"/"ignore", a `?` or nothing.
fn bytes_unescape(vm: &Vm, data: &[u8], errors: &str) -> PyResult<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        let Some(&c) = data.get(i + 1) else {
            return Err(vm.new_error(&vm.types.value_error, "Trailing \\ in string"));
        };
        i += 2;
        match c {
            b'\n' => {}
            b'\\' => out.push(b'\\'),
            b'\'' => out.push(b'\''),
            b'"' => out.push(b'"'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(10),
            b'r' => out.push(13),
            b't' => out.push(9),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut v = u32::from(c - b'0');
                for _ in 0..2 {
                    match data.get(i) {
                        Some(&d) if (b'0'..=b'7').contains(&d) => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push((v & 0xFF) as u8);
            }
            b'x' => {
                let hex = |k: usize| data.get(k).and_then(|&d| (d as char).to_digit(16));
                if let (Some(h), Some(l)) = (hex(i), hex(i + 1)) {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                    continue;
                }
                match errors {
                    "strict" => {
                        return Err(vm.new_error(&vm.types.value_error, format!("invalid \\x escape at position {}", i - 2)));
                    }
                    "replace" => out.push(b'?'),
                    "ignore" => {}
                    _ => return Err(vm.new_error(&vm.types.value_error, format!("decoding error; unknown error handling code: {errors}"))),
                }
                if hex(i).is_some() {
                    i += 1;
                }
            }
            _ => {
                out.push(b'\\');
                i -= 1;
            }
        }
    }
    Ok(out)
}

fn unicode_escape_decode(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    escape_decode_fn(vm, args, kw, "unicode_escape_decode", false, "unicodeescape")
}

fn raw_unicode_escape_decode(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    escape_decode_fn(vm, args, kw, "raw_unicode_escape_decode", true, "rawunicodeescape")
}

/// `escape_encode(bytes)`: bytes with `repr`-style escapes.
fn escape_encode(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [data, _errors] = taipan_vm::native::at_most::<2>(vm, "escape_encode", 1, args, kw)?;
    let data = data.unwrap_or_else(|| vm.none.clone());
    let Some(b) = builtin::bytes_data(&data) else {
        return Err(vm.type_error(format!("escape_encode() argument 1 must be bytes, not {}", type_name(&data))));
    };
    let mut out = Vec::new();
    for &c in b {
        match c {
            b'\\' => out.extend(b"\\\\"),
            b'\'' => out.extend(b"\\'"),
            b'\t' => out.extend(b"\\t"),
            b'\n' => out.extend(b"\\n"),
            b'\r' => out.extend(b"\\r"),
            0x20..=0x7E => out.push(c),
            _ => out.extend(format!("\\x{c:02x}").bytes()),
        }
    }
    Ok(new_tuple(vm, vec![new_bytes(vm, out), vm.int(b.len() as i64)]))
}

/// `escape_decode(data)`: Python bytes-literal escapes to bytes.
fn escape_decode(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [data, errors] = taipan_vm::native::at_most::<2>(vm, "escape_decode", 1, args, kw)?;
    let data = bytes_arg(vm, &data.unwrap_or_else(|| vm.none.clone()), "escape_decode")?;
    let errors = str_arg(vm, &errors, "strict", "escape_decode", "errors")?;
    let out = bytes_unescape(vm, &data, &errors)?;
    warn_invalid_escape(vm, &data, true)?;
    Ok(new_tuple(vm, vec![new_bytes(vm, out), vm.int(data.len() as i64)]))
}

fn readbuffer_encode(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [data, _errors] = taipan_vm::native::at_most::<2>(vm, "readbuffer_encode", 1, args, kw)?;
    let data = data.unwrap_or_else(|| vm.none.clone());
    let b = match data.downcast::<StrData>() {
        Some(s) => s.value.as_bytes().to_vec(),
        None => bytes_arg(vm, &data, "readbuffer_encode")?,
    };
    let n = b.len();
    Ok(new_tuple(vm, vec![new_bytes(vm, b), vm.int(n as i64)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_escapes() {
        assert_eq!(first_invalid_escape(b"a\\nb\\z", false), Some(4));
        assert_eq!(first_invalid_escape(b"\\377\\400", true), Some(4));
        assert_eq!(first_invalid_escape(b"\\u1234", false), None);
        assert_eq!(first_invalid_escape(b"\\u1234", true), Some(0));
        assert_eq!(first_invalid_escape(b"\\x41\\8", true), Some(4));
    }

    #[test]
    fn escape_tails() {
        assert_eq!(escape_tail(b"ab\\", false), 2);
        assert_eq!(escape_tail(b"a\\x4", false), 1);
        assert_eq!(escape_tail(b"a\\x41", false), 5);
        assert_eq!(escape_tail(b"a\\xg", false), 4);
        assert_eq!(escape_tail(b"\\u12", true), 0);
        assert_eq!(escape_tail(b"\\x1", true), 3);
        assert_eq!(escape_tail(b"\\N{DIGIT", false), 0);
        assert_eq!(escape_tail(b"\\N{DIGIT ONE}", false), 13);
        assert_eq!(escape_tail(b"\\n\\", false), 2);
        assert_eq!(escape_tail(b"ab\\\\", true), 4);
        assert_eq!(escape_tail(b"ab\\\\\\", true), 4);
        assert_eq!(escape_tail(b"ab\\\\u00", true), 7);
        assert_eq!(escape_tail(b"ab\\\\\\u00", true), 4);
    }

    #[test]
    fn incomplete_tails() {
        assert_eq!(incomplete_tail(Codec::Utf8, b"a\xe2\x82"), 2);
        assert_eq!(incomplete_tail(Codec::Utf8, b"a\xe2\x82\xac"), 0);
        assert_eq!(incomplete_tail(Codec::Utf8, b"\xff\xe2"), 1);
        assert_eq!(incomplete_tail(Codec::Utf16(Endian::Little), b"a\x00\x3d\xd8"), 2);
        assert_eq!(incomplete_tail(Codec::Utf16(Endian::Little), b"a\x00b"), 1);
        assert_eq!(incomplete_tail(Codec::Utf32(Endian::Big), b"\x00\x00\x00a\x00"), 1);
    }
}
