//! The probes of CPython's internal time API (`_PyTime_t`, a signed 64-bit
//! count of nanoseconds, and the older `_PyTime_ObjectTo*` converters),
//! with CPython's rounding modes and overflow rules: `PyTime_FromSeconds`,
//! `PyTime_FromSecondsObject`, `PyTime_AsSecondsDouble`, `PyTime_AsTimeval`
//! (and `_clamp`), `PyTime_AsTimespec` (and `_clamp`),
//! `PyTime_AsMilliseconds`, `PyTime_AsMicroseconds`,
//! `pytime_object_to_time_t`, `pytime_object_to_timeval`,
//! `pytime_object_to_timespec`.
//!
//! `time_t` is 64 bits on the platforms Taipan runs on, so the clamping
//! variants never clamp (every `_PyTime_t` second count fits).

use taipan_vm::native::FunctionDef;
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{new_tuple, type_name, IntData};
use taipan_vm::types::Kwargs;
use taipan_vm::{ops, PyResult, Vm};

use super::parse_tuple;

const SEC_TO_NS: i64 = 1_000_000_000;
const SEC_TO_US: i64 = 1_000_000;
const MS_TO_NS: i64 = 1_000_000;
const US_TO_NS: i64 = 1_000;

pub(super) static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("PyTime_FromSeconds", from_seconds, ""),
    FunctionDef::new("PyTime_FromSecondsObject", from_seconds_object, ""),
    FunctionDef::new("PyTime_AsSecondsDouble", as_seconds_double, ""),
    FunctionDef::new("PyTime_AsTimeval", |vm, a, kw| as_timeval(vm, a, kw, false), ""),
    FunctionDef::new("PyTime_AsTimeval_clamp", |vm, a, kw| as_timeval(vm, a, kw, true), ""),
    FunctionDef::new("PyTime_AsTimespec", as_timespec, ""),
    FunctionDef::new("PyTime_AsTimespec_clamp", as_timespec, ""),
    FunctionDef::new("PyTime_AsMilliseconds", |vm, a, kw| as_unit(vm, a, kw, MS_TO_NS), ""),
    FunctionDef::new("PyTime_AsMicroseconds", |vm, a, kw| as_unit(vm, a, kw, US_TO_NS), ""),
    FunctionDef::new("pytime_object_to_time_t", object_to_time_t_fn, ""),
    FunctionDef::new("pytime_object_to_timeval", |vm, a, kw| object_to_pair(vm, a, kw, SEC_TO_US), ""),
    FunctionDef::new("pytime_object_to_timespec", |vm, a, kw| object_to_pair(vm, a, kw, SEC_TO_NS), ""),
];

/// `_PyTime_round_t`.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Round {
    Floor,
    Ceiling,
    HalfEven,
    Up,
}

fn overflow(vm: &Vm, msg: &str) -> taipan_vm::PyErr {
    vm.new_error(&vm.types.overflow_error, msg)
}

const PYTIME_OVERFLOW: &str = "timestamp too large to convert to C _PyTime_t";
const TIME_T_OVERFLOW: &str = "timestamp out of range for platform time_t";

/// A C `int` argument (`PyArg_Parse`'s "i" format and its messages).
fn c_int_arg(vm: &Vm, o: &Obj) -> PyResult<i32> {
    let i = ops::index(vm, o)?;
    match i.downcast::<IntData>() {
        Some(IntData::Small(v)) if *v > i32::MAX as i64 => Err(overflow(vm, "signed integer is greater than maximum")),
        Some(IntData::Small(v)) if *v < i32::MIN as i64 => Err(overflow(vm, "signed integer is less than minimum")),
        Some(IntData::Small(v)) => Ok(*v as i32),
        _ => Err(overflow(vm, "Python int too large to convert to C long")),
    }
}

