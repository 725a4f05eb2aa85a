//! Classes defined in Python: `__build_class__`, heap types, instances and
//! their attributes, bound methods, methods of built-in types, and the
//! slot wrappers that let a class's `__repr__`, `__eq__`, `__add__`, ...
//! serve the type slots the eval loop dispatches through.
//!
//! First cut: an instance keeps its attributes in an ordered map; the
//! hidden classes (shared shapes plus a values array) of DESIGN.md replace
//! it behind the same `getattr`/`setattr` functions.

use std::cell::{Cell, RefCell};

use crate::eval;
use crate::function::FunctionData;
use crate::native::MethodDef;
use crate::object::{alloc, InstanceLayout, Obj};
use crate::ops;
use crate::shape::Shape;
use crate::types::builtin::{self, new_str, str_data, type_name, ExceptionData, StrData};
use crate::types::{c3_merge, is_subtype, lookup, lookup_name, type_data, type_data_of, type_of, AttrMap, Kwargs, Slots, TypeData};
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::{BinaryOp, CompareOp};

/// What every instance of a class defined in Python carries after its
/// built-in base's payload (see `object::Extended`): its attributes, in
/// shape mode (a hidden class plus a values array, see `shape`) until
/// something needs a real dict, then in dict mode (`dict`, which is also
/// its `__dict__`), and its `__slots__` members.
///
/// Invariant: `dict` is `Some` (dict mode) only when `shape` is `None` and
/// `values` is empty; in shape mode `values[i]` is the attribute named
/// `shape.names()[i]`.
#[derive(Default)]
pub struct InstanceExt {
    pub dict: RefCell<Option<Obj>>,
    /// Shape mode: the instance's hidden class (`None`: no attribute yet).
    pub shape: Cell<Option<&'static Shape>>,
    /// Shape mode: the attribute values, in the shape's slot order.
    pub values: RefCell<Vec<Obj>>,
    /// Values of the `__slots__` members (`None`: unset).
    pub members: RefCell<Vec<Option<Obj>>>,
    /// `__dict__` was handed out (CPython 3.11 only then makes a dict
    /// object; `gc.collect()` counts follow that).
    pub dict_exposed: std::cell::Cell<bool>,
}

impl InstanceExt {
    /// The instance's own attribute `name` (shape or dict), without
    /// switching modes.
    #[inline]
    pub fn get_attr(&self, vm: &Vm, name: &Obj) -> PyResult<Option<Obj>> {
        if let Some(s) = self.shape.get() {
            return Ok(match s.index_of(name) {
                Some(i) => self.values.borrow().get(i).cloned(),
                None => None,
            });
        }
        let d = self.dict.borrow().clone();
        match d {
            Some(d) => builtin::dict_get(vm, &d, name),
            None => Ok(None),
        }
    }

    /// The attribute names, without switching modes.
    pub fn keys(&self) -> Vec<Obj> {
        if let Some(s) = self.shape.get() {
            return s.names().to_vec();
        }
        let d = self.dict.borrow().clone();
        d.map(|d| builtin::dict_items(&d).into_iter().map(|(k, _)| k).collect()).unwrap_or_default()
    }

    /// Switches to dict mode (if not there yet) and returns the dict; a
    /// new dict is untracked (its instance traverses it until it is handed
    /// out as `__dict__`).
    pub fn materialise(&self, vm: &Vm) -> Obj {
        if let Some(d) = &*self.dict.borrow() {
            return d.clone();
        }
        let d = builtin::new_dict(vm);
        crate::object::gc::untrack_object(&d);
        let values = std::mem::take(&mut *self.values.borrow_mut());
        if let Some(s) = self.shape.take() {
            for (k, v) in s.names().iter().zip(values) {
                // Exact `str` keys: hashing and comparing cannot fail.
                let _ = builtin::dict_set(vm, &d, k.clone(), v);
            }
        }
        *self.dict.borrow_mut() = Some(d.clone());
        d
    }

    /// Shape mode's `setattr`: `Err(v)` gives the value back when the
    /// instance is in dict mode or needs it for this store (a name that is
    /// not an exact `str`, too many attributes).
    #[inline]
    pub fn store_in_shape(&self, vm: &Vm, name: &Obj, v: Obj) -> Result<(), Obj> {
        if self.dict.borrow().is_some() || !crate::shape::is_shape_key(vm, name) {
            return Err(v);
        }
        let shape = self.shape.get();
        if let Some(i) = shape.and_then(|s| s.index_of(name)) {
            let old = {
                let mut values = self.values.borrow_mut();
                match values.get_mut(i) {
                    Some(slot) => std::mem::replace(slot, v),
                    None => return Err(v),
                }
            };
            drop(old);
            return Ok(());
        }
        match shape.unwrap_or(vm.shapes.root).add(&vm.shapes, name) {
            Some(next) => {
                self.values.borrow_mut().push(v);
                self.shape.set(Some(next));
                Ok(())
            }
            None => Err(v),
        }
    }

    /// `setattr`/`delattr` on the instance's own attributes; `Ok(false)`:
    /// deleting a missing attribute.
    pub fn set_attr(&self, vm: &Vm, name: &Obj, value: Option<Obj>) -> PyResult<bool> {
        match value {
            Some(v) => {
                let Err(v) = self.store_in_shape(vm, name, v) else { return Ok(true) };
                let d = self.materialise(vm);
                builtin::dict_set(vm, &d, name.clone(), v)?;
                Ok(true)
            }
            None => {
                if self.dict.borrow().is_none() && self.shape.get().is_none_or(|s| s.index_of(name).is_none()) {
                    return Ok(false);
                }
                let d = self.materialise(vm);
                builtin::dict_del(vm, &d, name)
            }
        }
    }

    /// `obj.__dict__ = d`: dict mode with `d`.
    pub fn replace_dict(&self, d: Obj) {
        let old_values = std::mem::take(&mut *self.values.borrow_mut());
        self.shape.set(None);
        let old = self.dict.borrow_mut().replace(d);
        drop(old);
        drop(old_values);
    }
}

/// The attribute storage of an instance whose class gives instances a
/// `__dict__` (not for `__slots__`-only classes, nor exceptions, which
/// keep their own dict).
#[inline]
pub fn attr_ext<'a>(obj: &'a Obj, ty: &TypeData) -> Option<&'a InstanceExt> {
    let e = obj.instance_ext()?;
    ty.instance_dict.get().then_some(e)
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
                // `__qualname__`, else `__name__`; "?" when neither is a str.
                None => {
                    let mut name = getattr_opt(vm, &m.func, &vm.intern("__qualname__"))?;
                    if name.is_none() {
                        name = getattr_opt(vm, &m.func, &vm.intern("__name__"))?;
                    }
                    match name {
                        Some(n) if n.downcast::<StrData>().is_some() => str_data(&n).as_str().into_owned(),
                        _ => "?".to_string(),
                    }
                }
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
            // The method type's own `__doc__` is shadowed by the function's
            // (CPython's `method_get_doc`).
            Some(_) if &*str_data(name).as_str() == "__doc__" && o.downcast::<MethodData>().is_some() => {
                let m = o.downcast::<MethodData>().ok_or_else(|| vm.type_error("not a method"))?;
                getattr(vm, &m.func, name)
            }
            Some(v) => Ok(v),
            // Other attributes come from the function (`m.__name__`).
            None => match o.downcast::<MethodData>() {
                Some(m) => match &*str_data(name).as_str() {
                    "__self__" => Ok(m.self_.clone()),
                    "__func__" => Ok(m.func.clone()),
                    _ => getattr(vm, &m.func, name),
                },
                None => Err(no_attribute(vm, o, name)),
            },
        }),
        // Equal when bound to the same object (identity) with equal
        // functions; the hash agrees (CPython's `method_richcompare`).
        compare: Some(|vm, op, a, b| {
            let (Some(x), Some(y)) = (a.downcast::<MethodData>(), b.downcast::<MethodData>()) else {
                return Ok(vm.not_implemented.clone());
            };
            if !matches!(op, CompareOp::Eq | CompareOp::Ne) {
                return Ok(vm.not_implemented.clone());
            }
            let equal = x.self_.is(&y.self_) && ops::truth(vm, &ops::compare(vm, CompareOp::Eq, &x.func, &y.func)?)?;
            Ok(vm.bool(equal == (op == CompareOp::Eq)))
        }),
        hash: Some(|vm, o| {
            let Some(m) = o.downcast::<MethodData>() else { return Ok(0) };
            let h = crate::hash::hash_pointer(m.self_.as_ptr() as usize) ^ ops::hash(vm, &m.func)?;
            Ok(if h == -1 { -2 } else { h })
        }),
        traverse: Some(method_traverse),
        new: Some(method_new),
        ..builtin::object_slots()
    }
}

/// `types.MethodType(function, instance)` (CPython's `method_new`): the
/// function must be callable and the instance not None.
fn method_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if !kw.is_empty() {
        return Err(vm.type_error("method() takes no keyword arguments"));
    }
    let [func, self_] = args else {
        return Err(vm.type_error(format!("method expected 2 arguments, got {}", args.len())));
    };
    if !ops::callable(func) {
        return Err(vm.type_error("first argument must be callable"));
    }
    if self_.is(&vm.none) {
        return Err(vm.type_error("instance must not be None"));
    }
    Ok(alloc(cls.clone(), MethodData { func: func.clone(), self_: self_.clone() }))
}

/// `method.__reduce__()`: `(getattr, (self.__self__, self.__func__.__name__))`.
pub static METHOD_METHODS: &[MethodDef] = &[MethodDef::method(
    "__reduce__",
    |vm, this, args, kw| {
        crate::native::exact::<0>(vm, "__reduce__", args, kw)?;
        let Some(m) = this.downcast::<MethodData>() else { return Err(vm.type_error("not a method")) };
        let name = getattr(vm, &m.func, &vm.intern("__name__"))?;
        let getattr_fn = builtin::dict_get_str(vm, &vm.builtins, "getattr")?.unwrap_or_else(|| vm.none.clone());
        Ok(builtin::new_tuple(vm, vec![getattr_fn, builtin::new_tuple(vm, vec![m.self_.clone(), name])]))
    },
    "",
)];

/// Calls any callable with positional arguments. Python functions run in a
/// nested eval loop (a Rust-to-Python call, bounded by the recursion limit).
pub fn call_object(vm: &Vm, callee: &Obj, args: &[Obj]) -> PyResult<Obj> {
    call_object_kw(vm, callee, args, &[])
}

pub fn call_object_kw(vm: &Vm, callee: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    ops::call_kw(vm, callee, args, kw)
}

pub use crate::native::no_kwargs;

