//! The `sys` module: the interpreter's parameters (version, flags, limits,
//! paths), its hooks (`displayhook`, `excepthook`, `unraisablehook`,
//! audit hooks, trace/profile functions) and introspection (`exc_info`,
//! `_getframe`, `getrefcount`, `getsizeof`).
//!
//! `sys.settrace`/`setprofile` functions are called by the eval loop
//! (`eval::run_frame_traced`; `Vm::tracing` says one is installed).
//! Frames seen by `sys._getframe` are snapshots: `f_back` follows the
//! thread's whole Python stack, through native calls and generator
//! resumes (`eval::FrameChain`); the running frames of outer runs of the
//! loop show the line of their call to native code and (function frames)
//! empty `f_locals`. A traced frame has one frame object for all its
//! events, updated before each (`FrameData`'s cells).

use std::cell::RefCell;

use crate::eval::FrameView;
use crate::function::{new_builtin_function, new_frame_reading_function};
use crate::native::{at_most, bind, exact, FunctionDef, GetSetDef, Params};
use crate::object::{alloc, Obj};
use crate::types::builtin::{self, new_list, new_str, new_tuple, IntData, StrData};
use crate::types::structseq::{new_structseq, new_structseq_type, StructSeqDesc};
use crate::types::{type_of, Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;

/// `sys.version`.
pub const VERSION: &str = "3.11.7 (taipan, Rust) [Taipan 0.1]";
/// `sys.hexversion` for 3.11.7 final.
pub const HEXVERSION: i64 = 0x030B07F0;

/// The name of the memory allocator the process runs on, in CPython's
/// vocabulary (`pymem_getallocatorsname`): set once by the program that
/// chose the global allocator (the `taipan` binary), before it starts an
/// interpreter.
static ALLOCATOR_NAME: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();

/// Records the process's allocator name (the first call wins).
pub fn set_allocator_name(name: &'static str) {
    let _ = ALLOCATOR_NAME.set(name);
}

/// The allocator name, if the program declared it.
pub fn allocator_name() -> Option<&'static str> {
    ALLOCATOR_NAME.get().copied()
}

/// Mutable per-interpreter state of `sys`.
#[derive(Default)]
struct SysState {
    trace: RefCell<Option<Obj>>,
    profile: RefCell<Option<Obj>>,
    /// Set when `profile` is a native profiler (`_lsprof.Profiler`): the
    /// eval loop calls this instead of calling `profile` with a frame.
    profile_native: std::cell::Cell<Option<NativeProfileFn>>,
    audit_hooks: RefCell<Vec<Obj>>,
    /// A trace/profile function is being replaced (the old one's
    /// finalizer may not install another, as in CPython).
    installing_trace: std::cell::Cell<bool>,
    /// What `sys._getframe` made, for the eval loop to adopt.
    getframe_objs: RefCell<Vec<(Obj, Option<usize>)>>,
    installing_profile: std::cell::Cell<bool>,
    /// Trace or profile functions being run (nothing they run is traced,
    /// even if they install a hook: CPython's `tstate->tracing`), but for
    /// `sys.call_tracing`.
    in_hook: std::cell::Cell<u32>,
    /// `set_asyncgen_hooks`' `firstiter` and `finalizer`.
    asyncgen_hooks: RefCell<[Option<Obj>; 2]>,
}

/// The `finalizer` hook of `sys.set_asyncgen_hooks`, if set.
pub fn asyncgen_finalizer(vm: &Vm) -> Option<Obj> {
    vm.state::<SysState>().asyncgen_hooks.borrow()[1].clone()
}

/// The `firstiter` hook of `sys.set_asyncgen_hooks`, if set.
pub fn asyncgen_firstiter(vm: &Vm) -> Option<Obj> {
    vm.state::<SysState>().asyncgen_hooks.borrow()[0].clone()
}

static ASYNCGEN_HOOKS: StructSeqDesc = StructSeqDesc {
    name: "asyncgen_hooks",
    doc: "asyncgen_hooks\n\nA named tuple providing information about asynchronous\ngenerators hooks.  The attributes are read only.",
    fields: &["firstiter", "finalizer"],
    n_in_sequence: 2,
};

fn sys_get_asyncgen_hooks(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "get_asyncgen_hooks", args, kw)?;
    let ty = vm.native_type("sys.asyncgen_hooks", |vm| new_structseq_type(vm, &ASYNCGEN_HOOKS));
    let hooks = vm.state::<SysState>().asyncgen_hooks.borrow().clone();
    let values = hooks.into_iter().map(|h| h.unwrap_or_else(|| vm.none.clone())).collect();
    Ok(new_structseq(vm, &ty, values))
}

fn sys_get_coroutine_origin_tracking_depth(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "get_coroutine_origin_tracking_depth", args, kw)?;
    Ok(vm.int(vm.coro_origin_depth.get() as i64))
}

/// Per thread, as CPython: `cr_origin` of the coroutines created by this
/// thread records that many frames.
fn sys_set_coroutine_origin_tracking_depth(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: crate::native::Params =
        crate::native::Params { fname: "set_coroutine_origin_tracking_depth", names: &["depth"], posonly: 0, kwonly: 0, required: 1 };
    let [depth] = crate::native::bind::<1>(vm, &P, args, kw)?;
    let depth = depth.unwrap_or_else(|| vm.none.clone());
    if depth.downcast::<f64>().is_some() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let n = crate::ops::index(vm, &depth)?;
    let n = builtin::expect_int(vm, &n, "")
        .ok()
        .and_then(|n| i32::try_from(n).ok())
        .ok_or_else(|| vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int"))?;
    if n < 0 {
        return Err(vm.new_error(&vm.types.value_error, "depth must be >= 0"));
    }
    vm.coro_origin_depth.set(n as u32);
    Ok(vm.none.clone())
}

fn sys_set_asyncgen_hooks(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: crate::native::Params =
        crate::native::Params { fname: "set_asyncgen_hooks", names: &["firstiter", "finalizer"], posonly: 0, kwonly: 0, required: 0 };
    let given = crate::native::bind::<2>(vm, &P, args, kw)?;
    let state = vm.state::<SysState>();
    let mut new = state.asyncgen_hooks.borrow().clone();
    // CPython checks the finalizer first.
    for i in [1, 0] {
        if let Some(h) = &given[i] {
            if h.is(&vm.none) {
                new[i] = None;
            } else if crate::ops::callable(h) {
                new[i] = Some(h.clone());
            } else {
                let what = if i == 0 { "firstiter" } else { "finalizer" };
                return Err(vm.type_error(format!("callable {what} expected, got {}", builtin::type_name(h))));
            }
        }
    }
    *state.asyncgen_hooks.borrow_mut() = new;
    Ok(vm.none.clone())
}

static FLAGS: StructSeqDesc = StructSeqDesc {
    name: "sys.flags",
    doc: "sys.flags\n\nFlags provided through command line arguments or environment vars.",
    fields: &[
        "debug",
        "inspect",
        "interactive",
        "optimize",
        "dont_write_bytecode",
        "no_user_site",
        "no_site",
        "ignore_environment",
        "verbose",
        "bytes_warning",
        "quiet",
        "hash_randomization",
        "isolated",
        "dev_mode",
        "utf8_mode",
        "warn_default_encoding",
        "safe_path",
        "int_max_str_digits",
    ],
    n_in_sequence: 18,
};

static VERSION_INFO: StructSeqDesc = StructSeqDesc {
    name: "sys.version_info",
    doc: "sys.version_info\n\nVersion information as a named tuple.",
    fields: &["major", "minor", "micro", "releaselevel", "serial"],
    n_in_sequence: 5,
};

static FLOAT_INFO: StructSeqDesc = StructSeqDesc {
    name: "sys.float_info",
    doc: "sys.float_info\n\nA named tuple holding information about the float type.",
    fields: &["max", "max_exp", "max_10_exp", "min", "min_exp", "min_10_exp", "dig", "mant_dig", "epsilon", "radix", "rounds"],
    n_in_sequence: 11,
};

static INT_INFO: StructSeqDesc = StructSeqDesc {
    name: "sys.int_info",
    doc: "sys.int_info\n\nA named tuple that holds information about Python's\ninternal representation of integers.",
    fields: &["bits_per_digit", "sizeof_digit", "default_max_str_digits", "str_digits_check_threshold"],
    n_in_sequence: 4,
};

static HASH_INFO: StructSeqDesc = StructSeqDesc {
    name: "sys.hash_info",
    doc: "hash_info\n\nA named tuple providing parameters used for computing\nhashes.",
    fields: &["width", "modulus", "inf", "nan", "imag", "algorithm", "hash_bits", "seed_bits", "cutoff"],
    n_in_sequence: 9,
};

static THREAD_INFO: StructSeqDesc = StructSeqDesc {
    name: "sys.thread_info",
    doc: "sys.thread_info\n\nA named tuple holding information about the thread implementation.",
    fields: &["name", "lock", "version"],
    n_in_sequence: 3,
};

fn float(vm: &Vm, f: f64) -> Obj {
    alloc(vm.types.float.clone(), f)
}

/// `sys.version_info` (also `sys.implementation.version`).
pub fn version_info(vm: &Vm) -> Obj {
    let ty = vm.native_type("sys.version_info", |vm| {
        let ty = new_structseq_type(vm, &VERSION_INFO);
        crate::types::structseq::forbid_instances(&ty);
        ty
    });
    new_structseq(vm, &ty, vec![vm.int(3), vm.int(11), vm.int(7), new_str(vm, "final"), vm.int(0)])
}

fn env_flag(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty())
}

