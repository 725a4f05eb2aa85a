//! `int` and `bool`: a machine word when it fits, a big integer otherwise.

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{ToPrimitive, Zero};

use crate::object::{alloc, Obj};
use crate::types::builtin::*;
use crate::types::Slots;
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::{BinaryOp, CompareOp};

/// An `int`: a machine word when it fits, else a big integer.
#[derive(Clone, Debug, PartialEq)]
pub enum IntData {
    Small(i64),
    Big(BigInt),
}

impl IntData {
    pub fn to_big(&self) -> BigInt {
        match self {
            IntData::Small(v) => BigInt::from(*v),
            IntData::Big(b) => b.clone(),
        }
    }
}

/// An `int` object from a big integer, normalised to the word form.
pub fn new_int_big(vm: &Vm, v: BigInt) -> Obj {
    match v.to_i64() {
        Some(s) => vm.int(s),
        None => alloc(vm.types.int.clone(), IntData::Big(v)),
    }
}

pub fn int_slots() -> Slots {
    Slots {
        new: Some(int_new),
        repr: Some(int_repr),
        hash: Some(int_hash),
        bool: Some(|_, o| Ok(!matches!(o.downcast::<IntData>(), Some(IntData::Small(0))))),
        binary: Some(int_binary),
        compare: Some(int_compare),
        ..object_slots()
    }
}

pub fn bool_slots() -> Slots {
    Slots {
        new: Some(|vm, _, args, kw| match args {
            _ if !kw.is_empty() => Err(vm.type_error("this constructor takes no keyword arguments here")),
            [] => Ok(vm.false_.clone()),
            [x] => Ok(vm.bool(crate::ops::truth(vm, x)?)),
            _ => Err(vm.type_error(format!("bool expected at most 1 argument, got {}", args.len()))),
        }),
        repr: Some(|vm, o| Ok(new_str(vm, if o.is(&vm.true_) { "True" } else { "False" }))),
        ..int_slots()
    }
}

fn int_new(vm: &Vm, _cls: &Obj, args: &[Obj], kw: crate::types::Kwargs) -> PyResult<Obj> {
    crate::classes::no_kwargs(vm, "int", kw)?;
    let [x] = args else {
        return if args.is_empty() { Ok(vm.int(0)) } else { Err(vm.type_error("int() with a base is not supported yet")) };
    };
    if let Some(i) = x.downcast::<IntData>() {
        return Ok(match i {
            IntData::Small(v) => vm.int(*v),
            IntData::Big(b) => new_int_big(vm, b.clone()),
        });
    }
    if let Some(f) = x.downcast::<f64>() {
        if !f.is_finite() {
            let msg = if f.is_nan() { "cannot convert float NaN to integer" } else { "cannot convert float infinity to integer" };
            let ty = if f.is_nan() { &vm.types.value_error } else { &vm.types.overflow_error };
            return Err(vm.new_error(ty, msg));
        }
        return Ok(new_int_big(vm, num_bigint::BigInt::from(f.trunc() as i128)));
    }
    if let Some(s) = x.downcast::<StrData>() {
        let text = s.as_str();
        let t = text.trim().replace('_', "");
        if let Ok(b) = t.parse::<BigInt>() {
            return Ok(new_int_big(vm, b));
        }
        return Err(vm.new_error(&vm.types.value_error, format!("invalid literal for int() with base 10: {}", repr_string(vm, x)?)));
    }
    Err(vm.type_error(format!("int() argument must be a string, a bytes-like object or a real number, not '{}'", type_name(x))))
}

fn int_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let s = match o.downcast::<IntData>() {
        Some(IntData::Small(v)) => v.to_string(),
        Some(IntData::Big(b)) => b.to_string(),
        None => return Err(vm.type_error("int expected")),
    };
    Ok(new_str(vm, &s))
}

/// CPython's int hash: the value modulo the Mersenne prime 2**61 - 1,
/// sign kept, -1 mapped to -2.
fn int_hash(vm: &Vm, o: &Obj) -> PyResult<i64> {
    const MODULUS: i64 = (1 << 61) - 1;
    let h = match o.downcast::<IntData>() {
        Some(IntData::Small(v)) => {
            let m = (v.unsigned_abs() % MODULUS as u64) as i64;
            if *v < 0 {
                -m
            } else {
                m
            }
        }
        Some(IntData::Big(b)) => {
            let m = (b.magnitude() % BigInt::from(MODULUS).magnitude()).to_i64().unwrap_or(0);
            if b.sign() == num_bigint::Sign::Minus {
                -m
            } else {
                m
            }
        }
        None => return Err(vm.type_error("int expected")),
    };
    Ok(if h == -1 { -2 } else { h })
}

fn int_pair<'a>(a: &'a Obj, b: &'a Obj) -> Option<(&'a IntData, &'a IntData)> {
    Some((a.downcast::<IntData>()?, b.downcast::<IntData>()?))
}

