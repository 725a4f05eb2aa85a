//! Files and directories: `stat` and `os.stat_result`, `listdir`,
//! `scandir` with `DirEntry`, directory and link operations, modes,
//! owners, times, the working directory.

use std::cell::RefCell;
use std::ffi::CString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use taipan_vm::native::{bind, exact, FunctionDef, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{new_list, new_str, str_data, TupleData};
use taipan_vm::types::structseq::{new_structseq, new_structseq_type, structseq_field, StructSeqDesc, UNNAMED};
use taipan_vm::types::{is_subtype, type_of, Kwargs, Slots};
use taipan_vm::{modules, ops, PyResult, Vm};

use super::sys::{self, Stat};
use super::{dir_fd_arg, err, fd_arg, flag_arg, fs_result, i128_obj, int_arg, os_error, path_arg, path_err, u64_obj, PathArg};

// ------------------------------------------------------------ stat_result

static STAT_RESULT: StructSeqDesc = StructSeqDesc {
    name: "os.stat_result",
    doc: "stat_result: Result from stat, fstat, or lstat.\n\nThis object may be accessed either as a tuple of\n  (mode, ino, dev, nlink, uid, gid, size, atime, mtime, ctime)\nor via the attributes st_mode, st_ino, st_dev, st_nlink, st_uid, and so on.\n\nPosix/windows: If your platform supports st_blksize, st_blocks, st_rdev,\nor st_flags, they are available as attributes only.\n\nSee os.stat for more information.",
    fields: &[
        "st_mode",
        "st_ino",
        "st_dev",
        "st_nlink",
        "st_uid",
        "st_gid",
        "st_size",
        UNNAMED,
        UNNAMED,
        UNNAMED,
        "st_atime",
        "st_mtime",
        "st_ctime",
        "st_atime_ns",
        "st_mtime_ns",
        "st_ctime_ns",
        "st_blksize",
        "st_blocks",
        "st_rdev",
    ],
    n_in_sequence: 10,
};

static STATVFS_RESULT: StructSeqDesc = StructSeqDesc {
    name: "os.statvfs_result",
    doc: "statvfs_result: Result from statvfs or fstatvfs.\n\nThis object may be accessed either as a tuple of\n  (bsize, frsize, blocks, bfree, bavail, files, ffree, favail, flag, namemax),\nor via the attributes f_bsize, f_frsize, f_blocks, f_bfree, and so on.\n\nSee os.statvfs for more information.",
    fields: &["f_bsize", "f_frsize", "f_blocks", "f_bfree", "f_bavail", "f_files", "f_ffree", "f_favail", "f_flag", "f_namemax", "f_fsid"],
    n_in_sequence: 10,
};

/// The generic struct-sequence constructor `os.stat_result`'s wraps.
static STRUCTSEQ_NEW: std::sync::OnceLock<taipan_vm::types::CallFn> = std::sync::OnceLock::new();

pub fn stat_type(vm: &Vm) -> Obj {
    vm.native_type("os.stat_result", |vm| {
        let ty = new_structseq_type(vm, &STAT_RESULT);
        let td = taipan_vm::types::type_data(&ty);
        let mut slots = td.slots.get();
        if let Some(generic) = slots.new {
            let _ = STRUCTSEQ_NEW.set(generic);
        }
        slots.new = Some(stat_result_new);
        td.slots.set(slots);
        ty
    })
}

fn statvfs_type(vm: &Vm) -> Obj {
    vm.native_type("os.statvfs_result", |vm| new_structseq_type(vm, &STATVFS_RESULT))
}

/// `os.stat_result(seq)`: the float times default to the integer ones.
fn stat_result_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let Some(generic) = STRUCTSEQ_NEW.get() else { return Err(vm.type_error("cannot create 'os.stat_result' instances")) };
    let obj = generic(vm, cls, args, kw)?;
    if let Some(ext) = obj.instance_ext() {
        for i in 0..3 {
            if structseq_field(&obj, 10 + i).is_none_or(|v| v.is(&vm.none)) {
                let int_time = structseq_field(&obj, 7 + i);
                if let Some(slot) = ext.members.borrow_mut().get_mut(10 + i) {
                    *slot = int_time;
                }
            }
        }
    }
    Ok(obj)
}

/// An `os.stat_result` for `st`.
pub fn stat_obj(vm: &Vm, st: &Stat) -> PyResult<Obj> {
    let times = [(st.st_atime, st.st_atime_nsec), (st.st_mtime, st.st_mtime_nsec), (st.st_ctime, st.st_ctime_nsec)];
    let mut v = vec![
        vm.int(st.st_mode as i64),
        u64_obj(vm, st.st_ino),
        u64_obj(vm, st.st_dev),
        u64_obj(vm, st.st_nlink),
        vm.int(st.st_uid as i64),
        vm.int(st.st_gid as i64),
        vm.int(st.st_size),
    ];
    v.extend(times.iter().map(|&(s, _)| vm.int(s)));
    v.extend(times.iter().map(|&(s, ns)| super::float_obj(vm, s as f64 + ns as f64 * 1e-9)));
    v.extend(times.iter().map(|&(s, ns)| i128_obj(vm, s as i128 * 1_000_000_000 + ns as i128)));
    v.push(vm.int(st.st_blksize));
    v.push(vm.int(st.st_blocks));
    v.push(u64_obj(vm, st.st_rdev));
    Ok(new_structseq(vm, &stat_type(vm), v))
}

// ------------------------------------------------------------------- stat

fn do_stat(vm: &Vm, fname: &'static str, path: &Obj, dir_fd: &Option<Obj>, follow: bool) -> PyResult<Obj> {
    let p = path_arg(vm, fname, "path", path, true, false)?;
    let dir_fd = dir_fd_arg(vm, dir_fd)?;
    let st = match p.fd {
        Some(fd) => err(vm, sys::fstat(fd))?,
        None => path_err(vm, sys::stat(&p.c, dir_fd, follow), &p)?,
    };
    stat_obj(vm, &st)
}

