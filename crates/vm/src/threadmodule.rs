//! The `_thread` module: OS threads under the GIL (`crate::thread`),
//! locks (`lock`, `RLock`) whose blocking waits release the GIL,
//! thread-local data (`_local`), the sentinel locks `threading` joins
//! with, and the default `threading.excepthook` (`_excepthook`).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::classes::{call_object_kw, generic_getattr_with_dict, generic_setattr_with_dict, no_attribute};
use crate::native::{at_most, bind, exact, new_type, FunctionDef, MethodDef, Params};
use crate::object::{alloc, Obj};
use crate::thread::thread_serial;
use crate::types::builtin::{self, new_str, new_tuple, str_data, type_name, IntData, TupleData};
use crate::types::{is_subtype, lookup, type_data, type_of, Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;

/// `_thread.TIMEOUT_MAX` (seconds): CPython's `PY_TIMEOUT_MAX` / 10**6 on
/// Linux.
const TIMEOUT_MAX: f64 = 9223372036.0;
/// Threads get this much stack unless `stack_size()` set another size: a
/// reservation of virtual memory (pages are backed when used), enough for
/// the native recursion the recursion limit allows.
const DEFAULT_STACK: usize = 256 << 20;
/// CPython's `THREAD_MIN_STACKSIZE`.
const MIN_STACK: i64 = 0x8000;

// ---------------------------------------------------------------------
// The lock itself (no objects: shared with code running without the GIL)

/// A non-recursive lock that any thread may release.
#[derive(Default)]
pub struct RawLock {
    locked: Mutex<bool>,
    cond: Condvar,
}

impl RawLock {
    fn state(&self) -> MutexGuard<'_, bool> {
        self.locked.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes the lock if it is free.
    pub fn try_acquire(&self) -> bool {
        let mut l = self.state();
        !std::mem::replace(&mut *l, true)
    }

    /// Waits for the lock (until `deadline`, if any); whether it was taken.
    pub fn acquire_until(&self, deadline: Option<Instant>) -> bool {
        let mut l = self.state();
        while *l {
            match deadline {
                None => l = self.cond.wait(l).unwrap_or_else(|e| e.into_inner()),
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return false;
                    }
                    l = self.cond.wait_timeout(l, d - now).unwrap_or_else(|e| e.into_inner()).0;
                }
            }
        }
        *l = true;
        true
    }

    /// Frees the lock; false if it was not locked.
    pub fn release(&self) -> bool {
        let mut l = self.state();
        if !*l {
            return false;
        }
        *l = false;
        self.cond.notify_one();
        true
    }

    pub fn is_locked(&self) -> bool {
        *self.state()
    }
}

/// How long an `acquire` may wait.
#[derive(Clone, Copy)]
enum Wait {
    No,
    Forever,
    For(Duration),
}

/// Takes `lock`: at once if it is free, else (unless `wait` is `No`)
/// waiting without the GIL.
fn acquire_raw(vm: &Vm, lock: &Arc<RawLock>, wait: Wait) -> bool {
    if lock.try_acquire() {
        return true;
    }
    let deadline = match wait {
        Wait::No => return false,
        Wait::Forever => None,
        Wait::For(d) => Some(Instant::now() + d),
    };
    let l = lock.clone();
    vm.allow_threads(move || l.acquire_until(deadline))
}

