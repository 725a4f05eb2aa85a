//! The Python side of SQLite's callbacks (called from `ffi.rs`'s
//! trampolines while a statement runs): user functions, aggregates and
//! window functions, collations, the authorizer, the progress handler and
//! the trace callback. An exception raised by the Python callable is
//! reported through `sys.unraisablehook` when
//! `enable_callback_tracebacks(True)` was called, and otherwise dropped;
//! SQLite then sees CPython's error message (or a deny/abort).

use taipan_vm::object::Obj;
use taipan_vm::types::builtin::new_str;
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

/// The SQLite error for an exception raised by a callback (CPython's
/// `set_sqlite_error`): MemoryError and OverflowError become SQLite's
/// own "no memory" and "too big"; anything else `msg`. The exception is
/// reported (or dropped) with `obj` as the culprit.
fn fail(vm: &Vm, e: PyErr, obj: &Obj, msg: &str) -> CbError {
    let r = if util::is_error(&e, &vm.types.memory_error) {
        CbError::NoMem
    } else if util::is_error(&e, &vm.types.overflow_error) {
        CbError::TooBig
    } else {
        CbError::Msg(msg.into())
    };
    report(vm, e, obj);
    r
}

/// A result value for SQLite, or the error for `msg`.
fn result_value(vm: &Vm, r: Result<Obj, PyErr>, f: &Obj, msg: &str) -> Result<Value, CbError> {
    let v = r.map_err(|e| fail(vm, e, f, msg))?;
    match py_to_value(vm, &v) {
        Ok(v) => Ok(v),
        Err(ToValueError::Raised(e)) => Err(fail(vm, e, f, msg)),
        Err(ToValueError::Unsupported) => Err(CbError::Msg(msg.into())),
    }
}

/// `inst.name`, or the "not defined" error (AttributeError reported).
fn method(vm: &Vm, cls: &Obj, inst: &Obj, name: &str) -> Result<Obj, CbError> {
    util::getattr(vm, inst, name).map_err(|e| {
        let attr = util::is_error(&e, &vm.types.attribute_error);
        let msg = format!("user-defined aggregate's '{name}' method not defined");
        if attr {
            report(vm, e, cls);
            CbError::Msg(msg)
        } else {
            fail(vm, e, cls, &msg)
        }
    })
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
        let i = util::call(vm, cls, &[]).map_err(|e| fail(vm, e, cls, "user-defined aggregate's '__init__' method raised error"))?;
        *inst = Some(i);
    }
    let Some(i) = inst.as_ref() else { return Ok(()) };
    let step = method(vm, cls, i, "step")?;
    py_args(vm, args)
        .and_then(|a| util::call(vm, &step, &a))
        .map_err(|e| fail(vm, e, cls, "user-defined aggregate's 'step' method raised error"))?;
    Ok(())
}

/// The final call of an aggregate (`inst` None when no row was seen:
/// CPython then returns NULL without creating an instance).
pub fn agg_final(vm: &Vm, cls: &Obj, inst: Option<Obj>) -> Result<Value, CbError> {
    let Some(i) = inst else { return Ok(Value::Null) };
    let f = method(vm, cls, &i, "finalize")?;
    result_value(vm, util::call(vm, &f, &[]), cls, "user-defined aggregate's 'finalize' method raised error")
}

/// A window function's `value()`.
pub fn window_value(vm: &Vm, cls: &Obj, inst: Option<Obj>) -> Result<Value, CbError> {
    let Some(i) = inst else { return Ok(Value::Null) };
    let f = method(vm, cls, &i, "value")?;
    result_value(vm, util::call(vm, &f, &[]), cls, "user-defined aggregate's 'value' method raised error")
}

/// A window function's `inverse(*args)`.
pub fn window_inverse(vm: &Vm, cls: &Obj, inst: Option<Obj>, args: &[Value]) -> Result<(), CbError> {
    let Some(i) = inst else { return Ok(()) };
    let f = method(vm, cls, &i, "inverse")?;
    py_args(vm, args)
        .and_then(|a| util::call(vm, &f, &a))
        .map_err(|e| fail(vm, e, cls, "user-defined aggregate's 'inverse' method raised error"))?;
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
            Some(taipan_vm::types::builtin::IntData::Small(v)) if i32::try_from(*v).is_ok() => *v as i32,
            Some(_) => {
                let e = vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int");
                report(vm, e, f);
                super::ffi::sys::SQLITE_DENY
            }
            None => {
                let e = vm.type_error(format!("'{}' object cannot be interpreted as an integer", taipan_vm::types::builtin::type_name(&r)));
                report(vm, e, f);
                super::ffi::sys::SQLITE_DENY
            }
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
pub fn trace(vm: &Vm, f: &Obj, sql: &str, too_long: bool) {
    if too_long {
        let e = super::error(vm, "DataError", "Expanded SQL string exceeds the maximum string length");
        report(vm, e, f);
    }
    if let Err(e) = util::call(vm, f, &[new_str(vm, sql)]) {
        report(vm, e, f);
    }
}
