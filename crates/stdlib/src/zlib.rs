//! `zlib`: deflate compression (CPython's `Modules/zlibmodule.c`) over
//! the `flate2` crate with its system-zlib backend, so compressed bytes
//! equal CPython's (same library). `compress`/`decompress` with `wbits`
//! for zlib (9..15), raw (-9..-15), gzip (25..31) and, for
//! decompression, automatic zlib/gzip detection (40..47, by the first
//! bytes); `compressobj`/`decompressobj` with flush modes, `zdict`,
//! `unused_data`, `unconsumed_tail`, `eof`, `max_length`.
//!
//! `flate2` hides zlib's stream, so `copy()` rebuilds the stream by
//! replaying the input fed so far (kept in a log) into a new one; and
//! `memLevel`/`strategy` are range-checked but zlib's defaults are used
//! (`Z_BLOCK` flushes as `Z_PARTIAL_FLUSH`).
//!
//! # Safety
//! One foreign call: `zlibVersion()` returns a pointer to a static
//! NUL-terminated string owned by the zlib library.

use std::cell::RefCell;

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};
use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{bind, exact, new_type, FunctionDef, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{as_buffer, int_data, new_bytes, new_str, object_slots, type_name, IntData};
use taipan_vm::types::{Kwargs, Slots};
use taipan_vm::{PyErr, PyResult, Vm};

use crate::util;

const MAX_WBITS: i64 = 15;
const DEF_BUF_SIZE: i64 = 16384;

fn error_type(vm: &Vm) -> PyResult<Obj> {
    util::exception_class(vm, "zlib.error", &[])
}

fn error(vm: &Vm, msg: impl Into<String>) -> PyErr {
    match error_type(vm) {
        Ok(t) => vm.new_error(&t, msg),
        Err(e) => e,
    }
}

/// CPython's `zlib_error`: "Error -3 while decompressing data: ...".
fn zerror(vm: &Vm, code: i32, what: &str, msg: Option<&str>) -> PyErr {
    let msg = msg.or(match code {
        -5 => Some("incomplete or truncated stream"),
        -2 => Some("inconsistent stream state"),
        -3 => Some("invalid input data"),
        _ => None,
    });
    match msg {
        Some(m) => error(vm, format!("Error {code} {what}: {m}")),
        None => error(vm, format!("Error {code} {what}")),
    }
}

fn decompress_error(vm: &Vm, e: &flate2::DecompressError, what: &str) -> PyErr {
    if e.needs_dictionary().is_some() {
        return zerror(vm, 2, what, None);
    }
    zerror(vm, -3, what, e.message())
}

fn bin_arg(vm: &Vm, o: &Obj) -> PyResult<Vec<u8>> {
    match as_buffer(o) {
        Some(b) => Ok(b.into_owned()),
        None => Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(o)))),
    }
}

/// A C `int` argument (`i` converter).
fn int_arg(vm: &Vm, o: &Obj) -> PyResult<i64> {
    if o.downcast::<f64>().is_some() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let i = taipan_vm::ops::index(vm, o)?;
    match int_data(&i) {
        Some(IntData::Small(v)) if i32::try_from(*v).is_ok() => Ok(*v),
        Some(IntData::Small(v)) if *v > 0 => Err(vm.new_error(&vm.types.overflow_error, "signed integer is greater than maximum")),
        Some(IntData::Small(_)) => Err(vm.new_error(&vm.types.overflow_error, "signed integer is less than minimum")),
        _ => Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C long")),
    }
}

fn opt_int(vm: &Vm, o: &Option<Obj>, default: i64) -> PyResult<i64> {
    match o {
        Some(o) => int_arg(vm, o),
        None => Ok(default),
    }
}

/// A `Py_ssize_t` argument.
fn ssize_arg(vm: &Vm, o: &Obj) -> PyResult<i64> {
    if o.downcast::<f64>().is_some() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let i = taipan_vm::ops::index(vm, o)?;
    match int_data(&i) {
        Some(IntData::Small(v)) => Ok(*v),
        _ => Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C ssize_t")),
    }
}

