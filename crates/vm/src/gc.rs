//! Finalization and the cycle collector's policy: `__del__` (PEP 442,
//! at most once per object), weakref callbacks, unraisable-exception
//! reports, collections (weakrefs cleared first, then finalizers, then
//! `clear` on what is still unreachable), automatic collections by
//! generation thresholds, the `gc` module, and the end-of-run cleanup of
//! `__main__`.
//!
//! The object-level half (lists, graph analysis, trashcan, weakref table)
//! is `object::gc`, where its invariants are written.

use crate::classes::{call_object, no_kwargs};
use crate::function::new_builtin_function;
use crate::native::{bind, exact, Params};
use crate::object::gc as ogc;
use crate::object::Obj;
use crate::types::builtin::{self, new_list, new_str, new_tuple, str_data, IntData};
use crate::types::{lookup, type_data_of, type_of, Kwargs};
use crate::vm::{PyErr, Vm};
use crate::PyResult;

/// The `finalize` slot of classes that define `__del__`.
pub(crate) fn python_del(vm: &Vm, o: &Obj) {
    let Some(del) = lookup(&type_of(o), "__del__") else { return };
    if let Err(e) = call_object(vm, &del, std::slice::from_ref(o)) {
        report_unraisable(vm, e, Some(&del));
    }
}

/// Calls `o`'s finalizer unless it already ran (PEP 442).
fn finalize(vm: &Vm, o: &Obj) {
    let Some(f) = type_data_of(o).slots.get().finalize else { return };
    let Some(h) = o.gc_head() else { return };
    if h.flags.get() & ogc::FINALIZED != 0 {
        return;
    }
    h.flags.set(h.flags.get() | ogc::FINALIZED);
    f(vm, o);
}

/// From `dealloc`: the object's count is 1 (held by the deallocation);
/// the finalizer may resurrect it.
pub(crate) fn finalize_on_dealloc(vm: &Vm, o: &Obj) {
    finalize(vm, o);
}

/// Calls the callbacks of weakrefs whose referent died (already cleared),
/// with the weakref as argument.
pub(crate) fn call_weakref_callbacks(vm: &Vm, refs: Vec<Obj>) {
    for w in refs {
        let cb = w.downcast::<crate::weakref::WeakRefData>().and_then(|d| d.take_callback());
        if let Some(cb) = cb {
            if let Err(e) = call_object(vm, &cb, std::slice::from_ref(&w)) {
                report_unraisable(vm, e, Some(&cb));
            }
        }
    }
}

/// `PyErr_WriteUnraisable`: hands the exception to `sys.unraisablehook`
/// when a program replaced it, else prints CPython's report
/// ("Exception ignored in: ..." and the traceback) to stderr.
pub fn report_unraisable(vm: &Vm, err: PyErr, obj: Option<&Obj>) {
    report_unraisable_msg(vm, err, None, obj)
}

/// `report_unraisable` with a context (`_PyErr_WriteUnraisableMsg`): the
/// report starts "Exception ignored {context}: {obj!r}" (e.g. context
/// "in atexit callback").
pub fn report_unraisable_msg(vm: &Vm, err: PyErr, context: Option<&str>, obj: Option<&Obj>) {
    let hook = sys_attr(vm, "unraisablehook");
    if let Some(hook) = hook.filter(|h| h.downcast::<crate::function::BuiltinFunctionData>().is_none()) {
        if let Ok(args) = unraisable_args(vm, &err, context, obj) {
            if call_object(vm, &hook, &[args]).is_ok() {
                return;
            }
        }
    }
    let mut text = String::new();
    if let Some(o) = obj {
        let r = crate::ops::repr(vm, o).map(|s| str_data(&s).as_str().into_owned()).unwrap_or_else(|_| "<object repr() failed>".into());
        text.push_str(&format!("Exception ignored {}: {r}\n", context.unwrap_or("in")));
    } else if let Some(c) = context {
        text.push_str(&format!("Exception ignored {c}:\n"));
    }
    text.push_str(&crate::traceback::format_exception(vm, &err.exc));
    crate::stdio::write_stderr(vm, &text);
}

fn sys_attr(vm: &Vm, name: &str) -> Option<Obj> {
    let sys = builtin::dict_get_str(vm, &vm.modules, "sys").ok()??;
    let m = sys.downcast::<crate::modules::ModuleData>()?;
    builtin::dict_get_str(vm, &m.dict, name).ok()?
}

