//! `_testcapi`: the part of CPython's C-API test module that means
//! something for Taipan, so that CPython's test suite can run the tests
//! that use it. Everything here does its job: the C limits are this
//! platform's (from the `libc` types), and the functions are Taipan's own
//! call machinery seen through CPython's test entry points
//! (`meth_varargs` returns what it was called with, `pyobject_vectorcall`
//! calls its argument, ...). Helpers that only make sense for CPython's
//! C internals (PyMem allocator hooks, subinterpreters, type flags, legacy
//! strings, ...) are absent, so the tests that need them keep failing to
//! import them.
//!
//! Contents:
//! - the C limits (`INT_MAX`, `ULLONG_MAX`, `PY_SSIZE_T_MAX`, `FLT_MAX`...),
//!   `SIZEOF_TIME_T`, `Py_Version`, `WITH_PYMALLOC` (false: Taipan has no
//!   pymalloc), `USE_STACKCHECK` (false);
//! - the calling-convention probes `meth_varargs`, `meth_varargs_keywords`,
//!   `meth_o`, `meth_noargs`, `meth_fastcall`, `meth_fastcall_keywords` as
//!   module functions and as instance, class and static methods of
//!   `MethInstance`, `MethClass`, `MethStatic`: each returns its receiver
//!   (the module, instance, class, or None) with its arguments;
//! - the call entry points `pyobject_fastcall`, `pyobject_fastcalldict`,
//!   `pyobject_vectorcall`, `pyvectorcall_call`;
//! - `MethodDescriptorBase` (a callable that binds like a function),
//!   `MethodDescriptorDerived`, `MethodDescriptorNopGet` and
//!   `MethodDescriptor2`;
//! - abstract-object wrappers: `sequence_getitem`, `sequence_setitem`,
//!   `sequence_del_slice`, `sequence_set_slice`, `get_mapping_keys`,
//!   `get_mapping_values`, `get_mapping_items`, `mapping_has_key`;
//!   `W_STOPCODE`;
//! - `float_pack`/`float_unpack` (`PyFloat_Pack2/4/8`, `PyFloat_Unpack2/4/8`),
//!   on the `_struct` module's conversions;
//! - the datetime C API probes (`test_datetime_capi`, `PyDateTime_GET`,
//!   `datetime_check_date`, `get_date_fromdate`, ...) on `_datetime`'s
//!   types;
//! - `pytime.rs`: the `_PyTime_t` conversion probes (`PyTime_*`,
//!   `pytime_object_to_*`);
//! - `interp.rs`: dict and type version tags, `call_in_temporary_c_thread`,
//!   `pymem_getallocatorsname`.

mod interp;
mod pytime;

use std::cell::RefCell;

use taipan_vm::classes::MethodData;
use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{at_most, exact, new_type, no_kwargs, FunctionDef, MethodDef};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{dict_set, new_dict, new_tuple, object_slots, TupleData};
use taipan_vm::types::{Kwargs, Slots};
use taipan_vm::{sequence, PyResult, Vm};

use crate::util;

/// The module object, the receiver of its functions (`meth_*` return it).
#[derive(Default)]
struct State {
    module: RefCell<Option<Obj>>,
}

