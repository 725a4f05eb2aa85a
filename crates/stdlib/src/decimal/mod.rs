//! `_decimal`: CPython's C decimal module in Rust. The arithmetic lives in
//! [`number`] (binary coefficients, General Decimal Arithmetic rules as
//! `_pydecimal` implements them); this file is the Python face: the
//! `Decimal` and `Context` types, the signal classes with the C module's
//! multiple inheritance, the per-context flags and traps (libmpdec status
//! bits, shown through `SignalDict` views), and the current context kept
//! in a `ContextVar` (as 3.11's C module does).
//!
//! The transcendental operations (`exp`, `ln`, `log10`, non-integral
//! `**`, three-argument `pow`) live in [`transcend`], `__format__`'s
//! mini-language in [`format`]; nothing here calls into `_pydecimal`.

mod format;
pub mod number;
mod transcend;

use std::cell::{Cell, RefCell};
use std::cmp::Ordering;
use std::rc::Rc;

use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::{One, ToPrimitive, Zero};
use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{at_most, bind, exact, new_type, FunctionDef, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::ops;
use taipan_vm::types::builtin::{
    dict_items, dict_set, int_data, key_error, new_dict, new_exception, new_int_big, new_list, new_str, new_tuple, object_slots, type_name,
    IntData, StrData, TupleData,
};
use taipan_vm::types::{type_data, type_of, Kwargs, Slots};
use taipan_vm::{BinaryOp, CompareOp, PyErr, PyResult, Vm};

use crate::contextvars;
use crate::util;
use number::status::*;
use number::{Ctx, Dec, Kind, Rounding};

pub const MAX_PREC: i64 = 999_999_999_999_999_999;
pub const MAX_EMAX: i64 = 999_999_999_999_999_999;
pub const MIN_EMIN: i64 = -999_999_999_999_999_999;
pub const MIN_ETINY: i64 = MIN_EMIN - (MAX_PREC - 1);

/// The signals in the C module's order, with their status bits.
const SIGNALS: [(&str, u32); 9] = [
    ("InvalidOperation", IEEE_INVALID),
    ("FloatOperation", FLOAT_OPERATION),
    ("DivisionByZero", DIVISION_BY_ZERO),
    ("Overflow", OVERFLOW),
    ("Underflow", UNDERFLOW),
    ("Subnormal", SUBNORMAL),
    ("Inexact", INEXACT),
    ("Rounded", ROUNDED),
    ("Clamped", CLAMPED),
];

/// The conditions listed in a raised exception before the signals.
const CONDITIONS: [(&str, u32); 5] = [
    ("InvalidOperation", INVALID_OPERATION),
    ("ConversionSyntax", CONVERSION_SYNTAX),
    ("DivisionImpossible", DIVISION_IMPOSSIBLE),
    ("DivisionUndefined", DIVISION_UNDEFINED),
    ("InvalidContext", INVALID_CONTEXT),
];

#[derive(Default)]
struct DecState {
    /// Exception classes by name.
    classes: RefCell<Vec<(&'static str, Obj)>>,
    var: RefCell<Option<Obj>>,
    templates: RefCell<Vec<Obj>>,
    decimal_tuple: RefCell<Option<Obj>>,
}

fn class(vm: &Vm, name: &str) -> Obj {
    let st = vm.state::<DecState>();
    let found = st.classes.borrow().iter().find(|(n, _)| *n == name).map(|(_, c)| c.clone());
    found.unwrap_or_else(|| arithmetic_error(vm))
}

/// `ArithmeticError` (the base of `OverflowError`).
fn arithmetic_error(vm: &Vm) -> Obj {
    type_data(&vm.types.overflow_error).bases.borrow().first().cloned().unwrap_or_else(|| vm.types.exception.clone())
}

fn make_classes(vm: &Vm) -> PyResult<()> {
    let st = vm.state::<DecState>();
    if !st.classes.borrow().is_empty() {
        return Ok(());
    }
    let mut out: Vec<(&'static str, Obj)> = Vec::new();
    let get = |out: &Vec<(&'static str, Obj)>, n: &str| {
        out.iter().find(|(k, _)| *k == n).map(|(_, c)| c.clone()).unwrap_or_else(|| arithmetic_error(vm))
    };
    let defs: [(&'static str, &'static str, &[&str]); 14] = [
        ("DecimalException", "decimal.DecimalException", &["ArithmeticError"]),
        ("Clamped", "decimal.Clamped", &["DecimalException"]),
        ("InvalidOperation", "decimal.InvalidOperation", &["DecimalException"]),
        ("ConversionSyntax", "decimal.ConversionSyntax", &["InvalidOperation"]),
        ("DivisionImpossible", "decimal.DivisionImpossible", &["InvalidOperation"]),
        ("DivisionUndefined", "decimal.DivisionUndefined", &["InvalidOperation", "ZeroDivisionError"]),
        ("InvalidContext", "decimal.InvalidContext", &["InvalidOperation"]),
        ("DivisionByZero", "decimal.DivisionByZero", &["DecimalException", "ZeroDivisionError"]),
        ("Inexact", "decimal.Inexact", &["DecimalException"]),
        ("Rounded", "decimal.Rounded", &["DecimalException"]),
        ("Subnormal", "decimal.Subnormal", &["DecimalException"]),
        ("Overflow", "decimal.Overflow", &["Inexact", "Rounded"]),
        ("Underflow", "decimal.Underflow", &["Inexact", "Rounded", "Subnormal"]),
        ("FloatOperation", "decimal.FloatOperation", &["DecimalException", "TypeError"]),
    ];
    for (name, dotted, bases) in defs {
        let bases: Vec<Obj> = bases
            .iter()
            .map(|b| match *b {
                "ArithmeticError" => arithmetic_error(vm),
                "ZeroDivisionError" => vm.types.zero_division_error.clone(),
                "TypeError" => vm.types.type_error.clone(),
                other => get(&out, other),
            })
            .collect();
        let c = util::exception_class(vm, dotted, &bases)?;
        out.push((name, c));
    }
    *st.classes.borrow_mut() = out;
    Ok(())
}

// ----------------------------------------------------------------------
// Context

pub struct ContextData {
    prec: Cell<i64>,
    rounding: Cell<Rounding>,
    emin: Cell<i64>,
    emax: Cell<i64>,
    capitals: Cell<i64>,
    clamp: Cell<i64>,
    /// libmpdec status bits, shared with the context's `SignalDict` views.
    flags: Rc<Cell<u32>>,
    traps: Rc<Cell<u32>>,
    /// The `flags` and `traps` views, made on first access.
    views: RefCell<[Option<Obj>; 2]>,
}

impl ContextData {
    fn snap(&self) -> Ctx {
        Ctx {
            prec: self.prec.get(),
            rounding: self.rounding.get(),
            emin: self.emin.get(),
            emax: self.emax.get(),
            clamp: self.clamp.get() != 0,
        }
    }
    fn copy(&self) -> ContextData {
        ContextData {
            prec: Cell::new(self.prec.get()),
            rounding: Cell::new(self.rounding.get()),
            emin: Cell::new(self.emin.get()),
            emax: Cell::new(self.emax.get()),
            capitals: Cell::new(self.capitals.get()),
            clamp: Cell::new(self.clamp.get()),
            flags: Rc::new(Cell::new(self.flags.get())),
            traps: Rc::new(Cell::new(self.traps.get())),
            views: RefCell::new([None, None]),
        }
    }
}

fn default_data() -> ContextData {
    ContextData {
        prec: Cell::new(28),
        rounding: Cell::new(Rounding::HalfEven),
        emin: Cell::new(-999999),
        emax: Cell::new(999999),
        capitals: Cell::new(1),
        clamp: Cell::new(0),
        flags: Rc::new(Cell::new(0)),
        traps: Rc::new(Cell::new(IEEE_INVALID | DIVISION_BY_ZERO | OVERFLOW)),
        views: RefCell::new([None, None]),
    }
}

fn context_type(vm: &Vm) -> Obj {
    vm.native_type("decimal.Context", |vm| {
        let slots = Slots {
            new: Some(context_new),
            init: Some(context_init),
            repr: Some(|vm, o| Ok(new_str(vm, &context_repr(vm, o)?))),
            ..object_slots()
        };
        new_type::<ContextData>(vm, "decimal.Context", &[], false, slots, CONTEXT_METHODS, CONTEXT_GETSETS)
    })
}

fn ctx_data<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a ContextData> {
    o.downcast::<ContextData>().ok_or_else(|| vm.type_error("argument must be a context"))
}

fn new_context(vm: &Vm, data: ContextData) -> Obj {
    alloc(context_type(vm), data)
}

fn context_new(vm: &Vm, cls: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let st = vm.state::<DecState>();
    let data = match st.templates.borrow().first() {
        Some(d) => ctx_data(vm, d)?.copy(),
        None => default_data(),
    };
    data.flags.set(0);
    Ok(alloc(cls.clone(), data))
}

const CONTEXT_PARAMS: Params = Params {
    fname: "Context",
    names: &["prec", "rounding", "Emin", "Emax", "capitals", "clamp", "flags", "traps"],
    posonly: 0,
    kwonly: 0,
    required: 0,
};

fn context_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let vals = bind::<8>(vm, &CONTEXT_PARAMS, args, kw)?;
    for (i, v) in vals.iter().enumerate() {
        if let Some(v) = v {
            if v.is(&vm.none) {
                continue;
            }
            set_context_attr(vm, this, CONTEXT_PARAMS.names[i], v, true)?;
        }
    }
    Ok(vm.none.clone())
}

fn as_i64(vm: &Vm, v: &Obj) -> PyResult<i64> {
    match int_data(v) {
        Some(IntData::Small(x)) => Ok(*x),
        Some(IntData::Big(_)) => Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C ssize_t")),
        None => Err(vm.type_error("an integer is required")),
    }
}

fn rounding_of(vm: &Vm, v: &Obj) -> PyResult<Rounding> {
    if let Some(s) = v.downcast::<StrData>() {
        let s = s.as_str();
        if let Some((_, r)) = number::ROUNDING_NAMES.iter().find(|(n, _)| *n == s) {
            return Ok(*r);
        }
    }
    Err(vm.type_error(
        "valid values for rounding are:\n  [ROUND_CEILING, ROUND_FLOOR, ROUND_UP, ROUND_DOWN,\n   ROUND_HALF_UP, ROUND_HALF_DOWN, ROUND_HALF_EVEN,\n   ROUND_05UP]",
    ))
}

/// Status bits from a list of signals or a signal dict (`flags=`, `traps=`).
fn signal_bits(vm: &Vm, v: &Obj) -> PyResult<u32> {
    let mut bits = 0;
    if v.downcast::<taipan_vm::types::builtin::ListData>().is_some() {
        for s in util::collect(vm, v)? {
            bits |= bit_of_signal(vm, &s)?;
        }
        return Ok(bits);
    }
    if v.downcast::<SignalDictData>().is_some() {
        return sd_bits(vm, v);
    }
    if v.downcast::<taipan_vm::types::builtin::DictData>().is_some() {
        let items = dict_items(v);
        if items.len() != SIGNALS.len() {
            return Err(vm.new_error(&vm.types.key_error, "invalid signal dict"));
        }
        for (k, val) in items {
            let b = bit_of_signal(vm, &k).map_err(|_| vm.new_error(&vm.types.key_error, "invalid signal dict"))?;
            if ops::truth(vm, &val)? {
                bits |= b;
            }
        }
        return Ok(bits);
    }
    Err(vm.type_error("argument must be a signal dict"))
}

fn bit_of_signal(vm: &Vm, s: &Obj) -> PyResult<u32> {
    for (name, bit) in SIGNALS {
        if class(vm, name).is(s) {
            return Ok(bit);
        }
    }
    Err(key_error(
        vm,
        &new_str(
            vm,
            "valid values for signals are:\n  [InvalidOperation, FloatOperation, DivisionByZero,\n   Overflow, Underflow, Subnormal, Inexact, Rounded,\n   Clamped]",
        ),
    ))
}

fn set_context_attr(vm: &Vm, this: &Obj, name: &str, v: &Obj, init: bool) -> PyResult<()> {
    let c = ctx_data(vm, this)?;
    let verr = |m: &str| vm.new_error(&vm.types.value_error, m);
    match name {
        "prec" => {
            let x = as_i64(vm, v)?;
            if !(1..=MAX_PREC).contains(&x) {
                return Err(verr("valid range for prec is [1, MAX_PREC]"));
            }
            c.prec.set(x);
        }
        "Emin" => {
            let x = as_i64(vm, v)?;
            if !(MIN_EMIN..=0).contains(&x) {
                return Err(verr("valid range for Emin is [MIN_EMIN, 0]"));
            }
            c.emin.set(x);
        }
        "Emax" => {
            let x = as_i64(vm, v)?;
            if !(0..=MAX_EMAX).contains(&x) {
                return Err(verr("valid range for Emax is [0, MAX_EMAX]"));
            }
            c.emax.set(x);
        }
        "capitals" => {
            let x = as_i64(vm, v)?;
            if !(0..=1).contains(&x) {
                return Err(verr("valid values for capitals are 0 or 1"));
            }
            c.capitals.set(x);
        }
        "clamp" => {
            let x = as_i64(vm, v)?;
            if !(0..=1).contains(&x) {
                return Err(verr("valid values for clamp are 0 or 1"));
            }
            c.clamp.set(x);
        }
        "rounding" => c.rounding.set(rounding_of(vm, v)?),
        "flags" | "traps" => {
            let is_list = v.downcast::<taipan_vm::types::builtin::ListData>().is_some() || v.downcast::<TupleData>().is_some();
            if is_list && !init {
                return Err(vm.type_error("argument must be a signal dict"));
            }
            let bits = signal_bits(vm, v)?;
            if name == "flags" {
                c.flags.set(bits);
            } else {
                c.traps.set(bits);
            }
        }
        _ => {}
    }
    Ok(())
}

/// The signals set in `bits` in libmpdec's order (InvalidOperation, then
/// by status bit), as the C module's `Context.__repr__` lists them.
fn signal_names(vm: &Vm, bits: u32) -> Vec<&'static str> {
    let _ = vm;
    let mut sigs: Vec<(&'static str, u32)> = SIGNALS.to_vec();
    sigs.sort_by_key(|(_, b)| b & b.wrapping_neg());
    sigs.iter().filter(|(_, b)| bits & b != 0).map(|(n, _)| *n).collect()
}

fn context_repr(vm: &Vm, o: &Obj) -> PyResult<String> {
    let c = ctx_data(vm, o)?;
    Ok(format!(
        "Context(prec={}, rounding={}, Emin={}, Emax={}, capitals={}, clamp={}, flags=[{}], traps=[{}])",
        c.prec.get(),
        c.rounding.get().name(),
        c.emin.get(),
        c.emax.get(),
        c.capitals.get(),
        c.clamp.get(),
        signal_names(vm, c.flags.get()).join(", "),
        signal_names(vm, c.traps.get()).join(", ")
    ))
}

macro_rules! int_getset {
    ($name:literal, $field:ident) => {
        GetSetDef::new(
            $name,
            |vm, o| Ok(vm.int(ctx_data(vm, o)?.$field.get())),
            |vm, o, v| match v {
                Some(v) => set_context_attr(vm, o, $name, &v, false),
                None => Err(vm.new_error(&vm.types.attribute_error, "context attributes cannot be deleted")),
            },
            "",
        )
    };
}

static CONTEXT_GETSETS: &[GetSetDef] = &[
    int_getset!("prec", prec),
    int_getset!("Emin", emin),
    int_getset!("Emax", emax),
    int_getset!("capitals", capitals),
    int_getset!("clamp", clamp),
    GetSetDef::new(
        "rounding",
        |vm, o| Ok(vm.intern(ctx_data(vm, o)?.rounding.get().name())),
        |vm, o, v| match v {
            Some(v) => set_context_attr(vm, o, "rounding", &v, false),
            None => Err(vm.new_error(&vm.types.attribute_error, "context attributes cannot be deleted")),
        },
        "",
    ),
    GetSetDef::new(
        "flags",
        |vm, o| signal_view(vm, o, 0),
        |vm, o, v| match v {
            Some(v) => set_context_attr(vm, o, "flags", &v, false),
            None => Err(vm.new_error(&vm.types.attribute_error, "context attributes cannot be deleted")),
        },
        "",
    ),
    GetSetDef::new(
        "traps",
        |vm, o| signal_view(vm, o, 1),
        |vm, o, v| match v {
            Some(v) => set_context_attr(vm, o, "traps", &v, false),
            None => Err(vm.new_error(&vm.types.attribute_error, "context attributes cannot be deleted")),
        },
        "",
    ),
];

/// Records `st` in the context's flags and raises the trapped conditions
/// (`dec_addstatus`).
fn add_status(vm: &Vm, ctx: &Obj, st: u32) -> PyResult<()> {
    if st == 0 {
        return Ok(());
    }
    let c = ctx_data(vm, ctx)?;
    c.flags.set(c.flags.get() | st);
    let trapped = st & c.traps.get();
    if trapped == 0 {
        return Ok(());
    }
    let ex = SIGNALS.iter().find(|(_, b)| trapped & b != 0).map(|(n, _)| class(vm, n)).unwrap_or_else(|| class(vm, "InvalidOperation"));
    let mut list = Vec::new();
    for (n, b) in CONDITIONS {
        if trapped & b != 0 {
            list.push(class(vm, n));
        }
    }
    for (n, b) in &SIGNALS[1..] {
        if trapped & b != 0 {
            list.push(class(vm, n));
        }
    }
    let l = new_list(vm, list);
    Err(PyErr { exc: new_exception(vm, &ex, vec![l]) })
}

// SignalDict -------------------------------------------------------------

/// A context's `flags` or `traps`: a view of its status bits.
pub struct SignalDictData {
    bits: Rc<Cell<u32>>,
    /// False for one made by calling the type (no context behind it).
    valid: bool,
}

/// The context's flags (`which` 0) or traps (1) view, one per context.
fn signal_view(vm: &Vm, ctx: &Obj, which: usize) -> PyResult<Obj> {
    let c = ctx_data(vm, ctx)?;
    if let Some(v) = c.views.borrow()[which].clone() {
        return Ok(v);
    }
    let bits = if which == 0 { c.flags.clone() } else { c.traps.clone() };
    let v = alloc(signal_dict_type(vm), SignalDictData { bits, valid: true });
    c.views.borrow_mut()[which] = Some(v.clone());
    Ok(v)
}

fn signal_dict_type(vm: &Vm) -> Obj {
    vm.native_type("decimal.SignalDictMixin", |vm| {
        let slots = Slots {
            new: Some(|_vm, cls, _a, _k| Ok(alloc(cls.clone(), SignalDictData { bits: Rc::new(Cell::new(0)), valid: false }))),
            repr: Some(|vm, o| {
                let bits = sd_bits(vm, o)?;
                let parts: Vec<String> = SIGNALS
                    .iter()
                    .map(|(n, b)| format!("<class 'decimal.{}'>:{}", n, if bits & b != 0 { "True" } else { "False" }))
                    .collect();
                Ok(new_str(vm, &format!("{{{}}}", parts.join(", "))))
            }),
            iter: Some(|vm, o| {
                sd_bits(vm, o)?;
                let l = new_list(vm, SIGNALS.iter().map(|(n, _)| class(vm, n)).collect());
                ops::iter(vm, &l)
            }),
            compare: Some(|vm, op, a, b| {
                if !matches!(op, CompareOp::Eq | CompareOp::Ne) {
                    return Ok(vm.not_implemented.clone());
                }
                let da = sd_dict(vm, a)?;
                let db = if b.downcast::<SignalDictData>().is_some() { sd_dict(vm, b)? } else { b.clone() };
                ops::compare(vm, op, &da, &db)
            }),
            ..object_slots()
        };
        new_type::<SignalDictData>(vm, "decimal.SignalDictMixin", &[], false, slots, SIGNAL_DICT_METHODS, &[])
    })
}

fn sd_bits(vm: &Vm, o: &Obj) -> PyResult<u32> {
    let sd = o.downcast::<SignalDictData>().ok_or_else(|| vm.type_error("signal dict expected"))?;
    if !sd.valid {
        return Err(vm.new_error(&vm.types.value_error, "invalid signal dict"));
    }
    Ok(sd.bits.get())
}

fn sd_dict(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let bits = sd_bits(vm, o)?;
    let d = new_dict(vm);
    for (n, b) in SIGNALS {
        dict_set(vm, &d, class(vm, n), vm.bool(bits & b != 0))?;
    }
    Ok(d)
}

static SIGNAL_DICT_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "__getitem__",
        |vm, o, a, kw| {
            let [k] = exact::<1>(vm, "__getitem__", a, kw)?;
            let b = bit_of_signal(vm, &k)?;
            Ok(vm.bool(sd_bits(vm, o)? & b != 0))
        },
        "",
    ),
    MethodDef::method(
        "__setitem__",
        |vm, o, a, kw| {
            let [k, v] = exact::<2>(vm, "__setitem__", a, kw)?;
            sd_bits(vm, o)?;
            let b = bit_of_signal(vm, &k)?;
            let on = ops::truth(vm, &v)?;
            let sd = o.downcast::<SignalDictData>().ok_or_else(|| vm.type_error("signal dict expected"))?;
            let cell = &sd.bits;
            cell.set(if on { cell.get() | b } else { cell.get() & !b });
            Ok(vm.none.clone())
        },
        "",
    ),
    MethodDef::method("__delitem__", |vm, _o, _a, _kw| Err(vm.new_error(&vm.types.value_error, "signal keys cannot be deleted")), ""),
    MethodDef::method(
        "__len__",
        |vm, o, _a, _kw| {
            sd_bits(vm, o)?;
            Ok(vm.int(SIGNALS.len() as i64))
        },
        "",
    ),
    MethodDef::method(
        "__contains__",
        |vm, _o, a, kw| {
            let [k] = exact::<1>(vm, "__contains__", a, kw)?;
            Ok(vm.bool(bit_of_signal(vm, &k).is_ok()))
        },
        "",
    ),
    MethodDef::method("copy", |vm, o, _a, _kw| sd_dict(vm, o), ""),
    MethodDef::method("keys", |vm, o, _a, _kw| util::call_method(vm, &sd_dict(vm, o)?, "keys", &[]), ""),
    MethodDef::method("values", |vm, o, _a, _kw| util::call_method(vm, &sd_dict(vm, o)?, "values", &[]), ""),
    MethodDef::method("items", |vm, o, _a, _kw| util::call_method(vm, &sd_dict(vm, o)?, "items", &[]), ""),
    MethodDef::method("get", |vm, o, a, _kw| util::call_method(vm, &sd_dict(vm, o)?, "get", a), ""),
];

