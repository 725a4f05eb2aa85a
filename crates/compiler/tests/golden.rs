//! Golden tests: every `tests/symtable/{valid,invalid}/*.py` goes through
//! `taipan_compiler::symtable::dump_or_error(bytes, "valid/NAME.py")` and the
//! result is compared with `NAME.py.expected` beside it (what CPython 3.11's
//! `symtable` module reports, see `tools/cpython_symtable_dump.py`). All
//! mismatches are reported, then the test fails.
//!
//! `TAIPAN_BLESS=1 cargo test -p taipan-compiler --test golden` regenerates
//! every `.expected` file by running `python3 tools/cpython_symtable_dump.py`
//! (goldens always come from CPython, never from our own output).
//! `TAIPAN_GOLDEN_FILTER=substr` restricts the run to snippets whose relative
//! path contains `substr`.
//!
//! Snippets in `valid/` must be accepted by CPython's symtable and those in
//! `invalid/` must be refused by it with an error (checked here too, so
//! that a snippet cannot silently test the wrong thing).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const KINDS: [&str; 2] = ["valid", "invalid"];

fn snippets_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("symtable")
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("..")
}

/// `(relative path with '/' separators, absolute path)` of every snippet, sorted.
fn snippets() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for kind in KINDS {
        let dir = snippets_dir().join(kind);
        let entries = fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("readable directory entry").path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if name.ends_with(".py") {
                out.push((format!("{kind}/{name}"), path));
            }
        }
    }
    out.sort();
    out
}

fn expected_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".expected");
    PathBuf::from(s)
}

/// Regenerates every `.expected` file from CPython.
fn bless(files: &[(String, PathBuf)]) {
    let script = repo_root().join("tools").join("cpython_symtable_dump.py");
    let output = Command::new("python3")
        .arg(&script)
        .arg("--name-relative-to")
        .arg(".")
        .args(files.iter().map(|(rel, _)| rel))
        .current_dir(snippets_dir())
        .output()
        .expect("running python3 tools/cpython_symtable_dump.py");
    assert!(output.status.success(), "reference dumper failed: {}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).expect("reference output is UTF-8");
    let mut chunks: Vec<(String, Vec<&str>)> = Vec::new();
    for line in stdout.lines() {
        if let Some(rel) = line.strip_prefix("== ") {
            chunks.push((rel.to_string(), Vec::new()));
        } else {
            chunks.last_mut().expect("header line first").1.push(line);
        }
    }
    assert_eq!(chunks.len(), files.len(), "reference output out of sync");
    for ((rel, path), (header, lines)) in files.iter().zip(&chunks) {
        assert_eq!(rel, header, "reference output out of sync");
        fs::write(expected_path(path), format!("{}\n", lines.join("\n"))).expect("writing .expected");
    }
    eprintln!("blessed {} snippets", files.len());
}

fn dump_on_big_stack(source: Vec<u8>, rel: String) -> String {
    let handle = std::thread::Builder::new()
        .stack_size(16 << 20)
        .spawn(move || taipan_compiler::symtable::dump_or_error(&source, &rel))
        .expect("spawning worker thread");
    handle.join().unwrap_or_else(|e| {
        let msg = e.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| e.downcast_ref::<String>().cloned()).unwrap_or_default();
        format!("<PANIC: {msg}>")
    })
}

#[test]
fn golden_symtable_snippets() {
    let mut files = snippets();
    if let Ok(filter) = std::env::var("TAIPAN_GOLDEN_FILTER") {
        files.retain(|(rel, _)| rel.contains(&filter));
    }
    assert!(!files.is_empty(), "no snippets found");
    if std::env::var("TAIPAN_BLESS").as_deref() == Ok("1") {
        bless(&files);
    }

    let mut mismatches = Vec::new();
    for (rel, path) in &files {
        let source = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let exp_path = expected_path(path);
        let expected = match fs::read_to_string(&exp_path) {
            Ok(s) => s,
            Err(e) => {
                println!("MISSING {}: {e} (run with TAIPAN_BLESS=1)", exp_path.display());
                mismatches.push(rel.clone());
                continue;
            }
        };
        let expected = expected.strip_suffix('\n').unwrap_or(&expected);
        let is_error = !expected.starts_with("module top");
        if is_error != rel.starts_with("invalid/") {
            println!("MISPLACED {rel}: CPython says {}", expected.lines().next().unwrap_or(""));
            mismatches.push(rel.clone());
            continue;
        }
        let got = dump_on_big_stack(source, rel.clone());
        if got != expected {
            println!("MISMATCH {rel}\n--- expected\n{expected}\n--- got\n{got}");
            mismatches.push(rel.clone());
        }
    }
    if !mismatches.is_empty() {
        panic!("{} of {} golden snippets mismatched:\n  {}", mismatches.len(), files.len(), mismatches.join("\n  "));
    }
}
