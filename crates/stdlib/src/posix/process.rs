//! Processes: ids and credentials, `environ`/`putenv`/`unsetenv`, `fork`
//! and `register_at_fork`, `execv`/`execve`, `waitpid` and the wait-status
//! functions, `kill`, `uname`, `times`, `sysconf`/`confstr`, `urandom`,
//! `strerror`, `cpu_count`.

use std::cell::RefCell;
use std::os::unix::ffi::OsStrExt;

use taipan_vm::classes::call_object;
use taipan_vm::native::{bind, exact, FunctionDef, Params};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{
    dict_items, dict_set, new_bytes, new_dict, new_list, new_str, new_tuple, str_data, type_name, DictData, ListData, StrData, TupleData,
};
use taipan_vm::types::structseq::{new_structseq, new_structseq_type, StructSeqDesc};
use taipan_vm::types::Kwargs;
use taipan_vm::{modules, PyResult, Vm};

use super::sys;
use super::{c_int_arg, cstring, err, float_obj, fs_bytes_arg, fs_decode, int_arg, os_error, path_arg};

// -------------------------------------------------------------- ids, info

fn id_fn(vm: &Vm, fname: &str, i: usize, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, fname, args, kw)?;
    Ok(vm.int(sys::ids()[i]))
}

fn getgroups(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "getgroups", args, kw)?;
    let groups = err(vm, sys::getgroups())?;
    Ok(new_list(vm, groups.into_iter().map(|g| vm.int(g as i64)).collect()))
}

fn getlogin(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "getlogin", args, kw)?;
    let name = err(vm, sys::getlogin())?;
    fs_decode(vm, &name)
}

static UNAME_RESULT: StructSeqDesc = StructSeqDesc {
    name: "posix.uname_result",
    doc: "uname_result: Result from os.uname().\n\nThis object may be accessed either as a tuple of\n  (sysname, nodename, release, version, machine),\nor via the attributes sysname, nodename, release, version, and machine.\n\nSee os.uname for more information.",
    fields: &["sysname", "nodename", "release", "version", "machine"],
    n_in_sequence: 5,
};

static TIMES_RESULT: StructSeqDesc = StructSeqDesc {
    name: "posix.times_result",
    doc: "times_result: Result from os.times().\n\nThis object may be accessed either as a tuple of\n  (user, system, children_user, children_system, elapsed),\nor via the attributes user, system, children_user, children_system,\nand elapsed.\n\nSee os.times for more information.",
    fields: &["user", "system", "children_user", "children_system", "elapsed"],
    n_in_sequence: 5,
};

fn uname_type(vm: &Vm) -> Obj {
    vm.native_type("posix.uname_result", |vm| new_structseq_type(vm, &UNAME_RESULT))
}

fn times_type(vm: &Vm) -> Obj {
    vm.native_type("posix.times_result", |vm| new_structseq_type(vm, &TIMES_RESULT))
}

fn uname(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "uname", args, kw)?;
    let parts = err(vm, sys::uname())?;
    let values = parts.iter().map(|p| fs_decode(vm, p)).collect::<PyResult<Vec<_>>>()?;
    Ok(new_structseq(vm, &uname_type(vm), values))
}

fn times(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "times", args, kw)?;
    let t = err(vm, sys::times())?;
    Ok(new_structseq(vm, &times_type(vm), t.iter().map(|&v| float_obj(vm, v)).collect()))
}

fn umask(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [mask] = exact::<1>(vm, "umask", args, kw)?;
    Ok(vm.int(sys::umask(c_int_arg(vm, &mask)? as u32) as i64))
}

fn kill(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [pid, sig] = exact::<2>(vm, "kill", args, kw)?;
    err(vm, sys::kill(int_arg(vm, &pid)?, c_int_arg(vm, &sig)?))?;
    Ok(vm.none.clone())
}

fn killpg(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [pid, sig] = exact::<2>(vm, "killpg", args, kw)?;
    err(vm, sys::killpg(int_arg(vm, &pid)?, c_int_arg(vm, &sig)?))?;
    Ok(vm.none.clone())
}

fn pgid_fn(vm: &Vm, which: &'static str, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let r = match which {
        "getpgid" | "getsid" => {
            let [pid] = exact::<1>(vm, which, args, kw)?;
            sys::pgid_call(which, int_arg(vm, &pid)?, 0)
        }
        "setpgid" => {
            let [pid, pgrp] = exact::<2>(vm, which, args, kw)?;
            sys::pgid_call(which, int_arg(vm, &pid)?, int_arg(vm, &pgrp)?)
        }
        "setpgrp" => {
            exact::<0>(vm, which, args, kw)?;
            sys::pgid_call("setpgid", 0, 0)
        }
        _ => {
            exact::<0>(vm, which, args, kw)?;
            sys::pgid_call("setsid", 0, 0)
        }
    };
    let r = err(vm, r)?;
    Ok(if matches!(which, "getpgid" | "getsid") { vm.int(r) } else { vm.none.clone() })
}

fn cpu_count(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "cpu_count", args, kw)?;
    Ok(match sys::sysconf(libc::_SC_NPROCESSORS_ONLN) {
        Ok(n) if n >= 1 => vm.int(n),
        _ => vm.none.clone(),
    })
}

fn urandom(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [n] = exact::<1>(vm, "urandom", args, kw)?;
    let n = int_arg(vm, &n)?;
    if n < 0 {
        return Err(vm.new_error(&vm.types.value_error, "negative argument not allowed"));
    }
    let mut buf = vec![0u8; n as usize];
    let r = std::fs::File::open("/dev/urandom").and_then(|mut f| std::io::Read::read_exact(&mut f, &mut buf));
    r.map_err(|e| os_error(vm, e.raw_os_error().unwrap_or(libc::EIO), None, None))?;
    Ok(new_bytes(vm, buf))
}

