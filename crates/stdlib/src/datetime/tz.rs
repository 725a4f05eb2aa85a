//! `datetime.tzinfo` (the abstract base) and `datetime.timezone` (fixed
//! offsets; `timezone.utc` is a per-interpreter singleton).

use taipan_vm::native::{bind, exact, new_type, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{new_str, new_tuple, object_slots, str_data, type_name, StrData};
use taipan_vm::types::{type_of, Kwargs, Slots};
use taipan_vm::{CompareOp, PyResult, Vm};

use super::date::{self, format_offset, is_datetime};
use super::delta::{self, is_delta, set_class_attr, set_doc, Delta};
use super::{isinstance_of, value_error, State, US_PER_DAY};

/// The payload of `tzinfo` instances (and of Python subclasses).
pub struct TzBase;

/// A fixed offset (a `timedelta`) and an optional name.
pub struct Tz {
    pub offset: Obj,
    pub name: Option<Obj>,
}

pub fn tzinfo_type(vm: &Vm) -> Obj {
    vm.native_type("datetime.tzinfo", |vm| {
        let slots = Slots { new: Some(|_vm, cls, _a, _k| Ok(alloc(cls.clone(), TzBase))), ..object_slots() };
        let t = new_type::<TzBase>(vm, "datetime.tzinfo", &[], false, slots, TZINFO_METHODS, &[]);
        set_doc(vm, &t, "Abstract base class for time zone info objects.");
        t
    })
}

fn not_impl(vm: &Vm, name: &str) -> taipan_vm::PyErr {
    vm.new_error(&vm.types.not_implemented_error, format!("a tzinfo subclass must implement {name}()"))
}

fn tzinfo_tzname(vm: &Vm, _this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<1>(vm, "tzname", args, kw)?;
    Err(not_impl(vm, "tzname"))
}

fn tzinfo_utcoffset(vm: &Vm, _this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<1>(vm, "utcoffset", args, kw)?;
    Err(not_impl(vm, "utcoffset"))
}

fn tzinfo_dst(vm: &Vm, _this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<1>(vm, "dst", args, kw)?;
    Err(not_impl(vm, "dst"))
}

/// `tzinfo.fromutc`: the generic algorithm over `utcoffset` and `dst`.
fn tzinfo_fromutc(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [dt] = exact::<1>(vm, "fromutc", args, kw)?;
    if !is_datetime(vm, &dt) {
        return Err(vm.type_error("fromutc: argument must be a datetime"));
    }
    if !date::get(&dt).tz.as_ref().is_some_and(|t| t.is(this)) {
        return Err(value_error(vm, "fromutc: dt.tzinfo is not self"));
    }
    let tz = Some(this.clone());
    let Some((off, _)) = date::call_offset(vm, "utcoffset", &tz, &dt)? else {
        return Err(value_error(vm, "fromutc: non-None utcoffset() result required"));
    };
    let Some((dst, _)) = date::call_offset(vm, "dst", &tz, &dt)? else {
        return Err(value_error(vm, "fromutc: non-None dst() result required"));
    };
    let mut dt = dt;
    let delta = off - dst;
    let mut dst = dst;
    if delta != 0 {
        dt = taipan_vm::ops::binary_op(vm, taipan_vm::BinaryOp::Add, &dt, &delta::from_us(vm, delta)?)?;
        match date::call_offset(vm, "dst", &tz, &dt)? {
            Some((d, _)) => dst = d,
            None => return Err(value_error(vm, "fromutc: tz.dst() gave inconsistent results; cannot convert")),
        }
    }
    taipan_vm::ops::binary_op(vm, taipan_vm::BinaryOp::Add, &dt, &delta::from_us(vm, dst)?)
}

/// `tzinfo.__reduce__`: `(type, __getinitargs__() or (), __getstate__())`.
fn tzinfo_reduce(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__reduce__", args, kw)?;
    let initargs = match taipan_vm::classes::getattr_opt(vm, this, &vm.intern("__getinitargs__"))? {
        Some(f) => taipan_vm::classes::call_object(vm, &f, &[])?,
        None => new_tuple(vm, vec![]),
    };
    let state = match taipan_vm::classes::getattr_opt(vm, this, &vm.intern("__getstate__"))? {
        Some(f) => taipan_vm::classes::call_object(vm, &f, &[])?,
        None => match taipan_vm::classes::instance_dict(vm, this) {
            Some(d) if taipan_vm::ops::length(vm, &d)? > 0 => d,
            _ => vm.none.clone(),
        },
    };
    Ok(new_tuple(vm, vec![type_of(this), initargs, state]))
}

static TZINFO_METHODS: &[MethodDef] = &[
    MethodDef::method("tzname", tzinfo_tzname, "datetime -> string name of time zone."),
    MethodDef::method(
        "utcoffset",
        tzinfo_utcoffset,
        "datetime -> timedelta showing offset from UTC, negative values indicating West of UTC",
    ),
    MethodDef::method("dst", tzinfo_dst, "datetime -> DST offset as timedelta positive east of UTC."),
    MethodDef::method("fromutc", tzinfo_fromutc, "datetime in UTC -> datetime in local time."),
    MethodDef::method("__reduce__", tzinfo_reduce, "-> (cls, state)"),
];

// ---------------------------------------------------------------- timezone

pub fn timezone_type(vm: &Vm) -> Obj {
    vm.native_type("datetime.timezone", |vm| {
        let slots = Slots {
            new: Some(timezone_new),
            repr: Some(timezone_repr),
            str: Some(tz_name),
            hash: Some(|vm, o| delta::delta_hash(vm, &get(o).offset)),
            compare: Some(timezone_compare),
            traverse: Some(|o, visit| {
                if let Some(t) = o.downcast::<Tz>() {
                    visit(&t.offset);
                    if let Some(n) = &t.name {
                        visit(n);
                    }
                }
            }),
            ..object_slots()
        };
        let base = tzinfo_type(vm);
        let t = new_type::<Tz>(vm, "datetime.timezone", &[&base], false, slots, TIMEZONE_METHODS, &[]);
        set_doc(vm, &t, "Fixed offset from UTC implementation of tzinfo.");
        let mk = |us: i128| {
            let (days, secs, us) = delta::split_us(us).unwrap_or((0, 0, 0));
            alloc(t.clone(), Tz { offset: alloc(delta::delta_type(vm), Delta { days, secs, us }), name: None })
        };
        let utc = mk(0);
        *vm.state::<State>().utc.borrow_mut() = Some(utc.clone());
        set_class_attr(vm, &t, "utc", utc);
        let max = 23 * 3600 * 1_000_000 + 59 * 60 * 1_000_000;
        set_class_attr(vm, &t, "min", mk(-max));
        set_class_attr(vm, &t, "max", mk(max));
        t
    })
}

pub fn utc(vm: &Vm) -> Obj {
    let t = timezone_type(vm);
    let cached = vm.state::<State>().utc.borrow().clone();
    cached.unwrap_or_else(|| alloc(t, Tz { offset: alloc(delta::delta_type(vm), Delta { days: 0, secs: 0, us: 0 }), name: None }))
}

fn get(o: &Obj) -> &Tz {
    // Slots and descriptors only pass timezones; the fallback (never
    // taken) avoids a panic.
    o.downcast::<Tz>().unwrap_or_else(|| Box::leak(Box::new(Tz { offset: o.clone(), name: None })))
}

fn is_timezone(vm: &Vm, o: &Obj) -> bool {
    o.downcast::<Tz>().is_some() && isinstance_of(o, &timezone_type(vm))
}

/// A `timezone` of `offset` (checked) and `name`; `utc` for a zero
/// offset without a name.
pub fn new_timezone(vm: &Vm, offset: Obj, name: Option<Obj>) -> PyResult<Obj> {
    let us = delta::get(&offset).total_us();
    if name.is_none() && us == 0 {
        return Ok(utc(vm));
    }
    if us.abs() >= US_PER_DAY {
        let r = taipan_vm::ops::repr(vm, &offset)?;
        return Err(value_error(
            vm,
            format!(
                "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24), not {}.",
                str_data(&r).as_str()
            ),
        ));
    }
    Ok(alloc(timezone_type(vm), Tz { offset, name }))
}

pub fn timezone_for_offset(vm: &Vm, us: i128) -> PyResult<Obj> {
    new_timezone(vm, delta::from_us(vm, us)?, None)
}

static NEW_PARAMS: Params = Params { fname: "timezone", names: &["offset", "name"], posonly: 0, kwonly: 0, required: 1 };

fn timezone_new(vm: &Vm, _cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [offset, name] = bind::<2>(vm, &NEW_PARAMS, args, kw)?;
    let offset = offset.unwrap_or_else(|| vm.none.clone());
    if !is_delta(vm, &offset) {
        return Err(vm.type_error(format!("timezone() argument 1 must be datetime.timedelta, not {}", type_name(&offset))));
    }
    if let Some(n) = &name {
        if n.downcast::<StrData>().is_none() {
            return Err(vm.type_error(format!("timezone() argument 2 must be str, not {}", type_name(n))));
        }
    }
    new_timezone(vm, offset, name)
}

fn timezone_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let t = get(o);
    if o.is(&utc(vm)) {
        return Ok(new_str(vm, "datetime.timezone.utc"));
    }
    let off = taipan_vm::ops::repr(vm, &t.offset)?;
    let s = match &t.name {
        None => format!("datetime.timezone({})", str_data(&off).as_str()),
        Some(n) => {
            let nr = taipan_vm::ops::repr(vm, n)?;
            format!("datetime.timezone({}, {})", str_data(&off).as_str(), str_data(&nr).as_str())
        }
    };
    Ok(new_str(vm, &s))
}

