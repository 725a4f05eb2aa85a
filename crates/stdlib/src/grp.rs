//! `grp`: the group database (`getgrgid`, `getgrnam`, `getgrall`) as
//! `grp.struct_group` records.
//!
//! # Safety
//!
//! As in `pwd` (whose `reentrant_lookup` runs them): the reentrant lookups
//! (`getgrgid_r`, `getgrnam_r`) fill a zeroed `group` and a Rust buffer
//! whose length is passed with it; its strings and the NULL-terminated
//! member array point into that buffer and are copied out before it is
//! dropped. `getgrent` uses static storage:
//! the GIL is held across the walk and each record is copied before the
//! next call.

use taipan_vm::native::{exact, FunctionDef};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::new_list;
use taipan_vm::types::structseq::{new_structseq, new_structseq_type, StructSeqDesc};
use taipan_vm::types::Kwargs;
use taipan_vm::{modules, PyResult, Vm};

use crate::posix::fs_decode;
use crate::pwd::{c_bytes, id_arg, name_arg, name_not_found, reentrant_lookup};

static STRUCT_GROUP: StructSeqDesc = StructSeqDesc {
    name: "grp.struct_group",
    doc: "grp.struct_group: Results from getgr*() routines.",
    fields: &["gr_name", "gr_passwd", "gr_gid", "gr_mem"],
    n_in_sequence: 4,
};

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("getgrgid", getgrgid, "Return the group database entry for the given numeric group ID."),
    FunctionDef::new("getgrnam", getgrnam, "Return the group database entry for the given group name."),
    FunctionDef::new("getgrall", getgrall, "Return a list of all available group entries, in arbitrary order."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    modules::add_functions(vm, m, FUNCS)?;
    modules::add_attr(vm, m, "struct_group", record_type(vm))?;
    Ok(())
}

fn record_type(vm: &Vm) -> Obj {
    vm.native_type("grp.struct_group", |vm| new_structseq_type(vm, &STRUCT_GROUP))
}

struct Entry {
    name: Vec<u8>,
    passwd: Vec<u8>,
    gid: u32,
    members: Vec<Vec<u8>>,
}

fn copy_entry(g: &libc::group) -> Entry {
    let mut members = Vec::new();
    if !g.gr_mem.is_null() {
        let mut i = 0;
        loop {
            // SAFETY: `gr_mem` is a NULL-terminated array (module docs).
            let p = unsafe { *g.gr_mem.add(i) };
            if p.is_null() {
                break;
            }
            members.push(c_bytes(p));
            i += 1;
        }
    }
    Entry { name: c_bytes(g.gr_name), passwd: c_bytes(g.gr_passwd), gid: g.gr_gid, members }
}

fn record(vm: &Vm, e: Entry) -> PyResult<Obj> {
    let members = e.members.iter().map(|m| fs_decode(vm, m)).collect::<PyResult<Vec<_>>>()?;
    let values = vec![fs_decode(vm, &e.name)?, fs_decode(vm, &e.passwd)?, vm.int(e.gid as i64), new_list(vm, members)];
    Ok(new_structseq(vm, &record_type(vm), values))
}

fn getgrgid(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [gid] = exact::<1>(vm, "getgrgid", args, kw)?;
    let (gid, shown) = id_arg(vm, &gid, "gid")?;
    let found = gid.and_then(|gid| {
        // SAFETY: the pointers come from `lookup`'s live buffers (module docs).
        reentrant_lookup(|rec, buf, out| unsafe { libc::getgrgid_r(gid, rec, buf.as_mut_ptr(), buf.len(), out) }, copy_entry)
    });
    match found {
        Some(e) => record(vm, e),
        None if gid.is_none() => Err(vm.new_error(&vm.types.key_error, "getgrgid(): gid not found")),
        None => Err(vm.new_error(&vm.types.key_error, format!("getgrgid(): gid not found: {shown}"))),
    }
}

fn getgrnam(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name] = exact::<1>(vm, "getgrnam", args, kw)?;
    let c = name_arg(vm, &name, "getgrnam")?;
    // SAFETY: `c` is NUL-terminated and outlives the call; the other
    // pointers come from `lookup`'s live buffers (module docs).
    match reentrant_lookup(|rec, buf, out| unsafe { libc::getgrnam_r(c.as_ptr(), rec, buf.as_mut_ptr(), buf.len(), out) }, copy_entry) {
        Some(e) => record(vm, e),
        None => Err(name_not_found(vm, "getgrnam", &name)?),
    }
}

fn getgrall(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "grp.getgrall", args, kw)?;
    let mut entries = Vec::new();
    // SAFETY: the walk runs under the GIL; each record is copied before the
    // next `getgrent` (module docs).
    unsafe {
        libc::setgrent();
        loop {
            let p = libc::getgrent();
            if p.is_null() {
                break;
            }
            entries.push(copy_entry(&*p));
        }
        libc::endgrent();
    }
    let items = entries.into_iter().map(|e| record(vm, e)).collect::<PyResult<Vec<_>>>()?;
    Ok(new_list(vm, items))
}
