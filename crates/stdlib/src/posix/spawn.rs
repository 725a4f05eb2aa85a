//! `posix_spawn`/`posix_spawnp` (argument checking as CPython's
//! `parse_file_actions`/`parse_posix_spawn_flags`; the spawn is the C
//! library's, `sys::posix_spawn`) and the scheduler functions
//! (`sched_*`, `os.sched_param`).

use taipan_vm::native::{bind, exact, FunctionDef, Params};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{int_data, type_name, ListData, TupleData};
use taipan_vm::types::structseq::{new_structseq, new_structseq_type, StructSeqDesc};
use taipan_vm::types::Kwargs;
use taipan_vm::{modules, PyResult, Vm};

use super::process::{exec_argv, exec_env};
use super::sys::{self, SpawnAction, SpawnAttrs};
use super::{c_int_arg, err, float_obj, int_arg, os_error, path_arg};

/// Signals are numbered `1..NSIG`.
const NSIG: i64 = 65;

/// An int argument that must really be an integer (`__index__`), with
/// CPython's "'X' object cannot be interpreted as an integer".
fn strict_int(vm: &Vm, o: &Obj) -> PyResult<i64> {
    int_arg(vm, o)
}

/// A list of signal numbers from an iterable (`_Py_Sigset_Converter`).
fn signals_arg(vm: &Vm, o: &Obj) -> PyResult<Vec<i32>> {
    let items = taipan_vm::types::container::collect(vm, o)?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let i = taipan_vm::ops::index(vm, &item)?;
        let v = match int_data(&i) {
            Some(taipan_vm::types::builtin::IntData::Small(v)) => Some(*v),
            _ => None,
        };
        match v {
            Some(v) if (1..NSIG).contains(&v) => out.push(v as i32),
            _ => {
                let shown = taipan_vm::ops::repr(vm, &i)?;
                let shown = taipan_vm::types::builtin::str_data(&shown).as_str().to_string();
                return Err(vm.new_error(&vm.types.value_error, format!("signal number {shown} out of range [1; {}]", NSIG - 1)));
            }
        }
    }
    Ok(out)
}

fn items_of(o: &Obj) -> Option<Vec<Obj>> {
    if let Some(t) = o.downcast::<TupleData>() {
        return Some(t.items.to_vec());
    }
    o.downcast::<ListData>().map(|l| l.items.borrow().clone())
}

const SPAWN_OPEN: i64 = 0;
const SPAWN_CLOSE: i64 = 1;
const SPAWN_DUP2: i64 = 2;

fn file_actions_arg(vm: &Vm, fname: &str, o: &Obj) -> PyResult<Vec<SpawnAction>> {
    if o.is(&vm.none) {
        return Ok(Vec::new());
    }
    let seq = match items_of(o) {
        Some(items) => items,
        None => {
            if taipan_vm::types::lookup(&taipan_vm::types::type_of(o), "__getitem__").is_none() {
                return Err(vm.type_error("file_actions must be a sequence or None"));
            }
            taipan_vm::types::container::collect(vm, o)?
        }
    };
    let mut out = Vec::with_capacity(seq.len());
    for action in seq {
        let items = match items_of(&action) {
            Some(items) if !items.is_empty() => items,
            _ => return Err(vm.type_error("Each file_actions element must be a non-empty tuple")),
        };
        let tag = strict_int(vm, &items[0])?;
        let shape = |n: usize, what: &str| -> PyResult<()> {
            if items.len() != n {
                return Err(vm.type_error(format!("A {what} file_action tuple must have {n} elements")));
            }
            Ok(())
        };
        out.push(match tag {
            SPAWN_OPEN => {
                shape(5, "open")?;
                let fd = c_int_arg(vm, &items[1])?;
                let p = path_arg(vm, fname, "path", &items[2], false, false).map_err(|e| {
                    if taipan_vm::types::is_subtype(&taipan_vm::types::type_of(&e.exc), &vm.types.type_error) {
                        vm.type_error(format!("expected str, bytes or os.PathLike object, not {}", type_name(&items[2])))
                    } else {
                        vm.new_error(&vm.types.value_error, "embedded null byte")
                    }
                })?;
                let flags = c_int_arg(vm, &items[3])?;
                let mode = c_int_arg(vm, &items[4])?;
                SpawnAction::Open { fd, path: p.c, flags, mode: mode as u32 }
            }
            SPAWN_CLOSE => {
                shape(2, "close")?;
                SpawnAction::Close { fd: c_int_arg(vm, &items[1])? }
            }
            SPAWN_DUP2 => {
                shape(3, "dup2")?;
                SpawnAction::Dup2 { fd: c_int_arg(vm, &items[1])?, new_fd: c_int_arg(vm, &items[2])? }
            }
            _ => return Err(vm.type_error("Unknown file_actions identifier")),
        });
    }
    Ok(out)
}

