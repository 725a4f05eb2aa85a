//! The built-in exception hierarchy of Python 3.11, created from one table
//! ([`EXCEPTIONS`]), and the payload every exception instance carries.
//!
//! Families of classes with attributes of their own (`OSError.errno`,
//! `SyntaxError.lineno`, `StopIteration.value`, ...) keep them in
//! [`ExceptionData::fields`], indexed per family; their `__init__`
//! methods fill them from the arguments as CPython's `exceptions.c` does.
//! `__new__` (the `new` slot) sets `args` from the positional arguments and
//! then runs the class's `__init__`, so Python subclasses with an
//! `__init__` of their own work.

use std::cell::{Cell, RefCell};

use crate::native::{GetSetDef, MethodDef};
use crate::object::{alloc, Obj};
use crate::types::builtin::*;
use crate::types::{is_subtype, lookup, type_data, type_data_of, type_of, Kwargs, Slots};
use crate::vm::{PyErr, Vm};
use crate::PyResult;

/// A `BaseException` instance: its arguments, chaining and traceback.
pub struct ExceptionData {
    pub args: RefCell<Obj>,
    /// `__cause__` (`raise ... from cause`).
    pub cause: RefCell<Option<Obj>>,
    /// `__context__`: the exception being handled when this one was raised.
    pub context: RefCell<Option<Obj>>,
    pub suppress_context: Cell<bool>,
    /// `__traceback__`: (code object, instruction word) per frame the
    /// exception passed through, the frame that raised it first.
    /// (code, instruction, the frame's globals, its frame object),
    /// innermost first.
    pub traceback: RefCell<Vec<TbEntry>>,
    /// The traceback object last handed out for the first `n` entries of
    /// `traceback` (`(n, head)`): `__traceback__` keeps its identity, and
    /// frames added since chain onto it, as CPython's `tb_next` links do.
    /// See [`copy_traceback`] and [`set_traceback_entries`].
    pub tb_obj: RefCell<Option<(usize, Obj)>>,
    /// Other attributes (`__dict__`, where `__notes__` lives).
    pub dict: RefCell<Option<Obj>>,
    /// The attributes of the class's family (see [`Family`]), `None` (or
    /// absent) when unset.
    pub fields: RefCell<Vec<Option<Obj>>>,
    /// For a `NameError` raised by the eval loop: the names bound in the
    /// frame's locals and its globals dict, for the traceback's
    /// "Did you mean" suggestion.
    pub name_scope: RefCell<Option<(Vec<Obj>, Obj)>>,
}

/// Groups of exception classes sharing attributes and `__init__` rules.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Family {
    Base,
    /// `value`
    StopIteration,
    /// `code`
    SystemExit,
    /// `msg`, `name`, `path`
    Import,
    /// `errno`, `strerror`, `filename`, `filename2`
    Os,
    /// `msg`, `filename`, `lineno`, `offset`, `text`, `end_lineno`,
    /// `end_offset`, `print_file_and_line`
    Syntax,
    /// `name`
    Name,
    /// `name`, `obj`
    Attribute,
    /// `encoding`, `object`, `start`, `end`, `reason`
    UnicodeEncode,
    UnicodeDecode,
    UnicodeTranslate,
    /// `message`, `exceptions`
    Group,
    KeyError,
}

/// One built-in exception class: name, base, family, docstring.
pub struct ExcDef {
    pub name: &'static str,
    pub base: &'static str,
    pub family: Family,
    pub doc: &'static str,
}

const fn d(name: &'static str, base: &'static str, family: Family, doc: &'static str) -> ExcDef {
    ExcDef { name, base, family, doc }
}

use Family as F;

/// The hierarchy, each class after its base (`ExceptionGroup` also
/// derives from `Exception`).
pub static EXCEPTIONS: &[ExcDef] = &[
    d("BaseException", "object", F::Base, "Common base class for all exceptions"),
    d("BaseExceptionGroup", "BaseException", F::Group, "A combination of multiple unrelated exceptions."),
    d("GeneratorExit", "BaseException", F::Base, "Request that a generator exit."),
    d("KeyboardInterrupt", "BaseException", F::Base, "Program interrupted by user."),
    d("SystemExit", "BaseException", F::SystemExit, "Request to exit from the interpreter."),
    d("Exception", "BaseException", F::Base, "Common base class for all non-exit exceptions."),
    d("ArithmeticError", "Exception", F::Base, "Base class for arithmetic errors."),
    d("FloatingPointError", "ArithmeticError", F::Base, "Floating point operation failed."),
    d("OverflowError", "ArithmeticError", F::Base, "Result too large to be represented."),
    d("ZeroDivisionError", "ArithmeticError", F::Base, "Second argument to a division or modulo operation was zero."),
    d("AssertionError", "Exception", F::Base, "Assertion failed."),
    d("AttributeError", "Exception", F::Attribute, "Attribute not found."),
    d("BufferError", "Exception", F::Base, "Buffer error."),
    d("EOFError", "Exception", F::Base, "Read beyond end of file."),
    d("ExceptionGroup", "BaseExceptionGroup", F::Group, ""),
    d("ImportError", "Exception", F::Import, "Import can't find module, or can't find name in module."),
    d("ModuleNotFoundError", "ImportError", F::Import, "Module not found."),
    d("LookupError", "Exception", F::Base, "Base class for lookup errors."),
    d("IndexError", "LookupError", F::Base, "Sequence index out of range."),
    d("KeyError", "LookupError", F::KeyError, "Mapping key not found."),
    d("MemoryError", "Exception", F::Base, "Out of memory."),
    d("NameError", "Exception", F::Name, "Name not found globally."),
    d("UnboundLocalError", "NameError", F::Name, "Local name referenced but not bound to a value."),
    d("OSError", "Exception", F::Os, "Base class for I/O related errors."),
    d("BlockingIOError", "OSError", F::Os, "I/O operation would block."),
    d("ChildProcessError", "OSError", F::Os, "Child process error."),
    d("ConnectionError", "OSError", F::Os, "Connection error."),
    d("BrokenPipeError", "ConnectionError", F::Os, "Broken pipe."),
    d("ConnectionAbortedError", "ConnectionError", F::Os, "Connection aborted."),
    d("ConnectionRefusedError", "ConnectionError", F::Os, "Connection refused."),
    d("ConnectionResetError", "ConnectionError", F::Os, "Connection reset."),
    d("FileExistsError", "OSError", F::Os, "File already exists."),
    d("FileNotFoundError", "OSError", F::Os, "File not found."),
    d("InterruptedError", "OSError", F::Os, "Interrupted by signal."),
    d("IsADirectoryError", "OSError", F::Os, "Operation doesn't work on directories."),
    d("NotADirectoryError", "OSError", F::Os, "Operation only works on directories."),
    d("PermissionError", "OSError", F::Os, "Not enough permissions."),
    d("ProcessLookupError", "OSError", F::Os, "Process not found."),
    d("TimeoutError", "OSError", F::Os, "Timeout expired."),
    d("ReferenceError", "Exception", F::Base, "Weak ref proxy used after referent went away."),
    d("RuntimeError", "Exception", F::Base, "Unspecified run-time error."),
    d("NotImplementedError", "RuntimeError", F::Base, "Method or function hasn't been implemented yet."),
    d("RecursionError", "RuntimeError", F::Base, "Recursion limit exceeded."),
    d("StopAsyncIteration", "Exception", F::Base, "Signal the end from iterator.__anext__()."),
    d("StopIteration", "Exception", F::StopIteration, "Signal the end from iterator.__next__()."),
    d("SyntaxError", "Exception", F::Syntax, "Invalid syntax."),
    d("IndentationError", "SyntaxError", F::Syntax, "Improper indentation."),
    d("TabError", "IndentationError", F::Syntax, "Improper mixture of spaces and tabs."),
    d("SystemError", "Exception", F::Base, "Internal error in the Python interpreter.\n\nPlease report this to the Python maintainer, along with the traceback,\nthe Python version, and the hardware/OS platform and version."),
    d("TypeError", "Exception", F::Base, "Inappropriate argument type."),
    d("ValueError", "Exception", F::Base, "Inappropriate argument value (of correct type)."),
    d("UnicodeError", "ValueError", F::Base, "Unicode related error."),
    d("UnicodeDecodeError", "UnicodeError", F::UnicodeDecode, "Unicode decoding error."),
    d("UnicodeEncodeError", "UnicodeError", F::UnicodeEncode, "Unicode encoding error."),
    d("UnicodeTranslateError", "UnicodeError", F::UnicodeTranslate, "Unicode translation error."),
    d("Warning", "Exception", F::Base, "Base class for warning categories."),
    d("BytesWarning", "Warning", F::Base, "Base class for warnings about bytes and buffer related problems, mostly\nrelated to conversion from str or comparing to str."),
    d("DeprecationWarning", "Warning", F::Base, "Base class for warnings about deprecated features."),
    d("EncodingWarning", "Warning", F::Base, "Base class for warnings about encodings."),
    d("FutureWarning", "Warning", F::Base, "Base class for warnings about constructs that will change semantically\nin the future."),
    d("ImportWarning", "Warning", F::Base, "Base class for warnings about probable mistakes in module imports"),
    d("PendingDeprecationWarning", "Warning", F::Base, "Base class for warnings about features which will be deprecated\nin the future."),
    d("ResourceWarning", "Warning", F::Base, "Base class for warnings about resource usage."),
    d("RuntimeWarning", "Warning", F::Base, "Base class for warnings about dubious runtime behavior."),
    d("SyntaxWarning", "Warning", F::Base, "Base class for warnings about dubious syntax."),
    d("UnicodeWarning", "Warning", F::Base, "Base class for warnings about Unicode related problems, mostly\nrelated to conversion problems."),
    d("UserWarning", "Warning", F::Base, "Base class for warnings generated by user code."),
];

