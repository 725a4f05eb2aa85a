//! `_struct`: packing Python values into C structs held in bytes and
//! back (CPython's `Modules/_struct.c`), under the pure-Python `struct`.
//!
//! A format compiles to a list of [`Code`]s (format character, byte
//! offset, size, repeat count) in [`compile`]; `@` (native) aligns each
//! item to its size and has the platform's sizes, `=`, `<`, `>`, `!`
//! have the standard sizes and no alignment. As in CPython, little-endian
//! and `=` formats use the native packers for the codes whose standard
//! size equals the native one, so their range-error messages are the
//! native ones ("short format requires ..."); the others report
//! "'h' format requires ...". An `OverflowError` raised while packing an
//! int becomes `struct.error: int too large to convert`.
//!
//! The module functions keep compiled `Struct`s in a cache of at most
//! 100 formats (`_clearcache` empties it).

use std::cell::{Cell, RefCell};

use num_bigint::BigInt;
use num_traits::ToPrimitive;
use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{bind, exact, new_type, FunctionDef, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{
    as_buffer, big_to_f64, int_data, new_bytes, new_int_big, new_str, new_tuple, object_slots, type_name, ByteArrayData, BytesData,
    IntData, StrData,
};
use taipan_vm::types::{lookup, type_of, Kwargs, Slots};
use taipan_vm::{PyErr, PyResult, Vm};

use crate::util;

const DOC: &str = "Functions to convert between Python values and C structs.
Python bytes objects are used to hold the data representing the C struct
and also as format strings (explained below) to describe the layout of data
in the C struct.

The optional first format char indicates byte order, size and alignment:
  @: native order, size & alignment (default)
  =: native order, std. size & alignment
  <: little-endian, std. size & alignment
  >: big-endian, std. size & alignment
  !: same as >

The remaining chars indicate types of args and must match exactly;
these can be preceded by a decimal repeat count:
  x: pad byte (no data); c:char; b:signed byte; B:unsigned byte;
  ?: _Bool (requires C99; if not available, char is used instead)
  h:short; H:unsigned short; i:int; I:unsigned int;
  l:long; L:unsigned long; f:float; d:double; e:half-float.
Special cases (preceding decimal count indicates length):
  s:string (array of char); p: pascal string (with count byte).
Special cases (only available in native format):
  n:ssize_t; N:size_t;
  P:an integer type that is wide enough to hold a pointer.
Special case (not in native mode unless 'long long' in platform C compiler):
  q:long long; Q:unsigned long long
Whitespace between formats is ignored.

The variable struct.error is an exception raised on errors.
";

/// Byte order and sizing of a format (its first character).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Order {
    /// `@`: native order, sizes and alignment.
    Native,
    /// `=`: native order, standard sizes.
    StdNative,
    Little,
    Big,
}

impl Order {
    fn big_endian(self) -> bool {
        match self {
            Order::Big => true,
            Order::Little => false,
            Order::Native | Order::StdNative => cfg!(target_endian = "big"),
        }
    }
}

/// One format code: `repeat` items of `size` bytes each from `offset`
/// (for `s` and `p`, one item of `size` bytes).
#[derive(Clone, Copy, Debug)]
pub struct Code {
    pub c: u8,
    pub offset: usize,
    pub size: usize,
    pub repeat: usize,
}

/// A compiled format.
#[derive(Clone, Debug)]
pub struct Layout {
    pub order: Order,
    pub codes: Vec<Code>,
    /// Total size in bytes.
    pub size: usize,
    /// Number of Python values packed or unpacked.
    pub len: usize,
}

/// Item size and alignment of `c` in `order`; `None` for a bad char.
fn entry(c: u8, order: Order) -> Option<(usize, usize)> {
    if order == Order::Native {
        return Some(match c {
            b'x' | b'b' | b'B' | b'c' | b's' | b'p' => (1, 0),
            b'?' => (1, 1),
            b'h' | b'H' | b'e' => (2, 2),
            b'i' | b'I' | b'f' => (4, 4),
            b'l' | b'L' | b'q' | b'Q' | b'n' | b'N' | b'd' | b'P' => (8, 8),
            _ => return None,
        });
    }
    Some(match c {
        b'x' | b'b' | b'B' | b'c' | b's' | b'p' | b'?' => (1, 0),
        b'h' | b'H' | b'e' => (2, 0),
        b'i' | b'I' | b'l' | b'L' | b'f' => (4, 0),
        b'q' | b'Q' | b'd' => (8, 0),
        _ => return None,
    })
}

/// Why a format does not compile.
#[derive(Debug, PartialEq, Eq)]
pub enum FormatError {
    BadChar,
    RepeatWithoutCode,
    TooLong,
    EmbeddedNull,
}

