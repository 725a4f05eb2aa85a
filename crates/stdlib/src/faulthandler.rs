//! The `faulthandler` module, with CPython's output format.
//!
//! - `dump_traceback(file, all_threads)` writes the calling thread's
//!   Python stack ("Stack (most recent call first):" or "Current thread
//!   0x... (most recent call first):", then one `  File "f", line N in
//!   name` line per frame, innermost first); with `all_threads`, the
//!   stacks other threads had when they last released the GIL come first
//!   ("Thread 0x..."), as `taipan_vm::thread::waiting_stacks` records them
//!   (turned on when this module is imported).
//! - `enable` installs handlers for the fatal signals (SIGSEGV, SIGFPE,
//!   SIGABRT, SIGBUS, SIGILL) that write "Fatal Python error: <name>" and
//!   the crashing thread's stack, then let the signal kill the process with
//!   its default action. `register(signum)` dumps the stack when a user
//!   signal arrives (and calls the previous handler with `chain`).
//! - `dump_traceback_later` arms a watchdog: an OS thread that waits
//!   without the GIL and, when the timeout passes uncancelled, takes the
//!   GIL and dumps every thread ("Timeout (H:MM:SS.ffffff)!").
//! - `_sigsegv`, `_sigabrt`, `_sigfpe`, `_read_null`,
//!   `_fatal_error_c_thread`: the crash helpers CPython's tests use.
//!
//! # Safety
//!
//! The signal handlers write with `write(2)` from a buffer on their own
//! stack (no allocation, no locks): the stack walk reads the interrupted
//! thread's frame chain through `taipan_vm::eval::walk_stack`, which gives
//! up when the chain is being changed. Handler state is atomics only.
//! `sigaction` calls pass pointers to initialised locals; a previous
//! handler saved for `register(chain=True)` is called with the signal
//! number only when it was installed as a plain (or `SA_SIGINFO`)
//! function.

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use taipan_vm::modules::add_functions;
use taipan_vm::native::{bind, exact, FunctionDef, Params};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{int_data, IntData};
use taipan_vm::types::Kwargs;
use taipan_vm::{PyResult, Vm};

static ENABLED: AtomicBool = AtomicBool::new(false);
static FATAL_FD: AtomicI32 = AtomicI32::new(2);
static FATAL_ALL_THREADS: AtomicBool = AtomicBool::new(true);

/// At most this many frames per thread (CPython's `MAX_FRAME_DEPTH`).
const MAX_FRAMES: usize = 100;
/// File and function names are cut after this many characters.
const MAX_STRING: usize = 500;
const NSIG: usize = 65;

const FATAL: &[(libc::c_int, &str)] = &[
    (libc::SIGSEGV, "Segmentation fault"),
    (libc::SIGFPE, "Floating point exception"),
    (libc::SIGABRT, "Aborted"),
    (libc::SIGBUS, "Bus error"),
    (libc::SIGILL, "Illegal instruction"),
];

// ------------------------------------------------------------------ output

/// Async-signal-safe output: a fixed buffer flushed with `write(2)`.
/// With `collect`, output goes to that vector instead (outside signal
/// handlers only).
struct FdWriter {
    fd: i32,
    buf: [u8; 512],
    len: usize,
    collect: Option<Vec<u8>>,
}

impl FdWriter {
    fn new(fd: i32) -> FdWriter {
        FdWriter { fd, buf: [0; 512], len: 0, collect: None }
    }

    fn collecting() -> FdWriter {
        FdWriter { fd: -1, buf: [0; 512], len: 0, collect: Some(Vec::new()) }
    }

    fn flush(&mut self) {
        if let Some(v) = &mut self.collect {
            v.extend_from_slice(&self.buf[..self.len]);
            self.len = 0;
            return;
        }
        let mut at = 0;
        while at < self.len {
            // SAFETY: the range is inside `buf`.
            let n = unsafe { libc::write(self.fd, self.buf[at..].as_ptr().cast(), self.len - at) };
            if n <= 0 {
                break;
            }
            at += n as usize;
        }
        self.len = 0;
    }

