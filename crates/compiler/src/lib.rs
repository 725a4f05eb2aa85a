//! Taipan's compiler: symbol tables and bytecode from the parser's tree.
//!
//! - [`symtable`] — the symbol-table pass: scopes, symbol flags and resolved
//!   scopes with CPython 3.11's rules and `SyntaxError`s.
//! - [`bytecode`] — the instruction set and code units.
//! - [`serial`] — code units as bytes (the bytecode cache, `marshal`).
//! - [`codegen`] — a code generator for a first subset of the language
//!   (being rewritten on top of `symtable`).

pub mod bytecode;
pub mod codegen;
pub mod serial;
pub mod symtable;
pub mod unparse;
