//! `datetime.date`, `datetime.datetime` and `datetime.time`. The three
//! share the payload [`Dt`] (a `datetime` is a `date`; `time` uses the
//! clock fields only).

use std::cell::Cell;

use taipan_parser::wtf8::Wtf8Buf;
use taipan_vm::native::{bind, exact, new_type, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{bytes_data, new_bytes, new_str, new_str_wtf8, new_tuple, object_slots, str_data, type_name, StrData};
use taipan_vm::types::{type_data, type_data_of, type_of, Kwargs, Slots};
use taipan_vm::{BinaryOp, CompareOp, PyResult, Vm};

use super::delta::{self, from_us, is_delta, set_class_attr, set_doc};
use super::{
    call_method, cmp_result, days_in_month, import_attr, int_arg, isinstance_of, ord_to_ymd, overflow_error, tp_name, tz, value_error,
    weekday, ymd_to_ord, EPOCH_SECONDS, MAXYEAR, MAX_ORDINAL, MINYEAR, US_PER_DAY, US_PER_SECOND,
};

pub struct Dt {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
    pub us: i64,
    pub fold: Cell<i64>,
    pub tz: Option<Obj>,
}

impl Dt {
    pub fn date(y: i64, m: i64, d: i64) -> Dt {
        Dt { year: y, month: m, day: d, hour: 0, minute: 0, second: 0, us: 0, fold: Cell::new(0), tz: None }
    }
    pub fn ord(&self) -> i64 {
        ymd_to_ord(self.year, self.month, self.day)
    }
    /// Microseconds since 0001-01-01 00:00 (local fields, offset ignored).
    pub fn total_us(&self) -> i128 {
        i128::from(self.ord()) * US_PER_DAY + self.time_us()
    }
    pub fn time_us(&self) -> i128 {
        i128::from(self.hour * 3600 + self.minute * 60 + self.second) * US_PER_SECOND + i128::from(self.us)
    }
    pub fn tzinfo(&self, vm: &Vm) -> Obj {
        self.tz.clone().unwrap_or_else(|| vm.none.clone())
    }
    fn key(&self) -> [i64; 7] {
        [self.year, self.month, self.day, self.hour, self.minute, self.second, self.us]
    }
}

pub fn get(o: &Obj) -> &Dt {
    // Slots and descriptors only pass instances of the types; the
    // fallback (never taken) avoids a panic.
    o.downcast::<Dt>().unwrap_or_else(|| Box::leak(Box::new(Dt::date(1, 1, 1))))
}

fn dt_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(Some(t)) = o.downcast::<Dt>().map(|d| &d.tz) {
        visit(t);
    }
}

pub fn date_type(vm: &Vm) -> Obj {
    vm.native_type("datetime.date", |vm| {
        let slots = Slots {
            new: Some(date_new),
            repr: Some(date_repr),
            str: Some(|vm, o| call_method(vm, o, "isoformat", &[])),
            hash: Some(|_vm, o| Ok(taipan_vm::hash::hash_bytes(&dt_state(get(o), 0, true)[..4]))),
            compare: Some(date_compare),
            binary: Some(date_binary),
            ..object_slots()
        };
        let t = new_type::<Dt>(vm, "datetime.date", &[], false, slots, DATE_METHODS, DATE_GETSETS);
        set_doc(vm, &t, "date(year, month, day) --> date object");
        set_class_attr(vm, &t, "min", alloc(t.clone(), Dt::date(1, 1, 1)));
        set_class_attr(vm, &t, "max", alloc(t.clone(), Dt::date(9999, 12, 31)));
        set_class_attr(vm, &t, "resolution", alloc(delta::delta_type(vm), delta::Delta { days: 1, secs: 0, us: 0 }));
        t
    })
}

pub fn datetime_type(vm: &Vm) -> Obj {
    vm.native_type("datetime.datetime", |vm| {
        let slots = Slots {
            new: Some(datetime_new),
            repr: Some(datetime_repr),
            str: Some(|vm, o| call_method(vm, o, "isoformat", &[new_str(vm, " ")])),
            hash: Some(datetime_hash),
            compare: Some(datetime_compare),
            binary: Some(datetime_binary),
            traverse: Some(dt_traverse),
            ..object_slots()
        };
        let base = date_type(vm);
        let t = new_type::<Dt>(vm, "datetime.datetime", &[&base], false, slots, DATETIME_METHODS, DATETIME_GETSETS);
        set_doc(vm, &t, "datetime(year, month, day[, hour[, minute[, second[, microsecond[,tzinfo]]]]])\n\nThe year, month and day arguments are required. tzinfo may be None, or an\ninstance of a tzinfo subclass. The remaining arguments may be ints.\n");
        let mk = |y, mo, d, h, mi, s, us| alloc(t.clone(), Dt { year: y, month: mo, day: d, hour: h, minute: mi, second: s, us, fold: Cell::new(0), tz: None });
        set_class_attr(vm, &t, "min", mk(1, 1, 1, 0, 0, 0, 0));
        set_class_attr(vm, &t, "max", mk(9999, 12, 31, 23, 59, 59, 999_999));
        set_class_attr(vm, &t, "resolution", alloc(delta::delta_type(vm), delta::Delta { days: 0, secs: 0, us: 1 }));
        t
    })
}

