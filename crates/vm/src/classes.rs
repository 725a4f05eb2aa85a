//! Classes defined in Python: `__build_class__`, heap types, instances and
//! their attributes, bound methods, methods of built-in types, and the
//! slot wrappers that let a class's `__repr__`, `__eq__`, `__add__`, ...
//! serve the type slots the eval loop dispatches through.
//!
//! First cut: an instance keeps its attributes in an ordered map; the
//! hidden classes (shared shapes plus a values array) of DESIGN.md replace
//! it behind the same `getattr`/`setattr` functions.

use std::cell::RefCell;

use crate::eval;
use crate::function::FunctionData;
use crate::object::{alloc, InstanceLayout, Obj};
use crate::ops;
use crate::types::builtin::{self, new_str, str_data, type_name, ExceptionData, StrData};
use crate::types::{c3_mro, is_subtype, lookup, type_data, type_data_of, type_of, AttrMap, Kwargs, Slots, TypeData};
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::{BinaryOp, CompareOp};

/// What every instance of a class defined in Python carries after its
/// built-in base's payload (see `object::Extended`): its `__dict__`,
/// created on first use. Hidden classes (a shared shape plus a values
/// array) replace the dict behind `generic_getattr`/`generic_setattr`.
#[derive(Default)]
pub struct InstanceExt {
    pub dict: RefCell<Option<Obj>>,
    /// `__dict__` was handed out (CPython 3.11 only then makes a dict
    /// object; `gc.collect()` counts follow that).
    pub dict_exposed: std::cell::Cell<bool>,
}

/// A function bound to an instance (`obj.method`).
pub struct MethodData {
    pub func: Obj,
    pub self_: Obj,
}

pub fn method_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let Some(m) = o.downcast::<MethodData>() else { return Ok(new_str(vm, "<method>")) };
            let fname = match m.func.downcast::<FunctionData>() {
                Some(f) => str_data(&f.qualname).as_str().into_owned(),
                None => match getattr(vm, &m.func, &vm.intern("__qualname__")) {
                    Ok(n) if n.downcast::<StrData>().is_some() => str_data(&n).as_str().into_owned(),
                    _ => "?".to_string(),
                },
            };
            let self_repr = builtin::repr_string(vm, &m.self_)?;
            Ok(new_str(vm, &format!("<bound method {fname} of {self_repr}>")))
        }),
        call: Some(|vm, o, args, kw| {
            let Some(m) = o.downcast::<MethodData>() else { return Err(vm.type_error("not a method")) };
            let mut all = Vec::with_capacity(args.len() + 1);
            all.push(m.self_.clone());
            all.extend_from_slice(args);
            call_object_kw(vm, &m.func, &all, kw)
        }),
        getattro: Some(|vm, o, name| match generic_getattr_opt(vm, o, name)? {
            Some(v) => Ok(v),
            // Other attributes come from the function (`m.__name__`).
            None => match o.downcast::<MethodData>() {
                Some(m) if str_data(name).as_str() != "__self__" => getattr(vm, &m.func, name),
                Some(m) => Ok(m.self_.clone()),
                None => Err(no_attribute(vm, o, name)),
            },
        }),
        traverse: Some(method_traverse),
        ..builtin::object_slots()
    }
}

/// Calls any callable with positional arguments. Python functions run in a
/// nested eval loop (a Rust-to-Python call, bounded by the recursion limit).
pub fn call_object(vm: &Vm, callee: &Obj, args: &[Obj]) -> PyResult<Obj> {
    call_object_kw(vm, callee, args, &[])
}

pub fn call_object_kw(vm: &Vm, callee: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if let Some(f) = callee.downcast::<FunctionData>() {
        return eval::call_function(vm, f, args.to_vec(), kw.to_vec());
    }
    ops::call_kw(vm, callee, args, kw)
}

pub use crate::native::no_kwargs;

/// `__build_class__(func, name, *bases)`: runs the class body in a fresh
/// namespace, then creates the class.
pub fn build_class(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "__build_class__", kw)?;
    let [func, name, bases @ ..] = args else {
        return Err(vm.type_error("__build_class__: not enough arguments"));
    };
    let Some(f) = func.downcast::<FunctionData>() else {
        return Err(vm.type_error("__build_class__: func must be a function"));
    };
    let ns = builtin::new_dict(vm);
    eval::run_class_body(vm, f, ns.clone())?;
    let name = str_data(name).as_str().into_owned();
    new_class(vm, &name, bases.to_vec(), &ns)
}

