//! Module objects, `import` of the built-in modules the vm provides, and
//! those modules: `sys` and `math` (first cuts). Other names raise
//! `ModuleNotFoundError`: the import system over `sys.path` is the next
//! issue's.

use crate::classes::no_kwargs;
use crate::function::new_builtin_function;
use crate::object::{alloc, Obj};
use crate::types::builtin::{self, expect_int, new_str, new_tuple, str_data, IntData};
use crate::types::{Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;

/// A module: its name and namespace (`__dict__`).
pub struct ModuleData {
    pub name: Box<str>,
    pub dict: Obj,
}

pub fn module_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let name = o.downcast::<ModuleData>().map_or("?", |m| &m.name);
            Ok(new_str(vm, &format!("<module '{name}' (built-in)>")))
        }),
        getattro: Some(module_getattro),
        setattro: Some(|vm, o, name, value| {
            let Some(m) = o.downcast::<ModuleData>() else { return Err(vm.type_error("not a module")) };
            match value {
                Some(v) => builtin::dict_set(vm, &m.dict, name.clone(), v),
                None if builtin::dict_del(vm, &m.dict, name)? => Ok(()),
                None => Err(crate::classes::no_attribute(vm, o, name)),
            }
        }),
        traverse: Some(module_traverse),
        ..builtin::object_slots()
    }
}

/// A module's attributes: its dict, then the module type's attributes,
/// then the module's own `__getattr__` (PEP 562).
pub(crate) fn module_getattro(vm: &Vm, o: &Obj, name: &Obj) -> PyResult<Obj> {
    let Some(m) = o.downcast::<ModuleData>() else { return Err(vm.type_error("not a module")) };
    if let Some(v) = builtin::dict_get(vm, &m.dict, name)? {
        return Ok(v);
    }
    if str_data(name).as_str() == "__dict__" {
        return Ok(m.dict.clone());
    }
    if let Some(v) = crate::classes::generic_getattr_opt(vm, o, name)? {
        return Ok(v);
    }
    if let Some(f) = builtin::dict_get_str(vm, &m.dict, "__getattr__")? {
        return crate::classes::call_object(vm, &f, std::slice::from_ref(name));
    }
    Err(crate::classes::no_attribute(vm, o, name))
}

/// `sys.displayhook(value)`: prints `repr(value)` unless it is None and
/// keeps it as `builtins._`.
pub fn displayhook(vm: &Vm, v: &Obj) -> PyResult<()> {
    if v.is(&vm.none) {
        return Ok(());
    }
    let underscore = vm.intern("_");
    builtin::dict_set(vm, &vm.builtins, underscore.clone(), vm.none.clone())?;
    let text = crate::ops::repr(vm, v)?;
    let mut out = std::io::stdout().lock();
    let _ = std::io::Write::write_all(&mut out, str_data(&text).as_str().as_bytes());
    let _ = std::io::Write::write_all(&mut out, b"\n");
    let _ = std::io::Write::flush(&mut out);
    builtin::dict_set(vm, &vm.builtins, underscore, v.clone())
}

/// A module written in Rust (CPython's `PyModuleDef`): `init` fills the
/// namespace of a new module object that already has `__name__`, `__doc__`
/// and `__spec__`-less basics. Register definitions with
/// `Vm::add_native_modules`; `import` creates the module the first time it
/// is imported.
pub struct NativeModuleDef {
    pub name: &'static str,
    pub init: fn(&Vm, &Obj) -> PyResult<()>,
}

/// The modules the vm itself provides.
pub(crate) static VM_MODULES: &[NativeModuleDef] = &[
    NativeModuleDef { name: "sys", init: |vm, m| fill_items(vm, m, sys_contents) },
    NativeModuleDef { name: "math", init: |vm, m| fill_items(vm, m, crate::mathmodule::math_contents) },
    NativeModuleDef { name: "gc", init: |vm, m| fill_items(vm, m, crate::gc::gc_contents) },
    NativeModuleDef { name: "_weakref", init: |vm, m| fill_items(vm, m, crate::weakref::module_contents) },
];

