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
    let (source, filename) = match rest.first().map(String::as_str) {
        Some("-c") => match rest.get(1) {
            Some(code) => (code.clone().into_bytes(), "<string>".to_string()),
            None => return usage(),
        },
        Some(path) if !path.starts_with('-') => match std::fs::read(path) {
            Ok(b) => (b, path.to_string()),
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
    let code = taipan_vm::function::new_code(&vm, unit);
    let globals = builtin::new_dict(&vm);
    let _ = builtin::dict_set(&vm, &globals, builtin::new_str(&vm, "__name__"), builtin::new_str(&vm, "__main__"));
    match run(&vm, Frame::module(code, globals)) {
        Ok(_) => ExitCode::SUCCESS,
        Err(err) => {
            eprint!("{}", taipan_vm::traceback::format_exception(&vm, &err.exc));
            ExitCode::from(1)
        }
    }
}