/// Creates the classes of [`EXCEPTIONS`], in table order.
pub(crate) fn create_exception_types(meta: &Obj, object: &Obj) -> Vec<(&'static str, Obj)> {
    let mut made: Vec<(&'static str, Obj)> = Vec::with_capacity(EXCEPTIONS.len());
    for def in EXCEPTIONS {
        let base = if def.base == "object" {
            object.clone()
        } else {
            match made.iter().find(|(n, _)| *n == def.base) {
                Some((_, b)) => b.clone(),
                None => unreachable!("exception table lists bases first"),
            }
        };
        let mut bases = vec![&base];
        let exception = made.iter().find(|(n, _)| *n == "Exception").map(|(_, e)| e.clone());
        if def.name == "ExceptionGroup" {
            if let Some(e) = &exception {
                bases.push(e);
            }
        }
        let ty = crate::vm::static_type::<ExceptionData>(meta, def.name, &bases, true, family_slots(def.family));
        made.push((def.name, ty));
    }
    made
}

/// The table entry of a built-in exception class by name.
fn def_of(name: &str) -> Option<&'static ExcDef> {
    // By a map (built once): `family_of` runs for every exception made.
    static BY_NAME: std::sync::OnceLock<crate::hash::FastMap<&'static str, usize>> = std::sync::OnceLock::new();
    let map = BY_NAME.get_or_init(|| {
        let mut m = crate::hash::FastMap::default();
        for (i, d) in EXCEPTIONS.iter().enumerate().rev() {
            m.insert(d.name, i);
        }
        m
    });
    map.get(name).and_then(|&i| EXCEPTIONS.get(i))
}

/// The family of exception class `ty`: that of the nearest built-in class
/// along its MRO.
pub fn family_of(ty: &Obj) -> Family {
    for t in type_data(ty).mro.borrow().iter() {
        let td = type_data(t);
        if !td.instances.owns_type {
            if let Some(d) = def_of(&td.name) {
                return d.family;
            }
        }
    }
    Family::Base
}

/// Puts the methods, attributes and docstrings in the exception classes'
/// dicts.
pub(crate) fn install_exception_methods(vm: &Vm) {
    use crate::native::{add_getsets, add_methods};
    for (name, ty) in &vm.types.exceptions {
        let Some(def) = def_of(name) else { continue };
        let doc = if def.doc.is_empty() { vm.none.clone() } else { vm.intern(def.doc) };
        type_data(ty).dict.borrow_mut().insert("__doc__", doc);
        type_data(ty).dict.borrow_mut().insert("__module__", vm.intern("builtins"));
        crate::types::type_modified(ty);
        let root = match def.family {
            F::Base => def.name == "BaseException",
            F::KeyError => false,
            F::Syntax => def.name == "SyntaxError",
            F::Os => def.name == "OSError",
            F::Import => def.name == "ImportError",
            F::Name => def.name == "NameError",
            F::Group => def.name == "BaseExceptionGroup",
            _ => true,
        };
        if !root {
            continue;
        }
        match def.family {
            F::Base => {
                add_methods(vm, ty, BASE_EXCEPTION_METHODS);
                add_getsets(vm, ty, BASE_EXCEPTION_GETSETS);
            }
            F::StopIteration => add_getsets(vm, ty, STOP_ITERATION_GETSETS),
            F::SystemExit => add_getsets(vm, ty, SYSTEM_EXIT_GETSETS),
            F::Import => add_getsets(vm, ty, IMPORT_ERROR_GETSETS),
            F::Os => add_getsets(vm, ty, OS_ERROR_GETSETS),
            F::Syntax => add_getsets(vm, ty, SYNTAX_ERROR_GETSETS),
            F::Name => add_getsets(vm, ty, NAME_ERROR_GETSETS),
            F::Attribute => add_getsets(vm, ty, ATTRIBUTE_ERROR_GETSETS),
            F::UnicodeEncode | F::UnicodeDecode | F::UnicodeTranslate => add_getsets(vm, ty, UNICODE_ERROR_GETSETS),
            F::Group => {
                add_methods(vm, ty, GROUP_METHODS);
                add_getsets(vm, ty, GROUP_GETSETS);
            }
            F::KeyError => {}
        }
        if def.family != F::Base {
            add_methods(vm, ty, family_init(def.family));
        }
    }
}

macro_rules! init_table {
    ($name:ident, $f:ident) => {
        static $name: &[MethodDef] = &[MethodDef::method("__init__", $f, "Initialize self.  See help(type(self)) for accurate signature.")];
    };
}

init_table!(STOP_ITERATION_INIT, stop_iteration_init);
init_table!(SYSTEM_EXIT_INIT, system_exit_init);
init_table!(IMPORT_ERROR_INIT, import_error_init);
init_table!(OS_ERROR_INIT, os_error_init);
init_table!(SYNTAX_ERROR_INIT, syntax_error_init);
init_table!(NAME_ERROR_INIT, name_error_init);
init_table!(ATTRIBUTE_ERROR_INIT, attribute_error_init);
init_table!(UNICODE_ERROR_INIT, unicode_error_init);
init_table!(GROUP_INIT, group_init);

fn family_init(f: Family) -> &'static [MethodDef] {
    match f {
        F::StopIteration => STOP_ITERATION_INIT,
        F::SystemExit => SYSTEM_EXIT_INIT,
        F::Import => IMPORT_ERROR_INIT,
        F::Os => OS_ERROR_INIT,
        F::Syntax => SYNTAX_ERROR_INIT,
        F::Name => NAME_ERROR_INIT,
        F::Attribute => ATTRIBUTE_ERROR_INIT,
        F::UnicodeEncode | F::UnicodeDecode | F::UnicodeTranslate => UNICODE_ERROR_INIT,
        F::Group => GROUP_INIT,
        F::Base | F::KeyError => &[],
    }
}

/// A new exception of class `ty` with positional `args`, initialised as
/// the built-in `__init__` of its family would (Rust callers raising
/// `StopIteration(v)`, `OSError(errno, msg)`, ...).
pub fn new_exception(vm: &Vm, ty: &Obj, args: Vec<Obj>) -> Obj {
    let family = family_of(ty);
    if matches!(family, F::Base | F::KeyError | F::StopIteration) {
        // Their `__init__` only stores the arguments again (and
        // StopIteration's value): skip making the args tuple twice.
        let value = if family == F::StopIteration { Some(args.first().cloned()) } else { None };
        let o = alloc_exception(vm, ty, args);
        if let Some(v) = value {
            set_exc_field(&o, 0, v);
        }
        return o;
    }
    let o = alloc_exception(vm, ty, args.clone());
    let _ = native_init(vm, &o, family, &args, &[]);
    o
}

fn alloc_exception(vm: &Vm, ty: &Obj, args: Vec<Obj>) -> Obj {
    alloc(
        ty.clone(),
        ExceptionData {
            args: RefCell::new(new_tuple(vm, args)),
            cause: RefCell::new(None),
            context: RefCell::new(None),
            suppress_context: Cell::new(false),
            traceback: RefCell::new(Vec::new()),
            tb_obj: RefCell::new(None),
            dict: RefCell::new(None),
            fields: RefCell::new(Vec::new()),
            name_scope: RefCell::new(None),
        },
    )
}

pub fn exception_data(o: &Obj) -> Option<&ExceptionData> {
    o.downcast::<ExceptionData>()
}

