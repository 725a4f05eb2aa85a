//! The `builtins` module: the functions every program can name.
//! (A first handful; the complete 3.11 set comes with the method layer.)

use std::io::Write;

use crate::classes::no_kwargs;
use crate::function::new_builtin_function;
use crate::object::{alloc, Obj};
use crate::ops;
use crate::types::builtin::{self, expect_int, str_data, type_name, DictData, ListData, RangeData, StrData, TupleData};
use crate::types::Kwargs;
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::CompareOp;

pub(crate) fn install(vm: &Vm) {
    let t = &vm.types;
    let classes = [
        &t.type_,
        &t.object,
        &t.int,
        &t.bool_,
        &t.float,
        &t.str_,
        &t.tuple,
        &t.list,
        &t.dict,
        &t.base_exception,
        &t.exception,
        &t.type_error,
        &t.value_error,
        &t.name_error,
        &t.unbound_local_error,
        &t.attribute_error,
        &t.index_error,
        &t.key_error,
        &t.zero_division_error,
        &t.overflow_error,
        &t.recursion_error,
        &t.runtime_error,
        &t.stop_iteration,
        &t.system_exit,
        &t.import_error,
        &t.module_not_found_error,
        &t.bytes,
        &t.bytearray,
        &t.memoryview,
        &t.lookup_error,
        &t.unicode_error,
        &t.unicode_encode_error,
        &t.unicode_decode_error,
        &t.buffer_error,
        &t.memory_error,
        &t.not_implemented_error,
        &t.reference_error,
    ];
    for c in classes {
        let key = vm.intern(builtin::name_of_type(c));
        let _ = builtin::dict_set(vm, &vm.builtins, key, c.clone());
    }
    let table: [(&'static str, crate::function::BuiltinFn); 22] = [
        ("print", builtin_print),
        ("repr", builtin_repr),
        ("len", builtin_len),
        ("range", builtin_range),
        ("format", builtin_format),
        ("isinstance", builtin_isinstance),
        ("issubclass", builtin_issubclass),
        ("sorted", builtin_sorted),
        ("min", |vm, a, kw| min_max(vm, a, kw, "min", CompareOp::Lt)),
        ("max", |vm, a, kw| min_max(vm, a, kw, "max", CompareOp::Gt)),
        ("sum", builtin_sum),
        ("abs", builtin_abs),
        ("ord", builtin_ord),
        ("chr", builtin_chr),
        ("divmod", builtin_divmod),
        ("hash", |vm, a, kw| {
            no_kwargs(vm, "hash", kw)?;
            Ok(vm.int(ops::hash(vm, one_arg(vm, "hash", a)?)?))
        }),
        ("callable", |vm, a, kw| {
            no_kwargs(vm, "callable", kw)?;
            let o = one_arg(vm, "callable", a)?;
            Ok(vm.bool(crate::types::type_data_of(o).slots.get().call.is_some() || o.downcast::<crate::function::FunctionData>().is_some()))
        }),
        ("getattr", builtin_getattr),
        ("setattr", |vm, a, kw| {
            no_kwargs(vm, "setattr", kw)?;
            let [o, n, v] = a else { return Err(vm.type_error(format!("setattr expected 3 arguments, got {}", a.len()))) };
            crate::classes::setattr(vm, o, n, v.clone())?;
            Ok(vm.none.clone())
        }),
        ("hasattr", |vm, a, kw| {
            no_kwargs(vm, "hasattr", kw)?;
            let [o, n] = a else { return Err(vm.type_error(format!("hasattr expected 2 arguments, got {}", a.len()))) };
            match crate::classes::getattr(vm, o, n) {
                Ok(_) => Ok(vm.true_.clone()),
                Err(e) if crate::types::is_subtype(&crate::types::type_of(&e.exc), &vm.types.attribute_error) => Ok(vm.false_.clone()),
                Err(e) => Err(e),
            }
        }),
        ("iter", |vm, a, kw| {
            no_kwargs(vm, "iter", kw)?;
            ops::iter(vm, one_arg(vm, "iter", a)?)
        }),
        ("next", |vm, a, kw| {
            no_kwargs(vm, "next", kw)?;
            let (it, default) = match a {
                [it] => (it, None),
                [it, d] => (it, Some(d.clone())),
                _ => return Err(vm.type_error(format!("next expected at most 2 arguments, got {}", a.len()))),
            };
            match (ops::next(vm, it)?, default) {
                (Some(v), _) => Ok(v),
                (None, Some(d)) => Ok(d),
                (None, None) => Err(crate::PyErr { exc: builtin::new_exception(vm, &vm.types.stop_iteration, vec![]) }),
            }
        }),
    ];
    for (name, f) in table {
        let key = vm.intern(name);
        let _ = builtin::dict_set(vm, &vm.builtins, key, new_builtin_function(vm, name, f));
    }
}

/// `print(*objects)` (keyword arguments come with keyword calls).
/// `print(*objects, sep=' ', end='\n', file=None, flush=False)` (to
/// stdout; `file=` comes with the io stack).
fn builtin_print(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let mut sep = " ".to_string();
    let mut end = "\n".to_string();
    for (k, v) in kw {
        let name = str_data(k).as_str().into_owned();
        let text = |what: &str| -> PyResult<Option<String>> {
            if v.is(&vm.none) {
                return Ok(None);
            }
            match v.downcast::<StrData>() {
                Some(s) => Ok(Some(s.as_str().into_owned())),
                None => Err(vm.type_error(format!("{what} must be None or a string, not {}", type_name(v)))),
            }
        };
        match name.as_str() {
            "sep" => sep = text("sep")?.unwrap_or_else(|| " ".into()),
            "end" => end = text("end")?.unwrap_or_else(|| "\n".into()),
            "flush" => {}
            "file" if v.is(&vm.none) => {}
            _ => return Err(vm.type_error(format!("'{name}' is an invalid keyword argument for print()"))),
        }
    }
    let mut line = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            line.push_str(&sep);
        }
        let s = ops::str(vm, a)?;
        line.push_str(&str_data(&s).as_str());
    }
    line.push_str(&end);
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(line.as_bytes());
    Ok(vm.none.clone())
}

