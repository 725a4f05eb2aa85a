//! File descriptors: `open`, `close`, `read`, `write`, `lseek`, pipes,
//! `dup`, the blocking and inheritable flags, `isatty`, terminal size,
//! and the `O_*`/`SEEK_*` constants.

use taipan_vm::native::{bind, exact, FunctionDef, Params};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{new_bytes, new_str, new_tuple};
use taipan_vm::types::bytes::buf_arg;
use taipan_vm::types::structseq::{new_structseq, new_structseq_type, StructSeqDesc};
use taipan_vm::types::Kwargs;
use taipan_vm::{modules, ops, PyResult, Vm};

use super::sys;
use super::{c_int_arg, dir_fd_arg, err, fd_arg, int_arg, path_arg, path_err};
use taipan_vm::signals::retry_eintr;

/// A descriptor argument that may also be an object with `fileno()`
/// (CPython's `fildes_converter`).
pub fn fildes_arg(vm: &Vm, o: &Obj) -> PyResult<i32> {
    let fd = if taipan_vm::types::builtin::int_data(o).is_some() {
        fd_arg(vm, o)?
    } else {
        match super::attr(vm, o, "fileno")? {
            Some(f) => {
                let r = taipan_vm::classes::call_object(vm, &f, &[])?;
                if taipan_vm::types::builtin::int_data(&r).is_none() {
                    return Err(vm.type_error("fileno() returned a non-integer"));
                }
                fd_arg(vm, &r)?
            }
            None => return Err(vm.type_error("argument must be an int, or have a fileno() method.")),
        }
    };
    if fd < 0 {
        return Err(vm.new_error(&vm.types.value_error, format!("file descriptor cannot be a negative integer ({fd})")));
    }
    Ok(fd)
}

fn open(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "open", names: &["path", "flags", "mode", "dir_fd"], posonly: 0, kwonly: 1, required: 2 };
    let [path, flags, mode, dir_fd] = bind::<4>(vm, &P, args, kw)?;
    let p = path_arg(vm, "open", "path", path.as_ref().unwrap_or(&vm.none), false, false)?;
    let flags = c_int_arg(vm, flags.as_ref().unwrap_or(&vm.none))? | libc::O_CLOEXEC;
    let mode = match mode {
        Some(m) => c_int_arg(vm, &m)? as u32,
        None => 0o777,
    };
    let dir_fd = dir_fd_arg(vm, &dir_fd)?;
    let c = &p.c;
    let fd = path_err(vm, retry_eintr(vm, || sys::open(c, flags, mode, dir_fd))?, &p)?;
    Ok(vm.int(fd as i64))
}

fn one_fd(vm: &Vm, fname: &'static str, args: &[Obj], kw: Kwargs) -> PyResult<i32> {
    let params = match fname {
        "close" => &Params { fname: "close", names: &["fd"], posonly: 0, kwonly: 0, required: 1 },
        "isatty" => &Params { fname: "isatty", names: &["fd"], posonly: 0, kwonly: 0, required: 1 },
        "dup" => &Params { fname: "dup", names: &["fd"], posonly: 0, kwonly: 0, required: 1 },
        "get_inheritable" => &Params { fname: "get_inheritable", names: &["fd"], posonly: 0, kwonly: 0, required: 1 },
        "get_blocking" => &Params { fname: "get_blocking", names: &["fd"], posonly: 0, kwonly: 0, required: 1 },
        "device_encoding" => &Params { fname: "device_encoding", names: &["fd"], posonly: 0, kwonly: 0, required: 1 },
        "fsync" => &Params { fname: "fsync", names: &["fd"], posonly: 0, kwonly: 0, required: 1 },
        _ => &Params { fname: "fdatasync", names: &["fd"], posonly: 0, kwonly: 0, required: 1 },
    };
    let [fd] = bind::<1>(vm, params, args, kw)?;
    let fd = fd.unwrap_or_else(|| vm.none.clone());
    if matches!(fname, "fsync" | "fdatasync") {
        fildes_arg(vm, &fd)
    } else {
        fd_arg(vm, &fd)
    }
}

fn close(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = one_fd(vm, "close", args, kw)?;
    err(vm, sys::close(fd))?;
    Ok(vm.none.clone())
}

fn closerange(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [lo, hi] = exact::<2>(vm, "closerange", args, kw)?;
    sys::close_range(fd_arg(vm, &lo)?.max(0), fd_arg(vm, &hi)?);
    Ok(vm.none.clone())
}

fn read(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd, n] = exact::<2>(vm, "read", args, kw)?;
    let fd = fd_arg(vm, &fd)?;
    let n = int_arg(vm, &n)?;
    if n < 0 {
        return Err(super::os_error(vm, libc::EINVAL, None, None));
    }
    // Other threads run while this one blocks.
    let got = retry_eintr(vm, || sys::read(fd, n as usize))?;
    Ok(new_bytes(vm, err(vm, got)?))
}

