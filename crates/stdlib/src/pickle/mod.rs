//! `_pickle`: the accelerator behind `pickle` (CPython's
//! `Modules/_pickle.c`): `Pickler` and `Unpickler` (subclassable, with
//! `persistent_id`/`persistent_load`, `dispatch_table`,
//! `reducer_override`, `memo` proxies, `find_class`), `dump(s)`/`load(s)`
//! and the three exception classes. `pickler.rs` writes protocols 0-5
//! (framing from 4, out-of-band buffers from 5) byte for byte as CPython
//! does; `unpickler.rs` reads every opcode, including protocol 0's text
//! ones and Python 2's strings (`encoding`/`errors`, `fix_imports`).
//!
//! The Python-level collaborators (`copyreg`'s dispatch table and
//! extension registry, `_compat_pickle`'s name mappings, `codecs.encode`,
//! `functools.partial`, `getattr`) are looked up once per interpreter when
//! the module is first imported ([`State`]).

mod pickler;
mod unpickler;

use std::cell::RefCell;
use std::rc::Rc;

use taipan_vm::import::import_absolute;
use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::FunctionDef;
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::dict_get_str;
use taipan_vm::vm::PyErr;
use taipan_vm::{PyResult, Vm};

use crate::util;

/// `pickle.HIGHEST_PROTOCOL` and `DEFAULT_PROTOCOL`.
pub(crate) const HIGHEST_PROTOCOL: i64 = 5;
pub(crate) const DEFAULT_PROTOCOL: i64 = 4;

/// The opcodes (names as in `pickle.py`).
#[allow(dead_code)]
pub(crate) mod op {
    pub const MARK: u8 = b'(';
    pub const STOP: u8 = b'.';
    pub const POP: u8 = b'0';
    pub const POP_MARK: u8 = b'1';
    pub const DUP: u8 = b'2';
    pub const FLOAT: u8 = b'F';
    pub const INT: u8 = b'I';
    pub const BININT: u8 = b'J';
    pub const BININT1: u8 = b'K';
    pub const LONG: u8 = b'L';
    pub const BININT2: u8 = b'M';
    pub const NONE: u8 = b'N';
    pub const PERSID: u8 = b'P';
    pub const BINPERSID: u8 = b'Q';
    pub const REDUCE: u8 = b'R';
    pub const STRING: u8 = b'S';
    pub const BINSTRING: u8 = b'T';
    pub const SHORT_BINSTRING: u8 = b'U';
    pub const UNICODE: u8 = b'V';
    pub const BINUNICODE: u8 = b'X';
    pub const APPEND: u8 = b'a';
    pub const BUILD: u8 = b'b';
    pub const GLOBAL: u8 = b'c';
    pub const DICT: u8 = b'd';
    pub const EMPTY_DICT: u8 = b'}';
    pub const APPENDS: u8 = b'e';
    pub const GET: u8 = b'g';
    pub const BINGET: u8 = b'h';
    pub const INST: u8 = b'i';
    pub const LONG_BINGET: u8 = b'j';
    pub const LIST: u8 = b'l';
    pub const EMPTY_LIST: u8 = b']';
    pub const OBJ: u8 = b'o';
    pub const PUT: u8 = b'p';
    pub const BINPUT: u8 = b'q';
    pub const LONG_BINPUT: u8 = b'r';
    pub const SETITEM: u8 = b's';
    pub const TUPLE: u8 = b't';
    pub const EMPTY_TUPLE: u8 = b')';
    pub const SETITEMS: u8 = b'u';
    pub const BINFLOAT: u8 = b'G';
    pub const PROTO: u8 = 0x80;
    pub const NEWOBJ: u8 = 0x81;
    pub const EXT1: u8 = 0x82;
    pub const EXT2: u8 = 0x83;
    pub const EXT4: u8 = 0x84;
    pub const TUPLE1: u8 = 0x85;
    pub const TUPLE2: u8 = 0x86;
    pub const TUPLE3: u8 = 0x87;
    pub const NEWTRUE: u8 = 0x88;
    pub const NEWFALSE: u8 = 0x89;
    pub const LONG1: u8 = 0x8a;
    pub const LONG4: u8 = 0x8b;
    pub const BINBYTES: u8 = b'B';
    pub const SHORT_BINBYTES: u8 = b'C';
    pub const SHORT_BINUNICODE: u8 = 0x8c;
    pub const BINUNICODE8: u8 = 0x8d;
    pub const BINBYTES8: u8 = 0x8e;
    pub const EMPTY_SET: u8 = 0x8f;
    pub const ADDITEMS: u8 = 0x90;
    pub const FROZENSET: u8 = 0x91;
    pub const NEWOBJ_EX: u8 = 0x92;
    pub const STACK_GLOBAL: u8 = 0x93;
    pub const MEMOIZE: u8 = 0x94;
    pub const FRAME: u8 = 0x95;
    pub const BYTEARRAY8: u8 = 0x96;
    pub const NEXT_BUFFER: u8 = 0x97;
    pub const READONLY_BUFFER: u8 = 0x98;
}

