//! `_abc`: the accelerator of `abc.ABCMeta` (CPython's `Modules/_abc.c`).
//! Each abstract class holds an `_abc_impl` (`_abc_data`) with its
//! registry, positive cache and negative cache, all weak sets of classes,
//! and the invalidation counter value its negative cache is valid for;
//! `register` bumps the interpreter-wide counter (`get_cache_token`).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{exact, FunctionDef};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::ops;
use taipan_vm::types::builtin::{dict_items, new_set, new_tuple, object_slots, IntData, TupleData};
use taipan_vm::types::{type_data, type_of, Collection, Kwargs, Slots, TypeData};
use taipan_vm::weakref::WeakRefData;
use taipan_vm::{classes, PyResult, Vm};

use crate::util;

/// The interpreter's ABC invalidation counter.
#[derive(Default)]
struct AbcState {
    counter: Cell<u64>,
}

/// A weak set of classes keyed by address; an entry counts only while its
/// weakref still points at the same object.
#[derive(Default)]
struct WeakSet {
    refs: RefCell<HashMap<usize, Obj>>,
}

impl WeakSet {
    fn contains(&self, o: &Obj) -> bool {
        let w = self.refs.borrow().get(&(o.as_ptr() as usize)).cloned();
        w.and_then(|w| w.downcast::<WeakRefData>().and_then(|d| d.get())).is_some_and(|r| r.is(o))
    }

    fn add(&self, vm: &Vm, o: &Obj) -> PyResult<()> {
        let w = ops::call(vm, &vm.types.weakref, std::slice::from_ref(o))?;
        let old = self.refs.borrow_mut().insert(o.as_ptr() as usize, w);
        drop(old);
        Ok(())
    }

    fn clear(&self) {
        let old = std::mem::take(&mut *self.refs.borrow_mut());
        drop(old);
    }

    fn live(&self) -> Vec<Obj> {
        let refs: Vec<Obj> = self.refs.borrow().values().cloned().collect();
        refs.into_iter().filter(|w| w.downcast::<WeakRefData>().and_then(|d| d.get()).is_some()).collect()
    }

    fn referents(&self) -> Vec<Obj> {
        let refs: Vec<Obj> = self.refs.borrow().values().cloned().collect();
        refs.iter().filter_map(|w| w.downcast::<WeakRefData>().and_then(|d| d.get())).collect()
    }
}

/// `_abc._abc_data`.
#[derive(Default)]
pub struct AbcData {
    registry: WeakSet,
    cache: WeakSet,
    negative: WeakSet,
    negative_version: Cell<u64>,
}

fn abc_data_type(vm: &Vm) -> Obj {
    vm.native_type("_abc._abc_data", |vm| {
        let slots = Slots {
            new: Some(|vm, cls, _args, _kw| {
                let counter = vm.state::<AbcState>().counter.get();
                Ok(alloc(cls.clone(), AbcData { negative_version: Cell::new(counter), ..AbcData::default() }))
            }),
            ..object_slots()
        };
        taipan_vm::native::new_type::<AbcData>(vm, "_abc._abc_data", &[], false, slots, &[], &[])
    })
}

fn get_impl(vm: &Vm, cls: &Obj) -> PyResult<Obj> {
    let imp = util::getattr(vm, cls, "_abc_impl")?;
    if imp.downcast::<AbcData>().is_none() {
        return Err(vm.type_error("_abc_impl is set to a wrong type"));
    }
    Ok(imp)
}

fn data(o: &Obj) -> &AbcData {
    match o.downcast::<AbcData>() {
        Some(d) => d,
        None => unreachable!("checked by get_impl"),
    }
}

fn is_abstract(vm: &Vm, value: &Obj) -> PyResult<bool> {
    match util::getattr_opt(vm, value, "__isabstractmethod__")? {
        Some(v) => ops::truth(vm, &v),
        None => Ok(false),
    }
}