impl FormatError {
    fn message(&self) -> &'static str {
        match self {
            FormatError::BadChar => "bad char in struct format",
            FormatError::RepeatWithoutCode => "repeat count given without format specifier",
            FormatError::TooLong => "total struct size too long",
            FormatError::EmbeddedNull => "embedded null character",
        }
    }
}

/// Compiles a format (CPython's `prepare_s`).
pub fn compile(fmt: &[u8]) -> Result<Layout, FormatError> {
    if fmt.contains(&0) {
        return Err(FormatError::EmbeddedNull);
    }
    let (order, rest) = match fmt.first() {
        Some(b'@') => (Order::Native, &fmt[1..]),
        Some(b'=') => (Order::StdNative, &fmt[1..]),
        Some(b'<') => (Order::Little, &fmt[1..]),
        Some(b'>') | Some(b'!') => (Order::Big, &fmt[1..]),
        _ => (Order::Native, fmt),
    };
    let max = isize::MAX as usize;
    let mut codes = Vec::new();
    let (mut size, mut len) = (0usize, 0usize);
    let mut i = 0;
    while i < rest.len() {
        let mut c = rest[i];
        i += 1;
        if c.is_ascii_whitespace() || c == 0x0b {
            continue;
        }
        let num = if c.is_ascii_digit() {
            let mut num = (c - b'0') as usize;
            loop {
                let Some(&d) = rest.get(i) else { return Err(FormatError::RepeatWithoutCode) };
                i += 1;
                if !d.is_ascii_digit() {
                    c = d;
                    break;
                }
                num = num
                    .checked_mul(10)
                    .and_then(|n| n.checked_add((d - b'0') as usize))
                    .filter(|&n| n <= max)
                    .ok_or(FormatError::TooLong)?;
            }
            num
        } else {
            1
        };
        let (itemsize, align) = entry(c, order).ok_or(FormatError::BadChar)?;
        if align > 0 && size > 0 {
            let extra = (align - 1) - (size - 1) % align;
            size = size.checked_add(extra).filter(|&n| n <= max).ok_or(FormatError::TooLong)?;
        }
        let bytes = num.checked_mul(itemsize).and_then(|b| b.checked_add(size)).filter(|&n| n <= max).ok_or(FormatError::TooLong)?;
        match c {
            b's' | b'p' => {
                codes.push(Code { c, offset: size, size: num, repeat: 1 });
                len += 1;
            }
            b'x' => {}
            _ => {
                if num > 0 {
                    codes.push(Code { c, offset: size, size: itemsize, repeat: num });
                }
                len += num;
            }
        }
        size = bytes;
    }
    Ok(Layout { order, codes, size, len })
}

// ------------------------------------------------------------------ errors

fn error_type(vm: &Vm) -> PyResult<Obj> {
    util::exception_class(vm, "struct.error", &[])
}

fn error(vm: &Vm, msg: impl Into<String>) -> PyErr {
    match error_type(vm) {
        Ok(t) => vm.new_error(&t, msg),
        Err(e) => e,
    }
}

// ----------------------------------------------------------------- packing

/// `get_pylong`: the int of `v` (through `__index__`).
fn get_int(vm: &Vm, v: &Obj) -> PyResult<BigInt> {
    if let Some(i) = int_data(v) {
        return Ok(i.to_big());
    }
    if lookup(&type_of(v), "__index__").is_none() {
        return Err(error(vm, "required argument is not an integer"));
    }
    let i = taipan_vm::ops::index(vm, v)?;
    Ok(int_data(&i).map(IntData::to_big).unwrap_or_default())
}

/// `PyFloat_AsDouble` with struct's message for non-numbers.
fn get_double(vm: &Vm, v: &Obj) -> PyResult<f64> {
    if let Some(f) = v.downcast::<f64>() {
        if lookup(&type_of(v), "__float__").is_none() || std::ptr::eq(v.type_ptr(), vm.types.float.as_ptr()) {
            return Ok(*f);
        }
    }
    if let Some(i) = int_data(v) {
        return int_to_f64(vm, i);
    }
    let ty = type_of(v);
    if let Some(f) = lookup(&ty, "__float__") {
        let r = util::call(vm, &f, std::slice::from_ref(v))?;
        return match r.downcast::<f64>() {
            Some(x) => Ok(*x),
            None => Err(vm.type_error(format!("{}.__float__ returned non-float (type {})", type_name(v), type_name(&r)))),
        };
    }
    if lookup(&ty, "__index__").is_some() {
        let i = taipan_vm::ops::index(vm, v)?;
        if let Some(d) = int_data(&i) {
            return int_to_f64(vm, d);
        }
    }
    Err(error(vm, "required argument is not a float"))
}

fn int_to_f64(vm: &Vm, i: &IntData) -> PyResult<f64> {
    match i {
        IntData::Small(x) => Ok(*x as f64),
        IntData::Big(b) => big_to_f64(vm, b),
    }
}

fn out_of_range(vm: &Vm) -> PyErr {
    error(vm, "argument out of range")
}

