//! `_operator`: the functions of the `operator` module (`operator.py`
//! does `from _operator import *`), `itemgetter`, `attrgetter`,
//! `methodcaller`, `length_hint` and `_compare_digest`.

use std::cell::RefCell;

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{at_most, exact, new_type, no_kwargs, FunctionDef, MethodDef};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::ops;
use taipan_vm::sequence;
use taipan_vm::types::builtin::{as_buffer, int_data, new_str, new_tuple, object_slots, str_data, type_name, StrData};
use taipan_vm::types::{lookup, type_of, Kwargs, Slots};
use taipan_vm::{BinaryOp, CompareOp, PyResult, Vm};

use crate::util;

const DOC: &str = "Operator interface.\n\nThis module exports a set of functions implemented in C corresponding\nto the intrinsic operators of Python.  For example, operator.add(x, y)\nis equivalent to the expression x+y.  The function names are those\nused for special methods; variants without leading and trailing\n'__' are also provided for convenience.";

macro_rules! binary {
    ($($fname:ident, $name:literal, $op:ident, $inplace:literal);* $(;)?) => {
        $(
            fn $fname(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
                let [a, b] = exact::<2>(vm, $name, args, kw)?;
                if $inplace {
                    ops::inplace_binary_op(vm, BinaryOp::$op, &a, &b)
                } else {
                    ops::binary_op(vm, BinaryOp::$op, &a, &b)
                }
            }
        )*
    };
}

binary! {
    op_add, "add", Add, false;
    op_sub, "sub", Subtract, false;
    op_mul, "mul", Multiply, false;
    op_matmul, "matmul", MatrixMultiply, false;
    op_floordiv, "floordiv", FloorDivide, false;
    op_truediv, "truediv", TrueDivide, false;
    op_mod, "mod", Remainder, false;
    op_lshift, "lshift", Lshift, false;
    op_rshift, "rshift", Rshift, false;
    op_and, "and_", And, false;
    op_or, "or_", Or, false;
    op_xor, "xor", Xor, false;
    op_pow, "pow", Power, false;
    op_iadd, "iadd", Add, true;
    op_isub, "isub", Subtract, true;
    op_imul, "imul", Multiply, true;
    op_imatmul, "imatmul", MatrixMultiply, true;
    op_ifloordiv, "ifloordiv", FloorDivide, true;
    op_itruediv, "itruediv", TrueDivide, true;
    op_imod, "imod", Remainder, true;
    op_ilshift, "ilshift", Lshift, true;
    op_irshift, "irshift", Rshift, true;
    op_iand, "iand", And, true;
    op_ior, "ior", Or, true;
    op_ixor, "ixor", Xor, true;
    op_ipow, "ipow", Power, true;
}

macro_rules! compare {
    ($($fname:ident, $name:literal, $op:ident);* $(;)?) => {
        $(
            fn $fname(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
                let [a, b] = exact::<2>(vm, $name, args, kw)?;
                ops::compare(vm, CompareOp::$op, &a, &b)
            }
        )*
    };
}

compare! {
    op_lt, "lt", Lt;
    op_le, "le", Le;
    op_eq, "eq", Eq;
    op_ne, "ne", Ne;
    op_gt, "gt", Gt;
    op_ge, "ge", Ge;
}

macro_rules! unary {
    ($($fname:ident, $name:literal, $f:path);* $(;)?) => {
        $(
            fn $fname(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
                let [a] = exact::<1>(vm, $name, args, kw)?;
                $f(vm, &a)
            }
        )*
    };
}

unary! {
    op_neg, "_operator.neg", ops::neg;
    op_pos, "_operator.pos", ops::pos;
    op_abs, "_operator.abs", ops::abs;
    op_inv, "_operator.inv", ops::invert;
    op_invert, "_operator.invert", ops::invert;
    op_index, "_operator.index", ops::index;
}

fn op_not(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [a] = exact::<1>(vm, "_operator.not_", args, kw)?;
    Ok(vm.bool(!ops::truth(vm, &a)?))
}

fn op_truth(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [a] = exact::<1>(vm, "_operator.truth", args, kw)?;
    Ok(vm.bool(ops::truth(vm, &a)?))
}

fn op_is(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [a, b] = exact::<2>(vm, "is_", args, kw)?;
    Ok(vm.bool(a.is(&b)))
}

fn op_is_not(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [a, b] = exact::<2>(vm, "is_not", args, kw)?;
    Ok(vm.bool(!a.is(&b)))
}

fn is_sequence(o: &Obj) -> bool {
    o.downcast::<taipan_vm::types::builtin::DictData>().is_none() && lookup(&type_of(o), "__getitem__").is_some()
}

