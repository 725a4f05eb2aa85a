//! Code objects, Python functions and built-in functions.

use crate::native::GetSetDef;
use std::cell::Cell;
use std::rc::Rc;

use crate::object::{alloc, Obj};
use crate::types::builtin::{self, new_str, new_tuple};
use crate::types::Slots;
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::{CodeUnit, CompareOp, Const, ExceptionEntry, Location};

/// A code object: the compiler's code unit plus its constants and names
/// as Python objects, made once.
pub struct CodeData {
    pub unit: Rc<CodeUnit>,
    pub consts: Box<[Obj]>,
    /// `names` as str objects (globals, attributes).
    pub names: Box<[Obj]>,
    /// The inline caches of the eval loop, one per instruction word
    /// (indexed by the instruction's position; only instructions with
    /// `Opcode::cache_words() > 0` use theirs). Plain numbers, no
    /// objects: see `eval`'s cache kinds for what each is keyed on.
    pub caches: Box<[Cell<CacheEntry>]>,
    /// A `co_linetable` given to `code.replace`, kept as given (CPython
    /// returns it unchanged); None: the table is encoded from the unit's
    /// locations.
    pub linetable: Option<Box<[u8]>>,
    /// The eval loop's exact-arguments call (`eval::call_callee`): the
    /// number of positional arguments a call must pass for its frame to be
    /// bound by moving them into the locals (plain positional parameters,
    /// no keyword-only ones, no `*args`/`**kw`, no cell variables, not a
    /// generator); `u32::MAX` for any other code.
    pub exact_argc: u32,
    /// `unit.varnames.len()`: the locals a new frame starts with.
    pub nlocals: u32,
    /// Calling the code makes a generator, coroutine or async generator.
    pub generator: bool,
    /// `unit.code` decoded once, word by word, for the eval loop's
    /// dispatch (one load per instruction instead of a decode and a table
    /// lookup for the opcode and again for its cache size).
    pub instrs: Box<[Instr]>,
}

/// One decoded instruction word (`CodeData::instrs`): the opcode (None for
/// an invalid word), the words to the next instruction (1 + its inline
/// cache words) and the argument.
#[derive(Clone, Copy, Debug)]
pub struct Instr {
    pub op: Option<taipan_compiler::bytecode::Opcode>,
    pub len: u8,
    pub arg: u32,
}

impl CodeData {
    /// A code object's payload for `unit` with its constants and names.
    pub fn new(unit: CodeUnit, consts: Box<[Obj]>, names: Box<[Obj]>) -> CodeData {
        use taipan_compiler::codegen::{CO_ASYNC_GENERATOR, CO_COROUTINE, CO_GENERATOR, CO_VARARGS, CO_VARKEYWORDS};
        let caches = (0..unit.code.len()).map(|_| Cell::new(CacheEntry::default())).collect();
        let special = CO_VARARGS | CO_VARKEYWORDS | CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR;
        let generator = unit.flags & (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR) != 0;
        let exact = unit.flags & special == 0
            && unit.kwonlyargcount == 0
            && unit.cellvars.is_empty()
            && unit.argcount as usize <= unit.varnames.len();
        let exact_argc = if exact { unit.argcount } else { u32::MAX };
        let nlocals = u32::try_from(unit.varnames.len()).unwrap_or(u32::MAX);
        let instrs = unit
            .code
            .iter()
            .map(|&w| {
                let (op, arg) = taipan_compiler::bytecode::decode(w);
                let len = op.map_or(1, |o| 1 + o.cache_words() as u8);
                Instr { op, len, arg }
            })
            .collect();
        CodeData { unit: Rc::new(unit), consts, names, caches, linetable: None, exact_argc, nlocals, generator, instrs }
    }
}

/// One inline-cache entry: `kind` says what was specialised (0: nothing
/// yet), `tag`/`tag2` are the version tags it is valid for, `index` a
/// position (a dict entry) or a count.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct CacheEntry {
    pub tag: u64,
    pub tag2: u64,
    pub index: u32,
    pub kind: u32,
}

fn code_unit<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a CodeUnit> {
    o.downcast::<CodeData>().map(|c| &*c.unit).ok_or_else(|| vm.type_error("code object expected"))
}

/// `co_code`: Taipan's own instruction words (not CPython's), four bytes
/// each, little-endian (opcode byte, then the 24-bit argument), inline
/// cache words included as the compiler emits them (zeros).
fn code_bytes(unit: &CodeUnit) -> Vec<u8> {
    unit.code.iter().flat_map(|w| w.to_le_bytes()).collect()
}

/// A code object's instructions with their positions (inline-cache words
/// skipped): the view the `dis` helpers below scan.
fn instructions(c: &CodeData) -> impl Iterator<Item = (taipan_compiler::bytecode::Opcode, u32)> + '_ {
    let mut i = 0usize;
    std::iter::from_fn(move || loop {
        let ins = c.instrs.get(i)?;
        i += ins.len.max(1) as usize;
        if let Some(op) = ins.op {
            return Some((op, ins.arg));
        }
    })
}

/// `dis._find_imports` for Taipan's instructions: `(name, level,
/// fromlist)` of each `ImportName` whose level and fromlist are the two
/// constants loaded just before it (what the compiler emits for `import`
/// statements), in instruction order.
pub fn find_imports(vm: &Vm, code: &Obj) -> PyResult<Vec<Obj>> {
    use taipan_compiler::bytecode::Opcode;
    let c = code.downcast::<CodeData>().ok_or_else(|| vm.type_error("code object expected"))?;
    let ins: Vec<_> = instructions(c).collect();
    let mut out = Vec::new();
    for (i, &(op, arg)) in ins.iter().enumerate() {
        if op != Opcode::ImportName || i < 2 {
            continue;
        }
        let ((lop, larg), (fop, farg)) = (ins[i - 2], ins[i - 1]);
        if lop != Opcode::LoadConst || fop != Opcode::LoadConst {
            continue;
        }
        let (Some(name), Some(level), Some(fromlist)) =
            (c.names.get(arg as usize), c.consts.get(larg as usize), c.consts.get(farg as usize))
        else {
            continue;
        };
        out.push(new_tuple(vm, vec![name.clone(), level.clone(), fromlist.clone()]));
    }
    Ok(out)
}

/// `dis._find_store_names` for Taipan's instructions: the names bound by
/// `StoreName` and `StoreGlobal`, in instruction order.
pub fn find_store_names(vm: &Vm, code: &Obj) -> PyResult<Vec<Obj>> {
    use taipan_compiler::bytecode::Opcode;
    let c = code.downcast::<CodeData>().ok_or_else(|| vm.type_error("code object expected"))?;
    Ok(instructions(c)
        .filter(|&(op, _)| matches!(op, Opcode::StoreName | Opcode::StoreGlobal))
        .filter_map(|(_, arg)| c.names.get(arg as usize).cloned())
        .collect())
}

fn str_tuple(vm: &Vm, names: &[Box<str>]) -> Obj {
    new_tuple(vm, names.iter().map(|n| vm.intern(n)).collect())
}

