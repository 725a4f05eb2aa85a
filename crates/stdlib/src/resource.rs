//! `resource`: process resource limits (`getrlimit`, `setrlimit`,
//! `prlimit`), usage (`getrusage` as `struct_rusage`) and the page size.
//!
//! # Safety
//!
//! Each unsafe block makes one libc call with a pointer to a local
//! `rlimit`/`rusage` that lives across the call (or a null pointer where
//! the call takes none); the kernel writes at most that structure.

use taipan_vm::native::{at_most, exact, FunctionDef};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::new_tuple;
use taipan_vm::types::structseq::{new_structseq, new_structseq_type, StructSeqDesc};
use taipan_vm::types::Kwargs;
use taipan_vm::{modules, PyResult, Vm};

use crate::posix::int_arg;

static STRUCT_RUSAGE: StructSeqDesc = StructSeqDesc {
    name: "resource.struct_rusage",
    doc: "struct_rusage: Result from getrusage.\n\nThis object may be accessed either as a tuple of\n    (utime,stime,maxrss,ixrss,idrss,isrss,minflt,majflt,\n    nswap,inblock,oublock,msgsnd,msgrcv,nsignals,nvcsw,nivcsw)\nor via the attributes ru_utime, ru_stime, ru_maxrss, and so on.",
    fields: &[
        "ru_utime", "ru_stime", "ru_maxrss", "ru_ixrss", "ru_idrss", "ru_isrss", "ru_minflt", "ru_majflt", "ru_nswap", "ru_inblock",
        "ru_oublock", "ru_msgsnd", "ru_msgrcv", "ru_nsignals", "ru_nvcsw", "ru_nivcsw",
    ],
    n_in_sequence: 16,
};

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("getrlimit", getrlimit, "Return the (soft, hard) limits of a resource."),
    FunctionDef::new("setrlimit", setrlimit, "Set the (soft, hard) limits of a resource."),
    FunctionDef::new("prlimit", prlimit, "prlimit(pid, resource, [limits]) -> (soft, hard)"),
    FunctionDef::new("getrusage", getrusage, "Return resource usage of the process, its children or the thread."),
    FunctionDef::new("getpagesize", getpagesize, "Return the system's page size in bytes."),
];

const RESOURCES: &[(&str, i64)] = &[
    ("RLIMIT_AS", libc::RLIMIT_AS as i64),
    ("RLIMIT_CORE", libc::RLIMIT_CORE as i64),
    ("RLIMIT_CPU", libc::RLIMIT_CPU as i64),
    ("RLIMIT_DATA", libc::RLIMIT_DATA as i64),
    ("RLIMIT_FSIZE", libc::RLIMIT_FSIZE as i64),
    ("RLIMIT_MEMLOCK", libc::RLIMIT_MEMLOCK as i64),
    ("RLIMIT_MSGQUEUE", libc::RLIMIT_MSGQUEUE as i64),
    ("RLIMIT_NICE", libc::RLIMIT_NICE as i64),
    ("RLIMIT_NOFILE", libc::RLIMIT_NOFILE as i64),
    ("RLIMIT_NPROC", libc::RLIMIT_NPROC as i64),
    ("RLIMIT_OFILE", libc::RLIMIT_NOFILE as i64),
    ("RLIMIT_RSS", libc::RLIMIT_RSS as i64),
    ("RLIMIT_RTPRIO", libc::RLIMIT_RTPRIO as i64),
    ("RLIMIT_RTTIME", libc::RLIMIT_RTTIME as i64),
    ("RLIMIT_SIGPENDING", libc::RLIMIT_SIGPENDING as i64),
    ("RLIMIT_STACK", libc::RLIMIT_STACK as i64),
    ("RUSAGE_CHILDREN", libc::RUSAGE_CHILDREN as i64),
    ("RUSAGE_SELF", libc::RUSAGE_SELF as i64),
    ("RUSAGE_THREAD", libc::RUSAGE_THREAD as i64),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    modules::add_functions(vm, m, FUNCS)?;
    for (name, v) in RESOURCES {
        modules::add_attr(vm, m, name, vm.int(*v))?;
    }
    // RLIM_INFINITY is an unsigned all-ones value; CPython shows it as -1.
    modules::add_attr(vm, m, "RLIM_INFINITY", vm.int(libc::RLIM_INFINITY as i64))?;
    modules::add_attr(vm, m, "error", vm.types.os_error.clone())?;
    modules::add_attr(vm, m, "struct_rusage", rusage_type(vm))?;
    Ok(())
}

fn rusage_type(vm: &Vm) -> Obj {
    vm.native_type("resource.struct_rusage", |vm| new_structseq_type(vm, &STRUCT_RUSAGE))
}

/// Linux's RLIM_NLIMITS: RLIMIT_RTTIME is the last resource.
const LIMIT_COUNT: i64 = libc::RLIMIT_RTTIME as i64 + 1;

