//! `itertools`: the iterator building blocks of CPython's
//! `Modules/itertoolsmodule.c`, one payload type per iterator. Each has a
//! `new` slot allocating with the class it is called on (they can be
//! subclassed), a `next` slot, and CPython's argument errors.

use std::cell::{Cell, RefCell};

use taipan_vm::modules::add_attr;
use taipan_vm::native::{bind, new_type, no_kwargs, no_kwargs_for_new, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::ops;
use taipan_vm::types::builtin::{int_data, new_list, new_str, new_tuple, object_slots, str_data, type_name, IntData, ListData, TupleData};
use taipan_vm::types::iterators::{builtin_obj, reduce_value, state_index};
use taipan_vm::types::{lookup, type_data, type_of, Kwargs, Slots};
use taipan_vm::{BinaryOp, PyResult, Vm};

use crate::util::{self, call, exact_named, is_error};

const DOC: &str = "Functional tools for creating and using iterators.";

type Visit<'a> = &'a mut dyn FnMut(&Obj);

fn visit_opt(o: &RefCell<Option<Obj>>, visit: Visit) {
    if let Ok(b) = o.try_borrow() {
        if let Some(x) = &*b {
            visit(x);
        }
    }
}

fn visit_vec(v: &RefCell<Vec<Obj>>, visit: Visit) {
    if let Ok(b) = v.try_borrow() {
        b.iter().for_each(visit);
    }
}

/// Payload access that never panics: a wrong receiver is a TypeError.
fn get<'a, T: 'static>(vm: &Vm, o: &'a Obj) -> PyResult<&'a T> {
    o.downcast::<T>().ok_or_else(|| vm.type_error(format!("unexpected '{}' object", type_name(o))))
}

/// `_tee`, which (alone of the itertools) can be weakly referenced.
fn tee_type(vm: &Vm) -> Obj {
    vm.native_type("itertools._tee", |vm| {
        let t = new_type::<Tee>(vm, "itertools._tee", &[], true, tee_slots(), TEE_METHODS, &[]);
        type_data(&t).weakrefable.set(true);
        t
    })
}

macro_rules! iter_type {
    ($fn_name:ident, $payload:ty, $key:literal, $slots:expr, $methods:expr) => {
        fn $fn_name(vm: &Vm) -> Obj {
            vm.native_type($key, |vm| new_type::<$payload>(vm, $key, &[], true, $slots, $methods, &[]))
        }
    };
}

fn slots(new: taipan_vm::types::CallFn, next: taipan_vm::types::NextFn, traverse: taipan_vm::types::TraverseFn) -> Slots {
    Slots { new: Some(new), next: Some(next), iter: Some(|_, o| Ok(o.clone())), traverse: Some(traverse), ..object_slots() }
}

const fn reduce_method(f: taipan_vm::native::MethodFn) -> MethodDef {
    MethodDef::method("__reduce__", f, "Return state information for pickling.")
}

// count ----------------------------------------------------------------

pub struct Count {
    cnt: RefCell<Obj>,
    step: Obj,
}

/// `PyNumber_Check`: ints, floats, complex numbers, and objects with
/// `__index__`, `__int__` or `__float__`.
fn is_number(o: &Obj) -> bool {
    let t = type_of(o);
    int_data(o).is_some()
        || o.downcast::<f64>().is_some()
        || o.downcast::<taipan_vm::types::complex::Complex>().is_some()
        || ["__index__", "__int__", "__float__", "__complex__"].iter().any(|n| lookup(&t, n).is_some())
}

iter_type!(
    count_type,
    Count,
    "itertools.count",
    Slots {
        repr: Some(|vm, o| {
            let c = get::<Count>(vm, o)?;
            let cnt = util::repr(vm, &c.cnt.borrow().clone())?;
            let name = type_data(&type_of(o)).name.rsplit('.').next().unwrap_or("count").to_string();
            if matches!(c.step.downcast::<IntData>(), Some(IntData::Small(1)))
                && int_data(&c.step).is_some()
                && type_of(&c.step).is(&vm.types.int)
            {
                return Ok(new_str(vm, &format!("{name}({cnt})")));
            }
            Ok(new_str(vm, &format!("{name}({cnt}, {})", util::repr(vm, &c.step)?)))
        }),
        ..slots(
            |vm, cls, args, kw| {
                let p = Params { fname: "count", names: &["start", "step"], posonly: 0, kwonly: 0, required: 0 };
                let [start, step] = bind::<2>(vm, &p, args, kw)?;
                let start = start.unwrap_or_else(|| vm.int(0));
                let step = step.unwrap_or_else(|| vm.int(1));
                if !is_number(&start) || !is_number(&step) {
                    return Err(vm.type_error("a number is required"));
                }
                Ok(alloc(cls.clone(), Count { cnt: RefCell::new(start), step }))
            },
            |vm, o| {
                let c = get::<Count>(vm, o)?;
                let cur = c.cnt.borrow().clone();
                let n = ops::binary_op(vm, BinaryOp::Add, &cur, &c.step)?;
                drop(c.cnt.replace(n));
                Ok(Some(cur))
            },
            |o, visit| {
                if let Some(c) = o.downcast::<Count>() {
                    if let Ok(x) = c.cnt.try_borrow() {
                        visit(&x);
                    }
                    visit(&c.step);
                }
            }
        )
    },
    COUNT_METHODS
);

static COUNT_METHODS: &[MethodDef] = &[reduce_method(|vm, this, args, kw| {
    taipan_vm::native::exact::<0>(vm, "__reduce__", args, kw)?;
    let c = get::<Count>(vm, this)?;
    let cnt = c.cnt.borrow().clone();
    let one = matches!(c.step.downcast::<IntData>(), Some(IntData::Small(1))) && type_of(&c.step).is(&vm.types.int);
    let a = if one { vec![cnt] } else { vec![cnt, c.step.clone()] };
    Ok(new_tuple(vm, vec![type_of(this), new_tuple(vm, a)]))
})];

// repeat ---------------------------------------------------------------

pub struct Repeat {
    element: Obj,
    /// Remaining count; `None` forever.
    cnt: Cell<Option<isize>>,
}

iter_type!(
    repeat_type,
    Repeat,
    "itertools.repeat",
    Slots {
        repr: Some(|vm, o| {
            let r = get::<Repeat>(vm, o)?;
            let name = type_data(&type_of(o)).name.rsplit('.').next().unwrap_or("repeat").to_string();
            let Some(_g) = taipan_vm::types::builtin::ReprGuard::enter(vm, o) else { return Ok(new_str(vm, "...")) };
            let e = util::repr(vm, &r.element)?;
            Ok(new_str(
                vm,
                &match r.cnt.get() {
                    Some(n) => format!("{name}({e}, {n})"),
                    None => format!("{name}({e})"),
                },
            ))
        }),
        ..slots(
            |vm, cls, args, kw| {
                let p = Params { fname: "repeat", names: &["object", "times"], posonly: 0, kwonly: 0, required: 1 };
                let [element, times] = bind::<2>(vm, &p, args, kw)?;
                let element = element.unwrap_or_else(|| vm.none.clone());
                let cnt = match times {
                    Some(t) => Some(util::to_isize(vm, &t)?.max(0)),
                    None => None,
                };
                Ok(alloc(cls.clone(), Repeat { element, cnt: Cell::new(cnt) }))
            },
            |vm, o| {
                let r = get::<Repeat>(vm, o)?;
                match r.cnt.get() {
                    None => Ok(Some(r.element.clone())),
                    Some(0) => Ok(None),
                    Some(n) => {
                        r.cnt.set(Some(n - 1));
                        Ok(Some(r.element.clone()))
                    }
                }
            },
            |o, visit| {
                if let Some(r) = o.downcast::<Repeat>() {
                    visit(&r.element);
                }
            }
        )
    },
    REPEAT_METHODS
);

static REPEAT_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "__length_hint__",
        |vm, this, args, kw| {
            taipan_vm::native::exact::<0>(vm, "__length_hint__", args, kw)?;
            match get::<Repeat>(vm, this)?.cnt.get() {
                Some(n) => Ok(vm.int(n as i64)),
                None => Err(vm.type_error("len() of unsized object")),
            }
        },
        "Private method returning an estimate of len(list(it)).",
    ),
    reduce_method(|vm, this, args, kw| {
        taipan_vm::native::exact::<0>(vm, "__reduce__", args, kw)?;
        let r = get::<Repeat>(vm, this)?;
        let a = match r.cnt.get() {
            Some(n) => vec![r.element.clone(), vm.int(n as i64)],
            None => vec![r.element.clone()],
        };
        Ok(new_tuple(vm, vec![type_of(this), new_tuple(vm, a)]))
    }),
];

