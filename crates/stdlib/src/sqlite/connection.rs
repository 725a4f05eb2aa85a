//! `sqlite3.Connection`: opening (in `__init__`, so subclasses and
//! `connect(factory=...)` work), 3.11's transaction control (an implicit
//! `BEGIN <isolation_level>` before DML unless `isolation_level` is None;
//! `commit`/`rollback` only inside a transaction), the shortcut
//! `execute*` methods, user functions/aggregates/window functions/
//! collations, authorizer/progress/trace callbacks, limits, `iterdump`
//! (the pure-Python `sqlite3.dump`), `backup`, `blobopen`,
//! `serialize`/`deserialize` and the context manager.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use taipan_vm::native::{bind, exact, new_type, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{as_buffer, int_data, new_bytes, new_str, object_slots, type_name, IntData, StrData};
use taipan_vm::types::{Kwargs, Slots};
use taipan_vm::{PyResult, Vm};

use super::ffi::{self, sys, Db, FuncKind};
use super::{cursor, db_error, error, sqlite_error};
use crate::util;

pub struct Conn {
    db: RefCell<Option<Rc<Db>>>,
    initialized: Cell<bool>,
    owner: Cell<u64>,
    check_same_thread: Cell<bool>,
    pub detect_types: Cell<i64>,
    /// The isolation level (None: autocommit, no implicit BEGIN).
    isolation: RefCell<Option<String>>,
    pub row_factory: RefCell<Obj>,
    pub text_factory: RefCell<Obj>,
}

pub fn connection_type(vm: &Vm) -> Obj {
    vm.native_type("sqlite3.Connection", |vm| {
        let slots = Slots {
            new: Some(conn_new),
            init: Some(conn_init),
            call: Some(conn_call),
            traverse: Some(|o, visit| {
                if let Some(c) = o.downcast::<Conn>() {
                    for f in [&c.row_factory, &c.text_factory] {
                        if let Ok(x) = f.try_borrow() {
                            visit(&x);
                        }
                    }
                }
            }),
            ..object_slots()
        };
        let t = new_type::<Conn>(vm, "sqlite3.Connection", &[], true, slots, CONN_METHODS, CONN_GETSETS);
        taipan_vm::types::type_data(&t).weakrefable.set(true);
        t
    })
}

fn conn_new(vm: &Vm, cls: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    Ok(alloc(
        cls.clone(),
        Conn {
            db: RefCell::new(None),
            initialized: Cell::new(false),
            owner: Cell::new(super::thread_ident()),
            check_same_thread: Cell::new(true),
            detect_types: Cell::new(0),
            isolation: RefCell::new(Some(String::new())),
            row_factory: RefCell::new(vm.none.clone()),
            text_factory: RefCell::new(vm.types.str_.clone()),
        },
    ))
}

pub fn payload<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a Conn> {
    o.downcast::<Conn>()
        .ok_or_else(|| vm.type_error(format!("descriptor requires a 'sqlite3.Connection' object but received '{}'", type_name(o))))
}

static INIT: Params = Params {
    fname: "Connection",
    names: &["database", "timeout", "detect_types", "isolation_level", "check_same_thread", "factory", "cached_statements", "uri"],
    posonly: 0,
    kwonly: 0,
    required: 1,
};

/// Validates an `isolation_level` value (None or one of the four).
fn isolation_arg(vm: &Vm, o: &Obj) -> PyResult<Option<String>> {
    if o.is(&vm.none) {
        return Ok(None);
    }
    let Some(s) = o.downcast::<StrData>() else {
        return Err(vm.type_error("isolation_level must be str or None"));
    };
    let up = s.as_str().to_ascii_uppercase();
    if !["", "DEFERRED", "IMMEDIATE", "EXCLUSIVE"].contains(&up.as_str()) {
        return Err(vm.new_error(&vm.types.value_error, "isolation_level string must be '', 'DEFERRED', 'IMMEDIATE', or 'EXCLUSIVE'"));
    }
    Ok(Some(up))
}

