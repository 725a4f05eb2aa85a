//! `int` and `bool`: a machine word when it fits, a big integer otherwise.
//!
//! Arithmetic follows CPython's `longobject.c`: floor division and modulo
//! round toward negative infinity, shifts and bitwise operators act on the
//! infinite two's-complement form, `x ** -n` is a float, true division is
//! correctly rounded for any size, and decimal conversion in either
//! direction is bounded by the 3.11 digit limit (`sys.set_int_max_str_digits`).

use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use crate::native::{at_most, bind, exact, GetSetDef, MethodDef, Params};
use crate::object::{alloc, Obj};
use crate::types::builtin::*;
use crate::types::{type_data_of, Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::{BinaryOp, CompareOp};

/// An `int`: a machine word when it fits, else a big integer.
#[derive(Clone, Debug, PartialEq)]
pub enum IntData {
    Small(i64),
    Big(BigInt),
}

impl IntData {
    pub fn to_big(&self) -> BigInt {
        match self {
            IntData::Small(v) => BigInt::from(*v),
            IntData::Big(b) => b.clone(),
        }
    }

    pub fn is_zero(&self) -> bool {
        matches!(self, IntData::Small(0))
    }

    pub fn is_negative(&self) -> bool {
        match self {
            IntData::Small(v) => *v < 0,
            IntData::Big(b) => b.sign() == Sign::Minus,
        }
    }
}

/// An `int` object from a big integer, normalised to the word form.
pub fn new_int_big(vm: &Vm, v: BigInt) -> Obj {
    match v.to_i64() {
        Some(s) => vm.int(s),
        None => alloc(vm.types.int.clone(), IntData::Big(v)),
    }
}

/// An exact `int` with the value of `d` (for results that must not keep
/// a subclass or `bool`).
pub fn int_from_data(vm: &Vm, d: &IntData) -> Obj {
    match d {
        IntData::Small(v) => vm.int(*v),
        IntData::Big(b) => alloc(vm.types.int.clone(), IntData::Big(b.clone())),
    }
}

/// The int payload of an int, bool or int-subclass instance.
pub fn int_data(o: &Obj) -> Option<&IntData> {
    o.downcast::<IntData>()
}

fn float_obj(vm: &Vm, f: f64) -> Obj {
    crate::object::alloc_ref(&vm.types.float, f)
}

fn zero_div(vm: &Vm, msg: &str) -> crate::PyErr {
    vm.new_error(&vm.types.zero_division_error, msg)
}

pub fn int_slots() -> Slots {
    Slots {
        new: Some(int_new),
        repr: Some(int_repr),
        hash: Some(int_hash),
        bool: Some(|_, o| Ok(!int_data(o).is_some_and(IntData::is_zero))),
        binary: Some(int_binary),
        compare: Some(int_compare),
        negative: Some(|vm, o| Ok(int_neg(vm, this_int(vm, o)?))),
        positive: Some(|vm, o| Ok(int_from_data(vm, this_int(vm, o)?))),
        invert: Some(|vm, o| {
            Ok(match this_int(vm, o)? {
                IntData::Small(v) => vm.int(!*v),
                IntData::Big(b) => new_int_big(vm, -b - 1),
            })
        }),
        absolute: Some(|vm, o| {
            let d = this_int(vm, o)?;
            Ok(if d.is_negative() { int_neg(vm, d) } else { int_from_data(vm, d) })
        }),
        ..object_slots()
    }
}

pub fn bool_slots() -> Slots {
    Slots {
        new: Some(|vm, _, args, kw| {
            crate::native::no_kwargs(vm, "bool", kw)?;
            match args {
                [] => Ok(vm.false_.clone()),
                [x] => Ok(vm.bool(crate::ops::truth(vm, x)?)),
                _ => Err(vm.type_error(format!("bool expected at most 1 argument, got {}", args.len()))),
            }
        }),
        repr: Some(|vm, o| Ok(new_str(vm, if o.is(&vm.true_) { "True" } else { "False" }))),
        binary: Some(bool_binary),
        ..int_slots()
    }
}

/// `&`, `|`, `^` of two bools are bools; everything else is int arithmetic.
fn bool_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let is_bool = |o: &Obj| o.is(&vm.true_) || o.is(&vm.false_);
    if matches!(op, BinaryOp::And | BinaryOp::Or | BinaryOp::Xor) && is_bool(a) && is_bool(b) {
        let (x, y) = (a.is(&vm.true_), b.is(&vm.true_));
        return Ok(vm.bool(match op {
            BinaryOp::And => x & y,
            BinaryOp::Or => x | y,
            _ => x ^ y,
        }));
    }
    int_binary(vm, op, a, b)
}

fn this_int<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a IntData> {
    int_data(o).ok_or_else(|| vm.type_error(format!("descriptor requires a 'int' object but received a '{}'", type_name(o))))
}

fn int_neg(vm: &Vm, d: &IntData) -> Obj {
    match d {
        IntData::Small(v) => match v.checked_neg() {
            Some(n) => vm.int(n),
            None => new_int_big(vm, -BigInt::from(*v)),
        },
        IntData::Big(b) => new_int_big(vm, -b),
    }
}

// ---------------------------------------------------------------------------
// The int/str digit limit (PEP 651's 3.11 security fix).

/// CPython's default `sys.get_int_max_str_digits()`.
pub const DEFAULT_MAX_STR_DIGITS: usize = 4300;
/// The smallest nonzero limit `sys.set_int_max_str_digits` accepts.
pub const MAX_STR_DIGITS_THRESHOLD: usize = 640;

/// The current limit (0: unlimited); `PYTHONINTMAXSTRDIGITS` sets the
/// initial value.
pub fn max_str_digits() -> usize {
    let c = crate::object::gc::max_str_digits_cell();
    match c.get() {
        Some(n) => n,
        None => {
            let n = std::env::var("PYTHONINTMAXSTRDIGITS")
                .ok()
                .and_then(|v| v.trim().parse::<usize>().ok())
                .filter(|n| *n == 0 || *n >= MAX_STR_DIGITS_THRESHOLD)
                .unwrap_or(DEFAULT_MAX_STR_DIGITS);
            c.set(Some(n));
            n
        }
    }
}

pub fn set_max_str_digits(n: usize) {
    crate::object::gc::max_str_digits_cell().set(Some(n));
}

