//! `object`, `NoneType`, `NotImplementedType`, and helpers every type uses.

use crate::object::Obj;
use crate::types::builtin::*;
use crate::types::{type_data, type_data_of, Slots};
use crate::vm::Vm;
use crate::PyResult;

pub fn object_slots() -> Slots {
    Slots { repr: Some(object_repr), hash: Some(|_, o| Ok(o.as_ptr() as i64 >> 4)), ..Slots::default() }
}

fn object_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(new_str(vm, &format!("<{} object at {:#x}>", type_data_of(o).name, o.as_ptr() as usize)))
}

pub fn none_slots() -> Slots {
    Slots { repr: Some(|vm, _| Ok(new_str(vm, "None"))), bool: Some(|_, _| Ok(false)), ..object_slots() }
}

pub fn not_implemented_slots() -> Slots {
    Slots {
        repr: Some(|vm, _| Ok(new_str(vm, "NotImplemented"))),
        new: Some(|vm, _cls, args, kw| {
            if !args.is_empty() || !kw.is_empty() {
                return Err(vm.type_error("NotImplementedType takes no arguments"));
            }
            Ok(vm.not_implemented.clone())
        }),
        ..object_slots()
    }
}

/// `repr(o)` as Rust text.
pub fn repr_string(vm: &Vm, o: &Obj) -> PyResult<String> {
    let r = crate::ops::repr(vm, o)?;
    Ok(str_data(&r).as_str().into_owned())
}

/// The name of `o`'s type.
pub fn type_name(o: &Obj) -> &str {
    &type_data_of(o).name
}

/// The name of a type object.
pub fn name_of_type(ty: &Obj) -> &str {
    &type_data(ty).name
}

/// Raises `TypeError` unless `o` is an exact or derived instance; helper
/// for argument checks.
pub fn expect_int(vm: &Vm, o: &Obj, what: &str) -> PyResult<i64> {
    match o.downcast::<IntData>() {
        Some(IntData::Small(v)) => Ok(*v),
        Some(IntData::Big(_)) => Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C ssize_t")),
        None => Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer{what}", type_name(o)))),
    }
}

/// `Ellipsis` (`...`), the only instance of `ellipsis`.
pub fn ellipsis_slots() -> Slots {
    Slots {
        repr: Some(|vm, _| Ok(new_str(vm, "Ellipsis"))),
        new: Some(|vm, _cls, args, kw| {
            if !args.is_empty() || !kw.is_empty() {
                return Err(vm.type_error("ellipsis takes no arguments"));
            }
            Ok(vm.ellipsis.clone())
        }),
        ..object_slots()
    }
}
