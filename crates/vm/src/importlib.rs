//! CPython's import machinery as Taipan's import system. At start-up
//! (`install`, called by the binary once `sys.path` is known) the
//! standard library's `importlib/_bootstrap.py` runs as the module
//! `_frozen_importlib` and `_bootstrap_external.py` as
//! `_frozen_importlib_external` (their code comes from the bytecode cache,
//! compiled under CPython's frozen file names `<frozen importlib._bootstrap>`
//! and `<frozen importlib._bootstrap_external>`), then `_install(sys, _imp)`
//! and `_install_external_importers()` fill `sys.meta_path`
//! (`BuiltinImporter`, `FrozenImporter`, `PathFinder`) and `sys.path_hooks`
//! (`zipimporter`, `FileFinder`).
//!
//! From then on `import` works as CPython's `import.c`: the name is
//! resolved and `sys.modules` consulted in Rust (the fast path); a miss
//! calls `_bootstrap._find_and_load(name, __import__)`, and the frames of
//! the machinery are removed from the traceback of a failed import
//! (`remove_importlib_frames`).
//!
//! The bytecode cache stays Rust's (`pycache.rs`): `SourceLoader.get_code`
//! is replaced by `_taipan_get_code` (`SHIM` below), which asks Rust for the
//! code of a `SourceFileLoader` (cache read, else compile and write) and
//! compiles the source of other source loaders without caching; the Python
//! loader never reads or writes `.pyc` files.

use std::cell::RefCell;
use std::path::Path;

use crate::classes::{call_object, getattr};
use crate::eval::{run, Frame};
use crate::object::Obj;
use crate::types::builtin::{self, new_str, StrData};
use crate::types::exceptions::TbEntry;
use crate::types::{is_subtype, type_of, Kwargs};
use crate::vm::{PyErr, Vm};
use crate::PyResult;

/// The installed machinery (empty until `install` succeeded).
#[derive(Default)]
pub struct Importlib {
    bootstrap: RefCell<Option<Obj>>,
    find_and_load: RefCell<Option<Obj>>,
    module_repr: RefCell<Option<Obj>>,
}

/// CPython's file names of the frozen importlib modules.
pub const BOOTSTRAP_FILENAME: &str = "<frozen importlib._bootstrap>";
pub const EXTERNAL_FILENAME: &str = "<frozen importlib._bootstrap_external>";

/// Taipan's part of `_frozen_importlib_external`, run in its namespace.
const SHIM: &str = r#"
def _taipan_get_code(self, fullname):
    """Concrete implementation of InspectLoader.get_code (Taipan: the
    bytecode cache is read and written by the interpreter)."""
    source_path = self.get_filename(fullname)
    cls = type(self)
    if (cls is SourceFileLoader or
            (cls.get_data is FileLoader.get_data and
             cls.path_stats is SourceFileLoader.path_stats and
             cls.set_data is SourceFileLoader.set_data and
             cls.source_to_code is SourceLoader.source_to_code)):
        return _taipan_source_code(source_path)
    source_bytes = self.get_data(source_path)
    return self.source_to_code(source_bytes, source_path)

_taipan_get_code.__name__ = 'get_code'
_taipan_get_code.__qualname__ = 'SourceLoader.get_code'
SourceLoader.get_code = _taipan_get_code
del _taipan_get_code
"#;

/// Whether the machinery is installed.
pub fn installed(vm: &Vm) -> bool {
    vm.state::<Importlib>().find_and_load.borrow().is_some()
}

/// `_frozen_importlib`, once installed.
pub fn bootstrap(vm: &Vm) -> Option<Obj> {
    vm.state::<Importlib>().bootstrap.borrow().clone()
}

fn run_source(vm: &Vm, source: &str, filename: &str, dict: &Obj) -> PyResult<()> {
    let code = crate::import::compile_source(vm, source.as_bytes(), filename)?;
    run(vm, Frame::module(code, dict.clone()))?;
    Ok(())
}

fn module_dict(vm: &Vm, m: &Obj) -> PyResult<Obj> {
    match m.downcast::<crate::modules::ModuleData>() {
        Some(d) => Ok(d.dict.clone()),
        None => Err(vm.type_error("not a module")),
    }
}

