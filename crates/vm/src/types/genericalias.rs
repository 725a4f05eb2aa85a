//! `types.GenericAlias` (`list[int]`, PEP 585) and `types.UnionType`
//! (`int | str`, PEP 604): the parameterised forms of classes that
//! `typing` and annotations build on.
//!
//! An alias forwards attribute access to its origin (except its own
//! attributes), calls the origin, and substitutes type variables (objects
//! with `__typing_subst__`) through `__getitem__`.

use crate::classes::{call_object, getattr_opt};
use crate::native::{GetSetDef, MethodDef};
use crate::object::{alloc, Obj};
use crate::types::builtin::{self, new_str, new_tuple, str_data, TupleData};
use crate::types::{type_of, BinaryOp, CompareOp, Kwargs, Slots, TypeData};
use crate::vm::Vm;
use crate::PyResult;

/// A parameterised class: `origin[args]`.
pub struct GenericAliasData {
    pub origin: Obj,
    /// Always a tuple.
    pub args: Obj,
    /// `__parameters__`, computed on first use.
    parameters: std::cell::RefCell<Option<Obj>>,
    /// `*alias` (PEP 646): what iterating an alias yields.
    pub starred: bool,
}

/// `X | Y | ...`: the flattened, de-duplicated arguments.
pub struct UnionData {
    pub args: Obj,
    parameters: std::cell::RefCell<Option<Obj>>,
}

/// `types.GenericAlias`.
pub fn generic_alias_type(vm: &Vm) -> Obj {
    vm.native_type("types.GenericAlias", |vm| {
        let slots = Slots {
            repr: Some(ga_repr),
            hash: Some(|vm, o| {
                let d = ga(vm, o)?;
                Ok(crate::ops::hash(vm, &d.origin)? ^ crate::ops::hash(vm, &d.args)?)
            }),
            compare: Some(ga_compare),
            call: Some(ga_call),
            getattro: Some(ga_getattro),
            binary: Some(union_or),
            iter: Some(|vm, o| {
                ga(vm, o)?;
                Ok(alloc(alias_iter_type(vm), AliasIterData { obj: std::cell::RefCell::new(Some(o.clone())) }))
            }),
            new: Some(|vm, cls, args, kw| {
                if !kw.is_empty() {
                    return Err(vm.type_error("GenericAlias() takes no keyword arguments"));
                }
                let [origin, args] = args else {
                    return Err(vm.type_error(format!("GenericAlias expected 2 arguments, got {}", args.len())));
                };
                Ok(alloc(cls.clone(), new_data(vm, origin.clone(), args.clone())))
            }),
            traverse: Some(|o, visit| {
                if let Some(d) = o.downcast::<GenericAliasData>() {
                    visit(&d.origin);
                    visit(&d.args);
                }
            }),
            ..crate::types::builtin::object_slots()
        };
        let ty = crate::native::new_type::<GenericAliasData>(vm, "types.GenericAlias", &[], true, slots, GA_METHODS, GA_GETSETS);
        crate::types::type_data(&ty).weakrefable.set(true);
        ty
    })
}

/// `types.UnionType`.
pub fn union_type(vm: &Vm) -> Obj {
    vm.native_type("types.UnionType", |vm| {
        let slots = Slots {
            repr: Some(union_repr),
            hash: Some(|vm, o| {
                let set = crate::classes::call_object(vm, &vm.types.frozenset, &[union(vm, o)?.args.clone()])?;
                crate::ops::hash(vm, &set)
            }),
            compare: Some(union_compare),
            binary: Some(union_or),
            traverse: Some(|o, visit| {
                if let Some(d) = o.downcast::<UnionData>() {
                    visit(&d.args);
                }
            }),
            ..crate::types::builtin::object_slots()
        };
        crate::native::new_type::<UnionData>(vm, "types.UnionType", &[], true, slots, UNION_METHODS, UNION_GETSETS)
    })
}

fn new_data(vm: &Vm, origin: Obj, args: Obj) -> GenericAliasData {
    let args = if args.downcast::<TupleData>().is_some() { args } else { new_tuple(vm, vec![args]) };
    GenericAliasData { origin, args, parameters: std::cell::RefCell::new(None), starred: false }
}

fn new_data_starred(vm: &Vm, origin: Obj, args: Obj, starred: bool) -> GenericAliasData {
    GenericAliasData { starred, ..new_data(vm, origin, args) }
}

