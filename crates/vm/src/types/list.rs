//! `list`, its iterators, and the sort (a stable natural merge sort in the
//! manner of Timsort: runs found in the data, short runs extended by binary
//! insertion, merges kept balanced by Timsort's stack invariants).

use std::cell::{Cell, RefCell};

use crate::native::{at_most, exact, MethodDef};
use crate::object::{alloc, Obj};
use crate::ops;
use crate::sequence::SliceData;
use crate::types::builtin::*;
use crate::types::container::{clamp_range, eq_bool, is_exact, repeat_count, repeat_len, slice_index, ReprGuard};
use crate::types::{Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::{BinaryOp, CompareOp};

pub struct ListData {
    pub items: RefCell<Vec<Obj>>,
}

pub fn new_list(vm: &Vm, items: Vec<Obj>) -> Obj {
    crate::object::alloc_ref(&vm.types.list, ListData { items: RefCell::new(items) })
}

fn list_data(o: &Obj) -> Option<&ListData> {
    o.downcast::<ListData>()
}

/// The items of a list (or of an instance of a subclass of list).
pub fn list_items<'a>(vm: &Vm, s: &'a Obj) -> PyResult<&'a RefCell<Vec<Obj>>> {
    match s.downcast::<ListData>() {
        Some(l) => Ok(&l.items),
        None => Err(vm.type_error(format!("descriptor requires a 'list' object but received a '{}'", type_name(s)))),
    }
}

/// The item at `i`, without keeping the list borrowed.
fn get(items: &RefCell<Vec<Obj>>, i: usize) -> Option<Obj> {
    items.borrow().get(i).cloned()
}

fn item_at(o: &Obj, i: usize) -> Option<Obj> {
    if let Some(l) = list_data(o) {
        return l.items.borrow().get(i).cloned();
    }
    o.downcast::<TupleData>().and_then(|t| t.items.get(i).cloned())
}

fn seq_len(o: &Obj) -> usize {
    if let Some(l) = list_data(o) {
        return l.items.borrow().len();
    }
    o.downcast::<TupleData>().map_or(0, |t| t.items.len())
}

/// Lexicographic comparison of two lists or two tuples
/// (`list_richcompare`/`tuplerichcompare`): the first unequal pair
/// decides, else the lengths.
pub fn seq_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    if seq_len(a) != seq_len(b) && matches!(op, CompareOp::Eq | CompareOp::Ne) {
        return Ok(vm.bool(op == CompareOp::Ne));
    }
    let mut i = 0;
    while let (Some(x), Some(y)) = (item_at(a, i), item_at(b, i)) {
        if !eq_bool(vm, &x, &y)? {
            // The comparison may have shrunk a list: past its end, the
            // lengths decide (CPython's `list_richcompare`).
            if i >= seq_len(a) || i >= seq_len(b) {
                break;
            }
            return match op {
                CompareOp::Eq => Ok(vm.false_.clone()),
                CompareOp::Ne => Ok(vm.true_.clone()),
                _ => ops::compare(vm, op, &x, &y),
            };
        }
        i += 1;
    }
    let (la, lb) = (seq_len(a), seq_len(b));
    Ok(vm.bool(match op {
        CompareOp::Lt => la < lb,
        CompareOp::Le => la <= lb,
        CompareOp::Eq => la == lb,
        CompareOp::Ne => la != lb,
        CompareOp::Gt => la > lb,
        CompareOp::Ge => la >= lb,
    }))
}

fn list_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let Some(l) = list_data(o) else { return Ok(new_str(vm, "[]")) };
    if l.items.borrow().is_empty() {
        return Ok(new_str(vm, "[]"));
    }
    let Some(_guard) = ReprGuard::enter(vm, o) else { return Ok(new_str(vm, "[...]")) };
    let mut out = String::from("[");
    let mut i = 0;
    // The list may change while items are represented: re-read it.
    while let Some(x) = get(&l.items, i) {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&repr_string(vm, &x)?);
        i += 1;
    }
    out.push(']');
    Ok(new_str(vm, &out))
}

/// Whether `list.__init__` refuses keyword arguments for `o`: for lists
/// and for subclasses that keep `list.__new__` (one with its own
/// `__new__` may take keywords; CPython's rule).
pub(crate) fn init_refuses_kwargs(o: &Obj, base: &Obj) -> bool {
    let ty = crate::types::type_of(o);
    ty.is(base) || {
        let own = crate::types::lookup(&ty, "__new__");
        let inherited = crate::types::lookup(base, "__new__");
        matches!((own, inherited), (Some(a), Some(b)) if a.is(&b))
    }
}

