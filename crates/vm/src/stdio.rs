//! The vm's side of the standard streams: `print()`, `input()`,
//! `sys.displayhook`, tracebacks and unraisable reports write to
//! `sys.stdout` / `sys.stderr` through their `write` methods, as CPython
//! does. The stream objects themselves (`_io.TextIOWrapper`s) are made by
//! the stdlib crate, which calls [`mark_ready`] once they are installed.
//! Before that (or in a vm without the stdlib) text goes straight to the
//! process's file descriptors.

use std::io::Write;

use crate::object::Obj;
use crate::types::builtin::{self, new_str};
use crate::vm::Vm;
use crate::PyResult;

#[derive(Default)]
struct StdioState {
    ready: std::cell::Cell<bool>,
}

/// Says that `sys.stdin`/`sys.stdout`/`sys.stderr` are stream objects:
/// from now on a missing one is an error ("lost sys.stdout").
pub fn mark_ready(vm: &Vm) {
    vm.state::<StdioState>().ready.set(true);
}

/// Whether the stream objects are installed.
pub fn is_ready(vm: &Vm) -> bool {
    vm.state::<StdioState>().ready.get()
}

/// `sys.NAME`, if the `sys` module and the attribute exist.
pub fn sys_attr(vm: &Vm, name: &str) -> Option<Obj> {
    let sys = builtin::dict_get_str(vm, &vm.modules, "sys").ok()??;
    let m = sys.downcast::<crate::modules::ModuleData>()?;
    builtin::dict_get_str(vm, &m.dict, name).ok()?
}

/// What `print()` and friends write to.
pub enum Stream {
    /// A stream object (call its `write`).
    Object(Obj),
    /// `sys.NAME` is None: output is dropped.
    Discard,
    /// No stream objects yet: the process's descriptor.
    Raw,
}

/// The stream `sys.NAME` (`"stdout"`, `"stderr"`, `"stdin"`), or
/// `RuntimeError("lost sys.NAME")` when it was deleted.
pub fn stream(vm: &Vm, name: &str) -> PyResult<Stream> {
    match sys_attr(vm, name) {
        Some(o) if o.is(&vm.none) => Ok(Stream::Discard),
        Some(o) => Ok(Stream::Object(o)),
        None if is_ready(vm) => Err(vm.new_error(&vm.types.runtime_error, format!("lost sys.{name}"))),
        None => Ok(Stream::Raw),
    }
}

/// Calls `obj.name(*args)`.
pub fn call_method(vm: &Vm, obj: &Obj, name: &str, args: &[Obj]) -> PyResult<Obj> {
    let f = crate::classes::getattr(vm, obj, &vm.intern(name))?;
    crate::classes::call_object(vm, &f, args)
}

/// Writes `text` to `sys.NAME` (`"stdout"` or `"stderr"`).
pub fn write(vm: &Vm, name: &str, text: &str) -> PyResult<()> {
    match stream(vm, name)? {
        Stream::Object(f) => call_method(vm, &f, "write", &[new_str(vm, text)]).map(drop),
        Stream::Discard => Ok(()),
        Stream::Raw => {
            if name == "stderr" {
                let _ = std::io::stderr().write_all(text.as_bytes());
            } else {
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(text.as_bytes());
            }
            Ok(())
        }
    }
}

/// Calls `sys.NAME.flush()` (nothing when the stream is None or missing).
pub fn flush(vm: &Vm, name: &str) -> PyResult<()> {
    match sys_attr(vm, name) {
        Some(f) if !f.is(&vm.none) => call_method(vm, &f, "flush", &[]).map(drop),
        _ => {
            if !is_ready(vm) {
                let _ = std::io::stdout().flush();
            }
            Ok(())
        }
    }
}

/// Writes `text` to `sys.stderr` for reports nobody can catch (uncaught
/// exceptions, unraisable errors): failures fall back to the process's
/// stderr, as CPython's `PyErr_Display` does, then flushes.
/// [`write_stderr`] of a str object (which may hold lone surrogates:
/// `sys.stderr`'s error handler decides what they become).
pub fn write_stderr_str(vm: &Vm, text: &Obj) {
    let done = match sys_attr(vm, "stderr") {
        Some(f) if f.is(&vm.none) => true,
        Some(f) => call_method(vm, &f, "write", std::slice::from_ref(text)).is_ok() && call_method(vm, &f, "flush", &[]).is_ok(),
        None => false,
    };
    if !done {
        if let Some(s) = text.downcast::<crate::types::builtin::StrData>() {
            let _ = std::io::stderr().write_all(s.as_str().as_bytes());
        }
    }
}

pub fn write_stderr(vm: &Vm, text: &str) {
    let done = match sys_attr(vm, "stderr") {
        Some(f) if f.is(&vm.none) => true,
        Some(f) => call_method(vm, &f, "write", &[new_str(vm, text)]).is_ok() && call_method(vm, &f, "flush", &[]).is_ok(),
        None => false,
    };
    if !done {
        let _ = std::io::stderr().write_all(text.as_bytes());
    }
}
