//! The descriptor types of the type system: `property`, `classmethod`,
//! `staticmethod`, `super`, member descriptors (`__slots__`), and the slot
//! wrappers that expose the built-in types' slots as dunder methods
//! (`int.__add__`, `object.__init__`: `wrapper_descriptor`, bound as
//! `method-wrapper`).

use std::cell::{Cell, RefCell};

use crate::classes::{call_object, call_object_kw, generic_getattr, getattr_opt, no_attribute};
use crate::native::{bind, GetSetDef, MethodDef, Params};
use crate::object::{alloc, Obj};
use crate::types::builtin::{self, new_str, repr_string, str_data, type_name, StrData};
use crate::types::{is_subtype, type_data, type_data_of, type_of, Kwargs, Slots, TypeData};
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::{BinaryOp, CompareOp};

fn none_to_opt(vm: &Vm, o: Option<Obj>) -> Option<Obj> {
    o.filter(|x| !x.is(&vm.none))
}

fn opt_or_none(vm: &Vm, o: &RefCell<Option<Obj>>) -> Obj {
    o.borrow().clone().unwrap_or_else(|| vm.none.clone())
}

// ---------------------------------------------------------------- property

#[derive(Default)]
pub struct PropertyData {
    fget: RefCell<Option<Obj>>,
    fset: RefCell<Option<Obj>>,
    fdel: RefCell<Option<Obj>>,
    doc: RefCell<Option<Obj>>,
    /// The doc came from the getter (a new getter replaces it).
    getter_doc: Cell<bool>,
    /// Set by `__set_name__`, for error messages.
    name: RefCell<Option<Obj>>,
}

fn prop<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a PropertyData> {
    o.downcast::<PropertyData>()
        .ok_or_else(|| vm.type_error(format!("descriptor requires a 'property' object but received a '{}'", type_name(o))))
}

/// `property 'x' of 'C' object has no getter` (the name when known).
fn property_error(vm: &Vm, p: &PropertyData, obj: &Obj, what: &str) -> crate::PyErr {
    let qualname = crate::types::qualname(vm, &crate::types::type_of(obj));
    let owner = match qualname.downcast::<StrData>() {
        Some(q) => q.as_str().into_owned(),
        None => type_name(obj).to_string(),
    };
    let msg = match &*p.name.borrow() {
        Some(n) if n.downcast::<StrData>().is_some() => format!("property '{}' of '{owner}' object has no {what}", str_data(n).as_str()),
        _ => format!("property of '{owner}' object has no {what}"),
    };
    vm.new_error(&vm.types.attribute_error, msg)
}

pub fn property_slots() -> Slots {
    Slots {
        new: Some(|_, cls, _, _| Ok(alloc(cls.clone(), PropertyData::default()))),
        init: Some(|vm, this, args, kw| {
            static P: Params = Params { fname: "property", names: &["fget", "fset", "fdel", "doc"], posonly: 0, kwonly: 0, required: 0 };
            let [fget, fset, fdel, doc] = bind::<4>(vm, &P, args, kw)?;
            let p = prop(vm, this)?;
            let fget = none_to_opt(vm, fget);
            let mut doc = none_to_opt(vm, doc);
            let mut getter_doc = false;
            if doc.is_none() {
                if let Some(g) = &fget {
                    doc = none_to_opt(vm, getattr_opt(vm, g, &vm.intern("__doc__"))?);
                    getter_doc = doc.is_some();
                }
            }
            drop(p.fget.replace(fget));
            drop(p.fset.replace(none_to_opt(vm, fset)));
            drop(p.fdel.replace(none_to_opt(vm, fdel)));
            p.getter_doc.set(getter_doc);
            if type_of(this).is(&vm.types.property) {
                drop(p.doc.replace(doc));
            } else {
                // A subclass's own `__doc__` (its class docstring) would
                // shadow the slot: the doc goes into the instance's
                // `__dict__` (an AttributeError with `__slots__`, as 3.11).
                drop(p.doc.replace(None));
                let doc = doc.unwrap_or_else(|| vm.none.clone());
                crate::classes::setattr(vm, this, &vm.intern("__doc__"), doc)?;
            }
            Ok(vm.none.clone())
        }),
        descr_get: Some(|vm, d, obj, _owner| {
            let p = prop(vm, d)?;
            let Some(obj) = obj else { return Ok(d.clone()) };
            let fget = p.fget.borrow().clone();
            match fget {
                Some(f) => call_object(vm, &f, std::slice::from_ref(obj)),
                None => Err(property_error(vm, p, obj, "getter")),
            }
        }),
        descr_set: Some(|vm, d, obj, value| {
            let p = prop(vm, d)?;
            match value {
                Some(v) => match p.fset.borrow().clone() {
                    Some(f) => call_object(vm, &f, &[obj.clone(), v]).map(|_| ()),
                    None => Err(property_error(vm, p, obj, "setter")),
                },
                None => match p.fdel.borrow().clone() {
                    Some(f) => call_object(vm, &f, std::slice::from_ref(obj)).map(|_| ()),
                    None => Err(property_error(vm, p, obj, "deleter")),
                },
            }
        }),
        ..builtin::object_slots()
    }
}

/// `getter`/`setter`/`deleter`: a copy of the property (made by calling
/// its type, as CPython does) with one function replaced.
fn property_copy(vm: &Vm, this: &Obj, which: usize, f: &Obj) -> PyResult<Obj> {
    let p = prop(vm, this)?;
    let mut fns = [opt_or_none(vm, &p.fget), opt_or_none(vm, &p.fset), opt_or_none(vm, &p.fdel)];
    fns[which] = f.clone();
    // A doc taken from the getter is taken again from the new one.
    let doc = if p.getter_doc.get() && !fns[0].is(&vm.none) { vm.none.clone() } else { opt_or_none(vm, &p.doc) };
    let [a, b, c] = fns;
    let new = call_object(vm, &type_of(this), &[a, b, c, doc])?;
    if let Some(np) = new.downcast::<PropertyData>() {
        drop(np.name.replace(p.name.borrow().clone()));
    }
    Ok(new)
}

