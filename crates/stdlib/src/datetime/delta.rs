//! `datetime.timedelta`: a duration normalised to days (|days| <=
//! 999999999), seconds in [0, 86400) and microseconds in [0, 1000000).

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};
use taipan_vm::native::{bind, exact, new_type, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{int_data, new_int_big, new_str, new_tuple, object_slots, tuple_hash_of, type_name};
use taipan_vm::types::{type_data, type_of, Kwargs, Slots};
use taipan_vm::{BinaryOp, CompareOp, PyResult, Vm};

use super::{overflow_error, tp_name, US_PER_DAY, US_PER_SECOND};

pub struct Delta {
    pub days: i64,
    pub secs: i64,
    pub us: i64,
}

pub const MAX_DAYS: i64 = 999_999_999;

impl Delta {
    pub fn total_us(&self) -> i128 {
        i128::from(self.days) * US_PER_DAY + i128::from(self.secs) * US_PER_SECOND + i128::from(self.us)
    }
}

/// Splits a microsecond count into normalised fields, or None when the
/// day count is out of range (with the days for the message).
pub fn split_us(us: i128) -> Result<(i64, i64, i64), i128> {
    let days = us.div_euclid(US_PER_DAY);
    let rest = us.rem_euclid(US_PER_DAY);
    if days.abs() > i128::from(MAX_DAYS) {
        return Err(days);
    }
    Ok((days as i64, (rest / US_PER_SECOND) as i64, (rest % US_PER_SECOND) as i64))
}

pub fn delta_type(vm: &Vm) -> Obj {
    vm.native_type("datetime.timedelta", |vm| {
        let slots = Slots {
            new: Some(delta_new),
            repr: Some(delta_repr),
            str: Some(delta_str),
            hash: Some(delta_hash),
            bool: Some(|_vm, o| Ok(o.downcast::<Delta>().is_some_and(|d| d.total_us() != 0))),
            compare: Some(delta_compare),
            binary: Some(delta_binary),
            negative: Some(|vm, o| from_us(vm, -get(o).total_us())),
            positive: Some(|vm, o| from_us(vm, get(o).total_us())),
            absolute: Some(|vm, o| from_us(vm, get(o).total_us().abs())),
            ..object_slots()
        };
        let t = new_type::<Delta>(vm, "datetime.timedelta", &[], false, slots, METHODS, GETSETS);
        set_doc(vm, &t, DOC);
        let min = alloc(t.clone(), Delta { days: -MAX_DAYS, secs: 0, us: 0 });
        let max = alloc(t.clone(), Delta { days: MAX_DAYS, secs: 86_399, us: 999_999 });
        let res = alloc(t.clone(), Delta { days: 0, secs: 0, us: 1 });
        set_class_attr(vm, &t, "min", min);
        set_class_attr(vm, &t, "max", max);
        set_class_attr(vm, &t, "resolution", res);
        t
    })
}

pub fn set_doc(vm: &Vm, t: &Obj, doc: &str) {
    set_class_attr(vm, t, "__doc__", new_str(vm, doc));
}

pub fn set_class_attr(_vm: &Vm, t: &Obj, name: &str, v: Obj) {
    type_data(t).dict.borrow_mut().insert(name, v);
    taipan_vm::types::type_modified(t);
}

static DOC: &str = "Difference between two datetime values.\n\ntimedelta(days=0, seconds=0, microseconds=0, milliseconds=0, minutes=0, hours=0, weeks=0)\n\nAll arguments are optional and default to 0.\nArguments may be integers or floats, and may be positive or negative.";

static METHODS: &[MethodDef] = &[
    MethodDef::method("total_seconds", delta_total_seconds, "Total seconds in the duration."),
    MethodDef::method("__reduce__", delta_reduce, "__reduce__() -> (cls, state)"),
    MethodDef::method("__divmod__", delta_divmod, "Return divmod(self, value)."),
    MethodDef::method(
        "__neg__",
        |vm, o, a, k| {
            exact::<0>(vm, "__neg__", a, k)?;
            from_us(vm, -get(o).total_us())
        },
        "-self",
    ),
    MethodDef::method(
        "__pos__",
        |vm, o, a, k| {
            exact::<0>(vm, "__pos__", a, k)?;
            from_us(vm, get(o).total_us())
        },
        "+self",
    ),
    MethodDef::method(
        "__abs__",
        |vm, o, a, k| {
            exact::<0>(vm, "__abs__", a, k)?;
            from_us(vm, get(o).total_us().abs())
        },
        "abs(self)",
    ),
];

static GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("days", |vm, o| Ok(vm.int(get(o).days)), "Number of days."),
    GetSetDef::readonly("seconds", |vm, o| Ok(vm.int(get(o).secs)), "Number of seconds (>= 0 and less than 1 day)."),
    GetSetDef::readonly("microseconds", |vm, o| Ok(vm.int(get(o).us)), "Number of microseconds (>= 0 and less than 1 second)."),
];

