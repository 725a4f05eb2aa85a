//! The `faulthandler` module. `dump_traceback` writes the Python stack of
//! the calling eval loop ("Stack (most recent call first):" and one
//! `File "...", line N in name` line per frame) to a file descriptor.
//! `enable` installs handlers for the fatal signals (SIGSEGV, SIGFPE,
//! SIGABRT, SIGBUS, SIGILL) that write "Fatal Python error: <name>" to
//! the chosen descriptor and then let the signal kill the process with
//! its default action; a signal handler cannot walk the interpreter's
//! frames safely, so no stack follows there. `dump_traceback_later` arms
//! a watchdog thread that, unless cancelled in time, writes
//! "Timeout (H:MM:SS)!" (the frames of a thread running Python code
//! cannot be read from another thread, so no stack follows either) and,
//! with `exit=True`, ends the process with `_exit(1)`.
//!
//! # Safety
//!
//! The fatal-signal handler is async-signal-safe: it reads atomics,
//! calls `write(2)` on static bytes, restores the default disposition
//! with `sigaction` and re-raises with `raise`. `sigaction` calls pass
//! pointers to initialised locals. The watchdog calls `write(2)` with a
//! live buffer and `_exit(2)`, which ends the process at once.

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use taipan_vm::modules::add_functions;
use taipan_vm::native::{bind, exact, FunctionDef, Params};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::IntData;
use taipan_vm::types::Kwargs;
use taipan_vm::{PyResult, Vm};

static ENABLED: AtomicBool = AtomicBool::new(false);
static FATAL_FD: AtomicI32 = AtomicI32::new(2);

const FATAL: &[(libc::c_int, &[u8])] = &[
    (libc::SIGSEGV, b"Fatal Python error: Segmentation fault\n\n"),
    (libc::SIGFPE, b"Fatal Python error: Floating point exception\n\n"),
    (libc::SIGABRT, b"Fatal Python error: Aborted\n\n"),
    (libc::SIGBUS, b"Fatal Python error: Bus error\n\n"),
    (libc::SIGILL, b"Fatal Python error: Illegal instruction\n\n"),
];

extern "C" fn fatal_handler(sig: libc::c_int) {
    let fd = FATAL_FD.load(Ordering::Relaxed);
    if let Some((_, msg)) = FATAL.iter().find(|(s, _)| *s == sig) {
        // SAFETY: static bytes; write(2) is async-signal-safe.
        unsafe { libc::write(fd, msg.as_ptr().cast(), msg.len()) };
    }
    // SAFETY: restore the default action, then deliver the signal again.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = libc::SIG_DFL;
        libc::sigemptyset(&mut sa.sa_mask);
        libc::sigaction(sig, &sa, std::ptr::null_mut());
        libc::raise(sig);
    }
}

static FUNCTIONS: &[FunctionDef] = &[
    FunctionDef::new("enable", faulthandler_enable, "Enable the fault handler."),
    FunctionDef::new("disable", faulthandler_disable, "Disable the fault handler."),
    FunctionDef::new("is_enabled", faulthandler_is_enabled, "Check if the handler is enabled."),
    FunctionDef::new(
        "dump_traceback_later",
        faulthandler_dump_traceback_later,
        "Dump the traceback of all threads in timeout seconds,\nor each timeout seconds if repeat is True. If exit is True, call _exit(1) which is not safe.",
    ),
    FunctionDef::new("cancel_dump_traceback_later", faulthandler_cancel_dump_traceback_later, "Cancel the previous call to dump_traceback_later()."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCTIONS)?;
    // Reads the caller's frames (see `eval::call_callee`).
    let f = taipan_vm::function::new_frame_reading_function(vm, "dump_traceback", faulthandler_dump_traceback);
    taipan_vm::modules::add_attr(vm, m, "dump_traceback", f)
}

