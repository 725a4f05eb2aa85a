//! `_datetime`: CPython's `Modules/_datetimemodule.c` in Rust, the fast
//! half under `Lib/datetime.py` (`from _datetime import *`).
//!
//! - `mod.rs` — the module, calendar arithmetic (proleptic Gregorian
//!   ordinals), argument conversion, shared helpers (offsets, subclass
//!   construction, `strftime` wrapping).
//! - `delta.rs` — `timedelta` (days/seconds/microseconds, normalised).
//! - `date.rs` — `date`, `datetime` and `time`: one payload [`Dt`] for all
//!   three (a `datetime` is a `date`, so they share a layout).
//! - `tz.rs` — `tzinfo`, `timezone`.
//! - `iso.rs` — `fromisoformat` parsing (3.11's extended forms) and ISO
//!   formatting helpers.

use taipan_vm::modules::add_attr;
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{int_data, new_str, IntData};
use taipan_vm::types::{is_subtype, type_data, type_of};
use taipan_vm::{PyErr, PyResult, Vm};

pub(crate) mod date;
pub(crate) mod delta;
pub(crate) mod iso;
pub(crate) mod tz;

pub const MINYEAR: i64 = 1;
pub const MAXYEAR: i64 = 9999;
/// `date.max.toordinal()`.
pub const MAX_ORDINAL: i64 = 3_652_059;
pub const US_PER_SECOND: i128 = 1_000_000;
pub const US_PER_DAY: i128 = 86_400_000_000;
/// Seconds from 0001-01-01 to 1970-01-01.
pub const EPOCH_SECONDS: i64 = 719_163 * 86_400;

const DAYS_IN_MONTH: [i64; 13] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DAYS_BEFORE_MONTH: [i64; 13] = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

pub fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

pub fn days_in_month(y: i64, m: i64) -> i64 {
    if m == 2 && is_leap(y) {
        29
    } else {
        DAYS_IN_MONTH[m as usize]
    }
}

fn days_before_month(y: i64, m: i64) -> i64 {
    DAYS_BEFORE_MONTH[m as usize] + i64::from(m > 2 && is_leap(y))
}

fn days_before_year(y: i64) -> i64 {
    let y = y - 1;
    y * 365 + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400)
}

/// Proleptic Gregorian ordinal, 0001-01-01 is day 1.
pub fn ymd_to_ord(y: i64, m: i64, d: i64) -> i64 {
    days_before_year(y) + days_before_month(y, m) + d
}

/// The inverse of [`ymd_to_ord`].
pub fn ord_to_ymd(n: i64) -> (i64, i64, i64) {
    let mut n = n - 1;
    let n400 = n.div_euclid(146_097);
    n = n.rem_euclid(146_097);
    let mut year = n400 * 400 + 1;
    let n100 = n / 36_524;
    n %= 36_524;
    let n4 = n / 1_461;
    n %= 1_461;
    let n1 = n / 365;
    n %= 365;
    year += n100 * 100 + n4 * 4 + n1;
    if n1 == 4 || n100 == 4 {
        return (year - 1, 12, 31);
    }
    let leap = n1 == 3 && (n4 != 24 || n100 == 3);
    let mut month = (n + 50) >> 5;
    let mut preceding = DAYS_BEFORE_MONTH[month as usize] + i64::from(month > 2 && leap);
    if preceding > n {
        month -= 1;
        preceding -= DAYS_IN_MONTH[month as usize] + i64::from(month == 2 && leap);
    }
    (year, month, n - preceding + 1)
}

/// Monday is 0.
pub fn weekday(y: i64, m: i64, d: i64) -> i64 {
    (ymd_to_ord(y, m, d) + 6).rem_euclid(7)
}

/// The ordinal of the Monday of ISO week 1 of `year`.
pub fn iso_week1_monday(year: i64) -> i64 {
    let first = ymd_to_ord(year, 1, 1);
    let wd = (first + 6).rem_euclid(7);
    let mut monday = first - wd;
    if wd > 3 {
        monday += 7;
    }
    monday
}

/// `(year, week, weekday)` of an ISO calendar date, or the ValueError.
pub fn iso_to_ymd(vm: &Vm, year: i64, week: i64, day: i64) -> PyResult<(i64, i64, i64)> {
    if !(MINYEAR..=MAXYEAR).contains(&year) {
        return Err(value_error(vm, format!("Year is out of range: {year}")));
    }
    if week <= 0 || week >= 53 {
        let mut ok = false;
        if week == 53 {
            let first_wd = ymd_to_ord(year, 1, 1).rem_euclid(7);
            ok = first_wd == 4 || (first_wd == 3 && is_leap(year));
        }
        if !ok {
            return Err(value_error(vm, format!("Invalid week: {week}")));
        }
    }
    if day <= 0 || day >= 8 {
        return Err(value_error(vm, format!("Invalid weekday: {day} (range is [1, 7])")));
    }
    let ord = iso_week1_monday(year) + (week - 1) * 7 + (day - 1);
    Ok(ord_to_ymd(ord))
}