pub static PROPERTY_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "getter",
        |vm, this, a, kw| {
            let [f] = crate::native::exact::<1>(vm, "getter", a, kw)?;
            property_copy(vm, this, 0, &f)
        },
        "Descriptor to obtain a copy of the property with a different getter.",
    ),
    MethodDef::method(
        "setter",
        |vm, this, a, kw| {
            let [f] = crate::native::exact::<1>(vm, "setter", a, kw)?;
            property_copy(vm, this, 1, &f)
        },
        "Descriptor to obtain a copy of the property with a different setter.",
    ),
    MethodDef::method(
        "deleter",
        |vm, this, a, kw| {
            let [f] = crate::native::exact::<1>(vm, "deleter", a, kw)?;
            property_copy(vm, this, 2, &f)
        },
        "Descriptor to obtain a copy of the property with a different deleter.",
    ),
    MethodDef::method(
        "__set_name__",
        |vm, this, a, kw| {
            if a.len() != 2 {
                return Err(vm.type_error(format!("__set_name__() takes 2 positional arguments but {} were given", a.len())));
            }
            let [_owner, name] = crate::native::exact::<2>(vm, "__set_name__", a, kw)?;
            drop(prop(vm, this)?.name.replace(Some(name)));
            Ok(vm.none.clone())
        },
        "Method to set name of a property.",
    ),
];

pub static PROPERTY_GETSETS: &[GetSetDef] = &[
    // Read-only members in CPython ("readonly attribute").
    GetSetDef::new("fget", |vm, o| Ok(opt_or_none(vm, &prop(vm, o)?.fget)), readonly_member, ""),
    GetSetDef::new("fset", |vm, o| Ok(opt_or_none(vm, &prop(vm, o)?.fset)), readonly_member, ""),
    GetSetDef::new("fdel", |vm, o| Ok(opt_or_none(vm, &prop(vm, o)?.fdel)), readonly_member, ""),
    GetSetDef::new(
        "__doc__",
        |vm, o| Ok(opt_or_none(vm, &prop(vm, o)?.doc)),
        |vm, o, v| {
            drop(prop(vm, o)?.doc.replace(v));
            Ok(())
        },
        "",
    ),
    GetSetDef::readonly(
        "__isabstractmethod__",
        |vm, o| {
            let p = prop(vm, o)?;
            for f in [&p.fget, &p.fset, &p.fdel] {
                let f = f.borrow().clone();
                if let Some(f) = f {
                    if is_abstract(vm, &f)? {
                        return Ok(vm.true_.clone());
                    }
                }
            }
            Ok(vm.false_.clone())
        },
        "",
    ),
];

/// The setter of a read-only member (`T_OBJECT` with `READONLY`).
fn readonly_member(vm: &Vm, _: &Obj, _: Option<Obj>) -> PyResult<()> {
    Err(vm.new_error(&vm.types.attribute_error, "readonly attribute"))
}

/// `getattr(f, '__isabstractmethod__', False)` is true.
pub fn is_abstract(vm: &Vm, f: &Obj) -> PyResult<bool> {
    match getattr_opt(vm, f, &vm.intern("__isabstractmethod__"))? {
        Some(v) => crate::ops::truth(vm, &v),
        None => Ok(false),
    }
}

// ------------------------------------------------- classmethod, staticmethod

/// The payload of `classmethod` and `staticmethod` objects.
pub struct WrappedFunc {
    pub func: RefCell<Obj>,
    pub dict: RefCell<Option<Obj>>,
}

fn wrapped(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    match o.downcast::<WrappedFunc>() {
        Some(w) => Ok(w.func.borrow().clone()),
        None => Err(vm.type_error("uninitialized classmethod or staticmethod object")),
    }
}

fn new_wrapped(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let name = &*type_data(cls).name;
    let base = if is_subtype(cls, &vm.types.classmethod) { "classmethod" } else { "staticmethod" };
    if !kw.is_empty() {
        return Err(vm.type_error(format!("{base}() takes no keyword arguments")));
    }
    let [f] = args else { return Err(vm.type_error(format!("{name} expected 1 argument, got {}", args.len()))) };
    Ok(alloc(cls.clone(), WrappedFunc { func: RefCell::new(f.clone()), dict: RefCell::new(None) }))
}

/// `classmethod.__init__(f)` / `staticmethod.__init__(f)`: (re)binds the
/// callable, so subclasses can call `super().__init__(f)`.
fn init_wrapped(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let cls = type_of(this);
    let name = &*type_data(&cls).name;
    let base = if is_subtype(&cls, &vm.types.classmethod) { "classmethod" } else { "staticmethod" };
    if !kw.is_empty() {
        return Err(vm.type_error(format!("{base}() takes no keyword arguments")));
    }
    let [f] = args else { return Err(vm.type_error(format!("{name} expected 1 argument, got {}", args.len()))) };
    let w = this.downcast::<WrappedFunc>().ok_or_else(|| vm.type_error(format!("descriptor '__init__' requires a '{base}' object")))?;
    drop(w.func.replace(f.clone()));
    copy_wrapped_attrs(vm, this, f)?;
    Ok(vm.none.clone())
}

