//! Threads: one global interpreter lock (DESIGN.md) and the state each
//! thread keeps while another one holds it.
//!
//! One `Vm` serves all the OS threads of an interpreter, but only the
//! thread holding the GIL touches it (or any object): holding `&Vm` on a
//! thread that holds the GIL is the token. The `Vm` fields that belong to
//! a thread (recursion depth, the exceptions being handled, reprs in
//! progress, frame views, the frame pool) always hold the *holder's*
//! values: a thread that releases the GIL moves them out into a
//! [`ThreadState`] on its own stack and puts them back when it has the GIL
//! again (CPython swaps its `tstate` pointer the same way); the `contextvars`
//! context too.
//!
//! Hand-off is CPython's: a thread that has waited for the GIL longer than
//! the switch interval (5 ms) sets a drop request; the eval loop polls one
//! flag at backward jumps and calls ([`Gil::breaker`]) and, when set, releases
//! the GIL and waits until another thread took it before asking again
//! (forced switching, so the requester gets it). Blocking operations
//! release it around the wait: [`Vm::allow_threads`].
//!
//! Starting an OS thread that runs Python code is `object::gil::spawn`
//! (the only `unsafe` part: the `&Vm` and the thread's arguments cross to
//! the new thread). At exit the main thread keeps the GIL for good
//! ([`Gil::finalize`]); threads still running (daemon threads) stop at
//! their next attempt to take it and die with the process.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::object::Obj;
use crate::vm::Vm;
use crate::PyResult;

/// CPython's default `sys.getswitchinterval()`, in microseconds.
const SWITCH_INTERVAL_US: u64 = 5000;

/// The global interpreter lock of one interpreter.
pub struct Gil {
    state: Mutex<GilState>,
    cond: Condvar,
    /// Polled by the eval loop at backward jumps and calls (one relaxed load):
    /// a drop request or an interrupt is pending.
    pub(crate) breaker: AtomicBool,
    drop_request: AtomicBool,
    /// `_thread.interrupt_main()`: KeyboardInterrupt in the main thread.
    interrupt: AtomicBool,
    /// The serial (`thread_serial`) of the main thread: the one that
    /// created the `Vm`, or in a forked child the one that forked.
    main: AtomicU64,
    /// `sys.setswitchinterval`, in microseconds.
    interval_us: AtomicU64,
}

struct GilState {
    locked: bool,
    /// Incremented at each acquisition (forced switching waits for it).
    switches: u64,
    /// Threads waiting to acquire.
    waiters: usize,
    /// Threads that dropped the GIL on request and wait for a switch.
    yielders: usize,
    /// Interpreter exit: the GIL is never released again.
    finalizing: bool,
    /// The thread that finalized (it keeps the GIL).
    finalizer: u64,
}

static NEXT_SERIAL: AtomicU64 = AtomicU64::new(1);

thread_local! {
    static SERIAL: Cell<u64> = const { Cell::new(0) };
}

/// A number naming the current OS thread, unique for the process's
/// lifetime (unlike `get_ident`'s values, which the OS reuses).
pub fn thread_serial() -> u64 {
    SERIAL.with(|s| {
        if s.get() == 0 {
            s.set(NEXT_SERIAL.fetch_add(1, Relaxed));
        }
        s.get()
    })
}

impl Gil {
    /// A GIL held by the calling thread (the one creating the `Vm`).
    pub(crate) fn new_held() -> Gil {
        Gil {
            state: Mutex::new(GilState { locked: true, switches: 0, waiters: 0, yielders: 0, finalizing: false, finalizer: 0 }),
            cond: Condvar::new(),
            breaker: AtomicBool::new(false),
            drop_request: AtomicBool::new(false),
            interrupt: AtomicBool::new(false),
            main: AtomicU64::new(thread_serial()),
            interval_us: AtomicU64::new(SWITCH_INTERVAL_US),
        }
    }

