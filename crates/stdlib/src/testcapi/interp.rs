//! Probes of interpreter internals that Taipan has too:
//! - `dict_get_version(d)`: the dict's version tag (PEP 509; Taipan's
//!   dicts carry one, bumped from a shared counter on every mutation);
//! - `type_get_version(t)`: a type's version tag (changes whenever its
//!   attributes or MRO do; the attribute caches key on it);
//! - `call_in_temporary_c_thread(callback, wait=True)` and
//!   `join_temporary_c_thread()`: `callback()` called in a new OS thread
//!   that is not a `threading` thread (as a C library's thread entering
//!   the interpreter with `PyGILState_Ensure`);
//! - `pymem_getallocatorsname()`: the memory allocator this process
//!   runs on, as the `taipan` binary chose it at startup ("mimalloc" by
//!   default, "malloc", or "malloc_debug" with the debug hooks, see the
//!   binary's `allocator.rs`).

use std::cell::RefCell;
use std::sync::{Arc, Condvar, Mutex};

use taipan_vm::native::{exact, FunctionDef};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{new_int_big, new_str, type_name, DictData};
use taipan_vm::types::{is_subtype, type_data, type_of, Kwargs};
use taipan_vm::{PyResult, Vm};

use super::parse_tuple;

pub(super) static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("dict_get_version", dict_get_version, ""),
    FunctionDef::new("type_get_version", type_get_version, ""),
    FunctionDef::new("call_in_temporary_c_thread", call_in_temporary_c_thread, ""),
    FunctionDef::new("join_temporary_c_thread", join_temporary_c_thread, ""),
    FunctionDef::new("pymem_getallocatorsname", pymem_getallocatorsname, ""),
];

fn uint(vm: &Vm, v: u64) -> Obj {
    match i64::try_from(v) {
        Ok(i) => vm.int(i),
        Err(_) => new_int_big(vm, v.into()),
    }
}

/// `dict_get_version(dict)`.
fn dict_get_version(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [d] = parse_tuple::<1>(vm, 1, args, kw)?;
    let Some(d) = d else { return Err(vm.type_error("missing argument")) };
    match d.downcast::<DictData>() {
        Some(data) if is_subtype(&type_of(&d), &vm.types.dict) => Ok(uint(vm, data.version())),
        _ => Err(vm.type_error(format!("argument 1 must be dict, not {}", type_name(&d)))),
    }
}

/// `type_get_version(type)`.
fn type_get_version(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [t] = exact::<1>(vm, "type_get_version", args, kw)?;
    if !is_subtype(&type_of(&t), &vm.types.type_) {
        return Err(vm.type_error("argument must be a type"));
    }
    Ok(uint(vm, type_data(&t).version.get()))
}

/// A one-shot event between threads (CPython's test uses locks held by
/// the caller and released by the thread).
#[derive(Default)]
struct Event {
    set: Mutex<bool>,
    cond: Condvar,
}

impl Event {
    fn set(&self) {
        let mut s = self.set.lock().unwrap_or_else(|e| e.into_inner());
        *s = true;
        self.cond.notify_all();
    }

    fn wait(&self) {
        let mut s = self.set.lock().unwrap_or_else(|e| e.into_inner());
        while !*s {
            s = self.cond.wait(s).unwrap_or_else(|e| e.into_inner());
        }
    }
}

#[derive(Default)]
struct CThread {
    started: Event,
    exited: Event,
}

/// The thread `call_in_temporary_c_thread` started last, until joined.
#[derive(Default)]
struct ThreadState {
    current: RefCell<Option<Arc<CThread>>>,
}

/// The body of the temporary thread: signals that it started, calls the
/// callback (an exception is printed, as `PyErr_Print` does), drops it,
/// then signals its exit.
fn temporary_c_thread(vm: &Vm, (callback, events): (Obj, Arc<CThread>)) {
    events.started.set();
    let r = taipan_vm::ops::call(vm, &callback, &[]);
    drop(callback);
    if let Err(e) = r {
        taipan_vm::sysmodule::report_uncaught(vm, &e.exc);
    }
    events.exited.set();
}

/// `call_in_temporary_c_thread(callback, wait=True)`: calls `callback()`
/// in a new OS thread; returns once the thread started, or with `wait`
/// once it ended.
fn call_in_temporary_c_thread(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [callback, wait] = parse_tuple::<2>(vm, 1, args, kw)?;
    let Some(callback) = callback else { return Err(vm.type_error("missing argument")) };
    let wait = match wait {
        Some(w) => taipan_vm::ops::c_int(vm, &w)? != 0,
        None => true,
    };
    let events = Arc::new(CThread::default());
    if taipan_vm::threadmodule::start_foreign_thread(vm, (callback, events.clone()), temporary_c_thread).is_err() {
        return Err(vm.new_error(&vm.types.runtime_error, "unable to start the thread"));
    }
    let started = events.clone();
    vm.allow_threads(move || started.started.wait());
    *vm.state::<ThreadState>().current.borrow_mut() = Some(events);
    if wait {
        join(vm);
    }
    Ok(vm.none.clone())
}

/// Waits for the last temporary thread to end.
fn join(vm: &Vm) {
    let events = vm.state::<ThreadState>().current.borrow_mut().take();
    if let Some(ev) = events {
        vm.allow_threads(move || ev.exited.wait());
    }
}

/// `join_temporary_c_thread()`.
fn join_temporary_c_thread(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "join_temporary_c_thread", args, kw)?;
    join(vm);
    Ok(vm.none.clone())
}

/// `pymem_getallocatorsname()`: the allocator's name, as the program that
/// runs the interpreter declared it (`sysmodule::allocator_name`).
fn pymem_getallocatorsname(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "pymem_getallocatorsname", args, kw)?;
    match taipan_vm::sysmodule::allocator_name() {
        Some(name) => Ok(new_str(vm, name)),
        None => Err(vm.new_error(&vm.types.runtime_error, "cannot get allocators name")),
    }
}
