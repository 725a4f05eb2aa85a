//! `_typing`: the accelerator `typing` imports `_idfunc` from (CPython's
//! `Modules/_typingmodule.c`): `NewType.__call__`, the identity.

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::FunctionDef;
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::new_str;
use taipan_vm::types::Kwargs;
use taipan_vm::{PyResult, Vm};

static FUNCS: &[FunctionDef] = &[FunctionDef::new("_idfunc", idfunc, "_idfunc($module, x, /)\n--\n\n")];

/// `_idfunc(x, /)`: `x` itself.
fn idfunc(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if !kw.is_empty() {
        return Err(vm.type_error("_typing._idfunc() takes no keyword arguments"));
    }
    match args {
        [x] => Ok(x.clone()),
        _ => Err(vm.type_error(format!("_typing._idfunc() takes exactly one argument ({} given)", args.len()))),
    }
}

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "__doc__", new_str(vm, "Accelerators for the typing module.\n"))
}
