//! `_io`: the I/O stack under `io.py` — the abstract bases (`iobase.rs`),
//! `FileIO` over a file descriptor (`fileio.rs`, system calls in
//! `sys.rs`), the buffered classes (`buffered.rs`), `TextIOWrapper` and
//! `IncrementalNewlineDecoder` (`textio.rs`), the in-memory `StringIO`
//! (`stringio.rs`) and `BytesIO` (`bytesio.rs`), `open()`, and the
//! standard streams `sys.stdin`/`sys.stdout`/`sys.stderr` ([`init_stdio`]).
//!
//! The classes talk to each other through Python method calls (a
//! `BufferedReader` calls `raw.read`, a `TextIOWrapper` calls
//! `buffer.read1`), so any Python object with those methods can sit
//! underneath, as in CPython.

mod buffered;
mod bytesio;
mod fileio;
mod iobase;
mod stringio;
mod sys;
mod textio;

use taipan_vm::modules::{add_attr, add_functions, NativeModuleDef};
use taipan_vm::native::{bind, new_type_with_dict, FunctionDef, Params};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{self, new_str, type_name, StrData};
use taipan_vm::types::{Kwargs, Slots};
use taipan_vm::{ops, PyErr, PyResult, Vm};

pub(crate) const DEFAULT_BUFFER_SIZE: usize = 8192;

pub const MODULE: NativeModuleDef = NativeModuleDef { name: "_io", init: init_module };

// ---------------------------------------------------------------- helpers

/// `obj.name(*args)`.
pub(crate) fn meth(vm: &Vm, obj: &Obj, name: &str, args: &[Obj]) -> PyResult<Obj> {
    taipan_vm::stdio::call_method(vm, obj, name, args)
}

/// `obj.name`.
pub(crate) fn attr(vm: &Vm, obj: &Obj, name: &str) -> PyResult<Obj> {
    taipan_vm::classes::getattr(vm, obj, &vm.intern(name))
}

pub(crate) fn truth(vm: &Vm, o: &Obj) -> PyResult<bool> {
    ops::truth(vm, o)
}

/// `io.UnsupportedOperation(msg)`.
pub(crate) fn unsupported(vm: &Vm, msg: &str) -> PyErr {
    let cls = unsupported_type(vm);
    PyErr { exc: builtin::new_exception(vm, &cls, vec![new_str(vm, msg)]) }
}

/// `ValueError("I/O operation on closed file")`, with the final period
/// the `_IOBase`/text classes use when `period`.
pub(crate) fn closed_error(vm: &Vm, period: bool) -> PyErr {
    vm.new_error(&vm.types.value_error, if period { "I/O operation on closed file." } else { "I/O operation on closed file" })
}

