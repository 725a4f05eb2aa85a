//! `_multibytecodec`: the Python face of the CJK codecs. `MultibyteCodec`
//! (what `getcodec` returns: one-shot `encode`/`decode`), the incremental
//! encoder/decoder and the stream reader/writer, which the `encodings`
//! modules subclass (the class attribute `codec` names the codec). Error
//! handling follows CPython's multibytecodec.c: strict/ignore/replace
//! inline, other names through `codecs.lookup_error`, the replacement str
//! encoded by the codec itself; a decoder's unfinished sequence is kept
//! (at most 8 bytes) until more input or `final`.

use std::cell::{Cell, RefCell};

use num_bigint::BigUint;
use taipan_parser::wtf8::Wtf8Buf;
use taipan_vm::classes::{call_object, getattr};
use taipan_vm::codecs::{self as vmcodecs, unicode_error};
use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{at_most, bind, exact, new_type, FunctionDef, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{
    as_buffer, bytes_data, int_data, new_bytes, new_int_big, new_str, new_str_wtf8, new_tuple, object_slots, type_name, BytesData, StrData,
    TupleData,
};
use taipan_vm::types::{Kwargs, Slots};
use taipan_vm::{ops, PyErr, PyResult, Vm};

use super::{CjkCodec, Dec, Enc, State};

const MAXDECPENDING: usize = 8;
const MAXENCPENDING: usize = 2;

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "MultibyteIncrementalEncoder", encoder_type(vm))?;
    add_attr(vm, m, "MultibyteIncrementalDecoder", decoder_type(vm))?;
    add_attr(vm, m, "MultibyteStreamReader", reader_type(vm))?;
    add_attr(vm, m, "MultibyteStreamWriter", writer_type(vm))?;
    Ok(())
}

static FUNCS: &[FunctionDef] = &[FunctionDef::new("__create_codec", create_codec, "")];

fn create_codec(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [_] = exact::<1>(vm, "__create_codec", args, kw)?;
    Err(vm.new_error(&vm.types.value_error, "argument type invalid"))
}

// ------------------------------------------------------------ error modes

#[derive(Clone)]
enum Errors {
    Strict,
    Ignore,
    Replace,
    Other(String),
}

impl Errors {
    fn from(name: Option<&str>) -> Errors {
        match name {
            None | Some("strict") => Errors::Strict,
            Some("ignore") => Errors::Ignore,
            Some("replace") => Errors::Replace,
            Some(s) => Errors::Other(s.to_string()),
        }
    }

    fn name(&self) -> &str {
        match self {
            Errors::Strict => "strict",
            Errors::Ignore => "ignore",
            Errors::Replace => "replace",
            Errors::Other(s) => s,
        }
    }
}

/// Calls the handler `name` on `exc`: `(replacement, new position)`.
fn call_handler(vm: &Vm, name: &str, exc: &PyErr, decode: bool) -> PyResult<(Obj, i64)> {
    let bad_result =
        if decode { "decoding error handler must return (str, int) tuple" } else { "encoding error handler must return (str, int) tuple" };
    vmcodecs::call_error_handler_worded(vm, name, &exc.exc, !decode, bad_result)
}

fn new_position(vm: &Vm, p: i64, len: usize) -> PyResult<usize> {
    let q = if p < 0 { p + len as i64 } else { p };
    if q < 0 || q > len as i64 {
        return Err(vm.new_error(&vm.types.index_error, format!("position {q} from error handler out of bounds")));
    }
    Ok(q as usize)
}

// ---------------------------------------------------------------- engines