/// The payload of a timedelta (callers have checked the type).
pub fn get(o: &Obj) -> &Delta {
    static ZERO: Delta = Delta { days: 0, secs: 0, us: 0 };
    o.downcast::<Delta>().unwrap_or(&ZERO)
}

/// Only `timedelta` and its subclasses carry a `Delta` payload.
pub fn is_delta(_vm: &Vm, o: &Obj) -> bool {
    o.downcast::<Delta>().is_some()
}

/// A new exact `timedelta` of `us` microseconds.
pub fn from_us(vm: &Vm, us: i128) -> PyResult<Obj> {
    from_us_cls(vm, us, &delta_type(vm))
}

pub fn from_us_cls(vm: &Vm, us: i128, cls: &Obj) -> PyResult<Obj> {
    match split_us(us) {
        Ok((days, secs, us)) => Ok(alloc(cls.clone(), Delta { days, secs, us })),
        Err(days) => Err(overflow_error(vm, format!("days={days}; must have magnitude <= {MAX_DAYS}"))),
    }
}

fn from_big(vm: &Vm, us: &BigInt) -> PyResult<Obj> {
    match us.to_i128() {
        Some(v) => from_us(vm, v),
        None => Err(overflow_error(vm, "Python int too large to convert to C int")),
    }
}

/// `round()` half to even of `a / b` (b != 0).
pub fn divide_nearest(a: &BigInt, b: &BigInt) -> BigInt {
    let (q, r) = a.div_mod_floor(b);
    // Compare 2r with b (same sign as b).
    let twice = &r * 2;
    let cmp = if b.is_negative() { b.cmp(&twice) } else { twice.cmp(b) };
    match cmp {
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal if q.is_odd() => q + 1,
        _ => q,
    }
}

/// `float.as_integer_ratio()` (finite floats).
fn ratio(vm: &Vm, f: f64) -> PyResult<(BigInt, BigInt)> {
    if f.is_nan() {
        return Err(super::value_error(vm, "cannot convert NaN to integer ratio"));
    }
    if f.is_infinite() {
        return Err(overflow_error(vm, "cannot convert Infinity to integer ratio"));
    }
    let (m, e) = taipan_vm::types::builtin::float_parts(f);
    if e >= 0 {
        Ok((m << e as usize, BigInt::from(1)))
    } else {
        let mut n = m;
        let mut d = BigInt::from(1) << (-e) as usize;
        while !n.is_zero() && n.is_even() && d > BigInt::from(1) {
            n >>= 1;
            d >>= 1;
        }
        Ok((n, d))
    }
}

/// The integer ratio of a float, through `as_integer_ratio()` for
/// subclasses (checked as CPython does).
fn ratio_of(vm: &Vm, f: &Obj) -> PyResult<(BigInt, BigInt)> {
    if type_of(f).is(&vm.types.float) {
        return ratio(vm, *f.downcast::<f64>().unwrap_or(&0.0));
    }
    let r = super::call_method(vm, f, "as_integer_ratio", &[])?;
    let Some(t) = r.downcast::<taipan_vm::types::builtin::TupleData>() else {
        return Err(vm.type_error(format!("unexpected return type from as_integer_ratio(): expected tuple, got '{}'", type_name(&r))));
    };
    if t.items.len() != 2 {
        return Err(super::value_error(vm, "as_integer_ratio() must return a 2-tuple"));
    }
    match (int_data(&t.items[0]), int_data(&t.items[1])) {
        (Some(n), Some(d)) => Ok((n.to_big(), d.to_big())),
        _ => Err(vm.type_error("as_integer_ratio() must return a pair of integers")),
    }
}

static NEW_PARAMS: Params = Params {
    fname: "__new__",
    names: &["days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"],
    posonly: 0,
    kwonly: 0,
    required: 0,
};

