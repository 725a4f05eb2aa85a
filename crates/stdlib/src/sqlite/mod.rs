//! `_sqlite3` (CPython's `Modules/_sqlite`), what `Lib/sqlite3` builds on,
//! over the `rusqlite` crate's bundled SQLite. This file: the module
//! namespace (constants, `connect`, adapters and converters, the DB-API
//! exception hierarchy), the per-interpreter state, and the conversions
//! between Python objects and SQLite values. `connection.rs`: Connection;
//! `cursor.rs`: Cursor and Row; `blob.rs`: Blob; `callbacks.rs`: the
//! Python side of user functions, aggregates, collations, authorizer,
//! progress handler and trace; `ffi.rs`: every raw SQLite call (the only
//! `unsafe`).

mod blob;
mod callbacks;
mod connection;
mod cursor;
mod ffi;

use std::cell::{Cell, RefCell};

use taipan_vm::classes;
use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{bind, exact, new_type, FunctionDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{
    as_buffer, dict_get, dict_set, int_data, new_dict, new_str, new_tuple, object_slots, type_name, IntData, StrData,
};
use taipan_vm::types::{type_of, Kwargs, Slots};
use taipan_vm::{PyErr, PyResult, Vm};

use crate::util;
use ffi::{sys, Value};

pub use connection::connection_type;

/// `PARSE_DECLTYPES` / `PARSE_COLNAMES`.
pub const PARSE_DECLTYPES: i64 = 1;
pub const PARSE_COLNAMES: i64 = 2;

/// Per-interpreter module state.
#[derive(Default)]
pub struct State {
    /// `_sqlite3.adapters`: {(type, protocol): adapter}.
    adapters: RefCell<Option<Obj>>,
    /// `_sqlite3.converters`: {NAME: converter}.
    converters: RefCell<Option<Obj>>,
    tracebacks: Cell<bool>,
    /// An adapter was registered for int, float, str or bytearray, so
    /// those can no longer skip adaptation.
    base_adapted: Cell<bool>,
}

fn state(vm: &Vm) -> std::rc::Rc<State> {
    vm.state::<State>()
}

fn adapters(vm: &Vm) -> Obj {
    let st = state(vm);
    let mut a = st.adapters.borrow_mut();
    a.get_or_insert_with(|| new_dict(vm)).clone()
}

fn converters(vm: &Vm) -> Obj {
    let st = state(vm);
    let mut c = st.converters.borrow_mut();
    c.get_or_insert_with(|| new_dict(vm)).clone()
}

pub(crate) fn tracebacks_enabled(vm: &Vm) -> bool {
    state(vm).tracebacks.get()
}

// ------------------------------------------------------------- exceptions

/// The DB-API exception classes: name and base (None: Exception).
const EXCEPTIONS: &[(&str, Option<&str>)] = &[
    ("Warning", None),
    ("Error", None),
    ("InterfaceError", Some("Error")),
    ("DatabaseError", Some("Error")),
    ("InternalError", Some("DatabaseError")),
    ("OperationalError", Some("DatabaseError")),
    ("ProgrammingError", Some("DatabaseError")),
    ("IntegrityError", Some("DatabaseError")),
    ("DataError", Some("DatabaseError")),
    ("NotSupportedError", Some("DatabaseError")),
];

fn dotted(name: &str) -> &'static str {
    match name {
        "Warning" => "sqlite3.Warning",
        "Error" => "sqlite3.Error",
        "InterfaceError" => "sqlite3.InterfaceError",
        "DatabaseError" => "sqlite3.DatabaseError",
        "InternalError" => "sqlite3.InternalError",
        "OperationalError" => "sqlite3.OperationalError",
        "ProgrammingError" => "sqlite3.ProgrammingError",
        "IntegrityError" => "sqlite3.IntegrityError",
        "DataError" => "sqlite3.DataError",
        _ => "sqlite3.NotSupportedError",
    }
}

/// The exception class `name` (`"OperationalError"`).
pub fn exc_class(vm: &Vm, name: &str) -> PyResult<Obj> {
    let (n, base) = EXCEPTIONS.iter().find(|(n, _)| *n == name).copied().unwrap_or(("Error", None));
    let bases = match base {
        Some(b) => vec![exc_class(vm, b)?],
        None => vec![],
    };
    util::exception_class(vm, dotted(n), &bases)
}

