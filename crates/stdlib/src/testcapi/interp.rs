//! Probes of interpreter internals that Taipan has too:
//! - `dict_get_version(d)`: the dict's version tag (PEP 509; Taipan's
//!   dicts carry one, bumped from a shared counter on every mutation);
//! - `type_get_version(t)`: a type's version tag (changes whenever its
//!   attributes or MRO do; the attribute caches key on it);
//! - `call_in_temporary_c_thread(callback, wait=True)` and
//!   `join_temporary_c_thread()`: `callback()` called in a new OS thread
//!   that is not a `threading` thread (as a C library's thread entering
//!   the interpreter with `PyGILState_Ensure`);
//! - `tracemalloc_track(domain, ptr, size, release_gil=False)`,
//!   `tracemalloc_untrack(domain, ptr)`, `tracemalloc_get_traceback(domain,
//!   ptr)`: `PyTraceMalloc_Track`/`Untrack` on `_tracemalloc`'s traces
//!   (Taipan records the trace holding the GIL in both cases);
//! - `unicode_decodeutf8(data, errors=None)` and
//!   `unicode_decodeutf8stateful(data, errors=None)`: the UTF-8 decoder
//!   (`_codecs.utf_8_decode`, final or not);
//! - `eval_code_ex(code, globals, locals, args, kwargs, defaults,
//!   kwdefaults, closure)`: `PyEval_EvalCodeEx`, a function made of the
//!   code and called (module-level code runs in `locals`);
//! - `pymem_getallocatorsname()`: the memory allocator this process
//!   runs on, as the `taipan` binary chose it at startup ("mimalloc" by
//!   default, "malloc", or "malloc_debug" with the debug hooks, see the
//!   binary's `allocator.rs`).

use std::cell::RefCell;
use std::sync::{Arc, Condvar, Mutex};

use taipan_vm::native::{exact, FunctionDef};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{new_int_big, new_str, type_name, DictData, IntData};
use taipan_vm::types::{is_subtype, type_data, type_of, Kwargs};
use taipan_vm::{PyResult, Vm};

use super::parse_tuple;

pub(super) static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("dict_get_version", dict_get_version, ""),
    FunctionDef::new("type_get_version", type_get_version, ""),
    FunctionDef::new("call_in_temporary_c_thread", call_in_temporary_c_thread, ""),
    FunctionDef::new("join_temporary_c_thread", join_temporary_c_thread, ""),
    FunctionDef::new("pymem_getallocatorsname", pymem_getallocatorsname, ""),
    FunctionDef::new("tracemalloc_track", tracemalloc_track, ""),
    FunctionDef::new("tracemalloc_untrack", tracemalloc_untrack, ""),
    FunctionDef::new("tracemalloc_get_traceback", tracemalloc_get_traceback, ""),
    FunctionDef::new("unicode_decodeutf8", |vm, a, kw| decode_utf8(vm, a, kw, true), ""),
    FunctionDef::new("unicode_decodeutf8stateful", |vm, a, kw| decode_utf8(vm, a, kw, false), ""),
    FunctionDef::new("eval_code_ex", eval_code_ex, ""),
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

/// A C `unsigned int` argument ("I": the low 32 bits, unchecked).
fn c_uint_mask(vm: &Vm, o: &Obj) -> PyResult<u32> {
    let i = taipan_vm::ops::index(vm, o)?;
    Ok(match i.downcast::<IntData>() {
        Some(IntData::Small(v)) => *v as u32,
        Some(IntData::Big(b)) => {
            let m: num_bigint::BigInt = b & num_bigint::BigInt::from(u32::MAX);
            u32::try_from(m).unwrap_or(0)
        }
        None => 0,
    })
}

