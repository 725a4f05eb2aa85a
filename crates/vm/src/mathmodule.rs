//! The `math` module, with CPython's error conventions: a NaN result from
//! a non-NaN argument is `ValueError("math domain error")`, an infinite
//! result from finite arguments is `OverflowError("math range error")` for
//! functions that can overflow (else a domain error). Integer functions
//! (`factorial`, `gcd`, `comb`, `isqrt`, ...) are exact on big ints;
//! `fsum` is exactly rounded. `gamma`/`lgamma` use a Lanczos
//! approximation of our own (a few ulps from CPython's), `erf`/`erfc` the
//! `libm` crate.

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use crate::function::new_builtin_function;
use crate::native::{bind, no_kwargs, Params};
use crate::object::{alloc, Obj};
use crate::types::builtin::{self, new_int_big, type_name, IntData};
use crate::types::float::{frexp, ldexp};
use crate::types::Kwargs;
use crate::vm::Vm;
use crate::{ops, PyResult};

fn float(vm: &Vm, f: f64) -> Obj {
    alloc(vm.types.float.clone(), f)
}

fn domain(vm: &Vm) -> crate::PyErr {
    vm.new_error(&vm.types.value_error, "math domain error")
}

fn range(vm: &Vm) -> crate::PyErr {
    vm.new_error(&vm.types.overflow_error, "math range error")
}

use crate::types::float::as_double as float_arg;

/// An integer argument through `__index__`.
fn int_arg(vm: &Vm, o: &Obj) -> PyResult<BigInt> {
    let i = ops::index(vm, o)?;
    Ok(i.downcast::<IntData>().map(IntData::to_big).unwrap_or_default())
}

fn one<'a>(vm: &Vm, name: &str, a: &'a [Obj], kw: Kwargs) -> PyResult<&'a Obj> {
    no_kwargs(vm, name, kw)?;
    match a {
        [x] => Ok(x),
        _ => Err(vm.type_error(format!("math.{name}() takes exactly one argument ({} given)", a.len()))),
    }
}

fn two<'a>(vm: &Vm, name: &str, a: &'a [Obj], kw: Kwargs) -> PyResult<(&'a Obj, &'a Obj)> {
    no_kwargs(vm, name, kw)?;
    match a {
        [x, y] => Ok((x, y)),
        _ => Err(vm.type_error(format!("{name} expected 2 arguments, got {}", a.len()))),
    }
}

/// CPython's `math_1`: applies `f`, mapping NaN and infinite results to
/// errors.
fn math_1(vm: &Vm, x: f64, f: fn(f64) -> f64, can_overflow: bool) -> PyResult<Obj> {
    let r = f(x);
    if r.is_nan() && !x.is_nan() {
        return Err(domain(vm));
    }
    if r.is_infinite() && x.is_finite() {
        return Err(if can_overflow { range(vm) } else { domain(vm) });
    }
    Ok(float(vm, r))
}

macro_rules! unary_fns {
    ($items:ident, $vm:ident, $($name:literal => ($f:expr, $ovf:expr)),* $(,)?) => {
        $(
            $items.push(($name, new_builtin_function($vm, $name, |vm, a, kw| {
                let x = float_arg(vm, one(vm, $name, a, kw)?)?;
                let f: fn(f64) -> f64 = $f;
                math_1(vm, x, f, $ovf)
            })));
        )*
    };
}

/// `log(x)` for ints of any size and floats (`None`: domain error).
fn log_of(vm: &Vm, o: &Obj, f: fn(f64) -> f64) -> PyResult<f64> {
    if let Some(IntData::Big(b)) = o.downcast::<IntData>() {
        if !b.is_positive() {
            return Err(domain(vm));
        }
        // Too large for a float: x = m * 2**e with m in [0.5, 1) (rounded
        // to a double, as `_PyLong_Frexp`), log(x) = log(m) + log(2) * e.
        if b.to_f64().is_none_or(|f| !f.is_finite()) {
            let e = b.bits() as i64;
            let top = (b >> (e - 64) as usize).to_f64().unwrap_or(1.0);
            let m = top / 18446744073709551616.0;
            return Ok(f(m) + f(2.0) * e as f64);
        }
    }
    let x = float_arg(vm, o)?;
    if x.is_nan() {
        return Ok(x);
    }
    if x <= 0.0 {
        return Err(domain(vm));
    }
    Ok(f(x))
}

