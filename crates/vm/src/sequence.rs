//! Subscription and unpacking for the built-in containers: `x[i]`,
//! `x[a:b:c]`, `x[k] = v`, `del x[k]`, and turning an iterable into items.

use crate::object::Obj;
use crate::ops;
use crate::types::builtin::{self, new_tuple, type_name, DictData, IntData, ListData, StrData, TupleData};
use crate::vm::Vm;
use crate::PyResult;

/// A `slice` object.
pub struct SliceData {
    pub start: Obj,
    pub stop: Obj,
    pub step: Obj,
}

/// All the items of an iterable (a snapshot for lists).
/// Tuples and lists (and subclasses that keep the base's `__iter__`) are
/// read directly; a subclass with its own `__iter__` is iterated.
pub fn to_vec(vm: &Vm, o: &Obj) -> PyResult<Vec<Obj>> {
    if let Some(t) = o.downcast::<TupleData>() {
        if keeps_base_iter(o, &vm.types.tuple) {
            return Ok(t.items.to_vec());
        }
    } else if let Some(l) = o.downcast::<ListData>() {
        if keeps_base_iter(o, &vm.types.list) {
            return Ok(l.items.borrow().clone());
        }
    }
    let it = ops::iter(vm, o)?;
    let mut out = Vec::new();
    while let Some(x) = ops::next(vm, &it)? {
        out.push(x);
    }
    Ok(out)
}

/// `to_vec` for unpacking (`a, b = o`): an object that cannot be iterated
/// at all is reported as CPython's unpacking does; an error raised while
/// iterating passes unchanged.
pub fn unpack_to_vec(vm: &Vm, o: &Obj) -> PyResult<Vec<Obj>> {
    if !ops::is_iterable_type(o) {
        return Err(vm.type_error(format!("cannot unpack non-iterable {} object", type_name(o))));
    }
    to_vec(vm, o)
}

/// Whether `o` (an instance of `base` or of a subclass) iterates as
/// `base` does: exactly `base`, or a subclass that does not override
/// `__iter__`.
fn keeps_base_iter(o: &Obj, base: &Obj) -> bool {
    let ty = crate::types::type_of(o);
    if ty.is(base) {
        return true;
    }
    match (crate::types::lookup(&ty, "__iter__"), crate::types::lookup(base, "__iter__")) {
        (Some(a), Some(b)) => a.is(&b),
        _ => false,
    }
}

/// `key` as a sequence index (CPython's `PyNumber_AsSsize_t(key,
/// PyExc_IndexError)`): an int, or the result of the `__index__` of its
/// type; `None` for objects that are neither.
pub fn ssize_index(vm: &Vm, key: &Obj) -> PyResult<Option<i64>> {
    let value = match key.downcast::<IntData>() {
        Some(IntData::Small(i)) => return Ok(Some(*i)),
        Some(IntData::Big(_)) => None,
        None if crate::types::lookup(&crate::types::type_of(key), "__index__").is_none() => return Ok(None),
        None => match ops::index(vm, key)?.downcast::<IntData>() {
            Some(IntData::Small(i)) => Some(*i),
            _ => None,
        },
    };
    match value {
        Some(i) => Ok(Some(i)),
        None => Err(vm.new_error(&vm.types.index_error, format!("cannot fit '{}' into an index-sized integer", type_name(key)))),
    }
}

/// `i` as an index into a sequence of `len` items (negative from the end).
pub(crate) fn index(vm: &Vm, key: &Obj, len: usize, what: &str) -> PyResult<usize> {
    let Some(i) = ssize_index(vm, key)? else {
        return Err(vm.type_error(format!("{what} indices must be integers or slices, not {}", type_name(key))));
    };
    position(vm, i, len, what)
}

/// The position of index `i` (negative from the end) in a sequence of
/// `len` items, or `"{what} index out of range"`.
pub(crate) fn position(vm: &Vm, i: i64, len: usize, what: &str) -> PyResult<usize> {
    let j = if i < 0 { i + len as i64 } else { i };
    if j < 0 || j >= len as i64 {
        return Err(vm.new_error(&vm.types.index_error, format!("{what} index out of range")));
    }
    Ok(j as usize)
}