/// An exception of class `name` with `msg`.
pub fn error(vm: &Vm, name: &str, msg: impl Into<String>) -> PyErr {
    match exc_class(vm, name) {
        Ok(t) => vm.new_error(&t, msg),
        Err(e) => e,
    }
}

/// The DB-API class for a primary result code (CPython's table).
fn class_for_code(code: i32) -> &'static str {
    match code & 0xff {
        sys::SQLITE_INTERNAL | sys::SQLITE_NOTFOUND => "InternalError",
        sys::SQLITE_ERROR
        | sys::SQLITE_PERM
        | sys::SQLITE_ABORT
        | sys::SQLITE_BUSY
        | sys::SQLITE_LOCKED
        | sys::SQLITE_READONLY
        | sys::SQLITE_INTERRUPT
        | sys::SQLITE_IOERR
        | sys::SQLITE_FULL
        | sys::SQLITE_CANTOPEN
        | sys::SQLITE_PROTOCOL
        | sys::SQLITE_EMPTY
        | sys::SQLITE_SCHEMA => "OperationalError",
        sys::SQLITE_CORRUPT => "DatabaseError",
        sys::SQLITE_TOOBIG => "DataError",
        sys::SQLITE_CONSTRAINT | sys::SQLITE_MISMATCH => "IntegrityError",
        sys::SQLITE_MISUSE | sys::SQLITE_RANGE => "InterfaceError",
        _ => "DatabaseError",
    }
}

/// An error for SQLite result `code` (extended) with `msg`, carrying
/// `sqlite_errorcode` and `sqlite_errorname`.
pub fn sqlite_error(vm: &Vm, code: i32, msg: &str) -> PyErr {
    if code & 0xff == sys::SQLITE_NOMEM {
        return vm.new_error(&vm.types.memory_error, "");
    }
    let e = error(vm, class_for_code(code), msg);
    let name = error_name(code).map_or(vm.none.clone(), |n| new_str(vm, n));
    let _ = classes::setattr(vm, &e.exc, &vm.intern("sqlite_errorcode"), vm.int(code as i64));
    let _ = classes::setattr(vm, &e.exc, &vm.intern("sqlite_errorname"), name);
    e
}

/// The error the database reports now (`_pysqlite_seterror`).
pub fn db_error(vm: &Vm, db: &ffi::Db) -> PyErr {
    sqlite_error(vm, db.errcode(), &db.errmsg())
}

fn error_name(code: i32) -> Option<&'static str> {
    ERROR_CODES.iter().find(|(_, c)| *c == code).map(|(n, _)| *n)
}

// ------------------------------------------------------------- conversions

/// A Python object for a value passed to a user function.
pub fn value_to_py(vm: &Vm, v: &Value) -> PyResult<Obj> {
    Ok(match v {
        Value::Null => vm.none.clone(),
        Value::Int(n) => vm.int(*n),
        Value::Float(f) => alloc(vm.types.float.clone(), *f),
        Value::Text(t) => match std::str::from_utf8(t) {
            Ok(s) => new_str(vm, s),
            Err(_) => {
                let s = taipan_vm::codecs::decode(vm, t, "utf-8", "strict")?;
                taipan_vm::types::builtin::new_str_wtf8(vm, s)
            }
        },
        Value::Blob(b) => taipan_vm::types::builtin::new_bytes(vm, b.clone()),
    })
}

/// Why a Python object has no SQLite value.
pub enum ToValueError {
    Unsupported,
    Raised(PyErr),
}

