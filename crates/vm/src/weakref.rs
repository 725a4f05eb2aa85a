//! Weak references: `weakref.ReferenceType` (`_weakref.ref`), the proxy
//! types, and the `_weakref` module.
//!
//! Storage: a weakref object's payload keeps its referent's *address*
//! (no count). The referents are objects with a GC head; the head's
//! `HAS_WEAKREFS` flag says that the side table of `object::gc` (referent
//! address -> weakref objects, in CPython's list order) has an entry. The
//! referent's deallocation clears every weakref to it before its memory
//! goes (then calls the callbacks); a dying weakref unregisters itself.
//! So a non-zero address always names an allocated object (see the
//! invariants of `object::gc`).

use std::cell::{Cell, RefCell};

use crate::classes::call_object_kw;
use crate::function::new_builtin_function;
use crate::native::{exact, GetSetDef};
use crate::object::gc as ogc;
use crate::object::{alloc, Obj};
use crate::ops;
use crate::types::builtin::{self, new_list, new_str, type_name};
use crate::types::{type_data, type_data_of, type_of, Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::CompareOp;

/// The payload of weakref and proxy objects.
pub struct WeakRefData {
    /// The referent's address; 0 once it died.
    pub(crate) referent: Cell<usize>,
    callback: RefCell<Option<Obj>>,
    /// The referent's hash, computed on first use (it must not change
    /// after the referent dies).
    hash: Cell<Option<i64>>,
    /// This weakref object's own address (to unregister it when it dies).
    this: Cell<usize>,
    /// 1: a basic ref (exact type, no callback); 2: a basic proxy; 0: others.
    basic: Cell<u8>,
}

impl WeakRefData {
    pub(crate) fn is_basic(&self, _me: &Obj) -> bool {
        self.basic.get() != 0
    }

    pub(crate) fn take_callback(&self) -> Option<Obj> {
        self.callback.try_borrow_mut().ok().and_then(|mut c| c.take())
    }

    /// The referent, if alive.
    pub fn get(&self) -> Option<Obj> {
        ogc::upgrade(self.referent.get())
    }
}

impl Drop for WeakRefData {
    fn drop(&mut self) {
        let r = self.referent.replace(0);
        if r != 0 {
            ogc::unregister_weakref(r, self.this.get());
        }
    }
}

fn data(o: &Obj) -> Option<&WeakRefData> {
    o.downcast::<WeakRefData>()
}

/// Whether `o` can be weakly referenced (CPython: its type has a weaklist
/// slot); the error CPython raises otherwise.
fn check_weakrefable(vm: &Vm, o: &Obj) -> PyResult<()> {
    if o.gc_head().is_some() && type_data_of(o).weakrefable.get() {
        Ok(())
    } else {
        Err(vm.type_error(format!("cannot create weak reference to '{}' object", type_name(o))))
    }
}

/// Makes a weakref of type `cls` to `ob`; `kind` 1 for refs, 2 for
/// proxies (basic ones, without callback and of the exact type, are
/// shared, as in CPython).
fn new_weak(vm: &Vm, cls: &Obj, ob: &Obj, callback: Option<Obj>, kind: u8) -> PyResult<Obj> {
    check_weakrefable(vm, ob)?;
    let callback = callback.filter(|c| !c.is(&vm.none));
    let exact_type = cls.is(&vm.types.weakref) || cls.is(&vm.types.weakproxy) || cls.is(&vm.types.weakcallableproxy);
    let basic = if callback.is_none() && exact_type { kind } else { 0 };
    if basic != 0 {
        for w in ogc::weakrefs_of(ob) {
            if data(&w).is_some_and(|d| d.basic.get() == basic) {
                return Ok(w);
            }
        }
    }
    let w = alloc(
        cls.clone(),
        WeakRefData {
            referent: Cell::new(ob.as_ptr() as usize),
            callback: RefCell::new(callback),
            hash: Cell::new(None),
            this: Cell::new(0),
            basic: Cell::new(basic),
        },
    );
    if let Some(d) = data(&w) {
        d.this.set(w.as_ptr() as usize);
    }
    ogc::register_weakref(ob, &w, basic);
    Ok(w)
}

/// A weak reference the interpreter keeps for itself to any object with
/// a GC head, weakly referenceable type or not (the end-of-run cleanup
/// watches `__main__`'s dict with one). `None` for objects without a GC
/// head. It is an ordinary (non-basic) weakref without callback.
pub(crate) fn new_internal_ref(vm: &Vm, ob: &Obj) -> Option<Obj> {
    ob.gc_head()?;
    let w = alloc(
        vm.types.weakref.clone(),
        WeakRefData {
            referent: Cell::new(ob.as_ptr() as usize),
            callback: RefCell::new(None),
            hash: Cell::new(None),
            this: Cell::new(0),
            basic: Cell::new(0),
        },
    );
    if let Some(d) = data(&w) {
        d.this.set(w.as_ptr() as usize);
    }
    ogc::register_weakref(ob, &w, 0);
    Some(w)
}

/// A basic weak reference to `ob` (`weakref.ref(ob)`).
pub fn new_ref(vm: &Vm, ob: &Obj) -> PyResult<Obj> {
    new_weak(vm, &vm.types.weakref, ob, None, 1)
}

fn ref_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    // Subclasses may take keyword arguments of their own (CPython ignores
    // them here); `ref` itself takes none.
    if !kw.is_empty() && cls.is(&vm.types.weakref) {
        return Err(vm.type_error("ref() takes no keyword arguments"));
    }
    let (ob, cb) = match args {
        [] => return Err(vm.type_error("__new__ expected at least 1 argument, got 0")),
        [ob] => (ob, None),
        [ob, cb] => (ob, Some(cb.clone())),
        _ => return Err(vm.type_error(format!("__new__ expected at most 2 arguments, got {}", args.len()))),
    };
    new_weak(vm, cls, ob, cb, 1)
}

