//! The `select` module: `select()` (implemented with `poll(2)`, so
//! descriptors above `FD_SETSIZE` work too) and `poll` objects
//! (`register`/`modify`/`unregister`/`poll`), with the `POLL*` constants;
//! `epoll` objects (an `epoll(7)` descriptor owned by the object, closed by
//! `close()` or when the object goes) with the `EPOLL*` constants.
//! A call interrupted by a signal runs the signal's handler and resumes
//! with the remaining timeout, as CPython does (PEP 475).
//!
//! # Safety
//!
//! `poll(2)` gets a pointer to a local `Vec<pollfd>` and its true length;
//! `epoll_wait(2)` a local `Vec<epoll_event>` and its true length,
//! `epoll_ctl(2)` a pointer to a local `epoll_event`. The epoll descriptor
//! belongs to its `EpollData` alone (-1 once closed), so closing it
//! cannot close a descriptor that someone else owns.

use std::cell::{Cell, RefCell};

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{at_most, bind, exact, FunctionDef, GetSetDef, MethodDef, Params};
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
    for (name, v) in [
        ("EPOLLIN", libc::EPOLLIN),
        ("EPOLLOUT", libc::EPOLLOUT),
        ("EPOLLPRI", libc::EPOLLPRI),
        ("EPOLLERR", libc::EPOLLERR),
        ("EPOLLHUP", libc::EPOLLHUP),
        ("EPOLLET", libc::EPOLLET),
        ("EPOLLONESHOT", libc::EPOLLONESHOT),
        ("EPOLLEXCLUSIVE", libc::EPOLLEXCLUSIVE),
        ("EPOLLRDHUP", libc::EPOLLRDHUP),
        ("EPOLLRDNORM", libc::EPOLLRDNORM),
        ("EPOLLRDBAND", libc::EPOLLRDBAND),
        ("EPOLLWRNORM", libc::EPOLLWRNORM),
        ("EPOLLWRBAND", libc::EPOLLWRBAND),
        ("EPOLLMSG", libc::EPOLLMSG),
        ("EPOLL_CLOEXEC", libc::EPOLL_CLOEXEC),
    ] {
        add_attr(vm, m, name, vm.int(v as u32 as i64))?;
    }
    add_attr(vm, m, "epoll", epoll_type(vm))?;
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

// ------------------------------------------------------------------ epoll

/// A `select.epoll` object: its epoll descriptor, -1 once closed.
pub struct EpollData {
    fd: Cell<i32>,
}

impl Drop for EpollData {
    fn drop(&mut self) {
        let fd = self.fd.replace(-1);
        if fd >= 0 {
            // SAFETY: the descriptor belongs to this object alone.
            unsafe { libc::close(fd) };
        }
    }
}

static EPOLL_METHODS: &[MethodDef] = &[
    MethodDef::method("close", epoll_close, "Close the epoll control file descriptor."),
    MethodDef::method("fileno", epoll_fileno, "Return the epoll control file descriptor."),
    MethodDef::class("fromfd", epoll_fromfd, "Create an epoll object from a given control fd."),
    MethodDef::method("register", epoll_register, "Registers a new fd or raises an OSError if the fd is already registered."),
    MethodDef::method("modify", epoll_modify, "Modify event mask for a registered file descriptor."),
    MethodDef::method("unregister", epoll_unregister, "Remove a registered file descriptor from the epoll object."),
    MethodDef::method("poll", epoll_poll, "Wait for events on the epoll file descriptor."),
    MethodDef::method("__enter__", epoll_enter, ""),
    MethodDef::method("__exit__", epoll_exit, ""),
];

static EPOLL_GETSETS: &[GetSetDef] = &[GetSetDef::readonly("closed", epoll_closed, "True if the epoll handler is closed")];

fn epoll_type(vm: &Vm) -> Obj {
    vm.native_type("select.epoll", |vm| {
        let slots = Slots { new: Some(epoll_new), ..Slots::default() };
        let t = taipan_vm::native::new_type::<EpollData>(vm, "select.epoll", &[], false, slots, EPOLL_METHODS, EPOLL_GETSETS);
        let doc = "select.epoll(sizehint=-1, flags=0)\n\nReturns an epolling object\n\nsizehint must be a positive integer or -1 for the default size. The\nsizehint is used to optimize internal data structures. It doesn't limit\nthe maximum number of monitored events.";
        let td = taipan_vm::types::type_data(&t);
        td.dict.borrow_mut().insert("__doc__", builtin::new_str(vm, doc));
        td.is_final.set(true);
        t
    })
}