/// Copies `__module__`, `__name__`, `__qualname__`, `__doc__` and
/// `__annotations__` of the wrapped callable into the classmethod's or
/// staticmethod's own `__dict__` (3.10+, CPython's `functools_wraps`);
/// attributes the callable lacks are skipped.
fn copy_wrapped_attrs(vm: &Vm, this: &Obj, f: &Obj) -> PyResult<()> {
    let Some(dict) = crate::classes::instance_dict(vm, this) else { return Ok(()) };
    for name in ["__module__", "__name__", "__qualname__", "__doc__", "__annotations__"] {
        let key = vm.intern(name);
        match crate::classes::getattr(vm, f, &key) {
            Ok(v) => builtin::dict_set(vm, &dict, key, v)?,
            Err(e) if is_subtype(&type_of(&e.exc), &vm.types.attribute_error) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn wrapped_dict(o: &Obj) -> Option<&RefCell<Option<Obj>>> {
    o.downcast::<WrappedFunc>().map(|w| &w.dict)
}

fn wrapped_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(w) = o.downcast::<WrappedFunc>() {
        if let Ok(f) = w.func.try_borrow() {
            visit(&f);
        }
        if let Ok(d) = w.dict.try_borrow() {
            if let Some(d) = &*d {
                visit(d);
            }
        }
    }
}

fn wrapped_clear(o: &Obj) {
    if let Some(w) = o.downcast::<WrappedFunc>() {
        let d = w.dict.try_borrow_mut().ok().and_then(|mut d| d.take());
        drop(d);
    }
}

pub fn classmethod_slots() -> Slots {
    Slots {
        new: Some(new_wrapped),
        init: Some(init_wrapped),
        dict: Some(wrapped_dict),
        traverse: Some(wrapped_traverse),
        clear: Some(wrapped_clear),
        repr: Some(|vm, o| Ok(new_str(vm, &format!("<classmethod({})>", repr_string(vm, &wrapped(vm, o)?)?)))),
        descr_get: Some(|vm, d, obj, owner| {
            let f = wrapped(vm, d)?;
            let cls = match obj {
                Some(o) if owner.is(&vm.none) => type_of(o),
                _ => owner.clone(),
            };
            // 3.9+: a wrapped descriptor is bound through its own `__get__`.
            match type_data_of(&f).slots.get().descr_get {
                Some(get) => get(vm, &f, Some(&cls), &cls),
                None => Ok(alloc(vm.types.method.clone(), crate::classes::MethodData { func: f, self_: cls })),
            }
        }),
        ..builtin::object_slots()
    }
}

pub fn staticmethod_slots() -> Slots {
    Slots {
        new: Some(new_wrapped),
        init: Some(init_wrapped),
        dict: Some(wrapped_dict),
        traverse: Some(wrapped_traverse),
        clear: Some(wrapped_clear),
        repr: Some(|vm, o| Ok(new_str(vm, &format!("<staticmethod({})>", repr_string(vm, &wrapped(vm, o)?)?)))),
        descr_get: Some(|vm, d, _, _| wrapped(vm, d)),
        call: Some(|vm, o, args, kw| call_object_kw(vm, &wrapped(vm, o)?, args, kw)),
        ..builtin::object_slots()
    }
}

pub static WRAPPED_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("__func__", wrapped, ""),
    GetSetDef::readonly("__wrapped__", wrapped, ""),
    GetSetDef::readonly("__isabstractmethod__", |vm, o| Ok(vm.bool(is_abstract(vm, &wrapped(vm, o)?)?)), ""),
    GetSetDef::readonly("__dict__", |vm, o| Ok(crate::classes::instance_dict(vm, o).unwrap_or_else(|| vm.none.clone())), ""),
];

// ------------------------------------------------------------------- super

pub struct SuperData {
    /// The class after which the MRO search starts.
    pub this_class: Obj,
    pub obj: Option<Obj>,
    /// The type whose MRO is searched (`obj`, or `type(obj)`).
    pub obj_type: Option<Obj>,
}

fn super_data<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a SuperData> {
    o.downcast::<SuperData>().ok_or_else(|| vm.type_error("super object expected"))
}

/// `super(type, obj)`: `obj` must be an instance or subclass of `type`.
fn super_check(vm: &Vm, ty: &Obj, obj: &Obj) -> PyResult<Obj> {
    if obj.downcast::<TypeData>().is_some() && is_subtype(obj, ty) {
        return Ok(obj.clone());
    }
    let t = type_of(obj);
    if is_subtype(&t, ty) {
        return Ok(t);
    }
    Err(vm.type_error("super(type, obj): obj must be an instance or subtype of type"))
}

pub fn super_slots() -> Slots {
    Slots {
        new: Some(|vm, cls, args, kw| {
            if !kw.is_empty() {
                return Err(vm.type_error("super() takes no keyword arguments"));
            }
            let (ty, obj) = match args {
                [] => return Err(vm.new_error(&vm.types.runtime_error, "super(): no arguments")),
                [t] => (t, None),
                [t, o] if o.is(&vm.none) => (t, None),
                [t, o] => (t, Some(o.clone())),
                _ => return Err(vm.type_error(format!("super() expected at most 2 arguments, got {}", args.len()))),
            };
            if ty.downcast::<TypeData>().is_none() {
                return Err(vm.type_error(format!("super() argument 1 must be a type, not {}", type_name(ty))));
            }
            let obj_type = match &obj {
                Some(o) => Some(super_check(vm, ty, o)?),
                None => None,
            };
            Ok(alloc(cls.clone(), SuperData { this_class: ty.clone(), obj, obj_type }))
        }),
        repr: Some(|vm, o| {
            let s = super_data(vm, o)?;
            let t = format!("<class '{}'>", type_data(&s.this_class).name);
            match &s.obj_type {
                Some(ot) => Ok(new_str(vm, &format!("<super: {t}, <{} object>>", type_data(ot).name))),
                None => Ok(new_str(vm, &format!("<super: {t}, NULL>"))),
            }
        }),
        getattro: Some(super_getattro),
        descr_get: Some(|vm, d, obj, _owner| {
            let s = super_data(vm, d)?;
            match obj {
                Some(o) if s.obj.is_none() && !o.is(&vm.none) => {
                    let obj_type = super_check(vm, &s.this_class, o)?;
                    Ok(alloc(type_of(d), SuperData { this_class: s.this_class.clone(), obj: Some(o.clone()), obj_type: Some(obj_type) }))
                }
                _ => Ok(d.clone()),
            }
        }),
        ..builtin::object_slots()
    }
}

/// Attribute lookup on a `super` object: along the MRO of the object's
/// type, after the class `super` was given; `__class__` and the super
/// object's own attributes otherwise.
fn super_getattro(vm: &Vm, su: &Obj, name: &Obj) -> PyResult<Obj> {
    let s = super_data(vm, su)?;
    let key = str_data(name).as_str();
    if let (Some(obj), Some(start)) = (&s.obj, &s.obj_type) {
        if key != "__class__" {
            let mro = type_data(start).mro.borrow().clone();
            let after = mro.iter().position(|t| t.is(&s.this_class)).map_or(mro.len(), |i| i + 1);
            for t in &mro[after..] {
                let found = type_data(t).dict.borrow().get(&key).cloned();
                if let Some(v) = found {
                    return match type_data_of(&v).slots.get().descr_get {
                        Some(get) => {
                            let inst = if obj.is(start) { None } else { Some(obj) };
                            get(vm, &v, inst, start)
                        }
                        None => Ok(v),
                    };
                }
            }
        }
    }
    generic_getattr(vm, su, name)
}

pub static SUPER_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("__thisclass__", |vm, o| Ok(super_data(vm, o)?.this_class.clone()), "the class invoking super()"),
    GetSetDef::readonly("__self__", |vm, o| Ok(super_data(vm, o)?.obj.clone().unwrap_or_else(|| vm.none.clone())), ""),
    GetSetDef::readonly("__self_class__", |vm, o| Ok(super_data(vm, o)?.obj_type.clone().unwrap_or_else(|| vm.none.clone())), ""),
];

