//! The `taipan` command: `taipan FILE [ARGS...]`, `taipan -c CODE`, and
//! `taipan -X dis FILE` (the bytecode listing). It runs the subset of
//! Python the compiler and vm support so far; anything else stops with an
//! error that names what is missing.

use std::process::ExitCode;

use taipan_vm::eval::{run, Frame};
use taipan_vm::types::builtin;
use taipan_vm::Vm;

fn usage() -> ExitCode {
    eprintln!("usage: taipan [-X dis] FILE [ARGS...] | taipan -c CODE");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dis, rest) = match args.first().map(String::as_str) {
        Some("-X") if args.get(1).map(String::as_str) == Some("dis") => (true, &args[2..]),
        _ => (false, &args[..]),
    };
    let (source, filename, argv) = match rest.first().map(String::as_str) {
        Some("-c") => match rest.get(1) {
            Some(code) => {
                let mut argv = vec!["-c".to_string()];
                argv.extend(rest[2..].iter().cloned());
                (code.clone().into_bytes(), "<string>".to_string(), argv)
            }
            None => return usage(),
        },
        Some(path) if !path.starts_with('-') => match std::fs::read(path) {
            Ok(b) => (b, path.to_string(), rest.to_vec()),
            Err(e) => {
                eprintln!("taipan: can't open file '{path}': [Errno {}] {}", e.raw_os_error().unwrap_or(0), e);
                return ExitCode::from(2);
            }
        },
        _ => return usage(),
    };
    let module = match taipan_parser::parse_module(&source) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("  File \"{filename}\", line {}", e.lineno.unwrap_or(0));
            eprintln!("{}: {}", e.kind.name(), e.msg);
            return ExitCode::from(1);
        }
    };
    let unit = match taipan_compiler::codegen::compile_module(&module, &filename) {
        Ok(u) => u,
        Err(e) => {
            eprintln!("  File \"{filename}\", line {}", e.lineno);
            eprintln!("SyntaxError: {}", e.msg);
            return ExitCode::from(1);
        }
    };
    if dis {
        print!("{}", unit.dis());
        return ExitCode::SUCCESS;
    }
    let vm = Vm::new();
    *vm.argv.borrow_mut() = argv;
    let code = taipan_vm::function::new_code(&vm, unit);
    let globals = builtin::new_dict(&vm);
    let _ = builtin::dict_set(&vm, &globals, builtin::new_str(&vm, "__name__"), builtin::new_str(&vm, "__main__"));
    let result = run(&vm, Frame::module(code, globals.clone()));
    // Objects still referenced by `__main__` are finalized (their
    // `__del__` runs) before the interpreter goes, as in CPython; an
    // uncaught exception is reported first.
    let status = exit_status(&vm, result);
    taipan_vm::gc::finalize_main(&vm, &globals);
    status
}

fn exit_status(vm: &Vm, result: taipan_vm::PyResult<taipan_vm::object::Obj>) -> ExitCode {
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(err) if taipan_vm::types::is_subtype(&taipan_vm::types::type_of(&err.exc), &vm.types.system_exit) => system_exit(vm, &err.exc),
        Err(err) => {
            eprint!("{}", taipan_vm::traceback::format_exception(vm, &err.exc));
            ExitCode::from(1)
        }
    }
}

/// The exit status for an uncaught `SystemExit`, as CPython computes it:
/// no argument or `None` is 0, an int is the status, anything else is
/// printed to stderr and the status is 1.
fn system_exit(vm: &Vm, exc: &taipan_vm::object::Obj) -> ExitCode {
    let args = builtin::exception_data(exc).map(|d| d.args.borrow().clone());
    let items: Vec<taipan_vm::object::Obj> =
        args.as_ref().and_then(|a| a.downcast::<builtin::TupleData>()).map_or_else(Vec::new, |t| t.items.to_vec());
    let code = match items.as_slice() {
        [] => return ExitCode::SUCCESS,
        [one] => one.clone(),
        _ => args.unwrap_or_else(|| vm.none.clone()),
    };
    if code.is(&vm.none) {
        return ExitCode::SUCCESS;
    }
    if let Some(builtin::IntData::Small(n)) = code.downcast::<builtin::IntData>() {
        return ExitCode::from((*n & 0xFF) as u8);
    }
    let text = taipan_vm::ops::str(vm, &code).map(|s| builtin::str_data(&s).as_str().into_owned()).unwrap_or_default();
    eprintln!("{text}");
    ExitCode::from(1)
}