/// Runs `<stdlib>/importlib/FILE` as module `name` with code file name
/// `filename`, registered in `sys.modules`.
fn load_frozen(vm: &Vm, stdlib: &Path, file: &str, name: &str, filename: &str) -> PyResult<Obj> {
    let module = crate::import::new_module(vm, name);
    let dict = module_dict(vm, &module)?;
    builtin::dict_set(vm, &vm.modules, vm.intern(name), module.clone())?;
    let code = crate::import::load_frozen_code(vm, &stdlib.join("importlib").join(file), filename)?;
    run(vm, Frame::module(code, dict))?;
    Ok(module)
}

/// Installs CPython's import machinery (see the module documentation).
/// Without a standard library the Rust import path stays in charge.
pub fn install(vm: &Vm) -> PyResult<()> {
    let Some(stdlib) = crate::import::stdlib_dir() else { return Ok(()) };
    let sys = crate::import::import_absolute(vm, "sys")?;
    let imp = crate::import::import_absolute(vm, "_imp")?;
    let bootstrap = load_frozen(vm, &stdlib, "_bootstrap.py", "_frozen_importlib", BOOTSTRAP_FILENAME)?;
    call_object(vm, &getattr(vm, &bootstrap, &vm.intern("_install"))?, &[sys, imp])?;
    let external = load_frozen(vm, &stdlib, "_bootstrap_external.py", "_frozen_importlib_external", EXTERNAL_FILENAME)?;
    let ext_dict = module_dict(vm, &external)?;
    let f = crate::function::new_builtin_function(vm, "_taipan_source_code", source_code);
    builtin::dict_set(vm, &ext_dict, vm.intern("_taipan_source_code"), f)?;
    run_source(vm, SHIM, EXTERNAL_FILENAME, &ext_dict)?;
    call_object(vm, &getattr(vm, &bootstrap, &vm.intern("_install_external_importers"))?, &[])?;
    let state = vm.state::<Importlib>();
    *state.module_repr.borrow_mut() = Some(getattr(vm, &bootstrap, &vm.intern("_module_repr"))?);
    *state.find_and_load.borrow_mut() = Some(getattr(vm, &bootstrap, &vm.intern("_find_and_load"))?);
    *state.bootstrap.borrow_mut() = Some(bootstrap);
    Ok(())
}

/// Adds zipimport's `zipimporter` in front of `sys.path_hooks`, as
/// CPython's start-up does (`_PyImportZip_Init`). Failures are ignored
/// (zip imports are then unavailable).
pub fn install_zipimport(vm: &Vm) {
    if !installed(vm) {
        return;
    }
    let result = (|| -> PyResult<()> {
        let zipimport = crate::import::import_absolute(vm, "zipimport")?;
        let importer = getattr(vm, &zipimport, &vm.intern("zipimporter"))?;
        let sys = crate::import::import_absolute(vm, "sys")?;
        let hooks = getattr(vm, &sys, &vm.intern("path_hooks"))?;
        crate::lang::call_method(vm, &hooks, "insert", &[vm.int(0), importer])?;
        // Importing zipimport (frozen in CPython, a path import here)
        // cached "no importer" for the zip files on sys.path: forget those.
        let cache = getattr(vm, &sys, &vm.intern("path_importer_cache"))?;
        if cache.downcast::<builtin::DictData>().is_some() {
            for (k, v) in builtin::dict_items(&cache) {
                if v.is(&vm.none) {
                    builtin::dict_del(vm, &cache, &k)?;
                }
            }
        }
        Ok(())
    })();
    drop(result);
}

/// `_find_and_load(name, __import__)` when the machinery is installed.
pub fn find_and_load(vm: &Vm, name: &str) -> Option<PyResult<Obj>> {
    let f = vm.state::<Importlib>().find_and_load.borrow().clone()?;
    let import = match builtin::dict_get_str(vm, &vm.builtins, "__import__") {
        Ok(Some(i)) => i,
        Ok(None) => vm.none.clone(),
        Err(e) => return Some(Err(e)),
    };
    let result = call_object(vm, &f, &[new_str(vm, name), import]);
    if let Err(e) = &result {
        remove_importlib_frames(vm, e);
    }
    Some(result)
}

