//! `re.Pattern`, `re.Match` and `_sre.SRE_Scanner`.

use std::cell::{Cell, RefCell};

use taipan_compiler::bytecode::CompareOp;
use taipan_parser::wtf8::Wtf8Buf;
use taipan_vm::native::{self, at_most, bind, exact, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::ops;
use taipan_vm::types::builtin::*;
use taipan_vm::types::{Kwargs, Slots};
use taipan_vm::{PyResult, Vm};

use super::engine::Regs;
use super::{illegal, prepare, ssize, ssize_clipped, AnyState, Text};

// ----- Pattern ---------------------------------------------------------

pub struct PatternData {
    /// The source: `str`, `bytes` or `None`.
    pub pattern: Obj,
    pub flags: i64,
    pub code: Box<[u32]>,
    /// Number of capturing groups.
    pub groups: usize,
    /// Name -> number; `None` when there are no named groups.
    pub groupindex: Option<Obj>,
    /// Number -> name tuple; `None` when there are no named groups.
    pub indexgroup: Option<Obj>,
    /// 1 for a bytes pattern, 0 for str, -1 without a source.
    pub isbytes: i8,
}

fn pattern_type(vm: &Vm) -> Obj {
    vm.native_type("re.Pattern", |vm| {
        let slots = Slots {
            new: Some(|vm, _cls, _a, _kw| Err(vm.type_error("cannot create 're.Pattern' instances"))),
            repr: Some(pattern_repr),
            hash: Some(pattern_hash),
            compare: Some(pattern_compare),
            traverse: Some(|o, visit| {
                if let Some(p) = o.downcast::<PatternData>() {
                    visit(&p.pattern);
                    for x in p.groupindex.iter().chain(p.indexgroup.iter()) {
                        visit(x);
                    }
                }
            }),
            ..Default::default()
        };
        let t = native::new_type::<PatternData>(vm, "re.Pattern", &[], true, slots, PATTERN_METHODS, PATTERN_GETSETS);
        // Not subclassable (no `Py_TPFLAGS_BASETYPE` in CPython).
        taipan_vm::types::type_data(&t).is_final.set(true);
        t
    })
}

pub fn new_pattern(vm: &Vm, data: PatternData) -> Obj {
    alloc(pattern_type(vm), data)
}

fn pat<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a PatternData> {
    o.downcast::<PatternData>().ok_or_else(|| vm.type_error("descriptor requires a 're.Pattern' object"))
}

static PATTERN_METHODS: &[MethodDef] = &[
    MethodDef::method("match", |vm, o, a, kw| pattern_run(vm, o, a, kw, &MATCH_PARAMS, Mode::Match), "Matches zero or more characters at the beginning of the string."),
    MethodDef::method("fullmatch", |vm, o, a, kw| pattern_run(vm, o, a, kw, &FULLMATCH_PARAMS, Mode::Full), "Matches against all of the string."),
    MethodDef::method(
        "search",
        |vm, o, a, kw| pattern_run(vm, o, a, kw, &SEARCH_PARAMS, Mode::Search),
        "Scan through string looking for a match, and return a corresponding match object instance.\n\nReturn None if no position in the string matches.",
    ),
    MethodDef::method(
        "sub",
        |vm, o, a, kw| pattern_sub(vm, o, a, kw, false),
        "Return the string obtained by replacing the leftmost non-overlapping occurrences of pattern in string by the replacement repl.",
    ),
    MethodDef::method(
        "subn",
        |vm, o, a, kw| pattern_sub(vm, o, a, kw, true),
        "Return the tuple (new_string, number_of_subs_made) found by replacing the leftmost non-overlapping occurrences of pattern with the replacement repl.",
    ),
    MethodDef::method("findall", pattern_findall, "Return a list of all non-overlapping matches of pattern in string."),
    MethodDef::method("split", pattern_split, "Split string by the occurrences of pattern."),
    MethodDef::method(
        "finditer",
        pattern_finditer,
        "Return an iterator over all non-overlapping matches for the RE pattern in string.\n\nFor each match, the iterator returns a match object.",
    ),
    MethodDef::method("scanner", pattern_scanner, ""),
    MethodDef::method("__copy__", |vm, o, a, kw| exact::<0>(vm, "__copy__", a, kw).map(|_| o.clone()), ""),
    MethodDef::method("__deepcopy__", |vm, o, a, kw| exact::<1>(vm, "__deepcopy__", a, kw).map(|_| o.clone()), ""),
    MethodDef::class("__class_getitem__", class_getitem, "See PEP 585"),
];

static PATTERN_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("pattern", |vm, o| Ok(pat(vm, o)?.pattern.clone()), "The pattern string from which the RE object was compiled."),
    GetSetDef::readonly("flags", |vm, o| Ok(vm.int(pat(vm, o)?.flags)), "The regex matching flags."),
    GetSetDef::readonly("groups", |vm, o| Ok(vm.int(pat(vm, o)?.groups as i64)), "The number of capturing groups in the pattern."),
    GetSetDef::readonly("groupindex", pattern_groupindex, "A dictionary mapping group names to group numbers."),
];

