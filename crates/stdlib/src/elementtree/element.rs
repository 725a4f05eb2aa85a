//! The `Element` type (CPython's C `Element`: tag, attrib, text, tail,
//! children, the sequence protocol, copies and pickling state) and the
//! pre-order iterator behind `iter()` and `itertext()`.

use std::cell::RefCell;

use taipan_vm::native::{bind, exact, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::ops;
use taipan_vm::sequence::{slice_indices, SliceData};
use taipan_vm::types::builtin::{
    bytes_data, dict_copy, dict_get, dict_items, dict_set, int_data, new_dict, new_list, new_str, new_tuple, object_slots, type_name,
    DictData, ListData, StrData,
};
use taipan_vm::types::{lookup, type_data, type_of, Kwargs, Slots};
use taipan_vm::{PyResult, Vm};

use super::state;
use crate::util;

/// The fields of an `Element` (also of instances of Python subclasses).
pub struct ElementData {
    pub tag: RefCell<Obj>,
    pub text: RefCell<Obj>,
    pub tail: RefCell<Obj>,
    /// `None` until attributes exist or `.attrib` is read.
    pub attrib: RefCell<Option<Obj>>,
    pub children: RefCell<Vec<Obj>>,
}

impl ElementData {
    fn blank(vm: &Vm, tag: Obj) -> ElementData {
        ElementData {
            tag: RefCell::new(tag),
            text: RefCell::new(vm.none.clone()),
            tail: RefCell::new(vm.none.clone()),
            attrib: RefCell::new(None),
            children: RefCell::new(Vec::new()),
        }
    }

    pub fn len(&self) -> usize {
        self.children.borrow().len()
    }

    /// The attribute dict, created when missing.
    pub fn attrib(&self, vm: &Vm) -> Obj {
        self.attrib.borrow_mut().get_or_insert_with(|| new_dict(vm)).clone()
    }

    pub fn push(&self, child: Obj) {
        self.children.borrow_mut().push(child);
    }
}

pub const TYPE_NAME: &str = "xml.etree.ElementTree.Element";

pub fn element_type(vm: &Vm) -> Obj {
    vm.native_type(TYPE_NAME, |vm| {
        let slots = Slots {
            new: Some(|vm, cls, _args, _kw| Ok(alloc(cls.clone(), ElementData::blank(vm, vm.none.clone())))),
            init: Some(element_init),
            repr: Some(element_repr),
            bool: Some(|vm, o| Ok(elem(vm, o)?.len() > 0)),
            traverse: Some(|o, visit| {
                if let Some(e) = o.downcast::<ElementData>() {
                    for cell in [&e.tag, &e.text, &e.tail] {
                        if let Ok(x) = cell.try_borrow() {
                            visit(&x);
                        }
                    }
                    if let Ok(a) = e.attrib.try_borrow() {
                        if let Some(a) = a.as_ref() {
                            visit(a);
                        }
                    }
                    if let Ok(c) = e.children.try_borrow() {
                        c.iter().for_each(visit);
                    }
                }
            }),
            clear: Some(|o| {
                if let Some(e) = o.downcast::<ElementData>() {
                    let kids = e.children.try_borrow_mut().map(|mut c| std::mem::take(&mut *c));
                    let attrib = e.attrib.try_borrow_mut().map(|mut a| a.take());
                    drop((kids, attrib));
                }
            }),
            ..object_slots()
        };
        let t = taipan_vm::native::new_type::<ElementData>(vm, TYPE_NAME, &[], true, slots, METHODS, GETSETS);
        type_data(&t).weakrefable.set(true);
        t
    })
}

/// A new `Element` (exactly that type) with `attrib` kept as given unless
/// it is an empty dict (CPython's `create_new_element`).
pub fn new_element(vm: &Vm, tag: Obj, attrib: Option<Obj>) -> Obj {
    let d = ElementData::blank(vm, tag);
    if let Some(a) = attrib {
        if !is_empty_dict(vm, &a) {
            drop(d.attrib.replace(Some(a)));
        }
    }
    alloc(element_type(vm), d)
}

fn is_empty_dict(vm: &Vm, o: &Obj) -> bool {
    type_of(o).is(&vm.types.dict) && taipan_vm::types::builtin::dict_len(o) == 0
}

pub fn elem<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a ElementData> {
    o.downcast::<ElementData>()
        .ok_or_else(|| vm.type_error(format!("descriptor requires a '{TYPE_NAME}' object but received '{}'", type_name(o))))
}

pub fn is_element(o: &Obj) -> bool {
    o.downcast::<ElementData>().is_some()
}

pub fn is_exact_element(vm: &Vm, o: &Obj) -> bool {
    type_of(o).is(&element_type(vm))
}

/// `expected an Element, not "int"`.
pub fn expected_element(vm: &Vm, o: &Obj) -> taipan_vm::PyErr {
    vm.type_error(format!("expected an Element, not \"{}\"", type_name(o)))
}

/// Appends `child` (which must be an Element) to `parent`.
pub fn add_subelement(vm: &Vm, parent: &ElementData, child: &Obj) -> PyResult<()> {
    if !is_element(child) {
        return Err(expected_element(vm, child));
    }
    parent.push(child.clone());
    Ok(())
}

fn arg_element(vm: &Vm, fname: &str, argn: &str, o: &Obj) -> PyResult<()> {
    if is_element(o) {
        Ok(())
    } else {
        Err(vm.type_error(format!("{fname}() argument{argn} must be {TYPE_NAME}, not {}", type_name(o))))
    }
}

fn is_dict(o: &Obj) -> bool {
    o.downcast::<DictData>().is_some()
}

/// The attribute dict from `attrib` (positional) and keyword arguments,
/// as `Element()` and `SubElement()` build it.
pub fn attrib_from_args(vm: &Vm, attrib: Option<&Obj>, kw: Kwargs) -> PyResult<Option<Obj>> {
    if let Some(a) = attrib {
        let d = dict_copy(vm, a);
        for (k, v) in kw {
            dict_set(vm, &d, k.clone(), v.clone())?;
        }
        return Ok(Some(d));
    }
    if kw.is_empty() {
        return Ok(None);
    }
    let mut out = None;
    for (k, v) in kw {
        if k.downcast::<StrData>().is_some_and(|s| s.as_str() == "attrib") {
            if !is_dict(v) {
                return Err(vm.type_error(format!("attrib must be dict, not {}", type_name(v))));
            }
            out = Some(dict_copy(vm, v));
        }
    }
    let d = out.unwrap_or_else(|| new_dict(vm));
    for (k, v) in kw {
        if k.downcast::<StrData>().is_none_or(|s| s.as_str() != "attrib") {
            dict_set(vm, &d, k.clone(), v.clone())?;
        }
    }
    Ok(Some(d))
}

fn element_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let e = elem(vm, this)?;
    if args.is_empty() {
        return Err(vm.type_error("Element() takes at least 1 argument (0 given)"));
    }
    if args.len() > 2 {
        return Err(vm.type_error(format!("Element() takes at most 2 arguments ({} given)", args.len())));
    }
    if let Some(a) = args.get(1) {
        if !is_dict(a) {
            return Err(vm.type_error(format!("Element() argument 2 must be dict, not {}", type_name(a))));
        }
    }
    let attrib = attrib_from_args(vm, args.get(1), kw)?;
    if let Some(a) = attrib {
        if !is_empty_dict(vm, &a) {
            drop(e.attrib.replace(Some(a)));
        }
    }
    drop(e.tag.replace(args[0].clone()));
    drop(e.text.replace(vm.none.clone()));
    drop(e.tail.replace(vm.none.clone()));
    Ok(vm.none.clone())
}