/// What `iter(alias)` returns: yields `*alias` once. Holds the unstarred
/// alias until then (`gaiterobject`).
pub struct AliasIterData {
    obj: std::cell::RefCell<Option<Obj>>,
}

fn alias_iter_type(vm: &Vm) -> Obj {
    vm.native_type("generic_alias_iterator", |vm| {
        let slots = Slots {
            iter: Some(|_vm, o| Ok(o.clone())),
            next: Some(|vm, o| {
                let Some(d) = o.downcast::<AliasIterData>() else { return Err(vm.type_error("not a generic_alias_iterator")) };
                let Some(alias) = d.obj.borrow_mut().take() else { return Ok(None) };
                let a = ga(vm, &alias)?;
                Ok(Some(alloc(generic_alias_type(vm), new_data_starred(vm, a.origin.clone(), a.args.clone(), true))))
            }),
            traverse: Some(|o, visit| {
                if let Some(d) = o.downcast::<AliasIterData>() {
                    if let Some(x) = &*d.obj.borrow() {
                        visit(x);
                    }
                }
            }),
            ..crate::types::builtin::object_slots()
        };
        crate::native::new_type::<AliasIterData>(vm, "generic_alias_iterator", &[], true, slots, ALIAS_ITER_METHODS, &[])
    })
}

/// `iterator.__reduce__()`: `(iter, (alias,))`, or `(iter, ((),))` once
/// exhausted.
static ALIAS_ITER_METHODS: &[MethodDef] = &[MethodDef::method(
    "__reduce__",
    |vm, this, args, kw| {
        crate::native::exact::<0>(vm, "__reduce__", args, kw)?;
        let Some(d) = this.downcast::<AliasIterData>() else { return Err(vm.type_error("not a generic_alias_iterator")) };
        let iter_fn = builtin::dict_get_str(vm, &vm.builtins, "iter")?.unwrap_or_else(|| vm.none.clone());
        let arg = d.obj.borrow().clone().unwrap_or_else(|| new_tuple(vm, vec![]));
        Ok(new_tuple(vm, vec![iter_fn, new_tuple(vm, vec![arg])]))
    },
    "Return state information for pickling.",
)];

/// `origin[args]` as a new alias (`Py_GenericAlias`).
pub fn new_generic_alias(vm: &Vm, origin: &Obj, args: &Obj) -> Obj {
    alloc(generic_alias_type(vm), new_data(vm, origin.clone(), args.clone()))
}

/// The `__class_getitem__` of the built-in generic classes.
pub fn class_getitem(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [item] = crate::native::exact::<1>(vm, "__class_getitem__", args, kw)?;
    Ok(new_generic_alias(vm, cls, &item))
}

fn ga<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a GenericAliasData> {
    o.downcast::<GenericAliasData>().ok_or_else(|| vm.type_error("not a GenericAlias"))
}

fn union<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a UnionData> {
    o.downcast::<UnionData>().ok_or_else(|| vm.type_error("not a UnionType"))
}

fn tuple_items(t: &Obj) -> Vec<Obj> {
    t.downcast::<TupleData>().map(|t| t.items.to_vec()).unwrap_or_default()
}

/// How `typing` shows a class or alias inside an alias' repr
/// (`_Py_typing_type_repr`).
fn type_repr(vm: &Vm, o: &Obj) -> PyResult<String> {
    if o.is(&vm.ellipsis) {
        return Ok("...".into());
    }
    if o.is(&vm.none) || o.is(&type_of(&vm.none)) {
        return Ok("None".into());
    }
    if let Some(l) = o.downcast::<builtin::ListData>() {
        let items = l.items.borrow().clone();
        let parts = items.iter().map(|i| type_repr(vm, i)).collect::<PyResult<Vec<_>>>()?;
        return Ok(format!("[{}]", parts.join(", ")));
    }
    let has = |name: &str| getattr_opt(vm, o, &vm.intern(name));
    if has("__origin__")?.is_some() && has("__args__")?.is_some() {
        return repr_string(vm, o);
    }
    if let (Some(q), Some(m)) = (has("__qualname__")?, has("__module__")?) {
        if let (Some(q), Some(m)) = (q.downcast::<builtin::StrData>(), m.downcast::<builtin::StrData>()) {
            let (q, m) = (q.as_str(), m.as_str());
            return Ok(if m == "builtins" { q.into_owned() } else { format!("{m}.{q}") });
        }
    }
    repr_string(vm, o)
}

fn repr_string(vm: &Vm, o: &Obj) -> PyResult<String> {
    Ok(str_data(&crate::ops::repr(vm, o)?).as_str().into_owned())
}

