//! Functions, methods and attributes written in Rust: CPython's
//! `PyMethodDef`/`PyGetSetDef` tables and Argument Clinic's argument
//! binding, with CPython's error messages.
//!
//! A built-in type lists its methods once, as a `static` table of
//! [`MethodDef`]s (name, kind, docstring), and its computed attributes as
//! [`GetSetDef`]s; [`add_methods`] and [`add_getsets`] put descriptors for
//! them in the type's dict. A native function receives its positional
//! arguments and keyword arguments as slices and binds them with
//! [`bind`] against a [`Params`] list, or with [`exact`]/[`at_most`] when
//! it takes positional arguments only.
//!
//! ```ignore
//! static METHODS: &[MethodDef] = &[
//!     MethodDef::method("append", list_append, "Append object to the end of the list."),
//! ];
//! fn list_append(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
//!     let [x] = exact(vm, "append", args, kw)?;
//!     ...
//! }
//! ```

use std::cell::RefCell;

use crate::function::BuiltinFn;
use crate::object::{alloc, Obj};
use crate::types::builtin::{new_str, str_data, type_name};
use crate::types::{type_data, Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;

/// A method implemented in Rust: the receiver (an instance, or the class
/// for class methods), positional and keyword arguments.
pub type MethodFn = fn(&Vm, &Obj, &[Obj], Kwargs) -> PyResult<Obj>;

/// How a method binds (`def f(self)`, `@classmethod`, `@staticmethod`).
#[derive(Clone, Copy)]
pub enum MethodKind {
    Instance(MethodFn),
    Class(MethodFn),
    Static(BuiltinFn),
}

/// One entry of a type's method table.
pub struct MethodDef {
    pub name: &'static str,
    pub kind: MethodKind,
    pub doc: &'static str,
}

impl MethodDef {
    pub const fn method(name: &'static str, f: MethodFn, doc: &'static str) -> MethodDef {
        MethodDef { name, kind: MethodKind::Instance(f), doc }
    }

    pub const fn class(name: &'static str, f: MethodFn, doc: &'static str) -> MethodDef {
        MethodDef { name, kind: MethodKind::Class(f), doc }
    }

    pub const fn static_(name: &'static str, f: BuiltinFn, doc: &'static str) -> MethodDef {
        MethodDef { name, kind: MethodKind::Static(f), doc }
    }
}

/// One function of a native module's table (`PyMethodDef` of a module).
pub struct FunctionDef {
    pub name: &'static str,
    pub func: BuiltinFn,
    pub doc: &'static str,
}

impl FunctionDef {
    pub const fn new(name: &'static str, func: BuiltinFn, doc: &'static str) -> FunctionDef {
        FunctionDef { name, func, doc }
    }
}

/// Creates a native type named `name` (its full dotted name, such as
/// `"collections.deque"`: the part before the last dot is `__module__`)
/// whose instances carry a payload `P`, deriving from `bases` (`object`
/// if empty). Slots left `None` in `slots` are inherited from the bases
/// (except `traverse`, `clear` and `finalize`, which belong to the
/// payload); `gc` says whether instances can be part of reference cycles
/// (then `slots.traverse` must visit every `Obj` the payload holds, and
/// `slots.clear` should drop them). Python code may subclass the type.
pub fn new_type<P: 'static>(
    vm: &Vm,
    name: &str,
    bases: &[&Obj],
    gc: bool,
    slots: Slots,
    methods: &'static [MethodDef],
    getsets: &'static [GetSetDef],
) -> Obj {
    let bases = bases_or_object(vm, bases);
    let ty = crate::vm::static_type::<P>(&vm.types.type_, name, &bases, gc, slots);
    finish_native_type(vm, ty, slots, methods, getsets)
}