/// The argument of `sys.unraisablehook` (CPython's `UnraisableHookArgs`
/// struct sequence).
pub struct UnraisableArgs {
    fields: [Obj; 5],
}

const UNRAISABLE_FIELDS: [&str; 5] = ["exc_type", "exc_value", "exc_traceback", "err_msg", "object"];

fn unraisable_args(vm: &Vm, err: &PyErr, context: Option<&str>, obj: Option<&Obj>) -> PyResult<Obj> {
    let none = vm.none.clone();
    let tb = crate::classes::getattr(vm, &err.exc, &vm.intern("__traceback__")).unwrap_or_else(|_| none.clone());
    let msg = context.map_or_else(|| none.clone(), |c| builtin::new_str(vm, &format!("Exception ignored {c}")));
    let fields = [type_of(&err.exc), err.exc.clone(), tb, msg, obj.cloned().unwrap_or(none)];
    Ok(crate::object::alloc(vm.types.unraisable_hook_args.clone(), UnraisableArgs { fields }))
}

pub fn unraisable_args_slots() -> crate::types::Slots {
    crate::types::Slots {
        getattro: Some(|vm, o, name| {
            let key = str_data(name).as_str();
            if let (Some(a), Some(i)) = (o.downcast::<UnraisableArgs>(), UNRAISABLE_FIELDS.iter().position(|f| *f == key)) {
                return Ok(a.fields[i].clone());
            }
            crate::classes::generic_getattr(vm, o, name)
        }),
        ..builtin::object_slots()
    }
}

/// The default `sys.unraisablehook(unraisable)`.
pub(crate) fn default_unraisablehook(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [a] = exact(vm, "unraisablehook", args, kw)?;
    let get = |n: &str| crate::classes::getattr(vm, &a, &vm.intern(n));
    let exc = get("exc_value")?;
    let obj = get("object")?;
    let err_msg = get("err_msg")?;
    let mut text = String::new();
    if !err_msg.is(&vm.none) {
        text.push_str(&format!("{}: {}\n", str_data(&crate::ops::str(vm, &err_msg)?).as_str(), builtin::repr_string(vm, &obj)?));
    } else if !obj.is(&vm.none) {
        text.push_str(&format!("Exception ignored in: {}\n", builtin::repr_string(vm, &obj)?));
    }
    if !exc.is(&vm.none) {
        text.push_str(&crate::traceback::format_exception(vm, &exc));
    }
    crate::stdio::write_stderr(vm, &text);
    Ok(vm.none.clone())
}

// ---------------------------------------------------------------------
// Collections

/// Runs a collection of generations `0..=gen`; the number of unreachable
/// objects found and freed (0 when a collection is already under way).
pub fn collect(vm: &Vm, gen: usize) -> usize {
    if ogc::collecting() {
        return 0;
    }
    ogc::set_collecting(true);
    run_callbacks(vm, "start", gen, 0);
    let unreachable = ogc::find_unreachable(gen);
    // Weak references to unreachable objects are cleared before anything
    // else runs; only the callbacks of weakrefs that survive are called.
    let mut callbacks = Vec::new();
    for o in &unreachable {
        if o.gc_head().is_some_and(|h| h.flags.get() & ogc::HAS_WEAKREFS != 0) {
            for w in ogc::take_weakrefs(o) {
                let dead = w.gc_head().is_some_and(|h| h.flags.get() & ogc::UNREACHABLE != 0);
                if !dead {
                    callbacks.push(w);
                }
            }
        }
    }
    call_weakref_callbacks(vm, callbacks);
    for o in &unreachable {
        finalize(vm, o);
    }
    let (dead, resurrected) = ogc::split_resurrected(unreachable);
    drop(resurrected);
    let n = dead.len();
    if vm.state::<GcStats>().debug.get() & DEBUG_SAVEALL != 0 {
        // `DEBUG_SAVEALL`: the garbage goes to `gc.garbage` instead.
        if let Some(garbage) = gc_attr(vm, "garbage") {
            if let Some(l) = garbage.downcast::<builtin::ListData>() {
                if let Ok(mut items) = l.items.try_borrow_mut() {
                    items.extend(dead.iter().cloned());
                }
            }
        }
    } else {
        for o in &dead {
            ogc::clear(o);
        }
    }
    drop(dead);
    {
        let stats = vm.state::<GcStats>();
        let mut st = stats.gens.borrow_mut();
        if let Some(g) = st.get_mut(gen) {
            g[0] += 1;
            g[1] += n;
        }
    }
    run_callbacks(vm, "stop", gen, n);
    ogc::set_collecting(false);
    n
}