fn write(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd, data] = exact::<2>(vm, "write", args, kw)?;
    let fd = fd_arg(vm, &fd)?;
    let data = buf_arg(vm, &data)?.into_owned();
    let written = retry_eintr(vm, || sys::write(fd, &data))?;
    Ok(vm.int(err(vm, written)? as i64))
}

fn sendfile(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "sendfile", names: &["out_fd", "in_fd", "offset", "count"], posonly: 0, kwonly: 0, required: 4 };
    let [out_fd, in_fd, offset, count] = bind::<4>(vm, &P, args, kw)?;
    let none = vm.none.clone();
    let out_fd = fd_arg(vm, out_fd.as_ref().unwrap_or(&none))?;
    let in_fd = fd_arg(vm, in_fd.as_ref().unwrap_or(&none))?;
    let offset = match offset {
        Some(o) if !o.is(&vm.none) => Some(int_arg(vm, &o)?),
        _ => None,
    };
    let count = int_arg(vm, count.as_ref().unwrap_or(&none))?;
    let count = usize::try_from(count).map_err(|_| super::os_error(vm, libc::EINVAL, None, None))?;
    let sent = retry_eintr(vm, || sys::sendfile(out_fd, in_fd, offset, count))?;
    Ok(vm.int(err(vm, sent)? as i64))
}

fn lseek(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd, pos, how] = exact::<3>(vm, "lseek", args, kw)?;
    let r = sys::lseek(fd_arg(vm, &fd)?, int_arg(vm, &pos)?, c_int_arg(vm, &how)?);
    Ok(vm.int(err(vm, r)?))
}

fn pipe(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "pipe", args, kw)?;
    let (r, w) = err(vm, sys::pipe2(libc::O_CLOEXEC))?;
    Ok(new_tuple(vm, vec![vm.int(r as i64), vm.int(w as i64)]))
}

fn pipe2(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [flags] = exact::<1>(vm, "pipe2", args, kw)?;
    let (r, w) = err(vm, sys::pipe2(c_int_arg(vm, &flags)?))?;
    Ok(new_tuple(vm, vec![vm.int(r as i64), vm.int(w as i64)]))
}

fn dup(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = one_fd(vm, "dup", args, kw)?;
    Ok(vm.int(err(vm, sys::dup(fd, false))? as i64))
}

fn dup2(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "dup2", names: &["fd", "fd2", "inheritable"], posonly: 0, kwonly: 0, required: 2 };
    let [fd, fd2, inheritable] = bind::<3>(vm, &P, args, kw)?;
    let fd = fd_arg(vm, fd.as_ref().unwrap_or(&vm.none))?;
    let fd2 = fd_arg(vm, fd2.as_ref().unwrap_or(&vm.none))?;
    let inheritable = super::flag_arg(vm, &inheritable, true)?;
    Ok(vm.int(err(vm, sys::dup2(fd, fd2, inheritable))? as i64))
}

fn isatty(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = one_fd(vm, "isatty", args, kw)?;
    Ok(vm.bool(sys::isatty(fd)))
}

fn ftruncate(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd, len] = exact::<2>(vm, "ftruncate", args, kw)?;
    err(vm, sys::ftruncate(fd_arg(vm, &fd)?, int_arg(vm, &len)?))?;
    Ok(vm.none.clone())
}

fn fsync(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = one_fd(vm, "fsync", args, kw)?;
    err(vm, sys::fsync(fd, false))?;
    Ok(vm.none.clone())
}

fn fdatasync(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = one_fd(vm, "fdatasync", args, kw)?;
    err(vm, sys::fsync(fd, true))?;
    Ok(vm.none.clone())
}

fn get_inheritable(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = one_fd(vm, "get_inheritable", args, kw)?;
    let flags = err(vm, sys::fcntl_int(fd, libc::F_GETFD, 0))?;
    Ok(vm.bool(flags & libc::FD_CLOEXEC == 0))
}

/// Sets or clears `FD_CLOEXEC` on `fd`.
pub fn set_inheritable_fd(fd: i32, inheritable: bool) -> sys::SysResult<()> {
    let flags = sys::fcntl_int(fd, libc::F_GETFD, 0)?;
    let new = if inheritable { flags & !libc::FD_CLOEXEC } else { flags | libc::FD_CLOEXEC };
    if new != flags {
        sys::fcntl_int(fd, libc::F_SETFD, new as i64)?;
    }
    Ok(())
}

fn set_inheritable(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd, inheritable] = exact::<2>(vm, "set_inheritable", args, kw)?;
    let fd = fd_arg(vm, &fd)?;
    err(vm, set_inheritable_fd(fd, ops::truth(vm, &inheritable)?))?;
    Ok(vm.none.clone())
}

fn get_blocking(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = one_fd(vm, "get_blocking", args, kw)?;
    let flags = err(vm, sys::fcntl_int(fd, libc::F_GETFL, 0))?;
    Ok(vm.bool(flags & libc::O_NONBLOCK == 0))
}

