//! The bytecode cache: a module's compiled code kept in
//! `__pycache__/NAME.taipan-311.pyc` beside its source (or under
//! `sys.pycache_prefix`), in the compiler's own format
//! (`taipan_compiler::serial`: a magic with the format version and the
//! compiler's fingerprint, never mistaken for CPython's `.pyc`).
//!
//! A cache is used only when its header matches the source (mtime in
//! nanoseconds and size, or the source hash for PEP 552 hash-based files)
//! and its payload checks out; anything else (stale, truncated, damaged,
//! another compiler) is ignored and rewritten. Writing goes to a temporary
//! file renamed into place, so readers never see half a file; a directory
//! that cannot be written is silently skipped. `-B`,
//! `PYTHONDONTWRITEBYTECODE` and `sys.dont_write_bytecode` stop writing
//! (reading still happens, as in CPython).

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};

use taipan_compiler::bytecode::{CodeUnit, Const};
use taipan_compiler::serial::{self, CacheKey};

use crate::object::Obj;
use crate::types::builtin::{self, StrData};
use crate::vm::Vm;

/// `sys.implementation.cache_tag`: the middle part of cache file names.
pub const CACHE_TAG: &str = "taipan-311";

/// Start-up settings of the cache (the command line's `-B`,
/// `PYTHONDONTWRITEBYTECODE`, `-X pycache_prefix`, `PYTHONPYCACHEPREFIX`);
/// once `sys` exists its attributes of the same names rule.
#[derive(Default)]
pub struct CacheConfig {
    pub dont_write_bytecode: Cell<bool>,
    pub pycache_prefix: RefCell<Option<String>>,
    /// `--check-hash-based-pycs`: "default", "always" or "never".
    pub check_hash_based_pycs: RefCell<Option<String>>,
}

/// The `sys` module, if it has been created.
fn sys_module(vm: &Vm) -> Option<Obj> {
    builtin::dict_get_str(vm, &vm.modules, "sys").ok().flatten()
}

fn dont_write(vm: &Vm) -> bool {
    if let Some(sys) = sys_module(vm) {
        if let Ok(Some(v)) = crate::classes::getattr_opt(vm, &sys, &vm.intern("dont_write_bytecode")) {
            return crate::ops::truth(vm, &v).unwrap_or(false);
        }
    }
    vm.state::<CacheConfig>().dont_write_bytecode.get()
}

fn prefix(vm: &Vm) -> Option<String> {
    if let Some(sys) = sys_module(vm) {
        if let Ok(Some(v)) = crate::classes::getattr_opt(vm, &sys, &vm.intern("pycache_prefix")) {
            return v.downcast::<StrData>().map(|s| s.as_str().into_owned());
        }
    }
    vm.state::<CacheConfig>().pycache_prefix.borrow().clone()
}

/// Where the cache of `source` lives (`importlib.util.cache_from_source`):
/// `DIR/__pycache__/NAME.taipan-311.pyc`, or with a prefix
/// `PREFIX/ABSOLUTE_DIR/NAME.taipan-311.pyc`; code compiled with `-O` or
/// `-OO` goes to `NAME.taipan-311.opt-1.pyc` / `.opt-2.pyc`.
pub fn cache_path(source: &Path, prefix: Option<&str>, optimize: u32) -> Option<PathBuf> {
    let stem = source.file_stem()?.to_str()?;
    let dir = source.parent()?;
    let file = if optimize == 0 { format!("{stem}.{CACHE_TAG}.pyc") } else { format!("{stem}.{CACHE_TAG}.opt-{optimize}.pyc") };
    match prefix {
        Some(p) if !p.is_empty() => {
            let abs = if dir.is_absolute() { dir.to_path_buf() } else { std::env::current_dir().ok()?.join(dir) };
            let rel: PathBuf = abs.components().filter(|c| matches!(c, std::path::Component::Normal(_))).collect();
            Some(Path::new(p).join(rel).join(file))
        }
        _ => Some(dir.join("__pycache__").join(file)),
    }
}

/// Where the cache of `source` lives under the current settings (the
/// module's `__cached__`).
pub fn cache_path_for(vm: &Vm, source: &Path) -> Option<PathBuf> {
    cache_path(source, prefix(vm).as_deref(), crate::sysmodule::optimize_level(vm))
}

/// The mtime (ns since the epoch) and size of a source file.
fn source_stamp(meta: &std::fs::Metadata) -> (u64, u64) {
    let mtime = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos() as u64);
    (mtime, meta.len())
}

