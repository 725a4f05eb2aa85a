//! `tuple` and its iterator.

use std::cell::{Cell, RefCell};

use crate::native::{at_most, exact, MethodDef};
use crate::object::{alloc, Obj};
use crate::ops;
use crate::types::builtin::*;
use crate::types::container::{clamp_range, eq_bool, is_exact, repeat_count, repeat_len, slice_index, ReprGuard};
use crate::types::{Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::BinaryOp;

pub struct TupleData {
    pub items: Box<[Obj]>,
}

pub fn new_tuple(vm: &Vm, items: Vec<Obj>) -> Obj {
    crate::object::alloc_ref(&vm.types.tuple, TupleData { items: items.into_boxed_slice() })
}

fn tuple_data(o: &Obj) -> Option<&TupleData> {
    o.downcast::<TupleData>()
}

/// CPython 3.11's tuple hash: xxHash's round over the item hashes.
pub fn tuple_hash_of(hashes: impl ExactSizeIterator<Item = i64>) -> i64 {
    const P1: u64 = 11400714785074694791;
    const P2: u64 = 14029467366897019727;
    const P5: u64 = 2870177450012600261;
    let len = hashes.len() as u64;
    let mut acc = P5;
    for h in hashes {
        acc = acc.wrapping_add((h as u64).wrapping_mul(P2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(P1);
    }
    acc = acc.wrapping_add(len ^ (P5 ^ 3527539));
    if acc == u64::MAX {
        return 1546275796;
    }
    acc as i64
}

fn tuple_hash(vm: &Vm, o: &Obj) -> PyResult<i64> {
    let Some(t) = tuple_data(o) else { return Ok(0) };
    let hashes = t.items.iter().map(|x| ops::hash(vm, x)).collect::<PyResult<Vec<i64>>>()?;
    Ok(tuple_hash_of(hashes.into_iter()))
}

fn tuple_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let items = tuple_data(o).map_or(&[][..], |t| &t.items[..]);
    if items.is_empty() {
        return Ok(new_str(vm, "()"));
    }
    let Some(_guard) = ReprGuard::enter(vm, o) else { return Ok(new_str(vm, "(...)")) };
    let parts = items.iter().map(|x| repr_string(vm, x)).collect::<PyResult<Vec<_>>>()?;
    let s = if parts.len() == 1 { format!("({},)", parts[0]) } else { format!("({})", parts.join(", ")) };
    Ok(new_str(vm, &s))
}

fn tuple_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    match op {
        BinaryOp::Add => match (tuple_data(a), tuple_data(b)) {
            (Some(x), Some(y)) => {
                if y.items.is_empty() && is_exact(a, &vm.types.tuple) {
                    return Ok(a.clone());
                }
                if x.items.is_empty() && is_exact(b, &vm.types.tuple) {
                    return Ok(b.clone());
                }
                Ok(new_tuple(vm, x.items.iter().chain(y.items.iter()).cloned().collect()))
            }
            _ => Ok(vm.not_implemented.clone()),
        },
        BinaryOp::Multiply => {
            let (t, this, n) = match (tuple_data(a), tuple_data(b)) {
                (Some(t), _) => (t, a, b),
                (None, Some(t)) => (t, b, a),
                _ => return Ok(vm.not_implemented.clone()),
            };
            let Some(n) = repeat_count(vm, n) else { return Ok(vm.not_implemented.clone()) };
            let n = n?;
            if n == 1 && is_exact(this, &vm.types.tuple) {
                return Ok(this.clone());
            }
            repeat_len(vm, t.items.len(), n)?;
            let mut out = Vec::with_capacity(t.items.len() * n);
            for _ in 0..n {
                out.extend(t.items.iter().cloned());
            }
            Ok(new_tuple(vm, out))
        }
        _ => Ok(vm.not_implemented.clone()),
    }
}

pub fn tuple_slots() -> Slots {
    Slots {
        new: Some(|vm, cls, args, kw| {
            if cls.is(&vm.types.tuple) {
                crate::native::no_kwargs(vm, "tuple", kw)?;
            }
            if args.len() > 1 {
                return Err(vm.type_error(format!("tuple expected at most 1 argument, got {}", args.len())));
            }
            if cls.is(&vm.types.tuple) {
                return match args.first() {
                    None => Ok(new_tuple(vm, vec![])),
                    Some(x) if is_exact(x, &vm.types.tuple) => Ok(x.clone()),
                    Some(x) => Ok(new_tuple(vm, crate::types::container::collect(vm, x)?)),
                };
            }
            let items = match args.first() {
                Some(x) => crate::types::container::collect(vm, x)?,
                None => Vec::new(),
            };
            Ok(alloc(cls.clone(), TupleData { items: items.into_boxed_slice() }))
        }),
        repr: Some(tuple_repr),
        hash: Some(tuple_hash),
        bool: Some(|_, o| Ok(o.downcast::<TupleData>().is_some_and(|t| !t.items.is_empty()))),
        iter: Some(|vm, o| {
            Ok(alloc(vm.types.tuple_iterator.clone(), TupleIterData { tuple: RefCell::new(Some(o.clone())), index: Cell::new(0) }))
        }),
        binary: Some(tuple_binary),
        compare: Some(|vm, op, a, b| {
            if tuple_data(a).is_none() || tuple_data(b).is_none() {
                return Ok(vm.not_implemented.clone());
            }
            crate::types::list::seq_compare(vm, op, a, b)
        }),
        traverse: Some(tuple_traverse),
        ..object_slots()
    }
}

pub struct TupleIterData {
    tuple: RefCell<Option<Obj>>,
    index: Cell<usize>,
}

pub fn tuple_iterator_slots() -> Slots {
    Slots {
        iter: Some(|_, o| Ok(o.clone())),
        next: Some(|_, o| {
            let Some(it) = o.downcast::<TupleIterData>() else { return Ok(None) };
            let Some(t) = it.tuple.borrow().clone() else { return Ok(None) };
            let i = it.index.get();
            match tuple_data(&t).and_then(|d| d.items.get(i).cloned()) {
                Some(x) => {
                    it.index.set(i + 1);
                    Ok(Some(x))
                }
                None => {
                    *it.tuple.borrow_mut() = None;
                    Ok(None)
                }
            }
        }),
        ..object_slots()
    }
}

/// `__reduce__`: `(iter, (tuple,), index)`, `(iter, ((),))` once exhausted.
fn iter_reduce(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__reduce__", a, kw)?;
    use crate::types::iterators::reduce_iter;
    if let Some(it) = s.downcast::<TupleIterData>() {
        if let Some(t) = it.tuple.borrow().clone() {
            return reduce_iter(vm, t, Some(it.index.get() as i64));
        }
    }
    reduce_iter(vm, new_tuple(vm, vec![]), None)
}

/// `__setstate__(index)`: the position, clamped to the tuple.
fn iter_setstate(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [state] = exact::<1>(vm, "__setstate__", a, kw)?;
    let i = crate::types::iterators::state_index(vm, &state)?;
    if let Some(it) = s.downcast::<TupleIterData>() {
        if let Some(t) = it.tuple.borrow().clone() {
            let n = tuple_data(&t).map_or(0, |d| d.items.len());
            it.index.set(i.clamp(0, n as i64) as usize);
        }
    }
    Ok(vm.none.clone())
}

pub static TUPLE_ITER_METHODS: &[MethodDef] = &[
    MethodDef::method("__reduce__", iter_reduce, "Return state information for pickling."),
    MethodDef::method("__setstate__", iter_setstate, "Set state information for unpickling."),
    MethodDef::method(
        "__length_hint__",
        |vm, s, a, kw| {
            exact::<0>(vm, "__length_hint__", a, kw)?;
            let n = match s.downcast::<TupleIterData>() {
                Some(it) => match &*it.tuple.borrow() {
                    Some(t) => tuple_data(t).map_or(0, |d| d.items.len().saturating_sub(it.index.get())),
                    None => 0,
                },
                None => 0,
            };
            Ok(vm.int(n as i64))
        },
        "Private method returning an estimate of len(list(it)).",
    ),
];

fn this<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a TupleData> {
    tuple_data(o).ok_or_else(|| vm.type_error(format!("descriptor requires a 'tuple' object but received a '{}'", type_name(o))))
}

fn m_count(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let t = this(vm, s)?;
    let [x] = exact(vm, "tuple.count", a, kw)?;
    let mut n = 0;
    for y in t.items.iter() {
        if eq_bool(vm, y, &x)? {
            n += 1;
        }
    }
    Ok(vm.int(n))
}

fn m_index(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let t = this(vm, s)?;
    let [x, start, stop] = at_most::<3>(vm, "index", 1, a, kw)?;
    let Some(x) = x else { return Err(vm.type_error("index expected at least 1 argument, got 0")) };
    let start = match start {
        Some(v) => slice_index(vm, &v)?,
        None => 0,
    };
    let stop = match stop {
        Some(v) => slice_index(vm, &v)?,
        None => i64::MAX,
    };
    let (lo, hi) = clamp_range(start, stop, t.items.len());
    for i in lo..hi {
        if eq_bool(vm, &t.items[i], &x)? {
            return Ok(vm.int(i as i64));
        }
    }
    Err(vm.new_error(&vm.types.value_error, "tuple.index(x): x not in tuple"))
}

pub static TUPLE_METHODS: &[MethodDef] = &[
    MethodDef::method("count", m_count, "Return number of occurrences of value."),
    MethodDef::method(
        "__getnewargs__",
        |vm, s, a, kw| {
            let t = this(vm, s)?;
            exact::<0>(vm, "__getnewargs__", a, kw)?;
            Ok(new_tuple(vm, vec![new_tuple(vm, t.items.to_vec())]))
        },
        "",
    ),
    MethodDef::method("index", m_index, "Return first index of value.\n\nRaises ValueError if the value is not present."),
    MethodDef::method(
        "__len__",
        |vm, s, a, kw| {
            let t = this(vm, s)?;
            exact::<0>(vm, "tuple.__len__", a, kw)?;
            Ok(vm.int(t.items.len() as i64))
        },
        "Return len(self).",
    ),
    MethodDef::method(
        "__contains__",
        |vm, s, a, kw| {
            let t = this(vm, s)?;
            let [x] = exact(vm, "tuple.__contains__", a, kw)?;
            for y in t.items.iter() {
                if eq_bool(vm, y, &x)? {
                    return Ok(vm.true_.clone());
                }
            }
            Ok(vm.false_.clone())
        },
        "Return key in self.",
    ),
    MethodDef::method(
        "__getitem__",
        |vm, s, a, kw| {
            this(vm, s)?;
            let [k] = exact(vm, "tuple.__getitem__", a, kw)?;
            crate::sequence::tuple_subscript(vm, s, &k)
        },
        "Return self[key].",
    ),
    MethodDef::method(
        "__iter__",
        |vm, s, a, kw| {
            this(vm, s)?;
            exact::<0>(vm, "tuple.__iter__", a, kw)?;
            Ok(alloc(vm.types.tuple_iterator.clone(), TupleIterData { tuple: RefCell::new(Some(s.clone())), index: Cell::new(0) }))
        },
        "Implement iter(self).",
    ),
    MethodDef::method(
        "__add__",
        |vm, s, a, kw| {
            let [x] = exact(vm, "tuple.__add__", a, kw)?;
            if tuple_data(&x).is_none() {
                return Err(vm.type_error(format!("can only concatenate tuple (not \"{}\") to tuple", type_name(&x))));
            }
            tuple_binary(vm, BinaryOp::Add, s, &x)
        },
        "Return self+value.",
    ),
    MethodDef::method(
        "__mul__",
        |vm, s, a, kw| {
            let [x] = exact(vm, "tuple.__mul__", a, kw)?;
            tuple_binary(vm, BinaryOp::Multiply, s, &x)
        },
        "Return self*value.",
    ),
    MethodDef::method(
        "__rmul__",
        |vm, s, a, kw| {
            let [x] = exact(vm, "tuple.__rmul__", a, kw)?;
            tuple_binary(vm, BinaryOp::Multiply, s, &x)
        },
        "Return value*self.",
    ),
];

/// The collector's view of a tuple: its items (tuples are immutable and
/// have no clear function; cycles through them break elsewhere).
pub(crate) fn tuple_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    // Last to first, as CPython's `tupletraverse`.
    if let Some(t) = o.downcast::<TupleData>() {
        for x in t.items.iter().rev() {
            visit(x);
        }
    }
}

/// CPython frees a tuple's items from the last to the first.
impl Drop for TupleData {
    fn drop(&mut self) {
        let mut items = std::mem::take(&mut self.items).into_vec();
        while let Some(x) = items.pop() {
            drop(x);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_matches_cpython() {
        // python3.11 -c "print(hash(()), hash((1,)), hash((1, 2, 3)))"
        assert_eq!(tuple_hash_of([].into_iter()), 5740354900026072187);
        assert_eq!(tuple_hash_of([1].into_iter()), -6644214454873602895);
        assert_eq!(tuple_hash_of([1, 2, 3].into_iter()), 529344067295497451);
        // hash(((1, 2), 3))
        let inner = tuple_hash_of([1, 2].into_iter());
        assert_eq!(tuple_hash_of([inner, 3].into_iter()), -333907151259015829);
    }
}
