//! Start-up, end to end: the import machinery (`sys.meta_path`), `site`
//! (imported unless `-S`; `.pth` files of the user site-packages
//! directory, Taipan's layout `USERBASE/lib/taipan3.11/site-packages`),
//! `sys.flags` from the command line, `-m` through runpy.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn taipan() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_taipan"));
    for v in ["PYTHONPATH", "PYTHONUSERBASE", "PYTHONNOUSERSITE", "PYTHONWARNINGS", "PYTHONDEVMODE", "PYTHONOPTIMIZE", "PYTHONVERBOSE"] {
        c.env_remove(v);
    }
    c.env("PYTHONDONTWRITEBYTECODE", "1");
    c
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("taipan-startup-{name}-{}", std::process::id()));
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

#[test]
fn site_is_imported_unless_dash_s() {
    let d = scratch("site");
    let code = "import sys; print('site' in sys.modules, sys.flags.no_site, [f.__name__ for f in sys.meta_path])";
    let o = run(&d, taipan().args(["-c", code]));
    assert_eq!(stdout(&o), "True 0 ['BuiltinImporter', 'FrozenImporter', 'PathFinder']\n", "{o:?}");
    let o = run(&d, taipan().args(["-S", "-c", code]));
    assert_eq!(stdout(&o), "False 1 ['BuiltinImporter', 'FrozenImporter', 'PathFinder']\n", "{o:?}");
    // -I isolates (no user site, no environment, safe path) but imports site.
    let o = run(
        &d,
        taipan().args([
            "-I",
            "-c",
            "import sys; print('site' in sys.modules, sys.flags.isolated, sys.flags.no_user_site, sys.path[0] != '')",
        ]),
    );
    assert_eq!(stdout(&o), "True 1 1 True\n", "{o:?}");
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn user_site_pth_files_are_processed() {
    let d = scratch("pth");
    let site = d.join("base").join("lib").join("taipan3.11").join("site-packages");
    fs::create_dir_all(site.join("extra")).expect("mkdir");
    fs::write(site.join("extra").join("pthmod.py"), "WHERE = 'extra'\n").expect("write");
    fs::write(site.join("a.pth"), "# comment\nextra\nimport sys; sys.pth_seen = True\n").expect("write");
    fs::write(site.join("usermod.py"), "WHERE = 'user site'\n").expect("write");
    let code = "import sys, site, pthmod, usermod; print(pthmod.WHERE, usermod.WHERE, sys.pth_seen, site.ENABLE_USER_SITE, site.USER_SITE.endswith('lib/taipan3.11/site-packages'))";
    let o = run(&d, taipan().env("PYTHONUSERBASE", d.join("base")).args(["-c", code]));
    assert_eq!(stdout(&o), "extra user site True True True\n", "{o:?}");
    // -s: no user site; -S: no site at all.
    let check = "import sys; print(any(p.endswith('site-packages') and 'base' in p for p in sys.path))";
    let o = run(&d, taipan().env("PYTHONUSERBASE", d.join("base")).args(["-s", "-c", check]));
    assert_eq!(stdout(&o), "False\n", "{o:?}");
    let o = run(&d, taipan().env("PYTHONUSERBASE", d.join("base")).args(["-S", "-c", check]));
    assert_eq!(stdout(&o), "False\n", "{o:?}");
    let o = run(&d, taipan().env("PYTHONUSERBASE", d.join("base")).env("PYTHONNOUSERSITE", "1").args(["-c", check]));
    assert_eq!(stdout(&o), "False\n", "{o:?}");
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn flags_follow_the_command_line() {
    let d = scratch("flags");
    let code = "import sys; f = sys.flags; print(f.optimize, f.verbose, f.bytes_warning, f.quiet, f.dev_mode, f.ignore_environment, f.dont_write_bytecode, f.no_user_site, f.safe_path, f.debug); print(sys.warnoptions, sys._xoptions)";
    let o = run(&d, taipan().args(["-OO", "-b", "-q", "-E", "-s", "-P", "-d", "-X", "dev", "-X", "k=v", "-W", "error", "-c", code]));
    assert_eq!(stdout(&o), "2 0 1 1 True 1 0 1 True 1\n['default', 'error', 'default::BytesWarning'] {'dev': True, 'k': 'v'}\n", "{o:?}");
    let o = run(&d, taipan().env("PYTHONWARNINGS", "ignore::DeprecationWarning,always").env("PYTHONOPTIMIZE", "1").args(["-c", code]));
    assert_eq!(stdout(&o), "1 0 0 0 False 0 1 0 False 0\n['ignore::DeprecationWarning', 'always'] {}\n", "{o:?}");
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn dash_m_goes_through_runpy() {
    let d = scratch("runpy");
    fs::write(
        d.join("boom.py"),
        "import sys\nprint(__name__, __spec__.name, type(__loader__).__name__, sys.argv[1:])\nraise ValueError('x')\n",
    )
    .expect("write");
    let o = run(&d, taipan().args(["-m", "boom", "a"]));
    assert_eq!(stdout(&o), "__main__ boom SourceFileLoader ['a']\n", "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(err.starts_with("Traceback (most recent call last):\n  File \"<frozen runpy>\", line 198, in _run_module_as_main\n"), "{err}");
    assert!(err.ends_with("ValueError: x\n"), "{err}");
    assert_eq!(o.status.code(), Some(1));
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn undecodable_arguments_become_surrogates() {
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch("argv_bytes");
    let arg = std::ffi::OsStr::from_bytes(b"\xff\xc3x");
    let o = run(&dir, taipan().args(["-c", "import sys; print(ascii(sys.argv[1:]), ascii(sys.orig_argv[-1]))"]).arg(arg).arg("\u{e9}"));
    assert_eq!(stdout(&o), "['\\udcff\\udcc3x', '\\xe9'] '\\xe9'\n");
}
