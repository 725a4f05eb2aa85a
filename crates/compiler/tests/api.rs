//! The parts of the symbol table that the dump does not show but the code
//! generator needs: node lookup, generator/coroutine flags, parameters,
//! class closures, future features.

use taipan_compiler::symtable::{self, CompKind, ScopeKind, SymScope, SymbolTable};
use taipan_parser::ast::{ExprKind, Mod, StmtKind};

fn parse(src: &str) -> Mod {
    taipan_parser::parse_module(src.as_bytes()).expect("parses")
}

fn build(m: &Mod) -> SymbolTable {
    symtable::build(m, "<test>").expect("builds")
}

fn body(m: &Mod) -> &[taipan_parser::ast::Stmt] {
    match m {
        Mod::Module { body, .. } => body,
        _ => unreachable!(),
    }
}

#[test]
fn node_lookup_by_address() {
    let m = parse("def f(a, *b, c, **d):\n    return lambda: a\nclass C:\n    pass\nx = [i for i in y]\n");
    let st = build(&m);
    let stmts = body(&m);
    let f = st.scope_of_stmt(&stmts[0]).expect("f has a scope");
    assert_eq!(&*st.scope(f).name, "f");
    assert_eq!(st.scope(f).kind, ScopeKind::Function);
    let names: Vec<&str> = st.scope(f).varnames.iter().map(|n| &**n).collect();
    assert_eq!(names, ["a", "c", "b", "d"]);
    assert!(st.scope(f).has_varargs && st.scope(f).has_varkeywords);
    assert_eq!(st.scope(f).scope_of("a"), SymScope::Cell);
    let StmtKind::FunctionDef(def) = &stmts[0].kind else { unreachable!() };
    let StmtKind::Return { value: Some(lam) } = &def.body[0].kind else { unreachable!() };
    let l = st.scope_of_expr(lam).expect("lambda has a scope");
    assert_eq!(st.scope(l).parent, Some(f));
    assert_eq!(st.scope(l).scope_of("a"), SymScope::Free);
    let c = st.scope_of_stmt(&stmts[1]).expect("class has a scope");
    assert_eq!(st.scope(c).kind, ScopeKind::Class);
    let StmtKind::Assign { value, .. } = &stmts[2].kind else { unreachable!() };
    assert!(matches!(value.kind, ExprKind::ListComp(_)));
    let lc = st.scope_of_expr(value).expect("listcomp has a scope");
    assert_eq!(st.scope(lc).comprehension, Some(CompKind::List));
    assert_eq!(&*st.scope(lc).varnames[0], ".0");
    assert_eq!(st.scope(st.root()).children, vec![f, c, lc]);
    assert_eq!(st.scope_of_stmt(&stmts[2]), None);
}

#[test]
fn generator_and_coroutine_flags() {
    let m = parse(
        "def g():\n    yield\nasync def c():\n    await x\nasync def ag():\n    yield\n\
         def plain():\n    return (i for i in x)\nasync def ac():\n    return [i async for i in x]\n\
         async def nested():\n    return [[j async for j in i] for i in x]\n",
    );
    let st = build(&m);
    let by_name = |n: &str| st.scopes.iter().position(|s| &*s.name == n).expect(n);
    let s = |n: &str| &st.scopes[by_name(n)];
    assert!(s("g").is_generator && !s("g").is_coroutine);
    assert!(!s("c").is_generator && s("c").is_coroutine);
    assert!(s("ag").is_generator && s("ag").is_coroutine);
    assert!(!s("plain").is_generator && !s("plain").is_coroutine);
    assert!(s("genexpr").is_generator);
    let ac = by_name("ac");
    let lc = st.scope(ac).children[0];
    assert!(st.scope(lc).is_coroutine);
    // An async comprehension inside a comprehension makes the outer one async too.
    let nested = by_name("nested");
    let outer = st.scope(nested).children[0];
    assert!(st.scope(outer).is_coroutine);
}

#[test]
fn class_closure_and_free_class() {
    let m = parse("def f():\n    x = 1\n    class C:\n        x = 2\n        def m(self):\n            return x, super()\n");
    let st = build(&m);
    let c = st.scopes.iter().position(|s| &*s.name == "C").unwrap();
    assert!(st.scope(c).needs_class_closure);
    assert!(st.scope(c).lookup("__class__").is_none());
    assert!(st.scope(c).lookup("x").unwrap().has(symtable::flags::DEF_FREE_CLASS));
    let f = st.scopes.iter().position(|s| &*s.name == "f").unwrap();
    assert_eq!(st.scope(f).scope_of("x"), SymScope::Cell);
    assert!(st.scope(f).child_free);
}

#[test]
fn future_annotations_hide_annotation_scopes() {
    let m = parse("from __future__ import annotations\ndef f(a: (lambda: q)) -> r: pass\n");
    let st = build(&m);
    assert!(st.future.annotations);
    assert_eq!(st.scope(st.root()).children.len(), 1);
    assert!(st.scope(st.root()).lookup("q").is_none());
    assert!(st.scope(st.root()).lookup("r").is_none());
}

#[test]
fn errors_carry_cpython_locations() {
    let m = parse("def f():\n    x = 1\n    global x\n");
    let e = symtable::build(&m, "<test>").unwrap_err();
    assert_eq!(e.msg, "name 'x' is assigned to before global declaration");
    assert_eq!((e.lineno, e.offset, e.end_lineno, e.end_offset), (3, 5, 3, 13));
}

#[test]
fn mangling() {
    assert_eq!(symtable::mangle(Some("C"), "__x"), "_C__x");
    assert_eq!(symtable::mangle(Some("_C"), "__x"), "_C__x");
    assert_eq!(symtable::mangle(Some("__"), "__x"), "__x");
    assert_eq!(symtable::mangle(Some("C"), "__x__"), "__x__");
    assert_eq!(symtable::mangle(Some("C"), "__a.b"), "__a.b");
    assert_eq!(symtable::mangle(None, "__x"), "__x");
    assert_eq!(symtable::mangle(Some("C"), "_x"), "_x");
}

#[test]
fn deep_nesting_fits_a_small_stack() {
    // 2987 nested BinOps is the deepest tree CPython's symtable accepts; the
    // pass must handle it on a 2 MiB thread (libtest's default) in debug builds.
    let src = format!("x = {}\n", vec!["1"; 2987].join("+"));
    let m = parse(&src);
    let handle = std::thread::Builder::new().stack_size(2 << 20).spawn(move || symtable::build(&m, "<test>").is_ok()).unwrap();
    assert!(handle.join().unwrap());
    let src = format!("x = {}\n", vec!["1"; 2988].join("+"));
    let e = symtable::build(&parse(&src), "<test>").unwrap_err();
    assert_eq!(e.kind, symtable::SymtableErrorKind::RecursionError);
}