fn pattern_groupindex(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    match &pat(vm, o)?.groupindex {
        Some(d) => Ok(alloc(vm.types.mappingproxy.clone(), MappingProxyData { mapping: d.clone() })),
        None => Ok(new_dict(vm)),
    }
}

/// `cls[item]` (PEP 585): `types.GenericAlias(cls, item)`.
fn class_getitem(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [item] = exact::<1>(vm, "__class_getitem__", args, kw)?;
    let types = taipan_vm::import::import_absolute(vm, "types")?;
    let alias = taipan_vm::classes::getattr(vm, &types, &vm.intern("GenericAlias"))?;
    taipan_vm::classes::call_object(vm, &alias, &[cls.clone(), item])
}

/// `repr(o)` cut to `n` code points (`%.<n>R`).
fn repr_cut(vm: &Vm, o: &Obj, n: usize) -> PyResult<String> {
    let r = repr_string(vm, o)?;
    Ok(match r.char_indices().nth(n) {
        Some((at, _)) => r[..at].to_string(),
        None => r,
    })
}

fn pattern_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    const NAMES: &[(&str, i64)] = &[
        ("re.TEMPLATE", 1),
        ("re.IGNORECASE", 2),
        ("re.LOCALE", 4),
        ("re.MULTILINE", 8),
        ("re.DOTALL", 16),
        ("re.UNICODE", 32),
        ("re.VERBOSE", 64),
        ("re.DEBUG", 128),
        ("re.ASCII", 256),
    ];
    let p = pat(vm, o)?;
    let mut flags = p.flags as i32 as i64;
    if p.isbytes == 0 && flags & (4 | 32 | 256) == 32 {
        flags &= !32;
    }
    let mut items = Vec::new();
    for &(name, bit) in NAMES {
        if flags & bit != 0 {
            items.push(name.to_string());
            flags &= !bit;
        }
    }
    if flags != 0 {
        items.push(format!("0x{:x}", flags as i32 as u32));
    }
    let src = repr_cut(vm, &p.pattern, 200)?;
    let text = if items.is_empty() { format!("re.compile({src})") } else { format!("re.compile({src}, {})", items.join("|")) };
    Ok(new_str(vm, &text))
}

fn pattern_hash(vm: &Vm, o: &Obj) -> PyResult<i64> {
    let p = pat(vm, o)?;
    let mut h = ops::hash(vm, &p.pattern)?;
    let bytes: Vec<u8> = p.code.iter().flat_map(|w| w.to_le_bytes()).collect();
    h ^= taipan_vm::types::bytes::hash_bytes(&bytes);
    h ^= p.flags;
    h ^= p.isbytes as i64;
    h ^= p.code.len() as i64;
    Ok(if h == -1 { -2 } else { h })
}

fn pattern_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    if !matches!(op, CompareOp::Eq | CompareOp::Ne) {
        return Ok(vm.not_implemented.clone());
    }
    let (Some(x), Some(y)) = (a.downcast::<PatternData>(), b.downcast::<PatternData>()) else {
        return Ok(vm.not_implemented.clone());
    };
    let eq = a.is(b) || (x.flags == y.flags && x.isbytes == y.isbytes && x.code == y.code && ops::eq(vm, &x.pattern, &y.pattern)?);
    Ok(vm.bool(eq == matches!(op, CompareOp::Eq)))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Match,
    Full,
    Search,
}

