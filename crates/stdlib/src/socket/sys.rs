//! The libc calls of `_socket`: sockets, addresses, name resolution and
//! interface names, as safe functions returning the C `errno` (or, for
//! the resolver, its own error code) on failure.
//!
//! # Safety
//!
//! Every `unsafe` block below calls one libc function (or reads what it
//! just filled in). The invariants each relies on:
//! - Pointer arguments come from live Rust values for the duration of the
//!   call: `&CStr` for names (NUL-terminated by construction), `&mut`
//!   buffers whose true length is passed alongside, zeroed
//!   `sockaddr_storage` out-structures whose size is passed as the address
//!   length (the kernel never writes beyond it, and [`SockAddr::from_raw`]
//!   reads only the part it reported, clamped to the structure's size).
//! - A `sockaddr_storage` is large and aligned enough for every address
//!   family, so casting its pointer to `sockaddr_in`/`sockaddr_in6`/
//!   `sockaddr_un` is valid.
//! - Lists returned by the C library (`getaddrinfo`'s `addrinfo` chain,
//!   `if_nameindex`'s array, `hostent`) are walked only up to their
//!   terminators and copied into Rust values before they are freed (with
//!   the matching `freeaddrinfo`/`if_freenameindex`) or before the next
//!   call that may overwrite them (`getservbyname` and friends use static
//!   storage: callers hold the GIL, so no other thread of ours calls them
//!   concurrently).
//! - File descriptors are plain integers: a bad one makes the kernel
//!   answer `EBADF`; ownership (closing exactly once) is the socket
//!   object's business, not this module's.

use std::ffi::{CStr, CString};
use std::mem::size_of;

/// A failed call: the C `errno`.
pub type SysResult<T> = Result<T, i32>;

/// The calling thread's `errno` after a failed call.
pub fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO)
}

fn check(r: libc::c_int) -> SysResult<libc::c_int> {
    if r < 0 {
        Err(errno())
    } else {
        Ok(r)
    }
}

fn check_size(r: libc::ssize_t) -> SysResult<usize> {
    if r < 0 {
        Err(errno())
    } else {
        Ok(r as usize)
    }
}

// ------------------------------------------------------------ addresses

/// A socket address, decoded from or encoded to the C structures.
#[derive(Clone, Debug, PartialEq)]
pub enum SockAddr {
    V4 {
        ip: [u8; 4],
        port: u16,
    },
    V6 {
        ip: [u8; 16],
        port: u16,
        flowinfo: u32,
        scope_id: u32,
    },
    /// `sun_path` as given (an abstract name starts with a NUL byte);
    /// empty for an unnamed socket.
    Unix(Vec<u8>),
    /// Another family (returned as a tuple `(family, bytes)` by nobody:
    /// CPython returns the family and the raw data).
    Other(i32, Vec<u8>),
}

const SUN_PATH_OFFSET: usize = std::mem::offset_of!(libc::sockaddr_un, sun_path);

impl SockAddr {
    /// The C structure and its length; `Err(EINVAL)` for a `Unix` path
    /// too long for `sun_path`.
    pub fn to_raw(&self) -> SysResult<(libc::sockaddr_storage, libc::socklen_t)> {
        // SAFETY: sockaddr_storage is plain data; all-zero is valid.
        let mut st: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
        let len = match self {
            SockAddr::V4 { ip, port } => {
                // SAFETY: storage is big and aligned enough for sockaddr_in.
                let sin = unsafe { &mut *(&mut st as *mut libc::sockaddr_storage).cast::<libc::sockaddr_in>() };
                sin.sin_family = libc::AF_INET as libc::sa_family_t;
                sin.sin_port = port.to_be();
                sin.sin_addr = libc::in_addr { s_addr: u32::from_ne_bytes(*ip) };
                size_of::<libc::sockaddr_in>()
            }
            SockAddr::V6 { ip, port, flowinfo, scope_id } => {
                // SAFETY: storage is big and aligned enough for sockaddr_in6.
                let sin6 = unsafe { &mut *(&mut st as *mut libc::sockaddr_storage).cast::<libc::sockaddr_in6>() };
                sin6.sin6_family = libc::AF_INET6 as libc::sa_family_t;
                sin6.sin6_port = port.to_be();
                sin6.sin6_flowinfo = flowinfo.to_be();
                sin6.sin6_addr = libc::in6_addr { s6_addr: *ip };
                sin6.sin6_scope_id = *scope_id;
                size_of::<libc::sockaddr_in6>()
            }
            SockAddr::Unix(path) => {
                // SAFETY: storage is big and aligned enough for sockaddr_un.
                let sun = unsafe { &mut *(&mut st as *mut libc::sockaddr_storage).cast::<libc::sockaddr_un>() };
                if path.len() > sun.sun_path.len() {
                    return Err(libc::EINVAL);
                }
                sun.sun_family = libc::AF_UNIX as libc::sa_family_t;
                for (d, s) in sun.sun_path.iter_mut().zip(path) {
                    *d = *s as libc::c_char;
                }
                SUN_PATH_OFFSET + path.len()
            }
            SockAddr::Other(..) => return Err(libc::EAFNOSUPPORT),
        };
        Ok((st, len as libc::socklen_t))
    }