fn concat(vm: &Vm, name: &str, args: &[Obj], kw: Kwargs, inplace: bool) -> PyResult<Obj> {
    let [a, b] = exact::<2>(vm, name, args, kw)?;
    if !is_sequence(&a) {
        return Err(vm.type_error(format!("'{}' object can't be concatenated", type_name(&a))));
    }
    if inplace {
        ops::inplace_binary_op(vm, BinaryOp::Add, &a, &b)
    } else {
        ops::binary_op(vm, BinaryOp::Add, &a, &b)
    }
}

fn op_concat(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    concat(vm, "concat", args, kw, false)
}

fn op_iconcat(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    concat(vm, "iconcat", args, kw, true)
}

fn op_contains(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [a, b] = exact::<2>(vm, "contains", args, kw)?;
    Ok(vm.bool(ops::contains(vm, &a, &b)?))
}

fn op_count_of(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [a, b] = exact::<2>(vm, "countOf", args, kw)?;
    let it = ops::iter(vm, &a)?;
    let mut n = 0;
    while let Some(x) = ops::next(vm, &it)? {
        if x.is(&b) || ops::eq(vm, &x, &b)? {
            n += 1;
        }
    }
    Ok(vm.int(n))
}

fn op_index_of(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [a, b] = exact::<2>(vm, "indexOf", args, kw)?;
    let it = ops::iter(vm, &a)?;
    let mut n = 0;
    while let Some(x) = ops::next(vm, &it)? {
        if x.is(&b) || ops::eq(vm, &x, &b)? {
            return Ok(vm.int(n));
        }
        n += 1;
    }
    Err(vm.new_error(&vm.types.value_error, "sequence.index(x): x not in sequence"))
}

fn op_getitem(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [a, b] = exact::<2>(vm, "getitem", args, kw)?;
    sequence::getitem(vm, &a, &b)
}

fn op_setitem(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [a, b, c] = exact::<3>(vm, "setitem", args, kw)?;
    sequence::setitem(vm, &a, &b, c)?;
    Ok(vm.none.clone())
}

fn op_delitem(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [a, b] = exact::<2>(vm, "delitem", args, kw)?;
    sequence::delitem(vm, &a, &b)?;
    Ok(vm.none.clone())
}

fn op_call(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let Some((f, rest)) = args.split_first() else {
        return Err(vm.type_error("call() missing required argument 'obj' (pos 1)"));
    };
    util::call_kw(vm, f, rest, kw)
}

/// `operator.length_hint(obj, default=0)` (`PyObject_LengthHint`, which
/// the vm has as `ops::length_hint`).
pub fn length_hint(vm: &Vm, o: &Obj, default: isize) -> PyResult<isize> {
    ops::length_hint(vm, o, default)
}

fn op_length_hint(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [obj, default] = at_most::<2>(vm, "length_hint", 1, args, kw)?;
    let obj = obj.unwrap_or_else(|| vm.none.clone());
    let default = match default {
        None => 0,
        Some(d) => match int_data(&d) {
            Some(_) => util::to_isize(vm, &d)?,
            None => return Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer", type_name(&d)))),
        },
    };
    Ok(vm.int(length_hint(vm, &obj, default)? as i64))
}

fn op_compare_digest(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [a, b] = exact::<2>(vm, "_compare_digest", args, kw)?;
    let (x, y): (Vec<u8>, Vec<u8>) = match (a.downcast::<StrData>(), b.downcast::<StrData>()) {
        (Some(x), Some(y)) => {
            if !x.is_ascii() || !y.is_ascii() {
                return Err(vm.type_error("comparing strings with non-ASCII characters is not supported"));
            }
            (x.bytes().to_vec(), y.bytes().to_vec())
        }
        (None, None) => {
            let x = as_buffer(&a).map(|b| b.to_vec());
            let y = as_buffer(&b).map(|b| b.to_vec());
            match (x, y) {
                (Some(x), Some(y)) => (x, y),
                _ => {
                    return Err(vm.type_error(format!(
                        "unsupported operand types(s) or combination of types: '{}' and '{}'",
                        type_name(&a),
                        type_name(&b)
                    )))
                }
            }
        }
        _ => {
            return Err(vm.type_error(format!(
                "unsupported operand types(s) or combination of types: '{}' and '{}'",
                type_name(&a),
                type_name(&b)
            )))
        }
    };
    // Constant time in the length of the second operand.
    let mut result: u8 = u8::from(x.len() != y.len());
    let left = if x.len() == y.len() { &x } else { &y };
    for (p, q) in left.iter().zip(y.iter()) {
        result |= p ^ q;
    }
    Ok(vm.bool(result == 0))
}

