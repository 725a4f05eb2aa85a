//! The XML parser proper: input buffering and decoding, positions, the
//! document's states (prolog, internal DTD subset, content, epilog),
//! entities, namespaces and attribute defaults. `Parser::step` returns
//! one event at a time so that the binding calls a handler per event and
//! handlers may reconfigure the parser between events, as with expat.

use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use super::chars::{self, is_space, is_xml_char, Encoding};
use super::scan::{self, at, content_token, name, quoted, skip_space, starts, SErr, Tok, S};

pub const NO_ELEMENTS: u32 = 3;
pub const INVALID_TOKEN: u32 = 4;
pub const UNCLOSED_TOKEN: u32 = 5;
pub const TAG_MISMATCH: u32 = 7;
pub const DUPLICATE_ATTRIBUTE: u32 = 8;
pub const JUNK_AFTER_DOC_ELEMENT: u32 = 9;
pub const PARAM_ENTITY_REF: u32 = 10;
pub const UNDEFINED_ENTITY: u32 = 11;
pub const RECURSIVE_ENTITY_REF: u32 = 12;
pub const ASYNC_ENTITY: u32 = 13;
pub const BINARY_ENTITY_REF: u32 = 15;
pub const ATTRIBUTE_EXTERNAL_ENTITY_REF: u32 = 16;
pub const MISPLACED_XML_PI: u32 = 17;
pub const UNKNOWN_ENCODING: u32 = 18;
pub const INCORRECT_ENCODING: u32 = 19;
pub const UNCLOSED_CDATA_SECTION: u32 = 20;
pub const EXTERNAL_ENTITY_HANDLING: u32 = 21;
pub const UNBOUND_PREFIX: u32 = 27;
pub const UNDECLARING_PREFIX: u32 = 28;
pub const XML_DECL: u32 = 30;
pub const FINISHED: u32 = 36;
pub const RESERVED_PREFIX_XML: u32 = 38;
pub const RESERVED_PREFIX_XMLNS: u32 = 39;
pub const RESERVED_NAMESPACE_URI: u32 = 40;

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// A place in the input: line (from 1), column (from 0, in characters)
/// and byte offset.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Pos {
    pub line: u64,
    pub col: u64,
    pub byte: i64,
}

#[derive(Debug)]
pub struct XmlError {
    pub code: u32,
    pub pos: Pos,
}

/// An element content model (`XML_Content`).
#[derive(Debug, Clone)]
pub struct Model {
    pub kind: u8,
    pub quant: u8,
    pub name: Option<String>,
    pub children: Vec<Model>,
}

#[derive(Debug)]
pub enum Event {
    XmlDecl {
        version: Option<String>,
        encoding: Option<String>,
        standalone: i32,
    },
    StartDoctype {
        name: String,
        sysid: Option<String>,
        pubid: Option<String>,
        internal: bool,
    },
    EndDoctype,
    EntityDecl {
        name: String,
        param: bool,
        value: Option<String>,
        sysid: Option<String>,
        pubid: Option<String>,
        notation: Option<String>,
    },
    NotationDecl {
        name: String,
        sysid: Option<String>,
        pubid: Option<String>,
    },
    ElementDecl {
        name: String,
        model: Model,
    },
    AttlistDecl {
        elname: String,
        attname: String,
        atype: String,
        default: Option<String>,
        required: bool,
    },
    StartNs {
        prefix: Option<String>,
        uri: Option<String>,
    },
    EndNs {
        prefix: Option<String>,
    },
    /// `raw`: the tag as written, when default events are wanted.
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        specified: usize,
        raw: Option<String>,
    },
    End {
        name: String,
        raw: Option<String>,
    },
    /// Doctype markup for the default handler (when no doctype handler).
    DoctypeRaw(String),
    /// A markup declaration as written, for the default handler when the
    /// handler of its kind (`ENTITY`, `ELEMENT`, ...) is not set.
    DeclRaw {
        keyword: &'static str,
        raw: String,
    },
    Text(String),
    Pi {
        target: String,
        data: String,
    },
    Comment(String),
    StartCdata,
    EndCdata,
    /// An entity reference not expanded: undeclared (with an external
    /// DTD) or internal while expansion is off. `raw` is `&name;`.
    Skipped {
        name: String,
        param: bool,
    },
    /// An external entity to read: a general entity (`context` is its
    /// name) or the external DTD subset (`None`).
    ExternalRef {
        context: Option<String>,
        sysid: Option<String>,
        pubid: Option<String>,
    },
    /// The document has an external subset but is not standalone.
    NotStandalone,
    /// Markup no other event reports (prolog white space, ...).
    Default(String),
}

pub enum Step {
    Event(Event),
    NeedMore,
    Done,
    /// The document names an encoding the parser does not know: the
    /// binding supplies a table (`set_table`) or fails.
    UnknownEncoding(String),
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum State {
    Prolog,
    Subset,
    Content,
    Epilog,
}

/// What the parser reads: a document, an external parsed entity, or an
/// external DTD subset (`ExternalEntityParserCreate`).
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Kind {
    Document,
    Entity,
    Dtd,
}

struct Entity {
    value: Option<Rc<Vec<char>>>,
    sysid: Option<String>,
    pubid: Option<String>,
    notation: Option<String>,
}

struct AttDef {
    name: String,
    cdata: bool,
    default: Option<String>,
}

struct Open {
    qname: String,
    expanded: String,
    nbind: usize,
}

/// Replacement text being read in place of a reference.
struct Frame {
    text: Rc<Vec<char>>,
    pos: usize,
    name: String,
    depth: usize,
    /// Where the reference is (the position of the events it produces).
    at: Pos,
}

/// The declarations shared with external-entity parsers.
#[derive(Default)]
pub struct Dtd {
    entities: HashMap<String, Rc<Entity>>,
    pentities: HashMap<String, Rc<Entity>>,
    attdefs: HashMap<String, Vec<AttDef>>,
    external: bool,
    pe_refs: bool,
    standalone: i32,
    keep_processing: bool,
}

pub struct Parser {
    raw: Vec<u8>,
    enc: Option<Encoding>,
    /// The encoding given to `ParserCreate` (or UTF-8 for `str` input).
    pub forced: Option<Encoding>,
    buf: Rc<Vec<char>>,
    widths: Vec<u8>,
    pos: usize,
    at: Pos,
    prev_cr: bool,
    /// Where the event being reported starts.
    pub event_pos: Pos,
    state: State,
    cdata: bool,
    stack: Vec<Open>,
    /// Namespace processing: `Some(sep)` (`None` inside for an empty
    /// separator).
    pub ns: Option<Option<char>>,
    pub ns_triplets: bool,
    bindings: Vec<(Option<String>, Option<String>)>,
    pub dtd: Dtd,
    frames: Vec<Frame>,
    queue: VecDeque<(Event, Pos)>,
    /// Expand internal entities (off when a plain `DefaultHandler` is set).
    pub expand: bool,
    /// Produce `Default` events (a default handler is set).
    pub want_default: bool,
    pub kind: Kind,
    /// `SetParamEntityParsing` (0 never, 1 unless standalone, 2 always).
    pub param_entity_parsing: u8,
    /// `UseForeignDTD`: ask for an external subset even without a doctype.
    pub foreign_dtd: bool,
    started: bool,
    pub finished: bool,
    doctype_ids: (Option<String>, Option<String>),
    external_requested: bool,
    seen_doctype: bool,
}

fn none_if_empty(s: String) -> Option<String> {
    if s.is_empty() {
        None
    } else {
        Some(s)
    }
}

impl Parser {
    pub fn new(kind: Kind) -> Parser {
        Parser {
            raw: Vec::new(),
            enc: None,
            forced: None,
            buf: Rc::new(Vec::new()),
            widths: Vec::new(),
            pos: 0,
            at: Pos { line: 1, col: 0, byte: 0 },
            prev_cr: false,
            event_pos: Pos { line: 1, col: 0, byte: 0 },
            state: if kind == Kind::Document {
                State::Prolog
            } else if kind == Kind::Dtd {
                State::Subset
            } else {
                State::Content
            },
            cdata: false,
            stack: Vec::new(),
            ns: None,
            ns_triplets: false,
            bindings: Vec::new(),
            dtd: Dtd { keep_processing: true, standalone: -1, ..Dtd::default() },
            frames: Vec::new(),
            queue: VecDeque::new(),
            expand: true,
            want_default: false,
            kind,
            param_entity_parsing: 0,
            foreign_dtd: false,
            started: false,
            finished: false,
            doctype_ids: (None, None),
            external_requested: false,
            seen_doctype: false,
        }
    }