    /// Decodes the first `len` bytes of `st` (as filled in by the kernel).
    pub fn from_raw(st: &libc::sockaddr_storage, len: libc::socklen_t) -> SockAddr {
        let len = (len as usize).min(size_of::<libc::sockaddr_storage>());
        let p = st as *const libc::sockaddr_storage;
        match st.ss_family as i32 {
            libc::AF_INET => {
                // SAFETY: storage is big and aligned enough for sockaddr_in.
                let sin = unsafe { &*p.cast::<libc::sockaddr_in>() };
                SockAddr::V4 { ip: sin.sin_addr.s_addr.to_ne_bytes(), port: u16::from_be(sin.sin_port) }
            }
            libc::AF_INET6 => {
                // SAFETY: storage is big and aligned enough for sockaddr_in6.
                let sin6 = unsafe { &*p.cast::<libc::sockaddr_in6>() };
                SockAddr::V6 {
                    ip: sin6.sin6_addr.s6_addr,
                    port: u16::from_be(sin6.sin6_port),
                    flowinfo: u32::from_be(sin6.sin6_flowinfo),
                    scope_id: sin6.sin6_scope_id,
                }
            }
            libc::AF_UNIX => {
                // SAFETY: storage is big and aligned enough for sockaddr_un.
                let sun = unsafe { &*p.cast::<libc::sockaddr_un>() };
                let n = len.saturating_sub(SUN_PATH_OFFSET).min(sun.sun_path.len());
                let mut path: Vec<u8> = sun.sun_path[..n].iter().map(|c| *c as u8).collect();
                if path.first() != Some(&0) {
                    // A file-system path: up to its NUL terminator.
                    if let Some(end) = path.iter().position(|&b| b == 0) {
                        path.truncate(end);
                    }
                }
                SockAddr::Unix(path)
            }
            f => {
                // SAFETY: reading `len` (clamped) bytes of the storage.
                let bytes = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) };
                SockAddr::Other(f, bytes.get(2..).unwrap_or(&[]).to_vec())
            }
        }
    }
}

// -------------------------------------------------------------- sockets

pub fn socket(family: i32, ty: i32, proto: i32) -> SysResult<i32> {
    // SAFETY: plain integer arguments.
    check(unsafe { libc::socket(family, ty | libc::SOCK_CLOEXEC, proto) })
}

pub fn socketpair(family: i32, ty: i32, proto: i32) -> SysResult<(i32, i32)> {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: `fds` has room for the two descriptors.
    check(unsafe { libc::socketpair(family, ty | libc::SOCK_CLOEXEC, proto, fds.as_mut_ptr()) })?;
    Ok((fds[0], fds[1]))
}

/// `close(2)`; `EINTR` counts as closed (Linux frees the descriptor).
pub fn close(fd: i32) -> SysResult<()> {
    // SAFETY: plain integer argument.
    match check(unsafe { libc::close(fd) }) {
        Err(libc::EINTR) | Ok(_) => Ok(()),
        Err(e) => Err(e),
    }
}

/// A close-on-exec duplicate of `fd`.
pub fn dup(fd: i32) -> SysResult<i32> {
    // SAFETY: plain integer arguments.
    check(unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) })
}

pub fn set_nonblocking(fd: i32, nonblocking: bool) -> SysResult<()> {
    // SAFETY: plain integer arguments.
    let flags = check(unsafe { libc::fcntl(fd, libc::F_GETFL) })?;
    let new = if nonblocking { flags | libc::O_NONBLOCK } else { flags & !libc::O_NONBLOCK };
    if new != flags {
        // SAFETY: plain integer arguments.
        check(unsafe { libc::fcntl(fd, libc::F_SETFL, new) })?;
    }
    Ok(())
}

