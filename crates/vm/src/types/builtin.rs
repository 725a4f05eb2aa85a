//! The core built-in types' payloads and slots: `object`, `NoneType`,
//! `NotImplementedType`, `int`, `bool`, `float`, `str`, `tuple`, `list`,
//! `dict`, `range`, their iterators, and `BaseException`.
//!
//! This is the first cut of each type: the protocols the eval loop needs
//! (repr/str, hash, truth, arithmetic, comparison, iteration). Their full
//! 3.11 method sets come with the method-definition layer.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{ToPrimitive, Zero};

use crate::object::{alloc, Obj};
use crate::types::{type_data, type_data_of, Slots};
use crate::vm::{PyErr, Types, Vm};
use crate::PyResult;
use taipan_compiler::bytecode::{BinaryOp, CompareOp};
use taipan_parser::wtf8::Wtf8Buf;

// ----- object, None, NotImplemented ----------------------------------------

pub fn object_slots() -> Slots {
    Slots { repr: Some(object_repr), hash: Some(|_, o| Ok(o.as_ptr() as i64 >> 4)), ..Slots::default() }
}

fn object_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    Ok(new_str(vm, &format!("<{} object at {:#x}>", type_data_of(o).name, o.as_ptr() as usize)))
}

pub fn none_slots() -> Slots {
    Slots { repr: Some(|vm, _| Ok(new_str(vm, "None"))), bool: Some(|_, _| Ok(false)), ..object_slots() }
}

pub fn not_implemented_slots() -> Slots {
    Slots { repr: Some(|vm, _| Ok(new_str(vm, "NotImplemented"))), ..object_slots() }
}

// ----- int and bool ---------------------------------------------------------

/// An `int`: a machine word when it fits, else a big integer.
#[derive(Clone, Debug, PartialEq)]
pub enum IntData {
    Small(i64),
    Big(BigInt),
}

impl IntData {
    pub fn to_big(&self) -> BigInt {
        match self {
            IntData::Small(v) => BigInt::from(*v),
            IntData::Big(b) => b.clone(),
        }
    }
}

/// An `int` object from a big integer, normalised to the word form.
pub fn new_int_big(vm: &Vm, v: BigInt) -> Obj {
    match v.to_i64() {
        Some(s) => vm.int(s),
        None => alloc(vm.types.int.clone(), IntData::Big(v)),
    }
}

pub fn int_slots() -> Slots {
    Slots {
        new: Some(int_new),
        repr: Some(int_repr),
        hash: Some(int_hash),
        bool: Some(|_, o| Ok(!matches!(o.downcast::<IntData>(), Some(IntData::Small(0))))),
        binary: Some(int_binary),
        compare: Some(int_compare),
        ..object_slots()
    }
}

pub fn bool_slots() -> Slots {
    Slots {
        new: Some(|vm, _, args, kw| match args {
            _ if !kw.is_empty() => Err(vm.type_error("this constructor takes no keyword arguments here")),
            [] => Ok(vm.false_.clone()),
            [x] => Ok(vm.bool(crate::ops::truth(vm, x)?)),
            _ => Err(vm.type_error(format!("bool expected at most 1 argument, got {}", args.len()))),
        }),
        repr: Some(|vm, o| Ok(new_str(vm, if o.is(&vm.true_) { "True" } else { "False" }))),
        ..int_slots()
    }
}

