//! `_collections`: `deque` (a ring buffer with an optional `maxlen`),
//! `defaultdict`, `_count_elements` (Counter's inner loop) and
//! `_tuplegetter` (namedtuple's field descriptors), as CPython's
//! `Modules/_collectionsmodule.c`. `OrderedDict` is left to the
//! pure-Python definition in `collections/__init__.py`.
//!
//! `defaultdict` is a dict subclass whose instances are laid out like
//! those of a class deriving from `dict` in Python (`Extended<DictData>`
//! with one member slot, `default_factory`): it is made with
//! `classes::new_class` and given native methods, so `dict`'s own code
//! (`dict_subscript` calling `__missing__`) serves it unchanged.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use taipan_vm::classes;
use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{add_methods, at_most, bind, exact, new_type, FunctionDef, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::ops;
use taipan_vm::sequence;
use taipan_vm::types::builtin::{
    dict_get, dict_set, int_data, is_exact, new_dict, new_list, new_str, new_tuple, object_slots, str_data, type_name, DictData, ReprGuard,
    TupleData,
};
use taipan_vm::types::{type_data, type_of, Kwargs, Slots};
use taipan_vm::{BinaryOp, CompareOp, PyResult, Vm};

use crate::util::{self, call};

fn get<'a, T: 'static>(vm: &Vm, o: &'a Obj) -> PyResult<&'a T> {
    o.downcast::<T>().ok_or_else(|| vm.type_error(format!("unexpected '{}' object", type_name(o))))
}

// deque ----------------------------------------------------------------

pub struct Deque {
    items: RefCell<VecDeque<Obj>>,
    maxlen: Cell<Option<usize>>,
    /// Bumped by every mutation that moves items; iterators compare it.
    state: Cell<u64>,
}

impl Deque {
    fn bump(&self) {
        self.state.set(self.state.get().wrapping_add(1));
    }

    fn len(&self) -> usize {
        self.items.borrow().len()
    }

    fn snapshot(&self) -> Vec<Obj> {
        self.items.borrow().iter().cloned().collect()
    }

    /// Appends on the right, dropping from the left past `maxlen`.
    fn push_back(&self, x: Obj) {
        let dropped = {
            let mut items = self.items.borrow_mut();
            items.push_back(x);
            match self.maxlen.get() {
                Some(m) if items.len() > m => items.pop_front(),
                _ => None,
            }
        };
        self.bump();
        drop(dropped);
    }

    fn push_front(&self, x: Obj) {
        let dropped = {
            let mut items = self.items.borrow_mut();
            items.push_front(x);
            match self.maxlen.get() {
                Some(m) if items.len() > m => items.pop_back(),
                _ => None,
            }
        };
        self.bump();
        drop(dropped);
    }

    fn clear(&self) {
        let old = std::mem::take(&mut *self.items.borrow_mut());
        self.bump();
        drop(old);
    }

    fn rotate(&self, n: isize) {
        let mut items = self.items.borrow_mut();
        let len = items.len();
        if len <= 1 {
            return;
        }
        let k = n.rem_euclid(len as isize) as usize;
        items.rotate_right(k);
        drop(items);
        self.bump();
    }
}

pub fn deque_type(vm: &Vm) -> Obj {
    vm.native_type("collections.deque", |vm| {
        let slots = Slots {
            new: Some(|_vm, cls, _args, _kw| {
                Ok(alloc(cls.clone(), Deque { items: RefCell::new(VecDeque::new()), maxlen: Cell::new(None), state: Cell::new(0) }))
            }),
            init: Some(deque_init),
            repr: Some(deque_repr),
            iter: Some(|vm, o| new_deque_iter(vm, o, false)),
            bool: Some(|vm, o| Ok(get::<Deque>(vm, o)?.len() > 0)),
            binary: Some(deque_binary),
            compare: Some(deque_compare),
            traverse: Some(|o, visit| {
                if let Some(d) = o.downcast::<Deque>() {
                    if let Ok(items) = d.items.try_borrow() {
                        items.iter().for_each(visit);
                    }
                }
            }),
            clear: Some(|o| {
                if let Some(d) = o.downcast::<Deque>() {
                    if let Ok(mut items) = d.items.try_borrow_mut() {
                        let old = std::mem::take(&mut *items);
                        drop(items);
                        drop(old);
                    }
                }
            }),
            ..object_slots()
        };
        let t = new_type::<Deque>(vm, "collections.deque", &[], true, slots, DEQUE_METHODS, DEQUE_GETSETS);
        type_data(&t).collection.set(taipan_vm::types::Collection::Sequence);
        type_data(&t).weakrefable.set(true);
        type_data(&t).dict.borrow_mut().insert("__hash__", vm.none.clone());
        let mut s = type_data(&t).slots.get();
        s.hash = None;
        type_data(&t).slots.set(s);
        type_data(&t).dict.borrow_mut().insert("__doc__", new_str(vm, DEQUE_DOC));
        taipan_vm::types::type_modified(&t);
        t
    })
}

const DEQUE_DOC: &str =
    "deque([iterable[, maxlen]]) --> deque object\n\nA list-like sequence optimized for data accesses near its endpoints.";

fn deque_init(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let d = get::<Deque>(vm, o)?;
    let p = Params { fname: "deque", names: &["iterable", "maxlen"], posonly: 0, kwonly: 0, required: 0 };
    let [iterable, maxlen] = bind::<2>(vm, &p, args, kw)?;
    let maxlen = match maxlen {
        Some(m) if !m.is(&vm.none) => {
            if int_data(&m).is_none() {
                return Err(vm.type_error("an integer is required"));
            }
            let n = util::to_isize(vm, &m)?;
            if n < 0 {
                return Err(vm.new_error(&vm.types.value_error, "maxlen must be non-negative"));
            }
            Some(n as usize)
        }
        _ => None,
    };
    d.maxlen.set(maxlen);
    if d.len() > 0 {
        d.clear();
    }
    if let Some(it) = iterable {
        extend(vm, o, &it, false)?;
    }
    Ok(vm.none.clone())
}

fn extend(vm: &Vm, o: &Obj, iterable: &Obj, left: bool) -> PyResult<()> {
    let d = get::<Deque>(vm, o)?;
    // `d.extend(d)` iterates over a copy.
    let items = if iterable.is(o) { d.snapshot() } else { Vec::new() };
    if iterable.is(o) {
        for x in items {
            if left {
                d.push_front(x);
            } else {
                d.push_back(x);
            }
        }
        return Ok(());
    }
    if d.maxlen.get() == Some(0) {
        let it = ops::iter(vm, iterable)?;
        while ops::next(vm, &it)?.is_some() {}
        return Ok(());
    }
    let it = ops::iter(vm, iterable)?;
    while let Some(x) = ops::next(vm, &it)? {
        if left {
            d.push_front(x);
        } else {
            d.push_back(x);
        }
    }
    Ok(())
}

fn deque_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let d = get::<Deque>(vm, o)?;
    let Some(_g) = ReprGuard::enter(vm, o) else { return Ok(new_str(vm, "[...]")) };
    let list = new_list(vm, d.snapshot());
    let items = util::repr(vm, &list)?;
    let name = type_data(&type_of(o)).name.rsplit('.').next().unwrap_or("deque").to_string();
    Ok(new_str(
        vm,
        &match d.maxlen.get() {
            Some(m) => format!("{name}({items}, maxlen={m})"),
            None => format!("{name}({items})"),
        },
    ))
}

fn deque_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    match op {
        BinaryOp::Add => {
            let Some(x) = a.downcast::<Deque>() else { return Ok(vm.not_implemented.clone()) };
            let Some(y) = b.downcast::<Deque>() else {
                let name = type_name(a).rsplit('.').next().unwrap_or("deque");
                return Err(vm.type_error(format!("can only concatenate {name} (not \"{}\") to {name}", type_name(b))));
            };
            let new = deque_copy_of(vm, a)?;
            let n = get::<Deque>(vm, &new)?;
            let _ = x;
            for item in y.snapshot() {
                n.push_back(item);
            }
            Ok(new)
        }
        BinaryOp::Multiply => {
            let (dq, n) = if a.downcast::<Deque>().is_some() { (a, b) } else { (b, a) };
            if int_data(n).is_none() && taipan_vm::types::lookup(&type_of(n), "__index__").is_none() {
                return Err(vm.type_error(format!("can't multiply sequence by non-int of type '{}'", type_name(n))));
            }
            let count = util::to_isize(vm, n)?;
            let new = deque_copy_of(vm, dq)?;
            repeat_in_place(vm, &new, count)?;
            Ok(new)
        }
        _ => Ok(vm.not_implemented.clone()),
    }
}

