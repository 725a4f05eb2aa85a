//! `float`: an IEEE double, with CPython's `floatobject.c` semantics:
//! floor division and modulo with the divisor's sign, `**` overflowing to
//! OverflowError and going complex for negative bases, comparisons with
//! ints that are exact at any size, correctly rounded `round(x, n)`,
//! `hex`/`fromhex`, and `float(str)`'s grammar.

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, Zero};

use crate::native::{at_most, exact, GetSetDef, MethodDef};
use crate::object::{alloc, Obj};
use crate::types::builtin::*;
use crate::types::int::{float_to_big, float_to_int, numeric_text_to_ascii, ratio_to_f64};
use crate::types::{Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::{BinaryOp, CompareOp};

fn float_obj(vm: &Vm, f: f64) -> Obj {
    crate::object::alloc_ref(&vm.types.float, f)
}

pub fn float_slots() -> Slots {
    Slots {
        new: Some(float_new),
        repr: Some(|vm, o| Ok(new_str(vm, &taipan_parser::repr::repr_float(this_float(vm, o)?)))),
        hash: Some(|vm, o| Ok(crate::hash::hash_f64(this_float(vm, o)?, o.as_ptr() as usize))),
        bool: Some(|vm, o| Ok(this_float(vm, o)? != 0.0)),
        binary: Some(float_binary),
        compare: Some(float_compare),
        negative: Some(|vm, o| Ok(float_obj(vm, -this_float(vm, o)?))),
        positive: Some(|vm, o| Ok(float_obj(vm, this_float(vm, o)?))),
        absolute: Some(|vm, o| Ok(float_obj(vm, this_float(vm, o)?.abs()))),
        ..object_slots()
    }
}

fn this_float(vm: &Vm, o: &Obj) -> PyResult<f64> {
    match o.downcast::<f64>() {
        Some(f) => Ok(*f),
        None => Err(vm.type_error(format!("descriptor requires a 'float' object but received a '{}'", type_name(o)))),
    }
}

fn float_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    crate::native::no_kwargs(vm, "float", kw)?;
    let f = match args {
        [] => 0.0,
        [x] => number_to_f64(vm, x)?,
        _ => return Err(vm.type_error(format!("float expected at most 1 argument, got {}", args.len()))),
    };
    Ok(alloc(cls.clone(), f))
}

/// A C `double` argument (`PyFloat_AsDouble`, the `d` converter): floats,
/// ints, `__float__`, `__index__`; anything else is "must be real number".
pub fn as_double(vm: &Vm, o: &Obj) -> PyResult<f64> {
    if let Some(f) = o.downcast::<f64>() {
        return Ok(*f);
    }
    if let Some(IntData::Small(v)) = o.downcast::<IntData>() {
        return Ok(*v as f64);
    }
    let ty = crate::types::type_of(o);
    if o.downcast::<IntData>().is_some()
        || crate::types::lookup(&ty, "__float__").is_some()
        || crate::types::lookup(&ty, "__index__").is_some()
    {
        return number_to_f64(vm, o);
    }
    Err(vm.type_error(format!("must be real number, not {}", type_name(o))))
}

/// `float(x)` (CPython's `PyNumber_Float`): floats, ints, `__float__`,
/// `__index__`, str.
pub fn number_to_f64(vm: &Vm, x: &Obj) -> PyResult<f64> {
    if let Some(f) = x.downcast::<f64>() {
        if std::ptr::eq(x.type_ptr(), vm.types.float.as_ptr()) || crate::types::lookup(&crate::types::type_of(x), "__float__").is_none() {
            return Ok(*f);
        }
    }
    if let Some(i) = x.downcast::<IntData>() {
        return int_to_f64(vm, i);
    }
    if let Some(s) = x.downcast::<StrData>() {
        return match parse_float_text(&s.as_str()) {
            Some(f) => Ok(f),
            None => Err(vm.new_error(&vm.types.value_error, format!("could not convert string to float: {}", repr_string(vm, x)?))),
        };
    }
    if let Some(t) = crate::types::int::bytes_text(x) {
        return match parse_float_text(&t) {
            Some(f) => Ok(f),
            None => Err(vm.new_error(&vm.types.value_error, format!("could not convert string to float: {}", repr_string(vm, x)?))),
        };
    }
    let ty = crate::types::type_of(x);
    if let Some(f) = crate::types::lookup(&ty, "__float__") {
        let r = crate::classes::call_special(vm, &f, x, &[], &[])?;
        return match r.downcast::<f64>() {
            Some(v) => Ok(*v),
            None => Err(vm.type_error(format!("{}.__float__ returned non-float (type {})", type_name(x), type_name(&r)))),
        };
    }
    if crate::types::lookup(&ty, "__index__").is_some() {
        let i = crate::ops::index(vm, x)?;
        if let Some(d) = i.downcast::<IntData>() {
            return int_to_f64(vm, d);
        }
    }
    // Any other buffer (memoryview, array) holds the text, as in CPython.
    if let Some(b) = crate::types::bytes::as_buffer(x) {
        return match parse_float_text(&crate::types::int::ascii_text(&b)) {
            Some(f) => Ok(f),
            None => Err(vm.new_error(&vm.types.value_error, format!("could not convert string to float: {}", repr_string(vm, x)?))),
        };
    }
    Err(vm.type_error(format!("float() argument must be a string or a real number, not '{}'", type_name(x))))
}