static MATCH_PARAMS: Params = Params { fname: "match", names: &["string", "pos", "endpos"], posonly: 0, kwonly: 0, required: 1 };
static FULLMATCH_PARAMS: Params = Params { fname: "fullmatch", names: &["string", "pos", "endpos"], posonly: 0, kwonly: 0, required: 1 };
static SEARCH_PARAMS: Params = Params { fname: "search", names: &["string", "pos", "endpos"], posonly: 0, kwonly: 0, required: 1 };
static FINDALL_PARAMS: Params = Params { fname: "findall", names: &["string", "pos", "endpos"], posonly: 0, kwonly: 0, required: 1 };
static FINDITER_PARAMS: Params = Params { fname: "finditer", names: &["string", "pos", "endpos"], posonly: 0, kwonly: 0, required: 1 };
static SCANNER_PARAMS: Params = Params { fname: "scanner", names: &["string", "pos", "endpos"], posonly: 0, kwonly: 0, required: 1 };

/// Binds `(string, pos=0, endpos=sys.maxsize)`.
fn string_pos_endpos(vm: &Vm, p: &Params, args: &[Obj], kw: Kwargs) -> PyResult<(Obj, isize, isize)> {
    let [string, pos, endpos] = bind::<3>(vm, p, args, kw)?;
    let Some(string) = string else { return Err(vm.type_error(format!("{}() missing required argument 'string' (pos 1)", p.fname))) };
    let pos = match pos {
        Some(p) => ssize(vm, &p)?,
        None => 0,
    };
    let endpos = match endpos {
        Some(p) => ssize(vm, &p)?,
        None => isize::MAX,
    };
    Ok((string, pos, endpos))
}

fn pattern_run(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, params: &Params, mode: Mode) -> PyResult<Obj> {
    let p = pat(vm, this)?;
    let (string, pos, endpos) = string_pos_endpos(vm, params, args, kw)?;
    let (subj, start, end) = prepare(vm, p.isbytes, &string, pos, endpos)?;
    let mut st = AnyState::new(&subj, p.groups, start, end);
    let found = match mode {
        Mode::Search => st.search(&p.code),
        Mode::Full => {
            st.r_mut().match_all = true;
            st.match_here(&p.code)
        }
        Mode::Match => st.match_here(&p.code),
    }
    .map_err(|_| illegal(vm))?;
    if !found {
        return Ok(vm.none.clone());
    }
    new_match(vm, this, p, &string, st.r(), start, end)
}

/// A slice of the subject `string` from code unit `i` to `j`, of the
/// subject's kind (`getslice`): the object itself for an exact `str` or
/// `bytes` when the slice covers it.
fn getslice(vm: &Vm, string: &Obj, i: usize, j: usize) -> Obj {
    if let Some(s) = string.downcast::<StrData>() {
        let (i, j) = (i.min(s.len()), j.min(s.len()));
        if i == 0 && j == s.len() && std::ptr::eq(string.type_ptr(), vm.types.str_.as_ptr()) {
            return string.clone();
        }
        return str_slice(vm, s, i as i64, j as i64, 1);
    }
    if bytes_data(string).is_some() && std::ptr::eq(string.type_ptr(), vm.types.bytes.as_ptr()) {
        let n = bytes_data(string).map_or(0, |b| b.len());
        if i == 0 && j >= n {
            return string.clone();
        }
    }
    let b = as_buffer(string).unwrap_or_default();
    let (i, j) = (i.min(b.len()), j.min(b.len()));
    new_bytes(vm, b.get(i..j.max(i)).unwrap_or_default().to_vec())
}

/// Group `g`'s text in the state `r` (`state_getslice`): `None` (or the
/// empty string when `empty`) if it did not take part.
fn state_group(vm: &Vm, r: &Regs, string: &Obj, g: usize, empty: bool) -> Obj {
    match r.group_span(g) {
        Some((a, b)) => getslice(vm, string, a as usize, b as usize),
        None if empty => getslice(vm, string, 0, 0),
        None => vm.none.clone(),
    }
}

fn pattern_findall(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = pat(vm, this)?;
    let (string, pos, endpos) = string_pos_endpos(vm, &FINDALL_PARAMS, args, kw)?;
    let (subj, start, end) = prepare(vm, p.isbytes, &string, pos, endpos)?;
    let mut st = AnyState::new(&subj, p.groups, start, end);
    let mut out = Vec::new();
    while st.r().start <= st.r().end {
        st.reset();
        let s = st.r().start;
        st.r_mut().ptr = s;
        if !st.search(&p.code).map_err(|_| illegal(vm))? {
            break;
        }
        let r = st.r();
        let item = match p.groups {
            0 => getslice(vm, &string, r.start as usize, r.ptr as usize),
            1 => state_group(vm, r, &string, 1, true),
            n => new_tuple(vm, (1..=n).map(|g| state_group(vm, r, &string, g, true)).collect()),
        };
        out.push(item);
        let r = st.r_mut();
        r.must_advance = r.ptr == r.start;
        r.start = r.ptr;
    }
    Ok(new_list(vm, out))
}