fn element_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let e = elem(vm, o)?;
    let Some(_guard) = taipan_vm::types::container::ReprGuard::enter(vm, o) else {
        return Err(vm.new_error(&vm.types.runtime_error, format!("reentrant call inside {}.__repr__", type_name(o))));
    };
    let tag = e.tag.borrow().clone();
    let r = util::repr(vm, &tag)?;
    Ok(new_str(vm, &format!("<Element {r} at {:#x}>", o.as_ptr() as usize)))
}

// ------------------------------------------------------------ methods

fn m_append(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [sub] = exact::<1>(vm, "append", args, kw)?;
    let e = elem(vm, this)?;
    arg_element(vm, "append", "", &sub)?;
    e.push(sub);
    Ok(vm.none.clone())
}

fn m_clear(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "Element.clear", args, kw)?;
    let e = elem(vm, this)?;
    let kids = std::mem::take(&mut *e.children.borrow_mut());
    let attrib = e.attrib.borrow_mut().take();
    let text = std::mem::replace(&mut *e.text.borrow_mut(), vm.none.clone());
    let tail = std::mem::replace(&mut *e.tail.borrow_mut(), vm.none.clone());
    drop((kids, attrib, text, tail));
    Ok(vm.none.clone())
}

fn m_copy(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "Element.__copy__", args, kw)?;
    let e = elem(vm, this)?;
    let tag = e.tag.borrow().clone();
    let attrib = e.attrib.borrow().clone();
    let n = new_element(vm, tag, attrib);
    let d = elem(vm, &n)?;
    drop(d.text.replace(e.text.borrow().clone()));
    drop(d.tail.replace(e.tail.borrow().clone()));
    drop(d.children.replace(e.children.borrow().clone()));
    Ok(n)
}

