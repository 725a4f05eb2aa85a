//! `complex`: a pair of doubles with CPython's `complexobject.c` semantics
//! (ints and floats are widened to complex for mixed arithmetic, Smith's
//! division, integer powers by repeated squaring, the constructor's
//! argument rules and string grammar, the repr without `.0`).

use crate::native::{exact, GetSetDef, MethodDef, Params};
use crate::object::{alloc, Obj};
use crate::types::builtin::*;
use crate::types::{Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::{BinaryOp, CompareOp};

/// A `complex` value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Complex {
    pub re: f64,
    pub im: f64,
}

pub fn new_complex(vm: &Vm, re: f64, im: f64) -> Obj {
    alloc(vm.types.complex.clone(), Complex { re, im })
}

pub fn complex_slots() -> Slots {
    Slots {
        new: Some(complex_new),
        repr: Some(|vm, o| {
            let c = this(vm, o)?;
            Ok(new_str(vm, &taipan_parser::repr::repr_complex(c.re, c.im)))
        }),
        hash: Some(|vm, o| {
            let c = this(vm, o)?;
            let addr = o.as_ptr() as usize;
            Ok(crate::hash::hash_complex(crate::hash::hash_f64(c.re, addr), crate::hash::hash_f64(c.im, addr)))
        }),
        bool: Some(|vm, o| {
            let c = this(vm, o)?;
            Ok(c.re != 0.0 || c.im != 0.0)
        }),
        binary: Some(complex_binary),
        compare: Some(complex_compare),
        negative: Some(|vm, o| {
            let c = this(vm, o)?;
            Ok(new_complex(vm, -c.re, -c.im))
        }),
        positive: Some(|vm, o| {
            let c = this(vm, o)?;
            Ok(new_complex(vm, c.re, c.im))
        }),
        absolute: Some(|vm, o| {
            let c = this(vm, o)?;
            let r = c_abs(c);
            if r.is_infinite() && c.re.is_finite() && c.im.is_finite() {
                return Err(vm.new_error(&vm.types.overflow_error, "absolute value too large"));
            }
            Ok(alloc(vm.types.float.clone(), r))
        }),
        ..object_slots()
    }
}

fn this(vm: &Vm, o: &Obj) -> PyResult<Complex> {
    match o.downcast::<Complex>() {
        Some(c) => Ok(*c),
        None => Err(vm.type_error(format!("descriptor requires a 'complex' object but received a '{}'", type_name(o)))),
    }
}

/// An int, float or complex operand widened to complex (`None` for others).
fn as_complex(vm: &Vm, o: &Obj) -> PyResult<Option<Complex>> {
    if let Some(c) = o.downcast::<Complex>() {
        return Ok(Some(*c));
    }
    Ok(as_f64(vm, o)?.map(|re| Complex { re, im: 0.0 }))
}

/// `abs(c)` (`_Py_c_abs`): infinite if a part is, else NaN if a part is.
pub fn c_abs(c: Complex) -> f64 {
    if c.re.is_infinite() || c.im.is_infinite() {
        return f64::INFINITY;
    }
    if c.re.is_nan() || c.im.is_nan() {
        return f64::NAN;
    }
    c.re.hypot(c.im)
}

fn c_mul(a: Complex, b: Complex) -> Complex {
    Complex { re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re }
}

/// `a / b` by Smith's method, scaled by the larger part of `b`; `None`
/// for division by zero.
pub fn c_div(a: Complex, b: Complex) -> Option<Complex> {
    let (abs_re, abs_im) = (b.re.abs(), b.im.abs());
    if abs_re >= abs_im {
        if abs_re == 0.0 {
            return None;
        }
        let ratio = b.im / b.re;
        let denom = b.re + b.im * ratio;
        Some(Complex { re: (a.re + a.im * ratio) / denom, im: (a.im - a.re * ratio) / denom })
    } else if abs_im >= abs_re {
        let ratio = b.re / b.im;
        let denom = b.re * ratio + b.im;
        Some(Complex { re: (a.re * ratio + a.im) / denom, im: (a.im * ratio - a.re) / denom })
    } else {
        // A NaN in `b`.
        Some(Complex { re: f64::NAN, im: f64::NAN })
    }
}

/// `a ** b` through polar form; `None` for zero to a negative or complex
/// power.
fn c_pow(a: Complex, b: Complex) -> Option<Complex> {
    if b.re == 0.0 && b.im == 0.0 {
        return Some(Complex { re: 1.0, im: 0.0 });
    }
    if a.re == 0.0 && a.im == 0.0 {
        if b.im != 0.0 || b.re < 0.0 {
            return None;
        }
        return Some(Complex { re: 0.0, im: 0.0 });
    }
    let vabs = a.re.hypot(a.im);
    let mut len = vabs.powf(b.re);
    let at = a.im.atan2(a.re);
    let mut phase = at * b.re;
    if b.im != 0.0 {
        len /= (at * b.im).exp();
        phase += b.im * vabs.ln();
    }
    Some(Complex { re: len * phase.cos(), im: len * phase.sin() })
}

