//! `list` and its iterator.

use std::cell::{Cell, RefCell};

use crate::native::{at_most, exact, MethodDef};
use crate::object::{alloc, Obj};
use crate::types::builtin::*;
use crate::types::Kwargs;
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
        traverse: Some(list_traverse),
        clear: Some(list_clear),
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
        traverse: Some(list_iterator_traverse),
        ..object_slots()
    }
}

pub static LIST_METHODS: &[MethodDef] = &[
    MethodDef::method("append", list_append, "Append object to the end of the list."),
    MethodDef::method(
        "pop",
        list_pop,
        "Remove and return item at index (default last).\n\nRaises IndexError if list is empty or index is out of range.",
    ),
];

/// The items of a list (or of an instance of a subclass of list).
pub fn list_items<'a>(vm: &Vm, s: &'a Obj) -> PyResult<&'a RefCell<Vec<Obj>>> {
    match s.downcast::<ListData>() {
        Some(l) => Ok(&l.items),
        None => Err(vm.type_error(format!("descriptor requires a 'list' object but received a '{}'", type_name(s)))),
    }
}

fn list_append(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [x] = exact(vm, "append", args, kw)?;
    list_items(vm, this)?.borrow_mut().push(x);
    Ok(vm.none.clone())
}

fn list_pop(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [i] = at_most::<1>(vm, "pop", 0, args, kw)?;
    let items = list_items(vm, this)?;
    let len = items.borrow().len() as i64;
    let i = match i {
        None => len - 1,
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

/// The collector's view of a list: its items.
pub(crate) fn list_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(l) = o.downcast::<ListData>() {
        if let Ok(items) = l.items.try_borrow() {
            for x in items.iter() {
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
