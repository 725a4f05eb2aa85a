//! `_warnings`: CPython's `Python/_warnings.c`. `warnings.py` takes
//! `filters`, `_defaultaction`, `_onceregistry`, `warn`, `warn_explicit`
//! and `_filters_mutated` from here when they exist, so the filters are
//! the ones set up below (no `filterwarnings` calls, no `re`, at import).
//!
//! The state (filter list, once-registry, default action, filters
//! version) is per interpreter; once `warnings` is imported its module
//! attributes (`filters`, `onceregistry`, `defaultaction`,
//! `_showwarnmsg`, `WarningMessage`) rule, as in CPython. Before that a
//! warning is printed in CPython's format: `FILE:LINE: Category: text`
//! and the stripped source line.

use std::cell::{Cell, RefCell};

use crate::classes::{call_object, getattr_opt};
use crate::eval::FrameView;
use crate::native::{self, FunctionDef, Params};
use crate::object::Obj;
use crate::types::builtin::{self, new_str, str_data, StrData};
use crate::types::{type_of, Kwargs};
use crate::vm::{PyErr, Vm};
use crate::PyResult;

#[derive(Default)]
struct State {
    filters: RefCell<Option<Obj>>,
    once_registry: RefCell<Option<Obj>>,
    default_action: RefCell<Option<Obj>>,
    version: Cell<i64>,
}

pub(crate) fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    let st = state(vm)?;
    crate::modules::add_attr(vm, m, "filters", st.filters.borrow().clone().unwrap_or_else(|| vm.none.clone()))?;
    crate::modules::add_attr(vm, m, "_onceregistry", st.once_registry.borrow().clone().unwrap_or_else(|| vm.none.clone()))?;
    crate::modules::add_attr(vm, m, "_defaultaction", st.default_action.borrow().clone().unwrap_or_else(|| vm.none.clone()))?;
    crate::modules::add_functions(vm, m, FUNCS)?;
    // `warn` finds its caller's frames (stacklevel).
    crate::modules::add_attr(vm, m, "warn", crate::function::new_frame_reading_function(vm, "warn", warn))
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("warn_explicit", warn_explicit, "Low-level interface to warnings functionality."),
    FunctionDef::new("_filters_mutated", filters_mutated, ""),
];

/// The state, created on first use: CPython's default filters (those of
/// a release build, also in development mode).
fn state(vm: &Vm) -> PyResult<std::rc::Rc<State>> {
    let st = vm.state::<State>();
    if st.filters.borrow().is_none() {
        let entry = |action: &str, category: &str, module: Option<&str>| -> PyResult<Obj> {
            let cat = vm.exception_type(category).ok_or_else(|| vm.type_error("missing warning category"))?;
            let module = module.map_or_else(|| vm.none.clone(), |m| new_str(vm, m));
            Ok(builtin::new_tuple(vm, vec![new_str(vm, action), vm.none.clone(), cat, module, vm.int(0)]))
        };
        let filters = vec![
            entry("default", "DeprecationWarning", Some("__main__"))?,
            entry("ignore", "DeprecationWarning", None)?,
            entry("ignore", "PendingDeprecationWarning", None)?,
            entry("ignore", "ImportWarning", None)?,
            entry("ignore", "ResourceWarning", None)?,
        ];
        *st.filters.borrow_mut() = Some(builtin::new_list(vm, filters));
        *st.once_registry.borrow_mut() = Some(builtin::new_dict(vm));
        *st.default_action.borrow_mut() = Some(new_str(vm, "default"));
    }
    Ok(st)
}

/// An attribute of the `warnings` module: imported first when
/// `try_import`, else only if it is in `sys.modules`.
fn warnings_attr(vm: &Vm, name: &str, try_import: bool) -> PyResult<Option<Obj>> {
    let module = if try_import {
        Some(crate::import::import_absolute(vm, "warnings")?)
    } else {
        builtin::dict_get_str(vm, &vm.modules, "warnings")?
    };
    match module {
        Some(m) if !m.is(&vm.none) => getattr_opt(vm, &m, &vm.intern(name)),
        _ => Ok(None),
    }
}

