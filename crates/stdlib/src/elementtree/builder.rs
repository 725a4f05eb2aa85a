//! `TreeBuilder`: builds a tree of elements from start/data/end/comment/
//! pi calls (the parser calls it directly when it is the exact type), and
//! records the events `iterparse` and `XMLPullParser` ask for.

use std::cell::{Cell, RefCell};

use taipan_vm::native::{bind, exact, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::ops;
use taipan_vm::types::builtin::{new_dict, new_str, new_tuple, object_slots, type_name, DictData, StrData};
use taipan_vm::types::{type_of, Kwargs, Slots};
use taipan_vm::{PyResult, Vm};

use super::element::{add_subelement, elem, is_exact_element, new_element};
use super::{parse_error, state};
use crate::util;

#[derive(Default)]
pub struct Events {
    pub append: Option<Obj>,
    pub start: Option<Obj>,
    pub end: Option<Obj>,
    pub start_ns: Option<Obj>,
    pub end_ns: Option<Obj>,
    pub comment: Option<Obj>,
    pub pi: Option<Obj>,
}

impl Events {
    fn objs(&self) -> [&Option<Obj>; 7] {
        [&self.append, &self.start, &self.end, &self.start_ns, &self.end_ns, &self.comment, &self.pi]
    }
}

pub struct TreeBuilderData {
    root: RefCell<Option<Obj>>,
    this: RefCell<Option<Obj>>,
    last: RefCell<Option<Obj>>,
    last_for_tail: RefCell<Option<Obj>>,
    /// Character data not yet stored (pieces, joined at the flush).
    data: RefCell<Vec<Obj>>,
    stack: RefCell<Vec<Option<Obj>>>,
    element_factory: RefCell<Option<Obj>>,
    comment_factory: RefCell<Option<Obj>>,
    pi_factory: RefCell<Option<Obj>>,
    pub events: RefCell<Events>,
    insert_comments: Cell<bool>,
    pub insert_pis: Cell<bool>,
}

impl TreeBuilderData {
    fn each(&self, visit: &mut dyn FnMut(&Obj)) {
        for cell in
            [&self.root, &self.this, &self.last, &self.last_for_tail, &self.element_factory, &self.comment_factory, &self.pi_factory]
        {
            if let Ok(x) = cell.try_borrow() {
                if let Some(x) = x.as_ref() {
                    visit(x);
                }
            }
        }
        if let Ok(d) = self.data.try_borrow() {
            d.iter().for_each(&mut *visit);
        }
        if let Ok(s) = self.stack.try_borrow() {
            s.iter().flatten().for_each(&mut *visit);
        }
        if let Ok(ev) = self.events.try_borrow() {
            ev.objs().into_iter().flatten().for_each(&mut *visit);
        }
    }
}

pub const TYPE_NAME: &str = "xml.etree.ElementTree.TreeBuilder";

fn blank() -> TreeBuilderData {
    TreeBuilderData {
        root: RefCell::new(None),
        this: RefCell::new(None),
        last: RefCell::new(None),
        last_for_tail: RefCell::new(None),
        data: RefCell::new(Vec::new()),
        stack: RefCell::new(Vec::new()),
        element_factory: RefCell::new(None),
        comment_factory: RefCell::new(None),
        pi_factory: RefCell::new(None),
        events: RefCell::new(Events::default()),
        insert_comments: Cell::new(false),
        insert_pis: Cell::new(false),
    }
}

pub fn builder_type(vm: &Vm) -> Obj {
    vm.native_type(TYPE_NAME, |vm| {
        let slots = Slots {
            new: Some(|_vm, cls, _args, _kw| Ok(alloc(cls.clone(), blank()))),
            init: Some(tb_init),
            traverse: Some(|o, visit| {
                if let Some(t) = o.downcast::<TreeBuilderData>() {
                    t.each(visit);
                }
            }),
            clear: Some(|o| {
                if let Some(t) = o.downcast::<TreeBuilderData>() {
                    let mut keep = Vec::new();
                    for cell in [&t.root, &t.this, &t.last, &t.last_for_tail, &t.element_factory, &t.comment_factory, &t.pi_factory] {
                        if let Ok(mut x) = cell.try_borrow_mut() {
                            keep.extend(x.take());
                        }
                    }
                    if let Ok(mut d) = t.data.try_borrow_mut() {
                        keep.append(&mut d);
                    }
                    if let Ok(mut s) = t.stack.try_borrow_mut() {
                        keep.extend(s.drain(..).flatten());
                    }
                    if let Ok(mut ev) = t.events.try_borrow_mut() {
                        let old = std::mem::take(&mut *ev);
                        keep.extend(old.objs().into_iter().flatten().cloned());
                    }
                    drop(keep);
                }
            }),
            ..object_slots()
        };
        taipan_vm::native::new_type::<TreeBuilderData>(vm, TYPE_NAME, &[], true, slots, METHODS, &[])
    })
}

/// A TreeBuilder made for an `XMLParser` without a target.
pub fn new_builder(vm: &Vm) -> Obj {
    let t = blank();
    let st = state(vm);
    drop(t.comment_factory.replace(st.comment_factory.borrow().clone()));
    drop(t.pi_factory.replace(st.pi_factory.borrow().clone()));
    alloc(builder_type(vm), t)
}

pub fn builder<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a TreeBuilderData> {
    o.downcast::<TreeBuilderData>()
        .ok_or_else(|| vm.type_error(format!("descriptor requires a '{TYPE_NAME}' object but received '{}'", type_name(o))))
}

/// The builder behind `o` when `o` is exactly a TreeBuilder (not a
/// subclass): the parser's shortcut.
pub fn exact_builder<'a>(vm: &Vm, o: &'a Obj) -> Option<&'a TreeBuilderData> {
    if type_of(o).is(&builder_type(vm)) {
        o.downcast::<TreeBuilderData>()
    } else {
        None
    }
}

