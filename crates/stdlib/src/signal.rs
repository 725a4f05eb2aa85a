//! The `_signal` module. The C-level handler only records the signal (an
//! atomic flag per signal, the vm's pending flag, a byte to the wake-up
//! fd); the eval loop notices the pending flag between instructions and
//! calls [`run_handlers`], which calls the Python handlers on the
//! interpreter's thread. `SIGINT` gets the C handler at start-up
//! ([`install_default_handlers`]) and `default_int_handler` (which
//! raises `KeyboardInterrupt`) as its Python handler, as in CPython;
//! `SIGPIPE` and `SIGXFSZ` are ignored.
//!
//! # Safety
//!
//! `c_handler` is async-signal-safe: it touches only atomics and calls
//! `write(2)`, saving and restoring `errno`. `sigaction`, `sigprocmask`
//! family, `setitimer`/`getitimer`, `alarm`, `pause`, `raise`,
//! `pthread_kill`, `strsignal`, `sigwaitinfo`/`sigtimedwait` and
//! `fcntl`/`fstat` are called with
//! pointers to local, initialised values that outlive the call, and
//! signal numbers are range-checked first (`1..NSIG`).

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{at_most, bind, exact, FunctionDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{self, new_str, new_tuple, IntData};
use taipan_vm::types::structseq::{new_structseq, new_structseq_type, StructSeqDesc};
use taipan_vm::types::Kwargs;
use taipan_vm::{PyErr, PyResult, Vm};

/// Signals are numbered `1..NSIG`.
const NSIG: usize = 65;

#[allow(clippy::declare_interior_mutable_const)]
const UNTRIPPED: AtomicBool = AtomicBool::new(false);
/// Which signals arrived since their handlers last ran.
static TRIPPED: [AtomicBool; NSIG] = [UNTRIPPED; NSIG];
/// `set_wakeup_fd`'s descriptor (-1: none).
static WAKEUP_FD: AtomicI32 = AtomicI32::new(-1);
/// The errno of the last failed write to the wakeup fd (0: none), reported
/// as unraisable by the next `run_handlers`.
static WAKEUP_ERRNO: AtomicI32 = AtomicI32::new(0);
/// `set_wakeup_fd(..., warn_on_full_buffer=)`: whether a full pipe
/// (EAGAIN) is reported too.
static WAKEUP_WARN_FULL: AtomicBool = AtomicBool::new(true);

extern "C" fn c_handler(sig: libc::c_int) {
    // SAFETY: `__errno_location` returns this thread's errno slot.
    let errno = unsafe { *libc::__errno_location() };
    if let Some(flag) = usize::try_from(sig).ok().and_then(|s| TRIPPED.get(s)) {
        flag.store(true, Ordering::Release);
    }
    taipan_vm::signals::set_pending();
    let fd = WAKEUP_FD.load(Ordering::Relaxed);
    if fd >= 0 {
        let byte = sig as u8;
        // SAFETY: one byte from a local; write(2) is async-signal-safe.
        if unsafe { libc::write(fd, (&byte as *const u8).cast(), 1) } < 0 {
            // SAFETY: as above.
            let e = unsafe { *libc::__errno_location() };
            let full = e == libc::EAGAIN || e == libc::EWOULDBLOCK;
            if !full || WAKEUP_WARN_FULL.load(Ordering::Relaxed) {
                WAKEUP_ERRNO.store(e, Ordering::Relaxed);
            }
        }
    }
    // SAFETY: as above.
    unsafe { *libc::__errno_location() = errno };
}

fn handler_address() -> libc::sighandler_t {
    c_handler as extern "C" fn(libc::c_int) as libc::sighandler_t
}

/// The OS-level disposition of `sig`.
fn os_handler(sig: i32) -> Option<libc::sighandler_t> {
    // SAFETY: zeroed `sigaction` is a valid value; query only.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        (libc::sigaction(sig, std::ptr::null(), &mut old) == 0).then_some(old.sa_sigaction)
    }
}

