//! `XMLParser`: drives the `pyexpat` parser core directly (no Python
//! handler objects in between) and hands its events to the target, with
//! a shortcut when the target is exactly a `TreeBuilder`.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use taipan_vm::native::{exact, GetSetDef, MethodDef};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{as_buffer, bytes_data, dict_get, dict_set, new_dict, new_str, object_slots, type_name, StrData};
use taipan_vm::types::{type_of, Kwargs, Slots};
use taipan_vm::{PyResult, Vm};

use super::builder::{exact_builder, new_builder, Events, TreeBuilderData};
use super::{parse_error_at, ParseErrorInfo};
use crate::pyexpat::chars::{self, Encoding};
use crate::pyexpat::parser::{Event, Kind, Parser, Step, FINISHED, UNDEFINED_ENTITY};
use crate::util;

#[derive(Default)]
struct Handlers {
    start_ns: Option<Obj>,
    end_ns: Option<Obj>,
    start: Option<Obj>,
    data: Option<Obj>,
    end: Option<Obj>,
    comment: Option<Obj>,
    pi: Option<Obj>,
    close: Option<Obj>,
    doctype: Option<Obj>,
}

impl Handlers {
    fn objs(&self) -> [&Option<Obj>; 9] {
        [&self.start_ns, &self.end_ns, &self.start, &self.data, &self.end, &self.comment, &self.pi, &self.close, &self.doctype]
    }
}

pub struct XmlParserData {
    core: RefCell<Parser>,
    /// An encoding given to the constructor that needs a codec table
    /// (made at the first feed).
    pending_encoding: RefCell<Option<String>>,
    target: RefCell<Option<Obj>>,
    entity: RefCell<Option<Obj>>,
    /// Raw names (`uri}local`) to their universal form (`{uri}local`).
    names: RefCell<HashMap<String, Obj>>,
    h: RefCell<Handlers>,
    ns_on: Cell<bool>,
    comment_on: Cell<bool>,
    pi_on: Cell<bool>,
}

impl XmlParserData {
    fn each(&self, visit: &mut dyn FnMut(&Obj)) {
        for cell in [&self.target, &self.entity] {
            if let Ok(x) = cell.try_borrow() {
                if let Some(x) = x.as_ref() {
                    visit(x);
                }
            }
        }
        if let Ok(h) = self.h.try_borrow() {
            h.objs().into_iter().flatten().for_each(&mut *visit);
        }
        if let Ok(n) = self.names.try_borrow() {
            n.values().for_each(&mut *visit);
        }
    }
}

pub const TYPE_NAME: &str = "xml.etree.ElementTree.XMLParser";

fn blank() -> XmlParserData {
    let mut core = Parser::new(Kind::Document);
    core.ns = Some(Some('}'));
    XmlParserData {
        core: RefCell::new(core),
        pending_encoding: RefCell::new(None),
        target: RefCell::new(None),
        entity: RefCell::new(None),
        names: RefCell::new(HashMap::new()),
        h: RefCell::new(Handlers::default()),
        ns_on: Cell::new(false),
        comment_on: Cell::new(false),
        pi_on: Cell::new(false),
    }
}

pub fn parser_type(vm: &Vm) -> Obj {
    vm.native_type(TYPE_NAME, |vm| {
        let slots = Slots {
            new: Some(|_vm, cls, _args, _kw| Ok(alloc(cls.clone(), blank()))),
            init: Some(xp_init),
            traverse: Some(|o, visit| {
                if let Some(p) = o.downcast::<XmlParserData>() {
                    p.each(visit);
                }
            }),
            clear: Some(|o| {
                if let Some(p) = o.downcast::<XmlParserData>() {
                    let mut keep = Vec::new();
                    for cell in [&p.target, &p.entity] {
                        if let Ok(mut x) = cell.try_borrow_mut() {
                            keep.extend(x.take());
                        }
                    }
                    if let Ok(mut h) = p.h.try_borrow_mut() {
                        let old = std::mem::take(&mut *h);
                        keep.extend(old.objs().into_iter().flatten().cloned());
                    }
                    if let Ok(mut n) = p.names.try_borrow_mut() {
                        keep.extend(n.drain().map(|(_, v)| v));
                    }
                    drop(keep);
                }
            }),
            ..object_slots()
        };
        taipan_vm::native::new_type::<XmlParserData>(vm, TYPE_NAME, &[], true, slots, METHODS, GETSETS)
    })
}

