//! `fcntl`: `fcntl`, `ioctl`, `flock`, `lockf` and the Linux constants.

use taipan_vm::native::{bind, FunctionDef, Params};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{as_buffer, int_data, new_bytes, str_data, ByteArrayData, StrData};
use taipan_vm::types::Kwargs;
use taipan_vm::{modules, ops, PyResult, Vm};

use super::fd::fildes_arg;
use super::{c_int_arg, err, int_arg, sys};

/// The Linux values (`<fcntl.h>`, `<sys/file.h>`), as CPython exports them.
static CONSTANTS: &[(&str, i64)] = &[
    ("DN_ACCESS", 1),
    ("DN_ATTRIB", 32),
    ("DN_CREATE", 4),
    ("DN_DELETE", 8),
    ("DN_MODIFY", 2),
    ("DN_MULTISHOT", 2147483648),
    ("DN_RENAME", 16),
    ("FASYNC", 8192),
    ("FD_CLOEXEC", 1),
    ("F_ADD_SEALS", 1033),
    ("F_DUPFD", 0),
    ("F_DUPFD_CLOEXEC", 1030),
    ("F_EXLCK", 4),
    ("F_GETFD", 1),
    ("F_GETFL", 3),
    ("F_GETLEASE", 1025),
    ("F_GETLK", 5),
    ("F_GETLK64", 5),
    ("F_GETOWN", 9),
    ("F_GETPIPE_SZ", 1032),
    ("F_GETSIG", 11),
    ("F_GET_SEALS", 1034),
    ("F_NOTIFY", 1026),
    ("F_OFD_GETLK", 36),
    ("F_OFD_SETLK", 37),
    ("F_OFD_SETLKW", 38),
    ("F_RDLCK", 0),
    ("F_SEAL_GROW", 4),
    ("F_SEAL_SEAL", 1),
    ("F_SEAL_SHRINK", 2),
    ("F_SEAL_WRITE", 8),
    ("F_SETFD", 2),
    ("F_SETFL", 4),
    ("F_SETLEASE", 1024),
    ("F_SETLK", 6),
    ("F_SETLK64", 6),
    ("F_SETLKW", 7),
    ("F_SETLKW64", 7),
    ("F_SETOWN", 8),
    ("F_SETPIPE_SZ", 1031),
    ("F_SETSIG", 10),
    ("F_SHLCK", 8),
    ("F_UNLCK", 2),
    ("F_WRLCK", 1),
    ("LOCK_EX", 2),
    ("LOCK_MAND", 32),
    ("LOCK_NB", 4),
    ("LOCK_READ", 64),
    ("LOCK_RW", 192),
    ("LOCK_SH", 1),
    ("LOCK_UN", 8),
    ("LOCK_WRITE", 128),
];

/// A buffer argument's bytes (`str` is encoded as UTF-8), if it is one.
fn buffer_of(o: &Obj) -> Option<Vec<u8>> {
    if o.downcast::<StrData>().is_some() {
        return Some(str_data(o).bytes().to_vec());
    }
    as_buffer(o).map(|b| b.to_vec())
}

fn fcntl(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "fcntl", names: &["fd", "cmd", "arg"], posonly: 3, kwonly: 0, required: 2 };
    let [fd, cmd, arg] = bind::<3>(vm, &P, args, kw)?;
    let fd = fildes_arg(vm, fd.as_ref().unwrap_or(&vm.none))?;
    let cmd = c_int_arg(vm, cmd.as_ref().unwrap_or(&vm.none))?;
    match arg {
        Some(a) if int_data(&a).is_none() => {
            let Some(mut buf) = buffer_of(&a) else {
                return Err(vm.type_error(format!(
                    "argument 3 must be an int, or a bytes-like object, not {}",
                    taipan_vm::types::builtin::type_name(&a)
                )));
            };
            if buf.len() > 1024 {
                return Err(vm.new_error(&vm.types.value_error, "fcntl string arg too long"));
            }
            err(vm, sys::fcntl_buf(fd, cmd as u64, &mut buf, false))?;
            Ok(new_bytes(vm, buf))
        }
        a => {
            let v = match a {
                Some(a) => int_arg(vm, &a)?,
                None => 0,
            };
            Ok(vm.int(err(vm, sys::fcntl_int(fd, cmd, v))? as i64))
        }
    }
}