fn m_deepcopy(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [memo] = exact::<1>(vm, "__deepcopy__", args, kw)?;
    if !is_dict(&memo) {
        return Err(vm.type_error(format!("__deepcopy__() argument must be dict, not {}", type_name(&memo))));
    }
    deepcopy_element(vm, this, &memo)
}

fn deepcopy_element(vm: &Vm, this: &Obj, memo: &Obj) -> PyResult<Obj> {
    let e = elem(vm, this)?;
    let tag = e.tag.borrow().clone();
    let tag = deepcopy(vm, &tag, memo)?;
    let attrib = e.attrib.borrow().clone();
    let attrib = match attrib {
        Some(a) => Some(deepcopy(vm, &a, memo)?),
        None => None,
    };
    let n = new_element(vm, tag, attrib);
    let d = elem(vm, &n)?;
    let text = e.text.borrow().clone();
    drop(d.text.replace(deepcopy(vm, &text, memo)?));
    let tail = e.tail.borrow().clone();
    drop(d.tail.replace(deepcopy(vm, &tail, memo)?));
    let kids = e.children.borrow().clone();
    let mut out = Vec::with_capacity(kids.len());
    for k in &kids {
        let c = deepcopy(vm, k, memo)?;
        if !is_element(&c) {
            return Err(expected_element(vm, &c));
        }
        out.push(c);
    }
    drop(d.children.replace(out));
    dict_set(vm, memo, vm.int(this.as_ptr() as usize as i64), n.clone())?;
    Ok(n)
}

/// `copy.deepcopy(o, memo)` with the fast paths of the C module.
fn deepcopy(vm: &Vm, o: &Obj, memo: &Obj) -> PyResult<Obj> {
    if o.is(&vm.none) || type_of(o).is(&vm.types.str_) {
        return Ok(o.clone());
    }
    if type_of(o).is(&vm.types.dict) {
        let items = dict_items(o);
        if items.iter().all(|(k, v)| type_of(k).is(&vm.types.str_) && type_of(v).is(&vm.types.str_)) {
            return Ok(dict_copy(vm, o));
        }
    }
    if is_exact_element(vm, o) {
        if let Some(done) = dict_get(vm, memo, &vm.int(o.as_ptr() as usize as i64))? {
            return Ok(done);
        }
        return deepcopy_element(vm, o, memo);
    }
    let f = state(vm).deepcopy(vm)?;
    util::call(vm, &f, &[o.clone(), memo.clone()])
}

fn m_sizeof(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "Element.__sizeof__", args, kw)?;
    let e = elem(vm, this)?;
    let mut n = 56;
    if e.attrib.borrow().is_some() || e.len() > 0 {
        n += 72;
        if e.len() > 4 {
            n += 8 * e.children.borrow().capacity();
        }
    }
    Ok(vm.int(n as i64))
}

fn m_getstate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "Element.__getstate__", args, kw)?;
    let e = elem(vm, this)?;
    let d = new_dict(vm);
    dict_set(vm, &d, new_str(vm, "tag"), e.tag.borrow().clone())?;
    dict_set(vm, &d, new_str(vm, "_children"), new_list(vm, e.children.borrow().clone()))?;
    let attrib = e.attrib.borrow().clone().unwrap_or_else(|| new_dict(vm));
    dict_set(vm, &d, new_str(vm, "attrib"), attrib)?;
    dict_set(vm, &d, new_str(vm, "text"), e.text.borrow().clone())?;
    dict_set(vm, &d, new_str(vm, "tail"), e.tail.borrow().clone())?;
    Ok(d)
}

