//! `_asyncio`: the native `Future` and `Task` of asyncio and the
//! running-loop and task-registry functions (CPython's
//! `Modules/_asynciomodule.c`). `asyncio.futures` and `asyncio.tasks`
//! pick these classes over their pure-Python ones (which stay available as
//! `_PyFuture`/`_PyTask`); both must behave the same.
//!
//! One payload, [`FutureObj`], serves both classes: a `Task` carries the
//! extra [`TaskPart`], so every `Future` method works on tasks (and on
//! instances of Python subclasses, laid out as `Extended<FutureObj>`).
//! A task runs its coroutine in `task_step` (the pure-Python
//! `Task.__step`), scheduled through the loop's `call_soon` as a
//! `TaskStepMethWrapper`; it waits on a future through a `task_wakeup`
//! method bound to the task. The reprs, `get_stack`/`print_stack` and
//! `asyncio.iscoroutine` come from the pure-Python helpers
//! (`base_futures`, `base_tasks`, `coroutines`), imported when the module
//! is, as CPython does.
//!
//! The running loop is per thread (keyed by `thread::thread_serial`) and
//! remembers the process id that set it, so that a forked child sees no
//! running loop.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{bind, exact, new_type, new_type_with_dict, FunctionDef, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{new_dict, new_list, new_str, new_tuple, object_slots, type_name};
use taipan_vm::types::{is_subtype, type_of, Kwargs, Slots};
use taipan_vm::{ops, PyErr, PyResult, Vm};

use crate::util;

const PENDING: u8 = 0;
const CANCELLED: u8 = 1;
const FINISHED: u8 = 2;

/// The state of an `_asyncio.Future` (and, with `task`, of a `Task`).
#[derive(Default)]
pub struct FutureObj {
    /// `None` until `__init__` ran ("Future object is not initialized.").
    loop_: RefCell<Option<Obj>>,
    /// `(callback, context)` pairs, in the order they were added.
    callbacks: RefCell<Vec<(Obj, Obj)>>,
    result: RefCell<Option<Obj>>,
    exception: RefCell<Option<Obj>>,
    /// The exception's `__traceback__` when it was set (restored by
    /// `result()`, so that the traceback does not grow with each call).
    exception_tb: RefCell<Option<Obj>>,
    source_tb: RefCell<Option<Obj>>,
    cancel_msg: RefCell<Option<Obj>>,
    /// The CancelledError that cancelled a task, chained into the one
    /// `result()` raises.
    cancelled_exc: RefCell<Option<Obj>>,
    state: Cell<u8>,
    log_tb: Cell<bool>,
    blocking: Cell<bool>,
    task: Option<TaskPart>,
}

#[derive(Default)]
pub struct TaskPart {
    fut_waiter: RefCell<Option<Obj>>,
    coro: RefCell<Option<Obj>>,
    name: RefCell<Option<Obj>>,
    context: RefCell<Option<Obj>>,
    must_cancel: Cell<bool>,
    log_destroy_pending: Cell<bool>,
    num_cancels_requested: Cell<i64>,
}

/// `Future.__iter__()`/`__await__()`: yields the pending future once,
/// then returns its result.
pub struct FutureIter {
    future: RefCell<Option<Obj>>,
}

/// The callable a task schedules to run its next step (with an exception
/// to throw in, or not).
pub struct TaskStepMethWrapper {
    task: RefCell<Option<Obj>>,
    arg: RefCell<Option<Obj>>,
}

/// What the module takes from the pure-Python side at import.
struct Refs {
    get_event_loop_policy: Obj,
    future_repr: Obj,
    task_repr: Obj,
    task_get_stack: Obj,
    task_print_stack: Obj,
    iscoroutine: Obj,
    extract_stack: Obj,
    invalid_state_error: Obj,
    cancelled_error: Obj,
    all_tasks: Obj,
    current_tasks: Obj,
}

#[derive(Default)]
struct State {
    refs: RefCell<Option<std::rc::Rc<Refs>>>,
    /// Per thread (`thread_serial`): the running loop and the pid that set it.
    running: RefCell<HashMap<u64, (Obj, u32)>>,
    task_name_counter: Cell<u64>,
    /// Types `asyncio.iscoroutine` accepted (CPython's `iscoroutine_typecache`).
    coro_types: RefCell<Vec<Obj>>,
}

fn refs(vm: &Vm) -> PyResult<std::rc::Rc<Refs>> {
    let st = vm.state::<State>();
    let r = st.refs.borrow().clone();
    r.ok_or_else(|| vm.new_error(&vm.types.runtime_error, "_asyncio module is not initialized"))
}

fn load_refs(vm: &Vm) -> PyResult<Refs> {
    use taipan_vm::import::import_absolute;
    import_absolute(vm, "asyncio")?;
    let events = import_absolute(vm, "asyncio.events")?;
    let base_futures = import_absolute(vm, "asyncio.base_futures")?;
    let exceptions = import_absolute(vm, "asyncio.exceptions")?;
    let base_tasks = import_absolute(vm, "asyncio.base_tasks")?;
    let coroutines = import_absolute(vm, "asyncio.coroutines")?;
    let traceback = import_absolute(vm, "traceback")?;
    let weakref = import_absolute(vm, "weakref")?;
    let weakset = util::getattr(vm, &weakref, "WeakSet")?;
    Ok(Refs {
        get_event_loop_policy: util::getattr(vm, &events, "get_event_loop_policy")?,
        future_repr: util::getattr(vm, &base_futures, "_future_repr")?,
        task_repr: util::getattr(vm, &base_tasks, "_task_repr")?,
        task_get_stack: util::getattr(vm, &base_tasks, "_task_get_stack")?,
        task_print_stack: util::getattr(vm, &base_tasks, "_task_print_stack")?,
        iscoroutine: util::getattr(vm, &coroutines, "iscoroutine")?,
        extract_stack: util::getattr(vm, &traceback, "extract_stack")?,
        invalid_state_error: util::getattr(vm, &exceptions, "InvalidStateError")?,
        cancelled_error: util::getattr(vm, &exceptions, "CancelledError")?,
        all_tasks: util::call(vm, &weakset, &[])?,
        current_tasks: new_dict(vm),
    })
}

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    let st = vm.state::<State>();
    let have = st.refs.borrow().is_some();
    if !have {
        let r = load_refs(vm)?;
        *st.refs.borrow_mut() = Some(std::rc::Rc::new(r));
    }
    let r = refs(vm)?;
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "__doc__", new_str(vm, "Accelerator module for asyncio"))?;
    add_attr(vm, m, "Future", future_type(vm))?;
    add_attr(vm, m, "Task", task_type(vm))?;
    add_attr(vm, m, "_all_tasks", r.all_tasks.clone())?;
    add_attr(vm, m, "_current_tasks", r.current_tasks.clone())?;
    Ok(())
}

// ----- types -----

fn visit_opt(c: &RefCell<Option<Obj>>, visit: &mut dyn FnMut(&Obj)) {
    if let Ok(o) = c.try_borrow() {
        if let Some(o) = o.as_ref() {
            visit(o);
        }
    }
}

fn take_opt(c: &RefCell<Option<Obj>>) {
    let old = c.try_borrow_mut().ok().and_then(|mut o| o.take());
    drop(old);
}

fn future_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    let Some(f) = o.downcast::<FutureObj>() else { return };
    for c in [&f.loop_, &f.result, &f.exception, &f.exception_tb, &f.source_tb, &f.cancel_msg, &f.cancelled_exc] {
        visit_opt(c, visit);
    }
    if let Ok(cbs) = f.callbacks.try_borrow() {
        for (a, b) in cbs.iter() {
            visit(a);
            visit(b);
        }
    }
    if let Some(t) = &f.task {
        for c in [&t.fut_waiter, &t.coro, &t.name, &t.context] {
            visit_opt(c, visit);
        }
    }
}

