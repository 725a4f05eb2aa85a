//! `_ctypes`: the foreign function interface behind `ctypes`.
//!
//! Two layers, as PyPy splits it (`_rawffi` + an application-level
//! `_ctypes`):
//! - Rust (this file and [`raw`], the only unsafe part): raw memory at
//!   integer addresses, `dlopen`/`dlsym`, foreign calls and closures through
//!   libffi, ctypes' private `errno`. Exposed to the layer above as
//!   `_rt_*` functions that are removed from the module namespace after
//!   start-up.
//! - Python (`_ctypes.py`, compiled and run in the module's namespace at
//!   import): the metaclasses (`PyCSimpleType`, `PyCStructType`,
//!   `UnionType`, `PyCArrayType`, `PyCPointerType`, `PyCFuncPtrType`), the
//!   data classes (`_SimpleCData`, `Structure`, `Union`, `Array`,
//!   `_Pointer`, `CFuncPtr`), field layout (packing, bit fields), value
//!   conversion (with `struct`), keep-alive (`_objects`) and the
//!   module-level functions (`sizeof`, `byref`, `POINTER`, ...).
//!
//! Every instance of a C data type owns or views a block of memory; its
//! address is what the foreign code sees.

mod raw;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use libffi::middle::Type;
use num_traits::ToPrimitive;
use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{new_type, FunctionDef, GetSetDef};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::object_slots;
use taipan_vm::types::builtin::{bytes_data, int_data, new_bytes, new_str, new_tuple, str_data, IntData};
use taipan_vm::types::{BufferProcs, Kwargs, Slots};
use taipan_vm::{PyResult, Vm};

use raw::Spec;

/// The Python layer, run in the module namespace at import.
const APP_SOURCE: &str = include_str!("_ctypes.py");

/// Live closures by handle (they own their code pointers).
#[derive(Default)]
struct Thunks {
    next: std::cell::Cell<usize>,
    live: RefCell<HashMap<usize, raw::Thunk>>,
}

/// An address or size argument (any int through `__index__`; negative
/// values wrap as C's `uintptr_t` does).
fn addr(vm: &Vm, o: &Obj) -> PyResult<usize> {
    let i = taipan_vm::ops::index(vm, o)?;
    match int_data(&i) {
        Some(IntData::Small(v)) => Ok(*v as usize),
        Some(d) => {
            let b = d.to_big();
            b.to_u64()
                .or_else(|| b.to_i64().map(|v| v as u64))
                .map(|v| v as usize)
                .ok_or_else(|| vm.new_error(&vm.types.overflow_error, "int too large to convert to pointer"))
        }
        None => Err(vm.type_error("an integer is required")),
    }
}

fn int_of(vm: &Vm, v: usize) -> Obj {
    taipan_vm::types::builtin::new_int_big(vm, num_bigint::BigInt::from(v))
}

fn arg<'a>(vm: &Vm, name: &str, args: &'a [Obj], n: usize) -> PyResult<&'a [Obj]> {
    if args.len() != n {
        return Err(vm.type_error(format!("{name}() takes exactly {n} arguments ({} given)", args.len())));
    }
    Ok(args)
}

fn bytes_arg<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a [u8]> {
    bytes_data(o).ok_or_else(|| vm.type_error("bytes expected"))
}

fn os_error(vm: &Vm, msg: String) -> taipan_vm::PyErr {
    vm.new_error(&vm.types.os_error, msg)
}

fn rt_alloc(vm: &Vm, args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let a = arg(vm, "_rt_alloc", args, 1)?;
    let n = addr(vm, &a[0])?;
    match raw::alloc(n) {
        Some(p) => Ok(int_of(vm, p)),
        None => Err(vm.new_error(&vm.types.memory_error, "")),
    }
}

fn rt_free(vm: &Vm, args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let a = arg(vm, "_rt_free", args, 2)?;
    raw::free(addr(vm, &a[0])?, addr(vm, &a[1])?);
    Ok(vm.none.clone())
}

