//! Run-time support for statements and expressions whose instructions need
//! more than a few lines: `*`/`**` unpacking in calls and displays, the
//! context-manager protocol, asynchronous iteration, and `except*`'s
//! exception-group matching (CPython's `ceval.c` helpers).

use crate::object::Obj;
use crate::ops;
use crate::types::builtin::{self, new_str, new_tuple, str_data, type_name};
use crate::types::{is_subtype, lookup, type_data_of, type_of};
use crate::vm::Vm;
use crate::PyResult;

/// Calls `obj.name(*args)`.
pub fn call_method(vm: &Vm, obj: &Obj, name: &str, args: &[Obj]) -> PyResult<Obj> {
    let m = crate::classes::getattr(vm, obj, &vm.intern(name))?;
    ops::call(vm, &m, args)
}

/// A new `set` of `items` (through the `set` builtin).
pub fn new_set(vm: &Vm, items: Vec<Obj>) -> PyResult<Obj> {
    let set = crate::generator::builtin_class(vm, "set")?;
    ops::call(vm, &set, &[builtin::new_list(vm, items)])
}

/// A special method looked up on the type and bound to `obj`.
pub fn special(vm: &Vm, obj: &Obj, name: &str) -> PyResult<Option<Obj>> {
    let Some(f) = lookup(&type_of(obj), name) else { return Ok(None) };
    match type_data_of(&f).slots.get().descr_get {
        Some(get) => get(vm, &f, Some(obj), &type_of(obj)).map(Some),
        None => Ok(Some(f)),
    }
}

/// How CPython names a callable in call errors (`_PyObject_FunctionStr`):
/// `module.qualname()`, or `qualname()` for builtins.
pub fn function_str(vm: &Vm, f: &Obj) -> String {
    if let Some(fd) = f.downcast::<crate::function::FunctionData>() {
        let q = str_data(&fd.qualname).as_str().into_owned();
        let module = builtin::dict_get_str(vm, &fd.globals, "__name__").ok().flatten();
        return match module.filter(|m| m.downcast::<builtin::StrData>().is_some()) {
            Some(m) if &*str_data(&m).as_str() != "builtins" => format!("{}.{q}()", str_data(&m).as_str()),
            _ => format!("{q}()"),
        };
    }
    if let Some(m) = f.downcast::<crate::classes::MethodData>() {
        return function_str(vm, &m.func);
    }
    if let Some(b) = f.downcast::<crate::function::BuiltinFunctionData>() {
        return format!("{}()", b.name);
    }
    let attr = |name: &str| -> Option<String> {
        let v = crate::classes::getattr_opt(vm, f, &vm.intern(name)).ok().flatten()?;
        v.downcast::<builtin::StrData>().map(|s| s.as_str().into_owned())
    };
    match (attr("__qualname__"), attr("__module__")) {
        (Some(q), Some(m)) if m != "builtins" => format!("{m}.{q}()"),
        (Some(q), _) => format!("{q}()"),
        _ => ops::str(vm, f).map(|s| str_data(&s).as_str().into_owned()).unwrap_or_default(),
    }
}

/// The items of `*x` in a display (`callee` None: "Value after * must be
/// an iterable") or a call ("f() argument after * must be an iterable").
pub fn star_items(vm: &Vm, x: &Obj, callee: Option<&Obj>) -> PyResult<Vec<Obj>> {
    if let Some(t) = x.downcast::<builtin::TupleData>() {
        return Ok(t.items.to_vec());
    }
    if let Some(l) = x.downcast::<builtin::ListData>() {
        return Ok(l.items.borrow().clone());
    }
    if type_data_of(x).slots.get().iter.is_none() && lookup(&type_of(x), "__getitem__").is_none() {
        let msg = match callee {
            Some(c) => format!("{} argument after * must be an iterable, not {}", function_str(vm, c), type_name(x)),
            None => format!("Value after * must be an iterable, not {}", type_name(x)),
        };
        return Err(vm.type_error(msg));
    }
    let it = ops::iter(vm, x)?;
    let mut out = Vec::new();
    while let Some(v) = ops::next(vm, &it)? {
        out.push(v);
    }
    Ok(out)
}

