//! `range` and its iterator.

use std::cell::Cell;

use crate::native::{exact, GetSetDef, MethodDef};
use crate::object::{alloc, Obj};
use crate::types::builtin::*;
use crate::types::{Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};
use taipan_compiler::bytecode::CompareOp;

pub struct RangeData {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
    /// start, stop, step when one of them does not fit a word (the word
    /// fields then describe an empty range); iterated by
    /// `longrange_iterator`. A stop-gap: only construction, repr and
    /// iteration handle it so far.
    pub big: Option<Box<[Obj; 3]>>,
}

/// The iterator of a range with big bounds.
pub struct LongRangeIterData {
    start: Obj,
    next: std::cell::RefCell<Obj>,
    stop: Obj,
    step: Obj,
}

fn longrange_iterator(vm: &Vm, b: &[Obj; 3]) -> Obj {
    let ty = vm.native_type("longrange_iterator", |vm| {
        let slots = Slots {
            iter: Some(|_, o| Ok(o.clone())),
            next: Some(|vm, o| {
                use taipan_compiler::bytecode::{BinaryOp, CompareOp};
                let Some(it) = o.downcast::<LongRangeIterData>() else { return Ok(None) };
                let v = it.next.borrow().clone();
                let up = crate::ops::compare(vm, CompareOp::Gt, &it.step, &vm.int(0))?;
                let op = if up.is(&vm.true_) { CompareOp::Lt } else { CompareOp::Gt };
                let more = crate::ops::compare(vm, op, &v, &it.stop)?;
                if !more.is(&vm.true_) {
                    return Ok(None);
                }
                let n = crate::ops::binary_op(vm, BinaryOp::Add, &v, &it.step)?;
                drop(it.next.replace(n));
                Ok(Some(v))
            }),
            ..object_slots()
        };
        crate::native::new_type::<LongRangeIterData>(vm, "longrange_iterator", &[], false, slots, RANGE_ITER_METHODS, &[])
    });
    alloc(
        ty,
        LongRangeIterData { start: b[0].clone(), next: std::cell::RefCell::new(b[0].clone()), stop: b[1].clone(), step: b[2].clone() },
    )
}

pub fn range_slots() -> Slots {
    Slots {
        new: Some(|vm, _cls, args, kw| crate::builtins_module::builtin_range(vm, args, kw)),
        repr: Some(|vm, o| {
            if let Some(b) = o.downcast::<RangeData>().and_then(|r| r.big.as_ref()) {
                let [a, z, st] = &**b;
                let (a, z) = (repr_string(vm, a)?, repr_string(vm, z)?);
                let one = matches!(st.downcast::<IntData>(), Some(IntData::Small(1)));
                let s = if one { format!("range({a}, {z})") } else { format!("range({a}, {z}, {})", repr_string(vm, st)?) };
                return Ok(new_str(vm, &s));
            }
            let r = o.downcast::<RangeData>().map_or((0, 0, 1), |r| (r.start, r.stop, r.step));
            let s = if r.2 == 1 { format!("range({}, {})", r.0, r.1) } else { format!("range({}, {}, {})", r.0, r.1, r.2) };
            Ok(new_str(vm, &s))
        }),
        iter: Some(|vm, o| {
            if let Some(b) = o.downcast::<RangeData>().and_then(|r| r.big.as_ref()) {
                return Ok(longrange_iterator(vm, b));
            }
            let r = o.downcast::<RangeData>().map_or((0, 0, 1), |r| (r.start, r.stop, r.step));
            if word_iter_overflows(r.0, r.1, r.2) {
                return Ok(longrange_iterator(vm, &[vm.int(r.0), vm.int(r.1), vm.int(r.2)]));
            }
            Ok(alloc(vm.types.range_iterator.clone(), RangeIterData { start: r.0, next: Cell::new(r.0), stop: r.1, step: r.2 }))
        }),
        compare: Some(range_compare),
        hash: Some(range_hash),
        bool: Some(|vm, o| {
            let (start, stop, step) = range_of(vm, o)?;
            Ok(!length(&start, &stop, &step).is_zero())
        }),
        ..object_slots()
    }
}

