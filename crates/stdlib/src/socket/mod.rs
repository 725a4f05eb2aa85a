//! `_socket`, what `socket.py` is built on, split by area:
//!
//! - `mod.rs` — the module's namespace: the functions (`socketpair`,
//!   `getaddrinfo`, `gethostbyname`, `inet_*`, `hton*`, `if_*`, default
//!   timeout), the exception classes (`herror`, `gaierror`; `error` is
//!   `OSError`, `timeout` is `TimeoutError`), and the conversions between
//!   Python addresses (`(host, port)`, `(host, port, flowinfo, scope_id)`,
//!   a path) and [`sys::SockAddr`], with CPython's messages.
//! - `object.rs` — the `socket` type: descriptor, family/type/proto,
//!   timeout (blocking / non-blocking / waiting with `poll`), and the
//!   socket calls, run without the GIL and retried on `EINTR` after the
//!   signal handlers ran (PEP 475).
//! - `sys.rs` — the libc calls, the only `unsafe` code here.
//! - `constants.rs` — the integer constants (generated).

mod constants;
mod object;
mod sys;

use std::ffi::CString;

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{at_most, bind, exact, FunctionDef, Params};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{int_data, new_bytes, new_list, new_str, new_tuple, str_data, type_name, IntData, StrData, TupleData};
use taipan_vm::types::bytes::{as_buffer, bytes_data};
use taipan_vm::types::Kwargs;
use taipan_vm::{ops, PyErr, PyResult, Vm};

use crate::posix::{fs_decode, fs_encode};
use crate::util;
use sys::{GaiError, HostError, SockAddr};

pub use object::socket_type;

static FUNCTIONS: &[FunctionDef] = &[
    FunctionDef::new("socketpair", socketpair, "socketpair([family[, type [, proto]]]) -> (socket object, socket object)"),
    FunctionDef::new(
        "getaddrinfo",
        getaddrinfo,
        "getaddrinfo(host, port [, family, type, proto, flags])\n    -> list of (family, type, proto, canonname, sockaddr)",
    ),
    FunctionDef::new("getnameinfo", getnameinfo, "getnameinfo(sockaddr, flags) --> (host, port)"),
    FunctionDef::new("gethostname", gethostname, "gethostname() -> string"),
    FunctionDef::new("sethostname", sethostname, "sethostname(name)"),
    FunctionDef::new("gethostbyname", gethostbyname, "gethostbyname(host) -> address"),
    FunctionDef::new("gethostbyname_ex", gethostbyname_ex, "gethostbyname_ex(host) -> (name, aliaslist, addresslist)"),
    FunctionDef::new("gethostbyaddr", gethostbyaddr, "gethostbyaddr(host) -> (name, aliaslist, addresslist)"),
    FunctionDef::new("getservbyname", getservbyname, "getservbyname(servicename[, protocolname]) -> integer"),
    FunctionDef::new("getservbyport", getservbyport, "getservbyport(port[, protocolname]) -> string"),
    FunctionDef::new("getprotobyname", getprotobyname, "getprotobyname(name) -> integer"),
    FunctionDef::new(
        "inet_aton",
        inet_aton,
        "Convert an IP address in string format (123.45.67.89) to the 32-bit packed binary format used in low-level network functions.",
    ),
    FunctionDef::new("inet_ntoa", inet_ntoa, "Convert an IP address from 32-bit packed binary format to string format."),
    FunctionDef::new("inet_pton", inet_pton, "inet_pton(af, ip) -> packed IP address string"),
    FunctionDef::new("inet_ntop", inet_ntop, "inet_ntop(af, packed_ip) -> string formatted IP address"),
    FunctionDef::new("htons", htons, "Convert a 16-bit unsigned integer from host to network byte order."),
    FunctionDef::new("ntohs", ntohs, "Convert a 16-bit unsigned integer from network to host byte order."),
    FunctionDef::new("htonl", htonl, "htonl(integer) -> integer"),
    FunctionDef::new("ntohl", ntohl, "ntohl(integer) -> integer"),
    FunctionDef::new("getdefaulttimeout", getdefaulttimeout, "getdefaulttimeout() -> timeout"),
    FunctionDef::new("setdefaulttimeout", setdefaulttimeout, "setdefaulttimeout(timeout)"),
    FunctionDef::new("if_nameindex", if_nameindex, "if_nameindex()"),
    FunctionDef::new("if_nametoindex", if_nametoindex, "Returns the interface index corresponding to the interface name if_name."),
    FunctionDef::new("if_indextoname", if_indextoname, "if_indextoname(if_index)"),
    FunctionDef::new("close", close, "close(integer) -> None"),
    FunctionDef::new("dup", dup, "dup(integer) -> integer"),
    FunctionDef::new("CMSG_LEN", cmsg_len, "CMSG_LEN(length) -> control message length"),
    FunctionDef::new("CMSG_SPACE", cmsg_space, "CMSG_SPACE(length) -> buffer size"),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCTIONS)?;
    let ty = socket_type(vm);
    add_attr(vm, m, "socket", ty.clone())?;
    add_attr(vm, m, "SocketType", ty)?;
    add_attr(vm, m, "error", vm.types.os_error.clone())?;
    add_attr(vm, m, "timeout", timeout_type(vm))?;
    add_attr(vm, m, "herror", herror_type(vm)?)?;
    add_attr(vm, m, "gaierror", gaierror_type(vm)?)?;
    add_attr(vm, m, "has_ipv6", vm.bool(true))?;
    for (name, v) in constants::CONSTANTS {
        add_attr(vm, m, name, vm.int(*v))?;
    }
    Ok(())
}