/// Creates a class (`type(name, bases, ns)` for the default metaclass).
pub fn new_class(vm: &Vm, name: &str, mut bases: Vec<Obj>, ns: &Obj) -> PyResult<Obj> {
    if bases.is_empty() {
        bases.push(vm.types.object.clone());
    }
    for b in &bases {
        if b.downcast::<TypeData>().is_none() {
            return Err(vm.type_error("bases must be types"));
        }
    }
    // Instances are laid out as the built-in base's payload extended with
    // an `InstanceExt`; all bases must agree on that base (CPython's
    // "instance lay-out conflict").
    let solid = solid_base(vm, &bases)?;
    let exception_base = type_data(&solid).instances.payload_is::<ExceptionData>();
    let layout = if exception_base {
        // Exceptions carry their own `__dict__`.
        InstanceLayout::of::<ExceptionData>(true, true)
    } else {
        type_data(&solid).instances.extended()
    };
    // Native slots are inherited from the first base; dunder methods the
    // class defines override them below.
    let mut slots = type_data(&bases[0]).slots.get();
    if solid.is(&vm.types.object) {
        slots.new = Some(instance_new);
    }
    let mut dict = AttrMap::default();
    for (k, v) in builtin::dict_items(ns) {
        let Some(key) = k.downcast::<StrData>() else { continue };
        dict.insert(&key.as_str(), v);
    }
    // The collector follows the payload of the built-in base.
    let solid_slots = type_data(&solid).slots.get();
    slots.traverse = solid_slots.traverse;
    slots.clear = solid_slots.clear;
    install_slot_wrappers(&dict, &mut slots);
    let ty = alloc(vm.types.type_.clone(), TypeData::new(name, layout, bases.clone(), slots));
    // Instances can be weakly referenced, unless they extend a variable-size
    // built-in (int, str, tuple), as in CPython.
    let td = type_data(&solid);
    let var_sized = [&vm.types.int, &vm.types.str_, &vm.types.tuple].iter().any(|t| type_data(t).instances.same_base(&td.instances));
    type_data(&ty).weakrefable.set(!var_sized || solid.is(&vm.types.object));
    *type_data(&ty).dict.borrow_mut() = dict;
    match c3_mro(&ty, &bases) {
        Some(mro) => *type_data(&ty).mro.borrow_mut() = mro,
        None => {
            let names: Vec<&str> = bases.iter().map(|b| &*type_data(b).name).collect();
            return Err(vm.type_error(format!("Cannot create a consistent method resolution order (MRO) for bases {}", names.join(", "))));
        }
    }
    Ok(ty)
}

/// The built-in type whose instance layout all of `bases` share (the
/// most derived one that is not `object`, or `object`).
fn solid_base(vm: &Vm, bases: &[Obj]) -> PyResult<Obj> {
    let mut best = vm.types.object.clone();
    for b in bases {
        // The built-in type at the root of `b`'s layout.
        let mut root = b.clone();
        while type_data(&root).instances.is_extended() {
            let next = type_data(&root).bases.iter().find(|x| type_data(x).instances.same_base(&type_data(&root).instances)).cloned();
            match next {
                Some(n) => root = n,
                None => break,
            }
        }
        if root.is(&vm.types.object) || root.is(&best) {
            continue;
        }
        if best.is(&vm.types.object) || is_subtype(&root, &best) {
            best = root;
        } else if !is_subtype(&best, &root) {
            return Err(vm.type_error("multiple bases have instance lay-out conflict"));
        }
    }
    Ok(best)
}

fn instance_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let obj = alloc(cls.clone(), ());
    match lookup(cls, "__init__") {
        Some(init) => {
            let mut all = vec![obj.clone()];
            all.extend_from_slice(args);
            let r = call_object_kw(vm, &init, &all, kw)?;
            if !r.is(&vm.none) {
                return Err(vm.type_error(format!("__init__() should return None, not '{}'", type_name(&r))));
            }
        }
        None if !args.is_empty() || !kw.is_empty() => return Err(vm.type_error(format!("{}() takes no arguments", type_data(cls).name))),
        None => {}
    }
    Ok(obj)
}

/// Calls the method `name` found on `obj`'s type, with `obj` first.
fn call_dunder(vm: &Vm, obj: &Obj, name: &str, args: &[Obj]) -> PyResult<Option<Obj>> {
    call_dunder_kw(vm, obj, name, args, &[])
}