/// The interpreter's configuration from the command line and the
/// environment, as the binary parsed it: `sys.flags`, `sys.warnoptions`,
/// `sys._xoptions`. The binary fills it (`Vm::state`) before `sys` is
/// first imported; without it (an embedded vm) the flags come from the
/// environment alone.
#[derive(Default)]
pub struct Config {
    pub flags: std::cell::RefCell<Option<Flags>>,
    pub warnoptions: std::cell::RefCell<Vec<String>>,
    pub xoptions: std::cell::RefCell<Vec<String>>,
}

/// The fields of `sys.flags`.
#[derive(Clone, Debug, Default)]
pub struct Flags {
    pub debug: i64,
    pub inspect: i64,
    pub interactive: i64,
    pub optimize: i64,
    pub dont_write_bytecode: i64,
    pub no_user_site: i64,
    pub no_site: i64,
    pub ignore_environment: i64,
    pub verbose: i64,
    pub bytes_warning: i64,
    pub quiet: i64,
    pub hash_randomization: i64,
    pub isolated: i64,
    pub dev_mode: bool,
    pub utf8_mode: i64,
    pub warn_default_encoding: i64,
    pub safe_path: bool,
    pub int_max_str_digits: i64,
}

impl Flags {
    /// The flags the environment alone sets.
    pub fn from_env() -> Flags {
        Flags {
            inspect: i64::from(env_flag("PYTHONINSPECT")),
            dont_write_bytecode: i64::from(env_flag("PYTHONDONTWRITEBYTECODE")),
            no_user_site: i64::from(env_flag("PYTHONNOUSERSITE")),
            hash_randomization: i64::from(std::env::var("PYTHONHASHSEED").map_or(true, |s| s != "0")),
            utf8_mode: i64::from(std::env::var("PYTHONUTF8").is_ok_and(|v| v == "1")),
            warn_default_encoding: i64::from(env_flag("PYTHONWARNDEFAULTENCODING")),
            safe_path: env_flag("PYTHONSAFEPATH"),
            int_max_str_digits: std::env::var("PYTHONINTMAXSTRDIGITS").ok().and_then(|s| s.parse::<i64>().ok()).unwrap_or(-1),
            ..Flags::default()
        }
    }
}

/// The current flags (the command line's, else the environment's).
pub fn current_flags(vm: &Vm) -> Flags {
    vm.state::<Config>().flags.borrow().clone().unwrap_or_else(Flags::from_env)
}

/// Whether code objects report column positions (false with
/// `-X no_debug_ranges` or `PYTHONNODEBUGRANGES` without `-E`): without
/// them `co_positions()` gives no columns and tracebacks no carets.
pub fn debug_ranges(vm: &Vm) -> bool {
    let config = vm.state::<Config>();
    if config.xoptions.borrow().iter().any(|x| x == "no_debug_ranges") {
        return false;
    }
    !(current_flags(vm).ignore_environment == 0 && env_flag("PYTHONNODEBUGRANGES"))
}

/// The optimisation level code is compiled at (`-O`: 1, `-OO`: 2).
pub fn optimize_level(vm: &Vm) -> u32 {
    current_flags(vm).optimize.clamp(0, 2) as u32
}

fn flags(vm: &Vm) -> Obj {
    let ty = vm.native_type("sys.flags", |vm| {
        let ty = new_structseq_type(vm, &FLAGS);
        crate::types::structseq::forbid_instances(&ty);
        ty
    });
    let f = current_flags(vm);
    let values = vec![
        vm.int(f.debug),
        vm.int(f.inspect),
        vm.int(f.interactive),
        vm.int(f.optimize),
        vm.int(f.dont_write_bytecode),
        vm.int(f.no_user_site),
        vm.int(f.no_site),
        vm.int(f.ignore_environment),
        vm.int(f.verbose),
        vm.int(f.bytes_warning),
        vm.int(f.quiet),
        vm.int(f.hash_randomization),
        vm.int(f.isolated),
        vm.bool(f.dev_mode),
        vm.int(f.utf8_mode),
        vm.int(f.warn_default_encoding),
        vm.bool(f.safe_path),
        vm.int(f.int_max_str_digits),
    ];
    new_structseq(vm, &ty, values)
}

/// `sys._xoptions`: `-X name` is `{name: True}`, `-X name=value` is
/// `{name: value}`.
fn xoptions(vm: &Vm) -> PyResult<Obj> {
    let d = builtin::new_dict(vm);
    for x in vm.state::<Config>().xoptions.borrow().iter() {
        match x.split_once('=') {
            Some((k, v)) => builtin::dict_set(vm, &d, new_str(vm, k), new_str(vm, v))?,
            None => builtin::dict_set(vm, &d, new_str(vm, x), vm.true_.clone())?,
        }
    }
    Ok(d)
}

fn float_info(vm: &Vm) -> Obj {
    let ty = vm.native_type("sys.float_info", |vm| new_structseq_type(vm, &FLOAT_INFO));
    let values = vec![
        float(vm, f64::MAX),
        vm.int(f64::MAX_EXP as i64),
        vm.int(f64::MAX_10_EXP as i64),
        float(vm, f64::MIN_POSITIVE),
        vm.int(f64::MIN_EXP as i64),
        vm.int(f64::MIN_10_EXP as i64),
        vm.int(f64::DIGITS as i64),
        vm.int(f64::MANTISSA_DIGITS as i64),
        float(vm, f64::EPSILON),
        vm.int(f64::RADIX as i64),
        vm.int(1),
    ];
    new_structseq(vm, &ty, values)
}

fn int_info(vm: &Vm) -> Obj {
    let ty = vm.native_type("sys.int_info", |vm| new_structseq_type(vm, &INT_INFO));
    // CPython's values (30-bit digits); Taipan's ints behave the same.
    let values = vec![vm.int(30), vm.int(4), vm.int(4300), vm.int(builtin::MAX_STR_DIGITS_THRESHOLD as i64)];
    new_structseq(vm, &ty, values)
}

fn hash_info(vm: &Vm) -> Obj {
    let ty = vm.native_type("sys.hash_info", |vm| new_structseq_type(vm, &HASH_INFO));
    let values = vec![
        vm.int(64),
        vm.int((1i64 << 61) - 1),
        vm.int(314159),
        vm.int(0),
        vm.int(1000003),
        new_str(vm, "siphash13"),
        vm.int(64),
        vm.int(128),
        vm.int(0),
    ];
    new_structseq(vm, &ty, values)
}

fn thread_info(vm: &Vm) -> Obj {
    let ty = vm.native_type("sys.thread_info", |vm| new_structseq_type(vm, &THREAD_INFO));
    new_structseq(vm, &ty, vec![new_str(vm, "pthread"), new_str(vm, "semaphore"), vm.none.clone()])
}

/// `sys.implementation`, a `types.SimpleNamespace`.
fn implementation(vm: &Vm) -> PyResult<Obj> {
    let ns = crate::types::namespace::new_namespace(vm);
    let set = |k: &str, v: Obj| crate::classes::setattr(vm, &ns, &vm.intern(k), v);
    set("name", new_str(vm, "taipan"))?;
    set("cache_tag", new_str(vm, crate::pycache::CACHE_TAG))?;
    set("version", version_info(vm))?;
    set("hexversion", vm.int(HEXVERSION))?;
    set("_multiarch", new_str(vm, &format!("{}-linux-gnu", std::env::consts::ARCH)))?;
    Ok(ns)
}

