//! The import system, first cut: `import` and `from ... import` of the
//! built-in modules and of `.py` modules, packages (`__init__.py`) and
//! namespace packages found on `sys.path`, with relative imports, as
//! CPython's `importlib._bootstrap` resolves them (`__import__`,
//! `_gcd_import`, `_handle_fromlist`). `sys.meta_path`, path hooks, zip
//! imports and the bytecode cache come with the full importlib machinery.
//!
//! The standard library is CPython's own pure-Python `Lib/`, found as
//! DESIGN.md says: `TAIPAN_STDLIB`, else the directory recorded at build
//! time (`python3`'s `sysconfig.get_path('stdlib')` when that is a 3.11),
//! else `/usr/lib/python3.11`.

use std::path::{Path, PathBuf};

use crate::classes::{getattr_opt, setattr};
use crate::eval::{run, Frame};
use crate::modules::ModuleData;
use crate::object::{alloc, Obj};
use crate::types::builtin::{self, new_str, str_data, StrData};
use crate::types::{is_subtype, type_of};
use crate::vm::{PyErr, Vm};
use crate::PyResult;

/// The standard library directory, if one is found.
pub fn stdlib_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("TAIPAN_STDLIB").map(PathBuf::from),
        option_env!("TAIPAN_BUILD_STDLIB").filter(|s| !s.is_empty()).map(PathBuf::from),
        Some(PathBuf::from("/usr/lib/python3.11")),
    ];
    candidates.into_iter().flatten().find(|d| d.join("os.py").is_file())
}

/// The initial `sys.path`: `first` (the script's directory, `''` for `-c`
/// and stdin, the current directory for `-m`; none with `-P`/`-I`),
/// `pythonpath` (`PYTHONPATH` unless `-E`), the standard library.
pub fn init_path(vm: &Vm, first: Option<&str>, pythonpath: Option<String>) -> PyResult<()> {
    let mut entries: Vec<String> = first.map(str::to_string).into_iter().collect();
    if let Some(pp) = pythonpath {
        for p in std::env::split_paths(&pp) {
            if !p.as_os_str().is_empty() {
                entries.push(p.to_string_lossy().into_owned());
            }
        }
    }
    if let Some(d) = stdlib_dir() {
        entries.push(d.to_string_lossy().into_owned());
    }
    let items = entries.iter().map(|e| new_str(vm, e)).collect();
    builtin::list_items(vm, &vm.path)?.replace(items);
    Ok(())
}

fn import_error(vm: &Vm, ty: &Obj, msg: String, name: Option<&str>) -> PyErr {
    let e = builtin::new_exception(vm, ty, vec![new_str(vm, &msg)]);
    if let Some(n) = name {
        // `ImportError.name`, read by code that tells a missing module
        // from a failing one.
        let _ = setattr(vm, &e, &vm.intern("name"), new_str(vm, n));
    }
    PyErr { exc: e }
}

fn not_found(vm: &Vm, name: &str) -> PyErr {
    import_error(vm, &vm.types.module_not_found_error, format!("No module named '{name}'"), Some(name))
}

/// `__import__(name, globals, locals, fromlist, level)`.
pub fn import_name(vm: &Vm, name: &str, globals: Option<&Obj>, fromlist: &Obj, level: usize) -> PyResult<Obj> {
    let abs = if level > 0 {
        let package = package_of(vm, globals)?;
        resolve_name(vm, name, &package, level)?
    } else {
        if name.is_empty() {
            return Err(vm.new_error(&vm.types.value_error, "Empty module name"));
        }
        name.to_string()
    };
    let module = import_absolute(vm, &abs)?;
    let from: Vec<Obj> = if fromlist.is(&vm.none) { Vec::new() } else { crate::sequence::to_vec(vm, fromlist)? };
    if from.is_empty() {
        if level == 0 || name.is_empty() {
            let top = name.split('.').next().unwrap_or(name);
            if top.len() == name.len() {
                return Ok(module);
            }
            return lookup_module(vm, top)?.ok_or_else(|| not_found(vm, top));
        }
        // `__import__('.a.b', level=1)` gives the package the relative name
        // starts from, plus its first component.
        let cut = abs.len() - name.len() + name.split('.').next().map_or(0, str::len);
        return lookup_module(vm, &abs[..cut])?.ok_or_else(|| not_found(vm, &abs[..cut]));
    }
    handle_fromlist(vm, &module, &abs, &from)?;
    Ok(module)
}

/// `sys.modules[name]`, if present.
fn lookup_module(vm: &Vm, name: &str) -> PyResult<Option<Obj>> {
    builtin::dict_get_str(vm, &vm.modules, name)
}

