//! `_csv`: the engine under the pure-Python `csv` module, as CPython's
//! `Modules/_csv.c` behaves: `Dialect` (validation with CPython's
//! messages), the dialect registry, `field_size_limit`, the `reader`
//! (its character state machine, `line_num`) and the `writer` (quoting
//! and escaping rules; `writerow` returns what `write` returned).

use std::cell::{Cell, RefCell};

use taipan_parser::wtf8::Wtf8Buf;
use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{new_type, FunctionDef, GetSetDef, MethodDef};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::ops;
use taipan_vm::types::builtin::{
    dict_del, dict_get, dict_keys_with_hash, dict_set, new_dict, new_list, new_str, new_str_wtf8, object_slots, str_data, type_name,
    IntData, StrData,
};
use taipan_vm::types::{is_subtype, lookup, type_of, Kwargs, Slots};
use taipan_vm::{PyErr, PyResult, Vm};

use crate::util;

const QUOTE_MINIMAL: i64 = 0;
const QUOTE_ALL: i64 = 1;
const QUOTE_NONNUMERIC: i64 = 2;
const QUOTE_NONE: i64 = 3;

const DOC: &str = "CSV parsing and writing.\n\nThis module provides classes that assist in the reading and writing\nof Comma Separated Value (CSV) files, and implements the interface\ndescribed by PEP 305.  Although many CSV files are simple to parse,\nthe format is not formally defined by a stable specification and\nis subtle enough that parsing lines of a CSV file with something\nlike line.split(\",\") is bound to fail.  The module supports three\nbasic APIs: reading, writing, and registration of dialects.\n";

/// Per-interpreter state: the registry (`_csv._dialects`) and the limit.
#[derive(Default)]
struct CsvState {
    dialects: RefCell<Option<Obj>>,
    field_limit: Cell<Option<i64>>,
}

const DEFAULT_LIMIT: i64 = 128 * 1024;

fn field_limit(vm: &Vm) -> i64 {
    vm.state::<CsvState>().field_limit.get().unwrap_or(DEFAULT_LIMIT)
}

fn registry(vm: &Vm) -> Obj {
    let st = vm.state::<CsvState>();
    let mut d = st.dialects.borrow_mut();
    d.get_or_insert_with(|| new_dict(vm)).clone()
}

fn error_class(vm: &Vm) -> PyResult<Obj> {
    util::exception_class(vm, "_csv.Error", &[])
}

fn csv_error(vm: &Vm, msg: impl Into<String>) -> PyErr {
    match error_class(vm) {
        Ok(t) => vm.new_error(&t, msg),
        Err(e) => e,
    }
}

// Dialect ----------------------------------------------------------------

/// A validated dialect; `None` characters are CPython's `NOT_SET`.
pub struct DialectData {
    delimiter: u32,
    quotechar: Option<u32>,
    escapechar: Option<u32>,
    lineterminator: Obj,
    quoting: i64,
    doublequote: bool,
    skipinitialspace: bool,
    strict: bool,
}

fn dialect_type(vm: &Vm) -> Obj {
    vm.native_type("_csv.Dialect", |vm| {
        let slots = Slots {
            new: Some(dialect_new),
            traverse: Some(|o, visit| {
                if let Some(d) = o.downcast::<DialectData>() {
                    visit(&d.lineterminator)
                }
            }),
            ..object_slots()
        };
        let t = new_type::<DialectData>(vm, "_csv.Dialect", &[], false, slots, &[], DIALECT_GETSETS);
        set_doc(vm, &t, "CSV dialect\n\nThe Dialect type records CSV parsing and generation options.\n");
        t
    })
}

fn set_doc(vm: &Vm, t: &Obj, doc: &str) {
    taipan_vm::types::type_data(t).dict.borrow_mut().insert("__doc__", new_str(vm, doc));
    taipan_vm::types::type_modified(t);
}