// Current context ----------------------------------------------------------

fn context_var(vm: &Vm) -> Obj {
    let st = vm.state::<DecState>();
    let v = st.var.borrow().clone();
    match v {
        Some(v) => v,
        None => {
            let v = contextvars::new_var(vm, "decimal_context");
            *st.var.borrow_mut() = Some(v.clone());
            v
        }
    }
}

fn template(vm: &Vm, i: usize) -> Option<Obj> {
    vm.state::<DecState>().templates.borrow().get(i).cloned()
}

/// The current thread's (task's) context, made from DefaultContext on
/// first use.
pub fn current_context(vm: &Vm) -> PyResult<Obj> {
    let var = context_var(vm);
    if let Some(c) = contextvars::var_value(vm, &var)? {
        return Ok(c);
    }
    let data = match template(vm, 0) {
        Some(t) => ctx_data(vm, &t)?.copy(),
        None => default_data(),
    };
    data.flags.set(0);
    let c = new_context(vm, data);
    contextvars::set_var_value(vm, &var, c.clone())?;
    Ok(c)
}

fn set_current(vm: &Vm, c: &Obj) -> PyResult<()> {
    let d = ctx_data(vm, c)?;
    let is_template = vm.state::<DecState>().templates.borrow().iter().any(|t| t.is(c));
    let c = if is_template {
        let n = d.copy();
        n.flags.set(0);
        new_context(vm, n)
    } else {
        c.clone()
    };
    contextvars::set_var_value(vm, &context_var(vm), c)
}