/// A `sys.modules` hit on a module another thread is still initialising
/// (`__spec__._initializing`) waits for it: `_lock_unlock_module(name)`
/// (`import_ensure_initialized` in CPython's `import.c`).
pub fn ensure_initialized(vm: &Vm, m: &Obj, name: &str) -> PyResult<()> {
    let Some(b) = bootstrap(vm) else { return Ok(()) };
    let Some(d) = m.downcast::<crate::modules::ModuleData>() else { return Ok(()) };
    let Some(spec) = builtin::dict_get_str(vm, &d.dict, "__spec__")? else { return Ok(()) };
    if spec.is(&vm.none) {
        return Ok(());
    }
    let initializing = match crate::classes::getattr_opt(vm, &spec, &vm.intern("_initializing")) {
        Ok(Some(v)) => crate::ops::truth(vm, &v)?,
        _ => false,
    };
    if initializing {
        let f = getattr(vm, &b, &vm.intern("_lock_unlock_module"))?;
        call_object(vm, &f, &[new_str(vm, name)])?;
    }
    Ok(())
}

/// `repr(module)` through `_bootstrap._module_repr` once installed.
pub fn module_repr(vm: &Vm, m: &Obj) -> Option<PyResult<Obj>> {
    let f = vm.state::<Importlib>().module_repr.borrow().clone()?;
    Some(call_object(vm, &f, std::slice::from_ref(m)))
}

/// CPython's `remove_importlib_frames`: an ImportError loses every frame
/// of the machinery; another exception loses the runs of machinery frames
/// that end in `_call_with_frames_removed` (the machinery calling user
/// code: the module's body, a finder).
pub fn remove_importlib_frames(vm: &Vm, e: &PyErr) {
    let always = is_subtype(&type_of(&e.exc), &vm.types.import_error);
    let Some(d) = builtin::exception_data(&e.exc) else { return };
    let mut tb = d.traceback.borrow_mut();
    // Entries run from the raising frame outwards: walk them outermost
    // first.
    let entries: Vec<TbEntry> = tb.drain(..).rev().collect();
    let mut kept: Vec<TbEntry> = Vec::with_capacity(entries.len());
    // Trimmed entries are dropped after the borrow (a frame object's
    // locals may run finalizers).
    let mut dropped: Vec<TbEntry> = Vec::new();
    let mut chunk_start = 0;
    let mut in_importlib = false;
    for entry in entries {
        let (now_in, trim_here) = match entry.0.downcast::<crate::function::CodeData>() {
            Some(c) => {
                let f = &*c.unit.filename;
                let now = f == BOOTSTRAP_FILENAME || f == EXTERNAL_FILENAME;
                (now, now && (always || &*c.unit.name == "_call_with_frames_removed"))
            }
            None => (false, false),
        };
        if now_in && !in_importlib {
            chunk_start = kept.len();
        }
        in_importlib = now_in;
        kept.push(entry);
        if trim_here {
            dropped.extend(kept.drain(chunk_start..));
        }
    }
    kept.reverse();
    drop(tb);
    drop(dropped);
    crate::types::exceptions::set_traceback_entries(d, kept);
}

/// `_taipan_source_code(path)`: the code of a source file, through the
/// bytecode cache (read if valid, else compiled and written).
fn source_code(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [path] = crate::native::exact::<1>(vm, "_taipan_source_code", args, kw)?;
    let Some(p) = path.downcast::<StrData>() else {
        return Err(vm.type_error(format!("expected str, not {}", builtin::type_name(&path))));
    };
    let p = p.as_str().into_owned();
    crate::import::load_code(vm, Path::new(&p))
}

/// `-m NAME`: `runpy._run_module_as_main(NAME, True)`, which finds the
/// module (a package's `__main__`), sets up `__main__` and `sys.argv[0]`
/// and runs it, or exits with runpy's message. `alter_argv` false is the
/// run of a directory or zip file's `__main__` (`sys.argv[0]` stays).
pub fn run_module_as_main(vm: &Vm, name: &str, alter_argv: bool) -> PyResult<Obj> {
    let runpy = crate::import::import_absolute(vm, "runpy")?;
    let f = getattr(vm, &runpy, &vm.intern("_run_module_as_main"))?;
    call_object(vm, &f, &[new_str(vm, name), vm.bool(alter_argv)])
}