/// `__build_class__(func, name, *bases, metaclass=None, **kw)`: picks the
/// metaclass, prepares the namespace (`__prepare__`), runs the class body
/// in it, calls the metaclass, and checks the `__class__` cell.
pub fn build_class(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [func, name, bases @ ..] = args else {
        return Err(vm.type_error("__build_class__: not enough arguments"));
    };
    let Some(f) = func.downcast::<FunctionData>() else {
        return Err(vm.type_error("__build_class__: func must be a function"));
    };
    if name.downcast::<StrData>().is_none() {
        return Err(vm.type_error("__build_class__: name is not a string"));
    }
    let orig_bases = bases;
    let bases = resolve_mro_entries(vm, bases)?;
    let bases_tuple = builtin::new_tuple(vm, bases.clone());
    let mut meta = None;
    let mut rest: Vec<(Obj, Obj)> = Vec::new();
    for (k, v) in kw {
        if &*str_data(k).as_str() == "metaclass" {
            meta = Some(v.clone());
        } else {
            rest.push((k.clone(), v.clone()));
        }
    }
    let meta = match meta {
        Some(m) if m.downcast::<TypeData>().is_none() => m,
        Some(m) => calculate_meta(vm, &m, &bases)?,
        None => match bases.first() {
            Some(b) => calculate_meta(vm, &type_of(b), &bases)?,
            None => vm.types.type_.clone(),
        },
    };
    let ns = match getattr_opt(vm, &meta, &vm.intern("__prepare__"))? {
        Some(prepare) => call_object_kw(vm, &prepare, &[name.clone(), bases_tuple.clone()], &rest)?,
        None => builtin::new_dict(vm),
    };
    if ns.downcast::<builtin::DictData>().is_none() && lookup(&type_of(&ns), "__getitem__").is_none() {
        let who = match meta.downcast::<TypeData>() {
            Some(t) => t.name.to_string(),
            None => "<metaclass>".to_string(),
        };
        return Err(vm.type_error(format!("{who}.__prepare__() must return a mapping, not {}", type_name(&ns))));
    }
    if bases.len() != orig_bases.len() || bases.iter().zip(orig_bases).any(|(a, b)| !a.is(b)) {
        let orig = builtin::new_tuple(vm, orig_bases.to_vec());
        crate::sequence::setitem(vm, &ns, &vm.intern("__orig_bases__"), orig)?;
    }
    let cell = eval::run_class_body(vm, f, ns.clone())?;
    let cls = call_object_kw(vm, &meta, &[name.clone(), bases_tuple, ns], &rest)?;
    if let Some(c) = cell.downcast::<eval::CellData>() {
        if cls.downcast::<TypeData>().is_some() {
            let content = c.value.borrow().clone();
            let n = str_data(name).as_str().into_owned();
            match content {
                None => {
                    let msg = format!(
                        "__class__ not set defining '{n}' as {}. Was __classcell__ propagated to type.__new__?",
                        builtin::repr_string(vm, &cls)?
                    );
                    return Err(vm.new_error(&vm.types.runtime_error, msg));
                }
                Some(v) if !v.is(&cls) => {
                    let msg =
                        format!("__class__ set to {} defining '{n}' as {}", builtin::repr_string(vm, &v)?, builtin::repr_string(vm, &cls)?);
                    return Err(vm.type_error(msg));
                }
                Some(_) => {}
            }
        }
    }
    Ok(cls)
}

/// PEP 560: bases that are not classes may stand for others through
/// `__mro_entries__`.
fn resolve_mro_entries(vm: &Vm, bases: &[Obj]) -> PyResult<Vec<Obj>> {
    if bases.iter().all(|b| b.downcast::<TypeData>().is_some()) {
        return Ok(bases.to_vec());
    }
    let orig = builtin::new_tuple(vm, bases.to_vec());
    let mut out = Vec::new();
    for b in bases {
        if b.downcast::<TypeData>().is_none() {
            if let Some(f) = getattr_opt(vm, b, &vm.intern("__mro_entries__"))? {
                let r = call_object(vm, &f, std::slice::from_ref(&orig))?;
                let Some(t) = r.downcast::<builtin::TupleData>() else {
                    return Err(vm.type_error("__mro_entries__ must return a tuple"));
                };
                out.extend(t.items.iter().cloned());
                continue;
            }
        }
        out.push(b.clone());
    }
    Ok(out)
}

/// The most derived of `meta` and the metaclasses of `bases` (CPython's
/// `_PyType_CalculateMetaclass`).
pub fn calculate_meta(vm: &Vm, meta: &Obj, bases: &[Obj]) -> PyResult<Obj> {
    let mut winner = meta.clone();
    for b in bases {
        let t = type_of(b);
        if is_subtype(&winner, &t) {
            continue;
        }
        if is_subtype(&t, &winner) {
            winner = t;
            continue;
        }
        return Err(vm.type_error(
            "metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the metaclasses of all its bases",
        ));
    }
    Ok(winner)
}

/// `type.__call__(cls, *args, **kw)`: `cls.__new__(cls, ...)`, then
/// `__init__` when the result is an instance of `cls`; `type(x)`.
pub fn type_call(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if cls.is(&vm.types.type_) {
        if args.len() == 1 && kw.is_empty() {
            return Ok(type_of(&args[0]));
        }
        if args.len() != 3 {
            return Err(vm.type_error("type() takes 1 or 3 arguments"));
        }
    }
    let new = type_data(cls).mro.borrow().iter().find_map(|t| type_data(t).slots.get().new);
    let Some(new) = new else { return Err(vm.type_error(format!("cannot create '{}' instances", type_data(cls).name))) };
    let obj = new(vm, cls, args, kw)?;
    if !is_subtype(&type_of(&obj), cls) {
        return Ok(obj);
    }
    let init = type_data_of(&obj).mro.borrow().iter().find_map(|t| type_data(t).slots.get().init);
    if let Some(init) = init {
        init(vm, &obj, args, kw)?;
    }
    Ok(obj)
}

/// `type.__new__(mcls, name, bases, ns, **kw)`.
pub fn type_new_slot(vm: &Vm, meta: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name, bases, ns] = args else {
        return Err(vm.type_error(format!("type.__new__() takes exactly 3 arguments ({} given)", args.len())));
    };
    if name.downcast::<StrData>().is_none() {
        return Err(vm.type_error(format!("type.__new__() argument 1 must be str, not {}", type_name(name))));
    }
    let Some(bases) = bases.downcast::<builtin::TupleData>() else {
        return Err(vm.type_error(format!("type.__new__() argument 2 must be tuple, not {}", type_name(bases))));
    };
    if ns.downcast::<builtin::DictData>().is_none() {
        return Err(vm.type_error(format!("type.__new__() argument 3 must be dict, not {}", type_name(ns))));
    }
    // `type(name, bases, ns)` with a base whose metaclass overrides
    // `__new__` (enum's `EnumType`) hands the creation to that metaclass.
    let winner = calculate_meta(vm, meta, &bases.items)?;
    if !winner.is(meta) {
        let own = type_data(&vm.types.type_).dict.borrow().get("__new__").cloned();
        if let (Some(found), Some(own)) = (lookup(&winner, "__new__"), own) {
            if !found.is(&own) {
                let mut full = vec![winner.clone()];
                full.extend(args.iter().cloned());
                let f = getattr(vm, &winner, &vm.intern("__new__"))?;
                return call_object_kw(vm, &f, &full, kw);
            }
        }
    }
    check_type_name(vm, name)?;
    new_class(vm, meta, &str_data(name).as_str(), bases.items.to_vec(), ns, kw)
}

/// A class name must encode to UTF-8 and hold no NUL (CPython's checks
/// in `type.__new__` and the `__name__` setter).
fn check_type_name(vm: &Vm, name: &Obj) -> PyResult<()> {
    strict_utf8(vm, name)?;
    if str_data(name).bytes().contains(&0) {
        return Err(vm.new_error(&vm.types.value_error, "type name must not contain null characters"));
    }
    Ok(())
}

/// The UnicodeEncodeError of a str holding lone surrogates.
fn strict_utf8(vm: &Vm, s: &Obj) -> PyResult<()> {
    if std::str::from_utf8(str_data(s).bytes()).is_err() {
        crate::codecs::encode_obj(vm, s, "utf-8", "strict")?;
    }
    Ok(())
}

/// `type.__init__(cls, name, bases, ns, **kw)`: checks the arguments only.
pub fn type_init(vm: &Vm, _cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if args.len() == 1 && !kw.is_empty() {
        return Err(vm.type_error("type.__init__() takes no keyword arguments"));
    }
    if args.len() != 1 && args.len() != 3 {
        return Err(vm.type_error("type.__init__() takes 1 or 3 arguments"));
    }
    Ok(vm.none.clone())
}

/// The names `__slots__` declares, mangled as private names are.
fn slot_names(vm: &Vm, class_name: &str, slots: &Obj) -> PyResult<Vec<String>> {
    let items = if slots.downcast::<StrData>().is_some() { vec![slots.clone()] } else { crate::sequence::to_vec(vm, slots)? };
    let mut out = Vec::new();
    for it in items {
        let Some(s) = it.downcast::<StrData>() else {
            return Err(vm.type_error(format!("__slots__ items must be strings, not '{}'", type_name(&it))));
        };
        let n = s.as_str().into_owned();
        let valid = n.chars().next().is_some_and(|c| c == '_' || c.is_alphabetic()) && n.chars().all(|c| c == '_' || c.is_alphanumeric());
        if !valid {
            return Err(vm.type_error("__slots__ must be identifiers"));
        }
        let stripped = class_name.trim_start_matches('_');
        let mangled = if n.starts_with("__") && !n.ends_with("__") && !stripped.is_empty() { format!("_{stripped}{n}") } else { n };
        out.push(mangled);
    }
    Ok(out)
}