static INIT_PARAMS: Params = Params {
    fname: "TreeBuilder",
    names: &["element_factory", "comment_factory", "pi_factory", "insert_comments", "insert_pis"],
    posonly: 0,
    kwonly: 4,
    required: 0,
};

fn tb_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [ef, cf, pf, ic, ip] = bind::<5>(vm, &INIT_PARAMS, args, kw)?;
    let t = builder(vm, this)?;
    let not_none = |o: Option<Obj>| o.filter(|o| !o.is(&vm.none));
    let ic = match ic {
        Some(v) => ops::truth(vm, &v)?,
        None => false,
    };
    let ip = match ip {
        Some(v) => ops::truth(vm, &v)?,
        None => false,
    };
    drop(t.element_factory.replace(not_none(ef)));
    let st = state(vm);
    let cf = not_none(cf).or_else(|| st.comment_factory.borrow().clone());
    t.insert_comments.set(cf.is_some() && ic);
    drop(t.comment_factory.replace(cf));
    let pf = not_none(pf).or_else(|| st.pi_factory.borrow().clone());
    t.insert_pis.set(pf.is_some() && ip);
    drop(t.pi_factory.replace(pf));
    Ok(vm.none.clone())
}

fn join(vm: &Vm, data: Vec<Obj>) -> PyResult<Obj> {
    if data.len() == 1 {
        return Ok(data.into_iter().next().expect("one item"));
    }
    let mut s = String::new();
    for (i, d) in data.iter().enumerate() {
        match d.downcast::<StrData>() {
            Some(x) => s.push_str(&x.as_str()),
            None => return Err(vm.type_error(format!("sequence item {i}: expected str instance, {} found", type_name(d)))),
        }
    }
    Ok(new_str(vm, &s))
}

