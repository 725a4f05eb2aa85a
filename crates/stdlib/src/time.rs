//! The `time` module: clocks (`clock_gettime`), `sleep` (interrupted by
//! signals, whose handlers run before it resumes), the broken-down time
//! conversions (`gmtime`, `localtime`, `mktime`, `struct_time`),
//! `strftime` through the C library, `asctime`/`ctime`, the time-zone
//! attributes computed as CPython does on glibc, and `strptime`, which
//! delegates to the pure-Python `_strptime`.
//!
//! # Safety
//!
//! The libc calls here take pointers only to local, initialised values
//! (`timespec`, `tm`, output buffers with their true length) that outlive
//! the call; `tm_zone` pointers handed to `strftime`/`mktime` point into a
//! `CString` kept alive across the call. `localtime_r`/`gmtime_r` are the
//! reentrant variants; `tzset` only rereads `TZ`.

use std::ffi::{CStr, CString};

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{at_most, exact, FunctionDef};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{self, new_str, new_tuple, type_name, IntData, StrData, TupleData};
use taipan_vm::types::structseq::{new_structseq, new_structseq_type, structseq_field, StructSeqDesc};
use taipan_vm::types::Kwargs;
use taipan_vm::{PyResult, Vm};

static STRUCT_TIME: StructSeqDesc = StructSeqDesc {
    name: "time.struct_time",
    doc: "The time value as returned by gmtime(), localtime(), and strptime(), and\n \
          accepted by asctime(), mktime() and strftime().  May be considered as a\n \
          sequence of 9 integers.",
    fields: &["tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min", "tm_sec", "tm_wday", "tm_yday", "tm_isdst", "tm_zone", "tm_gmtoff"],
    n_in_sequence: 9,
};

fn struct_time_type(vm: &Vm) -> Obj {
    vm.native_type("time.struct_time", |vm| new_structseq_type(vm, &STRUCT_TIME))
}

static FUNCTIONS: &[FunctionDef] = &[
    FunctionDef::new("time", time_time, "Return the current time in seconds since the Epoch."),
    FunctionDef::new("time_ns", time_time_ns, "Return the current time in nanoseconds since the Epoch."),
    FunctionDef::new("monotonic", time_monotonic, "Monotonic clock, cannot go backward."),
    FunctionDef::new("monotonic_ns", time_monotonic_ns, "Monotonic clock, cannot go backward, as nanoseconds."),
    FunctionDef::new("perf_counter", time_perf_counter, "Performance counter for benchmarking."),
    FunctionDef::new("perf_counter_ns", time_perf_counter_ns, "Performance counter for benchmarking as nanoseconds."),
    FunctionDef::new("process_time", time_process_time, "Process time for profiling: sum of the kernel and user-space CPU time."),
    FunctionDef::new("process_time_ns", time_process_time_ns, "Process time for profiling as nanoseconds."),
    FunctionDef::new("thread_time", time_thread_time, "Thread time for profiling: sum of the kernel and user-space CPU time."),
    FunctionDef::new("thread_time_ns", time_thread_time_ns, "Thread time for profiling as nanoseconds."),
    FunctionDef::new("sleep", time_sleep, "Delay execution for a given number of seconds."),
    FunctionDef::new("gmtime", time_gmtime, "Convert seconds since the Epoch to a time tuple expressing UTC."),
    FunctionDef::new("localtime", time_localtime, "Convert seconds since the Epoch to a time tuple expressing local time."),
    FunctionDef::new("mktime", time_mktime, "Convert a time tuple in local time to seconds since the Epoch."),
    FunctionDef::new("strftime", time_strftime, "Convert a time tuple to a string according to a format specification."),
    FunctionDef::new("strptime", time_strptime, "Parse a string to a time tuple according to a format specification."),
    FunctionDef::new("asctime", time_asctime, "Convert a time tuple to a string, e.g. 'Sat Jun 06 16:26:11 1998'."),
    FunctionDef::new("ctime", time_ctime, "Convert a time in seconds since the Epoch to a string in local time."),
    FunctionDef::new("tzset", time_tzset, "Initialize, or reinitialize, the local timezone to the value of TZ."),
    FunctionDef::new("get_clock_info", time_get_clock_info, "Get information of the specified clock."),
    FunctionDef::new("clock_gettime", time_clock_gettime, "Return the time of the specified clock clk_id."),
    FunctionDef::new("clock_gettime_ns", time_clock_gettime_ns, "Return the time of the specified clock clk_id as nanoseconds."),
    FunctionDef::new("clock_settime", time_clock_settime, "Set the time of the specified clock clk_id."),
    FunctionDef::new("clock_settime_ns", time_clock_settime_ns, "Set the time of the specified clock clk_id with nanoseconds."),
    FunctionDef::new("clock_getres", time_clock_getres, "Return the resolution (precision) of the specified clock clk_id."),
    FunctionDef::new("pthread_getcpuclockid", time_pthread_getcpuclockid, "Return the clk_id of a thread's CPU time clock."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCTIONS)?;
    add_attr(vm, m, "struct_time", struct_time_type(vm))?;
    add_attr(vm, m, "_STRUCT_TM_ITEMS", vm.int(11))?;
    for (name, id) in [
        ("CLOCK_REALTIME", libc::CLOCK_REALTIME),
        ("CLOCK_MONOTONIC", libc::CLOCK_MONOTONIC),
        ("CLOCK_MONOTONIC_RAW", libc::CLOCK_MONOTONIC_RAW),
        ("CLOCK_PROCESS_CPUTIME_ID", libc::CLOCK_PROCESS_CPUTIME_ID),
        ("CLOCK_THREAD_CPUTIME_ID", libc::CLOCK_THREAD_CPUTIME_ID),
        ("CLOCK_BOOTTIME", libc::CLOCK_BOOTTIME),
        ("CLOCK_TAI", libc::CLOCK_TAI),
    ] {
        add_attr(vm, m, name, vm.int(id as i64))?;
    }
    init_timezone(vm, m)
}