fn int_new(vm: &Vm, _cls: &Obj, args: &[Obj], kw: crate::types::Kwargs) -> PyResult<Obj> {
    crate::classes::no_kwargs(vm, "int", kw)?;
    let [x] = args else {
        return if args.is_empty() { Ok(vm.int(0)) } else { Err(vm.type_error("int() with a base is not supported yet")) };
    };
    if let Some(i) = x.downcast::<IntData>() {
        return Ok(match i {
            IntData::Small(v) => vm.int(*v),
            IntData::Big(b) => new_int_big(vm, b.clone()),
        });
    }
    if let Some(f) = x.downcast::<f64>() {
        if !f.is_finite() {
            let msg = if f.is_nan() { "cannot convert float NaN to integer" } else { "cannot convert float infinity to integer" };
            let ty = if f.is_nan() { &vm.types.value_error } else { &vm.types.overflow_error };
            return Err(vm.new_error(ty, msg));
        }
        return Ok(new_int_big(vm, num_bigint::BigInt::from(f.trunc() as i128)));
    }
    if let Some(s) = x.downcast::<StrData>() {
        let text = s.as_str();
        let t = text.trim().replace('_', "");
        if let Ok(b) = t.parse::<BigInt>() {
            return Ok(new_int_big(vm, b));
        }
        return Err(vm.new_error(&vm.types.value_error, format!("invalid literal for int() with base 10: {}", repr_string(vm, x)?)));
    }
    Err(vm.type_error(format!("int() argument must be a string, a bytes-like object or a real number, not '{}'", type_name(x))))
}

fn int_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let s = match o.downcast::<IntData>() {
        Some(IntData::Small(v)) => v.to_string(),
        Some(IntData::Big(b)) => b.to_string(),
        None => return Err(vm.type_error("int expected")),
    };
    Ok(new_str(vm, &s))
}

/// CPython's int hash: the value modulo the Mersenne prime 2**61 - 1,
/// sign kept, -1 mapped to -2.
fn int_hash(vm: &Vm, o: &Obj) -> PyResult<i64> {
    const MODULUS: i64 = (1 << 61) - 1;
    let h = match o.downcast::<IntData>() {
        Some(IntData::Small(v)) => {
            let m = (v.unsigned_abs() % MODULUS as u64) as i64;
            if *v < 0 {
                -m
            } else {
                m
            }
        }
        Some(IntData::Big(b)) => {
            let m = (b.magnitude() % BigInt::from(MODULUS).magnitude()).to_i64().unwrap_or(0);
            if b.sign() == num_bigint::Sign::Minus {
                -m
            } else {
                m
            }
        }
        None => return Err(vm.type_error("int expected")),
    };
    Ok(if h == -1 { -2 } else { h })
}

fn int_pair<'a>(a: &'a Obj, b: &'a Obj) -> Option<(&'a IntData, &'a IntData)> {
    Some((a.downcast::<IntData>()?, b.downcast::<IntData>()?))
}