// cycle ----------------------------------------------------------------

/// CPython's layout: `it` until exhausted, the items seen so far in the
/// list `saved`, then `index` into `saved`. `firstpass` (set by
/// `__setstate__` when `saved` already holds a whole cycle) stops the
/// saving. `saved` is a list object shared with reductions (a shallow
/// copy appends to the same list, as in CPython).
pub struct Cycle {
    it: RefCell<Option<Obj>>,
    saved: RefCell<Obj>,
    index: Cell<usize>,
    firstpass: Cell<bool>,
}

iter_type!(
    cycle_type,
    Cycle,
    "itertools.cycle",
    slots(
        |vm, cls, args, kw| {
            no_kwargs_for_new(vm, cls, "cycle", kw)?;
            let [iterable] = exact_named::<1>(vm, "cycle", args, &[])?;
            let it = ops::iter(vm, &iterable)?;
            Ok(alloc(
                cls.clone(),
                Cycle {
                    it: RefCell::new(Some(it)),
                    saved: RefCell::new(new_list(vm, Vec::new())),
                    index: Cell::new(0),
                    firstpass: Cell::new(false),
                },
            ))
        },
        |vm, o| {
            let c = get::<Cycle>(vm, o)?;
            let it = c.it.borrow().clone();
            if let Some(it) = it {
                if let Some(x) = ops::next(vm, &it)? {
                    if !c.firstpass.get() {
                        let saved = c.saved.borrow().clone();
                        if let Some(l) = saved.downcast::<ListData>() {
                            l.items.borrow_mut().push(x.clone());
                        }
                    }
                    return Ok(Some(x));
                }
                drop(c.it.borrow_mut().take());
            }
            let saved = c.saved.borrow().clone();
            let Some(l) = saved.downcast::<ListData>() else { return Ok(None) };
            let items = l.items.borrow();
            if items.is_empty() {
                return Ok(None);
            }
            let i = c.index.get() % items.len();
            c.index.set(if i + 1 >= items.len() { 0 } else { i + 1 });
            Ok(Some(items[i].clone()))
        },
        |o, visit| {
            if let Some(c) = o.downcast::<Cycle>() {
                visit_opt(&c.it, visit);
                if let Ok(s) = c.saved.try_borrow() {
                    visit(&s);
                }
            }
        }
    ),
    CYCLE_METHODS
);

/// A `__setstate__` argument that must be a tuple of exactly `N` items
/// (CPython's `PyArg_ParseTuple` on the state).
fn state_tuple<const N: usize>(vm: &Vm, state: &Obj) -> PyResult<[Obj; N]> {
    let Some(t) = state.downcast::<TupleData>() else { return Err(vm.type_error("state is not a tuple")) };
    if t.items.len() != N {
        return Err(vm.type_error(format!("function takes exactly {N} arguments ({} given)", t.items.len())));
    }
    Ok(std::array::from_fn(|i| t.items[i].clone()))
}

/// A C `int` argument of `PyArg_ParseTuple` (`"i"`).
fn c_int(vm: &Vm, o: &Obj) -> PyResult<i64> {
    if o.downcast::<f64>().is_some() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let v = util::to_isize(vm, o)? as i64;
    if v > i32::MAX as i64 {
        return Err(vm.new_error(&vm.types.overflow_error, "signed integer is greater than maximum"));
    }
    if v < i32::MIN as i64 {
        return Err(vm.new_error(&vm.types.overflow_error, "signed integer is less than minimum"));
    }
    Ok(v)
}

/// `"argument N must be T, not U"`, `PyArg_ParseTuple`'s `O!` error.
fn wrong_arg(vm: &Vm, n: usize, want: &str, got: &Obj) -> taipan_vm::PyErr {
    vm.type_error(format!("argument {n} must be {want}, not {}", type_name(got)))
}

static CYCLE_METHODS: &[MethodDef] = &[
    reduce_method(|vm, this, args, kw| {
        taipan_vm::native::exact::<0>(vm, "__reduce__", args, kw)?;
        let c = get::<Cycle>(vm, this)?;
        let saved = c.saved.borrow().clone();
        let it = c.it.borrow().clone();
        let Some(it) = it else {
            // Exhausted input: restart from the saved items at `index`.
            let it = ops::iter(vm, &saved)?;
            if c.index.get() != 0 {
                util::call_method(vm, &it, "__setstate__", &[vm.int(c.index.get() as i64)])?;
            }
            return Ok(reduce_value(vm, type_of(this), vec![it], Some(new_tuple(vm, vec![saved, vm.true_.clone()]))));
        };
        let first = vm.bool(c.firstpass.get());
        Ok(reduce_value(vm, type_of(this), vec![it], Some(new_tuple(vm, vec![saved, first]))))
    }),
    MethodDef::method(
        "__setstate__",
        |vm, this, args, kw| {
            let [state] = taipan_vm::native::exact::<1>(vm, "__setstate__", args, kw)?;
            let c = get::<Cycle>(vm, this)?;
            let [saved, first] = state_tuple::<2>(vm, &state)?;
            if saved.downcast::<ListData>().is_none() {
                return Err(wrong_arg(vm, 1, "list", &saved));
            }
            let first = c_int(vm, &first)?;
            drop(c.saved.replace(saved));
            c.firstpass.set(first != 0);
            c.index.set(0);
            Ok(vm.none.clone())
        },
        "Set state information for unpickling.",
    ),
];

// accumulate -----------------------------------------------------------

pub struct Accumulate {
    it: Obj,
    func: Option<Obj>,
    total: RefCell<Option<Obj>>,
    initial: RefCell<Option<Obj>>,
}

iter_type!(
    accumulate_type,
    Accumulate,
    "itertools.accumulate",
    slots(
        |vm, cls, args, kw| {
            let p = Params { fname: "accumulate", names: &["iterable", "func", "initial"], posonly: 0, kwonly: 1, required: 1 };
            let [iterable, func, initial] = bind::<3>(vm, &p, args, kw)?;
            let it = ops::iter(vm, &iterable.unwrap_or_else(|| vm.none.clone()))?;
            let func = func.filter(|f| !f.is(&vm.none));
            let initial = initial.filter(|f| !f.is(&vm.none));
            Ok(alloc(cls.clone(), Accumulate { it, func, total: RefCell::new(None), initial: RefCell::new(initial) }))
        },
        |vm, o| {
            let a = get::<Accumulate>(vm, o)?;
            let init = a.initial.borrow_mut().take();
            if let Some(init) = init {
                *a.total.borrow_mut() = Some(init.clone());
                return Ok(Some(init));
            }
            let Some(x) = ops::next(vm, &a.it)? else { return Ok(None) };
            let total = a.total.borrow().clone();
            let new = match total {
                None => x,
                Some(t) => match &a.func {
                    None => ops::binary_op(vm, BinaryOp::Add, &t, &x)?,
                    Some(f) => call(vm, f, &[t, x])?,
                },
            };
            *a.total.borrow_mut() = Some(new.clone());
            Ok(Some(new))
        },
        |o, visit| {
            if let Some(a) = o.downcast::<Accumulate>() {
                visit(&a.it);
                if let Some(f) = &a.func {
                    visit(f);
                }
                visit_opt(&a.total, visit);
                visit_opt(&a.initial, visit);
            }
        }
    ),
    ACCUMULATE_METHODS
);

/// `chain((first,), it)`, the input of a rebuilt accumulate.
fn chain_with(vm: &Vm, first: Obj, it: &Obj) -> PyResult<Obj> {
    call(vm, &chain_type(vm), &[new_tuple(vm, vec![first]), it.clone()])
}

