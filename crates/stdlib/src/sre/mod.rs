//! `_sre`: the regular-expression engine that `re` compiles to. The
//! pure-Python `re` package parses a pattern and emits code words
//! (`re._compiler`); `_sre.compile` wraps them in a `re.Pattern` whose
//! methods run [`engine`] over a subject and build `re.Match` objects.
//!
//! Subjects: a `bytes`-like object or an ASCII `str` is matched on its
//! bytes in place; any other `str` is matched on its code points, decoded
//! once and kept in a one-entry cache (the last such string), so a loop
//! calling `pattern.match(text, pos)` over one long text decodes it once.

pub mod engine;
mod objects;

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use taipan_vm::modules::{add_attr, add_functions, NativeModuleDef};
use taipan_vm::native::{bind, FunctionDef, Params};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::*;
use taipan_vm::types::Kwargs;
use taipan_vm::{PyResult, Vm};

use engine::{MatchResult, Regs, State};

pub const MODULE: NativeModuleDef = NativeModuleDef { name: "_sre", init };

/// `re._constants.MAGIC`: the code format this engine runs.
const MAGIC: i64 = 20220615;
/// `SRE_MAXGROUPS` on a 64-bit build.
const MAXGROUPS: i64 = 1073741823;

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("compile", sre_compile, ""),
    FunctionDef::new("getcodesize", sre_getcodesize, ""),
    FunctionDef::new("ascii_iscased", |vm, a, kw| char_fn(vm, a, kw, "ascii_iscased", |vm, c| vm.bool(engine::ascii_iscased(c))), ""),
    FunctionDef::new("unicode_iscased", |vm, a, kw| char_fn(vm, a, kw, "unicode_iscased", |vm, c| vm.bool(engine::unicode_iscased(c))), ""),
    FunctionDef::new("ascii_tolower", |vm, a, kw| char_fn(vm, a, kw, "ascii_tolower", |vm, c| vm.int(engine::lower_ascii(c) as i64)), ""),
    FunctionDef::new(
        "unicode_tolower",
        |vm, a, kw| char_fn(vm, a, kw, "unicode_tolower", |vm, c| vm.int(engine::lower_unicode(c) as i64)),
        "",
    ),
];

fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "MAGIC", vm.int(MAGIC))?;
    add_attr(vm, m, "CODESIZE", vm.int(4))?;
    add_attr(vm, m, "MAXREPEAT", vm.int(engine::MAXREPEAT as i64))?;
    add_attr(vm, m, "MAXGROUPS", vm.int(MAXGROUPS))?;
    add_attr(vm, m, "copyright", new_str(vm, " SRE 2.2.2 Copyright (c) 1997-2002 by Secret Labs AB "))?;
    Ok(())
}

fn sre_getcodesize(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "getcodesize", args, kw)?;
    Ok(vm.int(4))
}

/// `ascii_iscased(character, /)` and friends: a C `int` argument.
fn char_fn(vm: &Vm, args: &[Obj], kw: Kwargs, name: &str, f: fn(&Vm, u32) -> Obj) -> PyResult<Obj> {
    let [c] = taipan_vm::native::exact::<1>(vm, name, args, kw)?;
    let v = c_int(vm, &c)?;
    Ok(f(vm, v as u32))
}

/// Argument Clinic's `int` converter.
fn c_int(vm: &Vm, o: &Obj) -> PyResult<i32> {
    if o.downcast::<f64>().is_some() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let i = taipan_vm::ops::index(vm, o)?;
    match i.downcast::<IntData>() {
        Some(IntData::Small(v)) if i32::try_from(*v).is_ok() => Ok(*v as i32),
        Some(d) if d.is_negative() => Err(vm.new_error(&vm.types.overflow_error, "signed integer is less than minimum")),
        _ => Err(vm.new_error(&vm.types.overflow_error, "signed integer is greater than maximum")),
    }
}

