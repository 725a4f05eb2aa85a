//! Taipan's compiler: symbol tables and bytecode from the parser's tree.
//!
//! Being written (see the compiler/VM issue). Today: the instruction set
//! and code units (`bytecode`).

pub mod bytecode;