fn get_filters(vm: &Vm, st: &State) -> PyResult<Obj> {
    if let Some(f) = warnings_attr(vm, "filters", false)? {
        *st.filters.borrow_mut() = Some(f);
    }
    let f = st.filters.borrow().clone().unwrap_or_else(|| vm.none.clone());
    if f.downcast::<builtin::ListData>().is_none() {
        return Err(vm.new_error(&vm.types.value_error, "_warnings.filters must be a list"));
    }
    Ok(f)
}

fn get_once_registry(vm: &Vm, st: &State) -> PyResult<Obj> {
    if let Some(r) = warnings_attr(vm, "onceregistry", false)? {
        if r.downcast::<builtin::DictData>().is_none() {
            return Err(vm.type_error(format!("warnings.onceregistry must be a dict, not '{}'", builtin::type_name(&r))));
        }
        *st.once_registry.borrow_mut() = Some(r);
    }
    Ok(st.once_registry.borrow().clone().unwrap_or_else(|| vm.none.clone()))
}

fn get_default_action(vm: &Vm, st: &State) -> PyResult<Obj> {
    if let Some(a) = warnings_attr(vm, "defaultaction", false)? {
        if a.downcast::<StrData>().is_none() {
            return Err(vm.type_error(format!("warnings.defaultaction must be a string, not '{}'", builtin::type_name(&a))));
        }
        *st.default_action.borrow_mut() = Some(a);
    }
    Ok(st.default_action.borrow().clone().unwrap_or_else(|| new_str(vm, "default")))
}

/// A filter's message or module pattern: None matches everything, a str
/// must be equal, anything else is asked `.match(arg)`.
fn check_matched(vm: &Vm, pattern: &Obj, arg: &Obj) -> PyResult<bool> {
    if pattern.is(&vm.none) {
        return Ok(true);
    }
    if type_of(pattern).is(&vm.types.str_) {
        return crate::ops::eq(vm, pattern, arg);
    }
    let r = crate::lang::call_method(vm, pattern, "match", std::slice::from_ref(arg))?;
    crate::ops::truth(vm, &r)
}

/// The action of the first matching filter (and the filter), else the
/// default action.
fn get_filter(vm: &Vm, st: &State, category: &Obj, text: &Obj, lineno: i64, module: &Obj) -> PyResult<(Obj, Option<Obj>)> {
    let filters = get_filters(vm, st)?;
    let items = builtin::list_items(vm, &filters)?;
    let mut i = 0;
    loop {
        let item = match items.borrow().get(i) {
            Some(x) => x.clone(),
            None => break,
        };
        let parts = match item.downcast::<builtin::TupleData>() {
            Some(t) if t.items.len() == 5 => t.items.to_vec(),
            _ => return Err(vm.new_error(&vm.types.value_error, format!("_warnings.filters item {i} isn't a 5-tuple"))),
        };
        let action = &parts[0];
        if action.downcast::<StrData>().is_none() {
            return Err(vm.type_error(format!("action must be a string, not '{}'", builtin::type_name(action))));
        }
        let good_msg = check_matched(vm, &parts[1], text)?;
        let good_mod = check_matched(vm, &parts[3], module)?;
        let is_subclass = crate::classes::issubclass(vm, category, &parts[2])?;
        let ln = builtin::expect_int(vm, &parts[4], "")?;
        if good_msg && is_subclass && good_mod && (ln == 0 || lineno == ln) {
            return Ok((action.clone(), Some(item)));
        }
        i += 1;
    }
    Ok((get_default_action(vm, st)?, None))
}

/// Whether `key` is in `registry` (whose `version` entry is reset with the
/// registry when the filters changed); sets it when `set`.
fn already_warned(vm: &Vm, st: &State, registry: &Obj, key: &Obj, set: bool) -> PyResult<bool> {
    let version = builtin::dict_get_str(vm, registry, "version")?;
    let current = matches!(version.as_ref().and_then(|v| v.downcast::<builtin::IntData>()), Some(builtin::IntData::Small(n)) if *n == st.version.get())
        && version.as_ref().is_some_and(|v| type_of(v).is(&vm.types.int));
    if !current {
        crate::lang::call_method(vm, registry, "clear", &[])?;
        builtin::dict_set(vm, registry, vm.intern("version"), vm.int(st.version.get()))?;
    } else if let Some(v) = builtin::dict_get(vm, registry, key)? {
        if crate::ops::truth(vm, &v)? {
            return Ok(true);
        }
    }
    if set {
        builtin::dict_set(vm, registry, key.clone(), vm.true_.clone())?;
    }
    Ok(false)
}

