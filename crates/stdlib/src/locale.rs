//! The `_locale` module over the C library: `setlocale`, `localeconv`,
//! `nl_langinfo` and its constants, `getencoding`, `strcoll`/`strxfrm`,
//! the `LC_*` categories and `locale.Error`. [`init_ctype`] sets
//! `LC_CTYPE` from the environment at start-up, as CPython does (coercing
//! the C/POSIX locale to C.UTF-8).
//!
//! # Safety
//!
//! `setlocale`, `localeconv`, `nl_langinfo`, `strcoll` and `strxfrm` get
//! NUL-terminated strings from `CString`s alive across the call (or
//! null, for queries); the strings and the `lconv` they return are copied
//! at once, before any other locale call can invalidate them. The
//! interpreter is single-threaded (the GIL token `&Vm` is held).

use std::cell::RefCell;
use std::ffi::{CStr, CString};

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{at_most, exact, FunctionDef};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{self, new_list, new_str, type_name, IntData, StrData};
use taipan_vm::types::Kwargs;
use taipan_vm::{PyErr, PyResult, Vm};

/// Start-up: `LC_CTYPE` from the environment; "C"/"POSIX" become
/// "C.UTF-8" when that locale exists (PEP 538).
pub fn init_ctype() {
    // SAFETY: an empty string (a static C literal) asks for the environment.
    let name = unsafe { libc::setlocale(libc::LC_CTYPE, c"".as_ptr()) };
    let current = if name.is_null() {
        None
    } else {
        // SAFETY: setlocale returned a NUL-terminated string.
        Some(unsafe { CStr::from_ptr(name) }.to_string_lossy().into_owned())
    };
    if matches!(current.as_deref(), None | Some("C") | Some("POSIX")) {
        // SAFETY: a static C literal.
        unsafe { libc::setlocale(libc::LC_CTYPE, c"C.UTF-8".as_ptr()) };
    }
}

static FUNCTIONS: &[FunctionDef] = &[
    FunctionDef::new("setlocale", locale_setlocale, "Activates/queries locale processing."),
    FunctionDef::new("localeconv", locale_localeconv, "Returns numeric and monetary locale-specific parameters."),
    FunctionDef::new("nl_langinfo", locale_nl_langinfo, "Return the value for the locale information associated with key."),
    FunctionDef::new("getencoding", locale_getencoding, "Get the current locale encoding."),
    FunctionDef::new("strcoll", locale_strcoll, "Compares two strings according to the locale."),
    FunctionDef::new("strxfrm", locale_strxfrm, "Return a string that can be used as a key for locale-aware comparisons."),
];