/// Sets the OS-level disposition of `sig` (CPython's flags: `SA_ONSTACK`,
/// no `SA_RESTART`, so blocking calls return `EINTR`).
fn set_os_handler(sig: i32, handler: libc::sighandler_t) -> std::io::Result<()> {
    // SAFETY: `sa` is fully initialised (zeroed, then set).
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = handler;
        sa.sa_flags = libc::SA_ONSTACK;
        libc::sigemptyset(&mut sa.sa_mask);
        if libc::sigaction(sig, &sa, std::ptr::null_mut()) != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Start-up (CPython's `signal_install_handlers`): `SIGPIPE` and
/// `SIGXFSZ` ignored, `SIGINT` caught unless it is already ignored.
pub fn install_default_handlers() {
    let _ = set_os_handler(libc::SIGPIPE, libc::SIG_IGN);
    let _ = set_os_handler(libc::SIGXFSZ, libc::SIG_IGN);
    if os_handler(libc::SIGINT) == Some(libc::SIG_DFL) {
        let _ = set_os_handler(libc::SIGINT, handler_address());
    }
}

/// Blocks every blockable signal in the calling thread, so that signals
/// sent to the process go to the interpreter's thread (the binary's
/// original thread only waits for it).
pub fn block_signals_in_this_thread() {
    // SAFETY: local sigset, initialised by sigfillset.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut set);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}

/// Restores `SIGINT`'s default action and sends it to the process
/// (CPython's `exit_sigint`).
pub fn exit_by_sigint() {
    if set_os_handler(libc::SIGINT, libc::SIG_DFL).is_ok() {
        // SAFETY: a valid signal number; unblock it in this thread, then
        // deliver it to the process (it reaches this thread, the others
        // block it).
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, libc::SIGINT);
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
            libc::kill(libc::getpid(), libc::SIGINT);
        }
    }
}

/// The Python-level handlers, by signal number: `SIG_DFL` (0), `SIG_IGN`
/// (1), a callable, or None (installed outside Python).
struct State {
    handlers: RefCell<Vec<Obj>>,
}

impl Default for State {
    fn default() -> State {
        State { handlers: RefCell::new(Vec::new()) }
    }
}

/// The handler table, read from the OS dispositions the first time.
fn handlers(vm: &Vm) -> std::rc::Rc<State> {
    let state = vm.state::<State>();
    if state.handlers.borrow().is_empty() {
        let table = (0..NSIG as i32)
            .map(|sig| match os_handler(sig) {
                _ if sig == 0 => vm.none.clone(),
                Some(h) if h == libc::SIG_DFL => vm.int(0),
                Some(h) if h == libc::SIG_IGN => vm.int(1),
                Some(h) if h == handler_address() && sig == libc::SIGINT => default_int_handler(vm),
                _ => vm.none.clone(),
            })
            .collect();
        *state.handlers.borrow_mut() = table;
    }
    state
}

fn default_int_handler(vm: &Vm) -> Obj {
    vm.native_type("_signal.default_int_handler", |vm| {
        taipan_vm::function::new_builtin_function(vm, "default_int_handler", signal_default_int_handler)
    })
}

/// Records `sig` as arrived, as the C handler does (registered with the
/// vm as its `signals::Trip`, for `_thread.interrupt_main`).
pub fn trip(sig: i32) -> bool {
    match usize::try_from(sig).ok().filter(|&s| s > 0).and_then(|s| TRIPPED.get(s)) {
        Some(flag) => {
            flag.store(true, Ordering::Release);
            taipan_vm::signals::set_pending();
            true
        }
        None => false,
    }
}

/// Runs the Python handlers of the signals that arrived (registered with
/// the vm as its signal runner).
pub fn run_handlers(vm: &Vm) -> PyResult<()> {
    // CPython's `report_wakeup_write_error` pending call: the context
    // line straight to stderr, then the error as unraisable.
    let e = WAKEUP_ERRNO.swap(0, Ordering::AcqRel);
    if e != 0 {
        taipan_vm::stdio::write_stderr(vm, "Exception ignored when trying to write to the signal wakeup fd:\n");
        let err = builtin::os_error_from_io(vm, &std::io::Error::from_raw_os_error(e));
        taipan_vm::gc::report_unraisable(vm, err, None);
    }
    for (sig, flag) in TRIPPED.iter().enumerate().skip(1) {
        if !flag.swap(false, Ordering::AcqRel) {
            continue;
        }
        let handler = handlers(vm).handlers.borrow().get(sig).cloned();
        let Some(h) = handler else { continue };
        if !taipan_vm::ops::callable(&h) {
            continue;
        }
        if let Err(e) = taipan_vm::classes::call_object(vm, &h, &[vm.int(sig as i64), vm.none.clone()]) {
            // The other tripped signals run at the next check.
            if TRIPPED.iter().any(|f| f.load(Ordering::Relaxed)) {
                taipan_vm::signals::set_pending();
            }
            return Err(e);
        }
    }
    Ok(())
}

static FUNCTIONS: &[FunctionDef] = &[
    FunctionDef::new("signal", signal_signal, "Set the action for the given signal."),
    FunctionDef::new("getsignal", signal_getsignal, "Return the current action for the given signal."),
    FunctionDef::new("alarm", signal_alarm, "Arrange for SIGALRM to arrive after the given number of seconds."),
    FunctionDef::new("setitimer", signal_setitimer, "Sets given itimer (one of ITIMER_REAL, ITIMER_VIRTUAL or ITIMER_PROF)."),
    FunctionDef::new("getitimer", signal_getitimer, "Returns current value of given itimer."),
    FunctionDef::new("pause", signal_pause, "Wait until a signal arrives."),
    FunctionDef::new("raise_signal", signal_raise_signal, "Send a signal to the executing process."),
    FunctionDef::new("strsignal", signal_strsignal, "Return the system description of the given signal."),
    FunctionDef::new("valid_signals", signal_valid_signals, "Return a set of valid signal numbers on this platform."),
    FunctionDef::new(
        "set_wakeup_fd",
        signal_set_wakeup_fd,
        "Sets the fd to be written to (with the signal number) when a signal comes in.",
    ),
    FunctionDef::new("siginterrupt", signal_siginterrupt, "Change system call restart behaviour."),
    FunctionDef::new("pthread_sigmask", signal_pthread_sigmask, "Fetch and/or change the signal mask of the calling thread."),
    FunctionDef::new("pthread_kill", signal_pthread_kill, "Send a signal to a thread."),
    FunctionDef::new("sigpending", signal_sigpending, "Examine pending signals."),
    FunctionDef::new("sigwait", signal_sigwait, "Wait for a signal."),
    FunctionDef::new("sigwaitinfo", signal_sigwaitinfo, "Wait synchronously until one of the signals in *sigset* is delivered."),
    FunctionDef::new("sigtimedwait", signal_sigtimedwait, "Like sigwaitinfo(), but with a timeout."),
];

const SIGNALS: &[(&str, i32)] = &[
    ("SIGHUP", libc::SIGHUP),
    ("SIGINT", libc::SIGINT),
    ("SIGQUIT", libc::SIGQUIT),
    ("SIGILL", libc::SIGILL),
    ("SIGTRAP", libc::SIGTRAP),
    ("SIGABRT", libc::SIGABRT),
    ("SIGIOT", libc::SIGIOT),
    ("SIGBUS", libc::SIGBUS),
    ("SIGFPE", libc::SIGFPE),
    ("SIGKILL", libc::SIGKILL),
    ("SIGUSR1", libc::SIGUSR1),
    ("SIGSEGV", libc::SIGSEGV),
    ("SIGUSR2", libc::SIGUSR2),
    ("SIGPIPE", libc::SIGPIPE),
    ("SIGALRM", libc::SIGALRM),
    ("SIGTERM", libc::SIGTERM),
    ("SIGSTKFLT", libc::SIGSTKFLT),
    ("SIGCHLD", libc::SIGCHLD),
    ("SIGCLD", libc::SIGCHLD),
    ("SIGCONT", libc::SIGCONT),
    ("SIGSTOP", libc::SIGSTOP),
    ("SIGTSTP", libc::SIGTSTP),
    ("SIGTTIN", libc::SIGTTIN),
    ("SIGTTOU", libc::SIGTTOU),
    ("SIGURG", libc::SIGURG),
    ("SIGXCPU", libc::SIGXCPU),
    ("SIGXFSZ", libc::SIGXFSZ),
    ("SIGVTALRM", libc::SIGVTALRM),
    ("SIGPROF", libc::SIGPROF),
    ("SIGWINCH", libc::SIGWINCH),
    ("SIGIO", libc::SIGIO),
    ("SIGPOLL", libc::SIGPOLL),
    ("SIGPWR", libc::SIGPWR),
    ("SIGSYS", libc::SIGSYS),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCTIONS)?;
    add_attr(vm, m, "default_int_handler", default_int_handler(vm))?;
    add_attr(vm, m, "SIG_DFL", vm.int(0))?;
    add_attr(vm, m, "SIG_IGN", vm.int(1))?;
    add_attr(vm, m, "NSIG", vm.int(NSIG as i64))?;
    for (name, v) in SIGNALS {
        add_attr(vm, m, name, vm.int(*v as i64))?;
    }
    add_attr(vm, m, "SIGRTMIN", vm.int(libc::SIGRTMIN() as i64))?;
    add_attr(vm, m, "SIGRTMAX", vm.int(libc::SIGRTMAX() as i64))?;
    add_attr(vm, m, "SIG_BLOCK", vm.int(libc::SIG_BLOCK as i64))?;
    add_attr(vm, m, "SIG_UNBLOCK", vm.int(libc::SIG_UNBLOCK as i64))?;
    add_attr(vm, m, "SIG_SETMASK", vm.int(libc::SIG_SETMASK as i64))?;
    add_attr(vm, m, "ITIMER_REAL", vm.int(libc::ITIMER_REAL as i64))?;
    add_attr(vm, m, "ITIMER_VIRTUAL", vm.int(libc::ITIMER_VIRTUAL as i64))?;
    add_attr(vm, m, "ITIMER_PROF", vm.int(libc::ITIMER_PROF as i64))?;
    add_attr(vm, m, "ItimerError", itimer_error(vm)?)?;
    add_attr(vm, m, "struct_siginfo", siginfo_type(vm))?;
    handlers(vm);
    Ok(())
}

