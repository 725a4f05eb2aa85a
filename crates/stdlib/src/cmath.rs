//! `cmath`: CPython 3.11's complex math functions with its special-value
//! handling. For a non-finite argument each function answers from a 7×7
//! table indexed by the classes of the real and imaginary parts (−∞,
//! negative, −0, +0, positive, +∞, NaN), as `Modules/cmathmodule.c` does;
//! the few cells CPython computes (an infinite part against a finite
//! nonzero one in `exp`, `cosh`, `sinh`, `tanh`, `rect`) are computed the
//! same way. The tables were generated from CPython 3.11's results. Errors
//! are `ValueError("math domain error")` and
//! `OverflowError("math range error")`.

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{at_most, bind, exact, FunctionDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{new_str, new_tuple, type_name};
use taipan_vm::types::complex::{c_abs, c_div, new_complex, Complex};
use taipan_vm::types::{lookup, type_of, Kwargs};
use taipan_vm::{PyResult, Vm};

const INF: f64 = f64::INFINITY;
const N: f64 = f64::NAN;
const PI: f64 = std::f64::consts::PI;
const P12: f64 = std::f64::consts::FRAC_PI_2;
const P14: f64 = std::f64::consts::FRAC_PI_4;
const P34: f64 = 0.75 * std::f64::consts::PI;
const LN2: f64 = std::f64::consts::LN_2;
const LN10: f64 = std::f64::consts::LN_10;
const LARGE_DOUBLE: f64 = f64::MAX / 4.0;
/// `f64::MIN_POSITIVE` (`DBL_MIN`).
const DBL_MIN: f64 = f64::MIN_POSITIVE;
const MANT_DIG: i32 = 53;
const SCALE_UP: i32 = 2 * (MANT_DIG / 2) + 1;
const SCALE_DOWN: i32 = -(SCALE_UP + 1) / 2;

fn sqrt_large_double() -> f64 {
    LARGE_DOUBLE.sqrt()
}

fn log_large_double() -> f64 {
    LARGE_DOUBLE.ln()
}

fn sqrt_dbl_min() -> f64 {
    DBL_MIN.sqrt()
}

/// A function's outcome besides its value (CPython's `errno`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fail {
    Domain,
    Range,
}

type Res = Result<Complex, Fail>;

/// One table cell: a value, a domain error, or computed by the caller.
#[derive(Clone, Copy)]
enum Cell {
    V(f64, f64),
    D,
    F,
}
use Cell::{D, F, V};

type Table = [[Cell; 7]; 7];

/// The class of `x`: the table index.
fn class(x: f64) -> usize {
    if x.is_nan() {
        6
    } else if x.is_infinite() {
        if x > 0.0 {
            5
        } else {
            0
        }
    } else if x != 0.0 {
        if x > 0.0 {
            4
        } else {
            1
        }
    } else if x.is_sign_negative() {
        2
    } else {
        3
    }
}

fn c(re: f64, im: f64) -> Complex {
    Complex { re, im }
}

fn finite(z: Complex) -> bool {
    z.re.is_finite() && z.im.is_finite()
}

/// The table's answer for a non-finite `z` (`None` when the cell is one
/// the caller computes).
fn special(t: &Table, z: Complex) -> Option<Res> {
    match t[class(z.re)][class(z.im)] {
        V(re, im) => Some(Ok(c(re, im))),
        D => Some(Err(Fail::Domain)),
        F => None,
    }
}

fn ldexp(x: f64, e: i32) -> f64 {
    taipan_vm::types::float::ldexp(x, e as i64)
}

/// `asinh` as fdlibm (and glibc) compute it.
fn r_asinh(x: f64) -> f64 {
    if !x.is_finite() {
        return x + x;
    }
    let ax = x.abs();
    if ax < 3.725290298461914e-9 {
        return x;
    }
    let w = if ax > 268435456.0 {
        ax.ln() + LN2
    } else if ax > 2.0 {
        (2.0 * ax + 1.0 / ((x * x + 1.0).sqrt() + ax)).ln()
    } else {
        let t = x * x;
        (ax + t / (1.0 + (1.0 + t).sqrt())).ln_1p()
    };
    w.copysign(x)
}