// ------------------------------------------------------- member descriptors

/// A `__slots__` entry: instances keep the value in their member slot
/// `index` (in `InstanceExt::members`).
pub struct MemberData {
    pub name: Obj,
    pub owner: Obj,
    pub index: usize,
    /// Read-only members (struct-sequence fields) refuse assignment.
    pub readonly: bool,
}

fn member_check<'a>(vm: &Vm, d: &'a Obj, obj: &Obj) -> PyResult<&'a MemberData> {
    let Some(m) = d.downcast::<MemberData>() else { return Err(vm.type_error("member descriptor expected")) };
    if !is_subtype(&type_of(obj), &m.owner) {
        return Err(vm.type_error(format!(
            "descriptor '{}' for '{}' objects doesn't apply to a '{}' object",
            str_data(&m.name).as_str(),
            type_data(&m.owner).name,
            type_name(obj)
        )));
    }
    Ok(m)
}

pub fn member_slots() -> Slots {
    Slots {
        // The owner (a class with `__slots__`: a cycle through its dict).
        traverse: Some(|o, visit| {
            if let Some(m) = o.downcast::<MemberData>() {
                visit(&m.owner);
            }
        }),
        repr: Some(|vm, o| match o.downcast::<MemberData>() {
            Some(m) => Ok(new_str(vm, &format!("<member '{}' of '{}' objects>", str_data(&m.name).as_str(), type_data(&m.owner).name))),
            None => Ok(new_str(vm, "<member>")),
        }),
        descr_get: Some(|vm, d, obj, _| {
            let Some(obj) = obj else { return Ok(d.clone()) };
            let m = member_check(vm, d, obj)?;
            let v = obj.instance_ext().and_then(|e| e.members.borrow().get(m.index).cloned().flatten());
            v.ok_or_else(|| no_attribute(vm, obj, &m.name))
        }),
        descr_set: Some(|vm, d, obj, value| {
            let m = member_check(vm, d, obj)?;
            if m.readonly {
                return Err(vm.new_error(&vm.types.attribute_error, "readonly attribute"));
            }
            let Some(ext) = obj.instance_ext() else { return Err(no_attribute(vm, obj, &m.name)) };
            let mut members = ext.members.borrow_mut();
            if members.len() <= m.index {
                members.resize(m.index + 1, None);
            }
            let deleting = value.is_none();
            let old = std::mem::replace(&mut members[m.index], value);
            drop(members);
            if deleting && old.is_none() {
                return Err(vm.new_error(&vm.types.attribute_error, str_data(&m.name).as_str().into_owned()));
            }
            drop(old);
            Ok(())
        }),
        ..builtin::object_slots()
    }
}

pub static MEMBER_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly(
        "__name__",
        |vm, o| o.downcast::<MemberData>().map(|m| m.name.clone()).ok_or_else(|| vm.type_error("member expected")),
        "",
    ),
    GetSetDef::readonly(
        "__objclass__",
        |vm, o| o.downcast::<MemberData>().map(|m| m.owner.clone()).ok_or_else(|| vm.type_error("member expected")),
        "",
    ),
    GetSetDef::readonly(
        "__qualname__",
        |vm, o| {
            let m = o.downcast::<MemberData>().ok_or_else(|| vm.type_error("member expected"))?;
            let q = crate::types::qualname(vm, &m.owner);
            Ok(new_str(vm, &format!("{}.{}", str_data(&q).as_str(), str_data(&m.name).as_str())))
        },
        "",
    ),
    GetSetDef::readonly("__doc__", |vm, _| Ok(vm.none.clone()), ""),
];

// ------------------------------------------------------------ slot wrappers