fn ga_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let d = ga(vm, o)?;
    let _guard = vm.enter_recursive_call(" while getting the repr of an object")?;
    let args = tuple_items(&d.args);
    let inner =
        if args.is_empty() { "()".to_string() } else { args.iter().map(|a| type_repr(vm, a)).collect::<PyResult<Vec<_>>>()?.join(", ") };
    let star = if d.starred { "*" } else { "" };
    Ok(new_str(vm, &format!("{star}{}[{inner}]", type_repr(vm, &d.origin)?)))
}

fn union_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let args = tuple_items(&union(vm, o)?.args);
    let parts = args.iter().map(|a| type_repr(vm, a)).collect::<PyResult<Vec<_>>>()?;
    Ok(new_str(vm, &parts.join(" | ")))
}

fn ga_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let (Some(x), Some(y)) = (a.downcast::<GenericAliasData>(), b.downcast::<GenericAliasData>()) else {
        return Ok(vm.not_implemented.clone());
    };
    let eq = match op {
        CompareOp::Eq | CompareOp::Ne => {
            x.starred == y.starred && crate::ops::eq(vm, &x.origin, &y.origin)? && crate::ops::eq(vm, &x.args, &y.args)?
        }
        _ => return Ok(vm.not_implemented.clone()),
    };
    Ok(vm.bool(eq == (op == CompareOp::Eq)))
}

fn union_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let (Some(x), Some(y)) = (a.downcast::<UnionData>(), b.downcast::<UnionData>()) else {
        return Ok(vm.not_implemented.clone());
    };
    if !matches!(op, CompareOp::Eq | CompareOp::Ne) {
        return Ok(vm.not_implemented.clone());
    }
    let fs = |t: &Obj| call_object(vm, &vm.types.frozenset, std::slice::from_ref(t));
    let eq = crate::ops::eq(vm, &fs(&x.args)?, &fs(&y.args)?)?;
    Ok(vm.bool(eq == (op == CompareOp::Eq)))
}

/// Calls the origin; the result remembers the alias as `__orig_class__`
/// when it can.
fn ga_call(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let d = ga(vm, o)?;
    let result = crate::classes::call_object_kw(vm, &d.origin, args, kw)?;
    if let Err(e) = crate::classes::setattr(vm, &result, &vm.intern("__orig_class__"), o.clone()) {
        let ty = type_of(&e.exc);
        if !crate::types::is_subtype(&ty, &vm.types.attribute_error) && !crate::types::is_subtype(&ty, &vm.types.type_error) {
            return Err(e);
        }
    }
    Ok(result)
}

/// The alias' own attributes; anything else comes from the origin.
const OWN_ATTRIBUTES: &[&str] = &[
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

fn ga_getattro(vm: &Vm, o: &Obj, name: &Obj) -> PyResult<Obj> {
    let n = str_data(name).as_str();
    if !OWN_ATTRIBUTES.contains(&&*n) {
        return crate::classes::getattr(vm, &ga(vm, o)?.origin, name);
    }
    crate::classes::generic_getattr(vm, o, name)
}

/// Type variables among `args`, in order of first appearance
/// (`_Py_make_parameters`): objects with `__typing_subst__`, and the
/// parameters of nested aliases.
fn make_parameters(vm: &Vm, args: &Obj) -> PyResult<Obj> {
    let mut params: Vec<Obj> = Vec::new();
    for a in tuple_items(args) {
        if a.downcast::<TypeData>().is_some() {
            continue;
        }
        if getattr_opt(vm, &a, &vm.intern("__typing_subst__"))?.is_some() {
            if !params.iter().any(|p| p.is(&a)) {
                params.push(a);
            }
            continue;
        }
        if let Some(sub) = getattr_opt(vm, &a, &vm.intern("__parameters__"))? {
            if sub.downcast::<TupleData>().is_some() {
                for p in tuple_items(&sub) {
                    if !params.iter().any(|q| q.is(&p)) {
                        params.push(p);
                    }
                }
            }
        }
    }
    Ok(new_tuple(vm, params))
}

fn cached_parameters(vm: &Vm, cell: &std::cell::RefCell<Option<Obj>>, args: &Obj) -> PyResult<Obj> {
    if let Some(p) = cell.borrow().clone() {
        return Ok(p);
    }
    let p = make_parameters(vm, args)?;
    *cell.borrow_mut() = Some(p.clone());
    Ok(p)
}

/// The arguments of an unpacked tuple type (`*tuple[int, str]` gives
/// `(int, str)`), or None (`_unpacked_tuple_args`).
fn unpacked_tuple_args(vm: &Vm, arg: &Obj) -> PyResult<Option<Obj>> {
    if let Some(d) = arg.downcast::<GenericAliasData>() {
        if d.starred && d.origin.is(&vm.types.tuple) {
            return Ok(Some(d.args.clone()));
        }
    }
    Ok(getattr_opt(vm, arg, &vm.intern("__typing_unpacked_tuple_args__"))?.filter(|r| !r.is(&vm.none)))
}

/// The subscript items with fixed-length unpacked tuples spliced in
/// (`tuple[int, *tuple[str, bytes]]` has three items; `_unpack_args`).
fn unpack_args(vm: &Vm, item: &Obj) -> PyResult<Obj> {
    let items = if item.downcast::<TupleData>().is_some() { tuple_items(item) } else { vec![item.clone()] };
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        if it.downcast::<TypeData>().is_none() {
            if let Some(sub) = unpacked_tuple_args(vm, &it)? {
                if let Some(t) = sub.downcast::<TupleData>() {
                    if !t.items.last().is_some_and(|l| l.is(&vm.ellipsis)) {
                        out.extend(t.items.iter().cloned());
                        continue;
                    }
                }
            }
        }
        out.push(it);
    }
    Ok(new_tuple(vm, out))
}