fn rt_read(vm: &Vm, args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let a = arg(vm, "_rt_read", args, 2)?;
    Ok(new_bytes(vm, raw::read(addr(vm, &a[0])?, addr(vm, &a[1])?)))
}

fn rt_write(vm: &Vm, args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let a = arg(vm, "_rt_write", args, 2)?;
    raw::write(addr(vm, &a[0])?, bytes_arg(vm, &a[1])?);
    Ok(vm.none.clone())
}

fn rt_memset(vm: &Vm, args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let a = arg(vm, "_rt_memset", args, 3)?;
    raw::fill(addr(vm, &a[0])?, addr(vm, &a[1])? as u8, addr(vm, &a[2])?);
    Ok(vm.none.clone())
}

fn rt_memmove(vm: &Vm, args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let a = arg(vm, "_rt_memmove", args, 3)?;
    raw::copy(addr(vm, &a[0])?, addr(vm, &a[1])?, addr(vm, &a[2])?);
    Ok(vm.none.clone())
}

fn rt_strlen(vm: &Vm, args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let a = arg(vm, "_rt_strlen", args, 1)?;
    Ok(int_of(vm, raw::strlen(addr(vm, &a[0])?)))
}

fn rt_wcslen(vm: &Vm, args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let a = arg(vm, "_rt_wcslen", args, 1)?;
    Ok(int_of(vm, raw::wcslen(addr(vm, &a[0])?)))
}

fn name_arg(vm: &Vm, o: &Obj) -> PyResult<std::ffi::CString> {
    let b: Vec<u8> = match bytes_data(o) {
        Some(b) => b.to_vec(),
        None if o.downcast::<taipan_vm::types::builtin::StrData>().is_some() => str_data(o).as_str().as_bytes().to_vec(),
        None => return Err(vm.type_error("str or bytes expected")),
    };
    raw::cstring(&b).ok_or_else(|| vm.new_error(&vm.types.value_error, "embedded null byte"))
}

fn rt_dlopen(vm: &Vm, args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let a = arg(vm, "_rt_dlopen", args, 2)?;
    let name = if a[0].is(&vm.none) { None } else { Some(name_arg(vm, &a[0])?) };
    let mode = taipan_vm::ops::index(vm, &a[1])?;
    let mode = match int_data(&mode) {
        Some(IntData::Small(v)) => *v as i32,
        _ => return Err(vm.new_error(&vm.types.overflow_error, "mode out of range")),
    };
    raw::dlopen(name.as_deref(), mode).map(|h| int_of(vm, h)).map_err(|e| os_error(vm, e))
}

fn rt_dlsym(vm: &Vm, args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let a = arg(vm, "_rt_dlsym", args, 2)?;
    let h = addr(vm, &a[0])?;
    let name = name_arg(vm, &a[1])?;
    raw::dlsym(h, &name).map(|p| int_of(vm, p)).map_err(|e| os_error(vm, e))
}

fn rt_dlclose(vm: &Vm, args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let a = arg(vm, "_rt_dlclose", args, 1)?;
    raw::dlclose(addr(vm, &a[0])?).map_err(|e| os_error(vm, e))?;
    Ok(vm.none.clone())
}

/// A type description: a one-letter code, or a tuple of member descriptions.
fn spec_of(vm: &Vm, o: &Obj) -> PyResult<Spec> {
    if o.downcast::<taipan_vm::types::builtin::StrData>().is_some() {
        let s = str_data(o).as_str();
        return match s.as_bytes() {
            [c] => Ok(Spec::Scalar(*c)),
            _ => Err(vm.type_error(format!("bad ffi type code '{s}'"))),
        };
    }
    let items = taipan_vm::sequence::to_vec(vm, o)?;
    Ok(Spec::Struct(items.iter().map(|i| spec_of(vm, i)).collect::<PyResult<_>>()?))
}

fn ffi_type_of(vm: &Vm, o: &Obj) -> PyResult<Type> {
    let s = spec_of(vm, o)?;
    raw::ffi_type(&s).ok_or_else(|| vm.type_error("unknown ffi type code"))
}

