//! `_lzma`: xz/lzma compression (CPython's `Modules/_lzmamodule.c`) over
//! liblzma itself (`liblzma-sys`, built from its bundled xz sources with
//! the `static` feature, so no system library is needed).
//!
//! `LZMACompressor(format, check, preset, filters)` and
//! `LZMADecompressor(format, memlimit, filters)` for the XZ, ALONE, RAW
//! (and, decompressing, AUTO) container formats; filter chains are
//! parsed from the dicts `lzma.py` documents (LZMA1/LZMA2 options over a
//! preset, delta distance, BCJ start offset) with CPython's messages;
//! `is_check_supported`, `_encode_filter_properties`,
//! `_decode_filter_properties` and the constants.
//!
//! # Safety
//! The foreign calls go to liblzma. Their invariants:
//! - an `lzma_stream` starts zeroed (`LZMA_STREAM_INIT`), lives in a
//!   `Box` owned by one [`Stream`] (so it never moves while liblzma holds
//!   its `internal` state), and is passed to `lzma_end` exactly once, in
//!   `Drop`;
//! - `next_in`/`next_out` point into a live slice/vector with
//!   `avail_in`/`avail_out` its length/spare capacity during one
//!   `lzma_code` call only, and are reset to null after it;
//! - a filter array ends with `LZMA_VLI_UNKNOWN`, and the options its
//!   entries point to (owned by [`Chain`]) outlive the encoder/decoder
//!   initialisation that reads them;
//! - options that `lzma_properties_decode` allocates (with the default
//!   allocator: `malloc`) are freed once with `free`.

use std::cell::RefCell;
use std::os::raw::c_void;

use liblzma_sys as ffi;
use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{exact, new_type, FunctionDef, GetSetDef, MethodDef};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{
    as_buffer, dict_get_str, dict_items, dict_set, int_data, new_bytes, new_dict, new_str, object_slots, type_name, DictData, IntData,
    ListData, StrData, TupleData,
};
use taipan_vm::types::{Kwargs, Slots};
use taipan_vm::{PyErr, PyResult, Vm};

use crate::util;

const FORMAT_AUTO: i64 = 0;
const FORMAT_XZ: i64 = 1;
const FORMAT_ALONE: i64 = 2;
const FORMAT_RAW: i64 = 3;
const CHECK_UNKNOWN: i64 = 16;
const BLOCK: usize = 32 * 1024;

fn error_type(vm: &Vm) -> PyResult<Obj> {
    util::exception_class(vm, "_lzma.LZMAError", &[])
}

fn lzma_error(vm: &Vm, msg: impl Into<String>) -> PyErr {
    match error_type(vm) {
        Ok(t) => vm.new_error(&t, msg),
        Err(e) => e,
    }
}

fn value_error(vm: &Vm, msg: impl Into<String>) -> PyErr {
    vm.new_error(&vm.types.value_error, msg)
}

/// CPython's `catch_lzma_error`: `Ok` for the non-error codes.
fn check_ret(vm: &Vm, ret: ffi::lzma_ret) -> PyResult<()> {
    let msg = match ret {
        ffi::LZMA_OK | ffi::LZMA_GET_CHECK | ffi::LZMA_NO_CHECK | ffi::LZMA_STREAM_END => return Ok(()),
        ffi::LZMA_UNSUPPORTED_CHECK => "Unsupported integrity check".to_string(),
        ffi::LZMA_MEM_ERROR => return Err(vm.new_error(&vm.types.memory_error, "")),
        ffi::LZMA_MEMLIMIT_ERROR => "Memory usage limit exceeded".to_string(),
        ffi::LZMA_FORMAT_ERROR => "Input format not supported by decoder".to_string(),
        ffi::LZMA_OPTIONS_ERROR => "Invalid or unsupported options".to_string(),
        ffi::LZMA_DATA_ERROR => "Corrupt input data".to_string(),
        ffi::LZMA_BUF_ERROR => "Insufficient buffer space".to_string(),
        ffi::LZMA_PROG_ERROR => "Internal error".to_string(),
        other => format!("Unrecognized error from liblzma: {other}"),
    };
    Err(lzma_error(vm, msg))
}

// ------------------------------------------------------------ arguments

fn bin_arg(vm: &Vm, o: &Obj) -> PyResult<Vec<u8>> {
    match as_buffer(o) {
        Some(b) if o.downcast::<StrData>().is_none() => Ok(b.into_owned()),
        _ => Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(o)))),
    }
}

/// `PyLong_AsUnsignedLongLong` (no `__index__`).
fn u64_arg(vm: &Vm, o: &Obj) -> PyResult<u64> {
    let Some(d) = int_data(o) else { return Err(vm.type_error("an integer is required")) };
    let big = d.to_big();
    if big.sign() == num_bigint::Sign::Minus {
        return Err(vm.new_error(&vm.types.overflow_error, "can't convert negative int to unsigned"));
    }
    u64::try_from(&big).map_err(|_| vm.new_error(&vm.types.overflow_error, "int too big to convert"))
}