fn dialect_of<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a DialectData> {
    o.downcast::<DialectData>().ok_or_else(|| vm.type_error(format!("expected a _csv.Dialect, got '{}'", type_name(o))))
}

fn char_obj(vm: &Vm, c: Option<u32>) -> Obj {
    match c {
        Some(c) => taipan_vm::types::builtin::new_str_cp(vm, c),
        None => vm.none.clone(),
    }
}

static DIALECT_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("delimiter", |vm, o| Ok(char_obj(vm, Some(dialect_of(vm, o)?.delimiter))), ""),
    GetSetDef::readonly("doublequote", |vm, o| Ok(vm.bool(dialect_of(vm, o)?.doublequote)), ""),
    GetSetDef::readonly("escapechar", |vm, o| Ok(char_obj(vm, dialect_of(vm, o)?.escapechar)), ""),
    GetSetDef::readonly("lineterminator", |vm, o| Ok(dialect_of(vm, o)?.lineterminator.clone()), ""),
    GetSetDef::readonly("quotechar", |vm, o| Ok(char_obj(vm, dialect_of(vm, o)?.quotechar)), ""),
    GetSetDef::readonly("quoting", |vm, o| Ok(vm.int(dialect_of(vm, o)?.quoting)), ""),
    GetSetDef::readonly("skipinitialspace", |vm, o| Ok(vm.bool(dialect_of(vm, o)?.skipinitialspace)), ""),
    GetSetDef::readonly("strict", |vm, o| Ok(vm.bool(dialect_of(vm, o)?.strict)), ""),
];

const DIALECT_KWS: [&str; 9] =
    ["dialect", "delimiter", "doublequote", "escapechar", "lineterminator", "quotechar", "quoting", "skipinitialspace", "strict"];

/// The only code point of a one-character str.
fn single_char(vm: &Vm, name: &str, s: &StrData) -> PyResult<u32> {
    if s.len() != 1 {
        return Err(vm.type_error(format!("\"{name}\" must be a 1-character string")));
    }
    Ok(s.code_point(0))
}