/// `acquire(blocking=True, timeout=-1)`'s arguments, with CPython's checks.
fn acquire_args(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Wait> {
    static PARAMS: Params = Params { fname: "acquire", names: &["blocking", "timeout"], posonly: 0, kwonly: 0, required: 0 };
    let [blocking, timeout] = bind::<2>(vm, &PARAMS, args, kw)?;
    let blocking = match &blocking {
        Some(b) => crate::ops::truth(vm, b)?,
        None => true,
    };
    // Seconds; None: the "unset" value -1.
    let secs = match &timeout {
        None => None,
        Some(t) => timeout_seconds(vm, t)?,
    };
    if !blocking {
        if secs.is_some() {
            return Err(vm.new_error(&vm.types.value_error, "can't specify a timeout for a non-blocking call"));
        }
        return Ok(Wait::No);
    }
    match secs {
        None => Ok(Wait::Forever),
        Some(s) if s < 0.0 => Err(vm.new_error(&vm.types.value_error, "timeout value must be positive")),
        Some(s) if s > TIMEOUT_MAX => Err(vm.new_error(&vm.types.overflow_error, "timeout value is too large")),
        Some(s) => Ok(Wait::For(Duration::from_secs_f64(s))),
    }
}

/// A timeout in seconds (`_PyTime_FromSecondsObject`); `None` for -1,
/// the "no timeout" value.
fn timeout_seconds(vm: &Vm, t: &Obj) -> PyResult<Option<f64>> {
    let s = if let Some(f) = t.downcast::<f64>() {
        if f.is_nan() {
            return Err(vm.new_error(&vm.types.value_error, "Invalid value NaN (not a number)"));
        }
        if (f * 1e9).abs() >= i64::MAX as f64 {
            return Err(vm.new_error(&vm.types.overflow_error, "timestamp out of range for platform time_t"));
        }
        *f
    } else {
        let i = crate::ops::index(vm, t)?;
        match i.downcast::<IntData>() {
            Some(IntData::Small(v)) if v.checked_mul(1_000_000_000).is_some() => *v as f64,
            _ => return Err(vm.new_error(&vm.types.overflow_error, "timestamp too large to convert to C _PyTime_t")),
        }
    };
    Ok(if s == -1.0 { None } else { Some(s) })
}

// ---------------------------------------------------------------------
// Module state

/// Per-interpreter state of `_thread`.
#[derive(Default)]
struct ThreadModState {
    /// Threads started by `start_new_thread` still running (`_count`).
    count: Cell<usize>,
    /// `stack_size()`: 0 for the default.
    stack_size: Cell<usize>,
    /// What each thread (by `thread_serial`) must clean up when it ends.
    threads: RefCell<HashMap<u64, PerThread>>,
}

#[derive(Default)]
struct PerThread {
    /// `_set_sentinel()` locks, released when the thread ends.
    sentinels: Vec<Arc<RawLock>>,
    /// Weak references to the `_local` objects holding a dict for the
    /// thread.
    locals: Vec<Obj>,
}

/// Ends a thread's life in `_thread`: its `_local` dicts go, then its
/// sentinel locks are released (what `threading`'s `join` waits for).
fn thread_cleanup(vm: &Vm, serial: u64) {
    let st = vm.state::<ThreadModState>();
    let per = st.threads.borrow_mut().remove(&serial);
    let Some(per) = per else { return };
    for w in per.locals {
        let local = w.downcast::<crate::weakref::WeakRefData>().and_then(|d| d.get());
        if let Some(l) = local {
            if let Some(d) = l.downcast::<LocalData>() {
                let dict = d.dicts.borrow_mut().remove(&serial);
                drop(dict);
            }
        }
    }
    for s in per.sentinels {
        s.release();
    }
}

// ---------------------------------------------------------------------
// Starting threads

fn start_new_thread(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [func, fargs, fkw] = at_most::<3>(vm, "start_new_thread", 2, args, kw)?;
    let (Some(func), Some(fargs)) = (func, fargs) else { unreachable!("at_most checked two arguments") };
    let callable =
        crate::types::type_data_of(&func).slots.get().call.is_some() || func.downcast::<crate::function::FunctionData>().is_some();
    if !callable {
        return Err(vm.type_error("first arg must be callable"));
    }
    let Some(items) = fargs.downcast::<TupleData>().map(|t| t.items.to_vec()) else {
        return Err(vm.type_error("2nd arg must be a tuple"));
    };
    let kwargs = match fkw {
        Some(d) if d.downcast::<builtin::DictData>().is_some() => builtin::dict_items(&d),
        Some(_) => return Err(vm.type_error("optional 3rd arg must be a dictionary")),
        None => Vec::new(),
    };
    let st = vm.state::<ThreadModState>();
    let stack = match st.stack_size.get() {
        0 => DEFAULT_STACK,
        n => n,
    };
    st.count.set(st.count.get() + 1);
    match crate::object::gil::spawn(vm, stack, (func, items, kwargs), thread_main) {
        Ok(ident) => Ok(int_u64(vm, ident)),
        Err(_) => {
            st.count.set(st.count.get() - 1);
            Err(vm.new_error(&vm.types.runtime_error, "can't start new thread"))
        }
    }
}

/// The body of a thread started by `start_new_thread` (CPython's
/// `thread_run`).
fn thread_main(vm: &Vm, (func, args, kwargs): (Obj, Vec<Obj>, Vec<(Obj, Obj)>)) {
    let r = call_object_kw(vm, &func, &args, &kwargs);
    drop(args);
    drop(kwargs);
    if let Err(e) = r {
        if !is_subtype(&type_of(&e.exc), &vm.types.system_exit) {
            crate::gc::report_unraisable_msg(vm, e, Some("in thread started by"), Some(&func));
        }
    }
    drop(func);
    thread_cleanup(vm, thread_serial());
    let st = vm.state::<ThreadModState>();
    st.count.set(st.count.get().saturating_sub(1));
}

/// Starts an OS thread outside `threading`'s bookkeeping, the way a C
/// extension's own thread enters the interpreter (`PyGILState_Ensure`):
/// it takes the GIL, runs `body(vm, payload)` with a fresh thread state,
/// drops what the thread kept in `_thread._local` objects, releases the
/// GIL and ends. It is not counted by `_count()`. Returns its ident.
pub fn start_foreign_thread<T: 'static>(vm: &Vm, payload: T, body: fn(&Vm, T)) -> std::io::Result<u64> {
    fn main<T>(vm: &Vm, (body, payload): (fn(&Vm, T), T)) {
        body(vm, payload);
        thread_cleanup(vm, thread_serial());
    }
    crate::object::gil::spawn(vm, DEFAULT_STACK, (body, payload), main::<T>)
}