fn c_sqrt(z: Complex) -> Complex {
    if !finite(z) {
        if let Some(Ok(r)) = special(&SQRT, z) {
            return r;
        }
    }
    if z.re == 0.0 && z.im == 0.0 {
        return c(0.0, z.im);
    }
    let mut ax = z.re.abs();
    let ay = z.im.abs();
    let s = if ax < DBL_MIN && ay < DBL_MIN {
        ax = ldexp(ax, SCALE_UP);
        ldexp((ax + ax.hypot(ldexp(ay, SCALE_UP))).sqrt(), SCALE_DOWN)
    } else {
        ax /= 8.0;
        2.0 * (ax + ax.hypot(ay / 8.0)).sqrt()
    };
    let d = ay / (2.0 * s);
    if z.re >= 0.0 {
        c(s, d.copysign(z.im))
    } else {
        c(d, s.copysign(z.im))
    }
}

fn c_acos(z: Complex) -> Res {
    if !finite(z) {
        if let Some(r) = special(&ACOS, z) {
            return r;
        }
    }
    if z.re.abs() > LARGE_DOUBLE || z.im.abs() > LARGE_DOUBLE {
        let re = z.im.abs().atan2(z.re);
        let l = (z.re / 2.0).hypot(z.im / 2.0).ln() + LN2 * 2.0;
        let im = if z.re < 0.0 { -l.copysign(z.im) } else { l.copysign(-z.im) };
        return Ok(c(re, im));
    }
    let s1 = c_sqrt(c(1.0 - z.re, -z.im));
    let s2 = c_sqrt(c(1.0 + z.re, z.im));
    Ok(c(2.0 * s1.re.atan2(s2.re), r_asinh(s2.re * s1.im - s2.im * s1.re)))
}

fn c_acosh(z: Complex) -> Res {
    if !finite(z) {
        if let Some(r) = special(&ACOSH, z) {
            return r;
        }
    }
    if z.re.abs() > LARGE_DOUBLE || z.im.abs() > LARGE_DOUBLE {
        let re = (z.re / 2.0).hypot(z.im / 2.0).ln() + LN2 * 2.0;
        return Ok(c(re, z.im.atan2(z.re)));
    }
    let s1 = c_sqrt(c(z.re - 1.0, z.im));
    let s2 = c_sqrt(c(z.re + 1.0, z.im));
    Ok(c(r_asinh(s1.re * s2.re + s1.im * s2.im), 2.0 * s1.im.atan2(s2.re)))
}

fn c_asinh(z: Complex) -> Res {
    if !finite(z) {
        if let Some(r) = special(&ASINH, z) {
            return r;
        }
    }
    if z.re.abs() > LARGE_DOUBLE || z.im.abs() > LARGE_DOUBLE {
        let l = (z.re / 2.0).hypot(z.im / 2.0).ln() + LN2 * 2.0;
        let re = if z.im >= 0.0 { l.copysign(z.re) } else { -l.copysign(-z.re) };
        return Ok(c(re, z.im.atan2(z.re.abs())));
    }
    let s1 = c_sqrt(c(1.0 + z.im, -z.re));
    let s2 = c_sqrt(c(1.0 - z.im, z.re));
    Ok(c(r_asinh(s1.re * s2.im - s2.re * s1.im), z.im.atan2(s1.re * s2.re - s1.im * s2.im)))
}

/// `-i f(i z)`: `asin`, `atan`, `sin`, `tan` from their hyperbolic twins.
fn rotated(f: fn(Complex) -> Res, z: Complex) -> Res {
    let s = f(c(-z.im, z.re))?;
    Ok(c(s.im, -s.re))
}

fn c_atanh(z: Complex) -> Res {
    if !finite(z) {
        if let Some(r) = special(&ATANH, z) {
            return r;
        }
    }
    if z.re < 0.0 {
        let r = c_atanh(c(-z.re, -z.im))?;
        return Ok(c(-r.re, -r.im));
    }
    let ay = z.im.abs();
    if z.re > sqrt_large_double() || ay > sqrt_large_double() {
        let h = (z.re / 2.0).hypot(z.im / 2.0);
        return Ok(c(z.re / 4.0 / h / h, -(P12.copysign(-z.im))));
    }
    if z.re == 1.0 && ay < sqrt_dbl_min() {
        if ay == 0.0 {
            return Err(Fail::Domain);
        }
        let re = -(ay.sqrt() / ay.hypot(2.0).sqrt()).ln();
        return Ok(c(re, ((2.0f64).atan2(-ay) / 2.0).copysign(z.im)));
    }
    let re = (4.0 * z.re / ((1.0 - z.re) * (1.0 - z.re) + ay * ay)).ln_1p() / 4.0;
    let im = -(-2.0 * z.im).atan2((1.0 - z.re) * (1.0 + z.re) - ay * ay) / 2.0;
    Ok(c(re, im))
}