/// `registry[(text, category)]` (with a trailing 0 for "module"): whether
/// it was already set.
fn update_registry(vm: &Vm, st: &State, registry: &Obj, text: &Obj, category: &Obj, add_zero: bool) -> PyResult<bool> {
    let mut parts = vec![text.clone(), category.clone()];
    if add_zero {
        parts.push(vm.int(0));
    }
    already_warned(vm, st, registry, &builtin::new_tuple(vm, parts), true)
}

/// The core of `warn_explicit` (`warn_explicit` in `_warnings.c`).
#[allow(clippy::too_many_arguments)]
fn warn_explicit_impl(
    vm: &Vm,
    category: Obj,
    message: Obj,
    filename: &Obj,
    lineno: i64,
    module: Option<Obj>,
    registry: Option<Obj>,
    sourceline: Option<Obj>,
    source: Option<Obj>,
) -> PyResult<()> {
    let st = state(vm)?;
    let registry = registry.filter(|r| !r.is(&vm.none));
    if let Some(r) = &registry {
        if r.downcast::<builtin::DictData>().is_none() {
            return Err(vm.type_error("'registry' must be a dict or None"));
        }
    }
    let module = match module {
        Some(m) => m,
        None => {
            let f = str_data(filename).as_str().into_owned();
            let name = f.strip_suffix(".py").unwrap_or(&f);
            new_str(vm, if name.is_empty() { "<unknown>" } else { name })
        }
    };
    let (text, category, message) = if crate::classes::isinstance(vm, &message, &warning_type(vm))? {
        (crate::ops::str(vm, &message)?, type_of(&message), message)
    } else {
        let m = call_object(vm, &category, std::slice::from_ref(&message))?;
        (message, category, m)
    };
    let key = builtin::new_tuple(vm, vec![text.clone(), category.clone(), vm.int(lineno)]);
    if let Some(r) = &registry {
        if already_warned(vm, &st, r, &key, false)? {
            return Ok(());
        }
    }
    let (action, item) = get_filter(vm, &st, &category, &text, lineno, &module)?;
    let action_s = str_data(&action).as_str().into_owned();
    if action_s == "error" {
        return Err(PyErr { exc: message });
    }
    if action_s == "ignore" {
        return Ok(());
    }
    let mut already = false;
    if action_s != "always" {
        if let Some(r) = &registry {
            builtin::dict_set(vm, r, key, vm.true_.clone())?;
        }
        match action_s.as_str() {
            "once" => {
                let r = match &registry {
                    Some(r) => r.clone(),
                    None => get_once_registry(vm, &st)?,
                };
                already = update_registry(vm, &st, &r, &text, &category, false)?;
            }
            "module" => {
                if let Some(r) = &registry {
                    already = update_registry(vm, &st, r, &text, &category, false)?;
                }
            }
            "default" => {}
            _ => {
                let item = item.unwrap_or_else(|| vm.none.clone());
                let msg = format!(
                    "Unrecognized action ({}) in warnings.filters:\n {}",
                    str_data(&crate::ops::repr(vm, &action)?).as_str(),
                    str_data(&crate::ops::repr(vm, &item)?).as_str()
                );
                return Err(vm.new_error(&vm.types.runtime_error, msg));
            }
        }
    }
    if already {
        return Ok(());
    }
    show(vm, &category, &text, &message, filename, lineno, sourceline, source)
}

