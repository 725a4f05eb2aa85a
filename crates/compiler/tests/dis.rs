//! Golden tests of the bytecode listing (`taipan -X dis FILE`): every
//! `tests/dis/*.py` is compiled and `CodeUnit::dis()` compared with
//! `NAME.py.dis` beside it. Unlike the parser and symtable goldens these
//! are our own output (the instruction set is Taipan's, not CPython's): a
//! change in code generation shows up here as a diff to review.
//!
//! `TAIPAN_BLESS=1 cargo test -p taipan-compiler --test dis` rewrites the
//! `.dis` files from the current compiler.

use std::fs;
use std::path::{Path, PathBuf};

fn listing(path: &Path) -> String {
    let source = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    match taipan_parser::parse_module(&source) {
        Ok(m) => match taipan_compiler::codegen::compile_module(&m, &name) {
            Ok(unit) => unit.dis(),
            Err(e) => format!("CompileError: {} (line {})\n", e.msg, e.lineno),
        },
        Err(e) => format!("{e}\n"),
    }
}

#[test]
fn dis_listings_match_golden_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("dis");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/dis exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no snippets in {}", dir.display());
    let bless = std::env::var_os("TAIPAN_BLESS").is_some();
    let mut failures = Vec::new();
    for path in &files {
        let got = listing(path);
        let golden = path.with_extension("py.dis");
        if bless {
            fs::write(&golden, &got).unwrap_or_else(|e| panic!("{}: {e}", golden.display()));
            continue;
        }
        let want = fs::read_to_string(&golden).unwrap_or_default();
        if got != want {
            failures.push(format!("{}:\n--- expected\n{want}--- got\n{got}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{} listing(s) differ (TAIPAN_BLESS=1 to accept):\n{}", failures.len(), failures.join("\n"));
}

/// Every snippet's code unit survives the cache format unchanged.
#[test]
fn dis_snippets_round_trip_through_the_cache_format() {
    use taipan_compiler::serial;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("dis");
    let mut n = 0;
    for path in fs::read_dir(&dir).expect("tests/dis exists").flatten().map(|e| e.path()) {
        if path.extension().is_none_or(|x| x != "py") {
            continue;
        }
        let source = fs::read(&path).unwrap_or_default();
        let Ok(m) = taipan_parser::parse_module(&source) else { continue };
        let Ok(unit) = taipan_compiler::codegen::compile_module(&m, "x.py") else { continue };
        let key = serial::CacheKey { flags: 0, key: 1, size: 2 };
        let data = serial::encode_cache(&unit, key);
        let (k, payload) = serial::parse_cache(&data).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(k, key);
        assert_eq!(serial::decode_code(payload).as_ref(), Ok(&unit), "{}", path.display());
        n += 1;
    }
    assert!(n > 0);
}
