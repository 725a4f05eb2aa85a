//! The `atexit` module: callbacks run when the interpreter exits, last
//! registered first, through `Vm::add_exit_hook` (order 0, before the
//! standard streams are flushed). An exception in a callback is reported
//! as CPython does ("Exception ignored in atexit callback: ...") and the
//! remaining callbacks still run.

use std::cell::RefCell;

use taipan_vm::modules::add_functions;
use taipan_vm::native::{exact, FunctionDef};
use taipan_vm::object::Obj;
use taipan_vm::types::Kwargs;
use taipan_vm::{PyResult, Vm};

/// One registered call: `func(*args, **kwargs)`.
struct Callback {
    func: Obj,
    args: Vec<Obj>,
    kwargs: Vec<(Obj, Obj)>,
}

/// The registered calls, oldest first; `unregister` leaves a hole
/// (`None`) that still counts in `_ncallbacks()`, as in CPython.
#[derive(Default)]
struct State {
    callbacks: RefCell<Vec<Option<Callback>>>,
}

static FUNCTIONS: &[FunctionDef] = &[
    FunctionDef::new("register", atexit_register, "Register a function to be executed upon normal program termination"),
    FunctionDef::new("unregister", atexit_unregister, "Unregister an exit function which was previously registered using atexit.register"),
    FunctionDef::new("_run_exitfuncs", atexit_run_exitfuncs, "Run all registered exit functions."),
    FunctionDef::new("_clear", atexit_clear, "Clear the list of previously registered exit functions."),
    FunctionDef::new("_ncallbacks", atexit_ncallbacks, "Return the number of registered exit functions."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCTIONS)?;
    vm.add_exit_hook(0, run_at_exit);
    Ok(())
}

fn run_at_exit(vm: &Vm) {
    run_callbacks(vm);
}

/// Runs the callbacks, newest first, then clears the list (callbacks
/// registered meanwhile are dropped without running, as in CPython).
fn run_callbacks(vm: &Vm) {
    let state = vm.state::<State>();
    let n = state.callbacks.borrow().len();
    for i in (0..n).rev() {
        // A callback may unregister others: take one at a time.
        let cb = state.callbacks.borrow_mut().get_mut(i).and_then(Option::take);
        let Some(cb) = cb else { continue };
        if let Err(e) = taipan_vm::classes::call_object_kw(vm, &cb.func, &cb.args, &cb.kwargs) {
            taipan_vm::gc::report_unraisable_msg(vm, e, Some("in atexit callback"), Some(&cb.func));
        }
    }
    let rest = std::mem::take(&mut *state.callbacks.borrow_mut());
    drop(rest);
}

fn atexit_register(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let Some((func, rest)) = args.split_first() else {
        return Err(vm.type_error("register() takes at least 1 argument (0 given)"));
    };
    if !taipan_vm::ops::callable(func) {
        return Err(vm.type_error("the first argument must be callable"));
    }
    let cb = Callback { func: func.clone(), args: rest.to_vec(), kwargs: kw.to_vec() };
    vm.state::<State>().callbacks.borrow_mut().push(Some(cb));
    Ok(func.clone())
}

fn atexit_unregister(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [func] = exact::<1>(vm, "atexit.unregister", args, kw)?;
    let state = vm.state::<State>();
    let len = state.callbacks.borrow().len();
    for i in 0..len {
        let candidate = match state.callbacks.borrow().get(i) {
            Some(Some(cb)) => cb.func.clone(),
            _ => continue,
        };
        // `==` may run Python code: no borrow is held across it.
        if taipan_vm::ops::eq(vm, &candidate, &func)? {
            let removed = state.callbacks.borrow_mut().get_mut(i).and_then(Option::take);
            drop(removed);
        }
    }
    Ok(vm.none.clone())
}

fn atexit_run_exitfuncs(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "atexit._run_exitfuncs", args, kw)?;
    run_callbacks(vm);
    Ok(vm.none.clone())
}

fn atexit_clear(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "atexit._clear", args, kw)?;
    let old = std::mem::take(&mut *vm.state::<State>().callbacks.borrow_mut());
    drop(old);
    Ok(vm.none.clone())
}

fn atexit_ncallbacks(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "atexit._ncallbacks", args, kw)?;
    Ok(vm.int(vm.state::<State>().callbacks.borrow().len() as i64))
}