fn m_setstate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [state] = exact::<1>(vm, "__setstate__", args, kw)?;
    let e = elem(vm, this)?;
    if !type_of(&state).is(&vm.types.dict) {
        let r = util::repr(vm, &state)?;
        let r: String = r.chars().take(200).collect();
        return Err(vm.type_error(format!("Don't know how to unpickle \"{r}\" as an Element")));
    }
    let (mut tag, mut attrib, mut text, mut tail, mut children) = (None, None, None, None, None);
    for (k, v) in dict_items(&state) {
        let name = k.downcast::<StrData>().map(|s| s.as_str().into_owned());
        match name.as_deref() {
            Some("tag") => tag = Some(v),
            Some("attrib") => attrib = Some(v),
            Some("text") => text = Some(v),
            Some("tail") => tail = Some(v),
            Some("_children") => children = Some(v),
            Some(other) => return Err(vm.type_error(format!("'{other}' is an invalid keyword argument for this function"))),
            None => return Err(vm.type_error("keywords must be strings")),
        }
    }
    let Some(tag) = tag else {
        return Err(vm.type_error("tag may not be NULL"));
    };
    drop(e.tag.replace(tag));
    drop(e.text.replace(text.unwrap_or_else(|| vm.none.clone())));
    drop(e.tail.replace(tail.unwrap_or_else(|| vm.none.clone())));
    if children.is_none() && attrib.is_none() {
        return Ok(vm.none.clone());
    }
    if let Some(c) = children {
        let Some(l) = c.downcast::<ListData>() else {
            return Err(vm.type_error("'_children' is not a list"));
        };
        let items = l.items.borrow().clone();
        let mut kids = Vec::with_capacity(items.len());
        for child in items {
            if !is_element(&child) {
                drop(e.children.replace(kids));
                return Err(expected_element(vm, &child));
            }
            kids.push(child);
        }
        drop(e.children.replace(kids));
    }
    drop(e.attrib.replace(attrib));
    Ok(vm.none.clone())
}

/// Whether `path` may be an ElementPath expression rather than a tag.
fn checkpath(o: &Obj) -> bool {
    let scan = |cs: &mut dyn Iterator<Item = char>, first3: [Option<char>; 3]| -> bool {
        if let [Some('{'), Some(b), Some(c)] = first3 {
            if b == '}' || (b == '*' && c == '}') {
                return true;
            }
        }
        let mut check = true;
        for ch in cs {
            match ch {
                '{' => check = false,
                '}' => check = true,
                '/' | '*' | '[' | '@' | '.' if check => return true,
                _ => {}
            }
        }
        false
    };
    if let Some(s) = o.downcast::<StrData>() {
        let s = s.as_str();
        let mut f = s.chars();
        let first3 = [f.next(), f.next(), f.next()];
        return scan(&mut s.chars(), first3);
    }
    if let Some(b) = bytes_data(o) {
        let g = |i: usize| b.get(i).map(|&c| c as char);
        return scan(&mut b.iter().map(|&c| c as char), [g(0), g(1), g(2)]);
    }
    true
}

fn elementpath(vm: &Vm, fname: &str, args: &[Obj]) -> PyResult<Obj> {
    let ep = state(vm).elementpath(vm)?;
    util::call_method(vm, &ep, fname, args)
}

static FIND_PARAMS: Params = Params { fname: "find", names: &["path", "namespaces"], posonly: 0, kwonly: 0, required: 1 };
static FINDALL_PARAMS: Params = Params { fname: "findall", names: &["path", "namespaces"], posonly: 0, kwonly: 0, required: 1 };
static ITERFIND_PARAMS: Params = Params { fname: "iterfind", names: &["path", "namespaces"], posonly: 0, kwonly: 0, required: 1 };
static FINDTEXT_PARAMS: Params =
    Params { fname: "findtext", names: &["path", "default", "namespaces"], posonly: 0, kwonly: 0, required: 1 };

/// The children whose tag equals `path` (stopping at the first if `first`).
fn match_children(vm: &Vm, e: &ElementData, path: &Obj, first: bool) -> PyResult<Vec<Obj>> {
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        let Some(child) = e.children.borrow().get(i).cloned() else { break };
        i += 1;
        let Some(c) = child.downcast::<ElementData>() else { continue };
        let tag = c.tag.borrow().clone();
        let same = tag.is(path) || ops::eq(vm, &tag, path)?;
        if same {
            out.push(child);
            if first {
                break;
            }
        }
    }
    Ok(out)
}

fn m_find(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [path, ns] = bind::<2>(vm, &FIND_PARAMS, args, kw)?;
    let path = path.unwrap_or_else(|| vm.none.clone());
    let ns = ns.unwrap_or_else(|| vm.none.clone());
    let e = elem(vm, this)?;
    if checkpath(&path) || !ns.is(&vm.none) {
        return elementpath(vm, "find", &[this.clone(), path, ns]);
    }
    Ok(match_children(vm, e, &path, true)?.pop().unwrap_or_else(|| vm.none.clone()))
}

fn m_findtext(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [path, default, ns] = bind::<3>(vm, &FINDTEXT_PARAMS, args, kw)?;
    let path = path.unwrap_or_else(|| vm.none.clone());
    let default = default.unwrap_or_else(|| vm.none.clone());
    let ns = ns.unwrap_or_else(|| vm.none.clone());
    let e = elem(vm, this)?;
    if checkpath(&path) || !ns.is(&vm.none) {
        return elementpath(vm, "findtext", &[this.clone(), path, default, ns]);
    }
    match match_children(vm, e, &path, true)?.pop() {
        Some(c) => {
            let text = elem(vm, &c)?.text.borrow().clone();
            Ok(if text.is(&vm.none) { new_str(vm, "") } else { text })
        }
        None => Ok(default),
    }
}