    /// Whether parsing has begun (settings that must precede it).
    pub fn started(&self) -> bool {
        self.started
    }

    /// The position after the input consumed so far.
    pub fn position(&self) -> Pos {
        self.at
    }

    /// Copies the declarations an external-entity parser needs.
    pub fn share_dtd(&self, other: &mut Parser) {
        other.dtd.entities = self.dtd.entities.clone();
        other.dtd.pentities = self.dtd.pentities.clone();
        other.dtd.standalone = self.dtd.standalone;
        other.dtd.external = self.dtd.external;
        other.dtd.pe_refs = self.dtd.pe_refs;
        other.ns = self.ns;
        other.ns_triplets = self.ns_triplets;
        other.bindings = self.bindings.clone();
    }

    pub fn feed(&mut self, data: &[u8]) {
        self.started = true;
        self.raw.extend_from_slice(data);
    }

    /// expat's error for a declared encoding whose table is unusable
    /// (`ascii_compatible` fails): "unknown encoding" at the encoding name
    /// in the XML declaration.
    pub fn unknown_encoding_error(&self, name: &str) -> XmlError {
        let raw = &self.raw;
        let find = |hay: &[u8], needle: &[u8], from: usize| {
            (from..hay.len().saturating_sub(needle.len()) + 1).find(|&i| hay[i..].starts_with(needle))
        };
        let off = find(raw, b"encoding", 0).and_then(|k| find(raw, name.as_bytes(), k + 8)).unwrap_or(0);
        let mut pos = self.at;
        for &b in &raw[..off] {
            if b == b'\n' {
                pos.line += 1;
                pos.col = 0;
            } else {
                pos.col += 1;
            }
            pos.byte += 1;
        }
        self.err(UNKNOWN_ENCODING, pos)
    }

    /// Sets the table of a single-byte encoding found by the binding.
    pub fn set_table(&mut self, t: Box<[char; 256]>) {
        self.enc = Some(Encoding::Table(t));
    }

    /// Whether character data reaches handlers through expat's conversion
    /// buffer (documents not in UTF-8), which splits it into pieces of at
    /// most 1024 bytes.
    pub fn converts(&self) -> bool {
        !matches!(self.enc, None | Some(Encoding::Utf8))
    }

    /// Drops consumed input (between `Parse` calls).
    pub fn compact(&mut self) {
        if self.pos > 0 && self.frames.is_empty() {
            Rc::make_mut(&mut self.buf).drain(..self.pos);
            self.widths.drain(..self.pos);
            self.pos = 0;
        }
    }

    fn choose_encoding(&mut self, fin: bool) -> Result<Option<Step>, XmlError> {
        if let Some(e) = &self.forced {
            self.enc = Some(e.clone());
            // A byte order mark is still skipped.
            if matches!(e, Encoding::Utf8) && self.raw.starts_with(&[0xEF, 0xBB, 0xBF]) {
                self.raw.drain(..3);
                self.at.byte = 3;
            }
            return Ok(None);
        }
        let r = &self.raw;
        if r.len() < 4 && !fin {
            let prefixes: [&[u8]; 5] = [&[0xFE, 0xFF], &[0xFF, 0xFE], &[0xEF, 0xBB, 0xBF], b"<\0?\0", b"\0<\0?"];
            if r.is_empty() || prefixes.iter().any(|p| p.starts_with(r) || r.starts_with(p)) || b"<?xml".starts_with(r) {
                return Ok(Some(Step::NeedMore));
            }
        }
        let (enc, skip) = if r.starts_with(&[0xFE, 0xFF]) {
            (Encoding::Utf16Be, 2)
        } else if r.starts_with(&[0xFF, 0xFE]) {
            (Encoding::Utf16Le, 2)
        } else if r.starts_with(&[0xEF, 0xBB, 0xBF]) {
            (Encoding::Utf8, 3)
        } else if r.len() >= 2 && r[0] == 0 {
            // `\0<\0?`, or any text starting with a zero byte: expat's guess.
            (Encoding::Utf16Be, 0)
        } else if r.len() >= 2 && r[1] == 0 {
            (Encoding::Utf16Le, 0)
        } else {
            match chars::sniff_declared(r, fin) {
                Err(()) => return Ok(Some(Step::NeedMore)),
                Ok(None) => (Encoding::Utf8, 0),
                Ok(Some(name)) => match chars::builtin_encoding(&name) {
                    Some(Encoding::Utf16Le | Encoding::Utf16Be) => {
                        return Err(XmlError { code: INCORRECT_ENCODING, pos: self.at });
                    }
                    Some(e) => (e, 0),
                    None => return Ok(Some(Step::UnknownEncoding(name))),
                },
            }
        };
        self.raw.drain(..skip);
        self.at.byte = skip as i64;
        self.enc = Some(enc);
        Ok(None)
    }

    fn decode_pending(&mut self, fin: bool) {
        if let Some(enc) = &self.enc {
            if !self.raw.is_empty() {
                let used = chars::decode(enc, &self.raw, fin, Rc::make_mut(&mut self.buf), &mut self.widths);
                self.raw.drain(..used);
            }
        }
    }

    /// The position of buffer index `i` (at or after `pos`).
    fn pos_of(&self, i: usize) -> Pos {
        let mut p = self.at;
        let mut cr = self.prev_cr;
        for k in self.pos..i.min(self.buf.len()) {
            advance(&mut p, &mut cr, self.buf[k], self.widths[k]);
        }
        p
    }

    fn consume(&mut self, end: usize) {
        for k in self.pos..end.min(self.buf.len()) {
            advance(&mut self.at, &mut self.prev_cr, self.buf[k], self.widths[k]);
        }
        self.pos = end;
    }

    fn err(&self, code: u32, pos: Pos) -> XmlError {
        XmlError { code, pos }
    }

    fn push(&mut self, ev: Event, p: Pos) {
        self.queue.push_back((ev, p));
    }