fn int_u64(vm: &Vm, v: u64) -> Obj {
    match i64::try_from(v) {
        Ok(i) => vm.int(i),
        Err(_) => builtin::new_int_big(vm, num_bigint::BigInt::from(v)),
    }
}

// ---------------------------------------------------------------------
// lock

/// `_thread.lock`.
pub struct LockData {
    raw: Arc<RawLock>,
}

fn lock_type(vm: &Vm) -> Obj {
    vm.native_type("_thread.lock", |vm| {
        let slots = Slots {
            repr: Some(lock_repr),
            new: Some(|vm, _, _, _| Err(vm.type_error("cannot create '_thread.lock' instances"))),
            ..Slots::default()
        };
        // gc: weak references need the collector's head (no objects inside).
        let t = new_type::<LockData>(vm, "_thread.lock", &[], true, slots, LOCK_METHODS, &[]);
        type_data(&t).weakrefable.set(true);
        t
    })
}

fn new_lock(vm: &Vm) -> Obj {
    alloc(lock_type(vm), LockData { raw: Arc::new(RawLock::default()) })
}

fn lock_of<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a LockData> {
    o.downcast::<LockData>()
        .ok_or_else(|| vm.type_error(format!("descriptor requires a '_thread.lock' object but received '{}'", type_name(o))))
}

fn lock_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let l = lock_of(vm, o)?;
    let state = if l.raw.is_locked() { "locked" } else { "unlocked" };
    Ok(new_str(vm, &format!("<{state} {} object at {:#x}>", type_name(o), o.as_ptr() as usize)))
}

fn lock_acquire(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let l = lock_of(vm, this)?;
    let wait = acquire_args(vm, args, kw)?;
    Ok(vm.bool(acquire_raw(vm, &l.raw, wait)))
}

fn lock_release(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let l = lock_of(vm, this)?;
    if !args.is_empty() || !kw.is_empty() {
        // `__exit__(*args)` ignores its arguments; `release()` takes none.
    }
    if l.raw.release() {
        Ok(vm.none.clone())
    } else {
        Err(vm.new_error(&vm.types.runtime_error, "release unlocked lock"))
    }
}

fn lock_release_noargs(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "release", args, kw)?;
    lock_release(vm, this, &[], &[])
}

fn lock_locked(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "locked", args, kw)?;
    Ok(vm.bool(lock_of(vm, this)?.raw.is_locked()))
}