fn resource_arg(vm: &Vm, o: &Obj) -> PyResult<i32> {
    let r = int_arg(vm, o)?;
    if !(0..LIMIT_COUNT).contains(&r) {
        return Err(vm.new_error(&vm.types.value_error, "invalid resource specified"));
    }
    Ok(r as i32)
}

fn os_err(vm: &Vm) -> taipan_vm::PyErr {
    let e = std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EINVAL);
    crate::posix::os_error(vm, e, None, None)
}

fn limits_obj(vm: &Vm, l: &libc::rlimit) -> Obj {
    new_tuple(vm, vec![vm.int(l.rlim_cur as i64), vm.int(l.rlim_max as i64)])
}

/// A `(soft, hard)` pair; -1 (RLIM_INFINITY) stays all ones.
fn limits_arg(vm: &Vm, o: &Obj) -> PyResult<libc::rlimit> {
    let items = taipan_vm::types::container::collect(vm, o)?;
    let [soft, hard] = items.as_slice() else {
        return Err(vm.new_error(&vm.types.value_error, "expected a tuple of 2 integers"));
    };
    Ok(libc::rlimit { rlim_cur: int_arg(vm, soft)? as libc::rlim_t, rlim_max: int_arg(vm, hard)? as libc::rlim_t })
}

fn setrlimit_error(vm: &Vm) -> taipan_vm::PyErr {
    let e = std::io::Error::last_os_error().raw_os_error().unwrap_or(libc::EINVAL);
    match e {
        libc::EINVAL => vm.new_error(&vm.types.value_error, "current limit exceeds maximum limit"),
        libc::EPERM => vm.new_error(&vm.types.value_error, "not allowed to raise maximum limit"),
        _ => os_err(vm),
    }
}

fn getrlimit(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [r] = exact::<1>(vm, "getrlimit", args, kw)?;
    let r = resource_arg(vm, &r)?;
    let mut l = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: `l` is a live rlimit (module docs).
    if unsafe { libc::getrlimit(r as _, &mut l) } != 0 {
        return Err(os_err(vm));
    }
    Ok(limits_obj(vm, &l))
}

fn setrlimit(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [r, limits] = exact::<2>(vm, "setrlimit", args, kw)?;
    let r = resource_arg(vm, &r)?;
    let l = limits_arg(vm, &limits)?;
    // SAFETY: `l` is a live rlimit (module docs).
    if unsafe { libc::setrlimit(r as _, &l) } != 0 {
        return Err(setrlimit_error(vm));
    }
    Ok(vm.none.clone())
}

fn prlimit(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [pid, r, limits] = at_most::<3>(vm, "prlimit", 2, args, kw)?;
    let none = vm.none.clone();
    let pid = int_arg(vm, pid.as_ref().unwrap_or(&none))? as libc::pid_t;
    let r = resource_arg(vm, r.as_ref().unwrap_or(&none))?;
    let new = limits.map(|l| limits_arg(vm, &l)).transpose()?;
    let mut old = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    let newp = new.as_ref().map_or(std::ptr::null(), |l| l as *const libc::rlimit);
    // SAFETY: `newp` is null or points to `new`; `old` is a live rlimit.
    if unsafe { libc::prlimit(pid, r as _, newp, &mut old) } != 0 {
        return Err(if new.is_some() { setrlimit_error(vm) } else { os_err(vm) });
    }
    Ok(limits_obj(vm, &old))
}

fn getrusage(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [who] = exact::<1>(vm, "getrusage", args, kw)?;
    let who = int_arg(vm, &who)? as i32;
    // SAFETY: all-zero is a valid rusage.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `u` is a live rusage (module docs).
    if unsafe { libc::getrusage(who, &mut u) } != 0 {
        return Err(vm.new_error(&vm.types.value_error, "invalid who parameter"));
    }
    let secs = |t: libc::timeval| taipan_vm::object::alloc(vm.types.float.clone(), t.tv_sec as f64 + t.tv_usec as f64 * 1e-6);
    let values = vec![
        secs(u.ru_utime),
        secs(u.ru_stime),
        vm.int(u.ru_maxrss),
        vm.int(u.ru_ixrss),
        vm.int(u.ru_idrss),
        vm.int(u.ru_isrss),
        vm.int(u.ru_minflt),
        vm.int(u.ru_majflt),
        vm.int(u.ru_nswap),
        vm.int(u.ru_inblock),
        vm.int(u.ru_oublock),
        vm.int(u.ru_msgsnd),
        vm.int(u.ru_msgrcv),
        vm.int(u.ru_nsignals),
        vm.int(u.ru_nvcsw),
        vm.int(u.ru_nivcsw),
    ];
    Ok(new_structseq(vm, &rusage_type(vm), values))
}

fn getpagesize(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "getpagesize", args, kw)?;
    // SAFETY: no pointers.
    Ok(vm.int(unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as i64))
}