/// CPython's `uint32_converter` (over `PyLong_AsUnsignedLong`).
fn u32_arg(vm: &Vm, o: &Obj) -> PyResult<u32> {
    let Some(d) = int_data(o) else { return Err(vm.type_error("an integer is required")) };
    let big = d.to_big();
    if big.sign() == num_bigint::Sign::Minus {
        return Err(vm.new_error(&vm.types.overflow_error, "can't convert negative int to unsigned"));
    }
    let v =
        u64::try_from(&big).map_err(|_| vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C unsigned long"))?;
    u32::try_from(v).map_err(|_| vm.new_error(&vm.types.overflow_error, "Value too large for uint32_t type"))
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

/// `PyArg_ParseTupleAndKeywords` for `fname(names...)` with all
/// parameters optional: the old-style messages.
fn parse_args<const N: usize>(vm: &Vm, fname: &str, names: [&str; N], args: &[Obj], kw: Kwargs) -> PyResult<[Option<Obj>; N]> {
    if args.len() > N {
        return Err(vm.type_error(format!("{fname}() takes at most {N} arguments ({} given)", args.len() + kw.len())));
    }
    let mut out: [Option<Obj>; N] = std::array::from_fn(|i| args.get(i).cloned());
    for (k, v) in kw.iter() {
        let Some(key) = k.downcast::<StrData>() else { return Err(vm.type_error("keywords must be strings")) };
        let name = key.as_str();
        let name = name.as_ref();
        match names.iter().position(|n| *n == name) {
            Some(i) if out[i].is_some() => {
                return Err(vm.type_error(format!("argument for {fname}() given by name ('{name}') and position ({})", i + 1)))
            }
            Some(i) => out[i] = Some(v.clone()),
            None => return Err(vm.type_error(format!("'{name}' is an invalid keyword argument for {fname}()"))),
        }
    }
    Ok(out)
}

// -------------------------------------------------------- filter chains

/// Options of one filter, owned for as long as liblzma reads them.
enum Options {
    Lzma(Box<ffi::lzma_options_lzma>),
    Delta(Box<ffi::lzma_options_delta>),
    Bcj(Box<ffi::lzma_options_bcj>),
}

impl Options {
    fn ptr(&mut self) -> *mut c_void {
        match self {
            Options::Lzma(b) => &mut **b as *mut ffi::lzma_options_lzma as *mut c_void,
            Options::Delta(b) => &mut **b as *mut ffi::lzma_options_delta as *mut c_void,
            Options::Bcj(b) => &mut **b as *mut ffi::lzma_options_bcj as *mut c_void,
        }
    }
}

/// A filter chain: the array liblzma reads (ending in
/// `LZMA_VLI_UNKNOWN`) and the options it points to.
struct Chain {
    filters: Vec<ffi::lzma_filter>,
    _options: Vec<Options>,
}

fn is_bcj(id: u64) -> bool {
    matches!(
        id,
        ffi::LZMA_FILTER_X86
            | ffi::LZMA_FILTER_POWERPC
            | ffi::LZMA_FILTER_IA64
            | ffi::LZMA_FILTER_ARM
            | ffi::LZMA_FILTER_ARMTHUMB
            | ffi::LZMA_FILTER_SPARC
    )
}

/// The keyword pass of `parse_filter_spec_*`: every key of `spec` must
/// be one of `names` (all but `id`/`preset` converted to `u32`); any
/// failure is `ValueError(msg)`.
fn spec_options(vm: &Vm, spec: &Obj, names: &[&str], msg: &str) -> PyResult<Vec<(String, u32)>> {
    let bad = || value_error(vm, msg);
    if spec.downcast::<DictData>().is_none() {
        return Err(bad());
    }
    let mut out = Vec::new();
    for (k, v) in dict_items(spec) {
        let Some(s) = k.downcast::<StrData>() else { return Err(bad()) };
        let name = s.as_str().into_owned();
        if !names.contains(&name.as_str()) {
            return Err(bad());
        }
        if name == "id" || name == "preset" {
            continue;
        }
        out.push((name, u32_arg(vm, &v).map_err(|_| bad())?));
    }
    Ok(out)
}

fn parse_filter_spec(vm: &Vm, spec: &Obj) -> PyResult<(u64, Options)> {
    let is_mapping = spec.downcast::<DictData>().is_some()
        || taipan_vm::types::lookup(&taipan_vm::types::type_of(spec), "__getitem__").is_some()
            && spec.downcast::<IntData>().is_none()
            && spec.downcast::<f64>().is_none();
    if !is_mapping {
        return Err(vm.type_error("Filter specifier must be a dict or dict-like object"));
    }
    let get = |key: &str| -> PyResult<Option<Obj>> {
        if spec.downcast::<DictData>().is_some() {
            return dict_get_str(vm, spec, key);
        }
        match taipan_vm::sequence::getitem(vm, spec, &new_str(vm, key)) {
            Ok(v) => Ok(Some(v)),
            Err(e) if util::is_error(&e, &vm.types.key_error) => Ok(None),
            Err(e) => Err(e),
        }
    };
    let Some(id) = get("id")? else { return Err(value_error(vm, "Filter specifier must have an \"id\" entry")) };
    let id = u64_arg(vm, &id)?;
    if id == ffi::LZMA_FILTER_LZMA1 || id == ffi::LZMA_FILTER_LZMA2 {
        let preset = match get("preset")? {
            Some(p) => u32_arg(vm, &p)?,
            None => ffi::LZMA_PRESET_DEFAULT,
        };
        // SAFETY: all-zero is a valid `lzma_options_lzma` (integers,
        // a null pointer and enums whose zero is a valid value).
        let mut o: Box<ffi::lzma_options_lzma> = Box::new(unsafe { std::mem::zeroed() });
        // SAFETY: `o` points to a live, writable options struct.
        if unsafe { ffi::lzma_lzma_preset(&mut *o, preset) } != 0 {
            return Err(lzma_error(vm, format!("Invalid compression preset: {preset}")));
        }
        let names = ["id", "preset", "dict_size", "lc", "lp", "pb", "mode", "nice_len", "mf", "depth"];
        for (name, v) in spec_options(vm, spec, &names, "Invalid filter specifier for LZMA filter")? {
            match name.as_str() {
                "dict_size" => o.dict_size = v,
                "lc" => o.lc = v,
                "lp" => o.lp = v,
                "pb" => o.pb = v,
                "mode" => o.mode = v as _,
                "nice_len" => o.nice_len = v,
                "mf" => o.mf = v as _,
                _ => o.depth = v,
            }
        }
        return Ok((id, Options::Lzma(o)));
    }
    if id == ffi::LZMA_FILTER_DELTA {
        // SAFETY: all-zero is a valid `lzma_options_delta`.
        let mut o: Box<ffi::lzma_options_delta> = Box::new(unsafe { std::mem::zeroed() });
        o.type_ = ffi::lzma_delta_type_LZMA_DELTA_TYPE_BYTE;
        o.dist = 1;
        for (_, v) in spec_options(vm, spec, &["id", "dist"], "Invalid filter specifier for delta filter")? {
            o.dist = v;
        }
        return Ok((id, Options::Delta(o)));
    }
    if is_bcj(id) {
        let mut o = Box::new(ffi::lzma_options_bcj { start_offset: 0 });
        for (_, v) in spec_options(vm, spec, &["id", "start_offset"], "Invalid filter specifier for BCJ filter")? {
            o.start_offset = v;
        }
        return Ok((id, Options::Bcj(o)));
    }
    Err(value_error(vm, format!("Invalid filter ID: {id}")))
}

fn parse_filter_chain(vm: &Vm, specs: &Obj) -> PyResult<Chain> {
    let items: Vec<Obj> = if let Some(t) = specs.downcast::<TupleData>() {
        t.items.to_vec()
    } else if specs.downcast::<ListData>().is_some() {
        util::collect(vm, specs)?
    } else if specs.downcast::<DictData>().is_some() {
        return Err(vm.type_error(format!("{} is not a sequence", type_name(specs))));
    } else {
        let n = taipan_vm::ops::length(vm, specs)?;
        (0..n).map(|i| taipan_vm::sequence::getitem(vm, specs, &vm.int(i as i64))).collect::<PyResult<_>>()?
    };
    if items.len() > ffi::LZMA_FILTERS_MAX as usize {
        return Err(value_error(vm, format!("Too many filters - liblzma supports a maximum of {}", ffi::LZMA_FILTERS_MAX)));
    }
    let mut filters = Vec::with_capacity(items.len() + 1);
    let mut options = Vec::with_capacity(items.len());
    for spec in &items {
        let (id, mut o) = parse_filter_spec(vm, spec)?;
        filters.push(ffi::lzma_filter { id, options: o.ptr() });
        options.push(o);
    }
    filters.push(ffi::lzma_filter { id: ffi::LZMA_VLI_UNKNOWN, options: std::ptr::null_mut() });
    Ok(Chain { filters, _options: options })
}

// ------------------------------------------------------------ streams

/// An initialised `lzma_stream` (see the module's Safety section).
struct Stream {
    s: Box<ffi::lzma_stream>,
}

impl Stream {
    fn new() -> Stream {
        // SAFETY: `LZMA_STREAM_INIT` is the all-zero stream.
        Stream { s: Box::new(unsafe { std::mem::zeroed() }) }
    }

    /// One `lzma_code` call reading `input` and appending to `out` (up
    /// to its capacity, and at most `limit` bytes): the return code and
    /// the input consumed.
    fn code(&mut self, input: &[u8], out: &mut Vec<u8>, limit: usize, action: ffi::lzma_action) -> (ffi::lzma_ret, usize) {
        let len = out.len();
        let room = (out.capacity() - len).min(limit);
        let spare = out.spare_capacity_mut();
        self.s.next_in = if input.is_empty() { std::ptr::null() } else { input.as_ptr() };
        self.s.avail_in = input.len();
        self.s.next_out = spare.as_mut_ptr() as *mut u8;
        self.s.avail_out = room;
        // SAFETY: the stream was initialised by an encoder/decoder init
        // function; the buffers are valid for the lengths given.
        let ret = unsafe { ffi::lzma_code(&mut *self.s, action) };
        let consumed = input.len() - self.s.avail_in;
        let produced = room - self.s.avail_out;
        self.s.next_in = std::ptr::null();
        self.s.next_out = std::ptr::null_mut();
        self.s.avail_in = 0;
        self.s.avail_out = 0;
        // SAFETY: liblzma wrote `produced` bytes into the spare capacity.
        unsafe { out.set_len(len + produced) };
        (ret, consumed)
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        // SAFETY: `lzma_end` accepts any stream that started zeroed,
        // initialised or not; it is called once.
        unsafe { ffi::lzma_end(&mut *self.s) };
    }
}

/// A compressor type's `__doc__`; like CPython's, these types cannot be
/// subclassed.
pub(crate) fn set_doc_final(vm: &Vm, t: &Obj, doc: &str) {
    let td = taipan_vm::types::type_data(t);
    td.dict.borrow_mut().insert("__doc__", new_str(vm, doc));
    td.is_final.set(true);
}

// ---------------------------------------------------------- compressor

pub struct CompressorData {
    state: RefCell<CompState>,
}

struct CompState {
    s: Stream,
    flushed: bool,
}

fn compressor_type(vm: &Vm) -> Obj {
    vm.native_type("_lzma.LZMACompressor", |vm| {
        let slots = Slots { new: Some(compressor_new), ..object_slots() };
        let t = new_type::<CompressorData>(vm, "_lzma.LZMACompressor", &[], false, slots, COMPRESSOR_METHODS, &[]);
        set_doc_final(vm, &t, "LZMACompressor(format=FORMAT_XZ, check=-1, preset=None, filters=None)\n\nCreate a compressor object for compressing data incrementally.");
        t
    })
}

fn compressor_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [format, check, preset, filters] = parse_args(vm, "LZMACompressor", ["format", "check", "preset", "filters"], args, kw)?;
    let format = match &format {
        Some(f) => int_arg(vm, f)?,
        None => FORMAT_XZ,
    };
    let check = match &check {
        Some(c) => int_arg(vm, c)?,
        None => -1,
    };
    let preset = preset.filter(|p| !p.is(&vm.none));
    let filters = filters.filter(|f| !f.is(&vm.none));
    if format != FORMAT_XZ && check != -1 && check != 0 {
        return Err(value_error(vm, "Integrity checks are only supported by FORMAT_XZ"));
    }
    if preset.is_some() && filters.is_some() {
        return Err(value_error(vm, "Cannot specify both preset and filter chain"));
    }
    let preset = match &preset {
        Some(p) => u32_arg(vm, p)?,
        None => ffi::LZMA_PRESET_DEFAULT,
    };
    let chain = match &filters {
        Some(f) => Some(parse_filter_chain(vm, f)?),
        None => None,
    };
    let mut s = Stream::new();
    let ret = match format {
        FORMAT_XZ => {
            let check = if check == -1 { ffi::LZMA_CHECK_CRC64 } else { check as ffi::lzma_check };
            match &chain {
                // SAFETY: a fresh zeroed stream; see the Safety section.
                None => unsafe { ffi::lzma_easy_encoder(&mut *s.s, preset, check) },
                // SAFETY: as above; the chain ends in LZMA_VLI_UNKNOWN.
                Some(c) => unsafe { ffi::lzma_stream_encoder(&mut *s.s, c.filters.as_ptr(), check) },
            }
        }
        FORMAT_ALONE => match &chain {
            None => {
                // SAFETY: all-zero is a valid `lzma_options_lzma`.
                let mut o: ffi::lzma_options_lzma = unsafe { std::mem::zeroed() };
                // SAFETY: `o` is live and writable.
                if unsafe { ffi::lzma_lzma_preset(&mut o, preset) } != 0 {
                    return Err(lzma_error(vm, format!("Invalid compression preset: {preset}")));
                }
                // SAFETY: a fresh zeroed stream; `o` outlives the call.
                unsafe { ffi::lzma_alone_encoder(&mut *s.s, &o) }
            }
            Some(c) => {
                if c.filters.len() != 2 || c.filters[0].id != ffi::LZMA_FILTER_LZMA1 {
                    return Err(value_error(vm, "Invalid filter chain for FORMAT_ALONE - must be a single LZMA1 filter"));
                }
                // SAFETY: filter 0 is LZMA1, whose options are an
                // `lzma_options_lzma` owned by the chain.
                unsafe { ffi::lzma_alone_encoder(&mut *s.s, c.filters[0].options as *const ffi::lzma_options_lzma) }
            }
        },
        FORMAT_RAW => match &chain {
            None => return Err(value_error(vm, "Must specify filters for FORMAT_RAW")),
            // SAFETY: a fresh zeroed stream; the chain is terminated.
            Some(c) => unsafe { ffi::lzma_raw_encoder(&mut *s.s, c.filters.as_ptr()) },
        },
        other => return Err(value_error(vm, format!("Invalid container format: {other}"))),
    };
    check_ret(vm, ret)?;
    Ok(alloc(cls.clone(), CompressorData { state: RefCell::new(CompState { s, flushed: false }) }))
}

fn comp<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a CompressorData> {
    o.downcast::<CompressorData>().ok_or_else(|| vm.type_error("descriptor requires a '_lzma.LZMACompressor' object"))
}

/// CPython's `compress()`: runs until the input is consumed (`RUN`) or
/// the stream ends (`FINISH`).
fn compress_all(vm: &Vm, s: &mut Stream, input: &[u8], action: ffi::lzma_action) -> PyResult<Vec<u8>> {
    let mut out = Vec::with_capacity(BLOCK);
    let mut pos = 0;
    loop {
        if out.len() == out.capacity() {
            out.reserve(out.capacity().clamp(BLOCK, 1 << 24));
        }
        let (mut ret, used) = s.code(&input[pos..], &mut out, usize::MAX, action);
        pos += used;
        if ret == ffi::LZMA_BUF_ERROR && input.is_empty() && out.len() < out.capacity() {
            ret = ffi::LZMA_OK;
        }
        check_ret(vm, ret)?;
        if (action == ffi::LZMA_RUN && pos >= input.len()) || (action == ffi::LZMA_FINISH && ret == ffi::LZMA_STREAM_END) {
            return Ok(out);
        }
    }
}

fn c_compress(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [data] = exact::<1>(vm, "compress", args, kw)?;
    let data = bin_arg(vm, &data)?;
    let mut st = comp(vm, this)?.state.borrow_mut();
    if st.flushed {
        return Err(value_error(vm, "Compressor has been flushed"));
    }
    let out = compress_all(vm, &mut st.s, &data, ffi::LZMA_RUN)?;
    Ok(new_bytes(vm, out))
}

fn c_flush(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "flush", args, kw)?;
    let mut st = comp(vm, this)?.state.borrow_mut();
    if st.flushed {
        return Err(value_error(vm, "Repeated call to flush()"));
    }
    st.flushed = true;
    let out = compress_all(vm, &mut st.s, &[], ffi::LZMA_FINISH)?;
    Ok(new_bytes(vm, out))
}