/// The SQLite value of a (possibly adapted) Python object.
pub fn py_to_value(vm: &Vm, o: &Obj) -> Result<Value, ToValueError> {
    if o.is(&vm.none) {
        return Ok(Value::Null);
    }
    if let Some(d) = int_data(o) {
        return match d {
            IntData::Small(v) => Ok(Value::Int(*v)),
            _ => Err(ToValueError::Raised(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to SQLite INTEGER"))),
        };
    }
    if let Some(f) = o.downcast::<f64>() {
        return Ok(Value::Float(*f));
    }
    if let Some(s) = o.downcast::<StrData>() {
        return match s.value.as_str() {
            Some(t) => Ok(Value::Text(t.as_bytes().to_vec())),
            None => taipan_vm::codecs::encode(vm, &s.value, "utf-8", "strict").map(Value::Text).map_err(ToValueError::Raised),
        };
    }
    match contiguous(vm, o) {
        Ok(Some(b)) => Ok(Value::Blob(b)),
        Ok(None) => Err(ToValueError::Unsupported),
        Err(e) => Err(ToValueError::Raised(e)),
    }
}

/// The bytes of a buffer object (None for non-buffers); a strided
/// memoryview raises BufferError, as a C-contiguous request does.
pub fn contiguous(vm: &Vm, o: &Obj) -> PyResult<Option<Vec<u8>>> {
    if let Some(m) = o.downcast::<taipan_vm::types::builtin::MemoryViewData>() {
        if !m.c_contiguous() {
            return Err(vm.new_error(&vm.types.buffer_error, "underlying buffer is not C-contiguous"));
        }
    }
    Ok(as_buffer(o).map(|b| b.into_owned()))
}

/// Whether a parameter must go through `adapt` (CPython's `need_adapt`).
pub fn need_adapt(vm: &Vm, o: &Obj) -> bool {
    if state(vm).base_adapted.get() {
        return true;
    }
    let t = type_of(o);
    let ty = &vm.types;
    !(t.is(&ty.int) || t.is(&ty.float) || t.is(&ty.str_) || t.is(&ty.bytearray))
}

fn prepare_protocol(vm: &Vm) -> Obj {
    vm.native_type("sqlite3.PrepareProtocol", |vm| {
        let slots = Slots { new: Some(|_vm, cls, _a, _k| Ok(alloc(cls.clone(), ()))), ..object_slots() };
        new_type::<()>(vm, "sqlite3.PrepareProtocol", &[], false, slots, &[], &[])
    })
}

/// `adapt(obj, proto, alt)`: the registered adapter, then
/// `proto.__adapt__`, then `obj.__conform__`; `alt` (or ProgrammingError
/// "can't adapt") when none applies.
pub fn adapt(vm: &Vm, obj: &Obj, proto: &Obj, alt: Option<&Obj>) -> PyResult<Obj> {
    let key = new_tuple(vm, vec![type_of(obj), proto.clone()]);
    if let Some(f) = dict_get(vm, &adapters(vm), &key)? {
        return util::call(vm, &f, std::slice::from_ref(obj));
    }
    if let Some(m) = util::getattr_opt(vm, proto, "__adapt__")? {
        let r = util::call(vm, &m, std::slice::from_ref(obj));
        match r {
            Ok(r) if !r.is(&vm.none) => return Ok(r),
            Ok(_) => {}
            Err(e) if util::is_error(&e, &vm.types.type_error) => {}
            Err(e) => return Err(e),
        }
    }
    if let Some(m) = util::getattr_opt(vm, obj, "__conform__")? {
        let r = util::call(vm, &m, std::slice::from_ref(proto));
        match r {
            Ok(r) if !r.is(&vm.none) => return Ok(r),
            Ok(_) => {}
            Err(e) if util::is_error(&e, &vm.types.type_error) => {}
            Err(e) => return Err(e),
        }
    }
    match alt {
        Some(a) => Ok(a.clone()),
        None => Err(error(vm, "ProgrammingError", "can't adapt")),
    }
}

/// Adapts a statement parameter for binding.
pub fn adapt_param(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    if need_adapt(vm, o) {
        adapt(vm, o, &prepare_protocol(vm), Some(o))
    } else {
        Ok(o.clone())
    }
}

/// The converter registered for `name` (case-insensitive), if any.
pub fn converter(vm: &Vm, name: &str) -> PyResult<Option<Obj>> {
    let key = new_str(vm, &name.to_uppercase());
    dict_get(vm, &converters(vm), &key)
}

/// A str's UTF-8 text; lone surrogates raise UnicodeEncodeError.
pub fn utf8(vm: &Vm, o: &Obj) -> PyResult<String> {
    let Some(s) = o.downcast::<StrData>() else {
        return Err(vm.type_error(format!("expected str, not {}", type_name(o))));
    };
    match s.value.as_str() {
        Some(t) => Ok(t.to_string()),
        None => {
            let b = taipan_vm::codecs::encode(vm, &s.value, "utf-8", "strict")?;
            Ok(String::from_utf8_lossy(&b).into_owned())
        }
    }
}

/// The `new` slot of types Python code cannot instantiate.
pub fn disallow_new(vm: &Vm, cls: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    let name = taipan_vm::types::builtin::name_of_type(cls).to_string();
    Err(vm.type_error(format!("cannot create '{name}' instances")))
}

/// A thread identifier for `check_same_thread` messages.
pub fn thread_ident() -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    std::thread::current().id().hash(&mut h);
    h.finish()
}

// ---------------------------------------------------------------- module

static CONNECT: Params = Params {
    fname: "connect",
    names: &["database", "timeout", "detect_types", "isolation_level", "check_same_thread", "factory", "cached_statements", "uri"],
    posonly: 0,
    kwonly: 0,
    required: 1,
};

/// `connect(database, timeout=5.0, ..., factory=Connection, ...)`.
fn connect(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [_, _, _, _, _, factory, _, _] = bind::<8>(vm, &CONNECT, args, kw)?;
    let factory = factory.unwrap_or_else(|| connection_type(vm));
    // Like CPython, the factory gets the arguments as given (`factory`
    // included: Connection.__init__ accepts and ignores it).
    util::call_kw(vm, &factory, args, kw)
}

fn register_adapter(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [ty, f] = util::exact_named::<2>(vm, "register_adapter", args, kw)?;
    let t = &vm.types;
    if ty.is(&t.int) || ty.is(&t.float) || ty.is(&t.str_) || ty.is(&t.bytearray) {
        state(vm).base_adapted.set(true);
    }
    let key = new_tuple(vm, vec![ty, prepare_protocol(vm)]);
    dict_set(vm, &adapters(vm), key, f)?;
    Ok(vm.none.clone())
}

fn register_converter(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name, f] = util::exact_named::<2>(vm, "register_converter", args, kw)?;
    if name.downcast::<StrData>().is_none() {
        return Err(vm.type_error(format!("register_converter() argument 1 must be str, not {}", type_name(&name))));
    }
    let upper = util::call_method(vm, &name, "upper", &[])?;
    dict_set(vm, &converters(vm), upper, f)?;
    Ok(vm.none.clone())
}