/// Whether a word range iterator could overflow computing
/// `start + len * step` (CPython's `range_iter` then makes a
/// `longrange_iterator`, and so must we for pickles to round-trip).
fn word_iter_overflows(start: i64, stop: i64, step: i64) -> bool {
    let len = length(&BigInt::from(start), &BigInt::from(stop), &BigInt::from(step));
    if len.to_i64().is_none() {
        return true;
    }
    if len.is_zero() {
        return false;
    }
    if step > 0 {
        stop > i64::MAX - (step - 1)
    } else {
        stop < i64::MIN + (-1 - step)
    }
}

pub struct RangeIterData {
    /// The first value (for `__reduce__` / `__setstate__`).
    start: i64,
    next: Cell<i64>,
    stop: i64,
    step: i64,
}

impl RangeIterData {
    /// The next value, `None` when exhausted (the `next` slot, and the eval
    /// loop's `ForIter` fast path).
    #[inline(always)]
    pub fn next_value(&self) -> Option<i64> {
        let v = self.next.get();
        if (self.step > 0 && v >= self.stop) || (self.step < 0 && v <= self.stop) {
            return None;
        }
        self.next.set(v.saturating_add(self.step));
        Some(v)
    }
}

/// A range iterator's (start, stop, step, next) as exact integers.
fn iter_state(o: &Obj) -> Option<(BigInt, BigInt, BigInt, BigInt)> {
    let big = |o: &Obj| o.downcast::<IntData>().map_or_else(BigInt::zero, |i| i.to_big());
    if let Some(it) = o.downcast::<RangeIterData>() {
        return Some((it.start.into(), it.stop.into(), it.step.into(), it.next.get().into()));
    }
    let it = o.downcast::<LongRangeIterData>()?;
    let next = big(&it.next.borrow());
    Some((big(&it.start), big(&it.stop), big(&it.step), next))
}

/// The number of values and the index of the next one.
fn iter_position(start: &BigInt, stop: &BigInt, step: &BigInt, next: &BigInt) -> (BigInt, BigInt) {
    let len = length(start, stop, step);
    let index = ((next - start) / step).clamp(BigInt::zero(), len.clone());
    (len, index)
}

/// `__reduce__`: `(iter, (range(start, start + len * step, step),), index)`.
fn iter_reduce(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__reduce__", args, kw)?;
    let Some((start, stop, step, next)) = iter_state(this) else { return Err(vm.type_error("expected a range iterator")) };
    let (len, index) = iter_position(&start, &stop, &step, &next);
    let end = &start + &len * &step;
    let r = new_range(vm, start, end, step);
    Ok(crate::types::iterators::reduce_value(vm, crate::types::iterators::builtin_obj(vm, "iter")?, vec![r], Some(new_int_big(vm, index))))
}

/// `__setstate__(index)`: the position, clamped to `0..=len`.
fn iter_setstate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [state] = exact::<1>(vm, "__setstate__", args, kw)?;
    let Some((start, stop, step, _)) = iter_state(this) else { return Err(vm.type_error("expected a range iterator")) };
    let Some(i) = state.downcast::<IntData>().map(|i| i.to_big()) else { return Err(vm.type_error("an integer is required")) };
    let len = length(&start, &stop, &step);
    let next = &start + i.clamp(BigInt::zero(), len) * &step;
    if let Some(it) = this.downcast::<RangeIterData>() {
        let sat = if next.is_negative() { i64::MIN } else { i64::MAX };
        it.next.set(next.to_i64().unwrap_or(sat));
    } else if let Some(it) = this.downcast::<LongRangeIterData>() {
        drop(it.next.replace(new_int_big(vm, next)));
    }
    Ok(vm.none.clone())
}