fn int_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let Some((x, y)) = int_pair(a, b) else {
        // int with float: the float's slot handles it when reflected.
        if a.downcast::<f64>().is_some() || b.downcast::<f64>().is_some() {
            return float_binary(vm, op, a, b);
        }
        return Ok(vm.not_implemented.clone());
    };
    if let (IntData::Small(x), IntData::Small(y)) = (x, y) {
        let (x, y) = (*x, *y);
        let fast = match op {
            BinaryOp::Add => x.checked_add(y),
            BinaryOp::Subtract => x.checked_sub(y),
            BinaryOp::Multiply => x.checked_mul(y),
            BinaryOp::And => Some(x & y),
            BinaryOp::Or => Some(x | y),
            BinaryOp::Xor => Some(x ^ y),
            BinaryOp::FloorDivide | BinaryOp::Remainder if y == 0 => {
                let msg = if op == BinaryOp::FloorDivide { "integer division or modulo by zero" } else { "integer modulo by zero" };
                return Err(vm.new_error(&vm.types.zero_division_error, msg));
            }
            BinaryOp::FloorDivide => x.checked_div_euclid(y).map(|_| Integer::div_floor(&x, &y)),
            BinaryOp::Remainder => x.checked_rem(y).map(|_| Integer::mod_floor(&x, &y)),
            _ => None,
        };
        if let Some(v) = fast {
            return Ok(vm.int(v));
        }
    }
    let (x, y) = (x.to_big(), y.to_big());
    let r = match op {
        BinaryOp::Add => x + y,
        BinaryOp::Subtract => x - y,
        BinaryOp::Multiply => x * y,
        BinaryOp::And => x & y,
        BinaryOp::Or => x | y,
        BinaryOp::Xor => x ^ y,
        BinaryOp::FloorDivide | BinaryOp::Remainder if y.is_zero() => {
            let msg = if op == BinaryOp::FloorDivide { "integer division or modulo by zero" } else { "integer modulo by zero" };
            return Err(vm.new_error(&vm.types.zero_division_error, msg));
        }
        BinaryOp::FloorDivide => x.div_floor(&y),
        BinaryOp::Remainder => x.mod_floor(&y),
        BinaryOp::Lshift | BinaryOp::Rshift => {
            let Some(n) = y.to_i64() else {
                return Err(vm.new_error(&vm.types.overflow_error, "too many digits in integer"));
            };
            if n < 0 {
                return Err(vm.new_error(&vm.types.value_error, "negative shift count"));
            }
            if op == BinaryOp::Lshift {
                x << n as usize
            } else {
                x >> n as usize
            }
        }
        BinaryOp::Power => {
            let Some(n) = y.to_i64() else {
                return Err(vm.new_error(&vm.types.overflow_error, "exponent too large"));
            };
            if n < 0 {
                let (xf, yf) = (x.to_f64().unwrap_or(f64::INFINITY), n as f64);
                if xf == 0.0 {
                    return Err(vm.new_error(&vm.types.zero_division_error, "0.0 cannot be raised to a negative power"));
                }
                return Ok(alloc(vm.types.float.clone(), xf.powf(yf)));
            }
            num_traits::pow::pow(x, n as usize)
        }
        BinaryOp::TrueDivide => {
            if y.is_zero() {
                return Err(vm.new_error(&vm.types.zero_division_error, "division by zero"));
            }
            return Ok(alloc(vm.types.float.clone(), int_true_divide(&x, &y)));
        }
        BinaryOp::MatrixMultiply => return Ok(vm.not_implemented.clone()),
    };
    Ok(new_int_big(vm, r))
}

/// `x / y` for ints, correctly rounded for values exactly representable.
fn int_true_divide(x: &BigInt, y: &BigInt) -> f64 {
    match (x.to_i64(), y.to_i64()) {
        (Some(a), Some(b)) if a.unsigned_abs() < (1 << 53) && b.unsigned_abs() < (1 << 53) => a as f64 / b as f64,
        _ => x.to_f64().unwrap_or(f64::NAN) / y.to_f64().unwrap_or(f64::NAN),
    }
}

fn compare_result<T: PartialOrd>(vm: &Vm, op: CompareOp, a: T, b: T) -> Obj {
    vm.bool(match op {
        CompareOp::Lt => a < b,
        CompareOp::Le => a <= b,
        CompareOp::Eq => a == b,
        CompareOp::Ne => a != b,
        CompareOp::Gt => a > b,
        CompareOp::Ge => a >= b,
    })
}

fn int_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    match int_pair(a, b) {
        Some((IntData::Small(x), IntData::Small(y))) => Ok(compare_result(vm, op, x, y)),
        Some((x, y)) => Ok(compare_result(vm, op, x.to_big(), y.to_big())),
        None if a.downcast::<f64>().is_some() || b.downcast::<f64>().is_some() => float_compare(vm, op, a, b),
        None => Ok(vm.not_implemented.clone()),
    }
}

// ----- float ----------------------------------------------------------------

