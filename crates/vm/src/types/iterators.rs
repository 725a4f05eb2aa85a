//! The iterator types of the builtins: `enumerate`, `filter`, `map`,
//! `zip`, `reversed` and `callable_iterator` (`iter(f, sentinel)`).
//! Each has a `new` slot allocating with the class it is called on, so
//! Python subclasses work.

use std::cell::{Cell, RefCell};

use crate::native::exact;
use crate::object::{alloc, Obj};
use crate::ops;
use crate::types::builtin::*;
use crate::types::{lookup, type_of, Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::BinaryOp;

fn iter_self() -> Slots {
    Slots { iter: Some(|_, o| Ok(o.clone())), ..object_slots() }
}

fn no_kw(vm: &Vm, name: &str, kw: Kwargs) -> PyResult<()> {
    crate::native::no_kwargs(vm, name, kw)
}

// enumerate ----------------------------------------------------------

pub struct EnumerateData {
    iter: Obj,
    count: RefCell<Obj>,
}

pub fn enumerate_slots() -> Slots {
    Slots {
        new: Some(|vm, cls, args, kw| {
            let mut iterable = args.first().cloned();
            let mut start = args.get(1).cloned();
            if args.len() > 2 {
                return Err(vm.type_error(format!("enumerate() takes at most 2 arguments ({} given)", args.len())));
            }
            for (k, v) in kw {
                let key = str_data(k).as_str().into_owned();
                let slot = match key.as_str() {
                    "iterable" => &mut iterable,
                    "start" => &mut start,
                    _ => return Err(vm.type_error(format!("'{key}' is an invalid keyword argument for enumerate()"))),
                };
                if slot.is_some() {
                    return Err(vm.type_error(format!("argument for enumerate() given by name ('{key}') and position")));
                }
                *slot = Some(v.clone());
            }
            let Some(iterable) = iterable else { return Err(vm.type_error("enumerate() missing required argument 'iterable'")) };
            let count = match start {
                Some(s) if s.downcast::<IntData>().is_some() => s,
                Some(s) => return Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer", type_name(&s)))),
                None => vm.int(0),
            };
            let iter = ops::iter(vm, &iterable)?;
            Ok(alloc(cls.clone(), EnumerateData { iter, count: RefCell::new(count) }))
        }),
        next: Some(|vm, o| {
            let Some(e) = o.downcast::<EnumerateData>() else { return Ok(None) };
            let Some(v) = ops::next(vm, &e.iter)? else { return Ok(None) };
            let n = e.count.borrow().clone();
            let next = ops::binary_op(vm, BinaryOp::Add, &n, &vm.int(1))?;
            drop(e.count.replace(next));
            Ok(Some(new_tuple(vm, vec![n, v])))
        }),
        ..iter_self()
    }
}

// filter -------------------------------------------------------------

pub struct FilterData {
    func: Obj,
    iter: Obj,
}

pub fn filter_slots() -> Slots {
    Slots {
        new: Some(|vm, cls, args, kw| {
            crate::native::no_kwargs_for_new(vm, cls, "filter", kw)?;
            let [f, it] = args else { return Err(vm.type_error(format!("filter expected 2 arguments, got {}", args.len()))) };
            let iter = ops::iter(vm, it)?;
            Ok(alloc(cls.clone(), FilterData { func: f.clone(), iter }))
        }),
        next: Some(|vm, o| {
            let Some(fd) = o.downcast::<FilterData>() else { return Ok(None) };
            while let Some(v) = ops::next(vm, &fd.iter)? {
                let keep = if fd.func.is(&vm.none) || fd.func.is(&vm.types.bool_) {
                    ops::truth(vm, &v)?
                } else {
                    let r = crate::classes::call_object(vm, &fd.func, std::slice::from_ref(&v))?;
                    ops::truth(vm, &r)?
                };
                if keep {
                    return Ok(Some(v));
                }
            }
            Ok(None)
        }),
        ..iter_self()
    }
}

// map ----------------------------------------------------------------

pub struct MapData {
    func: Obj,
    iters: Vec<Obj>,
}

pub fn map_slots() -> Slots {
    Slots {
        new: Some(|vm, cls, args, kw| {
            crate::native::no_kwargs_for_new(vm, cls, "map", kw)?;
            if args.len() < 2 {
                return Err(vm.type_error("map() must have at least two arguments."));
            }
            let iters = args[1..].iter().map(|a| ops::iter(vm, a)).collect::<PyResult<Vec<_>>>()?;
            Ok(alloc(cls.clone(), MapData { func: args[0].clone(), iters }))
        }),
        next: Some(|vm, o| {
            let Some(m) = o.downcast::<MapData>() else { return Ok(None) };
            let mut vals = Vec::with_capacity(m.iters.len());
            for it in &m.iters {
                match ops::next(vm, it)? {
                    Some(v) => vals.push(v),
                    None => return Ok(None),
                }
            }
            crate::classes::call_object(vm, &m.func, &vals).map(Some)
        }),
        ..iter_self()
    }
}

// zip ----------------------------------------------------------------

pub struct ZipData {
    iters: Vec<Obj>,
    strict: Cell<bool>,
    done: Cell<bool>,
}

fn zip_plural(i: usize) -> String {
    if i == 1 {
        "argument 1".into()
    } else {
        format!("arguments 1-{i}")
    }
}

pub fn zip_slots() -> Slots {
    Slots {
        new: Some(|vm, cls, args, kw| {
            let mut strict = false;
            for (k, v) in kw {
                let key = str_data(k).as_str().into_owned();
                if key != "strict" {
                    return Err(vm.type_error(format!("'{key}' is an invalid keyword argument for zip()")));
                }
                strict = ops::truth(vm, v)?;
            }
            let iters = args.iter().map(|a| ops::iter(vm, a)).collect::<PyResult<Vec<_>>>()?;
            Ok(alloc(cls.clone(), ZipData { iters, strict: Cell::new(strict), done: Cell::new(false) }))
        }),
        next: Some(|vm, o| {
            let Some(z) = o.downcast::<ZipData>() else { return Ok(None) };
            if z.iters.is_empty() || z.done.get() {
                return Ok(None);
            }
            let mut vals = Vec::with_capacity(z.iters.len());
            for (i, it) in z.iters.iter().enumerate() {
                match ops::next(vm, it)? {
                    Some(v) => vals.push(v),
                    None => {
                        z.done.set(true);
                        if !z.strict.get() {
                            return Ok(None);
                        }
                        if i > 0 {
                            let msg = format!("zip() argument {} is shorter than {}", i + 1, zip_plural(i));
                            return Err(vm.new_error(&vm.types.value_error, msg));
                        }
                        for (j, other) in z.iters.iter().enumerate().skip(1) {
                            if ops::next(vm, other)?.is_some() {
                                let msg = format!("zip() argument {} is longer than {}", j + 1, zip_plural(j));
                                return Err(vm.new_error(&vm.types.value_error, msg));
                            }
                        }
                        return Ok(None);
                    }
                }
            }
            Ok(Some(new_tuple(vm, vals)))
        }),
        ..iter_self()
    }
}

// reversed -----------------------------------------------------------

pub struct ReversedData {
    /// Dropped once exhausted (so the sequence can be freed then).
    seq: RefCell<Option<Obj>>,
    /// The next index to read, counting down; -1 when exhausted.
    index: Cell<i64>,
    /// Set once `__next__` found the end (the reduction then forgets `seq`).
    done: Cell<bool>,
}

/// The number of items of a range.
pub fn range_len(r: &RangeData) -> i64 {
    let (start, stop, step) = (r.start as i128, r.stop as i128, r.step as i128);
    let n = if step > 0 && start < stop {
        (stop - start - 1) / step + 1
    } else if step < 0 && start > stop {
        (start - stop - 1) / (-step) + 1
    } else {
        0
    };
    n as i64
}

pub fn reversed_slots() -> Slots {
    Slots {
        new: Some(|vm, cls, args, kw| {
            no_kw(vm, "reversed", kw)?;
            let [seq] = args else { return Err(vm.type_error(format!("reversed expected 1 argument, got {}", args.len()))) };
            if let Some(f) = lookup(&type_of(seq), "__reversed__") {
                if f.is(&vm.none) {
                    return Err(vm.type_error(format!("'{}' object is not reversible", type_name(seq))));
                }
                return crate::classes::call_special(vm, &f, seq, &[], &[]);
            }
            if seq.downcast::<DictData>().is_some() {
                let keys: Vec<Obj> = dict_items(seq).into_iter().rev().map(|(k, _)| k).collect();
                return ops::iter(vm, &new_list(vm, keys));
            }
            let builtin_seq = seq.downcast::<StrData>().is_some()
                || seq.downcast::<ListData>().is_some()
                || seq.downcast::<TupleData>().is_some()
                || seq.downcast::<RangeData>().is_some();
            if !builtin_seq && lookup(&type_of(seq), "__getitem__").is_none() {
                return Err(vm.type_error(format!("'{}' object is not reversible", type_name(seq))));
            }
            let Some(n) = crate::ops::length_opt(vm, seq)?.map(|n| n as i64) else {
                return Err(vm.type_error(format!("'{}' object is not reversible", type_name(seq))));
            };
            Ok(alloc(cls.clone(), ReversedData { seq: RefCell::new(Some(seq.clone())), index: Cell::new(n - 1), done: Cell::new(false) }))
        }),
        next: Some(|vm, o| {
            let Some(r) = o.downcast::<ReversedData>() else { return Ok(None) };
            let i = r.index.get();
            let seq = r.seq.borrow().clone();
            let Some(seq) = seq.filter(|_| i >= 0) else {
                r.done.set(true);
                drop(r.seq.replace(None));
                return Ok(None);
            };
            r.index.set(i - 1);
            // A sequence that shrank ends the iteration (IndexError /
            // StopIteration), as CPython's reversed does.
            let item = if let Some(l) = seq.downcast::<ListData>() {
                l.items.borrow().get(i as usize).cloned()
            } else if let Some(rg) = seq.downcast::<RangeData>() {
                Some(vm.int(rg.start + i * rg.step))
            } else {
                match crate::sequence::getitem(vm, &seq, &vm.int(i)) {
                    Ok(v) => Some(v),
                    Err(e)
                        if crate::types::is_subtype(&type_of(&e.exc), &vm.types.index_error)
                            || crate::types::is_subtype(&type_of(&e.exc), &vm.types.stop_iteration) =>
                    {
                        None
                    }
                    Err(e) => return Err(e),
                }
            };
            if item.is_none() {
                r.index.set(-1);
                r.done.set(true);
                drop(r.seq.replace(None));
            }
            Ok(item)
        }),
        traverse: Some(|o, visit| {
            if let Some(r) = o.downcast::<ReversedData>() {
                if let Ok(s) = r.seq.try_borrow() {
                    if let Some(s) = &*s {
                        visit(s);
                    }
                }
            }
        }),
        ..iter_self()
    }
}

// callable_iterator --------------------------------------------------

pub struct CallableIterData {
    func: RefCell<Option<Obj>>,
    sentinel: Obj,
}

pub fn callable_iterator_slots() -> Slots {
    Slots {
        next: Some(|vm, o| {
            let Some(c) = o.downcast::<CallableIterData>() else { return Ok(None) };
            let Some(f) = c.func.borrow().clone() else { return Ok(None) };
            let v = match crate::classes::call_object(vm, &f, &[]) {
                Ok(v) => v,
                Err(e) if crate::types::is_subtype(&type_of(&e.exc), &vm.types.stop_iteration) => {
                    drop(c.func.replace(None));
                    return Ok(None);
                }
                Err(e) => return Err(e),
            };
            if v.is(&c.sentinel) || ops::eq(vm, &v, &c.sentinel)? {
                drop(c.func.replace(None));
                return Ok(None);
            }
            Ok(Some(v))
        }),
        ..iter_self()
    }
}

/// `iter(callable, sentinel)`.
pub fn new_callable_iterator(vm: &Vm, func: Obj, sentinel: Obj) -> Obj {
    alloc(vm.types.callable_iterator.clone(), CallableIterData { func: RefCell::new(Some(func)), sentinel })
}

// iterator (the old sequence protocol) -------------------------------

/// `iterator`: iterates an object that has `__getitem__` but no
/// `__iter__`, asking for items 0, 1, ... until `IndexError` (or
/// `StopIteration`).
pub struct SeqIterData {
    seq: RefCell<Option<Obj>>,
    index: Cell<i64>,
}

pub fn seq_iterator_slots() -> Slots {
    Slots {
        next: Some(|vm, o| {
            let Some(it) = o.downcast::<SeqIterData>() else { return Ok(None) };
            let Some(seq) = it.seq.borrow().clone() else { return Ok(None) };
            let i = it.index.get();
            match crate::sequence::getitem(vm, &seq, &vm.int(i)) {
                Ok(v) => {
                    it.index.set(i + 1);
                    Ok(Some(v))
                }
                Err(e)
                    if crate::types::is_subtype(&type_of(&e.exc), &vm.types.index_error)
                        || crate::types::is_subtype(&type_of(&e.exc), &vm.types.stop_iteration) =>
                {
                    drop(it.seq.replace(None));
                    Ok(None)
                }
                Err(e) => Err(e),
            }
        }),
        traverse: Some(|o, visit| {
            if let Some(it) = o.downcast::<SeqIterData>() {
                if let Ok(s) = it.seq.try_borrow() {
                    if let Some(x) = &*s {
                        visit(x);
                    }
                }
            }
        }),
        ..iter_self()
    }
}

/// `iter(o)` for an object with `__getitem__` only.
pub fn new_seq_iterator(vm: &Vm, seq: Obj) -> Obj {
    alloc(vm.types.seq_iterator.clone(), SeqIterData { seq: RefCell::new(Some(seq)), index: Cell::new(0) })
}

/// `__next__` of these iterator types.
pub static ITER_METHODS: &[crate::native::MethodDef] =
    &[crate::native::MethodDef::method("__next__", next_method, "Implement next(self).")];

fn next_method(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = exact::<0>(vm, "__next__", args, kw)?;
    match ops::next(vm, this)? {
        Some(v) => Ok(v),
        None => Err(crate::PyErr { exc: new_exception(vm, &vm.types.stop_iteration, vec![]) }),
    }
}

// pickling support ---------------------------------------------------

/// The builtins' `name` (`iter`, `reversed`...), the callable that
/// iterator reductions name.
pub fn builtin_obj(vm: &Vm, name: &str) -> PyResult<Obj> {
    match crate::types::dict::dict_get_str(vm, &vm.builtins, name)? {
        Some(f) => Ok(f),
        None => Err(vm.new_error(&vm.types.attribute_error, format!("module 'builtins' has no attribute '{name}'"))),
    }
}

/// A reduction `(func, args)`, or `(func, args, state)`.
pub fn reduce_value(vm: &Vm, func: Obj, args: Vec<Obj>, state: Option<Obj>) -> Obj {
    let mut parts = vec![func, new_tuple(vm, args)];
    parts.extend(state);
    new_tuple(vm, parts)
}

/// `(iter, (seq,), index)` (`index` None: `(iter, (seq,))`), the
/// reduction of a sequence iterator.
pub fn reduce_iter(vm: &Vm, seq: Obj, index: Option<i64>) -> PyResult<Obj> {
    Ok(reduce_value(vm, builtin_obj(vm, "iter")?, vec![seq], index.map(|i| vm.int(i))))
}

/// The argument of an iterator's `__setstate__`: a C `Py_ssize_t`.
pub fn state_index(vm: &Vm, o: &Obj) -> PyResult<i64> {
    match o.downcast::<IntData>() {
        Some(IntData::Small(v)) => Ok(*v),
        Some(IntData::Big(_)) => Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C ssize_t")),
        None => Err(vm.type_error("an integer is required")),
    }
}

fn iter_reduce(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__reduce__", args, kw)?;
    let ty = type_of(this);
    if let Some(e) = this.downcast::<EnumerateData>() {
        return Ok(reduce_value(vm, ty, vec![e.iter.clone(), e.count.borrow().clone()], None));
    }
    if let Some(f) = this.downcast::<FilterData>() {
        return Ok(reduce_value(vm, ty, vec![f.func.clone(), f.iter.clone()], None));
    }
    if let Some(m) = this.downcast::<MapData>() {
        let mut a = vec![m.func.clone()];
        a.extend(m.iters.iter().cloned());
        return Ok(reduce_value(vm, ty, a, None));
    }
    if let Some(z) = this.downcast::<ZipData>() {
        let strict = if z.strict.get() { Some(vm.true_.clone()) } else { None };
        return Ok(reduce_value(vm, ty, z.iters.clone(), strict));
    }
    if let Some(r) = this.downcast::<ReversedData>() {
        return Ok(match r.seq.borrow().clone() {
            Some(seq) if !r.done.get() => reduce_value(vm, ty, vec![seq], Some(vm.int(r.index.get()))),
            _ => reduce_value(vm, ty, vec![new_tuple(vm, vec![])], None),
        });
    }
    if let Some(c) = this.downcast::<CallableIterData>() {
        return match c.func.borrow().clone() {
            Some(f) => reduce_iter_args(vm, vec![f, c.sentinel.clone()]),
            None => reduce_iter(vm, new_tuple(vm, vec![]), None),
        };
    }
    if let Some(s) = this.downcast::<SeqIterData>() {
        return match s.seq.borrow().clone() {
            Some(seq) => reduce_iter(vm, seq, Some(s.index.get())),
            None => reduce_iter(vm, new_tuple(vm, vec![]), None),
        };
    }
    Err(vm.type_error(format!("cannot pickle '{}' object", type_name(this))))
}

fn reduce_iter_args(vm: &Vm, args: Vec<Obj>) -> PyResult<Obj> {
    Ok(reduce_value(vm, builtin_obj(vm, "iter")?, args, None))
}

fn iter_setstate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [state] = exact::<1>(vm, "__setstate__", args, kw)?;
    if let Some(z) = this.downcast::<ZipData>() {
        z.strict.set(ops::truth(vm, &state)?);
        return Ok(vm.none.clone());
    }
    let i = state_index(vm, &state)?;
    if let Some(r) = this.downcast::<ReversedData>() {
        // CPython clamps to [-1, len - 1] and keeps an exhausted
        // iterator exhausted.
        let seq = r.seq.borrow().clone();
        if let Some(seq) = seq.filter(|_| !r.done.get()) {
            let n = crate::ops::length_opt(vm, &seq)?.map_or(0, |n| n as i64);
            r.index.set(i.clamp(-1, n - 1));
        }
    } else if let Some(s) = this.downcast::<SeqIterData>() {
        if s.seq.borrow().is_some() {
            s.index.set(i.max(0));
        }
    }
    Ok(vm.none.clone())
}