fn small_int(vm: &Vm, o: &Obj) -> PyResult<i64> {
    builtin::expect_int(vm, &taipan_vm::ops::index(vm, o)?, "")
}

fn epoll_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "epoll", names: &["sizehint", "flags"], posonly: 0, kwonly: 0, required: 0 };
    let [sizehint, flags] = bind::<2>(vm, &P, args, kw)?;
    if let Some(s) = &sizehint {
        let s = small_int(vm, s)?;
        if s == 0 || s < -1 {
            return Err(vm.new_error(&vm.types.value_error, "negative sizehint"));
        }
    }
    if let Some(f) = &flags {
        let f = small_int(vm, f)?;
        if f != 0 && f != libc::EPOLL_CLOEXEC as i64 {
            return Err(vm.new_error(&vm.types.os_error, "invalid flags"));
        }
    }
    // SAFETY: a plain flag; the result is a new descriptor or -1.
    let fd = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
    if fd < 0 {
        return Err(os_error(vm, std::io::Error::last_os_error()));
    }
    Ok(alloc(cls.clone(), EpollData { fd: Cell::new(fd) }))
}

/// The open descriptor of an epoll object, or the closed-object error.
fn epoll_fd(vm: &Vm, o: &Obj) -> PyResult<i32> {
    let d = o.downcast::<EpollData>().ok_or_else(|| vm.type_error("epoll object expected"))?;
    match d.fd.get() {
        fd if fd >= 0 => Ok(fd),
        _ => Err(vm.new_error(&vm.types.value_error, "I/O operation on closed epoll object")),
    }
}

fn epoll_closed(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    let d = this.downcast::<EpollData>().ok_or_else(|| vm.type_error("epoll object expected"))?;
    Ok(vm.bool(d.fd.get() < 0))
}

fn epoll_close(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "close", args, kw)?;
    let d = this.downcast::<EpollData>().ok_or_else(|| vm.type_error("epoll object expected"))?;
    let fd = d.fd.replace(-1);
    // SAFETY: the descriptor belongs to this object alone (now forgotten by it).
    if fd >= 0 && unsafe { libc::close(fd) } < 0 {
        return Err(os_error(vm, std::io::Error::last_os_error()));
    }
    Ok(vm.none.clone())
}

fn epoll_fileno(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "fileno", args, kw)?;
    Ok(vm.int(epoll_fd(vm, this)? as i64))
}

fn epoll_fromfd(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd] = exact::<1>(vm, "fromfd", args, kw)?;
    let fd = small_int(vm, &fd)?;
    let fd = i32::try_from(fd).map_err(|_| vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int"))?;
    Ok(alloc(cls.clone(), EpollData { fd: Cell::new(fd) }))
}

fn epoll_enter(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__enter__", args, kw)?;
    epoll_fd(vm, this)?;
    Ok(this.clone())
}

fn epoll_exit(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    at_most::<3>(vm, "__exit__", 0, args, kw)?;
    let close = taipan_vm::classes::getattr(vm, this, &vm.intern("close"))?;
    taipan_vm::classes::call_object(vm, &close, &[])
}

/// An `unsigned int` event mask: any int, its low 32 bits (CPython's `I`).
fn epoll_mask(vm: &Vm, o: &Obj) -> PyResult<u32> {
    let i = taipan_vm::ops::index(vm, o)?;
    Ok(match i.downcast::<IntData>() {
        Some(IntData::Small(v)) => *v as u32,
        Some(IntData::Big(b)) => {
            let (sign, digits) = b.to_u32_digits();
            let low = digits.first().copied().unwrap_or(0);
            if sign == num_bigint::Sign::Minus {
                low.wrapping_neg()
            } else {
                low
            }
        }
        None => 0,
    })
}

fn epoll_ctl(vm: &Vm, epfd: i32, op: i32, fd: i32, events: u32) -> PyResult<Obj> {
    let mut ev = libc::epoll_event { events, u64: fd as u32 as u64 };
    // SAFETY: `ev` is a live local event for the duration of the call.
    let r = vm.allow_threads(|| unsafe { libc::epoll_ctl(epfd, op, fd, &mut ev) });
    if r < 0 {
        return Err(os_error(vm, std::io::Error::last_os_error()));
    }
    Ok(vm.none.clone())
}