static ADAPT: Params = Params { fname: "adapt", names: &["obj", "proto", "alt"], posonly: 3, kwonly: 0, required: 1 };

fn adapt_fn(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [obj, proto, alt] = bind::<3>(vm, &ADAPT, args, kw)?;
    let obj = obj.unwrap_or_else(|| vm.none.clone());
    let proto = proto.unwrap_or_else(|| prepare_protocol(vm));
    adapt(vm, &obj, &proto, alt.as_ref())
}

fn complete_statement(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "complete_statement", names: &["statement"], posonly: 0, kwonly: 0, required: 1 };
    let [s] = bind::<1>(vm, &P, args, kw)?;
    let s = s.unwrap_or_else(|| vm.none.clone());
    let Some(sd) = s.downcast::<StrData>() else {
        return Err(vm.type_error(format!("complete_statement() argument 'statement' must be str, not {}", type_name(&s))));
    };
    Ok(vm.bool(ffi::complete(&sd.as_str())))
}

fn enable_callback_tracebacks(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [flag] = exact::<1>(vm, "enable_callback_tracebacks", args, kw)?;
    let on = taipan_vm::ops::truth(vm, &flag)?;
    state(vm).tracebacks.set(on);
    Ok(vm.none.clone())
}

fn enable_shared_cache(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "enable_shared_cache", names: &["do_enable"], posonly: 0, kwonly: 0, required: 1 };
    let [flag] = bind::<1>(vm, &P, args, kw)?;
    let on = match flag {
        Some(f) => taipan_vm::ops::truth(vm, &f)?,
        None => false,
    };
    let rc = ffi::enable_shared_cache(on);
    if rc != sys::SQLITE_OK {
        return Err(error(vm, "OperationalError", "Changing the shared_cache flag failed"));
    }
    Ok(vm.none.clone())
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("adapt", adapt_fn, "Adapt given object to given protocol."),
    FunctionDef::new("complete_statement", complete_statement, "Checks if a string contains a complete SQL statement."),
    FunctionDef::new("connect", connect, "Opens a connection to the SQLite database file database."),
    FunctionDef::new(
        "enable_callback_tracebacks",
        enable_callback_tracebacks,
        "Enable or disable callback functions throwing errors to stderr.",
    ),
    FunctionDef::new("enable_shared_cache", enable_shared_cache, "Enable or disable shared cache mode for the calling thread."),
    FunctionDef::new("register_adapter", register_adapter, "Register a function to adapt Python objects to SQLite values."),
    FunctionDef::new("register_converter", register_converter, "Register a function to convert SQLite values to Python objects."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    for (name, _) in EXCEPTIONS {
        add_attr(vm, m, name, exc_class(vm, name)?)?;
    }
    add_attr(vm, m, "Connection", connection_type(vm))?;
    add_attr(vm, m, "Cursor", cursor::cursor_type(vm))?;
    add_attr(vm, m, "Row", cursor::row_type(vm))?;
    add_attr(vm, m, "Blob", blob::blob_type(vm))?;
    add_attr(vm, m, "PrepareProtocol", prepare_protocol(vm))?;
    add_attr(vm, m, "adapters", adapters(vm))?;
    add_attr(vm, m, "converters", converters(vm))?;
    add_attr(vm, m, "PARSE_DECLTYPES", vm.int(PARSE_DECLTYPES))?;
    add_attr(vm, m, "PARSE_COLNAMES", vm.int(PARSE_COLNAMES))?;
    add_attr(vm, m, "version", new_str(vm, "2.6.0"))?;
    add_attr(vm, m, "sqlite_version", new_str(vm, &ffi::libversion()))?;
    // SQLite is built serialized (SQLITE_THREADSAFE=1): DB-API level 3.
    add_attr(vm, m, "threadsafety", vm.int(3))?;
    add_attr(vm, m, "apilevel", new_str(vm, "2.0"))?;
    add_attr(vm, m, "paramstyle", new_str(vm, "qmark"))?;
    for (name, v) in ERROR_CODES.iter().chain(AUTH_CODES).chain(LIMITS) {
        add_attr(vm, m, name, vm.int(*v as i64))?;
    }
    Ok(())
}

