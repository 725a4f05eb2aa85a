//! `_io.FileIO`: unbuffered binary I/O on a file descriptor.

use std::cell::Cell;

use taipan_vm::native::{bind, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{self, new_bytes, new_str, type_name, BytesData, StrData};
use taipan_vm::types::{Kwargs, Slots};
use taipan_vm::{PyResult, Vm};

use super::{closed_error, int_arg, os_error, size_arg, sys, truth, unsupported};
use taipan_vm::signals::retry_eintr;

pub struct FileIOData {
    pub fd: Cell<i32>,
    readable: Cell<bool>,
    writable: Cell<bool>,
    appending: Cell<bool>,
    created: Cell<bool>,
    closefd: Cell<bool>,
    /// -1 unknown, 0 no, 1 yes.
    seekable: Cell<i8>,
    pub blksize: Cell<i64>,
}

impl Default for FileIOData {
    fn default() -> Self {
        FileIOData {
            fd: Cell::new(-1),
            readable: Cell::new(false),
            writable: Cell::new(false),
            appending: Cell::new(false),
            created: Cell::new(false),
            closefd: Cell::new(true),
            seekable: Cell::new(-1),
            blksize: Cell::new(super::DEFAULT_BUFFER_SIZE as i64),
        }
    }
}

pub(crate) fn fileio_type(vm: &Vm) -> Obj {
    vm.native_type("_io.FileIO", |vm| {
        let base = super::rawiobase_type(vm);
        let slots = Slots {
            new: Some(|_vm, cls, _a, _k| Ok(alloc(cls.clone(), FileIOData::default()))),
            init: Some(fileio_init),
            repr: Some(fileio_repr),
            finalize: Some(super::iobase::iobase_finalize),
            ..Slots::default()
        };
        taipan_vm::native::new_type_with_dict::<FileIOData>(vm, "_io.FileIO", &[&base], slots, METHODS, GETSETS)
    })
}

fn data<'a>(vm: &Vm, this: &'a Obj) -> PyResult<&'a FileIOData> {
    this.downcast::<FileIOData>().ok_or_else(|| vm.type_error("FileIO method called on another object"))
}

/// The open descriptor, or `ValueError` when closed.
fn fd<'a>(vm: &Vm, this: &'a Obj) -> PyResult<(i32, &'a FileIOData)> {
    let _ = vm;
    let d = data(vm, this)?;
    let fd = d.fd.get();
    if fd < 0 {
        return Err(closed_error(vm, false));
    }
    Ok((fd, d))
}

static INIT_PARAMS: Params = Params { fname: "FileIO", names: &["file", "mode", "closefd", "opener"], posonly: 0, kwonly: 0, required: 1 };

