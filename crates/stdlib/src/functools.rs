//! `_functools`: `reduce`, `partial`, `cmp_to_key` and the LRU cache
//! wrapper behind `functools.lru_cache` (CPython's
//! `Modules/_functoolsmodule.c`). `functools.py` supplies the rest.

use std::cell::{Cell, RefCell};

use taipan_vm::classes::{self, MethodData};
use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{at_most, exact, new_type, FunctionDef, GetSetDef, MethodDef};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::ops;
use taipan_vm::types::builtin::{
    dict_first, dict_get_hash, dict_items, dict_len, dict_pop_hash, dict_set_hash, is_exact, new_dict, new_str, new_tuple, object_slots,
    str_data, type_name, DictData, ReprGuard, TupleData,
};
use taipan_vm::types::{type_data, type_of, Kwargs, Slots};
use taipan_vm::{PyResult, Vm};

use crate::util::{self, call};

fn get<'a, T: 'static>(vm: &Vm, o: &'a Obj) -> PyResult<&'a T> {
    o.downcast::<T>().ok_or_else(|| vm.type_error(format!("unexpected '{}' object", type_name(o))))
}

fn visit_opt(o: &RefCell<Option<Obj>>, visit: &mut dyn FnMut(&Obj)) {
    if let Ok(b) = o.try_borrow() {
        if let Some(x) = &*b {
            visit(x);
        }
    }
}

// reduce ---------------------------------------------------------------

fn reduce(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [func, seq, initial] = at_most::<3>(vm, "reduce", 2, args, kw)?;
    let (Some(func), Some(seq)) = (func, seq) else { return Err(vm.type_error("reduce expected at least 2 arguments")) };
    let it = match ops::iter(vm, &seq) {
        Ok(it) => it,
        Err(e) if util::is_error(&e, &vm.types.type_error) => {
            return Err(vm.type_error("reduce() arg 2 must support iteration"));
        }
        Err(e) => return Err(e),
    };
    let mut acc = initial;
    while let Some(x) = ops::next(vm, &it)? {
        acc = Some(match acc {
            None => x,
            Some(a) => call(vm, &func, &[a, x])?,
        });
    }
    acc.ok_or_else(|| vm.type_error("reduce() of empty iterable with no initial value"))
}

// partial --------------------------------------------------------------

pub struct Partial {
    func: RefCell<Obj>,
    args: RefCell<Obj>,
    /// A dict.
    kw: RefCell<Obj>,
    dict: RefCell<Option<Obj>>,
}

fn partial_type(vm: &Vm) -> Obj {
    vm.native_type("functools.partial", |vm| {
        let slots = Slots {
            new: Some(partial_new),
            call: Some(partial_call),
            repr: Some(partial_repr),
            dict: Some(|o| o.downcast::<Partial>().map(|p| &p.dict)),
            traverse: Some(|o, visit| {
                if let Some(p) = o.downcast::<Partial>() {
                    for c in [&p.func, &p.args, &p.kw] {
                        if let Ok(x) = c.try_borrow() {
                            visit(&x);
                        }
                    }
                    visit_opt(&p.dict, visit);
                }
            }),
            clear: Some(|o| {
                if let Some(p) = o.downcast::<Partial>() {
                    if let Ok(mut d) = p.dict.try_borrow_mut() {
                        drop(d.take());
                    }
                }
            }),
            ..object_slots()
        };
        let t = new_type::<Partial>(vm, "functools.partial", &[], true, slots, PARTIAL_METHODS, PARTIAL_GETSETS);
        type_data(&t).weakrefable.set(true);
        t
    })
}

fn partial_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let Some((func, rest)) = args.split_first() else {
        return Err(vm.type_error("type 'partial' takes at least one argument"));
    };
    let mut func = func.clone();
    let mut pargs: Vec<Obj> = Vec::new();
    let kwd = new_dict(vm);
    if let Some(p) = func.downcast::<Partial>() {
        let is_partial =
            type_data(&type_of(&func)).slots.get().new.is_some_and(|f| std::ptr::fn_addr_eq(f, partial_new as taipan_vm::types::CallFn));
        let no_dict = classes::dict_slot(&func).is_none_or(|d| d.borrow().as_ref().is_none_or(|d| dict_len(d) == 0));
        if is_partial && no_dict {
            let inner = p.args.borrow().clone();
            pargs.extend(inner.downcast::<TupleData>().map(|t| t.items.to_vec()).unwrap_or_default());
            for (k, v) in dict_items(&p.kw.borrow()) {
                taipan_vm::types::builtin::dict_set(vm, &kwd, k, v)?;
            }
            let f = p.func.borrow().clone();
            func = f;
        }
    }
    if !is_callable(&func) {
        return Err(vm.type_error("the first argument must be callable"));
    }
    pargs.extend(rest.iter().cloned());
    for (k, v) in kw {
        taipan_vm::types::builtin::dict_set(vm, &kwd, k.clone(), v.clone())?;
    }
    Ok(alloc(
        cls.clone(),
        Partial { func: RefCell::new(func), args: RefCell::new(new_tuple(vm, pargs)), kw: RefCell::new(kwd), dict: RefCell::new(None) },
    ))
}