/// `_at_fork_reinit()`: the lock starts over unlocked.
fn lock_at_fork_reinit(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_at_fork_reinit", args, kw)?;
    let l = lock_of(vm, this)?;
    *l.raw.state() = false;
    Ok(vm.none.clone())
}

static LOCK_METHODS: &[MethodDef] = &[
    MethodDef::method("acquire", lock_acquire, "Lock the lock."),
    MethodDef::method("acquire_lock", lock_acquire, "An obsolete synonym of acquire()."),
    MethodDef::method("__enter__", lock_acquire, "Lock the lock."),
    MethodDef::method(
        "release",
        lock_release_noargs,
        "Release the lock, allowing another thread that is blocked waiting for\nthe lock to acquire the lock.",
    ),
    MethodDef::method("release_lock", lock_release_noargs, "An obsolete synonym of release()."),
    MethodDef::method("__exit__", lock_release, "Release the lock."),
    MethodDef::method("locked", lock_locked, "Return whether the lock is in the locked state."),
    MethodDef::method("locked_lock", lock_locked, "An obsolete synonym of locked()."),
    MethodDef::method("_at_fork_reinit", lock_at_fork_reinit, ""),
];

// ---------------------------------------------------------------------
// RLock

/// `_thread.RLock`: owned by one thread (its `get_ident`), recursive.
pub struct RLockData {
    raw: Arc<RawLock>,
    owner: Cell<u64>,
    count: Cell<u64>,
}

fn rlock_type(vm: &Vm) -> Obj {
    vm.native_type("_thread.RLock", |vm| {
        let slots = Slots { repr: Some(rlock_repr), new: Some(rlock_new), ..Slots::default() };
        let t = new_type::<RLockData>(vm, "_thread.RLock", &[], true, slots, RLOCK_METHODS, &[]);
        type_data(&t).weakrefable.set(true);
        t
    })
}

fn rlock_new(_vm: &Vm, cls: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    Ok(alloc(cls.clone(), RLockData { raw: Arc::new(RawLock::default()), owner: Cell::new(0), count: Cell::new(0) }))
}

fn rlock_of<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a RLockData> {
    o.downcast::<RLockData>()
        .ok_or_else(|| vm.type_error(format!("descriptor requires a '_thread.RLock' object but received '{}'", type_name(o))))
}

fn rlock_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let l = rlock_of(vm, o)?;
    let state = if l.count.get() > 0 { "locked" } else { "unlocked" };
    let name = type_name(o);
    Ok(new_str(vm, &format!("<{state} {name} object owner={} count={} at {:#x}>", l.owner.get(), l.count.get(), o.as_ptr() as usize)))
}

fn rlock_acquire(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let l = rlock_of(vm, this)?;
    let wait = acquire_args(vm, args, kw)?;
    let me = crate::object::thread_ident();
    if l.count.get() > 0 && l.owner.get() == me {
        let Some(c) = l.count.get().checked_add(1) else {
            return Err(vm.new_error(&vm.types.overflow_error, "Internal lock count overflowed"));
        };
        l.count.set(c);
        return Ok(vm.true_.clone());
    }
    if !acquire_raw(vm, &l.raw, wait) {
        return Ok(vm.false_.clone());
    }
    l.owner.set(me);
    l.count.set(1);
    Ok(vm.true_.clone())
}

fn rlock_release(vm: &Vm, this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let l = rlock_of(vm, this)?;
    if l.count.get() == 0 || l.owner.get() != crate::object::thread_ident() {
        return Err(vm.new_error(&vm.types.runtime_error, "cannot release un-acquired lock"));
    }
    l.count.set(l.count.get() - 1);
    if l.count.get() == 0 {
        l.owner.set(0);
        l.raw.release();
    }
    Ok(vm.none.clone())
}

fn rlock_release_noargs(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "release", args, kw)?;
    rlock_release(vm, this, &[], &[])
}

fn rlock_is_owned(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_is_owned", args, kw)?;
    let l = rlock_of(vm, this)?;
    Ok(vm.bool(l.count.get() > 0 && l.owner.get() == crate::object::thread_ident()))
}

