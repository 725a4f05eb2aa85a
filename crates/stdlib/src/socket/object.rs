//! The `_socket.socket` type. A socket owns its descriptor (closed when
//! the object is freed, unless `detach`ed) and keeps CPython's timeout
//! model: `None` is a blocking descriptor; a number puts the descriptor in
//! non-blocking mode, and each call first waits with `poll` for at most
//! that long (`0` never waits: `BlockingIOError`). Calls that may block run
//! without the GIL; `EINTR` runs the signal handlers, then retries.

use std::cell::Cell;
use std::time::{Duration, Instant};

use taipan_vm::native::{at_most, bind, exact, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{int_data, new_bytes, new_str, new_tuple, type_name, IntData};
use taipan_vm::types::bytes::{as_buffer, buf_arg, writable_buffer_len, write_buffer};
use taipan_vm::types::{Kwargs, Slots};
use taipan_vm::{PyResult, Vm};

use super::sys::{self, SockAddr, SysResult};
use super::{c_int, default_timeout, os_err, os_msg, sockaddr_arg, sockaddr_obj, timed_out, timeout_arg, timeout_obj};

/// A socket's state. `fd` is -1 once closed or detached.
pub struct SocketData {
    fd: Cell<i32>,
    family: Cell<i32>,
    ty: Cell<i32>,
    proto: Cell<i32>,
    /// `None`: blocking; `Some(secs)`: non-blocking descriptor, waiting
    /// up to `secs` for readiness.
    timeout: Cell<Option<f64>>,
}

impl Default for SocketData {
    fn default() -> SocketData {
        SocketData {
            fd: Cell::new(-1),
            family: Cell::new(libc::AF_INET),
            ty: Cell::new(libc::SOCK_STREAM),
            proto: Cell::new(0),
            timeout: Cell::new(None),
        }
    }
}

impl Drop for SocketData {
    fn drop(&mut self) {
        let fd = self.fd.replace(-1);
        if fd >= 0 {
            let _ = sys::close(fd);
        }
    }
}

static METHODS: &[MethodDef] = &[
    MethodDef::method("_accept", m_accept, "_accept() -> (integer, address info)"),
    MethodDef::method("bind", m_bind, "bind(address)"),
    MethodDef::method("close", m_close, "close()"),
    MethodDef::method("connect", m_connect, "connect(address)"),
    MethodDef::method("connect_ex", m_connect_ex, "connect_ex(address) -> errno"),
    MethodDef::method("detach", m_detach, "detach()"),
    MethodDef::method("dup", m_dup, "dup() -> socket object"),
    MethodDef::method("fileno", m_fileno, "fileno() -> integer"),
    MethodDef::method("getblocking", m_getblocking, "getblocking()"),
    MethodDef::method("getpeername", m_getpeername, "getpeername() -> address info"),
    MethodDef::method("getsockname", m_getsockname, "getsockname() -> address info"),
    MethodDef::method("getsockopt", m_getsockopt, "getsockopt(level, option[, buffersize]) -> value"),
    MethodDef::method("gettimeout", m_gettimeout, "gettimeout() -> timeout"),
    MethodDef::method("listen", m_listen, "listen([backlog])"),
    MethodDef::method("recv", m_recv, "recv(buffersize[, flags]) -> data"),
    MethodDef::method("recv_into", m_recv_into, "recv_into(buffer, [nbytes[, flags]]) -> nbytes_read"),
    MethodDef::method("recvfrom", m_recvfrom, "recvfrom(buffersize[, flags]) -> (data, address info)"),
    MethodDef::method("recvmsg", m_recvmsg, "recvmsg(bufsize[, ancbufsize[, flags]]) -> (data, ancdata, msg_flags, address)"),
    MethodDef::method(
        "recvmsg_into",
        m_recvmsg_into,
        "recvmsg_into(buffers[, ancbufsize[, flags]]) -> (nbytes, ancdata, msg_flags, address)",
    ),
    MethodDef::method("recvfrom_into", m_recvfrom_into, "recvfrom_into(buffer[, nbytes[, flags]]) -> (nbytes, address info)"),
    MethodDef::method("send", m_send, "send(data[, flags]) -> count"),
    MethodDef::method("sendall", m_sendall, "sendall(data[, flags])"),
    MethodDef::method("sendmsg", m_sendmsg, "sendmsg(buffers[, ancdata[, flags[, address]]]) -> count"),
    MethodDef::method("sendto", m_sendto, "sendto(data[, flags], address) -> count"),
    MethodDef::method("setblocking", m_setblocking, "setblocking(flag)"),
    MethodDef::method("setsockopt", m_setsockopt, "setsockopt(level, option, value: int)"),
    MethodDef::method("settimeout", m_settimeout, "settimeout(timeout)"),
    MethodDef::method("shutdown", m_shutdown, "shutdown(flag)"),
];

static GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("family", |vm, o| Ok(vm.int(data(vm, o)?.family.get() as i64)), "the socket family"),
    GetSetDef::readonly("type", |vm, o| Ok(vm.int(data(vm, o)?.ty.get() as i64)), "the socket type"),
    GetSetDef::readonly("proto", |vm, o| Ok(vm.int(data(vm, o)?.proto.get() as i64)), "the socket protocol"),
    GetSetDef::readonly("timeout", |vm, o| Ok(timeout_obj(vm, data(vm, o)?.timeout.get())), "the socket timeout"),
];

