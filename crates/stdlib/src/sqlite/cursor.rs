//! `sqlite3.Cursor` and `sqlite3.Row`. A cursor keeps the statement it
//! is stepping: `execute` steps to the first row, each fetch converts the
//! current row (converters from `PARSE_COLNAMES`/`PARSE_DECLTYPES`,
//! `text_factory`, then `row_factory`) and steps once more, and the
//! statement is reset when it is done. Parameters are bound from a
//! sequence (qmark) or a mapping (named), adapted first.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use taipan_vm::native::{bind, exact, new_type, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{
    dict_data, int_data, new_bytearray, new_bytes, new_list, new_str, new_tuple, object_slots, str_data, type_name, DictData, IntData,
    ListData, StrData, TupleData,
};
use taipan_vm::types::{type_of, Kwargs, Slots};
use taipan_vm::{CompareOp, PyResult, Vm};

use super::connection::{self, Conn};
use super::ffi::{sys, Db, Stmt, Value};
use super::{adapt_param, db_error, error, py_to_value, ToValueError, PARSE_COLNAMES, PARSE_DECLTYPES};
use crate::util;

pub struct Cursor {
    connection: RefCell<Option<Obj>>,
    pub row_factory: RefCell<Obj>,
    description: RefCell<Obj>,
    rowcount: Cell<i64>,
    lastrowid: RefCell<Obj>,
    arraysize: Cell<i64>,
    stmt: RefCell<Option<Rc<Stmt>>>,
    is_dml: Cell<bool>,
    converters: RefCell<Vec<Option<Obj>>>,
    closed: Cell<bool>,
    locked: Cell<bool>,
}

pub fn cursor_type(vm: &Vm) -> Obj {
    vm.native_type("sqlite3.Cursor", |vm| {
        let slots = Slots {
            new: Some(cursor_new),
            init: Some(cursor_init),
            iter: Some(|_vm, o| Ok(o.clone())),
            next: Some(cursor_next),
            traverse: Some(|o, visit| {
                if let Some(c) = o.downcast::<Cursor>() {
                    if let Ok(x) = c.connection.try_borrow() {
                        if let Some(x) = &*x {
                            visit(x);
                        }
                    }
                    for f in [&c.row_factory, &c.description, &c.lastrowid] {
                        if let Ok(x) = f.try_borrow() {
                            visit(&x);
                        }
                    }
                }
            }),
            ..object_slots()
        };
        let t = new_type::<Cursor>(vm, "sqlite3.Cursor", &[], true, slots, CURSOR_METHODS, CURSOR_GETSETS);
        taipan_vm::types::type_data(&t).weakrefable.set(true);
        t
    })
}

fn cursor_new(vm: &Vm, cls: &Obj, _args: &[Obj], _kw: Kwargs) -> PyResult<Obj> {
    Ok(alloc(
        cls.clone(),
        Cursor {
            connection: RefCell::new(None),
            row_factory: RefCell::new(vm.none.clone()),
            description: RefCell::new(vm.none.clone()),
            rowcount: Cell::new(-1),
            lastrowid: RefCell::new(vm.none.clone()),
            arraysize: Cell::new(1),
            stmt: RefCell::new(None),
            is_dml: Cell::new(false),
            converters: RefCell::new(Vec::new()),
            closed: Cell::new(false),
            locked: Cell::new(false),
        },
    ))
}

fn payload<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a Cursor> {
    o.downcast::<Cursor>()
        .ok_or_else(|| vm.type_error(format!("descriptor requires a 'sqlite3.Cursor' object but received '{}'", type_name(o))))
}

fn cursor_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [conn] = exact::<1>(vm, "Cursor", args, kw)?;
    let c = payload(vm, this)?;
    if c.locked.get() {
        return Err(error(vm, "ProgrammingError", "Recursive use of cursors not allowed."));
    }
    if conn.downcast::<Conn>().is_none() {
        return Err(vm.type_error(format!("Cursor() argument 1 must be sqlite3.Connection, not {}", type_name(&conn))));
    }
    *c.connection.borrow_mut() = Some(conn);
    c.arraysize.set(1);
    c.rowcount.set(-1);
    Ok(vm.none.clone())
}