fn int_to_f64(vm: &Vm, i: &IntData) -> PyResult<f64> {
    match i {
        IntData::Small(v) => Ok(*v as f64),
        IntData::Big(b) => crate::types::int::big_to_f64(vm, b),
    }
}

/// Parses float text as `float(str)` does: surrounding whitespace, a sign,
/// `inf`/`infinity`/`nan` in any case, decimal digits with single
/// underscores between digits, an optional exponent.
pub fn parse_float_text(text: &str) -> Option<f64> {
    let ascii = numeric_text_to_ascii(text);
    let s = ascii.trim_matches(|c: char| c.is_ascii_whitespace() || ('\x1c'..='\x1f').contains(&c));
    let b = s.as_bytes();
    let mut clean = String::with_capacity(s.len());
    for (i, &c) in b.iter().enumerate() {
        if c == b'_' {
            let digit_before = i > 0 && b[i - 1].is_ascii_digit();
            let digit_after = b.get(i + 1).is_some_and(u8::is_ascii_digit);
            if !(digit_before && digit_after) {
                return None;
            }
            continue;
        }
        if !(c.is_ascii_alphanumeric() || matches!(c, b'.' | b'+' | b'-')) {
            return None;
        }
        clean.push(c as char);
    }
    let body = clean.trim_start_matches(['+', '-']);
    if clean.len() - body.len() > 1 {
        return None;
    }
    let lower = body.to_ascii_lowercase();
    let special = matches!(lower.as_str(), "inf" | "infinity" | "nan");
    if !special {
        // Rust's grammar is Python's, apart from the special words.
        let (mant, exp) = match lower.split_once('e') {
            Some((m, e)) => (m, Some(e)),
            None => (lower.as_str(), None),
        };
        if !mant.bytes().all(|c| c.is_ascii_digit() || c == b'.') || !mant.bytes().any(|c| c.is_ascii_digit()) {
            return None;
        }
        if let Some(e) = exp {
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
        }
    }
    clean.parse::<f64>().ok()
}

/// Converts an int or float operand to f64 (`None` for other types).
pub(crate) fn as_f64(vm: &Vm, o: &Obj) -> PyResult<Option<f64>> {
    if let Some(f) = o.downcast::<f64>() {
        return Ok(Some(*f));
    }
    match o.downcast::<IntData>() {
        Some(i) => int_to_f64(vm, i).map(Some),
        None => Ok(None),
    }
}

fn zero_div(vm: &Vm, msg: &str) -> crate::PyErr {
    vm.new_error(&vm.types.zero_division_error, msg)
}

/// `divmod(x, y)` for floats: (floor quotient, remainder with the sign of
/// `y`), as CPython's `float_divmod`.
pub fn float_divmod(x: f64, y: f64) -> (f64, f64) {
    let mut m = x % y;
    let mut div = (x - m) / y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(y);
    }
    let floordiv = if div != 0.0 {
        let mut f = div.floor();
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    } else {
        0.0f64.copysign(x / y)
    };
    (floordiv, m)
}

