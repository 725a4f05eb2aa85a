//! `pwd`: the password database (`getpwuid`, `getpwnam`, `getpwall`) as
//! `pwd.struct_passwd` records.
//!
//! # Safety
//!
//! The reentrant lookups (`getpwuid_r`, `getpwnam_r`) write into a zeroed
//! `passwd` and a Rust buffer whose length is passed with it; the string
//! pointers they leave point into that buffer and are copied out before
//! it is dropped. `getpwent` walks the database with static storage: the
//! GIL is held across the whole walk (no other thread of ours calls it),
//! and each record is copied before the next call.

use std::ffi::{CStr, CString};

use taipan_vm::native::{exact, FunctionDef};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{int_data, new_list, type_name, IntData, StrData};
use taipan_vm::types::structseq::{new_structseq, new_structseq_type, StructSeqDesc};
use taipan_vm::types::Kwargs;
use taipan_vm::{modules, PyResult, Vm};

use crate::posix::fs_decode;

static STRUCT_PASSWD: StructSeqDesc = StructSeqDesc {
    name: "pwd.struct_passwd",
    doc: "pwd.struct_passwd: Results from getpw*() routines.",
    fields: &["pw_name", "pw_passwd", "pw_uid", "pw_gid", "pw_gecos", "pw_dir", "pw_shell"],
    n_in_sequence: 7,
};

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("getpwuid", getpwuid, "Return the password database entry for the given numeric user ID."),
    FunctionDef::new("getpwnam", getpwnam, "Return the password database entry for the given user name."),
    FunctionDef::new("getpwall", getpwall, "Return a list of all available password database entries, in arbitrary order."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    modules::add_functions(vm, m, FUNCS)?;
    modules::add_attr(vm, m, "struct_passwd", record_type(vm))?;
    Ok(())
}

fn record_type(vm: &Vm) -> Obj {
    vm.native_type("pwd.struct_passwd", |vm| new_structseq_type(vm, &STRUCT_PASSWD))
}

/// A copied `passwd` record.
struct Entry {
    name: Vec<u8>,
    passwd: Vec<u8>,
    uid: u32,
    gid: u32,
    gecos: Vec<u8>,
    dir: Vec<u8>,
    shell: Vec<u8>,
}

/// A NUL-terminated string of a record the C library just filled in, or
/// empty for a null field.
pub(crate) fn c_bytes(p: *const libc::c_char) -> Vec<u8> {
    if p.is_null() {
        return Vec::new();
    }
    // SAFETY: a non-null field of a record the C library just filled in
    // points to a NUL-terminated string that is still live (module docs).
    unsafe { CStr::from_ptr(p) }.to_bytes().to_vec()
}

fn copy_entry(p: &libc::passwd) -> Entry {
    Entry {
        name: c_bytes(p.pw_name),
        passwd: c_bytes(p.pw_passwd),
        uid: p.pw_uid,
        gid: p.pw_gid,
        gecos: c_bytes(p.pw_gecos),
        dir: c_bytes(p.pw_dir),
        shell: c_bytes(p.pw_shell),
    }
}

/// Runs a reentrant `get*_r` lookup with a growing buffer and copies the
/// record out with `copy`: `None` when there is none (or the call failed).
/// `R` is a C record (`passwd`, `group`, `spwd`) for which all-zero is
/// valid.
pub(crate) fn reentrant_lookup<R, E>(
    f: impl Fn(*mut R, &mut [libc::c_char], *mut *mut R) -> libc::c_int,
    copy: impl Fn(&R) -> E,
) -> Option<E> {
    reentrant_lookup_errno(f, copy).ok().flatten()
}

/// [`reentrant_lookup`] that keeps the call's error number: `Ok(None)`
/// when there is no record, `Err(errno)` when the lookup failed.
pub(crate) fn reentrant_lookup_errno<R, E>(
    f: impl Fn(*mut R, &mut [libc::c_char], *mut *mut R) -> libc::c_int,
    copy: impl Fn(&R) -> E,
) -> Result<Option<E>, libc::c_int> {
    let mut size = 1024usize;
    loop {
        let mut buf = vec![0 as libc::c_char; size];
        // SAFETY: `R` is a plain C record whose all-zero value is valid.
        let mut rec: R = unsafe { std::mem::zeroed() };
        let mut out: *mut R = std::ptr::null_mut();
        let r = f(&mut rec, &mut buf, &mut out);
        if r == libc::ERANGE && size < (1 << 24) {
            size *= 4;
            continue;
        }
        if r != 0 {
            return Err(r);
        }
        if out.is_null() {
            return Ok(None);
        }
        return Ok(Some(copy(&rec)));
    }
}

