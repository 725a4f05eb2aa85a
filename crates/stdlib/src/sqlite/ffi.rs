//! The raw SQLite layer of `_sqlite3`: the database handle (opened by
//! `rusqlite`, then driven through its raw `sqlite3*`), prepared
//! statements stepped row by row, blobs, backups, serialization, and the
//! C trampolines of user callbacks (functions, aggregates, window
//! functions, collations, authorizer, progress handler, trace). Every
//! callback's Python side is in `callbacks.rs`; this file only moves
//! values across the C boundary.
//!
//! # Safety
//! - A `Db` owns one open `sqlite3*` (`raw`, null once closed). Every
//!   statement and blob handle made from it is registered in `Db` and
//!   finalized/closed before the database is closed, so no handle
//!   outlives its database; a `Stmt`/`BlobHandle` whose pointer is null
//!   is never passed to SQLite.
//! - Objects (`Obj`) are not `Send`: SQLite is only ever called from the
//!   thread holding the GIL (the Connection's `check_same_thread` or the
//!   GIL itself), and callbacks run synchronously inside those calls, on
//!   that thread. The `Vm` the callbacks need is published in a
//!   thread-local (`VmScope`) for the duration of each call that can call
//!   back; a callback that finds none does nothing and reports an error.
//! - User data given to SQLite (`Box<Obj>`, `Box<AggSlot>`) is made with
//!   `Box::into_raw` and freed exactly once: by SQLite's destructor
//!   callback for functions and collations, or by `Db` itself when it
//!   replaces or clears an authorizer/progress/trace callback (after
//!   unregistering it) or closes.
//! - Pointers returned by SQLite (`column_text`, `errmsg`, ...) are read
//!   before the next call on the same handle and copied into Rust values.

use std::cell::{Cell, RefCell};
use std::ffi::{c_char, c_int, c_uint, c_void, CStr, CString};
use std::ptr;
use std::rc::{Rc, Weak};

pub use rusqlite::ffi as sys;
use taipan_vm::object::Obj;
use taipan_vm::Vm;

use super::callbacks;

/// A value crossing the boundary (column, function argument or result).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Float(f64),
    /// UTF-8 as stored (may be invalid).
    Text(Vec<u8>),
    Blob(Vec<u8>),
}

/// How a callback failed: SQLite's "too big" error or a message.
pub enum CbError {
    TooBig,
    NoMem,
    Msg(String),
}

thread_local! {
    static CURRENT_VM: Cell<*const Vm> = const { Cell::new(ptr::null()) };
}

/// Publishes `vm` to the callbacks for the lifetime of the guard.
struct VmScope(*const Vm);

impl VmScope {
    fn enter(vm: &Vm) -> VmScope {
        VmScope(CURRENT_VM.with(|c| c.replace(vm as *const Vm)))
    }
}

impl Drop for VmScope {
    fn drop(&mut self) {
        CURRENT_VM.with(|c| c.set(self.0));
    }
}

/// The interpreter running the current SQLite call, if any.
fn current_vm<'a>() -> Option<&'a Vm> {
    let p = CURRENT_VM.with(|c| c.get());
    // SAFETY: the pointer was published by a `VmScope` whose `&Vm` is
    // borrowed for the whole SQLite call we are inside of.
    unsafe { p.as_ref() }
}

fn cstring(s: &str) -> CString {
    CString::new(s.replace('\0', "")).unwrap_or_default()
}