pub(crate) fn float_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let (Some(x), Some(y)) = (as_f64(vm, a)?, as_f64(vm, b)?) else {
        return Ok(vm.not_implemented.clone());
    };
    let r = match op {
        BinaryOp::Add => x + y,
        BinaryOp::Subtract => x - y,
        BinaryOp::Multiply => x * y,
        BinaryOp::TrueDivide => {
            if y == 0.0 {
                return Err(zero_div(vm, "float division by zero"));
            }
            x / y
        }
        BinaryOp::FloorDivide => {
            if y == 0.0 {
                return Err(zero_div(vm, "float floor division by zero"));
            }
            float_divmod(x, y).0
        }
        BinaryOp::Remainder => {
            if y == 0.0 {
                return Err(zero_div(vm, "float modulo"));
            }
            let m = x % y;
            if m != 0.0 {
                if (y < 0.0) != (m < 0.0) {
                    m + y
                } else {
                    m
                }
            } else {
                0.0f64.copysign(y)
            }
        }
        BinaryOp::Power => return float_pow(vm, x, y),
        _ => return Ok(vm.not_implemented.clone()),
    };
    Ok(float_obj(vm, r))
}

/// `x ** y` for floats (CPython's `float_pow`): a complex number for a
/// negative base and a non-integral exponent.
pub fn float_pow(vm: &Vm, x: f64, y: f64) -> PyResult<Obj> {
    if x == 0.0 && y < 0.0 {
        return Err(zero_div(vm, "0.0 cannot be raised to a negative power"));
    }
    if x < 0.0 && x.is_finite() && y.is_finite() && y != y.floor() {
        return crate::types::complex::complex_power(vm, (x, 0.0), (y, 0.0));
    }
    let r = x.powf(y);
    if r.is_infinite() && x.is_finite() && y.is_finite() {
        return Err(range_error(vm));
    }
    Ok(float_obj(vm, r))
}

/// OverflowError(34, 'Numerical result out of range') (errno ERANGE).
pub fn range_error(vm: &Vm) -> crate::PyErr {
    let args = vec![vm.int(34), new_str(vm, "Numerical result out of range")];
    crate::PyErr { exc: new_exception(vm, &vm.types.overflow_error, args) }
}

/// How a float compares with an int, exactly (`None` for NaN).
pub fn cmp_float_int(f: f64, i: &IntData) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 { Ordering::Greater } else { Ordering::Less });
    }
    if let IntData::Small(v) = i {
        if v.unsigned_abs() <= 1 << 53 {
            return f.partial_cmp(&(*v as f64));
        }
    }
    let fl = f.floor();
    let b = float_to_big(fl);
    let i = i.to_big();
    Some(match b.cmp(&i) {
        Ordering::Equal if f > fl => Ordering::Greater,
        o => o,
    })
}

fn ordering_result(vm: &Vm, op: CompareOp, ord: Option<Ordering>) -> Obj {
    let r = match ord {
        None => op == CompareOp::Ne,
        Some(o) => match op {
            CompareOp::Lt => o == Ordering::Less,
            CompareOp::Le => o != Ordering::Greater,
            CompareOp::Eq => o == Ordering::Equal,
            CompareOp::Ne => o != Ordering::Equal,
            CompareOp::Gt => o == Ordering::Greater,
            CompareOp::Ge => o != Ordering::Less,
        },
    };
    vm.bool(r)
}

pub(crate) fn float_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let ord = match (a.downcast::<f64>(), b.downcast::<f64>()) {
        (Some(x), Some(y)) => x.partial_cmp(y),
        (Some(x), None) => match b.downcast::<IntData>() {
            Some(i) => cmp_float_int(*x, i),
            None => return Ok(vm.not_implemented.clone()),
        },
        (None, Some(y)) => match a.downcast::<IntData>() {
            Some(i) => cmp_float_int(*y, i).map(Ordering::reverse),
            None => return Ok(vm.not_implemented.clone()),
        },
        (None, None) => return Ok(vm.not_implemented.clone()),
    };
    Ok(ordering_result(vm, op, ord))
}

/// `(m, e)` with `x == m * 2**e`, `0.5 <= |m| < 1` (C's `frexp`).
pub fn frexp(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let (x, adjust) = if x.abs() < f64::MIN_POSITIVE { (x * 2f64.powi(64), -64) } else { (x, 0) };
    let bits = x.to_bits();
    let e = ((bits >> 52) & 0x7ff) as i32 - 1022;
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, e + adjust)
}