/// Argument Clinic's `Py_ssize_t` converter.
pub(crate) fn ssize(vm: &Vm, o: &Obj) -> PyResult<isize> {
    if o.downcast::<f64>().is_some() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let i = taipan_vm::ops::index(vm, o)?;
    match i.downcast::<IntData>() {
        Some(IntData::Small(v)) => Ok(*v as isize),
        _ => Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C ssize_t")),
    }
}

/// `PyNumber_AsSsize_t(o, NULL)`: an index, clipped on overflow.
pub(crate) fn ssize_clipped(vm: &Vm, o: &Obj) -> PyResult<isize> {
    let i = taipan_vm::ops::index(vm, o)?;
    Ok(match i.downcast::<IntData>() {
        Some(IntData::Small(v)) => *v as isize,
        Some(d) if d.is_negative() => isize::MIN,
        _ => isize::MAX,
    })
}

static COMPILE_PARAMS: Params = Params {
    fname: "compile",
    names: &["pattern", "flags", "code", "groups", "groupindex", "indexgroup"],
    posonly: 0,
    kwonly: 0,
    required: 6,
};

/// `_sre.compile(pattern, flags, code, groups, groupindex, indexgroup)`.
fn sre_compile(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [pattern, flags, code, groups, groupindex, indexgroup] = bind::<6>(vm, &COMPILE_PARAMS, args, kw)?;
    let (Some(pattern), Some(flags), Some(code), Some(groups), Some(groupindex), Some(indexgroup)) =
        (pattern, flags, code, groups, groupindex, indexgroup)
    else {
        return Err(vm.type_error("compile() missing required argument"));
    };
    let flags = c_int(vm, &flags)?;
    let Some(list) = code.downcast::<ListData>() else {
        return Err(vm.type_error(format!("compile() argument 'code' must be list, not {}", type_name(&code))));
    };
    let groups = ssize(vm, &groups)?;
    if groupindex.downcast::<DictData>().is_none() {
        return Err(vm.type_error(format!("compile() argument 'groupindex' must be dict, not {}", type_name(&groupindex))));
    }
    if indexgroup.downcast::<TupleData>().is_none() {
        return Err(vm.type_error(format!("compile() argument 'indexgroup' must be tuple, not {}", type_name(&indexgroup))));
    }
    let items: Vec<Obj> = list.items.borrow().clone();
    let mut words = Vec::with_capacity(items.len());
    for item in &items {
        let Some(d) = item.downcast::<IntData>() else {
            return Err(vm.type_error(format!("an integer is required (got type {})", type_name(item))));
        };
        match d {
            IntData::Small(v) if (0..=u32::MAX as i64).contains(v) => words.push(*v as u32),
            _ if d.is_negative() => {
                return Err(vm.new_error(&vm.types.overflow_error, "can't convert negative value to unsigned int"));
            }
            _ => return Err(vm.new_error(&vm.types.overflow_error, "regular expression code size limit exceeded")),
        }
    }
    let isbytes = if pattern.is(&vm.none) {
        -1
    } else if pattern.downcast::<StrData>().is_some() {
        0
    } else if as_buffer(&pattern).is_some() {
        1
    } else {
        return Err(vm.type_error(format!("expected string or bytes-like object, got '{}'", type_name(&pattern))));
    };
    let groupindex = if dict_len(&groupindex) > 0 { Some(groupindex) } else { None };
    let indexgroup = if groupindex.is_some() && !indexgroup.downcast::<TupleData>().is_some_and(|t| t.items.is_empty()) {
        Some(indexgroup)
    } else {
        None
    };
    Ok(objects::new_pattern(
        vm,
        objects::PatternData {
            pattern,
            flags: flags as i64,
            code: words.into_boxed_slice(),
            groups: groups.max(0) as usize,
            groupindex,
            indexgroup,
            isbytes,
        },
    ))
}

// ----- subjects --------------------------------------------------------

/// The code units of a subject.
pub(crate) enum Text<'a> {
    Narrow(Cow<'a, [u8]>),
    Wide(Rc<[u32]>),
}

