//! The default pickling protocol of `object` (CPython's `typeobject.c`):
//! `object.__reduce_ex__(protocol)`, `object.__reduce__()` and
//! `object.__getstate__()`, on top of the pure-Python `copyreg` module.
//! Protocols 0 and 1 defer to `copyreg._reduce_ex`; protocol 2 and up
//! build `(copyreg.__newobj__, (cls, *args), state, listitems, dictitems)`
//! from `__getnewargs_ex__`/`__getnewargs__` and `__getstate__`. This is
//! what `copy.copy`, `copy.deepcopy` and `pickle` use for plain objects.

use crate::classes::{getattr, getattr_opt};
use crate::native::{exact, MethodDef};
use crate::object::Obj;
use crate::ops::call;
use crate::types::builtin::*;
use crate::types::{is_subtype, lookup, type_data, type_data_of, type_of, Kwargs};
use crate::vm::Vm;
use crate::PyResult;

pub static REDUCE_METHODS: &[MethodDef] = &[
    MethodDef::method("__reduce_ex__", object_reduce_ex, "Helper for pickle."),
    MethodDef::method("__reduce__", object_reduce, "Helper for pickle."),
    MethodDef::method("__getstate__", object_getstate_method, "Helper for pickle."),
];

fn copyreg_attr(vm: &Vm, name: &str) -> PyResult<Obj> {
    let m = crate::import::import_absolute(vm, "copyreg")?;
    getattr(vm, &m, &vm.intern(name))
}

/// Whether `type(obj).name` is `object`'s own entry.
fn is_objects(vm: &Vm, obj: &Obj, name: &str) -> bool {
    let own = type_data(&vm.types.object).dict.borrow().get(name).cloned();
    match (lookup(&type_of(obj), name), own) {
        (Some(a), Some(b)) => a.is(&b),
        _ => false,
    }
}

/// `object.__reduce_ex__(protocol)`: a `__reduce__` overridden by the
/// class wins; otherwise the protocol's default reduction.
fn object_reduce_ex(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [protocol] = exact::<1>(vm, "object.__reduce_ex__", args, kw)?;
    let protocol = expect_int(vm, &protocol, "")?;
    if !is_objects(vm, this, "__reduce__") {
        if let Some(reduce) = getattr_opt(vm, this, &vm.intern("__reduce__"))? {
            return call(vm, &reduce, &[]);
        }
    }
    common_reduce(vm, this, protocol)
}

/// `object.__reduce__()`: the protocol-0 reduction.
fn object_reduce(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "object.__reduce__", args, kw)?;
    common_reduce(vm, this, 0)
}

fn object_getstate_method(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "object.__getstate__", args, kw)?;
    getstate_default(vm, this, false)
}

fn common_reduce(vm: &Vm, obj: &Obj, protocol: i64) -> PyResult<Obj> {
    if protocol >= 2 {
        reduce_newobj(vm, obj)
    } else {
        let f = copyreg_attr(vm, "_reduce_ex")?;
        call(vm, &f, &[obj.clone(), vm.int(protocol)])
    }
}

/// `obj.name` when the type of `obj` defines `name` (CPython's
/// `_PyObject_LookupSpecial`: an instance `__getattr__` is not asked).
fn lookup_special(vm: &Vm, obj: &Obj, name: &str) -> PyResult<Option<Obj>> {
    if crate::types::lookup(&crate::types::type_of(obj), name).is_none() {
        return Ok(None);
    }
    getattr(vm, obj, &vm.intern(name)).map(Some)
}

/// The positional and keyword arguments `__new__` must get to recreate
/// `obj` (`__getnewargs_ex__`, else `__getnewargs__`), or `None`.
fn getnewargs(vm: &Vm, obj: &Obj) -> PyResult<Option<(Obj, Option<Obj>)>> {
    if let Some(f) = lookup_special(vm, obj, "__getnewargs_ex__")? {
        let r = call(vm, &f, &[])?;
        let Some(t) = r.downcast::<TupleData>() else {
            return Err(vm.type_error(format!("__getnewargs_ex__ should return a tuple, not '{}'", type_name(&r))));
        };
        if t.items.len() != 2 {
            let msg = format!("__getnewargs_ex__ should return a tuple of length 2, not {}", t.items.len());
            return Err(vm.new_error(&vm.types.value_error, msg));
        }
        let (args, kwargs) = (t.items[0].clone(), t.items[1].clone());
        if args.downcast::<TupleData>().is_none() {
            return Err(
                vm.type_error(format!("first item of the tuple returned by __getnewargs_ex__ must be a tuple, not '{}'", type_name(&args)))
            );
        }
        if kwargs.downcast::<DictData>().is_none() {
            return Err(vm.type_error(format!(
                "second item of the tuple returned by __getnewargs_ex__ must be a dict, not '{}'",
                type_name(&kwargs)
            )));
        }
        return Ok(Some((args, Some(kwargs))));
    }
    if let Some(f) = lookup_special(vm, obj, "__getnewargs__")? {
        let r = call(vm, &f, &[])?;
        if r.downcast::<TupleData>().is_none() {
            return Err(vm.type_error(format!("__getnewargs__ should return a tuple, not '{}'", type_name(&r))));
        }
        return Ok(Some((r, None)));
    }
    Ok(None)
}