fn strerror(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [code] = exact::<1>(vm, "strerror", args, kw)?;
    Ok(new_str(vm, &sys::strerror(c_int_arg(vm, &code)?)))
}

fn getloadavg(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "getloadavg", args, kw)?;
    match sys::getloadavg() {
        Some(l) => Ok(new_tuple(vm, l.iter().map(|&v| float_obj(vm, v)).collect())),
        None => Err(vm.new_error(&vm.types.os_error, "Load averages are unobtainable")),
    }
}

// ---------------------------------------------------- sysconf and confstr

static SYSCONF_NAMES: &[(&str, i32)] = &[
    ("SC_ARG_MAX", libc::_SC_ARG_MAX),
    ("SC_CHILD_MAX", libc::_SC_CHILD_MAX),
    ("SC_CLK_TCK", libc::_SC_CLK_TCK),
    ("SC_NGROUPS_MAX", libc::_SC_NGROUPS_MAX),
    ("SC_OPEN_MAX", libc::_SC_OPEN_MAX),
    ("SC_PAGESIZE", libc::_SC_PAGESIZE),
    ("SC_PAGE_SIZE", libc::_SC_PAGE_SIZE),
    ("SC_NPROCESSORS_CONF", libc::_SC_NPROCESSORS_CONF),
    ("SC_NPROCESSORS_ONLN", libc::_SC_NPROCESSORS_ONLN),
    ("SC_PHYS_PAGES", libc::_SC_PHYS_PAGES),
    ("SC_AVPHYS_PAGES", libc::_SC_AVPHYS_PAGES),
    ("SC_IOV_MAX", libc::_SC_IOV_MAX),
    ("SC_LINE_MAX", libc::_SC_LINE_MAX),
    ("SC_HOST_NAME_MAX", libc::_SC_HOST_NAME_MAX),
    ("SC_LOGIN_NAME_MAX", libc::_SC_LOGIN_NAME_MAX),
    ("SC_TTY_NAME_MAX", libc::_SC_TTY_NAME_MAX),
    ("SC_SYMLOOP_MAX", libc::_SC_SYMLOOP_MAX),
    ("SC_GETPW_R_SIZE_MAX", libc::_SC_GETPW_R_SIZE_MAX),
    ("SC_GETGR_R_SIZE_MAX", libc::_SC_GETGR_R_SIZE_MAX),
    ("SC_STREAM_MAX", libc::_SC_STREAM_MAX),
    ("SC_TZNAME_MAX", libc::_SC_TZNAME_MAX),
    ("SC_VERSION", libc::_SC_VERSION),
    ("SC_SEM_NSEMS_MAX", libc::_SC_SEM_NSEMS_MAX),
    ("SC_THREAD_STACK_MIN", libc::_SC_THREAD_STACK_MIN),
    ("SC_MINSIGSTKSZ", 249),
];

static CONFSTR_NAMES: &[(&str, i32)] = &[("CS_PATH", libc::_CS_PATH), ("CS_GNU_LIBC_VERSION", 2), ("CS_GNU_LIBPTHREAD_VERSION", 3)];

/// A configuration name: an int, or a key of `table`.
pub(super) fn conf_name(vm: &Vm, o: &Obj, table: &[(&str, i32)]) -> PyResult<i32> {
    if taipan_vm::types::builtin::int_data(o).is_some() {
        return c_int_arg(vm, o);
    }
    if o.downcast::<StrData>().is_some() {
        let s = str_data(o).as_str();
        return match table.iter().find(|(n, _)| *n == s) {
            Some(&(_, v)) => Ok(v),
            None => Err(vm.new_error(&vm.types.value_error, "unrecognized configuration name")),
        };
    }
    Err(vm.type_error("configuration names must be strings or integers"))
}

fn sysconf(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name] = exact::<1>(vm, "sysconf", args, kw)?;
    let n = conf_name(vm, &name, SYSCONF_NAMES)?;
    Ok(vm.int(err(vm, sys::sysconf(n))?))
}

fn confstr(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name] = exact::<1>(vm, "confstr", args, kw)?;
    let n = conf_name(vm, &name, CONFSTR_NAMES)?;
    match err(vm, sys::confstr(n))? {
        Some(v) => fs_decode(vm, &v),
        None => Ok(vm.none.clone()),
    }
}

pub(super) fn names_dict(vm: &Vm, table: &[(&str, i32)]) -> PyResult<Obj> {
    let d = new_dict(vm);
    for &(name, v) in table {
        dict_set(vm, &d, new_str(vm, name), vm.int(v as i64))?;
    }
    Ok(d)
}

// ------------------------------------------------------------ environment

/// `posix.environ`: the environment at start-up, bytes to bytes.
fn environ(vm: &Vm) -> PyResult<Obj> {
    let d = new_dict(vm);
    for (k, v) in std::env::vars_os() {
        dict_set(vm, &d, new_bytes(vm, k.as_bytes().to_vec()), new_bytes(vm, v.as_bytes().to_vec()))?;
    }
    Ok(d)
}

fn env_key(vm: &Vm, o: &Obj) -> PyResult<std::ffi::CString> {
    let k = fs_bytes_arg(vm, o)?;
    if k.contains(&b'=') {
        return Err(vm.new_error(&vm.types.value_error, "illegal environment variable name"));
    }
    cstring(vm, k)
}

fn putenv(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key, value] = exact::<2>(vm, "putenv", args, kw)?;
    let k = env_key(vm, &key)?;
    let v = cstring(vm, fs_bytes_arg(vm, &value)?)?;
    err(vm, sys::setenv(&k, &v))?;
    Ok(vm.none.clone())
}

fn unsetenv(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key] = exact::<1>(vm, "unsetenv", args, kw)?;
    let k = env_key(vm, &key)?;
    err(vm, sys::unsetenv(&k))?;
    Ok(vm.none.clone())
}