fn dialect_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if args.len() > DIALECT_KWS.len() {
        return Err(vm.type_error(format!("function takes at most {} arguments ({} given)", DIALECT_KWS.len(), args.len())));
    }
    let mut vals: [Option<Obj>; 9] = std::array::from_fn(|i| args.get(i).cloned());
    for (k, v) in kw {
        let key = str_data(k).as_str();
        match DIALECT_KWS.iter().position(|n| *n == key) {
            Some(i) => {
                if vals[i].is_some() {
                    return Err(vm.type_error(format!("argument for function given by name ('{key}') and position ({})", i + 1)));
                }
                vals[i] = Some(v.clone());
            }
            None => return Err(vm.type_error(format!("'{key}' is an invalid keyword argument for this function"))),
        }
    }
    let mut dialect = vals[0].take();
    if let Some(d) = &dialect {
        if d.downcast::<StrData>().is_some() {
            dialect = Some(get_dialect_obj(vm, d)?);
        }
    }
    if let Some(d) = &dialect {
        if d.downcast::<DialectData>().is_some() && vals[1..].iter().all(|v| v.is_none()) {
            return Ok(d.clone());
        }
    }
    if let Some(d) = &dialect {
        for (i, name) in DIALECT_KWS.iter().enumerate().skip(1) {
            if vals[i].is_none() {
                match util::getattr(vm, d, name) {
                    Ok(v) => vals[i] = Some(v),
                    Err(e) if util::is_error(&e, &vm.types.attribute_error) => {}
                    Err(e) => return Err(e),
                }
            }
        }
    }
    let [_, delimiter, doublequote, escapechar, lineterminator, quotechar, quoting, skipinitialspace, strict] = vals;
    let delimiter = match &delimiter {
        None => ',' as u32,
        Some(v) => match v.downcast::<StrData>() {
            Some(s) => single_char(vm, "delimiter", s)?,
            None => return Err(vm.type_error(format!("\"delimiter\" must be string, not {}", type_name(v)))),
        },
    };
    let as_bool = |v: &Option<Obj>, dflt: bool| -> PyResult<bool> {
        match v {
            None => Ok(dflt),
            Some(v) => ops::truth(vm, v),
        }
    };
    let doublequote = as_bool(&doublequote, true)?;
    let char_or_none = |name: &str, v: &Option<Obj>, dflt: Option<u32>| -> PyResult<Option<u32>> {
        match v {
            None => Ok(dflt),
            Some(v) if v.is(&vm.none) => Ok(None),
            Some(v) => match v.downcast::<StrData>() {
                Some(s) => Ok(Some(single_char(vm, name, s)?)),
                None => Err(vm.type_error(format!("\"{name}\" must be string or None, not {}", type_name(v)))),
            },
        }
    };
    let escapechar = char_or_none("escapechar", &escapechar, None)?;
    let lineterminator = match &lineterminator {
        None => Some(new_str(vm, "\r\n")),
        Some(v) if v.is(&vm.none) => None,
        Some(v) if v.downcast::<StrData>().is_some() => Some(v.clone()),
        Some(_) => return Err(vm.type_error("\"lineterminator\" must be a string")),
    };
    let quotechar = char_or_none("quotechar", &quotechar, Some('"' as u32))?;
    let quoting_given = quoting.is_some();
    let mut quoting = match &quoting {
        None => QUOTE_MINIMAL,
        Some(v) => {
            if !type_of(v).is(&vm.types.int) {
                return Err(vm.type_error("\"quoting\" must be an integer"));
            }
            let q = match v.downcast::<IntData>() {
                Some(IntData::Small(q)) if i32::try_from(*q).is_ok() => *q,
                _ => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int")),
            };
            if !(QUOTE_MINIMAL..=QUOTE_NONE).contains(&q) {
                return Err(vm.type_error("bad \"quoting\" value"));
            }
            q
        }
    };
    let skipinitialspace = as_bool(&skipinitialspace, false)?;
    let strict = as_bool(&strict, false)?;
    if quotechar.is_none() && !quoting_given {
        quoting = QUOTE_NONE;
    }
    if quoting != QUOTE_NONE && quotechar.is_none() {
        return Err(vm.type_error("quotechar must be set if quoting enabled"));
    }
    let Some(lineterminator) = lineterminator else {
        return Err(vm.type_error("lineterminator must be set"));
    };
    Ok(alloc(cls.clone(), DialectData { delimiter, quotechar, escapechar, lineterminator, quoting, doublequote, skipinitialspace, strict }))
}

/// `_call_dialect`: a `Dialect` from the `dialect` argument and keywords.
fn make_dialect(vm: &Vm, dialect: Option<&Obj>, kw: Kwargs) -> PyResult<Obj> {
    let t = dialect_type(vm);
    let args: Vec<Obj> = dialect.into_iter().cloned().collect();
    dialect_new(vm, &t, &args, kw)
}

fn get_dialect_obj(vm: &Vm, name: &Obj) -> PyResult<Obj> {
    match dict_get(vm, &registry(vm), name)? {
        Some(d) => Ok(d),
        None => Err(csv_error(vm, "unknown dialect")),
    }
}

// Module functions ---------------------------------------------------------

/// `PyArg_UnpackTuple(args, "", min, max)`: CPython's messages with an
/// empty function name.
fn unpack<const N: usize>(vm: &Vm, min: usize, args: &[Obj]) -> PyResult<[Option<Obj>; N]> {
    if args.len() < min {
        let s = if min == 1 { "" } else { "s" };
        return Err(vm.type_error(format!(" expected at least {min} argument{s}, got {}", args.len())));
    }
    if args.len() > N {
        let s = if N == 1 { "" } else { "s" };
        return Err(vm.type_error(format!(" expected at most {N} argument{s}, got {}", args.len())));
    }
    Ok(std::array::from_fn(|i| args.get(i).cloned()))
}