fn conn_obj(vm: &Vm, c: &Cursor) -> PyResult<Obj> {
    c.connection.borrow().clone().ok_or_else(|| error(vm, "ProgrammingError", "Base Cursor.__init__ not called."))
}

/// CPython's `check_cursor`: initialized, open, not in use; the database.
fn check_cursor(vm: &Vm, c: &Cursor) -> PyResult<(Obj, Rc<Db>)> {
    let conn = conn_obj(vm, c)?;
    if c.closed.get() {
        return Err(error(vm, "ProgrammingError", "Cannot operate on a closed cursor."));
    }
    if c.locked.get() {
        return Err(error(vm, "ProgrammingError", "Recursive use of cursors not allowed."));
    }
    let db = connection::db_of(vm, &conn)?;
    Ok((conn, db))
}

/// Whether `sql` starts (after blanks and comments) with a DML keyword.
fn is_dml(sql: &str) -> bool {
    let s = skip_blanks_and_comments(sql);
    let head: String = s.chars().take(7).collect::<String>().to_ascii_lowercase();
    head.starts_with("insert") || head.starts_with("update") || head.starts_with("delete") || head.starts_with("replace")
}

fn skip_blanks_and_comments(mut s: &str) -> &str {
    loop {
        let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0c']);
        if let Some(rest) = t.strip_prefix("--") {
            s = rest.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(rest) = t.strip_prefix("/*") {
            s = rest.split_once("*/").map_or("", |(_, r)| r);
        } else {
            return t;
        }
    }
}

/// Checks and compiles one statement (CPython's `pysqlite_statement_create`).
pub fn prepare(vm: &Vm, db: &Rc<Db>, sql: &str) -> PyResult<Option<Rc<Stmt>>> {
    let limit = db.limit(sys::SQLITE_LIMIT_SQL_LENGTH, -1);
    if sql.len() > limit.max(0) as usize {
        return Err(error(vm, "DataError", "query string is too large"));
    }
    if sql.contains('\0') {
        return Err(error(vm, "ProgrammingError", "the query contains a null character"));
    }
    let (st, tail) = db.prepare(vm, sql).map_err(|_| db_error(vm, db))?;
    if !skip_blanks_and_comments(sql.get(tail..).unwrap_or("")).is_empty() {
        return Err(error(vm, "ProgrammingError", "You can only execute one statement at a time."));
    }
    Ok(st)
}

fn bind_one(vm: &Vm, st: &Stmt, i: usize, item: &Obj) -> PyResult<()> {
    let item = adapt_param(vm, item)?;
    let v = match py_to_value(vm, &item) {
        Ok(v) => v,
        Err(ToValueError::Raised(e)) => return Err(e),
        Err(ToValueError::Unsupported) => {
            return Err(error(
                vm,
                "ProgrammingError",
                format!("Error binding parameter {i}: type '{}' is not supported", type_name(&item)),
            ));
        }
    };
    let rc = st.bind(i, &v);
    if rc != sys::SQLITE_OK {
        return Err(error(vm, "InterfaceError", format!("Error binding parameter {i}")));
    }
    Ok(())
}

/// Binds one parameter set (CPython's `bind_parameters`).
fn bind_parameters(vm: &Vm, st: &Stmt, params: &Obj) -> PyResult<()> {
    let needed = st.param_count();
    if let Some(t) = params.downcast::<TupleData>() {
        return bind_sequence(vm, st, needed, t.items.len(), |i| Ok(t.items[i].clone()));
    }
    if let Some(l) = params.downcast::<ListData>() {
        // Read the list live: an adapter may change it while binding.
        let n = l.items.borrow().len();
        return bind_sequence(vm, st, needed, n, |i| {
            l.items.borrow().get(i).cloned().ok_or_else(|| vm.new_error(&vm.types.index_error, "list index out of range"))
        });
    }
    let is_dict = params.downcast::<DictData>().is_some();
    if is_dict {
        for i in 1..=needed {
            let Some(name) = st.param_name(i) else {
                return Err(error(
                    vm,
                    "ProgrammingError",
                    format!("Binding {i} has no name, but you supplied a dictionary (which has only names)."),
                ));
            };
            let key: String = name.chars().skip(1).collect();
            let k = new_str(vm, &key);
            let item = if type_of(params).is(&vm.types.dict) {
                let _ = dict_data(params);
                taipan_vm::types::builtin::dict_get(vm, params, &k)?
            } else {
                match util::call_method(vm, params, "__getitem__", &[k]) {
                    Ok(v) => Some(v),
                    Err(e) if util::is_error(&e, &vm.types.key_error) => None,
                    Err(e) => return Err(e),
                }
            };
            let Some(item) = item else {
                return Err(error(vm, "ProgrammingError", format!("You did not supply a value for binding parameter {name}.")));
            };
            bind_one(vm, st, i, &item)?;
        }
        return Ok(());
    }
    // Any other sequence (has __len__ and __getitem__, not a mapping).
    let ty = type_of(params);
    let is_seq = taipan_vm::types::lookup(&ty, "__getitem__").is_some() && !type_of(params).is(&vm.types.dict);
    if is_seq {
        let n = taipan_vm::ops::length(vm, params)?;
        return bind_sequence(vm, st, needed, n, |i| taipan_vm::sequence::getitem(vm, params, &vm.int(i as i64)));
    }
    Err(error(vm, "ProgrammingError", "parameters are of unsupported type"))
}

fn bind_sequence(vm: &Vm, st: &Stmt, needed: usize, given: usize, get: impl Fn(usize) -> PyResult<Obj>) -> PyResult<()> {
    if given != needed {
        return Err(error(
            vm,
            "ProgrammingError",
            format!("Incorrect number of bindings supplied. The current statement uses {needed}, and there are {given} supplied."),
        ));
    }
    for i in 0..needed {
        let item = get(i)?;
        bind_one(vm, st, i + 1, &item)?;
    }
    Ok(())
}

/// The converter for each column (`pysqlite_build_row_cast_map`).
fn build_converters(vm: &Vm, conn: &Conn, st: &Stmt) -> PyResult<Vec<Option<Obj>>> {
    let detect = conn.detect_types.get();
    let mut out = Vec::new();
    if detect == 0 {
        return Ok(out);
    }
    for i in 0..st.column_count() {
        let mut conv = None;
        if detect & PARSE_COLNAMES != 0 {
            if let Some(name) = st.column_name(i) {
                if let Some(start) = name.find('[') {
                    if let Some(len) = name[start + 1..].find(']') {
                        conv = super::converter(vm, &name[start + 1..start + 1 + len])?;
                    }
                }
            }
        }
        if conv.is_none() && detect & PARSE_DECLTYPES != 0 {
            if let Some(decl) = st.column_decltype(i) {
                let end = decl.find([' ', '(']).unwrap_or(decl.len());
                conv = super::converter(vm, &decl[..end])?;
            }
        }
        out.push(conv);
    }
    Ok(out)
}

/// A description column name (`_pysqlite_build_column_name`).
fn column_name(vm: &Vm, conn: &Conn, name: Option<String>) -> Obj {
    let Some(name) = name else { return vm.none.clone() };
    if conn.detect_types.get() & PARSE_COLNAMES != 0 {
        if let Some(p) = name.find('[') {
            let cut = if p > 0 && name.as_bytes()[p - 1] == b' ' { p - 1 } else { p };
            return new_str(vm, &name[..cut]);
        }
    }
    new_str(vm, &name)
}

/// `execute`/`executemany` (CPython's `_pysqlite_query_execute`).
pub fn execute(vm: &Vm, this: &Obj, sql: Option<&Obj>, params: Option<&Obj>, multiple: bool, fname: &str) -> PyResult<Obj> {
    let c = payload(vm, this)?;
    let none = vm.none.clone();
    let sql = sql.unwrap_or(&none);
    let Some(sd) = sql.downcast::<StrData>() else {
        return Err(vm.type_error(format!("{fname}() argument 1 must be str, not {}", type_name(sql))));
    };
    if sd.value.as_str().is_none() {
        taipan_vm::codecs::encode(vm, &sd.value, "utf-8", "strict")?;
    }
    let sql = sd.as_str().into_owned();
    let (conn, db) = check_cursor(vm, c)?;
    c.locked.set(true);
    let r = execute_inner(vm, c, &conn, &db, &sql, params, multiple);
    c.locked.set(false);
    if let Err(e) = r {
        if let Some(st) = c.stmt.borrow_mut().take() {
            st.reset(vm);
        }
        c.rowcount.set(-1);
        return Err(e);
    }
    let done = c.stmt.borrow().as_ref().is_none_or(|s| !s.busy());
    if done {
        c.stmt.borrow_mut().take();
    }
    Ok(this.clone())
}

fn execute_inner(vm: &Vm, c: &Cursor, conn: &Obj, db: &Rc<Db>, sql: &str, params: Option<&Obj>, multiple: bool) -> PyResult<()> {
    let cp = connection::payload(vm, conn)?;
    if let Some(old) = c.stmt.borrow_mut().take() {
        old.reset(vm);
    }
    *c.description.borrow_mut() = vm.none.clone();
    c.converters.borrow_mut().clear();
    let param_sets: Box<dyn FnMut() -> PyResult<Option<Obj>>> = if multiple {
        let it = taipan_vm::ops::iter(vm, params.unwrap_or(&vm.none))?;
        Box::new(move || taipan_vm::ops::next(vm, &it))
    } else {
        let mut one = Some(params.cloned().unwrap_or_else(|| new_tuple(vm, vec![])));
        Box::new(move || Ok(one.take()))
    };
    let mut param_sets = param_sets;
    let st = prepare(vm, db, sql)?;
    let dml = is_dml(sql);
    c.is_dml.set(dml);
    c.rowcount.set(if dml { 0 } else { -1 });
    let Some(st) = st else {
        // Only comments or blanks: nothing to run.
        while param_sets()?.is_some() {}
        return Ok(());
    };
    if multiple && !dml {
        return Err(error(vm, "ProgrammingError", "executemany() can only execute DML statements."));
    }
    *c.stmt.borrow_mut() = Some(st.clone());
    if dml && db.autocommit() {
        if let Some(begin) = connection::begin_statement(cp) {
            connection::exec_control(vm, db, &begin)?;
        }
    }
    while let Some(p) = param_sets()? {
        st.reset(vm);
        st.clear_bindings();
        bind_parameters(vm, &st, &p)?;
        let rc = st.step(vm);
        if rc != sys::SQLITE_ROW && rc != sys::SQLITE_DONE {
            st.reset(vm);
            return Err(db_error(vm, db));
        }
        if c.converters.borrow().is_empty() {
            *c.converters.borrow_mut() = build_converters(vm, cp, &st)?;
        }
        let ncols = st.column_count();
        if c.description.borrow().is(&vm.none) && ncols > 0 {
            let mut cols = Vec::with_capacity(ncols);
            for i in 0..ncols {
                let name = column_name(vm, cp, st.column_name(i));
                let mut d = vec![name];
                d.extend(std::iter::repeat_n(vm.none.clone(), 6));
                cols.push(new_tuple(vm, d));
            }
            *c.description.borrow_mut() = new_tuple(vm, cols);
        }
        if rc == sys::SQLITE_DONE {
            if dml {
                c.rowcount.set(c.rowcount.get() + db.changes());
            }
            st.reset(vm);
        } else if multiple {
            return Err(error(vm, "ProgrammingError", "executemany() can only execute DML statements."));
        }
    }
    if !multiple {
        *c.lastrowid.borrow_mut() = vm.int(db.last_insert_rowid());
    }
    Ok(())
}

/// `executescript` (commit first, then every statement to completion).
pub fn executescript(vm: &Vm, this: &Obj, script: &Obj) -> PyResult<Obj> {
    let c = payload(vm, this)?;
    let Some(sql) = script.downcast::<StrData>().map(|s| s.as_str().into_owned()) else {
        return Err(vm.type_error(format!("executescript() argument must be str, not {}", type_name(script))));
    };
    let (_conn, db) = check_cursor(vm, c)?;
    if sql.contains('\0') {
        return Err(vm.new_error(&vm.types.value_error, "embedded null character"));
    }
    if let Some(sd) = script.downcast::<StrData>() {
        if sd.value.as_str().is_none() {
            taipan_vm::codecs::encode(vm, &sd.value, "utf-8", "strict")?;
        }
    }
    if sql.len() > db.limit(sys::SQLITE_LIMIT_SQL_LENGTH, -1).max(0) as usize {
        return Err(error(vm, "DataError", "query string is too large"));
    }
    if let Some(old) = c.stmt.borrow_mut().take() {
        old.reset(vm);
    }
    if !db.autocommit() {
        connection::exec_control(vm, &db, "COMMIT")?;
    }
    c.locked.set(true);
    let mut rest: &str = &sql;
    let r = (|| -> PyResult<()> {
        loop {
            let (st, tail) = db.prepare(vm, rest).map_err(|_| db_error(vm, &db))?;
            if let Some(st) = st {
                let mut rc = st.step(vm);
                while rc == sys::SQLITE_ROW {
                    rc = st.step(vm);
                }
                if rc != sys::SQLITE_DONE {
                    let e = db_error(vm, &db);
                    st.finalize();
                    return Err(e);
                }
                st.finalize();
            }
            rest = rest.get(tail..).unwrap_or("");
            if tail == 0 || skip_blanks_and_comments(rest).is_empty() {
                return Ok(());
            }
        }
    })();
    c.locked.set(false);
    r?;
    Ok(this.clone())
}

/// Converts the current row (`_pysqlite_fetch_one_row`).
fn row_values(vm: &Vm, c: &Cursor, conn: &Conn, st: &Stmt) -> PyResult<Obj> {
    let n = st.column_count();
    let convs = c.converters.borrow().clone();
    let tf = conn.text_factory.borrow().clone();
    let mut items = Vec::with_capacity(n);
    for i in 0..n {
        if let Some(Some(conv)) = convs.get(i) {
            let b = st.column_bytes(i);
            if st.column_is_null(i) || b.is_empty() {
                items.push(vm.none.clone());
            } else {
                items.push(util::call(vm, conv, &[new_bytes(vm, b)])?);
            }
            continue;
        }
        let v = st.column(i);
        items.push(match v {
            Value::Text(t) => {
                if tf.is(&vm.types.str_) {
                    match String::from_utf8(t) {
                        Ok(s) => new_str(vm, &s),
                        Err(e) => {
                            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                            let col = st.column_name(i).unwrap_or_default();
                            return Err(error(
                                vm,
                                "OperationalError",
                                format!("Could not decode to UTF-8 column '{col}' with text '{text}'"),
                            ));
                        }
                    }
                } else if tf.is(&vm.types.bytes) {
                    new_bytes(vm, t)
                } else if tf.is(&vm.types.bytearray) {
                    new_bytearray(vm, t)
                } else {
                    util::call(vm, &tf, &[new_bytes(vm, t)])?
                }
            }
            other => super::value_to_py(vm, &other)?,
        });
    }
    Ok(new_tuple(vm, items))
}

fn cursor_next(vm: &Vm, this: &Obj) -> PyResult<Option<Obj>> {
    let c = payload(vm, this)?;
    let (conn, db) = check_cursor(vm, c)?;
    let Some(st) = c.stmt.borrow().clone() else { return Ok(None) };
    if !st.busy() {
        c.stmt.borrow_mut().take();
        return Ok(None);
    }
    let cp = connection::payload(vm, &conn)?;
    // Converters run Python code: the cursor is in use meanwhile.
    c.locked.set(true);
    let row = row_values(vm, c, cp, &st);
    c.locked.set(false);
    let row = row?;
    let rc = st.step(vm);
    if rc == sys::SQLITE_DONE {
        if c.is_dml.get() {
            c.rowcount.set(db.changes());
        }
        st.reset(vm);
        c.stmt.borrow_mut().take();
    } else if rc != sys::SQLITE_ROW {
        st.reset(vm);
        c.stmt.borrow_mut().take();
        return Err(db_error(vm, &db));
    }
    let rf = c.row_factory.borrow().clone();
    if rf.is(&vm.none) {
        Ok(Some(row))
    } else {
        Ok(Some(util::call(vm, &rf, &[this.clone(), row])?))
    }
}

// --------------------------------------------------------------- methods

fn execute_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [sql, params] = taipan_vm::native::at_most::<2>(vm, "execute", 1, args, kw)?;
    execute(vm, this, sql.as_ref(), params.as_ref(), false, "execute")
}