/// Copies a NUL-terminated C string (None for null).
fn opt_str(p: *const c_char) -> Option<String> {
    if p.is_null() {
        return None;
    }
    // SAFETY: SQLite hands out NUL-terminated strings valid for this call.
    Some(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
}

/// `sqlite3_errstr(code)`.
pub fn errstr(code: i32) -> String {
    // SAFETY: returns a static string.
    opt_str(unsafe { sys::sqlite3_errstr(code) }).unwrap_or_default()
}

/// `sqlite3_libversion()`.
pub fn libversion() -> String {
    // SAFETY: returns a static string.
    opt_str(unsafe { sys::sqlite3_libversion() }).unwrap_or_default()
}

/// `sqlite3_complete(sql)`.
pub fn complete(sql: &str) -> bool {
    let c = cstring(sql);
    // SAFETY: `c` is NUL-terminated.
    unsafe { sys::sqlite3_complete(c.as_ptr()) != 0 }
}

/// `sqlite3_enable_shared_cache`.
pub fn enable_shared_cache(on: bool) -> i32 {
    // SAFETY: plain global setting.
    unsafe { sys::sqlite3_enable_shared_cache(on as c_int) }
}

/// An open database.
pub struct Db {
    conn: RefCell<Option<rusqlite::Connection>>,
    raw: Cell<*mut sys::sqlite3>,
    stmts: RefCell<Vec<Weak<Stmt>>>,
    blobs: RefCell<Vec<Weak<BlobHandle>>>,
    authorizer: Cell<*mut Obj>,
    progress: Cell<*mut Obj>,
    trace: Cell<*mut Obj>,
}

impl Db {
    /// Opens `path` with `sqlite3_open_v2` flags; `Err((code, message))`.
    pub fn open(path: &[u8], uri: bool, timeout_ms: i32) -> Result<Db, (i32, String)> {
        use std::os::unix::ffi::OsStrExt;
        let path = std::path::Path::new(std::ffi::OsStr::from_bytes(path));
        use rusqlite::OpenFlags;
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_FULL_MUTEX;
        if uri {
            flags |= OpenFlags::SQLITE_OPEN_URI;
        }
        let conn = match rusqlite::Connection::open_with_flags(path, flags) {
            Ok(c) => c,
            Err(rusqlite::Error::SqliteFailure(e, _)) => return Err((e.extended_code, errstr(e.extended_code))),
            Err(e) => return Err((sys::SQLITE_CANTOPEN, e.to_string())),
        };
        // CPython's SQLite builds leave foreign keys off; the bundled build
        // turns them on by default.
        let _ = conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_FKEY, false);
        let _ = conn.busy_timeout(std::time::Duration::from_millis(timeout_ms.max(0) as u64));
        // SAFETY: the handle stays owned by `conn`, kept in `self`.
        let raw = unsafe { conn.handle() };
        Ok(Db {
            conn: RefCell::new(Some(conn)),
            raw: Cell::new(raw),
            stmts: RefCell::new(Vec::new()),
            blobs: RefCell::new(Vec::new()),
            authorizer: Cell::new(ptr::null_mut()),
            progress: Cell::new(ptr::null_mut()),
            trace: Cell::new(ptr::null_mut()),
        })
    }

    pub fn is_open(&self) -> bool {
        !self.raw.get().is_null()
    }

    /// Finalizes every statement, closes every blob, then the database.
    pub fn close(&self, vm: &Vm) {
        let _scope = VmScope::enter(vm);
        for s in self.stmts.take() {
            if let Some(s) = s.upgrade() {
                s.finalize();
            }
        }
        for b in self.blobs.take() {
            if let Some(b) = b.upgrade() {
                b.close();
            }
        }
        self.raw.set(ptr::null_mut());
        if let Some(conn) = self.conn.borrow_mut().take() {
            if let Err((conn, _)) = conn.close() {
                // Something still holds the database: let SQLite close it
                // when that goes (a zombie), without rusqlite's drop.
                // SAFETY: the handle is valid; `conn` is forgotten so it is
                // not closed twice.
                unsafe {
                    sys::sqlite3_close(conn.handle());
                }
                std::mem::forget(conn);
            }
        }
        for cell in [&self.authorizer, &self.progress, &self.trace] {
            free_callback(cell.replace(ptr::null_mut()));
        }
    }

    fn db(&self) -> *mut sys::sqlite3 {
        self.raw.get()
    }

    /// `sqlite3_extended_errcode`.
    pub fn errcode(&self) -> i32 {
        // SAFETY: open handle (callers check `is_open`); null is accepted too.
        unsafe { sys::sqlite3_extended_errcode(self.db()) }
    }

    /// `sqlite3_errmsg`.
    pub fn errmsg(&self) -> String {
        // SAFETY: as above; the message is copied at once.
        opt_str(unsafe { sys::sqlite3_errmsg(self.db()) }).unwrap_or_default()
    }

    /// Compiles the first statement of `sql`: the statement (None for only
    /// whitespace/comments) and the byte offset where the rest starts.
    pub fn prepare(self: &Rc<Self>, vm: &Vm, sql: &str) -> Result<(Option<Rc<Stmt>>, usize), i32> {
        let _scope = VmScope::enter(vm);
        let mut st: *mut sys::sqlite3_stmt = ptr::null_mut();
        let mut tail: *const c_char = ptr::null();
        let len = c_int::try_from(sql.len()).map_err(|_| sys::SQLITE_TOOBIG)?;
        // SAFETY: `sql` is valid for `len` bytes; out-pointers are locals.
        let rc = unsafe { sys::sqlite3_prepare_v2(self.db(), sql.as_ptr().cast(), len, &mut st, &mut tail) };
        if rc != sys::SQLITE_OK {
            return Err(rc);
        }
        let off = if tail.is_null() { sql.len() } else { (tail as usize).saturating_sub(sql.as_ptr() as usize) };
        if st.is_null() {
            return Ok((None, off));
        }
        let s = Rc::new(Stmt { raw: Cell::new(st), _db: self.clone() });
        let mut reg = self.stmts.borrow_mut();
        reg.retain(|w| w.strong_count() > 0);
        reg.push(Rc::downgrade(&s));
        Ok((Some(s), off))
    }

    pub fn total_changes(&self) -> i64 {
        // SAFETY: open handle.
        unsafe { sys::sqlite3_total_changes64(self.db()) }
    }

    pub fn changes(&self) -> i64 {
        // SAFETY: open handle.
        unsafe { sys::sqlite3_changes64(self.db()) }
    }

    pub fn last_insert_rowid(&self) -> i64 {
        // SAFETY: open handle.
        unsafe { sys::sqlite3_last_insert_rowid(self.db()) }
    }

    pub fn autocommit(&self) -> bool {
        // SAFETY: open handle.
        unsafe { sys::sqlite3_get_autocommit(self.db()) != 0 }
    }

    pub fn interrupt(&self) {
        // SAFETY: open handle.
        unsafe { sys::sqlite3_interrupt(self.db()) }
    }

    /// `sqlite3_limit(db, id, new)`: the previous value.
    pub fn limit(&self, id: i32, new: i32) -> i32 {
        // SAFETY: open handle; SQLite checks `id`.
        unsafe { sys::sqlite3_limit(self.db(), id, new) }
    }

    /// Registers (or with `func == None` removes) a scalar function,
    /// aggregate (`Agg`) or window function (`Window`).
    pub fn create_function(&self, name: &str, narg: i32, flags: i32, kind: FuncKind, func: Option<Obj>) -> i32 {
        let cname = cstring(name);
        let flags = flags | sys::SQLITE_UTF8;
        let Some(func) = func else {
            // SAFETY: removing a function: all callbacks null.
            return unsafe {
                sys::sqlite3_create_function_v2(self.db(), cname.as_ptr(), narg, flags, ptr::null_mut(), None, None, None, None)
            };
        };
        let data = Box::into_raw(Box::new(func)).cast::<c_void>();
        // SAFETY: `data` is freed by `destroy_obj` when SQLite drops the
        // function (also on failure, as the API documents).
        unsafe {
            match kind {
                FuncKind::Scalar => sys::sqlite3_create_function_v2(
                    self.db(),
                    cname.as_ptr(),
                    narg,
                    flags,
                    data,
                    Some(scalar_tramp),
                    None,
                    None,
                    Some(destroy_obj),
                ),
                FuncKind::Agg => sys::sqlite3_create_function_v2(
                    self.db(),
                    cname.as_ptr(),
                    narg,
                    flags,
                    data,
                    None,
                    Some(step_tramp),
                    Some(final_tramp),
                    Some(destroy_obj),
                ),
                FuncKind::Window => sys::sqlite3_create_window_function(
                    self.db(),
                    cname.as_ptr(),
                    narg,
                    flags,
                    data,
                    Some(step_tramp),
                    Some(final_tramp),
                    Some(value_tramp),
                    Some(inverse_tramp),
                    Some(destroy_obj),
                ),
            }
        }
    }

    /// Registers (or removes) a collation.
    pub fn create_collation(&self, name: &str, func: Option<Obj>) -> i32 {
        let cname = cstring(name);
        match func {
            // SAFETY: removing: no callback, no data.
            None => unsafe { sys::sqlite3_create_collation_v2(self.db(), cname.as_ptr(), sys::SQLITE_UTF8, ptr::null_mut(), None, None) },
            Some(f) => {
                let data = Box::into_raw(Box::new(f)).cast::<c_void>();
                // SAFETY: `data` is freed by `destroy_obj`.
                unsafe {
                    sys::sqlite3_create_collation_v2(
                        self.db(),
                        cname.as_ptr(),
                        sys::SQLITE_UTF8,
                        data,
                        Some(collate_tramp),
                        Some(destroy_obj),
                    )
                }
            }
        }
    }

    /// Installs or clears the authorizer.
    pub fn set_authorizer(&self, func: Option<Obj>) -> i32 {
        let data = func.map_or(ptr::null_mut(), |f| Box::into_raw(Box::new(f)));
        // SAFETY: `data` stays alive in `self.authorizer` until replaced
        // after SQLite stopped using it.
        let rc = unsafe { sys::sqlite3_set_authorizer(self.db(), if data.is_null() { None } else { Some(auth_tramp) }, data.cast()) };
        free_callback(self.authorizer.replace(data));
        rc
    }

    /// Installs or clears the progress handler (every `n` instructions).
    pub fn set_progress(&self, func: Option<Obj>, n: i32) {
        let data = func.map_or(ptr::null_mut(), |f| Box::into_raw(Box::new(f)));
        // SAFETY: as `set_authorizer`.
        unsafe {
            sys::sqlite3_progress_handler(self.db(), n, if data.is_null() { None } else { Some(progress_tramp) }, data.cast());
        }
        free_callback(self.progress.replace(data));
    }

    /// Installs or clears the statement trace callback.
    pub fn set_trace(&self, func: Option<Obj>) {
        let data = func.map_or(ptr::null_mut(), |f| Box::into_raw(Box::new(f)));
        // SAFETY: as `set_authorizer`.
        unsafe {
            if data.is_null() {
                sys::sqlite3_trace_v2(self.db(), 0, None, ptr::null_mut());
            } else {
                sys::sqlite3_trace_v2(self.db(), sys::SQLITE_TRACE_STMT as c_uint, Some(trace_tramp), data.cast());
            }
        }
        free_callback(self.trace.replace(data));
    }

    /// Runs `sql` with `sqlite3_exec` (no rows wanted).
    pub fn exec(&self, vm: &Vm, sql: &str) -> i32 {
        let _scope = VmScope::enter(vm);
        let c = cstring(sql);
        // SAFETY: open handle, NUL-terminated SQL, no row callback.
        unsafe { sys::sqlite3_exec(self.db(), c.as_ptr(), None, ptr::null_mut(), ptr::null_mut()) }
    }

    /// `sqlite3_serialize` of schema `name` (None when SQLite has none).
    pub fn serialize(&self, name: &str) -> Option<Vec<u8>> {
        let c = cstring(name);
        let mut size: i64 = 0;
        // SAFETY: open handle; the returned buffer (if any) is `size`
        // bytes from `sqlite3_malloc`, copied then freed.
        unsafe {
            let p = sys::sqlite3_serialize(self.db(), c.as_ptr(), &mut size, 0);
            if p.is_null() {
                return None;
            }
            let v = std::slice::from_raw_parts(p, size.max(0) as usize).to_vec();
            sys::sqlite3_free(p.cast());
            Some(v)
        }
    }

    /// `sqlite3_deserialize` of `data` into schema `name`.
    pub fn deserialize(&self, name: &str, data: &[u8]) -> i32 {
        let c = cstring(name);
        // SAFETY: the buffer is allocated by SQLite's allocator and handed
        // to it (FREEONCLOSE); `data` is copied into it.
        unsafe {
            let n = data.len() as u64;
            let p = sys::sqlite3_malloc64(n.max(1)).cast::<u8>();
            if p.is_null() {
                return sys::SQLITE_NOMEM;
            }
            ptr::copy_nonoverlapping(data.as_ptr(), p, data.len());
            let flags = (sys::SQLITE_DESERIALIZE_FREEONCLOSE | sys::SQLITE_DESERIALIZE_RESIZEABLE) as c_uint;
            sys::sqlite3_deserialize(self.db(), c.as_ptr(), p, n as i64, n as i64, flags)
        }
    }

    /// `sqlite3_blob_open`.
    pub fn blob_open(&self, schema: &str, table: &str, column: &str, row: i64, readonly: bool) -> Result<Rc<BlobHandle>, i32> {
        let (s, t, c) = (cstring(schema), cstring(table), cstring(column));
        let mut b: *mut sys::sqlite3_blob = ptr::null_mut();
        // SAFETY: open handle, NUL-terminated names, local out-pointer.
        let rc = unsafe { sys::sqlite3_blob_open(self.db(), s.as_ptr(), t.as_ptr(), c.as_ptr(), row, (!readonly) as c_int, &mut b) };
        if rc != sys::SQLITE_OK {
            return Err(rc);
        }
        let h = Rc::new(BlobHandle { raw: Cell::new(b) });
        let mut reg = self.blobs.borrow_mut();
        reg.retain(|w| w.strong_count() > 0);
        reg.push(Rc::downgrade(&h));
        Ok(h)
    }

    /// Starts copying `src`'s schema `src_name` into `self`'s `main`.
    pub fn backup_init(&self, src: &Db, dest_name: &str, src_name: &str) -> Option<Backup> {
        let (d, s) = (cstring(dest_name), cstring(src_name));
        // SAFETY: both handles open; the backup is finished before either
        // can be closed (it lives only inside `Connection.backup`).
        let p = unsafe { sys::sqlite3_backup_init(self.db(), d.as_ptr(), src.db(), s.as_ptr()) };
        if p.is_null() {
            None
        } else {
            Some(Backup(p))
        }
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Some(vm) = current_vm() {
            self.close(vm);
        } else {
            for s in self.stmts.take() {
                if let Some(s) = s.upgrade() {
                    s.finalize();
                }
            }
            for b in self.blobs.take() {
                if let Some(b) = b.upgrade() {
                    b.close();
                }
            }
            if let Some(conn) = self.conn.borrow_mut().take() {
                if let Err((conn, _)) = conn.close() {
                    // SAFETY: see `close`.
                    unsafe {
                        sys::sqlite3_close(conn.handle());
                    }
                    std::mem::forget(conn);
                }
            }
            for cell in [&self.authorizer, &self.progress, &self.trace] {
                free_callback(cell.replace(ptr::null_mut()));
            }
        }
    }
}