/// `_socket.socket`, made once per interpreter.
pub fn socket_type(vm: &Vm) -> Obj {
    vm.native_type("_socket.socket", |vm| {
        let slots = Slots {
            new: Some(|_vm, cls, _a, _k| Ok(alloc(cls.clone(), SocketData::default()))),
            init: Some(socket_init),
            repr: Some(socket_repr),
            ..Slots::default()
        };
        taipan_vm::native::new_type::<SocketData>(vm, "_socket.socket", &[], false, slots, METHODS, GETSETS)
    })
}

fn data<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a SocketData> {
    o.downcast::<SocketData>()
        .ok_or_else(|| vm.type_error(format!("descriptor requires a '_socket.socket' object but received a '{}'", type_name(o))))
}

/// Sets the descriptor's mode and timeout of a new socket object
/// (CPython's `init_sockobject`).
fn setup(vm: &Vm, d: &SocketData, fd: i32, family: i32, ty: i32, proto: i32) -> PyResult<()> {
    d.fd.set(fd);
    d.family.set(family);
    d.ty.set(ty & !(libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC));
    d.proto.set(proto);
    if ty & libc::SOCK_NONBLOCK != 0 {
        d.timeout.set(Some(0.0));
    } else {
        let t = default_timeout(vm);
        d.timeout.set(t);
        if t.is_some() {
            sys::set_nonblocking(fd, true).map_err(|e| os_err(vm, e))?;
        }
    }
    Ok(())
}

/// A `_socket.socket` for a descriptor just created (`socketpair`).
pub fn new_socket(vm: &Vm, fd: i32, family: i32, ty: i32, proto: i32) -> PyResult<Obj> {
    let o = alloc(socket_type(vm), SocketData::default());
    let d = data(vm, &o)?;
    setup(vm, d, fd, family, ty, proto)?;
    Ok(o)
}

fn socket_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "socket", names: &["family", "type", "proto", "fileno"], posonly: 0, kwonly: 0, required: 0 };
    let [family, ty, proto, fileno] = bind::<4>(vm, &P, args, kw)?;
    let d = data(vm, this)?;
    let int_or = |o: Option<Obj>| -> PyResult<i32> { o.map(|o| c_int(vm, &o)).transpose().map(|v| v.unwrap_or(-1)) };
    let (mut family, mut ty, mut proto) = (int_or(family)?, int_or(ty)?, int_or(proto)?);
    let fd = match fileno.filter(|f| !f.is(&vm.none)) {
        Some(f) => {
            if f.downcast::<f64>().is_some() {
                return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
            }
            let fd = super::long_arg(vm, &f)?;
            if fd < 0 {
                return Err(vm.new_error(&vm.types.value_error, "negative file descriptor"));
            }
            let fd = i32::try_from(fd).map_err(|_| vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int"))?;
            if family == -1 {
                family = match sys::getsockname(fd).map_err(|e| os_err(vm, e))? {
                    SockAddr::V4 { .. } => libc::AF_INET,
                    SockAddr::V6 { .. } => libc::AF_INET6,
                    SockAddr::Unix(_) => libc::AF_UNIX,
                    SockAddr::Other(f, _) => f,
                };
            }
            if ty == -1 {
                ty = sys::getsockopt_int(fd, libc::SOL_SOCKET, libc::SO_TYPE).map_err(|e| os_err(vm, e))?;
            }
            if proto == -1 {
                proto = sys::getsockopt_int(fd, libc::SOL_SOCKET, libc::SO_PROTOCOL).map_err(|e| os_err(vm, e))?;
            }
            fd
        }
        None => {
            if family == -1 {
                family = libc::AF_INET;
            }
            if ty == -1 {
                ty = libc::SOCK_STREAM;
            }
            if proto == -1 {
                proto = 0;
            }
            sys::socket(family, ty, proto).map_err(|e| os_err(vm, e))?
        }
    };
    let old = d.fd.replace(-1);
    if old >= 0 && old != fd {
        let _ = sys::close(old);
    }
    setup(vm, d, fd, family, ty, proto)?;
    Ok(vm.none.clone())
}