fn conn_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let c = payload(vm, this)?;
    let [database, timeout, detect_types, isolation, same_thread, _factory, _cached, uri] = bind::<8>(vm, &INIT, args, kw)?;
    let database = database.unwrap_or_else(|| vm.none.clone());
    let path = crate::posix::fspath(vm, &database)?;
    // The file system encoding (UTF-8, surrogateescape), as os.fsencode.
    let path: Vec<u8> = if let Some(s) = path.downcast::<StrData>() {
        taipan_vm::codecs::encode(vm, &s.value, "utf-8", "surrogateescape")?
    } else if let Some(b) = as_buffer(&path) {
        b.into_owned()
    } else {
        return Err(vm.type_error(format!("expected str, bytes or os.PathLike object, not {}", type_name(&database))));
    };
    let timeout = match timeout {
        Some(t) => taipan_vm::types::builtin::number_to_f64(vm, &t)?,
        None => 5.0,
    };
    let detect = match detect_types {
        Some(d) => util::to_isize(vm, &d)? as i64,
        None => 0,
    };
    let iso = match isolation {
        Some(i) => isolation_arg(vm, &i)?,
        None => Some(String::new()),
    };
    let same = match same_thread {
        Some(s) => taipan_vm::ops::truth(vm, &s)?,
        None => true,
    };
    let uri = match uri {
        Some(u) => taipan_vm::ops::truth(vm, &u)?,
        None => false,
    };
    // A re-initialized connection drops its database (statements of
    // existing cursors keep it alive until they finish) and is
    // uninitialized until the new one opens.
    c.initialized.set(false);
    drop(c.db.borrow_mut().take());
    let db = Db::open(&path, uri, (timeout * 1000.0) as i32).map_err(|(code, msg)| sqlite_error(vm, code, &msg))?;
    *c.db.borrow_mut() = Some(Rc::new(db));
    c.initialized.set(true);
    c.owner.set(super::thread_ident());
    c.check_same_thread.set(same);
    c.detect_types.set(detect);
    *c.isolation.borrow_mut() = iso;
    *c.row_factory.borrow_mut() = vm.none.clone();
    *c.text_factory.borrow_mut() = vm.types.str_.clone();
    Ok(vm.none.clone())
}

/// The thread check (`pysqlite_check_thread`).
pub fn check_thread(vm: &Vm, c: &Conn) -> PyResult<()> {
    if c.check_same_thread.get() && c.owner.get() != super::thread_ident() {
        return Err(error(
            vm,
            "ProgrammingError",
            format!(
                "SQLite objects created in a thread can only be used in that same thread. The object was created in thread id {} and this is thread id {}.",
                c.owner.get(),
                super::thread_ident()
            ),
        ));
    }
    Ok(())
}

/// The open database, after the init, thread and closed checks.
pub fn open_db(vm: &Vm, c: &Conn) -> PyResult<Rc<Db>> {
    if !c.initialized.get() {
        return Err(error(vm, "ProgrammingError", "Base Connection.__init__ not called."));
    }
    check_thread(vm, c)?;
    match &*c.db.borrow() {
        Some(db) if db.is_open() => Ok(db.clone()),
        _ => Err(error(vm, "ProgrammingError", "Cannot operate on a closed database.")),
    }
}

/// `open_db` for a Connection object.
pub fn db_of(vm: &Vm, this: &Obj) -> PyResult<Rc<Db>> {
    open_db(vm, payload(vm, this)?)
}

/// The `BEGIN` statement of the isolation level (None: autocommit).
pub fn begin_statement(c: &Conn) -> Option<String> {
    c.isolation.borrow().as_ref().map(|l| format!("BEGIN {l}"))
}

/// Runs a transaction-control statement (`BEGIN`, `COMMIT`, `ROLLBACK`).
pub fn exec_control(vm: &Vm, db: &Db, sql: &str) -> PyResult<()> {
    if db.exec(vm, sql) != sys::SQLITE_OK {
        return Err(db_error(vm, db));
    }
    Ok(())
}

// --------------------------------------------------------------- methods

fn cursor_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "cursor", names: &["factory"], posonly: 0, kwonly: 0, required: 0 };
    let [factory] = bind::<1>(vm, &P, args, kw)?;
    let c = payload(vm, this)?;
    open_db(vm, c)?;
    let factory = factory.unwrap_or_else(|| cursor::cursor_type(vm));
    let cur = util::call(vm, &factory, std::slice::from_ref(this))?;
    let Some(cp) = cur.downcast::<cursor::Cursor>() else {
        return Err(vm.type_error(format!("factory must return a cursor, not {}", type_name(&cur))));
    };
    let rf = c.row_factory.borrow().clone();
    if !rf.is(&vm.none) {
        *cp.row_factory.borrow_mut() = rf;
    }
    Ok(cur)
}