fn list_init_native(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<()> {
    if !kw.is_empty() && init_refuses_kwargs(o, &vm.types.list) {
        crate::native::no_kwargs(vm, "list", kw)?;
    }
    if args.len() > 1 {
        return Err(vm.type_error(format!("list expected at most 1 argument, got {}", args.len())));
    }
    let items = list_items(vm, o)?;
    let old = std::mem::take(&mut *items.borrow_mut());
    drop(old);
    if let Some(it) = args.first() {
        extend(vm, o, it)?;
    }
    Ok(())
}

pub fn list_slots() -> Slots {
    Slots {
        // `type.__call__` runs `__init__` next (the `init` slot, or the
        // class's own).
        new: Some(|_vm, cls, _args, _kw| Ok(alloc(cls.clone(), ListData { items: RefCell::new(Vec::new()) }))),
        init: Some(|vm, o, args, kw| {
            list_init_native(vm, o, args, kw)?;
            Ok(vm.none.clone())
        }),
        repr: Some(list_repr),
        hash: None,
        bool: Some(|_, o| Ok(o.downcast::<ListData>().is_some_and(|l| !l.items.borrow().is_empty()))),
        iter: Some(|vm, o| Ok(alloc(vm.types.list_iterator.clone(), ListIterData { list: o.clone(), index: Cell::new(0) }))),
        binary: Some(list_binary),
        compare: Some(|vm, op, a, b| {
            if list_data(a).is_none() || list_data(b).is_none() {
                return Ok(vm.not_implemented.clone());
            }
            seq_compare(vm, op, a, b)
        }),
        traverse: Some(list_traverse),
        clear: Some(list_clear),
        ..object_slots()
    }
}

fn list_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    match op {
        BinaryOp::Add => match (list_data(a), list_data(b)) {
            (Some(x), Some(y)) => {
                let mut items = x.items.borrow().clone();
                items.extend(y.items.borrow().iter().cloned());
                Ok(new_list(vm, items))
            }
            _ => Ok(vm.not_implemented.clone()),
        },
        BinaryOp::Multiply => {
            let (l, n) = match (list_data(a), list_data(b)) {
                (Some(l), _) => (l, b),
                (None, Some(l)) => (l, a),
                _ => return Ok(vm.not_implemented.clone()),
            };
            let Some(n) = repeat_count(vm, n) else { return Ok(vm.not_implemented.clone()) };
            let n = n?;
            let items = l.items.borrow().clone();
            repeat_len(vm, items.len(), n)?;
            Ok(new_list(vm, repeat(&items, n)))
        }
        _ => Ok(vm.not_implemented.clone()),
    }
}

fn repeat(items: &[Obj], n: usize) -> Vec<Obj> {
    let mut out = Vec::with_capacity(items.len() * n);
    for _ in 0..n {
        out.extend_from_slice(items);
    }
    out
}

/// `list.extend(iterable)`: items are appended as the iterable yields
/// them (a list extended by itself doubles).
pub fn extend(vm: &Vm, list: &Obj, iterable: &Obj) -> PyResult<()> {
    let items = list_items(vm, list)?;
    if let Some(other) = list_data(iterable).filter(|_| is_exact(iterable, &vm.types.list) || iterable.is(list)) {
        let add = other.items.borrow().clone();
        items.borrow_mut().extend(add);
        return Ok(());
    }
    if let Some(t) = iterable.downcast::<TupleData>().filter(|_| is_exact(iterable, &vm.types.tuple)) {
        items.borrow_mut().extend(t.items.iter().cloned());
        return Ok(());
    }
    // A class's own `__length_hint__` is asked, as CPython presizes the
    // list with it (native iterators' hints change nothing observable).
    if let Some(h) = crate::types::lookup(&crate::types::type_of(iterable), "__length_hint__") {
        if !crate::types::type_of(&h).is(&vm.types.method_descriptor) {
            let n = ops::length_hint(vm, iterable, 0)?;
            items.borrow_mut().reserve((n as usize).min(1 << 16));
        }
    }
    let it = ops::iter(vm, iterable)?;
    while let Some(x) = ops::next(vm, &it)? {
        items.borrow_mut().push(x);
    }
    Ok(())
}

// ----- iterators -----

pub struct ListIterData {
    pub list: Obj,
    pub index: Cell<usize>,
}

impl ListIterData {
    /// The next item, `None` when exhausted (the `next` slot, and the eval
    /// loop's `ForIter` fast path).
    #[inline(always)]
    pub fn next_item(&self) -> Option<Obj> {
        let list = self.list.downcast::<ListData>()?;
        let i = self.index.get();
        let item = list.items.borrow().get(i).cloned();
        // Past the end the iterator stays exhausted, even if the list grows.
        self.index.set(if item.is_some() { i + 1 } else { usize::MAX });
        item
    }
}

