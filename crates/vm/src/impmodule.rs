//! `_imp`: the hooks `importlib._bootstrap` calls into the interpreter
//! for: built-in (native) modules, the global import lock, frozen modules
//! (Taipan has none), extension suffixes (none: no C extensions), and the
//! PEP 552 source hash.

use std::cell::Cell;

use crate::classes::getattr_opt;
use crate::native::{self, FunctionDef, Params};
use crate::object::Obj;
use crate::types::builtin::{self, new_list, new_str, StrData};
use crate::types::Kwargs;
use crate::vm::Vm;
use crate::PyResult;

/// The import lock: a re-entrant count (one thread runs Python at a time).
#[derive(Default)]
struct ImportLock {
    depth: Cell<u32>,
}

pub(crate) fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    crate::modules::add_functions(vm, m, FUNCS)?;
    crate::modules::add_attr(vm, m, "check_hash_based_pycs", new_str(vm, "default"))
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("is_builtin", is_builtin, "Returns True if the module name corresponds to a built-in module."),
    FunctionDef::new("create_builtin", create_builtin, "Create an extension module."),
    FunctionDef::new("exec_builtin", exec_builtin, "Initialize a built-in module."),
    FunctionDef::new("is_frozen", is_frozen, "Returns True if the module name corresponds to a frozen module."),
    FunctionDef::new("is_frozen_package", not_frozen, "Returns True if the module name is of a frozen package."),
    FunctionDef::new("get_frozen_object", not_frozen, "Create a code object for a frozen module."),
    FunctionDef::new("init_frozen", init_frozen, "Initializes a frozen module."),
    FunctionDef::new("find_frozen", find_frozen, "Return info about the corresponding frozen module (if there is one) or None."),
    FunctionDef::new("_frozen_module_names", frozen_module_names, "Returns the list of available frozen modules."),
    FunctionDef::new(
        "_override_frozen_modules_for_tests",
        override_frozen_modules,
        "(internal-only) Override PyConfig.use_frozen_modules.",
    ),
    FunctionDef::new("acquire_lock", acquire_lock, "Acquires the interpreter's import lock for the current thread."),
    FunctionDef::new("release_lock", release_lock, "Release the interpreter's import lock."),
    FunctionDef::new("lock_held", lock_held, "Return True if the import lock is currently held, else False."),
    FunctionDef::new("extension_suffixes", extension_suffixes, "Returns the list of file suffixes used to identify extension modules."),
    FunctionDef::new("_fix_co_filename", fix_co_filename, "Changes code.co_filename to specify the passed-in file path."),
    FunctionDef::new("_taipan_find_imports", find_imports, "Taipan: dis._find_imports for Taipan's instructions."),
    FunctionDef::new("_taipan_find_store_names", find_store_names, "Taipan: dis._find_store_names for Taipan's instructions."),
    FunctionDef::new("source_hash", source_hash, "Return the hash of the source, as PEP 552 hash-based pycs use."),
    FunctionDef::new("create_dynamic", create_dynamic, "Create an extension module."),
    FunctionDef::new("exec_dynamic", exec_builtin, "Initialize an extension module."),
];

fn str_arg(vm: &Vm, fname: &str, o: &Obj) -> PyResult<String> {
    match o.downcast::<StrData>() {
        Some(s) => Ok(s.as_str().into_owned()),
        None => Err(vm.type_error(format!("{fname}() argument must be str, not {}", builtin::type_name(o)))),
    }
}

/// 1 for a native module, -1 for `sys` and `builtins` (which cannot be
/// initialised again), 0 otherwise.
fn is_builtin(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name] = native::exact::<1>(vm, "is_builtin", args, kw)?;
    let name = str_arg(vm, "is_builtin", &name)?;
    Ok(vm.int(match name.as_str() {
        "sys" | "builtins" => -1,
        n if vm.native_module(n).is_some() => 1,
        _ => 0,
    }))
}

/// `create_builtin(spec)`: the native module `spec.name` (the existing one
/// for `sys` and `builtins`), or None when there is no such module.
fn create_builtin(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [spec] = native::exact::<1>(vm, "create_builtin", args, kw)?;
    let name = crate::classes::getattr(vm, &spec, &vm.intern("name"))?;
    let name = str_arg(vm, "create_builtin", &name)?;
    if name == "builtins" || (name == "sys" && vm.native_module("sys").is_none()) {
        if let Some(m) = builtin::dict_get_str(vm, &vm.modules, &name)? {
            return Ok(m);
        }
    }
    Ok(crate::modules::builtin_module(vm, &name)?.unwrap_or_else(|| vm.none.clone()))
}

/// `exec_builtin(mod)`: native modules are initialised by `create_builtin`.
fn exec_builtin(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    native::exact::<1>(vm, "exec_builtin", args, kw)?;
    Ok(vm.int(0))
}

fn is_frozen(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name] = native::exact::<1>(vm, "is_frozen", args, kw)?;
    str_arg(vm, "is_frozen", &name)?;
    Ok(vm.false_.clone())
}

/// `get_frozen_object`/`is_frozen_package`: there are no frozen modules.
fn not_frozen(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name, _] = native::at_most::<2>(vm, "get_frozen_object", 1, args, kw)?;
    let name = name.map(|n| crate::ops::repr(vm, &n)).transpose()?;
    let name = name.map(|n| builtin::str_data(&n).as_str().into_owned()).unwrap_or_default();
    let e = builtin::new_exception(vm, &vm.types.import_error, vec![new_str(vm, &format!("No such frozen object named {name}"))]);
    Err(crate::PyErr { exc: e })
}