/// `bases`, or `[object]` when empty.
fn bases_or_object<'a>(vm: &'a Vm, bases: &[&'a Obj]) -> Vec<&'a Obj> {
    if bases.is_empty() {
        vec![&vm.types.object]
    } else {
        bases.to_vec()
    }
}

/// The common end of `new_type` and `new_type_with_dict`: inherited slots,
/// the method and attribute tables, and the dunder wrappers (`__repr__`,
/// `__eq__`, `__new__`, ...) for the slots the type defines.
fn finish_native_type(vm: &Vm, ty: Obj, slots: Slots, methods: &'static [MethodDef], getsets: &'static [GetSetDef]) -> Obj {
    let mut slots = slots;
    crate::classes::inherit_native_slots(&mut slots, &type_data(&ty).mro.borrow());
    type_data(&ty).slots.set(slots);
    crate::types::inherit_collection(&ty);
    add_methods(vm, &ty, methods);
    add_getsets(vm, &ty, getsets);
    crate::descriptors::install_wrappers(vm, &ty);
    ty
}

/// `new_type` for a type whose instances have a `__dict__`, run the
/// type's `finalize` slot when freed, and can be weakly referenced (CPython's `tp_dictoffset`/`tp_weaklistoffset`, as
/// the `_io` classes have). Instances are laid out like those of a class
/// defined in Python (`object::Extended<P>`); `downcast::<P>()` works.
pub fn new_type_with_dict<P: 'static>(
    vm: &Vm,
    name: &str,
    bases: &[&Obj],
    slots: Slots,
    methods: &'static [MethodDef],
    getsets: &'static [GetSetDef],
) -> Obj {
    let bases = bases_or_object(vm, bases);
    let mut layout = crate::object::InstanceLayout::of_with_dict::<P>();
    layout.finalizes = slots.finalize.is_some();
    let ty = crate::vm::static_type_with_layout(&vm.types.type_, name, &bases, layout, slots);
    type_data(&ty).instance_dict.set(true);
    type_data(&ty).weakrefable.set(true);
    finish_native_type(vm, ty, slots, methods, getsets)
}

pub type GetterFn = fn(&Vm, &Obj) -> PyResult<Obj>;
/// Sets (`Some`) or deletes (`None`) the attribute.
pub type SetterFn = fn(&Vm, &Obj, Option<Obj>) -> PyResult<()>;

/// A computed attribute of a built-in type's instances (`complex.real`,
/// `BaseException.args`). Without a setter it is read-only.
pub struct GetSetDef {
    pub name: &'static str,
    pub get: GetterFn,
    pub set: Option<SetterFn>,
    pub doc: &'static str,
}

impl GetSetDef {
    pub const fn readonly(name: &'static str, get: GetterFn, doc: &'static str) -> GetSetDef {
        GetSetDef { name, get, set: None, doc }
    }

    pub const fn new(name: &'static str, get: GetterFn, set: SetterFn, doc: &'static str) -> GetSetDef {
        GetSetDef { name, get, set: Some(set), doc }
    }
}

/// `method_descriptor` / `classmethod_descriptor`: a method of a built-in
/// type, as found in the type's dict.
pub struct MethodDescrData {
    pub def: &'static MethodDef,
    /// The type that defines it (for the self-type check and reprs).
    pub owner: Obj,
}

/// `method_descriptor.__reduce__()`: `(getattr, (owner, name))`.
pub static METHOD_DESCR_METHODS: &[MethodDef] = &[MethodDef::method(
    "__reduce__",
    |vm, this, args, kw| {
        exact::<0>(vm, "__reduce__", args, kw)?;
        let Some(d) = this.downcast::<MethodDescrData>() else { return Err(vm.type_error("not a method descriptor")) };
        let getattr = crate::types::builtin::dict_get_str(vm, &vm.builtins, "getattr")?.unwrap_or_else(|| vm.none.clone());
        let args = crate::types::builtin::new_tuple(vm, vec![d.owner.clone(), new_str(vm, d.def.name)]);
        Ok(crate::types::builtin::new_tuple(vm, vec![getattr, args]))
    },
    "",
)];

/// Splits a built-in's docstring into its text signature and the rest, by
/// CPython's convention: a docstring opening with `name(sig)\n--\n\n`
/// has `__text_signature__` `(sig)` and `__doc__` what follows. `name` may
/// be dotted (a type's full name): its last part is matched.
pub fn split_doc<'a>(name: &str, doc: &'a str) -> (Option<&'a str>, &'a str) {
    let short = name.rsplit('.').next().unwrap_or(name);
    if let Some(rest) = doc.strip_prefix(short) {
        if rest.starts_with('(') {
            if let Some(end) = rest.find(")\n--\n\n") {
                return (Some(&rest[..end + 1]), &rest[end + 6..]);
            }
        }
    }
    (None, doc)
}

