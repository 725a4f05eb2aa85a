//! The system calls of `_io.FileIO` on raw file descriptors: the posix
//! module's wrappers (`posix/sys.rs`, which holds the `unsafe` and retries
//! calls interrupted by a signal), with errors as `std::io::Error`.

use std::ffi::CString;
use std::io::{Error, Result};

use crate::posix::sys as os;

fn err(errno: i32) -> Error {
    Error::from_raw_os_error(errno)
}

/// `open(path, flags | O_CLOEXEC, 0o666)`.
pub fn open(path: &[u8], flags: i32) -> Result<i32> {
    let Ok(c) = CString::new(path) else { return Err(err(libc::EINVAL)) };
    os::open(&c, flags | libc::O_CLOEXEC, 0o666, None).map_err(err)
}

/// `read(fd, buf)`: the number of bytes read (0 at end of file).
pub fn read(fd: i32, buf: &mut [u8]) -> Result<usize> {
    os::read_into(fd, buf).map_err(err)
}

/// `write(fd, buf)`: the number of bytes written.
pub fn write(fd: i32, buf: &[u8]) -> Result<usize> {
    os::write(fd, buf).map_err(err)
}

/// `lseek(fd, pos, whence)`: the new position.
pub fn lseek(fd: i32, pos: i64, whence: i32) -> Result<i64> {
    os::lseek(fd, pos, whence).map_err(err)
}

/// What `FileIO` needs from `fstat`.
pub struct Stat {
    pub is_dir: bool,
    pub size: i64,
    pub blksize: i64,
}

pub fn fstat(fd: i32) -> Result<Stat> {
    let st = os::fstat(fd).map_err(err)?;
    Ok(Stat { is_dir: st.st_mode & libc::S_IFMT == libc::S_IFDIR, size: st.st_size, blksize: st.st_blksize })
}

pub fn close(fd: i32) -> Result<()> {
    os::close(fd).map_err(err)
}

pub fn isatty(fd: i32) -> bool {
    os::isatty(fd)
}

pub fn ftruncate(fd: i32, len: i64) -> Result<()> {
    os::ftruncate(fd, len).map_err(err)
}