fn spawn(vm: &Vm, fname: &'static str, args: &[Obj], kw: Kwargs, search_path: bool) -> PyResult<Obj> {
    static P: Params = Params {
        fname: "posix_spawn",
        names: &["path", "argv", "env", "file_actions", "setpgroup", "resetids", "setsid", "setsigmask", "setsigdef", "scheduler"],
        posonly: 3,
        kwonly: 7,
        required: 3,
    };
    static PP: Params = Params {
        fname: "posix_spawnp",
        names: &["path", "argv", "env", "file_actions", "setpgroup", "resetids", "setsid", "setsigmask", "setsigdef", "scheduler"],
        posonly: 3,
        kwonly: 7,
        required: 3,
    };
    let [path, argv, env, file_actions, setpgroup, resetids, setsid, setsigmask, setsigdef, scheduler] =
        bind::<10>(vm, if search_path { &PP } else { &P }, args, kw)?;
    let none = vm.none.clone();
    let path = path_arg(vm, fname, "path", path.as_ref().unwrap_or(&none), false, false)?;
    let argv = exec_argv(vm, argv.as_ref().unwrap_or(&none), fname)?;
    let env = exec_env(vm, env.as_ref().unwrap_or(&none), fname)?;
    let actions = match &file_actions {
        Some(fa) => file_actions_arg(vm, fname, fa)?,
        None => Vec::new(),
    };
    let mut attrs = SpawnAttrs::default();
    if let Some(pg) = &setpgroup {
        attrs.setpgroup = Some(strict_int(vm, pg)?);
    }
    if let Some(r) = &resetids {
        attrs.resetids = c_int_arg(vm, r)? != 0;
    }
    if let Some(s) = &setsid {
        attrs.setsid = c_int_arg(vm, s)? != 0;
    }
    if let Some(m) = &setsigmask {
        attrs.sigmask = Some(signals_arg(vm, m)?);
    }
    if let Some(d) = &setsigdef {
        attrs.sigdef = Some(signals_arg(vm, d)?);
    }
    if let Some(s) = &scheduler {
        let pair = s.downcast::<TupleData>().map(|t| t.items.to_vec()).filter(|t| t.len() == 2);
        let Some(pair) = pair else {
            return Err(vm.type_error(format!("{fname}() argument 'scheduler' must be a tuple of (policy, sched_param)")));
        };
        let policy = if pair[0].is(&vm.none) { None } else { Some(c_int_arg(vm, &pair[0])?) };
        if !taipan_vm::types::is_subtype(&taipan_vm::types::type_of(&pair[1]), &sched_param_type(vm)) {
            return Err(vm.type_error("must have a sched_param object"));
        }
        let prio = sched_priority_of(vm, &pair[1])?;
        attrs.scheduler = Some((policy, prio));
    }
    match sys::posix_spawn(&path.c, &argv, &env, &actions, &attrs, search_path) {
        Ok(pid) => Ok(vm.int(pid)),
        Err((e, true)) => Err(os_error(vm, e, Some(&path.obj), None)),
        Err((e, false)) => Err(os_error(vm, e, None, None)),
    }
}

fn posix_spawn(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    spawn(vm, "posix_spawn", args, kw, false)
}

fn posix_spawnp(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    spawn(vm, "posix_spawnp", args, kw, true)
}

// --------------------------------------------------------------- scheduler

static SCHED_PARAM: StructSeqDesc = StructSeqDesc {
    name: "posix.sched_param",
    doc: "sched_param(sched_priority)\n--\n\nCurrently has only one field: sched_priority\n\n  sched_priority\n    A scheduling parameter.",
    fields: &["sched_priority"],
    n_in_sequence: 1,
};

fn sched_param_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "sched_param", names: &["sched_priority"], posonly: 0, kwonly: 0, required: 1 };
    let [prio] = bind::<1>(vm, &P, args, kw)?;
    Ok(new_structseq(vm, cls, vec![prio.unwrap_or_else(|| vm.none.clone())]))
}

