//! `_heapq`: the heap queue primitives `heapq.py` imports, comparing with
//! `<` only (CPython's `Modules/_heapqmodule.c`), with the max-heap
//! variants `heapq.merge`/`nlargest` use.

use taipan_vm::modules::add_functions;
use taipan_vm::native::{exact, FunctionDef};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{type_name, ListData};
use taipan_vm::types::Kwargs;
use taipan_vm::{PyResult, Vm};

use crate::util;

fn list<'a>(vm: &Vm, o: &'a Obj, what: &str) -> PyResult<&'a ListData> {
    o.downcast::<ListData>().ok_or_else(|| vm.type_error(format!("{what} must be list, not {}", type_name(o))))
}

fn item(l: &ListData, i: usize) -> Obj {
    l.items.borrow()[i].clone()
}

fn changed(vm: &Vm) -> taipan_vm::PyErr {
    vm.new_error(&vm.types.runtime_error, "list changed size during iteration")
}

/// `a < b`, or `b < a` for the max-heap variants.
fn less(vm: &Vm, a: &Obj, b: &Obj, max: bool) -> PyResult<bool> {
    if max {
        util::lt(vm, b, a)
    } else {
        util::lt(vm, a, b)
    }
}

/// Moves the item at `pos` up towards `start` while it is smaller than
/// its parent.
fn sift_down(vm: &Vm, l: &ListData, start: usize, mut pos: usize, max: bool) -> PyResult<()> {
    let size = l.items.borrow().len();
    if pos >= size {
        return Err(vm.new_error(&vm.types.index_error, "list index out of range"));
    }
    while pos > start {
        let parentpos = (pos - 1) >> 1;
        let (newitem, parent) = (item(l, pos), item(l, parentpos));
        let lt = less(vm, &newitem, &parent, max)?;
        if size != l.items.borrow().len() {
            return Err(changed(vm));
        }
        if !lt {
            break;
        }
        l.items.borrow_mut().swap(parentpos, pos);
        pos = parentpos;
    }
    Ok(())
}

/// Moves the smaller child up until a leaf is reached, then sifts the
/// item at that leaf down (Floyd's bottom-up variant).
fn sift_up(vm: &Vm, l: &ListData, mut pos: usize, max: bool) -> PyResult<()> {
    let end = l.items.borrow().len();
    let start = pos;
    let limit = end >> 1;
    while pos < limit {
        let mut child = 2 * pos + 1;
        if child + 1 < end {
            let (a, b) = (item(l, child), item(l, child + 1));
            let lt = less(vm, &a, &b, max)?;
            if !lt {
                child += 1;
            }
            if end != l.items.borrow().len() {
                return Err(changed(vm));
            }
        }
        l.items.borrow_mut().swap(child, pos);
        pos = child;
    }
    sift_down(vm, l, start, pos, max)
}

fn heappush(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [heap, x] = exact::<2>(vm, "heappush", args, kw)?;
    let l = list(vm, &heap, "heappush() argument 1")?;
    l.items.borrow_mut().push(x);
    let n = l.items.borrow().len();
    sift_down(vm, l, 0, n - 1, false)?;
    Ok(vm.none.clone())
}

fn pop(vm: &Vm, heap: &Obj, what: &str, max: bool) -> PyResult<Obj> {
    let l = list(vm, heap, what)?;
    let last = l.items.borrow_mut().pop();
    let Some(last) = last else { return Err(vm.new_error(&vm.types.index_error, "index out of range")) };
    if l.items.borrow().is_empty() {
        return Ok(last);
    }
    let first = std::mem::replace(&mut l.items.borrow_mut()[0], last);
    sift_up(vm, l, 0, max)?;
    Ok(first)
}

fn heappop(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [heap] = exact::<1>(vm, "_heapq.heappop", args, kw)?;
    pop(vm, &heap, "heappop() argument", false)
}

fn heappop_max(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [heap] = exact::<1>(vm, "_heapq._heappop_max", args, kw)?;
    pop(vm, &heap, "_heappop_max() argument", true)
}

fn replace(vm: &Vm, name: &str, args: &[Obj], kw: Kwargs, max: bool) -> PyResult<Obj> {
    let [heap, x] = exact::<2>(vm, name, args, kw)?;
    let l = list(vm, &heap, &format!("{name}() argument 1"))?;
    if l.items.borrow().is_empty() {
        return Err(vm.new_error(&vm.types.index_error, "index out of range"));
    }
    let first = std::mem::replace(&mut l.items.borrow_mut()[0], x);
    sift_up(vm, l, 0, max)?;
    Ok(first)
}

fn heapreplace(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    replace(vm, "heapreplace", args, kw, false)
}

fn heapreplace_max(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    replace(vm, "_heapreplace_max", args, kw, true)
}

fn heappushpop(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [heap, x] = exact::<2>(vm, "heappushpop", args, kw)?;
    let l = list(vm, &heap, "heappushpop() argument 1")?;
    if l.items.borrow().is_empty() {
        return Ok(x);
    }
    let top = item(l, 0);
    if !util::lt(vm, &top, &x)? {
        return Ok(x);
    }
    if l.items.borrow().is_empty() {
        return Err(vm.new_error(&vm.types.index_error, "index out of range"));
    }
    let first = std::mem::replace(&mut l.items.borrow_mut()[0], x);
    sift_up(vm, l, 0, false)?;
    Ok(first)
}

fn heapify_impl(vm: &Vm, heap: &Obj, what: &str, max: bool) -> PyResult<Obj> {
    let l = list(vm, heap, what)?;
    let n = l.items.borrow().len();
    for i in (0..n / 2).rev() {
        sift_up(vm, l, i, max)?;
    }
    Ok(vm.none.clone())
}

fn heapify(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [heap] = exact::<1>(vm, "_heapq.heapify", args, kw)?;
    heapify_impl(vm, &heap, "heapify() argument", false)
}

fn heapify_max(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [heap] = exact::<1>(vm, "_heapq._heapify_max", args, kw)?;
    heapify_impl(vm, &heap, "_heapify_max() argument", true)
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("heappush", heappush, "Push item onto heap, maintaining the heap invariant."),
    FunctionDef::new("heappushpop", heappushpop, "Push item on the heap, then pop and return the smallest item from the heap."),
    FunctionDef::new("heappop", heappop, "Pop the smallest item off the heap, maintaining the heap invariant."),
    FunctionDef::new("heapreplace", heapreplace, "Pop and return the current smallest value, and add the new item."),
    FunctionDef::new("heapify", heapify, "Transform list into a heap, in-place, in O(len(heap)) time."),
    FunctionDef::new("_heappop_max", heappop_max, "Maxheap variant of heappop."),
    FunctionDef::new("_heapreplace_max", heapreplace_max, "Maxheap variant of heapreplace."),
    FunctionDef::new("_heapify_max", heapify_max, "Maxheap variant of heapify."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    taipan_vm::modules::add_attr(vm, m, "__doc__", taipan_vm::types::builtin::new_str(vm, "Heap queue algorithm (a.k.a. priority queue)."))
}