fn set_blocking(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd, blocking] = exact::<2>(vm, "set_blocking", args, kw)?;
    let fd = fd_arg(vm, &fd)?;
    let blocking = ops::truth(vm, &blocking)?;
    let flags = err(vm, sys::fcntl_int(fd, libc::F_GETFL, 0))?;
    let new = if blocking { flags & !libc::O_NONBLOCK } else { flags | libc::O_NONBLOCK };
    if new != flags {
        err(vm, sys::fcntl_int(fd, libc::F_SETFL, new as i64))?;
    }
    Ok(vm.none.clone())
}

fn device_encoding(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let fd = one_fd(vm, "device_encoding", args, kw)?;
    // The locale's encoding is UTF-8 (the interpreter runs in UTF-8 mode).
    Ok(if sys::isatty(fd) { new_str(vm, "UTF-8") } else { vm.none.clone() })
}

static TERMINAL_SIZE: StructSeqDesc = StructSeqDesc {
    name: "os.terminal_size",
    doc: "A tuple of (columns, lines) for holding terminal window size",
    fields: &["columns", "lines"],
    n_in_sequence: 2,
};

fn terminal_size_type(vm: &Vm) -> Obj {
    vm.native_type("os.terminal_size", |vm| new_structseq_type(vm, &TERMINAL_SIZE))
}

fn get_terminal_size(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd] = taipan_vm::native::at_most::<1>(vm, "get_terminal_size", 0, args, kw)?;
    let fd = match fd {
        Some(fd) => fd_arg(vm, &fd)?,
        None => 1,
    };
    let (cols, lines) = err(vm, sys::terminal_size(fd))?;
    Ok(new_structseq(vm, &terminal_size_type(vm), vec![vm.int(cols as i64), vm.int(lines as i64)]))
}

fn openpty(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "openpty", args, kw)?;
    let (master, slave) = err(vm, sys::openpty())?;
    Ok(new_tuple(vm, vec![vm.int(master as i64), vm.int(slave as i64)]))
}

fn login_tty(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd] = exact::<1>(vm, "login_tty", args, kw)?;
    err(vm, sys::login_tty(fildes_arg(vm, &fd)?))?;
    Ok(vm.none.clone())
}

fn ttyname(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd] = exact::<1>(vm, "ttyname", args, kw)?;
    let name = err(vm, sys::ttyname(c_int_arg(vm, &fd)?))?;
    super::fs_decode(vm, &name)
}

fn tcgetpgrp(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd] = exact::<1>(vm, "tcgetpgrp", args, kw)?;
    Ok(vm.int(err(vm, sys::tcgetpgrp(c_int_arg(vm, &fd)?))?))
}

fn tcsetpgrp(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd, pgid] = exact::<2>(vm, "tcsetpgrp", args, kw)?;
    let fd = c_int_arg(vm, &fd)?;
    err(vm, sys::tcsetpgrp(fd, c_int_arg(vm, &pgid)?))?;
    Ok(vm.none.clone())
}

// ------------------------------------------------- positional and vector I/O

fn pread(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd, n, offset] = exact::<3>(vm, "pread", args, kw)?;
    let fd = fd_arg(vm, &fd)?;
    let n = int_arg(vm, &n)?;
    let offset = int_arg(vm, &offset)?;
    if n < 0 {
        return Err(super::os_error(vm, libc::EINVAL, None, None));
    }
    let got = vm.allow_threads(|| sys::pread(fd, n as usize, offset));
    Ok(new_bytes(vm, err(vm, got)?))
}

fn pwrite(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd, data, offset] = exact::<3>(vm, "pwrite", args, kw)?;
    let fd = fd_arg(vm, &fd)?;
    let data = buf_arg(vm, &data)?.into_owned();
    let offset = int_arg(vm, &offset)?;
    let written = vm.allow_threads(move || sys::pwrite(fd, &data, offset));
    Ok(vm.int(err(vm, written)? as i64))
}

/// The items of the `buffers` argument of the vector calls.
fn buffer_items(vm: &Vm, fname: &str, o: &Obj) -> PyResult<Vec<Obj>> {
    if let Some(t) = o.downcast::<taipan_vm::types::builtin::TupleData>() {
        return Ok(t.items.to_vec());
    }
    if let Some(l) = o.downcast::<taipan_vm::types::builtin::ListData>() {
        return Ok(l.items.borrow().clone());
    }
    let ty = taipan_vm::types::type_of(o);
    let is_seq = taipan_vm::types::lookup(&ty, "__getitem__").is_some()
        && taipan_vm::types::builtin::bytes_data(o).is_none()
        && taipan_vm::types::lookup(&ty, "keys").is_none();
    if !is_seq {
        return Err(vm.type_error(format!("{fname}() arg 2 must be a sequence")));
    }
    taipan_vm::types::container::collect(vm, o)
}