/// `__length_hint__`: the values left.
fn iter_length_hint(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__length_hint__", args, kw)?;
    let Some((start, stop, step, next)) = iter_state(this) else { return Ok(vm.int(0)) };
    let (len, index) = iter_position(&start, &stop, &step, &next);
    Ok(new_int_big(vm, len - index))
}

pub static RANGE_ITER_METHODS: &[MethodDef] = &[
    MethodDef::method("__length_hint__", iter_length_hint, "Private method returning an estimate of len(list(it))."),
    MethodDef::method("__reduce__", iter_reduce, "Return state information for pickling."),
    MethodDef::method("__setstate__", iter_setstate, "Set state information for unpickling."),
];

pub fn range_iterator_slots() -> Slots {
    Slots {
        iter: Some(|_, o| Ok(o.clone())),
        next: Some(|vm, o| {
            let Some(it) = o.downcast::<RangeIterData>() else { return Ok(None) };
            Ok(it.next_value().map(|v| vm.int(v)))
        }),
        ..object_slots()
    }
}

// ---- the range object's semantics on exact bounds ----
//
// Word-sized ranges (`big == None`, length fits an i64) keep fast paths in
// `ops` (len, `in`), `sequence` (indexing) and the eval loop (iteration);
// everything here also handles ranges with big bounds.

/// start, stop, step as exact integers.
fn bounds(r: &RangeData) -> (BigInt, BigInt, BigInt) {
    match &r.big {
        Some(b) => {
            let big = |o: &Obj| o.downcast::<IntData>().map_or_else(BigInt::zero, |i| i.to_big());
            (big(&b[0]), big(&b[1]), big(&b[2]))
        }
        None => (BigInt::from(r.start), BigInt::from(r.stop), BigInt::from(r.step)),
    }
}

/// The number of items of range(start, stop, step) (step != 0).
fn length(start: &BigInt, stop: &BigInt, step: &BigInt) -> BigInt {
    if step.is_positive() && start < stop {
        (stop - start - 1u8) / step + 1u8
    } else if step.is_negative() && start > stop {
        (start - stop - 1u8) / (-step) + 1u8
    } else {
        BigInt::zero()
    }
}

/// A range object from exact bounds: word fields when the bounds and the
/// length fit a word, else the big form.
pub fn new_range(vm: &Vm, start: BigInt, stop: BigInt, step: BigInt) -> Obj {
    let len = length(&start, &stop, &step);
    if let (Some(a), Some(z), Some(s), Some(_)) = (start.to_i64(), stop.to_i64(), step.to_i64(), len.to_i64()) {
        return alloc(vm.types.range.clone(), RangeData { start: a, stop: z, step: s, big: None });
    }
    let big = Some(Box::new([new_int_big(vm, start), new_int_big(vm, stop), new_int_big(vm, step)]));
    alloc(vm.types.range.clone(), RangeData { start: 0, stop: 0, step: 1, big })
}

fn range_of(vm: &Vm, o: &Obj) -> PyResult<(BigInt, BigInt, BigInt)> {
    match o.downcast::<RangeData>() {
        Some(r) => Ok(bounds(r)),
        None => Err(vm.type_error(format!("descriptor requires a 'range' object but received a '{}'", type_name(o)))),
    }
}

/// `x in r` for an exact int (or bool) `x`.
fn contains_int(start: &BigInt, stop: &BigInt, step: &BigInt, x: &BigInt) -> bool {
    let inside = if step.is_positive() { start <= x && x < stop } else { stop < x && x <= start };
    inside && (x - start).mod_floor(step).is_zero()
}

fn is_exact_int(vm: &Vm, o: &Obj) -> bool {
    let t = crate::types::type_of(o);
    t.is(&vm.types.int) || t.is(&vm.types.bool_)
}