fn socket_repr(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    let d = data(vm, this)?;
    Ok(new_str(vm, &format!("<socket object, fd={}, family={}, type={}, proto={}>", d.fd.get(), d.family.get(), d.ty.get(), d.proto.get())))
}

// ------------------------------------------------------------ calling

fn is_retry(e: i32) -> bool {
    e == libc::EAGAIN || e == libc::EWOULDBLOCK
}

/// Runs a socket call (CPython's `sock_call_ex`): with a positive
/// timeout, first waits up to the time left for `event` (`POLLIN` or
/// `POLLOUT`); the call runs without the GIL; `EINTR` runs the signal
/// handlers then retries; `EAGAIN` after a successful wait waits again.
/// With `deadline`, the caller's deadline is used (sendall).
fn sock_call<T: Send>(
    vm: &Vm,
    d: &SocketData,
    event: i16,
    deadline: Option<Instant>,
    mut f: impl FnMut(i32) -> SysResult<T> + Send,
) -> PyResult<T> {
    let fd = d.fd.get();
    let deadline = deadline.or_else(|| d.timeout.get().filter(|t| *t > 0.0).map(|t| Instant::now() + Duration::from_secs_f64(t)));
    loop {
        if let Some(dl) = deadline {
            let left = dl.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(timed_out(vm));
            }
            let ms = left.as_millis().clamp(1, i32::MAX as u128) as i32;
            match vm.allow_threads(|| sys::poll_one(fd, event, ms)) {
                Ok(0) => return Err(timed_out(vm)),
                Ok(_) => {}
                Err(libc::EINTR) => {
                    taipan_vm::signals::run_pending(vm)?;
                    continue;
                }
                Err(e) => return Err(os_err(vm, e)),
            }
        }
        match vm.allow_threads(|| f(fd)) {
            Ok(v) => return Ok(v),
            Err(libc::EINTR) => taipan_vm::signals::run_pending(vm)?,
            Err(e) if deadline.is_some() && is_retry(e) => {}
            Err(e) => return Err(os_err(vm, e)),
        }
    }
}

fn flags_arg(vm: &Vm, o: Option<Obj>) -> PyResult<i32> {
    o.map(|o| c_int(vm, &o)).transpose().map(|v| v.unwrap_or(0))
}

fn size_arg(vm: &Vm, o: &Obj) -> PyResult<isize> {
    crate::util::to_isize(vm, o)
}

fn m_fileno(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "fileno", args, kw)?;
    Ok(vm.int(data(vm, this)?.fd.get() as i64))
}

fn m_close(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "close", args, kw)?;
    let fd = data(vm, this)?.fd.replace(-1);
    if fd >= 0 {
        match sys::close(fd) {
            Ok(()) | Err(libc::ECONNRESET) => {}
            Err(e) => return Err(os_err(vm, e)),
        }
    }
    Ok(vm.none.clone())
}

fn m_detach(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "detach", args, kw)?;
    Ok(vm.int(data(vm, this)?.fd.replace(-1) as i64))
}