fn repeat_in_place(vm: &Vm, o: &Obj, count: isize) -> PyResult<()> {
    let d = get::<Deque>(vm, o)?;
    if count <= 0 {
        d.clear();
        return Ok(());
    }
    let items = d.snapshot();
    if items.is_empty() {
        return Ok(());
    }
    // With a maxlen only the last `maxlen` items of the repetition stay:
    // enough rounds to cover them.
    let rounds = match d.maxlen.get() {
        Some(m) => (count as usize).min(m / items.len() + 2),
        None => {
            if items.len().saturating_mul(count as usize) > isize::MAX as usize / 16 {
                return Err(vm.new_error(&vm.types.memory_error, ""));
            }
            count as usize
        }
    };
    for _ in 1..rounds {
        for x in &items {
            d.push_back(x.clone());
        }
    }
    Ok(())
}

fn deque_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let (Some(x), Some(y)) = (a.downcast::<Deque>(), b.downcast::<Deque>()) else { return Ok(vm.not_implemented.clone()) };
    let (xs, ys) = (x.snapshot(), y.snapshot());
    if matches!(op, CompareOp::Eq | CompareOp::Ne) && xs.len() != ys.len() {
        return Ok(vm.bool(op == CompareOp::Ne));
    }
    for (p, q) in xs.iter().zip(ys.iter()) {
        if p.is(q) || ops::eq(vm, p, q)? {
            continue;
        }
        return match op {
            CompareOp::Eq => Ok(vm.false_.clone()),
            CompareOp::Ne => Ok(vm.true_.clone()),
            _ => ops::compare(vm, op, p, q),
        };
    }
    let (n, m) = (xs.len(), ys.len());
    Ok(vm.bool(match op {
        CompareOp::Lt => n < m,
        CompareOp::Le => n <= m,
        CompareOp::Eq => n == m,
        CompareOp::Ne => n != m,
        CompareOp::Gt => n > m,
        CompareOp::Ge => n >= m,
    }))
}

