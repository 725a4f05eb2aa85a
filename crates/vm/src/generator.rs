//! Generators, coroutines and asynchronous generators: a suspended frame
//! that `send()` resumes until its next `yield`, `throw()` resumes with an
//! exception raised at the `yield`, and `close()` ends with GeneratorExit.
//! A frame suspended in `yield from` or `await` delegates `send`, `throw`
//! and `close` to the iterator it drives (CPython's `gi_yieldfrom`).
//!
//! Asynchronous generators are driven through the awaitables that
//! `__anext__`/`asend`/`athrow`/`aclose` return: a plain `yield` in the
//! generator finishes the awaitable (StopIteration carrying the value),
//! while the yields of its `await`s pass through to the event loop.

use std::cell::{Cell, RefCell};

use crate::eval::{resume_generator, Exit, Frame, Resume};
use crate::native::{at_most, exact, MethodDef};
use crate::object::{alloc, Obj};
use crate::ops;
use crate::types::builtin::{self, new_str, type_name};
use crate::types::{is_subtype, type_of, Slots};
use crate::vm::{PyErr, Vm};
use crate::PyResult;
use taipan_compiler::bytecode::{decode, Opcode};
use taipan_compiler::codegen::{CO_ASYNC_GENERATOR, CO_COROUTINE, YIELD_DELEGATING};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Generator,
    Coroutine,
    AsyncGenerator,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Generator => "generator",
            Kind::Coroutine => "coroutine",
            Kind::AsyncGenerator => "async generator",
        }
    }
}

pub struct GeneratorData {
    /// The suspended frame; `None` once finished.
    frame: RefCell<Option<Box<Frame>>>,
    /// Whether the frame has started (a fresh generator accepts only
    /// `send(None)`).
    started: Cell<bool>,
    running: Cell<bool>,
    /// `__name__`/`__qualname__` (assignable).
    name: RefCell<Obj>,
    qualname: RefCell<Obj>,
    code: Obj,
    /// The frame's globals (seen while the frame runs, taken out).
    globals: Obj,
    kind: Kind,
    /// Async generators: an `asend`/`athrow` is being awaited.
    running_async: Cell<bool>,
    /// Async generators: `aclose()` was called or it finished.
    closed: Cell<bool>,
    /// Async generators: `sys.set_asyncgen_hooks`' `firstiter` was called.
    hooks_inited: Cell<bool>,
    /// Coroutines: `cr_origin` (tuple of `(filename, lineno, name)` of the
    /// creating frames, when origin tracking was on). Async generators: the
    /// `finalizer` hook found at the first iteration (CPython 3.12's
    /// `ag_origin_or_finalizer`).
    origin_or_finalizer: RefCell<Option<Obj>>,
}

/// What resuming a generator produced.
pub enum GenResult {
    /// A yielded value; `true` for the yields of `yield from`/`await`.
    Yield(Obj, bool),
    Return(Obj),
}

/// A generator, coroutine or async generator for a new frame, by its
/// code's flags. `caller` is the frame making the call when the eval loop
/// makes it (a coroutine's `cr_origin` starts there).
pub fn new_generator(vm: &Vm, frame: Box<Frame>, caller: Option<&Frame>) -> Obj {
    let unit = frame.code_unit();
    let name = new_str(vm, &unit.name);
    let qualname = new_str(vm, &unit.qualname);
    let code = frame.code().clone();
    let globals = frame.globals().clone();
    let (kind, ty) = if unit.flags & CO_COROUTINE != 0 {
        (Kind::Coroutine, vm.types.coroutine.clone())
    } else if unit.flags & CO_ASYNC_GENERATOR != 0 {
        (Kind::AsyncGenerator, vm.types.async_generator.clone())
    } else {
        (Kind::Generator, vm.types.generator.clone())
    };
    let depth = vm.coro_origin_depth.get();
    let origin = if kind == Kind::Coroutine && depth > 0 { Some(coroutine_origin(vm, caller, depth)) } else { None };
    alloc(
        ty,
        GeneratorData {
            frame: RefCell::new(Some(frame)),
            started: Cell::new(false),
            running: Cell::new(false),
            name: RefCell::new(name),
            qualname: RefCell::new(qualname),
            code,
            globals,
            kind,
            running_async: Cell::new(false),
            closed: Cell::new(false),
            hooks_inited: Cell::new(false),
            origin_or_finalizer: RefCell::new(origin),
        },
    )
}

/// `cr_origin`: `(filename, lineno, function name)` of the `depth`
/// innermost frames calling the coroutine function.
fn coroutine_origin(vm: &Vm, caller: Option<&Frame>, depth: u32) -> Obj {
    let frames = crate::eval::stack_positions(vm, caller, depth as usize);
    let items = frames
        .into_iter()
        .map(|(code, last)| {
            let (file, name) = match code.downcast::<crate::function::CodeData>() {
                Some(c) => (new_str(vm, &c.unit.filename), new_str(vm, &c.unit.name)),
                None => (new_str(vm, "?"), new_str(vm, "?")),
            };
            let line = vm.int(crate::function::code_line(&code, last) as i64);
            builtin::new_tuple(vm, vec![file, line, name])
        })
        .collect();
    builtin::new_tuple(vm, items)
}

/// The `finalize` slot (CPython's `_PyGen_Finalize`): a suspended
/// generator is closed; a coroutine never started warns "coroutine ... was
/// never awaited"; an async generator with a `finalizer` hook is handed to
/// it. Errors are reported as unraisable.
fn generator_finalize(vm: &Vm, o: &Obj) {
    let Some(g) = o.downcast::<GeneratorData>() else { return };
    if g.running.get() || g.frame.borrow().is_none() {
        return;
    }
    if g.kind == Kind::AsyncGenerator && !g.closed.get() {
        let finalizer = g.origin_or_finalizer.borrow().clone();
        if let Some(f) = finalizer {
            if let Err(e) = crate::classes::call_object(vm, &f, std::slice::from_ref(o)) {
                crate::gc::report_unraisable(vm, e, Some(o));
            }
            return;
        }
    }
    if g.kind == Kind::Coroutine && !g.started.get() {
        crate::warnings::warn_unawaited_coroutine(vm, o);
        return;
    }
    if let Err(e) = close(vm, o) {
        crate::gc::report_unraisable(vm, e, Some(o));
    }
}

pub fn generator_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let (noun, q) = match o.downcast::<GeneratorData>() {
                Some(g) => (
                    match g.kind {
                        Kind::Generator => "generator",
                        Kind::Coroutine => "coroutine",
                        Kind::AsyncGenerator => "async_generator",
                    },
                    builtin::str_data(&g.qualname.borrow()).as_str().into_owned(),
                ),
                None => ("generator", "?".to_string()),
            };
            Ok(new_str(vm, &format!("<{noun} object {q} at {:#x}>", o.as_ptr() as usize)))
        }),
        iter: Some(|vm, o| match o.downcast::<GeneratorData>() {
            Some(g) if g.kind != Kind::Generator => Err(vm.type_error(format!("'{}' object is not iterable", type_name(o)))),
            _ => Ok(o.clone()),
        }),
        next: Some(|vm, o| match o.downcast::<GeneratorData>() {
            Some(g) if g.kind != Kind::Generator => Err(vm.type_error(format!("'{}' object is not an iterator", type_name(o)))),
            _ => match send_ex(vm, o, Resume::Value(vm.none.clone()))? {
                GenResult::Yield(v, _) => Ok(Some(v)),
                GenResult::Return(v) if v.is(&vm.none) => Ok(None),
                GenResult::Return(v) => Err(stop_iteration(vm, Some(v))),
            },
        }),
        traverse: Some(generator_traverse),
        clear: Some(generator_clear),
        finalize: Some(generator_finalize),
        ..builtin::object_slots()
    }
}

