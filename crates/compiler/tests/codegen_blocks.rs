//! Code generation of protected regions: the exception table built from
//! each word's innermost handler, and expression unparsing for PEP 563.

use taipan_compiler::bytecode::{Const, Opcode};
use taipan_compiler::codegen::compile_module;

fn compile(src: &str) -> taipan_compiler::bytecode::CodeUnit {
    let module = taipan_parser::parse_module(src.as_bytes()).expect("parses");
    compile_module(&module, "<test>").expect("compiles")
}

#[test]
fn exception_rows_do_not_overlap() {
    let src = "try:\n    try:\n        a()\n    finally:\n        b()\nexcept E as e:\n    c()\nwith m() as x:\n    for i in y:\n        if i:\n            break\n        try:\n            continue\n        finally:\n            d()\n";
    let unit = compile(src);
    let mut rows = unit.exception_table.clone();
    rows.sort_by_key(|r| r.start);
    for w in rows.windows(2) {
        assert!(w[0].end <= w[1].start, "overlapping rows {:?} {:?}", w[0], w[1]);
    }
    for r in &rows {
        assert!(r.start < r.end && (r.target as usize) < unit.code.len());
    }
}

#[test]
fn finally_body_is_inlined_for_return_and_normal_exit() {
    let unit = compile("def f():\n    try:\n        return 1\n    finally:\n        g()\n");
    let Some(Const::Code(f)) = unit.consts.iter().find(|c| matches!(c, Const::Code(_))) else { panic!("no code") };
    // `g()` runs on return, on the normal path (unreachable here but
    // compiled) and in the exception handler.
    let loads = f.code.iter().filter(|w| (**w & 0xFF) as u8 == Opcode::LoadGlobal as u8).count();
    assert_eq!(loads, 3);
}

#[test]
fn unparse_keeps_precedence() {
    for (src, want) in [
        ("(a + b) * c", "(a + b) * c"),
        ("a + b * c", "a + b * c"),
        ("-x ** 2", "-x ** 2"),
        ("(-x) ** 2", "(-x) ** 2"),
        ("a if b else c", "a if b else c"),
        ("(a, b)", "(a, b)"),
        ("x[1:2, ::3]", "x[1:2, ::3]"),
        ("lambda: 0", "lambda: 0"),
        ("not (a and b)", "not (a and b)"),
        ("f(*a, k=1, **b)", "f(*a, k=1, **b)"),
        ("'s'", "'s'"),
    ] {
        let module = taipan_parser::parse_module(src.as_bytes()).expect("parses");
        let taipan_parser::ast::Mod::Module { body, .. } = &module else { panic!() };
        let taipan_parser::ast::StmtKind::Expr { value } = &body[0].kind else { panic!() };
        assert_eq!(taipan_compiler::unparse::unparse(value), want);
    }
}