/// The `OSError` subclass for a system error (`FileNotFoundError`, ...),
/// with the file name when given.
pub(crate) fn os_error(vm: &Vm, e: std::io::Error, filename: Option<&Obj>) -> PyErr {
    let errno = e.raw_os_error().unwrap_or(0);
    let text = std::io::Error::from_raw_os_error(errno).to_string();
    let text = match text.rfind(" (os error ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    let mut args = vec![vm.int(errno as i64), new_str(vm, &text)];
    if let Some(f) = filename {
        args.push(f.clone());
    }
    match taipan_vm::classes::call_object(vm, &vm.types.os_error, &args) {
        Ok(exc) => PyErr { exc },
        Err(e) => e,
    }
}

/// An integer argument (`__index__`).
pub(crate) fn int_arg(vm: &Vm, o: &Obj) -> PyResult<i64> {
    let i = ops::index(vm, o)?;
    builtin::expect_int(vm, &i, "")
}

/// A size argument: None or missing is -1 (CPython's
/// `_Py_convert_optional_to_ssize_t`).
pub(crate) fn size_arg(vm: &Vm, o: Option<Obj>) -> PyResult<i64> {
    match o {
        None => Ok(-1),
        Some(o) if o.is(&vm.none) => Ok(-1),
        Some(o) => {
            if o.downcast::<builtin::IntData>().is_none()
                && taipan_vm::classes::getattr_opt(vm, &taipan_vm::types::type_of(&o), &vm.intern("__index__"))?.is_none()
            {
                return Err(vm.type_error(format!("argument should be integer or None, not '{}'", type_name(&o))));
            }
            int_arg(vm, &o)
        }
    }
}

/// Copies `data` into the writable buffer `target` (any read-write
/// bytes-like object: bytearray, array, mmap, writable memoryview, ...),
/// from its start; what does not fit is dropped.
pub(crate) fn write_into(vm: &Vm, target: &Obj, data: &[u8]) -> PyResult<()> {
    let n = data.len().min(writable_len(vm, target)?);
    if taipan_vm::types::bytes::write_buffer(target, 0, &data[..n]) {
        Ok(())
    } else {
        Err(not_writable(vm, target))
    }
}

/// The length of a writable buffer argument of `readinto`.
pub(crate) fn writable_len(vm: &Vm, target: &Obj) -> PyResult<usize> {
    taipan_vm::types::bytes::writable_buffer_len(target).ok_or_else(|| not_writable(vm, target))
}

fn not_writable(vm: &Vm, target: &Obj) -> taipan_vm::PyErr {
    vm.type_error(format!("readinto() argument must be read-write bytes-like object, not {}", type_name(target)))
}

/// The `__dict__` part of a memory stream's `__getstate__`: a copy of the
/// instance dict, or None when it has no attributes.
pub(crate) fn state_dict(vm: &Vm, this: &Obj) -> Obj {
    if taipan_vm::classes::own_attr_names(this).is_empty() {
        return vm.none.clone();
    }
    match taipan_vm::classes::instance_dict(vm, this) {
        Some(d) if taipan_vm::types::dict::dict_len(&d) > 0 => taipan_vm::types::dict::dict_copy(vm, &d),
        _ => vm.none.clone(),
    }
}

/// The `__dict__` part of a memory stream's `__setstate__`: None keeps
/// the attributes, a dict updates them (`which`: the item's ordinal in
/// the error message).
pub(crate) fn restore_state_dict(vm: &Vm, this: &Obj, item: &Obj, which: &str) -> PyResult<()> {
    if item.is(&vm.none) {
        return Ok(());
    }
    if item.downcast::<taipan_vm::types::dict::DictData>().is_none() {
        return Err(vm.type_error(format!("{which} item of state should be a dict, got a {}", type_name(item))));
    }
    if let Some(d) = taipan_vm::classes::instance_dict(vm, this) {
        taipan_vm::types::dict::dict_update_arg(vm, &d, item)?;
    }
    Ok(())
}

/// A `str` argument (or None when `none_ok`) as Rust text. As CPython's
/// `z` argument format: a lone surrogate is a UnicodeEncodeError, a NUL
/// a ValueError.
pub(crate) fn opt_str(vm: &Vm, o: &Option<Obj>, fname: &str, what: &str) -> PyResult<Option<String>> {
    opt_str_nul(vm, o, fname, what, false)
}

/// [`opt_str`]; with `nul_ok` a NUL is kept (the caller cuts the text
/// there, as CPython's C string would end).
pub(crate) fn opt_str_nul(vm: &Vm, o: &Option<Obj>, fname: &str, what: &str, nul_ok: bool) -> PyResult<Option<String>> {
    match o {
        None => Ok(None),
        Some(o) if o.is(&vm.none) => Ok(None),
        Some(o) => match o.downcast::<StrData>() {
            Some(s) => {
                if let Some(pos) = s.value.code_points().position(|c| (0xD800..0xE000).contains(&c)) {
                    let ty = &vm.types.unicode_encode_error;
                    return Err(taipan_vm::codecs::unicode_error(vm, ty, "utf-8", o.clone(), pos, pos + 1, "surrogates not allowed"));
                }
                let text = s.as_str().into_owned();
                if !nul_ok && text.contains('\0') {
                    return Err(vm.new_error(&vm.types.value_error, "embedded null character"));
                }
                Ok(Some(text))
            }
            None => Err(vm.type_error(format!("{fname}() argument '{what}' must be str or None, not {}", type_name(o)))),
        },
    }
}

// ------------------------------------------------------------------ types

pub(crate) fn iobase_type(vm: &Vm) -> Obj {
    vm.native_type("_io._IOBase", |vm| {
        new_type_with_dict::<()>(vm, "_io._IOBase", &[], iobase::iobase_slots(), iobase::IOBASE_METHODS, iobase::IOBASE_GETSETS)
    })
}

pub(crate) fn rawiobase_type(vm: &Vm) -> Obj {
    vm.native_type("_io._RawIOBase", |vm| {
        let base = iobase_type(vm);
        new_type_with_dict::<()>(vm, "_io._RawIOBase", &[&base], Slots::default(), iobase::RAWIOBASE_METHODS, &[])
    })
}

pub(crate) fn bufferediobase_type(vm: &Vm) -> Obj {
    vm.native_type("_io._BufferedIOBase", |vm| {
        let base = iobase_type(vm);
        new_type_with_dict::<()>(vm, "_io._BufferedIOBase", &[&base], Slots::default(), iobase::BUFFEREDIOBASE_METHODS, &[])
    })
}

pub(crate) fn textiobase_type(vm: &Vm) -> Obj {
    vm.native_type("_io._TextIOBase", |vm| {
        let base = iobase_type(vm);
        new_type_with_dict::<()>(vm, "_io._TextIOBase", &[&base], Slots::default(), iobase::TEXTIOBASE_METHODS, iobase::TEXTIOBASE_GETSETS)
    })
}

/// `io.UnsupportedOperation`, a class deriving from `OSError` and
/// `ValueError`.
pub(crate) fn unsupported_type(vm: &Vm) -> Obj {
    vm.native_type("_io.UnsupportedOperation", |vm| {
        let ns = builtin::new_dict(vm);
        let _ = builtin::dict_set(vm, &ns, vm.intern("__module__"), new_str(vm, "io"));
        let bases = vec![vm.types.os_error.clone(), vm.types.value_error.clone()];
        match taipan_vm::classes::new_class(vm, &vm.types.type_, "UnsupportedOperation", bases, &ns, &[]) {
            Ok(c) => {
                c.make_immortal();
                c
            }
            Err(_) => vm.types.os_error.clone(),
        }
    })
}

fn init_module(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_attr(vm, m, "DEFAULT_BUFFER_SIZE", vm.int(DEFAULT_BUFFER_SIZE as i64))?;
    add_attr(vm, m, "UnsupportedOperation", unsupported_type(vm))?;
    let blocking = vm.exception_type("BlockingIOError").unwrap_or_else(|| vm.types.os_error.clone());
    add_attr(vm, m, "BlockingIOError", blocking)?;
    add_attr(vm, m, "_IOBase", iobase_type(vm))?;
    add_attr(vm, m, "_RawIOBase", rawiobase_type(vm))?;
    add_attr(vm, m, "_BufferedIOBase", bufferediobase_type(vm))?;
    add_attr(vm, m, "_TextIOBase", textiobase_type(vm))?;
    add_attr(vm, m, "FileIO", fileio::fileio_type(vm))?;
    add_attr(vm, m, "BytesIO", bytesio::bytesio_type(vm))?;
    add_attr(vm, m, "StringIO", stringio::stringio_type(vm))?;
    add_attr(vm, m, "BufferedReader", buffered::reader_type(vm))?;
    add_attr(vm, m, "BufferedWriter", buffered::writer_type(vm))?;
    add_attr(vm, m, "BufferedRandom", buffered::random_type(vm))?;
    add_attr(vm, m, "BufferedRWPair", buffered::rwpair_type(vm))?;
    add_attr(vm, m, "TextIOWrapper", textio::textiowrapper_type(vm))?;
    add_attr(vm, m, "IncrementalNewlineDecoder", textio::newline_decoder_type(vm))?;
    add_functions(vm, m, FUNCTIONS)
}

static FUNCTIONS: &[FunctionDef] = &[
    FunctionDef::new("open", io_open, "Open file and return a stream.  Raise OSError upon failure."),
    FunctionDef::new("open_code", io_open_code, "Opens the provided file with the intent to import the contents."),
    FunctionDef::new("text_encoding", io_text_encoding, "A helper function to choose the text encoding."),
];

// ------------------------------------------------------------------ open()

static OPEN_PARAMS: Params = Params {
    fname: "open",
    names: &["file", "mode", "buffering", "encoding", "errors", "newline", "closefd", "opener"],
    posonly: 0,
    kwonly: 0,
    required: 1,
};

/// `open(file, mode='r', buffering=-1, encoding=None, errors=None,
/// newline=None, closefd=True, opener=None)`.
pub fn io_open(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [file, mode, buffering, encoding, errors, newline, closefd, opener] = bind::<8>(vm, &OPEN_PARAMS, args, kw)?;
    let file = file.unwrap_or_else(|| vm.none.clone());
    let mode_obj = mode.unwrap_or_else(|| new_str(vm, "r"));
    let Some(mode) = mode_obj.downcast::<StrData>().map(|s| s.as_str().into_owned()) else {
        return Err(vm.type_error(format!("open() argument 'mode' must be str, not {}", type_name(&mode_obj))));
    };
    let mut buffering = match &buffering {
        Some(b) => int_arg(vm, b)?,
        None => -1,
    };
    let encoding_s = opt_str(vm, &encoding, "open", "encoding")?;
    let errors_s = opt_str(vm, &errors, "open", "errors")?;
    let newline_s = opt_str(vm, &newline, "open", "newline")?;
    let closefd = match &closefd {
        Some(c) => truth(vm, c)?,
        None => true,
    };
    let (mut creating, mut reading, mut writing, mut appending, mut updating, mut text, mut binary) =
        (false, false, false, false, false, false, false);
    let invalid = || vm.new_error(&vm.types.value_error, format!("invalid mode: '{mode}'"));
    for (i, c) in mode.chars().enumerate() {
        if !"rwxab+t".contains(c) || mode[..mode.char_indices().nth(i).map_or(0, |x| x.0)].contains(c) {
            return Err(invalid());
        }
        match c {
            'x' => creating = true,
            'r' => reading = true,
            'w' => writing = true,
            'a' => appending = true,
            '+' => updating = true,
            't' => text = true,
            'b' => binary = true,
            _ => {}
        }
    }
    if text && binary {
        return Err(vm.new_error(&vm.types.value_error, "can't have text and binary mode at once"));
    }
    if [creating, reading, writing, appending].iter().filter(|&&x| x).count() != 1 {
        return Err(vm.new_error(&vm.types.value_error, "must have exactly one of create/read/write/append mode"));
    }
    if binary && encoding_s.is_some() {
        return Err(vm.new_error(&vm.types.value_error, "binary mode doesn't take an encoding argument"));
    }
    if binary && errors_s.is_some() {
        return Err(vm.new_error(&vm.types.value_error, "binary mode doesn't take an errors argument"));
    }
    if binary && newline_s.is_some() {
        return Err(vm.new_error(&vm.types.value_error, "binary mode doesn't take a newline argument"));
    }
    if binary && buffering == 1 {
        let warnings = taipan_vm::import::import_absolute(vm, "_warnings")?;
        let category = vm.exception_type("RuntimeWarning").unwrap_or_else(|| vm.types.exception.clone());
        let msg = new_str(vm, "line buffering (buffering=1) isn't supported in binary mode, the default buffer size will be used");
        crate::util::call_method(vm, &warnings, "warn", &[msg, category, vm.int(1)])?;
    }
    let mut rawmode = String::new();
    rawmode.push(if creating {
        'x'
    } else if reading {
        'r'
    } else if writing {
        'w'
    } else {
        'a'
    });
    if updating {
        rawmode.push('+');
    }
    let raw_args = [file, new_str(vm, &rawmode), vm.bool(closefd), opener.unwrap_or_else(|| vm.none.clone())];
    let raw = taipan_vm::classes::call_object(vm, &fileio::fileio_type(vm), &raw_args)?;
    let result = (|| -> PyResult<Obj> {
        let mut line_buffering = false;
        if buffering == 1 || buffering < 0 {
            let tty = meth(vm, &raw, "isatty", &[])?;
            if truth(vm, &tty)? {
                buffering = -1;
                line_buffering = true;
            } else if buffering == 1 && binary {
                buffering = -1;
            } else if buffering == 1 {
                buffering = -1;
                line_buffering = true;
            }
        }
        if buffering < 0 {
            buffering = raw.downcast::<fileio::FileIOData>().map_or(DEFAULT_BUFFER_SIZE as i64, |f| f.blksize.get());
        }
        if buffering == 0 {
            if binary {
                return Ok(raw.clone());
            }
            return Err(vm.new_error(&vm.types.value_error, "can't have unbuffered text I/O"));
        }
        let cls = if updating {
            buffered::random_type(vm)
        } else if creating || writing || appending {
            buffered::writer_type(vm)
        } else {
            buffered::reader_type(vm)
        };
        let buffer = taipan_vm::classes::call_object(vm, &cls, &[raw.clone(), vm.int(buffering)])?;
        if binary {
            return Ok(buffer);
        }
        let targs = [
            buffer.clone(),
            encoding.clone().unwrap_or_else(|| vm.none.clone()),
            errors.clone().unwrap_or_else(|| vm.none.clone()),
            newline.clone().unwrap_or_else(|| vm.none.clone()),
            vm.bool(line_buffering),
        ];
        let wrapper = taipan_vm::classes::call_object(vm, &textio::textiowrapper_type(vm), &targs);
        let wrapper = match wrapper {
            Ok(w) => w,
            Err(e) => {
                let _ = meth(vm, &buffer, "close", &[]);
                return Err(e);
            }
        };
        taipan_vm::classes::setattr(vm, &wrapper, &vm.intern("mode"), mode_obj.clone())?;
        Ok(wrapper)
    })();
    if result.is_err() {
        let _ = meth(vm, &raw, "close", &[]);
    }
    result
}

fn io_open_code(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "open_code", names: &["path"], posonly: 0, kwonly: 0, required: 1 };
    let [path] = bind::<1>(vm, &P, args, kw)?;
    let path = path.unwrap_or_else(|| vm.none.clone());
    if path.downcast::<StrData>().is_none() {
        return Err(vm.type_error(format!("open_code() argument 'path' must be str, not {}", type_name(&path))));
    }
    io_open(vm, &[path, new_str(vm, "rb")], &[])
}