fn future_clear(o: &Obj) {
    let Some(f) = o.downcast::<FutureObj>() else { return };
    for c in [&f.loop_, &f.result, &f.exception, &f.exception_tb, &f.source_tb, &f.cancel_msg, &f.cancelled_exc] {
        take_opt(c);
    }
    let old = f.callbacks.try_borrow_mut().map(|mut v| std::mem::take(&mut *v)).unwrap_or_default();
    drop(old);
    if let Some(t) = &f.task {
        for c in [&t.fut_waiter, &t.coro, &t.name, &t.context] {
            take_opt(c);
        }
    }
}

const FUTURE_DOC: &str = "This class is *almost* compatible with concurrent.futures.Future.

    Differences:

    - result() and exception() do not take a timeout argument and
      raise an exception when the future isn't done yet.

    - Callbacks registered with add_done_callback() are always called
      via the event loop's call_soon_threadsafe().

    - This class is not compatible with the wait() and as_completed()
      methods in the concurrent.futures package.";

fn future_type(vm: &Vm) -> Obj {
    vm.native_type("_asyncio.Future", |vm| {
        let slots = Slots {
            new: Some(|_vm, cls, _args, _kw| Ok(alloc(cls.clone(), FutureObj::default()))),
            init: Some(future_init_slot),
            repr: Some(future_repr),
            iter: Some(new_iter),
            traverse: Some(future_traverse),
            clear: Some(future_clear),
            finalize: Some(finalize),
            ..object_slots()
        };
        let t = new_type_with_dict::<FutureObj>(vm, "_asyncio.Future", &[], slots, FUTURE_METHODS, FUTURE_GETSETS);
        taipan_vm::native::set_type_doc(vm, &t, FUTURE_DOC);
        t
    })
}

fn task_type(vm: &Vm) -> Obj {
    vm.native_type("_asyncio.Task", |vm| {
        let base = future_type(vm);
        let slots = Slots {
            new: Some(|_vm, cls, _args, _kw| Ok(alloc(cls.clone(), FutureObj { task: Some(TaskPart::default()), ..FutureObj::default() }))),
            init: Some(task_init_slot),
            repr: Some(task_repr),
            iter: Some(new_iter),
            traverse: Some(future_traverse),
            clear: Some(future_clear),
            finalize: Some(finalize),
            ..object_slots()
        };
        let t = new_type_with_dict::<FutureObj>(vm, "_asyncio.Task", &[&base], slots, TASK_METHODS, TASK_GETSETS);
        taipan_vm::native::set_type_doc(vm, &t, "A coroutine wrapped in a Future.");
        t
    })
}

fn iter_type(vm: &Vm) -> Obj {
    vm.native_type("_asyncio.FutureIter", |vm| {
        let slots = Slots {
            iter: Some(|_vm, o| Ok(o.clone())),
            next: Some(iter_next),
            traverse: Some(|o, visit| {
                if let Some(it) = o.downcast::<FutureIter>() {
                    visit_opt(&it.future, visit);
                }
            }),
            clear: Some(|o| {
                if let Some(it) = o.downcast::<FutureIter>() {
                    take_opt(&it.future);
                }
            }),
            ..object_slots()
        };
        new_type::<FutureIter>(vm, "_asyncio.FutureIter", &[], true, slots, ITER_METHODS, &[])
    })
}

fn step_wrapper_type(vm: &Vm) -> Obj {
    vm.native_type("TaskStepMethWrapper", |vm| {
        let slots = Slots {
            call: Some(|vm, o, args, kw| {
                if !kw.is_empty() {
                    return Err(vm.type_error("function takes no keyword arguments"));
                }
                if !args.is_empty() {
                    return Err(vm.type_error("function takes no positional arguments"));
                }
                let w = o.downcast::<TaskStepMethWrapper>().ok_or_else(|| vm.type_error("not a TaskStepMethWrapper"))?;
                let task = w.task.borrow().clone().ok_or_else(|| vm.new_error(&vm.types.runtime_error, "uninitialized Task object"))?;
                let arg = w.arg.borrow().clone();
                task_step(vm, &task, arg)
            }),
            traverse: Some(|o, visit| {
                if let Some(w) = o.downcast::<TaskStepMethWrapper>() {
                    visit_opt(&w.task, visit);
                    visit_opt(&w.arg, visit);
                }
            }),
            clear: Some(|o| {
                if let Some(w) = o.downcast::<TaskStepMethWrapper>() {
                    take_opt(&w.task);
                    take_opt(&w.arg);
                }
            }),
            ..object_slots()
        };
        new_type::<TaskStepMethWrapper>(vm, "TaskStepMethWrapper", &[], true, slots, &[], STEP_GETSETS)
    })
}

static STEP_GETSETS: &[GetSetDef] = &[GetSetDef::readonly(
    "__self__",
    |vm, o| {
        let w = o.downcast::<TaskStepMethWrapper>().ok_or_else(|| vm.type_error("not a TaskStepMethWrapper"))?;
        let t = w.task.borrow().clone();
        Ok(t.unwrap_or_else(|| vm.none.clone()))
    },
    "",
)];

// ----- helpers -----

fn this<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a FutureObj> {
    o.downcast::<FutureObj>()
        .ok_or_else(|| vm.type_error(format!("descriptor requires a '_asyncio.Future' object but received '{}'", type_name(o))))
}

fn task_part<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a TaskPart> {
    o.downcast::<FutureObj>()
        .and_then(|f| f.task.as_ref())
        .ok_or_else(|| vm.type_error(format!("descriptor requires a '_asyncio.Task' object but received '{}'", type_name(o))))
}

fn not_initialized(vm: &Vm) -> PyErr {
    vm.new_error(&vm.types.runtime_error, "Future object is not initialized.")
}

/// The future's loop, or RuntimeError when `__init__` has not run.
fn alive_loop(vm: &Vm, f: &FutureObj) -> PyResult<Obj> {
    f.loop_.borrow().clone().ok_or_else(|| not_initialized(vm))
}

fn is_alive(f: &FutureObj) -> bool {
    f.loop_.borrow().is_some()
}

fn opt(vm: &Vm, c: &RefCell<Option<Obj>>) -> Obj {
    c.borrow().clone().unwrap_or_else(|| vm.none.clone())
}

fn error_with(vm: &Vm, cls: &Obj, msg: impl Into<String>) -> PyErr {
    let exc = taipan_vm::types::builtin::new_exception(vm, cls, vec![new_str(vm, &msg.into())]);
    PyErr { exc }
}

fn invalid_state(vm: &Vm, msg: &str) -> PyErr {
    match refs(vm) {
        Ok(r) => error_with(vm, &r.invalid_state_error, msg),
        Err(e) => e,
    }
}

/// Whether `o` is exactly an `_asyncio.Future` or `_asyncio.Task` (not a
/// subclass, whose methods may be overridden).
fn is_exact_future(vm: &Vm, o: &Obj) -> bool {
    let t = type_of(o);
    t.is(&future_type(vm)) || t.is(&task_type(vm))
}

/// `loop.call_soon(func[, arg], context=ctx)`.
fn call_soon(vm: &Vm, loop_: &Obj, func: Obj, arg: Option<Obj>, ctx: Option<Obj>) -> PyResult<()> {
    let m = util::getattr(vm, loop_, "call_soon")?;
    let mut args = vec![func];
    args.extend(arg);
    match ctx {
        Some(c) => util::call_kw(vm, &m, &args, &[(vm.intern("context"), c)])?,
        None => util::call(vm, &m, &args)?,
    };
    Ok(())
}

fn schedule_callbacks(vm: &Vm, o: &Obj, f: &FutureObj) -> PyResult<()> {
    let cbs = std::mem::take(&mut *f.callbacks.borrow_mut());
    if cbs.is_empty() {
        return Ok(());
    }
    let loop_ = alive_loop(vm, f)?;
    for (cb, ctx) in cbs {
        call_soon(vm, &loop_, cb, Some(o.clone()), Some(ctx))?;
    }
    Ok(())
}