/// Whether the script path `path` is a directory or zip file that the
/// path hooks give an importer for (CPython's `pymain_get_importer`: such
/// a path becomes `sys.path[0]` and its `__main__` module runs). The
/// answer is kept in `sys.path_importer_cache`, as CPython's
/// `PyImport_GetImporter` does.
pub fn main_importer(vm: &Vm, path: &str) -> PyResult<bool> {
    if !installed(vm) {
        return Ok(false);
    }
    let Some(ext) = builtin::dict_get_str(vm, &vm.modules, "_frozen_importlib_external")? else { return Ok(false) };
    let finder = getattr(vm, &ext, &vm.intern("PathFinder"))?;
    let lookup = getattr(vm, &finder, &vm.intern("_path_importer_cache"))?;
    let importer = call_object(vm, &lookup, &[new_str(vm, path)])?;
    Ok(!importer.is(&vm.none))
}

/// CPython's magic number of its `.pyc` files (the stdlib's
/// `importlib.util.MAGIC_NUMBER`; `py_compile` writes it, followed by the
/// marshalled code).
fn pyc_magic(vm: &Vm) -> PyResult<Option<Vec<u8>>> {
    let Some(ext) = builtin::dict_get_str(vm, &vm.modules, "_frozen_importlib_external")? else { return Ok(None) };
    let magic = getattr(vm, &ext, &vm.intern("MAGIC_NUMBER"))?;
    Ok(crate::types::bytes::bytes_data(&magic).map(<[u8]>::to_vec))
}

/// Whether the script is a compiled file (CPython's `maybe_pyc_file`:
/// a `.pyc` name, or the first two bytes of the magic number).
pub fn is_compiled_script(vm: &Vm, path: &str, data: &[u8]) -> bool {
    if path.ends_with(".pyc") {
        return true;
    }
    matches!(pyc_magic(vm), Ok(Some(m)) if m.len() >= 2 && data.len() >= 2 && data[..2] == m[..2])
}

/// The code of a compiled script (CPython's `run_pyc_file`): the magic
/// number, 12 bytes of flags and source stamp, then the marshalled code.
pub fn compiled_script_code(vm: &Vm, data: &[u8]) -> PyResult<Obj> {
    let magic = pyc_magic(vm)?.unwrap_or_default();
    if magic.is_empty() || !data.starts_with(&magic) || data.len() < 16 {
        return Err(vm.new_error(&vm.types.runtime_error, "Bad magic number in .pyc file"));
    }
    let marshal = crate::import::import_absolute(vm, "marshal")?;
    let loads = getattr(vm, &marshal, &vm.intern("loads"))?;
    let code = call_object(vm, &loads, &[crate::types::bytes::new_bytes(vm, data[16..].to_vec())])?;
    if code.downcast::<crate::function::CodeData>().is_none() {
        return Err(vm.new_error(&vm.types.runtime_error, "Bad code object in .pyc file"));
    }
    Ok(code)
}

/// Sets `__loader__` of the `__main__` namespace as CPython's start-up
/// does: `SourceFileLoader('__main__', path)` for a script,
/// `BuiltinImporter` otherwise.
/// A compiled script (`compiled`) gets a `SourcelessFileLoader`.
pub fn set_main_loader(vm: &Vm, globals: &Obj, script: Option<&str>, compiled: bool) -> PyResult<()> {
    let Some(b) = bootstrap(vm) else { return Ok(()) };
    let loader = match script {
        Some(path) => {
            let Some(ext) = builtin::dict_get_str(vm, &vm.modules, "_frozen_importlib_external")? else { return Ok(()) };
            let cls = getattr(vm, &ext, &vm.intern(if compiled { "SourcelessFileLoader" } else { "SourceFileLoader" }))?;
            call_object(vm, &cls, &[new_str(vm, "__main__"), new_str(vm, path)])?
        }
        None => getattr(vm, &b, &vm.intern("BuiltinImporter"))?,
    };
    builtin::dict_set(vm, globals, vm.intern("__loader__"), loader)
}