fn executemany_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [sql, params] = exact::<2>(vm, "executemany", args, kw)?;
    execute(vm, this, Some(&sql), Some(&params), true, "executemany")
}

fn executescript_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [script] = exact::<1>(vm, "executescript", args, kw)?;
    executescript(vm, this, &script)
}

fn fetchone_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "fetchone", args, kw)?;
    Ok(cursor_next(vm, this)?.unwrap_or_else(|| vm.none.clone()))
}

fn fetchmany_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "fetchmany", names: &["size"], posonly: 0, kwonly: 0, required: 0 };
    let [size] = bind::<1>(vm, &P, args, kw)?;
    let c = payload(vm, this)?;
    let n = match size {
        Some(s) => match int_data(&taipan_vm::ops::index(vm, &s)?) {
            Some(IntData::Small(v)) => *v,
            _ => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int")),
        },
        None => c.arraysize.get(),
    };
    // As CPython: stop after `n` rows; zero or negative fetches them all.
    let mut out = Vec::new();
    while let Some(r) = cursor_next(vm, this)? {
        out.push(r);
        if out.len() as i64 == n {
            break;
        }
    }
    Ok(new_list(vm, out))
}

fn fetchall_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "fetchall", args, kw)?;
    let mut out = Vec::new();
    while let Some(r) = cursor_next(vm, this)? {
        out.push(r);
    }
    Ok(new_list(vm, out))
}