// ----- running loop -----

fn running_loop(vm: &Vm) -> Option<Obj> {
    let st = vm.state::<State>();
    let map = st.running.borrow();
    let (l, pid) = map.get(&taipan_vm::thread::thread_serial())?;
    if *pid != std::process::id() || l.is(&vm.none) {
        return None;
    }
    Some(l.clone())
}

fn set_running_loop(vm: &Vm, l: Obj) {
    let st = vm.state::<State>();
    let serial = taipan_vm::thread::thread_serial();
    let old = if l.is(&vm.none) {
        st.running.borrow_mut().remove(&serial)
    } else {
        st.running.borrow_mut().insert(serial, (l, std::process::id()))
    };
    drop(old);
}

fn get_event_loop(vm: &Vm) -> PyResult<Obj> {
    if let Some(l) = running_loop(vm) {
        return Ok(l);
    }
    let policy = util::call(vm, &refs(vm)?.get_event_loop_policy, &[])?;
    util::call_method(vm, &policy, "get_event_loop", &[])
}

fn f_get_event_loop(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "get_event_loop", args, kw)?;
    get_event_loop(vm)
}

fn f_get_event_loop_internal(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "_get_event_loop", names: &["stacklevel"], posonly: 0, kwonly: 0, required: 0 };
    let [level] = bind::<1>(vm, &P, args, kw)?;
    if let Some(l) = level {
        util::to_isize(vm, &l)?;
    }
    get_event_loop(vm)
}

fn f_get_running_loop(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "get_running_loop", args, kw)?;
    running_loop(vm).ok_or_else(|| vm.new_error(&vm.types.runtime_error, "no running event loop"))
}

fn f_get_running_loop_internal(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_get_running_loop", args, kw)?;
    Ok(running_loop(vm).unwrap_or_else(|| vm.none.clone()))
}

fn f_set_running_loop(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [l] = exact::<1>(vm, "_set_running_loop", args, kw)?;
    set_running_loop(vm, l);
    Ok(vm.none.clone())
}

// ----- task registry -----

fn register_task(vm: &Vm, task: &Obj) -> PyResult<()> {
    util::call_method(vm, &refs(vm)?.all_tasks, "add", std::slice::from_ref(task))?;
    Ok(())
}

fn enter_task(vm: &Vm, loop_: &Obj, task: &Obj) -> PyResult<()> {
    let r = refs(vm)?;
    if let Some(cur) = taipan_vm::types::builtin::dict_get(vm, &r.current_tasks, loop_)? {
        return Err(vm.new_error(
            &vm.types.runtime_error,
            format!("Cannot enter into task {} while another task {} is being executed.", util::repr(vm, task)?, util::repr(vm, &cur)?),
        ));
    }
    taipan_vm::types::builtin::dict_set(vm, &r.current_tasks, loop_.clone(), task.clone())
}

fn leave_task(vm: &Vm, loop_: &Obj, task: &Obj) -> PyResult<()> {
    let r = refs(vm)?;
    let cur = taipan_vm::types::builtin::dict_get(vm, &r.current_tasks, loop_)?;
    match cur {
        Some(c) if c.is(task) => {
            taipan_vm::types::builtin::dict_del(vm, &r.current_tasks, loop_)?;
            Ok(())
        }
        other => {
            let other = other.unwrap_or_else(|| vm.none.clone());
            Err(vm.new_error(
                &vm.types.runtime_error,
                format!("Leaving task {} does not match the current task {}.", util::repr(vm, task)?, util::repr(vm, &other)?),
            ))
        }
    }
}

fn f_register_task(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "_register_task", names: &["task"], posonly: 0, kwonly: 0, required: 1 };
    let [t] = bind::<1>(vm, &P, args, kw)?;
    register_task(vm, &t.unwrap_or_else(|| vm.none.clone()))?;
    Ok(vm.none.clone())
}

fn f_unregister_task(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "_unregister_task", names: &["task"], posonly: 0, kwonly: 0, required: 1 };
    let [t] = bind::<1>(vm, &P, args, kw)?;
    util::call_method(vm, &refs(vm)?.all_tasks, "discard", &[t.unwrap_or_else(|| vm.none.clone())])?;
    Ok(vm.none.clone())
}

fn f_enter_task(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "_enter_task", names: &["loop", "task"], posonly: 0, kwonly: 0, required: 2 };
    let [l, t] = bind::<2>(vm, &P, args, kw)?;
    enter_task(vm, &l.unwrap_or_else(|| vm.none.clone()), &t.unwrap_or_else(|| vm.none.clone()))?;
    Ok(vm.none.clone())
}

fn f_leave_task(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "_leave_task", names: &["loop", "task"], posonly: 0, kwonly: 0, required: 2 };
    let [l, t] = bind::<2>(vm, &P, args, kw)?;
    leave_task(vm, &l.unwrap_or_else(|| vm.none.clone()), &t.unwrap_or_else(|| vm.none.clone()))?;
    Ok(vm.none.clone())
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("get_event_loop", f_get_event_loop, "Return an asyncio event loop."),
    FunctionDef::new("_get_event_loop", f_get_event_loop_internal, ""),
    FunctionDef::new("get_running_loop", f_get_running_loop, "Return the running event loop.  Raise a RuntimeError if there is none."),
    FunctionDef::new("_get_running_loop", f_get_running_loop_internal, "Return the running event loop or None."),
    FunctionDef::new("_set_running_loop", f_set_running_loop, "Set the running event loop."),
    FunctionDef::new("_register_task", f_register_task, "Register a new task in asyncio as executed by loop."),
    FunctionDef::new("_unregister_task", f_unregister_task, "Unregister a task."),
    FunctionDef::new("_enter_task", f_enter_task, "Enter into task execution or resume suspended task."),
    FunctionDef::new("_leave_task", f_leave_task, "Leave task execution or suspend a task."),
];

// ----- Future -----

/// `Future.__init__(*, loop=None)` (CPython's `future_init`): resets the
/// state, so that `__init__` may run again.
fn future_init(vm: &Vm, f: &FutureObj, loop_: Option<Obj>) -> PyResult<()> {
    future_reset(f);
    let loop_ = match loop_ {
        Some(l) if !l.is(&vm.none) => l,
        _ => get_event_loop(vm)?,
    };
    *f.loop_.borrow_mut() = Some(loop_.clone());
    let debug = util::call_method(vm, &loop_, "get_debug", &[])?;
    if ops::truth(vm, &debug)? {
        let tb = util::call(vm, &refs(vm)?.extract_stack, &[])?;
        *f.source_tb.borrow_mut() = Some(tb);
    }
    Ok(())
}

fn future_reset(f: &FutureObj) {
    let old = (
        f.loop_.take(),
        std::mem::take(&mut *f.callbacks.borrow_mut()),
        f.result.take(),
        f.exception.take(),
        f.exception_tb.take(),
        f.source_tb.take(),
        f.cancel_msg.take(),
        f.cancelled_exc.take(),
    );
    f.state.set(PENDING);
    f.log_tb.set(false);
    f.blocking.set(false);
    drop(old);
}

fn future_init_slot(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "Future", names: &["loop"], posonly: 0, kwonly: 1, required: 0 };
    let [loop_] = bind::<1>(vm, &P, args, kw)?;
    future_init(vm, this(vm, o)?, loop_)?;
    Ok(vm.none.clone())
}

fn future_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    alive_loop(vm, this(vm, o)?)?;
    util::call(vm, &refs(vm)?.future_repr, std::slice::from_ref(o))
}

fn task_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    alive_loop(vm, this(vm, o)?)?;
    util::call(vm, &refs(vm)?.task_repr, std::slice::from_ref(o))
}

