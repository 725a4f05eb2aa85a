//! `object`, `NoneType`, `NotImplementedType`, and helpers every type uses.

use crate::native::{exact, GetSetDef, MethodDef};
use crate::object::{alloc, Obj};
use crate::types::builtin::*;
use crate::types::{lookup, type_data, type_data_of, type_of, Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::CompareOp;

pub fn object_slots() -> Slots {
    Slots { repr: Some(object_repr), hash: Some(|_, o| Ok(o.as_ptr() as i64 >> 4)), ..Slots::default() }
}

fn object_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let ty = type_of(o);
    let q = crate::types::qualname(vm, &ty);
    let q = str_data(&q).as_str().into_owned();
    let module = type_data(&ty).dict.borrow().get("__module__").cloned();
    let name = match module {
        Some(m) if m.downcast::<StrData>().is_some() && str_data(&m).as_str() != "builtins" => format!("{}.{q}", str_data(&m).as_str()),
        // Native types of modules: their dotted `tp_name`.
        None if !type_data(&ty).instances.owns_type && type_data(&ty).name.contains('.') => type_data(&ty).name.to_string(),
        _ => q,
    };
    Ok(new_str(vm, &format!("<{name} object at {:#x}>", o.as_ptr() as usize)))
}

/// The slots of `object` itself (not inherited by the built-in types'
/// slot tables, which spread `object_slots()`): instance creation and
/// initialisation with CPython's excess-argument rules, and
/// `object.__eq__`/`__ne__`.
pub fn object_type_slots() -> Slots {
    Slots {
        new: Some(object_new),
        init: Some(object_init),
        compare: Some(object_richcompare),
        str: Some(crate::ops::repr),
        ..object_slots()
    }
}

/// Whether `cls` overrides `name` (`__new__`/`__init__`) somewhere before
/// `object` in its MRO.
fn overrides(vm: &Vm, cls: &Obj, name: &str) -> bool {
    match (lookup(cls, name), type_data(&vm.types.object).dict.borrow().get(name)) {
        (Some(a), Some(b)) => !a.is(b),
        _ => false,
    }
}

/// `object.__new__(cls, ...)`.
pub fn object_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if !args.is_empty() || !kw.is_empty() {
        if overrides(vm, cls, "__new__") {
            return Err(vm.type_error("object.__new__() takes exactly one argument (the type to instantiate)"));
        }
        if !overrides(vm, cls, "__init__") {
            return Err(vm.type_error(format!("{}() takes no arguments", type_data(cls).name)));
        }
    }
    let t = type_data(cls);
    if !t.instances.same_base(&type_data(&vm.types.object).instances) {
        return Err(vm.type_error(format!("cannot create '{}' instances", t.name)));
    }
    if t.is_abstract.get() {
        return Err(crate::classes::abstract_error(vm, cls));
    }
    Ok(alloc(cls.clone(), ()))
}

/// `object.__init__(self, ...)`.
pub fn object_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if !args.is_empty() || !kw.is_empty() {
        let ty = type_of(this);
        if overrides(vm, &ty, "__init__") {
            return Err(vm.type_error("object.__init__() takes exactly one argument (the instance to initialize)"));
        }
        if !overrides(vm, &ty, "__new__") {
            let q = crate::types::qualname(vm, &ty);
            let msg = format!("{}.__init__() takes exactly one argument (the instance to initialize)", str_data(&q).as_str());
            return Err(vm.type_error(msg));
        }
    }
    Ok(vm.none.clone())
}

/// `object.__eq__` (identity) and `object.__ne__` (the inverse of the
/// type's `__eq__`).
fn object_richcompare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    match op {
        CompareOp::Eq => Ok(if a.is(b) { vm.true_.clone() } else { vm.not_implemented.clone() }),
        CompareOp::Ne => {
            let Some(cmp) = type_data_of(a).slots.get().compare else { return Ok(vm.not_implemented.clone()) };
            let r = cmp(vm, CompareOp::Eq, a, b)?;
            if r.is(&vm.not_implemented) {
                return Ok(r);
            }
            Ok(vm.bool(!crate::ops::truth(vm, &r)?))
        }
        _ => Ok(vm.not_implemented.clone()),
    }
}

pub static OBJECT_METHODS: &[MethodDef] = &[
    MethodDef::method("__format__", object_format, "Default object formatter."),
    MethodDef::class("__init_subclass__", object_init_subclass, "This method is called when a class is subclassed."),
    MethodDef::class(
        "__subclasshook__",
        |vm, _, _, _| Ok(vm.not_implemented.clone()),
        "Abstract classes can override this to customize issubclass().",
    ),
    MethodDef::method(
        "__dir__",
        |vm, this, a, kw| {
            exact::<0>(vm, "__dir__", a, kw)?;
            crate::classes::object_dir(vm, this)
        },
        "Default dir() implementation.",
    ),
    MethodDef::method(
        "__sizeof__",
        |vm, this, a, kw| {
            exact::<0>(vm, "__sizeof__", a, kw)?;
            // CPython's basic sizes: the header, the weak-reference slot of
            // classes with a `__dict__` (kept before the header), member slots.
            let extra = if type_data_of(this).instance_dict.get() { 8 } else { 0 };
            Ok(vm.int(16 + extra + 8 * type_data_of(this).member_slots.get() as i64))
        },
        "Size of object in memory, in bytes.",
    ),
];