/// The attributes of code objects (`co_*`).
pub static CODE_GETSETS: &[crate::native::GetSetDef] = {
    use crate::native::GetSetDef as G;
    &[
        G::readonly("co_name", |vm, o| Ok(vm.intern(&code_unit(vm, o)?.name)), ""),
        G::readonly("co_qualname", |vm, o| Ok(vm.intern(&code_unit(vm, o)?.qualname)), ""),
        G::readonly("co_filename", |vm, o| Ok(new_str(vm, &code_unit(vm, o)?.filename)), ""),
        G::readonly("co_firstlineno", |vm, o| Ok(vm.int(code_unit(vm, o)?.firstlineno as i64)), ""),
        G::readonly("co_argcount", |vm, o| Ok(vm.int(code_unit(vm, o)?.argcount as i64)), ""),
        G::readonly("co_posonlyargcount", |vm, o| Ok(vm.int(code_unit(vm, o)?.posonlyargcount as i64)), ""),
        G::readonly("co_kwonlyargcount", |vm, o| Ok(vm.int(code_unit(vm, o)?.kwonlyargcount as i64)), ""),
        G::readonly("co_flags", |vm, o| Ok(vm.int(code_unit(vm, o)?.flags as i64)), ""),
        G::readonly("co_stacksize", |vm, o| Ok(vm.int(code_unit(vm, o)?.max_stack as i64)), ""),
        G::readonly("co_nlocals", |vm, o| Ok(vm.int(code_unit(vm, o)?.varnames.len() as i64)), ""),
        G::readonly("co_varnames", |vm, o| Ok(str_tuple(vm, &code_unit(vm, o)?.varnames)), ""),
        G::readonly("co_names", |vm, o| Ok(str_tuple(vm, &code_unit(vm, o)?.names)), ""),
        G::readonly("co_code", |vm, o| Ok(crate::types::bytes::new_bytes(vm, code_bytes(code_unit(vm, o)?))), ""),
        G::readonly("co_cellvars", |vm, o| Ok(str_tuple(vm, &code_unit(vm, o)?.cellvars)), ""),
        G::readonly("co_freevars", |vm, o| Ok(str_tuple(vm, &code_unit(vm, o)?.freevars)), ""),
        G::readonly(
            "co_linetable",
            |vm, o| {
                let c = o.downcast::<CodeData>().ok_or_else(|| vm.type_error("code object expected"))?;
                Ok(crate::types::bytes::new_bytes(vm, linetable_of(c)))
            },
            "",
        ),
        G::readonly(
            "co_exceptiontable",
            |vm, o| Ok(crate::types::bytes::new_bytes(vm, encode_exception_table(&code_unit(vm, o)?.exception_table))),
            "",
        ),
        G::readonly(
            "co_consts",
            |vm, o| {
                let c = o.downcast::<CodeData>().ok_or_else(|| vm.type_error("code object expected"))?;
                Ok(new_tuple(vm, c.consts.to_vec()))
            },
            "",
        ),
    ]
};

/// `code.replace(**changes)`: a copy with the given `co_*` fields
/// replaced. Taipan's code objects carry their own instruction format, so
/// `co_code` and `co_exceptiontable` cannot be given; the counts and name
/// tuples only with their current values (the instructions index them);
/// a new `co_linetable` (CPython's format) drops the location table.
fn code_replace(vm: &Vm, this: &Obj, args: &[Obj], kw: crate::types::Kwargs) -> PyResult<Obj> {
    static NAMES: [&str; 18] = [
        "co_argcount",
        "co_posonlyargcount",
        "co_kwonlyargcount",
        "co_nlocals",
        "co_stacksize",
        "co_flags",
        "co_firstlineno",
        "co_code",
        "co_consts",
        "co_names",
        "co_varnames",
        "co_freevars",
        "co_cellvars",
        "co_filename",
        "co_name",
        "co_qualname",
        "co_linetable",
        "co_exceptiontable",
    ];
    static PARAMS: crate::native::Params = crate::native::Params { fname: "replace", names: &NAMES, posonly: 0, kwonly: 18, required: 0 };
    let given = crate::native::bind::<18>(vm, &PARAMS, args, kw)?;
    let cd = this.downcast::<CodeData>().ok_or_else(|| vm.type_error("code object expected"))?;
    let mut unit: CodeUnit = (*cd.unit).clone();
    let mut consts = cd.consts.to_vec();
    let mut linetable = cd.linetable.clone();
    let str_arg = |v: &Obj, name: &str| -> PyResult<Box<str>> {
        match v.downcast::<builtin::StrData>() {
            Some(s) => Ok(s.as_str().into()),
            None => Err(vm.type_error(format!("replace() argument '{name}' must be str, not {}", builtin::type_name(v)))),
        }
    };
    for (name, value) in NAMES.iter().zip(given) {
        let Some(v) = value else { continue };
        match *name {
            "co_name" => unit.name = str_arg(&v, name)?,
            "co_qualname" => unit.qualname = str_arg(&v, name)?,
            "co_filename" => unit.filename = str_arg(&v, name)?,
            "co_firstlineno" => {
                let n = builtin::expect_int(vm, &crate::ops::index(vm, &v)?, "")?;
                unit.firstlineno =
                    u32::try_from(n).map_err(|_| vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int"))?;
            }
            "co_stacksize" => {}
            "co_flags" => {
                let n = builtin::expect_int(vm, &crate::ops::index(vm, &v)?, "")?;
                unit.flags = u32::try_from(n).map_err(|_| vm.new_error(&vm.types.value_error, "replace(): co_flags out of range"))?;
            }
            "co_linetable" => {
                let Some(table) = crate::types::bytes::bytes_data(&v) else {
                    return Err(vm.type_error(format!("replace() argument 'co_linetable' must be bytes, not {}", builtin::type_name(&v))));
                };
                linetable = Some(table.into());
            }
            "co_exceptiontable" => {
                let Some(table) = crate::types::bytes::bytes_data(&v) else {
                    return Err(
                        vm.type_error(format!("replace() argument 'co_exceptiontable' must be bytes, not {}", builtin::type_name(&v)))
                    );
                };
                // Only handlers the code already has can stay (a subsequence
                // of its table): the eval loop relies on their targets and
                // stack depths.
                let rows = decode_exception_table(table);
                let mut current = unit.exception_table.iter();
                if !rows.iter().all(|r| current.any(|e| e == r)) {
                    return Err(vm.new_error(&vm.types.value_error, "code.replace(): co_exceptiontable cannot be changed in Taipan"));
                }
                unit.exception_table = rows;
            }
            "co_consts" => {
                let Some(t) = v.downcast::<builtin::TupleData>() else {
                    return Err(vm.type_error(format!("replace() argument 'co_consts' must be tuple, not {}", builtin::type_name(&v))));
                };
                if t.items.len() != consts.len() {
                    return Err(vm.new_error(&vm.types.value_error, "code.replace(): co_consts must keep its length in Taipan"));
                }
                consts = t.items.to_vec();
            }
            _ => {
                let current = crate::classes::getattr(vm, this, &vm.intern(name)).ok();
                let same = match current {
                    Some(c) => crate::ops::eq(vm, &c, &v)?,
                    None => false,
                };
                if !same {
                    return Err(vm.new_error(&vm.types.value_error, format!("code.replace(): {name} cannot be changed in Taipan")));
                }
            }
        }
    }
    if let Some(table) = &linetable {
        // The locations tracebacks read follow the given table.
        let n = unit.locations.len();
        unit.locations = locations_from_table(unit.firstlineno, table, n);
    }
    let names = cd.names.clone();
    let mut data = CodeData::new(unit, consts.into_boxed_slice(), names);
    data.linetable = linetable;
    Ok(alloc(vm.types.code.clone(), data))
}

/// The methods of code objects.
pub static CODE_METHODS: &[crate::native::MethodDef] = &[
    crate::native::MethodDef::method("replace", code_replace, "Return a copy of the code object with new values for the specified fields."),
    crate::native::MethodDef::method(
        "co_positions",
        |vm, o, a, kw| {
            crate::native::exact::<0>(vm, "co_positions", a, kw)?;
            let c = o.downcast::<CodeData>().ok_or_else(|| vm.type_error("code object expected"))?;
            let opt = |v: Option<i64>| v.map_or_else(|| vm.none.clone(), |v| vm.int(v));
            let cols = crate::sysmodule::debug_ranges(vm);
            let col = |v: Option<i64>| if cols { opt(v) } else { vm.none.clone() };
            let mut items = Vec::new();
            for e in parse_linetable(c.unit.firstlineno, &linetable_of(c)) {
                for _ in 0..e.length {
                    items.push(new_tuple(vm, vec![opt(e.line), opt(e.end_line), col(e.col), col(e.end_col)]));
                }
            }
            crate::ops::iter(vm, &builtin::new_list(vm, items))
        },
        "Return an iterator of (lineno, end_lineno, col, end_col) for each instruction word.",
    ),
    crate::native::MethodDef::method(
        "co_lines",
        |vm, o, a, kw| {
            crate::native::exact::<0>(vm, "co_lines", a, kw)?;
            let c = o.downcast::<CodeData>().ok_or_else(|| vm.type_error("code object expected"))?;
            // (start, end, line) byte ranges (two bytes a word, as
            // `f_lasti`), runs of one line merged; None for no line.
            let mut items = Vec::new();
            let mut run: Option<(u64, u64, Option<i64>)> = None;
            let mut at = 0u64;
            for e in parse_linetable(c.unit.firstlineno, &linetable_of(c)) {
                let end = at + 2 * e.length as u64;
                run = match run {
                    Some((start, _, line)) if line == e.line => Some((start, end, line)),
                    Some((start, stop, line)) => {
                        items.push((start, stop, line));
                        Some((at, end, e.line))
                    }
                    None => Some((at, end, e.line)),
                };
                at = end;
            }
            items.extend(run);
            let items = items
                .into_iter()
                .map(|(start, end, line)| {
                    let l = line.map_or_else(|| vm.none.clone(), |l| vm.int(l));
                    new_tuple(vm, vec![vm.int(start as i64), vm.int(end as i64), l])
                })
                .collect();
            crate::ops::iter(vm, &builtin::new_list(vm, items))
        },
        "Return an iterator of (start, end, lineno) for the code's instruction ranges.",
    ),
];

/// The `co_linetable` of a code object: the one `replace` was given, or
/// CPython 3.11's encoding of its locations.
fn linetable_of(c: &CodeData) -> Vec<u8> {
    match &c.linetable {
        Some(t) => t.to_vec(),
        None => encode_linetable(c.unit.firstlineno, &c.unit.locations),
    }
}

fn write_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 64 {
        out.push(0x40 | (v & 63) as u8);
        v >>= 6;
    }
    out.push(v as u8);
}