fn free_callback(p: *mut Obj) {
    if !p.is_null() {
        // SAFETY: made by `Box::into_raw` in a `set_*` method; unregistered.
        drop(unsafe { Box::from_raw(p) });
    }
}

/// What `create_function` registers.
#[derive(Clone, Copy)]
pub enum FuncKind {
    Scalar,
    Agg,
    Window,
}

/// A prepared statement. It keeps its database alive: a connection
/// re-initialized with `__init__` leaves its old cursors working on the
/// old database (as SQLite's `sqlite3_close_v2` would).
pub struct Stmt {
    raw: Cell<*mut sys::sqlite3_stmt>,
    _db: Rc<Db>,
}

impl Stmt {
    fn st(&self) -> *mut sys::sqlite3_stmt {
        self.raw.get()
    }

    pub fn is_live(&self) -> bool {
        !self.st().is_null()
    }

    pub fn finalize(&self) {
        let p = self.raw.replace(ptr::null_mut());
        if !p.is_null() {
            // SAFETY: finalized once; the pointer is cleared.
            unsafe {
                sys::sqlite3_finalize(p);
            }
        }
    }

    /// `sqlite3_step`: SQLITE_ROW, SQLITE_DONE or an error code.
    pub fn step(&self, vm: &Vm) -> i32 {
        if !self.is_live() {
            return sys::SQLITE_MISUSE;
        }
        let _scope = VmScope::enter(vm);
        // SAFETY: live statement.
        unsafe { sys::sqlite3_step(self.st()) }
    }