fn new_cursor(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    let m = util::getattr(vm, this, "cursor")?;
    util::call(vm, &m, &[])
}

fn execute_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [sql, params] = taipan_vm::native::at_most::<2>(vm, "execute", 1, args, kw)?;
    let cur = new_cursor(vm, this)?;
    cursor::execute(vm, &cur, sql.as_ref(), params.as_ref(), false, "execute")?;
    Ok(cur)
}

fn executemany_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [sql, params] = exact::<2>(vm, "executemany", args, kw)?;
    let cur = new_cursor(vm, this)?;
    cursor::execute(vm, &cur, Some(&sql), Some(&params), true, "executemany")?;
    Ok(cur)
}

fn executescript_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [script] = exact::<1>(vm, "executescript", args, kw)?;
    let cur = new_cursor(vm, this)?;
    cursor::executescript(vm, &cur, &script)?;
    Ok(cur)
}

fn commit_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "commit", args, kw)?;
    let db = db_of(vm, this)?;
    if !db.autocommit() {
        exec_control(vm, &db, "COMMIT")?;
    }
    Ok(vm.none.clone())
}

fn rollback_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "rollback", args, kw)?;
    let db = db_of(vm, this)?;
    if !db.autocommit() {
        exec_control(vm, &db, "ROLLBACK")?;
    }
    Ok(vm.none.clone())
}

fn close_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "close", args, kw)?;
    let c = payload(vm, this)?;
    if !c.initialized.get() {
        return Err(error(vm, "ProgrammingError", "Base Connection.__init__ not called."));
    }
    check_thread(vm, c)?;
    let db = c.db.borrow_mut().take();
    if let Some(db) = db {
        db.close(vm);
    }
    Ok(vm.none.clone())
}

fn str_arg(vm: &Vm, fname: &str, what: &str, o: &Obj) -> PyResult<String> {
    match o.downcast::<StrData>() {
        Some(_) => super::utf8(vm, o),
        None => Err(vm.type_error(format!("{fname}() argument {what} must be str, not {}", type_name(o)))),
    }
}

fn int_arg(vm: &Vm, o: &Obj) -> PyResult<i32> {
    if o.downcast::<f64>().is_some() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let i = taipan_vm::ops::index(vm, o)?;
    match int_data(&i) {
        Some(IntData::Small(v)) if i32::try_from(*v).is_ok() => Ok(*v as i32),
        Some(IntData::Small(v)) if *v > 0 => Err(vm.new_error(&vm.types.overflow_error, "signed integer is greater than maximum")),
        Some(IntData::Small(_)) => Err(vm.new_error(&vm.types.overflow_error, "signed integer is less than minimum")),
        _ => Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C long")),
    }
}

fn create_function_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params =
        Params { fname: "create_function", names: &["name", "narg", "func", "deterministic"], posonly: 0, kwonly: 1, required: 3 };
    let [name, narg, func, det] = bind::<4>(vm, &P, args, kw)?;
    let db = db_of(vm, this)?;
    let name = str_arg(vm, "create_function", "'name'", name.as_ref().unwrap_or(&vm.none))?;
    let narg = int_arg(vm, narg.as_ref().unwrap_or(&vm.none))?;
    let func = func.unwrap_or_else(|| vm.none.clone());
    let mut flags = 0;
    if let Some(d) = det {
        if taipan_vm::ops::truth(vm, &d)? {
            flags |= sys::SQLITE_DETERMINISTIC;
        }
    }
    // As in 3.11, None is registered like any object (calling it fails).
    if db.create_function(&name, narg, flags, FuncKind::Scalar, Some(func)) != sys::SQLITE_OK {
        return Err(error(vm, "OperationalError", "Error creating function"));
    }
    Ok(vm.none.clone())
}

fn create_aggregate_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params =
        Params { fname: "create_aggregate", names: &["name", "n_arg", "aggregate_class"], posonly: 0, kwonly: 0, required: 3 };
    let [name, narg, cls] = bind::<3>(vm, &P, args, kw)?;
    let db = db_of(vm, this)?;
    let name = str_arg(vm, "create_aggregate", "'name'", name.as_ref().unwrap_or(&vm.none))?;
    let narg = int_arg(vm, narg.as_ref().unwrap_or(&vm.none))?;
    let cls = cls.unwrap_or_else(|| vm.none.clone());
    if db.create_function(&name, narg, 0, FuncKind::Agg, Some(cls)) != sys::SQLITE_OK {
        return Err(error(vm, "OperationalError", "Error creating aggregate"));
    }
    Ok(vm.none.clone())
}