fn range_check(r: Complex) -> Res {
    if r.re.is_infinite() || r.im.is_infinite() {
        Err(Fail::Range)
    } else {
        Ok(r)
    }
}

fn c_cosh(z: Complex) -> Res {
    if !finite(z) {
        let r = if z.re.is_infinite() && z.im.is_finite() && z.im != 0.0 {
            let re = INF.copysign(z.im.cos());
            let im = INF.copysign(z.im.sin());
            Ok(if z.re > 0.0 { c(re, im) } else { c(re, -im) })
        } else {
            special(&COSH, z).unwrap_or(Ok(c(N, N)))
        };
        return r;
    }
    if z.re.abs() > log_large_double() {
        let x = z.re - 1.0f64.copysign(z.re);
        return range_check(c(z.im.cos() * x.cosh() * std::f64::consts::E, z.im.sin() * x.sinh() * std::f64::consts::E));
    }
    range_check(c(z.im.cos() * z.re.cosh(), z.im.sin() * z.re.sinh()))
}

fn c_sinh(z: Complex) -> Res {
    if !finite(z) {
        return if z.re.is_infinite() && z.im.is_finite() && z.im != 0.0 {
            let re = INF.copysign(z.im.cos());
            let im = INF.copysign(z.im.sin());
            Ok(if z.re > 0.0 { c(re, im) } else { c(-re, im) })
        } else {
            special(&SINH, z).unwrap_or(Ok(c(N, N)))
        };
    }
    if z.re.abs() > log_large_double() {
        let x = z.re - 1.0f64.copysign(z.re);
        return range_check(c(z.im.cos() * x.sinh() * std::f64::consts::E, z.im.sin() * x.cosh() * std::f64::consts::E));
    }
    range_check(c(z.im.cos() * z.re.sinh(), z.im.sin() * z.re.cosh()))
}

fn c_tanh(z: Complex) -> Res {
    if !finite(z) {
        return if z.re.is_infinite() && z.im.is_finite() && z.im != 0.0 {
            let im = 0.0f64.copysign(2.0 * z.im.sin() * z.im.cos());
            Ok(c(if z.re > 0.0 { 1.0 } else { -1.0 }, im))
        } else {
            special(&TANH, z).unwrap_or(Ok(c(N, N)))
        };
    }
    if z.re.abs() > log_large_double() {
        return Ok(c(1.0f64.copysign(z.re), 4.0 * z.im.sin() * z.im.cos() * (-2.0 * z.re.abs()).exp()));
    }
    let tx = z.re.tanh();
    let ty = z.im.tan();
    let cx = 1.0 / z.re.cosh();
    let txty = tx * ty;
    let denom = 1.0 + txty * txty;
    Ok(c(tx * (1.0 + ty * ty) / denom, ((ty / denom) * cx) * cx))
}

fn c_exp(z: Complex) -> Res {
    if !finite(z) {
        return if z.re.is_infinite() && z.im.is_finite() && z.im != 0.0 {
            Ok(if z.re > 0.0 {
                c(INF.copysign(z.im.cos()), INF.copysign(z.im.sin()))
            } else {
                c(0.0f64.copysign(z.im.cos()), 0.0f64.copysign(z.im.sin()))
            })
        } else {
            special(&EXP, z).unwrap_or(Ok(c(N, N)))
        };
    }
    if z.re > log_large_double() {
        let l = (z.re - 1.0).exp();
        return range_check(c(l * z.im.cos() * std::f64::consts::E, l * z.im.sin() * std::f64::consts::E));
    }
    let l = z.re.exp();
    range_check(c(l * z.im.cos(), l * z.im.sin()))
}

fn c_log(z: Complex) -> Res {
    match c_log_raw(z) {
        (r, None) => Ok(r),
        (_, Some(f)) => Err(f),
    }
}