// ----------------------------------------------------------------- state

/// The module's per-interpreter state: `setdefaulttimeout`'s value.
#[derive(Default)]
struct State {
    default_timeout: std::cell::Cell<Option<f64>>,
}

pub(crate) fn default_timeout(vm: &Vm) -> Option<f64> {
    vm.state::<State>().default_timeout.get()
}

// ---------------------------------------------------------------- errors

fn timeout_type(vm: &Vm) -> Obj {
    vm.exception_type("TimeoutError").unwrap_or_else(|| vm.types.os_error.clone())
}

fn herror_type(vm: &Vm) -> PyResult<Obj> {
    util::exception_class(vm, "socket.herror", std::slice::from_ref(&vm.types.os_error))
}

fn gaierror_type(vm: &Vm) -> PyResult<Obj> {
    util::exception_class(vm, "socket.gaierror", std::slice::from_ref(&vm.types.os_error))
}

fn instance(vm: &Vm, ty: PyResult<Obj>, args: &[Obj]) -> PyErr {
    match ty.and_then(|t| util::call(vm, &t, args)) {
        Ok(exc) => PyErr { exc },
        Err(e) => e,
    }
}

/// `OSError(errno, strerror)` (the constructor picks the subclass).
pub(crate) fn os_err(vm: &Vm, errno: i32) -> PyErr {
    crate::posix::os_error(vm, errno, None, None)
}

/// `OSError(msg)`.
pub(crate) fn os_msg(vm: &Vm, msg: &str) -> PyErr {
    vm.new_error(&vm.types.os_error, msg)
}

/// `socket.timeout("timed out")`.
pub(crate) fn timed_out(vm: &Vm) -> PyErr {
    vm.new_error(&timeout_type(vm), "timed out")
}

/// A resolver error: `gaierror(code, message)`, or the `OSError` of
/// `errno` for `EAI_SYSTEM`.
fn gai_err(vm: &Vm, e: GaiError) -> PyErr {
    if e.code == libc::EAI_SYSTEM {
        return os_err(vm, e.errno);
    }
    instance(vm, gaierror_type(vm), &[vm.int(e.code as i64), new_str(vm, &sys::gai_strerror(e.code))])
}

fn host_err(vm: &Vm, e: HostError) -> PyErr {
    match e {
        HostError::H(code) => instance(vm, herror_type(vm), &[vm.int(code as i64), new_str(vm, &sys::hstrerror(code))]),
        HostError::Errno(e) => os_err(vm, e),
    }
}

// ------------------------------------------------------------- arguments

/// A C `int` argument (`__index__`), with CPython's overflow messages.
pub(crate) fn c_int(vm: &Vm, o: &Obj) -> PyResult<i32> {
    crate::posix::c_int_arg(vm, o)
}

/// An integer argument as `i64` (`__index__`).
pub(crate) fn long_arg(vm: &Vm, o: &Obj) -> PyResult<i64> {
    crate::posix::int_arg(vm, o)
}

/// A timeout argument (`settimeout`, `setdefaulttimeout`): `None`, or
/// non-negative seconds.
pub(crate) fn timeout_arg(vm: &Vm, o: &Obj) -> PyResult<Option<f64>> {
    if o.is(&vm.none) {
        return Ok(None);
    }
    let secs = if let Some(f) = o.downcast::<f64>() {
        if f.is_nan() {
            return Err(vm.new_error(&vm.types.value_error, "Invalid value NaN (not a number)"));
        }
        *f
    } else {
        let i = ops::index(vm, o)?;
        match int_data(&i) {
            Some(IntData::Small(v)) => *v as f64,
            _ => return Err(vm.new_error(&vm.types.overflow_error, "timestamp too large to convert to C _PyTime_t")),
        }
    };
    if secs < 0.0 {
        return Err(vm.new_error(&vm.types.value_error, "Timeout value out of range"));
    }
    Ok(Some(secs))
}

