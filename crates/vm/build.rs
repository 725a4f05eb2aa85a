//! Records the standard library of the build machine's CPython 3.11 (when
//! `python3` is a 3.11) as `TAIPAN_BUILD_STDLIB`, the second place
//! `import::stdlib_dir` looks (DESIGN.md: the standard library).

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=PYTHON");
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string());
    let script = "import sys, sysconfig\nif sys.version_info[:2] == (3, 11): print(sysconfig.get_path('stdlib'))";
    let dir = Command::new(python)
        .args(["-c", script])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    println!("cargo:rustc-env=TAIPAN_BUILD_STDLIB={dir}");
}