/// The package a relative import in `globals` starts from: `__package__`,
/// else derived from `__name__` (and `__path__` for a package's own
/// `__init__`).
fn package_of(vm: &Vm, globals: Option<&Obj>) -> PyResult<String> {
    let Some(g) = globals else {
        return Err(import_error(vm, &vm.types.import_error, "attempted relative import with no known parent package".into(), None));
    };
    let spec = builtin::dict_get_str(vm, g, "__spec__")?.filter(|s| !s.is(&vm.none));
    let parent = |spec: &Obj| crate::classes::getattr(vm, spec, &vm.intern("parent"));
    if let Some(p) = builtin::dict_get_str(vm, g, "__package__")?.filter(|p| !p.is(&vm.none)) {
        let Some(s) = p.downcast::<StrData>() else {
            return Err(vm.type_error("package must be a string"));
        };
        if let Some(spec) = &spec {
            let parent = parent(spec)?;
            if !crate::ops::eq(vm, &p, &parent)? {
                crate::warnings::warn_builtin(vm, "ImportWarning", "__package__ != __spec__.parent", 1)?;
            }
        }
        return Ok(s.as_str().into_owned());
    }
    if let Some(spec) = &spec {
        let p = parent(spec)?;
        let Some(s) = p.downcast::<StrData>() else {
            return Err(vm.type_error("__spec__.parent must be a string"));
        };
        return Ok(s.as_str().into_owned());
    }
    crate::warnings::warn_builtin(
        vm,
        "ImportWarning",
        "can't resolve package from __spec__ or __package__, falling back on __name__ and __path__",
        1,
    )?;
    let Some(name) = builtin::dict_get_str(vm, g, "__name__")? else {
        return Err(vm.new_error(&vm.types.key_error, "'__name__' not in globals"));
    };
    let name = str_data(&name).as_str().into_owned();
    if builtin::dict_get_str(vm, g, "__path__")?.is_some() {
        return Ok(name);
    }
    Ok(name.rsplit_once('.').map_or(String::new(), |(p, _)| p.to_string()))
}

/// The absolute name of a relative import (`_resolve_name`).
fn resolve_name(vm: &Vm, name: &str, package: &str, level: usize) -> PyResult<String> {
    if package.is_empty() {
        return Err(import_error(vm, &vm.types.import_error, "attempted relative import with no known parent package".into(), None));
    }
    let parts: Vec<&str> = package.split('.').collect();
    if level > parts.len() {
        return Err(import_error(vm, &vm.types.import_error, "attempted relative import beyond top-level package".into(), None));
    }
    let base = parts[..parts.len() - (level - 1)].join(".");
    Ok(if name.is_empty() { base } else { format!("{base}.{name}") })
}

/// Imports `name` (absolute, dotted), its parent packages first.
pub fn import_absolute(vm: &Vm, name: &str) -> PyResult<Obj> {
    if let Some(m) = lookup_module(vm, name)? {
        if m.is(&vm.none) {
            return Err(import_error(
                vm,
                &vm.types.module_not_found_error,
                format!("import of {name} halted; None in sys.modules"),
                Some(name),
            ));
        }
        crate::importlib::ensure_initialized(vm, &m, name)?;
        return Ok(m);
    }
    if let Some(result) = crate::importlib::find_and_load(vm, name) {
        return result;
    }
    let (parent, search) = match name.rsplit_once('.') {
        Some((parent, _)) => {
            let p = import_absolute(vm, parent)?;
            // The parent's import may have imported this module too.
            if let Some(m) = lookup_module(vm, name)? {
                return Ok(m);
            }
            let Some(path) = getattr_opt(vm, &p, &vm.intern("__path__"))? else {
                let msg = format!("No module named '{name}'; '{parent}' is not a package");
                return Err(import_error(vm, &vm.types.module_not_found_error, msg, Some(name)));
            };
            (Some(p), path_entries(vm, &path)?)
        }
        None => {
            if let Some(m) = crate::modules::builtin_module(vm, name)? {
                builtin::dict_set(vm, &vm.modules, vm.intern(name), m.clone())?;
                return Ok(m);
            }
            (None, path_entries(vm, &vm.path)?)
        }
    };
    let short = name.rsplit('.').next().unwrap_or(name);
    let Some(found) = find(short, &search) else { return Err(not_found(vm, name)) };
    let module = load(vm, name, found)?;
    if let Some(p) = parent {
        setattr(vm, &p, &vm.intern(short), module.clone())?;
    }
    Ok(module)
}

/// The str entries of a path list (others are skipped, as CPython does).
fn path_entries(vm: &Vm, path: &Obj) -> PyResult<Vec<String>> {
    let items = crate::sequence::to_vec(vm, path)?;
    Ok(items.iter().filter_map(|p| p.downcast::<StrData>().map(|s| s.as_str().into_owned())).collect())
}