/// The decimal text of an int, or the digit-limit `ValueError`.
pub fn int_to_decimal(vm: &Vm, d: &IntData) -> PyResult<String> {
    match d {
        IntData::Small(v) => Ok(v.to_string()),
        IntData::Big(b) => {
            let limit = max_str_digits();
            let too_long = || {
                vm.new_error(
                    &vm.types.value_error,
                    format!(
                        "Exceeds the limit ({limit} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit"
                    ),
                )
            };
            // bits * log10(2) bounds the digit count from below.
            if limit > 0 && (b.bits() as f64 * std::f64::consts::LOG10_2) as usize > limit + 1 {
                return Err(too_long());
            }
            let s = b.to_string();
            let digits = s.len() - usize::from(b.sign() == Sign::Minus);
            if limit > 0 && digits > limit {
                return Err(too_long());
            }
            Ok(s)
        }
    }
}

fn int_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let s = int_to_decimal(vm, this_int(vm, o)?)?;
    Ok(new_str(vm, &s))
}

fn int_hash(vm: &Vm, o: &Obj) -> PyResult<i64> {
    Ok(match this_int(vm, o)? {
        IntData::Small(v) => crate::hash::hash_i64(*v),
        IntData::Big(b) => crate::hash::hash_bigint(b),
    })
}

// ---------------------------------------------------------------------------
// Construction: int(x), int(text, base).

/// Unicode decimal digits: each block of ten consecutive code points
/// starting here is 0..9 (generated from `unicodedata.decimal`).
const DECIMAL_ZEROS: [u32; 65] = [
    0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0,
    0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
    0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50,
    0x11d50, 0x11da0, 0x16a60, 0x16ac0, 0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
];

/// `str.isspace()` for one character.
pub fn is_py_space(c: char) -> bool {
    matches!(
        c as u32,
        0x9..=0xd | 0x1c..=0x20 | 0x85 | 0xa0 | 0x1680 | 0x2000..=0x200a | 0x2028 | 0x2029 | 0x202f | 0x205f | 0x3000
    )
}

/// CPython's `_PyUnicode_TransformDecimalAndSpaceToASCII`: Unicode
/// whitespace becomes ' ', decimal digits their ASCII digit, any other
/// non-ASCII character '?' (so that parsing fails on it).
pub fn numeric_text_to_ascii(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() {
        return std::borrow::Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| {
            if c.is_ascii() {
                return c;
            }
            if is_py_space(c) {
                return ' ';
            }
            let cp = c as u32;
            match DECIMAL_ZEROS.iter().rev().find(|z| **z <= cp) {
                Some(z) if cp - z < 10 => char::from(b'0' + (cp - z) as u8),
                _ => '?',
            }
        })
        .collect::<String>()
        .into()
}

/// Why int text was rejected.
#[derive(Debug, PartialEq)]
pub enum IntParseError {
    Invalid,
    /// Over the digit limit: the number of digits.
    TooManyDigits(usize),
}

/// Parses int text as `int(text, base)` does (`base` 0 or 2..=36):
/// surrounding whitespace, a sign, a `0x`/`0o`/`0b` prefix matching the
/// base (any, for base 0), single underscores between digits or after the
/// prefix; for base 0 no leading zeros in a nonzero decimal.
pub fn parse_int_text(text: &str, base: u32) -> Result<BigInt, IntParseError> {
    let s = text.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\x1c' || c == '\x1d' || c == '\x1e' || c == '\x1f');
    let (neg, s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let b = s.as_bytes();
    let prefix_base = if b.len() >= 2 && b[0] == b'0' {
        match b[1].to_ascii_lowercase() {
            b'x' => Some(16),
            b'o' => Some(8),
            b'b' => Some(2),
            _ => None,
        }
    } else {
        None
    };
    let (base, mut digits, after_prefix) = match (base, prefix_base) {
        (0, Some(p)) => (p, &b[2..], true),
        (0, None) => (10, b, false),
        (n, Some(p)) if n == p => (n, &b[2..], true),
        (n, _) => (n, b, false),
    };
    if after_prefix && digits.first() == Some(&b'_') {
        digits = &digits[1..];
    }
    if digits.is_empty() {
        return Err(IntParseError::Invalid);
    }
    let mut count = 0usize;
    let mut prev_underscore = true;
    for &c in digits {
        if c == b'_' {
            if prev_underscore {
                return Err(IntParseError::Invalid);
            }
            prev_underscore = true;
            continue;
        }
        let v = (c as char).to_digit(36).ok_or(IntParseError::Invalid)?;
        if v >= base {
            return Err(IntParseError::Invalid);
        }
        prev_underscore = false;
        count += 1;
    }
    if prev_underscore {
        return Err(IntParseError::Invalid);
    }
    let limit = max_str_digits();
    if limit > 0 && !base.is_power_of_two() && count > limit {
        return Err(IntParseError::TooManyDigits(count));
    }
    let clean: Vec<u8> = digits.iter().copied().filter(|c| *c != b'_').collect();
    let v = BigInt::parse_bytes(&clean, base).ok_or(IntParseError::Invalid)?;
    Ok(if neg { -v } else { v })
}

/// `int(text, base)` with CPython's errors.
pub fn int_from_text(vm: &Vm, text_obj: &Obj, text: &str, base: u32) -> PyResult<Obj> {
    let ascii = numeric_text_to_ascii(text);
    let r = parse_int_text(&ascii, base).and_then(|v| {
        // Base 0 forbids leading zeros in nonzero decimals ("010").
        if base == 0 && !v.is_zero() {
            let t = ascii.trim_matches(|c: char| c.is_ascii_whitespace()).trim_start_matches(['+', '-']);
            if t.starts_with('0') && !t[1..].starts_with(['x', 'X', 'o', 'O', 'b', 'B']) {
                return Err(IntParseError::Invalid);
            }
        }
        Ok(v)
    });
    match r {
        Ok(v) => Ok(new_int_big(vm, v)),
        Err(IntParseError::TooManyDigits(n)) => Err(vm.new_error(
            &vm.types.value_error,
            format!(
                "Exceeds the limit ({} digits) for integer string conversion: value has {n} digits; use sys.set_int_max_str_digits() to increase the limit",
                max_str_digits()
            ),
        )),
        Err(IntParseError::Invalid) => {
            let r: String = repr_string(vm, text_obj)?.chars().take(200).collect();
            Err(vm.new_error(&vm.types.value_error, format!("invalid literal for int() with base {base}: {r}")))
        }
    }
}

static INT_PARAMS: Params = Params { fname: "int", names: &["x", "base"], posonly: 1, kwonly: 0, required: 0 };

fn int_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x, base] = bind::<2>(vm, &INT_PARAMS, args, kw)?;
    let v = match (x, base) {
        (None, None) => vm.int(0),
        (None, Some(_)) => return Err(vm.type_error("int() missing string argument")),
        (Some(x), None) => number_to_int(vm, &x)?,
        (Some(x), Some(base)) => {
            let b = crate::ops::index(vm, &base)?;
            let b = match int_data(&b) {
                Some(IntData::Small(b)) if *b == 0 || (2..=36).contains(b) => *b as u32,
                _ => return Err(vm.new_error(&vm.types.value_error, "int() base must be >= 2 and <= 36, or 0")),
            };
            match (x.downcast::<StrData>(), bytes_text(&x)) {
                (Some(s), _) => int_from_text(vm, &x, &s.as_str(), b)?,
                (None, Some(t)) => int_from_text(vm, &x, &t, b)?,
                (None, None) => return Err(vm.type_error("int() can't convert non-string with explicit base")),
            }
        }
    };
    if cls.is(&vm.types.int) {
        return Ok(v);
    }
    let d = int_data(&v).cloned().unwrap_or(IntData::Small(0));
    Ok(alloc(cls.clone(), d))
}