/// The descriptor of a `file` argument: an int, or an object with
/// `fileno()` (flushed first, as CPython does); None means `sys.stderr`
/// (fd 2 when `sys` has none).
fn file_fd(vm: &Vm, file: Option<Obj>) -> PyResult<i32> {
    let file = match file.filter(|f| !f.is(&vm.none)) {
        Some(f) => f,
        None => {
            let sys = taipan_vm::import::import_absolute(vm, "sys")?;
            match taipan_vm::classes::getattr_opt(vm, &sys, &vm.intern("stderr"))? {
                Some(s) if !s.is(&vm.none) => s,
                _ => return Ok(2),
            }
        }
    };
    let fd = match file.downcast::<IntData>() {
        Some(IntData::Small(v)) => *v,
        Some(_) => -1,
        None => {
            let fileno = taipan_vm::classes::getattr(vm, &file, &vm.intern("fileno"))?;
            let n = taipan_vm::classes::call_object(vm, &fileno, &[])?;
            if let Some(flush) = taipan_vm::classes::getattr_opt(vm, &file, &vm.intern("flush"))? {
                taipan_vm::classes::call_object(vm, &flush, &[])?;
            }
            match n.downcast::<IntData>() {
                Some(IntData::Small(v)) => *v,
                _ => -1,
            }
        }
    };
    if fd < 0 || fd > i32::MAX as i64 {
        return Err(vm.new_error(&vm.types.value_error, "file is not a valid file descripter"));
    }
    Ok(fd as i32)
}

fn write_fd(fd: i32, text: &str) {
    let mut bytes = text.as_bytes();
    while !bytes.is_empty() {
        // SAFETY: `bytes` is a live slice of its length.
        let n = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
        if n <= 0 {
            return;
        }
        bytes = &bytes[n as usize..];
    }
}

fn faulthandler_dump_traceback(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static PARAMS: Params = Params { fname: "dump_traceback", names: &["file", "all_threads"], posonly: 0, kwonly: 0, required: 0 };
    let [file, all_threads] = bind::<2>(vm, &PARAMS, args, kw)?;
    let fd = file_fd(vm, file)?;
    let all = match all_threads {
        Some(a) => taipan_vm::ops::truth(vm, &a)?,
        None => true,
    };
    let mut out = String::new();
    if all {
        // SAFETY: pthread_self has no preconditions.
        let id = unsafe { libc::pthread_self() } as usize;
        out.push_str(&format!("Current thread {id:#018x} (most recent call first):\n"));
    } else {
        out.push_str("Stack (most recent call first):\n");
    }
    if let Some(view) = taipan_vm::eval::caller_frame(vm) {
        for v in std::iter::once(&view).chain(view.callers.iter().rev()) {
            let (file, name) = match v.code.downcast::<taipan_vm::function::CodeData>() {
                Some(c) => (c.unit.filename.to_string(), c.unit.name.to_string()),
                None => ("???".to_string(), "???".to_string()),
            };
            let line = taipan_vm::function::code_line(&v.code, v.lasti);
            out.push_str(&format!("  File \"{file}\", line {line} in {name}\n"));
        }
    }
    write_fd(fd, &out);
    Ok(vm.none.clone())
}

fn faulthandler_enable(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static PARAMS: Params = Params { fname: "enable", names: &["file", "all_threads"], posonly: 0, kwonly: 0, required: 0 };
    let [file, _all] = bind::<2>(vm, &PARAMS, args, kw)?;
    FATAL_FD.store(file_fd(vm, file)?, Ordering::Relaxed);
    for (sig, _) in FATAL {
        // SAFETY: an initialised sigaction for a valid signal.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = fatal_handler as extern "C" fn(libc::c_int) as libc::sighandler_t;
            sa.sa_flags = libc::SA_NODEFER | libc::SA_ONSTACK;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(*sig, &sa, std::ptr::null_mut());
        }
    }
    ENABLED.store(true, Ordering::Relaxed);
    Ok(vm.none.clone())
}

fn faulthandler_disable(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "faulthandler.disable", args, kw)?;
    let was = ENABLED.swap(false, Ordering::Relaxed);
    if was {
        for (sig, _) in FATAL {
            // SAFETY: an initialised sigaction for a valid signal.
            unsafe {
                let mut sa: libc::sigaction = std::mem::zeroed();
                sa.sa_sigaction = libc::SIG_DFL;
                libc::sigemptyset(&mut sa.sa_mask);
                libc::sigaction(*sig, &sa, std::ptr::null_mut());
            }
        }
    }
    Ok(vm.bool(was))
}