/// The (key, value) pairs of a mapping (`keys()` then subscription), or
/// `None` when `m` has no `keys`.
pub fn mapping_items(vm: &Vm, m: &Obj) -> PyResult<Option<Vec<(Obj, Obj)>>> {
    if m.downcast::<builtin::DictData>().is_some() && type_of(m).is(&vm.types.dict) {
        return Ok(Some(builtin::dict_items(m)));
    }
    let Some(keys) = crate::classes::getattr_opt(vm, m, &vm.intern("keys"))? else { return Ok(None) };
    let keys = ops::call(vm, &keys, &[])?;
    let it = ops::iter(vm, &keys)?;
    let mut out = Vec::new();
    while let Some(k) = ops::next(vm, &it)? {
        let v = crate::sequence::getitem(vm, m, &k)?;
        out.push((k, v));
    }
    Ok(Some(out))
}

/// `**m` in a call: merges into `d`, rejecting repeated names.
pub fn dict_merge(vm: &Vm, callee: &Obj, d: &Obj, m: &Obj) -> PyResult<()> {
    let Some(items) = mapping_items(vm, m)? else {
        return Err(vm.type_error(format!("{} argument after ** must be a mapping, not {}", function_str(vm, callee), type_name(m))));
    };
    for (k, v) in items {
        if builtin::dict_get(vm, d, &k)?.is_some() {
            let key = ops::str(vm, &k)?;
            return Err(vm.type_error(format!(
                "{} got multiple values for keyword argument '{}'",
                function_str(vm, callee),
                str_data(&key).as_str()
            )));
        }
        builtin::dict_set(vm, d, k, v)?;
    }
    Ok(())
}

/// `with`/`async with`: the bound `__exit__` and what `__enter__()` returned
/// (for `async with`, the awaitable `__aenter__()` returned).
pub fn before_with(vm: &Vm, mgr: &Obj, is_async: bool) -> PyResult<(Obj, Obj)> {
    let (enter, exit, what) =
        if is_async { ("__aenter__", "__aexit__", "asynchronous context manager") } else { ("__enter__", "__exit__", "context manager") };
    let Some(enter_f) = special(vm, mgr, enter)? else {
        return Err(vm.type_error(format!("'{}' object does not support the {what} protocol", type_name(mgr))));
    };
    let Some(exit_f) = special(vm, mgr, exit)? else {
        return Err(vm.type_error(format!("'{}' object does not support the {what} protocol (missed {exit} method)", type_name(mgr))));
    };
    let entered = ops::call(vm, &enter_f, &[])?;
    Ok((exit_f, entered))
}

/// `async for`'s `__aiter__()`.
pub fn get_aiter(vm: &Vm, x: &Obj) -> PyResult<Obj> {
    let Some(f) = special(vm, x, "__aiter__")? else {
        return Err(vm.type_error(format!("'async for' requires an object with __aiter__ method, got {}", type_name(x))));
    };
    let it = ops::call(vm, &f, &[])?;
    if lookup(&type_of(&it), "__anext__").is_none() {
        return Err(
            vm.type_error(format!("'async for' received an object from __aiter__ that does not implement __anext__: {}", type_name(&it)))
        );
    }
    Ok(it)
}