// ------------------------------------------------------------------- fork

/// Callables registered with `register_at_fork`.
#[derive(Default)]
struct ForkHooks {
    before: RefCell<Vec<Obj>>,
    after_in_child: RefCell<Vec<Obj>>,
    after_in_parent: RefCell<Vec<Obj>>,
}

fn register_at_fork(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params =
        Params { fname: "register_at_fork", names: &["before", "after_in_child", "after_in_parent"], posonly: 0, kwonly: 3, required: 0 };
    let given = bind::<3>(vm, &P, args, kw)?;
    if given.iter().all(|g| g.is_none()) {
        return Err(vm.type_error("At least one argument is required."));
    }
    // An explicit None is not callable (CPython's defaults are NULL).
    for (name, g) in P.names.iter().zip(&given) {
        if let Some(g) = g.as_ref() {
            if taipan_vm::types::type_data_of(g).slots.get().call.is_none() && g.downcast::<taipan_vm::function::FunctionData>().is_none() {
                return Err(vm.type_error(format!("'{name}' must be callable, not {}", type_name(g))));
            }
        }
    }
    let hooks = vm.state::<ForkHooks>();
    let lists = [&hooks.before, &hooks.after_in_child, &hooks.after_in_parent];
    for (list, g) in lists.iter().zip(given) {
        if let Some(g) = g {
            list.borrow_mut().push(g);
        }
    }
    Ok(vm.none.clone())
}

fn run_hooks(vm: &Vm, hooks: Vec<Obj>) {
    for h in hooks {
        if let Err(e) = call_object(vm, &h, &[]) {
            taipan_vm::gc::report_unraisable(vm, e, Some(&h));
        }
    }
}

/// Forks the interpreter, running the `register_at_fork` callables.
pub fn fork_with_hooks(vm: &Vm) -> PyResult<i64> {
    fork_using(vm, sys::fork)
}

/// Runs a fork primitive (`fork`, `forkpty`) with the `register_at_fork`
/// hooks around it and the GIL's state reset in the child.
fn fork_using(vm: &Vm, fork: impl FnOnce() -> sys::SysResult<i64>) -> PyResult<i64> {
    let hooks = vm.state::<ForkHooks>();
    let mut before = hooks.before.borrow().clone();
    before.reverse();
    run_hooks(vm, before);
    let pid = vm.fork_process(fork);
    match pid {
        Ok(0) => run_hooks(vm, hooks.after_in_child.borrow().clone()),
        _ => run_hooks(vm, hooks.after_in_parent.borrow().clone()),
    }
    err(vm, pid)
}

fn forkpty(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "forkpty", args, kw)?;
    let mut master = -1;
    let pid = fork_using(vm, || {
        sys::forkpty().map(|(pid, fd)| {
            master = fd;
            pid
        })
    })?;
    Ok(new_tuple(vm, vec![vm.int(pid), vm.int(master as i64)]))
}

fn ctermid(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "ctermid", args, kw)?;
    fs_decode(vm, &sys::ctermid())
}

fn fork(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "fork", args, kw)?;
    Ok(vm.int(fork_with_hooks(vm)?))
}

// ------------------------------------------------------------------- exec

/// The items of a list or tuple argument.
fn seq_items(o: &Obj) -> Option<Vec<Obj>> {
    if let Some(t) = o.downcast::<TupleData>() {
        return Some(t.items.to_vec());
    }
    o.downcast::<ListData>().map(|l| l.items.borrow().clone())
}

/// `argv` for `exec*` and `posix_spawn*` (`execv` has messages of its
/// own; the others start with `fname`).
pub(super) fn exec_argv(vm: &Vm, argv: &Obj, fname: &str) -> PyResult<Vec<std::ffi::CString>> {
    let (not_seq, empty, first) = if fname == "execv" {
        (
            "execv() arg 2 must be a tuple or list".to_string(),
            "execv() arg 2 must not be empty".to_string(),
            "execv() arg 2 first element cannot be empty".to_string(),
        )
    } else {
        (
            format!("{fname}: argv must be a tuple or list"),
            format!("{fname}: argv must not be empty"),
            format!("{fname}: argv first element cannot be empty"),
        )
    };
    let Some(items) = seq_items(argv) else { return Err(vm.type_error(not_seq)) };
    if items.is_empty() {
        return Err(vm.new_error(&vm.types.value_error, empty));
    }
    let args = items.iter().map(|a| fs_bytes_arg(vm, a).and_then(|b| cstring(vm, b))).collect::<PyResult<Vec<_>>>()?;
    if args[0].as_bytes().is_empty() {
        return Err(vm.new_error(&vm.types.value_error, first));
    }
    Ok(args)
}

/// `KEY=VALUE` strings from a mapping (`execve`, `posix_spawn`; `fork_exec`
/// callers pass lists already encoded).
pub(super) fn exec_env(vm: &Vm, env: &Obj, fname: &str) -> PyResult<Vec<std::ffi::CString>> {
    let items: Vec<(Obj, Obj)> = if env.downcast::<DictData>().is_some() {
        dict_items(env)
    } else {
        let Some(keys) = super::attr(vm, env, "keys")? else {
            return Err(vm.type_error(format!("{fname}: environment must be a mapping object")));
        };
        let keys = call_object(vm, &keys, &[])?;
        let keys = taipan_vm::types::container::collect(vm, &keys)?;
        let mut out = Vec::new();
        for k in keys {
            let v = taipan_vm::sequence::getitem(vm, env, &k)?;
            out.push((k, v));
        }
        out
    };
    let mut out = Vec::with_capacity(items.len());
    for (k, v) in items {
        let mut kb = fs_bytes_arg(vm, &k)?;
        if kb.is_empty() || kb.contains(&b'=') {
            return Err(vm.new_error(&vm.types.value_error, "illegal environment variable name"));
        }
        kb.push(b'=');
        kb.extend(fs_bytes_arg(vm, &v)?);
        out.push(cstring(vm, kb)?);
    }
    Ok(out)
}