/// `_release_save()`: releases completely; returns `(count, owner)`.
fn rlock_release_save(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_release_save", args, kw)?;
    let l = rlock_of(vm, this)?;
    if l.count.get() == 0 {
        return Err(vm.new_error(&vm.types.runtime_error, "cannot release un-acquired lock"));
    }
    let saved = new_tuple(vm, vec![int_u64(vm, l.count.get()), int_u64(vm, l.owner.get())]);
    l.count.set(0);
    l.owner.set(0);
    l.raw.release();
    Ok(saved)
}

/// `_acquire_restore((count, owner))`: takes the lock back as saved.
fn rlock_acquire_restore(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [state] = exact::<1>(vm, "_acquire_restore", args, kw)?;
    let l = rlock_of(vm, this)?;
    let items = match state.downcast::<TupleData>() {
        Some(t) if t.items.len() == 2 => t.items.to_vec(),
        _ => return Err(vm.type_error("_acquire_restore() argument 1 must be tuple")),
    };
    let as_u64 = |o: &Obj| -> PyResult<u64> {
        match crate::ops::index(vm, o)?.downcast::<IntData>() {
            Some(IntData::Small(v)) if *v >= 0 => Ok(*v as u64),
            Some(IntData::Big(b)) => {
                u64::try_from(b).map_err(|_| vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C unsigned long"))
            }
            _ => Err(vm.new_error(&vm.types.overflow_error, "can't convert negative value to unsigned int")),
        }
    };
    let (count, owner) = (as_u64(&items[0])?, as_u64(&items[1])?);
    acquire_raw(vm, &l.raw, Wait::Forever);
    l.owner.set(owner);
    l.count.set(count);
    Ok(vm.none.clone())
}

fn rlock_recursion_count(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_recursion_count", args, kw)?;
    let l = rlock_of(vm, this)?;
    let mine = l.owner.get() == crate::object::thread_ident();
    Ok(int_u64(vm, if mine { l.count.get() } else { 0 }))
}

fn rlock_at_fork_reinit(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_at_fork_reinit", args, kw)?;
    let l = rlock_of(vm, this)?;
    *l.raw.state() = false;
    l.owner.set(0);
    l.count.set(0);
    Ok(vm.none.clone())
}

static RLOCK_METHODS: &[MethodDef] = &[
    MethodDef::method("acquire", rlock_acquire, "Lock the lock."),
    MethodDef::method("__enter__", rlock_acquire, "Lock the lock."),
    MethodDef::method("release", rlock_release_noargs, "Release the lock."),
    MethodDef::method("__exit__", rlock_release, "Release the lock."),
    MethodDef::method("_is_owned", rlock_is_owned, "For internal use by `threading.Condition`."),
    MethodDef::method("_release_save", rlock_release_save, "For internal use by `threading.Condition`."),
    MethodDef::method("_acquire_restore", rlock_acquire_restore, "For internal use by `threading.Condition`."),
    MethodDef::method("_recursion_count", rlock_recursion_count, "For internal use by reentrancy checks."),
    MethodDef::method("_at_fork_reinit", rlock_at_fork_reinit, "For internal usage by the os module."),
];

// ---------------------------------------------------------------------
// _local

/// The positional and keyword arguments a `_local` was created with.
type InitArgs = (Vec<Obj>, Vec<(Obj, Obj)>);

/// `_thread._local`: one `__dict__` per thread (by `thread_serial`); a
/// thread's first access runs the class's `__init__` with the arguments
/// the object was created with.
pub struct LocalData {
    dicts: RefCell<HashMap<u64, Obj>>,
    args: RefCell<InitArgs>,
}

fn local_type(vm: &Vm) -> Obj {
    vm.native_type("_thread._local", |vm| {
        let slots = Slots {
            new: Some(local_new),
            getattro: Some(local_getattro),
            setattro: Some(local_setattro),
            traverse: Some(local_traverse),
            clear: Some(local_clear),
            ..Slots::default()
        };
        let t = new_type::<LocalData>(vm, "_thread._local", &[], true, slots, &[], &[]);
        type_data(&t).weakrefable.set(true);
        t
    })
}

fn has_own_init(vm: &Vm, cls: &Obj) -> bool {
    match (lookup(cls, "__init__"), lookup(&vm.types.object, "__init__")) {
        (Some(a), Some(b)) => !a.is(&b),
        _ => false,
    }
}

fn local_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if (!args.is_empty() || !kw.is_empty()) && !has_own_init(vm, cls) {
        return Err(vm.type_error("Initialization arguments are not supported"));
    }
    let o = alloc(cls.clone(), LocalData { dicts: RefCell::new(HashMap::new()), args: RefCell::new((args.to_vec(), kw.to_vec())) });
    // The creating thread's dict; `type.__call__` runs `__init__` next.
    local_add_dict(vm, &o)?;
    Ok(o)
}