fn close_m(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "close", args, kw)?;
    let c = payload(vm, this)?;
    let conn = conn_obj(vm, c)?;
    connection::check_thread(vm, connection::payload(vm, &conn)?)?;
    if c.locked.get() {
        return Err(error(vm, "ProgrammingError", "Recursive use of cursors not allowed."));
    }
    if let Some(st) = c.stmt.borrow_mut().take() {
        st.reset(vm);
    }
    c.closed.set(true);
    Ok(vm.none.clone())
}

fn setinputsizes_m(vm: &Vm, _this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<1>(vm, "setinputsizes", args, kw)?;
    Ok(vm.none.clone())
}

fn setoutputsizes_m(vm: &Vm, _this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::at_most::<2>(vm, "setoutputsize", 1, args, kw)?;
    Ok(vm.none.clone())
}

static CURSOR_METHODS: &[MethodDef] = &[
    MethodDef::method("execute", execute_m, "Executes an SQL statement."),
    MethodDef::method("executemany", executemany_m, "Repeatedly executes an SQL statement."),
    MethodDef::method("executescript", executescript_m, "Executes multiple SQL statements at once."),
    MethodDef::method("fetchone", fetchone_m, "Fetches one row from the resultset."),
    MethodDef::method("fetchmany", fetchmany_m, "Fetches several rows from the resultset."),
    MethodDef::method("fetchall", fetchall_m, "Fetches all rows from the resultset."),
    MethodDef::method("close", close_m, "Closes the cursor."),
    MethodDef::method("setinputsizes", setinputsizes_m, "Required by DB-API. Does nothing in sqlite3."),
    MethodDef::method("setoutputsize", setoutputsizes_m, "Required by DB-API. Does nothing in sqlite3."),
];