fn create_window_function_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name, narg, cls] = exact::<3>(vm, "create_window_function", args, kw)?;
    let db = db_of(vm, this)?;
    let name = str_arg(vm, "create_window_function", "1", &name)?;
    let narg = int_arg(vm, &narg)?;
    let f = if cls.is(&vm.none) { None } else { Some(cls) };
    let rc = db.create_function(&name, narg, sys::SQLITE_DETERMINISTIC, FuncKind::Window, f);
    if rc != sys::SQLITE_OK {
        return Err(error(vm, "ProgrammingError", ffi::errstr(rc)));
    }
    Ok(vm.none.clone())
}

fn create_collation_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name, func] = exact::<2>(vm, "create_collation", args, kw)?;
    let db = db_of(vm, this)?;
    let name = str_arg(vm, "create_collation", "1", &name)?;
    if !func.is(&vm.none) && !taipan_vm::ops::callable(&func) {
        return Err(vm.type_error("parameter must be callable"));
    }
    let f = if func.is(&vm.none) { None } else { Some(func) };
    if db.create_collation(&name, f) != sys::SQLITE_OK {
        return Err(db_error(vm, &db));
    }
    Ok(vm.none.clone())
}

fn set_authorizer_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "set_authorizer", names: &["authorizer_callback"], posonly: 0, kwonly: 0, required: 1 };
    let [f] = bind::<1>(vm, &P, args, kw)?;
    let db = db_of(vm, this)?;
    let f = f.filter(|f| !f.is(&vm.none));
    if db.set_authorizer(f) != sys::SQLITE_OK {
        return Err(error(vm, "OperationalError", "Error setting authorizer callback"));
    }
    Ok(vm.none.clone())
}

fn set_progress_handler_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "set_progress_handler", names: &["progress_handler", "n"], posonly: 0, kwonly: 0, required: 2 };
    let [f, n] = bind::<2>(vm, &P, args, kw)?;
    let db = db_of(vm, this)?;
    let n = int_arg(vm, n.as_ref().unwrap_or(&vm.none))?;
    db.set_progress(f.filter(|f| !f.is(&vm.none)), n);
    Ok(vm.none.clone())
}

fn set_trace_callback_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "set_trace_callback", names: &["trace_callback"], posonly: 0, kwonly: 0, required: 1 };
    let [f] = bind::<1>(vm, &P, args, kw)?;
    let db = db_of(vm, this)?;
    db.set_trace(f.filter(|f| !f.is(&vm.none)));
    Ok(vm.none.clone())
}

fn interrupt_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "interrupt", args, kw)?;
    let c = payload(vm, this)?;
    match &*c.db.borrow() {
        Some(db) if db.is_open() => db.interrupt(),
        _ => return Err(error(vm, "ProgrammingError", "Cannot operate on a closed database.")),
    }
    Ok(vm.none.clone())
}

fn getlimit_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [cat] = exact::<1>(vm, "getlimit", args, kw)?;
    let cat = int_arg(vm, &cat)?;
    let db = db_of(vm, this)?;
    let v = db.limit(cat, -1);
    if v < 0 {
        return Err(error(vm, "ProgrammingError", "'category' is out of bounds"));
    }
    Ok(vm.int(v as i64))
}

fn setlimit_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [cat, lim] = exact::<2>(vm, "setlimit", args, kw)?;
    let cat = int_arg(vm, &cat)?;
    let lim = int_arg(vm, &lim)?;
    let db = db_of(vm, this)?;
    let v = db.limit(cat, lim);
    if v < 0 {
        return Err(error(vm, "ProgrammingError", "'category' is out of bounds"));
    }
    Ok(vm.int(v as i64))
}

fn iterdump_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "iterdump", args, kw)?;
    db_of(vm, this)?;
    taipan_vm::import::import_absolute(vm, "sqlite3.dump")?;
    let sys_modules = vm.modules.clone();
    let m = taipan_vm::types::builtin::dict_get_str(vm, &sys_modules, "sqlite3.dump")?
        .ok_or_else(|| vm.new_error(&vm.types.import_error, "No module named 'sqlite3.dump'"))?;
    let f = util::getattr(vm, &m, "_iterdump")?;
    util::call(vm, &f, std::slice::from_ref(this))
}