fn csv_reader(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [input, dialect] = unpack::<2>(vm, 1, args)?;
    let input = input.unwrap_or_else(|| vm.none.clone());
    let it = ops::iter(vm, &input)?;
    let dialect = make_dialect(vm, dialect.as_ref(), kw)?;
    Ok(alloc(
        reader_type(vm),
        ReaderData {
            input: it,
            dialect,
            state: RefCell::new(Parser {
                state: State::StartRecord,
                fields: Vec::new(),
                field: Wtf8Buf::new(),
                field_len: 0,
                numeric: false,
            }),
            line_num: Cell::new(0),
        },
    ))
}

fn csv_writer(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [file, dialect] = unpack::<2>(vm, 1, args)?;
    let file = file.unwrap_or_else(|| vm.none.clone());
    let write = match util::getattr(vm, &file, "write") {
        Ok(w) if ops::callable(&w) => w,
        Ok(_) => return Err(vm.type_error("argument 1 must have a \"write\" method")),
        Err(e) if util::is_error(&e, &vm.types.attribute_error) => return Err(vm.type_error("argument 1 must have a \"write\" method")),
        Err(e) => return Err(e),
    };
    let dialect = make_dialect(vm, dialect.as_ref(), kw)?;
    Ok(alloc(writer_type(vm), WriterData { write, dialect }))
}

fn register_dialect(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name, dialect] = unpack::<2>(vm, 1, args)?;
    let name = name.unwrap_or_else(|| vm.none.clone());
    if name.downcast::<StrData>().is_none() {
        return Err(vm.type_error("dialect name must be a string"));
    }
    let d = make_dialect(vm, dialect.as_ref(), kw)?;
    dict_set(vm, &registry(vm), name, d)?;
    Ok(vm.none.clone())
}

fn unregister_dialect(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = taipan_vm::native::Params { fname: "unregister_dialect", names: &["name"], posonly: 0, kwonly: 0, required: 1 };
    let [name] = taipan_vm::native::bind::<1>(vm, &p, args, kw)?;
    let name = name.unwrap_or_else(|| vm.none.clone());
    if !dict_del(vm, &registry(vm), &name)? {
        return Err(csv_error(vm, "unknown dialect"));
    }
    Ok(vm.none.clone())
}

fn get_dialect(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = taipan_vm::native::Params { fname: "get_dialect", names: &["name"], posonly: 0, kwonly: 0, required: 1 };
    let [name] = taipan_vm::native::bind::<1>(vm, &p, args, kw)?;
    get_dialect_obj(vm, &name.unwrap_or_else(|| vm.none.clone()))
}

fn list_dialects(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [] = taipan_vm::native::exact::<0>(vm, "list_dialects", args, kw)?;
    Ok(new_list(vm, dict_keys_with_hash(&registry(vm)).into_iter().map(|(_, k)| k).collect()))
}

fn field_size_limit(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = taipan_vm::native::Params { fname: "field_size_limit", names: &["new_limit"], posonly: 0, kwonly: 0, required: 0 };
    let [new] = taipan_vm::native::bind::<1>(vm, &p, args, kw)?;
    let old = field_limit(vm);
    if let Some(n) = new {
        if taipan_vm::types::builtin::int_data(&n).is_none() {
            return Err(vm.type_error("limit must be an integer"));
        }
        let v = match n.downcast::<IntData>() {
            Some(IntData::Small(v)) => *v,
            _ => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C long")),
        };
        vm.state::<CsvState>().field_limit.set(Some(v));
    }
    Ok(vm.int(old))
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("reader", csv_reader, "    csv_reader = reader(iterable [, dialect='excel']\n                        [optional keyword args])\n    for row in csv_reader:\n        process(row)\n"),
    FunctionDef::new("writer", csv_writer, "    csv_writer = csv.writer(fileobj [, dialect='excel']\n                            [optional keyword args])\n    for row in sequence:\n        csv_writer.writerow(row)\n"),
    FunctionDef::new("register_dialect", register_dialect, "Create a mapping from a string name to a dialect class.\n    dialect = csv.register_dialect(name[, dialect[, **fmtparams]])"),
    FunctionDef::new("unregister_dialect", unregister_dialect, "Delete the name/dialect mapping associated with a string name.\n    csv.unregister_dialect(name)"),
    FunctionDef::new("get_dialect", get_dialect, "Return the dialect instance associated with name.\n    dialect = csv.get_dialect(name)"),
    FunctionDef::new("list_dialects", list_dialects, "Return a list of all know dialect names.\n    names = csv.list_dialects()"),
    FunctionDef::new("field_size_limit", field_size_limit, "Sets an upper limit on parsed fields.\n\n    csv.field_size_limit([limit])\n\nReturns old limit. If limit is not given, no new limit is set and\nthe old limit is returned"),
];