/// Encodes `cps` (the str `text` for error reports) from state `st`:
/// the bytes and how many characters were consumed (fewer than all when
/// the codec waits for more and `flush` is false).
#[allow(clippy::too_many_arguments)]
fn encode_with(
    vm: &Vm,
    codec: &dyn CjkCodec,
    st: &mut State,
    text: &Obj,
    cps: &[u32],
    errors: &Errors,
    flush: bool,
    reset: bool,
) -> PyResult<(Vec<u8>, usize)> {
    let mut out = Vec::with_capacity(cps.len() * 2);
    let mut i = 0;
    if cps.is_empty() && !reset {
        return Ok((out, 0));
    }
    while i < cps.len() {
        let n = match codec.encode(st, &cps[i..], flush, &mut out) {
            Enc::Done(n) => {
                i += n;
                continue;
            }
            Enc::TooFew => break,
            Enc::Illegal(n) => n,
        };
        match errors {
            Errors::Ignore => i += n,
            Errors::Replace => {
                if codec.encode(st, &[u32::from(b'?')], false, &mut out) != Enc::Done(1) {
                    out.push(b'?');
                }
                i += n;
            }
            Errors::Strict | Errors::Other(_) => {
                let exc =
                    unicode_error(vm, &vm.types.unicode_encode_error, codec.name(), text.clone(), i, i + n, "illegal multibyte sequence");
                let Errors::Other(h) = errors else { return Err(exc) };
                let (rep, pos) = call_handler(vm, h, &exc, false)?;
                if let Some(s) = rep.downcast::<StrData>() {
                    let rcps: Vec<u32> = s.value.code_points().collect();
                    let (b, _) = encode_with(vm, codec, st, &rep, &rcps, &Errors::Strict, true, false)?;
                    out.extend_from_slice(&b);
                } else if let Some(b) = bytes_data(&rep) {
                    out.extend_from_slice(b);
                }
                i = new_position(vm, pos, cps.len())?;
            }
        }
    }
    if reset && codec.has_reset() {
        codec.enc_reset(st, &mut out);
    }
    Ok((out, i))
}

/// Decodes `data` from state `st` into `out`; returns the position reached
/// (before an unfinished sequence unless `final_`, which reports it).
fn decode_with(
    vm: &Vm,
    codec: &dyn CjkCodec,
    st: &mut State,
    data: &[u8],
    errors: &Errors,
    final_: bool,
    out: &mut Wtf8Buf,
) -> PyResult<usize> {
    let mut pos = 0;
    while pos < data.len() {
        let (n, reason) = match codec.decode(st, &data[pos..]) {
            Dec::Out(n, cs, k) => {
                for &c in &cs[..k as usize] {
                    out.push_code_point(c);
                }
                pos += n;
                continue;
            }
            Dec::TooFew if !final_ => break,
            Dec::TooFew => (data.len() - pos, "incomplete multibyte sequence"),
            Dec::Illegal(n) => (n, "illegal multibyte sequence"),
        };
        pos = dec_error(vm, codec, data, pos, n, reason, errors, out)?;
    }
    Ok(pos)
}

#[allow(clippy::too_many_arguments)]
fn dec_error(
    vm: &Vm,
    codec: &dyn CjkCodec,
    data: &[u8],
    pos: usize,
    n: usize,
    reason: &str,
    errors: &Errors,
    out: &mut Wtf8Buf,
) -> PyResult<usize> {
    match errors {
        Errors::Ignore => Ok(pos + n),
        Errors::Replace => {
            out.push_code_point(0xFFFD);
            Ok(pos + n)
        }
        Errors::Strict | Errors::Other(_) => {
            let exc = unicode_error(vm, &vm.types.unicode_decode_error, codec.name(), new_bytes(vm, data.to_vec()), pos, pos + n, reason);
            let Errors::Other(h) = errors else { return Err(exc) };
            let (rep, p) = call_handler(vm, h, &exc, true)?;
            if let Some(s) = rep.downcast::<StrData>() {
                out.push_wtf8(&s.value);
            }
            new_position(vm, p, data.len())
        }
    }
}

// ---------------------------------------------------------- MultibyteCodec

pub struct CodecObj {
    codec: &'static dyn CjkCodec,
}