fn math_log(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "log", kw)?;
    let (x, base) = match a {
        [x] => (x, None),
        [x, b] => (x, Some(b)),
        [] => return Err(vm.type_error("log expected at least 1 argument, got 0")),
        _ => return Err(vm.type_error(format!("log expected at most 2 arguments, got {}", a.len()))),
    };
    let num = log_of(vm, x, f64::ln)?;
    match base {
        None => Ok(float(vm, num)),
        Some(b) => {
            let den = log_of(vm, b, f64::ln)?;
            if den == 0.0 {
                return Err(vm.new_error(&vm.types.zero_division_error, "float division by zero"));
            }
            Ok(float(vm, num / den))
        }
    }
}

/// `floor`/`ceil`: ints as they are, floats to an int, else the
/// `__floor__`/`__ceil__` method, else through float.
fn rounding(vm: &Vm, a: &[Obj], kw: Kwargs, name: &str, dunder: &str, f: fn(f64) -> f64) -> PyResult<Obj> {
    let x = one(vm, name, a, kw)?;
    // A float subclass may define its own `__ceil__`/`__floor__`.
    if let Some(v) = x.downcast::<f64>().filter(|_| std::ptr::eq(x.type_ptr(), vm.types.float.as_ptr())) {
        return builtin::float_to_int(vm, f(*v));
    }
    if let Some(d) = x.downcast::<IntData>() {
        if std::ptr::eq(x.type_ptr(), vm.types.int.as_ptr()) || std::ptr::eq(x.type_ptr(), vm.types.bool_.as_ptr()) {
            return Ok(builtin::int_from_data(vm, d));
        }
    }
    if let Some(m) = crate::types::lookup(&crate::types::type_of(x), dunder) {
        return crate::classes::call_special(vm, &m, x, &[], &[]);
    }
    builtin::float_to_int(vm, f(float_arg(vm, x)?))
}

/// Exactly rounded sum of floats (Shewchuk's partials, then a correction
/// of the final rounding toward the neglected partials).
pub fn fsum(values: &[f64]) -> Result<f64, &'static str> {
    let mut partials: Vec<f64> = Vec::new();
    let (mut special, mut infs) = (0.0f64, 0.0f64);
    for &v in values {
        if !v.is_finite() {
            if v.is_infinite() {
                infs += v;
            }
            special += v;
            continue;
        }
        let mut x = v;
        let mut kept = 0;
        for j in 0..partials.len() {
            let mut y = partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                partials[kept] = lo;
                kept += 1;
            }
            x = hi;
        }
        if !x.is_finite() {
            return Err("intermediate overflow in fsum");
        }
        partials.truncate(kept);
        partials.push(x);
    }
    if special != 0.0 {
        if infs.is_nan() {
            return Err("-inf + inf in fsum");
        }
        return Ok(special);
    }
    let mut n = partials.len();
    let mut hi = 0.0;
    if n > 0 {
        n -= 1;
        hi = partials[n];
        let mut lo = 0.0;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = partials[n];
            hi = x + y;
            lo = y - (hi - x);
            if lo != 0.0 {
                break;
            }
        }
        // Round half-even correctly when the rest of the partials push
        // a tie one way.
        if n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            if y == x - hi {
                hi = x;
            }
        }
    }
    Ok(hi)
}

/// The Euclidean norm, accurately: scaled by the largest magnitude, the
/// squares summed exactly (each split into a high and low part by
/// `mul_add`) and rounded once, then the square root.
/// acosh by the C library's (fdlibm's) formulas: near 1 through `log1p`
/// of the small difference, where Rust's `f64::acosh` loses most digits
/// (CPython calls the C library).
fn acosh(x: f64) -> f64 {
    if x.is_nan() || x < 1.0 {
        f64::NAN
    } else if x > 268_435_456.0 {
        // 2**28: x*x would only add rounding.
        x.ln() + std::f64::consts::LN_2
    } else if x > 2.0 {
        (2.0 * x - 1.0 / (x + (x * x - 1.0).sqrt())).ln()
    } else {
        let t = x - 1.0;
        (t + (2.0 * t + t * t).sqrt()).ln_1p()
    }
}