fn one_arg<'a>(vm: &Vm, name: &str, a: &'a [Obj]) -> PyResult<&'a Obj> {
    match a {
        [x] => Ok(x),
        _ => Err(vm.type_error(format!("{name}() takes exactly one argument ({} given)", a.len()))),
    }
}

/// The classes in `cls` (a class or a tuple of classes) for isinstance.
fn class_or_tuple(vm: &Vm, cls: &Obj, fname: &str) -> PyResult<Vec<Obj>> {
    if let Some(t) = cls.downcast::<TupleData>() {
        let mut out = Vec::new();
        for c in t.items.iter() {
            out.extend(class_or_tuple(vm, c, fname)?);
        }
        return Ok(out);
    }
    if cls.downcast::<crate::types::TypeData>().is_none() {
        return Err(vm.type_error(format!("{fname}() arg 2 must be a type, a tuple of types, or a union")));
    }
    Ok(vec![cls.clone()])
}

fn builtin_isinstance(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "isinstance", kw)?;
    let [o, cls] = a else { return Err(vm.type_error(format!("isinstance expected 2 arguments, got {}", a.len()))) };
    let ty = crate::types::type_of(o);
    Ok(vm.bool(class_or_tuple(vm, cls, "isinstance")?.iter().any(|c| crate::types::is_subtype(&ty, c))))
}

fn builtin_issubclass(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "issubclass", kw)?;
    let [sub, cls] = a else { return Err(vm.type_error(format!("issubclass expected 2 arguments, got {}", a.len()))) };
    if sub.downcast::<crate::types::TypeData>().is_none() {
        return Err(vm.type_error("issubclass() arg 1 must be a class"));
    }
    Ok(vm.bool(class_or_tuple(vm, cls, "issubclass")?.iter().any(|c| crate::types::is_subtype(sub, c))))
}

/// `sorted(iterable, /, *, key=None, reverse=False)`: a stable sort using
/// only `<`, as `list.sort` does.
fn builtin_sorted(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let it = one_arg(vm, "sorted", a)?;
    let mut key = None;
    let mut reverse = false;
    for (k, v) in kw {
        match &*str_data(k).as_str() {
            "key" if !v.is(&vm.none) => key = Some(v.clone()),
            "key" => {}
            "reverse" => reverse = ops::truth(vm, v)?,
            other => return Err(vm.type_error(format!("sort() got an unexpected keyword argument '{other}'"))),
        }
    }
    let items = crate::sequence::to_vec(vm, it)?;
    Ok(builtin::new_list(vm, sort_items(vm, items, key.as_ref(), reverse)?))
}