fn sched_param_type(vm: &Vm) -> Obj {
    vm.native_type("posix.sched_param", |vm| {
        let ty = new_structseq_type(vm, &SCHED_PARAM);
        let td = taipan_vm::types::type_data(&ty);
        let mut slots = td.slots.get();
        slots.new = Some(sched_param_new);
        td.slots.set(slots);
        ty
    })
}

fn sched_priority_of(vm: &Vm, param: &Obj) -> PyResult<i32> {
    let v = taipan_vm::sequence::getitem(vm, param, &vm.int(0))?;
    if int_data(&v).is_none() {
        return Err(vm.type_error("an integer is required"));
    }
    let v = int_arg(vm, &v)?;
    i32::try_from(v).map_err(|_| vm.new_error(&vm.types.overflow_error, "sched_priority out of range"))
}

fn sched_get_priority(vm: &Vm, args: &[Obj], kw: Kwargs, max: bool) -> PyResult<Obj> {
    static MIN: Params = Params { fname: "sched_get_priority_min", names: &["policy"], posonly: 0, kwonly: 0, required: 1 };
    static MAX: Params = Params { fname: "sched_get_priority_max", names: &["policy"], posonly: 0, kwonly: 0, required: 1 };
    let [policy] = bind::<1>(vm, if max { &MAX } else { &MIN }, args, kw)?;
    let policy = c_int_arg(vm, policy.as_ref().unwrap_or(&vm.none))?;
    Ok(vm.int(err(vm, sys::sched_priority(policy, max))? as i64))
}

fn sched_getscheduler(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [pid] = exact::<1>(vm, "sched_getscheduler", args, kw)?;
    Ok(vm.int(err(vm, sys::sched_getscheduler(int_arg(vm, &pid)?))? as i64))
}

fn sched_setscheduler(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [pid, policy, param] = exact::<3>(vm, "sched_setscheduler", args, kw)?;
    let (pid, policy) = (int_arg(vm, &pid)?, c_int_arg(vm, &policy)?);
    if !taipan_vm::types::is_subtype(&taipan_vm::types::type_of(&param), &sched_param_type(vm)) {
        return Err(vm.type_error(format!("sched_setscheduler() argument 3 must be posix.sched_param, not {}", type_name(&param))));
    }
    let prio = sched_priority_of(vm, &param)?;
    err(vm, sys::sched_setscheduler(pid, policy, prio))?;
    Ok(vm.none.clone())
}

fn sched_getparam(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [pid] = exact::<1>(vm, "sched_getparam", args, kw)?;
    let prio = err(vm, sys::sched_getparam(int_arg(vm, &pid)?))?;
    Ok(new_structseq(vm, &sched_param_type(vm), vec![vm.int(prio as i64)]))
}

fn sched_setparam(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [pid, param] = exact::<2>(vm, "sched_setparam", args, kw)?;
    let pid = int_arg(vm, &pid)?;
    if !taipan_vm::types::is_subtype(&taipan_vm::types::type_of(&param), &sched_param_type(vm)) {
        return Err(vm.type_error(format!("sched_setparam() argument 2 must be posix.sched_param, not {}", type_name(&param))));
    }
    let prio = sched_priority_of(vm, &param)?;
    err(vm, sys::sched_setparam(pid, prio))?;
    Ok(vm.none.clone())
}

fn sched_rr_get_interval(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [pid] = exact::<1>(vm, "sched_rr_get_interval", args, kw)?;
    Ok(float_obj(vm, err(vm, sys::sched_rr_get_interval(int_arg(vm, &pid)?))?))
}

fn sched_yield(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "sched_yield", args, kw)?;
    vm.allow_threads(sys::sched_yield);
    Ok(vm.none.clone())
}

fn sched_getaffinity(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [pid] = exact::<1>(vm, "sched_getaffinity", args, kw)?;
    let cpus = err(vm, sys::sched_getaffinity(int_arg(vm, &pid)?))?;
    let items = cpus.into_iter().map(|c| vm.int(c as i64)).collect();
    taipan_vm::types::set::new_set(vm, items)
}