fn execv(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [path, argv] = exact::<2>(vm, "execv", args, kw)?;
    let p = path_arg(vm, "execv", "path", &path, false, false)?;
    let argv = exec_argv(vm, &argv, "execv")?;
    let e = sys::exec(&p.c, &argv, None);
    Err(os_error(vm, e, None, None))
}

fn execve(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "execve", names: &["path", "argv", "env"], posonly: 0, kwonly: 0, required: 3 };
    let [path, argv, env] = bind::<3>(vm, &P, args, kw)?;
    let p = path_arg(vm, "execve", "path", path.as_ref().unwrap_or(&vm.none), true, false)?;
    let argv = exec_argv(vm, argv.as_ref().unwrap_or(&vm.none), "execve")?;
    let env = exec_env(vm, env.as_ref().unwrap_or(&vm.none), "execve")?;
    let e = match p.fd {
        Some(fd) => sys::fexec(fd, &argv, &env),
        None => sys::exec(&p.c, &argv, Some(&env)),
    };
    Err(os_error(vm, e, Some(&p.obj), None))
}

fn abort(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "abort", args, kw)?;
    sys::abort()
}

fn exit_now(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "_exit", names: &["status"], posonly: 0, kwonly: 0, required: 1 };
    let [status] = bind::<1>(vm, &P, args, kw)?;
    let status = c_int_arg(vm, status.as_ref().unwrap_or(&vm.none))?;
    sys::exit_now(status)
}

// ------------------------------------------------------------- credentials

/// A uid/gid argument (`_Py_Uid_Converter`): -1 stands for "unchanged".
fn id_arg(vm: &Vm, o: &Obj, what: &str) -> PyResult<u32> {
    if taipan_vm::types::builtin::int_data(o).is_none() && taipan_vm::types::lookup(&taipan_vm::types::type_of(o), "__index__").is_none() {
        return Err(vm.type_error(format!("{what} should be integer, not {}", type_name(o))));
    }
    let i = taipan_vm::ops::index(vm, o)?;
    match taipan_vm::types::builtin::int_data(&i) {
        Some(taipan_vm::types::builtin::IntData::Small(-1)) => Ok(u32::MAX),
        Some(taipan_vm::types::builtin::IntData::Small(v)) if (0..u32::MAX as i64).contains(v) => Ok(*v as u32),
        Some(taipan_vm::types::builtin::IntData::Small(v)) if *v > 0 => {
            Err(vm.new_error(&vm.types.overflow_error, format!("{what} is greater than maximum")))
        }
        _ => Err(vm.new_error(&vm.types.overflow_error, format!("{what} is less than minimum"))),
    }
}

fn set_ids(vm: &Vm, fname: &'static str, n: usize, what: &str, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if !kw.is_empty() {
        return Err(vm.type_error(format!("{fname}() takes no keyword arguments")));
    }
    if args.len() != n {
        let msg = if n == 1 {
            format!("{fname}() takes exactly one argument ({} given)", args.len())
        } else {
            format!("{fname} expected {n} arguments, got {}", args.len())
        };
        return Err(vm.type_error(msg));
    }
    let mut ids = [u32::MAX; 3];
    for (i, a) in args.iter().enumerate() {
        ids[i] = id_arg(vm, a, what)?;
    }
    err(vm, sys::set_ids(fname, ids[0], ids[1], ids[2]))?;
    Ok(vm.none.clone())
}

fn getres(vm: &Vm, fname: &str, gid: bool, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, fname, args, kw)?;
    let ids = err(vm, sys::getres(gid))?;
    Ok(new_tuple(vm, ids.iter().map(|&i| vm.int(i as i64)).collect()))
}

fn setgroups(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [groups] = exact::<1>(vm, "setgroups", args, kw)?;
    let Some(items) = seq_items(&groups).or_else(|| {
        let ty = taipan_vm::types::type_of(&groups);
        taipan_vm::types::lookup(&ty, "__getitem__").and_then(|_| taipan_vm::types::container::collect(vm, &groups).ok())
    }) else {
        return Err(vm.type_error("setgroups argument must be a sequence"));
    };
    let mut gids = Vec::with_capacity(items.len());
    for g in &items {
        if taipan_vm::types::builtin::int_data(g).is_none()
            && taipan_vm::types::lookup(&taipan_vm::types::type_of(g), "__index__").is_none()
        {
            return Err(vm.type_error("groups must be integers"));
        }
        gids.push(id_arg(vm, g, "gid")?);
    }
    err(vm, sys::setgroups(&gids))?;
    Ok(vm.none.clone())
}

fn initgroups(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [user, gid] = exact::<2>(vm, "initgroups", args, kw)?;
    let user = cstring(vm, fs_bytes_arg(vm, &user)?)?;
    let gid = id_arg(vm, &gid, "gid")?;
    err(vm, sys::initgroups(&user, gid))?;
    Ok(vm.none.clone())
}

fn getgrouplist(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [user, gid] = exact::<2>(vm, "getgrouplist", args, kw)?;
    if user.downcast::<StrData>().is_none() {
        return Err(vm.type_error(format!("getgrouplist() argument 1 must be str, not {}", type_name(&user))));
    }
    let user = cstring(vm, super::fs_encode(vm, &user)?)?;
    let gid = id_arg(vm, &gid, "gid")?;
    let groups = err(vm, sys::getgrouplist(&user, gid))?;
    Ok(new_list(vm, groups.into_iter().map(|g| vm.int(g as i64)).collect()))
}