/// Which slot a `wrapper_descriptor` calls.
#[derive(Clone, Copy)]
pub enum Wrap {
    Repr,
    Str,
    Hash,
    Bool,
    Binary(BinaryOp),
    /// The reflected operator (`__radd__`): the operands swapped.
    RBinary(BinaryOp),
    Compare(CompareOp),
    Call,
    Init,
    Iter,
    Next,
    GetAttr,
    SetAttr,
    DelAttr,
    Get,
    Set,
    Delete,
}

/// `wrapper_descriptor`: a slot of a built-in type as a dunder method.
pub struct WrapperData {
    pub name: &'static str,
    pub owner: Obj,
    pub kind: Wrap,
}

/// `method-wrapper`: a slot wrapper bound to an instance.
pub struct BoundWrapperData {
    pub wrapper: Obj,
    pub self_: Obj,
}

fn wrapper_args<const N: usize>(vm: &Vm, w: &WrapperData, args: &[Obj], kw: Kwargs) -> PyResult<[Obj; N]> {
    if !kw.is_empty() {
        return Err(vm.type_error(format!("wrapper {}() takes no keyword arguments", w.name)));
    }
    if args.len() != N {
        let s = if N == 1 { "" } else { "s" };
        return Err(vm.type_error(format!("expected {N} argument{s}, got {}", args.len())));
    }
    Ok(std::array::from_fn(|i| args[i].clone()))
}

fn attr_name(vm: &Vm, n: &Obj) -> PyResult<()> {
    if n.downcast::<StrData>().is_none() {
        return Err(vm.type_error(format!("attribute name must be string, not '{}'", type_name(n))));
    }
    Ok(())
}

/// Calls slot wrapper `w` with receiver `this`.
fn call_wrapper(vm: &Vm, w: &WrapperData, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if !is_subtype(&type_of(this), &w.owner) {
        return Err(vm.type_error(format!(
            "descriptor '{}' requires a '{}' object but received a '{}'",
            w.name,
            type_data(&w.owner).name,
            type_name(this)
        )));
    }
    let slots = type_data(&w.owner).slots.get();
    let missing = || vm.type_error(format!("slot {} is missing", w.name));
    match w.kind {
        Wrap::Repr => {
            wrapper_args::<0>(vm, w, args, kw)?;
            // The owner's own slot: `super().__repr__()` in a subclass's
            // `__repr__` must not dispatch back to the subclass.
            let _guard = vm.enter_recursive_call(" while getting the repr of an object")?;
            match slots.repr {
                Some(f) => f(vm, this),
                None => crate::ops::repr(vm, this),
            }
        }
        Wrap::Str => {
            wrapper_args::<0>(vm, w, args, kw)?;
            match slots.str {
                Some(f) => f(vm, this),
                None => crate::ops::repr(vm, this),
            }
        }
        Wrap::Hash => {
            wrapper_args::<0>(vm, w, args, kw)?;
            match slots.hash {
                Some(f) => Ok(vm.int(f(vm, this)?)),
                None => Err(vm.type_error(format!("unhashable type: '{}'", type_name(this)))),
            }
        }
        Wrap::Bool => {
            wrapper_args::<0>(vm, w, args, kw)?;
            Ok(vm.bool(slots.bool.ok_or_else(missing)?(vm, this)?))
        }
        Wrap::Binary(op) => {
            let [other] = wrapper_args::<1>(vm, w, args, kw)?;
            slots.binary.ok_or_else(missing)?(vm, op, this, &other)
        }
        Wrap::RBinary(op) => {
            let [other] = wrapper_args::<1>(vm, w, args, kw)?;
            slots.binary.ok_or_else(missing)?(vm, op, &other, this)
        }
        Wrap::Compare(op) => {
            let [other] = wrapper_args::<1>(vm, w, args, kw)?;
            slots.compare.ok_or_else(missing)?(vm, op, this, &other)
        }
        Wrap::Call => slots.call.ok_or_else(missing)?(vm, this, args, kw),
        Wrap::Init => {
            slots.init.ok_or_else(missing)?(vm, this, args, kw)?;
            Ok(vm.none.clone())
        }
        Wrap::Iter => {
            wrapper_args::<0>(vm, w, args, kw)?;
            slots.iter.ok_or_else(missing)?(vm, this)
        }
        Wrap::Next => {
            wrapper_args::<0>(vm, w, args, kw)?;
            match slots.next.ok_or_else(missing)?(vm, this)? {
                Some(v) => Ok(v),
                None => Err(crate::PyErr { exc: builtin::new_exception(vm, &vm.types.stop_iteration, vec![]) }),
            }
        }
        Wrap::GetAttr => {
            let [name] = wrapper_args::<1>(vm, w, args, kw)?;
            attr_name(vm, &name)?;
            match slots.getattro {
                Some(f) => f(vm, this, &name),
                None => generic_getattr(vm, this, &name),
            }
        }
        Wrap::SetAttr | Wrap::DelAttr => {
            let (name, value) = if let Wrap::SetAttr = w.kind {
                let [n, v] = wrapper_args::<2>(vm, w, args, kw)?;
                (n, Some(v))
            } else {
                let [n] = wrapper_args::<1>(vm, w, args, kw)?;
                (n, None)
            };
            attr_name(vm, &name)?;
            // CPython's "hackcheck": object's setattr cannot bypass type's.
            if w.owner.is(&vm.types.object) && this.downcast::<TypeData>().is_some() {
                let verb = if value.is_some() { "__setattr__" } else { "__delattr__" };
                return Err(vm.type_error(format!("can't apply this {verb} to type object")));
            }
            match slots.setattro {
                Some(f) => f(vm, this, &name, value)?,
                None => crate::classes::generic_setattr(vm, this, &name, value)?,
            }
            Ok(vm.none.clone())
        }
        Wrap::Get => {
            if !kw.is_empty() || args.is_empty() || args.len() > 2 {
                return Err(vm.type_error(format!("expected 1 or 2 arguments, got {}", args.len())));
            }
            let obj = &args[0];
            let owner = args.get(1).cloned().filter(|o| !o.is(&vm.none));
            if obj.is(&vm.none) && owner.is_none() {
                return Err(vm.type_error("__get__(None, None) is invalid"));
            }
            let owner = owner.unwrap_or_else(|| type_of(obj));
            let inst = if obj.is(&vm.none) { None } else { Some(obj) };
            slots.descr_get.ok_or_else(missing)?(vm, this, inst, &owner)
        }
        Wrap::Set => {
            let [obj, v] = wrapper_args::<2>(vm, w, args, kw)?;
            slots.descr_set.ok_or_else(missing)?(vm, this, &obj, Some(v))?;
            Ok(vm.none.clone())
        }
        Wrap::Delete => {
            let [obj] = wrapper_args::<1>(vm, w, args, kw)?;
            slots.descr_set.ok_or_else(missing)?(vm, this, &obj, None)?;
            Ok(vm.none.clone())
        }
    }
}