fn call_dunder_kw(vm: &Vm, obj: &Obj, name: &str, args: &[Obj], kw: Kwargs) -> PyResult<Option<Obj>> {
    let Some(f) = lookup(&type_of(obj), name) else { return Ok(None) };
    let mut all = Vec::with_capacity(args.len() + 1);
    all.push(obj.clone());
    all.extend_from_slice(args);
    call_object_kw(vm, &f, &all, kw).map(Some)
}

const BINARY_DUNDERS: [(&str, &str); 13] = [
    ("__add__", "__radd__"),
    ("__and__", "__rand__"),
    ("__floordiv__", "__rfloordiv__"),
    ("__lshift__", "__rlshift__"),
    ("__matmul__", "__rmatmul__"),
    ("__mul__", "__rmul__"),
    ("__mod__", "__rmod__"),
    ("__or__", "__ror__"),
    ("__pow__", "__rpow__"),
    ("__rshift__", "__rrshift__"),
    ("__sub__", "__rsub__"),
    ("__truediv__", "__rtruediv__"),
    ("__xor__", "__rxor__"),
];

const COMPARE_DUNDERS: [&str; 6] = ["__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"];

/// Points the slots at generic wrappers for the dunder methods `dict`
/// defines (CPython's `slotdefs`).
fn install_slot_wrappers(dict: &AttrMap, slots: &mut Slots) {
    let has = |n: &str| dict.get(n).is_some();
    if has("__del__") {
        slots.finalize = Some(crate::gc::python_del);
    }
    if has("__repr__") {
        slots.repr = Some(|vm, o| dunder_result(vm, o, "__repr__"));
    }
    if has("__str__") {
        slots.str = Some(|vm, o| dunder_result(vm, o, "__str__"));
    }
    if has("__len__") || has("__bool__") {
        slots.bool = Some(|vm, o| {
            if let Some(r) = call_dunder(vm, o, "__bool__", &[])? {
                return ops::truth(vm, &r);
            }
            match call_dunder(vm, o, "__len__", &[])? {
                Some(r) => Ok(!matches!(r.downcast::<builtin::IntData>(), Some(builtin::IntData::Small(0)))),
                None => Ok(true),
            }
        });
    }
    if BINARY_DUNDERS.iter().any(|(l, r)| has(l) || has(r)) {
        slots.python_binary = true;
    }
    if COMPARE_DUNDERS.iter().any(|n| has(n)) {
        slots.compare = Some(compare_wrapper);
    }
    if has("__hash__") {
        slots.hash = Some(|vm, o| {
            let Some(h) = lookup(&type_of(o), "__hash__") else { return Err(vm.type_error("unhashable")) };
            if h.is(&vm.none) {
                return Err(vm.type_error(format!("unhashable type: '{}'", type_name(o))));
            }
            let r = call_object(vm, &h, std::slice::from_ref(o))?;
            builtin::expect_int(vm, &r, "")
        });
    } else if has("__eq__") {
        // Defining __eq__ without __hash__ makes instances unhashable.
        slots.hash = None;
    }
    if has("__iter__") {
        slots.iter = Some(|vm, o| dunder_result(vm, o, "__iter__"));
    }
    if has("__next__") {
        slots.next = Some(|vm, o| match call_dunder(vm, o, "__next__", &[]) {
            Ok(r) => Ok(r),
            Err(e) if is_subtype(&type_of(&e.exc), &vm.types.stop_iteration) => Ok(None),
            Err(e) => Err(e),
        });
    }
    if has("__get__") {
        slots.descr_get = Some(|vm, d, obj, owner| {
            let obj = obj.cloned().unwrap_or_else(|| vm.none.clone());
            dunder_result_args(vm, d, "__get__", &[obj, owner.clone()])
        });
    }
    if has("__set__") || has("__delete__") {
        slots.descr_set = Some(|vm, d, obj, value| {
            let (name, args) = match value {
                Some(v) => ("__set__", vec![obj.clone(), v]),
                None => ("__delete__", vec![obj.clone()]),
            };
            match call_dunder(vm, d, name, &args)? {
                Some(_) => Ok(()),
                None => Err(vm.new_error(&vm.types.attribute_error, name)),
            }
        });
    }
    if has("__getattribute__") || has("__getattr__") {
        slots.getattro = Some(slot_getattro);
    }
    if has("__setattr__") || has("__delattr__") {
        slots.setattro = Some(|vm, o, name, value| {
            let r = match value {
                Some(v) => call_dunder(vm, o, "__setattr__", &[name.clone(), v])?,
                None => call_dunder(vm, o, "__delattr__", std::slice::from_ref(name))?,
            };
            match r {
                Some(_) => Ok(()),
                None => Err(no_attribute(vm, o, name)),
            }
        });
    }
    if has("__call__") {
        slots.call = Some(|vm, o, args, kw| match call_dunder_kw(vm, o, "__call__", args, kw)? {
            Some(r) => Ok(r),
            None => Err(vm.type_error(format!("'{}' object is not callable", type_name(o)))),
        });
    }
}

