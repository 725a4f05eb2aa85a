//! The `select` module: `select()` (implemented with `poll(2)`, so
//! descriptors above `FD_SETSIZE` work too) and `poll` objects
//! (`register`/`modify`/`unregister`/`poll`), with the `POLL*` constants.
//! A call interrupted by a signal runs the signal's handler and resumes
//! with the remaining timeout, as CPython does (PEP 475).
//!
//! # Safety
//!
//! `poll(2)` gets a pointer to a local `Vec<pollfd>` and its true length.

use std::cell::RefCell;

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{at_most, exact, FunctionDef, MethodDef};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{self, new_list, new_tuple, type_name, IntData};
use taipan_vm::types::{Kwargs, Slots};
use taipan_vm::{PyErr, PyResult, Vm};

static FUNCTIONS: &[FunctionDef] = &[
    FunctionDef::new("select", select_select, "Wait until one or more file descriptors are ready for some kind of I/O."),
    FunctionDef::new("poll", select_poll, "Returns a polling object."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCTIONS)?;
    add_attr(vm, m, "error", vm.types.os_error.clone())?;
    for (name, v) in [
        ("POLLIN", libc::POLLIN),
        ("POLLPRI", libc::POLLPRI),
        ("POLLOUT", libc::POLLOUT),
        ("POLLERR", libc::POLLERR),
        ("POLLHUP", libc::POLLHUP),
        ("POLLNVAL", libc::POLLNVAL),
        ("POLLRDNORM", libc::POLLRDNORM),
        ("POLLRDBAND", libc::POLLRDBAND),
        ("POLLWRNORM", libc::POLLWRNORM),
        ("POLLWRBAND", libc::POLLWRBAND),
        ("POLLMSG", 0x400),
        ("POLLRDHUP", libc::POLLRDHUP),
    ] {
        add_attr(vm, m, name, vm.int(v as i64))?;
    }
    add_attr(vm, m, "PIPE_BUF", vm.int(libc::PIPE_BUF as i64))?;
    Ok(())
}

fn os_error(vm: &Vm, e: std::io::Error) -> PyErr {
    builtin::os_error_from_io(vm, &e)
}

/// A descriptor argument (`PyObject_AsFileDescriptor`): an int or an
/// object whose `fileno()` returns one.
fn fileno(vm: &Vm, o: &Obj) -> PyResult<i32> {
    let n = if o.downcast::<IntData>().is_some() {
        o.clone()
    } else {
        match taipan_vm::classes::getattr_opt(vm, o, &vm.intern("fileno"))? {
            Some(f) => {
                let n = taipan_vm::classes::call_object(vm, &f, &[])?;
                if n.downcast::<IntData>().is_none() {
                    return Err(vm.type_error("fileno() returned a non-integer"));
                }
                n
            }
            None => return Err(vm.type_error("argument must be an int, or have a fileno() method.")),
        }
    };
    let v = match n.downcast::<IntData>() {
        Some(IntData::Small(v)) if i32::try_from(*v).is_ok() => *v,
        _ => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int")),
    };
    if v < 0 {
        return Err(vm.new_error(&vm.types.value_error, format!("file descriptor cannot be a negative integer ({v})")));
    }
    Ok(v as i32)
}

fn monotonic_ms() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: a valid, writable timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as f64 * 1e3 + ts.tv_nsec as f64 / 1e6
}