/// `signal.itimer_error`, an `OSError` subclass.
fn itimer_error(vm: &Vm) -> PyResult<Obj> {
    if let Some(t) = vm.state::<ItimerErrorType>().0.borrow().clone() {
        return Ok(t);
    }
    let ns = builtin::new_dict(vm);
    builtin::dict_set(vm, &ns, vm.intern("__module__"), new_str(vm, "signal"))?;
    let meta = vm.types.type_.clone();
    let t = taipan_vm::classes::new_class(vm, &meta, "itimer_error", vec![vm.types.os_error.clone()], &ns, &[])?;
    *vm.state::<ItimerErrorType>().0.borrow_mut() = Some(t.clone());
    Ok(t)
}

#[derive(Default)]
struct ItimerErrorType(RefCell<Option<Obj>>);

fn errno_error(vm: &Vm, ty: &Obj, err: std::io::Error) -> PyErr {
    let code = err.raw_os_error().unwrap_or(0);
    let msg = err.to_string();
    let msg = msg.split(" (os error").next().unwrap_or("").to_string();
    PyErr { exc: builtin::new_exception(vm, ty, vec![vm.int(code as i64), new_str(vm, &msg)]) }
}

fn os_error(vm: &Vm) -> PyErr {
    builtin::os_error_from_io(vm, &std::io::Error::last_os_error())
}