/// `__getattribute__` (the class's, or `object`'s), then `__getattr__`
/// when that raises AttributeError.
fn slot_getattro(vm: &Vm, o: &Obj, name: &Obj) -> PyResult<Obj> {
    let ty = type_of(o);
    let first = match lookup(&ty, "__getattribute__") {
        Some(f) if f.downcast::<FunctionData>().is_some() => call_object(vm, &f, &[o.clone(), name.clone()]),
        _ => generic_getattr(vm, o, name),
    };
    match first {
        Err(e) if is_subtype(&type_of(&e.exc), &vm.types.attribute_error) => match lookup(&ty, "__getattr__") {
            Some(f) => call_object(vm, &f, &[o.clone(), name.clone()]),
            None => Err(e),
        },
        r => r,
    }
}

fn dunder_result_args(vm: &Vm, o: &Obj, name: &str, args: &[Obj]) -> PyResult<Obj> {
    match call_dunder(vm, o, name, args)? {
        Some(r) => Ok(r),
        None => Err(vm.type_error(format!("{name} missing"))),
    }
}

fn dunder_result(vm: &Vm, o: &Obj, name: &str) -> PyResult<Obj> {
    match call_dunder(vm, o, name, &[])? {
        Some(r) => Ok(r),
        None => Err(vm.type_error(format!("{name} missing"))),
    }
}

/// Binary operators when a class defines them in Python: CPython's
/// `binary_op1` with its reflected-operand and subclass-first rules, with
/// each side's Python method or native slot.
pub fn binary_dispatch(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let (l, r) = BINARY_DUNDERS[op as usize];
    let (ta, tb) = (type_of(a), type_of(b));
    let same = ta.is(&tb);
    let side = |x: &Obj, y: &Obj, name: &str, first: &Obj, second: &Obj| -> PyResult<Obj> {
        let tx = type_of(x);
        if type_data(&tx).slots.get().python_binary {
            if let Some(f) = lookup(&tx, name) {
                let _ = y;
                return call_object(vm, &f, &[x.clone(), y.clone()]);
            }
            return Ok(vm.not_implemented.clone());
        }
        match type_data(&tx).slots.get().binary {
            Some(slot) => slot(vm, op, first, second),
            None => Ok(vm.not_implemented.clone()),
        }
    };
    let right_first = !same && is_subtype(&tb, &ta) && lookup(&tb, r).is_some();
    if right_first {
        let res = side(b, a, r, a, b)?;
        if !res.is(&vm.not_implemented) {
            return Ok(res);
        }
    }
    let res = side(a, b, l, a, b)?;
    if !res.is(&vm.not_implemented) {
        return Ok(res);
    }
    if !same && !right_first {
        return side(b, a, r, a, b);
    }
    Ok(vm.not_implemented.clone())
}

fn compare_wrapper(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    match call_dunder(vm, a, COMPARE_DUNDERS[op as usize], std::slice::from_ref(b))? {
        Some(r) => Ok(r),
        None if op == CompareOp::Ne => match call_dunder(vm, a, "__eq__", std::slice::from_ref(b))? {
            Some(r) if !r.is(&vm.not_implemented) => Ok(vm.bool(!ops::truth(vm, &r)?)),
            _ => Ok(vm.not_implemented.clone()),
        },
        None => Ok(vm.not_implemented.clone()),
    }
}

/// `getattr(obj, name)`: the type's `getattro` slot, or the generic
/// protocol.
pub fn getattr(vm: &Vm, obj: &Obj, name: &Obj) -> PyResult<Obj> {
    match type_data_of(obj).slots.get().getattro {
        Some(f) => f(vm, obj, name),
        None => generic_getattr(vm, obj, name),
    }
}