fn module_of(vm: &Vm) -> Obj {
    vm.state::<State>().module.borrow().clone().unwrap_or_else(|| vm.none.clone())
}

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    *vm.state::<State>().module.borrow_mut() = Some(m.clone());
    let int = |v: i128| -> Obj {
        match i64::try_from(v) {
            Ok(v) => vm.int(v),
            Err(_) => taipan_vm::types::builtin::new_int_big(vm, v.into()),
        }
    };
    let ints: &[(&str, i128)] = &[
        ("CHAR_MAX", libc::c_char::MAX as i128),
        ("CHAR_MIN", libc::c_char::MIN as i128),
        ("UCHAR_MAX", libc::c_uchar::MAX as i128),
        ("SHRT_MAX", libc::c_short::MAX as i128),
        ("SHRT_MIN", libc::c_short::MIN as i128),
        ("USHRT_MAX", libc::c_ushort::MAX as i128),
        ("INT_MAX", libc::c_int::MAX as i128),
        ("INT_MIN", libc::c_int::MIN as i128),
        ("UINT_MAX", libc::c_uint::MAX as i128),
        ("LONG_MAX", libc::c_long::MAX as i128),
        ("LONG_MIN", libc::c_long::MIN as i128),
        ("ULONG_MAX", libc::c_ulong::MAX as i128),
        ("LLONG_MAX", libc::c_longlong::MAX as i128),
        ("LLONG_MIN", libc::c_longlong::MIN as i128),
        ("ULLONG_MAX", libc::c_ulonglong::MAX as i128),
        ("PY_SSIZE_T_MAX", libc::ssize_t::MAX as i128),
        ("PY_SSIZE_T_MIN", libc::ssize_t::MIN as i128),
        ("SIZEOF_TIME_T", std::mem::size_of::<libc::time_t>() as i128),
    ];
    for (name, v) in ints {
        add_attr(vm, m, name, int(*v))?;
    }
    let floats: &[(&str, f64)] =
        &[("FLT_MAX", f32::MAX as f64), ("FLT_MIN", f32::MIN_POSITIVE as f64), ("DBL_MAX", f64::MAX), ("DBL_MIN", f64::MIN_POSITIVE)];
    for (name, v) in floats {
        add_attr(vm, m, name, float(vm, *v))?;
    }
    // The version this interpreter implements (`sys.hexversion`).
    add_attr(vm, m, "Py_Version", vm.int(taipan_vm::sysmodule::HEXVERSION))?;
    add_attr(vm, m, "WITH_PYMALLOC", vm.bool(false))?;
    add_attr(vm, m, "USE_STACKCHECK", vm.bool(false))?;
    add_functions(vm, m, FUNCS)?;
    add_functions(vm, m, pytime::FUNCS)?;
    add_functions(vm, m, interp::FUNCS)?;
    add_attr(vm, m, "MethInstance", meth_instance_type(vm))?;
    add_attr(vm, m, "MethClass", meth_class_type(vm))?;
    add_attr(vm, m, "MethStatic", meth_static_type(vm))?;
    add_attr(vm, m, "MethodDescriptorBase", descr_base_type(vm))?;
    add_attr(vm, m, "MethodDescriptorDerived", descr_derived_type(vm))?;
    add_attr(vm, m, "MethodDescriptorNopGet", descr_nop_get_type(vm))?;
    add_attr(vm, m, "MethodDescriptor2", descr2_type(vm))?;
    Ok(())
}

fn float(vm: &Vm, x: f64) -> Obj {
    taipan_vm::object::alloc_ref(&vm.types.float, x)
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("meth_varargs", |vm, a, kw| meth_varargs(vm, &module_of(vm), a, kw), ""),
    FunctionDef::new("meth_varargs_keywords", |vm, a, kw| meth_varargs_keywords(vm, &module_of(vm), a, kw), ""),
    FunctionDef::new("meth_o", |vm, a, kw| meth_o(vm, &module_of(vm), a, kw), ""),
    FunctionDef::new("meth_noargs", |vm, a, kw| meth_noargs(vm, &module_of(vm), a, kw), ""),
    FunctionDef::new("meth_fastcall", |vm, a, kw| meth_fastcall(vm, &module_of(vm), a, kw), ""),
    FunctionDef::new("meth_fastcall_keywords", |vm, a, kw| meth_fastcall_keywords(vm, &module_of(vm), a, kw), ""),
    FunctionDef::new("pyobject_fastcall", pyobject_fastcall, ""),
    FunctionDef::new("pyobject_fastcalldict", pyobject_fastcalldict, ""),
    FunctionDef::new("pyobject_vectorcall", pyobject_vectorcall, ""),
    FunctionDef::new("pyvectorcall_call", pyvectorcall_call, ""),
    FunctionDef::new("sequence_getitem", sequence_getitem, ""),
    FunctionDef::new("sequence_setitem", sequence_setitem, ""),
    FunctionDef::new("sequence_del_slice", sequence_del_slice, ""),
    FunctionDef::new("sequence_set_slice", sequence_set_slice, ""),
    FunctionDef::new("get_mapping_keys", |vm, a, kw| mapping_view(vm, "get_mapping_keys", "keys", a, kw), ""),
    FunctionDef::new("get_mapping_values", |vm, a, kw| mapping_view(vm, "get_mapping_values", "values", a, kw), ""),
    FunctionDef::new("get_mapping_items", |vm, a, kw| mapping_view(vm, "get_mapping_items", "items", a, kw), ""),
    FunctionDef::new("mapping_has_key", mapping_has_key, ""),
    FunctionDef::new("W_STOPCODE", w_stopcode, ""),
    FunctionDef::new("float_pack", float_pack, ""),
    FunctionDef::new("float_unpack", float_unpack, ""),
    FunctionDef::new("test_datetime_capi", test_datetime_capi, ""),
    FunctionDef::new("get_timezone_utc_capi", get_timezone_utc_capi, ""),
    FunctionDef::new("make_timezones_capi", make_timezones_capi, ""),
    FunctionDef::new("get_timezones_offset_zero", get_timezones_offset_zero, ""),
    FunctionDef::new("PyDateTime_GET", |vm, a, kw| fields(vm, "PyDateTime_GET", &["year", "month", "day"], a, kw), ""),
    FunctionDef::new("PyDateTime_DATE_GET", |vm, a, kw| fields(vm, "PyDateTime_DATE_GET", TIME_FIELDS, a, kw), ""),
    FunctionDef::new("PyDateTime_TIME_GET", |vm, a, kw| fields(vm, "PyDateTime_TIME_GET", TIME_FIELDS, a, kw), ""),
    FunctionDef::new(
        "PyDateTime_DELTA_GET",
        |vm, a, kw| fields(vm, "PyDateTime_DELTA_GET", &["days", "seconds", "microseconds"], a, kw),
        "",
    ),
    FunctionDef::new("datetime_check_date", |vm, a, kw| datetime_check(vm, "date", a, kw), ""),
    FunctionDef::new("datetime_check_time", |vm, a, kw| datetime_check(vm, "time", a, kw), ""),
    FunctionDef::new("datetime_check_datetime", |vm, a, kw| datetime_check(vm, "datetime", a, kw), ""),
    FunctionDef::new("datetime_check_delta", |vm, a, kw| datetime_check(vm, "timedelta", a, kw), ""),
    FunctionDef::new("datetime_check_tzinfo", |vm, a, kw| datetime_check(vm, "tzinfo", a, kw), ""),
    FunctionDef::new("get_date_fromdate", |vm, a, kw| construct(vm, "date", 3, false, a, kw), ""),
    FunctionDef::new("get_datetime_fromdateandtime", |vm, a, kw| construct(vm, "datetime", 7, false, a, kw), ""),
    FunctionDef::new("get_datetime_fromdateandtimeandfold", |vm, a, kw| construct(vm, "datetime", 7, true, a, kw), ""),
    FunctionDef::new("get_time_fromtime", |vm, a, kw| construct(vm, "time", 4, false, a, kw), ""),
    FunctionDef::new("get_time_fromtimeandfold", |vm, a, kw| construct(vm, "time", 4, true, a, kw), ""),
    FunctionDef::new("get_delta_fromdsu", |vm, a, kw| construct(vm, "timedelta", 3, false, a, kw), ""),
    FunctionDef::new("get_date_fromtimestamp", get_date_fromtimestamp, ""),
    FunctionDef::new("get_datetime_fromtimestamp", get_datetime_fromtimestamp, ""),
];