fn getcontext(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "getcontext", args, kw)?;
    current_context(vm)
}

fn setcontext(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [c] = exact::<1>(vm, "setcontext", args, kw)?;
    set_current(vm, &c)?;
    Ok(vm.none.clone())
}

pub struct ContextManager {
    local: Obj,
    global: RefCell<Option<Obj>>,
}

fn ctxmanager_type(vm: &Vm) -> Obj {
    vm.native_type("decimal.ContextManager", |vm| {
        new_type::<ContextManager>(vm, "decimal.ContextManager", &[], false, object_slots(), CTXMANAGER_METHODS, &[])
    })
}

static CTXMANAGER_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "__enter__",
        |vm, o, _a, _kw| {
            let m = o.downcast::<ContextManager>().ok_or_else(|| vm.type_error("ContextManager expected"))?;
            *m.global.borrow_mut() = Some(current_context(vm)?);
            set_current(vm, &m.local)?;
            current_context(vm)
        },
        "",
    ),
    MethodDef::method(
        "__exit__",
        |vm, o, _a, _kw| {
            let m = o.downcast::<ContextManager>().ok_or_else(|| vm.type_error("ContextManager expected"))?;
            let g = m.global.borrow_mut().take();
            if let Some(g) = g {
                set_current(vm, &g)?;
            }
            Ok(vm.none.clone())
        },
        "",
    ),
];

fn localcontext(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = Params {
        fname: "localcontext",
        names: &["ctx", "prec", "rounding", "Emin", "Emax", "capitals", "clamp", "flags", "traps"],
        posonly: 0,
        kwonly: 0,
        required: 0,
    };
    let vals = bind::<9>(vm, &p, args, kw)?;
    let base = match &vals[0] {
        Some(c) if !c.is(&vm.none) => {
            if c.downcast::<ContextData>().is_none() {
                return Err(vm.type_error("optional argument must be a context"));
            }
            c.clone()
        }
        _ => current_context(vm)?,
    };
    let local = new_context(vm, ctx_data(vm, &base)?.copy());
    for (i, v) in vals.iter().enumerate().skip(1) {
        if let Some(v) = v {
            if !v.is(&vm.none) {
                set_context_attr(vm, &local, p.names[i], v, true)?;
            }
        }
    }
    Ok(alloc(ctxmanager_type(vm), ContextManager { local, global: RefCell::new(None) }))
}

/// The context argument of a method (`None`: the current one).
fn ctx_arg(vm: &Vm, c: Option<&Obj>) -> PyResult<Obj> {
    match c {
        Some(c) if !c.is(&vm.none) => {
            if c.downcast::<ContextData>().is_none() {
                return Err(vm.type_error("optional argument must be a context"));
            }
            Ok(c.clone())
        }
        _ => current_context(vm),
    }
}

// ----------------------------------------------------------------------
// Decimal

fn decimal_type(vm: &Vm) -> Obj {
    vm.native_type("decimal.Decimal", |vm| {
        let slots = Slots {
            new: Some(decimal_new),
            repr: Some(|vm, o| {
                let s = dec_str(vm, o, false)?;
                Ok(new_str(vm, &format!("Decimal('{s}')")))
            }),
            str: Some(|vm, o| Ok(new_str(vm, &dec_str(vm, o, false)?))),
            hash: Some(decimal_hash),
            bool: Some(|vm, o| Ok(!get_dec(vm, o)?.is_zero())),
            binary: Some(decimal_binary),
            compare: Some(decimal_compare),
            negative: Some(|vm, o| unary(vm, o, number::minus)),
            positive: Some(|vm, o| unary(vm, o, number::plus)),
            absolute: Some(|vm, o| unary(vm, o, number::abs)),
            ..object_slots()
        };
        new_type::<Dec>(vm, "decimal.Decimal", &[], false, slots, DECIMAL_METHODS, DECIMAL_GETSETS)
    })
}

fn get_dec<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a Dec> {
    o.downcast::<Dec>()
        .ok_or_else(|| vm.type_error(format!("descriptor requires a 'decimal.Decimal' object but received '{}'", type_name(o))))
}

fn new_dec(vm: &Vm, d: Dec) -> Obj {
    alloc(decimal_type(vm), d)
}

fn dec_str(vm: &Vm, o: &Obj, eng: bool) -> PyResult<String> {
    let d = get_dec(vm, o)?;
    let ctx = current_context(vm)?;
    let caps = ctx_data(vm, &ctx)?.capitals.get() != 0;
    Ok(number::to_string(d, eng, caps))
}

fn int_to_dec(i: &IntData) -> Dec {
    match i {
        IntData::Small(v) => Dec::from_i64(*v),
        IntData::Big(b) => {
            let (sign, mag) = b.clone().into_parts();
            Dec::finite(sign == Sign::Minus, mag, 0)
        }
    }
}

/// The exact value of a float.
pub fn float_to_dec(f: f64) -> Dec {
    let neg = f.is_sign_negative();
    if f.is_nan() {
        return Dec { neg: false, ..Dec::nan() };
    }
    if f.is_infinite() {
        return Dec::inf(neg);
    }
    if f == 0.0 {
        return Dec::zero(neg, 0);
    }
    let bits = f.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    let (mut m, mut e) = if biased == 0 { (frac, -1074) } else { (frac | (1u64 << 52), biased - 1075) };
    let tz = m.trailing_zeros() as i64;
    let shift = if e < 0 { tz.min(-e) } else { tz };
    m >>= shift;
    e += shift;
    if e >= 0 {
        Dec::finite(neg, BigUint::from(m) << (e as usize), 0)
    } else {
        let k = (-e) as u32;
        Dec::finite(neg, BigUint::from(m) * BigUint::from(5u32).pow(k), -(k as i64))
    }
}

/// Normalizes a numeric string: whitespace stripped, underscores
/// dropped, Unicode digits made ASCII (`None`: a character no number has).
fn ascii_numeric(s: &str, lax: bool) -> Option<String> {
    let s = if lax { s.trim_matches(|c: char| c.is_whitespace()) } else { s };
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '_' && lax {
            continue;
        }
        if c.is_ascii() {
            if c.is_whitespace() {
                return None;
            }
            out.push(c);
        } else if let Some(d) = taipan_parser::unicode::decimal_value(c as u32) {
            out.push(char::from_digit(d, 10)?);
        } else {
            return None;
        }
    }
    Some(out)
}

/// A string's value; `lax` (the constructor) strips whitespace and
/// ignores underscores, `Context.create_decimal` does neither. Values the
/// C module cannot hold exactly (exponent beyond its limits) are
/// InvalidOperation.
fn dec_from_str(vm: &Vm, s: &str, ctx: &Obj, lax: bool) -> PyResult<Dec> {
    match ascii_numeric(s, lax).as_deref().and_then(number::parse) {
        Some(d) => Ok(d),
        None => {
            add_status(vm, ctx, CONVERSION_SYNTAX)?;
            Ok(Dec::nan())
        }
    }
}

fn dec_from_tuple(vm: &Vm, v: &Obj) -> PyResult<Dec> {
    let items = util::collect(vm, v)?;
    let verr = |m: &str| vm.new_error(&vm.types.value_error, m);
    if items.len() != 3 {
        return Err(verr("argument must be a sequence of length 3"));
    }
    let neg = match int_data(&items[0]) {
        Some(IntData::Small(0)) => false,
        Some(IntData::Small(1)) => true,
        _ => return Err(verr("sign must be an integer with the value 0 or 1")),
    };
    let mut kind = Kind::Finite;
    let mut exp = 0i64;
    if let Some(s) = items[2].downcast::<StrData>() {
        kind = match &*s.as_str() {
            "F" => Kind::Inf,
            "n" => Kind::NaN,
            "N" => Kind::SNaN,
            _ => return Err(verr("string argument in the third position must be 'F', 'n' or 'N'")),
        };
    } else {
        match int_data(&items[2]) {
            // Beyond every limit anyway; keeps exponent sums in range.
            Some(IntData::Small(e)) => exp = (*e).clamp(number::EXP_LIMIT.saturating_neg(), number::EXP_LIMIT),
            Some(IntData::Big(_)) => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C ssize_t")),
            None => return Err(verr("exponent must be an integer")),
        }
    }
    let digits = if items[1].downcast::<TupleData>().is_some() || items[1].downcast::<taipan_vm::types::builtin::ListData>().is_some() {
        util::collect(vm, &items[1])?
    } else {
        return Err(verr("coefficient must be a tuple of digits"));
    };
    let mut s = String::with_capacity(digits.len());
    for d in &digits {
        match int_data(d) {
            Some(IntData::Small(x)) if (0..=9).contains(x) => s.push((b'0' + *x as u8) as char),
            _ => return Err(verr("coefficient must be a tuple of digits")),
        }
    }
    let coeff = if s.is_empty() { BigUint::zero() } else { s.parse::<BigUint>().unwrap_or_default() };
    match kind {
        Kind::Inf => Ok(Dec::inf(neg)),
        Kind::NaN | Kind::SNaN => Ok(Dec { neg, coeff, exp: 0, kind }),
        Kind::Finite => Ok(Dec::finite(neg, coeff, exp)),
    }
}