/// Creates a class: `type.__new__(meta, name, bases, ns, **kw)`.
pub fn new_class(vm: &Vm, meta: &Obj, name: &str, mut bases: Vec<Obj>, ns: &Obj, kw: Kwargs) -> PyResult<Obj> {
    let meta = calculate_meta(vm, meta, &bases)?;
    if bases.is_empty() {
        bases.push(vm.types.object.clone());
    }
    for b in &bases {
        if b.downcast::<TypeData>().is_none() {
            return Err(vm.type_error("bases must be types"));
        }
        if crate::types::is_final_type(b) {
            return Err(vm.type_error(format!("type '{}' is not an acceptable base type", type_data(b).name)));
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
    let mut dict = AttrMap::default();
    // A dict subclass that orders its keys its own way (`OrderedDict`
    // after `move_to_end`) gives them in its order (CPython copies the
    // namespace with `PyDict_Copy`, which iterates such a mapping).
    let ns = if type_of(ns).is(&vm.types.dict) {
        ns.clone()
    } else {
        let copy = builtin::new_dict(vm);
        crate::types::dict::dict_update_arg(vm, &copy, ns)?;
        copy
    };
    let ns = &ns;
    for (k, v) in builtin::dict_items(ns) {
        let Some(key) = k.downcast::<StrData>() else { continue };
        dict.insert(&key.as_str(), v);
    }
    let qualname = match dict.remove("__qualname__") {
        Some(q) if q.downcast::<StrData>().is_none() => {
            return Err(vm.type_error(format!("type __qualname__ must be a str, not {}", type_name(&q))));
        }
        q => q,
    };
    let had_doc = dict.get("__doc__").is_some();
    if let Some(doc) = dict.get("__doc__").filter(|d| d.downcast::<StrData>().is_some()) {
        strict_utf8(vm, doc)?;
    }
    // `__module__` defaults to the `__name__` of the calling code's module.
    if dict.get("__module__").is_none() {
        if let Some(g) = crate::eval::running_globals(vm).filter(|g| g.downcast::<builtin::DictData>().is_some()) {
            if let Some(m) = builtin::dict_get_str(vm, &g, "__name__")? {
                dict.insert("__module__", m);
            }
        }
    }
    if !had_doc {
        dict.insert("__doc__", vm.none.clone());
    }
    // `__new__` is a static method, `__init_subclass__` and
    // `__class_getitem__` class methods, without saying so.
    let wrap = |dict: &mut AttrMap, n: &str, ty: &Obj| {
        if let Some(f) = dict.get(n).filter(|f| f.downcast::<FunctionData>().is_some()).cloned() {
            let w = alloc(ty.clone(), crate::descriptors::WrappedFunc { func: RefCell::new(f), dict: RefCell::new(None) });
            dict.insert(n, w);
        }
    };
    wrap(&mut dict, "__new__", &vm.types.staticmethod);
    wrap(&mut dict, "__init_subclass__", &vm.types.classmethod);
    wrap(&mut dict, "__class_getitem__", &vm.types.classmethod);
    if dict.get("__eq__").is_some() && dict.get("__hash__").is_none() {
        dict.insert("__hash__", vm.none.clone());
    }
    let classcell = dict.remove("__classcell__");
    if let Some(c) = &classcell {
        if c.downcast::<eval::CellData>().is_none() {
            let r = builtin::repr_string(vm, &type_of(c))?;
            return Err(vm.type_error(format!("__classcell__ must be a nonlocal cell, not {r}")));
        }
    }
    // `__slots__`: member descriptors instead of a `__dict__`.
    let base_members = bases.iter().map(|b| type_data(b).member_slots.get()).max().unwrap_or(0);
    // Bases may share member slots only through a common class that
    // added them (`class S(Q, R)` with Q and R both deriving from a
    // slotted P and adding none).
    let mut slots_owner: Option<Obj> = None;
    for b in &bases {
        let Some(owner) = members_owner(b) else { continue };
        match &slots_owner {
            None => slots_owner = Some(owner),
            Some(o) if is_subtype(o, &owner) => {}
            Some(o) if is_subtype(&owner, o) => slots_owner = Some(owner),
            Some(_) => return Err(vm.type_error("multiple bases have instance lay-out conflict")),
        }
    }
    let mut has_dict = !exception_base;
    let mut members = Vec::new();
    // (Native bases such as `type` expose their own `__dict__`.)
    let base_dict = bases.iter().any(|b| type_data(b).instance_dict.get() || lookup(b, "__dict__").is_some());
    let base_weakref = bases.iter().any(|b| type_data(b).weakrefable.get());
    let var_sized = |t: &Obj| [&vm.types.int, &vm.types.bytes, &vm.types.tuple].iter().any(|v| is_subtype(t, v));
    // Without `__slots__`, instances get weak references (with them, when
    // they name `__weakref__`).
    let mut wants_weakref = true;
    if let Some(sl) = dict.get("__slots__").cloned() {
        has_dict = bases.iter().any(|b| type_data(b).instance_dict.get());
        let mut has_weakref = base_weakref;
        for n in slot_names(vm, name, &sl)? {
            match n.as_str() {
                "__dict__" if has_dict => return Err(vm.type_error("__dict__ slot disallowed: we already got one")),
                "__dict__" => has_dict = true,
                "__weakref__" if has_weakref || var_sized(&solid) => {
                    return Err(vm.type_error("__weakref__ slot disallowed: either we already got one, or __itemsize__ != 0"));
                }
                "__weakref__" => has_weakref = true,
                _ => {
                    // (`__doc__` counts only if the class body set it.)
                    if dict.get(&n).is_some() && (had_doc || n != "__doc__") {
                        return Err(vm.new_error(&vm.types.value_error, format!("'{n}' in __slots__ conflicts with class variable")));
                    }
                    members.push(n);
                }
            }
        }
        wants_weakref = has_weakref;
    }
    // A class that gives its instances a `__dict__` or weak references
    // has the `__dict__` / `__weakref__` descriptors in its dict (in place
    // once the class exists).
    let adds_dict = has_dict && !base_dict && dict.get("__dict__").is_none();
    if adds_dict {
        dict.insert("__dict__", vm.none.clone());
    }
    let adds_weakref = wants_weakref && !base_weakref && !var_sized(&solid) && dict.get("__weakref__").is_none();
    if adds_weakref {
        dict.insert("__weakref__", vm.none.clone());
    }
    if !members.is_empty() && var_sized(&solid) {
        return Err(vm.type_error(format!("nonempty __slots__ not supported for subtype of '{}'", type_data(&solid).name)));
    }
    let ty = alloc(meta.clone(), TypeData::new(name, layout, bases.clone(), Slots::default()));
    for (i, n) in members.iter().enumerate() {
        let d = alloc(
            vm.types.member_descriptor.clone(),
            crate::descriptors::MemberData { name: vm.intern(n), owner: ty.clone(), index: base_members + i, readonly: false },
        );
        dict.insert(n, d);
    }
    if adds_dict {
        let d = alloc(vm.types.getset_descriptor.clone(), crate::native::GetSetDescrData { def: &SUBTYPE_DICT, owner: ty.clone() });
        dict.insert("__dict__", d);
    }
    if adds_weakref {
        let d = alloc(vm.types.getset_descriptor.clone(), crate::native::GetSetDescrData { def: &SUBTYPE_WEAKREF, owner: ty.clone() });
        dict.insert("__weakref__", d);
    }
    let t = type_data(&ty);
    t.member_slots.set(base_members + members.len());
    t.instance_dict.set(has_dict);
    *t.qualname.borrow_mut() = qualname;
    *t.dict.borrow_mut() = dict;
    // (A metaclass overriding `mro()` decides.)
    let mro = recompute_mro(vm, &ty)?;
    drop(t.mro.replace(mro));
    crate::types::type_modified(&ty);
    let mut slots = Slots::default();
    install_slot_wrappers(&t.dict.borrow(), &mut slots);
    inherit_slots(&mut slots, &t.mro.borrow(), &best_base(&bases, &solid));
    t.slots.set(slots);
    crate::types::inherit_collection(&ty);
    // Instances can be weakly referenced, unless they extend a variable-size
    // built-in (int, bytes, tuple: CPython's nonzero `tp_itemsize`; str
    // is not one of them).
    let td = type_data(&solid);
    let var_sized = [&vm.types.int, &vm.types.bytes, &vm.types.tuple].iter().any(|v| type_data(v).instances.same_base(&td.instances));
    // (With `__slots__`, only when they or a base provide for it.)
    t.weakrefable.set(wants_weakref && (!var_sized || solid.is(&vm.types.object)));
    for b in &bases {
        crate::types::add_subclass(vm, b, &ty);
    }
    if let Some(c) = classcell {
        if let Some(cell) = c.downcast::<eval::CellData>() {
            drop(cell.value.replace(Some(ty.clone())));
        }
    }
    set_names(vm, &ty)?;
    init_subclass(vm, &ty, kw)?;
    Ok(ty)
}

/// `C.__dict__['__dict__']`: the instance dict of a class's instances.
static SUBTYPE_DICT: crate::native::GetSetDef = crate::native::GetSetDef::new(
    "__dict__",
    |vm, obj| {
        if let Some(d) = builtin_base_dict(obj) {
            if let Some(get) = type_data_of(&d).slots.get().descr_get {
                return get(vm, &d, Some(obj), &type_of(obj));
            }
        }
        let d = instance_dict(vm, obj);
        if let (Some(e), Some(d)) = (obj.instance_ext(), &d) {
            e.dict_exposed.set(true);
            crate::object::gc::track_object(d);
        }
        d.ok_or_else(|| vm.new_error(&vm.types.attribute_error, "This object has no __dict__"))
    },
    |vm, obj, value| match attr_ext(obj, type_data_of(obj)) {
        _ if builtin_base_dict(obj).is_some() => {
            match builtin_base_dict(obj).and_then(|d| type_data_of(&d).slots.get().descr_set.map(|s| (d, s))) {
                Some((d, set)) => set(vm, &d, obj, value),
                None => Err(vm.new_error(&vm.types.attribute_error, "This object has no __dict__")),
            }
        }
        Some(e) => set_instance_dict(vm, e, value),
        None => Err(vm.new_error(&vm.types.attribute_error, "This object has no __dict__")),
    },
    "dictionary for instance variables",
);

/// The `__dict__` descriptor of a built-in type along `type(obj)`'s MRO
/// (`type`, for a metaclass that mixes in a plain class): it answers for
/// the instance (CPython's `get_builtin_base_with_dict`).
fn builtin_base_dict(obj: &Obj) -> Option<Obj> {
    let mro = type_data_of(obj).mro.borrow().clone();
    mro.iter().filter(|t| !type_data(t).instances.owns_type).find_map(|t| type_data(t).dict.borrow().get("__dict__").cloned())
}

/// `C.__dict__['__weakref__']`: the first weak reference to the instance.
static SUBTYPE_WEAKREF: crate::native::GetSetDef = crate::native::GetSetDef::readonly(
    "__weakref__",
    |vm, obj| Ok(crate::object::gc::weakrefs_of(obj).into_iter().next().unwrap_or_else(|| vm.none.clone())),
    "list of weak references to the object",
);

/// The base whose `new` slot a class without `__new__` uses (CPython's
/// `best_base`): the first base laid out as the solid base.
fn best_base(bases: &[Obj], solid: &Obj) -> Obj {
    bases.iter().find(|b| is_subtype(b, solid)).cloned().unwrap_or_else(|| bases[0].clone())
}

/// Fills the slots a class does not define from its MRO (`new` from its
/// best base, as CPython inherits `tp_new`).
/// Fills the `None` slots of a native type from its MRO (`new_type`).
pub(crate) fn inherit_native_slots(slots: &mut Slots, mro: &[Obj]) {
    let best = mro.get(1).cloned();
    if let Some(best) = best {
        inherit_slots(slots, mro, &best);
    }
}

fn inherit_slots(slots: &mut Slots, mro: &[Obj], best: &Obj) {
    // The first base whose dict has `__hash__` decides; `dict`, `list`,
    // `set` have `__hash__ = None` and no slot: their subclasses stay
    // unhashable rather than reaching `object`'s hash further along.
    if slots.hash.is_none() {
        if let Some(t) = mro.iter().skip(1).find(|t| type_data(t).dict.borrow().get("__hash__").is_some()) {
            if type_data(t).slots.get().hash.is_none() {
                slots.hash = Some(|vm, o| Err(vm.type_error(format!("unhashable type: '{}'", type_name(o)))));
            }
        }
    }
    // A slot comes from the first class along the MRO whose dict defines
    // one of its dunder names (CPython's `fixup_slot_dispatchers` looks the
    // names up), not from the first class that merely inherited it: in
    // `class U(N, G)` with `N` bare and `G` defining `__init__`, G's wins.
    macro_rules! by_name {
        ($($f:ident: [$($n:literal),+]),* $(,)?) => {
            $(if slots.$f.is_none() {
                for t in mro.iter().skip(1) {
                    let td = type_data(t);
                    if [$($n),+].iter().any(|n| td.dict.borrow().get(n).is_some()) {
                        if let Some(x) = td.slots.get().$f {
                            slots.$f = Some(x);
                            break;
                        }
                    }
                }
            })*
        };
    }
    by_name!(
        init: ["__init__"],
        new: ["__new__"],
        repr: ["__repr__"],
        str: ["__str__"],
        hash: ["__hash__"],
        compare: ["__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"],
        call: ["__call__"],
        iter: ["__iter__"],
        next: ["__next__"],
        bool: ["__bool__", "__len__"],
        negative: ["__neg__"],
        positive: ["__pos__"],
        invert: ["__invert__"],
        absolute: ["__abs__"],
        getattro: ["__getattribute__", "__getattr__"],
        setattro: ["__setattr__", "__delattr__"],
        descr_get: ["__get__"],
        descr_set: ["__set__", "__delete__"],
    );
    macro_rules! inherit {
        ($($f:ident),*) => {
            for t in mro.iter().skip(1) {
                let s = type_data(t).slots.get();
                $(if slots.$f.is_none() { slots.$f = s.$f; })*
                slots.python_binary |= s.python_binary;
            }
        };
    }
    inherit!(
        repr, str, hash, bool, binary, negative, positive, invert, absolute, compare, call, init, iter, next, getattro, setattro,
        descr_get, descr_set, buffer, traverse, clear, finalize
    );
    if slots.new.is_none() {
        slots.new = type_data(best).mro.borrow().iter().find_map(|t| type_data(t).slots.get().new);
    }
}

/// Calls `__set_name__(cls, name)` on the class attributes that have it.
fn set_names(vm: &Vm, cls: &Obj) -> PyResult<()> {
    let items: Vec<(Box<str>, Obj)> = type_data(cls).dict.borrow().iter().map(|(k, v)| (k.into(), v.clone())).collect();
    for (k, v) in items {
        let Some(f) = lookup(&type_of(&v), "__set_name__") else { continue };
        if let Err(e) = call_object(vm, &f, &[v.clone(), cls.clone(), vm.intern(&k)]) {
            let msg = format!("Error calling __set_name__ on '{}' instance '{k}' in '{}'", type_name(&v), type_data(cls).name);
            let err = vm.new_error(&vm.types.runtime_error, msg);
            // CPython's `_PyErr_FormatFromCause`: cause and context.
            if let Some(d) = builtin::exception_data(&err.exc) {
                *d.context.borrow_mut() = Some(e.exc.clone());
                *d.cause.borrow_mut() = Some(e.exc);
                d.suppress_context.set(true);
            }
            return Err(err);
        }
    }
    Ok(())
}

/// `super(cls, cls).__init_subclass__(**kw)`.
fn init_subclass(vm: &Vm, cls: &Obj, kw: Kwargs) -> PyResult<()> {
    let mro = type_data(cls).mro.borrow().clone();
    for t in mro.iter().skip(1) {
        let found = type_data(t).dict.borrow().get("__init_subclass__").cloned();
        if let Some(f) = found {
            let bound = match type_data_of(&f).slots.get().descr_get {
                Some(get) => get(vm, &f, None, cls)?,
                None => f,
            };
            call_object_kw(vm, &bound, &[], kw)?;
            return Ok(());
        }
    }
    Ok(())
}

/// The most derived built-in type among the bases' layouts.
/// The class along `ty`'s MRO that last added member slots, if any.
fn members_owner(ty: &Obj) -> Option<Obj> {
    type_data(ty)
        .mro
        .borrow()
        .iter()
        .find(|t| {
            let td = type_data(t);
            let inherited = td.bases.borrow().iter().map(|b| type_data(b).member_slots.get()).max().unwrap_or(0);
            td.member_slots.get() > inherited
        })
        .cloned()
}

/// The built-in type at the root of `b`'s layout.
fn layout_root(b: &Obj) -> Obj {
    let mut root = b.clone();
    // Built-in types whose instances share their base's payload (the
    // exception classes, `bool`) have that base's layout too.
    loop {
        let next = type_data(&root).bases.borrow().iter().find(|x| type_data(x).instances.same_base(&type_data(&root).instances)).cloned();
        match next {
            Some(n) => root = n,
            None => break,
        }
    }
    root
}

/// `cls.__base__` (CPython's `best_base`): of the bases, the first one
/// whose solid base (the class that last added instance state: member
/// slots, or a built-in layout) derives from all the others' solid bases.
pub fn type_base(vm: &Vm, cls: &Obj) -> Obj {
    let bases = type_data(cls).bases.borrow().clone();
    if bases.len() < 2 {
        return bases.first().cloned().unwrap_or_else(|| vm.none.clone());
    }
    let mut winner: Option<(Obj, &Obj)> = None;
    for b in &bases {
        let solid = members_owner(b).unwrap_or_else(|| layout_root(b));
        match &winner {
            Some((w, _)) if is_subtype(w, &solid) => {}
            _ => winner = Some((solid, b)),
        }
    }
    winner.map_or_else(|| vm.none.clone(), |(_, b)| b.clone())
}

fn solid_base(vm: &Vm, bases: &[Obj]) -> PyResult<Obj> {
    let mut best = vm.types.object.clone();
    for b in bases {
        let root = layout_root(b);
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

/// `Can't instantiate abstract class X with abstract methods f, g`.
pub fn abstract_error(vm: &Vm, cls: &Obj) -> crate::PyErr {
    let value = type_data(cls).dict.borrow().get("__abstractmethods__").cloned();
    let mut names: Vec<String> = match value.map(|v| crate::sequence::to_vec(vm, &v)) {
        Some(Ok(items)) => items.iter().filter_map(|n| n.downcast::<StrData>().map(|s| s.as_str().into_owned())).collect(),
        Some(Err(e)) => return e,
        None => Vec::new(),
    };
    names.sort();
    let s = if names.len() == 1 { "" } else { "s" };
    vm.type_error(format!("Can't instantiate abstract class {} with abstract method{s} {}", type_data(cls).name, names.join(", ")))
}

/// `cls.__abstractmethods__`: only where set.
pub fn type_get_abstract(vm: &Vm, cls: &Obj) -> PyResult<Obj> {
    let v = if cls.is(&vm.types.type_) { None } else { type_data(cls).dict.borrow().get("__abstractmethods__").cloned() };
    v.ok_or_else(|| vm.new_error(&vm.types.attribute_error, "__abstractmethods__"))
}

pub fn type_set_abstract(vm: &Vm, cls: &Obj, value: Option<Obj>) -> PyResult<()> {
    let abstract_ = match &value {
        Some(v) => ops::truth(vm, v)?,
        None => false,
    };
    type_set_special(vm, cls, "__abstractmethods__", value)?;
    type_data(cls).is_abstract.set(abstract_);
    Ok(())
}

/// Sets or deletes a special attribute kept in a class's dict
/// (`__module__`, `__doc__`).
pub fn type_set_special(vm: &Vm, cls: &Obj, name: &str, value: Option<Obj>) -> PyResult<()> {
    let t = type_data(cls);
    if !t.instances.owns_type {
        return Err(vm.type_error(format!("cannot set '{name}' attribute of immutable type '{}'", t.name)));
    }
    if value.is_none() && matches!(name, "__doc__" | "__module__") {
        return Err(vm.type_error(format!("cannot delete '{name}' attribute of immutable type '{}'", t.name)));
    }
    let old = match value {
        Some(v) => t.dict.borrow_mut().insert_returning(name, v),
        None => match t.dict.borrow_mut().remove(name) {
            Some(v) => Some(v),
            None => return Err(vm.new_error(&vm.types.attribute_error, name.to_string())),
        },
    };
    drop(old);
    crate::types::type_modified(cls);
    Ok(())
}

/// `cls.__bases__ = value` (classes defined in Python only), with
/// CPython's checks; recomputes the MRO and slots of the class and of its
/// subclasses (all restored if one of them has no consistent MRO).
pub fn type_set_bases(vm: &Vm, cls: &Obj, value: Option<Obj>) -> PyResult<()> {
    let t = type_data(cls);
    if !t.instances.owns_type {
        return Err(vm.type_error(format!("cannot set '__bases__' attribute of immutable type '{}'", t.name)));
    }
    let Some(value) = value else {
        // (CPython's wording, for classes defined in Python too.)
        return Err(vm.type_error(format!("cannot delete '__bases__' attribute of immutable type '{}'", t.name)));
    };
    let name = type_data(cls).name.to_string();
    let Some(tuple) = value.downcast::<builtin::TupleData>() else {
        return Err(vm.type_error(format!("can only assign tuple to {name}.__bases__, not {}", type_name(&value))));
    };
    let new_bases = tuple.items.to_vec();
    if new_bases.is_empty() {
        return Err(vm.type_error(format!("can only assign non-empty tuple to {name}.__bases__, not ()")));
    }
    for (i, b) in new_bases.iter().enumerate() {
        if b.downcast::<TypeData>().is_none() {
            return Err(vm.type_error(format!("{name}.__bases__ must be tuple of classes, not '{}'", type_name(b))));
        }
        if is_subtype(b, cls) || reaches_through_bases(b, cls) {
            return Err(vm.type_error("a __bases__ item causes an inheritance cycle"));
        }
        if new_bases[..i].iter().any(|x| x.is(b)) {
            return Err(vm.type_error(format!("duplicate base class {}", type_data(b).name)));
        }
    }
    // The instances keep their layout: the new bases must give the same
    // one (CPython's `compatible_for_assignment`).
    let old_bases = t.bases.borrow().clone();
    let (old_solid, new_solid) = (solid_base(vm, &old_bases)?, solid_base(vm, &new_bases)?);
    let (oldto, newto) = (best_base(&old_bases, &old_solid), best_base(&new_bases, &new_solid));
    let (o, n) = (type_data(&oldto), type_data(&newto));
    if o.instances.owns_type != n.instances.owns_type || (!o.instances.owns_type && !old_solid.is(&new_solid)) {
        return Err(vm.type_error(format!("__bases__ assignment: '{}' deallocator differs from '{}'", n.name, o.name)));
    }
    let members = |bases: &[Obj]| bases.iter().map(|b| type_data(b).member_slots.get()).max().unwrap_or(0);
    let has_dict = |bases: &[Obj]| bases.iter().any(|b| type_data(b).instance_dict.get());
    if !old_solid.is(&new_solid) || members(&old_bases) != members(&new_bases) || has_dict(&old_bases) != has_dict(&new_bases) {
        return Err(vm.type_error(format!("__bases__ assignment: '{}' object layout differs from '{}'", n.name, o.name)));
    }
    let old = t.bases.replace(new_bases.clone());
    // New MROs for the class and everything deriving from it (parents
    // before children); put back if one of them cannot be linearised.
    let mut order = vec![cls.clone()];
    let mut i = 0;
    while i < order.len() {
        let subs = crate::types::subclasses(&order[i]);
        for sub in subs {
            if !order.iter().any(|x| x.is(&sub)) {
                order.push(sub);
            }
        }
        i += 1;
    }
    let mut saved: Vec<(Obj, Vec<Obj>)> = Vec::new();
    for ty in &order {
        match recompute_mro(vm, ty) {
            Ok(mro) => saved.push((ty.clone(), type_data(ty).mro.replace(mro))),
            Err(e) => {
                for (ty, mro) in saved.into_iter().rev() {
                    drop(type_data(&ty).mro.replace(mro));
                }
                drop(t.bases.replace(old));
                return Err(e);
            }
        }
    }
    // (A metaclass's `mro()` may have assigned `__bases__` again: that
    // assignment updated the subclass lists.)
    let current = t.bases.borrow().clone();
    if current.len() == new_bases.len() && current.iter().zip(&new_bases).all(|(a, b)| a.is(b)) {
        for b in &old {
            crate::types::remove_subclass(b, cls);
        }
        for b in &new_bases {
            crate::types::add_subclass(vm, b, cls);
        }
    }
    for ty in &order {
        let td = type_data(ty);
        if td.instances.owns_type {
            let bases = td.bases.borrow().clone();
            let mut slots = Slots::default();
            install_slot_wrappers(&td.dict.borrow(), &mut slots);
            let solid = solid_base(vm, &bases)?;
            inherit_slots(&mut slots, &td.mro.borrow(), &best_base(&bases, &solid));
            td.slots.set(slots);
        }
    }
    crate::types::type_modified(cls);
    drop(saved);
    drop(old);
    Ok(())
}

/// Whether `target` is among `from` and its bases, transitively (the MROs
/// may be stale while a metaclass's `mro()` reassigns `__bases__`).
fn reaches_through_bases(from: &Obj, target: &Obj) -> bool {
    let mut todo = vec![from.clone()];
    let mut seen: Vec<Obj> = Vec::new();
    while let Some(t) = todo.pop() {
        if t.is(target) {
            return true;
        }
        if seen.iter().any(|s| s.is(&t)) {
            continue;
        }
        todo.extend(type_data(&t).bases.borrow().iter().cloned());
        seen.push(t);
    }
    false
}

/// The MRO of `ty` from its current bases: its metaclass's `mro()` when
/// a Python metaclass overrides it, else the C3 linearisation.
fn recompute_mro(vm: &Vm, ty: &Obj) -> PyResult<Vec<Obj>> {
    let meta = type_of(ty);
    if type_data(&meta).instances.owns_type {
        if let Some(f) = lookup(&meta, "mro") {
            if f.downcast::<crate::native::MethodDescrData>().is_none() {
                let r = call_object(vm, &f, std::slice::from_ref(ty))?;
                let mro = crate::sequence::to_vec(vm, &r)?;
                for c in &mro {
                    if c.downcast::<TypeData>().is_none() {
                        return Err(vm.type_error(format!("mro() returned a non-class ('{}')", type_name(c))));
                    }
                }
                return Ok(mro);
            }
        }
    }
    let bases = type_data(ty).bases.borrow().clone();
    c3_merge(ty, &bases).map_err(|heads| {
        let names: Vec<&str> = heads.iter().map(|b| &*type_data(b).name).collect();
        vm.type_error(format!("Cannot create a consistent method resolution\norder (MRO) for bases {}", names.join(", ")))
    })
}

/// `cls.__name__ = value` (classes defined in Python only).
pub fn type_set_name(vm: &Vm, cls: &Obj, value: Option<Obj>) -> PyResult<()> {
    let t = type_data(cls);
    let shown = match &*t.assigned_name.borrow() {
        Some(n) => str_data(n).as_str().into_owned(),
        None => t.name.to_string(),
    };
    if !t.instances.owns_type {
        return Err(vm.type_error(format!("cannot set '__name__' attribute of immutable type '{shown}'")));
    }
    match value {
        Some(v) => match v.downcast::<StrData>() {
            Some(_) => {
                check_type_name(vm, &v)?;
                drop(t.assigned_name.replace(Some(v)));
                Ok(())
            }
            None => Err(vm.type_error(format!("can only assign string to {shown}.__name__, not '{}'", type_name(&v)))),
        },
        None => Err(vm.type_error(format!("cannot delete '__name__' attribute of immutable type '{shown}'"))),
    }
}

pub fn type_set_qualname(vm: &Vm, cls: &Obj, value: Option<Obj>) -> PyResult<()> {
    let t = type_data(cls);
    if !t.instances.owns_type {
        return Err(vm.type_error(format!("cannot set '__qualname__' attribute of immutable type '{}'", t.name)));
    }
    match value {
        Some(v) if v.downcast::<StrData>().is_some() => {
            drop(t.qualname.replace(Some(v)));
            Ok(())
        }
        Some(v) => Err(vm.type_error(format!("can only assign string to {}.__qualname__, not '{}'", t.name, type_name(&v)))),
        None => Err(vm.type_error(format!("cannot delete '__qualname__' attribute of immutable type '{}'", t.name))),
    }
}

/// `__new__` defined in Python: `cls.__new__(cls, *args)`.
fn slot_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let Some(f) = lookup(cls, "__new__") else { return Err(vm.type_error("__new__ missing")) };
    let f = match type_data_of(&f).slots.get().descr_get {
        Some(get) => get(vm, &f, None, cls)?,
        None => f,
    };
    let mut all = Vec::with_capacity(args.len() + 1);
    all.push(cls.clone());
    all.extend_from_slice(args);
    call_object_kw(vm, &f, &all, kw)
}

/// `__init__` defined in Python; it must return None.
fn slot_init(vm: &Vm, obj: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let r = match call_dunder_kw(vm, obj, "__init__", args, kw)? {
        Some(r) => r,
        None => return Ok(vm.none.clone()),
    };
    if !r.is(&vm.none) {
        return Err(vm.type_error(format!("__init__() should return None, not '{}'", type_name(&r))));
    }
    Ok(r)
}

/// Calls the method `name` found on `obj`'s type, with `obj` first.
fn call_dunder(vm: &Vm, obj: &Obj, name: &str, args: &[Obj]) -> PyResult<Option<Obj>> {
    call_dunder_kw(vm, obj, name, args, &[])
}

fn call_dunder_kw(vm: &Vm, obj: &Obj, name: &str, args: &[Obj], kw: Kwargs) -> PyResult<Option<Obj>> {
    let Some(f) = lookup(&type_of(obj), name) else { return Ok(None) };
    call_special(vm, &f, obj, args, kw).map(Some)
}

/// What calling special method `f` (found on `obj`'s type) calls: `None`
/// when `f` takes `obj` as its first argument (functions, method
/// descriptors), else `f` bound through its `__get__` or `f` itself.
fn bind_special(vm: &Vm, f: &Obj, obj: &Obj) -> PyResult<Option<Obj>> {
    let tf = type_of(f);
    let t = &vm.types;
    if tf.is(&t.function) || tf.is(&t.method_descriptor) || tf.is(&t.wrapper_descriptor) {
        return Ok(None);
    }
    match type_data(&tf).slots.get().descr_get {
        Some(get) => get(vm, f, Some(obj), &type_of(obj)).map(Some),
        None => Ok(Some(f.clone())),
    }
}

/// Calls special method `f`, found on `obj`'s type, for `obj`: functions
/// and method descriptors get `obj` as first argument; other descriptors
/// (a `property`, a `staticmethod`, a callable with `__get__`) are bound
/// through `__get__` first; plain callables get only `args` (CPython's
/// `lookup_maybe_method`).
pub fn call_special(vm: &Vm, f: &Obj, obj: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if let Some(bound) = bind_special(vm, f, obj)? {
        return call_object_kw(vm, &bound, args, kw);
    }
    if let Some(func) = f.downcast::<FunctionData>() {
        return crate::eval::call_function_self(vm, func, Some(obj), args, kw);
    }
    let mut all = Vec::with_capacity(args.len() + 1);
    all.push(obj.clone());
    all.extend_from_slice(args);
    call_object_kw(vm, f, &all, kw)
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
    if has("__new__") {
        slots.new = Some(slot_new);
    }
    if has("__init__") {
        slots.init = Some(slot_init);
    }
    if has("__del__") {
        slots.finalize = Some(crate::gc::python_del);
    }
    if has("__repr__") {
        slots.repr = Some(|vm, o| str_result(vm, o, "__repr__"));
    }
    if has("__str__") {
        slots.str = Some(|vm, o| str_result(vm, o, "__str__"));
    }
    if has("__len__") || has("__bool__") {
        slots.bool = Some(|vm, o| {
            if let Some(r) = call_dunder(vm, o, "__bool__", &[])? {
                if !type_of(&r).is(&vm.types.bool_) {
                    return Err(vm.type_error(format!("__bool__ should return bool, returned {}", type_name(&r))));
                }
                return ops::truth(vm, &r);
            }
            match call_dunder(vm, o, "__len__", &[])? {
                Some(r) => Ok(!matches!(r.downcast::<builtin::IntData>(), Some(builtin::IntData::Small(0)))),
                None => Ok(true),
            }
        });
    }
    if BINARY_DUNDERS.iter().any(|(l, r)| has(l) || has(r)) || has("__divmod__") || has("__rdivmod__") {
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
            let r = call_special(vm, &h, o, &[], &[])?;
            // An int in the machine range as is (-1 reserved), a bigger
            // one through int's hash (CPython's `slot_tp_hash`).
            match r.downcast::<builtin::IntData>() {
                Some(builtin::IntData::Small(-1)) => Ok(-2),
                Some(builtin::IntData::Small(v)) => Ok(*v),
                Some(builtin::IntData::Big(b)) => Ok(crate::hash::hash_bigint(b)),
                None => Err(vm.type_error("__hash__ method should return an integer")),
            }
        });
    } else if has("__eq__") {
        // Defining __eq__ without __hash__ makes instances unhashable.
        slots.hash = None;
    }
    if has("__neg__") {
        slots.negative = Some(|vm, o| unary_dunder(vm, o, "__neg__", "unary -"));
    }
    if has("__pos__") {
        slots.positive = Some(|vm, o| unary_dunder(vm, o, "__pos__", "unary +"));
    }
    if has("__invert__") {
        slots.invert = Some(|vm, o| unary_dunder(vm, o, "__invert__", "unary ~"));
    }
    if has("__abs__") {
        slots.absolute = Some(|vm, o| unary_dunder(vm, o, "__abs__", "abs()"));
    }
    if has("__iter__") {
        slots.iter = Some(|vm, o| {
            // `__iter__ = None` declares the instances not iterable.
            if lookup(&type_of(o), "__iter__").is_some_and(|f| f.is(&vm.none)) {
                return Err(vm.type_error(format!("'{}' object is not iterable", type_name(o))));
            }
            dunder_result(vm, o, "__iter__")
        });
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
        // `object.__getattribute__` directly.
        Some(f) if f.downcast::<crate::descriptors::WrapperData>().is_some_and(|w| w.owner.is(&vm.types.object)) => {
            generic_getattr(vm, o, name)
        }
        // Any descriptor is bound first (CPython's `call_attribute`).
        Some(f) => call_special(vm, &f, o, std::slice::from_ref(name), &[]),
        None => generic_getattr(vm, o, name),
    };
    match first {
        Err(e) if is_subtype(&type_of(&e.exc), &vm.types.attribute_error) => match lookup(&ty, "__getattr__") {
            Some(f) => call_special(vm, &f, o, std::slice::from_ref(name), &[]),
            None => Err(e),
        },
        r => r,
    }
}

/// A unary operator through the class's dunder (`__neg__`, ...).
fn unary_dunder(vm: &Vm, o: &Obj, name: &str, sym: &str) -> PyResult<Obj> {
    match call_dunder(vm, o, name, &[])? {
        Some(r) => Ok(r),
        None => Err(vm.type_error(format!("bad operand type for {sym}: '{}'", type_name(o)))),
    }
}

fn dunder_result_args(vm: &Vm, o: &Obj, name: &str, args: &[Obj]) -> PyResult<Obj> {
    match call_dunder(vm, o, name, args)? {
        Some(r) => Ok(r),
        None => Err(vm.type_error(format!("{name} missing"))),
    }
}

/// `__repr__`/`__str__`: the result must be a str (or a subclass).
fn str_result(vm: &Vm, o: &Obj, name: &str) -> PyResult<Obj> {
    let r = dunder_result(vm, o, name)?;
    if !is_subtype(&type_of(&r), &vm.types.str_) {
        return Err(vm.type_error(format!("{name} returned non-string (type {})", type_name(&r))));
    }
    Ok(r)
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
    reflected_order(vm, a, b, r, |reflected| {
        let (x, y, name) = if reflected { (b, a, r) } else { (a, b, l) };
        let tx = type_of(x);
        if type_data(&tx).slots.get().python_binary {
            if let Some(f) = lookup(&tx, name) {
                return call_special(vm, &f, x, std::slice::from_ref(y), &[]);
            }
            return Ok(vm.not_implemented.clone());
        }
        match type_data(&tx).slots.get().binary {
            Some(slot) => slot(vm, op, a, b),
            None => Ok(vm.not_implemented.clone()),
        }
    })
}

/// A binary operation that exists only as the dunder pair `l`/`r` (e.g.
/// `divmod`), with the reflected-operand and subclass-first rules of
/// `binary_dispatch`. Returns `NotImplemented` when neither side does it.
pub fn binary_by_name(vm: &Vm, a: &Obj, b: &Obj, l: &str, r: &str) -> PyResult<Obj> {
    reflected_order(vm, a, b, r, |reflected| {
        let (x, y, name) = if reflected { (b, a, r) } else { (a, b, l) };
        match lookup(&type_of(x), name) {
            Some(f) => call_special(vm, &f, x, std::slice::from_ref(y), &[]),
            None => Ok(vm.not_implemented.clone()),
        }
    })
}

/// CPython's `binary_op1` order: the right operand's reflected method
/// (`r`) first when its type is a proper subclass that defines it, then
/// the left operand's, then the right's; `side(reflected)` tries one.
fn reflected_order(vm: &Vm, a: &Obj, b: &Obj, r: &str, side: impl Fn(bool) -> PyResult<Obj>) -> PyResult<Obj> {
    let (ta, tb) = (type_of(a), type_of(b));
    let same = ta.is(&tb);
    // Between two classes with Python dunders, the subclass goes first
    // only if it overrides the reflected method (`method_is_overloaded`).
    let right_first = !same
        && is_subtype(&tb, &ta)
        && match lookup(&tb, r) {
            None => false,
            Some(fb) => !type_data(&ta).slots.get().python_binary || !lookup(&ta, r).is_some_and(|fa| fa.is(&fb)),
        };
    if right_first {
        let res = side(true)?;
        if !res.is(&vm.not_implemented) {
            return Ok(res);
        }
    }
    let res = side(false)?;
    if !res.is(&vm.not_implemented) || same || right_first {
        return Ok(res);
    }
    side(true)
}

fn compare_wrapper(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let name = COMPARE_DUNDERS[op as usize];
    let direct = match lookup(&type_of(a), name) {
        Some(f) => match bind_special(vm, &f, a) {
            Ok(None) => Some(call_object(vm, &f, &[a.clone(), b.clone()])?),
            Ok(Some(bound)) => Some(call_object(vm, &bound, std::slice::from_ref(b))?),
            // An error binding the method (a `property` raising) means
            // "not implemented", as in CPython's `slot_tp_richcompare`.
            Err(_) => return Ok(vm.not_implemented.clone()),
        },
        None => None,
    };
    match direct {
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
    let r = match type_data_of(obj).slots.get().getattro {
        Some(f) => f(vm, obj, name),
        None => generic_getattr(vm, obj, name),
    };
    r.map_err(|e| attribute_error_context(vm, e, obj, name))
}

/// CPython 3.11's `set_attribute_error_context`: an AttributeError out of
/// an attribute lookup (a `__getattr__` raising a bare one too) names
/// the attribute and the object, for the traceback's suggestions.
pub fn attribute_error_context(vm: &Vm, e: crate::PyErr, obj: &Obj, name: &Obj) -> crate::PyErr {
    // An error already augmented (by a nested lookup inside a
    // `__getattribute__`) keeps its own name and object.
    let augmented = builtin::exc_field(&e.exc, 0).is_some() || builtin::exc_field(&e.exc, 1).is_some();
    if is_subtype(&type_of(&e.exc), &vm.types.attribute_error) && builtin::exception_data(&e.exc).is_some() && !augmented {
        builtin::set_exc_field(&e.exc, 0, Some(name.clone()));
        builtin::set_exc_field(&e.exc, 1, Some(obj.clone()));
    }
    e
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
        module_no_attribute_message(vm, m, &key)
    } else {
        format!("'{}' object has no attribute '{key}'", type_name(obj))
    };
    // `name` and `obj` serve the traceback's "Did you mean" suggestion.
    let e = vm.new_error(&vm.types.attribute_error, msg);
    builtin::set_exc_field(&e.exc, 0, Some(name.clone()));
    builtin::set_exc_field(&e.exc, 1, Some(obj.clone()));
    e
}

/// CPython names the module by its `__name__` (not the name it was
/// created with) and blames a circular import while `__spec__._initializing`.
fn module_no_attribute_message(vm: &Vm, m: &crate::modules::ModuleData, key: &str) -> String {
    let name = builtin::dict_get_str(vm, &m.dict, "__name__").ok().flatten();
    let Some(name) = name.filter(|n| n.downcast::<builtin::StrData>().is_some()) else {
        return format!("module has no attribute '{key}'");
    };
    let name = str_data(&name).as_str().to_string();
    let initializing = builtin::dict_get_str(vm, &m.dict, "__spec__")
        .ok()
        .flatten()
        .filter(|spec| !spec.is(&vm.none))
        .and_then(|spec| getattr_opt(vm, &spec, &vm.intern("_initializing")).ok().flatten())
        .is_some_and(|v| crate::ops::truth(vm, &v).unwrap_or(false));
    // `_PyModuleSpec_IsUninitializedSubmodule`: the import system is
    // importing `name.key` (`spec._uninitialized_submodules`).
    let uninitialized_submodule = || {
        builtin::dict_get_str(vm, &m.dict, "__spec__")
            .ok()
            .flatten()
            .filter(|spec| !spec.is(&vm.none))
            .and_then(|spec| getattr_opt(vm, &spec, &vm.intern("_uninitialized_submodules")).ok().flatten())
            .is_some_and(|subs| crate::ops::contains(vm, &subs, &vm.intern(key)).unwrap_or(false))
    };
    if initializing {
        format!("partially initialized module '{name}' has no attribute '{key}' (most likely due to a circular import)")
    } else if uninitialized_submodule() {
        format!("cannot access submodule '{key}' of module '{name}' (most likely due to a circular import)")
    } else {
        format!("module '{name}' has no attribute '{key}'")
    }
}

/// The `__dict__` slot of an object that has one: instances of classes
/// defined in Python, exceptions, functions.
pub fn dict_slot(obj: &Obj) -> Option<&RefCell<Option<Obj>>> {
    dict_slot_of(obj, type_data_of(obj))
}

/// `dict_slot` given the object's type data.
#[inline]
pub fn dict_slot_of<'a>(obj: &'a Obj, ty: &TypeData) -> Option<&'a RefCell<Option<Obj>>> {
    if let Some(e) = obj.instance_ext() {
        return ty.instance_dict.get().then_some(&e.dict);
    }
    if let Some(e) = builtin::exception_data(obj) {
        return Some(&e.dict);
    }
    if let Some(n) = obj.downcast::<crate::types::namespace::NamespaceData>() {
        return Some(&n.dict);
    }
    if let Some(f) = obj.downcast::<FunctionData>() {
        return Some(&f.dict);
    }
    type_data_of(obj).slots.get().dict.and_then(|f| f(obj))
}