fn stat(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "stat", names: &["path", "dir_fd", "follow_symlinks"], posonly: 0, kwonly: 2, required: 1 };
    let [path, dir_fd, follow] = bind::<3>(vm, &P, args, kw)?;
    do_stat(vm, "stat", path.as_ref().unwrap_or(&vm.none), &dir_fd, flag_arg(vm, &follow, true)?)
}

fn lstat(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "lstat", names: &["path", "dir_fd"], posonly: 0, kwonly: 1, required: 1 };
    let [path, dir_fd] = bind::<2>(vm, &P, args, kw)?;
    let path = path.unwrap_or_else(|| vm.none.clone());
    let p = path_arg(vm, "lstat", "path", &path, false, false)?;
    let st = path_err(vm, sys::stat(&p.c, dir_fd_arg(vm, &dir_fd)?, false), &p)?;
    stat_obj(vm, &st)
}

fn fstat(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "fstat", names: &["fd"], posonly: 0, kwonly: 0, required: 1 };
    let [fd] = bind::<1>(vm, &P, args, kw)?;
    let fd = fd_arg(vm, fd.as_ref().unwrap_or(&vm.none))?;
    stat_obj(vm, &err(vm, sys::fstat(fd))?)
}

fn access(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params {
        fname: "access",
        names: &["path", "mode", "dir_fd", "effective_ids", "follow_symlinks"],
        posonly: 0,
        kwonly: 3,
        required: 2,
    };
    let [path, mode, dir_fd, eff, follow] = bind::<5>(vm, &P, args, kw)?;
    let p = path_arg(vm, "access", "path", path.as_ref().unwrap_or(&vm.none), false, false)?;
    let mode = super::c_int_arg(vm, mode.as_ref().unwrap_or(&vm.none))?;
    let ok = sys::access(&p.c, mode, dir_fd_arg(vm, &dir_fd)?, flag_arg(vm, &eff, false)?, flag_arg(vm, &follow, true)?);
    Ok(vm.bool(ok))
}

// ------------------------------------------------------------ directories

/// The path to open a directory listing for: a name, or a descriptor
/// (read through `/proc/self/fd`, which opens the same directory afresh).
fn dir_path(p: &PathArg) -> std::path::PathBuf {
    match p.fd {
        Some(fd) => std::path::PathBuf::from(format!("/proc/self/fd/{fd}")),
        None if p.none => std::path::PathBuf::from("."),
        None => std::path::PathBuf::from(std::ffi::OsStr::from_bytes(p.raw())),
    }
}

fn io_err(vm: &Vm, e: std::io::Error, p: &PathArg) -> taipan_vm::PyErr {
    let code = e.raw_os_error().unwrap_or(libc::EIO);
    if p.fd.is_some() || p.none {
        let name = if p.none { new_str(vm, ".") } else { p.obj.clone() };
        return os_error(vm, code, if p.fd.is_some() { None } else { Some(&name) }, None);
    }
    os_error(vm, code, Some(&p.obj), None)
}

fn listdir(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "listdir", names: &["path"], posonly: 0, kwonly: 0, required: 0 };
    let [path] = bind::<1>(vm, &P, args, kw)?;
    let path = path.unwrap_or_else(|| vm.none.clone());
    let p = path_arg(vm, "listdir", "path", &path, true, true)?;
    let rd = std::fs::read_dir(dir_path(&p)).map_err(|e| io_err(vm, e, &p))?;
    let mut out = Vec::new();
    for entry in rd {
        let entry = entry.map_err(|e| io_err(vm, e, &p))?;
        out.push(fs_result(vm, entry.file_name().as_bytes(), p.bytes)?);
    }
    Ok(new_list(vm, out))
}

/// `posix.ScandirIterator`.
pub struct ScandirData {
    rd: RefCell<Option<std::fs::ReadDir>>,
    /// The path entries' `path` starts with (`None` for a descriptor).
    prefix: Option<Vec<u8>>,
    dir_fd: Option<i32>,
    bytes: bool,
    /// The argument, for errors.
    arg: Obj,
}

/// `posix.DirEntry`.
pub struct DirEntryData {
    name: Obj,
    path: Obj,
    /// The entry's own path for system calls (relative to `dir_fd` when
    /// listing a descriptor).
    cpath: CString,
    dir_fd: Option<i32>,
    /// The type from the directory listing, if it said.
    ftype: Option<std::fs::FileType>,
    ino: u64,
    stat: RefCell<Option<Obj>>,
    lstat: RefCell<Option<Obj>>,
}

fn scandir_type(vm: &Vm) -> Obj {
    vm.native_type("posix.ScandirIterator", |vm| {
        taipan_vm::native::new_type::<ScandirData>(
            vm,
            "posix.ScandirIterator",
            &[],
            true,
            Slots {
                new: Some(|vm, _, _, _| Err(vm.type_error("cannot create 'posix.ScandirIterator' instances"))),
                iter: Some(|_, o| Ok(o.clone())),
                next: Some(scandir_next),
                traverse: Some(|o, visit| {
                    if let Some(s) = o.downcast::<ScandirData>() {
                        visit(&s.arg);
                    }
                }),
                ..Slots::default()
            },
            SCANDIR_METHODS,
            &[],
        )
    })
}

static SCANDIR_METHODS: &[MethodDef] = &[
    MethodDef::method("close", scandir_close, ""),
    MethodDef::method("__enter__", |_, this, _, _| Ok(this.clone()), ""),
    MethodDef::method(
        "__exit__",
        |vm, this, _, _| {
            if let Some(s) = this.downcast::<ScandirData>() {
                s.rd.borrow_mut().take();
            }
            Ok(vm.false_.clone())
        },
        "",
    ),
];

fn scandir_close(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "close", args, kw)?;
    if let Some(s) = this.downcast::<ScandirData>() {
        s.rd.borrow_mut().take();
    }
    Ok(vm.none.clone())
}