/// `-m NAME` (`runpy._get_module_details` in Rust): imports the parent
/// packages, finds the module's source (a package's `__main__`
/// submodule) and returns `(module name, source path)`, or the message
/// the command line prints after the executable's name (runpy's `_Error`).
/// Exceptions other than ImportError propagate.
pub fn find_main_module(vm: &Vm, name: &str) -> PyResult<Result<(String, PathBuf), String>> {
    if name.starts_with('.') {
        return Ok(Err("Relative module names not supported".into()));
    }
    let is_import_error = |e: &PyErr| is_subtype(&type_of(&e.exc), &vm.types.import_error);
    let describe = |e: &PyErr| {
        let text = crate::ops::str(vm, &e.exc).map(|s| str_data(&s).as_str().into_owned()).unwrap_or_default();
        format!("Error while finding module specification for '{name}' ({}: {text})", builtin::type_name(&e.exc))
    };
    let search = match name.rsplit_once('.') {
        Some((parent, _)) => {
            let p = match import_absolute(vm, parent) {
                Ok(p) => p,
                Err(e) if is_import_error(&e) => return Ok(Err(describe(&e))),
                Err(e) => return Err(e),
            };
            match getattr_opt(vm, &p, &vm.intern("__path__"))? {
                Some(path) => path_entries(vm, &path)?,
                None => {
                    let msg = format!("__path__ attribute not found on '{parent}' while trying to find '{name}'");
                    return Ok(Err(describe(&import_error(vm, &vm.types.module_not_found_error, msg, Some(name)))));
                }
            }
        }
        None => path_entries(vm, &vm.path)?,
    };
    let short = name.rsplit('.').next().unwrap_or(name);
    match find(short, &search) {
        Some(Found::Source(f)) => Ok(Ok((name.to_string(), f))),
        Some(Found::Package(_)) | Some(Found::Namespace(_)) => {
            if short == "__main__" {
                return Ok(Err("Cannot use package as __main__ module".into()));
            }
            match import_absolute(vm, name) {
                Ok(_) => {}
                Err(e) if is_import_error(&e) => return Ok(Err(describe(&e))),
                Err(e) => return Err(e),
            }
            Ok(find_main_module(vm, &format!("{name}.__main__"))?
                .map_err(|msg| format!("{msg}; '{name}' is a package and cannot be directly executed")))
        }
        None => Ok(Err(format!("No module named {name}"))),
    }
}

/// What the path finder found for a module name.
enum Found {
    /// A package directory with its `__init__.py`.
    Package(PathBuf),
    /// A `.py` file.
    Source(PathBuf),
    /// Directories without `__init__.py` (PEP 420).
    Namespace(Vec<PathBuf>),
}

/// Searches `entries` in order for `name` as a package, a module or a
/// namespace portion (`FileFinder`'s order).
fn find(name: &str, entries: &[String]) -> Option<Found> {
    let mut portions = Vec::new();
    for e in entries {
        // Relative entries ('' is the current directory) are made absolute,
        // as FileFinder does.
        let dir = PathBuf::from(e);
        let dir = if dir.is_absolute() {
            dir
        } else {
            match std::env::current_dir() {
                Ok(cwd) if e.is_empty() || e == "." => cwd,
                Ok(cwd) => cwd.join(dir),
                Err(_) => dir,
            }
        };
        let pkg = dir.join(name);
        if pkg.is_dir() {
            let init = pkg.join("__init__.py");
            if init.is_file() {
                return Some(Found::Package(pkg));
            }
        }
        let file = dir.join(format!("{name}.py"));
        if file.is_file() {
            return Some(Found::Source(file));
        }
        if pkg.is_dir() {
            portions.push(pkg);
        }
    }
    if portions.is_empty() {
        None
    } else {
        Some(Found::Namespace(portions))
    }
}

/// Makes an empty module object named `name`.
pub fn new_module(vm: &Vm, name: &str) -> Obj {
    let dict = builtin::new_dict(vm);
    let _ = builtin::dict_set(vm, &dict, vm.intern("__name__"), new_str(vm, name));
    let _ = builtin::dict_set(vm, &dict, vm.intern("__doc__"), vm.none.clone());
    let _ = builtin::dict_set(vm, &dict, vm.intern("__package__"), vm.none.clone());
    let _ = builtin::dict_set(vm, &dict, vm.intern("__loader__"), vm.none.clone());
    let _ = builtin::dict_set(vm, &dict, vm.intern("__spec__"), vm.none.clone());
    alloc(vm.types.module.clone(), ModuleData { name: name.into(), dict })
}

fn module_dict(m: &Obj) -> Obj {
    match m.downcast::<ModuleData>() {
        Some(d) => d.dict.clone(),
        None => unreachable!("new_module makes modules"),
    }
}

