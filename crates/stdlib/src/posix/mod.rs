//! `posix` (what `os` is built on), with `errno`, `_stat`, `fcntl` and
//! `_posixsubprocess`, split by area:
//!
//! - `mod.rs` — the module's namespace (functions, constants,
//!   `_have_functions`, `environ`), and the argument conventions shared by
//!   all of them: paths (str, bytes or `os.PathLike`, encoded with UTF-8
//!   and `surrogateescape`; results of the same kind as the argument),
//!   file descriptors, and `OSError`s built from `errno` with the file
//!   names involved (the `OSError` constructor picks the subclass).
//! - `fs.rs` — files and directories: `stat` and `os.stat_result`,
//!   `listdir`, `scandir`/`DirEntry`, `mkdir`, `rename`, links, modes,
//!   times, `getcwd`.
//! - `fd.rs` — descriptors: `open`, `read`, `write`, `pipe`, `dup`,
//!   blocking/inheritable flags, terminal size.
//! - `process.rs` — process state: ids, `environ`/`putenv`, `fork`
//!   (with `register_at_fork`), `exec*`, `waitpid` and the wait-status
//!   macros, `kill`, `uname`, `times`, `sysconf`, `urandom`.
//! - `spawn.rs` — `posix_spawn`/`posix_spawnp` and the scheduler
//!   (`sched_*`, `sched_param`).
//! - `shmem.rs` — `_posixshmem` (`shm_open`, `shm_unlink`).
//! - `subprocess.rs` (`_posixsubprocess.fork_exec`), `fcntl.rs`,
//!   `errno.rs`, `stat.rs` (`_stat`).
//! - `sys.rs` — the libc calls, the only `unsafe` code here.

pub mod errno;
pub mod fcntl;
mod fd;
mod fs;
mod process;
pub mod shmem;
mod spawn;
pub mod stat;
pub mod subprocess;
pub(crate) mod sys;

pub(crate) use fd::fildes_arg;

use std::ffi::CString;

use taipan_vm::classes::{call_object, getattr_opt};
use taipan_vm::native::FunctionDef;
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{bytes_data, int_data, new_bytes, new_str, new_str_wtf8, str_data, type_name, BytesData, IntData, StrData};
use taipan_vm::types::{lookup, type_of};
use taipan_vm::{modules, ops, PyErr, PyResult, Vm};

// ------------------------------------------------------------------ errors

/// `OSError(errno, strerror[, filename[, None, filename2]])`: the
/// constructor picks the subclass (`FileNotFoundError`, ...).
pub fn os_error(vm: &Vm, errno: i32, filename: Option<&Obj>, filename2: Option<&Obj>) -> PyErr {
    let mut args = vec![vm.int(errno as i64), new_str(vm, &sys::strerror(errno))];
    if let Some(f) = filename {
        args.push(f.clone());
        if let Some(f2) = filename2 {
            args.push(vm.none.clone());
            args.push(f2.clone());
        }
    }
    match call_object(vm, &vm.types.os_error, &args) {
        Ok(exc) => PyErr { exc },
        Err(e) => e,
    }
}

/// Maps a failed system call to `OSError` without a file name.
pub fn err<T>(vm: &Vm, r: sys::SysResult<T>) -> PyResult<T> {
    r.map_err(|e| os_error(vm, e, None, None))
}

/// Maps a failed system call on `path` to `OSError` naming it.
fn path_err<T>(vm: &Vm, r: sys::SysResult<T>, path: &PathArg) -> PyResult<T> {
    r.map_err(|e| os_error(vm, e, Some(&path.obj), None))
}

// --------------------------------------------------------------- integers

/// An integer argument (`__index__`) as an `i64`.
pub fn int_arg(vm: &Vm, o: &Obj) -> PyResult<i64> {
    let i = ops::index(vm, o)?;
    match int_data(&i) {
        Some(IntData::Small(v)) => Ok(*v),
        _ => Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C long")),
    }
}