/// Whether `arg` is `*Ts` for a TypeVarTuple `Ts`.
fn is_unpacked_typevartuple(vm: &Vm, arg: &Obj) -> PyResult<bool> {
    if arg.downcast::<TypeData>().is_some() {
        return Ok(false);
    }
    match getattr_opt(vm, arg, &vm.intern("__typing_is_unpacked_typevartuple__"))? {
        Some(v) => crate::ops::truth(vm, &v),
        None => Ok(false),
    }
}

/// `obj` (an alias nested in the arguments) with its own parameters
/// substituted (`subs_tvars`); a TypeVarTuple parameter bound to a tuple
/// contributes its items.
fn subs_tvars(vm: &Vm, obj: &Obj, params: &[Obj], argitems: &[Obj]) -> PyResult<Obj> {
    let Some(sub) = getattr_opt(vm, obj, &vm.intern("__parameters__"))? else { return Ok(obj.clone()) };
    let subparams = match sub.downcast::<TupleData>() {
        Some(t) if !t.items.is_empty() => t.items.to_vec(),
        _ => return Ok(obj.clone()),
    };
    let mut subargs = Vec::with_capacity(subparams.len());
    for p in subparams {
        if let Some(i) = params.iter().position(|q| q.is(&p)) {
            let arg = &argitems[i];
            let iterable = crate::types::lookup(&type_of(&params[i]), "__iter__").is_some();
            if let (true, Some(t)) = (iterable, arg.downcast::<TupleData>()) {
                subargs.extend(t.items.iter().cloned());
            } else {
                subargs.push(arg.clone());
            }
        } else {
            subargs.push(p);
        }
    }
    crate::sequence::getitem(vm, obj, &new_tuple(vm, subargs))
}

/// `alias[items]`: each parameter replaced by its argument, with PEP 646's
/// unpacking (`_Py_subs_parameters`).
fn substitute(vm: &Vm, this: &Obj, args: &Obj, params: &Obj, item: &Obj) -> PyResult<Vec<Obj>> {
    let params = tuple_items(params);
    if params.is_empty() {
        let r = crate::ops::repr(vm, this)?;
        return Err(vm.type_error(format!("{} is not a generic class", str_data(&r).as_str())));
    }
    let mut item = unpack_args(vm, item)?;
    for p in &params {
        if let Some(prepare) = getattr_opt(vm, p, &vm.intern("__typing_prepare_subst__"))? {
            if !prepare.is(&vm.none) {
                item = call_object(vm, &prepare, &[this.clone(), item])?;
            }
        }
    }
    let items = if item.downcast::<TupleData>().is_some() { tuple_items(&item) } else { vec![item.clone()] };
    if items.len() != params.len() {
        let r = crate::ops::repr(vm, this)?;
        let which = if items.len() > params.len() { "many" } else { "few" };
        return Err(vm.type_error(format!(
            "Too {which} arguments for {}; actual {}, expected {}",
            str_data(&r).as_str(),
            items.len(),
            params.len()
        )));
    }
    let mut out = Vec::new();
    for a in tuple_items(args) {
        if a.downcast::<TypeData>().is_some() {
            out.push(a);
            continue;
        }
        let unpack = is_unpacked_typevartuple(vm, &a)?;
        let value = match getattr_opt(vm, &a, &vm.intern("__typing_subst__"))? {
            Some(subst) => {
                let i = params.iter().position(|p| p.is(&a)).ok_or_else(|| vm.type_error("parameter not found"))?;
                call_object(vm, &subst, std::slice::from_ref(&items[i]))?
            }
            None => subs_tvars(vm, &a, &params, &items)?,
        };
        if unpack {
            match value.downcast::<TupleData>() {
                Some(t) => out.extend(t.items.iter().cloned()),
                None => {
                    let n = crate::types::builtin::type_name(&value);
                    return Err(vm.type_error(format!("expected a tuple, not {n}")));
                }
            }
        } else {
            out.push(value);
        }
    }
    Ok(out)
}