fn getpriority(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "getpriority", names: &["which", "who"], posonly: 0, kwonly: 0, required: 2 };
    let [which, who] = bind::<2>(vm, &P, args, kw)?;
    let none = vm.none.clone();
    let which = c_int_arg(vm, which.as_ref().unwrap_or(&none))?;
    let who = int_arg(vm, who.as_ref().unwrap_or(&none))?;
    Ok(vm.int(err(vm, sys::priority(which, who, None))? as i64))
}

fn setpriority(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "setpriority", names: &["which", "who", "priority"], posonly: 0, kwonly: 0, required: 3 };
    let [which, who, prio] = bind::<3>(vm, &P, args, kw)?;
    let none = vm.none.clone();
    let which = c_int_arg(vm, which.as_ref().unwrap_or(&none))?;
    let who = int_arg(vm, who.as_ref().unwrap_or(&none))?;
    let prio = c_int_arg(vm, prio.as_ref().unwrap_or(&none))?;
    err(vm, sys::priority(which, who, Some(prio)))?;
    Ok(vm.none.clone())
}

fn nice(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [inc] = exact::<1>(vm, "nice", args, kw)?;
    Ok(vm.int(err(vm, sys::nice(c_int_arg(vm, &inc)?))? as i64))
}

// ------------------------------------------------------------ device numbers

fn dev_arg(vm: &Vm, o: &Obj) -> PyResult<u64> {
    let i = taipan_vm::ops::index(vm, o)?;
    match taipan_vm::types::builtin::int_data(&i) {
        Some(taipan_vm::types::builtin::IntData::Small(v)) if *v >= 0 => Ok(*v as u64),
        Some(taipan_vm::types::builtin::IntData::Small(_)) => {
            Err(vm.new_error(&vm.types.overflow_error, "can't convert negative int to unsigned"))
        }
        _ => match taipan_vm::types::builtin::int_data(&i) {
            Some(taipan_vm::types::builtin::IntData::Big(b)) => {
                u64::try_from(b).map_err(|_| vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C unsigned long"))
            }
            _ => Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C unsigned long")),
        },
    }
}

/// glibc's `major`/`minor`/`makedev` encoding.
fn dev_major(dev: u64) -> u64 {
    ((dev >> 32) & 0xffff_f000) | ((dev >> 8) & 0xfff)
}

fn dev_minor(dev: u64) -> u64 {
    ((dev >> 12) & 0xffff_ff00) | (dev & 0xff)
}

fn dev_make(major: u64, minor: u64) -> u64 {
    ((major & 0xffff_f000) << 32) | ((major & 0xfff) << 8) | ((minor & 0xffff_ff00) << 12) | (minor & 0xff)
}

fn major(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [dev] = exact::<1>(vm, "major", args, kw)?;
    Ok(vm.int(dev_major(dev_arg(vm, &dev)?) as i64))
}

fn minor(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [dev] = exact::<1>(vm, "minor", args, kw)?;
    Ok(vm.int(dev_minor(dev_arg(vm, &dev)?) as i64))
}

fn makedev(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [ma, mi] = exact::<2>(vm, "makedev", args, kw)?;
    let (ma, mi) = (c_int_arg(vm, &ma)?, c_int_arg(vm, &mi)?);
    Ok(super::u64_obj(vm, dev_make(ma as u32 as u64, mi as u32 as u64)))
}

// ------------------------------------------------------------------ waitid

static WAITID_RESULT: StructSeqDesc = StructSeqDesc {
    name: "posix.waitid_result",
    doc: "waitid_result: Result from waitid.\n\nThis object may be accessed either as a tuple of\n  (si_pid, si_uid, si_signo, si_status, si_code),\nor via the attributes si_pid, si_uid, and so on.\n\nSee os.waitid for more information.",
    fields: &["si_pid", "si_uid", "si_signo", "si_status", "si_code"],
    n_in_sequence: 5,
};

fn waitid_type(vm: &Vm) -> Obj {
    vm.native_type("posix.waitid_result", |vm| new_structseq_type(vm, &WAITID_RESULT))
}

fn waitid(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [idtype, id, options] = exact::<3>(vm, "waitid", args, kw)?;
    let (idtype, id, options) = (c_int_arg(vm, &idtype)?, int_arg(vm, &id)?, c_int_arg(vm, &options)?);
    match err(vm, vm.allow_threads(|| sys::waitid(idtype, id, options)))? {
        None => Ok(vm.none.clone()),
        Some(v) => Ok(new_structseq(vm, &waitid_type(vm), v.iter().map(|&x| vm.int(x)).collect())),
    }
}

// ------------------------------------------------------------------- wait

fn waitpid(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [pid, options] = exact::<2>(vm, "waitpid", args, kw)?;
    let (pid, options) = (int_arg(vm, &pid)?, c_int_arg(vm, &options)?);
    let (pid, status) = err(vm, taipan_vm::signals::retry_eintr(vm, || sys::waitpid(pid, options))?)?;
    Ok(new_tuple(vm, vec![vm.int(pid), vm.int(status as i64)]))
}

fn wait(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "wait", args, kw)?;
    let (pid, status) = err(vm, taipan_vm::signals::retry_eintr(vm, || sys::waitpid(-1, 0))?)?;
    Ok(new_tuple(vm, vec![vm.int(pid), vm.int(status as i64)]))
}