    pub fn reset(&self, vm: &Vm) -> i32 {
        if !self.is_live() {
            return sys::SQLITE_OK;
        }
        let _scope = VmScope::enter(vm);
        // SAFETY: live statement.
        unsafe { sys::sqlite3_reset(self.st()) }
    }

    pub fn busy(&self) -> bool {
        // SAFETY: live statement (checked).
        self.is_live() && unsafe { sys::sqlite3_stmt_busy(self.st()) != 0 }
    }

    pub fn clear_bindings(&self) {
        if self.is_live() {
            // SAFETY: live statement.
            unsafe {
                sys::sqlite3_clear_bindings(self.st());
            }
        }
    }

    pub fn param_count(&self) -> usize {
        // SAFETY: live statement (checked).
        if self.is_live() {
            unsafe { sys::sqlite3_bind_parameter_count(self.st()).max(0) as usize }
        } else {
            0
        }
    }

    /// The name of parameter `i` (1-based), with its prefix (`:name`).
    pub fn param_name(&self, i: usize) -> Option<String> {
        // SAFETY: live statement; SQLite range-checks `i`.
        opt_str(unsafe { sys::sqlite3_bind_parameter_name(self.st(), i as c_int) })
    }

    /// Binds parameter `i` (1-based).
    pub fn bind(&self, i: usize, v: &Value) -> i32 {
        let (st, i) = (self.st(), i as c_int);
        // SAFETY: live statement; text/blob bytes are copied by SQLite
        // (SQLITE_TRANSIENT).
        unsafe {
            match v {
                Value::Null => sys::sqlite3_bind_null(st, i),
                Value::Int(n) => sys::sqlite3_bind_int64(st, i, *n),
                Value::Float(f) => sys::sqlite3_bind_double(st, i, *f),
                Value::Text(t) => {
                    sys::sqlite3_bind_text64(st, i, t.as_ptr().cast(), t.len() as u64, sys::SQLITE_TRANSIENT(), sys::SQLITE_UTF8 as u8)
                }
                Value::Blob(b) => sys::sqlite3_bind_blob64(st, i, b.as_ptr().cast(), b.len() as u64, sys::SQLITE_TRANSIENT()),
            }
        }
    }