fn float(vm: &Vm, f: f64) -> Obj {
    alloc(vm.types.float.clone(), f)
}

fn os_error(vm: &Vm) -> taipan_vm::PyErr {
    builtin::os_error_from_io(vm, &std::io::Error::last_os_error())
}

/// `clock_gettime(id)` in nanoseconds.
fn clock_ns(vm: &Vm, id: libc::clockid_t) -> PyResult<i128> {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec.
    if unsafe { libc::clock_gettime(id, &mut ts) } != 0 {
        return Err(os_error(vm));
    }
    Ok(ts.tv_sec as i128 * 1_000_000_000 + ts.tv_nsec as i128)
}

fn ns_int(vm: &Vm, ns: i128) -> Obj {
    // Nanoseconds since 1970 fit in 64 bits until 2262.
    vm.int(ns as i64)
}

fn ns_float(vm: &Vm, ns: i128) -> Obj {
    float(vm, ns as f64 / 1e9)
}

macro_rules! clock_fns {
    ($($f:ident, $fns:ident, $name:literal, $id:expr;)*) => {$(
        fn $f(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
            exact::<0>(vm, concat!("time.", $name), args, kw)?;
            Ok(ns_float(vm, clock_ns(vm, $id)?))
        }
        fn $fns(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
            exact::<0>(vm, concat!("time.", $name, "_ns"), args, kw)?;
            Ok(ns_int(vm, clock_ns(vm, $id)?))
        }
    )*};
}

clock_fns! {
    time_time, time_time_ns, "time", libc::CLOCK_REALTIME;
    time_monotonic, time_monotonic_ns, "monotonic", libc::CLOCK_MONOTONIC;
    time_perf_counter, time_perf_counter_ns, "perf_counter", libc::CLOCK_MONOTONIC;
    time_process_time, time_process_time_ns, "process_time", libc::CLOCK_PROCESS_CPUTIME_ID;
    time_thread_time, time_thread_time_ns, "thread_time", libc::CLOCK_THREAD_CPUTIME_ID;
}