fn io_text_encoding(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [encoding, stacklevel] = taipan_vm::native::at_most::<2>(vm, "text_encoding", 1, args, kw)?;
    match encoding {
        Some(e) if !e.is(&vm.none) => Ok(e),
        _ => {
            let stacklevel = match stacklevel {
                Some(s) => int_arg(vm, &s)?,
                None => 2,
            };
            warn_default_encoding(vm, stacklevel)?;
            let utf8 = taipan_vm::sysmodule::current_flags(vm).utf8_mode != 0;
            Ok(new_str(vm, if utf8 { "utf-8" } else { "locale" }))
        }
    }
}

/// PEP 597: with `-X warn_default_encoding`, an EncodingWarning
/// "'encoding' argument not specified".
pub(crate) fn warn_default_encoding(vm: &Vm, stacklevel: i64) -> PyResult<()> {
    if taipan_vm::sysmodule::current_flags(vm).warn_default_encoding == 0 {
        return Ok(());
    }
    taipan_vm::warnings::warn_builtin(vm, "EncodingWarning", "'encoding' argument not specified", stacklevel)
}

// ------------------------------------------------------- standard streams

/// One of the standard streams: `TextIOWrapper(BufferedWriter(FileIO(fd)))`
/// as CPython's `create_stdio` builds it, or None when `fd` is not open.
fn create_stdio(vm: &Vm, fd: i32, name: &str, write: bool, unbuffered: bool, encoding: &str, errors: &str) -> PyResult<Obj> {
    if sys::fstat(fd).is_err() {
        return Ok(vm.none.clone());
    }
    let mode = if write { "wb" } else { "rb" };
    let raw = taipan_vm::classes::call_object(vm, &fileio::fileio_type(vm), &[vm.int(fd as i64), new_str(vm, mode), vm.false_.clone()])?;
    let buffer = if unbuffered && write {
        raw.clone()
    } else {
        let cls = if write { buffered::writer_type(vm) } else { buffered::reader_type(vm) };
        taipan_vm::classes::call_object(vm, &cls, std::slice::from_ref(&raw))?
    };
    taipan_vm::classes::setattr(vm, &raw, &vm.intern("name"), new_str(vm, name))?;
    let tty = sys::isatty(fd);
    let line_buffering = !unbuffered && (tty || fd == 2);
    let kw = [(vm.intern("write_through"), vm.bool(unbuffered && write))];
    let text = taipan_vm::classes::call_object_kw(
        vm,
        &textio::textiowrapper_type(vm),
        &[buffer, new_str(vm, encoding), new_str(vm, errors), new_str(vm, "\n"), vm.bool(line_buffering)],
        &kw,
    )?;
    taipan_vm::classes::setattr(vm, &text, &vm.intern("mode"), new_str(vm, if write { "w" } else { "r" }))?;
    Ok(text)
}

