//! `types.GenericAlias` (PEP 585): what `list[int]` makes, and the
//! `__class_getitem__` that built-in generic classes share
//! (CPython's `Objects/genericaliasobject.c`). `_collections_abc`
//! subclasses it (`_CallableGenericAlias`), so it has a `new` slot.

use std::cell::RefCell;

use crate::classes::{self, generic_getattr};
use crate::native::{exact, GetSetDef, MethodDef};
use crate::object::{alloc, Obj};
use crate::ops;
use crate::types::builtin::*;
use crate::types::{type_data_of, type_of, Kwargs, Slots, TypeData};
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::CompareOp;

pub struct GenericAliasData {
    pub origin: Obj,
    /// Always a tuple.
    pub args: Obj,
    parameters: RefCell<Option<Obj>>,
}

/// `types.GenericAlias`, created on first use.
pub fn generic_alias_type(vm: &Vm) -> Obj {
    vm.native_type("types.GenericAlias", |vm| {
        let slots = Slots {
            new: Some(|vm, cls, args, kw| {
                crate::native::no_kwargs(vm, "GenericAlias", kw)?;
                if args.len() != 2 {
                    return Err(vm.type_error(format!("GenericAlias expected 2 arguments, got {}", args.len())));
                }
                Ok(new_generic_alias_of(vm, cls, &args[0], &args[1]))
            }),
            repr: Some(ga_repr),
            hash: Some(|vm, o| {
                let g = data(vm, o)?;
                Ok(ops::hash(vm, &g.origin)? ^ ops::hash(vm, &g.args)?)
            }),
            compare: Some(|vm, op, a, b| {
                let (Some(x), Some(y)) = (a.downcast::<GenericAliasData>(), b.downcast::<GenericAliasData>()) else {
                    return Ok(vm.not_implemented.clone());
                };
                if !matches!(op, CompareOp::Eq | CompareOp::Ne) {
                    return Ok(vm.not_implemented.clone());
                }
                let same = ops::eq(vm, &x.origin, &y.origin)? && ops::eq(vm, &x.args, &y.args)?;
                Ok(vm.bool(same == (op == CompareOp::Eq)))
            }),
            call: Some(|vm, o, args, kw| {
                let g = data(vm, o)?;
                let r = classes::call_object_kw(vm, &g.origin, args, kw)?;
                if let Err(e) = classes::setattr(vm, &r, &vm.intern("__orig_class__"), o.clone()) {
                    let t = type_of(&e.exc);
                    if !crate::types::is_subtype(&t, &vm.types.attribute_error) && !crate::types::is_subtype(&t, &vm.types.type_error) {
                        return Err(e);
                    }
                }
                Ok(r)
            }),
            getattro: Some(|vm, o, name| {
                const EXCEPTIONS: &[&str] = &[
                    "__class__",
                    "__origin__",
                    "__args__",
                    "__unpacked__",
                    "__parameters__",
                    "__typing_unpacked_tuple_args__",
                    "__mro_entries__",
                    "__reduce_ex__",
                    "__reduce__",
                    "__copy__",
                    "__deepcopy__",
                ];
                if let Some(s) = name.downcast::<StrData>() {
                    if !EXCEPTIONS.contains(&&*s.as_str()) {
                        return classes::getattr(vm, &data(vm, o)?.origin, name);
                    }
                }
                generic_getattr(vm, o, name)
            }),
            traverse: Some(|o, visit| {
                if let Some(g) = o.downcast::<GenericAliasData>() {
                    visit(&g.origin);
                    visit(&g.args);
                    if let Ok(p) = g.parameters.try_borrow() {
                        if let Some(p) = &*p {
                            visit(p);
                        }
                    }
                }
            }),
            ..object_slots()
        };
        crate::native::new_type::<GenericAliasData>(vm, "types.GenericAlias", &[], true, slots, GA_METHODS, GA_GETSETS)
    })
}

fn data<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a GenericAliasData> {
    o.downcast::<GenericAliasData>().ok_or_else(|| vm.type_error("expected a GenericAlias"))
}

fn new_generic_alias_of(vm: &Vm, cls: &Obj, origin: &Obj, args: &Obj) -> Obj {
    let args = if args.downcast::<TupleData>().is_some() { args.clone() } else { new_tuple(vm, vec![args.clone()]) };
    alloc(cls.clone(), GenericAliasData { origin: origin.clone(), args, parameters: RefCell::new(None) })
}