fn scandir_next(vm: &Vm, o: &Obj) -> PyResult<Option<Obj>> {
    let Some(s) = o.downcast::<ScandirData>() else { return Ok(None) };
    let next = match s.rd.borrow_mut().as_mut() {
        Some(rd) => rd.next(),
        None => return Ok(None),
    };
    let entry = match next {
        None => {
            s.rd.borrow_mut().take();
            return Ok(None);
        }
        Some(Err(e)) => {
            let code = e.raw_os_error().unwrap_or(libc::EIO);
            return Err(if s.dir_fd.is_some() { os_error(vm, code, None, None) } else { os_error(vm, code, Some(&s.arg), None) });
        }
        Some(Ok(e)) => e,
    };
    let name_bytes = entry.file_name().into_vec();
    let full = match &s.prefix {
        Some(prefix) => {
            let mut f = prefix.clone();
            if !f.is_empty() && !f.ends_with(b"/") {
                f.push(b'/');
            }
            f.extend_from_slice(&name_bytes);
            f
        }
        None => name_bytes.clone(),
    };
    let name = fs_result(vm, &name_bytes, s.bytes)?;
    let path = fs_result(vm, &full, s.bytes)?;
    let cpath = match s.dir_fd {
        Some(_) => CString::new(name_bytes),
        None => CString::new(full),
    }
    .unwrap_or_default();
    let data = DirEntryData {
        name,
        path,
        cpath,
        dir_fd: s.dir_fd,
        ftype: entry.file_type().ok(),
        ino: std::os::unix::fs::DirEntryExt::ino(&entry),
        stat: RefCell::new(None),
        lstat: RefCell::new(None),
    };
    Ok(Some(alloc(direntry_type(vm), data)))
}

fn scandir(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "scandir", names: &["path"], posonly: 0, kwonly: 0, required: 0 };
    let [path] = bind::<1>(vm, &P, args, kw)?;
    let path = path.unwrap_or_else(|| vm.none.clone());
    let p = path_arg(vm, "scandir", "path", &path, true, true)?;
    let rd = std::fs::read_dir(dir_path(&p)).map_err(|e| io_err(vm, e, &p))?;
    let prefix = match p.fd {
        Some(_) => None,
        None if p.none => Some(b".".to_vec()),
        None => Some(p.raw().to_vec()),
    };
    let data = ScandirData { rd: RefCell::new(Some(rd)), prefix, dir_fd: p.fd, bytes: p.bytes, arg: path };
    Ok(alloc(scandir_type(vm), data))
}

fn direntry_type(vm: &Vm) -> Obj {
    vm.native_type("posix.DirEntry", |vm| {
        taipan_vm::native::new_type::<DirEntryData>(
            vm,
            "posix.DirEntry",
            &[],
            true,
            Slots {
                new: Some(|vm, _, _, _| Err(vm.type_error("cannot create 'posix.DirEntry' instances"))),
                repr: Some(|vm, o| {
                    let Some(d) = o.downcast::<DirEntryData>() else { return Ok(new_str(vm, "<DirEntry>")) };
                    let r = ops::repr(vm, &d.name)?;
                    Ok(new_str(vm, &format!("<DirEntry {}>", str_data(&r).as_str())))
                }),
                traverse: Some(|o, visit| {
                    if let Some(d) = o.downcast::<DirEntryData>() {
                        visit(&d.name);
                        visit(&d.path);
                        for c in [&d.stat, &d.lstat] {
                            if let Ok(c) = c.try_borrow() {
                                if let Some(s) = &*c {
                                    visit(s);
                                }
                            }
                        }
                    }
                }),
                ..Slots::default()
            },
            DIRENTRY_METHODS,
            DIRENTRY_GETSETS,
        )
    })
}

static DIRENTRY_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly(
        "name",
        |vm, o| entry(vm, o).map(|d| d.name.clone()),
        "the entry's base filename, relative to scandir() \"path\" argument",
    ),
    GetSetDef::readonly(
        "path",
        |vm, o| entry(vm, o).map(|d| d.path.clone()),
        "the entry's full path name; equivalent to os.path.join(scandir_path, entry.name)",
    ),
];

static DIRENTRY_METHODS: &[MethodDef] = &[
    MethodDef::class("__class_getitem__", taipan_vm::types::genericalias::class_getitem, "See PEP 585"),
    MethodDef::method(
        "is_dir",
        |vm, o, a, kw| entry_test(vm, o, a, kw, "is_dir", libc::S_IFDIR),
        "Return True if the entry is a directory; cached per entry.",
    ),
    MethodDef::method(
        "is_file",
        |vm, o, a, kw| entry_test(vm, o, a, kw, "is_file", libc::S_IFREG),
        "Return True if the entry is a file; cached per entry.",
    ),
    MethodDef::method("is_symlink", entry_is_symlink, "Return True if the entry is a symbolic link; cached per entry."),
    MethodDef::method("stat", entry_stat, "Return stat_result object for the entry; cached per entry."),
    MethodDef::method("inode", entry_inode, "Return inode of the entry; cached per entry."),
    MethodDef::method("__fspath__", entry_fspath, "Returns the path for the entry."),
];

fn entry<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a DirEntryData> {
    o.downcast::<DirEntryData>().ok_or_else(|| vm.type_error("DirEntry expected"))
}

fn entry_is_link(vm: &Vm, o: &Obj, d: &DirEntryData) -> PyResult<bool> {
    match d.ftype {
        Some(t) => Ok(t.is_symlink()),
        None => Ok(mode_of(vm, &entry_stat_impl(vm, o, d, false)?)? & libc::S_IFMT == libc::S_IFLNK),
    }
}

fn mode_of(vm: &Vm, st: &Obj) -> PyResult<u32> {
    let m = st.downcast::<TupleData>().and_then(|t| t.items.first().cloned()).unwrap_or_else(|| vm.int(0));
    Ok(int_arg(vm, &m)? as u32)
}