fn m_findall(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [path, ns] = bind::<2>(vm, &FINDALL_PARAMS, args, kw)?;
    let path = path.unwrap_or_else(|| vm.none.clone());
    let ns = ns.unwrap_or_else(|| vm.none.clone());
    let e = elem(vm, this)?;
    if checkpath(&path) || !ns.is(&vm.none) {
        return elementpath(vm, "findall", &[this.clone(), path, ns]);
    }
    Ok(new_list(vm, match_children(vm, e, &path, false)?))
}

fn m_iterfind(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [path, ns] = bind::<2>(vm, &ITERFIND_PARAMS, args, kw)?;
    let path = path.unwrap_or_else(|| vm.none.clone());
    let ns = ns.unwrap_or_else(|| vm.none.clone());
    elem(vm, this)?;
    elementpath(vm, "iterfind", &[this.clone(), path, ns])
}

static GET_PARAMS: Params = Params { fname: "get", names: &["key", "default"], posonly: 0, kwonly: 0, required: 1 };

fn m_get(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key, default] = bind::<2>(vm, &GET_PARAMS, args, kw)?;
    let key = key.unwrap_or_else(|| vm.none.clone());
    let e = elem(vm, this)?;
    let attrib = e.attrib.borrow().clone();
    if let Some(a) = attrib {
        if let Some(v) = dict_get(vm, &a, &key)? {
            return Ok(v);
        }
    }
    Ok(default.unwrap_or_else(|| vm.none.clone()))
}

fn m_set(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key, value] = exact::<2>(vm, "set", args, kw)?;
    let e = elem(vm, this)?;
    let a = e.attrib(vm);
    dict_set(vm, &a, key, value)?;
    Ok(vm.none.clone())
}

fn m_keys(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "Element.keys", args, kw)?;
    let a = elem(vm, this)?.attrib.borrow().clone();
    Ok(match a {
        Some(a) => new_list(vm, dict_items(&a).into_iter().map(|(k, _)| k).collect()),
        None => new_list(vm, vec![]),
    })
}

fn m_items(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "Element.items", args, kw)?;
    let a = elem(vm, this)?.attrib.borrow().clone();
    Ok(match a {
        Some(a) => new_list(vm, dict_items(&a).into_iter().map(|(k, v)| new_tuple(vm, vec![k, v])).collect()),
        None => new_list(vm, vec![]),
    })
}

fn m_extend(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [elements] = exact::<1>(vm, "extend", args, kw)?;
    let e = elem(vm, this)?;
    let items = match util::collect(vm, &elements) {
        Ok(v) => v,
        Err(err) if util::is_error(&err, &vm.types.type_error) && ops::iter(vm, &elements).is_err() => {
            return Err(vm.type_error(format!("expected sequence, not \"{}\"", type_name(&elements))));
        }
        Err(err) => return Err(err),
    };
    for x in items {
        add_subelement(vm, e, &x)?;
    }
    Ok(vm.none.clone())
}

fn m_insert(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [index, sub] = exact::<2>(vm, "insert", args, kw)?;
    let e = elem(vm, this)?;
    let i = util::to_isize(vm, &index)?;
    arg_element(vm, "insert", " 2", &sub)?;
    let mut kids = e.children.borrow_mut();
    let len = kids.len() as isize;
    let i = if i < 0 { (i + len).max(0) } else { i.min(len) };
    kids.insert(i as usize, sub);
    drop(kids);
    Ok(vm.none.clone())
}

fn m_remove(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [sub] = exact::<1>(vm, "remove", args, kw)?;
    let e = elem(vm, this)?;
    arg_element(vm, "remove", "", &sub)?;
    // As in 3.11, the comparisons may change the children: the search
    // goes on over the current list.
    let mut i = 0;
    loop {
        let Some(child) = e.children.borrow().get(i).cloned() else { break };
        if child.is(&sub) || ops::eq(vm, &child, &sub)? {
            break;
        }
        i += 1;
    }
    if i >= e.len() {
        return Err(vm.new_error(&vm.types.value_error, "list.remove(x): x not in list"));
    }
    let old = e.children.borrow_mut().remove(i);
    drop(old);
    Ok(vm.none.clone())
}