/// `Decimal(value)` exactly (`context` only receives the signals).
fn to_dec_exact(vm: &Vm, v: &Obj, ctx: &Obj, lax: bool) -> PyResult<Dec> {
    if let Some(d) = v.downcast::<Dec>() {
        return Ok(d.clone());
    }
    if let Some(s) = v.downcast::<StrData>() {
        return dec_from_str(vm, &s.as_str(), ctx, lax);
    }
    if let Some(i) = int_data(v) {
        return Ok(int_to_dec(i));
    }
    if let Some(f) = v.downcast::<f64>() {
        add_status(vm, ctx, FLOAT_OPERATION)?;
        return Ok(float_to_dec(*f));
    }
    if v.downcast::<TupleData>().is_some() || v.downcast::<taipan_vm::types::builtin::ListData>().is_some() {
        return dec_from_tuple(vm, v);
    }
    Err(vm.type_error(format!("conversion from {} to Decimal is not supported", type_name(v))))
}

fn decimal_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = Params { fname: "Decimal", names: &["value", "context"], posonly: 0, kwonly: 0, required: 0 };
    let [value, context] = bind::<2>(vm, &p, args, kw)?;
    let ctx = ctx_arg(vm, context.as_ref())?;
    let Some(value) = value else {
        return Ok(alloc(cls.clone(), Dec::zero(false, 0)));
    };
    if cls.is(&decimal_type(vm)) && type_of(&value).is(cls) {
        return Ok(value);
    }
    let mut d = to_dec_exact(vm, &value, &ctx, true)?;
    // Values the C module cannot hold exactly (exponent beyond its limits).
    if !d.is_special() && (d.exp < MIN_ETINY || d.adjusted() > MAX_EMAX || (d.is_zero() && d.exp > MAX_EMAX)) {
        add_status(vm, &ctx, INVALID_OPERATION)?;
        d = Dec::nan();
    }
    Ok(alloc(cls.clone(), d))
}

/// `convert_op` without copying Decimal operands.
fn operand(v: &Obj) -> Option<std::borrow::Cow<'_, Dec>> {
    if let Some(d) = v.downcast::<Dec>() {
        return Some(std::borrow::Cow::Borrowed(d));
    }
    int_data(v).map(|i| std::borrow::Cow::Owned(int_to_dec(i)))
}

/// The operand of an arithmetic operation: a Decimal or an int.
fn convert_op(v: &Obj) -> Option<Dec> {
    if let Some(d) = v.downcast::<Dec>() {
        return Some(d.clone());
    }
    int_data(v).map(int_to_dec)
}

fn convert_raise(vm: &Vm, v: &Obj) -> PyResult<Dec> {
    convert_op(v).ok_or_else(|| vm.type_error(format!("conversion from {} to Decimal is not supported", type_name(v))))
}

type UnaryOp = fn(&Dec, &Ctx, &mut u32) -> Dec;
type BinOp = fn(&Dec, &Dec, &Ctx, &mut u32) -> Dec;

fn finish(vm: &Vm, ctx: &Obj, st: u32, d: Dec) -> PyResult<Obj> {
    add_status(vm, ctx, st)?;
    Ok(new_dec(vm, d))
}

fn unary(vm: &Vm, o: &Obj, f: UnaryOp) -> PyResult<Obj> {
    let ctx = current_context(vm)?;
    let c = ctx_data(vm, &ctx)?.snap();
    let mut st = 0;
    let r = f(get_dec(vm, o)?, &c, &mut st);
    finish(vm, &ctx, st, r)
}

fn apply_binary(vm: &Vm, f: BinOp, a: &Dec, b: &Dec, ctx: &Obj) -> PyResult<Obj> {
    let c = ctx_data(vm, ctx)?.snap();
    let mut st = 0;
    let r = f(a, b, &c, &mut st);
    finish(vm, ctx, st, r)
}

fn apply_divmod(vm: &Vm, a: &Dec, b: &Dec, ctx: &Obj) -> PyResult<Obj> {
    let c = ctx_data(vm, ctx)?.snap();
    let mut st = 0;
    let (q, r) = number::divmod(a, b, &c, &mut st);
    add_status(vm, ctx, st)?;
    Ok(new_tuple(vm, vec![new_dec(vm, q), new_dec(vm, r)]))
}

fn decimal_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    if op == BinaryOp::Power {
        return power(vm, a, b, None, None);
    }
    let (Some(x), Some(y)) = (operand(a), operand(b)) else { return Ok(vm.not_implemented.clone()) };
    let ctx = current_context(vm)?;
    let f: BinOp = match op {
        BinaryOp::Add => number::add,
        BinaryOp::Subtract => number::sub,
        BinaryOp::Multiply => number::mul,
        BinaryOp::TrueDivide => number::div,
        BinaryOp::FloorDivide => number::floordiv,
        BinaryOp::Remainder => number::rem,
        _ => return Ok(vm.not_implemented.clone()),
    };
    apply_binary(vm, f, &x, &y, &ctx)
}

fn divmod_method(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, reflected: bool) -> PyResult<Obj> {
    let [other] = exact::<1>(vm, if reflected { "__rdivmod__" } else { "__divmod__" }, args, kw)?;
    let (Some(x), Some(y)) = (convert_op(this), convert_op(&other)) else { return Ok(vm.not_implemented.clone()) };
    let ctx = current_context(vm)?;
    if reflected {
        apply_divmod(vm, &y, &x, &ctx)
    } else {
        apply_divmod(vm, &x, &y, &ctx)
    }
}

/// The other operand of a comparison, converted; `None`: NotImplemented.
fn compare_operand(vm: &Vm, a: &Dec, b: &Obj, equality: bool, ctx: &Obj) -> PyResult<Option<(Dec, Dec)>> {
    if let Some(d) = convert_op(b) {
        return Ok(Some((a.clone(), d)));
    }
    let mut other = b.clone();
    if let Some(c) = util::getattr_opt(vm, b, "imag")? {
        if type_name(b) == "complex" {
            if !equality {
                return Ok(None);
            }
            if ops::truth(vm, &c)? {
                return Ok(None);
            }
            other = util::getattr(vm, b, "real")?;
        }
    }
    if let Some(f) = other.downcast::<f64>() {
        let st = FLOAT_OPERATION;
        if equality {
            let c = ctx_data(vm, ctx)?;
            c.flags.set(c.flags.get() | st);
        } else {
            add_status(vm, ctx, st)?;
        }
        return Ok(Some((a.clone(), float_to_dec(*f))));
    }
    // numbers.Rational (Fraction): compare a*denominator with numerator.
    let numbers = taipan_vm::import::import_absolute(vm, "numbers")?;
    let rational = util::getattr(vm, &numbers, "Rational")?;
    if taipan_vm::classes::isinstance(vm, b, &rational)? {
        let num = util::getattr(vm, b, "numerator")?;
        let den = util::getattr(vm, b, "denominator")?;
        let (Some(n), Some(dn)) = (int_data(&num), int_data(&den)) else { return Ok(None) };
        let mut x = a.clone();
        if !x.is_special() {
            let dm = dn.to_big().magnitude().clone();
            x.coeff *= dm;
        }
        return Ok(Some((x, int_to_dec(n))));
    }
    Ok(None)
}

fn decimal_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let Some(x) = a.downcast::<Dec>() else { return Ok(vm.not_implemented.clone()) };
    let equality = matches!(op, CompareOp::Eq | CompareOp::Ne);
    let ctx = current_context(vm)?;
    let Some((x, y)) = compare_operand(vm, x, b, equality, &ctx)? else { return Ok(vm.not_implemented.clone()) };
    if x.is_nan() || y.is_nan() {
        let signal = if equality { x.kind == Kind::SNaN || y.kind == Kind::SNaN } else { true };
        if signal {
            add_status(vm, &ctx, INVALID_OPERATION)?;
        }
        return Ok(vm.bool(op == CompareOp::Ne));
    }
    let o = number::cmp(&x, &y);
    Ok(vm.bool(match op {
        CompareOp::Lt => o == Ordering::Less,
        CompareOp::Le => o != Ordering::Greater,
        CompareOp::Eq => o == Ordering::Equal,
        CompareOp::Ne => o != Ordering::Equal,
        CompareOp::Gt => o == Ordering::Greater,
        CompareOp::Ge => o != Ordering::Less,
    }))
}

const HASH_MODULUS: u64 = (1u64 << 61) - 1;

fn pow_mod(mut b: u64, mut e: u64, m: u64) -> u64 {
    let mut r = 1u128;
    let mut x = b as u128 % m as u128;
    while e > 0 {
        if e & 1 == 1 {
            r = r * x % m as u128;
        }
        x = x * x % m as u128;
        e >>= 1;
    }
    b = r as u64;
    b
}

fn decimal_hash(vm: &Vm, o: &Obj) -> PyResult<i64> {
    let d = get_dec(vm, o)?;
    match d.kind {
        Kind::SNaN => return Err(vm.type_error("Cannot hash a signaling NaN value")),
        Kind::NaN => return Ok(taipan_vm::hash::hash_f64(f64::NAN, o.as_ptr() as usize)),
        Kind::Inf => return Ok(if d.neg { -314159 } else { 314159 }),
        Kind::Finite => {}
    }
    let p = HASH_MODULUS;
    let exp_hash = if d.exp >= 0 {
        pow_mod(10, d.exp as u64, p)
    } else {
        let inv10 = pow_mod(10, p - 2, p);
        pow_mod(inv10, d.exp.unsigned_abs(), p)
    };
    let c = (&d.coeff % BigUint::from(p)).to_u64().unwrap_or(0);
    let h = ((c as u128 * exp_hash as u128) % p as u128) as i64;
    let ans = if d.neg { -h } else { h };
    Ok(if ans == -1 { -2 } else { ans })
}

// Methods ------------------------------------------------------------------

fn opt_ctx(vm: &Vm, name: &'static str, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = Params { fname: name, names: &["context"], posonly: 0, kwonly: 0, required: 0 };
    let [c] = bind::<1>(vm, &p, args, kw)?;
    ctx_arg(vm, c.as_ref())
}

fn other_ctx(vm: &Vm, name: &'static str, args: &[Obj], kw: Kwargs) -> PyResult<(Dec, Obj)> {
    let p = Params { fname: name, names: &["other", "context"], posonly: 0, kwonly: 0, required: 1 };
    let [o, c] = bind::<2>(vm, &p, args, kw)?;
    let ctx = ctx_arg(vm, c.as_ref())?;
    let o = o.ok_or_else(|| vm.type_error(format!("{name}() missing required argument 'other' (pos 1)")))?;
    Ok((convert_raise(vm, &o)?, ctx))
}