fn entry_stat_impl(vm: &Vm, _o: &Obj, d: &DirEntryData, follow: bool) -> PyResult<Obj> {
    let cache = if follow { &d.stat } else { &d.lstat };
    if let Some(s) = &*cache.borrow() {
        return Ok(s.clone());
    }
    let st = sys::stat(&d.cpath, d.dir_fd, follow).map_err(|e| os_error(vm, e, Some(&d.path), None))?;
    let obj = stat_obj(vm, &st)?;
    *cache.borrow_mut() = Some(obj.clone());
    Ok(obj)
}

fn follow_kw(vm: &Vm, fname: &'static str, args: &[Obj], kw: Kwargs) -> PyResult<bool> {
    let params = match fname {
        "is_dir" => &Params { fname: "is_dir", names: &["follow_symlinks"], posonly: 0, kwonly: 1, required: 0 },
        "is_file" => &Params { fname: "is_file", names: &["follow_symlinks"], posonly: 0, kwonly: 1, required: 0 },
        _ => &Params { fname: "stat", names: &["follow_symlinks"], posonly: 0, kwonly: 1, required: 0 },
    };
    let [follow] = bind::<1>(vm, params, args, kw)?;
    flag_arg(vm, &follow, true)
}

fn entry_test(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs, fname: &'static str, kind: u32) -> PyResult<Obj> {
    let follow = follow_kw(vm, fname, args, kw)?;
    let d = entry(vm, o)?;
    let link = entry_is_link(vm, o, d)?;
    if follow && link || d.ftype.is_none() {
        return match entry_stat_impl(vm, o, d, follow) {
            Ok(st) => Ok(vm.bool(mode_of(vm, &st)? & libc::S_IFMT == kind)),
            Err(e)
                if is_subtype(&type_of(&e.exc), &vm.exception_type("FileNotFoundError").unwrap_or_else(|| vm.types.os_error.clone())) =>
            {
                Ok(vm.false_.clone())
            }
            Err(e) => Err(e),
        };
    }
    let t = d.ftype.as_ref();
    let r = match kind {
        libc::S_IFDIR => t.is_some_and(|t| t.is_dir()),
        _ => t.is_some_and(|t| t.is_file()),
    };
    Ok(vm.bool(r))
}

fn entry_is_symlink(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "is_symlink", args, kw)?;
    let d = entry(vm, o)?;
    Ok(vm.bool(entry_is_link(vm, o, d)?))
}

fn entry_stat(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let follow = follow_kw(vm, "stat", args, kw)?;
    let d = entry(vm, o)?;
    if follow && entry_is_link(vm, o, d)? {
        entry_stat_impl(vm, o, d, true)
    } else {
        entry_stat_impl(vm, o, d, false)
    }
}

fn entry_inode(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "inode", args, kw)?;
    Ok(u64_obj(vm, entry(vm, o)?.ino))
}

fn entry_fspath(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__fspath__", args, kw)?;
    Ok(entry(vm, o)?.path.clone())
}

// ----------------------------------------------------- creating, removing

fn path1(vm: &Vm, p: &Params, fname: &'static str, args: &[Obj], kw: Kwargs) -> PyResult<(PathArg, Option<i32>)> {
    let [path, dir_fd] = bind::<2>(vm, p, args, kw)?;
    let p = path_arg(vm, fname, "path", path.as_ref().unwrap_or(&vm.none), false, false)?;
    Ok((p, dir_fd_arg(vm, &dir_fd)?))
}

fn mkdir(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "mkdir", names: &["path", "mode", "dir_fd"], posonly: 0, kwonly: 1, required: 1 };
    let [path, mode, dir_fd] = bind::<3>(vm, &P, args, kw)?;
    let p = path_arg(vm, "mkdir", "path", path.as_ref().unwrap_or(&vm.none), false, false)?;
    let mode = match mode {
        Some(m) => super::c_int_arg(vm, &m)? as u32,
        None => 0o777,
    };
    path_err(vm, sys::mkdir(&p.c, mode, dir_fd_arg(vm, &dir_fd)?), &p)?;
    Ok(vm.none.clone())
}

fn rmdir(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "rmdir", names: &["path", "dir_fd"], posonly: 0, kwonly: 1, required: 1 };
    let (p, dir_fd) = path1(vm, &P, "rmdir", args, kw)?;
    path_err(vm, sys::unlink(&p.c, dir_fd, true), &p)?;
    Ok(vm.none.clone())
}

fn unlink(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "unlink", names: &["path", "dir_fd"], posonly: 0, kwonly: 1, required: 1 };
    let (p, dir_fd) = path1(vm, &P, "unlink", args, kw)?;
    path_err(vm, sys::unlink(&p.c, dir_fd, false), &p)?;
    Ok(vm.none.clone())
}

fn remove(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "remove", names: &["path", "dir_fd"], posonly: 0, kwonly: 1, required: 1 };
    let (p, dir_fd) = path1(vm, &P, "remove", args, kw)?;
    path_err(vm, sys::unlink(&p.c, dir_fd, false), &p)?;
    Ok(vm.none.clone())
}

fn two_paths(vm: &Vm, fname: &'static str, src: &Option<Obj>, dst: &Option<Obj>) -> PyResult<(PathArg, PathArg)> {
    let s = path_arg(vm, fname, "src", src.as_ref().unwrap_or(&vm.none), false, false)?;
    // Mixed kinds (str and bytes) are fine on POSIX, as in CPython.
    let d = path_arg(vm, fname, "dst", dst.as_ref().unwrap_or(&vm.none), false, false)?;
    Ok((s, d))
}

fn do_rename(vm: &Vm, fname: &'static str, p: &'static Params, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [src, dst, sfd, dfd] = bind::<4>(vm, p, args, kw)?;
    let (s, d) = two_paths(vm, fname, &src, &dst)?;
    sys::rename(&s.c, &d.c, dir_fd_arg(vm, &sfd)?, dir_fd_arg(vm, &dfd)?).map_err(|e| os_error(vm, e, Some(&s.obj), Some(&d.obj)))?;
    Ok(vm.none.clone())
}