fn m_dup(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "dup", args, kw)?;
    let d = data(vm, this)?;
    let fd = sys::dup(d.fd.get()).map_err(|e| os_err(vm, e))?;
    match new_socket(vm, fd, d.family.get(), d.ty.get(), d.proto.get()) {
        Ok(s) => Ok(s),
        Err(e) => {
            let _ = sys::close(fd);
            Err(e)
        }
    }
}

fn m_bind(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [addr] = exact::<1>(vm, "bind", args, kw)?;
    let d = data(vm, this)?;
    let a = sockaddr_arg(vm, d.family.get(), &addr, "bind")?;
    sys::bind(d.fd.get(), &a).map_err(|e| os_err(vm, e))?;
    Ok(vm.none.clone())
}

fn m_listen(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [backlog] = at_most::<1>(vm, "listen", 0, args, kw)?;
    let backlog = match backlog {
        Some(b) => c_int(vm, &b)?.max(0),
        None => libc::SOMAXCONN.min(128),
    };
    let d = data(vm, this)?;
    sys::listen(d.fd.get(), backlog).map_err(|e| os_err(vm, e))?;
    Ok(vm.none.clone())
}

fn m_accept(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_accept", args, kw)?;
    let d = data(vm, this)?;
    let (fd, addr) = sock_call(vm, d, libc::POLLIN, None, sys::accept)?;
    let a = match sockaddr_obj(vm, &addr) {
        Ok(a) => a,
        Err(e) => {
            let _ = sys::close(fd);
            return Err(e);
        }
    };
    Ok(new_tuple(vm, vec![vm.int(fd as i64), a]))
}

/// `connect`/`connect_ex`: `Ok(0)` when connected, `Ok(errno)` for a
/// failure (raised by `connect`).
fn connect_impl(vm: &Vm, d: &SocketData, addr: &SockAddr) -> PyResult<i32> {
    let fd = d.fd.get();
    let a = addr.clone();
    let mut r = vm.allow_threads(move || sys::connect(fd, &a));
    let timeout = d.timeout.get();
    match r {
        Ok(()) => return Ok(0),
        Err(libc::EINTR) => {
            taipan_vm::signals::run_pending(vm)?;
            if timeout == Some(0.0) {
                return Ok(libc::EINTR);
            }
        }
        Err(libc::EINPROGRESS) if timeout.is_some_and(|t| t > 0.0) => {}
        Err(e) => return Ok(e),
    }
    // Still connecting: wait until writable, then read the outcome.
    {
        let deadline = timeout.filter(|t| *t > 0.0).map(|t| Instant::now() + Duration::from_secs_f64(t));
        loop {
            let ms = match deadline {
                None => -1,
                Some(dl) => {
                    let left = dl.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(timed_out(vm));
                    }
                    left.as_millis().clamp(1, i32::MAX as u128) as i32
                }
            };
            match vm.allow_threads(|| sys::poll_one(fd, libc::POLLOUT, ms)) {
                Ok(0) => return Err(timed_out(vm)),
                Ok(_) => break,
                Err(libc::EINTR) => taipan_vm::signals::run_pending(vm)?,
                Err(e) => return Ok(e),
            }
        }
        r = match sys::getsockopt_int(fd, libc::SOL_SOCKET, libc::SO_ERROR) {
            Ok(0) => Ok(()),
            Ok(e) => Err(e),
            Err(e) => Err(e),
        };
    }
    Ok(r.err().unwrap_or(0))
}

fn m_connect(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [addr] = exact::<1>(vm, "connect", args, kw)?;
    let d = data(vm, this)?;
    let a = sockaddr_arg(vm, d.family.get(), &addr, "connect")?;
    match connect_impl(vm, d, &a)? {
        0 => Ok(vm.none.clone()),
        e => Err(os_err(vm, e)),
    }
}

fn m_connect_ex(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [addr] = exact::<1>(vm, "connect_ex", args, kw)?;
    let d = data(vm, this)?;
    let a = sockaddr_arg(vm, d.family.get(), &addr, "connect_ex")?;
    let r = match connect_impl(vm, d, &a) {
        Ok(e) => e,
        Err(e) if crate::util::is_error(&e, &super::timeout_type(vm)) => libc::EAGAIN,
        Err(e) => return Err(e),
    };
    Ok(vm.int(r as i64))
}