fn set_result(vm: &Vm, o: &Obj, f: &FutureObj, v: Obj) -> PyResult<()> {
    alive_loop(vm, f)?;
    if f.state.get() != PENDING {
        return Err(invalid_state(vm, "invalid state"));
    }
    *f.result.borrow_mut() = Some(v);
    f.state.set(FINISHED);
    schedule_callbacks(vm, o, f)
}

fn is_exception_class(vm: &Vm, o: &Obj) -> bool {
    o.downcast::<taipan_vm::types::TypeData>().is_some() && is_subtype(o, &vm.types.base_exception)
}

fn set_exception(vm: &Vm, o: &Obj, f: &FutureObj, exc: Obj) -> PyResult<()> {
    alive_loop(vm, f)?;
    if f.state.get() != PENDING {
        return Err(invalid_state(vm, "invalid state"));
    }
    let exc = if is_exception_class(vm, &exc) {
        let e = util::call(vm, &exc, &[])?;
        if f.state.get() != PENDING {
            return Err(invalid_state(vm, "invalid state"));
        }
        e
    } else {
        exc
    };
    if taipan_vm::types::builtin::exception_data(&exc).is_none() {
        return Err(vm.type_error("invalid exception object"));
    }
    if type_of(&exc).is(&vm.types.stop_iteration) {
        return Err(vm.type_error("StopIteration interacts badly with generators and cannot be raised into a Future"));
    }
    let tb = util::getattr(vm, &exc, "__traceback__")?;
    *f.exception_tb.borrow_mut() = Some(tb);
    *f.exception.borrow_mut() = Some(exc);
    f.state.set(FINISHED);
    schedule_callbacks(vm, o, f)?;
    f.log_tb.set(true);
    Ok(())
}

/// The CancelledError to raise for a cancelled future (the saved one of a
/// cancelled task, else a new one with the cancel message).
fn make_cancelled_error(vm: &Vm, f: &FutureObj) -> PyResult<Obj> {
    if let Some(e) = f.cancelled_exc.take() {
        return Ok(e);
    }
    let cls = refs(vm)?.cancelled_error.clone();
    let msg = f.cancel_msg.borrow().clone();
    let exc = match msg {
        Some(m) if !m.is(&vm.none) => util::call(vm, &cls, &[m])?,
        _ => util::call(vm, &cls, &[])?,
    };
    Ok(exc)
}

/// `Ok(Ok(result))`, `Ok(Err(exception))` (with its saved traceback), or
/// an error for a cancelled or pending future.
fn get_result(vm: &Vm, f: &FutureObj) -> PyResult<Result<Obj, Obj>> {
    match f.state.get() {
        CANCELLED => return Err(PyErr { exc: make_cancelled_error(vm, f)? }),
        FINISHED => {}
        _ => return Err(invalid_state(vm, "Result is not set.")),
    }
    f.log_tb.set(false);
    let exc = f.exception.borrow().clone();
    if let Some(e) = exc {
        let tb = f.exception_tb.take().unwrap_or_else(|| vm.none.clone());
        taipan_vm::classes::setattr(vm, &e, &vm.intern("__traceback__"), tb)?;
        return Ok(Err(e));
    }
    Ok(Ok(opt(vm, &f.result)))
}

fn result_of(vm: &Vm, f: &FutureObj) -> PyResult<Obj> {
    if !is_alive(f) {
        return Err(invalid_state(vm, "Future object is not initialized."));
    }
    match get_result(vm, f)? {
        Ok(v) => Ok(v),
        Err(e) => Err(PyErr { exc: e }),
    }
}

fn m_result(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "result", args, kw)?;
    result_of(vm, this(vm, o)?)
}

fn m_exception(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "exception", args, kw)?;
    let f = this(vm, o)?;
    if !is_alive(f) {
        return Err(invalid_state(vm, "Future object is not initialized."));
    }
    match f.state.get() {
        CANCELLED => return Err(PyErr { exc: make_cancelled_error(vm, f)? }),
        FINISHED => {}
        _ => return Err(invalid_state(vm, "Exception is not set.")),
    }
    let exc = f.exception.borrow().clone();
    match exc {
        Some(e) => {
            f.log_tb.set(false);
            Ok(e)
        }
        None => Ok(vm.none.clone()),
    }
}

fn m_set_result(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [v] = exact::<1>(vm, "set_result", args, kw)?;
    set_result(vm, o, this(vm, o)?, v)?;
    Ok(vm.none.clone())
}

fn m_set_exception(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [v] = exact::<1>(vm, "set_exception", args, kw)?;
    set_exception(vm, o, this(vm, o)?, v)?;
    Ok(vm.none.clone())
}

fn copy_context(vm: &Vm) -> PyResult<Obj> {
    crate::contextvars::copy_current(vm)
}

fn add_done_callback(vm: &Vm, o: &Obj, f: &FutureObj, cb: Obj, ctx: Obj) -> PyResult<()> {
    let Some(loop_) = f.loop_.borrow().clone() else {
        return Err(vm.new_error(&vm.types.runtime_error, "uninitialized Future object"));
    };
    if f.state.get() != PENDING {
        call_soon(vm, &loop_, cb, Some(o.clone()), Some(ctx))
    } else {
        f.callbacks.borrow_mut().push((cb, ctx));
        Ok(())
    }
}

fn m_add_done_callback(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "add_done_callback", names: &["fn", "context"], posonly: 1, kwonly: 1, required: 1 };
    let [cb, ctx] = bind::<2>(vm, &P, args, kw)?;
    let f = this(vm, o)?;
    let ctx = match ctx {
        Some(c) => c,
        None => copy_context(vm)?,
    };
    add_done_callback(vm, o, f, cb.unwrap_or_else(|| vm.none.clone()), ctx)?;
    Ok(vm.none.clone())
}

/// `PyObject_RichCompareBool(a, b, Py_EQ)`: identity first.
fn same(vm: &Vm, a: &Obj, b: &Obj) -> PyResult<bool> {
    if a.is(b) {
        return Ok(true);
    }
    let r = ops::compare(vm, taipan_vm::CompareOp::Eq, a, b)?;
    ops::truth(vm, &r)
}

fn m_remove_done_callback(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [cb] = exact::<1>(vm, "remove_done_callback", args, kw)?;
    let f = this(vm, o)?;
    alive_loop(vm, f)?;
    let snapshot = f.callbacks.borrow().clone();
    let mut kept = Vec::with_capacity(snapshot.len());
    for (c, ctx) in snapshot.iter() {
        if !same(vm, c, &cb)? {
            kept.push((c.clone(), ctx.clone()));
        }
    }
    let removed = snapshot.len() - kept.len();
    if removed > 0 {
        let old = std::mem::replace(&mut *f.callbacks.borrow_mut(), kept);
        drop(old);
    }
    Ok(vm.int(removed as i64))
}

fn future_cancel(vm: &Vm, o: &Obj, f: &FutureObj, msg: Option<Obj>) -> PyResult<bool> {
    alive_loop(vm, f)?;
    f.log_tb.set(false);
    if f.state.get() != PENDING {
        return Ok(false);
    }
    f.state.set(CANCELLED);
    let old = f.cancel_msg.replace(msg);
    drop(old);
    schedule_callbacks(vm, o, f)?;
    Ok(true)
}

fn m_cancel(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "cancel", names: &["msg"], posonly: 0, kwonly: 0, required: 0 };
    let [msg] = bind::<1>(vm, &P, args, kw)?;
    let msg = msg.filter(|m| !m.is(&vm.none));
    Ok(vm.bool(future_cancel(vm, o, this(vm, o)?, msg)?))
}

fn m_cancelled(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "cancelled", args, kw)?;
    let f = this(vm, o)?;
    Ok(vm.bool(is_alive(f) && f.state.get() == CANCELLED))
}

