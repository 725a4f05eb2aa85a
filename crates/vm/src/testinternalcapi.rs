//! `_testinternalcapi`: the few functions of CPython's internal test
//! module that have a real meaning for Taipan and that CPython's test
//! suite reads (`test.support.has_no_debug_ranges()`,
//! `support.get_recursion_depth()`, `test_fileutils`).
//!
//! - `get_config()`: the interpreter's configuration as a dict with
//!   `PyConfig`'s key names, built from `sys.flags` and the `sys`
//!   attributes Taipan really sets (Taipan always records column ranges,
//!   so `code_debug_ranges` is true unless `-X no_debug_ranges`).
//! - `get_recursion_depth()`: the depth the recursion limit is checked
//!   against (the one `sys.setrecursionlimit` reports).
//! - `normalize_path(path)`: lexical path normalisation
//!   (CPython's `_Py_normpath`).
//! - `EncodeLocaleEx(str, current_locale, errors)` /
//!   `DecodeLocaleEx(bytes, current_locale, errors)`: CPython's locale
//!   codec (`_Py_EncodeLocaleEx`), UTF-8 here as Taipan's filesystem
//!   encoding, with only the `strict`, `surrogateescape` and
//!   `surrogatepass` handlers; a codec error is a `RuntimeError`
//!   "encode error: pos=N, reason=R" (`test_codecs`).

use crate::modules::{add_functions, NativeModuleDef};
use crate::native::{exact, FunctionDef};
use crate::object::Obj;
use crate::types::builtin::{self, new_str};
use crate::types::Kwargs;
use crate::vm::Vm;
use crate::PyResult;

pub(crate) const MODULE: NativeModuleDef = NativeModuleDef { name: "_testinternalcapi", init };

fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("get_config", get_config, "Get the interpreter configuration as a dict."),
    FunctionDef::new("get_recursion_depth", get_recursion_depth, "Get the current recursion depth."),
    FunctionDef::new("normalize_path", normalize_path, "Normalize a path lexically."),
    FunctionDef::new("EncodeLocaleEx", encode_locale_ex, "Encode with the locale codec."),
    FunctionDef::new("DecodeLocaleEx", decode_locale_ex, "Decode with the locale codec."),
];

/// The arguments of `EncodeLocaleEx`/`DecodeLocaleEx`: the value and the
/// error handler (None is `strict`); other handlers are refused.
fn locale_args(vm: &Vm, fname: &str, args: &[Obj], kw: Kwargs) -> PyResult<(Obj, Obj)> {
    let [value, locale, errors] = crate::native::at_most::<3>(vm, fname, 1, args, kw)?;
    if let Some(l) = locale {
        crate::ops::index(vm, &l)?;
    }
    let errors = match errors {
        None => new_str(vm, "strict"),
        Some(e) => {
            let Some(s) = e.downcast::<builtin::StrData>() else {
                return Err(vm.type_error(format!("{fname}() argument 3 must be str, not {}", builtin::type_name(&e))));
            };
            if !matches!(&*s.as_str(), "strict" | "surrogateescape" | "surrogatepass") {
                return Err(vm.new_error(&vm.types.value_error, "unsupported error handler"));
            }
            e.clone()
        }
    };
    Ok((value.unwrap_or_else(|| vm.none.clone()), errors))
}

/// Runs a codec call, turning its `UnicodeError` into the RuntimeError
/// the C helpers report ("`what` error: pos=N, reason=R").
fn locale_codec(vm: &Vm, what: &str, r: PyResult<Obj>) -> PyResult<Obj> {
    match r {
        Err(e) if crate::types::is_subtype(&crate::types::type_of(&e.exc), &vm.types.unicode_error) => {
            let start = crate::classes::getattr(vm, &e.exc, &vm.intern("start"))?;
            let reason = crate::classes::getattr(vm, &e.exc, &vm.intern("reason"))?;
            let text = |o: &Obj| -> PyResult<String> {
                let s = crate::ops::str(vm, o)?;
                Ok(s.downcast::<builtin::StrData>().map(|s| s.as_str().into_owned()).unwrap_or_default())
            };
            let msg = format!("{what} error: pos={}, reason={}", text(&start)?, text(&reason)?);
            Err(vm.new_error(&vm.types.runtime_error, msg))
        }
        r => r,
    }
}

fn encode_locale_ex(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (text, errors) = locale_args(vm, "EncodeLocaleEx", args, kw)?;
    if text.downcast::<builtin::StrData>().is_none() {
        return Err(vm.type_error(format!("EncodeLocaleEx() argument 1 must be str, not {}", builtin::type_name(&text))));
    }
    let r = crate::lang::call_method(vm, &text, "encode", &[new_str(vm, "utf-8"), errors]);
    locale_codec(vm, "encode", r)
}