// ---- calling-convention probes -------------------------------------------

fn tuple(vm: &Vm, items: &[Obj]) -> Obj {
    new_tuple(vm, items.to_vec())
}

/// The keyword arguments as a new dict.
fn kwargs_dict(vm: &Vm, kw: Kwargs) -> PyResult<Obj> {
    let d = new_dict(vm);
    for (k, v) in kw {
        dict_set(vm, &d, k.clone(), v.clone())?;
    }
    Ok(d)
}

/// How CPython names a probe in its error messages: qualified by the
/// module or class (`_testcapi.meth_o()`, `MethClass.meth_o()`).
fn qualified(vm: &Vm, this: &Obj, name: &str) -> String {
    let owner = if this.is(&vm.none) {
        "MethStatic".to_string()
    } else if this.downcast::<taipan_vm::modules::ModuleData>().is_some() {
        "_testcapi".to_string()
    } else if taipan_vm::types::is_subtype(&taipan_vm::types::type_of(this), &vm.types.type_) {
        taipan_vm::types::type_data(this).name.to_string()
    } else {
        taipan_vm::types::builtin::type_name(this).to_string()
    };
    format!("{owner}.{name}")
}

/// `METH_VARARGS`: `(self, args)` (its keyword error names the bare
/// function for module functions, as CPython's does).
fn meth_varargs(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if !kw.is_empty() {
        let name = if this.downcast::<taipan_vm::modules::ModuleData>().is_some() {
            "meth_varargs".to_string()
        } else {
            qualified(vm, this, "meth_varargs")
        };
        return Err(vm.type_error(format!("{name}() takes no keyword arguments")));
    }
    Ok(tuple(vm, &[this.clone(), tuple(vm, args)]))
}

/// `METH_VARARGS | METH_KEYWORDS`: `(self, args, kwargs or None)`.
fn meth_varargs_keywords(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let kwargs = if kw.is_empty() { vm.none.clone() } else { kwargs_dict(vm, kw)? };
    Ok(tuple(vm, &[this.clone(), tuple(vm, args), kwargs]))
}

/// `METH_O`: `(self, arg)`.
fn meth_o(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [arg] = exact::<1>(vm, &qualified(vm, this, "meth_o"), args, kw)?;
    Ok(tuple(vm, &[this.clone(), arg]))
}

