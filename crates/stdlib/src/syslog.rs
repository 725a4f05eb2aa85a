//! `syslog`: messages to the system logger (`openlog`, `syslog`,
//! `closelog`, `setlogmask`) and the priority/facility/option constants.
//!
//! # Safety
//!
//! `openlog` keeps the `ident` pointer it is given: the module state owns
//! that C string and replaces it only after the next `openlog`/`closelog`
//! call has stopped using it (all calls run under the GIL). Messages are
//! passed through a `"%s"` format, never as the format itself.

use std::cell::RefCell;
use std::ffi::CString;

use taipan_vm::native::{bind, exact, FunctionDef, Params};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{str_data, type_name, StrData};
use taipan_vm::types::Kwargs;
use taipan_vm::{modules, PyResult, Vm};

use crate::posix::c_int_arg;

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("openlog", openlog, "Set logging options of subsequent syslog() calls."),
    FunctionDef::new("syslog", syslog, "syslog([priority=LOG_INFO,] message)\nSend the string message to the system logger."),
    FunctionDef::new("closelog", closelog, "Reset the syslog module values and call the system library closelog()."),
    FunctionDef::new("setlogmask", setlogmask, "Set the priority mask to maskpri and return the previous mask value."),
    FunctionDef::new("LOG_MASK", log_mask, "Calculates the mask for the individual priority pri."),
    FunctionDef::new("LOG_UPTO", log_upto, "Calculates the mask for all priorities up to and including pri."),
];

const CONSTANTS: &[(&str, i32)] = &[
    ("LOG_EMERG", libc::LOG_EMERG),
    ("LOG_ALERT", libc::LOG_ALERT),
    ("LOG_CRIT", libc::LOG_CRIT),
    ("LOG_ERR", libc::LOG_ERR),
    ("LOG_WARNING", libc::LOG_WARNING),
    ("LOG_NOTICE", libc::LOG_NOTICE),
    ("LOG_INFO", libc::LOG_INFO),
    ("LOG_DEBUG", libc::LOG_DEBUG),
    ("LOG_PID", libc::LOG_PID),
    ("LOG_CONS", libc::LOG_CONS),
    ("LOG_NDELAY", libc::LOG_NDELAY),
    ("LOG_ODELAY", libc::LOG_ODELAY),
    ("LOG_NOWAIT", libc::LOG_NOWAIT),
    ("LOG_PERROR", libc::LOG_PERROR),
    ("LOG_KERN", libc::LOG_KERN),
    ("LOG_USER", libc::LOG_USER),
    ("LOG_MAIL", libc::LOG_MAIL),
    ("LOG_DAEMON", libc::LOG_DAEMON),
    ("LOG_AUTH", libc::LOG_AUTH),
    ("LOG_LPR", libc::LOG_LPR),
    ("LOG_LOCAL0", libc::LOG_LOCAL0),
    ("LOG_LOCAL1", libc::LOG_LOCAL1),
    ("LOG_LOCAL2", libc::LOG_LOCAL2),
    ("LOG_LOCAL3", libc::LOG_LOCAL3),
    ("LOG_LOCAL4", libc::LOG_LOCAL4),
    ("LOG_LOCAL5", libc::LOG_LOCAL5),
    ("LOG_LOCAL6", libc::LOG_LOCAL6),
    ("LOG_LOCAL7", libc::LOG_LOCAL7),
    ("LOG_SYSLOG", libc::LOG_SYSLOG),
    ("LOG_CRON", libc::LOG_CRON),
    ("LOG_UUCP", libc::LOG_UUCP),
    ("LOG_NEWS", libc::LOG_NEWS),
    ("LOG_AUTHPRIV", libc::LOG_AUTHPRIV),
];

/// The `ident` string the C library holds on to, once `openlog` ran.
#[derive(Default)]
struct SyslogState {
    ident: RefCell<Option<CString>>,
    opened: std::cell::Cell<bool>,
}

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    modules::add_functions(vm, m, FUNCS)?;
    for (name, v) in CONSTANTS {
        modules::add_attr(vm, m, name, vm.int(*v as i64))?;
    }
    Ok(())
}

/// The text as C sees it: cut at the first NUL, as CPython's
/// `PyUnicode_AsUTF8` hands it to the C library.
fn c_text(vm: &Vm, o: &Obj) -> PyResult<CString> {
    let mut b = crate::posix::fs_encode(vm, o)?;
    if let Some(nul) = b.iter().position(|&c| c == 0) {
        b.truncate(nul);
    }
    Ok(CString::new(b).unwrap_or_default())
}