fn recv_size(vm: &Vm, o: &Obj, what: &str) -> PyResult<usize> {
    let n = size_arg(vm, o)?;
    if n < 0 {
        return Err(vm.new_error(&vm.types.value_error, format!("negative buffersize in {what}")));
    }
    Ok(n as usize)
}

fn m_recv(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [n, flags] = at_most::<2>(vm, "recv", 1, args, kw)?;
    let n = recv_size(vm, n.as_ref().unwrap_or(&vm.none), "recv")?;
    let flags = flags_arg(vm, flags)?;
    let d = data(vm, this)?;
    let mut buf = vec![0u8; n];
    let got = sock_call(vm, d, libc::POLLIN, None, |fd| sys::recv(fd, &mut buf, flags))?;
    buf.truncate(got);
    Ok(new_bytes(vm, buf))
}

/// The target of `recv_into`/`recvfrom_into` and how much to read.
fn into_args(vm: &Vm, buf: &Obj, n: Option<Obj>, what: &str) -> PyResult<usize> {
    let Some(len) = writable_buffer_len(buf) else {
        return Err(vm.type_error(format!("{what}() argument 'buffer' must be read-write bytes-like object, not {}", type_name(buf))));
    };
    let n = match n {
        Some(n) => {
            let v = size_arg(vm, &n)?;
            if v < 0 {
                return Err(vm.new_error(&vm.types.value_error, format!("negative buffersize in {what}")));
            }
            v as usize
        }
        None => 0,
    };
    if n > len {
        return Err(vm.new_error(&vm.types.value_error, "buffer too small for requested bytes"));
    }
    Ok(if n == 0 { len } else { n })
}

fn m_recv_into(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "recv_into", names: &["buffer", "nbytes", "flags"], posonly: 0, kwonly: 0, required: 1 };
    let [target, n, flags] = bind::<3>(vm, &P, args, kw)?;
    let target = target.unwrap_or_else(|| vm.none.clone());
    let n = into_args(vm, &target, n, "recv_into")?;
    let flags = flags_arg(vm, flags)?;
    let d = data(vm, this)?;
    let mut buf = vec![0u8; n];
    let got = sock_call(vm, d, libc::POLLIN, None, |fd| sys::recv(fd, &mut buf, flags))?;
    write_buffer(&target, 0, &buf[..got]);
    Ok(vm.int(got as i64))
}

fn addr_or_none(vm: &Vm, a: Option<SockAddr>) -> PyResult<Obj> {
    match a {
        Some(a) => sockaddr_obj(vm, &a),
        None => Ok(vm.none.clone()),
    }
}

fn m_recvfrom(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [n, flags] = at_most::<2>(vm, "recvfrom", 1, args, kw)?;
    let n = recv_size(vm, n.as_ref().unwrap_or(&vm.none), "recvfrom")?;
    let flags = flags_arg(vm, flags)?;
    let d = data(vm, this)?;
    let mut buf = vec![0u8; n];
    let (got, addr) = sock_call(vm, d, libc::POLLIN, None, |fd| sys::recvfrom(fd, &mut buf, flags))?;
    buf.truncate(got);
    Ok(new_tuple(vm, vec![new_bytes(vm, buf), addr_or_none(vm, addr)?]))
}

fn m_recvfrom_into(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "recvfrom_into", names: &["buffer", "nbytes", "flags"], posonly: 0, kwonly: 0, required: 1 };
    let [target, n, flags] = bind::<3>(vm, &P, args, kw)?;
    let target = target.unwrap_or_else(|| vm.none.clone());
    let n = into_args(vm, &target, n, "recvfrom_into")?;
    let flags = flags_arg(vm, flags)?;
    let d = data(vm, this)?;
    let mut buf = vec![0u8; n];
    let (got, addr) = sock_call(vm, d, libc::POLLIN, None, |fd| sys::recvfrom(fd, &mut buf, flags))?;
    write_buffer(&target, 0, &buf[..got]);
    Ok(new_tuple(vm, vec![vm.int(got as i64), addr_or_none(vm, addr)?]))
}