fn data<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a XmlParserData> {
    o.downcast::<XmlParserData>()
        .ok_or_else(|| vm.type_error(format!("descriptor requires a '{TYPE_NAME}' object but received '{}'", type_name(o))))
}

/// The parser, checked to have been initialised.
fn checked<'a>(vm: &Vm, o: &'a Obj) -> PyResult<(&'a XmlParserData, Obj)> {
    let d = data(vm, o)?;
    match d.target.borrow().clone() {
        Some(t) => Ok((d, t)),
        None => Err(vm.new_error(&vm.types.value_error, "XMLParser.__init__() wasn't called")),
    }
}

fn xp_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if !args.is_empty() {
        return Err(vm.type_error("XMLParser() takes no positional arguments"));
    }
    let mut target = None;
    let mut encoding = None;
    for (k, v) in kw {
        let name = k.downcast::<StrData>().map(|s| s.as_str().into_owned()).unwrap_or_default();
        match name.as_str() {
            "target" => target = Some(v.clone()),
            "encoding" => encoding = Some(v.clone()),
            _ => return Err(vm.type_error(format!("'{name}' is an invalid keyword argument for XMLParser()"))),
        }
    }
    let encoding = match encoding.filter(|e| !e.is(&vm.none)) {
        None => None,
        Some(e) => match e.downcast::<StrData>() {
            Some(s) => Some(s.as_str().into_owned()),
            None => return Err(vm.type_error(format!("XMLParser() argument 'encoding' must be str or None, not {}", type_name(&e)))),
        },
    };
    let d = data(vm, this)?;
    drop(d.entity.replace(Some(new_dict(vm))));
    d.names.borrow_mut().clear();
    {
        let mut core = blank().core.into_inner();
        if let Some(e) = &encoding {
            match chars::builtin_encoding(e) {
                Some(enc) => core.forced = Some(enc),
                None => drop(d.pending_encoding.replace(Some(e.clone()))),
            }
        }
        drop(d.core.replace(core));
    }
    let target = match target.filter(|t| !t.is(&vm.none)) {
        Some(t) => t,
        None => new_builder(vm),
    };
    let get = |name: &str| util::getattr_opt(vm, &target, name);
    let h = Handlers {
        start_ns: get("start_ns")?,
        end_ns: get("end_ns")?,
        start: get("start")?,
        data: get("data")?,
        end: get("end")?,
        comment: get("comment")?,
        pi: get("pi")?,
        close: get("close")?,
        doctype: get("doctype")?,
    };
    d.ns_on.set(h.start_ns.is_some() || h.end_ns.is_some());
    d.comment_on.set(h.comment.is_some());
    d.pi_on.set(h.pi.is_some());
    drop(d.h.replace(h));
    drop(d.target.replace(Some(target)));
    Ok(vm.none.clone())
}

/// `name` (from the parser, `uri}local` for namespaced names) as
/// `{uri}local`, cached.
fn universal(vm: &Vm, d: &XmlParserData, name: &str) -> Obj {
    if let Some(o) = d.names.borrow().get(name) {
        return o.clone();
    }
    let o = if name.contains('}') { new_str(vm, &format!("{{{name}")) } else { new_str(vm, name) };
    d.names.borrow_mut().insert(name.to_string(), o.clone());
    o
}

fn opt_universal(vm: &Vm, d: &XmlParserData, s: &Option<String>) -> Obj {
    match s {
        Some(s) => universal(vm, d, s),
        None => vm.none.clone(),
    }
}

fn handler(d: &XmlParserData, f: fn(&Handlers) -> &Option<Obj>) -> Option<Obj> {
    f(&d.h.borrow()).clone()
}

