//! `_posixsubprocess.fork_exec`, with CPython 3.11's 23 arguments: every
//! string is converted before the fork; the child (in `sys::fork_exec`)
//! only moves descriptors and calls `exec`, reporting a failure on the
//! error pipe as `subprocess.py` reads it. With `preexec_fn` the fork runs
//! the `register_at_fork` hooks and the child calls the function.

use std::ffi::CString;

use taipan_vm::native::FunctionDef;
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{int_data, ListData, TupleData};
use taipan_vm::types::Kwargs;
use taipan_vm::{modules, ops, PyResult, Vm};

use super::{c_int_arg, cstring, err, fs_bytes_arg, int_arg, sys};

fn items(vm: &Vm, o: &Obj) -> PyResult<Vec<Obj>> {
    if let Some(t) = o.downcast::<TupleData>() {
        return Ok(t.items.to_vec());
    }
    if let Some(l) = o.downcast::<ListData>() {
        return Ok(l.items.borrow().clone());
    }
    taipan_vm::types::container::collect(vm, o)
}

fn cstrings(vm: &Vm, o: &Obj) -> PyResult<Vec<CString>> {
    items(vm, o)?.iter().map(|a| fs_bytes_arg(vm, a).and_then(|b| cstring(vm, b))).collect()
}

/// An optional id (`None` = keep).
fn opt_id(vm: &Vm, o: &Obj) -> PyResult<Option<u32>> {
    if o.is(&vm.none) {
        return Ok(None);
    }
    Ok(Some(int_arg(vm, o)? as u32))
}

fn fork_exec(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::no_kwargs(vm, "fork_exec", kw)?;
    let Ok(a) = <&[Obj; 23]>::try_from(args) else {
        return Err(vm.type_error(format!("fork_exec() takes exactly 23 arguments ({} given)", args.len())));
    };
    let [process_args, executable_list, close_fds, fds_to_keep, cwd, env_list, p2cread, p2cwrite, c2pread, c2pwrite, errread, errwrite, errpipe_read, errpipe_write, restore_signals, call_setsid, pgid_to_set, gid, extra_groups, uid, child_umask, preexec_fn, _allow_vfork] =
        a;
    let close_fds = ops::truth(vm, close_fds)?;
    let Some(keep) = fds_to_keep.downcast::<TupleData>() else {
        return Err(vm.type_error("fds_to_keep must be a tuple"));
    };
    let mut keep_fds = Vec::with_capacity(keep.items.len());
    for k in keep.items.iter() {
        let fd = if int_data(k).is_some() { int_arg(vm, k)? } else { -1 };
        if fd < 0 || fd > i32::MAX as i64 || keep_fds.last().is_some_and(|&l| l >= fd as i32) {
            return Err(vm.new_error(&vm.types.value_error, "bad value(s) in fds_to_keep"));
        }
        keep_fds.push(fd as i32);
    }
    let argv = if process_args.is(&vm.none) { Vec::new() } else { cstrings(vm, process_args)? };
    let exec_paths = cstrings(vm, executable_list)?;
    let env = if env_list.is(&vm.none) { None } else { Some(cstrings(vm, env_list)?) };
    let cwd = if cwd.is(&vm.none) { None } else { Some(cstring(vm, fs_bytes_arg(vm, cwd)?)?) };
    let fd = |o: &Obj| c_int_arg(vm, o);
    let pipes = [fd(p2cread)?, fd(p2cwrite)?, fd(c2pread)?, fd(c2pwrite)?, fd(errread)?, fd(errwrite)?];
    let groups = if extra_groups.is(&vm.none) {
        None
    } else {
        // A gid that does not fit is a ValueError, as CPython's `_Py_Gid_Converter` failure there.
        let gid = |g: &Obj| match int_arg(vm, g) {
            Ok(v) if (0..u32::MAX as i64).contains(&v) => Ok(v as u32),
            _ => Err(vm.new_error(&vm.types.value_error, "invalid group id")),
        };
        Some(items(vm, extra_groups)?.iter().map(gid).collect::<PyResult<Vec<u32>>>()?)
    };
    let max_fd = sys::sysconf(libc::_SC_OPEN_MAX).unwrap_or(256).clamp(256, i32::MAX as i64) as i32;
    let spec = sys::ChildSpec {
        exec_paths: &exec_paths,
        argv: &argv,
        env: env.as_deref(),
        cwd: cwd.as_deref(),
        pipes,
        errpipe_read: fd(errpipe_read)?,
        errpipe_write: fd(errpipe_write)?,
        close_fds,
        fds_to_keep: &keep_fds,
        restore_signals: ops::truth(vm, restore_signals)?,
        call_setsid: ops::truth(vm, call_setsid)?,
        pgid_to_set: int_arg(vm, pgid_to_set)?,
        gid: opt_id(vm, gid)?,
        extra_groups: groups.as_deref(),
        uid: opt_id(vm, uid)?,
        child_umask: c_int_arg(vm, child_umask)?,
        max_fd,
        preexec: None,
    };
    if preexec_fn.is(&vm.none) {
        let pid = err(vm, sys::fork_exec(&spec))?;
        return Ok(vm.int(pid));
    }
    // With `preexec_fn`, as CPython: a fork with the `register_at_fork`
    // hooks, the function called in the child (an exception in it is
    // reported on the error pipe).
    let call = || taipan_vm::classes::call_object(vm, preexec_fn, &[]).is_ok();
    let spec = sys::ChildSpec { preexec: Some(&call), ..spec };
    let pid = super::process::fork_with_hooks(vm)?;
    if pid == 0 {
        sys::exec_in_child(&spec);
    }
    Ok(vm.int(pid))
}

static FUNCS: &[FunctionDef] =
    &[FunctionDef::new("fork_exec", fork_exec, "Spawn a fresh new child process: fork, set up descriptors, exec the program.")];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    modules::add_functions(vm, m, FUNCS)
}
