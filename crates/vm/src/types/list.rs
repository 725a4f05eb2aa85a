//! `list` and its iterator.

use std::cell::{Cell, RefCell};

use crate::object::{alloc, Obj};
use crate::types::builtin::*;
use crate::types::Slots;
use crate::vm::Vm;
use crate::PyResult;

pub struct ListData {
    pub items: RefCell<Vec<Obj>>,
}

pub fn new_list(vm: &Vm, items: Vec<Obj>) -> Obj {
    alloc(vm.types.list.clone(), ListData { items: RefCell::new(items) })
}

pub fn list_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let items: Vec<Obj> = o.downcast::<ListData>().map_or_else(Vec::new, |l| l.items.borrow().clone());
            let parts = items.iter().map(|x| repr_string(vm, x)).collect::<PyResult<Vec<_>>>()?;
            Ok(new_str(vm, &format!("[{}]", parts.join(", "))))
        }),
        bool: Some(|_, o| Ok(o.downcast::<ListData>().is_some_and(|l| !l.items.borrow().is_empty()))),
        iter: Some(|vm, o| Ok(alloc(vm.types.list_iterator.clone(), ListIterData { list: o.clone(), index: Cell::new(0) }))),
        ..object_slots()
    }
}

pub struct ListIterData {
    pub list: Obj,
    pub index: Cell<usize>,
}

pub fn list_iterator_slots() -> Slots {
    Slots {
        iter: Some(|_, o| Ok(o.clone())),
        next: Some(|_, o| {
            let Some(it) = o.downcast::<ListIterData>() else { return Ok(None) };
            let Some(list) = it.list.downcast::<ListData>() else { return Ok(None) };
            let i = it.index.get();
            let item = list.items.borrow().get(i).cloned();
            if item.is_some() {
                it.index.set(i + 1);
            }
            Ok(item)
        }),
        ..object_slots()
    }
}