pub fn time_type(vm: &Vm) -> Obj {
    vm.native_type("datetime.time", |vm| {
        let slots = Slots {
            new: Some(time_new),
            repr: Some(time_repr),
            str: Some(|vm, o| call_method(vm, o, "isoformat", &[])),
            hash: Some(time_hash),
            compare: Some(time_compare),
            bool: Some(|_vm, _o| Ok(true)),
            traverse: Some(dt_traverse),
            ..object_slots()
        };
        let t = new_type::<Dt>(vm, "datetime.time", &[], false, slots, TIME_METHODS, TIME_GETSETS);
        set_doc(vm, &t, "time([hour[, minute[, second[, microsecond[, tzinfo]]]]]) --> a time object\n\nAll arguments are optional. tzinfo may be None, or an instance of\na tzinfo subclass. The remaining arguments may be ints.\n");
        let mk = |h, mi, s, us| alloc(t.clone(), Dt { year: 1, month: 1, day: 1, hour: h, minute: mi, second: s, us, fold: Cell::new(0), tz: None });
        set_class_attr(vm, &t, "min", mk(0, 0, 0, 0));
        set_class_attr(vm, &t, "max", mk(23, 59, 59, 999_999));
        set_class_attr(vm, &t, "resolution", alloc(delta::delta_type(vm), delta::Delta { days: 0, secs: 0, us: 1 }));
        t
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Date,
    DateTime,
    Time,
}

/// Which of the three types `o` is an instance of, found without the
/// type registry (hot paths: arithmetic and comparisons): the first
/// native `datetime.*` type along its MRO (`datetime` precedes `date`).
pub fn kind(o: &Obj) -> Option<Kind> {
    o.downcast::<Dt>()?;
    let mro = type_data_of(o).mro.borrow();
    for t in mro.iter() {
        match &*type_data(t).name {
            "datetime.datetime" => return Some(Kind::DateTime),
            "datetime.date" => return Some(Kind::Date),
            "datetime.time" => return Some(Kind::Time),
            _ => {}
        }
    }
    None
}

/// Whether `cls` is a native type (not a class defined in Python): such a
/// class is allocated directly rather than called.
pub fn is_native(cls: &Obj) -> bool {
    type_data(cls).qualname.borrow().is_none()
}

pub fn is_date(_vm: &Vm, o: &Obj) -> bool {
    matches!(kind(o), Some(Kind::Date | Kind::DateTime))
}
pub fn is_datetime(_vm: &Vm, o: &Obj) -> bool {
    kind(o) == Some(Kind::DateTime)
}
pub fn is_time(_vm: &Vm, o: &Obj) -> bool {
    kind(o) == Some(Kind::Time)
}

// ---------------------------------------------------------------- checks

pub fn check_date(vm: &Vm, y: i64, m: i64, d: i64) -> PyResult<()> {
    if !(MINYEAR..=MAXYEAR).contains(&y) {
        return Err(value_error(vm, format!("year {y} is out of range")));
    }
    if !(1..=12).contains(&m) {
        return Err(value_error(vm, "month must be in 1..12"));
    }
    if d < 1 || d > days_in_month(y, m) {
        return Err(value_error(vm, "day is out of range for month"));
    }
    Ok(())
}

pub fn check_time(vm: &Vm, h: i64, m: i64, s: i64, us: i64, fold: i64) -> PyResult<()> {
    if !(0..=23).contains(&h) {
        return Err(value_error(vm, "hour must be in 0..23"));
    }
    if !(0..=59).contains(&m) {
        return Err(value_error(vm, "minute must be in 0..59"));
    }
    if !(0..=59).contains(&s) {
        return Err(value_error(vm, "second must be in 0..59"));
    }
    if !(0..=999_999).contains(&us) {
        return Err(value_error(vm, "microsecond must be in 0..999999"));
    }
    if fold != 0 && fold != 1 {
        return Err(value_error(vm, "fold must be either 0 or 1"));
    }
    Ok(())
}

pub fn check_tzinfo(vm: &Vm, t: &Obj) -> PyResult<Option<Obj>> {
    if t.is(&vm.none) {
        return Ok(None);
    }
    if !isinstance_of(t, &tz::tzinfo_type(vm)) {
        return Err(vm.type_error(format!("tzinfo argument must be None or of a tzinfo subclass, not type '{}'", type_name(t))));
    }
    Ok(Some(t.clone()))
}

// ---------------------------------------------------------------- construction

/// A date of class `cls`: allocated directly for `date` itself, through
/// `cls(y, m, d)` for subclasses (CPython's `new_date_subclass_ex`).
pub fn make_date(vm: &Vm, cls: &Obj, y: i64, m: i64, d: i64) -> PyResult<Obj> {
    if is_native(cls) {
        check_date(vm, y, m, d)?;
        return Ok(alloc(cls.clone(), Dt::date(y, m, d)));
    }
    taipan_vm::classes::call_object(vm, cls, &[vm.int(y), vm.int(m), vm.int(d)])
}

#[allow(clippy::too_many_arguments)]
pub fn make_datetime(vm: &Vm, cls: &Obj, f: [i64; 7], tz: Option<Obj>, fold: i64) -> PyResult<Obj> {
    if is_native(cls) {
        check_date(vm, f[0], f[1], f[2])?;
        check_time(vm, f[3], f[4], f[5], f[6], fold)?;
        return Ok(alloc(
            cls.clone(),
            Dt { year: f[0], month: f[1], day: f[2], hour: f[3], minute: f[4], second: f[5], us: f[6], fold: Cell::new(fold), tz },
        ));
    }
    let mut args: Vec<Obj> = f.iter().map(|v| vm.int(*v)).collect();
    args.push(tz.unwrap_or_else(|| vm.none.clone()));
    let r = taipan_vm::classes::call_object(vm, cls, &args)?;
    if fold != 0 {
        if let Some(d) = r.downcast::<Dt>() {
            d.fold.set(fold);
        }
    }
    Ok(r)
}

/// An exact `datetime` whose fields are known to be valid.
pub fn raw_datetime(vm: &Vm, f: [i64; 7], tz: Option<Obj>, fold: i64) -> Obj {
    alloc(
        datetime_type(vm),
        Dt { year: f[0], month: f[1], day: f[2], hour: f[3], minute: f[4], second: f[5], us: f[6], fold: Cell::new(fold), tz },
    )
}

pub fn raw_time(vm: &Vm, h: i64, m: i64, s: i64, us: i64, tz: Option<Obj>, fold: i64) -> Obj {
    alloc(time_type(vm), Dt { year: 1, month: 1, day: 1, hour: h, minute: m, second: s, us, fold: Cell::new(fold), tz })
}

#[allow(clippy::too_many_arguments)]
pub fn make_time(vm: &Vm, cls: &Obj, h: i64, m: i64, s: i64, us: i64, tz: Option<Obj>, fold: i64) -> PyResult<Obj> {
    if is_native(cls) {
        check_time(vm, h, m, s, us, fold)?;
        return Ok(raw_time(vm, h, m, s, us, tz, fold));
    }
    let args = [vm.int(h), vm.int(m), vm.int(s), vm.int(us), tz.unwrap_or_else(|| vm.none.clone())];
    let r = taipan_vm::classes::call_object(vm, cls, &args)?;
    if fold != 0 {
        if let Some(d) = r.downcast::<Dt>() {
            d.fold.set(fold);
        }
    }
    Ok(r)
}

/// Fields of a datetime `us` microseconds after 0001-01-01, if in range.
pub fn fields_from_us(us: i128) -> Option<[i64; 7]> {
    let days = us.div_euclid(US_PER_DAY);
    if days < 1 || days > i128::from(MAX_ORDINAL) {
        return None;
    }
    let rest = us.rem_euclid(US_PER_DAY);
    let (y, m, d) = ord_to_ymd(days as i64);
    let secs = (rest / US_PER_SECOND) as i64;
    Some([y, m, d, secs / 3600, secs / 60 % 60, secs % 60, (rest % US_PER_SECOND) as i64])
}

/// Pickle state bytes, if `args` is `(bytes_or_latin1_str[, tzinfo])`.
fn state_bytes(vm: &Vm, args: &[Obj], kw: Kwargs, len: usize, ok: fn(&[u8]) -> bool) -> PyResult<Option<(Vec<u8>, Option<Obj>)>> {
    if !kw.is_empty() || args.is_empty() || args.len() > 2 {
        return Ok(None);
    }
    let bytes: Vec<u8> = if let Some(b) = bytes_data(&args[0]) {
        b.to_vec()
    } else if let Some(s) = args[0].downcast::<StrData>() {
        let s = s.as_str();
        if s.chars().count() != len {
            return Ok(None);
        }
        if s.chars().any(|c| c as u32 > 255) {
            return Err(value_error(
                vm,
                "Failed to encode latin1 string when unpickling a datetime object. pickle.load(data, encoding='latin1') is assumed.",
            ));
        }
        s.chars().map(|c| c as u8).collect()
    } else {
        return Ok(None);
    };
    if bytes.len() != len || !ok(&bytes) {
        return Ok(None);
    }
    let tz = match args.get(1) {
        Some(t) => {
            if !t.is(&vm.none) && !isinstance_of(t, &tz::tzinfo_type(vm)) {
                return Err(vm.type_error("bad tzinfo state arg"));
            }
            check_tzinfo(vm, t)?
        }
        None => None,
    };
    Ok(Some((bytes, tz)))
}

static DATE_PARAMS: Params = Params { fname: "date", names: &["year", "month", "day"], posonly: 0, kwonly: 0, required: 3 };

fn date_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if args.len() == 1 {
        if let Some((b, _)) = state_bytes(vm, args, kw, 4, |b| (1..=12).contains(&b[2]))? {
            let y = i64::from(b[0]) * 256 + i64::from(b[1]);
            return Ok(alloc(cls.clone(), Dt::date(y, i64::from(b[2]), i64::from(b[3]))));
        }
    }
    check_required(vm, DATE_PARAMS.names, 3, args, kw)?;
    let [y, m, d] = bind::<3>(vm, &DATE_PARAMS, args, kw)?;
    let (y, m, d) = (
        int_arg(vm, &y.unwrap_or_else(|| vm.none.clone()))?,
        int_arg(vm, &m.unwrap_or_else(|| vm.none.clone()))?,
        int_arg(vm, &d.unwrap_or_else(|| vm.none.clone()))?,
    );
    check_date(vm, y, m, d)?;
    Ok(alloc(cls.clone(), Dt::date(y, m, d)))
}

/// `PyArg_ParseTupleAndKeywords` without a function name says
/// "function missing required argument": checked before binding.
fn check_required(vm: &Vm, names: &[&str], required: usize, args: &[Obj], kw: Kwargs) -> PyResult<()> {
    for (i, name) in names.iter().enumerate().take(required).skip(args.len()) {
        if !kw.iter().any(|(k, _)| str_data(k).as_str() == *name) {
            return Err(vm.type_error(format!("function missing required argument '{name}' (pos {})", i + 1)));
        }
    }
    Ok(())
}

static DATETIME_PARAMS: Params = Params {
    fname: "datetime",
    names: &["year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo", "fold"],
    posonly: 0,
    kwonly: 1,
    required: 3,
};

fn datetime_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if let Some((b, tz)) = state_bytes(vm, args, kw, 10, |b| (1..=12).contains(&(b[2] & 0x7f)))? {
        let y = i64::from(b[0]) * 256 + i64::from(b[1]);
        let us = (i64::from(b[7]) << 16) | (i64::from(b[8]) << 8) | i64::from(b[9]);
        let d = Dt {
            year: y,
            month: i64::from(b[2] & 0x7f),
            day: i64::from(b[3]),
            hour: i64::from(b[4]),
            minute: i64::from(b[5]),
            second: i64::from(b[6]),
            us,
            fold: Cell::new(i64::from(b[2] >> 7)),
            tz,
        };
        return Ok(alloc(cls.clone(), d));
    }
    check_required(vm, DATETIME_PARAMS.names, 3, args, kw)?;
    let a = bind::<9>(vm, &DATETIME_PARAMS, args, kw)?;
    let mut f = [0i64; 7];
    for i in 0..7 {
        if let Some(v) = &a[i] {
            f[i] = int_arg(vm, v)?;
        }
    }
    let fold = match &a[8] {
        Some(v) => int_arg(vm, v)?,
        None => 0,
    };
    check_date(vm, f[0], f[1], f[2])?;
    check_time(vm, f[3], f[4], f[5], f[6], fold)?;
    let tz = match &a[7] {
        Some(t) => check_tzinfo(vm, t)?,
        None => None,
    };
    Ok(alloc(
        cls.clone(),
        Dt { year: f[0], month: f[1], day: f[2], hour: f[3], minute: f[4], second: f[5], us: f[6], fold: Cell::new(fold), tz },
    ))
}

