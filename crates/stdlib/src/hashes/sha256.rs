//! `_sha256`: SHA-224 and SHA-256 (`sha224()`, `sha256()`, the types
//! `SHA224Type`, `SHA256Type`).

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::FunctionDef;
use taipan_vm::object::Obj;
use taipan_vm::types::Kwargs;
use taipan_vm::{PyResult, Vm};

use super::{construct, plain_type, Engine};

fn sha224_type(vm: &Vm) -> Obj {
    vm.native_type("_sha256.sha224", |vm| plain_type(vm, "_sha256.sha224"))
}

fn sha256_type(vm: &Vm) -> Obj {
    vm.native_type("_sha256.sha256", |vm| plain_type(vm, "_sha256.sha256"))
}

fn sha224(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    construct(vm, "sha224", sha224_type(vm), Engine::Sha224(Default::default()), args, kw)
}

fn sha256(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    construct(vm, "sha256", sha256_type(vm), Engine::Sha256(Default::default()), args, kw)
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("sha224", sha224, "Return a new SHA-224 hash object; optionally initialized with a string."),
    FunctionDef::new("sha256", sha256, "Return a new SHA-256 hash object; optionally initialized with a string."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_attr(vm, m, "SHA224Type", sha224_type(vm))?;
    add_attr(vm, m, "SHA256Type", sha256_type(vm))?;
    add_functions(vm, m, FUNCS)?;
    Ok(())
}
