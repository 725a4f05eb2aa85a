//! `_bz2`: bzip2 compression (CPython's `Modules/_bz2module.c`) over the
//! `bzip2` crate's streaming API (its pure-Rust `libbz2-rs-sys` backend,
//! a port of libbzip2 1.0.8, so compressed bytes equal CPython's).
//!
//! `BZ2Compressor(compresslevel=9, /)` with `compress`/`flush`;
//! `BZ2Decompressor()` with `decompress(data, max_length=-1)` and `eof`,
//! `unused_data`, `needs_input`: input the decoder has not consumed
//! (output limited by `max_length`) is kept and fed first next time, as
//! CPython's `input_buffer`.

use std::cell::RefCell;

use bzip2::{Action, Compress, Compression, Decompress, Status};
use taipan_vm::native::{bind, exact, new_type, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{as_buffer, int_data, new_bytes, object_slots, type_name, IntData, StrData};
use taipan_vm::types::{Kwargs, Slots};
use taipan_vm::{PyErr, PyResult, Vm};

use taipan_vm::modules::add_attr;

/// Output grows by blocks of this size when no `max_length` bounds it.
const BLOCK: usize = 64 * 1024;

fn bin_arg(vm: &Vm, o: &Obj) -> PyResult<Vec<u8>> {
    match as_buffer(o) {
        Some(b) if o.downcast::<StrData>().is_none() => Ok(b.into_owned()),
        _ => Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(o)))),
    }
}

/// CPython's `catch_bz2_error`.
fn bz_error(vm: &Vm, e: bzip2::Error) -> PyErr {
    match e {
        bzip2::Error::Param => vm.new_error(&vm.types.value_error, "Internal error - invalid parameters passed to libbzip2"),
        bzip2::Error::Data | bzip2::Error::DataMagic => vm.new_error(&vm.types.os_error, "Invalid data stream"),
        bzip2::Error::Sequence => vm.new_error(&vm.types.runtime_error, "Internal error - Invalid sequence of commands sent to libbzip2"),
    }
}

fn mem_error(vm: &Vm) -> PyErr {
    vm.new_error(&vm.types.memory_error, "")
}

/// A `Py_ssize_t` argument.
fn ssize_arg(vm: &Vm, o: &Obj) -> PyResult<i64> {
    if o.downcast::<f64>().is_some() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    Ok(crate::util::to_isize(vm, o)? as i64)
}

// ---------------------------------------------------------- compressor

pub struct CompressorData {
    state: RefCell<CompState>,
}

struct CompState {
    c: Compress,
    flushed: bool,
}

fn compressor_type(vm: &Vm) -> Obj {
    vm.native_type("_bz2.BZ2Compressor", |vm| {
        let slots = Slots { new: Some(compressor_new), ..object_slots() };
        let t = new_type::<CompressorData>(vm, "_bz2.BZ2Compressor", &[], false, slots, COMPRESSOR_METHODS, &[]);
        crate::lzma::set_doc_final(vm, &t, "Create a compressor object for compressing data incrementally.\n\n  compresslevel\n    Compression level, as a number between 1 and 9.\n\nFor one-shot compression, use the compress() function instead.");
        t
    })
}

fn compressor_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if !kw.is_empty() {
        return Err(vm.type_error("BZ2Compressor() takes no keyword arguments"));
    }
    if args.len() > 1 {
        return Err(vm.type_error(format!("BZ2Compressor expected at most 1 argument, got {}", args.len())));
    }
    let level = match args.first() {
        Some(o) => {
            if o.downcast::<f64>().is_some() {
                return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
            }
            let i = taipan_vm::ops::index(vm, o)?;
            match int_data(&i) {
                Some(IntData::Small(v)) if i32::try_from(*v).is_ok() => *v,
                _ => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int")),
            }
        }
        None => 9,
    };
    if !(1..=9).contains(&level) {
        return Err(vm.new_error(&vm.types.value_error, "compresslevel must be between 1 and 9"));
    }
    let c = Compress::new(Compression::new(level as u32), 0);
    Ok(alloc(cls.clone(), CompressorData { state: RefCell::new(CompState { c, flushed: false }) }))
}

fn comp<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a CompressorData> {
    o.downcast::<CompressorData>().ok_or_else(|| vm.type_error("descriptor requires a '_bz2.BZ2Compressor' object"))
}

/// Runs the compressor over `input` with `action` until the input is
/// consumed (`Run`) or the stream ends (`Finish`).
fn compress_all(vm: &Vm, c: &mut Compress, input: &[u8], action: Action) -> PyResult<Vec<u8>> {
    let mut out = Vec::with_capacity(BLOCK);
    let mut pos = 0;
    loop {
        if out.len() == out.capacity() {
            out.reserve(BLOCK);
        }
        let before = c.total_in();
        let st = c.compress_vec(&input[pos..], &mut out, action).map_err(|e| bz_error(vm, e))?;
        pos += (c.total_in() - before) as usize;
        if st == Status::MemNeeded {
            return Err(mem_error(vm));
        }
        let done = match action {
            Action::Finish => st == Status::StreamEnd,
            _ => pos >= input.len(),
        };
        if done {
            return Ok(out);
        }
    }
}

fn c_compress(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [data] = exact::<1>(vm, "compress", args, kw)?;
    let data = bin_arg(vm, &data)?;
    let mut st = comp(vm, this)?.state.borrow_mut();
    if st.flushed {
        return Err(vm.new_error(&vm.types.value_error, "Compressor has been flushed"));
    }
    let out = compress_all(vm, &mut st.c, &data, Action::Run)?;
    Ok(new_bytes(vm, out))
}