// --------------------------------------------------------- stream kinds

/// What a `wbits` value selects.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Format {
    Zlib(u8),
    Raw(u8),
    Gzip(u8),
    /// zlib or gzip, by the first bytes.
    Auto(u8),
}

/// `deflateInit2`'s checks; `None` is `Z_STREAM_ERROR`.
fn deflate_format(wbits: i64) -> Option<Format> {
    match wbits {
        8 => Some(Format::Zlib(9)),
        9..=15 => Some(Format::Zlib(wbits as u8)),
        -15..=-9 => Some(Format::Raw((-wbits) as u8)),
        25..=31 => Some(Format::Gzip((wbits - 16) as u8)),
        _ => None,
    }
}

/// `inflateInit2`'s checks (0: the window size from the header).
fn inflate_format(wbits: i64) -> Option<Format> {
    let w = |b: i64| if b == 0 { 15 } else { b as u8 };
    match wbits {
        0 | 8..=15 => Some(Format::Zlib(w(wbits))),
        -15..=-8 => Some(Format::Raw(w(-wbits))),
        16 | 24..=31 => Some(Format::Gzip(w(wbits - 16))),
        32 | 40..=47 => Some(Format::Auto(w(wbits - 32))),
        _ => None,
    }
}

fn new_compress(level: i64, f: Format) -> Compress {
    let level = if level < 0 { Compression::default() } else { Compression::new(level as u32) };
    match f {
        Format::Zlib(b) => Compress::new_with_window_bits(level, true, b),
        Format::Raw(b) => Compress::new_with_window_bits(level, false, b),
        Format::Gzip(b) | Format::Auto(b) => Compress::new_gzip(level, b),
    }
}

/// A decoder for `f`; `Auto` needs the first bytes of the stream (`None`
/// until two bytes, or one that is not gzip's first, are known).
fn new_decompress(f: Format, head: &[u8]) -> Option<Decompress> {
    Some(match f {
        // `flate2` takes 9..=15; a window of 8 is checked on the header
        // (`window_fits`).
        Format::Zlib(b) => Decompress::new_with_window_bits(true, b.max(9)),
        Format::Raw(b) => Decompress::new_with_window_bits(false, b.max(9)),
        Format::Gzip(b) => Decompress::new_gzip(b.max(9)),
        Format::Auto(b) => match head {
            [0x1f, 0x8b, ..] => Decompress::new_gzip(b.max(9)),
            [] | [0x1f] => return None,
            _ => Decompress::new_with_window_bits(true, b.max(9)),
        },
    })
}

/// Whether a zlib header's window fits a decoder asked for 8 bits (zlib's
/// "invalid window size" check, which `flate2`'s 9-bit minimum skips).
fn window_fits(f: Format, head: &[u8]) -> bool {
    match (f, head.first()) {
        (Format::Zlib(8), Some(&cmf)) => cmf >> 4 == 0,
        _ => true,
    }
}

fn compress_flush(mode: i64) -> FlushCompress {
    match mode {
        1 | 5 | 6 => FlushCompress::Partial,
        2 => FlushCompress::Sync,
        3 => FlushCompress::Full,
        4 => FlushCompress::Finish,
        _ => FlushCompress::None,
    }
}

/// The sizes of the output blocks CPython's `_BlocksOutputBuffer` hands
/// to zlib one after the other: stored (level 0) blocks are cut where an
/// output block ends, so the same sizes give the same bytes.
const BLOCK_SIZES: [usize; 17] = [
    32 << 10,
    64 << 10,
    256 << 10,
    1 << 20,
    4 << 20,
    8 << 20,
    16 << 20,
    16 << 20,
    32 << 20,
    32 << 20,
    32 << 20,
    32 << 20,
    64 << 20,
    64 << 20,
    128 << 20,
    128 << 20,
    256 << 20,
];