fn int_of(vm: &Vm, d: &Dec, mode: Rounding) -> PyResult<Obj> {
    match d.kind {
        Kind::NaN | Kind::SNaN => return Err(vm.new_error(&vm.types.value_error, "cannot convert NaN to integer")),
        Kind::Inf => return Err(vm.new_error(&vm.types.overflow_error, "cannot convert Infinity to integer")),
        Kind::Finite => {}
    }
    let r = if d.exp < 0 { d.rescale(0, mode) } else { d.clone() };
    let mag = number::trunc_magnitude(&r);
    let v = BigInt::from_biguint(if d.neg { Sign::Minus } else { Sign::Plus }, mag);
    Ok(new_int_big(vm, v))
}

fn m_int(vm: &Vm, this: &Obj, _a: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    int_of(vm, get_dec(vm, this)?, Rounding::Down)
}

fn m_floor(vm: &Vm, this: &Obj, _a: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    int_of(vm, get_dec(vm, this)?, Rounding::Floor)
}

fn m_ceil(vm: &Vm, this: &Obj, _a: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    int_of(vm, get_dec(vm, this)?, Rounding::Ceiling)
}

fn m_round(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [n] = at_most::<1>(vm, "__round__", 0, args, kw)?;
    let d = get_dec(vm, this)?;
    match n {
        Some(n) if !n.is(&vm.none) => {
            let Some(nd) = int_data(&n) else { return Err(vm.type_error("optional arg must be an integer")) };
            let places = match nd {
                IntData::Small(v) => *v,
                IntData::Big(_) => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C ssize_t")),
            };
            let q = Dec::finite(false, BigUint::one(), places.saturating_neg());
            let ctx = current_context(vm)?;
            let c = ctx_data(vm, &ctx)?.snap();
            let mut st = 0;
            let r = number::quantize(d, &q, c.rounding, &c, &mut st);
            finish(vm, &ctx, st, r)
        }
        _ => int_of(vm, d, Rounding::HalfEven),
    }
}

fn m_float(vm: &Vm, this: &Obj, _a: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let d = get_dec(vm, this)?;
    let f = match d.kind {
        Kind::SNaN => return Err(vm.new_error(&vm.types.value_error, "cannot convert signaling NaN to float")),
        Kind::NaN => {
            if d.neg {
                -f64::NAN
            } else {
                f64::NAN
            }
        }
        Kind::Inf => {
            if d.neg {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }
        }
        Kind::Finite => {
            let s = number::to_string(d, false, true);
            s.parse::<f64>().unwrap_or(0.0)
        }
    };
    Ok(alloc(vm.types.float.clone(), f))
}

fn m_complex(vm: &Vm, this: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let f = m_float(vm, this, a, kw)?;
    util::call(vm, &vm.types.complex, &[f])
}

fn m_as_tuple(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "as_tuple", args, kw)?;
    let d = get_dec(vm, this)?;
    let digits: Vec<Obj> = if d.kind == Kind::Inf {
        vec![vm.int(0)]
    } else if (d.kind == Kind::NaN || d.kind == Kind::SNaN) && d.coeff.is_zero() {
        vec![]
    } else {
        d.coeff.to_string().bytes().map(|b| vm.int((b - b'0') as i64)).collect()
    };
    let exp = match d.kind {
        Kind::Finite => vm.int(d.exp),
        Kind::Inf => new_str(vm, "F"),
        Kind::NaN => new_str(vm, "n"),
        Kind::SNaN => new_str(vm, "N"),
    };
    let tup = decimal_tuple(vm)?;
    util::call(vm, &tup, &[vm.int(d.neg as i64), new_tuple(vm, digits), exp])
}

fn decimal_tuple(vm: &Vm) -> PyResult<Obj> {
    let st = vm.state::<DecState>();
    if let Some(t) = st.decimal_tuple.borrow().clone() {
        return Ok(t);
    }
    let coll = taipan_vm::import::import_absolute(vm, "collections")?;
    let nt = util::getattr(vm, &coll, "namedtuple")?;
    let t = util::call_kw(
        vm,
        &nt,
        &[new_str(vm, "DecimalTuple"), new_str(vm, "sign digits exponent")],
        &[(vm.intern("module"), new_str(vm, "decimal"))],
    )?;
    *st.decimal_tuple.borrow_mut() = Some(t.clone());
    Ok(t)
}

fn m_as_integer_ratio(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "as_integer_ratio", args, kw)?;
    let d = get_dec(vm, this)?;
    match d.kind {
        Kind::NaN | Kind::SNaN => return Err(vm.new_error(&vm.types.value_error, "cannot convert NaN to integer ratio")),
        Kind::Inf => return Err(vm.new_error(&vm.types.overflow_error, "cannot convert Infinity to integer ratio")),
        Kind::Finite => {}
    }
    let (mut n, mut den) = if d.exp >= 0 {
        (&d.coeff * number::pow10(d.exp as u64), BigUint::one())
    } else {
        (d.coeff.clone(), number::pow10(d.exp.unsigned_abs()))
    };
    if n.is_zero() {
        den = BigUint::one();
    } else {
        let g = n.gcd(&den);
        n /= &g;
        den /= &g;
    }
    let sign = if d.neg { Sign::Minus } else { Sign::Plus };
    Ok(new_tuple(vm, vec![new_int_big(vm, BigInt::from_biguint(sign, n)), new_int_big(vm, BigInt::from(den))]))
}

fn m_from_float(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f] = exact::<1>(vm, "from_float", args, kw)?;
    let d = if let Some(x) = f.downcast::<f64>() {
        float_to_dec(*x)
    } else if let Some(i) = int_data(&f) {
        int_to_dec(i)
    } else {
        return Err(vm.type_error("argument must be int or float"));
    };
    let r = new_dec(vm, d);
    if cls.is(&decimal_type(vm)) {
        Ok(r)
    } else {
        util::call(vm, cls, &[r])
    }
}

fn m_adjusted(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "adjusted", args, kw)?;
    Ok(vm.int(get_dec(vm, this)?.adjusted()))
}

fn m_quantize(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = Params { fname: "quantize", names: &["exp", "rounding", "context"], posonly: 0, kwonly: 0, required: 1 };
    let [e, r, c] = bind::<3>(vm, &p, args, kw)?;
    let ctx = ctx_arg(vm, c.as_ref())?;
    let e = convert_raise(vm, &e.unwrap_or_else(|| vm.none.clone()))?;
    let cd = ctx_data(vm, &ctx)?.snap();
    let rounding = match r {
        Some(r) if !r.is(&vm.none) => rounding_of(vm, &r)?,
        _ => cd.rounding,
    };
    let mut st = 0;
    let res = number::quantize(get_dec(vm, this)?, &e, rounding, &cd, &mut st);
    finish(vm, &ctx, st, res)
}

fn to_integral_impl(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, name: &'static str, exactly: bool) -> PyResult<Obj> {
    let p = Params { fname: name, names: &["rounding", "context"], posonly: 0, kwonly: 0, required: 0 };
    let [r, c] = bind::<2>(vm, &p, args, kw)?;
    let ctx = ctx_arg(vm, c.as_ref())?;
    let cd = ctx_data(vm, &ctx)?.snap();
    let rounding = match r {
        Some(r) if !r.is(&vm.none) => rounding_of(vm, &r)?,
        _ => cd.rounding,
    };
    let mut st = 0;
    let res = number::to_integral(get_dec(vm, this)?, rounding, exactly, &cd, &mut st);
    finish(vm, &ctx, st, res)
}

fn m_compare(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    compare_impl(vm, this, args, kw, "compare", false)
}

fn m_compare_signal(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    compare_impl(vm, this, args, kw, "compare_signal", true)
}

fn compare_impl(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, name: &'static str, signal: bool) -> PyResult<Obj> {
    let (o, ctx) = other_ctx(vm, name, args, kw)?;
    let a = get_dec(vm, this)?;
    let c = ctx_data(vm, &ctx)?.snap();
    let mut st = 0;
    if signal && (a.is_nan() || o.is_nan()) {
        st |= INVALID_OPERATION;
    }
    if let Some(n) = number::check_nans(a, Some(&o), &c, &mut st) {
        return finish(vm, &ctx, st, n);
    }
    let r = match number::cmp(a, &o) {
        Ordering::Less => Dec::from_i64(-1),
        Ordering::Equal => Dec::from_i64(0),
        Ordering::Greater => Dec::from_i64(1),
    };
    finish(vm, &ctx, st, r)
}

fn unary_ctx(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, name: &'static str, f: UnaryOp) -> PyResult<Obj> {
    let ctx = opt_ctx(vm, name, args, kw)?;
    let c = ctx_data(vm, &ctx)?.snap();
    let mut st = 0;
    let r = f(get_dec(vm, this)?, &c, &mut st);
    finish(vm, &ctx, st, r)
}

fn normalize(a: &Dec, c: &Ctx, st: &mut u32) -> Dec {
    if let Some(n) = number::check_nans(a, None, c, st) {
        return n;
    }
    let dup = a.clone().fix(c, st);
    if dup.is_inf() {
        return dup;
    }
    if dup.is_zero() {
        return Dec::zero(dup.neg, 0);
    }
    let exp_max = if c.clamp { c.etop() } else { c.emax };
    if dup.exp >= exp_max {
        return dup;
    }
    let (coeff, n) = number::strip_zeros(&dup.coeff, (exp_max - dup.exp) as u64);
    Dec::finite(dup.neg, coeff, dup.exp + n as i64)
}

fn m_copy_sign(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (o, _ctx) = other_ctx(vm, "copy_sign", args, kw)?;
    Ok(new_dec(vm, get_dec(vm, this)?.with_sign(o.neg)))
}

fn m_same_quantum(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (o, _ctx) = other_ctx(vm, "same_quantum", args, kw)?;
    let a = get_dec(vm, this)?;
    let r = if a.is_special() || o.is_special() { (a.is_nan() && o.is_nan()) || (a.is_inf() && o.is_inf()) } else { a.exp == o.exp };
    Ok(vm.bool(r))
}

fn pred(vm: &Vm, this: &Obj, f: fn(&Dec) -> bool) -> PyResult<Obj> {
    Ok(vm.bool(f(get_dec(vm, this)?)))
}

fn pred_ctx(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, name: &'static str, f: fn(&Dec, &Ctx) -> bool) -> PyResult<Obj> {
    let ctx = opt_ctx(vm, name, args, kw)?;
    let c = ctx_data(vm, &ctx)?.snap();
    Ok(vm.bool(f(get_dec(vm, this)?, &c)))
}

fn is_normal(d: &Dec, c: &Ctx) -> bool {
    !d.is_special() && !d.is_zero() && d.adjusted() >= c.emin
}

fn is_subnormal(d: &Dec, c: &Ctx) -> bool {
    !d.is_special() && !d.is_zero() && d.adjusted() < c.emin
}

