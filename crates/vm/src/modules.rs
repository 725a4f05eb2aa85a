//! Module objects and the registry of built-in (native) modules: the vm's
//! own (`sys` in `sysmodule.rs`, `math`, `gc`, `_weakref`) and those other
//! crates register.

use crate::object::{alloc, Obj};
use crate::types::builtin::{self, new_str, str_data};
use crate::types::Slots;
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
            if let Some(r) = crate::importlib::module_repr(vm, o) {
                return r;
            }
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
        new: Some(|vm, cls, _args, _kw| Ok(alloc(cls.clone(), ModuleData { name: "?".into(), dict: builtin::new_dict(vm) }))),
        init: Some(module_init),
        ..builtin::object_slots()
    }
}

/// Methods of the module type.
pub(crate) static MODULE_METHODS: &[crate::native::MethodDef] =
    &[crate::native::MethodDef::method("__dir__", module_dir, "__dir__() -> list\nspecialized dir() implementation")];

/// Attributes of the module type: `__dict__`, so that
/// `object.__getattribute__(module, "__dict__")` (used by
/// `inspect.getattr_static`) finds the namespace as CPython's member does.
pub(crate) static MODULE_GETSETS: &[crate::native::GetSetDef] = &[crate::native::GetSetDef::readonly("__dict__", module_dict, "")];

fn module_dict(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    match this.downcast::<ModuleData>() {
        Some(m) => Ok(m.dict.clone()),
        None => Err(vm.type_error("descriptor '__dict__' for 'module' objects doesn't apply to this object")),
    }
}

/// `module.__dir__()`: the module's own `__dir__` function (PEP 562) if
/// its namespace has one, else the namespace's names (not the type's).
fn module_dir(vm: &Vm, this: &Obj, args: &[Obj], kw: crate::types::Kwargs) -> PyResult<Obj> {
    crate::native::exact::<0>(vm, "__dir__", args, kw)?;
    let dict = crate::classes::getattr(vm, this, &vm.intern("__dict__"))?;
    let Some(d) = dict.downcast::<builtin::DictData>().map(|_| dict.clone()) else {
        let name = this.downcast::<ModuleData>().map_or("?", |m| &m.name).to_string();
        return Err(vm.type_error(format!("<module '{name}'>.__dict__ is not a dictionary")));
    };
    if let Some(f) = builtin::dict_get_str(vm, &d, "__dir__")? {
        return crate::classes::call_object(vm, &f, &[]);
    }
    Ok(builtin::new_list(vm, builtin::dict_items(&d).into_iter().map(|(k, _)| k).collect()))
}

/// `module.__init__(name, doc=None)`.
fn module_init(vm: &Vm, this: &Obj, args: &[Obj], kw: crate::types::Kwargs) -> PyResult<Obj> {
    static PARAMS: crate::native::Params =
        crate::native::Params { fname: "module", names: &["name", "doc"], posonly: 0, kwonly: 0, required: 1 };
    let [name, doc] = crate::native::bind::<2>(vm, &PARAMS, args, kw)?;
    let name = name.unwrap_or_else(|| vm.none.clone());
    if name.downcast::<builtin::StrData>().is_none() {
        return Err(vm.type_error(format!("module.__init__() argument 'name' must be str, not {}", builtin::type_name(&name))));
    }
    let Some(m) = this.downcast::<ModuleData>() else { return Err(vm.type_error("not a module")) };
    builtin::dict_set(vm, &m.dict, vm.intern("__name__"), name)?;
    builtin::dict_set(vm, &m.dict, vm.intern("__doc__"), doc.unwrap_or_else(|| vm.none.clone()))?;
    for k in ["__package__", "__loader__", "__spec__"] {
        builtin::dict_set(vm, &m.dict, vm.intern(k), vm.none.clone())?;
    }
    Ok(vm.none.clone())
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
    crate::stdio::write(vm, "stdout", &str_data(&text).as_str())?;
    crate::stdio::write(vm, "stdout", "\n")?;
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
    NativeModuleDef { name: "sys", init: crate::sysmodule::init },
    NativeModuleDef { name: "math", init: |vm, m| fill_items(vm, m, crate::mathmodule::math_contents) },
    NativeModuleDef { name: "gc", init: |vm, m| fill_items(vm, m, crate::gc::gc_contents) },
    NativeModuleDef { name: "_weakref", init: |vm, m| fill_items(vm, m, crate::weakref::module_contents) },
    NativeModuleDef { name: "_imp", init: crate::impmodule::init },
    NativeModuleDef { name: "_ast", init: crate::astmodule::init },
    NativeModuleDef { name: "_thread", init: crate::threadmodule::init },
    NativeModuleDef { name: "_warnings", init: crate::warnings::init },
    crate::testinternalcapi::MODULE,
    crate::tracemalloc::MODULE,
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
    // A module's built-in functions know their module (`__self__`, `__module__`).
    crate::function::set_builtin_module(&value, module);
    builtin::dict_set(vm, &m.dict, vm.intern(name), value)
}

/// Adds a function to `module` for each entry of `defs`.
pub fn add_functions(vm: &Vm, module: &Obj, defs: &'static [crate::native::FunctionDef]) -> PyResult<()> {
    for def in defs {
        let f = crate::function::new_builtin_function(vm, def.name, def.func);
        if let Some(b) = f.downcast::<crate::function::BuiltinFunctionData>() {
            b.doc.set(def.doc);
        }
        add_attr(vm, module, def.name, f)?;
    }
    Ok(())
}

/// The collector's view of a module: its dict.
pub(crate) fn module_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(m) = o.downcast::<ModuleData>() {
        visit(&m.dict);
    }
}
