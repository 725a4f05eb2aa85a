//! Taipan's virtual machine: object model, built-in types, eval loop.
//! Not written yet (see the compiler/VM issue); this crate only reserves its
//! place in the workspace.