fn codec_type(vm: &Vm) -> Obj {
    vm.native_type("_multibytecodec.MultibyteCodec", |vm| {
        let slots = Slots {
            new: Some(|vm, _cls, _a, _kw| Err(vm.type_error("cannot create '_multibytecodec.MultibyteCodec' instances"))),
            ..object_slots()
        };
        new_type::<CodecObj>(vm, "_multibytecodec.MultibyteCodec", &[], false, slots, CODEC_METHODS, &[])
    })
}

pub fn new_codec_object(vm: &Vm, codec: &'static dyn CjkCodec) -> Obj {
    alloc(codec_type(vm), CodecObj { codec })
}

static CODEC_METHODS: &[MethodDef] = &[
    MethodDef::method("encode", codec_encode, "Return an encoded string version of `input'."),
    MethodDef::method("decode", codec_decode, "Decodes 'input'."),
];

fn this_codec(vm: &Vm, this: &Obj) -> PyResult<&'static dyn CjkCodec> {
    this.downcast::<CodecObj>().map(|c| c.codec).ok_or_else(|| vm.type_error("descriptor requires a 'MultibyteCodec' object"))
}

/// An `errors` argument: str or None.
fn errors_arg(vm: &Vm, fname: &str, o: Option<Obj>) -> PyResult<Errors> {
    match o {
        None => Ok(Errors::Strict),
        Some(o) if o.is(&vm.none) => Ok(Errors::Strict),
        Some(o) => match o.downcast::<StrData>() {
            Some(s) => Ok(Errors::from(Some(&s.as_str()))),
            None => Err(vm.type_error(format!("{fname}() argument 'errors' must be str or None, not {}", type_name(&o)))),
        },
    }
}

/// A str argument, or `str(o)` as CPython's encoders accept.
fn text_of(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    if o.downcast::<StrData>().is_some() {
        return Ok(o.clone());
    }
    let s = ops::str(vm, o)?;
    if s.downcast::<StrData>().is_none() {
        return Err(vm.type_error("couldn't convert the object to unicode."));
    }
    Ok(s)
}

fn cps_of(o: &Obj) -> Vec<u32> {
    o.downcast::<StrData>().map(|s| s.value.code_points().collect()).unwrap_or_default()
}

fn codec_encode(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "encode", names: &["input", "errors"], posonly: 0, kwonly: 0, required: 1 };
    let codec = this_codec(vm, this)?;
    let [input, errors] = bind::<2>(vm, &P, args, kw)?;
    let input = input.unwrap_or_else(|| vm.none.clone());
    let text = text_of(vm, &input)?;
    let errors = errors_arg(vm, "encode", errors)?;
    let cps = cps_of(&text);
    let mut st = codec.init();
    let (out, _) = encode_with(vm, codec, &mut st, &text, &cps, &errors, true, true)?;
    Ok(new_tuple(vm, vec![new_bytes(vm, out), vm.int(cps.len() as i64)]))
}

fn buffer_arg(vm: &Vm, o: &Obj) -> PyResult<Vec<u8>> {
    as_buffer(o).map(|b| b.into_owned()).ok_or_else(|| vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(o))))
}

fn codec_decode(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "decode", names: &["input", "errors"], posonly: 0, kwonly: 0, required: 1 };
    let codec = this_codec(vm, this)?;
    let [input, errors] = bind::<2>(vm, &P, args, kw)?;
    let data = buffer_arg(vm, &input.unwrap_or_else(|| vm.none.clone()))?;
    let errors = errors_arg(vm, "decode", errors)?;
    let mut st = codec.dec_init();
    let mut out = Wtf8Buf::new();
    decode_with(vm, codec, &mut st, &data, &errors, true, &mut out)?;
    Ok(new_tuple(vm, vec![new_str_wtf8(vm, out), vm.int(data.len() as i64)]))
}

// ------------------------------------------------- stateful codec contexts

/// What the incremental and stream objects share.
pub struct Ctx {
    codec: &'static dyn CjkCodec,
    errors: RefCell<Errors>,
    state: Cell<State>,
    /// Encoder side: characters waiting for more text.
    pending_text: RefCell<Vec<u32>>,
    /// Decoder side: bytes of an unfinished sequence.
    pending_bytes: RefCell<Vec<u8>>,
    stream: Option<Obj>,
}