fn c_flush(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "flush", args, kw)?;
    let mut st = comp(vm, this)?.state.borrow_mut();
    if st.flushed {
        return Err(vm.new_error(&vm.types.value_error, "Repeated call to flush()"));
    }
    st.flushed = true;
    let out = compress_all(vm, &mut st.c, &[], Action::Finish)?;
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
    d: Decompress,
    eof: bool,
    needs_input: bool,
    unused_data: Vec<u8>,
    /// Input fed but not consumed yet.
    input_buffer: Vec<u8>,
}

fn decompressor_type(vm: &Vm) -> Obj {
    vm.native_type("_bz2.BZ2Decompressor", |vm| {
        let slots = Slots { new: Some(decompressor_new), ..object_slots() };
        let t = new_type::<DecompressorData>(vm, "_bz2.BZ2Decompressor", &[], false, slots, DECOMPRESSOR_METHODS, DECOMPRESSOR_GETSETS);
        crate::lzma::set_doc_final(vm, &t, "Create a decompressor object for decompressing data incrementally.\n\nFor one-shot decompression, use the decompress() function instead.");
        t
    })
}

fn decompressor_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if !args.is_empty() {
        return Err(vm.type_error("BZ2Decompressor() takes no positional arguments"));
    }
    if !kw.is_empty() {
        return Err(vm.type_error("BZ2Decompressor() takes no keyword arguments"));
    }
    let st = DecompState { d: Decompress::new(false), eof: false, needs_input: true, unused_data: Vec::new(), input_buffer: Vec::new() };
    Ok(alloc(cls.clone(), DecompressorData { state: RefCell::new(st) }))
}

fn dec<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a DecompressorData> {
    o.downcast::<DecompressorData>().ok_or_else(|| vm.type_error("descriptor requires a '_bz2.BZ2Decompressor' object"))
}

/// Decodes from `input` (at most `max` bytes of output when given): the
/// output, the input consumed, whether the stream ended.
fn decompress_buf(vm: &Vm, d: &mut Decompress, input: &[u8], max: Option<usize>) -> PyResult<(Vec<u8>, usize, bool)> {
    let mut out: Vec<u8> = Vec::new();
    let mut pos = 0;
    loop {
        let room = match max {
            Some(m) => (m - out.len()).min(BLOCK),
            None => BLOCK,
        };
        let at = out.len();
        out.resize(at + room, 0);
        let (before_in, before_out) = (d.total_in(), d.total_out());
        let r = d.decompress(&input[pos..], &mut out[at..]);
        let produced = (d.total_out() - before_out) as usize;
        out.truncate(at + produced);
        let st = r.map_err(|e| bz_error(vm, e))?;
        pos += (d.total_in() - before_in) as usize;
        let full = produced == room;
        match st {
            Status::StreamEnd => return Ok((out, pos, true)),
            Status::MemNeeded => return Err(mem_error(vm)),
            _ => {}
        }
        if pos >= input.len() {
            return Ok((out, pos, false));
        }
        if full && max.is_some_and(|m| out.len() >= m) {
            return Ok((out, pos, false));
        }
    }
}

fn d_decompress(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "decompress", names: &["data", "max_length"], posonly: 0, kwonly: 0, required: 1 };
    let [data, max_length] = bind::<2>(vm, &P, args, kw)?;
    let data = bin_arg(vm, data.as_ref().unwrap_or(&vm.none))?;
    let max = match &max_length {
        Some(m) => ssize_arg(vm, m)?,
        None => -1,
    };
    let mut st = dec(vm, this)?.state.borrow_mut();
    if st.eof {
        let eof = vm.exception_type("EOFError").unwrap_or_else(|| vm.types.exception.clone());
        return Err(vm.new_error(&eof, "End of stream already reached"));
    }
    let input = if st.input_buffer.is_empty() {
        data
    } else {
        let mut b = std::mem::take(&mut st.input_buffer);
        b.extend_from_slice(&data);
        b
    };
    let max = (max >= 0).then_some(max as usize);
    let (out, used, ended) = match decompress_buf(vm, &mut st.d, &input, max) {
        Ok(r) => r,
        Err(e) => {
            st.input_buffer = input;
            return Err(e);
        }
    };
    let rest = &input[used.min(input.len())..];
    if ended {
        st.eof = true;
        st.needs_input = false;
        if !rest.is_empty() {
            st.unused_data = rest.to_vec();
        }
    } else if rest.is_empty() {
        st.needs_input = true;
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

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_attr(vm, m, "BZ2Compressor", compressor_type(vm))?;
    add_attr(vm, m, "BZ2Decompressor", decompressor_type(vm))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_round_trip() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8 ^ (i / 1000) as u8).collect();
        let mut c = Compress::new(Compression::new(9), 0);
        let mut z = Vec::with_capacity(data.len());
        let st = c.compress_vec(&data, &mut z, Action::Finish);
        assert_eq!(st.ok(), Some(Status::StreamEnd));
        assert_eq!(&z[..3], b"BZh");
        let mut d = Decompress::new(false);
        let mut out = Vec::with_capacity(data.len() + 1);
        assert_eq!(d.decompress_vec(&z, &mut out).ok(), Some(Status::StreamEnd));
        assert_eq!(out, data);
    }
}