/// A new dict for the calling thread in `o` (registered for cleanup when
/// the thread ends).
fn local_add_dict(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let Some(d) = o.downcast::<LocalData>() else { return Err(vm.type_error("not a _thread._local object")) };
    let dict = builtin::new_dict(vm);
    let me = thread_serial();
    let w = crate::weakref::new_ref(vm, o)?;
    d.dicts.borrow_mut().insert(me, dict.clone());
    vm.state::<ThreadModState>().threads.borrow_mut().entry(me).or_default().locals.push(w);
    Ok(dict)
}

/// The calling thread's dict of `o`, created (and `__init__` run) on
/// first use.
fn local_dict(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let Some(d) = o.downcast::<LocalData>() else { return Err(vm.type_error("not a _thread._local object")) };
    if let Some(x) = d.dicts.borrow().get(&thread_serial()) {
        return Ok(x.clone());
    }
    let dict = local_add_dict(vm, o)?;
    let cls = type_of(o);
    if has_own_init(vm, &cls) {
        if let Some(init) = lookup(&cls, "__init__") {
            let (mut args, kw) = d.args.borrow().clone();
            args.insert(0, o.clone());
            if let Err(e) = call_object_kw(vm, &init, &args, &kw) {
                d.dicts.borrow_mut().remove(&thread_serial());
                return Err(e);
            }
        }
    }
    Ok(dict)
}

fn local_getattro(vm: &Vm, o: &Obj, name: &Obj) -> PyResult<Obj> {
    let dict = local_dict(vm, o)?;
    if str_data(name).as_str() == "__dict__" {
        return Ok(dict);
    }
    match generic_getattr_with_dict(vm, o, name, Some(&dict))? {
        Some(v) => Ok(v),
        None => Err(no_attribute(vm, o, name)),
    }
}

fn local_setattro(vm: &Vm, o: &Obj, name: &Obj, value: Option<Obj>) -> PyResult<()> {
    if str_data(name).as_str() == "__dict__" {
        return Err(vm.new_error(&vm.types.attribute_error, format!("'{}' object attribute '__dict__' is read-only", type_name(o))));
    }
    let dict = local_dict(vm, o)?;
    generic_setattr_with_dict(vm, o, name, value, Some(&dict))
}

fn local_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(d) = o.downcast::<LocalData>() {
        if let Ok(dicts) = d.dicts.try_borrow() {
            dicts.values().for_each(&mut *visit);
        }
        if let Ok(a) = d.args.try_borrow() {
            a.0.iter().for_each(&mut *visit);
            for (k, v) in &a.1 {
                visit(k);
                visit(v);
            }
        }
    }
}

fn local_clear(o: &Obj) {
    if let Some(d) = o.downcast::<LocalData>() {
        let dicts = d.dicts.try_borrow_mut().map(|mut m| std::mem::take(&mut *m));
        let args = d.args.try_borrow_mut().map(|mut a| std::mem::take(&mut *a));
        drop((dicts, args));
    }
}

// ---------------------------------------------------------------------
// _ExceptHookArgs and _excepthook

static HOOK_ARGS: crate::types::structseq::StructSeqDesc = crate::types::structseq::StructSeqDesc {
    name: "_thread._ExceptHookArgs",
    doc: "ExceptHookArgs\n\nType used to pass arguments to threading.excepthook.",
    fields: &["exc_type", "exc_value", "exc_traceback", "thread"],
    n_in_sequence: 4,
};

/// `_thread._ExceptHookArgs`: a struct sequence of 4 fields.
fn hook_args_type(vm: &Vm) -> Obj {
    vm.native_type("_thread._ExceptHookArgs", |vm| crate::types::structseq::new_structseq_type(vm, &HOOK_ARGS))
}