/// A C `int` argument (file descriptors, flags, signal numbers).
pub fn c_int_arg(vm: &Vm, o: &Obj) -> PyResult<i32> {
    let v = int_arg(vm, o).map_err(|e| {
        if taipan_vm::types::is_subtype(&type_of(&e.exc), &vm.types.overflow_error) {
            vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int")
        } else {
            e
        }
    })?;
    i32::try_from(v).map_err(|_| {
        let msg = if v < 0 { "signed integer is less than minimum" } else { "signed integer is greater than maximum" };
        vm.new_error(&vm.types.overflow_error, msg)
    })
}

/// A file-descriptor argument.
pub fn fd_arg(vm: &Vm, o: &Obj) -> PyResult<i32> {
    let v = int_arg(vm, o).map_err(|e| {
        if taipan_vm::types::is_subtype(&type_of(&e.exc), &vm.types.overflow_error) {
            vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int")
        } else {
            e
        }
    })?;
    i32::try_from(v).map_err(|_| {
        let msg = if v < 0 { "fd is less than minimum" } else { "fd is greater than maximum" };
        vm.new_error(&vm.types.overflow_error, msg)
    })
}

/// An optional `dir_fd=` argument (`None` = relative to the cwd).
fn dir_fd_arg(vm: &Vm, o: &Option<Obj>) -> PyResult<Option<i32>> {
    match o {
        Some(o) if !o.is(&vm.none) => {
            if int_data(o).is_none() && lookup(&type_of(o), "__index__").is_none() {
                return Err(vm.type_error(format!("argument should be integer or None, not {}", type_name(o))));
            }
            Ok(Some(fd_arg(vm, o)?))
        }
        _ => Ok(None),
    }
}

/// An optional boolean keyword (`follow_symlinks=True`).
fn flag_arg(vm: &Vm, o: &Option<Obj>, default: bool) -> PyResult<bool> {
    match o {
        Some(o) => ops::truth(vm, o),
        None => Ok(default),
    }
}

/// A big-enough int object for an unsigned system value.
pub fn u64_obj(vm: &Vm, v: u64) -> Obj {
    match i64::try_from(v) {
        Ok(v) => vm.int(v),
        Err(_) => taipan_vm::types::builtin::new_int_big(vm, v.into()),
    }
}

/// A `float` object.
pub fn float_obj(vm: &Vm, v: f64) -> Obj {
    taipan_vm::object::alloc(vm.types.float.clone(), v)
}

pub fn i128_obj(vm: &Vm, v: i128) -> Obj {
    match i64::try_from(v) {
        Ok(v) => vm.int(v),
        Err(_) => taipan_vm::types::builtin::new_int_big(vm, v.into()),
    }
}

// ------------------------------------------------------------------- paths

/// `os.fspath(o)`: str and bytes as they are, else `__fspath__()`.
pub fn fspath(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    if o.downcast::<StrData>().is_some() || o.downcast::<BytesData>().is_some() {
        return Ok(o.clone());
    }
    let ty = type_of(o);
    let Some(method) = lookup(&ty, "__fspath__").filter(|m| !m.is(&vm.none)) else {
        return Err(vm.type_error(format!("expected str, bytes or os.PathLike object, not {}", type_name(o))));
    };
    let bound = match taipan_vm::types::type_data_of(&method).slots.get().descr_get {
        Some(get) => get(vm, &method, Some(o), &ty)?,
        None => method,
    };
    let r = call_object(vm, &bound, &[])?;
    if r.downcast::<StrData>().is_some() || r.downcast::<BytesData>().is_some() {
        return Ok(r);
    }
    Err(vm.type_error(format!("expected {}.__fspath__() to return str or bytes, not {}", type_name(o), type_name(&r))))
}

/// Encodes a str path (UTF-8, lone surrogates U+DC80..U+DCFF back to the
/// bytes they escape).
pub fn fs_encode(vm: &Vm, s: &Obj) -> PyResult<Vec<u8>> {
    let data = str_data(s);
    if let Some(text) = data.value.as_str() {
        return Ok(text.as_bytes().to_vec());
    }
    taipan_vm::codecs::encode(vm, &data.value, "utf-8", "surrogateescape")
}

