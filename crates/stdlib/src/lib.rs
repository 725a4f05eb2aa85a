//! Taipan's native standard-library modules: what CPython writes in C, in
//! Rust, on top of the vm crate's object model. Each module lives in its
//! own file and is listed once in [`MODULES`]; the binary calls
//! [`register`] so that `import` finds them before `sys.path`.
//!
//! A module is a `NativeModuleDef` whose `init` fills the module's
//! namespace (`modules::add_attr`, `modules::add_functions`); its types are
//! made with `native::new_type` and kept per interpreter with
//! `Vm::native_type`; its mutable state lives in `Vm::state`.

use taipan_vm::modules::NativeModuleDef;
use taipan_vm::Vm;

mod abc;
mod bisect;
mod collections;
mod contextvars;
mod functools;
mod heapq;
mod itertools;
mod operator;
mod string;
mod util;

/// Every module of this crate.
static MODULES: &[NativeModuleDef] = &[
    NativeModuleDef { name: "_abc", init: abc::init },
    NativeModuleDef { name: "_bisect", init: bisect::init },
    NativeModuleDef { name: "_collections", init: collections::init },
    NativeModuleDef { name: "_contextvars", init: contextvars::init },
    NativeModuleDef { name: "_functools", init: functools::init },
    NativeModuleDef { name: "_heapq", init: heapq::init },
    NativeModuleDef { name: "_operator", init: operator::init },
    NativeModuleDef { name: "_string", init: string::init },
    NativeModuleDef { name: "itertools", init: itertools::init },
];

/// Makes this crate's modules importable in `vm`.
pub fn register(vm: &Vm) {
    vm.add_native_modules(MODULES);
}