/// The rounding argument (`check_time_rounding`).
fn round_arg(vm: &Vm, o: &Obj) -> PyResult<Round> {
    match c_int_arg(vm, o)? {
        0 => Ok(Round::Floor),
        1 => Ok(Round::Ceiling),
        2 => Ok(Round::HalfEven),
        3 => Ok(Round::Up),
        _ => Err(vm.new_error(&vm.types.value_error, "invalid rounding")),
    }
}

/// `PyLong_AsLongLong(o)` (through `__index__`): None when it does not fit.
fn long_long(vm: &Vm, o: &Obj) -> PyResult<Option<i64>> {
    let i = ops::index(vm, o)?;
    Ok(match i.downcast::<IntData>() {
        Some(IntData::Small(v)) => Some(*v),
        _ => None,
    })
}

fn int(vm: &Vm, v: i64) -> Obj {
    vm.int(v)
}

fn pair(vm: &Vm, a: i64, b: i64) -> Obj {
    new_tuple(vm, vec![int(vm, a), int(vm, b)])
}

/// The float value of a float (or subclass) object.
fn float_value(o: &Obj) -> Option<f64> {
    o.downcast::<f64>().copied()
}

fn nan_error(vm: &Vm) -> taipan_vm::PyErr {
    vm.new_error(&vm.types.value_error, "Invalid value NaN (not a number)")
}

/// `_PyTime_Round`: `x` rounded to an integral value.
fn round_f64(x: f64, r: Round) -> f64 {
    match r {
        Round::HalfEven => {
            let rounded = x.round();
            if (x - rounded).abs() == 0.5 {
                2.0 * (x / 2.0).round()
            } else {
                rounded
            }
        }
        Round::Ceiling => x.ceil(),
        Round::Floor => x.floor(),
        Round::Up => {
            if x >= 0.0 {
                x.ceil()
            } else {
                x.floor()
            }
        }
    }
}

/// Whether an integral double fits a signed 64-bit integer (`time_t` and
/// `_PyTime_t` alike).
fn fits_i64(d: f64) -> bool {
    // -2**63 is exact; 2**63 is the first value above the range.
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    (-TWO_63..TWO_63).contains(&d)
}

/// `t / k` rounded the way `r` asks (`pytime_divide`).
fn divide(t: i64, k: i64, r: Round) -> i64 {
    let away = |t: i64| {
        let q = t / k;
        if t % k == 0 {
            q
        } else if t >= 0 {
            q + 1
        } else {
            q - 1
        }
    };
    match r {
        Round::HalfEven => {
            let mut x = t / k;
            let abs_r = (t % k).abs();
            if abs_r > k / 2 || (abs_r == k / 2 && x.abs() & 1 == 1) {
                if t >= 0 {
                    x += 1;
                } else {
                    x -= 1;
                }
            }
            x
        }
        Round::Ceiling => {
            if t >= 0 {
                away(t)
            } else {
                t / k
            }
        }
        Round::Floor => {
            if t >= 0 {
                t / k
            } else {
                away(t)
            }
        }
        Round::Up => away(t),
    }
}

/// Floor division with a non-negative remainder (`pytime_divmod`).
fn divmod(t: i64, k: i64) -> (i64, i64) {
    (t.div_euclid(k), t.rem_euclid(k))
}

/// `_PyTime_FromNanosecondsObject`: an int (or bool) of nanoseconds.
fn nanoseconds_arg(vm: &Vm, o: &Obj) -> PyResult<i64> {
    if o.downcast::<IntData>().is_none() {
        return Err(vm.type_error(format!("expect int, got {}", type_name(o))));
    }
    long_long(vm, o)?.ok_or_else(|| overflow(vm, PYTIME_OVERFLOW))
}

/// `_PyLong_AsTime_t`.
fn time_t_of_int(vm: &Vm, o: &Obj) -> PyResult<i64> {
    long_long(vm, o)?.ok_or_else(|| overflow(vm, TIME_T_OVERFLOW))
}