static TIME_PARAMS: Params =
    Params { fname: "time", names: &["hour", "minute", "second", "microsecond", "tzinfo", "fold"], posonly: 0, kwonly: 1, required: 0 };

fn time_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if let Some((b, tz)) = state_bytes(vm, args, kw, 6, |b| (b[0] & 0x7f) < 24)? {
        let us = (i64::from(b[3]) << 16) | (i64::from(b[4]) << 8) | i64::from(b[5]);
        let d = Dt {
            year: 1,
            month: 1,
            day: 1,
            hour: i64::from(b[0] & 0x7f),
            minute: i64::from(b[1]),
            second: i64::from(b[2]),
            us,
            fold: Cell::new(i64::from(b[0] >> 7)),
            tz,
        };
        return Ok(alloc(cls.clone(), d));
    }
    let a = bind::<6>(vm, &TIME_PARAMS, args, kw)?;
    let mut f = [0i64; 4];
    for i in 0..4 {
        if let Some(v) = &a[i] {
            f[i] = int_arg(vm, v)?;
        }
    }
    let fold = match &a[5] {
        Some(v) => int_arg(vm, v)?,
        None => 0,
    };
    check_time(vm, f[0], f[1], f[2], f[3], fold)?;
    let tz = match &a[4] {
        Some(t) => check_tzinfo(vm, t)?,
        None => None,
    };
    Ok(alloc(cls.clone(), Dt { year: 1, month: 1, day: 1, hour: f[0], minute: f[1], second: f[2], us: f[3], fold: Cell::new(fold), tz }))
}

// ---------------------------------------------------------------- repr

fn date_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let d = get(o);
    Ok(new_str(vm, &format!("{}({}, {}, {})", tp_name(o), d.year, d.month, d.day)))
}

fn tail_repr(vm: &Vm, d: &Dt, s: &mut String) -> PyResult<()> {
    if let Some(t) = &d.tz {
        let r = taipan_vm::ops::repr(vm, t)?;
        s.push_str(&format!(", tzinfo={}", str_data(&r).as_str()));
    }
    if d.fold.get() != 0 {
        s.push_str(", fold=1");
    }
    s.push(')');
    Ok(())
}

fn datetime_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let d = get(o);
    let mut s = format!("{}({}, {}, {}, {}, {}", tp_name(o), d.year, d.month, d.day, d.hour, d.minute);
    if d.us != 0 {
        s.push_str(&format!(", {}, {}", d.second, d.us));
    } else if d.second != 0 {
        s.push_str(&format!(", {}", d.second));
    }
    tail_repr(vm, d, &mut s)?;
    Ok(new_str(vm, &s))
}

fn time_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let d = get(o);
    let mut s = format!("{}({}, {}", tp_name(o), d.hour, d.minute);
    if d.us != 0 {
        s.push_str(&format!(", {}, {}", d.second, d.us));
    } else if d.second != 0 {
        s.push_str(&format!(", {}", d.second));
    }
    tail_repr(vm, d, &mut s)?;
    Ok(new_str(vm, &s))
}

// ---------------------------------------------------------------- offsets

/// `tzinfo.utcoffset(arg)` (or `dst`) checked: None, or microseconds and
/// the timedelta object itself.
pub fn call_offset(vm: &Vm, which: &str, tz: &Option<Obj>, arg: &Obj) -> PyResult<Option<(i128, Obj)>> {
    let Some(tz) = tz else { return Ok(None) };
    let r = call_method(vm, tz, which, std::slice::from_ref(arg))?;
    if r.is(&vm.none) {
        return Ok(None);
    }
    if !is_delta(vm, &r) {
        return Err(vm.type_error(format!("tzinfo.{which}() must return None or timedelta, not '{}'", type_name(&r))));
    }
    let us = delta::get(&r).total_us();
    if us.abs() >= US_PER_DAY {
        return Err(value_error(vm, "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24)."));
    }
    Ok(Some((us, r)))
}

pub fn utcoffset_of(vm: &Vm, o: &Obj) -> PyResult<Option<i128>> {
    let d = get(o);
    let arg = if is_datetime(vm, o) { o.clone() } else { vm.none.clone() };
    Ok(call_offset(vm, "utcoffset", &d.tz, &arg)?.map(|x| x.0))
}

fn call_tzname(vm: &Vm, tz: &Option<Obj>, arg: &Obj) -> PyResult<Obj> {
    let Some(tz) = tz else { return Ok(vm.none.clone()) };
    let r = call_method(vm, tz, "tzname", std::slice::from_ref(arg))?;
    if !r.is(&vm.none) && r.downcast::<StrData>().is_none() {
        return Err(vm.type_error(format!("tzinfo.tzname() must return None or a string, not '{}'", type_name(&r))));
    }
    Ok(r)
}

/// `+HH:MM[:SS[.ffffff]]` (with `sep` between the parts).
pub fn format_offset(us: i128, sep: &str) -> String {
    let (sign, us) = if us < 0 { ('-', -us) } else { ('+', us) };
    let secs = us / US_PER_SECOND;
    let frac = us % US_PER_SECOND;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut out = format!("{sign}{h:02}{sep}{m:02}");
    if s != 0 || frac != 0 {
        out.push_str(&format!("{sep}{s:02}"));
        if frac != 0 {
            out.push_str(&format!(".{frac:06}"));
        }
    }
    out
}

// ---------------------------------------------------------------- comparison and hashing

fn date_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    if !is_date(vm, b) || !is_date(vm, a) {
        return Ok(vm.not_implemented.clone());
    }
    Ok(vm.bool(cmp_result(op, get(a).key()[..3].cmp(&get(b).key()[..3]))))
}

fn cmp_error(vm: &Vm, a: &Obj, b: &Obj) -> taipan_vm::PyErr {
    vm.type_error(format!("can't compare {} to {}", tp_name(a), tp_name(b)))
}

/// Whether `o`'s utcoffset changes with its fold (PEP 495's exception
/// to equality across zones).
fn fold_sensitive(vm: &Vm, o: &Obj, off: Option<i128>) -> PyResult<bool> {
    let d = get(o);
    let flipped = alloc(datetime_type(vm), Dt { fold: Cell::new(1 - d.fold.get()), tz: d.tz.clone(), ..*dt_copy(d) });
    let other = call_offset(vm, "utcoffset", &d.tz, &flipped)?.map(|x| x.0);
    Ok(other != off)
}

fn dt_copy(d: &Dt) -> Box<Dt> {
    Box::new(Dt {
        year: d.year,
        month: d.month,
        day: d.day,
        hour: d.hour,
        minute: d.minute,
        second: d.second,
        us: d.us,
        fold: Cell::new(d.fold.get()),
        tz: d.tz.clone(),
    })
}

fn datetime_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    if !is_datetime(vm, b) {
        if is_date(vm, b) {
            return match op {
                CompareOp::Eq => Ok(vm.bool(false)),
                CompareOp::Ne => Ok(vm.bool(true)),
                _ => Err(cmp_error(vm, a, b)),
            };
        }
        return Ok(vm.not_implemented.clone());
    }
    if !is_datetime(vm, a) {
        return Ok(vm.not_implemented.clone());
    }
    let (x, y) = (get(a), get(b));
    let same_tz = match (&x.tz, &y.tz) {
        (Some(p), Some(q)) => p.is(q),
        (None, None) => true,
        _ => false,
    };
    if same_tz {
        return Ok(vm.bool(cmp_result(op, x.key().cmp(&y.key()))));
    }
    let o1 = utcoffset_of(vm, a)?;
    let o2 = utcoffset_of(vm, b)?;
    if matches!(op, CompareOp::Eq | CompareOp::Ne) && (o1.is_some() || o2.is_some()) {
        let exc = (o1.is_some() && fold_sensitive(vm, a, o1)?) || (o2.is_some() && fold_sensitive(vm, b, o2)?);
        if exc {
            return Ok(vm.bool(op == CompareOp::Ne));
        }
    }
    match (o1, o2) {
        (p, q) if p == q => Ok(vm.bool(cmp_result(op, x.key().cmp(&y.key())))),
        (Some(p), Some(q)) => Ok(vm.bool(cmp_result(op, (x.total_us() - p).cmp(&(y.total_us() - q))))),
        _ => match op {
            CompareOp::Eq => Ok(vm.bool(false)),
            CompareOp::Ne => Ok(vm.bool(true)),
            _ => Err(vm.type_error("can't compare offset-naive and offset-aware datetimes")),
        },
    }
}

