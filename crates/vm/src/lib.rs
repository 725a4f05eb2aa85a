//! Taipan's virtual machine: object model, built-in types, eval loop.
//!
//! Being written (see the compiler/VM issue). Today: the object header,
//! strong references with reference counting, and type-driven allocation
//! (`object`).

pub mod object;