pub(crate) fn timeout_obj(vm: &Vm, t: Option<f64>) -> Obj {
    match t {
        None => vm.none.clone(),
        Some(t) => crate::posix::float_obj(vm, t),
    }
}

/// A host name argument (`idna_converter`): str (IDNA-encoded), bytes or
/// bytearray.
fn host_bytes(vm: &Vm, o: &Obj) -> PyResult<Vec<u8>> {
    if let Some(s) = o.downcast::<StrData>() {
        if let Some(t) = s.value.as_str() {
            if t.is_ascii() {
                return Ok(t.as_bytes().to_vec());
            }
        }
        let b = util::call_method(vm, o, "encode", &[new_str(vm, "idna")])?;
        return Ok(bytes_data(&b).unwrap_or(&[]).to_vec());
    }
    if bytes_data(o).is_some() || o.downcast::<taipan_vm::types::builtin::ByteArrayData>().is_some() {
        return Ok(as_buffer(o).map(|b| b.into_owned()).unwrap_or_default());
    }
    Err(vm.type_error(format!("str, bytes or bytearray expected, not {}", type_name(o))))
}

fn cstr(vm: &Vm, b: &[u8]) -> PyResult<CString> {
    sys::cstring(b).ok_or_else(|| vm.new_error(&vm.types.value_error, "embedded null character"))
}

/// Resolves a host name to an address of `family` (`AF_INET`,
/// `AF_INET6` or `AF_UNSPEC`), as CPython's `setipaddr`: `""` is the
/// wildcard address, `"<broadcast>"` the IPv4 broadcast address, numeric
/// addresses are parsed, anything else goes to `getaddrinfo`.
fn resolve(vm: &Vm, name: &[u8], family: i32) -> PyResult<SockAddr> {
    if name.is_empty() {
        let flags = libc::AI_PASSIVE;
        let fam = if family == libc::AF_UNSPEC { libc::AF_INET } else { family };
        let rows = sys::getaddrinfo(None, Some(c"0"), fam, libc::SOCK_DGRAM, 0, flags).map_err(|e| gai_err(vm, e))?;
        return match rows.into_iter().next() {
            Some(r) => Ok(r.4),
            None => Err(os_msg(vm, "wildcard resolved to multiple address")),
        };
    }
    if name == b"<broadcast>" || name == b"255.255.255.255" {
        if family != libc::AF_INET && family != libc::AF_UNSPEC {
            return Err(os_msg(vm, "address family mismatched"));
        }
        return Ok(SockAddr::V4 { ip: [255; 4], port: 0 });
    }
    let c = cstr(vm, name)?;
    if family == libc::AF_INET || family == libc::AF_UNSPEC {
        if let Ok(Some(ip)) = sys::inet_pton_(libc::AF_INET, &c) {
            return Ok(SockAddr::V4 { ip: [ip[0], ip[1], ip[2], ip[3]], port: 0 });
        }
    }
    if family == libc::AF_INET6 || family == libc::AF_UNSPEC {
        if let Ok(Some(ip)) = sys::inet_pton_(libc::AF_INET6, &c) {
            let mut a = [0u8; 16];
            a.copy_from_slice(&ip);
            return Ok(SockAddr::V6 { ip: a, port: 0, flowinfo: 0, scope_id: 0 });
        }
    }
    let rows =
        vm.allow_threads(|| sys::getaddrinfo(Some(&c), None, family, 0, 0, 0).map(|r| r.into_iter().next())).map_err(|e| gai_err(vm, e))?;
    rows.map(|r| r.4).ok_or_else(|| os_msg(vm, "getaddrinfo returned no address"))
}