fn time_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    if !is_time(vm, b) || !is_time(vm, a) {
        return Ok(vm.not_implemented.clone());
    }
    let (x, y) = (get(a), get(b));
    let same_tz = match (&x.tz, &y.tz) {
        (Some(p), Some(q)) => p.is(q),
        (None, None) => true,
        _ => false,
    };
    if same_tz {
        return Ok(vm.bool(cmp_result(op, x.time_us().cmp(&y.time_us()))));
    }
    let o1 = utcoffset_of(vm, a)?;
    let o2 = utcoffset_of(vm, b)?;
    match (o1, o2) {
        (p, q) if p == q => Ok(vm.bool(cmp_result(op, x.time_us().cmp(&y.time_us())))),
        (Some(p), Some(q)) => Ok(vm.bool(cmp_result(op, (x.time_us() - p).cmp(&(y.time_us() - q))))),
        _ => match op {
            CompareOp::Eq => Ok(vm.bool(false)),
            CompareOp::Ne => Ok(vm.bool(true)),
            _ => Err(vm.type_error("can't compare offset-naive and offset-aware times")),
        },
    }
}

fn us_hash(us: i128) -> i64 {
    match delta::split_us(us) {
        Ok((d, s, u)) => delta::hash_fields(d, s, u),
        Err(_) => (us % 1_000_000_007) as i64,
    }
}

fn datetime_hash(vm: &Vm, o: &Obj) -> PyResult<i64> {
    let d = get(o);
    let self0 = if d.fold.get() != 0 { alloc(datetime_type(vm), Dt { fold: Cell::new(0), ..*dt_copy(d) }) } else { o.clone() };
    match call_offset(vm, "utcoffset", &d.tz, &self0)? {
        // Naive: the hash of the (randomised) state bytes, as CPython.
        None => Ok(taipan_vm::hash::hash_bytes(&dt_state(d, 0, true))),
        Some((off, _)) => Ok(us_hash(d.total_us() - off)),
    }
}

fn time_hash(vm: &Vm, o: &Obj) -> PyResult<i64> {
    let d = get(o);
    match call_offset(vm, "utcoffset", &d.tz, &vm.none)? {
        None => Ok(taipan_vm::hash::hash_bytes(&dt_state(d, 0, false))),
        Some((off, _)) => Ok(us_hash(d.time_us() - off)),
    }
}

// ---------------------------------------------------------------- arithmetic

fn range_error(vm: &Vm) -> taipan_vm::PyErr {
    overflow_error(vm, "date value out of range")
}

fn date_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    if is_datetime(vm, a) || is_datetime(vm, b) {
        return Ok(vm.not_implemented.clone());
    }
    let shift = |d: &Obj, days: i64| -> PyResult<Obj> {
        let n = get(d).ord() + days;
        if !(1..=MAX_ORDINAL).contains(&n) {
            return Err(range_error(vm));
        }
        let (y, m, dd) = ord_to_ymd(n);
        make_date(vm, &type_of(d), y, m, dd)
    };
    match op {
        BinaryOp::Add if is_date(vm, a) && is_delta(vm, b) => shift(a, delta::get(b).days),
        BinaryOp::Add if is_delta(vm, a) && is_date(vm, b) => shift(b, delta::get(a).days),
        BinaryOp::Subtract if is_date(vm, a) && is_delta(vm, b) => shift(a, -delta::get(b).days),
        BinaryOp::Subtract if is_date(vm, a) && is_date(vm, b) => from_us(vm, i128::from(get(a).ord() - get(b).ord()) * US_PER_DAY),
        _ => Ok(vm.not_implemented.clone()),
    }
}

/// `dt + us` (a datetime of dt's class, same tzinfo, fold 0).
fn datetime_shift(vm: &Vm, d: &Obj, us: i128) -> PyResult<Obj> {
    let x = get(d);
    let Some(f) = fields_from_us(x.total_us() + us) else { return Err(range_error(vm)) };
    make_datetime(vm, &type_of(d), f, x.tz.clone(), 0)
}

fn datetime_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    match op {
        BinaryOp::Add if is_datetime(vm, a) && is_delta(vm, b) => datetime_shift(vm, a, delta::get(b).total_us()),
        BinaryOp::Add if is_delta(vm, a) && is_datetime(vm, b) => datetime_shift(vm, b, delta::get(a).total_us()),
        BinaryOp::Subtract if is_datetime(vm, a) && is_delta(vm, b) => datetime_shift(vm, a, -delta::get(b).total_us()),
        BinaryOp::Subtract if is_datetime(vm, a) && is_datetime(vm, b) => {
            let (x, y) = (get(a), get(b));
            let same = match (&x.tz, &y.tz) {
                (Some(p), Some(q)) => p.is(q),
                (None, None) => true,
                _ => false,
            };
            let (o1, o2) = if same { (None, None) } else { (utcoffset_of(vm, a)?, utcoffset_of(vm, b)?) };
            if o1.is_some() != o2.is_some() {
                return Err(vm.type_error("can't subtract offset-naive and offset-aware datetimes"));
            }
            from_us(vm, (x.total_us() - o1.unwrap_or(0)) - (y.total_us() - o2.unwrap_or(0)))
        }
        _ => Ok(vm.not_implemented.clone()),
    }
}

// ---------------------------------------------------------------- local time

/// `localtime_r`/`gmtime_r` of `t` as datetime fields (seconds only).
pub fn broken_down(vm: &Vm, t: i64, local: bool) -> PyResult<[i64; 6]> {
    let tm = crate::time::broken_down(vm, t as libc::time_t, local)?;
    Ok([
        i64::from(tm.tm_year) + 1900,
        i64::from(tm.tm_mon) + 1,
        i64::from(tm.tm_mday),
        i64::from(tm.tm_hour),
        i64::from(tm.tm_min),
        i64::from(tm.tm_sec).min(59),
    ])
}

/// Seconds since 0001-01-01 of the local time of epoch second `u`.
fn local_seconds(vm: &Vm, u: i64) -> PyResult<i64> {
    let f = broken_down(vm, u - EPOCH_SECONDS, true)?;
    Ok(ymd_to_ord(f[0], f[1], f[2]) * 86_400 + f[3] * 3600 + f[4] * 60 + f[5])
}

/// CPython's `local_to_seconds`: the POSIX time of a naive local time.
pub fn local_to_seconds(vm: &Vm, d: &Dt) -> PyResult<i64> {
    let t = ymd_to_ord(d.year, d.month, d.day) * 86_400 + d.hour * 3600 + d.minute * 60 + d.second;
    let fold = d.fold.get();
    let a = local_seconds(vm, t)? - t;
    let u1 = t - a;
    let t1 = local_seconds(vm, u1)?;
    let b = if t1 == t {
        let u2 = if fold == 0 { u1 - 86_400 } else { u1 + 86_400 };
        let bb = local_seconds(vm, u2)? - u2;
        if a == bb {
            return Ok(u1);
        }
        bb
    } else {
        t1 - u1
    };
    let u2 = t - b;
    let t2 = local_seconds(vm, u2)?;
    if t2 == t {
        return Ok(u2);
    }
    if t1 == t {
        return Ok(u1);
    }
    Ok(if fold == 0 { u1.max(u2) } else { u1.min(u2) })
}

/// A timestamp argument split into whole seconds and microseconds,
/// rounded half to even (`_PyTime_ObjectToTimeval`), or floored to
/// seconds for dates.
pub fn timestamp_arg(vm: &Vm, o: &Obj, whole_seconds: bool) -> PyResult<(i64, i64)> {
    let out_of_range = || overflow_error(vm, "timestamp out of range for platform time_t");
    if let Some(f) = o.downcast::<f64>() {
        let f = *f;
        if f.is_nan() {
            return Err(value_error(vm, "Invalid value NaN (not a number)"));
        }
        if whole_seconds {
            let s = f.floor();
            if !(-9.2e18..9.2e18).contains(&s) {
                return Err(out_of_range());
            }
            return Ok((s as i64, 0));
        }
        let mut ip = f.trunc();
        let mut fp = ((f - ip) * 1e6).round();
        let raw = (f - ip) * 1e6;
        if (fp - raw).abs() == 0.5 {
            fp = 2.0 * (raw / 2.0).round();
        }
        if fp >= 1e6 {
            fp -= 1e6;
            ip += 1.0;
        } else if fp < 0.0 {
            fp += 1e6;
            ip -= 1.0;
        }
        if !(-9.2e18..9.2e18).contains(&ip) {
            return Err(out_of_range());
        }
        return Ok((ip as i64, fp as i64));
    }
    if o.downcast::<taipan_vm::types::builtin::IntData>().is_none() && taipan_vm::types::lookup(&type_of(o), "__index__").is_none() {
        return Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer", type_name(o))));
    }
    let i = taipan_vm::ops::index(vm, o)?;
    match i.downcast::<taipan_vm::types::builtin::IntData>() {
        Some(taipan_vm::types::builtin::IntData::Small(v)) => Ok((*v, 0)),
        _ => Err(out_of_range()),
    }
}

