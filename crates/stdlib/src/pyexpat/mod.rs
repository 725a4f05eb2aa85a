//! `pyexpat`: the XML parser behind `xml.parsers.expat`, `xml.etree`,
//! `xml.dom.minidom`, `xml.sax`, `plistlib` and `xmlrpc`, written in Rust
//! to behave as expat 2.5 does through CPython's `Modules/pyexpat.c`.
//!
//! `chars.rs` holds the character classes and input decoders, `scan.rs`
//! the tokenizer (pure functions over decoded characters), `parser.rs`
//! the document state machine (prolog, DTD subset, content, entities,
//! namespaces) that yields one event at a time; this file is the Python
//! side: `ParserCreate`, the `xmlparser` type with its handler
//! attributes, text buffering, `ExpatError`, and the `errors`/`model`
//! submodules.

pub(crate) mod chars;
pub(crate) mod parser;
mod scan;

use std::cell::{Cell, RefCell};

use taipan_vm::modules::{add_attr, add_functions, new_native_module};
use taipan_vm::native::{bind, FunctionDef, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::ops;
use taipan_vm::types::builtin::{
    as_buffer, dict_get, dict_set, new_bytes, new_dict, new_list, new_str, new_tuple, object_slots, type_name, DictData, StrData,
};
use taipan_vm::types::{Kwargs, Slots};
use taipan_vm::{PyErr, PyResult, Vm};

use crate::util;
use parser::{Event, Kind, Model, Parser, Pos, Step};

/// expat's messages, by error code (index 0 is unused).
static MESSAGES: &[&str] = &[
    "",
    "out of memory",
    "syntax error",
    "no element found",
    "not well-formed (invalid token)",
    "unclosed token",
    "partial character",
    "mismatched tag",
    "duplicate attribute",
    "junk after document element",
    "illegal parameter entity reference",
    "undefined entity",
    "recursive entity reference",
    "asynchronous entity",
    "reference to invalid character number",
    "reference to binary entity",
    "reference to external entity in attribute",
    "XML or text declaration not at start of entity",
    "unknown encoding",
    "encoding specified in XML declaration is incorrect",
    "unclosed CDATA section",
    "error in processing external entity reference",
    "document is not standalone",
    "unexpected parser state - please send a bug report",
    "entity declared in parameter entity",
    "requested feature requires XML_DTD support in Expat",
    "cannot change setting once parsing has begun",
    "unbound prefix",
    "must not undeclare prefix",
    "incomplete markup in parameter entity",
    "XML declaration not well-formed",
    "text declaration not well-formed",
    "illegal character(s) in public id",
    "parser suspended",
    "parser not suspended",
    "parsing aborted",
    "parsing finished",
    "cannot suspend in external parameter entity",
    "reserved prefix (xml) must not be undeclared or bound to another namespace name",
    "reserved prefix (xmlns) must not be declared or undeclared",
    "prefix must not be bound to one of the reserved namespace names",
    "invalid argument",
    "a successful prior call to function XML_GetBuffer is required",
    "limit on input amplification factor (from DTD and entities) breached",
];

/// The `pyexpat.errors` constant names, by code.
static ERROR_NAMES: &[&str] = &[
    "",
    "XML_ERROR_NO_MEMORY",
    "XML_ERROR_SYNTAX",
    "XML_ERROR_NO_ELEMENTS",
    "XML_ERROR_INVALID_TOKEN",
    "XML_ERROR_UNCLOSED_TOKEN",
    "XML_ERROR_PARTIAL_CHAR",
    "XML_ERROR_TAG_MISMATCH",
    "XML_ERROR_DUPLICATE_ATTRIBUTE",
    "XML_ERROR_JUNK_AFTER_DOC_ELEMENT",
    "XML_ERROR_PARAM_ENTITY_REF",
    "XML_ERROR_UNDEFINED_ENTITY",
    "XML_ERROR_RECURSIVE_ENTITY_REF",
    "XML_ERROR_ASYNC_ENTITY",
    "XML_ERROR_BAD_CHAR_REF",
    "XML_ERROR_BINARY_ENTITY_REF",
    "XML_ERROR_ATTRIBUTE_EXTERNAL_ENTITY_REF",
    "XML_ERROR_MISPLACED_XML_PI",
    "XML_ERROR_UNKNOWN_ENCODING",
    "XML_ERROR_INCORRECT_ENCODING",
    "XML_ERROR_UNCLOSED_CDATA_SECTION",
    "XML_ERROR_EXTERNAL_ENTITY_HANDLING",
    "XML_ERROR_NOT_STANDALONE",
    "XML_ERROR_UNEXPECTED_STATE",
    "XML_ERROR_ENTITY_DECLARED_IN_PE",
    "XML_ERROR_FEATURE_REQUIRES_XML_DTD",
    "XML_ERROR_CANT_CHANGE_FEATURE_ONCE_PARSING",
    "XML_ERROR_UNBOUND_PREFIX",
    "XML_ERROR_UNDECLARING_PREFIX",
    "XML_ERROR_INCOMPLETE_PE",
    "XML_ERROR_XML_DECL",
    "XML_ERROR_TEXT_DECL",
    "XML_ERROR_PUBLICID",
    "XML_ERROR_SUSPENDED",
    "XML_ERROR_NOT_SUSPENDED",
    "XML_ERROR_ABORTED",
    "XML_ERROR_FINISHED",
    "XML_ERROR_SUSPEND_PE",
    "XML_ERROR_RESERVED_PREFIX_XML",
    "XML_ERROR_RESERVED_PREFIX_XMLNS",
    "XML_ERROR_RESERVED_NAMESPACE_URI",
    "XML_ERROR_INVALID_ARGUMENT",
    "XML_ERROR_NO_BUFFER",
    "XML_ERROR_AMPLIFICATION_LIMIT_BREACH",
];

const H_START: usize = 0;
const H_END: usize = 1;
const H_PI: usize = 2;
const H_CHARS: usize = 3;
const H_UNPARSED: usize = 4;
const H_NOTATION: usize = 5;
const H_START_NS: usize = 6;
const H_END_NS: usize = 7;
const H_COMMENT: usize = 8;
const H_START_CDATA: usize = 9;
const H_END_CDATA: usize = 10;
const H_DEFAULT: usize = 11;
const H_DEFAULT_EXPAND: usize = 12;
const H_NOT_STANDALONE: usize = 13;
const H_EXTERNAL: usize = 14;
const H_START_DOCTYPE: usize = 15;
const H_END_DOCTYPE: usize = 16;
const H_ENTITY_DECL: usize = 17;
const H_XML_DECL: usize = 18;
const H_ELEMENT_DECL: usize = 19;
const H_ATTLIST_DECL: usize = 20;
const H_SKIPPED: usize = 21;

/// An `xmlparser` object.
pub struct XmlParserData {
    core: RefCell<Parser>,
    handlers: RefCell<Vec<Option<Obj>>>,
    intern: RefCell<Option<Obj>>,
    /// The encoding given to `ParserCreate` when it is not built in (a
    /// table is made from the Python codec at the first `Parse`).
    pending_encoding: RefCell<Option<String>>,
    buffer_text: Cell<bool>,
    buffer: RefCell<String>,
    buffer_size: Cell<usize>,
    ordered: Cell<bool>,
    specified: Cell<bool>,
    base: RefCell<Option<Obj>>,
    error: Cell<(u32, Pos)>,
    fed_any: Cell<bool>,
    /// The parser whose external entity this one reads (kept alive).
    parent: RefCell<Option<Obj>>,
}

fn data<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a XmlParserData> {
    o.downcast::<XmlParserData>().ok_or_else(|| vm.type_error("descriptor requires a 'pyexpat.xmlparser' object"))
}

fn parser_type(vm: &Vm) -> Obj {
    vm.native_type("pyexpat.xmlparser", |vm| {
        let slots = Slots {
            traverse: Some(|o, visit| {
                if let Some(d) = o.downcast::<XmlParserData>() {
                    if let Ok(h) = d.handlers.try_borrow() {
                        h.iter().flatten().for_each(&mut *visit);
                    }
                    for cell in [&d.intern, &d.base, &d.parent] {
                        if let Ok(x) = cell.try_borrow() {
                            if let Some(x) = x.as_ref() {
                                visit(x);
                            }
                        }
                    }
                }
            }),
            clear: Some(|o| {
                if let Some(d) = o.downcast::<XmlParserData>() {
                    if let Ok(mut h) = d.handlers.try_borrow_mut() {
                        h.clear();
                    }
                    for cell in [&d.intern, &d.base, &d.parent] {
                        if let Ok(mut x) = cell.try_borrow_mut() {
                            *x = None;
                        }
                    }
                }
            }),
            ..object_slots()
        };
        let ty = taipan_vm::native::new_type::<XmlParserData>(vm, "pyexpat.xmlparser", &[], true, slots, METHODS, GETSETS);
        taipan_vm::native::add_getsets(vm, &ty, &HANDLER_GETSETS);
        ty
    })
}

fn error_class(vm: &Vm) -> PyResult<Obj> {
    util::exception_class(vm, "xml.parsers.expat.ExpatError", &[])
}

pub(crate) fn message(code: u32) -> &'static str {
    MESSAGES.get(code as usize).copied().unwrap_or("")
}

