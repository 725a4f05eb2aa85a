//! Code objects, Python functions and built-in functions.

use std::cell::Cell;
use std::rc::Rc;

use crate::object::{alloc, Obj};
use crate::types::builtin::{self, new_str, new_tuple};
use crate::types::Slots;
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::{CodeUnit, Const};

/// A code object: the compiler's code unit plus its constants and names
/// as Python objects, made once.
pub struct CodeData {
    pub unit: Rc<CodeUnit>,
    pub consts: Box<[Obj]>,
    /// `names` as str objects (globals, attributes).
    pub names: Box<[Obj]>,
    /// The inline caches of the eval loop, one per instruction word
    /// (indexed by the instruction's position; only instructions with
    /// `Opcode::cache_words() > 0` use theirs). Plain numbers, no
    /// objects: see `eval`'s cache kinds for what each is keyed on.
    pub caches: Box<[Cell<CacheEntry>]>,
}

/// One inline-cache entry: `kind` says what was specialised (0: nothing
/// yet), `tag`/`tag2` are the version tags it is valid for, `index` a
/// position (a dict entry) or a count.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct CacheEntry {
    pub tag: u64,
    pub tag2: u64,
    pub index: u32,
    pub kind: u32,
}

/// Turns a compiled code unit into a code object.
pub fn new_code(vm: &Vm, unit: CodeUnit) -> Obj {
    let consts = unit.consts.iter().map(|c| const_to_obj(vm, c)).collect();
    let names = unit.names.iter().map(|n| vm.intern(n)).collect();
    let caches = (0..unit.code.len()).map(|_| Cell::new(CacheEntry::default())).collect();
    alloc(vm.types.code.clone(), CodeData { unit: Rc::new(unit), consts, names, caches })
}

fn const_to_obj(vm: &Vm, c: &Const) -> Obj {
    use taipan_parser::ast::IntValue;
    match c {
        Const::None => vm.none.clone(),
        Const::Bool(b) => vm.bool(*b),
        Const::Ellipsis => vm.ellipsis.clone(),
        Const::Int(IntValue::Small(v)) => vm.int(*v),
        Const::Int(IntValue::Big(digits)) => match digits.parse::<num_bigint::BigInt>() {
            Ok(b) => builtin::new_int_big(vm, b),
            Err(_) => vm.int(0),
        },
        Const::Float(f) => alloc(vm.types.float.clone(), *f),
        Const::Complex { real, imag } => crate::types::complex::new_complex(vm, *real, *imag),
        Const::Str(s) => builtin::new_str_wtf8(vm, s.clone()),
        Const::Bytes(b) => crate::types::bytes::new_bytes(vm, b.to_vec()),
        Const::Tuple(items) => new_tuple(vm, items.iter().map(|c| const_to_obj(vm, c)).collect()),
        Const::Code(u) => new_code(vm, (**u).clone()),
    }
}

/// A Python function: code, the globals it runs in, defaults.
pub struct FunctionData {
    pub code: Obj,
    pub globals: Obj,
    pub name: Obj,
    pub qualname: Obj,
    pub defaults: Vec<Obj>,
    /// Defaults of keyword-only parameters, by name.
    pub kwdefaults: Vec<(Box<str>, Obj)>,
    /// Cells for the code's free variables.
    pub closure: Vec<Obj>,
    /// `__dict__` (function attributes), created on first use.
    pub dict: std::cell::RefCell<Option<Obj>>,
    /// `__annotations__`, a dict made on first use.
    pub annotations: std::cell::RefCell<Option<Obj>>,
}

pub static FUNCTION_GETSETS: &[crate::native::GetSetDef] = &[crate::native::GetSetDef::readonly(
    "__annotations__",
    |vm, f| {
        let Some(fd) = f.downcast::<FunctionData>() else { return Ok(vm.none.clone()) };
        let mut slot = fd.annotations.borrow_mut();
        match &*slot {
            Some(d) => Ok(d.clone()),
            None => {
                let d = builtin::new_dict(vm);
                *slot = Some(d.clone());
                Ok(d)
            }
        }
    },
    "",
)];

pub fn function_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let name = o.downcast::<FunctionData>().map(|f| builtin::str_data(&f.qualname).as_str().into_owned()).unwrap_or_default();
            Ok(new_str(vm, &format!("<function {name} at {:#x}>", o.as_ptr() as usize)))
        }),
        getattro: Some(function_getattro),
        // Functions are non-data descriptors: found on a class through an
        // instance they bind to it.
        descr_get: Some(|vm, f, obj, _owner| match obj {
            None => Ok(f.clone()),
            Some(o) if o.is(&vm.none) => Ok(f.clone()),
            Some(o) => Ok(alloc(vm.types.method.clone(), crate::classes::MethodData { func: f.clone(), self_: o.clone() })),
        }),
        traverse: Some(function_traverse),
        clear: Some(function_clear),
        ..builtin::object_slots()
    }
}