/// Fields of the datetime at POSIX time `t` + `us`, local or UTC, with
/// CPython's fold detection for local times.
pub fn fields_from_timestamp(vm: &Vm, t: i64, us: i64, local: bool) -> PyResult<([i64; 7], i64)> {
    let f = broken_down(vm, t, local)?;
    let fields = [f[0], f[1], f[2], f[3], f[4], f[5], us];
    check_date(vm, f[0], f[1], f[2])?;
    let mut fold = 0;
    if local {
        let result = ymd_to_ord(f[0], f[1], f[2]) * 86_400 + f[3] * 3600 + f[4] * 60 + f[5];
        if let Ok(probe) = local_seconds(vm, t + EPOCH_SECONDS - 86_400) {
            let transition = result - probe - 86_400;
            if transition < 0 {
                if let Ok(probe2) = local_seconds(vm, t + EPOCH_SECONDS + transition) {
                    if probe2 == result {
                        fold = 1;
                    }
                }
            }
        }
    }
    Ok((fields, fold))
}

fn now_timestamp() -> (i64, i64) {
    let d = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    (d.as_secs() as i64, i64::from(d.subsec_micros()))
}

// ---------------------------------------------------------------- date methods

fn date_fields_arg(vm: &Vm, this: &Obj) -> PyResult<()> {
    if this.downcast::<Dt>().is_none() {
        return Err(vm.type_error(format!("descriptor requires a 'datetime.date' object but received '{}'", type_name(this))));
    }
    Ok(())
}

fn date_today(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "today", args, kw)?;
    let (s, us) = now_timestamp();
    let t = alloc(vm.types.float.clone(), s as f64 + us as f64 * 1e-6);
    call_method(vm, cls, "fromtimestamp", &[t])
}

fn date_fromtimestamp(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [t] = exact::<1>(vm, "fromtimestamp", args, kw)?;
    let (s, _) = timestamp_arg(vm, &t, true)?;
    let f = broken_down(vm, s, true)?;
    make_date(vm, cls, f[0], f[1], f[2])
}

fn date_fromordinal(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [n] = exact::<1>(vm, "fromordinal", args, kw)?;
    let n = int_arg(vm, &n)?;
    if n < 1 {
        return Err(value_error(vm, "ordinal must be >= 1"));
    }
    if n > MAX_ORDINAL {
        return Err(value_error(vm, format!("year {} is out of range", ord_to_ymd(n).0)));
    }
    let (y, m, d) = ord_to_ymd(n);
    make_date(vm, cls, y, m, d)
}

static ISOCAL_PARAMS: Params = Params { fname: "fromisocalendar", names: &["year", "week", "day"], posonly: 0, kwonly: 0, required: 3 };

fn date_fromisocalendar(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let a = bind::<3>(vm, &ISOCAL_PARAMS, args, kw)?;
    let mut v = [0i64; 3];
    for i in 0..3 {
        v[i] = int_arg(vm, a[i].as_ref().unwrap_or(&vm.none)).map_err(|e| {
            if isinstance_of(&e.exc, &vm.types.overflow_error) {
                value_error(vm, "ISO calendar component out of range")
            } else {
                e
            }
        })?;
    }
    let (y, m, d) = super::iso_to_ymd(vm, v[0], v[1], v[2])?;
    make_date(vm, cls, y, m, d)
}

fn date_fromisoformat(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [s] = exact::<1>(vm, "fromisoformat", args, kw)?;
    let Some(text) = s.downcast::<StrData>().map(|d| d.as_str().into_owned()) else {
        return Err(vm.type_error("fromisoformat: argument must be str"));
    };
    let bad = || {
        let r = taipan_vm::ops::repr(vm, &s).map(|r| str_data(&r).as_str().into_owned()).unwrap_or_default();
        value_error(vm, format!("Invalid isoformat string: {r}"))
    };
    let Some((y, m, d)) = super::iso::parse_date(vm, &text) else { return Err(bad()) };
    check_date(vm, y, m, d)?;
    make_date(vm, cls, y, m, d)
}

static DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
static MONTH_NAMES: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn ctime_of(d: &Dt) -> String {
    format!(
        "{} {} {:2} {:02}:{:02}:{:02} {:04}",
        DAY_NAMES[weekday(d.year, d.month, d.day) as usize],
        MONTH_NAMES[(d.month - 1) as usize],
        d.day,
        d.hour,
        d.minute,
        d.second,
        d.year
    )
}

fn date_ctime(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "ctime", args, kw)?;
    Ok(new_str(vm, &ctime_of(get(this))))
}

fn struct_time(vm: &Vm, f: [i64; 6], isdst: i64) -> PyResult<Obj> {
    let (y, m, d) = (f[0], f[1], f[2]);
    let yday = ymd_to_ord(y, m, d) - ymd_to_ord(y, 1, 1) + 1;
    let items: Vec<Obj> = [y, m, d, f[3], f[4], f[5], weekday(y, m, d), yday, isdst].iter().map(|v| vm.int(*v)).collect();
    let st = import_attr(vm, "time", "struct_time")?;
    taipan_vm::classes::call_object(vm, &st, &[new_tuple(vm, items)])
}

fn date_timetuple(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "timetuple", args, kw)?;
    let d = get(this);
    struct_time(vm, [d.year, d.month, d.day, 0, 0, 0], -1)
}

pub fn isocalendar_of(d: &Dt) -> (i64, i64, i64) {
    let mut year = d.year;
    let ord = d.ord();
    let mut week1 = super::iso_week1_monday(year);
    let mut week = (ord - week1).div_euclid(7);
    let day = (ord - week1).rem_euclid(7);
    if week < 0 {
        year -= 1;
        week1 = super::iso_week1_monday(year);
        week = (ord - week1).div_euclid(7);
    } else if week >= 52 && ord >= super::iso_week1_monday(year + 1) {
        year += 1;
        week = 0;
    }
    (year, week + 1, day + 1)
}

fn date_isocalendar(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "isocalendar", args, kw)?;
    let (y, w, d) = isocalendar_of(get(this));
    Ok(super::iso::iso_calendar_date(vm, y, w, d))
}

fn date_isoformat(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "isoformat", args, kw)?;
    let d = get(this);
    Ok(new_str(vm, &format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)))
}

fn date_isoweekday(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "isoweekday", args, kw)?;
    let d = get(this);
    Ok(vm.int(weekday(d.year, d.month, d.day) + 1))
}

fn date_weekday(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "weekday", args, kw)?;
    let d = get(this);
    Ok(vm.int(weekday(d.year, d.month, d.day)))
}

fn date_toordinal(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "toordinal", args, kw)?;
    Ok(vm.int(get(this).ord()))
}

static DATE_REPLACE: Params = Params { fname: "replace", names: &["year", "month", "day"], posonly: 0, kwonly: 0, required: 0 };

fn date_replace(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    date_fields_arg(vm, this)?;
    let a = bind::<3>(vm, &DATE_REPLACE, args, kw)?;
    let d = get(this);
    let mut v = [d.year, d.month, d.day];
    for i in 0..3 {
        if let Some(x) = &a[i] {
            v[i] = int_arg(vm, x)?;
        }
    }
    check_date(vm, v[0], v[1], v[2])?;
    Ok(alloc(type_of(this), Dt::date(v[0], v[1], v[2])))
}

fn date_reduce(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__reduce__", args, kw)?;
    let d = get(this);
    let b = new_bytes(vm, vec![(d.year >> 8) as u8, d.year as u8, d.month as u8, d.day as u8]);
    Ok(new_tuple(vm, vec![type_of(this), new_tuple(vm, vec![b])]))
}

fn format_arg(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f] = exact::<1>(vm, "__format__", args, kw)?;
    if f.downcast::<StrData>().is_none() {
        return Err(vm.type_error(format!("__format__() argument must be str, not {}", type_name(&f))));
    }
    Ok(f)
}

fn date_format(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let f = format_arg(vm, args, kw)?;
    if str_data(&f).is_empty() {
        return taipan_vm::ops::str(vm, this);
    }
    call_method(vm, this, "strftime", &[f])
}

static STRFTIME_PARAMS: Params = Params { fname: "strftime", names: &["format"], posonly: 0, kwonly: 0, required: 1 };

fn strftime_format(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<String> {
    let [f] = bind::<1>(vm, &STRFTIME_PARAMS, args, kw)?;
    let f = f.unwrap_or_else(|| vm.none.clone());
    match f.downcast::<StrData>() {
        Some(s) => Ok(s.as_str().into_owned()),
        None => Err(vm.type_error(format!("strftime() argument 1 must be str, not {}", type_name(&f)))),
    }
}

/// CPython's `wrap_strftime`: `%z`, `%Z` and `%f` expanded here, the rest
/// by `time.strftime(format, timetuple)`.
fn wrap_strftime(vm: &Vm, format: &str, timetuple: Obj, d: &Dt, with_us: bool, tzarg: &Obj) -> PyResult<Obj> {
    let mut out = String::with_capacity(format.len());
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            None => out.push('%'),
            Some('z') => {
                if let Some((us, _)) = call_offset(vm, "utcoffset", &d.tz, tzarg)? {
                    out.push_str(&format_offset(us, ""));
                }
            }
            Some('Z') => {
                let n = call_tzname(vm, &d.tz, tzarg)?;
                if !n.is(&vm.none) {
                    // CPython calls the name's own `replace` (a str
                    // subclass may override it) and needs a str back.
                    let r = call_method(vm, &n, "replace", &[new_str(vm, "%"), new_str(vm, "%%")])?;
                    let Some(rs) = r.downcast::<StrData>() else {
                        return Err(vm.type_error("tzname.replace() did not return a string"));
                    };
                    if rs.bytes().windows(2).any(|w| w[0] == 0xed && w[1] >= 0xa0) {
                        // A lone surrogate: the encoder's error.
                        call_method(vm, &r, "encode", &[])?;
                    }
                    out.push_str(&rs.as_str());
                }
            }
            Some('f') => out.push_str(&format!("{:06}", if with_us { d.us } else { 0 })),
            Some(o) => {
                out.push('%');
                out.push(o);
            }
        }
    }
    let f = import_attr(vm, "time", "strftime")?;
    taipan_vm::classes::call_object(vm, &f, &[new_str(vm, &out), timetuple])
}