pub fn bind(fd: i32, addr: &SockAddr) -> SysResult<()> {
    let (st, len) = addr.to_raw()?;
    // SAFETY: `st` is a valid address of `len` bytes.
    check(unsafe { libc::bind(fd, (&st as *const libc::sockaddr_storage).cast(), len) }).map(drop)
}

/// One `connect(2)` call (no retry: an interrupted connect goes on in
/// the background).
pub fn connect(fd: i32, addr: &SockAddr) -> SysResult<()> {
    let (st, len) = addr.to_raw()?;
    // SAFETY: `st` is a valid address of `len` bytes.
    check(unsafe { libc::connect(fd, (&st as *const libc::sockaddr_storage).cast(), len) }).map(drop)
}

pub fn listen(fd: i32, backlog: i32) -> SysResult<()> {
    // SAFETY: plain integer arguments.
    check(unsafe { libc::listen(fd, backlog) }).map(drop)
}

/// `accept4(2)` with `SOCK_CLOEXEC`: the new descriptor and the peer.
pub fn accept(fd: i32) -> SysResult<(i32, SockAddr)> {
    // SAFETY: all-zero is a valid sockaddr_storage.
    let mut st: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    // SAFETY: `st` is writable for `len` bytes.
    let r = check(unsafe { libc::accept4(fd, (&mut st as *mut libc::sockaddr_storage).cast(), &mut len, libc::SOCK_CLOEXEC) })?;
    Ok((r, SockAddr::from_raw(&st, len)))
}

pub fn send(fd: i32, data: &[u8], flags: i32) -> SysResult<usize> {
    // SAFETY: `data` is readable for its length.
    check_size(unsafe { libc::send(fd, data.as_ptr().cast(), data.len(), flags) })
}

pub fn sendto(fd: i32, data: &[u8], flags: i32, addr: &SockAddr) -> SysResult<usize> {
    let (st, len) = addr.to_raw()?;
    // SAFETY: `data` is readable for its length; `st` is a valid address.
    check_size(unsafe { libc::sendto(fd, data.as_ptr().cast(), data.len(), flags, (&st as *const libc::sockaddr_storage).cast(), len) })
}

pub fn recv(fd: i32, buf: &mut [u8], flags: i32) -> SysResult<usize> {
    // SAFETY: `buf` is writable for its length.
    check_size(unsafe { libc::recv(fd, buf.as_mut_ptr().cast(), buf.len(), flags) })
}

/// `recvfrom(2)`: the size read and the sender (`None` when the kernel
/// reported no address, as for a connected stream socket).
pub fn recvfrom(fd: i32, buf: &mut [u8], flags: i32) -> SysResult<(usize, Option<SockAddr>)> {
    // SAFETY: all-zero is a valid sockaddr_storage.
    let mut st: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    // SAFETY: `buf` and `st` are writable for the lengths passed.
    let n = check_size(unsafe {
        libc::recvfrom(fd, buf.as_mut_ptr().cast(), buf.len(), flags, (&mut st as *mut libc::sockaddr_storage).cast(), &mut len)
    })?;
    Ok((n, (len > 0).then(|| SockAddr::from_raw(&st, len))))
}

/// One item of ancillary data (`sendmsg`/`recvmsg`): level, type, payload.
pub struct ControlMessage {
    pub level: i32,
    pub kind: i32,
    pub data: Vec<u8>,
}

/// `CMSG_LEN(n)`: header plus `n` bytes, unpadded.
pub fn cmsg_len(n: u32) -> usize {
    // SAFETY: pure arithmetic on its argument.
    unsafe { libc::CMSG_LEN(n) as usize }
}

/// `CMSG_SPACE(n)`: header plus `n` bytes, padded for the next header.
pub fn cmsg_space(n: u32) -> usize {
    // SAFETY: pure arithmetic on its argument.
    unsafe { libc::CMSG_SPACE(n) as usize }
}