/// `copy(d)`: the same type, items and maxlen.
fn deque_copy_of(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let d = get::<Deque>(vm, o)?;
    let ty = type_of(o);
    if ty.is(&deque_type(vm)) {
        let new = Deque { items: RefCell::new(d.items.borrow().clone()), maxlen: Cell::new(d.maxlen.get()), state: Cell::new(0) };
        return Ok(alloc(ty, new));
    }
    let items = new_list(vm, d.snapshot());
    match d.maxlen.get() {
        Some(m) => call(vm, &ty, &[items, vm.int(m as i64)]),
        None => call(vm, &ty, &[items]),
    }
}

/// A deque index (`__getitem__`/`__setitem__`/`__delitem__`): an int
/// within range.
fn deque_index(vm: &Vm, d: &Deque, key: &Obj) -> PyResult<usize> {
    if int_data(key).is_none() && taipan_vm::types::lookup(&type_of(key), "__index__").is_none() {
        return Err(vm.type_error(format!("sequence index must be integer, not '{}'", type_name(key))));
    }
    let i = util::to_isize(vm, key)?;
    let len = d.len() as isize;
    let j = if i < 0 { i + len } else { i };
    if j < 0 || j >= len {
        return Err(vm.new_error(&vm.types.index_error, "deque index out of range"));
    }
    Ok(j as usize)
}

fn find(vm: &Vm, o: &Obj, x: &Obj, start: usize, stop: usize) -> PyResult<Option<usize>> {
    let d = get::<Deque>(vm, o)?;
    let state = d.state.get();
    let mut i = start;
    while i < stop.min(d.len()) {
        let item = d.items.borrow().get(i).cloned();
        let Some(item) = item else { break };
        let same = item.is(x) || ops::eq(vm, &item, x)?;
        if d.state.get() != state {
            return Err(vm.new_error(&vm.types.runtime_error, "deque mutated during iteration"));
        }
        if same {
            return Ok(Some(i));
        }
        i += 1;
    }
    Ok(None)
}

fn m_append(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x] = exact::<1>(vm, "append", args, kw)?;
    get::<Deque>(vm, this)?.push_back(x);
    Ok(vm.none.clone())
}

fn m_appendleft(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x] = exact::<1>(vm, "appendleft", args, kw)?;
    get::<Deque>(vm, this)?.push_front(x);
    Ok(vm.none.clone())
}

fn m_pop(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "pop", args, kw)?;
    let d = get::<Deque>(vm, this)?;
    let x = d.items.borrow_mut().pop_back();
    d.bump();
    x.ok_or_else(|| vm.new_error(&vm.types.index_error, "pop from an empty deque"))
}

fn m_popleft(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "popleft", args, kw)?;
    let d = get::<Deque>(vm, this)?;
    let x = d.items.borrow_mut().pop_front();
    d.bump();
    x.ok_or_else(|| vm.new_error(&vm.types.index_error, "pop from an empty deque"))
}

fn m_extend(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [it] = exact::<1>(vm, "extend", args, kw)?;
    extend(vm, this, &it, false)?;
    Ok(vm.none.clone())
}

fn m_extendleft(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [it] = exact::<1>(vm, "extendleft", args, kw)?;
    extend(vm, this, &it, true)?;
    Ok(vm.none.clone())
}

fn m_clear(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "clear", args, kw)?;
    get::<Deque>(vm, this)?.clear();
    Ok(vm.none.clone())
}

fn m_copy(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "copy", args, kw)?;
    deque_copy_of(vm, this)
}