/// `ExpatError("msg: line L, column C")` with `code`, `lineno`, `offset`.
fn expat_error(vm: &Vm, code: u32, pos: Pos) -> PyErr {
    let cls = match error_class(vm) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let msg = format!("{}: line {}, column {}", message(code), pos.line, pos.col);
    let exc = taipan_vm::types::builtin::new_exception(vm, &cls, vec![new_str(vm, &msg)]);
    for (k, v) in [("code", code as i64), ("lineno", pos.line as i64), ("offset", pos.col as i64)] {
        if let Err(e) = taipan_vm::classes::setattr(vm, &exc, &vm.intern(k), vm.int(v)) {
            return e;
        }
    }
    PyErr { exc }
}

fn opt_str(vm: &Vm, s: &Option<String>) -> Obj {
    match s {
        Some(s) => new_str(vm, s),
        None => vm.none.clone(),
    }
}

fn new_parser(kind: Kind) -> XmlParserData {
    XmlParserData {
        core: RefCell::new(Parser::new(kind)),
        handlers: RefCell::new(vec![None; HANDLERS.len()]),
        intern: RefCell::new(None),
        pending_encoding: RefCell::new(None),
        buffer_text: Cell::new(false),
        buffer: RefCell::new(String::new()),
        buffer_size: Cell::new(8192),
        ordered: Cell::new(false),
        specified: Cell::new(false),
        base: RefCell::new(None),
        error: Cell::new((0, Pos { line: 1, col: 0, byte: -1 })),
        fed_any: Cell::new(false),
        parent: RefCell::new(None),
    }
}