/// A subject string as the engine sees it (`getstring`).
pub(crate) struct Subject<'a> {
    pub text: Text<'a>,
    pub isbytes: bool,
    pub len: usize,
}

/// The last non-ASCII `str` matched, decoded to code points.
#[derive(Default)]
struct WideCache {
    last: RefCell<Option<(Obj, Rc<[u32]>)>>,
}

fn wide_text(vm: &Vm, o: &Obj, s: &StrData) -> Rc<[u32]> {
    let cache = vm.state::<WideCache>();
    if let Some((k, v)) = &*cache.last.borrow() {
        if k.is(o) {
            return v.clone();
        }
    }
    let v: Rc<[u32]> = s.value.code_points().collect();
    let old = cache.last.replace(Some((o.clone(), v.clone())));
    drop(old);
    v
}

/// `getstring`: the code units of a `str` or bytes-like object.
pub(crate) fn subject<'a>(vm: &Vm, o: &'a Obj) -> PyResult<Subject<'a>> {
    if let Some(s) = o.downcast::<StrData>() {
        let text = if s.is_ascii() { Text::Narrow(Cow::Borrowed(s.bytes())) } else { Text::Wide(wide_text(vm, o, s)) };
        return Ok(Subject { text, isbytes: false, len: s.len() });
    }
    if let Some(b) = as_buffer(o) {
        let len = b.len();
        return Ok(Subject { text: Text::Narrow(b), isbytes: true, len });
    }
    Err(vm.type_error(format!("expected string or bytes-like object, got '{}'", type_name(o))))
}

/// `state_init`'s checks and clipping: the subject and the clipped
/// `pos`/`endpos`.
pub(crate) fn prepare<'a>(vm: &Vm, isbytes: i8, string: &'a Obj, pos: isize, endpos: isize) -> PyResult<(Subject<'a>, usize, usize)> {
    let subj = subject(vm, string)?;
    if subj.isbytes && isbytes == 0 {
        return Err(vm.type_error("cannot use a string pattern on a bytes-like object"));
    }
    if !subj.isbytes && isbytes > 0 {
        return Err(vm.type_error("cannot use a bytes pattern on a string-like object"));
    }
    let len = subj.len as isize;
    let clip = |v: isize| v.clamp(0, len) as usize;
    let (start, end) = (clip(pos), clip(endpos));
    Ok((subj, start, end))
}

/// A match state over either kind of code unit.
pub(crate) enum AnyState<'a> {
    N(State<'a, u8>),
    W(State<'a, u32>),
}

macro_rules! each {
    ($s:expr, $st:ident => $e:expr) => {
        match $s {
            AnyState::N($st) => $e,
            AnyState::W($st) => $e,
        }
    };
}

impl<'a> AnyState<'a> {
    pub fn new(subj: &'a Subject<'_>, groups: usize, start: usize, end: usize) -> AnyState<'a> {
        match &subj.text {
            Text::Narrow(b) => AnyState::N(State::new(&b[..], groups, start, end)),
            Text::Wide(w) => AnyState::W(State::new(&w[..], groups, start, end)),
        }
    }

    pub fn r(&self) -> &Regs {
        each!(self, s => &s.r)
    }

    pub fn r_mut(&mut self) -> &mut Regs {
        each!(self, s => &mut s.r)
    }

    pub fn reset(&mut self) {
        each!(self, s => s.reset())
    }

    pub fn search(&mut self, code: &[u32]) -> MatchResult {
        each!(self, s => s.search(code))
    }

    pub fn match_here(&mut self, code: &[u32]) -> MatchResult {
        each!(self, s => s.match_here(code))
    }
}

/// The engine met code it cannot run (`SRE_ERROR_ILLEGAL`).
pub(crate) fn illegal(vm: &Vm) -> taipan_vm::PyErr {
    vm.new_error(&vm.types.runtime_error, "internal error in regular expression engine")
}
