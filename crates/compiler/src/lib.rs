//! Taipan's compiler: symbol tables and bytecode from the parser's tree.
//!
//! Being written (see the compiler/VM issue). Today: the instruction set
//! and code units (`bytecode`), and a code generator for a first subset of
//! the language (`codegen`).

pub mod bytecode;
pub mod codegen;