impl XmlParserData {
    fn handler(&self, i: usize) -> Option<Obj> {
        self.handlers.borrow().get(i).cloned().flatten()
    }

    fn core(&self, vm: &Vm) -> PyResult<std::cell::RefMut<'_, Parser>> {
        self.core.try_borrow_mut().map_err(|_| vm.new_error(&vm.types.runtime_error, "parser is already parsing"))
    }

    /// `name`, through the intern dict.
    fn intern(&self, vm: &Vm, s: &str) -> PyResult<Obj> {
        let o = new_str(vm, s);
        let d = self.intern.borrow().clone();
        let Some(d) = d else { return Ok(o) };
        if let Some(v) = dict_get(vm, &d, &o)? {
            return Ok(v);
        }
        dict_set(vm, &d, o.clone(), o.clone())?;
        Ok(o)
    }
}

/// Calls a handler (after flushing buffered text).
fn call_handler(vm: &Vm, this: &Obj, d: &XmlParserData, h: &Obj, args: &[Obj]) -> PyResult<Obj> {
    flush(vm, this, d)?;
    util::call(vm, h, args)
}

/// Delivers buffered character data.
fn flush(vm: &Vm, _this: &Obj, d: &XmlParserData) -> PyResult<()> {
    if d.buffer.borrow().is_empty() {
        return Ok(());
    }
    let text = std::mem::take(&mut *d.buffer.borrow_mut());
    if let Some(h) = d.handler(H_CHARS) {
        util::call(vm, &h, &[new_str(vm, &text)])?;
    }
    Ok(())
}

fn default_handler(d: &XmlParserData) -> Option<Obj> {
    d.handler(H_DEFAULT).or_else(|| d.handler(H_DEFAULT_EXPAND))
}

fn model_obj(vm: &Vm, m: &Model) -> Obj {
    let kids = m.children.iter().map(|c| model_obj(vm, c)).collect();
    new_tuple(vm, vec![vm.int(m.kind as i64), vm.int(m.quant as i64), opt_str(vm, &m.name), new_tuple(vm, kids)])
}