const LANGINFO: &[(&str, libc::nl_item)] = &[
    ("CODESET", libc::CODESET),
    ("D_T_FMT", libc::D_T_FMT),
    ("D_FMT", libc::D_FMT),
    ("T_FMT", libc::T_FMT),
    ("T_FMT_AMPM", libc::T_FMT_AMPM),
    ("AM_STR", libc::AM_STR),
    ("PM_STR", libc::PM_STR),
    ("DAY_1", libc::DAY_1),
    ("DAY_2", libc::DAY_2),
    ("DAY_3", libc::DAY_3),
    ("DAY_4", libc::DAY_4),
    ("DAY_5", libc::DAY_5),
    ("DAY_6", libc::DAY_6),
    ("DAY_7", libc::DAY_7),
    ("ABDAY_1", libc::ABDAY_1),
    ("ABDAY_2", libc::ABDAY_2),
    ("ABDAY_3", libc::ABDAY_3),
    ("ABDAY_4", libc::ABDAY_4),
    ("ABDAY_5", libc::ABDAY_5),
    ("ABDAY_6", libc::ABDAY_6),
    ("ABDAY_7", libc::ABDAY_7),
    ("MON_1", libc::MON_1),
    ("MON_2", libc::MON_2),
    ("MON_3", libc::MON_3),
    ("MON_4", libc::MON_4),
    ("MON_5", libc::MON_5),
    ("MON_6", libc::MON_6),
    ("MON_7", libc::MON_7),
    ("MON_8", libc::MON_8),
    ("MON_9", libc::MON_9),
    ("MON_10", libc::MON_10),
    ("MON_11", libc::MON_11),
    ("MON_12", libc::MON_12),
    ("ABMON_1", libc::ABMON_1),
    ("ABMON_2", libc::ABMON_2),
    ("ABMON_3", libc::ABMON_3),
    ("ABMON_4", libc::ABMON_4),
    ("ABMON_5", libc::ABMON_5),
    ("ABMON_6", libc::ABMON_6),
    ("ABMON_7", libc::ABMON_7),
    ("ABMON_8", libc::ABMON_8),
    ("ABMON_9", libc::ABMON_9),
    ("ABMON_10", libc::ABMON_10),
    ("ABMON_11", libc::ABMON_11),
    ("ABMON_12", libc::ABMON_12),
    ("RADIXCHAR", libc::RADIXCHAR),
    ("THOUSEP", libc::THOUSEP),
    ("YESEXPR", libc::YESEXPR),
    ("NOEXPR", libc::NOEXPR),
    ("CRNCYSTR", libc::CRNCYSTR),
    ("ERA", libc::ERA),
    ("ERA_D_FMT", libc::ERA_D_FMT),
    ("ERA_D_T_FMT", libc::ERA_D_T_FMT),
    ("ERA_T_FMT", libc::ERA_T_FMT),
    ("ALT_DIGITS", libc::ALT_DIGITS),
    // glibc's `_DATE_FMT` (date(1)'s format).
    ("_DATE_FMT", 0x2006C),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCTIONS)?;
    for (name, v) in [
        ("LC_CTYPE", libc::LC_CTYPE),
        ("LC_NUMERIC", libc::LC_NUMERIC),
        ("LC_TIME", libc::LC_TIME),
        ("LC_COLLATE", libc::LC_COLLATE),
        ("LC_MONETARY", libc::LC_MONETARY),
        ("LC_MESSAGES", libc::LC_MESSAGES),
        ("LC_ALL", libc::LC_ALL),
        ("CHAR_MAX", libc::c_char::MAX as i32),
    ] {
        add_attr(vm, m, name, vm.int(v as i64))?;
    }
    for (name, v) in LANGINFO {
        add_attr(vm, m, name, vm.int(*v as i64))?;
    }
    add_attr(vm, m, "Error", locale_error(vm)?)
}

#[derive(Default)]
struct ErrorType(RefCell<Option<Obj>>);

/// `locale.Error`.
fn locale_error(vm: &Vm) -> PyResult<Obj> {
    if let Some(t) = vm.state::<ErrorType>().0.borrow().clone() {
        return Ok(t);
    }
    let ns = builtin::new_dict(vm);
    builtin::dict_set(vm, &ns, vm.intern("__module__"), new_str(vm, "locale"))?;
    let meta = vm.types.type_.clone();
    let t = taipan_vm::classes::new_class(vm, &meta, "Error", vec![vm.types.exception.clone()], &ns, &[])?;
    *vm.state::<ErrorType>().0.borrow_mut() = Some(t.clone());
    Ok(t)
}

