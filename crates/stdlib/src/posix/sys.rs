//! The system calls of `posix`, `fcntl` and `_posixsubprocess` that std
//! does not offer with CPython's semantics (`*at` variants with `dir_fd`,
//! raw file descriptors, `fork`/`exec`, wait statuses), as safe functions
//! returning the C `errno` on failure.
//!
//! # Safety
//!
//! Every `unsafe` block below calls one libc function. The invariants each
//! relies on:
//! - Pointer arguments come from live Rust values for the duration of the
//!   call: `&CStr` for paths (NUL-terminated by construction), `&mut`
//!   buffers whose length is passed alongside, `MaybeUninit` out-structures
//!   that are read only after the call reported success.
//! - File descriptors are plain integers: passing a bad one is not unsafe
//!   (the kernel answers `EBADF`); closing a descriptor that Rust code owns
//!   elsewhere (a `std::fs::File`) would be a logic error, and this module
//!   never wraps descriptors in owning std types.
//! - `fork` is called with the interpreter's only thread that runs Python
//!   code; in the child, callers either keep running the interpreter (as
//!   CPython's `os.fork` does) or, for `_posixsubprocess`, only call the
//!   async-signal-safe functions of [`child_exec`] on data prepared before
//!   the fork (no allocation in the child).
//! - `setenv`/`unsetenv` mutate the process environment: the interpreter's
//!   threads only call them while running Python code (under the GIL), and
//!   no other thread of ours reads the environment concurrently.

use std::ffi::{CStr, CString};
use std::mem::MaybeUninit;

/// A failed call: the C `errno`.
pub type SysResult<T> = Result<T, i32>;

/// The calling thread's `errno` after a failed call.
pub fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EIO)
}

fn check(r: libc::c_int) -> SysResult<libc::c_int> {
    if r == -1 {
        Err(errno())
    } else {
        Ok(r)
    }
}

/// Retries a call interrupted by a signal (PEP 475), unless Python signal
/// handlers are waiting to run: then `EINTR` is returned, and the caller
/// (`taipan_vm::signals::retry_eintr`) runs them before trying again.
fn retry<T: PartialEq + Copy>(fail: T, mut f: impl FnMut() -> T) -> SysResult<T> {
    loop {
        let r = f();
        if r != fail {
            return Ok(r);
        }
        let e = errno();
        if e != libc::EINTR || taipan_vm::signals::pending() {
            return Err(e);
        }
    }
}

/// `strerror(e)`, the C library's message for an error number.
pub fn strerror(e: i32) -> String {
    let mut buf = [0u8; 256];
    // SAFETY: `buf` is writable for its length; the XSI `strerror_r`
    // writes a NUL-terminated message into it.
    let r = unsafe { libc::strerror_r(e, buf.as_mut_ptr().cast(), buf.len()) };
    if r != 0 {
        return format!("Unknown error {e}");
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

fn dirfd(dir_fd: Option<i32>) -> libc::c_int {
    dir_fd.unwrap_or(libc::AT_FDCWD)
}

fn nofollow(follow: bool) -> libc::c_int {
    if follow {
        0
    } else {
        libc::AT_SYMLINK_NOFOLLOW
    }
}

pub type Stat = libc::stat;

/// `fstatat(dir_fd, path, flags)`.
pub fn stat(path: &CStr, dir_fd: Option<i32>, follow: bool) -> SysResult<Stat> {
    let mut st = MaybeUninit::<Stat>::uninit();
    // SAFETY: `path` is NUL-terminated, `st` is writable.
    retry(-1, || unsafe { libc::fstatat(dirfd(dir_fd), path.as_ptr(), st.as_mut_ptr(), nofollow(follow)) })?;
    // SAFETY: the call succeeded and filled `st`.
    Ok(unsafe { st.assume_init() })
}

/// `fstat(fd)`.
pub fn fstat(fd: i32) -> SysResult<Stat> {
    let mut st = MaybeUninit::<Stat>::uninit();
    // SAFETY: `st` is writable.
    retry(-1, || unsafe { libc::fstat(fd, st.as_mut_ptr()) })?;
    // SAFETY: the call succeeded and filled `st`.
    Ok(unsafe { st.assume_init() })
}

/// `openat(dir_fd, path, flags, mode)`.
pub fn open(path: &CStr, flags: i32, mode: u32, dir_fd: Option<i32>) -> SysResult<i32> {
    // SAFETY: `path` is NUL-terminated.
    retry(-1, || unsafe { libc::openat(dirfd(dir_fd), path.as_ptr(), flags, mode as libc::c_uint) })
}

pub fn close(fd: i32) -> SysResult<()> {
    // SAFETY: closing a descriptor number (see the module invariants).
    check(unsafe { libc::close(fd) }).map(drop)
}

/// Closes every descriptor in `lo..hi` (errors ignored).
pub fn close_range(lo: i32, hi: i32) {
    for fd in lo..hi {
        // SAFETY: as `close`.
        unsafe { libc::close(fd) };
    }
}

/// `read(fd, n)`: up to `n` bytes.
pub fn read(fd: i32, n: usize) -> SysResult<Vec<u8>> {
    let mut buf = vec![0u8; n];
    let got = read_into(fd, &mut buf)?;
    buf.truncate(got);
    Ok(buf)
}

/// `read(fd, buf)`: the number of bytes read into `buf` (0 at end of file).
pub fn read_into(fd: i32, buf: &mut [u8]) -> SysResult<usize> {
    // SAFETY: `buf` is writable for its length.
    retry(-1, || unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) }).map(|n| n as usize)
}

/// `sendfile(out, in, offset, count)`: copies in the kernel; `None` reads
/// from (and advances) `in`'s own position.
pub fn sendfile(out_fd: i32, in_fd: i32, offset: Option<i64>, count: usize) -> SysResult<usize> {
    let mut off = offset.unwrap_or(0) as libc::off_t;
    let p: *mut libc::off_t = if offset.is_some() { &mut off } else { std::ptr::null_mut() };
    // SAFETY: `p` is null or points to `off`, live for the call.
    retry(-1, || unsafe { libc::sendfile(out_fd, in_fd, p, count) }).map(|n| n as usize)
}

/// `write(fd, data)`: the number of bytes written.
pub fn write(fd: i32, data: &[u8]) -> SysResult<usize> {
    // SAFETY: `data` is readable for its length.
    retry(-1, || unsafe { libc::write(fd, data.as_ptr().cast(), data.len()) }).map(|n| n as usize)
}

pub fn lseek(fd: i32, pos: i64, how: i32) -> SysResult<i64> {
    // SAFETY: plain integers.
    let r = unsafe { libc::lseek(fd, pos, how) };
    if r == -1 {
        Err(errno())
    } else {
        Ok(r)
    }
}

/// `pipe2(flags)`: (read end, write end).
pub fn pipe2(flags: i32) -> SysResult<(i32, i32)> {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: `fds` has room for the two descriptors.
    check(unsafe { libc::pipe2(fds.as_mut_ptr(), flags) })?;
    Ok((fds[0], fds[1]))
}

/// A new descriptor for `fd`, close-on-exec unless `inheritable`.
pub fn dup(fd: i32, inheritable: bool) -> SysResult<i32> {
    let cmd = if inheritable { libc::F_DUPFD } else { libc::F_DUPFD_CLOEXEC };
    // SAFETY: plain integers.
    check(unsafe { libc::fcntl(fd, cmd, 0) })
}

/// `dup2(fd, fd2)`, or `dup3(.., O_CLOEXEC)` when not `inheritable`.
pub fn dup2(fd: i32, fd2: i32, inheritable: bool) -> SysResult<i32> {
    if inheritable || fd == fd2 {
        // SAFETY: plain integers.
        return retry(-1, || unsafe { libc::dup2(fd, fd2) });
    }
    // SAFETY: plain integers.
    retry(-1, || unsafe { libc::dup3(fd, fd2, libc::O_CLOEXEC) })
}