fn iter_length_hint(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__length_hint__", args, kw)?;
    if let Some(r) = this.downcast::<ReversedData>() {
        let i = r.index.get();
        let seq = r.seq.borrow().clone();
        let Some(seq) = seq.filter(|_| i >= 0 && !r.done.get()) else { return Ok(vm.int(0)) };
        let n = crate::ops::length_opt(vm, &seq)?.map_or(0, |n| n as i64);
        return Ok(vm.int(if n < i { 0 } else { i + 1 }));
    }
    if let Some(s) = this.downcast::<SeqIterData>() {
        let Some(seq) = s.seq.borrow().clone() else { return Ok(vm.int(0)) };
        return match crate::ops::length_opt(vm, &seq)? {
            Some(n) => Ok(vm.int((n as i64 - s.index.get()).max(0))),
            None => Ok(vm.not_implemented.clone()),
        };
    }
    Ok(vm.not_implemented.clone())
}

/// `__reduce__` of `enumerate`, `filter`, `map` and `callable_iterator`.
pub static REDUCE_METHODS: &[crate::native::MethodDef] =
    &[crate::native::MethodDef::method("__reduce__", iter_reduce, "Return state information for pickling.")];

/// `zip`: `__reduce__` and `__setstate__` (the strict flag).
pub static ZIP_METHODS: &[crate::native::MethodDef] = &[
    crate::native::MethodDef::method("__reduce__", iter_reduce, "Return state information for pickling."),
    crate::native::MethodDef::method("__setstate__", iter_setstate, "Set state information for unpickling."),
];

/// `reversed` and `iterator`: `__reduce__`, `__setstate__`, `__length_hint__`.
pub static SEQ_REDUCE_METHODS: &[crate::native::MethodDef] = &[
    crate::native::MethodDef::method("__reduce__", iter_reduce, "Return state information for pickling."),
    crate::native::MethodDef::method("__setstate__", iter_setstate, "Set state information for unpickling."),
    crate::native::MethodDef::method("__length_hint__", iter_length_hint, "Private method returning an estimate of len(list(it))."),
];