/// `sendmsg(2)` with a gather list, ancillary items and an optional
/// destination: the number of bytes sent.
pub fn sendmsg(fd: i32, bufs: &[Vec<u8>], cmsgs: &[ControlMessage], flags: i32, addr: Option<&SockAddr>) -> SysResult<usize> {
    let mut iov: Vec<libc::iovec> =
        bufs.iter().map(|b| libc::iovec { iov_base: b.as_ptr() as *mut libc::c_void, iov_len: b.len() }).collect();
    let mut space = 0usize;
    for c in cmsgs {
        let n = u32::try_from(c.data.len()).map_err(|_| libc::EINVAL)?;
        space += cmsg_space(n);
    }
    // u64 words keep the control buffer aligned for `cmsghdr`.
    let mut control = vec![0u64; space.div_ceil(8)];
    let raw = addr.map(SockAddr::to_raw).transpose()?;
    // SAFETY: all-zero is a valid msghdr.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    if let Some((st, len)) = &raw {
        msg.msg_name = (st as *const libc::sockaddr_storage).cast_mut().cast();
        msg.msg_namelen = *len;
    }
    msg.msg_iov = iov.as_mut_ptr();
    msg.msg_iovlen = iov.len();
    if space > 0 {
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = space;
        // SAFETY: the control buffer holds CMSG_SPACE bytes for every item,
        // so each header and its payload fit; NXTHDR returns null only
        // past the end, which the loop never dereferences.
        unsafe {
            let mut h = libc::CMSG_FIRSTHDR(&msg);
            for c in cmsgs {
                if h.is_null() {
                    return Err(libc::EINVAL);
                }
                (*h).cmsg_level = c.level;
                (*h).cmsg_type = c.kind;
                (*h).cmsg_len = libc::CMSG_LEN(c.data.len() as u32) as _;
                std::ptr::copy_nonoverlapping(c.data.as_ptr(), libc::CMSG_DATA(h), c.data.len());
                h = libc::CMSG_NXTHDR(&msg, h);
            }
        }
    }
    // SAFETY: every pointer in `msg` refers to a live buffer of the length
    // stored beside it.
    check_size(unsafe { libc::sendmsg(fd, &msg, flags) })
}

/// What `recvmsg(2)` delivered.
pub struct Received {
    pub nbytes: usize,
    pub cmsgs: Vec<ControlMessage>,
    pub flags: i32,
    pub addr: Option<SockAddr>,
}

/// `recvmsg(2)` into a scatter list, with room for `ancbufsize` bytes of
/// ancillary data. A truncated item keeps the part that arrived.
pub fn recvmsg(fd: i32, bufs: &mut [Vec<u8>], ancbufsize: usize, flags: i32) -> SysResult<Received> {
    let mut iov: Vec<libc::iovec> = bufs.iter_mut().map(|b| libc::iovec { iov_base: b.as_mut_ptr().cast(), iov_len: b.len() }).collect();
    let mut control = vec![0u64; ancbufsize.div_ceil(8)];
    // SAFETY: all-zero is a valid sockaddr_storage and msghdr.
    let mut st: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_name = (&mut st as *mut libc::sockaddr_storage).cast();
    msg.msg_namelen = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    msg.msg_iov = iov.as_mut_ptr();
    msg.msg_iovlen = iov.len();
    if ancbufsize > 0 {
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = ancbufsize;
    }
    // SAFETY: every pointer in `msg` refers to a live, writable buffer of
    // the length stored beside it.
    let nbytes = check_size(unsafe { libc::recvmsg(fd, &mut msg, flags) })?;
    let mut cmsgs = Vec::new();
    if !msg.msg_control.is_null() && msg.msg_controllen > 0 {
        let base = msg.msg_control as usize;
        let end = base + msg.msg_controllen.min(ancbufsize);
        let header = cmsg_len(0);
        // SAFETY: FIRSTHDR/NXTHDR stay inside `msg_controllen` bytes of the
        // control buffer (they return null otherwise); a header is read
        // only when it lies wholly inside, and its payload is clamped to
        // the bytes the kernel wrote.
        unsafe {
            let mut h = libc::CMSG_FIRSTHDR(&msg);
            while !h.is_null() && (h as usize) + header <= end {
                let data = libc::CMSG_DATA(h) as usize;
                let claimed = ((*h).cmsg_len as usize).saturating_sub(header);
                let n = claimed.min(end.saturating_sub(data));
                let bytes = std::slice::from_raw_parts(data as *const u8, n).to_vec();
                cmsgs.push(ControlMessage { level: (*h).cmsg_level, kind: (*h).cmsg_type, data: bytes });
                if ((*h).cmsg_len as usize) < header {
                    break;
                }
                h = libc::CMSG_NXTHDR(&msg, h);
            }
        }
    }
    let addr = (msg.msg_namelen > 0).then(|| SockAddr::from_raw(&st, msg.msg_namelen));
    Ok(Received { nbytes, cmsgs, flags: msg.msg_flags, addr })
}