static COMPRESSOR_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "compress",
        c_compress,
        "Provide data to the compressor object.\n\nReturns a chunk of compressed data if possible, or b'' otherwise.",
    ),
    MethodDef::method("flush", c_flush, "Finish the compression process.\n\nReturns the compressed data left in internal buffers."),
];

// -------------------------------------------------------- decompressor

pub struct DecompressorData {
    state: RefCell<DecompState>,
}

struct DecompState {
    s: Stream,
    check: i64,
    eof: bool,
    needs_input: bool,
    unused_data: Vec<u8>,
    input_buffer: Vec<u8>,
}

fn decompressor_type(vm: &Vm) -> Obj {
    vm.native_type("_lzma.LZMADecompressor", |vm| {
        let slots = Slots { new: Some(decompressor_new), ..object_slots() };
        let t = new_type::<DecompressorData>(vm, "_lzma.LZMADecompressor", &[], false, slots, DECOMPRESSOR_METHODS, DECOMPRESSOR_GETSETS);
        set_doc_final(vm, &t, "Create a decompressor object for decompressing data incrementally.");
        t
    })
}

fn decompressor_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [format, memlimit, filters] = parse_args(vm, "LZMADecompressor", ["format", "memlimit", "filters"], args, kw)?;
    let format = match &format {
        Some(f) => int_arg(vm, f)?,
        None => FORMAT_AUTO,
    };
    let memlimit = memlimit.filter(|m| !m.is(&vm.none));
    let filters = filters.filter(|f| !f.is(&vm.none));
    if memlimit.is_some() && format == FORMAT_RAW {
        return Err(value_error(vm, "Cannot specify memory limit with FORMAT_RAW"));
    }
    if format == FORMAT_RAW && filters.is_none() {
        return Err(value_error(vm, "Must specify filters for FORMAT_RAW"));
    }
    if format != FORMAT_RAW && filters.is_some() {
        return Err(value_error(vm, "Cannot specify filters except with FORMAT_RAW"));
    }
    let memlimit = match &memlimit {
        Some(m) => u64_arg(vm, m)?,
        None => u64::MAX,
    };
    let flags = ffi::LZMA_TELL_ANY_CHECK | ffi::LZMA_TELL_NO_CHECK;
    let mut s = Stream::new();
    let mut check = CHECK_UNKNOWN;
    let ret = match format {
        // SAFETY (all four): a fresh zeroed stream; a RAW chain is
        // terminated and lives through the call.
        FORMAT_AUTO => unsafe { ffi::lzma_auto_decoder(&mut *s.s, memlimit, flags) },
        FORMAT_XZ => unsafe { ffi::lzma_stream_decoder(&mut *s.s, memlimit, flags) },
        FORMAT_ALONE => {
            check = 0;
            unsafe { ffi::lzma_alone_decoder(&mut *s.s, memlimit) }
        }
        FORMAT_RAW => {
            check = 0;
            let chain = parse_filter_chain(vm, filters.as_ref().unwrap_or(&vm.none))?;
            unsafe { ffi::lzma_raw_decoder(&mut *s.s, chain.filters.as_ptr()) }
        }
        other => return Err(value_error(vm, format!("Invalid container format: {other}"))),
    };
    check_ret(vm, ret)?;
    let st = DecompState { s, check, eof: false, needs_input: true, unused_data: Vec::new(), input_buffer: Vec::new() };
    Ok(alloc(cls.clone(), DecompressorData { state: RefCell::new(st) }))
}