fn hook_field(vm: &Vm, o: &Obj, i: usize) -> Obj {
    crate::types::structseq::structseq_field(o, i).unwrap_or_else(|| vm.none.clone())
}

/// Writes `text` to `file` (its `write` method), or to the process's
/// stderr when `file` is None.
fn write_to(vm: &Vm, file: Option<&Obj>, text: &str) -> PyResult<()> {
    match file {
        Some(f) => {
            let w = crate::classes::getattr(vm, f, &vm.intern("write"))?;
            crate::classes::call_object(vm, &w, &[new_str(vm, text)])?;
            Ok(())
        }
        None => {
            eprint!("{text}");
            Ok(())
        }
    }
}

fn flush(vm: &Vm, file: Option<&Obj>) {
    if let Some(f) = file {
        if let Ok(fl) = crate::classes::getattr(vm, f, &vm.intern("flush")) {
            let _ = crate::classes::call_object(vm, &fl, &[]);
        }
    }
}

/// `_thread._excepthook(args)`: the default `threading.excepthook`:
/// "Exception in thread NAME:" and the traceback, on `sys.stderr`.
fn excepthook(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [a] = exact::<1>(vm, "_excepthook", args, kw)?;
    if !type_of(&a).is(&hook_args_type(vm)) {
        return Err(vm.type_error("_thread.excepthook argument type must be ExceptHookArgs"));
    }
    let (exc_type, exc_value, thread) = (hook_field(vm, &a, 0), hook_field(vm, &a, 1), hook_field(vm, &a, 3));
    if exc_type.is(&vm.types.system_exit) {
        return Ok(vm.none.clone());
    }
    // sys.stderr, else the thread's saved `_stderr`; the process's stderr
    // while `sys` has none.
    let sys = builtin::dict_get_str(vm, &vm.modules, "sys")?;
    let sys_stderr = match &sys {
        Some(s) => crate::classes::getattr_opt(vm, s, &vm.intern("stderr"))?,
        None => None,
    };
    let file = match sys_stderr {
        Some(f) if !f.is(&vm.none) => Some(f),
        Some(_) if !thread.is(&vm.none) => match crate::classes::getattr_opt(vm, &thread, &vm.intern("_stderr"))? {
            Some(f) if !f.is(&vm.none) => Some(f),
            _ => return Ok(vm.none.clone()),
        },
        Some(_) => return Ok(vm.none.clone()),
        None => None,
    };
    let name = if thread.is(&vm.none) { None } else { crate::classes::getattr_opt(vm, &thread, &vm.intern("name"))? };
    let name = match name {
        Some(n) => str_data(&crate::ops::str(vm, &n)?).as_str().into_owned(),
        None => crate::object::thread_ident().to_string(),
    };
    write_to(vm, file.as_ref(), &format!("Exception in thread {name}:\n"))?;
    flush(vm, file.as_ref());
    if !exc_value.is(&vm.none) {
        write_to(vm, file.as_ref(), &crate::traceback::format_exception(vm, &exc_value))?;
    }
    flush(vm, file.as_ref());
    Ok(vm.none.clone())
}

// ---------------------------------------------------------------------
// Module functions

fn get_ident(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "get_ident", args, kw)?;
    Ok(int_u64(vm, crate::object::thread_ident()))
}

fn get_native_id(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "get_native_id", args, kw)?;
    Ok(int_u64(vm, crate::object::native_thread_id()))
}

fn allocate_lock(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_thread.allocate_lock", args, kw)?;
    Ok(new_lock(vm))
}

fn count(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_count", args, kw)?;
    Ok(vm.int(vm.state::<ThreadModState>().count.get() as i64))
}

fn stack_size(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [size] = at_most::<1>(vm, "stack_size", 0, args, kw)?;
    let st = vm.state::<ThreadModState>();
    let old = st.stack_size.get();
    if let Some(s) = size {
        let n = builtin::expect_int(vm, &s, "")?;
        if n < 0 {
            return Err(vm.new_error(&vm.types.value_error, "size must be 0 or a positive value"));
        }
        if n != 0 && n < MIN_STACK {
            return Err(vm.new_error(&vm.types.value_error, format!("size not valid: {n} bytes")));
        }
        st.stack_size.set(n as usize);
    }
    Ok(vm.int(old as i64))
}