fn get_description(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(payload(vm, this)?.description.borrow().clone())
}
fn get_rowcount(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(vm.int(payload(vm, this)?.rowcount.get()))
}
fn get_lastrowid(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(payload(vm, this)?.lastrowid.borrow().clone())
}
fn get_arraysize(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(vm.int(payload(vm, this)?.arraysize.get()))
}
fn set_arraysize(vm: &Vm, this: &Obj, v: Option<Obj>) -> PyResult<()> {
    let c = payload(vm, this)?;
    let Some(v) = v else {
        return Err(vm.new_error(&vm.types.attribute_error, "can't delete attribute"));
    };
    if v.downcast::<f64>().is_some() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    match int_data(&taipan_vm::ops::index(vm, &v)?) {
        Some(IntData::Small(n)) if i32::try_from(*n).is_ok() => c.arraysize.set(*n),
        _ => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int")),
    }
    Ok(())
}
fn get_connection(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(payload(vm, this)?.connection.borrow().clone().unwrap_or_else(|| vm.none.clone()))
}
fn get_row_factory(vm: &Vm, this: &Obj) -> PyResult<Obj> {
    Ok(payload(vm, this)?.row_factory.borrow().clone())
}
fn set_row_factory(vm: &Vm, this: &Obj, v: Option<Obj>) -> PyResult<()> {
    *payload(vm, this)?.row_factory.borrow_mut() = v.unwrap_or_else(|| vm.none.clone());
    Ok(())
}