/// `c_log` with its value even when it fails (`log(0)` is `-inf` with a
/// domain error, which `log(0, base)` does not report: CPython's errno is
/// reset by the base's logarithm).
fn c_log_raw(z: Complex) -> (Complex, Option<Fail>) {
    if !finite(z) {
        match special(&LOG, z) {
            Some(Ok(r)) => return (r, None),
            Some(Err(f)) => return (c(N, N), Some(f)),
            None => {}
        }
    }
    let ax = z.re.abs();
    let ay = z.im.abs();
    let re = if ax > LARGE_DOUBLE || ay > LARGE_DOUBLE {
        (ax / 2.0).hypot(ay / 2.0).ln() + LN2
    } else if ax < DBL_MIN && ay < DBL_MIN {
        if ax > 0.0 || ay > 0.0 {
            ldexp(ax, MANT_DIG).hypot(ldexp(ay, MANT_DIG)).ln() - MANT_DIG as f64 * LN2
        } else {
            return (c(-INF, z.im.atan2(z.re)), Some(Fail::Domain));
        }
    } else {
        let h = ax.hypot(ay);
        if (0.71..=1.73).contains(&h) {
            let (am, an) = if ax > ay { (ax, ay) } else { (ay, ax) };
            ((am - 1.0) * (am + 1.0) + an * an).ln_1p() / 2.0
        } else {
            h.ln()
        }
    };
    (c(re, z.im.atan2(z.re)), None)
}

fn c_log10(z: Complex) -> Res {
    let r = c_log(z)?;
    Ok(c(r.re / LN10, r.im / LN10))
}

/// `phase`: `atan2(imag, real)` with CPython's answers for infinities
/// and NaNs.
fn c_atan2(z: Complex) -> f64 {
    if z.re.is_nan() || z.im.is_nan() {
        return N;
    }
    if z.im.is_infinite() {
        if z.re.is_infinite() {
            return if z.re.is_sign_positive() { (0.25 * PI).copysign(z.im) } else { (0.75 * PI).copysign(z.im) };
        }
        return (0.5 * PI).copysign(z.im);
    }
    if z.re.is_infinite() || z.im == 0.0 {
        return if z.re.is_sign_positive() { 0.0f64.copysign(z.im) } else { PI.copysign(z.im) };
    }
    z.im.atan2(z.re)
}

fn c_rect(r: f64, phi: f64) -> Res {
    if !r.is_finite() || !phi.is_finite() {
        if r.is_infinite() && phi.is_finite() && phi != 0.0 {
            let (re, im) = (INF.copysign(phi.cos()), INF.copysign(phi.sin()));
            return Ok(if r > 0.0 { c(re, im) } else { c(-re, -im) });
        }
        return special(&RECT, c(r, phi)).unwrap_or(Ok(c(N, N)));
    }
    if phi == 0.0 {
        return Ok(c(r, r * phi));
    }
    Ok(c(r * phi.cos(), r * phi.sin()))
}

// Arguments and errors ------------------------------------------------------

/// `PyComplex_AsCComplex`: complex numbers, `__complex__`, then anything
/// `float()` accepts through `__float__`/`__index__`.
fn to_complex(vm: &Vm, o: &Obj) -> PyResult<Complex> {
    let ty = type_of(o);
    if let Some(z) = o.downcast::<Complex>() {
        if ty.is(&vm.types.complex) {
            return Ok(*z);
        }
    }
    if let Some(f) = lookup(&ty, "__complex__") {
        let r = crate::util::call(vm, &f, std::slice::from_ref(o))?;
        return match r.downcast::<Complex>() {
            Some(z) => Ok(*z),
            None => Err(vm.type_error(format!("__complex__ returned non-complex (type {})", type_name(&r)))),
        };
    }
    if let Some(z) = o.downcast::<Complex>() {
        return Ok(*z);
    }
    Ok(c(to_f64(vm, o)?, 0.0))
}

use taipan_vm::types::float::as_double as to_f64;

fn fail(vm: &Vm, f: Fail) -> taipan_vm::PyErr {
    match f {
        Fail::Domain => vm.new_error(&vm.types.value_error, "math domain error"),
        Fail::Range => vm.new_error(&vm.types.overflow_error, "math range error"),
    }
}

fn result(vm: &Vm, r: Res) -> PyResult<Obj> {
    match r {
        Ok(z) => Ok(new_complex(vm, z.re, z.im)),
        Err(f) => Err(fail(vm, f)),
    }
}

fn float(vm: &Vm, x: f64) -> Obj {
    alloc(vm.types.float.clone(), x)
}

macro_rules! unary {
    ($name:ident, $qual:literal, $f:expr) => {
        fn $name(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
            let [z] = exact::<1>(vm, $qual, args, kw)?;
            let z = to_complex(vm, &z)?;
            let f: fn(Complex) -> Res = $f;
            result(vm, f(z))
        }
    };
}

