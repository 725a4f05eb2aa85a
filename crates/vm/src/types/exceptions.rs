//! `BaseException` and its payload.

use std::cell::{Cell, RefCell};

use crate::object::{alloc, Obj};
use crate::types::builtin::*;
use crate::types::{type_data_of, Slots};
use crate::vm::Vm;

/// A `BaseException` instance: its arguments, chaining and traceback.
pub struct ExceptionData {
    pub args: RefCell<Obj>,
    /// `__cause__` (`raise ... from cause`).
    pub cause: RefCell<Option<Obj>>,
    /// `__context__`: the exception being handled when this one was raised.
    pub context: RefCell<Option<Obj>>,
    pub suppress_context: Cell<bool>,
    /// `__traceback__`, innermost entry last: (code object, instruction
    /// word) per frame the exception passed through.
    pub traceback: RefCell<Vec<(Obj, u32)>>,
    /// Other attributes (`__dict__`).
    pub dict: RefCell<Option<Obj>>,
}

pub fn new_exception(vm: &Vm, ty: &Obj, args: Vec<Obj>) -> Obj {
    alloc(
        ty.clone(),
        ExceptionData {
            args: RefCell::new(new_tuple(vm, args)),
            cause: RefCell::new(None),
            context: RefCell::new(None),
            suppress_context: Cell::new(false),
            traceback: RefCell::new(Vec::new()),
            dict: RefCell::new(None),
        },
    )
}

pub fn exception_data(o: &Obj) -> Option<&ExceptionData> {
    o.downcast::<ExceptionData>()
}

pub fn exception_slots() -> Slots {
    Slots {
        new: Some(|vm, cls, args, kw| {
            crate::classes::no_kwargs(vm, name_of_type(cls), kw)?;
            Ok(new_exception(vm, cls, args.to_vec()))
        }),
        str: Some(|vm, o| {
            let args = o.downcast::<ExceptionData>().map(|e| e.args.borrow().clone());
            let items: Vec<Obj> = args.as_ref().and_then(|a| a.downcast::<TupleData>()).map_or_else(Vec::new, |t| t.items.to_vec());
            match items.len() {
                0 => Ok(new_str(vm, "")),
                // KeyError shows its key as a repr (CPython's KeyError_str).
                1 if crate::types::is_subtype(&crate::types::type_of(o), &vm.types.key_error) => crate::ops::repr(vm, &items[0]),
                1 => crate::ops::str(vm, &items[0]),
                _ => crate::ops::repr(vm, args.as_ref().unwrap_or(&vm.none)),
            }
        }),
        repr: Some(|vm, o| {
            let args = o.downcast::<ExceptionData>().map(|e| e.args.borrow().clone()).unwrap_or_else(|| vm.none.clone());
            let inner = repr_string(vm, &args)?;
            let name = &type_data_of(o).name;
            let inner = inner.strip_suffix(",)").map(|s| format!("{s})")).unwrap_or(inner);
            Ok(new_str(vm, &format!("{name}{inner}")))
        }),
        traverse: Some(exception_traverse),
        clear: Some(exception_clear),
        ..object_slots()
    }
}

/// The collector's view of an exception: args, chaining, `__dict__`.
pub(crate) fn exception_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    let Some(e) = exception_data(o) else { return };
    if let Ok(a) = e.args.try_borrow() {
        visit(&a);
    }
    for cell in [&e.cause, &e.context, &e.dict] {
        if let Ok(c) = cell.try_borrow() {
            if let Some(x) = &*c {
                visit(x);
            }
        }
    }
}

pub(crate) fn exception_clear(o: &Obj) {
    let Some(e) = exception_data(o) else { return };
    let mut old = Vec::new();
    for cell in [&e.cause, &e.context, &e.dict] {
        if let Ok(mut c) = cell.try_borrow_mut() {
            old.extend(c.take());
        }
    }
    drop(old);
}