    fn put(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if self.len == self.buf.len() {
                self.flush();
            }
            self.buf[self.len] = b;
            self.len += 1;
        }
    }

    fn put_dec(&mut self, mut v: u64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.put(&digits[at..]);
    }

    fn put_hex(&mut self, v: u64, width: usize) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut digits = [b'0'; 16];
        let mut at = digits.len();
        let mut v = v;
        while v != 0 || digits.len() - at < width {
            at -= 1;
            digits[at] = HEX[(v & 15) as usize];
            v >>= 4;
            if at == 0 {
                break;
            }
        }
        self.put(&digits[at..]);
    }

    /// A name as CPython's `_Py_DumpASCII`: printable ASCII as is, other
    /// characters as `\xHH`, `\uHHHH` or `\UHHHHHHHH`; cut after
    /// `MAX_STRING` characters with "...".
    fn put_name(&mut self, s: &str) {
        for (i, c) in s.chars().enumerate() {
            if i == MAX_STRING {
                self.put(b"...");
                return;
            }
            let v = c as u32;
            if (0x20..0x7f).contains(&v) {
                self.put(&[v as u8]);
            } else if v <= 0xff {
                self.put(b"\\x");
                self.put_hex(v as u64, 2);
            } else if v <= 0xffff {
                self.put(b"\\u");
                self.put_hex(v as u64, 4);
            } else {
                self.put(b"\\U");
                self.put_hex(v as u64, 8);
            }
        }
    }

    fn put_frame(&mut self, code: &Obj, lasti: u32) {
        self.put(b"  File \"");
        match code.downcast::<taipan_vm::function::CodeData>() {
            Some(c) => {
                self.put_name(&c.unit.filename);
                self.put(b"\", line ");
                self.put_dec(taipan_vm::function::code_line(code, lasti) as u64);
                self.put(b" in ");
                self.put_name(&c.unit.name);
            }
            None => self.put(b"???\", line ??? in ???"),
        }
        self.put(b"\n");
    }

    /// "Current thread 0x... (most recent call first):" and friends.
    fn put_header(&mut self, all_threads: bool, current: bool, ident: u64) {
        if all_threads {
            self.put(if current { b"Current thread 0x" as &[u8] } else { b"Thread 0x" });
            self.put_hex(ident, 16);
            self.put(b" (most recent call first):\n");
        } else {
            self.put(b"Stack (most recent call first):\n");
        }
    }

    /// A thread's frames from `(code, instruction)` pairs.
    fn put_stack(&mut self, stack: &[(Obj, u32)]) {
        if stack.is_empty() {
            self.put(b"  <no Python frame>\n");
        }
        for (i, (code, lasti)) in stack.iter().enumerate() {
            if i == MAX_FRAMES {
                self.put(b"  ...\n");
                break;
            }
            self.put_frame(code, *lasti);
        }
    }
}

fn current_ident() -> u64 {
    taipan_vm::object::thread_ident()
}

/// The stack of the thread running this signal handler, written without
/// allocating (see the module's safety notes).
fn put_signal_stack(w: &mut FdWriter) {
    let mut n = 0;
    let walked = taipan_vm::object::gc::with_current_vm(|vm| {
        taipan_vm::eval::walk_stack(vm, MAX_FRAMES + 1, &mut |code, lasti| {
            n += 1;
            if n > MAX_FRAMES {
                w.put(b"  ...\n");
            } else {
                w.put_frame(code, lasti);
            }
        })
    });
    if walked != Some(true) || n == 0 {
        w.put(b"  <no Python frame>\n");
    }
}

// ------------------------------------------------------------ fatal errors

extern "C" fn fatal_handler(sig: libc::c_int) {
    // SAFETY: errno is thread-local; saved and restored around the handler.
    let saved_errno = unsafe { *libc::__errno_location() };
    let fd = FATAL_FD.load(Ordering::Relaxed);
    let mut w = FdWriter::new(fd);
    if let Some((_, name)) = FATAL.iter().find(|(s, _)| *s == sig) {
        w.put(b"Fatal Python error: ");
        w.put(name.as_bytes());
        w.put(b"\n\n");
    }
    w.put_header(FATAL_ALL_THREADS.load(Ordering::Relaxed), true, current_ident());
    // Only a Python thread (one with a registered `Vm`) has a heap to ask.
    if taipan_vm::object::gc::with_current_vm(|_| taipan_vm::object::gc::collecting()) == Some(true) {
        w.put(b"  Garbage-collecting\n");
    }
    put_signal_stack(&mut w);
    w.flush();
    // SAFETY: restore the default action, then deliver the signal again.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = libc::SIG_DFL;
        libc::sigemptyset(&mut sa.sa_mask);
        libc::sigaction(sig, &sa, std::ptr::null_mut());
        *libc::__errno_location() = saved_errno;
        libc::raise(sig);
    }
}