fn rename(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "rename", names: &["src", "dst", "src_dir_fd", "dst_dir_fd"], posonly: 0, kwonly: 2, required: 2 };
    do_rename(vm, "rename", &P, args, kw)
}

fn replace(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "replace", names: &["src", "dst", "src_dir_fd", "dst_dir_fd"], posonly: 0, kwonly: 2, required: 2 };
    do_rename(vm, "replace", &P, args, kw)
}

fn symlink(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params =
        Params { fname: "symlink", names: &["src", "dst", "target_is_directory", "dir_fd"], posonly: 0, kwonly: 1, required: 2 };
    let [src, dst, _is_dir, dir_fd] = bind::<4>(vm, &P, args, kw)?;
    let (s, d) = two_paths(vm, "symlink", &src, &dst)?;
    sys::symlink(&s.c, &d.c, dir_fd_arg(vm, &dir_fd)?).map_err(|e| os_error(vm, e, Some(&s.obj), Some(&d.obj)))?;
    Ok(vm.none.clone())
}

fn link(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params =
        Params { fname: "link", names: &["src", "dst", "src_dir_fd", "dst_dir_fd", "follow_symlinks"], posonly: 0, kwonly: 3, required: 2 };
    let [src, dst, sfd, dfd, follow] = bind::<5>(vm, &P, args, kw)?;
    let (s, d) = two_paths(vm, "link", &src, &dst)?;
    sys::link(&s.c, &d.c, dir_fd_arg(vm, &sfd)?, dir_fd_arg(vm, &dfd)?, flag_arg(vm, &follow, true)?)
        .map_err(|e| os_error(vm, e, Some(&s.obj), Some(&d.obj)))?;
    Ok(vm.none.clone())
}

fn readlink(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "readlink", names: &["path", "dir_fd"], posonly: 0, kwonly: 1, required: 1 };
    let (p, dir_fd) = path1(vm, &P, "readlink", args, kw)?;
    let target = path_err(vm, sys::readlink(&p.c, dir_fd), &p)?;
    fs_result(vm, &target, p.bytes)
}

fn mkfifo(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "mkfifo", names: &["path", "mode", "dir_fd"], posonly: 0, kwonly: 1, required: 1 };
    let [path, mode, dir_fd] = bind::<3>(vm, &P, args, kw)?;
    let p = path_arg(vm, "mkfifo", "path", path.as_ref().unwrap_or(&vm.none), false, false)?;
    let mode = match mode {
        Some(m) => super::c_int_arg(vm, &m)? as u32,
        None => 0o666,
    };
    path_err(vm, sys::mkfifo(&p.c, mode, dir_fd_arg(vm, &dir_fd)?), &p)?;
    Ok(vm.none.clone())
}

fn mknod(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "mknod", names: &["path", "mode", "device", "dir_fd"], posonly: 0, kwonly: 1, required: 1 };
    let [path, mode, device, dir_fd] = bind::<4>(vm, &P, args, kw)?;
    let p = path_arg(vm, "mknod", "path", path.as_ref().unwrap_or(&vm.none), false, false)?;
    let mode = match mode {
        Some(m) => super::c_int_arg(vm, &m)? as u32,
        None => 0o600,
    };
    let device = match device {
        Some(d) => int_arg(vm, &d)? as u64,
        None => 0,
    };
    path_err(vm, sys::mknod(&p.c, mode, device, dir_fd_arg(vm, &dir_fd)?), &p)?;
    Ok(vm.none.clone())
}

// ------------------------------------------------------ modes, owners, times

fn chmod(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "chmod", names: &["path", "mode", "dir_fd", "follow_symlinks"], posonly: 0, kwonly: 2, required: 2 };
    let [path, mode, dir_fd, follow] = bind::<4>(vm, &P, args, kw)?;
    let p = path_arg(vm, "chmod", "path", path.as_ref().unwrap_or(&vm.none), true, false)?;
    let mode = super::c_int_arg(vm, mode.as_ref().unwrap_or(&vm.none))? as u32;
    let follow = flag_arg(vm, &follow, true)?;
    if let Some(fd) = p.fd {
        err(vm, sys::fchmod(fd, mode))?;
        return Ok(vm.none.clone());
    }
    match sys::chmod(&p.c, mode, dir_fd_arg(vm, &dir_fd)?, follow) {
        Err(e) if !follow && (e == libc::ENOTSUP || e == libc::EOPNOTSUPP) => {
            Err(vm.new_error(&vm.types.not_implemented_error, "chmod: follow_symlinks unavailable on this platform"))
        }
        r => path_err(vm, r, &p).map(|_| vm.none.clone()),
    }
}

fn fchmod(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "fchmod", names: &["fd", "mode"], posonly: 0, kwonly: 0, required: 2 };
    let [fd, mode] = bind::<2>(vm, &P, args, kw)?;
    let fd = fd_arg(vm, fd.as_ref().unwrap_or(&vm.none))?;
    err(vm, sys::fchmod(fd, super::c_int_arg(vm, mode.as_ref().unwrap_or(&vm.none))? as u32))?;
    Ok(vm.none.clone())
}

/// A uid/gid argument (-1 = unchanged).
fn id_arg(vm: &Vm, o: &Option<Obj>) -> PyResult<u32> {
    let v = int_arg(vm, o.as_ref().unwrap_or(&vm.none))?;
    Ok(if v == -1 { u32::MAX } else { v as u32 })
}

fn chown(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params =
        Params { fname: "chown", names: &["path", "uid", "gid", "dir_fd", "follow_symlinks"], posonly: 0, kwonly: 2, required: 3 };
    let [path, uid, gid, dir_fd, follow] = bind::<5>(vm, &P, args, kw)?;
    let p = path_arg(vm, "chown", "path", path.as_ref().unwrap_or(&vm.none), true, false)?;
    let (uid, gid) = (id_arg(vm, &uid)?, id_arg(vm, &gid)?);
    if let Some(fd) = p.fd {
        err(vm, sys::fchown(fd, uid, gid))?;
    } else {
        path_err(vm, sys::chown(&p.c, uid, gid, dir_fd_arg(vm, &dir_fd)?, flag_arg(vm, &follow, true)?), &p)?;
    }
    Ok(vm.none.clone())
}