pub fn shutdown(fd: i32, how: i32) -> SysResult<()> {
    // SAFETY: plain integer arguments.
    check(unsafe { libc::shutdown(fd, how) }).map(drop)
}

pub fn getsockopt_int(fd: i32, level: i32, opt: i32) -> SysResult<i32> {
    let mut v: libc::c_int = 0;
    let mut len = size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: `v` is writable for `len` bytes.
    check(unsafe { libc::getsockopt(fd, level, opt, (&mut v as *mut libc::c_int).cast(), &mut len) })?;
    Ok(v)
}

pub fn getsockopt_bytes(fd: i32, level: i32, opt: i32, size: usize) -> SysResult<Vec<u8>> {
    let mut buf = vec![0u8; size];
    let mut len = size as libc::socklen_t;
    // SAFETY: `buf` is writable for `len` bytes.
    check(unsafe { libc::getsockopt(fd, level, opt, buf.as_mut_ptr().cast(), &mut len) })?;
    buf.truncate(len as usize);
    Ok(buf)
}

pub fn setsockopt_bytes(fd: i32, level: i32, opt: i32, value: &[u8]) -> SysResult<()> {
    // SAFETY: `value` is readable for its length.
    check(unsafe { libc::setsockopt(fd, level, opt, value.as_ptr().cast(), value.len() as libc::socklen_t) }).map(drop)
}

fn name_of(fd: i32, peer: bool) -> SysResult<SockAddr> {
    // SAFETY: all-zero is a valid sockaddr_storage.
    let mut st: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    let p = (&mut st as *mut libc::sockaddr_storage).cast();
    // SAFETY: `st` is writable for `len` bytes.
    check(unsafe {
        if peer {
            libc::getpeername(fd, p, &mut len)
        } else {
            libc::getsockname(fd, p, &mut len)
        }
    })?;
    Ok(SockAddr::from_raw(&st, len))
}

pub fn getsockname(fd: i32) -> SysResult<SockAddr> {
    name_of(fd, false)
}

pub fn getpeername(fd: i32) -> SysResult<SockAddr> {
    name_of(fd, true)
}

/// `poll(2)` on one descriptor: the returned events (0 on timeout).
/// `timeout_ms < 0` waits forever. Not retried on `EINTR`.
pub fn poll_one(fd: i32, events: i16, timeout_ms: i32) -> SysResult<i16> {
    let mut p = libc::pollfd { fd, events, revents: 0 };
    // SAFETY: one valid pollfd.
    let n = check(unsafe { libc::poll(&mut p, 1, timeout_ms) })?;
    Ok(if n == 0 { 0 } else { p.revents })
}

// ----------------------------------------------------------- resolver

/// A `getaddrinfo` result row: family, type, protocol, canonical name,
/// address.
pub type AddrInfo = (i32, i32, i32, String, SockAddr);

/// A resolver failure: the `EAI_*` code and, for `EAI_SYSTEM`, `errno`.
#[derive(Debug)]
pub struct GaiError {
    pub code: i32,
    pub errno: i32,
}