fn fileio_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [file, mode, closefd, opener] = bind::<4>(vm, &INIT_PARAMS, args, kw)?;
    let d = data(vm, this)?;
    if d.fd.get() >= 0 {
        if d.closefd.get() {
            let _ = sys::close(d.fd.get());
        }
        d.fd.set(-1);
    }
    let file = file.unwrap_or_else(|| vm.none.clone());
    let mode = match &mode {
        Some(m) => match m.downcast::<StrData>() {
            Some(s) => s.as_str().into_owned(),
            None => return Err(vm.type_error(format!("FileIO() argument 'mode' must be str, not {}", type_name(m)))),
        },
        None => "r".to_string(),
    };
    let closefd = match &closefd {
        Some(c) => truth(vm, c)?,
        None => true,
    };
    let opener = opener.filter(|o| !o.is(&vm.none));
    // The descriptor, or the path.
    let mut fdnum = -1i32;
    let mut path: Option<Vec<u8>> = None;
    if file.downcast::<builtin::IntData>().is_some() {
        let n = int_arg(vm, &file)?;
        if n < 0 {
            return Err(vm.new_error(&vm.types.value_error, "negative file descriptor"));
        }
        fdnum = n.min(i32::MAX as i64) as i32;
    } else {
        let p = fspath(vm, &file)?;
        if p.contains(&0) {
            return Err(vm.new_error(&vm.types.value_error, "embedded null byte"));
        }
        path = Some(p);
    }
    let (mut rwa, mut plus) = (false, false);
    let (mut readable, mut writable, mut created, mut appending) = (false, false, false, false);
    let mut flags = 0;
    let bad_mode = || vm.new_error(&vm.types.value_error, "Must have exactly one of create/read/write/append mode and at most one plus");
    for c in mode.chars() {
        match c {
            'x' | 'r' | 'w' | 'a' => {
                if rwa {
                    return Err(bad_mode());
                }
                rwa = true;
                match c {
                    'x' => {
                        created = true;
                        writable = true;
                        flags |= libc::O_EXCL | libc::O_CREAT;
                    }
                    'r' => readable = true,
                    'w' => {
                        writable = true;
                        flags |= libc::O_CREAT | libc::O_TRUNC;
                    }
                    _ => {
                        writable = true;
                        appending = true;
                        flags |= libc::O_APPEND | libc::O_CREAT;
                    }
                }
            }
            'b' => {}
            '+' => {
                if plus {
                    return Err(bad_mode());
                }
                readable = true;
                writable = true;
                plus = true;
            }
            _ => return Err(vm.new_error(&vm.types.value_error, format!("invalid mode: {mode}"))),
        }
    }
    if !rwa {
        return Err(bad_mode());
    }
    flags |= if readable && writable {
        libc::O_RDWR
    } else if readable {
        libc::O_RDONLY
    } else {
        libc::O_WRONLY
    };
    let mut own = closefd;
    if let Some(p) = &path {
        if !closefd {
            return Err(vm.new_error(&vm.types.value_error, "Cannot use closefd=False with file name"));
        }
        match &opener {
            None => match retry_eintr(vm, || sys::open(p, flags))? {
                Ok(n) => fdnum = n,
                Err(e) => return Err(os_error(vm, e, Some(&file))),
            },
            Some(op) => {
                let r = taipan_vm::classes::call_object(vm, op, &[file.clone(), vm.int((flags | libc::O_CLOEXEC) as i64)])?;
                if r.downcast::<builtin::IntData>().is_none() {
                    return Err(vm.type_error("expected integer from opener"));
                }
                let n = int_arg(vm, &r)?;
                if n < 0 {
                    return Err(vm.new_error(&vm.types.value_error, format!("opener returned {n}")));
                }
                fdnum = n as i32;
            }
        }
        own = true;
    }
    d.closefd.set(own);
    d.readable.set(readable);
    d.writable.set(writable);
    d.created.set(created);
    d.appending.set(appending);
    d.seekable.set(-1);
    match sys::fstat(fdnum) {
        Ok(st) => {
            if st.is_dir {
                if path.is_some() {
                    let _ = sys::close(fdnum);
                }
                return Err(os_error(vm, std::io::Error::from_raw_os_error(libc::EISDIR), Some(&file)));
            }
            d.blksize.set(if st.blksize > 1 { st.blksize } else { super::DEFAULT_BUFFER_SIZE as i64 });
        }
        Err(e) => {
            if e.raw_os_error() == Some(libc::EBADF) {
                return Err(os_error(vm, e, None));
            }
        }
    }
    d.fd.set(fdnum);
    if let Err(e) = taipan_vm::classes::setattr(vm, this, &vm.intern("name"), file.clone()) {
        // A descriptor the caller passed stays open; one opened here is
        // closed (CPython's `fd_is_own`).
        d.fd.set(-1);
        if path.is_some() {
            let _ = sys::close(fdnum);
        }
        return Err(e);
    }
    if appending {
        let _ = sys::lseek(fdnum, 0, libc::SEEK_END);
    }
    Ok(vm.none.clone())
}