fn dec<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a DecompressorData> {
    o.downcast::<DecompressorData>().ok_or_else(|| vm.type_error("descriptor requires a '_lzma.LZMADecompressor' object"))
}

/// CPython's `decompress_buf`: the output, the input consumed, and
/// whether the output ended full (`avail_out == 0`).
fn decompress_buf(vm: &Vm, st: &mut DecompState, input: &[u8], max: Option<usize>) -> PyResult<(Vec<u8>, usize, bool)> {
    let first = match max {
        Some(m) => m.min(BLOCK),
        None => BLOCK,
    };
    let mut out: Vec<u8> = Vec::with_capacity(first);
    let mut pos = 0;
    loop {
        let limit = max.map_or(usize::MAX, |m| m - out.len());
        let (mut ret, used) = st.s.code(&input[pos..], &mut out, limit, ffi::LZMA_RUN);
        pos += used;
        if ret == ffi::LZMA_BUF_ERROR && pos >= input.len() && out.len() < out.capacity() {
            // No progress without input is not an error here.
            ret = ffi::LZMA_OK;
        }
        check_ret(vm, ret)?;
        if ret == ffi::LZMA_GET_CHECK || ret == ffi::LZMA_NO_CHECK {
            // SAFETY: the stream is initialised.
            st.check = unsafe { ffi::lzma_get_check(&*st.s.s) } as i64;
        }
        let full = out.len() == out.capacity() || max == Some(out.len());
        if ret == ffi::LZMA_STREAM_END {
            st.eof = true;
            return Ok((out, pos, full));
        } else if full {
            if max == Some(out.len()) {
                return Ok((out, pos, true));
            }
            let grow = out.capacity().clamp(BLOCK, 1 << 24);
            let grow = match max {
                Some(m) => grow.min(m - out.len()),
                None => grow,
            };
            out.reserve_exact(grow);
        } else if pos >= input.len() {
            return Ok((out, pos, false));
        }
    }
}