pub fn list_iterator_slots() -> Slots {
    Slots {
        iter: Some(|_, o| Ok(o.clone())),
        next: Some(|_, o| {
            let Some(it) = o.downcast::<ListIterData>() else { return Ok(None) };
            Ok(it.next_item())
        }),
        traverse: Some(list_iterator_traverse),
        ..object_slots()
    }
}

/// `list_reverseiterator`.
pub struct ListRevIterData {
    list: RefCell<Option<Obj>>,
    /// The index of the next item plus one (0: exhausted).
    next: Cell<usize>,
}

pub fn list_reverseiterator_slots() -> Slots {
    Slots {
        iter: Some(|_, o| Ok(o.clone())),
        next: Some(|_, o| {
            let Some(it) = o.downcast::<ListRevIterData>() else { return Ok(None) };
            let Some(list) = it.list.borrow().clone() else { return Ok(None) };
            let n = it.next.get();
            let item = match (n.checked_sub(1), list.downcast::<ListData>()) {
                (Some(i), Some(l)) => l.items.borrow().get(i).cloned(),
                _ => None,
            };
            match item {
                Some(x) => {
                    it.next.set(n - 1);
                    Ok(Some(x))
                }
                None => {
                    it.next.set(0);
                    *it.list.borrow_mut() = None;
                    Ok(None)
                }
            }
        }),
        ..object_slots()
    }
}

fn length_hint(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__length_hint__", a, kw)?;
    let n = if let Some(it) = s.downcast::<ListIterData>() {
        seq_len(&it.list).saturating_sub(it.index.get())
    } else if let Some(it) = s.downcast::<ListRevIterData>() {
        match &*it.list.borrow() {
            Some(l) if it.next.get() <= seq_len(l) => it.next.get(),
            _ => 0,
        }
    } else {
        0
    };
    Ok(vm.int(n as i64))
}

/// `__reduce__`: `(iter, (list,), index)`, `(reversed, (list,), index)`
/// backwards, `(iter, ([],))` once exhausted.
fn iter_reduce(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__reduce__", a, kw)?;
    use crate::types::iterators::{builtin_obj, reduce_iter, reduce_value};
    if let Some(it) = s.downcast::<ListIterData>() {
        if it.index.get() != usize::MAX {
            return reduce_iter(vm, it.list.clone(), Some(it.index.get() as i64));
        }
    } else if let Some(it) = s.downcast::<ListRevIterData>() {
        if let Some(l) = it.list.borrow().clone() {
            let index = vm.int(it.next.get() as i64 - 1);
            return Ok(reduce_value(vm, builtin_obj(vm, "reversed")?, vec![l], Some(index)));
        }
    }
    reduce_iter(vm, new_list(vm, vec![]), None)
}

/// `__setstate__(index)`: the position, clamped to the list.
fn iter_setstate(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [state] = exact::<1>(vm, "__setstate__", a, kw)?;
    let i = crate::types::iterators::state_index(vm, &state)?;
    if let Some(it) = s.downcast::<ListIterData>() {
        if it.index.get() != usize::MAX {
            it.index.set(i.clamp(0, seq_len(&it.list) as i64) as usize);
        }
    } else if let Some(it) = s.downcast::<ListRevIterData>() {
        let list = it.list.borrow().clone();
        if let Some(l) = list {
            it.next.set((i.clamp(-1, seq_len(&l) as i64 - 1) + 1) as usize);
        }
    }
    Ok(vm.none.clone())
}

pub static LIST_ITER_METHODS: &[MethodDef] = &[
    MethodDef::method("__length_hint__", length_hint, "Private method returning an estimate of len(list(it))."),
    MethodDef::method("__reduce__", iter_reduce, "Return state information for pickling."),
    MethodDef::method("__setstate__", iter_setstate, "Set state information for unpickling."),
];

// ----- subscripts -----

/// An int subscript as a position in a sequence of `len` items.
/// (The length is read after the key's `__index__`, which may resize the
/// list.)
fn int_index(vm: &Vm, key: &Obj, items: &RefCell<Vec<Obj>>, what: &str) -> PyResult<usize> {
    let Some(i) = crate::sequence::ssize_index(vm, key)? else {
        return Err(vm.type_error(format!("list indices must be integers or slices, not {}", type_name(key))));
    };
    let len = items.borrow().len();
    crate::sequence::position(vm, i, len, what)
}