fn weak_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(d) = data(o) {
        if let Ok(c) = d.callback.try_borrow() {
            if let Some(c) = &*c {
                visit(c);
            }
        }
    }
}

fn weak_clear(o: &Obj) {
    if let Some(d) = data(o) {
        drop(d.take_callback());
    }
}

fn addr_repr(o: &Obj) -> String {
    format!("{:#x}", o.as_ptr() as usize)
}

pub fn ref_slots() -> Slots {
    Slots {
        new: Some(ref_new),
        // `__new__` did the work; `__init__` checks the arguments only,
        // so subclasses can call `super().__init__(ob, callback)`.
        init: Some(|vm, _, args, _kw| {
            crate::native::at_most::<2>(vm, "__init__", 1, args, &[])?;
            Ok(vm.none.clone())
        }),
        call: Some(|vm, o, args, kw| {
            crate::native::no_kwargs(vm, "weakref", kw)?;
            if !args.is_empty() {
                return Err(vm.type_error(format!("weakref expected 0 arguments, got {}", args.len())));
            }
            Ok(data(o).and_then(|d| d.get()).unwrap_or_else(|| vm.none.clone()))
        }),
        repr: Some(|vm, o| {
            let text = match data(o).and_then(|d| d.get()) {
                None => format!("<weakref at {}; dead>", addr_repr(o)),
                Some(r) => format!("<weakref at {}; to '{}' at {}>", addr_repr(o), type_name(&r), addr_repr(&r)),
            };
            Ok(new_str(vm, &text))
        }),
        hash: Some(|vm, o| {
            let Some(d) = data(o) else { return Err(vm.type_error("not a weakref")) };
            if let Some(h) = d.hash.get() {
                return Ok(h);
            }
            match d.get() {
                Some(r) => {
                    let h = ops::hash(vm, &r)?;
                    d.hash.set(Some(h));
                    Ok(h)
                }
                None => Err(vm.type_error("weak object has gone away")),
            }
        }),
        compare: Some(|vm, op, a, b| {
            let (Some(da), Some(db)) = (data(a), data(b)) else { return Ok(vm.not_implemented.clone()) };
            if !matches!(op, CompareOp::Eq | CompareOp::Ne) || !builtin_is_ref(vm, b) {
                return Ok(vm.not_implemented.clone());
            }
            match (da.get(), db.get()) {
                (Some(x), Some(y)) => ops::compare(vm, op, &x, &y),
                _ => Ok(vm.bool(a.is(b) == (op == CompareOp::Eq))),
            }
        }),
        traverse: Some(weak_traverse),
        clear: Some(weak_clear),
        ..builtin::object_slots()
    }
}

fn builtin_is_ref(vm: &Vm, o: &Obj) -> bool {
    crate::types::is_subtype(&type_of(o), &vm.types.weakref)
}

