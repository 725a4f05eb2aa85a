//! Taipan's parser: Python 3.11 source bytes to a syntax tree shaped like
//! CPython's `ast` module, or the `SyntaxError` CPython would raise.
//!
//! Invariant: parsing never panics. Any byte string yields either a
//! [`ast::Mod`] or a [`ParseError`] carrying CPython's exception class,
//! message and location.
//!
//! Layers, in the order source flows through them: [`source`] (decoding),
//! [`tokenizer`], [`parser`] (with [`fstring`] for string atoms), and
//! [`dump`] to print a tree as `ast.dump` does.

pub mod ast;
mod charmaps;
pub mod dump;
pub mod error;
mod fstring;
pub mod literal;
pub mod parser;
pub mod repr;
pub mod source;
pub mod tokenizer;
pub mod unicode;
pub mod wtf8;

pub use error::{ErrorKind, ParseError};

/// Parses a whole module (`compile(source, filename, 'exec')`'s first half).
pub fn parse_module(source: &[u8]) -> Result<ast::Mod, ParseError> {
    let src = source::decode(source)?;
    let mut p = parser::Parser::new(&src.text);
    p.parse_file()
}

/// [`parse_module`] with `external` decoding source encodings the parser
/// does not carry (see [`source::ExternalDecoder`]).
pub fn parse_module_with(source: &[u8], external: source::ExternalDecoder) -> Result<ast::Mod, ParseError> {
    let src = source::decode_with(source, external)?;
    let mut p = parser::Parser::new(&src.text);
    p.parse_file()
}

/// Parses a module given as text (`compile(str, ...)`): it is already
/// decoded, so a coding cookie in it is ignored.
pub fn parse_module_text(text: &str) -> Result<ast::Mod, ParseError> {
    let src = source::from_text(text)?;
    let mut p = parser::Parser::new(&src.text);
    p.parse_file()
}

/// `ast.parse`'s options: `PyCF_TYPE_COMMENTS` and the minor version
/// of `feature_version`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    pub type_comments: bool,
    pub feature_version: u32,
}

impl Default for Options {
    fn default() -> Options {
        Options { type_comments: false, feature_version: 11 }
    }
}

/// [`parse_module_with`] under `opts`.
pub fn parse_module_opts(source: &[u8], external: source::ExternalDecoder, opts: Options) -> Result<ast::Mod, ParseError> {
    let src = source::decode_with(source, external)?;
    let mut p = parser::Parser::with_options(&src.text, opts.type_comments, opts.feature_version);
    p.parse_file()
}

/// [`parse_module_text`] under `opts`.
pub fn parse_module_text_opts(text: &str, opts: Options) -> Result<ast::Mod, ParseError> {
    let src = source::from_text(text)?;
    let mut p = parser::Parser::with_options(&src.text, opts.type_comments, opts.feature_version);
    p.parse_file()
}

/// `compile(text, filename, 'func_type', PyCF_ONLY_AST)`: a function's
/// type comment `(argtypes) -> returns`.
pub fn parse_func_type(text: &str) -> Result<(Vec<ast::Expr>, ast::Expr), ParseError> {
    let src = source::from_text(text)?;
    let mut p = parser::Parser::new(&src.text);
    p.parse_func_type()
}

/// What `ast_dump` prints for one file: exactly
/// `ast.dump(compile(src, filename, 'exec', ast.PyCF_ONLY_AST), include_attributes=True)`,
/// or `ExcName: msg (lineno, offset)` where CPython raises a SyntaxError.
pub fn dump_or_error(source: &[u8], _filename: &str) -> String {
    match parse_module(source) {
        Ok(m) => dump::dump_module(&m),
        Err(e) => e.to_string(),
    }
}