/// The text of a bytes or bytearray argument of `int()`/`float()` (as
/// Latin-1, so that non-ASCII bytes fail to parse).
pub fn bytes_text(x: &Obj) -> Option<String> {
    if x.downcast::<crate::types::bytes::BytesData>().is_none() && x.downcast::<crate::types::bytearray::ByteArrayData>().is_none() {
        return None;
    }
    crate::types::bytes::as_buffer(x).map(|b| ascii_text(&b))
}

/// Bytes as text for number parsing: non-ASCII bytes become U+FFFD, which
/// no number syntax accepts (Latin-1's `\xa0` would pass for a space).
pub fn ascii_text(b: &[u8]) -> String {
    b.iter().map(|&c| if c.is_ascii() { c as char } else { '\u{FFFD}' }).collect()
}

/// `int(x)` for one argument (CPython's `PyNumber_Long`): ints, `__int__`,
/// `__index__`, `__trunc__`, str (base 10), floats.
pub fn number_to_int(vm: &Vm, x: &Obj) -> PyResult<Obj> {
    if let Some(d) = int_data(x) {
        if std::ptr::eq(x.type_ptr(), vm.types.int.as_ptr()) {
            return Ok(x.clone());
        }
        if crate::types::lookup(&crate::types::type_of(x), "__int__")
            .is_some_and(|f| f.downcast::<crate::function::FunctionData>().is_none())
        {
            return Ok(int_from_data(vm, d));
        }
    }
    if let Some(f) = x.downcast::<f64>() {
        return float_to_int(vm, *f);
    }
    if let Some(s) = x.downcast::<StrData>() {
        return int_from_text(vm, x, &s.as_str(), 10);
    }
    if let Some(b) = bytes_text(x) {
        return int_from_text(vm, x, &b, 10);
    }
    let ty = crate::types::type_of(x);
    for (name, what) in [("__int__", "__int__"), ("__index__", "__index__"), ("__trunc__", "__trunc__")] {
        if let Some(f) = crate::types::lookup(&ty, name) {
            let r = crate::classes::call_special(vm, &f, x, &[], &[])?;
            return match int_data(&r) {
                Some(d) => Ok(if std::ptr::eq(r.type_ptr(), vm.types.int.as_ptr()) { r.clone() } else { int_from_data(vm, d) }),
                None if name == "__trunc__" => crate::ops::index(vm, &r)
                    .map_err(|_| vm.type_error(format!("__trunc__ returned non-Integral (type {})", type_name(&r)))),
                None => Err(vm.type_error(format!("{what} returned non-int (type {})", type_name(&r)))),
            };
        }
    }
    Err(vm.type_error(format!("int() argument must be a string, a bytes-like object or a real number, not '{}'", type_name(x))))
}

/// `int(f)` for a float: truncation, with CPython's errors for NaN and
/// infinities.
pub fn float_to_int(vm: &Vm, f: f64) -> PyResult<Obj> {
    if f.is_nan() {
        return Err(vm.new_error(&vm.types.value_error, "cannot convert float NaN to integer"));
    }
    if f.is_infinite() {
        return Err(vm.new_error(&vm.types.overflow_error, "cannot convert float infinity to integer"));
    }
    let t = f.trunc();
    if t.abs() < 9.0e18 {
        return Ok(vm.int(t as i64));
    }
    Ok(new_int_big(vm, float_to_big(t)))
}

// ---------------------------------------------------------------------------
// Arithmetic.

fn int_pair<'a>(a: &'a Obj, b: &'a Obj) -> Option<(&'a IntData, &'a IntData)> {
    Some((int_data(a)?, int_data(b)?))
}

/// The binary slot of `int`: `NotImplemented` unless both operands are
/// ints (floats and complex numbers handle mixed operations).
pub fn int_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let Some((x, y)) = int_pair(a, b) else {
        return Ok(vm.not_implemented.clone());
    };
    int_op(vm, op, x, y)
}

