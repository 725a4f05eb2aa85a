//! The error a failed parse reports: CPython's exception class, message and
//! location (`lineno`, 1-based `offset` in characters), as `SyntaxError`
//! attributes hold them.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    SyntaxError,
    IndentationError,
    TabError,
}

impl ErrorKind {
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::SyntaxError => "SyntaxError",
            ErrorKind::IndentationError => "IndentationError",
            ErrorKind::TabError => "TabError",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub kind: ErrorKind,
    pub msg: String,
    /// `None` where CPython leaves `SyntaxError.lineno` unset.
    pub lineno: Option<u32>,
    /// 1-based character offset; `None` where CPython leaves it unset.
    pub offset: Option<i64>,
}

impl ParseError {
    pub fn new(kind: ErrorKind, msg: impl Into<String>, lineno: u32, offset: i64) -> ParseError {
        ParseError { kind, msg: msg.into(), lineno: Some(lineno), offset: Some(offset) }
    }
}

fn opt<T: fmt::Display>(v: &Option<T>) -> String {
    match v {
        Some(v) => v.to_string(),
        None => "None".to_string(),
    }
}

impl fmt::Display for ParseError {
    /// `ExcName: msg (lineno, offset)`, the format `ast_dump` prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({}, {})", self.kind.name(), self.msg, opt(&self.lineno), opt(&self.offset))
    }
}