fn int_arg(vm: &Vm, o: &Obj) -> PyResult<i64> {
    if o.downcast::<f64>().is_some() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let i = taipan_vm::ops::index(vm, o)?;
    match i.downcast::<IntData>() {
        Some(IntData::Small(v)) => Ok(*v),
        _ => Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C long")),
    }
}

/// A signal number argument in `1..NSIG`.
fn signum(vm: &Vm, o: &Obj) -> PyResult<i32> {
    let v = int_arg(vm, o)?;
    if v < 1 || v >= NSIG as i64 {
        return Err(vm.new_error(&vm.types.value_error, "signal number out of range"));
    }
    Ok(v as i32)
}

fn signal_signal(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [sig, handler] = exact::<2>(vm, "signal", args, kw)?;
    let sig = signum(vm, &sig)?;
    let os = match handler.downcast::<IntData>() {
        Some(IntData::Small(0)) => libc::SIG_DFL,
        Some(IntData::Small(1)) => libc::SIG_IGN,
        _ if taipan_vm::ops::callable(&handler) => handler_address(),
        _ => {
            return Err(vm.type_error("signal handler must be signal.SIG_IGN, signal.SIG_DFL, or a callable object"));
        }
    };
    set_os_handler(sig, os).map_err(|e| builtin::os_error_from_io(vm, &e))?;
    let state = handlers(vm);
    let old = std::mem::replace(&mut state.handlers.borrow_mut()[sig as usize], handler);
    Ok(old)
}