fn init_frozen(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    native::exact::<1>(vm, "init_frozen", args, kw)?;
    Ok(vm.none.clone())
}

fn find_frozen(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "find_frozen", names: &["name", "withdata"], posonly: 1, kwonly: 1, required: 1 };
    let [name, _] = native::bind::<2>(vm, &P, args, kw)?;
    str_arg(vm, "find_frozen", name.as_ref().unwrap_or(&vm.none))?;
    Ok(vm.none.clone())
}

fn frozen_module_names(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    native::exact::<0>(vm, "_frozen_module_names", args, kw)?;
    Ok(builtin::new_tuple(vm, Vec::new()))
}

fn acquire_lock(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    native::exact::<0>(vm, "acquire_lock", args, kw)?;
    let lock = vm.state::<ImportLock>();
    lock.depth.set(lock.depth.get() + 1);
    Ok(vm.none.clone())
}

fn release_lock(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    native::exact::<0>(vm, "release_lock", args, kw)?;
    let lock = vm.state::<ImportLock>();
    match lock.depth.get() {
        0 => Err(vm.new_error(&vm.types.runtime_error, "not holding the import lock")),
        n => {
            lock.depth.set(n - 1);
            Ok(vm.none.clone())
        }
    }
}

fn lock_held(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    native::exact::<0>(vm, "lock_held", args, kw)?;
    Ok(vm.bool(vm.state::<ImportLock>().depth.get() > 0))
}

fn extension_suffixes(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    native::exact::<0>(vm, "extension_suffixes", args, kw)?;
    Ok(new_list(vm, Vec::new()))
}

/// `_fix_co_filename(code, path)`. Code objects are immutable here, and
/// the Rust loader already gives cached code the path it was found at
/// (`pycache::read`), so this only checks its arguments.
fn fix_co_filename(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [code, path] = native::exact::<2>(vm, "_fix_co_filename", args, kw)?;
    if code.downcast::<crate::function::CodeData>().is_none() {
        return Err(vm.type_error(format!("_fix_co_filename() argument 1 must be code, not {}", builtin::type_name(&code))));
    }
    str_arg(vm, "_fix_co_filename", &path)?;
    Ok(vm.none.clone())
}

/// `_taipan_find_imports(code)`: the standard library's `dis` module is
/// given this as its `_find_imports` (`import::DIS_TAIPAN`): an iterator
/// of `(name, level, fromlist)` read from Taipan's own instructions.
fn find_imports(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [code] = native::exact::<1>(vm, "_taipan_find_imports", args, kw)?;
    let items = crate::function::find_imports(vm, &code)?;
    crate::ops::iter(vm, &new_list(vm, items))
}

/// `_taipan_find_store_names(code)`: `dis._find_store_names` likewise
/// (the names `StoreName`/`StoreGlobal` bind).
fn find_store_names(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [code] = native::exact::<1>(vm, "_taipan_find_store_names", args, kw)?;
    let items = crate::function::find_store_names(vm, &code)?;
    crate::ops::iter(vm, &new_list(vm, items))
}

/// `source_hash(key, source)`: SipHash-1-3 keyed by `key`, 8 bytes
/// little-endian (CPython's `_Py_KeyedHash`).
fn source_hash(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "source_hash", names: &["key", "source"], posonly: 0, kwonly: 0, required: 2 };
    let [key, source] = native::bind::<2>(vm, &P, args, kw)?;
    let (key, source) = (key.unwrap_or_else(|| vm.none.clone()), source.unwrap_or_else(|| vm.none.clone()));
    if key.downcast::<builtin::IntData>().is_none() {
        return Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer", builtin::type_name(&key))));
    }
    // A C long, reinterpreted as uint64_t.
    let key = builtin::expect_int(vm, &key, "")? as u64;
    let Some(data) = crate::types::bytes::as_buffer(&source) else {
        return Err(vm.type_error(format!("a bytes-like object is required, not '{}'", builtin::type_name(&source))));
    };
    let h = crate::pycache::source_hash(key, &data);
    Ok(crate::types::bytes::new_bytes(vm, h.to_le_bytes().to_vec()))
}

/// There are no C extension modules.
fn create_dynamic(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [spec, _] = native::at_most::<2>(vm, "create_dynamic", 1, args, kw)?;
    let name = match spec {
        Some(s) => getattr_opt(vm, &s, &vm.intern("name"))?,
        None => None,
    };
    let name = name.and_then(|n| n.downcast::<StrData>().map(|s| s.as_str().into_owned())).unwrap_or_default();
    let e = builtin::new_exception(vm, &vm.types.import_error, vec![new_str(vm, &format!("Taipan cannot load extension module '{name}'"))]);
    Err(crate::PyErr { exc: e })
}

/// `_imp._override_frozen_modules_for_tests(override)`: Taipan freezes no
/// modules (`find_frozen` is always None), so whether tests prefer frozen
/// modules changes nothing; the argument is still checked.
fn override_frozen_modules(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [o] = crate::native::exact::<1>(vm, "_override_frozen_modules_for_tests", args, kw)?;
    crate::types::builtin::expect_int(vm, &o, "")?;
    Ok(vm.none.clone())
}