fn m_to_eng_string(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let ctx = opt_ctx(vm, "to_eng_string", args, kw)?;
    let caps = ctx_data(vm, &ctx)?.capitals.get() != 0;
    Ok(new_str(vm, &number::to_string(get_dec(vm, this)?, true, caps)))
}

fn m_reduce(vm: &Vm, this: &Obj, _a: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let s = number::to_string(get_dec(vm, this)?, false, true);
    Ok(new_tuple(vm, vec![type_of(this), new_tuple(vm, vec![new_str(vm, &s)])]))
}

fn m_copy(vm: &Vm, this: &Obj, _a: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let _ = vm;
    Ok(this.clone())
}

fn binary_ctx(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, name: &'static str, f: BinOp) -> PyResult<Obj> {
    let (o, ctx) = other_ctx(vm, name, args, kw)?;
    let c = ctx_data(vm, &ctx)?.snap();
    let mut st = 0;
    let r = f(get_dec(vm, this)?, &o, &c, &mut st);
    finish(vm, &ctx, st, r)
}

fn m_compare_total(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (o, _ctx) = other_ctx(vm, "compare_total", args, kw)?;
    Ok(new_dec(vm, Dec::from_i64(number::compare_total(get_dec(vm, this)?, &o) as i64)))
}

fn m_compare_total_mag(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (o, _ctx) = other_ctx(vm, "compare_total_mag", args, kw)?;
    let r = number::compare_total(&get_dec(vm, this)?.with_sign(false), &o.with_sign(false));
    Ok(new_dec(vm, Dec::from_i64(r as i64)))
}

fn m_number_class(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let ctx = opt_ctx(vm, "number_class", args, kw)?;
    let c = ctx_data(vm, &ctx)?.snap();
    Ok(vm.intern(number::number_class(get_dec(vm, this)?, &c)))
}

fn m_fma(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = Params { fname: "fma", names: &["other", "third", "context"], posonly: 0, kwonly: 0, required: 2 };
    let [o, t, c] = bind::<3>(vm, &p, args, kw)?;
    let ctx = ctx_arg(vm, c.as_ref())?;
    let o = convert_raise(vm, &o.unwrap_or_else(|| vm.none.clone()))?;
    let t = convert_raise(vm, &t.unwrap_or_else(|| vm.none.clone()))?;
    let cd = ctx_data(vm, &ctx)?.snap();
    let mut st = 0;
    let r = number::fma(get_dec(vm, this)?, &o, &t, &cd, &mut st);
    finish(vm, &ctx, st, r)
}

macro_rules! binary_method {
    ($fname:ident, $name:literal, $f:expr) => {
        fn $fname(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
            binary_ctx(vm, this, args, kw, $name, $f)
        }
    };
}

macro_rules! unary_method {
    ($fname:ident, $name:literal, $f:expr) => {
        fn $fname(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
            unary_ctx(vm, this, args, kw, $name, $f)
        }
    };
}

binary_method!(m_scaleb, "scaleb", number::scaleb);
binary_method!(m_rotate, "rotate", |a, b, c, st| number::rotate_shift(a, b, true, c, st));
binary_method!(m_shift, "shift", |a, b, c, st| number::rotate_shift(a, b, false, c, st));
binary_method!(m_logical_and, "logical_and", |a, b, c, st| number::logical(a, b, 0, c, st));
binary_method!(m_logical_or, "logical_or", |a, b, c, st| number::logical(a, b, 1, c, st));
binary_method!(m_logical_xor, "logical_xor", |a, b, c, st| number::logical(a, b, 2, c, st));
binary_method!(m_remainder_near, "remainder_near", number::remainder_near);
binary_method!(m_next_toward, "next_toward", number::next_toward);
binary_method!(m_max, "max", |a, b, c, st| number::minmax(a, b, true, false, c, st));
binary_method!(m_min, "min", |a, b, c, st| number::minmax(a, b, false, false, c, st));
binary_method!(m_max_mag, "max_mag", |a, b, c, st| number::minmax(a, b, true, true, c, st));
binary_method!(m_min_mag, "min_mag", |a, b, c, st| number::minmax(a, b, false, true, c, st));
unary_method!(m_logical_invert, "logical_invert", number::logical_invert);
unary_method!(m_logb, "logb", number::logb);
unary_method!(m_next_plus, "next_plus", number::next_plus);
unary_method!(m_next_minus, "next_minus", number::next_minus);

unary_method!(m_exp, "exp", transcend::exp);
unary_method!(m_ln, "ln", transcend::ln);
unary_method!(m_log10, "log10", transcend::log10);

/// A text field of a locale dict: must be a str.
fn locale_str(vm: &Vm, d: &Obj, key: &str, from_override: bool) -> PyResult<Option<String>> {
    let v = taipan_vm::types::builtin::dict_get(vm, d, &vm.intern(key))?;
    match v {
        None => Ok(None),
        Some(v) => match v.downcast::<StrData>() {
            Some(s) => Ok(Some(s.as_str().to_string())),
            None if from_override => Err(vm.type_error("bad argument type for built-in operation")),
            None => Ok(None),
        },
    }
}

/// The override dict of `__format__` (C strings: at most 4 bytes for the
/// point and separator, grouping chars below CHAR_MAX + 1).
fn override_locale(vm: &Vm, o: &Obj, base: Option<format::Locale>) -> PyResult<format::Locale> {
    let bad = || vm.new_error(&vm.types.value_error, "invalid override dict");
    let point = locale_str(vm, o, "decimal_point", true)?;
    let sep = locale_str(vm, o, "thousands_sep", true)?;
    let grouping = locale_str(vm, o, "grouping", true)?;
    // With type 'n' the dict amends the locale; otherwise it must be whole.
    let (point, sep, grouping) = match base {
        Some(b) => {
            let g = match grouping {
                Some(g) => g,
                None => b.grouping.iter().filter_map(|v| char::from_u32(*v)).collect(),
            };
            (point.unwrap_or(b.point), sep.unwrap_or(b.sep), g)
        }
        None => match (point, sep, grouping) {
            (Some(p), Some(s), Some(g)) => (p, s, g),
            _ => return Err(bad()),
        },
    };
    if point.is_empty() || point.len() > 4 || sep.len() > 4 || grouping.chars().any(|c| c as u32 > 127) {
        return Err(bad());
    }
    let mut g = Vec::new();
    for c in grouping.chars() {
        if c as u32 == 0 {
            break;
        }
        g.push(c as u32);
    }
    Ok(format::Locale { point, sep, grouping: g })
}

/// The current locale's conventions (`_locale.localeconv()`).
fn current_locale(vm: &Vm) -> PyResult<format::Locale> {
    let m = taipan_vm::import::import_absolute(vm, "_locale")?;
    let conv = util::call(vm, &util::getattr(vm, &m, "localeconv")?, &[])?;
    let point = locale_str(vm, &conv, "decimal_point", false)?.unwrap_or_else(|| ".".into());
    let sep = locale_str(vm, &conv, "thousands_sep", false)?.unwrap_or_default();
    let mut grouping = Vec::new();
    if let Some(g) = taipan_vm::types::builtin::dict_get(vm, &conv, &vm.intern("grouping"))? {
        for item in taipan_vm::sequence::to_vec(vm, &g)? {
            let v = as_i64(vm, &item)?;
            if v == 0 {
                break;
            }
            grouping.push(v.clamp(0, 127) as u32);
        }
    }
    Ok(format::Locale { point, sep, grouping })
}

/// `__format__(spec, override=None)`: `override` is a locale dict
/// (decimal_point, thousands_sep, grouping as a C string).
fn m_format(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [spec, over] = at_most::<2>(vm, "__format__", 1, args, kw)?;
    let spec = spec.unwrap_or_else(|| vm.none.clone());
    let Some(spec_s) = spec.downcast::<StrData>().map(|s| s.as_str().to_string()) else {
        return Err(vm.type_error("format arg must be str"));
    };
    let parsed = format::parse_spec(&spec_s).map_err(|e| {
        vm.new_error(
            &vm.types.value_error,
            match e {
                format::SpecError::Invalid => "invalid format string",
                format::SpecError::Limits => "format specification exceeds internal limits of _decimal",
            },
        )
    })?;
    let loc = match over {
        Some(o) if !o.is(&vm.none) => {
            if o.downcast::<taipan_vm::types::builtin::DictData>().is_none() {
                return Err(vm.type_error("optional argument must be a dict"));
            }
            let base = if parsed.ty == Some('n') { Some(current_locale(vm)?) } else { None };
            override_locale(vm, &o, base)?
        }
        _ if parsed.ty == Some('n') => current_locale(vm)?,
        _ => format::Locale::plain(parsed.thousands),
    };
    let ctx = current_context(vm)?;
    let cd = ctx_data(vm, &ctx)?;
    let out = format::format(get_dec(vm, this)?, &parsed, &loc, cd.capitals.get() != 0, cd.rounding.get());
    Ok(new_str(vm, &out))
}

/// `x ** y` (and three-argument `pow`), natively: exact integral powers
/// by `number::power_int`, the rest by `transcend`.
fn power(vm: &Vm, x: &Obj, y: &Obj, m: Option<&Obj>, ctx: Option<&Obj>) -> PyResult<Obj> {
    let (Some(a), Some(b)) = (convert_op(x), convert_op(y)) else { return Ok(vm.not_implemented.clone()) };
    let c = match ctx {
        Some(c) => c.clone(),
        None => current_context(vm)?,
    };
    let cd = ctx_data(vm, &c)?.snap();
    let mut st = 0;
    let r = match m.filter(|m| !m.is(&vm.none)) {
        Some(m) => {
            let Some(md) = convert_op(m) else { return Ok(vm.not_implemented.clone()) };
            transcend::power_mod(&a, &b, &md, &cd, &mut st)
        }
        None => match number::power_int(&a, &b, &cd, &mut st) {
            Some(r) => r,
            None => transcend::power(&a, &b, &cd, &mut st),
        },
    };
    finish(vm, &c, st, r)
}

fn m_pow(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [y, m] = at_most::<2>(vm, "__pow__", 1, args, kw)?;
    let y = y.unwrap_or_else(|| vm.none.clone());
    if let Some(m) = &m {
        if !m.is(&vm.none) && (convert_op(m).is_none() || convert_op(&y).is_none()) {
            return Err(vm.type_error(format!(
                "unsupported operand type(s) for ** or pow(): '{}', '{}', '{}'",
                type_name(this),
                type_name(&y),
                type_name(m)
            )));
        }
    }
    power(vm, this, &y, m.as_ref(), None)
}

fn m_rpow(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x, m] = at_most::<2>(vm, "__rpow__", 1, args, kw)?;
    let x = x.unwrap_or_else(|| vm.none.clone());
    power(vm, &x, this, m.as_ref(), None)
}

fn m_sqrt(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    unary_ctx(vm, this, args, kw, "sqrt", number::sqrt)
}

