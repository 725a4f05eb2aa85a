//! `_multiprocessing` on POSIX: `SemLock` (a named POSIX semaphore used
//! as a lock, recursive lock or semaphore by `multiprocessing.synchronize`,
//! shared with forked children), `sem_unlink` and `flags`.
//!
//! # Safety
//!
//! A `SemLock` holds the `sem_t*` that `sem_open` returned (never
//! `SEM_FAILED`), as an address, until it is freed, when `sem_close` runs
//! once. The semaphore lives in a shared mapping made by `sem_open`, so
//! the address stays valid in children made by `fork` (as in CPython).
//! Waiting calls run without the GIL on that address only; names are
//! NUL-terminated `CString`s; out-parameters are local integers/timespecs.

use std::cell::Cell;
use std::ffi::CString;

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{bind, exact, FunctionDef, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{dict_set, new_dict, new_str, str_data, StrData};
use taipan_vm::types::{Kwargs, Slots};
use taipan_vm::{PyResult, Vm};

const RECURSIVE_MUTEX: i64 = 0;
const SEMAPHORE: i64 = 1;

static FUNCTIONS: &[FunctionDef] = &[FunctionDef::new("sem_unlink", sem_unlink, "")];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCTIONS)?;
    let flags = new_dict(vm);
    dict_set(vm, &flags, new_str(vm, "HAVE_SEM_OPEN"), vm.int(1))?;
    dict_set(vm, &flags, new_str(vm, "HAVE_SEM_TIMEDWAIT"), vm.int(1))?;
    add_attr(vm, m, "flags", flags)?;
    add_attr(vm, m, "SemLock", semlock_type(vm))?;
    Ok(())
}

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO)
}

fn os_err(vm: &Vm, e: i32) -> taipan_vm::PyErr {
    crate::posix::os_error(vm, e, None, None)
}

fn this_thread() -> u64 {
    // SAFETY: pthread_self has no preconditions.
    unsafe { libc::pthread_self() as u64 }
}

/// A `_multiprocessing.SemLock`.
pub struct SemLockData {
    handle: usize,
    kind: i64,
    maxvalue: i64,
    name: Option<String>,
    /// Acquisitions by `owner` not yet released.
    count: Cell<i64>,
    owner: Cell<u64>,
}

impl Drop for SemLockData {
    fn drop(&mut self) {
        if self.handle != 0 {
            // SAFETY: the handle came from sem_open and is closed once.
            unsafe { libc::sem_close(self.handle as *mut libc::sem_t) };
        }
    }
}

static METHODS: &[MethodDef] = &[
    MethodDef::method("acquire", sl_acquire, "Acquire the semaphore/lock."),
    MethodDef::method("release", sl_release, "Release the semaphore/lock."),
    MethodDef::method("__enter__", sl_acquire, "Enter the semaphore/lock."),
    MethodDef::method("__exit__", sl_exit, "Exit the semaphore/lock."),
    MethodDef::method("_count", sl_count, "Num of `acquire()`s minus num of `release()`s for this process."),
    MethodDef::method("_is_mine", sl_is_mine, "Whether the lock is owned by this thread."),
    MethodDef::method("_get_value", sl_get_value, "Get the value of the semaphore."),
    MethodDef::method("_is_zero", sl_is_zero, "Return whether semaphore has value zero."),
    MethodDef::method("_after_fork", sl_after_fork, "Rezero the net acquisition count after fork()."),
    MethodDef::class("_rebuild", sl_rebuild, ""),
];

static GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("handle", |vm, o| Ok(vm.int(data(vm, o)?.handle as i64)), ""),
    GetSetDef::readonly("kind", |vm, o| Ok(vm.int(data(vm, o)?.kind)), ""),
    GetSetDef::readonly("maxvalue", |vm, o| Ok(vm.int(data(vm, o)?.maxvalue)), ""),
    GetSetDef::readonly("name", |vm, o| Ok(data(vm, o)?.name.as_deref().map(|n| new_str(vm, n)).unwrap_or_else(|| vm.none.clone())), ""),
];

fn semlock_type(vm: &Vm) -> Obj {
    vm.native_type("_multiprocessing.SemLock", |vm| {
        let slots = Slots { new: Some(sl_new), ..Slots::default() };
        let ty = taipan_vm::native::new_type::<SemLockData>(vm, "_multiprocessing.SemLock", &[], false, slots, METHODS, GETSETS);
        taipan_vm::types::type_data(&ty).dict.borrow_mut().insert("SEM_VALUE_MAX", vm.int(i32::MAX as i64));
        taipan_vm::types::type_modified(&ty);
        ty
    })
}