fn ffi_types(vm: &Vm, o: &Obj) -> PyResult<Vec<Type>> {
    taipan_vm::sequence::to_vec(vm, o)?.iter().map(|t| ffi_type_of(vm, t)).collect()
}

/// `_rt_call(fun, argtypes, argaddrs, restype, resaddr, nfixed, use_errno)`.
fn rt_call(vm: &Vm, args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let a = arg(vm, "_rt_call", args, 7)?;
    let fun = addr(vm, &a[0])?;
    if fun == 0 {
        return Err(vm.new_error(&vm.types.value_error, "NULL pointer access"));
    }
    let arg_types = ffi_types(vm, &a[1])?;
    let addrs = taipan_vm::sequence::to_vec(vm, &a[2])?.iter().map(|x| addr(vm, x)).collect::<PyResult<Vec<_>>>()?;
    if addrs.len() != arg_types.len() {
        return Err(vm.type_error("argument count mismatch"));
    }
    let res_type = ffi_type_of(vm, &a[3])?;
    let res = addr(vm, &a[4])?;
    let nfixed = if a[5].is(&vm.none) { None } else { Some(addr(vm, &a[5])?) };
    let use_errno = taipan_vm::ops::truth(vm, &a[6])?;
    raw::call(fun, arg_types, res_type, &addrs, res, nfixed, use_errno);
    Ok(vm.none.clone())
}

/// `_rt_thunk(callable, argtypes, restype, use_errno) -> (handle, address)`.
fn rt_thunk(vm: &Vm, args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let a = arg(vm, "_rt_thunk", args, 4)?;
    let arg_types = ffi_types(vm, &a[1])?;
    let res_type = ffi_type_of(vm, &a[2])?;
    let use_errno = taipan_vm::ops::truth(vm, &a[3])?;
    let Some(t) = raw::thunk(vm, a[0].clone(), arg_types, res_type, use_errno) else {
        return Err(vm.new_error(&vm.types.memory_error, "cannot allocate a closure"));
    };
    let address = t.address();
    let state = vm.state::<Thunks>();
    let handle = state.next.get() + 1;
    state.next.set(handle);
    state.live.borrow_mut().insert(handle, t);
    Ok(new_tuple(vm, vec![int_of(vm, handle), int_of(vm, address)]))
}

fn rt_thunk_free(vm: &Vm, args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let a = arg(vm, "_rt_thunk_free", args, 1)?;
    let h = addr(vm, &a[0])?;
    let t = vm.state::<Thunks>().live.borrow_mut().remove(&h);
    drop(t);
    Ok(vm.none.clone())
}

fn get_errno(vm: &Vm, args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    arg(vm, "get_errno", args, 0)?;
    Ok(vm.int(raw::get_errno() as i64))
}

fn set_errno(vm: &Vm, args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    if args.len() != 1 {
        return Err(vm.type_error(format!("set_errno() takes exactly one argument ({} given)", args.len())));
    }
    let v = taipan_vm::ops::index(vm, &args[0])?;
    let v = match int_data(&v) {
        Some(IntData::Small(v)) if i32::try_from(*v).is_ok() => *v as i32,
        _ => return Err(vm.new_error(&vm.types.overflow_error, "signed integer is greater than maximum")),
    };
    Ok(vm.int(raw::set_errno(v) as i64))
}

// ------------------------------------------------------------ _CDataObject

/// The native base of every C data instance: where its memory is, which
/// object owns that memory, and the keep-alive links (CPython's
/// `CDataObject` fields `b_ptr`, `b_size`, `b_base`, `b_objects`,
/// `b_index`). The buffer protocol exports the memory.
#[derive(Default)]
struct CDataBox {
    addr: Cell<usize>,
    size: Cell<usize>,
    /// Buffer format letter and item size.
    format: Cell<(char, usize)>,
    index: Cell<isize>,
    mem: RefCell<Option<Obj>>,
    base: RefCell<Option<Obj>>,
    objs: RefCell<Option<Obj>>,
    /// Buffers that `objs` does not show (the copies behind `c_char_p` values).
    hidden: RefCell<Option<Obj>>,
}