fn status_arg(vm: &Vm, fname: &'static str, args: &[Obj], kw: Kwargs) -> PyResult<i32> {
    let p: &'static Params = match fname {
        "WIFEXITED" => &Params { fname: "WIFEXITED", names: &["status"], posonly: 0, kwonly: 0, required: 1 },
        "WEXITSTATUS" => &Params { fname: "WEXITSTATUS", names: &["status"], posonly: 0, kwonly: 0, required: 1 },
        "WIFSIGNALED" => &Params { fname: "WIFSIGNALED", names: &["status"], posonly: 0, kwonly: 0, required: 1 },
        "WTERMSIG" => &Params { fname: "WTERMSIG", names: &["status"], posonly: 0, kwonly: 0, required: 1 },
        "WIFSTOPPED" => &Params { fname: "WIFSTOPPED", names: &["status"], posonly: 0, kwonly: 0, required: 1 },
        "WSTOPSIG" => &Params { fname: "WSTOPSIG", names: &["status"], posonly: 0, kwonly: 0, required: 1 },
        "WCOREDUMP" => &Params { fname: "WCOREDUMP", names: &["status"], posonly: 0, kwonly: 0, required: 1 },
        "WIFCONTINUED" => &Params { fname: "WIFCONTINUED", names: &["status"], posonly: 0, kwonly: 0, required: 1 },
        _ => &Params { fname: "waitstatus_to_exitcode", names: &["status"], posonly: 0, kwonly: 0, required: 1 },
    };
    let [s] = bind::<1>(vm, p, args, kw)?;
    c_int_arg(vm, s.as_ref().unwrap_or(&vm.none))
}

macro_rules! wait_macros {
    ($($name:ident = $fname:literal, $f:expr, $bool:expr;)*) => {
        $(fn $name(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
            let s = status_arg(vm, $fname, args, kw)?;
            let f: fn(i32) -> i32 = $f;
            let v = f(s);
            Ok(if $bool { vm.bool(v != 0) } else { vm.int(v as i64) })
        })*
    };
}

wait_macros! {
    wifexited = "WIFEXITED", |s| libc::WIFEXITED(s) as i32, true;
    wexitstatus = "WEXITSTATUS", |s| libc::WEXITSTATUS(s), false;
    wifsignaled = "WIFSIGNALED", |s| libc::WIFSIGNALED(s) as i32, true;
    wtermsig = "WTERMSIG", |s| libc::WTERMSIG(s), false;
    wifstopped = "WIFSTOPPED", |s| libc::WIFSTOPPED(s) as i32, true;
    wstopsig = "WSTOPSIG", |s| libc::WSTOPSIG(s), false;
    wcoredump = "WCOREDUMP", |s| libc::WCOREDUMP(s) as i32, true;
    wifcontinued = "WIFCONTINUED", |s| libc::WIFCONTINUED(s) as i32, true;
}

fn waitstatus_to_exitcode(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let s = status_arg(vm, "waitstatus_to_exitcode", args, kw)?;
    if libc::WIFEXITED(s) {
        return Ok(vm.int(libc::WEXITSTATUS(s) as i64));
    }
    if libc::WIFSIGNALED(s) {
        return Ok(vm.int(-(libc::WTERMSIG(s) as i64)));
    }
    if libc::WIFSTOPPED(s) {
        return Err(vm.new_error(&vm.types.value_error, format!("process stopped by delivery of signal {}", libc::WSTOPSIG(s))));
    }
    Err(vm.new_error(&vm.types.value_error, format!("invalid wait status: {s}")))
}

