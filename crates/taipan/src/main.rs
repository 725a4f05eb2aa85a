//! The `taipan` command: `taipan FILE [ARGS...]`, `taipan -c CODE`, and
//! `taipan -X dis FILE` (the bytecode listing). It runs the subset of
//! Python the compiler and vm support so far; anything else stops with an
//! error that names what is missing.

use std::process::ExitCode;

mod allocator;
mod options;
mod repl;
mod stdfds;

use taipan_vm::eval::{run, Frame};
use taipan_vm::types::builtin;
use taipan_vm::Vm;

/// mimalloc instead of the C library's malloc, unless `PYTHONMALLOC` or
/// `-X dev` ask for malloc or its debug hooks (see `allocator.rs`).
#[global_allocator]
static GLOBAL: allocator::Allocator = allocator::Allocator;

/// CPython's complaint about the command line, with its usage line.
fn usage(msg: Option<String>) -> ExitCode {
    if let Some(m) = msg {
        eprintln!("{m}");
    }
    eprintln!("usage: taipan [option] ... [-c cmd | -m mod | file | -] [arg] ...");
    eprintln!("Try `taipan -h' for more information.");
    ExitCode::from(2)
}

/// The text of `--help` (options), `--help-env`, `--help-xoptions` and
/// `--help-all` (all three).
fn help_text(sections: u8) -> String {
    let prog = std::env::args().next().unwrap_or_else(|| "taipan".into());
    let mut out = String::new();
    if sections & options::HELP_OPTIONS != 0 {
        out.push_str(&format!("usage: {prog} [option] ... [-c cmd | -m mod | file | -] [arg] ...\n"));
        out.push_str(HELP_OPTIONS_TEXT);
        if sections == options::HELP_OPTIONS {
            out.push_str("--help-env      : environment variables (PYTHON*)\n--help-xoptions : implementation-specific -X options\n--help-all      : everything above\n");
        }
    }
    if sections & options::HELP_ENV != 0 {
        out.push_str(HELP_ENV_TEXT);
    }
    if sections & options::HELP_XOPTIONS != 0 {
        out.push_str(HELP_XOPTIONS_TEXT);
    }
    out
}

const HELP_OPTIONS_TEXT: &str = "\
Options (and the environment variables with the same effect):
-b     : warn about str() of bytes and bytearray, and bytes == str (-bb: error)
-B     : do not write .pyc files (PYTHONDONTWRITEBYTECODE=x)
-c cmd : program passed in as a string (ends the option list)
-d     : parser debugging output (PYTHONDEBUG=x)
-E     : ignore PYTHON* environment variables (such as PYTHONPATH)
-h     : print this help message and exit (also -? or --help)
-i     : inspect interactively after running the script (PYTHONINSPECT=x)
-I     : isolate from the user's environment (implies -E, -P and -s)
-m mod : run a library module as a script (ends the option list)
-O     : remove assert and __debug__-dependent statements (PYTHONOPTIMIZE=x)
-OO    : -O and also drop docstrings
-P     : do not prepend a potentially unsafe path to sys.path
-q     : do not print version and copyright messages in interactive mode
-s     : do not add the user site directory to sys.path (PYTHONNOUSERSITE)
-S     : do not import the site module at startup
-u     : unbuffered binary stdout and stderr (PYTHONUNBUFFERED=x)
-v     : trace import statements (PYTHONVERBOSE=x); -vv for more
-V     : print the Python version number and exit (also --version)
-W arg : warning control (arg is action:message:category:module:lineno)
-x     : skip the first line of the source
-X opt : implementation-specific option
--check-hash-based-pycs always|default|never: validation of hash-based .pyc files
file   : program read from a script file
-      : program read from stdin (the default; interactive when a tty)
arg ...: arguments passed to the program in sys.argv[1:]
";

