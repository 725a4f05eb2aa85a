//! `ast_dump FILE...`: for each file, `== FILE` and then the line
//! `ast.dump(compile(src, FILE, 'exec', ast.PyCF_ONLY_AST), include_attributes=True)`
//! prints under CPython 3.11, or the SyntaxError CPython raises.

use std::io::Write;

fn main() {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut status = 0;
    for path in std::env::args().skip(1) {
        let _ = writeln!(out, "== {path}");
        match std::fs::read(&path) {
            Ok(bytes) => {
                let _ = writeln!(out, "{}", taipan_parser::dump_or_error(&bytes, &path));
            }
            Err(e) => {
                let _ = writeln!(out, "OSError: {e}");
                status = 1;
            }
        }
    }
    let _ = out.flush();
    std::process::exit(status);
}
