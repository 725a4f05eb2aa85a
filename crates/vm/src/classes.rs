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
use crate::types::{c3_mro, is_subtype, lookup, type_data, type_of, AttrMap, Kwargs, Slots, TypeData};
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::{BinaryOp, CompareOp};

/// An instance of a class whose bases are `object` or other such classes.
pub struct InstanceData {
    pub dict: RefCell<AttrMap>,
}

/// A function bound to an instance (`obj.method`).
pub struct MethodData {
    pub func: Obj,
    pub self_: Obj,
}

/// A method of a built-in type, written in Rust (`list.append`).
pub struct MethodDescrData {
    pub name: &'static str,
    pub func: fn(&Vm, &Obj, &[Obj]) -> PyResult<Obj>,
}

pub fn method_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let Some(m) = o.downcast::<MethodData>() else { return Ok(new_str(vm, "<method>")) };
            let fname = m.func.downcast::<FunctionData>().map(|f| str_data(&f.name).as_str().into_owned()).unwrap_or_default();
            let self_repr = builtin::repr_string(vm, &m.self_)?;
            Ok(new_str(vm, &format!("<bound method {}.{fname} of {self_repr}>", type_name(&m.self_))))
        }),
        call: Some(|vm, o, args, kw| {
            let Some(m) = o.downcast::<MethodData>() else { return Err(vm.type_error("not a method")) };
            let mut all = Vec::with_capacity(args.len() + 1);
            all.push(m.self_.clone());
            all.extend_from_slice(args);
            call_object_kw(vm, &m.func, &all, kw)
        }),
        ..builtin::object_slots()
    }
}

pub fn method_descr_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let name = o.downcast::<MethodDescrData>().map_or("?", |m| m.name);
            Ok(new_str(vm, &format!("<method '{name}'>")))
        }),
        // Called through the class: `list.append(l, x)`.
        call: Some(|vm, o, args, kw| {
            let Some(m) = o.downcast::<MethodDescrData>() else { return Err(vm.type_error("not a method")) };
            no_kwargs(vm, m.name, kw)?;
            match args.split_first() {
                Some((self_, rest)) => (m.func)(vm, self_, rest),
                None => Err(vm.type_error(format!("unbound method {}() needs an argument", m.name))),
            }
        }),
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

/// Rejects keyword arguments for a callable that takes none.
pub fn no_kwargs(vm: &Vm, name: &str, kw: Kwargs) -> PyResult<()> {
    if kw.is_empty() {
        Ok(())
    } else {
        Err(vm.type_error(format!("{name}() takes no keyword arguments")))
    }
}

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
    // The instance layout comes from the most derived built-in base.
    let exception_base = bases.iter().any(|b| is_subtype(b, &vm.types.base_exception));
    let layout = if exception_base {
        InstanceLayout::of::<ExceptionData>(true, true)
    } else {
        if let Some(b) = bases.iter().find(|b| !type_data(b).instances.payload_is::<InstanceData>() && !b.is(&vm.types.object)) {
            return Err(vm.type_error(format!("subclassing '{}' is not supported yet", type_data(b).name)));
        }
        InstanceLayout::of::<InstanceData>(true, true)
    };
    // Native slots are inherited from the first base; dunder methods the
    // class defines override them below.
    let mut slots = type_data(&bases[0]).slots;
    if !exception_base {
        slots.new = Some(instance_new);
    }
    let mut dict = AttrMap::default();
    for (k, v) in builtin::dict_items(ns) {
        let Some(key) = k.downcast::<StrData>() else { continue };
        dict.insert(&key.as_str(), v);
    }
    install_slot_wrappers(&dict, &mut slots);
    let ty = alloc(vm.types.type_.clone(), TypeData::new(name, layout, bases.clone(), slots));
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