pub static OBJECT_GETSETS: &[GetSetDef] =
    &[GetSetDef::new("__class__", |_, o| Ok(type_of(o)), crate::classes::set_class, "the object's class")];

fn object_format(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [spec] = exact::<1>(vm, "__format__", args, kw)?;
    let Some(s) = spec.downcast::<StrData>() else {
        return Err(vm.type_error(format!("__format__() argument must be str, not {}", type_name(&spec))));
    };
    if !s.value.is_empty() {
        return Err(vm.type_error(format!("unsupported format string passed to {}.__format__", type_name(this))));
    }
    crate::ops::str(vm, this)
}

/// `object.__init_subclass__()`: takes no keyword arguments.
fn object_init_subclass(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if !kw.is_empty() || !args.is_empty() {
        let q = crate::types::qualname(vm, cls);
        let what = if kw.is_empty() { "arguments" } else { "keyword arguments" };
        return Err(vm.type_error(format!("{}.__init_subclass__() takes no {what}", str_data(&q).as_str())));
    }
    Ok(vm.none.clone())
}

pub fn none_slots() -> Slots {
    Slots {
        repr: Some(|vm, _| Ok(new_str(vm, "None"))),
        bool: Some(|_, _| Ok(false)),
        // `type(None)()` is None (CPython's `none_new`).
        new: Some(|vm, _cls, args, kw| {
            if !args.is_empty() || !kw.is_empty() {
                return Err(vm.type_error("NoneType takes no arguments"));
            }
            Ok(vm.none.clone())
        }),
        ..object_slots()
    }
}

pub fn not_implemented_slots() -> Slots {
    Slots {
        repr: Some(|vm, _| Ok(new_str(vm, "NotImplemented"))),
        new: Some(|vm, _cls, args, kw| {
            if !args.is_empty() || !kw.is_empty() {
                return Err(vm.type_error("NotImplementedType takes no arguments"));
            }
            Ok(vm.not_implemented.clone())
        }),
        // True, with a DeprecationWarning (bpo-35712).
        bool: Some(|vm, _| {
            crate::warnings::warn_builtin(vm, "DeprecationWarning", "NotImplemented should not be used in a boolean context", 1)?;
            Ok(true)
        }),
        ..object_slots()
    }
}

/// `repr(o)` as Rust text.
pub fn repr_string(vm: &Vm, o: &Obj) -> PyResult<String> {
    let r = crate::ops::repr(vm, o)?;
    Ok(str_data(&r).as_str().into_owned())
}

/// The name of `o`'s type.
pub fn type_name(o: &Obj) -> &str {
    &type_data_of(o).name
}

/// The name of a type object.
pub fn name_of_type(ty: &Obj) -> &str {
    &type_data(ty).name
}

/// Raises `TypeError` unless `o` is an exact or derived instance; helper
/// for argument checks.
pub fn expect_int(vm: &Vm, o: &Obj, what: &str) -> PyResult<i64> {
    match o.downcast::<IntData>() {
        Some(IntData::Small(v)) => Ok(*v),
        Some(IntData::Big(_)) => Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C ssize_t")),
        // `PyNumber_AsSsize_t`: objects with `__index__` count as their int.
        None if crate::types::lookup(&crate::types::type_of(o), "__index__").is_some() => expect_int(vm, &crate::ops::index(vm, o)?, what),
        None => Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer{what}", type_name(o)))),
    }
}

/// `Ellipsis` (`...`), the only instance of `ellipsis`.
pub fn ellipsis_slots() -> Slots {
    Slots {
        repr: Some(|vm, _| Ok(new_str(vm, "Ellipsis"))),
        new: Some(|vm, _cls, args, kw| {
            if !args.is_empty() || !kw.is_empty() {
                return Err(vm.type_error("EllipsisType takes no arguments"));
            }
            Ok(vm.ellipsis.clone())
        }),
        ..object_slots()
    }
}

/// `Ellipsis.__reduce__()`: the name, so `pickle` saves it as a global.
pub static ELLIPSIS_METHODS: &[MethodDef] = &[MethodDef::method(
    "__reduce__",
    |vm, _this, args, kw| {
        exact::<0>(vm, "__reduce__", args, kw)?;
        Ok(new_str(vm, "Ellipsis"))
    },
    "",
)];

/// `NotImplemented.__reduce__()`: the name, so `pickle` saves it as a global.
pub static NOT_IMPLEMENTED_METHODS: &[MethodDef] = &[MethodDef::method(
    "__reduce__",
    |vm, _this, args, kw| {
        exact::<0>(vm, "__reduce__", args, kw)?;
        Ok(new_str(vm, "NotImplemented"))
    },
    "",
)];