/// A Python address for `family` (CPython's `getsockaddrarg`); `caller`
/// names the method in messages (`bind`, `connect`, ...).
pub(crate) fn sockaddr_arg(vm: &Vm, family: i32, o: &Obj, caller: &str) -> PyResult<SockAddr> {
    match family {
        libc::AF_UNIX => {
            let path =
                if o.downcast::<StrData>().is_some() { fs_encode(vm, o)? } else { taipan_vm::types::bytes::buf_arg(vm, o)?.into_owned() };
            // `sizeof(sun_path)`: a path needs no NUL terminator at full length.
            if path.len() > 108 {
                return Err(os_msg(vm, "AF_UNIX path too long"));
            }
            Ok(SockAddr::Unix(path))
        }
        libc::AF_INET | libc::AF_INET6 => {
            let fname = if family == libc::AF_INET { "AF_INET" } else { "AF_INET6" };
            let Some(t) = o.downcast::<TupleData>() else {
                return Err(vm.type_error(format!("{caller}(): {fname} address must be tuple, not {}", type_name(o))));
            };
            let items = &t.items;
            let ok = if family == libc::AF_INET { items.len() == 2 } else { (2..=4).contains(&items.len()) };
            if !ok {
                return Err(vm.type_error(if family == libc::AF_INET {
                    "AF_INET address must be a pair (host, port)".to_string()
                } else {
                    "AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])".to_string()
                }));
            }
            let host = host_bytes(vm, &items[0])?;
            let port = c_int(vm, &items[1])?;
            let flowinfo = match items.get(2) {
                Some(f) => {
                    let v = long_arg(vm, f)?;
                    if !(0..=0xfffff).contains(&v) {
                        return Err(vm.new_error(&vm.types.overflow_error, format!("{caller}(): flowinfo must be 0-1048575.")));
                    }
                    v as u32
                }
                None => 0,
            };
            let scope = match items.get(3) {
                Some(s) => {
                    let v = long_arg(vm, s)?;
                    u32::try_from(v)
                        .map_err(|_| vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C unsigned long"))?
                }
                None => 0,
            };
            let mut addr = resolve(vm, &host, family)?;
            if !(0..=65535).contains(&port) {
                return Err(vm.new_error(&vm.types.overflow_error, format!("{caller}(): port must be 0-65535.")));
            }
            match &mut addr {
                SockAddr::V4 { port: p, .. } => *p = port as u16,
                SockAddr::V6 { port: p, flowinfo: f, scope_id: s, .. } => {
                    *p = port as u16;
                    *f = flowinfo;
                    if scope != 0 || *s == 0 {
                        *s = scope;
                    }
                }
                _ => {}
            }
            Ok(addr)
        }
        _ => Err(os_msg(vm, &format!("{caller}(): bad family"))),
    }
}

fn ip_string(vm: &Vm, family: i32, packed: &[u8]) -> PyResult<String> {
    sys::inet_ntop_(family, packed).map_err(|e| os_err(vm, e))
}

/// A Python object for an address (CPython's `makesockaddr`).
pub(crate) fn sockaddr_obj(vm: &Vm, a: &SockAddr) -> PyResult<Obj> {
    Ok(match a {
        SockAddr::V4 { ip, port } => new_tuple(vm, vec![new_str(vm, &ip_string(vm, libc::AF_INET, ip)?), vm.int(*port as i64)]),
        SockAddr::V6 { ip, port, flowinfo, scope_id } => new_tuple(
            vm,
            vec![
                new_str(vm, &ip_string(vm, libc::AF_INET6, ip)?),
                vm.int(*port as i64),
                vm.int(*flowinfo as i64),
                vm.int(*scope_id as i64),
            ],
        ),
        SockAddr::Unix(path) => {
            if path.first() == Some(&0) {
                new_bytes(vm, path.clone())
            } else {
                fs_decode(vm, path)?
            }
        }
        SockAddr::Other(f, data) => new_tuple(vm, vec![vm.int(*f as i64), new_bytes(vm, data.clone())]),
    })
}

// ------------------------------------------------------------- functions

fn socketpair(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [family, ty, proto] = at_most::<3>(vm, "socketpair", 0, args, kw)?;
    let family = family.map(|o| c_int(vm, &o)).transpose()?.unwrap_or(libc::AF_UNIX);
    let ty = ty.map(|o| c_int(vm, &o)).transpose()?.unwrap_or(libc::SOCK_STREAM);
    let proto = proto.map(|o| c_int(vm, &o)).transpose()?.unwrap_or(0);
    let (a, b) = sys::socketpair(family, ty, proto).map_err(|e| os_err(vm, e))?;
    let sa = object::new_socket(vm, a, family, ty, proto);
    let sb = object::new_socket(vm, b, family, ty, proto);
    Ok(new_tuple(vm, vec![sa?, sb?]))
}

fn getaddrinfo(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params =
        Params { fname: "getaddrinfo", names: &["host", "port", "family", "type", "proto", "flags"], posonly: 0, kwonly: 0, required: 2 };
    let [host, port, family, ty, proto, flags] = bind::<6>(vm, &P, args, kw)?;
    let host = host.unwrap_or_else(|| vm.none.clone());
    let port = port.unwrap_or_else(|| vm.none.clone());
    let host = if host.is(&vm.none) { None } else { Some(cstr(vm, &host_bytes(vm, &host)?)?) };
    let port = if port.is(&vm.none) {
        None
    } else if int_data(&port).is_some() {
        Some(cstr(vm, long_arg(vm, &port)?.to_string().as_bytes())?)
    } else if port.downcast::<StrData>().is_some() {
        // UTF-8, strictly (a lone surrogate raises UnicodeEncodeError).
        let b = util::call_method(vm, &port, "encode", &[new_str(vm, "utf-8")])?;
        Some(cstr(vm, bytes_data(&b).unwrap_or(&[]))?)
    } else if let Some(b) = bytes_data(&port) {
        Some(cstr(vm, b)?)
    } else {
        return Err(os_msg(vm, "Int or String expected"));
    };
    let int_or = |o: Option<Obj>| -> PyResult<i32> { o.map(|o| c_int(vm, &o)).transpose().map(|v| v.unwrap_or(0)) };
    let (family, ty, proto, flags) = (int_or(family)?, int_or(ty)?, int_or(proto)?, int_or(flags)?);
    let rows =
        vm.allow_threads(|| sys::getaddrinfo(host.as_deref(), port.as_deref(), family, ty, proto, flags)).map_err(|e| gai_err(vm, e))?;
    let mut out = Vec::new();
    for (f, t, p, canon, addr) in rows {
        out.push(new_tuple(vm, vec![vm.int(f as i64), vm.int(t as i64), vm.int(p as i64), new_str(vm, &canon), sockaddr_obj(vm, &addr)?]));
    }
    Ok(new_list(vm, out))
}

fn getnameinfo(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [sa, flags] = exact::<2>(vm, "getnameinfo", args, kw)?;
    let Some(t) = sa.downcast::<TupleData>() else {
        return Err(vm.type_error("getnameinfo() argument 1 must be a tuple"));
    };
    let flags = c_int(vm, &flags)?;
    let items = &t.items;
    if !(2..=4).contains(&items.len()) || items[0].downcast::<StrData>().is_none() || int_data(&items[1]).is_none() {
        return Err(vm.type_error("getnameinfo(): illegal sockaddr argument"));
    }
    let host = str_data(&items[0]).as_str().into_owned();
    let port = long_arg(vm, &items[1])?;
    if !(0..=65535).contains(&port) {
        return Err(vm.new_error(&vm.types.overflow_error, "getnameinfo(): port must be 0-65535."));
    }
    let flowinfo = match items.get(2) {
        Some(f) => {
            let v = long_arg(vm, f)?;
            if !(0..=0xfffff).contains(&v) {
                return Err(vm.new_error(&vm.types.overflow_error, "getnameinfo(): flowinfo must be 0-1048575."));
            }
            v as u32
        }
        None => 0,
    };
    let scope = items.get(3).map(|s| long_arg(vm, s)).transpose()?.unwrap_or(0) as u32;
    let c = cstr(vm, host.as_bytes())?;
    let pc = cstr(vm, port.to_string().as_bytes())?;
    let rows = vm
        .allow_threads(|| sys::getaddrinfo(Some(&c), Some(&pc), libc::AF_UNSPEC, libc::SOCK_DGRAM, 0, libc::AI_NUMERICHOST))
        .map_err(|e| gai_err(vm, e))?;
    if rows.len() != 1 {
        return Err(os_msg(vm, "sockaddr resolved to multiple addresses"));
    }
    let mut addr = rows[0].4.clone();
    match &mut addr {
        SockAddr::V4 { .. } if items.len() != 2 => return Err(os_msg(vm, "IPv4 sockaddr must be 2 tuple")),
        SockAddr::V6 { flowinfo: f, scope_id: s, .. } => {
            *f = flowinfo;
            *s = scope;
        }
        _ => {}
    }
    let (h, s) = vm.allow_threads(|| sys::getnameinfo(&addr, flags)).map_err(|e| gai_err(vm, e))?;
    Ok(new_tuple(vm, vec![new_str(vm, &h), new_str(vm, &s)]))
}

fn gethostname(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "gethostname", args, kw)?;
    let name = sys::gethostname().map_err(|e| os_err(vm, e))?;
    fs_decode(vm, &name)
}