fn ioctl(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "ioctl", names: &["fd", "request", "arg", "mutate_flag"], posonly: 4, kwonly: 0, required: 2 };
    let [fd, request, arg, mutate] = bind::<4>(vm, &P, args, kw)?;
    let fd = fildes_arg(vm, fd.as_ref().unwrap_or(&vm.none))?;
    let request = int_arg(vm, request.as_ref().unwrap_or(&vm.none))? as u64;
    let mutate = match mutate {
        Some(m) => ops::truth(vm, &m)?,
        None => true,
    };
    match arg {
        Some(a) if int_data(&a).is_none() => {
            let Some(mut buf) = buffer_of(&a) else {
                return Err(vm.type_error(format!(
                    "argument 3 must be an int, or a bytes-like object, not {}",
                    taipan_vm::types::builtin::type_name(&a)
                )));
            };
            if let (Some(ba), true) = (a.downcast::<ByteArrayData>(), mutate) {
                if buf.len() > 1024 {
                    return Err(vm.new_error(&vm.types.value_error, "ioctl string arg too long"));
                }
                let r = err(vm, sys::fcntl_buf(fd, request, &mut buf, true))?;
                let mut dst = ba.value.borrow_mut();
                let n = dst.len().min(buf.len());
                dst[..n].copy_from_slice(&buf[..n]);
                return Ok(vm.int(r as i64));
            }
            if buf.len() > 1024 {
                return Err(vm.new_error(&vm.types.value_error, "ioctl string arg too long"));
            }
            err(vm, sys::fcntl_buf(fd, request, &mut buf, true))?;
            Ok(new_bytes(vm, buf))
        }
        a => {
            let v = match a {
                Some(a) => int_arg(vm, &a)?,
                None => 0,
            };
            Ok(vm.int(err(vm, sys::ioctl_int(fd, request, v))? as i64))
        }
    }
}

fn flock(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "flock", names: &["fd", "operation"], posonly: 2, kwonly: 0, required: 2 };
    let [fd, op] = bind::<2>(vm, &P, args, kw)?;
    let fd = fildes_arg(vm, fd.as_ref().unwrap_or(&vm.none))?;
    let op = c_int_arg(vm, op.as_ref().unwrap_or(&vm.none))?;
    err(vm, taipan_vm::signals::retry_eintr(vm, || sys::flock(fd, op))?)?;
    Ok(vm.none.clone())
}

fn lockf(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "lockf", names: &["fd", "cmd", "len", "start", "whence"], posonly: 5, kwonly: 0, required: 2 };
    let [fd, cmd, len, start, whence] = bind::<5>(vm, &P, args, kw)?;
    let fd = fildes_arg(vm, fd.as_ref().unwrap_or(&vm.none))?;
    let code = c_int_arg(vm, cmd.as_ref().unwrap_or(&vm.none))?;
    let num = |o: Option<Obj>| -> PyResult<i64> { o.map_or(Ok(0), |o| int_arg(vm, &o)) };
    let (len, start, whence) = (num(len)?, num(start)?, num(whence)?);
    let kind = if code == libc::LOCK_UN {
        libc::F_UNLCK
    } else if code & libc::LOCK_SH != 0 {
        libc::F_RDLCK
    } else if code & libc::LOCK_EX != 0 {
        libc::F_WRLCK
    } else {
        return Err(vm.new_error(&vm.types.value_error, "unrecognized lockf argument"));
    };
    let cmd = if code & libc::LOCK_NB != 0 { libc::F_SETLK } else { libc::F_SETLKW };
    err(vm, taipan_vm::signals::retry_eintr(vm, || sys::lockf(fd, cmd, kind as i16, start, len, whence as i16))?)?;
    Ok(vm.none.clone())
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("fcntl", fcntl, "Perform the operation `cmd` on file descriptor fd."),
    FunctionDef::new("ioctl", ioctl, "Perform the operation `request` on file descriptor `fd`."),
    FunctionDef::new("flock", flock, "Perform the lock operation `operation` on file descriptor `fd`."),
    FunctionDef::new("lockf", lockf, "A wrapper around the fcntl() locking calls."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    modules::add_functions(vm, m, FUNCS)?;
    for &(name, v) in CONSTANTS {
        modules::add_attr(vm, m, name, vm.int(v))?;
    }
    Ok(())
}