fn is_callable(o: &Obj) -> bool {
    taipan_vm::types::type_data_of(o).slots.get().call.is_some() || o.downcast::<taipan_vm::function::FunctionData>().is_some()
}

fn partial_call(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = get::<Partial>(vm, o)?;
    let func = p.func.borrow().clone();
    let pargs = p.args.borrow().clone();
    let mut all: Vec<Obj> = pargs.downcast::<TupleData>().map(|t| t.items.to_vec()).unwrap_or_default();
    all.extend(args.iter().cloned());
    let stored = dict_items(&p.kw.borrow());
    if stored.is_empty() {
        return util::call_kw(vm, &func, &all, kw);
    }
    let mut kws: Vec<(Obj, Obj)> = Vec::with_capacity(stored.len() + kw.len());
    for (k, v) in stored {
        if let Some(pos) = kw
            .iter()
            .position(|(k2, _)| str_data(k2).bytes() == k.downcast::<taipan_vm::types::builtin::StrData>().map_or(&[][..], |s| s.bytes()))
        {
            kws.push((k, kw[pos].1.clone()));
        } else {
            kws.push((k, v));
        }
    }
    for (k, v) in kw {
        if !kws.iter().any(|(k2, _)| k2.downcast::<taipan_vm::types::builtin::StrData>().is_some_and(|s| s.bytes() == str_data(k).bytes()))
        {
            kws.push((k.clone(), v.clone()));
        }
    }
    util::call_kw(vm, &func, &all, &kws)
}

fn partial_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let p = get::<Partial>(vm, o)?;
    // `tp_name`: dotted for the native type, the bare name for subclasses.
    let name = type_data(&type_of(o)).name.to_string();
    let Some(_g) = ReprGuard::enter(vm, o) else { return Ok(new_str(vm, "...")) };
    let mut parts = vec![util::repr(vm, &p.func.borrow().clone())?];
    let args = p.args.borrow().clone();
    for a in args.downcast::<TupleData>().map(|t| t.items.to_vec()).unwrap_or_default() {
        parts.push(util::repr(vm, &a)?);
    }
    for (k, v) in dict_items(&p.kw.borrow()) {
        let k = ops::str(vm, &k)?;
        parts.push(format!("{}={}", str_data(&k).as_str(), util::repr(vm, &v)?));
    }
    Ok(new_str(vm, &format!("{name}({})", parts.join(", "))))
}