fn sethostname(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name] = exact::<1>(vm, "sethostname", args, kw)?;
    let b = if name.downcast::<StrData>().is_some() {
        fs_encode(vm, &name)?
    } else {
        taipan_vm::types::bytes::buf_arg(vm, &name)?.into_owned()
    };
    sys::sethostname(&b).map_err(|e| os_err(vm, e))?;
    Ok(vm.none.clone())
}

fn name_arg(vm: &Vm, fname: &str, args: &[Obj], kw: Kwargs) -> PyResult<Vec<u8>> {
    let [name] = exact::<1>(vm, fname, args, kw)?;
    host_bytes(vm, &name)
}

fn gethostbyname(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let name = name_arg(vm, "gethostbyname", args, kw)?;
    match resolve(vm, &name, libc::AF_INET)? {
        SockAddr::V4 { ip, .. } => Ok(new_str(vm, &ip_string(vm, libc::AF_INET, &ip)?)),
        _ => Err(os_err(vm, libc::EAFNOSUPPORT)),
    }
}

fn hostent_obj(vm: &Vm, h: sys::HostEnt) -> PyResult<Obj> {
    let aliases = h.aliases.iter().map(|a| new_str(vm, a)).collect();
    let mut addrs = Vec::new();
    for a in &h.addrs {
        addrs.push(new_str(vm, &ip_string(vm, h.family, a)?));
    }
    Ok(new_tuple(vm, vec![new_str(vm, &h.name), new_list(vm, aliases), new_list(vm, addrs)]))
}