/// Decodes a file name (UTF-8 with `surrogateescape`).
pub fn fs_decode(vm: &Vm, b: &[u8]) -> PyResult<Obj> {
    if let Ok(s) = std::str::from_utf8(b) {
        return Ok(new_str(vm, s));
    }
    Ok(new_str_wtf8(vm, taipan_vm::codecs::decode(vm, b, "utf-8", "surrogateescape")?))
}

/// A file name as the caller's kind: bytes if `bytes`, else str.
pub fn fs_result(vm: &Vm, b: &[u8], bytes: bool) -> PyResult<Obj> {
    if bytes {
        Ok(new_bytes(vm, b.to_vec()))
    } else {
        fs_decode(vm, b)
    }
}

/// A converted path argument (CPython's `path_t`).
pub struct PathArg {
    /// The argument after `os.fspath` (for `OSError.filename`).
    pub obj: Obj,
    /// The file name, NUL-terminated (empty for a descriptor).
    pub c: CString,
    /// Results are bytes.
    pub bytes: bool,
    /// The argument was a file descriptor (only where `allow_fd`).
    pub fd: Option<i32>,
    /// The argument was `None` (only where nullable).
    pub none: bool,
}

impl PathArg {
    pub fn raw(&self) -> &[u8] {
        self.c.as_bytes()
    }
}

/// Converts `o` for parameter `arg` of `fname`, as CPython's
/// `path_converter`: str, bytes or `os.PathLike`, plus an int when
/// `allow_fd` and `None` when `nullable`.
pub fn path_arg(vm: &Vm, fname: &str, arg: &str, o: &Obj, allow_fd: bool, nullable: bool) -> PyResult<PathArg> {
    let kinds = match (allow_fd, nullable) {
        (true, true) => "string, bytes, os.PathLike, integer or None",
        (true, false) => "string, bytes, os.PathLike or integer",
        (false, true) => "string, bytes, os.PathLike or None",
        (false, false) => "string, bytes or os.PathLike",
    };
    if nullable && o.is(&vm.none) {
        return Ok(PathArg { obj: o.clone(), c: CString::default(), bytes: false, fd: None, none: true });
    }
    if allow_fd && int_data(o).is_some() {
        let fd = fd_arg(vm, o)?;
        return Ok(PathArg { obj: o.clone(), c: CString::default(), bytes: false, fd: Some(fd), none: false });
    }
    let is_pathlike = o.downcast::<StrData>().is_none()
        && o.downcast::<BytesData>().is_none()
        && lookup(&type_of(o), "__fspath__").is_some_and(|m| !m.is(&vm.none));
    let p = if o.downcast::<StrData>().is_some() || o.downcast::<BytesData>().is_some() || is_pathlike {
        fspath(vm, o)?
    } else if let Some(buf) = taipan_vm::types::bytes::as_buffer(o) {
        // Other bytes-like objects: accepted with a DeprecationWarning
        // (CPython 3.11), results are bytes.
        let buf = buf.into_owned();
        let msg = format!("{fname}: {arg} should be {kinds}, not {}", type_name(o));
        let warnings = taipan_vm::import::import_absolute(vm, "_warnings")?;
        let category = vm.exception_type("DeprecationWarning").unwrap_or_else(|| vm.types.exception.clone());
        crate::util::call_method(vm, &warnings, "warn", &[new_str(vm, &msg), category, vm.int(1)])?;
        if buf.contains(&0) {
            return Err(vm.new_error(&vm.types.value_error, format!("{fname}: embedded null character in {arg}")));
        }
        let c = CString::new(buf).map_err(|_| vm.new_error(&vm.types.value_error, "embedded null byte"))?;
        return Ok(PathArg { obj: o.clone(), c, bytes: true, fd: None, none: false });
    } else {
        return Err(vm.type_error(format!("{fname}: {arg} should be {kinds}, not {}", type_name(o))));
    };
    let (raw, bytes) = match bytes_data(&p) {
        Some(b) => {
            if b.contains(&0) {
                return Err(vm.new_error(&vm.types.value_error, format!("{fname}: embedded null character in {arg}")));
            }
            (b.to_vec(), true)
        }
        None => {
            let raw = fs_encode(vm, &p)?;
            if raw.contains(&0) {
                return Err(vm.new_error(&vm.types.value_error, "embedded null byte"));
            }
            (raw, false)
        }
    };
    let c = CString::new(raw).map_err(|_| vm.new_error(&vm.types.value_error, "embedded null byte"))?;
    Ok(PathArg { obj: p, c, bytes, fd: None, none: false })
}