static ACCUMULATE_METHODS: &[MethodDef] = &[
    reduce_method(|vm, this, args, kw| {
        taipan_vm::native::exact::<0>(vm, "__reduce__", args, kw)?;
        let a = get::<Accumulate>(vm, this)?;
        let func = a.func.clone().unwrap_or_else(|| vm.none.clone());
        let initial = a.initial.borrow().clone();
        if let Some(initial) = initial {
            let it = chain_with(vm, initial, &a.it)?;
            return Ok(reduce_value(vm, type_of(this), vec![it, func], Some(vm.none.clone())));
        }
        let total = a.total.borrow().clone();
        match total {
            // A running total of None cannot be a state (None means no
            // state): islice(accumulate(chain((None,), it), func), 1, None).
            Some(t) if t.is(&vm.none) => {
                let it = chain_with(vm, t, &a.it)?;
                let acc = call(vm, &type_of(this), &[it, func])?;
                Ok(reduce_value(vm, islice_type(vm), vec![acc, vm.int(1), vm.none.clone()], None))
            }
            t => Ok(reduce_value(vm, type_of(this), vec![a.it.clone(), func], Some(t.unwrap_or_else(|| vm.none.clone())))),
        }
    }),
    MethodDef::method(
        "__setstate__",
        |vm, this, args, kw| {
            let [state] = taipan_vm::native::exact::<1>(vm, "__setstate__", args, kw)?;
            drop(get::<Accumulate>(vm, this)?.total.replace(Some(state)));
            Ok(vm.none.clone())
        },
        "Set state information for unpickling.",
    ),
];

// chain ----------------------------------------------------------------

pub struct Chain {
    source: RefCell<Option<Obj>>,
    active: RefCell<Option<Obj>>,
}

iter_type!(
    chain_type,
    Chain,
    "itertools.chain",
    slots(
        |vm, cls, args, kw| {
            no_kwargs_for_new(vm, cls, "chain", kw)?;
            let source = ops::iter(vm, &new_tuple(vm, args.to_vec()))?;
            Ok(alloc(cls.clone(), Chain { source: RefCell::new(Some(source)), active: RefCell::new(None) }))
        },
        |vm, o| {
            let c = get::<Chain>(vm, o)?;
            loop {
                let active = c.active.borrow().clone();
                if let Some(it) = active {
                    if let Some(x) = ops::next(vm, &it)? {
                        return Ok(Some(x));
                    }
                    drop(c.active.borrow_mut().take());
                }
                let source = c.source.borrow().clone();
                let Some(source) = source else { return Ok(None) };
                match ops::next(vm, &source)? {
                    Some(iterable) => {
                        let it = ops::iter(vm, &iterable)?;
                        *c.active.borrow_mut() = Some(it);
                    }
                    None => {
                        drop(c.source.borrow_mut().take());
                        return Ok(None);
                    }
                }
            }
        },
        |o, visit| {
            if let Some(c) = o.downcast::<Chain>() {
                visit_opt(&c.source, visit);
                visit_opt(&c.active, visit);
            }
        }
    ),
    CHAIN_METHODS
);

static CHAIN_METHODS: &[MethodDef] = &[
    reduce_method(|vm, this, args, kw| {
        taipan_vm::native::exact::<0>(vm, "__reduce__", args, kw)?;
        let c = get::<Chain>(vm, this)?;
        let mut parts = vec![type_of(this), new_tuple(vm, vec![])];
        if let Some(source) = c.source.borrow().clone() {
            let mut state = vec![source];
            state.extend(c.active.borrow().clone());
            parts.push(new_tuple(vm, state));
        }
        Ok(new_tuple(vm, parts))
    }),
    MethodDef::method(
        "__setstate__",
        |vm, this, args, kw| {
            let [state] = taipan_vm::native::exact::<1>(vm, "__setstate__", args, kw)?;
            let c = get::<Chain>(vm, this)?;
            let items = match state.downcast::<TupleData>() {
                Some(t) if t.items.is_empty() => return Err(vm.type_error("function takes at least 1 argument (0 given)")),
                Some(t) if t.items.len() > 2 => {
                    return Err(vm.type_error(format!("function takes at most 2 arguments ({} given)", t.items.len())))
                }
                Some(t) => t.items.to_vec(),
                None => return Err(vm.type_error("state is not a tuple")),
            };
            for x in &items {
                if lookup(&type_of(x), "__next__").is_none() {
                    return Err(vm.type_error("Arguments must be iterators."));
                }
            }
            *c.source.borrow_mut() = Some(items[0].clone());
            *c.active.borrow_mut() = items.get(1).cloned();
            Ok(vm.none.clone())
        },
        "Set state information for unpickling.",
    ),
    MethodDef::class(
        "from_iterable",
        |vm, cls, args, kw| {
            let [iterable] = taipan_vm::native::exact::<1>(vm, "chain.from_iterable", args, kw)?;
            let source = ops::iter(vm, &iterable)?;
            Ok(alloc(cls.clone(), Chain { source: RefCell::new(Some(source)), active: RefCell::new(None) }))
        },
        "Alternative chain() constructor taking a single iterable argument that evaluates lazily.",
    ),
    MethodDef::class("__class_getitem__", taipan_vm::types::genericalias::class_getitem, "See PEP 585"),
];

// compress / dropwhile / takewhile / filterfalse / starmap --------------

pub struct TwoIter {
    func: Obj,
    it: Obj,
    /// dropwhile: done dropping; takewhile: stopped.
    flag: Cell<bool>,
}

fn two_traverse(o: &Obj, visit: Visit) {
    if let Some(t) = o.downcast::<TwoIter>() {
        visit(&t.func);
        visit(&t.it);
    }
}

iter_type!(
    compress_type,
    TwoIter,
    "itertools.compress",
    slots(
        |vm, cls, args, kw| {
            let p = Params { fname: "compress", names: &["data", "selectors"], posonly: 0, kwonly: 0, required: 2 };
            let [data, selectors] = bind::<2>(vm, &p, args, kw)?;
            let data = ops::iter(vm, &data.unwrap_or_else(|| vm.none.clone()))?;
            let selectors = ops::iter(vm, &selectors.unwrap_or_else(|| vm.none.clone()))?;
            Ok(alloc(cls.clone(), TwoIter { func: selectors, it: data, flag: Cell::new(false) }))
        },
        |vm, o| {
            let t = get::<TwoIter>(vm, o)?;
            loop {
                let Some(x) = ops::next(vm, &t.it)? else { return Ok(None) };
                let Some(s) = ops::next(vm, &t.func)? else { return Ok(None) };
                if ops::truth(vm, &s)? {
                    return Ok(Some(x));
                }
            }
        },
        two_traverse
    ),
    COMPRESS_METHODS
);

fn two_new(vm: &Vm, cls: &Obj, name: &str, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs_for_new(vm, cls, name, kw)?;
    let [func, iterable] = exact_named::<2>(vm, name, args, &[])?;
    let it = ops::iter(vm, &iterable)?;
    Ok(alloc(cls.clone(), TwoIter { func, it, flag: Cell::new(false) }))
}

fn pred(vm: &Vm, f: &Obj, x: &Obj) -> PyResult<bool> {
    let r = call(vm, f, std::slice::from_ref(x))?;
    ops::truth(vm, &r)
}

iter_type!(
    dropwhile_type,
    TwoIter,
    "itertools.dropwhile",
    slots(
        |vm, cls, args, kw| two_new(vm, cls, "dropwhile", args, kw),
        |vm, o| {
            let t = get::<TwoIter>(vm, o)?;
            loop {
                let Some(x) = ops::next(vm, &t.it)? else { return Ok(None) };
                if t.flag.get() || !pred(vm, &t.func, &x)? {
                    t.flag.set(true);
                    return Ok(Some(x));
                }
            }
        },
        two_traverse
    ),
    DROPWHILE_METHODS
);

iter_type!(
    takewhile_type,
    TwoIter,
    "itertools.takewhile",
    slots(
        |vm, cls, args, kw| two_new(vm, cls, "takewhile", args, kw),
        |vm, o| {
            let t = get::<TwoIter>(vm, o)?;
            if t.flag.get() {
                return Ok(None);
            }
            let Some(x) = ops::next(vm, &t.it)? else { return Ok(None) };
            if pred(vm, &t.func, &x)? {
                return Ok(Some(x));
            }
            t.flag.set(true);
            Ok(None)
        },
        two_traverse
    ),
    TAKEWHILE_METHODS
);

iter_type!(
    filterfalse_type,
    TwoIter,
    "itertools.filterfalse",
    slots(
        |vm, cls, args, kw| two_new(vm, cls, "filterfalse", args, kw),
        |vm, o| {
            let t = get::<TwoIter>(vm, o)?;
            loop {
                let Some(x) = ops::next(vm, &t.it)? else { return Ok(None) };
                let ok = if t.func.is(&vm.none) || t.func.is(&vm.types.bool_) { ops::truth(vm, &x)? } else { pred(vm, &t.func, &x)? };
                if !ok {
                    return Ok(Some(x));
                }
            }
        },
        two_traverse
    ),
    FILTERFALSE_METHODS
);