/// Sorts `items` stably by `key` (or themselves) with `<`; `reverse`
/// keeps equal items in order, as CPython does.
pub(crate) fn sort_items(vm: &Vm, mut items: Vec<Obj>, key: Option<&Obj>, reverse: bool) -> PyResult<Vec<Obj>> {
    let keys = match key {
        Some(k) => items.iter().map(|x| crate::classes::call_object(vm, k, std::slice::from_ref(x))).collect::<PyResult<Vec<_>>>()?,
        None => items.clone(),
    };
    let mut pairs: Vec<(Obj, Obj)> = keys.into_iter().zip(items.drain(..)).collect();
    if reverse {
        pairs.reverse();
    }
    let mut error = None;
    pairs.sort_by(|(a, _), (b, _)| {
        if error.is_some() {
            return std::cmp::Ordering::Equal;
        }
        let lt = |x: &Obj, y: &Obj| -> PyResult<bool> { ops::compare(vm, CompareOp::Lt, x, y).and_then(|r| ops::truth(vm, &r)) };
        match lt(a, b) {
            Ok(true) => std::cmp::Ordering::Less,
            Ok(false) => match lt(b, a) {
                Ok(true) => std::cmp::Ordering::Greater,
                Ok(false) => std::cmp::Ordering::Equal,
                Err(e) => {
                    error = Some(e);
                    std::cmp::Ordering::Equal
                }
            },
            Err(e) => {
                error = Some(e);
                std::cmp::Ordering::Equal
            }
        }
    });
    if let Some(e) = error {
        return Err(e);
    }
    let mut out: Vec<Obj> = pairs.into_iter().map(|(_, v)| v).collect();
    if reverse {
        out.reverse();
    }
    Ok(out)
}

fn min_max(vm: &Vm, a: &[Obj], kw: Kwargs, name: &str, better: CompareOp) -> PyResult<Obj> {
    let mut key = None;
    let mut default = None;
    for (k, v) in kw {
        match &*str_data(k).as_str() {
            "key" if !v.is(&vm.none) => key = Some(v.clone()),
            "key" => {}
            "default" => default = Some(v.clone()),
            other => return Err(vm.type_error(format!("{name}() got an unexpected keyword argument '{other}'"))),
        }
    }
    let items = match a {
        [] => return Err(vm.type_error(format!("{name} expected at least 1 argument, got 0"))),
        [one] => crate::sequence::to_vec(vm, one)?,
        many => many.to_vec(),
    };
    let mut best: Option<(Obj, Obj)> = None;
    for x in items {
        let k = match &key {
            Some(f) => crate::classes::call_object(vm, f, std::slice::from_ref(&x))?,
            None => x.clone(),
        };
        let replace = match &best {
            None => true,
            Some((bk, _)) => {
                let r = ops::compare(vm, better, &k, bk)?;
                ops::truth(vm, &r)?
            }
        };
        if replace {
            best = Some((k, x));
        }
    }
    match (best, default) {
        (Some((_, x)), _) => Ok(x),
        (None, Some(d)) => Ok(d),
        (None, None) => Err(vm.new_error(&vm.types.value_error, format!("{name}() arg is an empty sequence"))),
    }
}

fn builtin_sum(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (it, mut acc) = match a {
        [it] => (it, vm.int(0)),
        [it, start] => (it, start.clone()),
        _ => return Err(vm.type_error(format!("sum() takes at most 2 arguments ({} given)", a.len()))),
    };
    for (k, v) in kw {
        if &*str_data(k).as_str() == "start" {
            acc = v.clone();
        } else {
            return Err(vm.type_error(format!("sum() got an unexpected keyword argument '{}'", str_data(k).as_str())));
        }
    }
    if acc.downcast::<StrData>().is_some() {
        return Err(vm.type_error("sum() can't sum strings [use ''.join(seq) instead]"));
    }
    let iter = ops::iter(vm, it)?;
    while let Some(x) = ops::next(vm, &iter)? {
        acc = ops::binary_op(vm, taipan_compiler::bytecode::BinaryOp::Add, &acc, &x)?;
    }
    Ok(acc)
}

fn builtin_abs(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "abs", kw)?;
    let x = one_arg(vm, "abs", a)?;
    if let Some(f) = x.downcast::<f64>() {
        return Ok(crate::object::alloc(vm.types.float.clone(), f.abs()));
    }
    if let Some(i) = x.downcast::<builtin::IntData>() {
        return Ok(builtin::new_int_big(vm, num_traits::Signed::abs(&i.to_big())));
    }
    if let Some(f) = crate::types::lookup(&crate::types::type_of(x), "__abs__") {
        return crate::classes::call_object(vm, &f, std::slice::from_ref(x));
    }
    Err(vm.type_error(format!("bad operand type for abs(): '{}'", type_name(x))))
}