/// The object's `__dict__`, created on first use (an instance in shape
/// mode switches to dict mode).
pub fn instance_dict(vm: &Vm, obj: &Obj) -> Option<Obj> {
    if let Some(e) = obj.instance_ext() {
        if type_data_of(obj).instance_dict.get() {
            return Some(e.materialise(vm));
        }
    }
    let slot = dict_slot(obj)?;
    if let Some(d) = &*slot.borrow() {
        return Some(d.clone());
    }
    let d = builtin::new_dict(vm);
    *slot.borrow_mut() = Some(d.clone());
    Some(d)
}

/// The names of the object's own attributes (its `__dict__`'s keys),
/// without making an instance's dict.
pub fn own_attr_names(obj: &Obj) -> Vec<Obj> {
    if let Some(e) = attr_ext(obj, type_data_of(obj)) {
        return e.keys();
    }
    match dict_slot(obj).and_then(|s| s.borrow().clone()) {
        Some(d) => builtin::dict_items(&d).into_iter().map(|(k, _)| k).collect(),
        None => Vec::new(),
    }
}

/// The object's own attribute `name` (in its `__dict__`), without making
/// an instance's dict.
pub fn own_attr(vm: &Vm, obj: &Obj, name: &Obj) -> PyResult<Option<Obj>> {
    if let Some(e) = attr_ext(obj, type_data_of(obj)) {
        return e.get_attr(vm, name);
    }
    match dict_slot(obj).and_then(|s| s.borrow().clone()) {
        Some(d) => builtin::dict_get(vm, &d, name),
        None => Ok(None),
    }
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
    generic_getattr_with_dict(vm, obj, name, None)
}