pub fn stop_iteration(vm: &Vm, v: Option<Obj>) -> PyErr {
    PyErr { exc: builtin::new_exception(vm, &vm.types.stop_iteration, v.into_iter().collect()) }
}

/// A built-in exception class by name (they live in `builtins`).
pub fn builtin_class(vm: &Vm, name: &str) -> PyResult<Obj> {
    match builtin::dict_get_str(vm, &vm.builtins, name)? {
        Some(c) => Ok(c),
        None => Err(vm.new_error(&vm.types.runtime_error, format!("builtin {name} is missing"))),
    }
}

fn is_instance_of(vm: &Vm, exc: &Obj, name: &str) -> bool {
    match builtin_class(vm, name) {
        Ok(c) => is_subtype(&type_of(exc), &c),
        Err(_) => false,
    }
}

/// The frame's sub-iterator when it is suspended in `yield from`/`await`.
fn delegate(frame: &Frame) -> Option<Obj> {
    let unit = frame.code_unit();
    let ip = frame.ip();
    let prev = ip.checked_sub(1).and_then(|i| unit.code.get(i)).copied()?;
    match decode(prev) {
        (Some(Opcode::YieldValue), YIELD_DELEGATING) => frame.top(),
        _ => None,
    }
}

fn gen_delegate(g: &GeneratorData) -> Option<Obj> {
    g.frame.borrow().as_deref().and_then(delegate)
}

/// Resumes the generator `g` with a value sent in or an exception thrown
/// in (CPython's `gen_send_ex2`).
pub fn send_ex(vm: &Vm, g: &Obj, input: Resume) -> PyResult<GenResult> {
    let Some(data) = g.downcast::<GeneratorData>() else {
        return Err(vm.type_error(format!("expected a generator, not {}", type_name(g))));
    };
    if data.running.get() {
        return Err(vm.new_error(&vm.types.value_error, format!("{} already executing", data.kind.noun())));
    }
    let Some(frame) = data.frame.borrow_mut().take() else {
        return match input {
            // An exhausted coroutine refuses a thrown exception too
            // (`close()` does not come here).
            _ if data.kind == Kind::Coroutine => Err(vm.new_error(&vm.types.runtime_error, "cannot reuse already awaited coroutine")),
            Resume::Throw(e) => Err(PyErr { exc: e }),
            _ => Ok(GenResult::Return(vm.none.clone())),
        };
    };
    let input = match input {
        Resume::Value(v) if !data.started.get() => {
            if !v.is(&vm.none) {
                *data.frame.borrow_mut() = Some(frame);
                return Err(vm.type_error(format!("can't send non-None value to a just-started {}", data.kind.noun())));
            }
            Resume::Continue
        }
        other => other,
    };
    data.started.set(true);
    data.running.set(true);
    let (r, kept) = resume_generator(vm, frame, input);
    data.running.set(false);
    if let Some(f) = &kept {
        link_frame_object(vm, g, f);
    }
    let finished = kept.is_none();
    *data.frame.borrow_mut() = kept;
    if finished && data.kind == Kind::AsyncGenerator {
        data.closed.set(true);
    }
    match r {
        Ok(Exit::Yield(v, delegating)) => Ok(GenResult::Yield(v, delegating)),
        Ok(Exit::Return(v)) => Ok(GenResult::Return(v)),
        Err(e) => Err(PyErr { exc: leaving_error(vm, data.kind, e.exc) }),
    }
}

/// The exception leaving a generator's frame as its resumer sees it: a
/// StopIteration (StopAsyncIteration from an async generator) becomes a
/// RuntimeError caused by it (PEP 479).
fn leaving_error(vm: &Vm, kind: Kind, exc: Obj) -> Obj {
    let noun = kind.noun();
    let msg = if is_subtype(&type_of(&exc), &vm.types.stop_iteration) {
        format!("{noun} raised StopIteration")
    } else if kind == Kind::AsyncGenerator && is_instance_of(vm, &exc, "StopAsyncIteration") {
        format!("{noun} raised StopAsyncIteration")
    } else {
        return exc;
    };
    let err = vm.new_error(&vm.types.runtime_error, msg);
    if let Some(d) = builtin::exception_data(&err.exc) {
        *d.cause.borrow_mut() = Some(exc.clone());
        *d.context.borrow_mut() = Some(exc);
        d.suppress_context.set(true);
    }
    err.exc
}

// ----- resumption inside the caller's eval loop -----
//
// `for x in gen` and `yield from gen` over a plain generator run the
// generator's frame in the loop that runs their frame (`eval::ForIter`,
// `eval::Send`): the frame is taken out of the generator here, runs as
// the caller's callee with the generator on the caller's stack, and comes
// back at its next `yield` (`suspend_inline`) or finishes
// (`finish_inline`). No nested run of the loop, no StopIteration.

/// Takes the suspended frame of `g` to run it inside the caller's loop,
/// with `v` (the value sent; None for `next`) pushed when the frame has
/// started; the generator is marked running. `Err(v)` when `g` is not a
/// plain generator that can be resumed so (running, finished, a non-None
/// value for a fresh one): the ordinary path handles (and reports) it.
pub(crate) fn take_inline(vm: &Vm, g: &Obj, v: Obj) -> Result<Box<Frame>, Obj> {
    if !std::ptr::eq(g.type_ptr(), vm.types.generator.as_ptr()) {
        return Err(v);
    }
    let Some(data) = g.downcast::<GeneratorData>() else { return Err(v) };
    if data.running.get() || data.kind != Kind::Generator || (!data.started.get() && !v.is(&vm.none)) {
        return Err(v);
    }
    let Some(mut frame) = data.frame.borrow_mut().take() else { return Err(v) };
    if data.started.get() {
        frame.push(v);
    }
    data.started.set(true);
    data.running.set(true);
    Ok(frame)
}

/// A suspended generator frame's frame object (if it has one: made by a
/// traceback, `gi_frame`, `sys._getframe`) knows its generator, which its
/// `clear()` closes.
fn link_frame_object(vm: &Vm, g: &Obj, frame: &Frame) {
    let Some(d) = frame.frame_obj().and_then(|o| o.downcast::<crate::sysmodule::FrameData>()) else { return };
    if d.generator.borrow().is_none() {
        if let Ok(w) = crate::weakref::new_ref(vm, g) {
            let old = d.generator.replace(Some(w));
            drop(old);
        }
    }
}