/// `__doc__` of a built-in named `name`: its docstring without the text
/// signature, None when empty.
pub fn doc_attr(vm: &Vm, name: &str, doc: &str) -> Obj {
    match split_doc(name, doc).1 {
        "" => vm.none.clone(),
        d => new_str(vm, d),
    }
}

/// `__text_signature__` of a built-in named `name` (None without one).
pub fn text_signature_attr(vm: &Vm, name: &str, doc: &str) -> Obj {
    match split_doc(name, doc).0 {
        Some(sig) => new_str(vm, sig),
        None => vm.none.clone(),
    }
}

/// Sets the docstring of the built-in type `ty`; it may open with the
/// type's text signature (`type.__text_signature__`, read by `split_doc`).
pub fn set_type_doc(vm: &Vm, ty: &Obj, doc: &'static str) {
    type_data(ty).dict.borrow_mut().insert("__doc__", new_str(vm, doc));
    crate::types::type_modified(ty);
}

fn method_descr<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a MethodDescrData> {
    o.downcast::<MethodDescrData>().ok_or_else(|| vm.type_error("method descriptor expected"))
}

/// `owner.__qualname__ + "." + name` (descriptors' `__qualname__`).
fn member_qualname(vm: &Vm, owner: &Obj, name: &str) -> Obj {
    let q = crate::types::qualname(vm, owner);
    new_str(vm, &format!("{}.{name}", str_data(&q).as_str()))
}

/// Attributes of `method_descriptor` and `classmethod_descriptor`.
pub static METHOD_DESCR_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("__name__", |vm, o| Ok(new_str(vm, method_descr(vm, o)?.def.name)), ""),
    GetSetDef::readonly(
        "__qualname__",
        |vm, o| {
            let d = method_descr(vm, o)?;
            Ok(member_qualname(vm, &d.owner, d.def.name))
        },
        "",
    ),
    GetSetDef::readonly("__objclass__", |vm, o| Ok(method_descr(vm, o)?.owner.clone()), ""),
    GetSetDef::readonly(
        "__doc__",
        |vm, o| {
            let d = method_descr(vm, o)?;
            Ok(doc_attr(vm, d.def.name, d.def.doc))
        },
        "",
    ),
    GetSetDef::readonly(
        "__text_signature__",
        |vm, o| {
            let d = method_descr(vm, o)?;
            Ok(text_signature_attr(vm, d.def.name, d.def.doc))
        },
        "",
    ),
];

fn getset_descr<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a GetSetDescrData> {
    o.downcast::<GetSetDescrData>().ok_or_else(|| vm.type_error("getset descriptor expected"))
}

/// Attributes of `getset_descriptor`.
pub static GETSET_DESCR_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("__name__", |vm, o| Ok(new_str(vm, getset_descr(vm, o)?.def.name)), ""),
    GetSetDef::readonly(
        "__qualname__",
        |vm, o| {
            let d = getset_descr(vm, o)?;
            Ok(member_qualname(vm, &d.owner, d.def.name))
        },
        "",
    ),
    GetSetDef::readonly("__objclass__", |vm, o| Ok(getset_descr(vm, o)?.owner.clone()), ""),
    GetSetDef::readonly(
        "__doc__",
        |vm, o| {
            let d = getset_descr(vm, o)?;
            Ok(doc_attr(vm, d.def.name, d.def.doc))
        },
        "",
    ),
];

/// `builtin_function_or_method` bound to a receiver (`[].append`).
pub struct BoundNativeData {
    pub def: &'static MethodDef,
    pub receiver: Obj,
}

/// `getset_descriptor`.
pub struct GetSetDescrData {
    pub def: &'static GetSetDef,
    pub owner: Obj,
}

/// Installs descriptors for `defs` in the dict of the built-in type `ty`.
pub fn add_methods(vm: &Vm, ty: &Obj, defs: &'static [MethodDef]) {
    for def in defs {
        let descr = match def.kind {
            MethodKind::Instance(_) => alloc(vm.types.method_descriptor.clone(), MethodDescrData { def, owner: ty.clone() }),
            MethodKind::Class(_) => alloc(vm.types.classmethod_descriptor.clone(), MethodDescrData { def, owner: ty.clone() }),
            MethodKind::Static(f) => {
                let func = crate::function::new_builtin_function(vm, def.name, f);
                if let Some(b) = func.downcast::<crate::function::BuiltinFunctionData>() {
                    *b.static_owner.borrow_mut() = Some(ty.clone());
                }
                func.make_immortal();
                // The type's dict holds a `staticmethod` (as CPython's
                // METH_STATIC), which cannot be pickled; the function can.
                let wrapped = crate::descriptors::WrappedFunc { func: RefCell::new(func), dict: RefCell::new(None) };
                alloc(vm.types.staticmethod.clone(), wrapped)
            }
        };
        descr.make_immortal();
        type_data(ty).dict.borrow_mut().insert(def.name, descr);
    }
    crate::types::type_modified(ty);
}