/// `object.__getattribute__` with `dict` standing for the instance's
/// `__dict__` when given (CPython's `_PyObject_GenericGetAttrWithDict`;
/// `_thread._local` passes the calling thread's dict).
pub fn generic_getattr_with_dict(vm: &Vm, obj: &Obj, name: &Obj, dict: Option<&Obj>) -> PyResult<Option<Obj>> {
    let ty = type_of(obj);
    let attr = lookup_name(&ty, name);
    if let Some(a) = &attr {
        let s = type_data_of(a).slots.get();
        if let (Some(get), Some(_)) = (s.descr_get, s.descr_set) {
            return get(vm, a, Some(obj), &ty).map(Some);
        }
    }
    if let Some(d) = dict {
        if let Some(v) = builtin::dict_get(vm, d, name)? {
            return Ok(Some(v));
        }
    } else if let Some(e) = attr_ext(obj, type_data(&ty)) {
        if let Some(v) = e.get_attr(vm, name)? {
            return Ok(Some(v));
        }
    } else if let Some(slot) = dict_slot_of(obj, type_data(&ty)) {
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
    if str_data(name).value.as_bytes() == b"__dict__" {
        if dict.is_some() {
            return Ok(dict.cloned());
        }
        let d = instance_dict(vm, obj);
        if let (Some(e), Some(d)) = (obj.instance_ext(), &d) {
            e.dict_exposed.set(true);
            crate::object::gc::track_object(d);
        }
        return Ok(d);
    }
    Ok(None)
}

/// `object.__setattr__` / `object.__delattr__`.
pub fn generic_setattr(vm: &Vm, obj: &Obj, name: &Obj, value: Option<Obj>) -> PyResult<()> {
    generic_setattr_with_dict(vm, obj, name, value, None)
}

/// `object.__setattr__` with `dict` standing for the instance's
/// `__dict__` when given (`_PyObject_GenericSetAttrWithDict`).
pub fn generic_setattr_with_dict(vm: &Vm, obj: &Obj, name: &Obj, value: Option<Obj>, dict: Option<&Obj>) -> PyResult<()> {
    let found = lookup_name(&type_of(obj), name);
    if let Some(a) = &found {
        if let Some(set) = type_data_of(a).slots.get().descr_set {
            return set(vm, a, obj, value);
        }
    }
    if dict.is_none() {
        if let Some(e) = attr_ext(obj, type_data_of(obj)) {
            if str_data(name).value.as_bytes() == b"__dict__" && found.is_none() {
                return set_instance_dict(vm, e, value);
            }
            return match e.set_attr(vm, name, value)? {
                true => Ok(()),
                false => Err(no_attribute(vm, obj, name)),
            };
        }
    }
    let Some(d) = dict.cloned().or_else(|| instance_dict(vm, obj)) else {
        let key = str_data(name).as_str();
        let msg = if found.is_some() {
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

/// `obj.__dict__ = d` (a dict or a subclass) and `del obj.__dict__` (a new
/// empty dict next time).
fn set_instance_dict(vm: &Vm, e: &InstanceExt, value: Option<Obj>) -> PyResult<()> {
    match value {
        Some(d) if d.downcast::<builtin::DictData>().is_some() => {
            // A dict from outside stays tracked by the collector itself.
            e.dict_exposed.set(true);
            e.replace_dict(d);
            Ok(())
        }
        Some(d) => Err(vm.type_error(format!("__dict__ must be set to a dictionary, not a '{}'", type_name(&d)))),
        None => {
            let d = builtin::new_dict(vm);
            crate::object::gc::untrack_object(&d);
            e.replace_dict(d);
            e.dict_exposed.set(false);
            Ok(())
        }
    }
}

/// `obj.__class__ = cls`: only between classes with the same layout.
pub fn set_class(vm: &Vm, obj: &Obj, value: Option<Obj>) -> PyResult<()> {
    let Some(cls) = value else { return Err(vm.type_error("can't delete __class__ attribute")) };
    let Some(new) = cls.downcast::<TypeData>() else {
        return Err(vm.type_error(format!("__class__ must be set to a class, not '{}' object", type_name(&cls))));
    };
    let old = type_data_of(obj);
    if !old.instances.owns_type || !new.instances.owns_type {
        return Err(vm.type_error("__class__ assignment only supported for mutable types or ModuleType subclasses"));
    }
    let same_layout = old.instances.same_base(&new.instances)
        && old.instance_dict.get() == new.instance_dict.get()
        && old.member_slots.get() == new.member_slots.get();
    if !same_layout {
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
    let meta_attr = lookup_name(&meta, name);
    if let Some(a) = &meta_attr {
        let s = type_data_of(a).slots.get();
        if let (Some(get), Some(_)) = (s.descr_get, s.descr_set) {
            return get(vm, a, Some(cls), &meta);
        }
    }
    if let Some(a) = lookup_name(cls, name) {
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
    crate::types::type_modified(cls);
    if key.starts_with("__") && key.ends_with("__") {
        let mut slots = t.slots.get();
        install_slot_wrappers(&t.dict.borrow(), &mut slots);
        t.slots.set(slots);
    }
    Ok(())
}

pub static TYPE_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "mro",
        |vm, this, a, kw| {
            crate::native::exact::<0>(vm, "mro", a, kw)?;
            // Computed from the current bases (a metaclass's `mro()` calls
            // it while `__bases__` is being assigned).
            if type_data(this).instances.owns_type {
                let bases = type_data(this).bases.borrow().clone();
                return c3_merge(this, &bases).map(|m| builtin::new_list(vm, m)).map_err(|heads| {
                    let names: Vec<&str> = heads.iter().map(|b| &*type_data(b).name).collect();
                    vm.type_error(format!("Cannot create a consistent method resolution\norder (MRO) for bases {}", names.join(", ")))
                });
            }
            Ok(builtin::new_list(vm, type_data(this).mro.borrow().clone()))
        },
        "Return a type's method resolution order.",
    ),
    MethodDef::method(
        "__subclasses__",
        |vm, this, a, kw| {
            crate::native::exact::<0>(vm, "__subclasses__", a, kw)?;
            Ok(builtin::new_list(vm, crate::types::subclasses(this)))
        },
        "Return a list of immediate subclasses.",
    ),
    MethodDef::method(
        "__instancecheck__",
        |vm, this, a, kw| {
            let [obj] = crate::native::exact::<1>(vm, "__instancecheck__", a, kw)?;
            Ok(vm.bool(type_instancecheck(vm, &obj, this)?))
        },
        "Check if an object is an instance.",
    ),
    MethodDef::method(
        "__subclasscheck__",
        |vm, this, a, kw| {
            let [sub] = crate::native::exact::<1>(vm, "__subclasscheck__", a, kw)?;
            Ok(vm.bool(plain_issubclass(vm, &sub, this)?))
        },
        "Check if a class is a subclass.",
    ),
    MethodDef::class("__prepare__", |vm, _, _, _| Ok(builtin::new_dict(vm)), "Create the namespace for the class statement"),
    MethodDef::method(
        "__dir__",
        |vm, this, a, kw| {
            crate::native::exact::<0>(vm, "__dir__", a, kw)?;
            let mut names = Vec::new();
            add_type_names(this, &mut names);
            Ok(builtin::new_list(vm, names.iter().map(|n| vm.intern(n)).collect()))
        },
        "Specialized __dir__ implementation for types.",
    ),
];

/// The attribute names of a class and its bases, deduplicated, in MRO
/// order.
fn add_type_names(cls: &Obj, names: &mut Vec<String>) {
    for t in type_data(cls).mro.borrow().iter() {
        for (k, _) in type_data(t).dict.borrow().iter() {
            if !names.iter().any(|n| n == k) {
                names.push(k.to_string());
            }
        }
    }
}

/// `object.__dir__`: the instance's `__dict__` keys and its class's
/// attributes.
pub fn object_dir(vm: &Vm, obj: &Obj) -> PyResult<Obj> {
    let mut names: Vec<String> = Vec::new();
    if let Some(d) = getattr_opt(vm, obj, &vm.intern("__dict__"))? {
        if d.downcast::<builtin::DictData>().is_some() {
            for (k, _) in builtin::dict_items(&d) {
                if let Some(s) = k.downcast::<StrData>() {
                    names.push(s.as_str().into_owned());
                }
            }
        }
    }
    let cls = match getattr_opt(vm, obj, &vm.intern("__class__"))? {
        Some(c) if c.downcast::<TypeData>().is_some() => c,
        _ => type_of(obj),
    };
    add_type_names(&cls, &mut names);
    Ok(builtin::new_list(vm, names.iter().map(|n| vm.intern(n)).collect()))
}

/// Calls the `locals` builtin (no-argument `dir()`/`vars()`).
fn call_locals(vm: &Vm, fname: &str) -> PyResult<Obj> {
    match builtin::dict_get_str(vm, &vm.builtins, "locals")? {
        Some(f) => call_object(vm, &f, &[]),
        None => Err(vm.new_error(&vm.types.runtime_error, format!("{fname}(): no locals"))),
    }
}

/// `dir([object])`.
pub fn builtin_dir(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [obj] = crate::native::at_most::<1>(vm, "dir", 0, args, kw)?;
    let names = match obj {
        None => {
            let l = call_locals(vm, "dir")?;
            if std::ptr::eq(l.type_ptr(), vm.types.dict.as_ptr()) {
                builtin::dict_items(&l).into_iter().map(|(k, _)| k).collect()
            } else {
                // `exec` with a mapping (or a dict subclass) as locals:
                // its keys() (CPython's `PyMapping_Keys`).
                let keys = crate::lang::call_method(vm, &l, "keys", &[])?;
                crate::sequence::to_vec(vm, &keys)?
            }
        }
        Some(o) => {
            let Some(f) = lookup(&type_of(&o), "__dir__") else {
                return Err(vm.type_error("object does not provide __dir__"));
            };
            let r = call_special(vm, &f, &o, &[], &[])?;
            crate::sequence::to_vec(vm, &r)?
        }
    };
    Ok(builtin::new_list(vm, crate::builtins_module::sort_items(vm, names, None, false)?))
}

/// `vars([object])`.
pub fn builtin_vars(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [obj] = crate::native::at_most::<1>(vm, "vars", 0, args, kw)?;
    match obj {
        None => call_locals(vm, "vars"),
        Some(o) => match getattr_opt(vm, &o, &vm.intern("__dict__"))? {
            Some(d) => Ok(d),
            None => Err(vm.type_error("vars() argument must have __dict__ attribute")),
        },
    }
}

/// `cls[key]` on a class: `__class_getitem__` (PEP 560), if defined.
pub fn class_getitem(vm: &Vm, cls: &Obj, key: &Obj) -> PyResult<Option<Obj>> {
    if cls.downcast::<TypeData>().is_none() {
        return Ok(None);
    }
    if cls.is(&vm.types.type_) {
        return Ok(Some(crate::types::genericalias::new_generic_alias(vm, cls, key)));
    }
    match getattr_opt(vm, cls, &vm.intern("__class_getitem__"))? {
        Some(f) => call_object(vm, &f, std::slice::from_ref(key)).map(Some),
        None => Err(vm.type_error(format!("type '{}' is not subscriptable", type_data(cls).name))),
    }
}

/// `issubclass` without `__subclasscheck__` (CPython's
/// `recursive_issubclass`): two types compare by their MROs; other
/// objects count as classes when they have a `__bases__` tuple.
fn plain_issubclass(vm: &Vm, sub: &Obj, cls: &Obj) -> PyResult<bool> {
    if sub.downcast::<TypeData>().is_some() && cls.downcast::<TypeData>().is_some() {
        return Ok(is_subtype(sub, cls));
    }
    if abstract_bases(vm, sub)?.is_none() {
        return Err(vm.type_error("issubclass() arg 1 must be a class"));
    }
    let is_union = &*type_data_of(cls).name == "types.UnionType";
    if !is_union && abstract_bases(vm, cls)?.is_none() {
        return Err(vm.type_error("issubclass() arg 2 must be a class, a tuple of classes, or a union"));
    }
    abstract_issubclass(vm, sub, cls)
}

/// `cls.__bases__` when it is a tuple (CPython's `abstract_get_bases`);
/// `None` when missing (AttributeError) or not a tuple.
fn abstract_bases(vm: &Vm, cls: &Obj) -> PyResult<Option<Obj>> {
    let bases = getattr_opt(vm, cls, &vm.intern("__bases__"))?;
    Ok(bases.filter(|b| b.downcast::<builtin::TupleData>().is_some()))
}

/// Whether `cls` is reachable from `derived` through `__bases__`
/// (CPython's `abstract_issubclass`, for objects that act as classes).
fn abstract_issubclass(vm: &Vm, derived: &Obj, cls: &Obj) -> PyResult<bool> {
    let mut derived = derived.clone();
    loop {
        if derived.is(cls) {
            return Ok(true);
        }
        let Some(bases) = abstract_bases(vm, &derived)? else { return Ok(false) };
        let items = match bases.downcast::<builtin::TupleData>() {
            Some(t) => t.items.to_vec(),
            None => return Ok(false),
        };
        match items.len() {
            0 => return Ok(false),
            // Single inheritance: a loop, not a recursion.
            1 => derived = items[0].clone(),
            _ => {
                let _guard = vm.enter_recursive_call(" in __issubclass__")?;
                for b in &items {
                    if abstract_issubclass(vm, b, cls)? {
                        return Ok(true);
                    }
                }
                return Ok(false);
            }
        }
    }
}

/// `isinstance` for a `cls` that is not a type (CPython's
/// `object_isinstance`): `cls` needs a `__bases__` tuple, and `obj`'s
/// `__class__` must reach it through `__bases__`.
fn abstract_isinstance(vm: &Vm, obj: &Obj, cls: &Obj) -> PyResult<bool> {
    if abstract_bases(vm, cls)?.is_none() {
        return Err(vm.type_error("isinstance() arg 2 must be a type, a tuple of types, or a union"));
    }
    match getattr_opt(vm, obj, &vm.intern("__class__"))? {
        Some(icls) => abstract_issubclass(vm, &icls, cls),
        None => Ok(false),
    }
}

/// Whether `f`, found on a metaclass, is `type`'s own check method.
fn is_type_method(vm: &Vm, f: &Obj, name: &str) -> bool {
    type_data(&vm.types.type_).dict.borrow().get(name).is_some_and(|m| m.is(f))
}

/// `type.__instancecheck__` (CPython's `object_isinstance`): the type of
/// `obj`, else its `__class__` when a class overrides that attribute
/// (proxies, `unittest.mock` specs).
fn type_instancecheck(vm: &Vm, obj: &Obj, cls: &Obj) -> PyResult<bool> {
    let ty = type_of(obj);
    if is_subtype(&ty, cls) {
        return Ok(true);
    }
    // `object.__class__` (a data descriptor) gives `type(obj)` itself.
    // (Unless a `__getattribute__` of the class answers instead.)
    let own = lookup(&ty, "__class__");
    let object_attr = |name: &str, d: &Obj| lookup(&vm.types.object, name).is_some_and(|o| o.is(d));
    let plain_getattribute = lookup(&ty, "__getattribute__").is_none_or(|g| object_attr("__getattribute__", &g));
    if plain_getattribute && (own.is_none() || own.is_some_and(|d| object_attr("__class__", &d))) {
        return Ok(false);
    }
    match getattr_opt(vm, obj, &vm.intern("__class__")) {
        Ok(Some(icls)) if !icls.is(&ty) && icls.downcast::<TypeData>().is_some() => Ok(is_subtype(&icls, cls)),
        Ok(_) => Ok(false),
        Err(e) if crate::types::is_subtype(&type_of(&e.exc), &vm.types.attribute_error) => Ok(false),
        Err(e) => Err(e),
    }
}

/// `isinstance(obj, cls)`: tuples of classes, `__instancecheck__` on the
/// metaclass (CPython's `PyObject_IsInstance`).
pub fn isinstance(vm: &Vm, obj: &Obj, cls: &Obj) -> PyResult<bool> {
    let ty = type_of(obj);
    if ty.is(cls) {
        return Ok(true);
    }
    if type_of(cls).is(&vm.types.type_) {
        return type_instancecheck(vm, obj, cls);
    }
    if let Some(t) = cls.downcast::<builtin::TupleData>() {
        let _guard = vm.enter_recursive_call(" in __instancecheck__")?;
        for c in t.items.iter() {
            if isinstance(vm, obj, c)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    match lookup(&type_of(cls), "__instancecheck__") {
        Some(f) if is_type_method(vm, &f, "__instancecheck__") => type_instancecheck(vm, obj, cls),
        Some(f) => {
            let r = {
                let _guard = vm.enter_recursive_call(" in __instancecheck__")?;
                call_special(vm, &f, cls, std::slice::from_ref(obj), &[])?
            };
            ops::truth(vm, &r)
        }
        None if cls.downcast::<TypeData>().is_some() => type_instancecheck(vm, obj, cls),
        None => abstract_isinstance(vm, obj, cls),
    }
}

/// `issubclass(sub, cls)`, with `__subclasscheck__` on the metaclass.
pub fn issubclass(vm: &Vm, sub: &Obj, cls: &Obj) -> PyResult<bool> {
    if type_of(cls).is(&vm.types.type_) {
        return plain_issubclass(vm, sub, cls);
    }
    if let Some(t) = cls.downcast::<builtin::TupleData>() {
        let _guard = vm.enter_recursive_call(" in __subclasscheck__")?;
        for c in t.items.iter() {
            if issubclass(vm, sub, c)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    match lookup(&type_of(cls), "__subclasscheck__") {
        Some(f) if is_type_method(vm, &f, "__subclasscheck__") => plain_issubclass(vm, sub, cls),
        Some(f) => {
            let r = {
                let _guard = vm.enter_recursive_call(" in __subclasscheck__")?;
                call_special(vm, &f, cls, std::slice::from_ref(sub), &[])?
            };
            ops::truth(vm, &r)
        }
        None => plain_issubclass(vm, sub, cls),
    }
}

/// The `isinstance` builtin.
pub fn builtin_isinstance(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "isinstance", kw)?;
    let [o, cls] = a else { return Err(vm.type_error(format!("isinstance expected 2 arguments, got {}", a.len()))) };
    Ok(vm.bool(isinstance(vm, o, cls)?))
}

/// The `issubclass` builtin.
pub fn builtin_issubclass(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "issubclass", kw)?;
    let [sub, cls] = a else { return Err(vm.type_error(format!("issubclass expected 2 arguments, got {}", a.len()))) };
    Ok(vm.bool(issubclass(vm, sub, cls)?))
}

/// The collector's view of a bound method.
pub(crate) fn method_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(m) = o.downcast::<MethodData>() {
        visit(&m.func);
        visit(&m.self_);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(vm: &Vm, name: &str, bases: Vec<Obj>) -> PyResult<Obj> {
        let ns = builtin::new_dict(vm);
        new_class(vm, &vm.types.type_, name, bases, &ns, &[])
    }

    fn names(objs: &[Obj]) -> Vec<String> {
        objs.iter().map(|t| type_data(t).name.to_string()).collect()
    }

    #[test]
    fn subclass_lists_are_weak_ordered_and_pruned() {
        let vm = Vm::new();
        let _guard = crate::object::gc::enter_vm(&vm);
        let base = class(&vm, "Base", vec![]).unwrap();
        let subs: Vec<Obj> = (0..16).map(|i| class(&vm, &format!("S{i}"), vec![base.clone()]).unwrap()).collect();
        assert_eq!(names(&crate::types::subclasses(&base)), names(&subs));
        // Dropping the odd ones (and collecting their cycles) leaves the
        // even ones, in order; the dead entries stay until an addition
        // finds the list doubled since the last pruning (at 8 entries).
        let mut even = Vec::new();
        let mut odd = Vec::new();
        for (i, c) in subs.into_iter().enumerate() {
            if i % 2 == 0 {
                even.push(c);
            } else {
                odd.push(c);
            }
        }
        drop(odd);
        crate::gc::collect(&vm, 2);
        assert_eq!(names(&crate::types::subclasses(&base)), names(&even));
        assert_eq!(type_data(&base).subclasses.borrow().raw_len(), 16);
        let last = class(&vm, "Last", vec![base.clone()]).unwrap();
        assert_eq!(type_data(&base).subclasses.borrow().raw_len(), 9);
        assert!(crate::types::subclasses(&base).last().is_some_and(|c| c.is(&last)));
    }

    #[test]
    fn c3_orders_and_reports_unmergeable_heads() {
        let vm = Vm::new();
        let o = class(&vm, "O", vec![]).unwrap();
        let a = class(&vm, "A", vec![o.clone()]).unwrap();
        let b = class(&vm, "B", vec![o.clone()]).unwrap();
        let ab = class(&vm, "AB", vec![a.clone(), b.clone()]).unwrap();
        assert_eq!(names(&type_data(&ab).mro.borrow()), ["AB", "A", "B", "O", "object"]);
        let bad = c3_merge(&o, &[a.clone(), o.clone(), b.clone()]).unwrap_err();
        assert_eq!(names(&bad), ["O", "B"]);
        assert!(class(&vm, "Bad", vec![o, a]).is_err());
    }

    #[test]
    fn slots_inherit_along_the_mro_and_new_from_the_best_base() {
        let vm = Vm::new();
        let mixin = class(&vm, "Mixin", vec![]).unwrap();
        let sub = class(&vm, "Sub", vec![mixin, vm.types.int.clone()]).unwrap();
        let new = type_data(&sub).slots.get().new.unwrap();
        let int_new = type_data(&vm.types.int).slots.get().new.unwrap();
        assert!(std::ptr::fn_addr_eq(new, int_new));
        assert!(crate::types::subclasses(&sub).is_empty());
        assert!(crate::types::subclasses(&vm.types.int).iter().any(|c| c.is(&sub)));
    }
}
