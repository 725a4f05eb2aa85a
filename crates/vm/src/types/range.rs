//! `range` and its iterator.

use std::cell::Cell;

use crate::object::{alloc, Obj};
use crate::types::builtin::*;
use crate::types::Slots;

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
    next: std::cell::RefCell<Obj>,
    stop: Obj,
    step: Obj,
}

fn longrange_iterator(vm: &crate::vm::Vm, b: &[Obj; 3]) -> Obj {
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
        crate::native::new_type::<LongRangeIterData>(vm, "longrange_iterator", &[], false, slots, &[], &[])
    });
    alloc(ty, LongRangeIterData { next: std::cell::RefCell::new(b[0].clone()), stop: b[1].clone(), step: b[2].clone() })
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
            Ok(alloc(vm.types.range_iterator.clone(), RangeIterData { next: Cell::new(r.0), stop: r.1, step: r.2 }))
        }),
        ..object_slots()
    }
}

pub struct RangeIterData {
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