fn m_makeelement(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [tag, attrib] = exact::<2>(vm, "makeelement", args, kw)?;
    elem(vm, this)?;
    if !is_dict(&attrib) {
        return Err(vm.type_error(format!("makeelement() argument 2 must be dict, not {}", type_name(&attrib))));
    }
    let a = dict_copy(vm, &attrib);
    Ok(new_element(vm, tag, Some(a)))
}

static ITER_PARAMS: Params = Params { fname: "iter", names: &["tag"], posonly: 0, kwonly: 0, required: 0 };

fn m_iter(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [tag] = bind::<1>(vm, &ITER_PARAMS, args, kw)?;
    elem(vm, this)?;
    let mut tag = tag.unwrap_or_else(|| vm.none.clone());
    let star = tag.downcast::<StrData>().is_some_and(|s| s.as_str() == "*") || bytes_data(&tag).is_some_and(|b| b == b"*");
    if star {
        tag = vm.none.clone();
    }
    Ok(new_iter(vm, this, tag, false))
}

fn m_itertext(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "Element.itertext", args, kw)?;
    elem(vm, this)?;
    Ok(new_iter(vm, this, vm.none.clone(), true))
}

// ------------------------------------------------------- sequence protocol

fn has_index(o: &Obj) -> bool {
    int_data(o).is_some() || lookup(&type_of(o), "__index__").is_some()
}

/// `PyNumber_AsSsize_t(o, IndexError)`.
fn index_value(vm: &Vm, o: &Obj) -> PyResult<isize> {
    match util::to_isize(vm, o) {
        Err(e) if util::is_error(&e, &vm.types.overflow_error) => {
            Err(vm.new_error(&vm.types.index_error, format!("cannot fit '{}' into an index-sized integer", type_name(o))))
        }
        r => r,
    }
}

fn m_len(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__len__", args, kw)?;
    Ok(vm.int(elem(vm, this)?.len() as i64))
}

fn m_getitem(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key] = exact::<1>(vm, "__getitem__", args, kw)?;
    let e = elem(vm, this)?;
    if has_index(&key) {
        let mut i = index_value(vm, &key)?;
        let kids = e.children.borrow();
        if i < 0 {
            i += kids.len() as isize;
        }
        return match usize::try_from(i).ok().and_then(|i| kids.get(i)) {
            Some(c) => Ok(c.clone()),
            None => Err(vm.new_error(&vm.types.index_error, "child index out of range")),
        };
    }
    if let Some(s) = key.downcast::<SliceData>() {
        let len = e.len();
        let (start, stop, step) = slice_indices(vm, s, len as i64)?;
        let kids = e.children.borrow();
        let out = positions(start, stop, step).into_iter().filter_map(|k| kids.get(k).cloned()).collect();
        return Ok(new_list(vm, out));
    }
    Err(vm.type_error("element indices must be integers"))
}

/// The positions a slice selects, ascending or in slice order.
fn positions(start: i64, stop: i64, step: i64) -> Vec<usize> {
    let mut out = Vec::new();
    let mut k = start;
    while (step > 0 && k < stop) || (step < 0 && k > stop) {
        out.push(k as usize);
        match k.checked_add(step) {
            Some(n) => k = n,
            None => break,
        }
    }
    out
}

fn m_setitem(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key, value] = exact::<2>(vm, "__setitem__", args, kw)?;
    set_or_del(vm, this, &key, Some(value))
}

fn m_delitem(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [key] = exact::<1>(vm, "__delitem__", args, kw)?;
    set_or_del(vm, this, &key, None)
}