impl TreeBuilderData {
    /// Stores pending character data as the text of the last element or
    /// the tail of the last closed one.
    fn flush(&self, vm: &Vm) -> PyResult<()> {
        if self.data.borrow().is_empty() {
            return Ok(());
        }
        let (target, is_tail) = match self.last_for_tail.borrow().clone() {
            Some(t) => (t, true),
            None => match self.last.borrow().clone() {
                Some(l) => (l, false),
                None => return Ok(()),
            },
        };
        let data = std::mem::take(&mut *self.data.borrow_mut());
        let joined = join(vm, data)?;
        if is_exact_element(vm, &target) {
            let e = elem(vm, &target)?;
            let cell = if is_tail { &e.tail } else { &e.text };
            let cur = cell.borrow().clone();
            if cur.is(&vm.none) {
                drop(cell.replace(joined));
                return Ok(());
            }
            let new = ops::binary_op(vm, taipan_vm::BinaryOp::Add, &cur, &joined)?;
            drop(cell.replace(new));
            return Ok(());
        }
        let name = if is_tail { "tail" } else { "text" };
        let prev = util::getattr(vm, &target, name)?;
        let new = if prev.is(&vm.none) { joined } else { ops::binary_op(vm, taipan_vm::BinaryOp::Add, &prev, &joined)? };
        taipan_vm::classes::setattr(vm, &target, &vm.intern(name), new)
    }

    fn append_event(&self, vm: &Vm, which: fn(&Events) -> &Option<Obj>, node: &Obj) -> PyResult<()> {
        let (append, ev) = {
            let e = self.events.borrow();
            (e.append.clone(), which(&e).clone())
        };
        if let (Some(append), Some(ev)) = (append, ev) {
            util::call(vm, &append, &[new_tuple(vm, vec![ev, node.clone()])])?;
        }
        Ok(())
    }

    pub fn wants(&self, which: fn(&Events) -> &Option<Obj>) -> bool {
        let e = self.events.borrow();
        e.append.is_some() && which(&e).is_some()
    }

    pub fn handle_start(&self, vm: &Vm, tag: Obj, attrib: Option<Obj>) -> PyResult<Obj> {
        self.flush(vm)?;
        let factory = self.element_factory.borrow().clone();
        let node = match factory {
            None => new_element(vm, tag, attrib),
            Some(f) => {
                let a = attrib.unwrap_or_else(|| new_dict(vm));
                util::call(vm, &f, &[tag, a])?
            }
        };
        let this = self.this.borrow().clone();
        drop(self.last_for_tail.replace(None));
        match &this {
            Some(parent) => add_child(vm, parent, &node)?,
            None => {
                if self.root.borrow().is_some() {
                    return Err(parse_error(vm, "multiple elements on top level"));
                }
                drop(self.root.replace(Some(node.clone())));
            }
        }
        self.stack.borrow_mut().push(this);
        drop(self.this.replace(Some(node.clone())));
        drop(self.last.replace(Some(node.clone())));
        self.append_event(vm, |e| &e.start, &node)?;
        Ok(node)
    }

    pub fn handle_data(&self, data: Obj) {
        if self.data.borrow().is_empty() && self.last.borrow().is_none() {
            return;
        }
        self.data.borrow_mut().push(data);
    }

    pub fn handle_end(&self, vm: &Vm) -> PyResult<Obj> {
        self.flush(vm)?;
        let Some(parent) = self.stack.borrow_mut().pop() else {
            return Err(vm.new_error(&vm.types.index_error, "pop from empty stack"));
        };
        let this = std::mem::replace(&mut *self.this.borrow_mut(), parent);
        let old = std::mem::replace(&mut *self.last.borrow_mut(), this.clone());
        drop(self.last_for_tail.replace(this.clone()));
        drop(old);
        let last = this.unwrap_or_else(|| vm.none.clone());
        self.append_event(vm, |e| &e.end, &last)?;
        Ok(last)
    }