fn exc_data<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a ExceptionData> {
    exception_data(o).ok_or_else(|| vm.type_error(format!("descriptor requires a 'BaseException' object but received '{}'", type_name(o))))
}

/// Field `i` of the family attributes (`None` when unset).
pub fn exc_field(o: &Obj, i: usize) -> Option<Obj> {
    exception_data(o).and_then(|d| d.fields.borrow().get(i).cloned().flatten())
}

/// Sets field `i` of the family attributes.
pub fn set_exc_field(o: &Obj, i: usize, v: Option<Obj>) {
    if let Some(d) = exception_data(o) {
        let old = {
            let mut f = d.fields.borrow_mut();
            if f.len() <= i {
                f.resize(i + 1, None);
            }
            std::mem::replace(&mut f[i], v)
        };
        drop(old);
    }
}

/// The positional arguments (`args` as a vector).
pub fn exc_args(o: &Obj) -> Vec<Obj> {
    exception_data(o).and_then(|d| d.args.borrow().downcast::<TupleData>().map(|t| t.items.to_vec())).unwrap_or_default()
}

fn set_args(vm: &Vm, o: &Obj, args: &[Obj]) {
    if let Some(d) = exception_data(o) {
        let old = d.args.replace(new_tuple(vm, args.to_vec()));
        drop(old);
    }
}

/// `BaseException.__new__` then `__init__`: the `new` slot of every
/// exception class.
fn exception_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let mut cls = cls.clone();
    let family = family_of(&cls);
    if family == F::Os
        && !kw.is_empty()
        && lookup(&cls, "__init__").is_some_and(|i| i.downcast::<crate::native::MethodDescrData>().is_some())
    {
        return Err(vm.type_error(format!("{}() takes no keyword arguments", type_data(&cls).name)));
    }
    if family == F::Group {
        cls = group_class(vm, &cls, args)?;
    }
    if family == F::Os && cls.is(&os_error_type(vm)) && (2..=5).contains(&args.len()) {
        if let Some(IntData::Small(errno)) = args[0].downcast::<IntData>() {
            if let Some(sub) = errno_subclass(*errno) {
                if let Some(t) = vm.exception_type(sub) {
                    cls = t;
                }
            }
        }
    }
    // `type.__call__` runs `__init__` next (the class's, or
    // `BaseException.__init__`, the `init` slot below).
    let obj = alloc_exception(vm, &cls, args.to_vec());
    if family == F::Group {
        // CPython fills a group's fields in `__new__`: a subclass whose
        // `__init__` takes other arguments still has them.
        set_group_fields(vm, &obj, args)?;
    }
    Ok(obj)
}

/// `message` and `exceptions` of a group from `(message, exceptions)`.
fn set_group_fields(vm: &Vm, this: &Obj, args: &[Obj]) -> PyResult<()> {
    if let [msg, excs] = args {
        set_exc_field(this, 0, Some(msg.clone()));
        let items = crate::sequence::to_vec(vm, excs)?;
        set_exc_field(this, 1, Some(new_tuple(vm, items)));
    }
    Ok(())
}

/// `BaseException.__init__` (and each family's): stores `args` and the
/// family's attributes.
fn exception_init(vm: &Vm, obj: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    native_init(vm, obj, family_of(&type_of(obj)), args, kw)?;
    Ok(vm.none.clone())
}

fn os_error_type(vm: &Vm) -> Obj {
    vm.exception_type("OSError").unwrap_or_else(|| vm.types.exception.clone())
}

/// The `OSError` subclass CPython picks for an errno (Linux values).
pub fn errno_subclass(errno: i64) -> Option<&'static str> {
    Some(match errno {
        11 | 114 | 115 => "BlockingIOError",
        10 => "ChildProcessError",
        32 | 108 => "BrokenPipeError",
        103 => "ConnectionAbortedError",
        111 => "ConnectionRefusedError",
        104 => "ConnectionResetError",
        17 => "FileExistsError",
        2 => "FileNotFoundError",
        21 => "IsADirectoryError",
        20 => "NotADirectoryError",
        4 => "InterruptedError",
        1 | 13 => "PermissionError",
        3 => "ProcessLookupError",
        110 => "TimeoutError",
        _ => return None,
    })
}

/// The built-in `__init__` of a family.
fn native_init(vm: &Vm, o: &Obj, family: Family, args: &[Obj], kw: Kwargs) -> PyResult<()> {
    let this = o.clone();
    let a = args;
    match family {
        F::Base | F::KeyError => base_init(vm, &this, a, kw).map(drop),
        F::StopIteration => stop_iteration_init(vm, &this, a, kw).map(drop),
        F::SystemExit => system_exit_init(vm, &this, a, kw).map(drop),
        F::Import => import_error_init(vm, &this, a, kw).map(drop),
        F::Os => os_error_init(vm, &this, a, kw).map(drop),
        F::Syntax => syntax_error_init(vm, &this, a, kw).map(drop),
        F::Name => name_error_init(vm, &this, a, kw).map(drop),
        F::Attribute => attribute_error_init(vm, &this, a, kw).map(drop),
        F::UnicodeEncode | F::UnicodeDecode | F::UnicodeTranslate => unicode_error_init(vm, &this, a, kw).map(drop),
        F::Group => group_init(vm, &this, a, kw).map(drop),
    }
}

fn no_keywords(vm: &Vm, this: &Obj, kw: Kwargs) -> PyResult<()> {
    if kw.is_empty() {
        Ok(())
    } else {
        Err(vm.type_error(format!("{}() takes no keyword arguments", type_name(this))))
    }
}

fn base_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_keywords(vm, this, kw)?;
    exc_data(vm, this)?;
    set_args(vm, this, args);
    Ok(vm.none.clone())
}

fn stop_iteration_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    base_init(vm, this, args, kw)?;
    set_exc_field(this, 0, args.first().cloned());
    Ok(vm.none.clone())
}

fn system_exit_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    base_init(vm, this, args, kw)?;
    let code = match args {
        [] => None,
        [one] => Some(one.clone()),
        many => Some(new_tuple(vm, many.to_vec())),
    };
    set_exc_field(this, 0, code);
    Ok(vm.none.clone())
}

/// Keyword arguments limited to `names`, as `(index, value)`.
fn only_keywords(vm: &Vm, this: &Obj, kw: Kwargs, names: &[&str]) -> PyResult<Vec<(usize, Obj)>> {
    let mut out = Vec::new();
    for (k, v) in kw {
        let key = str_data(k).as_str().into_owned();
        match names.iter().position(|n| *n == key) {
            Some(i) => out.push((i, v.clone())),
            None => return Err(vm.type_error(format!("'{key}' is an invalid keyword argument for {}()", type_name(this)))),
        }
    }
    Ok(out)
}

fn import_error_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let kws = only_keywords(vm, this, kw, &["name", "path"])?;
    exc_data(vm, this)?;
    set_args(vm, this, args);
    set_exc_field(this, 0, if args.len() == 1 { Some(args[0].clone()) } else { None });
    set_exc_field(this, 1, None);
    set_exc_field(this, 2, None);
    for (i, v) in kws {
        set_exc_field(this, i + 1, Some(v));
    }
    Ok(vm.none.clone())
}

fn name_error_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let kws = only_keywords(vm, this, kw, &["name"])?;
    exc_data(vm, this)?;
    set_args(vm, this, args);
    for (i, v) in kws {
        set_exc_field(this, i, Some(v));
    }
    Ok(vm.none.clone())
}

fn attribute_error_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let kws = only_keywords(vm, this, kw, &["name", "obj"])?;
    exc_data(vm, this)?;
    set_args(vm, this, args);
    for (i, v) in kws {
        set_exc_field(this, i, Some(v));
    }
    Ok(vm.none.clone())
}

/// `OSError(errno, strerror[, filename[, winerror[, filename2]]])`; with a
/// filename, `args` keeps only the first two.
fn os_error_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_keywords(vm, this, kw)?;
    exc_data(vm, this)?;
    for i in 0..5 {
        set_exc_field(this, i, None);
    }
    let mut kept = args;
    if (2..=5).contains(&args.len()) {
        set_exc_field(this, 0, Some(args[0].clone()));
        set_exc_field(this, 1, Some(args[1].clone()));
        let blocking = vm.exception_type("BlockingIOError").is_some_and(|t| type_of(this).is(&t));
        if let Some(f) = args.get(2).filter(|f| blocking && is_number(f)) {
            // BlockingIOError's third argument: the characters written.
            let n = characters_written_value(vm, f)?;
            set_exc_field(this, 4, Some(n));
        } else if let Some(f) = args.get(2).filter(|f| !f.is(&vm.none)) {
            set_exc_field(this, 2, Some(f.clone()));
            if let Some(f2) = args.get(4).filter(|f| !f.is(&vm.none)) {
                set_exc_field(this, 3, Some(f2.clone()));
            }
            kept = &args[..2];
        }
    }
    set_args(vm, this, kept);
    Ok(vm.none.clone())
}