fn d_decompress(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: taipan_vm::native::Params =
        taipan_vm::native::Params { fname: "decompress", names: &["data", "max_length"], posonly: 0, kwonly: 0, required: 1 };
    let [data, max_length] = taipan_vm::native::bind::<2>(vm, &P, args, kw)?;
    let data = bin_arg(vm, data.as_ref().unwrap_or(&vm.none))?;
    let max = match &max_length {
        Some(m) => {
            if m.downcast::<f64>().is_some() {
                return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
            }
            util::to_isize(vm, m)? as i64
        }
        None => -1,
    };
    let mut guard = dec(vm, this)?.state.borrow_mut();
    let st = &mut *guard;
    if st.eof {
        let eof = vm.exception_type("EOFError").unwrap_or_else(|| vm.types.exception.clone());
        return Err(vm.new_error(&eof, "Already at end of stream"));
    }
    let input = if st.input_buffer.is_empty() {
        data
    } else {
        let mut b = std::mem::take(&mut st.input_buffer);
        b.extend_from_slice(&data);
        b
    };
    let max = (max >= 0).then_some(max as usize);
    let (out, used, full) = decompress_buf(vm, st, &input, max)?;
    let rest = &input[used.min(input.len())..];
    if st.eof {
        st.needs_input = false;
        if !rest.is_empty() {
            st.unused_data = rest.to_vec();
        }
    } else if rest.is_empty() {
        st.needs_input = !full;
    } else {
        st.needs_input = false;
        st.input_buffer = rest.to_vec();
    }
    Ok(new_bytes(vm, out))
}