/// `x in r`: arithmetic for ints, else a search by equality.
pub fn contains(vm: &Vm, r: &Obj, x: &Obj) -> PyResult<bool> {
    let (start, stop, step) = range_of(vm, r)?;
    if is_exact_int(vm, x) {
        let v = x.downcast::<IntData>().map_or_else(BigInt::zero, |i| i.to_big());
        return Ok(contains_int(&start, &stop, &step, &v));
    }
    let it = crate::ops::iter(vm, r)?;
    while let Some(item) = crate::ops::next(vm, &it)? {
        if crate::ops::eq(vm, &item, x)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `r[key]` for an int or a slice (any range).
pub fn getitem(vm: &Vm, r: &Obj, key: &Obj) -> PyResult<Obj> {
    let (start, stop, step) = range_of(vm, r)?;
    let len = length(&start, &stop, &step);
    if let Some(s) = key.downcast::<crate::sequence::SliceData>() {
        let (a, z, st) = crate::types::slice::indices_big(vm, s, &len)?;
        let at = |i: &BigInt| &start + i * &step;
        return Ok(new_range(vm, at(&a), at(&z), st * &step));
    }
    let i = match key.downcast::<IntData>() {
        Some(i) => i.to_big(),
        None => match crate::types::lookup(&crate::types::type_of(key), "__index__") {
            Some(_) => crate::ops::index(vm, key)?.downcast::<IntData>().map_or_else(BigInt::zero, |i| i.to_big()),
            None => return Err(vm.type_error(format!("range indices must be integers or slices, not {}", type_name(key)))),
        },
    };
    let i = if i.is_negative() { i + &len } else { i };
    if i.is_negative() || i >= len {
        return Err(vm.new_error(&vm.types.index_error, "range object index out of range"));
    }
    Ok(new_int_big(vm, start + i * step))
}

/// `len(r)`, or OverflowError when it does not fit a word.
fn len_method(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__len__", args, kw)?;
    let (start, stop, step) = range_of(vm, this)?;
    match length(&start, &stop, &step).to_i64() {
        Some(n) => Ok(vm.int(n)),
        None => Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C ssize_t")),
    }
}

fn count_method(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x] = exact::<1>(vm, "count", args, kw)?;
    if is_exact_int(vm, &x) {
        return Ok(vm.int(contains(vm, this, &x)? as i64));
    }
    let mut n = 0;
    let it = crate::ops::iter(vm, this)?;
    while let Some(item) = crate::ops::next(vm, &it)? {
        if crate::ops::eq(vm, &item, &x)? {
            n += 1;
        }
    }
    Ok(vm.int(n))
}

fn index_method(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x] = exact::<1>(vm, "index", args, kw)?;
    let (start, stop, step) = range_of(vm, this)?;
    if is_exact_int(vm, &x) {
        let v = x.downcast::<IntData>().map_or_else(BigInt::zero, |i| i.to_big());
        if contains_int(&start, &stop, &step, &v) {
            return Ok(new_int_big(vm, (v - start) / step));
        }
        let shown = repr_string(vm, &x)?;
        return Err(vm.new_error(&vm.types.value_error, format!("{shown} is not in range")));
    }
    let it = crate::ops::iter(vm, this)?;
    let mut i = 0i64;
    while let Some(item) = crate::ops::next(vm, &it)? {
        if crate::ops::eq(vm, &item, &x)? {
            return Ok(vm.int(i));
        }
        i += 1;
    }
    Err(vm.new_error(&vm.types.value_error, "sequence.index(x): x not in sequence"))
}

fn reversed_method(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__reversed__", args, kw)?;
    let (start, stop, step) = range_of(vm, this)?;
    let len = length(&start, &stop, &step);
    let last = &start + (&len - 1u8) * &step;
    let end = &start - &step;
    let back = -&step;
    if let (Some(a), Some(z), Some(s)) = (last.to_i64(), end.to_i64(), back.to_i64()) {
        if !len.is_zero() || (start.to_i64().is_some()) {
            let next = if len.is_zero() { z } else { a };
            return Ok(alloc(vm.types.range_iterator.clone(), RangeIterData { start: next, next: Cell::new(next), stop: z, step: s }));
        }
    }
    let b = [new_int_big(vm, if len.is_zero() { end.clone() } else { last }), new_int_big(vm, end), new_int_big(vm, back)];
    Ok(longrange_iterator(vm, &b))
}

