//! Signals reach Python code between bytecodes, as in CPython: the C-level
//! handler (installed by the `_signal` module of the stdlib crate) only
//! records the signal and sets [`PENDING`]; the eval loop tests the flag
//! after each instruction (one load and branch) and calls the registered
//! runner, which calls the Python handlers on the interpreter's thread.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::vm::Vm;
use crate::PyResult;

/// Some signal arrived since the handlers last ran.
static PENDING: AtomicBool = AtomicBool::new(false);

/// Runs the Python-level handlers of the signals that arrived.
pub type Runner = fn(&Vm) -> PyResult<()>;

static RUNNER: std::sync::OnceLock<Runner> = std::sync::OnceLock::new();

/// Records a signal as arrived (the signal module's table); false for a
/// number it does not know.
pub type Trip = fn(i32) -> bool;

static TRIP: std::sync::OnceLock<Trip> = std::sync::OnceLock::new();

/// Whether signal handlers are waiting to run.
#[inline(always)]
pub fn pending() -> bool {
    PENDING.load(Ordering::Relaxed)
}

/// Marks handlers as waiting (async-signal-safe: one atomic store).
pub fn set_pending() {
    PENDING.store(true, Ordering::Release);
}

/// Sets the function that runs the handlers (once per process; later
/// calls are ignored).
pub fn set_runner(runner: Runner) {
    let _ = RUNNER.set(runner);
}

/// Sets the function that records a simulated signal (once per process).
pub fn set_trip(trip: Trip) {
    let _ = TRIP.set(trip);
}

/// Simulates the arrival of `sig` (`_thread.interrupt_main`,
/// `PyErr_SetInterruptEx`): its handler runs at the main thread's next
/// check. False when no signal module is registered.
pub fn trip(sig: i32) -> bool {
    TRIP.get().is_some_and(|t| t(sig))
}

/// Runs the pending handlers (`PyErr_CheckSignals`): an exception a
/// handler raises propagates from the instruction that was executing.
/// Handlers run in the main thread only (other threads leave them
/// pending).
#[cold]
pub fn run_pending(vm: &Vm) -> PyResult<()> {
    if !vm.gil.is_main_thread() {
        return Ok(());
    }
    if !PENDING.swap(false, Ordering::Acquire) {
        return Ok(());
    }
    match RUNNER.get() {
        Some(run) => run(vm),
        None => Ok(()),
    }
}

/// An error that may be a system call's `EINTR`.
pub trait Interrupted {
    /// Whether the call was interrupted by a signal.
    fn interrupted(&self) -> bool;
}

impl Interrupted for i32 {
    fn interrupted(&self) -> bool {
        *self == libc::EINTR
    }
}

impl Interrupted for std::io::Error {
    fn interrupted(&self) -> bool {
        self.kind() == std::io::ErrorKind::Interrupted
    }
}

/// PEP 475's loop around a blocking system call: `call` runs without the
/// GIL; when it fails with `EINTR` the pending signal handlers run (an
/// exception one raises is returned instead) and `call` is made again.
/// Other results, successes and errors alike, come back as they are.
/// `call` itself should return `EINTR` rather than retry when [`pending`]
/// is set, or the handlers would wait for the call to finish.
pub fn retry_eintr<T, E, F>(vm: &Vm, mut call: F) -> PyResult<Result<T, E>>
where
    T: Send,
    E: Send + Interrupted,
    F: FnMut() -> Result<T, E> + Send,
{
    loop {
        match vm.allow_threads(&mut call) {
            Err(e) if e.interrupted() => run_pending(vm)?,
            r => return Ok(r),
        }
    }
}