/// Runs `c` over all of `input` with `flush`, appending to `out` until
/// zlib leaves room in the output block (CPython's `avail_out == 0`
/// loop).
fn deflate_all(c: &mut Compress, input: &[u8], flush: FlushCompress, out: &mut Vec<u8>) -> Result<(), flate2::CompressError> {
    let mut pos = 0;
    let mut k = 0;
    let mut block = Vec::with_capacity(BLOCK_SIZES[0]);
    loop {
        let before_in = c.total_in();
        let st = c.compress_vec(&input[pos..], &mut block, flush)?;
        pos += (c.total_in() - before_in) as usize;
        let full = block.len() == block.capacity();
        if st == Status::StreamEnd || (pos >= input.len() && !full) {
            out.extend_from_slice(&block);
            return Ok(());
        }
        if full {
            out.extend_from_slice(&block);
            k = (k + 1).min(BLOCK_SIZES.len() - 1);
            block = Vec::with_capacity(BLOCK_SIZES[k]);
        }
    }
}

// ------------------------------------------------------ one-shot functions

fn m_compress(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "compress", names: &["data", "level", "wbits"], posonly: 1, kwonly: 0, required: 1 };
    let [data, level, wbits] = bind::<3>(vm, &P, args, kw)?;
    let data = bin_arg(vm, data.as_ref().unwrap_or(&vm.none))?;
    let level = opt_int(vm, &level, -1)?;
    let wbits = opt_int(vm, &wbits, MAX_WBITS)?;
    let (Some(f), true) = (deflate_format(wbits), (-1..=9).contains(&level)) else {
        return Err(error(vm, "Bad compression level"));
    };
    let mut c = new_compress(level, f);
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    deflate_all(&mut c, &data, FlushCompress::Finish, &mut out).map_err(|_| zerror(vm, -2, "while compressing data", None))?;
    Ok(new_bytes(vm, out))
}

fn m_decompress(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "decompress", names: &["data", "wbits", "bufsize"], posonly: 1, kwonly: 0, required: 1 };
    let [data, wbits, bufsize] = bind::<3>(vm, &P, args, kw)?;
    let data = bin_arg(vm, data.as_ref().unwrap_or(&vm.none))?;
    let wbits = opt_int(vm, &wbits, MAX_WBITS)?;
    let bufsize = match &bufsize {
        Some(b) => ssize_arg(vm, b)?,
        None => DEF_BUF_SIZE,
    };
    if bufsize < 0 {
        return Err(vm.new_error(&vm.types.value_error, "bufsize must be non-negative"));
    }
    let Some(f) = inflate_format(wbits) else { return Err(zerror(vm, -2, "while preparing to decompress data", None)) };
    let Some(mut d) = new_decompress(f, &data) else { return Err(zerror(vm, -5, "while decompressing data", None)) };
    if !window_fits(f, &data) {
        return Err(zerror(vm, -3, "while decompressing data", Some("invalid window size")));
    }
    let mut out = Vec::with_capacity((bufsize.max(1) as usize).min(1 << 24));
    let (ended, _) = inflate(&mut d, &data, &mut out, None).map_err(|e| decompress_error(vm, &e, "while decompressing data"))?;
    if !ended {
        return Err(zerror(vm, -5, "while decompressing data", None));
    }
    Ok(new_bytes(vm, out))
}