fn load(vm: &Vm, name: &str, found: Found) -> PyResult<Obj> {
    let module = new_module(vm, name);
    let dict = module_dict(&module);
    let set = |k: &str, v: Obj| builtin::dict_set(vm, &dict, vm.intern(k), v);
    let package = match &found {
        Found::Package(_) | Found::Namespace(_) => name.to_string(),
        Found::Source(_) => name.rsplit_once('.').map_or(String::new(), |(p, _)| p.to_string()),
    };
    set("__package__", new_str(vm, &package))?;
    let file = match found {
        Found::Namespace(dirs) => {
            let items = dirs.iter().map(|d| new_str(vm, &d.to_string_lossy())).collect();
            set("__path__", builtin::new_list(vm, items))?;
            set("__file__", vm.none.clone())?;
            builtin::dict_set(vm, &vm.modules, vm.intern(name), module.clone())?;
            return Ok(module);
        }
        Found::Package(dir) => {
            set("__path__", builtin::new_list(vm, vec![new_str(vm, &dir.to_string_lossy())]))?;
            dir.join("__init__.py")
        }
        Found::Source(f) => f,
    };
    let filename = file.to_string_lossy().into_owned();
    set("__file__", new_str(vm, &filename))?;
    let cached = crate::pycache::cache_path_for(vm, &file).map(|c| c.to_string_lossy().into_owned());
    set("__cached__", cached.map_or_else(|| vm.none.clone(), |c| new_str(vm, &c)))?;
    builtin::dict_set(vm, &vm.modules, vm.intern(name), module.clone())?;
    let result = load_code(vm, &file).and_then(|code| run(vm, Frame::module(code, dict)));
    if let Err(e) = result {
        let _ = builtin::dict_del(vm, &vm.modules, &vm.intern(name));
        return Err(e);
    }
    // The module may have replaced itself in sys.modules.
    Ok(lookup_module(vm, name)?.unwrap_or(module))
}

/// The code of a source module: from its bytecode cache when that is
/// valid, else compiled (and cached).
/// The cache of a standard-library module is written even when writing
/// bytecode is off: it stands in for the `.pyc` files a CPython
/// installation ships precompiled (and for its frozen modules).
///
/// The standard-library modules CPython 3.11 freezes into its binary get
/// its code file names, `<frozen os>` (`FROZEN`), so tracebacks read the
/// same; their `__file__` is the source file, as in CPython.
pub fn load_code(vm: &Vm, path: &Path) -> PyResult<Obj> {
    match stdlib_relative(vm, path) {
        Some(rel) if rel == Path::new("dis.py") => load_dis(vm, path),
        Some(rel) => match FROZEN.iter().find(|(file, _)| Path::new(file) == rel) {
            Some((_, name)) => load_code_with(vm, path, &format!("<frozen {name}>"), true),
            None => load_code_with(vm, path, &path.to_string_lossy(), true),
        },
        None => load_code_with(vm, path, &path.to_string_lossy(), false),
    }
}

/// CPython 3.11's frozen standard-library modules (`Python/frozen.c`;
/// the importlib bootstrap is loaded by `importlib::install`): source file
/// relative to the standard library, and the name in `<frozen NAME>`.
const FROZEN: &[(&str, &str)] = &[
    ("zipimport.py", "zipimport"),
    ("abc.py", "abc"),
    ("codecs.py", "codecs"),
    ("io.py", "io"),
    ("_collections_abc.py", "_collections_abc"),
    ("_sitebuiltins.py", "_sitebuiltins"),
    ("genericpath.py", "genericpath"),
    ("ntpath.py", "ntpath"),
    ("posixpath.py", "posixpath"),
    ("os.py", "os"),
    ("site.py", "site"),
    ("stat.py", "stat"),
    ("importlib/util.py", "importlib.util"),
    ("importlib/machinery.py", "importlib.machinery"),
    ("runpy.py", "runpy"),
];

/// The standard library's `site.py` with Taipan's site-packages layout:
/// `PREFIX/lib/taipan3.11/site-packages` and the user site
/// `~/.local/lib/taipan3.11/site-packages` (CPython's `python3.11`
/// directories hold packages built for CPython: C extensions, `.pth` files
/// that import them). The two directory-name templates are the only change.
fn taipan_site_layout(source: Vec<u8>) -> Vec<u8> {
    let text = match String::from_utf8(source) {
        Ok(t) => t,
        Err(e) => return e.into_bytes(),
    };
    text.replace("\"python%d.%d\" % sys.version_info[:2]", "\"taipan%d.%d\" % sys.version_info[:2]")
        .replace("/lib/python{version[0]}.{version[1]}/site-packages", "/lib/taipan{version[0]}.{version[1]}/site-packages")
        .into_bytes()
}