/// The installation prefix: the directory above the standard library's
/// `lib/python3.11`, else `/usr/local` as CPython defaults.
fn prefix() -> String {
    crate::import::stdlib_dir()
        .and_then(|d| d.parent().and_then(|l| l.parent()).map(|p| p.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "/usr/local".to_string())
}

fn executable() -> String {
    std::env::current_exe().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default()
}

static SYS_FUNCTIONS: &[FunctionDef] = &[
    FunctionDef::new("exit", sys_exit, "Exit the interpreter by raising SystemExit(status)."),
    FunctionDef::new(
        "get_int_max_str_digits",
        sys_get_int_max_str_digits,
        "Return the maximum string digits limit for non-binary int<->str conversions.",
    ),
    FunctionDef::new(
        "set_int_max_str_digits",
        sys_set_int_max_str_digits,
        "Set the maximum string digits limit for non-binary int<->str conversions.",
    ),
    FunctionDef::new("get_asyncgen_hooks", sys_get_asyncgen_hooks, "Return the installed asynchronous generators hooks."),
    FunctionDef::new("set_asyncgen_hooks", sys_set_asyncgen_hooks, "Set a finalizer for async generators objects."),
    FunctionDef::new(
        "get_coroutine_origin_tracking_depth",
        sys_get_coroutine_origin_tracking_depth,
        "Check status of origin tracking for coroutine objects in this thread.",
    ),
    FunctionDef::new(
        "set_coroutine_origin_tracking_depth",
        sys_set_coroutine_origin_tracking_depth,
        "Enable or disable origin tracking for coroutine objects in this thread.",
    ),
    FunctionDef::new("getrecursionlimit", sys_getrecursionlimit, "Return the current value of the recursion limit."),
    FunctionDef::new("setrecursionlimit", sys_setrecursionlimit, "Set the maximum depth of the Python interpreter stack to n."),
    FunctionDef::new("exc_info", sys_exc_info, "Return current exception information: (type, value, traceback)."),
    FunctionDef::new("exception", sys_exception, "Return the current exception."),
    FunctionDef::new("settrace", sys_settrace, "Set the global debug tracing function."),
    FunctionDef::new("gettrace", sys_gettrace, "Return the global debug tracing function set with sys.settrace."),
    FunctionDef::new("setprofile", sys_setprofile, "Set the profiling function."),
    FunctionDef::new("getprofile", sys_getprofile, "Return the profiling function set with sys.setprofile."),
    FunctionDef::new("getrefcount", sys_getrefcount, "Return the reference count of object."),
    FunctionDef::new("getsizeof", sys_getsizeof, "getsizeof(object [, default]) -> int"),
    FunctionDef::new("intern", sys_intern, "``Intern'' the given string."),
    FunctionDef::new(
        "getdefaultencoding",
        sys_getdefaultencoding,
        "Return the current default encoding used by the Unicode implementation.",
    ),
    FunctionDef::new(
        "getfilesystemencoding",
        sys_getfilesystemencoding,
        "Return the encoding used to convert Unicode filenames to OS filenames.",
    ),
    FunctionDef::new(
        "getfilesystemencodeerrors",
        sys_getfilesystemencodeerrors,
        "Return the error mode used Unicode to OS filename conversion.",
    ),
    FunctionDef::new("audit", sys_audit, "Passes the event to any audit hooks that are attached."),
    FunctionDef::new("addaudithook", sys_addaudithook, "Adds a new audit hook callback."),
    FunctionDef::new("is_finalizing", sys_is_finalizing, "Return True if Python is exiting."),
    FunctionDef::new("getswitchinterval", sys_getswitchinterval, "Return the current thread switch interval; see sys.setswitchinterval()."),
    FunctionDef::new("setswitchinterval", sys_setswitchinterval, "Set the ideal thread switching delay inside the Python interpreter."),
    FunctionDef::new("call_tracing", sys_call_tracing, "Call func(*args), while tracing is enabled."),
    FunctionDef::new(
        "_current_exceptions",
        sys_current_exceptions,
        "Return a dict mapping each thread's identifier to its current raised exception.",
    ),
];

/// A command-line argument as Python sees it: UTF-8, undecodable bytes
/// as lone surrogates (`surrogateescape`).
fn os_str(vm: &Vm, b: &[u8]) -> PyResult<Obj> {
    match std::str::from_utf8(b) {
        Ok(s) => Ok(new_str(vm, s)),
        Err(_) => Ok(builtin::new_str_wtf8(vm, crate::codecs::decode(vm, b, "utf-8", "surrogateescape")?)),
    }
}

/// Fills the `sys` module.
pub(crate) fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    use crate::modules::add_attr;
    crate::modules::add_functions(vm, m, SYS_FUNCTIONS)?;
    add_attr(vm, m, "_getframe", new_frame_reading_function(vm, "_getframe", sys_getframe))?;
    add_attr(vm, m, "_current_frames", new_frame_reading_function(vm, "_current_frames", sys_current_frames))?;
    let argv = vm.argv.borrow().iter().map(|a| os_str(vm, a)).collect::<PyResult<_>>()?;
    add_attr(vm, m, "argv", new_list(vm, argv))?;
    let orig = std::env::args_os().map(|a| os_str(vm, a.as_encoded_bytes())).collect::<PyResult<_>>()?;
    add_attr(vm, m, "orig_argv", new_list(vm, orig))?;
    add_attr(vm, m, "path", vm.path.clone())?;
    add_attr(vm, m, "modules", vm.modules.clone())?;
    add_attr(vm, m, "flags", flags(vm))?;
    add_attr(vm, m, "implementation", implementation(vm)?)?;
    add_attr(vm, m, "version", new_str(vm, VERSION))?;
    add_attr(vm, m, "version_info", version_info(vm))?;
    add_attr(vm, m, "hexversion", vm.int(HEXVERSION))?;
    add_attr(vm, m, "api_version", vm.int(1013))?;
    add_attr(vm, m, "platform", new_str(vm, "linux"))?;
    let order = if cfg!(target_endian = "little") { "little" } else { "big" };
    add_attr(vm, m, "byteorder", new_str(vm, order))?;
    let exe = executable();
    add_attr(vm, m, "executable", new_str(vm, &exe))?;
    add_attr(vm, m, "_base_executable", new_str(vm, &exe))?;
    let prefix = prefix();
    for name in ["prefix", "base_prefix", "exec_prefix", "base_exec_prefix"] {
        add_attr(vm, m, name, new_str(vm, &prefix))?;
    }
    add_attr(vm, m, "platlibdir", new_str(vm, "lib"))?;
    let stdlib = crate::import::stdlib_dir().map_or_else(|| vm.none.clone(), |d| new_str(vm, &d.to_string_lossy()));
    add_attr(vm, m, "_stdlib_dir", stdlib)?;
    add_attr(vm, m, "abiflags", new_str(vm, ""))?;
    let cache = vm.state::<crate::pycache::CacheConfig>();
    let pycache_prefix = cache.pycache_prefix.borrow().clone();
    add_attr(vm, m, "pycache_prefix", pycache_prefix.map_or_else(|| vm.none.clone(), |p| new_str(vm, &p)))?;
    add_attr(vm, m, "maxsize", vm.int(i64::MAX))?;
    add_attr(vm, m, "maxunicode", vm.int(0x10FFFF))?;
    add_attr(vm, m, "float_info", float_info(vm))?;
    add_attr(vm, m, "int_info", int_info(vm))?;
    add_attr(vm, m, "hash_info", hash_info(vm))?;
    add_attr(vm, m, "thread_info", thread_info(vm))?;
    add_attr(vm, m, "float_repr_style", new_str(vm, "short"))?;
    let breakpointhook = new_builtin_function(vm, "breakpointhook", crate::builtins_module::sys_breakpointhook);
    add_attr(vm, m, "breakpointhook", breakpointhook.clone())?;
    add_attr(vm, m, "__breakpointhook__", breakpointhook)?;
    let displayhook = new_builtin_function(vm, "displayhook", sys_displayhook);
    add_attr(vm, m, "displayhook", displayhook.clone())?;
    add_attr(vm, m, "__displayhook__", displayhook)?;
    let excepthook = new_builtin_function(vm, "excepthook", sys_excepthook);
    add_attr(vm, m, "excepthook", excepthook.clone())?;
    add_attr(vm, m, "__excepthook__", excepthook)?;
    let hook = new_builtin_function(vm, "unraisablehook", crate::gc::default_unraisablehook);
    add_attr(vm, m, "unraisablehook", hook.clone())?;
    add_attr(vm, m, "__unraisablehook__", hook)?;
    let names = STDLIB_MODULE_NAMES.iter().map(|n| new_str(vm, n)).collect();
    let names = crate::types::set::new_set(vm, names)?;
    add_attr(vm, m, "stdlib_module_names", crate::classes::call_object(vm, &vm.types.frozenset, &[names])?)?;
    let mut names = vm.native_module_names();
    names.push("builtins");
    names.sort_unstable();
    add_attr(vm, m, "builtin_module_names", new_tuple(vm, names.into_iter().map(|n| new_str(vm, n)).collect()))?;
    let warnoptions = vm.state::<Config>().warnoptions.borrow().iter().map(|w| new_str(vm, w)).collect();
    add_attr(vm, m, "warnoptions", new_list(vm, warnoptions))?;
    add_attr(vm, m, "_xoptions", xoptions(vm)?)?;
    add_attr(vm, m, "dont_write_bytecode", vm.bool(cache.dont_write_bytecode.get()))?;
    add_attr(vm, m, "meta_path", new_list(vm, Vec::new()))?;
    add_attr(vm, m, "path_hooks", new_list(vm, Vec::new()))?;
    add_attr(vm, m, "path_importer_cache", builtin::new_dict(vm))?;
    add_attr(vm, m, "_git", new_tuple(vm, vec![new_str(vm, "Taipan"), new_str(vm, ""), new_str(vm, "")]))?;
    add_attr(vm, m, "copyright", new_str(vm, COPYRIGHT))?;
    Ok(())
}