unary!(m_acos, "cmath.acos", c_acos);
unary!(m_acosh, "cmath.acosh", c_acosh);
unary!(m_asin, "cmath.asin", |z| rotated(c_asinh, z));
unary!(m_asinh, "cmath.asinh", c_asinh);
unary!(m_atan, "cmath.atan", |z| rotated(c_atanh, z));
unary!(m_atanh, "cmath.atanh", c_atanh);
unary!(m_cos, "cmath.cos", |z| c_cosh(c(-z.im, z.re)));
unary!(m_cosh, "cmath.cosh", c_cosh);
unary!(m_exp, "cmath.exp", c_exp);
unary!(m_log10, "cmath.log10", c_log10);
unary!(m_sin, "cmath.sin", |z| rotated(c_sinh, z));
unary!(m_sinh, "cmath.sinh", c_sinh);
unary!(m_sqrt, "cmath.sqrt", |z| Ok(c_sqrt(z)));
unary!(m_tan, "cmath.tan", |z| rotated(c_tanh, z));
unary!(m_tanh, "cmath.tanh", c_tanh);

fn m_log(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [z, base] = at_most::<2>(vm, "log", 1, args, kw)?;
    let z = to_complex(vm, z.as_ref().unwrap_or(&vm.none))?;
    let (x, mut err) = c_log_raw(z);
    let mut r = x;
    if let Some(b) = base {
        let (y, e) = c_log_raw(to_complex(vm, &b)?);
        err = e;
        match c_div(x, y) {
            Some(q) => r = q,
            None => err = Some(Fail::Domain),
        }
    }
    let r = match err {
        Some(f) => Err(f),
        None => Ok(r),
    };
    result(vm, r)
}

fn m_phase(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [z] = exact::<1>(vm, "cmath.phase", args, kw)?;
    Ok(float(vm, c_atan2(to_complex(vm, &z)?)))
}

fn m_polar(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [z] = exact::<1>(vm, "cmath.polar", args, kw)?;
    let z = to_complex(vm, &z)?;
    let r = c_abs(z);
    if r.is_infinite() && finite(z) {
        return Err(fail(vm, Fail::Range));
    }
    Ok(new_tuple(vm, vec![float(vm, r), float(vm, c_atan2(z))]))
}

fn m_rect(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [r, phi] = exact::<2>(vm, "rect", args, kw)?;
    let r = to_f64(vm, &r)?;
    let phi = to_f64(vm, &phi)?;
    result(vm, c_rect(r, phi))
}

fn m_isfinite(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [z] = exact::<1>(vm, "cmath.isfinite", args, kw)?;
    Ok(vm.bool(finite(to_complex(vm, &z)?)))
}

fn m_isinf(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [z] = exact::<1>(vm, "cmath.isinf", args, kw)?;
    let z = to_complex(vm, &z)?;
    Ok(vm.bool(z.re.is_infinite() || z.im.is_infinite()))
}

fn m_isnan(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [z] = exact::<1>(vm, "cmath.isnan", args, kw)?;
    let z = to_complex(vm, &z)?;
    Ok(vm.bool(z.re.is_nan() || z.im.is_nan()))
}

static ISCLOSE: Params = Params { fname: "isclose", names: &["a", "b", "rel_tol", "abs_tol"], posonly: 0, kwonly: 2, required: 2 };