/// Shows a warning: `warnings._showwarnmsg(WarningMessage(...))` when
/// `warnings` is imported (or importable, given a `source`), else
/// CPython's own output on `sys.stderr`.
#[allow(clippy::too_many_arguments)]
fn show(
    vm: &Vm,
    category: &Obj,
    text: &Obj,
    message: &Obj,
    filename: &Obj,
    lineno: i64,
    sourceline: Option<Obj>,
    source: Option<Obj>,
) -> PyResult<()> {
    if let Some(show_fn) = warnings_attr(vm, "_showwarnmsg", source.is_some())? {
        if !crate::ops::callable(&show_fn) {
            return Err(vm.type_error("warnings._showwarnmsg() must be set to a callable"));
        }
        let Some(cls) = warnings_attr(vm, "WarningMessage", false)? else {
            return Err(vm.new_error(&vm.types.runtime_error, "unable to get warnings.WarningMessage"));
        };
        let source = source.unwrap_or_else(|| vm.none.clone());
        let args = [message.clone(), category.clone(), filename.clone(), vm.int(lineno), vm.none.clone(), vm.none.clone(), source];
        let msg = call_object(vm, &cls, &args)?;
        call_object(vm, &show_fn, &[msg])?;
        return Ok(());
    }
    let name = match getattr_opt(vm, category, &vm.intern("__name__"))? {
        Some(n) => crate::ops::str(vm, &n)?,
        None => new_str(vm, "?"),
    };
    let mut out = format!(
        "{}:{lineno}: {}: {}\n",
        str_data(&crate::ops::str(vm, filename)?).as_str(),
        str_data(&name).as_str(),
        str_data(&crate::ops::str(vm, text)?).as_str()
    );
    let line = match sourceline {
        Some(l) => Some(str_data(&crate::ops::str(vm, &l)?).as_str().into_owned()),
        None => file_line(&str_data(filename).as_str(), lineno),
    };
    if let Some(l) = line {
        let l = l.trim_start_matches([' ', '\t', '\x0c']);
        let l = l.strip_suffix('\n').unwrap_or(l);
        out.push_str(&format!("  {l}\n"));
    }
    crate::stdio::write(vm, "stderr", &out)
}

/// Line `lineno` of the file `filename`, if it can be read.
fn file_line(filename: &str, lineno: i64) -> Option<String> {
    let n = usize::try_from(lineno).ok()?.checked_sub(1)?;
    let data = std::fs::read(filename).ok()?;
    let text = String::from_utf8_lossy(&data);
    text.split_inclusive('\n').nth(n).map(str::to_string)
}

fn warning_type(vm: &Vm) -> Obj {
    vm.exception_type("Warning").unwrap_or_else(|| vm.types.exception.clone())
}

/// Frames of the importlib machinery are skipped by `stacklevel`.
fn is_internal(view: &FrameView) -> bool {
    view.code
        .downcast::<crate::function::CodeData>()
        .is_some_and(|c| c.unit.filename.contains("importlib") && c.unit.filename.contains("_bootstrap"))
}

/// Issues `message` as a warning of the built-in category named
/// `category` (`PyErr_WarnEx`); an "error" filter makes it the error.
pub fn warn_builtin(vm: &Vm, category: &str, message: &str, stacklevel: i64) -> PyResult<()> {
    let category = vm.exception_type(category).unwrap_or_else(|| warning_type(vm));
    warn(vm, &[new_str(vm, message), category, vm.int(stacklevel)], &[]).map(drop)
}

/// `PyErr_WarnExplicit`: `message` as a warning of the built-in category
/// `category` at `filename`:`lineno` (the module name from the file name,
/// no registry), as the compiler's warnings are issued.
pub fn warn_explicit_builtin(vm: &Vm, category: &str, message: &str, filename: &str, lineno: i64) -> PyResult<()> {
    let category = vm.exception_type(category).unwrap_or_else(|| warning_type(vm));
    warn_explicit_impl(vm, category, new_str(vm, message), &new_str(vm, filename), lineno, None, None, None, None)
}

/// `warn_builtin` with a `source` object (`PyErr_ResourceWarning`'s
/// source: the unclosed file, shown by tracemalloc).
pub fn warn_builtin_source(vm: &Vm, category: &str, message: &str, stacklevel: i64, source: &Obj) -> PyResult<()> {
    let category = vm.exception_type(category).unwrap_or_else(|| warning_type(vm));
    warn(vm, &[new_str(vm, message), category, vm.int(stacklevel), source.clone()], &[]).map(drop)
}

