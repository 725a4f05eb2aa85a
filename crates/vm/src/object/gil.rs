//! Starting an OS thread that runs Python code: the one place where the
//! `&Vm` and objects (neither `Send` nor `Sync`) cross to another OS
//! thread, plus the thread identifiers `_thread` reports.
//!
//! # Safety
//! - A `Vm`, its objects and its heap (`object::gc`) are used by one
//!   thread at a time: the one holding the interpreter's GIL
//!   (`crate::thread::Gil`). Releasing and acquiring the GIL go through its
//!   mutex, so everything one holder did happens before what the next one
//!   does.
//! - `spawn` hands the new thread the `&Vm` (as a pointer) and a payload
//!   of objects. The new thread takes the GIL before it touches either,
//!   adopts the interpreter's heap, and drops the payload (inside `body`)
//!   while still holding the GIL. If the OS refuses to create the thread,
//!   the closure and its payload are dropped on the spawning thread, which
//!   holds the GIL.
//! - The `Vm` outlives every thread that can hold its GIL: before the `Vm`
//!   goes, the thread owning it finalizes the GIL (`Gil::finalize`, also
//!   run by `Vm`'s `Drop`), which it then keeps for good; a thread that
//!   tries to take it afterwards parks until the process exits, never
//!   dereferencing the pointer. The `Gil` itself is shared through an
//!   `Arc`, so waiting threads never see it freed.

use std::sync::Arc;

use crate::thread::{run_thread, Gil};
use crate::vm::Vm;

/// Values moved to a thread that uses them only while holding the GIL.
struct GilBound<T>(T);

// SAFETY: see the module invariants: the receiving thread touches the
// contents only while holding the GIL of the interpreter they belong to.
unsafe impl<T> Send for GilBound<T> {}

impl<T> GilBound<T> {
    /// Consumes the wrapper (a method, so that closures capture the whole
    /// wrapper rather than its non-`Send` field).
    fn into_inner(self) -> T {
        self.0
    }
}

/// Starts an OS thread (with `stack_size` bytes of stack) that takes the
/// GIL and runs `body(vm, payload)` (see `thread::run_thread`), then
/// releases the GIL and ends. Returns the new thread's `get_ident`.
pub(crate) fn spawn<T: 'static>(vm: &Vm, stack_size: usize, payload: T, body: fn(&Vm, T)) -> std::io::Result<u64> {
    let gil: Arc<Gil> = vm.gil.clone();
    let heap = super::gc::current_heap();
    let cargo = GilBound((vm as *const Vm, payload));
    let handle = std::thread::Builder::new().stack_size(stack_size).spawn(move || {
        gil.acquire();
        // Released however this thread ends.
        let _release = ReleaseOnDrop(gil);
        let (vm, payload) = cargo.into_inner();
        // SAFETY: this thread holds the interpreter's GIL from here until
        // `release` below; the `Vm` is alive while the GIL can be taken
        // (module invariants).
        unsafe { super::gc::adopt_heap(heap) };
        let vm: &Vm = unsafe { &*vm };
        run_thread(vm, payload, body);
    })?;
    // The thread runs detached (the handle is dropped).
    Ok(std::os::unix::thread::JoinHandleExt::as_pthread_t(&handle))
}

struct ReleaseOnDrop(Arc<Gil>);

impl Drop for ReleaseOnDrop {
    fn drop(&mut self) {
        self.0.release();
    }
}

/// `threading.get_ident()`: the pthread handle of the calling thread, as
/// CPython reports it.
pub fn thread_ident() -> u64 {
    // SAFETY: `pthread_self` has no preconditions.
    unsafe { libc::pthread_self() as u64 }
}

/// `threading.get_native_id()`: the kernel's thread id.
pub fn native_thread_id() -> u64 {
    // SAFETY: `gettid` has no preconditions and cannot fail.
    unsafe { libc::gettid() as u64 }
}