fn m_isclose(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [a, b, rel, abs] = bind::<4>(vm, &ISCLOSE, args, kw)?;
    let a = to_complex(vm, a.as_ref().unwrap_or(&vm.none))?;
    let b = to_complex(vm, b.as_ref().unwrap_or(&vm.none))?;
    let rel = match rel {
        Some(r) => to_f64(vm, &r)?,
        None => 1e-9,
    };
    let abs = match abs {
        Some(r) => to_f64(vm, &r)?,
        None => 0.0,
    };
    if rel < 0.0 || abs < 0.0 {
        return Err(vm.new_error(&vm.types.value_error, "tolerances must be non-negative"));
    }
    if a.re == b.re && a.im == b.im {
        return Ok(vm.bool(true));
    }
    if a.re.is_infinite() || a.im.is_infinite() || b.re.is_infinite() || b.im.is_infinite() {
        return Ok(vm.bool(false));
    }
    let diff = c_abs(c(a.re - b.re, a.im - b.im));
    let close = (diff <= rel * c_abs(b)) || (diff <= rel * c_abs(a)) || diff <= abs;
    Ok(vm.bool(close))
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("acos", m_acos, "Return the arc cosine of z."),
    FunctionDef::new("acosh", m_acosh, "Return the inverse hyperbolic cosine of z."),
    FunctionDef::new("asin", m_asin, "Return the arc sine of z."),
    FunctionDef::new("asinh", m_asinh, "Return the inverse hyperbolic sine of z."),
    FunctionDef::new("atan", m_atan, "Return the arc tangent of z."),
    FunctionDef::new("atanh", m_atanh, "Return the inverse hyperbolic tangent of z."),
    FunctionDef::new("cos", m_cos, "Return the cosine of z."),
    FunctionDef::new("cosh", m_cosh, "Return the hyperbolic cosine of z."),
    FunctionDef::new("exp", m_exp, "Return the exponential value e**z."),
    FunctionDef::new("isclose", m_isclose, "Determine whether two complex numbers are close in value."),
    FunctionDef::new("isfinite", m_isfinite, "Return True if both the real and imaginary parts of z are finite, else False."),
    FunctionDef::new("isinf", m_isinf, "Checks if the real or imaginary part of z is infinite."),
    FunctionDef::new("isnan", m_isnan, "Checks if the real or imaginary part of z not a number (NaN)."),
    FunctionDef::new("log", m_log, "log(z[, base]) -> the logarithm of z to the given base."),
    FunctionDef::new("log10", m_log10, "Return the base-10 logarithm of z."),
    FunctionDef::new("phase", m_phase, "Return argument, also known as the phase angle, of a complex."),
    FunctionDef::new("polar", m_polar, "Convert a complex from rectangular coordinates to polar coordinates."),
    FunctionDef::new("rect", m_rect, "Convert from polar coordinates to rectangular coordinates."),
    FunctionDef::new("sin", m_sin, "Return the sine of z."),
    FunctionDef::new("sinh", m_sinh, "Return the hyperbolic sine of z."),
    FunctionDef::new("sqrt", m_sqrt, "Return the square root of z."),
    FunctionDef::new("tan", m_tan, "Return the tangent of z."),
    FunctionDef::new("tanh", m_tanh, "Return the hyperbolic tangent of z."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "__doc__", new_str(vm, "This module provides access to mathematical functions for complex\nnumbers."))?;
    add_attr(vm, m, "pi", float(vm, PI))?;
    add_attr(vm, m, "e", float(vm, std::f64::consts::E))?;
    add_attr(vm, m, "tau", float(vm, std::f64::consts::TAU))?;
    add_attr(vm, m, "inf", float(vm, INF))?;
    add_attr(vm, m, "infj", new_complex(vm, 0.0, INF))?;
    add_attr(vm, m, "nan", float(vm, N))?;
    add_attr(vm, m, "nanj", new_complex(vm, 0.0, N))?;
    Ok(())
}

// Special-value tables (rows: the real part's class, columns: the
// imaginary part's; for `RECT`, the modulus and the phase).

static ACOS: Table = [
    [V(P34, INF), V(PI, INF), V(PI, INF), V(PI, -INF), V(PI, -INF), V(P34, -INF), V(N, INF)],
    [V(P12, INF), F, F, F, F, V(P12, -INF), V(N, N)],
    [V(P12, INF), F, F, F, F, V(P12, -INF), V(P12, N)],
    [V(P12, INF), F, F, F, F, V(P12, -INF), V(P12, N)],
    [V(P12, INF), F, F, F, F, V(P12, -INF), V(N, N)],
    [V(P14, INF), V(0.0, INF), V(0.0, INF), V(0.0, -INF), V(0.0, -INF), V(P14, -INF), V(N, INF)],
    [V(N, INF), V(N, N), V(N, N), V(N, N), V(N, N), V(N, -INF), V(N, N)],
];

static ACOSH: Table = [
    [V(INF, -P34), V(INF, -PI), V(INF, -PI), V(INF, PI), V(INF, PI), V(INF, P34), V(INF, N)],
    [V(INF, -P12), F, F, F, F, V(INF, P12), V(N, N)],
    [V(INF, -P12), F, F, F, F, V(INF, P12), V(N, N)],
    [V(INF, -P12), F, F, F, F, V(INF, P12), V(N, N)],
    [V(INF, -P12), F, F, F, F, V(INF, P12), V(N, N)],
    [V(INF, -P14), V(INF, -0.0), V(INF, -0.0), V(INF, 0.0), V(INF, 0.0), V(INF, P14), V(INF, N)],
    [V(INF, N), V(N, N), V(N, N), V(N, N), V(N, N), V(INF, N), V(N, N)],
];