iter_type!(
    starmap_type,
    TwoIter,
    "itertools.starmap",
    slots(
        |vm, cls, args, kw| two_new(vm, cls, "starmap", args, kw),
        |vm, o| {
            let t = get::<TwoIter>(vm, o)?;
            let Some(x) = ops::next(vm, &t.it)? else { return Ok(None) };
            let args = match x.downcast::<TupleData>() {
                Some(tu) => tu.items.to_vec(),
                None => util::collect(vm, &x)?,
            };
            call(vm, &t.func, &args).map(Some)
        },
        two_traverse
    ),
    STARMAP_METHODS
);

/// `(type, (func, it))`, plus the flag for dropwhile/takewhile; compress
/// stores (selectors, data) and reduces to `(compress, (data, selectors))`.
fn two_reduce(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "__reduce__", args, kw)?;
    let t = get::<TwoIter>(vm, this)?;
    let name = type_data(&type_of(this)).name.clone();
    let a = if name.ends_with("compress") { vec![t.it.clone(), t.func.clone()] } else { vec![t.func.clone(), t.it.clone()] };
    let mut parts = vec![type_of(this), new_tuple(vm, a)];
    if name.ends_with("dropwhile") || name.ends_with("takewhile") {
        parts.push(vm.int(t.flag.get() as i64));
    }
    Ok(new_tuple(vm, parts))
}

fn two_setstate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [state] = taipan_vm::native::exact::<1>(vm, "__setstate__", args, kw)?;
    let flag = ops::truth(vm, &state)?;
    get::<TwoIter>(vm, this)?.flag.set(flag);
    Ok(vm.none.clone())
}

static COMPRESS_METHODS: &[MethodDef] = &[reduce_method(two_reduce)];
static FILTERFALSE_METHODS: &[MethodDef] = &[reduce_method(two_reduce)];
static STARMAP_METHODS: &[MethodDef] = &[reduce_method(two_reduce)];
static DROPWHILE_METHODS: &[MethodDef] =
    &[reduce_method(two_reduce), MethodDef::method("__setstate__", two_setstate, "Set state information for unpickling.")];
static TAKEWHILE_METHODS: &[MethodDef] =
    &[reduce_method(two_reduce), MethodDef::method("__setstate__", two_setstate, "Set state information for unpickling.")];

// pairwise -------------------------------------------------------------

pub struct Pairwise {
    it: RefCell<Option<Obj>>,
    old: RefCell<Option<Obj>>,
}

iter_type!(
    pairwise_type,
    Pairwise,
    "itertools.pairwise",
    slots(
        |vm, cls, args, kw| {
            let [iterable] = exact_named::<1>(vm, "pairwise", args, kw)?;
            let it = ops::iter(vm, &iterable)?;
            Ok(alloc(cls.clone(), Pairwise { it: RefCell::new(Some(it)), old: RefCell::new(None) }))
        },
        |vm, o| {
            let p = get::<Pairwise>(vm, o)?;
            let it = p.it.borrow().clone();
            let Some(it) = it else { return Ok(None) };
            let old = p.old.borrow().clone();
            let old = match old {
                Some(o) => o,
                None => match ops::next(vm, &it)? {
                    Some(x) => {
                        *p.old.borrow_mut() = Some(x.clone());
                        x
                    }
                    None => {
                        drop(p.it.borrow_mut().take());
                        return Ok(None);
                    }
                },
            };
            match ops::next(vm, &it)? {
                Some(new) => {
                    *p.old.borrow_mut() = Some(new.clone());
                    Ok(Some(new_tuple(vm, vec![old, new])))
                }
                None => {
                    drop(p.it.borrow_mut().take());
                    drop(p.old.borrow_mut().take());
                    Ok(None)
                }
            }
        },
        |o, visit| {
            if let Some(p) = o.downcast::<Pairwise>() {
                visit_opt(&p.it, visit);
                visit_opt(&p.old, visit);
            }
        }
    ),
    &[]
);

// islice ---------------------------------------------------------------

pub struct Islice {
    it: RefCell<Option<Obj>>,
    next: Cell<usize>,
    stop: Option<usize>,
    step: usize,
    cnt: Cell<usize>,
}

fn islice_index(vm: &Vm, o: &Obj, msg: &str) -> PyResult<Option<usize>> {
    if o.is(&vm.none) {
        return Ok(None);
    }
    let bad = || vm.new_error(&vm.types.value_error, msg.to_string());
    let i = match ops::index(vm, o) {
        Ok(i) => i,
        Err(e) if is_error(&e, &vm.types.type_error) => return Err(bad()),
        Err(e) => return Err(e),
    };
    match i.downcast::<IntData>() {
        Some(IntData::Small(v)) if *v >= 0 => Ok(Some(*v as usize)),
        Some(IntData::Big(_)) if !int_data(&i).is_some_and(|d| d.is_negative()) => Ok(Some(isize::MAX as usize)),
        _ => Err(bad()),
    }
}

iter_type!(
    islice_type,
    Islice,
    "itertools.islice",
    slots(
        |vm, cls, args, kw| {
            no_kwargs_for_new(vm, cls, "islice", kw)?;
            if args.len() < 2 {
                return Err(vm.type_error(format!("islice expected at least 2 arguments, got {}", args.len())));
            }
            if args.len() > 4 {
                return Err(vm.type_error(format!("islice expected at most 4 arguments, got {}", args.len())));
            }
            const STOP: &str = "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.";
            const IDX: &str = "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.";
            let (start, stop, step) = if args.len() == 2 {
                (0, islice_index(vm, &args[1], STOP)?, 1)
            } else {
                let start = islice_index(vm, &args[1], IDX)?.unwrap_or(0);
                let stop = islice_index(vm, &args[2], STOP)?;
                let step = match args.get(3) {
                    None => 1,
                    Some(s) => match islice_index(vm, s, "Step for islice() must be a positive integer or None.")? {
                        None => 1,
                        Some(0) => return Err(vm.new_error(&vm.types.value_error, "Step for islice() must be a positive integer or None.")),
                        Some(n) => n,
                    },
                };
                (start, stop, step)
            };
            let it = ops::iter(vm, &args[0])?;
            Ok(alloc(cls.clone(), Islice { it: RefCell::new(Some(it)), next: Cell::new(start), stop, step, cnt: Cell::new(0) }))
        },
        |vm, o| {
            let s = get::<Islice>(vm, o)?;
            let it = s.it.borrow().clone();
            let Some(it) = it else { return Ok(None) };
            let stop = s.stop;
            while s.cnt.get() < s.next.get() {
                if ops::next(vm, &it)?.is_none() {
                    drop(s.it.borrow_mut().take());
                    return Ok(None);
                }
                s.cnt.set(s.cnt.get() + 1);
            }
            if stop.is_some_and(|st| s.cnt.get() >= st) {
                drop(s.it.borrow_mut().take());
                return Ok(None);
            }
            let Some(item) = ops::next(vm, &it)? else {
                drop(s.it.borrow_mut().take());
                return Ok(None);
            };
            s.cnt.set(s.cnt.get() + 1);
            let old = s.next.get();
            let mut next = old.saturating_add(s.step);
            if let Some(st) = stop {
                if next > st {
                    next = st;
                }
            }
            s.next.set(next);
            Ok(Some(item))
        },
        |o, visit| {
            if let Some(s) = o.downcast::<Islice>() {
                visit_opt(&s.it, visit);
            }
        }
    ),
    ISLICE_METHODS
);

static ISLICE_METHODS: &[MethodDef] = &[
    reduce_method(|vm, this, args, kw| {
        taipan_vm::native::exact::<0>(vm, "__reduce__", args, kw)?;
        let s = get::<Islice>(vm, this)?;
        let Some(it) = s.it.borrow().clone() else {
            let empty = ops::iter(vm, &new_list(vm, vec![]))?;
            return Ok(new_tuple(vm, vec![type_of(this), new_tuple(vm, vec![empty, vm.int(0)]), vm.int(0)]));
        };
        let stop = s.stop.map_or_else(|| vm.none.clone(), |v| vm.int(v as i64));
        let a = vec![it, vm.int(s.next.get() as i64), stop, vm.int(s.step as i64)];
        Ok(new_tuple(vm, vec![type_of(this), new_tuple(vm, a), vm.int(s.cnt.get() as i64)]))
    }),
    MethodDef::method(
        "__setstate__",
        |vm, this, args, kw| {
            let [state] = taipan_vm::native::exact::<1>(vm, "__setstate__", args, kw)?;
            let n = util::to_isize(vm, &state)?;
            get::<Islice>(vm, this)?.cnt.set(n.max(0) as usize);
            Ok(vm.none.clone())
        },
        "Set state information for unpickling.",
    ),
];