fn write_svarint(out: &mut Vec<u8>, v: i64) {
    let u = if v < 0 { (v.unsigned_abs() << 1) | 1 } else { (v as u64) << 1 };
    write_varint(out, u);
}

/// CPython 3.11's location table (`Objects/locations.md`) for one
/// location per instruction word, a word counting as one code unit:
/// entries of at most 8 units, lines as deltas from `firstlineno`, the
/// short and one-line forms where they fit, else the long form; a line of
/// 0 (no location) is "no location" (code 15).
pub fn encode_linetable(firstlineno: u32, locs: &[Location]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut prev = firstlineno as i64;
    let mut i = 0;
    while i < locs.len() {
        let l = locs[i];
        let mut n = 1;
        while n < 8 && i + n < locs.len() && locs[i + n] == l {
            n += 1;
        }
        i += n;
        let len = (n - 1) as u8;
        if l.lineno == 0 {
            out.push(0x80 | (15 << 3) | len);
            continue;
        }
        let line = l.lineno as i64;
        let delta = line - prev;
        prev = line;
        let one_line = l.end_lineno == l.lineno && l.end_col >= l.col;
        if one_line && delta == 0 && l.col < 80 && l.end_col - l.col < 16 {
            out.push(0x80 | (((l.col >> 3) as u8) << 3) | len);
            out.push((((l.col & 7) as u8) << 4) | (l.end_col - l.col) as u8);
        } else if one_line && (0..3).contains(&delta) && l.col < 128 && l.end_col < 128 {
            out.push(0x80 | ((10 + delta as u8) << 3) | len);
            out.push(l.col as u8);
            out.push(l.end_col as u8);
        } else {
            out.push(0x80 | (14 << 3) | len);
            write_svarint(&mut out, delta);
            write_varint(&mut out, l.end_lineno.saturating_sub(l.lineno) as u64);
            write_varint(&mut out, l.col as u64 + 1);
            write_varint(&mut out, l.end_col as u64 + 1);
        }
    }
    out
}

/// One entry of a location table: `length` code units at these positions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineEntry {
    pub length: u32,
    pub line: Option<i64>,
    pub end_line: Option<i64>,
    pub col: Option<i64>,
    pub end_col: Option<i64>,
}