fn gethostbyname_ex(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let name = name_arg(vm, "gethostbyname_ex", args, kw)?;
    // Resolves first (as CPython does), so that unknown names raise gaierror.
    resolve(vm, &name, libc::AF_INET)?;
    let c = cstr(vm, &name)?;
    let h = vm.allow_threads(|| sys::gethostbyname(&c)).map_err(|e| host_err(vm, e))?;
    hostent_obj(vm, h)
}

fn gethostbyaddr(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let name = name_arg(vm, "gethostbyaddr", args, kw)?;
    let (packed, family) = match resolve(vm, &name, libc::AF_UNSPEC)? {
        SockAddr::V4 { ip, .. } => (ip.to_vec(), libc::AF_INET),
        SockAddr::V6 { ip, .. } => (ip.to_vec(), libc::AF_INET6),
        _ => return Err(os_err(vm, libc::EAFNOSUPPORT)),
    };
    let h = vm.allow_threads(|| sys::gethostbyaddr(&packed, family)).map_err(|e| host_err(vm, e))?;
    hostent_obj(vm, h)
}

fn proto_arg(vm: &Vm, fname: &str, o: Option<Obj>) -> PyResult<Option<CString>> {
    match o {
        None => Ok(None),
        Some(p) if p.downcast::<StrData>().is_some() => Ok(Some(cstr(vm, str_data(&p).as_str().as_bytes())?)),
        Some(p) => Err(vm.type_error(format!("{fname}() argument 2 must be str, not {}", type_name(&p)))),
    }
}

fn getservbyname(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name, proto] = at_most::<2>(vm, "getservbyname", 1, args, kw)?;
    let name = name.unwrap_or_else(|| vm.none.clone());
    if name.downcast::<StrData>().is_none() {
        return Err(vm.type_error(format!("getservbyname() argument 1 must be str, not {}", type_name(&name))));
    }
    let n = cstr(vm, str_data(&name).as_str().as_bytes())?;
    let p = proto_arg(vm, "getservbyname", proto)?;
    match sys::getservbyname(&n, p.as_deref()) {
        Some(port) => Ok(vm.int(port as i64)),
        None => Err(os_msg(vm, "service/proto not found")),
    }
}

fn getservbyport(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [port, proto] = at_most::<2>(vm, "getservbyport", 1, args, kw)?;
    let port = c_int(vm, port.as_ref().unwrap_or(&vm.none))?;
    if !(0..=65535).contains(&port) {
        return Err(vm.new_error(&vm.types.overflow_error, "getservbyport: port must be 0-65535."));
    }
    let p = proto_arg(vm, "getservbyport", proto)?;
    match sys::getservbyport(port as u16, p.as_deref()) {
        Some(name) => Ok(new_str(vm, &name)),
        None => Err(os_msg(vm, "port/proto not found")),
    }
}

fn getprotobyname(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name] = exact::<1>(vm, "getprotobyname", args, kw)?;
    if name.downcast::<StrData>().is_none() {
        return Err(vm.type_error(format!("getprotobyname() argument must be str, not {}", type_name(&name))));
    }
    let n = cstr(vm, str_data(&name).as_str().as_bytes())?;
    match sys::getprotobyname(&n) {
        Some(p) => Ok(vm.int(p as i64)),
        None => Err(os_msg(vm, "protocol not found")),
    }
}

fn str_arg(vm: &Vm, fname: &str, n: usize, o: &Obj) -> PyResult<String> {
    match o.downcast::<StrData>() {
        Some(s) => Ok(s.as_str().into_owned()),
        None => Err(vm.type_error(format!("{fname}() argument {n} must be str, not {}", type_name(o)))),
    }
}