/// CPython's `PySlice_GetIndicesEx`: start, stop, step clamped to `len`.
pub fn slice_indices(vm: &Vm, s: &SliceData, len: i64) -> PyResult<(i64, i64, i64)> {
    // Ints (or `__index__` results) beyond a word clamp to its bounds, as
    // CPython's `_PyEval_SliceIndex` does.
    let opt = |o: &Obj| -> PyResult<Option<i64>> {
        if o.is(&vm.none) {
            return Ok(None);
        }
        let i = if o.downcast::<IntData>().is_some() {
            o.clone()
        } else if crate::types::lookup(&crate::types::type_of(o), "__index__").is_some() {
            crate::ops::index(vm, o)?
        } else {
            return Err(vm.type_error("slice indices must be integers or None or have an __index__ method"));
        };
        Ok(Some(match i.downcast::<IntData>() {
            Some(IntData::Small(v)) => *v,
            Some(IntData::Big(b)) if num_traits::Signed::is_negative(b) => i64::MIN,
            _ => i64::MAX,
        }))
    };
    // (-i64::MAX at least, so that the step can be negated.)
    let step = opt(&s.step)?.unwrap_or(1).max(-i64::MAX);
    if step == 0 {
        return Err(vm.new_error(&vm.types.value_error, "slice step cannot be zero"));
    }
    let clamp = |v: Option<i64>, default: i64| -> i64 {
        match v {
            None => default,
            Some(v) if v < 0 => {
                let v = v.saturating_add(len);
                if v < 0 {
                    if step < 0 {
                        -1
                    } else {
                        0
                    }
                } else {
                    v
                }
            }
            Some(v) if v >= len => {
                if step < 0 {
                    len - 1
                } else {
                    len
                }
            }
            Some(v) => v,
        }
    };
    let (ds, de) = if step < 0 { (len - 1, -1) } else { (0, len) };
    Ok((clamp(opt(&s.start)?, ds), clamp(opt(&s.stop)?, de), step))
}

/// The positions a slice selects in a sequence of `len` items, in order.
pub fn slice_positions(vm: &Vm, s: &SliceData, len: usize) -> PyResult<Vec<usize>> {
    let (start, stop, step) = slice_indices(vm, s, len as i64)?;
    Ok(slice_walk(start, stop, step).collect())
}

/// The positions `start, start+step, ...` short of `stop`, from indices
/// already clamped by `slice_indices`. Stops instead of overflowing when
/// the step is huge (`s[::sys.maxsize]`).
pub fn slice_walk(start: i64, stop: i64, step: i64) -> impl Iterator<Item = usize> {
    let mut next = Some(start);
    std::iter::from_fn(move || {
        let i = next?;
        if (step > 0 && i < stop) || (step < 0 && i > stop) {
            next = i.checked_add(step);
            Some(i as usize)
        } else {
            next = None;
            None
        }
    })
}

/// The method `name` of `o`'s type when a class defined in Python
/// overrides the built-in one (built-in containers are then handled
/// natively below).
fn python_override(vm: &Vm, o: &Obj, name: &str) -> Option<Obj> {
    let t = crate::types::type_data_of(o);
    if !t.instances.owns_type {
        return None;
    }
    let _ = vm;
    crate::types::lookup(&crate::types::type_of(o), name).filter(|f| f.downcast::<crate::native::MethodDescrData>().is_none())
}

/// `tuple[key]` for an int or a slice.
pub fn tuple_subscript(vm: &Vm, container: &Obj, key: &Obj) -> PyResult<Obj> {
    let Some(t) = container.downcast::<TupleData>() else { return Err(vm.type_error("expected a tuple")) };
    match key.downcast::<SliceData>() {
        Some(s) => {
            let positions = slice_positions(vm, s, t.items.len())?;
            if positions.len() == t.items.len() && s.step.is(&vm.none) && crate::types::container::is_exact(container, &vm.types.tuple) {
                return Ok(container.clone());
            }
            Ok(new_tuple(vm, positions.into_iter().map(|i| t.items[i].clone()).collect()))
        }
        None => Ok(t.items[index(vm, key, t.items.len(), "tuple")?].clone()),
    }
}

/// `range[key]`: a word-sized range indexed by an int, else the general
/// path (slices, big bounds).
fn range_subscript(vm: &Vm, container: &Obj, r: &builtin::RangeData, key: &Obj) -> PyResult<Obj> {
    if let (None, Some(IntData::Small(_))) = (&r.big, key.downcast::<IntData>()) {
        let len = crate::types::iterators::range_len(r);
        let i = index(vm, key, len as usize, "range object")?;
        return Ok(vm.int(r.start + i as i64 * r.step));
    }
    crate::types::range::getitem(vm, container, key)
}