/// Reads a CPython 3.11 location table (any bytes: a truncated entry ends
/// it), as `co_positions` does.
pub fn parse_linetable(firstlineno: u32, table: &[u8]) -> Vec<LineEntry> {
    let mut out = Vec::new();
    let mut it = table.iter().copied();
    let varint = |it: &mut dyn Iterator<Item = u8>| -> Option<u64> {
        let mut b = it.next()?;
        let mut val = (b & 63) as u64;
        let mut shift = 0;
        while b & 64 != 0 {
            b = it.next()?;
            shift += 6;
            if shift < 64 {
                val |= ((b & 63) as u64) << shift;
            }
        }
        Some(val)
    };
    let svarint = |it: &mut dyn Iterator<Item = u8>| -> Option<i64> {
        let u = varint(it)?;
        Some(if u & 1 != 0 { -((u >> 1) as i64) } else { (u >> 1) as i64 })
    };
    let mut line = firstlineno as i64;
    while let Some(first) = it.next() {
        let code = (first >> 3) & 15;
        let length = (first & 7) as u32 + 1;
        let entry = |line: Option<i64>, end_line: Option<i64>, col: Option<i64>, end_col: Option<i64>| LineEntry {
            length,
            line,
            end_line,
            col,
            end_col,
        };
        let e = match code {
            15 => entry(None, None, None, None),
            14 => {
                let Some(d) = svarint(&mut it) else { break };
                line = line.wrapping_add(d);
                let (Some(el), Some(c), Some(ec)) = (varint(&mut it), varint(&mut it), varint(&mut it)) else { break };
                let opt = |v: u64| if v == 0 { None } else { Some(v as i64 - 1) };
                entry(Some(line), Some(line.wrapping_add(el as i64)), opt(c), opt(ec))
            }
            13 => {
                let Some(d) = svarint(&mut it) else { break };
                line = line.wrapping_add(d);
                entry(Some(line), Some(line), None, None)
            }
            10..=12 => {
                line += (code - 10) as i64;
                let (Some(c), Some(ec)) = (it.next(), it.next()) else { break };
                entry(Some(line), Some(line), Some(c as i64), Some(ec as i64))
            }
            _ => {
                let Some(b) = it.next() else { break };
                let col = ((code as i64) << 3) | (b >> 4) as i64;
                entry(Some(line), Some(line), Some(col), Some(col + (b & 15) as i64))
            }
        };
        out.push(e);
    }
    out
}

/// The locations of `n` instruction words read from a location table
/// (words past its end, and unknown parts, are 0).
fn locations_from_table(firstlineno: u32, table: &[u8], n: usize) -> Vec<Location> {
    let mut out = Vec::with_capacity(n);
    let num = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok()).unwrap_or(0);
    for e in parse_linetable(firstlineno, table) {
        let l = Location { lineno: num(e.line), end_lineno: num(e.end_line), col: num(e.col), end_col: num(e.end_col) };
        for _ in 0..e.length {
            if out.len() < n {
                out.push(l);
            }
        }
    }
    out.resize(n, Location::default());
    out
}

/// `co_exceptiontable` in CPython 3.11's format (`Objects/exception_handling_notes.txt`):
/// per row, start, length, target and `depth << 1 | lasti` as 6-bit
/// big-endian varints, the row's first byte marked with 0x80; units are
/// instruction words. Taipan's rows carry no `lasti` flag (0).
pub fn encode_exception_table(rows: &[ExceptionEntry]) -> Vec<u8> {
    fn varint(out: &mut Vec<u8>, v: u32, first: bool) {
        let mut shift = 30;
        while shift > 0 && (v >> shift) == 0 {
            shift -= 6;
        }
        let mark = if first { 0x80 } else { 0 };
        let mut m = mark;
        while shift > 0 {
            out.push(m | 0x40 | ((v >> shift) & 63) as u8);
            m = 0;
            shift -= 6;
        }
        out.push(m | (v & 63) as u8);
    }
    let mut out = Vec::new();
    for e in rows {
        varint(&mut out, e.start, true);
        varint(&mut out, e.end.saturating_sub(e.start), false);
        varint(&mut out, e.target, false);
        varint(&mut out, e.depth << 1, false);
    }
    out
}

/// Reads rows written by [`encode_exception_table`] (a `lasti` flag is
/// kept in `depth`'s low bit, so such a row matches none of ours).
fn decode_exception_table(table: &[u8]) -> Vec<ExceptionEntry> {
    let mut it = table.iter().copied();
    let mut varint = || -> Option<u32> {
        let mut b = it.next()?;
        let mut val = (b & 63) as u32;
        while b & 64 != 0 {
            b = it.next()?;
            val = (val << 6) | (b & 63) as u32;
        }
        Some(val)
    };
    let mut out = Vec::new();
    while let (Some(start), Some(len), Some(target), Some(dl)) = (varint(), varint(), varint(), varint()) {
        let depth = if dl & 1 != 0 { u32::MAX } else { dl >> 1 };
        out.push(ExceptionEntry { start, end: start.saturating_add(len), target, depth });
    }
    out
}