fn date_strftime(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fmt = strftime_format(vm, args, kw)?;
    let tt = call_method(vm, this, "timetuple", &[])?;
    let dt = is_datetime(vm, this);
    let arg = if dt { this.clone() } else { vm.none.clone() };
    let d = get(this);
    if dt {
        wrap_strftime(vm, &fmt, tt, d, true, &arg)
    } else {
        let plain = Dt::date(d.year, d.month, d.day);
        wrap_strftime(vm, &fmt, tt, &plain, false, &arg)
    }
}

static DATE_METHODS: &[MethodDef] = &[
    MethodDef::class("today", date_today, "Current date or datetime:  same as self.__class__.fromtimestamp(time.time())."),
    MethodDef::class("fromtimestamp", date_fromtimestamp, "Create a date from a POSIX timestamp."),
    MethodDef::class("fromordinal", date_fromordinal, "int -> date corresponding to a proleptic Gregorian ordinal."),
    MethodDef::class("fromisoformat", date_fromisoformat, "str -> Construct a date from a string in ISO 8601 format."),
    MethodDef::class(
        "fromisocalendar",
        date_fromisocalendar,
        "int, int, int -> Construct a date from the ISO year, week number and weekday.",
    ),
    MethodDef::method("ctime", date_ctime, "Return ctime() style string."),
    MethodDef::method("strftime", date_strftime, "format -> strftime() style string."),
    MethodDef::method("__format__", date_format, "Formats self with strftime."),
    MethodDef::method("timetuple", date_timetuple, "Return time tuple, compatible with time.localtime()."),
    MethodDef::method("isocalendar", date_isocalendar, "Return a named tuple containing ISO year, week number, and weekday."),
    MethodDef::method("isoformat", date_isoformat, "Return string in ISO 8601 format, YYYY-MM-DD."),
    MethodDef::method("isoweekday", date_isoweekday, "Return the day of the week represented by the date.\nMonday == 1 ... Sunday == 7"),
    MethodDef::method("toordinal", date_toordinal, "Return proleptic Gregorian ordinal.  January 1 of year 1 is day 1."),
    MethodDef::method("weekday", date_weekday, "Return the day of the week represented by the date.\nMonday == 0 ... Sunday == 6"),
    MethodDef::method("replace", date_replace, "Return date with new specified fields."),
    MethodDef::method("__reduce__", date_reduce, "__reduce__() -> (cls, state)"),
];

static DATE_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("year", |vm, o| Ok(vm.int(get(o).year)), ""),
    GetSetDef::readonly("month", |vm, o| Ok(vm.int(get(o).month)), ""),
    GetSetDef::readonly("day", |vm, o| Ok(vm.int(get(o).day)), ""),
];

// ---------------------------------------------------------------- datetime methods

static NOW_PARAMS: Params = Params { fname: "now", names: &["tz"], posonly: 0, kwonly: 0, required: 0 };

fn datetime_from_ts(vm: &Vm, cls: &Obj, s: i64, us: i64, tz: &Obj) -> PyResult<Obj> {
    let tzo = check_tzinfo(vm, tz)?;
    let (f, fold) = fields_from_timestamp(vm, s, us, tzo.is_none())?;
    let r = make_datetime(vm, cls, f, tzo.clone(), fold)?;
    match tzo {
        Some(t) => call_method(vm, &t, "fromutc", &[r]),
        None => Ok(r),
    }
}

fn datetime_now(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [tz] = bind::<1>(vm, &NOW_PARAMS, args, kw)?;
    let tz = tz.unwrap_or_else(|| vm.none.clone());
    let (s, us) = now_timestamp();
    datetime_from_ts(vm, cls, s, us, &tz)
}

fn datetime_utcnow(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "utcnow", args, kw)?;
    let (s, us) = now_timestamp();
    let (f, _) = fields_from_timestamp(vm, s, us, false)?;
    make_datetime(vm, cls, f, None, 0)
}

static FROMTS_PARAMS: Params = Params { fname: "fromtimestamp", names: &["timestamp", "tz"], posonly: 0, kwonly: 0, required: 1 };

fn datetime_fromtimestamp(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [t, tz] = bind::<2>(vm, &FROMTS_PARAMS, args, kw)?;
    let t = t.unwrap_or_else(|| vm.none.clone());
    let tz = tz.unwrap_or_else(|| vm.none.clone());
    check_tzinfo(vm, &tz)?;
    let (s, us) = timestamp_arg(vm, &t, false)?;
    datetime_from_ts(vm, cls, s, us, &tz)
}

fn datetime_utcfromtimestamp(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [t] = exact::<1>(vm, "utcfromtimestamp", args, kw)?;
    let (s, us) = timestamp_arg(vm, &t, false)?;
    let (f, _) = fields_from_timestamp(vm, s, us, false)?;
    make_datetime(vm, cls, f, None, 0)
}

fn datetime_strptime(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [s, f] = exact::<2>(vm, "strptime", args, kw)?;
    let func = import_attr(vm, "_strptime", "_strptime_datetime")?;
    taipan_vm::classes::call_object(vm, &func, &[cls.clone(), s, f])
}

static COMBINE_PARAMS: Params = Params { fname: "combine", names: &["date", "time", "tzinfo"], posonly: 0, kwonly: 0, required: 2 };

fn datetime_combine(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [d, t, tz] = bind::<3>(vm, &COMBINE_PARAMS, args, kw)?;
    let (d, t) = (d.unwrap_or_else(|| vm.none.clone()), t.unwrap_or_else(|| vm.none.clone()));
    if !is_date(vm, &d) {
        return Err(vm.type_error(format!("combine() argument 1 must be datetime.date, not {}", type_name(&d))));
    }
    if !is_time(vm, &t) {
        return Err(vm.type_error(format!("combine() argument 2 must be datetime.time, not {}", type_name(&t))));
    }
    let (dd, tt) = (get(&d), get(&t));
    let tz = match tz {
        Some(z) => check_tzinfo(vm, &z)?,
        None => tt.tz.clone(),
    };
    make_datetime(vm, cls, [dd.year, dd.month, dd.day, tt.hour, tt.minute, tt.second, tt.us], tz, tt.fold.get())
}

fn datetime_fromisoformat(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [s] = exact::<1>(vm, "fromisoformat", args, kw)?;
    let Some(text) = s.downcast::<StrData>().map(|d| d.bytes().to_vec()) else {
        return Err(vm.type_error("fromisoformat: argument must be str"));
    };
    let (f, off) = super::iso::parse_datetime(vm, &s, &text)?;
    let tz = match off {
        Some(us) => Some(tz::timezone_for_offset(vm, us)?),
        None => None,
    };
    make_datetime(vm, cls, f, tz, 0)
}

fn datetime_date(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "date", args, kw)?;
    let d = get(this);
    Ok(alloc(date_type(vm), Dt::date(d.year, d.month, d.day)))
}

fn datetime_time(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "time", args, kw)?;
    let d = get(this);
    Ok(raw_time(vm, d.hour, d.minute, d.second, d.us, None, d.fold.get()))
}

fn datetime_timetz(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "timetz", args, kw)?;
    let d = get(this);
    Ok(raw_time(vm, d.hour, d.minute, d.second, d.us, d.tz.clone(), d.fold.get()))
}

fn datetime_timetuple(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "timetuple", args, kw)?;
    let d = get(this);
    let dst = match call_offset(vm, "dst", &d.tz, this)? {
        None => -1,
        Some((us, _)) => i64::from(us != 0),
    };
    struct_time(vm, [d.year, d.month, d.day, d.hour, d.minute, d.second], dst)
}

fn datetime_utctimetuple(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "utctimetuple", args, kw)?;
    let d = get(this);
    let mut us = d.total_us();
    if let Some(off) = utcoffset_of(vm, this)? {
        us -= off;
    }
    let days = us.div_euclid(US_PER_DAY) as i64;
    let rest = (us.rem_euclid(US_PER_DAY) / US_PER_SECOND) as i64;
    if !(1..=MAX_ORDINAL).contains(&days) {
        return Err(range_error(vm));
    }
    let (y, m, dd) = ord_to_ymd(days);
    struct_time(vm, [y, m, dd, rest / 3600, rest / 60 % 60, rest % 60], 0)
}