// itemgetter / attrgetter / methodcaller -----------------------------------

pub struct ItemGetter {
    items: Vec<Obj>,
}

pub struct AttrGetter {
    /// Each attribute as its dotted parts (interned names).
    attrs: Vec<Vec<Obj>>,
    /// The names as given, for repr and reduce.
    names: Vec<Obj>,
}

pub struct MethodCaller {
    name: Obj,
    args: Vec<Obj>,
    kwargs: RefCell<Vec<(Obj, Obj)>>,
}

fn traverse_items(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(g) = o.downcast::<ItemGetter>() {
        g.items.iter().for_each(&mut *visit);
    }
    if let Some(m) = o.downcast::<MethodCaller>() {
        m.args.iter().for_each(&mut *visit);
        if let Ok(kw) = m.kwargs.try_borrow() {
            for (_, v) in kw.iter() {
                visit(v);
            }
        }
    }
}

fn join_reprs(vm: &Vm, items: &[Obj]) -> PyResult<String> {
    let mut parts = Vec::new();
    for i in items {
        parts.push(util::repr(vm, i)?);
    }
    Ok(parts.join(", "))
}

fn repr_guarded(vm: &Vm, o: &Obj, name: &str, body: impl FnOnce() -> PyResult<String>) -> PyResult<Obj> {
    let Some(_g) = taipan_vm::types::builtin::ReprGuard::enter(vm, o) else {
        return Ok(new_str(vm, &format!("{name}(...)")));
    };
    Ok(new_str(vm, &format!("{name}({})", body()?)))
}

fn itemgetter_type(vm: &Vm) -> Obj {
    vm.native_type("operator.itemgetter", |vm| {
        let slots = Slots {
            new: Some(|vm, cls, args, kw| {
                no_kwargs(vm, "itemgetter", kw)?;
                if args.is_empty() {
                    return Err(vm.type_error("itemgetter expected 1 argument, got 0"));
                }
                Ok(alloc(cls.clone(), ItemGetter { items: args.to_vec() }))
            }),
            call: Some(|vm, o, args, kw| {
                let Some(g) = o.downcast::<ItemGetter>() else { return Err(vm.type_error("expected itemgetter")) };
                let [obj] = util::exact_named::<1>(vm, "itemgetter", args, kw)?;
                if g.items.len() == 1 {
                    return sequence::getitem(vm, &obj, &g.items[0]);
                }
                let mut out = Vec::with_capacity(g.items.len());
                for i in &g.items {
                    out.push(sequence::getitem(vm, &obj, i)?);
                }
                Ok(new_tuple(vm, out))
            }),
            repr: Some(|vm, o| {
                let Some(g) = o.downcast::<ItemGetter>() else { return Ok(new_str(vm, "operator.itemgetter(...)")) };
                repr_guarded(vm, o, "operator.itemgetter", || join_reprs(vm, &g.items))
            }),
            traverse: Some(traverse_items),
            ..object_slots()
        };
        new_type::<ItemGetter>(vm, "operator.itemgetter", &[], true, slots, ITEMGETTER_METHODS, &[])
    })
}

static ITEMGETTER_METHODS: &[MethodDef] = &[MethodDef::method(
    "__reduce__",
    |vm, this, args, kw| {
        exact::<0>(vm, "__reduce__", args, kw)?;
        let Some(g) = this.downcast::<ItemGetter>() else { return Err(vm.type_error("expected itemgetter")) };
        Ok(new_tuple(vm, vec![type_of(this), new_tuple(vm, g.items.clone())]))
    },
    "Return state information for pickling",
)];