pub fn getaddrinfo(
    host: Option<&CStr>,
    port: Option<&CStr>,
    family: i32,
    ty: i32,
    proto: i32,
    flags: i32,
) -> Result<Vec<AddrInfo>, GaiError> {
    // SAFETY: all-zero is a valid addrinfo hints structure.
    let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    hints.ai_family = family;
    hints.ai_socktype = ty;
    hints.ai_protocol = proto;
    hints.ai_flags = flags;
    let mut res: *mut libc::addrinfo = std::ptr::null_mut();
    let h = host.map_or(std::ptr::null(), |c| c.as_ptr());
    let p = port.map_or(std::ptr::null(), |c| c.as_ptr());
    // SAFETY: the strings are NUL-terminated or null; `res` receives a list.
    let r = unsafe { libc::getaddrinfo(h, p, &hints, &mut res) };
    if r != 0 {
        return Err(GaiError { code: r, errno: errno() });
    }
    let mut out = Vec::new();
    let mut cur = res;
    while !cur.is_null() {
        // SAFETY: `cur` is a node of the list getaddrinfo returned.
        let ai = unsafe { &*cur };
        let canon = if ai.ai_canonname.is_null() {
            String::new()
        } else {
            // SAFETY: a NUL-terminated string owned by the list.
            unsafe { CStr::from_ptr(ai.ai_canonname) }.to_string_lossy().into_owned()
        };
        let addr = if ai.ai_addr.is_null() {
            SockAddr::Other(ai.ai_family, Vec::new())
        } else {
            // SAFETY: all-zero is a valid sockaddr_storage.
            let mut st: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
            let n = (ai.ai_addrlen as usize).min(size_of::<libc::sockaddr_storage>());
            // SAFETY: `ai_addr` points to `ai_addrlen` bytes; we copy at most
            // the storage's size.
            unsafe { std::ptr::copy_nonoverlapping(ai.ai_addr.cast::<u8>(), (&mut st as *mut libc::sockaddr_storage).cast::<u8>(), n) };
            SockAddr::from_raw(&st, n as libc::socklen_t)
        };
        out.push((ai.ai_family, ai.ai_socktype, ai.ai_protocol, canon, addr));
        cur = ai.ai_next;
    }
    // SAFETY: `res` came from getaddrinfo and is freed once.
    unsafe { libc::freeaddrinfo(res) };
    Ok(out)
}

/// The resolver's message for an `EAI_*` code.
pub fn gai_strerror(code: i32) -> String {
    // SAFETY: gai_strerror returns a static NUL-terminated string.
    let p = unsafe { libc::gai_strerror(code) };
    if p.is_null() {
        return format!("Unknown error {code}");
    }
    // SAFETY: see above.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// `getnameinfo(3)`: host and service names.
pub fn getnameinfo(addr: &SockAddr, flags: i32) -> Result<(String, String), GaiError> {
    let (st, len) = addr.to_raw().map_err(|e| GaiError { code: libc::EAI_FAMILY, errno: e })?;
    let mut host = [0 as libc::c_char; 1025];
    let mut serv = [0 as libc::c_char; 32];
    // SAFETY: `st` is a valid address; the buffers are writable for the
    // lengths passed.
    let r = unsafe {
        libc::getnameinfo(
            (&st as *const libc::sockaddr_storage).cast(),
            len,
            host.as_mut_ptr(),
            host.len() as libc::socklen_t,
            serv.as_mut_ptr(),
            serv.len() as libc::socklen_t,
            flags,
        )
    };
    if r != 0 {
        return Err(GaiError { code: r, errno: errno() });
    }
    // SAFETY: getnameinfo NUL-terminated both buffers.
    let h = unsafe { CStr::from_ptr(host.as_ptr()) }.to_string_lossy().into_owned();
    // SAFETY: as above.
    let s = unsafe { CStr::from_ptr(serv.as_ptr()) }.to_string_lossy().into_owned();
    Ok((h, s))
}

pub fn gethostname() -> SysResult<Vec<u8>> {
    let mut buf = [0u8; 1024];
    // SAFETY: `buf` is writable for its length.
    check(unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len() - 1) })?;
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len() - 1);
    Ok(buf[..end].to_vec())
}

pub fn sethostname(name: &[u8]) -> SysResult<()> {
    // SAFETY: `name` is readable for its length.
    check(unsafe { libc::sethostname(name.as_ptr().cast(), name.len()) }).map(drop)
}

extern "C" {
    fn inet_aton(cp: *const libc::c_char, inp: *mut libc::in_addr) -> libc::c_int;
    fn inet_pton(af: libc::c_int, src: *const libc::c_char, dst: *mut libc::c_void) -> libc::c_int;
    fn inet_ntop(af: libc::c_int, src: *const libc::c_void, dst: *mut libc::c_char, size: libc::socklen_t) -> *const libc::c_char;
    fn gethostbyname_r(
        name: *const libc::c_char,
        ret: *mut libc::hostent,
        buf: *mut libc::c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::hostent,
        h_errnop: *mut libc::c_int,
    ) -> libc::c_int;
    fn gethostbyaddr_r(
        addr: *const libc::c_void,
        len: libc::socklen_t,
        ty: libc::c_int,
        ret: *mut libc::hostent,
        buf: *mut libc::c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::hostent,
        h_errnop: *mut libc::c_int,
    ) -> libc::c_int;
}

