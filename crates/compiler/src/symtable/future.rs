//! `from __future__ import ...` at the top of a module: the features that
//! change compilation, and the errors CPython's `future.c` raises before the
//! symbol table is built.

use taipan_parser::ast::{self, Constant, ExprKind, StmtKind};

use super::SymtableError;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FutureFeatures {
    /// `from __future__ import annotations` (PEP 563).
    pub annotations: bool,
    /// `from __future__ import barry_as_FLUFL`.
    pub barry_as_bdfl: bool,
    /// Line of the last future statement (0 if none).
    pub lineno: u32,
}

const KNOWN: [&str; 8] = [
    "nested_scopes",
    "generators",
    "division",
    "absolute_import",
    "with_statement",
    "print_function",
    "unicode_literals",
    "generator_stop",
];

fn is_docstring(stmt: &ast::Stmt) -> bool {
    match &stmt.kind {
        StmtKind::Expr { value } => matches!(value.kind, ExprKind::Constant { value: Constant::Str(_), .. }),
        _ => false,
    }
}

/// Scans the leading future statements, as `future.c` does. Future imports
/// that follow other statements on later lines are left to the compiler;
/// only the "same line, after a regular import" case is an error here.
pub(crate) fn parse_future(module: &ast::Mod) -> Result<FutureFeatures, SymtableError> {
    let mut ff = FutureFeatures::default();
    let body = match module {
        ast::Mod::Module { body, .. } | ast::Mod::Interactive { body } => body,
        ast::Mod::Expression { .. } => return Ok(ff),
    };
    let start = usize::from(body.first().is_some_and(is_docstring));
    let mut done = false;
    let mut prev_line = 0;
    for s in &body[start.min(body.len())..] {
        if done && s.loc.lineno > prev_line {
            break;
        }
        prev_line = s.loc.lineno;
        match &s.kind {
            StmtKind::ImportFrom { module: Some(m), names, .. } if &**m == "__future__" => {
                if done {
                    return Err(SymtableError {
                        kind: super::SymtableErrorKind::SyntaxError,
                        msg: "from __future__ imports must occur at the beginning of the file".into(),
                        lineno: s.loc.lineno,
                        offset: s.loc.col_offset as i64,
                        end_lineno: s.loc.lineno,
                        end_offset: s.loc.col_offset as i64,
                    });
                }
                for alias in names {
                    let feature = &*alias.name;
                    if KNOWN.contains(&feature) {
                        continue;
                    }
                    let msg = match feature {
                        "annotations" => {
                            ff.annotations = true;
                            continue;
                        }
                        "barry_as_FLUFL" => {
                            ff.barry_as_bdfl = true;
                            continue;
                        }
                        "braces" => "not a chance".to_string(),
                        _ => format!("future feature {feature} is not defined"),
                    };
                    let mut err = SymtableError::at(msg, s.loc);
                    err.end_lineno = s.loc.lineno;
                    err.end_offset = err.offset;
                    return Err(err);
                }
                ff.lineno = s.loc.lineno;
            }
            _ => done = true,
        }
    }
    Ok(ff)
}