fn overflow(vm: &Vm, msg: &str) -> PyErr {
    vm.new_error(&vm.types.overflow_error, msg)
}

/// Whether code `c` of `order` is packed by the native packer (the
/// standard size equals the native one, see the module comment).
fn native_packer(c: u8, order: Order) -> bool {
    match order {
        Order::Native => true,
        Order::Little | Order::StdNative => matches!(c, b'b' | b'B' | b'h' | b'H' | b'i' | b'I' | b'q' | b'Q'),
        Order::Big => matches!(c, b'b' | b'B'),
    }
}

/// The value of an integer code as `size` bytes (two's complement).
fn pack_int(vm: &Vm, c: u8, order: Order, size: usize, v: &Obj) -> PyResult<u64> {
    let x = get_int(vm, v)?;
    let as_long = || x.to_i64().ok_or_else(|| out_of_range(vm));
    let as_ulong = || x.to_u64().ok_or_else(|| out_of_range(vm));
    if native_packer(c, order) {
        let range = |lo: i64, hi: i64, msg: &str| -> PyResult<u64> {
            let v = as_long()?;
            if v < lo || v > hi {
                return Err(error(vm, msg));
            }
            Ok(v as u64)
        };
        return match c {
            b'b' => range(-128, 127, "byte format requires -128 <= number <= 127"),
            b'B' => range(0, 255, "ubyte format requires 0 <= number <= 255"),
            b'h' => range(-32768, 32767, "short format requires -32768 <= number <= 32767"),
            b'H' => range(0, 65535, "ushort format requires 0 <= number <= 65535"),
            b'i' => range(i32::MIN as i64, i32::MAX as i64, "'i' format requires -2147483648 <= number <= 2147483647"),
            b'I' => {
                let v = as_ulong()?;
                if v > u32::MAX as u64 {
                    return Err(error(vm, "'I' format requires 0 <= number <= 4294967295"));
                }
                Ok(v)
            }
            b'l' | b'q' | b'n' => Ok(as_long()? as u64),
            b'L' | b'Q' | b'N' => as_ulong(),
            // `PyLong_AsVoidPtr`: negative values as signed.
            _ => match x.to_i64() {
                Some(v) => Ok(v as u64),
                None => x.to_u64().ok_or_else(|| overflow(vm, "int too large to convert")),
            },
        };
    }
    let signed = c.is_ascii_lowercase();
    if size == 8 {
        // `_PyLong_AsByteArray` (big-endian `q`/`Q`).
        let r = if signed { x.to_i64().map(|v| v as u64) } else { x.to_u64() };
        return r.ok_or_else(|| overflow(vm, "int too big to convert"));
    }
    let bits = size as u32 * 8;
    if signed {
        let v = as_long()?;
        let (lo, hi) = (-(1i64 << (bits - 1)), (1i64 << (bits - 1)) - 1);
        if v < lo || v > hi {
            return Err(error(vm, format!("'{}' format requires {lo} <= number <= {hi}", c as char)));
        }
        Ok(v as u64)
    } else {
        let v = as_ulong()?;
        let hi = (1u64 << bits) - 1;
        if v > hi {
            return Err(error(vm, format!("'{}' format requires 0 <= number <= {hi}", c as char)));
        }
        Ok(v)
    }
}

/// IEEE 754 binary16 of `x`, rounded half to even (`PyFloat_Pack2`);
/// `None` when it overflows.
pub fn half_from_f64(x: f64) -> Option<u16> {
    let sign: u16 = if x.is_sign_negative() { 0x8000 } else { 0 };
    if x.is_nan() {
        return Some(sign | 0x7e00);
    }
    if x.is_infinite() {
        return Some(sign | 0x7c00);
    }
    let a = x.abs();
    if a == 0.0 {
        return Some(sign);
    }
    // a = m * 2**e with 1 <= m < 2.
    let (frac, e2) = taipan_vm::types::builtin::frexp(a);
    let mut m = frac * 2.0;
    let mut e = e2 - 1;
    if e >= 16 {
        return None;
    }
    if e < -25 {
        m = 0.0;
        e = 0;
    } else if e < -14 {
        // Subnormal: m * 2**(14 + e) units of 2**-14.
        m = taipan_vm::types::builtin::ldexp(m, (14 + e) as i64);
        e = 0;
    } else {
        e += 15;
        m -= 1.0;
    }
    m *= 1024.0;
    let mut bits = m as u16;
    let rest = m - bits as f64;
    if rest > 0.5 || (rest == 0.5 && bits % 2 == 1) {
        bits += 1;
        if bits == 1024 {
            bits = 0;
            e += 1;
            if e == 31 {
                return None;
            }
        }
    }
    Some(sign | ((e as u16) << 10) | bits)
}