/// Whether generator `g` has a frame that is not running (suspended, or
/// not started).
pub(crate) fn is_suspended(g: &Obj) -> bool {
    g.downcast::<GeneratorData>().is_some_and(|d| !d.running.get() && d.frame.borrow().is_some())
}

/// Whether generator `g` has finished (its frame is gone).
pub(crate) fn is_finished(g: &Obj) -> bool {
    g.downcast::<GeneratorData>().is_some_and(|d| !d.running.get() && d.frame.borrow().is_none())
}

/// The inline-resumed frame of `g` yielded: it waits in the generator again.
pub(crate) fn suspend_inline(vm: &Vm, g: &Obj, frame: Box<Frame>) {
    if frame.frame_obj().is_some() {
        link_frame_object(vm, g, &frame);
    }
    if let Some(data) = g.downcast::<GeneratorData>() {
        *data.frame.borrow_mut() = Some(frame);
        data.running.set(false);
    }
}

/// The inline-resumed frame of `g` returned or raised `exc` (given back
/// as the caller sees it): the generator is finished.
pub(crate) fn finish_inline(vm: &Vm, g: &Obj, exc: Option<Obj>) -> Option<Obj> {
    let data = g.downcast::<GeneratorData>()?;
    data.running.set(false);
    exc.map(|e| leaving_error(vm, data.kind, e))
}

/// The code and globals of a generator's frame (for the frame views of a
/// generator resumed inside its caller's loop).
pub(crate) fn code_and_globals(g: &Obj) -> Option<(Obj, Obj)> {
    let data = g.downcast::<GeneratorData>()?;
    Some((data.code.clone(), data.globals.clone()))
}

/// What one step of driving a sub-iterator produced (`Send`).
pub enum SendResult {
    Yielded(Obj),
    Returned(Obj),
}

fn stop_value(vm: &Vm, e: PyErr) -> PyResult<SendResult> {
    if is_subtype(&type_of(&e.exc), &vm.types.stop_iteration) {
        let v = builtin::exception_data(&e.exc)
            .and_then(|d| d.args.borrow().downcast::<builtin::TupleData>().and_then(|t| t.items.first().cloned()))
            .unwrap_or_else(|| vm.none.clone());
        return Ok(SendResult::Returned(v));
    }
    Err(e)
}

/// Sends `v` into the iterator `it` of a `yield from` or `await`.
pub fn send(vm: &Vm, it: &Obj, v: Obj) -> PyResult<SendResult> {
    if it.downcast::<GeneratorData>().is_some() {
        return match send_ex(vm, it, Resume::Value(v))? {
            GenResult::Yield(x, _) => Ok(SendResult::Yielded(x)),
            GenResult::Return(r) => Ok(SendResult::Returned(r)),
        };
    }
    if let Some(w) = it.downcast::<CoroWrapperData>() {
        return send(vm, &w.coro.clone(), v);
    }
    if std::ptr::eq(it.type_ptr(), vm.types.async_generator_asend.as_ptr()) {
        // Its `__next__` and `send` are `asend_send`.
        return asend_step(vm, it, v);
    }
    match send_other(vm, it, v)? {
        Some(Ok(x)) => Ok(SendResult::Yielded(x)),
        Some(Err(e)) => stop_value(vm, e),
        None => Ok(SendResult::Returned(vm.none.clone())),
    }
}

/// `send` for an iterator other than a generator: its `__next__` (`v` is
/// None) or its `send` method, as run (`Some`), or None when a native
/// iterator ended without raising.
fn send_other(vm: &Vm, it: &Obj, v: Obj) -> PyResult<Option<PyResult<Obj>>> {
    if v.is(&vm.none) {
        return Ok(Some(match crate::types::lookup(&type_of(it), "__next__") {
            Some(f) => crate::classes::call_object(vm, &f, std::slice::from_ref(it)),
            None => match ops::next_raw(vm, it) {
                Ok(Some(x)) => Ok(x),
                Ok(None) => return Ok(None),
                Err(e) => Err(e),
            },
        }));
    }
    let m = crate::classes::getattr(vm, it, &vm.intern("send"))?;
    Ok(Some(ops::call(vm, &m, &[v])))
}

/// [`send`] for a `yield from`/`await` in a traced frame (CPython's `SEND`
/// while a trace function is set): also the StopIteration the iterator
/// finished with, for the frame's 'exception' event. A plain generator
/// resumed with None raises one only when it returned a value (its
/// `__next__`); a coroutine's or a generator's `send` always does; a
/// native iterator that ran out raises none.
pub fn send_traced(vm: &Vm, it: &Obj, v: Obj) -> PyResult<(SendResult, Option<Obj>)> {
    let stop =
        |vm: &Vm, r: &Obj| builtin::new_exception(vm, &vm.types.stop_iteration, if r.is(&vm.none) { vec![] } else { vec![r.clone()] });
    let by_next = v.is(&vm.none);
    if let Some(g) = it.downcast::<GeneratorData>() {
        let kind = g.kind;
        return Ok(match send_ex(vm, it, Resume::Value(v))? {
            GenResult::Yield(x, _) => (SendResult::Yielded(x), None),
            GenResult::Return(r) => {
                let raised = !(kind == Kind::Generator && by_next && r.is(&vm.none));
                let exc = raised.then(|| stop(vm, &r));
                (SendResult::Returned(r), exc)
            }
        });
    }
    if let Some(w) = it.downcast::<CoroWrapperData>() {
        let r = send(vm, &w.coro.clone(), v)?;
        let exc = match &r {
            SendResult::Returned(r) if !(by_next && r.is(&vm.none)) => Some(stop(vm, r)),
            _ => None,
        };
        return Ok((r, exc));
    }
    match send_other(vm, it, v)? {
        Some(Ok(x)) => Ok((SendResult::Yielded(x), None)),
        Some(Err(e)) => {
            let exc = e.exc.clone();
            Ok((stop_value(vm, e)?, Some(exc)))
        }
        None => Ok((SendResult::Returned(vm.none.clone()), None)),
    }
}

/// `throw()` on a generator: delegated to the iterator of a pending
/// `yield from`/`await` first (CPython's `_gen_throw`).
pub fn throw(vm: &Vm, g: &Obj, exc: Obj) -> PyResult<GenResult> {
    let Some(data) = g.downcast::<GeneratorData>() else {
        return Err(vm.type_error("expected a generator"));
    };
    if let Some(yf) = gen_delegate(data) {
        if is_instance_of(vm, &exc, "GeneratorExit") {
            data.running.set(true);
            let r = close_iter(vm, &yf);
            data.running.set(false);
            if let Err(e) = r {
                return send_ex(vm, g, Resume::Throw(e.exc));
            }
            return send_ex(vm, g, Resume::Throw(exc));
        }
        data.running.set(true);
        let r = if yf.downcast::<GeneratorData>().is_some() {
            throw(vm, &yf, exc).map(|r| match r {
                GenResult::Yield(v, _) => SendResult::Yielded(v),
                GenResult::Return(v) => SendResult::Returned(v),
            })
        } else if let Some(w) = yf.downcast::<CoroWrapperData>() {
            throw(vm, &w.coro.clone(), exc).map(|r| match r {
                GenResult::Yield(v, _) => SendResult::Yielded(v),
                GenResult::Return(v) => SendResult::Returned(v),
            })
        } else {
            match crate::classes::getattr_opt(vm, &yf, &vm.intern("throw"))? {
                Some(m) => match ops::call(vm, &m, std::slice::from_ref(&exc)) {
                    Ok(v) => Ok(SendResult::Yielded(v)),
                    Err(e) => stop_value(vm, e),
                },
                None => {
                    data.running.set(false);
                    return send_ex(vm, g, Resume::Throw(exc));
                }
            }
        };
        data.running.set(false);
        return match r {
            Ok(SendResult::Yielded(v)) => Ok(GenResult::Yield(v, true)),
            // The sub-iterator finished: its value is the result of the
            // `yield from`, and the generator goes on from there.
            Ok(SendResult::Returned(v)) => {
                if let Some(f) = data.frame.borrow_mut().as_mut() {
                    f.finish_delegation(v);
                }
                send_ex(vm, g, Resume::Continue)
            }
            Err(e) => send_ex(vm, g, Resume::Throw(e.exc)),
        };
    }
    send_ex(vm, g, Resume::Throw(exc))
}