/// `x op y` for two ints.
pub fn int_op(vm: &Vm, op: BinaryOp, x: &IntData, y: &IntData) -> PyResult<Obj> {
    if let (IntData::Small(x), IntData::Small(y)) = (x, y) {
        let (x, y) = (*x, *y);
        let fast = match op {
            BinaryOp::Add => x.checked_add(y),
            BinaryOp::Subtract => x.checked_sub(y),
            BinaryOp::Multiply => x.checked_mul(y),
            BinaryOp::And => Some(x & y),
            BinaryOp::Or => Some(x | y),
            BinaryOp::Xor => Some(x ^ y),
            BinaryOp::FloorDivide if y == 0 => return Err(zero_div(vm, "integer division or modulo by zero")),
            BinaryOp::Remainder if y == 0 => return Err(zero_div(vm, "integer modulo by zero")),
            BinaryOp::FloorDivide => x.checked_div_euclid(y).map(|_| Integer::div_floor(&x, &y)),
            BinaryOp::Remainder => x.checked_rem(y).map(|_| Integer::mod_floor(&x, &y)),
            BinaryOp::TrueDivide if y != 0 && x.unsigned_abs() < (1 << 53) && y.unsigned_abs() < (1 << 53) => {
                return Ok(float_obj(vm, x as f64 / y as f64));
            }
            BinaryOp::Rshift if (0..64).contains(&y) => Some(x >> y),
            BinaryOp::Rshift if y >= 64 => Some(if x < 0 { -1 } else { 0 }),
            BinaryOp::Lshift if (0..63).contains(&y) && (x << y) >> y == x => Some(x << y),
            _ => None,
        };
        if let Some(v) = fast {
            return Ok(vm.int(v));
        }
    }
    let (x, y) = (x.to_big(), y.to_big());
    let r = match op {
        BinaryOp::Add => x + y,
        BinaryOp::Subtract => x - y,
        BinaryOp::Multiply => x * y,
        BinaryOp::And => x & y,
        BinaryOp::Or => x | y,
        BinaryOp::Xor => x ^ y,
        BinaryOp::FloorDivide if y.is_zero() => return Err(zero_div(vm, "integer division or modulo by zero")),
        BinaryOp::Remainder if y.is_zero() => return Err(zero_div(vm, "integer modulo by zero")),
        BinaryOp::FloorDivide => x.div_floor(&y),
        BinaryOp::Remainder => x.mod_floor(&y),
        BinaryOp::Lshift | BinaryOp::Rshift => {
            if y.is_negative() {
                return Err(vm.new_error(&vm.types.value_error, "negative shift count"));
            }
            match (op, y.to_u64()) {
                (BinaryOp::Rshift, Some(n)) if n < u32::MAX as u64 => x >> n as usize,
                (BinaryOp::Rshift, _) => BigInt::from(if x.is_negative() { -1 } else { 0 }),
                _ if x.is_zero() => x,
                (_, Some(n)) if n < (1 << 40) => x << n as usize,
                _ => return Err(vm.new_error(&vm.types.overflow_error, "too many digits in integer")),
            }
        }
        BinaryOp::Power => return int_pow(vm, &x, &y),
        BinaryOp::TrueDivide => {
            if y.is_zero() {
                return Err(zero_div(vm, "division by zero"));
            }
            return match ratio_to_f64(&x, &y) {
                Some(f) => Ok(float_obj(vm, f)),
                None => Err(vm.new_error(&vm.types.overflow_error, "integer division result too large for a float")),
            };
        }
        BinaryOp::MatrixMultiply => return Ok(vm.not_implemented.clone()),
    };
    Ok(new_int_big(vm, r))
}

/// `x ** y` for ints (a float for negative exponents).
fn int_pow(vm: &Vm, x: &BigInt, y: &BigInt) -> PyResult<Obj> {
    if y.is_negative() {
        let xf = big_to_f64(vm, x)?;
        let yf = big_to_f64(vm, y)?;
        if xf == 0.0 {
            return Err(zero_div(vm, "0.0 cannot be raised to a negative power"));
        }
        return crate::types::float::float_pow(vm, xf, yf);
    }
    if x.is_zero() || x.is_one() {
        return Ok(new_int_big(vm, if y.is_zero() { BigInt::one() } else { x.clone() }));
    }
    if *x == BigInt::from(-1) {
        return Ok(vm.int(if y.is_even() { 1 } else { -1 }));
    }
    match y.to_u32() {
        Some(n) if (x.bits() as u128) * (n as u128) < (1u128 << 36) => Ok(new_int_big(vm, num_traits::pow::pow(x.clone(), n as usize))),
        _ => Err(vm.new_error(&vm.types.overflow_error, "exponent too large")),
    }
}

/// `pow(x, y, m)` for ints (CPython's three-argument `long_pow`).
pub fn int_pow_mod(vm: &Vm, x: &BigInt, y: &BigInt, m: &BigInt) -> PyResult<Obj> {
    if m.is_zero() {
        return Err(vm.new_error(&vm.types.value_error, "pow() 3rd argument cannot be 0"));
    }
    let modulus = m.abs();
    let (base, exp) = if y.is_negative() {
        match mod_inverse(&x.mod_floor(&modulus), &modulus) {
            Some(inv) => (inv, -y),
            None => return Err(vm.new_error(&vm.types.value_error, "base is not invertible for the given modulus")),
        }
    } else {
        (x.mod_floor(&modulus), y.clone())
    };
    let mut r = base.modpow(&exp, &modulus);
    if m.is_negative() && !r.is_zero() {
        r -= &modulus;
    }
    Ok(new_int_big(vm, r))
}

/// The inverse of `a` modulo `m` (`m` > 0), if they are coprime.
fn mod_inverse(a: &BigInt, m: &BigInt) -> Option<BigInt> {
    let e = a.extended_gcd(m);
    if !e.gcd.is_one() {
        return None;
    }
    Some(e.x.mod_floor(m))
}

/// An int as a float, or OverflowError.
pub fn big_to_f64(vm: &Vm, x: &BigInt) -> PyResult<f64> {
    match x.to_f64().filter(|f| f.is_finite()) {
        Some(f) => Ok(f),
        None => Err(vm.new_error(&vm.types.overflow_error, "int too large to convert to float")),
    }
}

/// `x / y` correctly rounded (round-half-even), `None` if it overflows.
pub fn ratio_to_f64(x: &BigInt, y: &BigInt) -> Option<f64> {
    let negative = x.is_negative() != y.is_negative();
    let (a, b) = (x.magnitude(), y.magnitude());
    if a.is_zero() {
        return Some(if negative { -0.0 } else { 0.0 });
    }
    let (la, lb) = (a.bits() as i64, b.bits() as i64);
    // value = q * 2**s (plus a fraction), q with at least 55 bits.
    let s = (la - lb - 55).max(-1076);
    let (num, den) = if s >= 0 { (a.clone(), b << s as usize) } else { (a << (-s) as usize, b.clone()) };
    let (q, r) = num.div_rem(&den);
    let sticky = !r.is_zero();
    let qbits = q.bits() as i64;
    // Bits to drop: keep 53, fewer for subnormal results.
    let d = (qbits - 53).max(-1074 - s).max(1);
    let mut m = &q >> d as usize;
    let rem = &q - (&m << d as usize);
    let half = num_bigint::BigUint::one() << (d - 1) as usize;
    if rem > half || (rem == half && (sticky || m.bit(0))) {
        m += 1u32;
    }
    let e = s + d;
    let mf = m.to_f64()?;
    if m.bits() as i64 + e > 1024 {
        return None;
    }
    let v = crate::types::float::ldexp(mf, e);
    if v.is_infinite() {
        return None;
    }
    Some(if negative { -v } else { v })
}

