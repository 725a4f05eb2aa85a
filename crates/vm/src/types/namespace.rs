//! `types.SimpleNamespace` (the type of `sys.implementation`): an object
//! whose attributes live in its `__dict__`, made from keyword arguments,
//! with a `namespace(a=1, b=2)` repr and equality by attributes.

use std::cell::RefCell;

use crate::native::MethodDef;
use crate::object::{alloc, Obj};
use crate::types::builtin::{self, new_str, new_tuple, str_data};
use crate::types::{is_subtype, type_data, type_of, Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::CompareOp;

/// The payload: the `__dict__`, made on first use.
pub struct NamespaceData {
    pub dict: RefCell<Option<Obj>>,
}

/// The `types.SimpleNamespace` type of this interpreter.
pub fn namespace_type(vm: &Vm) -> Obj {
    vm.native_type("types.SimpleNamespace", |vm| {
        let slots = Slots {
            new: Some(|_vm, cls, _args, _kw| Ok(alloc(cls.clone(), NamespaceData { dict: RefCell::new(None) }))),
            init: Some(namespace_init),
            repr: Some(namespace_repr),
            compare: Some(namespace_compare),
            hash: Some(|vm, o| Err(vm.type_error(format!("unhashable type: '{}'", builtin::type_name(o))))),
            traverse: Some(namespace_traverse),
            clear: Some(|o| {
                if let Some(n) = o.downcast::<NamespaceData>() {
                    let old = n.dict.try_borrow_mut().ok().and_then(|mut d| d.take());
                    drop(old);
                }
            }),
            ..Slots::default()
        };
        let ty = crate::native::new_type::<NamespaceData>(vm, "types.SimpleNamespace", &[], true, slots, NAMESPACE_METHODS, &[]);
        type_data(&ty).weakrefable.set(true);
        let doc = "A simple attribute-based namespace.\n\nSimpleNamespace(**kwargs)";
        type_data(&ty).dict.borrow_mut().insert("__doc__", new_str(vm, doc));
        crate::types::type_modified(&ty);
        ty
    })
}

/// A new, empty `SimpleNamespace`.
pub fn new_namespace(vm: &Vm) -> Obj {
    alloc(namespace_type(vm), NamespaceData { dict: RefCell::new(None) })
}

static NAMESPACE_METHODS: &[MethodDef] = &[MethodDef::method("__reduce__", namespace_reduce, "Return state information for pickling")];

fn dict_of(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    crate::classes::instance_dict(vm, o).ok_or_else(|| vm.type_error("namespace expected"))
}

fn namespace_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if !args.is_empty() {
        return Err(vm.type_error("no positional arguments expected"));
    }
    let d = dict_of(vm, this)?;
    for (k, v) in kw {
        builtin::dict_set(vm, &d, k.clone(), v.clone())?;
    }
    Ok(vm.none.clone())
}

fn namespace_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let ty = type_of(o);
    let name = if ty.is(&namespace_type(vm)) { "namespace".to_string() } else { type_data(&ty).name.to_string() };
    let Some(_guard) = crate::types::container::ReprGuard::enter(vm, o) else {
        return Ok(new_str(vm, &format!("{name}(...)")));
    };
    let d = dict_of(vm, o)?;
    let mut parts = Vec::new();
    for (k, v) in builtin::dict_items(&d) {
        if k.downcast::<builtin::StrData>().is_some() {
            let r = crate::ops::repr(vm, &v)?;
            parts.push(format!("{}={}", str_data(&k).as_str(), str_data(&r).as_str()));
        }
    }
    Ok(new_str(vm, &format!("{name}({})", parts.join(", "))))
}

fn namespace_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let ns = namespace_type(vm);
    let both = is_subtype(&type_of(a), &ns) && is_subtype(&type_of(b), &ns);
    if !both || !matches!(op, CompareOp::Eq | CompareOp::Ne) {
        return Ok(vm.not_implemented.clone());
    }
    let (da, db) = (dict_of(vm, a)?, dict_of(vm, b)?);
    crate::ops::compare(vm, op, &da, &db)
}

fn namespace_reduce(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    crate::native::exact::<0>(vm, "__reduce__", args, kw)?;
    let d = dict_of(vm, this)?;
    Ok(new_tuple(vm, vec![type_of(this), new_tuple(vm, vec![]), d]))
}

fn namespace_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(n) = o.downcast::<NamespaceData>() {
        if let Ok(d) = n.dict.try_borrow() {
            if let Some(d) = &*d {
                visit(d);
            }
        }
    }
}