static PARTIAL_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "__reduce__",
        |vm, this, args, kw| {
            exact::<0>(vm, "__reduce__", args, kw)?;
            let p = get::<Partial>(vm, this)?;
            let func = p.func.borrow().clone();
            let kwd = p.kw.borrow().clone();
            // The instance dict (a subclass's lives in its instance part).
            let d = taipan_vm::classes::instance_dict(vm, this).filter(|d| dict_len(d) > 0).unwrap_or_else(|| vm.none.clone());
            let state = new_tuple(vm, vec![func.clone(), p.args.borrow().clone(), kwd, d]);
            Ok(new_tuple(vm, vec![type_of(this), new_tuple(vm, vec![func]), state]))
        },
        "",
    ),
    MethodDef::method(
        "__setstate__",
        |vm, this, args, kw| {
            let [state] = exact::<1>(vm, "__setstate__", args, kw)?;
            let p = get::<Partial>(vm, this)?;
            let items = match state.downcast::<TupleData>() {
                Some(t) if t.items.len() == 4 => t.items.to_vec(),
                _ => return Err(vm.type_error("invalid partial state")),
            };
            let (func, fargs, kwds, dict) = (&items[0], &items[1], &items[2], &items[3]);
            if !is_callable(func)
                || fargs.downcast::<TupleData>().is_none()
                || (!kwds.is(&vm.none) && kwds.downcast::<DictData>().is_none())
            {
                return Err(vm.type_error("invalid partial state"));
            }
            let fargs = if is_exact(fargs, &vm.types.tuple) { fargs.clone() } else { new_tuple(vm, util::collect(vm, fargs)?) };
            let kwds = if kwds.is(&vm.none) {
                new_dict(vm)
            } else if is_exact(kwds, &vm.types.dict) {
                kwds.clone()
            } else {
                taipan_vm::types::builtin::dict_copy(vm, kwds)
            };
            drop(p.func.replace(func.clone()));
            drop(p.args.replace(fargs));
            drop(p.kw.replace(kwds));
            if this.instance_ext().is_some() {
                // A subclass instance's attributes live in its instance
                // part: that dict takes the state's items.
                if let Some(own) = taipan_vm::classes::instance_dict(vm, this) {
                    if !own.is(dict) {
                        taipan_vm::types::builtin::dict_clear(&own);
                        if !dict.is(&vm.none) {
                            taipan_vm::types::dict::dict_update_arg(vm, &own, dict)?;
                        }
                    }
                }
            } else {
                let d = if dict.is(&vm.none) { None } else { Some(dict.clone()) };
                drop(p.dict.replace(d));
            }
            Ok(vm.none.clone())
        },
        "",
    ),
    MethodDef::class("__class_getitem__", taipan_vm::types::genericalias::class_getitem, "See PEP 585"),
];

static PARTIAL_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("func", |vm, o| Ok(get::<Partial>(vm, o)?.func.borrow().clone()), "function object to use in future partial calls"),
    GetSetDef::readonly("args", |vm, o| Ok(get::<Partial>(vm, o)?.args.borrow().clone()), "tuple of arguments to future partial calls"),
    GetSetDef::readonly(
        "keywords",
        |vm, o| Ok(get::<Partial>(vm, o)?.kw.borrow().clone()),
        "dictionary of keyword arguments to future partial calls",
    ),
    GetSetDef::new(
        "__dict__",
        |vm, o| {
            let p = get::<Partial>(vm, o)?;
            // A subclass instance keeps its attributes in its instance
            // part: that is its `__dict__`.
            if o.instance_ext().is_some() {
                if let Some(d) = taipan_vm::classes::instance_dict(vm, o) {
                    return Ok(d);
                }
            }
            let d = p.dict.borrow().clone();
            Ok(match d {
                Some(d) => d,
                None => {
                    let d = new_dict(vm);
                    *p.dict.borrow_mut() = Some(d.clone());
                    d
                }
            })
        },
        |vm, o, v| {
            let p = get::<Partial>(vm, o)?;
            match v {
                Some(v) if v.downcast::<DictData>().is_some() => {
                    if o.instance_ext().is_some() {
                        if let Some(own) = taipan_vm::classes::instance_dict(vm, o) {
                            if !own.is(&v) {
                                taipan_vm::types::builtin::dict_clear(&own);
                                taipan_vm::types::dict::dict_update_arg(vm, &own, &v)?;
                            }
                            return Ok(());
                        }
                    }
                    drop(p.dict.replace(Some(v)));
                    Ok(())
                }
                Some(v) => Err(vm.type_error(format!("__dict__ must be set to a dictionary, not a '{}'", type_name(&v)))),
                None => Err(vm.type_error("cannot delete __dict__")),
            }
        },
        "",
    ),
];

// cmp_to_key -----------------------------------------------------------

pub struct KeyWrapper {
    cmp: Obj,
    obj: Option<Obj>,
}

