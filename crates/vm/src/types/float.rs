//! `float`.

use num_traits::ToPrimitive;

use crate::object::{alloc, Obj};
use crate::types::builtin::*;
use crate::types::Slots;
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::{BinaryOp, CompareOp};

pub fn float_slots() -> Slots {
    Slots {
        new: Some(|vm, _, args, kw| match args {
            _ if !kw.is_empty() => Err(vm.type_error("this constructor takes no keyword arguments here")),
            [] => Ok(alloc(vm.types.float.clone(), 0.0)),
            [x] => match as_f64(vm, x)? {
                Some(f) => Ok(alloc(vm.types.float.clone(), f)),
                None => match x.downcast::<StrData>() {
                    Some(s) => match s.as_str().trim().parse::<f64>() {
                        Ok(f) => Ok(alloc(vm.types.float.clone(), f)),
                        Err(_) => {
                            Err(vm.new_error(&vm.types.value_error, format!("could not convert string to float: {}", repr_string(vm, x)?)))
                        }
                    },
                    None => Err(vm.type_error(format!("float() argument must be a string or a real number, not '{}'", type_name(x)))),
                },
            },
            _ => Err(vm.type_error(format!("float expected at most 1 argument, got {}", args.len()))),
        }),
        repr: Some(|vm, o| Ok(new_str(vm, &taipan_parser::repr::repr_float(*o.downcast::<f64>().unwrap_or(&0.0))))),
        bool: Some(|_, o| Ok(*o.downcast::<f64>().unwrap_or(&0.0) != 0.0)),
        binary: Some(float_binary),
        compare: Some(float_compare),
        ..object_slots()
    }
}

/// Converts an int or float operand to f64 (`None` for other types).
pub(crate) fn as_f64(vm: &Vm, o: &Obj) -> PyResult<Option<f64>> {
    if let Some(f) = o.downcast::<f64>() {
        return Ok(Some(*f));
    }
    match o.downcast::<IntData>() {
        Some(IntData::Small(v)) => Ok(Some(*v as f64)),
        Some(IntData::Big(b)) => match b.to_f64().filter(|f| f.is_finite()) {
            Some(f) => Ok(Some(f)),
            None => Err(vm.new_error(&vm.types.overflow_error, "int too large to convert to float")),
        },
        None => Ok(None),
    }
}

pub(crate) fn float_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let (Some(x), Some(y)) = (as_f64(vm, a)?, as_f64(vm, b)?) else {
        return Ok(vm.not_implemented.clone());
    };
    let zero_div = |msg: &str| Err(vm.new_error(&vm.types.zero_division_error, msg));
    let r = match op {
        BinaryOp::Add => x + y,
        BinaryOp::Subtract => x - y,
        BinaryOp::Multiply => x * y,
        BinaryOp::TrueDivide => {
            if y == 0.0 {
                return zero_div("float division by zero");
            }
            x / y
        }
        BinaryOp::FloorDivide => {
            if y == 0.0 {
                return zero_div("float floor division by zero");
            }
            (x / y).floor()
        }
        BinaryOp::Remainder => {
            if y == 0.0 {
                return zero_div("float modulo");
            }
            let m = x % y;
            if m != 0.0 && (m < 0.0) != (y < 0.0) {
                m + y
            } else {
                m
            }
        }
        BinaryOp::Power => {
            if x == 0.0 && y < 0.0 {
                return zero_div("0.0 cannot be raised to a negative power");
            }
            x.powf(y)
        }
        _ => return Ok(vm.not_implemented.clone()),
    };
    Ok(alloc(vm.types.float.clone(), r))
}

pub(crate) fn float_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    match (as_f64(vm, a)?, as_f64(vm, b)?) {
        (Some(x), Some(y)) => Ok(compare_result(vm, op, x, y)),
        _ => Ok(vm.not_implemented.clone()),
    }
}