/// Calls the handler of one event.
fn dispatch(vm: &Vm, this: &Obj, d: &XmlParserData, ev: Event) -> PyResult<()> {
    let none = || vm.none.clone();
    let call = |i: usize, args: &[Obj]| -> PyResult<bool> {
        match d.handler(i) {
            Some(h) => {
                call_handler(vm, this, d, &h, args)?;
                Ok(true)
            }
            None => Ok(false),
        }
    };
    let default = |text: &str| -> PyResult<()> {
        if let Some(h) = default_handler(d) {
            call_handler(vm, this, d, &h, &[new_str(vm, text)])?;
        }
        Ok(())
    };
    match ev {
        Event::Text(t) if t.len() > 1024 && d.core(vm)?.converts() => {
            // expat hands over converted text in 1024-byte pieces.
            let mut rest = t.as_str();
            while !rest.is_empty() {
                let mut cut = rest.len().min(1024);
                while !rest.is_char_boundary(cut) {
                    cut -= 1;
                }
                dispatch(vm, this, d, Event::Text(rest[..cut].to_string()))?;
                rest = &rest[cut..];
            }
        }
        Event::Text(t) => {
            if let Some(h) = d.handler(H_CHARS) {
                if d.buffer_text.get() {
                    let size = d.buffer_size.get();
                    if d.buffer.borrow().len() + t.len() > size {
                        flush(vm, this, d)?;
                    }
                    if t.len() > size {
                        util::call(vm, &h, &[new_str(vm, &t)])?;
                    } else {
                        d.buffer.borrow_mut().push_str(&t);
                    }
                } else {
                    util::call(vm, &h, &[new_str(vm, &t)])?;
                }
            } else {
                default(&t)?;
            }
        }
        Event::Start { name, attrs, specified, raw } => {
            if let Some(h) = d.handler(H_START) {
                let n = if d.specified.get() { specified } else { attrs.len() };
                let name = d.intern(vm, &name)?;
                let a = if d.ordered.get() {
                    let mut items = Vec::with_capacity(n * 2);
                    for (k, v) in attrs.iter().take(n) {
                        items.push(d.intern(vm, k)?);
                        items.push(new_str(vm, v));
                    }
                    new_list(vm, items)
                } else {
                    let dict = new_dict(vm);
                    for (k, v) in attrs.iter().take(n) {
                        dict_set(vm, &dict, d.intern(vm, k)?, new_str(vm, v))?;
                    }
                    dict
                };
                call_handler(vm, this, d, &h, &[name, a])?;
            } else if let Some(raw) = raw {
                default(&raw)?;
            }
        }
        Event::End { name, raw } => {
            if let Some(h) = d.handler(H_END) {
                let name = d.intern(vm, &name)?;
                call_handler(vm, this, d, &h, &[name])?;
            } else if let Some(raw) = raw {
                if !raw.is_empty() {
                    default(&raw)?;
                }
            }
        }
        Event::StartNs { prefix, uri } => {
            call(H_START_NS, &[opt_str(vm, &prefix), opt_str(vm, &uri)])?;
        }
        Event::EndNs { prefix } => {
            call(H_END_NS, &[opt_str(vm, &prefix)])?;
        }
        Event::Pi { target, data } => {
            if !call(H_PI, &[new_str(vm, &target), new_str(vm, &data)])? {
                let sep = if data.is_empty() { "" } else { " " };
                default(&format!("<?{target}{sep}{data}?>"))?;
            }
        }
        Event::Comment(c) => {
            if !call(H_COMMENT, &[new_str(vm, &c)])? {
                default(&format!("<!--{c}-->"))?;
            }
        }
        Event::StartCdata => {
            if !call(H_START_CDATA, &[])? {
                default("<![CDATA[")?;
            }
        }
        Event::EndCdata => {
            if !call(H_END_CDATA, &[])? {
                default("]]>")?;
            }
        }
        Event::XmlDecl { version, encoding, standalone } => {
            call(H_XML_DECL, &[opt_str(vm, &version), opt_str(vm, &encoding), vm.int(standalone as i64)])?;
        }
        Event::StartDoctype { name, sysid, pubid, internal } => {
            call(H_START_DOCTYPE, &[new_str(vm, &name), opt_str(vm, &sysid), opt_str(vm, &pubid), vm.int(internal as i64)])?;
        }
        Event::EndDoctype => {
            call(H_END_DOCTYPE, &[])?;
        }
        Event::EntityDecl { name, param, value, sysid, pubid, notation } => {
            let base = d.base.borrow().clone().unwrap_or_else(none);
            let done = notation.is_some()
                && call(H_UNPARSED, &[new_str(vm, &name), base.clone(), opt_str(vm, &sysid), opt_str(vm, &pubid), opt_str(vm, &notation)])?;
            if !done {
                let args = [
                    new_str(vm, &name),
                    vm.int(param as i64),
                    opt_str(vm, &value),
                    base,
                    opt_str(vm, &sysid),
                    opt_str(vm, &pubid),
                    opt_str(vm, &notation),
                ];
                call(H_ENTITY_DECL, &args)?;
            }
        }
        Event::NotationDecl { name, sysid, pubid } => {
            let base = d.base.borrow().clone().unwrap_or_else(none);
            call(H_NOTATION, &[new_str(vm, &name), base, opt_str(vm, &sysid), opt_str(vm, &pubid)])?;
        }
        Event::ElementDecl { name, model } => {
            call(H_ELEMENT_DECL, &[new_str(vm, &name), model_obj(vm, &model)])?;
        }
        Event::AttlistDecl { elname, attname, atype, default: dv, required } => {
            call(
                H_ATTLIST_DECL,
                &[new_str(vm, &elname), new_str(vm, &attname), new_str(vm, &atype), opt_str(vm, &dv), vm.int(required as i64)],
            )?;
        }
        Event::Skipped { name, param } => {
            if !call(H_SKIPPED, &[new_str(vm, &name), vm.int(param as i64)])? {
                default(&format!("{}{name};", if param { '%' } else { '&' }))?;
            }
        }
        Event::NotStandalone => {
            if let Some(h) = d.handler(H_NOT_STANDALONE) {
                let r = call_handler(vm, this, d, &h, &[])?;
                let r = ops::index(vm, &r)?;
                if !ops::truth(vm, &r)? {
                    let pos = d.core(vm)?.event_pos;
                    return Err(fail(vm, d, 22, pos));
                }
            }
        }
        Event::ExternalRef { context, sysid, pubid } => match d.handler(H_EXTERNAL) {
            Some(h) => {
                let base = d.base.borrow().clone().unwrap_or_else(none);
                let r = call_handler(vm, this, d, &h, &[opt_str(vm, &context), base, opt_str(vm, &sysid), opt_str(vm, &pubid)])?;
                let r = ops::index(vm, &r)?;
                if !ops::truth(vm, &r)? {
                    let pos = d.core(vm)?.event_pos;
                    return Err(fail(vm, d, parser::EXTERNAL_ENTITY_HANDLING, pos));
                }
            }
            None => {
                if let Some(c) = context {
                    default(&format!("&{c};"))?;
                }
            }
        },
        Event::Default(text) => default(&text)?,
        Event::DeclRaw { keyword, raw } => {
            let handled = match keyword {
                "ENTITY" => d.handler(H_ENTITY_DECL).is_some() || d.handler(H_UNPARSED).is_some(),
                "ELEMENT" => d.handler(H_ELEMENT_DECL).is_some(),
                "ATTLIST" => d.handler(H_ATTLIST_DECL).is_some(),
                "NOTATION" => d.handler(H_NOTATION).is_some(),
                _ => false,
            };
            if !handled {
                default(&raw)?;
            }
        }
        Event::DoctypeRaw(text) => {
            if d.handler(H_START_DOCTYPE).is_none() {
                default(&text)?;
            }
        }
    }
    Ok(())
}

/// Records an error on the parser and makes its exception.
fn fail(vm: &Vm, d: &XmlParserData, code: u32, pos: Pos) -> PyErr {
    d.error.set((code, pos));
    if let Ok(mut c) = d.core.try_borrow_mut() {
        c.event_pos = pos;
        c.finished = true;
    }
    expat_error(vm, code, pos)
}