/// The protocol-2 reduction (`reduce_newobj`).
fn reduce_newobj(vm: &Vm, obj: &Obj) -> PyResult<Obj> {
    let cls = type_of(obj);
    if type_data(&cls).slots.get().new.is_none() && lookup(&cls, "__new__").is_none() {
        return Err(vm.type_error(format!("cannot pickle '{}' object", type_data(&cls).name)));
    }
    let newargs = getnewargs(vm, obj)?;
    let hasargs = newargs.is_some();
    let (args, kwargs) = newargs.unwrap_or_else(|| (new_tuple(vm, Vec::new()), None));
    let args_items = args.downcast::<TupleData>().map(|t| t.items.to_vec()).unwrap_or_default();
    let (newobj, newargs) = match kwargs {
        Some(kw) if dict_len(&kw) > 0 => (copyreg_attr(vm, "__newobj_ex__")?, new_tuple(vm, vec![cls.clone(), args, kw])),
        _ => {
            let mut items = Vec::with_capacity(args_items.len() + 1);
            items.push(cls.clone());
            items.extend(args_items);
            (copyreg_attr(vm, "__newobj__")?, new_tuple(vm, items))
        }
    };
    let is_list = is_subtype(&cls, &vm.types.list);
    let is_dict = is_subtype(&cls, &vm.types.dict);
    let state = getstate(vm, obj, !(hasargs || is_list || is_dict))?;
    let listitems = if is_list { crate::ops::iter(vm, obj)? } else { vm.none.clone() };
    let dictitems = if is_dict {
        let items = getattr(vm, obj, &vm.intern("items"))?;
        let items = call(vm, &items, &[])?;
        crate::ops::iter(vm, &items)?
    } else {
        vm.none.clone()
    };
    Ok(new_tuple(vm, vec![newobj, newargs, state, listitems, dictitems]))
}

/// `obj.__getstate__()`, passing `required` on to the default.
fn getstate(vm: &Vm, obj: &Obj, required: bool) -> PyResult<Obj> {
    let overridden_in_instance = crate::classes::own_attr(vm, obj, &vm.intern("__getstate__"))?.is_some();
    if is_objects(vm, obj, "__getstate__") && !overridden_in_instance {
        return getstate_default(vm, obj, required);
    }
    let f = getattr(vm, obj, &vm.intern("__getstate__"))?;
    call(vm, &f, &[])
}

/// `object.__getstate__()`: the instance `__dict__` (or `None`), paired
/// with a dict of the `__slots__` values when there are any. `required`:
/// the state must capture the whole object (no `__new__` arguments),
/// so instances of native types with their own payload cannot be pickled.
pub fn getstate_default(vm: &Vm, obj: &Obj, required: bool) -> PyResult<Obj> {
    let td = type_data_of(obj);
    if required && !td.instances.same_base(&type_data(&vm.types.object).instances) {
        return Err(vm.type_error(format!("cannot pickle '{}' object", td.name)));
    }
    // The instance's `__dict__` itself (an instance with attributes
    // switches to dict mode), as CPython's `object.__getstate__` gives it.
    let dict = if crate::classes::own_attr_names(obj).is_empty() { None } else { crate::classes::instance_dict(vm, obj) };
    let dict = dict.filter(|d| dict_len(d) > 0);
    let mut state = dict.unwrap_or_else(|| vm.none.clone());
    let slotnames = slotnames(vm, &type_of(obj))?;
    if let Some(names) = slotnames {
        let names: Vec<Obj> = list_items(vm, &names)?.borrow().clone();
        if !names.is_empty() {
            let slots = new_dict(vm);
            for name in names {
                match getattr(vm, obj, &name) {
                    Ok(v) => dict_set(vm, &slots, name, v)?,
                    Err(e) if is_subtype(&type_of(&e.exc), &vm.types.attribute_error) => {}
                    Err(e) => return Err(e),
                }
            }
            if dict_len(&slots) > 0 {
                state = new_tuple(vm, vec![state, slots]);
            }
        }
    }
    Ok(state)
}

/// `cls.__slotnames__` (a list or None), computed and cached by
/// `copyreg._slotnames` on first use.
fn slotnames(vm: &Vm, cls: &Obj) -> PyResult<Option<Obj>> {
    let cached = type_data(cls).dict.borrow().get("__slotnames__").cloned();
    let names = match cached {
        Some(n) => {
            if !n.is(&vm.none) && n.downcast::<ListData>().is_none() {
                return Err(vm.type_error(format!(
                    "{}.__slotnames__ should be a list or None, not {}",
                    type_data(cls).name,
                    type_name(&n)
                )));
            }
            n
        }
        None => {
            let f = copyreg_attr(vm, "_slotnames")?;
            let n = call(vm, &f, std::slice::from_ref(cls))?;
            if !n.is(&vm.none) && n.downcast::<ListData>().is_none() {
                return Err(vm.type_error("copyreg._slotnames didn't return a list or None"));
            }
            n
        }
    };
    Ok(if names.is(&vm.none) { None } else { Some(names) })
}