static DECOMPRESSOR_METHODS: &[MethodDef] = &[MethodDef::method(
    "decompress",
    d_decompress,
    "Decompress *data*, returning uncompressed data as bytes.\n\nIf *max_length* is nonnegative, returns at most *max_length* bytes of\ndecompressed data. If this limit is reached and further output can be\nproduced, *self.needs_input* will be set to ``False``. In this case, the next\ncall to *decompress()* may provide *data* as b'' to obtain more of the output.",
)];

static DECOMPRESSOR_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly(
        "check",
        |vm, o| Ok(vm.int(dec(vm, o)?.state.borrow().check)),
        "ID of the integrity check used by the input stream.",
    ),
    GetSetDef::readonly("eof", |vm, o| Ok(vm.bool(dec(vm, o)?.state.borrow().eof)), "True if the end-of-stream marker has been reached."),
    GetSetDef::readonly(
        "unused_data",
        |vm, o| Ok(new_bytes(vm, dec(vm, o)?.state.borrow().unused_data.clone())),
        "Data found after the end of the compressed stream.",
    ),
    GetSetDef::readonly(
        "needs_input",
        |vm, o| Ok(vm.bool(dec(vm, o)?.state.borrow().needs_input)),
        "True if more input is needed before more decompressed data can be produced.",
    ),
];

