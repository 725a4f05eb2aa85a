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
    Slots { repr: Some(|vm, _| Ok(new_str(vm, "None"))), bool: Some(|_, _| Ok(false)), ..object_slots() }
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
        None => Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer{what}", type_name(o)))),
    }
}

/// `Ellipsis` (`...`), the only instance of `ellipsis`.
pub fn ellipsis_slots() -> Slots {
    Slots {
        repr: Some(|vm, _| Ok(new_str(vm, "Ellipsis"))),
        new: Some(|vm, _cls, args, kw| {
            if !args.is_empty() || !kw.is_empty() {
                return Err(vm.type_error("ellipsis takes no arguments"));
            }
            Ok(vm.ellipsis.clone())
        }),
        ..object_slots()
    }
}

// ------------------------------------------------------------ pickling

/// `getattr(copyreg, name)`.
fn copyreg_attr(vm: &Vm, name: &str) -> PyResult<Obj> {
    let copyreg = crate::import::import_absolute(vm, "copyreg")?;
    crate::classes::getattr(vm, &copyreg, &vm.intern(name))
}

/// `object.__reduce_ex__(protocol)`: the class's own `__reduce__` if it
/// overrides object's, else `copyreg.__reduce_ex__`'s protocol 0/1 form
/// or the protocol 2 `__newobj__` form.
fn object_reduce_ex(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [protocol] = exact::<1>(vm, "__reduce_ex__", args, kw)?;
    let protocol = crate::types::builtin::expect_int(vm, &protocol, "")?;
    let own = type_data(&vm.types.object).dict.borrow().get("__reduce__").cloned();
    if let (Some(found), Some(own)) = (lookup(&type_of(this), "__reduce__"), own) {
        if !found.is(&own) {
            let f = crate::classes::getattr(vm, this, &vm.intern("__reduce__"))?;
            return crate::classes::call_object(vm, &f, &[]);
        }
    }
    common_reduce(vm, this, protocol)
}

fn object_reduce(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__reduce__", args, kw)?;
    common_reduce(vm, this, 0)
}

fn common_reduce(vm: &Vm, this: &Obj, protocol: i64) -> PyResult<Obj> {
    if protocol >= 2 {
        return reduce_newobj(vm, this);
    }
    let f = copyreg_attr(vm, "_reduce_ex")?;
    crate::classes::call_object(vm, &f, &[this.clone(), vm.int(protocol)])
}

/// `__getnewargs_ex__()` or `__getnewargs__()`, checked as CPython does.
fn newargs(vm: &Vm, this: &Obj) -> PyResult<Option<(Obj, Option<Obj>)>> {
    use crate::types::builtin::{DictData, TupleData};
    if let Some(f) = crate::classes::getattr_opt(vm, this, &vm.intern("__getnewargs_ex__"))? {
        let r = crate::classes::call_object(vm, &f, &[])?;
        let Some(t) = r.downcast::<TupleData>() else {
            return Err(vm.type_error(format!("__getnewargs_ex__ should return a tuple, not '{}'", type_name(&r))));
        };
        let [args, kwargs] = &t.items[..] else {
            return Err(
                vm.new_error(&vm.types.value_error, format!("__getnewargs_ex__ should return a tuple of length 2, not {}", t.items.len()))
            );
        };
        if args.downcast::<TupleData>().is_none() {
            return Err(
                vm.type_error(format!("first item of the tuple returned by __getnewargs_ex__ must be a tuple, not '{}'", type_name(args)))
            );
        }
        if kwargs.downcast::<DictData>().is_none() {
            return Err(vm.type_error(format!(
                "second item of the tuple returned by __getnewargs_ex__ must be a dict, not '{}'",
                type_name(kwargs)
            )));
        }
        return Ok(Some((args.clone(), Some(kwargs.clone()))));
    }
    if let Some(f) = crate::classes::getattr_opt(vm, this, &vm.intern("__getnewargs__"))? {
        let r = crate::classes::call_object(vm, &f, &[])?;
        if r.downcast::<TupleData>().is_none() {
            return Err(vm.type_error(format!("__getnewargs__ should return a tuple, not '{}'", type_name(&r))));
        }
        return Ok(Some((r, None)));
    }
    Ok(None)
}