/// An entity reference expat could not expand (expat's default handler
/// sees `&name;`): the value from `parser.entity`, or an error.
fn entity_ref(vm: &Vm, this: &Obj, d: &XmlParserData, tb: Option<&TreeBuilderData>, name: &str) -> PyResult<()> {
    let key = new_str(vm, name);
    let ent = d.entity.borrow().clone();
    let value = match ent {
        Some(e) => dict_get(vm, &e, &key)?,
        None => None,
    };
    match value {
        Some(v) => {
            if let Some(tb) = tb {
                tb.handle_data(v);
            } else if let Some(h) = handler(d, |h| &h.data) {
                util::call(vm, &h, &[v])?;
            }
            let _ = this;
            Ok(())
        }
        None => {
            let pos = d.core.borrow().event_pos;
            let raw: String = format!("&{name};").chars().take(100).collect();
            Err(parse_error_at(
                vm,
                ParseErrorInfo { code: UNDEFINED_ENTITY, line: pos.line, col: pos.col, message: Some(format!("undefined entity {raw}")) },
            ))
        }
    }
}

fn dispatch(vm: &Vm, this: &Obj, d: &XmlParserData, target: &Obj, ev: Event) -> PyResult<()> {
    let tb = exact_builder(vm, target);
    match ev {
        Event::Text(t) => {
            let s = new_str(vm, &t);
            if let Some(tb) = tb {
                tb.handle_data(s);
            } else if let Some(h) = handler(d, |h| &h.data) {
                util::call(vm, &h, &[s])?;
            }
        }
        Event::Start { name, attrs, .. } => {
            let tag = universal(vm, d, &name);
            let attrib = if attrs.is_empty() {
                None
            } else {
                let a = new_dict(vm);
                for (k, v) in &attrs {
                    dict_set(vm, &a, universal(vm, d, k), new_str(vm, v))?;
                }
                Some(a)
            };
            if let Some(tb) = tb {
                tb.handle_start(vm, tag, attrib)?;
            } else if let Some(h) = handler(d, |h| &h.start) {
                let a = attrib.unwrap_or_else(|| new_dict(vm));
                util::call(vm, &h, &[tag, a])?;
            }
        }
        Event::End { name, .. } => {
            if let Some(tb) = tb {
                tb.handle_end(vm)?;
            } else if let Some(h) = handler(d, |h| &h.end) {
                let tag = universal(vm, d, &name);
                util::call(vm, &h, &[tag])?;
            }
        }
        Event::StartNs { prefix, uri } if d.ns_on.get() => {
            let s = |x: Option<String>| new_str(vm, x.as_deref().unwrap_or(""));
            if let Some(tb) = tb {
                if tb.wants(|e: &Events| &e.start_ns) {
                    tb.handle_start_ns(vm, s(prefix), s(uri))?;
                }
            } else if let Some(h) = handler(d, |h| &h.start_ns) {
                util::call(vm, &h, &[s(prefix), s(uri)])?;
            }
        }
        Event::EndNs { prefix } if d.ns_on.get() => {
            if let Some(tb) = tb {
                if tb.wants(|e: &Events| &e.end_ns) {
                    tb.handle_end_ns(vm, vm.none.clone())?;
                }
            } else if let Some(h) = handler(d, |h| &h.end_ns) {
                util::call(vm, &h, &[new_str(vm, prefix.as_deref().unwrap_or(""))])?;
            }
        }
        Event::Comment(c) if d.comment_on.get() => {
            if let Some(tb) = tb {
                tb.handle_comment(vm, new_str(vm, &c))?;
            } else if let Some(h) = handler(d, |h| &h.comment) {
                util::call(vm, &h, &[new_str(vm, &c)])?;
            }
        }
        Event::Pi { target: pt, data: pd } if d.pi_on.get() => {
            if let Some(tb) = tb {
                if tb.wants(|e: &Events| &e.pi) || tb.insert_pis.get() {
                    tb.handle_pi(vm, new_str(vm, &pt), new_str(vm, &pd))?;
                }
            } else if let Some(h) = handler(d, |h| &h.pi) {
                util::call(vm, &h, &[new_str(vm, &pt), new_str(vm, &pd)])?;
            }
        }
        Event::StartDoctype { name, sysid, pubid, .. } => {
            let name = universal(vm, d, &name);
            let sysid = opt_universal(vm, d, &sysid);
            let pubid = opt_universal(vm, d, &pubid);
            if let Some(h) = handler(d, |h| &h.doctype) {
                util::call(vm, &h, &[name, pubid, sysid])?;
            } else if util::getattr_opt(vm, this, "doctype")?.is_some() {
                let builtins = taipan_vm::import::import_absolute(vm, "builtins")?;
                let category = util::getattr(vm, &builtins, "RuntimeWarning")?;
                let warnings = taipan_vm::import::import_absolute(vm, "_warnings")?;
                let msg = new_str(vm, "The doctype() method of XMLParser is ignored.  Define doctype() method on the TreeBuilder target.");
                util::call_method(vm, &warnings, "warn", &[msg, category, vm.int(1)])?;
            }
        }
        Event::Skipped { name, param: false } => entity_ref(vm, this, d, tb, &name)?,
        Event::ExternalRef { context: Some(name), .. } => entity_ref(vm, this, d, tb, &name)?,
        _ => {}
    }
    Ok(())
}