/// `list[key] = value` (`Some`) or `del list[key]` (`None`), with slices
/// and extended slices (`list_ass_subscript`).
pub fn list_ass_subscript(vm: &Vm, list: &Obj, key: &Obj, value: Option<Obj>) -> PyResult<()> {
    let items = list_items(vm, list)?;
    let Some(s) = key.downcast::<SliceData>() else {
        let i = int_index(vm, key, items, "list assignment")?;
        let old = match value {
            Some(v) => std::mem::replace(&mut items.borrow_mut()[i], v),
            None => items.borrow_mut().remove(i),
        };
        drop(old);
        return Ok(());
    };
    let len = items.borrow().len();
    let (start, stop, step) = crate::sequence::slice_indices(vm, s, len as i64)?;
    if step == 1 {
        let lo = start.clamp(0, len as i64) as usize;
        let hi = (stop.clamp(0, len as i64) as usize).max(lo);
        let new: Vec<Obj> = match &value {
            None => Vec::new(),
            Some(v) if v.is(list) => items.borrow().clone(),
            Some(v) => {
                if ops::iter(vm, v).is_err() {
                    return Err(vm.type_error("can only assign an iterable"));
                }
                crate::types::container::collect(vm, v)?
            }
        };
        let mut b = items.borrow_mut();
        let hi = hi.min(b.len());
        let lo = lo.min(hi);
        let old: Vec<Obj> = b.splice(lo..hi, new).collect();
        drop(b);
        drop(old);
        return Ok(());
    }
    let positions: Vec<usize> = crate::sequence::slice_walk(start, stop, step).collect();
    match value {
        None => {
            let mut remove = vec![false; len];
            for &p in &positions {
                remove[p] = true;
            }
            let old: Vec<Obj> = {
                let mut b = items.borrow_mut();
                let all = std::mem::take(&mut *b);
                let mut kept = Vec::with_capacity(all.len());
                let mut gone = Vec::new();
                for (j, x) in all.into_iter().enumerate() {
                    if remove.get(j).copied().unwrap_or(false) {
                        gone.push(x);
                    } else {
                        kept.push(x);
                    }
                }
                *b = kept;
                gone
            };
            drop(old);
            Ok(())
        }
        Some(v) => {
            let seq = if v.is(list) {
                items.borrow().clone()
            } else {
                if ops::iter(vm, &v).is_err() {
                    return Err(vm.type_error("must assign iterable to extended slice"));
                }
                crate::types::container::collect(vm, &v)?
            };
            if seq.len() != positions.len() {
                return Err(vm.new_error(
                    &vm.types.value_error,
                    format!("attempt to assign sequence of size {} to extended slice of size {}", seq.len(), positions.len()),
                ));
            }
            let mut old = Vec::with_capacity(seq.len());
            {
                let mut b = items.borrow_mut();
                for (p, x) in positions.into_iter().zip(seq) {
                    if let Some(slot) = b.get_mut(p) {
                        old.push(std::mem::replace(slot, x));
                    }
                }
            }
            drop(old);
            Ok(())
        }
    }
}

// ----- sort -----

/// How sort keys compare: natively when they all have one built-in type.
enum KeyKind {
    Int,
    Float,
    Str,
    Generic,
}

fn key_kind(vm: &Vm, keys: &[Obj]) -> KeyKind {
    let Some(first) = keys.first() else { return KeyKind::Generic };
    let all = |ty: &Obj| keys.iter().all(|k| is_exact(k, ty));
    if is_exact(first, &vm.types.int)
        && all(&vm.types.int)
        && keys.iter().all(|k| matches!(k.downcast::<IntData>(), Some(IntData::Small(_))))
    {
        KeyKind::Int
    } else if is_exact(first, &vm.types.float) && all(&vm.types.float) {
        KeyKind::Float
    } else if is_exact(first, &vm.types.str_) && all(&vm.types.str_) {
        KeyKind::Str
    } else {
        KeyKind::Generic
    }
}

