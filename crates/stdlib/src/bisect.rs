//! `_bisect`: binary search and insertion into sorted sequences
//! (`bisect_left/right`, `insort_left/right`, with `lo`, `hi` and `key`).

use taipan_vm::modules::add_functions;
use taipan_vm::native::{bind, FunctionDef, Params};
use taipan_vm::object::Obj;
use taipan_vm::ops;
use taipan_vm::sequence;
use taipan_vm::types::builtin::{int_data, type_name, ListData};
use taipan_vm::types::Kwargs;
use taipan_vm::{PyResult, Vm};

use crate::util;

const NAMES: &[&str] = &["a", "x", "lo", "hi", "key"];

/// Binds `(a, x, lo=0, hi=None, *, key=None)`.
/// `a`, `x`, `lo`, `hi` (None: `len(a)`), `key`.
type BisectArgs = (Obj, Obj, isize, Option<Obj>, Option<Obj>);

fn args_of(vm: &Vm, fname: &'static str, args: &[Obj], kw: Kwargs) -> PyResult<BisectArgs> {
    // One `Params` per function name (the name appears in messages).
    let p = Params { fname, names: NAMES, posonly: 0, kwonly: 1, required: 2 };
    let [a, x, lo, hi, key] = bind::<5>(vm, &p, args, kw)?;
    let (Some(a), Some(x)) = (a, x) else { return Err(vm.type_error("missing arguments")) };
    let lo = match lo {
        Some(lo) => util::to_isize(vm, &lo)?,
        None => 0,
    };
    let hi = match hi {
        Some(h) if h.is(&vm.none) => None,
        Some(h) if int_data(&h).is_some() || taipan_vm::types::lookup(&taipan_vm::types::type_of(&h), "__index__").is_some() => Some(h),
        Some(h) => return Err(vm.type_error(format!("argument should be integer or None, not '{}'", type_name(&h)))),
        None => None,
    };
    let key = key.filter(|k| !k.is(&vm.none));
    Ok((a, x, lo, hi, key))
}

/// The insertion point of `x` in `a[lo:hi]`: after equal items when
/// `right`, before them otherwise.
fn search(vm: &Vm, a: &Obj, x: &Obj, lo: isize, hi: Option<Obj>, key: Option<&Obj>, right: bool) -> PyResult<isize> {
    if lo < 0 {
        return Err(vm.new_error(&vm.types.value_error, "lo must be non-negative"));
    }
    let mut lo = lo;
    let mut hi = match hi {
        Some(h) => util::to_isize(vm, &h)?,
        None => ops::length(vm, a)? as isize,
    };
    while lo < hi {
        let mid = ((lo as usize + hi as usize) / 2) as isize;
        let mut item = match a.downcast::<ListData>() {
            Some(l) if !taipan_vm::types::type_data_of(a).instances.owns_type => {
                let got = l.items.borrow().get(mid as usize).cloned();
                match got {
                    Some(v) => v,
                    None => return Err(vm.new_error(&vm.types.index_error, "list index out of range")),
                }
            }
            _ => sequence::getitem(vm, a, &vm.int(mid as i64))?,
        };
        if let Some(k) = key {
            item = util::call(vm, k, &[item])?;
        }
        if right {
            if util::lt(vm, x, &item)? {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        } else if util::lt(vm, &item, x)? {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    Ok(lo)
}

fn bisect_right(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (a, x, lo, hi, key) = args_of(vm, "bisect_right", args, kw)?;
    Ok(vm.int(search(vm, &a, &x, lo, hi, key.as_ref(), true)? as i64))
}

fn bisect_left(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (a, x, lo, hi, key) = args_of(vm, "bisect_left", args, kw)?;
    Ok(vm.int(search(vm, &a, &x, lo, hi, key.as_ref(), false)? as i64))
}

fn insort(vm: &Vm, fname: &'static str, args: &[Obj], kw: Kwargs, right: bool) -> PyResult<Obj> {
    let (a, x, lo, hi, key) = args_of(vm, fname, args, kw)?;
    let i = match &key {
        Some(k) => {
            let kx = util::call(vm, k, std::slice::from_ref(&x))?;
            search(vm, &a, &kx, lo, hi, key.as_ref(), right)?
        }
        None => search(vm, &a, &x, lo, hi, None, right)?,
    };
    if a.downcast::<ListData>().is_some() && !taipan_vm::types::type_data_of(&a).instances.owns_type {
        if let Some(l) = a.downcast::<ListData>() {
            let mut items = l.items.borrow_mut();
            let at = (i.max(0) as usize).min(items.len());
            items.insert(at, x);
        }
    } else {
        util::call_method(vm, &a, "insert", &[vm.int(i as i64), x])?;
    }
    Ok(vm.none.clone())
}

fn insort_right(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    insort(vm, "insort_right", args, kw, true)
}

fn insort_left(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    insort(vm, "insort_left", args, kw, false)
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("bisect_right", bisect_right, "Return the index where to insert item x in list a, assuming a is sorted."),
    FunctionDef::new("insort_right", insort_right, "Insert item x in list a, and keep it sorted assuming a is sorted."),
    FunctionDef::new("bisect_left", bisect_left, "Return the index where to insert item x in list a, assuming a is sorted."),
    FunctionDef::new("insort_left", insort_left, "Insert item x in list a, and keep it sorted assuming a is sorted."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    taipan_vm::modules::add_attr(vm, m, "__doc__", taipan_vm::types::builtin::new_str(vm, "Bisection algorithms.\n\nThis module provides support for maintaining a list in sorted order without\nhaving to sort the list after each insertion. For long lists of items with\nexpensive comparison operations, this can be an improvement over the more\ncommon approach.\n"))
}
