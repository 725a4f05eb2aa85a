//! `symtable_dump FILE...`: for each file, `== FILE` and then what
//! `tools/cpython_symtable_dump.py` prints for it under CPython 3.11: the
//! scopes and symbols of `symtable.symtable(src, FILE, 'exec')`, or the
//! SyntaxError CPython raises.

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
    for path in std::env::args().skip(1) {
        let _ = writeln!(out, "== {path}");
        match std::fs::read(&path) {
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