/// Appended to the standard library's `dis.py`. Code objects hold
/// Taipan's instructions (`co_code`), which `opcode`'s tables (CPython's,
/// kept for `dis.opmap`/`stack_effect` users) do not describe: the
/// scanners `modulefinder` uses read Taipan's instructions natively, and
/// disassembling a code object stays a TypeError rather than a listing of
/// misread bytes.
pub const DIS_TAIPAN: &str = "
# Taipan: code objects hold Taipan's instructions, not CPython's.
from _imp import _taipan_find_imports as _find_imports
from _imp import _taipan_find_store_names as _find_store_names
def _get_code_array(co, adaptive):
    raise TypeError(\"don't know how to disassemble Taipan's code objects\")
";

/// `dis.py` with [`DIS_TAIPAN`] appended, compiled on each import and
/// never cached (the standard library's `__pycache__` is shared with
/// binaries that may not have the change).
fn load_dis(vm: &Vm, path: &Path) -> PyResult<Obj> {
    let filename = path.to_string_lossy().into_owned();
    let mut source = std::fs::read(path).map_err(|e| io_import_error(vm, &e, &filename))?;
    if !source.ends_with(b"\n") {
        source.push(b'\n');
    }
    source.extend_from_slice(DIS_TAIPAN.as_bytes());
    let unit = compile_unit(vm, &source, &filename, false)?;
    Ok(crate::function::new_code(vm, unit))
}

/// `path` relative to the standard library directory, if it is inside
/// (and not in a site-packages directory).
fn stdlib_relative<'a>(vm: &Vm, path: &'a Path) -> Option<&'a Path> {
    #[derive(Default)]
    struct StdlibDir(std::cell::OnceCell<Option<PathBuf>>);
    let state = vm.state::<StdlibDir>();
    let dir = state.0.get_or_init(stdlib_dir).clone()?;
    let rel = path.strip_prefix(&dir).ok()?;
    (!rel.components().any(|c| c.as_os_str() == "site-packages")).then_some(rel)
}

/// `load_code` for a module CPython freezes: the code's `co_filename` is
/// `filename` (`<frozen importlib._bootstrap>`), and the cache is written
/// even when writing bytecode is off (`pycache::write_always`).
pub fn load_frozen_code(vm: &Vm, path: &Path, filename: &str) -> PyResult<Obj> {
    load_code_with(vm, path, filename, true)
}

fn load_code_with(vm: &Vm, path: &Path, filename: &str, frozen: bool) -> PyResult<Obj> {
    let meta = std::fs::metadata(path).map_err(|e| io_import_error(vm, &e, &path.to_string_lossy()))?;
    if let Some(mut unit) = crate::pycache::read(vm, path, &meta) {
        if *unit.filename != *filename {
            crate::pycache::fix_filename(&mut unit, filename);
        }
        return Ok(crate::function::new_code(vm, unit));
    }
    let mut source = std::fs::read(path).map_err(|e| io_import_error(vm, &e, &path.to_string_lossy()))?;
    if filename == "<frozen site>" {
        source = taipan_site_layout(source);
    }
    let unit = compile_unit(vm, &source, filename, false)?;
    if frozen {
        crate::pycache::write_always(vm, path, &meta, &unit);
    } else {
        crate::pycache::write(vm, path, &meta, &unit);
    }
    Ok(crate::function::new_code(vm, unit))
}

fn io_import_error(vm: &Vm, e: &std::io::Error, filename: &str) -> PyErr {
    let msg = format!("[Errno {}] {}: '{filename}'", e.raw_os_error().unwrap_or(0), e.kind());
    import_error(vm, &vm.types.import_error, msg, None)
}

/// Reads, parses and compiles a source file into a code object (no
/// cache).
pub fn compile_file(vm: &Vm, path: &Path) -> PyResult<Obj> {
    let filename = path.to_string_lossy().into_owned();
    let source = std::fs::read(path).map_err(|e| io_import_error(vm, &e, &filename))?;
    compile_source(vm, &source, &filename)
}

/// Parses and compiles module source; errors become SyntaxError.
pub fn compile_source(vm: &Vm, source: &[u8], filename: &str) -> PyResult<Obj> {
    compile_mode(vm, source, filename, false)
}

/// Compiles the script the interpreter runs: as [`compile_source`], but
/// a NUL byte is CPython's "source code cannot contain null bytes" on its
/// line (its tokenizer reads files line by line; `compile()` of bytes says
/// "source code string ...").
pub fn compile_script(vm: &Vm, source: &[u8], filename: &str) -> PyResult<Obj> {
    if let Some(at) = source.iter().position(|&b| b == 0) {
        let line = source[..at].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        return Err(syntax_error(vm, "SyntaxError", "source code cannot contain null bytes", filename, b"", Some(line), None));
    }
    compile_source(vm, source, filename)
}

/// Compiles interactive input (`'single'` mode): expression statements
/// print their values.
pub fn compile_interactive(vm: &Vm, source: &[u8], filename: &str) -> PyResult<Obj> {
    compile_mode(vm, source, filename, true)
}

fn compile_mode(vm: &Vm, source: &[u8], filename: &str, interactive: bool) -> PyResult<Obj> {
    Ok(crate::function::new_code(vm, compile_unit(vm, source, filename, interactive)?))
}

/// Parses module source bytes. A coding cookie naming a codec the parser
/// does not carry (shift_jis, cp932, utf-7, ...) is decoded through the
/// codec registry, as CPython's tokenizer does.
pub fn parse_source(vm: &Vm, source: &[u8]) -> Result<taipan_parser::ast::Mod, taipan_parser::ParseError> {
    parse_source_opts(vm, source, taipan_parser::Options::default())
}

/// [`parse_source`] with `ast.parse`'s options (type comments,
/// `feature_version`).
pub fn parse_source_opts(
    vm: &Vm,
    source: &[u8],
    opts: taipan_parser::Options,
) -> Result<taipan_parser::ast::Mod, taipan_parser::ParseError> {
    taipan_parser::parse_module_opts(source, &|name: &str, body: &[u8]| external_decode(vm, name, body), opts)
}