fn m_count(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x] = exact::<1>(vm, "count", args, kw)?;
    let d = get::<Deque>(vm, this)?;
    let state = d.state.get();
    let mut n = 0;
    for item in d.snapshot() {
        let same = item.is(&x) || ops::eq(vm, &item, &x)?;
        if d.state.get() != state {
            return Err(vm.new_error(&vm.types.runtime_error, "deque mutated during iteration"));
        }
        n += i64::from(same);
    }
    Ok(vm.int(n))
}

fn m_index(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x, start, stop] = at_most::<3>(vm, "index", 1, args, kw)?;
    let x = x.unwrap_or_else(|| vm.none.clone());
    let len = get::<Deque>(vm, this)?.len() as isize;
    let clamp = |o: Option<Obj>, default: isize| -> PyResult<usize> {
        let v = match o {
            Some(o) => util::to_isize(vm, &o)?,
            None => default,
        };
        let v = if v < 0 { (v + len).max(0) } else { v.min(len) };
        Ok(v as usize)
    };
    let (start, stop) = (clamp(start, 0)?, clamp(stop, len)?);
    match find(vm, this, &x, start, stop)? {
        Some(i) => Ok(vm.int(i as i64)),
        None => Err(vm.new_error(&vm.types.value_error, format!("{} is not in deque", util::repr(vm, &x)?))),
    }
}

fn m_insert(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [i, x] = exact::<2>(vm, "insert", args, kw)?;
    let d = get::<Deque>(vm, this)?;
    let i = util::to_isize(vm, &i)?;
    if d.maxlen.get() == Some(d.len()) {
        return Err(vm.new_error(&vm.types.index_error, "deque already at its maximum size"));
    }
    let len = d.len() as isize;
    let at = if i < 0 { (i + len).max(0) } else { i.min(len) } as usize;
    d.items.borrow_mut().insert(at, x);
    d.bump();
    Ok(vm.none.clone())
}

fn m_remove(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x] = exact::<1>(vm, "remove", args, kw)?;
    let d = get::<Deque>(vm, this)?;
    match find(vm, this, &x, 0, d.len())? {
        Some(i) => {
            let old = d.items.borrow_mut().remove(i);
            d.bump();
            drop(old);
            Ok(vm.none.clone())
        }
        None => Err(vm.new_error(&vm.types.value_error, format!("{} is not in deque", util::repr(vm, &x)?))),
    }
}

fn m_reverse(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "reverse", args, kw)?;
    let d = get::<Deque>(vm, this)?;
    d.items.borrow_mut().make_contiguous().reverse();
    d.bump();
    Ok(vm.none.clone())
}

fn m_rotate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [n] = at_most::<1>(vm, "rotate", 0, args, kw)?;
    let n = match n {
        Some(n) => util::to_isize(vm, &n)?,
        None => 1,
    };
    get::<Deque>(vm, this)?.rotate(n);
    Ok(vm.none.clone())
}

fn m_len(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__len__", args, kw)?;
    Ok(vm.int(get::<Deque>(vm, this)?.len() as i64))
}

fn m_getitem(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key] = exact::<1>(vm, "__getitem__", args, kw)?;
    let d = get::<Deque>(vm, this)?;
    let i = deque_index(vm, d, &key)?;
    let x = d.items.borrow().get(i).cloned();
    x.ok_or_else(|| vm.new_error(&vm.types.index_error, "deque index out of range"))
}

fn m_setitem(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key, value] = exact::<2>(vm, "__setitem__", args, kw)?;
    let d = get::<Deque>(vm, this)?;
    let i = deque_index(vm, d, &key)?;
    let old = d.items.borrow_mut().get_mut(i).map(|slot| std::mem::replace(slot, value));
    drop(old);
    Ok(vm.none.clone())
}

fn m_delitem(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key] = exact::<1>(vm, "__delitem__", args, kw)?;
    let d = get::<Deque>(vm, this)?;
    let i = deque_index(vm, d, &key)?;
    let old = d.items.borrow_mut().remove(i);
    d.bump();
    drop(old);
    Ok(vm.none.clone())
}

fn m_contains(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x] = exact::<1>(vm, "__contains__", args, kw)?;
    let n = get::<Deque>(vm, this)?.len();
    Ok(vm.bool(find(vm, this, &x, 0, n)?.is_some()))
}

fn m_iadd(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [other] = exact::<1>(vm, "__iadd__", args, kw)?;
    extend(vm, this, &other, false)?;
    Ok(this.clone())
}

fn m_imul(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [n] = exact::<1>(vm, "__imul__", args, kw)?;
    let n = util::to_isize(vm, &n)?;
    repeat_in_place(vm, this, n)?;
    Ok(this.clone())
}