/// `PyLong_AsVoidPtr(o)`: an address.
fn void_ptr(vm: &Vm, o: &Obj) -> PyResult<usize> {
    let i = taipan_vm::ops::index(vm, o)?;
    match i.downcast::<IntData>() {
        Some(IntData::Small(v)) => Ok(*v as usize),
        Some(IntData::Big(b)) => {
            usize::try_from(b).map_err(|_| vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C unsigned long"))
        }
        None => Ok(0),
    }
}

/// `tracemalloc_track(domain, ptr, size, release_gil=False)`.
fn tracemalloc_track(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [domain, ptr, size, _release_gil] = parse_tuple::<4>(vm, 3, args, kw)?;
    let (Some(domain), Some(ptr), Some(size)) = (domain, ptr, size) else { return Err(vm.type_error("missing arguments")) };
    let domain = c_uint_mask(vm, &domain)?;
    let ptr = void_ptr(vm, &ptr)?;
    let size = crate::util::to_isize(vm, &size)?;
    if !taipan_vm::tracemalloc::track(vm, domain, ptr, size.max(0) as usize) {
        return Err(vm.new_error(&vm.types.runtime_error, "PyTraceMalloc_Track error"));
    }
    Ok(vm.none.clone())
}

/// `tracemalloc_untrack(domain, ptr)`.
fn tracemalloc_untrack(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [domain, ptr] = parse_tuple::<2>(vm, 2, args, kw)?;
    let (Some(domain), Some(ptr)) = (domain, ptr) else { return Err(vm.type_error("missing arguments")) };
    let domain = c_uint_mask(vm, &domain)?;
    let ptr = void_ptr(vm, &ptr)?;
    if !taipan_vm::tracemalloc::untrack(vm, domain, ptr) {
        return Err(vm.new_error(&vm.types.runtime_error, "PyTraceMalloc_Untrack error"));
    }
    Ok(vm.none.clone())
}

/// `tracemalloc_get_traceback(domain, ptr)`.
fn tracemalloc_get_traceback(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [domain, ptr] = parse_tuple::<2>(vm, 2, args, kw)?;
    let (Some(domain), Some(ptr)) = (domain, ptr) else { return Err(vm.type_error("missing arguments")) };
    let domain = c_uint_mask(vm, &domain)?;
    let ptr = void_ptr(vm, &ptr)?;
    Ok(taipan_vm::tracemalloc::block_traceback(vm, domain, ptr))
}

/// `PyUnicode_DecodeUTF8(data, errors)` (the string) or
/// `PyUnicode_DecodeUTF8Stateful` (the string and the bytes consumed: an
/// incomplete sequence at the end is left for later).
fn decode_utf8(vm: &Vm, args: &[Obj], kw: Kwargs, fin: bool) -> PyResult<Obj> {
    let [data, errors] = parse_tuple::<2>(vm, 1, args, kw)?;
    let Some(data) = data else { return Err(vm.type_error("missing argument")) };
    if taipan_vm::types::builtin::bytes_data(&data).is_none() {
        return Err(vm.type_error(format!("argument 1 must be bytes, not {}", type_name(&data))));
    }
    let errors = errors.unwrap_or_else(|| vm.none.clone());
    let codecs = taipan_vm::import::import_absolute(vm, "_codecs")?;
    let r = crate::util::call_method(vm, &codecs, "utf_8_decode", &[data, errors, vm.bool(fin)])?;
    if fin {
        return taipan_vm::sequence::getitem(vm, &r, &vm.int(0));
    }
    Ok(r)
}

/// `CO_OPTIMIZED`: the code of a function (fast locals).
const CO_OPTIMIZED: i64 = 0x1;

/// `eval_code_ex(code, globals[, locals[, args[, kwargs[, defaults[,
/// kwdefaults[, closure]]]]]])`.
fn eval_code_ex(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [code, globals, locals, fargs, fkwargs, defaults, kwdefs, closure] = parse_tuple::<8>(vm, 2, args, kw)?;
    let (Some(code), Some(globals)) = (code, globals) else { return Err(vm.type_error("missing arguments")) };
    if !is_subtype(&type_of(&globals), &vm.types.dict) {
        return Err(vm.type_error("globals must be a dict"));
    }
    let tuple_items = |o: Option<Obj>, what: &str| -> PyResult<Vec<Obj>> {
        match o {
            None => Ok(Vec::new()),
            Some(t) => match t.downcast::<taipan_vm::types::builtin::TupleData>() {
                Some(t) => Ok(t.items.to_vec()),
                None => Err(vm.type_error(format!("argument {what} must be tuple, not {}", type_name(&t)))),
            },
        }
    };
    let pos = tuple_items(fargs, "4")?;
    let defaults_given = defaults.is_some();
    let defaults = tuple_items(defaults, "6")?;
    let kwargs: Vec<(Obj, Obj)> = match fkwargs {
        None => Vec::new(),
        Some(d) if is_subtype(&type_of(&d), &vm.types.dict) => taipan_vm::types::builtin::dict_items(&d),
        Some(d) => return Err(vm.type_error(format!("argument 5 must be dict, not {}", type_name(&d)))),
    };
    let flags = crate::util::getattr(vm, &code, "co_flags")?;
    let optimized = matches!(flags.downcast::<IntData>(), Some(IntData::Small(f)) if f & CO_OPTIMIZED != 0);
    if !optimized {
        // Module-level code: names live in `locals` (the globals when absent).
        let locals = locals.unwrap_or_else(|| globals.clone());
        let exec = crate::util::getattr(vm, &taipan_vm::import::import_absolute(vm, "builtins")?, "exec")?;
        return crate::util::call(vm, &exec, &[code, globals, locals]);
    }
    let types = taipan_vm::import::import_absolute(vm, "types")?;
    let function_type = crate::util::getattr(vm, &types, "FunctionType")?;
    let argdefs = if defaults_given { taipan_vm::types::builtin::new_tuple(vm, defaults) } else { vm.none.clone() };
    let closure = closure.unwrap_or_else(|| vm.none.clone());
    let f = crate::util::call(vm, &function_type, &[code, globals, vm.none.clone(), argdefs, closure])?;
    if let Some(k) = kwdefs.filter(|k| !k.is(&vm.none)) {
        taipan_vm::classes::setattr(vm, &f, &vm.intern("__kwdefaults__"), k)?;
    }
    crate::util::call_kw(vm, &f, &pos, &kwargs)
}