fn backup_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params =
        Params { fname: "backup", names: &["target", "pages", "progress", "name", "sleep"], posonly: 0, kwonly: 4, required: 1 };
    let [target, pages, progress, name, sleep] = bind::<5>(vm, &P, args, kw)?;
    let db = db_of(vm, this)?;
    let target = target.unwrap_or_else(|| vm.none.clone());
    let Some(tc) = target.downcast::<Conn>() else {
        return Err(vm.type_error(format!("backup() argument 'target' must be sqlite3.Connection, not {}", type_name(&target))));
    };
    let tdb = open_db(vm, tc)?;
    if Rc::ptr_eq(&db, &tdb) {
        return Err(vm.new_error(&vm.types.value_error, "target cannot be the same connection instance"));
    }
    let mut pages = match pages {
        Some(p) => int_arg(vm, &p)?,
        None => -1,
    };
    if pages == 0 {
        pages = -1;
    }
    let progress = progress.filter(|p| !p.is(&vm.none));
    if let Some(p) = &progress {
        if !taipan_vm::ops::callable(p) {
            return Err(vm.type_error("progress argument must be a callable"));
        }
    }
    let name = match name {
        Some(n) => str_arg(vm, "backup", "'name'", &n)?,
        None => "main".into(),
    };
    let sleep = match sleep {
        Some(s) => taipan_vm::types::builtin::number_to_f64(vm, &s)?,
        None => 0.25,
    };
    if sleep < 0.0 {
        return Err(vm.new_error(&vm.types.value_error, "sleep must be greater-than or equal to zero"));
    }
    if !tdb.autocommit() {
        return Err(error(vm, "OperationalError", "target is in transaction"));
    }
    let Some(bk) = tdb.backup_init(&db, "main", &name) else {
        return Err(db_error(vm, &tdb));
    };
    loop {
        let rc = bk.step(pages);
        if let Some(p) = &progress {
            let r = util::call(vm, p, &[vm.int(rc as i64), vm.int(bk.remaining() as i64), vm.int(bk.pagecount() as i64)]);
            if let Err(e) = r {
                drop(bk);
                return Err(e);
            }
        }
        if rc == sys::SQLITE_BUSY || rc == sys::SQLITE_LOCKED {
            std::thread::sleep(std::time::Duration::from_secs_f64(sleep));
        } else if rc != sys::SQLITE_OK && rc != sys::SQLITE_DONE {
            bk.finish();
            return Err(db_error(vm, &tdb));
        }
        if rc == sys::SQLITE_DONE {
            break;
        }
    }
    if bk.finish() != sys::SQLITE_OK {
        return Err(db_error(vm, &tdb));
    }
    Ok(vm.none.clone())
}

fn blobopen_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params =
        Params { fname: "blobopen", names: &["table", "column", "row", "readonly", "name"], posonly: 3, kwonly: 2, required: 3 };
    let [table, column, row, readonly, name] = bind::<5>(vm, &P, args, kw)?;
    let db = db_of(vm, this)?;
    let none = vm.none.clone();
    let table = str_arg(vm, "blobopen", "1", table.as_ref().unwrap_or(&none))?;
    let column = str_arg(vm, "blobopen", "2", column.as_ref().unwrap_or(&none))?;
    let row = taipan_vm::ops::index(vm, row.as_ref().unwrap_or(&none))?;
    let row = match int_data(&row) {
        Some(IntData::Small(v)) => *v,
        _ => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C long")),
    };
    let readonly = match readonly {
        Some(r) => taipan_vm::ops::truth(vm, &r)?,
        None => false,
    };
    let name = match name {
        Some(n) => str_arg(vm, "blobopen", "'name'", &n)?,
        None => "main".into(),
    };
    match db.blob_open(&name, &table, &column, row, readonly) {
        Ok(h) => Ok(super::blob::new_blob(vm, this.clone(), h)),
        Err(rc) if rc == sys::SQLITE_MISUSE => Err(error(vm, "InterfaceError", ffi::errstr(rc))),
        Err(_) => Err(db_error(vm, &db)),
    }
}

fn serialize_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "serialize", names: &["name"], posonly: 0, kwonly: 1, required: 0 };
    let [name] = bind::<1>(vm, &P, args, kw)?;
    let db = db_of(vm, this)?;
    let name = match name {
        Some(n) => str_arg(vm, "serialize", "'name'", &n)?,
        None => "main".into(),
    };
    match db.serialize(&name) {
        Some(v) => Ok(new_bytes(vm, v)),
        None => Err(error(vm, "OperationalError", format!("unable to serialize '{name}'"))),
    }
}