pub fn wrapper_descr_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| match o.downcast::<WrapperData>() {
            Some(w) => Ok(new_str(vm, &format!("<slot wrapper '{}' of '{}' objects>", w.name, type_data(&w.owner).name))),
            None => Ok(new_str(vm, "<slot wrapper>")),
        }),
        call: Some(|vm, o, args, kw| {
            let Some(w) = o.downcast::<WrapperData>() else { return Err(vm.type_error("slot wrapper expected")) };
            let Some((this, rest)) = args.split_first() else {
                return Err(vm.type_error(format!("descriptor '{}' of '{}' object needs an argument", w.name, type_data(&w.owner).name)));
            };
            call_wrapper(vm, w, this, rest, kw)
        }),
        descr_get: Some(|vm, d, obj, _| match obj {
            Some(o) if !o.is(&vm.none) => {
                if let Some(w) = d.downcast::<WrapperData>() {
                    if !is_subtype(&type_of(o), &w.owner) {
                        return Err(vm.type_error(format!(
                            "descriptor '{}' for '{}' objects doesn't apply to a '{}' object",
                            w.name,
                            type_data(&w.owner).name,
                            type_name(o)
                        )));
                    }
                }
                Ok(alloc(vm.types.method_wrapper.clone(), BoundWrapperData { wrapper: d.clone(), self_: o.clone() }))
            }
            _ => Ok(d.clone()),
        }),
        ..builtin::object_slots()
    }
}

pub fn method_wrapper_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let Some(b) = o.downcast::<BoundWrapperData>() else { return Ok(new_str(vm, "<method-wrapper>")) };
            let name = b.wrapper.downcast::<WrapperData>().map_or("?", |w| w.name);
            Ok(new_str(vm, &format!("<method-wrapper '{name}' of {} object at {:#x}>", type_name(&b.self_), b.self_.as_ptr() as usize)))
        }),
        call: Some(|vm, o, args, kw| {
            let Some(b) = o.downcast::<BoundWrapperData>() else { return Err(vm.type_error("method-wrapper expected")) };
            let Some(w) = b.wrapper.downcast::<WrapperData>() else { return Err(vm.type_error("slot wrapper expected")) };
            call_wrapper(vm, w, &b.self_, args, kw)
        }),
        compare: Some(|vm, op, a, b| match (a.downcast::<BoundWrapperData>(), b.downcast::<BoundWrapperData>(), op) {
            (Some(x), Some(y), CompareOp::Eq | CompareOp::Ne) => {
                let same = x.wrapper.is(&y.wrapper) && x.self_.is(&y.self_);
                Ok(vm.bool(same == matches!(op, CompareOp::Eq)))
            }
            _ => Ok(vm.not_implemented.clone()),
        }),
        ..builtin::object_slots()
    }
}

pub static METHOD_WRAPPER_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly(
        "__self__",
        |vm, o| o.downcast::<BoundWrapperData>().map(|b| b.self_.clone()).ok_or_else(|| vm.type_error("method-wrapper expected")),
        "",
    ),
    GetSetDef::readonly(
        "__name__",
        |vm, o| {
            let name = o.downcast::<BoundWrapperData>().and_then(|b| b.wrapper.downcast::<WrapperData>().map(|w| w.name)).unwrap_or("?");
            Ok(vm.intern(name))
        },
        "",
    ),
];

pub static WRAPPER_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("__name__", |vm, o| Ok(vm.intern(o.downcast::<WrapperData>().map_or("?", |w| w.name))), ""),
    GetSetDef::readonly(
        "__objclass__",
        |vm, o| o.downcast::<WrapperData>().map(|w| w.owner.clone()).ok_or_else(|| vm.type_error("slot wrapper expected")),
        "",
    ),
    GetSetDef::readonly(
        "__qualname__",
        |vm, o| match o.downcast::<WrapperData>() {
            Some(w) => Ok(new_str(vm, &format!("{}.{}", type_data(&w.owner).name, w.name))),
            None => Ok(vm.none.clone()),
        },
        "",
    ),
];

const BINARY_NAMES: [(&str, &str, BinaryOp); 13] = [
    ("__add__", "__radd__", BinaryOp::Add),
    ("__and__", "__rand__", BinaryOp::And),
    ("__floordiv__", "__rfloordiv__", BinaryOp::FloorDivide),
    ("__lshift__", "__rlshift__", BinaryOp::Lshift),
    ("__matmul__", "__rmatmul__", BinaryOp::MatrixMultiply),
    ("__mul__", "__rmul__", BinaryOp::Multiply),
    ("__mod__", "__rmod__", BinaryOp::Remainder),
    ("__or__", "__ror__", BinaryOp::Or),
    ("__pow__", "__rpow__", BinaryOp::Power),
    ("__rshift__", "__rrshift__", BinaryOp::Rshift),
    ("__sub__", "__rsub__", BinaryOp::Subtract),
    ("__truediv__", "__rtruediv__", BinaryOp::TrueDivide),
    ("__xor__", "__rxor__", BinaryOp::Xor),
];