pub fn float_slots() -> Slots {
    Slots {
        new: Some(|vm, _, args, kw| match args {
            _ if !kw.is_empty() => Err(vm.type_error("this constructor takes no keyword arguments here")),
            [] => Ok(alloc(vm.types.float.clone(), 0.0)),
            [x] => match as_f64(vm, x)? {
                Some(f) => Ok(alloc(vm.types.float.clone(), f)),
                None => match x.downcast::<StrData>() {
                    Some(s) => match s.as_str().trim().parse::<f64>() {
                        Ok(f) => Ok(alloc(vm.types.float.clone(), f)),
                        Err(_) => {
                            Err(vm.new_error(&vm.types.value_error, format!("could not convert string to float: {}", repr_string(vm, x)?)))
                        }
                    },
                    None => Err(vm.type_error(format!("float() argument must be a string or a real number, not '{}'", type_name(x)))),
                },
            },
            _ => Err(vm.type_error(format!("float expected at most 1 argument, got {}", args.len()))),
        }),
        repr: Some(|vm, o| Ok(new_str(vm, &taipan_parser::repr::repr_float(*o.downcast::<f64>().unwrap_or(&0.0))))),
        bool: Some(|_, o| Ok(*o.downcast::<f64>().unwrap_or(&0.0) != 0.0)),
        binary: Some(float_binary),
        compare: Some(float_compare),
        ..object_slots()
    }
}

/// Converts an int or float operand to f64 (`None` for other types).
pub(crate) fn as_f64(vm: &Vm, o: &Obj) -> PyResult<Option<f64>> {
    if let Some(f) = o.downcast::<f64>() {
        return Ok(Some(*f));
    }
    match o.downcast::<IntData>() {
        Some(IntData::Small(v)) => Ok(Some(*v as f64)),
        Some(IntData::Big(b)) => match b.to_f64().filter(|f| f.is_finite()) {
            Some(f) => Ok(Some(f)),
            None => Err(vm.new_error(&vm.types.overflow_error, "int too large to convert to float")),
        },
        None => Ok(None),
    }
}

fn float_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let (Some(x), Some(y)) = (as_f64(vm, a)?, as_f64(vm, b)?) else {
        return Ok(vm.not_implemented.clone());
    };
    let zero_div = |msg: &str| Err(vm.new_error(&vm.types.zero_division_error, msg));
    let r = match op {
        BinaryOp::Add => x + y,
        BinaryOp::Subtract => x - y,
        BinaryOp::Multiply => x * y,
        BinaryOp::TrueDivide => {
            if y == 0.0 {
                return zero_div("float division by zero");
            }
            x / y
        }
        BinaryOp::FloorDivide => {
            if y == 0.0 {
                return zero_div("float floor division by zero");
            }
            (x / y).floor()
        }
        BinaryOp::Remainder => {
            if y == 0.0 {
                return zero_div("float modulo");
            }
            let m = x % y;
            if m != 0.0 && (m < 0.0) != (y < 0.0) {
                m + y
            } else {
                m
            }
        }
        BinaryOp::Power => {
            if x == 0.0 && y < 0.0 {
                return zero_div("0.0 cannot be raised to a negative power");
            }
            x.powf(y)
        }
        _ => return Ok(vm.not_implemented.clone()),
    };
    Ok(alloc(vm.types.float.clone(), r))
}

fn float_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    match (as_f64(vm, a)?, as_f64(vm, b)?) {
        (Some(x), Some(y)) => Ok(compare_result(vm, op, x, y)),
        _ => Ok(vm.not_implemented.clone()),
    }
}

// ----- str ------------------------------------------------------------------

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

// ----- tuple and list ---------------------------------------------------------

pub struct TupleData {
    pub items: Box<[Obj]>,
}

pub fn new_tuple(vm: &Vm, items: Vec<Obj>) -> Obj {
    alloc(vm.types.tuple.clone(), TupleData { items: items.into_boxed_slice() })
}

pub fn tuple_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let items = &o.downcast::<TupleData>().map_or(&[][..], |t| &t.items[..]);
            let parts = items.iter().map(|x| repr_string(vm, x)).collect::<PyResult<Vec<_>>>()?;
            let s = if parts.len() == 1 { format!("({},)", parts[0]) } else { format!("({})", parts.join(", ")) };
            Ok(new_str(vm, &s))
        }),
        bool: Some(|_, o| Ok(o.downcast::<TupleData>().is_some_and(|t| !t.items.is_empty()))),
        iter: Some(|vm, o| {
            // Tuples are immutable: iterate over a list snapshot.
            let items = o.downcast::<TupleData>().map_or_else(Vec::new, |t| t.items.to_vec());
            let snapshot = new_list(vm, items);
            Ok(alloc(vm.types.list_iterator.clone(), ListIterData { list: snapshot, index: Cell::new(0) }))
        }),
        ..object_slots()
    }
}