/// `GenericAlias(origin, args)`.
pub fn new_generic_alias(vm: &Vm, origin: &Obj, args: &Obj) -> Obj {
    new_generic_alias_of(vm, &generic_alias_type(vm), origin, args)
}

/// `cls.__class_getitem__(item)` of the built-in generic classes.
pub fn class_getitem(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [item] = exact::<1>(vm, "__class_getitem__", args, kw)?;
    Ok(new_generic_alias(vm, cls, &item))
}

/// The `__class_getitem__` entry of a built-in generic class's method
/// table.
pub static CLASS_GETITEM: &[MethodDef] = &[MethodDef::class("__class_getitem__", class_getitem, "See PEP 585")];

fn has_attr(vm: &Vm, o: &Obj, name: &str) -> PyResult<Option<Obj>> {
    classes::getattr_opt(vm, o, &vm.intern(name))
}

/// `ga_repr_item`: `...`, nested aliases by repr, classes by qualified name.
fn repr_item(vm: &Vm, p: &Obj, out: &mut String) -> PyResult<()> {
    if p.is(&vm.ellipsis) {
        out.push_str("...");
        return Ok(());
    }
    if let Some(l) = p.downcast::<ListData>() {
        let items = l.items.borrow().clone();
        out.push('[');
        for (i, x) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            repr_item(vm, x, out)?;
        }
        out.push(']');
        return Ok(());
    }
    if has_attr(vm, p, "__origin__")?.is_some() && has_attr(vm, p, "__args__")?.is_some() {
        out.push_str(&repr_string(vm, p)?);
        return Ok(());
    }
    let qualname = has_attr(vm, p, "__qualname__")?;
    let module = has_attr(vm, p, "__module__")?;
    match (qualname, module) {
        (Some(q), Some(m)) if !m.is(&vm.none) => {
            let q = crate::ops::str(vm, &q)?;
            if let Some(ms) = m.downcast::<StrData>() {
                if &*ms.as_str() == "builtins" {
                    out.push_str(&str_data(&q).as_str());
                    return Ok(());
                }
            }
            let m = crate::ops::str(vm, &m)?;
            out.push_str(&format!("{}.{}", str_data(&m).as_str(), str_data(&q).as_str()));
        }
        _ => out.push_str(&repr_string(vm, p)?),
    }
    Ok(())
}

fn ga_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let g = data(vm, o)?;
    let mut out = String::new();
    repr_item(vm, &g.origin, &mut out)?;
    out.push('[');
    let args = g.args.downcast::<TupleData>().map(|t| t.items.to_vec()).unwrap_or_default();
    if args.is_empty() {
        out.push_str("()");
    }
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        repr_item(vm, a, &mut out)?;
    }
    out.push(']');
    Ok(new_str(vm, &out))
}

/// The type variables among `args` (`_Py_make_parameters`), unique, in
/// order.
fn make_parameters(vm: &Vm, args: &[Obj]) -> PyResult<Vec<Obj>> {
    let mut params: Vec<Obj> = Vec::new();
    for a in args {
        if a.downcast::<TypeData>().is_some() {
            continue;
        }
        if has_attr(vm, a, "__typing_subst__")?.is_some() {
            if !params.iter().any(|p| p.is(a)) {
                params.push(a.clone());
            }
            continue;
        }
        if let Some(sub) = has_attr(vm, a, "__parameters__")? {
            if let Some(t) = sub.downcast::<TupleData>() {
                for p in t.items.iter() {
                    if !params.iter().any(|q| q.is(p)) {
                        params.push(p.clone());
                    }
                }
            }
        }
    }
    Ok(params)
}

fn parameters(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let g = data(vm, o)?;
    if let Some(p) = g.parameters.borrow().clone() {
        return Ok(p);
    }
    let args = g.args.downcast::<TupleData>().map(|t| t.items.to_vec()).unwrap_or_default();
    let p = new_tuple(vm, make_parameters(vm, &args)?);
    *g.parameters.borrow_mut() = Some(p.clone());
    Ok(p)
}