/// `gc.get_stats()`'s counters: per generation, the collections and the
/// objects collected (nothing is ever uncollectable here).
#[derive(Default)]
struct GcStats {
    gens: std::cell::RefCell<[[usize; 2]; 3]>,
    /// `gc.set_debug()` flags.
    debug: std::cell::Cell<i64>,
}

const DEBUG_SAVEALL: i64 = 32;

/// `gc.get_stats()`: a dict per generation.
fn gc_get_stats(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "gc.get_stats", a, kw)?;
    let gens = *vm.state::<GcStats>().gens.borrow();
    let mut out = Vec::new();
    for [collections, collected] in gens {
        let d = builtin::new_dict(vm);
        builtin::dict_set(vm, &d, vm.intern("collections"), vm.int(collections as i64))?;
        builtin::dict_set(vm, &d, vm.intern("collected"), vm.int(collected as i64))?;
        builtin::dict_set(vm, &d, vm.intern("uncollectable"), vm.int(0))?;
        out.push(d);
    }
    Ok(builtin::new_list(vm, out))
}

/// `gc.callbacks`: each is called with ("start"|"stop", info).
fn run_callbacks(vm: &Vm, phase: &str, gen: usize, collected: usize) {
    let Some(list) = gc_attr(vm, "callbacks") else { return };
    let Some(items) = list.downcast::<builtin::ListData>().map(|l| l.items.borrow().clone()) else { return };
    if items.is_empty() {
        return;
    }
    let info = builtin::new_dict(vm);
    let _ = builtin::dict_set(vm, &info, vm.intern("generation"), vm.int(gen as i64));
    let _ = builtin::dict_set(vm, &info, vm.intern("collected"), vm.int(collected as i64));
    let _ = builtin::dict_set(vm, &info, vm.intern("uncollectable"), vm.int(0));
    for cb in items {
        if let Err(e) = call_object(vm, &cb, &[new_str(vm, phase), info.clone()]) {
            report_unraisable(vm, e, Some(&cb));
        }
    }
}

fn gc_attr(vm: &Vm, name: &str) -> Option<Obj> {
    let gc = builtin::dict_get_str(vm, &vm.modules, "gc").ok()??;
    let m = gc.downcast::<crate::modules::ModuleData>()?;
    builtin::dict_get_str(vm, &m.dict, name).ok()?
}

/// The automatic collection generation 0's threshold asked for (the eval
/// breaker's slow path, after it took the pending flag).
pub fn collect_due(vm: &Vm) {
    if let Some(g) = ogc::generation_due() {
        collect(vm, g);
    }
}

/// The end of a run (CPython's `Py_FinalizeEx` and `finalize_modules`,
/// in part): a full collection; then the modules
/// in `sys.modules` (but `sys` and `builtins`) are replaced by `None` and
/// the caller's references to `__main__` and its dict go, then a full
/// collection runs the finalizers of what the modules held (their names
/// intact, as in CPython: a module's dict is normally in a cycle through
/// its functions). If
/// something else keeps the dict alive, its names are then set to `None`
/// (those starting with one underscore first, `_PyModule_ClearDict`),
/// which runs the finalizers of what they held, and a last collection
/// follows.
pub fn finalize_main(vm: &Vm, main: Obj, globals: Obj) {
    let _guard = ogc::enter_vm(vm);
    // CPython collects once with everything intact first (which also
    // puts the survivors in the order the next collection finalizes in).
    collect(vm, 2);
    // Modules leave `sys.modules` (CPython replaces every module there
    // with `None`; `sys` and `builtins` stay here: the interpreter still
    // finds its streams and hooks through them).
    for (k, v) in builtin::dict_items(&vm.modules) {
        let keep = k.downcast::<builtin::StrData>().is_some_and(|s| matches!(&*s.as_str(), "sys" | "builtins"));
        if !keep && v.downcast::<crate::modules::ModuleData>().is_some() {
            let _ = builtin::dict_set(vm, &vm.modules, k, vm.none.clone());
        }
    }
    let watch = crate::weakref::new_internal_ref(vm, &globals);
    drop(main);
    drop(globals);
    collect(vm, 2);
    let Some(globals) = watch.as_ref().and_then(|w| w.downcast::<crate::weakref::WeakRefData>()).and_then(|w| w.get()) else {
        return;
    };
    drop(watch);
    let keys: Vec<Obj> = builtin::dict_items(&globals).into_iter().map(|(k, _)| k).collect();
    let name_of = |k: &Obj| k.downcast::<builtin::StrData>().map(|s| s.as_str().into_owned());
    for pass in 0..2 {
        for k in &keys {
            let Some(n) = name_of(k) else { continue };
            if n == "__builtins__" {
                continue;
            }
            let underscore = n.starts_with('_') && !n.starts_with("__");
            if (pass == 0) == underscore {
                let _ = builtin::dict_set(vm, &globals, k.clone(), vm.none.clone());
            }
        }
    }
    drop(globals);
    collect(vm, 2);
}