fn epoll_register(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "register", names: &["fd", "eventmask"], posonly: 0, kwonly: 0, required: 1 };
    let [fd, mask] = bind::<2>(vm, &P, args, kw)?;
    let fd = fileno(vm, fd.as_ref().unwrap_or(&vm.none))?;
    let mask = match &mask {
        Some(m) => epoll_mask(vm, m)?,
        None => (libc::EPOLLIN | libc::EPOLLPRI | libc::EPOLLOUT) as u32,
    };
    let epfd = epoll_fd(vm, this)?;
    epoll_ctl(vm, epfd, libc::EPOLL_CTL_ADD, fd, mask)
}

fn epoll_modify(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "modify", names: &["fd", "eventmask"], posonly: 0, kwonly: 0, required: 2 };
    let [fd, mask] = bind::<2>(vm, &P, args, kw)?;
    let fd = fileno(vm, fd.as_ref().unwrap_or(&vm.none))?;
    let mask = epoll_mask(vm, mask.as_ref().unwrap_or(&vm.none))?;
    let epfd = epoll_fd(vm, this)?;
    epoll_ctl(vm, epfd, libc::EPOLL_CTL_MOD, fd, mask)
}

fn epoll_unregister(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "unregister", names: &["fd"], posonly: 0, kwonly: 0, required: 1 };
    let [fd] = bind::<1>(vm, &P, args, kw)?;
    let fd = fileno(vm, fd.as_ref().unwrap_or(&vm.none))?;
    let epfd = epoll_fd(vm, this)?;
    epoll_ctl(vm, epfd, libc::EPOLL_CTL_DEL, fd, 0)
}

fn epoll_poll(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "poll", names: &["timeout", "maxevents"], posonly: 0, kwonly: 0, required: 0 };
    let [timeout, maxevents] = bind::<2>(vm, &P, args, kw)?;
    // Seconds (int or float); None or negative: wait forever.
    let timeout_ms = match timeout.filter(|t| !t.is(&vm.none)) {
        None => None,
        Some(t) => {
            let secs = if let Some(f) = t.downcast::<f64>() {
                *f
            } else if t.downcast::<IntData>().is_some() {
                builtin::expect_int(vm, &t, "")? as f64
            } else {
                return Err(vm.type_error("timeout must be an integer or None"));
            };
            if secs.is_nan() {
                return Err(vm.new_error(&vm.types.value_error, "Invalid value NaN (not a number)"));
            }
            (secs >= 0.0).then_some(secs * 1e3)
        }
    };
    let maxevents = match &maxevents {
        Some(m) => small_int(vm, m)?,
        None => -1,
    };
    let maxevents = if maxevents == -1 {
        libc::FD_SETSIZE as i64 - 1
    } else if maxevents < 1 {
        return Err(vm.new_error(&vm.types.value_error, format!("maxevents must be greater than 0, got {maxevents}")));
    } else {
        maxevents.min(i32::MAX as i64)
    };
    let epfd = epoll_fd(vm, this)?;
    let mut evs = vec![libc::epoll_event { events: 0, u64: 0 }; maxevents as usize];
    let deadline = timeout_ms.map(|t| monotonic_ms() + t);
    let n = loop {
        let t = match deadline {
            None => -1,
            Some(d) => (d - monotonic_ms()).max(0.0).ceil().min(i32::MAX as f64) as libc::c_int,
        };
        let r = vm.allow_threads(|| {
            // SAFETY: `evs` is a live buffer of `evs.len()` events.
            let n = unsafe { libc::epoll_wait(epfd, evs.as_mut_ptr(), evs.len() as libc::c_int, t) };
            if n >= 0 {
                Ok(n as usize)
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
        match r {
            Ok(n) => break n,
            Err(e) if e.raw_os_error() == Some(libc::EINTR) => taipan_vm::signals::run_pending(vm)?,
            Err(e) => return Err(os_error(vm, e)),
        }
    };
    let out = evs[..n]
        .iter()
        .map(|e| {
            let (data, events) = (e.u64, e.events);
            new_tuple(vm, vec![vm.int(data as u32 as i32 as i64), vm.int(events as i64)])
        })
        .collect();
    Ok(new_list(vm, out))
}