fn delta_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let a = bind::<7>(vm, &NEW_PARAMS, args, kw)?;
    // (argument, microseconds per unit)
    let factors: [i128; 7] = [US_PER_DAY, US_PER_SECOND, 1, 1000, 60 * US_PER_SECOND, 3600 * US_PER_SECOND, 7 * US_PER_DAY];
    let names = ["days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"];
    // CPython's order of accumulation: us, ms, s, min, h, d, w.
    let order = [2usize, 3, 1, 4, 5, 0, 6];
    let mut sum = BigInt::zero();
    let mut leftover = 0.0f64;
    for i in order {
        let Some(v) = &a[i] else { continue };
        let factor = factors[i];
        if let Some(d) = int_data(v) {
            sum += d.to_big() * BigInt::from(factor);
        } else if let Some(f) = v.downcast::<f64>() {
            let f = *f;
            if !f.is_finite() {
                if f.is_nan() {
                    return Err(super::value_error(vm, "cannot convert float NaN to integer"));
                }
                return Err(overflow_error(vm, "cannot convert float infinity to integer"));
            }
            let intpart = f.trunc();
            let frac = f - intpart;
            sum += taipan_vm::types::builtin::float_to_big(intpart) * BigInt::from(factor);
            if frac != 0.0 {
                let prod = factor as f64 * frac;
                let ip = prod.trunc();
                sum += taipan_vm::types::builtin::float_to_big(ip);
                leftover += prod - ip;
            }
        } else {
            return Err(vm.type_error(format!("unsupported type for timedelta {} component: {}", names[i], type_name(v))));
        }
    }
    if leftover != 0.0 {
        let mut whole = leftover.round();
        if (whole - leftover).abs() == 0.5 {
            let odd = if sum.is_odd() { 1.0 } else { 0.0 };
            whole = 2.0 * ((leftover + odd) * 0.5).round() - odd;
        }
        sum += BigInt::from(whole as i64);
    }
    let Some(us) = sum.to_i128() else {
        return Err(overflow_error(vm, "Python int too large to convert to C int"));
    };
    from_us_cls(vm, us, cls)
}

fn delta_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let d = get(o);
    let mut parts = Vec::new();
    if d.days != 0 {
        parts.push(format!("days={}", d.days));
    }
    if d.secs != 0 {
        parts.push(format!("seconds={}", d.secs));
    }
    if d.us != 0 {
        parts.push(format!("microseconds={}", d.us));
    }
    let inner = if parts.is_empty() { "0".to_string() } else { parts.join(", ") };
    Ok(new_str(vm, &format!("{}({inner})", tp_name(o))))
}

pub fn delta_str_of(d: &Delta) -> String {
    let mut s = String::new();
    if d.days != 0 {
        let plural = if d.days.abs() != 1 { "s" } else { "" };
        s.push_str(&format!("{} day{plural}, ", d.days));
    }
    let (h, m, sec) = (d.secs / 3600, d.secs / 60 % 60, d.secs % 60);
    s.push_str(&format!("{h}:{m:02}:{sec:02}"));
    if d.us != 0 {
        s.push_str(&format!(".{:06}", d.us));
    }
    s
}

fn delta_str(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(new_str(vm, &delta_str_of(get(o))))
}

pub fn delta_hash(_vm: &Vm, o: &Obj) -> PyResult<i64> {
    let d = get(o);
    Ok(hash_fields(d.days, d.secs, d.us))
}

/// `hash((days, seconds, microseconds))`, as CPython hashes a timedelta.
pub fn hash_fields(days: i64, secs: i64, us: i64) -> i64 {
    use taipan_vm::hash::hash_i64;
    tuple_hash_of([hash_i64(days), hash_i64(secs), hash_i64(us)].into_iter())
}

fn delta_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    if !is_delta(vm, b) || !is_delta(vm, a) {
        return Ok(vm.not_implemented.clone());
    }
    Ok(vm.bool(super::cmp_result(op, get(a).total_us().cmp(&get(b).total_us()))))
}