fn ctx<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a Ctx> {
    o.downcast::<Ctx>().ok_or_else(|| vm.type_error("descriptor requires a multibyte codec context"))
}

/// The `codec` class attribute of a subclass being instantiated.
fn class_codec(vm: &Vm, cls: &Obj) -> PyResult<&'static dyn CjkCodec> {
    let c = getattr(vm, cls, &vm.intern("codec"))?;
    c.downcast::<CodecObj>().map(|c| c.codec).ok_or_else(|| vm.type_error("codec is unexpected type"))
}

fn new_ctx(vm: &Vm, cls: &Obj, errors: Option<Obj>, stream: Option<Obj>, fname: &str) -> PyResult<Obj> {
    let decoder = fname.contains("Decoder") || fname.contains("Reader");
    let errors = match errors {
        None => Errors::Strict,
        Some(o) => match o.downcast::<StrData>() {
            Some(s) => Errors::from(Some(&s.as_str())),
            None => return Err(vm.type_error(format!("{fname}() argument 'errors' must be str, not {}", type_name(&o)))),
        },
    };
    let codec = class_codec(vm, cls)?;
    Ok(alloc(
        cls.clone(),
        Ctx {
            codec,
            errors: RefCell::new(errors),
            state: Cell::new(if decoder { codec.dec_init() } else { codec.init() }),
            pending_text: RefCell::new(Vec::new()),
            pending_bytes: RefCell::new(Vec::new()),
            stream,
        },
    ))
}

fn ctx_slots(new: taipan_vm::types::CallFn) -> Slots {
    Slots {
        new: Some(new),
        init: Some(noop_init),
        traverse: Some(|o, visit| {
            if let Some(s) = o.downcast::<Ctx>().and_then(|c| c.stream.as_ref()) {
                visit(s);
            }
        }),
        ..object_slots()
    }
}

fn errors_get(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(new_str(vm, ctx(vm, this)?.errors.borrow().name()))
}

fn errors_set(vm: &Vm, this: &Obj, v: Option<Obj>) -> PyResult<()> {
    let Some(v) = v else { return Err(vm.new_error(&vm.types.attribute_error, "cannot delete attribute")) };
    let Some(s) = v.downcast::<StrData>() else { return Err(vm.type_error("errors must be a string")) };
    *ctx(vm, this)?.errors.borrow_mut() = Errors::from(Some(&s.as_str()));
    Ok(())
}

fn stream_get(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(ctx(vm, this)?.stream.clone().unwrap_or_else(|| vm.none.clone()))
}

static CTX_GETSETS: &[GetSetDef] = &[GetSetDef::new("errors", errors_get, errors_set, "how to treat errors")];
static STREAM_GETSETS: &[GetSetDef] =
    &[GetSetDef::new("errors", errors_get, errors_set, "how to treat errors"), GetSetDef::readonly("stream", stream_get, "")];

/// CPython's `tp_init` of these types accepts anything and does nothing
/// (`codecs.StreamReader.__init__` further along the MRO is not called).
fn noop_init(vm: &Vm, _this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    Ok(vm.none.clone())
}

/// Encodes `input` after the pending characters (incremental encoder and
/// stream writer); on error the pending text is restored.
fn encode_stateful(vm: &Vm, c: &Ctx, input: &Obj, final_: bool) -> PyResult<Vec<u8>> {
    let text = text_of(vm, input)?;
    let orig = c.pending_text.borrow().clone();
    let mut cps = orig.clone();
    cps.extend(cps_of(&text));
    let text_obj = if orig.is_empty() {
        text
    } else {
        let mut w = Wtf8Buf::new();
        cps.iter().for_each(|&x| w.push_code_point(x));
        new_str_wtf8(vm, w)
    };
    c.pending_text.borrow_mut().clear();
    let mut st = c.state.get();
    let errors = c.errors.borrow().clone();
    let r = encode_with(vm, c.codec, &mut st, &text_obj, &cps, &errors, final_, final_);
    c.state.set(st);
    let (out, pos) = match r {
        Ok(x) => x,
        Err(e) => {
            *c.pending_text.borrow_mut() = orig;
            return Err(e);
        }
    };
    if pos < cps.len() {
        if cps.len() - pos > MAXENCPENDING {
            return Err(vm.new_error(&vm.types.unicode_error, "pending buffer overflow"));
        }
        *c.pending_text.borrow_mut() = cps[pos..].to_vec();
    }
    Ok(out)
}

