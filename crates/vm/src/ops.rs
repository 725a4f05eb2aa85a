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
    let _guard = vm.enter_recursive_call(" while getting the repr of an object")?;
    match type_data_of(o).slots.get().repr {
        Some(f) => f(vm, o),
        None => Ok(builtin::new_str(vm, &format!("<{} object>", type_name(o)))),
    }
}

pub fn str(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let _guard = vm.enter_recursive_call(" while getting the str of an object")?;
    match type_data_of(o).slots.get().str {
        Some(f) => f(vm, o),
        None => repr(vm, o),
    }
}

pub fn hash(vm: &Vm, o: &Obj) -> PyResult<i64> {
    let _guard = vm.enter_recursive_call("")?;
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

const INPLACE_DUNDERS: [&str; 13] = [
    "__iadd__",
    "__iand__",
    "__ifloordiv__",
    "__ilshift__",
    "__imatmul__",
    "__imul__",
    "__imod__",
    "__ior__",
    "__ipow__",
    "__irshift__",
    "__isub__",
    "__itruediv__",
    "__ixor__",
];

/// `a op= b`: the left operand's in-place method (`__iadd__`, ...) if it
/// has one that does not return NotImplemented, else `a op b`
/// (CPython's `binary_iop1`), with the `+=` form in the error message.
/// Mutable built-ins update in place natively (`bytearray`).
pub fn inplace_binary_op(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    if let Some(r) = crate::types::bytearray::inplace(vm, op, a, b)? {
        return Ok(r);
    }
    if let Some(f) = crate::types::lookup(&type_of(a), INPLACE_DUNDERS[op as usize]) {
        let r = crate::classes::call_special(vm, &f, a, std::slice::from_ref(b), &[])?;
        if !r.is(&vm.not_implemented) {
            return Ok(r);
        }
    }
    match binary_op(vm, op, a, b) {
        Err(e) if is_subtype(&type_of(&e.exc), &vm.types.type_error) && is_operand_error(vm, &e, op) => {
            let sym = BINARY_SYMBOLS[op as usize];
            Err(vm.type_error(format!("unsupported operand type(s) for {sym}=: '{}' and '{}'", type_name(a), type_name(b))))
        }
        r => r,
    }
}

/// Whether `e` is `binary_op`'s own "unsupported operand" error.
fn is_operand_error(vm: &Vm, e: &crate::PyErr, op: BinaryOp) -> bool {
    let _ = vm;
    let Some(d) = builtin::exception_data(&e.exc) else { return false };
    let args = d.args.borrow();
    let Some(t) = args.downcast::<builtin::TupleData>() else { return false };
    let Some(msg) = t.items.first().and_then(|m| m.downcast::<builtin::StrData>()) else { return false };
    let sym = if op == BinaryOp::Power { "** or pow()" } else { BINARY_SYMBOLS[op as usize] };
    msg.as_str().starts_with(&format!("unsupported operand type(s) for {sym}:"))
}

fn binary_type_error(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> crate::PyErr {
    use crate::types::builtin::{ListData, TupleData};
    // The sequence protocol's messages (`sq_concat`, `sq_repeat`).
    let seq = |o: &Obj| o.downcast::<ListData>().is_some() || o.downcast::<TupleData>().is_some();
    if op == BinaryOp::Add && seq(a) {
        let what = if a.downcast::<ListData>().is_some() { "list" } else { "tuple" };
        return vm.type_error(format!("can only concatenate {what} (not \"{}\") to {what}", type_name(b)));
    }
    let seq_or_str = |o: &Obj| seq(o) || o.downcast::<crate::types::builtin::StrData>().is_some();
    if op == BinaryOp::Multiply && (seq_or_str(a) || seq_or_str(b)) {
        let other = if seq_or_str(a) { b } else { a };
        return vm.type_error(format!("can't multiply sequence by non-int of type '{}'", type_name(other)));
    }
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
    let _guard = vm.enter_recursive_call(" in comparison")?;
    let same = std::ptr::eq(a.type_ptr(), b.type_ptr());
    let right_first = !same && is_subtype(&type_of(b), &type_of(a));
    let left = type_data_of(a).slots.get().compare.map(|f| (f, op, a, b));
    let right = type_data_of(b).slots.get().compare.map(|f| (f, reflected(op), b, a));
    // The reflected slot is tried even for operands of the same type.
    let order = if right_first { [right, left] } else { [left, right] };
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
        Some(f) => {
            let it = f(vm, o)?;
            if type_data_of(&it).slots.get().next.is_none() {
                return Err(vm.type_error(format!("iter() returned non-iterator of type '{}'", type_name(&it))));
            }
            Ok(it)
        }
        None if is_sequence(o) => Ok(crate::types::iterators::new_seq_iterator(vm, o.clone())),
        None => Err(vm.type_error(format!("'{}' object is not iterable", type_name(o)))),
    }
}

/// Whether `iter(o)` can work at all: the type has `__iter__` or is a
/// sequence (whether the call then succeeds is another matter).
pub(crate) fn is_iterable_type(o: &Obj) -> bool {
    type_data_of(o).slots.get().iter.is_some() || is_sequence(o)
}

/// `PySequence_Check` for iteration: the type has `__getitem__` and is not
/// a dict.
fn is_sequence(o: &Obj) -> bool {
    o.downcast::<crate::types::builtin::DictData>().is_none() && crate::types::lookup(&type_of(o), "__getitem__").is_some()
}

/// The next item, or `None` when the iterator is exhausted (a
/// StopIteration raised by the slot, which may carry a generator's return
/// value, also ends the iteration, as in CPython's `FOR_ITER`).
pub fn next(vm: &Vm, it: &Obj) -> PyResult<Option<Obj>> {
    match type_data_of(it).slots.get().next {
        Some(f) => match f(vm, it) {
            Err(e) if is_subtype(&type_of(&e.exc), &vm.types.stop_iteration) => Ok(None),
            r => r,
        },
        None => Err(vm.type_error(format!("'{}' object is not an iterator", type_name(it)))),
    }
}

/// `callable(o)`: the type has a `call` slot, or `o` is a Python function.
pub fn callable(o: &Obj) -> bool {
    type_data_of(o).slots.get().call.is_some() || o.downcast::<crate::function::FunctionData>().is_some()
}

/// Calls any callable (`PyObject_Call`): Python functions run in a new
/// eval loop, others through their type's `call` slot.
pub fn call(vm: &Vm, f: &Obj, args: &[Obj]) -> PyResult<Obj> {
    call_kw(vm, f, args, &[])
}

/// The iterator's `next` slot as is: `None` when exhausted, or the
/// StopIteration it raised.
pub fn next_raw(vm: &Vm, it: &Obj) -> PyResult<Option<Obj>> {
    match type_data_of(it).slots.get().next {
        Some(f) => f(vm, it),
        None => Err(vm.type_error(format!("'{}' object is not an iterator", type_name(it)))),
    }
}

/// A call with keyword arguments.
pub fn call_kw(vm: &Vm, f: &Obj, args: &[Obj], kw: crate::types::Kwargs) -> PyResult<Obj> {
    // A Python function's frame checks the depth itself on entry (with
    // CPython's plain message, as its vectorcall path does).
    if let Some(func) = f.downcast::<crate::function::FunctionData>() {
        return crate::eval::call_function(vm, func, args, kw);
    }
    // A bound method of a Python function: `self` goes first, without a
    // new argument vector.
    if let Some(m) = f.downcast::<crate::classes::MethodData>() {
        if let Some(func) = m.func.downcast::<crate::function::FunctionData>() {
            return crate::eval::call_function_self(vm, func, Some(&m.self_), args, kw);
        }
    }
    let _guard = vm.enter_recursive_call(" while calling a Python object")?;
    match type_data_of(f).slots.get().call {
        Some(c) => c(vm, f, args, kw),
        None => Err(vm.type_error(format!("'{}' object is not callable", type_name(f)))),
    }
}

/// `item in container`: the built-in containers directly, a class's
/// `__contains__`, else anything iterable by comparing each element
/// (identity first, then `==`).
pub fn contains(vm: &Vm, container: &Obj, item: &Obj) -> PyResult<bool> {
    use crate::types::builtin::{DictData, DictViewData, ListData, RangeData, SetData, StrData, TupleData};
    let heap = type_data_of(container).instances.owns_type;
    if heap {
        if let Some(f) = crate::types::lookup(&type_of(container), "__contains__") {
            if f.is(&vm.none) {
                return Err(vm.type_error(format!("'{}' object is not a container", type_name(container))));
            }
            if f.downcast::<crate::native::MethodDescrData>().is_none() {
                let r = crate::classes::call_special(vm, &f, container, std::slice::from_ref(item), &[])?;
                return truth(vm, &r);
            }
        }
    }
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
        return builtin::dict_contains(vm, container, item);
    }
    if container.downcast::<SetData>().is_some() {
        return builtin::set_contains(vm, container, item);
    }
    if container.downcast::<ListData>().is_some() {
        return builtin::list_contains(vm, container, item);
    }
    if let Some(v) = container.downcast::<DictViewData>() {
        return builtin::view_contains(vm, v, item);
    }
    if let Some(r) = container.downcast::<RangeData>() {
        if let (Some(builtin::IntData::Small(v)), None) = (item.downcast::<builtin::IntData>(), &r.big) {
            let (v, start, stop, step) = (*v as i128, r.start as i128, r.stop as i128, r.step as i128);
            let inside = if step > 0 { start <= v && v < stop } else { stop < v && v <= start };
            return Ok(inside && (v - start) % step == 0);
        }
        if !type_data_of(container).instances.owns_type {
            return crate::types::range::contains(vm, container, item);
        }
    }
    if let Some(t) = container.downcast::<TupleData>() {
        for x in t.items.iter() {
            if x.is(item) || eq(vm, x, item)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    if !heap {
        if let Some(f) = crate::types::lookup(&type_of(container), "__contains__") {
            let r = crate::classes::call_special(vm, &f, container, std::slice::from_ref(item), &[])?;
            return truth(vm, &r);
        }
    }
    let it = match type_data_of(container).slots.get().iter {
        Some(f) => f(vm, container)?,
        None if is_sequence(container) => crate::types::iterators::new_seq_iterator(vm, container.clone()),
        None => return Err(vm.type_error(format!("argument of type '{}' is not iterable", type_name(container)))),
    };
    while let Some(x) = next(vm, &it)? {
        if x.is(item) || eq(vm, &x, item)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `len(o)`: the built-in containers directly, else the type's `__len__`.
pub fn length(vm: &Vm, o: &Obj) -> PyResult<usize> {
    match length_opt(vm, o)? {
        Some(n) => Ok(n),
        None => Err(vm.type_error(format!("object of type '{}' has no len()", type_name(o)))),
    }
}

/// `len(o)`, or `None` for an object without a length.
/// `PyObject_LengthHint`: `len(o)`, else `__length_hint__()` (bound as
/// special methods are), else `default`; `operator.length_hint`.
pub fn length_hint(vm: &Vm, o: &Obj, default: isize) -> PyResult<isize> {
    match length_opt(vm, o) {
        Ok(Some(n)) => return Ok(n as isize),
        Ok(None) => {}
        Err(e) if is_subtype(&type_of(&e.exc), &vm.types.type_error) => {}
        Err(e) => return Err(e),
    }
    let Some(hint) = crate::types::lookup(&type_of(o), "__length_hint__") else { return Ok(default) };
    let r = match crate::classes::call_special(vm, &hint, o, &[], &[]) {
        Ok(r) => r,
        Err(e) if is_subtype(&type_of(&e.exc), &vm.types.type_error) => return Ok(default),
        Err(e) => return Err(e),
    };
    if r.is(&vm.not_implemented) {
        return Ok(default);
    }
    let Some(d) = r.downcast::<builtin::IntData>() else {
        return Err(vm.type_error(format!("__length_hint__ must be an integer, not {}", type_name(&r))));
    };
    let n = match d {
        builtin::IntData::Small(v) => *v as isize,
        builtin::IntData::Big(_) if d.is_negative() => -1,
        builtin::IntData::Big(_) => return Err(vm.new_error(&vm.types.overflow_error, "cannot fit 'int' into an index-sized integer")),
    };
    if n < 0 {
        return Err(vm.new_error(&vm.types.value_error, "__length_hint__() should return >= 0"));
    }
    Ok(n)
}

pub fn length_opt(vm: &Vm, o: &Obj) -> PyResult<Option<usize>> {
    use crate::types::builtin::{DictData, DictViewData, ListData, RangeData, SetData, StrData, TupleData};
    let native = |o: &Obj| -> Option<usize> {
        if let Some(s) = o.downcast::<StrData>() {
            return Some(s.len());
        }
        if let Some(l) = o.downcast::<ListData>() {
            return Some(l.items.borrow().len());
        }
        if let Some(t) = o.downcast::<TupleData>() {
            return Some(t.items.len());
        }
        if let Some(d) = o.downcast::<DictData>() {
            return Some(d.len());
        }
        if let Some(s) = o.downcast::<SetData>() {
            return Some(s.len());
        }
        if let Some(v) = o.downcast::<DictViewData>() {
            return Some(builtin::dict_len(&v.dict));
        }
        if let Some(r) = o.downcast::<RangeData>() {
            // A big range's `__len__` raises OverflowError.
            return r.big.is_none().then(|| crate::types::iterators::range_len(r).max(0) as usize);
        }
        crate::types::bytes::buffer_len(o)
    };
    // Classes defined in Python may override `__len__`.
    if !type_data_of(o).instances.owns_type {
        if let Some(n) = native(o) {
            return Ok(Some(n));
        }
    }
    let Some(f) = crate::types::lookup(&type_of(o), "__len__") else { return Ok(native(o)) };
    if f.downcast::<crate::native::MethodDescrData>().is_some() {
        if let Some(n) = native(o) {
            return Ok(Some(n));
        }
    }
    let r = crate::classes::call_special(vm, &f, o, &[], &[])?;
    match r.downcast::<builtin::IntData>() {
        Some(builtin::IntData::Small(n)) if *n >= 0 => Ok(Some(*n as usize)),
        Some(builtin::IntData::Small(_)) => Err(vm.new_error(&vm.types.value_error, "__len__() should return >= 0")),
        Some(builtin::IntData::Big(b)) if num_traits::Signed::is_negative(b) => {
            Err(vm.new_error(&vm.types.value_error, "__len__() should return >= 0"))
        }
        Some(builtin::IntData::Big(_)) => Err(vm.new_error(&vm.types.overflow_error, "cannot fit 'int' into an index-sized integer")),
        None => Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer", type_name(&r)))),
    }
}

fn unary(vm: &Vm, o: &Obj, slot: Option<crate::types::UnaryFn>, sym: &str) -> PyResult<Obj> {
    match slot {
        Some(f) => f(vm, o),
        None => Err(vm.type_error(format!("bad operand type for {sym}: '{}'", type_name(o)))),
    }
}

/// `-o` (`nb_negative`).
pub fn neg(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    unary(vm, o, type_data_of(o).slots.get().negative, "unary -")
}

/// `+o` (`nb_positive`).
pub fn pos(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    unary(vm, o, type_data_of(o).slots.get().positive, "unary +")
}

/// `~o` (`nb_invert`).
pub fn invert(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    unary(vm, o, type_data_of(o).slots.get().invert, "unary ~")
}

/// `abs(o)` (`nb_absolute`).
pub fn abs(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    unary(vm, o, type_data_of(o).slots.get().absolute, "abs()")
}

/// `o` as a C `int` argument (`_PyLong_AsInt`, Argument Clinic's `int`
/// converter): through `__index__`; floats and other non-integers are a
/// TypeError, values outside the C range an OverflowError.
pub fn c_int(vm: &Vm, o: &Obj) -> PyResult<i32> {
    let i = index(vm, o)?;
    match i.downcast::<builtin::IntData>() {
        Some(builtin::IntData::Small(v)) if i32::try_from(*v).is_ok() => Ok(*v as i32),
        _ => Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int")),
    }
}

/// `operator.index(o)` (CPython's `PyNumber_Index`): an int, or the
/// result of `__index__`, which must be an int; always an exact int.
pub fn index(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    if let Some(d) = o.downcast::<builtin::IntData>() {
        if std::ptr::eq(o.type_ptr(), vm.types.int.as_ptr()) {
            return Ok(o.clone());
        }
        return Ok(builtin::int_from_data(vm, d));
    }
    match crate::types::lookup(&type_of(o), "__index__") {
        Some(f) => {
            let r = crate::classes::call_special(vm, &f, o, &[], &[])?;
            match r.downcast::<builtin::IntData>() {
                Some(d) => {
                    if !type_of(&r).is(&vm.types.int) {
                        let msg = format!(
                            "__index__ returned non-int (type {}).  The ability to return an instance of a strict subclass of int is deprecated, and may be removed in a future version of Python.",
                            type_name(&r)
                        );
                        crate::warnings::warn_builtin(vm, "DeprecationWarning", &msg, 1)?;
                    }
                    Ok(builtin::int_from_data(vm, d))
                }
                None => Err(vm.type_error(format!("__index__ returned non-int (type {})", type_name(&r)))),
            }
        }
        None => Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer", type_name(o)))),
    }
}