fn set_or_del(vm: &Vm, this: &Obj, key: &Obj, value: Option<Obj>) -> PyResult<Obj> {
    let e = elem(vm, this)?;
    if has_index(key) {
        let mut i = index_value(vm, key)?;
        let len = e.len() as isize;
        if i < 0 {
            i += len;
        }
        if i < 0 || i >= len {
            return Err(vm.new_error(&vm.types.index_error, "child assignment index out of range"));
        }
        let old = match value {
            Some(v) => {
                if !is_element(&v) {
                    return Err(expected_element(vm, &v));
                }
                std::mem::replace(&mut e.children.borrow_mut()[i as usize], v)
            }
            None => e.children.borrow_mut().remove(i as usize),
        };
        drop(old);
        return Ok(vm.none.clone());
    }
    let Some(s) = key.downcast::<SliceData>() else {
        return Err(vm.type_error("element indices must be integers"));
    };
    let len = e.len();
    let (start, stop, step) = slice_indices(vm, s, len as i64)?;
    let pos = positions(start, stop, step);
    let Some(value) = value else {
        if pos.is_empty() {
            return Ok(vm.none.clone());
        }
        let mut keep = vec![true; len];
        for p in &pos {
            keep[*p] = false;
        }
        let old = std::mem::take(&mut *e.children.borrow_mut());
        let mut removed = Vec::with_capacity(pos.len());
        let mut kept = Vec::with_capacity(len - pos.len());
        for (c, k) in old.into_iter().zip(keep) {
            if k {
                kept.push(c)
            } else {
                removed.push(c)
            }
        }
        drop(e.children.replace(kept));
        drop(removed);
        return Ok(vm.none.clone());
    };
    let items = match util::collect(vm, &value) {
        Ok(v) => v,
        Err(err) if util::is_error(&err, &vm.types.type_error) && ops::iter(vm, &value).is_err() => {
            return Err(vm.type_error(format!("expected sequence, not \"{}\"", type_name(&value))));
        }
        Err(err) => return Err(err),
    };
    if step != 1 && items.len() != pos.len() {
        return Err(vm.new_error(
            &vm.types.value_error,
            format!("attempt to assign sequence of size {} to extended slice of size {}", items.len(), pos.len()),
        ));
    }
    if let Some(bad) = items.iter().find(|x| !is_element(x)) {
        return Err(expected_element(vm, bad));
    }
    let recycle: Vec<Obj>;
    // Converting `value` ran Python code, which may have changed the
    // children: positions are clamped to the current length.
    let mut kids = e.children.borrow_mut();
    let now = kids.len();
    if step == 1 {
        let start = (start.max(0) as usize).min(now);
        let stop = (stop.max(start as i64) as usize).min(now);
        recycle = kids.splice(start..stop, items).collect();
    } else {
        recycle = pos.iter().zip(items).filter_map(|(p, x)| kids.get_mut(*p).map(|slot| std::mem::replace(slot, x))).collect();
    }
    drop(kids);
    drop(recycle);
    Ok(vm.none.clone())
}

static METHODS: &[MethodDef] = &[
    MethodDef::method("clear", m_clear, ""),
    MethodDef::method("get", m_get, ""),
    MethodDef::method("set", m_set, ""),
    MethodDef::method("find", m_find, ""),
    MethodDef::method("findtext", m_findtext, ""),
    MethodDef::method("findall", m_findall, ""),
    MethodDef::method("append", m_append, ""),
    MethodDef::method("extend", m_extend, ""),
    MethodDef::method("insert", m_insert, ""),
    MethodDef::method("remove", m_remove, ""),
    MethodDef::method("iter", m_iter, ""),
    MethodDef::method("itertext", m_itertext, ""),
    MethodDef::method("iterfind", m_iterfind, ""),
    MethodDef::method("items", m_items, ""),
    MethodDef::method("keys", m_keys, ""),
    MethodDef::method("makeelement", m_makeelement, ""),
    MethodDef::method("__copy__", m_copy, ""),
    MethodDef::method("__deepcopy__", m_deepcopy, ""),
    MethodDef::method("__sizeof__", m_sizeof, "Size of object in memory, in bytes."),
    MethodDef::method("__getstate__", m_getstate, ""),
    MethodDef::method("__setstate__", m_setstate, ""),
    MethodDef::method("__len__", m_len, "Return len(self)."),
    MethodDef::method("__getitem__", m_getitem, "Return self[key]."),
    MethodDef::method("__setitem__", m_setitem, "Set self[key] to value."),
    MethodDef::method("__delitem__", m_delitem, "Delete self[key]."),
];

fn no_delete(vm: &Vm) -> taipan_vm::PyErr {
    vm.new_error(&vm.types.attribute_error, "can't delete element attribute")
}

static GETSETS: &[GetSetDef] = &[
    GetSetDef::new(
        "tag",
        |vm, o| Ok(elem(vm, o)?.tag.borrow().clone()),
        |vm, o, v| {
            let v = v.ok_or_else(|| no_delete(vm))?;
            let old = std::mem::replace(&mut *elem(vm, o)?.tag.borrow_mut(), v);
            drop(old);
            Ok(())
        },
        "A string identifying what kind of data this element represents",
    ),
    GetSetDef::new(
        "text",
        |vm, o| Ok(elem(vm, o)?.text.borrow().clone()),
        |vm, o, v| {
            let v = v.ok_or_else(|| no_delete(vm))?;
            let old = std::mem::replace(&mut *elem(vm, o)?.text.borrow_mut(), v);
            drop(old);
            Ok(())
        },
        "A string of text directly after the start tag, or None",
    ),
    GetSetDef::new(
        "tail",
        |vm, o| Ok(elem(vm, o)?.tail.borrow().clone()),
        |vm, o, v| {
            let v = v.ok_or_else(|| no_delete(vm))?;
            let old = std::mem::replace(&mut *elem(vm, o)?.tail.borrow_mut(), v);
            drop(old);
            Ok(())
        },
        "A string of text directly after the end tag, or None",
    ),
    GetSetDef::new(
        "attrib",
        |vm, o| Ok(elem(vm, o)?.attrib(vm)),
        |vm, o, v| {
            let v = v.ok_or_else(|| no_delete(vm))?;
            if !is_dict(&v) {
                return Err(vm.type_error(format!("attrib must be dict, not {}", type_name(&v))));
            }
            let e = elem(vm, o)?;
            let old = e.attrib.borrow_mut().replace(v);
            drop(old);
            Ok(())
        },
        "A dictionary containing the element's attributes",
    ),
];

