//! `_contextvars`: `ContextVar`, `Token`, `Context` and `copy_context`
//! (PEP 567, CPython's `Python/context.c`). A context's mapping is a dict
//! keyed by the variables (identity hash); `Context.copy` snapshots it, so
//! contexts behave as CPython's immutable-map ones do.
//!
//! The current context is per thread: `Vm::context`, part of the state a
//! thread keeps while another holds the GIL (as CPython keeps it on the
//! thread state).

use std::cell::{Cell, RefCell};

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{at_most, bind, exact, new_type, FunctionDef, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::ops;
use taipan_vm::types::builtin::{
    dict_copy, dict_del, dict_get, dict_items, dict_len, dict_set, key_error, new_dict, new_list, new_str, new_tuple, object_slots,
    type_name, StrData,
};
use taipan_vm::types::{type_data, Kwargs, Slots};
use taipan_vm::{PyResult, Vm};

use crate::util;

fn get<'a, T: 'static>(vm: &Vm, o: &'a Obj) -> PyResult<&'a T> {
    o.downcast::<T>().ok_or_else(|| vm.type_error(format!("unexpected '{}' object", type_name(o))))
}

#[derive(Default)]
struct CtxState {
    missing: RefCell<Option<Obj>>,
}

pub struct Context {
    vars: RefCell<Obj>,
    entered: Cell<bool>,
    prev: RefCell<Option<Obj>>,
}

pub struct ContextVar {
    name: Obj,
    default: Option<Obj>,
    /// The last lookup (CPython's `var_cached`): a context's variables
    /// dict and this variable's value in it. Those dicts are never changed
    /// in place (a `set` replaces the context's dict by a copy), so the
    /// same dict object gives the same value; holding it keeps its
    /// address from being reused.
    cache: RefCell<Option<(Obj, Option<Obj>)>>,
}

impl ContextVar {
    fn new(name: Obj, default: Option<Obj>) -> ContextVar {
        ContextVar { name, default, cache: RefCell::new(None) }
    }
}

/// The value of `var` (whose payload is `v`) in the dict of variables
/// `vars`, through the variable's one-entry cache.
fn lookup(vm: &Vm, var: &Obj, v: &ContextVar, vars: &Obj) -> PyResult<Option<Obj>> {
    if let Ok(c) = v.cache.try_borrow() {
        if let Some((d, value)) = &*c {
            if d.is(vars) {
                return Ok(value.clone());
            }
        }
    }
    let value = dict_get(vm, vars, var)?;
    let old = v.cache.try_borrow_mut().ok().map(|mut c| c.replace((vars.clone(), value.clone())));
    drop(old);
    Ok(value)
}

pub struct Token {
    ctx: Obj,
    var: Obj,
    /// `None`: the variable had no value (`Token.MISSING`).
    old: Option<Obj>,
    used: Cell<bool>,
}

/// The `Token.MISSING` marker.
pub struct Missing;

fn new_context(vm: &Vm, vars: Obj) -> Obj {
    alloc(context_type(vm), Context { vars: RefCell::new(vars), entered: Cell::new(false), prev: RefCell::new(None) })
}

/// The current context, created empty on first use.
fn current(vm: &Vm) -> Obj {
    let c = vm.context.borrow().clone();
    match c {
        Some(c) => c,
        None => {
            let c = new_context(vm, new_dict(vm));
            *vm.context.borrow_mut() = Some(c.clone());
            c
        }
    }
}

fn missing(vm: &Vm) -> Obj {
    let st = vm.state::<CtxState>();
    let m = st.missing.borrow().clone();
    match m {
        Some(m) => m,
        None => {
            let ty = vm.native_type("Token.MISSING", |vm| {
                let slots = Slots { repr: Some(|vm, _| Ok(new_str(vm, "<Token.MISSING>"))), ..object_slots() };
                new_type::<Missing>(vm, "Token.MISSING", &[], false, slots, &[], &[])
            });
            let m = alloc(ty, Missing);
            *st.missing.borrow_mut() = Some(m.clone());
            m
        }
    }
}

fn check_var(vm: &Vm, key: &Obj) -> PyResult<()> {
    if key.downcast::<ContextVar>().is_none() {
        return Err(vm.type_error(format!("a ContextVar key was expected, got {}", util::repr(vm, key)?)));
    }
    Ok(())
}

fn traverse_opt(o: &RefCell<Option<Obj>>, visit: &mut dyn FnMut(&Obj)) {
    if let Ok(b) = o.try_borrow() {
        if let Some(x) = &*b {
            visit(x);
        }
    }
}

// Context --------------------------------------------------------------

fn context_type(vm: &Vm) -> Obj {
    vm.native_type("_contextvars.Context", |vm| {
        let slots = Slots {
            new: Some(|vm, _cls, args, kw| {
                if !args.is_empty() || !kw.is_empty() {
                    return Err(vm.type_error("Context() does not accept any arguments"));
                }
                Ok(new_context(vm, new_dict(vm)))
            }),
            // Contexts are equal when they map the same variables to the
            // same values (CPython compares their HAMTs).
            compare: Some(|vm, op, a, b| {
                use taipan_compiler::bytecode::CompareOp;
                match (a.downcast::<Context>(), b.downcast::<Context>(), op) {
                    (Some(x), Some(y), CompareOp::Eq | CompareOp::Ne) => {
                        let (xv, yv) = (x.vars.borrow().clone(), y.vars.borrow().clone());
                        ops::compare(vm, op, &xv, &yv)
                    }
                    _ => Ok(vm.not_implemented.clone()),
                }
            }),
            iter: Some(|vm, o| {
                let keys: Vec<Obj> = dict_items(&get::<Context>(vm, o)?.vars.borrow()).into_iter().map(|(k, _)| k).collect();
                ops::iter(vm, &new_list(vm, keys))
            }),
            traverse: Some(|o, visit| {
                if let Some(c) = o.downcast::<Context>() {
                    if let Ok(v) = c.vars.try_borrow() {
                        visit(&v);
                    }
                    traverse_opt(&c.prev, visit);
                }
            }),
            ..object_slots()
        };
        let t = new_type::<Context>(vm, "_contextvars.Context", &[], true, slots, CONTEXT_METHODS, &[]);
        type_data(&t).is_final.set(true);
        type_data(&t).dict.borrow_mut().insert("__hash__", vm.none.clone());
        taipan_vm::types::type_modified(&t);
        let mut s = type_data(&t).slots.get();
        s.hash = None;
        type_data(&t).slots.set(s);
        t
    })
}

fn ctx_run(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let c = get::<Context>(vm, this)?;
    let Some((f, rest)) = args.split_first() else {
        return Err(vm.type_error("run() missing 1 required positional argument"));
    };
    if c.entered.get() {
        return Err(vm.new_error(&vm.types.runtime_error, format!("cannot enter context: {} is already entered", util::repr(vm, this)?)));
    }
    let prev = current(vm);
    c.entered.set(true);
    *c.prev.borrow_mut() = Some(prev.clone());
    *vm.context.borrow_mut() = Some(this.clone());
    let r = util::call_kw(vm, f, rest, kw);
    *vm.context.borrow_mut() = Some(prev);
    c.entered.set(false);
    drop(c.prev.borrow_mut().take());
    r
}

static CONTEXT_METHODS: &[MethodDef] = &[
    MethodDef::method("run", ctx_run, "Run a callable in this context."),
    MethodDef::method(
        "copy",
        |vm, this, args, kw| {
            exact::<0>(vm, "copy", args, kw)?;
            let vars = dict_copy(vm, &get::<Context>(vm, this)?.vars.borrow());
            Ok(new_context(vm, vars))
        },
        "Return a shallow copy of the context object.",
    ),
    MethodDef::method(
        "get",
        |vm, this, args, kw| {
            let [key, default] = at_most::<2>(vm, "get", 1, args, kw)?;
            let key = key.unwrap_or_else(|| vm.none.clone());
            check_var(vm, &key)?;
            let vars = get::<Context>(vm, this)?.vars.borrow().clone();
            Ok(dict_get(vm, &vars, &key)?.unwrap_or_else(|| default.unwrap_or_else(|| vm.none.clone())))
        },
        "Return the value for `key` if `key` has the value in the context object.",
    ),
    MethodDef::method(
        "__getitem__",
        |vm, this, args, kw| {
            let [key] = exact::<1>(vm, "__getitem__", args, kw)?;
            check_var(vm, &key)?;
            let vars = get::<Context>(vm, this)?.vars.borrow().clone();
            dict_get(vm, &vars, &key)?.ok_or_else(|| key_error(vm, &key))
        },
        "Return self[key].",
    ),
    MethodDef::method(
        "__contains__",
        |vm, this, args, kw| {
            let [key] = exact::<1>(vm, "__contains__", args, kw)?;
            check_var(vm, &key)?;
            let vars = get::<Context>(vm, this)?.vars.borrow().clone();
            Ok(vm.bool(dict_get(vm, &vars, &key)?.is_some()))
        },
        "Return key in self.",
    ),
    MethodDef::method(
        "__len__",
        |vm, this, args, kw| {
            exact::<0>(vm, "__len__", args, kw)?;
            Ok(vm.int(dict_len(&get::<Context>(vm, this)?.vars.borrow()) as i64))
        },
        "Return len(self).",
    ),
    MethodDef::method(
        "keys",
        |vm, this, args, kw| {
            exact::<0>(vm, "keys", args, kw)?;
            let items = dict_items(&get::<Context>(vm, this)?.vars.borrow());
            Ok(new_list(vm, items.into_iter().map(|(k, _)| k).collect()))
        },
        "Return a list of all variables in the context object.",
    ),
    MethodDef::method(
        "values",
        |vm, this, args, kw| {
            exact::<0>(vm, "values", args, kw)?;
            let items = dict_items(&get::<Context>(vm, this)?.vars.borrow());
            Ok(new_list(vm, items.into_iter().map(|(_, v)| v).collect()))
        },
        "Return a list of all variables' values in the context object.",
    ),
    MethodDef::method(
        "items",
        |vm, this, args, kw| {
            exact::<0>(vm, "items", args, kw)?;
            let items = dict_items(&get::<Context>(vm, this)?.vars.borrow());
            Ok(new_list(vm, items.into_iter().map(|(k, v)| new_tuple(vm, vec![k, v])).collect()))
        },
        "Return all variables and their values in the context object.",
    ),
];

// ContextVar -----------------------------------------------------------

fn contextvar_type(vm: &Vm) -> Obj {
    vm.native_type("_contextvars.ContextVar", |vm| {
        let slots = Slots {
            new: Some(|vm, cls, args, kw| {
                if args.len() != 1 {
                    return Err(vm.type_error(format!("ContextVar() takes exactly 1 positional argument ({} given)", args.len())));
                }
                let p = Params { fname: "ContextVar", names: &["name", "default"], posonly: 1, kwonly: 1, required: 1 };
                let [name, default] = bind::<2>(vm, &p, args, kw)?;
                let name = name.unwrap_or_else(|| vm.none.clone());
                if name.downcast::<StrData>().is_none() {
                    return Err(vm.type_error("context variable name must be a str"));
                }
                Ok(alloc(cls.clone(), ContextVar::new(name, default)))
            }),
            repr: Some(|vm, o| {
                let v = get::<ContextVar>(vm, o)?;
                let mut s = format!("<ContextVar name={}", util::repr(vm, &v.name)?);
                if let Some(d) = &v.default {
                    s.push_str(&format!(" default={}", util::repr(vm, d)?));
                }
                s.push_str(&format!(" at {:#x}>", o.as_ptr() as usize));
                Ok(new_str(vm, &s))
            }),
            hash: Some(|_vm, o| Ok((o.as_ptr() as usize >> 4) as i64)),
            traverse: Some(|o, visit| {
                if let Some(v) = o.downcast::<ContextVar>() {
                    visit(&v.name);
                    if let Some(d) = &v.default {
                        visit(d);
                    }
                    if let Ok(c) = v.cache.try_borrow() {
                        if let Some((d, value)) = &*c {
                            visit(d);
                            if let Some(x) = value {
                                visit(x);
                            }
                        }
                    }
                }
            }),
            clear: Some(|o| {
                if let Some(v) = o.downcast::<ContextVar>() {
                    let old = v.cache.try_borrow_mut().ok().and_then(|mut c| c.take());
                    drop(old);
                }
            }),
            ..object_slots()
        };
        let t = new_type::<ContextVar>(vm, "_contextvars.ContextVar", &[], true, slots, CONTEXTVAR_METHODS, CONTEXTVAR_GETSETS);
        type_data(&t).is_final.set(true);
        t
    })
}

fn var_get(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [default] = at_most::<1>(vm, "get", 0, args, kw)?;
    let v = get::<ContextVar>(vm, this)?;
    let ctx = current(vm);
    let vars = get::<Context>(vm, &ctx)?.vars.borrow().clone();
    if let Some(x) = lookup(vm, this, v, &vars)? {
        return Ok(x);
    }
    if let Some(d) = default {
        return Ok(d);
    }
    if let Some(d) = &v.default {
        return Ok(d.clone());
    }
    Err(taipan_vm::PyErr { exc: taipan_vm::types::builtin::new_exception(vm, &vm.types.lookup_error, vec![this.clone()]) })
}

fn var_set(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [value] = exact::<1>(vm, "set", args, kw)?;
    let ctx = current(vm);
    let c = get::<Context>(vm, &ctx)?;
    let vars = c.vars.borrow().clone();
    let old = dict_get(vm, &vars, this)?;
    // Copy on write: a snapshot taken by `copy_context` keeps its values.
    let new = dict_copy(vm, &vars);
    dict_set(vm, &new, this.clone(), value)?;
    drop(c.vars.replace(new));
    Ok(alloc(token_type(vm), Token { ctx, var: this.clone(), old, used: Cell::new(false) }))
}

fn var_reset(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [token] = exact::<1>(vm, "reset", args, kw)?;
    let Some(t) = token.downcast::<Token>() else {
        return Err(vm.type_error(format!("expected an instance of Token, got {}", util::repr(vm, &token)?)));
    };
    if t.used.get() {
        return Err(vm.new_error(&vm.types.runtime_error, format!("{} has already been used once", util::repr(vm, &token)?)));
    }
    if !t.var.is(this) {
        return Err(vm.new_error(&vm.types.value_error, format!("{} was created by a different ContextVar", util::repr(vm, &token)?)));
    }
    let ctx = current(vm);
    if !t.ctx.is(&ctx) {
        return Err(vm.new_error(&vm.types.value_error, format!("{} was created in a different Context", util::repr(vm, &token)?)));
    }
    t.used.set(true);
    let c = get::<Context>(vm, &ctx)?;
    let new = dict_copy(vm, &c.vars.borrow());
    match &t.old {
        Some(v) => dict_set(vm, &new, this.clone(), v.clone())?,
        None => {
            dict_del(vm, &new, this)?;
        }
    }
    drop(c.vars.replace(new));
    Ok(vm.none.clone())
}

static CONTEXTVAR_METHODS: &[MethodDef] = &[
    MethodDef::method("get", var_get, "Return a value for the context variable for the current context."),
    MethodDef::method("set", var_set, "Call to set a new value for the context variable in the current context."),
    MethodDef::method("reset", var_reset, "Reset the context variable."),
    MethodDef::class("__class_getitem__", taipan_vm::types::genericalias::class_getitem, "See PEP 585"),
];

static CONTEXTVAR_GETSETS: &[GetSetDef] = &[GetSetDef::readonly("name", |vm, o| Ok(get::<ContextVar>(vm, o)?.name.clone()), "")];

// Token ----------------------------------------------------------------

fn token_type(vm: &Vm) -> Obj {
    vm.native_type("_contextvars.Token", |vm| {
        let slots = Slots {
            new: Some(|vm, _cls, _args, _kw| Err(vm.new_error(&vm.types.runtime_error, "Tokens can only be created by ContextVars"))),
            repr: Some(|vm, o| {
                let t = get::<Token>(vm, o)?;
                let used = if t.used.get() { " used" } else { "" };
                Ok(new_str(vm, &format!("<Token{used} var={} at {:#x}>", util::repr(vm, &t.var)?, o.as_ptr() as usize)))
            }),
            traverse: Some(|o, visit| {
                if let Some(t) = o.downcast::<Token>() {
                    visit(&t.ctx);
                    visit(&t.var);
                    if let Some(x) = &t.old {
                        visit(x);
                    }
                }
            }),
            ..object_slots()
        };
        let t = new_type::<Token>(vm, "_contextvars.Token", &[], true, slots, TOKEN_METHODS, TOKEN_GETSETS);
        type_data(&t).is_final.set(true);
        type_data(&t).dict.borrow_mut().insert("MISSING", missing(vm));
        taipan_vm::types::type_modified(&t);
        t
    })
}

static TOKEN_METHODS: &[MethodDef] = &[MethodDef::class("__class_getitem__", taipan_vm::types::genericalias::class_getitem, "See PEP 585")];

static TOKEN_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("var", |vm, o| Ok(get::<Token>(vm, o)?.var.clone()), ""),
    GetSetDef::readonly("old_value", |vm, o| Ok(get::<Token>(vm, o)?.old.clone().unwrap_or_else(|| missing(vm))), ""),
];

fn copy_context(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "copy_context", args, kw)?;
    copy_current(vm)
}