fn m_send(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [buf, flags] = at_most::<2>(vm, "send", 1, args, kw)?;
    let buf = buf.unwrap_or_else(|| vm.none.clone());
    let bytes = buf_arg(vm, &buf)?.into_owned();
    let flags = flags_arg(vm, flags)?;
    let d = data(vm, this)?;
    let n = sock_call(vm, d, libc::POLLOUT, None, |fd| sys::send(fd, &bytes, flags))?;
    Ok(vm.int(n as i64))
}

fn m_sendall(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [buf, flags] = at_most::<2>(vm, "sendall", 1, args, kw)?;
    let buf = buf.unwrap_or_else(|| vm.none.clone());
    let bytes = buf_arg(vm, &buf)?.into_owned();
    let flags = flags_arg(vm, flags)?;
    let d = data(vm, this)?;
    let deadline = d.timeout.get().filter(|t| *t > 0.0).map(|t| Instant::now() + Duration::from_secs_f64(t));
    let mut at = 0;
    while at < bytes.len() {
        let rest = &bytes[at..];
        at += sock_call(vm, d, libc::POLLOUT, deadline, |fd| sys::send(fd, rest, flags))?;
        taipan_vm::signals::run_pending(vm)?;
    }
    Ok(vm.none.clone())
}

fn m_sendto(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::no_kwargs(vm, "sendto", kw)?;
    let (buf, flags, addr) = match args {
        [b, a] => (b, None, a),
        [b, f, a] => (b, Some(f.clone()), a),
        _ => return Err(vm.type_error(format!("sendto() takes 2 or 3 arguments ({} given)", args.len()))),
    };
    let bytes = buf_arg(vm, buf)?.into_owned();
    let flags = flags_arg(vm, flags)?;
    let d = data(vm, this)?;
    let a = sockaddr_arg(vm, d.family.get(), addr, "sendto")?;
    let n = sock_call(vm, d, libc::POLLOUT, None, |fd| sys::sendto(fd, &bytes, flags, &a))?;
    Ok(vm.int(n as i64))
}

/// Items of an iterable argument, or the TypeError CPython gives for a
/// non-iterable one.
fn iterable_items(vm: &Vm, o: &Obj, msg: &str) -> PyResult<Vec<Obj>> {
    if taipan_vm::ops::iter(vm, o).is_err() {
        return Err(vm.type_error(msg));
    }
    taipan_vm::types::container::collect(vm, o)
}

fn m_sendmsg(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if args.is_empty() && kw.is_empty() {
        return Err(vm.type_error("sendmsg() takes at least 1 argument (0 given)"));
    }
    let [bufs, anc, flags, addr] = at_most::<4>(vm, "sendmsg", 1, args, kw)?;
    let bufs = bufs.unwrap_or_else(|| vm.none.clone());
    let mut payloads = Vec::new();
    for b in iterable_items(vm, &bufs, "sendmsg() argument 1 must be an iterable")? {
        payloads.push(buf_arg(vm, &b)?.into_owned());
    }
    let mut cmsgs = Vec::new();
    if let Some(anc) = anc {
        for item in iterable_items(vm, &anc, "sendmsg() argument 2 must be an iterable")? {
            let parts = if let Some(t) = item.downcast::<taipan_vm::types::tuple::TupleData>() {
                t.items.to_vec()
            } else if let Some(l) = item.downcast::<taipan_vm::types::list::ListData>() {
                l.items.borrow().clone()
            } else {
                return Err(
                    vm.type_error(format!("[sendmsg() ancillary data items]() argument must be 3-item sequence, not {}", type_name(&item)))
                );
            };
            let [level, kind, payload] = parts.as_slice() else {
                return Err(
                    vm.type_error(format!("[sendmsg() ancillary data items]() argument must be sequence of length 3, not {}", parts.len()))
                );
            };
            let (level, kind) = (c_int(vm, level)?, c_int(vm, kind)?);
            cmsgs.push(sys::ControlMessage { level, kind, data: buf_arg(vm, payload)?.into_owned() });
        }
    }
    let flags = flags_arg(vm, flags)?;
    let d = data(vm, this)?;
    let addr = match addr {
        Some(a) if !a.is(&vm.none) => Some(sockaddr_arg(vm, d.family.get(), &a, "sendmsg")?),
        _ => None,
    };
    let n = sock_call(vm, d, libc::POLLOUT, None, |fd| sys::sendmsg(fd, &payloads, &cmsgs, flags, addr.as_ref()))?;
    Ok(vm.int(n as i64))
}

