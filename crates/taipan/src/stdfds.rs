//! Standard descriptors closed at start-up stay closed, as in CPython:
//! Rust's runtime opens /dev/null on descriptors 0, 1 and 2 when they are
//! closed before `main`, so a process constructor records their state
//! first (`taipan_stdlib::record_closed_std_fds`) and `main` closes the
//! reopened ones (`taipan_stdlib::close_reopened_std_fds`).
//!
//! # Safety
//!
//! The constructor runs before `main` from the `.init_array` section:
//! it only calls `fcntl(F_GETFD)` and stores an atomic, which needs
//! nothing from Rust's runtime.

#[used]
#[link_section = ".init_array"]
static RECORD_CLOSED_STD_FDS: extern "C" fn() = taipan_stdlib::record_closed_std_fds;