/// Code objects compare by value, as CPython's `code_richcompare`: name,
/// counts, flags, first line, instructions, constants (by type and
/// value, so `0`, `0.0`, `-0.0` and `False` differ), names, variable names,
/// location and exception tables.
pub fn code_eq(vm: &Vm, a: &Obj, b: &Obj) -> PyResult<bool> {
    if a.is(b) {
        return Ok(true);
    }
    let (Some(x), Some(y)) = (a.downcast::<CodeData>(), b.downcast::<CodeData>()) else { return Ok(false) };
    let (u, v) = (&*x.unit, &*y.unit);
    let same = u.name == v.name
        && u.argcount == v.argcount
        && u.posonlyargcount == v.posonlyargcount
        && u.kwonlyargcount == v.kwonlyargcount
        && u.flags == v.flags
        && u.firstlineno == v.firstlineno
        && u.code == v.code
        && u.names == v.names
        && u.varnames == v.varnames
        && u.cellvars == v.cellvars
        && u.freevars == v.freevars
        && u.exception_table == v.exception_table
        && x.consts.len() == y.consts.len()
        && linetable_of(x) == linetable_of(y);
    if !same {
        return Ok(false);
    }
    for (c, d) in x.consts.iter().zip(y.consts.iter()) {
        if !const_eq(vm, c, d)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Constants as CPython's `_PyCode_ConstantKey` tells them apart.
fn const_eq(vm: &Vm, a: &Obj, b: &Obj) -> PyResult<bool> {
    if a.is(b) {
        return Ok(true);
    }
    if !crate::types::type_of(a).is(&crate::types::type_of(b)) {
        return Ok(false);
    }
    if let (Some(x), Some(y)) = (a.downcast::<f64>(), b.downcast::<f64>()) {
        return Ok(x.to_bits() == y.to_bits());
    }
    if let (Some(x), Some(y)) = (a.downcast::<crate::types::complex::Complex>(), b.downcast::<crate::types::complex::Complex>()) {
        return Ok(x.re.to_bits() == y.re.to_bits() && x.im.to_bits() == y.im.to_bits());
    }
    if let (Some(x), Some(y)) = (a.downcast::<builtin::TupleData>(), b.downcast::<builtin::TupleData>()) {
        if x.items.len() != y.items.len() {
            return Ok(false);
        }
        for (c, d) in x.items.iter().zip(y.items.iter()) {
            if !const_eq(vm, c, d)? {
                return Ok(false);
            }
        }
        return Ok(true);
    }
    if a.downcast::<CodeData>().is_some() {
        return code_eq(vm, a, b);
    }
    crate::ops::eq(vm, a, b)
}

fn code_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    if !matches!(op, CompareOp::Eq | CompareOp::Ne) || b.downcast::<CodeData>().is_none() {
        return Ok(vm.not_implemented.clone());
    }
    let eq = code_eq(vm, a, b)?;
    Ok(vm.bool(eq == (op == CompareOp::Eq)))
}

/// A hash of what `code_eq` compares (constants only by count).
fn code_hash(vm: &Vm, o: &Obj) -> PyResult<i64> {
    let u = code_unit(vm, o)?;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut mix = |v: u64| {
        h ^= v;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    };
    u.name.bytes().for_each(|b| mix(b as u64));
    u.code.iter().for_each(|&w| mix(w as u64));
    for n in u.names.iter().chain(u.varnames.iter()).chain(u.cellvars.iter()).chain(u.freevars.iter()) {
        n.bytes().for_each(|b| mix(b as u64));
        mix(0x100);
    }
    mix(u.argcount as u64 | (u.posonlyargcount as u64) << 16 | (u.kwonlyargcount as u64) << 32);
    mix(u.flags as u64 | (u.firstlineno as u64) << 32);
    mix(u.consts.len() as u64);
    let h = (h >> 1) as i64;
    Ok(if h == -1 { -2 } else { h })
}

/// The type slots of code objects: value comparison and hash.
pub fn code_slots() -> Slots {
    Slots { hash: Some(code_hash), compare: Some(code_compare), ..Slots::default() }
}

/// The line of instruction `word` of `code` (0 if unknown).
pub fn code_line(code: &Obj, word: u32) -> u32 {
    code.downcast::<CodeData>().and_then(|c| c.unit.locations.get(word as usize).map(|l| l.lineno)).unwrap_or(0)
}

/// Turns a compiled code unit into a code object.
pub fn new_code(vm: &Vm, unit: CodeUnit) -> Obj {
    // Equal strings and bytes among the constants and inside constant
    // tuples are one object, as CPython merges its constants.
    let mut seen = std::collections::HashMap::new();
    let consts: Vec<Obj> = unit.consts.iter().map(|c| merged_const(vm, c, &mut seen)).collect();
    let consts = consts.into_boxed_slice();
    let names = unit.names.iter().map(|n| vm.intern(n)).collect();
    alloc(vm.types.code.clone(), CodeData::new(unit, consts, names))
}

/// A constant as an object; str and bytes values already made (`seen`)
/// are reused, also inside tuples.
fn merged_const<'c>(vm: &Vm, c: &'c Const, seen: &mut std::collections::HashMap<(bool, &'c [u8]), Obj>) -> Obj {
    let key = match c {
        Const::Str(s) => (true, s.as_bytes()),
        Const::Bytes(b) => (false, &b[..]),
        Const::Tuple(items) => {
            let items = items.iter().map(|i| merged_const(vm, i, seen)).collect();
            return new_tuple(vm, items);
        }
        _ => return const_to_obj(vm, c),
    };
    if let Some(o) = seen.get(&key) {
        return o.clone();
    }
    let o = const_to_obj(vm, c);
    seen.insert(key, o.clone());
    o
}

fn const_to_obj(vm: &Vm, c: &Const) -> Obj {
    use taipan_parser::ast::IntValue;
    match c {
        Const::None => vm.none.clone(),
        Const::Bool(b) => vm.bool(*b),
        Const::Ellipsis => vm.ellipsis.clone(),
        Const::Int(IntValue::Small(v)) => vm.int(*v),
        Const::Int(IntValue::Big(digits)) => match digits.parse::<num_bigint::BigInt>() {
            Ok(b) => builtin::new_int_big(vm, b),
            Err(_) => vm.int(0),
        },
        Const::Float(f) => alloc(vm.types.float.clone(), *f),
        Const::Complex { real, imag } => crate::types::complex::new_complex(vm, *real, *imag),
        // As CPython's `intern_string_constants`: constants made of name
        // characters are interned (`'abc' is 'abc'` across code objects).
        Const::Str(s) => match s.as_str() {
            Some(t) if t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') => vm.intern(t),
            _ => builtin::new_str_wtf8(vm, s.clone()),
        },
        Const::Bytes(b) => crate::types::bytes::new_bytes(vm, b.to_vec()),
        Const::Tuple(items) => new_tuple(vm, items.iter().map(|c| const_to_obj(vm, c)).collect()),
        Const::Code(u) => new_code(vm, (**u).clone()),
    }
}

/// A Python function: code, the globals it runs in, defaults.
pub struct FunctionData {
    /// `__code__` (assignable, as `types.coroutine` does).
    pub code: std::cell::RefCell<Obj>,
    pub globals: Obj,
    pub name: Obj,
    pub qualname: Obj,
    /// `__defaults__` (assignable).
    pub defaults: std::cell::RefCell<Vec<Obj>>,
    /// Defaults of keyword-only parameters, by name (`__kwdefaults__`,
    /// assignable).
    pub kwdefaults: std::cell::RefCell<Vec<(Box<str>, Obj)>>,
    /// Cells for the code's free variables.
    pub closure: Vec<Obj>,
    /// `__dict__` (function attributes), created on first use.
    pub dict: std::cell::RefCell<Option<Obj>>,
    /// `__annotations__`, a dict made on first use.
    pub annotations: std::cell::RefCell<Option<Obj>>,
    /// The collector cleared the function (`tp_clear`): its `__name__` and
    /// `__qualname__` read as `''` from then on (CPython's `func_clear`).
    pub cleared: std::cell::Cell<bool>,
}

/// `f.__code__ = code`: a code object with as many free variables as the
/// function has closure cells (CPython's `func_set_code` check).
fn set_code(vm: &Vm, f: &Obj, v: Option<Obj>) -> PyResult<()> {
    let Some(v) = v.filter(|v| v.downcast::<CodeData>().is_some()) else {
        return Err(vm.type_error("__code__ must be set to a code object"));
    };
    let func = function(vm, f)?;
    let nfree = v.downcast::<CodeData>().map_or(0, |c| c.unit.freevars.len());
    if nfree != func.closure.len() {
        let name = builtin::str_data(&func.name).as_str().into_owned();
        return Err(vm.new_error(
            &vm.types.value_error,
            format!("{name}() requires a code object with {} free vars, not {nfree}", func.closure.len()),
        ));
    }
    match func.code.try_borrow_mut() {
        Ok(mut c) => {
            *c = v;
            Ok(())
        }
        Err(_) => Err(vm.new_error(&vm.types.runtime_error, "cannot set __code__ while the function is being entered")),
    }
}

/// The computed attributes of functions. The writable ones a program
/// assigned (`functools.wraps` sets `__name__`, `__doc__`, ...) are kept in
/// the function's `__dict__` and read back from there.
pub static FUNCTION_GETSETS: &[GetSetDef] = &[
    // `f.__annotations__ = d` (a dict, or None/del to reset), as
    // `functools.wraps` and `reprlib.recursive_repr` do.
    GetSetDef::new(
        "__annotations__",
        function_annotations,
        |vm, f, value| {
            let fd = function(vm, f)?;
            let new = match value {
                Some(v) if v.is(&vm.none) => None,
                Some(v) if v.downcast::<builtin::DictData>().is_some() => Some(v),
                Some(_) => return Err(vm.type_error("__annotations__ must be set to a dict object")),
                None => None,
            };
            drop(fd.annotations.replace(new));
            Ok(())
        },
        "",
    ),
    GetSetDef::new("__code__", |vm, f| Ok(function(vm, f)?.code.borrow().clone()), set_code, ""),
    GetSetDef::readonly("__globals__", |vm, f| Ok(function(vm, f)?.globals.clone()), ""),
    GetSetDef::readonly(
        "__builtins__",
        |vm, f| Ok(builtin::dict_get_str(vm, &function(vm, f)?.globals, "__builtins__")?.unwrap_or_else(|| vm.builtins.clone())),
        "",
    ),
    GetSetDef::readonly(
        "__closure__",
        |vm, f| {
            let f = function(vm, f)?;
            Ok(if f.closure.is_empty() { vm.none.clone() } else { new_tuple(vm, f.closure.clone()) })
        },
        "",
    ),
    GetSetDef::new(
        "__name__",
        |vm, f| overridable(vm, f, "__name__", |vm, f| Ok(if f.cleared.get() { new_str(vm, "") } else { f.name.clone() })),
        |vm, f, v| set_overridable(vm, f, "__name__", v),
        "",
    ),
    GetSetDef::new(
        "__qualname__",
        |vm, f| overridable(vm, f, "__qualname__", function_qualname),
        |vm, f, v| set_overridable(vm, f, "__qualname__", v),
        "",
    ),
    GetSetDef::new(
        "__doc__",
        |vm, f| {
            overridable(vm, f, "__doc__", |vm, f| {
                Ok(match f.code.borrow().downcast::<CodeData>().and_then(|c| c.consts.first()) {
                    Some(d) if d.downcast::<builtin::StrData>().is_some() => d.clone(),
                    _ => vm.none.clone(),
                })
            })
        },
        |vm, f, v| set_overridable(vm, f, "__doc__", v),
        "",
    ),
    GetSetDef::new(
        "__module__",
        |vm, f| {
            overridable(vm, f, "__module__", |vm, f| {
                Ok(builtin::dict_get_str(vm, &f.globals, "__name__")?.unwrap_or_else(|| vm.none.clone()))
            })
        },
        |vm, f, v| set_overridable(vm, f, "__module__", v),
        "",
    ),
    GetSetDef::new(
        "__defaults__",
        |vm, f| {
            let d = function(vm, f)?.defaults.borrow().clone();
            Ok(if d.is_empty() { vm.none.clone() } else { new_tuple(vm, d) })
        },
        |vm, f, v| {
            let fd = function(vm, f)?;
            let new = match v {
                None => Vec::new(),
                Some(v) if v.is(&vm.none) => Vec::new(),
                Some(v) => match v.downcast::<builtin::TupleData>() {
                    Some(t) => t.items.to_vec(),
                    None => return Err(vm.type_error("__defaults__ must be set to a tuple object")),
                },
            };
            drop(fd.defaults.replace(new));
            Ok(())
        },
        "",
    ),
    GetSetDef::new(
        "__kwdefaults__",
        |vm, f| {
            let kw = function(vm, f)?.kwdefaults.borrow().clone();
            if kw.is_empty() {
                return Ok(vm.none.clone());
            }
            let d = builtin::new_dict(vm);
            for (k, v) in kw {
                builtin::dict_set(vm, &d, vm.intern(&k), v)?;
            }
            Ok(d)
        },
        |vm, f, v| {
            let fd = function(vm, f)?;
            let new = match v {
                None => Vec::new(),
                Some(v) if v.is(&vm.none) => Vec::new(),
                Some(v) if v.downcast::<builtin::DictData>().is_some() => {
                    let mut out = Vec::new();
                    for (k, v) in builtin::dict_items(&v) {
                        let Some(k) = k.downcast::<builtin::StrData>() else { continue };
                        out.push((Box::from(&*k.as_str()), v));
                    }
                    out
                }
                Some(_) => return Err(vm.type_error("__kwdefaults__ must be set to a dict object")),
            };
            drop(fd.kwdefaults.replace(new));
            Ok(())
        },
        "",
    ),
];

fn function<'a>(vm: &Vm, f: &'a Obj) -> PyResult<&'a FunctionData> {
    f.downcast::<FunctionData>().ok_or_else(|| vm.type_error("descriptor requires a 'function' object"))
}

