//! End-to-end checks of the compile-and-run pipeline on small modules:
//! the values left in the module namespace.

use taipan_vm::eval::{run, Frame};
use taipan_vm::types::builtin::{self, repr_string};
use taipan_vm::Vm;

/// Runs `src` as a module and returns `repr(name)` from its namespace.
fn run_and_get(src: &str, name: &str) -> String {
    let module = taipan_parser::parse_module(src.as_bytes()).expect("parses");
    let unit = taipan_compiler::codegen::compile_module(&module, "<test>").expect("compiles");
    let vm = Vm::new();
    let code = taipan_vm::function::new_code(&vm, unit);
    let globals = builtin::new_dict(&vm);
    run(&vm, Frame::module(code, globals.clone())).expect("runs");
    let v = builtin::dict_get_str(&vm, &globals, name).expect("lookup").expect("bound");
    repr_string(&vm, &v).expect("repr")
}

#[test]
fn arithmetic_and_big_ints() {
    assert_eq!(run_and_get("x = 2 ** 100 - 1", "x"), "1267650600228229401496703205375");
    assert_eq!(run_and_get("x = (-7 // 2, -7 % 2, 7 / 2, 9223372036854775807 + 1)", "x"), "(-4, 1, 3.5, 9223372036854775808)");
}

#[test]
fn functions_recursion_and_defaults() {
    let src = "def fib(n, k=2):\n    if n < k:\n        return n\n    return fib(n - 1) + fib(n - 2)\nx = fib(20)\n";
    assert_eq!(run_and_get(src, "x"), "6765");
}

#[test]
fn loops_and_boolean_operators() {
    let src = "t = 0\nfor i in range(5):\n    t += i\nwhile t > 3 and t != 4:\n    t -= 1\ny = (t, 0 or 'z', 1 and [], not t)\n";
    assert_eq!(run_and_get(src, "y"), "(4, 'z', [], False)");
}

#[test]
fn deep_recursion_raises_instead_of_crashing() {
    let module = taipan_parser::parse_module(b"def f(n):\n    return f(n + 1)\nf(0)\n").expect("parses");
    let unit = taipan_compiler::codegen::compile_module(&module, "<test>").expect("compiles");
    let vm = Vm::new();
    let code = taipan_vm::function::new_code(&vm, unit);
    let err = run(&vm, Frame::module(code, builtin::new_dict(&vm))).expect_err("RecursionError");
    assert_eq!(builtin::type_name(&err.exc), "RecursionError");
}