/// A str or bytes argument as bytes (file-system encoded), for exec
/// arguments and environment entries.
pub fn fs_bytes_arg(vm: &Vm, o: &Obj) -> PyResult<Vec<u8>> {
    let p = fspath(vm, o)?;
    match bytes_data(&p) {
        Some(b) => Ok(b.to_vec()),
        None => fs_encode(vm, &p),
    }
}

/// Rejects a NUL inside `b` (exec arguments, environment entries).
pub fn cstring(vm: &Vm, b: Vec<u8>) -> PyResult<CString> {
    CString::new(b).map_err(|_| vm.new_error(&vm.types.value_error, "embedded null byte"))
}

// ------------------------------------------------------------------ module

/// The `HAVE_*` names `os.py` reads to fill `supports_dir_fd` and friends.
static HAVE_FUNCTIONS: &[&str] = &[
    "HAVE_FACCESSAT",
    "HAVE_FCHDIR",
    "HAVE_FCHMOD",
    "HAVE_FCHMODAT",
    "HAVE_FCHOWN",
    "HAVE_FCHOWNAT",
    "HAVE_FDOPENDIR",
    "HAVE_FEXECVE",
    "HAVE_FSTATAT",
    "HAVE_FSTATVFS",
    "HAVE_FTRUNCATE",
    "HAVE_FUTIMENS",
    "HAVE_LCHOWN",
    "HAVE_LINKAT",
    "HAVE_LSTAT",
    "HAVE_MKDIRAT",
    "HAVE_MKFIFOAT",
    "HAVE_MKNODAT",
    "HAVE_OPENAT",
    "HAVE_READLINKAT",
    "HAVE_RENAMEAT",
    "HAVE_SYMLINKAT",
    "HAVE_UNLINKAT",
    "HAVE_UTIMENSAT",
];

fn fspath_fn(vm: &Vm, args: &[Obj], kw: taipan_vm::types::Kwargs) -> PyResult<Obj> {
    static PARAMS: taipan_vm::native::Params =
        taipan_vm::native::Params { fname: "fspath", names: &["path"], posonly: 0, kwonly: 0, required: 1 };
    let [p] = taipan_vm::native::bind::<1>(vm, &PARAMS, args, kw)?;
    fspath(vm, p.as_ref().unwrap_or(&vm.none))
}

static FUNCS: &[FunctionDef] =
    &[FunctionDef::new("fspath", fspath_fn, "fspath($module, /, path)\n--\n\nReturn the file system path representation of the object.")];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    modules::add_functions(vm, m, FUNCS)?;
    modules::add_functions(vm, m, fs::FUNCS)?;
    modules::add_functions(vm, m, fd::FUNCS)?;
    modules::add_functions(vm, m, process::FUNCS)?;
    modules::add_functions(vm, m, spawn::FUNCS)?;
    fs::init(vm, m)?;
    fd::init(vm, m)?;
    process::init(vm, m)?;
    spawn::init(vm, m)?;
    let have = HAVE_FUNCTIONS.iter().map(|n| new_str(vm, n)).collect();
    modules::add_attr(vm, m, "_have_functions", taipan_vm::types::builtin::new_list(vm, have))?;
    modules::add_attr(vm, m, "error", vm.types.os_error.clone())?;
    Ok(())
}

/// `getattr(o, name)` or `None`.
pub fn attr(vm: &Vm, o: &Obj, name: &str) -> PyResult<Option<Obj>> {
    getattr_opt(vm, o, &vm.intern(name))
}