/// The attribute `name` as assigned to the function, else `compute`d.
fn overridable(vm: &Vm, f: &Obj, name: &str, compute: fn(&Vm, &FunctionData) -> PyResult<Obj>) -> PyResult<Obj> {
    let fd = function(vm, f)?;
    let dict = fd.dict.borrow().clone();
    if let Some(d) = dict {
        if let Some(v) = builtin::dict_get_str(vm, &d, name)? {
            return Ok(v);
        }
    }
    compute(vm, fd)
}

fn set_overridable(vm: &Vm, f: &Obj, name: &str, value: Option<Obj>) -> PyResult<()> {
    let fd = function(vm, f)?;
    let value = match value {
        Some(v) => v,
        // Deleting `__module__` or `__doc__` leaves None (CPython).
        None if matches!(name, "__module__" | "__doc__") => vm.none.clone(),
        None => return Err(vm.type_error(format!("{name} can't be deleted"))),
    };
    if matches!(name, "__name__" | "__qualname__") && value.downcast::<builtin::StrData>().is_none() {
        return Err(vm.type_error(format!("{name} must be set to a string object")));
    }
    let dict = fd.dict.borrow_mut().get_or_insert_with(|| builtin::new_dict(vm)).clone();
    builtin::dict_set(vm, &dict, vm.intern(name), value)
}

/// `__qualname__` as the function was made (`''` once cleared).
fn function_qualname(vm: &Vm, f: &FunctionData) -> PyResult<Obj> {
    Ok(if f.cleared.get() { new_str(vm, "") } else { f.qualname.clone() })
}

fn function_annotations(vm: &Vm, f: &Obj) -> PyResult<Obj> {
    let fd = function(vm, f)?;
    let mut slot = fd.annotations.borrow_mut();
    match &*slot {
        Some(d) => Ok(d.clone()),
        None => {
            let d = builtin::new_dict(vm);
            *slot = Some(d.clone());
            Ok(d)
        }
    }
}

pub fn function_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            // The current `__qualname__` (assigned, or '' once cleared).
            let q = overridable(vm, o, "__qualname__", function_qualname)?;
            let name = q.downcast::<builtin::StrData>().map(|s| s.as_str().into_owned()).unwrap_or_default();
            Ok(new_str(vm, &format!("<function {name} at {:#x}>", o.as_ptr() as usize)))
        }),
        // Functions are non-data descriptors: found on a class through an
        // instance they bind to it.
        descr_get: Some(|vm, f, obj, _owner| match obj {
            None => Ok(f.clone()),
            Some(o) if o.is(&vm.none) => Ok(f.clone()),
            Some(o) => Ok(alloc(vm.types.method.clone(), crate::classes::MethodData { func: f.clone(), self_: o.clone() })),
        }),
        // Calls go straight to the function (see `ops::call_kw`); the slot
        // gives functions their `__call__` method-wrapper.
        call: Some(crate::ops::call_kw),
        traverse: Some(function_traverse),
        clear: Some(function_clear),
        new: Some(function_new),
        ..builtin::object_slots()
    }
}