fn close_iter(vm: &Vm, it: &Obj) -> PyResult<()> {
    if it.downcast::<GeneratorData>().is_some() {
        return close(vm, it);
    }
    if let Some(w) = it.downcast::<CoroWrapperData>() {
        return close(vm, &w.coro.clone());
    }
    if let Some(m) = crate::classes::getattr_opt(vm, it, &vm.intern("close"))? {
        ops::call(vm, &m, &[])?;
    }
    Ok(())
}

/// `close()`: GeneratorExit thrown in must end the generator.
pub fn close(vm: &Vm, g: &Obj) -> PyResult<()> {
    let Some(data) = g.downcast::<GeneratorData>() else { return Ok(()) };
    if !data.started.get() || data.frame.borrow().is_none() {
        if !data.running.get() {
            let old = data.frame.borrow_mut().take();
            drop(old);
        }
        return Ok(());
    }
    let exit = builtin::new_exception(vm, &builtin_class(vm, "GeneratorExit")?, vec![]);
    match throw(vm, g, exit) {
        Ok(GenResult::Yield(..)) => Err(vm.new_error(&vm.types.runtime_error, format!("{} ignored GeneratorExit", data.kind.noun()))),
        Ok(GenResult::Return(_)) => Ok(()),
        Err(e) if is_instance_of(vm, &e.exc, "GeneratorExit") || is_subtype(&type_of(&e.exc), &vm.types.stop_iteration) => Ok(()),
        Err(e) => Err(e),
    }
}

/// `throw(type[, value[, traceback]])`'s arguments as one exception. An
/// error from instantiating the class is itself what is thrown in (CPython
/// normalizes the exception inside the generator's frame).
fn throw_args(vm: &Vm, args: &[Obj]) -> PyResult<Obj> {
    match throw_args_checked(vm, args)? {
        Ok(exc) => Ok(exc),
        Err(e) => Ok(e.exc),
    }
}

/// `throw`'s arguments: errors in the arguments themselves (outer), or the
/// exception to throw in / the error making it (inner).
fn throw_args_checked(vm: &Vm, args: &[Obj]) -> PyResult<PyResult<Obj>> {
    if args.get(2).is_some_and(|tb| !tb.is(&vm.none) && !type_of(tb).is(&vm.types.traceback)) {
        return Err(vm.type_error("throw() third argument must be a traceback object"));
    }
    let typ = args.first().cloned().unwrap_or_else(|| vm.none.clone());
    let val = args.get(1).cloned().filter(|v| !v.is(&vm.none));
    if builtin::exception_data(&typ).is_some() {
        if val.is_some() {
            return Err(vm.type_error("instance exception may not have a separate value"));
        }
        return Ok(Ok(typ));
    }
    if typ.downcast::<crate::types::TypeData>().is_some() && is_subtype(&typ, &vm.types.base_exception) {
        let made = match val {
            Some(v) if is_subtype(&type_of(&v), &typ) => return Ok(Ok(v)),
            Some(v) => match v.downcast::<builtin::TupleData>() {
                Some(t) => ops::call(vm, &typ, &t.items),
                None => ops::call(vm, &typ, &[v]),
            },
            None => ops::call(vm, &typ, &[]),
        };
        return Ok(made.and_then(|made| {
            if builtin::exception_data(&made).is_none() {
                let cls = builtin::repr_string(vm, &typ)?;
                let msg = format!("calling {cls} should have returned an instance of BaseException, not {}", type_name(&made));
                return Err(vm.type_error(msg));
            }
            Ok(made)
        }));
    }
    Err(vm.type_error(format!("exceptions must be classes or instances deriving from BaseException, not {}", type_name(&typ))))
}

fn result_value(vm: &Vm, r: GenResult) -> PyResult<Obj> {
    match r {
        GenResult::Yield(v, _) => Ok(v),
        GenResult::Return(v) if v.is(&vm.none) => Err(stop_iteration(vm, None)),
        GenResult::Return(v) => Err(stop_iteration(vm, Some(v))),
    }
}

pub static GENERATOR_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "send",
        |vm, g, a, kw| {
            let [v] = exact(vm, "send", a, kw)?;
            result_value(vm, send_ex(vm, g, Resume::Value(v))?)
        },
        "send(arg) -> send 'arg' into generator,\nreturn next yielded value or raise StopIteration.",
    ),
    MethodDef::method(
        "throw",
        |vm, g, a, kw| {
            let _ = at_most::<3>(vm, "throw", 1, a, kw)?;
            let exc = throw_args(vm, a)?;
            result_value(vm, throw(vm, g, exc)?)
        },
        "throw(value)\nthrow(type[,value[,tb]])\n\nRaise exception in generator, return next yielded value or raise\nStopIteration.",
    ),
    MethodDef::method(
        "close",
        |vm, g, a, kw| {
            let [] = exact(vm, "close", a, kw)?;
            close(vm, g)?;
            Ok(vm.none.clone())
        },
        "close() -> raise GeneratorExit inside generator.",
    ),
];

pub static COROUTINE_METHODS: &[MethodDef] = &[MethodDef::method(
    "__await__",
    |vm, g, a, kw| {
        let [] = exact(vm, "__await__", a, kw)?;
        Ok(alloc(vm.types.coroutine_wrapper.clone(), CoroWrapperData { coro: g.clone() }))
    },
    "Return an iterator to be used in await expression.",
)];

// ----- coroutines -----

/// The iterator `coroutine.__await__()` returns.
pub struct CoroWrapperData {
    coro: Obj,
}

pub fn coro_wrapper_slots() -> Slots {
    Slots {
        iter: Some(|_, o| Ok(o.clone())),
        next: Some(|vm, o| {
            let Some(w) = o.downcast::<CoroWrapperData>() else { return Ok(None) };
            match send_ex(vm, &w.coro.clone(), Resume::Value(vm.none.clone()))? {
                GenResult::Yield(v, _) => Ok(Some(v)),
                GenResult::Return(v) if v.is(&vm.none) => Ok(None),
                GenResult::Return(v) => Err(stop_iteration(vm, Some(v))),
            }
        }),
        ..builtin::object_slots()
    }
}

