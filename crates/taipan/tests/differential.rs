//! Differential tests: every `tests/**/*.py` of the repository is run by
//! `python3` (CPython 3.11, the oracle) and by the `taipan` binary; stdout,
//! stderr and the exit status must be identical.
//!
//! Each file runs with its directory as the current directory, the absolute
//! path of the file as the script argument, no stdin, `PYTHONHASHSEED=0`, and
//! a timeout (`TAIPAN_DIFF_TIMEOUT` seconds, default 10) so that a hang fails
//! instead of blocking. Before comparing, both outputs are normalised: the
//! absolute path of the test file becomes its repository-relative path
//! (`tests/basics/x.py`), the absolute `tests/` directory becomes `tests/`,
//! and each interpreter's own path becomes `<python>`.
//!
//! Ratchet: `tests/expected_failures.txt` lists (sorted, one relative path a
//! line, `#` comments allowed) the files that do not pass yet. The test fails
//! when a file not in the list fails (a regression) or when a listed file
//! passes (remove it from the list: compliance only goes up).
//! `TAIPAN_DIFF_UPDATE=1` rewrites the list from the current results.
//! `TAIPAN_DIFF_FILTER=substr` (or a positional argument) runs only the files
//! whose relative path contains `substr`; `TAIPAN_DIFF_VERBOSE=1` prints a
//! line per file. `tools/difftest.py` is the same comparison for humans.
//!
//! This is a `harness = false` test so that its summary line is always shown.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

const THREADS: usize = 2;
const LIST: &str = "tests/expected_failures.txt";

fn repo_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("..");
    root.canonicalize().unwrap_or(root)
}

/// Every `.py` file under `dir`, as (repository-relative path with '/', absolute path).
/// Directories named `support` hold modules the tests import, not tests.
fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "__pycache__" || name == "support" {
            continue;
        }
        if path.is_dir() {
            collect(root, &path, out);
        } else if name.ends_with(".py") {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/");
            out.push((rel, path));
        }
    }
}

/// What one interpreter did with one file.
#[derive(Debug, PartialEq)]
struct Outcome {
    stdout: String,
    stderr: String,
    /// Exit code, or a description of how the process ended otherwise.
    status: String,
}

/// Runs `exe file` in the file's directory with the harness environment,
/// killing it after `timeout`.
fn run(exe: &Path, file: &Path, timeout: Duration) -> Outcome {
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut cmd = Command::new(exe);
    cmd.arg(file).current_dir(dir).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for var in ["PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONWARNINGS", "PYTHONINSPECT", "PYTHONUNBUFFERED", "PYTHONOPTIMIZE"] {
        cmd.env_remove(var);
    }
    cmd.env("PYTHONHASHSEED", "0").env("PYTHONDONTWRITEBYTECODE", "1").env("PYTHONIOENCODING", "utf-8").env("LC_ALL", "C.UTF-8");
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return Outcome { stdout: String::new(), stderr: String::new(), status: format!("failed to start {}: {e}", exe.display()) }
        }
    };
    let mut out_pipe = child.stdout.take().expect("piped stdout");
    let mut err_pipe = child.stderr.take().expect("piped stderr");
    let out_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out_pipe.read_to_end(&mut buf);
        buf
    });
    let err_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err_pipe.read_to_end(&mut buf);
        buf
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break st.code().map_or_else(|| format!("killed by a signal ({st})"), |c| c.to_string()),
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break format!("timeout after {} s", timeout.as_secs());
            }
            Ok(None) => thread::sleep(Duration::from_millis(2)),
            Err(e) => break format!("wait failed: {e}"),
        }
    };
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    Outcome { stdout, stderr, status }
}

/// Replaces machine-specific paths with stable ones.
fn normalise(text: &str, file: &Path, rel: &str, tests_dir: &Path, exe: &Path) -> String {
    let mut s = text.replace(&*file.to_string_lossy(), rel);
    s = s.replace(&format!("{}/", tests_dir.to_string_lossy()), "tests/");
    s.replace(&*exe.to_string_lossy(), "<python>")
}

/// The first difference between two outcomes, for a human.
fn first_difference(py: &Outcome, tp: &Outcome) -> String {
    if py.status != tp.status {
        let mut msg = format!("exit status: python3 {}, taipan {}", py.status, tp.status);
        if py.stdout == tp.stdout && py.stderr == tp.stderr {
            return msg;
        }
        msg.push('\n');
        msg.push_str(&first_line_difference(py, tp));
        return msg;
    }
    first_line_difference(py, tp)
}

fn first_line_difference(py: &Outcome, tp: &Outcome) -> String {
    for (stream, a, b) in [("stdout", &py.stdout, &tp.stdout), ("stderr", &py.stderr, &tp.stderr)] {
        if a == b {
            continue;
        }
        let (al, bl): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
        let i = al.iter().zip(&bl).position(|(x, y)| x != y).unwrap_or(al.len().min(bl.len()));
        let show = |l: Option<&&str>| l.map_or("<end of output>".to_string(), |l| format!("{l:?}"));
        return format!("{stream} line {}:\n    python3: {}\n    taipan:  {}", i + 1, show(al.get(i)), show(bl.get(i)));
    }
    "outputs identical".to_string()
}