pub(crate) static REF_GETSETS: &[GetSetDef] = &[GetSetDef::readonly(
    "__callback__",
    |vm, o| Ok(data(o).and_then(|d| d.callback.borrow().clone()).unwrap_or_else(|| vm.none.clone())),
    "",
)];

/// The object weak reference `w` refers to, if it is still alive.
pub fn get_referent(w: &Obj) -> Option<Obj> {
    data(w).and_then(|d| d.get())
}

/// The referent of a proxy, or CPython's `ReferenceError`.
fn referent(vm: &Vm, p: &Obj) -> PyResult<Obj> {
    match data(p).and_then(|d| d.get()) {
        Some(r) => Ok(r),
        None => {
            let ty = vm.exception_type("ReferenceError").unwrap_or_else(|| vm.types.exception.clone());
            Err(vm.new_error(&ty, "weakly-referenced object no longer exists"))
        }
    }
}

/// Replaces a proxy operand by its referent.
fn unwrap(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let t = type_of(o);
    if t.is(&vm.types.weakproxy) || t.is(&vm.types.weakcallableproxy) {
        referent(vm, o)
    } else {
        Ok(o.clone())
    }
}

pub fn proxy_slots(callable: bool) -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let r = referent(vm, o)?;
            Ok(new_str(vm, &format!("<weakproxy at {}; to '{}' at {}>", addr_repr(o), type_name(&r), addr_repr(&r))))
        }),
        str: Some(|vm, o| ops::str(vm, &referent(vm, o)?)),
        bool: Some(|vm, o| ops::truth(vm, &referent(vm, o)?)),
        hash: Some(|vm, o| Err(vm.type_error(format!("unhashable type: '{}'", type_name(o))))),
        getattro: Some(|vm, o, name| crate::classes::getattr(vm, &referent(vm, o)?, name)),
        setattro: Some(|vm, o, name, value| crate::classes::setattr_opt(vm, &referent(vm, o)?, name, value)),
        compare: Some(|vm, op, a, b| ops::compare(vm, op, &unwrap(vm, a)?, &unwrap(vm, b)?)),
        binary: Some(|vm, op, a, b| ops::binary_op(vm, op, &unwrap(vm, a)?, &unwrap(vm, b)?)),
        iter: Some(|vm, o| ops::iter(vm, &referent(vm, o)?)),
        next: Some(|vm, o| ops::next(vm, &referent(vm, o)?)),
        call: if callable { Some(|vm, o, args, kw| call_object_kw(vm, &referent(vm, o)?, args, kw)) } else { None },
        traverse: Some(weak_traverse),
        clear: Some(weak_clear),
        ..builtin::object_slots()
    }
}

/// A proxy method that calls the referent's method of the same name
/// (CPython's proxies forward the sequence, mapping and number slots).
fn forward(vm: &Vm, this: &Obj, name: &str, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let r = referent(vm, this)?;
    let args: Vec<Obj> = args.iter().map(|a| unwrap(vm, a)).collect::<PyResult<_>>()?;
    let m = crate::classes::getattr(vm, &r, &vm.intern(name))?;
    call_object_kw(vm, &m, &args, kw)
}

macro_rules! proxy_forwarders {
    ($($f:ident => $name:literal),* $(,)?) => {
        $(fn $f(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
            forward(vm, this, $name, args, kw)
        })*
        static PROXY_METHODS: &[crate::native::MethodDef] = &[$(crate::native::MethodDef::method($name, $f, "")),*];
    };
}

proxy_forwarders! {
    proxy_getitem => "__getitem__",
    proxy_setitem => "__setitem__",
    proxy_delitem => "__delitem__",
    proxy_bytes => "__bytes__",
    proxy_reversed => "__reversed__",
    proxy_int => "__int__",
    proxy_float => "__float__",
}

fn proxy_len(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__len__", args, kw)?;
    Ok(vm.int(ops::length(vm, &referent(vm, this)?)? as i64))
}

fn proxy_contains(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [item] = exact::<1>(vm, "__contains__", args, kw)?;
    Ok(vm.bool(ops::contains(vm, &referent(vm, this)?, &item)?))
}

fn proxy_unary(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, name: &str, f: fn(&Vm, &Obj) -> PyResult<Obj>) -> PyResult<Obj> {
    exact::<0>(vm, name, args, kw)?;
    f(vm, &referent(vm, this)?)
}