// --------------------------------------------------------------- constants

/// Result codes (and the names `sqlite_errorname` reports).
static ERROR_CODES: &[(&str, i32)] = &[
    ("SQLITE_OK", 0),
    ("SQLITE_ERROR", 1),
    ("SQLITE_INTERNAL", 2),
    ("SQLITE_PERM", 3),
    ("SQLITE_ABORT", 4),
    ("SQLITE_BUSY", 5),
    ("SQLITE_LOCKED", 6),
    ("SQLITE_NOMEM", 7),
    ("SQLITE_READONLY", 8),
    ("SQLITE_INTERRUPT", 9),
    ("SQLITE_IOERR", 10),
    ("SQLITE_CORRUPT", 11),
    ("SQLITE_NOTFOUND", 12),
    ("SQLITE_FULL", 13),
    ("SQLITE_CANTOPEN", 14),
    ("SQLITE_PROTOCOL", 15),
    ("SQLITE_EMPTY", 16),
    ("SQLITE_SCHEMA", 17),
    ("SQLITE_TOOBIG", 18),
    ("SQLITE_CONSTRAINT", 19),
    ("SQLITE_MISMATCH", 20),
    ("SQLITE_MISUSE", 21),
    ("SQLITE_NOLFS", 22),
    ("SQLITE_AUTH", 23),
    ("SQLITE_FORMAT", 24),
    ("SQLITE_RANGE", 25),
    ("SQLITE_NOTADB", 26),
    ("SQLITE_NOTICE", 27),
    ("SQLITE_WARNING", 28),
    ("SQLITE_ROW", 100),
    ("SQLITE_DONE", 101),
    ("SQLITE_ABORT_ROLLBACK", 516),
    ("SQLITE_AUTH_USER", 279),
    ("SQLITE_BUSY_RECOVERY", 261),
    ("SQLITE_BUSY_SNAPSHOT", 517),
    ("SQLITE_BUSY_TIMEOUT", 773),
    ("SQLITE_CANTOPEN_CONVPATH", 1038),
    ("SQLITE_CANTOPEN_DIRTYWAL", 1294),
    ("SQLITE_CANTOPEN_FULLPATH", 782),
    ("SQLITE_CANTOPEN_ISDIR", 526),
    ("SQLITE_CANTOPEN_NOTEMPDIR", 270),
    ("SQLITE_CANTOPEN_SYMLINK", 1550),
    ("SQLITE_CONSTRAINT_CHECK", 275),
    ("SQLITE_CONSTRAINT_COMMITHOOK", 531),
    ("SQLITE_CONSTRAINT_FOREIGNKEY", 787),
    ("SQLITE_CONSTRAINT_FUNCTION", 1043),
    ("SQLITE_CONSTRAINT_NOTNULL", 1299),
    ("SQLITE_CONSTRAINT_PINNED", 2835),
    ("SQLITE_CONSTRAINT_PRIMARYKEY", 1555),
    ("SQLITE_CONSTRAINT_ROWID", 2579),
    ("SQLITE_CONSTRAINT_TRIGGER", 1811),
    ("SQLITE_CONSTRAINT_UNIQUE", 2067),
    ("SQLITE_CONSTRAINT_VTAB", 2323),
    ("SQLITE_CORRUPT_INDEX", 779),
    ("SQLITE_CORRUPT_SEQUENCE", 523),
    ("SQLITE_CORRUPT_VTAB", 267),
    ("SQLITE_ERROR_MISSING_COLLSEQ", 257),
    ("SQLITE_ERROR_RETRY", 513),
    ("SQLITE_ERROR_SNAPSHOT", 769),
    ("SQLITE_IOERR_ACCESS", 3338),
    ("SQLITE_IOERR_AUTH", 7178),
    ("SQLITE_IOERR_BEGIN_ATOMIC", 7434),
    ("SQLITE_IOERR_BLOCKED", 2826),
    ("SQLITE_IOERR_CHECKRESERVEDLOCK", 3594),
    ("SQLITE_IOERR_CLOSE", 4106),
    ("SQLITE_IOERR_COMMIT_ATOMIC", 7690),
    ("SQLITE_IOERR_CONVPATH", 6666),
    ("SQLITE_IOERR_CORRUPTFS", 8458),
    ("SQLITE_IOERR_DATA", 8202),
    ("SQLITE_IOERR_DELETE", 2570),
    ("SQLITE_IOERR_DELETE_NOENT", 5898),
    ("SQLITE_IOERR_DIR_CLOSE", 4362),
    ("SQLITE_IOERR_DIR_FSYNC", 1290),
    ("SQLITE_IOERR_FSTAT", 1802),
    ("SQLITE_IOERR_FSYNC", 1034),
    ("SQLITE_IOERR_GETTEMPPATH", 6410),
    ("SQLITE_IOERR_LOCK", 3850),
    ("SQLITE_IOERR_MMAP", 6154),
    ("SQLITE_IOERR_NOMEM", 3082),
    ("SQLITE_IOERR_RDLOCK", 2314),
    ("SQLITE_IOERR_READ", 266),
    ("SQLITE_IOERR_ROLLBACK_ATOMIC", 7946),
    ("SQLITE_IOERR_SEEK", 5642),
    ("SQLITE_IOERR_SHMLOCK", 5130),
    ("SQLITE_IOERR_SHMMAP", 5386),
    ("SQLITE_IOERR_SHMOPEN", 4618),
    ("SQLITE_IOERR_SHMSIZE", 4874),
    ("SQLITE_IOERR_SHORT_READ", 522),
    ("SQLITE_IOERR_TRUNCATE", 1546),
    ("SQLITE_IOERR_UNLOCK", 2058),
    ("SQLITE_IOERR_VNODE", 6922),
    ("SQLITE_IOERR_WRITE", 778),
    ("SQLITE_LOCKED_SHAREDCACHE", 262),
    ("SQLITE_LOCKED_VTAB", 518),
    ("SQLITE_NOTICE_RECOVER_ROLLBACK", 539),
    ("SQLITE_NOTICE_RECOVER_WAL", 283),
    ("SQLITE_OK_LOAD_PERMANENTLY", 256),
    ("SQLITE_OK_SYMLINK", 512),
    ("SQLITE_READONLY_CANTINIT", 1288),
    ("SQLITE_READONLY_CANTLOCK", 520),
    ("SQLITE_READONLY_DBMOVED", 1032),
    ("SQLITE_READONLY_DIRECTORY", 1544),
    ("SQLITE_READONLY_RECOVERY", 264),
    ("SQLITE_READONLY_ROLLBACK", 776),
    ("SQLITE_WARNING_AUTOINDEX", 284),
];