fn python_executable() -> PathBuf {
    // Resolve the real interpreter once: `python3` may be a slow wrapper (pyenv shim).
    let out = Command::new("python3").args(["-c", "import sys; print(sys.executable)"]).output();
    match out {
        Ok(o) if o.status.success() => PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()),
        _ => PathBuf::from("python3"),
    }
}

fn main() -> ExitCode {
    let root = repo_root();
    let tests_dir = root.join("tests");
    let taipan = PathBuf::from(env!("CARGO_BIN_EXE_taipan"));
    let python = python_executable();
    let timeout = Duration::from_secs(std::env::var("TAIPAN_DIFF_TIMEOUT").ok().and_then(|v| v.parse().ok()).unwrap_or(10));
    let filter =
        std::env::var("TAIPAN_DIFF_FILTER").ok().or_else(|| std::env::args().skip(1).find(|a| !a.starts_with('-'))).unwrap_or_default();
    let update = std::env::var("TAIPAN_DIFF_UPDATE").is_ok_and(|v| v == "1");
    let verbose = std::env::var("TAIPAN_DIFF_VERBOSE").is_ok_and(|v| v == "1");

    let mut all = Vec::new();
    collect(&root, &tests_dir, &mut all);
    all.sort();
    let files: Vec<(String, PathBuf)> = all.iter().filter(|(rel, _)| rel.contains(&filter)).cloned().collect();

    let list_path = root.join(LIST);
    let list_text = fs::read_to_string(&list_path).unwrap_or_default();
    let listed: Vec<String> = list_text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect();
    let expected: BTreeSet<String> = listed.iter().cloned().collect();

    // Run every file, two at a time.
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<(), String>>>> = Mutex::new(vec![None; files.len()]);
    thread::scope(|s| {
        for _ in 0..THREADS.min(files.len().max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some((rel, path)) = files.get(i) else { break };
                let mut py = run(&python, path, timeout);
                let mut tp = run(&taipan, path, timeout);
                for (o, exe) in [(&mut py, &python), (&mut tp, &taipan)] {
                    o.stdout = normalise(&o.stdout, path, rel, &tests_dir, exe);
                    o.stderr = normalise(&o.stderr, path, rel, &tests_dir, exe);
                }
                let res = if py.status.starts_with("timeout") {
                    Err(format!("python3 itself timed out: the test is broken\n{}", first_difference(&py, &tp)))
                } else if py == tp {
                    Ok(())
                } else {
                    Err(first_difference(&py, &tp))
                };
                if verbose {
                    println!("{} {rel}", if res.is_ok() { "PASS" } else { "FAIL" });
                }
                results.lock().expect("results lock")[i] = Some(res);
            });
        }
    });
    let results: Vec<Result<(), String>> =
        results.into_inner().expect("results lock").into_iter().map(|r| r.unwrap_or_else(|| Err("not run".into()))).collect();

    let passed = results.iter().filter(|r| r.is_ok()).count();
    let failed = results.len() - passed;

    if update {
        // Keep entries outside the filter untouched; replace those inside it.
        let mut new: BTreeSet<String> = expected.iter().filter(|e| !e.contains(&filter)).cloned().collect();
        for ((rel, _), res) in files.iter().zip(&results) {
            if res.is_err() {
                new.insert(rel.clone());
            }
        }
        let known: BTreeSet<&String> = all.iter().map(|(r, _)| r).collect();
        new.retain(|e| known.contains(e));
        let mut text = String::new();
        for e in &new {
            text.push_str(e);
            text.push('\n');
        }
        if let Err(e) = fs::write(&list_path, text) {
            eprintln!("cannot write {}: {e}", list_path.display());
            return ExitCode::FAILURE;
        }
        println!("differential: {passed} passed, {failed} failed; {LIST} rewritten ({} entries)", new.len());
        return ExitCode::SUCCESS;
    }

    let mut regressions = Vec::new();
    let mut fixed = Vec::new();
    for ((rel, _), res) in files.iter().zip(&results) {
        match (res, expected.contains(rel)) {
            (Err(why), false) => regressions.push((rel, why)),
            (Ok(()), true) => fixed.push(rel),
            _ => {}
        }
    }
    let known: BTreeSet<&String> = all.iter().map(|(r, _)| r).collect();
    let stale: Vec<&String> = listed.iter().filter(|e| !known.contains(e)).collect();
    let mut sorted = listed.clone();
    sorted.sort();
    sorted.dedup();
    let unsorted = sorted != listed;

    for (rel, why) in &regressions {
        println!("FAIL (not in {LIST}) {rel}\n{}", indent(why));
    }
    for rel in &fixed {
        println!("PASS (listed in {LIST}: remove it) {rel}");
    }
    for rel in &stale {
        println!("STALE ({LIST} names a file that does not exist) {rel}");
    }
    if unsorted {
        println!("{LIST} is not sorted or has duplicates");
    }
    let ok = regressions.is_empty() && fixed.is_empty() && stale.is_empty() && !unsorted;
    if !ok {
        println!("(run with TAIPAN_DIFF_UPDATE=1 to rewrite {LIST} from these results)");
    }
    let verdict = if ok {
        "all expected".to_string()
    } else {
        format!("{} unexpected failures, {} unexpected passes", regressions.len(), fixed.len())
    };
    println!("differential: {passed} passed, {failed} failed ({verdict})");
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")
}