/// Sorts `items` stably by `key` (or themselves) using `<` only;
/// `reverse` keeps equal items in their original order, as CPython does.
/// An exception from `key` or `<` is returned after the items have been
/// put in some order (all of them, none lost).
pub fn sort_vec(vm: &Vm, items: &mut Vec<Obj>, key: Option<&Obj>, reverse: bool) -> PyResult<()> {
    let keys: Vec<Obj> = match key {
        Some(f) => {
            let mut ks = Vec::with_capacity(items.len());
            for x in items.iter() {
                ks.push(crate::classes::call_object(vm, f, std::slice::from_ref(x))?);
            }
            ks
        }
        None => items.clone(),
    };
    let n = items.len();
    let mut order: Vec<usize> = if reverse { (0..n).rev().collect() } else { (0..n).collect() };
    let mut error = None;
    {
        let kind = key_kind(vm, &keys);
        let mut lt = |a: &usize, b: &usize| -> bool {
            if error.is_some() {
                return false;
            }
            let (x, y) = (&keys[*a], &keys[*b]);
            match kind {
                KeyKind::Int => match (x.downcast::<IntData>(), y.downcast::<IntData>()) {
                    (Some(IntData::Small(p)), Some(IntData::Small(q))) => p < q,
                    _ => false,
                },
                KeyKind::Float => match (x.downcast::<f64>(), y.downcast::<f64>()) {
                    (Some(p), Some(q)) => p < q,
                    _ => false,
                },
                KeyKind::Str => str_data(x).value.as_bytes() < str_data(y).value.as_bytes(),
                KeyKind::Generic => match ops::compare(vm, CompareOp::Lt, x, y).and_then(|r| ops::truth(vm, &r)) {
                    Ok(b) => b,
                    Err(e) => {
                        error = Some(e);
                        false
                    }
                },
            }
        };
        merge_sort(&mut order, &mut lt);
    }
    if reverse {
        order.reverse();
    }
    let mut slots: Vec<Option<Obj>> = std::mem::take(items).into_iter().map(Some).collect();
    *items = order.into_iter().filter_map(|i| slots.get_mut(i).and_then(Option::take)).collect();
    match error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// `list.sort(*, key=None, reverse=False)`.
pub fn list_sort(vm: &Vm, list: &Obj, key: Option<&Obj>, reverse: bool) -> PyResult<()> {
    let items = list_items(vm, list)?;
    // While sorting, the list looks empty; changes made meanwhile are
    // detected and thrown away.
    let mut work = std::mem::take(&mut *items.borrow_mut());
    let r = sort_vec(vm, &mut work, key, reverse);
    let intruders = std::mem::replace(&mut *items.borrow_mut(), work);
    // An append undone by a pop still leaves an allocation behind (as
    // CPython detects any reallocation of the emptied list).
    let modified = !intruders.is_empty() || intruders.capacity() != 0;
    drop(intruders);
    r?;
    if modified {
        return Err(vm.new_error(&vm.types.value_error, "list modified during sort"));
    }
    Ok(())
}

/// Timsort's minimum run length for `n` items.
fn min_run(mut n: usize) -> usize {
    let mut r = 0;
    while n >= 64 {
        r |= n & 1;
        n >>= 1;
    }
    n + r
}

/// A stable sort of `v` by `lt` (strict "less than").
pub fn merge_sort<T: Copy>(v: &mut [T], lt: &mut dyn FnMut(&T, &T) -> bool) {
    let n = v.len();
    if n < 2 {
        return;
    }
    let minrun = min_run(n);
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut lo = 0;
    while lo < n {
        // A run: non-descending, or strictly descending (then reversed,
        // which keeps the sort stable).
        let mut hi = lo + 1;
        if hi < n {
            if lt(&v[hi], &v[hi - 1]) {
                while hi < n && lt(&v[hi], &v[hi - 1]) {
                    hi += 1;
                }
                v[lo..hi].reverse();
            } else {
                while hi < n && !lt(&v[hi], &v[hi - 1]) {
                    hi += 1;
                }
            }
        }
        let end = (lo + minrun).min(n).max(hi);
        insertion_sort(&mut v[lo..end], hi - lo, lt);
        runs.push((lo, end - lo));
        lo = end;
        collapse(v, &mut runs, lt, false);
    }
    collapse(v, &mut runs, lt, true);
}

/// Binary insertion sort of `v`, whose first `sorted` items are in order.
fn insertion_sort<T: Copy>(v: &mut [T], sorted: usize, lt: &mut dyn FnMut(&T, &T) -> bool) {
    for start in sorted.max(1)..v.len() {
        let pivot = v[start];
        let (mut l, mut r) = (0, start);
        while l < r {
            let p = l + (r - l) / 2;
            if lt(&pivot, &v[p]) {
                r = p;
            } else {
                l = p + 1;
            }
        }
        v.copy_within(l..start, l + 1);
        v[l] = pivot;
    }
}

/// Merges runs until Timsort's invariants hold (all of them if `force`).
fn collapse<T: Copy>(v: &mut [T], runs: &mut Vec<(usize, usize)>, lt: &mut dyn FnMut(&T, &T) -> bool, force: bool) {
    while runs.len() > 1 {
        let mut n = runs.len() - 2;
        let len = |i: usize| runs[i].1;
        if force {
            if n > 0 && len(n - 1) < len(n + 1) {
                n -= 1;
            }
        } else if (n > 0 && len(n - 1) <= len(n) + len(n + 1)) || (n > 1 && len(n - 2) <= len(n - 1) + len(n)) {
            if len(n - 1) < len(n + 1) {
                n -= 1;
            }
        } else if len(n) > len(n + 1) {
            break;
        }
        let (base, la) = runs[n];
        let lb = runs[n + 1].1;
        merge(v, base, la, lb, lt);
        runs[n] = (base, la + lb);
        runs.remove(n + 1);
    }
}

/// Merges the adjacent sorted runs `v[base..base+la]` and the `lb` items
/// after it, stably.
fn merge<T: Copy>(v: &mut [T], base: usize, la: usize, lb: usize, lt: &mut dyn FnMut(&T, &T) -> bool) {
    let left: Vec<T> = v[base..base + la].to_vec();
    let (mut i, mut j, mut k) = (0, base + la, base);
    let end = base + la + lb;
    while i < la && j < end {
        if lt(&v[j], &left[i]) {
            v[k] = v[j];
            j += 1;
        } else {
            v[k] = left[i];
            i += 1;
        }
        k += 1;
    }
    while i < la {
        v[k] = left[i];
        i += 1;
        k += 1;
    }
}

// ----- methods -----

fn m_append(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let items = list_items(vm, this)?;
    let [x] = exact(vm, "list.append", args, kw)?;
    items.borrow_mut().push(x);
    Ok(vm.none.clone())
}

fn m_pop(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let items = list_items(vm, this)?;
    let [i] = at_most::<1>(vm, "pop", 0, args, kw)?;
    let len = items.borrow().len() as i64;
    let i = match i {
        None => -1,
        Some(i) => expect_int(vm, &i, "")?,
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
}

fn m_clear(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let items = list_items(vm, this)?;
    exact::<0>(vm, "list.clear", args, kw)?;
    let old = std::mem::take(&mut *items.borrow_mut());
    drop(old);
    Ok(vm.none.clone())
}

fn m_copy(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let items = list_items(vm, this)?;
    exact::<0>(vm, "list.copy", args, kw)?;
    let v = items.borrow().clone();
    Ok(new_list(vm, v))
}

fn m_count(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let items = list_items(vm, this)?;
    let [x] = exact(vm, "list.count", args, kw)?;
    let mut n = 0;
    let mut i = 0;
    while let Some(y) = get(items, i) {
        if eq_bool(vm, &y, &x)? {
            n += 1;
        }
        i += 1;
    }
    Ok(vm.int(n))
}

fn m_extend(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    list_items(vm, this)?;
    let [x] = exact(vm, "list.extend", args, kw)?;
    extend(vm, this, &x)?;
    Ok(vm.none.clone())
}

fn m_index(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let items = list_items(vm, this)?;
    let [x, start, stop] = at_most::<3>(vm, "index", 1, args, kw)?;
    let Some(x) = x else { return Err(vm.type_error("index expected at least 1 argument, got 0")) };
    let start = match start {
        Some(s) => slice_index(vm, &s)?,
        None => 0,
    };
    let stop = match stop {
        Some(s) => slice_index(vm, &s)?,
        None => i64::MAX,
    };
    let (mut i, _) = clamp_range(start, stop, items.borrow().len());
    loop {
        let (_, hi) = clamp_range(start, stop, items.borrow().len());
        if i >= hi {
            break;
        }
        let Some(y) = get(items, i) else { break };
        if eq_bool(vm, &y, &x)? {
            return Ok(vm.int(i as i64));
        }
        i += 1;
    }
    Err(vm.new_error(&vm.types.value_error, format!("{} is not in list", repr_string(vm, &x)?)))
}

fn m_insert(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let items = list_items(vm, this)?;
    let [i, x] = exact(vm, "insert", args, kw)?;
    let i = expect_int(vm, &i, "")?;
    let mut b = items.borrow_mut();
    let len = b.len() as i64;
    let at = if i < 0 { (i + len).max(0) } else { i.min(len) };
    b.insert(at as usize, x);
    Ok(vm.none.clone())
}

fn m_remove(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let items = list_items(vm, this)?;
    let [x] = exact(vm, "list.remove", args, kw)?;
    let mut i = 0;
    while let Some(y) = get(items, i) {
        if eq_bool(vm, &y, &x)? {
            let mut b = items.borrow_mut();
            let old = if i < b.len() { Some(b.remove(i)) } else { None };
            drop(b);
            drop(old);
            return Ok(vm.none.clone());
        }
        i += 1;
    }
    Err(vm.new_error(&vm.types.value_error, "list.remove(x): x not in list"))
}

fn m_reverse(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let items = list_items(vm, this)?;
    exact::<0>(vm, "list.reverse", args, kw)?;
    items.borrow_mut().reverse();
    Ok(vm.none.clone())
}

fn m_sort(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    list_items(vm, this)?;
    if !args.is_empty() {
        return Err(vm.type_error("sort() takes no positional arguments"));
    }
    let [key, reverse] = crate::native::bind::<2>(
        vm,
        &crate::native::Params { fname: "sort", names: &["key", "reverse"], posonly: 0, kwonly: 2, required: 0 },
        args,
        kw,
    )?;
    let key = key.filter(|k| !k.is(&vm.none));
    let reverse = match reverse {
        Some(r) => bool_arg(vm, &r)?,
        None => false,
    };
    list_sort(vm, this, key.as_ref(), reverse)?;
    Ok(vm.none.clone())
}

/// An int-like flag argument (`reverse=`): CPython parses it as an int.
fn bool_arg(vm: &Vm, o: &Obj) -> PyResult<bool> {
    match o.downcast::<IntData>() {
        Some(IntData::Small(v)) => Ok(*v != 0),
        Some(IntData::Big(_)) => Ok(true),
        None if o.downcast::<f64>().is_some() => Err(vm.type_error("'float' object cannot be interpreted as an integer")),
        None => Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer", type_name(o)))),
    }
}

fn m_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    list_items(vm, this)?;
    list_init_native(vm, this, args, kw)?;
    Ok(vm.none.clone())
}

fn m_len(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let items = list_items(vm, this)?;
    exact::<0>(vm, "list.__len__", args, kw)?;
    let n = items.borrow().len();
    Ok(vm.int(n as i64))
}

fn m_contains(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    list_items(vm, this)?;
    let [x] = exact(vm, "list.__contains__", args, kw)?;
    Ok(vm.bool(list_contains(vm, this, &x)?))
}

/// `x in list`, re-reading the list after each comparison.
pub fn list_contains(vm: &Vm, list: &Obj, x: &Obj) -> PyResult<bool> {
    let items = list_items(vm, list)?;
    let mut i = 0;
    while let Some(y) = get(items, i) {
        if eq_bool(vm, &y, x)? {
            return Ok(true);
        }
        i += 1;
    }
    Ok(false)
}

fn m_getitem(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    list_items(vm, this)?;
    let [k] = exact(vm, "list.__getitem__", args, kw)?;
    list_subscript(vm, this, &k)
}

/// `list[key]` for an int or a slice.
pub fn list_subscript(vm: &Vm, list: &Obj, key: &Obj) -> PyResult<Obj> {
    let items = list_items(vm, list)?;
    if let Some(s) = key.downcast::<SliceData>() {
        let len = items.borrow().len();
        let positions = crate::sequence::slice_positions(vm, s, len)?;
        let b = items.borrow();
        return Ok(new_list(vm, positions.into_iter().filter_map(|i| b.get(i).cloned()).collect()));
    }
    let i = int_index(vm, key, items, "list")?;
    let v = items.borrow()[i].clone();
    Ok(v)
}

fn m_setitem(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [k, v] = exact(vm, "__setitem__", args, kw)?;
    list_ass_subscript(vm, this, &k, Some(v))?;
    Ok(vm.none.clone())
}

fn m_delitem(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [k] = exact(vm, "__delitem__", args, kw)?;
    list_ass_subscript(vm, this, &k, None)?;
    Ok(vm.none.clone())
}

fn m_iter(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    list_items(vm, this)?;
    exact::<0>(vm, "list.__iter__", args, kw)?;
    Ok(alloc(vm.types.list_iterator.clone(), ListIterData { list: this.clone(), index: Cell::new(0) }))
}

fn m_reversed(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let items = list_items(vm, this)?;
    exact::<0>(vm, "list.__reversed__", args, kw)?;
    let n = items.borrow().len();
    Ok(alloc(vm.types.list_reverseiterator.clone(), ListRevIterData { list: RefCell::new(Some(this.clone())), next: Cell::new(n) }))
}

fn m_iadd(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    list_items(vm, this)?;
    let [x] = exact(vm, "list.__iadd__", args, kw)?;
    extend(vm, this, &x)?;
    Ok(this.clone())
}

fn m_imul(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let items = list_items(vm, this)?;
    let [n] = exact(vm, "list.__imul__", args, kw)?;
    let Some(n) = repeat_count(vm, &n) else {
        return Err(vm.type_error(format!("can't multiply sequence by non-int of type '{}'", type_name(&n))));
    };
    let n = n?;
    let cur = items.borrow().clone();
    repeat_len(vm, cur.len(), n)?;
    let old = std::mem::replace(&mut *items.borrow_mut(), repeat(&cur, n));
    drop(old);
    Ok(this.clone())
}

fn m_add(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x] = exact(vm, "list.__add__", args, kw)?;
    if list_data(&x).is_none() {
        return Err(vm.type_error(format!("can only concatenate list (not \"{}\") to list", type_name(&x))));
    }
    list_binary(vm, BinaryOp::Add, this, &x)
}