fn signal_getsignal(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [sig] = exact::<1>(vm, "getsignal", args, kw)?;
    let sig = signum(vm, &sig)?;
    let h = handlers(vm).handlers.borrow()[sig as usize].clone();
    Ok(h)
}

fn signal_default_int_handler(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let _ = at_most::<2>(vm, "default_int_handler", 0, args, kw)?;
    let ty = vm.exception_type("KeyboardInterrupt").unwrap_or_else(|| vm.types.base_exception.clone());
    Err(PyErr { exc: builtin::new_exception(vm, &ty, Vec::new()) })
}

fn signal_alarm(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [secs] = exact::<1>(vm, "alarm", args, kw)?;
    let secs = int_arg(vm, &secs)?;
    // SAFETY: plain integer argument.
    let left = unsafe { libc::alarm(secs.clamp(0, u32::MAX as i64) as u32) };
    Ok(vm.int(left as i64))
}

fn seconds(vm: &Vm, o: &Obj) -> PyResult<f64> {
    if let Some(f) = o.downcast::<f64>() {
        return Ok(*f);
    }
    Ok(int_arg(vm, o)? as f64)
}

fn timeval(secs: f64) -> libc::timeval {
    let usec = (secs * 1e6).ceil().max(0.0);
    libc::timeval { tv_sec: (usec / 1e6).floor() as libc::time_t, tv_usec: (usec % 1e6) as libc::suseconds_t }
}

fn itimer_tuple(vm: &Vm, it: &libc::itimerval) -> Obj {
    let f = |tv: &libc::timeval| alloc(vm.types.float.clone(), tv.tv_sec as f64 + tv.tv_usec as f64 * 1e-6);
    new_tuple(vm, vec![f(&it.it_value), f(&it.it_interval)])
}

fn signal_setitimer(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [which, secs, interval] = at_most::<3>(vm, "setitimer", 2, args, kw)?;
    let which = int_arg(vm, which.as_ref().unwrap_or(&vm.none))? as libc::c_int;
    let secs = seconds(vm, secs.as_ref().unwrap_or(&vm.none))?;
    let interval = match &interval {
        Some(i) => seconds(vm, i)?,
        None => 0.0,
    };
    let new = libc::itimerval { it_value: timeval(secs), it_interval: timeval(interval) };
    let mut old = libc::itimerval { it_value: timeval(0.0), it_interval: timeval(0.0) };
    // SAFETY: both pointers are to local itimervals.
    if unsafe { libc::setitimer(which, &new, &mut old) } != 0 {
        return Err(errno_error(vm, &itimer_error(vm)?, std::io::Error::last_os_error()));
    }
    Ok(itimer_tuple(vm, &old))
}