fn faulthandler_is_enabled(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "faulthandler.is_enabled", args, kw)?;
    Ok(vm.bool(ENABLED.load(Ordering::Relaxed)))
}

/// The armed watchdog of `dump_traceback_later`: its cancel flag (with the
/// condition variable its thread waits on) and the thread.
struct Watchdog {
    cancel: Arc<(Mutex<bool>, Condvar)>,
    thread: std::thread::JoinHandle<()>,
}

static WATCHDOG: Mutex<Option<Watchdog>> = Mutex::new(None);

/// Stops the armed watchdog, if any, and waits for its thread to end.
fn cancel_watchdog() {
    let old = WATCHDOG.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(w) = old {
        let (flag, cond) = &*w.cancel;
        *flag.lock().unwrap_or_else(|e| e.into_inner()) = true;
        cond.notify_all();
        let _ = w.thread.join();
    }
}

/// CPython's timeout header: `Timeout (H:MM:SS[.ffffff])!`.
fn timeout_header(secs: f64) -> String {
    let us = (secs * 1e6).round() as u64;
    let (whole, frac) = (us / 1_000_000, us % 1_000_000);
    let (h, m, s) = (whole / 3600, whole / 60 % 60, whole % 60);
    if frac != 0 {
        format!("Timeout ({h}:{m:02}:{s:02}.{frac:06})!\n")
    } else {
        format!("Timeout ({h}:{m:02}:{s:02})!\n")
    }
}

fn watchdog_loop(cancel: Arc<(Mutex<bool>, Condvar)>, every: Duration, header: String, fd: i32, repeat: bool, exit: bool) {
    let (flag, cond) = &*cancel;
    let mut deadline = Instant::now() + every;
    let mut cancelled = flag.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        let now = Instant::now();
        if *cancelled {
            return;
        }
        if now < deadline {
            cancelled = cond.wait_timeout(cancelled, deadline - now).unwrap_or_else(|e| e.into_inner()).0;
            continue;
        }
        write_fd(fd, &header);
        if exit {
            // SAFETY: ends the process at once (as CPython's watchdog does).
            unsafe { libc::_exit(1) };
        }
        if !repeat {
            return;
        }
        deadline += every;
    }
}

fn faulthandler_dump_traceback_later(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static PARAMS: Params =
        Params { fname: "dump_traceback_later", names: &["timeout", "repeat", "file", "exit"], posonly: 0, kwonly: 0, required: 1 };
    let [timeout, repeat, file, exit] = bind::<4>(vm, &PARAMS, args, kw)?;
    let timeout = crate::time::timeout_seconds(vm, timeout.as_ref().unwrap_or(&vm.none))?;
    if timeout <= 0.0 {
        return Err(vm.new_error(&vm.types.value_error, "timeout must be greater than 0"));
    }
    let flag = |o: Option<Obj>| o.map_or(Ok(false), |o| taipan_vm::ops::truth(vm, &o));
    let (repeat, exit) = (flag(repeat)?, flag(exit)?);
    let fd = file_fd(vm, file)?;
    cancel_watchdog();
    let cancel = Arc::new((Mutex::new(false), Condvar::new()));
    let header = timeout_header(timeout);
    let every = Duration::from_secs_f64(timeout);
    let c = cancel.clone();
    let spawned =
        std::thread::Builder::new().name("faulthandler-watchdog".into()).spawn(move || watchdog_loop(c, every, header, fd, repeat, exit));
    match spawned {
        Ok(thread) => {
            *WATCHDOG.lock().unwrap_or_else(|e| e.into_inner()) = Some(Watchdog { cancel, thread });
            Ok(vm.none.clone())
        }
        Err(e) => Err(taipan_vm::types::builtin::os_error_from_io(vm, &e)),
    }
}

fn faulthandler_cancel_dump_traceback_later(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "faulthandler.cancel_dump_traceback_later", args, kw)?;
    vm.allow_threads(cancel_watchdog);
    Ok(vm.none.clone())
}