fn m_done(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "done", args, kw)?;
    let f = this(vm, o)?;
    Ok(vm.bool(is_alive(f) && f.state.get() != PENDING))
}

fn m_get_loop(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "get_loop", args, kw)?;
    alive_loop(vm, this(vm, o)?)
}

fn m_make_cancelled_error(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_make_cancelled_error", args, kw)?;
    make_cancelled_error(vm, this(vm, o)?)
}

fn m_await(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__await__", args, kw)?;
    new_iter(vm, o)
}

fn m_del(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__del__", args, kw)?;
    finalize(vm, o);
    Ok(vm.none.clone())
}

fn call_exception_handler(vm: &Vm, loop_: &Obj, context: Obj) {
    match util::getattr(vm, loop_, "call_exception_handler") {
        Ok(func) => {
            if let Err(e) = util::call(vm, &func, &[context]) {
                taipan_vm::gc::report_unraisable(vm, e, Some(&func));
            }
        }
        Err(e) => taipan_vm::gc::report_unraisable(vm, e, None),
    }
}

/// The finalizer (`__del__`): a pending task reports "Task was destroyed
/// but it is pending!", an exception nobody retrieved is reported too,
/// both through the loop's exception handler.
fn finalize(vm: &Vm, o: &Obj) {
    let Some(f) = o.downcast::<FutureObj>() else { return };
    let Some(loop_) = f.loop_.borrow().clone() else { return };
    if let Some(t) = &f.task {
        if f.state.get() == PENDING && t.log_destroy_pending.get() {
            let ctx = new_dict(vm);
            let mut items = vec![("message", new_str(vm, "Task was destroyed but it is pending!")), ("task", o.clone())];
            if let Some(tb) = f.source_tb.borrow().clone() {
                items.push(("source_traceback", tb));
            }
            if fill_dict(vm, &ctx, items).is_ok() {
                call_exception_handler(vm, &loop_, ctx);
            }
        }
    }
    if !f.log_tb.get() {
        return;
    }
    f.log_tb.set(false);
    let Some(exc) = f.exception.borrow().clone() else { return };
    let ctx = new_dict(vm);
    let name = taipan_vm::types::builtin::type_name(o).rsplit('.').next().unwrap_or("").to_string();
    let mut items =
        vec![("message", new_str(vm, &format!("{name} exception was never retrieved"))), ("exception", exc), ("future", o.clone())];
    if let Some(tb) = f.source_tb.borrow().clone() {
        items.push(("source_traceback", tb));
    }
    if fill_dict(vm, &ctx, items).is_ok() {
        call_exception_handler(vm, &loop_, ctx);
    }
}

fn fill_dict(vm: &Vm, d: &Obj, items: Vec<(&str, Obj)>) -> PyResult<()> {
    for (k, v) in items {
        taipan_vm::types::builtin::dict_set(vm, d, new_str(vm, k), v)?;
    }
    Ok(())
}

// getters and setters

fn g_state(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let f = this(vm, o)?;
    alive_loop(vm, f)?;
    Ok(vm.intern(match f.state.get() {
        PENDING => "PENDING",
        CANCELLED => "CANCELLED",
        _ => "FINISHED",
    }))
}

fn no_delete(vm: &Vm, v: Option<Obj>) -> PyResult<Obj> {
    v.ok_or_else(|| vm.new_error(&vm.types.attribute_error, "cannot delete attribute"))
}

fn g_blocking(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let f = this(vm, o)?;
    Ok(vm.bool(is_alive(f) && f.blocking.get()))
}

fn s_blocking(vm: &Vm, o: &Obj, v: Option<Obj>) -> PyResult<()> {
    let f = this(vm, o)?;
    alive_loop(vm, f)?;
    let v = no_delete(vm, v)?;
    f.blocking.set(ops::truth(vm, &v)?);
    Ok(())
}

fn g_loop(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(opt(vm, &this(vm, o)?.loop_))
}

fn g_callbacks(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let f = this(vm, o)?;
    alive_loop(vm, f)?;
    let cbs = f.callbacks.borrow().clone();
    if cbs.is_empty() {
        return Ok(vm.none.clone());
    }
    let items = cbs.into_iter().map(|(a, b)| new_tuple(vm, vec![a, b])).collect();
    Ok(new_list(vm, items))
}

fn g_result(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let f = this(vm, o)?;
    alive_loop(vm, f)?;
    Ok(opt(vm, &f.result))
}

fn g_exception(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let f = this(vm, o)?;
    alive_loop(vm, f)?;
    Ok(opt(vm, &f.exception))
}

fn g_log_traceback(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let f = this(vm, o)?;
    alive_loop(vm, f)?;
    Ok(vm.bool(f.log_tb.get()))
}

fn s_log_traceback(vm: &Vm, o: &Obj, v: Option<Obj>) -> PyResult<()> {
    let f = this(vm, o)?;
    let v = no_delete(vm, v)?;
    if ops::truth(vm, &v)? {
        return Err(vm.new_error(&vm.types.value_error, "_log_traceback can only be set to False"));
    }
    f.log_tb.set(false);
    Ok(())
}

fn g_source_traceback(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let f = this(vm, o)?;
    if !is_alive(f) {
        return Ok(vm.none.clone());
    }
    Ok(opt(vm, &f.source_tb))
}

fn g_cancel_message(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(opt(vm, &this(vm, o)?.cancel_msg))
}

fn s_cancel_message(vm: &Vm, o: &Obj, v: Option<Obj>) -> PyResult<()> {
    let f = this(vm, o)?;
    let v = no_delete(vm, v)?;
    let old = f.cancel_msg.replace(Some(v));
    drop(old);
    Ok(())
}

macro_rules! future_getsets {
    ($($extra:expr),*) => {
        &[
            GetSetDef::readonly("_state", g_state, ""),
            GetSetDef::new("_asyncio_future_blocking", g_blocking, s_blocking, ""),
            GetSetDef::readonly("_loop", g_loop, ""),
            GetSetDef::readonly("_callbacks", g_callbacks, ""),
            GetSetDef::readonly("_result", g_result, ""),
            GetSetDef::readonly("_exception", g_exception, ""),
            GetSetDef::new("_log_traceback", g_log_traceback, s_log_traceback, ""),
            GetSetDef::readonly("_source_traceback", g_source_traceback, ""),
            GetSetDef::new("_cancel_message", g_cancel_message, s_cancel_message, ""),
            $($extra),*
        ]
    };
}

static FUTURE_GETSETS: &[GetSetDef] = future_getsets!();

static TASK_GETSETS: &[GetSetDef] = future_getsets!(
    GetSetDef::new("_log_destroy_pending", g_log_destroy_pending, s_log_destroy_pending, ""),
    GetSetDef::readonly("_must_cancel", |vm, o| Ok(vm.bool(task_part(vm, o)?.must_cancel.get())), ""),
    GetSetDef::readonly("_coro", |vm, o| Ok(opt(vm, &task_part(vm, o)?.coro)), ""),
    GetSetDef::readonly("_fut_waiter", |vm, o| Ok(opt(vm, &task_part(vm, o)?.fut_waiter)), "")
);

fn g_log_destroy_pending(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(vm.bool(task_part(vm, o)?.log_destroy_pending.get()))
}

fn s_log_destroy_pending(vm: &Vm, o: &Obj, v: Option<Obj>) -> PyResult<()> {
    let t = task_part(vm, o)?;
    let v = no_delete(vm, v)?;
    t.log_destroy_pending.set(ops::truth(vm, &v)?);
    Ok(())
}

const RESULT_DOC: &str = "Return the result this future represents.

If the future has been cancelled, raises CancelledError.  If the
future's result isn't yet available, raises InvalidStateError.  If
the future is done and has an exception set, this exception is raised.";
const EXCEPTION_DOC: &str = "Return the exception that was set on this future.