pub struct ListData {
    pub items: RefCell<Vec<Obj>>,
}

pub fn new_list(vm: &Vm, items: Vec<Obj>) -> Obj {
    alloc(vm.types.list.clone(), ListData { items: RefCell::new(items) })
}

pub fn list_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let items: Vec<Obj> = o.downcast::<ListData>().map_or_else(Vec::new, |l| l.items.borrow().clone());
            let parts = items.iter().map(|x| repr_string(vm, x)).collect::<PyResult<Vec<_>>>()?;
            Ok(new_str(vm, &format!("[{}]", parts.join(", "))))
        }),
        bool: Some(|_, o| Ok(o.downcast::<ListData>().is_some_and(|l| !l.items.borrow().is_empty()))),
        iter: Some(|vm, o| Ok(alloc(vm.types.list_iterator.clone(), ListIterData { list: o.clone(), index: Cell::new(0) }))),
        ..object_slots()
    }
}

pub struct ListIterData {
    list: Obj,
    index: Cell<usize>,
}

pub fn list_iterator_slots() -> Slots {
    Slots {
        iter: Some(|_, o| Ok(o.clone())),
        next: Some(|_, o| {
            let Some(it) = o.downcast::<ListIterData>() else { return Ok(None) };
            let Some(list) = it.list.downcast::<ListData>() else { return Ok(None) };
            let i = it.index.get();
            let item = list.items.borrow().get(i).cloned();
            if item.is_some() {
                it.index.set(i + 1);
            }
            Ok(item)
        }),
        ..object_slots()
    }
}

// ----- range ----------------------------------------------------------------

pub struct RangeData {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
}

pub fn range_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let r = o.downcast::<RangeData>().map_or((0, 0, 1), |r| (r.start, r.stop, r.step));
            let s = if r.2 == 1 { format!("range({}, {})", r.0, r.1) } else { format!("range({}, {}, {})", r.0, r.1, r.2) };
            Ok(new_str(vm, &s))
        }),
        iter: Some(|vm, o| {
            let r = o.downcast::<RangeData>().map_or((0, 0, 1), |r| (r.start, r.stop, r.step));
            Ok(alloc(vm.types.range_iterator.clone(), RangeIterData { next: Cell::new(r.0), stop: r.1, step: r.2 }))
        }),
        ..object_slots()
    }
}

pub struct RangeIterData {
    next: Cell<i64>,
    stop: i64,
    step: i64,
}

pub fn range_iterator_slots() -> Slots {
    Slots {
        iter: Some(|_, o| Ok(o.clone())),
        next: Some(|vm, o| {
            let Some(it) = o.downcast::<RangeIterData>() else { return Ok(None) };
            let v = it.next.get();
            if (it.step > 0 && v >= it.stop) || (it.step < 0 && v <= it.stop) {
                return Ok(None);
            }
            it.next.set(v.saturating_add(it.step));
            Ok(Some(vm.int(v)))
        }),
        ..object_slots()
    }
}

// ----- dict -------------------------------------------------------------------

/// A `dict`: insertion-ordered entries plus a hash index. (A first cut:
/// the compact, versioned dict of DESIGN.md replaces the `HashMap` index.)
pub struct DictData {
    entries: RefCell<Vec<Option<(i64, Obj, Obj)>>>,
    index: RefCell<HashMap<i64, Vec<usize>, BuildHasherDefault<HashIsKey>>>,
}

/// The index is keyed by Python hashes, which are already mixed: hashing
/// them again (std's SipHash) only costs time.
#[derive(Default)]
pub struct HashIsKey(u64);