fn fill_items(vm: &Vm, module: &Obj, fill: fn(&Vm, &mut Vec<(&'static str, Obj)>)) -> PyResult<()> {
    let mut items = Vec::new();
    fill(vm, &mut items);
    for (k, v) in items {
        add_attr(vm, module, k, v)?;
    }
    Ok(())
}

/// A new native module named `name`, initialised, if there is one.
pub fn builtin_module(vm: &Vm, name: &str) -> PyResult<Option<Obj>> {
    let Some(def) = vm.native_module(name) else { return Ok(None) };
    let module = new_native_module(vm, name);
    (def.init)(vm, &module)?;
    Ok(Some(module))
}

/// An empty module object named `name` (`__name__`, `__doc__` None).
pub fn new_native_module(vm: &Vm, name: &str) -> Obj {
    let dict = builtin::new_dict(vm);
    let _ = builtin::dict_set(vm, &dict, vm.intern("__name__"), new_str(vm, name));
    let _ = builtin::dict_set(vm, &dict, vm.intern("__doc__"), vm.none.clone());
    alloc(vm.types.module.clone(), ModuleData { name: name.into(), dict })
}

/// Sets `module.name = value` (`PyModule_AddObject`).
pub fn add_attr(vm: &Vm, module: &Obj, name: &str, value: Obj) -> PyResult<()> {
    let Some(m) = module.downcast::<ModuleData>() else { return Err(vm.type_error("not a module")) };
    builtin::dict_set(vm, &m.dict, vm.intern(name), value)
}

/// Adds a function to `module` for each entry of `defs`.
pub fn add_functions(vm: &Vm, module: &Obj, defs: &'static [crate::native::FunctionDef]) -> PyResult<()> {
    for def in defs {
        add_attr(vm, module, def.name, crate::function::new_builtin_function(vm, def.name, def.func))?;
    }
    Ok(())
}

fn sys_contents(vm: &Vm, items: &mut Vec<(&'static str, Obj)>) {
    let argv = vm.argv.borrow().iter().map(|a| new_str(vm, a)).collect();
    items.push(("argv", builtin::new_list(vm, argv)));
    items.push(("maxsize", vm.int(i64::MAX)));
    items.push(("byteorder", new_str(vm, "little")));
    items.push(("platform", new_str(vm, "linux")));
    items.push(("version_info", new_tuple(vm, vec![vm.int(3), vm.int(11), vm.int(7), new_str(vm, "final"), vm.int(0)])));
    items.push(("modules", vm.modules.clone()));
    let mut names = vm.native_module_names();
    names.push("builtins");
    names.sort_unstable();
    let names = names.into_iter().map(|n| new_str(vm, n)).collect();
    items.push(("builtin_module_names", new_tuple(vm, names)));
    items.push(("path", vm.path.clone()));
    items.push(("exit", new_builtin_function(vm, "exit", sys_exit)));
    items.push(("get_int_max_str_digits", new_builtin_function(vm, "get_int_max_str_digits", sys_get_int_max_str_digits)));
    items.push(("set_int_max_str_digits", new_builtin_function(vm, "set_int_max_str_digits", sys_set_int_max_str_digits)));
    let hook = new_builtin_function(vm, "unraisablehook", crate::gc::default_unraisablehook);
    items.push(("unraisablehook", hook.clone()));
    items.push(("__unraisablehook__", hook));
    items.push((
        "getrecursionlimit",
        new_builtin_function(vm, "getrecursionlimit", |vm, a, kw| {
            no_kwargs(vm, "getrecursionlimit", kw)?;
            if !a.is_empty() {
                return Err(vm.type_error(format!("sys.getrecursionlimit() takes no arguments ({} given)", a.len())));
            }
            Ok(vm.int(vm.recursion_limit.get() as i64))
        }),
    ));
    items.push((
        "setrecursionlimit",
        new_builtin_function(vm, "setrecursionlimit", |vm, a, kw| {
            no_kwargs(vm, "setrecursionlimit", kw)?;
            let [n] = a else { return Err(vm.type_error("setrecursionlimit() takes exactly one argument")) };
            let n = expect_int(vm, n, "")?;
            if n < 1 {
                return Err(vm.new_error(&vm.types.value_error, "recursion limit must be greater or equal than 1"));
            }
            vm.recursion_limit.set(n.min(u32::MAX as i64) as u32);
            Ok(vm.none.clone())
        }),
    ));
}

/// `sys.exit([arg])`: raises `SystemExit(arg)`.
fn sys_exit(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "exit", kw)?;
    if args.len() > 1 {
        return Err(vm.type_error(format!("exit expected at most 1 argument, got {}", args.len())));
    }
    Err(crate::PyErr { exc: builtin::new_exception(vm, &vm.types.system_exit, args.to_vec()) })
}

/// `sys.get_int_max_str_digits()`.
fn sys_get_int_max_str_digits(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    crate::native::exact::<0>(vm, "get_int_max_str_digits", args, kw)?;
    Ok(vm.int(builtin::max_str_digits() as i64))
}

/// `sys.set_int_max_str_digits(maxdigits)`: 0 (no limit) or at least 640.
fn sys_set_int_max_str_digits(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static PARAMS: crate::native::Params =
        crate::native::Params { fname: "set_int_max_str_digits", names: &["maxdigits"], posonly: 0, kwonly: 0, required: 1 };
    let [n] = crate::native::bind::<1>(vm, &PARAMS, args, kw)?;
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

/// The collector's view of a module: its dict.
pub(crate) fn module_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(m) = o.downcast::<ModuleData>() {
        visit(&m.dict);
    }
}