static SPLIT_PARAMS: Params = Params { fname: "split", names: &["string", "maxsplit"], posonly: 0, kwonly: 0, required: 1 };

fn pattern_split(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = pat(vm, this)?;
    let [string, maxsplit] = bind::<2>(vm, &SPLIT_PARAMS, args, kw)?;
    let Some(string) = string else { return Err(vm.type_error("split() missing required argument 'string' (pos 1)")) };
    let maxsplit = match maxsplit {
        Some(m) => ssize(vm, &m)?,
        None => 0,
    };
    let (subj, start, end) = prepare(vm, p.isbytes, &string, 0, isize::MAX)?;
    let mut st = AnyState::new(&subj, p.groups, start, end);
    let mut out = Vec::new();
    let mut n = 0;
    let mut last = st.r().start;
    while maxsplit == 0 || n < maxsplit {
        st.reset();
        let s = st.r().start;
        st.r_mut().ptr = s;
        if !st.search(&p.code).map_err(|_| illegal(vm))? {
            break;
        }
        let r = st.r();
        out.push(getslice(vm, &string, last as usize, r.start as usize));
        for g in 1..=p.groups {
            out.push(state_group(vm, r, &string, g, false));
        }
        n += 1;
        let r = st.r_mut();
        r.must_advance = r.ptr == r.start;
        r.start = r.ptr;
        last = r.ptr;
    }
    out.push(getslice(vm, &string, last as usize, end));
    Ok(new_list(vm, out))
}

static SUB_PARAMS: Params = Params { fname: "sub", names: &["repl", "string", "count"], posonly: 0, kwonly: 0, required: 2 };
static SUBN_PARAMS: Params = Params { fname: "subn", names: &["repl", "string", "count"], posonly: 0, kwonly: 0, required: 2 };

/// A part of `sub`'s result: a slice of the subject or a replacement.
enum Piece {
    Slice(usize, usize),
    Item(Obj),
}

fn pattern_sub(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, subn: bool) -> PyResult<Obj> {
    let p = pat(vm, this)?;
    let [repl, string, count] = bind::<3>(vm, if subn { &SUBN_PARAMS } else { &SUB_PARAMS }, args, kw)?;
    let (Some(repl), Some(string)) = (repl, string) else { return Err(vm.type_error("sub() missing required argument")) };
    let count = match count {
        Some(c) => ssize(vm, &c)?,
        None => 0,
    };
    // The filter: a callable, or a literal replacement.
    let (filter, callable) = if ops::callable(&repl) {
        (repl, true)
    } else {
        let literal = if let Some(s) = repl.downcast::<StrData>() {
            !s.bytes().contains(&b'\\')
        } else if let Some(b) = as_buffer(&repl) {
            !b.contains(&b'\\')
        } else {
            false
        };
        if literal {
            (repl, false)
        } else {
            let re = taipan_vm::import::import_absolute(vm, "re")?;
            let subx = taipan_vm::classes::getattr(vm, &re, &vm.intern("_subx"))?;
            let f = taipan_vm::classes::call_object(vm, &subx, &[this.clone(), repl])?;
            let c = ops::callable(&f);
            (f, c)
        }
    };
    let (subj, start, end) = prepare(vm, p.isbytes, &string, 0, isize::MAX)?;
    let isbytes = subj.isbytes;
    let mut st = AnyState::new(&subj, p.groups, start, end);
    let mut pieces = Vec::new();
    let mut n: isize = 0;
    let mut i = 0usize;
    while count == 0 || n < count {
        st.reset();
        let s = st.r().start;
        st.r_mut().ptr = s;
        if !st.search(&p.code).map_err(|_| illegal(vm))? {
            break;
        }
        let (b, e) = (st.r().start as usize, st.r().ptr as usize);
        if i < b {
            pieces.push(Piece::Slice(i, b));
        }
        if callable {
            let m = new_match(vm, this, p, &string, st.r(), start, end)?;
            let item = taipan_vm::classes::call_object(vm, &filter, &[m])?;
            if !item.is(&vm.none) {
                pieces.push(Piece::Item(item));
            }
        } else if !filter.is(&vm.none) {
            pieces.push(Piece::Item(filter.clone()));
        }
        i = e;
        n += 1;
        let r = st.r_mut();
        r.must_advance = r.ptr == r.start;
        r.start = r.ptr;
    }
    if i < end {
        pieces.push(Piece::Slice(i, end));
    }
    let result = if isbytes {
        let Text::Narrow(b) = &subj.text else { return Err(illegal(vm)) };
        let mut out = Vec::new();
        for (k, piece) in pieces.iter().enumerate() {
            match piece {
                Piece::Slice(a, z) => out.extend_from_slice(b.get(*a..*z).unwrap_or_default()),
                Piece::Item(o) => match as_buffer(o) {
                    Some(x) => out.extend_from_slice(&x),
                    None => return Err(vm.type_error(format!("sequence item {k}: expected a bytes-like object, {} found", type_name(o)))),
                },
            }
        }
        new_bytes(vm, out)
    } else {
        let Some(s) = string.downcast::<StrData>() else { return Err(illegal(vm)) };
        let mut out = Wtf8Buf::new();
        for (k, piece) in pieces.iter().enumerate() {
            match piece {
                Piece::Slice(a, z) => out.push_wtf8_bytes(&s.bytes()[s.offset(*a)..s.offset(*z)]),
                Piece::Item(o) => match o.downcast::<StrData>() {
                    Some(x) => out.push_wtf8_bytes(x.bytes()),
                    None => return Err(vm.type_error(format!("sequence item {k}: expected str instance, {} found", type_name(o)))),
                },
            }
        }
        new_str_wtf8(vm, out)
    };
    if subn {
        Ok(new_tuple(vm, vec![result, vm.int(n as i64)]))
    } else {
        Ok(result)
    }
}