impl std::hash::Hasher for HashIsKey {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ b as u64;
        }
    }
    fn write_i64(&mut self, v: i64) {
        // Spread small ints (whose hash is themselves) over the table.
        self.0 = (v as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A dict made before the `Vm` exists (bootstrap only).
pub fn new_dict_raw(types: &Types) -> Obj {
    alloc(types.dict.clone(), DictData { entries: RefCell::new(Vec::new()), index: RefCell::new(HashMap::default()) })
}

pub fn new_dict(vm: &Vm) -> Obj {
    new_dict_raw(&vm.types)
}

pub fn dict_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let items: Vec<(Obj, Obj)> = dict_items(o);
            let parts =
                items.iter().map(|(k, v)| Ok(format!("{}: {}", repr_string(vm, k)?, repr_string(vm, v)?))).collect::<PyResult<Vec<_>>>()?;
            Ok(new_str(vm, &format!("{{{}}}", parts.join(", "))))
        }),
        bool: Some(|_, o| Ok(!dict_items(o).is_empty())),
        ..object_slots()
    }
}

fn dict_data(d: &Obj) -> &DictData {
    match d.downcast::<DictData>() {
        Some(x) => x,
        None => unreachable!("dict operation on a non-dict"),
    }
}

/// The live (key, value) pairs in insertion order.
pub fn dict_items(d: &Obj) -> Vec<(Obj, Obj)> {
    dict_data(d).entries.borrow().iter().flatten().map(|(_, k, v)| (k.clone(), v.clone())).collect()
}