/// The value of a binary16.
pub fn half_to_f64(h: u16) -> f64 {
    let neg = h & 0x8000 != 0;
    let e = ((h >> 10) & 0x1f) as i32;
    let f = (h & 0x3ff) as f64;
    let v = if e == 0x1f {
        if f == 0.0 {
            f64::INFINITY
        } else {
            f64::NAN
        }
    } else if e == 0 {
        f * 2f64.powi(-24)
    } else {
        (1.0 + f / 1024.0) * 2f64.powi(e - 15)
    };
    if neg {
        -v
    } else {
        v
    }
}

fn put(out: &mut [u8], v: u64, big: bool) {
    let n = out.len();
    for (k, b) in out.iter_mut().enumerate() {
        let shift = if big { (n - 1 - k) * 8 } else { k * 8 };
        *b = (v >> shift) as u8;
    }
}

fn get(b: &[u8], big: bool) -> u64 {
    let mut v = 0u64;
    for (k, &byte) in b.iter().enumerate() {
        let shift = if big { (b.len() - 1 - k) * 8 } else { k * 8 };
        v |= (byte as u64) << shift;
    }
    v
}

/// Packs one value of code `c` into `out` (`size` bytes).
fn pack_one(vm: &Vm, c: u8, order: Order, out: &mut [u8], v: &Obj) -> PyResult<()> {
    let big = order.big_endian();
    match c {
        b'c' => match v.downcast::<BytesData>() {
            Some(b) if b.value.len() == 1 => out[0] = b.value[0],
            _ => return Err(error(vm, "char format requires a bytes object of length 1")),
        },
        b'?' => out[0] = taipan_vm::ops::truth(vm, v)? as u8,
        b'e' => {
            let x = get_double(vm, v)?;
            let h = half_from_f64(x).ok_or_else(|| overflow(vm, "float too large to pack with e format"))?;
            put(out, h as u64, big);
        }
        b'f' => {
            let x = get_double(vm, v)?;
            let y = x as f32;
            if order != Order::Native && y.is_infinite() && x.is_finite() {
                return Err(overflow(vm, "float too large to pack with f format"));
            }
            put(out, y.to_bits() as u64, big);
        }
        b'd' => put(out, get_double(vm, v)?.to_bits(), big),
        _ => {
            let x = pack_int(vm, c, order, out.len(), v)?;
            put(out, x, big);
        }
    }
    Ok(())
}

/// The bytes of a `bytes` or `bytearray` (what `s`, `p` and `c` accept).
fn bytes_of(v: &Obj) -> Option<Vec<u8>> {
    if let Some(b) = v.downcast::<BytesData>() {
        return Some(b.value.to_vec());
    }
    v.downcast::<ByteArrayData>().map(|b| b.value.borrow().clone())
}