static CURSOR_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("description", get_description, ""),
    GetSetDef::readonly("rowcount", get_rowcount, ""),
    GetSetDef::readonly("lastrowid", get_lastrowid, ""),
    GetSetDef::new("arraysize", get_arraysize, set_arraysize, ""),
    GetSetDef::readonly("connection", get_connection, ""),
    GetSetDef::new("row_factory", get_row_factory, set_row_factory, ""),
];

// ------------------------------------------------------------------- Row

pub struct Row {
    data: Obj,
    description: Obj,
}

pub fn row_type(vm: &Vm) -> Obj {
    vm.native_type("sqlite3.Row", |vm| {
        let slots = Slots {
            new: Some(row_new),
            hash: Some(row_hash),
            compare: Some(row_compare),
            iter: Some(|vm, o| taipan_vm::ops::iter(vm, &row_of(vm, o)?.data)),
            traverse: Some(|o, visit| {
                if let Some(r) = o.downcast::<Row>() {
                    visit(&r.data);
                    visit(&r.description);
                }
            }),
            ..object_slots()
        };
        new_type::<Row>(vm, "sqlite3.Row", &[], true, slots, ROW_METHODS, &[])
    })
}

fn row_of<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a Row> {
    o.downcast::<Row>().ok_or_else(|| vm.type_error(format!("descriptor requires a 'sqlite3.Row' object but received '{}'", type_name(o))))
}