/// The exact integer value of a finite float, truncated toward zero.
pub fn float_to_big(f: f64) -> BigInt {
    let f = f.trunc();
    if f == 0.0 || !f.is_finite() {
        return BigInt::zero();
    }
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7FF) as i64 - 1075;
    let mantissa = (bits & ((1 << 52) - 1)) | (1 << 52);
    let m = BigInt::from(mantissa);
    let v = if exp >= 0 { m << exp as usize } else { m >> (-exp) as usize };
    if f < 0.0 {
        -v
    } else {
        v
    }
}

pub(crate) fn compare_result<T: PartialOrd>(vm: &Vm, op: CompareOp, a: T, b: T) -> Obj {
    vm.bool(match op {
        CompareOp::Lt => a < b,
        CompareOp::Le => a <= b,
        CompareOp::Eq => a == b,
        CompareOp::Ne => a != b,
        CompareOp::Gt => a > b,
        CompareOp::Ge => a >= b,
    })
}

fn int_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    match int_pair(a, b) {
        Some((IntData::Small(x), IntData::Small(y))) => Ok(compare_result(vm, op, x, y)),
        Some((x, y)) => Ok(compare_result(vm, op, x.to_big(), y.to_big())),
        None => Ok(vm.not_implemented.clone()),
    }
}

// ---------------------------------------------------------------------------
// Methods and attributes.

pub static INT_METHODS: &[MethodDef] = &[
    MethodDef::method("conjugate", |vm, o, a, kw| same_int(vm, o, a, kw, "conjugate"), "Returns self, the complex conjugate of any int."),
    MethodDef::method("bit_length", int_bit_length, "Number of bits necessary to represent self in binary."),
    MethodDef::method("bit_count", int_bit_count, "Number of ones in the binary representation of the absolute value of self."),
    MethodDef::method("as_integer_ratio", int_as_integer_ratio, "Return integer ratio."),
    MethodDef::method(
        "__index__",
        |vm, o, a, kw| same_int(vm, o, a, kw, "__index__"),
        "Return self converted to an integer, if self is suitable for use as an index into a list.",
    ),
    MethodDef::method("__int__", |vm, o, a, kw| same_int(vm, o, a, kw, "__int__"), "int(self)"),
    MethodDef::method("__trunc__", |vm, o, a, kw| same_int(vm, o, a, kw, "__trunc__"), "Truncating an Integral returns itself."),
    MethodDef::method("__floor__", |vm, o, a, kw| same_int(vm, o, a, kw, "__floor__"), "Flooring an Integral returns itself."),
    MethodDef::method("__ceil__", |vm, o, a, kw| same_int(vm, o, a, kw, "__ceil__"), "Ceiling of an Integral returns itself."),
    MethodDef::method("__float__", int_float, "float(self)"),
    MethodDef::method(
        "__round__",
        int_round,
        "Rounding an Integral returns itself.\n\nRounding with an ndigits argument also returns an integer.",
    ),
    MethodDef::method(
        "__getnewargs__",
        |vm, o, a, kw| {
            let o2 = same_int(vm, o, a, kw, "__getnewargs__")?;
            Ok(new_tuple(vm, vec![o2]))
        },
        "",
    ),
    MethodDef::method("__divmod__", |vm, o, a, kw| int_divmod_method(vm, o, a, kw, false), "Return divmod(self, value)."),
    MethodDef::method("__rdivmod__", |vm, o, a, kw| int_divmod_method(vm, o, a, kw, true), "Return divmod(value, self)."),
    MethodDef::method("__pow__", |vm, o, a, kw| int_pow_method(vm, o, a, kw, false), "Return pow(self, value, mod)."),
    MethodDef::method("to_bytes", int_to_bytes, "Return an array of bytes representing an integer."),
    MethodDef::class("from_bytes", int_from_bytes, "Return the integer represented by the given array of bytes."),
    MethodDef::method("__rpow__", |vm, o, a, kw| int_pow_method(vm, o, a, kw, true), "Return pow(value, self, mod)."),
];

pub static INT_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("real", |vm, o| Ok(int_from_data(vm, this_int(vm, o)?)), "the real part of a complex number"),
    GetSetDef::readonly("imag", |vm, _| Ok(vm.int(0)), "the imaginary part of a complex number"),
    GetSetDef::readonly("numerator", |vm, o| Ok(int_from_data(vm, this_int(vm, o)?)), "the numerator of a rational number in lowest terms"),
    GetSetDef::readonly("denominator", |vm, _| Ok(vm.int(1)), "the denominator of a rational number in lowest terms"),
];

static TO_BYTES: Params = Params { fname: "to_bytes", names: &["length", "byteorder", "signed"], posonly: 0, kwonly: 1, required: 0 };
static FROM_BYTES: Params = Params { fname: "from_bytes", names: &["bytes", "byteorder", "signed"], posonly: 0, kwonly: 1, required: 1 };

/// `byteorder` ('big' by default): true for little-endian.
fn little_endian(vm: &Vm, o: Option<Obj>) -> PyResult<bool> {
    let Some(o) = o else { return Ok(false) };
    let Some(s) = o.downcast::<StrData>() else {
        return Err(vm.type_error(format!("to_bytes() argument 'byteorder' must be str, not {}", type_name(&o))));
    };
    match &*s.as_str() {
        "little" => Ok(true),
        "big" => Ok(false),
        _ => Err(vm.new_error(&vm.types.value_error, "byteorder must be either 'little' or 'big'")),
    }
}

/// `int.to_bytes(length=1, byteorder='big', *, signed=False)`.
fn int_to_bytes(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [length, order, signed] = bind::<3>(vm, &TO_BYTES, args, kw)?;
    let length = match length {
        Some(l) => crate::ops::index(vm, &l)?,
        None => vm.int(1),
    };
    let length = match int_data(&length) {
        Some(IntData::Small(n)) if *n >= 0 => *n as usize,
        Some(d) if d.is_negative() => return Err(vm.new_error(&vm.types.value_error, "length argument must be non-negative")),
        _ => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C ssize_t")),
    };
    let little = little_endian(vm, order)?;
    let signed = match signed {
        Some(s) => crate::ops::truth(vm, &s)?,
        None => false,
    };
    let v = this_int(vm, o)?.to_big();
    if !signed && v.is_negative() {
        return Err(vm.new_error(&vm.types.overflow_error, "can't convert negative int to unsigned"));
    }
    // Little-endian two's complement (or magnitude), then padded.
    let mut b = if signed { v.to_signed_bytes_le() } else { v.magnitude().to_bytes_le() };
    if v.is_zero() {
        b.clear();
    }
    if b.len() > length {
        return Err(vm.new_error(&vm.types.overflow_error, "int too big to convert"));
    }
    b.resize(length, if v.is_negative() { 0xff } else { 0 });
    if !little {
        b.reverse();
    }
    Ok(crate::types::bytes::new_bytes(vm, b))
}