/// `_set_sentinel()`: a lock released when the calling thread ends.
fn set_sentinel(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_set_sentinel", args, kw)?;
    let lock = new_lock(vm);
    if let Some(l) = lock.downcast::<LockData>() {
        let st = vm.state::<ThreadModState>();
        st.threads.borrow_mut().entry(thread_serial()).or_default().sentinels.push(l.raw.clone());
    }
    Ok(lock)
}

fn exit_thread(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "exit", args, kw)?;
    Err(crate::PyErr { exc: builtin::new_exception(vm, &vm.types.system_exit, Vec::new()) })
}

/// `interrupt_main(signum=SIGINT)`: simulates the signal's arrival in the
/// main thread (its Python handler runs there; by default SIGINT raises
/// KeyboardInterrupt).
fn interrupt_main(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [signum] = at_most::<1>(vm, "interrupt_main", 0, args, kw)?;
    let n = match signum {
        Some(s) => builtin::expect_int(vm, &s, "")?,
        None => 2,
    };
    if !(1..65).contains(&n) {
        return Err(vm.new_error(&vm.types.value_error, "signal number out of range"));
    }
    if crate::signals::trip(n as i32) {
        // Its handler runs in the main thread: let it have the GIL soon.
        vm.gil.request_main_thread(false);
    } else if n == 2 {
        // No signal module: KeyboardInterrupt, as the default handler.
        vm.gil.request_main_thread(true);
    }
    Ok(vm.none.clone())
}

static FUNCTIONS: &[FunctionDef] = &[
    FunctionDef::new("start_new_thread", start_new_thread, "Start a new thread and return its identifier."),
    FunctionDef::new("start_new", start_new_thread, "An obsolete synonym of start_new_thread()."),
    FunctionDef::new("allocate_lock", allocate_lock, "Create a new lock object."),
    FunctionDef::new("allocate", allocate_lock, "An obsolete synonym of allocate_lock()."),
    FunctionDef::new(
        "get_ident",
        get_ident,
        "Return a non-zero integer that uniquely identifies the current thread\namongst other threads that exist simultaneously.",
    ),
    FunctionDef::new(
        "get_native_id",
        get_native_id,
        "Return a non-negative integer identifying the thread as reported\nby the OS (kernel).",
    ),
    FunctionDef::new("_count", count, "Return the number of currently running Python threads, excluding\nthe main thread."),
    FunctionDef::new("stack_size", stack_size, "Return the thread stack size used when creating new threads."),
    FunctionDef::new(
        "_set_sentinel",
        set_sentinel,
        "Set a sentinel lock that will be released when the current thread\nstate is finalized.",
    ),
    FunctionDef::new("exit", exit_thread, "This is synonymous to ``raise SystemExit''."),
    FunctionDef::new("exit_thread", exit_thread, "An obsolete synonym of exit()."),
    FunctionDef::new(
        "interrupt_main",
        interrupt_main,
        "Simulate the arrival of the given signal in the main thread,\nwhere the corresponding signal handler will be executed.",
    ),
    FunctionDef::new("_excepthook", excepthook, "Handle uncaught Thread.run() exception."),
];

/// Fills the `_thread` module.
pub(crate) fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    crate::modules::add_functions(vm, m, FUNCTIONS)?;
    let lock = lock_type(vm);
    crate::modules::add_attr(vm, m, "LockType", lock)?;
    crate::modules::add_attr(vm, m, "RLock", rlock_type(vm))?;
    crate::modules::add_attr(vm, m, "_local", local_type(vm))?;
    crate::modules::add_attr(vm, m, "_ExceptHookArgs", hook_args_type(vm))?;
    crate::modules::add_attr(vm, m, "TIMEOUT_MAX", alloc(vm.types.float.clone(), TIMEOUT_MAX))?;
    crate::modules::add_attr(vm, m, "error", vm.types.runtime_error.clone())?;
    crate::modules::add_attr(vm, m, "__doc__", new_str(vm, "This module provides primitive operations to write multi-threaded programs.\nThe 'threading' module provides a more convenient interface."))?;
    Ok(())
}