The exception (or None if no exception was set) is returned only if
the future is done.  If the future has been cancelled, raises
CancelledError.  If the future isn't done yet, raises
InvalidStateError.";
const ADD_CB_DOC: &str = "Add a callback to be run when the future becomes done.

The callback is called with a single argument - the future object. If
the future is already done when this is called, the callback is
scheduled with call_soon.";
const REMOVE_CB_DOC: &str = "Remove all instances of a callback from the \"call when done\" list.

Returns the number of callbacks removed.";
const CANCELLED_DOC: &str = "Return True if the future was cancelled.";
const DONE_DOC: &str = "Return True if the future is done.

Done means either that a result / exception are available, or that the
future was cancelled.";
const MAKE_CANCELLED_DOC: &str = "Create the CancelledError to raise if the Future is cancelled.

This should only be called once when handling a cancellation since
it erases the context exception value.";

static FUTURE_METHODS: &[MethodDef] = &[
    MethodDef::method("result", m_result, RESULT_DOC),
    MethodDef::method("exception", m_exception, EXCEPTION_DOC),
    MethodDef::method("set_result", m_set_result, "Mark the future done and set its result.\n\nIf the future is already done when this method is called, raises\nInvalidStateError."),
    MethodDef::method("set_exception", m_set_exception, "Mark the future done and set an exception.\n\nIf the future is already done when this method is called, raises\nInvalidStateError."),
    MethodDef::method("add_done_callback", m_add_done_callback, ADD_CB_DOC),
    MethodDef::method("remove_done_callback", m_remove_done_callback, REMOVE_CB_DOC),
    MethodDef::method("cancel", m_cancel, "Cancel the future and schedule callbacks.\n\nIf the future is already done or cancelled, return False.  Otherwise,\nchange the future's state to cancelled, schedule the callbacks and\nreturn True."),
    MethodDef::method("cancelled", m_cancelled, CANCELLED_DOC),
    MethodDef::method("done", m_done, DONE_DOC),
    MethodDef::method("get_loop", m_get_loop, "Return the event loop the Future is bound to."),
    MethodDef::method("_make_cancelled_error", m_make_cancelled_error, MAKE_CANCELLED_DOC),
    MethodDef::method("__await__", m_await, "Return an iterator to be used in await expression."),
    MethodDef::method("__del__", m_del, "Called when the instance is about to be destroyed."),
    MethodDef::class("__class_getitem__", taipan_vm::types::genericalias::class_getitem, "See PEP 585"),
];

// ----- FutureIter -----

fn new_iter(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    alive_loop(vm, this(vm, o)?)?;
    Ok(alloc(iter_type(vm), FutureIter { future: RefCell::new(Some(o.clone())) }))
}

/// One step: the pending future itself (once), or StopIteration with its
/// result, or its exception.
fn iter_next(vm: &Vm, it: &Obj) -> PyResult<Option<Obj>> {
    let Some(d) = it.downcast::<FutureIter>() else { return Err(vm.type_error("expected a FutureIter")) };
    let Some(fut) = d.future.borrow().clone() else { return Ok(None) };
    let f = this(vm, &fut)?;
    if f.state.get() == PENDING {
        if !f.blocking.get() {
            f.blocking.set(true);
            return Ok(Some(fut));
        }
        return Err(vm.new_error(&vm.types.runtime_error, "await wasn't used with future"));
    }
    let old = d.future.take();
    let r = result_of(vm, f);
    drop(old);
    Err(taipan_vm::generator::stop_iteration(vm, Some(r?)))
}

fn it_send(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<1>(vm, "send", args, kw)?;
    match iter_next(vm, o)? {
        Some(v) => Ok(v),
        None => Err(taipan_vm::generator::stop_iteration(vm, None)),
    }
}

fn it_throw(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::no_kwargs(vm, "throw", kw)?;
    if args.is_empty() || args.len() > 3 {
        let msg = if args.is_empty() {
            "throw expected at least 1 argument, got 0".to_string()
        } else {
            format!("throw expected at most 3 arguments, got {}", args.len())
        };
        return Err(vm.type_error(msg));
    }
    let typ = &args[0];
    let val = args.get(1).filter(|v| !v.is(&vm.none));
    let tb = args.get(2).filter(|v| !v.is(&vm.none));
    if let Some(tb) = tb {
        if type_name(tb) != "traceback" {
            return Err(vm.type_error("throw() third argument must be a traceback"));
        }
    }
    let exc = if is_exception_class(vm, typ) {
        match val {
            Some(v) if taipan_vm::types::builtin::exception_data(v).is_some() && taipan_vm::classes::isinstance(vm, v, typ)? => v.clone(),
            Some(v) => {
                if let Some(t) = v.downcast::<taipan_vm::types::builtin::TupleData>() {
                    util::call(vm, typ, &t.items)?
                } else {
                    util::call(vm, typ, std::slice::from_ref(v))?
                }
            }
            None => util::call(vm, typ, &[])?,
        }
    } else if taipan_vm::types::builtin::exception_data(typ).is_some() {
        if val.is_some() {
            return Err(vm.type_error("instance exception may not have a separate value"));
        }
        typ.clone()
    } else {
        return Err(vm.type_error("exceptions must be classes deriving BaseException or instances of such a class"));
    };
    if let Some(tb) = tb {
        taipan_vm::classes::setattr(vm, &exc, &vm.intern("__traceback__"), tb.clone())?;
    }
    if let Some(d) = o.downcast::<FutureIter>() {
        let old = d.future.take();
        drop(old);
    }
    Err(PyErr { exc })
}

fn it_close(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "close", args, kw)?;
    if let Some(d) = o.downcast::<FutureIter>() {
        let old = d.future.take();
        drop(old);
    }
    Ok(vm.none.clone())
}

static ITER_METHODS: &[MethodDef] =
    &[MethodDef::method("send", it_send, ""), MethodDef::method("throw", it_throw, ""), MethodDef::method("close", it_close, "")];

// ----- Task -----

fn is_coroutine(vm: &Vm, coro: &Obj) -> PyResult<bool> {
    let t = type_of(coro);
    if t.is(&vm.types.coroutine) {
        return Ok(true);
    }
    let st = vm.state::<State>();
    if st.coro_types.borrow().iter().any(|c| c.is(&t)) {
        return Ok(true);
    }
    let r = util::call(vm, &refs(vm)?.iscoroutine, std::slice::from_ref(coro))?;
    if !ops::truth(vm, &r)? {
        return Ok(false);
    }
    let mut cache = st.coro_types.borrow_mut();
    if cache.len() < 100 {
        cache.push(t);
    }
    Ok(true)
}

fn task_init_slot(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "Task", names: &["coro", "loop", "name", "context"], posonly: 0, kwonly: 3, required: 1 };
    let [coro, loop_, name, context] = bind::<4>(vm, &P, args, kw)?;
    let coro = coro.unwrap_or_else(|| vm.none.clone());
    let f = this(vm, o)?;
    let t = task_part(vm, o)?;
    future_init(vm, f, loop_)?;
    if !is_coroutine(vm, &coro)? {
        t.log_destroy_pending.set(false);
        return Err(vm.type_error(format!("a coroutine was expected, got {}", util::repr(vm, &coro)?)));
    }
    let context = match context {
        Some(c) if !c.is(&vm.none) => c,
        _ => copy_context(vm)?,
    };
    let old = (t.context.replace(Some(context.clone())), t.fut_waiter.take(), t.coro.replace(Some(coro)));
    drop(old);
    t.must_cancel.set(false);
    t.log_destroy_pending.set(true);
    t.num_cancels_requested.set(0);
    let name = match name {
        Some(n) if !n.is(&vm.none) => {
            if type_of(&n).is(&vm.types.str_) {
                n
            } else {
                ops::str(vm, &n)?
            }
        }
        _ => {
            let st = vm.state::<State>();
            let n = st.task_name_counter.get() + 1;
            st.task_name_counter.set(n);
            new_str(vm, &format!("Task-{n}"))
        }
    };
    let old = t.name.replace(Some(name));
    drop(old);
    call_step_soon(vm, o, f, None)?;
    register_task(vm, o)?;
    Ok(vm.none.clone())
}