/// `int.from_bytes(bytes, byteorder='big', *, signed=False)`.
fn int_from_bytes(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [data, order, signed] = bind::<3>(vm, &FROM_BYTES, args, kw)?;
    let data = data.unwrap_or_else(|| vm.none.clone());
    let little = little_endian(vm, order)?;
    let signed = match signed {
        Some(s) => crate::ops::truth(vm, &s)?,
        None => false,
    };
    let raw: Vec<u8> = match crate::types::bytes::as_buffer(&data) {
        Some(b) => b.into_owned(),
        None => {
            let b = crate::ops::call(vm, &vm.types.bytes, std::slice::from_ref(&data))?;
            crate::types::bytes::bytes_data(&b).map(<[u8]>::to_vec).unwrap_or_default()
        }
    };
    let v = match (little, signed) {
        (true, true) => BigInt::from_signed_bytes_le(&raw),
        (false, true) => BigInt::from_signed_bytes_be(&raw),
        (true, false) => BigInt::from_bytes_le(Sign::Plus, &raw),
        (false, false) => BigInt::from_bytes_be(Sign::Plus, &raw),
    };
    let r = new_int_big(vm, v);
    if cls.is(&vm.types.int) {
        return Ok(r);
    }
    crate::classes::call_object(vm, cls, &[r])
}

fn same_int(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs, name: &str) -> PyResult<Obj> {
    exact::<0>(vm, name, args, kw)?;
    Ok(int_from_data(vm, this_int(vm, o)?))
}

fn int_bit_length(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "bit_length", args, kw)?;
    Ok(match this_int(vm, o)? {
        IntData::Small(v) => vm.int((64 - v.unsigned_abs().leading_zeros()) as i64),
        IntData::Big(b) => vm.int(b.bits() as i64),
    })
}

fn int_bit_count(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "bit_count", args, kw)?;
    Ok(match this_int(vm, o)? {
        IntData::Small(v) => vm.int(v.unsigned_abs().count_ones() as i64),
        IntData::Big(b) => vm.int(b.magnitude().count_ones() as i64),
    })
}

fn int_as_integer_ratio(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "as_integer_ratio", args, kw)?;
    Ok(new_tuple(vm, vec![int_from_data(vm, this_int(vm, o)?), vm.int(1)]))
}

fn int_float(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__float__", args, kw)?;
    let f = match this_int(vm, o)? {
        IntData::Small(v) => *v as f64,
        IntData::Big(b) => big_to_f64(vm, b)?,
    };
    Ok(float_obj(vm, f))
}

/// `int.__round__(ndigits=None)`: itself, or rounded to a multiple of
/// `10**-ndigits` with ties to even.
fn int_round(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [nd] = at_most::<1>(vm, "__round__", 0, args, kw)?;
    let d = this_int(vm, o)?;
    let Some(nd) = nd.filter(|n| !n.is(&vm.none)) else { return Ok(int_from_data(vm, d)) };
    let nd = crate::ops::index(vm, &nd)?;
    let nd = int_data(&nd).map(IntData::to_big).unwrap_or_default();
    if !nd.is_negative() {
        return Ok(int_from_data(vm, d));
    }
    let Some(k) = (-nd).to_u32() else { return Ok(vm.int(0)) };
    let x = d.to_big();
    let q = num_traits::pow::pow(BigInt::from(10), k as usize);
    if x.magnitude().bits() < q.magnitude().bits() - 1 {
        return Ok(vm.int(0));
    }
    Ok(new_int_big(vm, round_to_multiple(&x, &q)))
}

/// `x` rounded to the nearest multiple of `q` (> 0), ties to even.
fn round_to_multiple(x: &BigInt, q: &BigInt) -> BigInt {
    let (mut quot, rem) = x.div_mod_floor(q);
    let twice = &rem * 2;
    if twice > *q || (twice == *q && quot.is_odd()) {
        quot += 1;
    }
    quot * q
}

fn int_divmod_method(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs, reflected: bool) -> PyResult<Obj> {
    let name = if reflected { "__rdivmod__" } else { "__divmod__" };
    let [other] = exact::<1>(vm, name, args, kw)?;
    let (a, b) = if reflected { (&other, o) } else { (o, &other) };
    match int_pair(a, b) {
        Some((x, y)) => int_divmod(vm, x, y),
        None => Ok(vm.not_implemented.clone()),
    }
}

/// `divmod(x, y)` for ints.
pub fn int_divmod(vm: &Vm, x: &IntData, y: &IntData) -> PyResult<Obj> {
    if y.is_zero() {
        return Err(zero_div(vm, "integer division or modulo by zero"));
    }
    let q = int_op(vm, BinaryOp::FloorDivide, x, y)?;
    let r = int_op(vm, BinaryOp::Remainder, x, y)?;
    Ok(new_tuple(vm, vec![q, r]))
}

/// The arguments of a numeric type's `__pow__(other, mod=None)` /
/// `__rpow__` method: `(other, mod)`.
pub(crate) fn pow_method_args<'a>(vm: &Vm, args: &'a [Obj], kw: Kwargs, reflected: bool) -> PyResult<(&'a Obj, Option<&'a Obj>)> {
    crate::native::no_kwargs(vm, if reflected { "__rpow__" } else { "__pow__" }, kw)?;
    match args {
        [v] => Ok((v, None)),
        [v, m] => Ok((v, Some(m))),
        _ => {
            let which = if args.is_empty() { "at least 1 argument" } else { "at most 2 arguments" };
            Err(vm.type_error(format!(" expected {which}, got {}", args.len())))
        }
    }
}

fn int_pow_method(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs, reflected: bool) -> PyResult<Obj> {
    let (other, m) = crate::types::int::pow_method_args(vm, args, kw, reflected)?;
    let (a, b) = if reflected { (other, o) } else { (o, other) };
    int_power(vm, a, b, m)
}