/// `readv`/`preadv`: reads into the writable buffers, returns the count.
fn read_vector(vm: &Vm, fname: &str, fd: &Obj, buffers: &Obj, offset: Option<i64>, flags: i32) -> PyResult<Obj> {
    let fd = fd_arg(vm, fd)?;
    let items = buffer_items(vm, fname, buffers)?;
    let mut bufs = Vec::with_capacity(items.len());
    for b in &items {
        match taipan_vm::types::bytes::writable_buffer_len(b) {
            Some(n) => bufs.push(vec![0u8; n]),
            None if taipan_vm::types::bytes::as_buffer(b).is_some() => {
                return Err(vm
                    .new_error(&vm.exception_type("BufferError").unwrap_or_else(|| vm.types.exception.clone()), "Object is not writable."))
            }
            None => {
                return Err(vm.type_error(format!("a bytes-like object is required, not '{}'", taipan_vm::types::builtin::type_name(b))))
            }
        }
    }
    let (got, bufs) = vm.allow_threads(move || {
        let mut bufs = bufs;
        let r = sys::readv(fd, &mut bufs, offset, flags);
        (r, bufs)
    });
    let got = err(vm, got)?;
    let mut left = got;
    for (o, b) in items.iter().zip(bufs.iter()) {
        if left == 0 {
            break;
        }
        let n = left.min(b.len());
        taipan_vm::types::bytes::write_buffer(o, 0, &b[..n]);
        left -= n;
    }
    Ok(vm.int(got as i64))
}

/// `writev`/`pwritev`.
fn write_vector(vm: &Vm, fname: &str, fd: &Obj, buffers: &Obj, offset: Option<i64>, flags: i32) -> PyResult<Obj> {
    let fd = fd_arg(vm, fd)?;
    let items = buffer_items(vm, fname, buffers)?;
    let bufs = items.iter().map(|b| buf_arg(vm, b).map(|c| c.into_owned())).collect::<PyResult<Vec<_>>>()?;
    let written = vm.allow_threads(move || sys::writev(fd, &bufs, offset, flags));
    Ok(vm.int(err(vm, written)? as i64))
}

fn readv(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd, buffers] = exact::<2>(vm, "readv", args, kw)?;
    read_vector(vm, "readv", &fd, &buffers, None, 0)
}

fn writev(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd, buffers] = exact::<2>(vm, "writev", args, kw)?;
    write_vector(vm, "writev", &fd, &buffers, None, 0)
}

fn vector_at(vm: &Vm, fname: &'static str, args: &[Obj], kw: Kwargs) -> PyResult<(Obj, Obj, i64, i32)> {
    let (min, max) = (3, 4);
    if !kw.is_empty() {
        return Err(vm.type_error(format!("{fname}() takes no keyword arguments")));
    }
    if args.len() < min || args.len() > max {
        let msg = if args.len() < min {
            format!("{fname} expected at least {min} arguments, got {}", args.len())
        } else {
            format!("{fname} expected at most {max} arguments, got {}", args.len())
        };
        return Err(vm.type_error(msg));
    }
    let offset = int_arg(vm, &args[2])?;
    let flags = match args.get(3) {
        Some(f) => c_int_arg(vm, f)?,
        None => 0,
    };
    Ok((args[0].clone(), args[1].clone(), offset, flags))
}

fn preadv(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (fd, buffers, offset, flags) = vector_at(vm, "preadv", args, kw)?;
    read_vector(vm, "preadv", &fd, &buffers, Some(offset), flags)
}

fn pwritev(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (fd, buffers, offset, flags) = vector_at(vm, "pwritev", args, kw)?;
    write_vector(vm, "pwritev", &fd, &buffers, Some(offset), flags)
}

fn posix_fallocate(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd, offset, len] = exact::<3>(vm, "posix_fallocate", args, kw)?;
    let (fd, offset, len) = (fd_arg(vm, &fd)?, int_arg(vm, &offset)?, int_arg(vm, &len)?);
    err(vm, vm.allow_threads(|| sys::posix_fallocate(fd, offset, len)))?;
    Ok(vm.none.clone())
}

fn posix_fadvise(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd, offset, len, advice] = exact::<4>(vm, "posix_fadvise", args, kw)?;
    let (fd, offset, len, advice) = (fd_arg(vm, &fd)?, int_arg(vm, &offset)?, int_arg(vm, &len)?, c_int_arg(vm, &advice)?);
    err(vm, vm.allow_threads(|| sys::posix_fadvise(fd, offset, len, advice)))?;
    Ok(vm.none.clone())
}

// ------------------------------------------------------ Linux descriptors

fn getrandom(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "getrandom", names: &["size", "flags"], posonly: 0, kwonly: 0, required: 1 };
    let [size, flags] = bind::<2>(vm, &P, args, kw)?;
    let size = int_arg(vm, size.as_ref().unwrap_or(&vm.none))?;
    let flags = match &flags {
        Some(f) => c_int_arg(vm, f)?,
        None => 0,
    };
    if size < 0 {
        return Err(super::os_error(vm, libc::EINVAL, None, None));
    }
    let got = vm.allow_threads(move || sys::getrandom(size as usize, flags));
    Ok(new_bytes(vm, err(vm, got)?))
}

fn optional_offset(vm: &Vm, o: &Option<Obj>) -> PyResult<Option<i64>> {
    match o {
        Some(o) if !o.is(&vm.none) => Ok(Some(int_arg(vm, o)?)),
        _ => Ok(None),
    }
}