fn sched_setaffinity(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [pid, mask] = exact::<2>(vm, "sched_setaffinity", args, kw)?;
    let pid = int_arg(vm, &pid)?;
    let items = taipan_vm::types::container::collect(vm, &mask)?;
    let mut cpus = Vec::with_capacity(items.len());
    for item in items {
        let i = taipan_vm::ops::index(vm, &item)?;
        let v = match int_data(&i) {
            Some(taipan_vm::types::builtin::IntData::Small(v)) => *v,
            _ => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C long")),
        };
        if v < 0 {
            return Err(vm.new_error(&vm.types.value_error, "negative CPU number"));
        }
        if v >= libc::CPU_SETSIZE as i64 {
            return Err(os_error(vm, libc::EINVAL, None, None));
        }
        cpus.push(v as usize);
    }
    err(vm, sys::sched_setaffinity(pid, &cpus))?;
    Ok(vm.none.clone())
}

pub static FUNCS: &[FunctionDef] = &[
    FunctionDef::new(
        "posix_spawn",
        posix_spawn,
        "posix_spawn($module, path, argv, env, /, *, file_actions=(),
            setpgroup=<unrepresentable>, resetids=False, setsid=False,
            setsigmask=(), setsigdef=(), scheduler=<unrepresentable>)\n--\n\nExecute the program specified by path in a new process.",
    ),
    FunctionDef::new(
        "posix_spawnp",
        posix_spawnp,
        "posix_spawnp($module, path, argv, env, /, *, file_actions=(),
             setpgroup=<unrepresentable>, resetids=False, setsid=False,
             setsigmask=(), setsigdef=(), scheduler=<unrepresentable>)\n--\n\nExecute the program specified by path in a new process.",
    ),
    FunctionDef::new(
        "sched_get_priority_min",
        |vm, a, kw| sched_get_priority(vm, a, kw, false),
        "Get the minimum scheduling priority for policy.",
    ),
    FunctionDef::new(
        "sched_get_priority_max",
        |vm, a, kw| sched_get_priority(vm, a, kw, true),
        "Get the maximum scheduling priority for policy.",
    ),
    FunctionDef::new(
        "sched_getscheduler",
        sched_getscheduler,
        "sched_getscheduler($module, pid, /)\n--\n\nGet the scheduling policy for the process identified by pid.",
    ),
    FunctionDef::new(
        "sched_setscheduler",
        sched_setscheduler,
        "sched_setscheduler($module, pid, policy, param, /)\n--\n\nSet the scheduling policy for the process identified by pid.",
    ),
    FunctionDef::new(
        "sched_getparam",
        sched_getparam,
        "sched_getparam($module, pid, /)\n--\n\nReturns scheduling parameters for the process identified by pid.",
    ),
    FunctionDef::new(
        "sched_setparam",
        sched_setparam,
        "sched_setparam($module, pid, param, /)\n--\n\nSet scheduling parameters for the process identified by pid.",
    ),
    FunctionDef::new(
        "sched_rr_get_interval",
        sched_rr_get_interval,
        "Return the round-robin quantum for the process identified by pid, in seconds.",
    ),
    FunctionDef::new("sched_yield", sched_yield, "sched_yield($module, /)\n--\n\nVoluntarily relinquish the CPU."),
    FunctionDef::new(
        "sched_getaffinity",
        sched_getaffinity,
        "Return the affinity of the process identified by pid (or the current process if zero).",
    ),
    FunctionDef::new(
        "sched_setaffinity",
        sched_setaffinity,
        "sched_setaffinity($module, pid, mask, /)\n--\n\nSet the CPU affinity of the process identified by pid to mask.",
    ),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    modules::add_attr(vm, m, "sched_param", sched_param_type(vm))?;
    for (name, v) in [
        ("POSIX_SPAWN_OPEN", SPAWN_OPEN),
        ("POSIX_SPAWN_CLOSE", SPAWN_CLOSE),
        ("POSIX_SPAWN_DUP2", SPAWN_DUP2),
        ("SCHED_OTHER", libc::SCHED_OTHER as i64),
        ("SCHED_FIFO", libc::SCHED_FIFO as i64),
        ("SCHED_RR", libc::SCHED_RR as i64),
        ("SCHED_BATCH", libc::SCHED_BATCH as i64),
        ("SCHED_IDLE", libc::SCHED_IDLE as i64),
        ("SCHED_RESET_ON_FORK", libc::SCHED_RESET_ON_FORK as i64),
    ] {
        modules::add_attr(vm, m, name, vm.int(v))?;
    }
    Ok(())
}