    fn lock(&self) -> MutexGuard<'_, GilState> {
        // Poisoning: the state is a few plain fields, always consistent.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn update_breaker(&self) {
        let on = self.drop_request.load(Relaxed) || (self.interrupt.load(Relaxed) && thread_serial() == self.main.load(Relaxed));
        self.breaker.store(on, Relaxed);
    }

    /// Takes the GIL, waiting as long as needed. A thread that finds the
    /// interpreter finalizing never returns (it parks until the process
    /// exits).
    pub(crate) fn acquire(&self) {
        let mut s = self.lock();
        if s.finalizing && s.finalizer == thread_serial() {
            return;
        }
        if s.locked || s.finalizing {
            s.waiters += 1;
            loop {
                if s.finalizing {
                    drop(s);
                    loop {
                        std::thread::park();
                    }
                }
                if !s.locked {
                    break;
                }
                let before = s.switches;
                let (g, r) =
                    self.cond.wait_timeout(s, Duration::from_micros(self.interval_us.load(Relaxed))).unwrap_or_else(|e| e.into_inner());
                s = g;
                if r.timed_out() && s.locked && s.switches == before {
                    // The holder ran a whole interval: ask it to let go.
                    self.drop_request.store(true, Relaxed);
                    self.breaker.store(true, Relaxed);
                }
            }
            s.waiters -= 1;
        }
        s.locked = true;
        s.switches = s.switches.wrapping_add(1);
        self.drop_request.store(false, Relaxed);
        self.update_breaker();
        if s.yielders > 0 {
            self.cond.notify_all();
        }
    }

    /// Lets the GIL go.
    pub(crate) fn release(&self) {
        let mut s = self.lock();
        if s.finalizing {
            return;
        }
        s.locked = false;
        if s.waiters > 0 {
            self.cond.notify_all();
        }
    }

    /// Lets the GIL go on a drop request and waits until another thread
    /// took it (or nobody wants it any more).
    fn release_for_switch(&self) {
        let mut s = self.lock();
        if s.finalizing {
            return;
        }
        s.locked = false;
        if s.waiters == 0 {
            return;
        }
        self.cond.notify_all();
        let before = s.switches;
        s.yielders += 1;
        while s.switches == before && s.waiters > 0 && !s.finalizing {
            s = self.cond.wait(s).unwrap_or_else(|e| e.into_inner());
        }
        s.yielders -= 1;
    }

    /// Interpreter exit, by the thread holding the GIL: it keeps it for
    /// good, so no other thread runs Python code again.
    pub(crate) fn finalize(&self) {
        let mut s = self.lock();
        if !s.finalizing {
            s.finalizing = true;
            s.finalizer = thread_serial();
        }
    }

    /// Asks for the main thread to run soon (signal handlers run there),
    /// raising KeyboardInterrupt at its next check if `interrupt`.
    pub(crate) fn request_main_thread(&self, interrupt: bool) {
        if interrupt {
            self.interrupt.store(true, Relaxed);
            self.update_breaker();
        }
        if thread_serial() != self.main.load(Relaxed) {
            // The main thread sets its breaker when it next takes the GIL;
            // ask the current holder (us) to hand over soon.
            self.drop_request.store(true, Relaxed);
            self.breaker.store(true, Relaxed);
        }
    }

    /// `sys.getswitchinterval()`, in seconds.
    pub fn switch_interval(&self) -> f64 {
        self.interval_us.load(Relaxed) as f64 / 1e6
    }

    /// `sys.setswitchinterval(seconds)` (positive; kept in microseconds).
    pub fn set_switch_interval(&self, seconds: f64) {
        self.interval_us.store(((seconds * 1e6).round() as u64).max(1), Relaxed);
    }

    /// Interpreter exit has begun (`finalize`): `sys.is_finalizing()`.
    pub fn is_finalizing(&self) -> bool {
        self.lock().finalizing
    }

    /// Whether the calling thread created the interpreter.
    pub fn is_main_thread(&self) -> bool {
        thread_serial() == self.main.load(Relaxed)
    }
}

impl Vm {
    /// Runs `fork` (a `fork(2)` wrapper giving the child's pid, 0 in the
    /// child) with the GIL's state locked, so the child gets a consistent
    /// copy; the child's only thread (the caller, holding the GIL) then
    /// starts over with nobody waiting and becomes the main thread, as
    /// CPython's `PyOS_AfterFork_Child` does.
    pub fn fork_process<E>(&self, fork: impl FnOnce() -> Result<i64, E>) -> Result<i64, E> {
        let gil = &self.gil;
        let mut s = gil.lock();
        let pid = fork();
        if matches!(pid, Ok(0)) {
            s.locked = true;
            s.waiters = 0;
            s.yielders = 0;
            gil.drop_request.store(false, Relaxed);
            gil.interrupt.store(false, Relaxed);
            gil.main.store(thread_serial(), Relaxed);
        }
        drop(s);
        if matches!(pid, Ok(0)) {
            forget_parked(self);
        }
        gil.update_breaker();
        pid
    }
}