/// `warn(message, category=None, stacklevel=1, source=None)`.
fn warn(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static PARAMS: Params =
        Params { fname: "warn", names: &["message", "category", "stacklevel", "source"], posonly: 0, kwonly: 0, required: 1 };
    let [message, category, stacklevel, source] = native::bind::<4>(vm, &PARAMS, args, kw)?;
    let message = message.unwrap_or_else(|| vm.none.clone());
    let category = if crate::classes::isinstance(vm, &message, &warning_type(vm))? {
        type_of(&message)
    } else {
        match category.filter(|c| !c.is(&vm.none)) {
            Some(c) => c,
            None => vm.exception_type("UserWarning").unwrap_or_else(|| warning_type(vm)),
        }
    };
    if !matches!(crate::classes::issubclass(vm, &category, &warning_type(vm)), Ok(true)) {
        return Err(vm.type_error(format!("category must be a Warning subclass, not '{}'", builtin::type_name(&category))));
    }
    let stacklevel = match stacklevel {
        Some(s) => builtin::expect_int(vm, &crate::ops::index(vm, &s)?, "")?,
        None => 1,
    };
    // The caller's frames, outermost first, the caller last.
    let mut chain: Vec<FrameView> = Vec::new();
    if let Some(view) = crate::eval::caller_frame(vm) {
        chain.extend(view.callers.iter().cloned());
        chain.push(view);
    } else {
        // Issued by native code (`PyErr_WarnEx` from C): the Python frame
        // that ran it.
        chain = crate::eval::native_caller_views(vm);
    }
    let mut at: Option<usize> = chain.len().checked_sub(1);
    let mut level = stacklevel;
    if stacklevel <= 0 || at.is_some_and(|i| is_internal(&chain[i])) {
        while level > 1 {
            level -= 1;
            at = at.and_then(|i| i.checked_sub(1));
        }
    } else {
        while level > 1 {
            level -= 1;
            loop {
                at = at.and_then(|i| i.checked_sub(1));
                match at {
                    Some(i) if is_internal(&chain[i]) => continue,
                    _ => break,
                }
            }
        }
    }
    let (globals, filename, lineno) = match at.map(|i| &chain[i]) {
        Some(f) => {
            let (filename, lineno) = match f.code.downcast::<crate::function::CodeData>() {
                Some(c) => (c.unit.filename.to_string(), c.unit.locations.get(f.lasti as usize).map_or(1, |l| l.lineno as i64)),
                None => ("sys".to_string(), 1),
            };
            (f.globals.clone(), filename, lineno)
        }
        None => {
            let sys = crate::import::import_absolute(vm, "sys")?;
            let dict = getattr_opt(vm, &sys, &vm.intern("__dict__"))?.unwrap_or_else(|| builtin::new_dict(vm));
            (dict, "sys".to_string(), 1)
        }
    };
    let registry = match builtin::dict_get_str(vm, &globals, "__warningregistry__")? {
        Some(r) => r,
        None => {
            let r = builtin::new_dict(vm);
            builtin::dict_set(vm, &globals, vm.intern("__warningregistry__"), r.clone())?;
            r
        }
    };
    let module = match builtin::dict_get_str(vm, &globals, "__name__")? {
        Some(m) if m.is(&vm.none) => None,
        Some(m) if m.downcast::<StrData>().is_some() => Some(m),
        _ => Some(new_str(vm, "<string>")),
    };
    let source = source.filter(|s| !s.is(&vm.none));
    warn_explicit_impl(vm, category, message, &new_str(vm, &filename), lineno, module, Some(registry), None, source)?;
    Ok(vm.none.clone())
}