pub fn getitem(vm: &Vm, container: &Obj, key: &Obj) -> PyResult<Obj> {
    if let Some(f) = python_override(vm, container, "__getitem__") {
        return crate::classes::call_special(vm, &f, container, std::slice::from_ref(key), &[]);
    }
    if container.downcast::<ListData>().is_some() {
        return builtin::list_subscript(vm, container, key);
    }
    if container.downcast::<TupleData>().is_some() {
        return tuple_subscript(vm, container, key);
    }
    let slice = key.downcast::<SliceData>();
    if let Some(st) = container.downcast::<StrData>() {
        return match slice {
            Some(s) => {
                let (start, stop, step) = slice_indices(vm, s, st.len() as i64)?;
                Ok(builtin::str_slice(vm, st, start, stop, step))
            }
            None => {
                let Some(i) = ssize_index(vm, key)? else {
                    return Err(vm.type_error(format!("string indices must be integers, not '{}'", type_name(key))));
                };
                Ok(builtin::str_item(vm, st, position(vm, i, st.len(), "string")?))
            }
        };
    }
    if container.downcast::<builtin::BytesData>().is_some() || container.downcast::<builtin::ByteArrayData>().is_some() {
        return crate::types::bytes::buffer_getitem(vm, container, key);
    }
    if container.downcast::<builtin::MemoryViewData>().is_some() {
        return crate::types::memoryview::getitem(vm, container, key);
    }
    if container.downcast::<DictData>().is_some() {
        return builtin::dict_subscript(vm, container, key);
    }
    if let Some(r) = container.downcast::<builtin::RangeData>() {
        return range_subscript(vm, container, r, key);
    }
    if let Some(f) = crate::types::lookup(&crate::types::type_of(container), "__getitem__") {
        return crate::classes::call_special(vm, &f, container, std::slice::from_ref(key), &[]);
    }
    if let Some(r) = crate::classes::class_getitem(vm, container, key)? {
        return Ok(r);
    }
    Err(vm.type_error(format!("'{}' object is not subscriptable", type_name(container))))
}

pub fn setitem(vm: &Vm, container: &Obj, key: &Obj, value: Obj) -> PyResult<()> {
    if let Some(f) = python_override(vm, container, "__setitem__") {
        crate::classes::call_special(vm, &f, container, &[key.clone(), value], &[])?;
        return Ok(());
    }
    if container.downcast::<ListData>().is_some() {
        return builtin::list_ass_subscript(vm, container, key, Some(value));
    }
    if container.downcast::<DictData>().is_some() {
        return builtin::dict_set(vm, container, key.clone(), value);
    }
    if container.downcast::<builtin::ByteArrayData>().is_some() {
        return crate::types::bytearray::setitem(vm, container, key, value);
    }
    if container.downcast::<builtin::MemoryViewData>().is_some() {
        return crate::types::memoryview::setitem(vm, container, key, value);
    }
    if let Some(f) = crate::types::lookup(&crate::types::type_of(container), "__setitem__") {
        crate::classes::call_special(vm, &f, container, &[key.clone(), value], &[])?;
        return Ok(());
    }
    Err(vm.type_error(format!("'{}' object does not support item assignment", type_name(container))))
}

pub fn delitem(vm: &Vm, container: &Obj, key: &Obj) -> PyResult<()> {
    if let Some(f) = python_override(vm, container, "__delitem__") {
        crate::classes::call_special(vm, &f, container, std::slice::from_ref(key), &[])?;
        return Ok(());
    }
    if container.downcast::<ListData>().is_some() {
        return builtin::list_ass_subscript(vm, container, key, None);
    }
    if container.downcast::<builtin::ByteArrayData>().is_some() {
        return crate::types::bytearray::delitem(vm, container, key);
    }
    if container.downcast::<DictData>().is_some() {
        if builtin::dict_del(vm, container, key)? {
            return Ok(());
        }
        return Err(builtin::key_error(vm, key));
    }
    if let Some(f) = crate::types::lookup(&crate::types::type_of(container), "__delitem__") {
        crate::classes::call_special(vm, &f, container, std::slice::from_ref(key), &[])?;
        return Ok(());
    }
    Err(vm.type_error(format!("'{}' object doesn't support item deletion", type_name(container))))
}