/// `os.fspath(file)` as bytes: str (UTF-8, surrogateescape'd bytes kept),
/// bytes, or an object with `__fspath__`.
pub(crate) fn fspath(vm: &Vm, file: &Obj) -> PyResult<Vec<u8>> {
    if let Some(s) = file.downcast::<StrData>() {
        return taipan_vm::codecs::encode(vm, &s.value, "utf-8", "surrogateescape");
    }
    if let Some(b) = builtin::bytes_data(file) {
        return Ok(b.to_vec());
    }
    let ty = taipan_vm::types::type_of(file);
    if let Some(f) = taipan_vm::classes::getattr_opt(vm, &ty, &vm.intern("__fspath__"))? {
        let r = taipan_vm::classes::call_object(vm, &f, std::slice::from_ref(file))?;
        if r.downcast::<StrData>().is_some() || r.downcast::<BytesData>().is_some() {
            return fspath(vm, &r);
        }
        return Err(vm.type_error(format!("expected {}.__fspath__() to return str or bytes, not {}", type_name(file), type_name(&r))));
    }
    Err(vm.type_error(format!("expected str, bytes or os.PathLike object, not {}", type_name(file))))
}

fn mode_string(d: &FileIOData) -> &'static str {
    if d.created.get() {
        if d.readable.get() {
            "xb+"
        } else {
            "xb"
        }
    } else if d.appending.get() {
        if d.readable.get() {
            "ab+"
        } else {
            "ab"
        }
    } else if d.readable.get() {
        if d.writable.get() {
            "rb+"
        } else {
            "rb"
        }
    } else {
        "wb"
    }
}

fn fileio_repr(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    let d = data(vm, this)?;
    let tn = taipan_vm::types::type_data(&taipan_vm::types::type_of(this)).name.to_string();
    let tn = if tn == "FileIO" { "_io.FileIO".to_string() } else { tn };
    if d.fd.get() < 0 {
        return Ok(new_str(vm, &format!("<{tn} [closed]>")));
    }
    let closefd = if d.closefd.get() { "True" } else { "False" };
    let name = taipan_vm::classes::getattr_opt(vm, this, &vm.intern("name"))?;
    let text = match name {
        Some(n) => format!("<{tn} name={} mode='{}' closefd={closefd}>", builtin::repr_string(vm, &n)?, mode_string(d)),
        None => format!("<{tn} fd={} mode='{}' closefd={closefd}>", d.fd.get(), mode_string(d)),
    };
    Ok(new_str(vm, &text))
}

fn would_block(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(libc::EAGAIN)
}

fn m_read(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [size] = taipan_vm::native::at_most::<1>(vm, "read", 0, args, kw)?;
    let (fd, d) = fd(vm, this)?;
    if !d.readable.get() {
        return Err(unsupported(vm, "File not open for reading"));
    }
    let n = size_arg(vm, size)?;
    if n < 0 {
        return readall(vm, fd);
    }
    let mut buf = vec![0u8; n as usize];
    match retry_eintr(vm, || sys::read(fd, &mut buf))? {
        Ok(got) => {
            buf.truncate(got);
            Ok(new_bytes(vm, buf))
        }
        Err(e) if would_block(&e) => Ok(vm.none.clone()),
        Err(e) => Err(os_error(vm, e, None)),
    }
}

fn readall(vm: &Vm, fd: i32) -> PyResult<Obj> {
    let mut out = Vec::new();
    let hint = sys::fstat(fd).ok().map(|s| s.size).unwrap_or(0);
    let pos = sys::lseek(fd, 0, libc::SEEK_CUR).unwrap_or(0);
    let mut chunk = if hint > pos { (hint - pos + 1) as usize } else { super::DEFAULT_BUFFER_SIZE };
    loop {
        let start = out.len();
        out.resize(start + chunk, 0);
        match retry_eintr(vm, || sys::read(fd, &mut out[start..]))? {
            Ok(0) => {
                out.truncate(start);
                break;
            }
            Ok(n) => out.truncate(start + n),
            Err(e) if would_block(&e) => {
                out.truncate(start);
                if out.is_empty() {
                    return Ok(vm.none.clone());
                }
                break;
            }
            Err(e) => return Err(os_error(vm, e, None)),
        }
        chunk = chunk.clamp(super::DEFAULT_BUFFER_SIZE, 1 << 24);
    }
    Ok(new_bytes(vm, out))
}