fn instance_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let obj = alloc(cls.clone(), InstanceData { dict: RefCell::new(AttrMap::default()) });
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
    if has("__call__") {
        slots.call = Some(|vm, o, args, kw| match call_dunder_kw(vm, o, "__call__", args, kw)? {
            Some(r) => Ok(r),
            None => Err(vm.type_error(format!("'{}' object is not callable", type_name(o)))),
        });
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
        if type_data(&tx).slots.python_binary {
            if let Some(f) = lookup(&tx, name) {
                let _ = y;
                return call_object(vm, &f, &[x.clone(), y.clone()]);
            }
            return Ok(vm.not_implemented.clone());
        }
        match type_data(&tx).slots.binary {
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

/// `getattr(obj, name)` (CPython's generic `PyObject_GenericGetAttr`, and
/// `type.__getattribute__` for classes).
pub fn getattr(vm: &Vm, obj: &Obj, name: &Obj) -> PyResult<Obj> {
    let key = str_data(name).as_str().into_owned();
    if obj.downcast::<TypeData>().is_some() {
        if let Some(v) = lookup(obj, &key) {
            return Ok(v);
        }
        if key == "__name__" {
            return Ok(new_str(vm, &type_data(obj).name));
        }
        return Err(vm.new_error(&vm.types.attribute_error, format!("type object '{}' has no attribute '{key}'", type_data(obj).name)));
    }
    if let Some(m) = obj.downcast::<crate::modules::ModuleData>() {
        if let Some(v) = builtin::dict_get(vm, &m.dict, name)? {
            return Ok(v);
        }
        return Err(vm.new_error(&vm.types.attribute_error, format!("module '{}' has no attribute '{key}'", m.name)));
    }
    let ty = type_of(obj);
    let class_attr = lookup(&ty, &key);
    if let Some(d) = instance_dict(obj) {
        if let Some(v) = d.borrow().get(&key) {
            return Ok(v.clone());
        }
    }
    if let Some(attr) = class_attr {
        if attr.downcast::<FunctionData>().is_some() || attr.downcast::<MethodDescrData>().is_some() {
            return Ok(alloc(vm.types.method.clone(), MethodData { func: attr, self_: obj.clone() }));
        }
        return Ok(attr);
    }
    if key == "__class__" {
        return Ok(ty);
    }
    if let Some(e) = builtin::exception_data(obj) {
        if key == "args" {
            return Ok(e.args.borrow().clone());
        }
    }
    if let Some(getattr) = lookup(&ty, "__getattr__") {
        return call_object(vm, &getattr, &[obj.clone(), name.clone()]);
    }
    Err(vm.new_error(&vm.types.attribute_error, format!("'{}' object has no attribute '{key}'", type_name(obj))))
}

/// The attribute map of an instance that has one.
fn instance_dict(obj: &Obj) -> Option<&RefCell<AttrMap>> {
    if let Some(i) = obj.downcast::<InstanceData>() {
        return Some(&i.dict);
    }
    builtin::exception_data(obj).map(|e| &e.dict)
}

pub fn setattr(vm: &Vm, obj: &Obj, name: &Obj, value: Obj) -> PyResult<()> {
    let key = str_data(name).as_str().into_owned();
    if let Some(t) = obj.downcast::<TypeData>() {
        if t.instances.owns_type {
            t.dict.borrow_mut().insert(&key, value);
            t.version.set(t.version.get().wrapping_add(1));
            return Ok(());
        }
        return Err(vm.type_error(format!("cannot set '{key}' attribute of immutable type '{}'", t.name)));
    }
    if let Some(m) = obj.downcast::<crate::modules::ModuleData>() {
        return builtin::dict_set(vm, &m.dict, name.clone(), value);
    }
    match instance_dict(obj) {
        Some(d) => {
            let old = d.borrow_mut().insert_returning(&key, value);
            drop(old);
            Ok(())
        }
        None => Err(vm.new_error(&vm.types.attribute_error, format!("'{}' object has no attribute '{key}'", type_name(obj)))),
    }
}

pub fn delattr(vm: &Vm, obj: &Obj, name: &Obj) -> PyResult<()> {
    let key = str_data(name).as_str().into_owned();
    let removed = match instance_dict(obj) {
        Some(d) => d.borrow_mut().remove(&key),
        None => None,
    };
    match removed {
        Some(_) => Ok(()),
        None => Err(vm.new_error(&vm.types.attribute_error, format!("'{}' object has no attribute '{key}'", type_name(obj)))),
    }
}

/// Adds the Rust-written methods of the built-in types to their dicts.
pub(crate) fn install_builtin_methods(vm: &Vm) {
    let t = &vm.types;
    let add = |ty: &Obj, name: &'static str, func: fn(&Vm, &Obj, &[Obj]) -> PyResult<Obj>| {
        let m = alloc(vm.types.method_descriptor.clone(), MethodDescrData { name, func });
        m.make_immortal();
        type_data(ty).dict.borrow_mut().insert(name, m);
    };
    add(&t.list, "append", |vm, s, a| {
        let [x] = a else { return Err(vm.type_error(format!("list.append() takes exactly one argument ({} given)", a.len()))) };
        list_items(vm, s)?.borrow_mut().push(x.clone());
        Ok(vm.none.clone())
    });
    add(&t.list, "pop", |vm, s, a| {
        let items = list_items(vm, s)?;
        let len = items.borrow().len() as i64;
        let i = match a {
            [] => len - 1,
            [i] => builtin::expect_int(vm, i, "")?,
            _ => return Err(vm.type_error("pop expected at most 1 argument")),
        };
        if len == 0 {
            return Err(vm.new_error(&vm.types.index_error, "pop from empty list"));
        }
        let i = if i < 0 { i + len } else { i };
        if !(0..len).contains(&i) {
            return Err(vm.new_error(&vm.types.index_error, "pop index out of range"));
        }
        let v = items.borrow_mut().remove(i as usize);
        Ok(v)
    });
    add(&t.str_, "upper", |vm, s, _| Ok(new_str(vm, &str_data(s).as_str().to_uppercase())));
    add(&t.str_, "lower", |vm, s, _| Ok(new_str(vm, &str_data(s).as_str().to_lowercase())));
    add(&t.str_, "join", |vm, s, a| {
        let [iterable] = a else { return Err(vm.type_error("join() takes exactly one argument")) };
        let it = ops::iter(vm, iterable)?;
        let mut parts = Vec::new();
        while let Some(x) = ops::next(vm, &it)? {
            match x.downcast::<StrData>() {
                Some(p) => parts.push(p.as_str().into_owned()),
                None => {
                    let msg = format!("sequence item {}: expected str instance, {} found", parts.len(), type_name(&x));
                    return Err(vm.type_error(msg));
                }
            }
        }
        Ok(new_str(vm, &parts.join(&str_data(s).as_str())))
    });
    add(&t.dict, "get", |vm, s, a| {
        let (k, default) = match a {
            [k] => (k, vm.none.clone()),
            [k, d] => (k, d.clone()),
            _ => return Err(vm.type_error("get expected 1 or 2 arguments")),
        };
        Ok(builtin::dict_get(vm, s, k)?.unwrap_or(default))
    });
}

fn list_items<'a>(vm: &Vm, s: &'a Obj) -> PyResult<&'a RefCell<Vec<Obj>>> {
    match s.downcast::<builtin::ListData>() {
        Some(l) => Ok(&l.items),
        None => Err(vm.type_error(format!("descriptor requires a 'list' object but received a '{}'", type_name(s)))),
    }
}