fn lchown(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "lchown", names: &["path", "uid", "gid"], posonly: 0, kwonly: 0, required: 3 };
    let [path, uid, gid] = bind::<3>(vm, &P, args, kw)?;
    let p = path_arg(vm, "lchown", "path", path.as_ref().unwrap_or(&vm.none), false, false)?;
    path_err(vm, sys::chown(&p.c, id_arg(vm, &uid)?, id_arg(vm, &gid)?, None, false), &p)?;
    Ok(vm.none.clone())
}

fn fchown(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "fchown", names: &["fd", "uid", "gid"], posonly: 0, kwonly: 0, required: 3 };
    let [fd, uid, gid] = bind::<3>(vm, &P, args, kw)?;
    let fd = fd_arg(vm, fd.as_ref().unwrap_or(&vm.none))?;
    err(vm, sys::fchown(fd, id_arg(vm, &uid)?, id_arg(vm, &gid)?))?;
    Ok(vm.none.clone())
}

/// A time in seconds (int or float) as (seconds, nanoseconds), rounding
/// toward negative infinity as CPython's `utime` does.
fn time_arg(vm: &Vm, o: &Obj) -> PyResult<(i64, i64)> {
    if let Some(f) = o.downcast::<f64>() {
        if !f.is_finite() {
            return Err(vm.new_error(&vm.types.value_error, "Invalid value NaN (not a number)"));
        }
        let sec = f.floor();
        let mut ns = ((f - sec) * 1e9).floor() as i64;
        let mut sec = sec as i64;
        if ns >= 1_000_000_000 {
            ns -= 1_000_000_000;
            sec += 1;
        }
        return Ok((sec, ns));
    }
    Ok((int_arg(vm, o)?, 0))
}

fn pair(o: &Obj) -> Option<[Obj; 2]> {
    let t = o.downcast::<TupleData>()?;
    match &t.items[..] {
        [a, b] => Some([a.clone(), b.clone()]),
        _ => None,
    }
}

fn utime(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params =
        Params { fname: "utime", names: &["path", "times", "ns", "dir_fd", "follow_symlinks"], posonly: 0, kwonly: 3, required: 1 };
    let [path, times, ns, dir_fd, follow] = bind::<5>(vm, &P, args, kw)?;
    let p = path_arg(vm, "utime", "path", path.as_ref().unwrap_or(&vm.none), true, false)?;
    let times = times.filter(|t| !t.is(&vm.none));
    if times.is_some() && ns.is_some() {
        return Err(vm.new_error(&vm.types.value_error, "utime: you may specify either 'times' or 'ns' but not both"));
    }
    let spec: [sys::TimeSpec; 2] = if let Some(t) = times {
        let Some([a, m]) = pair(&t) else { return Err(vm.type_error("utime: 'times' must be either a tuple of two ints or None")) };
        [Some(time_arg(vm, &a)?), Some(time_arg(vm, &m)?)]
    } else if let Some(ns) = ns {
        let Some([a, m]) = pair(&ns) else { return Err(vm.type_error("utime: 'ns' must be a tuple of two ints")) };
        let split = |o: &Obj| -> PyResult<(i64, i64)> {
            let v = int_arg(vm, o)?;
            Ok((v.div_euclid(1_000_000_000), v.rem_euclid(1_000_000_000)))
        };
        [Some(split(&a)?), Some(split(&m)?)]
    } else {
        [None, None]
    };
    match p.fd {
        Some(fd) => err(vm, sys::futime(fd, spec))?,
        None => path_err(vm, sys::utime(&p.c, spec, dir_fd_arg(vm, &dir_fd)?, flag_arg(vm, &follow, true)?), &p)?,
    }
    Ok(vm.none.clone())
}

fn truncate(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "truncate", names: &["path", "length"], posonly: 0, kwonly: 0, required: 2 };
    let [path, length] = bind::<2>(vm, &P, args, kw)?;
    let p = path_arg(vm, "truncate", "path", path.as_ref().unwrap_or(&vm.none), true, false)?;
    let len = int_arg(vm, length.as_ref().unwrap_or(&vm.none))?;
    match p.fd {
        Some(fd) => err(vm, sys::ftruncate(fd, len))?,
        None => path_err(vm, sys::truncate(&p.c, len), &p)?,
    }
    Ok(vm.none.clone())
}

fn statvfs_obj(vm: &Vm, st: &libc::statvfs) -> PyResult<Obj> {
    let v = vec![
        u64_obj(vm, st.f_bsize),
        u64_obj(vm, st.f_frsize),
        u64_obj(vm, st.f_blocks),
        u64_obj(vm, st.f_bfree),
        u64_obj(vm, st.f_bavail),
        u64_obj(vm, st.f_files),
        u64_obj(vm, st.f_ffree),
        u64_obj(vm, st.f_favail),
        u64_obj(vm, st.f_flag),
        u64_obj(vm, st.f_namemax),
        u64_obj(vm, st.f_fsid),
    ];
    Ok(new_structseq(vm, &statvfs_type(vm), v))
}

fn statvfs(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "statvfs", names: &["path"], posonly: 0, kwonly: 0, required: 1 };
    let [path] = bind::<1>(vm, &P, args, kw)?;
    let p = path_arg(vm, "statvfs", "path", path.as_ref().unwrap_or(&vm.none), true, false)?;
    let st = match p.fd {
        Some(fd) => err(vm, sys::fstatvfs(fd))?,
        None => path_err(vm, sys::statvfs(&p.c), &p)?,
    };
    statvfs_obj(vm, &st)
}

fn fstatvfs(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd] = exact::<1>(vm, "fstatvfs", args, kw)?;
    statvfs_obj(vm, &err(vm, sys::fstatvfs(fd_arg(vm, &fd)?))?)
}

