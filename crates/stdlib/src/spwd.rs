//! `spwd`: the shadow password database (`getspnam`, `getspall`) as
//! `spwd.struct_spwd` records; reading it needs root.
//!
//! # Safety
//!
//! `getspnam_r` runs through `pwd`'s reentrant lookup (a zeroed `spwd`
//! and a Rust buffer whose length is passed with it; the strings are
//! copied out before the buffer is dropped). `getspent` walks the
//! database with static storage: the GIL is held across the whole walk
//! and each record is copied before the next call.

use taipan_vm::native::{exact, FunctionDef};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::new_list;
use taipan_vm::types::structseq::{new_structseq, new_structseq_type, StructSeqDesc};
use taipan_vm::types::Kwargs;
use taipan_vm::{modules, PyResult, Vm};

use crate::posix::{fs_decode, os_error};
use crate::pwd::{c_bytes, name_arg, reentrant_lookup_errno};

static STRUCT_SPWD: StructSeqDesc = StructSeqDesc {
    name: "spwd.struct_spwd",
    doc: "spwd.struct_spwd: Results from getsp*() routines.\n\nThis object may be accessed either as a 9-tuple of\n  (sp_namp,sp_pwdp,sp_lstchg,sp_min,sp_max,sp_warn,sp_inact,sp_expire,sp_flag)\nor via the object attributes as named in the above tuple.",
    fields: &["sp_namp", "sp_pwdp", "sp_lstchg", "sp_min", "sp_max", "sp_warn", "sp_inact", "sp_expire", "sp_flag", "sp_nam", "sp_pwd"],
    n_in_sequence: 9,
};

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("getspnam", getspnam, "Return the shadow password database entry for the given user name."),
    FunctionDef::new("getspall", getspall, "Return a list of all available shadow password database entries, in arbitrary order."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    modules::add_functions(vm, m, FUNCS)?;
    modules::add_attr(vm, m, "struct_spwd", record_type(vm))?;
    crate::util::warn_deprecated_module(vm, "spwd")?;
    Ok(())
}

fn record_type(vm: &Vm) -> Obj {
    vm.native_type("spwd.struct_spwd", |vm| new_structseq_type(vm, &STRUCT_SPWD))
}

/// A copied `spwd` record.
struct Entry {
    name: Vec<u8>,
    passwd: Vec<u8>,
    numbers: [i64; 7],
}

fn copy_entry(p: &libc::spwd) -> Entry {
    Entry {
        name: c_bytes(p.sp_namp),
        passwd: c_bytes(p.sp_pwdp),
        // `sp_flag` is an unsigned long that CPython reads as a long
        // (all ones is -1).
        numbers: [p.sp_lstchg, p.sp_min, p.sp_max, p.sp_warn, p.sp_inact, p.sp_expire, p.sp_flag as i64],
    }
}

fn record(vm: &Vm, e: Entry) -> PyResult<Obj> {
    let name = fs_decode(vm, &e.name)?;
    let passwd = fs_decode(vm, &e.passwd)?;
    let mut values = vec![name.clone(), passwd.clone()];
    values.extend(e.numbers.iter().map(|&n| vm.int(n)));
    values.push(name);
    values.push(passwd);
    Ok(new_structseq(vm, &record_type(vm), values))
}

fn getspnam(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name] = exact::<1>(vm, "getspnam", args, kw)?;
    let c = name_arg(vm, &name, "getspnam")?;
    // SAFETY: `c` is NUL-terminated and outlives the call; the other
    // pointers come from the lookup's live buffers (module docs).
    let found =
        reentrant_lookup_errno(|rec, buf, out| unsafe { libc::getspnam_r(c.as_ptr(), rec, buf.as_mut_ptr(), buf.len(), out) }, copy_entry);
    match found {
        Ok(Some(e)) => record(vm, e),
        Ok(None) | Err(libc::ENOENT) => Err(vm.new_error(&vm.types.key_error, "getspnam(): name not found")),
        Err(e) => Err(os_error(vm, e, None, None)),
    }
}

fn getspall(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "spwd.getspall", args, kw)?;
    let mut entries = Vec::new();
    // SAFETY: the walk runs under the GIL; each record is copied before the
    // next `getspent` (module docs).
    unsafe {
        libc::setspent();
        loop {
            let p = libc::getspent();
            if p.is_null() {
                break;
            }
            entries.push(copy_entry(&*p));
        }
        libc::endspent();
    }
    let items = entries.into_iter().map(|e| record(vm, e)).collect::<PyResult<Vec<_>>>()?;
    Ok(new_list(vm, items))
}