fn transfer(vm: &Vm, args: &[Obj], kw: Kwargs, copy: bool) -> PyResult<Obj> {
    static SPLICE: Params = Params {
        fname: "splice",
        names: &["src", "dst", "count", "offset_src", "offset_dst", "flags"],
        posonly: 0,
        kwonly: 0,
        required: 3,
    };
    static COPY: Params = Params {
        fname: "copy_file_range",
        names: &["src", "dst", "count", "offset_src", "offset_dst"],
        posonly: 0,
        kwonly: 0,
        required: 3,
    };
    let (src, dst, count, off_src, off_dst, flags) = if copy {
        let [a, b, c, d, e] = bind::<5>(vm, &COPY, args, kw)?;
        (a, b, c, d, e, None)
    } else {
        let [a, b, c, d, e, f] = bind::<6>(vm, &SPLICE, args, kw)?;
        (a, b, c, d, e, f)
    };
    let none = vm.none.clone();
    let src = fd_arg(vm, src.as_ref().unwrap_or(&none))?;
    let dst = fd_arg(vm, dst.as_ref().unwrap_or(&none))?;
    let count = int_arg(vm, count.as_ref().unwrap_or(&none))?;
    if count < 0 {
        return Err(vm.new_error(&vm.types.value_error, "negative value for 'count' not allowed"));
    }
    let (off_src, off_dst) = (optional_offset(vm, &off_src)?, optional_offset(vm, &off_dst)?);
    let flags = match &flags {
        Some(f) => c_int_arg(vm, f)? as u32,
        None => 0,
    };
    let n = vm.allow_threads(move || sys::transfer(src, dst, count as usize, off_src, off_dst, flags, copy));
    Ok(vm.int(err(vm, n)? as i64))
}

fn eventfd(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "eventfd", names: &["initval", "flags"], posonly: 0, kwonly: 0, required: 1 };
    let [initval, flags] = bind::<2>(vm, &P, args, kw)?;
    let initval = int_arg(vm, initval.as_ref().unwrap_or(&vm.none))?;
    let initval =
        u32::try_from(initval).map_err(|_| vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C unsigned int"))?;
    let flags = match &flags {
        Some(f) => c_int_arg(vm, f)?,
        None => libc::EFD_CLOEXEC,
    };
    Ok(vm.int(err(vm, sys::eventfd(initval, flags))? as i64))
}

fn eventfd_read(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "eventfd_read", names: &["fd"], posonly: 0, kwonly: 0, required: 1 };
    let [fd] = bind::<1>(vm, &P, args, kw)?;
    let fd = fildes_arg(vm, fd.as_ref().unwrap_or(&vm.none))?;
    let got = err(vm, vm.allow_threads(move || sys::read(fd, 8)))?;
    let v = <[u8; 8]>::try_from(&got[..]).map(u64::from_ne_bytes).map_err(|_| super::os_error(vm, libc::EINVAL, None, None))?;
    Ok(super::u64_obj(vm, v))
}

fn eventfd_write(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "eventfd_write", names: &["fd", "value"], posonly: 0, kwonly: 0, required: 2 };
    let [fd, value] = bind::<2>(vm, &P, args, kw)?;
    let fd = fildes_arg(vm, fd.as_ref().unwrap_or(&vm.none))?;
    let v = taipan_vm::ops::index(vm, value.as_ref().unwrap_or(&vm.none))?;
    let v = match taipan_vm::types::builtin::int_data(&v) {
        Some(taipan_vm::types::builtin::IntData::Small(v)) if *v >= 0 => *v as u64,
        Some(taipan_vm::types::builtin::IntData::Big(b)) => {
            u64::try_from(b).map_err(|_| vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C unsigned long"))?
        }
        _ => return Err(vm.new_error(&vm.types.overflow_error, "can't convert negative int to unsigned")),
    };
    err(vm, vm.allow_threads(move || sys::write(fd, &v.to_ne_bytes())))?;
    Ok(vm.none.clone())
}

fn memfd_create(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "memfd_create", names: &["name", "flags"], posonly: 0, kwonly: 0, required: 1 };
    let [name, flags] = bind::<2>(vm, &P, args, kw)?;
    let name = super::fs_bytes_arg(vm, name.as_ref().unwrap_or(&vm.none))?;
    let name = super::cstring(vm, name)?;
    let flags = match &flags {
        Some(f) => c_int_arg(vm, f)? as u32,
        None => libc::MFD_CLOEXEC,
    };
    Ok(vm.int(err(vm, sys::memfd_create(&name, flags))? as i64))
}