fn find(vm: &Vm, d: &DictData, hash: i64, key: &Obj) -> PyResult<Option<usize>> {
    let candidates: Vec<usize> = d.index.borrow().get(&hash).cloned().unwrap_or_default();
    for i in candidates {
        let k = match &d.entries.borrow()[i] {
            Some((_, k, _)) => k.clone(),
            None => continue,
        };
        let same = match (k.downcast::<StrData>(), key.downcast::<StrData>()) {
            (Some(a), Some(b)) => k.is(key) || a.value == b.value,
            _ => k.is(key) || crate::ops::eq(vm, &k, key)?,
        };
        if same {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

pub fn dict_get(vm: &Vm, d: &Obj, key: &Obj) -> PyResult<Option<Obj>> {
    let data = dict_data(d);
    let hash = crate::ops::hash(vm, key)?;
    Ok(find(vm, data, hash, key)?.and_then(|i| data.entries.borrow()[i].as_ref().map(|(_, _, v)| v.clone())))
}

/// Looks up a str key given as Rust text (names in namespaces).
pub fn dict_get_str(vm: &Vm, d: &Obj, key: &str) -> PyResult<Option<Obj>> {
    dict_get(vm, d, &new_str(vm, key))
}

pub fn dict_set(vm: &Vm, d: &Obj, key: Obj, value: Obj) -> PyResult<()> {
    let data = dict_data(d);
    let hash = crate::ops::hash(vm, &key)?;
    match find(vm, data, hash, &key)? {
        Some(i) => {
            if let Some(e) = data.entries.borrow_mut()[i].as_mut() {
                e.2 = value;
            }
        }
        None => {
            let mut entries = data.entries.borrow_mut();
            data.index.borrow_mut().entry(hash).or_default().push(entries.len());
            entries.push(Some((hash, key, value)));
        }
    }
    Ok(())
}

pub fn dict_del(vm: &Vm, d: &Obj, key: &Obj) -> PyResult<bool> {
    let data = dict_data(d);
    let hash = crate::ops::hash(vm, key)?;
    match find(vm, data, hash, key)? {
        Some(i) => {
            let old = data.entries.borrow_mut()[i].take();
            if let Some(v) = data.index.borrow_mut().get_mut(&hash) {
                v.retain(|&j| j != i);
            }
            drop(old);
            Ok(true)
        }
        None => Ok(false),
    }
}

/// `KeyError(key)`.
pub fn key_error(vm: &Vm, key: &Obj) -> PyErr {
    PyErr { exc: new_exception(vm, &vm.types.key_error, vec![key.clone()]) }
}

// ----- exceptions -----------------------------------------------------------

/// A `BaseException` instance: its arguments, chaining and traceback.
pub struct ExceptionData {
    pub args: RefCell<Obj>,
    /// `__cause__` (`raise ... from cause`).
    pub cause: RefCell<Option<Obj>>,
    /// `__context__`: the exception being handled when this one was raised.
    pub context: RefCell<Option<Obj>>,
    pub suppress_context: Cell<bool>,
    /// `__traceback__`, innermost entry last: (code object, instruction
    /// word) per frame the exception passed through.
    pub traceback: RefCell<Vec<(Obj, u32)>>,
    /// Other attributes (`__dict__`).
    pub dict: RefCell<crate::types::AttrMap>,
}

pub fn new_exception(vm: &Vm, ty: &Obj, args: Vec<Obj>) -> Obj {
    alloc(
        ty.clone(),
        ExceptionData {
            args: RefCell::new(new_tuple(vm, args)),
            cause: RefCell::new(None),
            context: RefCell::new(None),
            suppress_context: Cell::new(false),
            traceback: RefCell::new(Vec::new()),
            dict: RefCell::new(crate::types::AttrMap::default()),
        },
    )
}

pub fn exception_data(o: &Obj) -> Option<&ExceptionData> {
    o.downcast::<ExceptionData>()
}

pub fn exception_slots() -> Slots {
    Slots {
        new: Some(|vm, cls, args, kw| {
            crate::classes::no_kwargs(vm, name_of_type(cls), kw)?;
            Ok(new_exception(vm, cls, args.to_vec()))
        }),
        str: Some(|vm, o| {
            let args = o.downcast::<ExceptionData>().map(|e| e.args.borrow().clone());
            let items: Vec<Obj> = args.as_ref().and_then(|a| a.downcast::<TupleData>()).map_or_else(Vec::new, |t| t.items.to_vec());
            match items.len() {
                0 => Ok(new_str(vm, "")),
                // KeyError shows its key as a repr (CPython's KeyError_str).
                1 if crate::types::is_subtype(&crate::types::type_of(o), &vm.types.key_error) => crate::ops::repr(vm, &items[0]),
                1 => crate::ops::str(vm, &items[0]),
                _ => crate::ops::repr(vm, args.as_ref().unwrap_or(&vm.none)),
            }
        }),
        repr: Some(|vm, o| {
            let args = o.downcast::<ExceptionData>().map(|e| e.args.borrow().clone()).unwrap_or_else(|| vm.none.clone());
            let inner = repr_string(vm, &args)?;
            let name = &type_data_of(o).name;
            let inner = inner.strip_suffix(",)").map(|s| format!("{s})")).unwrap_or(inner);
            Ok(new_str(vm, &format!("{name}{inner}")))
        }),
        ..object_slots()
    }
}

/// `repr(o)` as Rust text.
pub fn repr_string(vm: &Vm, o: &Obj) -> PyResult<String> {
    let r = crate::ops::repr(vm, o)?;
    Ok(str_data(&r).as_str().into_owned())
}

/// The name of `o`'s type.
pub fn type_name(o: &Obj) -> &str {
    &type_data_of(o).name
}

/// The name of a type object.
pub fn name_of_type(ty: &Obj) -> &str {
    &type_data(ty).name
}

/// Raises `TypeError` unless `o` is an exact or derived instance; helper
/// for argument checks.
pub fn expect_int(vm: &Vm, o: &Obj, what: &str) -> PyResult<i64> {
    match o.downcast::<IntData>() {
        Some(IntData::Small(v)) => Ok(*v),
        Some(IntData::Big(_)) => Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C ssize_t")),
        None => Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer{what}", type_name(o)))),
    }
}