fn set_handler(sig: libc::c_int, handler: libc::sighandler_t, flags: libc::c_int, old: Option<&mut libc::sigaction>) -> bool {
    // SAFETY: an initialised sigaction for a signal number in range; `old`
    // is a live, writable sigaction when given.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = handler;
        sa.sa_flags = flags;
        libc::sigemptyset(&mut sa.sa_mask);
        let old_p = match old {
            Some(o) => o as *mut libc::sigaction,
            None => std::ptr::null_mut(),
        };
        libc::sigaction(sig, &sa, old_p) == 0
    }
}

// -------------------------------------------------------- argument helpers

/// The descriptor of a `file` argument: an int, or an object with
/// `fileno()` (flushed first, as CPython does); None means `sys.stderr`.
/// Also returns the file object to keep alive.
fn file_fd(vm: &Vm, file: Option<Obj>) -> PyResult<(i32, Option<Obj>)> {
    let file = match file.filter(|f| !f.is(&vm.none)) {
        Some(f) => f,
        None => {
            let sys = taipan_vm::import::import_absolute(vm, "sys")?;
            match taipan_vm::classes::getattr_opt(vm, &sys, &vm.intern("stderr"))? {
                Some(s) if !s.is(&vm.none) => s,
                Some(_) => return Err(vm.new_error(&vm.types.runtime_error, "sys.stderr is None")),
                None => return Err(vm.new_error(&vm.types.runtime_error, "unable to get sys.stderr")),
            }
        }
    };
    let bad = || vm.new_error(&vm.types.value_error, "file is not a valid file descripter");
    if let Some(d) = int_data(&file) {
        return match d {
            IntData::Small(v) if (0..=i32::MAX as i64).contains(v) => Ok((*v as i32, None)),
            _ => Err(bad()),
        };
    }
    let fileno = taipan_vm::classes::getattr(vm, &file, &vm.intern("fileno"))?;
    let n = taipan_vm::classes::call_object(vm, &fileno, &[])?;
    let fd = match int_data(&n) {
        Some(IntData::Small(v)) if (0..=i32::MAX as i64).contains(v) => *v as i32,
        Some(_) => return Err(bad()),
        None => return Err(vm.new_error(&vm.types.runtime_error, "file.fileno() is not a valid file descriptor")),
    };
    if let Ok(Some(flush)) = taipan_vm::classes::getattr_opt(vm, &file, &vm.intern("flush")) {
        // Errors of flush() are ignored, as in CPython.
        let _ = taipan_vm::classes::call_object(vm, &flush, &[]);
    }
    Ok((fd, Some(file)))
}

fn truth(vm: &Vm, o: &Option<Obj>, default: bool) -> PyResult<bool> {
    match o {
        Some(a) => taipan_vm::ops::truth(vm, a),
        None => Ok(default),
    }
}

// ----------------------------------------------------------- dump_traceback

/// Writes the other threads' recorded stacks (each followed by a blank
/// line), then, if `current` is given, the calling thread's stack.
fn dump_threads(vm: &Vm, w: &mut FdWriter, current: Option<&[(Obj, u32)]>) {
    let me = current_ident();
    let others = taipan_vm::thread::waiting_stacks(vm);
    let mut first = true;
    for (ident, stack) in others.iter().rev() {
        if *ident == me || stack.is_empty() {
            continue;
        }
        if !first {
            w.put(b"\n");
        }
        first = false;
        w.put_header(true, false, *ident);
        w.put_stack(stack);
    }
    if let Some(stack) = current {
        if !first {
            w.put(b"\n");
        }
        w.put_header(true, true, me);
        w.put_stack(stack);
    }
}

fn faulthandler_dump_traceback(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static PARAMS: Params = Params { fname: "dump_traceback", names: &["file", "all_threads"], posonly: 0, kwonly: 0, required: 0 };
    let [file, all_threads] = bind::<2>(vm, &PARAMS, args, kw)?;
    let (fd, _keep) = file_fd(vm, file)?;
    let all = truth(vm, &all_threads, true)?;
    let stack = taipan_vm::eval::thread_stack(vm, MAX_FRAMES + 1);
    let mut w = FdWriter::new(fd);
    if all {
        dump_threads(vm, &mut w, Some(&stack));
    } else {
        w.put_header(false, true, 0);
        w.put_stack(&stack);
    }
    w.flush();
    Ok(vm.none.clone())
}