/// `KeyError("getpwnam(): name not found: 'x'")` and its `grp` twin.
pub(crate) fn name_not_found(vm: &Vm, fname: &str, name: &Obj) -> PyResult<taipan_vm::PyErr> {
    let shown = taipan_vm::ops::repr(vm, name)?;
    let shown = taipan_vm::types::builtin::str_data(&shown).as_str().into_owned();
    Ok(vm.new_error(&vm.types.key_error, format!("{fname}(): name not found: {shown}")))
}

fn record(vm: &Vm, e: Entry) -> PyResult<Obj> {
    let values = vec![
        fs_decode(vm, &e.name)?,
        fs_decode(vm, &e.passwd)?,
        vm.int(e.uid as i64),
        vm.int(e.gid as i64),
        fs_decode(vm, &e.gecos)?,
        fs_decode(vm, &e.dir)?,
        fs_decode(vm, &e.shell)?,
    ];
    Ok(new_structseq(vm, &record_type(vm), values))
}

/// An id argument as a C `uid_t`/`gid_t`: `-1` is `(id_t)-1` as in
/// CPython; `None` when it does not fit.
pub(crate) fn id_arg(vm: &Vm, o: &Obj, what: &str) -> PyResult<(Option<u32>, String)> {
    let i = match taipan_vm::ops::index(vm, o) {
        Ok(i) => i,
        Err(_) => return Err(vm.type_error(format!("{what} should be integer, not {}", type_name(o)))),
    };
    match int_data(&i) {
        Some(IntData::Small(v)) if *v == -1 => Ok((Some(u32::MAX), "-1".into())),
        Some(IntData::Small(v)) => Ok((u32::try_from(*v).ok(), v.to_string())),
        _ => Ok((None, String::new())),
    }
}

fn getpwuid(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [uid] = exact::<1>(vm, "getpwuid", args, kw)?;
    let (uid, shown) = id_arg(vm, &uid, "uid")?;
    let found = uid.and_then(|uid| {
        // SAFETY: the pointers come from `lookup`'s live buffers (module docs).
        reentrant_lookup(|rec, buf, out| unsafe { libc::getpwuid_r(uid, rec, buf.as_mut_ptr(), buf.len(), out) }, copy_entry)
    });
    match found {
        Some(e) => record(vm, e),
        None if uid.is_none() => Err(vm.new_error(&vm.types.key_error, "getpwuid(): uid not found")),
        None => Err(vm.new_error(&vm.types.key_error, format!("getpwuid(): uid not found: {shown}"))),
    }
}

/// A name argument: a str without NUL bytes.
pub(crate) fn name_arg(vm: &Vm, o: &Obj, fname: &str) -> PyResult<CString> {
    if o.downcast::<StrData>().is_none() {
        return Err(vm.type_error(format!("{fname}() argument must be str, not {}", type_name(o))));
    }
    let b = crate::posix::fs_encode(vm, o)?;
    CString::new(b).map_err(|_| vm.new_error(&vm.types.value_error, "embedded null byte"))
}

fn getpwnam(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name] = exact::<1>(vm, "getpwnam", args, kw)?;
    let c = name_arg(vm, &name, "getpwnam")?;
    // SAFETY: `c` is NUL-terminated and outlives the call; the other
    // pointers come from `lookup`'s live buffers (module docs).
    match reentrant_lookup(|rec, buf, out| unsafe { libc::getpwnam_r(c.as_ptr(), rec, buf.as_mut_ptr(), buf.len(), out) }, copy_entry) {
        Some(e) => record(vm, e),
        None => Err(name_not_found(vm, "getpwnam", &name)?),
    }
}

fn getpwall(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "pwd.getpwall", args, kw)?;
    let mut entries = Vec::new();
    // SAFETY: the walk runs under the GIL; each record is copied before the
    // next `getpwent` (module docs).
    unsafe {
        libc::setpwent();
        loop {
            let p = libc::getpwent();
            if p.is_null() {
                break;
            }
            entries.push(copy_entry(&*p));
        }
        libc::endpwent();
    }
    let items = entries.into_iter().map(|e| record(vm, e)).collect::<PyResult<Vec<_>>>()?;
    Ok(new_list(vm, items))
}