/// Feeds `bytes` (final when `fin`) and hands the events over.
fn parse(vm: &Vm, this: &Obj, d: &XmlParserData, target: &Obj, bytes: &[u8], is_str: bool, fin: bool) -> PyResult<()> {
    {
        let mut c = d.core.try_borrow_mut().map_err(|_| vm.new_error(&vm.types.runtime_error, "parser is already parsing"))?;
        if c.finished {
            let pos = c.position();
            return Err(parse_error_at(vm, ParseErrorInfo { code: FINISHED, line: pos.line, col: pos.col, message: None }));
        }
        if !c.started() {
            if is_str {
                c.forced = Some(Encoding::Utf8);
            } else if let Some(name) = d.pending_encoding.borrow_mut().take() {
                drop(c);
                let t = crate::pyexpat::codec_table(vm, &name)?;
                c = d.core.borrow_mut();
                c.forced = Some(Encoding::Table(t));
            }
        }
        c.feed(bytes);
    }
    loop {
        let step = d.core.borrow_mut().step(fin);
        match step {
            Ok(Step::Event(ev)) => dispatch(vm, this, d, target, ev)?,
            Ok(Step::NeedMore) | Ok(Step::Done) => break,
            Ok(Step::UnknownEncoding(name)) => {
                let t = crate::pyexpat::codec_table(vm, &name)?;
                if !chars::ascii_compatible(&t) {
                    let mut c = d.core.borrow_mut();
                    let e = c.unknown_encoding_error(&name);
                    c.finished = true;
                    return Err(parse_error_at(vm, ParseErrorInfo { code: e.code, line: e.pos.line, col: e.pos.col, message: None }));
                }
                d.core.borrow_mut().set_table(t);
            }
            Err(e) => {
                d.core.borrow_mut().finished = true;
                return Err(parse_error_at(vm, ParseErrorInfo { code: e.code, line: e.pos.line, col: e.pos.col, message: None }));
            }
        }
    }
    let mut c = d.core.borrow_mut();
    c.compact();
    if fin {
        c.finished = true;
    }
    Ok(())
}

fn m_feed(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [data_arg] = exact::<1>(vm, "feed", args, kw)?;
    let (d, target) = checked(vm, this)?;
    if let Some(s) = data_arg.downcast::<StrData>() {
        parse(vm, this, d, &target, s.value.as_bytes(), true, false)?;
    } else {
        let Some(b) = as_buffer(&data_arg) else {
            return Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(&data_arg))));
        };
        parse(vm, this, d, &target, &b, false, false)?;
    }
    Ok(vm.none.clone())
}

fn m_close(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "XMLParser.close", args, kw)?;
    let (d, target) = checked(vm, this)?;
    parse(vm, this, d, &target, b"", false, true)?;
    if let Some(tb) = exact_builder(vm, &target) {
        return Ok(tb.done(vm));
    }
    match handler(d, |h| &h.close) {
        Some(h) => util::call(vm, &h, &[]),
        None => Ok(vm.none.clone()),
    }
}

