//! Taipan's native standard-library modules: what CPython writes in C, in
//! Rust, on top of the vm crate's object model. Each module lives in its
//! own file and is listed once in [`MODULES`]; the binary calls
//! [`register`] so that `import` finds them before `sys.path`.
//!
//! A module is a `NativeModuleDef` whose `init` fills the module's
//! namespace (`modules::add_attr`, `modules::add_functions`); its types are
//! made with `native::new_type` and kept per interpreter with
//! `Vm::native_type`; its mutable state lives in `Vm::state`.

pub mod codecs;
pub mod io;
mod marshal;
mod sre;

use taipan_vm::modules::NativeModuleDef;
use taipan_vm::Vm;

/// Every module of this crate.
static MODULES: &[NativeModuleDef] = &[
    codecs::MODULE, // _codecs
    io::MODULE,     // _io
    sre::MODULE,    // _sre
    NativeModuleDef { name: "marshal", init: marshal::init },
];

/// Makes this crate's modules importable in `vm`. The embedder then
/// installs the standard streams with `io::init_stdio` once `sys` is
/// configured (it imports `sys`).
pub fn register(vm: &Vm) {
    vm.add_native_modules(MODULES);
}
