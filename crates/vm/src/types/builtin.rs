//! The core built-in types, one module each, re-exported here so callers
//! name them in one place (`builtin::new_str`, `builtin::IntData`, ...).

pub use super::bytearray::{new_bytearray, ByteArrayData};
pub use super::bytes::{as_buffer, bytes_data, new_bytes, BytesData};
pub use super::dict::*;
pub use super::exceptions::*;
pub use super::float::*;
pub use super::int::*;
pub use super::list::*;
pub use super::memoryview::MemoryViewData;
pub use super::object::*;
pub use super::range::*;
pub use super::str::*;
pub use super::tuple::*;
