//! The bytecode cache and the command line's import options, end to end:
//! `__pycache__/NAME.taipan-311.pyc` written on first import and used on
//! the next, rewritten when the source changes or the file is damaged,
//! not written with `-B`/`PYTHONDONTWRITEBYTECODE`/`sys.dont_write_bytecode`,
//! placed under `-X pycache_prefix`; `-m module` and `-m package`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn taipan() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_taipan"));
    c.env_remove("PYTHONDONTWRITEBYTECODE").env_remove("PYTHONPYCACHEPREFIX").env_remove("PYTHONPATH");
    c
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("taipan-import-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).expect("scratch dir");
    d
}

fn run(dir: &Path, cmd: &mut Command) -> Output {
    cmd.current_dir(dir).output().expect("taipan runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn cache_of(dir: &Path, name: &str) -> PathBuf {
    dir.join("__pycache__").join(format!("{name}.taipan-311.pyc"))
}

#[test]
fn cache_is_written_used_and_invalidated() {
    let d = scratch("cache");
    fs::write(d.join("mod1.py"), "def f():\n    return 'one'\n").expect("write");
    let o = run(&d, taipan().args(["-c", "import mod1; print(mod1.f(), mod1.__cached__.endswith('__pycache__/mod1.taipan-311.pyc'))"]));
    assert_eq!(stdout(&o), "one True\n", "{o:?}");
    let cache = cache_of(&d, "mod1");
    let first = fs::read(&cache).expect("cache written");
    assert!(first.starts_with(b"TPYC"));

    // The cache is what runs: a valid cache for an unchanged source is used
    // even if we swap in another unit compiled from a different source with
    // the same stamp (proves the source is not re-read).
    let meta = fs::metadata(d.join("mod1.py")).expect("meta");
    let mtime = meta.modified().expect("mtime");
    fs::write(d.join("mod1.py"), "def f():\n    return 'two'\n").expect("write");
    let f = fs::File::options().write(true).open(d.join("mod1.py")).expect("open");
    f.set_modified(mtime).expect("set mtime");
    drop(f);
    let o = run(&d, taipan().args(["-c", "import mod1; print(mod1.f())"]));
    assert_eq!(stdout(&o), "one\n", "same mtime and size: the cache is trusted");

    // Touching the source makes the cache stale: recompiled and rewritten.
    let f = fs::File::options().write(true).open(d.join("mod1.py")).expect("open");
    f.set_modified(mtime + std::time::Duration::from_secs(5)).expect("set mtime");
    drop(f);
    let o = run(&d, taipan().args(["-c", "import mod1; print(mod1.f())"]));
    assert_eq!(stdout(&o), "two\n");
    assert_ne!(fs::read(&cache).expect("rewritten"), first);
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn corrupt_and_foreign_caches_are_ignored_and_rewritten() {
    let d = scratch("corrupt");
    fs::write(d.join("mod2.py"), "x = 40 + 2\n").expect("write");
    let o = run(&d, taipan().args(["-c", "import mod2"]));
    assert!(o.status.success(), "{o:?}");
    let cache = cache_of(&d, "mod2");
    let good = fs::read(&cache).expect("cache");
    let mut flipped = good.clone();
    let last = flipped.len() - 3;
    flipped[last] ^= 0x40;
    let damaged: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"garbage".to_vec(),
        good[..good.len() / 2].to_vec(),
        flipped,
        // A CPython .pyc (3.11 magic) under our name.
        [&b"\xa7\x0d\x0d\x0a"[..], &[0u8; 12], b"\xe3\0\0\0"].concat(),
    ];
    for bad in damaged {
        fs::write(&cache, &bad).expect("damage");
        let o = run(&d, taipan().args(["-c", "import mod2; print(mod2.x)"]));
        assert_eq!(stdout(&o), "42\n", "{o:?}");
        assert_eq!(fs::read(&cache).expect("rewritten"), good, "a damaged cache is replaced");
    }
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn dont_write_bytecode() {
    let d = scratch("nowrite");
    fs::write(d.join("mod3.py"), "y = 1\n").expect("write");
    let o = run(&d, taipan().args(["-B", "-c", "import sys, mod3; print(sys.dont_write_bytecode)"]));
    assert_eq!(stdout(&o), "True\n", "{o:?}");
    assert!(!d.join("__pycache__").exists(), "-B");
    let o = run(&d, taipan().env("PYTHONDONTWRITEBYTECODE", "1").args(["-c", "import mod3"]));
    assert!(o.status.success());
    assert!(!d.join("__pycache__").exists(), "PYTHONDONTWRITEBYTECODE");
    let o = run(&d, taipan().args(["-c", "import sys; sys.dont_write_bytecode = True; import mod3"]));
    assert!(o.status.success());
    assert!(!d.join("__pycache__").exists(), "sys.dont_write_bytecode");
    // -E ignores the environment variable.
    let o = run(&d, taipan().env("PYTHONDONTWRITEBYTECODE", "1").args(["-E", "-c", "import mod3"]));
    assert!(o.status.success());
    assert!(cache_of(&d, "mod3").exists(), "-E");
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn pycache_prefix() {
    let d = scratch("prefix");
    fs::write(d.join("mod4.py"), "z = 1\n").expect("write");
    let prefix = d.join("pfx");
    let arg = format!("pycache_prefix={}", prefix.display());
    let o = run(
        &d,
        taipan().args(["-X", &arg, "-c", "import sys, mod4; print(sys.pycache_prefix == mod4.__cached__[:len(sys.pycache_prefix)])"]),
    );
    assert_eq!(stdout(&o), "True\n", "{o:?}");
    assert!(!d.join("__pycache__").exists());
    let rel: PathBuf = d.components().filter(|c| matches!(c, std::path::Component::Normal(_))).collect();
    assert!(prefix.join(rel).join("mod4.taipan-311.pyc").exists());
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn unwritable_directory_is_skipped() {
    let d = scratch("readonly");
    fs::write(d.join("mod5.py"), "print('ok')\n").expect("write");
    // A file where the __pycache__ directory would go.
    fs::write(d.join("__pycache__"), "").expect("write");
    let o = run(&d, taipan().args(["-c", "import mod5"]));
    assert_eq!(stdout(&o), "ok\n");
    assert!(o.stderr.is_empty(), "{o:?}");
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn dash_m_runs_modules_and_packages() {
    let d = scratch("dashm");
    fs::write(d.join("tool.py"), "import sys\nprint(__name__, sys.argv[1:], __package__ == '')\n").expect("write");
    fs::create_dir_all(d.join("app")).expect("mkdir");
    fs::write(d.join("app").join("__init__.py"), "print('init')\n").expect("write");
    fs::write(d.join("app").join("__main__.py"), "import sys\nprint(__name__, __package__, sys.argv[0].endswith('app/__main__.py'))\n")
        .expect("write");
    fs::write(d.join("app").join("sub.py"), "print(__name__, __package__)\n").expect("write");
    fs::create_dir_all(d.join("lib")).expect("mkdir");
    fs::write(d.join("lib").join("__init__.py"), "").expect("write");

    let o = run(&d, taipan().args(["-m", "tool", "a", "-b"]));
    assert_eq!(stdout(&o), "__main__ ['a', '-b'] True\n", "{o:?}");
    let o = run(&d, taipan().args(["-m", "app"]));
    assert_eq!(stdout(&o), "init\n__main__ app True\n", "{o:?}");
    let o = run(&d, taipan().args(["-m", "app.sub"]));
    assert_eq!(stdout(&o), "init\n__main__ app\n", "{o:?}");
    let o = run(&d, taipan().args(["-m", "nosuch"]));
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).ends_with(": No module named nosuch\n"), "{o:?}");
    let o = run(&d, taipan().args(["-m", "lib"]));
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(err.ends_with(": No module named lib.__main__; 'lib' is a package and cannot be directly executed\n"), "{err}");
    let o = run(&d, taipan().args(["-m"]));
    assert_eq!(o.status.code(), Some(2));
    let _ = fs::remove_dir_all(&d);
}