fn pattern_scanner(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (string, pos, endpos) = string_pos_endpos(vm, &SCANNER_PARAMS, args, kw)?;
    new_scanner(vm, this, string, pos, endpos)
}

fn pattern_finditer(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (string, pos, endpos) = string_pos_endpos(vm, &FINDITER_PARAMS, args, kw)?;
    let scanner = new_scanner(vm, this, string, pos, endpos)?;
    let search = taipan_vm::classes::getattr(vm, &scanner, &vm.intern("search"))?;
    Ok(taipan_vm::types::iterators::new_callable_iterator(vm, search, vm.none.clone()))
}

// ----- Match -----------------------------------------------------------

pub struct MatchData {
    pub string: Obj,
    /// The `re.Pattern`.
    pub pattern: Obj,
    /// Start and end of each group, group 0 first; -1 when unmatched.
    pub marks: Box<[isize]>,
    pub pos: usize,
    pub endpos: usize,
    pub lastindex: isize,
    regs: RefCell<Option<Obj>>,
}

fn match_type(vm: &Vm) -> Obj {
    vm.native_type("re.Match", |vm| {
        let slots = Slots {
            new: Some(|vm, _cls, _a, _kw| Err(vm.type_error("cannot create 're.Match' instances"))),
            repr: Some(match_repr),
            traverse: Some(|o, visit| {
                if let Some(m) = o.downcast::<MatchData>() {
                    visit(&m.string);
                    visit(&m.pattern);
                    if let Ok(r) = m.regs.try_borrow() {
                        if let Some(x) = &*r {
                            visit(x);
                        }
                    }
                }
            }),
            ..Default::default()
        };
        let t = native::new_type::<MatchData>(vm, "re.Match", &[], true, slots, MATCH_METHODS, MATCH_GETSETS);
        // Not subclassable (no `Py_TPFLAGS_BASETYPE` in CPython).
        taipan_vm::types::type_data(&t).is_final.set(true);
        t
    })
}