const COPYRIGHT: &str = "Copyright (c) 2001-2023 Python Software Foundation.\nAll Rights Reserved.\n\n\
Copyright (c) 2000 BeOpen.com.\nAll Rights Reserved.\n\n\
Copyright (c) 1995-2001 Corporation for National Research Initiatives.\nAll Rights Reserved.\n\n\
Copyright (c) 1991-1995 Stichting Mathematisch Centrum, Amsterdam.\nAll Rights Reserved.";

/// `sys.exit([arg])`: raises `SystemExit(arg)`; a tuple is the
/// exception's arguments (CPython's `PyErr_SetObject`).
fn sys_exit(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [arg] = at_most::<1>(vm, "exit", 0, args, kw)?;
    let args = match arg {
        Some(a) if a.is(&vm.none) => Vec::new(),
        Some(a) if type_of(&a).is(&vm.types.tuple) => a.downcast::<builtin::TupleData>().map_or_else(Vec::new, |t| t.items.to_vec()),
        Some(a) => vec![a],
        None => Vec::new(),
    };
    Err(crate::PyErr { exc: builtin::new_exception(vm, &vm.types.system_exit, args) })
}

fn sys_get_int_max_str_digits(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "sys.get_int_max_str_digits", args, kw)?;
    Ok(vm.int(builtin::max_str_digits() as i64))
}

/// `sys.set_int_max_str_digits(maxdigits)`: 0 (no limit) or at least 640.
fn sys_set_int_max_str_digits(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static PARAMS: Params = Params { fname: "set_int_max_str_digits", names: &["maxdigits"], posonly: 0, kwonly: 0, required: 1 };
    let [n] = bind::<1>(vm, &PARAMS, args, kw)?;
    let n = crate::ops::index(vm, n.as_ref().unwrap_or(&vm.none))?;
    let ok = match n.downcast::<IntData>() {
        Some(IntData::Small(v)) if *v == 0 || *v >= builtin::MAX_STR_DIGITS_THRESHOLD as i64 => Some(*v as usize),
        Some(IntData::Big(b)) if num_traits::Signed::is_positive(b) => Some(usize::MAX),
        _ => None,
    };
    match ok {
        Some(v) => {
            builtin::set_max_str_digits(v);
            Ok(vm.none.clone())
        }
        None => Err(vm.new_error(&vm.types.value_error, "maxdigits must be 0 or larger than 640")),
    }
}

fn sys_getrecursionlimit(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "sys.getrecursionlimit", args, kw)?;
    Ok(vm.int(vm.recursion_limit.get() as i64))
}

fn sys_setrecursionlimit(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [n] = exact::<1>(vm, "sys.setrecursionlimit", args, kw)?;
    if n.downcast::<f64>().is_some() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let n = crate::ops::index(vm, &n)?;
    let n = builtin::expect_int(vm, &n, "")?;
    if n < 1 {
        return Err(vm.new_error(&vm.types.value_error, "recursion limit must be greater or equal than 1"));
    }
    let depth = vm.depth.get() as i64;
    if n <= depth {
        let msg = format!("cannot set the recursion limit to {n} at the recursion depth {depth}: the limit is too low");
        return Err(vm.new_error(&vm.types.recursion_error, msg));
    }
    vm.recursion_limit.set(n.min(i32::MAX as i64) as u32);
    Ok(vm.none.clone())
}

/// The exception being handled, if any.
fn current_exception(vm: &Vm) -> Option<Obj> {
    vm.handled.borrow().iter().rev().find(|e| !e.is(&vm.none)).cloned()
}

fn sys_exc_info(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "sys.exc_info", args, kw)?;
    exc_info_of(vm, current_exception(vm))
}

fn sys_exception(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "sys.exception", args, kw)?;
    Ok(current_exception(vm).unwrap_or_else(|| vm.none.clone()))
}

fn hook_value(vm: &Vm, f: &Obj) -> Option<Obj> {
    (!f.is(&vm.none)).then(|| f.clone())
}

fn sys_settrace(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f] = exact::<1>(vm, "sys.settrace", args, kw)?;
    let st = vm.state::<SysState>();
    if st.installing_trace.get() {
        let msg = "Cannot install a trace function while another trace function is being installed";
        return Err(vm.new_error(&vm.types.runtime_error, msg));
    }
    // The old hook is dropped after the borrow ends (its finalizer may
    // call back into sys).
    let old = st.trace.replace(hook_value(vm, &f));
    update_tracing(vm);
    st.installing_trace.set(true);
    drop(old);
    st.installing_trace.set(false);
    Ok(vm.none.clone())
}

fn sys_gettrace(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "sys.gettrace", args, kw)?;
    Ok(vm.state::<SysState>().trace.borrow().clone().unwrap_or_else(|| vm.none.clone()))
}

fn sys_setprofile(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f] = exact::<1>(vm, "sys.setprofile", args, kw)?;
    let st = vm.state::<SysState>();
    if st.installing_profile.get() {
        let msg = "Cannot install a profile function while another profile function is being installed";
        return Err(vm.new_error(&vm.types.runtime_error, msg));
    }
    // The old hook is dropped after the borrow ends (its finalizer may
    // call back into sys).
    let old = st.profile.replace(hook_value(vm, &f));
    st.profile_native.set(None);
    update_tracing(vm);
    st.installing_profile.set(true);
    drop(old);
    st.installing_profile.set(false);
    Ok(vm.none.clone())
}

fn sys_getprofile(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "sys.getprofile", args, kw)?;
    Ok(vm.state::<SysState>().profile.borrow().clone().unwrap_or_else(|| vm.none.clone()))
}

/// `sys.getrefcount(object)`: the count includes the argument's own
/// reference, as in CPython.
fn sys_getrefcount(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [o] = exact::<1>(vm, "sys.getrefcount", args, kw)?;
    // `o` is a clone of the argument: one more than the caller's view.
    Ok(vm.int((o.refcount() - 1) as i64))
}

/// `sys.getsizeof(object[, default])`: `__sizeof__()` plus the collector's
/// header for objects it tracks (16 bytes in CPython 3.11).
fn sys_getsizeof(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static PARAMS: Params = Params { fname: "getsizeof", names: &["object", "default"], posonly: 0, kwonly: 0, required: 1 };
    let [o, default] = bind::<2>(vm, &PARAMS, args, kw)?;
    let o = o.unwrap_or_else(|| vm.none.clone());
    let size = match crate::types::lookup(&type_of(&o), "__sizeof__") {
        // The type's method, bound as special methods are (never the
        // instance's `__getattribute__`).
        Some(m) => match crate::classes::call_special(vm, &m, &o, &[], &[]) {
            Ok(v) => v,
            Err(e) => return default.ok_or(e),
        },
        None => match default {
            Some(d) => return Ok(d),
            None => return Err(vm.type_error(format!("Type {} doesn't define __sizeof__", builtin::type_name(&o)))),
        },
    };
    let n = match size.downcast::<IntData>() {
        Some(IntData::Small(n)) => *n,
        Some(IntData::Big(_)) => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C ssize_t")),
        None => return Err(vm.type_error("an integer is required")),
    };
    if n < 0 {
        return Err(vm.new_error(&vm.types.value_error, "__sizeof__() should return >= 0"));
    }
    let gc_header = if o.gc_head().is_some() { 16 } else { 0 };
    Ok(vm.int(n + gc_header))
}