    /// The next event, or why there is none.
    pub fn step(&mut self, fin: bool) -> Result<Step, XmlError> {
        loop {
            if let Some((ev, p)) = self.queue.pop_front() {
                self.event_pos = p;
                return Ok(Step::Event(ev));
            }
            if self.enc.is_none() {
                if let Some(s) = self.choose_encoding(fin)? {
                    return Ok(s);
                }
            }
            self.decode_pending(fin);
            self.event_pos = self.at;
            let progress = if !self.frames.is_empty() { self.frame_step()? } else { self.main_step(fin)? };
            match progress {
                Progress::Continue => {}
                Progress::NeedMore => return Ok(Step::NeedMore),
                Progress::Done => return Ok(Step::Done),
            }
        }
    }

    fn main_step(&mut self, fin: bool) -> Result<Progress, XmlError> {
        if self.pos >= self.buf.len() {
            if !fin {
                return Ok(Progress::NeedMore);
            }
            if !self.raw.is_empty() {
                return Err(self.err(UNCLOSED_TOKEN, self.at));
            }
            if self.cdata {
                return Err(self.err(UNCLOSED_CDATA_SECTION, self.at));
            }
            return match (self.state, self.kind) {
                (State::Epilog, _) | (State::Content, Kind::Entity) if self.stack.is_empty() => Ok(Progress::Done),
                (State::Subset, Kind::Dtd) => Ok(Progress::Done),
                (State::Subset, _) => Err(self.err(NO_ELEMENTS, self.at)),
                _ => Err(self.err(NO_ELEMENTS, self.at)),
            };
        }
        let buf = self.buf.clone();
        match self.state {
            State::Subset => self.subset_step(&buf, fin),
            _ if self.cdata => self.cdata_step(&buf, fin),
            _ => self.markup_step(&buf, fin),
        }
    }

    /// A token of the prolog, content or epilog.
    fn markup_step(&mut self, s: &[char], fin: bool) -> Result<Progress, XmlError> {
        let i = self.pos;
        let start = self.at;
        let c = s[i];
        if self.state != State::Content && is_space(c) {
            let mut j = i;
            while j < s.len() && is_space(s[j]) {
                j += 1;
            }
            if j == s.len() && s[j - 1] == '\r' && !fin {
                if j - 1 == i {
                    return Ok(Progress::NeedMore);
                }
                j -= 1;
            }
            if self.want_default {
                let text: String = s[i..j].iter().collect();
                self.push(Event::Default(normalize_newlines(&text)), start);
            }
            self.consume(j);
            return Ok(Progress::Continue);
        }
        if self.state != State::Content && c != '<' {
            if self.state == State::Prolog && chars::is_name_char(c) {
                // A name token where markup should be: a syntax error,
                // unless an invalid character follows it.
                let mut j = i;
                while j < s.len() && chars::is_name_char(s[j]) {
                    j += 1;
                }
                if j == s.len() && !fin {
                    return Ok(Progress::NeedMore);
                }
                if j == s.len() || is_space(s[j]) {
                    return Err(self.err(scan::SYNTAX, start));
                }
                return Err(self.err(INVALID_TOKEN, self.pos_of(j)));
            }
            let code = if self.state == State::Epilog && is_xml_char(c) { JUNK_AFTER_DOC_ELEMENT } else { INVALID_TOKEN };
            return Err(self.err(code, self.pos_of(i)));
        }
        let (tok, end) = match content_token(s, i, fin) {
            Ok(t) => t,
            Err(SErr::More) if !fin => return Ok(Progress::NeedMore),
            Err(SErr::More) => return Err(self.err(UNCLOSED_TOKEN, start)),
            Err(SErr::Bad(code, at)) => {
                if self.state == State::Epilog && !matches!(s.get(i + 1), Some('?' | '!')) {
                    return Err(self.err(JUNK_AFTER_DOC_ELEMENT, start));
                }
                return Err(self.err(code, self.pos_of(at)));
            }
        };
        let raw_text = |s: &[char]| -> String { s[i..end].iter().collect() };
        match tok {
            Tok::XmlDecl(attrs) => {
                let at_start = start.byte <= 3
                    && start.line == 1
                    && start.col == 0
                    && ((self.state == State::Prolog && !self.seen_doctype) || (self.kind == Kind::Entity && self.stack.is_empty()));
                if !at_start {
                    return Err(self.err(MISPLACED_XML_PI, start));
                }
                let ev = self.xml_decl(attrs, s)?;
                self.push(ev, start);
            }
            Tok::Doctype => {
                if self.state != State::Prolog || self.seen_doctype || self.kind != Kind::Document {
                    let code = if self.state == State::Epilog { JUNK_AFTER_DOC_ELEMENT } else { INVALID_TOKEN };
                    return Err(self.err(code, start));
                }
                return self.doctype(s, i, fin, start);
            }
            Tok::Start { .. } | Tok::End { .. } | Tok::Text(_) | Tok::Newline | Tok::CharRef(_) | Tok::EntRef(_) | Tok::CdataStart
                if self.state != State::Content =>
            {
                if self.state == State::Epilog {
                    return Err(self.err(JUNK_AFTER_DOC_ELEMENT, start));
                }
                if !matches!(tok, Tok::Start { .. }) {
                    return Err(self.err(INVALID_TOKEN, start));
                }
                self.state = State::Content;
                if !self.seen_doctype {
                    self.request_external_subset(start);
                }
                let raw = if self.want_default { Some(raw_text(s)) } else { None };
                let endp = self.pos_of(end);
                self.content_tok(tok, Some(s), start, endp, raw)?;
            }
            tok => {
                let endp = self.pos_of(end);
                let raw = if self.want_default { Some(raw_text(s)) } else { None };
                self.content_tok(tok, Some(s), start, endp, raw)?;
            }
        }
        self.consume(end);
        if self.state == State::Content && self.stack.is_empty() && self.kind == Kind::Document && !self.cdata {
            self.state = State::Epilog;
        }
        Ok(Progress::Continue)
    }