/// Module source bytes as text, decoded by their coding cookie as the
/// compiler does (the traceback printer's source lines); None when they
/// cannot be decoded.
pub fn decode_source(vm: &Vm, source: &[u8]) -> Option<String> {
    taipan_parser::source::decode_with(source, &|name, body| external_decode(vm, name, body)).ok().map(|s| s.text)
}

/// The parser's [`taipan_parser::source::ExternalDecoder`]: the codec
/// registry's decoder for `name`.
fn external_decode(vm: &Vm, name: &str, body: &[u8]) -> Option<Result<String, String>> {
    {
        let codecs = import_absolute(vm, "_codecs").ok()?;
        let lookup = crate::classes::getattr(vm, &codecs, &vm.intern("lookup")).ok()?;
        crate::classes::call_object(vm, &lookup, &[new_str(vm, name)]).ok()?;
        let decode = crate::classes::getattr(vm, &codecs, &vm.intern("decode")).ok()?;
        let data = crate::types::bytes::new_bytes(vm, body.to_vec());
        Some(match crate::classes::call_object(vm, &decode, &[data, new_str(vm, name)]) {
            Ok(text) => match text.downcast::<crate::types::builtin::StrData>() {
                Some(t) => Ok(t.as_str().into_owned()),
                None => Err(format!("'{name}' decoder returned '{}' instead of 'str'", crate::types::builtin::type_name(&text))),
            },
            Err(e) => Err(crate::ops::str(vm, &e.exc).map(|m| str_data(&m).as_str().into_owned()).unwrap_or_default()),
        })
    }
}

/// Parses and compiles source into a code unit; errors become SyntaxError.
pub fn compile_unit(vm: &Vm, source: &[u8], filename: &str, interactive: bool) -> PyResult<taipan_compiler::bytecode::CodeUnit> {
    let mut module = parse_source(vm, source).map_err(|e| syntax_error(vm, e.kind.name(), &e.msg, filename, source, e.lineno, e.offset))?;
    if interactive {
        if let taipan_parser::ast::Mod::Module { body, .. } = module {
            module = taipan_parser::ast::Mod::Interactive { body };
        }
    }
    let unit = compile_checked(vm, &module, filename, crate::sysmodule::optimize_level(vm), source)?;
    Ok(unit)
}

/// Compiles a module given as text (the binary's `-c` command): already
/// decoded, so a coding cookie in it is ignored, as in CPython.
pub fn compile_text(vm: &Vm, text: &str, filename: &str) -> PyResult<Obj> {
    let source = text.as_bytes();
    let module = taipan_parser::parse_module_text(text)
        .map_err(|e| syntax_error(vm, e.kind.name(), &e.msg, filename, source, e.lineno, e.offset))?;
    let unit = compile_checked(vm, &module, filename, crate::sysmodule::optimize_level(vm), source)?;
    Ok(crate::function::new_code(vm, unit))
}

/// Compiles a tree: a compile error becomes a SyntaxError, and the
/// compiler's warnings are issued as `SyntaxWarning`s (`warn_explicit`
/// at their line); one that a filter turns into an error becomes a
/// SyntaxError there, as CPython's `compiler_warn` does.
pub fn compile_checked(
    vm: &Vm,
    module: &taipan_parser::ast::Mod,
    filename: &str,
    optimize: u32,
    source: &[u8],
) -> PyResult<taipan_compiler::bytecode::CodeUnit> {
    let unit = taipan_compiler::codegen::compile_module_opt(module, filename, optimize);
    let warnings = taipan_compiler::codegen::take_warnings();
    for w in warnings {
        if let Err(e) = crate::warnings::warn_explicit_builtin(vm, "SyntaxWarning", &w.msg, filename, w.lineno as i64) {
            let category = vm.exception_type("SyntaxWarning").unwrap_or_else(|| vm.types.syntax_error.clone());
            if crate::classes::isinstance(vm, &e.exc, &category)? {
                return Err(syntax_error(vm, "SyntaxError", &w.msg, filename, source, Some(w.lineno), Some(w.offset as i64)));
            }
            return Err(e);
        }
    }
    unit.map_err(|e| {
        let offset = if e.offset > 0 { Some(e.offset as i64) } else { None };
        syntax_error(vm, "SyntaxError", &e.msg, filename, source, Some(e.lineno), offset)
    })
}