fn datetime_timestamp(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "timestamp", args, kw)?;
    let d = get(this);
    let f = match utcoffset_of(vm, this)? {
        Some(off) => {
            let us = d.total_us() - off - i128::from(EPOCH_SECONDS) * US_PER_SECOND;
            us as f64 / 1e6
        }
        None => {
            let s = local_to_seconds(vm, d)?;
            (s - EPOCH_SECONDS) as f64 + d.us as f64 / 1e6
        }
    };
    Ok(alloc(vm.types.float.clone(), f))
}

static ISOFORMAT_PARAMS: Params = Params { fname: "isoformat", names: &["sep", "timespec"], posonly: 0, kwonly: 0, required: 0 };

/// The clock part of an ISO string for `timespec`.
pub fn format_time(vm: &Vm, d: &Dt, timespec: &str) -> PyResult<String> {
    let spec = if timespec == "auto" {
        if d.us != 0 {
            "microseconds"
        } else {
            "seconds"
        }
    } else {
        timespec
    };
    Ok(match spec {
        "hours" => format!("{:02}", d.hour),
        "minutes" => format!("{:02}:{:02}", d.hour, d.minute),
        "seconds" => format!("{:02}:{:02}:{:02}", d.hour, d.minute, d.second),
        "milliseconds" => format!("{:02}:{:02}:{:02}.{:03}", d.hour, d.minute, d.second, d.us / 1000),
        "microseconds" => format!("{:02}:{:02}:{:02}.{:06}", d.hour, d.minute, d.second, d.us),
        _ => return Err(value_error(vm, "Unknown timespec value")),
    })
}

fn timespec_arg(vm: &Vm, t: Option<Obj>) -> PyResult<String> {
    match t {
        None => Ok("auto".into()),
        Some(t) => match t.downcast::<StrData>() {
            Some(s) => Ok(s.as_str().into_owned()),
            None => Err(vm.type_error(format!("isoformat() argument 2 must be str, not {}", type_name(&t)))),
        },
    }
}

fn datetime_isoformat(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [sep, spec] = bind::<2>(vm, &ISOFORMAT_PARAMS, args, kw)?;
    let sep = match sep {
        None => b"T".to_vec(),
        Some(s) => match s.downcast::<StrData>() {
            Some(x) if x.len() == 1 => x.bytes().to_vec(),
            Some(_) => return Err(vm.type_error("isoformat() argument 1 must be a unicode character, not str")),
            None => return Err(vm.type_error(format!("isoformat() argument 1 must be a unicode character, not {}", type_name(&s)))),
        },
    };
    let spec = timespec_arg(vm, spec)?;
    let d = get(this);
    let mut s = Wtf8Buf::from_str(&format!("{:04}-{:02}-{:02}", d.year, d.month, d.day));
    s.push_wtf8_bytes(&sep);
    s.push_str(&format_time(vm, d, &spec)?);
    if let Some((off, _)) = call_offset(vm, "utcoffset", &d.tz, this)? {
        s.push_str(&format_offset(off, ":"));
    }
    Ok(new_str_wtf8(vm, s))
}

fn datetime_utcoffset(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "utcoffset", args, kw)?;
    Ok(call_offset(vm, "utcoffset", &get(this).tz, this)?.map_or_else(|| vm.none.clone(), |x| x.1))
}

fn datetime_dst(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "dst", args, kw)?;
    Ok(call_offset(vm, "dst", &get(this).tz, this)?.map_or_else(|| vm.none.clone(), |x| x.1))
}

fn datetime_tzname(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "tzname", args, kw)?;
    call_tzname(vm, &get(this).tz, this)
}

static DT_REPLACE: Params = Params {
    fname: "replace",
    names: &["year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo", "fold"],
    posonly: 0,
    kwonly: 1,
    required: 0,
};

fn datetime_replace(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    date_fields_arg(vm, this)?;
    let a = bind::<9>(vm, &DT_REPLACE, args, kw)?;
    let d = get(this);
    let mut f = d.key();
    for i in 0..7 {
        if let Some(x) = &a[i] {
            f[i] = int_arg(vm, x)?;
        }
    }
    let fold = match &a[8] {
        Some(x) => int_arg(vm, x)?,
        None => d.fold.get(),
    };
    let tz = match &a[7] {
        Some(t) => check_tzinfo(vm, t)?,
        None => d.tz.clone(),
    };
    check_date(vm, f[0], f[1], f[2])?;
    check_time(vm, f[3], f[4], f[5], f[6], fold)?;
    Ok(alloc(
        type_of(this),
        Dt { year: f[0], month: f[1], day: f[2], hour: f[3], minute: f[4], second: f[5], us: f[6], fold: Cell::new(fold), tz },
    ))
}

/// The system's local zone at this (naive, local or aware) datetime, as
/// a fixed `timezone` (CPython's `local_timezone_from_timestamp`).
fn local_timezone(vm: &Vm, this: &Obj, naive: bool) -> PyResult<Obj> {
    let d = get(this);
    let ts = if naive {
        local_to_seconds(vm, d)? - EPOCH_SECONDS
    } else {
        let off = utcoffset_of(vm, this)?.unwrap_or(0);
        ((d.total_us() - off).div_euclid(US_PER_SECOND) as i64) - EPOCH_SECONDS
    };
    let tm = crate::time::broken_down(vm, ts as libc::time_t, true)?;
    let zone = if tm.tm_zone.is_null() {
        None
    } else {
        // SAFETY-free: the zone name is read through the time module's helper.
        Some(crate::time::zone_name(&tm))
    };
    let off = alloc(delta::delta_type(vm), {
        let (days, secs, us) = delta::split_us(i128::from(tm.tm_gmtoff) * US_PER_SECOND).unwrap_or((0, 0, 0));
        delta::Delta { days, secs, us }
    });
    let name = zone.map(|z| new_str(vm, &z));
    tz::new_timezone(vm, off, name)
}

static ASTZ_PARAMS: Params = Params { fname: "astimezone", names: &["tz"], posonly: 0, kwonly: 0, required: 0 };

fn datetime_astimezone(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [tz] = bind::<1>(vm, &ASTZ_PARAMS, args, kw)?;
    let tz = tz.unwrap_or_else(|| vm.none.clone());
    let d = get(this);
    let target = if tz.is(&vm.none) { None } else { check_tzinfo(vm, &tz)? };
    let (mytz, myoff) = match &d.tz {
        None => {
            let z = local_timezone(vm, this, true)?;
            let off = call_offset(vm, "utcoffset", &Some(z.clone()), this)?.map(|x| x.0);
            (z, off)
        }
        Some(z) => match call_offset(vm, "utcoffset", &d.tz, this)? {
            Some((off, _)) => (z.clone(), Some(off)),
            None => {
                let naive = alloc(datetime_type(vm), Dt { tz: None, ..*dt_copy(d) });
                let z = local_timezone(vm, &naive, true)?;
                let off = call_offset(vm, "utcoffset", &Some(z.clone()), &naive)?.map(|x| x.0);
                (z, off)
            }
        },
    };
    if let Some(t) = &target {
        if t.is(&mytz) {
            return Ok(this.clone());
        }
    }
    let Some(f) = fields_from_us(d.total_us() - myoff.unwrap_or(0)) else { return Err(range_error(vm)) };
    let target = match target {
        Some(t) => t,
        None => {
            let utc = raw_datetime(vm, f, Some(tz::utc(vm)), 0);
            local_timezone(vm, &utc, false)?
        }
    };
    let utc = make_datetime(vm, &type_of(this), f, Some(target.clone()), 0)?;
    call_method(vm, &target, "fromutc", &[utc])
}

fn dt_state(d: &Dt, proto: i64, with_date: bool) -> Vec<u8> {
    let fold = if proto > 3 && d.fold.get() != 0 { 0x80 } else { 0 };
    let mut v = Vec::new();
    if with_date {
        v.extend([(d.year >> 8) as u8, d.year as u8, d.month as u8 | fold, d.day as u8, d.hour as u8]);
    } else {
        v.push(d.hour as u8 | fold);
    }
    v.extend([d.minute as u8, d.second as u8, (d.us >> 16) as u8, (d.us >> 8) as u8, d.us as u8]);
    v
}

fn reduce_with(vm: &Vm, this: &Obj, proto: i64, with_date: bool) -> Obj {
    let d = get(this);
    let mut items = vec![new_bytes(vm, dt_state(d, proto, with_date))];
    if let Some(t) = &d.tz {
        items.push(t.clone());
    }
    new_tuple(vm, vec![type_of(this), new_tuple(vm, items)])
}

fn datetime_reduce_ex(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [p] = exact::<1>(vm, "__reduce_ex__", args, kw)?;
    Ok(reduce_with(vm, this, int_arg(vm, &p)?, true))
}

fn datetime_reduce(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__reduce__", args, kw)?;
    Ok(reduce_with(vm, this, 2, true))
}

