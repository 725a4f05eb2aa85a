//! Helpers the container types share: recursion guards for `repr`,
//! `==` with the identity shortcut, walking an iterable, exact-type tests.

use crate::object::Obj;
use crate::types::builtin::*;
use crate::vm::Vm;
use crate::PyResult;

/// CPython's `Py_ReprEnter`/`Py_ReprLeave`: `enter` is `None` when `o` is
/// already being represented further up the stack (`[[...]]`); the guard
/// leaves on drop.
pub struct ReprGuard<'a> {
    vm: &'a Vm,
    key: usize,
}

impl<'a> ReprGuard<'a> {
    pub fn enter(vm: &'a Vm, o: &Obj) -> Option<ReprGuard<'a>> {
        let key = o.as_ptr() as usize;
        let mut active = vm.repr_active.borrow_mut();
        if active.contains(&key) {
            return None;
        }
        active.push(key);
        Some(ReprGuard { vm, key })
    }
}

impl Drop for ReprGuard<'_> {
    fn drop(&mut self) {
        let mut active = self.vm.repr_active.borrow_mut();
        if let Some(i) = active.iter().rposition(|&k| k == self.key) {
            active.remove(i);
        }
    }
}

/// `PyObject_RichCompareBool(a, b, Py_EQ)`: identity implies equality.
pub fn eq_bool(vm: &Vm, a: &Obj, b: &Obj) -> PyResult<bool> {
    if a.is(b) {
        return Ok(true);
    }
    crate::ops::eq(vm, a, b)
}

/// Whether `o`'s type is exactly `ty` (not a subclass).
pub fn is_exact(o: &Obj, ty: &Obj) -> bool {
    std::ptr::eq(o.type_ptr(), ty.as_ptr())
}

/// Calls `f` on each item of `iterable` (`for x in iterable`). Lists and
/// tuples of the exact types are walked over a snapshot.
pub fn for_each(vm: &Vm, iterable: &Obj, mut f: impl FnMut(Obj) -> PyResult<()>) -> PyResult<()> {
    if is_exact(iterable, &vm.types.tuple) {
        if let Some(t) = iterable.downcast::<TupleData>() {
            for x in t.items.iter() {
                f(x.clone())?;
            }
            return Ok(());
        }
    }
    let it = crate::ops::iter(vm, iterable)?;
    while let Some(x) = crate::ops::next(vm, &it)? {
        f(x)?;
    }
    Ok(())
}

/// All the items of an iterable.
pub fn collect(vm: &Vm, iterable: &Obj) -> PyResult<Vec<Obj>> {
    if is_exact(iterable, &vm.types.list) {
        if let Some(l) = iterable.downcast::<ListData>() {
            return Ok(l.items.borrow().clone());
        }
    }
    let mut out = Vec::new();
    for_each(vm, iterable, |x| {
        out.push(x);
        Ok(())
    })?;
    Ok(out)
}

/// An integer argument as a C `Py_ssize_t`, clamped like CPython's
/// `_PyEval_SliceIndex` (used by `index(x, start, stop)`).
pub fn slice_index(vm: &Vm, o: &Obj) -> PyResult<i64> {
    match o.downcast::<IntData>() {
        Some(IntData::Small(v)) => Ok(*v),
        Some(IntData::Big(b)) => Ok(if num_traits::Signed::is_negative(b) { i64::MIN } else { i64::MAX }),
        None => Err(vm.type_error("slice indices must be integers or have an __index__ method")),
    }
}

/// Clamps a start/stop pair to `0..=len` as CPython's sequence `index`
/// does.
pub fn clamp_range(start: i64, stop: i64, len: usize) -> (usize, usize) {
    let len = len as i64;
    let fix = |v: i64| -> i64 {
        if v < 0 {
            (v.saturating_add(len)).max(0)
        } else {
            v.min(len)
        }
    };
    (fix(start) as usize, fix(stop) as usize)
}

/// A repeat count for `seq * n` (non-int operands give `None`).
pub fn repeat_count(vm: &Vm, n: &Obj) -> Option<PyResult<usize>> {
    let overflow = || vm.new_error(&vm.types.overflow_error, format!("cannot fit '{}' into an index-sized integer", type_name(n)));
    match n.downcast::<IntData>() {
        Some(IntData::Small(v)) => Some(Ok((*v).max(0) as usize)),
        Some(IntData::Big(_)) => Some(Err(overflow())),
        // `sq_repeat` takes any object with `__index__` (PyNumber_AsSsize_t).
        None if crate::types::lookup(&crate::types::type_of(n), "__index__").is_some() => {
            Some(crate::ops::index(vm, n).and_then(|i| match i.downcast::<IntData>() {
                Some(IntData::Small(v)) => Ok((*v).max(0) as usize),
                _ => Err(overflow()),
            }))
        }
        None => None,
    }
}

/// `len * n` items, or the error CPython gives for a result that cannot
/// exist.
pub fn repeat_len(vm: &Vm, len: usize, n: usize) -> PyResult<usize> {
    match len.checked_mul(n) {
        Some(total) if total <= (isize::MAX as usize) / 16 => Ok(total),
        _ => Err(memory_error(vm)),
    }
}

/// `MemoryError` unless `bytes` bytes can be allocated now (they are
/// reserved and released: the allocator, not a guess, decides). For sizes
/// taken from user input (a format width of `sys.maxsize`), where Rust
/// would abort instead of failing.
pub fn check_alloc(vm: &Vm, bytes: usize) -> PyResult<()> {
    if bytes < 1 << 20 {
        return Ok(());
    }
    let mut probe: Vec<u8> = Vec::new();
    probe.try_reserve_exact(bytes).map_err(|_| memory_error(vm))
}

/// A `MemoryError` if the class exists (else `OverflowError`).
pub fn memory_error(vm: &Vm) -> crate::PyErr {
    if let Ok(Some(ty)) = dict_get_str(vm, &vm.builtins, "MemoryError") {
        if ty.downcast::<crate::types::TypeData>().is_some() {
            return crate::PyErr { exc: new_exception(vm, &ty, vec![]) };
        }
    }
    vm.new_error(&vm.types.overflow_error, "cannot fit 'int' into an index-sized integer")
}