/// `x ** n` for a small non-negative integer, by repeated squaring.
fn c_powu(x: Complex, n: i64) -> Complex {
    let mut r = Complex { re: 1.0, im: 0.0 };
    let mut p = x;
    let mut mask: i64 = 1;
    while mask > 0 && n >= mask {
        if n & mask != 0 {
            r = c_mul(r, p);
        }
        mask <<= 1;
        p = c_mul(p, p);
    }
    r
}

/// `a ** b` as `complex.__pow__` computes it, with CPython's errors.
pub fn complex_power(vm: &Vm, a: (f64, f64), b: (f64, f64)) -> PyResult<Obj> {
    let (a, b) = (Complex { re: a.0, im: a.1 }, Complex { re: b.0, im: b.1 });
    let n = b.re as i64;
    let r = if b.im == 0.0 && b.re == n as f64 && (-100..=100).contains(&n) {
        if n >= 0 {
            Some(c_powu(a, n))
        } else {
            c_div(Complex { re: 1.0, im: 0.0 }, c_powu(a, -n))
        }
    } else {
        c_pow(a, b)
    };
    match r {
        None => Err(vm.new_error(&vm.types.zero_division_error, "0.0 to a negative or complex power")),
        Some(r) if r.re.is_infinite() || r.im.is_infinite() => Err(vm.new_error(&vm.types.overflow_error, "complex exponentiation")),
        Some(r) => Ok(new_complex(vm, r.re, r.im)),
    }
}

fn complex_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let (Some(x), Some(y)) = (as_complex(vm, a)?, as_complex(vm, b)?) else {
        return Ok(vm.not_implemented.clone());
    };
    let r = match op {
        BinaryOp::Add => Complex { re: x.re + y.re, im: x.im + y.im },
        BinaryOp::Subtract => Complex { re: x.re - y.re, im: x.im - y.im },
        BinaryOp::Multiply => c_mul(x, y),
        BinaryOp::TrueDivide => match c_div(x, y) {
            Some(r) => r,
            None => return Err(vm.new_error(&vm.types.zero_division_error, "complex division by zero")),
        },
        BinaryOp::Power => return complex_power(vm, (x.re, x.im), (y.re, y.im)),
        _ => return Ok(vm.not_implemented.clone()),
    };
    Ok(new_complex(vm, r.re, r.im))
}

fn complex_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    if !matches!(op, CompareOp::Eq | CompareOp::Ne) {
        return Ok(vm.not_implemented.clone());
    }
    let (c, other) = match (a.downcast::<Complex>(), b.downcast::<Complex>()) {
        (Some(c), _) => (*c, b),
        (None, Some(c)) => (*c, a),
        _ => return Ok(vm.not_implemented.clone()),
    };
    let equal = if let Some(o) = other.downcast::<Complex>() {
        c.re == o.re && c.im == o.im
    } else if let Some(i) = other.downcast::<IntData>() {
        // Exact, as float == int is.
        c.im == 0.0 && crate::types::float::cmp_float_int(c.re, i) == Some(std::cmp::Ordering::Equal)
    } else if let Some(f) = other.downcast::<f64>() {
        c.im == 0.0 && c.re == *f
    } else {
        return Ok(vm.not_implemented.clone());
    };
    Ok(vm.bool(equal == (op == CompareOp::Eq)))
}

// ---------------------------------------------------------------------------
// Construction.

static COMPLEX_PARAMS: Params = Params { fname: "complex", names: &["real", "imag"], posonly: 0, kwonly: 0, required: 0 };