/// `pattern_new_match` after a successful match in `r`.
fn new_match(vm: &Vm, pattern: &Obj, p: &PatternData, string: &Obj, r: &Regs, pos: usize, endpos: usize) -> PyResult<Obj> {
    let mut marks = vec![-1isize; 2 * (p.groups + 1)];
    marks[0] = r.start;
    marks[1] = r.ptr;
    for g in 1..=p.groups {
        if let Some((a, b)) = r.group_span(g) {
            if a > b {
                let se = vm.exception_type("SystemError").unwrap_or_else(|| vm.types.runtime_error.clone());
                return Err(vm.new_error(&se, "The span of capturing group is wrong, please report a bug for the re module."));
            }
            marks[2 * g] = a;
            marks[2 * g + 1] = b;
        }
    }
    let data = MatchData {
        string: string.clone(),
        pattern: pattern.clone(),
        marks: marks.into_boxed_slice(),
        pos,
        endpos,
        lastindex: r.lastindex,
        regs: RefCell::new(None),
    };
    Ok(alloc(match_type(vm), data))
}

fn mat<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a MatchData> {
    o.downcast::<MatchData>().ok_or_else(|| vm.type_error("descriptor requires a 're.Match' object"))
}

fn match_pattern<'a>(vm: &Vm, m: &'a MatchData) -> PyResult<&'a PatternData> {
    pat(vm, &m.pattern)
}

static MATCH_METHODS: &[MethodDef] = &[
    MethodDef::method("group", match_group, "group([group1, ...]) -> str or tuple.\n    Return subgroup(s) of the match by indices or names.\n    For 0 returns the entire match."),
    MethodDef::method("start", |vm, o, a, kw| match_pos(vm, o, a, kw, "start", 0), "Return index of the start of the substring matched by group."),
    MethodDef::method("end", |vm, o, a, kw| match_pos(vm, o, a, kw, "end", 1), "Return index of the end of the substring matched by group."),
    MethodDef::method("span", |vm, o, a, kw| match_pos(vm, o, a, kw, "span", 2), "For match object m, return the 2-tuple (m.start(group), m.end(group))."),
    MethodDef::method("groups", match_groups, "Return a tuple containing all the subgroups of the match, from 1.\n\n  default\n    Is used for groups that did not participate in the match."),
    MethodDef::method(
        "groupdict",
        match_groupdict,
        "Return a dictionary containing all the named subgroups of the match, keyed by the subgroup name.\n\n  default\n    Is used for groups that did not participate in the match.",
    ),
    MethodDef::method("expand", match_expand, "Return the string obtained by doing backslash substitution on the string template, as done by the sub() method."),
    MethodDef::method("__getitem__", |vm, o, a, kw| {
        let [k] = exact::<1>(vm, "__getitem__", a, kw)?;
        match_getslice(vm, o, &k, vm.none.clone())
    }, "Return self[key]."),
    MethodDef::method("__copy__", |vm, o, a, kw| exact::<0>(vm, "__copy__", a, kw).map(|_| o.clone()), ""),
    MethodDef::method("__deepcopy__", |vm, o, a, kw| exact::<1>(vm, "__deepcopy__", a, kw).map(|_| o.clone()), ""),
    MethodDef::class("__class_getitem__", class_getitem, "See PEP 585"),
];

static MATCH_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("string", |vm, o| Ok(mat(vm, o)?.string.clone()), "The string passed to match() or search()."),
    GetSetDef::readonly("re", |vm, o| Ok(mat(vm, o)?.pattern.clone()), "The regular expression object."),
    GetSetDef::readonly(
        "pos",
        |vm, o| Ok(vm.int(mat(vm, o)?.pos as i64)),
        "The index into the string at which the RE engine started looking for a match.",
    ),
    GetSetDef::readonly(
        "endpos",
        |vm, o| Ok(vm.int(mat(vm, o)?.endpos as i64)),
        "The index into the string beyond which the RE engine will not go.",
    ),
    GetSetDef::readonly(
        "lastindex",
        |vm, o| {
            let m = mat(vm, o)?;
            Ok(if m.lastindex >= 0 { vm.int(m.lastindex as i64) } else { vm.none.clone() })
        },
        "The integer index of the last matched capturing group.",
    ),
    GetSetDef::readonly("lastgroup", match_lastgroup, "The name of the last matched capturing group."),
    GetSetDef::readonly("regs", match_regs, ""),
];

fn match_lastgroup(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let m = mat(vm, o)?;
    let p = match_pattern(vm, m)?;
    if let (Some(ig), true) = (&p.indexgroup, m.lastindex >= 0) {
        if let Some(t) = ig.downcast::<TupleData>() {
            return match t.items.get(m.lastindex as usize) {
                Some(x) => Ok(x.clone()),
                None => Err(vm.new_error(&vm.types.index_error, "tuple index out of range")),
            };
        }
    }
    Ok(vm.none.clone())
}