fn clock_id(vm: &Vm, o: &Obj) -> PyResult<libc::clockid_t> {
    let v = builtin::expect_int(vm, &taipan_vm::ops::index(vm, o)?, "")?;
    libc::clockid_t::try_from(v).map_err(|_| vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int"))
}

fn time_clock_gettime(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [id] = exact::<1>(vm, "time.clock_gettime", args, kw)?;
    Ok(ns_float(vm, clock_ns(vm, clock_id(vm, &id)?)?))
}

fn time_clock_gettime_ns(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [id] = exact::<1>(vm, "time.clock_gettime_ns", args, kw)?;
    Ok(ns_int(vm, clock_ns(vm, clock_id(vm, &id)?)?))
}

fn settime(vm: &Vm, id: libc::clockid_t, ns: i128) -> PyResult<Obj> {
    let ts = libc::timespec { tv_sec: ns.div_euclid(1_000_000_000) as libc::time_t, tv_nsec: ns.rem_euclid(1_000_000_000) as _ };
    // SAFETY: `ts` is a valid timespec.
    if unsafe { libc::clock_settime(id, &ts) } != 0 {
        return Err(os_error(vm));
    }
    Ok(vm.none.clone())
}

fn time_clock_settime(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [id, t] = exact::<2>(vm, "clock_settime", args, kw)?;
    let id = clock_id(vm, &id)?;
    let secs = seconds_f64(vm, &t)?;
    settime(vm, id, (secs * 1e9) as i128)
}

fn time_clock_settime_ns(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [id, t] = exact::<2>(vm, "clock_settime_ns", args, kw)?;
    let id = clock_id(vm, &id)?;
    let ns = builtin::expect_int(vm, &taipan_vm::ops::index(vm, &t)?, "")?;
    settime(vm, id, ns as i128)
}

fn time_clock_getres(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [id] = exact::<1>(vm, "time.clock_getres", args, kw)?;
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec.
    if unsafe { libc::clock_getres(clock_id(vm, &id)?, &mut ts) } != 0 {
        return Err(os_error(vm));
    }
    Ok(float(vm, ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9))
}

fn time_pthread_getcpuclockid(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [tid] = exact::<1>(vm, "time.pthread_getcpuclockid", args, kw)?;
    let tid = builtin::expect_int(vm, &taipan_vm::ops::index(vm, &tid)?, "")?;
    let mut id: libc::clockid_t = 0;
    // SAFETY: `id` is writable; an unknown thread id makes the call fail
    // with ESRCH (glibc checks it).
    let err = unsafe { libc::pthread_getcpuclockid(tid as libc::pthread_t, &mut id) };
    if err != 0 {
        let exc = builtin::new_exception(vm, &vm.types.os_error, vec![vm.int(err as i64), new_str(vm, "No such process")]);
        return Err(taipan_vm::PyErr { exc });
    }
    Ok(vm.int(id as i64))
}

/// Seconds as a float (`_PyTime_FromSecondsObject`): floats, or ints and
/// objects with `__index__`.
/// A timeout in seconds (`_PyTime_FromSecondsObject`'s range checks):
/// a float beyond `time_t`'s reach or an int beyond `_PyTime_t`'s
/// nanoseconds is an `OverflowError`.
pub(crate) fn timeout_seconds(vm: &Vm, o: &Obj) -> PyResult<f64> {
    let secs = seconds_f64(vm, o)?;
    if secs.abs() > 9.2e9 {
        let msg = if o.downcast::<f64>().is_some() {
            "timestamp out of range for platform time_t"
        } else {
            "timestamp too large to convert to C _PyTime_t"
        };
        return Err(vm.new_error(&vm.types.overflow_error, msg));
    }
    Ok(secs)
}

pub(crate) fn seconds_f64(vm: &Vm, o: &Obj) -> PyResult<f64> {
    if let Some(f) = o.downcast::<f64>() {
        if f.is_nan() {
            return Err(vm.new_error(&vm.types.value_error, "Invalid value NaN (not a number)"));
        }
        return Ok(*f);
    }
    let i = taipan_vm::ops::index(vm, o)?;
    match i.downcast::<IntData>() {
        Some(IntData::Small(v)) => Ok(*v as f64),
        _ => Err(vm.new_error(&vm.types.overflow_error, "timestamp too large to convert to C _PyTime_t")),
    }
}

fn time_sleep(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [secs] = exact::<1>(vm, "time.sleep", args, kw)?;
    let secs = seconds_f64(vm, &secs)?;
    if secs < 0.0 {
        return Err(vm.new_error(&vm.types.value_error, "sleep length must be non-negative"));
    }
    if secs > 9.2e9 {
        return Err(vm.new_error(&vm.types.overflow_error, "timestamp too large to convert to C _PyTime_t"));
    }
    let deadline = clock_ns(vm, libc::CLOCK_MONOTONIC)? + (secs * 1e9).ceil() as i128;
    loop {
        let left = deadline - clock_ns(vm, libc::CLOCK_MONOTONIC)?;
        if left <= 0 {
            return Ok(vm.none.clone());
        }
        let ts = libc::timespec { tv_sec: (left / 1_000_000_000) as libc::time_t, tv_nsec: (left % 1_000_000_000) as _ };
        // Other threads run while this one sleeps (without the GIL).
        let err = vm.allow_threads(move || {
            // SAFETY: `ts` is a valid timespec; the remainder pointer may be null.
            let r = unsafe { libc::nanosleep(&ts, std::ptr::null_mut()) };
            (r != 0).then(|| std::io::Error::last_os_error().raw_os_error())
        });
        match err {
            None => return Ok(vm.none.clone()),
            Some(Some(libc::EINTR)) => {}
            Some(e) => {
                let e = std::io::Error::from_raw_os_error(e.unwrap_or(libc::EINVAL));
                return Err(builtin::os_error_from_io(vm, &e));
            }
        }
        // Interrupted by a signal: its handler runs now (and may raise).
        taipan_vm::signals::run_pending(vm)?;
    }
}

/// A timestamp argument (`_PyTime_ObjectToTime_t`, rounding down);
/// `None` or absent means now.
fn timestamp(vm: &Vm, o: Option<&Obj>) -> PyResult<libc::time_t> {
    let Some(o) = o.filter(|o| !o.is(&vm.none)) else {
        return Ok((clock_ns(vm, libc::CLOCK_REALTIME)? / 1_000_000_000) as libc::time_t);
    };
    let overflow = || vm.new_error(&vm.types.overflow_error, "timestamp out of range for platform time_t");
    if let Some(f) = o.downcast::<f64>() {
        if f.is_nan() {
            return Err(vm.new_error(&vm.types.value_error, "Invalid value NaN (not a number)"));
        }
        let f = f.floor();
        if !(-9.223372036854776e18..9.223372036854776e18).contains(&f) {
            return Err(overflow());
        }
        return Ok(f as libc::time_t);
    }
    let i = taipan_vm::ops::index(vm, o)?;
    match i.downcast::<IntData>() {
        Some(IntData::Small(v)) => Ok(*v as libc::time_t),
        _ => Err(overflow()),
    }
}

fn zeroed_tm() -> libc::tm {
    libc::tm {
        tm_sec: 0,
        tm_min: 0,
        tm_hour: 0,
        tm_mday: 0,
        tm_mon: 0,
        tm_year: 0,
        tm_wday: 0,
        tm_yday: 0,
        tm_isdst: 0,
        tm_gmtoff: 0,
        tm_zone: std::ptr::null(),
    }
}

/// `localtime_r` or `gmtime_r` of `t`.
pub(crate) fn broken_down(vm: &Vm, t: libc::time_t, local: bool) -> PyResult<libc::tm> {
    let mut tm = zeroed_tm();
    // SAFETY: both pointers are to valid locals.
    let r = unsafe {
        if local {
            libc::localtime_r(&t, &mut tm)
        } else {
            libc::gmtime_r(&t, &mut tm)
        }
    };
    if r.is_null() {
        let e = std::io::Error::last_os_error();
        if e.raw_os_error() == Some(libc::EOVERFLOW) || e.raw_os_error() == Some(0) || e.raw_os_error().is_none() {
            return Err(vm.new_error(&vm.types.overflow_error, "timestamp out of range for platform time_t"));
        }
        return Err(os_error(vm));
    }
    Ok(tm)
}

/// The zone abbreviation of a `tm` filled by `broken_down` (empty if none).
pub(crate) fn zone_name(tm: &libc::tm) -> String {
    if tm.tm_zone.is_null() {
        return String::new();
    }
    // SAFETY: a non-null `tm_zone` set by localtime_r/gmtime_r points to a
    // NUL-terminated string in the C library's static zone table.
    unsafe { CStr::from_ptr(tm.tm_zone) }.to_string_lossy().into_owned()
}

/// A `struct_time` from a C `tm`.
fn struct_time(vm: &Vm, tm: &libc::tm) -> Obj {
    let zone = if tm.tm_zone.is_null() {
        vm.none.clone()
    } else {
        // SAFETY: the C library set `tm_zone` to a NUL-terminated string
        // that lives as long as the time-zone data.
        new_str(vm, &unsafe { CStr::from_ptr(tm.tm_zone) }.to_string_lossy())
    };
    let values = vec![
        vm.int(tm.tm_year as i64 + 1900),
        vm.int(tm.tm_mon as i64 + 1),
        vm.int(tm.tm_mday as i64),
        vm.int(tm.tm_hour as i64),
        vm.int(tm.tm_min as i64),
        vm.int(tm.tm_sec as i64),
        vm.int((tm.tm_wday as i64 + 6) % 7),
        vm.int(tm.tm_yday as i64 + 1),
        vm.int(tm.tm_isdst as i64),
        zone,
        vm.int(tm.tm_gmtoff),
    ];
    new_structseq(vm, &struct_time_type(vm), values)
}

fn time_gmtime(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [secs] = at_most::<1>(vm, "gmtime", 0, args, kw)?;
    let t = timestamp(vm, secs.as_ref())?;
    Ok(struct_time(vm, &broken_down(vm, t, false)?))
}

fn time_localtime(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [secs] = at_most::<1>(vm, "localtime", 0, args, kw)?;
    let t = timestamp(vm, secs.as_ref())?;
    Ok(struct_time(vm, &broken_down(vm, t, true)?))
}

/// A time tuple converted to a C `tm` (CPython's `gettmarg`); the zone
/// name (from a `struct_time`) is kept in the returned `CString`, which
/// must outlive uses of the `tm`.
fn gettmarg(vm: &Vm, o: &Obj, fname: &str) -> PyResult<(libc::tm, Option<CString>)> {
    let Some(t) = o.downcast::<TupleData>() else { return Err(vm.type_error("Tuple or struct_time argument required")) };
    if t.items.len() != 9 {
        return Err(vm.type_error(format!("{fname}(): illegal time tuple argument")));
    }
    let mut v = [0i64; 9];
    for (slot, item) in v.iter_mut().zip(t.items.iter()) {
        if item.downcast::<f64>().is_some() {
            return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
        }
        let i = taipan_vm::ops::index(vm, item)?;
        *slot = match i.downcast::<IntData>() {
            Some(IntData::Small(x)) if i32::try_from(*x).is_ok() => *x,
            Some(IntData::Small(x)) if *x > 0 => {
                return Err(vm.new_error(&vm.types.overflow_error, "signed integer is greater than maximum"))
            }
            _ => return Err(vm.new_error(&vm.types.overflow_error, "signed integer is less than minimum")),
        };
    }
    let mut tm = zeroed_tm();
    let y = v[0];
    if y < i32::MIN as i64 + 1900 {
        return Err(vm.new_error(&vm.types.overflow_error, "year out of range"));
    }
    tm.tm_year = (y - 1900) as i32;
    tm.tm_mon = v[1] as i32 - 1;
    tm.tm_mday = v[2] as i32;
    tm.tm_hour = v[3] as i32;
    tm.tm_min = v[4] as i32;
    tm.tm_sec = v[5] as i32;
    tm.tm_wday = ((v[6] + 1) % 7) as i32;
    tm.tm_yday = v[7] as i32 - 1;
    tm.tm_isdst = v[8] as i32;
    let mut zone = None;
    if taipan_vm::types::type_of(o).is(&struct_time_type(vm)) {
        if let Some(z) = structseq_field(o, 9).filter(|z| !z.is(&vm.none)) {
            let Some(s) = z.downcast::<StrData>() else { return Err(vm.type_error("tm_zone must be a str")) };
            zone = CString::new(s.as_str().as_bytes()).ok();
        }
        if let Some(off) = structseq_field(o, 10).filter(|z| !z.is(&vm.none)) {
            tm.tm_gmtoff = builtin::expect_int(vm, &off, "")? as libc::c_long;
        }
    }
    if let Some(z) = &zone {
        tm.tm_zone = z.as_ptr();
    }
    Ok((tm, zone))
}

fn value_error(vm: &Vm, msg: &str) -> taipan_vm::PyErr {
    vm.new_error(&vm.types.value_error, msg)
}

/// The range checks of `asctime` and `strftime` (CPython's `checktm`),
/// which also turn the zeros of month, day of month and day of year into
/// their lowest valid value.
fn checktm(vm: &Vm, tm: &mut libc::tm) -> PyResult<()> {
    if tm.tm_mon == -1 {
        tm.tm_mon = 0;
    } else if !(0..=11).contains(&tm.tm_mon) {
        return Err(value_error(vm, "month out of range"));
    }
    if tm.tm_mday == 0 {
        tm.tm_mday = 1;
    } else if !(0..=31).contains(&tm.tm_mday) {
        return Err(value_error(vm, "day of month out of range"));
    }
    if !(0..=23).contains(&tm.tm_hour) {
        return Err(value_error(vm, "hour out of range"));
    }
    if !(0..=59).contains(&tm.tm_min) {
        return Err(value_error(vm, "minute out of range"));
    }
    if !(0..=61).contains(&tm.tm_sec) {
        return Err(value_error(vm, "seconds out of range"));
    }
    if tm.tm_wday < 0 {
        return Err(value_error(vm, "day of week out of range"));
    }
    if tm.tm_yday == -1 {
        tm.tm_yday = 0;
    } else if !(0..=365).contains(&tm.tm_yday) {
        return Err(value_error(vm, "day of year out of range"));
    }
    Ok(())
}

fn time_mktime(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [t] = exact::<1>(vm, "time.mktime", args, kw)?;
    let (mut tm, _zone) = gettmarg(vm, &t, "mktime")?;
    tm.tm_wday = -1;
    // SAFETY: `tm` is a valid, writable tm; its zone string is alive.
    let r = unsafe { libc::mktime(&mut tm) };
    if r == -1 && tm.tm_wday == -1 {
        return Err(vm.new_error(&vm.types.overflow_error, "mktime argument out of range"));
    }
    Ok(float(vm, r as f64))
}

/// The current local time as a `tm`.
fn now_local(vm: &Vm) -> PyResult<libc::tm> {
    let t = timestamp(vm, None)?;
    broken_down(vm, t, true)
}

fn time_strftime(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [format, t] = at_most::<2>(vm, "strftime", 1, args, kw)?;
    let format = format.unwrap_or_else(|| vm.none.clone());
    let Some(fmt) = format.downcast::<StrData>() else {
        return Err(vm.type_error(format!("strftime() argument 1 must be str, not {}", type_name(&format))));
    };
    let (mut tm, _zone) = match &t {
        Some(t) => gettmarg(vm, t, "strftime")?,
        None => (now_local(vm)?, None),
    };
    if t.is_some() {
        checktm(vm, &mut tm)?;
        tm.tm_isdst = tm.tm_isdst.clamp(-1, 1);
    }
    let text = fmt.as_str();
    if text.contains('\0') {
        return Err(value_error(vm, "embedded null character"));
    }
    Ok(new_str(vm, &strftime(&text, &tm)))
}

/// The C library's `strftime` of `format` (whose conversions are all
/// ASCII; the rest of the text is copied through the C call too).
fn strftime(format: &str, tm: &libc::tm) -> String {
    if format.is_empty() {
        return String::new();
    }
    let Ok(cfmt) = CString::new(format) else { return String::new() };
    let mut size = 1024.max(format.len() * 4);
    loop {
        let mut buf = vec![0u8; size];
        // SAFETY: `buf` has `size` writable bytes; `cfmt` is NUL-terminated;
        // `tm` is a valid tm whose zone pointer (if any) is alive.
        let n = unsafe { libc::strftime(buf.as_mut_ptr().cast(), size, cfmt.as_ptr(), tm) };
        // 0 is ambiguous (an empty result, or a too small buffer): CPython
        // retries with a larger buffer up to 256 times the format's size.
        if n > 0 || size > format.len() * 256 {
            buf.truncate(n);
            return String::from_utf8_lossy(&buf).into_owned();
        }
        size *= 2;
    }
}

fn time_strptime(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let module = taipan_vm::import::import_absolute(vm, "_strptime")?;
    let f = taipan_vm::classes::getattr(vm, &module, &vm.intern("_strptime_time"))?;
    taipan_vm::classes::call_object_kw(vm, &f, args, kw)
}

const WDAY: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MON: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// CPython's own `asctime` format (not the C library's).
fn asctime(tm: &libc::tm) -> String {
    format!(
        "{} {}{:3} {:02}:{:02}:{:02} {}",
        WDAY[tm.tm_wday.rem_euclid(7) as usize],
        MON[tm.tm_mon.rem_euclid(12) as usize],
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        1900 + tm.tm_year as i64
    )
}

fn time_asctime(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [t] = at_most::<1>(vm, "asctime", 0, args, kw)?;
    let tm = match &t {
        Some(t) => {
            let (mut tm, _) = gettmarg(vm, t, "asctime")?;
            checktm(vm, &mut tm)?;
            tm
        }
        None => now_local(vm)?,
    };
    Ok(new_str(vm, &asctime(&tm)))
}

fn time_ctime(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [secs] = at_most::<1>(vm, "ctime", 0, args, kw)?;
    let t = timestamp(vm, secs.as_ref())?;
    Ok(new_str(vm, &asctime(&broken_down(vm, t, true)?)))
}

/// `timezone`, `altzone`, `daylight`, `tzname` from the local offsets of
/// January and July of this year (CPython's `init_timezone` on glibc).
fn init_timezone(vm: &Vm, m: &Obj) -> PyResult<()> {
    const YEAR: libc::time_t = (365 * 24 + 6) * 3600;
    let now = timestamp(vm, None)?;
    let t = (now / YEAR) * YEAR;
    let zone = |tm: &libc::tm| {
        if tm.tm_zone.is_null() {
            String::new()
        } else {
            // SAFETY: set by the C library to a NUL-terminated string.
            let s = unsafe { CStr::from_ptr(tm.tm_zone) }.to_string_lossy().into_owned();
            s.chars().take(9).collect()
        }
    };
    let jan = broken_down(vm, t, true)?;
    let jul = broken_down(vm, t + YEAR / 2, true)?;
    let (janzone, julzone) = (-(jan.tm_gmtoff as i64), -(jul.tm_gmtoff as i64));
    let (janname, julname) = (zone(&jan), zone(&jul));
    let (tz, alt, names) = if janzone < julzone { (julzone, janzone, (julname, janname)) } else { (janzone, julzone, (janname, julname)) };
    add_attr(vm, m, "timezone", vm.int(tz))?;
    add_attr(vm, m, "altzone", vm.int(alt))?;
    add_attr(vm, m, "daylight", vm.int(i64::from(janzone != julzone)))?;
    add_attr(vm, m, "tzname", new_tuple(vm, vec![new_str(vm, &names.0), new_str(vm, &names.1)]))
}

fn time_tzset(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "time.tzset", args, kw)?;
    // SAFETY: `tzset` takes no arguments; it rereads `TZ`.
    unsafe { tzset() };
    let module = taipan_vm::import::import_absolute(vm, "time")?;
    init_timezone(vm, &module)?;
    Ok(vm.none.clone())
}