fn row_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if !kw.is_empty() {
        return Err(vm.type_error("Row() takes no keyword arguments"));
    }
    let [cur, data] = util::exact_named::<2>(vm, "Row", args, kw)?;
    let Some(c) = cur.downcast::<Cursor>() else {
        return Err(vm.type_error(format!("Row() argument 1 must be sqlite3.Cursor, not {}", type_name(&cur))));
    };
    if data.downcast::<TupleData>().is_none() {
        return Err(vm.type_error(format!("Row() argument 2 must be tuple, not {}", type_name(&data))));
    }
    let description = c.description.borrow().clone();
    Ok(alloc(cls.clone(), Row { data, description }))
}

fn row_items(r: &Row) -> Vec<Obj> {
    r.data.downcast::<TupleData>().map(|t| t.items.to_vec()).unwrap_or_default()
}

fn row_keys_vec(vm: &Vm, r: &Row) -> PyResult<Vec<Obj>> {
    if r.description.is(&vm.none) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for d in util::collect(vm, &r.description)? {
        out.push(taipan_vm::sequence::getitem(vm, &d, &vm.int(0))?);
    }
    Ok(out)
}

fn row_getitem(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key] = exact::<1>(vm, "__getitem__", args, kw)?;
    let r = row_of(vm, this)?;
    if let Some(IntData::Small(_)) = int_data(&key) {
        return taipan_vm::sequence::getitem(vm, &r.data, &key);
    }
    if int_data(&key).is_some() {
        return Err(vm.new_error(&vm.types.index_error, "cannot fit 'int' into an index-sized integer"));
    }
    if let Some(k) = key.downcast::<StrData>() {
        let k = k.as_str();
        let items = row_items(r);
        for (i, name) in row_keys_vec(vm, r)?.iter().enumerate() {
            if let Some(n) = name.downcast::<StrData>() {
                if n.as_str().eq_ignore_ascii_case(&k) {
                    return Ok(items[i].clone());
                }
            }
        }
        return Err(vm.new_error(&vm.types.index_error, "No item with that key"));
    }
    if type_of(&key).is(&vm.types.slice) {
        return taipan_vm::sequence::getitem(vm, &r.data, &key);
    }
    Err(vm.new_error(&vm.types.index_error, "Index must be int or string"))
}

