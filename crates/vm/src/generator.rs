//! Generator objects: a suspended frame that `next()` and `send()` resume
//! until its next `yield`, and `close()` ends.

use std::cell::{Cell, RefCell};

use crate::eval::{resume_generator, Exit, Frame};
use crate::native::{exact, MethodDef};
use crate::object::{alloc, Obj};
use crate::types::builtin::{self, new_str};
use crate::types::Slots;
use crate::vm::Vm;
use crate::PyResult;

pub struct GeneratorData {
    /// The suspended frame; `None` once finished.
    frame: RefCell<Option<Frame>>,
    /// Whether the frame has started (a fresh generator accepts only
    /// `send(None)`).
    started: Cell<bool>,
    running: Cell<bool>,
    qualname: Box<str>,
}

pub fn new_generator(vm: &Vm, frame: Frame) -> Obj {
    let unit = frame.code_unit();
    let qualname = unit.qualname.clone();
    alloc(
        vm.types.generator.clone(),
        GeneratorData { frame: RefCell::new(Some(frame)), started: Cell::new(false), running: Cell::new(false), qualname },
    )
}

pub fn generator_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let q = o.downcast::<GeneratorData>().map_or("?", |g| &g.qualname);
            Ok(new_str(vm, &format!("<generator object {q} at {:#x}>", o.as_ptr() as usize)))
        }),
        iter: Some(|_, o| Ok(o.clone())),
        next: Some(|vm, o| resume(vm, o, vm.none.clone())),
        traverse: Some(generator_traverse),
        clear: Some(generator_clear),
        ..builtin::object_slots()
    }
}

/// Resumes with `value` as the result of the pending `yield`: `Some` for
/// the next yielded value, `None` when the generator returned.
fn resume(vm: &Vm, g: &Obj, value: Obj) -> PyResult<Option<Obj>> {
    let Some(data) = g.downcast::<GeneratorData>() else { return Ok(None) };
    if data.running.get() {
        return Err(vm.new_error(&vm.types.value_error, "generator already executing"));
    }
    let Some(mut frame) = data.frame.borrow_mut().take() else { return Ok(None) };
    if data.started.get() {
        frame.push(value);
    } else if !value.is(&vm.none) {
        *data.frame.borrow_mut() = Some(frame);
        return Err(vm.type_error("can't send non-None value to a just-started generator"));
    }
    data.started.set(true);
    data.running.set(true);
    let (r, kept) = resume_generator(vm, frame);
    data.running.set(false);
    *data.frame.borrow_mut() = kept;
    match r? {
        Exit::Yield(v) => Ok(Some(v)),
        Exit::Return(v) => {
            if v.is(&vm.none) {
                Ok(None)
            } else {
                // A return value travels in StopIteration (for `send`);
                // iteration just ends.
                Err(crate::PyErr { exc: builtin::new_exception(vm, &vm.types.stop_iteration, vec![v]) })
            }
        }
    }
}

pub static GENERATOR_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "send",
        |vm, g, a, kw| {
            let [v] = exact(vm, "send", a, kw)?;
            match resume(vm, g, v)? {
                Some(x) => Ok(x),
                None => Err(crate::PyErr { exc: builtin::new_exception(vm, &vm.types.stop_iteration, vec![]) }),
            }
        },
        "send(arg) -> send 'arg' into generator,\nreturn next yielded value or raise StopIteration.",
    ),
    MethodDef::method(
        "close",
        |vm, g, a, kw| {
            let [] = exact(vm, "close", a, kw)?;
            // A generator suspended at a `yield` is simply dropped (its frame
            // and `finally` handling come with GeneratorExit support).
            if let Some(d) = g.downcast::<GeneratorData>() {
                let old = d.frame.borrow_mut().take();
                drop(old);
            }
            Ok(vm.none.clone())
        },
        "close() -> raise GeneratorExit inside generator.",
    ),
];

/// The collector's view of a generator: its suspended frame.
pub(crate) fn generator_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(g) = o.downcast::<GeneratorData>() {
        if let Ok(f) = g.frame.try_borrow() {
            if let Some(f) = &*f {
                f.traverse(visit);
            }
        }
    }
}

/// Drops the suspended frame (and so its locals).
pub(crate) fn generator_clear(o: &Obj) {
    if let Some(g) = o.downcast::<GeneratorData>() {
        let old = g.frame.try_borrow_mut().ok().and_then(|mut f| f.take());
        drop(old);
    }
}