fn keywrapper_type(vm: &Vm) -> Obj {
    vm.native_type("functools.KeyWrapper", |vm| {
        let slots = Slots {
            call: Some(|vm, o, args, kw| {
                let k = get::<KeyWrapper>(vm, o)?;
                let p = taipan_vm::native::Params { fname: "K", names: &["obj"], posonly: 0, kwonly: 0, required: 1 };
                let [obj] = taipan_vm::native::bind::<1>(vm, &p, args, kw)?;
                Ok(alloc(keywrapper_type(vm), KeyWrapper { cmp: k.cmp.clone(), obj }))
            }),
            compare: Some(|vm, op, a, b| {
                let x = get::<KeyWrapper>(vm, a)?;
                let Some(y) = b.downcast::<KeyWrapper>() else { return Err(vm.type_error("other argument must be K instance")) };
                let (Some(xo), Some(yo)) = (&x.obj, &y.obj) else {
                    return Err(vm.new_error(&vm.types.attribute_error, "object"));
                };
                let r = call(vm, &x.cmp, &[xo.clone(), yo.clone()])?;
                ops::compare(vm, op, &r, &vm.int(0))
            }),
            traverse: Some(|o, visit| {
                if let Some(k) = o.downcast::<KeyWrapper>() {
                    visit(&k.cmp);
                    if let Some(x) = &k.obj {
                        visit(x);
                    }
                }
            }),
            ..object_slots()
        };
        let t = new_type::<KeyWrapper>(vm, "functools.KeyWrapper", &[], true, slots, &[], KEYWRAPPER_GETSETS);
        type_data(&t).dict.borrow_mut().insert("__hash__", vm.none.clone());
        taipan_vm::types::type_modified(&t);
        let mut s = type_data(&t).slots.get();
        s.hash = None;
        type_data(&t).slots.set(s);
        t
    })
}

static KEYWRAPPER_GETSETS: &[GetSetDef] = &[GetSetDef::readonly(
    "obj",
    |vm, o| get::<KeyWrapper>(vm, o)?.obj.clone().ok_or_else(|| vm.new_error(&vm.types.attribute_error, "obj")),
    "Value wrapped by a key function.",
)];

fn cmp_to_key(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = taipan_vm::native::Params { fname: "cmp_to_key", names: &["mycmp"], posonly: 0, kwonly: 0, required: 1 };
    let [cmp] = taipan_vm::native::bind::<1>(vm, &p, args, kw)?;
    let cmp = cmp.unwrap_or_else(|| vm.none.clone());
    Ok(alloc(keywrapper_type(vm), KeyWrapper { cmp, obj: None }))
}

// _lru_cache_wrapper ---------------------------------------------------

pub struct LruWrapper {
    func: Obj,
    /// `None`: unbounded.
    maxsize: Option<usize>,
    typed: bool,
    cache: Obj,
    /// Bounded caches: the keys from least to most recently used. Kept
    /// apart from `cache` so that a hit never mutates the dict a lookup
    /// may be running in (a key's `__eq__` can call the cached function).
    recency: Obj,
    info_type: Obj,
    hits: Cell<u64>,
    misses: Cell<u64>,
    kwd_mark: Obj,
    dict: RefCell<Option<Obj>>,
}

fn lru_type(vm: &Vm) -> Obj {
    vm.native_type("functools._lru_cache_wrapper", |vm| {
        let slots = Slots {
            new: Some(lru_new),
            call: Some(lru_call),
            descr_get: Some(|vm, descr, obj, _owner| match obj {
                None => Ok(descr.clone()),
                Some(o) if o.is(&vm.none) => Ok(descr.clone()),
                Some(o) => Ok(alloc(vm.types.method.clone(), MethodData { func: descr.clone(), self_: o.clone() })),
            }),
            dict: Some(|o| o.downcast::<LruWrapper>().map(|p| &p.dict)),
            traverse: Some(|o, visit| {
                if let Some(w) = o.downcast::<LruWrapper>() {
                    visit(&w.func);
                    visit(&w.cache);
                    visit(&w.recency);
                    visit(&w.info_type);
                    visit_opt(&w.dict, visit);
                }
            }),
            clear: Some(|o| {
                if let Some(w) = o.downcast::<LruWrapper>() {
                    if let Ok(mut d) = w.dict.try_borrow_mut() {
                        drop(d.take());
                    }
                    taipan_vm::types::builtin::dict_clear(&w.cache);
                    taipan_vm::types::builtin::dict_clear(&w.recency);
                }
            }),
            ..object_slots()
        };
        let t = new_type::<LruWrapper>(vm, "functools._lru_cache_wrapper", &[], true, slots, LRU_METHODS, LRU_GETSETS);
        type_data(&t).weakrefable.set(true);
        t
    })
}