/// `types.FunctionType(code, globals, name=None, argdefs=None,
/// closure=None)` with CPython's checks (`func_new_impl`).
fn function_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: crate::types::Kwargs) -> PyResult<Obj> {
    static P: crate::native::Params = crate::native::Params {
        fname: "function",
        names: &["code", "globals", "name", "argdefs", "closure"],
        posonly: 0,
        kwonly: 0,
        required: 2,
    };
    let [code, globals, name, argdefs, closure] = crate::native::bind::<5>(vm, &P, args, kw)?;
    let (Some(code), Some(globals)) = (code, globals) else { return Err(vm.type_error("function() missing required argument")) };
    let Some(cd) = code.downcast::<CodeData>() else {
        return Err(vm.type_error(format!("function() argument 'code' must be code, not {}", builtin::type_name(&code))));
    };
    if globals.downcast::<builtin::DictData>().is_none() {
        return Err(vm.type_error(format!("function() argument 'globals' must be dict, not {}", builtin::type_name(&globals))));
    }
    let none = |o: &Option<Obj>| o.as_ref().is_none_or(|o| o.is(&vm.none));
    if !none(&name) && name.as_ref().is_some_and(|n| n.downcast::<builtin::StrData>().is_none()) {
        return Err(vm.type_error("arg 3 (name) must be None or string"));
    }
    let defaults = match argdefs.filter(|d| !d.is(&vm.none)) {
        None => Vec::new(),
        Some(d) => match d.downcast::<builtin::TupleData>() {
            Some(t) => t.items.to_vec(),
            None => return Err(vm.type_error("arg 4 (defaults) must be None or tuple")),
        },
    };
    let nfree = cd.unit.freevars.len();
    let cells = match closure.filter(|c| !c.is(&vm.none)) {
        None if nfree > 0 => return Err(vm.type_error("arg 5 (closure) must be tuple")),
        None => Vec::new(),
        Some(c) => match c.downcast::<builtin::TupleData>() {
            Some(t) => t.items.to_vec(),
            None => return Err(vm.type_error("arg 5 (closure) must be None or tuple")),
        },
    };
    if cells.len() != nfree {
        return Err(
            vm.new_error(&vm.types.value_error, format!("{} requires closure of length {nfree}, not {}", cd.unit.name, cells.len()))
        );
    }
    if let Some(bad) = cells.iter().find(|c| c.downcast::<crate::eval::CellData>().is_none()) {
        return Err(vm.type_error(format!("arg 5 (closure) expected cell, found {}", builtin::type_name(bad))));
    }
    let name = match name.filter(|n| !n.is(&vm.none)) {
        Some(n) => n,
        None => new_str(vm, &cd.unit.name),
    };
    let qualname = new_str(vm, &cd.unit.qualname);
    Ok(alloc(
        cls.clone(),
        FunctionData {
            code: std::cell::RefCell::new(code.clone()),
            globals,
            name,
            qualname,
            defaults: std::cell::RefCell::new(defaults),
            kwdefaults: std::cell::RefCell::new(Vec::new()),
            closure: cells,
            dict: std::cell::RefCell::new(None),
            annotations: std::cell::RefCell::new(None),
            cleared: std::cell::Cell::new(false),
        },
    ))
}

/// The signature of a function written in Rust.
pub type BuiltinFn = fn(&Vm, &[Obj], crate::types::Kwargs) -> PyResult<Obj>;

/// A function written in Rust.
pub struct BuiltinFunctionData {
    pub name: &'static str,
    pub func: BuiltinFn,
    /// The function reads its caller's namespaces (`globals()`, `exec`):
    /// the eval loop publishes them in `vm.frame_views` for the call.
    pub reads_caller_frame: bool,
    /// The module it belongs to (`__self__`, `__module__`), set when a
    /// module's function table is installed.
    pub module: std::cell::RefCell<Option<Obj>>,
    /// The type of a static method (`bytearray.maketrans`): its reduction
    /// is `(getattr, (type, name))`.
    pub static_owner: std::cell::RefCell<Option<Obj>>,
    /// Its docstring (a module table's `FunctionDef::doc`, which may open
    /// with a text signature, `native::split_doc`); empty when unknown.
    pub doc: std::cell::Cell<&'static str>,
}

pub fn builtin_function_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let name = o.downcast::<BuiltinFunctionData>().map_or("?", |f| f.name);
            Ok(new_str(vm, &format!("<built-in function {name}>")))
        }),
        call: Some(|vm, o, args, kw| match o.downcast::<BuiltinFunctionData>() {
            Some(f) => (f.func)(vm, args, kw),
            None => Err(vm.type_error("not callable")),
        }),
        ..builtin::object_slots()
    }
}

pub fn new_builtin_function(vm: &Vm, name: &'static str, func: BuiltinFn) -> Obj {
    alloc_builtin_function(vm, name, func, false)
}

/// A builtin that reads its caller's namespaces (see
/// `BuiltinFunctionData::reads_caller_frame`).
pub fn new_frame_reading_function(vm: &Vm, name: &'static str, func: BuiltinFn) -> Obj {
    alloc_builtin_function(vm, name, func, true)
}

fn alloc_builtin_function(vm: &Vm, name: &'static str, func: BuiltinFn, reads_caller_frame: bool) -> Obj {
    let f = alloc(
        vm.types.builtin_function.clone(),
        BuiltinFunctionData {
            name,
            func,
            reads_caller_frame,
            module: Default::default(),
            static_owner: Default::default(),
            doc: Default::default(),
        },
    );
    f.make_immortal();
    f
}

/// Records that `f` (a built-in function) belongs to `module`.
pub fn set_builtin_module(f: &Obj, module: &Obj) {
    if let Some(b) = f.downcast::<BuiltinFunctionData>() {
        if let Ok(mut m) = b.module.try_borrow_mut() {
            if m.is_none() {
                *m = Some(module.clone());
            }
        }
    }
}

/// The module name of a built-in function, or None.
fn builtin_module_name(vm: &Vm, b: &BuiltinFunctionData) -> Obj {
    match &*b.module.borrow() {
        Some(m) => match m.downcast::<crate::modules::ModuleData>() {
            Some(md) => new_str(vm, &md.name),
            None => vm.none.clone(),
        },
        None => vm.none.clone(),
    }
}

/// Attributes of `builtin_function_or_method` (module-level functions).
pub static BUILTIN_FUNCTION_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("__name__", |vm, o| Ok(new_str(vm, builtin_fn(vm, o)?.name)), ""),
    GetSetDef::readonly("__qualname__", |vm, o| Ok(new_str(vm, builtin_fn(vm, o)?.name)), ""),
    GetSetDef::readonly("__self__", |vm, o| Ok(builtin_fn(vm, o)?.module.borrow().clone().unwrap_or_else(|| vm.none.clone())), ""),
    GetSetDef::new(
        "__module__",
        |vm, o| Ok(builtin_module_name(vm, builtin_fn(vm, o)?)),
        |vm, _, _| Err(vm.new_error(&vm.types.attribute_error, "readonly attribute")),
        "",
    ),
    GetSetDef::readonly(
        "__doc__",
        |vm, o| {
            let f = builtin_fn(vm, o)?;
            Ok(crate::native::doc_attr(vm, f.name, f.doc.get()))
        },
        "",
    ),
    GetSetDef::readonly(
        "__text_signature__",
        |vm, o| {
            let f = builtin_fn(vm, o)?;
            Ok(crate::native::text_signature_attr(vm, f.name, f.doc.get()))
        },
        "",
    ),
];