fn reduce_method(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__reduce__", args, kw)?;
    let (start, stop, step) = range_of(vm, this)?;
    let parts = new_tuple(vm, vec![new_int_big(vm, start), new_int_big(vm, stop), new_int_big(vm, step)]);
    Ok(new_tuple(vm, vec![vm.types.range.clone(), parts]))
}

fn getitem_method(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key] = exact::<1>(vm, "__getitem__", args, kw)?;
    getitem(vm, this, &key)
}

fn contains_method(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x] = exact::<1>(vm, "__contains__", args, kw)?;
    Ok(vm.bool(contains(vm, this, &x)?))
}

pub static RANGE_METHODS: &[MethodDef] = &[
    MethodDef::method("__len__", len_method, "Return len(self)."),
    MethodDef::method("__getitem__", getitem_method, "Return self[key]."),
    MethodDef::method("__contains__", contains_method, "Return bool(key in self)."),
    MethodDef::method("__reversed__", reversed_method, "Return a reverse iterator."),
    MethodDef::method("__reduce__", reduce_method, "Helper for pickle."),
    MethodDef::method("count", count_method, "rangeobject.count(value) -> integer -- return number of occurrences of value"),
    MethodDef::method(
        "index",
        index_method,
        "rangeobject.index(value) -> integer -- return index of value.\nRaise ValueError if the value is not present.",
    ),
];

fn bound_getter(vm: &Vm, o: &Obj, which: usize) -> PyResult<Obj> {
    let (start, stop, step) = range_of(vm, o)?;
    let [a, z, s] = [start, stop, step];
    Ok(new_int_big(vm, [a, z, s].into_iter().nth(which).unwrap_or_default()))
}

pub static RANGE_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("start", |vm, o| bound_getter(vm, o, 0), ""),
    GetSetDef::readonly("stop", |vm, o| bound_getter(vm, o, 1), ""),
    GetSetDef::readonly("step", |vm, o| bound_getter(vm, o, 2), ""),
];

/// `==` on ranges compares the sequences they describe (CPython's
/// `range_equals`).
fn range_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let (Some(x), Some(y)) = (a.downcast::<RangeData>(), b.downcast::<RangeData>()) else {
        return Ok(vm.not_implemented.clone());
    };
    if !matches!(op, CompareOp::Eq | CompareOp::Ne) {
        return Ok(vm.not_implemented.clone());
    }
    let equal = a.is(b) || {
        let (s0, e0, st0) = bounds(x);
        let (s1, e1, st1) = bounds(y);
        let (l0, l1) = (length(&s0, &e0, &st0), length(&s1, &e1, &st1));
        l0 == l1 && (l0.is_zero() || (s0 == s1 && (l0.is_one() || st0 == st1)))
    };
    Ok(vm.bool(equal == (op == CompareOp::Eq)))
}

/// Equal ranges hash alike: the hash of (len, start, step) with start
/// and step None where they do not matter.
fn range_hash(vm: &Vm, o: &Obj) -> PyResult<i64> {
    let (start, stop, step) = range_of(vm, o)?;
    let len = length(&start, &stop, &step);
    let key = if len.is_zero() {
        vec![vm.int(0), vm.none.clone(), vm.none.clone()]
    } else if len.is_one() {
        vec![vm.int(1), new_int_big(vm, start), vm.none.clone()]
    } else {
        vec![new_int_big(vm, len), new_int_big(vm, start), new_int_big(vm, step)]
    };
    crate::ops::hash(vm, &new_tuple(vm, key))
}