/// Protocol 2+: `(copyreg.__newobj__, (cls, *args), state, listitems,
/// dictitems)` or `__newobj_ex__` with keyword arguments.
fn reduce_newobj(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    use crate::types::builtin::{new_tuple, DictData, ListData};
    let cls = type_of(this);
    if type_data(&cls).slots.get().new.is_none() {
        return Err(vm.type_error(format!("cannot pickle '{}' object", type_name(this))));
    }
    let args = newargs(vm, this)?;
    let is_list = this.downcast::<ListData>().is_some();
    let is_dict = this.downcast::<DictData>().is_some();
    let required = args.is_none() && !is_list && !is_dict;
    let state = get_state(vm, this, required)?;
    let listitems = if is_list { crate::ops::iter(vm, this)? } else { vm.none.clone() };
    let dictitems = if is_dict {
        let items = crate::classes::call_object(vm, &crate::classes::getattr(vm, this, &vm.intern("items"))?, &[])?;
        crate::ops::iter(vm, &items)?
    } else {
        vm.none.clone()
    };
    let (posargs, kwargs) = args.unwrap_or_else(|| (new_tuple(vm, Vec::new()), None));
    let kwargs = kwargs.filter(|k| crate::types::builtin::dict_len(k) > 0);
    let (func, fargs) = match kwargs {
        Some(kw) => (copyreg_attr(vm, "__newobj_ex__")?, new_tuple(vm, vec![cls, posargs, kw])),
        None => {
            let mut v = vec![cls];
            v.extend(crate::sequence::to_vec(vm, &posargs)?);
            (copyreg_attr(vm, "__newobj__")?, new_tuple(vm, v))
        }
    };
    Ok(new_tuple(vm, vec![func, fargs, state, listitems, dictitems]))
}

/// `obj.__getstate__()` (through the method, so overrides count).
fn get_state(vm: &Vm, this: &Obj, required: bool) -> PyResult<Obj> {
    let f = crate::classes::getattr(vm, this, &vm.intern("__getstate__"))?;
    let own = type_data(&vm.types.object).dict.borrow().get("__getstate__").cloned();
    let is_default = own.as_ref().is_some_and(|o| lookup(&type_of(this), "__getstate__").is_some_and(|g| g.is(o)));
    if is_default {
        return default_state(vm, this, required);
    }
    crate::classes::call_object(vm, &f, &[])
}

/// `object.__getstate__()`: the instance `__dict__` (None when empty) and,
/// with `__slots__`, a dict of the slots that are set.
fn default_state(vm: &Vm, this: &Obj, required: bool) -> PyResult<Obj> {
    use crate::types::builtin::{dict_len, new_dict, new_tuple};
    let ty = type_of(this);
    if required && !type_data(&ty).instances.same_base(&type_data(&vm.types.object).instances) {
        return Err(vm.type_error(format!("cannot pickle '{}' object", type_name(this))));
    }
    let mut state = match crate::classes::instance_dict(vm, this) {
        Some(d) if dict_len(&d) > 0 => d,
        _ => vm.none.clone(),
    };
    let names = crate::classes::call_object(vm, &copyreg_attr(vm, "_slotnames")?, &[ty])?;
    let names = crate::sequence::to_vec(vm, &names)?;
    if !names.is_empty() {
        let slots = new_dict(vm);
        for n in names {
            if let Some(v) = crate::classes::getattr_opt(vm, this, &n)? {
                crate::types::builtin::dict_set(vm, &slots, n, v)?;
            }
        }
        if dict_len(&slots) > 0 {
            state = new_tuple(vm, vec![state, slots]);
        }
    }
    Ok(state)
}

fn object_getstate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__getstate__", args, kw)?;
    default_state(vm, this, false)
}

pub static OBJECT_PICKLE_METHODS: &[MethodDef] = &[
    MethodDef::method("__reduce_ex__", object_reduce_ex, "Helper for pickle."),
    MethodDef::method("__reduce__", object_reduce, "Helper for pickle."),
    MethodDef::method("__getstate__", object_getstate, "Helper for pickle."),
];