/// `METH_NOARGS`: `self`.
fn meth_noargs(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, &qualified(vm, this, "meth_noargs"), args, kw)?;
    Ok(this.clone())
}

/// `METH_FASTCALL`: `(self, args)`.
fn meth_fastcall(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, &qualified(vm, this, "meth_fastcall"), kw)?;
    Ok(tuple(vm, &[this.clone(), tuple(vm, args)]))
}

/// `METH_FASTCALL | METH_KEYWORDS`: `(self, args, kwargs)`.
fn meth_fastcall_keywords(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    Ok(tuple(vm, &[this.clone(), tuple(vm, args), kwargs_dict(vm, kw)?]))
}

static METH_INSTANCE_METHODS: &[MethodDef] = &[
    MethodDef::method("meth_varargs", meth_varargs, ""),
    MethodDef::method("meth_varargs_keywords", meth_varargs_keywords, ""),
    MethodDef::method("meth_o", meth_o, ""),
    MethodDef::method("meth_noargs", meth_noargs, ""),
    MethodDef::method("meth_fastcall", meth_fastcall, ""),
    MethodDef::method("meth_fastcall_keywords", meth_fastcall_keywords, ""),
];

static METH_CLASS_METHODS: &[MethodDef] = &[
    MethodDef::class("meth_varargs", meth_varargs, ""),
    MethodDef::class("meth_varargs_keywords", meth_varargs_keywords, ""),
    MethodDef::class("meth_o", meth_o, ""),
    MethodDef::class("meth_noargs", meth_noargs, ""),
    MethodDef::class("meth_fastcall", meth_fastcall, ""),
    MethodDef::class("meth_fastcall_keywords", meth_fastcall_keywords, ""),
];

static METH_STATIC_METHODS: &[MethodDef] = &[
    MethodDef::static_("meth_varargs", |vm, a, kw| meth_varargs(vm, &vm.none, a, kw), ""),
    MethodDef::static_("meth_varargs_keywords", |vm, a, kw| meth_varargs_keywords(vm, &vm.none, a, kw), ""),
    MethodDef::static_("meth_o", |vm, a, kw| meth_o(vm, &vm.none, a, kw), ""),
    MethodDef::static_("meth_noargs", |vm, a, kw| meth_noargs(vm, &vm.none, a, kw), ""),
    MethodDef::static_("meth_fastcall", |vm, a, kw| meth_fastcall(vm, &vm.none, a, kw), ""),
    MethodDef::static_("meth_fastcall_keywords", |vm, a, kw| meth_fastcall_keywords(vm, &vm.none, a, kw), ""),
];

/// The payload of the probe classes and method descriptors: nothing.
struct Empty;

/// `tp_new` of the test classes: a bare instance, arguments ignored (as
/// CPython's `PyType_GenericNew`).
fn empty_new(_vm: &Vm, cls: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    Ok(alloc(cls.clone(), Empty))
}

fn empty_slots() -> Slots {
    Slots { new: Some(empty_new), ..object_slots() }
}

fn meth_instance_type(vm: &Vm) -> Obj {
    vm.native_type("MethInstance", |vm| new_type::<Empty>(vm, "MethInstance", &[], false, empty_slots(), METH_INSTANCE_METHODS, &[]))
}

fn meth_class_type(vm: &Vm) -> Obj {
    vm.native_type("MethClass", |vm| new_type::<Empty>(vm, "MethClass", &[], false, empty_slots(), METH_CLASS_METHODS, &[]))
}

fn meth_static_type(vm: &Vm) -> Obj {
    vm.native_type("MethStatic", |vm| new_type::<Empty>(vm, "MethStatic", &[], false, empty_slots(), METH_STATIC_METHODS, &[]))
}

// ---- method descriptors --------------------------------------------------

/// Binds like a function: through an instance, a bound method.
fn bind_like_function(vm: &Vm, this: &Obj, obj: Option<&Obj>, _owner: &Obj) -> PyResult<Obj> {
    match obj {
        Some(o) if !o.is(&vm.none) => Ok(alloc(vm.types.method.clone(), MethodData { func: this.clone(), self_: o.clone() })),
        _ => Ok(this.clone()),
    }
}

fn descr_base_type(vm: &Vm) -> Obj {
    vm.native_type("MethodDescriptorBase", |vm| {
        let slots = Slots { call: Some(|vm, _this, _args, _kw| Ok(vm.bool(true))), descr_get: Some(bind_like_function), ..empty_slots() };
        new_type::<Empty>(vm, "MethodDescriptorBase", &[], false, slots, &[], &[])
    })
}