fn deserialize_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "deserialize", names: &["data", "name"], posonly: 1, kwonly: 1, required: 1 };
    let [data, name] = bind::<2>(vm, &P, args, kw)?;
    let db = db_of(vm, this)?;
    let data = data.unwrap_or_else(|| vm.none.clone());
    let Some(bytes) = super::contiguous(vm, &data)? else {
        return Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(&data))));
    };
    let name = match name {
        Some(n) => str_arg(vm, "deserialize", "'name'", &n)?,
        None => "main".into(),
    };
    if db.deserialize(&name, &bytes) != sys::SQLITE_OK {
        return Err(db_error(vm, &db));
    }
    Ok(vm.none.clone())
}

fn enter_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__enter__", args, kw)?;
    db_of(vm, this)?;
    Ok(this.clone())
}

fn exit_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [ty, _v, _tb] = exact::<3>(vm, "__exit__", args, kw)?;
    let db = db_of(vm, this)?;
    if ty.is(&vm.none) {
        if !db.autocommit() {
            if let Err(e) = exec_control(vm, &db, "COMMIT") {
                if !db.autocommit() {
                    let _ = exec_control(vm, &db, "ROLLBACK");
                }
                return Err(e);
            }
        }
    } else if !db.autocommit() {
        exec_control(vm, &db, "ROLLBACK")?;
    }
    Ok(vm.false_.clone())
}

/// `con(sql)`: compiles `sql` into a `sqlite3.Statement` (an opaque
/// object CPython exposes only this way).
fn conn_call(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if !kw.is_empty() {
        return Err(vm.type_error("Connection() takes no keyword arguments"));
    }
    let db = db_of(vm, this)?;
    let [sql] = util::exact_named::<1>(vm, "Connection", args, kw)?;
    let Some(s) = sql.downcast::<StrData>() else {
        return Err(vm.type_error(format!("Connection() argument 1 must be str, not {}", type_name(&sql))));
    };
    let _ = s;
    let st = cursor::prepare(vm, &db, &super::utf8(vm, &sql)?)?;
    Ok(alloc(statement_type(vm), Statement { _st: st }))
}

pub struct Statement {
    _st: Option<Rc<ffi::Stmt>>,
}

fn statement_type(vm: &Vm) -> Obj {
    vm.native_type("sqlite3.Statement", |vm| {
        let slots = Slots { new: Some(super::disallow_new), ..object_slots() };
        new_type::<Statement>(vm, "sqlite3.Statement", &[], false, slots, &[], &[])
    })
}

static CONN_METHODS: &[MethodDef] = &[
    MethodDef::method("cursor", cursor_m, "Return a cursor for the connection."),
    MethodDef::method("execute", execute_m, "Executes an SQL statement."),
    MethodDef::method("executemany", executemany_m, "Repeatedly executes an SQL statement."),
    MethodDef::method("executescript", executescript_m, "Executes multiple SQL statements at once."),
    MethodDef::method("commit", commit_m, "Commit any pending transaction to the database."),
    MethodDef::method("rollback", rollback_m, "Roll back to the start of any pending transaction."),
    MethodDef::method("close", close_m, "Close the database connection."),
    MethodDef::method("create_function", create_function_m, "Creates a new function."),
    MethodDef::method("create_aggregate", create_aggregate_m, "Creates a new aggregate."),
    MethodDef::method("create_window_function", create_window_function_m, "Creates or redefines an aggregate window function."),
    MethodDef::method("create_collation", create_collation_m, "Creates a collation function."),
    MethodDef::method("set_authorizer", set_authorizer_m, "Sets authorizer callback."),
    MethodDef::method("set_progress_handler", set_progress_handler_m, "Sets progress handler callback."),
    MethodDef::method("set_trace_callback", set_trace_callback_m, "Sets a trace callback called for each SQL statement."),
    MethodDef::method("interrupt", interrupt_m, "Abort any pending database operation."),
    MethodDef::method("getlimit", getlimit_m, "Get connection run-time limits."),
    MethodDef::method("setlimit", setlimit_m, "Set connection run-time limits."),
    MethodDef::method("iterdump", iterdump_m, "Returns iterator to the dump of the database in an SQL text format."),
    MethodDef::method("backup", backup_m, "Makes a backup of the database."),
    MethodDef::method("blobopen", blobopen_m, "Open and return a BLOB object."),
    MethodDef::method("serialize", serialize_m, "Serialize a database into a byte string."),
    MethodDef::method("deserialize", deserialize_m, "Load a serialized database."),
    MethodDef::method("__enter__", enter_m, "Called when the connection is used as a context manager."),
    MethodDef::method("__exit__", exit_m, "Called when the connection is used as a context manager."),
];

