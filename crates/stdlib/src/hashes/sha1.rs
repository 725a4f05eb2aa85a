//! `_sha1`: SHA-1 (`sha1()`, the type `SHA1Type`).

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::FunctionDef;
use taipan_vm::object::Obj;
use taipan_vm::types::Kwargs;
use taipan_vm::{PyResult, Vm};

use super::{construct, plain_type, Engine};

fn sha1_type(vm: &Vm) -> Obj {
    vm.native_type("_sha1.sha1", |vm| plain_type(vm, "_sha1.sha1"))
}

fn sha1(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    construct(vm, "sha1", sha1_type(vm), Engine::Sha1(Default::default()), args, kw)
}

static FUNCS: &[FunctionDef] = &[FunctionDef::new("sha1", sha1, "Return a new SHA1 hash object; optionally initialized with a string.")];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_attr(vm, m, "SHA1Type", sha1_type(vm))?;
    add_functions(vm, m, FUNCS)?;
    Ok(())
}