// Reader -------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    StartRecord,
    StartField,
    EscapedChar,
    InField,
    InQuotedField,
    EscapeInQuotedField,
    QuoteInQuotedField,
    EatCrnl,
    AfterEscapedCrnl,
}

/// The end of an input line (CPython's `EOL`), as opposed to a character.
const EOL: Option<u32> = None;

struct Parser {
    state: State,
    fields: Vec<Obj>,
    field: Wtf8Buf,
    field_len: i64,
    numeric: bool,
}

pub struct ReaderData {
    input: Obj,
    dialect: Obj,
    state: RefCell<Parser>,
    line_num: Cell<i64>,
}

fn reader_type(vm: &Vm) -> Obj {
    vm.native_type("_csv.reader", |vm| {
        let slots = Slots {
            iter: Some(|_, o| Ok(o.clone())),
            next: Some(reader_next),
            traverse: Some(|o, visit| {
                if let Some(r) = o.downcast::<ReaderData>() {
                    visit(&r.input);
                    visit(&r.dialect);
                    if let Ok(p) = r.state.try_borrow() {
                        p.fields.iter().for_each(visit);
                    }
                }
            }),
            ..object_slots()
        };
        let t = new_type::<ReaderData>(vm, "_csv.reader", &[], true, slots, &[], READER_GETSETS);
        set_doc(vm, &t, "CSV reader\n\nReader objects are responsible for reading and parsing tabular data\nin CSV format.\n");
        t
    })
}

fn reader_of<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a ReaderData> {
    o.downcast::<ReaderData>().ok_or_else(|| vm.type_error(format!("expected a _csv.reader, got '{}'", type_name(o))))
}

static READER_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("dialect", |vm, o| Ok(reader_of(vm, o)?.dialect.clone()), ""),
    GetSetDef::readonly("line_num", |vm, o| Ok(vm.int(reader_of(vm, o)?.line_num.get())), ""),
];

fn is_nl(c: Option<u32>) -> bool {
    c == Some('\n' as u32) || c == Some('\r' as u32)
}

impl Parser {
    fn reset(&mut self) {
        self.state = State::StartRecord;
        self.fields.clear();
        self.field = Wtf8Buf::new();
        self.field_len = 0;
        self.numeric = false;
    }

    fn save_field(&mut self, vm: &Vm) -> PyResult<()> {
        let text = std::mem::take(&mut self.field);
        self.field_len = 0;
        let mut s = new_str_wtf8(vm, text);
        if self.numeric {
            self.numeric = false;
            s = util::call(vm, &vm.types.float, &[s])?;
        }
        self.fields.push(s);
        Ok(())
    }

    fn add_char(&mut self, vm: &Vm, limit: i64, c: u32) -> PyResult<()> {
        if self.field_len >= limit {
            return Err(csv_error(vm, format!("field larger than field limit ({limit})")));
        }
        self.field.push_code_point(c);
        self.field_len += 1;
        Ok(())
    }