fn descr_derived_type(vm: &Vm) -> Obj {
    vm.native_type("MethodDescriptorDerived", |vm| {
        let base = descr_base_type(vm);
        new_type::<Empty>(vm, "MethodDescriptorDerived", &[&base], false, Slots::default(), &[], &[])
    })
}

fn descr_nop_get_type(vm: &Vm) -> Obj {
    vm.native_type("MethodDescriptorNopGet", |vm| {
        let base = descr_base_type(vm);
        let slots = Slots {
            // Returns its positional arguments.
            call: Some(|vm, _this, args, _kw| Ok(new_tuple(vm, args.to_vec()))),
            descr_get: Some(|_vm, this, _obj, _owner| Ok(this.clone())),
            ..Slots::default()
        };
        new_type::<Empty>(vm, "MethodDescriptorNopGet", &[&base], false, slots, &[], &[])
    })
}

fn descr2_type(vm: &Vm) -> Obj {
    vm.native_type("MethodDescriptor2", |vm| {
        let base = descr_base_type(vm);
        let slots = Slots { call: Some(|vm, _this, _args, _kw| Ok(vm.bool(false))), ..Slots::default() };
        new_type::<Empty>(vm, "MethodDescriptor2", &[&base], false, slots, &[], &[])
    })
}

// ---- call entry points ---------------------------------------------------

/// `PyArg_ParseTuple(args, "O...")` with `min`..=`N` objects: CPython's
/// "function takes exactly 2 arguments (1 given)".
fn parse_tuple<const N: usize>(vm: &Vm, min: usize, args: &[Obj], kw: Kwargs) -> PyResult<[Option<Obj>; N]> {
    no_kwargs(vm, "function", kw)?;
    if args.len() < min || args.len() > N {
        let (how, n) = if min == N {
            ("exactly", N)
        } else if args.len() < min {
            ("at least", min)
        } else {
            ("at most", N)
        };
        let s = if n == 1 { "" } else { "s" };
        return Err(vm.type_error(format!("function takes {how} {n} argument{s} ({} given)", args.len())));
    }
    Ok(std::array::from_fn(|i| args.get(i).cloned()))
}

/// The items of `args`: None for none, else a tuple.
fn args_or_none(vm: &Vm, args: &Obj) -> PyResult<Vec<Obj>> {
    if args.is(&vm.none) {
        return Ok(Vec::new());
    }
    match args.downcast::<TupleData>() {
        Some(t) => Ok(t.items.to_vec()),
        None => Err(vm.type_error("args must be None or a tuple")),
    }
}

/// The items of a dict as keyword arguments (keys must be str).
fn dict_kwargs(vm: &Vm, d: &Obj) -> PyResult<Vec<(Obj, Obj)>> {
    let mut out = Vec::new();
    for (k, v) in taipan_vm::types::builtin::dict_items(d) {
        if k.downcast::<taipan_vm::types::builtin::StrData>().is_none() {
            return Err(vm.type_error("keywords must be strings"));
        }
        out.push((k, v));
    }
    Ok(out)
}

fn is_dict(vm: &Vm, o: &Obj) -> bool {
    taipan_vm::types::is_subtype(&taipan_vm::types::type_of(o), &vm.types.dict)
}

/// `_PyObject_FastCall(func, args, nargs)`.
fn pyobject_fastcall(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [func, a] = parse_tuple::<2>(vm, 2, args, kw)?;
    let (Some(func), Some(a)) = (func, a) else { return Err(vm.type_error("missing arguments")) };
    let items = args_or_none(vm, &a)?;
    util::call(vm, &func, &items)
}

/// `PyObject_VectorcallDict(func, args, nargs, kwargs)`.
fn pyobject_fastcalldict(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [func, a, kwargs] = parse_tuple::<3>(vm, 3, args, kw)?;
    let (Some(func), Some(a), Some(kwargs)) = (func, a, kwargs) else { return Err(vm.type_error("missing arguments")) };
    let items = args_or_none(vm, &a)?;
    let kw = if kwargs.is(&vm.none) {
        Vec::new()
    } else if is_dict(vm, &kwargs) {
        dict_kwargs(vm, &kwargs)?
    } else {
        return Err(vm.type_error("kwnames must be None or a dict"));
    };
    util::call_kw(vm, &func, &items, &kw)
}