/// Inflates `input` into `out` (at most `max` more bytes): whether the
/// stream ended, and how much input was consumed.
fn inflate(d: &mut Decompress, input: &[u8], out: &mut Vec<u8>, max: Option<usize>) -> Result<(bool, usize), flate2::DecompressError> {
    let start_len = out.len();
    let mut pos = 0;
    loop {
        let room = match max {
            Some(m) => {
                let left = m - (out.len() - start_len);
                if left == 0 {
                    return Ok((false, pos));
                }
                left.min(64 * 1024)
            }
            None => 64 * 1024,
        };
        let mut chunk = Vec::with_capacity(room);
        let before_in = d.total_in();
        let st = d.decompress_vec(&input[pos..], &mut chunk, FlushDecompress::None)?;
        let used = (d.total_in() - before_in) as usize;
        pos += used;
        out.extend_from_slice(&chunk);
        if st == Status::StreamEnd {
            return Ok((true, pos));
        }
        let stuck = used == 0 && chunk.is_empty();
        if stuck || (chunk.len() < room && pos >= input.len()) {
            return Ok((false, pos));
        }
    }
}

fn m_crc32(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [data, value] = taipan_vm::native::at_most::<2>(vm, "crc32", 1, args, kw)?;
    let data = bin_arg(vm, data.as_ref().unwrap_or(&vm.none))?;
    let start = match value {
        Some(v) => mask32(vm, &v)?,
        None => 0,
    };
    Ok(vm.int(crate::binascii::crc32(&data, start) as i64))
}

fn m_adler32(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [data, value] = taipan_vm::native::at_most::<2>(vm, "adler32", 1, args, kw)?;
    let data = bin_arg(vm, data.as_ref().unwrap_or(&vm.none))?;
    let start = match value {
        Some(v) => mask32(vm, &v)?,
        None => 1,
    };
    Ok(vm.int(adler32(&data, start) as i64))
}

/// `unsigned_int(bitwise=True)`.
fn mask32(vm: &Vm, o: &Obj) -> PyResult<u32> {
    if o.downcast::<f64>().is_some() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let i = taipan_vm::ops::index(vm, o)?;
    let Some(d) = int_data(&i) else { return Ok(0) };
    let (sign, digits) = d.to_big().to_u32_digits();
    let low = digits.first().copied().unwrap_or(0);
    Ok(if sign == num_bigint::Sign::Minus { low.wrapping_neg() } else { low })
}

/// Adler-32 of `data` continuing from `start`.
pub fn adler32(data: &[u8], start: u32) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (start & 0xffff, start >> 16);
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += x as u32;
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

// ------------------------------------------------------------ Compress

pub struct CompressData {
    state: RefCell<CompState>,
}

struct CompState {
    /// `None` once flushed with `Z_FINISH`.
    c: Option<Compress>,
    level: i64,
    format: Format,
    zdict: Option<Vec<u8>>,
    /// Everything fed so far, for `copy()`.
    log: Vec<(Vec<u8>, i64)>,
}

fn comp_state(level: i64, format: Format, zdict: Option<Vec<u8>>) -> Result<CompState, flate2::CompressError> {
    let mut c = new_compress(level, format);
    if let Some(z) = &zdict {
        c.set_dictionary(z)?;
    }
    Ok(CompState { c: Some(c), level, format, zdict, log: Vec::new() })
}

fn compress_type(vm: &Vm) -> Obj {
    vm.native_type("zlib.Compress", |vm| {
        let slots =
            Slots { new: Some(|vm, _cls, _a, _kw| Err(vm.type_error("cannot create 'zlib.Compress' instances"))), ..object_slots() };
        new_type::<CompressData>(vm, "zlib.Compress", &[], false, slots, COMPRESS_METHODS, &[])
    })
}