fn pow2(k: i64) -> f64 {
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// `x * 2**e` with one rounding (C's `ldexp`); infinite on overflow.
pub fn ldexp(x: f64, e: i64) -> f64 {
    if x == 0.0 || !x.is_finite() || e == 0 {
        return x;
    }
    let (f, ex) = frexp(x);
    let n = ex as i64 + e;
    if n > 1024 {
        return f64::INFINITY.copysign(x);
    }
    if n >= -1021 {
        return (f * 2.0) * pow2(n - 1);
    }
    if n < -1075 {
        return 0.0f64.copysign(x);
    }
    (f * pow2(-1000)) * pow2(n + 1000)
}

/// The exact value of a finite float as `mantissa * 2**exp` (integers).
pub fn float_parts(f: f64) -> (BigInt, i64) {
    if f == 0.0 {
        return (BigInt::zero(), 0);
    }
    let bits = f.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1 << 52) - 1);
    let (mut m, mut e) = if biased == 0 { (frac, -1074) } else { (frac | (1 << 52), biased - 1075) };
    if m != 0 {
        let tz = m.trailing_zeros();
        m >>= tz;
        e += tz as i64;
    }
    let m = BigInt::from(m);
    (if f.is_sign_negative() { -m } else { m }, e)
}

/// `n / d` (`d` > 0) rounded to an integer, ties to even.
fn round_half_even(n: &BigInt, d: &BigInt) -> BigInt {
    let (mut q, r) = n.div_mod_floor(d);
    let twice: BigInt = r * 2;
    if twice > *d || (twice == *d && q.is_odd()) {
        q += 1;
    }
    q
}

/// `round(x, ndigits)` correctly rounded (CPython's `double_round`); `None`
/// when the result overflows.
pub fn round_to_digits(x: f64, nd: i64) -> Option<f64> {
    if !x.is_finite() || x == 0.0 || nd > 323 {
        return Some(x);
    }
    if nd < -308 {
        return Some(0.0f64.copysign(x));
    }
    let (m, e) = float_parts(x);
    let ten = BigInt::from(10);
    let r = if nd >= 0 {
        if e >= 0 {
            return Some(x);
        }
        let p = num_traits::pow::pow(ten, nd as usize);
        let q = round_half_even(&(&m * &p), &(BigInt::from(1) << (-e) as usize));
        ratio_to_f64(&q, &p)?
    } else {
        let p = num_traits::pow::pow(ten, (-nd) as usize);
        let (n, d) = if e >= 0 { (&m << e as usize, p.clone()) } else { (m.clone(), &p << (-e) as usize) };
        let q = round_half_even(&n, &d);
        ratio_to_f64(&(q * p), &BigInt::from(1))?
    };
    Some(if r == 0.0 { 0.0f64.copysign(x) } else { r })
}

/// `float.hex()`.
pub fn float_hex(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x == 0.0 {
        return format!("{sign}0x0.0p+0");
    }
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1 << 52) - 1);
    let (lead, exp) = if biased == 0 { (0, -1022) } else { (1, biased - 1023) };
    format!("{sign}0x{lead}.{frac:013x}p{exp:+}")
}

/// Why `float.fromhex` failed.
#[derive(Debug, PartialEq)]
pub enum FromHexError {
    Invalid,
    Overflow,
}