static DATETIME_METHODS: &[MethodDef] = &[
    MethodDef::class("now", datetime_now, "Returns new datetime object representing current time local to tz.\n\n  tz\n    Timezone object.\n\nIf no tz is specified, uses local timezone."),
    MethodDef::class("utcnow", datetime_utcnow, "Return a new datetime representing UTC day and time."),
    MethodDef::class("fromtimestamp", datetime_fromtimestamp, "timestamp[, tz] -> tz's local time from POSIX timestamp."),
    MethodDef::class("utcfromtimestamp", datetime_utcfromtimestamp, "Construct a naive UTC datetime from a POSIX timestamp."),
    MethodDef::class("strptime", datetime_strptime, "string, format -> new datetime parsed from a string (like time.strptime())."),
    MethodDef::class("combine", datetime_combine, "date, time -> datetime with same date and time fields"),
    MethodDef::class("fromisoformat", datetime_fromisoformat, "string -> datetime from a string in most ISO 8601 formats"),
    MethodDef::method("date", datetime_date, "Return date object with same year, month and day."),
    MethodDef::method("time", datetime_time, "Return time object with same time but with tzinfo=None."),
    MethodDef::method("timetz", datetime_timetz, "Return time object with same time and tzinfo."),
    MethodDef::method("ctime", date_ctime, "Return ctime() style string."),
    MethodDef::method("timetuple", datetime_timetuple, "Return time tuple, compatible with time.localtime()."),
    MethodDef::method("timestamp", datetime_timestamp, "Return POSIX timestamp as float."),
    MethodDef::method("utctimetuple", datetime_utctimetuple, "Return UTC time tuple, compatible with time.localtime()."),
    MethodDef::method("isoformat", datetime_isoformat, "[sep] -> string in ISO 8601 format, YYYY-MM-DDT[HH[:MM[:SS[.mmm[uuu]]]]][+HH:MM]."),
    MethodDef::method("utcoffset", datetime_utcoffset, "Return self.tzinfo.utcoffset(self)."),
    MethodDef::method("tzname", datetime_tzname, "Return self.tzinfo.tzname(self)."),
    MethodDef::method("dst", datetime_dst, "Return self.tzinfo.dst(self)."),
    MethodDef::method("replace", datetime_replace, "Return datetime with new specified fields."),
    MethodDef::method("astimezone", datetime_astimezone, "tz -> convert to local time in new timezone tz\n"),
    MethodDef::method("__reduce_ex__", datetime_reduce_ex, "__reduce_ex__(proto) -> (cls, state)"),
    MethodDef::method("__reduce__", datetime_reduce, "__reduce__() -> (cls, state)"),
];

static DATETIME_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("hour", |vm, o| Ok(vm.int(get(o).hour)), ""),
    GetSetDef::readonly("minute", |vm, o| Ok(vm.int(get(o).minute)), ""),
    GetSetDef::readonly("second", |vm, o| Ok(vm.int(get(o).second)), ""),
    GetSetDef::readonly("microsecond", |vm, o| Ok(vm.int(get(o).us)), ""),
    GetSetDef::readonly("tzinfo", |vm, o| Ok(get(o).tzinfo(vm)), ""),
    GetSetDef::readonly("fold", |vm, o| Ok(vm.int(get(o).fold.get())), ""),
];

// ---------------------------------------------------------------- time methods

static TIME_ISO_PARAMS: Params = Params { fname: "isoformat", names: &["timespec"], posonly: 0, kwonly: 0, required: 0 };

fn time_isoformat(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [spec] = bind::<1>(vm, &TIME_ISO_PARAMS, args, kw)?;
    let spec = match spec {
        None => "auto".to_string(),
        Some(t) => match t.downcast::<StrData>() {
            Some(s) => s.as_str().into_owned(),
            None => return Err(vm.type_error(format!("isoformat() argument 1 must be str, not {}", type_name(&t)))),
        },
    };
    let d = get(this);
    let mut s = format_time(vm, d, &spec)?;
    if let Some((off, _)) = call_offset(vm, "utcoffset", &d.tz, &vm.none)? {
        s.push_str(&format_offset(off, ":"));
    }
    Ok(new_str(vm, &s))
}

fn time_strftime(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fmt = strftime_format(vm, args, kw)?;
    let d = get(this);
    let items: Vec<Obj> = [1900, 1, 1, d.hour, d.minute, d.second, 0, 1, -1].iter().map(|v| vm.int(*v)).collect();
    wrap_strftime(vm, &fmt, new_tuple(vm, items), d, true, &vm.none)
}

fn time_utcoffset(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "utcoffset", args, kw)?;
    Ok(call_offset(vm, "utcoffset", &get(this).tz, &vm.none)?.map_or_else(|| vm.none.clone(), |x| x.1))
}

fn time_dst(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "dst", args, kw)?;
    Ok(call_offset(vm, "dst", &get(this).tz, &vm.none)?.map_or_else(|| vm.none.clone(), |x| x.1))
}

fn time_tzname(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "tzname", args, kw)?;
    call_tzname(vm, &get(this).tz, &vm.none)
}

static TIME_REPLACE: Params =
    Params { fname: "replace", names: &["hour", "minute", "second", "microsecond", "tzinfo", "fold"], posonly: 0, kwonly: 1, required: 0 };

fn time_replace(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let a = bind::<6>(vm, &TIME_REPLACE, args, kw)?;
    let d = get(this);
    let mut f = [d.hour, d.minute, d.second, d.us];
    for i in 0..4 {
        if let Some(x) = &a[i] {
            f[i] = int_arg(vm, x)?;
        }
    }
    let fold = match &a[5] {
        Some(x) => int_arg(vm, x)?,
        None => d.fold.get(),
    };
    let tz = match &a[4] {
        Some(t) => check_tzinfo(vm, t)?,
        None => d.tz.clone(),
    };
    check_time(vm, f[0], f[1], f[2], f[3], fold)?;
    Ok(alloc(type_of(this), Dt { year: 1, month: 1, day: 1, hour: f[0], minute: f[1], second: f[2], us: f[3], fold: Cell::new(fold), tz }))
}

fn time_fromisoformat(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [s] = exact::<1>(vm, "fromisoformat", args, kw)?;
    let Some(text) = s.downcast::<StrData>().map(|d| d.as_str().into_owned()) else {
        return Err(vm.type_error("fromisoformat: argument must be str"));
    };
    let bad = || {
        let r = taipan_vm::ops::repr(vm, &s).map(|r| str_data(&r).as_str().into_owned()).unwrap_or_default();
        value_error(vm, format!("Invalid isoformat string: {r}"))
    };
    // A leading 'T' is allowed for time strings.
    let body = text.strip_prefix('T').unwrap_or(&text);
    let Some((f, off)) = super::iso::parse_time(body) else { return Err(bad()) };
    let tz = match off {
        Some(us) => Some(tz::timezone_for_offset(vm, us)?),
        None => None,
    };
    make_time(vm, cls, f[0], f[1], f[2], f[3], tz, 0)
}

fn time_reduce_ex(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [p] = exact::<1>(vm, "__reduce_ex__", args, kw)?;
    Ok(reduce_with(vm, this, int_arg(vm, &p)?, false))
}

fn time_reduce(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__reduce__", args, kw)?;
    Ok(reduce_with(vm, this, 2, false))
}

static TIME_METHODS: &[MethodDef] = &[
    MethodDef::method("isoformat", time_isoformat, "Return string in ISO 8601 format, [HH[:MM[:SS[.mmm[uuu]]]]][+HH:MM]."),
    MethodDef::method("strftime", time_strftime, "format -> strftime() style string."),
    MethodDef::method("__format__", date_format, "Formats self with strftime."),
    MethodDef::method("utcoffset", time_utcoffset, "Return self.tzinfo.utcoffset(self)."),
    MethodDef::method("tzname", time_tzname, "Return self.tzinfo.tzname(self)."),
    MethodDef::method("dst", time_dst, "Return self.tzinfo.dst(self)."),
    MethodDef::method("replace", time_replace, "Return time with new specified fields."),
    MethodDef::class("fromisoformat", time_fromisoformat, "string -> time from a string in ISO 8601 format"),
    MethodDef::method("__reduce_ex__", time_reduce_ex, "__reduce_ex__(proto) -> (cls, state)"),
    MethodDef::method("__reduce__", time_reduce, "__reduce__() -> (cls, state)"),
];

static TIME_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("hour", |vm, o| Ok(vm.int(get(o).hour)), ""),
    GetSetDef::readonly("minute", |vm, o| Ok(vm.int(get(o).minute)), ""),
    GetSetDef::readonly("second", |vm, o| Ok(vm.int(get(o).second)), ""),
    GetSetDef::readonly("microsecond", |vm, o| Ok(vm.int(get(o).us)), ""),
    GetSetDef::readonly("tzinfo", |vm, o| Ok(get(o).tzinfo(vm)), ""),
    GetSetDef::readonly("fold", |vm, o| Ok(vm.int(get(o).fold.get())), ""),
];