// ------------------------------------------------------- working directory

fn chdir(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "chdir", names: &["path"], posonly: 0, kwonly: 0, required: 1 };
    let [path] = bind::<1>(vm, &P, args, kw)?;
    let p = path_arg(vm, "chdir", "path", path.as_ref().unwrap_or(&vm.none), true, false)?;
    match p.fd {
        Some(fd) => err(vm, sys::fchdir(fd))?,
        None => std::env::set_current_dir(std::ffi::OsStr::from_bytes(p.raw()))
            .map_err(|e| os_error(vm, e.raw_os_error().unwrap_or(libc::EIO), Some(&p.obj), None))?,
    }
    Ok(vm.none.clone())
}

fn fchdir(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "fchdir", names: &["fd"], posonly: 0, kwonly: 0, required: 1 };
    let [fd] = bind::<1>(vm, &P, args, kw)?;
    err(vm, sys::fchdir(fd_arg(vm, fd.as_ref().unwrap_or(&vm.none))?))?;
    Ok(vm.none.clone())
}

fn cwd_bytes(vm: &Vm) -> PyResult<Vec<u8>> {
    std::env::current_dir()
        .map(|p| p.into_os_string().into_vec())
        .map_err(|e| os_error(vm, e.raw_os_error().unwrap_or(libc::EIO), None, None))
}

fn getcwd(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "getcwd", args, kw)?;
    fs_result(vm, &cwd_bytes(vm)?, false)
}

fn getcwdb(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "getcwdb", args, kw)?;
    fs_result(vm, &cwd_bytes(vm)?, true)
}

// --------------------------------------------------- extended attributes

fn xattr_target<'a>(vm: &Vm, fname: &str, p: &'a PathArg, follow: bool) -> PyResult<sys::XattrTarget<'a>> {
    match p.fd {
        Some(_) if !follow => Err(vm.new_error(&vm.types.value_error, format!("{fname}: cannot use fd and follow_symlinks together"))),
        Some(fd) => Ok(sys::XattrTarget::Fd(fd)),
        None => Ok(sys::XattrTarget::Path(&p.c, follow)),
    }
}

fn getxattr(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "getxattr", names: &["path", "attribute", "follow_symlinks"], posonly: 0, kwonly: 1, required: 2 };
    let [path, attr, follow] = bind::<3>(vm, &P, args, kw)?;
    let none = vm.none.clone();
    let p = path_arg(vm, "getxattr", "path", path.as_ref().unwrap_or(&none), true, false)?;
    let a = path_arg(vm, "getxattr", "attribute", attr.as_ref().unwrap_or(&none), false, false)?;
    let follow = flag_arg(vm, &follow, true)?;
    let target = xattr_target(vm, "getxattr", &p, follow)?;
    let v = path_err(vm, sys::xattr_read(&target, Some(&a.c)), &p)?;
    Ok(taipan_vm::types::builtin::new_bytes(vm, v))
}

fn setxattr(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params {
        fname: "setxattr",
        names: &["path", "attribute", "value", "flags", "follow_symlinks"],
        posonly: 0,
        kwonly: 1,
        required: 3,
    };
    let [path, attr, value, flags, follow] = bind::<5>(vm, &P, args, kw)?;
    let none = vm.none.clone();
    let p = path_arg(vm, "setxattr", "path", path.as_ref().unwrap_or(&none), true, false)?;
    let a = path_arg(vm, "setxattr", "attribute", attr.as_ref().unwrap_or(&none), false, false)?;
    let value = taipan_vm::types::bytes::buf_arg(vm, value.as_ref().unwrap_or(&none))?.into_owned();
    let flags = match &flags {
        Some(f) => super::c_int_arg(vm, f)?,
        None => 0,
    };
    let follow = flag_arg(vm, &follow, true)?;
    let target = xattr_target(vm, "setxattr", &p, follow)?;
    path_err(vm, sys::xattr_write(&target, &a.c, Some((&value, flags))), &p)?;
    Ok(vm.none.clone())
}

fn removexattr(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params =
        Params { fname: "removexattr", names: &["path", "attribute", "follow_symlinks"], posonly: 0, kwonly: 1, required: 2 };
    let [path, attr, follow] = bind::<3>(vm, &P, args, kw)?;
    let none = vm.none.clone();
    let p = path_arg(vm, "removexattr", "path", path.as_ref().unwrap_or(&none), true, false)?;
    let a = path_arg(vm, "removexattr", "attribute", attr.as_ref().unwrap_or(&none), false, false)?;
    let follow = flag_arg(vm, &follow, true)?;
    let target = xattr_target(vm, "removexattr", &p, follow)?;
    path_err(vm, sys::xattr_write(&target, &a.c, None), &p)?;
    Ok(vm.none.clone())
}

fn listxattr(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "listxattr", names: &["path", "follow_symlinks"], posonly: 0, kwonly: 1, required: 0 };
    let [path, follow] = bind::<2>(vm, &P, args, kw)?;
    let none = vm.none.clone();
    let mut p = path_arg(vm, "listxattr", "path", path.as_ref().unwrap_or(&none), true, true)?;
    if p.none {
        p.c = CString::from(c".");
    }
    let follow = flag_arg(vm, &follow, true)?;
    let target = xattr_target(vm, "listxattr", &p, follow)?;
    let raw = path_err(vm, sys::xattr_read(&target, None), &p)?;
    let names = raw.split(|&b| b == 0).filter(|n| !n.is_empty()).map(|n| super::fs_decode(vm, n)).collect::<PyResult<Vec<_>>>()?;
    Ok(new_list(vm, names))
}