/// `float.fromhex(text)`, correctly rounded.
pub fn float_fromhex(text: &str) -> Result<f64, FromHexError> {
    let s = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let (neg, s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let signed = |v: f64| if neg { -v } else { v };
    let lower = s.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Ok(signed(f64::INFINITY));
    }
    if lower == "nan" {
        return Ok(signed(f64::NAN));
    }
    let body = lower.strip_prefix("0x").unwrap_or(&lower);
    let (mant, exp) = match body.split_once('p') {
        Some((m, e)) => (m, Some(e)),
        None => (body, None),
    };
    let (int_part, frac_part) = match mant.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mant, ""),
    };
    let hex_ok = |t: &str| t.bytes().all(|c| c.is_ascii_hexdigit());
    if (int_part.is_empty() && frac_part.is_empty()) || !hex_ok(int_part) || !hex_ok(frac_part) {
        return Err(FromHexError::Invalid);
    }
    let exp: i64 = match exp {
        None => 0,
        Some(e) => {
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return Err(FromHexError::Invalid);
            }
            // Huge exponents saturate (the result is 0 or an overflow).
            let v: i64 = digits.parse().unwrap_or(i64::MAX / 4).min(i64::MAX / 4);
            if e.starts_with('-') {
                -v
            } else {
                v
            }
        }
    };
    let digits = format!("{int_part}{frac_part}");
    let m = BigInt::parse_bytes(digits.as_bytes(), 16).unwrap_or_default();
    if m.is_zero() {
        return Ok(signed(0.0));
    }
    let e = exp.saturating_sub(4 * frac_part.len() as i64);
    let top = m.bits() as i64 + e;
    if top > 1025 {
        return Err(FromHexError::Overflow);
    }
    if top < -1080 {
        return Ok(signed(0.0));
    }
    let v = if e >= 0 { ratio_to_f64(&(m << e as usize), &BigInt::from(1)) } else { ratio_to_f64(&m, &(BigInt::from(1) << (-e) as usize)) };
    v.map(signed).ok_or(FromHexError::Overflow)
}

// ---------------------------------------------------------------------------
// Methods.

pub static FLOAT_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "conjugate",
        |vm, o, a, kw| same_float(vm, o, a, kw, "conjugate"),
        "Return self, the complex conjugate of any float.",
    ),
    MethodDef::method("__float__", |vm, o, a, kw| same_float(vm, o, a, kw, "__float__"), "float(self)"),
    MethodDef::method(
        "is_integer",
        |vm, o, a, kw| {
            exact::<0>(vm, "is_integer", a, kw)?;
            let f = this_float(vm, o)?;
            Ok(vm.bool(f.is_finite() && f == f.trunc()))
        },
        "Return True if the float is an integer.",
    ),
    MethodDef::method("as_integer_ratio", float_as_integer_ratio, "Return integer ratio."),
    MethodDef::method(
        "hex",
        |vm, o, a, kw| {
            exact::<0>(vm, "hex", a, kw)?;
            Ok(new_str(vm, &float_hex(this_float(vm, o)?)))
        },
        "Return a hexadecimal representation of a floating-point number.",
    ),
    MethodDef::class("fromhex", float_fromhex_method, "Create a floating-point number from a hexadecimal string."),
    MethodDef::class(
        "__getformat__",
        |vm, _cls, a, kw| {
            let [t] = exact::<1>(vm, "__getformat__", a, kw)?;
            let Some(s) = t.downcast::<StrData>() else {
                return Err(vm.type_error(format!("__getformat__() argument must be str, not {}", type_name(&t))));
            };
            match &*s.as_str() {
                "double" | "float" => Ok(new_str(vm, "IEEE, little-endian")),
                _ => Err(vm.new_error(&vm.types.value_error, "__getformat__() argument 1 must be 'double' or 'float'")),
            }
        },
        "You probably don't want to use this function.",
    ),
    MethodDef::method(
        "__int__",
        |vm, o, a, kw| {
            exact::<0>(vm, "__int__", a, kw)?;
            float_to_int(vm, this_float(vm, o)?)
        },
        "int(self)",
    ),
    MethodDef::method(
        "__trunc__",
        |vm, o, a, kw| {
            exact::<0>(vm, "__trunc__", a, kw)?;
            float_to_int(vm, this_float(vm, o)?)
        },
        "Return the Integral closest to x between 0 and x.",
    ),
    MethodDef::method(
        "__floor__",
        |vm, o, a, kw| {
            exact::<0>(vm, "__floor__", a, kw)?;
            float_to_int(vm, this_float(vm, o)?.floor())
        },
        "Return the floor as an Integral.",
    ),
    MethodDef::method(
        "__ceil__",
        |vm, o, a, kw| {
            exact::<0>(vm, "__ceil__", a, kw)?;
            float_to_int(vm, this_float(vm, o)?.ceil())
        },
        "Return the ceiling as an Integral.",
    ),
    MethodDef::method(
        "__round__",
        float_round,
        "Return the Integral closest to x, rounding half toward even.\n\nWhen an argument is passed, work like built-in round(x, ndigits).",
    ),
    MethodDef::method(
        "__getnewargs__",
        |vm, o, a, kw| {
            exact::<0>(vm, "__getnewargs__", a, kw)?;
            Ok(new_tuple(vm, vec![float_obj(vm, this_float(vm, o)?)]))
        },
        "",
    ),
    MethodDef::method("__divmod__", |vm, o, a, kw| float_divmod_method(vm, o, a, kw, false), "Return divmod(self, value)."),
    MethodDef::method("__rdivmod__", |vm, o, a, kw| float_divmod_method(vm, o, a, kw, true), "Return divmod(value, self)."),
    MethodDef::method("__pow__", |vm, o, a, kw| float_pow_method(vm, o, a, kw, false), "Return pow(self, value, mod)."),
    MethodDef::method("__rpow__", |vm, o, a, kw| float_pow_method(vm, o, a, kw, true), "Return pow(value, self, mod)."),
];