/// Packs `values` (exactly `layout.len` of them) into a new buffer.
pub fn pack_values(vm: &Vm, layout: &Layout, values: &[Obj]) -> PyResult<Vec<u8>> {
    let mut out = vec![0u8; layout.size];
    let mut vals = values.iter();
    for code in &layout.codes {
        let at = code.offset;
        match code.c {
            b's' | b'p' => {
                let Some(v) = vals.next() else { break };
                let Some(b) = bytes_of(v) else {
                    return Err(error(vm, format!("argument for '{}' must be a bytes object", code.c as char)));
                };
                if code.c == b's' {
                    let n = b.len().min(code.size);
                    out[at..at + n].copy_from_slice(&b[..n]);
                } else if code.size > 0 {
                    let n = b.len().min(code.size - 1);
                    out[at + 1..at + 1 + n].copy_from_slice(&b[..n]);
                    out[at] = n.min(255) as u8;
                }
            }
            _ => {
                for k in 0..code.repeat {
                    let Some(v) = vals.next() else { break };
                    let start = at + k * code.size;
                    let r = pack_one(vm, code.c, layout.order, &mut out[start..start + code.size], v);
                    if let Err(e) = r {
                        if int_data(v).is_some() && util::is_error(&e, &vm.types.overflow_error) {
                            return Err(error(vm, "int too large to convert"));
                        }
                        return Err(e);
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Unpacks `data` (exactly `layout.size` bytes) into a tuple.
pub fn unpack_values(vm: &Vm, layout: &Layout, data: &[u8]) -> Obj {
    let big = layout.order.big_endian();
    let mut items = Vec::with_capacity(layout.len);
    for code in &layout.codes {
        let at = code.offset;
        match code.c {
            b's' => items.push(new_bytes(vm, data[at..at + code.size].to_vec())),
            b'p' => {
                if code.size == 0 {
                    items.push(new_bytes(vm, Vec::new()));
                    continue;
                }
                let n = (data[at] as usize).min(code.size - 1);
                items.push(new_bytes(vm, data[at + 1..at + 1 + n].to_vec()));
            }
            c => {
                for k in 0..code.repeat {
                    let b = &data[at + k * code.size..at + (k + 1) * code.size];
                    items.push(unpack_one(vm, c, b, big));
                }
            }
        }
    }
    new_tuple(vm, items)
}

fn unpack_one(vm: &Vm, c: u8, b: &[u8], big: bool) -> Obj {
    let u = get(b, big);
    let bits = b.len() as u32 * 8;
    let float = |x: f64| alloc(vm.types.float.clone(), x);
    match c {
        b'c' => new_bytes(vm, b.to_vec()),
        b'?' => vm.bool(u != 0),
        b'e' => float(half_to_f64(u as u16)),
        b'f' => float(f32::from_bits(u as u32) as f64),
        b'd' => float(f64::from_bits(u)),
        b'b' | b'h' | b'i' | b'l' | b'q' | b'n' => {
            let v = if bits == 64 { u as i64 } else { ((u << (64 - bits)) as i64) >> (64 - bits) };
            vm.int(v)
        }
        _ => {
            if u <= i64::MAX as u64 {
                vm.int(u as i64)
            } else {
                new_int_big(vm, BigInt::from(u))
            }
        }
    }
}

// ------------------------------------------------------------ Struct type

pub struct StructData {
    /// The format as given (bytes; `Struct.format` decodes it).
    format: RefCell<Vec<u8>>,
    layout: RefCell<Layout>,
}

fn struct_type(vm: &Vm) -> Obj {
    vm.native_type("_struct.Struct", |vm| {
        let slots = Slots {
            new: Some(|_vm, cls, _args, _kw| {
                let layout = Layout { order: Order::Native, codes: Vec::new(), size: 0, len: 0 };
                Ok(alloc(cls.clone(), StructData { format: RefCell::new(Vec::new()), layout: RefCell::new(layout) }))
            }),
            init: Some(struct_init),
            ..object_slots()
        };
        let t = new_type::<StructData>(vm, "_struct.Struct", &[], false, slots, STRUCT_METHODS, STRUCT_GETSETS);
        taipan_vm::types::type_data(&t).weakrefable.set(true);
        let doc = "Struct(fmt) --> compiled struct object\n\n";
        taipan_vm::types::type_data(&t).dict.borrow_mut().insert("__doc__", new_str(vm, doc));
        taipan_vm::types::type_modified(&t);
        t
    })
}

fn struct_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "Struct", names: &["format"], posonly: 0, kwonly: 0, required: 1 };
    let [format] = bind::<1>(vm, &P, args, kw)?;
    let Some(format) = format else { return Err(vm.type_error("Struct() missing required argument 'format' (pos 1)")) };
    let fmt = format_bytes(vm, &format)?;
    let layout = compile(&fmt).map_err(|e| error(vm, e.message()))?;
    let d = data(vm, this)?;
    *d.format.borrow_mut() = fmt;
    *d.layout.borrow_mut() = layout;
    Ok(vm.none.clone())
}

/// A format argument: str (ASCII) or bytes.
fn format_bytes(vm: &Vm, format: &Obj) -> PyResult<Vec<u8>> {
    if let Some(s) = format.downcast::<StrData>() {
        let s = s.as_str();
        if let Some((pos, ch)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii()) {
            let msg = format!("'ascii' codec can't encode character '\\x{:02x}' in position {pos}: ordinal not in range(128)", ch as u32);
            let msg = if (ch as u32) > 0xff { msg.replace(&format!("\\x{:02x}", ch as u32), &escape_char(ch)) } else { msg };
            return Err(unicode_encode_error(vm, format, pos, &msg));
        }
        return Ok(s.as_bytes().to_vec());
    }
    if let Some(b) = format.downcast::<BytesData>() {
        return Ok(b.value.to_vec());
    }
    // `_PyType_Name`: the name without the module.
    let name = type_name(format);
    let short = name.rsplit('.').next().unwrap_or_default();
    Err(vm.type_error(format!("Struct() argument 1 must be a str or bytes object, not {short}")))
}

fn escape_char(ch: char) -> String {
    if (ch as u32) <= 0xffff {
        format!("\\u{:04x}", ch as u32)
    } else {
        format!("\\U{:08x}", ch as u32)
    }
}

/// `UnicodeEncodeError('ascii', s, pos, pos + 1, 'ordinal not in range(128)')`.
fn unicode_encode_error(vm: &Vm, s: &Obj, pos: usize, fallback: &str) -> PyErr {
    let Some(ty) = vm.exception_type("UnicodeEncodeError") else { return vm.new_error(&vm.types.value_error, fallback) };
    let args = vec![new_str(vm, "ascii"), s.clone(), vm.int(pos as i64), vm.int(pos as i64 + 1), new_str(vm, "ordinal not in range(128)")];
    match util::call(vm, &ty, &args) {
        Ok(exc) => PyErr { exc },
        Err(e) => e,
    }
}

fn data<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a StructData> {
    o.downcast::<StructData>()
        .ok_or_else(|| vm.type_error(format!("descriptor requires a '_struct.Struct' object but received '{}'", type_name(o))))
}

fn layout(vm: &Vm, o: &Obj) -> PyResult<Layout> {
    Ok(data(vm, o)?.layout.borrow().clone())
}

fn s_pack(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::no_kwargs(vm, "pack", kw)?;
    let l = layout(vm, this)?;
    if args.len() != l.len {
        return Err(error(vm, format!("pack expected {} items for packing (got {})", l.len, args.len())));
    }
    Ok(new_bytes(vm, pack_values(vm, &l, args)?))
}

fn s_pack_into(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::no_kwargs(vm, "pack_into", kw)?;
    let l = layout(vm, this)?;
    if args.len() != l.len + 2 {
        return Err(match args.len() {
            0 => error(vm, "pack_into expected buffer argument"),
            1 => error(vm, "pack_into expected offset argument"),
            n => error(vm, format!("pack_into expected {} items for packing (got {})", l.len, n - 2)),
        });
    }
    let buffer = &args[0];
    let Some(buflen) = taipan_vm::types::bytes::writable_buffer_len(buffer) else {
        return Err(vm.type_error(format!("argument must be read-write bytes-like object, not {}", type_name(buffer))));
    };
    let mut offset = index_arg(vm, &args[1])?;
    let (size, len) = (l.size as i64, buflen as i64);
    if offset < 0 {
        if offset + size > 0 {
            return Err(error(vm, format!("no space to pack {size} bytes at offset {offset}")));
        }
        if offset + len < 0 {
            return Err(error(vm, format!("offset {offset} out of range for {len}-byte buffer")));
        }
        offset += len;
    }
    if len - offset < size {
        return Err(error(
            vm,
            format!(
                "pack_into requires a buffer of at least {} bytes for packing {size} bytes at offset {offset} (actual buffer size is {len})",
                // CPython adds them as size_t (wrapping for huge offsets).
                (size as u64).wrapping_add(offset as u64)
            ),
        ));
    }
    let bytes = pack_values(vm, &l, &args[2..])?;
    if !taipan_vm::types::bytes::write_buffer(buffer, offset as usize, &bytes) {
        return Err(vm.type_error(format!("argument must be read-write bytes-like object, not {}", type_name(buffer))));
    }
    Ok(vm.none.clone())
}

/// `PyNumber_AsSsize_t(o, PyExc_IndexError)`.
fn index_arg(vm: &Vm, o: &Obj) -> PyResult<i64> {
    let i = taipan_vm::ops::index(vm, o)?;
    match int_data(&i) {
        Some(IntData::Small(v)) => Ok(*v),
        _ => Err(vm.new_error(&vm.types.index_error, format!("cannot fit '{}' into an index-sized integer", type_name(o)))),
    }
}

fn buffer_arg(vm: &Vm, o: &Obj) -> PyResult<Vec<u8>> {
    match as_buffer(o) {
        Some(b) => Ok(b.into_owned()),
        None => Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(o)))),
    }
}

fn s_unpack(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [buffer] = exact::<1>(vm, "unpack", args, kw)?;
    unpack_with(vm, this, &buffer)
}

fn unpack_with(vm: &Vm, st: &Obj, buffer: &Obj) -> PyResult<Obj> {
    let l = layout(vm, st)?;
    let b = buffer_arg(vm, buffer)?;
    if b.len() != l.size {
        return Err(error(vm, format!("unpack requires a buffer of {} bytes", l.size)));
    }
    Ok(unpack_values(vm, &l, &b))
}

fn s_unpack_from(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "unpack_from", names: &["buffer", "offset"], posonly: 0, kwonly: 0, required: 1 };
    let [buffer, offset] = bind::<2>(vm, &P, args, kw)?;
    let Some(buffer) = buffer else { return Err(vm.type_error("unpack_from() missing required argument 'buffer' (pos 1)")) };
    unpack_from_with(vm, this, &buffer, offset)
}