fn signal_getitimer(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [which] = exact::<1>(vm, "getitimer", args, kw)?;
    let which = int_arg(vm, &which)? as libc::c_int;
    let mut cur = libc::itimerval { it_value: timeval(0.0), it_interval: timeval(0.0) };
    // SAFETY: pointer to a local itimerval.
    if unsafe { libc::getitimer(which, &mut cur) } != 0 {
        return Err(errno_error(vm, &itimer_error(vm)?, std::io::Error::last_os_error()));
    }
    Ok(itimer_tuple(vm, &cur))
}

fn signal_pause(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "signal.pause", args, kw)?;
    // SAFETY: no arguments; returns when a handler has run. Other threads
    // run meanwhile (one of them may be the signal's sender).
    vm.allow_threads(|| unsafe { libc::pause() });
    taipan_vm::signals::run_pending(vm)?;
    Ok(vm.none.clone())
}

fn signal_raise_signal(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static PARAMS: Params = Params { fname: "raise_signal", names: &["signalnum"], posonly: 1, kwonly: 0, required: 1 };
    let [sig] = bind::<1>(vm, &PARAMS, args, kw)?;
    let sig = signum(vm, sig.as_ref().unwrap_or(&vm.none))?;
    // SAFETY: a valid signal number.
    if unsafe { libc::raise(sig) } != 0 {
        return Err(os_error(vm));
    }
    taipan_vm::signals::run_pending(vm)?;
    Ok(vm.none.clone())
}

fn signal_strsignal(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [sig] = exact::<1>(vm, "strsignal", args, kw)?;
    let sig = signum(vm, &sig)?;
    // SAFETY: a valid signal number; the result is copied at once.
    let p = unsafe { libc::strsignal(sig) };
    if p.is_null() {
        return Ok(vm.none.clone());
    }
    // SAFETY: strsignal returns a NUL-terminated string.
    let s = unsafe { std::ffi::CStr::from_ptr(p) }.to_string_lossy().into_owned();
    Ok(new_str(vm, &s))
}

/// A Python set of the signals in `set`.
fn sigset_to_set(vm: &Vm, set: &libc::sigset_t) -> PyResult<Obj> {
    let mut items = Vec::new();
    for sig in 1..NSIG as i32 {
        // SAFETY: `set` is an initialised sigset.
        if unsafe { libc::sigismember(set, sig) } == 1 {
            items.push(vm.int(sig as i64));
        }
    }
    taipan_vm::types::set::new_set(vm, items)
}

/// A sigset from an iterable of signal numbers.
fn iterable_to_sigset(vm: &Vm, o: &Obj) -> PyResult<libc::sigset_t> {
    let items = taipan_vm::types::container::collect(vm, o)?;
    // SAFETY: zeroed then emptied: a valid sigset.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    unsafe { libc::sigemptyset(&mut set) };
    for item in items {
        // CPython's `PyLong_AsLongAndOverflow`: -1 on overflow.
        let v = match int_arg(vm, &item) {
            Err(e) if taipan_vm::types::is_subtype(&taipan_vm::types::type_of(&e.exc), &vm.types.overflow_error) => -1,
            v => v?,
        };
        if v < 1 || v >= NSIG as i64 {
            return Err(vm.new_error(&vm.types.value_error, format!("signal number {v} out of range [1; {}]", NSIG - 1)));
        }
        // SAFETY: a valid signal number and sigset.
        unsafe { libc::sigaddset(&mut set, v as i32) };
    }
    Ok(set)
}

fn signal_valid_signals(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "signal.valid_signals", args, kw)?;
    // SAFETY: local sigset filled by sigfillset.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    unsafe { libc::sigfillset(&mut set) };
    sigset_to_set(vm, &set)
}