fn wrapped(o: &Obj) -> Option<Obj> {
    o.downcast::<CoroWrapperData>().map(|w| w.coro.clone())
}

pub static CORO_WRAPPER_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "send",
        |vm, w, a, kw| {
            let [v] = exact(vm, "send", a, kw)?;
            let c = wrapped(w).unwrap_or_else(|| vm.none.clone());
            result_value(vm, send_ex(vm, &c, Resume::Value(v))?)
        },
        "send(arg) -> send 'arg' into coroutine,\nreturn next iterated value or raise StopIteration.",
    ),
    MethodDef::method(
        "throw",
        |vm, w, a, kw| {
            let _ = at_most::<3>(vm, "throw", 1, a, kw)?;
            let exc = throw_args(vm, a)?;
            let c = wrapped(w).unwrap_or_else(|| vm.none.clone());
            result_value(vm, throw(vm, &c, exc)?)
        },
        "throw(value)\nthrow(type[,value[,traceback]])\n\nRaise exception in coroutine, return next iterated value or raise\nStopIteration.",
    ),
    MethodDef::method(
        "close",
        |vm, w, a, kw| {
            let [] = exact(vm, "close", a, kw)?;
            let c = wrapped(w).unwrap_or_else(|| vm.none.clone());
            close(vm, &c)?;
            Ok(vm.none.clone())
        },
        "close() -> raise GeneratorExit inside coroutine.",
    ),
];

/// Whether a generator's code has `CO_ITERABLE_COROUTINE` (set by
/// `types.coroutine`): such generators can be awaited.
fn is_iterable_coroutine(code: &Obj) -> bool {
    code.downcast::<crate::function::CodeData>().is_some_and(|c| c.unit.flags & taipan_compiler::codegen::CO_ITERABLE_COROUTINE != 0)
}

/// `await x`: the iterator that drives `x` (CPython's `_PyCoro_GetAwaitableIter`
/// with `GET_AWAITABLE`'s errors).
pub fn get_awaitable(vm: &Vm, x: &Obj, context: u32) -> PyResult<Obj> {
    if let Some(g) = x.downcast::<GeneratorData>() {
        if g.kind == Kind::Coroutine {
            if gen_delegate(g).is_some() {
                return Err(vm.new_error(&vm.types.runtime_error, "coroutine is being awaited already"));
            }
            return Ok(x.clone());
        }
        // A generator made by `@types.coroutine` (CO_ITERABLE_COROUTINE).
        if g.kind == Kind::Generator && is_iterable_coroutine(&g.code) {
            return Ok(x.clone());
        }
    }
    let ty = type_of(x);
    let Some(f) = crate::types::lookup(&ty, "__await__") else {
        let msg = match context {
            1 => format!("'async with' received an object from __aenter__ that does not implement __await__: {}", type_name(x)),
            2 => format!("'async with' received an object from __aexit__ that does not implement __await__: {}", type_name(x)),
            _ => format!("object {} can't be used in 'await' expression", type_name(x)),
        };
        return Err(vm.type_error(msg));
    };
    let it = crate::classes::call_object(vm, &f, std::slice::from_ref(x))?;
    if let Some(g) = it.downcast::<GeneratorData>() {
        if g.kind == Kind::Coroutine {
            return Err(vm.type_error("__await__() returned a coroutine"));
        }
    }
    if crate::types::type_data_of(&it).slots.get().next.is_none() {
        return Err(vm.type_error(format!("__await__() returned non-iterator of type '{}'", type_name(&it))));
    }
    Ok(it)
}

// ----- asynchronous generators -----

#[derive(Clone, Copy, PartialEq, Eq)]
enum AwaitState {
    Init,
    Iter,
    Closed,
}

/// The awaitable of `__anext__()`/`asend(v)`.
pub struct AsendData {
    gen: Obj,
    value: RefCell<Option<Obj>>,
    state: Cell<AwaitState>,
}

/// The awaitable of `athrow(...)` (`exc` set) or `aclose()` (`exc` None).
pub struct AthrowData {
    gen: Obj,
    exc: Option<Obj>,
    state: Cell<AwaitState>,
}

fn agen<'a>(vm: &Vm, g: &'a Obj) -> PyResult<&'a GeneratorData> {
    g.downcast::<GeneratorData>().ok_or_else(|| vm.type_error("expected an async generator"))
}

/// A plain `yield` of the async generator finishes the awaitable with its
/// value; the yields of its `await`s go through to the event loop.
fn agen_unwrap(vm: &Vm, g: &GeneratorData, r: PyResult<GenResult>) -> PyResult<Obj> {
    match agen_step(vm, g, r)? {
        SendResult::Yielded(v) => Ok(v),
        SendResult::Returned(v) => Err(stop_iteration(vm, Some(v))),
    }
}

/// [`agen_unwrap`] with the awaitable's result as a value: a plain `yield`
/// of the async generator is `Returned` instead of a StopIteration.
fn agen_step(vm: &Vm, g: &GeneratorData, r: PyResult<GenResult>) -> PyResult<SendResult> {
    match r {
        Ok(GenResult::Yield(v, true)) => Ok(SendResult::Yielded(v)),
        Ok(GenResult::Yield(v, false)) => {
            g.running_async.set(false);
            Ok(SendResult::Returned(v))
        }
        Ok(GenResult::Return(_)) => {
            g.running_async.set(false);
            g.closed.set(true);
            Err(PyErr { exc: builtin::new_exception(vm, &builtin_class(vm, "StopAsyncIteration")?, vec![]) })
        }
        Err(e) => {
            g.running_async.set(false);
            if is_instance_of(vm, &e.exc, "StopAsyncIteration") || is_instance_of(vm, &e.exc, "GeneratorExit") {
                g.closed.set(true);
            }
            Err(e)
        }
    }
}

fn asend_send(vm: &Vm, o: &Obj, v: Obj) -> PyResult<Obj> {
    match asend_step(vm, o, v)? {
        SendResult::Yielded(x) => Ok(x),
        SendResult::Returned(x) => Err(stop_iteration(vm, Some(x))),
    }
}

/// `send(v)` on an `asend` awaitable as [`send`] reports it: finishing
/// with the generator's value makes no StopIteration (CPython's `am_send`;
/// `async for` over an async generator goes through here on every item).
fn asend_step(vm: &Vm, o: &Obj, v: Obj) -> PyResult<SendResult> {
    let Some(a) = o.downcast::<AsendData>() else { return Err(vm.type_error("expected asend")) };
    let gen = a.gen.clone();
    let g = agen(vm, &gen)?;
    if a.state.get() == AwaitState::Closed {
        return Err(vm.new_error(&vm.types.runtime_error, "cannot reuse already awaited __anext__()/asend()"));
    }
    let mut v = v;
    if a.state.get() == AwaitState::Init {
        if g.running_async.get() {
            a.state.set(AwaitState::Closed);
            return Err(vm.new_error(&vm.types.runtime_error, "anext(): asynchronous generator is already running"));
        }
        if v.is(&vm.none) {
            v = a.value.borrow_mut().take().unwrap_or_else(|| vm.none.clone());
        }
        a.state.set(AwaitState::Iter);
    }
    g.running_async.set(true);
    let r = agen_step(vm, g, send_ex(vm, &gen, Resume::Value(v)));
    if !matches!(r, Ok(SendResult::Yielded(_))) {
        a.state.set(AwaitState::Closed);
    }
    r
}

