//! `slice`: construction, `start`/`stop`/`step`, `indices()`, repr and
//! comparison (as the tuple `(start, stop, step)`); unhashable in 3.11.

use crate::native::{at_most, exact, GetSetDef, MethodDef};
use crate::object::{alloc, Obj};
use crate::sequence::SliceData;
use crate::types::builtin::*;
use crate::types::{Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;
use num_bigint::BigInt;
use num_traits::{One, Signed, Zero};
use taipan_compiler::bytecode::CompareOp;

pub fn slice_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let Some(s) = o.downcast::<SliceData>() else { return Ok(new_str(vm, "slice(?)")) };
            let text = format!("slice({}, {}, {})", repr_string(vm, &s.start)?, repr_string(vm, &s.stop)?, repr_string(vm, &s.step)?);
            Ok(new_str(vm, &text))
        }),
        hash: None,
        new: Some(|vm, cls, args, kw| {
            let [a, b, c] = at_most::<3>(vm, "slice", 1, args, kw)?;
            let none = || vm.none.clone();
            let data = match (a, b) {
                (Some(stop), None) => SliceData { start: none(), stop, step: none() },
                (Some(start), Some(stop)) => SliceData { start, stop, step: c.unwrap_or_else(none) },
                _ => return Err(vm.type_error("slice expected at least 1 argument, got 0")),
            };
            Ok(alloc(cls.clone(), data))
        }),
        compare: Some(|vm, op, a, b| {
            let (Some(x), Some(y)) = (a.downcast::<SliceData>(), b.downcast::<SliceData>()) else {
                return Ok(vm.not_implemented.clone());
            };
            // Lexicographic on (start, stop, step).
            let (xs, ys) = ([&x.start, &x.stop, &x.step], [&y.start, &y.stop, &y.step]);
            for (p, q) in xs.iter().zip(ys.iter()) {
                if p.is(q) || crate::ops::eq(vm, p, q)? {
                    continue;
                }
                return match op {
                    CompareOp::Eq => Ok(vm.false_.clone()),
                    CompareOp::Ne => Ok(vm.true_.clone()),
                    _ => crate::ops::compare(vm, op, p, q),
                };
            }
            Ok(vm.bool(matches!(op, CompareOp::Eq | CompareOp::Le | CompareOp::Ge)))
        }),
        ..object_slots()
    }
}

pub static SLICE_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "__reduce__",
        |vm, this, args, kw| {
            exact::<0>(vm, "__reduce__", args, kw)?;
            let s = data(vm, this)?;
            let args = new_tuple(vm, vec![s.start.clone(), s.stop.clone(), s.step.clone()]);
            Ok(new_tuple(vm, vec![vm.types.slice.clone(), args]))
        },
        "Return state information for pickling.",
    ),
    MethodDef::method(
    "indices",
    slice_indices_method,
    "S.indices(len) -> (start, stop, stride)\n\nAssuming a sequence of length len, calculate the start and stop\nindices, and the stride length of the extended slice described by\nS. Out of bounds indices are clipped in a manner consistent with the\nhandling of normal slices.",
),
];

pub static SLICE_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("start", |vm, o| Ok(data(vm, o)?.start.clone()), ""),
    GetSetDef::readonly("stop", |vm, o| Ok(data(vm, o)?.stop.clone()), ""),
    GetSetDef::readonly("step", |vm, o| Ok(data(vm, o)?.step.clone()), ""),
];

fn data<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a SliceData> {
    o.downcast::<SliceData>().ok_or_else(|| vm.type_error("expected a slice"))
}

/// `slice.indices(length)`.
fn slice_indices_method(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [len] = exact::<1>(vm, "indices", args, kw)?;
    let len = index_value(vm, &len)?.ok_or_else(|| vm.type_error("'NoneType' object cannot be interpreted as an integer"))?;
    if len.is_negative() {
        return Err(vm.new_error(&vm.types.value_error, "length should not be negative"));
    }
    let (start, stop, step) = indices_big(vm, data(vm, this)?, &len)?;
    Ok(new_tuple(vm, vec![new_int_big(vm, start), new_int_big(vm, stop), new_int_big(vm, step)]))
}

/// An index operand: None, or an int through `__index__`.
fn index_value(vm: &Vm, o: &Obj) -> PyResult<Option<BigInt>> {
    if o.is(&vm.none) {
        return Ok(None);
    }
    let i = if o.downcast::<IntData>().is_some() {
        o.clone()
    } else if crate::types::lookup(&crate::types::type_of(o), "__index__").is_some() {
        crate::ops::index(vm, o)?
    } else {
        return Err(vm.type_error("slice indices must be integers or None or have an __index__ method"));
    };
    Ok(i.downcast::<IntData>().map(|d| d.to_big()))
}

/// Start, stop and step of `s` clamped for a sequence of `len` items, on
/// exact integers (CPython's `_PySlice_GetLongIndices`: `slice.indices`
/// and slicing a range).
pub fn indices_big(vm: &Vm, s: &SliceData, len: &BigInt) -> PyResult<(BigInt, BigInt, BigInt)> {
    let step = index_value(vm, &s.step)?.unwrap_or_else(BigInt::one);
    if step.is_zero() {
        return Err(vm.new_error(&vm.types.value_error, "slice step cannot be zero"));
    }
    let back = step.is_negative();
    let (lower, upper) = if back { (BigInt::from(-1), len - 1u8) } else { (BigInt::zero(), len.clone()) };
    let clamp = |v: Option<BigInt>, default: &BigInt| -> BigInt {
        match v {
            None => default.clone(),
            Some(v) if v.is_negative() => (v + len).max(lower.clone()),
            Some(v) => v.min(upper.clone()),
        }
    };
    let start = clamp(index_value(vm, &s.start)?, if back { &upper } else { &lower });
    let stop = clamp(index_value(vm, &s.stop)?, if back { &lower } else { &upper });
    Ok((start, stop, step))
}