fn inet_aton(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [s] = exact::<1>(vm, "inet_aton", args, kw)?;
    let s = str_arg(vm, "inet_aton", 1, &s)?;
    let bad = || os_msg(vm, "illegal IP address string passed to inet_aton");
    let c = CString::new(s).map_err(|_| bad())?;
    match sys::inet_aton_(&c) {
        Some(ip) => Ok(new_bytes(vm, ip.to_vec())),
        None => Err(bad()),
    }
}

fn inet_ntoa(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [b] = exact::<1>(vm, "inet_ntoa", args, kw)?;
    let b = taipan_vm::types::bytes::buf_arg(vm, &b)?;
    if b.len() != 4 {
        return Err(os_msg(vm, "packed IP wrong length for inet_ntoa"));
    }
    Ok(new_str(vm, &format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3])))
}

fn inet_pton(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [af, s] = exact::<2>(vm, "inet_pton", args, kw)?;
    let af = c_int(vm, &af)?;
    let s = str_arg(vm, "inet_pton", 2, &s)?;
    let bad = || os_msg(vm, "illegal IP address string passed to inet_pton");
    let c = CString::new(s).map_err(|_| bad())?;
    match sys::inet_pton_(af, &c) {
        Ok(Some(b)) => Ok(new_bytes(vm, b)),
        Ok(None) => Err(bad()),
        Err(e) => Err(os_err(vm, e)),
    }
}

fn inet_ntop(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [af, b] = exact::<2>(vm, "inet_ntop", args, kw)?;
    let af = c_int(vm, &af)?;
    let b = taipan_vm::types::bytes::buf_arg(vm, &b)?;
    let need = match af {
        libc::AF_INET => 4,
        libc::AF_INET6 => 16,
        _ => return Err(vm.new_error(&vm.types.value_error, format!("unknown address family {af}"))),
    };
    if b.len() != need {
        return Err(vm.new_error(&vm.types.value_error, "invalid length of packed IP address string"));
    }
    Ok(new_str(vm, &ip_string(vm, af, &b)?))
}

fn u16_arg(vm: &Vm, fname: &str, args: &[Obj], kw: Kwargs) -> PyResult<u16> {
    let [x] = exact::<1>(vm, fname, args, kw)?;
    if int_data(&x).is_none() {
        return Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer", type_name(&x))));
    }
    let v = ops::index(vm, &x)?;
    match int_data(&v) {
        Some(IntData::Small(v)) if *v < 0 => {
            Err(vm.new_error(&vm.types.overflow_error, format!("{fname}: can't convert negative Python int to C 16-bit unsigned integer")))
        }
        Some(IntData::Small(v)) if *v <= 0xffff => Ok(*v as u16),
        _ => Err(vm.new_error(&vm.types.overflow_error, format!("{fname}: Python int too large to convert to C 16-bit unsigned integer"))),
    }
}

fn htons(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    Ok(vm.int(u16_arg(vm, "htons", args, kw)?.to_be() as i64))
}

fn ntohs(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    Ok(vm.int(u16::from_be(u16_arg(vm, "ntohs", args, kw)?) as i64))
}

fn u32_arg(vm: &Vm, fname: &str, args: &[Obj], kw: Kwargs) -> PyResult<u32> {
    let [x] = exact::<1>(vm, fname, args, kw)?;
    match int_data(&x) {
        Some(IntData::Small(v)) if *v < 0 => Err(vm.new_error(&vm.types.overflow_error, "can't convert negative value to unsigned int")),
        Some(IntData::Small(v)) if *v <= u32::MAX as i64 => Ok(*v as u32),
        Some(_) => Err(vm.new_error(&vm.types.overflow_error, "int larger than 32 bits")),
        None => Err(vm.type_error(format!("expected int, {} found", type_name(&x)))),
    }
}

fn htonl(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    Ok(vm.int(u32_arg(vm, "htonl", args, kw)?.to_be() as i64))
}

fn ntohl(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    Ok(vm.int(u32::from_be(u32_arg(vm, "ntohl", args, kw)?) as i64))
}

fn getdefaulttimeout(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "getdefaulttimeout", args, kw)?;
    Ok(timeout_obj(vm, default_timeout(vm)))
}

fn setdefaulttimeout(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [t] = exact::<1>(vm, "setdefaulttimeout", args, kw)?;
    let t = timeout_arg(vm, &t)?;
    vm.state::<State>().default_timeout.set(t);
    Ok(vm.none.clone())
}

fn if_nameindex(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "if_nameindex", args, kw)?;
    let list = sys::if_nameindex().map_err(|e| os_err(vm, e))?;
    let mut out = Vec::new();
    for (i, name) in list {
        out.push(new_tuple(vm, vec![vm.int(i as i64), fs_decode(vm, &name)?]));
    }
    Ok(new_list(vm, out))
}

