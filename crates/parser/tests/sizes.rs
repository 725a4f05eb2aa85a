//! Pins the sizes of the hot syntax-tree types: a change that grows them
//! slows every parse (and later every compile), so it should be deliberate.

use taipan_parser::ast::{Expr, ExprKind, Stmt, StmtKind};
use taipan_parser::tokenizer::Token;

#[test]
fn hot_type_sizes() {
    eprintln!("Expr {} ExprKind {} Stmt {} StmtKind {} Token {}", std::mem::size_of::<Expr>(), std::mem::size_of::<ExprKind>(), std::mem::size_of::<Stmt>(), std::mem::size_of::<StmtKind>(), std::mem::size_of::<Token>());
    assert_eq!(std::mem::size_of::<Expr>(), 0);
}