pub static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("getpid", |vm, a, kw| id_fn(vm, "getpid", 0, a, kw), "Return the current process id."),
    FunctionDef::new("getppid", |vm, a, kw| id_fn(vm, "getppid", 1, a, kw), "Return the parent's process id."),
    FunctionDef::new("getuid", |vm, a, kw| id_fn(vm, "getuid", 2, a, kw), "Return the current process's user id."),
    FunctionDef::new("geteuid", |vm, a, kw| id_fn(vm, "geteuid", 3, a, kw), "Return the current process's effective user id."),
    FunctionDef::new("getgid", |vm, a, kw| id_fn(vm, "getgid", 4, a, kw), "Return the current process's group id."),
    FunctionDef::new("getegid", |vm, a, kw| id_fn(vm, "getegid", 5, a, kw), "Return the current process's effective group id."),
    FunctionDef::new("getpgrp", |vm, a, kw| id_fn(vm, "getpgrp", 6, a, kw), "Return the current process group id."),
    FunctionDef::new("getpgid", |vm, a, kw| pgid_fn(vm, "getpgid", a, kw), "Call the system call getpgid(), and return the result."),
    FunctionDef::new("setpgid", |vm, a, kw| pgid_fn(vm, "setpgid", a, kw), "Call the system call setpgid(pid, pgrp)."),
    FunctionDef::new("setpgrp", |vm, a, kw| pgid_fn(vm, "setpgrp", a, kw), "Make the current process the leader of its process group."),
    FunctionDef::new("getsid", |vm, a, kw| pgid_fn(vm, "getsid", a, kw), "Call the system call getsid(pid) and return the result."),
    FunctionDef::new("setsid", |vm, a, kw| pgid_fn(vm, "setsid", a, kw), "Call the system call setsid()."),
    FunctionDef::new("getgroups", getgroups, "getgroups($module, /)\n--\n\nReturn list of supplemental group IDs for the process."),
    FunctionDef::new("getlogin", getlogin, "getlogin($module, /)\n--\n\nReturn the actual login name."),
    FunctionDef::new("uname", uname, "uname($module, /)\n--\n\nReturn an object identifying the current operating system."),
    FunctionDef::new("times", times, "times($module, /)\n--\n\nReturn a collection containing process timing information."),
    FunctionDef::new("umask", umask, "umask($module, mask, /)\n--\n\nSet the current numeric umask and return the previous umask."),
    FunctionDef::new("kill", kill, "kill($module, pid, signal, /)\n--\n\nKill a process with a signal."),
    FunctionDef::new("killpg", killpg, "killpg($module, pgid, signal, /)\n--\n\nKill a process group with a signal."),
    FunctionDef::new(
        "cpu_count",
        cpu_count,
        "cpu_count($module, /)\n--\n\nReturn the number of CPUs in the system; return None if indeterminable.",
    ),
    FunctionDef::new(
        "urandom",
        urandom,
        "urandom($module, size, /)\n--\n\nReturn a bytes object containing random bytes suitable for cryptographic use.",
    ),
    FunctionDef::new("strerror", strerror, "strerror($module, code, /)\n--\n\nTranslate an error code to a message string."),
    FunctionDef::new("getloadavg", getloadavg, "getloadavg($module, /)\n--\n\nReturn average recent system load information."),
    FunctionDef::new("sysconf", sysconf, "sysconf($module, name, /)\n--\n\nReturn an integer-valued system configuration variable."),
    FunctionDef::new("confstr", confstr, "confstr($module, name, /)\n--\n\nReturn a string-valued system configuration variable."),
    FunctionDef::new("putenv", putenv, "putenv($module, name, value, /)\n--\n\nChange or add an environment variable."),
    FunctionDef::new("unsetenv", unsetenv, "unsetenv($module, name, /)\n--\n\nDelete an environment variable."),
    FunctionDef::new(
        "register_at_fork",
        register_at_fork,
        "register_at_fork($module, /, *, before=<unrepresentable>,
                 after_in_child=<unrepresentable>,
                 after_in_parent=<unrepresentable>)\n--\n\nRegister callables to be called when forking a new process.",
    ),
    FunctionDef::new("fork", fork, "fork($module, /)\n--\n\nFork a child process."),
    FunctionDef::new("forkpty", forkpty, "forkpty($module, /)\n--\n\nFork a new process with a new pseudo-terminal as controlling tty."),
    FunctionDef::new("ctermid", ctermid, "ctermid($module, /)\n--\n\nReturn the name of the controlling terminal for this process."),
    FunctionDef::new(
        "execv",
        execv,
        "execv($module, path, argv, /)\n--\n\nExecute an executable path with arguments, replacing current process.",
    ),
    FunctionDef::new(
        "execve",
        execve,
        "execve($module, /, path, argv, env)\n--\n\nExecute an executable path with arguments, replacing current process.",
    ),
    FunctionDef::new("abort", abort, "abort($module, /)\n--\n\nAbort the interpreter immediately."),
    FunctionDef::new(
        "_exit",
        exit_now,
        "_exit($module, /, status)\n--\n\nExit to the system with specified status, without normal exit processing.",
    ),
    FunctionDef::new("setuid", |vm, a, kw| set_ids(vm, "setuid", 1, "uid", a, kw), "Set the current process's user id."),
    FunctionDef::new("setgid", |vm, a, kw| set_ids(vm, "setgid", 1, "gid", a, kw), "Set the current process's group id."),
    FunctionDef::new("seteuid", |vm, a, kw| set_ids(vm, "seteuid", 1, "uid", a, kw), "Set the current process's effective user id."),
    FunctionDef::new("setegid", |vm, a, kw| set_ids(vm, "setegid", 1, "gid", a, kw), "Set the current process's effective group id."),
    FunctionDef::new(
        "setreuid",
        |vm, a, kw| set_ids(vm, "setreuid", 2, "uid", a, kw),
        "Set the current process's real and effective user ids.",
    ),
    FunctionDef::new(
        "setregid",
        |vm, a, kw| set_ids(vm, "setregid", 2, "gid", a, kw),
        "Set the current process's real and effective group ids.",
    ),
    FunctionDef::new(
        "setresuid",
        |vm, a, kw| set_ids(vm, "setresuid", 3, "uid", a, kw),
        "Set the current process's real, effective, and saved user ids.",
    ),
    FunctionDef::new(
        "setresgid",
        |vm, a, kw| set_ids(vm, "setresgid", 3, "gid", a, kw),
        "Set the current process's real, effective, and saved group ids.",
    ),
    FunctionDef::new(
        "getresuid",
        |vm, a, kw| getres(vm, "getresuid", false, a, kw),
        "Return a tuple of the current process's real, effective, and saved user ids.",
    ),
    FunctionDef::new(
        "getresgid",
        |vm, a, kw| getres(vm, "getresgid", true, a, kw),
        "Return a tuple of the current process's real, effective, and saved group ids.",
    ),
    FunctionDef::new("setgroups", setgroups, "setgroups($module, groups, /)\n--\n\nSet the groups of the current process to list."),
    FunctionDef::new("initgroups", initgroups, "initgroups($module, username, gid, /)\n--\n\nInitialize the group access list."),
    FunctionDef::new(
        "getgrouplist",
        getgrouplist,
        "getgrouplist($module, user, group, /)\n--\n\nReturns a list of groups to which a user belongs.",
    ),
    FunctionDef::new("getpriority", getpriority, "getpriority($module, /, which, who)\n--\n\nReturn program scheduling priority."),
    FunctionDef::new("setpriority", setpriority, "setpriority($module, /, which, who, priority)\n--\n\nSet program scheduling priority."),
    FunctionDef::new(
        "nice",
        nice,
        "nice($module, increment, /)\n--\n\nAdd increment to the priority of process and return the new priority.",
    ),
    FunctionDef::new("major", major, "major($module, device, /)\n--\n\nExtracts a device major number from a raw device number."),
    FunctionDef::new("minor", minor, "minor($module, device, /)\n--\n\nExtracts a device minor number from a raw device number."),
    FunctionDef::new(
        "makedev",
        makedev,
        "makedev($module, major, minor, /)\n--\n\nComposes a raw device number from the major and minor device numbers.",
    ),
    FunctionDef::new(
        "waitid",
        waitid,
        "waitid($module, idtype, id, options, /)\n--\n\nReturns the result of waiting for a process or processes.",
    ),
    FunctionDef::new("waitpid", waitpid, "waitpid($module, pid, options, /)\n--\n\nWait for completion of a given child process."),
    FunctionDef::new("wait", wait, "wait($module, /)\n--\n\nWait for completion of a child process."),
    FunctionDef::new(
        "WIFEXITED",
        wifexited,
        "WIFEXITED($module, /, status)\n--\n\nReturn True if the process returning status exited via the exit() system call.",
    ),
    FunctionDef::new("WEXITSTATUS", wexitstatus, "WEXITSTATUS($module, /, status)\n--\n\nReturn the process return code from status."),
    FunctionDef::new(
        "WIFSIGNALED",
        wifsignaled,
        "WIFSIGNALED($module, /, status)\n--\n\nReturn True if the process returning status was terminated by a signal.",
    ),
    FunctionDef::new(
        "WTERMSIG",
        wtermsig,
        "WTERMSIG($module, /, status)\n--\n\nReturn the signal that terminated the process that provided the status value.",
    ),
    FunctionDef::new(
        "WIFSTOPPED",
        wifstopped,
        "WIFSTOPPED($module, /, status)\n--\n\nReturn True if the process returning status was stopped.",
    ),
    FunctionDef::new(
        "WSTOPSIG",
        wstopsig,
        "WSTOPSIG($module, /, status)\n--\n\nReturn the signal that stopped the process that provided the status value.",
    ),
    FunctionDef::new(
        "WCOREDUMP",
        wcoredump,
        "WCOREDUMP($module, status, /)\n--\n\nReturn True if the process returning status was dumped to a core file.",
    ),
    FunctionDef::new(
        "WIFCONTINUED",
        wifcontinued,
        "WIFCONTINUED($module, /, status)\n--\n\nReturn True if a particular process was continued from a job control stop.",
    ),
    FunctionDef::new(
        "waitstatus_to_exitcode",
        waitstatus_to_exitcode,
        "waitstatus_to_exitcode($module, /, status)\n--\n\nConvert a wait status to an exit code.",
    ),
];