fn c_string(p: *const libc::c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: the C library returned a NUL-terminated string.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

fn str_arg(vm: &Vm, o: &Obj, what: &str) -> PyResult<CString> {
    let Some(s) = o.downcast::<StrData>() else {
        return Err(vm.type_error(format!("{what} must be str, not {}", type_name(o))));
    };
    CString::new(s.as_str().as_bytes()).map_err(|_| vm.new_error(&vm.types.value_error, "embedded null character"))
}

fn locale_setlocale(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [category, locale] = at_most::<2>(vm, "setlocale", 1, args, kw)?;
    let category = match category.as_ref().and_then(|c| c.downcast::<IntData>()) {
        Some(IntData::Small(c)) => *c as libc::c_int,
        _ => return Err(vm.type_error("an integer is required")),
    };
    let locale = locale.filter(|l| !l.is(&vm.none));
    let name = match &locale {
        Some(l) => {
            let l = str_arg(vm, l, "setlocale() argument 2")?;
            // SAFETY: `l` is alive across the call.
            unsafe { libc::setlocale(category, l.as_ptr()) }
        }
        // SAFETY: a query.
        None => unsafe { libc::setlocale(category, std::ptr::null()) },
    };
    if name.is_null() {
        let msg = if locale.is_some() { "unsupported locale setting" } else { "locale query failed" };
        return Err(PyErr { exc: builtin::new_exception(vm, &locale_error(vm)?, vec![new_str(vm, msg)]) });
    }
    Ok(new_str(vm, &c_string(name)))
}

fn grouping(vm: &Vm, p: *const libc::c_char) -> Obj {
    let mut out = Vec::new();
    if !p.is_null() {
        // SAFETY: a NUL-terminated byte string from localeconv.
        let bytes = unsafe { CStr::from_ptr(p) }.to_bytes();
        for &b in bytes {
            out.push(vm.int(b as i8 as i64));
            if b == 127 {
                break;
            }
        }
    }
    new_list(vm, out)
}

fn locale_localeconv(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_locale.localeconv", args, kw)?;
    // SAFETY: the returned struct is read at once (see the module header).
    let lc = unsafe { &*libc::localeconv() };
    let d = builtin::new_dict(vm);
    let set = |k: &str, v: Obj| builtin::dict_set(vm, &d, vm.intern(k), v);
    let s = |p: *const libc::c_char| new_str(vm, &c_string(p));
    let n = |c: libc::c_char| vm.int(c as u8 as i64);
    set("int_curr_symbol", s(lc.int_curr_symbol))?;
    set("currency_symbol", s(lc.currency_symbol))?;
    set("mon_decimal_point", s(lc.mon_decimal_point))?;
    set("mon_thousands_sep", s(lc.mon_thousands_sep))?;
    set("mon_grouping", grouping(vm, lc.mon_grouping))?;
    set("positive_sign", s(lc.positive_sign))?;
    set("negative_sign", s(lc.negative_sign))?;
    set("int_frac_digits", n(lc.int_frac_digits))?;
    set("frac_digits", n(lc.frac_digits))?;
    set("p_cs_precedes", n(lc.p_cs_precedes))?;
    set("p_sep_by_space", n(lc.p_sep_by_space))?;
    set("n_cs_precedes", n(lc.n_cs_precedes))?;
    set("n_sep_by_space", n(lc.n_sep_by_space))?;
    set("p_sign_posn", n(lc.p_sign_posn))?;
    set("n_sign_posn", n(lc.n_sign_posn))?;
    set("decimal_point", s(lc.decimal_point))?;
    set("thousands_sep", s(lc.thousands_sep))?;
    set("grouping", grouping(vm, lc.grouping))?;
    Ok(d)
}

fn locale_nl_langinfo(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key] = exact::<1>(vm, "nl_langinfo", args, kw)?;
    let key = match key.downcast::<IntData>() {
        Some(IntData::Small(k)) => *k,
        _ => return Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer", type_name(&key)))),
    };
    if !LANGINFO.iter().any(|(_, v)| *v as i64 == key) {
        return Err(vm.new_error(&vm.types.value_error, "unsupported langinfo constant"));
    }
    // SAFETY: a known item; the result is copied at once.
    let p = unsafe { libc::nl_langinfo(key as libc::nl_item) };
    Ok(new_str(vm, &c_string(p)))
}

fn locale_getencoding(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_locale.getencoding", args, kw)?;
    // SAFETY: as in nl_langinfo.
    let codeset = c_string(unsafe { libc::nl_langinfo(libc::CODESET) });
    // CPython reports the C locale's ASCII codeset as UTF-8 when the
    // C locale was coerced; an empty answer means UTF-8 too.
    let enc = if codeset.is_empty() { "UTF-8".to_string() } else { codeset };
    Ok(new_str(vm, &enc))
}

fn locale_strcoll(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [a, b] = exact::<2>(vm, "strcoll", args, kw)?;
    let a = str_arg(vm, &a, "strcoll() argument 1")?;
    let b = str_arg(vm, &b, "strcoll() argument 2")?;
    // SAFETY: both strings alive across the call.
    let r = unsafe { libc::strcoll(a.as_ptr(), b.as_ptr()) };
    Ok(vm.int(r.signum() as i64))
}

fn locale_strxfrm(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [s] = exact::<1>(vm, "strxfrm", args, kw)?;
    let text = str_arg(vm, &s, "strxfrm() argument")?;
    // SAFETY: a size query (null buffer, size 0), then a buffer of the
    // reported size plus the terminator.
    let n = unsafe { libc::strxfrm(std::ptr::null_mut(), text.as_ptr(), 0) };
    let mut buf = vec![0u8; n + 1];
    unsafe { libc::strxfrm(buf.as_mut_ptr().cast(), text.as_ptr(), n + 1) };
    buf.truncate(n);
    Ok(new_str(vm, &String::from_utf8_lossy(&buf)))
}
