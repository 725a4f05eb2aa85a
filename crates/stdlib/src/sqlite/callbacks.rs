//! The Python side of SQLite's callbacks (called from `ffi.rs`'s
//! trampolines while a statement runs): user functions, aggregates and
//! window functions, collations, the authorizer, the progress handler and
//! the trace callback. An exception raised by the Python callable is
//! reported through `sys.unraisablehook` when
//! `enable_callback_tracebacks(True)` was called, and otherwise dropped;
//! SQLite then sees CPython's error message (or a deny/abort).

use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{new_bytes, new_str, new_tuple};
use taipan_vm::{PyErr, Vm};

use super::ffi::{CbError, Value};
use super::{py_to_value, tracebacks_enabled, value_to_py, ToValueError};
use crate::util;

/// Reports (or drops) an exception raised by callback `f`.
pub fn report(vm: &Vm, e: PyErr, f: &Obj) {
    if tracebacks_enabled(vm) {
        taipan_vm::gc::report_unraisable(vm, e, Some(f));
    }
}

fn py_args(vm: &Vm, args: &[Value]) -> Result<Vec<Obj>, PyErr> {
    args.iter().map(|a| value_to_py(vm, a)).collect()
}

/// A result value for SQLite, or the error `msg` (after reporting).
fn result_value(vm: &Vm, r: Result<Obj, PyErr>, f: &Obj, msg: &str) -> Result<Value, CbError> {
    let v = match r {
        Ok(v) => v,
        Err(e) => {
            report(vm, e, f);
            return Err(CbError::Msg(msg.into()));
        }
    };
    match py_to_value(vm, &v) {
        Ok(v) => Ok(v),
        Err(ToValueError::Raised(e)) => {
            let too_big = util::is_error(&e, &vm.types.overflow_error);
            report(vm, e, f);
            if too_big {
                Err(CbError::TooBig)
            } else {
                Err(CbError::Msg(msg.into()))
            }
        }
        Err(ToValueError::Unsupported) => Err(CbError::Msg(msg.into())),
    }
}

/// A scalar function call.
pub fn scalar(vm: &Vm, f: &Obj, args: &[Value]) -> Result<Value, CbError> {
    let msg = "user-defined function raised exception";
    let r = py_args(vm, args).and_then(|a| util::call(vm, f, &a));
    result_value(vm, r, f, msg)
}

/// One `step` of an aggregate; `inst` is created from `cls` on the first.
pub fn agg_step(vm: &Vm, cls: &Obj, inst: &mut Option<Obj>, args: &[Value]) -> Result<(), CbError> {
    if inst.is_none() {
        match util::call(vm, cls, &[]) {
            Ok(i) => *inst = Some(i),
            Err(e) => {
                report(vm, e, cls);
                return Err(CbError::Msg("user-defined aggregate's '__init__' method raised error".into()));
            }
        }
    }
    let Some(i) = inst.as_ref() else { return Ok(()) };
    let step = match util::getattr(vm, i, "step") {
        Ok(s) => s,
        Err(e) => {
            report(vm, e, cls);
            return Err(CbError::Msg("user-defined aggregate's 'step' method not defined".into()));
        }
    };
    let r = py_args(vm, args).and_then(|a| util::call(vm, &step, &a));
    if let Err(e) = r {
        report(vm, e, &step);
        return Err(CbError::Msg("user-defined aggregate's 'step' method raised error".into()));
    }
    Ok(())
}

/// The final call of an aggregate (`inst` None when no row was seen:
/// CPython then returns NULL without creating an instance).
pub fn agg_final(vm: &Vm, inst: Option<Obj>) -> Result<Value, CbError> {
    let Some(i) = inst else { return Ok(Value::Null) };
    let msg = "user-defined aggregate's 'finalize' method raised error";
    let r = util::call_method(vm, &i, "finalize", &[]);
    result_value(vm, r, &i, msg)
}

/// A window function's `value()`.
pub fn window_value(vm: &Vm, inst: Option<Obj>) -> Result<Value, CbError> {
    let Some(i) = inst else { return Ok(Value::Null) };
    let msg = "user-defined aggregate's 'value' method raised error";
    let r = util::call_method(vm, &i, "value", &[]);
    result_value(vm, r, &i, msg)
}

/// A window function's `inverse(*args)`.
pub fn window_inverse(vm: &Vm, inst: Option<Obj>, args: &[Value]) -> Result<(), CbError> {
    let Some(i) = inst else { return Ok(()) };
    let r = py_args(vm, args).and_then(|a| util::call_method(vm, &i, "inverse", &a));
    if let Err(e) = r {
        report(vm, e, &i);
        return Err(CbError::Msg("user-defined aggregate's 'inverse' method raised error".into()));
    }
    Ok(())
}

/// A collation: negative, zero or positive.
pub fn collate(vm: &Vm, f: &Obj, a: &[u8], b: &[u8]) -> i32 {
    let s = |x: &[u8]| new_str(vm, &String::from_utf8_lossy(x));
    let r = util::call(vm, f, &[s(a), s(b)]);
    let r = match r {
        Ok(r) => r,
        Err(e) => {
            report(vm, e, f);
            return 0;
        }
    };
    match taipan_vm::types::builtin::int_data(&r) {
        Some(taipan_vm::types::builtin::IntData::Small(v)) => v.signum() as i32,
        Some(_) => {
            let neg = util::lt(vm, &r, &vm.int(0)).unwrap_or(false);
            if neg {
                -1
            } else {
                1
            }
        }
        None => 0,
    }
}

/// The authorizer: SQLITE_OK, SQLITE_DENY or SQLITE_IGNORE.
pub fn authorize(vm: &Vm, f: &Obj, action: i32, names: [Option<String>; 4]) -> i32 {
    let mut args = vec![vm.int(action as i64)];
    for n in names {
        args.push(n.map_or(vm.none.clone(), |s| new_str(vm, &s)));
    }
    match util::call(vm, f, &args) {
        Ok(r) => match taipan_vm::types::builtin::int_data(&r) {
            Some(taipan_vm::types::builtin::IntData::Small(v)) => *v as i32,
            _ => super::ffi::sys::SQLITE_DENY,
        },
        Err(e) => {
            report(vm, e, f);
            super::ffi::sys::SQLITE_DENY
        }
    }
}

/// The progress handler: non-zero aborts the statement.
pub fn progress(vm: &Vm, f: &Obj) -> i32 {
    match util::call(vm, f, &[]).and_then(|r| taipan_vm::ops::truth(vm, &r)) {
        Ok(b) => b as i32,
        Err(e) => {
            report(vm, e, f);
            1
        }
    }
}

/// The trace callback, with each statement's SQL.
pub fn trace(vm: &Vm, f: &Obj, sql: &str) {
    if let Err(e) = util::call(vm, f, &[new_str(vm, sql)]) {
        report(vm, e, f);
    }
}

/// Unused helpers kept for symmetry with CPython's argument building.
#[allow(dead_code)]
fn bytes_arg(vm: &Vm, b: &[u8]) -> Obj {
    new_tuple(vm, vec![new_bytes(vm, b.to_vec())])
}