/// atanh by fdlibm's formulas (Rust's `f64::atanh` is inaccurate near ±1);
/// ±1 gives ±inf and beyond is NaN, which the caller turns into errors.
fn atanh(x: f64) -> f64 {
    let a = x.abs();
    let r = if a.is_nan() || a > 1.0 {
        f64::NAN
    } else if a == 1.0 {
        f64::INFINITY
    } else if a < 3.725_290_298_461_914e-9 {
        // 2**-28: atanh(x) = x to double precision.
        a
    } else if a < 0.5 {
        let t = a + a;
        0.5 * (t + t * a / (1.0 - a)).ln_1p()
    } else {
        0.5 * ((a + a) / (1.0 - a)).ln_1p()
    };
    r.copysign(x)
}

fn vector_norm(v: &[f64]) -> f64 {
    let mut max = 0.0f64;
    let mut nan = false;
    for &x in v {
        let a = x.abs();
        nan |= a.is_nan();
        if a > max {
            max = a;
        }
    }
    if max.is_infinite() {
        return max;
    }
    if nan {
        return f64::NAN;
    }
    if max == 0.0 || v.len() <= 1 {
        return max;
    }
    let (_, e) = frexp(max);
    let mut terms = Vec::with_capacity(2 * v.len());
    for &x in v {
        let s = ldexp(x.abs(), -(e as i64));
        let hi = s * s;
        terms.push(hi);
        terms.push(s.mul_add(s, -hi));
    }
    let sum = fsum(&terms).unwrap_or(f64::INFINITY);
    let mut h = sum.sqrt();
    // One Newton step on the residual of the exact sum of squares (the
    // terms themselves: `sum` is already rounded), for a correctly rounded
    // result.
    let hh = h * h;
    terms.push(-hh);
    terms.push(-(h.mul_add(h, -hh)));
    let residual = fsum(&terms).unwrap_or(0.0);
    h += residual / (2.0 * h);
    ldexp(h, e as i64)
}

fn iter_values(vm: &Vm, o: &Obj) -> PyResult<Vec<Obj>> {
    let it = ops::iter(vm, o)?;
    let mut out = Vec::new();
    while let Some(x) = ops::next(vm, &it)? {
        out.push(x);
    }
    Ok(out)
}

fn factorial(n: u64) -> BigInt {
    // Product of a range by halves keeps the operands balanced.
    fn product(lo: u64, hi: u64) -> BigInt {
        if hi - lo < 8 {
            return (lo..=hi).fold(BigInt::one(), |acc, k| acc * k);
        }
        let mid = lo + (hi - lo) / 2;
        product(lo, mid) * product(mid + 1, hi)
    }
    if n < 2 {
        BigInt::one()
    } else {
        product(2, n)
    }
}

/// `n! / (n-k)!`, `k <= n`.
fn falling(n: &BigInt, k: u64) -> BigInt {
    let mut r = BigInt::one();
    let mut f = n.clone();
    for _ in 0..k {
        r *= &f;
        f -= 1;
    }
    r
}

fn nonneg_arg(vm: &Vm, o: &Obj, what: &str) -> PyResult<BigInt> {
    let v = int_arg(vm, o)?;
    if v.is_negative() {
        return Err(vm.new_error(&vm.types.value_error, format!("{what} must be a non-negative integer")));
    }
    Ok(v)
}

fn comb_perm(vm: &Vm, a: &[Obj], kw: Kwargs, name: &str) -> PyResult<Obj> {
    no_kwargs(vm, name, kw)?;
    let (n, k) = match a {
        [n] if name == "perm" => (n, None),
        [n, k] => (n, Some(k)),
        _ if name == "perm" && !a.is_empty() => return Err(vm.type_error(format!("perm expected at most 2 arguments, got {}", a.len()))),
        _ if name == "perm" => return Err(vm.type_error("perm expected at least 1 argument, got 0")),
        _ => return Err(vm.type_error(format!("comb expected 2 arguments, got {}", a.len()))),
    };
    let n = nonneg_arg(vm, n, "n")?;
    let k = match k.filter(|k| !k.is(&vm.none)) {
        Some(k) => nonneg_arg(vm, k, "k")?,
        None => n.clone(),
    };
    if k > n {
        return Ok(vm.int(0));
    }
    let k = if name == "comb" { k.clone().min(&n - &k) } else { k };
    let Some(kk) = k.to_u64().filter(|k| *k < 1 << 40) else {
        return Err(vm.new_error(&vm.types.overflow_error, format!("min(n - k, k) must not exceed {}", i64::MAX)));
    };
    let r = falling(&n, kk);
    Ok(new_int_big(vm, if name == "comb" { r / factorial(kk) } else { r }))
}