// ------------------------------------------------------------ functions

fn m_is_check_supported(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [id] = exact::<1>(vm, "is_check_supported", args, kw)?;
    let id = int_arg(vm, &id)?;
    // SAFETY: a pure query; any value is accepted.
    let ok = unsafe { ffi::lzma_check_is_supported(id as ffi::lzma_check) } != 0;
    Ok(vm.bool(ok))
}

fn m_encode_filter_properties(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [spec] = exact::<1>(vm, "_encode_filter_properties", args, kw)?;
    let (id, mut o) = parse_filter_spec(vm, &spec)?;
    let filter = ffi::lzma_filter { id, options: o.ptr() };
    let mut size: u32 = 0;
    // SAFETY: `filter`'s options are live (`o`); `size` is writable.
    check_ret(vm, unsafe { ffi::lzma_properties_size(&mut size, &filter) })?;
    let mut out = vec![0u8; size as usize];
    // SAFETY: `out` has the `size` bytes liblzma asked for.
    check_ret(vm, unsafe { ffi::lzma_properties_encode(&filter, out.as_mut_ptr()) })?;
    drop(o);
    Ok(new_bytes(vm, out))
}

fn m_decode_filter_properties(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [id, props] = exact::<2>(vm, "_decode_filter_properties", args, kw)?;
    let id = u64_arg(vm, &id)?;
    let props = bin_arg(vm, &props)?;
    let mut filter = ffi::lzma_filter { id, options: std::ptr::null_mut() };
    // SAFETY: `props` is valid for its length; liblzma allocates the
    // options with malloc (null allocator).
    let ret = unsafe { ffi::lzma_properties_decode(&mut filter, std::ptr::null(), props.as_ptr(), props.len()) };
    check_ret(vm, ret)?;
    let spec = build_filter_spec(vm, &filter);
    // SAFETY: the options came from liblzma's malloc (or are null) and
    // are freed once.
    unsafe { libc::free(filter.options) };
    spec
}

/// CPython's `build_filter_spec`.
fn build_filter_spec(vm: &Vm, f: &ffi::lzma_filter) -> PyResult<Obj> {
    let spec = new_dict(vm);
    let add = |k: &str, v: u64| dict_set(vm, &spec, new_str(vm, k), int_obj(vm, v));
    add("id", f.id)?;
    if f.id == ffi::LZMA_FILTER_LZMA1 || f.id == ffi::LZMA_FILTER_LZMA2 {
        if f.options.is_null() {
            return Ok(spec);
        }
        // SAFETY: for LZMA filters the decoded options are an
        // `lzma_options_lzma`.
        let o = unsafe { &*(f.options as *const ffi::lzma_options_lzma) };
        if f.id == ffi::LZMA_FILTER_LZMA1 {
            add("lc", o.lc as u64)?;
            add("lp", o.lp as u64)?;
            add("pb", o.pb as u64)?;
        }
        add("dict_size", o.dict_size as u64)?;
    } else if f.id == ffi::LZMA_FILTER_DELTA {
        if !f.options.is_null() {
            // SAFETY: delta options are an `lzma_options_delta`.
            let o = unsafe { &*(f.options as *const ffi::lzma_options_delta) };
            add("dist", o.dist as u64)?;
        }
    } else if is_bcj(f.id) {
        if !f.options.is_null() {
            // SAFETY: BCJ options are an `lzma_options_bcj`.
            let o = unsafe { &*(f.options as *const ffi::lzma_options_bcj) };
            add("start_offset", o.start_offset as u64)?;
        }
    } else {
        return Err(value_error(vm, format!("Invalid filter ID: {}", f.id)));
    }
    Ok(spec)
}