fn asend_throw(vm: &Vm, o: &Obj, exc: Obj) -> PyResult<Obj> {
    let Some(a) = o.downcast::<AsendData>() else { return Err(vm.type_error("expected asend")) };
    if a.state.get() == AwaitState::Closed {
        return Err(vm.new_error(&vm.types.runtime_error, "cannot reuse already awaited __anext__()/asend()"));
    }
    let gen = a.gen.clone();
    let g = agen(vm, &gen)?;
    let r = agen_unwrap(vm, g, throw(vm, &gen, exc));
    if r.is_err() {
        a.state.set(AwaitState::Closed);
    }
    r
}

fn athrow_send(vm: &Vm, o: &Obj, v: Obj) -> PyResult<Obj> {
    let Some(a) = o.downcast::<AthrowData>() else { return Err(vm.type_error("expected athrow")) };
    let gen = a.gen.clone();
    let g = agen(vm, &gen)?;
    let aclose = a.exc.is_none();
    if a.state.get() == AwaitState::Closed {
        return Err(vm.new_error(&vm.types.runtime_error, "cannot reuse already awaited aclose()/athrow()"));
    }
    if g.frame.borrow().is_none() {
        a.state.set(AwaitState::Closed);
        return Err(stop_iteration(vm, None));
    }
    let r = if a.state.get() == AwaitState::Init {
        if g.running_async.get() {
            a.state.set(AwaitState::Closed);
            let what = if aclose { "aclose" } else { "athrow" };
            return Err(vm.new_error(&vm.types.runtime_error, format!("{what}(): asynchronous generator is already running")));
        }
        if g.closed.get() {
            a.state.set(AwaitState::Closed);
            return Err(PyErr { exc: builtin::new_exception(vm, &builtin_class(vm, "StopAsyncIteration")?, vec![]) });
        }
        if !v.is(&vm.none) {
            return Err(vm.new_error(&vm.types.runtime_error, "can't send non-None value to a just-started coroutine"));
        }
        a.state.set(AwaitState::Iter);
        g.running_async.set(true);
        let exc = match &a.exc {
            Some(e) => e.clone(),
            None => {
                g.closed.set(true);
                builtin::new_exception(vm, &builtin_class(vm, "GeneratorExit")?, vec![])
            }
        };
        throw(vm, &gen, exc)
    } else {
        send_ex(vm, &gen, Resume::Value(v))
    };
    athrow_finish(vm, a, g, aclose, r)
}

fn athrow_finish(vm: &Vm, a: &AthrowData, g: &GeneratorData, aclose: bool, r: PyResult<GenResult>) -> PyResult<Obj> {
    if aclose {
        match r {
            Ok(GenResult::Yield(v, true)) => Ok(v),
            Ok(GenResult::Yield(_, false)) => {
                g.running_async.set(false);
                a.state.set(AwaitState::Closed);
                Err(vm.new_error(&vm.types.runtime_error, "async generator ignored GeneratorExit"))
            }
            Ok(GenResult::Return(_)) => {
                g.running_async.set(false);
                a.state.set(AwaitState::Closed);
                Err(stop_iteration(vm, None))
            }
            Err(e) => {
                g.running_async.set(false);
                a.state.set(AwaitState::Closed);
                if is_instance_of(vm, &e.exc, "StopAsyncIteration") || is_instance_of(vm, &e.exc, "GeneratorExit") {
                    Err(stop_iteration(vm, None))
                } else {
                    Err(e)
                }
            }
        }
    } else {
        let r = agen_unwrap(vm, g, r);
        if r.is_err() {
            a.state.set(AwaitState::Closed);
        }
        r
    }
}

fn athrow_throw(vm: &Vm, o: &Obj, exc: Obj) -> PyResult<Obj> {
    let Some(a) = o.downcast::<AthrowData>() else { return Err(vm.type_error("expected athrow")) };
    if a.state.get() == AwaitState::Closed {
        return Err(vm.new_error(&vm.types.runtime_error, "cannot reuse already awaited aclose()/athrow()"));
    }
    let gen = a.gen.clone();
    let g = agen(vm, &gen)?;
    let r = throw(vm, &gen, exc);
    athrow_finish(vm, a, g, a.exc.is_none(), r)
}

/// Awaitables that are their own iterators.
fn iterator_slots() -> Slots {
    Slots { iter: Some(|_, o| Ok(o.clone())), ..builtin::object_slots() }
}

/// The slots of both awaitables an async generator hands out
/// (`asend`/`__anext__` and `athrow`/`aclose`).
pub fn awaitable_slots() -> Slots {
    Slots { next: Some(|vm, o| awaitable_send(vm, o, vm.none.clone()).map(Some)), ..iterator_slots() }
}

/// `send(v)` on an `asend` or `athrow` awaitable.
fn awaitable_send(vm: &Vm, o: &Obj, v: Obj) -> PyResult<Obj> {
    if o.downcast::<AsendData>().is_some() {
        asend_send(vm, o, v)
    } else {
        athrow_send(vm, o, v)
    }
}

/// `throw(...)` on an `asend` or `athrow` awaitable.
fn awaitable_throw(vm: &Vm, o: &Obj, exc: Obj) -> PyResult<Obj> {
    if o.downcast::<AsendData>().is_some() {
        asend_throw(vm, o, exc)
    } else {
        athrow_throw(vm, o, exc)
    }
}

/// The state of an `asend` or `athrow` awaitable.
fn await_state(o: &Obj) -> Option<&Cell<AwaitState>> {
    o.downcast::<AsendData>().map(|s| &s.state).or_else(|| o.downcast::<AthrowData>().map(|t| &t.state))
}

pub fn async_generator_slots() -> Slots {
    generator_slots()
}

/// The methods of both awaitables an async generator hands out.
pub static AWAITABLE_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "send",
        |vm, o, a, kw| {
            let [v] = exact(vm, "send", a, kw)?;
            awaitable_send(vm, o, v)
        },
        "send(arg) -> send 'arg' into generator,\nreturn next yielded value or raise StopIteration.",
    ),
    MethodDef::method(
        "throw",
        |vm, o, a, kw| {
            let _ = at_most::<3>(vm, "throw", 1, a, kw)?;
            let exc = throw_args(vm, a)?;
            awaitable_throw(vm, o, exc)
        },
        "throw(value)\nthrow(type[,value[,tb]])\n\nRaise exception in generator, return next yielded value or raise\nStopIteration.",
    ),
    MethodDef::method(
        "close",
        |vm, o, a, kw| {
            let [] = exact(vm, "close", a, kw)?;
            if let Some(state) = await_state(o) {
                state.set(AwaitState::Closed);
            }
            Ok(vm.none.clone())
        },
        "close() -> raise GeneratorExit inside generator.",
    ),
    MethodDef::method(
        "__await__",
        |vm, o, a, kw| {
            let [] = exact(vm, "__await__", a, kw)?;
            Ok(o.clone())
        },
        "Return an iterator to be used in await expression.",
    ),
];