fn m_mul(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x] = exact(vm, "list.__mul__", args, kw)?;
    list_binary(vm, BinaryOp::Multiply, this, &x)
}

pub static LIST_METHODS: &[MethodDef] = &[
    MethodDef::method("append", m_append, "Append object to the end of the list."),
    MethodDef::method("clear", m_clear, "Remove all items from list."),
    MethodDef::method("copy", m_copy, "Return a shallow copy of the list."),
    MethodDef::method("count", m_count, "Return number of occurrences of value."),
    MethodDef::method("extend", m_extend, "Extend list by appending elements from the iterable."),
    MethodDef::method("index", m_index, "Return first index of value.\n\nRaises ValueError if the value is not present."),
    MethodDef::method("insert", m_insert, "Insert object before index."),
    MethodDef::method(
        "pop",
        m_pop,
        "Remove and return item at index (default last).\n\nRaises IndexError if list is empty or index is out of range.",
    ),
    MethodDef::method("remove", m_remove, "Remove first occurrence of value.\n\nRaises ValueError if the value is not present."),
    MethodDef::method("reverse", m_reverse, "Reverse *IN PLACE*."),
    MethodDef::method("sort", m_sort, "Sort the list in ascending order and return None."),
    MethodDef::method("__init__", m_init, "Initialize self.  See help(type(self)) for accurate signature."),
    MethodDef::method("__len__", m_len, "Return len(self)."),
    MethodDef::method("__contains__", m_contains, "Return key in self."),
    MethodDef::method("__getitem__", m_getitem, "x.__getitem__(y) <==> x[y]"),
    MethodDef::method("__setitem__", m_setitem, "Set self[key] to value."),
    MethodDef::method("__delitem__", m_delitem, "Delete self[key]."),
    MethodDef::method("__iter__", m_iter, "Implement iter(self)."),
    MethodDef::method("__reversed__", m_reversed, "Return a reverse iterator over the list."),
    MethodDef::method("__iadd__", m_iadd, "Implement self+=value."),
    MethodDef::method("__imul__", m_imul, "Implement self*=value."),
    MethodDef::method("__add__", m_add, "Return self+value."),
    MethodDef::method("__mul__", m_mul, "Return self*value."),
    MethodDef::method("__rmul__", m_mul, "Return value*self."),
];