fn m_compressobj(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params {
        fname: "compressobj",
        names: &["level", "method", "wbits", "memLevel", "strategy", "zdict"],
        posonly: 0,
        kwonly: 0,
        required: 0,
    };
    let [level, method, wbits, mem, strategy, zdict] = bind::<6>(vm, &P, args, kw)?;
    let level = opt_int(vm, &level, -1)?;
    let method = opt_int(vm, &method, 8)?;
    let wbits = opt_int(vm, &wbits, MAX_WBITS)?;
    let mem = opt_int(vm, &mem, 8)?;
    let strategy = opt_int(vm, &strategy, 0)?;
    let zdict = match zdict {
        Some(z) => match as_buffer(&z) {
            Some(b) => Some(b.into_owned()),
            None => return Err(vm.type_error("zdict argument must support the buffer protocol")),
        },
        None => None,
    };
    let invalid = || vm.new_error(&vm.types.value_error, "Invalid initialization option");
    let f = deflate_format(wbits).ok_or_else(invalid)?;
    if !(-1..=9).contains(&level) || method != 8 || !(1..=9).contains(&mem) || !(0..=4).contains(&strategy) {
        return Err(invalid());
    }
    let st = comp_state(level, f, zdict).map_err(|_| vm.new_error(&vm.types.value_error, "Invalid dictionary"))?;
    Ok(alloc(compress_type(vm), CompressData { state: RefCell::new(st) }))
}

fn comp<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a CompressData> {
    o.downcast::<CompressData>().ok_or_else(|| vm.type_error("descriptor requires a 'zlib.Compress' object"))
}

fn c_compress(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [data] = exact::<1>(vm, "compress", args, kw)?;
    let data = bin_arg(vm, &data)?;
    let mut st = comp(vm, this)?.state.borrow_mut();
    let Some(c) = st.c.as_mut() else { return Err(zerror(vm, -2, "while compressing data", None)) };
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    deflate_all(c, &data, FlushCompress::None, &mut out).map_err(|_| zerror(vm, -2, "while compressing data", None))?;
    st.log.push((data, 0));
    Ok(new_bytes(vm, out))
}

fn c_flush(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [mode] = taipan_vm::native::at_most::<1>(vm, "flush", 0, args, kw)?;
    let mode = opt_int(vm, &mode, 4)?;
    if mode == 0 {
        return Ok(new_bytes(vm, Vec::new()));
    }
    let mut st = comp(vm, this)?.state.borrow_mut();
    if !(0..=6).contains(&mode) {
        return Err(zerror(vm, -2, "while flushing", None));
    }
    let Some(c) = st.c.as_mut() else { return Err(zerror(vm, -2, "while flushing", None)) };
    let mut out = Vec::with_capacity(64);
    deflate_all(c, &[], compress_flush(mode), &mut out).map_err(|_| zerror(vm, -2, "while flushing", None))?;
    if mode == 4 {
        st.c = None;
    } else {
        st.log.push((Vec::new(), mode));
    }
    Ok(new_bytes(vm, out))
}

fn c_copy(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "copy", args, kw)?;
    let st = comp(vm, this)?.state.borrow();
    if st.c.is_none() {
        return Err(vm.new_error(&vm.types.value_error, "Inconsistent stream state"));
    }
    let mut new =
        comp_state(st.level, st.format, st.zdict.clone()).map_err(|_| vm.new_error(&vm.types.value_error, "Inconsistent stream state"))?;
    let mut sink = Vec::new();
    if let Some(c) = new.c.as_mut() {
        for (data, mode) in &st.log {
            sink.clear();
            deflate_all(c, data, compress_flush(*mode), &mut sink).map_err(|_| zerror(vm, -2, "while copying compression object", None))?;
        }
    }
    new.log = st.log.clone();
    Ok(alloc(compress_type(vm), CompressData { state: RefCell::new(new) }))
}

static COMPRESS_METHODS: &[MethodDef] = &[
    MethodDef::method("compress", c_compress, "Returns a bytes object containing compressed data."),
    MethodDef::method("flush", c_flush, "Return a bytes object containing any remaining compressed data."),
    MethodDef::method("copy", c_copy, "Return a copy of the compression object."),
    MethodDef::method("__copy__", c_copy, ""),
    MethodDef::method(
        "__deepcopy__",
        |vm, this, args, kw| {
            let [_memo] = exact::<1>(vm, "__deepcopy__", args, kw)?;
            c_copy(vm, this, &[], &[])
        },
        "",
    ),
];

// ---------------------------------------------------------- Decompress