/// `warn_explicit(message, category, filename, lineno, module=None,
/// registry=None, module_globals=None, source=None)`.
fn warn_explicit(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static PARAMS: Params = Params {
        fname: "warn_explicit",
        names: &["message", "category", "filename", "lineno", "module", "registry", "module_globals", "source"],
        posonly: 0,
        kwonly: 0,
        required: 4,
    };
    let [message, category, filename, lineno, module, registry, module_globals, source] = native::bind::<8>(vm, &PARAMS, args, kw)?;
    let none = || vm.none.clone();
    let message = message.unwrap_or_else(none);
    let category = category.unwrap_or_else(none);
    let filename = filename.unwrap_or_else(none);
    if filename.downcast::<StrData>().is_none() {
        return Err(vm.type_error(format!("warn_explicit() argument 'filename' must be str, not {}", builtin::type_name(&filename))));
    }
    let lineno = builtin::expect_int(vm, &lineno.unwrap_or_else(none), "")?;
    let module_globals = module_globals.filter(|g| !g.is(&vm.none));
    let mut sourceline = None;
    if let Some(g) = &module_globals {
        if g.downcast::<builtin::DictData>().is_none() {
            return Err(vm.type_error(format!("module_globals must be a dict, not '{}'", builtin::type_name(g))));
        }
        sourceline = source_line(vm, g, lineno)?;
    }
    let source = source.filter(|s| !s.is(&vm.none));
    warn_explicit_impl(vm, category, message, &filename, lineno, module, registry, sourceline, source)?;
    Ok(vm.none.clone())
}

/// Line `lineno` of the module's source, from its `__loader__`.
fn source_line(vm: &Vm, globals: &Obj, lineno: i64) -> PyResult<Option<Obj>> {
    let Some(loader) = builtin::dict_get_str(vm, globals, "__loader__")? else { return Ok(None) };
    let Some(name) = builtin::dict_get_str(vm, globals, "__name__")? else { return Ok(None) };
    let source = crate::lang::call_method(vm, &loader, "get_source", &[name])?;
    if source.is(&vm.none) {
        return Ok(None);
    }
    let lines = crate::lang::call_method(vm, &source, "splitlines", &[])?;
    let lines = crate::sequence::to_vec(vm, &lines)?;
    let i = usize::try_from(lineno - 1).ok();
    Ok(i.and_then(|i| lines.get(i).cloned()))
}

/// `_filters_mutated()`: registries made before are stale.
fn filters_mutated(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    native::exact::<0>(vm, "_filters_mutated", args, kw)?;
    let st = state(vm)?;
    st.version.set(st.version.get() + 1);
    Ok(vm.none.clone())
}

/// The warning for a coroutine dropped before it started (CPython's
/// `_PyErr_WarnUnawaitedCoroutine`, run by its finalizer): through
/// `warnings._warn_unawaited_coroutine` (which adds the `cr_origin`
/// lines), else a plain "coroutine ... was never awaited"
/// RuntimeWarning. Errors are reported as unraisable; an error that is
/// the warning itself (an "error" filter) counts as warned.
pub(crate) fn warn_unawaited_coroutine(vm: &Vm, coro: &Obj) {
    let runtime_warning = vm.exception_type("RuntimeWarning").unwrap_or_else(|| warning_type(vm));
    let mut warned = false;
    let r = warnings_attr(vm, "_warn_unawaited_coroutine", true)
        .and_then(|f| f.map(|f| call_object(vm, &f, std::slice::from_ref(coro))).transpose());
    match r {
        Ok(Some(_)) => warned = true,
        Ok(None) => {}
        Err(e) => {
            warned = crate::types::is_subtype(&type_of(&e.exc), &runtime_warning);
            crate::gc::report_unraisable(vm, e, Some(coro));
        }
    }
    if warned {
        return;
    }
    let qualname = getattr_opt(vm, coro, &vm.intern("__qualname__")).ok().flatten();
    let qualname =
        qualname.and_then(|q| crate::ops::str(vm, &q).ok()).map_or_else(|| "?".to_string(), |q| str_data(&q).as_str().into_owned());
    let msg = new_str(vm, &format!("coroutine '{qualname}' was never awaited"));
    let kw = [(vm.intern("source"), coro.clone())];
    if let Err(e) = warn(vm, &[msg, runtime_warning], &kw) {
        crate::gc::report_unraisable(vm, e, Some(coro));
    }
}