/// `SyntaxError(msg, (filename, lineno, offset, text[, end_lineno,
/// end_offset]))`.
fn syntax_error_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_keywords(vm, this, kw)?;
    exc_data(vm, this)?;
    set_args(vm, this, args);
    if let Some(m) = args.first() {
        set_exc_field(this, 0, Some(m.clone()));
    }
    if args.len() == 2 {
        let info = crate::sequence::to_vec(vm, &args[1])
            .map_err(|_| vm.type_error(format!("'{}' object is not iterable", type_name(&args[1]))))?;
        if info.len() < 4 {
            return Err(vm.type_error(format!("function takes at least 4 arguments ({} given)", info.len())));
        }
        if info.len() > 6 {
            return Err(vm.type_error(format!("function takes at most 6 arguments ({} given)", info.len())));
        }
        if info.len() == 5 {
            return Err(vm.type_error("end_offset must be provided when end_lineno is provided"));
        }
        for (i, v) in info.into_iter().enumerate() {
            set_exc_field(this, i + 1, Some(v));
        }
    }
    Ok(vm.none.clone())
}

fn unicode_error_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_keywords(vm, this, kw)?;
    exc_data(vm, this)?;
    set_args(vm, this, args);
    let family = family_of(&type_of(this));
    let n = if family == F::UnicodeTranslate { 4 } else { 5 };
    if args.len() != n {
        return Err(vm.type_error(format!("function takes exactly {n} arguments ({} given)", args.len())));
    }
    // (encoding, object, start, end, reason); translate has no encoding.
    let offset = 5 - n;
    for (i, a) in args.iter().enumerate() {
        let slot = i + offset;
        let ok = match slot {
            0 | 4 => a.downcast::<StrData>().is_some(),
            1 if family == F::UnicodeDecode => {
                // Any bytes-like object, kept as bytes.
                let Some(data) = crate::types::bytes::as_buffer(a) else {
                    return Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(a))));
                };
                let data = data.into_owned();
                set_exc_field(this, slot, Some(crate::types::bytes::new_bytes(vm, data)));
                continue;
            }
            1 => a.downcast::<StrData>().is_some(),
            _ => a.downcast::<IntData>().is_some(),
        };
        if !ok {
            let want = match slot {
                2 | 3 => return Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer", type_name(a)))),
                _ => "str",
            };
            return Err(vm.type_error(format!("argument {} must be {want}, not {}", i + 1, type_name(a))));
        }
        set_exc_field(this, slot, Some(a.clone()));
    }
    Ok(vm.none.clone())
}

// ---------------------------------------------------------------------
// BaseException's methods and attributes.

static BASE_EXCEPTION_METHODS: &[MethodDef] = &[
    MethodDef::method("__init__", base_init, "Initialize self.  See help(type(self)) for accurate signature."),
    MethodDef::method(
        "with_traceback",
        exc_with_traceback,
        "Exception.with_traceback(tb) --\n    set self.__traceback__ to tb and return self.",
    ),
    MethodDef::method("add_note", exc_add_note, "Exception.add_note(note) --\n    add a note to the exception"),
    MethodDef::method("__reduce__", exc_reduce, ""),
    MethodDef::method("__setstate__", exc_setstate, ""),
];

/// `BaseException.__reduce__()`: `(type(self), self.args)`, plus the
/// `__dict__` when the instance has one.
fn exc_reduce(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    crate::native::exact::<0>(vm, "__reduce__", args, kw)?;
    let d = exc_data(vm, this)?;
    let mut args = d.args.borrow().clone();
    let mut dict = d.dict.borrow().clone();
    match family_of(&type_of(this)) {
        // The filenames `__init__` took out of `args` go back in.
        Family::Os => {
            let items = args.downcast::<TupleData>().map(|t| t.items.to_vec()).unwrap_or_default();
            if let (2, Some(f)) = (items.len(), exc_field(this, 2)) {
                let mut items = items;
                items.push(f);
                if let Some(f2) = exc_field(this, 3) {
                    items.push(vm.none.clone());
                    items.push(f2);
                }
                args = new_tuple(vm, items);
            }
        }
        // `name` and `path` travel in the state.
        Family::Import => {
            let extra: Vec<(&str, Obj)> = [("name", 1), ("path", 2)]
                .into_iter()
                .filter_map(|(k, i)| exc_field(this, i).filter(|v| !v.is(&vm.none)).map(|v| (k, v)))
                .collect();
            if !extra.is_empty() {
                let state = match &dict {
                    Some(d) => dict_copy(vm, d),
                    None => new_dict(vm),
                };
                for (k, v) in extra {
                    dict_set(vm, &state, vm.intern(k), v)?;
                }
                dict = Some(state);
            }
        }
        _ => {}
    }
    let mut parts = vec![type_of(this), args];
    if let Some(dict) = dict {
        parts.push(dict);
    }
    Ok(new_tuple(vm, parts))
}

/// `BaseException.__setstate__(state)`: the state dict's items become
/// attributes.
fn exc_setstate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [state] = crate::native::exact::<1>(vm, "__setstate__", args, kw)?;
    if !state.is(&vm.none) {
        if state.downcast::<crate::types::builtin::DictData>().is_none() {
            return Err(vm.type_error("state is not a dictionary"));
        }
        for (k, v) in crate::types::builtin::dict_items(&state) {
            crate::classes::setattr(vm, this, &k, v)?;
        }
    }
    Ok(vm.none.clone())
}

static BASE_EXCEPTION_GETSETS: &[GetSetDef] = &[
    GetSetDef::new("args", get_args, set_args_attr, ""),
    GetSetDef::new("__traceback__", get_traceback, set_traceback, ""),
    GetSetDef::new("__cause__", get_cause, set_cause, "exception cause"),
    GetSetDef::new("__context__", get_context, set_context, "exception context"),
    GetSetDef::new("__suppress_context__", get_suppress, set_suppress, ""),
];

fn get_args(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(exc_data(vm, o)?.args.borrow().clone())
}

fn set_args_attr(vm: &Vm, o: &Obj, v: Option<Obj>) -> PyResult<()> {
    let Some(v) = v else { return Err(vm.type_error("args may not be deleted")) };
    let items = crate::sequence::to_vec(vm, &v).map_err(|_| vm.type_error(format!("'{}' object is not iterable", type_name(&v))))?;
    set_args(vm, o, &items);
    Ok(())
}

fn get_cause(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(exc_data(vm, o)?.cause.borrow().clone().unwrap_or_else(|| vm.none.clone()))
}

fn chain_value(vm: &Vm, v: Option<Obj>, what: &str) -> PyResult<Option<Obj>> {
    match v {
        None => Err(vm.type_error(format!("{what} may not be deleted"))),
        Some(v) if v.is(&vm.none) => Ok(None),
        Some(v) if exception_data(&v).is_some() => Ok(Some(v)),
        Some(_) => Err(vm.type_error(format!("exception {what} must be None or derive from BaseException"))),
    }
}

fn set_cause(vm: &Vm, o: &Obj, v: Option<Obj>) -> PyResult<()> {
    let v = chain_value(vm, v, "cause").map_err(|e| if v_deleted(&e) { vm.type_error("__cause__ may not be deleted") } else { e })?;
    let d = exc_data(vm, o)?;
    let old = d.cause.replace(v);
    d.suppress_context.set(true);
    drop(old);
    Ok(())
}

fn v_deleted(e: &PyErr) -> bool {
    exc_args(&e.exc).first().and_then(|m| m.downcast::<StrData>().map(|s| s.as_str().ends_with("may not be deleted"))).unwrap_or(false)
}

fn get_context(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(exc_data(vm, o)?.context.borrow().clone().unwrap_or_else(|| vm.none.clone()))
}

fn set_context(vm: &Vm, o: &Obj, v: Option<Obj>) -> PyResult<()> {
    let v = chain_value(vm, v, "context").map_err(|e| if v_deleted(&e) { vm.type_error("__context__ may not be deleted") } else { e })?;
    let old = exc_data(vm, o)?.context.replace(v);
    drop(old);
    Ok(())
}

fn get_suppress(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(vm.bool(exc_data(vm, o)?.suppress_context.get()))
}