pub fn value_error(vm: &Vm, msg: impl Into<String>) -> PyErr {
    vm.new_error(&vm.types.value_error, msg)
}

pub fn overflow_error(vm: &Vm, msg: impl Into<String>) -> PyErr {
    vm.new_error(&vm.types.overflow_error, msg)
}

/// A C `int` argument (`PyArg_Parse` format `i`): `__index__`, no floats.
pub fn int_arg(vm: &Vm, o: &Obj) -> PyResult<i64> {
    if o.downcast::<f64>().is_some() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let i = taipan_vm::ops::index(vm, o)?;
    match int_data(&i) {
        Some(IntData::Small(v)) => {
            if *v > i64::from(i32::MAX) {
                Err(overflow_error(vm, "signed integer is greater than maximum"))
            } else if *v < i64::from(i32::MIN) {
                Err(overflow_error(vm, "signed integer is less than minimum"))
            } else {
                Ok(*v)
            }
        }
        _ => Err(overflow_error(vm, "Python int too large to convert to C long")),
    }
}

/// The name `repr` uses for an instance: the static type's dotted name
/// (`datetime.date`) or a subclass's `__name__` (CPython's `tp_name`).
pub fn tp_name(o: &Obj) -> String {
    let ty = type_of(o);
    let td = type_data(&ty);
    if td.qualname.borrow().is_some() || td.name.starts_with("datetime.") {
        td.name.to_string()
    } else {
        format!("datetime.{}", td.name)
    }
}

pub fn isinstance_of(o: &Obj, ty: &Obj) -> bool {
    is_subtype(&type_of(o), ty)
}

pub fn call_method(vm: &Vm, o: &Obj, name: &str, args: &[Obj]) -> PyResult<Obj> {
    let f = taipan_vm::classes::getattr(vm, o, &vm.intern(name))?;
    taipan_vm::classes::call_object(vm, &f, args)
}

pub fn import_attr(vm: &Vm, module: &str, name: &str) -> PyResult<Obj> {
    let m = taipan_vm::import::import_absolute(vm, module)?;
    taipan_vm::classes::getattr(vm, &m, &vm.intern(name))
}

/// The boolean answer of a rich comparison from an ordering.
pub fn cmp_result(op: taipan_vm::CompareOp, o: std::cmp::Ordering) -> bool {
    use taipan_vm::CompareOp::*;
    match op {
        Lt => o.is_lt(),
        Le => o.is_le(),
        Eq => o.is_eq(),
        Ne => o.is_ne(),
        Gt => o.is_gt(),
        Ge => o.is_ge(),
    }
}

/// Per-interpreter cached objects.
#[derive(Default)]
pub struct State {
    pub utc: std::cell::RefCell<Option<Obj>>,
}

static DOC: &str = "Fast implementation of the datetime type.";

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_attr(vm, m, "__doc__", new_str(vm, DOC))?;
    add_attr(vm, m, "MINYEAR", vm.int(MINYEAR))?;
    add_attr(vm, m, "MAXYEAR", vm.int(MAXYEAR))?;
    add_attr(vm, m, "timedelta", delta::delta_type(vm))?;
    add_attr(vm, m, "date", date::date_type(vm))?;
    add_attr(vm, m, "datetime", date::datetime_type(vm))?;
    add_attr(vm, m, "time", date::time_type(vm))?;
    add_attr(vm, m, "tzinfo", tz::tzinfo_type(vm))?;
    add_attr(vm, m, "timezone", tz::timezone_type(vm))?;
    add_attr(vm, m, "UTC", tz::utc(vm))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_round_trip() {
        for n in [1, 2, 365, 366, 730_120, 730_119, 1_000_000, MAX_ORDINAL, 36_524, 36_525, 146_097, 146_098] {
            let (y, m, d) = ord_to_ymd(n);
            assert_eq!(ymd_to_ord(y, m, d), n, "{n} -> {y}-{m}-{d}");
        }
        assert_eq!(ord_to_ymd(1), (1, 1, 1));
        assert_eq!(ord_to_ymd(MAX_ORDINAL), (9999, 12, 31));
        assert_eq!(ymd_to_ord(1970, 1, 1), 719_163);
        assert_eq!(ymd_to_ord(2000, 3, 1) - ymd_to_ord(2000, 2, 28), 2);
        assert_eq!(weekday(2024, 1, 1), 0);
    }

    #[test]
    fn iso_week_one() {
        // 2004-01-01 is a Thursday: week 1 starts on 2003-12-29.
        assert_eq!(ord_to_ymd(iso_week1_monday(2004)), (2003, 12, 29));
        assert_eq!(ord_to_ymd(iso_week1_monday(2005)), (2005, 1, 3));
    }
}