    pub fn column_count(&self) -> usize {
        // SAFETY: live statement (checked).
        if self.is_live() {
            unsafe { sys::sqlite3_column_count(self.st()).max(0) as usize }
        } else {
            0
        }
    }

    pub fn column_name(&self, i: usize) -> Option<String> {
        // SAFETY: live statement; SQLite range-checks `i`.
        opt_str(unsafe { sys::sqlite3_column_name(self.st(), i as c_int) })
    }

    pub fn column_decltype(&self, i: usize) -> Option<String> {
        // SAFETY: as above.
        opt_str(unsafe { sys::sqlite3_column_decltype(self.st(), i as c_int) })
    }

    /// Column `i` of the current row.
    pub fn column(&self, i: usize) -> Value {
        let (st, i) = (self.st(), i as c_int);
        // SAFETY: a row is current; text/blob pointers are copied before
        // any other call on the statement.
        unsafe {
            match sys::sqlite3_column_type(st, i) {
                sys::SQLITE_NULL => Value::Null,
                sys::SQLITE_INTEGER => Value::Int(sys::sqlite3_column_int64(st, i)),
                sys::SQLITE_FLOAT => Value::Float(sys::sqlite3_column_double(st, i)),
                sys::SQLITE_TEXT => {
                    let p = sys::sqlite3_column_text(st, i);
                    let n = sys::sqlite3_column_bytes(st, i).max(0) as usize;
                    Value::Text(if p.is_null() { Vec::new() } else { std::slice::from_raw_parts(p, n).to_vec() })
                }
                _ => Value::Blob(self.column_bytes(i as usize)),
            }
        }
    }

