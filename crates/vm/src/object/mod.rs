//! The object model: CPython's object header, reference counting, and the
//! layout rules every object follows (see `raw` for the invariants).

pub mod gc;
pub(crate) mod gil;
mod raw;

pub use gil::{native_thread_id, thread_ident};
pub(crate) use raw::TRACE_BLOCKS;
pub use raw::{alloc, alloc_metatype, alloc_ref, GcHead, InstanceLayout, Obj, PyObject};