fn faulthandler_enable(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static PARAMS: Params = Params { fname: "enable", names: &["file", "all_threads"], posonly: 0, kwonly: 0, required: 0 };
    let [file, all] = bind::<2>(vm, &PARAMS, args, kw)?;
    let (fd, keep) = file_fd(vm, file)?;
    let all = truth(vm, &all, true)?;
    vm.state::<State>().enable_file.replace(keep);
    FATAL_FD.store(fd, Ordering::Relaxed);
    FATAL_ALL_THREADS.store(all, Ordering::Relaxed);
    for (sig, _) in FATAL {
        set_handler(*sig, fatal_handler as extern "C" fn(libc::c_int) as libc::sighandler_t, libc::SA_NODEFER | libc::SA_ONSTACK, None);
    }
    ENABLED.store(true, Ordering::Relaxed);
    Ok(vm.none.clone())
}

fn faulthandler_disable(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "faulthandler.disable", args, kw)?;
    let was = ENABLED.swap(false, Ordering::Relaxed);
    if was {
        for (sig, _) in FATAL {
            set_handler(*sig, libc::SIG_DFL, 0, None);
        }
    }
    vm.state::<State>().enable_file.replace(None);
    Ok(vm.bool(was))
}

fn faulthandler_is_enabled(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "faulthandler.is_enabled", args, kw)?;
    Ok(vm.bool(ENABLED.load(Ordering::Relaxed)))
}

/// Objects kept alive for the handlers (their descriptors stay open).
#[derive(Default)]
struct State {
    enable_file: std::cell::RefCell<Option<Obj>>,
    user_files: std::cell::RefCell<Vec<(i32, Obj)>>,
    watchdog: std::cell::RefCell<Option<Arc<Cancel>>>,
}

// ------------------------------------------------------------- register

struct UserSignal {
    enabled: AtomicBool,
    fd: AtomicI32,
    all_threads: AtomicBool,
    chain: AtomicBool,
    /// The previous handler (`sa_sigaction`) and its flags.
    prev: AtomicUsize,
    prev_flags: AtomicI32,
}

#[allow(clippy::declare_interior_mutable_const)]
const USER_INIT: UserSignal = UserSignal {
    enabled: AtomicBool::new(false),
    fd: AtomicI32::new(2),
    all_threads: AtomicBool::new(true),
    chain: AtomicBool::new(false),
    prev: AtomicUsize::new(0),
    prev_flags: AtomicI32::new(0),
};

static USER: [UserSignal; NSIG] = [USER_INIT; NSIG];

extern "C" fn user_handler(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    let Some(u) = USER.get(sig as usize) else { return };
    if !u.enabled.load(Ordering::Relaxed) {
        return;
    }
    // SAFETY: errno is thread-local; saved and restored around the handler.
    let saved_errno = unsafe { *libc::__errno_location() };
    let mut w = FdWriter::new(u.fd.load(Ordering::Relaxed));
    w.put_header(u.all_threads.load(Ordering::Relaxed), true, current_ident());
    put_signal_stack(&mut w);
    w.flush();
    if u.chain.load(Ordering::Relaxed) {
        let prev = u.prev.load(Ordering::Relaxed);
        let flags = u.prev_flags.load(Ordering::Relaxed);
        if prev == libc::SIG_DFL {
            // CPython's way: the previous disposition acts on the signal
            // raised again, then this handler goes back in place.
            set_handler(sig, libc::SIG_DFL, 0, None);
            // SAFETY: raising a valid signal number.
            unsafe { libc::raise(sig) };
            set_handler(sig, user_handler as *const () as usize, libc::SA_SIGINFO | libc::SA_NODEFER | libc::SA_ONSTACK, None);
        } else if prev != libc::SIG_IGN {
            // SAFETY: `prev` was installed by `sigaction` as a handler of
            // the kind its flags say.
            unsafe {
                if flags & libc::SA_SIGINFO != 0 {
                    let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) = std::mem::transmute(prev);
                    f(sig, info, ctx);
                } else {
                    let f: extern "C" fn(libc::c_int) = std::mem::transmute(prev);
                    f(sig);
                }
            }
        }
    }
    // SAFETY: see above.
    unsafe { *libc::__errno_location() = saved_errno };
}