/// `poll(2)` with a timeout in milliseconds (`None`: forever), retried
/// after signals with the time left.
fn poll_fds(vm: &Vm, fds: &mut [libc::pollfd], timeout_ms: Option<f64>) -> PyResult<usize> {
    let deadline = timeout_ms.map(|t| monotonic_ms() + t);
    loop {
        let t = match deadline {
            None => -1,
            Some(d) => (d - monotonic_ms()).max(0.0).ceil().min(i32::MAX as f64) as libc::c_int,
        };
        // Other threads run while this one waits (without the GIL).
        let r = vm.allow_threads(|| {
            // SAFETY: `fds` is a live slice of pollfds.
            let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, t) };
            if n >= 0 {
                Ok(n as usize)
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
        let e = match r {
            Ok(n) => return Ok(n),
            Err(e) => e,
        };
        if e.raw_os_error() != Some(libc::EINTR) {
            return Err(os_error(vm, e));
        }
        taipan_vm::signals::run_pending(vm)?;
    }
}

/// A timeout in seconds (None: forever) for `select`.
fn select_timeout(vm: &Vm, t: Option<&Obj>) -> PyResult<Option<f64>> {
    let Some(t) = t.filter(|t| !t.is(&vm.none)) else { return Ok(None) };
    let secs = if let Some(f) = t.downcast::<f64>() {
        *f
    } else {
        match taipan_vm::ops::index(vm, t) {
            Ok(i) => match i.downcast::<IntData>() {
                Some(IntData::Small(v)) => *v as f64,
                _ => return Err(vm.new_error(&vm.types.overflow_error, "timeout is too large")),
            },
            Err(_) => return Err(vm.type_error("timeout must be a float or None")),
        }
    };
    if secs.is_nan() {
        return Err(vm.new_error(&vm.types.value_error, "Invalid value NaN (not a number)"));
    }
    if secs < 0.0 {
        return Err(vm.new_error(&vm.types.value_error, "timeout must be non-negative"));
    }
    Ok(Some(secs * 1e3))
}

fn select_select(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [r, w, x, timeout] = at_most::<4>(vm, "select", 3, args, kw)?;
    let timeout = select_timeout(vm, timeout.as_ref())?;
    let mut lists: Vec<Vec<(Obj, i32)>> = Vec::new();
    for l in [r, w, x] {
        let l = l.unwrap_or_else(|| vm.none.clone());
        let items = taipan_vm::types::container::collect(vm, &l).map_err(|_| vm.type_error("arguments 1-3 must be sequences"))?;
        let mut out = Vec::new();
        for o in items {
            let fd = fileno(vm, &o)?;
            out.push((o, fd));
        }
        lists.push(out);
    }
    let events = [libc::POLLIN, libc::POLLOUT, libc::POLLPRI];
    let mut fds = Vec::new();
    for (list, ev) in lists.iter().zip(events) {
        for (_, fd) in list {
            fds.push(libc::pollfd { fd: *fd, events: ev, revents: 0 });
        }
    }
    poll_fds(vm, &mut fds, timeout)?;
    if let Some(bad) = fds.iter().find(|p| p.revents & libc::POLLNVAL != 0) {
        let _ = bad;
        return Err(os_error(vm, std::io::Error::from_raw_os_error(libc::EBADF)));
    }
    let mut results = Vec::new();
    let mut at = 0;
    for (list, ev) in lists.iter().zip(events) {
        let mut ready = Vec::new();
        for (o, _) in list {
            let rev = fds[at].revents;
            at += 1;
            let hit = match ev {
                libc::POLLIN => rev & (libc::POLLIN | libc::POLLHUP | libc::POLLERR) != 0,
                libc::POLLOUT => rev & (libc::POLLOUT | libc::POLLERR) != 0,
                _ => rev & libc::POLLPRI != 0,
            };
            if hit {
                ready.push(o.clone());
            }
        }
        results.push(new_list(vm, ready));
    }
    Ok(new_tuple(vm, results))
}

/// A `select.poll` object: the registered descriptors and their masks.
pub struct PollData {
    fds: RefCell<Vec<(i32, i16)>>,
}

static POLL_METHODS: &[MethodDef] = &[
    MethodDef::method("register", poll_register, "Register a file descriptor with the polling object."),
    MethodDef::method("modify", poll_modify, "Modify an already registered file descriptor."),
    MethodDef::method("unregister", poll_unregister, "Remove a file descriptor being tracked by the polling object."),
    MethodDef::method("poll", poll_poll, "Polls the set of registered file descriptors."),
];

fn poll_type(vm: &Vm) -> Obj {
    vm.native_type("select.poll", |vm| {
        let slots =
            Slots { new: Some(|vm, _cls, _a, _kw| Err(vm.type_error("cannot create 'select.poll' instances"))), ..Slots::default() };
        taipan_vm::native::new_type::<PollData>(vm, "select.poll", &[], false, slots, POLL_METHODS, &[])
    })
}

fn select_poll(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "select.poll", args, kw)?;
    Ok(alloc(poll_type(vm), PollData { fds: RefCell::new(Vec::new()) }))
}