/// A table for a single-byte encoding from the Python codec `name`.
pub(crate) fn codec_table(vm: &Vm, name: &str) -> PyResult<Box<[char; 256]>> {
    let all = new_bytes(vm, (0..=255u8).collect());
    let s = util::call_method(vm, &all, "decode", &[new_str(vm, name), new_str(vm, "replace")])?;
    let text = match s.downcast::<StrData>() {
        Some(sd) => sd.as_str().into_owned(),
        None => return Err(vm.type_error("decoder did not return a str")),
    };
    let cs: Vec<char> = text.chars().collect();
    if cs.len() != 256 {
        return Err(vm.new_error(&vm.types.value_error, "multi-byte encodings are not supported"));
    }
    let mut t = Box::new([chars::BAD; 256]);
    for (i, c) in cs.into_iter().enumerate() {
        t[i] = if c == '\u{FFFD}' { chars::BAD } else { c };
    }
    Ok(t)
}

/// Feeds `bytes` and runs the parser until it needs more input.
fn parse_bytes(vm: &Vm, this: &Obj, d: &XmlParserData, bytes: &[u8], is_str: bool, fin: bool) -> PyResult<()> {
    {
        let mut c = d.core(vm)?;
        if c.finished {
            let pos = c.position();
            drop(c);
            return Err(fail(vm, d, parser::FINISHED, pos));
        }
        if !c.started() {
            if is_str {
                c.forced = Some(chars::Encoding::Utf8);
            } else if let Some(name) = d.pending_encoding.borrow_mut().take() {
                drop(c);
                let t = codec_table(vm, &name)?;
                c = d.core(vm)?;
                c.forced = Some(chars::Encoding::Table(t));
            }
        }
        if !bytes.is_empty() {
            d.fed_any.set(true);
        }
        c.feed(bytes);
    }
    loop {
        let step = d.core(vm)?.step(fin);
        match step {
            Ok(Step::Event(ev)) => {
                if let Err(e) = dispatch(vm, this, d, ev) {
                    if let Ok(mut c) = d.core.try_borrow_mut() {
                        c.finished = true;
                    }
                    return Err(e);
                }
            }
            Ok(Step::NeedMore) | Ok(Step::Done) => break,
            Ok(Step::UnknownEncoding(name)) => {
                let t = codec_table(vm, &name)?;
                if !chars::ascii_compatible(&t) {
                    let e = d.core(vm)?.unknown_encoding_error(&name);
                    return Err(fail(vm, d, e.code, e.pos));
                }
                d.core(vm)?.set_table(t);
            }
            Err(e) => {
                flush(vm, this, d)?;
                let mut pos = e.pos;
                if !d.fed_any.get() {
                    pos.byte = -1;
                }
                return Err(fail(vm, d, e.code, pos));
            }
        }
    }
    flush(vm, this, d)?;
    let mut c = d.core(vm)?;
    c.compact();
    c.event_pos = c.position();
    if fin {
        c.finished = true;
    }
    Ok(())
}

fn xp_parse(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if let Some((k, _)) = kw.first() {
        let name = k.downcast::<StrData>().map(|s| s.as_str().into_owned()).unwrap_or_default();
        return Err(vm.type_error(format!("'{name}' is an invalid keyword argument for Parse()")));
    }
    if args.is_empty() {
        return Err(vm.type_error("Parse() takes at least 1 positional argument (0 given)"));
    }
    if args.len() > 2 {
        return Err(vm.type_error(format!("Parse() takes at most 2 arguments ({} given)", args.len())));
    }
    let d = data(vm, this)?;
    let fin = match args.get(1) {
        Some(f) => {
            if f.downcast::<f64>().is_some() {
                return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
            }
            ops::truth(vm, &ops::index(vm, f)?)?
        }
        None => false,
    };
    let (bytes, is_str) = if let Some(s) = args[0].downcast::<StrData>() {
        (s.as_str().as_bytes().to_vec(), true)
    } else {
        match as_buffer(&args[0]) {
            Some(b) => (b.into_owned(), false),
            None => return Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(&args[0])))),
        }
    };
    parse_bytes(vm, this, d, &bytes, is_str, fin)?;
    Ok(vm.int(1))
}

fn xp_parse_file(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [file] = taipan_vm::native::exact::<1>(vm, "ParseFile", args, kw)?;
    let d = data(vm, this)?;
    let Some(read) = util::getattr_opt(vm, &file, "read")? else {
        return Err(vm.type_error("argument must have 'read' attribute"));
    };
    loop {
        let chunk = util::call(vm, &read, &[vm.int(2048)])?;
        let (bytes, is_str) = if let Some(b) = taipan_vm::types::builtin::bytes_data(&chunk) {
            (b.to_vec(), false)
        } else {
            return Err(vm.type_error(format!("read() did not return a bytes object (type={})", type_name(&chunk))));
        };
        let done = bytes.is_empty();
        parse_bytes(vm, this, d, &bytes, is_str, done)?;
        if done {
            return Ok(vm.int(1));
        }
    }
}

fn xp_set_base(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [base] = taipan_vm::native::exact::<1>(vm, "SetBase", args, kw)?;
    if base.downcast::<StrData>().is_none() {
        return Err(vm.type_error(format!("SetBase() argument must be str, not {}", type_name(&base))));
    }
    *data(vm, this)?.base.borrow_mut() = Some(base);
    Ok(vm.none.clone())
}

fn xp_get_base(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "GetBase", args, kw)?;
    Ok(data(vm, this)?.base.borrow().clone().unwrap_or_else(|| vm.none.clone()))
}

fn xp_get_input_context(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "GetInputContext", args, kw)?;
    data(vm, this)?;
    Ok(vm.none.clone())
}