fn m_readall(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "readall", args, kw)?;
    let (fd, d) = fd(vm, this)?;
    if !d.readable.get() {
        return Err(unsupported(vm, "File not open for reading"));
    }
    readall(vm, fd)
}

fn m_readinto(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [b] = taipan_vm::native::exact::<1>(vm, "readinto", args, kw)?;
    let (fd, d) = fd(vm, this)?;
    if !d.readable.get() {
        return Err(unsupported(vm, "File not open for reading"));
    }
    let n = super::writable_len(vm, &b)?;
    let mut buf = vec![0u8; n];
    match retry_eintr(vm, || sys::read(fd, &mut buf))? {
        Ok(got) => {
            super::write_into(vm, &b, &buf[..got])?;
            Ok(vm.int(got as i64))
        }
        Err(e) if would_block(&e) => Ok(vm.none.clone()),
        Err(e) => Err(os_error(vm, e, None)),
    }
}

fn m_write(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [b] = taipan_vm::native::exact::<1>(vm, "write", args, kw)?;
    let (fd, d) = fd(vm, this)?;
    if !d.writable.get() {
        return Err(unsupported(vm, "File not open for writing"));
    }
    let Some(data) = builtin::as_buffer(&b) else {
        return Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(&b))));
    };
    match retry_eintr(vm, || sys::write(fd, &data))? {
        Ok(n) => Ok(vm.int(n as i64)),
        Err(e) if would_block(&e) => Ok(vm.none.clone()),
        Err(e) => Err(os_error(vm, e, None)),
    }
}

fn m_seek(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [pos, whence] = taipan_vm::native::at_most::<2>(vm, "seek", 1, args, kw)?;
    let (fd, _) = fd(vm, this)?;
    let pos = pos.unwrap_or_else(|| vm.none.clone());
    if pos.downcast::<f64>().is_some() {
        return Err(vm.type_error("an integer is required"));
    }
    let pos = int_arg(vm, &pos)?;
    let whence = match whence {
        Some(w) => int_arg(vm, &w)?,
        None => 0,
    };
    match sys::lseek(fd, pos, whence as i32) {
        Ok(p) => Ok(vm.int(p)),
        Err(e) => Err(os_error(vm, e, None)),
    }
}

fn m_tell(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "tell", args, kw)?;
    let (fd, _) = fd(vm, this)?;
    match sys::lseek(fd, 0, libc::SEEK_CUR) {
        Ok(p) => Ok(vm.int(p)),
        Err(e) => Err(os_error(vm, e, None)),
    }
}

fn m_truncate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [size] = taipan_vm::native::at_most::<1>(vm, "truncate", 0, args, kw)?;
    let (fd, d) = fd(vm, this)?;
    if !d.writable.get() {
        return Err(unsupported(vm, "File not open for writing"));
    }
    let size = match size.filter(|s| !s.is(&vm.none)) {
        Some(s) => int_arg(vm, &s)?,
        None => sys::lseek(fd, 0, libc::SEEK_CUR).map_err(|e| os_error(vm, e, None))?,
    };
    sys::ftruncate(fd, size).map_err(|e| os_error(vm, e, None))?;
    Ok(vm.int(size))
}

fn m_close(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "close", args, kw)?;
    let d = data(vm, this)?;
    if d.fd.get() >= 0 && super::iobase::finalizing(vm, this) {
        dealloc_warn(vm, this, this);
    }
    // `_RawIOBase.close(self)`: flush, mark closed.
    let r = super::iobase::m_close(vm, this, &[], &[]);
    let fd = d.fd.replace(-1);
    if fd >= 0 && d.closefd.get() {
        if let Err(e) = sys::close(fd) {
            r?;
            return Err(os_error(vm, e, None));
        }
    }
    r
}