const HELP_ENV_TEXT: &str = "\
Environment variables:
PYTHONSTARTUP    : file run at interactive startup
PYTHONPATH       : ':'-separated directories put before the default module search path
PYTHONHOME       : alternate <prefix> directory (or <prefix>:<exec_prefix>)
PYTHONCASEOK     : ignore case in 'import' statements (Windows)
PYTHONUTF8       : 1 enables the UTF-8 mode, 0 disables it
PYTHONIOENCODING : encoding[:errors] of stdin, stdout and stderr
PYTHONFAULTHANDLER: dump the Python traceback on fatal errors
PYTHONHASHSEED   : 'random' or an integer in [0, 4294967295] seeding str and bytes hashes
PYTHONINTMAXSTRDIGITS: limit of digits of int/str conversions (0 = no limit)
PYTHONMALLOC     : memory allocator settings
PYTHONCOERCECLOCALE: 0 disables the coercion of the C locale
PYTHONBREAKPOINT : the callable breakpoint() calls
PYTHONDEVMODE    : enable the development mode
PYTHONPYCACHEPREFIX: root directory of the bytecode cache
PYTHONWARNDEFAULTENCODING: EncodingWarning for locale-specific default encodings
PYTHONNODEBUGRANGES: no column positions in code objects
PYTHONPLATLIBDIR : sys.platlibdir
PYTHONSAFEPATH   : as -P
PYTHONWARNINGS   : as -W
";

const HELP_XOPTIONS_TEXT: &str = "\
Implementation-specific options (-X):
-X faulthandler: enable faulthandler
-X showrefcount: accepted (no reference counts to show)
-X tracemalloc: trace memory allocations (-X tracemalloc=N keeps N frames)
-X importtime: show how long each import takes
-X dev: development mode (extra runtime checks and warnings)
-X utf8: the UTF-8 mode (-X utf8=0 turns it off)
-X pycache_prefix=PATH: write .pyc files under PATH
-X warn_default_encoding: EncodingWarning for locale-specific default encodings
-X no_debug_ranges: no column positions in code objects
-X frozen_modules=[on|off]: whether frozen modules are used
-X int_max_str_digits=N: limit of digits of int/str conversions (0 = no limit)
";

/// The interpreter runs on a thread with a large stack: Python calls do not
/// recurse on it, but Rust code calling back into Python (and native
/// recursion, bounded by the recursion limit) does. The reservation is
/// virtual memory; only the pages used are backed.
const STACK_SIZE: usize = 1 << 30;

fn main() -> ExitCode {
    taipan_stdlib::close_reopened_std_fds();
    taipan_vm::sysmodule::set_allocator_name(allocator::name());
    // PYTHONHASHSEED counts unless -E/-I say to ignore the environment.
    let args: Vec<String> = std::env::args_os().skip(1).map(|a| a.to_string_lossy().into_owned()).collect();
    // -R asks for a random seed whatever the variable says.
    let ignore_seed = options::parse(&args).is_ok_and(|(o, _, _)| o.ignore_environment || o.random_hash);
    let seed = if ignore_seed { None } else { std::env::var("PYTHONHASHSEED").ok() };
    if let Err(msg) = taipan_vm::hash::init_from(seed.as_deref()) {
        eprintln!("Fatal Python error: config_init_hash_seed: {msg}");
        eprintln!("Python runtime state: preinitialized");
        eprintln!();
        return ExitCode::from(1);
    }
    taipan_stdlib::install_signal_handlers();
    taipan_stdlib::init_locale();
    let pid = std::process::id();
    let worker = std::thread::Builder::new().name("taipan-main".into()).stack_size(STACK_SIZE).spawn(move || {
        let code = std::panic::catch_unwind(run_main).unwrap_or_else(|_| {
            // The panic hook has printed the message and location.
            eprintln!("Fatal Python error: Taipan internal error (a Rust panic; please report it)");
            ExitCode::from(70)
        });
        if std::process::id() != pid {
            // A child made by `os.fork()`: this thread is the only one in
            // the process, so it ends the process with the status itself.
            let _ = std::io::Write::flush(&mut std::io::stdout());
            let status = (0..=255u8).find(|&n| ExitCode::from(n) == code).unwrap_or(1);
            std::process::exit(status as i32)
        }
        code
    });
    // Signals sent to the process go to the interpreter's thread (blocking
    // calls there return EINTR and the handlers run).
    taipan_stdlib::block_signals_in_this_thread();
    match worker.map(|w| w.join()) {
        Ok(Ok(code)) => code,
        _ => {
            eprintln!("taipan: could not run the interpreter thread");
            ExitCode::from(70)
        }
    }
}