pub static FLOAT_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("real", |vm, o| Ok(float_obj(vm, this_float(vm, o)?)), "the real part of a complex number"),
    GetSetDef::readonly("imag", |vm, _| Ok(float_obj(vm, 0.0)), "the imaginary part of a complex number"),
];

crate::number_dunders!(FLOAT_DUNDERS);

fn same_float(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs, name: &str) -> PyResult<Obj> {
    exact::<0>(vm, name, args, kw)?;
    Ok(float_obj(vm, this_float(vm, o)?))
}

fn float_as_integer_ratio(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "as_integer_ratio", args, kw)?;
    let f = this_float(vm, o)?;
    if f.is_nan() {
        return Err(vm.new_error(&vm.types.value_error, "cannot convert NaN to integer ratio"));
    }
    if f.is_infinite() {
        return Err(vm.new_error(&vm.types.overflow_error, "cannot convert Infinity to integer ratio"));
    }
    let (m, e) = float_parts(f);
    let (n, d) = if e >= 0 { (m << e as usize, BigInt::from(1)) } else { (m, BigInt::from(1) << (-e) as usize) };
    Ok(new_tuple(vm, vec![new_int_big(vm, n), new_int_big(vm, d)]))
}

fn float_fromhex_method(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [s] = exact::<1>(vm, "fromhex", args, kw)?;
    let Some(text) = s.downcast::<StrData>() else {
        return Err(vm.type_error(format!("fromhex() argument must be str, not {}", type_name(&s))));
    };
    let v = match float_fromhex(&text.as_str()) {
        Ok(v) => v,
        Err(FromHexError::Invalid) => return Err(vm.new_error(&vm.types.value_error, "invalid hexadecimal floating-point string")),
        Err(FromHexError::Overflow) => {
            return Err(vm.new_error(&vm.types.overflow_error, "hexadecimal value too large to represent as a float"))
        }
    };
    let f = float_obj(vm, v);
    if cls.is(&vm.types.float) {
        return Ok(f);
    }
    crate::classes::call_object(vm, cls, &[f])
}

fn float_round(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [nd] = at_most::<1>(vm, "__round__", 0, args, kw)?;
    let x = this_float(vm, o)?;
    match nd.filter(|n| !n.is(&vm.none)) {
        None => float_to_int(vm, x.round_ties_even()),
        Some(nd) => {
            let nd = crate::ops::index(vm, &nd)?;
            let nd = match nd.downcast::<IntData>() {
                Some(IntData::Small(v)) => *v,
                Some(IntData::Big(b)) => {
                    if b.is_negative() {
                        i64::MIN
                    } else {
                        i64::MAX
                    }
                }
                None => 0,
            };
            match round_to_digits(x, nd) {
                Some(r) => Ok(float_obj(vm, r)),
                None => Err(vm.new_error(&vm.types.overflow_error, "rounded value too large to represent")),
            }
        }
    }
}

fn float_divmod_method(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs, reflected: bool) -> PyResult<Obj> {
    let [other] = exact::<1>(vm, if reflected { "__rdivmod__" } else { "__divmod__" }, args, kw)?;
    let (a, b) = if reflected { (&other, o) } else { (o, &other) };
    float_divmod_objs(vm, a, b)
}

/// `divmod(a, b)` when one side is a float.
pub fn float_divmod_objs(vm: &Vm, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let (Some(x), Some(y)) = (as_f64(vm, a)?, as_f64(vm, b)?) else { return Ok(vm.not_implemented.clone()) };
    if y == 0.0 {
        return Err(zero_div(vm, "float divmod()"));
    }
    let (q, r) = float_divmod(x, y);
    Ok(new_tuple(vm, vec![float_obj(vm, q), float_obj(vm, r)]))
}