pub struct DecompressData {
    state: RefCell<DecompState>,
}

struct DecompState {
    d: Option<Decompress>,
    format: Format,
    zdict: Option<Vec<u8>>,
    /// Input before an `Auto` stream's kind is known.
    head: Vec<u8>,
    unused_data: Vec<u8>,
    unconsumed_tail: Vec<u8>,
    eof: bool,
    /// Every input fed to the decoder, for `copy()`.
    log: Vec<u8>,
}

fn decompress_type(vm: &Vm) -> Obj {
    vm.native_type("zlib.Decompress", |vm| {
        let slots =
            Slots { new: Some(|vm, _cls, _a, _kw| Err(vm.type_error("cannot create 'zlib.Decompress' instances"))), ..object_slots() };
        new_type::<DecompressData>(vm, "zlib.Decompress", &[], false, slots, DECOMPRESS_METHODS, DECOMPRESS_GETSETS)
    })
}

fn m_decompressobj(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "decompressobj", names: &["wbits", "zdict"], posonly: 0, kwonly: 0, required: 0 };
    let [wbits, zdict] = bind::<2>(vm, &P, args, kw)?;
    let wbits = opt_int(vm, &wbits, MAX_WBITS)?;
    let zdict = match zdict {
        Some(z) => match as_buffer(&z) {
            Some(b) => Some(b.into_owned()),
            None => return Err(vm.type_error("zdict argument must support the buffer protocol")),
        },
        None => None,
    };
    let Some(format) = inflate_format(wbits) else { return Err(vm.new_error(&vm.types.value_error, "Invalid initialization option")) };
    let mut st = DecompState {
        d: None,
        format,
        zdict,
        head: Vec::new(),
        unused_data: Vec::new(),
        unconsumed_tail: Vec::new(),
        eof: false,
        log: Vec::new(),
    };
    st.d = new_decompress(format, &[]);
    if let (Format::Raw(_), Some(z), Some(d)) = (format, &st.zdict, st.d.as_mut()) {
        d.set_dictionary(z).map_err(|e| decompress_error(vm, &e, "while setting zdict"))?;
    }
    Ok(alloc(decompress_type(vm), DecompressData { state: RefCell::new(st) }))
}

fn dec<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a DecompressData> {
    o.downcast::<DecompressData>().ok_or_else(|| vm.type_error("descriptor requires a 'zlib.Decompress' object"))
}

/// Feeds `data` (at most `max` output bytes); updates the tail, unused
/// data and `eof`.
fn feed(vm: &Vm, st: &mut DecompState, data: &[u8], max: Option<usize>, what: &str) -> PyResult<Vec<u8>> {
    let mut out = Vec::new();
    if st.eof {
        st.unused_data.extend_from_slice(data);
        return Ok(out);
    }
    let mut input = data.to_vec();
    if st.d.is_none() {
        st.head.extend_from_slice(&input);
        match new_decompress(st.format, &st.head) {
            Some(d) => {
                st.d = Some(d);
                input = std::mem::take(&mut st.head);
            }
            None => return Ok(out),
        }
    }
    if st.log.is_empty() && !window_fits(st.format, &input) {
        return Err(zerror(vm, -3, what, Some("invalid window size")));
    }
    let Some(d) = st.d.as_mut() else { return Ok(out) };
    let mut r = inflate(d, &input, &mut out, max);
    if let Err(e) = &r {
        if let (Some(_), Some(z)) = (e.needs_dictionary(), &st.zdict) {
            let consumed = d.total_in() as usize - st.log.len();
            d.set_dictionary(z).map_err(|e| decompress_error(vm, &e, "while setting zdict"))?;
            r = inflate(d, &input[consumed.min(input.len())..], &mut out, max).map(|(end, n)| (end, n + consumed));
        }
    }
    let (ended, used) = r.map_err(|e| decompress_error(vm, &e, what))?;
    st.log.extend_from_slice(&input[..used]);
    let rest = &input[used.min(input.len())..];
    if ended {
        st.eof = true;
        st.unused_data.extend_from_slice(rest);
        st.unconsumed_tail.clear();
    } else {
        st.unconsumed_tail = rest.to_vec();
    }
    Ok(out)
}