fn match_regs(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let m = mat(vm, o)?;
    if let Some(r) = &*m.regs.borrow() {
        return Ok(r.clone());
    }
    let items = m.marks.chunks(2).map(|c| new_tuple(vm, vec![vm.int(c[0] as i64), vm.int(c[1] as i64)])).collect();
    let regs = new_tuple(vm, items);
    *m.regs.borrow_mut() = Some(regs.clone());
    Ok(regs)
}

/// `match_getindex`: the group number that `key` names.
fn match_index(vm: &Vm, m: &MatchData, key: &Obj) -> PyResult<usize> {
    let p = match_pattern(vm, m)?;
    let is_index = key.downcast::<IntData>().is_some() || taipan_vm::types::lookup(&taipan_vm::types::type_of(key), "__index__").is_some();
    let mut i: isize = -1;
    if is_index {
        i = ssize_clipped(vm, key)?;
    } else if let Some(gi) = &p.groupindex {
        if let Some(v) = dict_get(vm, gi, key)? {
            if v.downcast::<IntData>().is_some() {
                i = ssize_clipped(vm, &v)?;
            }
        }
    }
    if i < 0 || i as usize > p.groups {
        return Err(vm.new_error(&vm.types.index_error, "no such group"));
    }
    Ok(i as usize)
}

/// The text of group `g`, or `default` if it did not take part.
fn group_text(vm: &Vm, m: &MatchData, g: usize, default: &Obj) -> Obj {
    let (a, b) = (m.marks[2 * g], m.marks[2 * g + 1]);
    if a < 0 {
        return default.clone();
    }
    getslice(vm, &m.string, a as usize, b as usize)
}

fn match_getslice(vm: &Vm, o: &Obj, key: &Obj, default: Obj) -> PyResult<Obj> {
    let m = mat(vm, o)?;
    let g = match_index(vm, m, key)?;
    Ok(group_text(vm, m, g, &default))
}

fn match_group(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if !kw.is_empty() {
        return Err(vm.type_error("Match.group() takes no keyword arguments"));
    }
    match args {
        [] => match_getslice(vm, o, &vm.int(0), vm.none.clone()),
        [k] => match_getslice(vm, o, k, vm.none.clone()),
        ks => {
            let mut items = Vec::with_capacity(ks.len());
            for k in ks {
                items.push(match_getslice(vm, o, k, vm.none.clone())?);
            }
            Ok(new_tuple(vm, items))
        }
    }
}

/// `start`, `end` (`which` 0/1) and `span` (2).
fn match_pos(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs, name: &str, which: u8) -> PyResult<Obj> {
    let [g] = at_most::<1>(vm, name, 0, args, kw)?;
    let m = mat(vm, o)?;
    let g = match g {
        Some(k) => match_index(vm, m, &k)?,
        None => 0,
    };
    let (a, b) = (m.marks[2 * g], m.marks[2 * g + 1]);
    Ok(match which {
        0 => vm.int(a as i64),
        1 => vm.int(b as i64),
        _ => new_tuple(vm, vec![vm.int(a as i64), vm.int(b as i64)]),
    })
}

static GROUPS_PARAMS: Params = Params { fname: "groups", names: &["default"], posonly: 0, kwonly: 0, required: 0 };
static GROUPDICT_PARAMS: Params = Params { fname: "groupdict", names: &["default"], posonly: 0, kwonly: 0, required: 0 };
static EXPAND_PARAMS: Params = Params { fname: "expand", names: &["template"], posonly: 0, kwonly: 0, required: 1 };

fn match_groups(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [default] = bind::<1>(vm, &GROUPS_PARAMS, args, kw)?;
    let default = default.unwrap_or_else(|| vm.none.clone());
    let m = mat(vm, o)?;
    let n = m.marks.len() / 2;
    Ok(new_tuple(vm, (1..n).map(|g| group_text(vm, m, g, &default)).collect()))
}

fn match_groupdict(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [default] = bind::<1>(vm, &GROUPDICT_PARAMS, args, kw)?;
    let default = default.unwrap_or_else(|| vm.none.clone());
    let m = mat(vm, o)?;
    let p = match_pattern(vm, m)?;
    let d = new_dict(vm);
    if let Some(gi) = &p.groupindex {
        for (k, _) in dict_items(gi) {
            let v = match_getslice(vm, o, &k, default.clone())?;
            dict_set(vm, &d, k, v)?;
        }
    }
    Ok(d)
}

