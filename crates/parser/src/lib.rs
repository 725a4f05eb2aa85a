//! Taipan's parser: Python 3.11 source bytes to a syntax tree shaped like
//! CPython's `ast` module, or the `SyntaxError` CPython would raise.
//!
//! Invariant: parsing never panics. Any byte string yields either a [`ast::Mod`]
//! or a [`ParseError`] carrying CPython's exception class, message and location.

pub mod ast;
pub mod literal;
pub mod repr;
pub mod unicode;
pub mod wtf8;
