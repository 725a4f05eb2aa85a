//! Small helpers shared by this crate's modules: argument conversions with
//! CPython's messages, attribute and method calls by name.

use taipan_vm::classes;
use taipan_vm::object::Obj;
use taipan_vm::ops;
use taipan_vm::types::builtin::IntData;
use taipan_vm::types::Kwargs;
use taipan_vm::{PyResult, Vm};

/// `o` as an index-sized integer (`PyNumber_AsSsize_t(o, OverflowError)`):
/// through `__index__`, CPython's errors for non-integers and overflow.
pub fn to_isize(vm: &Vm, o: &Obj) -> PyResult<isize> {
    let i = ops::index(vm, o)?;
    match i.downcast::<IntData>() {
        Some(IntData::Small(v)) => Ok(*v as isize),
        _ => Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C ssize_t")),
    }
}

/// Calls any callable (Python functions included).
pub fn call(vm: &Vm, f: &Obj, args: &[Obj]) -> PyResult<Obj> {
    classes::call_object(vm, f, args)
}

/// Calls any callable with keyword arguments.
pub fn call_kw(vm: &Vm, f: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    classes::call_object_kw(vm, f, args, kw)
}

/// `getattr(o, name)`.
pub fn getattr(vm: &Vm, o: &Obj, name: &str) -> PyResult<Obj> {
    classes::getattr(vm, o, &vm.intern(name))
}

/// `getattr(o, name, None)` without the `None` (AttributeError only).
pub fn getattr_opt(vm: &Vm, o: &Obj, name: &str) -> PyResult<Option<Obj>> {
    classes::getattr_opt(vm, o, &vm.intern(name))
}

/// `o.name(*args)`.
pub fn call_method(vm: &Vm, o: &Obj, name: &str, args: &[Obj]) -> PyResult<Obj> {
    let m = getattr(vm, o, name)?;
    call(vm, &m, args)
}

/// `repr(o)` as a Rust string.
pub fn repr(vm: &Vm, o: &Obj) -> PyResult<String> {
    taipan_vm::types::builtin::repr_string(vm, o)
}

/// `a < b` as a bool.
pub fn lt(vm: &Vm, a: &Obj, b: &Obj) -> PyResult<bool> {
    let r = ops::compare(vm, taipan_vm::CompareOp::Lt, a, b)?;
    ops::truth(vm, &r)
}

/// `_PyArg_CheckPositional(name, nargs, N, N)` plus no keywords:
/// "cycle expected 1 argument, got 0".
pub fn exact_named<const N: usize>(vm: &Vm, name: &str, args: &[Obj], kw: Kwargs) -> PyResult<[Obj; N]> {
    taipan_vm::native::no_kwargs(vm, name, kw)?;
    if args.len() != N {
        let s = if N == 1 { "" } else { "s" };
        return Err(vm.type_error(format!("{name} expected {N} argument{s}, got {}", args.len())));
    }
    Ok(std::array::from_fn(|i| args[i].clone()))
}

/// Whether `e` is an instance of the exception class `ty`.
pub fn is_error(e: &taipan_vm::PyErr, ty: &Obj) -> bool {
    taipan_vm::types::is_subtype(&taipan_vm::types::type_of(&e.exc), ty)
}

/// `list(o)` as a vector (`PySequence_Tuple`: "'int' object is not
/// iterable" for non-iterables).
pub fn collect(vm: &Vm, o: &Obj) -> PyResult<Vec<Obj>> {
    if let Some(t) = o.downcast::<taipan_vm::types::builtin::TupleData>() {
        return Ok(t.items.to_vec());
    }
    if let Some(l) = o.downcast::<taipan_vm::types::builtin::ListData>() {
        if !taipan_vm::types::type_data_of(o).instances.owns_type {
            return Ok(l.items.borrow().clone());
        }
    }
    let it = ops::iter(vm, o)?;
    let mut out = Vec::new();
    while let Some(x) = ops::next(vm, &it)? {
        out.push(x);
    }
    Ok(out)
}

#[derive(Default)]
struct ExceptionClasses(std::cell::RefCell<Vec<(&'static str, Obj)>>);

/// A module's exception class, made once per interpreter: `dotted` is
/// `"module.Name"` (the class's `__module__` and `__name__`), `bases` its
/// bases (`Exception` if empty).
pub fn exception_class(vm: &Vm, dotted: &'static str, bases: &[Obj]) -> PyResult<Obj> {
    let state = vm.state::<ExceptionClasses>();
    if let Some((_, t)) = state.0.borrow().iter().find(|(k, _)| *k == dotted) {
        return Ok(t.clone());
    }
    let (module, name) = dotted.rsplit_once('.').unwrap_or(("builtins", dotted));
    let ns = taipan_vm::types::builtin::new_dict(vm);
    taipan_vm::types::builtin::dict_set(vm, &ns, vm.intern("__module__"), taipan_vm::types::builtin::new_str(vm, module))?;
    let bases = if bases.is_empty() { vec![vm.types.exception.clone()] } else { bases.to_vec() };
    let t = classes::new_class(vm, &vm.types.type_, name, bases, &ns, &[])?;
    state.0.borrow_mut().push((dotted, t.clone()));
    Ok(t)
}

/// The `DeprecationWarning` that 3.11's PEP 594 modules (`audioop`,
/// `spwd`, `ossaudiodev`, ...) give when they are first imported; it points
/// at the import statement.
pub fn warn_deprecated_module(vm: &Vm, name: &str) -> PyResult<()> {
    let warnings = taipan_vm::import::import_absolute(vm, "_warnings")?;
    let category = vm.exception_type("DeprecationWarning").unwrap_or_else(|| vm.types.exception.clone());
    let msg = taipan_vm::types::builtin::new_str(vm, &format!("'{name}' is deprecated and slated for removal in Python 3.13"));
    call_method(vm, &warnings, "warn", &[msg, category, vm.int(1)])?;
    Ok(())
}