fn unpack_from_with(vm: &Vm, st: &Obj, buffer: &Obj, offset: Option<Obj>) -> PyResult<Obj> {
    let l = layout(vm, st)?;
    let b = buffer_arg(vm, buffer)?;
    let mut offset = match offset {
        Some(o) => index_arg(vm, &o)?,
        None => 0,
    };
    let (size, len) = (l.size as i64, b.len() as i64);
    if offset < 0 {
        if offset + size > 0 {
            return Err(error(vm, format!("not enough data to unpack {size} bytes at offset {offset}")));
        }
        if offset + len < 0 {
            return Err(error(vm, format!("offset {offset} out of range for {len}-byte buffer")));
        }
        offset += len;
    }
    if len - offset < size {
        return Err(error(
            vm,
            format!(
                "unpack_from requires a buffer of at least {} bytes for unpacking {size} bytes at offset {offset} (actual buffer size is {len})",
                (size as u64).wrapping_add(offset as u64)
            ),
        ));
    }
    let start = offset as usize;
    Ok(unpack_values(vm, &l, &b[start..start + l.size]))
}

fn s_iter_unpack(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [buffer] = exact::<1>(vm, "iter_unpack", args, kw)?;
    iter_unpack_with(vm, this, &buffer)
}

fn iter_unpack_with(vm: &Vm, st: &Obj, buffer: &Obj) -> PyResult<Obj> {
    let l = layout(vm, st)?;
    if l.size == 0 {
        return Err(error(vm, "cannot iteratively unpack with a struct of length 0"));
    }
    let b = buffer_arg(vm, buffer)?;
    if b.len() % l.size != 0 {
        return Err(error(vm, format!("iterative unpacking requires a buffer of a multiple of {} bytes", l.size)));
    }
    Ok(alloc(unpack_iterator_type(vm), UnpackIter { st: st.clone(), data: b, pos: Cell::new(0) }))
}