fn m_seekable(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "seekable", args, kw)?;
    let (fd, d) = fd(vm, this)?;
    if d.seekable.get() < 0 {
        d.seekable.set(sys::lseek(fd, 0, libc::SEEK_CUR).is_ok() as i8);
    }
    Ok(vm.bool(d.seekable.get() == 1))
}

fn m_readable(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "readable", args, kw)?;
    let (_, d) = fd(vm, this)?;
    Ok(vm.bool(d.readable.get()))
}

fn m_writable(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "writable", args, kw)?;
    let (_, d) = fd(vm, this)?;
    Ok(vm.bool(d.writable.get()))
}

fn m_fileno(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "fileno", args, kw)?;
    let (fd, _) = fd(vm, this)?;
    Ok(vm.int(fd as i64))
}

fn m_isatty(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "isatty", args, kw)?;
    let (fd, _) = fd(vm, this)?;
    Ok(vm.bool(sys::isatty(fd)))
}

fn m_getstate(vm: &Vm, this: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    Err(vm.type_error(format!("cannot pickle '{}' object", type_name(this))))
}

/// `_dealloc_warn(source)`: the "unclosed file" ResourceWarning of a file
/// that owns its descriptor and is freed open; a warning turned into an
/// error is reported as unraisable.
fn m_dealloc_warn(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [source] = taipan_vm::native::exact::<1>(vm, "_dealloc_warn", args, kw)?;
    dealloc_warn(vm, this, &source);
    Ok(vm.none.clone())
}

fn dealloc_warn(vm: &Vm, this: &Obj, source: &Obj) {
    let Some(d) = this.downcast::<FileIOData>() else { return };
    if d.fd.get() < 0 || !d.closefd.get() {
        return;
    }
    let msg = match builtin::repr_string(vm, source) {
        Ok(r) => format!("unclosed file {r}"),
        Err(_) => return,
    };
    if let Err(e) = taipan_vm::warnings::warn_builtin_source(vm, "ResourceWarning", &msg, 1, source) {
        taipan_vm::gc::report_unraisable(vm, e, Some(this));
    }
}

static METHODS: &[MethodDef] = &[
    MethodDef::method("read", m_read, "Read at most size bytes, returned as bytes."),
    MethodDef::method("readall", m_readall, "Read all data from the file, returned as bytes."),
    MethodDef::method("readinto", m_readinto, "Same as RawIOBase.readinto()."),
    MethodDef::method("write", m_write, "Write buffer b to file, return number of bytes written."),
    MethodDef::method("seek", m_seek, "Move to new file position and return the file position."),
    MethodDef::method("tell", m_tell, "Current file position."),
    MethodDef::method("truncate", m_truncate, "Truncate the file to at most size bytes and return the truncated size."),
    MethodDef::method("close", m_close, "Close the file."),
    MethodDef::method("seekable", m_seekable, "True if file supports random-access."),
    MethodDef::method("readable", m_readable, "True if file was opened in a read mode."),
    MethodDef::method("writable", m_writable, "True if file was opened in a write mode."),
    MethodDef::method("fileno", m_fileno, "Return the underlying file descriptor (an integer)."),
    MethodDef::method("isatty", m_isatty, "True if the file is connected to a TTY device."),
    MethodDef::method("_dealloc_warn", m_dealloc_warn, ""),
    MethodDef::method("__getstate__", m_getstate, ""),
];

fn g_closed(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(vm.bool(data(vm, this)?.fd.get() < 0))
}
fn g_closefd(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(vm.bool(data(vm, this)?.closefd.get()))
}
fn g_mode(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(new_str(vm, mode_string(data(vm, this)?)))
}
fn g_blksize(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(vm.int(data(vm, this)?.blksize.get()))
}

static GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("closed", g_closed, "True if the file is closed"),
    GetSetDef::readonly("closefd", g_closefd, "True if the file descriptor will be closed by close()."),
    GetSetDef::readonly("mode", g_mode, "String giving the file mode"),
    GetSetDef::readonly("_blksize", g_blksize, ""),
];