/// Authorizer action codes and return values.
static AUTH_CODES: &[(&str, i32)] = &[
    ("SQLITE_DENY", 1),
    ("SQLITE_IGNORE", 2),
    ("SQLITE_CREATE_INDEX", 1),
    ("SQLITE_CREATE_TABLE", 2),
    ("SQLITE_CREATE_TEMP_INDEX", 3),
    ("SQLITE_CREATE_TEMP_TABLE", 4),
    ("SQLITE_CREATE_TEMP_TRIGGER", 5),
    ("SQLITE_CREATE_TEMP_VIEW", 6),
    ("SQLITE_CREATE_TRIGGER", 7),
    ("SQLITE_CREATE_VIEW", 8),
    ("SQLITE_DELETE", 9),
    ("SQLITE_DROP_INDEX", 10),
    ("SQLITE_DROP_TABLE", 11),
    ("SQLITE_DROP_TEMP_INDEX", 12),
    ("SQLITE_DROP_TEMP_TABLE", 13),
    ("SQLITE_DROP_TEMP_TRIGGER", 14),
    ("SQLITE_DROP_TEMP_VIEW", 15),
    ("SQLITE_DROP_TRIGGER", 16),
    ("SQLITE_DROP_VIEW", 17),
    ("SQLITE_INSERT", 18),
    ("SQLITE_PRAGMA", 19),
    ("SQLITE_READ", 20),
    ("SQLITE_SELECT", 21),
    ("SQLITE_TRANSACTION", 22),
    ("SQLITE_UPDATE", 23),
    ("SQLITE_ATTACH", 24),
    ("SQLITE_DETACH", 25),
    ("SQLITE_ALTER_TABLE", 26),
    ("SQLITE_REINDEX", 27),
    ("SQLITE_ANALYZE", 28),
    ("SQLITE_CREATE_VTABLE", 29),
    ("SQLITE_DROP_VTABLE", 30),
    ("SQLITE_FUNCTION", 31),
    ("SQLITE_SAVEPOINT", 32),
    ("SQLITE_RECURSIVE", 33),
];