/// Installs descriptors for `defs` in the dict of the built-in type `ty`.
pub fn add_getsets(vm: &Vm, ty: &Obj, defs: &'static [GetSetDef]) {
    for def in defs {
        let descr = alloc(vm.types.getset_descriptor.clone(), GetSetDescrData { def, owner: ty.clone() });
        descr.make_immortal();
        type_data(ty).dict.borrow_mut().insert(def.name, descr);
    }
    crate::types::type_modified(ty);
}

fn descr_type_error(vm: &Vm, name: &str, owner: &Obj, got: &Obj) -> crate::PyErr {
    vm.type_error(format!("descriptor '{name}' for '{}' objects doesn't apply to a '{}' object", type_data(owner).name, type_name(got)))
}

/// Checks that `obj` is an instance of the descriptor's owner type.
fn check_receiver(vm: &Vm, d: &MethodDescrData, obj: &Obj) -> PyResult<()> {
    if crate::types::is_subtype(&crate::types::type_of(obj), &d.owner) {
        Ok(())
    } else {
        Err(descr_type_error(vm, d.def.name, &d.owner, obj))
    }
}

fn call_def(vm: &Vm, def: &MethodDef, receiver: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    match def.kind {
        MethodKind::Instance(f) | MethodKind::Class(f) => f(vm, receiver, args, kw),
        MethodKind::Static(f) => f(vm, args, kw),
    }
}

fn method_descr_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let Some(d) = o.downcast::<MethodDescrData>() else { return Ok(new_str(vm, "<method>")) };
    Ok(new_str(vm, &format!("<method '{}' of '{}' objects>", d.def.name, type_data(&d.owner).name)))
}

pub fn method_descr_slots() -> Slots {
    Slots {
        repr: Some(method_descr_repr),
        // Called through the class: `list.append(l, x)`.
        call: Some(|vm, o, args, kw| {
            let Some(d) = o.downcast::<MethodDescrData>() else { return Err(vm.type_error("not a method descriptor")) };
            let Some((receiver, rest)) = args.split_first() else {
                let msg = format!("unbound method {}.{}() needs an argument", type_data(&d.owner).name, d.def.name);
                return Err(vm.type_error(msg));
            };
            check_receiver(vm, d, receiver)?;
            call_def(vm, d.def, receiver, rest, kw)
        }),
        descr_get: Some(|vm, descr, obj, _owner| {
            let Some(d) = descr.downcast::<MethodDescrData>() else { return Ok(descr.clone()) };
            match obj {
                None => Ok(descr.clone()),
                Some(obj) => {
                    check_receiver(vm, d, obj)?;
                    Ok(alloc(vm.types.builtin_method.clone(), BoundNativeData { def: d.def, receiver: obj.clone() }))
                }
            }
        }),
        ..crate::types::builtin::object_slots()
    }
}

pub fn classmethod_descr_slots() -> Slots {
    Slots {
        repr: Some(method_descr_repr),
        call: Some(|vm, o, args, kw| {
            let Some(d) = o.downcast::<MethodDescrData>() else { return Err(vm.type_error("not a method descriptor")) };
            let Some((cls, rest)) = args.split_first() else {
                let msg = format!("descriptor '{}' of '{}' object needs an argument", d.def.name, type_data(&d.owner).name);
                return Err(vm.type_error(msg));
            };
            call_def(vm, d.def, cls, rest, kw)
        }),
        descr_get: Some(|vm, descr, obj, owner| {
            let Some(d) = descr.downcast::<MethodDescrData>() else { return Ok(descr.clone()) };
            let cls = match obj {
                Some(o) if owner.is(&vm.none) => crate::types::type_of(o),
                _ => owner.clone(),
            };
            Ok(alloc(vm.types.builtin_method.clone(), BoundNativeData { def: d.def, receiver: cls }))
        }),
        ..crate::types::builtin::object_slots()
    }
}