/// The hash hash-based caches record (`_imp.source_hash`): SipHash-1-3 of
/// the source under a fixed key.
pub fn source_hash(key: u64, source: &[u8]) -> u64 {
    crate::hash::siphash13((key, 0), source)
}

/// The key for hash-based cache files written by Taipan.
pub const SOURCE_HASH_KEY: u64 = 0x7461_6970_616e_3131; // "taipan11"

/// The cached code of `source_path`, when a valid cache exists.
pub fn read(vm: &Vm, source_path: &Path, meta: &std::fs::Metadata) -> Option<CodeUnit> {
    let cpath = cache_path(source_path, prefix(vm).as_deref(), crate::sysmodule::optimize_level(vm))?;
    let data = std::fs::read(&cpath).ok()?;
    let (key, payload) = serial::parse_cache(&data).ok()?;
    if key.flags & serial::FLAG_HASH_BASED != 0 {
        let mode = vm.state::<CacheConfig>().check_hash_based_pycs.borrow().clone();
        let check = match mode.as_deref() {
            Some("always") => true,
            Some("never") => false,
            _ => key.flags & serial::FLAG_CHECK_SOURCE != 0,
        };
        if check {
            let source = std::fs::read(source_path).ok()?;
            if source_hash(SOURCE_HASH_KEY, &source) != key.key {
                return None;
            }
        }
    } else {
        let (mtime, size) = source_stamp(meta);
        if key.key != mtime || key.size != size {
            return None;
        }
    }
    let mut unit = serial::decode_code(payload).ok()?;
    let filename = source_path.to_string_lossy();
    if *unit.filename != *filename {
        fix_filename(&mut unit, &filename);
    }
    Some(unit)
}

/// Stores `unit`, compiled from a source with metadata `meta`, unless
/// writing bytecode is off. Failures are ignored.
pub fn write(vm: &Vm, source_path: &Path, meta: &std::fs::Metadata, unit: &CodeUnit) {
    if dont_write(vm) {
        return;
    }
    write_always(vm, source_path, meta, unit);
}

/// `write` even when writing bytecode is off: for the modules CPython
/// freezes into its binary (the importlib bootstrap), whose cache Taipan
/// keeps so start-up does not compile them each time.
pub fn write_always(vm: &Vm, source_path: &Path, meta: &std::fs::Metadata, unit: &CodeUnit) {
    let Some(cpath) = cache_path(source_path, prefix(vm).as_deref(), crate::sysmodule::optimize_level(vm)) else { return };
    let (mtime, size) = source_stamp(meta);
    let data = serial::encode_cache(unit, CacheKey { flags: 0, key: mtime, size });
    let _ = write_atomic(&cpath, &data);
}

/// Writes `data` to `path` through a temporary file in the same directory
/// renamed over it (creating the directory if needed).
pub fn write_atomic(path: &Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let dir = path.parent().ok_or(std::io::ErrorKind::InvalidInput)?;
    std::fs::create_dir_all(dir)?;
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".{}.{n}.tmp", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let result = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp).and_then(|mut f| {
        f.write_all(data)?;
        std::fs::rename(&tmp, path)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Sets `co_filename` of a unit and its nested units
/// (`_imp._fix_co_filename`: the source moved since it was cached).
pub fn fix_filename(unit: &mut CodeUnit, filename: &str) {
    unit.filename = filename.into();
    for c in &mut unit.consts {
        if let Const::Code(inner) = c {
            fix_filename(inner, filename);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_paths() {
        assert_eq!(cache_path(Path::new("/a/b/mod.py"), None, 0), Some(PathBuf::from("/a/b/__pycache__/mod.taipan-311.pyc")));
        assert_eq!(cache_path(Path::new("/a/b/mod.py"), Some("/tmp/pc"), 0), Some(PathBuf::from("/tmp/pc/a/b/mod.taipan-311.pyc")));
        assert_eq!(cache_path(Path::new("pkg/__init__.py"), None, 0), Some(PathBuf::from("pkg/__pycache__/__init__.taipan-311.pyc")));
    }

    #[test]
    fn atomic_write_replaces() {
        let dir = std::env::temp_dir().join(format!("taipan-pycache-test-{}", std::process::id()));
        let p = dir.join("sub").join("x.pyc");
        write_atomic(&p, b"one").expect("writes");
        write_atomic(&p, b"two").expect("rewrites");
        assert_eq!(std::fs::read(&p).ok().as_deref(), Some(&b"two"[..]));
        let leftovers = std::fs::read_dir(dir.join("sub")).map(|d| d.count()).unwrap_or(0);
        assert_eq!(leftovers, 1);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