// ------------------------------------------------ incremental encoder

fn encoder_type(vm: &Vm) -> Obj {
    vm.native_type("_multibytecodec.MultibyteIncrementalEncoder", |vm| {
        let slots = ctx_slots(|vm, cls, args, kw| {
            static P: Params = Params { fname: "IncrementalEncoder", names: &["errors"], posonly: 0, kwonly: 0, required: 0 };
            let [errors] = bind::<1>(vm, &P, args, kw)?;
            new_ctx(vm, cls, errors, None, "IncrementalEncoder")
        });
        new_type::<Ctx>(vm, "_multibytecodec.MultibyteIncrementalEncoder", &[], true, slots, ENCODER_METHODS, CTX_GETSETS)
    })
}

static ENCODER_METHODS: &[MethodDef] = &[
    MethodDef::method("encode", ienc_encode, ""),
    MethodDef::method("getstate", ienc_getstate, ""),
    MethodDef::method("setstate", ienc_setstate, ""),
    MethodDef::method("reset", ienc_reset, ""),
];

fn final_arg(vm: &Vm, o: Option<Obj>) -> PyResult<bool> {
    match o {
        None => Ok(false),
        Some(o) => match int_data(&o) {
            Some(_) => ops::truth(vm, &o),
            None => Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer", type_name(&o)))),
        },
    }
}

fn ienc_encode(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "encode", names: &["input", "final"], posonly: 0, kwonly: 0, required: 1 };
    let c = ctx(vm, this)?;
    let [input, fin] = bind::<2>(vm, &P, args, kw)?;
    let fin = final_arg(vm, fin)?;
    let out = encode_stateful(vm, c, &input.unwrap_or_else(|| vm.none.clone()), fin)?;
    Ok(new_bytes(vm, out))
}

fn ienc_getstate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "getstate", args, kw)?;
    let c = ctx(vm, this)?;
    let mut w = Wtf8Buf::new();
    c.pending_text.borrow().iter().for_each(|&x| w.push_code_point(x));
    let pending = w.as_bytes().to_vec();
    let mut bytes = vec![pending.len() as u8];
    bytes.extend_from_slice(&pending);
    bytes.extend_from_slice(&c.state.get());
    Ok(new_int_big(vm, BigUint::from_bytes_le(&bytes).into()))
}

/// An int as `n` little-endian unsigned bytes (CPython's overflow errors).
fn int_to_le(vm: &Vm, o: &Obj, n: usize) -> PyResult<Vec<u8>> {
    let Some(i) = int_data(o) else {
        return Err(vm.type_error(format!("setstate() argument must be int, not {}", type_name(o))));
    };
    let big = i.to_big();
    let Some(u) = big.to_biguint() else {
        return Err(vm.new_error(&vm.types.overflow_error, "can't convert negative int to unsigned"));
    };
    let mut b = u.to_bytes_le();
    if b.len() > n {
        return Err(vm.new_error(&vm.types.overflow_error, "int too big to convert"));
    }
    b.resize(n, 0);
    Ok(b)
}