/// `PyTime_FromSeconds(seconds)`: a C int of seconds in nanoseconds.
fn from_seconds(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [secs] = parse_tuple::<1>(vm, 1, args, kw)?;
    let Some(secs) = secs else { return Err(vm.type_error("missing argument")) };
    let secs = c_int_arg(vm, &secs)?;
    Ok(int(vm, secs as i64 * SEC_TO_NS))
}

/// `_PyTime_FromSecondsObject(obj, round)`: seconds (an int, or a float
/// rounded to the nanosecond) as nanoseconds.
fn from_seconds_object(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [obj, r] = parse_tuple::<2>(vm, 2, args, kw)?;
    let (Some(obj), Some(r)) = (obj, r) else { return Err(vm.type_error("missing arguments")) };
    let r = round_arg(vm, &r)?;
    if let Some(d) = float_value(&obj) {
        if d.is_nan() {
            return Err(nan_error(vm));
        }
        let ns = round_f64(d * SEC_TO_NS as f64, r);
        if !fits_i64(ns) {
            return Err(overflow(vm, TIME_T_OVERFLOW));
        }
        return Ok(int(vm, ns as i64));
    }
    let secs = long_long(vm, &obj)?.ok_or_else(|| overflow(vm, PYTIME_OVERFLOW))?;
    let ns = secs.checked_mul(SEC_TO_NS).ok_or_else(|| overflow(vm, PYTIME_OVERFLOW))?;
    Ok(int(vm, ns))
}

/// `_PyTime_AsSecondsDouble(ns)`: exact for whole seconds, else `ns / 1e9`.
fn as_seconds_double(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [ns] = parse_tuple::<1>(vm, 1, args, kw)?;
    let Some(ns) = ns else { return Err(vm.type_error("missing argument")) };
    let ns = nanoseconds_arg(vm, &ns)?;
    let d = if ns % SEC_TO_NS == 0 { (ns / SEC_TO_NS) as f64 } else { ns as f64 / 1e9 };
    Ok(taipan_vm::object::alloc_ref(&vm.types.float, d))
}

/// `_PyTime_AsTimeval(ns, round)`: `(tv_sec, tv_usec)`, the microseconds
/// rounded as asked. With `clamp`, seconds beyond `time_t` would be
/// clamped (they cannot be: `time_t` is 64 bits wide).
fn as_timeval(vm: &Vm, args: &[Obj], kw: Kwargs, _clamp: bool) -> PyResult<Obj> {
    let [ns, r] = parse_tuple::<2>(vm, 2, args, kw)?;
    let (Some(ns), Some(r)) = (ns, r) else { return Err(vm.type_error("missing arguments")) };
    let r = round_arg(vm, &r)?;
    let ns = nanoseconds_arg(vm, &ns)?;
    let (sec, usec) = divmod(divide(ns, US_TO_NS, r), SEC_TO_US);
    Ok(pair(vm, sec, usec))
}

/// `_PyTime_AsTimespec(ns)`: `(tv_sec, tv_nsec)`.
fn as_timespec(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [ns] = parse_tuple::<1>(vm, 1, args, kw)?;
    let Some(ns) = ns else { return Err(vm.type_error("missing argument")) };
    let ns = nanoseconds_arg(vm, &ns)?;
    let (sec, nsec) = divmod(ns, SEC_TO_NS);
    Ok(pair(vm, sec, nsec))
}

/// `_PyTime_AsMilliseconds` / `_PyTime_AsMicroseconds`: `ns / unit`
/// rounded as asked.
fn as_unit(vm: &Vm, args: &[Obj], kw: Kwargs, unit: i64) -> PyResult<Obj> {
    let [ns, r] = parse_tuple::<2>(vm, 2, args, kw)?;
    let (Some(ns), Some(r)) = (ns, r) else { return Err(vm.type_error("missing arguments")) };
    let r = round_arg(vm, &r)?;
    let ns = nanoseconds_arg(vm, &ns)?;
    Ok(int(vm, divide(ns, unit, r)))
}

