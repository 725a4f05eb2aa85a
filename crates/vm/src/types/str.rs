//! `str`.

use std::cell::Cell;

use crate::native::{exact, MethodDef};
use crate::object::{alloc, Obj};
use crate::types::builtin::*;
use crate::types::Kwargs;
use crate::types::Slots;
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::{BinaryOp, CompareOp};
use taipan_parser::wtf8::Wtf8Buf;

/// A `str`: code points (lone surrogates allowed) and a cached hash.
pub struct StrData {
    pub value: Wtf8Buf,
    hash: Cell<Option<i64>>,
}

impl StrData {
    pub fn as_str(&self) -> std::borrow::Cow<'_, str> {
        match self.value.as_str() {
            Some(s) => std::borrow::Cow::Borrowed(s),
            None => std::borrow::Cow::Owned(String::from_utf8_lossy(self.value.as_bytes()).into_owned()),
        }
    }
}

pub fn new_str(vm: &Vm, s: &str) -> Obj {
    new_str_wtf8(vm, Wtf8Buf::from_str(s))
}

pub fn new_str_wtf8(vm: &Vm, value: Wtf8Buf) -> Obj {
    alloc(vm.types.str_.clone(), StrData { value, hash: Cell::new(None) })
}

pub fn str_slots() -> Slots {
    Slots {
        new: Some(|vm, _, args, kw| match args {
            [_, rest @ ..] if !rest.is_empty() || !kw.is_empty() => crate::codecs::str_new_with_encoding(vm, args, kw),
            _ if !kw.is_empty() => Err(vm.type_error("this constructor takes no keyword arguments here")),
            [] => Ok(new_str(vm, "")),
            [x] => crate::ops::str(vm, x),
            _ => Err(vm.type_error("str() takes at most 1 argument here")),
        }),
        repr: Some(|vm, o| Ok(new_str(vm, &taipan_parser::repr::repr_str(&str_data(o).value)))),
        str: Some(|_, o| Ok(o.clone())),
        hash: Some(|_, o| Ok(str_hash(str_data(o)))),
        bool: Some(|_, o| Ok(!str_data(o).value.is_empty())),
        iter: Some(|vm, o| {
            // One-character strs, over a snapshot (strs are immutable).
            let chars = str_data(o)
                .value
                .code_points()
                .map(|c| {
                    let mut w = Wtf8Buf::new();
                    w.push_code_point(c);
                    new_str_wtf8(vm, w)
                })
                .collect();
            let snapshot = new_list(vm, chars);
            Ok(alloc(vm.types.list_iterator.clone(), ListIterData { list: snapshot, index: Cell::new(0) }))
        }),
        binary: Some(str_binary),
        compare: Some(str_compare),
        ..object_slots()
    }
}

pub fn str_data(o: &Obj) -> &StrData {
    match o.downcast::<StrData>() {
        Some(s) => s,
        None => unreachable!("str slot called on a non-str"),
    }
}

/// Placeholder string hash (FNV-1a over the stored bytes), cached. The
/// SipHash-1-3 hash CPython uses, with `PYTHONHASHSEED`, replaces it.
fn str_hash(s: &StrData) -> i64 {
    if let Some(h) = s.hash.get() {
        return h;
    }
    let mut h: u64 = 0xcbf29ce484222325;
    for &b in s.value.as_bytes() {
        h = (h ^ b as u64).wrapping_mul(0x100000001b3);
    }
    let h = if h as i64 == -1 { -2 } else { h as i64 };
    s.hash.set(Some(h));
    h
}

fn str_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    match (op, a.downcast::<StrData>(), b.downcast::<StrData>()) {
        (BinaryOp::Add, Some(x), Some(y)) => {
            let mut v = x.value.clone();
            v.push_wtf8(&y.value);
            Ok(new_str_wtf8(vm, v))
        }
        (BinaryOp::Multiply, Some(x), None) | (BinaryOp::Multiply, None, Some(x)) => {
            let n = match (a.downcast::<IntData>(), b.downcast::<IntData>()) {
                (Some(IntData::Small(n)), _) | (_, Some(IntData::Small(n))) => *n,
                _ => return Ok(vm.not_implemented.clone()),
            };
            let mut v = Wtf8Buf::new();
            for _ in 0..n.max(0) {
                v.push_wtf8(&x.value);
            }
            Ok(new_str_wtf8(vm, v))
        }
        _ => Ok(vm.not_implemented.clone()),
    }
}

fn str_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    match (a.downcast::<StrData>(), b.downcast::<StrData>()) {
        // Generalised UTF-8 orders like its code points; equality is
        // byte equality.
        (Some(x), Some(y)) => Ok(compare_result(vm, op, x.value.as_bytes(), y.value.as_bytes())),
        _ => Ok(vm.not_implemented.clone()),
    }
}

pub static STR_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "upper",
        |vm, s, a, kw| {
            let [] = exact(vm, "upper", a, kw)?;
            Ok(new_str(vm, &str_data(s).as_str().to_uppercase()))
        },
        "Return a copy of the string converted to uppercase.",
    ),
    MethodDef::method(
        "lower",
        |vm, s, a, kw| {
            let [] = exact(vm, "lower", a, kw)?;
            Ok(new_str(vm, &str_data(s).as_str().to_lowercase()))
        },
        "Return a copy of the string converted to lowercase.",
    ),
    MethodDef::method("join", str_join, "Concatenate any number of strings."),
];

fn str_join(vm: &Vm, s: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [iterable] = exact(vm, "join", args, kw)?;
    let it = crate::ops::iter(vm, &iterable)?;
    let mut out = Wtf8Buf::new();
    let mut n = 0;
    while let Some(x) = crate::ops::next(vm, &it)? {
        match x.downcast::<StrData>() {
            Some(p) => {
                if n > 0 {
                    out.push_wtf8(&str_data(s).value);
                }
                out.push_wtf8(&p.value);
            }
            None => {
                let msg = format!("sequence item {n}: expected str instance, {} found", type_name(&x));
                return Err(vm.type_error(msg));
            }
        }
        n += 1;
    }
    Ok(new_str_wtf8(vm, out))
}