// ------------------------------------------------------------ attributes

fn get_isolation(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    let c = payload(vm, this)?;
    if !c.initialized.get() {
        return Err(error(vm, "ProgrammingError", "Base Connection.__init__ not called."));
    }
    let r = c.isolation.borrow().clone();
    Ok(r.map_or(vm.none.clone(), |s| new_str(vm, &s)))
}

fn set_isolation(vm: &Vm, this: &Obj, v: Option<Obj>) -> PyResult<()> {
    let c = payload(vm, this)?;
    let Some(v) = v else {
        return Err(vm.new_error(&vm.types.attribute_error, "cannot delete attribute"));
    };
    let iso = isolation_arg(vm, &v)?;
    if iso.is_none() {
        // Autocommit: end any open transaction first.
        if let Ok(db) = open_db(vm, c) {
            if !db.autocommit() {
                exec_control(vm, &db, "COMMIT")?;
            }
        }
    }
    *c.isolation.borrow_mut() = iso;
    Ok(())
}

fn get_in_transaction(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    let db = db_of(vm, this)?;
    Ok(vm.bool(!db.autocommit()))
}

fn get_total_changes(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    let db = db_of(vm, this)?;
    Ok(vm.int(db.total_changes()))
}

fn get_row_factory(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(payload(vm, this)?.row_factory.borrow().clone())
}

fn set_row_factory(vm: &Vm, this: &Obj, v: Option<Obj>) -> PyResult<()> {
    *payload(vm, this)?.row_factory.borrow_mut() = v.unwrap_or_else(|| vm.none.clone());
    Ok(())
}

fn get_text_factory(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(payload(vm, this)?.text_factory.borrow().clone())
}

fn set_text_factory(vm: &Vm, this: &Obj, v: Option<Obj>) -> PyResult<()> {
    *payload(vm, this)?.text_factory.borrow_mut() = v.unwrap_or_else(|| vm.none.clone());
    Ok(())
}

macro_rules! exc_getter {
    ($f:ident, $name:literal) => {
        fn $f(vm: &Vm, this: &Obj) -> PyResult<Obj> {
            payload(vm, this)?;
            super::exc_class(vm, $name)
        }
    };
}

exc_getter!(g_warning, "Warning");
exc_getter!(g_error, "Error");
exc_getter!(g_interface, "InterfaceError");
exc_getter!(g_database, "DatabaseError");
exc_getter!(g_data, "DataError");
exc_getter!(g_operational, "OperationalError");
exc_getter!(g_integrity, "IntegrityError");
exc_getter!(g_internal, "InternalError");
exc_getter!(g_programming, "ProgrammingError");
exc_getter!(g_notsupported, "NotSupportedError");

static CONN_GETSETS: &[GetSetDef] = &[
    GetSetDef::new("isolation_level", get_isolation, set_isolation, ""),
    GetSetDef::readonly("in_transaction", get_in_transaction, ""),
    GetSetDef::readonly("total_changes", get_total_changes, ""),
    GetSetDef::new("row_factory", get_row_factory, set_row_factory, ""),
    GetSetDef::new("text_factory", get_text_factory, set_text_factory, ""),
    GetSetDef::readonly("Warning", g_warning, ""),
    GetSetDef::readonly("Error", g_error, ""),
    GetSetDef::readonly("InterfaceError", g_interface, ""),
    GetSetDef::readonly("DatabaseError", g_database, ""),
    GetSetDef::readonly("DataError", g_data, ""),
    GetSetDef::readonly("OperationalError", g_operational, ""),
    GetSetDef::readonly("IntegrityError", g_integrity, ""),
    GetSetDef::readonly("InternalError", g_internal, ""),
    GetSetDef::readonly("ProgrammingError", g_programming, ""),
    GetSetDef::readonly("NotSupportedError", g_notsupported, ""),
];
