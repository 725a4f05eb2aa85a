//! `_md5`: MD5 (`md5()`, the type `MD5Type`).

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::FunctionDef;
use taipan_vm::object::Obj;
use taipan_vm::types::Kwargs;
use taipan_vm::{PyResult, Vm};

use super::{construct, plain_type, Engine};

fn md5_type(vm: &Vm) -> Obj {
    vm.native_type("_md5.md5", |vm| plain_type(vm, "_md5.md5"))
}

fn md5(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    construct(vm, "md5", md5_type(vm), Engine::Md5(Default::default()), args, kw)
}

static FUNCS: &[FunctionDef] = &[FunctionDef::new("md5", md5, "Return a new MD5 hash object; optionally initialized with a string.")];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_attr(vm, m, "MD5Type", md5_type(vm))?;
    add_functions(vm, m, FUNCS)?;
    Ok(())
}
