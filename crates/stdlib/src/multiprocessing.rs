//! `_multiprocessing` as CPython builds it on a platform without
//! `sem_open`: only `flags` (empty), so `multiprocessing.connection`,
//! `queues` and thread pools import, while `multiprocessing.synchronize`
//! raises its own ImportError ("This platform lacks a functioning sem_open
//! implementation") because `SemLock` and `sem_unlink` are absent.

use taipan_vm::modules::add_attr;
use taipan_vm::object::Obj;
use taipan_vm::{PyResult, Vm};

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_attr(vm, m, "flags", taipan_vm::types::builtin::new_dict(vm))?;
    Ok(())
}