/// `inet_aton(3)`: the forms `a.b.c.d`, `a.b.c`, `a.b`, `a` (each part
/// decimal, octal or hex).
pub fn inet_aton_(s: &CStr) -> Option<[u8; 4]> {
    let mut a = libc::in_addr { s_addr: 0 };
    // SAFETY: `s` is NUL-terminated; `a` is writable.
    let r = unsafe { inet_aton(s.as_ptr(), &mut a) };
    (r != 0).then(|| a.s_addr.to_ne_bytes())
}

/// `inet_pton(3)` for `AF_INET`/`AF_INET6`: the packed address, `None`
/// when `s` is not one, `Err(EAFNOSUPPORT)` for other families.
pub fn inet_pton_(family: i32, s: &CStr) -> SysResult<Option<Vec<u8>>> {
    let mut buf = [0u8; 16];
    let n = match family {
        libc::AF_INET => 4,
        libc::AF_INET6 => 16,
        _ => return Err(libc::EAFNOSUPPORT),
    };
    // SAFETY: `s` is NUL-terminated; `buf` has room for either address.
    let r = unsafe { inet_pton(family, s.as_ptr(), buf.as_mut_ptr().cast()) };
    match r {
        1 => Ok(Some(buf[..n].to_vec())),
        0 => Ok(None),
        _ => Err(errno()),
    }
}

/// `inet_ntop(3)` of a packed address of the right size for `family`.
pub fn inet_ntop_(family: i32, packed: &[u8]) -> SysResult<String> {
    let need = match family {
        libc::AF_INET => 4,
        libc::AF_INET6 => 16,
        _ => return Err(libc::EAFNOSUPPORT),
    };
    if packed.len() != need {
        return Err(libc::EINVAL);
    }
    let mut src = [0u8; 16];
    src[..need].copy_from_slice(packed);
    let mut out = [0 as libc::c_char; 64];
    // SAFETY: `src` holds the address; `out` is writable for its length.
    let p = unsafe { inet_ntop(family, src.as_ptr().cast(), out.as_mut_ptr(), out.len() as libc::socklen_t) };
    if p.is_null() {
        return Err(errno());
    }
    // SAFETY: inet_ntop NUL-terminated `out`.
    Ok(unsafe { CStr::from_ptr(out.as_ptr()) }.to_string_lossy().into_owned())
}

/// What `gethostbyname_r`/`gethostbyaddr_r` found: official name,
/// aliases, addresses (packed, of the entry's family) and that family.
pub struct HostEnt {
    pub name: String,
    pub aliases: Vec<String>,
    pub addrs: Vec<Vec<u8>>,
    pub family: i32,
}

/// A host lookup failure: `h_errno` (for `herror`), or an `errno`.
pub enum HostError {
    H(i32),
    Errno(i32),
}

fn host_call(
    f: impl Fn(*mut libc::hostent, *mut libc::c_char, usize, *mut *mut libc::hostent, *mut libc::c_int) -> libc::c_int,
) -> Result<HostEnt, HostError> {
    let mut size = 16 * 1024;
    loop {
        let mut buf = vec![0 as libc::c_char; size];
        // SAFETY: all-zero is a valid hostent to be filled in.
        let mut he: libc::hostent = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::hostent = std::ptr::null_mut();
        let mut herr: libc::c_int = 0;
        let r = f(&mut he, buf.as_mut_ptr(), buf.len(), &mut result, &mut herr);
        if r == libc::ERANGE && size < 1 << 20 {
            size *= 4;
            continue;
        }
        if result.is_null() {
            return Err(if herr != 0 { HostError::H(herr) } else { HostError::Errno(r) });
        }
        // SAFETY: `he` was filled in; its strings and lists live in `buf`
        // (alive here) and end with null pointers.
        unsafe {
            let name = if he.h_name.is_null() { String::new() } else { CStr::from_ptr(he.h_name).to_string_lossy().into_owned() };
            let mut aliases = Vec::new();
            let mut p = he.h_aliases;
            while !p.is_null() && !(*p).is_null() {
                aliases.push(CStr::from_ptr(*p).to_string_lossy().into_owned());
                p = p.add(1);
            }
            let mut addrs = Vec::new();
            let mut p = he.h_addr_list;
            let n = he.h_length.max(0) as usize;
            while !p.is_null() && !(*p).is_null() {
                addrs.push(std::slice::from_raw_parts((*p).cast::<u8>(), n).to_vec());
                p = p.add(1);
            }
            return Ok(HostEnt { name, aliases, addrs, family: he.h_addrtype });
        }
    }
}

