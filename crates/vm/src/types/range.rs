//! `range` and its iterator.

use std::cell::Cell;

use crate::object::alloc;
use crate::types::builtin::*;
use crate::types::Slots;

pub struct RangeData {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
}

pub fn range_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let r = o.downcast::<RangeData>().map_or((0, 0, 1), |r| (r.start, r.stop, r.step));
            let s = if r.2 == 1 { format!("range({}, {})", r.0, r.1) } else { format!("range({}, {}, {})", r.0, r.1, r.2) };
            Ok(new_str(vm, &s))
        }),
        iter: Some(|vm, o| {
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

pub fn range_iterator_slots() -> Slots {
    Slots {
        iter: Some(|_, o| Ok(o.clone())),
        next: Some(|vm, o| {
            let Some(it) = o.downcast::<RangeIterData>() else { return Ok(None) };
            let v = it.next.get();
            if (it.step > 0 && v >= it.stop) || (it.step < 0 && v <= it.stop) {
                return Ok(None);
            }
            it.next.set(v.saturating_add(it.step));
            Ok(Some(vm.int(v)))
        }),
        ..object_slots()
    }
}