static ASINH: Table = [
    [V(-INF, -P14), V(-INF, -0.0), V(-INF, -0.0), V(-INF, 0.0), V(-INF, 0.0), V(-INF, P14), V(-INF, N)],
    [V(-INF, -P12), F, F, F, F, V(-INF, P12), V(N, N)],
    [V(-INF, -P12), F, F, F, F, V(-INF, P12), V(N, N)],
    [V(INF, -P12), F, F, F, F, V(INF, P12), V(N, N)],
    [V(INF, -P12), F, F, F, F, V(INF, P12), V(N, N)],
    [V(INF, -P14), V(INF, -0.0), V(INF, -0.0), V(INF, 0.0), V(INF, 0.0), V(INF, P14), V(INF, N)],
    [V(INF, N), V(N, N), V(N, -0.0), V(N, 0.0), V(N, N), V(INF, N), V(N, N)],
];

static ATANH: Table = [
    [V(-0.0, -P12), V(-0.0, -P12), V(-0.0, -P12), V(-0.0, P12), V(-0.0, P12), V(-0.0, P12), V(-0.0, N)],
    [V(-0.0, -P12), F, F, F, F, V(-0.0, P12), V(N, N)],
    [V(-0.0, -P12), F, F, F, F, V(-0.0, P12), V(-0.0, N)],
    [V(0.0, -P12), F, F, F, F, V(0.0, P12), V(0.0, N)],
    [V(0.0, -P12), F, F, F, F, V(0.0, P12), V(N, N)],
    [V(0.0, -P12), V(0.0, -P12), V(0.0, -P12), V(0.0, P12), V(0.0, P12), V(0.0, P12), V(0.0, N)],
    [V(0.0, -P12), V(N, N), V(N, N), V(N, N), V(N, N), V(0.0, P12), V(N, N)],
];

static COSH: Table = [
    [D, F, V(INF, 0.0), V(INF, -0.0), F, D, V(INF, N)],
    [D, F, F, F, F, D, V(N, N)],
    [D, F, F, F, F, D, V(N, 0.0)],
    [D, F, F, F, F, D, V(N, 0.0)],
    [D, F, F, F, F, D, V(N, N)],
    [D, F, V(INF, -0.0), V(INF, 0.0), F, D, V(INF, N)],
    [V(N, N), V(N, N), V(N, 0.0), V(N, 0.0), V(N, N), V(N, N), V(N, N)],
];

static EXP: Table = [
    [V(0.0, 0.0), F, V(0.0, -0.0), V(0.0, 0.0), F, V(0.0, 0.0), V(0.0, 0.0)],
    [D, F, F, F, F, D, V(N, N)],
    [D, F, F, F, F, D, V(N, N)],
    [D, F, F, F, F, D, V(N, N)],
    [D, F, F, F, F, D, V(N, N)],
    [D, F, V(INF, -0.0), V(INF, 0.0), F, D, V(INF, N)],
    [V(N, N), V(N, N), V(N, -0.0), V(N, 0.0), V(N, N), V(N, N), V(N, N)],
];

static LOG: Table = [
    [V(INF, -P34), V(INF, -PI), V(INF, -PI), V(INF, PI), V(INF, PI), V(INF, P34), V(INF, N)],
    [V(INF, -P12), F, F, F, F, V(INF, P12), V(N, N)],
    [V(INF, -P12), F, F, F, F, V(INF, P12), V(N, N)],
    [V(INF, -P12), F, F, F, F, V(INF, P12), V(N, N)],
    [V(INF, -P12), F, F, F, F, V(INF, P12), V(N, N)],
    [V(INF, -P14), V(INF, -0.0), V(INF, -0.0), V(INF, 0.0), V(INF, 0.0), V(INF, P14), V(INF, N)],
    [V(INF, N), V(N, N), V(N, N), V(N, N), V(N, N), V(INF, N), V(N, N)],
];

static SINH: Table = [
    [D, F, V(-INF, -0.0), V(-INF, 0.0), F, D, V(INF, N)],
    [D, F, F, F, F, D, V(N, N)],
    [D, F, F, F, F, D, V(0.0, N)],
    [D, F, F, F, F, D, V(0.0, N)],
    [D, F, F, F, F, D, V(N, N)],
    [D, F, V(INF, -0.0), V(INF, 0.0), F, D, V(INF, N)],
    [V(N, N), V(N, N), V(N, -0.0), V(N, 0.0), V(N, N), V(N, N), V(N, N)],
];