fn ienc_setstate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [state] = exact::<1>(vm, "setstate", args, kw)?;
    let c = ctx(vm, this)?;
    let b = int_to_le(vm, &state, 1 + MAXENCPENDING * 4 + 8)?;
    let n = b[0] as usize;
    if n > MAXENCPENDING * 4 {
        return Err(vm.new_error(&vm.types.unicode_error, "pending buffer too large"));
    }
    let text = taipan_vm::codecs::decode(vm, &b[1..1 + n], "utf-8", "strict")?;
    *c.pending_text.borrow_mut() = text.code_points().collect();
    let mut st = [0u8; 8];
    st.copy_from_slice(&b[1 + n..1 + n + 8]);
    c.state.set(st);
    Ok(vm.none.clone())
}

fn ienc_reset(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "reset", args, kw)?;
    let c = ctx(vm, this)?;
    if c.codec.has_reset() {
        let mut st = c.state.get();
        c.codec.enc_reset(&mut st, &mut Vec::new());
        c.state.set(st);
    }
    c.pending_text.borrow_mut().clear();
    Ok(vm.none.clone())
}

// ------------------------------------------------ incremental decoder

fn decoder_type(vm: &Vm) -> Obj {
    vm.native_type("_multibytecodec.MultibyteIncrementalDecoder", |vm| {
        let slots = ctx_slots(|vm, cls, args, kw| {
            static P: Params = Params { fname: "IncrementalDecoder", names: &["errors"], posonly: 0, kwonly: 0, required: 0 };
            let [errors] = bind::<1>(vm, &P, args, kw)?;
            new_ctx(vm, cls, errors, None, "IncrementalDecoder")
        });
        new_type::<Ctx>(vm, "_multibytecodec.MultibyteIncrementalDecoder", &[], true, slots, DECODER_METHODS, CTX_GETSETS)
    })
}

static DECODER_METHODS: &[MethodDef] = &[
    MethodDef::method("decode", idec_decode, ""),
    MethodDef::method("getstate", idec_getstate, ""),
    MethodDef::method("setstate", idec_setstate, ""),
    MethodDef::method("reset", idec_reset, ""),
];

/// Feeds `data` after the pending bytes; keeps a new unfinished tail.
/// `final_` reports an unfinished tail as an error.
fn feed(vm: &Vm, c: &Ctx, data: &[u8], final_: bool, out: &mut Wtf8Buf) -> PyResult<()> {
    let orig = c.pending_bytes.borrow().clone();
    let mut buf = orig.clone();
    buf.extend_from_slice(data);
    c.pending_bytes.borrow_mut().clear();
    let errors = c.errors.borrow().clone();
    let mut st = c.state.get();
    let r = (|| {
        let mut pos = decode_with(vm, c.codec, &mut st, &buf, &errors, false, out)?;
        if final_ && pos < buf.len() {
            pos = dec_error(vm, c.codec, &buf, pos, buf.len() - pos, "incomplete multibyte sequence", &errors, out)?;
        }
        Ok(pos)
    })();
    c.state.set(st);
    let pos = match r {
        Ok(p) => p,
        Err(e) => {
            if final_ {
                *c.pending_bytes.borrow_mut() = orig;
            }
            return Err(e);
        }
    };
    if pos < buf.len() {
        if buf.len() - pos > MAXDECPENDING {
            return Err(vm.new_error(&vm.types.unicode_error, "pending buffer overflow"));
        }
        *c.pending_bytes.borrow_mut() = buf[pos..].to_vec();
    }
    Ok(())
}

fn idec_decode(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "decode", names: &["input", "final"], posonly: 0, kwonly: 0, required: 1 };
    let c = ctx(vm, this)?;
    let [input, fin] = bind::<2>(vm, &P, args, kw)?;
    let data = buffer_arg(vm, &input.unwrap_or_else(|| vm.none.clone()))?;
    let fin = final_arg(vm, fin)?;
    let mut out = Wtf8Buf::new();
    feed(vm, c, &data, fin, &mut out)?;
    Ok(new_str_wtf8(vm, out))
}

fn idec_getstate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "getstate", args, kw)?;
    let c = ctx(vm, this)?;
    let st = BigUint::from_bytes_le(&c.state.get());
    Ok(new_tuple(vm, vec![new_bytes(vm, c.pending_bytes.borrow().clone()), new_int_big(vm, st.into())]))
}