fn data<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a SemLockData> {
    o.downcast::<SemLockData>().ok_or_else(|| vm.type_error("SemLock expected"))
}

fn name_arg(vm: &Vm, o: &Obj) -> PyResult<CString> {
    match o.downcast::<StrData>() {
        Some(s) => CString::new(s.as_str().as_bytes()).map_err(|_| vm.new_error(&vm.types.value_error, "embedded null character")),
        None => Err(vm.type_error(format!("argument 'name' must be str, not {}", taipan_vm::types::builtin::type_name(o)))),
    }
}

fn sl_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params =
        Params { fname: "SemLock", names: &["kind", "value", "maxvalue", "name", "unlink"], posonly: 0, kwonly: 0, required: 5 };
    let [kind, value, maxvalue, name, unlink] = bind::<5>(vm, &P, args, kw)?;
    let none = vm.none.clone();
    let kind = crate::posix::int_arg(vm, kind.as_ref().unwrap_or(&none))?;
    let value = crate::posix::c_int_arg(vm, value.as_ref().unwrap_or(&none))?;
    let maxvalue = crate::posix::int_arg(vm, maxvalue.as_ref().unwrap_or(&none))?;
    let name_obj = name.unwrap_or(none.clone());
    let unlink = taipan_vm::ops::truth(vm, unlink.as_ref().unwrap_or(&none))?;
    if kind != RECURSIVE_MUTEX && kind != SEMAPHORE {
        return Err(vm.new_error(&vm.types.value_error, "unrecognized kind"));
    }
    let cname = name_arg(vm, &name_obj)?;
    // SAFETY: `cname` is NUL-terminated; mode and value are plain integers.
    let h = unsafe { libc::sem_open(cname.as_ptr(), libc::O_CREAT | libc::O_EXCL, 0o600 as libc::c_uint, value as libc::c_uint) };
    if h.is_null() {
        return Err(os_err(vm, errno()));
    }
    if unlink {
        // SAFETY: `cname` is NUL-terminated.
        if unsafe { libc::sem_unlink(cname.as_ptr()) } < 0 {
            let e = errno();
            // SAFETY: `h` came from sem_open just now.
            unsafe { libc::sem_close(h) };
            return Err(os_err(vm, e));
        }
    }
    let name = (!unlink).then(|| str_data(&name_obj).as_str().into_owned());
    Ok(alloc(cls.clone(), SemLockData { handle: h as usize, kind, maxvalue, name, count: Cell::new(0), owner: Cell::new(0) }))
}

fn sl_rebuild(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [handle, kind, maxvalue, name] = exact::<4>(vm, "_rebuild", args, kw)?;
    let mut handle = crate::posix::int_arg(vm, &handle)? as usize;
    let kind = crate::posix::int_arg(vm, &kind)?;
    let maxvalue = crate::posix::int_arg(vm, &maxvalue)?;
    let name = if name.is(&vm.none) {
        None
    } else {
        let cname = name_arg(vm, &name)?;
        // SAFETY: `cname` is NUL-terminated.
        let h = unsafe { libc::sem_open(cname.as_ptr(), 0) };
        if h.is_null() {
            return Err(os_err(vm, errno()));
        }
        handle = h as usize;
        Some(str_data(&name).as_str().into_owned())
    };
    Ok(alloc(cls.clone(), SemLockData { handle, kind, maxvalue, name, count: Cell::new(0), owner: Cell::new(0) }))
}

fn is_mine(d: &SemLockData) -> bool {
    d.count.get() > 0 && d.owner.get() == this_thread()
}