/// Installs `sys.stdin`, `sys.stdout`, `sys.stderr` (and their `__x__`
/// originals) and the exit hook that flushes them.
pub fn init_stdio(vm: &Vm) -> PyResult<()> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    init_stdio_with(vm, env("PYTHONUNBUFFERED").is_some(), env("PYTHONIOENCODING"))
}

/// `init_stdio` with the command line's settings: `-u` (or
/// `PYTHONUNBUFFERED`) and `PYTHONIOENCODING` (None under `-E`). Called
/// again, it replaces the streams.
pub fn init_stdio_with(vm: &Vm, unbuffered: bool, ioencoding: Option<String>) -> PyResult<()> {
    let sys = taipan_vm::import::import_absolute(vm, "sys")?;
    // CPython uses surrogateescape for stdin/stdout under the C/POSIX
    // locale and its UTF-8 coercion targets.
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"].iter().find_map(|v| std::env::var(v).ok().filter(|x| !x.is_empty())).unwrap_or_default();
    let c_locale = matches!(locale.as_str(), "" | "C" | "POSIX" | "C.UTF-8" | "C.utf8" | "UTF-8");
    let mut errors = if c_locale { "surrogateescape" } else { "strict" }.to_string();
    // PYTHONIOENCODING=encoding[:errors]: an encoding alone means strict.
    let mut encoding = "utf-8".to_string();
    if let Some(v) = ioencoding {
        let (e, err) = match v.split_once(':') {
            Some((e, err)) => (e.to_string(), Some(err.to_string())),
            None => (v.clone(), None),
        };
        if !e.is_empty() {
            encoding = e;
            errors = "strict".to_string();
        }
        if let Some(err) = err.filter(|x| !x.is_empty()) {
            errors = err;
        }
    }
    let streams = [("stdin", 0, false, errors.as_str()), ("stdout", 1, true, errors.as_str()), ("stderr", 2, true, "backslashreplace")];
    for (name, fd, write, errors) in streams {
        let s = create_stdio(vm, fd, &format!("<{name}>"), write, unbuffered, &encoding, errors)?;
        add_attr(vm, &sys, name, s.clone())?;
        add_attr(vm, &sys, &format!("__{name}__"), s)?;
    }
    let open = taipan_vm::function::new_builtin_function(vm, "open", io_open);
    builtin::dict_set(vm, &vm.builtins, vm.intern("open"), open)?;
    taipan_vm::stdio::mark_ready(vm);
    vm.add_exit_hook(100, flush_std_streams);
    Ok(())
}

/// Flushes `sys.stdout` and `sys.stderr` (at exit; errors are ignored).
pub fn flush_std_streams(vm: &Vm) {
    for name in ["stdout", "stderr"] {
        if let Some(s) = taipan_vm::stdio::sys_attr(vm, name) {
            if s.is(&vm.none) {
                continue;
            }
            let closed = attr(vm, &s, "closed").and_then(|c| truth(vm, &c)).unwrap_or(true);
            if !closed {
                let _ = meth(vm, &s, "flush", &[]);
            }
        }
    }
}