/// `_abc_init(cls)`: computes `__abstractmethods__` and creates the
/// class's `_abc_impl`.
fn abc_init(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [cls] = exact::<1>(vm, "_abc_init", args, kw)?;
    let mut names: Vec<Obj> = Vec::new();
    let ns = util::getattr(vm, &cls, "__dict__")?;
    let items = match ns.downcast::<taipan_vm::types::builtin::DictData>() {
        Some(_) => dict_items(&ns),
        None => {
            let it = util::call_method(vm, &ns, "items", &[])?;
            let mut v = Vec::new();
            for pair in taipan_vm::sequence::to_vec(vm, &it)? {
                let kv = taipan_vm::sequence::to_vec(vm, &pair)?;
                if kv.len() == 2 {
                    v.push((kv[0].clone(), kv[1].clone()));
                }
            }
            v
        }
    };
    for (k, v) in items {
        if is_abstract(vm, &v)? {
            names.push(k);
        }
    }
    let bases = util::getattr(vm, &cls, "__bases__")?;
    let Some(bases) = bases.downcast::<TupleData>() else { return Err(vm.type_error("__bases__ is not tuple")) };
    for base in bases.items.iter() {
        let Some(inherited) = util::getattr_opt(vm, base, "__abstractmethods__")? else { continue };
        for name in taipan_vm::sequence::to_vec(vm, &inherited)? {
            let value = classes::getattr_opt(vm, &cls, &name)?;
            if let Some(value) = value {
                if is_abstract(vm, &value)? && !names.iter().any(|n| n.is(&name) || str_eq(n, &name)) {
                    names.push(name);
                }
            }
        }
    }
    let frozen = ops::call(vm, &vm.types.frozenset, &[new_tuple(vm, names)])?;
    classes::setattr(vm, &cls, &vm.intern("__abstractmethods__"), frozen)?;
    let imp = alloc(abc_data_type(vm), AbcData { negative_version: Cell::new(vm.state::<AbcState>().counter.get()), ..AbcData::default() });
    classes::setattr(vm, &cls, &vm.intern("_abc_impl"), imp)?;
    // collections.abc marks Sequence/Mapping for pattern matching with
    // `__abc_tpflags__`; the flag lives on the type in CPython and the
    // key is removed from the namespace.
    let flags = if cls.downcast::<TypeData>().is_some() { type_data(&cls).dict.borrow().get("__abc_tpflags__").cloned() } else { None };
    if let Some(flags) = flags {
        if let Some(IntData::Small(f)) = flags.downcast::<IntData>() {
            // CPython's Py_TPFLAGS_SEQUENCE and Py_TPFLAGS_MAPPING bits.
            let kind = match (f & (1 << 5) != 0, f & (1 << 6) != 0) {
                (true, false) => Collection::Sequence,
                (false, true) => Collection::Mapping,
                _ => Collection::Neither,
            };
            type_data(&cls).collection.set(kind);
        }
        classes::delattr(vm, &cls, &vm.intern("__abc_tpflags__"))?;
    }
    Ok(vm.none.clone())
}

fn str_eq(a: &Obj, b: &Obj) -> bool {
    match (a.downcast::<taipan_vm::types::builtin::StrData>(), b.downcast::<taipan_vm::types::builtin::StrData>()) {
        (Some(x), Some(y)) => x.bytes() == y.bytes(),
        _ => false,
    }
}

/// `_abc_register(cls, subclass)`.
fn abc_register(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [cls, sub] = exact::<2>(vm, "_abc_register", args, kw)?;
    if sub.downcast::<TypeData>().is_none() {
        return Err(vm.type_error("Can only register classes"));
    }
    if classes::issubclass(vm, &sub, &cls)? {
        return Ok(sub);
    }
    if classes::issubclass(vm, &cls, &sub)? {
        return Err(vm.new_error(&vm.types.runtime_error, "Refusing to create an inheritance cycle"));
    }
    let imp = get_impl(vm, &cls)?;
    data(&imp).registry.add(vm, &sub)?;
    let st = vm.state::<AbcState>();
    st.counter.set(st.counter.get() + 1);
    // Registering with Sequence/Mapping makes `match` treat the class
    // (and its subclasses) as one.
    if cls.downcast::<TypeData>().is_some() {
        let kind = type_data(&cls).collection.get();
        if kind != Collection::Neither {
            set_collection_recursive(&sub, kind);
        }
    }
    Ok(sub)
}

fn set_collection_recursive(ty: &Obj, kind: Collection) {
    let t = type_data(ty);
    if !t.instances.owns_type || t.collection.get() == kind {
        return;
    }
    t.collection.set(kind);
    let subs: Vec<Obj> = taipan_vm::types::subclasses(ty);
    for s in &subs {
        set_collection_recursive(s, kind);
    }
}

/// `_abc_instancecheck(cls, instance)`.
fn abc_instancecheck(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [cls, instance] = exact::<2>(vm, "_abc_instancecheck", args, kw)?;
    let imp = get_impl(vm, &cls)?;
    let d = data(&imp);
    let subclass = util::getattr(vm, &instance, "__class__")?;
    if d.cache.contains(&subclass) {
        return Ok(vm.true_.clone());
    }
    let subtype = type_of(&instance);
    if subtype.is(&subclass) {
        if d.negative_version.get() == vm.state::<AbcState>().counter.get() && d.negative.contains(&subclass) {
            return Ok(vm.false_.clone());
        }
        return util::call_method(vm, &cls, "__subclasscheck__", &[subclass]);
    }
    let r = util::call_method(vm, &cls, "__subclasscheck__", &[subclass])?;
    if ops::truth(vm, &r)? {
        return Ok(r);
    }
    util::call_method(vm, &cls, "__subclasscheck__", &[subtype])
}