fn idec_setstate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [state] = exact::<1>(vm, "setstate", args, kw)?;
    let c = ctx(vm, this)?;
    let Some(t) = state.downcast::<TupleData>() else {
        return Err(vm.type_error(format!("setstate() argument must be tuple, not {}", type_name(&state))));
    };
    let (buffer, st) = match &t.items[..] {
        [b, s] if b.downcast::<BytesData>().is_some() && int_data(s).is_some() => (b.clone(), s.clone()),
        _ => return Err(vm.type_error("setstate(): illegal state argument")),
    };
    let stb = int_to_le(vm, &st, 8)?;
    let bytes = bytes_data(&buffer).map(<[u8]>::to_vec).unwrap_or_default();
    if bytes.len() > MAXDECPENDING {
        return Err(vm.new_error(&vm.types.unicode_error, "pending buffer too large"));
    }
    *c.pending_bytes.borrow_mut() = bytes;
    let mut s = [0u8; 8];
    s.copy_from_slice(&stb);
    c.state.set(s);
    Ok(vm.none.clone())
}

fn idec_reset(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "reset", args, kw)?;
    let c = ctx(vm, this)?;
    let mut st = c.state.get();
    c.codec.dec_reset(&mut st);
    c.state.set(st);
    c.pending_bytes.borrow_mut().clear();
    Ok(vm.none.clone())
}

// ------------------------------------------------------- stream reader

fn reader_type(vm: &Vm) -> Obj {
    vm.native_type("_multibytecodec.MultibyteStreamReader", |vm| {
        let slots = ctx_slots(|vm, cls, args, kw| {
            static P: Params = Params { fname: "StreamReader", names: &["stream", "errors"], posonly: 0, kwonly: 0, required: 1 };
            let [stream, errors] = bind::<2>(vm, &P, args, kw)?;
            new_ctx(vm, cls, errors, stream, "StreamReader")
        });
        new_type::<Ctx>(vm, "_multibytecodec.MultibyteStreamReader", &[], true, slots, READER_METHODS, STREAM_GETSETS)
    })
}

static READER_METHODS: &[MethodDef] = &[
    MethodDef::method("read", sr_read, ""),
    MethodDef::method("readline", sr_readline, ""),
    MethodDef::method("readlines", sr_readlines, ""),
    MethodDef::method("reset", idec_reset, ""),
];

fn size_arg(vm: &Vm, o: Option<Obj>) -> PyResult<i64> {
    match o {
        None => Ok(-1),
        Some(o) if o.is(&vm.none) => Ok(-1),
        Some(o) => match int_data(&o) {
            Some(i) => Ok(i64::try_from(i.to_big()).unwrap_or(i64::MAX)),
            None => Err(vm.type_error("arg 1 must be an integer")),
        },
    }
}

/// CPython's `mbstreamreader_iread`: read from the stream with `method`,
/// retrying one byte at a time until some text comes out.
fn iread(vm: &Vm, this: &Obj, method: &str, mut size: i64) -> PyResult<Obj> {
    let c = ctx(vm, this)?;
    if size == 0 {
        return Ok(new_str(vm, ""));
    }
    let stream = c.stream.clone().unwrap_or_else(|| vm.none.clone());
    let mut out = Wtf8Buf::new();
    loop {
        let f = getattr(vm, &stream, &vm.intern(method))?;
        let r = if size < 0 { call_object(vm, &f, &[])? } else { call_object(vm, &f, &[vm.int(size)])? };
        let Some(b) = bytes_data(&r) else {
            return Err(vm.type_error(format!("stream function returned a non-bytes object ({})", type_name(&r))));
        };
        let data = b.to_vec();
        let eof = data.is_empty();
        let had_pending = !c.pending_bytes.borrow().is_empty();
        if data.is_empty() && !had_pending {
            break;
        }
        feed(vm, c, &data, eof || size < 0, &mut out)?;
        if size < 0 || !out.is_empty() || eof {
            break;
        }
        size = 1;
    }
    Ok(new_str_wtf8(vm, out))
}