fn signum_arg(vm: &Vm, o: &Obj) -> PyResult<usize> {
    let v = crate::posix::c_int_arg(vm, o)?;
    if FATAL.iter().any(|(s, _)| *s == v) {
        return Err(vm.new_error(&vm.types.runtime_error, format!("signal {v} cannot be registered, use enable() instead")));
    }
    if v < 1 || v as usize >= NSIG {
        return Err(vm.new_error(&vm.types.value_error, "signal number out of range"));
    }
    Ok(v as usize)
}

fn faulthandler_register(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static PARAMS: Params =
        Params { fname: "register", names: &["signum", "file", "all_threads", "chain"], posonly: 0, kwonly: 0, required: 1 };
    let [signum, file, all, chain] = bind::<4>(vm, &PARAMS, args, kw)?;
    let sig = signum_arg(vm, signum.as_ref().unwrap_or(&vm.none))?;
    let (fd, keep) = file_fd(vm, file)?;
    let all = truth(vm, &all, true)?;
    let chain = truth(vm, &chain, false)?;
    let u = &USER[sig];
    if !u.enabled.load(Ordering::Relaxed) {
        // SAFETY: zeroed sigaction, filled by `sigaction` on success.
        let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
        let mut flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
        flags |= if chain { libc::SA_NODEFER } else { libc::SA_RESTART };
        if !set_handler(sig as i32, user_handler as *const () as usize, flags, Some(&mut old)) {
            return Err(crate::posix::os_error(vm, crate::posix::sys::errno(), None, None));
        }
        u.prev.store(old.sa_sigaction, Ordering::Relaxed);
        u.prev_flags.store(old.sa_flags, Ordering::Relaxed);
    }
    u.fd.store(fd, Ordering::Relaxed);
    u.all_threads.store(all, Ordering::Relaxed);
    u.chain.store(chain, Ordering::Relaxed);
    u.enabled.store(true, Ordering::Relaxed);
    let st = vm.state::<State>();
    let mut files = st.user_files.borrow_mut();
    files.retain(|(s, _)| *s != sig as i32);
    if let Some(f) = keep {
        files.push((sig as i32, f));
    }
    Ok(vm.none.clone())
}

fn faulthandler_unregister(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [signum] = exact::<1>(vm, "unregister", args, kw)?;
    let sig = signum_arg(vm, &signum)?;
    let u = &USER[sig];
    if !u.enabled.swap(false, Ordering::Relaxed) {
        return Ok(vm.false_.clone());
    }
    set_handler(sig as i32, u.prev.load(Ordering::Relaxed), u.prev_flags.load(Ordering::Relaxed), None);
    vm.state::<State>().user_files.borrow_mut().retain(|(s, _)| *s != sig as i32);
    Ok(vm.true_.clone())
}

// ---------------------------------------------------- dump_traceback_later

/// A watchdog's cancellation flag.
#[derive(Default)]
struct Cancel {
    cancelled: Mutex<bool>,
    cond: Condvar,
}

impl Cancel {
    fn cancel(&self) {
        *self.cancelled.lock().unwrap_or_else(|e| e.into_inner()) = true;
        self.cond.notify_all();
    }