impl CDataBox {
    fn cells(&self) -> [&RefCell<Option<Obj>>; 4] {
        [&self.mem, &self.base, &self.objs, &self.hidden]
    }
}

fn cdata<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a CDataBox> {
    o.downcast::<CDataBox>().ok_or_else(|| vm.type_error("not a ctypes instance"))
}

static CDATA_BUFFER: BufferProcs = BufferProcs {
    format: |o| o.downcast::<CDataBox>().map_or(('B', 1), |c| c.format.get()),
    read: |o| o.downcast::<CDataBox>().map(|c| raw::read(c.addr.get(), c.size.get())).unwrap_or_default(),
    write: Some(|o, at, bytes| {
        if let Some(c) = o.downcast::<CDataBox>() {
            if at.checked_add(bytes.len()).is_some_and(|end| end <= c.size.get()) {
                raw::write(c.addr.get() + at, bytes);
            }
        }
    }),
    readonly: None,
    check: None,
    exports: |_, _| {},
    getbuffer: None,
    release: None,
};

fn cdata_new(vm: &Vm, cls: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let _ = vm;
    Ok(alloc(cls.clone(), CDataBox { format: Cell::new(('B', 1)), ..CDataBox::default() }))
}

fn get_opt(vm: &Vm, c: &RefCell<Option<Obj>>) -> Obj {
    c.borrow().clone().unwrap_or_else(|| vm.none.clone())
}

fn set_opt(vm: &Vm, c: &RefCell<Option<Obj>>, v: Option<Obj>) {
    let v = v.filter(|v| !v.is(&vm.none));
    let old = c.replace(v);
    drop(old);
}

fn g_addr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(int_of(vm, cdata(vm, o)?.addr.get()))
}
fn s_addr(vm: &Vm, o: &Obj, v: Option<Obj>) -> PyResult<()> {
    let a = addr(vm, &v.unwrap_or_else(|| vm.int(0)))?;
    cdata(vm, o)?.addr.set(a);
    Ok(())
}
fn g_size(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(int_of(vm, cdata(vm, o)?.size.get()))
}
fn s_size(vm: &Vm, o: &Obj, v: Option<Obj>) -> PyResult<()> {
    let a = addr(vm, &v.unwrap_or_else(|| vm.int(0)))?;
    cdata(vm, o)?.size.set(a);
    Ok(())
}
fn g_index(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(vm.int(cdata(vm, o)?.index.get() as i64))
}
fn s_index(vm: &Vm, o: &Obj, v: Option<Obj>) -> PyResult<()> {
    let a = crate::util::to_isize(vm, &v.unwrap_or_else(|| vm.int(0)))?;
    cdata(vm, o)?.index.set(a);
    Ok(())
}
/// `(letter, itemsize)` of the exported buffer.
fn s_format(vm: &Vm, o: &Obj, v: Option<Obj>) -> PyResult<()> {
    let v = v.ok_or_else(|| vm.type_error("cannot delete"))?;
    let items = taipan_vm::sequence::to_vec(vm, &v)?;
    let (Some(l), Some(n)) = (items.first(), items.get(1)) else { return Err(vm.type_error("(letter, itemsize) expected")) };
    let letter =
        if l.downcast::<taipan_vm::types::builtin::StrData>().is_some() { str_data(l).as_str().chars().next().unwrap_or('B') } else { 'B' };
    let n = addr(vm, n)?.max(1);
    cdata(vm, o)?.format.set((letter, n));
    Ok(())
}
fn g_format(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let (l, n) = cdata(vm, o)?.format.get();
    Ok(new_tuple(vm, vec![new_str(vm, &l.to_string()), int_of(vm, n)]))
}
fn g_mem(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(get_opt(vm, &cdata(vm, o)?.mem))
}
fn s_mem(vm: &Vm, o: &Obj, v: Option<Obj>) -> PyResult<()> {
    set_opt(vm, &cdata(vm, o)?.mem, v);
    Ok(())
}
fn g_base(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(get_opt(vm, &cdata(vm, o)?.base))
}
fn s_base(vm: &Vm, o: &Obj, v: Option<Obj>) -> PyResult<()> {
    set_opt(vm, &cdata(vm, o)?.base, v);
    Ok(())
}
fn g_objs(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(get_opt(vm, &cdata(vm, o)?.objs))
}
fn s_objs(vm: &Vm, o: &Obj, v: Option<Obj>) -> PyResult<()> {
    set_opt(vm, &cdata(vm, o)?.objs, v);
    Ok(())
}