/// The per-thread part of the `Vm`, kept by a thread while it does not
/// hold the GIL.
#[derive(Default)]
pub(crate) struct ThreadState {
    depth: u32,
    handled: Vec<Obj>,
    repr_active: Vec<usize>,
    frame_views: Vec<crate::eval::FrameView>,
    frame_chain: crate::eval::FrameChain,
    frame_pool: crate::eval::FramePool,
    context: Option<Obj>,
    coro_origin_depth: u32,
    callout_last: u32,
    callout_code: usize,
}

impl ThreadState {
    /// Moves the holder's state out of the `Vm` (leaving it empty).
    pub(crate) fn save(vm: &Vm) -> ThreadState {
        ThreadState {
            depth: vm.depth.replace(0),
            handled: std::mem::take(&mut *vm.handled.borrow_mut()),
            repr_active: std::mem::take(&mut *vm.repr_active.borrow_mut()),
            frame_views: std::mem::take(&mut *vm.frame_views.borrow_mut()),
            frame_chain: std::mem::take(&mut *vm.frame_chain.borrow_mut()),
            frame_pool: std::mem::take(&mut *vm.frame_pool.borrow_mut()),
            context: vm.context.borrow_mut().take(),
            coro_origin_depth: vm.coro_origin_depth.replace(0),
            callout_last: vm.callout_last.replace(0),
            callout_code: vm.callout_code.replace(0),
        }
    }

    /// Puts a thread's state back into the `Vm` (the thread holds the GIL).
    pub(crate) fn restore(self, vm: &Vm) {
        vm.depth.set(self.depth);
        *vm.handled.borrow_mut() = self.handled;
        *vm.repr_active.borrow_mut() = self.repr_active;
        *vm.frame_views.borrow_mut() = self.frame_views;
        *vm.frame_chain.borrow_mut() = self.frame_chain;
        *vm.frame_pool.borrow_mut() = self.frame_pool;
        *vm.context.borrow_mut() = self.context;
        vm.coro_origin_depth.set(self.coro_origin_depth);
        vm.callout_last.set(self.callout_last);
        vm.callout_code.set(self.callout_code);
    }
}

/// A thread that released the GIL, with its thread state: kept in
/// `Vm::parked` (not on the thread's own stack) so that the thread holding
/// the GIL can read the others' Python stacks (`sys._current_frames`,
/// `sys._current_exceptions`). Safe without locking: a parked thread
/// touches its entry only after it has taken the GIL back, and the holder
/// only reads the entries (it may give frames their frame objects).
pub(crate) struct ParkedThread {
    /// `thread_serial` (unique), to find the entry again.
    serial: u64,
    /// `threading.get_ident()` of the thread.
    pub(crate) ident: u64,
    pub(crate) state: ThreadState,
}

impl ThreadState {
    /// The thread's frame chain (its Python stack) and the instruction of
    /// the innermost frame's call to native code.
    pub(crate) fn frames(&self) -> (&crate::eval::FrameChain, u32) {
        (&self.frame_chain, self.callout_last)
    }

    /// The frame chain, to give its frames their frame objects.
    pub(crate) fn frame_chain_mut(&mut self) -> &mut crate::eval::FrameChain {
        &mut self.frame_chain
    }

    /// The exceptions the thread is handling, innermost last.
    pub(crate) fn handled(&self) -> &[Obj] {
        &self.handled
    }
}

/// Moves the calling thread's state out of the `Vm` into `Vm::parked`
/// before it releases the GIL.
fn park(vm: &Vm) {
    let state = ThreadState::save(vm);
    let entry = ParkedThread { serial: thread_serial(), ident: crate::object::thread_ident(), state };
    vm.parked.borrow_mut().push(entry);
}

/// Puts the calling thread's parked state back (it holds the GIL again).
fn unpark(vm: &Vm) {
    let serial = thread_serial();
    let entry = {
        let mut parked = vm.parked.borrow_mut();
        parked.iter().rposition(|p| p.serial == serial).map(|i| parked.swap_remove(i))
    };
    if let Some(p) = entry {
        p.state.restore(vm);
    }
}