static PATHCONF_NAMES: &[(&str, i32)] = &[
    ("PC_LINK_MAX", libc::_PC_LINK_MAX),
    ("PC_MAX_CANON", libc::_PC_MAX_CANON),
    ("PC_MAX_INPUT", libc::_PC_MAX_INPUT),
    ("PC_NAME_MAX", libc::_PC_NAME_MAX),
    ("PC_PATH_MAX", libc::_PC_PATH_MAX),
    ("PC_PIPE_BUF", libc::_PC_PIPE_BUF),
    ("PC_CHOWN_RESTRICTED", libc::_PC_CHOWN_RESTRICTED),
    ("PC_NO_TRUNC", libc::_PC_NO_TRUNC),
    ("PC_VDISABLE", libc::_PC_VDISABLE),
    ("PC_SYNC_IO", libc::_PC_SYNC_IO),
    ("PC_ASYNC_IO", libc::_PC_ASYNC_IO),
    ("PC_PRIO_IO", libc::_PC_PRIO_IO),
    ("PC_SOCK_MAXBUF", libc::_PC_SOCK_MAXBUF),
    ("PC_FILESIZEBITS", libc::_PC_FILESIZEBITS),
    ("PC_REC_INCR_XFER_SIZE", libc::_PC_REC_INCR_XFER_SIZE),
    ("PC_REC_MAX_XFER_SIZE", libc::_PC_REC_MAX_XFER_SIZE),
    ("PC_REC_MIN_XFER_SIZE", libc::_PC_REC_MIN_XFER_SIZE),
    ("PC_REC_XFER_ALIGN", libc::_PC_REC_XFER_ALIGN),
    ("PC_ALLOC_SIZE_MIN", libc::_PC_ALLOC_SIZE_MIN),
    ("PC_SYMLINK_MAX", libc::_PC_SYMLINK_MAX),
];

fn fpathconf(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "fpathconf", names: &["fd", "name"], posonly: 0, kwonly: 0, required: 2 };
    let [fd, name] = bind::<2>(vm, &P, args, kw)?;
    let fd = fildes_arg(vm, fd.as_ref().unwrap_or(&vm.none))?;
    let name = super::process::conf_name(vm, name.as_ref().unwrap_or(&vm.none), PATHCONF_NAMES)?;
    Ok(vm.int(err(vm, sys::pathconf(Some(fd), c"", name))?))
}

fn pathconf(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "pathconf", names: &["path", "name"], posonly: 0, kwonly: 0, required: 2 };
    let [path, name] = bind::<2>(vm, &P, args, kw)?;
    let p = path_arg(vm, "pathconf", "path", path.as_ref().unwrap_or(&vm.none), true, false)?;
    let name = super::process::conf_name(vm, name.as_ref().unwrap_or(&vm.none), PATHCONF_NAMES)?;
    path_err(vm, sys::pathconf(p.fd, &p.c, name), &p).map(|v| vm.int(v))
}

fn lockf(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd, command, length] = exact::<3>(vm, "lockf", args, kw)?;
    let (fd, command, length) = (fd_arg(vm, &fd)?, c_int_arg(vm, &command)?, int_arg(vm, &length)?);
    err(vm, vm.allow_threads(move || sys::lockf_section(fd, command, length)))?;
    Ok(vm.none.clone())
}

fn pidfd_open(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "pidfd_open", names: &["pid", "flags"], posonly: 0, kwonly: 0, required: 1 };
    let [pid, flags] = bind::<2>(vm, &P, args, kw)?;
    let pid = int_arg(vm, pid.as_ref().unwrap_or(&vm.none))?;
    // `flags` goes through CPython's unsigned-int converter (ints only).
    let flags = match &flags {
        None => 0,
        Some(f) if f.downcast::<taipan_vm::types::builtin::IntData>().is_none() => {
            return Err(vm.type_error("an integer is required"));
        }
        Some(f) => int_arg(vm, f)? as u32,
    };
    Ok(vm.int(err(vm, sys::pidfd_open(pid, flags))? as i64))
}