    /// Handles one content token; `s` is the main buffer (for error
    /// positions) or `None` inside replacement text.
    fn content_tok(&mut self, tok: Tok, s: Option<&[char]>, start: Pos, endp: Pos, raw: Option<String>) -> Result<(), XmlError> {
        let loc = |me: &Parser, i: usize| if s.is_some() { me.pos_of(i) } else { start };
        match tok {
            Tok::Start { name, attrs, empty } => {
                let mut specified = Vec::with_capacity(attrs.len());
                for a in &attrs {
                    if specified.iter().any(|(n, _): &(String, String)| *n == a.name) {
                        return Err(self.err(DUPLICATE_ATTRIBUTE, loc(self, a.name_at)));
                    }
                    let cdata = self.attr_is_cdata(&name, &a.name);
                    let v = self.normalize_attr(&a.value, cdata, &mut Vec::new()).map_err(|(code, k)| {
                        let p = match k {
                            Some(k) => loc(self, a.value_at + k),
                            None => start,
                        };
                        self.err(code, p)
                    })?;
                    specified.push((a.name.clone(), v));
                }
                let nspec = specified.len();
                if let Some(defs) = self.dtd.attdefs.get(&name) {
                    for d in defs {
                        if let Some(v) = &d.default {
                            if !specified.iter().any(|(n, _)| *n == d.name) {
                                specified.push((d.name.clone(), v.clone()));
                            }
                        }
                    }
                }
                let (expanded, attrs, nspec, nbind) = if self.ns.is_some() {
                    self.namespaces(&name, specified, nspec, start, &attrs, s)?
                } else {
                    (name.clone(), specified, nspec, 0)
                };
                self.push(Event::Start { name: expanded.clone(), attrs, specified: nspec, raw }, start);
                if empty {
                    self.push(Event::End { name: expanded, raw: Some(String::new()) }, endp);
                    self.end_bindings(nbind, endp);
                } else {
                    self.stack.push(Open { qname: name, expanded, nbind });
                }
            }
            Tok::End { name, name_at } => {
                let depth = self.frames.last().map_or(0, |f| f.depth);
                match self.stack.last() {
                    Some(o) if o.qname == name && self.stack.len() > depth => {}
                    _ if self.stack.len() <= depth && !self.frames.is_empty() => return Err(self.err(ASYNC_ENTITY, start)),
                    _ => return Err(self.err(TAG_MISMATCH, loc(self, name_at))),
                }
                if let Some(o) = self.stack.pop() {
                    self.push(Event::End { name: o.expanded, raw }, start);
                    self.end_bindings(o.nbind, start);
                }
            }
            Tok::Text(t) => self.push(Event::Text(t), start),
            Tok::Newline => self.push(Event::Text("\n".into()), start),
            Tok::CharRef(c) => self.push(Event::Text(c.to_string()), start),
            Tok::Comment(c) => self.push(Event::Comment(normalize_newlines(&c)), start),
            Tok::Pi(t, d) => self.push(Event::Pi { target: t, data: normalize_newlines(&d) }, start),
            Tok::CdataStart => {
                self.cdata = true;
                self.push(Event::StartCdata, start);
            }
            Tok::XmlDecl(_) => return Err(self.err(MISPLACED_XML_PI, start)),
            Tok::Doctype => return Err(self.err(INVALID_TOKEN, start)),
            Tok::EntRef(name) => self.entity_ref(name, start)?,
        }
        Ok(())
    }

    fn end_bindings(&mut self, n: usize, p: Pos) {
        for _ in 0..n {
            if let Some((prefix, _)) = self.bindings.pop() {
                self.push(Event::EndNs { prefix }, p);
            }
        }
    }

    fn entity_ref(&mut self, name: String, start: Pos) -> Result<(), XmlError> {
        let pre = match name.as_str() {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => None,
        };
        if let Some(c) = pre {
            self.push(Event::Text(c.to_string()), start);
            return Ok(());
        }
        let Some(ent) = self.dtd.entities.get(&name).cloned() else {
            if !(self.dtd.external || self.dtd.pe_refs) || self.dtd.standalone == 1 {
                return Err(self.err(UNDEFINED_ENTITY, start));
            }
            self.push(Event::Skipped { name, param: false }, start);
            return Ok(());
        };
        if ent.notation.is_some() {
            return Err(self.err(BINARY_ENTITY_REF, start));
        }
        match &ent.value {
            None => {
                let ev = Event::ExternalRef { context: Some(name), sysid: ent.sysid.clone(), pubid: ent.pubid.clone() };
                self.push(ev, start);
            }
            Some(text) => {
                if self.frames.iter().any(|f| f.name == name) {
                    return Err(self.err(RECURSIVE_ENTITY_REF, start));
                }
                if !self.expand {
                    self.push(Event::Skipped { name, param: false }, start);
                    return Ok(());
                }
                let depth = self.stack.len();
                self.frames.push(Frame { text: text.clone(), pos: 0, name, depth, at: start });
            }
        }
        Ok(())
    }

    /// A token of replacement text.
    fn frame_step(&mut self) -> Result<Progress, XmlError> {
        let Some(f) = self.frames.last() else { return Ok(Progress::Continue) };
        let start = f.at;
        let text = f.text.clone();
        let i = f.pos;
        if i >= text.len() {
            let depth = f.depth;
            self.frames.pop();
            if self.stack.len() != depth || self.cdata {
                return Err(self.err(ASYNC_ENTITY, start));
            }
            if self.frames.is_empty() && self.stack.is_empty() && self.kind == Kind::Document {
                self.state = State::Epilog;
            }
            return Ok(Progress::Continue);
        }
        if self.cdata {
            return self.cdata_in(&text, i, true, true);
        }
        let (tok, end) = match content_token(&text, i, true) {
            Ok(t) => t,
            Err(SErr::More) => return Err(self.err(ASYNC_ENTITY, start)),
            Err(SErr::Bad(code, _)) => return Err(self.err(code, start)),
        };
        if let Tok::Doctype = tok {
            return Err(self.err(INVALID_TOKEN, start));
        }
        if let Some(f) = self.frames.last_mut() {
            f.pos = end;
        }
        self.content_tok(tok, None, start, start, None)?;
        Ok(Progress::Continue)
    }

    fn cdata_step(&mut self, s: &[char], fin: bool) -> Result<Progress, XmlError> {
        self.cdata_in(s, self.pos, fin, false)
    }

    /// Character data of a CDATA section at `i` (in the main buffer unless
    /// `in_frame`).
    fn cdata_in(&mut self, s: &[char], i: usize, fin: bool, in_frame: bool) -> Result<Progress, XmlError> {
        let start = match self.frames.last() {
            Some(f) if in_frame => f.at,
            _ => self.at,
        };
        let mut j = i;
        let end;
        let ev;
        if s[i] == '\n' || s[i] == '\r' {
            if s[i] == '\r' && i + 1 >= s.len() && !fin {
                return Ok(Progress::NeedMore);
            }
            end = if s[i] == '\r' && s.get(i + 1) == Some(&'\n') { i + 2 } else { i + 1 };
            ev = Event::Text("\n".into());
        } else {
            match starts(s, i, "]]>") {
                Ok(true) => {
                    self.cdata = false;
                    ev = Event::EndCdata;
                    end = i + 3;
                }
                Err(_) if !fin => return Ok(Progress::NeedMore),
                _ => {
                    while j < s.len() && s[j] != '\n' && s[j] != '\r' {
                        if !is_xml_char(s[j]) {
                            if j == i {
                                let p = if in_frame { start } else { self.pos_of(j) };
                                return Err(self.err(INVALID_TOKEN, p));
                            }
                            break;
                        }
                        if s[j] == ']' && j > i && starts(s, j, "]]>").unwrap_or(!fin) {
                            break;
                        }
                        j += 1;
                    }
                    end = j;
                    ev = Event::Text(s[i..j].iter().collect());
                }
            }
        }
        self.push(ev, start);
        if in_frame {
            if let Some(f) = self.frames.last_mut() {
                f.pos = end;
            }
        } else {
            self.consume(end);
        }
        Ok(Progress::Continue)
    }

    fn xml_decl(&mut self, attrs: Vec<(String, usize, String, usize)>, s: &[char]) -> Result<Event, XmlError> {
        let mut version = None;
        let mut encoding = None;
        let mut standalone = -1;
        let mut stage = 0;
        for (n, nat, v, vat) in attrs {
            match n.as_str() {
                "version" if stage == 0 => {
                    version = Some(v);
                    stage = 1;
                }
                "encoding" if stage <= 1 && (stage == 1 || self.kind != Kind::Document) => {
                    encoding = Some(v);
                    stage = 2;
                }
                "standalone" if (1..=2).contains(&stage) && self.kind == Kind::Document => {
                    standalone = match v.as_str() {
                        "yes" => 1,
                        "no" => 0,
                        _ => return Err(self.err(XML_DECL, self.pos_of(vat))),
                    };
                    stage = 3;
                }
                _ => return Err(self.err(XML_DECL, self.pos_of(nat))),
            }
        }
        let _ = s;
        if version.is_none() && self.kind == Kind::Document {
            return Err(self.err(XML_DECL, self.at));
        }
        self.dtd.standalone = standalone;
        Ok(Event::XmlDecl { version, encoding, standalone })
    }