/// Forgets the parked states after `fork()` in the child: their threads
/// do not exist there. They are leaked, not dropped: dropping could run
/// finalizers in the middle of `fork` (the child has the memory anyway).
fn forget_parked(vm: &Vm) {
    let parked = std::mem::take(&mut *vm.parked.borrow_mut());
    std::mem::forget(parked);
}

/// Whether threads record their Python stack when they release the GIL
/// (`set_track_stacks`).
static TRACK_STACKS: AtomicBool = AtomicBool::new(false);

/// Turns on (for good, in this process) the recording of the Python stack
/// of each thread that waits without the GIL, so that a thread holding the
/// GIL can report the others' stacks ([`waiting_stacks`]): what
/// `faulthandler` needs to dump all threads. Costs one stack walk per GIL
/// release while on.
pub fn set_track_stacks(on: bool) {
    TRACK_STACKS.store(on, Relaxed);
}

/// A thread's recorded stack: its ident and (code, instruction) pairs,
/// innermost first.
pub type ThreadStack = (u64, Vec<(Obj, u32)>);

/// The recorded stacks of the threads waiting without the GIL, oldest
/// waiter first.
#[derive(Default)]
struct WaitingStacks {
    stacks: std::cell::RefCell<Vec<ThreadStack>>,
}

/// Records the calling thread's stack before it releases the GIL.
fn note_waiting(vm: &Vm) {
    if TRACK_STACKS.load(Relaxed) {
        let stack = crate::eval::thread_stack(vm, 100);
        let ident = crate::object::thread_ident();
        vm.state::<WaitingStacks>().stacks.borrow_mut().push((ident, stack));
    }
}

/// Forgets the calling thread's recorded stack (it holds the GIL again).
fn forget_waiting(vm: &Vm) {
    if TRACK_STACKS.load(Relaxed) {
        let ident = crate::object::thread_ident();
        let st = vm.state::<WaitingStacks>();
        let mut stacks = st.stacks.borrow_mut();
        if let Some(i) = stacks.iter().rposition(|(t, _)| *t == ident) {
            stacks.remove(i);
        }
    }
}

/// The stacks of the other threads, as recorded when they released the
/// GIL (empty unless [`set_track_stacks`] was turned on before). The
/// caller holds the GIL.
pub fn waiting_stacks(vm: &Vm) -> Vec<ThreadStack> {
    vm.state::<WaitingStacks>().stacks.borrow().clone()
}

/// Starts an OS thread that takes the GIL and runs `body(vm, payload)`
/// with a thread state of its own, without `threading`'s bookkeeping
/// (`faulthandler`'s watchdog). Returns the thread's `get_ident`.
pub fn spawn_native<T: 'static>(vm: &Vm, payload: T, body: fn(&Vm, T)) -> std::io::Result<u64> {
    crate::object::gil::spawn(vm, 1 << 20, payload, body)
}

/// Re-takes the GIL and restores the thread's state when dropped (also
/// when the code run without the GIL panics).
struct Reacquire<'a> {
    vm: &'a Vm,
}

impl Drop for Reacquire<'_> {
    fn drop(&mut self) {
        self.vm.gil.acquire();
        unpark(self.vm);
        forget_waiting(self.vm);
    }
}

impl Vm {
    /// Runs `f` without the GIL, so other threads run Python code
    /// meanwhile (CPython's `Py_BEGIN_ALLOW_THREADS`): for blocking
    /// system calls (sleeping, waiting for a lock, I/O). `f` cannot touch
    /// objects or the `Vm`: they are neither `Send` nor `Sync`.
    pub fn allow_threads<F, R>(&self, f: F) -> R
    where
        F: FnOnce() -> R + Send,
        R: Send,
    {
        note_waiting(self);
        park(self);
        self.gil.release();
        let _back = Reacquire { vm: self };
        f()
    }
}

/// Hands the GIL to a thread that asked for it, then takes it back.
fn yield_gil(vm: &Vm) {
    note_waiting(vm);
    park(vm);
    vm.gil.release_for_switch();
    vm.gil.acquire();
    unpark(vm);
    forget_waiting(vm);
}

/// Whether the eval loop must call [`handle_breaker`] (one relaxed load).
#[inline(always)]
pub fn breaker_set(vm: &Vm) -> bool {
    vm.gil.breaker.load(Relaxed)
}