pub fn bound_native_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let Some(b) = o.downcast::<BoundNativeData>() else { return Ok(new_str(vm, "<built-in method>")) };
            if b.receiver.downcast::<crate::types::TypeData>().is_some() {
                return Ok(new_str(vm, &format!("<built-in method {} of type object at {:#x}>", b.def.name, b.receiver.as_ptr() as usize)));
            }
            if b.receiver.downcast::<crate::modules::ModuleData>().is_some() {
                return Ok(new_str(vm, &format!("<built-in function {}>", b.def.name)));
            }
            Ok(new_str(
                vm,
                &format!("<built-in method {} of {} object at {:#x}>", b.def.name, type_name(&b.receiver), b.receiver.as_ptr() as usize),
            ))
        }),
        call: Some(|vm, o, args, kw| match o.downcast::<BoundNativeData>() {
            Some(b) => call_def(vm, b.def, &b.receiver, args, kw),
            None => Err(vm.type_error("not a bound method")),
        }),
        traverse: Some(bound_native_traverse),
        // Equal when they are the same method of the same receiver (so a
        // pickled `dict.fromkeys` loads equal to itself).
        compare: Some(|vm, op, a, b| {
            use taipan_compiler::bytecode::CompareOp;
            let (Some(x), Some(y)) = (a.downcast::<BoundNativeData>(), b.downcast::<BoundNativeData>()) else {
                return Ok(vm.not_implemented.clone());
            };
            let same = std::ptr::eq(x.def, y.def) && x.receiver.is(&y.receiver);
            match op {
                CompareOp::Eq => Ok(vm.bool(same)),
                CompareOp::Ne => Ok(vm.bool(!same)),
                _ => Ok(vm.not_implemented.clone()),
            }
        }),
        hash: Some(|_, o| {
            let Some(b) = o.downcast::<BoundNativeData>() else { return Ok(0) };
            let h = (b.receiver.as_ptr() as usize as i64) ^ (b.def as *const MethodDef as usize as i64 >> 4);
            Ok(if h == -1 { -2 } else { h })
        }),
        ..crate::types::builtin::object_slots()
    }
}

fn bound_native<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a BoundNativeData> {
    o.downcast::<BoundNativeData>().ok_or_else(|| vm.type_error("not a bound built-in method"))
}

/// Methods of bound built-in methods: `__reduce__` (CPython's
/// `meth_reduce`): the name for a module's function, else
/// `(getattr, (receiver, name))`, so that `pickle` and `copy` handle them.
pub static BOUND_NATIVE_METHODS: &[MethodDef] = &[MethodDef::method(
    "__reduce__",
    |vm, this, args, kw| {
        exact::<0>(vm, "__reduce__", args, kw)?;
        let b = bound_native(vm, this)?;
        if b.receiver.downcast::<crate::modules::ModuleData>().is_some() {
            return Ok(new_str(vm, b.def.name));
        }
        let getattr = crate::types::builtin::dict_get_str(vm, &vm.builtins, "getattr")?.unwrap_or_else(|| vm.none.clone());
        let args = crate::types::builtin::new_tuple(vm, vec![b.receiver.clone(), new_str(vm, b.def.name)]);
        Ok(crate::types::builtin::new_tuple(vm, vec![getattr, args]))
    },
    "",
)];

/// Attributes of bound built-in methods (`[].append`, `int.from_bytes`).
pub static BOUND_NATIVE_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("__name__", |vm, o| Ok(new_str(vm, bound_native(vm, o)?.def.name)), ""),
    GetSetDef::readonly(
        "__qualname__",
        |vm, o| {
            let b = bound_native(vm, o)?;
            if b.receiver.downcast::<crate::modules::ModuleData>().is_some() {
                return Ok(new_str(vm, b.def.name));
            }
            let ty = if b.receiver.downcast::<crate::types::TypeData>().is_some() {
                b.receiver.clone()
            } else {
                crate::types::type_of(&b.receiver)
            };
            let q = crate::types::qualname(vm, &ty);
            Ok(new_str(vm, &format!("{}.{}", str_data(&q).as_str(), b.def.name)))
        },
        "",
    ),
    GetSetDef::readonly("__self__", |vm, o| Ok(bound_native(vm, o)?.receiver.clone()), ""),
    GetSetDef::readonly("__module__", |vm, _| Ok(vm.none.clone()), ""),
    GetSetDef::readonly(
        "__doc__",
        |vm, o| {
            let d = bound_native(vm, o)?.def;
            Ok(doc_attr(vm, d.name, d.doc))
        },
        "",
    ),
    GetSetDef::readonly(
        "__text_signature__",
        |vm, o| {
            let d = bound_native(vm, o)?.def;
            Ok(text_signature_attr(vm, d.name, d.doc))
        },
        "",
    ),
];