/// `PyObject_Vectorcall(func, args, nargs, kwnames)`: the last
/// `len(kwnames)` items of `args` are the keyword arguments' values.
fn pyobject_vectorcall(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [func, a, kwnames] = parse_tuple::<3>(vm, 3, args, kw)?;
    let (Some(func), Some(a), Some(kwnames)) = (func, a, kwnames) else { return Err(vm.type_error("missing arguments")) };
    let items = args_or_none(vm, &a)?;
    let names = if kwnames.is(&vm.none) {
        Vec::new()
    } else {
        match kwnames.downcast::<TupleData>() {
            Some(t) => t.items.to_vec(),
            None => return Err(vm.type_error("kwnames must be None or a tuple")),
        }
    };
    if names.len() > items.len() {
        return Err(vm.new_error(&vm.types.value_error, "kwnames longer than args"));
    }
    let npos = items.len() - names.len();
    let kw: Vec<(Obj, Obj)> = names.into_iter().zip(items[npos..].iter().cloned()).collect();
    util::call_kw(vm, &func, &items[..npos], &kw)
}

/// `PyVectorcall_Call(func, args, kwargs)`.
fn pyvectorcall_call(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [func, a, kwargs] = parse_tuple::<3>(vm, 2, args, kw)?;
    let (Some(func), Some(a)) = (func, a) else { return Err(vm.type_error("missing arguments")) };
    let Some(items) = a.downcast::<TupleData>().map(|t| t.items.to_vec()) else {
        return Err(vm.type_error("args must be a tuple"));
    };
    let kw = match kwargs {
        Some(k) if !k.is(&vm.none) => {
            if !is_dict(vm, &k) {
                return Err(vm.type_error("kwargs must be a dict"));
            }
            dict_kwargs(vm, &k)?
        }
        _ => Vec::new(),
    };
    util::call_kw(vm, &func, &items, &kw)
}

// ---- abstract object layer -----------------------------------------------

/// `o` as a C `Py_ssize_t` argument ("n" format).
fn ssize_arg(vm: &Vm, o: &Obj) -> PyResult<isize> {
    util::to_isize(vm, o)
}

/// Refuses mappings where `PySequence_GetItem/SetItem` want a sequence
/// (a dict has no `sq_item`): "dict is not a sequence".
fn check_sequence(vm: &Vm, o: &Obj) -> PyResult<()> {
    if is_dict(vm, o) {
        let name = taipan_vm::types::builtin::type_name(o);
        return Err(vm.type_error(format!("{name} is not a sequence")));
    }
    Ok(())
}

/// `PySequence_GetItem(seq, i)`: a negative index counts from the end.
fn sequence_getitem(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [seq, i] = parse_tuple::<2>(vm, 2, args, kw)?;
    let (Some(seq), Some(i)) = (seq, i) else { return Err(vm.type_error("missing arguments")) };
    let i = ssize_arg(vm, &i)?;
    check_sequence(vm, &seq)?;
    sequence::getitem(vm, &seq, &vm.int(i as i64))
}

/// `PySequence_SetItem(seq, i, value)`.
fn sequence_setitem(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [seq, i, v] = parse_tuple::<3>(vm, 3, args, kw)?;
    let (Some(seq), Some(i), Some(v)) = (seq, i, v) else { return Err(vm.type_error("missing arguments")) };
    let i = ssize_arg(vm, &i)?;
    check_sequence(vm, &seq)?;
    sequence::setitem(vm, &seq, &vm.int(i as i64), v)?;
    Ok(vm.none.clone())
}

fn slice_of(vm: &Vm, i1: isize, i2: isize) -> PyResult<Obj> {
    let slice = vm.types.slice.clone();
    util::call(vm, &slice, &[vm.int(i1 as i64), vm.int(i2 as i64)])
}

/// `PySequence_SetSlice(seq, i1, i2, value)`.
fn sequence_set_slice(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [seq, i1, i2, v] = parse_tuple::<4>(vm, 4, args, kw)?;
    let (Some(seq), Some(i1), Some(i2), Some(v)) = (seq, i1, i2, v) else { return Err(vm.type_error("missing arguments")) };
    let (i1, i2) = (ssize_arg(vm, &i1)?, ssize_arg(vm, &i2)?);
    let s = slice_of(vm, i1, i2)?;
    sequence::setitem(vm, &seq, &s, v)?;
    Ok(vm.none.clone())
}

/// `PySequence_DelSlice(seq, i1, i2)`.
fn sequence_del_slice(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [seq, i1, i2] = parse_tuple::<3>(vm, 3, args, kw)?;
    let (Some(seq), Some(i1), Some(i2)) = (seq, i1, i2) else { return Err(vm.type_error("missing arguments")) };
    let (i1, i2) = (ssize_arg(vm, &i1)?, ssize_arg(vm, &i2)?);
    let s = slice_of(vm, i1, i2)?;
    sequence::delitem(vm, &seq, &s)?;
    Ok(vm.none.clone())
}