static DECIMAL_METHODS: &[MethodDef] = &[
    MethodDef::method("__int__", m_int, "int(self)"),
    MethodDef::method("__abs__", |vm, o, _a, _k| unary(vm, o, number::abs), "abs(self)"),
    MethodDef::method("__neg__", |vm, o, _a, _k| unary(vm, o, number::minus), "-self"),
    MethodDef::method("__pos__", |vm, o, _a, _k| unary(vm, o, number::plus), "+self"),
    MethodDef::method("__divmod__", |vm, o, a, k| divmod_method(vm, o, a, k, false), "Return divmod(self, value)."),
    MethodDef::method("__rdivmod__", |vm, o, a, k| divmod_method(vm, o, a, k, true), "Return divmod(value, self)."),
    MethodDef::method("__trunc__", m_int, ""),
    MethodDef::method("__floor__", m_floor, ""),
    MethodDef::method("__ceil__", m_ceil, ""),
    MethodDef::method("__round__", m_round, ""),
    MethodDef::method("__float__", m_float, "float(self)"),
    MethodDef::method("__complex__", m_complex, ""),
    MethodDef::method("__reduce__", m_reduce, ""),
    MethodDef::method("__copy__", m_copy, ""),
    MethodDef::method("__deepcopy__", m_copy, ""),
    MethodDef::method("__format__", m_format, ""),
    MethodDef::method(
        "__sizeof__",
        |vm, o, _a, _k| {
            // libmpdec's layout: a header and 64-bit words of 19 digits.
            let words = (get_dec(vm, o)?.ndigits().div_ceil(19)).max(4);
            Ok(vm.int(72 + 8 * words as i64))
        },
        "",
    ),
    MethodDef::method("__pow__", m_pow, "Return pow(self, value, mod)."),
    MethodDef::method("__rpow__", m_rpow, "Return pow(value, self, mod)."),
    MethodDef::method("as_tuple", m_as_tuple, "Return a tuple representation of the number."),
    MethodDef::method("as_integer_ratio", m_as_integer_ratio, ""),
    MethodDef::class("from_float", m_from_float, "Class method that converts a float to a decimal number, exactly."),
    MethodDef::method("adjusted", m_adjusted, "Return the adjusted exponent of the number."),
    MethodDef::method("quantize", m_quantize, ""),
    MethodDef::method("to_integral", |vm, o, a, k| to_integral_impl(vm, o, a, k, "to_integral", false), ""),
    MethodDef::method("to_integral_value", |vm, o, a, k| to_integral_impl(vm, o, a, k, "to_integral_value", false), ""),
    MethodDef::method("to_integral_exact", |vm, o, a, k| to_integral_impl(vm, o, a, k, "to_integral_exact", true), ""),
    MethodDef::method("compare", m_compare, ""),
    MethodDef::method("compare_signal", m_compare_signal, ""),
    MethodDef::method("compare_total", m_compare_total, ""),
    MethodDef::method("compare_total_mag", m_compare_total_mag, ""),
    MethodDef::method("normalize", |vm, o, a, k| unary_ctx(vm, o, a, k, "normalize", normalize), ""),
    MethodDef::method(
        "copy_abs",
        |vm, o, a, k| {
            exact::<0>(vm, "copy_abs", a, k)?;
            Ok(new_dec(vm, get_dec(vm, o)?.with_sign(false)))
        },
        "",
    ),
    MethodDef::method(
        "copy_negate",
        |vm, o, a, k| {
            exact::<0>(vm, "copy_negate", a, k)?;
            Ok(new_dec(vm, get_dec(vm, o)?.negated()))
        },
        "",
    ),
    MethodDef::method("copy_sign", m_copy_sign, ""),
    MethodDef::method("same_quantum", m_same_quantum, ""),
    MethodDef::method(
        "canonical",
        |vm, o, a, k| {
            exact::<0>(vm, "canonical", a, k)?;
            Ok(o.clone())
        },
        "",
    ),
    MethodDef::method(
        "conjugate",
        |vm, o, a, k| {
            exact::<0>(vm, "conjugate", a, k)?;
            Ok(o.clone())
        },
        "",
    ),
    MethodDef::method(
        "is_canonical",
        |vm, _o, a, k| {
            exact::<0>(vm, "is_canonical", a, k)?;
            Ok(vm.bool(true))
        },
        "",
    ),
    MethodDef::method(
        "is_finite",
        |vm, o, a, k| {
            exact::<0>(vm, "is_finite", a, k)?;
            pred(vm, o, |d| !d.is_special())
        },
        "",
    ),
    MethodDef::method(
        "is_infinite",
        |vm, o, a, k| {
            exact::<0>(vm, "is_infinite", a, k)?;
            pred(vm, o, |d| d.is_inf())
        },
        "",
    ),
    MethodDef::method(
        "is_nan",
        |vm, o, a, k| {
            exact::<0>(vm, "is_nan", a, k)?;
            pred(vm, o, |d| d.is_nan())
        },
        "",
    ),
    MethodDef::method(
        "is_qnan",
        |vm, o, a, k| {
            exact::<0>(vm, "is_qnan", a, k)?;
            pred(vm, o, |d| d.kind == Kind::NaN)
        },
        "",
    ),
    MethodDef::method(
        "is_snan",
        |vm, o, a, k| {
            exact::<0>(vm, "is_snan", a, k)?;
            pred(vm, o, |d| d.kind == Kind::SNaN)
        },
        "",
    ),
    MethodDef::method(
        "is_signed",
        |vm, o, a, k| {
            exact::<0>(vm, "is_signed", a, k)?;
            pred(vm, o, |d| d.neg)
        },
        "",
    ),
    MethodDef::method(
        "is_zero",
        |vm, o, a, k| {
            exact::<0>(vm, "is_zero", a, k)?;
            pred(vm, o, |d| d.is_zero())
        },
        "",
    ),
    MethodDef::method("is_normal", |vm, o, a, k| pred_ctx(vm, o, a, k, "is_normal", is_normal), ""),
    MethodDef::method("is_subnormal", |vm, o, a, k| pred_ctx(vm, o, a, k, "is_subnormal", is_subnormal), ""),
    MethodDef::method(
        "radix",
        |vm, _o, a, k| {
            exact::<0>(vm, "radix", a, k)?;
            Ok(new_dec(vm, Dec::from_i64(10)))
        },
        "",
    ),
    MethodDef::method("to_eng_string", m_to_eng_string, ""),
    MethodDef::method("exp", m_exp, ""),
    MethodDef::method("ln", m_ln, ""),
    MethodDef::method("log10", m_log10, ""),
    MethodDef::method("logb", m_logb, ""),
    MethodDef::method("sqrt", m_sqrt, ""),
    MethodDef::method("scaleb", m_scaleb, ""),
    MethodDef::method("rotate", m_rotate, ""),
    MethodDef::method("shift", m_shift, ""),
    MethodDef::method("logical_and", m_logical_and, ""),
    MethodDef::method("logical_or", m_logical_or, ""),
    MethodDef::method("logical_xor", m_logical_xor, ""),
    MethodDef::method("logical_invert", m_logical_invert, ""),
    MethodDef::method("fma", m_fma, ""),
    MethodDef::method("remainder_near", m_remainder_near, ""),
    MethodDef::method("next_minus", m_next_minus, ""),
    MethodDef::method("next_plus", m_next_plus, ""),
    MethodDef::method("next_toward", m_next_toward, ""),
    MethodDef::method("max", m_max, ""),
    MethodDef::method("min", m_min, ""),
    MethodDef::method("max_mag", m_max_mag, ""),
    MethodDef::method("min_mag", m_min_mag, ""),
    MethodDef::method("number_class", m_number_class, ""),
];

static DECIMAL_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("real", |vm, o| Ok(new_dec(vm, get_dec(vm, o)?.clone())), ""),
    GetSetDef::readonly("imag", |vm, _o| Ok(new_dec(vm, Dec::zero(false, 0))), ""),
];

// Context methods ----------------------------------------------------------

fn ctx_binop(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, name: &'static str, f: BinOp) -> PyResult<Obj> {
    let [a, b] = exact::<2>(vm, name, args, kw)?;
    let (a, b) = (convert_raise(vm, &a)?, convert_raise(vm, &b)?);
    apply_binary(vm, f, &a, &b, this)
}

fn ctx_unop(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, name: &'static str, f: UnaryOp) -> PyResult<Obj> {
    let [a] = exact::<1>(vm, name, args, kw)?;
    let a = convert_raise(vm, &a)?;
    let c = ctx_data(vm, this)?.snap();
    let mut st = 0;
    let r = f(&a, &c, &mut st);
    finish(vm, this, st, r)
}

/// `Context.name(a, *rest)` as `Decimal(a).name(*rest, context=self)`.
fn ctx_forward(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, name: &'static str, n: usize, with_ctx: bool) -> PyResult<Obj> {
    taipan_vm::native::no_kwargs(vm, name, kw)?;
    if args.len() != n {
        let s = if n == 1 { "" } else { "s" };
        return Err(vm.type_error(format!("{name}() takes exactly {n} argument{s} ({} given)", args.len())));
    }
    let a = new_dec(vm, convert_raise(vm, &args[0])?);
    let mut rest = Vec::new();
    for x in &args[1..] {
        rest.push(new_dec(vm, convert_raise(vm, x)?));
    }
    let m = util::getattr(vm, &a, name)?;
    if with_ctx {
        util::call_kw(vm, &m, &rest, &[(vm.intern("context"), this.clone())])
    } else {
        util::call(vm, &m, &rest)
    }
}

macro_rules! fwd {
    ($name:literal, $n:expr, $ctx:expr) => {
        MethodDef::method($name, |vm, o, a, k| ctx_forward(vm, o, a, k, $name, $n, $ctx), "")
    };
}

fn ctx_copy(vm: &Vm, this: &Obj, _a: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    Ok(new_context(vm, ctx_data(vm, this)?.copy()))
}

fn ctx_create_decimal(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [v] = at_most::<1>(vm, "create_decimal", 0, args, kw)?;
    let c = ctx_data(vm, this)?.snap();
    let mut st = 0;
    let d = match v {
        None => Dec::zero(false, 0),
        Some(v) => {
            let d = to_dec_exact(vm, &v, this, false)?;
            if d.is_nan() && !d.coeff.is_zero() && number::digits(&d.coeff) as i64 > c.prec - c.clamp as i64 {
                add_status(vm, this, CONVERSION_SYNTAX)?;
                return Ok(new_dec(vm, Dec::nan()));
            }
            d
        }
    };
    let r = d.fix(&c, &mut st);
    finish(vm, this, st, r)
}

fn ctx_create_from_float(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f] = exact::<1>(vm, "create_decimal_from_float", args, kw)?;
    let d = if let Some(x) = f.downcast::<f64>() {
        float_to_dec(*x)
    } else if let Some(i) = int_data(&f) {
        int_to_dec(i)
    } else {
        return Err(vm.type_error("argument must be int or float"));
    };
    let c = ctx_data(vm, this)?.snap();
    let mut st = 0;
    let r = d.fix(&c, &mut st);
    finish(vm, this, st, r)
}