fn set_suppress(vm: &Vm, o: &Obj, v: Option<Obj>) -> PyResult<()> {
    let Some(v) = v else { return Err(vm.type_error("can't delete numeric/char attribute")) };
    if !v.is(&vm.true_) && !v.is(&vm.false_) {
        return Err(vm.type_error("attribute value type must be bool"));
    }
    exc_data(vm, o)?.suppress_context.set(v.is(&vm.true_));
    Ok(())
}

/// One entry of an exception's traceback: the code, its instruction, the
/// frame's globals and the frame's frame object (`tb_frame`) when known.
pub type TbEntry = (Obj, u32, Obj, Option<Obj>);

/// A `traceback` object: one entry of an exception's traceback, linked to
/// the next (inner) one.
pub struct TracebackData {
    pub code: Obj,
    pub word: u32,
    /// The globals the frame ran with (`tb_frame.f_globals`).
    pub globals: Obj,
    /// `tb_next` (assignable, as unittest trims tracebacks).
    pub next: RefCell<Option<Obj>>,
    /// The frame's frame object when known (`attach_frames`); otherwise
    /// `tb_frame` is a snapshot of code, line and globals.
    pub frame: RefCell<Option<Obj>>,
    /// `tb_lineno` when given to the constructor (else the line of `word`).
    pub lineno: Option<u32>,
}

static TRACEBACK_PARAMS: crate::native::Params = crate::native::Params {
    fname: "TracebackType",
    names: &["tb_next", "tb_frame", "tb_lasti", "tb_lineno"],
    posonly: 0,
    kwonly: 0,
    required: 4,
};

/// `types.TracebackType(tb_next, tb_frame, tb_lasti, tb_lineno)`.
fn traceback_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [next, frame, lasti, lineno] = crate::native::bind::<4>(vm, &TRACEBACK_PARAMS, args, kw)?;
    let (Some(next), Some(frame), Some(lasti), Some(lineno)) = (next, frame, lasti, lineno) else {
        return Err(vm.type_error("TracebackType() missing required argument"));
    };
    let next = if next.is(&vm.none) {
        None
    } else if next.downcast::<TracebackData>().is_some() {
        Some(next)
    } else {
        return Err(vm.type_error(format!("expected traceback object or None, got '{}'", type_name(&next))));
    };
    let Some(fd) = frame.downcast::<crate::sysmodule::FrameData>() else {
        return Err(vm.type_error(format!("TracebackType() argument 'tb_frame' must be frame, not {}", type_name(&frame))));
    };
    let lasti = crate::ops::c_int(vm, &lasti)?;
    let lineno = crate::ops::c_int(vm, &lineno)?;
    let data = TracebackData {
        code: fd.code.clone(),
        word: (lasti.max(0) / 2) as u32,
        globals: fd.globals.clone(),
        next: RefCell::new(next),
        frame: RefCell::new(Some(frame.clone())),
        lineno: Some(lineno.max(0) as u32),
    };
    Ok(alloc(cls.clone(), data))
}

pub(crate) fn traceback_slots() -> Slots {
    Slots {
        getattro: Some(traceback_getattro),
        setattro: Some(traceback_setattro),
        new: Some(traceback_new),
        traverse: Some(|o, visit| {
            if let Some(t) = o.downcast::<TracebackData>() {
                visit(&t.code);
                visit(&t.globals);
                if let Ok(n) = t.next.try_borrow() {
                    if let Some(n) = &*n {
                        visit(n);
                    }
                }
                if let Ok(Some(f)) = t.frame.try_borrow().as_deref() {
                    visit(f);
                }
            }
        }),
        ..object_slots()
    }
}

/// `tb.tb_next = other` (a traceback or None, never making a loop).
fn traceback_setattro(vm: &Vm, o: &Obj, name: &Obj, value: Option<Obj>) -> PyResult<()> {
    let Some(t) = o.downcast::<TracebackData>() else { return crate::classes::generic_setattr(vm, o, name, value) };
    if &*str_data(name).as_str() != "tb_next" {
        return crate::classes::generic_setattr(vm, o, name, value);
    }
    let Some(v) = value else { return Err(vm.type_error("can't delete tb_next attribute")) };
    if v.is(&vm.none) {
        drop(t.next.replace(None));
        return Ok(());
    }
    if v.downcast::<TracebackData>().is_none() {
        return Err(vm.type_error(format!("expected traceback object or None, got '{}'", type_name(&v))));
    }
    let mut cur = Some(v.clone());
    while let Some(c) = cur {
        if c.is(o) {
            return Err(vm.new_error(&vm.types.value_error, "traceback loop detected"));
        }
        cur = c.downcast::<TracebackData>().and_then(|d| d.next.borrow().clone());
    }
    drop(t.next.replace(Some(v)));
    Ok(())
}

fn traceback_getattro(vm: &Vm, o: &Obj, name: &Obj) -> PyResult<Obj> {
    let Some(t) = o.downcast::<TracebackData>() else { return crate::classes::generic_getattr(vm, o, name) };
    let loc = |word: u32| {
        t.code.downcast::<crate::function::CodeData>().and_then(|c| c.unit.locations.get(word as usize).copied()).unwrap_or_default()
    };
    match &*str_data(name).as_str() {
        "tb_next" => Ok(t.next.borrow().clone().unwrap_or_else(|| vm.none.clone())),
        "tb_lineno" => Ok(vm.int(t.lineno.unwrap_or_else(|| loc(t.word).lineno) as i64)),
        "tb_lasti" => Ok(vm.int(t.word as i64 * 2)),
        // The frame's code, line and globals (not its locals).
        "tb_frame" => match t.frame.borrow().clone() {
            Some(f) => Ok(f),
            None => Ok(crate::sysmodule::new_frame_object(vm, t.code.clone(), t.word, t.globals.clone(), vm.none.clone(), None)),
        },
        _ => crate::classes::generic_getattr(vm, o, name),
    }
}

/// Gives the entries of `exc`'s traceback the frame objects of the frames
/// still running them: `frame` (a thread's innermost frame) and its
/// `f_back` chain. The outermost entries are the frames handling the
/// exception; an entry whose frame is no longer on the stack keeps its
/// snapshot.
pub fn attach_frames(vm: &Vm, exc: &Obj, frame: &Obj) {
    let Ok(tb) = crate::classes::getattr(vm, exc, &vm.intern("__traceback__")) else { return };
    // The thread's frames, outermost first.
    let mut frames = Vec::new();
    let mut cur = Some(frame.clone());
    while let Some(f) = cur {
        cur = f.downcast::<crate::sysmodule::FrameData>().and_then(|d| d.back.borrow().clone());
        frames.push(f);
    }
    frames.reverse();
    // The first entry matches the innermost frame running its code; each
    // following one a frame further in.
    let mut at = 0;
    let mut entry = Some(tb);
    while let Some(e) = entry {
        let Some(t) = e.downcast::<TracebackData>() else { break };
        let code_of = |f: &Obj| f.downcast::<crate::sysmodule::FrameData>().is_some_and(|d| d.code.is(&t.code));
        let found = if at == 0 { frames.iter().rposition(code_of) } else { frames.get(at).filter(|f| code_of(f)).map(|_| at) };
        let Some(i) = found else { break };
        let old = t.frame.replace(Some(frames[i].clone()));
        drop(old);
        at = i + 1;
        entry = t.next.borrow().clone();
    }
}

fn get_traceback(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let d = exc_data(vm, o)?;
    let entries = d.traceback.borrow().clone();
    // Entries run from the raising frame outwards; the chain starts at
    // the outermost. The part handed out before is reused.
    let (mut next, done) = match d.tb_obj.borrow().clone() {
        Some((n, head)) if n <= entries.len() => (Some(head), n),
        _ => (None, 0),
    };
    for (code, word, globals, frame) in entries.into_iter().skip(done) {
        next = Some(alloc(
            vm.types.traceback.clone(),
            TracebackData { code, word, globals, next: RefCell::new(next), frame: RefCell::new(frame), lineno: None },
        ));
    }
    let n = d.traceback.borrow().len();
    let old = d.tb_obj.replace(next.clone().map(|h| (n, h)));
    drop(old);
    Ok(next.unwrap_or_else(|| vm.none.clone()))
}

/// Gives `dst` the traceback of `src` (the same traceback objects, as
/// CPython shares `__traceback__` between an exception group and the
/// groups `split`/`except*` derive from it).
pub fn copy_traceback(vm: &Vm, dst: &ExceptionData, src_obj: &Obj) {
    let Some(src) = exception_data(src_obj) else { return };
    // The objects are made now, so both exceptions hand out the same ones.
    let _ = get_traceback(vm, src_obj);
    let entries = src.traceback.borrow().clone();
    let cached = src.tb_obj.borrow().clone();
    let old = (dst.traceback.replace(entries), dst.tb_obj.replace(cached));
    drop(old);
}