fn run_main() -> ExitCode {
    // Arguments need not be UTF-8: options are read from a lossy copy,
    // the script's arguments keep their bytes (sys.argv decodes them with
    // surrogateescape).
    let raw: Vec<Vec<u8>> = std::env::args_os().skip(1).map(|a| a.into_encoded_bytes()).collect();
    let args: Vec<String> = raw.iter().map(|a| String::from_utf8_lossy(a).into_owned()).collect();
    let (opts, run_what, rest) = match options::parse(&args) {
        Ok(r) => r,
        Err(options::OptError::Unknown(c)) => return usage(Some(format!("Unknown option: -{c}"))),
        Err(options::OptError::ArgumentExpected(c)) => return usage(Some(format!("Argument expected for the -{c} option"))),
        Err(options::OptError::InvalidHashMode) => {
            return usage(Some("--check-hash-based-pycs must be one of 'default', 'always', or 'never'".into()))
        }
        Err(options::OptError::Help(sections)) => {
            print!("{}", help_text(sections));
            return ExitCode::SUCCESS;
        }
        Err(options::OptError::UnknownLong(a)) => return usage(Some(format!("unknown option {a}"))),
        Err(options::OptError::Version) => {
            println!("Python 3.11.7");
            return ExitCode::SUCCESS;
        }
    };
    if let Some(source) = opts.int_max_str_digits_error() {
        eprintln!("Fatal Python error: config_init_int_max_str_digits: {source}: invalid limit; must be >= 640 or 0 for unlimited.");
        eprintln!("Python runtime state: preinitialized");
        eprintln!();
        return ExitCode::from(1);
    }
    let dis = opts.xoption("dis").is_some();
    let mut module_name = None;
    // A directory given as the script: whether it runs (its `__main__`)
    // is known once the import machinery can be asked (`main_importer`).
    let mut script_is_dir = false;
    let rest: Vec<Vec<u8>> = raw[raw.len() - rest.len()..].to_vec();
    let (source, filename, argv) = match &run_what {
        options::Run::Stdin { dash } if !dis && !opts.inspect && !std::io::IsTerminal::is_terminal(&std::io::stdin()) => {
            let mut src = Vec::new();
            if let Err(e) = std::io::Read::read_to_end(&mut std::io::stdin(), &mut src) {
                eprintln!("taipan: can't read stdin: {e}");
                return ExitCode::from(2);
            }
            let mut argv = vec![if *dash { b"-".to_vec() } else { Vec::new() }];
            argv.extend(rest.iter().cloned());
            (src, "<stdin>".to_string(), argv)
        }
        options::Run::Stdin { .. } if !dis => (Vec::new(), "<stdin>".to_string(), vec![Vec::new()]),
        options::Run::Code(code) => {
            let mut argv = vec![b"-c".to_vec()];
            argv.extend(rest.iter().cloned());
            (code.clone().into_bytes(), "<string>".to_string(), argv)
        }
        options::Run::Module(m) => {
            module_name = Some(m.clone());
            // sys.argv[0] becomes the module's file once it is found.
            let mut argv = vec![b"-m".to_vec()];
            argv.extend(rest.iter().cloned());
            (Vec::new(), "<module>".to_string(), argv)
        }
        options::Run::File(path) => match std::fs::read(path) {
            Ok(b) => {
                let mut argv = vec![path.clone().into_bytes()];
                argv.extend(rest.iter().cloned());
                (b, absolute_script_path(path), argv)
            }
            Err(e) if e.kind() == std::io::ErrorKind::IsADirectory && !dis => {
                script_is_dir = true;
                let mut argv = vec![path.clone().into_bytes()];
                argv.extend(rest.iter().cloned());
                (Vec::new(), absolute_script_path(path), argv)
            }
            Err(e) => {
                let path = absolute_script_path(path);
                // io::Error's text ends in " (os error N)"; CPython prints strerror alone.
                let text = e.to_string();
                let text = text.split(" (os error").next().unwrap_or_default();
                eprintln!("taipan: can't open file '{path}': [Errno {}] {text}", e.raw_os_error().unwrap_or(0));
                return ExitCode::from(2);
            }
        },
        options::Run::Stdin { .. } => return usage(None),
    };
    if dis {
        let unit = taipan_parser::parse_module(&source)
            .map_err(|e| e.to_string())
            .and_then(|m| taipan_compiler::codegen::compile_module(&m, &filename).map_err(|e| format!("SyntaxError: {}", e.msg)));
        return match unit {
            Ok(u) => {
                print!("{}", u.dis());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::from(1)
            }
        };
    }
    // `-i` asks for the prompt even when stdin is not a terminal.
    let interactive =
        matches!(run_what, options::Run::Stdin { .. }) && (opts.inspect || std::io::IsTerminal::is_terminal(&std::io::stdin()));
    // The interpreter is never freed: daemon threads still running at exit
    // hold `&Vm` (a thread between releasing and retaking the GIL reads it),
    // so it must outlive this thread's stack; the process ends soon after.
    let vm: &'static Vm = Box::leak(Box::new(Vm::new()));
    taipan_stdlib::register(vm);
    configure_cache(vm, &opts);
    let config = vm.state::<taipan_vm::sysmodule::Config>();
    let flags = opts.flags();
    // `-X int_max_str_digits`/PYTHONINTMAXSTRDIGITS (not under `-E`):
    // the limit int/str conversions start with.
    let digits = usize::try_from(flags.int_max_str_digits).unwrap_or(taipan_vm::types::builtin::DEFAULT_MAX_STR_DIGITS);
    taipan_vm::types::builtin::set_max_str_digits(digits);
    *config.flags.borrow_mut() = Some(flags);
    if taipan_vm::sysmodule::optimize_level(vm) > 0 {
        // `-O`: `builtins.__debug__` is False (the compiler folds the name).
        let _ = taipan_vm::types::builtin::dict_set(vm, &vm.builtins, vm.intern("__debug__"), vm.false_.clone());
    }
    *config.warnoptions.borrow_mut() = opts.warnoptions();
    *config.xoptions.borrow_mut() = opts.xoptions.clone();
    // `-X tracemalloc[=N]`, `PYTHONTRACEMALLOC=N`: trace from the start.
    match opts.tracemalloc() {
        Err(msg) => {
            eprintln!("Fatal Python error: config_init_tracemalloc: {msg}\nPython runtime state: preinitialized\n");
            return ExitCode::from(1);
        }
        Ok(0) => {}
        Ok(n) if n > taipan_vm::tracemalloc::MAX_NFRAME as u64 => {
            eprintln!(
                "Fatal Python error: init_interp_main: can't initialize tracemalloc\nPython runtime state: core initialized\nValueError: the number of frames must be in range [1; {}]\n",
                taipan_vm::tracemalloc::MAX_NFRAME
            );
            return ExitCode::from(1);
        }
        Ok(n) => taipan_vm::tracemalloc::start(vm, n as usize),
    }
    // sys.path[0]: the script's directory, '' (the current directory) for
    // -c and stdin, the current directory's full path for -m; nothing
    // with -P/-I.
    let cwd = || std::env::current_dir().map(|d| d.to_string_lossy().into_owned()).unwrap_or_default();
    let first = match &run_what {
        _ if opts.safe_path => None,
        options::Run::Module(_) => Some(cwd()),
        options::Run::File(_) => Some(match std::path::Path::new(&filename).parent() {
            Some(p) if !p.as_os_str().is_empty() => std::fs::canonicalize(p).unwrap_or(p.to_path_buf()).to_string_lossy().into_owned(),
            _ => cwd(),
        }),
        _ => Some(String::new()),
    };
    // sys.path[0] is added after `site` ran (site makes the entries it
    // finds absolute; CPython keeps '' for -c).
    if let Err(e) = taipan_vm::import::init_path(vm, None, opts.env("PYTHONPATH")) {
        eprint!("{}", taipan_vm::traceback::format_exception(vm, &e.exc));
        return ExitCode::from(1);
    }
    *vm.argv.borrow_mut() = argv;
    // CPython's import machinery (importlib._bootstrap) becomes the import
    // system; if it cannot be set up, the Rust import path stays.
    if let Err(e) = taipan_vm::importlib::install(vm) {
        eprint!("{}", taipan_vm::traceback::format_exception(vm, &e.exc));
    }
    taipan_vm::importlib::install_zipimport(vm);
    // The standard streams (this imports `sys`: after argv and the cache
    // settings are known).
    let unbuffered = opts.unbuffered || opts.env("PYTHONUNBUFFERED").is_some();
    if let Err(e) = taipan_stdlib::io::init_stdio_with(vm, unbuffered, opts.env("PYTHONIOENCODING")) {
        eprint!("{}", taipan_vm::traceback::format_exception(vm, &e.exc));
    }
    // `-X faulthandler`, PYTHONFAULTHANDLER and the development mode
    // enable the fault handler (on sys.stderr) before anything else runs.
    let dev = opts.xoption("dev").is_some() || opts.env("PYTHONDEVMODE").is_some();
    if dev || opts.xoption("faulthandler").is_some() || opts.env("PYTHONFAULTHANDLER").is_some() {
        let enabled = taipan_vm::import::import_absolute(vm, "faulthandler")
            .and_then(|m| taipan_vm::classes::getattr(vm, &m, &vm.intern("enable")))
            .and_then(|enable| taipan_vm::classes::call_object(vm, &enable, &[]));
        if let Err(e) = enabled {
            eprint!("{}", taipan_vm::traceback::format_exception(vm, &e.exc));
        }
    }
    // `site` (site-packages, .pth files, the `exit`/`help` builtins)
    // unless -S/-I.
    if !opts.no_site {
        if let Err(e) = taipan_vm::import::import_absolute(vm, "site") {
            eprint!("{}", taipan_vm::traceback::format_exception(vm, &e.exc));
        }
    }
    // A directory or zip file given as the script (CPython's
    // `pymain_get_importer`): it becomes sys.path[0] and its `__main__`
    // module runs (runpy, `sys.argv[0]` kept); a directory the path hooks
    // refuse is a file that cannot be opened.
    let mut first = first;
    let mut main_package = false;
    if let options::Run::File(path) = &run_what {
        match taipan_vm::importlib::main_importer(vm, &filename) {
            Ok(true) => {
                main_package = true;
                first = Some(filename.clone());
            }
            Ok(false) if script_is_dir => {
                eprintln!("taipan: can't open file '{}': [Errno 21] Is a directory", absolute_script_path(path));
                return ExitCode::from(2);
            }
            Ok(false) => {}
            Err(e) => {
                let status = exit_status(vm, Err(e));
                vm.run_exit_hooks();
                return status;
            }
        }
    }
    if let Some(first) = first {
        let _ = builtin::list_items(vm, &vm.path).map(|l| l.borrow_mut().insert(0, builtin::new_str(vm, &first)));
    }
    let main = taipan_vm::import::new_module(vm, "__main__");
    let globals = main.downcast::<taipan_vm::modules::ModuleData>().map(|m| m.dict.clone()).unwrap_or_else(|| builtin::new_dict(vm));
    let _ = builtin::dict_set(vm, &vm.modules, vm.intern("__main__"), main.clone());
    // `__main__.__builtins__` is the builtins module (CPython's `init_main`).
    if let Ok(Some(b)) = builtin::dict_get_str(vm, &vm.modules, "builtins") {
        let _ = builtin::dict_set(vm, &globals, vm.intern("__builtins__"), b);
    }
    let mut set_file_name = false;
    let result = match &module_name {
        // -m: runpy._run_module_as_main, as CPython does.
        Some(name) if taipan_vm::importlib::installed(vm) => taipan_vm::importlib::run_module_as_main(vm, name, true),
        // A directory or zip file: its `__main__`, sys.argv[0] unchanged.
        None if main_package => taipan_vm::importlib::run_module_as_main(vm, "__main__", false),
        _ => {
            let code = if let Some(name) = &module_name {
                match main_module_code(vm, name, &globals) {
                    Ok(Some(code)) => Ok(code),
                    Ok(None) => return ExitCode::from(1),
                    Err(e) => Err(e),
                }
            } else {
                // A script (or piped stdin) runs with `__file__` and
                // `__cached__` = None, deleted once it ends (CPython's
                // `_PyRun_SimpleFileObject`).
                if matches!(run_what, options::Run::File(_)) || (matches!(run_what, options::Run::Stdin { .. }) && !interactive) {
                    let _ = builtin::dict_set(vm, &globals, vm.intern("__file__"), builtin::new_str(vm, &filename));
                    let _ = builtin::dict_set(vm, &globals, vm.intern("__cached__"), vm.none.clone());
                    set_file_name = true;
                }
                let script = (!filename.starts_with('<')).then_some(filename.as_str());
                let compiled =
                    matches!(run_what, options::Run::File(_)) && taipan_vm::importlib::is_compiled_script(vm, &filename, &source);
                if let Err(e) = taipan_vm::importlib::set_main_loader(vm, &globals, script, compiled) {
                    eprint!("{}", taipan_vm::traceback::format_exception(vm, &e.exc));
                }
                if compiled {
                    taipan_vm::importlib::compiled_script_code(vm, &source)
                } else if matches!(run_what, options::Run::Code(_)) {
                    taipan_vm::import::compile_text(vm, &String::from_utf8_lossy(&source), &filename)
                } else {
                    taipan_vm::import::compile_script(vm, &source, &filename)
                }
            };
            let code = match code {
                Ok(c) => c,
                Err(err) => {
                    let status = exit_status(vm, Err(err));
                    vm.run_exit_hooks();
                    return status;
                }
            };
            if interactive {
                let status = repl::run(vm, &globals);
                taipan_vm::thread::shutdown(vm);
                vm.run_exit_hooks();
                taipan_vm::thread::finalize_threads(vm);
                return status;
            }
            run(vm, Frame::module(code, globals.clone()))
        }
    };
    // Objects still referenced by `__main__` are finalized (their
    // `__del__` runs) before the interpreter goes, as in CPython; an
    // uncaught exception is reported first. Non-daemon threads are joined
    // (`threading._shutdown`) before the exit hooks; daemon threads never
    // run again after them.
    let exiting = matches!(&result, Err(e) if taipan_vm::types::is_subtype(&taipan_vm::types::type_of(&e.exc), &vm.types.system_exit));
    let status = exit_status(vm, result);
    if set_file_name && !exiting {
        let _ = builtin::dict_del(vm, &globals, &vm.intern("__file__"));
        let _ = builtin::dict_del(vm, &globals, &vm.intern("__cached__"));
    }
    taipan_vm::thread::shutdown(vm);
    vm.run_exit_hooks();
    taipan_vm::thread::finalize_threads(vm);
    taipan_vm::gc::finalize_main(vm, main, globals);
    // What finalizers printed.
    taipan_stdlib::io::flush_std_streams(vm);
    if UNHANDLED_KEYBOARD_INTERRUPT.load(std::sync::atomic::Ordering::Relaxed) {
        // The parent sees the process die by SIGINT, as with CPython.
        taipan_stdlib::exit_by_sigint();
        return ExitCode::from(128 + 2);
    }
    status
}