/// `PyMapping_Keys/Values/Items(obj)`: a list, from the dict directly or
/// from the object's `keys()`/`values()`/`items()`.
fn mapping_view(vm: &Vm, fname: &str, meth: &str, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [o] = exact::<1>(vm, fname, args, kw)?;
    let view = util::call_method(vm, &o, meth, &[])?;
    let list = vm.types.list.clone();
    util::call(vm, &list, &[view])
}

/// `PyMapping_HasKey(o, key)`: 1 if `o[key]` succeeds, 0 on any error.
fn mapping_has_key(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [o, key] = parse_tuple::<2>(vm, 2, args, kw)?;
    let (Some(o), Some(key)) = (o, key) else { return Err(vm.type_error("missing arguments")) };
    Ok(vm.int(sequence::getitem(vm, &o, &key).is_ok() as i64))
}

/// `W_STOPCODE(sig)`: the wait status of a process stopped by `sig`.
fn w_stopcode(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [sig] = at_most::<1>(vm, "W_STOPCODE", 1, args, kw)?;
    let Some(sig) = sig else { return Err(vm.type_error("missing argument")) };
    let sig = util::to_isize(vm, &sig)?;
    Ok(vm.int(((sig as i64) << 8) | 0x7f))
}

// ---- the datetime C API (`PyDateTime_CAPI`), on `_datetime`'s types ------

/// `_datetime.name` (a type, or `timezone`).
fn dt_attr(vm: &Vm, name: &str) -> PyResult<Obj> {
    let m = taipan_vm::import::import_absolute(vm, "_datetime")?;
    util::getattr(vm, &m, name)
}

/// `PyDateTime_IMPORT` succeeded: the C API is reachable.
fn test_datetime_capi(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "test_datetime_capi", args, kw)?;
    dt_attr(vm, "datetime")?;
    Ok(vm.none.clone())
}

/// `PyDateTime_TimeZone_UTC` (through the macro or the C API table).
fn get_timezone_utc_capi(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    parse_tuple::<1>(vm, 0, args, kw)?;
    util::getattr(vm, &dt_attr(vm, "timezone")?, "utc")
}

/// `timezone(timedelta(hours=h), name)`, the name omitted when None.
fn timezone_of(vm: &Vm, hours: i64, name: Option<&str>) -> PyResult<Obj> {
    let delta = util::call_kw(vm, &dt_attr(vm, "timedelta")?, &[], &[(vm.intern("hours"), vm.int(hours))])?;
    let tz = dt_attr(vm, "timezone")?;
    match name {
        Some(n) => util::call(vm, &tz, &[delta, taipan_vm::types::builtin::new_str(vm, n)]),
        None => util::call(vm, &tz, &[delta]),
    }
}

/// `PyTimeZone_FromOffsetAndName(-5h, "EST")` twice (function and macro)
/// and `PyTimeZone_FromOffset(-5h)`.
fn make_timezones_capi(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "make_timezones_capi", args, kw)?;
    let named = timezone_of(vm, -5, Some("EST"))?;
    let named2 = timezone_of(vm, -5, Some("EST"))?;
    let unnamed = timezone_of(vm, -5, None)?;
    Ok(tuple(vm, &[named, named2, unnamed]))
}

/// Zero offsets: unnamed (the UTC singleton) twice, then named "".
fn get_timezones_offset_zero(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "get_timezones_offset_zero", args, kw)?;
    let a = timezone_of(vm, 0, None)?;
    let b = timezone_of(vm, 0, None)?;
    let c = timezone_of(vm, 0, Some(""))?;
    Ok(tuple(vm, &[a, b, c]))
}

const TIME_FIELDS: &[&str] = &["hour", "minute", "second", "microsecond", "tzinfo"];

/// The `PyDateTime_GET_*` accessor macros: the fields as a tuple.
fn fields(vm: &Vm, fname: &str, names: &[&str], args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [o] = exact::<1>(vm, fname, args, kw)?;
    let mut out = Vec::with_capacity(names.len());
    for n in names {
        out.push(util::getattr(vm, &o, n)?);
    }
    Ok(new_tuple(vm, out))
}

/// `PyDate_Check(obj)` / `PyDate_CheckExact(obj)` (and the others).
fn datetime_check(vm: &Vm, ty: &str, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [o, exact] = parse_tuple::<2>(vm, 1, args, kw)?;
    let Some(o) = o else { return Err(vm.type_error("missing argument")) };
    let exact = match exact {
        Some(e) => taipan_vm::ops::truth(vm, &e)?,
        None => false,
    };
    let t = dt_attr(vm, ty)?;
    let cls = taipan_vm::types::type_of(&o);
    Ok(vm.bool(if exact { cls.is(&t) } else { taipan_vm::types::is_subtype(&cls, &t) }))
}

