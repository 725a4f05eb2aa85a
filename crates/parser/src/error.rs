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

/// A parse error, boxed: parser results carry it in their `Err` arm, and a
/// small error keeps every `Result` the size of its `Ok` value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError(Box<ParseErrorData>);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseErrorData {
    pub kind: ErrorKind,
    pub msg: String,
    /// `None` where CPython leaves `SyntaxError.lineno` unset.
    pub lineno: Option<u32>,
    /// 1-based character offset; `None` where CPython leaves it unset.
    pub offset: Option<i64>,
}

impl ParseError {
    pub fn new(kind: ErrorKind, msg: impl Into<String>, lineno: u32, offset: i64) -> ParseError {
        ParseError::from_parts(kind, msg.into(), Some(lineno), Some(offset))
    }

    pub fn from_parts(kind: ErrorKind, msg: String, lineno: Option<u32>, offset: Option<i64>) -> ParseError {
        ParseError(Box::new(ParseErrorData { kind, msg, lineno, offset }))
    }
}

impl std::ops::Deref for ParseError {
    type Target = ParseErrorData;
    fn deref(&self) -> &ParseErrorData {
        &self.0
    }
}

impl std::ops::DerefMut for ParseError {
    fn deref_mut(&mut self) -> &mut ParseErrorData {
        &mut self.0
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