fn sl_acquire(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "acquire", names: &["block", "timeout"], posonly: 0, kwonly: 0, required: 0 };
    let [block, timeout] = bind::<2>(vm, &P, args, kw)?;
    let d = data(vm, this)?;
    let block = match &block {
        Some(b) => taipan_vm::ops::truth(vm, b)?,
        None => true,
    };
    if d.kind == RECURSIVE_MUTEX && is_mine(d) {
        d.count.set(d.count.get() + 1);
        return Ok(vm.bool(true));
    }
    let timeout = match timeout.filter(|t| !t.is(&vm.none)) {
        Some(t) => {
            let secs = match t.downcast::<f64>() {
                Some(f) => *f,
                None => crate::posix::int_arg(vm, &t)? as f64,
            };
            Some(secs.max(0.0))
        }
        None => None,
    };
    let sem = d.handle;
    // First a non-blocking attempt, as CPython does.
    // SAFETY: `sem` is a live semaphore (see the module's Safety section).
    let mut ok = unsafe { libc::sem_trywait(sem as *mut libc::sem_t) } == 0;
    if !ok {
        let e = errno();
        if e != libc::EAGAIN && e != libc::EINTR {
            return Err(os_err(vm, e));
        }
        if block {
            let deadline = timeout.map(|t| {
                let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
                // SAFETY: `now` is a writable timespec.
                unsafe { libc::clock_gettime(libc::CLOCK_REALTIME, &mut now) };
                let total = now.tv_nsec as f64 / 1e9 + t;
                let whole = total.floor();
                libc::timespec { tv_sec: now.tv_sec + whole as libc::time_t, tv_nsec: ((total - whole) * 1e9) as libc::c_long }
            });
            loop {
                let r = vm.allow_threads(move || {
                    let p = sem as *mut libc::sem_t;
                    // SAFETY: `p` is a live semaphore; `dl` a valid timespec.
                    let r = unsafe {
                        match &deadline {
                            Some(dl) => libc::sem_timedwait(p, dl),
                            None => libc::sem_wait(p),
                        }
                    };
                    if r == 0 {
                        0
                    } else {
                        errno()
                    }
                });
                match r {
                    0 => {
                        ok = true;
                        break;
                    }
                    libc::EINTR => taipan_vm::signals::run_pending(vm)?,
                    libc::ETIMEDOUT => break,
                    e => return Err(os_err(vm, e)),
                }
            }
        }
    }
    if !ok {
        return Ok(vm.bool(false));
    }
    d.count.set(d.count.get() + 1);
    d.owner.set(this_thread());
    Ok(vm.bool(true))
}

fn sem_value(vm: &Vm, d: &SemLockData) -> PyResult<i32> {
    let mut v: libc::c_int = 0;
    // SAFETY: a live semaphore and a writable int.
    if unsafe { libc::sem_getvalue(d.handle as *mut libc::sem_t, &mut v) } < 0 {
        return Err(os_err(vm, errno()));
    }
    Ok(v.max(0))
}

fn sl_release(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "release", args, kw)?;
    let d = data(vm, this)?;
    if d.kind == RECURSIVE_MUTEX {
        if !is_mine(d) {
            return Err(vm.new_error(&vm.types.assertion_error, "attempt to release recursive lock not owned by thread"));
        }
        if d.count.get() > 1 {
            d.count.set(d.count.get() - 1);
            return Ok(vm.none.clone());
        }
    } else if sem_value(vm, d)? as i64 >= d.maxvalue {
        return Err(vm.new_error(&vm.types.value_error, "semaphore or lock released too many times"));
    }
    // SAFETY: a live semaphore.
    if unsafe { libc::sem_post(d.handle as *mut libc::sem_t) } < 0 {
        return Err(os_err(vm, errno()));
    }
    d.count.set(d.count.get() - 1);
    Ok(vm.none.clone())
}

fn sl_exit(vm: &Vm, this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    sl_release(vm, this, &[], &[])
}

fn sl_count(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_count", args, kw)?;
    Ok(vm.int(data(vm, this)?.count.get()))
}

fn sl_is_mine(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_is_mine", args, kw)?;
    Ok(vm.bool(is_mine(data(vm, this)?)))
}

fn sl_get_value(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_get_value", args, kw)?;
    Ok(vm.int(sem_value(vm, data(vm, this)?)? as i64))
}

fn sl_is_zero(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_is_zero", args, kw)?;
    Ok(vm.bool(sem_value(vm, data(vm, this)?)? == 0))
}

fn sl_after_fork(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_after_fork", args, kw)?;
    data(vm, this)?.count.set(0);
    Ok(vm.none.clone())
}

fn sem_unlink(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name] = exact::<1>(vm, "sem_unlink", args, kw)?;
    let cname = name_arg(vm, &name)?;
    // SAFETY: `cname` is NUL-terminated.
    if unsafe { libc::sem_unlink(cname.as_ptr()) } < 0 {
        return Err(os_err(vm, errno()));
    }
    Ok(vm.none.clone())
}