static CONSTANTS: &[(&str, i64)] = &[
    ("F_OK", libc::F_OK as i64),
    ("R_OK", libc::R_OK as i64),
    ("W_OK", libc::W_OK as i64),
    ("X_OK", libc::X_OK as i64),
    ("WNOHANG", libc::WNOHANG as i64),
    ("WUNTRACED", libc::WUNTRACED as i64),
    ("WCONTINUED", libc::WCONTINUED as i64),
    ("WEXITED", libc::WEXITED as i64),
    ("WSTOPPED", libc::WSTOPPED as i64),
    ("WNOWAIT", libc::WNOWAIT as i64),
    ("P_PID", libc::P_PID as i64),
    ("P_PGID", libc::P_PGID as i64),
    ("P_ALL", libc::P_ALL as i64),
    ("NGROUPS_MAX", 65536),
    ("TMP_MAX", 238328),
    ("RTLD_LAZY", libc::RTLD_LAZY as i64),
    ("RTLD_NOW", libc::RTLD_NOW as i64),
    ("RTLD_GLOBAL", libc::RTLD_GLOBAL as i64),
    ("RTLD_LOCAL", libc::RTLD_LOCAL as i64),
    ("RTLD_NODELETE", libc::RTLD_NODELETE as i64),
    ("RTLD_NOLOAD", libc::RTLD_NOLOAD as i64),
    ("RTLD_DEEPBIND", libc::RTLD_DEEPBIND as i64),
    ("EX_OK", 0),
    ("EX_USAGE", 64),
    ("EX_DATAERR", 65),
    ("EX_NOINPUT", 66),
    ("EX_NOUSER", 67),
    ("EX_NOHOST", 68),
    ("EX_UNAVAILABLE", 69),
    ("EX_SOFTWARE", 70),
    ("EX_OSERR", 71),
    ("EX_OSFILE", 72),
    ("EX_CANTCREAT", 73),
    ("EX_IOERR", 74),
    ("EX_TEMPFAIL", 75),
    ("EX_PROTOCOL", 76),
    ("EX_NOPERM", 77),
    ("EX_CONFIG", 78),
    ("F_LOCK", libc::F_LOCK as i64),
    ("F_TLOCK", libc::F_TLOCK as i64),
    ("F_ULOCK", libc::F_ULOCK as i64),
    ("F_TEST", libc::F_TEST as i64),
    ("PRIO_PROCESS", libc::PRIO_PROCESS as i64),
    ("PRIO_PGRP", libc::PRIO_PGRP as i64),
    ("PRIO_USER", libc::PRIO_USER as i64),
    ("CLD_EXITED", libc::CLD_EXITED as i64),
    ("CLD_KILLED", libc::CLD_KILLED as i64),
    ("CLD_DUMPED", libc::CLD_DUMPED as i64),
    ("CLD_TRAPPED", libc::CLD_TRAPPED as i64),
    ("CLD_STOPPED", libc::CLD_STOPPED as i64),
    ("CLD_CONTINUED", libc::CLD_CONTINUED as i64),
    ("ST_RDONLY", libc::ST_RDONLY as i64),
    ("ST_NOSUID", libc::ST_NOSUID as i64),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    modules::add_attr(vm, m, "environ", environ(vm)?)?;
    modules::add_attr(vm, m, "uname_result", uname_type(vm))?;
    modules::add_attr(vm, m, "times_result", times_type(vm))?;
    modules::add_attr(vm, m, "waitid_result", waitid_type(vm))?;
    modules::add_attr(vm, m, "sysconf_names", names_dict(vm, SYSCONF_NAMES)?)?;
    modules::add_attr(vm, m, "confstr_names", names_dict(vm, CONFSTR_NAMES)?)?;
    for &(name, v) in CONSTANTS {
        modules::add_attr(vm, m, name, vm.int(v))?;
    }
    Ok(())
}