    /// One step of `parse_process_char`; `c` is `EOL` at the end of a line.
    fn process(&mut self, vm: &Vm, d: &DialectData, limit: i64, c: Option<u32>) -> PyResult<()> {
        let quote_on = d.quoting != QUOTE_NONE;
        let is = |x: Option<u32>| x.is_some() && c == x;
        loop {
            match self.state {
                State::StartRecord => {
                    if c == EOL {
                        return Ok(());
                    }
                    if is_nl(c) {
                        self.state = State::EatCrnl;
                        return Ok(());
                    }
                    self.state = State::StartField;
                    continue;
                }
                State::StartField => {
                    if is_nl(c) || c == EOL {
                        self.save_field(vm)?;
                        self.state = if c == EOL { State::StartRecord } else { State::EatCrnl };
                    } else if is(d.quotechar) && quote_on {
                        self.state = State::InQuotedField;
                    } else if is(d.escapechar) {
                        self.state = State::EscapedChar;
                    } else if c == Some(' ' as u32) && d.skipinitialspace {
                    } else if c == Some(d.delimiter) {
                        self.save_field(vm)?;
                    } else {
                        if d.quoting == QUOTE_NONNUMERIC {
                            self.numeric = true;
                        }
                        self.add_char(vm, limit, c.unwrap_or(0))?;
                        self.state = State::InField;
                    }
                }
                State::EscapedChar => {
                    if is_nl(c) {
                        self.add_char(vm, limit, c.unwrap_or(0))?;
                        self.state = State::AfterEscapedCrnl;
                        return Ok(());
                    }
                    self.add_char(vm, limit, c.unwrap_or('\n' as u32))?;
                    self.state = State::InField;
                }
                State::AfterEscapedCrnl | State::InField => {
                    if self.state == State::AfterEscapedCrnl && c == EOL {
                        return Ok(());
                    }
                    self.state = State::InField;
                    if is_nl(c) || c == EOL {
                        self.save_field(vm)?;
                        self.state = if c == EOL { State::StartRecord } else { State::EatCrnl };
                    } else if is(d.escapechar) {
                        self.state = State::EscapedChar;
                    } else if c == Some(d.delimiter) {
                        self.save_field(vm)?;
                        self.state = State::StartField;
                    } else {
                        self.add_char(vm, limit, c.unwrap_or(0))?;
                    }
                }
                State::InQuotedField => {
                    if c == EOL {
                    } else if is(d.escapechar) {
                        self.state = State::EscapeInQuotedField;
                    } else if is(d.quotechar) && quote_on {
                        self.state = if d.doublequote { State::QuoteInQuotedField } else { State::InField };
                    } else {
                        self.add_char(vm, limit, c.unwrap_or(0))?;
                    }
                }
                State::EscapeInQuotedField => {
                    self.add_char(vm, limit, c.unwrap_or('\n' as u32))?;
                    self.state = State::InQuotedField;
                }
                State::QuoteInQuotedField => {
                    if quote_on && is(d.quotechar) {
                        self.add_char(vm, limit, c.unwrap_or(0))?;
                        self.state = State::InQuotedField;
                    } else if c == Some(d.delimiter) {
                        self.save_field(vm)?;
                        self.state = State::StartField;
                    } else if is_nl(c) || c == EOL {
                        self.save_field(vm)?;
                        self.state = if c == EOL { State::StartRecord } else { State::EatCrnl };
                    } else if !d.strict {
                        self.add_char(vm, limit, c.unwrap_or(0))?;
                        self.state = State::InField;
                    } else {
                        let delim = char::from_u32(d.delimiter).unwrap_or('?');
                        let quote = d.quotechar.and_then(char::from_u32).unwrap_or('?');
                        return Err(csv_error(vm, format!("'{delim}' expected after '{quote}'")));
                    }
                }
                State::EatCrnl => {
                    if is_nl(c) {
                    } else if c == EOL {
                        self.state = State::StartRecord;
                    } else {
                        return Err(csv_error(
                            vm,
                            "new-line character seen in unquoted field - do you need to open the file in universal-newline mode?",
                        ));
                    }
                }
            }
            return Ok(());
        }
    }
}