fn m_parse_whole(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [file] = exact::<1>(vm, "_parse_whole", args, kw)?;
    let (d, target) = checked(vm, this)?;
    let reader = util::getattr(vm, &file, "read")?;
    loop {
        let buf = util::call(vm, &reader, &[vm.int(64 * 1024)])?;
        if type_of(&buf).is(&vm.types.str_) {
            let Some(s) = buf.downcast::<StrData>() else { break };
            if s.is_empty() {
                break;
            }
            parse(vm, this, d, &target, s.value.as_bytes(), false, false)?;
        } else if type_of(&buf).is(&vm.types.bytes) {
            let Some(b) = bytes_data(&buf) else { break };
            if b.is_empty() {
                break;
            }
            parse(vm, this, d, &target, b, false, false)?;
        } else {
            break;
        }
    }
    parse(vm, this, d, &target, b"", false, true)?;
    match exact_builder(vm, &target) {
        Some(tb) => Ok(tb.done(vm)),
        None => Ok(vm.none.clone()),
    }
}

fn m_setevents(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [queue, to_report] = taipan_vm::native::at_most::<2>(vm, "_setevents", 1, args, kw)?;
    let queue = queue.unwrap_or_else(|| vm.none.clone());
    let (d, target) = checked(vm, this)?;
    let Some(tb) = exact_builder(vm, &target) else {
        return Err(vm.type_error("event handling only supported for ElementTree.TreeBuilder targets"));
    };
    let append = util::getattr(vm, &queue, "append")?;
    {
        let mut ev = tb.events.borrow_mut();
        let old = std::mem::replace(&mut *ev, Events { append: Some(append), ..Events::default() });
        drop(ev);
        drop(old);
    }
    let to_report = to_report.filter(|t| !t.is(&vm.none));
    let Some(to_report) = to_report else {
        tb.events.borrow_mut().end = Some(new_str(vm, "end"));
        return Ok(vm.none.clone());
    };
    let seq = match util::collect(vm, &to_report) {
        Ok(v) => v,
        Err(e) if util::is_error(&e, &vm.types.type_error) => return Err(vm.type_error("events must be a sequence")),
        Err(e) => return Err(e),
    };
    for name_obj in seq {
        let name = if let Some(s) = name_obj.downcast::<StrData>() {
            s.as_str().into_owned()
        } else if let Some(b) = bytes_data(&name_obj) {
            String::from_utf8_lossy(b).into_owned()
        } else {
            return Err(vm.new_error(&vm.types.value_error, "invalid events sequence"));
        };
        let mut ev = tb.events.borrow_mut();
        match name.as_str() {
            "start" => ev.start = Some(name_obj.clone()),
            "end" => ev.end = Some(name_obj.clone()),
            "start-ns" => {
                ev.start_ns = Some(name_obj.clone());
                d.ns_on.set(true);
            }
            "end-ns" => {
                ev.end_ns = Some(name_obj.clone());
                d.ns_on.set(true);
            }
            "comment" => {
                ev.comment = Some(name_obj.clone());
                d.comment_on.set(true);
            }
            "pi" => {
                ev.pi = Some(name_obj.clone());
                d.pi_on.set(true);
            }
            _ => return Err(vm.new_error(&vm.types.value_error, format!("unknown event '{name}'"))),
        }
    }
    Ok(vm.none.clone())
}

static METHODS: &[MethodDef] = &[
    MethodDef::method("feed", m_feed, ""),
    MethodDef::method("close", m_close, ""),
    MethodDef::method("_parse_whole", m_parse_whole, ""),
    MethodDef::method("_setevents", m_setevents, ""),
];

static GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("entity", |vm, o| Ok(data(vm, o)?.entity.borrow().clone().unwrap_or_else(|| vm.none.clone())), ""),
    GetSetDef::readonly("target", |vm, o| Ok(data(vm, o)?.target.borrow().clone().unwrap_or_else(|| vm.none.clone())), ""),
    GetSetDef::readonly("version", |vm, _o| Ok(new_str(vm, "Expat 2.5.0")), ""),
];