fn builtin_ord(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "ord", kw)?;
    let x = one_arg(vm, "ord", a)?;
    let Some(s) = x.downcast::<StrData>() else {
        return Err(vm.type_error(format!("ord() expected string of length 1, but {} found", type_name(x))));
    };
    let cps: Vec<u32> = s.value.code_points().collect();
    match cps[..] {
        [c] => Ok(vm.int(c as i64)),
        _ => Err(vm.type_error(format!("ord() expected a character, but string of length {} found", cps.len()))),
    }
}

fn builtin_chr(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "chr", kw)?;
    let n = expect_int(vm, one_arg(vm, "chr", a)?, "")?;
    if !(0..=0x10FFFF).contains(&n) {
        return Err(vm.new_error(&vm.types.value_error, "chr() arg not in range(0x110000)"));
    }
    let mut w = taipan_parser::wtf8::Wtf8Buf::new();
    w.push_code_point(n as u32);
    Ok(builtin::new_str_wtf8(vm, w))
}

fn builtin_divmod(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "divmod", kw)?;
    let [x, y] = a else { return Err(vm.type_error(format!("divmod expected 2 arguments, got {}", a.len()))) };
    let q = ops::binary_op(vm, taipan_compiler::bytecode::BinaryOp::FloorDivide, x, y)?;
    let r = ops::binary_op(vm, taipan_compiler::bytecode::BinaryOp::Remainder, x, y)?;
    Ok(builtin::new_tuple(vm, vec![q, r]))
}

fn builtin_getattr(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "getattr", kw)?;
    let (o, n, default) = match a {
        [o, n] => (o, n, None),
        [o, n, d] => (o, n, Some(d)),
        _ => return Err(vm.type_error(format!("getattr expected 2 or 3 arguments, got {}", a.len()))),
    };
    if n.downcast::<StrData>().is_none() {
        return Err(vm.type_error(format!("attribute name must be string, not '{}'", type_name(n))));
    }
    match crate::classes::getattr(vm, o, n) {
        Err(e) if default.is_some() && crate::types::is_subtype(&crate::types::type_of(&e.exc), &vm.types.attribute_error) => {
            Ok(default.cloned().unwrap_or_else(|| vm.none.clone()))
        }
        r => r,
    }
}

/// `format(value, format_spec='')`.
fn builtin_format(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "format", kw)?;
    let (v, spec) = match args {
        [v] => (v, String::new()),
        [v, s] => match s.downcast::<StrData>() {
            Some(s) => (v, s.as_str().into_owned()),
            None => return Err(vm.type_error(format!("format() argument 2 must be str, not {}", type_name(s)))),
        },
        _ => return Err(vm.type_error(format!("format expected at most 2 arguments, got {}", args.len()))),
    };
    let text = crate::format::format_value(vm, v, &spec)?;
    Ok(builtin::new_str(vm, &text))
}

fn builtin_repr(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "repr", kw)?;
    match args {
        [o] => ops::repr(vm, o),
        _ => Err(vm.type_error(format!("repr() takes exactly one argument ({} given)", args.len()))),
    }
}

fn builtin_len(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "len", kw)?;
    let [o] = args else {
        return Err(vm.type_error(format!("len() takes exactly one argument ({} given)", args.len())));
    };
    let n = if let Some(s) = o.downcast::<StrData>() {
        s.value.code_points().count()
    } else if let Some(l) = o.downcast::<ListData>() {
        l.items.borrow().len()
    } else if let Some(t) = o.downcast::<TupleData>() {
        t.items.len()
    } else if o.downcast::<DictData>().is_some() {
        builtin::dict_items(o).len()
    } else if let Some(n) = crate::types::bytes::buffer_len(o) {
        n
    } else {
        return Err(vm.type_error(format!("object of type '{}' has no len()", type_name(o))));
    };
    Ok(vm.int(n as i64))
}

fn builtin_range(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "range", kw)?;
    let ints = args.iter().map(|a| expect_int(vm, a, "")).collect::<PyResult<Vec<i64>>>()?;
    let (start, stop, step) = match ints[..] {
        [stop] => (0, stop, 1),
        [start, stop] => (start, stop, 1),
        [start, stop, step] => (start, stop, step),
        _ => return Err(vm.type_error(format!("range expected at most 3 arguments, got {}", args.len()))),
    };
    if step == 0 {
        return Err(vm.new_error(&vm.types.value_error, "range() arg 3 must not be zero"));
    }
    Ok(alloc(vm.types.range.clone(), RangeData { start, stop, step }))
}