fn ancbufsize_arg(vm: &Vm, o: Option<Obj>) -> PyResult<usize> {
    let Some(o) = o else { return Ok(0) };
    let n = size_arg(vm, &o)?;
    usize::try_from(n).map_err(|_| vm.new_error(&vm.types.value_error, "invalid ancillary data buffer length"))
}

fn received_tail(vm: &Vm, r: sys::Received) -> PyResult<Vec<Obj>> {
    let anc =
        r.cmsgs.into_iter().map(|c| new_tuple(vm, vec![vm.int(c.level as i64), vm.int(c.kind as i64), new_bytes(vm, c.data)])).collect();
    Ok(vec![taipan_vm::types::builtin::new_list(vm, anc), vm.int(r.flags as i64), addr_or_none(vm, r.addr)?])
}

fn m_recvmsg(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if args.is_empty() && kw.is_empty() {
        return Err(vm.type_error("recvmsg() takes at least 1 argument (0 given)"));
    }
    let [n, anc, flags] = at_most::<3>(vm, "recvmsg", 1, args, kw)?;
    let n = size_arg(vm, n.as_ref().unwrap_or(&vm.none))?;
    let n = usize::try_from(n).map_err(|_| vm.new_error(&vm.types.value_error, "negative buffer size in recvmsg()"))?;
    let anc = ancbufsize_arg(vm, anc)?;
    let flags = flags_arg(vm, flags)?;
    let d = data(vm, this)?;
    let mut bufs = vec![vec![0u8; n]];
    let r = sock_call(vm, d, libc::POLLIN, None, |fd| sys::recvmsg(fd, &mut bufs, anc, flags))?;
    let mut got = bufs.pop().unwrap_or_default();
    got.truncate(r.nbytes);
    let mut out = vec![new_bytes(vm, got)];
    out.extend(received_tail(vm, r)?);
    Ok(new_tuple(vm, out))
}

fn m_recvmsg_into(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if args.is_empty() && kw.is_empty() {
        return Err(vm.type_error("recvmsg_into() takes at least 1 argument (0 given)"));
    }
    let [targets, anc, flags] = at_most::<3>(vm, "recvmsg_into", 1, args, kw)?;
    let targets = targets.unwrap_or_else(|| vm.none.clone());
    let targets = iterable_items(vm, &targets, "recvmsg_into() argument 1 must be an iterable")?;
    let mut bufs = Vec::with_capacity(targets.len());
    for t in &targets {
        let Some(len) = writable_buffer_len(t) else {
            return Err(vm.type_error("recvmsg_into() argument 1 must be an iterable of single-segment read-write buffers"));
        };
        bufs.push(vec![0u8; len]);
    }
    let anc = ancbufsize_arg(vm, anc)?;
    let flags = flags_arg(vm, flags)?;
    let d = data(vm, this)?;
    let r = sock_call(vm, d, libc::POLLIN, None, |fd| sys::recvmsg(fd, &mut bufs, anc, flags))?;
    let mut left = r.nbytes;
    for (t, b) in targets.iter().zip(&bufs) {
        let n = left.min(b.len());
        write_buffer(t, 0, &b[..n]);
        left -= n;
    }
    let mut out = vec![vm.int(r.nbytes as i64)];
    out.extend(received_tail(vm, r)?);
    Ok(new_tuple(vm, out))
}

fn m_shutdown(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [how] = exact::<1>(vm, "shutdown", args, kw)?;
    let how = c_int(vm, &how)?;
    sys::shutdown(data(vm, this)?.fd.get(), how).map_err(|e| os_err(vm, e))?;
    Ok(vm.none.clone())
}

fn m_getsockname(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "getsockname", args, kw)?;
    let a = sys::getsockname(data(vm, this)?.fd.get()).map_err(|e| os_err(vm, e))?;
    sockaddr_obj(vm, &a)
}

fn m_getpeername(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "getpeername", args, kw)?;
    let a = sys::getpeername(data(vm, this)?.fd.get()).map_err(|e| os_err(vm, e))?;
    sockaddr_obj(vm, &a)
}