    /// `<!DOCTYPE` at `i`: the whole declaration up to `[` or `>`.
    fn doctype(&mut self, s: &[char], i: usize, fin: bool, start: Pos) -> Result<Progress, XmlError> {
        let r = (|| -> S<DoctypeHead> {
            let j = i + 9;
            let k = skip_space(s, j)?;
            if k == j {
                return Err(SErr::Bad(INVALID_TOKEN, k));
            }
            let (n, e) = name(s, k)?;
            let mut k = skip_space(s, e)?;
            let (sysid, pubid, e) = external_id(s, k)?;
            if e != k {
                k = skip_space(s, e)?;
            }
            match at(s, k)? {
                '[' => Ok((n, sysid, pubid, true, k + 1)),
                '>' => Ok((n, sysid, pubid, false, k + 1)),
                _ => Err(SErr::Bad(INVALID_TOKEN, k)),
            }
        })();
        let (n, sysid, pubid, internal, end) = match r {
            Ok(v) => v,
            Err(SErr::More) if !fin => return Ok(Progress::NeedMore),
            Err(SErr::More) => return Err(self.err(UNCLOSED_TOKEN, start)),
            Err(SErr::Bad(code, at)) => return Err(self.err(code, self.pos_of(at))),
        };
        self.seen_doctype = true;
        if sysid.is_some() {
            self.dtd.external = true;
            if self.dtd.standalone != 1 {
                self.push(Event::NotStandalone, start);
            }
        }
        self.doctype_ids = (sysid.clone(), pubid.clone());
        if self.want_default {
            // Token by token, as expat reports them.
            let mut k = i + 9;
            self.push(Event::DoctypeRaw("<!DOCTYPE".into()), start);
            while k < end {
                let c = s[k];
                let e = if is_space(c) {
                    let mut e = k;
                    while e < end && is_space(s[e]) {
                        e += 1;
                    }
                    e
                } else if c == '"' || c == '\'' {
                    let mut e = k + 1;
                    while e < end && s[e] != c {
                        e += 1;
                    }
                    (e + 1).min(end)
                } else if c == '[' || c == '>' {
                    k + 1
                } else {
                    let mut e = k;
                    while e < end && !is_space(s[e]) && !matches!(s[e], '"' | '\'' | '[' | '>') {
                        e += 1;
                    }
                    e
                };
                let p = self.pos_of(k);
                self.push(Event::DoctypeRaw(s[k..e].iter().collect()), p);
                k = e;
            }
        }
        let at_end = self.pos_of(end - 1);
        self.push(Event::StartDoctype { name: n, sysid, pubid, internal }, at_end);
        if internal {
            self.state = State::Subset;
        } else {
            self.end_doctype(at_end);
        }
        self.consume(end);
        Ok(Progress::Continue)
    }

    fn end_doctype(&mut self, p: Pos) {
        if self.dtd.external || self.dtd.pe_refs {
            self.dtd.keep_processing = self.dtd.standalone == 1 || self.dtd.keep_processing;
        }
        if (self.dtd.external || self.dtd.pe_refs) && self.dtd.standalone != 1 {
            self.push(Event::NotStandalone, p);
        }
        self.request_external_subset(p);
        self.push(Event::EndDoctype, p);
    }

    /// Asks for the external DTD subset (or a foreign one) when parameter
    /// entities are parsed.
    fn request_external_subset(&mut self, p: Pos) {
        let wanted = match self.param_entity_parsing {
            2 => true,
            1 => self.dtd.standalone != 1,
            _ => false,
        };
        if self.external_requested || !wanted {
            return;
        }
        let (sysid, pubid) = std::mem::take(&mut self.doctype_ids);
        if sysid.is_some() || self.foreign_dtd {
            self.external_requested = true;
            self.push(Event::ExternalRef { context: None, sysid, pubid }, p);
        }
    }

    /// One declaration of the internal subset (or an external DTD).
    fn subset_step(&mut self, s: &[char], fin: bool) -> Result<Progress, XmlError> {
        let i = self.pos;
        let start = self.at;
        let r = self.subset_token(s, i, fin, start);
        match r {
            Ok(end) => {
                self.consume(end);
                Ok(Progress::Continue)
            }
            Err(SErr::More) if !fin => Ok(Progress::NeedMore),
            Err(SErr::More) => Err(self.err(if self.kind == Kind::Dtd { UNCLOSED_TOKEN } else { NO_ELEMENTS }, start)),
            Err(SErr::Bad(code, at)) => Err(self.err(code, self.pos_of(at))),
        }
    }

    fn subset_token(&mut self, s: &[char], i: usize, fin: bool, start: Pos) -> S<usize> {
        let c = at(s, i)?;
        if is_space(c) {
            let mut j = i;
            while j < s.len() && is_space(s[j]) {
                j += 1;
            }
            if self.want_default {
                self.push(Event::Default(normalize_newlines(&s[i..j].iter().collect::<String>())), start);
            }
            return Ok(j);
        }
        if c == ']' && self.kind == Kind::Document {
            let k = skip_space(s, i + 1)?;
            if at(s, k)? != '>' {
                return Err(SErr::Bad(INVALID_TOKEN, k));
            }
            self.state = State::Prolog;
            if self.want_default {
                self.push(Event::DoctypeRaw("]".into()), start);
                let p = self.pos_of(k);
                self.push(Event::DoctypeRaw(">".into()), p);
            }
            let p = self.pos_of(k);
            self.end_doctype(p);
            return Ok(k + 1);
        }
        if c == '%' {
            let (n, e) = name(s, i + 1)?;
            if at(s, e)? != ';' {
                return Err(SErr::Bad(INVALID_TOKEN, e));
            }
            self.dtd.pe_refs = true;
            if self.dtd.standalone != 1 {
                self.dtd.keep_processing = false;
            }
            let _ = n;
            return Ok(e + 1);
        }
        if c != '<' {
            return Err(SErr::Bad(INVALID_TOKEN, i));
        }
        if starts(s, i, "<?")? || starts(s, i, "<!--")? {
            let (tok, end) = content_token(s, i, fin)?;
            match tok {
                Tok::Comment(c) => self.push(Event::Comment(normalize_newlines(&c)), start),
                Tok::Pi(t, d) => self.push(Event::Pi { target: t, data: normalize_newlines(&d) }, start),
                Tok::XmlDecl(attrs) if self.kind == Kind::Dtd && start.line == 1 && start.col == 0 => {
                    let _ = attrs;
                }
                _ => return Err(SErr::Bad(scan::SYNTAX, i)),
            }
            return Ok(end);
        }
        // A markup declaration: find its end, honouring quotes.
        let mut j = i + 2;
        let mut q: Option<char> = None;
        loop {
            let c = at(s, j)?;
            match q {
                Some(qc) if c == qc => q = None,
                Some(_) => {}
                None if c == '"' || c == '\'' => q = Some(c),
                None if c == '>' => break,
                None => {}
            }
            j += 1;
        }
        let end = j + 1;
        let process = self.dtd.keep_processing;
        if self.want_default {
            let keyword =
                ["ENTITY", "ELEMENT", "ATTLIST", "NOTATION"].into_iter().find(|k| starts(s, i + 2, k).unwrap_or(false)).unwrap_or("");
            self.push(Event::DeclRaw { keyword, raw: s[i..end].iter().collect() }, start);
        }
        if starts(s, i, "<!ENTITY")? {
            self.entity_decl(s, i + 8, j, start, process)?;
        } else if starts(s, i, "<!ELEMENT")? {
            let k = req_space(s, i + 9)?;
            let (n, e) = name(s, k)?;
            let k = req_space(s, e)?;
            let (model, e) = content_spec(s, k)?;
            expect_end(s, e, j)?;
            let mut q = e - 1;
            if matches!(s[q], '?' | '*' | '+') && q > k {
                q -= 1;
            }
            if s[q] != ')' {
                q = k;
            }
            let at = self.pos_of(q);
            self.push(Event::ElementDecl { name: n, model }, at);
        } else if starts(s, i, "<!ATTLIST")? {
            self.attlist_decl(s, i + 9, j, start, process)?;
        } else if starts(s, i, "<!NOTATION")? {
            let k = req_space(s, i + 10)?;
            let (n, e) = name(s, k)?;
            let k = req_space(s, e)?;
            let (sysid, pubid, e) = external_id(s, k)?;
            if e == k {
                return Err(SErr::Bad(scan::SYNTAX, k));
            }
            expect_end(s, e, j)?;
            // Reported at the last literal.
            let mut q = e - 1;
            let quote = s[q];
            while q > k && s[q - 1] != quote {
                q -= 1;
            }
            let at = self.pos_of(q.saturating_sub(1));
            self.push(Event::NotationDecl { name: n, sysid, pubid }, at);
        } else {
            return Err(SErr::Bad(INVALID_TOKEN, i));
        }
        Ok(end)
    }

