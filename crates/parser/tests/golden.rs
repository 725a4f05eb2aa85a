//! Golden tests: every `tests/snippets/{valid,invalid}/*.py` is parsed with
//! `taipan_parser::dump_or_error(bytes, "valid/NAME.py")` and the result is
//! compared with `NAME.py.expected` beside it (what CPython 3.11 prints, see
//! `tools/cpython_ast_dump.py`). All mismatches are reported, then the test fails.
//!
//! `TAIPAN_BLESS=1 cargo test -p taipan-parser --test golden` regenerates every
//! `.expected` file by running `python3 tools/cpython_ast_dump.py` (goldens
//! always come from CPython, never from our own output). `TAIPAN_GOLDEN_FILTER=substr`
//! restricts the run to snippets whose relative path contains `substr`;
//! `TAIPAN_GOLDEN_FULL=1` prints mismatching lines whole; `TAIPAN_GOLDEN_TRACE=1`
//! names each snippet on stderr before parsing it (to find one that overflows the stack).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const KINDS: [&str; 2] = ["valid", "invalid"];

fn snippets_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("snippets")
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
    let script = repo_root().join("tools").join("cpython_ast_dump.py");
    let output = Command::new("python3")
        .arg(&script)
        .arg("--name-relative-to")
        .arg(".")
        .args(files.iter().map(|(rel, _)| rel))
        .current_dir(snippets_dir())
        .output()
        .expect("running python3 tools/cpython_ast_dump.py");
    assert!(output.status.success(), "reference dumper failed: {}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).expect("reference output is UTF-8");
    let mut lines = stdout.lines();
    for (rel, path) in files {
        let header = lines.next().expect("header line");
        assert_eq!(header, format!("== {rel}"), "reference output out of sync");
        let line = lines.next().expect("result line");
        fs::write(expected_path(path), format!("{line}\n")).expect("writing .expected");
    }
    assert!(lines.next().is_none(), "extra reference output");
    eprintln!("blessed {} snippets", files.len());
}

/// Runs `dump_or_error` on a thread with an 8 MiB stack (what a program's main
/// thread gets on Linux; libtest's threads get only 2 MiB), turning a panic into
/// `<PANIC: message>`. A stack overflow still aborts the whole test binary: run
/// with `TAIPAN_GOLDEN_TRACE=1 cargo test --test golden -- --nocapture` to see
/// which snippet was being parsed.
fn parse_on_big_stack(source: Vec<u8>, rel: String) -> String {
    let handle = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || taipan_parser::dump_or_error(&source, &rel))
        .expect("spawning parser thread");
    handle.join().unwrap_or_else(|e| {
        let msg = e.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| e.downcast_ref::<String>().cloned()).unwrap_or_default();
        format!("<PANIC: {msg}>")
    })
}

/// Prints a mismatch; long lines (AST dumps) are shown as a window around the
/// first differing character. `TAIPAN_GOLDEN_FULL=1` prints them whole.
fn report_mismatch(rel: &str, expected: &str, got: &str) {
    const WINDOW: usize = 300;
    let full = std::env::var("TAIPAN_GOLDEN_FULL").as_deref() == Ok("1");
    if full || (expected.len() <= 2 * WINDOW && got.len() <= 2 * WINDOW) {
        println!("MISMATCH {rel}\n  expected: {expected}\n  got:      {got}");
        return;
    }
    let at = expected.char_indices().zip(got.chars()).find(|((_, a), b)| a != b).map(|((i, _), _)| i);
    let at = at.unwrap_or_else(|| expected.len().min(got.len()));
    let window = |s: &str| {
        let mut lo = at.saturating_sub(WINDOW / 2).min(s.len());
        while !s.is_char_boundary(lo) {
            lo -= 1;
        }
        let mut hi = (at + WINDOW / 2).min(s.len()).max(lo);
        while !s.is_char_boundary(hi) {
            hi += 1;
        }
        format!("{}{}{}", if lo > 0 { "…" } else { "" }, &s[lo..hi], if hi < s.len() { "…" } else { "" })
    };
    println!(
        "MISMATCH {rel} (first difference at byte {at}; TAIPAN_GOLDEN_FULL=1 shows all)\n  expected: {}\n  got:      {}",
        window(expected),
        window(got)
    );
}

#[test]
fn golden_snippets() {
    let mut files = snippets();
    if let Ok(filter) = std::env::var("TAIPAN_GOLDEN_FILTER") {
        files.retain(|(rel, _)| rel.contains(&filter));
    }
    assert!(!files.is_empty(), "no snippets found");
    if std::env::var("TAIPAN_BLESS").as_deref() == Ok("1") {
        bless(&files);
    }

    let trace = std::env::var("TAIPAN_GOLDEN_TRACE").as_deref() == Ok("1");
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
        if trace {
            eprintln!("parsing {rel}");
        }
        let got = parse_on_big_stack(source, rel.clone());
        if got != expected {
            report_mismatch(rel, expected, &got);
            mismatches.push(rel.clone());
        }
    }

    if !mismatches.is_empty() {
        panic!("{} of {} golden snippets mismatched:\n  {}", mismatches.len(), files.len(), mismatches.join("\n  "));
    }
}