fn row_len(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__len__", args, kw)?;
    Ok(vm.int(row_items(row_of(vm, this)?).len() as i64))
}

fn row_keys(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "keys", args, kw)?;
    let r = row_of(vm, this)?;
    Ok(new_list(vm, row_keys_vec(vm, r)?))
}

fn row_hash(vm: &Vm, this: &Obj) -> PyResult<i64> {
    let r = row_of(vm, this)?;
    let h = taipan_vm::ops::hash(vm, &r.description)? ^ taipan_vm::ops::hash(vm, &r.data)?;
    Ok(if h == -1 { -2 } else { h })
}

fn row_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let (Some(x), Some(y)) = (a.downcast::<Row>(), b.downcast::<Row>()) else {
        return Ok(vm.not_implemented.clone());
    };
    let eq = match op {
        CompareOp::Eq | CompareOp::Ne => {
            taipan_vm::ops::eq(vm, &x.description, &y.description)? && taipan_vm::ops::eq(vm, &x.data, &y.data)?
        }
        _ => return Ok(vm.not_implemented.clone()),
    };
    Ok(vm.bool(if matches!(op, CompareOp::Eq) { eq } else { !eq }))
}

static ROW_METHODS: &[MethodDef] = &[
    MethodDef::method("__getitem__", row_getitem, "Return self[key]."),
    MethodDef::method("__len__", row_len, "Return len(self)."),
    MethodDef::method("keys", row_keys, "Returns the keys of the row."),
];

#[allow(dead_code)]
fn name_str(o: &Obj) -> String {
    str_data(o).as_str().into_owned()
}

#[cfg(test)]
mod tests {
    use super::{is_dml, skip_blanks_and_comments};

    #[test]
    fn dml_detection_skips_blanks_and_comments() {
        assert!(is_dml("insert into t values (1)"));
        assert!(is_dml("  \n\tUPDATE t set a = 1"));
        assert!(is_dml("-- note\n/* block */ delete from t"));
        assert!(is_dml("Replace into t values (1)"));
        assert!(!is_dml("select 1"));
        assert!(!is_dml("create table t(a)"));
        assert!(!is_dml("-- insert\nselect 1"));
        assert!(!is_dml(""));
    }

    #[test]
    fn remaining_sql_after_a_statement() {
        assert_eq!(skip_blanks_and_comments("  -- c\n  /* d */ "), "");
        assert_eq!(skip_blanks_and_comments(" -- unterminated"), "");
        assert_eq!(skip_blanks_and_comments(" /* unterminated"), "");
        assert_eq!(skip_blanks_and_comments(" ; select 2"), "; select 2");
        assert_eq!(skip_blanks_and_comments("/* a */select"), "select");
    }
}
