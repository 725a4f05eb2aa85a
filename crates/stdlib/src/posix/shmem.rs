//! `_posixshmem`: `shm_open` and `shm_unlink` (POSIX shared memory, for
//! `multiprocessing.shared_memory` and its resource tracker).

use taipan_vm::native::{bind, FunctionDef, Params};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{type_name, StrData};
use taipan_vm::types::Kwargs;
use taipan_vm::{modules, PyResult, Vm};

use super::{c_int_arg, cstring, fs_encode, os_error, sys};

fn name_arg(vm: &Vm, fname: &str, o: &Obj) -> PyResult<std::ffi::CString> {
    if o.downcast::<StrData>().is_none() {
        return Err(vm.type_error(format!("{fname}() argument 'path' must be str, not {}", type_name(o))));
    }
    cstring(vm, fs_encode(vm, o)?)
}

fn shm_open(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "shm_open", names: &["path", "flags", "mode"], posonly: 0, kwonly: 0, required: 2 };
    let [path, flags, mode] = bind::<3>(vm, &P, args, kw)?;
    let path = path.unwrap_or_else(|| vm.none.clone());
    let name = name_arg(vm, "shm_open", &path)?;
    let flags = c_int_arg(vm, flags.as_ref().unwrap_or(&vm.none))?;
    let mode = match &mode {
        Some(m) => c_int_arg(vm, m)? as u32,
        None => 0o777,
    };
    sys::shm_open(&name, flags, mode).map(|fd| vm.int(fd as i64)).map_err(|e| os_error(vm, e, Some(&path), None))
}

fn shm_unlink(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "shm_unlink", names: &["path"], posonly: 0, kwonly: 0, required: 1 };
    let [path] = bind::<1>(vm, &P, args, kw)?;
    let path = path.unwrap_or_else(|| vm.none.clone());
    let name = name_arg(vm, "shm_unlink", &path)?;
    sys::shm_unlink(&name).map_err(|e| os_error(vm, e, Some(&path), None))?;
    Ok(vm.none.clone())
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("shm_open", shm_open, "Open a shared memory object.  Returns a file descriptor (integer)."),
    FunctionDef::new("shm_unlink", shm_unlink, "Remove a shared memory object (similar to unlink())."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    modules::add_functions(vm, m, FUNCS)
}