/// The eval loop's slow path when [`breaker_set`]: a pending interrupt
/// raises KeyboardInterrupt in the main thread; a drop request hands the
/// GIL over.
pub fn handle_breaker(vm: &Vm) -> PyResult<()> {
    let gil = &vm.gil;
    if gil.is_main_thread() && gil.interrupt.swap(false, Relaxed) {
        gil.update_breaker();
        let ty = vm.exception_type("KeyboardInterrupt").unwrap_or_else(|| vm.types.base_exception.clone());
        return Err(crate::PyErr { exc: crate::types::builtin::new_exception(vm, &ty, Vec::new()) });
    }
    if gil.drop_request.load(Relaxed) {
        yield_gil(vm);
    } else {
        gil.update_breaker();
    }
    Ok(())
}

/// What a new OS thread does once it holds the GIL: runs `body` with a
/// fresh thread state, a Rust panic reported and contained (the thread
/// ends, the process goes on), then drops its state, still holding the
/// GIL. The caller releases the GIL afterwards.
pub(crate) fn run_thread<T>(vm: &Vm, payload: T, body: fn(&Vm, T)) {
    let _vm_guard = crate::object::gc::enter_vm(vm);
    ThreadState::default().restore(vm);
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(vm, payload)));
    if r.is_err() {
        eprintln!("Fatal Python error: Taipan internal error in a thread (a Rust panic; please report it)");
    }
    drop(ThreadState::save(vm));
}

/// Interpreter exit (after `shutdown` and the exit hooks): the calling
/// thread keeps the GIL from now on; other threads (daemon threads) never
/// run Python code again. Dropping the `Vm` does this too.
pub fn finalize_threads(vm: &Vm) {
    vm.gil.finalize();
}

/// Calls `threading._shutdown()` if `threading` was imported (CPython
/// does so before the atexit callbacks): waits for the non-daemon threads.
pub fn shutdown(vm: &Vm) {
    let Ok(Some(threading)) = crate::types::builtin::dict_get_str(vm, &vm.modules, "threading") else { return };
    let name = vm.intern("_shutdown");
    let r = crate::classes::getattr(vm, &threading, &name).and_then(|f| crate::classes::call_object(vm, &f, &[]));
    if let Err(e) = r {
        crate::gc::report_unraisable(vm, e, Some(&threading));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
    use std::sync::Arc;

    use crate::vm::Vm;

    #[test]
    fn another_thread_runs_while_the_gil_is_released() {
        let vm = Vm::new();
        let flag = Arc::new(AtomicBool::new(false));
        let body = |vm: &Vm, flag: Arc<AtomicBool>| {
            // Holding the GIL: objects may be made here.
            let _ = vm.int(12345);
            flag.store(true, SeqCst);
        };
        crate::object::gil::spawn(&vm, 1 << 20, flag.clone(), body).expect("thread starts");
        let mut rounds = 0;
        while !flag.load(SeqCst) && rounds < 10_000 {
            vm.allow_threads(|| std::thread::sleep(std::time::Duration::from_millis(1)));
            rounds += 1;
        }
        assert!(flag.load(SeqCst));
    }

    #[test]
    fn thread_state_is_swapped() {
        let vm = Vm::new();
        vm.depth.set(7);
        let seen = Arc::new(AtomicUsize::new(usize::MAX));
        let body = |vm: &Vm, seen: Arc<AtomicUsize>| seen.store(vm.depth.get() as usize, SeqCst);
        crate::object::gil::spawn(&vm, 1 << 20, seen.clone(), body).expect("thread starts");
        while seen.load(SeqCst) == usize::MAX {
            vm.allow_threads(|| std::thread::sleep(std::time::Duration::from_millis(1)));
        }
        // The new thread started from zero; ours is back.
        assert_eq!(seen.load(SeqCst), 0);
        assert_eq!(vm.depth.get(), 7);
        vm.depth.set(0);
    }

    #[test]
    fn raw_lock_times_out() {
        let l = crate::threadmodule::RawLock::default();
        assert!(l.try_acquire());
        assert!(!l.try_acquire());
        let deadline = std::time::Instant::now() + std::time::Duration::from_millis(5);
        assert!(!l.acquire_until(Some(deadline)));
        assert!(l.release());
        assert!(!l.release());
        assert!(l.acquire_until(None));
    }
}