// ---------------------------------------------------------------------
// The `gc` module

pub(crate) fn gc_contents(vm: &Vm, items: &mut Vec<(&'static str, Obj)>) {
    let f = |name: &'static str, func: crate::function::BuiltinFn| (name, new_builtin_function(vm, name, func));
    items.push(f("collect", gc_collect));
    items.push(f("get_stats", gc_get_stats));
    items.push(f("enable", |vm, a, kw| {
        exact::<0>(vm, "enable", a, kw)?;
        ogc::set_enabled(true);
        Ok(vm.none.clone())
    }));
    items.push(f("disable", |vm, a, kw| {
        exact::<0>(vm, "disable", a, kw)?;
        ogc::set_enabled(false);
        Ok(vm.none.clone())
    }));
    items.push(f("isenabled", |vm, a, kw| {
        exact::<0>(vm, "isenabled", a, kw)?;
        Ok(vm.bool(ogc::is_enabled()))
    }));
    items.push(f("get_threshold", |vm, a, kw| {
        exact::<0>(vm, "get_threshold", a, kw)?;
        Ok(new_tuple(vm, ogc::thresholds().iter().map(|&t| vm.int(t as i64)).collect()))
    }));
    items.push(f("set_threshold", gc_set_threshold));
    items.push(f("get_count", |vm, a, kw| {
        exact::<0>(vm, "get_count", a, kw)?;
        Ok(new_tuple(vm, ogc::counts().iter().map(|&t| vm.int(t as i64)).collect()))
    }));
    items.push(f("is_tracked", |vm, a, kw| {
        let [o] = gc_one(vm, "is_tracked", a, kw)?;
        Ok(vm.bool(o.gc_head().is_some_and(|h| h.flags.get() & ogc::TRACKED != 0)))
    }));
    items.push(f("is_finalized", |vm, a, kw| {
        let [o] = gc_one(vm, "is_finalized", a, kw)?;
        Ok(vm.bool(o.gc_head().is_some_and(|h| h.flags.get() & ogc::FINALIZED != 0)))
    }));
    items.push(f("get_referents", |vm, a, kw| {
        no_kwargs(vm, "get_referents", kw)?;
        let mut out = Vec::new();
        for o in a {
            if o.gc_head().is_some() {
                ogc::traverse(o, &mut |r| out.push(r.clone()));
            }
        }
        Ok(new_list(vm, out))
    }));
    items.push(f("get_referrers", |vm, a, kw| {
        no_kwargs(vm, "get_referrers", kw)?;
        let mut out = Vec::new();
        for candidate in ogc::tracked_objects(false) {
            let mut hit = false;
            ogc::traverse(&candidate, &mut |r| hit |= a.iter().any(|x| x.is(r)));
            if hit {
                out.push(candidate);
            }
        }
        Ok(new_list(vm, out))
    }));
    items.push(f("get_objects", |vm, a, kw| {
        let [g] = bind::<1>(vm, &Params { fname: "get_objects", names: &["generation"], posonly: 0, kwonly: 0, required: 0 }, a, kw)?;
        if let Some(g) = g.filter(|g| !g.is(&vm.none)) {
            let n = match g.downcast::<IntData>() {
                Some(IntData::Small(n)) => *n,
                Some(IntData::Big(_)) => {
                    return Err(vm.new_error(&vm.types.overflow_error, "cannot fit 'int' into an index-sized integer"));
                }
                None => return Err(vm.type_error(format!("argument should be integer or None, not '{}'", builtin::type_name(&g)))),
            };
            if n >= 3 {
                return Err(
                    vm.new_error(&vm.types.value_error, "generation parameter must be less than the number of available generations (3)")
                );
            }
            if n < -1 {
                return Err(vm.new_error(&vm.types.value_error, "generation parameter cannot be negative"));
            }
            if n >= 0 {
                return Ok(new_list(vm, ogc::tracked_objects_of(n as usize)));
            }
        }
        Ok(new_list(vm, ogc::tracked_objects(false)))
    }));
    items.push(f("freeze", |vm, a, kw| {
        exact::<0>(vm, "freeze", a, kw)?;
        ogc::freeze();
        Ok(vm.none.clone())
    }));
    items.push(f("unfreeze", |vm, a, kw| {
        exact::<0>(vm, "unfreeze", a, kw)?;
        ogc::unfreeze();
        Ok(vm.none.clone())
    }));
    items.push(f("get_freeze_count", |vm, a, kw| {
        exact::<0>(vm, "get_freeze_count", a, kw)?;
        Ok(vm.int(ogc::freeze_count() as i64))
    }));
    items.push(f("get_debug", |vm, a, kw| {
        exact::<0>(vm, "get_debug", a, kw)?;
        Ok(vm.int(vm.state::<GcStats>().debug.get()))
    }));
    items.push(f("set_debug", |vm, a, kw| {
        let [flags] = exact::<1>(vm, "set_debug", a, kw)?;
        let flags = builtin::expect_int(vm, &flags, "")?;
        vm.state::<GcStats>().debug.set(flags);
        Ok(vm.none.clone())
    }));
    items.push(("garbage", new_list(vm, Vec::new())));
    items.push(("callbacks", new_list(vm, Vec::new())));
    for (name, v) in [("DEBUG_STATS", 1), ("DEBUG_COLLECTABLE", 2), ("DEBUG_UNCOLLECTABLE", 4), ("DEBUG_SAVEALL", 32), ("DEBUG_LEAK", 38)] {
        items.push((name, vm.int(v)));
    }
}

/// One positional argument, with the message of `gc`'s METH_O functions.
fn gc_one(vm: &Vm, name: &str, a: &[Obj], kw: Kwargs) -> PyResult<[Obj; 1]> {
    no_kwargs(vm, name, kw)?;
    match a {
        [o] => Ok([o.clone()]),
        _ => Err(vm.type_error(format!("gc.{name}() takes exactly one argument ({} given)", a.len()))),
    }
}

fn generation_arg(vm: &Vm, g: &Obj) -> PyResult<usize> {
    let n = builtin::expect_int(vm, g, "")?;
    if !(0..=2).contains(&n) {
        return Err(vm.new_error(&vm.types.value_error, "invalid generation"));
    }
    Ok(n as usize)
}

fn gc_collect(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [g] = bind::<1>(vm, &Params { fname: "collect", names: &["generation"], posonly: 0, kwonly: 0, required: 0 }, a, kw)?;
    let gen = match g {
        Some(g) => generation_arg(vm, &g)?,
        None => 2,
    };
    let _guard = ogc::enter_vm(vm);
    Ok(vm.int(collect(vm, gen) as i64))
}

fn gc_set_threshold(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "set_threshold", kw)?;
    if a.is_empty() {
        return Err(vm.type_error("set_threshold() takes at least 1 argument (0 given)"));
    }
    if a.len() > 3 {
        return Err(vm.type_error(format!("set_threshold() takes at most 3 arguments ({} given)", a.len())));
    }
    let mut t = Vec::new();
    for x in a {
        match x.downcast::<IntData>() {
            Some(IntData::Small(n)) => t.push((*n).clamp(0, i32::MAX as i64) as usize),
            _ => return Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer", builtin::type_name(x)))),
        }
    }
    ogc::set_thresholds(&t);
    Ok(vm.none.clone())
}