fn match_expand(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [template] = bind::<1>(vm, &EXPAND_PARAMS, args, kw)?;
    let Some(template) = template else { return Err(vm.type_error("expand() missing required argument 'template' (pos 1)")) };
    let m = mat(vm, o)?;
    let re = taipan_vm::import::import_absolute(vm, "re")?;
    let expand = taipan_vm::classes::getattr(vm, &re, &vm.intern("_expand"))?;
    taipan_vm::classes::call_object(vm, &expand, &[m.pattern.clone(), o.clone(), template])
}

fn match_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let m = mat(vm, o)?;
    let g0 = group_text(vm, m, 0, &vm.none);
    let text = format!("<re.Match object; span=({}, {}), match={}>", m.marks[0], m.marks[1], repr_cut(vm, &g0, 50)?);
    Ok(new_str(vm, &text))
}

// ----- Scanner ---------------------------------------------------------

pub struct ScannerData {
    pattern: Obj,
    string: Obj,
    pos: usize,
    endpos: usize,
    /// Where the next attempt starts; `None` once exhausted.
    start: Cell<Option<usize>>,
    must_advance: Cell<bool>,
}

fn scanner_type(vm: &Vm) -> Obj {
    vm.native_type("_sre.SRE_Scanner", |vm| {
        let slots = Slots {
            new: Some(|vm, _cls, _a, _kw| Err(vm.type_error("cannot create '_sre.SRE_Scanner' instances"))),
            traverse: Some(|o, visit| {
                if let Some(s) = o.downcast::<ScannerData>() {
                    visit(&s.pattern);
                    visit(&s.string);
                }
            }),
            ..Default::default()
        };
        native::new_type::<ScannerData>(vm, "_sre.SRE_Scanner", &[], true, slots, SCANNER_METHODS, SCANNER_GETSETS)
    })
}

fn new_scanner(vm: &Vm, pattern: &Obj, string: Obj, pos: isize, endpos: isize) -> PyResult<Obj> {
    let p = pat(vm, pattern)?;
    let (_, start, end) = prepare(vm, p.isbytes, &string, pos, endpos)?;
    let data = ScannerData {
        pattern: pattern.clone(),
        string,
        pos: start,
        endpos: end,
        start: Cell::new(Some(start)),
        must_advance: Cell::new(false),
    };
    Ok(alloc(scanner_type(vm), data))
}

static SCANNER_METHODS: &[MethodDef] = &[
    MethodDef::method("match", |vm, o, a, kw| scanner_next(vm, o, a, kw, "match", false), ""),
    MethodDef::method("search", |vm, o, a, kw| scanner_next(vm, o, a, kw, "search", true), ""),
];

static SCANNER_GETSETS: &[GetSetDef] = &[GetSetDef::readonly(
    "pattern",
    |vm, o| match o.downcast::<ScannerData>() {
        Some(s) => Ok(s.pattern.clone()),
        None => Err(vm.type_error("descriptor requires a '_sre.SRE_Scanner' object")),
    },
    "",
)];

fn scanner_next(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs, name: &str, search: bool) -> PyResult<Obj> {
    exact::<0>(vm, name, args, kw)?;
    let Some(sc) = o.downcast::<ScannerData>() else { return Err(vm.type_error("descriptor requires a '_sre.SRE_Scanner' object")) };
    let Some(start) = sc.start.get() else { return Ok(vm.none.clone()) };
    let p = pat(vm, &sc.pattern)?;
    let (subj, _, _) = prepare(vm, p.isbytes, &sc.string, sc.pos as isize, sc.endpos as isize)?;
    let mut st = AnyState::new(&subj, p.groups, start, sc.endpos);
    st.r_mut().must_advance = sc.must_advance.get();
    let found = if search { st.search(&p.code) } else { st.match_here(&p.code) }.map_err(|_| illegal(vm))?;
    if !found {
        sc.start.set(None);
        return Ok(vm.none.clone());
    }
    let m = new_match(vm, &sc.pattern, p, &sc.string, st.r(), sc.pos, sc.endpos)?;
    let r = st.r();
    sc.must_advance.set(r.ptr == r.start);
    sc.start.set(Some(r.ptr as usize));
    Ok(m)
}
