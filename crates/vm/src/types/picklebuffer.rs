//! `pickle.PickleBuffer` (CPython's `Objects/picklebufobject.c`, exported
//! by `_pickle`): a wrapper around a buffer-exporting object for protocol
//! 5's out-of-band data (PEP 574). It holds a `memoryview` of the object
//! and re-exports it: `memoryview(pb)` is a view of the original object
//! (`.obj` is that object, writes reach it), `raw()` is the same memory as
//! a flat unsigned-byte view, and `release()` gives the view up (later
//! uses raise `ValueError`).

use std::cell::RefCell;

use crate::classes::call_object;
use crate::lang::call_method;
use crate::native::{exact, new_type, MethodDef};
use crate::object::{alloc, Obj};
use crate::types::builtin::{new_str, object_slots, type_name};
use crate::types::memoryview::MemoryViewData;
use crate::types::{type_data, Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;

pub struct PickleBufferData {
    /// A `memoryview` of the wrapped object; `None` once released.
    view: RefCell<Option<Obj>>,
}

/// The `PickleBuffer` type of this interpreter.
pub fn picklebuffer_type(vm: &Vm) -> Obj {
    vm.native_type("pickle.PickleBuffer", |vm| {
        let slots = Slots {
            new: Some(picklebuffer_new),
            traverse: Some(|o, visit| {
                if let Some(v) = o.downcast::<PickleBufferData>().and_then(|p| p.view.try_borrow().ok()) {
                    if let Some(v) = &*v {
                        visit(v);
                    }
                }
            }),
            clear: Some(|o| {
                let old = o.downcast::<PickleBufferData>().and_then(|p| p.view.try_borrow_mut().ok().and_then(|mut v| v.take()));
                drop(old);
            }),
            ..object_slots()
        };
        let t = new_type::<PickleBufferData>(vm, "pickle.PickleBuffer", &[], true, slots, PICKLEBUFFER_METHODS, &[]);
        let td = type_data(&t);
        td.weakrefable.set(true);
        td.is_final.set(true);
        crate::native::set_type_doc(vm, &t, "Wrapper for potentially out-of-band buffers");
        t
    })
}

/// `PickleBuffer(buffer, /)`.
fn picklebuffer_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if !kw.is_empty() {
        return Err(vm.type_error("PickleBuffer() takes no keyword arguments"));
    }
    let [obj] = args else {
        return Err(vm.type_error(match args.len() {
            0 => "PickleBuffer() takes exactly 1 positional argument (0 given)".to_string(),
            n => format!("PickleBuffer() takes at most 1 argument ({n} given)"),
        }));
    };
    // (A released memoryview gets past this to memoryview()'s ValueError.)
    let exporter = obj.downcast::<MemoryViewData>().is_some() || obj.downcast::<PickleBufferData>().is_some();
    if !exporter && crate::types::builtin::as_buffer(obj).is_none() {
        return Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(obj))));
    }
    let view = call_object(vm, &vm.types.memoryview, std::slice::from_ref(obj))?;
    Ok(alloc(cls.clone(), PickleBufferData { view: RefCell::new(Some(view)) }))
}

fn released(vm: &Vm) -> crate::PyErr {
    vm.new_error(&vm.types.value_error, "operation forbidden on released PickleBuffer object")
}

/// The view a `PickleBuffer` re-exports (`memoryview(pb)`), or the
/// `ValueError` of a released one; `None` when `o` is no `PickleBuffer`.
pub fn exported_view(vm: &Vm, o: &Obj) -> Option<PyResult<Obj>> {
    let p = o.downcast::<PickleBufferData>()?;
    let v = p.view.borrow().clone();
    Some(v.ok_or_else(|| released(vm)))
}

/// The bytes of a live `PickleBuffer`'s view (`bytes(pb)`, `as_buffer`).
pub fn buffer_bytes(o: &Obj) -> Option<Vec<u8>> {
    let p = o.downcast::<PickleBufferData>()?;
    let v = p.view.borrow().clone()?;
    crate::types::memoryview::view_bytes(v.downcast::<MemoryViewData>()?)
}

static PICKLEBUFFER_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "raw",
        |vm, this, a, kw| {
            let [] = exact::<0>(vm, "raw", a, kw)?;
            let view = match exported_view(vm, this) {
                Some(v) => v?,
                None => return Err(vm.type_error("descriptor 'raw' requires a 'pickle.PickleBuffer' object")),
            };
            if let Some(m) = view.downcast::<MemoryViewData>() {
                if !m.view.is_contiguous('A') {
                    return Err(vm.new_error(&vm.types.buffer_error, "cannot extract raw buffer from non-contiguous buffer"));
                }
                return Ok(crate::types::memoryview::raw_view(vm, m));
            }
            call_method(vm, &view, "cast", &[new_str(vm, "B")])
        },
        "Return a memoryview of the raw memory underlying this buffer.\nWill raise BufferError is the buffer isn't contiguous.",
    ),
    MethodDef::method(
        "release",
        |vm, this, a, kw| {
            let [] = exact::<0>(vm, "release", a, kw)?;
            let old = this.downcast::<PickleBufferData>().and_then(|p| p.view.borrow_mut().take());
            if let Some(v) = old {
                call_method(vm, &v, "release", &[])?;
            }
            Ok(vm.none.clone())
        },
        "Release the underlying buffer exposed by the PickleBuffer object.",
    ),
];