fn complex_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [real, imag] = crate::native::bind::<2>(vm, &COMPLEX_PARAMS, args, kw)?;
    let make = |re: f64, im: f64| alloc(cls.clone(), Complex { re, im });
    let Some(r) = real else {
        return match imag {
            None => Ok(make(0.0, 0.0)),
            Some(i) => {
                let (ci, ci_complex) = part(vm, &i, false)?;
                Ok(if ci_complex { make(-ci.im, ci.re) } else { make(0.0, ci.re) })
            }
        };
    };
    if let Some(s) = r.downcast::<StrData>() {
        if imag.is_some() {
            return Err(vm.type_error("complex() can't take second arg if first is a string"));
        }
        return match parse_complex_text(&s.as_str()) {
            Some(c) => Ok(make(c.re, c.im)),
            None => Err(vm.new_error(&vm.types.value_error, "complex() arg is a malformed string")),
        };
    }
    if let Some(i) = &imag {
        if i.downcast::<StrData>().is_some() {
            return Err(vm.type_error("complex() second arg can't be a string"));
        }
    }
    if imag.is_none() && std::ptr::eq(r.type_ptr(), vm.types.complex.as_ptr()) && cls.is(&vm.types.complex) {
        return Ok(r);
    }
    let (mut cr, cr_complex) = part(vm, &r, true)?;
    let (mut ci, ci_complex) = match &imag {
        None => (Complex { re: cr.im, im: 0.0 }, false),
        Some(i) => part(vm, i, false)?,
    };
    if ci_complex {
        cr.re -= ci.im;
    }
    if cr_complex && imag.is_some() {
        ci.re += cr.im;
    }
    Ok(make(cr.re, ci.re))
}

/// One constructor argument as a complex value, and whether it was
/// complex (`__complex__` or a complex instance).
fn part(vm: &Vm, o: &Obj, first: bool) -> PyResult<(Complex, bool)> {
    let ty = crate::types::type_of(o);
    if let Some(f) = crate::types::lookup(&ty, "__complex__") {
        let r = crate::classes::call_special(vm, &f, o, &[], &[])?;
        return match r.downcast::<Complex>() {
            Some(c) => Ok((*c, true)),
            None => Err(vm.type_error(format!("__complex__ returned non-complex (type {})", type_name(&r)))),
        };
    }
    if let Some(c) = o.downcast::<Complex>() {
        return Ok((*c, true));
    }
    let numeric = o.downcast::<IntData>().is_some()
        || o.downcast::<f64>().is_some()
        || crate::types::lookup(&ty, "__float__").is_some()
        || crate::types::lookup(&ty, "__index__").is_some();
    if !numeric {
        let msg = if first {
            format!("complex() first argument must be a string or a number, not '{}'", type_name(o))
        } else {
            format!("complex() second argument must be a number, not '{}'", type_name(o))
        };
        return Err(vm.type_error(msg));
    }
    let re = crate::types::float::number_to_f64(vm, o)?;
    Ok((Complex { re, im: 0.0 }, false))
}

/// The length of the float (or `inf`/`nan`) at the start of `s`, if any.
fn float_prefix(s: &[u8]) -> usize {
    let mut i = 0;
    if matches!(s.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let rest = &s[i..];
    for word in [&b"infinity"[..], b"inf", b"nan"] {
        if rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word) {
            return i + word.len();
        }
    }
    let start = i;
    while s.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let int_digits = i - start;
    let mut frac_digits = 0;
    if s.get(i) == Some(&b'.') {
        let mut j = i + 1;
        while s.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        frac_digits = j - i - 1;
        if int_digits + frac_digits > 0 {
            i = j;
        }
    }
    if int_digits + frac_digits == 0 {
        return 0;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(s.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let d = j;
        while s.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        if j > d {
            i = j;
        }
    }
    i
}

/// Parses `complex(str)`'s grammar: `[(] real | imag j | real (+|-) imag j [)]`
/// with surrounding whitespace and single underscores between digits.
pub fn parse_complex_text(text: &str) -> Option<Complex> {
    let ascii = crate::types::int::numeric_text_to_ascii(text);
    let ws = |c: char| c.is_ascii_whitespace() || ('\x1c'..='\x1f').contains(&c);
    let mut s = ascii.trim_matches(ws);
    if let Some(inner) = s.strip_prefix('(') {
        s = inner.strip_suffix(')')?.trim_matches(ws);
    }
    let raw = s.as_bytes();
    let mut b = Vec::with_capacity(raw.len());
    for (i, &c) in raw.iter().enumerate() {
        if c == b'_' {
            if !(i > 0 && raw[i - 1].is_ascii_digit() && raw.get(i + 1).is_some_and(u8::is_ascii_digit)) {
                return None;
            }
            continue;
        }
        b.push(c);
    }
    let num = |t: &[u8]| std::str::from_utf8(t).ok()?.parse::<f64>().ok();
    let is_j = |c: Option<&u8>| matches!(c, Some(b'j' | b'J'));
    let n1 = float_prefix(&b);
    if n1 == 0 {
        // "j", "+j", "-j".
        return match &b[..] {
            [j] if is_j(Some(j)) => Some(Complex { re: 0.0, im: 1.0 }),
            [b'+', j] if is_j(Some(j)) => Some(Complex { re: 0.0, im: 1.0 }),
            [b'-', j] if is_j(Some(j)) => Some(Complex { re: 0.0, im: -1.0 }),
            _ => None,
        };
    }
    let x = num(&b[..n1])?;
    let rest = &b[n1..];
    if rest.is_empty() {
        return Some(Complex { re: x, im: 0.0 });
    }
    if is_j(rest.first()) && rest.len() == 1 {
        return Some(Complex { re: 0.0, im: x });
    }
    if !matches!(rest.first(), Some(b'+' | b'-')) {
        return None;
    }
    let n2 = float_prefix(rest);
    let (y, after) = if n2 == 0 { (if rest[0] == b'-' { -1.0 } else { 1.0 }, &rest[1..]) } else { (num(&rest[..n2])?, &rest[n2..]) };
    if after.len() == 1 && is_j(after.first()) {
        return Some(Complex { re: x, im: y });
    }
    None
}

// ---------------------------------------------------------------------------
// Methods.

pub static COMPLEX_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "conjugate",
        |vm, o, a, kw| {
            exact::<0>(vm, "conjugate", a, kw)?;
            let c = this(vm, o)?;
            Ok(new_complex(vm, c.re, -c.im))
        },
        "Return the complex conjugate of its argument. (3-4j).conjugate() == 3+4j.",
    ),
    MethodDef::method(
        "__complex__",
        |vm, o, a, kw| {
            exact::<0>(vm, "__complex__", a, kw)?;
            let c = this(vm, o)?;
            Ok(new_complex(vm, c.re, c.im))
        },
        "Convert this value to exact type complex.",
    ),
    MethodDef::method(
        "__getnewargs__",
        |vm, o, a, kw| {
            exact::<0>(vm, "__getnewargs__", a, kw)?;
            let c = this(vm, o)?;
            let parts = vec![alloc(vm.types.float.clone(), c.re), alloc(vm.types.float.clone(), c.im)];
            Ok(new_tuple(vm, parts))
        },
        "",
    ),
    MethodDef::method("__pow__", |vm, o, a, kw| complex_pow_method(vm, o, a, kw, false), "Return pow(self, value, mod)."),
    MethodDef::method("__rpow__", |vm, o, a, kw| complex_pow_method(vm, o, a, kw, true), "Return pow(value, self, mod)."),
];