/// Replaces the traceback entries (dropping the traceback objects handed
/// out for the old ones).
pub fn set_traceback_entries(d: &ExceptionData, entries: Vec<TbEntry>) {
    let old = (d.traceback.replace(entries), d.tb_obj.take());
    drop(old);
}

fn set_traceback(vm: &Vm, o: &Obj, v: Option<Obj>) -> PyResult<()> {
    let Some(v) = v else { return Err(vm.type_error("__traceback__ may not be deleted")) };
    let mut entries = Vec::new();
    if !v.is(&vm.none) {
        let mut cur = Some(v.clone());
        while let Some(c) = cur {
            let Some(t) = c.downcast::<TracebackData>() else { return Err(vm.type_error("__traceback__ must be a traceback or None")) };
            entries.push((t.code.clone(), t.word, t.globals.clone(), t.frame.borrow().clone()));
            cur = t.next.borrow().clone();
        }
    }
    entries.reverse();
    let d = exc_data(vm, o)?;
    let n = entries.len();
    let old = (d.traceback.replace(entries), d.tb_obj.replace((!v.is(&vm.none)).then(|| (n, v.clone()))));
    drop(old);
    Ok(())
}

fn exc_with_traceback(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [tb] = crate::native::exact::<1>(vm, "with_traceback", args, kw)?;
    set_traceback(vm, this, Some(tb))?;
    Ok(this.clone())
}

fn exc_add_note(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [note] = crate::native::exact::<1>(vm, "add_note", args, kw)?;
    if note.downcast::<StrData>().is_none() {
        return Err(vm.type_error(format!("note must be a str, not '{}'", type_name(&note))));
    }
    let key = vm.intern("__notes__");
    let notes = match crate::classes::getattr_opt(vm, this, &key)? {
        Some(n) => n,
        None => {
            let l = new_list(vm, Vec::new());
            crate::classes::setattr(vm, this, &key, l.clone())?;
            l
        }
    };
    match notes.downcast::<ListData>() {
        Some(l) => l.items.borrow_mut().push(note),
        None => return Err(vm.type_error("Cannot add note: __notes__ is not a list")),
    }
    Ok(vm.none.clone())
}

macro_rules! field_getsets {
    ($name:ident: $($attr:literal => $i:literal),* $(,)?) => {
        static $name: &[GetSetDef] = &[
            $(GetSetDef::new($attr, get_field::<$i>, set_field::<$i>, "")),*
        ];
    };
}

fn get_field<const I: usize>(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    exc_data(vm, o)?;
    Ok(exc_field(o, I).unwrap_or_else(|| vm.none.clone()))
}

fn set_field<const I: usize>(vm: &Vm, o: &Obj, v: Option<Obj>) -> PyResult<()> {
    exc_data(vm, o)?;
    set_exc_field(o, I, v);
    Ok(())
}

field_getsets!(STOP_ITERATION_GETSETS: "value" => 0);
field_getsets!(SYSTEM_EXIT_GETSETS: "code" => 0);
field_getsets!(IMPORT_ERROR_GETSETS: "msg" => 0, "name" => 1, "path" => 2);
static OS_ERROR_GETSETS: &[GetSetDef] = &[
    GetSetDef::new("errno", get_field::<0>, set_field::<0>, ""),
    GetSetDef::new("strerror", get_field::<1>, set_field::<1>, ""),
    GetSetDef::new("filename", get_field::<2>, set_field::<2>, ""),
    GetSetDef::new("filename2", get_field::<3>, set_field::<3>, ""),
    GetSetDef::new("characters_written", get_characters_written, set_characters_written, ""),
];

/// `PyNumber_Check`: the object converts to a number.
fn is_number(o: &Obj) -> bool {
    let t = type_of(o);
    ["__index__", "__int__", "__float__", "__complex__"].iter().any(|n| lookup(&t, n).is_some())
}

/// A `characters_written` value: an index that fits a C `ssize_t`
/// (`PyNumber_AsSsize_t` with ValueError).
fn characters_written_value(vm: &Vm, v: &Obj) -> PyResult<Obj> {
    let i = crate::ops::index(vm, v)?;
    if i.downcast::<IntData>().is_some_and(|n| matches!(n, IntData::Small(_))) {
        return Ok(i);
    }
    Err(vm.new_error(&vm.types.value_error, format!("cannot fit '{}' into an index-sized integer", type_name(v))))
}

/// `OSError.characters_written`: set only by `BlockingIOError`s of
/// buffered writes; an AttributeError while unset.
fn get_characters_written(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    exc_data(vm, o)?;
    exc_field(o, 4).ok_or_else(|| vm.new_error(&vm.types.attribute_error, "characters_written"))
}

fn set_characters_written(vm: &Vm, o: &Obj, v: Option<Obj>) -> PyResult<()> {
    exc_data(vm, o)?;
    match v {
        None => {
            if exc_field(o, 4).is_none() {
                return Err(vm.new_error(&vm.types.attribute_error, "characters_written"));
            }
            set_exc_field(o, 4, None);
        }
        Some(v) => set_exc_field(o, 4, Some(characters_written_value(vm, &v)?)),
    }
    Ok(())
}
field_getsets!(SYNTAX_ERROR_GETSETS: "msg" => 0, "filename" => 1, "lineno" => 2, "offset" => 3, "text" => 4,
    "end_lineno" => 5, "end_offset" => 6, "print_file_and_line" => 7);
field_getsets!(NAME_ERROR_GETSETS: "name" => 0);
field_getsets!(ATTRIBUTE_ERROR_GETSETS: "name" => 0, "obj" => 1);
field_getsets!(UNICODE_ERROR_GETSETS: "encoding" => 0, "object" => 1, "start" => 2, "end" => 3, "reason" => 4);

// ---------------------------------------------------------------------
// Slots: str and repr per family.

fn family_slots(f: Family) -> Slots {
    let str_fn: crate::types::UnaryFn = match f {
        F::KeyError => key_error_str,
        F::Import => import_error_str,
        F::Os => os_error_str,
        F::Syntax => syntax_error_str,
        F::UnicodeEncode | F::UnicodeDecode | F::UnicodeTranslate => unicode_error_str,
        F::Group => group_str,
        _ => base_str,
    };
    Slots {
        new: Some(exception_new),
        init: Some(exception_init),
        str: Some(str_fn),
        repr: Some(exception_repr),
        traverse: Some(exception_traverse),
        clear: Some(exception_clear),
        ..object_slots()
    }
}

/// The slots of exception classes (`BaseException`'s).
pub fn exception_slots() -> Slots {
    family_slots(F::Base)
}

fn base_str(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let args = exc_args(o);
    match args.len() {
        0 => Ok(new_str(vm, "")),
        1 => crate::ops::str(vm, &args[0]),
        _ => crate::ops::repr(vm, &exception_data(o).map(|d| d.args.borrow().clone()).unwrap_or_else(|| vm.none.clone())),
    }
}

fn key_error_str(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    match &exc_args(o)[..] {
        [one] => crate::ops::repr(vm, one),
        _ => base_str(vm, o),
    }
}

fn import_error_str(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    match exc_field(o, 0) {
        Some(m) if m.downcast::<StrData>().is_some() && type_of(&m).is(&vm.types.str_) => Ok(m),
        _ => base_str(vm, o),
    }
}

fn os_error_str(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let (errno, strerror, f1, f2) = (exc_field(o, 0), exc_field(o, 1), exc_field(o, 2), exc_field(o, 3));
    let s = |x: &Option<Obj>| -> PyResult<String> {
        match x {
            Some(v) => Ok(str_data(&crate::ops::str(vm, v)?).as_str().into_owned()),
            None => Ok("None".into()),
        }
    };
    if let Some(f1) = &f1 {
        let r1 = repr_string(vm, f1)?;
        let text = match &f2 {
            Some(f2) => format!("[Errno {}] {}: {r1} -> {}", s(&errno)?, s(&strerror)?, repr_string(vm, f2)?),
            None => format!("[Errno {}] {}: {r1}", s(&errno)?, s(&strerror)?),
        };
        return Ok(new_str(vm, &text));
    }
    if errno.is_some() && strerror.is_some() {
        return Ok(new_str(vm, &format!("[Errno {}] {}", s(&errno)?, s(&strerror)?)));
    }
    base_str(vm, o)
}

