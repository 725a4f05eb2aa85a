//! Taipan's virtual machine: object model, built-in types, eval loop.
//!
//! Being written (see the compiler/VM issue). Today: the object header and
//! reference counting (`object`), type objects with slots and MROs
//! (`types`), a first cut of the core built-in types, the generic
//! operations (`ops`), functions and code objects, a few builtins, and a
//! non-recursive eval loop (`eval`) for a subset of the instruction set.

pub mod astmodule;
pub mod builtins_module;
pub mod classes;
pub mod codecs;
pub mod descriptors;
pub mod eval;
pub mod format;
pub mod function;
pub mod gc;
pub mod generator;
pub mod hash;
pub mod impmodule;
pub mod import;
pub mod importlib;
pub mod jump;
pub mod lang;
pub mod mathmodule;
pub mod modules;
pub mod native;
pub mod object;
pub mod ops;
pub mod patterns;
pub mod pycache;
pub mod reduce;
pub mod sequence;
pub mod shape;
pub mod signals;
pub mod specialize;
pub mod stdio;
pub mod sysmodule;
pub mod testinternalcapi;
pub mod thread;
pub mod threadmodule;
pub mod traceback;
pub mod tracemalloc;
pub mod types;
pub mod vm;
pub mod warnings;
pub mod weakref;

/// The operator enums native code passes to `ops::binary_op`/`ops::compare`.
pub use taipan_compiler::bytecode::{BinaryOp, CompareOp};
pub use vm::{PyErr, Vm};

/// The result of every operation that may raise.
pub type PyResult<T> = Result<T, PyErr>;