fn poll_data<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a PollData> {
    o.downcast::<PollData>().ok_or_else(|| vm.type_error("poll object expected"))
}

fn event_mask(vm: &Vm, o: &Obj) -> PyResult<i16> {
    let v = builtin::expect_int(vm, &taipan_vm::ops::index(vm, o)?, "")?;
    if !(0..=u16::MAX as i64).contains(&v) {
        let msg = if v < 0 { "unsigned short is less than minimum" } else { "unsigned short is greater than maximum" };
        return Err(vm.new_error(&vm.types.overflow_error, msg));
    }
    Ok(v as u16 as i16)
}

fn poll_register(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd, mask] = at_most::<2>(vm, "register", 1, args, kw)?;
    let fd = fileno(vm, fd.as_ref().unwrap_or(&vm.none))?;
    let mask = match &mask {
        Some(m) => event_mask(vm, m)?,
        None => libc::POLLIN | libc::POLLPRI | libc::POLLOUT,
    };
    let mut fds = poll_data(vm, this)?.fds.borrow_mut();
    match fds.iter_mut().find(|(f, _)| *f == fd) {
        Some(e) => e.1 = mask,
        None => fds.push((fd, mask)),
    }
    Ok(vm.none.clone())
}

fn poll_modify(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd, mask] = exact::<2>(vm, "modify", args, kw)?;
    let fd = fileno(vm, &fd)?;
    let mask = event_mask(vm, &mask)?;
    let mut fds = poll_data(vm, this)?.fds.borrow_mut();
    match fds.iter_mut().find(|(f, _)| *f == fd) {
        Some(e) => {
            e.1 = mask;
            Ok(vm.none.clone())
        }
        None => Err(os_error(vm, std::io::Error::from_raw_os_error(libc::ENOENT))),
    }
}

fn poll_unregister(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd] = exact::<1>(vm, "unregister", args, kw)?;
    let fdn = fileno(vm, &fd)?;
    let mut fds = poll_data(vm, this)?.fds.borrow_mut();
    match fds.iter().position(|(f, _)| *f == fdn) {
        Some(i) => {
            fds.remove(i);
            Ok(vm.none.clone())
        }
        None => {
            drop(fds);
            Err(PyErr { exc: builtin::new_exception(vm, &vm.types.key_error, vec![vm.int(fdn as i64)]) })
        }
    }
}

fn poll_poll(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [timeout] = at_most::<1>(vm, "poll", 0, args, kw)?;
    let timeout = match timeout.filter(|t| !t.is(&vm.none)) {
        None => None,
        Some(t) => {
            let ms = if let Some(f) = t.downcast::<f64>() {
                *f
            } else if t.downcast::<IntData>().is_some() {
                builtin::expect_int(vm, &t, "")? as f64
            } else {
                return Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer", type_name(&t))));
            };
            (ms >= 0.0).then_some(ms)
        }
    };
    let mut fds: Vec<libc::pollfd> =
        poll_data(vm, this)?.fds.borrow().iter().map(|(fd, ev)| libc::pollfd { fd: *fd, events: *ev, revents: 0 }).collect();
    poll_fds(vm, &mut fds, timeout)?;
    let out =
        fds.iter().filter(|p| p.revents != 0).map(|p| new_tuple(vm, vec![vm.int(p.fd as i64), vm.int(p.revents as u16 as i64)])).collect();
    Ok(new_list(vm, out))
}