    fn entity_decl(&mut self, s: &[char], i: usize, gt: usize, start: Pos, process: bool) -> S<()> {
        let mut k = req_space(s, i)?;
        let param = s[k] == '%';
        if param {
            k = req_space(s, k + 1)?;
        }
        let (n, e) = name(s, k)?;
        let k = req_space(s, e)?;
        let literal_at = self.pos_of(k);
        let (value, sysid, pubid, notation, e) = if s[k] == '"' || s[k] == '\'' {
            let (v, e) = quoted(s, k)?;
            let v = self.entity_value(&v, k + 1)?;
            (Some(v), None, None, None, e)
        } else {
            let (sysid, pubid, e) = external_id(s, k)?;
            if e == k {
                return Err(SErr::Bad(scan::SYNTAX, k));
            }
            let mut notation = None;
            let k2 = skip_space(s, e)?;
            if !param && k2 > e && starts(s, k2, "NDATA")? {
                let k3 = req_space(s, k2 + 5)?;
                let (nn, e3) = name(s, k3)?;
                notation = Some(nn);
                (None, sysid, pubid, notation, e3)
            } else {
                (None, sysid, pubid, notation.take(), e)
            }
        };
        expect_end(s, e, gt)?;
        if !process {
            return Ok(());
        }
        let table = if param { &mut self.dtd.pentities } else { &mut self.dtd.entities };
        if table.contains_key(&n) {
            return Ok(());
        }
        let chars: Option<Rc<Vec<char>>> = value.as_ref().map(|v| Rc::new(v.chars().collect()));
        table.insert(n.clone(), Rc::new(Entity { value: chars, sysid: sysid.clone(), pubid: pubid.clone(), notation: notation.clone() }));
        let at = if value.is_some() { literal_at } else { self.pos_of(gt) };
        let _ = start;
        self.push(Event::EntityDecl { name: n, param, value, sysid, pubid, notation }, at);
        Ok(())
    }

    /// An entity value: character references expanded, general entity
    /// references kept, newlines normalised.
    fn entity_value(&self, v: &[char], at0: usize) -> S<String> {
        let mut out = String::new();
        let mut k = 0;
        while k < v.len() {
            match v[k] {
                '&' if v.get(k + 1) == Some(&'#') => {
                    let (c, e) = scan::char_ref(v, k).map_err(|e| shift(e, at0))?;
                    out.push(c);
                    k = e;
                }
                '%' => return Err(SErr::Bad(PARAM_ENTITY_REF, at0 + k)),
                '\r' => {
                    out.push('\n');
                    k += if v.get(k + 1) == Some(&'\n') { 2 } else { 1 };
                }
                c => {
                    out.push(c);
                    k += 1;
                }
            }
        }
        Ok(out)
    }

    fn attlist_decl(&mut self, s: &[char], i: usize, gt: usize, start: Pos, process: bool) -> S<()> {
        let k = req_space(s, i)?;
        let (el, mut e) = name(s, k)?;
        loop {
            let k = skip_space(s, e)?;
            if k == gt {
                return Ok(());
            }
            if k == e {
                return Err(SErr::Bad(scan::SYNTAX, k));
            }
            let (an, e1) = name(s, k)?;
            let k = req_space(s, e1)?;
            let (atype, e2) = if s[k] == '(' {
                enumeration(s, k)?
            } else {
                let (t, e2) = name(s, k)?;
                if t == "NOTATION" {
                    let k2 = req_space(s, e2)?;
                    let (en, e3) = enumeration(s, k2)?;
                    (format!("NOTATION{en}"), e3)
                } else if matches!(t.as_str(), "CDATA" | "ID" | "IDREF" | "IDREFS" | "ENTITY" | "ENTITIES" | "NMTOKEN" | "NMTOKENS") {
                    (t, e2)
                } else {
                    return Err(SErr::Bad(scan::SYNTAX, k));
                }
            };
            let k = req_space(s, e2)?;
            let default_at = self.pos_of(k);
            let (default, required, e3) = if starts(s, k, "#REQUIRED")? {
                (None, true, k + 9)
            } else if starts(s, k, "#IMPLIED")? {
                (None, false, k + 8)
            } else {
                let (fixed, k) = if starts(s, k, "#FIXED")? { (true, req_space(s, k + 6)?) } else { (false, k) };
                let (v, e) = quoted(s, k)?;
                let cdata = atype == "CDATA";
                let v = self.normalize_attr(&v, cdata, &mut Vec::new()).map_err(|(code, at)| SErr::Bad(code, k + 1 + at.unwrap_or(0)))?;
                (Some(v), fixed, e)
            };
            e = e3;
            if process {
                let defs = self.dtd.attdefs.entry(el.clone()).or_default();
                if !defs.iter().any(|d| d.name == an) {
                    defs.push(AttDef { name: an.clone(), cdata: atype == "CDATA", default: default.clone() });
                }
                let _ = start;
                self.push(Event::AttlistDecl { elname: el.clone(), attname: an, atype, default, required }, default_at);
            }
        }
    }

    fn attr_is_cdata(&self, el: &str, att: &str) -> bool {
        match self.dtd.attdefs.get(el) {
            Some(defs) => defs.iter().find(|d| d.name == att).is_none_or(|d| d.cdata),
            None => true,
        }
    }

