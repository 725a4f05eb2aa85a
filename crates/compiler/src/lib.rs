//! Taipan's compiler: symbol tables (and, later, bytecode) from the parser's
//! tree.
//!
//! - [`symtable`] — the symbol-table pass: scopes, symbol flags and resolved
//!   scopes with CPython 3.11's rules and `SyntaxError`s.

pub mod symtable;