fn m_setsockopt(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::no_kwargs(vm, "setsockopt", kw)?;
    let d = data(vm, this)?;
    let value = match args {
        [level, opt, v] => {
            let (level, opt) = (c_int(vm, level)?, c_int(vm, opt)?);
            let bytes = if int_data(v).is_some() && d.family.get() == libc::AF_VSOCK {
                // VSOCK options are `unsigned long long` (as in CPython).
                let n = super::long_arg(vm, v)?;
                (n as u64).to_ne_bytes().to_vec()
            } else if int_data(v).is_some() {
                c_int(vm, v)?.to_ne_bytes().to_vec()
            } else {
                match as_buffer(v) {
                    Some(b) => b.into_owned(),
                    None => return Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(v)))),
                }
            };
            (level, opt, bytes)
        }
        [level, opt, none, len] if none.is(&vm.none) => {
            let (level, opt) = (c_int(vm, level)?, c_int(vm, opt)?);
            let n = c_int(vm, len)?;
            // `setsockopt(level, opt, None, optlen)`: a NULL value of that
            // length (used by AF_ALG); an empty buffer is the closest.
            let _ = n;
            (level, opt, Vec::new())
        }
        _ => return Err(vm.type_error(format!("setsockopt() takes exactly 3 arguments ({} given)", args.len()))),
    };
    sys::setsockopt_bytes(d.fd.get(), value.0, value.1, &value.2).map_err(|e| os_err(vm, e))?;
    Ok(vm.none.clone())
}

fn m_getsockopt(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [level, opt, buflen] = at_most::<3>(vm, "getsockopt", 2, args, kw)?;
    let level = c_int(vm, level.as_ref().unwrap_or(&vm.none))?;
    let opt = c_int(vm, opt.as_ref().unwrap_or(&vm.none))?;
    let d = data(vm, this)?;
    let fd = d.fd.get();
    match buflen {
        None if d.family.get() == libc::AF_VSOCK => {
            let v = sys::getsockopt_bytes(fd, level, opt, 8).map_err(|e| os_err(vm, e))?;
            let mut b = [0u8; 8];
            b[..v.len().min(8)].copy_from_slice(&v[..v.len().min(8)]);
            Ok(crate::posix::u64_obj(vm, u64::from_ne_bytes(b)))
        }
        None => Ok(vm.int(sys::getsockopt_int(fd, level, opt).map_err(|e| os_err(vm, e))? as i64)),
        Some(b) => {
            let n = c_int(vm, &b)?;
            if !(1..=1024).contains(&n) {
                return Err(os_msg(vm, "getsockopt buflen out of range"));
            }
            let v = sys::getsockopt_bytes(fd, level, opt, n as usize).map_err(|e| os_err(vm, e))?;
            Ok(new_bytes(vm, v))
        }
    }
}

fn set_timeout(vm: &Vm, d: &SocketData, t: Option<f64>) -> PyResult<()> {
    d.timeout.set(t);
    let fd = d.fd.get();
    if fd >= 0 {
        sys::set_nonblocking(fd, t.is_some()).map_err(|e| os_err(vm, e))?;
    } else {
        return Err(os_err(vm, libc::EBADF));
    }
    Ok(())
}

fn m_setblocking(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [flag] = exact::<1>(vm, "setblocking", args, kw)?;
    let block = match int_data(&flag) {
        Some(IntData::Small(v)) => *v != 0,
        Some(_) => true,
        None => taipan_vm::ops::truth(vm, &flag)?,
    };
    set_timeout(vm, data(vm, this)?, if block { None } else { Some(0.0) })?;
    Ok(vm.none.clone())
}

fn m_getblocking(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "getblocking", args, kw)?;
    Ok(vm.bool(data(vm, this)?.timeout.get() != Some(0.0)))
}

fn m_settimeout(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [t] = exact::<1>(vm, "settimeout", args, kw)?;
    let t = timeout_arg(vm, &t)?;
    set_timeout(vm, data(vm, this)?, t)?;
    Ok(vm.none.clone())
}

fn m_gettimeout(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "gettimeout", args, kw)?;
    Ok(timeout_obj(vm, data(vm, this)?.timeout.get()))
}