/// The script ended with an uncaught `KeyboardInterrupt`.
static UNHANDLED_KEYBOARD_INTERRUPT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The cache settings of the command line and environment: `-B` or
/// `PYTHONDONTWRITEBYTECODE`, `-X pycache_prefix=DIR` or
/// `PYTHONPYCACHEPREFIX`, `--check-hash-based-pycs`.
fn configure_cache(vm: &Vm, opts: &options::Options) {
    let config = vm.state::<taipan_vm::pycache::CacheConfig>();
    config.dont_write_bytecode.set(opts.dont_write_bytecode || opts.env("PYTHONDONTWRITEBYTECODE").is_some());
    let prefix = opts.xoption("pycache_prefix").map(str::to_string).or_else(|| opts.env("PYTHONPYCACHEPREFIX"));
    *config.pycache_prefix.borrow_mut() = prefix.filter(|p| !p.is_empty());
    *config.check_hash_based_pycs.borrow_mut() = opts.check_hash_based_pycs.clone();
}

/// `-m NAME`: finds the module and prepares `__main__` to run it (its
/// `__file__`, `__cached__`, `__package__`, `sys.argv[0]`). `Ok(None)`
/// when it was not found (the message is printed).
fn main_module_code(vm: &Vm, name: &str, globals: &taipan_vm::object::Obj) -> taipan_vm::PyResult<Option<taipan_vm::object::Obj>> {
    let (modname, path) = match taipan_vm::import::find_main_module(vm, name)? {
        Ok(found) => found,
        Err(msg) => {
            eprintln!("{}: {msg}", executable());
            return Ok(None);
        }
    };
    let file = path.to_string_lossy().into_owned();
    let set = |k: &str, v: taipan_vm::object::Obj| builtin::dict_set(vm, globals, vm.intern(k), v);
    set("__file__", builtin::new_str(vm, &file))?;
    let cached = taipan_vm::pycache::cache_path_for(vm, &path).map(|c| c.to_string_lossy().into_owned());
    set("__cached__", cached.map_or_else(|| vm.none.clone(), |c| builtin::new_str(vm, &c)))?;
    let package = modname.rsplit_once('.').map_or("", |(p, _)| p);
    set("__package__", builtin::new_str(vm, package))?;
    if let Some(a) = vm.argv.borrow_mut().first_mut() {
        *a = file.clone().into_bytes();
    }
    // sys may already exist (imported by a package's __init__).
    if let Ok(Some(sys)) = builtin::dict_get_str(vm, &vm.modules, "sys") {
        if let Ok(Some(argv)) = taipan_vm::classes::getattr_opt(vm, &sys, &vm.intern("argv")) {
            let _ = taipan_vm::sequence::setitem(vm, &argv, &vm.int(0), builtin::new_str(vm, &file));
        }
    }
    taipan_vm::import::load_code(vm, &path).map(Some)
}

