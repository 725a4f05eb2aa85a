//! Pins the sizes of the hot syntax-tree types (ruff's `size()` test): a
//! change that grows them slows every parse, so it should be deliberate.

use taipan_parser::ast::{Expr, Stmt};
use taipan_parser::tokenizer::Token;

#[test]
fn hot_type_sizes() {
    assert_eq!(std::mem::size_of::<Token>(), 28);
    assert_eq!(std::mem::size_of::<Expr>(), 48);
    // 96 since `For`/`AsyncFor` carry their `type_comment` (8 bytes).
    assert_eq!(std::mem::size_of::<Stmt>(), 96);
}