    /// Column `i` as bytes (`sqlite3_column_blob`), for converters.
    pub fn column_bytes(&self, i: usize) -> Vec<u8> {
        let (st, i) = (self.st(), i as c_int);
        // SAFETY: as `column`.
        unsafe {
            let p = sys::sqlite3_column_blob(st, i).cast::<u8>();
            let n = sys::sqlite3_column_bytes(st, i).max(0) as usize;
            if p.is_null() {
                Vec::new()
            } else {
                std::slice::from_raw_parts(p, n).to_vec()
            }
        }
    }

    pub fn column_is_null(&self, i: usize) -> bool {
        // SAFETY: a row is current.
        unsafe { sys::sqlite3_column_type(self.st(), i as c_int) == sys::SQLITE_NULL }
    }
}

impl Drop for Stmt {
    fn drop(&mut self) {
        self.finalize();
    }
}

/// An open blob (`sqlite3_blob*`).
pub struct BlobHandle {
    raw: Cell<*mut sys::sqlite3_blob>,
}

impl BlobHandle {
    pub fn is_live(&self) -> bool {
        !self.raw.get().is_null()
    }

    pub fn close(&self) {
        let p = self.raw.replace(ptr::null_mut());
        if !p.is_null() {
            // SAFETY: closed once; the pointer is cleared.
            unsafe {
                sys::sqlite3_blob_close(p);
            }
        }
    }

    pub fn len(&self) -> usize {
        // SAFETY: live blob (checked).
        if self.is_live() {
            unsafe { sys::sqlite3_blob_bytes(self.raw.get()).max(0) as usize }
        } else {
            0
        }
    }

    /// Reads `n` bytes at `offset` (the caller keeps them in range).
    pub fn read(&self, offset: usize, n: usize) -> Result<Vec<u8>, i32> {
        let mut buf = vec![0u8; n];
        // SAFETY: live blob; `buf` holds `n` bytes.
        let rc = unsafe { sys::sqlite3_blob_read(self.raw.get(), buf.as_mut_ptr().cast(), n as c_int, offset as c_int) };
        if rc == sys::SQLITE_OK {
            Ok(buf)
        } else {
            Err(rc)
        }
    }

    /// Writes `data` at `offset` (the caller keeps it in range).
    pub fn write(&self, offset: usize, data: &[u8]) -> i32 {
        // SAFETY: live blob; `data` is valid for its length.
        unsafe { sys::sqlite3_blob_write(self.raw.get(), data.as_ptr().cast(), data.len() as c_int, offset as c_int) }
    }
}

impl Drop for BlobHandle {
    fn drop(&mut self) {
        self.close();
    }
}

/// A running `sqlite3_backup`.
pub struct Backup(*mut sys::sqlite3_backup);

impl Backup {
    pub fn step(&self, pages: i32) -> i32 {
        // SAFETY: live backup until `finish` consumes it.
        unsafe { sys::sqlite3_backup_step(self.0, pages) }
    }
    pub fn remaining(&self) -> i32 {
        // SAFETY: as above.
        unsafe { sys::sqlite3_backup_remaining(self.0) }
    }
    pub fn pagecount(&self) -> i32 {
        // SAFETY: as above.
        unsafe { sys::sqlite3_backup_pagecount(self.0) }
    }
    pub fn finish(self) -> i32 {
        let p = self.0;
        std::mem::forget(self);
        // SAFETY: finished once (`self` is forgotten).
        unsafe { sys::sqlite3_backup_finish(p) }
    }
}

impl Drop for Backup {
    fn drop(&mut self) {
        // SAFETY: finished once.
        unsafe {
            sys::sqlite3_backup_finish(self.0);
        }
    }
}

// ------------------------------------------------------------ trampolines

unsafe extern "C" fn destroy_obj(p: *mut c_void) {
    if !p.is_null() {
        // SAFETY: made by `Box::into_raw(Box<Obj>)` in `create_*`.
        drop(unsafe { Box::from_raw(p.cast::<Obj>()) });
    }
}

/// Reads the arguments of a function call.
///
/// # Safety
/// `argv` holds `argc` valid values.
unsafe fn args_of(argc: c_int, argv: *mut *mut sys::sqlite3_value) -> Vec<Value> {
    let mut out = Vec::with_capacity(argc.max(0) as usize);
    for i in 0..argc.max(0) as usize {
        // SAFETY: caller's contract.
        let v = unsafe { *argv.add(i) };
        // SAFETY: `v` is a valid protected value for this call.
        out.push(unsafe {
            match sys::sqlite3_value_type(v) {
                sys::SQLITE_NULL => Value::Null,
                sys::SQLITE_INTEGER => Value::Int(sys::sqlite3_value_int64(v)),
                sys::SQLITE_FLOAT => Value::Float(sys::sqlite3_value_double(v)),
                sys::SQLITE_TEXT => {
                    let p = sys::sqlite3_value_text(v);
                    let n = sys::sqlite3_value_bytes(v).max(0) as usize;
                    Value::Text(if p.is_null() { Vec::new() } else { std::slice::from_raw_parts(p, n).to_vec() })
                }
                _ => {
                    let p = sys::sqlite3_value_blob(v).cast::<u8>();
                    let n = sys::sqlite3_value_bytes(v).max(0) as usize;
                    Value::Blob(if p.is_null() { Vec::new() } else { std::slice::from_raw_parts(p, n).to_vec() })
                }
            }
        });
    }
    out
}