fn reader_next(vm: &Vm, o: &Obj) -> PyResult<Option<Obj>> {
    let r = reader_of(vm, o)?;
    let d = dialect_of(vm, &r.dialect)?;
    let limit = field_limit(vm);
    r.state.borrow_mut().reset();
    loop {
        let Some(line) = ops::next(vm, &r.input)? else {
            let mut p = r.state.borrow_mut();
            if p.field_len != 0 || p.state == State::InQuotedField {
                if d.strict {
                    return Err(csv_error(vm, "unexpected end of data"));
                }
                p.save_field(vm)?;
                break;
            }
            return Ok(None);
        };
        let Some(s) = line.downcast::<StrData>() else {
            return Err(csv_error(
                vm,
                format!("iterator should return strings, not {} (the file should be opened in text mode)", type_name(&line)),
            ));
        };
        r.line_num.set(r.line_num.get() + 1);
        let mut p = r.state.borrow_mut();
        for c in s.value.code_points() {
            p.process(vm, d, limit, Some(c))?;
        }
        p.process(vm, d, limit, EOL)?;
        if p.state == State::StartRecord {
            break;
        }
    }
    let fields = std::mem::take(&mut r.state.borrow_mut().fields);
    Ok(Some(new_list(vm, fields)))
}

// Writer -------------------------------------------------------------------

pub struct WriterData {
    write: Obj,
    dialect: Obj,
}

fn writer_type(vm: &Vm) -> Obj {
    vm.native_type("_csv.writer", |vm| {
        let slots = Slots {
            traverse: Some(|o, visit| {
                if let Some(w) = o.downcast::<WriterData>() {
                    visit(&w.write);
                    visit(&w.dialect);
                }
            }),
            ..object_slots()
        };
        let t = new_type::<WriterData>(vm, "_csv.writer", &[], true, slots, WRITER_METHODS, WRITER_GETSETS);
        set_doc(vm, &t, "CSV writer\n\nWriter objects are responsible for generating tabular data\nin CSV format from sequence input.\n");
        t
    })
}

fn writer_of<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a WriterData> {
    o.downcast::<WriterData>().ok_or_else(|| vm.type_error(format!("expected a _csv.writer, got '{}'", type_name(o))))
}

static WRITER_GETSETS: &[GetSetDef] = &[GetSetDef::readonly("dialect", |vm, o| Ok(writer_of(vm, o)?.dialect.clone()), "")];

static WRITER_METHODS: &[MethodDef] = &[
    MethodDef::method("writerow", writerow, "writerow(iterable)\n\nConstruct and write a CSV record from an iterable of fields.  Non-string\nelements will be converted to string."),
    MethodDef::method("writerows", writerows, "writerows(iterable of iterables)\n\nConstruct and write a series of iterables to a csv file.  Non-string\nelements will be converted to string."),
];

/// `PyNumber_Check`.
fn is_number(vm: &Vm, o: &Obj) -> bool {
    let t = type_of(o);
    is_subtype(&t, &vm.types.int)
        || is_subtype(&t, &vm.types.float)
        || is_subtype(&t, &vm.types.complex)
        || ["__index__", "__int__", "__float__"].iter().any(|n| lookup(&t, n).is_some())
}