fn d_decompress(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "decompress", names: &["data", "max_length"], posonly: 1, kwonly: 0, required: 1 };
    let [data, max_length] = bind::<2>(vm, &P, args, kw)?;
    let data = bin_arg(vm, data.as_ref().unwrap_or(&vm.none))?;
    let max = match &max_length {
        Some(m) => ssize_arg(vm, m)?,
        None => 0,
    };
    if max < 0 {
        return Err(vm.new_error(&vm.types.value_error, "max_length must be non-negative"));
    }
    let mut st = dec(vm, this)?.state.borrow_mut();
    let out = feed(vm, &mut st, &data, (max > 0).then_some(max as usize), "while decompressing data")?;
    Ok(new_bytes(vm, out))
}

fn d_flush(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [length] = taipan_vm::native::at_most::<1>(vm, "flush", 0, args, kw)?;
    let length = match &length {
        Some(l) => ssize_arg(vm, l)?,
        None => DEF_BUF_SIZE,
    };
    if length <= 0 {
        return Err(vm.new_error(&vm.types.value_error, "length must be greater than zero"));
    }
    let mut st = dec(vm, this)?.state.borrow_mut();
    let tail = std::mem::take(&mut st.unconsumed_tail);
    let out = feed(vm, &mut st, &tail, None, "while flushing")?;
    Ok(new_bytes(vm, out))
}

fn d_copy(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "copy", args, kw)?;
    let st = dec(vm, this)?.state.borrow();
    let mut new = DecompState {
        d: new_decompress(st.format, &st.log),
        format: st.format,
        zdict: st.zdict.clone(),
        head: st.head.clone(),
        unused_data: Vec::new(),
        unconsumed_tail: Vec::new(),
        eof: false,
        log: Vec::new(),
    };
    if let (Format::Raw(_), Some(z), Some(d)) = (new.format, &new.zdict, new.d.as_mut()) {
        d.set_dictionary(z).map_err(|e| decompress_error(vm, &e, "while setting zdict"))?;
    }
    let log = st.log.clone();
    if !log.is_empty() {
        feed(vm, &mut new, &log, None, "while copying decompression object")?;
    }
    new.unused_data = st.unused_data.clone();
    new.unconsumed_tail = st.unconsumed_tail.clone();
    new.eof = st.eof;
    Ok(alloc(decompress_type(vm), DecompressData { state: RefCell::new(new) }))
}

static DECOMPRESS_METHODS: &[MethodDef] = &[
    MethodDef::method("decompress", d_decompress, "Return a bytes object containing the decompressed version of the data."),
    MethodDef::method("flush", d_flush, "Return a bytes object containing any remaining decompressed data."),
    MethodDef::method("copy", d_copy, "Return a copy of the decompression object."),
    MethodDef::method("__copy__", d_copy, ""),
    MethodDef::method(
        "__deepcopy__",
        |vm, this, args, kw| {
            let [_memo] = exact::<1>(vm, "__deepcopy__", args, kw)?;
            d_copy(vm, this, &[], &[])
        },
        "",
    ),
];

static DECOMPRESS_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("unused_data", |vm, o| Ok(new_bytes(vm, dec(vm, o)?.state.borrow().unused_data.clone())), ""),
    GetSetDef::readonly("unconsumed_tail", |vm, o| Ok(new_bytes(vm, dec(vm, o)?.state.borrow().unconsumed_tail.clone())), ""),
    GetSetDef::readonly("eof", |vm, o| Ok(vm.bool(dec(vm, o)?.state.borrow().eof)), ""),
];

// ------------------------------------------------------------ the module

