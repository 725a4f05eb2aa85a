//! `_sha512`: SHA-384 and SHA-512 (`sha384()`, `sha512()`; CPython 3.11
//! exports only `SHA384Type`).

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::FunctionDef;
use taipan_vm::object::Obj;
use taipan_vm::types::Kwargs;
use taipan_vm::{PyResult, Vm};

use super::{construct, plain_type, Engine};

fn sha384_type(vm: &Vm) -> Obj {
    vm.native_type("_sha512.sha384", |vm| plain_type(vm, "_sha512.sha384"))
}

fn sha512_type(vm: &Vm) -> Obj {
    vm.native_type("_sha512.sha512", |vm| plain_type(vm, "_sha512.sha512"))
}

fn sha384(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    construct(vm, "sha384", sha384_type(vm), Engine::Sha384(Default::default()), args, kw)
}

fn sha512(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    construct(vm, "sha512", sha512_type(vm), Engine::Sha512(Default::default()), args, kw)
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("sha384", sha384, "Return a new SHA-384 hash object; optionally initialized with a string."),
    FunctionDef::new("sha512", sha512, "Return a new SHA-512 hash object; optionally initialized with a string."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_attr(vm, m, "SHA384Type", sha384_type(vm))?;
    add_functions(vm, m, FUNCS)?;
    Ok(())
}