fn sys_intern(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [s] = exact::<1>(vm, "sys.intern", args, kw)?;
    let Some(data) = s.downcast::<StrData>() else {
        return Err(vm.type_error(format!("intern() argument must be str, not {}", builtin::type_name(&s))));
    };
    if !s.type_ptr().eq(&vm.types.str_.as_ptr()) {
        return Err(vm.type_error(format!("can't intern {}", builtin::type_name(&s))));
    }
    match std::str::from_utf8(data.bytes()) {
        Ok(text) => Ok(vm.intern_obj(text, &s)),
        Err(_) => Ok(s),
    }
}

fn sys_getdefaultencoding(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "sys.getdefaultencoding", args, kw)?;
    Ok(new_str(vm, "utf-8"))
}

fn sys_getfilesystemencoding(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "sys.getfilesystemencoding", args, kw)?;
    Ok(new_str(vm, "utf-8"))
}

fn sys_getfilesystemencodeerrors(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "sys.getfilesystemencodeerrors", args, kw)?;
    Ok(new_str(vm, "surrogateescape"))
}

/// `sys.audit(event, *args)`: calls each hook with `(event, args)`.
fn sys_audit(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    crate::native::no_kwargs(vm, "audit", kw)?;
    let Some((event, rest)) = args.split_first() else {
        return Err(vm.type_error("audit() missing 1 required positional argument: 'event'"));
    };
    if event.downcast::<StrData>().is_none() {
        return Err(vm.type_error(format!("expected str for argument 'event', not {}", builtin::type_name(event))));
    }
    let hooks = vm.state::<SysState>().audit_hooks.borrow().clone();
    if hooks.is_empty() {
        return Ok(vm.none.clone());
    }
    let tuple = new_tuple(vm, rest.to_vec());
    for h in hooks {
        crate::classes::call_object(vm, &h, &[event.clone(), tuple.clone()])?;
    }
    Ok(vm.none.clone())
}

fn sys_addaudithook(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static PARAMS: Params = Params { fname: "addaudithook", names: &["hook"], posonly: 0, kwonly: 0, required: 1 };
    let [hook] = bind::<1>(vm, &PARAMS, args, kw)?;
    if let Some(h) = hook {
        vm.state::<SysState>().audit_hooks.borrow_mut().push(h);
    }
    Ok(vm.none.clone())
}

fn sys_is_finalizing(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "sys.is_finalizing", args, kw)?;
    Ok(vm.bool(vm.gil.is_finalizing()))
}

fn sys_getswitchinterval(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "sys.getswitchinterval", args, kw)?;
    Ok(float(vm, vm.gil.switch_interval()))
}

fn sys_setswitchinterval(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [v] = exact::<1>(vm, "sys.setswitchinterval", args, kw)?;
    let v = match v.downcast::<f64>() {
        Some(f) => *f,
        None => crate::types::float::number_to_f64(vm, &v)
            .map_err(|_| vm.type_error(format!("must be real number, not {}", builtin::type_name(&v))))?,
    };
    if v <= 0.0 {
        return Err(vm.new_error(&vm.types.value_error, "switch interval must be strictly positive"));
    }
    vm.gil.set_switch_interval(v);
    Ok(vm.none.clone())
}

fn sys_call_tracing(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f, a] = exact::<2>(vm, "call_tracing", args, kw)?;
    let Some(t) = a.downcast::<builtin::TupleData>() else {
        return Err(vm.type_error(format!("call_tracing() argument 2 must be tuple, not {}", builtin::type_name(&a))));
    };
    // Inside a trace function, a hook installed during the call traces
    // (CPython 3.11 resets `tstate->tracing`; what is already set up
    // stays as it is until then).
    let outer = vm.state::<SysState>().in_hook.replace(0);
    let r = crate::classes::call_object(vm, &f, &t.items);
    vm.state::<SysState>().in_hook.set(outer);
    update_tracing(vm);
    r
}

/// `sys.displayhook(value)`.
fn sys_displayhook(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [v] = exact::<1>(vm, "sys.displayhook", args, kw)?;
    crate::modules::displayhook(vm, &v)?;
    Ok(vm.none.clone())
}

/// `sys.excepthook(type, value, traceback)`: CPython's report on stderr.
fn sys_excepthook(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [ty, value, tb] = exact::<3>(vm, "excepthook", args, kw)?;
    if builtin::exception_data(&value).is_none() {
        // CPython prints "TypeError: print_exception(): Exception expected for value, int found".
        let msg = format!("TypeError: print_exception(): Exception expected for value, {} found\n", builtin::type_name(&value));
        crate::stdio::write_stderr(vm, &msg);
        return Ok(vm.none.clone());
    }
    let _ = ty;
    if !tb.is(&vm.none) {
        crate::classes::setattr(vm, &value, &vm.intern("__traceback__"), tb)?;
    }
    crate::stdio::write_stderr(vm, &crate::traceback::format_exception(vm, &value));
    Ok(vm.none.clone())
}

/// Reports an uncaught exception through `sys.excepthook` (if `sys` has
/// been imported and the hook replaced), else the built-in report.
pub fn report_uncaught(vm: &Vm, exc: &Obj) {
    let sys = builtin::dict_get_str(vm, &vm.modules, "sys").ok().flatten();
    let get = |name: &str| sys.as_ref().and_then(|s| crate::classes::getattr_opt(vm, s, &vm.intern(name)).ok().flatten());
    let hook = get("excepthook");
    let is_default = hook.as_ref().is_some_and(|h| get("__excepthook__").is_some_and(|d| d.is(h)));
    match hook {
        Some(h) if !is_default => {
            let tb = crate::classes::getattr(vm, exc, &vm.intern("__traceback__")).unwrap_or_else(|_| vm.none.clone());
            if let Err(e) = crate::classes::call_object(vm, &h, &[type_of(exc), exc.clone(), tb]) {
                let text = format!(
                    "Error in sys.excepthook:\n{}\nOriginal exception was:\n{}",
                    crate::traceback::format_exception(vm, &e.exc),
                    crate::traceback::format_exception(vm, exc)
                );
                crate::stdio::write_stderr(vm, &text);
            }
        }
        _ => crate::stdio::write_stderr(vm, &crate::traceback::format_exception(vm, exc)),
    }
}

// ------------------------------------------------------------ frames

/// A frame object: a snapshot of a running frame taken by
/// `sys._getframe` (the code, the line being run, the namespaces, the
/// calling frame).
pub struct FrameData {
    pub code: Obj,
    /// Updated before each trace event for a traced frame.
    pub lasti: std::cell::Cell<u32>,
    pub globals: Obj,
    /// The locals as last taken (None: not taken yet; `f_locals` reads
    /// them from the frame while it waits in a frame chain).
    pub locals: RefCell<Option<Obj>>,
    /// `f_back` (set again when `sys._getframe` reuses the object: a
    /// generator's caller changes).
    pub back: RefCell<Option<Obj>>,
    /// `f_trace`, `f_trace_lines`, `f_trace_opcodes` (the eval loop reads
    /// them back after each trace event).
    pub trace: RefCell<Option<Obj>>,
    pub trace_lines: std::cell::Cell<bool>,
    pub trace_opcodes: std::cell::Cell<bool>,
    /// `f_lineno` when set (a 'call' event shows the `def` line); 0: the
    /// line of `lasti`.
    pub lineno: std::cell::Cell<u32>,
    /// The trace event being delivered about this frame
    /// (`TRACE_CALL`...), 0 outside trace functions.
    pub event: std::cell::Cell<u8>,
    /// The instruction a trace function's `f_lineno` assignment jumps to
    /// (the eval loop takes it after the event).
    pub jump: std::cell::Cell<Option<u32>>,
    /// The frame has finished (set by the eval loop when a frame that has
    /// this object ends): `clear()` may clear it.
    pub finished: std::cell::Cell<bool>,
    /// A finished frame's fast locals and cells, as it left them
    /// (`f_locals` makes its dict from them when asked).
    pub final_fast: RefCell<Option<FinalLocals>>,
    /// A generator's frame: a weak reference to the generator (`clear()`
    /// closes a suspended one).
    pub generator: RefCell<Option<Obj>>,
}

/// A finished frame's fast locals and cells (`FrameData::final_fast`).
pub type FinalLocals = (Vec<Option<Obj>>, Vec<Obj>);

/// `frame.clear()`: drops the locals of a finished frame (closing the
/// generator of a suspended generator frame first); an executing frame
/// raises RuntimeError.
fn frame_clear(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "clear", args, kw)?;
    let f = frame_data(vm, this)?;
    let running = || vm.new_error(&vm.types.runtime_error, "cannot clear an executing frame");
    let gen = f.generator.borrow().as_ref().and_then(crate::weakref::get_referent);
    match gen {
        Some(g) if crate::generator::is_suspended(&g) => crate::generator::close(vm, &g)?,
        Some(g) if !crate::generator::is_finished(&g) => return Err(running()),
        _ if !f.finished.get() => return Err(running()),
        _ => {}
    }
    let old = (f.final_fast.replace(None), f.locals.replace(Some(builtin::new_dict(vm))), f.trace.replace(None));
    drop(old);
    Ok(vm.none.clone())
}