pub static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("mknod", mknod, "mknod($module, /, path, mode=384, device=0, *, dir_fd=None)\n--\n\nCreate a node in the file system (file, device special file or named pipe) named path."),
    FunctionDef::new("getxattr", getxattr, "getxattr($module, /, path, attribute, *, follow_symlinks=True)\n--\n\nReturn the value of extended attribute attribute on path."),
    FunctionDef::new("setxattr", setxattr, "setxattr($module, /, path, attribute, value, flags=0, *,
         follow_symlinks=True)\n--\n\nSet extended attribute attribute on path to value."),
    FunctionDef::new("removexattr", removexattr, "removexattr($module, /, path, attribute, *, follow_symlinks=True)\n--\n\nRemove extended attribute attribute on path."),
    FunctionDef::new("listxattr", listxattr, "listxattr($module, /, path=None, *, follow_symlinks=True)\n--\n\nReturn a list of extended attributes on path."),
    FunctionDef::new("stat", stat, "stat($module, /, path, *, dir_fd=None, follow_symlinks=True)\n--\n\nPerform a stat system call on the given path."),
    FunctionDef::new("lstat", lstat, "lstat($module, /, path, *, dir_fd=None)\n--\n\nPerform a stat system call on the given path, without following symbolic links."),
    FunctionDef::new("fstat", fstat, "fstat($module, /, fd)\n--\n\nPerform a stat system call on the given file descriptor."),
    FunctionDef::new("access", access, "access($module, /, path, mode, *, dir_fd=None, effective_ids=False,
       follow_symlinks=True)\n--\n\nUse the real uid/gid to test for access to a path."),
    FunctionDef::new("listdir", listdir, "listdir($module, /, path=None)\n--\n\nReturn a list containing the names of the files in the directory."),
    FunctionDef::new("scandir", scandir, "scandir($module, /, path=None)\n--\n\nReturn an iterator of DirEntry objects for given path."),
    FunctionDef::new("mkdir", mkdir, "mkdir($module, /, path, mode=511, *, dir_fd=None)\n--\n\nCreate a directory."),
    FunctionDef::new("rmdir", rmdir, "rmdir($module, /, path, *, dir_fd=None)\n--\n\nRemove a directory."),
    FunctionDef::new("unlink", unlink, "unlink($module, /, path, *, dir_fd=None)\n--\n\nRemove a file (same as remove())."),
    FunctionDef::new("remove", remove, "remove($module, /, path, *, dir_fd=None)\n--\n\nRemove a file (same as unlink())."),
    FunctionDef::new("rename", rename, "rename($module, /, src, dst, *, src_dir_fd=None, dst_dir_fd=None)\n--\n\nRename a file or directory."),
    FunctionDef::new("replace", replace, "replace($module, /, src, dst, *, src_dir_fd=None, dst_dir_fd=None)\n--\n\nRename a file or directory, overwriting the destination."),
    FunctionDef::new("symlink", symlink, "symlink($module, /, src, dst, target_is_directory=False, *, dir_fd=None)\n--\n\nCreate a symbolic link pointing to src named dst."),
    FunctionDef::new("link", link, "link($module, /, src, dst, *, src_dir_fd=None, dst_dir_fd=None,
     follow_symlinks=True)\n--\n\nCreate a hard link to a file."),
    FunctionDef::new("readlink", readlink, "readlink($module, /, path, *, dir_fd=None)\n--\n\nReturn a string representing the path to which the symbolic link points."),
    FunctionDef::new("mkfifo", mkfifo, "mkfifo($module, /, path, mode=438, *, dir_fd=None)\n--\n\nCreate a \"fifo\" (a POSIX named pipe)."),
    FunctionDef::new("chmod", chmod, "chmod($module, /, path, mode, *, dir_fd=None, follow_symlinks=True)\n--\n\nChange the access permissions of a file."),
    FunctionDef::new("fchmod", fchmod, "fchmod($module, /, fd, mode)\n--\n\nChange the access permissions of the file given by file descriptor fd."),
    FunctionDef::new("chown", chown, "chown($module, /, path, uid, gid, *, dir_fd=None, follow_symlinks=True)\n--\n\nChange the owner and group id of path to the numeric uid and gid."),
    FunctionDef::new("lchown", lchown, "lchown($module, /, path, uid, gid)\n--\n\nChange the owner and group id of path to the numeric uid and gid."),
    FunctionDef::new("fchown", fchown, "fchown($module, /, fd, uid, gid)\n--\n\nChange the owner and group id of the file specified by file descriptor."),
    FunctionDef::new("utime", utime, "utime($module, /, path, times=None, *, ns=<unrepresentable>,
      dir_fd=None, follow_symlinks=True)\n--\n\nSet the access and modified time of path."),
    FunctionDef::new("truncate", truncate, "truncate($module, /, path, length)\n--\n\nTruncate a file, specified by path, to a specific length."),
    FunctionDef::new("statvfs", statvfs, "statvfs($module, /, path)\n--\n\nPerform a statvfs system call on the given path."),
    FunctionDef::new("fstatvfs", fstatvfs, "fstatvfs($module, fd, /)\n--\n\nPerform an fstatvfs system call on the given fd."),
    FunctionDef::new("chdir", chdir, "chdir($module, /, path)\n--\n\nChange the current working directory to the specified path."),
    FunctionDef::new("fchdir", fchdir, "fchdir($module, /, fd)\n--\n\nChange to the directory of the given file descriptor."),
    FunctionDef::new("getcwd", getcwd, "getcwd($module, /)\n--\n\nReturn a unicode string representing the current working directory."),
    FunctionDef::new("getcwdb", getcwdb, "getcwdb($module, /)\n--\n\nReturn a bytes string representing the current working directory."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    modules::add_attr(vm, m, "stat_result", stat_type(vm))?;
    modules::add_attr(vm, m, "statvfs_result", statvfs_type(vm))?;
    modules::add_attr(vm, m, "DirEntry", direntry_type(vm))?;
    for (name, v) in [("XATTR_CREATE", libc::XATTR_CREATE as i64), ("XATTR_REPLACE", libc::XATTR_REPLACE as i64), ("XATTR_SIZE_MAX", 65536)]
    {
        modules::add_attr(vm, m, name, vm.int(v))?;
    }
    Ok(())
}