fn syntax_error_str(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let msg = exc_field(o, 0).unwrap_or_else(|| vm.none.clone());
    let msg = str_data(&crate::ops::str(vm, &msg)?).as_str().into_owned();
    let filename = exc_field(o, 1).filter(|f| f.downcast::<StrData>().is_some()).map(|f| {
        let full = str_data(&f).as_str().into_owned();
        full.rsplit('/').next().unwrap_or("").to_string()
    });
    let lineno = exc_field(o, 2).and_then(|l| match l.downcast::<IntData>() {
        Some(IntData::Small(v)) if type_of(&l).is(&vm.types.int) => Some(*v),
        _ => None,
    });
    let text = match (filename, lineno) {
        (Some(f), Some(l)) => format!("{msg} ({f}, line {l})"),
        (Some(f), None) => format!("{msg} ({f})"),
        (None, Some(l)) => format!("{msg} (line {l})"),
        (None, None) => msg,
    };
    Ok(new_str(vm, &text))
}

fn char_escape(c: u32) -> String {
    if c <= 0xff {
        format!("\\x{c:02x}")
    } else if c <= 0xffff {
        format!("\\u{c:04x}")
    } else {
        format!("\\U{c:08x}")
    }
}

fn unicode_error_str(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let family = family_of(&type_of(o));
    let (Some(object), Some(start), Some(end), Some(reason)) = (exc_field(o, 1), exc_field(o, 2), exc_field(o, 3), exc_field(o, 4)) else {
        return Ok(new_str(vm, ""));
    };
    let reason = str_data(&crate::ops::str(vm, &reason)?).as_str().into_owned();
    let int = |x: &Obj| match x.downcast::<IntData>() {
        Some(IntData::Small(v)) => *v,
        _ => 0,
    };
    let (start, end) = (int(&start), int(&end));
    let encoding = match exc_field(o, 0) {
        Some(e) => str_data(&crate::ops::str(vm, &e)?).as_str().into_owned(),
        None => String::new(),
    };
    let text = if family == F::UnicodeDecode {
        if end == start + 1 {
            let b = crate::sequence::getitem(vm, &object, &vm.int(start)).map(|b| int(&b)).unwrap_or(0);
            format!("'{encoding}' codec can't decode byte 0x{b:02x} in position {start}: {reason}")
        } else {
            format!("'{encoding}' codec can't decode bytes in position {start}-{}: {reason}", end - 1)
        }
    } else {
        let cps: Vec<u32> = object.downcast::<StrData>().map(|s| s.value.code_points().collect()).unwrap_or_default();
        let what = if family == F::UnicodeEncode { format!("'{encoding}' codec can't encode") } else { "can't translate".into() };
        if end == start + 1 && start >= 0 && (start as usize) < cps.len() {
            format!("{what} character '{}' in position {start}: {reason}", char_escape(cps[start as usize]))
        } else {
            format!("{what} characters in position {start}-{}: {reason}", end - 1)
        }
    };
    Ok(new_str(vm, &text))
}

fn exception_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let name = type_data_of(o).name.to_string();
    let args = exc_args(o);
    let text = if args.len() == 1 {
        format!("{name}({})", repr_string(vm, &args[0])?)
    } else {
        let t = exception_data(o).map(|d| d.args.borrow().clone()).unwrap_or_else(|| new_tuple(vm, Vec::new()));
        format!("{name}{}", repr_string(vm, &t)?)
    };
    Ok(new_str(vm, &text))
}

// ---------------------------------------------------------------------
// BaseExceptionGroup.

static GROUP_METHODS: &[MethodDef] = &[
    MethodDef::method("derive", group_derive, ""),
    MethodDef::method("split", group_split, ""),
    MethodDef::method("subgroup", group_subgroup, ""),
];

static GROUP_GETSETS: &[GetSetDef] = &[
    GetSetDef::new("message", get_field::<0>, readonly_attr, "exception message"),
    GetSetDef::new("exceptions", get_field::<1>, readonly_attr, "nested exceptions"),
];

fn readonly_attr(vm: &Vm, _o: &Obj, _v: Option<Obj>) -> PyResult<()> {
    Err(vm.new_error(&vm.types.attribute_error, "readonly attribute"))
}

/// Checks `BaseExceptionGroup(message, exceptions)` and picks the class
/// (`BaseExceptionGroup` of `Exception`s only is an `ExceptionGroup`).
fn group_class(vm: &Vm, cls: &Obj, args: &[Obj]) -> PyResult<Obj> {
    if args.len() != 2 {
        return Err(vm.type_error(format!("BaseExceptionGroup.__new__() takes exactly 2 arguments ({} given)", args.len())));
    }
    if args[0].downcast::<StrData>().is_none() {
        return Err(vm.type_error(format!("BaseExceptionGroup.__new__() argument 1 must be str, not {}", type_name(&args[0]))));
    }
    let seq = &args[1];
    let is_seq = seq.downcast::<ListData>().is_some()
        || seq.downcast::<TupleData>().is_some()
        || (lookup(&type_of(seq), "__getitem__").is_some() && lookup(&type_of(seq), "__len__").is_some());
    if !is_seq || seq.downcast::<DictData>().is_some() {
        return Err(vm.type_error("second argument (exceptions) must be a sequence"));
    }
    let items = crate::sequence::to_vec(vm, seq)?;
    if items.is_empty() {
        return Err(vm.new_error(&vm.types.value_error, "second argument (exceptions) must be a non-empty sequence"));
    }
    let mut nested_base = false;
    for (i, e) in items.iter().enumerate() {
        if exception_data(e).is_none() {
            return Err(vm.new_error(&vm.types.value_error, format!("Item {i} of second argument (exceptions) is not an exception")));
        }
        if !is_subtype(&type_of(e), &vm.types.exception) {
            nested_base = true;
        }
    }
    let eg = vm.exception_type("ExceptionGroup").unwrap_or_else(|| cls.clone());
    let beg = vm.exception_type("BaseExceptionGroup").unwrap_or_else(|| cls.clone());
    if cls.is(&eg) {
        if nested_base {
            return Err(vm.type_error("Cannot nest BaseExceptions in an ExceptionGroup"));
        }
    } else if cls.is(&beg) {
        if !nested_base {
            return Ok(eg);
        }
    } else if nested_base && is_subtype(cls, &vm.types.exception) {
        return Err(vm.type_error(format!("Cannot nest BaseExceptions in '{}'", type_data(cls).name)));
    }
    Ok(cls.clone())
}

fn group_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_keywords(vm, this, kw)?;
    exc_data(vm, this)?;
    set_args(vm, this, args);
    // The fields come from `__new__`; groups made without it get them here.
    if exc_field(this, 1).is_none() {
        set_group_fields(vm, this, args)?;
    }
    Ok(vm.none.clone())
}

/// The sub-exceptions of a group (empty for other exceptions).
pub fn group_exceptions(o: &Obj) -> Option<Vec<Obj>> {
    if family_of(&type_of(o)) != F::Group {
        return None;
    }
    exc_field(o, 1).and_then(|t| t.downcast::<TupleData>().map(|t| t.items.to_vec()))
}

fn group_str(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let msg = exc_field(o, 0).unwrap_or_else(|| vm.none.clone());
    let msg = str_data(&crate::ops::str(vm, &msg)?).as_str().into_owned();
    let n = group_exceptions(o).map_or(0, |e| e.len());
    let s = if n > 1 { "s" } else { "" };
    Ok(new_str(vm, &format!("{msg} ({n} sub-exception{s})")))
}

fn group_derive(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [excs] = crate::native::exact::<1>(vm, "derive", args, kw)?;
    let msg = exc_field(this, 0).unwrap_or_else(|| vm.none.clone());
    let beg = vm.exception_type("BaseExceptionGroup").unwrap_or_else(|| type_of(this));
    crate::ops::call(vm, &beg, &[msg, excs])
}

enum Matcher {
    Types(Obj),
    Predicate(Obj),
}

fn matcher(vm: &Vm, cond: &Obj) -> PyResult<Matcher> {
    let is_exc_type = |t: &Obj| t.downcast::<crate::types::TypeData>().is_some() && is_subtype(t, &vm.types.base_exception);
    if is_exc_type(cond) {
        return Ok(Matcher::Types(cond.clone()));
    }
    if let Some(t) = cond.downcast::<TupleData>() {
        if t.items.iter().all(is_exc_type) {
            return Ok(Matcher::Types(cond.clone()));
        }
    } else if cond.downcast::<crate::types::TypeData>().is_none() && type_data_of(cond).slots.get().call.is_some()
        || cond.downcast::<crate::function::FunctionData>().is_some()
    {
        return Ok(Matcher::Predicate(cond.clone()));
    }
    Err(vm.type_error("expected a function, exception type or tuple of exception types"))
}

