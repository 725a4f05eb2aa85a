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

/// Runs the pending handlers (`PyErr_CheckSignals`): an exception a
/// handler raises propagates from the instruction that was executing.
#[cold]
pub fn run_pending(vm: &Vm) -> PyResult<()> {
    if !PENDING.swap(false, Ordering::Acquire) {
        return Ok(());
    }
    match RUNNER.get() {
        Some(run) => run(vm),
        None => Ok(()),
    }
}