fn ga_getitem(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [item] = crate::native::exact::<1>(vm, "__getitem__", args, kw)?;
    let d = ga(vm, this)?;
    let params = cached_parameters(vm, &d.parameters, &d.args)?;
    if tuple_items(&params).is_empty() {
        let r = crate::ops::repr(vm, this)?;
        return Err(vm.type_error(format!("{} is not a generic class", str_data(&r).as_str())));
    }
    let new_args = substitute(vm, this, &d.args, &params, &item)?;
    Ok(alloc(type_of(this), new_data_starred(vm, d.origin.clone(), new_tuple(vm, new_args), d.starred)))
}

fn union_getitem(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [item] = crate::native::exact::<1>(vm, "__getitem__", args, kw)?;
    let d = union(vm, this)?;
    let params = cached_parameters(vm, &d.parameters, &d.args)?;
    let new_args = substitute(vm, this, &d.args, &params, &item)?;
    // The substituted arguments are or-ed together again.
    let mut iter = new_args.into_iter();
    let Some(mut acc) = iter.next() else { return Ok(this.clone()) };
    for a in iter {
        acc = crate::ops::binary_op(vm, BinaryOp::Or, &acc, &a)?;
    }
    Ok(acc)
}

static GA_METHODS: &[MethodDef] = &[
    MethodDef::method("__getitem__", ga_getitem, "Return self[key]."),
    MethodDef::method("__mro_entries__", |vm, this, _args, _kw| Ok(new_tuple(vm, vec![ga(vm, this)?.origin.clone()])), ""),
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
        |vm, this, _args, _kw| {
            let d = ga(vm, this)?;
            if d.starred {
                // `next(iter(GenericAlias(origin, args)))`.
                let plain = alloc(generic_alias_type(vm), new_data(vm, d.origin.clone(), d.args.clone()));
                let it = alloc(alias_iter_type(vm), AliasIterData { obj: std::cell::RefCell::new(Some(plain)) });
                let next_fn = builtin::dict_get_str(vm, &vm.builtins, "next")?.unwrap_or_else(|| vm.none.clone());
                return Ok(new_tuple(vm, vec![next_fn, new_tuple(vm, vec![it])]));
            }
            Ok(new_tuple(vm, vec![type_of(this), new_tuple(vm, vec![d.origin.clone(), d.args.clone()])]))
        },
        "",
    ),
    MethodDef::method(
        "__dir__",
        |vm, this, _args, _kw| {
            let d = ga(vm, this)?;
            let names = crate::classes::builtin_dir(vm, std::slice::from_ref(&d.origin), &[])?;
            let mut names = crate::sequence::to_vec(vm, &names)?;
            for n in OWN_ATTRIBUTES {
                names.push(vm.intern(n));
            }
            Ok(builtin::new_list(vm, names))
        },
        "",
    ),
];

static GA_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("__origin__", |vm, o| Ok(ga(vm, o)?.origin.clone()), ""),
    GetSetDef::readonly("__args__", |vm, o| Ok(ga(vm, o)?.args.clone()), ""),
    GetSetDef::readonly(
        "__parameters__",
        |vm, o| {
            let d = ga(vm, o)?;
            cached_parameters(vm, &d.parameters, &d.args)
        },
        "",
    ),
    GetSetDef::readonly("__unpacked__", |vm, o| Ok(vm.bool(ga(vm, o)?.starred)), ""),
    GetSetDef::readonly(
        "__typing_unpacked_tuple_args__",
        |vm, o| {
            let d = ga(vm, o)?;
            Ok(if d.starred && d.origin.is(&vm.types.tuple) { d.args.clone() } else { vm.none.clone() })
        },
        "",
    ),
];