/// The collector's view of a list: its items.
pub(crate) fn list_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(l) = o.downcast::<ListData>() {
        // Last to first, as CPython's `list_traverse` (the collector's
        // order of discovery, `gc.get_referents`).
        if let Ok(items) = l.items.try_borrow() {
            for x in items.iter().rev() {
                visit(x);
            }
        }
    }
}

pub(crate) fn list_clear(o: &Obj) {
    if let Some(l) = o.downcast::<ListData>() {
        let old = l.items.try_borrow_mut().map(|mut v| std::mem::take(&mut *v)).ok();
        drop(old);
    }
}

pub(crate) fn list_iterator_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(it) = o.downcast::<ListIterData>() {
        visit(&it.list);
    }
}

/// CPython frees a list's items from the last to the first (observable
/// through `__del__`).
impl Drop for ListData {
    fn drop(&mut self) {
        let items = self.items.get_mut();
        while let Some(x) = items.pop() {
            drop(x);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_sort_is_stable() {
        // Sort (key, original position) pairs by key only; equal keys must
        // keep their positions in order.
        let mut seed: u64 = 12345;
        let mut data: Vec<(u32, usize)> = (0..5000)
            .map(|i| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (((seed >> 33) % 50) as u32, i)
            })
            .collect();
        // Some pre-sorted and descending stretches to exercise runs.
        data[100..400].sort();
        data[1000..1300].sort_by_key(|p| std::cmp::Reverse(p.0));
        let mut want = data.clone();
        want.sort_by_key(|p| p.0);
        merge_sort(&mut data, &mut |a, b| a.0 < b.0);
        assert_eq!(data, want);
    }

    #[test]
    fn merge_sort_small_and_empty() {
        let mut v: Vec<i32> = vec![];
        merge_sort(&mut v, &mut |a, b| a < b);
        let mut v = vec![3, 1, 2];
        merge_sort(&mut v, &mut |a, b| a < b);
        assert_eq!(v, vec![1, 2, 3]);
        let mut v: Vec<i32> = (0..200).rev().collect();
        merge_sort(&mut v, &mut |a, b| a < b);
        assert_eq!(v, (0..200).collect::<Vec<_>>());
    }

    #[test]
    fn min_run_matches_timsort() {
        assert_eq!(min_run(63), 63);
        assert_eq!(min_run(64), 32);
        assert_eq!(min_run(65), 33);
        assert_eq!(min_run(100000), 49);
    }
}