fn float_pow_method(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs, reflected: bool) -> PyResult<Obj> {
    let (other, m) = crate::types::int::pow_method_args(vm, args, kw, reflected)?;
    if m.is_some_and(|m| !m.is(&vm.none)) {
        return Err(vm.type_error("pow() 3rd argument not allowed unless all arguments are integers"));
    }
    let (a, b) = if reflected { (other, o) } else { (o, other) };
    float_binary(vm, BinaryOp::Power, a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ldexp_and_frexp_round_trip() {
        assert_eq!(frexp(8.0), (0.5, 4));
        assert_eq!(frexp(f64::from_bits(1)), (0.5, -1073));
        assert_eq!(ldexp(1.0, -1074), f64::from_bits(1));
        assert_eq!(ldexp(1.0, -1075), 0.0);
        assert_eq!(ldexp(1.5, -1074), f64::from_bits(2));
        assert_eq!(ldexp(1.0, 1024), f64::INFINITY);
        assert_eq!(ldexp(0.75, 1024), f64::MAX.min(0.75 * 2f64.powi(1023) * 2.0));
    }

    #[test]
    fn rounding_matches_cpython() {
        assert_eq!(round_to_digits(2.675, 2), Some(2.67));
        assert_eq!(round_to_digits(0.125, 2), Some(0.12));
        assert_eq!(round_to_digits(0.375, 2), Some(0.38));
        assert_eq!(round_to_digits(1234.5, -1), Some(1230.0));
        assert_eq!(round_to_digits(-0.04, 1), Some(-0.0));
        assert_eq!(round_to_digits(1.7976931348623157e308, -308), None);
        assert_eq!(round_to_digits(5e-324, 400), Some(5e-324));
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(float_hex(1.0), "0x1.0000000000000p+0");
        assert_eq!(float_hex(0.1), "0x1.999999999999ap-4");
        assert_eq!(float_hex(5e-324), "0x0.0000000000001p-1022");
        assert_eq!(float_hex(-0.0), "-0x0.0p+0");
        assert_eq!(float_fromhex("0x1.999999999999ap-4"), Ok(0.1));
        assert_eq!(float_fromhex(" -0X1P+0 "), Ok(-1.0));
        assert_eq!(float_fromhex("1.8"), Ok(1.5));
        assert_eq!(float_fromhex("0x.8p1"), Ok(1.0));
        assert_eq!(float_fromhex("0x1p-1075"), Ok(0.0));
        assert_eq!(float_fromhex("0x3p-1075"), Ok(f64::from_bits(2)));
        assert_eq!(float_fromhex("0x1p1024"), Err(FromHexError::Overflow));
        assert_eq!(float_fromhex("0x"), Err(FromHexError::Invalid));
        assert_eq!(float_fromhex("1p"), Err(FromHexError::Invalid));
    }

    #[test]
    fn float_text_grammar() {
        assert_eq!(parse_float_text(" 1_000.5 "), Some(1000.5));
        assert_eq!(parse_float_text("-Infinity"), Some(f64::NEG_INFINITY));
        assert!(parse_float_text("nan").is_some_and(f64::is_nan));
        assert_eq!(parse_float_text("1__0"), None);
        assert_eq!(parse_float_text("1_.5"), None);
        assert_eq!(parse_float_text("infinit"), None);
        assert_eq!(parse_float_text("+-1"), None);
        assert_eq!(parse_float_text(".5e-3"), Some(0.0005));
        assert_eq!(parse_float_text("1e"), None);
        assert_eq!(parse_float_text(""), None);
    }

    #[test]
    fn float_int_comparison_is_exact() {
        let big = IntData::Big(BigInt::from(1u64 << 53) + 1);
        assert_eq!(cmp_float_int(9007199254740992.0, &big), Some(Ordering::Less));
        assert_eq!(cmp_float_int(1e300, &IntData::Small(5)), Some(Ordering::Greater));
        assert_eq!(cmp_float_int(f64::NAN, &IntData::Small(5)), None);
        assert_eq!(cmp_float_int(-0.5, &IntData::Small(-1)), Some(Ordering::Greater));
    }
}