fn open(vm: &Vm, ident: Option<CString>, option: i32, facility: i32) {
    let st = vm.state::<SyslogState>();
    let ptr = ident.as_ref().map_or(std::ptr::null(), |c| c.as_ptr());
    // SAFETY: `ident` is stored in the module state below and kept until
    // the next openlog/closelog (module docs).
    unsafe { libc::openlog(ptr, option, facility) };
    *st.ident.borrow_mut() = ident;
    st.opened.set(true);
}

fn openlog(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "openlog", names: &["ident", "logoption", "facility"], posonly: 0, kwonly: 0, required: 0 };
    let [ident, option, facility] = bind::<3>(vm, &P, args, kw)?;
    let ident = match ident {
        Some(i) if !i.is(&vm.none) => {
            if i.downcast::<StrData>().is_none() {
                return Err(vm.type_error(format!("openlog() argument 1 must be str, not {}", type_name(&i))));
            }
            Some(c_text(vm, &i)?)
        }
        _ => default_ident(vm)?,
    };
    let option = option.map(|o| c_int_arg(vm, &o)).transpose()?.unwrap_or(0);
    let facility = facility.map(|o| c_int_arg(vm, &o)).transpose()?.unwrap_or(libc::LOG_USER);
    open(vm, ident, option, facility);
    Ok(vm.none.clone())
}

/// The program name from `sys.argv[0]` (its last path component), as
/// CPython uses when `openlog` was not called or got no ident.
fn default_ident(vm: &Vm) -> PyResult<Option<CString>> {
    let sys = taipan_vm::import::import_absolute(vm, "sys")?;
    let Some(argv) = crate::util::getattr_opt(vm, &sys, "argv")? else { return Ok(None) };
    let Some(first) = taipan_vm::sequence::getitem(vm, &argv, &vm.int(0)).ok() else { return Ok(None) };
    if first.downcast::<StrData>().is_none() {
        return Ok(None);
    }
    let s = str_data(&first).as_str().into_owned();
    let base = s.rsplit('/').next().unwrap_or("").to_string();
    if base.is_empty() {
        return Ok(None);
    }
    Ok(CString::new(base).ok())
}

fn syslog(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::no_kwargs(vm, "syslog", kw)?;
    let (priority, message) = match args {
        [m] if m.downcast::<StrData>().is_some() => (libc::LOG_INFO, m),
        [p, m] if m.downcast::<StrData>().is_some() => (c_int_arg(vm, p)?, m),
        _ => return Err(vm.type_error("[priority,] message string")),
    };
    let text = c_text(vm, message)?;
    if !vm.state::<SyslogState>().opened.get() {
        let ident = default_ident(vm)?;
        open(vm, ident, 0, libc::LOG_USER);
    }
    vm.allow_threads(|| {
        // SAFETY: a constant "%s" format and a NUL-terminated argument.
        unsafe { libc::syslog(priority, c"%s".as_ptr(), text.as_ptr()) }
    });
    Ok(vm.none.clone())
}

fn closelog(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "closelog", args, kw)?;
    let st = vm.state::<SyslogState>();
    if st.opened.get() {
        // SAFETY: no arguments; the ident is dropped only afterwards.
        unsafe { libc::closelog() };
        *st.ident.borrow_mut() = None;
        st.opened.set(false);
    }
    Ok(vm.none.clone())
}

fn setlogmask(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [mask] = exact::<1>(vm, "setlogmask", args, kw)?;
    let mask = c_int_arg(vm, &mask)?;
    // SAFETY: an integer argument.
    Ok(vm.int(unsafe { libc::setlogmask(mask) } as i64))
}

fn log_mask(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [p] = exact::<1>(vm, "LOG_MASK", args, kw)?;
    let p = c_int_arg(vm, &p)?;
    Ok(vm.int(1i64.checked_shl(p as u32).unwrap_or(0)))
}

fn log_upto(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [p] = exact::<1>(vm, "LOG_UPTO", args, kw)?;
    let p = c_int_arg(vm, &p)?;
    Ok(vm.int(1i64.checked_shl(p as u32 + 1).unwrap_or(0) - 1))
}