pub fn getset_descr_slots() -> Slots {
    Slots {
        // The owner: a class's `__dict__`/`__weakref__` descriptors close
        // a cycle through its dict (collected with the class).
        traverse: Some(|o, visit| {
            if let Some(d) = o.downcast::<GetSetDescrData>() {
                visit(&d.owner);
            }
        }),
        repr: Some(|vm, o| {
            let Some(d) = o.downcast::<GetSetDescrData>() else { return Ok(new_str(vm, "<attribute>")) };
            Ok(new_str(vm, &format!("<attribute '{}' of '{}' objects>", d.def.name, type_data(&d.owner).name)))
        }),
        descr_get: Some(|vm, descr, obj, _owner| {
            let Some(d) = descr.downcast::<GetSetDescrData>() else { return Ok(descr.clone()) };
            match obj {
                None => Ok(descr.clone()),
                Some(obj) => {
                    if !crate::types::is_subtype(&crate::types::type_of(obj), &d.owner) {
                        return Err(descr_type_error(vm, d.def.name, &d.owner, obj));
                    }
                    (d.def.get)(vm, obj)
                }
            }
        }),
        descr_set: Some(|vm, descr, obj, value| {
            let Some(d) = descr.downcast::<GetSetDescrData>() else { return Err(vm.type_error("not a getset descriptor")) };
            if !crate::types::is_subtype(&crate::types::type_of(obj), &d.owner) {
                return Err(descr_type_error(vm, d.def.name, &d.owner, obj));
            }
            match d.def.set {
                Some(set) => set(vm, obj, value),
                None => Err(vm.new_error(
                    &vm.types.attribute_error,
                    format!("attribute '{}' of '{}' objects is not writable", d.def.name, type_data(&d.owner).name),
                )),
            }
        }),
        ..crate::types::builtin::object_slots()
    }
}

/// A parameter list, as Argument Clinic states a built-in's signature:
/// `names[..posonly]` are positional-only, the last `kwonly` names are
/// keyword-only, the first `required` have no default.
pub struct Params {
    /// The function's name in error messages (`"split"`).
    pub fname: &'static str,
    pub names: &'static [&'static str],
    pub posonly: usize,
    pub kwonly: usize,
    pub required: usize,
}

/// Binds `args` and `kw` to `p`'s parameters: `N` slots, `None` where an
/// optional parameter was not given. Errors are CPython's
/// (`_PyArg_UnpackKeywords`).
pub fn bind<const N: usize>(vm: &Vm, p: &Params, args: &[Obj], kw: Kwargs) -> PyResult<[Option<Obj>; N]> {
    debug_assert_eq!(N, p.names.len());
    let mut out: [Option<Obj>; N] = std::array::from_fn(|_| None);
    let maxpos = N - p.kwonly;
    if args.len() > maxpos {
        let how = if p.required < maxpos { "at most" } else { "exactly" };
        let s = if maxpos == 1 { "" } else { "s" };
        let msg = if maxpos == 0 {
            format!("{}() takes no positional arguments", p.fname)
        } else if p.kwonly == 0 {
            format!("{}() takes {how} {maxpos} argument{s} ({} given)", p.fname, args.len())
        } else {
            format!("{}() takes {how} {maxpos} positional argument{s} ({} given)", p.fname, args.len())
        };
        return Err(vm.type_error(msg));
    }
    for (slot, a) in out.iter_mut().zip(args) {
        *slot = Some(a.clone());
    }
    for (k, v) in kw {
        let key = str_data(k).as_str();
        let at = p.names.iter().position(|n| *n == key);
        match at {
            Some(i) if i >= p.posonly => {
                if out[i].is_some() {
                    return Err(vm.type_error(format!("argument for {}() given by name ('{key}') and position ({})", p.fname, i + 1)));
                }
                out[i] = Some(v.clone());
            }
            _ => {
                if p.posonly == N {
                    return Err(vm.type_error(format!("{}() takes no keyword arguments", p.fname)));
                }
                return Err(vm.type_error(format!("'{key}' is an invalid keyword argument for {}()", p.fname)));
            }
        }
    }
    for (i, slot) in out.iter().enumerate().take(p.required) {
        if slot.is_none() {
            return Err(vm.type_error(format!("{}() missing required argument '{}' (pos {})", p.fname, p.names[i], i + 1)));
        }
    }
    Ok(out)
}