/// Sets a function's result.
///
/// # Safety
/// `ctx` is the context of the running call.
unsafe fn set_result(ctx: *mut sys::sqlite3_context, r: Result<Value, CbError>) {
    // SAFETY: caller's contract; text/blob are copied (TRANSIENT).
    unsafe {
        match r {
            Ok(Value::Null) => sys::sqlite3_result_null(ctx),
            Ok(Value::Int(n)) => sys::sqlite3_result_int64(ctx, n),
            Ok(Value::Float(f)) => sys::sqlite3_result_double(ctx, f),
            Ok(Value::Text(t)) => {
                sys::sqlite3_result_text64(ctx, t.as_ptr().cast(), t.len() as u64, sys::SQLITE_TRANSIENT(), sys::SQLITE_UTF8 as u8)
            }
            Ok(Value::Blob(b)) => sys::sqlite3_result_blob64(ctx, b.as_ptr().cast(), b.len() as u64, sys::SQLITE_TRANSIENT()),
            Err(CbError::TooBig) => sys::sqlite3_result_error_toobig(ctx),
            Err(CbError::NoMem) => sys::sqlite3_result_error_nomem(ctx),
            Err(CbError::Msg(m)) => sys::sqlite3_result_error(ctx, m.as_ptr().cast(), m.len() as c_int),
        }
    }
}

/// The Python object registered with the running function.
///
/// # Safety
/// `ctx` is a running call's context whose user data is a `Box<Obj>`.
unsafe fn user_obj<'a>(ctx: *mut sys::sqlite3_context) -> Option<&'a Obj> {
    // SAFETY: caller's contract.
    unsafe { sys::sqlite3_user_data(ctx).cast::<Obj>().as_ref() }
}

fn no_vm() -> CbError {
    CbError::Msg("no interpreter".into())
}

unsafe extern "C" fn scalar_tramp(ctx: *mut sys::sqlite3_context, argc: c_int, argv: *mut *mut sys::sqlite3_value) {
    // SAFETY: SQLite calls this with a valid context and arguments.
    unsafe {
        let args = args_of(argc, argv);
        let r = match (current_vm(), user_obj(ctx)) {
            (Some(vm), Some(f)) => callbacks::scalar(vm, f, &args),
            _ => Err(no_vm()),
        };
        set_result(ctx, r);
    }
}

/// The per-call aggregate slot (`sqlite3_aggregate_context`): a pointer
/// to the boxed aggregate instance, null before the first step. With
/// `create == false` a call that never stepped gets None.
///
/// # Safety
/// `ctx` is a running aggregate call's context.
unsafe fn agg_slot(ctx: *mut sys::sqlite3_context, create: bool) -> Option<*mut *mut Obj> {
    let size = if create { std::mem::size_of::<*mut Obj>() as c_int } else { 0 };
    // SAFETY: caller's contract; SQLite zero-fills the new slot.
    let p = unsafe { sys::sqlite3_aggregate_context(ctx, size) }.cast::<*mut Obj>();
    if p.is_null() {
        None
    } else {
        Some(p)
    }
}

unsafe extern "C" fn step_tramp(ctx: *mut sys::sqlite3_context, argc: c_int, argv: *mut *mut sys::sqlite3_value) {
    // SAFETY: valid context/arguments; the slot holds null or a pointer
    // made by `Box::into_raw` here.
    unsafe {
        let args = args_of(argc, argv);
        let (Some(vm), Some(cls)) = (current_vm(), user_obj(ctx)) else {
            return set_result(ctx, Err(no_vm()));
        };
        let Some(slot) = agg_slot(ctx, true) else {
            return sys::sqlite3_result_error_nomem(ctx);
        };
        let mut inst = if (*slot).is_null() { None } else { Some((**slot).clone()) };
        let r = callbacks::agg_step(vm, cls, &mut inst, &args);
        if (*slot).is_null() {
            if let Some(i) = inst {
                *slot = Box::into_raw(Box::new(i));
            }
        }
        if let Err(e) = r {
            set_result(ctx, Err(e));
        }
    }
}

/// Takes the aggregate instance out of its slot (the final call).
///
/// # Safety
/// As `step_tramp`.
unsafe fn take_inst(ctx: *mut sys::sqlite3_context) -> Option<Obj> {
    // SAFETY: caller's contract.
    unsafe {
        let slot = agg_slot(ctx, false)?;
        let p = std::mem::replace(&mut *slot, ptr::null_mut());
        if p.is_null() {
            None
        } else {
            Some(*Box::from_raw(p))
        }
    }
}