fn attrgetter_type(vm: &Vm) -> Obj {
    vm.native_type("operator.attrgetter", |vm| {
        let slots = Slots {
            new: Some(|vm, cls, args, kw| {
                no_kwargs(vm, "attrgetter", kw)?;
                if args.is_empty() {
                    return Err(vm.type_error("attrgetter expected 1 argument, got 0"));
                }
                let mut attrs = Vec::new();
                for a in args {
                    let Some(s) = a.downcast::<StrData>() else {
                        return Err(vm.type_error("attribute name must be a string"));
                    };
                    attrs.push(s.as_str().split('.').map(|p| vm.intern(p)).collect());
                }
                Ok(alloc(cls.clone(), AttrGetter { attrs, names: args.to_vec() }))
            }),
            call: Some(|vm, o, args, kw| {
                let Some(g) = o.downcast::<AttrGetter>() else { return Err(vm.type_error("expected attrgetter")) };
                let [obj] = util::exact_named::<1>(vm, "attrgetter", args, kw)?;
                let get = |parts: &[Obj]| -> PyResult<Obj> {
                    let mut cur = obj.clone();
                    for p in parts {
                        cur = taipan_vm::classes::getattr(vm, &cur, p)?;
                    }
                    Ok(cur)
                };
                if g.attrs.len() == 1 {
                    return get(&g.attrs[0]);
                }
                let mut out = Vec::new();
                for parts in &g.attrs {
                    out.push(get(parts)?);
                }
                Ok(new_tuple(vm, out))
            }),
            repr: Some(|vm, o| {
                let Some(g) = o.downcast::<AttrGetter>() else { return Ok(new_str(vm, "operator.attrgetter(...)")) };
                repr_guarded(vm, o, "operator.attrgetter", || join_reprs(vm, &g.names))
            }),
            ..object_slots()
        };
        new_type::<AttrGetter>(vm, "operator.attrgetter", &[], false, slots, ATTRGETTER_METHODS, &[])
    })
}

static ATTRGETTER_METHODS: &[MethodDef] = &[MethodDef::method(
    "__reduce__",
    |vm, this, args, kw| {
        exact::<0>(vm, "__reduce__", args, kw)?;
        let Some(g) = this.downcast::<AttrGetter>() else { return Err(vm.type_error("expected attrgetter")) };
        Ok(new_tuple(vm, vec![type_of(this), new_tuple(vm, g.names.clone())]))
    },
    "Return state information for pickling",
)];

fn methodcaller_type(vm: &Vm) -> Obj {
    vm.native_type("operator.methodcaller", |vm| {
        let slots = Slots {
            new: Some(|vm, cls, args, kw| {
                let Some((name, rest)) = args.split_first() else {
                    return Err(vm.type_error("methodcaller needs at least one argument, the method name"));
                };
                let Some(s) = name.downcast::<StrData>() else { return Err(vm.type_error("method name must be a string")) };
                let name = vm.intern(&s.as_str());
                Ok(alloc(cls.clone(), MethodCaller { name, args: rest.to_vec(), kwargs: RefCell::new(kw.to_vec()) }))
            }),
            call: Some(|vm, o, args, kw| {
                let Some(m) = o.downcast::<MethodCaller>() else { return Err(vm.type_error("expected methodcaller")) };
                let [obj] = util::exact_named::<1>(vm, "methodcaller", args, kw)?;
                let f = taipan_vm::classes::getattr(vm, &obj, &m.name)?;
                let kwargs = m.kwargs.borrow().clone();
                util::call_kw(vm, &f, &m.args, &kwargs)
            }),
            repr: Some(|vm, o| {
                let Some(m) = o.downcast::<MethodCaller>() else { return Ok(new_str(vm, "operator.methodcaller(...)")) };
                repr_guarded(vm, o, "operator.methodcaller", || {
                    let mut parts = vec![util::repr(vm, &m.name)?];
                    for a in &m.args {
                        parts.push(util::repr(vm, a)?);
                    }
                    let kwargs = m.kwargs.borrow().clone();
                    for (k, v) in &kwargs {
                        parts.push(format!("{}={}", str_data(k).as_str(), util::repr(vm, v)?));
                    }
                    Ok(parts.join(", "))
                })
            }),
            traverse: Some(traverse_items),
            ..object_slots()
        };
        new_type::<MethodCaller>(vm, "operator.methodcaller", &[], true, slots, METHODCALLER_METHODS, &[])
    })
}