/// The first `__anext__`/`asend`/`athrow`/`aclose` of an async generator
/// calls the `firstiter` hook of `sys.set_asyncgen_hooks` and records its
/// `finalizer` hook, which gets the generator if it is dropped unfinished
/// (CPython's `async_gen_init_hooks`).
fn init_hooks(vm: &Vm, g: &Obj) -> PyResult<()> {
    let Some(d) = g.downcast::<GeneratorData>() else { return Ok(()) };
    if d.hooks_inited.replace(true) {
        return Ok(());
    }
    if let Some(f) = crate::sysmodule::asyncgen_finalizer(vm) {
        *d.origin_or_finalizer.borrow_mut() = Some(f);
    }
    if let Some(f) = crate::sysmodule::asyncgen_firstiter(vm) {
        crate::classes::call_object(vm, &f, std::slice::from_ref(g))?;
    }
    Ok(())
}

/// `g.__anext__()` for an async generator `g` (`async for`'s `GET_ANEXT`).
pub(crate) fn async_gen_anext(vm: &Vm, g: &Obj) -> PyResult<Obj> {
    init_hooks(vm, g)?;
    Ok(new_asend(vm, g, vm.none.clone()))
}

fn new_asend(vm: &Vm, g: &Obj, v: Obj) -> Obj {
    alloc(
        vm.types.async_generator_asend.clone(),
        AsendData { gen: g.clone(), value: RefCell::new(Some(v)), state: Cell::new(AwaitState::Init) },
    )
}

pub static ASYNC_GENERATOR_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "__aiter__",
        |vm, g, a, kw| {
            let [] = exact(vm, "__aiter__", a, kw)?;
            Ok(g.clone())
        },
        "Return an awaitable, that resolves in asynchronous iterator.",
    ),
    MethodDef::method(
        "__anext__",
        |vm, g, a, kw| {
            let [] = exact(vm, "__anext__", a, kw)?;
            async_gen_anext(vm, g)
        },
        "Return a value or raise StopAsyncIteration.",
    ),
    MethodDef::method(
        "asend",
        |vm, g, a, kw| {
            let [v] = exact(vm, "asend", a, kw)?;
            init_hooks(vm, g)?;
            Ok(new_asend(vm, g, v))
        },
        "asend(v) -> send 'v' in generator.",
    ),
    MethodDef::method(
        "athrow",
        |vm, g, a, kw| {
            let _ = at_most::<3>(vm, "athrow", 1, a, kw)?;
            let exc = throw_args(vm, a)?;
            init_hooks(vm, g)?;
            Ok(alloc(
                vm.types.async_generator_athrow.clone(),
                AthrowData { gen: g.clone(), exc: Some(exc), state: Cell::new(AwaitState::Init) },
            ))
        },
        "athrow(typ[,val[,tb]]) -> raise exception in generator.",
    ),
    MethodDef::method(
        "aclose",
        |vm, g, a, kw| {
            let [] = exact(vm, "aclose", a, kw)?;
            init_hooks(vm, g)?;
            Ok(alloc(vm.types.async_generator_athrow.clone(), AthrowData { gen: g.clone(), exc: None, state: Cell::new(AwaitState::Init) }))
        },
        "aclose() -> raise GeneratorExit inside generator.",
    ),
];
fn gen_data<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a GeneratorData> {
    o.downcast::<GeneratorData>().ok_or_else(|| vm.type_error("generator expected"))
}

fn set_gen_name(vm: &Vm, o: &Obj, v: Option<Obj>, qual: bool) -> PyResult<()> {
    let g = gen_data(vm, o)?;
    let attr = if qual { "__qualname__" } else { "__name__" };
    match v {
        Some(v) if v.downcast::<builtin::StrData>().is_some() => {
            let cell = if qual { &g.qualname } else { &g.name };
            drop(cell.replace(v));
            Ok(())
        }
        _ => Err(vm.type_error(format!("{attr} must be set to a string object"))),
    }
}

/// `gi_frame`: a snapshot of the suspended frame (at the `def` line before
/// it starts, as CPython), of the running frame while it runs, None once
/// finished.
fn gen_frame(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let g = gen_data(vm, o)?;
    let mut frame = g.frame.borrow_mut();
    match &mut *frame {
        Some(f) => {
            // The frame keeps its object (`gi_frame is gi_frame`), brought
            // up to date.
            let obj = f.own_frame_object(vm)?;
            let first = f.code_unit().firstlineno;
            drop(frame);
            if let Some(fd) = obj.downcast::<crate::sysmodule::FrameData>() {
                fd.lineno.set(if g.started.get() { 0 } else { first });
                if fd.generator.borrow().is_none() {
                    let old = fd.generator.replace(Some(crate::weakref::new_ref(vm, o)?));
                    drop(old);
                }
            }
            Ok(obj)
        }
        None if g.running.get() => Ok(crate::eval::running_frame_object(vm, &g.code).unwrap_or_else(|| vm.none.clone())),
        None => Ok(vm.none.clone()),
    }
}

fn gen_suspended(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let g = gen_data(vm, o)?;
    Ok(vm.bool(g.started.get() && !g.running.get() && g.frame.borrow().is_some()))
}

fn gen_delegate_attr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(gen_delegate(gen_data(vm, o)?).unwrap_or_else(|| vm.none.clone()))
}

macro_rules! gen_getsets {
    ($name:ident, $frame:expr, ($running:expr, $running_fn:expr), $code:expr, $deleg:expr, [$($extra:expr),*]) => {
        pub static $name: &[crate::native::GetSetDef] = {
            use crate::native::GetSetDef as G;
            &[
                G::new("__name__", |vm, o| Ok(gen_data(vm, o)?.name.borrow().clone()), |vm, o, v| set_gen_name(vm, o, v, false), ""),
                G::new("__qualname__", |vm, o| Ok(gen_data(vm, o)?.qualname.borrow().clone()), |vm, o, v| set_gen_name(vm, o, v, true), ""),
                G::readonly($frame, gen_frame, ""),
                G::readonly($running, $running_fn, ""),
                G::readonly($code, |vm, o| Ok(gen_data(vm, o)?.code.clone()), ""),
                G::readonly($deleg, gen_delegate_attr, ""),
                $($extra),*
            ]
        };
    };
}

fn gen_running(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(vm.bool(gen_data(vm, o)?.running.get()))
}

gen_getsets!(
    GENERATOR_GETSETS,
    "gi_frame",
    ("gi_running", gen_running),
    "gi_code",
    "gi_yieldfrom",
    [crate::native::GetSetDef::readonly("gi_suspended", gen_suspended, "")]
);
gen_getsets!(
    COROUTINE_GETSETS,
    "cr_frame",
    ("cr_running", gen_running),
    "cr_code",
    "cr_await",
    [
        crate::native::GetSetDef::readonly("cr_suspended", gen_suspended, ""),
        crate::native::GetSetDef::readonly(
            "cr_origin",
            |vm, o| Ok(gen_data(vm, o)?.origin_or_finalizer.borrow().clone().unwrap_or_else(|| vm.none.clone())),
            ""
        )
    ]
);
gen_getsets!(
    ASYNC_GENERATOR_GETSETS,
    "ag_frame",
    ("ag_running", |vm, o| Ok(vm.bool(gen_data(vm, o)?.running_async.get()))),
    "ag_code",
    "ag_await",
    []
);

