//! The system calls of `_io.FileIO` on raw file descriptors.
//!
//! # Safety
//! Each function passes the descriptor number through to the kernel; the
//! kernel validates it (a bad number is `EBADF`, never memory unsafety).
//! Buffers handed to `read`/`write` are Rust slices whose pointer and
//! length describe memory we own for the whole call; `stat` buffers are
//! zero-initialised `libc::stat` values the kernel fills. Path arguments
//! are `CString`s (NUL-terminated, no interior NUL) alive during the call.
//! Calls interrupted by a signal (`EINTR`) are retried, as CPython does.

use std::ffi::CString;
use std::io::{Error, Result};

fn check(r: libc::c_int) -> Result<libc::c_int> {
    if r < 0 {
        Err(Error::last_os_error())
    } else {
        Ok(r)
    }
}

fn retry<T: Copy + PartialOrd + Default>(mut f: impl FnMut() -> T) -> Result<T> {
    loop {
        let r = f();
        if r >= T::default() {
            return Ok(r);
        }
        let e = Error::last_os_error();
        if e.raw_os_error() != Some(libc::EINTR) {
            return Err(e);
        }
    }
}

/// `open(path, flags, 0o666)`.
pub fn open(path: &[u8], flags: i32) -> Result<i32> {
    let Ok(c) = CString::new(path) else { return Err(Error::from_raw_os_error(libc::EINVAL)) };
    // SAFETY: `c` is a valid NUL-terminated string for the call.
    retry(|| unsafe { libc::open(c.as_ptr(), flags | libc::O_CLOEXEC, 0o666 as libc::c_uint) })
}

/// `read(fd, buf)`: the number of bytes read (0 at end of file).
pub fn read(fd: i32, buf: &mut [u8]) -> Result<usize> {
    // SAFETY: `buf` is writable memory of `buf.len()` bytes.
    retry(|| unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) }).map(|n| n as usize)
}

/// `write(fd, buf)`: the number of bytes written.
pub fn write(fd: i32, buf: &[u8]) -> Result<usize> {
    // SAFETY: `buf` is readable memory of `buf.len()` bytes.
    retry(|| unsafe { libc::write(fd, buf.as_ptr().cast(), buf.len()) }).map(|n| n as usize)
}

/// `lseek(fd, pos, whence)`: the new position.
pub fn lseek(fd: i32, pos: i64, whence: i32) -> Result<i64> {
    // SAFETY: plain integer arguments.
    let r = unsafe { libc::lseek(fd, pos as libc::off_t, whence) };
    if r < 0 {
        Err(Error::last_os_error())
    } else {
        Ok(r as i64)
    }
}

/// What `FileIO` needs from `fstat`.
pub struct Stat {
    pub is_dir: bool,
    pub size: i64,
    pub blksize: i64,
}

pub fn fstat(fd: i32) -> Result<Stat> {
    // SAFETY: an all-zero `stat` is a valid value of this plain C struct.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `st` is a live, writable `stat` for the kernel to fill.
    check(unsafe { libc::fstat(fd, &mut st) })?;
    Ok(Stat { is_dir: st.st_mode & libc::S_IFMT == libc::S_IFDIR, size: st.st_size as i64, blksize: st.st_blksize as i64 })
}

pub fn close(fd: i32) -> Result<()> {
    // SAFETY: closing a number we were given; the caller stops using it.
    check(unsafe { libc::close(fd) }).map(drop)
}

pub fn isatty(fd: i32) -> bool {
    // SAFETY: plain integer argument.
    unsafe { libc::isatty(fd) == 1 }
}

pub fn ftruncate(fd: i32, len: i64) -> Result<()> {
    // SAFETY: plain integer arguments.
    retry(|| unsafe { libc::ftruncate(fd, len as libc::off_t) }).map(drop)
}