/// A SyntaxError (or IndentationError, TabError) raised while compiling
/// `source`: `SyntaxError(msg, (filename, lineno, offset, text))`.
pub fn syntax_error(vm: &Vm, kind: &str, msg: &str, filename: &str, source: &[u8], lineno: Option<u32>, offset: Option<i64>) -> PyErr {
    let ty = vm.exception_type(kind).unwrap_or_else(|| vm.types.syntax_error.clone());
    let text = lineno.and_then(|l| {
        let text = String::from_utf8_lossy(source);
        text.split_inclusive('\n').nth(l.saturating_sub(1) as usize).map(|line| new_str(vm, line))
    });
    let details = builtin::new_tuple(
        vm,
        vec![
            new_str(vm, filename),
            lineno.map_or(vm.none.clone(), |l| vm.int(l as i64)),
            offset.map_or(vm.none.clone(), |o| vm.int(o)),
            text.unwrap_or_else(|| vm.none.clone()),
        ],
    );
    PyErr { exc: builtin::new_exception(vm, &ty, vec![new_str(vm, msg), details]) }
}

/// `from package import a, b`: imports submodules named in the fromlist
/// that are not attributes of the package yet (`_handle_fromlist`).
fn handle_fromlist(vm: &Vm, module: &Obj, name: &str, from: &[Obj]) -> PyResult<()> {
    if getattr_opt(vm, module, &vm.intern("__path__"))?.is_none() {
        return Ok(());
    }
    for x in from {
        let Some(s) = x.downcast::<StrData>() else {
            return Err(vm.type_error(format!("Item in {name}.__all__ must be str, not {}", builtin::type_name(x))));
        };
        let attr = s.as_str().into_owned();
        if attr == "*" {
            if let Some(all) = getattr_opt(vm, module, &vm.intern("__all__"))? {
                let names = crate::sequence::to_vec(vm, &all)?;
                let names: Vec<Obj> = names.into_iter().filter(|n| n.downcast::<StrData>().is_none_or(|s| s.as_str() != "*")).collect();
                handle_fromlist(vm, module, name, &names)?;
            }
            continue;
        }
        if getattr_opt(vm, module, x)?.is_some() {
            continue;
        }
        let sub = format!("{name}.{attr}");
        match import_absolute(vm, &sub) {
            Ok(_) => {}
            // A missing submodule is fine: the `from` import reports the
            // missing name itself.
            Err(e) if is_subtype(&type_of(&e.exc), &vm.types.module_not_found_error) && error_names(vm, &e, &sub) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Whether an ImportError is about module `name` itself.
fn error_names(vm: &Vm, e: &PyErr, name: &str) -> bool {
    matches!(getattr_opt(vm, &e.exc, &vm.intern("name")), Ok(Some(n)) if n.downcast::<StrData>().is_some_and(|s| s.as_str() == name))
}

/// `from module import name` (the `IMPORT_FROM` instruction): the
/// attribute, else the submodule `module.name` from `sys.modules`.
pub fn import_from(vm: &Vm, module: &Obj, name: &Obj) -> PyResult<Obj> {
    match crate::classes::getattr(vm, module, name) {
        Ok(v) => return Ok(v),
        Err(e) if is_subtype(&type_of(&e.exc), &vm.types.attribute_error) => {}
        Err(e) => return Err(e),
    }
    let pkgname = getattr_opt(vm, module, &vm.intern("__name__"))?.filter(|n| n.downcast::<StrData>().is_some());
    if let Some(p) = &pkgname {
        if let Some(sub) = lookup_module(vm, &format!("{}.{}", str_data(p).as_str(), str_data(name).as_str()))? {
            return Ok(sub);
        }
    }
    // The message (CPython's `import_from`): names by repr, the module's
    // `__file__` (a module object's own) as the location and
    // `ImportError.path`, a circular import blamed while the module is
    // initializing.
    let name_repr = str_data(&crate::ops::repr(vm, name)?).as_str().into_owned();
    let pkg_repr = match &pkgname {
        Some(p) => str_data(&crate::ops::repr(vm, p)?).as_str().into_owned(),
        None => "'<unknown module name>'".to_string(),
    };
    let path = match module.downcast::<crate::modules::ModuleData>() {
        Some(m) => builtin::dict_get_str(vm, &m.dict, "__file__")?.filter(|f| f.downcast::<StrData>().is_some()),
        None => None,
    };
    let msg = match &path {
        None => format!("cannot import name {name_repr} from {pkg_repr} (unknown location)"),
        Some(p) => {
            let spec = getattr_opt(vm, module, &vm.intern("__spec__"))?.filter(|s| !s.is(&vm.none));
            let initializing = match spec {
                Some(s) => match getattr_opt(vm, &s, &vm.intern("_initializing"))? {
                    Some(v) => crate::ops::truth(vm, &v)?,
                    None => false,
                },
                None => false,
            };
            let p = str_data(p).as_str();
            if initializing {
                format!("cannot import name {name_repr} from partially initialized module {pkg_repr} (most likely due to a circular import) ({p})")
            } else {
                format!("cannot import name {name_repr} from {pkg_repr} ({p})")
            }
        }
    };
    let e = builtin::new_exception(vm, &vm.types.import_error, vec![new_str(vm, &msg)]);
    setattr(vm, &e, &vm.intern("name"), pkgname.unwrap_or_else(|| vm.none.clone()))?;
    setattr(vm, &e, &vm.intern("path"), path.unwrap_or_else(|| vm.none.clone()))?;
    Err(PyErr { exc: e })
}

/// `from module import *` into the namespace `ns`: the names in
/// `__all__`, else every name not starting with an underscore.
pub fn import_star(vm: &Vm, module: &Obj, ns: &Obj) -> PyResult<()> {
    let (names, from_all) = match getattr_opt(vm, module, &vm.intern("__all__"))? {
        Some(all) => (crate::sequence::to_vec(vm, &all)?, true),
        None => {
            let Some(d) = getattr_opt(vm, module, &vm.intern("__dict__"))? else {
                return Err(vm.new_error(&vm.types.import_error, "from-import-* object has no __dict__ and no __all__"));
            };
            (crate::sequence::to_vec(vm, &d)?, false)
        }
    };
    for n in names {
        if n.downcast::<builtin::StrData>().is_none() {
            let modname = match getattr_opt(vm, module, &vm.intern("__name__"))? {
                Some(m) if m.downcast::<builtin::StrData>().is_some() => str_data(&m).as_str().into_owned(),
                _ => "?".into(),
            };
            let (what, place) = if from_all { ("Item", "__all__") } else { ("Key", "__dict__") };
            return Err(vm.type_error(format!("{what} in {modname}.{place} must be str, not {}", builtin::type_name(&n))));
        }
        if !from_all && str_data(&n).as_str().starts_with('_') {
            continue;
        }
        let v = crate::classes::getattr(vm, module, &n)?;
        if crate::types::type_of(ns).is(&vm.types.dict) {
            builtin::dict_set(vm, ns, n, v)?;
        } else {
            crate::sequence::setitem(vm, ns, &n, v)?;
        }
    }
    Ok(())
}

/// Reads the `(level, fromlist)` pair the compiler pushes for
/// `IMPORT_NAME`.
pub fn level_of(vm: &Vm, level: &Obj) -> PyResult<usize> {
    let l = builtin::expect_int(vm, level, "")?;
    usize::try_from(l).map_err(|_| vm.new_error(&vm.types.value_error, "level must be >= 0"))
}

/// `__import__(name, globals=None, locals=None, fromlist=(), level=0)`.
fn builtin_import(vm: &Vm, args: &[Obj], kw: crate::types::Kwargs) -> PyResult<Obj> {
    static PARAMS: crate::native::Params = crate::native::Params {
        fname: "__import__",
        names: &["name", "globals", "locals", "fromlist", "level"],
        posonly: 0,
        kwonly: 0,
        required: 1,
    };
    let [name, globals, _locals, fromlist, level] = crate::native::bind::<5>(vm, &PARAMS, args, kw)?;
    let name = name.unwrap_or_else(|| vm.none.clone());
    let Some(n) = name.downcast::<StrData>() else {
        return Err(vm.type_error(format!("__import__() argument 1 must be str, not {}", builtin::type_name(&name))));
    };
    let globals = globals.filter(|g| !g.is(&vm.none));
    let level = match level {
        Some(l) => level_of(vm, &l)?,
        None => 0,
    };
    let fromlist = fromlist.unwrap_or_else(|| vm.none.clone());
    let fromlist = if crate::ops::truth(vm, &fromlist)? { fromlist } else { vm.none.clone() };
    import_name(vm, &n.as_str(), globals.as_ref(), &fromlist, level)
}

/// The built-in `__import__` function object.
#[derive(Default)]
struct BuiltinImport(std::cell::RefCell<Option<Obj>>);

/// `builtins['__import__']` when it is not the built-in function (None:
/// the fast path applies); a missing one is CPython's ImportError.
pub fn overridden_import(vm: &Vm, builtins: &Obj) -> PyResult<Option<Obj>> {
    let Some(f) = builtin::dict_get_str(vm, builtins, "__import__")? else {
        return Err(import_error(vm, &vm.types.import_error, "__import__ not found".into(), None));
    };
    let original = vm.state::<BuiltinImport>().0.borrow().clone();
    Ok(if original.is_some_and(|o| o.is(&f)) { None } else { Some(f) })
}

/// Registers `__import__` in the builtins.
pub(crate) fn install(vm: &Vm) {
    let f = crate::function::new_builtin_function(vm, "__import__", builtin_import);
    *vm.state::<BuiltinImport>().0.borrow_mut() = Some(f.clone());
    let _ = builtin::dict_set(vm, &vm.builtins, vm.intern("__import__"), f);
    // `builtins` is the module whose namespace is the builtins dict.
    let _ = builtin::dict_set(vm, &vm.builtins, vm.intern("__name__"), vm.intern("builtins"));
    let module =
        crate::object::alloc(vm.types.module.clone(), crate::modules::ModuleData { name: "builtins".into(), dict: vm.builtins.clone() });
    for (_, v) in builtin::dict_items(&vm.builtins) {
        crate::function::set_builtin_module(&v, &module);
    }
    let _ = builtin::dict_set(vm, &vm.modules, vm.intern("builtins"), module);
}