/// `async for`'s `__anext__()`, as the iterator that awaits it.
pub fn get_anext(vm: &Vm, it: &Obj) -> PyResult<Obj> {
    if it.downcast::<crate::generator::GeneratorData>().is_some() && type_of(it).is(&vm.types.async_generator) {
        return crate::generator::async_gen_anext(vm, it);
    }
    let Some(f) = special(vm, it, "__anext__")? else {
        return Err(vm.type_error(format!("'async for' requires an iterator with __anext__ method, got {}", type_name(it))));
    };
    let awaitable = ops::call(vm, &f, &[])?;
    match crate::generator::get_awaitable(vm, &awaitable, 0) {
        Ok(a) => Ok(a),
        // Any error (an `__await__` raising too) becomes the cause.
        Err(e) => {
            let err = vm.type_error(format!("'async for' received an invalid object from __anext__: {}", type_name(&awaitable)));
            if let Some(d) = builtin::exception_data(&err.exc) {
                *d.cause.borrow_mut() = Some(e.exc.clone());
                *d.context.borrow_mut() = Some(e.exc);
                d.suppress_context.set(true);
            }
            Err(err)
        }
    }
}

// ----- except* -----

fn is_group(vm: &Vm, e: &Obj) -> bool {
    crate::generator::builtin_class(vm, "BaseExceptionGroup").is_ok_and(|g| is_subtype(&type_of(e), &g))
}

fn check_except_star_type(vm: &Vm, ty: &Obj) -> PyResult<()> {
    let types: Vec<Obj> = match ty.downcast::<builtin::TupleData>() {
        Some(t) => t.items.to_vec(),
        None => vec![ty.clone()],
    };
    for t in &types {
        if t.downcast::<crate::types::TypeData>().is_none() || !is_subtype(t, &vm.types.base_exception) {
            return Err(vm.type_error("catching classes that do not inherit from BaseException is not allowed"));
        }
    }
    if let Ok(g) = crate::generator::builtin_class(vm, "BaseExceptionGroup") {
        if types.iter().any(|t| is_subtype(t, &g)) {
            return Err(vm.type_error("catching ExceptionGroup with except* is not allowed. Use except instead."));
        }
    }
    Ok(())
}

fn matches_type(exc: &Obj, ty: &Obj) -> bool {
    match ty.downcast::<builtin::TupleData>() {
        Some(t) => t.items.iter().any(|c| is_subtype(&type_of(exc), c)),
        None => is_subtype(&type_of(exc), ty),
    }
}

/// `except* T` against what is left of the exception: `(rest, match)`,
/// `match` None when nothing matches (CPython's `exception_group_match`).
pub fn exception_group_match(vm: &Vm, exc: &Obj, ty: &Obj) -> PyResult<(Obj, Obj)> {
    check_except_star_type(vm, ty)?;
    if exc.is(&vm.none) {
        return Ok((vm.none.clone(), vm.none.clone()));
    }
    if !is_group(vm, exc) {
        if matches_type(exc, ty) {
            // A naked exception is wrapped in a group to match.
            let cls = crate::generator::builtin_class(vm, "BaseExceptionGroup")?;
            let group = ops::call(vm, &cls, &[new_str(vm, ""), new_tuple(vm, vec![exc.clone()])])?;
            if let Some(g) = builtin::exception_data(&group) {
                crate::types::exceptions::copy_traceback(vm, g, exc);
            }
            return Ok((vm.none.clone(), group));
        }
        return Ok((exc.clone(), vm.none.clone()));
    }
    let pair = call_method(vm, exc, "split", std::slice::from_ref(ty))?;
    let items = pair.downcast::<builtin::TupleData>().map(|t| t.items.to_vec()).unwrap_or_default();
    match items.as_slice() {
        [m, r] => Ok((r.clone(), m.clone())),
        _ => Err(vm.type_error("ExceptionGroup.split must return a 2-tuple")),
    }
}

/// The leaf exceptions of `e` (itself when it is not a group).
fn leaves(vm: &Vm, e: &Obj, out: &mut Vec<Obj>) -> PyResult<()> {
    if !is_group(vm, e) {
        out.push(e.clone());
        return Ok(());
    }
    let excs = crate::classes::getattr(vm, e, &vm.intern("exceptions"))?;
    for x in crate::sequence::to_vec(vm, &excs)? {
        leaves(vm, &x, out)?;
    }
    Ok(())
}