/// What the module borrows from Python code, per interpreter.
pub(crate) struct State {
    /// `copyreg.dispatch_table`.
    pub dispatch_table: Obj,
    /// `copyreg._extension_registry`, `_inverted_registry`, `_extension_cache`.
    pub extension_registry: Obj,
    pub inverted_registry: Obj,
    pub extension_cache: Obj,
    /// `_compat_pickle.NAME_MAPPING`, `IMPORT_MAPPING` (2.x -> 3.x) and
    /// the `REVERSE_` ones.
    pub name_mapping_2to3: Obj,
    pub import_mapping_2to3: Obj,
    pub name_mapping_3to2: Obj,
    pub import_mapping_3to2: Obj,
    /// `codecs.encode`, `functools.partial`, `builtins.getattr`.
    pub codecs_encode: Obj,
    pub partial: Obj,
    pub getattr: Obj,
}

#[derive(Default)]
struct StateCell(RefCell<Option<Rc<State>>>);

pub(crate) fn state(vm: &Vm) -> PyResult<Rc<State>> {
    let cell = vm.state::<StateCell>();
    if let Some(s) = &*cell.0.borrow() {
        return Ok(s.clone());
    }
    let copyreg = import_absolute(vm, "copyreg")?;
    let compat = import_absolute(vm, "_compat_pickle")?;
    let codecs = import_absolute(vm, "codecs")?;
    let functools = import_absolute(vm, "functools")?;
    let getattr = dict_get_str(vm, &vm.builtins, "getattr")?.unwrap_or_else(|| vm.none.clone());
    let s = Rc::new(State {
        dispatch_table: util::getattr(vm, &copyreg, "dispatch_table")?,
        extension_registry: util::getattr(vm, &copyreg, "_extension_registry")?,
        inverted_registry: util::getattr(vm, &copyreg, "_inverted_registry")?,
        extension_cache: util::getattr(vm, &copyreg, "_extension_cache")?,
        name_mapping_2to3: util::getattr(vm, &compat, "NAME_MAPPING")?,
        import_mapping_2to3: util::getattr(vm, &compat, "IMPORT_MAPPING")?,
        name_mapping_3to2: util::getattr(vm, &compat, "REVERSE_NAME_MAPPING")?,
        import_mapping_3to2: util::getattr(vm, &compat, "REVERSE_IMPORT_MAPPING")?,
        codecs_encode: util::getattr(vm, &codecs, "encode")?,
        partial: util::getattr(vm, &functools, "partial")?,
        getattr,
    });
    *cell.0.borrow_mut() = Some(s.clone());
    Ok(s)
}

/// The module's exception classes.
pub(crate) fn pickle_error_class(vm: &Vm) -> PyResult<Obj> {
    util::exception_class(vm, "_pickle.PickleError", &[])
}

pub(crate) fn pickling_error_class(vm: &Vm) -> PyResult<Obj> {
    let base = pickle_error_class(vm)?;
    util::exception_class(vm, "_pickle.PicklingError", &[base])
}

pub(crate) fn unpickling_error_class(vm: &Vm) -> PyResult<Obj> {
    let base = pickle_error_class(vm)?;
    util::exception_class(vm, "_pickle.UnpicklingError", &[base])
}

/// A `PicklingError` with `msg`.
pub(crate) fn pickling_error(vm: &Vm, msg: impl Into<String>) -> PyErr {
    match pickling_error_class(vm) {
        Ok(c) => vm.new_error(&c, msg),
        Err(e) => e,
    }
}

/// An `UnpicklingError` with `msg`.
pub(crate) fn unpickling_error(vm: &Vm, msg: impl Into<String>) -> PyErr {
    match unpickling_error_class(vm) {
        Ok(c) => vm.new_error(&c, msg),
        Err(e) => e,
    }
}

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    state(vm)?;
    add_attr(vm, m, "PickleError", pickle_error_class(vm)?)?;
    add_attr(vm, m, "PicklingError", pickling_error_class(vm)?)?;
    add_attr(vm, m, "UnpicklingError", unpickling_error_class(vm)?)?;
    add_attr(vm, m, "Pickler", pickler::pickler_type(vm))?;
    add_attr(vm, m, "Unpickler", unpickler::unpickler_type(vm))?;
    add_attr(vm, m, "PickleBuffer", taipan_vm::types::picklebuffer::picklebuffer_type(vm))?;
    add_functions(vm, m, FUNCS)
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("dump", pickler::dump, "Write a pickled representation of obj to the open file object file."),
    FunctionDef::new("dumps", pickler::dumps, "Return the pickled representation of the object as a bytes object."),
    FunctionDef::new("load", unpickler::load, "Read and return an object from the pickle data stored in a file."),
    FunctionDef::new("loads", unpickler::loads, "Read and return an object from the given pickle data."),
];