pub fn gethostbyname(name: &CStr) -> Result<HostEnt, HostError> {
    // SAFETY: `name` is NUL-terminated; the other pointers come from host_call.
    host_call(|he, buf, len, res, herr| unsafe { gethostbyname_r(name.as_ptr(), he, buf, len, res, herr) })
}

pub fn gethostbyaddr(packed: &[u8], family: i32) -> Result<HostEnt, HostError> {
    // SAFETY: `packed` is readable for its length; the other pointers come from host_call.
    host_call(|he, buf, len, res, herr| unsafe {
        gethostbyaddr_r(packed.as_ptr().cast(), packed.len() as libc::socklen_t, family, he, buf, len, res, herr)
    })
}

/// `hstrerror(3)`.
pub fn hstrerror(code: i32) -> String {
    // SAFETY: hstrerror returns a static NUL-terminated string.
    let p = unsafe { libc::hstrerror(code) };
    if p.is_null() {
        return "Unknown server error".to_string();
    }
    // SAFETY: see above.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// `getservbyname(3)`: the port (host order).
pub fn getservbyname(name: &CStr, proto: Option<&CStr>) -> Option<u16> {
    // SAFETY: the strings are NUL-terminated or null; the result is read
    // at once (static storage, callers hold the GIL).
    unsafe {
        let s = libc::getservbyname(name.as_ptr(), proto.map_or(std::ptr::null(), |p| p.as_ptr()));
        (!s.is_null()).then(|| u16::from_be((*s).s_port as u16))
    }
}

/// `getservbyport(3)`: the service name.
pub fn getservbyport(port: u16, proto: Option<&CStr>) -> Option<String> {
    // SAFETY: as for getservbyname.
    unsafe {
        let s = libc::getservbyport(port.to_be() as libc::c_int, proto.map_or(std::ptr::null(), |p| p.as_ptr()));
        (!s.is_null() && !(*s).s_name.is_null()).then(|| CStr::from_ptr((*s).s_name).to_string_lossy().into_owned())
    }
}

/// `getprotobyname(3)`: the protocol number.
pub fn getprotobyname(name: &CStr) -> Option<i32> {
    // SAFETY: as for getservbyname.
    unsafe {
        let p = libc::getprotobyname(name.as_ptr());
        (!p.is_null()).then(|| (*p).p_proto)
    }
}

// ----------------------------------------------------------- interfaces

/// `if_nameindex(3)`: (index, name) pairs.
pub fn if_nameindex() -> SysResult<Vec<(u32, Vec<u8>)>> {
    // SAFETY: no arguments; the array is read up to its terminator and freed once.
    unsafe {
        let list = libc::if_nameindex();
        if list.is_null() {
            return Err(errno());
        }
        let mut out = Vec::new();
        let mut p = list;
        while (*p).if_index != 0 && !(*p).if_name.is_null() {
            out.push(((*p).if_index, CStr::from_ptr((*p).if_name).to_bytes().to_vec()));
            p = p.add(1);
        }
        libc::if_freenameindex(list);
        Ok(out)
    }
}

pub fn if_nametoindex(name: &CStr) -> u32 {
    // SAFETY: `name` is NUL-terminated.
    unsafe { libc::if_nametoindex(name.as_ptr()) }
}

pub fn if_indextoname(index: u32) -> SysResult<Vec<u8>> {
    let mut buf = [0 as libc::c_char; libc::IF_NAMESIZE + 1];
    // SAFETY: `buf` has room for IF_NAMESIZE bytes.
    let p = unsafe { libc::if_indextoname(index, buf.as_mut_ptr()) };
    if p.is_null() {
        return Err(errno());
    }
    // SAFETY: if_indextoname NUL-terminated `buf`.
    Ok(unsafe { CStr::from_ptr(buf.as_ptr()) }.to_bytes().to_vec())
}

/// A `CString` from bytes without NUL (`None` if there is one).
pub fn cstring(b: &[u8]) -> Option<CString> {
    CString::new(b).ok()
}