fn same_metadata(a: &Obj, b: &Obj) -> bool {
    let (Some(x), Some(y)) = (builtin::exception_data(a), builtin::exception_data(b)) else { return false };
    let same = |p: &Option<Obj>, q: &Option<Obj>| match (p, q) {
        (None, None) => true,
        (Some(p), Some(q)) => p.is(q),
        _ => false,
    };
    let tb_same = {
        let (p, q) = (x.traceback.borrow(), y.traceback.borrow());
        p.len() == q.len() && p.iter().zip(q.iter()).all(|((c1, i1, ..), (c2, i2, ..))| c1.is(c2) && i1 == i2)
    };
    tb_same && same(&x.cause.borrow(), &y.cause.borrow()) && same(&x.context.borrow(), &y.context.borrow())
}

/// The part of group `eg` whose leaves are in `keep` (None when empty),
/// keeping each nested group's metadata (`split` by leaf identity).
fn project(vm: &Vm, eg: &Obj, keep: &[Obj]) -> PyResult<Option<Obj>> {
    if !is_group(vm, eg) {
        return Ok(keep.iter().any(|k| k.is(eg)).then(|| eg.clone()));
    }
    let excs = crate::classes::getattr(vm, eg, &vm.intern("exceptions"))?;
    let mut kept = Vec::new();
    for x in crate::sequence::to_vec(vm, &excs)? {
        if let Some(p) = project(vm, &x, keep)? {
            kept.push(p);
        }
    }
    if kept.is_empty() {
        return Ok(None);
    }
    let derived = call_method(vm, eg, "derive", &[builtin::new_list(vm, kept)])?;
    if let (Some(d), Some(o)) = (builtin::exception_data(&derived), builtin::exception_data(eg)) {
        crate::types::exceptions::copy_traceback(vm, d, eg);
        *d.cause.borrow_mut() = o.cause.borrow().clone();
        *d.context.borrow_mut() = o.context.borrow().clone();
        d.suppress_context.set(o.suppress_context.get());
    }
    if let Some(notes) = crate::classes::getattr_opt(vm, eg, &vm.intern("__notes__"))? {
        crate::classes::setattr(vm, &derived, &vm.intern("__notes__"), notes)?;
    }
    Ok(Some(derived))
}

/// What an `except*` statement re-raises: the unhandled part of the
/// original group plus what its clauses raised (CPython's
/// `_PyExc_PrepReraiseStar`), or None.
pub fn prep_reraise_star(vm: &Vm, orig: &Obj, raised: &Obj) -> PyResult<Obj> {
    let excs: Vec<Obj> = builtin::list_items(vm, raised)?.borrow().iter().filter(|e| !e.is(&vm.none)).cloned().collect();
    if excs.is_empty() {
        return Ok(vm.none.clone());
    }
    if !is_group(vm, orig) {
        return Ok(excs[0].clone());
    }
    let mut new_raised = Vec::new();
    let mut reraised_leaves = Vec::new();
    for e in &excs {
        if same_metadata(e, orig) {
            leaves(vm, e, &mut reraised_leaves)?;
        } else {
            new_raised.push(e.clone());
        }
    }
    if let Some(p) = project(vm, orig, &reraised_leaves)? {
        new_raised.push(p);
    }
    match new_raised.len() {
        0 => Ok(vm.none.clone()),
        1 => Ok(new_raised.remove(0)),
        _ => {
            let cls = crate::generator::builtin_class(vm, "ExceptionGroup")?;
            let all_exceptions = new_raised.iter().all(|e| is_subtype(&type_of(e), &vm.types.exception));
            let cls = if all_exceptions { cls } else { crate::generator::builtin_class(vm, "BaseExceptionGroup")? };
            ops::call(vm, &cls, &[new_str(vm, ""), builtin::new_list(vm, new_raised)])
        }
    }
}