    /// Attribute-value normalisation: references replaced, white space
    /// turned into spaces (and collapsed for non-CDATA types). Errors carry
    /// the index in `v` when known.
    fn normalize_attr(&self, v: &[char], cdata: bool, open: &mut Vec<String>) -> Result<String, (u32, Option<usize>)> {
        let mut out = String::with_capacity(v.len());
        let mut k = 0;
        while k < v.len() {
            match v[k] {
                '&' => {
                    if v.get(k + 1) == Some(&'#') {
                        let (c, e) = scan::char_ref(v, k).map_err(|e| serr_at(e, k))?;
                        out.push(c);
                        k = e;
                        continue;
                    }
                    let (n, e) = name(v, k + 1).map_err(|e| serr_at(e, k))?;
                    k = e + 1;
                    let pre = match n.as_str() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    };
                    if let Some(c) = pre {
                        out.push(c);
                        continue;
                    }
                    match self.dtd.entities.get(&n) {
                        None => {
                            if !(self.dtd.external || self.dtd.pe_refs) || self.dtd.standalone == 1 {
                                return Err((UNDEFINED_ENTITY, Some(k - n.len() - 2)));
                            }
                        }
                        Some(ent) => match &ent.value {
                            None => return Err((ATTRIBUTE_EXTERNAL_ENTITY_REF, Some(k - n.len() - 2))),
                            Some(text) => {
                                if open.contains(&n) {
                                    return Err((RECURSIVE_ENTITY_REF, Some(k - n.len() - 2)));
                                }
                                if text.contains(&'<') {
                                    return Err((INVALID_TOKEN, Some(k - n.len() - 2)));
                                }
                                open.push(n);
                                let inner = self.normalize_attr(text, true, open).map_err(|(c, _)| (c, None))?;
                                open.pop();
                                out.push_str(&inner);
                            }
                        },
                    }
                }
                '\r' => {
                    out.push(' ');
                    k += if v.get(k + 1) == Some(&'\n') { 2 } else { 1 };
                }
                '\n' | '\t' => {
                    out.push(' ');
                    k += 1;
                }
                '<' => return Err((INVALID_TOKEN, Some(k))),
                c => {
                    out.push(c);
                    k += 1;
                }
            }
        }
        if !cdata {
            out = out.split(' ').filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ");
        }
        Ok(out)
    }

    /// Namespace processing of a start tag: the bindings it declares (as
    /// events), its expanded name and attributes.
    #[allow(clippy::type_complexity)]
    fn namespaces(
        &mut self,
        name: &str,
        attrs: Vec<(String, String)>,
        nspec: usize,
        start: Pos,
        raw: &[scan::RawAttr],
        s: Option<&[char]>,
    ) -> Result<(String, Vec<(String, String)>, usize, usize), XmlError> {
        let _ = (raw, s);
        let mut nbind = 0;
        let mut rest = Vec::with_capacity(attrs.len());
        let mut rest_spec = 0;
        for (idx, (n, v)) in attrs.into_iter().enumerate() {
            let prefix = if n == "xmlns" {
                None
            } else if let Some(p) = n.strip_prefix("xmlns:") {
                Some(p.to_string())
            } else {
                if idx < nspec {
                    rest_spec += 1;
                }
                rest.push((n, v, idx));
                continue;
            };
            let at = start;
            match prefix.as_deref() {
                Some("xmlns") => return Err(self.err(RESERVED_PREFIX_XMLNS, at)),
                Some("xml") if v != XML_NS => return Err(self.err(RESERVED_PREFIX_XML, at)),
                Some("xml") => {}
                Some(_) if v.is_empty() => return Err(self.err(UNDECLARING_PREFIX, at)),
                _ if (v == XML_NS || v == XMLNS_NS) => return Err(self.err(RESERVED_NAMESPACE_URI, at)),
                _ => {}
            }
            // expat 2.4.5+: a namespace name may not contain the separator.
            if let Some(Some(sep)) = self.ns {
                if v.contains(sep) {
                    return Err(self.err(scan::SYNTAX, at));
                }
            }
            let uri = none_if_empty(v);
            self.bindings.push((prefix.clone(), uri.clone()));
            nbind += 1;
            self.push(Event::StartNs { prefix, uri }, start);
        }
        let expanded = match self.expand_name(name, false) {
            Some(e) => e,
            None => return Err(self.err(UNBOUND_PREFIX, start)),
        };
        let mut out: Vec<(String, String)> = Vec::with_capacity(rest.len());
        for (n, v, _) in rest {
            let at = start;
            let Some(e) = self.expand_name(&n, true) else { return Err(self.err(UNBOUND_PREFIX, start)) };
            if out.iter().any(|(o, _)| *o == e) {
                return Err(self.err(DUPLICATE_ATTRIBUTE, at));
            }
            out.push((e, v));
        }
        Ok((expanded, out, rest_spec, nbind))
    }

    fn expand_name(&self, qname: &str, attr: bool) -> Option<String> {
        let sep = self.ns?;
        let join = |uri: &str, local: &str, prefix: Option<&str>| {
            let mut s = String::with_capacity(uri.len() + local.len() + 2);
            s.push_str(uri);
            if let Some(c) = sep {
                s.push(c);
            }
            s.push_str(local);
            if let (true, Some(p)) = (self.ns_triplets, prefix) {
                if let Some(c) = sep {
                    s.push(c);
                }
                s.push_str(p);
            }
            s
        };
        match qname.split_once(':') {
            Some((p, local)) if !p.is_empty() && !local.is_empty() => {
                if p == "xml" {
                    return Some(join(XML_NS, local, Some(p)));
                }
                let b = self.bindings.iter().rev().find(|(bp, _)| bp.as_deref() == Some(p))?;
                let uri = b.1.as_deref()?;
                Some(join(uri, local, Some(p)))
            }
            _ if attr => Some(qname.to_string()),
            _ => match self.bindings.iter().rev().find(|(bp, _)| bp.is_none()) {
                Some((_, Some(uri))) => Some(join(uri, qname, None)),
                _ => Some(qname.to_string()),
            },
        }
    }
}

/// A doctype's name, system and public ids, whether an internal subset
/// follows, and where the header ends.
type DoctypeHead = (String, Option<String>, Option<String>, bool, usize);

enum Progress {
    Continue,
    NeedMore,
    Done,
}

fn advance(p: &mut Pos, cr: &mut bool, c: char, w: u8) {
    match c {
        '\n' if *cr => {}
        '\n' | '\r' => {
            p.line += 1;
            p.col = 0;
        }
        _ => p.col += 1,
    }
    *cr = c == '\r';
    p.byte += w as i64;
}

fn normalize_newlines(s: &str) -> String {
    if !s.contains('\r') {
        return s.to_string();
    }
    s.replace("\r\n", "\n").replace('\r', "\n")
}

fn shift(e: SErr, by: usize) -> SErr {
    match e {
        SErr::Bad(c, at) => SErr::Bad(c, at + by),
        SErr::More => SErr::Bad(INVALID_TOKEN, by),
    }
}

fn serr_at(e: SErr, k: usize) -> (u32, Option<usize>) {
    match e {
        SErr::Bad(c, at) => (c, Some(at)),
        SErr::More => (INVALID_TOKEN, Some(k)),
    }
}

fn req_space(s: &[char], i: usize) -> S<usize> {
    let k = skip_space(s, i)?;
    if k == i {
        return Err(SErr::Bad(scan::SYNTAX, i));
    }
    Ok(k)
}