/// Borrows the aggregate instance (window value/inverse).
///
/// # Safety
/// As `step_tramp`.
unsafe fn peek_inst(ctx: *mut sys::sqlite3_context) -> Option<Obj> {
    // SAFETY: caller's contract.
    unsafe {
        let slot = agg_slot(ctx, false)?;
        if (*slot).is_null() {
            None
        } else {
            Some((**slot).clone())
        }
    }
}

unsafe extern "C" fn final_tramp(ctx: *mut sys::sqlite3_context) {
    // SAFETY: as `step_tramp`.
    unsafe {
        let inst = take_inst(ctx);
        let r = match (current_vm(), user_obj(ctx)) {
            (Some(vm), Some(cls)) => callbacks::agg_final(vm, cls, inst),
            _ => Err(no_vm()),
        };
        set_result(ctx, r);
    }
}

unsafe extern "C" fn value_tramp(ctx: *mut sys::sqlite3_context) {
    // SAFETY: as `step_tramp`.
    unsafe {
        let inst = peek_inst(ctx);
        let r = match (current_vm(), user_obj(ctx)) {
            (Some(vm), Some(cls)) => callbacks::window_value(vm, cls, inst),
            _ => Err(no_vm()),
        };
        set_result(ctx, r);
    }
}

unsafe extern "C" fn inverse_tramp(ctx: *mut sys::sqlite3_context, argc: c_int, argv: *mut *mut sys::sqlite3_value) {
    // SAFETY: as `step_tramp`.
    unsafe {
        let args = args_of(argc, argv);
        let inst = peek_inst(ctx);
        let r = match (current_vm(), user_obj(ctx)) {
            (Some(vm), Some(cls)) => callbacks::window_inverse(vm, cls, inst, &args),
            _ => Err(no_vm()),
        };
        if let Err(e) = r {
            set_result(ctx, Err(e));
        }
    }
}

unsafe extern "C" fn collate_tramp(data: *mut c_void, n1: c_int, p1: *const c_void, n2: c_int, p2: *const c_void) -> c_int {
    // SAFETY: `data` is our `Box<Obj>`; the strings are valid for their
    // lengths during the call.
    unsafe {
        let (Some(vm), Some(f)) = (current_vm(), data.cast::<Obj>().as_ref()) else {
            return 0;
        };
        let a = if p1.is_null() { &[][..] } else { std::slice::from_raw_parts(p1.cast::<u8>(), n1.max(0) as usize) };
        let b = if p2.is_null() { &[][..] } else { std::slice::from_raw_parts(p2.cast::<u8>(), n2.max(0) as usize) };
        callbacks::collate(vm, f, a, b)
    }
}

unsafe extern "C" fn auth_tramp(
    data: *mut c_void,
    action: c_int,
    a1: *const c_char,
    a2: *const c_char,
    a3: *const c_char,
    a4: *const c_char,
) -> c_int {
    // SAFETY: `data` is our `Box<Obj>`; strings are NUL-terminated or null.
    unsafe {
        let (Some(vm), Some(f)) = (current_vm(), data.cast::<Obj>().as_ref()) else {
            return sys::SQLITE_DENY;
        };
        callbacks::authorize(vm, f, action, [opt_str(a1), opt_str(a2), opt_str(a3), opt_str(a4)])
    }
}

unsafe extern "C" fn progress_tramp(data: *mut c_void) -> c_int {
    // SAFETY: `data` is our `Box<Obj>`.
    unsafe {
        let (Some(vm), Some(f)) = (current_vm(), data.cast::<Obj>().as_ref()) else {
            return 1;
        };
        callbacks::progress(vm, f)
    }
}

unsafe extern "C" fn trace_tramp(kind: c_uint, data: *mut c_void, p: *mut c_void, x: *mut c_void) -> c_int {
    if kind != sys::SQLITE_TRACE_STMT as c_uint {
        return 0;
    }
    // SAFETY: `data` is our `Box<Obj>`; for TRACE_STMT `p` is the statement
    // and `x` its SQL text (or a "--" comment for triggers).
    unsafe {
        let (Some(vm), Some(f)) = (current_vm(), data.cast::<Obj>().as_ref()) else {
            return 0;
        };
        let raw = opt_str(x.cast());
        let (sql, too_long) = match raw {
            Some(s) if s.starts_with("--") => (Some(s), false),
            _ => {
                let e = sys::sqlite3_expanded_sql(p.cast());
                if e.is_null() {
                    (raw, true)
                } else {
                    let s = opt_str(e);
                    sys::sqlite3_free(e.cast());
                    (s, false)
                }
            }
        };
        if let Some(sql) = sql {
            callbacks::trace(vm, f, &sql, too_long);
        }
    }
    0
}