static FRAME_METHODS: &[crate::native::MethodDef] =
    &[crate::native::MethodDef::method("clear", frame_clear, "F.clear(): clear most references held by the frame")];

/// `FrameData::event` values.
pub const TRACE_CALL: u8 = 1;
pub const TRACE_LINE: u8 = 2;
pub const TRACE_RETURN: u8 = 3;
pub const TRACE_EXCEPTION: u8 = 4;
pub const TRACE_OPCODE: u8 = 5;

/// `frame.f_lineno = line` (CPython's `frame_setlineno`): only from a
/// trace function's 'line' event, to a line of the code whose stack the
/// current one can be cut down to.
fn frame_set_lineno(vm: &Vm, o: &Obj, v: Option<Obj>) -> PyResult<()> {
    let f = frame_data(vm, o)?;
    let Some(v) = v else {
        return Err(vm.new_error(&vm.types.attribute_error, "cannot delete attribute"));
    };
    if !type_of(&v).is(&vm.types.int) {
        return Err(vm.new_error(&vm.types.value_error, "lineno must be an integer"));
    }
    match f.event.get() {
        TRACE_LINE => {}
        TRACE_CALL => return Err(vm.new_error(&vm.types.value_error, "can't jump from the 'call' trace event of a new frame")),
        _ => return Err(vm.new_error(&vm.types.value_error, "can only jump from a 'line' trace event")),
    }
    if f.trace.borrow().is_none() {
        return Err(vm.new_error(&vm.types.value_error, "f_lineno can only be set by a trace function"));
    }
    let line = match v.downcast::<IntData>() {
        Some(IntData::Small(n)) if i32::try_from(*n).is_ok() => *n as i32,
        _ => return Err(vm.new_error(&vm.types.value_error, "lineno out of range")),
    };
    let Some(cd) = f.code.downcast::<crate::function::CodeData>() else {
        return Err(vm.new_error(&vm.types.value_error, "cannot find bytecode for specified line"));
    };
    if line < cd.unit.firstlineno as i32 {
        return Err(vm.new_error(&vm.types.value_error, format!("line {line} comes before the current code block")));
    }
    match crate::jump::find_target(&cd.unit, f.lasti.get() as usize, line as u32) {
        Ok(target) => {
            f.jump.set(Some(target as u32));
            f.lineno.set(0);
            Ok(())
        }
        Err(msg) => Err(vm.new_error(&vm.types.value_error, msg)),
    }
}

fn frame_type(vm: &Vm) -> Obj {
    vm.native_type("frame", |vm| {
        let slots = Slots { repr: Some(frame_repr), traverse: Some(frame_traverse), ..Slots::default() };
        crate::native::new_type::<FrameData>(vm, "frame", &[], true, slots, FRAME_METHODS, FRAME_GETSETS)
    })
}

fn frame_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(f) = o.downcast::<FrameData>() {
        visit(&f.globals);
        if let Ok(Some(l)) = f.locals.try_borrow().as_deref() {
            visit(l);
        }
        if let Ok(Some(b)) = f.back.try_borrow().as_deref() {
            visit(b);
        }
        if let Ok(Some(t)) = f.trace.try_borrow().as_deref() {
            visit(t);
        }
        if let Ok(Some((fast, cells))) = f.final_fast.try_borrow().as_deref() {
            fast.iter().flatten().chain(cells.iter()).for_each(&mut *visit);
        }
    }
}

fn frame_data<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a FrameData> {
    o.downcast::<FrameData>().ok_or_else(|| vm.type_error("frame object expected"))
}

fn frame_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let f = frame_data(vm, o)?;
    let cd = f.code.downcast::<crate::function::CodeData>();
    let (file, name) = cd.map_or(("?".into(), "?".into()), |c| (c.unit.filename.to_string(), c.unit.name.to_string()));
    let line = crate::function::code_line(&f.code, f.lasti.get());
    Ok(new_str(vm, &format!("<frame at {:#x}, file '{file}', line {line}, code {name}>", o.as_ptr() as usize)))
}

static FRAME_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("f_code", |vm, o| Ok(frame_data(vm, o)?.code.clone()), ""),
    GetSetDef::readonly("f_globals", |vm, o| Ok(frame_data(vm, o)?.globals.clone()), ""),
    GetSetDef::readonly("f_locals", frame_locals, ""),
    GetSetDef::readonly("f_builtins", |vm, _| Ok(vm.builtins.clone()), ""),
    GetSetDef::new(
        "f_lineno",
        |vm, o| {
            let f = frame_data(vm, o)?;
            let target = f.jump.get();
            let line = match f.lineno.get() {
                0 => crate::function::code_line(&f.code, target.unwrap_or(f.lasti.get())),
                n => n,
            };
            Ok(vm.int(line as i64))
        },
        frame_set_lineno,
        "",
    ),
    GetSetDef::readonly("f_lasti", |vm, o| Ok(vm.int(frame_data(vm, o)?.lasti.get() as i64 * 2)), ""),
    GetSetDef::readonly("f_back", |vm, o| Ok(frame_data(vm, o)?.back.borrow().clone().unwrap_or_else(|| vm.none.clone())), ""),
    GetSetDef::new(
        "f_trace",
        |vm, o| Ok(frame_data(vm, o)?.trace.borrow().clone().unwrap_or_else(|| vm.none.clone())),
        |vm, o, v| {
            let f = frame_data(vm, o)?;
            let old = f.trace.replace(v.filter(|v| !v.is(&vm.none)));
            drop(old);
            Ok(())
        },
        "",
    ),
    GetSetDef::new(
        "f_trace_lines",
        |vm, o| Ok(vm.bool(frame_data(vm, o)?.trace_lines.get())),
        |vm, o, v| {
            let v = v.ok_or_else(|| vm.new_error(&vm.types.attribute_error, "can't delete attribute"))?;
            let b = crate::ops::truth(vm, &v)?;
            frame_data(vm, o)?.trace_lines.set(b);
            Ok(())
        },
        "",
    ),
    GetSetDef::new(
        "f_trace_opcodes",
        |vm, o| Ok(vm.bool(frame_data(vm, o)?.trace_opcodes.get())),
        |vm, o, v| {
            let v = v.ok_or_else(|| vm.new_error(&vm.types.attribute_error, "can't delete attribute"))?;
            let b = crate::ops::truth(vm, &v)?;
            frame_data(vm, o)?.trace_opcodes.set(b);
            Ok(())
        },
        "",
    ),
];

/// A profile event, as a native profiler receives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProfileEvent {
    /// A Python frame starts or resumes; the subject is its code object.
    Call,
    /// A Python frame returns, yields or is left by an exception.
    Return,
    /// A built-in function is called (the subject: the function, a bound
    /// built-in method for a method descriptor).
    CCall,
    CReturn,
    CException,
}

impl ProfileEvent {
    /// The event's name for Python profile functions.
    pub fn name(self) -> &'static str {
        match self {
            ProfileEvent::Call => "call",
            ProfileEvent::Return => "return",
            ProfileEvent::CCall => "c_call",
            ProfileEvent::CReturn => "c_return",
            ProfileEvent::CException => "c_exception",
        }
    }
}

/// A native profile function (CPython's `Py_tracefunc` installed with
/// `PyEval_SetProfile`): gets the profiler object, the event and its
/// subject. It runs with tracing off and cannot fail (errors are the
/// profiler's to report as unraisable).
pub type NativeProfileFn = fn(vm: &Vm, profiler: &Obj, event: ProfileEvent, subject: &Obj);

/// Installs (`Some`) or removes (`None`) a native profiler in place of the
/// `sys.setprofile` function; `sys.getprofile()` returns the profiler
/// object meanwhile.
pub fn set_native_profile(vm: &Vm, hook: Option<(Obj, NativeProfileFn)>) {
    let st = vm.state::<SysState>();
    let (obj, f) = match hook {
        Some((o, f)) => (Some(o), Some(f)),
        None => (None, None),
    };
    let old = st.profile.replace(obj);
    st.profile_native.set(f);
    update_tracing(vm);
    drop(old);
}

/// A profile function or a native profiler is installed.
pub(crate) fn profiling(vm: &Vm) -> bool {
    vm.state::<SysState>().profile.borrow().is_some()
}

