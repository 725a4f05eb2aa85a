//! Generic object operations (CPython's abstract object layer): `repr`,
//! `str`, `hash`, truth, binary operators with the reflected-operand rule,
//! rich comparison with its fallbacks, iteration and calls, dispatched
//! through type slots.

use crate::object::Obj;
use crate::types::builtin::{self, type_name};
use crate::types::{is_subtype, type_data_of, type_of};
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::{BinaryOp, CompareOp};

pub fn repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    match type_data_of(o).slots.get().repr {
        Some(f) => f(vm, o),
        None => Ok(builtin::new_str(vm, &format!("<{} object>", type_name(o)))),
    }
}

pub fn str(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    match type_data_of(o).slots.get().str {
        Some(f) => f(vm, o),
        None => repr(vm, o),
    }
}

pub fn hash(vm: &Vm, o: &Obj) -> PyResult<i64> {
    match type_data_of(o).slots.get().hash {
        Some(f) => f(vm, o),
        None => Err(vm.type_error(format!("unhashable type: '{}'", type_name(o)))),
    }
}

pub fn truth(vm: &Vm, o: &Obj) -> PyResult<bool> {
    if o.is(&vm.true_) {
        return Ok(true);
    }
    if o.is(&vm.false_) || o.is(&vm.none) {
        return Ok(false);
    }
    match type_data_of(o).slots.get().bool {
        Some(f) => f(vm, o),
        None => Ok(true),
    }
}

const BINARY_SYMBOLS: [&str; 13] = ["+", "&", "//", "<<", "@", "*", "%", "|", "**", ">>", "-", "/", "^"];

/// `a op b`: the left operand's slot, then the right's (first, if the
/// right operand's type is a proper subtype of the left's), as CPython's
/// `binary_op1` does; `TypeError` when both return `NotImplemented`.
pub fn binary_op(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    if type_data_of(a).slots.get().python_binary || type_data_of(b).slots.get().python_binary {
        let r = crate::classes::binary_dispatch(vm, op, a, b)?;
        if !r.is(&vm.not_implemented) {
            return Ok(r);
        }
        return Err(binary_type_error(vm, op, a, b));
    }
    let sa = type_data_of(a).slots.get().binary;
    let sb = type_data_of(b).slots.get().binary;
    let same = std::ptr::eq(a.type_ptr(), b.type_ptr());
    let right_first = !same && is_subtype(&type_of(b), &type_of(a));
    let order: [Option<crate::types::BinaryFn>; 2] = if right_first { [sb, sa] } else { [sa, if same { None } else { sb }] };
    for f in order.into_iter().flatten() {
        let r = f(vm, op, a, b)?;
        if !r.is(&vm.not_implemented) {
            return Ok(r);
        }
    }
    Err(binary_type_error(vm, op, a, b))
}

/// `a op= b`: mutable built-ins update in place (`bytearray`), anything
/// else falls back to `a op b`.
pub fn inplace_binary_op(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    if let Some(r) = crate::types::bytearray::inplace(vm, op, a, b)? {
        return Ok(r);
    }
    binary_op(vm, op, a, b)
}

fn binary_type_error(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> crate::PyErr {
    let sym = BINARY_SYMBOLS[op as usize];
    let sym = if op == BinaryOp::Power { "** or pow()" } else { sym };
    vm.type_error(format!("unsupported operand type(s) for {sym}: '{}' and '{}'", type_name(a), type_name(b)))
}

const COMPARE_SYMBOLS: [&str; 6] = ["<", "<=", "==", "!=", ">", ">="];

fn reflected(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Lt => CompareOp::Gt,
        CompareOp::Le => CompareOp::Ge,
        CompareOp::Eq => CompareOp::Eq,
        CompareOp::Ne => CompareOp::Ne,
        CompareOp::Gt => CompareOp::Lt,
        CompareOp::Ge => CompareOp::Le,
    }
}