/// `contextvars.copy_context()` for other native modules
/// (`PyContext_CopyCurrent`).
pub(crate) fn copy_current(vm: &Vm) -> PyResult<Obj> {
    let ctx = current(vm);
    let vars = dict_copy(vm, &get::<Context>(vm, &ctx)?.vars.borrow());
    Ok(new_context(vm, vars))
}

static FUNCS: &[FunctionDef] = &[FunctionDef::new("copy_context", copy_context, "")];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "Context", context_type(vm))?;
    add_attr(vm, m, "ContextVar", contextvar_type(vm))?;
    add_attr(vm, m, "Token", token_type(vm))?;
    Ok(())
}

// Rust-side access for other native modules ---------------------------

/// A new `ContextVar` named `name` without a default (what `_decimal`
/// keeps its current context in).
pub(crate) fn new_var(vm: &Vm, name: &str) -> Obj {
    alloc(contextvar_type(vm), ContextVar::new(new_str(vm, name), None))
}

/// The value of `var` in the current context, if set.
pub(crate) fn var_value(vm: &Vm, var: &Obj) -> PyResult<Option<Obj>> {
    let ctx = current(vm);
    let vars = get::<Context>(vm, &ctx)?.vars.borrow().clone();
    match var.downcast::<ContextVar>() {
        Some(v) => lookup(vm, var, v, &vars),
        None => dict_get(vm, &vars, var),
    }
}

/// Sets `var` in the current context (`var.set(value)` without a token).
pub(crate) fn set_var_value(vm: &Vm, var: &Obj, value: Obj) -> PyResult<()> {
    var_set(vm, var, &[value], &[]).map(|_| ())
}