fn decode_locale_ex(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (data, errors) = locale_args(vm, "DecodeLocaleEx", args, kw)?;
    if data.downcast::<crate::types::bytes::BytesData>().is_none() {
        return Err(vm.type_error(format!("DecodeLocaleEx() argument 1 must be bytes, not {}", builtin::type_name(&data))));
    }
    let r = crate::lang::call_method(vm, &data, "decode", &[new_str(vm, "utf-8"), errors]);
    locale_codec(vm, "decode", r)
}

/// The `sys` attributes copied into the configuration, under their
/// `PyConfig` names.
const SYS_KEYS: &[(&str, &str)] = &[
    ("argv", "argv"),
    ("orig_argv", "orig_argv"),
    ("xoptions", "_xoptions"),
    ("warnoptions", "warnoptions"),
    ("executable", "executable"),
    ("base_executable", "_base_executable"),
    ("prefix", "prefix"),
    ("base_prefix", "base_prefix"),
    ("exec_prefix", "exec_prefix"),
    ("base_exec_prefix", "base_exec_prefix"),
    ("platlibdir", "platlibdir"),
    ("module_search_paths", "path"),
    ("pycache_prefix", "pycache_prefix"),
    ("stdlib_dir", "_stdlib_dir"),
];

fn get_config(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "get_config", args, kw)?;
    let f = crate::sysmodule::current_flags(vm);
    let d = builtin::new_dict(vm);
    let ints: [(&str, i64); 20] = [
        ("isolated", f.isolated),
        ("use_environment", i64::from(f.ignore_environment == 0)),
        ("dev_mode", i64::from(f.dev_mode)),
        ("site_import", i64::from(f.no_site == 0)),
        ("bytes_warning", f.bytes_warning),
        ("warn_default_encoding", f.warn_default_encoding),
        ("inspect", f.inspect),
        ("interactive", f.interactive),
        ("optimization_level", f.optimize),
        ("parser_debug", f.debug),
        ("write_bytecode", i64::from(f.dont_write_bytecode == 0)),
        ("verbose", f.verbose),
        ("quiet", f.quiet),
        ("user_site_directory", i64::from(f.no_user_site == 0)),
        ("safe_path", i64::from(f.safe_path)),
        ("int_max_str_digits", f.int_max_str_digits),
        ("use_hash_seed", i64::from(f.hash_randomization == 0)),
        ("utf8_mode", f.utf8_mode),
        ("code_debug_ranges", i64::from(crate::sysmodule::debug_ranges(vm))),
        ("buffered_stdio", 1),
    ];
    for (k, v) in ints {
        builtin::dict_set(vm, &d, new_str(vm, k), vm.int(v))?;
    }
    if let Some(sys) = builtin::dict_get_str(vm, &vm.modules, "sys")? {
        for (key, attr) in SYS_KEYS {
            if let Some(v) = crate::classes::getattr_opt(vm, &sys, &vm.intern(attr))? {
                // Lists are copied: the configuration is a snapshot.
                let v = match v.downcast::<builtin::ListData>() {
                    Some(l) => builtin::new_list(vm, l.items.borrow().clone()),
                    None => v,
                };
                builtin::dict_set(vm, &d, new_str(vm, key), v)?;
            }
        }
    }
    Ok(d)
}

fn get_recursion_depth(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "get_recursion_depth", args, kw)?;
    Ok(vm.int(i64::from(vm.depth.get())))
}

/// `_Py_normpath`: collapses separators and `.` components, resolves
/// `..` against the previous component (not above the root), keeps a
/// leading `//` (POSIX), gives `.` for an empty result.
fn normpath(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let lead = if path.starts_with("//") && !path.starts_with("///") {
        "//"
    } else if path.starts_with('/') {
        "/"
    } else {
        ""
    };
    let mut parts: Vec<&str> = Vec::new();
    for comp in path.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if lead.is_empty() {
                    parts.push("..");
                }
            }
            c => parts.push(c),
        }
    }
    let body = parts.join("/");
    let out = format!("{lead}{body}");
    if out.is_empty() {
        ".".into()
    } else {
        out
    }
}

fn normalize_path(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [p] = exact::<1>(vm, "normalize_path", args, kw)?;
    let Some(s) = p.downcast::<builtin::StrData>() else {
        return Err(vm.type_error(format!("normalize_path() argument must be str, not {}", builtin::type_name(&p))));
    };
    Ok(new_str(vm, &normpath(&s.as_str())))
}

#[cfg(test)]
mod tests {
    use super::normpath;

    #[test]
    fn normpath_matches_posixpath() {
        for (i, o) in [
            ("", "."),
            ("/", "/"),
            ("//", "//"),
            ("///", "/"),
            ("///foo/.//bar//", "/foo/bar"),
            ("///foo/.//bar//.//..//.//baz///", "/foo/baz"),
            ("///..//./foo/.//bar", "/foo/bar"),
            (".", "."),
            ("..", ".."),
            ("../..", "../.."),
            ("a/../..", ".."),
            ("a/b/../../c", "c"),
            ("a/./b", "a/b"),
            ("/..", "/"),
            ("//../x", "//x"),
        ] {
            assert_eq!(normpath(i), o, "{i}");
        }
    }
}