/// `pow(a, b[, m])` when `a` or `b` is an int: `NotImplemented` for
/// operands it does not handle.
pub fn int_power(vm: &Vm, a: &Obj, b: &Obj, m: Option<&Obj>) -> PyResult<Obj> {
    let Some((x, y)) = int_pair(a, b) else { return Ok(vm.not_implemented.clone()) };
    match m {
        None => int_op(vm, BinaryOp::Power, x, y),
        Some(m) if m.is(&vm.none) => int_op(vm, BinaryOp::Power, x, y),
        Some(m) => match int_data(m) {
            Some(z) => int_pow_mod(vm, &x.to_big(), &y.to_big(), &z.to_big()),
            None => Ok(vm.not_implemented.clone()),
        },
    }
}

/// The type's binary slot, for the `__add__`-style methods of built-in
/// numbers (`int.__add__(1, 2)`, `super().__add__(x)`).
pub(crate) fn binary_method(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, op: BinaryOp, reflected: bool, name: &str) -> PyResult<Obj> {
    let [other] = exact::<1>(vm, name, args, kw)?;
    let Some(slot) = type_data_of(this).slots.get().binary else { return Ok(vm.not_implemented.clone()) };
    // A Python subclass's own slot dispatches back here: use the slot of
    // the built-in base the payload belongs to.
    let slot = if type_data_of(this).slots.get().python_binary { base_binary(vm, this).unwrap_or(slot) } else { slot };
    if reflected {
        slot(vm, op, &other, this)
    } else {
        slot(vm, op, this, &other)
    }
}

fn base_binary(vm: &Vm, this: &Obj) -> Option<crate::types::BinaryFn> {
    let t = &vm.types;
    if this.downcast::<IntData>().is_some() {
        return crate::types::type_data(&t.int).slots.get().binary;
    }
    if this.downcast::<f64>().is_some() {
        return crate::types::type_data(&t.float).slots.get().binary;
    }
    if this.downcast::<crate::types::complex::Complex>().is_some() {
        return crate::types::type_data(&t.complex).slots.get().binary;
    }
    None
}

/// The type's comparison slot, for `__eq__`-style methods.
pub(crate) fn compare_method(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, op: CompareOp, name: &str) -> PyResult<Obj> {
    let [other] = exact::<1>(vm, name, args, kw)?;
    let t = &vm.types;
    let base = if this.downcast::<IntData>().is_some() {
        &t.int
    } else if this.downcast::<f64>().is_some() {
        &t.float
    } else {
        &t.complex
    };
    match crate::types::type_data(base).slots.get().compare {
        Some(f) => f(vm, op, this, &other),
        None => Ok(vm.not_implemented.clone()),
    }
}

/// Declares the arithmetic and comparison dunders of a built-in number
/// type as methods calling its slots.
#[macro_export]
macro_rules! number_dunders {
    ($name:ident) => {
        pub static $name: &[$crate::native::MethodDef] = &{
            use taipan_compiler::bytecode::{BinaryOp as B, CompareOp as C};
            use $crate::native::MethodDef as M;
            use $crate::types::int::{binary_method as bm, compare_method as cm};
            [
                M::method("__add__", |v, o, a, k| bm(v, o, a, k, B::Add, false, "__add__"), "Return self+value."),
                M::method("__radd__", |v, o, a, k| bm(v, o, a, k, B::Add, true, "__radd__"), "Return value+self."),
                M::method("__sub__", |v, o, a, k| bm(v, o, a, k, B::Subtract, false, "__sub__"), "Return self-value."),
                M::method("__rsub__", |v, o, a, k| bm(v, o, a, k, B::Subtract, true, "__rsub__"), "Return value-self."),
                M::method("__mul__", |v, o, a, k| bm(v, o, a, k, B::Multiply, false, "__mul__"), "Return self*value."),
                M::method("__rmul__", |v, o, a, k| bm(v, o, a, k, B::Multiply, true, "__rmul__"), "Return value*self."),
                M::method("__truediv__", |v, o, a, k| bm(v, o, a, k, B::TrueDivide, false, "__truediv__"), "Return self/value."),
                M::method("__rtruediv__", |v, o, a, k| bm(v, o, a, k, B::TrueDivide, true, "__rtruediv__"), "Return value/self."),
                M::method("__floordiv__", |v, o, a, k| bm(v, o, a, k, B::FloorDivide, false, "__floordiv__"), "Return self//value."),
                M::method("__rfloordiv__", |v, o, a, k| bm(v, o, a, k, B::FloorDivide, true, "__rfloordiv__"), "Return value//self."),
                M::method("__mod__", |v, o, a, k| bm(v, o, a, k, B::Remainder, false, "__mod__"), "Return self%value."),
                M::method("__rmod__", |v, o, a, k| bm(v, o, a, k, B::Remainder, true, "__rmod__"), "Return value%self."),
                M::method("__lshift__", |v, o, a, k| bm(v, o, a, k, B::Lshift, false, "__lshift__"), "Return self<<value."),
                M::method("__rlshift__", |v, o, a, k| bm(v, o, a, k, B::Lshift, true, "__rlshift__"), "Return value<<self."),
                M::method("__rshift__", |v, o, a, k| bm(v, o, a, k, B::Rshift, false, "__rshift__"), "Return self>>value."),
                M::method("__rrshift__", |v, o, a, k| bm(v, o, a, k, B::Rshift, true, "__rrshift__"), "Return value>>self."),
                M::method("__and__", |v, o, a, k| bm(v, o, a, k, B::And, false, "__and__"), "Return self&value."),
                M::method("__rand__", |v, o, a, k| bm(v, o, a, k, B::And, true, "__rand__"), "Return value&self."),
                M::method("__or__", |v, o, a, k| bm(v, o, a, k, B::Or, false, "__or__"), "Return self|value."),
                M::method("__ror__", |v, o, a, k| bm(v, o, a, k, B::Or, true, "__ror__"), "Return value|self."),
                M::method("__xor__", |v, o, a, k| bm(v, o, a, k, B::Xor, false, "__xor__"), "Return self^value."),
                M::method("__rxor__", |v, o, a, k| bm(v, o, a, k, B::Xor, true, "__rxor__"), "Return value^self."),
                M::method("__eq__", |v, o, a, k| cm(v, o, a, k, C::Eq, "__eq__"), "Return self==value."),
                M::method("__ne__", |v, o, a, k| cm(v, o, a, k, C::Ne, "__ne__"), "Return self!=value."),
                M::method("__lt__", |v, o, a, k| cm(v, o, a, k, C::Lt, "__lt__"), "Return self<value."),
                M::method("__le__", |v, o, a, k| cm(v, o, a, k, C::Le, "__le__"), "Return self<=value."),
                M::method("__gt__", |v, o, a, k| cm(v, o, a, k, C::Gt, "__gt__"), "Return self>value."),
                M::method("__ge__", |v, o, a, k| cm(v, o, a, k, C::Ge, "__ge__"), "Return self>=value."),
                M::method("__neg__", |v, o, a, k| $crate::types::int::unary_method(v, o, a, k, "__neg__", $crate::ops::neg), "-self"),
                M::method("__pos__", |v, o, a, k| $crate::types::int::unary_method(v, o, a, k, "__pos__", $crate::ops::pos), "+self"),
                M::method("__abs__", |v, o, a, k| $crate::types::int::unary_method(v, o, a, k, "__abs__", $crate::ops::abs), "abs(self)"),
                M::method(
                    "__bool__",
                    |v, o, a, k| {
                        $crate::native::exact::<0>(v, "__bool__", a, k)?;
                        Ok(v.bool($crate::ops::truth(v, o)?))
                    },
                    "True if self else False",
                ),
                M::method(
                    "__hash__",
                    // The built-in value's hash, not a subclass's
                    // `__hash__` (which may call this one).
                    |v, o, a, k| $crate::types::int::unary_method(v, o, a, k, "__hash__", |v, x| Ok(v.int($crate::ops::hash(v, x)?))),
                    "Return hash(self).",
                ),
                M::method(
                    "__repr__",
                    // The built-in value's repr, not a subclass's override
                    // (`int.__repr__(IntEnum member)` is the number).
                    |v, o, a, k| $crate::types::int::unary_method(v, o, a, k, "__repr__", $crate::ops::repr),
                    "Return repr(self).",
                ),
            ]
        };
    };
}