pub fn isatty(fd: i32) -> bool {
    // SAFETY: plain integer.
    unsafe { libc::isatty(fd) == 1 }
}

pub fn ftruncate(fd: i32, len: i64) -> SysResult<()> {
    // SAFETY: plain integers.
    retry(-1, || unsafe { libc::ftruncate(fd, len) }).map(drop)
}

pub fn truncate(path: &CStr, len: i64) -> SysResult<()> {
    // SAFETY: `path` is NUL-terminated.
    retry(-1, || unsafe { libc::truncate(path.as_ptr(), len) }).map(drop)
}

pub fn fsync(fd: i32, data_only: bool) -> SysResult<()> {
    // SAFETY: plain integer.
    retry(-1, || unsafe {
        if data_only {
            libc::fdatasync(fd)
        } else {
            libc::fsync(fd)
        }
    })
    .map(drop)
}

/// `fcntl(fd, cmd, arg)` with an integer argument.
pub fn fcntl_int(fd: i32, cmd: i32, arg: i64) -> SysResult<i32> {
    // SAFETY: integer-argument commands only (the caller's contract).
    retry(-1, || unsafe { libc::fcntl(fd, cmd, arg as libc::c_long) })
}

/// `fcntl(fd, cmd, buf)` / `ioctl(fd, request, buf)` with a buffer argument
/// (at most 1024 bytes, as CPython copies it): the buffer is updated.
pub fn fcntl_buf(fd: i32, cmd: u64, buf: &mut [u8], ioctl: bool) -> SysResult<i32> {
    let mut space = [0u8; 1024];
    let n = buf.len().min(space.len());
    space[..n].copy_from_slice(&buf[..n]);
    // SAFETY: `space` is a writable 1024-byte buffer, larger than what the
    // command may write for any argument the caller copied into it.
    let r = retry(-1, || unsafe {
        if ioctl {
            libc::ioctl(fd, cmd as _, space.as_mut_ptr())
        } else {
            libc::fcntl(fd, cmd as libc::c_int, space.as_mut_ptr())
        }
    })?;
    buf[..n].copy_from_slice(&space[..n]);
    Ok(r)
}

/// `ioctl(fd, request, int_arg)`.
pub fn ioctl_int(fd: i32, request: u64, arg: i64) -> SysResult<i32> {
    // SAFETY: integer-argument requests only (the caller's contract).
    retry(-1, || unsafe { libc::ioctl(fd, request as _, arg as libc::c_long) })
}

pub fn flock(fd: i32, op: i32) -> SysResult<()> {
    // SAFETY: plain integers.
    retry(-1, || unsafe { libc::flock(fd, op) }).map(drop)
}

/// `fcntl(fd, F_SETLK[W], struct flock)` (what `fcntl.lockf` does).
pub fn lockf(fd: i32, cmd: i32, kind: i16, start: i64, len: i64, whence: i16) -> SysResult<()> {
    // SAFETY: an all-zero `flock` is a valid value of the C struct.
    let mut l: libc::flock = unsafe { std::mem::zeroed() };
    l.l_type = kind;
    l.l_whence = whence;
    l.l_start = start;
    l.l_len = len;
    // SAFETY: `l` lives across the call.
    retry(-1, || unsafe { libc::fcntl(fd, cmd, &mut l as *mut libc::flock) }).map(drop)
}

/// The window size of the terminal on `fd`: (columns, lines).
pub fn terminal_size(fd: i32) -> SysResult<(u16, u16)> {
    // SAFETY: an all-zero `winsize` is valid.
    let mut w: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: TIOCGWINSZ writes one `winsize` into `w`.
    check(unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut w as *mut libc::winsize) })?;
    Ok((w.ws_col, w.ws_row))
}

/// `openpty()`: a new pseudo-terminal pair (master, slave), both
/// close-on-exec.
pub fn openpty() -> SysResult<(i32, i32)> {
    let (mut master, mut slave) = (-1, -1);
    // SAFETY: the two out-pointers are live locals; name, termios and
    // winsize are null (not wanted).
    check(unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), std::ptr::null()) })?;
    for fd in [master, slave] {
        // SAFETY: plain integers (descriptors we just got).
        let flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
        // SAFETY: as above.
        if flags == -1 || unsafe { libc::fcntl(fd, libc::F_SETFD, flags | libc::FD_CLOEXEC) } == -1 {
            let e = errno();
            let _ = close(master);
            let _ = close(slave);
            return Err(e);
        }
    }
    Ok((master, slave))
}

/// `forkpty()`: forks with the child's standard streams on a new
/// pseudo-terminal; (0, -1) in the child, (pid, master) in the parent.
pub fn forkpty() -> SysResult<(i64, i32)> {
    let mut master = -1;
    // SAFETY: see the module invariants on `fork`; the out-pointer is a
    // live local, the other pointers are null.
    let pid = check(unsafe { libc::forkpty(&mut master, std::ptr::null_mut(), std::ptr::null(), std::ptr::null()) })?;
    Ok((pid as i64, master))
}

/// `login_tty(fd)`: makes `fd` the controlling terminal and the standard
/// streams of a new session.
pub fn login_tty(fd: i32) -> SysResult<()> {
    // SAFETY: a plain integer.
    check(unsafe { libc::login_tty(fd) }).map(drop)
}

/// `ttyname_r(fd)`: the path of the terminal on `fd`.
pub fn ttyname(fd: i32) -> SysResult<Vec<u8>> {
    let mut buf = vec![0 as libc::c_char; 4096];
    // SAFETY: `buf` is writable for its length, passed alongside.
    let r = unsafe { libc::ttyname_r(fd, buf.as_mut_ptr(), buf.len()) };
    if r != 0 {
        return Err(r);
    }
    // SAFETY: on success the buffer holds a NUL-terminated string.
    Ok(unsafe { CStr::from_ptr(buf.as_ptr()) }.to_bytes().to_vec())
}

/// `tcgetpgrp(fd)`.
pub fn tcgetpgrp(fd: i32) -> SysResult<i64> {
    // SAFETY: a plain integer.
    check(unsafe { libc::tcgetpgrp(fd) }).map(|p| p as i64)
}

/// `tcsetpgrp(fd, pgid)`.
pub fn tcsetpgrp(fd: i32, pgid: i32) -> SysResult<()> {
    // SAFETY: plain integers.
    check(unsafe { libc::tcsetpgrp(fd, pgid) }).map(drop)
}

/// `ctermid()`: the path of the controlling terminal.
pub fn ctermid() -> Vec<u8> {
    let mut buf = [0 as libc::c_char; 64];
    // SAFETY: `buf` is larger than `L_ctermid` (9 on glibc).
    let p = unsafe { libc::ctermid(buf.as_mut_ptr()) };
    if p.is_null() {
        return Vec::new();
    }
    // SAFETY: ctermid wrote a NUL-terminated string into `buf`.
    unsafe { CStr::from_ptr(buf.as_ptr()) }.to_bytes().to_vec()
}

pub fn mkdir(path: &CStr, mode: u32, dir_fd: Option<i32>) -> SysResult<()> {
    // SAFETY: `path` is NUL-terminated.
    check(unsafe { libc::mkdirat(dirfd(dir_fd), path.as_ptr(), mode) }).map(drop)
}

/// `unlinkat` (with `AT_REMOVEDIR` for `rmdir`).
pub fn unlink(path: &CStr, dir_fd: Option<i32>, dir: bool) -> SysResult<()> {
    let flags = if dir { libc::AT_REMOVEDIR } else { 0 };
    // SAFETY: `path` is NUL-terminated.
    check(unsafe { libc::unlinkat(dirfd(dir_fd), path.as_ptr(), flags) }).map(drop)
}

pub fn rename(src: &CStr, dst: &CStr, src_dir_fd: Option<i32>, dst_dir_fd: Option<i32>) -> SysResult<()> {
    // SAFETY: both paths are NUL-terminated.
    check(unsafe { libc::renameat(dirfd(src_dir_fd), src.as_ptr(), dirfd(dst_dir_fd), dst.as_ptr()) }).map(drop)
}