fn m_reversed(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__reversed__", args, kw)?;
    new_deque_iter(vm, this, true)
}

fn m_reduce(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__reduce__", args, kw)?;
    let d = get::<Deque>(vm, this)?;
    let state = match classes::getattr_opt(vm, this, &vm.intern("__dict__"))? {
        Some(s) if s.downcast::<DictData>().is_some_and(|dd| !dd.is_empty()) => s,
        _ => vm.none.clone(),
    };
    let cargs = match d.maxlen.get() {
        Some(m) => new_tuple(vm, vec![new_tuple(vm, Vec::new()), vm.int(m as i64)]),
        None => new_tuple(vm, Vec::new()),
    };
    let it = new_deque_iter(vm, this, false)?;
    Ok(new_tuple(vm, vec![type_of(this), cargs, state, it]))
}

static DEQUE_METHODS: &[MethodDef] = &[
    MethodDef::method("append", m_append, "Add an element to the right side of the deque."),
    MethodDef::method("appendleft", m_appendleft, "Add an element to the left side of the deque."),
    MethodDef::method("clear", m_clear, "Remove all elements from the deque."),
    MethodDef::method("__copy__", m_copy, "Return a shallow copy of a deque."),
    MethodDef::method("copy", m_copy, "Return a shallow copy of a deque."),
    MethodDef::method("count", m_count, "D.count(value) -- return number of occurrences of value"),
    MethodDef::method("extend", m_extend, "Extend the right side of the deque with elements from the iterable"),
    MethodDef::method("extendleft", m_extendleft, "Extend the left side of the deque with elements from the iterable"),
    MethodDef::method(
        "index",
        m_index,
        "D.index(value, [start, [stop]]) -- return first index of value.\nRaises ValueError if the value is not present.",
    ),
    MethodDef::method("insert", m_insert, "D.insert(index, object) -- insert object before index"),
    MethodDef::method("pop", m_pop, "Remove and return the rightmost element."),
    MethodDef::method("popleft", m_popleft, "Remove and return the leftmost element."),
    MethodDef::method("__reduce__", m_reduce, "Return state information for pickling."),
    MethodDef::method("remove", m_remove, "D.remove(value) -- remove first occurrence of value."),
    MethodDef::method("__reversed__", m_reversed, "D.__reversed__() -- return a reverse iterator over the deque"),
    MethodDef::method("reverse", m_reverse, "D.reverse() -- reverse *IN PLACE*"),
    MethodDef::method("rotate", m_rotate, "Rotate the deque n steps to the right (default n=1).  If n is negative, rotates left."),
    MethodDef::method("__len__", m_len, "Return len(self)."),
    MethodDef::method("__getitem__", m_getitem, "Return self[key]."),
    MethodDef::method("__setitem__", m_setitem, "Set self[key] to value."),
    MethodDef::method("__delitem__", m_delitem, "Delete self[key]."),
    MethodDef::method("__contains__", m_contains, "Return key in self."),
    MethodDef::method("__iadd__", m_iadd, "Implement self+=value."),
    MethodDef::method("__imul__", m_imul, "Implement self*=value."),
    MethodDef::class("__class_getitem__", taipan_vm::types::genericalias::class_getitem, "See PEP 585"),
];

static DEQUE_GETSETS: &[GetSetDef] = &[GetSetDef::readonly(
    "maxlen",
    |vm, o| {
        Ok(match get::<Deque>(vm, o)?.maxlen.get() {
            Some(m) => vm.int(m as i64),
            None => vm.none.clone(),
        })
    },
    "maximum size of a deque or None if unbounded",
)];

// deque iterators ------------------------------------------------------

pub struct DequeIter {
    deque: Obj,
    index: Cell<usize>,
    /// Items left to produce.
    counter: Cell<usize>,
    state: u64,
    reverse: bool,
}

fn new_deque_iter(vm: &Vm, o: &Obj, reverse: bool) -> PyResult<Obj> {
    let d = get::<Deque>(vm, o)?;
    let n = d.len();
    let ty = if reverse { deque_rev_iter_type(vm) } else { deque_iter_type(vm) };
    let index = if reverse { n.wrapping_sub(1) } else { 0 };
    Ok(alloc(ty, DequeIter { deque: o.clone(), index: Cell::new(index), counter: Cell::new(n), state: d.state.get(), reverse }))
}

fn deque_iter_next(vm: &Vm, o: &Obj) -> PyResult<Option<Obj>> {
    let it = get::<DequeIter>(vm, o)?;
    let d = get::<Deque>(vm, &it.deque)?;
    if d.state.get() != it.state {
        it.counter.set(0);
        return Err(vm.new_error(&vm.types.runtime_error, "deque mutated during iteration"));
    }
    if it.counter.get() == 0 {
        return Ok(None);
    }
    let i = it.index.get();
    let x = d.items.borrow().get(i).cloned();
    it.counter.set(it.counter.get() - 1);
    it.index.set(if it.reverse { i.wrapping_sub(1) } else { i + 1 });
    Ok(x)
}