/// The installed native profiler, if any.
pub(crate) fn native_profile(vm: &Vm) -> Option<(Obj, NativeProfileFn)> {
    let st = vm.state::<SysState>();
    let f = st.profile_native.get()?;
    let o = st.profile.borrow().clone()?;
    Some((o, f))
}

/// The installed `sys.settrace` and `sys.setprofile` functions (a native
/// profiler is not a profile function: see [`native_profile`]).
pub(crate) fn hooks(vm: &Vm) -> (Option<Obj>, Option<Obj>) {
    let st = vm.state::<SysState>();
    let t = st.trace.borrow().clone();
    let p = if st.profile_native.get().is_some() { None } else { st.profile.borrow().clone() };
    (t, p)
}

/// Recomputes `vm.tracing` (a trace or profile function is installed, or
/// `tracemalloc` traces: its tracebacks need the line of every frame).
pub(crate) fn update_tracing(vm: &Vm) {
    let st = vm.state::<SysState>();
    let on = st.trace.borrow().is_some() || st.profile.borrow().is_some() || crate::tracemalloc::is_tracing(vm);
    vm.tracing.set(on && st.in_hook.get() == 0);
}

/// A trace or profile function starts running: tracing is off until it
/// returns.
pub(crate) fn enter_hook(vm: &Vm) {
    let st = vm.state::<SysState>();
    st.in_hook.set(st.in_hook.get() + 1);
    vm.tracing.set(false);
}

/// The trace or profile function [`enter_hook`] started has returned.
pub(crate) fn leave_hook(vm: &Vm) {
    let st = vm.state::<SysState>();
    st.in_hook.set(st.in_hook.get().saturating_sub(1));
    update_tracing(vm);
}

/// Removes the trace function (a trace function raised, as in CPython).
pub(crate) fn clear_trace(vm: &Vm) {
    let old = vm.state::<SysState>().trace.replace(None);
    drop(old);
    update_tracing(vm);
}

/// Removes the profile function (it raised).
pub(crate) fn clear_profile(vm: &Vm) {
    vm.state::<SysState>().profile_native.set(None);
    let old = vm.state::<SysState>().profile.replace(None);
    drop(old);
    update_tracing(vm);
}

/// A frame object for the frame `view` shows.
pub(crate) fn frame_object_of_view(vm: &Vm, view: &FrameView, back: Option<Obj>) -> Obj {
    frame_object_with(vm, view.code.clone(), view.lasti, view.globals.clone(), view.locals.clone(), back)
}

/// A frame object (a snapshot) for `code` at instruction `lasti`.
pub fn new_frame_object(vm: &Vm, code: Obj, lasti: u32, globals: Obj, locals: Obj, back: Option<Obj>) -> Obj {
    frame_object_with(vm, code, lasti, globals, Some(locals), back)
}

/// A frame object for a frame of the eval loop whose locals are read when
/// asked (`locals`: the mapping of a module or class body, if it has one).
pub(crate) fn lazy_frame_object(vm: &Vm, code: Obj, lasti: u32, globals: Obj, locals: Option<Obj>, back: Option<Obj>) -> Obj {
    frame_object_with(vm, code, lasti, globals, locals, back)
}

/// `f_locals`: read from the frame while it waits in a frame chain (its
/// current values), else the locals last taken (an empty dict if none).
fn frame_locals(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let f = frame_data(vm, o)?;
    let l = match crate::eval::live_locals(vm, o) {
        Some(l) => l?,
        None => {
            let done = f.final_fast.borrow_mut().take();
            match (done, f.locals.borrow().clone()) {
                (Some((fast, cells)), old) => crate::eval::final_locals_dict(vm, &f.code, &fast, &cells, old)?,
                (None, Some(l)) => return Ok(l),
                (None, None) => builtin::new_dict(vm),
            }
        }
    };
    let old = f.locals.replace(Some(l.clone()));
    drop(old);
    Ok(l)
}

fn frame_object_with(vm: &Vm, code: Obj, lasti: u32, globals: Obj, locals: Option<Obj>, back: Option<Obj>) -> Obj {
    let trace = RefCell::new(None);
    let (trace_lines, trace_opcodes) = (std::cell::Cell::new(true), std::cell::Cell::new(false));
    let lasti = std::cell::Cell::new(lasti);
    alloc(
        frame_type(vm),
        FrameData {
            code,
            lasti,
            globals,
            locals: RefCell::new(locals),
            back: RefCell::new(back),
            trace,
            trace_lines,
            trace_opcodes,
            lineno: std::cell::Cell::new(0),
            event: std::cell::Cell::new(0),
            jump: std::cell::Cell::new(None),
            finished: std::cell::Cell::new(false),
            final_fast: RefCell::new(None),
            generator: RefCell::new(None),
        },
    )
}

/// `sys._getframe([depth])`.
fn sys_getframe(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [depth] = at_most::<1>(vm, "_getframe", 0, args, kw)?;
    let depth = match depth {
        Some(d) => {
            let d = crate::ops::index(vm, &d)?;
            builtin::expect_int(vm, &d, "")?
        }
        None => 0,
    };
    caller_frame_object(vm, depth.max(0) as usize)
}

/// The snapshot of the frame `depth` levels below the Python frame calling
/// the (frame-reading) builtin being run, with its `f_back` chain.
fn caller_frame_object(vm: &Vm, depth: usize) -> PyResult<Obj> {
    let Some(view) = crate::eval::caller_frame(vm) else {
        return Err(vm.new_error(&vm.types.value_error, "call stack is not deep enough"));
    };
    // Frames outermost first; the caller last.
    let mut chain: Vec<&FrameView> = view.callers.iter().collect();
    chain.push(&view);
    if depth >= chain.len() {
        return Err(vm.new_error(&vm.types.value_error, "call stack is not deep enough"));
    }
    let want = chain.len() - 1 - depth;
    let objs = frame_objects(vm, &chain);
    let found = objs[want].0.clone();
    // The frame asked for has its locals taken now (it may have finished
    // when they are asked for); the others' are read when asked.
    if chain[want].index.is_some() {
        if let (Some(Ok(l)), Some(d)) = (crate::eval::live_locals_of_index(vm, chain[want]), found.downcast::<FrameData>()) {
            let old = d.locals.replace(Some(l));
            drop(old);
        }
    }
    *vm.state::<SysState>().getframe_objs.borrow_mut() = objs;
    Ok(found)
}

/// Frame objects for frames `chain` (outermost first), each the `f_back`
/// of the next: the frames that have one keep it (brought up to date), the
/// others get new ones, which the eval loop then keeps for them
/// (`adopt_frame_objects`). Paired with the frames' `FrameView::index`.
fn frame_objects(vm: &Vm, chain: &[&FrameView]) -> Vec<(Obj, Option<usize>)> {
    let mut back: Option<Obj> = None;
    let mut objs = Vec::with_capacity(chain.len());
    for v in chain {
        let o = match &v.obj {
            Some(o) => {
                if let Some(d) = o.downcast::<FrameData>() {
                    d.lasti.set(v.lasti);
                    if let Some(l) = &v.locals {
                        let old = d.locals.replace(Some(l.clone()));
                        drop(old);
                    }
                    let old = d.back.replace(back.clone());
                    drop(old);
                }
                o.clone()
            }
            None => frame_object_of_view(vm, v, back.clone()),
        };
        objs.push((o.clone(), v.index));
        back = Some(o);
    }
    objs
}

/// The frame objects the last `sys._getframe` made or reused, outermost
/// first, with where their frames wait in the thread's frame chain (the
/// eval loop adopts them for their frames).
pub(crate) fn take_getframe_objects(vm: &Vm) -> Vec<(Obj, Option<usize>)> {
    std::mem::take(&mut *vm.state::<SysState>().getframe_objs.borrow_mut())
}

/// A thread's ident as an int.
fn ident_int(vm: &Vm, ident: u64) -> Obj {
    match i64::try_from(ident) {
        Ok(i) => vm.int(i),
        Err(_) => builtin::new_int_big(vm, num_bigint::BigInt::from(ident)),
    }
}

/// The innermost frame objects of the threads waiting without the GIL, by
/// ident (with their `f_back` chains). The frames get these objects for
/// good, as the calling thread's do.
fn parked_frames(vm: &Vm) -> Vec<(u64, Obj)> {
    let stacks: Vec<(u64, Vec<FrameView>)> = {
        let parked = vm.parked.borrow();
        parked
            .iter()
            .map(|p| {
                let (chain, last) = p.state.frames();
                (p.ident, crate::eval::views_of_chain(chain, Some(last)))
            })
            .collect()
    };
    let mut out = Vec::new();
    for (ident, views) in stacks {
        let refs: Vec<&FrameView> = views.iter().collect();
        let objs = frame_objects(vm, &refs);
        if let Some((o, _)) = objs.last() {
            out.push((ident, o.clone()));
        }
        let mut parked = vm.parked.borrow_mut();
        if let Some(p) = parked.iter_mut().find(|p| p.ident == ident) {
            crate::eval::adopt_in_chain(p.state.frame_chain_mut(), &objs);
        }
    }
    out
}