fn sr_read(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [size] = at_most::<1>(vm, "read", 0, args, kw)?;
    let size = size_arg(vm, size)?;
    iread(vm, this, "read", size)
}

fn sr_readline(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [size] = at_most::<1>(vm, "readline", 0, args, kw)?;
    let size = size_arg(vm, size)?;
    iread(vm, this, "readline", size)
}

fn sr_readlines(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [size] = at_most::<1>(vm, "readlines", 0, args, kw)?;
    let size = size_arg(vm, size)?;
    let text = iread(vm, this, "read", size)?;
    let f = getattr(vm, &text, &vm.intern("splitlines"))?;
    call_object(vm, &f, std::slice::from_ref(&vm.true_))
}

// ------------------------------------------------------- stream writer

fn writer_type(vm: &Vm) -> Obj {
    vm.native_type("_multibytecodec.MultibyteStreamWriter", |vm| {
        let slots = ctx_slots(|vm, cls, args, kw| {
            static P: Params = Params { fname: "StreamWriter", names: &["stream", "errors"], posonly: 0, kwonly: 0, required: 1 };
            let [stream, errors] = bind::<2>(vm, &P, args, kw)?;
            new_ctx(vm, cls, errors, stream, "StreamWriter")
        });
        new_type::<Ctx>(vm, "_multibytecodec.MultibyteStreamWriter", &[], true, slots, WRITER_METHODS, STREAM_GETSETS)
    })
}

static WRITER_METHODS: &[MethodDef] = &[
    MethodDef::method("write", sw_write, ""),
    MethodDef::method("writelines", sw_writelines, ""),
    MethodDef::method("reset", sw_reset, ""),
];

fn write_bytes(vm: &Vm, c: &Ctx, b: Vec<u8>) -> PyResult<()> {
    let stream = c.stream.clone().unwrap_or_else(|| vm.none.clone());
    let f = getattr(vm, &stream, &vm.intern("write"))?;
    call_object(vm, &f, &[new_bytes(vm, b)])?;
    Ok(())
}

fn sw_write(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [s] = exact::<1>(vm, "write", args, kw)?;
    let c = ctx(vm, this)?;
    let out = encode_stateful(vm, c, &s, false)?;
    write_bytes(vm, c, out)?;
    Ok(vm.none.clone())
}

fn sw_writelines(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [lines] = exact::<1>(vm, "writelines", args, kw)?;
    let c = ctx(vm, this)?;
    if lines.downcast::<taipan_vm::types::builtin::DictData>().is_some()
        || taipan_vm::types::lookup(&taipan_vm::types::type_of(&lines), "__getitem__").is_none()
    {
        return Err(vm.type_error("arg must be a sequence object"));
    }
    let mut i = 0;
    while i < ops::length(vm, &lines)? {
        let s = taipan_vm::sequence::getitem(vm, &lines, &vm.int(i as i64))?;
        let out = encode_stateful(vm, c, &s, false)?;
        write_bytes(vm, c, out)?;
        i += 1;
    }
    Ok(vm.none.clone())
}

fn sw_reset(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "reset", args, kw)?;
    let c = ctx(vm, this)?;
    let pending = std::mem::take(&mut *c.pending_text.borrow_mut());
    if pending.is_empty() {
        return Ok(vm.none.clone());
    }
    let mut w = Wtf8Buf::new();
    pending.iter().for_each(|&x| w.push_code_point(x));
    let text = new_str_wtf8(vm, w);
    let mut st = c.state.get();
    let errors = c.errors.borrow().clone();
    let r = encode_with(vm, c.codec, &mut st, &text, &pending, &errors, true, true);
    c.state.set(st);
    let (out, _) = r?;
    if !out.is_empty() {
        write_bytes(vm, c, out)?;
    }
    Ok(vm.none.clone())
}