static STRUCT_METHODS: &[MethodDef] = &[
    MethodDef::method("iter_unpack", s_iter_unpack, "Return an iterator yielding tuples."),
    MethodDef::method("pack", s_pack, "S.pack(v1, v2, ...) -> bytes"),
    MethodDef::method("pack_into", s_pack_into, "S.pack_into(buffer, offset, v1, v2, ...)"),
    MethodDef::method("unpack", s_unpack, "Return a tuple containing unpacked values."),
    MethodDef::method("unpack_from", s_unpack_from, "Return a tuple containing unpacked values."),
    MethodDef::method(
        "__sizeof__",
        |vm, this, args, kw| {
            let [] = exact::<0>(vm, "__sizeof__", args, kw)?;
            let d = data(vm, this)?;
            Ok(vm.int(40 + 32 * (d.layout.borrow().codes.len() as i64 + 1)))
        },
        "S.__sizeof__() -> size of S in memory, in bytes",
    ),
];

static STRUCT_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly(
        "format",
        |vm, o| {
            let f = data(vm, o)?.format.borrow().clone();
            Ok(new_str(vm, &String::from_utf8_lossy(&f)))
        },
        "struct format string",
    ),
    GetSetDef::readonly("size", |vm, o| Ok(vm.int(data(vm, o)?.layout.borrow().size as i64)), "struct size in bytes"),
];

// ---------------------------------------------------------- unpack_iterator

pub struct UnpackIter {
    st: Obj,
    data: Vec<u8>,
    pos: Cell<usize>,
}

fn unpack_iterator_type(vm: &Vm) -> Obj {
    vm.native_type("_struct.unpack_iterator", |vm| {
        let slots = Slots {
            new: Some(|vm, _cls, _args, _kw| Err(vm.type_error("Cannot create 'unpack_iterator objects"))),
            iter: Some(|_vm, o| Ok(o.clone())),
            next: Some(|vm, o| {
                let Some(it) = o.downcast::<UnpackIter>() else { return Ok(None) };
                let l = layout(vm, &it.st)?;
                let pos = it.pos.get();
                if l.size == 0 || pos + l.size > it.data.len() {
                    return Ok(None);
                }
                it.pos.set(pos + l.size);
                Ok(Some(unpack_values(vm, &l, &it.data[pos..pos + l.size])))
            }),
            traverse: Some(|o, visit| {
                if let Some(it) = o.downcast::<UnpackIter>() {
                    visit(&it.st);
                }
            }),
            ..object_slots()
        };
        new_type::<UnpackIter>(vm, "_struct.unpack_iterator", &[], true, slots, UNPACK_ITER_METHODS, &[])
    })
}

static UNPACK_ITER_METHODS: &[MethodDef] = &[MethodDef::method(
    "__length_hint__",
    |vm, this, args, kw| {
        let [] = exact::<0>(vm, "__length_hint__", args, kw)?;
        let Some(it) = this.downcast::<UnpackIter>() else { return Ok(vm.int(0)) };
        let size = layout(vm, &it.st)?.size;
        let left = (it.data.len() - it.pos.get().min(it.data.len())).checked_div(size).unwrap_or(0);
        Ok(vm.int(left as i64))
    },
    "",
)];

// ------------------------------------------------------------ the module

#[derive(Default)]
struct Cache(RefCell<Vec<(CacheKey, Obj)>>);

/// A format's kind (bytes or str) and its bytes.
type CacheKey = (bool, Vec<u8>);

const MAXCACHE: usize = 100;