/// Appends one field (`None` for an empty one) to `rec`.
fn join_append(vm: &Vm, d: &DialectData, rec: &mut Wtf8Buf, num_fields: usize, field: Option<&StrData>, mut quoted: bool) -> PyResult<()> {
    let lt = str_data(&d.lineterminator);
    let mut body = Wtf8Buf::new();
    if let Some(f) = field {
        for c in f.value.code_points() {
            let special = c == d.delimiter || Some(c) == d.escapechar || Some(c) == d.quotechar || lt.value.code_points().any(|x| x == c);
            if special {
                let mut want_escape = false;
                if d.quoting == QUOTE_NONE {
                    want_escape = true;
                } else {
                    if Some(c) == d.quotechar {
                        if d.doublequote {
                            body.push_code_point(c);
                        } else {
                            want_escape = true;
                        }
                    } else if Some(c) == d.escapechar {
                        want_escape = true;
                    }
                    if !want_escape {
                        quoted = true;
                    }
                }
                if want_escape {
                    let Some(esc) = d.escapechar else {
                        return Err(csv_error(vm, "need to escape, but no escapechar set"));
                    };
                    body.push_code_point(esc);
                }
            }
            body.push_code_point(c);
        }
    }
    if num_fields > 0 {
        rec.push_code_point(d.delimiter);
    }
    let q = d.quotechar.unwrap_or('"' as u32);
    if quoted {
        rec.push_code_point(q);
    }
    rec.push_wtf8_bytes(body.as_bytes());
    if quoted {
        rec.push_code_point(q);
    }
    Ok(())
}

fn writerow(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [seq] = taipan_vm::native::exact::<1>(vm, "writer.writerow", args, kw)?;
    let w = writer_of(vm, this)?;
    let d = dialect_of(vm, &w.dialect)?;
    let it = match ops::iter(vm, &seq) {
        Ok(it) => it,
        Err(e) if util::is_error(&e, &vm.types.type_error) => {
            return Err(csv_error(vm, format!("iterable expected, not {}", type_name(&seq))))
        }
        Err(e) => return Err(e),
    };
    let mut rec = Wtf8Buf::new();
    let mut num_fields = 0usize;
    while let Some(field) = ops::next(vm, &it)? {
        let quoted = match d.quoting {
            QUOTE_NONNUMERIC => !is_number(vm, &field),
            QUOTE_ALL => true,
            _ => false,
        };
        if field.is(&vm.none) {
            join_append(vm, d, &mut rec, num_fields, None, quoted)?;
        } else if let Some(s) = field.downcast::<StrData>() {
            join_append(vm, d, &mut rec, num_fields, Some(s), quoted)?;
        } else {
            let s = ops::str(vm, &field)?;
            join_append(vm, d, &mut rec, num_fields, Some(str_data(&s)), quoted)?;
        }
        num_fields += 1;
    }
    if num_fields > 0 && rec.as_bytes().is_empty() {
        if d.quoting == QUOTE_NONE {
            return Err(csv_error(vm, "single empty field record must be quoted"));
        }
        join_append(vm, d, &mut rec, num_fields - 1, None, true)?;
    }
    rec.push_wtf8_bytes(str_data(&d.lineterminator).bytes());
    let line = new_str_wtf8(vm, rec);
    util::call(vm, &w.write, &[line])
}

fn writerows(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [rows] = taipan_vm::native::exact::<1>(vm, "writer.writerows", args, kw)?;
    let it = ops::iter(vm, &rows)?;
    while let Some(row) = ops::next(vm, &it)? {
        writerow(vm, this, &[row], &[])?;
    }
    Ok(vm.none.clone())
}

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "__doc__", new_str(vm, DOC))?;
    add_attr(vm, m, "__version__", new_str(vm, "1.0"))?;
    add_attr(vm, m, "QUOTE_MINIMAL", vm.int(QUOTE_MINIMAL))?;
    add_attr(vm, m, "QUOTE_ALL", vm.int(QUOTE_ALL))?;
    add_attr(vm, m, "QUOTE_NONNUMERIC", vm.int(QUOTE_NONNUMERIC))?;
    add_attr(vm, m, "QUOTE_NONE", vm.int(QUOTE_NONE))?;
    add_attr(vm, m, "Dialect", dialect_type(vm))?;
    add_attr(vm, m, "Reader", reader_type(vm))?;
    add_attr(vm, m, "Writer", writer_type(vm))?;
    add_attr(vm, m, "Error", error_class(vm)?)?;
    add_attr(vm, m, "_dialects", registry(vm))?;
    Ok(())
}