fn int_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let Some((x, y)) = int_pair(a, b) else {
        // int with float: the float's slot handles it when reflected.
        if a.downcast::<f64>().is_some() || b.downcast::<f64>().is_some() {
            return float_binary(vm, op, a, b);
        }
        return Ok(vm.not_implemented.clone());
    };
    if let (IntData::Small(x), IntData::Small(y)) = (x, y) {
        let (x, y) = (*x, *y);
        let fast = match op {
            BinaryOp::Add => x.checked_add(y),
            BinaryOp::Subtract => x.checked_sub(y),
            BinaryOp::Multiply => x.checked_mul(y),
            BinaryOp::And => Some(x & y),
            BinaryOp::Or => Some(x | y),
            BinaryOp::Xor => Some(x ^ y),
            BinaryOp::FloorDivide | BinaryOp::Remainder if y == 0 => {
                let msg = if op == BinaryOp::FloorDivide { "integer division or modulo by zero" } else { "integer modulo by zero" };
                return Err(vm.new_error(&vm.types.zero_division_error, msg));
            }
            BinaryOp::FloorDivide => x.checked_div_euclid(y).map(|_| Integer::div_floor(&x, &y)),
            BinaryOp::Remainder => x.checked_rem(y).map(|_| Integer::mod_floor(&x, &y)),
            _ => None,
        };
        if let Some(v) = fast {
            return Ok(vm.int(v));
        }
    }
    let (x, y) = (x.to_big(), y.to_big());
    let r = match op {
        BinaryOp::Add => x + y,
        BinaryOp::Subtract => x - y,
        BinaryOp::Multiply => x * y,
        BinaryOp::And => x & y,
        BinaryOp::Or => x | y,
        BinaryOp::Xor => x ^ y,
        BinaryOp::FloorDivide | BinaryOp::Remainder if y.is_zero() => {
            let msg = if op == BinaryOp::FloorDivide { "integer division or modulo by zero" } else { "integer modulo by zero" };
            return Err(vm.new_error(&vm.types.zero_division_error, msg));
        }
        BinaryOp::FloorDivide => x.div_floor(&y),
        BinaryOp::Remainder => x.mod_floor(&y),
        BinaryOp::Lshift | BinaryOp::Rshift => {
            let Some(n) = y.to_i64() else {
                return Err(vm.new_error(&vm.types.overflow_error, "too many digits in integer"));
            };
            if n < 0 {
                return Err(vm.new_error(&vm.types.value_error, "negative shift count"));
            }
            if op == BinaryOp::Lshift {
                x << n as usize
            } else {
                x >> n as usize
            }
        }
        BinaryOp::Power => {
            let Some(n) = y.to_i64() else {
                return Err(vm.new_error(&vm.types.overflow_error, "exponent too large"));
            };
            if n < 0 {
                let (xf, yf) = (x.to_f64().unwrap_or(f64::INFINITY), n as f64);
                if xf == 0.0 {
                    return Err(vm.new_error(&vm.types.zero_division_error, "0.0 cannot be raised to a negative power"));
                }
                return Ok(alloc(vm.types.float.clone(), xf.powf(yf)));
            }
            num_traits::pow::pow(x, n as usize)
        }
        BinaryOp::TrueDivide => {
            if y.is_zero() {
                return Err(vm.new_error(&vm.types.zero_division_error, "division by zero"));
            }
            return Ok(alloc(vm.types.float.clone(), int_true_divide(&x, &y)));
        }
        BinaryOp::MatrixMultiply => return Ok(vm.not_implemented.clone()),
    };
    Ok(new_int_big(vm, r))
}

/// `x / y` for ints, correctly rounded for values exactly representable.
fn int_true_divide(x: &BigInt, y: &BigInt) -> f64 {
    match (x.to_i64(), y.to_i64()) {
        (Some(a), Some(b)) if a.unsigned_abs() < (1 << 53) && b.unsigned_abs() < (1 << 53) => a as f64 / b as f64,
        _ => x.to_f64().unwrap_or(f64::NAN) / y.to_f64().unwrap_or(f64::NAN),
    }
}

pub(crate) fn compare_result<T: PartialOrd>(vm: &Vm, op: CompareOp, a: T, b: T) -> Obj {
    vm.bool(match op {
        CompareOp::Lt => a < b,
        CompareOp::Le => a <= b,
        CompareOp::Eq => a == b,
        CompareOp::Ne => a != b,
        CompareOp::Gt => a > b,
        CompareOp::Ge => a >= b,
    })
}

fn int_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    match int_pair(a, b) {
        Some((IntData::Small(x), IntData::Small(y))) => Ok(compare_result(vm, op, x, y)),
        Some((x, y)) => Ok(compare_result(vm, op, x.to_big(), y.to_big())),
        None if a.downcast::<f64>().is_some() || b.downcast::<f64>().is_some() => float_compare(vm, op, a, b),
        None => Ok(vm.not_implemented.clone()),
    }
}