fn xp_set_param_entity_parsing(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [flag] = taipan_vm::native::exact::<1>(vm, "SetParamEntityParsing", args, kw)?;
    let d = data(vm, this)?;
    let v = util::to_isize(vm, &flag)?;
    let ok = (0..=2).contains(&v);
    if ok {
        d.core(vm)?.param_entity_parsing = v as u8;
    }
    Ok(vm.int(ok as i64))
}

fn xp_use_foreign_dtd(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [flag] = taipan_vm::native::at_most::<1>(vm, "UseForeignDTD", 0, args, kw)?;
    let d = data(vm, this)?;
    let on = match flag {
        Some(f) => ops::truth(vm, &f)?,
        None => true,
    };
    if d.core(vm)?.started() {
        let pos = d.core(vm)?.position();
        return Err(expat_error(vm, 26, pos));
    }
    d.core(vm)?.foreign_dtd = on;
    Ok(vm.none.clone())
}

fn xp_external_entity_parser_create(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [context, encoding] = taipan_vm::native::at_most::<2>(vm, "ExternalEntityParserCreate", 1, args, kw)?;
    let d = data(vm, this)?;
    let context = context.filter(|c| !c.is(&vm.none));
    if let Some(c) = &context {
        if c.downcast::<StrData>().is_none() {
            return Err(vm.type_error(format!("ExternalEntityParserCreate() argument 1 must be str or None, not {}", type_name(c))));
        }
    }
    let kind = if context.is_some() { Kind::Entity } else { Kind::Dtd };
    let child = new_parser(kind);
    d.core(vm)?.share_dtd(&mut child.core.borrow_mut());
    {
        let mut cc = child.core.borrow_mut();
        let pc = d.core(vm)?;
        cc.expand = pc.expand;
        cc.want_default = pc.want_default;
    }
    if let Some(e) = encoding.filter(|e| !e.is(&vm.none)) {
        let Some(s) = e.downcast::<StrData>() else {
            return Err(vm.type_error(format!("ExternalEntityParserCreate() argument 2 must be str, not {}", type_name(&e))));
        };
        set_encoding(&child, &s.as_str());
    }
    *child.handlers.borrow_mut() = d.handlers.borrow().clone();
    *child.intern.borrow_mut() = d.intern.borrow().clone();
    *child.base.borrow_mut() = d.base.borrow().clone();
    child.buffer_text.set(d.buffer_text.get());
    child.buffer_size.set(d.buffer_size.get());
    child.ordered.set(d.ordered.get());
    child.specified.set(d.specified.get());
    *child.parent.borrow_mut() = Some(this.clone());
    Ok(alloc(parser_type(vm), child))
}

fn set_encoding(d: &XmlParserData, name: &str) {
    match chars::builtin_encoding(name) {
        Some(e) => d.core.borrow_mut().forced = Some(e),
        None => *d.pending_encoding.borrow_mut() = Some(name.to_string()),
    }
}

static METHODS: &[MethodDef] = &[
    MethodDef::method("Parse", xp_parse, "Parse XML data."),
    MethodDef::method("ParseFile", xp_parse_file, "Parse XML data from file-like object."),
    MethodDef::method("SetBase", xp_set_base, "Set the base URL for the parser."),
    MethodDef::method("GetBase", xp_get_base, "Return base URL string for the parser."),
    MethodDef::method("GetInputContext", xp_get_input_context, "Return the untranslated text of the input that caused the current event."),
    MethodDef::method(
        "ExternalEntityParserCreate",
        xp_external_entity_parser_create,
        "Create a parser for parsing an external entity based on the information passed to the ExternalEntityRefHandler.",
    ),
    MethodDef::method(
        "SetParamEntityParsing",
        xp_set_param_entity_parsing,
        "Controls parsing of parameter entities (including the external DTD subset).",
    ),
    MethodDef::method(
        "UseForeignDTD",
        xp_use_foreign_dtd,
        "Allows the application to provide an artificial external subset if one is not specified as part of the document instance.",
    ),
];

fn get_handler(vm: &Vm, o: &Obj, i: usize) -> PyResult<Obj> {
    Ok(data(vm, o)?.handler(i).unwrap_or_else(|| vm.none.clone()))
}

fn set_handler(vm: &Vm, o: &Obj, i: usize, v: Option<Obj>) -> PyResult<()> {
    let d = data(vm, o)?;
    let v = v.filter(|v| !v.is(&vm.none));
    if i == H_CHARS {
        flush(vm, o, d)?;
    }
    if let Ok(mut c) = d.core.try_borrow_mut() {
        if i == H_DEFAULT {
            c.expand = v.is_none();
        } else if i == H_DEFAULT_EXPAND && v.is_some() {
            c.expand = true;
        }
    }
    if let Some(slot) = d.handlers.borrow_mut().get_mut(i) {
        *slot = v;
    }
    let want = default_handler(d).is_some();
    if let Ok(mut c) = d.core.try_borrow_mut() {
        c.want_default = want;
    }
    Ok(())
}

macro_rules! handler_getsets {
    ($($i:literal),*) => {
        [$(GetSetDef::new(HANDLERS[$i], |vm, o| get_handler(vm, o, $i), |vm, o, v| set_handler(vm, o, $i, v), "")),*]
    };
}