fn tz_name(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let t = get(o);
    if let Some(n) = &t.name {
        return Ok(n.clone());
    }
    let us = delta::get(&t.offset).total_us();
    if o.is(&utc(vm)) || us == 0 {
        return Ok(new_str(vm, "UTC"));
    }
    Ok(new_str(vm, &format!("UTC{}", format_offset(us, ":"))))
}

fn timezone_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    if !matches!(op, CompareOp::Eq | CompareOp::Ne) || !is_timezone(vm, a) || !is_timezone(vm, b) {
        return Ok(vm.not_implemented.clone());
    }
    let eq = delta::get(&get(a).offset).total_us() == delta::get(&get(b).offset).total_us();
    Ok(vm.bool(eq == (op == CompareOp::Eq)))
}

fn dt_arg(vm: &Vm, name: &str, args: &[Obj], kw: Kwargs) -> PyResult<()> {
    let [dt] = exact::<1>(vm, name, args, kw)?;
    if !dt.is(&vm.none) && !is_datetime(vm, &dt) {
        return Err(vm.type_error(format!("{name}(dt) argument must be a datetime instance or None, not {}", type_name(&dt))));
    }
    Ok(())
}

fn timezone_tzname(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    dt_arg(vm, "tzname", args, kw)?;
    tz_name(vm, this)
}