fn call_step_soon(vm: &Vm, o: &Obj, f: &FutureObj, arg: Option<Obj>) -> PyResult<()> {
    let loop_ = alive_loop(vm, f)?;
    let ctx = f.task.as_ref().and_then(|t| t.context.borrow().clone());
    let w = alloc(step_wrapper_type(vm), TaskStepMethWrapper { task: RefCell::new(Some(o.clone())), arg: RefCell::new(arg) });
    call_soon(vm, &loop_, w, None, ctx)
}

/// Schedules a step that throws `RuntimeError(msg)` into the coroutine.
fn set_error_soon(vm: &Vm, o: &Obj, f: &FutureObj, msg: String) -> PyResult<Obj> {
    let e = taipan_vm::types::builtin::new_exception(vm, &vm.types.runtime_error, vec![new_str(vm, &msg)]);
    call_step_soon(vm, o, f, Some(e))?;
    Ok(vm.none.clone())
}

fn cancelled_error_class(vm: &Vm) -> PyResult<Obj> {
    Ok(refs(vm)?.cancelled_error.clone())
}

/// `Task.__step` with `_enter_task`/`_leave_task` around it.
fn task_step(vm: &Vm, o: &Obj, exc: Option<Obj>) -> PyResult<Obj> {
    let f = this(vm, o)?;
    let loop_ = alive_loop(vm, f)?;
    enter_task(vm, &loop_, o)?;
    let r = task_step_impl(vm, o, f, exc);
    match r {
        Ok(v) => {
            leave_task(vm, &loop_, o)?;
            Ok(v)
        }
        Err(e) => {
            if let Err(e2) = leave_task(vm, &loop_, o) {
                if let Some(d) = taipan_vm::types::builtin::exception_data(&e2.exc) {
                    *d.context.borrow_mut() = Some(e.exc);
                }
                return Err(e2);
            }
            Err(e)
        }
    }
}

fn task_step_impl(vm: &Vm, o: &Obj, f: &FutureObj, exc: Option<Obj>) -> PyResult<Obj> {
    let Some(t) = &f.task else { return Err(vm.type_error("expected a Task")) };
    if f.state.get() != PENDING {
        let e = exc.clone().unwrap_or_else(|| vm.none.clone());
        return Err(invalid_state(vm, &format!("_step(): already done: {} {}", util::repr(vm, o)?, util::repr(vm, &e)?)));
    }
    let mut exc = exc;
    if t.must_cancel.get() {
        let cancelled = match &exc {
            Some(e) => taipan_vm::classes::isinstance(vm, e, &cancelled_error_class(vm)?)?,
            None => false,
        };
        if !cancelled {
            exc = Some(make_cancelled_error(vm, f)?);
        }
        t.must_cancel.set(false);
    }
    let old = t.fut_waiter.take();
    drop(old);
    let Some(coro) = t.coro.borrow().clone() else {
        return Err(vm.new_error(&vm.types.runtime_error, "uninitialized Task object"));
    };
    let outcome = match exc {
        // `PyIter_Send`: iterators through `__next__`, other objects
        // (coroutine-likes) through their `send` method.
        None if coro.downcast::<taipan_vm::generator::GeneratorData>().is_some()
            || taipan_vm::types::type_data_of(&coro).slots.get().next.is_some() =>
        {
            taipan_vm::generator::send(vm, &coro, vm.none.clone())
        }
        None => match util::call_method(vm, &coro, "send", std::slice::from_ref(&vm.none)) {
            Ok(v) => Ok(taipan_vm::generator::SendResult::Yielded(v)),
            Err(err) if util::is_error(&err, &vm.types.stop_iteration) => {
                let v = util::getattr(vm, &err.exc, "value")?;
                Ok(taipan_vm::generator::SendResult::Returned(v))
            }
            Err(err) => Err(err),
        },
        Some(e) => match util::call_method(vm, &coro, "throw", &[e]) {
            Ok(v) => Ok(taipan_vm::generator::SendResult::Yielded(v)),
            Err(err) if util::is_error(&err, &vm.types.stop_iteration) => {
                let v = util::getattr(vm, &err.exc, "value")?;
                Ok(taipan_vm::generator::SendResult::Returned(v))
            }
            Err(err) => Err(err),
        },
    };
    let result = match outcome {
        Ok(taipan_vm::generator::SendResult::Returned(v)) => {
            if t.must_cancel.get() {
                // Cancelled right before the coroutine returned.
                t.must_cancel.set(false);
                let msg = f.cancel_msg.borrow().clone();
                future_cancel(vm, o, f, msg)?;
            } else {
                set_result(vm, o, f, v)?;
            }
            return Ok(vm.none.clone());
        }
        Err(e) => {
            if util::is_error(&e, &cancelled_error_class(vm)?) {
                let old = f.cancelled_exc.replace(Some(e.exc));
                drop(old);
                future_cancel(vm, o, f, None)?;
                return Ok(vm.none.clone());
            }
            set_exception(vm, o, f, e.exc.clone())?;
            let ki = taipan_vm::generator::builtin_class(vm, "KeyboardInterrupt")?;
            if util::is_error(&e, &ki) || util::is_error(&e, &vm.types.system_exit) {
                return Err(e);
            }
            return Ok(vm.none.clone());
        }
        Ok(taipan_vm::generator::SendResult::Yielded(r)) => r,
    };
    let loop_ = alive_loop(vm, f)?;
    if result.is(o) {
        return set_error_soon(vm, o, f, format!("Task cannot await on itself: {}", util::repr(vm, o)?));
    }
    if is_exact_future(vm, &result) {
        let Some(rf) = result.downcast::<FutureObj>() else { return Err(vm.type_error("expected a Future")) };
        let same_loop = rf.loop_.borrow().as_ref().is_some_and(|l| l.is(&loop_));
        if !same_loop {
            return different_loop(vm, o, f, &result);
        }
        if !rf.blocking.get() {
            return yield_instead(vm, o, f, &result);
        }
        rf.blocking.set(false);
        let ctx = t.context.borrow().clone().unwrap_or_else(|| vm.none.clone());
        add_done_callback(vm, &result, rf, wakeup_method(vm, o), ctx)?;
        return after_wait(vm, f, t, result);
    }
    if result.is(&vm.none) {
        call_step_soon(vm, o, f, None)?;
        return Ok(vm.none.clone());
    }
    let blocking = util::getattr_opt(vm, &result, "_asyncio_future_blocking")?;
    if let Some(b) = blocking.filter(|b| !b.is(&vm.none)) {
        let blocking = ops::truth(vm, &b)?;
        let oloop = future_loop(vm, &result)?;
        if !oloop.is(&loop_) {
            return different_loop(vm, o, f, &result);
        }
        if !blocking {
            return yield_instead(vm, o, f, &result);
        }
        taipan_vm::classes::setattr(vm, &result, &vm.intern("_asyncio_future_blocking"), vm.bool(false))?;
        let add = util::getattr(vm, &result, "add_done_callback")?;
        let ctx = t.context.borrow().clone().unwrap_or_else(|| vm.none.clone());
        util::call_kw(vm, &add, &[wakeup_method(vm, o)], &[(vm.intern("context"), ctx)])?;
        return after_wait(vm, f, t, result);
    }
    if type_of(&result).is(&vm.types.generator) || is_subtype(&type_of(&result), &vm.types.generator) {
        let msg =
            format!("yield was used instead of yield from for generator in task {} with {}", util::repr(vm, o)?, util::repr(vm, &result)?);
        return set_error_soon(vm, o, f, msg);
    }
    let msg = format!("Task got bad yield: {}", util::repr(vm, &result)?);
    set_error_soon(vm, o, f, msg)
}