/// The collector's view of a generator: its suspended frame.
pub(crate) fn generator_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(g) = o.downcast::<GeneratorData>() {
        visit(&g.code);
        visit(&g.globals);
        if let Ok(n) = g.name.try_borrow() {
            visit(&n);
        }
        if let Ok(n) = g.qualname.try_borrow() {
            visit(&n);
        }
        if let Ok(f) = g.frame.try_borrow() {
            if let Some(f) = &*f {
                f.traverse(visit);
            }
        }
        if let Ok(Some(o)) = g.origin_or_finalizer.try_borrow().as_deref() {
            visit(o);
        }
    }
}

/// Drops the suspended frame (and so its locals).
pub(crate) fn generator_clear(o: &Obj) {
    if let Some(g) = o.downcast::<GeneratorData>() {
        let old = g.frame.try_borrow_mut().ok().and_then(|mut f| f.take());
        drop(old);
        let old = g.origin_or_finalizer.try_borrow_mut().ok().and_then(|mut f| f.take());
        drop(old);
    }
}

// ----- `aiter` and `anext` -----

/// `aiter(async_iterable, /)`: `type(x).__aiter__(x)`, which must return an
/// asynchronous iterator.
pub fn builtin_aiter(vm: &Vm, args: &[Obj], kw: crate::types::Kwargs) -> PyResult<Obj> {
    crate::classes::no_kwargs(vm, "aiter", kw)?;
    let [x] = args else { return Err(vm.type_error(format!("aiter() takes exactly one argument ({} given)", args.len()))) };
    let Some(f) = crate::lang::special(vm, x, "__aiter__")? else {
        return Err(vm.type_error(format!("'{}' object is not an async iterable", type_name(x))));
    };
    let it = ops::call(vm, &f, &[])?;
    if crate::types::lookup(&type_of(&it), "__anext__").is_none() {
        return Err(vm.type_error(format!("aiter() returned not an async iterator of type '{}'", type_name(&it))));
    }
    Ok(it)
}

/// `anext(aiterator[, default])`: the awaitable `type(it).__anext__(it)`
/// returns; with a default, wrapped so that its StopAsyncIteration gives
/// the default instead.
pub fn builtin_anext(vm: &Vm, args: &[Obj], kw: crate::types::Kwargs) -> PyResult<Obj> {
    let [it, default] = at_most::<2>(vm, "anext", 1, args, kw)?;
    let Some(it) = it else { return Err(vm.type_error("anext expected at least 1 argument, got 0")) };
    let Some(f) = crate::lang::special(vm, &it, "__anext__")? else {
        return Err(vm.type_error(format!("'{}' object is not an async iterator", type_name(&it))));
    };
    let awaitable = ops::call(vm, &f, &[])?;
    let Some(default) = default else { return Ok(awaitable) };
    let ty = vm.native_type("anext_awaitable", |vm| {
        let slots = Slots {
            iter: Some(|_, o| Ok(o.clone())),
            next: Some(|vm, o| anext_step(vm, o, "send", std::slice::from_ref(&vm.none)).map(Some)),
            traverse: Some(|o, visit| {
                if let Some(a) = o.downcast::<AnextAwaitable>() {
                    visit(&a.wrapped);
                    visit(&a.default);
                    if let Some(i) = &*a.iter.borrow() {
                        visit(i);
                    }
                }
            }),
            ..builtin::object_slots()
        };
        crate::native::new_type::<AnextAwaitable>(vm, "anext_awaitable", &[], true, slots, ANEXT_METHODS, &[])
    });
    Ok(alloc(ty, AnextAwaitable { wrapped: awaitable, default, iter: RefCell::new(None) }))
}

/// What `anext(it, default)` returns (CPython's `anext_awaitable`).
pub struct AnextAwaitable {
    wrapped: Obj,
    default: Obj,
    /// The iterator driving `wrapped` (its `__await__`), made on first use.
    iter: RefCell<Option<Obj>>,
}

/// Sends `args` to the wrapped awaitable through `method` (`send`,
/// `throw`): its StopAsyncIteration becomes StopIteration(default).
fn anext_step(vm: &Vm, o: &Obj, method: &str, args: &[Obj]) -> PyResult<Obj> {
    let Some(a) = o.downcast::<AnextAwaitable>() else { return Err(vm.type_error("anext_awaitable expected")) };
    let cur = a.iter.borrow().clone();
    let it = match cur {
        Some(it) => it,
        None => {
            let it = get_awaitable(vm, &a.wrapped, 0)?;
            *a.iter.borrow_mut() = Some(it.clone());
            it
        }
    };
    let r = match crate::classes::getattr_opt(vm, &it, &vm.intern(method))? {
        Some(m) => ops::call(vm, &m, args),
        // An iterator without `send`: `__next__` for a send of None.
        None if method == "send" => ops::next(vm, &it).and_then(|v| v.ok_or_else(|| stop_iteration(vm, None))),
        None => Err(vm.type_error(format!("'{}' object has no attribute '{method}'", type_name(&it)))),
    };
    r.map_err(|e| if is_instance_of(vm, &e.exc, "StopAsyncIteration") { stop_iteration(vm, Some(a.default.clone())) } else { e })
}

static ANEXT_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "__await__",
        |vm, this, a, kw| {
            exact::<0>(vm, "__await__", a, kw)?;
            Ok(this.clone())
        },
        "Return an iterator to be used in await expression.",
    ),
    MethodDef::method(
        "send",
        |vm, this, a, kw| {
            let [v] = exact::<1>(vm, "send", a, kw)?;
            anext_step(vm, this, "send", &[v])
        },
        "send(arg) -> send 'arg' into the wrapped iterator,\nreturn next yielded value or raise StopIteration.",
    ),
    MethodDef::method(
        "throw",
        |vm, this, a, kw| {
            crate::classes::no_kwargs(vm, "throw", kw)?;
            anext_step(vm, this, "throw", a)
        },
        "throw(value)\nthrow(typ[,val[,tb]])\n\nraise exception in the wrapped iterator, return next yielded value\nor raise StopIteration.",
    ),
    MethodDef::method(
        "close",
        |vm, this, a, kw| {
            exact::<0>(vm, "close", a, kw)?;
            let Some(x) = this.downcast::<AnextAwaitable>() else { return Err(vm.type_error("anext_awaitable expected")) };
            let it = x.iter.borrow().clone().unwrap_or_else(|| x.wrapped.clone());
            match crate::classes::getattr_opt(vm, &it, &vm.intern("close"))? {
                Some(m) => ops::call(vm, &m, &[]),
                None => Ok(vm.none.clone()),
            }
        },
        "close() -> raise GeneratorExit inside generator.",
    ),
];