/// `alias[items]`: substitutes the alias's type variables.
fn ga_getitem(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key] = exact::<1>(vm, "__getitem__", args, kw)?;
    let g = data(vm, o)?;
    let params = parameters(vm, o)?;
    let params = params.downcast::<TupleData>().map(|t| t.items.to_vec()).unwrap_or_default();
    if params.is_empty() {
        return Err(vm.type_error(format!("{} is not a generic class", repr_string(vm, o)?)));
    }
    let items = match key.downcast::<TupleData>() {
        Some(t) => t.items.to_vec(),
        None => vec![key.clone()],
    };
    if items.len() != params.len() {
        let which = if items.len() > params.len() { "many" } else { "few" };
        return Err(vm.type_error(format!(
            "Too {which} arguments for {}; actual {}, expected {}",
            repr_string(vm, o)?,
            items.len(),
            params.len()
        )));
    }
    let subst = |vm: &Vm, p: &Obj, item: &Obj| -> PyResult<Obj> {
        match has_attr(vm, p, "__typing_subst__")? {
            Some(f) => classes::call_object(vm, &f, std::slice::from_ref(item)),
            None => Ok(item.clone()),
        }
    };
    let mut out = Vec::new();
    for a in g.args.downcast::<TupleData>().map(|t| t.items.to_vec()).unwrap_or_default() {
        if let Some(i) = params.iter().position(|p| p.is(&a)) {
            out.push(subst(vm, &params[i], &items[i])?);
            continue;
        }
        if a.downcast::<TypeData>().is_none() {
            if let Some(sub) = has_attr(vm, &a, "__parameters__")? {
                let sub = sub.downcast::<TupleData>().map(|t| t.items.to_vec()).unwrap_or_default();
                if !sub.is_empty() {
                    let mut subargs = Vec::new();
                    for s in &sub {
                        match params.iter().position(|p| p.is(s)) {
                            Some(i) => subargs.push(items[i].clone()),
                            None => subargs.push(s.clone()),
                        }
                    }
                    let k = if subargs.len() == 1 { subargs[0].clone() } else { new_tuple(vm, subargs) };
                    out.push(crate::sequence::getitem(vm, &a, &k)?);
                    continue;
                }
            }
        }
        out.push(a);
    }
    Ok(new_generic_alias_of(vm, &type_of(o), &g.origin, &new_tuple(vm, out)))
}

static GA_METHODS: &[MethodDef] = &[
    MethodDef::method("__getitem__", ga_getitem, "Return self[key]."),
    MethodDef::method(
        "__mro_entries__",
        |vm, this, args, kw| {
            exact::<1>(vm, "__mro_entries__", args, kw)?;
            Ok(new_tuple(vm, vec![data(vm, this)?.origin.clone()]))
        },
        "",
    ),
    MethodDef::method(
        "__instancecheck__",
        |vm, _this, _args, _kw| Err(vm.type_error("isinstance() argument 2 cannot be a parameterized generic")),
        "",
    ),
    MethodDef::method(
        "__subclasscheck__",
        |vm, _this, _args, _kw| Err(vm.type_error("issubclass() argument 2 cannot be a parameterized generic")),
        "",
    ),
    MethodDef::method(
        "__reduce__",
        |vm, this, args, kw| {
            exact::<0>(vm, "__reduce__", args, kw)?;
            let g = data(vm, this)?;
            Ok(new_tuple(vm, vec![type_of(this), new_tuple(vm, vec![g.origin.clone(), g.args.clone()])]))
        },
        "",
    ),
    MethodDef::method(
        "__dir__",
        |vm, this, args, kw| {
            exact::<0>(vm, "__dir__", args, kw)?;
            let origin = &data(vm, this)?.origin;
            let d = crate::classes::object_dir(vm, origin)?;
            let _ = type_data_of(this);
            Ok(d)
        },
        "",
    ),
];

static GA_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("__origin__", |vm, o| Ok(data(vm, o)?.origin.clone()), ""),
    GetSetDef::readonly("__args__", |vm, o| Ok(data(vm, o)?.args.clone()), ""),
    GetSetDef::readonly("__parameters__", parameters, "Type variables in the GenericAlias."),
    GetSetDef::readonly("__unpacked__", |vm, _o| Ok(vm.false_.clone()), ""),
    GetSetDef::readonly("__typing_unpacked_tuple_args__", |vm, _o| Ok(vm.none.clone()), ""),
];