// groupby --------------------------------------------------------------

pub struct GroupBy {
    it: Obj,
    keyfunc: Option<Obj>,
    tgtkey: RefCell<Option<Obj>>,
    currkey: RefCell<Option<Obj>>,
    currvalue: RefCell<Option<Obj>>,
    /// The `_grouper` currently allowed to advance (its identity).
    currgrouper: Cell<usize>,
}

pub struct Grouper {
    parent: Obj,
    tgtkey: Obj,
}

impl GroupBy {
    /// Reads the next value and its key into `currvalue`/`currkey`;
    /// `false` at the end.
    fn step(&self, vm: &Vm) -> PyResult<bool> {
        let Some(v) = ops::next(vm, &self.it)? else { return Ok(false) };
        let k = match &self.keyfunc {
            None => v.clone(),
            Some(f) => call(vm, f, std::slice::from_ref(&v))?,
        };
        drop(self.currvalue.replace(Some(v)));
        drop(self.currkey.replace(Some(k)));
        Ok(true)
    }
}

iter_type!(
    groupby_type,
    GroupBy,
    "itertools.groupby",
    slots(
        |vm, cls, args, kw| {
            let p = Params { fname: "groupby", names: &["iterable", "key"], posonly: 0, kwonly: 0, required: 1 };
            let [iterable, key] = bind::<2>(vm, &p, args, kw)?;
            let it = ops::iter(vm, &iterable.unwrap_or_else(|| vm.none.clone()))?;
            let keyfunc = key.filter(|k| !k.is(&vm.none));
            Ok(alloc(
                cls.clone(),
                GroupBy {
                    it,
                    keyfunc,
                    tgtkey: RefCell::new(None),
                    currkey: RefCell::new(None),
                    currvalue: RefCell::new(None),
                    currgrouper: Cell::new(0),
                },
            ))
        },
        |vm, o| {
            let g = get::<GroupBy>(vm, o)?;
            g.currgrouper.set(0);
            // Skip to the next key.
            loop {
                let curr = g.currkey.borrow().clone();
                let Some(curr) = curr else {
                    if !g.step(vm)? {
                        return Ok(None);
                    }
                    continue;
                };
                let tgt = g.tgtkey.borrow().clone();
                match tgt {
                    Some(t) if ops::eq(vm, &t, &curr)? => {
                        if !g.step(vm)? {
                            return Ok(None);
                        }
                    }
                    _ => break,
                }
            }
            let curr = g.currkey.borrow().clone().unwrap_or_else(|| vm.none.clone());
            drop(g.tgtkey.replace(Some(curr.clone())));
            let grouper = alloc(grouper_type(vm), Grouper { parent: o.clone(), tgtkey: curr.clone() });
            g.currgrouper.set(grouper.as_ptr() as usize);
            Ok(Some(new_tuple(vm, vec![curr, grouper])))
        },
        |o, visit| {
            if let Some(g) = o.downcast::<GroupBy>() {
                visit(&g.it);
                if let Some(f) = &g.keyfunc {
                    visit(f);
                }
                visit_opt(&g.tgtkey, visit);
                visit_opt(&g.currkey, visit);
                visit_opt(&g.currvalue, visit);
            }
        }
    ),
    GROUPBY_METHODS
);

static GROUPBY_METHODS: &[MethodDef] = &[
    reduce_method(|vm, this, args, kw| {
        taipan_vm::native::exact::<0>(vm, "__reduce__", args, kw)?;
        let g = get::<GroupBy>(vm, this)?;
        let keyfunc = g.keyfunc.clone().unwrap_or_else(|| vm.none.clone());
        let a = vec![g.it.clone(), keyfunc];
        let (tgt, key, value) = (g.tgtkey.borrow().clone(), g.currkey.borrow().clone(), g.currvalue.borrow().clone());
        let state = match (tgt, key, value) {
            (Some(t), Some(k), Some(v)) => Some(new_tuple(vm, vec![k, v, t])),
            _ => None,
        };
        Ok(reduce_value(vm, type_of(this), a, state))
    }),
    MethodDef::method(
        "__setstate__",
        |vm, this, args, kw| {
            let [state] = taipan_vm::native::exact::<1>(vm, "__setstate__", args, kw)?;
            let g = get::<GroupBy>(vm, this)?;
            let [key, value, tgt] = state_tuple::<3>(vm, &state)?;
            drop(g.currkey.replace(Some(key)));
            drop(g.currvalue.replace(Some(value)));
            drop(g.tgtkey.replace(Some(tgt)));
            Ok(vm.none.clone())
        },
        "Set state information for unpickling.",
    ),
];

iter_type!(
    grouper_type,
    Grouper,
    "itertools._grouper",
    slots(
        |vm, cls, args, kw| {
            no_kwargs_for_new(vm, cls, "_grouper", kw)?;
            let [parent, tgtkey] = exact_named::<2>(vm, "_grouper", args, &[])?;
            if parent.downcast::<GroupBy>().is_none() {
                return Err(vm.type_error(format!("_grouper() argument 1 must be itertools.groupby, not {}", type_name(&parent))));
            }
            let grouper = alloc(cls.clone(), Grouper { parent: parent.clone(), tgtkey });
            get::<GroupBy>(vm, &parent)?.currgrouper.set(grouper.as_ptr() as usize);
            Ok(grouper)
        },
        |vm, o| {
            let gr = get::<Grouper>(vm, o)?;
            let g = get::<GroupBy>(vm, &gr.parent)?;
            if g.currgrouper.get() != o.as_ptr() as usize {
                return Ok(None);
            }
            if g.currvalue.borrow().is_none() && !g.step(vm)? {
                return Ok(None);
            }
            let curr = g.currkey.borrow().clone().unwrap_or_else(|| vm.none.clone());
            if !ops::eq(vm, &gr.tgtkey, &curr)? {
                return Ok(None);
            }
            let v = g.currvalue.borrow_mut().take();
            drop(g.currkey.borrow_mut().take());
            Ok(v)
        },
        |o, visit| {
            if let Some(g) = o.downcast::<Grouper>() {
                visit(&g.parent);
                visit(&g.tgtkey);
            }
        }
    ),
    GROUPER_METHODS
);

static GROUPER_METHODS: &[MethodDef] = &[reduce_method(|vm, this, args, kw| {
    taipan_vm::native::exact::<0>(vm, "__reduce__", args, kw)?;
    let gr = get::<Grouper>(vm, this)?;
    // Only the group currently being read can be rebuilt; others are over.
    if get::<GroupBy>(vm, &gr.parent)?.currgrouper.get() != this.as_ptr() as usize {
        return Ok(reduce_value(vm, builtin_obj(vm, "iter")?, vec![new_tuple(vm, vec![])], None));
    }
    Ok(reduce_value(vm, type_of(this), vec![gr.parent.clone(), gr.tgtkey.clone()], None))
})];

// tee ------------------------------------------------------------------

/// A block of up to `LINKCELLS` values read from the shared iterator,
/// linked to the next block (`_tee_dataobject`).
pub struct TeeData {
    it: Obj,
    values: RefCell<Vec<Obj>>,
    nextlink: RefCell<Option<Obj>>,
    running: Cell<bool>,
}

const LINKCELLS: usize = 57;

pub struct Tee {
    data: RefCell<Obj>,
    index: Cell<usize>,
}

fn new_teedata(vm: &Vm, it: Obj) -> Obj {
    alloc(teedata_type(vm), TeeData { it, values: RefCell::new(Vec::new()), nextlink: RefCell::new(None), running: Cell::new(false) })
}

iter_type!(
    teedata_type,
    TeeData,
    "itertools._tee_dataobject",
    Slots {
        next: None,
        iter: None,
        ..slots(
            |vm, cls, args, kw| {
                no_kwargs_for_new(vm, cls, "_tee_dataobject", kw)?;
                let [it, values, next] = exact_named::<3>(vm, "_tee_dataobject", args, &[])?;
                let Some(values) = values.downcast::<ListData>().map(|l| l.items.borrow().clone()) else {
                    return Err(vm.type_error(format!("teedataobject() argument 2 must be list, not {}", type_name(&values))));
                };
                let invalid = || vm.new_error(&vm.types.value_error, "Invalid arguments");
                // Only a full block links to a next one.
                let next = if next.is(&vm.none) {
                    None
                } else if values.len() == LINKCELLS && next.downcast::<TeeData>().is_some() {
                    Some(next)
                } else {
                    return Err(invalid());
                };
                if values.len() > LINKCELLS {
                    return Err(invalid());
                }
                Ok(alloc(
                    cls.clone(),
                    TeeData { it, values: RefCell::new(values), nextlink: RefCell::new(next), running: Cell::new(false) },
                ))
            },
            |_, _| Ok(None),
            |o, visit| {
                if let Some(t) = o.downcast::<TeeData>() {
                    visit(&t.it);
                    visit_vec(&t.values, visit);
                    visit_opt(&t.nextlink, visit);
                }
            }
        )
    },
    TEEDATA_METHODS
);