fn matches(vm: &Vm, m: &Matcher, e: &Obj) -> PyResult<bool> {
    match m {
        Matcher::Types(t) => {
            let ty = type_of(e);
            Ok(match t.downcast::<TupleData>() {
                Some(items) => items.items.iter().any(|c| is_subtype(&ty, c)),
                None => is_subtype(&ty, t),
            })
        }
        Matcher::Predicate(f) => {
            let r = crate::classes::call_object(vm, f, std::slice::from_ref(e))?;
            crate::ops::truth(vm, &r)
        }
    }
}

/// `derive(excs)` with the metadata of `orig` copied (traceback, cause,
/// context, notes).
fn subset(vm: &Vm, orig: &Obj, excs: Vec<Obj>) -> PyResult<Option<Obj>> {
    if excs.is_empty() {
        return Ok(None);
    }
    let list = new_list(vm, excs);
    let derive = crate::classes::getattr(vm, orig, &vm.intern("derive"))?;
    let eg = crate::classes::call_object(vm, &derive, &[list])?;
    if family_of(&type_of(&eg)) != F::Group || exception_data(&eg).is_none() {
        return Err(vm.type_error("derive must return an instance of BaseExceptionGroup"));
    }
    if let (Some(src), Some(dst)) = (exception_data(orig), exception_data(&eg)) {
        copy_traceback(vm, dst, orig);
        *dst.cause.borrow_mut() = src.cause.borrow().clone();
        *dst.context.borrow_mut() = src.context.borrow().clone();
        dst.suppress_context.set(src.suppress_context.get());
    }
    let key = vm.intern("__notes__");
    if let Some(notes) = crate::classes::getattr_opt(vm, orig, &key)? {
        if notes.downcast::<ListData>().is_some() || notes.downcast::<TupleData>().is_some() {
            let copy = new_list(vm, crate::sequence::to_vec(vm, &notes)?);
            crate::classes::setattr(vm, &eg, &key, copy)?;
        }
    }
    Ok(Some(eg))
}

fn split_recursive(vm: &Vm, exc: &Obj, m: &Matcher, with_rest: bool) -> PyResult<(Option<Obj>, Option<Obj>)> {
    if matches(vm, m, exc)? {
        return Ok((Some(exc.clone()), None));
    }
    let Some(children) = group_exceptions(exc) else {
        return Ok((None, if with_rest { Some(exc.clone()) } else { None }));
    };
    let mut matched = Vec::new();
    let mut rest = Vec::new();
    for c in &children {
        let (a, b) = split_recursive(vm, c, m, with_rest)?;
        matched.extend(a);
        rest.extend(b);
    }
    let a = subset(vm, exc, matched)?;
    let b = if with_rest { subset(vm, exc, rest)? } else { None };
    Ok((a, b))
}

fn group_split(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [cond] = crate::native::exact::<1>(vm, "split", args, kw)?;
    let m = matcher(vm, &cond)?;
    let (a, b) = split_recursive(vm, this, &m, true)?;
    let none = || vm.none.clone();
    Ok(new_tuple(vm, vec![a.unwrap_or_else(none), b.unwrap_or_else(none)]))
}

fn group_subgroup(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [cond] = crate::native::exact::<1>(vm, "subgroup", args, kw)?;
    let m = matcher(vm, &cond)?;
    let (a, _) = split_recursive(vm, this, &m, false)?;
    Ok(a.unwrap_or_else(|| vm.none.clone()))
}

/// `NameError` with its `name` attribute (raised by the eval loop), with
/// the scope its traceback's suggestion searches.
pub fn new_name_error(vm: &Vm, name: &Obj, msg: String, scope: Option<(Vec<Obj>, Obj)>) -> PyErr {
    let e = new_exception(vm, &vm.types.name_error, vec![new_str(vm, &msg)]);
    set_exc_field(&e, 0, Some(name.clone()));
    if let Some(d) = exception_data(&e) {
        *d.name_scope.borrow_mut() = scope;
    }
    PyErr { exc: e }
}

/// The collector's view of an exception: args, chaining, `__dict__`, the
/// family's attributes.
pub(crate) fn exception_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    let Some(e) = exception_data(o) else { return };
    if let Ok(a) = e.args.try_borrow() {
        visit(&a);
    }
    for cell in [&e.cause, &e.context, &e.dict] {
        if let Ok(c) = cell.try_borrow() {
            if let Some(x) = &*c {
                visit(x);
            }
        }
    }
    if let Ok(t) = e.tb_obj.try_borrow() {
        if let Some((_, head)) = &*t {
            visit(head);
        }
    }
    if let Ok(tb) = e.traceback.try_borrow() {
        for (_, _, globals, frame) in tb.iter() {
            visit(globals);
            if let Some(f) = frame {
                visit(f);
            }
        }
    }
    if let Ok(f) = e.fields.try_borrow() {
        for x in f.iter().flatten() {
            visit(x);
        }
    }
}

pub(crate) fn exception_clear(o: &Obj) {
    let Some(e) = exception_data(o) else { return };
    let mut old = Vec::new();
    for cell in [&e.cause, &e.context, &e.dict] {
        if let Ok(mut c) = cell.try_borrow_mut() {
            old.extend(c.take());
        }
    }
    if let Ok(mut f) = e.fields.try_borrow_mut() {
        old.extend(std::mem::take(&mut *f).into_iter().flatten());
    }
    if let Ok(mut t) = e.tb_obj.try_borrow_mut() {
        old.extend(t.take().map(|(_, head)| head));
    }
    // The entries' frame objects (their final locals may hold the
    // exception: the cycle CPython's frames make too).
    if let Ok(mut tb) = e.traceback.try_borrow_mut() {
        old.extend(tb.iter_mut().filter_map(|entry| entry.3.take()));
    }
    drop(old);
}

/// `OSError(errno, strerror)` for an OS error, as the `OSError`
/// constructor makes it: the subclass its errno maps to
/// (`FileNotFoundError`, `InterruptedError`, ...).
pub fn os_error_from_io(vm: &Vm, err: &std::io::Error) -> crate::PyErr {
    let code = err.raw_os_error().unwrap_or(0);
    let text = err.to_string();
    let msg = text.split(" (os error").next().unwrap_or("");
    let args = [vm.int(code as i64), crate::types::builtin::new_str(vm, msg)];
    match crate::classes::call_object(vm, &vm.types.os_error, &args) {
        Ok(exc) => crate::PyErr { exc },
        Err(e) => e,
    }
}

/// CPython's `_PyErr_TrySetFromCause`, used when a codec fails: an
/// exception of a plain class (no fields of its own, BaseException's
/// `__init__` and `__new__`, an empty `__dict__`) is replaced by one of the
/// same class whose message is `prefix (Type: message)`, with the original
/// as `__cause__` and its traceback; any other exception passes unchanged,
/// since it could not be re-created faithfully.
pub fn rewrap_with_prefix(vm: &Vm, err: PyErr, prefix: &str) -> PyErr {
    let ty = type_of(&err.exc);
    if !matches!(family_of(&ty), Family::Base | Family::KeyError) {
        return err;
    }
    let base = &vm.types.base_exception;
    let inherited = |name: &str| match (lookup(&ty, name), lookup(base, name)) {
        (Some(a), Some(b)) => a.is(&b),
        _ => false,
    };
    if !inherited("__init__") || !inherited("__new__") {
        return err;
    }
    let Some(old) = err.exc.downcast::<ExceptionData>() else { return err };
    let has_attrs = old.dict.borrow().as_ref().is_some_and(|d| dict_len(d) > 0);
    if has_attrs {
        return err;
    }
    // Only no argument or one exact str is rewrapped.
    let args = old.args.borrow().clone();
    let plain_args = match args.downcast::<TupleData>() {
        Some(t) => t.items.is_empty() || (t.items.len() == 1 && type_of(&t.items[0]).is(&vm.types.str_)),
        None => false,
    };
    if !plain_args {
        return err;
    }
    let text = match crate::ops::str(vm, &err.exc) {
        Ok(s) => str_data(&s).as_str().into_owned(),
        Err(_) => return err,
    };
    let msg = format!("{prefix} ({}: {text})", type_data(&ty).name);
    let exc = new_exception(vm, &ty, vec![new_str(vm, &msg)]);
    if let Some(new) = exc.downcast::<ExceptionData>() {
        new.traceback.replace(old.traceback.borrow().clone());
        new.cause.replace(Some(err.exc.clone()));
        new.suppress_context.set(true);
    }
    PyErr { exc }
}