// ------------------------------------------------------------ iterator

/// `_elementtree._element_iterator`: pre-order traversal with a stack of
/// (parent, next child index).
pub struct ElementIter {
    root: RefCell<Option<Obj>>,
    stack: RefCell<Vec<(Obj, usize)>>,
    tag: Obj,
    gettext: bool,
}

fn iter_type(vm: &Vm) -> Obj {
    vm.native_type("_elementtree._element_iterator", |vm| {
        let slots = Slots {
            iter: Some(|_vm, o| Ok(o.clone())),
            next: Some(iter_next),
            traverse: Some(|o, visit| {
                if let Some(it) = o.downcast::<ElementIter>() {
                    visit(&it.tag);
                    if let Ok(r) = it.root.try_borrow() {
                        if let Some(r) = r.as_ref() {
                            visit(r);
                        }
                    }
                    if let Ok(s) = it.stack.try_borrow() {
                        s.iter().for_each(|(p, _)| visit(p));
                    }
                }
            }),
            clear: Some(|o| {
                if let Some(it) = o.downcast::<ElementIter>() {
                    let s = it.stack.try_borrow_mut().map(|mut s| std::mem::take(&mut *s));
                    let r = it.root.try_borrow_mut().map(|mut r| r.take());
                    drop((s, r));
                }
            }),
            ..object_slots()
        };
        let t = taipan_vm::native::new_type::<ElementIter>(vm, "_elementtree._element_iterator", &[], true, slots, &[], &[]);
        type_data(&t).dict.borrow_mut().remove("__new__");
        t
    })
}

fn new_iter(vm: &Vm, root: &Obj, tag: Obj, gettext: bool) -> Obj {
    alloc(iter_type(vm), ElementIter { root: RefCell::new(Some(root.clone())), stack: RefCell::new(Vec::new()), tag, gettext })
}

fn iter_next(vm: &Vm, o: &Obj) -> PyResult<Option<Obj>> {
    let Some(it) = o.downcast::<ElementIter>() else { return Ok(None) };
    loop {
        let root = it.root.borrow_mut().take();
        let node = match root {
            Some(r) => r,
            None => {
                let mut stack = it.stack.borrow_mut();
                let Some((parent, idx)) = stack.last_mut() else { return Ok(None) };
                let next = parent.downcast::<ElementData>().and_then(|p| p.children.borrow().get(*idx).cloned());
                match next {
                    Some(c) => {
                        *idx += 1;
                        c
                    }
                    None => {
                        let (done, _) = stack.pop().expect("stack is not empty");
                        let inner = !stack.is_empty();
                        drop(stack);
                        if it.gettext && inner {
                            let tail = elem(vm, &done)?.tail.borrow().clone();
                            if let Some(t) = text_value(vm, tail)? {
                                return Ok(Some(t));
                            }
                        }
                        continue;
                    }
                }
            }
        };
        it.stack.borrow_mut().push((node.clone(), 0));
        let e = elem(vm, &node)?;
        if it.gettext {
            let text = e.text.borrow().clone();
            if let Some(t) = text_value(vm, text)? {
                return Ok(Some(t));
            }
            continue;
        }
        if it.tag.is(&vm.none) {
            return Ok(Some(node));
        }
        let tag = e.tag.borrow().clone();
        if tag.is(&it.tag) || ops::eq(vm, &tag, &it.tag)? {
            return Ok(Some(node));
        }
    }
}

/// `text` if it is not None and true.
fn text_value(vm: &Vm, text: Obj) -> PyResult<Option<Obj>> {
    if text.is(&vm.none) {
        return Ok(None);
    }
    if let Some(s) = text.downcast::<StrData>() {
        return Ok(if s.as_str().is_empty() { None } else { Some(text) });
    }
    Ok(if ops::truth(vm, &text)? { Some(text) } else { None })
}