fn runtime_version() -> String {
    // SAFETY: `zlibVersion` takes nothing and returns a pointer to a
    // static NUL-terminated string (see the module's Safety section).
    let p = unsafe { libz_sys::zlibVersion() };
    if p.is_null() {
        return String::new();
    }
    // SAFETY: `p` is non-null and points to zlib's static version string.
    unsafe { std::ffi::CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("adler32", m_adler32, "Compute an Adler-32 checksum of data."),
    FunctionDef::new("compress", m_compress, "Returns a bytes object containing compressed data."),
    FunctionDef::new("compressobj", m_compressobj, "Return a compressor object."),
    FunctionDef::new("crc32", m_crc32, "Compute a CRC-32 checksum of data."),
    FunctionDef::new("decompress", m_decompress, "Returns a bytes object containing the uncompressed data."),
    FunctionDef::new("decompressobj", m_decompressobj, "Return a decompressor object."),
];

const DOC: &str = "The functions in this module allow compression and decompression using the
zlib library, which is based on GNU zip.

adler32(string[, start]) -- Compute an Adler-32 checksum.
compress(data[, level]) -- Compress data, with compression level 0-9 or -1.
compressobj([level[, ...]]) -- Return a compressor object.
crc32(string[, start]) -- Compute a CRC-32 checksum.
decompress(string,[wbits],[bufsize]) -- Decompresses a compressed string.
decompressobj([wbits[, zdict]]) -- Return a decompressor object.

'wbits' is window buffer size and container format.
Compressor objects support compress() and flush() methods; decompressor
objects support decompress() and flush().";

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "__doc__", new_str(vm, DOC))?;
    add_attr(vm, m, "error", error_type(vm)?)?;
    for (name, v) in [
        ("MAX_WBITS", MAX_WBITS),
        ("DEFLATED", 8),
        ("DEF_MEM_LEVEL", 8),
        ("DEF_BUF_SIZE", DEF_BUF_SIZE),
        ("Z_NO_COMPRESSION", 0),
        ("Z_BEST_SPEED", 1),
        ("Z_BEST_COMPRESSION", 9),
        ("Z_DEFAULT_COMPRESSION", -1),
        ("Z_FILTERED", 1),
        ("Z_HUFFMAN_ONLY", 2),
        ("Z_RLE", 3),
        ("Z_FIXED", 4),
        ("Z_DEFAULT_STRATEGY", 0),
        ("Z_NO_FLUSH", 0),
        ("Z_PARTIAL_FLUSH", 1),
        ("Z_SYNC_FLUSH", 2),
        ("Z_FULL_FLUSH", 3),
        ("Z_FINISH", 4),
        ("Z_BLOCK", 5),
        ("Z_TREES", 6),
    ] {
        add_attr(vm, m, name, vm.int(v))?;
    }
    let rt = runtime_version();
    add_attr(vm, m, "ZLIB_VERSION", new_str(vm, &rt))?;
    add_attr(vm, m, "ZLIB_RUNTIME_VERSION", new_str(vm, &rt))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adler() {
        assert_eq!(adler32(b"abc", 1), 0x024d_0127);
        assert_eq!(adler32(b"", 1), 1);
        assert_eq!(adler32(&[0xff; 10000], 1), adler32(&[0xff; 5000], adler32(&[0xff; 5000], 1)));
    }

    #[test]
    fn round_trip() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        for f in [Format::Zlib(15), Format::Raw(15), Format::Gzip(15)] {
            let mut c = new_compress(6, f);
            let mut z = Vec::new();
            deflate_all(&mut c, &data, FlushCompress::Finish, &mut z).map_err(|_| ()).unwrap_or_default();
            let mut d = new_decompress(f, &z).unwrap_or_else(|| Decompress::new(true));
            let mut out = Vec::new();
            assert!(matches!(inflate(&mut d, &z, &mut out, None), Ok((true, n)) if n == z.len()));
            assert_eq!(out, data);
        }
    }
}