fn g_hidden(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(get_opt(vm, &cdata(vm, o)?.hidden))
}
fn s_hidden(vm: &Vm, o: &Obj, v: Option<Obj>) -> PyResult<()> {
    set_opt(vm, &cdata(vm, o)?.hidden, v);
    Ok(())
}

static CDATA_GETSETS: &[GetSetDef] = &[
    GetSetDef::new("_b_addr", g_addr, s_addr, "the address of the object's memory"),
    GetSetDef::new("_b_size", g_size, s_size, "the size of the object's memory"),
    GetSetDef::new("_b_index", g_index, s_index, "the index in the base object"),
    GetSetDef::new("_b_fmt", g_format, s_format, "the buffer format"),
    GetSetDef::new("_b_mem", g_mem, s_mem, "the owner of the memory"),
    GetSetDef::new("_b_base", g_base, s_base, "the base object"),
    GetSetDef::new("_b_objs", g_objs, s_objs, "objects kept alive"),
    GetSetDef::new("_b_hidden", g_hidden, s_hidden, "buffers kept alive"),
];

fn cdata_type(vm: &Vm) -> Obj {
    vm.native_type("_ctypes._CDataObject", |vm| {
        let slots = Slots {
            new: Some(cdata_new),
            buffer: Some(&CDATA_BUFFER),
            traverse: Some(|o, visit| {
                if let Some(c) = o.downcast::<CDataBox>() {
                    for cell in c.cells() {
                        if let Ok(x) = cell.try_borrow() {
                            if let Some(x) = &*x {
                                visit(x);
                            }
                        }
                    }
                }
            }),
            clear: Some(|o| {
                if let Some(c) = o.downcast::<CDataBox>() {
                    for cell in c.cells() {
                        if let Ok(mut x) = cell.try_borrow_mut() {
                            drop(x.take());
                        }
                    }
                }
            }),
            ..object_slots()
        };
        let t = new_type::<CDataBox>(vm, "_ctypes._CDataObject", &[], true, slots, &[], CDATA_GETSETS);
        taipan_vm::types::type_data(&t).weakrefable.set(true);
        t
    })
}

/// The exporter behind `o` (a `bytearray`, an `array.array`, or a
/// writable contiguous `memoryview` of one) and the byte offset of the view.
fn exporter(o: &Obj) -> Result<(Obj, usize, Option<usize>), &'static str> {
    if let Some(m) = o.downcast::<taipan_vm::types::builtin::MemoryViewData>() {
        if m.readonly() || m.released.get() {
            return Err("underlying buffer is not writable");
        }
        let Some(start) = m.contiguous_start() else { return Err("underlying buffer is not C contiguous") };
        return Ok((m.view.mem.clone(), start, Some(m.nbytes())));
    }
    Ok((o.clone(), 0, None))
}

/// `_rt_export(obj) -> (exporter, address, size)`: the memory of a
/// writable buffer for `from_buffer`, which the exporter may not resize
/// until `_rt_unexport(exporter)`; TypeError for anything else.
fn rt_export(vm: &Vm, args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let a = arg(vm, "_rt_export", args, 1)?;
    let (exp, start, len) = exporter(&a[0]).map_err(|m| vm.type_error(m))?;
    let raw = if let Some(b) = exp.downcast::<taipan_vm::types::builtin::ByteArrayData>() {
        let mut v = b.value.borrow_mut();
        b.exports.set(b.exports.get() + 1);
        Some((v.as_mut_ptr() as usize, v.len()))
    } else {
        crate::array::export_raw(&exp)
    };
    let Some((p, n)) = raw else {
        if bytes_data(&exp).is_some() {
            return Err(vm.type_error("underlying buffer is not writable"));
        }
        return Err(
            vm.type_error(format!("memoryview: a bytes-like object is required, not '{}'", taipan_vm::types::builtin::type_name(&a[0])))
        );
    };
    let size = len.unwrap_or(n.saturating_sub(start));
    Ok(new_tuple(vm, vec![exp, int_of(vm, p + start), int_of(vm, size)]))
}

