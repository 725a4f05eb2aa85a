//! `symtable_dump FILE...`: for each file, `== FILE` and then what
//! `tools/cpython_symtable_dump.py` prints for it under CPython 3.11: the
//! scopes and symbols of `symtable.symtable(src, FILE, 'exec')`, or the
//! SyntaxError CPython raises.
//!
//! `symtable_dump --code FILE...` prints instead, per function and class
//! scope, what CPython's code object for it would say (see
//! `tools/check_symtable_stdlib.py --code`): one line
//! `NAME LINENO flags=... params=... cells=... frees=...`, lines sorted.

use std::io::Write;

fn main() {
    // Deeply nested sources need more than the default main-thread stack
    // in debug builds.
    let child = std::thread::Builder::new().stack_size(256 << 20).spawn(run).expect("spawning worker thread");
    let status = child.join().unwrap_or(101);
    std::process::exit(status);
}

fn run() -> i32 {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut status = 0;
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let code = args.first().is_some_and(|a| a == "--code");
    if code {
        args.remove(0);
    }
    for path in args {
        let _ = writeln!(out, "== {path}");
        match std::fs::read(&path) {
            Ok(bytes) if code => {
                let _ = writeln!(out, "{}", code_summary(&bytes, &path));
            }
            Ok(bytes) => {
                let _ = writeln!(out, "{}", taipan_compiler::symtable::dump_or_error(&bytes, &path));
            }
            Err(e) => {
                let _ = writeln!(out, "OSError: {e}");
                status = 1;
            }
        }
    }
    let _ = out.flush();
    status
}

/// Per function/class scope: the `co_flags` bits the symbol table decides,
/// the parameter names, and the sorted cell and free variable names.
fn code_summary(bytes: &[u8], path: &str) -> String {
    use taipan_compiler::symtable::{flags::DEF_FREE_CLASS, ScopeKind, SymScope};
    let Ok(m) = taipan_parser::parse_module(bytes) else {
        return "ERROR".into();
    };
    let Ok(st) = taipan_compiler::symtable::build(&m, path) else {
        return "ERROR".into();
    };
    let mut lines = Vec::new();
    for sc in &st.scopes {
        if !matches!(sc.kind, ScopeKind::Function | ScopeKind::Class) || sc.parent.is_none() {
            continue;
        }
        // Annotation scopes' children are never compiled.
        let mut reachable = true;
        let mut p = sc.parent;
        while let Some(id) = p {
            if st.scope(id).kind == ScopeKind::Annotation {
                reachable = false;
            }
            p = st.scope(id).parent;
        }
        if !reachable {
            continue;
        }
        let mut fl = Vec::new();
        if sc.kind == ScopeKind::Function {
            if sc.nested {
                fl.push("nested");
            }
            match (sc.is_generator, sc.is_coroutine) {
                (true, false) => fl.push("generator"),
                (false, true) => fl.push("coroutine"),
                (true, true) => fl.push("async_generator"),
                _ => {}
            }
            if sc.has_varargs {
                fl.push("varargs");
            }
            if sc.has_varkeywords {
                fl.push("varkeywords");
            }
        }
        let mut cells: Vec<&str> = sc.symbols.iter().filter(|s| s.scope == SymScope::Cell).map(|s| &*s.name).collect();
        if sc.needs_class_closure {
            cells.push("__class__");
        }
        cells.sort();
        let mut frees: Vec<&str> =
            sc.symbols.iter().filter(|s| s.scope == SymScope::Free || s.has(DEF_FREE_CLASS)).map(|s| &*s.name).collect();
        frees.sort();
        let params: Vec<&str> = sc.varnames.iter().map(|n| &**n).collect();
        lines.push(format!(
            "{} {} flags={} params={} cells={} frees={}",
            sc.name,
            sc.lineno(),
            fl.join(","),
            params.join(","),
            cells.join(","),
            frees.join(",")
        ));
    }
    lines.sort();
    lines.join("\n")
}