static SQRT: Table = [
    [V(INF, -INF), V(0.0, -INF), V(0.0, -INF), V(0.0, INF), V(0.0, INF), V(INF, INF), V(N, INF)],
    [V(INF, -INF), F, F, F, F, V(INF, INF), V(N, N)],
    [V(INF, -INF), F, F, F, F, V(INF, INF), V(N, N)],
    [V(INF, -INF), F, F, F, F, V(INF, INF), V(N, N)],
    [V(INF, -INF), F, F, F, F, V(INF, INF), V(N, N)],
    [V(INF, -INF), V(INF, -0.0), V(INF, -0.0), V(INF, 0.0), V(INF, 0.0), V(INF, INF), V(INF, N)],
    [V(INF, -INF), V(N, N), V(N, N), V(N, N), V(N, N), V(INF, INF), V(N, N)],
];

static TANH: Table = [
    [V(-1.0, 0.0), F, V(-1.0, -0.0), V(-1.0, 0.0), F, V(-1.0, 0.0), V(-1.0, 0.0)],
    [D, F, F, F, F, D, V(N, N)],
    [D, F, F, F, F, D, V(N, N)],
    [D, F, F, F, F, D, V(N, N)],
    [D, F, F, F, F, D, V(N, N)],
    [V(1.0, 0.0), F, V(1.0, -0.0), V(1.0, 0.0), F, V(1.0, 0.0), V(1.0, 0.0)],
    [V(N, N), V(N, N), V(N, -0.0), V(N, 0.0), V(N, N), V(N, N), V(N, N)],
];

static RECT: Table = [
    [D, F, V(-INF, 0.0), V(-INF, -0.0), F, D, V(INF, N)],
    [D, F, F, F, F, D, V(N, N)],
    [V(0.0, 0.0), F, F, F, F, V(0.0, 0.0), V(0.0, 0.0)],
    [V(0.0, 0.0), F, F, F, F, V(0.0, 0.0), V(0.0, 0.0)],
    [D, F, F, F, F, D, V(N, N)],
    [D, F, V(INF, -0.0), V(INF, 0.0), F, D, V(INF, N)],
    [V(N, N), V(N, N), V(N, 0.0), V(N, 0.0), V(N, N), V(N, N), V(N, N)],
];

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: f64, b: f64) -> bool {
        (a.is_nan() && b.is_nan()) || (a == b && a.is_sign_negative() == b.is_sign_negative())
    }

    #[test]
    fn classes() {
        let got: Vec<usize> = [-INF, -1.0, -0.0, 0.0, 1e-300, INF, N].iter().map(|&x| class(x)).collect();
        assert_eq!(got, vec![0, 1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn sqrt_branch_cut_keeps_the_zero_sign() {
        let r = c_sqrt(c(-4.0, 0.0));
        assert!(same(r.re, 0.0) && same(r.im, 2.0));
        let r = c_sqrt(c(-4.0, -0.0));
        assert!(same(r.re, 0.0) && same(r.im, -2.0));
        let r = c_sqrt(c(5e-324, 0.0));
        assert!(r.re > 0.0 && same(r.im, 0.0));
    }

    #[test]
    fn domain_and_range_errors() {
        assert_eq!(c_log(c(0.0, 0.0)), Err(Fail::Domain));
        assert_eq!(c_atanh(c(1.0, 0.0)), Err(Fail::Domain));
        assert_eq!(c_exp(c(1000.0, 0.0)), Err(Fail::Range));
        assert_eq!(c_cosh(c(1.0, INF)), Err(Fail::Domain));
        // The base's logarithm resets the error of `log(0)`.
        assert!(c_log_raw(c(0.0, 0.0)).0.re == -INF);
    }

    #[test]
    fn computed_cells_follow_the_phase() {
        let r = c_exp(c(INF, 2.0)).unwrap();
        assert!(r.re == -INF && r.im == INF);
        let r = c_rect(-INF, 1.0).unwrap();
        assert!(r.re == -INF && r.im == -INF);
    }

    #[test]
    fn asinh_is_odd_and_exact_at_small_values() {
        assert_eq!(r_asinh(1e-10), 1e-10);
        assert_eq!(r_asinh(-3.0), -r_asinh(3.0));
        assert!((r_asinh(1e300) - (1e300f64.ln() + LN2)).abs() < 1e-12);
    }
}