/// Attributes of functions: the `__dict__` first (so that assigning
/// `__name__`, `__doc__`, ... as `functools.wraps` does overrides them),
/// then the values the function object holds.
fn function_getattro(vm: &Vm, o: &Obj, name: &Obj) -> PyResult<Obj> {
    if let Some(v) = crate::classes::generic_getattr_opt(vm, o, name)? {
        return Ok(v);
    }
    let Some(f) = o.downcast::<FunctionData>() else { return Err(crate::classes::no_attribute(vm, o, name)) };
    let code = f.code.downcast::<CodeData>();
    let v = match &*builtin::str_data(name).as_str() {
        "__name__" => f.name.clone(),
        "__qualname__" => f.qualname.clone(),
        "__doc__" => match code.and_then(|c| c.consts.first()) {
            Some(d) if d.downcast::<builtin::StrData>().is_some() => d.clone(),
            _ => vm.none.clone(),
        },
        "__module__" => builtin::dict_get_str(vm, &f.globals, "__name__")?.unwrap_or_else(|| vm.none.clone()),
        "__globals__" => f.globals.clone(),
        "__code__" => f.code.clone(),
        "__defaults__" if f.defaults.is_empty() => vm.none.clone(),
        "__defaults__" => new_tuple(vm, f.defaults.clone()),
        "__kwdefaults__" if f.kwdefaults.is_empty() => vm.none.clone(),
        "__kwdefaults__" => {
            let d = builtin::new_dict(vm);
            for (k, v) in &f.kwdefaults {
                builtin::dict_set(vm, &d, vm.intern(k), v.clone())?;
            }
            d
        }
        "__closure__" if f.closure.is_empty() => vm.none.clone(),
        "__closure__" => new_tuple(vm, f.closure.clone()),
        _ => return Err(crate::classes::no_attribute(vm, o, name)),
    };
    Ok(v)
}

/// The signature of a function written in Rust.
pub type BuiltinFn = fn(&Vm, &[Obj], crate::types::Kwargs) -> PyResult<Obj>;

/// A function written in Rust.
pub struct BuiltinFunctionData {
    pub name: &'static str,
    pub func: BuiltinFn,
    /// The function reads its caller's namespaces (`globals()`, `exec`):
    /// the eval loop publishes them in `vm.frame_views` for the call.
    pub reads_caller_frame: bool,
}

pub fn builtin_function_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let name = o.downcast::<BuiltinFunctionData>().map_or("?", |f| f.name);
            Ok(new_str(vm, &format!("<built-in function {name}>")))
        }),
        call: Some(|vm, o, args, kw| match o.downcast::<BuiltinFunctionData>() {
            Some(f) => (f.func)(vm, args, kw),
            None => Err(vm.type_error("not callable")),
        }),
        ..builtin::object_slots()
    }
}

pub fn new_builtin_function(vm: &Vm, name: &'static str, func: BuiltinFn) -> Obj {
    alloc_builtin_function(vm, name, func, false)
}

/// A builtin that reads its caller's namespaces (see
/// `BuiltinFunctionData::reads_caller_frame`).
pub fn new_frame_reading_function(vm: &Vm, name: &'static str, func: BuiltinFn) -> Obj {
    alloc_builtin_function(vm, name, func, true)
}

fn alloc_builtin_function(vm: &Vm, name: &'static str, func: BuiltinFn, reads_caller_frame: bool) -> Obj {
    let f = alloc(vm.types.builtin_function.clone(), BuiltinFunctionData { name, func, reads_caller_frame });
    f.make_immortal();
    f
}

/// The collector's view of a function: globals, defaults, closure cells,
/// `__dict__` (and its code and names, which are leaves).
pub(crate) fn function_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    let Some(f) = o.downcast::<FunctionData>() else { return };
    visit(&f.globals);
    for x in f.defaults.iter() {
        visit(x);
    }
    f.kwdefaults.iter().for_each(|(_, x)| visit(x));
    for x in f.closure.iter() {
        visit(x);
    }
    if let Ok(d) = f.dict.try_borrow() {
        if let Some(d) = &*d {
            visit(d);
        }
    }
}

/// Only the `__dict__` can go (the other fields are fixed); cycles
/// through globals break when the module dict is cleared.
pub(crate) fn function_clear(o: &Obj) {
    let Some(f) = o.downcast::<FunctionData>() else { return };
    let old = f.dict.try_borrow_mut().ok().and_then(|mut d| d.take());
    drop(old);
}
