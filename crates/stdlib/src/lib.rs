//! Taipan's native standard-library modules: what CPython writes in C, in
//! Rust, on top of the vm crate's object model. Each module lives in its
//! own file and is listed once in [`MODULES`]; the binary calls
//! [`register`] so that `import` finds them before `sys.path`.
//!
//! A module is a `NativeModuleDef` whose `init` fills the module's
//! namespace (`modules::add_attr`, `modules::add_functions`); its types are
//! made with `native::new_type` and kept per interpreter with
//! `Vm::native_type`; its mutable state lives in `Vm::state`.

pub mod codecs;
pub mod io;
mod marshal;
mod mmap;
mod sqlite;
mod sre;

use taipan_vm::modules::NativeModuleDef;
use taipan_vm::Vm;

mod abc;
mod array;
mod asyncio;
mod atexit;
mod audioop;
pub(crate) mod binascii;
mod bisect;
mod bz2;
mod cjk;
mod cmath;
mod collections;
pub(crate) mod contextvars;
mod csv;
mod ctypes;
mod datetime;
mod decimal;
mod elementtree;
mod faulthandler;
mod functools;
mod grp;
mod hashes;
mod heapq;
mod itertools;
mod json;
mod locale;
mod lsprof;
mod lzma;
mod multiprocessing;
mod opcode;
mod operator;
mod ossaudiodev;
mod pickle;
pub mod posix;
mod pwd;
mod pyexpat;
mod pystruct;
mod queue;
mod random;
mod resource;
mod select;
mod signal;
mod socket;
mod spwd;
mod string;
mod symtable;
mod syslog;
mod termios;
mod time;
mod typing;
mod unicodedata;
mod util;
mod uuid;
mod zlib;

/// Every module of this crate, sorted by name.
static MODULES: &[NativeModuleDef] = &[
    NativeModuleDef { name: "_abc", init: abc::init },
    NativeModuleDef { name: "_asyncio", init: asyncio::init },
    NativeModuleDef { name: "_bisect", init: bisect::init },
    NativeModuleDef { name: "_blake2", init: hashes::blake2::init },
    NativeModuleDef { name: "_bz2", init: bz2::init },
    codecs::MODULE, // _codecs
    NativeModuleDef { name: "_codecs_cn", init: cjk::init_cn },
    NativeModuleDef { name: "_codecs_hk", init: cjk::init_hk },
    NativeModuleDef { name: "_codecs_iso2022", init: cjk::init_iso2022 },
    NativeModuleDef { name: "_codecs_jp", init: cjk::init_jp },
    NativeModuleDef { name: "_codecs_kr", init: cjk::init_kr },
    NativeModuleDef { name: "_codecs_tw", init: cjk::init_tw },
    NativeModuleDef { name: "_collections", init: collections::init },
    NativeModuleDef { name: "_contextvars", init: contextvars::init },
    NativeModuleDef { name: "_csv", init: csv::init },
    NativeModuleDef { name: "_ctypes", init: ctypes::init },
    NativeModuleDef { name: "_ctypes_test", init: ctypes::init_test },
    NativeModuleDef { name: "_decimal", init: decimal::init },
    NativeModuleDef { name: "_elementtree", init: elementtree::init },
    NativeModuleDef { name: "_datetime", init: datetime::init },
    NativeModuleDef { name: "_functools", init: functools::init },
    NativeModuleDef { name: "_heapq", init: heapq::init },
    io::MODULE, // _io
    NativeModuleDef { name: "_json", init: json::init },
    NativeModuleDef { name: "_locale", init: locale::init },
    NativeModuleDef { name: "_lsprof", init: lsprof::init },
    NativeModuleDef { name: "_lzma", init: lzma::init },
    NativeModuleDef { name: "_md5", init: hashes::md5::init },
    NativeModuleDef { name: "_multibytecodec", init: cjk::multibytecodec::init },
    NativeModuleDef { name: "_multiprocessing", init: multiprocessing::init },
    NativeModuleDef { name: "_opcode", init: opcode::init },
    NativeModuleDef { name: "_operator", init: operator::init },
    NativeModuleDef { name: "_pickle", init: pickle::init },
    NativeModuleDef { name: "_posixshmem", init: posix::shmem::init },
    NativeModuleDef { name: "_posixsubprocess", init: posix::subprocess::init },
    NativeModuleDef { name: "_queue", init: queue::init },
    NativeModuleDef { name: "_random", init: random::init },
    NativeModuleDef { name: "_sha1", init: hashes::sha1::init },
    NativeModuleDef { name: "_sha256", init: hashes::sha256::init },
    NativeModuleDef { name: "_sha3", init: hashes::sha3::init },
    NativeModuleDef { name: "_sha512", init: hashes::sha512::init },
    NativeModuleDef { name: "_signal", init: signal::init },
    NativeModuleDef { name: "_socket", init: socket::init },
    NativeModuleDef { name: "_sqlite3", init: sqlite::init },
    sre::MODULE, // _sre
    NativeModuleDef { name: "_stat", init: posix::stat::init },
    NativeModuleDef { name: "_string", init: string::init },
    NativeModuleDef { name: "_struct", init: pystruct::init },
    NativeModuleDef { name: "_symtable", init: symtable::init },
    NativeModuleDef { name: "_typing", init: typing::init },
    NativeModuleDef { name: "_uuid", init: uuid::init },
    NativeModuleDef { name: "array", init: array::init },
    NativeModuleDef { name: "atexit", init: atexit::init },
    NativeModuleDef { name: "audioop", init: audioop::init },
    NativeModuleDef { name: "binascii", init: binascii::init },
    NativeModuleDef { name: "cmath", init: cmath::init },
    NativeModuleDef { name: "errno", init: posix::errno::init },
    NativeModuleDef { name: "faulthandler", init: faulthandler::init },
    NativeModuleDef { name: "fcntl", init: posix::fcntl::init },
    NativeModuleDef { name: "grp", init: grp::init },
    NativeModuleDef { name: "itertools", init: itertools::init },
    NativeModuleDef { name: "marshal", init: marshal::init },
    NativeModuleDef { name: "mmap", init: mmap::init },
    NativeModuleDef { name: "ossaudiodev", init: ossaudiodev::init },
    NativeModuleDef { name: "posix", init: posix::init },
    NativeModuleDef { name: "pwd", init: pwd::init },
    NativeModuleDef { name: "pyexpat", init: pyexpat::init },
    NativeModuleDef { name: "resource", init: resource::init },
    NativeModuleDef { name: "select", init: select::init },
    NativeModuleDef { name: "spwd", init: spwd::init },
    NativeModuleDef { name: "syslog", init: syslog::init },
    NativeModuleDef { name: "termios", init: termios::init },
    NativeModuleDef { name: "time", init: time::init },
    NativeModuleDef { name: "zlib", init: zlib::init },
    NativeModuleDef { name: "unicodedata", init: unicodedata::init },
];