/// `_abc_subclasscheck(cls, subclass)`.
fn abc_subclasscheck(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [cls, sub] = exact::<2>(vm, "_abc_subclasscheck", args, kw)?;
    if sub.downcast::<TypeData>().is_none() {
        return Err(vm.type_error("issubclass() arg 1 must be a class"));
    }
    let imp = get_impl(vm, &cls)?;
    let d = data(&imp);
    if d.cache.contains(&sub) {
        return Ok(vm.true_.clone());
    }
    let counter = vm.state::<AbcState>().counter.get();
    if d.negative_version.get() < counter {
        d.negative.clear();
        d.negative_version.set(counter);
    } else if d.negative.contains(&sub) {
        return Ok(vm.false_.clone());
    }
    let ok = util::call_method(vm, &cls, "__subclasshook__", std::slice::from_ref(&sub))?;
    if ok.is(&vm.true_) {
        d.cache.add(vm, &sub)?;
        return Ok(ok);
    }
    if ok.is(&vm.false_) {
        d.negative.add(vm, &sub)?;
        return Ok(ok);
    }
    if !ok.is(&vm.not_implemented) {
        return Err(vm.new_error(&vm.types.assertion_error, "__subclasshook__ must return either False, True, or NotImplemented"));
    }
    let mro = type_data(&sub).mro.borrow().clone();
    if mro.iter().any(|t| t.is(&cls)) {
        d.cache.add(vm, &sub)?;
        return Ok(vm.true_.clone());
    }
    for rcls in d.registry.referents() {
        if classes::issubclass(vm, &sub, &rcls)? {
            d.cache.add(vm, &sub)?;
            return Ok(vm.true_.clone());
        }
    }
    let subclasses = util::call_method(vm, &cls, "__subclasses__", &[])?;
    for scls in taipan_vm::sequence::to_vec(vm, &subclasses)? {
        if classes::issubclass(vm, &sub, &scls)? {
            d.cache.add(vm, &sub)?;
            return Ok(vm.true_.clone());
        }
    }
    d.negative.add(vm, &sub)?;
    Ok(vm.false_.clone())
}

fn get_dump(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [cls] = exact::<1>(vm, "_get_dump", args, kw)?;
    let imp = get_impl(vm, &cls)?;
    let d = data(&imp);
    Ok(new_tuple(
        vm,
        vec![
            new_set(vm, d.registry.live())?,
            new_set(vm, d.cache.live())?,
            new_set(vm, d.negative.live())?,
            vm.int(d.negative_version.get() as i64),
        ],
    ))
}

fn reset_registry(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [cls] = exact::<1>(vm, "_reset_registry", args, kw)?;
    data(&get_impl(vm, &cls)?).registry.clear();
    Ok(vm.none.clone())
}

fn reset_caches(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [cls] = exact::<1>(vm, "_reset_caches", args, kw)?;
    let imp = get_impl(vm, &cls)?;
    data(&imp).cache.clear();
    data(&imp).negative.clear();
    Ok(vm.none.clone())
}

fn get_cache_token(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "get_cache_token", args, kw)?;
    Ok(vm.int(vm.state::<AbcState>().counter.get() as i64))
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("get_cache_token", get_cache_token, "Returns the current ABC cache token."),
    FunctionDef::new("_abc_init", abc_init, "Internal ABC helper for class set-up. Should be never used outside abc module."),
    FunctionDef::new(
        "_abc_register",
        abc_register,
        "Internal ABC helper for subclasss registration. Should be never used outside abc module.",
    ),
    FunctionDef::new(
        "_abc_instancecheck",
        abc_instancecheck,
        "Internal ABC helper for instance checks. Should be never used outside abc module.",
    ),
    FunctionDef::new(
        "_abc_subclasscheck",
        abc_subclasscheck,
        "Internal ABC helper for subclasss checks. Should be never used outside abc module.",
    ),
    FunctionDef::new("_get_dump", get_dump, "Internal ABC helper for cache and registry debugging."),
    FunctionDef::new("_reset_registry", reset_registry, "Internal ABC helper to reset registry of a given class."),
    FunctionDef::new("_reset_caches", reset_caches, "Internal ABC helper to reset both caches of a given class."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "_abc_data", abc_data_type(vm))?;
    Ok(())
}
