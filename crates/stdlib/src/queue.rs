//! `_queue`: `SimpleQueue`, the unbounded reentrant FIFO that
//! `queue.SimpleQueue` is, and the `Empty` exception (CPython's
//! `Modules/_queuemodule.c`).
//!
//! As in CPython, a `get` on an empty queue waits on a `_thread`-style
//! lock (`threadmodule::RawLock`) that the getter holds while the queue
//! is empty: the first attempt takes the free lock, the next one blocks
//! (without the GIL) until a `put` releases it. `put` never blocks and
//! runs no Python code, so it may be called re-entrantly (from `__del__`
//! during a `get`).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use taipan_vm::modules::add_attr;
use taipan_vm::native::{bind, new_type, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::threadmodule::RawLock;
use taipan_vm::types::builtin::{int_data, new_str, object_slots, IntData};
use taipan_vm::types::{type_data, Kwargs, Slots};
use taipan_vm::{ops, PyErr, PyResult, Vm};

use crate::util;

pub struct SimpleQueue {
    items: RefCell<VecDeque<Obj>>,
    /// Held by a getter while the queue is empty; `put` releases it.
    lock: Arc<RawLock>,
    /// Whether a getter holds `lock`.
    locked: Cell<bool>,
}

fn empty_class(vm: &Vm) -> PyResult<Obj> {
    util::exception_class(vm, "_queue.Empty", &[])
}

fn queue_type(vm: &Vm) -> Obj {
    vm.native_type("_queue.SimpleQueue", |vm| {
        let slots = Slots {
            new: Some(queue_new),
            traverse: Some(|o, visit| {
                if let Some(q) = o.downcast::<SimpleQueue>() {
                    if let Ok(items) = q.items.try_borrow() {
                        items.iter().for_each(&mut *visit);
                    }
                }
            }),
            clear: Some(|o| {
                if let Some(q) = o.downcast::<SimpleQueue>() {
                    if let Ok(mut items) = q.items.try_borrow_mut() {
                        let old = std::mem::take(&mut *items);
                        drop(items);
                        drop(old);
                    }
                }
            }),
            ..object_slots()
        };
        let t = new_type::<SimpleQueue>(vm, "_queue.SimpleQueue", &[], true, slots, METHODS, &[]);
        type_data(&t).weakrefable.set(true);
        type_data(&t).dict.borrow_mut().insert("__doc__", new_str(vm, "Simple, unbounded, reentrant FIFO queue."));
        t
    })
}

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    let empty = empty_class(vm)?;
    taipan_vm::classes::setattr(vm, &empty, &vm.intern("__doc__"), new_str(vm, "Exception raised by Queue.get(block=0)/get_nowait()."))?;
    add_attr(vm, m, "Empty", empty)?;
    add_attr(vm, m, "SimpleQueue", queue_type(vm))?;
    Ok(())
}

fn queue_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if !args.is_empty() {
        return Err(vm.type_error("SimpleQueue() takes no positional arguments"));
    }
    if !kw.is_empty() {
        return Err(vm.type_error("SimpleQueue() takes no keyword arguments"));
    }
    Ok(alloc(cls.clone(), SimpleQueue { items: RefCell::default(), lock: Arc::default(), locked: Cell::new(false) }))
}

fn this<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a SimpleQueue> {
    o.downcast::<SimpleQueue>().ok_or_else(|| {
        vm.type_error(format!(
            "descriptor requires a '_queue.SimpleQueue' object but received '{}'",
            taipan_vm::types::builtin::type_name(o)
        ))
    })
}

/// Appends `item` and wakes a waiting getter.
fn put_item(q: &SimpleQueue, item: Obj) {
    q.items.borrow_mut().push_back(item);
    if q.locked.replace(false) {
        q.lock.release();
    }
}

fn m_put(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "put", names: &["item", "block", "timeout"], posonly: 0, kwonly: 0, required: 1 };
    let [item, _block, _timeout] = bind::<3>(vm, &P, args, kw)?;
    put_item(this(vm, o)?, item.unwrap_or_else(|| vm.none.clone()));
    Ok(vm.none.clone())
}