/// `getattr(obj, name, None)`-like: `None` instead of AttributeError.
pub fn getattr_opt(vm: &Vm, obj: &Obj, name: &Obj) -> PyResult<Option<Obj>> {
    match getattr(vm, obj, name) {
        Ok(v) => Ok(Some(v)),
        Err(e) if is_subtype(&type_of(&e.exc), &vm.types.attribute_error) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `setattr(obj, name, value)` (`Some`) or `delattr(obj, name)` (`None`).
pub fn setattr_opt(vm: &Vm, obj: &Obj, name: &Obj, value: Option<Obj>) -> PyResult<()> {
    match type_data_of(obj).slots.get().setattro {
        Some(f) => f(vm, obj, name, value),
        None => generic_setattr(vm, obj, name, value),
    }
}

pub fn setattr(vm: &Vm, obj: &Obj, name: &Obj, value: Obj) -> PyResult<()> {
    setattr_opt(vm, obj, name, Some(value))
}

pub fn delattr(vm: &Vm, obj: &Obj, name: &Obj) -> PyResult<()> {
    setattr_opt(vm, obj, name, None)
}

/// The AttributeError for a missing attribute, as CPython words it.
pub fn no_attribute(vm: &Vm, obj: &Obj, name: &Obj) -> crate::PyErr {
    let key = str_data(name).as_str();
    let msg = if let Some(t) = obj.downcast::<TypeData>() {
        format!("type object '{}' has no attribute '{key}'", t.name)
    } else if let Some(m) = obj.downcast::<crate::modules::ModuleData>() {
        format!("module '{}' has no attribute '{key}'", m.name)
    } else {
        format!("'{}' object has no attribute '{key}'", type_name(obj))
    };
    // `name` and `obj` serve the traceback's "Did you mean" suggestion.
    let e = vm.new_error(&vm.types.attribute_error, msg);
    builtin::set_exc_field(&e.exc, 0, Some(name.clone()));
    builtin::set_exc_field(&e.exc, 1, Some(obj.clone()));
    e
}

/// The `__dict__` slot of an object that has one: instances of classes
/// defined in Python, exceptions, functions.
pub fn dict_slot(obj: &Obj) -> Option<&RefCell<Option<Obj>>> {
    if let Some(e) = obj.instance_ext() {
        return Some(&e.dict);
    }
    if let Some(e) = builtin::exception_data(obj) {
        return Some(&e.dict);
    }
    obj.downcast::<FunctionData>().map(|f| &f.dict)
}

/// The object's `__dict__`, created on first use.
pub fn instance_dict(vm: &Vm, obj: &Obj) -> Option<Obj> {
    let slot = dict_slot(obj)?;
    if let Some(d) = &*slot.borrow() {
        return Some(d.clone());
    }
    let d = builtin::new_dict(vm);
    if obj.instance_ext().is_some() {
        // Part of its instance for the collector until handed out.
        crate::object::gc::untrack_object(&d);
    }
    *slot.borrow_mut() = Some(d.clone());
    Some(d)
}

/// `object.__getattribute__`: data descriptors on the type, then the
/// instance's `__dict__`, then other class attributes (binding them
/// through `__get__`).
pub fn generic_getattr(vm: &Vm, obj: &Obj, name: &Obj) -> PyResult<Obj> {
    match generic_getattr_opt(vm, obj, name)? {
        Some(v) => Ok(v),
        None => Err(no_attribute(vm, obj, name)),
    }
}

pub fn generic_getattr_opt(vm: &Vm, obj: &Obj, name: &Obj) -> PyResult<Option<Obj>> {
    let ty = type_of(obj);
    let key = str_data(name).as_str();
    let attr = lookup(&ty, &key);
    if let Some(a) = &attr {
        let s = type_data_of(a).slots.get();
        if let (Some(get), Some(_)) = (s.descr_get, s.descr_set) {
            return get(vm, a, Some(obj), &ty).map(Some);
        }
    }
    if let Some(slot) = dict_slot(obj) {
        let d = slot.borrow().clone();
        if let Some(d) = d {
            if let Some(v) = builtin::dict_get(vm, &d, name)? {
                return Ok(Some(v));
            }
        }
    }
    if let Some(a) = attr {
        if let Some(get) = type_data_of(&a).slots.get().descr_get {
            return get(vm, &a, Some(obj), &ty).map(Some);
        }
        return Ok(Some(a));
    }
    match &*key {
        "__class__" => Ok(Some(ty)),
        "__dict__" => {
            let d = instance_dict(vm, obj);
            if let (Some(e), Some(d)) = (obj.instance_ext(), &d) {
                e.dict_exposed.set(true);
                crate::object::gc::track_object(d);
            }
            Ok(d)
        }
        _ => Ok(None),
    }
}

/// `object.__setattr__` / `object.__delattr__`.
pub fn generic_setattr(vm: &Vm, obj: &Obj, name: &Obj, value: Option<Obj>) -> PyResult<()> {
    let ty = type_of(obj);
    let key = str_data(name).as_str();
    if let Some(a) = lookup(&ty, &key) {
        if let Some(set) = type_data_of(&a).slots.get().descr_set {
            return set(vm, &a, obj, value);
        }
    }
    if key == "__class__" {
        return set_class(vm, obj, value);
    }
    let Some(d) = instance_dict(vm, obj) else {
        let msg = if lookup(&ty, &key).is_some() {
            format!("'{}' object attribute '{key}' is read-only", type_name(obj))
        } else {
            format!("'{}' object has no attribute '{key}'", type_name(obj))
        };
        return Err(vm.new_error(&vm.types.attribute_error, msg));
    };
    match value {
        Some(v) => builtin::dict_set(vm, &d, name.clone(), v),
        None => {
            if builtin::dict_del(vm, &d, name)? {
                Ok(())
            } else {
                Err(no_attribute(vm, obj, name))
            }
        }
    }
}

/// `obj.__class__ = cls`: only between classes with the same layout.
fn set_class(vm: &Vm, obj: &Obj, value: Option<Obj>) -> PyResult<()> {
    let Some(cls) = value else { return Err(vm.type_error("can't delete __class__ attribute")) };
    let Some(new) = cls.downcast::<TypeData>() else {
        return Err(vm.type_error(format!("__class__ must be set to a class, not '{}' object", type_name(&cls))));
    };
    let old = type_data_of(obj);
    if !old.instances.owns_type || !new.instances.owns_type || !old.instances.same_base(&new.instances) {
        return Err(vm.type_error(format!("__class__ assignment: '{}' object layout differs from '{}'", new.name, old.name)));
    }
    obj.set_type(cls.clone());
    Ok(())
}

/// `type.__getattribute__`: data descriptors of the metatype, then the
/// class's MRO (binding with `__get__(None, cls)`), then the metatype's
/// other attributes.
pub fn type_getattro(vm: &Vm, cls: &Obj, name: &Obj) -> PyResult<Obj> {
    let meta = type_of(cls);
    let key = str_data(name).as_str();
    let meta_attr = lookup(&meta, &key);
    if let Some(a) = &meta_attr {
        let s = type_data_of(a).slots.get();
        if let (Some(get), Some(_)) = (s.descr_get, s.descr_set) {
            return get(vm, a, Some(cls), &meta);
        }
    }
    if let Some(a) = lookup(cls, &key) {
        if let Some(get) = type_data_of(&a).slots.get().descr_get {
            return get(vm, &a, None, cls);
        }
        return Ok(a);
    }
    if let Some(a) = meta_attr {
        if let Some(get) = type_data_of(&a).slots.get().descr_get {
            return get(vm, &a, Some(cls), &meta);
        }
        return Ok(a);
    }
    Err(no_attribute(vm, cls, name))
}

/// `type.__setattr__`: classes defined in Python only; assigning a dunder
/// updates the slots (of the class; subclasses created earlier keep
/// theirs until slot inheritance tracks subclasses).
pub fn type_setattro(vm: &Vm, cls: &Obj, name: &Obj, value: Option<Obj>) -> PyResult<()> {
    let meta = type_of(cls);
    let key = str_data(name).as_str().into_owned();
    if let Some(a) = lookup(&meta, &key) {
        if let Some(set) = type_data_of(&a).slots.get().descr_set {
            return set(vm, &a, cls, value);
        }
    }
    let t = type_data(cls);
    if !t.instances.owns_type {
        return Err(vm.type_error(format!("cannot set '{key}' attribute of immutable type '{}'", t.name)));
    }
    let old = match value {
        Some(v) => t.dict.borrow_mut().insert_returning(&key, v),
        None => match t.dict.borrow_mut().remove(&key) {
            Some(v) => Some(v),
            None => return Err(no_attribute(vm, cls, name)),
        },
    };
    drop(old);
    t.version.set(t.version.get().wrapping_add(1));
    if key.starts_with("__") && key.ends_with("__") {
        let mut slots = t.slots.get();
        install_slot_wrappers(&t.dict.borrow(), &mut slots);
        t.slots.set(slots);
    }
    Ok(())
}

/// The collector's view of a bound method.
pub(crate) fn method_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(m) = o.downcast::<MethodData>() {
        visit(&m.func);
        visit(&m.self_);
    }
}