    fn is_cancelled(&self) -> bool {
        *self.cancelled.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits up to `timeout`; true when cancelled.
    fn wait(&self, timeout: Duration) -> bool {
        let g = self.cancelled.lock().unwrap_or_else(|e| e.into_inner());
        match self.cond.wait_timeout_while(g, timeout, |c| !*c) {
            Ok((g, _)) => *g,
            Err(e) => *e.into_inner().0,
        }
    }
}

struct Watchdog {
    cancel: Arc<Cancel>,
    timeout: Duration,
    repeat: bool,
    exit: bool,
    fd: i32,
    header: String,
    /// The file object, kept open while the watchdog lives.
    _file: Option<Obj>,
}

fn watchdog_main(vm: &Vm, w: Watchdog) {
    loop {
        let cancel = w.cancel.clone();
        let timeout = w.timeout;
        let cancelled = vm.allow_threads(move || cancel.wait(timeout));
        if cancelled || w.cancel.is_cancelled() {
            return;
        }
        let mut out = FdWriter::new(w.fd);
        out.put(w.header.as_bytes());
        dump_threads(vm, &mut out, None);
        out.flush();
        if w.exit {
            crate::posix::sys::exit_now(1);
        }
        if !w.repeat {
            return;
        }
    }
}

/// CPython's "Timeout (H:MM:SS[.ffffff])!\n".
fn timeout_header(us: u64) -> String {
    let (sec, frac) = (us / 1_000_000, us % 1_000_000);
    let (min, sec) = (sec / 60, sec % 60);
    let (hour, min) = (min / 60, min % 60);
    if frac != 0 {
        format!("Timeout ({hour}:{min:02}:{sec:02}.{frac:06})!\n")
    } else {
        format!("Timeout ({hour}:{min:02}:{sec:02})!\n")
    }
}

fn cancel_watchdog(vm: &Vm) {
    if let Some(c) = vm.state::<State>().watchdog.borrow_mut().take() {
        c.cancel();
    }
}

fn faulthandler_dump_traceback_later(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static PARAMS: Params =
        Params { fname: "dump_traceback_later", names: &["timeout", "repeat", "file", "exit"], posonly: 0, kwonly: 0, required: 1 };
    let [timeout, repeat, file, exit] = bind::<4>(vm, &PARAMS, args, kw)?;
    let timeout = timeout.unwrap_or_else(|| vm.none.clone());
    let secs = match timeout.downcast::<f64>() {
        Some(f) => *f,
        None => {
            let v = taipan_vm::ops::index(vm, &timeout).map_err(|_| {
                vm.type_error(format!("'{}' object cannot be interpreted as an integer", taipan_vm::types::builtin::type_name(&timeout)))
            })?;
            match int_data(&v) {
                Some(IntData::Small(v)) => *v as f64,
                _ => return Err(vm.new_error(&vm.types.overflow_error, "timeout value is too large")),
            }
        }
    };
    if secs.is_nan() {
        return Err(vm.new_error(&vm.types.value_error, "Invalid value NaN (not a number)"));
    }
    let us = (secs * 1e6).round();
    if us >= 9.2e18 / 1e3 {
        return Err(vm.new_error(&vm.types.overflow_error, "timeout value is too large"));
    }
    if us <= 0.0 {
        return Err(vm.new_error(&vm.types.value_error, "timeout must be greater than 0"));
    }
    let us = us as u64;
    let repeat = truth(vm, &repeat, false)?;
    let exit = truth(vm, &exit, false)?;
    let (fd, keep) = file_fd(vm, file)?;
    cancel_watchdog(vm);
    taipan_vm::thread::set_track_stacks(true);
    let cancel = Arc::new(Cancel::default());
    let w =
        Watchdog { cancel: cancel.clone(), timeout: Duration::from_micros(us), repeat, exit, fd, header: timeout_header(us), _file: keep };
    if taipan_vm::thread::spawn_native(vm, w, watchdog_main).is_err() {
        return Err(vm.new_error(&vm.types.runtime_error, "unable to start watchdog thread"));
    }
    *vm.state::<State>().watchdog.borrow_mut() = Some(cancel);
    Ok(vm.none.clone())
}

fn faulthandler_cancel_dump_traceback_later(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "cancel_dump_traceback_later", args, kw)?;
    cancel_watchdog(vm);
    Ok(vm.none.clone())
}

// ------------------------------------------------------------ crash helpers

fn raise_signal(sig: libc::c_int) {
    // SAFETY: raising a valid signal number.
    unsafe { libc::raise(sig) };
}

fn faulthandler_sigsegv(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    // `release_gil` is accepted; the crash happens with the GIL held so
    // that the handler finds this thread's frames.
    static PARAMS: Params = Params { fname: "_sigsegv", names: &["release_gil"], posonly: 1, kwonly: 0, required: 0 };
    bind::<1>(vm, &PARAMS, args, kw)?;
    raise_signal(libc::SIGSEGV);
    Ok(vm.none.clone())
}

fn faulthandler_read_null(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_read_null", args, kw)?;
    // What reading address 0 does on Linux.
    raise_signal(libc::SIGSEGV);
    Ok(vm.none.clone())
}