fn m_put_nowait(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "put_nowait", names: &["item"], posonly: 0, kwonly: 0, required: 1 };
    let [item] = bind::<1>(vm, &P, args, kw)?;
    put_item(this(vm, o)?, item.unwrap_or_else(|| vm.none.clone()));
    Ok(vm.none.clone())
}

/// A `timeout=` in seconds (`_PyTime_FromSecondsObject`).
fn timeout_arg(vm: &Vm, t: &Obj) -> PyResult<f64> {
    let secs = if let Some(f) = t.downcast::<f64>() {
        if f.is_nan() {
            return Err(vm.new_error(&vm.types.value_error, "Invalid value NaN (not a number)"));
        }
        if (f * 1e9).abs() >= i64::MAX as f64 {
            return Err(vm.new_error(&vm.types.overflow_error, "timestamp out of range for platform time_t"));
        }
        *f
    } else {
        let i = ops::index(vm, t)?;
        match int_data(&i) {
            Some(IntData::Small(v)) if v.checked_mul(1_000_000_000).is_some() => *v as f64,
            _ => return Err(vm.new_error(&vm.types.overflow_error, "timestamp too large to convert to C _PyTime_t")),
        }
    };
    if secs < 0.0 {
        return Err(vm.new_error(&vm.types.value_error, "'timeout' must be a non-negative number"));
    }
    Ok(secs)
}

fn empty_error(vm: &Vm) -> PyErr {
    match empty_class(vm).and_then(|c| util::call(vm, &c, &[])) {
        Ok(exc) => PyErr { exc },
        Err(e) => e,
    }
}

/// Takes the first item, waiting up to `timeout` (`None`: forever;
/// zero: not at all).
fn get_item(vm: &Vm, o: &Obj, timeout: Option<Duration>) -> PyResult<Obj> {
    let q = this(vm, o)?;
    let deadline = timeout.map(|d| Instant::now() + d);
    loop {
        if let Some(item) = q.items.borrow_mut().pop_front() {
            if q.locked.replace(false) {
                q.lock.release();
            }
            return Ok(item);
        }
        // Empty: take the lock (free the first time round), then wait for
        // a `put` to release it.
        let mut got = q.lock.try_acquire();
        if !got && timeout != Some(Duration::ZERO) {
            let lock = q.lock.clone();
            got = vm.allow_threads(move || lock.acquire_until(deadline));
        }
        if !got {
            return Err(empty_error(vm));
        }
        q.locked.set(true);
        // Let pending signal handlers run between waits.
        taipan_vm::signals::run_pending(vm)?;
    }
}

fn m_get(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "get", names: &["block", "timeout"], posonly: 0, kwonly: 0, required: 0 };
    let [block, timeout] = bind::<2>(vm, &P, args, kw)?;
    let block = match &block {
        Some(b) => ops::truth(vm, b)?,
        None => true,
    };
    let timeout = match &timeout {
        _ if !block => Some(Duration::ZERO),
        Some(t) if !t.is(&vm.none) => Some(Duration::from_secs_f64(timeout_arg(vm, t)?)),
        _ => None,
    };
    get_item(vm, o, timeout)
}

fn m_get_nowait(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if !args.is_empty() || !kw.is_empty() {
        return Err(vm.type_error("get_nowait() takes no arguments"));
    }
    get_item(vm, o, Some(Duration::ZERO))
}

fn m_empty(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "empty", args, kw)?;
    Ok(vm.bool(this(vm, o)?.items.borrow().is_empty()))
}

fn m_qsize(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "qsize", args, kw)?;
    Ok(vm.int(this(vm, o)?.items.borrow().len() as i64))
}

static METHODS: &[MethodDef] = &[
    MethodDef::method("empty", m_empty, "Return True if the queue is empty, False otherwise (not reliable!)."),
    MethodDef::method("get", m_get, "Remove and return an item from the queue."),
    MethodDef::method("get_nowait", m_get_nowait, "Remove and return an item from the queue without blocking."),
    MethodDef::method("put", m_put, "Put the item on the queue."),
    MethodDef::method("put_nowait", m_put_nowait, "Put an item into the queue without blocking."),
    MethodDef::method("qsize", m_qsize, "Return the approximate size of the queue (not reliable!)."),
    MethodDef::class("__class_getitem__", taipan_vm::types::genericalias::class_getitem, "See PEP 585"),
];
