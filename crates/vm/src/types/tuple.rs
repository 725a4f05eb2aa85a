//! `tuple`.

use std::cell::Cell;

use crate::object::{alloc, Obj};
use crate::types::builtin::*;
use crate::types::Slots;
use crate::vm::Vm;
use crate::PyResult;

pub struct TupleData {
    pub items: Box<[Obj]>,
}

pub fn new_tuple(vm: &Vm, items: Vec<Obj>) -> Obj {
    alloc(vm.types.tuple.clone(), TupleData { items: items.into_boxed_slice() })
}

pub fn tuple_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let items = &o.downcast::<TupleData>().map_or(&[][..], |t| &t.items[..]);
            let parts = items.iter().map(|x| repr_string(vm, x)).collect::<PyResult<Vec<_>>>()?;
            let s = if parts.len() == 1 { format!("({},)", parts[0]) } else { format!("({})", parts.join(", ")) };
            Ok(new_str(vm, &s))
        }),
        bool: Some(|_, o| Ok(o.downcast::<TupleData>().is_some_and(|t| !t.items.is_empty()))),
        iter: Some(|vm, o| {
            // Tuples are immutable: iterate over a list snapshot.
            let items = o.downcast::<TupleData>().map_or_else(Vec::new, |t| t.items.to_vec());
            let snapshot = new_list(vm, items);
            Ok(alloc(vm.types.list_iterator.clone(), ListIterData { list: snapshot, index: Cell::new(0) }))
        }),
        traverse: Some(tuple_traverse),
        ..object_slots()
    }
}

/// The collector's view of a tuple: its items (tuples are immutable and
/// have no clear function; cycles through them break elsewhere).
pub(crate) fn tuple_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(t) = o.downcast::<TupleData>() {
        for x in t.items.iter() {
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