fn int_obj(vm: &Vm, v: u64) -> Obj {
    match i64::try_from(v) {
        Ok(i) => vm.int(i),
        Err(_) => taipan_vm::types::builtin::new_int_big(vm, num_bigint::BigInt::from(v)),
    }
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new(
        "is_check_supported",
        m_is_check_supported,
        "Test whether the given integrity check is supported.\n\nAlways returns True for CHECK_NONE and CHECK_CRC32.",
    ),
    FunctionDef::new("_encode_filter_properties", m_encode_filter_properties, "Return a bytes object encoding the options (properties) of the filter specified by *filter* (a dict).\n\nThe result does not include the filter ID itself, only the options."),
    FunctionDef::new("_decode_filter_properties", m_decode_filter_properties, "Return a bytes object encoding the options (properties) of the filter specified by *filter* (a dict).\n\nThe result does not include the filter ID itself, only the options."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    let err = error_type(vm)?;
    taipan_vm::types::type_data(&err).dict.borrow_mut().insert("__doc__", new_str(vm, "Call to liblzma failed."));
    add_attr(vm, m, "LZMAError", err)?;
    add_attr(vm, m, "LZMACompressor", compressor_type(vm))?;
    add_attr(vm, m, "LZMADecompressor", decompressor_type(vm))?;
    let ints: [(&str, u64); 26] = [
        ("FORMAT_AUTO", FORMAT_AUTO as u64),
        ("FORMAT_XZ", FORMAT_XZ as u64),
        ("FORMAT_ALONE", FORMAT_ALONE as u64),
        ("FORMAT_RAW", FORMAT_RAW as u64),
        ("CHECK_NONE", 0),
        ("CHECK_CRC32", 1),
        ("CHECK_CRC64", 4),
        ("CHECK_SHA256", 10),
        ("CHECK_ID_MAX", 15),
        ("CHECK_UNKNOWN", CHECK_UNKNOWN as u64),
        ("FILTER_LZMA1", ffi::LZMA_FILTER_LZMA1),
        ("FILTER_LZMA2", ffi::LZMA_FILTER_LZMA2),
        ("FILTER_DELTA", ffi::LZMA_FILTER_DELTA),
        ("FILTER_X86", ffi::LZMA_FILTER_X86),
        ("FILTER_IA64", ffi::LZMA_FILTER_IA64),
        ("FILTER_ARM", ffi::LZMA_FILTER_ARM),
        ("FILTER_ARMTHUMB", ffi::LZMA_FILTER_ARMTHUMB),
        ("FILTER_SPARC", ffi::LZMA_FILTER_SPARC),
        ("FILTER_POWERPC", ffi::LZMA_FILTER_POWERPC),
        ("MF_HC3", 0x03),
        ("MF_HC4", 0x04),
        ("MF_BT2", 0x12),
        ("MF_BT3", 0x13),
        ("MF_BT4", 0x14),
        ("MODE_FAST", 1),
        ("MODE_NORMAL", 2),
    ];
    for (name, v) in ints {
        add_attr(vm, m, name, int_obj(vm, v))?;
    }
    add_attr(vm, m, "PRESET_DEFAULT", vm.int(ffi::LZMA_PRESET_DEFAULT as i64))?;
    add_attr(vm, m, "PRESET_EXTREME", vm.int(ffi::LZMA_PRESET_EXTREME as i64))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xz_round_trip() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut c = Stream::new();
        // SAFETY: a fresh zeroed stream.
        assert_eq!(unsafe { ffi::lzma_easy_encoder(&mut *c.s, 6, ffi::LZMA_CHECK_CRC64) }, ffi::LZMA_OK);
        let mut z = Vec::with_capacity(200_000);
        let (ret, used) = c.code(&data, &mut z, usize::MAX, ffi::LZMA_FINISH);
        assert_eq!((ret, used), (ffi::LZMA_STREAM_END, data.len()));
        assert_eq!(&z[..6], b"\xfd7zXZ\x00");
        let mut d = Stream::new();
        // SAFETY: a fresh zeroed stream.
        assert_eq!(unsafe { ffi::lzma_auto_decoder(&mut *d.s, u64::MAX, 0) }, ffi::LZMA_OK);
        let mut out = Vec::with_capacity(data.len() + 16);
        let (ret, used) = d.code(&z, &mut out, usize::MAX, ffi::LZMA_RUN);
        assert_eq!((ret, used), (ffi::LZMA_STREAM_END, z.len()));
        assert_eq!(out, data);
    }
}