/// The handler attributes, in pyexpat's order; their index is the slot.
const HANDLERS: [&str; 22] = [
    "StartElementHandler",
    "EndElementHandler",
    "ProcessingInstructionHandler",
    "CharacterDataHandler",
    "UnparsedEntityDeclHandler",
    "NotationDeclHandler",
    "StartNamespaceDeclHandler",
    "EndNamespaceDeclHandler",
    "CommentHandler",
    "StartCdataSectionHandler",
    "EndCdataSectionHandler",
    "DefaultHandler",
    "DefaultHandlerExpand",
    "NotStandaloneHandler",
    "ExternalEntityRefHandler",
    "StartDoctypeDeclHandler",
    "EndDoctypeDeclHandler",
    "EntityDeclHandler",
    "XmlDeclHandler",
    "ElementDeclHandler",
    "AttlistDeclHandler",
    "SkippedEntityHandler",
];

static HANDLER_GETSETS: [GetSetDef; 22] = handler_getsets!(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21);

fn bool_attr(vm: &Vm, v: Option<Obj>) -> PyResult<bool> {
    match v {
        Some(v) => ops::truth(vm, &v),
        None => Err(vm.new_error(&vm.types.attribute_error, "cannot delete attribute")),
    }
}

fn pos_getter(vm: &Vm, o: &Obj, f: fn(&XmlParserData, Pos) -> i64) -> PyResult<Obj> {
    let d = data(vm, o)?;
    let mut p = match d.core.try_borrow() {
        Ok(c) => c.event_pos,
        Err(_) => Pos { line: 1, col: 0, byte: 0 },
    };
    if !d.fed_any.get() {
        p.byte = -1;
    }
    Ok(vm.int(f(d, p)))
}

static GETSETS: &[GetSetDef] = &[
    GetSetDef::new(
        "buffer_text",
        |vm, o| Ok(vm.bool(data(vm, o)?.buffer_text.get())),
        |vm, o, v| {
            let d = data(vm, o)?;
            let on = bool_attr(vm, v)?;
            if !on {
                flush(vm, o, d)?;
            }
            d.buffer_text.set(on);
            Ok(())
        },
        "",
    ),
    GetSetDef::new(
        "buffer_size",
        |vm, o| Ok(vm.int(data(vm, o)?.buffer_size.get() as i64)),
        |vm, o, v| {
            let d = data(vm, o)?;
            let Some(v) = v else { return Err(vm.new_error(&vm.types.attribute_error, "cannot delete attribute")) };
            if taipan_vm::types::builtin::int_data(&v).is_none() {
                return Err(vm.type_error("buffer_size must be an integer"));
            }
            let n = util::to_isize(vm, &v)?;
            if n <= 0 {
                return Err(vm.new_error(&vm.types.value_error, "buffer_size must be greater than zero"));
            }
            if n > i32::MAX as isize {
                return Err(vm.new_error(&vm.types.value_error, format!("buffer_size must not be greater than {}", i32::MAX)));
            }
            flush(vm, o, d)?;
            d.buffer_size.set(n as usize);
            Ok(())
        },
        "",
    ),
    GetSetDef::readonly("buffer_used", |vm, o| Ok(vm.int(data(vm, o)?.buffer.borrow().len() as i64)), ""),
    GetSetDef::new(
        "ordered_attributes",
        |vm, o| Ok(vm.bool(data(vm, o)?.ordered.get())),
        |vm, o, v| {
            let on = bool_attr(vm, v)?;
            data(vm, o)?.ordered.set(on);
            Ok(())
        },
        "",
    ),
    GetSetDef::new(
        "specified_attributes",
        |vm, o| Ok(vm.bool(data(vm, o)?.specified.get())),
        |vm, o, v| {
            let on = bool_attr(vm, v)?;
            data(vm, o)?.specified.set(on);
            Ok(())
        },
        "",
    ),
    GetSetDef::new(
        "namespace_prefixes",
        |vm, o| Ok(vm.bool(data(vm, o)?.core(vm)?.ns_triplets)),
        |vm, o, v| {
            let on = bool_attr(vm, v)?;
            data(vm, o)?.core(vm)?.ns_triplets = on;
            Ok(())
        },
        "",
    ),
    GetSetDef::readonly("intern", |vm, o| Ok(data(vm, o)?.intern.borrow().clone().unwrap_or_else(|| vm.none.clone())), ""),
    GetSetDef::readonly("CurrentLineNumber", |vm, o| pos_getter(vm, o, |_, p| p.line as i64), ""),
    GetSetDef::readonly("CurrentColumnNumber", |vm, o| pos_getter(vm, o, |_, p| p.col as i64), ""),
    GetSetDef::readonly("CurrentByteIndex", |vm, o| pos_getter(vm, o, |_, p| p.byte), ""),
    GetSetDef::readonly("ErrorCode", |vm, o| Ok(vm.int(data(vm, o)?.error.get().0 as i64)), ""),
    GetSetDef::readonly("ErrorLineNumber", |vm, o| pos_getter(vm, o, |_, p| p.line as i64), ""),
    GetSetDef::readonly("ErrorColumnNumber", |vm, o| pos_getter(vm, o, |_, p| p.col as i64), ""),
    GetSetDef::readonly("ErrorByteIndex", |vm, o| pos_getter(vm, o, |_, p| p.byte), ""),
];

const CREATE_NAMES: &[&str] = &["encoding", "namespace_separator", "intern"];