fn iter_slots() -> Slots {
    Slots {
        new: Some(|vm, cls, args, kw| {
            let [d, index] = at_most::<2>(vm, "_deque_iterator", 1, args, kw)?;
            let Some(d) = d else { return Err(vm.type_error("_deque_iterator expected a deque")) };
            get::<Deque>(vm, &d)?;
            let reverse = cls.is(&deque_rev_iter_type(vm));
            let it = new_deque_iter(vm, &d, reverse)?;
            if let Some(i) = index {
                let n = util::to_isize(vm, &i)?.max(0) as usize;
                for _ in 0..n {
                    if deque_iter_next(vm, &it)?.is_none() {
                        break;
                    }
                }
            }
            Ok(it)
        }),
        iter: Some(|_, o| Ok(o.clone())),
        next: Some(deque_iter_next),
        traverse: Some(|o, visit| {
            if let Some(it) = o.downcast::<DequeIter>() {
                visit(&it.deque);
            }
        }),
        ..object_slots()
    }
}

static DEQUE_ITER_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "__length_hint__",
        |vm, this, args, kw| {
            exact::<0>(vm, "__length_hint__", args, kw)?;
            Ok(vm.int(get::<DequeIter>(vm, this)?.counter.get() as i64))
        },
        "Private method returning an estimate of len(list(it)).",
    ),
    MethodDef::method(
        "__reduce__",
        |vm, this, args, kw| {
            exact::<0>(vm, "__reduce__", args, kw)?;
            let it = get::<DequeIter>(vm, this)?;
            let n = get::<Deque>(vm, &it.deque)?.len() - it.counter.get().min(get::<Deque>(vm, &it.deque)?.len());
            Ok(new_tuple(vm, vec![type_of(this), new_tuple(vm, vec![it.deque.clone(), vm.int(n as i64)])]))
        },
        "Return state information for pickling.",
    ),
];

fn deque_iter_type(vm: &Vm) -> Obj {
    vm.native_type("_collections._deque_iterator", |vm| {
        new_type::<DequeIter>(vm, "_collections._deque_iterator", &[], true, iter_slots(), DEQUE_ITER_METHODS, &[])
    })
}

fn deque_rev_iter_type(vm: &Vm) -> Obj {
    vm.native_type("_collections._deque_reverse_iterator", |vm| {
        new_type::<DequeIter>(vm, "_collections._deque_reverse_iterator", &[], true, iter_slots(), DEQUE_ITER_METHODS, &[])
    })
}

// defaultdict ----------------------------------------------------------

const DEFAULTDICT_DOC: &str = "defaultdict(default_factory=None, /, [...]) --> dict with default factory\n\nThe default factory is called without arguments to produce\na new value when a key is not present, in __getitem__ only.\nA defaultdict compares equal to a dict with the same items.\nAll remaining arguments are treated the same as if they were\npassed to the dict constructor, including keyword arguments.\n";

fn factory(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    classes::getattr(vm, o, &vm.intern("default_factory"))
}

fn dd_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (f, rest) = match args.split_first() {
        Some((f, rest)) => (f.clone(), rest),
        None => (vm.none.clone(), args),
    };
    if !f.is(&vm.none) && !is_callable(&f) {
        return Err(vm.type_error("first argument must be callable or None"));
    }
    classes::setattr(vm, this, &vm.intern("default_factory"), f)?;
    match type_data(&vm.types.dict).slots.get().init {
        Some(init) => init(vm, this, rest, kw),
        None => Ok(vm.none.clone()),
    }
}

fn is_callable(o: &Obj) -> bool {
    taipan_vm::types::type_data_of(o).slots.get().call.is_some() || o.downcast::<taipan_vm::function::FunctionData>().is_some()
}

fn dd_missing(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key] = exact::<1>(vm, "__missing__", args, kw)?;
    let f = factory(vm, this)?;
    if f.is(&vm.none) {
        return Err(taipan_vm::types::builtin::key_error(vm, &key));
    }
    let value = call(vm, &f, &[])?;
    sequence::setitem(vm, this, &key, value.clone())?;
    Ok(value)
}

fn dd_repr(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__repr__", args, kw)?;
    let dict_repr = match type_data(&vm.types.dict).slots.get().repr {
        Some(r) => r(vm, this)?,
        None => new_str(vm, "{}"),
    };
    let f = factory(vm, this)?;
    let frepr = if f.is(&vm.none) {
        "None".to_string()
    } else {
        match ReprGuard::enter(vm, &f) {
            None => "...".to_string(),
            Some(_g) => util::repr(vm, &f)?,
        }
    };
    let name = type_data(&type_of(this)).name.to_string();
    Ok(new_str(vm, &format!("{name}({frepr}, {})", str_data(&dict_repr).as_str())))
}