/// Rejects keyword arguments for a callable that takes none.
/// CPython's rule for the positional-only constructors of subclassable
/// built-ins (`map`, `filter`, `itertools.chain`, ...): keyword arguments
/// are refused unless the class defines its own `__init__`, which then
/// receives them.
pub fn no_kwargs_for_new(vm: &Vm, cls: &Obj, fname: &str, kw: Kwargs) -> PyResult<()> {
    if kw.is_empty() {
        return Ok(());
    }
    match (crate::types::lookup(cls, "__init__"), crate::types::lookup(&vm.types.object, "__init__")) {
        (Some(own), Some(base)) if !own.is(&base) => Ok(()),
        _ => no_kwargs(vm, fname, kw),
    }
}

pub fn no_kwargs(vm: &Vm, fname: &str, kw: Kwargs) -> PyResult<()> {
    if kw.is_empty() {
        Ok(())
    } else {
        Err(vm.type_error(format!("{fname}() takes no keyword arguments")))
    }
}

/// Exactly `N` positional arguments and no keywords (`METH_O` when `N` is
/// 1, `METH_NOARGS` when 0), with CPython's messages.
pub fn exact<const N: usize>(vm: &Vm, fname: &str, args: &[Obj], kw: Kwargs) -> PyResult<[Obj; N]> {
    no_kwargs(vm, fname, kw)?;
    if args.len() != N {
        let msg = match N {
            0 => format!("{fname}() takes no arguments ({} given)", args.len()),
            1 => format!("{fname}() takes exactly one argument ({} given)", args.len()),
            _ => format!("{fname} expected {N} arguments, got {}", args.len()),
        };
        return Err(vm.type_error(msg));
    }
    Ok(std::array::from_fn(|i| args[i].clone()))
}

/// Between `min` and `N` positional arguments and no keywords
/// (`_PyArg_CheckPositional`), `None` for those not given.
pub fn at_most<const N: usize>(vm: &Vm, fname: &str, min: usize, args: &[Obj], kw: Kwargs) -> PyResult<[Option<Obj>; N]> {
    no_kwargs(vm, fname, kw)?;
    if args.len() < min {
        let s = if min == 1 { "" } else { "s" };
        return Err(vm.type_error(format!("{fname} expected at least {min} argument{s}, got {}", args.len())));
    }
    if args.len() > N {
        let s = if N == 1 { "" } else { "s" };
        return Err(vm.type_error(format!("{fname} expected at most {N} argument{s}, got {}", args.len())));
    }
    Ok(std::array::from_fn(|i| args.get(i).cloned()))
}

/// Between `min` and `N` positional arguments and no keywords, with the
/// messages of `PyArg_ParseTuple` (the `METH_VARARGS` functions of older C
/// modules): "f() takes at least 1 argument (0 given)". When the C format
/// string names no function (`named` false), the count error says
/// "function takes ..."; the keyword error always names `fname`.
pub fn parse_tuple<const N: usize>(vm: &Vm, fname: &str, named: bool, min: usize, args: &[Obj], kw: Kwargs) -> PyResult<[Option<Obj>; N]> {
    no_kwargs(vm, fname, kw)?;
    let given = args.len();
    if given < min || given > N {
        let bound = if given < min { min } else { N };
        let how = if min == N {
            "exactly"
        } else if given < min {
            "at least"
        } else {
            "at most"
        };
        let who = if named { format!("{fname}()") } else { "function".to_string() };
        let s = if bound == 1 { "" } else { "s" };
        return Err(vm.type_error(format!("{who} takes {how} {bound} argument{s} ({given} given)")));
    }
    Ok(std::array::from_fn(|i| args.get(i).cloned()))
}

/// The collector's view of a bound built-in method: its receiver.
pub(crate) fn bound_native_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(m) = o.downcast::<BoundNativeData>() {
        visit(&m.receiver);
    }
}