static ISCLOSE: Params = Params { fname: "isclose", names: &["a", "b", "rel_tol", "abs_tol"], posonly: 0, kwonly: 2, required: 2 };
static PROD: Params = Params { fname: "prod", names: &["iterable", "start"], posonly: 1, kwonly: 1, required: 1 };

pub fn math_contents(vm: &Vm, items: &mut Vec<(&'static str, Obj)>) {
    items.push(("pi", float(vm, std::f64::consts::PI)));
    items.push(("e", float(vm, std::f64::consts::E)));
    items.push(("tau", float(vm, std::f64::consts::TAU)));
    items.push(("inf", float(vm, f64::INFINITY)));
    items.push(("nan", float(vm, f64::NAN)));
    unary_fns!(items, vm,
        "sqrt" => (f64::sqrt, false),
        "cbrt" => (f64::cbrt, false),
        "exp" => (f64::exp, true),
        "exp2" => (f64::exp2, true),
        "expm1" => (f64::exp_m1, true),
        "log1p" => (|x| if x <= -1.0 { if x == -1.0 { f64::NEG_INFINITY } else { f64::NAN } } else { x.ln_1p() }, false),
        "sin" => (|x| if x.is_infinite() { f64::NAN } else { x.sin() }, false),
        "cos" => (|x| if x.is_infinite() { f64::NAN } else { x.cos() }, false),
        "tan" => (|x| if x.is_infinite() { f64::NAN } else { x.tan() }, false),
        "asin" => (f64::asin, false),
        "acos" => (f64::acos, false),
        "atan" => (f64::atan, false),
        "sinh" => (f64::sinh, true),
        "cosh" => (f64::cosh, true),
        "tanh" => (f64::tanh, false),
        "asinh" => (|x| if x.abs() > 268435456.0 { (x.abs().ln() + std::f64::consts::LN_2).copysign(x) } else { x.asinh() }, false),
        "acosh" => (acosh, false),
        "atanh" => (atanh, false),
        "fabs" => (f64::abs, false),
    );
    let fns: &[(&'static str, crate::function::BuiltinFn)] = &[
        ("log", math_log),
        // Plain products: an infinite result is no error.
        ("degrees", |vm, a, kw| Ok(float(vm, float_arg(vm, one(vm, "degrees", a, kw)?)? * (180.0 / std::f64::consts::PI)))),
        ("radians", |vm, a, kw| Ok(float(vm, float_arg(vm, one(vm, "radians", a, kw)?)? * (std::f64::consts::PI / 180.0)))),
        ("log2", |vm, a, kw| Ok(float(vm, log_of(vm, one(vm, "log2", a, kw)?, f64::log2)?))),
        ("log10", |vm, a, kw| Ok(float(vm, log_of(vm, one(vm, "log10", a, kw)?, f64::log10)?))),
        ("floor", |vm, a, kw| rounding(vm, a, kw, "floor", "__floor__", f64::floor)),
        ("ceil", |vm, a, kw| rounding(vm, a, kw, "ceil", "__ceil__", f64::ceil)),
        ("trunc", |vm, a, kw| {
            let x = one(vm, "trunc", a, kw)?;
            if let Some(v) = x.downcast::<f64>().filter(|_| std::ptr::eq(x.type_ptr(), vm.types.float.as_ptr())) {
                return builtin::float_to_int(vm, *v);
            }
            match crate::types::lookup(&crate::types::type_of(x), "__trunc__") {
                Some(m) => crate::classes::call_special(vm, &m, x, &[], &[]),
                None => Err(vm.type_error(format!("type {} doesn't define __trunc__ method", type_name(x)))),
            }
        }),
        ("isnan", |vm, a, kw| Ok(vm.bool(float_arg(vm, one(vm, "isnan", a, kw)?)?.is_nan()))),
        ("isinf", |vm, a, kw| Ok(vm.bool(float_arg(vm, one(vm, "isinf", a, kw)?)?.is_infinite()))),
        ("isfinite", |vm, a, kw| Ok(vm.bool(float_arg(vm, one(vm, "isfinite", a, kw)?)?.is_finite()))),
        ("copysign", |vm, a, kw| {
            let (x, y) = two(vm, "copysign", a, kw)?;
            Ok(float(vm, float_arg(vm, x)?.copysign(float_arg(vm, y)?)))
        }),
        ("atan2", |vm, a, kw| {
            let (y, x) = two(vm, "atan2", a, kw)?;
            Ok(float(vm, float_arg(vm, y)?.atan2(float_arg(vm, x)?)))
        }),
        ("fmod", |vm, a, kw| {
            let (x, y) = two(vm, "fmod", a, kw)?;
            let (x, y) = (float_arg(vm, x)?, float_arg(vm, y)?);
            if y.is_infinite() && x.is_finite() {
                return Ok(float(vm, x));
            }
            let r = x % y;
            if r.is_nan() && !x.is_nan() && !y.is_nan() {
                return Err(domain(vm));
            }
            Ok(float(vm, r))
        }),
        ("remainder", |vm, a, kw| {
            let (x, y) = two(vm, "remainder", a, kw)?;
            let (x, y) = (float_arg(vm, x)?, float_arg(vm, y)?);
            if x.is_nan() || y.is_nan() {
                return Ok(float(vm, f64::NAN));
            }
            if x.is_infinite() || y == 0.0 {
                return Err(domain(vm));
            }
            if y.is_infinite() {
                return Ok(float(vm, x));
            }
            // x - n*y with n the nearest integer to x/y, ties to even;
            // computed exactly from fmod.
            let (ax, ay) = (x.abs(), y.abs());
            let m = ax % ay;
            let c = ay - m;
            let r = if m < c {
                m
            } else if m > c {
                -c
            } else {
                // A tie: x/y is an odd multiple of 1/2; pick the even
                // neighbour (fmod of half the integral part tells which).
                m - 2.0 * ((0.5 * (ax - m)) % ay)
            };
            Ok(float(vm, if x.is_sign_negative() { -r } else { r }))
        }),
        ("pow", |vm, a, kw| {
            let (x, y) = two(vm, "pow", a, kw)?;
            let (x, y) = (float_arg(vm, x)?, float_arg(vm, y)?);
            // C99's pow handles the non-finite operands (pow(x, 0) == 1,
            // pow(1, y) == 1, even for NaN); errors only arise from
            // finite operands.
            let r = x.powf(y);
            if x.is_finite() && y.is_finite() && !r.is_finite() {
                return Err(if r.is_nan() || x == 0.0 { domain(vm) } else { range(vm) });
            }
            Ok(float(vm, r))
        }),
        ("erf", |vm, a, kw| Ok(float(vm, libm::erf(float_arg(vm, one(vm, "erf", a, kw)?)?)))),
        ("erfc", |vm, a, kw| Ok(float(vm, libm::erfc(float_arg(vm, one(vm, "erfc", a, kw)?)?)))),
        ("gamma", |vm, a, kw| {
            let x = float_arg(vm, one(vm, "gamma", a, kw)?)?;
            match gamma(x) {
                Some(r) if r.is_infinite() && x.is_finite() => Err(range(vm)),
                Some(r) => Ok(float(vm, r)),
                None => Err(domain(vm)),
            }
        }),
        ("lgamma", |vm, a, kw| {
            let x = float_arg(vm, one(vm, "lgamma", a, kw)?)?;
            match lgamma(x) {
                Some(r) if r.is_infinite() && x.is_finite() => Err(range(vm)),
                Some(r) => Ok(float(vm, r)),
                None => Err(domain(vm)),
            }
        }),
        ("ldexp", |vm, a, kw| {
            let (x, i) = two(vm, "ldexp", a, kw)?;
            let x = float_arg(vm, x)?;
            let Some(e) = i.downcast::<IntData>() else {
                return Err(vm.type_error("Expected an int as second argument to ldexp."));
            };
            let e = match e {
                IntData::Small(v) => *v,
                IntData::Big(b) => {
                    if b.is_negative() {
                        i64::MIN / 2
                    } else {
                        i64::MAX / 2
                    }
                }
            };
            let r = ldexp(x, e.clamp(-1 << 40, 1 << 40));
            if r.is_infinite() && x.is_finite() {
                return Err(range(vm));
            }
            Ok(float(vm, r))
        }),
        ("frexp", |vm, a, kw| {
            let x = float_arg(vm, one(vm, "frexp", a, kw)?)?;
            let (m, e) = frexp(x);
            Ok(builtin::new_tuple(vm, vec![float(vm, m), vm.int(e as i64)]))
        }),
        ("modf", |vm, a, kw| {
            let x = float_arg(vm, one(vm, "modf", a, kw)?)?;
            let (f, i) = if x.is_infinite() { (0.0f64.copysign(x), x) } else { ((x - x.trunc()).copysign(x), x.trunc()) };
            Ok(builtin::new_tuple(vm, vec![float(vm, f), float(vm, i)]))
        }),
        ("nextafter", |vm, a, kw| {
            let (x, y) = two(vm, "nextafter", a, kw)?;
            Ok(float(vm, nextafter(float_arg(vm, x)?, float_arg(vm, y)?)))
        }),
        ("ulp", |vm, a, kw| {
            let x = float_arg(vm, one(vm, "ulp", a, kw)?)?.abs();
            if !x.is_finite() {
                return Ok(float(vm, x));
            }
            let next = nextafter(x, f64::INFINITY);
            if next.is_infinite() {
                return Ok(float(vm, x - nextafter(x, 0.0)));
            }
            Ok(float(vm, next - x))
        }),
        ("hypot", |vm, a, kw| {
            no_kwargs(vm, "hypot", kw)?;
            let v = a.iter().map(|x| float_arg(vm, x)).collect::<PyResult<Vec<f64>>>()?;
            Ok(float(vm, vector_norm(&v)))
        }),
        ("dist", |vm, a, kw| {
            let (p, q) = two(vm, "dist", a, kw)?;
            let (p, q) = (iter_values(vm, p)?, iter_values(vm, q)?);
            if p.len() != q.len() {
                return Err(vm.new_error(&vm.types.value_error, "both points must have the same number of dimensions"));
            }
            let mut d = Vec::with_capacity(p.len());
            for (x, y) in p.iter().zip(&q) {
                d.push(float_arg(vm, x)? - float_arg(vm, y)?);
            }
            Ok(float(vm, vector_norm(&d)))
        }),
        ("fsum", |vm, a, kw| {
            let it = one(vm, "fsum", a, kw)?;
            let v = iter_values(vm, it)?.iter().map(|x| float_arg(vm, x)).collect::<PyResult<Vec<f64>>>()?;
            match fsum(&v) {
                Ok(s) => Ok(float(vm, s)),
                Err(m) if m.starts_with("intermediate") => Err(vm.new_error(&vm.types.overflow_error, m)),
                Err(m) => Err(vm.new_error(&vm.types.value_error, m)),
            }
        }),
        ("prod", |vm, a, kw| {
            let [it, start] = bind::<2>(vm, &PROD, a, kw)?;
            let mut acc = start.unwrap_or_else(|| vm.int(1));
            for x in iter_values(vm, it.as_ref().unwrap_or(&vm.none))? {
                acc = ops::binary_op(vm, taipan_compiler::bytecode::BinaryOp::Multiply, &acc, &x)?;
            }
            Ok(acc)
        }),
        ("isclose", |vm, a, kw| {
            let [x, y, rel, abs] = bind::<4>(vm, &ISCLOSE, a, kw)?;
            let x = float_arg(vm, x.as_ref().unwrap_or(&vm.none))?;
            let y = float_arg(vm, y.as_ref().unwrap_or(&vm.none))?;
            let rel = match rel {
                Some(r) => float_arg(vm, &r)?,
                None => 1e-9,
            };
            let abs = match abs {
                Some(r) => float_arg(vm, &r)?,
                None => 0.0,
            };
            if rel < 0.0 || abs < 0.0 {
                return Err(vm.new_error(&vm.types.value_error, "tolerances must be non-negative"));
            }
            if x == y {
                return Ok(vm.true_.clone());
            }
            if x.is_infinite() || y.is_infinite() {
                return Ok(vm.false_.clone());
            }
            let diff = (y - x).abs();
            Ok(vm.bool(diff <= (rel * y).abs() || diff <= (rel * x).abs() || diff <= abs))
        }),
        ("factorial", |vm, a, kw| {
            let x = one(vm, "factorial", a, kw)?;
            if x.downcast::<f64>().is_some() {
                return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
            }
            let n = int_arg(vm, x)?;
            if n.is_negative() {
                return Err(vm.new_error(&vm.types.value_error, "factorial() not defined for negative values"));
            }
            match n.to_u64().filter(|n| *n < 1 << 24) {
                Some(n) => Ok(new_int_big(vm, factorial(n))),
                None => Err(vm.new_error(&vm.types.overflow_error, "factorial() argument should not exceed 9223372036854775807")),
            }
        }),
        ("gcd", |vm, a, kw| {
            no_kwargs(vm, "gcd", kw)?;
            let mut g = BigInt::zero();
            for x in a {
                g = g.gcd(&int_arg(vm, x)?);
            }
            Ok(new_int_big(vm, g))
        }),
        ("lcm", |vm, a, kw| {
            no_kwargs(vm, "lcm", kw)?;
            let mut l = BigInt::one();
            for x in a {
                let v = int_arg(vm, x)?;
                if v.is_zero() || l.is_zero() {
                    l = BigInt::zero();
                    continue;
                }
                l = l.lcm(&v);
            }
            Ok(new_int_big(vm, l))
        }),
        ("isqrt", |vm, a, kw| {
            let n = int_arg(vm, one(vm, "isqrt", a, kw)?)?;
            if n.is_negative() {
                return Err(vm.new_error(&vm.types.value_error, "isqrt() argument must be nonnegative"));
            }
            Ok(new_int_big(vm, n.sqrt()))
        }),
        ("comb", |vm, a, kw| comb_perm(vm, a, kw, "comb")),
        ("perm", |vm, a, kw| comb_perm(vm, a, kw, "perm")),
    ];
    for (name, f) in fns {
        items.push((name, new_builtin_function(vm, name, *f)));
    }
}

/// The next float after `x` toward `y` (C's `nextafter`).
/// The Lanczos approximation (g = 6.024680040776729583740234375, 13
/// terms, the coefficients of Boost's `lanczos13m53`, in rational form):
/// `Lg(x)` with Γ(x) = Lg(x) · (x+g-½)^(x-½) · e^-(x+g-½) for x > 0.
#[allow(clippy::excessive_precision)] // the published constants, verbatim
const LANCZOS_G: f64 = 6.024680040776729583740234375;
#[allow(clippy::excessive_precision)]
const LANCZOS_NUM: [f64; 13] = [
    23531376880.410759688572007674451636754734846804940,
    42919803642.649098768957899047001988850926355848959,
    35711959237.355668049440185451547166705960488635843,
    17921034426.037209699919755754458931112671403265390,
    6039542586.3520280050642916443072979210699388420708,
    1439720407.3117216736632230727949123939715485786772,
    248874557.86205415651146038641322942321632125127801,
    31426415.585400194380614231628318205362874684987640,
    2876370.6289353724412254090516208496135991145378768,
    186056.26539522349504029498971604569928220784236328,
    8071.6720023658162106380029022722506138218516325024,
    210.82427775157934587250973392071336271166969580291,
    2.5066282746310002701649081771338373386264310793408,
];
const LANCZOS_DEN: [f64; 13] =
    [0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0, 13339535.0, 2637558.0, 357423.0, 32670.0, 1925.0, 66.0, 1.0];

fn lanczos_sum(x: f64) -> f64 {
    // Horner in x for small x, in 1/x for large x (both polynomials have
    // degree 12), which keeps the evaluation from overflowing.
    if x < 5.0 {
        let (mut num, mut den) = (0.0, 0.0);
        for i in (0..13).rev() {
            num = num * x + LANCZOS_NUM[i];
            den = den * x + LANCZOS_DEN[i];
        }
        num / den
    } else {
        let (mut num, mut den) = (0.0, 0.0);
        for i in 0..13 {
            num = num / x + LANCZOS_NUM[i];
            den = den / x + LANCZOS_DEN[i];
        }
        num / den
    }
}

/// sin(πx) with the argument reduced exactly first.
fn sin_pi(x: f64) -> f64 {
    let y = x.abs() % 2.0;
    let n = (2.0 * y).round();
    let r = match n as i64 {
        0 => (std::f64::consts::PI * y).sin(),
        1 => (std::f64::consts::PI * (y - 0.5)).cos(),
        2 => (std::f64::consts::PI * (1.0 - y)).sin(),
        3 => -(std::f64::consts::PI * (y - 1.5)).cos(),
        _ => (std::f64::consts::PI * (y - 2.0)).sin(),
    };
    if x < 0.0 {
        -r
    } else {
        r
    }
}

/// Γ(x); `None` at the poles (0 and the negative integers) and for -inf.
pub fn gamma(x: f64) -> Option<f64> {
    if x.is_nan() {
        return Some(x);
    }
    if x.is_infinite() {
        return if x > 0.0 { Some(x) } else { None };
    }
    if x == 0.0 || (x < 0.0 && x == x.floor()) {
        return None;
    }
    if x == x.floor() && x <= 23.0 {
        // Exact: (n-1)! is representable up to 22!.
        let mut r = 1.0;
        let mut k = 2.0;
        while k < x {
            r *= k;
            k += 1.0;
        }
        return Some(r);
    }
    if x.abs() < 1e-20 {
        return Some(1.0 / x);
    }
    if x > 200.0 {
        return Some(f64::INFINITY);
    }
    if x < -200.0 {
        return Some(0.0f64.copysign(sin_pi(x)));
    }
    // Lanczos' approximation at |x|, with a correction for the rounding
    // error of y = |x| + g - 1/2, and the reflection formula for negative
    // x applied to the pieces (Γ(1-x) itself would overflow first).
    let a = x.abs();
    let g_half = LANCZOS_G - 0.5;
    let y = a + g_half;
    let err = if a > g_half { (y - a) - g_half } else { (y - g_half) - a };
    let z = err * LANCZOS_G / y;
    let mut r;
    if x < 0.0 {
        r = -std::f64::consts::PI / sin_pi(a) / a * y.exp() / lanczos_sum(a);
        r -= z * r;
        if a < 140.0 {
            r /= y.powf(a - 0.5);
        } else {
            let half = y.powf(a / 2.0 - 0.25);
            r /= half;
            r /= half;
        }
    } else {
        r = lanczos_sum(a) / y.exp();
        r += z * r;
        if a < 140.0 {
            r *= y.powf(a - 0.5);
        } else {
            let half = y.powf(a / 2.0 - 0.25);
            r *= half;
            r *= half;
        }
    }
    Some(r)
}

/// ln|Γ(x)|; `None` at the poles.
pub fn lgamma(x: f64) -> Option<f64> {
    if x.is_nan() {
        return Some(x);
    }
    if x.is_infinite() {
        return Some(f64::INFINITY);
    }
    if x <= 0.0 && x == x.floor() {
        return None;
    }
    if x == 1.0 || x == 2.0 {
        return Some(0.0);
    }
    let a = x.abs();
    if a < 1e-20 {
        return Some(-a.ln());
    }
    let mut r = lanczos_sum(a).ln() - LANCZOS_G;
    r += (a - 0.5) * ((a + LANCZOS_G - 0.5).ln() - 1.0);
    if x < 0.0 {
        // Reflection: ln|Γ(x)| = ln π - ln|sin πx| - ln|x| - ln Γ(|x|).
        r = std::f64::consts::PI.ln() - sin_pi(a).abs().ln() - a.ln() - r;
    }
    Some(r)
}

pub fn nextafter(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        return x + y;
    }
    if x == y {
        return y;
    }
    if x == 0.0 {
        return f64::from_bits(1).copysign(y);
    }
    let bits = x.to_bits();
    let up = (y > x) == (x > 0.0);
    f64::from_bits(if up { bits + 1 } else { bits - 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fsum_is_exact() {
        assert_eq!(fsum(&[0.1; 10]), Ok(1.0));
        assert_eq!(fsum(&[1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50]), Ok(1e-100));
        assert_eq!(fsum(&[f64::INFINITY, f64::NEG_INFINITY]), Err("-inf + inf in fsum"));
        assert_eq!(fsum(&[f64::MAX, f64::MAX]), Err("intermediate overflow in fsum"));
        assert_eq!(fsum(&[]), Ok(0.0));
    }

    #[test]
    fn norms_and_neighbours() {
        assert_eq!(vector_norm(&[3.0, 4.0]), 5.0);
        assert_eq!(vector_norm(&[1e300, 1e300]), 1.4142135623730952e300);
        assert_eq!(nextafter(1.0, 2.0), 1.0000000000000002);
        assert_eq!(nextafter(0.0, -1.0), -5e-324);
        assert_eq!(factorial(20), BigInt::from(2432902008176640000u64));
    }
}