fn dd_copy(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "copy", args, kw)?;
    let f = factory(vm, this)?;
    call(vm, &type_of(this), &[f, this.clone()])
}

fn dd_reduce(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__reduce__", args, kw)?;
    let f = factory(vm, this)?;
    let cargs = if f.is(&vm.none) { new_tuple(vm, Vec::new()) } else { new_tuple(vm, vec![f]) };
    let items = util::call_method(vm, this, "items", &[])?;
    let it = ops::iter(vm, &items)?;
    Ok(new_tuple(vm, vec![type_of(this), cargs, vm.none.clone(), vm.none.clone(), it]))
}

fn dd_or(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [other] = exact::<1>(vm, "__or__", args, kw)?;
    dd_or_impl(vm, this, &other)
}

fn dd_ror(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [other] = exact::<1>(vm, "__ror__", args, kw)?;
    dd_or_impl(vm, &other, this)
}

fn dd_or_impl(vm: &Vm, left: &Obj, right: &Obj) -> PyResult<Obj> {
    if left.downcast::<DictData>().is_none() || right.downcast::<DictData>().is_none() {
        return Ok(vm.not_implemented.clone());
    }
    let dd = defaultdict_type(vm)?;
    let this = if taipan_vm::types::is_subtype(&type_of(left), &dd) { left } else { right };
    let f = factory(vm, this)?;
    let new = call(vm, &type_of(this), &[f, left.clone()])?;
    util::call_method(vm, &new, "update", std::slice::from_ref(right))?;
    Ok(new)
}

static DEFAULTDICT_METHODS: &[MethodDef] = &[
    MethodDef::method("__init__", dd_init, "Initialize self.  See help(type(self)) for accurate signature."),
    MethodDef::method("__missing__", dd_missing, "__missing__(key) # Called by __getitem__ for missing key; pseudo-code:\n  if self.default_factory is None: raise KeyError((key,))\n  self[key] = value = self.default_factory()\n  return value\n"),
    MethodDef::method("__repr__", dd_repr, "Return repr(self)."),
    MethodDef::method("copy", dd_copy, "D.copy() -> a shallow copy of D."),
    MethodDef::method("__copy__", dd_copy, "D.copy() -> a shallow copy of D."),
    MethodDef::method("__reduce__", dd_reduce, "Return state information for pickling."),
    MethodDef::method("__or__", dd_or, "Return self|value."),
    MethodDef::method("__ror__", dd_ror, "Return value|self."),
    MethodDef::class("__class_getitem__", taipan_vm::types::genericalias::class_getitem, "See PEP 585"),
];

/// `collections.defaultdict`, made once per interpreter.
fn defaultdict_type(vm: &Vm) -> PyResult<Obj> {
    #[derive(Default)]
    struct State {
        ty: RefCell<Option<Obj>>,
    }
    let st = vm.state::<State>();
    if let Some(t) = st.ty.borrow().clone() {
        return Ok(t);
    }
    let ns = new_dict(vm);
    dict_set(vm, &ns, vm.intern("__module__"), vm.intern("collections"))?;
    dict_set(vm, &ns, vm.intern("__qualname__"), vm.intern("defaultdict"))?;
    dict_set(vm, &ns, vm.intern("__doc__"), new_str(vm, DEFAULTDICT_DOC))?;
    dict_set(vm, &ns, vm.intern("__slots__"), new_tuple(vm, vec![vm.intern("default_factory")]))?;
    let ty = classes::new_class(vm, &vm.types.type_, "defaultdict", vec![vm.types.dict.clone()], &ns, &[])?;
    add_methods(vm, &ty, DEFAULTDICT_METHODS);
    // Re-set the dunders through `type.__setattr__` so that the slots
    // (repr, init, `|`) dispatch to them.
    for def in DEFAULTDICT_METHODS {
        if def.name.starts_with("__") {
            let v = type_data(&ty).dict.borrow().get(def.name).cloned();
            if let Some(v) = v {
                taipan_vm::classes::type_setattro(vm, &ty, &vm.intern(def.name), Some(v))?;
            }
        }
    }
    *st.ty.borrow_mut() = Some(ty.clone());
    Ok(ty)
}

// _count_elements ------------------------------------------------------