/// The `PyDate_FromDate`-style constructors: `macro`, then `n` ints,
/// then `fold` when `with_fold`.
fn construct(vm: &Vm, ty: &str, n: usize, with_fold: bool, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "function", kw)?;
    let want = 1 + n + with_fold as usize;
    if args.len() != want {
        return Err(vm.type_error(format!("function takes exactly {want} arguments ({} given)", args.len())));
    }
    let mut ints = Vec::with_capacity(n);
    for a in &args[1..=n] {
        ints.push(vm.int(taipan_vm::ops::c_int(vm, a)? as i64));
    }
    let t = dt_attr(vm, ty)?;
    if with_fold {
        let fold = vm.int(taipan_vm::ops::c_int(vm, &args[n + 1])? as i64);
        return util::call_kw(vm, &t, &ints, &[(vm.intern("fold"), fold)]);
    }
    util::call(vm, &t, &ints)
}

/// `PyDate_FromTimestamp((ts,))`: `date.fromtimestamp(ts)`.
fn get_date_fromtimestamp(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [ts, _macro] = parse_tuple::<2>(vm, 1, args, kw)?;
    let Some(ts) = ts else { return Err(vm.type_error("missing argument")) };
    util::call_method(vm, &dt_attr(vm, "date")?, "fromtimestamp", &[ts])
}

/// `PyDateTime_FromTimestamp((ts[, tzinfo]))`: with `tzinfo` when `usetz`.
fn get_datetime_fromtimestamp(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [ts, tz, usetz, _macro] = parse_tuple::<4>(vm, 1, args, kw)?;
    let Some(ts) = ts else { return Err(vm.type_error("missing argument")) };
    let usetz = match usetz {
        Some(u) => taipan_vm::ops::truth(vm, &u)?,
        None => false,
    };
    let dt = dt_attr(vm, "datetime")?;
    if usetz {
        let tz = tz.unwrap_or_else(|| vm.none.clone());
        util::call_method(vm, &dt, "fromtimestamp", &[ts, tz])
    } else {
        util::call_method(vm, &dt, "fromtimestamp", &[ts])
    }
}

// ---- PyFloat_Pack / PyFloat_Unpack ------------------------------------

/// `float_pack(size, x, le)`: `x` as an IEEE 754 binary16/32/64 of
/// `size` bytes, little-endian when `le`.
fn float_pack(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [size, x, le] = parse_tuple::<3>(vm, 3, args, kw)?;
    let (Some(size), Some(x), Some(le)) = (size, x, le) else { return Err(vm.type_error("missing arguments")) };
    let size = taipan_vm::ops::c_int(vm, &size)?;
    let x = taipan_vm::types::builtin::number_to_f64(vm, &x)?;
    let le = taipan_vm::ops::c_int(vm, &le)? != 0;
    let mut bytes = match size {
        2 => match crate::pystruct::half_from_f64(x) {
            Some(h) => h.to_be_bytes().to_vec(),
            None => return Err(vm.new_error(&vm.types.overflow_error, "float too large to pack with e format")),
        },
        4 => {
            let f = x as f32;
            if f.is_infinite() && x.is_finite() {
                return Err(vm.new_error(&vm.types.overflow_error, "float too large to pack with f format"));
            }
            f.to_be_bytes().to_vec()
        }
        8 => x.to_be_bytes().to_vec(),
        _ => return Err(vm.new_error(&vm.types.value_error, "size must 2, 4 or 8")),
    };
    if le {
        bytes.reverse();
    }
    Ok(taipan_vm::types::builtin::new_bytes(vm, bytes))
}

/// `float_unpack(data, le)`: the float that 2, 4 or 8 bytes encode.
fn float_unpack(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [data, le] = parse_tuple::<2>(vm, 2, args, kw)?;
    let (Some(data), Some(le)) = (data, le) else { return Err(vm.type_error("missing arguments")) };
    let Some(b) = taipan_vm::types::builtin::bytes_data(&data) else {
        return Err(vm.type_error(format!("a bytes-like object is required, not '{}'", taipan_vm::types::builtin::type_name(&data))));
    };
    let mut b = b.to_vec();
    if taipan_vm::ops::c_int(vm, &le)? != 0 {
        b.reverse();
    }
    let x = match b.len() {
        2 => crate::pystruct::half_to_f64(u16::from_be_bytes([b[0], b[1]])),
        4 => f32::from_be_bytes([b[0], b[1], b[2], b[3]]) as f64,
        8 => f64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
        _ => return Err(vm.new_error(&vm.types.value_error, "data length must 2, 4 or 8 bytes")),
    };
    Ok(float(vm, x))
}