/// The binary-operator dunders of built-in types whose `binary` slot
/// serves only some operators (CPython's `nb_*`/`sq_*` they fill).
const BINARY_DUNDERS: &[(&str, &[&str])] = &[
    (
        "int",
        &[
            "__add__",
            "__radd__",
            "__and__",
            "__rand__",
            "__floordiv__",
            "__rfloordiv__",
            "__lshift__",
            "__rlshift__",
            "__mul__",
            "__rmul__",
            "__mod__",
            "__rmod__",
            "__or__",
            "__ror__",
            "__pow__",
            "__rpow__",
            "__rshift__",
            "__rrshift__",
            "__sub__",
            "__rsub__",
            "__truediv__",
            "__rtruediv__",
            "__xor__",
            "__rxor__",
        ],
    ),
    ("bool", &["__and__", "__rand__", "__or__", "__ror__", "__xor__", "__rxor__"]),
    (
        "float",
        &[
            "__add__",
            "__radd__",
            "__floordiv__",
            "__rfloordiv__",
            "__mul__",
            "__rmul__",
            "__mod__",
            "__rmod__",
            "__pow__",
            "__rpow__",
            "__sub__",
            "__rsub__",
            "__truediv__",
            "__rtruediv__",
        ],
    ),
    (
        "complex",
        &["__add__", "__radd__", "__mul__", "__rmul__", "__pow__", "__rpow__", "__sub__", "__rsub__", "__truediv__", "__rtruediv__"],
    ),
    ("str", &["__add__", "__mul__", "__rmul__", "__mod__", "__rmod__"]),
    ("list", &["__add__", "__mul__", "__rmul__"]),
    ("tuple", &["__add__", "__mul__", "__rmul__"]),
    ("set", &["__and__", "__rand__", "__or__", "__ror__", "__sub__", "__rsub__", "__xor__", "__rxor__"]),
    ("frozenset", &["__and__", "__rand__", "__or__", "__ror__", "__sub__", "__rsub__", "__xor__", "__rxor__"]),
    ("dict", &["__or__", "__ror__"]),
    ("mappingproxy", &["__or__", "__ror__"]),
    ("bytes", &["__add__", "__mul__", "__rmul__", "__mod__", "__rmod__"]),
    ("bytearray", &["__add__", "__mul__", "__rmul__", "__mod__", "__rmod__"]),
    ("type", &["__or__", "__ror__"]),
    ("NoneType", &[]),
    ("range", &[]),
    ("memoryview", &[]),
    ("types.UnionType", &["__or__", "__ror__"]),
    ("types.GenericAlias", &["__or__", "__ror__"]),
    ("dict_keys", &["__and__", "__rand__", "__or__", "__ror__", "__sub__", "__rsub__", "__xor__", "__rxor__"]),
    ("dict_items", &["__and__", "__rand__", "__or__", "__ror__", "__sub__", "__rsub__", "__xor__", "__rxor__"]),
];

const COMPARE_NAMES: [(&str, CompareOp); 6] = [
    ("__lt__", CompareOp::Lt),
    ("__le__", CompareOp::Le),
    ("__eq__", CompareOp::Eq),
    ("__ne__", CompareOp::Ne),
    ("__gt__", CompareOp::Gt),
    ("__ge__", CompareOp::Ge),
];

/// Whether slot `$f` of `$a` differs from its base's (the type defines
/// it rather than inheriting it).
macro_rules! differs {
    ($a:expr, $b:expr, $f:ident) => {
        match ($a.$f, $b.as_ref().and_then(|b| b.$f)) {
            (Some(x), Some(y)) => !std::ptr::fn_addr_eq(x, y),
            (Some(_), None) => true,
            _ => false,
        }
    };
}