fn ctx_reduce(vm: &Vm, this: &Obj, _a: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let c = ctx_data(vm, this)?;
    let names = |bits: u32| new_list(vm, signal_names(vm, bits).iter().map(|n| class(vm, n)).collect());
    let args = vec![
        vm.int(c.prec.get()),
        new_str(vm, c.rounding.get().name()),
        vm.int(c.emin.get()),
        vm.int(c.emax.get()),
        vm.int(c.capitals.get()),
        vm.int(c.clamp.get()),
        names(c.flags.get()),
        names(c.traps.get()),
    ];
    Ok(new_tuple(vm, vec![type_of(this), new_tuple(vm, args)]))
}

fn ctx_divmod(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [a, b] = exact::<2>(vm, "divmod", args, kw)?;
    let (a, b) = (convert_raise(vm, &a)?, convert_raise(vm, &b)?);
    apply_divmod(vm, &a, &b, this)
}

fn ctx_power(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = Params { fname: "power", names: &["a", "b", "modulo"], posonly: 0, kwonly: 0, required: 2 };
    let [a, b, m] = bind::<3>(vm, &p, args, kw)?;
    let a = new_dec(vm, convert_raise(vm, &a.unwrap_or_else(|| vm.none.clone()))?);
    let b = new_dec(vm, convert_raise(vm, &b.unwrap_or_else(|| vm.none.clone()))?);
    let m = match m {
        Some(m) if !m.is(&vm.none) => new_dec(vm, convert_raise(vm, &m)?),
        _ => vm.none.clone(),
    };
    let m = if m.is(&vm.none) { None } else { Some(m) };
    power(vm, &a, &b, m.as_ref(), Some(this))
}

static CONTEXT_METHODS: &[MethodDef] = &[
    MethodDef::method("Etiny", |vm, o, _a, _k| Ok(vm.int(ctx_data(vm, o)?.snap().etiny())), "Return a value equal to Emin - prec + 1."),
    MethodDef::method("Etop", |vm, o, _a, _k| Ok(vm.int(ctx_data(vm, o)?.snap().etop())), "Return a value equal to Emax - prec + 1."),
    MethodDef::method("copy", ctx_copy, "Return a duplicate of the context with all flags cleared."),
    MethodDef::method("__copy__", ctx_copy, ""),
    MethodDef::method("__reduce__", ctx_reduce, ""),
    MethodDef::method(
        "clear_flags",
        |vm, o, _a, _k| {
            ctx_data(vm, o)?.flags.set(0);
            Ok(vm.none.clone())
        },
        "Reset all flags to False.",
    ),
    MethodDef::method(
        "clear_traps",
        |vm, o, _a, _k| {
            ctx_data(vm, o)?.traps.set(0);
            Ok(vm.none.clone())
        },
        "Set all traps to False.",
    ),
    MethodDef::method("create_decimal", ctx_create_decimal, ""),
    MethodDef::method("_apply", ctx_create_decimal, ""),
    MethodDef::method("create_decimal_from_float", ctx_create_from_float, ""),
    MethodDef::method(
        "radix",
        |vm, _o, a, k| {
            exact::<0>(vm, "radix", a, k)?;
            Ok(new_dec(vm, Dec::from_i64(10)))
        },
        "",
    ),
    MethodDef::method("abs", |vm, o, a, k| ctx_unop(vm, o, a, k, "abs", number::abs), ""),
    MethodDef::method("plus", |vm, o, a, k| ctx_unop(vm, o, a, k, "plus", number::plus), ""),
    MethodDef::method("minus", |vm, o, a, k| ctx_unop(vm, o, a, k, "minus", number::minus), ""),
    MethodDef::method("add", |vm, o, a, k| ctx_binop(vm, o, a, k, "add", number::add), ""),
    MethodDef::method("subtract", |vm, o, a, k| ctx_binop(vm, o, a, k, "subtract", number::sub), ""),
    MethodDef::method("multiply", |vm, o, a, k| ctx_binop(vm, o, a, k, "multiply", number::mul), ""),
    MethodDef::method("divide", |vm, o, a, k| ctx_binop(vm, o, a, k, "divide", number::div), ""),
    MethodDef::method("divide_int", |vm, o, a, k| ctx_binop(vm, o, a, k, "divide_int", number::floordiv), ""),
    MethodDef::method("remainder", |vm, o, a, k| ctx_binop(vm, o, a, k, "remainder", number::rem), ""),
    MethodDef::method("divmod", ctx_divmod, ""),
    MethodDef::method("power", ctx_power, ""),
    MethodDef::method(
        "copy_decimal",
        |vm, _o, a, k| {
            let [x] = exact::<1>(vm, "copy_decimal", a, k)?;
            Ok(new_dec(vm, convert_raise(vm, &x)?))
        },
        "",
    ),
    MethodDef::method(
        "to_sci_string",
        |vm, o, a, k| {
            let [x] = exact::<1>(vm, "to_sci_string", a, k)?;
            let caps = ctx_data(vm, o)?.capitals.get() != 0;
            Ok(new_str(vm, &number::to_string(&convert_raise(vm, &x)?, false, caps)))
        },
        "",
    ),
    fwd!("to_eng_string", 1, true),
    MethodDef::method(
        "canonical",
        |vm, _o, a, k| {
            let [x] = exact::<1>(vm, "canonical", a, k)?;
            if x.downcast::<Dec>().is_none() {
                return Err(vm.type_error("argument must be a Decimal"));
            }
            Ok(x)
        },
        "",
    ),
    fwd!("compare", 2, true),
    fwd!("compare_signal", 2, true),
    fwd!("compare_total", 2, false),
    fwd!("compare_total_mag", 2, false),
    fwd!("copy_abs", 1, false),
    fwd!("copy_negate", 1, false),
    fwd!("copy_sign", 2, false),
    fwd!("exp", 1, true),
    fwd!("fma", 3, true),
    MethodDef::method(
        "is_canonical",
        |vm, _o, a, k| {
            let [x] = exact::<1>(vm, "is_canonical", a, k)?;
            if x.downcast::<Dec>().is_none() {
                return Err(vm.type_error("argument must be a Decimal"));
            }
            Ok(vm.bool(true))
        },
        "",
    ),
    fwd!("is_finite", 1, false),
    fwd!("is_infinite", 1, false),
    fwd!("is_nan", 1, false),
    fwd!("is_normal", 1, true),
    fwd!("is_qnan", 1, false),
    fwd!("is_signed", 1, false),
    fwd!("is_snan", 1, false),
    fwd!("is_subnormal", 1, true),
    fwd!("is_zero", 1, false),
    fwd!("ln", 1, true),
    fwd!("log10", 1, true),
    fwd!("logb", 1, true),
    fwd!("logical_and", 2, true),
    fwd!("logical_invert", 1, true),
    fwd!("logical_or", 2, true),
    fwd!("logical_xor", 2, true),
    fwd!("max", 2, true),
    fwd!("max_mag", 2, true),
    fwd!("min", 2, true),
    fwd!("min_mag", 2, true),
    fwd!("next_minus", 1, true),
    fwd!("next_plus", 1, true),
    fwd!("next_toward", 2, true),
    fwd!("normalize", 1, true),
    fwd!("number_class", 1, true),
    fwd!("quantize", 2, true),
    fwd!("remainder_near", 2, true),
    fwd!("rotate", 2, true),
    fwd!("same_quantum", 2, false),
    fwd!("scaleb", 2, true),
    fwd!("shift", 2, true),
    fwd!("sqrt", 1, true),
    fwd!("to_integral", 1, true),
    fwd!("to_integral_exact", 1, true),
    fwd!("to_integral_value", 1, true),
];

// Module ---------------------------------------------------------------------

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("getcontext", getcontext, "Get the current default context."),
    FunctionDef::new("setcontext", setcontext, "Set a new default context."),
    FunctionDef::new("localcontext", localcontext, "Return a context manager for a copy of the supplied context."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    make_classes(vm)?;
    let names = [
        "DecimalException",
        "Clamped",
        "InvalidOperation",
        "ConversionSyntax",
        "DivisionImpossible",
        "DivisionUndefined",
        "InvalidContext",
        "DivisionByZero",
        "Inexact",
        "Rounded",
        "Subnormal",
        "Overflow",
        "Underflow",
        "FloatOperation",
    ];
    for n in names {
        add_attr(vm, m, n, class(vm, n))?;
    }
    add_attr(vm, m, "Decimal", decimal_type(vm))?;
    add_attr(vm, m, "Context", context_type(vm))?;
    add_functions(vm, m, FUNCS)?;
    {
        let st = vm.state::<DecState>();
        if st.templates.borrow().is_empty() {
            let dflt = new_context(vm, default_data());
            let basic = default_data();
            basic.prec.set(9);
            basic.rounding.set(Rounding::HalfUp);
            basic.traps.set(IEEE_INVALID | DIVISION_BY_ZERO | OVERFLOW | UNDERFLOW | CLAMPED);
            let ext = default_data();
            ext.prec.set(9);
            ext.traps.set(0);
            let basic = new_context(vm, basic);
            let ext = new_context(vm, ext);
            *st.templates.borrow_mut() = vec![dflt, basic, ext];
        }
    }
    add_attr(vm, m, "DefaultContext", template(vm, 0).unwrap_or_else(|| vm.none.clone()))?;
    add_attr(vm, m, "BasicContext", template(vm, 1).unwrap_or_else(|| vm.none.clone()))?;
    add_attr(vm, m, "ExtendedContext", template(vm, 2).unwrap_or_else(|| vm.none.clone()))?;
    add_attr(vm, m, "DecimalTuple", decimal_tuple(vm)?)?;
    for (n, _) in number::ROUNDING_NAMES {
        add_attr(vm, m, n, vm.intern(n))?;
    }
    add_attr(vm, m, "MAX_PREC", vm.int(MAX_PREC))?;
    add_attr(vm, m, "MAX_EMAX", vm.int(MAX_EMAX))?;
    add_attr(vm, m, "MIN_EMIN", vm.int(MIN_EMIN))?;
    add_attr(vm, m, "MIN_ETINY", vm.int(MIN_ETINY))?;
    add_attr(vm, m, "HAVE_THREADS", vm.bool(true))?;
    add_attr(vm, m, "HAVE_CONTEXTVAR", vm.bool(true))?;
    add_attr(vm, m, "__version__", new_str(vm, "1.70"))?;
    // As the C module: Decimal is a numbers.Number, the signal dicts are
    // MutableMappings.
    let numbers = taipan_vm::import::import_absolute(vm, "numbers")?;
    util::call_method(vm, &util::getattr(vm, &numbers, "Number")?, "register", &[decimal_type(vm)])?;
    let abc = taipan_vm::import::import_absolute(vm, "collections.abc")?;
    let abc = match util::getattr_opt(vm, &abc, "MutableMapping")? {
        Some(mm) => mm,
        None => util::getattr(vm, &taipan_vm::import::import_absolute(vm, "_collections_abc")?, "MutableMapping")?,
    };
    util::call_method(vm, &abc, "register", &[signal_dict_type(vm)])?;
    add_attr(vm, m, "__libmpdec_version__", new_str(vm, "2.5.1"))?;
    Ok(())
}