pub fn symlink(src: &CStr, dst: &CStr, dir_fd: Option<i32>) -> SysResult<()> {
    // SAFETY: both paths are NUL-terminated.
    check(unsafe { libc::symlinkat(src.as_ptr(), dirfd(dir_fd), dst.as_ptr()) }).map(drop)
}

pub fn link(src: &CStr, dst: &CStr, src_dir_fd: Option<i32>, dst_dir_fd: Option<i32>, follow: bool) -> SysResult<()> {
    let flags = if follow { libc::AT_SYMLINK_FOLLOW } else { 0 };
    // SAFETY: both paths are NUL-terminated.
    check(unsafe { libc::linkat(dirfd(src_dir_fd), src.as_ptr(), dirfd(dst_dir_fd), dst.as_ptr(), flags) }).map(drop)
}

pub fn readlink(path: &CStr, dir_fd: Option<i32>) -> SysResult<Vec<u8>> {
    let mut buf = vec![0u8; libc::PATH_MAX as usize + 1];
    // SAFETY: `buf` is writable for its length.
    let n = unsafe { libc::readlinkat(dirfd(dir_fd), path.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
    if n < 0 {
        return Err(errno());
    }
    buf.truncate(n as usize);
    Ok(buf)
}

pub fn chmod(path: &CStr, mode: u32, dir_fd: Option<i32>, follow: bool) -> SysResult<()> {
    // SAFETY: `path` is NUL-terminated.
    check(unsafe { libc::fchmodat(dirfd(dir_fd), path.as_ptr(), mode, nofollow(follow)) }).map(drop)
}

pub fn fchmod(fd: i32, mode: u32) -> SysResult<()> {
    // SAFETY: plain integers.
    retry(-1, || unsafe { libc::fchmod(fd, mode) }).map(drop)
}

pub fn chown(path: &CStr, uid: u32, gid: u32, dir_fd: Option<i32>, follow: bool) -> SysResult<()> {
    // SAFETY: `path` is NUL-terminated.
    check(unsafe { libc::fchownat(dirfd(dir_fd), path.as_ptr(), uid, gid, nofollow(follow)) }).map(drop)
}

pub fn fchown(fd: i32, uid: u32, gid: u32) -> SysResult<()> {
    // SAFETY: plain integers.
    retry(-1, || unsafe { libc::fchown(fd, uid, gid) }).map(drop)
}

/// A time for `utimensat`: `None` is "now".
pub type TimeSpec = Option<(i64, i64)>;

fn timespecs(times: [TimeSpec; 2]) -> [libc::timespec; 2] {
    times.map(|t| match t {
        Some((s, ns)) => libc::timespec { tv_sec: s as libc::time_t, tv_nsec: ns as _ },
        None => libc::timespec { tv_sec: 0, tv_nsec: libc::UTIME_NOW },
    })
}

pub fn utime(path: &CStr, times: [TimeSpec; 2], dir_fd: Option<i32>, follow: bool) -> SysResult<()> {
    let ts = timespecs(times);
    // SAFETY: `path` is NUL-terminated, `ts` holds two timespecs.
    check(unsafe { libc::utimensat(dirfd(dir_fd), path.as_ptr(), ts.as_ptr(), nofollow(follow)) }).map(drop)
}

pub fn futime(fd: i32, times: [TimeSpec; 2]) -> SysResult<()> {
    let ts = timespecs(times);
    // SAFETY: `ts` holds two timespecs.
    check(unsafe { libc::futimens(fd, ts.as_ptr()) }).map(drop)
}

/// `faccessat`: whether the access is allowed (errors are `false`, as
/// `os.access` reports them).
pub fn access(path: &CStr, mode: i32, dir_fd: Option<i32>, effective_ids: bool, follow: bool) -> bool {
    let mut flags = nofollow(follow);
    if effective_ids {
        flags |= libc::AT_EACCESS;
    }
    // SAFETY: `path` is NUL-terminated.
    unsafe { libc::faccessat(dirfd(dir_fd), path.as_ptr(), mode, flags) == 0 }
}

pub fn fchdir(fd: i32) -> SysResult<()> {
    // SAFETY: plain integer.
    check(unsafe { libc::fchdir(fd) }).map(drop)
}

pub fn mkfifo(path: &CStr, mode: u32, dir_fd: Option<i32>) -> SysResult<()> {
    // SAFETY: `path` is NUL-terminated.
    check(unsafe { libc::mkfifoat(dirfd(dir_fd), path.as_ptr(), mode) }).map(drop)
}

pub fn mknod(path: &CStr, mode: u32, device: u64, dir_fd: Option<i32>) -> SysResult<()> {
    // SAFETY: `path` is NUL-terminated.
    check(unsafe { libc::mknodat(dirfd(dir_fd), path.as_ptr(), mode, device) }).map(drop)
}

/// `lockf(fd, cmd, len)` (POSIX record locks on a section of the file).
pub fn lockf_section(fd: i32, cmd: i32, len: i64) -> SysResult<()> {
    // SAFETY: plain integers.
    retry(-1, || unsafe { libc::lockf(fd, cmd, len as libc::off_t) }).map(drop)
}

/// `pidfd_open(pid, flags)` (a raw system call).
pub fn pidfd_open(pid: i64, flags: u32) -> SysResult<i32> {
    // SAFETY: a system call with integer arguments.
    let r = unsafe { libc::syscall(libc::SYS_pidfd_open, pid as libc::pid_t, flags) };
    if r == -1 {
        Err(errno())
    } else {
        Ok(r as i32)
    }
}

/// `fexecve(fd, argv, env)`: returns only on failure.
pub fn fexec(fd: i32, argv: &[CString], env: &[CString]) -> i32 {
    let argv_p: Vec<*const libc::c_char> = argv.iter().map(|a| a.as_ptr()).chain(std::iter::once(std::ptr::null())).collect();
    let env_p: Vec<*const libc::c_char> = env.iter().map(|a| a.as_ptr()).chain(std::iter::once(std::ptr::null())).collect();
    // SAFETY: NUL-terminated strings in NULL-terminated arrays, alive
    // across the call.
    unsafe { libc::fexecve(fd, argv_p.as_ptr(), env_p.as_ptr()) };
    errno()
}

pub fn statvfs(path: &CStr) -> SysResult<libc::statvfs> {
    let mut st = MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: `path` is NUL-terminated, `st` writable.
    check(unsafe { libc::statvfs(path.as_ptr(), st.as_mut_ptr()) })?;
    // SAFETY: filled by the successful call.
    Ok(unsafe { st.assume_init() })
}

pub fn fstatvfs(fd: i32) -> SysResult<libc::statvfs> {
    let mut st = MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: `st` writable.
    check(unsafe { libc::fstatvfs(fd, st.as_mut_ptr()) })?;
    // SAFETY: filled by the successful call.
    Ok(unsafe { st.assume_init() })
}

// ---------------------------------------------------------------- processes

/// The process ids and credentials (these calls cannot fail).
pub fn ids() -> [i64; 7] {
    // SAFETY: no arguments.
    unsafe {
        [
            libc::getpid() as i64,
            libc::getppid() as i64,
            libc::getuid() as i64,
            libc::geteuid() as i64,
            libc::getgid() as i64,
            libc::getegid() as i64,
            libc::getpgrp() as i64,
        ]
    }
}

pub fn getgroups() -> SysResult<Vec<u32>> {
    // SAFETY: a zero-sized query.
    let n = check(unsafe { libc::getgroups(0, std::ptr::null_mut()) })?;
    let mut v = vec![0 as libc::gid_t; n as usize];
    // SAFETY: `v` has room for `n` ids.
    let n = check(unsafe { libc::getgroups(n, v.as_mut_ptr()) })?;
    v.truncate(n as usize);
    Ok(v)
}

pub fn getlogin() -> SysResult<Vec<u8>> {
    // SAFETY: `getlogin` returns NULL or a NUL-terminated string in static
    // storage, copied out at once (the interpreter's threads run Python
    // code one at a time).
    unsafe {
        let p = libc::getlogin();
        if p.is_null() {
            return Err(errno());
        }
        Ok(CStr::from_ptr(p).to_bytes().to_vec())
    }
}

/// `uname()`: sysname, nodename, release, version, machine.
pub fn uname() -> SysResult<[Vec<u8>; 5]> {
    let mut u = MaybeUninit::<libc::utsname>::uninit();
    // SAFETY: `u` writable.
    check(unsafe { libc::uname(u.as_mut_ptr()) })?;
    // SAFETY: filled by the successful call.
    let u = unsafe { u.assume_init() };
    let f = |s: &[libc::c_char]| -> Vec<u8> { s.iter().take_while(|&&c| c != 0).map(|&c| c as u8).collect() };
    Ok([f(&u.sysname), f(&u.nodename), f(&u.release), f(&u.version), f(&u.machine)])
}

pub fn umask(mask: u32) -> u32 {
    // SAFETY: plain integer.
    unsafe { libc::umask(mask as libc::mode_t) as u32 }
}

pub fn kill(pid: i64, sig: i32) -> SysResult<()> {
    // SAFETY: plain integers.
    check(unsafe { libc::kill(pid as libc::pid_t, sig) }).map(drop)
}

pub fn killpg(pgid: i64, sig: i32) -> SysResult<()> {
    // SAFETY: plain integers.
    check(unsafe { libc::killpg(pgid as libc::pid_t, sig) }).map(drop)
}

pub fn sysconf(name: i32) -> SysResult<i64> {
    // SAFETY: plain integer; -1 with errno unchanged means "no limit".
    unsafe {
        *libc::__errno_location() = 0;
        let r = libc::sysconf(name);
        if r == -1 && errno() != 0 {
            return Err(errno());
        }
        Ok(r as i64)
    }
}

pub fn confstr(name: i32) -> SysResult<Option<Vec<u8>>> {
    let mut buf = vec![0u8; 1024];
    // SAFETY: `buf` writable for its length; errno cleared to tell "no
    // value" from errors.
    let n = unsafe {
        *libc::__errno_location() = 0;
        libc::confstr(name, buf.as_mut_ptr().cast(), buf.len())
    };
    if n == 0 {
        return if errno() != 0 { Err(errno()) } else { Ok(None) };
    }
    if n > buf.len() {
        buf.resize(n, 0);
        // SAFETY: as above, with the size asked for.
        unsafe { libc::confstr(name, buf.as_mut_ptr().cast(), buf.len()) };
    }
    buf.truncate(n - 1);
    Ok(Some(buf))
}

/// `times()`: user, system, children's user, children's system, elapsed
/// (in seconds).
pub fn times() -> SysResult<[f64; 5]> {
    let mut t = MaybeUninit::<libc::tms>::uninit();
    // SAFETY: `t` writable.
    let c = unsafe { libc::times(t.as_mut_ptr()) };
    if c == (-1i64) as libc::clock_t {
        return Err(errno());
    }
    // SAFETY: filled by the successful call.
    let t = unsafe { t.assume_init() };
    let tick = sysconf(libc::_SC_CLK_TCK).unwrap_or(100).max(1) as f64;
    Ok([t.tms_utime as f64 / tick, t.tms_stime as f64 / tick, t.tms_cutime as f64 / tick, t.tms_cstime as f64 / tick, c as f64 / tick])
}

pub fn getloadavg() -> Option<[f64; 3]> {
    let mut l = [0f64; 3];
    // SAFETY: `l` has room for three values.
    (unsafe { libc::getloadavg(l.as_mut_ptr(), 3) } == 3).then_some(l)
}

/// Process-group and session calls: `which` picks `getpgid`, `setpgid`,
/// `getsid`, `setsid`.
pub fn pgid_call(which: &str, a: i64, b: i64) -> SysResult<i64> {
    // SAFETY: plain integers.
    let r = unsafe {
        match which {
            "getpgid" => libc::getpgid(a as libc::pid_t),
            "setpgid" => libc::setpgid(a as libc::pid_t, b as libc::pid_t),
            "getsid" => libc::getsid(a as libc::pid_t),
            _ => libc::setsid(),
        }
    };
    check(r).map(|r| r as i64)
}

/// `fork()`: 0 in the child, the child's pid in the parent.
pub fn fork() -> SysResult<i64> {
    // SAFETY: see the module invariants on `fork`.
    check(unsafe { libc::fork() }).map(|p| p as i64)
}

/// `execv`/`execve`: returns only on failure.
pub fn exec(path: &CStr, argv: &[CString], env: Option<&[CString]>) -> i32 {
    let argv_p: Vec<*const libc::c_char> = argv.iter().map(|a| a.as_ptr()).chain(std::iter::once(std::ptr::null())).collect();
    // SAFETY: NUL-terminated strings in NULL-terminated arrays, alive
    // across the call.
    unsafe {
        match env {
            Some(env) => {
                let env_p: Vec<*const libc::c_char> = env.iter().map(|a| a.as_ptr()).chain(std::iter::once(std::ptr::null())).collect();
                libc::execve(path.as_ptr(), argv_p.as_ptr(), env_p.as_ptr());
            }
            None => {
                libc::execv(path.as_ptr(), argv_p.as_ptr());
            }
        }
    }
    errno()
}

/// `waitpid(pid, options)`: (pid, status).
pub fn waitpid(pid: i64, options: i32) -> SysResult<(i64, i32)> {
    let mut status: libc::c_int = 0;
    // SAFETY: `status` writable.
    let r = retry(-1, || unsafe { libc::waitpid(pid as libc::pid_t, &mut status, options) })?;
    Ok((r as i64, status))
}

/// `abort()`: SIGABRT, a core dump if enabled.
pub fn abort() -> ! {
    // SAFETY: ends the process.
    unsafe { libc::abort() }
}

/// `_exit(code)`: ends the process at once.
pub fn exit_now(code: i32) -> ! {
    // SAFETY: terminates the process without running anything else.
    unsafe { libc::_exit(code) }
}

pub fn setenv(key: &CStr, value: &CStr) -> SysResult<()> {
    // SAFETY: NUL-terminated strings; see the module invariants.
    check(unsafe { libc::setenv(key.as_ptr(), value.as_ptr(), 1) }).map(drop)
}

pub fn unsetenv(key: &CStr) -> SysResult<()> {
    // SAFETY: NUL-terminated string; see the module invariants.
    check(unsafe { libc::unsetenv(key.as_ptr()) }).map(drop)
}

// ---------------------------------------------------------- _posixsubprocess

/// What the child of `_posixsubprocess.fork_exec` does, all prepared
/// before the fork.
pub struct ChildSpec<'a> {
    pub exec_paths: &'a [CString],
    pub argv: &'a [CString],
    pub env: Option<&'a [CString]>,
    pub cwd: Option<&'a CStr>,
    /// (p2cread, p2cwrite, c2pread, c2pwrite, errread, errwrite); -1 = none.
    pub pipes: [i32; 6],
    pub errpipe_read: i32,
    pub errpipe_write: i32,
    pub close_fds: bool,
    /// Sorted.
    pub fds_to_keep: &'a [i32],
    pub restore_signals: bool,
    pub call_setsid: bool,
    pub pgid_to_set: i64,
    pub gid: Option<u32>,
    pub extra_groups: Option<&'a [u32]>,
    pub uid: Option<u32>,
    pub child_umask: i32,
    /// The highest descriptor number to close up to.
    pub max_fd: i32,
    /// `preexec_fn`: called in the child after the credentials are set and
    /// before descriptors are closed; false = it raised.
    pub preexec: Option<&'a dyn Fn() -> bool>,
}

/// The child's side of `fork_exec` when the caller forked already (with
/// `preexec_fn`, which runs Python code in the child anyway: the argument
/// arrays are built here).
pub fn exec_in_child(spec: &ChildSpec) -> ! {
    let argv_p: Vec<*const libc::c_char> = spec.argv.iter().map(|a| a.as_ptr()).chain(std::iter::once(std::ptr::null())).collect();
    let env_p: Option<Vec<*const libc::c_char>> =
        spec.env.map(|e| e.iter().map(|a| a.as_ptr()).chain(std::iter::once(std::ptr::null())).collect());
    child_exec(spec, &argv_p, env_p.as_deref())
}

/// Forks and runs `spec` in the child; the parent gets the child's pid.
pub fn fork_exec(spec: &ChildSpec) -> SysResult<i64> {
    let argv_p: Vec<*const libc::c_char> = spec.argv.iter().map(|a| a.as_ptr()).chain(std::iter::once(std::ptr::null())).collect();
    let env_p: Option<Vec<*const libc::c_char>> =
        spec.env.map(|e| e.iter().map(|a| a.as_ptr()).chain(std::iter::once(std::ptr::null())).collect());
    // SAFETY: see the module invariants on `fork`; the child only runs
    // `child_exec`, which allocates nothing.
    let pid = check(unsafe { libc::fork() })?;
    if pid == 0 {
        child_exec(spec, &argv_p, env_p.as_deref());
    }
    Ok(pid as i64)
}

/// Writes `data` to `fd`, ignoring errors (async-signal-safe).
fn write_raw(fd: i32, data: &[u8]) {
    // SAFETY: `data` readable for its length.
    unsafe { libc::write(fd, data.as_ptr().cast(), data.len()) };
}

/// Reports `err` on the error pipe as "OSError:<hex errno>:<noexec?>" and
/// exits with status 255.
fn child_fail(spec: &ChildSpec, err: i32, before_exec: bool) -> ! {
    let mut hex = [0u8; 16];
    let mut at = hex.len();
    let mut e = err as u32;
    loop {
        at -= 1;
        hex[at] = b"0123456789abcdef"[(e % 16) as usize];
        e /= 16;
        if e == 0 || at == 0 {
            break;
        }
    }
    // One write (shorter than PIPE_BUF, so atomic): a parent that reads
    // once and closes the pipe gets the whole report, and the child never
    // dies of SIGPIPE half-way.
    let mut msg = [0u8; 40];
    let mut n = 0;
    let digits = &hex[at..];
    let noexec: &[u8] = if before_exec { b"noexec" } else { b"" };
    for part in [b"OSError:" as &[u8], digits, b":", noexec] {
        msg[n..n + part.len()].copy_from_slice(part);
        n += part.len();
    }
    write_raw(spec.errpipe_write, &msg[..n]);
    exit_now(255)
}

/// The child's side of `fork_exec` (CPython's `child_exec`): only
/// async-signal-safe calls on data prepared before the fork.
fn child_exec(spec: &ChildSpec, argv: &[*const libc::c_char], env: Option<&[*const libc::c_char]>) -> ! {
    let [p2cread, p2cwrite, c2pread, c2pwrite, errread, errwrite] = spec.pipes;
    // SAFETY (whole function): descriptor juggling, chdir, setsid, umask,
    // credentials and exec with NUL-terminated strings and NULL-terminated
    // arrays prepared by the parent; none of these allocates.
    unsafe {
        let set_inheritable = |fd: i32| {
            let flags = libc::fcntl(fd, libc::F_GETFD);
            if flags >= 0 && flags & libc::FD_CLOEXEC != 0 {
                libc::fcntl(fd, libc::F_SETFD, flags & !libc::FD_CLOEXEC);
            }
        };
        for fd in spec.fds_to_keep {
            if *fd != spec.errpipe_write {
                set_inheritable(*fd);
            }
        }
        for fd in [p2cwrite, c2pread, errread] {
            if fd != -1 {
                libc::close(fd);
            }
        }
        libc::close(spec.errpipe_read);
        // Keep the child ends out of 0..2 before the dup2s below.
        let mut c2pwrite = c2pwrite;
        let mut errwrite = errwrite;
        if c2pwrite == 0 {
            c2pwrite = libc::dup(c2pwrite);
            if c2pwrite < 0 {
                child_fail(spec, errno(), true);
            }
            set_inheritable(c2pwrite);
        }
        while errwrite == 0 || errwrite == 1 {
            errwrite = libc::dup(errwrite);
            if errwrite < 0 {
                child_fail(spec, errno(), true);
            }
            set_inheritable(errwrite);
        }
        for (fd, target) in [(p2cread, 0), (c2pwrite, 1), (errwrite, 2)] {
            if fd == target {
                set_inheritable(fd);
            } else if fd != -1 && libc::dup2(fd, target) == -1 {
                child_fail(spec, errno(), true);
            }
        }
        if let Some(cwd) = spec.cwd {
            if libc::chdir(cwd.as_ptr()) == -1 {
                child_fail(spec, errno(), true);
            }
        }
        if spec.child_umask >= 0 {
            libc::umask(spec.child_umask as libc::mode_t);
        }
        if spec.restore_signals {
            for sig in [libc::SIGPIPE, libc::SIGXFSZ] {
                libc::signal(sig, libc::SIG_DFL);
            }
        }
        if spec.call_setsid && libc::setsid() == -1 {
            child_fail(spec, errno(), true);
        }
        if spec.pgid_to_set >= 0 && libc::setpgid(0, spec.pgid_to_set as libc::pid_t) == -1 {
            child_fail(spec, errno(), true);
        }
        if let Some(groups) = spec.extra_groups {
            if libc::setgroups(groups.len(), groups.as_ptr()) == -1 {
                child_fail(spec, errno(), true);
            }
        }
        if let Some(gid) = spec.gid {
            if libc::setregid(gid, gid) == -1 {
                child_fail(spec, errno(), true);
            }
        }
        if let Some(uid) = spec.uid {
            if libc::setreuid(uid, uid) == -1 {
                child_fail(spec, errno(), true);
            }
        }
        if let Some(preexec) = spec.preexec {
            if !preexec() {
                write_raw(spec.errpipe_write, b"SubprocessError:0:Exception occurred in preexec_fn.");
                exit_now(255);
            }
        }
        if spec.close_fds {
            // Close [from, to] with close_range(2), or one by one on
            // kernels without it.
            let close_span = |from: i32, to: i32| {
                if from > to {
                    return;
                }
                if libc::syscall(libc::SYS_close_range, from as libc::c_uint, to as libc::c_uint, 0 as libc::c_uint) != 0 {
                    let mut fd = from;
                    while fd <= to.min(spec.max_fd) {
                        if fd != spec.errpipe_write {
                            libc::close(fd);
                        }
                        fd += 1;
                    }
                }
            };
            let mut lo = 3;
            for &keep in spec.fds_to_keep {
                if keep >= lo {
                    close_span(lo, keep - 1);
                    lo = keep + 1;
                }
            }
            close_span(lo, i32::MAX);
        }
        let mut saved = 0;
        for path in spec.exec_paths {
            match env {
                Some(env) => libc::execve(path.as_ptr(), argv.as_ptr(), env.as_ptr()),
                None => libc::execv(path.as_ptr(), argv.as_ptr()),
            };
            let e = errno();
            if e != libc::ENOENT && e != libc::ENOTDIR && saved == 0 {
                saved = e;
            }
        }
        child_fail(spec, if saved != 0 { saved } else { errno() }, false)
    }
}

// ------------------------------------------------------------ posix_spawn

/// One file action of `posix_spawn`, in order.
pub enum SpawnAction {
    Open { fd: i32, path: CString, flags: i32, mode: u32 },
    Close { fd: i32 },
    Dup2 { fd: i32, new_fd: i32 },
}

/// The attributes of `posix_spawn` (all optional).
#[derive(Default)]
pub struct SpawnAttrs {
    pub setpgroup: Option<i64>,
    pub resetids: bool,
    pub setsid: bool,
    pub sigmask: Option<Vec<i32>>,
    pub sigdef: Option<Vec<i32>>,
    /// (policy or None, priority).
    pub scheduler: Option<(Option<i32>, i32)>,
}

fn sigset(signals: &[i32]) -> libc::sigset_t {
    let mut set = MaybeUninit::<libc::sigset_t>::uninit();
    // SAFETY: `sigemptyset` initialises the set; `sigaddset` takes
    // signal numbers the caller checked (1..NSIG).
    unsafe {
        libc::sigemptyset(set.as_mut_ptr());
        for &s in signals {
            libc::sigaddset(set.as_mut_ptr(), s);
        }
        set.assume_init()
    }
}

/// `posix_spawn`/`posix_spawnp` (`search_path`): the child's pid, or the
/// error number and whether it came from the attributes/actions setup
/// (`false`) or the spawn itself (`true`).
pub fn posix_spawn(
    path: &CStr,
    argv: &[CString],
    env: &[CString],
    actions: &[SpawnAction],
    attrs: &SpawnAttrs,
    search_path: bool,
) -> Result<i64, (i32, bool)> {
    let argv_p: Vec<*mut libc::c_char> =
        argv.iter().map(|a| a.as_ptr() as *mut libc::c_char).chain(std::iter::once(std::ptr::null_mut())).collect();
    let env_p: Vec<*mut libc::c_char> =
        env.iter().map(|a| a.as_ptr() as *mut libc::c_char).chain(std::iter::once(std::ptr::null_mut())).collect();
    let mut fa = MaybeUninit::<libc::posix_spawn_file_actions_t>::uninit();
    let mut at = MaybeUninit::<libc::posix_spawnattr_t>::uninit();
    // SAFETY: the file-actions and attribute objects are initialised by
    // their `_init` calls before any other use and destroyed before
    // returning; every pointer passed (paths, argv/env arrays, sigsets,
    // sched_param) is a live local or borrowed value for the whole call.
    unsafe {
        let r = libc::posix_spawn_file_actions_init(fa.as_mut_ptr());
        if r != 0 {
            return Err((r, false));
        }
        let r = libc::posix_spawnattr_init(at.as_mut_ptr());
        if r != 0 {
            libc::posix_spawn_file_actions_destroy(fa.as_mut_ptr());
            return Err((r, false));
        }
        let result = (|| {
            for a in actions {
                let r = match a {
                    SpawnAction::Open { fd, path, flags, mode } => {
                        libc::posix_spawn_file_actions_addopen(fa.as_mut_ptr(), *fd, path.as_ptr(), *flags, *mode as libc::mode_t)
                    }
                    SpawnAction::Close { fd } => libc::posix_spawn_file_actions_addclose(fa.as_mut_ptr(), *fd),
                    SpawnAction::Dup2 { fd, new_fd } => libc::posix_spawn_file_actions_adddup2(fa.as_mut_ptr(), *fd, *new_fd),
                };
                if r != 0 {
                    return Err((r, false));
                }
            }
            let mut flags: libc::c_short = 0;
            if let Some(pg) = attrs.setpgroup {
                flags |= libc::POSIX_SPAWN_SETPGROUP as libc::c_short;
                let r = libc::posix_spawnattr_setpgroup(at.as_mut_ptr(), pg as libc::pid_t);
                if r != 0 {
                    return Err((r, false));
                }
            }
            if attrs.resetids {
                flags |= libc::POSIX_SPAWN_RESETIDS as libc::c_short;
            }
            if attrs.setsid {
                flags |= libc::POSIX_SPAWN_SETSID as libc::c_short;
            }
            if let Some(m) = &attrs.sigmask {
                flags |= libc::POSIX_SPAWN_SETSIGMASK as libc::c_short;
                let set = sigset(m);
                let r = libc::posix_spawnattr_setsigmask(at.as_mut_ptr(), &set);
                if r != 0 {
                    return Err((r, false));
                }
            }
            if let Some(d) = &attrs.sigdef {
                flags |= libc::POSIX_SPAWN_SETSIGDEF as libc::c_short;
                let set = sigset(d);
                let r = libc::posix_spawnattr_setsigdefault(at.as_mut_ptr(), &set);
                if r != 0 {
                    return Err((r, false));
                }
            }
            if let Some((policy, prio)) = attrs.scheduler {
                if let Some(p) = policy {
                    flags |= libc::POSIX_SPAWN_SETSCHEDULER as libc::c_short;
                    let r = libc::posix_spawnattr_setschedpolicy(at.as_mut_ptr(), p);
                    if r != 0 {
                        return Err((r, false));
                    }
                }
                flags |= libc::POSIX_SPAWN_SETSCHEDPARAM as libc::c_short;
                let param = libc::sched_param { sched_priority: prio };
                let r = libc::posix_spawnattr_setschedparam(at.as_mut_ptr(), &param);
                if r != 0 {
                    return Err((r, false));
                }
            }
            let r = libc::posix_spawnattr_setflags(at.as_mut_ptr(), flags);
            if r != 0 {
                return Err((r, false));
            }
            let mut pid: libc::pid_t = 0;
            let r = if search_path {
                libc::posix_spawnp(&mut pid, path.as_ptr(), fa.as_ptr(), at.as_ptr(), argv_p.as_ptr(), env_p.as_ptr())
            } else {
                libc::posix_spawn(&mut pid, path.as_ptr(), fa.as_ptr(), at.as_ptr(), argv_p.as_ptr(), env_p.as_ptr())
            };
            if r != 0 {
                return Err((r, true));
            }
            Ok(pid as i64)
        })();
        libc::posix_spawnattr_destroy(at.as_mut_ptr());
        libc::posix_spawn_file_actions_destroy(fa.as_mut_ptr());
        result
    }
}

// ------------------------------------------------- positional and vector I/O

/// `pread(fd, n, offset)`.
pub fn pread(fd: i32, n: usize, offset: i64) -> SysResult<Vec<u8>> {
    let mut buf = vec![0u8; n];
    // SAFETY: `buf` writable for `n` bytes.
    let got = retry(-1, || unsafe { libc::pread(fd, buf.as_mut_ptr().cast(), n, offset as libc::off_t) })?;
    buf.truncate(got as usize);
    Ok(buf)
}

/// `pwrite(fd, data, offset)`.
pub fn pwrite(fd: i32, data: &[u8], offset: i64) -> SysResult<usize> {
    // SAFETY: `data` readable for its length.
    retry(-1, || unsafe { libc::pwrite(fd, data.as_ptr().cast(), data.len(), offset as libc::off_t) }).map(|n| n as usize)
}

/// `readv`/`preadv` (offset given) into the buffers; `flags` for
/// `preadv2` (0 = plain `preadv`).
pub fn readv(fd: i32, bufs: &mut [Vec<u8>], offset: Option<i64>, flags: i32) -> SysResult<usize> {
    let iov: Vec<libc::iovec> = bufs.iter_mut().map(|b| libc::iovec { iov_base: b.as_mut_ptr().cast(), iov_len: b.len() }).collect();
    let n = iov.len() as libc::c_int;
    // SAFETY: each iovec points into a live, writable `Vec` of its length.
    retry(-1, || unsafe {
        match offset {
            None => libc::readv(fd, iov.as_ptr(), n),
            Some(o) if flags == 0 => libc::preadv(fd, iov.as_ptr(), n, o as libc::off_t),
            Some(o) => libc::preadv2(fd, iov.as_ptr(), n, o as libc::off_t, flags),
        }
    })
    .map(|n| n as usize)
}

/// `writev`/`pwritev` (offset given) from the buffers.
pub fn writev(fd: i32, bufs: &[Vec<u8>], offset: Option<i64>, flags: i32) -> SysResult<usize> {
    let iov: Vec<libc::iovec> = bufs.iter().map(|b| libc::iovec { iov_base: b.as_ptr() as *mut libc::c_void, iov_len: b.len() }).collect();
    let n = iov.len() as libc::c_int;
    // SAFETY: each iovec points into a live `Vec` of its length (only read).
    retry(-1, || unsafe {
        match offset {
            None => libc::writev(fd, iov.as_ptr(), n),
            Some(o) if flags == 0 => libc::pwritev(fd, iov.as_ptr(), n, o as libc::off_t),
            Some(o) => libc::pwritev2(fd, iov.as_ptr(), n, o as libc::off_t, flags),
        }
    })
    .map(|n| n as usize)
}

/// `posix_fallocate`/`posix_fadvise`: they return the error number.
pub fn posix_fallocate(fd: i32, offset: i64, len: i64) -> SysResult<()> {
    loop {
        // SAFETY: plain integers.
        let r = unsafe { libc::posix_fallocate(fd, offset as libc::off_t, len as libc::off_t) };
        match r {
            0 => return Ok(()),
            libc::EINTR => continue,
            e => return Err(e),
        }
    }
}

pub fn posix_fadvise(fd: i32, offset: i64, len: i64, advice: i32) -> SysResult<()> {
    loop {
        // SAFETY: plain integers.
        let r = unsafe { libc::posix_fadvise(fd, offset as libc::off_t, len as libc::off_t, advice) };
        match r {
            0 => return Ok(()),
            libc::EINTR => continue,
            e => return Err(e),
        }
    }
}

// -------------------------------------------------------------- credentials

/// `set*id` calls: `which` names the call; unused ids are -1.
pub fn set_ids(which: &str, a: u32, b: u32, c: u32) -> SysResult<()> {
    // SAFETY: plain integers.
    let r = unsafe {
        match which {
            "setuid" => libc::setuid(a),
            "setgid" => libc::setgid(a),
            "seteuid" => libc::seteuid(a),
            "setegid" => libc::setegid(a),
            "setreuid" => libc::setreuid(a, b),
            "setregid" => libc::setregid(a, b),
            "setresuid" => libc::setresuid(a, b, c),
            _ => libc::setresgid(a, b, c),
        }
    };
    check(r).map(drop)
}

/// `getresuid()` (`gid` false) or `getresgid()`.
pub fn getres(gid: bool) -> SysResult<[u32; 3]> {
    let (mut r, mut e, mut s) = (0u32, 0u32, 0u32);
    // SAFETY: three writable locals.
    let rc = unsafe {
        if gid {
            libc::getresgid(&mut r, &mut e, &mut s)
        } else {
            libc::getresuid(&mut r, &mut e, &mut s)
        }
    };
    check(rc).map(|_| [r, e, s])
}

pub fn setgroups(groups: &[u32]) -> SysResult<()> {
    // SAFETY: `groups` readable for its length.
    check(unsafe { libc::setgroups(groups.len(), groups.as_ptr()) }).map(drop)
}

pub fn initgroups(user: &CStr, group: u32) -> SysResult<()> {
    // SAFETY: NUL-terminated string.
    check(unsafe { libc::initgroups(user.as_ptr(), group) }).map(drop)
}

/// `getgrouplist(user, group)`.
pub fn getgrouplist(user: &CStr, group: u32) -> SysResult<Vec<u32>> {
    let mut n: libc::c_int = 64;
    loop {
        let mut groups = vec![0u32; n as usize];
        let mut got = n;
        // SAFETY: `groups` writable for `got` entries; `got` is updated.
        let r = unsafe { libc::getgrouplist(user.as_ptr(), group, groups.as_mut_ptr(), &mut got) };
        if r >= 0 {
            groups.truncate(got.max(0) as usize);
            return Ok(groups);
        }
        if n > 65536 {
            return Err(libc::EINVAL);
        }
        n = got.max(n * 2);
    }
}

// -------------------------------------------------------------------- waitid

/// `waitid(idtype, id, options)`: None when WNOHANG found no child, else
/// (pid, uid, signo, status, code).
pub fn waitid(idtype: i32, id: i64, options: i32) -> SysResult<Option<[i64; 5]>> {
    let mut info = MaybeUninit::<libc::siginfo_t>::zeroed();
    // SAFETY: `info` is a zeroed, writable siginfo_t.
    retry(-1, || unsafe { libc::waitid(idtype as libc::idtype_t, id as libc::id_t, info.as_mut_ptr(), options) })?;
    // SAFETY: zero-initialised above and possibly filled by the kernel.
    let info = unsafe { info.assume_init() };
    // SAFETY: the accessors read the union fields waitid fills for SIGCHLD.
    let (pid, uid, status) = unsafe { (info.si_pid(), info.si_uid(), info.si_status()) };
    if pid == 0 {
        return Ok(None);
    }
    Ok(Some([pid as i64, uid as i64, info.si_signo as i64, status as i64, info.si_code as i64]))
}

// --------------------------------------------------------------- scheduler

/// `sched_get_priority_min` (`max` false) or `_max`.
pub fn sched_priority(policy: i32, max: bool) -> SysResult<i32> {
    // SAFETY: plain integer.
    check(unsafe {
        if max {
            libc::sched_get_priority_max(policy)
        } else {
            libc::sched_get_priority_min(policy)
        }
    })
}

pub fn sched_getscheduler(pid: i64) -> SysResult<i32> {
    // SAFETY: plain integer.
    check(unsafe { libc::sched_getscheduler(pid as libc::pid_t) })
}

pub fn sched_getparam(pid: i64) -> SysResult<i32> {
    let mut p = libc::sched_param { sched_priority: 0 };
    // SAFETY: `p` writable.
    check(unsafe { libc::sched_getparam(pid as libc::pid_t, &mut p) })?;
    Ok(p.sched_priority)
}

pub fn sched_setscheduler(pid: i64, policy: i32, prio: i32) -> SysResult<()> {
    let p = libc::sched_param { sched_priority: prio };
    // SAFETY: `p` readable.
    check(unsafe { libc::sched_setscheduler(pid as libc::pid_t, policy, &p) }).map(drop)
}

pub fn sched_setparam(pid: i64, prio: i32) -> SysResult<()> {
    let p = libc::sched_param { sched_priority: prio };
    // SAFETY: `p` readable.
    check(unsafe { libc::sched_setparam(pid as libc::pid_t, &p) }).map(drop)
}

pub fn sched_rr_get_interval(pid: i64) -> SysResult<f64> {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` writable.
    check(unsafe { libc::sched_rr_get_interval(pid as libc::pid_t, &mut ts) })?;
    Ok(ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9)
}

pub fn sched_yield() {
    // SAFETY: no arguments.
    unsafe { libc::sched_yield() };
}

/// The CPUs `pid` may run on.
pub fn sched_getaffinity(pid: i64) -> SysResult<Vec<usize>> {
    let mut set = MaybeUninit::<libc::cpu_set_t>::zeroed();
    // SAFETY: `set` is a zeroed, writable cpu_set_t of the size passed.
    check(unsafe { libc::sched_getaffinity(pid as libc::pid_t, std::mem::size_of::<libc::cpu_set_t>(), set.as_mut_ptr()) })?;
    // SAFETY: zero-initialised, then filled by the call.
    let set = unsafe { set.assume_init() };
    // SAFETY: CPU_ISSET reads the set for indices below CPU_SETSIZE.
    Ok((0..libc::CPU_SETSIZE as usize).filter(|&c| unsafe { libc::CPU_ISSET(c, &set) }).collect())
}

pub fn sched_setaffinity(pid: i64, cpus: &[usize]) -> SysResult<()> {
    let set = MaybeUninit::<libc::cpu_set_t>::zeroed();
    // SAFETY: a zeroed cpu_set_t is an empty set; CPU_SET gets indices
    // below CPU_SETSIZE (the caller checked).
    let set = unsafe {
        let mut s = set.assume_init();
        for &c in cpus {
            libc::CPU_SET(c, &mut s);
        }
        s
    };
    // SAFETY: `set` readable, of the size passed.
    check(unsafe { libc::sched_setaffinity(pid as libc::pid_t, std::mem::size_of::<libc::cpu_set_t>(), &set) }).map(drop)
}

/// `getpriority`/`setpriority` (`value` given).
pub fn priority(which: i32, who: i64, value: Option<i32>) -> SysResult<i32> {
    match value {
        Some(v) => {
            // SAFETY: plain integers.
            check(unsafe { libc::setpriority(which as libc::__priority_which_t, who as libc::id_t, v) })
        }
        None => {
            // getpriority can return -1 legitimately: errno tells.
            // SAFETY: plain integers; errno is thread-local.
            unsafe { *libc::__errno_location() = 0 };
            // SAFETY: plain integers.
            let r = unsafe { libc::getpriority(which as libc::__priority_which_t, who as libc::id_t) };
            if r == -1 && errno() != 0 {
                return Err(errno());
            }
            Ok(r)
        }
    }
}

pub fn nice(inc: i32) -> SysResult<i32> {
    // SAFETY: errno is thread-local; nice can return -1 on success.
    unsafe { *libc::__errno_location() = 0 };
    // SAFETY: plain integer.
    let r = unsafe { libc::nice(inc) };
    if r == -1 && errno() != 0 {
        return Err(errno());
    }
    Ok(r)
}

// ------------------------------------------------------ Linux descriptors

/// `getrandom(n, flags)`.
pub fn getrandom(n: usize, flags: i32) -> SysResult<Vec<u8>> {
    let mut buf = vec![0u8; n];
    // SAFETY: `buf` writable for `n` bytes.
    let got = retry(-1, || unsafe { libc::getrandom(buf.as_mut_ptr().cast(), n, flags as libc::c_uint) })?;
    buf.truncate(got as usize);
    Ok(buf)
}

/// `splice` (`copy` false) or `copy_file_range` (`copy` true), with
/// optional offsets.
pub fn transfer(src: i32, dst: i32, count: usize, off_src: Option<i64>, off_dst: Option<i64>, flags: u32, copy: bool) -> SysResult<usize> {
    let mut os = off_src.unwrap_or(0);
    let mut od = off_dst.unwrap_or(0);
    let ps: *mut i64 = if off_src.is_some() { &mut os } else { std::ptr::null_mut() };
    let pd: *mut i64 = if off_dst.is_some() { &mut od } else { std::ptr::null_mut() };
    // SAFETY: the offset pointers are null or point at live locals.
    retry(-1, || unsafe {
        if copy {
            libc::copy_file_range(src, ps, dst, pd, count, flags)
        } else {
            libc::splice(src, ps, dst, pd, count, flags)
        }
    })
    .map(|n| n as usize)
}

pub fn eventfd(initval: u32, flags: i32) -> SysResult<i32> {
    // SAFETY: plain integers.
    check(unsafe { libc::eventfd(initval, flags) })
}

pub fn memfd_create(name: &CStr, flags: u32) -> SysResult<i32> {
    // SAFETY: NUL-terminated string.
    check(unsafe { libc::memfd_create(name.as_ptr(), flags) })
}

/// `fpathconf`/`pathconf`: -1 (no limit) when errno stays 0.
pub fn pathconf(fd: Option<i32>, path: &CStr, name: i32) -> SysResult<i64> {
    // SAFETY: errno is thread-local; the path is NUL-terminated.
    unsafe { *libc::__errno_location() = 0 };
    // SAFETY: see above.
    let r = unsafe {
        match fd {
            Some(fd) => libc::fpathconf(fd, name),
            None => libc::pathconf(path.as_ptr(), name),
        }
    };
    if r == -1 && errno() != 0 {
        return Err(errno());
    }
    Ok(r as i64)
}

// ------------------------------------------------------------ _posixshmem

pub fn shm_open(name: &CStr, flags: i32, mode: u32) -> SysResult<i32> {
    // SAFETY: NUL-terminated string.
    retry(-1, || unsafe { libc::shm_open(name.as_ptr(), flags, mode as libc::mode_t) })
}

pub fn shm_unlink(name: &CStr) -> SysResult<()> {
    // SAFETY: NUL-terminated string.
    check(unsafe { libc::shm_unlink(name.as_ptr()) }).map(drop)
}

// ------------------------------------------------------ extended attributes

/// Where an xattr call acts: a descriptor or a path (following symlinks
/// or not).
pub enum XattrTarget<'a> {
    Fd(i32),
    Path(&'a CStr, bool),
}

/// `getxattr` (`Some(attr)`) or `listxattr` (`None`): the raw value.
pub fn xattr_read(target: &XattrTarget, attr: Option<&CStr>) -> SysResult<Vec<u8>> {
    let call = |buf: *mut libc::c_char, size: usize| -> isize {
        // SAFETY: `buf` is null with size 0 or writable for `size` bytes;
        // the strings are NUL-terminated.
        unsafe {
            match (target, attr) {
                (XattrTarget::Fd(fd), Some(a)) => libc::fgetxattr(*fd, a.as_ptr(), buf.cast(), size),
                (XattrTarget::Path(p, true), Some(a)) => libc::getxattr(p.as_ptr(), a.as_ptr(), buf.cast(), size),
                (XattrTarget::Path(p, false), Some(a)) => libc::lgetxattr(p.as_ptr(), a.as_ptr(), buf.cast(), size),
                (XattrTarget::Fd(fd), None) => libc::flistxattr(*fd, buf, size),
                (XattrTarget::Path(p, true), None) => libc::listxattr(p.as_ptr(), buf, size),
                (XattrTarget::Path(p, false), None) => libc::llistxattr(p.as_ptr(), buf, size),
            }
        }
    };
    loop {
        let size = retry(-1, || call(std::ptr::null_mut(), 0))? as usize;
        let mut buf = vec![0u8; size.max(1)];
        match retry(-1, || call(buf.as_mut_ptr().cast(), size)) {
            Ok(n) => {
                buf.truncate(n as usize);
                return Ok(buf);
            }
            Err(libc::ERANGE) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// `setxattr` (`Some(value)`) or `removexattr` (`None`).
pub fn xattr_write(target: &XattrTarget, attr: &CStr, value: Option<(&[u8], i32)>) -> SysResult<()> {
    // SAFETY: the strings are NUL-terminated, `v` readable for its length.
    let r = unsafe {
        match (target, value) {
            (XattrTarget::Fd(fd), Some((v, f))) => libc::fsetxattr(*fd, attr.as_ptr(), v.as_ptr().cast(), v.len(), f),
            (XattrTarget::Path(p, true), Some((v, f))) => libc::setxattr(p.as_ptr(), attr.as_ptr(), v.as_ptr().cast(), v.len(), f),
            (XattrTarget::Path(p, false), Some((v, f))) => libc::lsetxattr(p.as_ptr(), attr.as_ptr(), v.as_ptr().cast(), v.len(), f),
            (XattrTarget::Fd(fd), None) => libc::fremovexattr(*fd, attr.as_ptr()),
            (XattrTarget::Path(p, true), None) => libc::removexattr(p.as_ptr(), attr.as_ptr()),
            (XattrTarget::Path(p, false), None) => libc::lremovexattr(p.as_ptr(), attr.as_ptr()),
        }
    };
    check(r).map(drop)
}

// ------------------------------------------------- standard descriptors

/// Bit `fd` set: standard descriptor `fd` was closed when the process
/// started (recorded before Rust's runtime reopens it on /dev/null).
static CLOSED_STD_FDS: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Records which of descriptors 0, 1, 2 are closed. Runs as a process
/// constructor (the binary's `.init_array` entry), before `main`: only
/// `fcntl` and an atomic store.
pub extern "C" fn record_closed_std_fds() {
    let mut closed = 0u8;
    for fd in 0..3 {
        // SAFETY: F_GETFD on a plain integer; no memory is passed.
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1 {
            closed |= 1 << fd;
        }
    }
    CLOSED_STD_FDS.store(closed, std::sync::atomic::Ordering::Relaxed);
}

/// Closes again the standard descriptors that were closed at start-up
/// (CPython leaves them closed: `sys.stdin` etc. are None, and a child
/// sees them closed).
pub fn close_reopened_std_fds() {
    let closed = CLOSED_STD_FDS.load(std::sync::atomic::Ordering::Relaxed);
    for fd in 0..3 {
        if closed & (1 << fd) != 0 {
            let _ = close(fd);
        }
    }
}