fn parser_create(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = Params { fname: "ParserCreate", names: CREATE_NAMES, posonly: 0, kwonly: 0, required: 0 };
    let [encoding, sep, intern] = bind::<3>(vm, &p, args, kw)?;
    let str_or_none = |o: &Option<Obj>, argn: &str| -> PyResult<Option<String>> {
        match o {
            None => Ok(None),
            Some(o) if o.is(&vm.none) => Ok(None),
            Some(o) => match o.downcast::<StrData>() {
                Some(s) => Ok(Some(s.as_str().into_owned())),
                None => Err(vm.type_error(format!("ParserCreate() argument '{argn}' must be str or None, not {}", type_name(o)))),
            },
        }
    };
    let encoding = str_or_none(&encoding, "encoding")?;
    let sep = str_or_none(&sep, "namespace_separator")?;
    let d = new_parser(Kind::Document);
    if let Some(s) = &sep {
        let mut it = s.chars();
        let first = it.next();
        if it.next().is_some() {
            return Err(vm.new_error(&vm.types.value_error, "namespace_separator must be at most one character, omitted, or None"));
        }
        d.core.borrow_mut().ns = Some(first);
    }
    if let Some(e) = &encoding {
        set_encoding(&d, e);
    }
    let intern = match intern {
        None => Some(new_dict(vm)),
        Some(i) if i.is(&vm.none) => None,
        Some(i) if i.downcast::<DictData>().is_some() => Some(i),
        Some(_) => return Err(vm.type_error("intern must be a dictionary")),
    };
    *d.intern.borrow_mut() = intern;
    Ok(alloc(parser_type(vm), d))
}

fn error_string(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [code] = taipan_vm::native::exact::<1>(vm, "ErrorString", args, kw)?;
    let c = util::to_isize(vm, &code)?;
    Ok(match usize::try_from(c).ok().and_then(|c| MESSAGES.get(c)) {
        Some(m) if c > 0 => new_str(vm, m),
        _ => vm.none.clone(),
    })
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("ParserCreate", parser_create, "Return a new XML parser object."),
    FunctionDef::new("ErrorString", error_string, "Returns string error for given number."),
];

fn add_submodule(vm: &Vm, m: &Obj, short: &str, full: &str, doc: &str, fill: &dyn Fn(&Obj) -> PyResult<()>) -> PyResult<()> {
    let sub = new_native_module(vm, full);
    add_attr(vm, &sub, "__doc__", new_str(vm, doc))?;
    fill(&sub)?;
    dict_set(vm, &vm.modules, new_str(vm, full), sub.clone())?;
    add_attr(vm, m, short, sub)
}

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "__doc__", new_str(vm, "Python wrapper for Expat parser."))?;
    let err = error_class(vm)?;
    add_attr(vm, m, "error", err.clone())?;
    add_attr(vm, m, "ExpatError", err)?;
    add_attr(vm, m, "XMLParserType", parser_type(vm))?;
    add_attr(vm, m, "EXPAT_VERSION", new_str(vm, "expat_2.5.0"))?;
    add_attr(vm, m, "version_info", new_tuple(vm, vec![vm.int(2), vm.int(5), vm.int(0)]))?;
    add_attr(vm, m, "native_encoding", new_str(vm, "UTF-8"))?;
    let features = [
        ("sizeof(XML_Char)", 1),
        ("sizeof(XML_LChar)", 1),
        ("XML_DTD", 0),
        ("XML_CONTEXT_BYTES", 1024),
        ("XML_NS", 0),
        ("XML_BLAP_MAX_AMP", 100),
        ("XML_BLAP_ACT_THRES", 8388608),
    ];
    let features = features.iter().map(|(n, v)| new_tuple(vm, vec![new_str(vm, n), vm.int(*v)])).collect();
    add_attr(vm, m, "features", new_list(vm, features))?;
    for (n, v) in
        [("XML_PARAM_ENTITY_PARSING_NEVER", 0), ("XML_PARAM_ENTITY_PARSING_UNLESS_STANDALONE", 1), ("XML_PARAM_ENTITY_PARSING_ALWAYS", 2)]
    {
        add_attr(vm, m, n, vm.int(v))?;
    }
    add_submodule(vm, m, "errors", "pyexpat.errors", "Constants used to describe error conditions.", &|sub| {
        let codes = new_dict(vm);
        let messages = new_dict(vm);
        for (code, (name, msg)) in ERROR_NAMES.iter().zip(MESSAGES).enumerate().skip(1) {
            add_attr(vm, sub, name, new_str(vm, msg))?;
            dict_set(vm, &codes, new_str(vm, msg), vm.int(code as i64))?;
            dict_set(vm, &messages, vm.int(code as i64), new_str(vm, msg))?;
        }
        add_attr(vm, sub, "codes", codes)?;
        add_attr(vm, sub, "messages", messages)
    })?;
    add_submodule(vm, m, "model", "pyexpat.model", "Constants used to interpret content model information.", &|sub| {
        let consts = [
            ("XML_CTYPE_EMPTY", 1),
            ("XML_CTYPE_ANY", 2),
            ("XML_CTYPE_MIXED", 3),
            ("XML_CTYPE_NAME", 4),
            ("XML_CTYPE_CHOICE", 5),
            ("XML_CTYPE_SEQ", 6),
            ("XML_CQUANT_NONE", 0),
            ("XML_CQUANT_OPT", 1),
            ("XML_CQUANT_REP", 2),
            ("XML_CQUANT_PLUS", 3),
        ];
        for (n, v) in consts {
            add_attr(vm, sub, n, vm.int(v))?;
        }
        Ok(())
    })?;
    Ok(())
}