static METHODCALLER_METHODS: &[MethodDef] = &[MethodDef::method(
    "__reduce__",
    |vm, this, args, kw| {
        exact::<0>(vm, "__reduce__", args, kw)?;
        let Some(m) = this.downcast::<MethodCaller>() else { return Err(vm.type_error("expected methodcaller")) };
        let kwargs = m.kwargs.borrow().clone();
        if kwargs.is_empty() {
            let mut a = vec![m.name.clone()];
            a.extend(m.args.iter().cloned());
            return Ok(new_tuple(vm, vec![type_of(this), new_tuple(vm, a)]));
        }
        let functools = taipan_vm::import::import_absolute(vm, "functools")?;
        let partial = util::getattr(vm, &functools, "partial")?;
        let p = util::call_kw(vm, &partial, &[type_of(this), m.name.clone()], &kwargs)?;
        Ok(new_tuple(vm, vec![p, new_tuple(vm, m.args.clone())]))
    },
    "Return state information for pickling",
)];

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("abs", op_abs, "Same as abs(a)."),
    FunctionDef::new("add", op_add, "Same as a + b."),
    FunctionDef::new("and_", op_and, "Same as a & b."),
    FunctionDef::new("call", op_call, "Same as obj(*args, **kwargs)."),
    FunctionDef::new("concat", op_concat, "Same as a + b, for a and b sequences."),
    FunctionDef::new("contains", op_contains, "Same as b in a (note reversed operands)."),
    FunctionDef::new("countOf", op_count_of, "Return the number of items in a which are, or which equal, b."),
    FunctionDef::new("delitem", op_delitem, "Same as del a[b]."),
    FunctionDef::new("eq", op_eq, "Same as a == b."),
    FunctionDef::new("floordiv", op_floordiv, "Same as a // b."),
    FunctionDef::new("ge", op_ge, "Same as a >= b."),
    FunctionDef::new("getitem", op_getitem, "Same as a[b]."),
    FunctionDef::new("gt", op_gt, "Same as a > b."),
    FunctionDef::new("iadd", op_iadd, "Same as a += b."),
    FunctionDef::new("iand", op_iand, "Same as a &= b."),
    FunctionDef::new("iconcat", op_iconcat, "Same as a += b, for a and b sequences."),
    FunctionDef::new("ifloordiv", op_ifloordiv, "Same as a //= b."),
    FunctionDef::new("ilshift", op_ilshift, "Same as a <<= b."),
    FunctionDef::new("imatmul", op_imatmul, "Same as a @= b."),
    FunctionDef::new("imod", op_imod, "Same as a %= b."),
    FunctionDef::new("imul", op_imul, "Same as a *= b."),
    FunctionDef::new("index", op_index, "Same as a.__index__()"),
    FunctionDef::new("indexOf", op_index_of, "Return the first index of b in a."),
    FunctionDef::new("inv", op_inv, "Same as ~a."),
    FunctionDef::new("invert", op_invert, "Same as ~a."),
    FunctionDef::new("ior", op_ior, "Same as a |= b."),
    FunctionDef::new("ipow", op_ipow, "Same as a **= b."),
    FunctionDef::new("irshift", op_irshift, "Same as a >>= b."),
    FunctionDef::new("is_", op_is, "Same as a is b."),
    FunctionDef::new("is_not", op_is_not, "Same as a is not b."),
    FunctionDef::new("isub", op_isub, "Same as a -= b."),
    FunctionDef::new("itruediv", op_itruediv, "Same as a /= b."),
    FunctionDef::new("ixor", op_ixor, "Same as a ^= b."),
    FunctionDef::new("le", op_le, "Same as a <= b."),
    FunctionDef::new("length_hint", op_length_hint, "Return an estimate of the number of items in obj.\n\nThis is useful for presizing containers when building from an iterable.\n\nIf the object supports len(), the result will be exact.\nOtherwise, it may over- or under-estimate by an arbitrary amount.\nThe result will be an integer >= 0."),
    FunctionDef::new("lshift", op_lshift, "Same as a << b."),
    FunctionDef::new("lt", op_lt, "Same as a < b."),
    FunctionDef::new("matmul", op_matmul, "Same as a @ b."),
    FunctionDef::new("mod", op_mod, "Same as a % b."),
    FunctionDef::new("mul", op_mul, "Same as a * b."),
    FunctionDef::new("ne", op_ne, "Same as a != b."),
    FunctionDef::new("neg", op_neg, "Same as -a."),
    FunctionDef::new("not_", op_not, "Same as not a."),
    FunctionDef::new("or_", op_or, "Same as a | b."),
    FunctionDef::new("pos", op_pos, "Same as +a."),
    FunctionDef::new("pow", op_pow, "Same as a ** b."),
    FunctionDef::new("rshift", op_rshift, "Same as a >> b."),
    FunctionDef::new("setitem", op_setitem, "Same as a[b] = c."),
    FunctionDef::new("sub", op_sub, "Same as a - b."),
    FunctionDef::new("truediv", op_truediv, "Same as a / b."),
    FunctionDef::new("truth", op_truth, "Return True if a is true, False otherwise."),
    FunctionDef::new("xor", op_xor, "Same as a ^ b."),
    FunctionDef::new("_compare_digest", op_compare_digest, "Return 'a == b'."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "__doc__", new_str(vm, DOC))?;
    add_attr(vm, m, "itemgetter", itemgetter_type(vm))?;
    add_attr(vm, m, "attrgetter", attrgetter_type(vm))?;
    add_attr(vm, m, "methodcaller", methodcaller_type(vm))?;
    Ok(())
}