fn count_elements(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [mapping, iterable] = exact::<2>(vm, "_count_elements", args, kw)?;
    let it = ops::iter(vm, &iterable)?;
    let one = vm.int(1);
    let fast = is_exact(&mapping, &vm.types.dict)
        || (mapping.downcast::<DictData>().is_some() && {
            let t = type_of(&mapping);
            let own =
                |n: &str| taipan_vm::types::lookup(&t, n).is_some_and(|f| f.downcast::<taipan_vm::native::MethodDescrData>().is_some());
            own("get") && own("__setitem__")
        });
    if fast {
        while let Some(x) = ops::next(vm, &it)? {
            let n = match dict_get(vm, &mapping, &x)? {
                Some(n) => ops::binary_op(vm, BinaryOp::Add, &n, &one)?,
                None => one.clone(),
            };
            dict_set(vm, &mapping, x, n)?;
        }
        return Ok(vm.none.clone());
    }
    let getter = util::getattr(vm, &mapping, "get")?;
    let zero = vm.int(0);
    while let Some(x) = ops::next(vm, &it)? {
        let n = call(vm, &getter, &[x.clone(), zero.clone()])?;
        let n = ops::binary_op(vm, BinaryOp::Add, &n, &one)?;
        sequence::setitem(vm, &mapping, &x, n)?;
    }
    Ok(vm.none.clone())
}

// _tuplegetter ---------------------------------------------------------

pub struct TupleGetter {
    index: usize,
    doc: RefCell<Obj>,
}

fn tuplegetter_type(vm: &Vm) -> Obj {
    vm.native_type("_collections._tuplegetter", |vm| {
        let slots = Slots {
            new: Some(|vm, cls, args, kw| {
                let [index, doc] = exact::<2>(vm, "_tuplegetter", args, kw)?;
                let index = util::to_isize(vm, &index)?;
                Ok(alloc(cls.clone(), TupleGetter { index: index.max(0) as usize, doc: RefCell::new(doc) }))
            }),
            descr_get: Some(|vm, descr, obj, _owner| {
                let g = get::<TupleGetter>(vm, descr)?;
                let Some(obj) = obj else { return Ok(descr.clone()) };
                if obj.is(&vm.none) {
                    return Ok(descr.clone());
                }
                let Some(t) = obj.downcast::<TupleData>() else {
                    return Err(vm.type_error(format!(
                        "descriptor for index '{}' for tuple subclasses doesn't apply to '{}' object",
                        g.index,
                        type_name(obj)
                    )));
                };
                t.items.get(g.index).cloned().ok_or_else(|| vm.new_error(&vm.types.index_error, "tuple index out of range"))
            }),
            descr_set: Some(|vm, _descr, _obj, value| {
                let msg = if value.is_some() { "can't set attribute" } else { "can't delete attribute" };
                Err(vm.new_error(&vm.types.attribute_error, msg))
            }),
            traverse: Some(|o, visit| {
                if let Some(g) = o.downcast::<TupleGetter>() {
                    if let Ok(d) = g.doc.try_borrow() {
                        visit(&d);
                    }
                }
            }),
            ..object_slots()
        };
        new_type::<TupleGetter>(vm, "_collections._tuplegetter", &[], true, slots, TUPLEGETTER_METHODS, TUPLEGETTER_GETSETS)
    })
}

static TUPLEGETTER_METHODS: &[MethodDef] = &[MethodDef::method(
    "__reduce__",
    |vm, this, args, kw| {
        exact::<0>(vm, "__reduce__", args, kw)?;
        let g = get::<TupleGetter>(vm, this)?;
        Ok(new_tuple(vm, vec![type_of(this), new_tuple(vm, vec![vm.int(g.index as i64), g.doc.borrow().clone()])]))
    },
    "",
)];

static TUPLEGETTER_GETSETS: &[GetSetDef] = &[GetSetDef::new(
    "__doc__",
    |vm, o| Ok(get::<TupleGetter>(vm, o)?.doc.borrow().clone()),
    |vm, o, v| {
        let g = get::<TupleGetter>(vm, o)?;
        drop(g.doc.replace(v.unwrap_or_else(|| vm.none.clone())));
        Ok(())
    },
    "",
)];

static FUNCS: &[FunctionDef] =
    &[FunctionDef::new("_count_elements", count_elements, "Count elements in the iterable, updating the mapping")];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "__doc__", new_str(vm, "High performance data structures.\n- deque:        ordered collection accessible from endpoints only\n- defaultdict:  dict subclass with a default value factory\n"))?;
    add_attr(vm, m, "deque", deque_type(vm))?;
    add_attr(vm, m, "defaultdict", defaultdict_type(vm)?)?;
    add_attr(vm, m, "_deque_iterator", deque_iter_type(vm))?;
    add_attr(vm, m, "_deque_reverse_iterator", deque_rev_iter_type(vm))?;
    add_attr(vm, m, "_tuplegetter", tuplegetter_type(vm))?;
    Ok(())
}
