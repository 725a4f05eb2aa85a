//! The object model: CPython's object header, reference counting, and the
//! layout rules every object follows (see `raw` for the invariants).

pub mod gc;
mod raw;

pub use raw::{alloc, alloc_metatype, GcHead, InstanceLayout, Obj, PyObject};