fn delta_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let (da, db) = (is_delta(vm, a), is_delta(vm, b));
    let ni = || Ok(vm.not_implemented.clone());
    match op {
        BinaryOp::Add if da && db => from_us(vm, get(a).total_us() + get(b).total_us()),
        BinaryOp::Subtract if da && db => from_us(vm, get(a).total_us() - get(b).total_us()),
        BinaryOp::Multiply => {
            let (d, n) = if da && !db {
                (a, b)
            } else if db && !da {
                (b, a)
            } else {
                return ni();
            };
            let us = BigInt::from(get(d).total_us());
            if let Some(i) = int_data(n) {
                return from_big(vm, &(us * i.to_big()));
            }
            if n.downcast::<f64>().is_some() {
                let (num, den) = ratio_of(vm, n)?;
                return from_big(vm, &divide_nearest(&(us * num), &den));
            }
            ni()
        }
        BinaryOp::TrueDivide if da => {
            let us = BigInt::from(get(a).total_us());
            if db {
                let d = get(b).total_us();
                if d == 0 {
                    return Err(vm.new_error(&vm.types.zero_division_error, "division by zero"));
                }
                let q = taipan_vm::types::builtin::ratio_to_f64(&us, &BigInt::from(d)).unwrap_or(f64::INFINITY);
                return Ok(alloc(vm.types.float.clone(), q));
            }
            if let Some(i) = int_data(b) {
                if i.is_zero() {
                    return Err(vm.new_error(&vm.types.zero_division_error, "integer division or modulo by zero"));
                }
                return from_big(vm, &divide_nearest(&us, &i.to_big()));
            }
            if b.downcast::<f64>().is_some() {
                let (num, den) = ratio_of(vm, b)?;
                if num.is_zero() {
                    return Err(vm.new_error(&vm.types.zero_division_error, "integer division or modulo by zero"));
                }
                return from_big(vm, &divide_nearest(&(us * den), &num));
            }
            ni()
        }
        BinaryOp::FloorDivide if da => {
            let us = BigInt::from(get(a).total_us());
            if db {
                let d = get(b).total_us();
                if d == 0 {
                    return Err(vm.new_error(&vm.types.zero_division_error, "integer division or modulo by zero"));
                }
                return Ok(new_int_big(vm, us.div_floor(&BigInt::from(d))));
            }
            if let Some(i) = int_data(b) {
                if i.is_zero() {
                    return Err(vm.new_error(&vm.types.zero_division_error, "integer division or modulo by zero"));
                }
                return from_big(vm, &us.div_floor(&i.to_big()));
            }
            ni()
        }
        BinaryOp::Remainder if da && db => {
            let d = get(b).total_us();
            if d == 0 {
                return Err(vm.new_error(&vm.types.zero_division_error, "integer modulo by zero"));
            }
            from_big(vm, &BigInt::from(get(a).total_us()).mod_floor(&BigInt::from(d)))
        }
        _ => ni(),
    }
}

/// `divmod(td, td)`, reached through `__divmod__`.
fn delta_divmod(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [other] = exact::<1>(vm, "__divmod__", args, kw)?;
    if !is_delta(vm, &other) {
        return Ok(vm.not_implemented.clone());
    }
    let d = get(&other).total_us();
    if d == 0 {
        return Err(vm.new_error(&vm.types.zero_division_error, "integer division or modulo by zero"));
    }
    let a = BigInt::from(get(this).total_us());
    let (q, r) = a.div_mod_floor(&BigInt::from(d));
    Ok(new_tuple(vm, vec![new_int_big(vm, q), from_big(vm, &r)?]))
}

fn delta_total_seconds(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "total_seconds", args, kw)?;
    let us = get(this).total_us();
    let f = taipan_vm::types::builtin::ratio_to_f64(&BigInt::from(us), &BigInt::from(1_000_000)).unwrap_or(0.0);
    Ok(alloc(vm.types.float.clone(), f))
}

fn delta_reduce(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__reduce__", args, kw)?;
    let d = get(this);
    let state = new_tuple(vm, vec![vm.int(d.days), vm.int(d.secs), vm.int(d.us)]);
    Ok(new_tuple(vm, vec![type_of(this), state]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_division_rounds_half_to_even() {
        let d = |a: i64, b: i64| divide_nearest(&BigInt::from(a), &BigInt::from(b)).to_i64().unwrap();
        assert_eq!(d(5, 2), 2);
        assert_eq!(d(7, 2), 4);
        assert_eq!(d(-5, 2), -2);
        assert_eq!(d(-7, 2), -4);
        assert_eq!(d(10, 3), 3);
        assert_eq!(d(11, 3), 4);
        assert_eq!(d(5, -2), -2);
    }

    #[test]
    fn split_normalises() {
        assert_eq!(split_us(-1), Ok((-1, 86_399, 999_999)));
        assert_eq!(split_us(US_PER_DAY + 1_000_001), Ok((1, 1, 1)));
    }
}