fn timezone_utcoffset(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    dt_arg(vm, "utcoffset", args, kw)?;
    Ok(get(this).offset.clone())
}

fn timezone_dst(vm: &Vm, _this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    dt_arg(vm, "dst", args, kw)?;
    Ok(vm.none.clone())
}

fn timezone_fromutc(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [dt] = exact::<1>(vm, "fromutc", args, kw)?;
    if !is_datetime(vm, &dt) {
        return Err(vm.type_error("fromutc: argument must be a datetime"));
    }
    if !date::get(&dt).tz.as_ref().is_some_and(|t| t.is(this)) {
        return Err(value_error(vm, "fromutc: dt.tzinfo is not self"));
    }
    taipan_vm::ops::binary_op(vm, taipan_vm::BinaryOp::Add, &dt, &get(this).offset)
}

fn timezone_getinitargs(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__getinitargs__", args, kw)?;
    let t = get(this);
    let mut items = vec![t.offset.clone()];
    if let Some(n) = &t.name {
        items.push(n.clone());
    }
    Ok(new_tuple(vm, items))
}

static TIMEZONE_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "tzname",
        timezone_tzname,
        "If name is specified when timezone is created, returns the name.  Otherwise returns offset as 'UTC(+|-)HH:MM'.",
    ),
    MethodDef::method("utcoffset", timezone_utcoffset, "Return fixed offset."),
    MethodDef::method("dst", timezone_dst, "Return None."),
    MethodDef::method("fromutc", timezone_fromutc, "datetime in UTC -> datetime in local time."),
    MethodDef::method("__getinitargs__", timezone_getinitargs, "pickle support"),
];