static UNION_METHODS: &[MethodDef] = &[
    MethodDef::method("__getitem__", union_getitem, "Return self[key]."),
    MethodDef::method("__instancecheck__", |vm, this, args, kw| union_check(vm, this, args, kw, false), ""),
    MethodDef::method("__subclasscheck__", |vm, this, args, kw| union_check(vm, this, args, kw, true), ""),
];

static UNION_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("__args__", |vm, o| Ok(union(vm, o)?.args.clone()), ""),
    // The type's `__module__`, for `typing` (CPython's `union_getattro`).
    GetSetDef::readonly("__module__", |vm, _| Ok(new_str(vm, "types")), ""),
    GetSetDef::readonly(
        "__parameters__",
        |vm, o| {
            let d = union(vm, o)?;
            cached_parameters(vm, &d.parameters, &d.args)
        },
        "",
    ),
];

/// `isinstance(x, A | B)` / `issubclass(C, A | B)`: any of the members
/// (which must not be parameterised generics).
fn union_check(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, sub: bool) -> PyResult<Obj> {
    let [x] = crate::native::exact::<1>(vm, if sub { "__subclasscheck__" } else { "__instancecheck__" }, args, kw)?;
    let members = tuple_items(&union(vm, this)?.args);
    for m in &members {
        if m.downcast::<GenericAliasData>().is_some() {
            let which = if sub { "issubclass" } else { "isinstance" };
            return Err(vm.type_error(format!("{which}() argument 2 cannot be a parameterized generic")));
        }
    }
    for m in &members {
        let m = if m.is(&vm.none) { type_of(&vm.none) } else { m.clone() };
        let hit = if sub { crate::classes::issubclass(vm, &x, &m)? } else { crate::classes::isinstance(vm, &x, &m)? };
        if hit {
            return Ok(vm.true_.clone());
        }
    }
    Ok(vm.false_.clone())
}

/// Whether `o` can be a member of `X | Y` (`is_unionable`).
fn unionable(vm: &Vm, o: &Obj) -> bool {
    o.is(&vm.none)
        || o.downcast::<TypeData>().is_some()
        || o.downcast::<GenericAliasData>().is_some()
        || o.downcast::<UnionData>().is_some()
}

/// `a | b` for classes, aliases and unions (`_Py_union_type_or`).
pub fn union_or(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    if op != BinaryOp::Or || !unionable(vm, a) || !unionable(vm, b) {
        return Ok(vm.not_implemented.clone());
    }
    let mut members: Vec<Obj> = Vec::new();
    for side in [a, b] {
        let items = match side.downcast::<UnionData>() {
            Some(u) => tuple_items(&u.args),
            // None is stored as its type (`(int | None).__args__` holds NoneType).
            None => vec![if side.is(&vm.none) { type_of(&vm.none) } else { side.clone() }],
        };
        for i in items {
            let mut dup = false;
            for m in &members {
                // Aliases compare by value, classes by identity.
                let same = if m.downcast::<GenericAliasData>().is_some() && i.downcast::<GenericAliasData>().is_some() {
                    crate::ops::eq(vm, m, &i)?
                } else {
                    m.is(&i)
                };
                if same {
                    dup = true;
                    break;
                }
            }
            if !dup {
                members.push(i);
            }
        }
    }
    if members.len() == 1 {
        return Ok(members.pop().unwrap_or_else(|| vm.none.clone()));
    }
    Ok(alloc(union_type(vm), UnionData { args: new_tuple(vm, members), parameters: std::cell::RefCell::new(None) }))
}

/// Gives the built-in generic classes their `__class_getitem__`.
pub(crate) fn install(vm: &Vm) {
    let t = &vm.types;
    for ty in [&t.list, &t.dict, &t.tuple, &t.set, &t.frozenset, &t.enumerate, &t.mappingproxy, &t.async_generator, &t.weakref] {
        crate::native::add_methods(vm, ty, CLASS_GETITEM);
    }
    if let Some(eg) = vm.exception_type("BaseExceptionGroup") {
        crate::native::add_methods(vm, &eg, CLASS_GETITEM);
    }
}

/// `__class_getitem__` for native generic classes' method tables.
pub static CLASS_GETITEM: &[MethodDef] = &[MethodDef::class("__class_getitem__", class_getitem, "See PEP 585")];
