//! `_posixshmem` (what `multiprocessing.shared_memory` and its resource
//! tracker import): `shm_open` and `shm_unlink`.

use taipan_vm::native::{bind, FunctionDef, Params};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{new_str, type_name, StrData};
use taipan_vm::types::Kwargs;
use taipan_vm::{modules, PyResult, Vm};

use super::{c_int_arg, cstring, fs_bytes_arg, os_error, sys};

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("shm_open", shm_open, "Open a shared memory object.  Returns a file descriptor (integer)."),
    FunctionDef::new(
        "shm_unlink",
        shm_unlink,
        "Remove a shared memory object (similar to unlink()).\n\nRemove a shared memory object name, and, once all processes  have  unmapped\nthe object, de-allocates and destroys the contents of the associated memory\nregion.",
    ),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    modules::add_functions(vm, m, FUNCS)?;
    modules::add_attr(vm, m, "__doc__", new_str(vm, "POSIX shared memory module"))
}

/// The `path` argument: a str only.
fn path(vm: &Vm, fname: &str, o: Option<&Obj>) -> PyResult<(Obj, std::ffi::CString)> {
    let o = o.unwrap_or(&vm.none);
    if o.downcast::<StrData>().is_none() {
        return Err(vm.type_error(format!("{fname}() argument 'path' must be str, not {}", type_name(o))));
    }
    Ok((o.clone(), cstring(vm, fs_bytes_arg(vm, o)?)?))
}

fn shm_open(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "shm_open", names: &["path", "flags", "mode"], posonly: 0, kwonly: 0, required: 2 };
    let [p, flags, mode] = bind::<3>(vm, &P, args, kw)?;
    let (obj, name) = path(vm, "shm_open", p.as_ref())?;
    let flags = c_int_arg(vm, flags.as_ref().unwrap_or(&vm.none))?;
    let mode = match &mode {
        Some(m) => c_int_arg(vm, m)? as u32,
        None => 0o777,
    };
    match sys::shm_open(&name, flags, mode) {
        Ok(fd) => Ok(vm.int(fd as i64)),
        Err(e) => Err(os_error(vm, e, Some(&obj), None)),
    }
}

fn shm_unlink(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "shm_unlink", names: &["path"], posonly: 0, kwonly: 0, required: 1 };
    let [p] = bind::<1>(vm, &P, args, kw)?;
    let (obj, name) = path(vm, "shm_unlink", p.as_ref())?;
    match sys::shm_unlink(&name) {
        Ok(()) => Ok(vm.none.clone()),
        Err(e) => Err(os_error(vm, e, Some(&obj), None)),
    }
}