static TEEDATA_METHODS: &[MethodDef] = &[reduce_method(|vm, this, args, kw| {
    taipan_vm::native::exact::<0>(vm, "__reduce__", args, kw)?;
    let d = get::<TeeData>(vm, this)?;
    let values = new_list(vm, d.values.borrow().clone());
    let next = d.nextlink.borrow().clone().unwrap_or_else(|| vm.none.clone());
    Ok(reduce_value(vm, type_of(this), vec![d.it.clone(), values, next], None))
})];

fn new_tee(vm: &Vm, cls: &Obj, iterable: &Obj) -> PyResult<Obj> {
    let it = ops::iter(vm, iterable)?;
    if let Some(t) = it.downcast::<Tee>() {
        return Ok(alloc(cls.clone(), Tee { data: RefCell::new(t.data.borrow().clone()), index: Cell::new(t.index.get()) }));
    }
    Ok(alloc(cls.clone(), Tee { data: RefCell::new(new_teedata(vm, it)), index: Cell::new(0) }))
}

fn tee_slots() -> Slots {
    slots(
        |vm, cls, args, kw| {
            let [iterable] = exact_named::<1>(vm, "_tee", args, kw)?;
            new_tee(vm, cls, &iterable)
        },
        |vm, o| {
            let t = get::<Tee>(vm, o)?;
            if t.index.get() >= LINKCELLS {
                let data = t.data.borrow().clone();
                let d = get::<TeeData>(vm, &data)?;
                let link = d.nextlink.borrow().clone();
                let link = match link {
                    Some(l) => l,
                    None => {
                        let l = new_teedata(vm, d.it.clone());
                        *d.nextlink.borrow_mut() = Some(l.clone());
                        l
                    }
                };
                drop(t.data.replace(link));
                t.index.set(0);
            }
            let data = t.data.borrow().clone();
            let d = get::<TeeData>(vm, &data)?;
            let i = t.index.get();
            let have = d.values.borrow().get(i).cloned();
            let v = match have {
                Some(v) => v,
                None => {
                    if d.running.get() {
                        return Err(vm.new_error(&vm.types.runtime_error, "cannot re-enter the tee iterator"));
                    }
                    d.running.set(true);
                    let r = ops::next(vm, &d.it);
                    d.running.set(false);
                    let Some(v) = r? else { return Ok(None) };
                    d.values.borrow_mut().push(v.clone());
                    v
                }
            };
            t.index.set(i + 1);
            Ok(Some(v))
        },
        |o, visit| {
            if let Some(t) = o.downcast::<Tee>() {
                if let Ok(d) = t.data.try_borrow() {
                    visit(&d);
                }
            }
        },
    )
}

fn tee_copy(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "__copy__", args, kw)?;
    let t = get::<Tee>(vm, this)?;
    Ok(alloc(type_of(this), Tee { data: RefCell::new(t.data.borrow().clone()), index: Cell::new(t.index.get()) }))
}

static TEE_METHODS: &[MethodDef] = &[
    MethodDef::method("__copy__", tee_copy, "Returns an independent iterator."),
    reduce_method(|vm, this, args, kw| {
        taipan_vm::native::exact::<0>(vm, "__reduce__", args, kw)?;
        let t = get::<Tee>(vm, this)?;
        let state = new_tuple(vm, vec![t.data.borrow().clone(), vm.int(t.index.get() as i64)]);
        Ok(reduce_value(vm, type_of(this), vec![new_tuple(vm, vec![])], Some(state)))
    }),
    MethodDef::method(
        "__setstate__",
        |vm, this, args, kw| {
            let [state] = taipan_vm::native::exact::<1>(vm, "__setstate__", args, kw)?;
            let t = get::<Tee>(vm, this)?;
            let [data, index] = state_tuple::<2>(vm, &state)?;
            if data.downcast::<TeeData>().is_none() {
                return Err(wrong_arg(vm, 1, "itertools._tee_dataobject", &data));
            }
            let index = c_int(vm, &index)?;
            if !(0..=LINKCELLS as i64).contains(&index) {
                return Err(vm.new_error(&vm.types.value_error, "Index out of range"));
            }
            drop(t.data.replace(data));
            t.index.set(index as usize);
            Ok(vm.none.clone())
        },
        "Set state information for unpickling.",
    ),
];

fn tee(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "tee", kw)?;
    if args.is_empty() {
        return Err(vm.type_error("tee expected at least 1 argument, got 0"));
    }
    if args.len() > 2 {
        return Err(vm.type_error(format!("tee expected at most 2 arguments, got {}", args.len())));
    }
    let n = match args.get(1) {
        Some(n) => util::to_isize(vm, n)?,
        None => 2,
    };
    if n < 0 {
        return Err(vm.new_error(&vm.types.value_error, "n must be >= 0"));
    }
    let it = ops::iter(vm, &args[0])?;
    if n == 0 {
        return Ok(new_tuple(vm, Vec::new()));
    }
    let first = match util::getattr_opt(vm, &it, "__copy__")? {
        Some(_) => it,
        None => new_tee(vm, &tee_type(vm), &it)?,
    };
    let mut out = vec![first.clone()];
    for _ in 1..n {
        out.push(util::call_method(vm, &first, "__copy__", &[])?);
    }
    Ok(new_tuple(vm, out))
}

// zip_longest ----------------------------------------------------------

pub struct ZipLongest {
    iters: RefCell<Vec<Option<Obj>>>,
    active: Cell<usize>,
    fill: RefCell<Obj>,
}

iter_type!(
    zip_longest_type,
    ZipLongest,
    "itertools.zip_longest",
    slots(
        |vm, cls, args, kw| {
            let mut fill = vm.none.clone();
            for (k, v) in kw {
                if &*str_data(k).as_str() == "fillvalue" {
                    fill = v.clone();
                } else {
                    return Err(vm.type_error("zip_longest() got an unexpected keyword argument"));
                }
            }
            let mut iters = Vec::new();
            for a in args {
                iters.push(Some(ops::iter(vm, a)?));
            }
            let n = iters.len();
            Ok(alloc(cls.clone(), ZipLongest { iters: RefCell::new(iters), active: Cell::new(n), fill: RefCell::new(fill) }))
        },
        |vm, o| {
            let z = get::<ZipLongest>(vm, o)?;
            let n = z.iters.borrow().len();
            if n == 0 || z.active.get() == 0 {
                return Ok(None);
            }
            let mut out = Vec::with_capacity(n);
            for i in 0..n {
                let it = z.iters.borrow()[i].clone();
                match it {
                    None => out.push(z.fill.borrow().clone()),
                    Some(it) => match ops::next(vm, &it)? {
                        Some(x) => out.push(x),
                        None => {
                            z.active.set(z.active.get() - 1);
                            if z.active.get() == 0 {
                                return Ok(None);
                            }
                            z.iters.borrow_mut()[i] = None;
                            out.push(z.fill.borrow().clone());
                        }
                    },
                }
            }
            Ok(Some(new_tuple(vm, out)))
        },
        |o, visit| {
            if let Some(z) = o.downcast::<ZipLongest>() {
                if let Ok(v) = z.iters.try_borrow() {
                    v.iter().flatten().for_each(&mut *visit);
                }
                if let Ok(f) = z.fill.try_borrow() {
                    visit(&f);
                }
            }
        }
    ),
    ZIP_LONGEST_METHODS
);

static ZIP_LONGEST_METHODS: &[MethodDef] = &[
    reduce_method(|vm, this, args, kw| {
        taipan_vm::native::exact::<0>(vm, "__reduce__", args, kw)?;
        let z = get::<ZipLongest>(vm, this)?;
        // An exhausted input is pickled as an empty tuple.
        let iters = z.iters.borrow().iter().map(|it| it.clone().unwrap_or_else(|| new_tuple(vm, vec![]))).collect();
        Ok(new_tuple(vm, vec![type_of(this), new_tuple(vm, iters), z.fill.borrow().clone()]))
    }),
    MethodDef::method(
        "__setstate__",
        |vm, this, args, kw| {
            let [state] = taipan_vm::native::exact::<1>(vm, "__setstate__", args, kw)?;
            drop(get::<ZipLongest>(vm, this)?.fill.replace(state));
            Ok(vm.none.clone())
        },
        "Set state information for unpickling.",
    ),
];