fn if_nametoindex(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name] = exact::<1>(vm, "if_nametoindex", args, kw)?;
    let b = if name.downcast::<StrData>().is_some() {
        fs_encode(vm, &name)?
    } else {
        taipan_vm::types::bytes::buf_arg(vm, &name)?.into_owned()
    };
    let c = cstr(vm, &b)?;
    match sys::if_nametoindex(&c) {
        0 => Err(os_msg(vm, "no interface with this name")),
        i => Ok(vm.int(i as i64)),
    }
}

fn if_indextoname(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [i] = exact::<1>(vm, "if_indextoname", args, kw)?;
    if int_data(&i).is_none() {
        return Err(vm.type_error("an integer is required"));
    }
    let v = long_arg(vm, &i)?;
    let v = u32::try_from(v).map_err(|_| vm.new_error(&vm.types.overflow_error, "index is too large"))?;
    let name = sys::if_indextoname(v).map_err(|e| os_err(vm, e))?;
    fs_decode(vm, &name)
}

fn close(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd] = exact::<1>(vm, "close", args, kw)?;
    let fd = c_int(vm, &fd)?;
    match sys::close(fd) {
        Ok(()) | Err(libc::ECONNRESET) => Ok(vm.none.clone()),
        Err(e) => Err(os_err(vm, e)),
    }
}

fn dup(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [fd] = exact::<1>(vm, "dup", args, kw)?;
    let fd = c_int(vm, &fd)?;
    Ok(vm.int(sys::dup(fd).map_err(|e| os_err(vm, e))? as i64))
}

/// The length argument of `CMSG_LEN`/`CMSG_SPACE`: at most `limit`
/// (so that the result fits a `socklen_t`, as CPython checks).
fn cmsg_arg(vm: &Vm, fname: &str, args: &[Obj], kw: Kwargs, limit: usize) -> PyResult<usize> {
    let [n] = exact::<1>(vm, fname, args, kw)?;
    let out_of_range = || vm.new_error(&vm.types.overflow_error, format!("{fname}() argument out of range"));
    let v = long_arg(vm, &n).map_err(|_| out_of_range())?;
    usize::try_from(v).ok().filter(|v| *v <= limit).ok_or_else(out_of_range)
}

fn cmsg_len(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let n = cmsg_arg(vm, "CMSG_LEN", args, kw, i32::MAX as usize - sys::cmsg_len(0))?;
    Ok(vm.int(sys::cmsg_len(n as u32) as i64))
}

fn cmsg_space(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let n = cmsg_arg(vm, "CMSG_SPACE", args, kw, i32::MAX as usize - sys::cmsg_space(1))?;
    Ok(vm.int(sys::cmsg_space(n as u32) as i64))
}

#[cfg(test)]
mod tests {
    use super::constants::CONSTANTS;

    fn get(name: &str) -> i64 {
        CONSTANTS.iter().find(|(n, _)| *n == name).map(|(_, v)| *v).unwrap_or(-999)
    }

    /// The generated table agrees with the C library's headers.
    #[test]
    fn constants_match_libc() {
        for (name, v) in [
            ("AF_INET", libc::AF_INET as i64),
            ("AF_INET6", libc::AF_INET6 as i64),
            ("AF_UNIX", libc::AF_UNIX as i64),
            ("SOCK_STREAM", libc::SOCK_STREAM as i64),
            ("SOCK_DGRAM", libc::SOCK_DGRAM as i64),
            ("SOCK_NONBLOCK", libc::SOCK_NONBLOCK as i64),
            ("SOCK_CLOEXEC", libc::SOCK_CLOEXEC as i64),
            ("SOL_SOCKET", libc::SOL_SOCKET as i64),
            ("SO_REUSEADDR", libc::SO_REUSEADDR as i64),
            ("SO_ERROR", libc::SO_ERROR as i64),
            ("SO_TYPE", libc::SO_TYPE as i64),
            ("IPPROTO_TCP", libc::IPPROTO_TCP as i64),
            ("TCP_NODELAY", libc::TCP_NODELAY as i64),
            ("MSG_PEEK", libc::MSG_PEEK as i64),
            ("MSG_DONTWAIT", libc::MSG_DONTWAIT as i64),
            ("AI_PASSIVE", libc::AI_PASSIVE as i64),
            ("NI_NUMERICHOST", libc::NI_NUMERICHOST as i64),
            ("EAI_NONAME", libc::EAI_NONAME as i64),
            ("SHUT_RDWR", libc::SHUT_RDWR as i64),
            ("SOMAXCONN", libc::SOMAXCONN as i64),
        ] {
            assert_eq!(get(name), v, "{name}");
        }
    }
}