/// The task now waits on `result`; a cancellation requested meanwhile goes
/// to it.
fn after_wait(vm: &Vm, f: &FutureObj, t: &TaskPart, result: Obj) -> PyResult<Obj> {
    let old = t.fut_waiter.replace(Some(result.clone()));
    drop(old);
    if t.must_cancel.get() {
        let msg = opt(vm, &f.cancel_msg);
        let r = util::call_method(vm, &result, "cancel", &[msg])?;
        if ops::truth(vm, &r)? {
            t.must_cancel.set(false);
        }
    }
    Ok(vm.none.clone())
}

fn different_loop(vm: &Vm, o: &Obj, f: &FutureObj, result: &Obj) -> PyResult<Obj> {
    let msg = format!("Task {} got Future {} attached to a different loop", util::repr(vm, o)?, util::repr(vm, result)?);
    set_error_soon(vm, o, f, msg)
}

fn yield_instead(vm: &Vm, o: &Obj, f: &FutureObj, result: &Obj) -> PyResult<Obj> {
    let msg = format!("yield was used instead of yield from in task {} with {}", util::repr(vm, o)?, util::repr(vm, result)?);
    set_error_soon(vm, o, f, msg)
}

/// `asyncio.futures._get_loop(fut)`.
fn future_loop(vm: &Vm, fut: &Obj) -> PyResult<Obj> {
    if is_exact_future(vm, fut) {
        return alive_loop(vm, this(vm, fut)?);
    }
    match util::getattr_opt(vm, fut, "get_loop")? {
        Some(m) => util::call(vm, &m, &[]),
        None => util::getattr(vm, fut, "_loop"),
    }
}

static WAKEUP_DEF: MethodDef = MethodDef::method("task_wakeup", task_wakeup, "");

fn wakeup_method(vm: &Vm, task: &Obj) -> Obj {
    alloc(vm.types.builtin_method.clone(), taipan_vm::native::BoundNativeData { def: &WAKEUP_DEF, receiver: task.clone() })
}

fn task_wakeup(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fut] = exact::<1>(vm, "task_wakeup", args, kw)?;
    let outcome = if is_exact_future(vm, &fut) {
        match get_result(vm, this(vm, &fut)?) {
            Ok(Ok(_)) => None,
            Ok(Err(e)) => Some(e),
            Err(e) => Some(e.exc),
        }
    } else {
        match util::call_method(vm, &fut, "result", &[]) {
            Ok(_) => None,
            Err(e) => Some(e.exc),
        }
    };
    task_step(vm, o, outcome)
}

fn m_task_cancel(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "cancel", names: &["msg"], posonly: 0, kwonly: 0, required: 0 };
    let [msg] = bind::<1>(vm, &P, args, kw)?;
    let msg = msg.unwrap_or_else(|| vm.none.clone());
    let f = this(vm, o)?;
    let t = task_part(vm, o)?;
    f.log_tb.set(false);
    if f.state.get() != PENDING {
        return Ok(vm.bool(false));
    }
    t.num_cancels_requested.set(t.num_cancels_requested.get() + 1);
    let waiter = t.fut_waiter.borrow().clone();
    if let Some(w) = waiter {
        let r = util::call_method(vm, &w, "cancel", std::slice::from_ref(&msg))?;
        if ops::truth(vm, &r)? {
            return Ok(vm.bool(true));
        }
    }
    t.must_cancel.set(true);
    let old = f.cancel_msg.replace(if msg.is(&vm.none) { None } else { Some(msg) });
    drop(old);
    Ok(vm.bool(true))
}

fn m_cancelling(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "cancelling", args, kw)?;
    Ok(vm.int(task_part(vm, o)?.num_cancels_requested.get()))
}

fn m_uncancel(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "uncancel", args, kw)?;
    let t = task_part(vm, o)?;
    if t.num_cancels_requested.get() > 0 {
        t.num_cancels_requested.set(t.num_cancels_requested.get() - 1);
    }
    Ok(vm.int(t.num_cancels_requested.get()))
}

fn m_get_stack(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "get_stack", names: &["limit"], posonly: 0, kwonly: 1, required: 0 };
    let [limit] = bind::<1>(vm, &P, args, kw)?;
    util::call(vm, &refs(vm)?.task_get_stack, &[o.clone(), limit.unwrap_or_else(|| vm.none.clone())])
}

fn m_print_stack(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "print_stack", names: &["limit", "file"], posonly: 0, kwonly: 2, required: 0 };
    let [limit, file] = bind::<2>(vm, &P, args, kw)?;
    util::call(
        vm,
        &refs(vm)?.task_print_stack,
        &[o.clone(), limit.unwrap_or_else(|| vm.none.clone()), file.unwrap_or_else(|| vm.none.clone())],
    )
}

fn m_task_set_result(vm: &Vm, _o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<1>(vm, "set_result", args, kw)?;
    Err(vm.new_error(&vm.types.runtime_error, "Task does not support set_result operation"))
}

fn m_task_set_exception(vm: &Vm, _o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<1>(vm, "set_exception", args, kw)?;
    Err(vm.new_error(&vm.types.runtime_error, "Task does not support set_exception operation"))
}

fn m_get_coro(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "get_coro", args, kw)?;
    Ok(opt(vm, &task_part(vm, o)?.coro))
}

fn m_get_name(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "get_name", args, kw)?;
    Ok(opt(vm, &task_part(vm, o)?.name))
}

fn m_set_name(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [v] = exact::<1>(vm, "set_name", args, kw)?;
    let t = task_part(vm, o)?;
    let v = if type_of(&v).is(&vm.types.str_) { v } else { ops::str(vm, &v)? };
    let old = t.name.replace(Some(v));
    drop(old);
    Ok(vm.none.clone())
}

const TASK_CANCEL_DOC: &str = "Request that this task cancel itself.

This arranges for a CancelledError to be thrown into the
wrapped coroutine on the next cycle through the event loop.
The coroutine then has a chance to clean up or even deny
the request using try/except/finally.

Unlike Future.cancel, this does not guarantee that the
task will be cancelled: the exception might be caught and
acted upon, delaying cancellation of the task or preventing
cancellation completely.  The task may also return a value or
raise a different exception.

Immediately after this method is called, Task.cancelled() will
not return True (unless the task was already cancelled).  A
task will be marked as cancelled when the wrapped coroutine
terminates with a CancelledError exception (even if cancel()
was not called).

This also increases the task's count of cancellation requests.";

static TASK_METHODS: &[MethodDef] = &[
    MethodDef::method("set_result", m_task_set_result, ""),
    MethodDef::method("set_exception", m_task_set_exception, ""),
    MethodDef::method("cancel", m_task_cancel, TASK_CANCEL_DOC),
    MethodDef::method("cancelling", m_cancelling, "Return the count of the task's cancellation requests.\n\nThis count is incremented when .cancel() is called\nand may be decremented using .uncancel()."),
    MethodDef::method("uncancel", m_uncancel, "Decrement the task's count of cancellation requests.\n\nThis should be used by tasks that catch CancelledError\nand wish to continue indefinitely until they are cancelled again.\n\nReturns the remaining number of cancellation requests."),
    MethodDef::method("get_stack", m_get_stack, "Return the list of stack frames for this task's coroutine."),
    MethodDef::method("print_stack", m_print_stack, "Print the stack or traceback for this task's coroutine."),
    MethodDef::method("get_coro", m_get_coro, ""),
    MethodDef::method("get_name", m_get_name, ""),
    MethodDef::method("set_name", m_set_name, ""),
    MethodDef::class("__class_getitem__", taipan_vm::types::genericalias::class_getitem, "See PEP 585"),
];