// product / permutations / combinations --------------------------------

/// The combinatoric iterators: the pool, the current index vector and
/// (permutations) the cycles; `result` is `None` before the first item.
pub struct Combinatoric {
    pool: Vec<Obj>,
    /// product: the pools, concatenated; `sizes` their lengths.
    sizes: Vec<usize>,
    indices: RefCell<Vec<usize>>,
    cycles: RefCell<Vec<usize>>,
    r: usize,
    started: Cell<bool>,
    stopped: Cell<bool>,
}

fn comb_traverse(o: &Obj, visit: Visit) {
    if let Some(c) = o.downcast::<Combinatoric>() {
        c.pool.iter().for_each(visit);
    }
}

fn comb(pool: Vec<Obj>, sizes: Vec<usize>, indices: Vec<usize>, cycles: Vec<usize>, r: usize, stopped: bool) -> Combinatoric {
    Combinatoric {
        pool,
        sizes,
        indices: RefCell::new(indices),
        cycles: RefCell::new(cycles),
        r,
        started: Cell::new(false),
        stopped: Cell::new(stopped),
    }
}

fn r_arg(vm: &Vm, r: &Obj) -> PyResult<usize> {
    let r = util::to_isize(vm, r)?;
    if r < 0 {
        return Err(vm.new_error(&vm.types.value_error, "r must be non-negative"));
    }
    Ok(r as usize)
}

iter_type!(
    product_type,
    Combinatoric,
    "itertools.product",
    slots(
        |vm, cls, args, kw| {
            let mut repeat = 1usize;
            for (k, v) in kw {
                let key = str_data(k).as_str().into_owned();
                if key != "repeat" {
                    return Err(vm.type_error(format!("'{key}' is an invalid keyword argument for product()")));
                }
                let n = util::to_isize(vm, v)?;
                if n < 0 {
                    return Err(vm.new_error(&vm.types.value_error, "repeat argument cannot be negative"));
                }
                repeat = n as usize;
            }
            let mut pools = Vec::new();
            for a in args {
                pools.push(util::collect(vm, a)?);
            }
            let mut pool = Vec::new();
            let mut sizes = Vec::new();
            for _ in 0..repeat {
                for p in &pools {
                    sizes.push(p.len());
                    pool.extend(p.iter().cloned());
                }
            }
            let stopped = sizes.contains(&0);
            let n = sizes.len();
            Ok(alloc(cls.clone(), comb(pool, sizes, vec![0; n], Vec::new(), n, stopped)))
        },
        |vm, o| {
            let c = get::<Combinatoric>(vm, o)?;
            if c.stopped.get() {
                return Ok(None);
            }
            let mut idx = c.indices.borrow_mut();
            if c.started.get() {
                // Advance the rightmost index that can move; reset those after it.
                let mut i = c.sizes.len();
                loop {
                    if i == 0 {
                        c.stopped.set(true);
                        return Ok(None);
                    }
                    i -= 1;
                    idx[i] += 1;
                    if idx[i] < c.sizes[i] {
                        break;
                    }
                    idx[i] = 0;
                }
            }
            c.started.set(true);
            let mut out = Vec::with_capacity(c.sizes.len());
            let mut base = 0;
            for (i, &s) in c.sizes.iter().enumerate() {
                out.push(c.pool[base + idx[i]].clone());
                base += s;
            }
            Ok(Some(new_tuple(vm, out)))
        },
        comb_traverse
    ),
    PRODUCT_METHODS
);

/// A `__setstate__` index (`PyLong_AsSsize_t`: ints only).
fn state_indices(vm: &Vm, t: &TupleData) -> PyResult<Vec<i64>> {
    t.items.iter().map(|o| state_index(vm, o)).collect()
}

fn invalid_arguments(vm: &Vm) -> taipan_vm::PyErr {
    vm.new_error(&vm.types.value_error, "invalid arguments")
}

fn index_tuple(vm: &Vm, v: &[usize]) -> Obj {
    new_tuple(vm, v.iter().map(|&i| vm.int(i as i64)).collect())
}

/// Reductions of the combinatoric iterators: `args` before the first
/// item, `stopped_args` once exhausted, `args` and `state()` in between.
fn comb_reduce(vm: &Vm, this: &Obj, args: Vec<Obj>, stopped_args: Vec<Obj>, state: impl Fn(&Combinatoric) -> Obj) -> PyResult<Obj> {
    let c = get::<Combinatoric>(vm, this)?;
    if !c.started.get() {
        return Ok(reduce_value(vm, type_of(this), args, None));
    }
    if c.stopped.get() {
        return Ok(reduce_value(vm, type_of(this), stopped_args, None));
    }
    Ok(reduce_value(vm, type_of(this), args, Some(state(c))))
}

fn pool_tuple(vm: &Vm, c: &Combinatoric) -> Obj {
    new_tuple(vm, c.pool.clone())
}

static PRODUCT_METHODS: &[MethodDef] = &[
    reduce_method(|vm, this, args, kw| {
        taipan_vm::native::exact::<0>(vm, "__reduce__", args, kw)?;
        let c = get::<Combinatoric>(vm, this)?;
        if c.stopped.get() {
            return Ok(reduce_value(vm, type_of(this), vec![new_tuple(vm, vec![])], None));
        }
        let mut pools = Vec::with_capacity(c.sizes.len());
        let mut base = 0;
        for &n in &c.sizes {
            pools.push(new_tuple(vm, c.pool[base..base + n].to_vec()));
            base += n;
        }
        comb_reduce(vm, this, pools, Vec::new(), |c| index_tuple(vm, &c.indices.borrow()))
    }),
    MethodDef::method(
        "__setstate__",
        |vm, this, args, kw| {
            let [state] = taipan_vm::native::exact::<1>(vm, "__setstate__", args, kw)?;
            let c = get::<Combinatoric>(vm, this)?;
            let t = state.downcast::<TupleData>().filter(|t| t.items.len() == c.sizes.len()).ok_or_else(|| invalid_arguments(vm))?;
            let want = state_indices(vm, t)?;
            let mut idx = Vec::with_capacity(want.len());
            for (&i, &n) in want.iter().zip(&c.sizes) {
                if n == 0 {
                    c.stopped.set(true);
                    return Ok(vm.none.clone());
                }
                idx.push(i.clamp(0, n as i64 - 1) as usize);
            }
            drop(c.indices.replace(idx));
            c.started.set(true);
            Ok(vm.none.clone())
        },
        "Set state information for unpickling.",
    ),
];

fn pool_r_new(vm: &Vm, cls: &Obj, fname: &'static str, args: &[Obj], kw: Kwargs, r_required: bool) -> PyResult<(Vec<Obj>, usize, Obj)> {
    let p = Params { fname, names: &["iterable", "r"], posonly: 0, kwonly: 0, required: if r_required { 2 } else { 1 } };
    let [iterable, r] = bind::<2>(vm, &p, args, kw)?;
    let pool = util::collect(vm, &iterable.unwrap_or_else(|| vm.none.clone()))?;
    let r = match r {
        Some(r) if !r.is(&vm.none) => {
            if !r_required && int_data(&r).is_none() {
                return Err(vm.type_error("Expected int as r"));
            }
            r_arg(vm, &r)?
        }
        _ => pool.len(),
    };
    Ok((pool, r, cls.clone()))
}

iter_type!(
    combinations_type,
    Combinatoric,
    "itertools.combinations",
    slots(
        |vm, cls, args, kw| {
            let (pool, r, cls) = pool_r_new(vm, cls, "combinations", args, kw, true)?;
            let stopped = r > pool.len();
            Ok(alloc(cls, comb(pool, Vec::new(), (0..r).collect(), Vec::new(), r, stopped)))
        },
        |vm, o| {
            let c = get::<Combinatoric>(vm, o)?;
            if c.stopped.get() {
                return Ok(None);
            }
            let n = c.pool.len();
            let r = c.r;
            let mut idx = c.indices.borrow_mut();
            if c.started.get() {
                let mut i = r;
                loop {
                    if i == 0 {
                        c.stopped.set(true);
                        return Ok(None);
                    }
                    i -= 1;
                    if idx[i] != i + n - r {
                        break;
                    }
                }
                idx[i] += 1;
                for j in i + 1..r {
                    idx[j] = idx[j - 1] + 1;
                }
            }
            c.started.set(true);
            Ok(Some(new_tuple(vm, idx.iter().map(|&i| c.pool[i].clone()).collect())))
        },
        comb_traverse
    ),
    COMBINATIONS_METHODS
);