static PROXY_OPERATOR_METHODS: &[crate::native::MethodDef] = &[
    crate::native::MethodDef::method("__len__", proxy_len, "Return len(self)."),
    crate::native::MethodDef::method("__contains__", proxy_contains, "Return key in self."),
    crate::native::MethodDef::method("__neg__", |vm, t, a, k| proxy_unary(vm, t, a, k, "__neg__", ops::neg), "-self"),
    crate::native::MethodDef::method("__pos__", |vm, t, a, k| proxy_unary(vm, t, a, k, "__pos__", ops::pos), "+self"),
    crate::native::MethodDef::method("__invert__", |vm, t, a, k| proxy_unary(vm, t, a, k, "__invert__", ops::invert), "~self"),
    crate::native::MethodDef::method("__abs__", |vm, t, a, k| proxy_unary(vm, t, a, k, "__abs__", ops::abs), "abs(self)"),
    crate::native::MethodDef::method(
        "__index__",
        |vm, t, a, k| proxy_unary(vm, t, a, k, "__index__", ops::index),
        "Return self converted to an integer, if self is suitable for use as an index into a list.",
    ),
];

/// `_weakref.proxy(object[, callback])`.
fn proxy(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [ob, cb] = crate::native::at_most::<2>(vm, "proxy", 1, args, kw)?;
    let Some(ob) = ob else { return Err(vm.type_error("proxy expected at least 1 argument, got 0")) };
    let callable = type_data_of(&ob).slots.get().call.is_some();
    let cls = if callable { vm.types.weakcallableproxy.clone() } else { vm.types.weakproxy.clone() };
    new_weak(vm, &cls, &ob, cb, 2)
}

fn weakref_one(vm: &Vm, name: &str, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    crate::native::no_kwargs(vm, name, kw)?;
    match a {
        [o] => Ok(o.clone()),
        _ => Err(vm.type_error(format!("_weakref.{name}() takes exactly one argument ({} given)", a.len()))),
    }
}

pub(crate) fn module_contents(vm: &Vm, items: &mut Vec<(&'static str, Obj)>) {
    items.push(("ref", vm.types.weakref.clone()));
    items.push(("ReferenceType", vm.types.weakref.clone()));
    items.push(("ProxyType", vm.types.weakproxy.clone()));
    items.push(("CallableProxyType", vm.types.weakcallableproxy.clone()));
    items.push(("proxy", new_builtin_function(vm, "proxy", proxy)));
    items.push((
        "getweakrefcount",
        new_builtin_function(vm, "getweakrefcount", |vm, a, kw| {
            let o = weakref_one(vm, "getweakrefcount", a, kw)?;
            Ok(vm.int(ogc::weakrefs_of(&o).len() as i64))
        }),
    ));
    items.push((
        "getweakrefs",
        new_builtin_function(vm, "getweakrefs", |vm, a, kw| {
            let o = weakref_one(vm, "getweakrefs", a, kw)?;
            Ok(new_list(vm, ogc::weakrefs_of(&o)))
        }),
    ));
    items.push((
        "_remove_dead_weakref",
        new_builtin_function(vm, "_remove_dead_weakref", |vm, a, kw| {
            let [d, key] = exact::<2>(vm, "_remove_dead_weakref", a, kw)?;
            if d.downcast::<builtin::DictData>().is_none() {
                return Err(vm.type_error(format!("_remove_dead_weakref() argument 1 must be dict, not {}", type_name(&d))));
            }
            if let Some(v) = builtin::dict_get(vm, &d, &key)? {
                if data(&v).is_some_and(|w| w.get().is_none()) {
                    builtin::dict_del(vm, &d, &key)?;
                }
            }
            Ok(vm.none.clone())
        }),
    ));
}

/// Marks the built-in types whose instances can be weakly referenced
/// (`tp_weaklistoffset` in CPython) and gives the weakref types their
/// names' module.
pub(crate) fn install(vm: &Vm) {
    let t = &vm.types;
    for ty in [&t.type_, &t.function, &t.method, &t.generator, &t.coroutine, &t.async_generator, &t.module, &t.code] {
        type_data(ty).weakrefable.set(true);
    }
    crate::native::add_getsets(vm, &t.weakref, REF_GETSETS);
    for proxy in [&t.weakproxy, &t.weakcallableproxy] {
        crate::native::add_methods(vm, proxy, PROXY_METHODS);
        crate::native::add_methods(vm, proxy, PROXY_OPERATOR_METHODS);
    }
}