/// `sys.executable`: this program's path.
fn executable() -> String {
    std::env::current_exe().map(|p| p.to_string_lossy().into_owned()).unwrap_or_else(|_| "taipan".into())
}

fn exit_status(vm: &Vm, result: taipan_vm::PyResult<taipan_vm::object::Obj>) -> ExitCode {
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(err) if taipan_vm::types::is_subtype(&taipan_vm::types::type_of(&err.exc), &vm.types.system_exit) => system_exit(vm, &err.exc),
        Err(err) => {
            taipan_vm::sysmodule::report_uncaught(vm, &err.exc);
            if let Some(ki) = vm.exception_type("KeyboardInterrupt") {
                if taipan_vm::types::is_subtype(&taipan_vm::types::type_of(&err.exc), &ki) {
                    UNHANDLED_KEYBOARD_INTERRUPT.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            ExitCode::from(1)
        }
    }
}

/// The exit status for an uncaught `SystemExit`, as CPython computes it:
/// no argument or `None` is 0, an int is the status, anything else is
/// printed to stderr and the status is 1.
pub(crate) fn system_exit(vm: &Vm, exc: &taipan_vm::object::Obj) -> ExitCode {
    let args = builtin::exception_data(exc).map(|d| d.args.borrow().clone());
    let items: Vec<taipan_vm::object::Obj> =
        args.as_ref().and_then(|a| a.downcast::<builtin::TupleData>()).map_or_else(Vec::new, |t| t.items.to_vec());
    let code = match items.as_slice() {
        [] => return ExitCode::SUCCESS,
        [one] => one.clone(),
        _ => args.unwrap_or_else(|| vm.none.clone()),
    };
    if code.is(&vm.none) {
        return ExitCode::SUCCESS;
    }
    if let Some(builtin::IntData::Small(n)) = code.downcast::<builtin::IntData>() {
        return ExitCode::from((*n & 0xFF) as u8);
    }
    if let Ok(text) = taipan_vm::ops::str(vm, &code) {
        taipan_vm::stdio::write_stderr_str(vm, &text);
    }
    taipan_vm::stdio::write_stderr(vm, "\n");
    ExitCode::from(1)
}

/// The script's path as 3.11 records it in `__file__`, `co_filename` and
/// tracebacks: a relative path is joined to the working directory as it
/// is, without normalising `.` or `..` (`sys.argv[0]` keeps the original).
fn absolute_script_path(path: &str) -> String {
    if path.starts_with('/') {
        return path.to_string();
    }
    match std::env::current_dir() {
        Ok(cwd) => format!("{}/{path}", cwd.to_string_lossy()),
        Err(_) => path.to_string(),
    }
}