fn lru_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = taipan_vm::native::Params {
        fname: "_lru_cache_wrapper",
        names: &["user_function", "maxsize", "typed", "cache_info_type"],
        posonly: 0,
        kwonly: 0,
        required: 4,
    };
    let [func, maxsize, typed, info] = taipan_vm::native::bind::<4>(vm, &p, args, kw)?;
    let (Some(func), Some(maxsize), Some(typed), Some(info_type)) = (func, maxsize, typed, info) else {
        return Err(vm.type_error("_lru_cache_wrapper: missing arguments"));
    };
    if !is_callable(&func) {
        return Err(vm.type_error("the first argument must be callable"));
    }
    let maxsize = if maxsize.is(&vm.none) {
        None
    } else if taipan_vm::types::builtin::int_data(&maxsize).is_some() {
        Some(util::to_isize(vm, &maxsize)?.max(0) as usize)
    } else {
        return Err(vm.type_error("maxsize should be integer or None"));
    };
    let typed = ops::truth(vm, &typed)?;
    let kwd_mark = vm.state::<FunctoolsState>().kwd_mark(vm);
    Ok(alloc(
        cls.clone(),
        LruWrapper {
            func,
            maxsize,
            typed,
            cache: new_dict(vm),
            recency: new_dict(vm),
            info_type,
            hits: Cell::new(0),
            misses: Cell::new(0),
            kwd_mark,
            dict: RefCell::new(None),
        },
    ))
}

#[derive(Default)]
struct FunctoolsState {
    kwd_mark: RefCell<Option<Obj>>,
}

impl FunctoolsState {
    fn kwd_mark(&self, vm: &Vm) -> Obj {
        let m = self.kwd_mark.borrow().clone();
        match m {
            Some(m) => m,
            None => {
                let m = alloc(vm.types.object.clone(), ());
                *self.kwd_mark.borrow_mut() = Some(m.clone());
                m
            }
        }
    }
}

/// The cache key of a call (`_make_key`): the arguments, a marker and the
/// keyword items, plus the argument types when `typed`; a lone int or
/// str argument is its own key.
fn make_key(vm: &Vm, w: &LruWrapper, args: &[Obj], kw: Kwargs) -> Obj {
    if kw.is_empty() && args.len() == 1 {
        let a = &args[0];
        let t = type_of(a);
        if t.is(&vm.types.int) || t.is(&vm.types.str_) {
            return a.clone();
        }
    }
    let mut key: Vec<Obj> = args.to_vec();
    if !kw.is_empty() {
        key.push(w.kwd_mark.clone());
        for (k, v) in kw {
            key.push(k.clone());
            key.push(v.clone());
        }
    }
    if w.typed {
        key.extend(args.iter().map(type_of));
        key.extend(kw.iter().map(|(_, v)| type_of(v)));
    }
    new_tuple(vm, key)
}