pub static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("lockf", lockf, "lockf($module, fd, command, length, /)\n--\n\nApply, test or remove a POSIX lock on an open file descriptor."),
    FunctionDef::new("pidfd_open", pidfd_open, "pidfd_open($module, /, pid, flags=0)\n--\n\nReturn a file descriptor referring to the process *pid*."),
    FunctionDef::new("getrandom", getrandom, "getrandom($module, /, size, flags=0)\n--\n\nObtain a series of random bytes."),
    FunctionDef::new("splice", |vm, a, kw| transfer(vm, a, kw, false), "Transfer count bytes from one pipe to a descriptor or vice versa."),
    FunctionDef::new("copy_file_range", |vm, a, kw| transfer(vm, a, kw, true), "Copy count bytes from one file descriptor to another."),
    FunctionDef::new("eventfd", eventfd, "eventfd($module, /, initval, flags=EFD_CLOEXEC)\n--\n\nCreates and returns an event notification file descriptor."),
    FunctionDef::new("eventfd_read", eventfd_read, "eventfd_read($module, /, fd)\n--\n\nRead eventfd value"),
    FunctionDef::new("eventfd_write", eventfd_write, "eventfd_write($module, /, fd, value)\n--\n\nWrite eventfd value."),
    FunctionDef::new("memfd_create", memfd_create, "memfd_create($module, /, name, flags=MFD_CLOEXEC)\n--\n\n"),
    FunctionDef::new("fpathconf", fpathconf, "fpathconf($module, fd, name, /)\n--\n\nReturn the configuration limit name for the file descriptor fd."),
    FunctionDef::new("pathconf", pathconf, "pathconf($module, /, path, name)\n--\n\nReturn the configuration limit name for the file or directory path."),
    FunctionDef::new("pread", pread, "pread($module, fd, length, offset, /)\n--\n\nRead a number of bytes from a file descriptor starting at a particular offset."),
    FunctionDef::new("pwrite", pwrite, "pwrite($module, fd, buffer, offset, /)\n--\n\nWrite bytes to a file descriptor starting at a particular offset."),
    FunctionDef::new("readv", readv, "readv($module, fd, buffers, /)\n--\n\nRead from a file descriptor fd into an iterable of buffers."),
    FunctionDef::new("writev", writev, "writev($module, fd, buffers, /)\n--\n\nIterate over buffers, and write the contents of each to a file descriptor."),
    FunctionDef::new("preadv", preadv, "preadv($module, fd, buffers, offset, flags=0, /)\n--\n\nReads from a file descriptor into a number of mutable bytes-like objects."),
    FunctionDef::new("pwritev", pwritev, "pwritev($module, fd, buffers, offset, flags=0, /)\n--\n\nWrites the contents of bytes-like objects to a file descriptor at a given offset."),
    FunctionDef::new("posix_fallocate", posix_fallocate, "posix_fallocate($module, fd, offset, length, /)\n--\n\nEnsure a file has allocated at least a particular number of bytes on disk."),
    FunctionDef::new("posix_fadvise", posix_fadvise, "posix_fadvise($module, fd, offset, length, advice, /)\n--\n\nAnnounce an intention to access data in a specific pattern."),
    FunctionDef::new("open", open, "open($module, /, path, flags, mode=511, *, dir_fd=None)\n--\n\nOpen a file for low level IO.  Returns a file descriptor (integer)."),
    FunctionDef::new("close", close, "close($module, /, fd)\n--\n\nClose a file descriptor."),
    FunctionDef::new("closerange", closerange, "closerange($module, fd_low, fd_high, /)\n--\n\nCloses all file descriptors in [fd_low, fd_high), ignoring errors."),
    FunctionDef::new("read", read, "read($module, fd, length, /)\n--\n\nRead from a file descriptor.  Returns a bytes object."),
    FunctionDef::new("write", write, "write($module, fd, data, /)\n--\n\nWrite a bytes object to a file descriptor."),
    FunctionDef::new("sendfile", sendfile, "sendfile($module, /, out_fd, in_fd, offset, count)\n--\n\nCopy count bytes from file descriptor in_fd to file descriptor out_fd."),
    FunctionDef::new("lseek", lseek, "lseek($module, fd, position, whence, /)\n--\n\nSet the position of a file descriptor.  Return the new position."),
    FunctionDef::new("pipe", pipe, "pipe($module, /)\n--\n\nCreate a pipe."),
    FunctionDef::new("pipe2", pipe2, "pipe2($module, flags, /)\n--\n\nCreate a pipe with flags set atomically."),
    FunctionDef::new("dup", dup, "dup($module, fd, /)\n--\n\nReturn a duplicate of a file descriptor."),
    FunctionDef::new("dup2", dup2, "dup2($module, /, fd, fd2, inheritable=True)\n--\n\nDuplicate file descriptor."),
    FunctionDef::new("isatty", isatty, "isatty($module, fd, /)\n--\n\nReturn True if the fd is connected to a terminal."),
    FunctionDef::new("ftruncate", ftruncate, "ftruncate($module, fd, length, /)\n--\n\nTruncate a file, specified by file descriptor, to a specific length."),
    FunctionDef::new("fsync", fsync, "fsync($module, /, fd)\n--\n\nForce write of fd to disk."),
    FunctionDef::new("fdatasync", fdatasync, "fdatasync($module, /, fd)\n--\n\nForce write of fd to disk without forcing update of metadata."),
    FunctionDef::new("get_inheritable", get_inheritable, "get_inheritable($module, fd, /)\n--\n\nGet the close-on-exe flag of the specified file descriptor."),
    FunctionDef::new("set_inheritable", set_inheritable, "set_inheritable($module, fd, inheritable, /)\n--\n\nSet the inheritable flag of the specified file descriptor."),
    FunctionDef::new("get_blocking", get_blocking, "get_blocking($module, fd, /)\n--\n\nGet the blocking mode of the file descriptor."),
    FunctionDef::new("set_blocking", set_blocking, "set_blocking($module, fd, blocking, /)\n--\n\nSet the blocking mode of the specified file descriptor."),
    FunctionDef::new("device_encoding", device_encoding, "device_encoding($module, /, fd)\n--\n\nReturn a string describing the encoding of a terminal's file descriptor."),
    FunctionDef::new("get_terminal_size", get_terminal_size, "get_terminal_size($module, fd=<unrepresentable>, /)\n--\n\nReturn the size of the terminal window as (columns, lines)."),
    FunctionDef::new("openpty", openpty, "openpty($module, /)\n--\n\nOpen a pseudo-terminal."),
    FunctionDef::new("login_tty", login_tty, "login_tty($module, fd, /)\n--\n\nPrepare the tty of which fd is a file descriptor for a new login session."),
    FunctionDef::new("ttyname", ttyname, "ttyname($module, fd, /)\n--\n\nReturn the name of the terminal device connected to 'fd'."),
    FunctionDef::new("tcgetpgrp", tcgetpgrp, "tcgetpgrp($module, fd, /)\n--\n\nReturn the process group associated with the terminal specified by fd."),
    FunctionDef::new("tcsetpgrp", tcsetpgrp, "tcsetpgrp($module, fd, pgid, /)\n--\n\nSet the process group associated with the terminal specified by fd."),
];