fn signal_set_wakeup_fd(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static PARAMS: Params = Params { fname: "set_wakeup_fd", names: &["fd", "warn_on_full_buffer"], posonly: 0, kwonly: 1, required: 1 };
    let [fd, warn] = bind::<2>(vm, &PARAMS, args, kw)?;
    let warn = match &warn {
        Some(w) => taipan_vm::ops::truth(vm, w)?,
        None => true,
    };
    let fd = int_arg(vm, fd.as_ref().unwrap_or(&vm.none))?;
    let fd = i32::try_from(fd).map_err(|_| vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int"))?;
    if fd != -1 {
        // SAFETY: fcntl on an arbitrary descriptor only fails (EBADF).
        let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
        if flags == -1 {
            return Err(os_error(vm));
        }
        if flags & libc::O_NONBLOCK == 0 {
            return Err(vm.new_error(&vm.types.value_error, format!("the fd {fd} must be in non-blocking mode")));
        }
    }
    WAKEUP_WARN_FULL.store(warn, Ordering::Relaxed);
    Ok(vm.int(WAKEUP_FD.swap(fd, Ordering::AcqRel) as i64))
}

fn signal_siginterrupt(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [sig, flag] = exact::<2>(vm, "siginterrupt", args, kw)?;
    let sig = signum(vm, &sig)?;
    let flag = int_arg(vm, &flag)? != 0;
    // SAFETY: query then update with an initialised sigaction.
    unsafe {
        let mut act: libc::sigaction = std::mem::zeroed();
        libc::sigaction(sig, std::ptr::null(), &mut act);
        if flag {
            act.sa_flags &= !libc::SA_RESTART;
        } else {
            act.sa_flags |= libc::SA_RESTART;
        }
        if libc::sigaction(sig, &act, std::ptr::null_mut()) != 0 {
            return Err(os_error(vm));
        }
    }
    Ok(vm.none.clone())
}

fn signal_pthread_sigmask(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [how, mask] = exact::<2>(vm, "pthread_sigmask", args, kw)?;
    let how = int_arg(vm, &how)? as libc::c_int;
    let set = iterable_to_sigset(vm, &mask)?;
    // SAFETY: local sigsets.
    let mut old: libc::sigset_t = unsafe { std::mem::zeroed() };
    let err = unsafe { libc::pthread_sigmask(how, &set, &mut old) };
    if err != 0 {
        return Err(builtin::os_error_from_io(vm, &std::io::Error::from_raw_os_error(err)));
    }
    // Unblocked signals may have arrived meanwhile.
    taipan_vm::signals::run_pending(vm)?;
    sigset_to_set(vm, &old)
}

fn signal_pthread_kill(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [tid, sig] = exact::<2>(vm, "pthread_kill", args, kw)?;
    let tid = match taipan_vm::ops::index(vm, &tid)?.downcast::<IntData>() {
        Some(IntData::Small(v)) => *v as libc::pthread_t,
        _ => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C unsigned long")),
    };
    let sig = int_arg(vm, &sig)? as libc::c_int;
    // SAFETY: glibc checks the thread id.
    let err = unsafe { libc::pthread_kill(tid, sig) };
    if err != 0 {
        return Err(builtin::os_error_from_io(vm, &std::io::Error::from_raw_os_error(err)));
    }
    taipan_vm::signals::run_pending(vm)?;
    Ok(vm.none.clone())
}

fn signal_sigpending(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "signal.sigpending", args, kw)?;
    // SAFETY: local sigset.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    if unsafe { libc::sigpending(&mut set) } != 0 {
        return Err(os_error(vm));
    }
    sigset_to_set(vm, &set)
}

fn signal_sigwait(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [set] = exact::<1>(vm, "sigwait", args, kw)?;
    let set = iterable_to_sigset(vm, &set)?;
    let mut sig: libc::c_int = 0;
    // SAFETY: local sigset and output int; other threads run meanwhile.
    let err = vm.allow_threads(|| unsafe { libc::sigwait(&set, &mut sig) });
    if err != 0 {
        return Err(builtin::os_error_from_io(vm, &std::io::Error::from_raw_os_error(err)));
    }
    Ok(vm.int(sig as i64))
}

static STRUCT_SIGINFO: StructSeqDesc = StructSeqDesc {
    name: "signal.struct_siginfo",
    doc: "struct_siginfo: Result from sigwaitinfo or sigtimedwait.\n\nThis object may be accessed either as a tuple of\n(si_signo, si_code, si_errno, si_pid, si_uid, si_status, si_band),\nor via the attributes si_signo, si_code, and so on.",
    fields: &["si_signo", "si_code", "si_errno", "si_pid", "si_uid", "si_status", "si_band"],
    n_in_sequence: 7,
};