fn faulthandler_sigabrt(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_sigabrt", args, kw)?;
    raise_signal(libc::SIGABRT);
    Ok(vm.none.clone())
}

fn faulthandler_sigfpe(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_sigfpe", args, kw)?;
    raise_signal(libc::SIGFPE);
    Ok(vm.none.clone())
}

/// A fatal error (`Py_FatalError`) in a thread that is not a Python
/// thread: the message, then the Python threads' stacks, then abort.
fn faulthandler_fatal_error_c_thread(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_fatal_error_c_thread", args, kw)?;
    let stack = taipan_vm::eval::thread_stack(vm, MAX_FRAMES + 1);
    // The report is prepared here, where the frames can be read.
    let mut w = FdWriter::collecting();
    w.put(b"Fatal Python error: faulthandler_fatal_error_thread: in new thread\nPython runtime state: initialized\n\n");
    w.put_header(true, false, current_ident());
    w.put_stack(&stack);
    w.flush();
    let report = w.collect.take().unwrap_or_default();
    let fd = if ENABLED.load(Ordering::Relaxed) { FATAL_FD.load(Ordering::Relaxed) } else { 2 };
    let handle = std::thread::spawn(move || {
        let mut w = FdWriter::new(fd);
        w.put(&report);
        w.flush();
        set_handler(libc::SIGABRT, libc::SIG_DFL, 0, None);
        // SAFETY: ends the process.
        unsafe { libc::abort() };
    });
    let _ = vm.allow_threads(move || handle.join());
    Ok(vm.none.clone())
}

static FUNCTIONS: &[FunctionDef] = &[
    FunctionDef::new("enable", faulthandler_enable, "Enable the fault handler."),
    FunctionDef::new("disable", faulthandler_disable, "Disable the fault handler."),
    FunctionDef::new("is_enabled", faulthandler_is_enabled, "Check if the handler is enabled."),
    FunctionDef::new("dump_traceback", faulthandler_dump_traceback, "Dump the traceback of the current thread, or of all threads if all_threads is True, into file."),
    FunctionDef::new(
        "dump_traceback_later",
        faulthandler_dump_traceback_later,
        "Dump the traceback of all threads in timeout seconds,\nor each timeout seconds if repeat is True. If exit is True, call _exit(1) which is not safe.",
    ),
    FunctionDef::new("cancel_dump_traceback_later", faulthandler_cancel_dump_traceback_later, "Cancel the previous call to dump_traceback_later()."),
    FunctionDef::new("register", faulthandler_register, "Register a handler for the signal 'signum': dump the traceback of the current thread, or of all threads if all_threads is True, into file."),
    FunctionDef::new("unregister", faulthandler_unregister, "Unregister the handler of the signal 'signum' registered by register()."),
    FunctionDef::new("_sigsegv", faulthandler_sigsegv, "Raise a SIGSEGV signal."),
    FunctionDef::new("_read_null", faulthandler_read_null, "Read from NULL, raise a SIGSEGV or SIGBUS signal depending on the platform."),
    FunctionDef::new("_sigabrt", faulthandler_sigabrt, "Raise a SIGABRT signal."),
    FunctionDef::new("_sigfpe", faulthandler_sigfpe, "Raise a SIGFPE signal."),
    FunctionDef::new("_fatal_error_c_thread", faulthandler_fatal_error_c_thread, "Call Py_FatalError() in a new C thread."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCTIONS)?;
    // Other threads' stacks are recorded from now on (`dump_traceback`
    // with all_threads, the watchdog).
    taipan_vm::thread::set_track_stacks(true);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeout_headers() {
        assert_eq!(timeout_header(500_000), "Timeout (0:00:00.500000)!\n");
        assert_eq!(timeout_header(3_723_000_000), "Timeout (1:02:03)!\n");
    }

    #[test]
    fn writer_formats() {
        let mut w = FdWriter::collecting();
        w.put_hex(0xab, 16);
        w.put(b" ");
        w.put_dec(1234);
        w.put(b" ");
        w.put_name("a\u{e9}\u{20ac}");
        w.put_name(&"x".repeat(600));
        w.flush();
        let out = w.collect.take().unwrap_or_default();
        assert!(out.starts_with(b"00000000000000ab 1234 a\\xe9\\u20ac"));
        assert!(out.ends_with(&[b"x".repeat(500), b"...".to_vec()].concat()));
    }
}