    pub fn handle_comment(&self, vm: &Vm, text: Obj) -> PyResult<Obj> {
        self.flush(vm)?;
        let factory = self.comment_factory.borrow().clone();
        let comment = match factory {
            Some(f) => {
                let c = util::call(vm, &f, &[text])?;
                let this = self.this.borrow().clone();
                if let (true, Some(parent)) = (self.insert_comments.get(), this) {
                    add_child(vm, &parent, &c)?;
                    drop(self.last_for_tail.replace(Some(c.clone())));
                }
                c
            }
            None => text,
        };
        self.append_event(vm, |e| &e.comment, &comment)?;
        Ok(comment)
    }

    pub fn handle_pi(&self, vm: &Vm, target: Obj, text: Obj) -> PyResult<Obj> {
        self.flush(vm)?;
        let factory = self.pi_factory.borrow().clone();
        let pi = match factory {
            Some(f) => {
                let p = util::call(vm, &f, &[target, text])?;
                let this = self.this.borrow().clone();
                if let (true, Some(parent)) = (self.insert_pis.get(), this) {
                    add_child(vm, &parent, &p)?;
                    drop(self.last_for_tail.replace(Some(p.clone())));
                }
                p
            }
            None => new_tuple(vm, vec![target, text]),
        };
        self.append_event(vm, |e| &e.pi, &pi)?;
        Ok(pi)
    }

    pub fn handle_start_ns(&self, vm: &Vm, prefix: Obj, uri: Obj) -> PyResult<()> {
        self.append_event(vm, |e| &e.start_ns, &new_tuple(vm, vec![prefix, uri]))
    }

    pub fn handle_end_ns(&self, vm: &Vm, prefix: Obj) -> PyResult<()> {
        self.append_event(vm, |e| &e.end_ns, &prefix)
    }

    pub fn done(&self, vm: &Vm) -> Obj {
        self.root.borrow().clone().unwrap_or_else(|| vm.none.clone())
    }
}

/// Appends `child` to `parent`: directly for an exact Element, else by
/// calling `parent.append(child)`.
fn add_child(vm: &Vm, parent: &Obj, child: &Obj) -> PyResult<()> {
    if is_exact_element(vm, parent) {
        add_subelement(vm, elem(vm, parent)?, child)
    } else {
        util::call_method(vm, parent, "append", std::slice::from_ref(child)).map(|_| ())
    }
}

fn m_data(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [data] = exact::<1>(vm, "TreeBuilder.data", args, kw)?;
    builder(vm, this)?.handle_data(data);
    Ok(vm.none.clone())
}

fn m_start(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::no_kwargs(vm, "start", kw)?;
    if args.len() != 2 {
        return Err(vm.type_error(format!("start expected 2 arguments, got {}", args.len())));
    }
    let t = builder(vm, this)?;
    if args[1].downcast::<DictData>().is_none() {
        return Err(vm.type_error(format!("start() argument 2 must be dict, not {}", type_name(&args[1]))));
    }
    t.handle_start(vm, args[0].clone(), Some(args[1].clone()))
}

fn m_end(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [_tag] = exact::<1>(vm, "TreeBuilder.end", args, kw)?;
    builder(vm, this)?.handle_end(vm)
}

fn m_comment(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [text] = exact::<1>(vm, "TreeBuilder.comment", args, kw)?;
    builder(vm, this)?.handle_comment(vm, text)
}

fn m_pi(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [target, text] = taipan_vm::native::at_most::<2>(vm, "pi", 1, args, kw)?;
    let target = target.unwrap_or_else(|| vm.none.clone());
    builder(vm, this)?.handle_pi(vm, target, text.unwrap_or_else(|| vm.none.clone()))
}

fn m_close(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "TreeBuilder.close", args, kw)?;
    Ok(builder(vm, this)?.done(vm))
}

static METHODS: &[MethodDef] = &[
    MethodDef::method("data", m_data, ""),
    MethodDef::method("start", m_start, ""),
    MethodDef::method("end", m_end, ""),
    MethodDef::method("comment", m_comment, ""),
    MethodDef::method("pi", m_pi, ""),
    MethodDef::method("close", m_close, ""),
];