fn rt_unexport(vm: &Vm, args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let a = arg(vm, "_rt_unexport", args, 1)?;
    if let Some(b) = a[0].downcast::<taipan_vm::types::builtin::ByteArrayData>() {
        b.exports.set(b.exports.get().saturating_sub(1));
    } else {
        crate::array::unexport_raw(&a[0]);
    }
    Ok(vm.none.clone())
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("_rt_export", rt_export, "The memory of a writable buffer (for from_buffer)."),
    FunctionDef::new("_rt_unexport", rt_unexport, "Ends an export of _rt_export."),
    FunctionDef::new("_rt_alloc", rt_alloc, "Allocates a zeroed block; returns its address."),
    FunctionDef::new("_rt_free", rt_free, "Frees a block of _rt_alloc."),
    FunctionDef::new("_rt_read", rt_read, "The bytes at an address."),
    FunctionDef::new("_rt_write", rt_write, "Stores bytes at an address."),
    FunctionDef::new("_rt_memset", rt_memset, "memset(addr, c, n)."),
    FunctionDef::new("_rt_memmove", rt_memmove, "memmove(dst, src, n)."),
    FunctionDef::new("_rt_strlen", rt_strlen, "strlen(addr)."),
    FunctionDef::new("_rt_wcslen", rt_wcslen, "wcslen(addr)."),
    FunctionDef::new("_rt_dlopen", rt_dlopen, "dlopen(name, mode)."),
    FunctionDef::new("_rt_dlsym", rt_dlsym, "dlsym(handle, name)."),
    FunctionDef::new("_rt_dlclose", rt_dlclose, "dlclose(handle)."),
    FunctionDef::new("_rt_call", rt_call, "Calls a C function through libffi."),
    FunctionDef::new("_rt_thunk", rt_thunk, "Makes a C function pointer that calls a Python function."),
    FunctionDef::new("_rt_thunk_free", rt_thunk_free, "Frees a closure of _rt_thunk."),
    FunctionDef::new("get_errno", get_errno, ""),
    FunctionDef::new("set_errno", set_errno, ""),
];

/// `_ctypes_test`: the module test_ctypes loads with
/// `CDLL(_ctypes_test.__file__)`. Its C functions live in
/// `lib_ctypes_test.so` (crate `taipan-ctypes-test`), which cargo puts
/// beside the `taipan` executable; without that file the module does not
/// exist, as when CPython is built without its test extensions.
pub fn init_test(vm: &Vm, m: &Obj) -> PyResult<()> {
    let lib = std::env::current_exe().ok().and_then(|exe| exe.parent().map(|d| d.join("lib_ctypes_test.so"))).filter(|p| p.is_file());
    let Some(lib) = lib else {
        return Err(vm.new_error(&vm.types.module_not_found_error, "No module named '_ctypes_test'"));
    };
    add_attr(vm, m, "__file__", new_str(vm, &lib.to_string_lossy()))
}

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "__version__", new_str(vm, "1.1.0"))?;
    add_attr(vm, m, "_CDataObject", cdata_type(vm))?;
    let dict = match m.downcast::<taipan_vm::modules::ModuleData>() {
        Some(d) => d.dict.clone(),
        None => return Err(vm.type_error("not a module")),
    };
    let code = taipan_vm::import::compile_source(vm, APP_SOURCE.as_bytes(), "<frozen _ctypes>")?;
    taipan_vm::eval::run(vm, taipan_vm::eval::Frame::module(code, dict))?;
    Ok(())
}