number_dunders!(INT_DUNDERS);

/// `__neg__`-style methods: the operation on the built-in value.
pub fn unary_method(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs, name: &str, f: fn(&Vm, &Obj) -> PyResult<Obj>) -> PyResult<Obj> {
    exact::<0>(vm, name, args, kw)?;
    // Through the built-in payload, not a subclass's override.
    let plain = if let Some(d) = int_data(o) {
        int_from_data(vm, d)
    } else if let Some(f) = o.downcast::<f64>() {
        float_obj(vm, *f)
    } else if let Some(c) = o.downcast::<crate::types::complex::Complex>() {
        crate::types::complex::new_complex(vm, c.re, c.im)
    } else {
        o.clone()
    };
    f(vm, &plain)
}

pub static INT_INVERT: &[MethodDef] =
    &[MethodDef::method("__invert__", |vm, o, a, k| unary_method(vm, o, a, k, "__invert__", crate::ops::invert), "~self")];

#[cfg(test)]
mod tests {
    use super::*;

    fn big(s: &str) -> BigInt {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn true_division_is_correctly_rounded() {
        assert_eq!(ratio_to_f64(&BigInt::from(1), &BigInt::from(3)), Some(1.0 / 3.0));
        assert_eq!(ratio_to_f64(&BigInt::from(-7), &BigInt::from(2)), Some(-3.5));
        let p = num_traits::pow::pow(BigInt::from(10), 400);
        assert_eq!(ratio_to_f64(&BigInt::from(1), &p), Some(0.0));
        assert_eq!(ratio_to_f64(&p, &num_traits::pow::pow(BigInt::from(10), 399)), Some(10.0));
        assert_eq!(ratio_to_f64(&p, &BigInt::from(3)), None);
        // 2**1024 - 2**970 rounds up to 2**1024: overflow.
        let edge = (BigInt::from(1) << 1024usize) - (BigInt::from(1) << 970usize);
        assert_eq!(ratio_to_f64(&edge, &BigInt::from(1)), None);
        assert_eq!(ratio_to_f64(&(edge - 1), &BigInt::from(1)), Some(f64::MAX));
        // Subnormal results.
        let d = BigInt::from(1) << 1074usize;
        assert_eq!(ratio_to_f64(&BigInt::from(1), &d), Some(f64::from_bits(1)));
        assert_eq!(ratio_to_f64(&BigInt::from(1), &(d.clone() * 2)), Some(0.0));
        assert_eq!(ratio_to_f64(&BigInt::from(3), &(d * 2)), Some(f64::from_bits(2)));
        assert_eq!(ratio_to_f64(&big("123456789012345678901234567890"), &big("1000000000000")), Some(123456789012345678.901234567890));
    }

    #[test]
    fn int_text_follows_cpython_rules() {
        assert_eq!(parse_int_text(" 12 ", 10), Ok(BigInt::from(12)));
        assert_eq!(parse_int_text("1_000", 10), Ok(BigInt::from(1000)));
        assert_eq!(parse_int_text("1__0", 10), Err(IntParseError::Invalid));
        assert_eq!(parse_int_text("_1", 10), Err(IntParseError::Invalid));
        assert_eq!(parse_int_text("1_", 10), Err(IntParseError::Invalid));
        assert_eq!(parse_int_text("0b_101", 0), Ok(BigInt::from(5)));
        assert_eq!(parse_int_text("0x1F", 16), Ok(BigInt::from(31)));
        assert_eq!(parse_int_text("-0o17", 0), Ok(BigInt::from(-15)));
        assert_eq!(parse_int_text("z", 36), Ok(BigInt::from(35)));
        assert_eq!(parse_int_text("2", 2), Err(IntParseError::Invalid));
        assert_eq!(parse_int_text("", 10), Err(IntParseError::Invalid));
        assert_eq!(parse_int_text("0x", 0), Err(IntParseError::Invalid));
        assert_eq!(numeric_text_to_ascii("\u{ff11}\u{0662}"), "12");
    }

    #[test]
    fn rounding_to_multiples_ties_to_even() {
        assert_eq!(round_to_multiple(&BigInt::from(25), &BigInt::from(10)), BigInt::from(20));
        assert_eq!(round_to_multiple(&BigInt::from(35), &BigInt::from(10)), BigInt::from(40));
        assert_eq!(round_to_multiple(&BigInt::from(-25), &BigInt::from(10)), BigInt::from(-20));
        assert_eq!(round_to_multiple(&BigInt::from(-26), &BigInt::from(10)), BigInt::from(-30));
    }
}