/// White space then the declaration's `>` at `gt`.
fn expect_end(s: &[char], e: usize, gt: usize) -> S<()> {
    let k = skip_space(s, e)?;
    if k != gt {
        return Err(SErr::Bad(scan::SYNTAX, k));
    }
    Ok(())
}

/// `SYSTEM "s"` or `PUBLIC "p" "s"` at `i` (nothing: `(None, None, i)`).
fn external_id(s: &[char], i: usize) -> S<(Option<String>, Option<String>, usize)> {
    if starts(s, i, "SYSTEM")? {
        let k = req_space(s, i + 6)?;
        let (v, e) = quoted(s, k)?;
        return Ok((Some(v.iter().collect()), None, e));
    }
    if starts(s, i, "PUBLIC")? {
        let k = req_space(s, i + 6)?;
        let (p, e) = quoted(s, k)?;
        let k2 = skip_space(s, e)?;
        if k2 > e && (at(s, k2)? == '"' || at(s, k2)? == '\'') {
            let (v, e2) = quoted(s, k2)?;
            return Ok((Some(v.iter().collect()), Some(public_id(&p)), e2));
        }
        return Ok((None, Some(public_id(&p)), e));
    }
    Ok((None, None, i))
}

/// A public identifier with white space collapsed (as expat reports it).
fn public_id(p: &[char]) -> String {
    let s: String = p.iter().collect();
    s.split(|c: char| is_space(c)).filter(|x| !x.is_empty()).collect::<Vec<_>>().join(" ")
}

/// `(a|b)` at `i`: the enumeration as expat writes it (no spaces).
fn enumeration(s: &[char], i: usize) -> S<(String, usize)> {
    let mut out = String::from("(");
    let mut k = skip_space(s, i + 1)?;
    loop {
        let mut e = k;
        while chars::is_name_char(at(s, e)?) {
            e += 1;
        }
        if e == k {
            return Err(SErr::Bad(scan::SYNTAX, k));
        }
        out.extend(&s[k..e]);
        let k2 = skip_space(s, e)?;
        match at(s, k2)? {
            '|' => {
                out.push('|');
                k = skip_space(s, k2 + 1)?;
            }
            ')' => {
                out.push(')');
                return Ok((out, k2 + 1));
            }
            _ => return Err(SErr::Bad(scan::SYNTAX, k2)),
        }
    }
}

fn quant(s: &[char], i: usize) -> (u8, usize) {
    match s.get(i) {
        Some('?') => (1, i + 1),
        Some('*') => (2, i + 1),
        Some('+') => (3, i + 1),
        _ => (0, i),
    }
}

/// `EMPTY`, `ANY`, mixed or children content at `i`.
fn content_spec(s: &[char], i: usize) -> S<(Model, usize)> {
    let leaf = |kind| Model { kind, quant: 0, name: None, children: Vec::new() };
    if starts(s, i, "EMPTY")? {
        return Ok((leaf(1), i + 5));
    }
    if starts(s, i, "ANY")? {
        return Ok((leaf(2), i + 3));
    }
    if at(s, i)? != '(' {
        return Err(SErr::Bad(scan::SYNTAX, i));
    }
    let k = skip_space(s, i + 1)?;
    if starts(s, k, "#PCDATA")? {
        let mut m = leaf(3);
        let mut k = skip_space(s, k + 7)?;
        loop {
            match at(s, k)? {
                '|' => {
                    let k1 = skip_space(s, k + 1)?;
                    let (n, e) = name(s, k1)?;
                    m.children.push(Model { kind: 4, quant: 0, name: Some(n), children: Vec::new() });
                    k = skip_space(s, e)?;
                }
                ')' => {
                    if at(s, k + 1).ok() == Some('*') {
                        m.quant = 2;
                        return Ok((m, k + 2));
                    }
                    return Ok((m, k + 1));
                }
                _ => return Err(SErr::Bad(scan::SYNTAX, k)),
            }
        }
    }
    group(s, i)
}

/// A choice or sequence group at `i` (`(`), with its quantifier.
fn group(s: &[char], i: usize) -> S<(Model, usize)> {
    let mut kids = Vec::new();
    let mut kind = 0u8;
    let mut k = skip_space(s, i + 1)?;
    loop {
        let (cp, e) = if at(s, k)? == '(' {
            group(s, k)?
        } else {
            let (n, e) = name(s, k)?;
            let (q, e) = quant(s, e);
            (Model { kind: 4, quant: q, name: Some(n), children: Vec::new() }, e)
        };
        kids.push(cp);
        let k2 = skip_space(s, e)?;
        match at(s, k2)? {
            '|' if kind != 6 => kind = 5,
            ',' if kind != 5 => kind = 6,
            ')' => {
                let (q, e) = quant(s, k2 + 1);
                let kind = if kind == 0 { 6 } else { kind };
                return Ok((Model { kind, quant: q, name: None, children: kids }, e));
            }
            _ => return Err(SErr::Bad(scan::SYNTAX, k2)),
        }
        k = skip_space(s, k2 + 1)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(doc: &str, chunk: usize) -> Result<Vec<String>, (u32, u64, u64)> {
        let mut p = Parser::new(Kind::Document);
        let bytes = doc.as_bytes();
        let mut out = Vec::new();
        let mut k = 0;
        loop {
            let fin = k >= bytes.len();
            if !fin {
                let e = (k + chunk).min(bytes.len());
                p.feed(&bytes[k..e]);
                k = e;
            }
            loop {
                match p.step(fin) {
                    Ok(Step::Event(ev)) => out.push(format!("{ev:?}")),
                    Ok(Step::NeedMore) | Ok(Step::Done) => break,
                    Ok(Step::UnknownEncoding(_)) => return Err((18, 0, 0)),
                    Err(e) => return Err((e.code, e.pos.line, e.pos.col)),
                }
            }
            if fin {
                return Ok(out);
            }
        }
    }

    #[test]
    fn chunking_does_not_change_elements() {
        let doc = "<?xml version='1.0'?><r a='1'>x<b/>&amp;<![CDATA[y]]></r>";
        let whole = events(doc, doc.len()).unwrap();
        let bytewise = events(doc, 1).unwrap();
        let starts = |v: &Vec<String>| v.iter().filter(|e| e.starts_with("Start")).count();
        assert_eq!(starts(&whole), starts(&bytewise));
        assert_eq!(starts(&whole), 3);
    }

    #[test]
    fn errors_and_positions() {
        assert_eq!(events("<a></b>", 100).unwrap_err(), (TAG_MISMATCH, 1, 5));
        assert_eq!(events("<a/><b/>", 100).unwrap_err(), (JUNK_AFTER_DOC_ELEMENT, 1, 4));
        assert_eq!(events("", 100).unwrap_err(), (NO_ELEMENTS, 1, 0));
        assert_eq!(events("<a\n  b='1'\n  c='2' c='3'/>", 3).unwrap_err(), (DUPLICATE_ATTRIBUTE, 3, 8));
    }

    #[test]
    fn internal_entities_expand() {
        let ev = events("<!DOCTYPE r [<!ENTITY e 'v&#65;<b/>'>]><r>&e;</r>", 7).unwrap();
        assert!(ev.iter().any(|e| e == "Text(\"vA\")"));
        assert_eq!(events("<!DOCTYPE r [<!ENTITY e 'x&e;'>]><r>&e;</r>", 100).unwrap_err().0, RECURSIVE_ENTITY_REF);
    }
}