static CONSTANTS: &[(&str, i64)] = &[
    ("O_RDONLY", libc::O_RDONLY as i64),
    ("O_WRONLY", libc::O_WRONLY as i64),
    ("O_RDWR", libc::O_RDWR as i64),
    ("O_APPEND", libc::O_APPEND as i64),
    ("O_CREAT", libc::O_CREAT as i64),
    ("O_EXCL", libc::O_EXCL as i64),
    ("O_TRUNC", libc::O_TRUNC as i64),
    ("O_NONBLOCK", libc::O_NONBLOCK as i64),
    ("O_NDELAY", libc::O_NDELAY as i64),
    ("O_SYNC", libc::O_SYNC as i64),
    ("O_DSYNC", libc::O_DSYNC as i64),
    ("O_RSYNC", libc::O_RSYNC as i64),
    ("O_FSYNC", libc::O_FSYNC as i64),
    ("O_NOCTTY", libc::O_NOCTTY as i64),
    ("O_CLOEXEC", libc::O_CLOEXEC as i64),
    ("RWF_HIPRI", libc::RWF_HIPRI as i64),
    ("GRND_NONBLOCK", libc::GRND_NONBLOCK as i64),
    ("GRND_RANDOM", libc::GRND_RANDOM as i64),
    ("SPLICE_F_MOVE", libc::SPLICE_F_MOVE as i64),
    ("SPLICE_F_NONBLOCK", libc::SPLICE_F_NONBLOCK as i64),
    ("SPLICE_F_MORE", libc::SPLICE_F_MORE as i64),
    ("EFD_CLOEXEC", libc::EFD_CLOEXEC as i64),
    ("EFD_NONBLOCK", libc::EFD_NONBLOCK as i64),
    ("EFD_SEMAPHORE", libc::EFD_SEMAPHORE as i64),
    ("MFD_CLOEXEC", libc::MFD_CLOEXEC as i64),
    ("MFD_ALLOW_SEALING", libc::MFD_ALLOW_SEALING as i64),
    ("MFD_HUGETLB", libc::MFD_HUGETLB as i64),
    ("RWF_NOWAIT", libc::RWF_NOWAIT as i64),
    ("RWF_DSYNC", libc::RWF_DSYNC as i64),
    ("RWF_SYNC", libc::RWF_SYNC as i64),
    ("RWF_APPEND", libc::RWF_APPEND as i64),
    ("POSIX_FADV_NORMAL", libc::POSIX_FADV_NORMAL as i64),
    ("POSIX_FADV_RANDOM", libc::POSIX_FADV_RANDOM as i64),
    ("POSIX_FADV_SEQUENTIAL", libc::POSIX_FADV_SEQUENTIAL as i64),
    ("POSIX_FADV_WILLNEED", libc::POSIX_FADV_WILLNEED as i64),
    ("POSIX_FADV_DONTNEED", libc::POSIX_FADV_DONTNEED as i64),
    ("POSIX_FADV_NOREUSE", libc::POSIX_FADV_NOREUSE as i64),
    ("O_DIRECTORY", libc::O_DIRECTORY as i64),
    ("O_NOFOLLOW", libc::O_NOFOLLOW as i64),
    ("O_NOATIME", libc::O_NOATIME as i64),
    ("O_PATH", libc::O_PATH as i64),
    ("O_TMPFILE", libc::O_TMPFILE as i64),
    ("O_ACCMODE", libc::O_ACCMODE as i64),
    ("O_ASYNC", libc::O_ASYNC as i64),
    ("O_DIRECT", libc::O_DIRECT as i64),
    ("O_LARGEFILE", libc::O_LARGEFILE as i64),
    ("SEEK_SET", libc::SEEK_SET as i64),
    ("SEEK_CUR", libc::SEEK_CUR as i64),
    ("SEEK_END", libc::SEEK_END as i64),
    ("SEEK_DATA", libc::SEEK_DATA as i64),
    ("SEEK_HOLE", libc::SEEK_HOLE as i64),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    modules::add_attr(vm, m, "terminal_size", terminal_size_type(vm))?;
    modules::add_attr(vm, m, "pathconf_names", super::process::names_dict(vm, PATHCONF_NAMES)?)?;
    for &(name, v) in CONSTANTS {
        modules::add_attr(vm, m, name, vm.int(v))?;
    }
    Ok(())
}