pub static COMPLEX_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("real", |vm, o| Ok(alloc(vm.types.float.clone(), this(vm, o)?.re)), "the real part of a complex number"),
    GetSetDef::readonly("imag", |vm, o| Ok(alloc(vm.types.float.clone(), this(vm, o)?.im)), "the imaginary part of a complex number"),
];

crate::number_dunders!(COMPLEX_DUNDERS);

fn complex_pow_method(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs, reflected: bool) -> PyResult<Obj> {
    let (other, m) = crate::types::int::pow_method_args(vm, args, kw, reflected)?;
    if m.is_some_and(|m| !m.is(&vm.none)) {
        return Err(vm.new_error(&vm.types.value_error, "complex modulo"));
    }
    let (a, b) = if reflected { (other, o) } else { (o, other) };
    complex_binary(vm, BinaryOp::Power, a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(re: f64, im: f64) -> Option<Complex> {
        Some(Complex { re, im })
    }

    #[test]
    fn complex_text_grammar() {
        assert_eq!(parse_complex_text("1+2j"), c(1.0, 2.0));
        assert_eq!(parse_complex_text(" ( -1.5e3-J ) "), c(-1500.0, -1.0));
        assert_eq!(parse_complex_text("j"), c(0.0, 1.0));
        assert_eq!(parse_complex_text("-j"), c(0.0, -1.0));
        assert_eq!(parse_complex_text("3"), c(3.0, 0.0));
        assert_eq!(parse_complex_text("1_0j"), c(0.0, 10.0));
        assert_eq!(parse_complex_text("infj"), c(0.0, f64::INFINITY));
        assert_eq!(parse_complex_text("1+2"), None);
        assert_eq!(parse_complex_text("1+2j)"), None);
        assert_eq!(parse_complex_text("1 + 2j"), None);
        assert_eq!(parse_complex_text(""), None);
        assert_eq!(parse_complex_text("1e+j"), None);
    }

    #[test]
    fn division_and_powers() {
        assert_eq!(c_div(Complex { re: 1.0, im: 2.0 }, Complex { re: 3.0, im: 4.0 }), c(0.44, 0.08));
        assert_eq!(c_div(Complex { re: 1.0, im: 0.0 }, Complex { re: 0.0, im: 0.0 }), None);
        assert_eq!(c_powu(Complex { re: 0.0, im: 1.0 }, 2), Complex { re: -1.0, im: 0.0 });
    }
}