extern "C" {
    fn tzset();
}

fn time_get_clock_info(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name] = exact::<1>(vm, "time.get_clock_info", args, kw)?;
    let Some(n) = name.downcast::<StrData>() else {
        return Err(vm.type_error(format!("get_clock_info() argument 1 must be str, not {}", type_name(&name))));
    };
    let (imp, id, monotonic, adjustable) = match &*n.as_str() {
        "time" => ("clock_gettime(CLOCK_REALTIME)", libc::CLOCK_REALTIME, false, true),
        "monotonic" | "perf_counter" => ("clock_gettime(CLOCK_MONOTONIC)", libc::CLOCK_MONOTONIC, true, false),
        "process_time" => ("clock_gettime(CLOCK_PROCESS_CPUTIME_ID)", libc::CLOCK_PROCESS_CPUTIME_ID, true, false),
        "thread_time" => ("clock_gettime(CLOCK_THREAD_CPUTIME_ID)", libc::CLOCK_THREAD_CPUTIME_ID, true, false),
        _ => return Err(value_error(vm, "unknown clock")),
    };
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec.
    let res = if unsafe { libc::clock_getres(id, &mut ts) } == 0 { ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9 } else { 1e-9 };
    let ns = taipan_vm::types::namespace::new_namespace(vm);
    let set = |k: &str, v: Obj| taipan_vm::classes::setattr(vm, &ns, &vm.intern(k), v);
    set("implementation", new_str(vm, imp))?;
    set("monotonic", vm.bool(monotonic))?;
    set("adjustable", vm.bool(adjustable))?;
    set("resolution", float(vm, res))?;
    Ok(ns)
}
