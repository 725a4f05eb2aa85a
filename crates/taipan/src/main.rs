//! The `taipan` command: `taipan FILE [ARGS...]`, `taipan -c CODE`, and
//! `taipan -X dis FILE` (the bytecode listing). It runs the subset of
//! Python the compiler and vm support so far; anything else stops with an
//! error that names what is missing.

use std::process::ExitCode;

mod repl;

use taipan_vm::eval::{run, Frame};
use taipan_vm::types::builtin;
use taipan_vm::Vm;

fn usage() -> ExitCode {
    eprintln!("usage: taipan [-X dis] FILE [ARGS...] | taipan -c CODE");
    ExitCode::from(2)
}

/// The interpreter runs on a thread with a large stack: Python calls do not
/// recurse on it, but Rust code calling back into Python (and native
/// recursion, bounded by the recursion limit) does. The reservation is
/// virtual memory; only the pages used are backed.
const STACK_SIZE: usize = 1 << 30;

fn main() -> ExitCode {
    if let Err(msg) = taipan_vm::hash::init_from_env() {
        eprintln!("Fatal Python error: config_init_hash_seed: {msg}");
        eprintln!("Python runtime state: preinitialized");
        eprintln!();
        return ExitCode::from(1);
    }
    let worker = std::thread::Builder::new().name("taipan-main".into()).stack_size(STACK_SIZE).spawn(|| {
        std::panic::catch_unwind(run_main).unwrap_or_else(|_| {
            // The panic hook has printed the message and location.
            eprintln!("Fatal Python error: Taipan internal error (a Rust panic; please report it)");
            ExitCode::from(70)
        })
    });
    match worker.map(|w| w.join()) {
        Ok(Ok(code)) => code,
        _ => {
            eprintln!("taipan: could not run the interpreter thread");
            ExitCode::from(70)
        }
    }
}

fn run_main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dis, rest) = match args.first().map(String::as_str) {
        Some("-X") if args.get(1).map(String::as_str) == Some("dis") => (true, &args[2..]),
        _ => (false, &args[..]),
    };
    let (source, filename, argv) = match rest.first().map(String::as_str) {
        Some("-") | None if !dis && !std::io::IsTerminal::is_terminal(&std::io::stdin()) => {
            let mut src = Vec::new();
            if let Err(e) = std::io::Read::read_to_end(&mut std::io::stdin(), &mut src) {
                eprintln!("taipan: can't read stdin: {e}");
                return ExitCode::from(2);
            }
            let mut argv = vec![if rest.is_empty() { String::new() } else { "-".to_string() }];
            argv.extend(rest.iter().skip(1).cloned());
            (src, "<stdin>".to_string(), argv)
        }
        None if !dis => (Vec::new(), "<stdin>".to_string(), vec![String::new()]),
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
    if dis {
        let unit = taipan_parser::parse_module(&source)
            .map_err(|e| e.to_string())
            .and_then(|m| taipan_compiler::codegen::compile_module(&m, &filename).map_err(|e| format!("SyntaxError: {}", e.msg)));
        return match unit {
            Ok(u) => {
                print!("{}", u.dis());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::from(1)
            }
        };
    }
    let vm = Vm::new();
    taipan_stdlib::register(&vm);
    // sys.path[0]: the script's directory, or '' (the current directory).
    let first = if filename.starts_with('<') {
        String::new()
    } else {
        match std::path::Path::new(&filename).parent() {
            Some(p) if !p.as_os_str().is_empty() => std::fs::canonicalize(p).unwrap_or(p.to_path_buf()).to_string_lossy().into_owned(),
            _ => std::env::current_dir().map(|d| d.to_string_lossy().into_owned()).unwrap_or_default(),
        }
    };
    if let Err(e) = taipan_vm::import::init_path(&vm, &first) {
        eprint!("{}", taipan_vm::traceback::format_exception(&vm, &e.exc));
        return ExitCode::from(1);
    }
    *vm.argv.borrow_mut() = argv;
    let code = match taipan_vm::import::compile_source(&vm, &source, &filename) {
        Ok(c) => c,
        Err(err) => {
            eprint!("{}", taipan_vm::traceback::format_exception(&vm, &err.exc));
            return ExitCode::from(1);
        }
    };
    let main = taipan_vm::import::new_module(&vm, "__main__");
    let globals = main.downcast::<taipan_vm::modules::ModuleData>().map(|m| m.dict.clone()).unwrap_or_else(|| builtin::new_dict(&vm));
    if !filename.starts_with('<') {
        let _ = builtin::dict_set(&vm, &globals, vm.intern("__file__"), builtin::new_str(&vm, &filename));
    }
    let _ = builtin::dict_set(&vm, &vm.modules, vm.intern("__main__"), main.clone());
    if rest.is_empty() {
        let status = repl::run(&vm, &globals);
        vm.run_exit_hooks();
        return status;
    }
    let result = run(&vm, Frame::module(code, globals.clone()));
    // Objects still referenced by `__main__` are finalized (their
    // `__del__` runs) before the interpreter goes, as in CPython; an
    // uncaught exception is reported first.
    let status = exit_status(&vm, result);
    vm.run_exit_hooks();
    taipan_vm::gc::finalize_main(&vm, &globals);
    // What finalizers printed.
    taipan_stdlib::io::flush_std_streams(&vm);
    status
}

fn exit_status(vm: &Vm, result: taipan_vm::PyResult<taipan_vm::object::Obj>) -> ExitCode {
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(err) if taipan_vm::types::is_subtype(&taipan_vm::types::type_of(&err.exc), &vm.types.system_exit) => system_exit(vm, &err.exc),
        Err(err) => {
            taipan_vm::stdio::write_stderr(vm, &taipan_vm::traceback::format_exception(vm, &err.exc));
            ExitCode::from(1)
        }
    }
}

/// The exit status for an uncaught `SystemExit`, as CPython computes it:
/// no argument or `None` is 0, an int is the status, anything else is
/// printed to stderr and the status is 1.
pub(crate) fn system_exit(vm: &Vm, exc: &taipan_vm::object::Obj) -> ExitCode {
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
    taipan_vm::stdio::write_stderr(vm, &format!("{text}\n"));
    ExitCode::from(1)
}