iter_type!(
    cwr_type,
    Combinatoric,
    "itertools.combinations_with_replacement",
    slots(
        |vm, cls, args, kw| {
            let (pool, r, cls) = pool_r_new(vm, cls, "combinations_with_replacement", args, kw, true)?;
            let stopped = pool.is_empty() && r > 0;
            Ok(alloc(cls, comb(pool, Vec::new(), vec![0; r], Vec::new(), r, stopped)))
        },
        |vm, o| {
            let c = get::<Combinatoric>(vm, o)?;
            if c.stopped.get() {
                return Ok(None);
            }
            let n = c.pool.len();
            let r = c.r;
            let mut idx = c.indices.borrow_mut();
            if c.started.get() {
                let mut i = r;
                loop {
                    if i == 0 {
                        c.stopped.set(true);
                        return Ok(None);
                    }
                    i -= 1;
                    if idx[i] != n - 1 {
                        break;
                    }
                }
                let v = idx[i] + 1;
                for x in idx.iter_mut().skip(i) {
                    *x = v;
                }
            }
            c.started.set(true);
            Ok(Some(new_tuple(vm, idx.iter().map(|&i| c.pool[i].clone()).collect())))
        },
        comb_traverse
    ),
    CWR_METHODS
);

iter_type!(
    permutations_type,
    Combinatoric,
    "itertools.permutations",
    slots(
        |vm, cls, args, kw| {
            let (pool, r, cls) = pool_r_new(vm, cls, "permutations", args, kw, false)?;
            let n = pool.len();
            let stopped = r > n;
            let cycles = if stopped { Vec::new() } else { (0..r).map(|i| n - i).collect() };
            Ok(alloc(cls, comb(pool, Vec::new(), (0..n).collect(), cycles, r, stopped)))
        },
        |vm, o| {
            let c = get::<Combinatoric>(vm, o)?;
            if c.stopped.get() {
                return Ok(None);
            }
            let n = c.pool.len();
            let r = c.r;
            let mut idx = c.indices.borrow_mut();
            let mut cycles = c.cycles.borrow_mut();
            if c.started.get() {
                if n == 0 {
                    c.stopped.set(true);
                    return Ok(None);
                }
                let mut i = r;
                loop {
                    if i == 0 {
                        c.stopped.set(true);
                        return Ok(None);
                    }
                    i -= 1;
                    cycles[i] -= 1;
                    if cycles[i] == 0 {
                        // Rotate idx[i:] left by one.
                        let first = idx[i];
                        for j in i..n - 1 {
                            idx[j] = idx[j + 1];
                        }
                        idx[n - 1] = first;
                        cycles[i] = n - i;
                    } else {
                        let j = cycles[i];
                        idx.swap(i, n - j);
                        break;
                    }
                }
            }
            c.started.set(true);
            Ok(Some(new_tuple(vm, idx[..r].iter().map(|&i| c.pool[i].clone()).collect())))
        },
        comb_traverse
    ),
    PERMUTATIONS_METHODS
);

fn pool_r_reduce(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, state: fn(&Vm, &Combinatoric) -> Obj) -> PyResult<Obj> {
    taipan_vm::native::exact::<0>(vm, "__reduce__", args, kw)?;
    let c = get::<Combinatoric>(vm, this)?;
    let r = vm.int(c.r as i64);
    comb_reduce(vm, this, vec![pool_tuple(vm, c), r.clone()], vec![new_tuple(vm, vec![]), r], |c| state(vm, c))
}

/// `__setstate__` of combinations (`max_at(i)`: the largest index at
/// position `i`) and combinations_with_replacement.
fn indices_setstate(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs, max_at: fn(usize, usize, usize) -> i64) -> PyResult<Obj> {
    let [state] = taipan_vm::native::exact::<1>(vm, "__setstate__", args, kw)?;
    let c = get::<Combinatoric>(vm, this)?;
    let t = state.downcast::<TupleData>().filter(|t| t.items.len() == c.r).ok_or_else(|| invalid_arguments(vm))?;
    let want = state_indices(vm, t)?;
    let n = c.pool.len();
    let idx: Vec<usize> = want.iter().enumerate().map(|(i, &v)| v.min(max_at(i, n, c.r)).max(0) as usize).collect();
    if idx.iter().any(|&i| i >= n) && c.r > 0 {
        // Only reachable for a pool too small for r: nothing to produce.
        c.stopped.set(true);
    }
    drop(c.indices.replace(idx));
    c.started.set(true);
    Ok(vm.none.clone())
}

static COMBINATIONS_METHODS: &[MethodDef] = &[
    reduce_method(|vm, this, args, kw| pool_r_reduce(vm, this, args, kw, |vm, c| index_tuple(vm, &c.indices.borrow()))),
    MethodDef::method(
        "__setstate__",
        |vm, this, args, kw| indices_setstate(vm, this, args, kw, |i, n, r| i as i64 + n as i64 - r as i64),
        "Set state information for unpickling.",
    ),
];

static CWR_METHODS: &[MethodDef] = &[
    reduce_method(|vm, this, args, kw| pool_r_reduce(vm, this, args, kw, |vm, c| index_tuple(vm, &c.indices.borrow()))),
    MethodDef::method(
        "__setstate__",
        |vm, this, args, kw| indices_setstate(vm, this, args, kw, |_, n, _| n as i64 - 1),
        "Set state information for unpickling.",
    ),
];

static PERMUTATIONS_METHODS: &[MethodDef] = &[
    reduce_method(|vm, this, args, kw| {
        pool_r_reduce(vm, this, args, kw, |vm, c| {
            new_tuple(vm, vec![index_tuple(vm, &c.indices.borrow()), index_tuple(vm, &c.cycles.borrow())])
        })
    }),
    MethodDef::method(
        "__setstate__",
        |vm, this, args, kw| {
            let [state] = taipan_vm::native::exact::<1>(vm, "__setstate__", args, kw)?;
            let c = get::<Combinatoric>(vm, this)?;
            let [indices, cycles] = state_tuple::<2>(vm, &state)?;
            let Some(ti) = indices.downcast::<TupleData>() else { return Err(wrong_arg(vm, 1, "tuple", &indices)) };
            let Some(tc) = cycles.downcast::<TupleData>() else { return Err(wrong_arg(vm, 2, "tuple", &cycles)) };
            let n = c.pool.len();
            if ti.items.len() != n || tc.items.len() != c.r {
                return Err(invalid_arguments(vm));
            }
            let idx: Vec<usize> = state_indices(vm, ti)?.into_iter().map(|v| v.min(n as i64 - 1).max(0) as usize).collect();
            let cyc: Vec<usize> =
                state_indices(vm, tc)?.into_iter().enumerate().map(|(i, v)| v.min(n as i64 - i as i64).max(1) as usize).collect();
            drop(c.indices.replace(idx));
            drop(c.cycles.replace(cyc));
            c.started.set(true);
            Ok(vm.none.clone())
        },
        "Set state information for unpickling.",
    ),
];

static FUNCS: &[taipan_vm::native::FunctionDef] =
    &[taipan_vm::native::FunctionDef::new("tee", tee, "Returns a tuple of n independent iterators.")];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_attr(vm, m, "__doc__", new_str(vm, DOC))?;
    taipan_vm::modules::add_functions(vm, m, FUNCS)?;
    type Maker = fn(&Vm) -> Obj;
    let types: &[(&str, Maker)] = &[
        ("accumulate", accumulate_type),
        ("chain", chain_type),
        ("combinations", combinations_type),
        ("combinations_with_replacement", cwr_type),
        ("compress", compress_type),
        ("count", count_type),
        ("cycle", cycle_type),
        ("dropwhile", dropwhile_type),
        ("filterfalse", filterfalse_type),
        ("groupby", groupby_type),
        ("islice", islice_type),
        ("pairwise", pairwise_type),
        ("permutations", permutations_type),
        ("product", product_type),
        ("repeat", repeat_type),
        ("starmap", starmap_type),
        ("takewhile", takewhile_type),
        ("zip_longest", zip_longest_type),
        ("_grouper", grouper_type),
        ("_tee", tee_type),
        ("_tee_dataobject", teedata_type),
    ];
    for (name, f) in types {
        add_attr(vm, m, name, f(vm))?;
    }
    Ok(())
}