/// `sqlite3_limit` categories.
static LIMITS: &[(&str, i32)] = &[
    ("SQLITE_LIMIT_LENGTH", 0),
    ("SQLITE_LIMIT_SQL_LENGTH", 1),
    ("SQLITE_LIMIT_COLUMN", 2),
    ("SQLITE_LIMIT_EXPR_DEPTH", 3),
    ("SQLITE_LIMIT_COMPOUND_SELECT", 4),
    ("SQLITE_LIMIT_VDBE_OP", 5),
    ("SQLITE_LIMIT_FUNCTION_ARG", 6),
    ("SQLITE_LIMIT_ATTACHED", 7),
    ("SQLITE_LIMIT_LIKE_PATTERN_LENGTH", 8),
    ("SQLITE_LIMIT_VARIABLE_NUMBER", 9),
    ("SQLITE_LIMIT_TRIGGER_DEPTH", 10),
    ("SQLITE_LIMIT_WORKER_THREADS", 11),
];

#[cfg(test)]
mod tests {
    use super::{class_for_code, error_name};

    #[test]
    fn exception_classes_follow_the_primary_code() {
        assert_eq!(class_for_code(1), "OperationalError");
        assert_eq!(class_for_code(2067), "IntegrityError"); // CONSTRAINT_UNIQUE
        assert_eq!(class_for_code(18), "DataError");
        assert_eq!(class_for_code(21), "InterfaceError");
        assert_eq!(class_for_code(11), "DatabaseError");
        assert_eq!(class_for_code(2), "InternalError");
        assert_eq!(class_for_code(26), "DatabaseError"); // NOTADB
    }

    #[test]
    fn error_names_cover_extended_codes() {
        assert_eq!(error_name(1555), Some("SQLITE_CONSTRAINT_PRIMARYKEY"));
        assert_eq!(error_name(14), Some("SQLITE_CANTOPEN"));
        assert_eq!(error_name(12345), None);
    }
}