/// The compiled `Struct` of a format argument (cached).
fn cached_struct(vm: &Vm, format: &Obj) -> PyResult<Obj> {
    let key = if let Some(s) = format.downcast::<StrData>() {
        Some((false, s.as_str().as_bytes().to_vec()))
    } else {
        format.downcast::<BytesData>().map(|b| (true, b.value.to_vec()))
    };
    let cache = vm.state::<Cache>();
    if let Some(k) = &key {
        if let Some((_, s)) = cache.0.borrow().iter().find(|(ck, _)| ck == k) {
            return Ok(s.clone());
        }
    }
    let st = util::call(vm, &struct_type(vm), std::slice::from_ref(format))?;
    if let Some(k) = key {
        let mut c = cache.0.borrow_mut();
        if c.len() >= MAXCACHE {
            c.clear();
        }
        c.push((k, st.clone()));
    }
    Ok(st)
}

fn m_pack(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let Some((fmt, rest)) = args.split_first() else { return Err(vm.type_error("missing format argument")) };
    let st = cached_struct(vm, fmt)?;
    s_pack(vm, &st, rest, kw)
}

fn m_pack_into(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let Some((fmt, rest)) = args.split_first() else { return Err(vm.type_error("missing format argument")) };
    let st = cached_struct(vm, fmt)?;
    s_pack_into(vm, &st, rest, kw)
}

fn m_unpack(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fmt, buffer] = exact::<2>(vm, "unpack", args, kw)?;
    let st = cached_struct(vm, &fmt)?;
    unpack_with(vm, &st, &buffer)
}

fn m_unpack_from(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "unpack_from", names: &["format", "buffer", "offset"], posonly: 1, kwonly: 0, required: 2 };
    let [fmt, buffer, offset] = bind::<3>(vm, &P, args, kw)?;
    let (Some(fmt), Some(buffer)) = (fmt, buffer) else { return Err(vm.type_error("unpack_from() missing required argument")) };
    let st = cached_struct(vm, &fmt)?;
    unpack_from_with(vm, &st, &buffer, offset)
}

fn m_iter_unpack(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fmt, buffer] = exact::<2>(vm, "iter_unpack", args, kw)?;
    let st = cached_struct(vm, &fmt)?;
    iter_unpack_with(vm, &st, &buffer)
}

fn m_calcsize(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fmt] = exact::<1>(vm, "calcsize", args, kw)?;
    let st = cached_struct(vm, &fmt)?;
    Ok(vm.int(layout(vm, &st)?.size as i64))
}

fn m_clearcache(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "_clearcache", args, kw)?;
    let old = std::mem::take(&mut *vm.state::<Cache>().0.borrow_mut());
    drop(old);
    Ok(vm.none.clone())
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("_clearcache", m_clearcache, "Clear the internal cache."),
    FunctionDef::new("calcsize", m_calcsize, "Return size in bytes of the struct described by the format string."),
    FunctionDef::new("iter_unpack", m_iter_unpack, "Return an iterator yielding tuples unpacked from the given bytes."),
    FunctionDef::new("pack", m_pack, "pack(format, v1, v2, ...) -> bytes"),
    FunctionDef::new("pack_into", m_pack_into, "pack_into(format, buffer, offset, v1, v2, ...)"),
    FunctionDef::new("unpack", m_unpack, "Return a tuple containing values unpacked according to the format string."),
    FunctionDef::new("unpack_from", m_unpack_from, "Return a tuple containing values unpacked according to the format string."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "__doc__", new_str(vm, DOC))?;
    add_attr(vm, m, "Struct", struct_type(vm))?;
    add_attr(vm, m, "error", error_type(vm)?)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_alignment() {
        assert_eq!(compile(b"bi").map(|l| l.size), Ok(8));
        assert_eq!(compile(b"ib").map(|l| l.size), Ok(5));
        assert_eq!(compile(b"bq0q").map(|l| l.size), Ok(16));
        assert_eq!(compile(b"<bq").map(|l| l.size), Ok(9));
        assert_eq!(compile(b"?e?d?P").map(|l| l.size), Ok(32));
        assert_eq!(compile(b"3").map(|l| l.size), Err(FormatError::RepeatWithoutCode));
        assert_eq!(compile(b"<P").map(|l| l.size), Err(FormatError::BadChar));
        assert_eq!(compile(b"99999999999999999999i").map(|l| l.size), Err(FormatError::TooLong));
    }

    #[test]
    fn half_floats() {
        assert_eq!(half_from_f64(1.0), Some(0x3c00));
        assert_eq!(half_from_f64(65504.0), Some(0x7bff));
        assert_eq!(half_from_f64(65519.99), Some(0x7bff));
        assert_eq!(half_from_f64(65520.0), None);
        assert_eq!(half_from_f64(6e-8), Some(0x0001));
        assert_eq!(half_from_f64(1e-8), Some(0x0000));
        assert_eq!(half_from_f64(-0.0), Some(0x8000));
        assert_eq!(half_to_f64(0x7bff), 65504.0);
        assert_eq!(half_to_f64(0x0001), 2f64.powi(-24));
        for h in 0..0x7c00u16 {
            assert_eq!(half_from_f64(half_to_f64(h)), Some(h));
        }
    }
}