/// Puts slot wrappers for the slots a built-in type defines in its dict
/// (`int.__add__`, `object.__init__`) and `__new__` for its `new` slot.
/// Native types made after start-up (`native::new_type_with_dict`) call
/// it themselves.
pub fn install_wrappers(vm: &Vm, ty: &Obj) {
    let t = type_data(ty);
    // Every built-in type has a `__doc__` (CPython fills it from `tp_doc`,
    // None when absent), unless a `__doc__` getset serves the instances.
    if t.dict.borrow().get("__doc__").is_none() {
        let inherited = crate::types::lookup(ty, "__doc__");
        if inherited.is_none_or(|d| d.downcast::<crate::native::GetSetDescrData>().is_none()) {
            t.dict.borrow_mut().insert("__doc__", vm.none.clone());
        }
    }
    let s = t.slots.get();
    let base: Option<Slots> = t.bases.borrow().first().map(|b| type_data(b).slots.get());
    let add = |name: &'static str, kind: Wrap| {
        if t.dict.borrow().get(name).is_some() {
            return;
        }
        let w = alloc(vm.types.wrapper_descriptor.clone(), WrapperData { name, owner: ty.clone(), kind });
        w.make_immortal();
        t.dict.borrow_mut().insert(name, w);
    };
    if differs!(s, base, repr) {
        add("__repr__", Wrap::Repr);
    }
    if differs!(s, base, str) {
        add("__str__", Wrap::Str);
    }
    if differs!(s, base, hash) {
        add("__hash__", Wrap::Hash);
    }
    // Containers are true by their length in CPython (`sq_length`/
    // `mp_length`), without a `__bool__` of their own.
    const SIZED: [&str; 9] = ["str", "tuple", "list", "dict", "set", "frozenset", "bytes", "bytearray", "memoryview"];
    let sized = SIZED.contains(&&*t.name) || (&*t.name != "range" && t.dict.borrow().get("__len__").is_some());
    if differs!(s, base, bool) && !sized {
        add("__bool__", Wrap::Bool);
    }
    if differs!(s, base, binary) {
        // Only the operators the type implements get dunders (no
        // `int.__matmul__`); types not listed get them all.
        let only = BINARY_DUNDERS.iter().find(|(n, _)| *n == &*t.name).map(|(_, d)| *d);
        let has = |n: &str| only.is_none_or(|d| d.contains(&n));
        for (l, r, op) in BINARY_NAMES {
            if has(l) {
                add(l, Wrap::Binary(op));
            }
            if has(r) {
                add(r, Wrap::RBinary(op));
            }
        }
    }
    if differs!(s, base, compare) {
        for (n, op) in COMPARE_NAMES {
            add(n, Wrap::Compare(op));
        }
    }
    if differs!(s, base, call) {
        add("__call__", Wrap::Call);
    }
    if differs!(s, base, init) {
        add("__init__", Wrap::Init);
    }
    if differs!(s, base, iter) {
        add("__iter__", Wrap::Iter);
    }
    if differs!(s, base, next) {
        add("__next__", Wrap::Next);
    }
    if differs!(s, base, getattro) || ty.is(&vm.types.object) {
        add("__getattribute__", Wrap::GetAttr);
    }
    if differs!(s, base, setattro) || ty.is(&vm.types.object) {
        add("__setattr__", Wrap::SetAttr);
        add("__delattr__", Wrap::DelAttr);
    }
    if differs!(s, base, descr_get) {
        add("__get__", Wrap::Get);
    }
    if differs!(s, base, descr_set) {
        add("__set__", Wrap::Set);
        add("__delete__", Wrap::Delete);
    }
    if differs!(s, base, new) && t.dict.borrow().get("__new__").is_none() {
        let f = alloc(vm.types.builtin_method.clone(), crate::native::BoundNativeData { def: &TP_NEW, receiver: ty.clone() });
        f.make_immortal();
        t.dict.borrow_mut().insert("__new__", f);
    }
    crate::types::type_modified(ty);
}

static TP_NEW: MethodDef = MethodDef::method("__new__", tp_new_wrapper, "Create and return a new object.");

/// `T.__new__(S, ...)`: `S` must be a subtype of `T`; runs `T`'s `new`
/// slot for `S`.
fn tp_new_wrapper(vm: &Vm, owner: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let tname = &*type_data(owner).name;
    let Some((sub, rest)) = args.split_first() else {
        return Err(vm.type_error(format!("{tname}.__new__(): not enough arguments")));
    };
    let Some(st) = sub.downcast::<TypeData>() else {
        return Err(vm.type_error(format!("{tname}.__new__(X): X is not a type object ({})", type_name(sub))));
    };
    if !is_subtype(sub, owner) {
        return Err(vm.type_error(format!("{tname}.__new__({}): {} is not a subtype of {tname}", st.name, st.name)));
    }
    // The most derived built-in base of `sub` must use this `new` (CPython:
    // "object.__new__(int) is not safe, use int.__new__()").
    let static_base = type_data(sub).mro.borrow().iter().find(|t| !type_data(t).instances.owns_type).cloned();
    if let Some(sb) = static_base {
        let same = match (type_data(&sb).slots.get().new, type_data(owner).slots.get().new) {
            (Some(a), Some(b)) => std::ptr::fn_addr_eq(a, b),
            _ => false,
        };
        if !sb.is(owner) && !same {
            let sn = &*type_data(&sb).name;
            return Err(vm.type_error(format!("{tname}.__new__({}) is not safe, use {sn}.__new__()", st.name)));
        }
    }
    match type_data(owner).slots.get().new {
        Some(f) => f(vm, sub, rest, kw),
        None => Err(vm.type_error(format!("cannot create '{}' instances", st.name))),
    }
}

/// Method tables and slot wrappers of the type system's types; slot
/// wrappers for every built-in type (found from `object` down its
/// subclasses).
pub fn install(vm: &Vm) {
    use crate::native::{add_getsets, add_methods};
    let t = &vm.types;
    add_methods(vm, &t.property, PROPERTY_METHODS);
    add_getsets(vm, &t.property, PROPERTY_GETSETS);
    add_getsets(vm, &t.classmethod, WRAPPED_GETSETS);
    add_getsets(vm, &t.staticmethod, WRAPPED_GETSETS);
    add_getsets(vm, &t.super_, SUPER_GETSETS);
    add_getsets(vm, &t.member_descriptor, MEMBER_GETSETS);
    add_getsets(vm, &t.wrapper_descriptor, WRAPPER_GETSETS);
    add_getsets(vm, &t.method_wrapper, METHOD_WRAPPER_GETSETS);
    let mut todo = vec![t.object.clone()];
    while let Some(ty) = todo.pop() {
        if !type_data(&ty).instances.owns_type {
            install_wrappers(vm, &ty);
        }
        todo.extend(crate::types::subclasses(&ty).into_iter().rev());
    }
}

/// Registers the type system's builtins (`property`, `super`, `dir`, ...).
pub fn install_builtins(vm: &Vm) {
    let t = &vm.types;
    for c in [&t.property, &t.classmethod, &t.staticmethod, &t.super_] {
        let _ = builtin::dict_set(vm, &vm.builtins, vm.intern(&type_data(c).name), c.clone());
    }
    let fns: [(&'static str, crate::function::BuiltinFn); 2] =
        [("dir", crate::classes::builtin_dir), ("vars", crate::classes::builtin_vars)];
    for (name, f) in fns {
        let _ = builtin::dict_set(vm, &vm.builtins, vm.intern(name), crate::function::new_frame_reading_function(vm, name, f));
    }
}