fn siginfo_type(vm: &Vm) -> Obj {
    vm.native_type("signal.struct_siginfo", |vm| new_structseq_type(vm, &STRUCT_SIGINFO))
}

/// The fields of a `struct_siginfo`, from what `sigwaitinfo`/`sigtimedwait`
/// filled in.
fn siginfo_fields(si: &libc::siginfo_t) -> [i64; 7] {
    // SAFETY: the union fields are plain integers; which one is
    // meaningful depends on the signal, as for CPython, which reads them
    // all.
    let (pid, uid, status) = unsafe { (si.si_pid(), si.si_uid(), si.si_status()) };
    // `si_band` shares its storage with `si_pid` and `si_uid` (a long).
    let band = (pid as u32 as i64) | ((uid as i64) << 32);
    [si.si_signo as i64, si.si_code as i64, si.si_errno as i64, pid as i64, uid as i64, status as i64, band]
}

fn siginfo_result(vm: &Vm, fields: [i64; 7]) -> Obj {
    new_structseq(vm, &siginfo_type(vm), fields.iter().map(|&v| vm.int(v)).collect())
}

/// One `sigtimedwait(2)` (`sigwaitinfo` when `timeout` is None), to be
/// made without the GIL: the `struct_siginfo` fields, or the errno.
fn wait_info(set: &libc::sigset_t, timeout: Option<std::time::Duration>) -> Result<[i64; 7], i32> {
    // SAFETY: a zeroed siginfo_t is a valid value to be overwritten.
    let mut si: libc::siginfo_t = unsafe { std::mem::zeroed() };
    let r = match timeout {
        // SAFETY: local sigset and siginfo.
        None => unsafe { libc::sigwaitinfo(set, &mut si) },
        Some(t) => {
            let ts = libc::timespec { tv_sec: t.as_secs() as libc::time_t, tv_nsec: t.subsec_nanos() as _ };
            // SAFETY: local sigset, siginfo and timespec.
            unsafe { libc::sigtimedwait(set, &mut si, &ts) }
        }
    };
    if r == -1 {
        Err(std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EINVAL))
    } else {
        Ok(siginfo_fields(&si))
    }
}

fn signal_sigwaitinfo(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [set] = exact::<1>(vm, "sigwaitinfo", args, kw)?;
    let set = iterable_to_sigset(vm, &set)?;
    match taipan_vm::signals::retry_eintr(vm, || wait_info(&set, None))? {
        Ok(si) => Ok(siginfo_result(vm, si)),
        Err(e) => Err(builtin::os_error_from_io(vm, &std::io::Error::from_raw_os_error(e))),
    }
}

fn signal_sigtimedwait(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [set, timeout] = exact::<2>(vm, "sigtimedwait", args, kw)?;
    let set = iterable_to_sigset(vm, &set)?;
    let secs = crate::time::timeout_seconds(vm, &timeout)?;
    if secs < 0.0 {
        return Err(vm.new_error(&vm.types.value_error, "timeout must be non-negative"));
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs_f64(secs);
    let mut left = std::time::Duration::from_secs_f64(secs);
    // Not `retry_eintr`: the first wait polls even with no time left (a
    // zero timeout), while a retry after the deadline gives None.
    loop {
        match vm.allow_threads(|| wait_info(&set, Some(left))) {
            Ok(si) => return Ok(siginfo_result(vm, si)),
            Err(libc::EAGAIN) => return Ok(vm.none.clone()),
            Err(libc::EINTR) => taipan_vm::signals::run_pending(vm)?,
            Err(e) => return Err(builtin::os_error_from_io(vm, &std::io::Error::from_raw_os_error(e))),
        }
        match deadline.checked_duration_since(std::time::Instant::now()) {
            Some(d) => left = d,
            None => return Ok(vm.none.clone()),
        }
    }
}