/// Rich comparison with the reflected fallback, and identity for `==`/`!=`
/// when neither side implements it (CPython's `do_richcompare`).
pub fn compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    let same = std::ptr::eq(a.type_ptr(), b.type_ptr());
    let right_first = !same && is_subtype(&type_of(b), &type_of(a));
    let left = type_data_of(a).slots.get().compare.map(|f| (f, op, a, b));
    let right = type_data_of(b).slots.get().compare.map(|f| (f, reflected(op), b, a));
    let order = if right_first { [right, left] } else { [left, if same { None } else { right }] };
    for (f, op, x, y) in order.into_iter().flatten() {
        let r = f(vm, op, x, y)?;
        if !r.is(&vm.not_implemented) {
            return Ok(r);
        }
    }
    match op {
        CompareOp::Eq => Ok(vm.bool(a.is(b))),
        CompareOp::Ne => Ok(vm.bool(!a.is(b))),
        _ => Err(vm.type_error(format!(
            "'{}' not supported between instances of '{}' and '{}'",
            COMPARE_SYMBOLS[op as usize],
            type_name(a),
            type_name(b)
        ))),
    }
}

pub fn eq(vm: &Vm, a: &Obj, b: &Obj) -> PyResult<bool> {
    let r = compare(vm, CompareOp::Eq, a, b)?;
    truth(vm, &r)
}

pub fn iter(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    match type_data_of(o).slots.get().iter {
        Some(f) => f(vm, o),
        None => Err(vm.type_error(format!("'{}' object is not iterable", type_name(o)))),
    }
}

/// The next item, or `None` when the iterator is exhausted.
pub fn next(vm: &Vm, it: &Obj) -> PyResult<Option<Obj>> {
    match type_data_of(it).slots.get().next {
        Some(f) => f(vm, it),
        None => Err(vm.type_error(format!("'{}' object is not an iterator", type_name(it)))),
    }
}

/// Calls a callable that is not a Python function (those run in the eval
/// loop's own frames).
pub fn call(vm: &Vm, f: &Obj, args: &[Obj]) -> PyResult<Obj> {
    call_kw(vm, f, args, &[])
}

/// A call with keyword arguments.
pub fn call_kw(vm: &Vm, f: &Obj, args: &[Obj], kw: crate::types::Kwargs) -> PyResult<Obj> {
    match type_data_of(f).slots.get().call {
        Some(c) => c(vm, f, args, kw),
        None => Err(vm.type_error(format!("'{}' object is not callable", type_name(f)))),
    }
}

/// `item in container`: the built-in containers directly, anything
/// iterable by comparing each element (identity first, then `==`).
pub fn contains(vm: &Vm, container: &Obj, item: &Obj) -> PyResult<bool> {
    use crate::types::builtin::{DictData, ListData, RangeData, StrData, TupleData};
    if let Some(s) = container.downcast::<StrData>() {
        let Some(needle) = item.downcast::<StrData>() else {
            return Err(vm.type_error(format!("'in <string>' requires string as left operand, not {}", type_name(item))));
        };
        return Ok(builtin::find_bytes(s.bytes(), needle.bytes()).is_some());
    }
    if container.downcast::<builtin::BytesData>().is_some() || container.downcast::<builtin::ByteArrayData>().is_some() {
        return crate::types::bytes::buffer_contains(vm, container, item);
    }
    if container.downcast::<DictData>().is_some() {
        return Ok(builtin::dict_get(vm, container, item)?.is_some());
    }
    if let Some(r) = container.downcast::<RangeData>() {
        if let Some(builtin::IntData::Small(v)) = item.downcast::<builtin::IntData>() {
            let (v, start, stop, step) = (*v as i128, r.start as i128, r.stop as i128, r.step as i128);
            let inside = if step > 0 { start <= v && v < stop } else { stop < v && v <= start };
            return Ok(inside && (v - start) % step == 0);
        }
    }
    let items: Option<Vec<Obj>> = if let Some(l) = container.downcast::<ListData>() {
        Some(l.items.borrow().clone())
    } else {
        container.downcast::<TupleData>().map(|t| t.items.to_vec())
    };
    if let Some(items) = items {
        for x in &items {
            if x.is(item) || eq(vm, x, item)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    let it = match type_data_of(container).slots.get().iter {
        Some(f) => f(vm, container)?,
        None => return Err(vm.type_error(format!("argument of type '{}' is not iterable", type_name(container)))),
    };
    while let Some(x) = next(vm, &it)? {
        if x.is(item) || eq(vm, &x, item)? {
            return Ok(true);
        }
    }
    Ok(false)
}