/// `__reduce__` of a module's built-in function: its name (pickled as a
/// global of its module).
pub static BUILTIN_FUNCTION_METHODS: &[crate::native::MethodDef] = &[crate::native::MethodDef::method(
    "__reduce__",
    |vm, this, args, kw| {
        crate::native::exact::<0>(vm, "__reduce__", args, kw)?;
        let f = builtin_fn(vm, this)?;
        if let Some(owner) = f.static_owner.borrow().clone() {
            let getattr = crate::types::iterators::builtin_obj(vm, "getattr")?;
            return Ok(crate::types::iterators::reduce_value(vm, getattr, vec![owner, new_str(vm, f.name)], None));
        }
        Ok(new_str(vm, f.name))
    },
    "",
)];

fn builtin_fn<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a BuiltinFunctionData> {
    o.downcast::<BuiltinFunctionData>().ok_or_else(|| vm.type_error("not a builtin function"))
}

/// The collector's view of a function: globals, defaults, closure cells,
/// `__dict__` (and its code and names, which are leaves).
pub(crate) fn function_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    let Some(f) = o.downcast::<FunctionData>() else { return };
    visit(&f.globals);
    if let Ok(d) = f.defaults.try_borrow() {
        d.iter().for_each(&mut *visit);
    }
    if let Ok(kw) = f.kwdefaults.try_borrow() {
        kw.iter().for_each(|(_, x)| visit(x));
    }
    for x in f.closure.iter() {
        visit(x);
    }
    if let Ok(d) = f.dict.try_borrow() {
        if let Some(d) = &*d {
            visit(d);
        }
    }
}

/// Only the `__dict__` can go (the other fields are fixed; the names
/// read as `''` from now on); cycles
/// through globals break when the module dict is cleared.
pub(crate) fn function_clear(o: &Obj) {
    let Some(f) = o.downcast::<FunctionData>() else { return };
    f.cleared.set(true);
    let old = f.dict.try_borrow_mut().ok().and_then(|mut d| d.take());
    drop(old);
}

/// The slots of `cell` (`types.CellType`): creation with an optional
/// content, a repr naming the content's type, comparison by content
/// (an empty cell sorts first), unhashable as in CPython.
pub fn cell_slots() -> Slots {
    use crate::eval::CellData;
    Slots {
        new: Some(|vm, cls, args, kw| {
            crate::native::no_kwargs(vm, "cell", kw)?;
            if args.len() > 1 {
                return Err(vm.type_error(format!("cell expected at most 1 argument, got {}", args.len())));
            }
            Ok(alloc(cls.clone(), CellData { value: std::cell::RefCell::new(args.first().cloned()) }))
        }),
        repr: Some(|vm, o| {
            let content = o.downcast::<CellData>().and_then(|c| c.value.borrow().clone());
            let at = o.as_ptr() as usize;
            Ok(new_str(
                vm,
                &match content {
                    None => format!("<cell at {at:#x}: empty>"),
                    Some(v) => format!("<cell at {at:#x}: {} object at {:#x}>", builtin::type_name(&v), v.as_ptr() as usize),
                },
            ))
        }),
        compare: Some(|vm, op, a, b| {
            let (Some(x), Some(y)) = (a.downcast::<CellData>(), b.downcast::<CellData>()) else {
                return Ok(vm.not_implemented.clone());
            };
            let (x, y) = (x.value.borrow().clone(), y.value.borrow().clone());
            match (x, y) {
                (Some(x), Some(y)) => crate::ops::compare(vm, op, &x, &y),
                (x, y) => {
                    use taipan_compiler::bytecode::CompareOp;
                    let ord = x.is_some().cmp(&y.is_some());
                    Ok(vm.bool(match op {
                        CompareOp::Lt => ord.is_lt(),
                        CompareOp::Le => ord.is_le(),
                        CompareOp::Eq => ord.is_eq(),
                        CompareOp::Ne => ord.is_ne(),
                        CompareOp::Gt => ord.is_gt(),
                        CompareOp::Ge => ord.is_ge(),
                    }))
                }
            }
        }),
        traverse: Some(crate::eval::cell_traverse),
        clear: Some(crate::eval::cell_clear),
        ..Slots::default()
    }
}

/// `cell.cell_contents`: reading an empty cell raises ValueError;
/// deleting empties it.
pub static CELL_GETSETS: &[GetSetDef] = &[GetSetDef::new(
    "cell_contents",
    |vm, o| {
        let content = o.downcast::<crate::eval::CellData>().and_then(|c| c.value.borrow().clone());
        content.ok_or_else(|| vm.new_error(&vm.types.value_error, "Cell is empty"))
    },
    |_, o, v| {
        if let Some(c) = o.downcast::<crate::eval::CellData>() {
            let old = c.value.replace(v);
            drop(old);
        }
        Ok(())
    },
    "",
)];

#[cfg(test)]
mod linetable_tests {
    use super::*;

    fn loc(lineno: u32, end_lineno: u32, col: u32, end_col: u32) -> Location {
        Location { lineno, end_lineno, col, end_col }
    }

    /// Every location survives the location table (each entry form, runs
    /// longer than 8 words, lines going back, unknown locations).
    #[test]
    fn locations_round_trip() {
        let mut locs = vec![loc(3, 3, 4, 9); 11];
        locs.extend([
            loc(3, 3, 100, 120),
            loc(4, 4, 0, 200),
            loc(2, 5, 7, 1),
            Location::default(),
            loc(200, 200, 79, 94),
            loc(201, 201, 3, 3),
            loc(1000, 1000, 0, 1),
        ]);
        let table = encode_linetable(3, &locs);
        assert_eq!(locations_from_table(3, &table, locs.len()), locs);
        let entries = parse_linetable(3, &table);
        assert_eq!(entries.iter().map(|e| e.length as usize).sum::<usize>(), locs.len());
        assert_eq!(entries[0].length, 8);
        assert!(entries.iter().any(|e| e.line.is_none()));
        // A truncated table ends early instead of failing.
        assert!(locations_from_table(3, &table[..table.len() - 1], locs.len()).len() == locs.len());
    }

    #[test]
    fn exception_table_round_trip() {
        let rows = vec![
            ExceptionEntry { start: 0, end: 5, target: 9, depth: 0 },
            ExceptionEntry { start: 70, end: 5000, target: 100_000, depth: 3 },
        ];
        assert_eq!(decode_exception_table(&encode_exception_table(&rows)), rows);
        assert!(decode_exception_table(&[]).is_empty());
    }
}