/// `sys._current_frames()`: each thread's innermost frame (with its
/// `f_back` chain) by thread id: the calling thread's, and those of the
/// threads waiting without the GIL (threads that have not started running
/// Python code have none).
fn sys_current_frames(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "sys._current_frames", args, kw)?;
    let d = builtin::new_dict(vm);
    for (ident, frame) in parked_frames(vm) {
        builtin::dict_set(vm, &d, ident_int(vm, ident), frame)?;
    }
    if let Ok(frame) = caller_frame_object(vm, 0) {
        builtin::dict_set(vm, &d, ident_int(vm, crate::object::thread_ident()), frame)?;
    }
    Ok(d)
}

/// The exception a thread is handling, as `exc_info()` shows it.
fn exc_info_of(vm: &Vm, handled: Option<Obj>) -> PyResult<Obj> {
    Ok(match handled {
        Some(e) => {
            let tb = crate::classes::getattr(vm, &e, &vm.intern("__traceback__"))?;
            new_tuple(vm, vec![type_of(&e), e, tb])
        }
        None => new_tuple(vm, vec![vm.none.clone(), vm.none.clone(), vm.none.clone()]),
    })
}

/// `sys._current_exceptions()`: the exception each thread is handling (as
/// `exc_info()` tuples) by thread id: the calling thread's and those of
/// the threads waiting without the GIL.
fn sys_current_exceptions(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "sys._current_exceptions", args, kw)?;
    let d = builtin::new_dict(vm);
    let others: Vec<(u64, Option<Obj>)> =
        vm.parked.borrow().iter().map(|p| (p.ident, p.state.handled().iter().rev().find(|e| !e.is(&vm.none)).cloned())).collect();
    let frames = parked_frames(vm);
    for (ident, exc) in others {
        if let Some(e) = &exc {
            // The traceback's frames are the thread's frames.
            if let Some((_, f)) = frames.iter().find(|(i, _)| *i == ident) {
                crate::types::exceptions::attach_frames(vm, e, f);
            }
        }
        builtin::dict_set(vm, &d, ident_int(vm, ident), exc_info_of(vm, exc)?)?;
    }
    builtin::dict_set(vm, &d, ident_int(vm, crate::object::thread_ident()), exc_info_of(vm, current_exception(vm))?)?;
    Ok(d)
}

/// `sys.stdlib_module_names` (CPython 3.11's list).
static STDLIB_MODULE_NAMES: &[&str] = &[
    "__future__",
    "_abc",
    "_aix_support",
    "_ast",
    "_asyncio",
    "_bisect",
    "_blake2",
    "_bootsubprocess",
    "_bz2",
    "_codecs",
    "_codecs_cn",
    "_codecs_hk",
    "_codecs_iso2022",
    "_codecs_jp",
    "_codecs_kr",
    "_codecs_tw",
    "_collections",
    "_collections_abc",
    "_compat_pickle",
    "_compression",
    "_contextvars",
    "_crypt",
    "_csv",
    "_ctypes",
    "_curses",
    "_curses_panel",
    "_datetime",
    "_dbm",
    "_decimal",
    "_elementtree",
    "_frozen_importlib",
    "_frozen_importlib_external",
    "_functools",
    "_gdbm",
    "_hashlib",
    "_heapq",
    "_imp",
    "_io",
    "_json",
    "_locale",
    "_lsprof",
    "_lzma",
    "_markupbase",
    "_md5",
    "_msi",
    "_multibytecodec",
    "_multiprocessing",
    "_opcode",
    "_operator",
    "_osx_support",
    "_overlapped",
    "_pickle",
    "_posixshmem",
    "_posixsubprocess",
    "_py_abc",
    "_pydecimal",
    "_pyio",
    "_queue",
    "_random",
    "_scproxy",
    "_sha1",
    "_sha256",
    "_sha3",
    "_sha512",
    "_signal",
    "_sitebuiltins",
    "_socket",
    "_sqlite3",
    "_sre",
    "_ssl",
    "_stat",
    "_statistics",
    "_string",
    "_strptime",
    "_struct",
    "_symtable",
    "_thread",
    "_threading_local",
    "_tkinter",
    "_tokenize",
    "_tracemalloc",
    "_typing",
    "_uuid",
    "_warnings",
    "_weakref",
    "_weakrefset",
    "_winapi",
    "_zoneinfo",
    "abc",
    "aifc",
    "antigravity",
    "argparse",
    "array",
    "ast",
    "asynchat",
    "asyncio",
    "asyncore",
    "atexit",
    "audioop",
    "base64",
    "bdb",
    "binascii",
    "bisect",
    "builtins",
    "bz2",
    "cProfile",
    "calendar",
    "cgi",
    "cgitb",
    "chunk",
    "cmath",
    "cmd",
    "code",
    "codecs",
    "codeop",
    "collections",
    "colorsys",
    "compileall",
    "concurrent",
    "configparser",
    "contextlib",
    "contextvars",
    "copy",
    "copyreg",
    "crypt",
    "csv",
    "ctypes",
    "curses",
    "dataclasses",
    "datetime",
    "dbm",
    "decimal",
    "difflib",
    "dis",
    "distutils",
    "doctest",
    "email",
    "encodings",
    "ensurepip",
    "enum",
    "errno",
    "faulthandler",
    "fcntl",
    "filecmp",
    "fileinput",
    "fnmatch",
    "fractions",
    "ftplib",
    "functools",
    "gc",
    "genericpath",
    "getopt",
    "getpass",
    "gettext",
    "glob",
    "graphlib",
    "grp",
    "gzip",
    "hashlib",
    "heapq",
    "hmac",
    "html",
    "http",
    "idlelib",
    "imaplib",
    "imghdr",
    "imp",
    "importlib",
    "inspect",
    "io",
    "ipaddress",
    "itertools",
    "json",
    "keyword",
    "lib2to3",
    "linecache",
    "locale",
    "logging",
    "lzma",
    "mailbox",
    "mailcap",
    "marshal",
    "math",
    "mimetypes",
    "mmap",
    "modulefinder",
    "msilib",
    "msvcrt",
    "multiprocessing",
    "netrc",
    "nis",
    "nntplib",
    "nt",
    "ntpath",
    "nturl2path",
    "numbers",
    "opcode",
    "operator",
    "optparse",
    "os",
    "ossaudiodev",
    "pathlib",
    "pdb",
    "pickle",
    "pickletools",
    "pipes",
    "pkgutil",
    "platform",
    "plistlib",
    "poplib",
    "posix",
    "posixpath",
    "pprint",
    "profile",
    "pstats",
    "pty",
    "pwd",
    "py_compile",
    "pyclbr",
    "pydoc",
    "pydoc_data",
    "pyexpat",
    "queue",
    "quopri",
    "random",
    "re",
    "readline",
    "reprlib",
    "resource",
    "rlcompleter",
    "runpy",
    "sched",
    "secrets",
    "select",
    "selectors",
    "shelve",
    "shlex",
    "shutil",
    "signal",
    "site",
    "smtpd",
    "smtplib",
    "sndhdr",
    "socket",
    "socketserver",
    "spwd",
    "sqlite3",
    "sre_compile",
    "sre_constants",
    "sre_parse",
    "ssl",
    "stat",
    "statistics",
    "string",
    "stringprep",
    "struct",
    "subprocess",
    "sunau",
    "symtable",
    "sys",
    "sysconfig",
    "syslog",
    "tabnanny",
    "tarfile",
    "telnetlib",
    "tempfile",
    "termios",
    "textwrap",
    "this",
    "threading",
    "time",
    "timeit",
    "tkinter",
    "token",
    "tokenize",
    "tomllib",
    "trace",
    "traceback",
    "tracemalloc",
    "tty",
    "turtle",
    "turtledemo",
    "types",
    "typing",
    "unicodedata",
    "unittest",
    "urllib",
    "uu",
    "uuid",
    "venv",
    "warnings",
    "wave",
    "weakref",
    "webbrowser",
    "winreg",
    "winsound",
    "wsgiref",
    "xdrlib",
    "xml",
    "xmlrpc",
    "zipapp",
    "zipfile",
    "zipimport",
    "zlib",
    "zoneinfo",
];