/// Makes this crate's modules importable in `vm`. The embedder then
/// installs the standard streams with `io::init_stdio` once `sys` is
/// configured (it imports `sys`).
pub fn register(vm: &Vm) {
    vm.add_native_modules(MODULES);
    taipan_vm::signals::set_runner(signal::run_handlers);
    taipan_vm::signals::set_trip(signal::trip);
}

/// Process constructor of the binary (before Rust's runtime starts):
/// records which standard descriptors the process started without.
pub extern "C" fn record_closed_std_fds() {
    posix::sys::record_closed_std_fds();
}

/// Process start-up: closes again the standard descriptors Rust's runtime
/// reopened on /dev/null because they were closed (see
/// `record_closed_std_fds`), as CPython leaves them.
pub fn close_reopened_std_fds() {
    posix::sys::close_reopened_std_fds();
}

/// Process start-up of the binary (CPython's `signal_install_handlers`):
/// `SIGINT` raises `KeyboardInterrupt`, `SIGPIPE`/`SIGXFSZ` are ignored.
pub fn install_signal_handlers() {
    signal::install_default_handlers();
}

/// Process start-up: `LC_CTYPE` from the environment, as CPython sets it
/// (the C locale coerced to C.UTF-8).
pub fn init_locale() {
    locale::init_ctype();
}

/// Blocks signals in the calling thread so that the interpreter's thread
/// receives those sent to the process (call it on the thread that only
/// waits for the interpreter).
pub fn block_signals_in_this_thread() {
    signal::block_signals_in_this_thread();
}

/// Ends the process by `SIGINT` with its default action, as CPython does
/// after an uncaught `KeyboardInterrupt` (so the parent sees the signal);
/// returns only if the process survived it.
pub fn exit_by_sigint() {
    signal::exit_by_sigint();
}
