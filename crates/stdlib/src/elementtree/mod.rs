//! `_elementtree`: the native `Element`, `SubElement`, `TreeBuilder` and
//! `XMLParser` that `xml.etree.ElementTree` swaps in for its Python
//! classes (`from _elementtree import *`), with CPython's C semantics.
//!
//! `element.rs` holds `Element` and its iterator, `builder.rs` the
//! `TreeBuilder`, `parser.rs` the `XMLParser` over the `pyexpat` parser
//! core; this file has the module state (comment/PI factories set by
//! `_set_factories`, `copy.deepcopy`, `xml.etree.ElementPath`), the
//! `ParseError` class and `SubElement`.

mod builder;
mod element;
mod parser;

use std::cell::RefCell;

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::FunctionDef;
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{new_exception, new_str, new_tuple, type_name, DictData};
use taipan_vm::types::Kwargs;
use taipan_vm::{PyErr, PyResult, Vm};

use crate::util;
use element::{add_subelement, attrib_from_args, elem, is_element, new_element};

/// Per-interpreter state of the module.
#[derive(Default)]
pub struct EtState {
    pub comment_factory: RefCell<Option<Obj>>,
    pub pi_factory: RefCell<Option<Obj>>,
    deepcopy: RefCell<Option<Obj>>,
    elementpath: RefCell<Option<Obj>>,
}

impl EtState {
    /// `copy.deepcopy`, imported at first use.
    pub fn deepcopy(&self, vm: &Vm) -> PyResult<Obj> {
        if let Some(f) = self.deepcopy.borrow().clone() {
            return Ok(f);
        }
        let copy = taipan_vm::import::import_absolute(vm, "copy")?;
        let f = util::getattr(vm, &copy, "deepcopy")?;
        drop(self.deepcopy.replace(Some(f.clone())));
        Ok(f)
    }

    /// The `xml.etree.ElementPath` module, imported at first use.
    pub fn elementpath(&self, vm: &Vm) -> PyResult<Obj> {
        if let Some(m) = self.elementpath.borrow().clone() {
            return Ok(m);
        }
        let m = taipan_vm::import::import_absolute(vm, "xml.etree.ElementPath")?;
        drop(self.elementpath.replace(Some(m.clone())));
        Ok(m)
    }
}

pub fn state(vm: &Vm) -> std::rc::Rc<EtState> {
    vm.state::<EtState>()
}

fn parse_error_class(vm: &Vm) -> PyResult<Obj> {
    util::exception_class(vm, "xml.etree.ElementTree.ParseError", std::slice::from_ref(&vm.types.syntax_error))
}

/// `ParseError(msg)` without position (the tree builder's errors).
pub fn parse_error(vm: &Vm, msg: &str) -> PyErr {
    match parse_error_class(vm) {
        Ok(cls) => PyErr { exc: new_exception(vm, &cls, vec![new_str(vm, msg)]) },
        Err(e) => e,
    }
}

pub struct ParseErrorInfo {
    pub code: u32,
    pub line: u64,
    pub col: u64,
    /// Replaces expat's message for `code`.
    pub message: Option<String>,
}

/// `ParseError("msg: line L, column C")` with `code` and `position`.
pub fn parse_error_at(vm: &Vm, info: ParseErrorInfo) -> PyErr {
    let cls = match parse_error_class(vm) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let text = info.message.unwrap_or_else(|| crate::pyexpat::message(info.code).to_string());
    let msg = format!("{text}: line {}, column {}", info.line, info.col);
    let exc = new_exception(vm, &cls, vec![new_str(vm, &msg)]);
    let pos = new_tuple(vm, vec![vm.int(info.line as i64), vm.int(info.col as i64)]);
    for (k, v) in [("code", vm.int(info.code as i64)), ("position", pos)] {
        if let Err(e) = taipan_vm::classes::setattr(vm, &exc, &vm.intern(k), v) {
            return e;
        }
    }
    PyErr { exc }
}

fn sub_element(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if args.len() < 2 {
        return Err(vm.type_error(format!("SubElement() takes at least 2 arguments ({} given)", args.len())));
    }
    if args.len() > 3 {
        return Err(vm.type_error(format!("SubElement() takes at most 3 arguments ({} given)", args.len())));
    }
    if !is_element(&args[0]) {
        return Err(vm.type_error(format!("SubElement() argument 1 must be {}, not {}", element::TYPE_NAME, type_name(&args[0]))));
    }
    if let Some(a) = args.get(2) {
        if a.downcast::<DictData>().is_none() {
            return Err(vm.type_error(format!("SubElement() argument 3 must be dict, not {}", type_name(a))));
        }
    }
    let attrib = attrib_from_args(vm, args.get(2), kw)?;
    let e = new_element(vm, args[1].clone(), attrib);
    add_subelement(vm, elem(vm, &args[0])?, &e)?;
    Ok(e)
}

fn set_factories(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [cf, pf] = taipan_vm::native::exact::<2>(vm, "_set_factories", args, kw)?;
    if !cf.is(&vm.none) && !taipan_vm::ops::callable(&cf) {
        return Err(vm.type_error(format!("Comment factory must be callable, not {}", type_name(&cf))));
    }
    if !pf.is(&vm.none) && !taipan_vm::ops::callable(&pf) {
        return Err(vm.type_error(format!("PI factory must be callable, not {}", type_name(&pf))));
    }
    let st = state(vm);
    let none = || vm.none.clone();
    let old =
        new_tuple(vm, vec![st.comment_factory.borrow().clone().unwrap_or_else(none), st.pi_factory.borrow().clone().unwrap_or_else(none)]);
    drop(st.comment_factory.replace(Some(cf).filter(|f| !f.is(&vm.none))));
    drop(st.pi_factory.replace(Some(pf).filter(|f| !f.is(&vm.none))));
    Ok(old)
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("SubElement", sub_element, ""),
    FunctionDef::new(
        "_set_factories",
        set_factories,
        "Change the factories used to create comments and processing instructions.\n\nFor internal use only.",
    ),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "Element", element::element_type(vm))?;
    add_attr(vm, m, "TreeBuilder", builder::builder_type(vm))?;
    add_attr(vm, m, "XMLParser", parser::parser_type(vm))?;
    add_attr(vm, m, "ParseError", parse_error_class(vm)?)?;
    Ok(())
}