fn lru_call(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let w = get::<LruWrapper>(vm, o)?;
    if w.maxsize == Some(0) {
        w.misses.set(w.misses.get() + 1);
        return util::call_kw(vm, &w.func, args, kw);
    }
    let key = make_key(vm, w, args, kw);
    let hash = ops::hash(vm, &key)?;
    // The key is hashed once per call (its `__hash__` may be slow or
    // re-entrant): every dict operation below reuses `hash`, and the
    // recency dict keeps each key's hash as its value for evictions.
    if let Some((ix, v)) = taipan_vm::types::builtin::dict_lookup_index_hash(vm, &w.cache, &key, hash)? {
        w.hits.set(w.hits.get() + 1);
        if w.maxsize.is_some() {
            // Most recently used goes last. The stored key is found by
            // identity: no `__eq__` runs (it could re-enter this cache).
            let stored = taipan_vm::types::builtin::dict_data(&w.cache).key_at(ix).unwrap_or(key);
            dict_pop_hash(vm, &w.recency, &stored, hash)?;
            dict_set_hash(vm, &w.recency, stored, hash, vm.int(hash))?;
        }
        return Ok(v);
    }
    w.misses.set(w.misses.get() + 1);
    let result = util::call_kw(vm, &w.func, args, kw)?;
    if let Some(max) = w.maxsize {
        // The call may have filled the cache with this key already.
        if dict_get_hash(vm, &w.cache, &key, hash)?.is_some() {
            return Ok(result);
        }
        while dict_len(&w.cache) >= max {
            let Some((k, h)) = dict_first(&w.recency) else { break };
            let h = match h.downcast::<taipan_vm::types::builtin::IntData>() {
                Some(taipan_vm::types::builtin::IntData::Small(h)) => *h,
                _ => ops::hash(vm, &k)?,
            };
            dict_pop_hash(vm, &w.recency, &k, h)?;
            dict_pop_hash(vm, &w.cache, &k, h)?;
        }
        dict_set_hash(vm, &w.recency, key.clone(), hash, vm.int(hash))?;
    }
    dict_set_hash(vm, &w.cache, key, hash, result.clone())?;
    Ok(result)
}

static LRU_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "cache_info",
        |vm, this, args, kw| {
            exact::<0>(vm, "cache_info", args, kw)?;
            let w = get::<LruWrapper>(vm, this)?;
            let maxsize = match w.maxsize {
                Some(m) => vm.int(m as i64),
                None => vm.none.clone(),
            };
            let args = [vm.int(w.hits.get() as i64), vm.int(w.misses.get() as i64), maxsize, vm.int(dict_len(&w.cache) as i64)];
            call(vm, &w.info_type, &args)
        },
        "Report cache statistics",
    ),
    MethodDef::method(
        "cache_clear",
        |vm, this, args, kw| {
            exact::<0>(vm, "cache_clear", args, kw)?;
            let w = get::<LruWrapper>(vm, this)?;
            w.hits.set(0);
            w.misses.set(0);
            taipan_vm::types::builtin::dict_clear(&w.cache);
            taipan_vm::types::builtin::dict_clear(&w.recency);
            Ok(vm.none.clone())
        },
        "Clear the cache and cache statistics",
    ),
    MethodDef::method(
        "__reduce__",
        |vm, this, args, kw| {
            exact::<0>(vm, "__reduce__", args, kw)?;
            util::getattr(vm, this, "__qualname__")
        },
        "",
    ),
    MethodDef::method(
        "__copy__",
        |vm, this, args, kw| {
            exact::<0>(vm, "__copy__", args, kw)?;
            Ok(this.clone())
        },
        "",
    ),
    MethodDef::method(
        "__deepcopy__",
        |vm, this, args, kw| {
            exact::<1>(vm, "__deepcopy__", args, kw)?;
            Ok(this.clone())
        },
        "",
    ),
];

static LRU_GETSETS: &[GetSetDef] = &[GetSetDef::new(
    "__dict__",
    |vm, o| {
        let w = get::<LruWrapper>(vm, o)?;
        let d = w.dict.borrow().clone();
        Ok(match d {
            Some(d) => d,
            None => {
                let d = new_dict(vm);
                *w.dict.borrow_mut() = Some(d.clone());
                d
            }
        })
    },
    |vm, o, v| {
        let w = get::<LruWrapper>(vm, o)?;
        match v {
            Some(v) if v.downcast::<DictData>().is_some() => {
                drop(w.dict.replace(Some(v)));
                Ok(())
            }
            _ => Err(vm.type_error("__dict__ must be set to a dictionary")),
        }
    },
    "",
)];

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("reduce", reduce, "reduce(function, iterable[, initial]) -> value\n\nApply a function of two arguments cumulatively to the items of a sequence\nor iterable, from left to right, so as to reduce the iterable to a single\nvalue."),
    FunctionDef::new("cmp_to_key", cmp_to_key, "Convert a cmp= function into a key= function."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "__doc__", new_str(vm, "Tools that operate on functions."))?;
    add_attr(vm, m, "partial", partial_type(vm))?;
    add_attr(vm, m, "_lru_cache_wrapper", lru_type(vm))?;
    Ok(())
}