/// `_PyTime_ObjectToTime_t(obj, round)`: whole seconds.
fn object_to_time_t(vm: &Vm, obj: &Obj, r: Round) -> PyResult<i64> {
    if let Some(d) = float_value(obj) {
        if d.is_nan() {
            return Err(nan_error(vm));
        }
        let whole = round_f64(d, r).trunc();
        if !fits_i64(whole) {
            return Err(overflow(vm, TIME_T_OVERFLOW));
        }
        return Ok(whole as i64);
    }
    time_t_of_int(vm, obj)
}

fn object_to_time_t_fn(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [obj, r] = parse_tuple::<2>(vm, 2, args, kw)?;
    let (Some(obj), Some(r)) = (obj, r) else { return Err(vm.type_error("missing arguments")) };
    let r = round_arg(vm, &r)?;
    let secs = object_to_time_t(vm, &obj, r)?;
    Ok(int(vm, secs))
}

/// `_PyTime_ObjectToDenominator`: seconds and a fraction in
/// `1/denominator` units (`0 <= fraction < denominator`); ints have no
/// fraction, floats have theirs rounded as asked.
fn object_to_denominator(vm: &Vm, obj: &Obj, denominator: i64, r: Round) -> PyResult<(i64, i64)> {
    let Some(d) = float_value(obj) else {
        return Ok((time_t_of_int(vm, obj)?, 0));
    };
    if d.is_nan() {
        return Err(nan_error(vm));
    }
    let denom = denominator as f64;
    let mut intpart = d.trunc();
    let mut floatpart = round_f64((d - intpart) * denom, r);
    if floatpart >= denom {
        floatpart -= denom;
        intpart += 1.0;
    } else if floatpart < 0.0 {
        floatpart += denom;
        intpart -= 1.0;
    }
    if !fits_i64(intpart) {
        return Err(overflow(vm, TIME_T_OVERFLOW));
    }
    Ok((intpart as i64, floatpart as i64))
}

/// `pytime_object_to_timeval` / `pytime_object_to_timespec`.
fn object_to_pair(vm: &Vm, args: &[Obj], kw: Kwargs, denominator: i64) -> PyResult<Obj> {
    let [obj, r] = parse_tuple::<2>(vm, 2, args, kw)?;
    let (Some(obj), Some(r)) = (obj, r) else { return Err(vm.type_error("missing arguments")) };
    let r = round_arg(vm, &r)?;
    let (sec, frac) = object_to_denominator(vm, &obj, denominator, r)?;
    Ok(pair(vm, sec, frac))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divide_rounds_like_cpython() {
        assert_eq!(divide(1500, 1000, Round::HalfEven), 2);
        assert_eq!(divide(2500, 1000, Round::HalfEven), 2);
        assert_eq!(divide(-2500, 1000, Round::HalfEven), -2);
        assert_eq!(divide(-1500, 1000, Round::HalfEven), -2);
        assert_eq!(divide(-1500, 1000, Round::Floor), -2);
        assert_eq!(divide(-1500, 1000, Round::Ceiling), -1);
        assert_eq!(divide(1001, 1000, Round::Up), 2);
        assert_eq!(divide(-1001, 1000, Round::Up), -2);
        assert_eq!(divide(i64::MAX, 1000, Round::Up), i64::MAX / 1000 + 1);
    }

    #[test]
    fn half_even_on_doubles() {
        assert_eq!(round_f64(2.5, Round::HalfEven), 2.0);
        assert_eq!(round_f64(-3.5, Round::HalfEven), -4.0);
        assert_eq!(round_f64(-0.5, Round::Up), -1.0);
        assert!(fits_i64(-(2f64.powi(63))));
        assert!(!fits_i64(2f64.powi(63)));
    }
}
