//! The `builtins` module: the functions every program can name.
//! (A first handful; the complete 3.11 set comes with the method layer.)

use std::io::Write;

use crate::classes::no_kwargs;
use crate::function::new_builtin_function;
use crate::object::Obj;
use crate::ops;
use crate::types::builtin::{self, expect_int, str_data, type_name, DictData, IntData, StrData};
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
        &t.complex,
        &t.str_,
        &t.tuple,
        &t.list,
        &t.dict,
        &t.set,
        &t.frozenset,
        &t.slice,
        &t.enumerate,
        &t.range,
        &t.filter,
        &t.map,
        &t.zip,
        &t.reversed,
        &t.bytes,
        &t.bytearray,
        &t.memoryview,
    ];
    let set = |name: &str, v: Obj| {
        let key = vm.intern(name);
        let _ = builtin::dict_set(vm, &vm.builtins, key, v);
    };
    for c in classes {
        set(builtin::name_of_type(c), c.clone());
    }
    for (name, ty) in &t.exceptions {
        set(name, ty.clone());
    }
    set("EnvironmentError", t.os_error.clone());
    set("IOError", t.os_error.clone());
    set("Ellipsis", vm.ellipsis.clone());
    set("__debug__", vm.true_.clone());
    set("NotImplemented", vm.not_implemented.clone());
    set("None", vm.none.clone());
    set("True", vm.true_.clone());
    set("False", vm.false_.clone());
    let table: &[(&'static str, crate::function::BuiltinFn)] = &[
        ("print", builtin_print),
        ("repr", builtin_repr),
        ("ascii", builtin_ascii),
        ("len", builtin_len),
        ("format", builtin_format),
        ("isinstance", crate::classes::builtin_isinstance),
        ("issubclass", crate::classes::builtin_issubclass),
        ("sorted", builtin_sorted),
        ("min", |vm, a, kw| min_max(vm, a, kw, "min", CompareOp::Lt)),
        ("max", |vm, a, kw| min_max(vm, a, kw, "max", CompareOp::Gt)),
        ("sum", builtin_sum),
        ("abs", builtin_abs),
        ("all", |vm, a, kw| all_any(vm, a, kw, "all", true)),
        ("any", |vm, a, kw| all_any(vm, a, kw, "any", false)),
        ("bin", |vm, a, kw| int_to_base(vm, a, kw, "bin", 2, "0b")),
        ("oct", |vm, a, kw| int_to_base(vm, a, kw, "oct", 8, "0o")),
        ("hex", |vm, a, kw| int_to_base(vm, a, kw, "hex", 16, "0x")),
        ("ord", builtin_ord),
        ("chr", builtin_chr),
        ("divmod", builtin_divmod),
        ("pow", builtin_pow),
        ("round", builtin_round),
        ("hash", |vm, a, kw| {
            no_kwargs(vm, "hash", kw)?;
            Ok(vm.int(ops::hash(vm, one_arg(vm, "hash", a)?)?))
        }),
        ("id", |vm, a, kw| {
            no_kwargs(vm, "id", kw)?;
            Ok(vm.int(one_arg(vm, "id", a)?.as_ptr() as usize as i64))
        }),
        ("callable", |vm, a, kw| {
            no_kwargs(vm, "callable", kw)?;
            let o = one_arg(vm, "callable", a)?;
            Ok(vm.bool(crate::ops::callable(o)))
        }),
        ("getattr", builtin_getattr),
        ("setattr", |vm, a, kw| {
            no_kwargs(vm, "setattr", kw)?;
            let [o, n, v] = a else { return Err(vm.type_error(format!("setattr expected 3 arguments, got {}", a.len()))) };
            check_attr_name(vm, n)?;
            crate::classes::setattr(vm, o, n, v.clone())?;
            Ok(vm.none.clone())
        }),
        ("delattr", |vm, a, kw| {
            no_kwargs(vm, "delattr", kw)?;
            let [o, n] = a else { return Err(vm.type_error(format!("delattr expected 2 arguments, got {}", a.len()))) };
            check_attr_name(vm, n)?;
            crate::classes::delattr(vm, o, n)?;
            Ok(vm.none.clone())
        }),
        ("hasattr", |vm, a, kw| {
            no_kwargs(vm, "hasattr", kw)?;
            let [o, n] = a else { return Err(vm.type_error(format!("hasattr expected 2 arguments, got {}", a.len()))) };
            check_attr_name(vm, n)?;
            match crate::classes::getattr(vm, o, n) {
                Ok(_) => Ok(vm.true_.clone()),
                Err(e) if crate::types::is_subtype(&crate::types::type_of(&e.exc), &vm.types.attribute_error) => Ok(vm.false_.clone()),
                Err(e) => Err(e),
            }
        }),
        ("aiter", crate::generator::builtin_aiter),
        ("anext", crate::generator::builtin_anext),
        ("iter", |vm, a, kw| {
            let [o, sentinel] = crate::native::at_most::<2>(vm, "iter", 1, a, kw)?;
            let Some(o) = o else { return Err(vm.type_error("iter expected at least 1 argument, got 0")) };
            match sentinel {
                None => ops::iter(vm, &o),
                Some(s) => {
                    let callable = crate::types::type_data_of(&o).slots.get().call.is_some()
                        || o.downcast::<crate::function::FunctionData>().is_some();
                    if !callable {
                        return Err(vm.type_error("iter(v, w): v must be callable"));
                    }
                    Ok(crate::types::iterators::new_callable_iterator(vm, o, s))
                }
            }
        }),
        ("next", |vm, a, kw| {
            no_kwargs(vm, "next", kw)?;
            let (it, default) = match a {
                [it] => (it, None),
                [it, d] => (it, Some(d.clone())),
                [] => return Err(vm.type_error("next expected at least 1 argument, got 0")),
                _ => return Err(vm.type_error(format!("next expected at most 2 arguments, got {}", a.len()))),
            };
            // Without a default, a StopIteration from the iterator (with a
            // generator's return value) propagates as is.
            let item = if default.is_some() { ops::next(vm, it)? } else { ops::next_raw(vm, it)? };
            match (item, default) {
                (Some(v), _) => Ok(v),
                (None, Some(d)) => Ok(d),
                (None, None) => Err(crate::PyErr { exc: builtin::new_exception(vm, &vm.types.stop_iteration, vec![]) }),
            }
        }),
        ("globals", |vm, a, kw| {
            let [] = crate::native::exact::<0>(vm, "globals", a, kw)?;
            Ok(caller(vm)?.globals)
        }),
        ("locals", |vm, a, kw| {
            let [] = crate::native::exact::<0>(vm, "locals", a, kw)?;
            Ok(caller(vm)?.locals.unwrap_or_else(|| builtin::new_dict(vm)))
        }),
        ("input", builtin_input),
        ("compile", builtin_compile),
        ("exec", |vm, a, kw| exec_eval(vm, a, kw, "exec")),
        ("eval", |vm, a, kw| exec_eval(vm, a, kw, "eval")),
        ("breakpoint", builtin_breakpoint),
    ];
    for (name, f) in table {
        let reads_frame = matches!(*name, "globals" | "locals" | "exec" | "eval" | "breakpoint");
        let func = if reads_frame { crate::function::new_frame_reading_function(vm, name, *f) } else { new_builtin_function(vm, name, *f) };
        if let (Some(b), Some((_, doc))) =
            (func.downcast::<crate::function::BuiltinFunctionData>(), BUILTIN_DOCS.iter().find(|(n, _)| n == name))
        {
            b.doc.set(doc);
        }
        set(name, func);
    }
}

/// The builtins' docstrings: CPython's text signature (`len($module, obj, /)`,
/// read by `inspect.signature` through `__text_signature__`) and the first
/// paragraph of its docstring.
static BUILTIN_DOCS: &[(&str, &str)] = &[
    ("print", "print($module, /, *args, sep=' ', end='\\n', file=None, flush=False)\n--\n\nPrints the values to a stream, or to sys.stdout by default."),
    ("repr", "repr($module, obj, /)\n--\n\nReturn the canonical string representation of the object."),
    ("ascii", "ascii($module, obj, /)\n--\n\nReturn an ASCII-only representation of an object."),
    ("len", "len($module, obj, /)\n--\n\nReturn the number of items in a container."),
    ("format", "format($module, value, format_spec='', /)\n--\n\nReturn value.__format__(format_spec)"),
    ("isinstance", "isinstance($module, obj, class_or_tuple, /)\n--\n\nReturn whether an object is an instance of a class or of a subclass thereof."),
    ("issubclass", "issubclass($module, cls, class_or_tuple, /)\n--\n\nReturn whether 'cls' is derived from another class or is the same class."),
    ("sorted", "sorted($module, iterable, /, *, key=None, reverse=False)\n--\n\nReturn a new list containing all items from the iterable in ascending order."),
    ("min", "min(iterable, *[, default=obj, key=func]) -> value\nmin(arg1, arg2, *args, *[, key=func]) -> value"),
    ("max", "max(iterable, *[, default=obj, key=func]) -> value\nmax(arg1, arg2, *args, *[, key=func]) -> value"),
    ("sum", "sum($module, iterable, /, start=0)\n--\n\nReturn the sum of a 'start' value (default: 0) plus an iterable of numbers"),
    ("abs", "abs($module, x, /)\n--\n\nReturn the absolute value of the argument."),
    ("all", "all($module, iterable, /)\n--\n\nReturn True if bool(x) is True for all values x in the iterable."),
    ("any", "any($module, iterable, /)\n--\n\nReturn True if bool(x) is True for any x in the iterable."),
    ("bin", "bin($module, number, /)\n--\n\nReturn the binary representation of an integer."),
    ("oct", "oct($module, number, /)\n--\n\nReturn the octal representation of an integer."),
    ("hex", "hex($module, number, /)\n--\n\nReturn the hexadecimal representation of an integer."),
    ("ord", "ord($module, c, /)\n--\n\nReturn the Unicode code point for a one-character string."),
    ("chr", "chr($module, i, /)\n--\n\nReturn a Unicode string of one character with ordinal i; 0 <= i <= 0x10ffff."),
    ("divmod", "divmod($module, x, y, /)\n--\n\nReturn the tuple (x//y, x%y).  Invariant: div*y + mod == x."),
    ("pow", "pow($module, /, base, exp, mod=None)\n--\n\nEquivalent to base**exp with 2 arguments or base**exp % mod with 3 arguments"),
    ("round", "round($module, /, number, ndigits=None)\n--\n\nRound a number to a given precision in decimal digits."),
    ("hash", "hash($module, obj, /)\n--\n\nReturn the hash value for the given object."),
    ("id", "id($module, obj, /)\n--\n\nReturn the identity of an object."),
    ("callable", "callable($module, obj, /)\n--\n\nReturn whether the object is callable (i.e., some kind of function)."),
    ("getattr", "getattr(object, name[, default]) -> value"),
    ("setattr", "setattr($module, obj, name, value, /)\n--\n\nSets the named attribute on the given object to the specified value."),
    ("delattr", "delattr($module, obj, name, /)\n--\n\nDeletes the named attribute from the given object."),
    ("hasattr", "hasattr($module, obj, name, /)\n--\n\nReturn whether the object has an attribute with the given name."),
    ("aiter", "aiter($module, async_iterable, /)\n--\n\nReturn an AsyncIterator for an AsyncIterable object."),
    ("anext", "anext($module, aiterator, default=<unrepresentable>, /)\n--\n\nasync anext(aiterator[, default])"),
    ("iter", "iter(iterable) -> iterator\niter(callable, sentinel) -> iterator"),
    ("next", "next(iterator[, default])"),
    ("globals", "globals($module, /)\n--\n\nReturn the dictionary containing the current scope's global variables."),
    ("locals", "locals($module, /)\n--\n\nReturn a dictionary containing the current scope's local variables."),
    ("input", "input($module, prompt='', /)\n--\n\nRead a string from standard input.  The trailing newline is stripped."),
    ("compile", "compile($module, /, source, filename, mode, flags=0,\n        dont_inherit=False, optimize=-1, *, _feature_version=-1)\n--\n\nCompile source into a code object that can be executed by exec() or eval()."),
    ("exec", "exec($module, source, globals=None, locals=None, /, *, closure=None)\n--\n\nExecute the given source in the context of globals and locals."),
    ("eval", "eval($module, source, globals=None, locals=None, /)\n--\n\nEvaluate the given source in the context of globals and locals."),
    ("breakpoint", "breakpoint(*args, **kws)"),
];

/// `ascii(obj, /)`.
fn builtin_ascii(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [o] = crate::native::exact::<1>(vm, "ascii", args, kw)?;
    Ok(builtin::new_str_wtf8(vm, crate::types::str_format::ascii_of(vm, &o)?))
}

/// The frame calling a frame-reading builtin.
fn caller(vm: &Vm) -> PyResult<crate::eval::FrameView> {
    crate::eval::caller_frame(vm).ok_or_else(|| vm.new_error(&vm.types.runtime_error, "no current frame"))
}

fn check_attr_name(vm: &Vm, n: &Obj) -> PyResult<()> {
    if n.downcast::<StrData>().is_none() {
        return Err(vm.type_error(format!("attribute name must be string, not '{}'", type_name(n))));
    }
    Ok(())
}

fn one_arg<'a>(vm: &Vm, name: &str, a: &'a [Obj]) -> PyResult<&'a Obj> {
    match a {
        [x] => Ok(x),
        _ => Err(vm.type_error(format!("{name}() takes exactly one argument ({} given)", a.len()))),
    }
}

/// `sorted(iterable, /, *, key=None, reverse=False)`: a stable sort using
/// only `<`, as `list.sort` does.
fn builtin_sorted(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [it] = a else { return Err(vm.type_error(format!("sorted expected 1 argument, got {}", a.len()))) };
    let mut key = None;
    let mut reverse = false;
    for (k, v) in kw {
        match &*str_data(k).as_str() {
            "key" if !v.is(&vm.none) => key = Some(v.clone()),
            "key" => {}
            "reverse" => reverse = ops::truth(vm, v)?,
            other => return Err(vm.type_error(format!("'{other}' is an invalid keyword argument for sort()"))),
        }
    }
    let items = crate::sequence::to_vec(vm, it)?;
    Ok(builtin::new_list(vm, sort_items(vm, items, key.as_ref(), reverse)?))
}

/// Sorts `items` stably by `key` (or themselves) with `<`; `reverse`
/// keeps equal items in order, as CPython does.
pub(crate) fn sort_items(vm: &Vm, mut items: Vec<Obj>, key: Option<&Obj>, reverse: bool) -> PyResult<Vec<Obj>> {
    builtin::sort_vec(vm, &mut items, key, reverse)?;
    Ok(items)
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
    if acc.downcast::<builtin::BytesData>().is_some() {
        return Err(vm.type_error("sum() can't sum bytes [use b''.join(seq) instead]"));
    }
    if acc.downcast::<builtin::ByteArrayData>().is_some() {
        return Err(vm.type_error("sum() can't sum bytearray [use b''.join(seq) instead]"));
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
        return crate::classes::call_special(vm, &f, x, &[], &[]);
    }
    Err(vm.type_error(format!("bad operand type for abs(): '{}'", type_name(x))))
}

fn builtin_ord(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "ord", kw)?;
    let x = one_arg(vm, "ord", a)?;
    let is_bytes =
        x.downcast::<crate::types::bytes::BytesData>().is_some() || x.downcast::<crate::types::bytearray::ByteArrayData>().is_some();
    let cps: Vec<u32> = match x.downcast::<StrData>() {
        Some(s) => s.value.code_points().collect(),
        // A bytes or bytearray of length 1 gives its byte.
        None if is_bytes => crate::types::bytes::as_buffer(x).map(|b| b.iter().map(|&c| c as u32).collect()).unwrap_or_default(),
        None => return Err(vm.type_error(format!("ord() expected string of length 1, but {} found", type_name(x)))),
    };
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
    let python_side = |o: &Obj| crate::types::type_data(&crate::types::type_of(o)).slots.get().python_binary;
    if python_side(x) || python_side(y) {
        let r = crate::classes::binary_by_name(vm, x, y, "__divmod__", "__rdivmod__")?;
        if r.is(&vm.not_implemented) {
            return Err(vm.type_error(format!("unsupported operand type(s) for divmod(): '{}' and '{}'", type_name(x), type_name(y))));
        }
        return Ok(r);
    }
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

/// `range(stop)`, `range(start, stop[, step])` (the `new` slot of `range`).
pub(crate) fn builtin_range(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "range", kw)?;
    match args.len() {
        0 => return Err(vm.type_error("range expected at least 1 argument, got 0")),
        1..=3 => {}
        n => return Err(vm.type_error(format!("range expected at most 3 arguments, got {n}"))),
    }
    let ints = args
        .iter()
        .map(|a| {
            let i = if a.downcast::<IntData>().is_some() { a.clone() } else { crate::ops::index(vm, a)? };
            Ok(i.downcast::<IntData>().map(|d| d.to_big()).unwrap_or_default())
        })
        .collect::<PyResult<Vec<_>>>()?;
    let (start, stop, step) = match &ints[..] {
        [stop] => (Default::default(), stop.clone(), 1.into()),
        [start, stop] => (start.clone(), stop.clone(), 1.into()),
        [start, stop, step] => (start.clone(), stop.clone(), step.clone()),
        _ => unreachable!("length checked"),
    };
    if num_traits::Zero::is_zero(&step) {
        return Err(vm.new_error(&vm.types.value_error, "range() arg 3 must not be zero"));
    }
    Ok(crate::types::range::new_range(vm, start, stop, step))
}

/// `print(*objects, sep=' ', end='\n', file=None, flush=False)`: writes
/// through `file.write` (`sys.stdout` by default; nothing when that is
/// None).
fn builtin_print(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (mut sep, mut end, mut file, mut flush) = (None, None, None, false);
    for (k, v) in kw {
        let name = str_data(k).as_str().into_owned();
        match name.as_str() {
            "sep" => sep = Some(v.clone()),
            "end" => end = Some(v.clone()),
            "file" => file = Some(v.clone()).filter(|f| !f.is(&vm.none)),
            "flush" => flush = ops::truth(vm, v)?,
            _ => return Err(vm.type_error(format!("'{name}' is an invalid keyword argument for print()"))),
        }
    }
    let text = |v: Option<Obj>, what: &str, default: &str| -> PyResult<Obj> {
        match v {
            Some(v) if v.downcast::<StrData>().is_some() => Ok(v),
            Some(v) if !v.is(&vm.none) => Err(vm.type_error(format!("{what} must be None or a string, not {}", type_name(&v)))),
            _ => Ok(vm.intern(default)),
        }
    };
    let sep = text(sep, "sep", " ")?;
    let end = text(end, "end", "\n")?;
    let file = match file {
        Some(f) => f,
        None => match crate::stdio::stream(vm, "stdout")? {
            crate::stdio::Stream::Object(f) => f,
            crate::stdio::Stream::Discard => return Ok(vm.none.clone()),
            crate::stdio::Stream::Raw => {
                let mut line = String::new();
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        line.push_str(&str_data(&sep).as_str());
                    }
                    line.push_str(&str_data(&ops::str(vm, a)?).as_str());
                }
                line.push_str(&str_data(&end).as_str());
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(line.as_bytes());
                if flush {
                    let _ = out.flush();
                }
                return Ok(vm.none.clone());
            }
        },
    };
    let write = crate::classes::getattr(vm, &file, &vm.intern("write"))?;
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            crate::classes::call_object(vm, &write, std::slice::from_ref(&sep))?;
        }
        let s = ops::str(vm, a)?;
        crate::classes::call_object(vm, &write, &[s])?;
    }
    crate::classes::call_object(vm, &write, &[end])?;
    if flush {
        crate::stdio::call_method(vm, &file, "flush", &[])?;
    }
    Ok(vm.none.clone())
}

pub use crate::classes::{isinstance, issubclass};

/// `min`/`max`: one iterable or several arguments, `key=`, `default=`
/// (one iterable only), CPython's errors.
fn min_max(vm: &Vm, a: &[Obj], kw: Kwargs, name: &str, better: CompareOp) -> PyResult<Obj> {
    let mut key = None;
    let mut default = None;
    for (k, v) in kw {
        match &*str_data(k).as_str() {
            "key" if !v.is(&vm.none) => key = Some(v.clone()),
            "key" => {}
            "default" => default = Some(v.clone()),
            other => return Err(vm.type_error(format!("'{other}' is an invalid keyword argument for {name}()"))),
        }
    }
    let items = match a {
        [] => return Err(vm.type_error(format!("{name} expected at least 1 argument, got 0"))),
        [one] => {
            let it = ops::iter(vm, one)?;
            let mut v = Vec::new();
            while let Some(x) = ops::next(vm, &it)? {
                v.push(x);
            }
            v
        }
        many => {
            if default.is_some() {
                return Err(vm.type_error(format!("Cannot specify a default for {name}() with multiple positional arguments")));
            }
            many.to_vec()
        }
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

/// `len(obj)`: the built-in containers, or `__len__`.
fn builtin_len(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "len", kw)?;
    let o = one_arg(vm, "len", args)?;
    Ok(vm.int(ops::length(vm, o)? as i64))
}

fn all_any(vm: &Vm, a: &[Obj], kw: Kwargs, name: &str, all: bool) -> PyResult<Obj> {
    no_kwargs(vm, name, kw)?;
    let it = ops::iter(vm, one_arg(vm, name, a)?)?;
    while let Some(x) = ops::next(vm, &it)? {
        if ops::truth(vm, &x)? != all {
            return Ok(vm.bool(!all));
        }
    }
    Ok(vm.bool(all))
}

/// An integer argument, through `__index__` for other types.
fn index_value(vm: &Vm, o: &Obj) -> PyResult<num_bigint::BigInt> {
    if let Some(i) = o.downcast::<builtin::IntData>() {
        return Ok(i.to_big());
    }
    if let Some(f) = crate::types::lookup(&crate::types::type_of(o), "__index__") {
        let r = crate::classes::call_special(vm, &f, o, &[], &[])?;
        if let Some(i) = r.downcast::<builtin::IntData>() {
            return Ok(i.to_big());
        }
        return Err(vm.type_error(format!("__index__ returned non-int (type {})", type_name(&r))));
    }
    Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer", type_name(o))))
}

fn int_to_base(vm: &Vm, a: &[Obj], kw: Kwargs, name: &str, radix: u32, prefix: &str) -> PyResult<Obj> {
    no_kwargs(vm, name, kw)?;
    let v = index_value(vm, one_arg(vm, name, a)?)?;
    let digits = num_traits::Signed::abs(&v).to_str_radix(radix);
    let sign = if num_traits::Signed::is_negative(&v) { "-" } else { "" };
    Ok(builtin::new_str(vm, &format!("{sign}{prefix}{digits}")))
}

/// `pow(base, exp, mod=None)`; the three-argument form for integers
/// (negative exponents through the modular inverse).
fn builtin_pow(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    use num_bigint::BigInt;
    use num_integer::Integer;
    use num_traits::{One, Signed, Zero};
    let params = crate::native::Params { fname: "pow", names: &["base", "exp", "mod"], posonly: 0, kwonly: 0, required: 2 };
    let [base, exp, modulus] = crate::native::bind::<3>(vm, &params, a, kw)?;
    let (Some(base), Some(exp)) = (base, exp) else { return Err(vm.type_error("pow() missing required argument")) };
    let modulus = modulus.filter(|m| !m.is(&vm.none));
    let Some(m) = modulus else {
        return ops::binary_op(vm, taipan_compiler::bytecode::BinaryOp::Power, &base, &exp);
    };
    let ints = [&base, &exp, &m].iter().all(|x| x.downcast::<builtin::IntData>().is_some());
    if !ints {
        if let Some(f) = crate::types::lookup(&crate::types::type_of(&base), "__pow__") {
            if base.downcast::<builtin::IntData>().is_none() && base.downcast::<f64>().is_none() {
                return crate::classes::call_object(vm, &f, &[base.clone(), exp.clone(), m.clone()]);
            }
        }
        return Err(vm.type_error("pow() 3rd argument not allowed unless all arguments are integers"));
    }
    let big = |o: &Obj| o.downcast::<builtin::IntData>().map(|i| i.to_big()).unwrap_or_default();
    let (mut b, e, md) = (big(&base), big(&exp), big(&m));
    if md.is_zero() {
        return Err(vm.new_error(&vm.types.value_error, "pow() 3rd argument cannot be 0"));
    }
    let am = md.abs();
    let mut e_abs = e.clone();
    if e.is_negative() {
        // The inverse of base modulo |mod|, by the extended Euclid.
        let ext = b.mod_floor(&am).extended_gcd(&am);
        if !ext.gcd.is_one() {
            return Err(vm.new_error(&vm.types.value_error, "base is not invertible for the given modulus"));
        }
        b = ext.x.mod_floor(&am);
        e_abs = -e;
    }
    let mut r: BigInt = b.mod_floor(&am).modpow(&e_abs, &am);
    if md.is_negative() && !r.is_zero() {
        r -= &am;
    }
    Ok(builtin::new_int_big(vm, r))
}

/// `round(number, ndigits=None)`: `__round__`, or the built-in rules for
/// int and float (half to even, on the exact binary value).
fn builtin_round(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let params = crate::native::Params { fname: "round", names: &["number", "ndigits"], posonly: 0, kwonly: 0, required: 1 };
    let [number, ndigits] = crate::native::bind::<2>(vm, &params, a, kw)?;
    let Some(number) = number else { return Err(vm.type_error("round() missing required argument 'number' (pos 1)")) };
    let ndigits = ndigits.filter(|n| !n.is(&vm.none));
    let ty = crate::types::type_of(&number);
    // int and float have `__round__` too (correctly rounded there).
    {
        if let Some(f) = crate::types::lookup(&ty, "__round__") {
            let args: Vec<Obj> = ndigits.into_iter().collect();
            return crate::classes::call_special(vm, &f, &number, &args, &[]);
        }
    }
    if let Some(i) = number.downcast::<builtin::IntData>() {
        let Some(n) = ndigits else { return Ok(builtin::new_int_big(vm, i.to_big())) };
        let n = expect_int(vm, &n, "")?;
        return Ok(builtin::new_int_big(vm, round_int(&i.to_big(), n)));
    }
    if let Some(&x) = number.downcast::<f64>() {
        let Some(n) = ndigits else {
            if x.is_nan() {
                return Err(vm.new_error(&vm.types.value_error, "cannot convert float NaN to integer"));
            }
            if x.is_infinite() {
                return Err(vm.new_error(&vm.types.overflow_error, "cannot convert float infinity to integer"));
            }
            let r = round_half_even(x);
            let big = num_bigint::BigInt::from_f64_exact(r);
            return Ok(builtin::new_int_big(vm, big));
        };
        let n = expect_int(vm, &n, "")?;
        return Ok(crate::object::alloc(vm.types.float.clone(), round_float(x, n)));
    }
    Err(vm.type_error(format!("type {} doesn't define __round__ method", type_name(&number))))
}

trait FromF64Exact {
    fn from_f64_exact(x: f64) -> Self;
}

impl FromF64Exact for num_bigint::BigInt {
    fn from_f64_exact(x: f64) -> Self {
        num_traits::FromPrimitive::from_f64(x).unwrap_or_default()
    }
}

fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (r - x).abs() == 0.5 && r % 2.0 != 0.0 {
        r - x.signum()
    } else {
        r
    }
}

/// `round(int, n)`: to a multiple of 10**-n, ties to even.
fn round_int(v: &num_bigint::BigInt, n: i64) -> num_bigint::BigInt {
    use num_integer::Integer;
    use num_traits::Signed;
    if n >= 0 {
        return v.clone();
    }
    let Ok(k) = u32::try_from(-n) else { return num_bigint::BigInt::default() };
    let p = num_bigint::BigInt::from(10).pow(k);
    let (q, r) = v.abs().div_rem(&p);
    let twice = &r * 2;
    let up = twice > p || (twice == p && q.is_odd());
    let q = if up { q + 1 } else { q };
    let out = q * p;
    if v.is_negative() {
        -out
    } else {
        out
    }
}

/// `round(float, n)`, correctly rounded as CPython's dtoa-based rounding.
fn round_float(x: f64, n: i64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    if n > 330 {
        return x;
    }
    if n >= 0 {
        let s = format!("{:.*}", n as usize, x);
        return s.parse::<f64>().unwrap_or(x);
    }
    if n < -330 {
        return 0.0 * x.signum();
    }
    // Negative: round the exact integer part (plus fraction as tie-break).
    use num_traits::{Signed, ToPrimitive};
    let t = x.trunc();
    let frac = (x - t).abs();
    let big = num_bigint::BigInt::from_f64_exact(t).abs();
    let k = (-n) as u32;
    let p = num_bigint::BigInt::from(10).pow(k);
    let (q, r) = num_integer::Integer::div_rem(&big, &p);
    let twice = &r * 2;
    let up = twice > p || (twice == p && (frac > 0.0 || num_integer::Integer::is_odd(&q)));
    let q = if up { q + 1 } else { q };
    let v = (q * p).to_f64().unwrap_or(f64::INFINITY);
    if x.is_sign_negative() {
        -v
    } else {
        v
    }
}

/// `input(prompt=None)`: the prompt to `sys.stdout`, one line from
/// `sys.stdin` (its `readline`), without the newline.
fn builtin_input(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    use crate::stdio::{call_method, stream, Stream};
    let [prompt] = crate::native::at_most::<1>(vm, "input", 0, a, kw)?;
    let stdin = stream(vm, "stdin")?;
    let stdout = stream(vm, "stdout")?;
    if let Stream::Discard = stdin {
        return Err(vm.new_error(&vm.types.runtime_error, "input(): lost sys.stdin"));
    }
    if let Stream::Discard = stdout {
        return Err(vm.new_error(&vm.types.runtime_error, "input(): lost sys.stdout"));
    }
    let _ = crate::stdio::flush(vm, "stderr");
    if let Some(p) = prompt {
        let s = ops::str(vm, &p)?;
        crate::stdio::write(vm, "stdout", &str_data(&s).as_str())?;
    }
    crate::stdio::flush(vm, "stdout")?;
    let eof = || vm.new_error(&vm.exception_type("EOFError").unwrap_or_else(|| vm.types.exception.clone()), "EOF when reading a line");
    let line = match stdin {
        Stream::Object(f) => {
            let line = call_method(vm, &f, "readline", &[])?;
            let Some(s) = line.downcast::<StrData>() else {
                return Err(vm.type_error("object.readline() returned non-string"));
            };
            let mut v = s.as_str().into_owned();
            if v.is_empty() {
                return Err(eof());
            }
            if v.ends_with('\n') {
                v.pop();
            }
            v
        }
        _ => {
            use std::io::BufRead;
            let mut line = String::new();
            match std::io::stdin().lock().read_line(&mut line) {
                Ok(0) | Err(_) => return Err(eof()),
                Ok(_) => {
                    if line.ends_with('\n') {
                        line.pop();
                    }
                    line
                }
            }
        }
    };
    Ok(builtin::new_str(vm, &line))
}

/// A `SyntaxError` (or subclass) for `source` (the import system's).
fn syntax_error(vm: &Vm, kind: &str, msg: &str, filename: &str, lineno: Option<u32>, offset: Option<i64>, source: &str) -> crate::PyErr {
    crate::import::syntax_error(vm, kind, msg, filename, source.as_bytes(), lineno, offset)
}

/// Compiles `source` in `mode` ('exec', 'eval' or 'single') to a code
/// object; errors are raised as `SyntaxError`s.
pub fn compile_source(vm: &Vm, source: &str, filename: &str, mode: &str) -> PyResult<Obj> {
    let text = if mode == "eval" { source.trim_start_matches([' ', '\t']) } else { source };
    compile_parsed(vm, taipan_parser::parse_module_text(text), text, filename, mode)
}

/// `compile_source` for source bytes (`exec(b'...')`): UTF-8 or what the
/// coding cookie says.
pub fn compile_source_bytes(vm: &Vm, source: &[u8], filename: &str, mode: &str) -> PyResult<Obj> {
    let source = if mode == "eval" {
        let start = source.iter().position(|b| !matches!(b, b' ' | b'\t')).unwrap_or(source.len());
        &source[start..]
    } else {
        source
    };
    let text = String::from_utf8_lossy(source);
    compile_parsed(vm, crate::import::parse_source(vm, source), &text, filename, mode)
}

fn compile_parsed(
    vm: &Vm,
    parsed: Result<taipan_parser::ast::Mod, taipan_parser::ParseError>,
    text: &str,
    filename: &str,
    mode: &str,
) -> PyResult<Obj> {
    use taipan_parser::ast::{Mod, StmtKind};
    let module = match parsed {
        Ok(m) => m,
        Err(e) => return Err(syntax_error(vm, e.kind.name(), &e.msg, filename, e.lineno, e.offset, text)),
    };
    let module = match (mode, module) {
        ("eval", Mod::Module { body, .. }) => {
            let mut body = body;
            match (body.len(), body.pop()) {
                (1, Some(stmt)) => match stmt.kind {
                    StmtKind::Expr { value } => Mod::Expression { body: value },
                    _ => {
                        let (l, o) = (stmt.loc.lineno, stmt.loc.col_offset as i64 + 1);
                        return Err(syntax_error(vm, "SyntaxError", "invalid syntax", filename, Some(l), Some(o), text));
                    }
                },
                _ => return Err(syntax_error(vm, "SyntaxError", "invalid syntax", filename, Some(1), Some(1), text)),
            }
        }
        ("single", _) => return crate::import::compile_interactive(vm, text.as_bytes(), filename),
        (_, m) => m,
    };
    let unit = crate::import::compile_checked(vm, &module, filename, crate::sysmodule::optimize_level(vm), text.as_bytes())?;
    Ok(crate::function::new_code(vm, unit))
}

/// Parses `source` for `compile()` in `mode` ('exec', 'eval', 'single'):
/// a `Module`, `Expression` or `Interactive` tree, or the SyntaxError.
/// `source_is_text`: the source was a str (already decoded, so a coding
/// cookie in it is not applied).
pub fn parse_mode(vm: &Vm, source: &[u8], source_is_text: bool, filename: &str, mode: &str) -> PyResult<taipan_parser::ast::Mod> {
    parse_mode_opts(vm, source, source_is_text, filename, mode, taipan_parser::Options::default())
}

/// [`parse_mode`] with `ast.parse`'s options (`PyCF_TYPE_COMMENTS`,
/// `feature_version`).
pub fn parse_mode_opts(
    vm: &Vm,
    source: &[u8],
    source_is_text: bool,
    filename: &str,
    mode: &str,
    opts: taipan_parser::Options,
) -> PyResult<taipan_parser::ast::Mod> {
    use taipan_parser::ast::{Mod, StmtKind};
    let text = String::from_utf8_lossy(source);
    let parsed = if source_is_text {
        taipan_parser::parse_module_text_opts(&text, opts)
    } else {
        crate::import::parse_source_opts(vm, source, opts)
    };
    let module = match parsed {
        Ok(m) => m,
        Err(e) => return Err(syntax_error(vm, e.kind.name(), &e.msg, filename, e.lineno, e.offset, &text)),
    };
    let Mod::Module { mut body, type_ignores } = module else { return Ok(module) };
    match mode {
        "eval" => match (body.len(), body.pop()) {
            (1, Some(stmt)) => match stmt.kind {
                StmtKind::Expr { value } => Ok(Mod::Expression { body: value }),
                _ => {
                    let (l, o) = (stmt.loc.lineno, stmt.loc.col_offset as i64 + 1);
                    Err(syntax_error(vm, "SyntaxError", "invalid syntax", filename, Some(l), Some(o), &text))
                }
            },
            _ => Err(syntax_error(vm, "SyntaxError", "invalid syntax", filename, Some(1), Some(1), &text)),
        },
        "single" => {
            // One statement, or simple statements on one line.
            if let Some(first) = body.first() {
                if body.iter().any(|s| s.loc.lineno > first.loc.end_lineno) {
                    let (l, o) = (first.loc.end_lineno, first.loc.end_col_offset as i64 + 1);
                    let msg = "multiple statements found while compiling a single statement";
                    return Err(syntax_error(vm, "SyntaxError", msg, filename, Some(l), Some(o), &text));
                }
            }
            Ok(Mod::Interactive { body })
        }
        _ => Ok(Mod::Module { body, type_ignores }),
    }
}

/// Compiles a tree to a code object; errors are raised as `SyntaxError`s
/// (`source` gives their text lines).
pub fn compile_tree(vm: &Vm, module: &taipan_parser::ast::Mod, filename: &str, source: &str) -> PyResult<Obj> {
    compile_tree_opt(vm, module, filename, source, crate::sysmodule::optimize_level(vm))
}

/// `compile_tree` at an explicit optimisation level (`compile(...,
/// optimize=N)`).
pub fn compile_tree_opt(vm: &Vm, module: &taipan_parser::ast::Mod, filename: &str, source: &str, optimize: u32) -> PyResult<Obj> {
    let unit = crate::import::compile_checked(vm, module, filename, optimize, source.as_bytes())?;
    Ok(crate::function::new_code(vm, unit))
}

/// `compile(source, filename, mode, flags=0, dont_inherit=False,
/// optimize=-1)`: a code object, or with `PyCF_ONLY_AST` the `ast` tree;
/// `source` may be an `ast` tree.
fn builtin_compile(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    use crate::astmodule::{PYCF_ALLOW_TOP_LEVEL_AWAIT, PYCF_ONLY_AST, PYCF_TYPE_COMMENTS};
    let params = crate::native::Params {
        fname: "compile",
        names: &["source", "filename", "mode", "flags", "dont_inherit", "optimize", "_feature_version"],
        posonly: 0,
        kwonly: 1,
        required: 3,
    };
    let [source, filename, mode, flags, dont_inherit, optimize, feature_version] = crate::native::bind::<7>(vm, &params, a, kw)?;
    let (Some(source), Some(filename), Some(mode)) = (source, filename, mode) else {
        return Err(vm.type_error("compile() missing arguments"));
    };
    let fname = if let Some(s) = filename.downcast::<StrData>() {
        s.as_str().into_owned()
    } else if let Some(b) = crate::types::bytes::bytes_data(&filename) {
        String::from_utf8_lossy(b).into_owned()
    } else {
        let p = crate::classes::getattr_opt(vm, &crate::types::type_of(&filename), &vm.intern("__fspath__"))?;
        let path = match p {
            Some(f) => crate::classes::call_object(vm, &f, std::slice::from_ref(&filename))?,
            None => return Err(vm.type_error(format!("expected str, bytes or os.PathLike object, not {}", type_name(&filename)))),
        };
        match path.downcast::<StrData>() {
            Some(s) => s.as_str().into_owned(),
            None => return Err(vm.type_error(format!("expected str, bytes or os.PathLike object, not {}", type_name(&filename)))),
        }
    };
    let Some(mode_s) = mode.downcast::<StrData>().map(|m| m.as_str().into_owned()) else {
        return Err(vm.type_error(format!("compile() argument 'mode' must be str, not {}", type_name(&mode))));
    };
    // The three are C ints converted through `__index__`, in order.
    let flags = match &flags {
        Some(f) => crate::ops::c_int(vm, f)? as i64,
        None => 0,
    };
    if let Some(d) = &dont_inherit {
        crate::ops::c_int(vm, d)?;
    }
    let optimize = match &optimize {
        Some(o) => Some(crate::ops::c_int(vm, o)?),
        None => None,
    };
    // CPython's PyCF_MASK | PyCF_MASK_OBSOLETE | PyCF_COMPILE_MASK.
    const KNOWN: i64 = 0x1FE_0000 | 0x10 | 0x200 | PYCF_ONLY_AST | PYCF_TYPE_COMMENTS | PYCF_ALLOW_TOP_LEVEL_AWAIT | 0x4000;
    if flags & !KNOWN != 0 {
        return Err(vm.new_error(&vm.types.value_error, "compile(): unrecognised flags"));
    }
    // -1 (the default) is the interpreter's level.
    let mut level = crate::sysmodule::optimize_level(vm);
    match optimize {
        Some(n @ 0..=2) => level = n as u32,
        Some(-1) | None => {}
        Some(_) => return Err(vm.new_error(&vm.types.value_error, "compile(): invalid optimize value")),
    }
    let only_ast = flags & PYCF_ONLY_AST != 0;
    if mode_s == "func_type" {
        if !only_ast {
            return Err(vm.new_error(&vm.types.value_error, "compile() mode 'func_type' requires flag PyCF_ONLY_AST"));
        }
    } else if !matches!(mode_s.as_str(), "exec" | "eval" | "single") {
        return Err(vm.new_error(&vm.types.value_error, "compile() mode must be 'exec', 'eval' or 'single'"));
    }
    if crate::astmodule::is_ast(vm, &source)? {
        if only_ast {
            return Ok(source);
        }
        let st = crate::astmodule::state(vm)?;
        let tree = crate::astmodule::from_obj::mod_from_obj(vm, &st, &source, &mode_s)?;
        crate::astmodule::validate::validate_mod(vm, &tree)?;
        return compile_tree_opt(vm, &tree, &fname, "", level);
    }
    let bytes: Vec<u8> = if let Some(s) = source.downcast::<StrData>() {
        s.as_str().into_owned().into_bytes()
    } else if let Some(b) = crate::types::bytes::as_buffer(&source) {
        b.into_owned()
    } else {
        return Err(vm.type_error("compile() arg 1 must be a string, bytes or AST object"));
    };
    if bytes.contains(&0) {
        let msg = builtin::new_str(vm, "source code string cannot contain null bytes");
        return Err(crate::PyErr { exc: builtin::new_exception(vm, &vm.types.syntax_error, vec![msg]) });
    }
    // Bytes are source as a file holds it: UTF-8, or what its coding
    // cookie says.
    let text = match String::from_utf8(bytes.clone()) {
        Ok(t) => t,
        Err(_) => match taipan_parser::source::decode(&bytes) {
            Ok(decoded) => decoded.text,
            Err(_) => String::from_utf8_lossy(&bytes).into_owned(),
        },
    };
    if mode_s == "func_type" {
        let st = crate::astmodule::state(vm)?;
        let (argtypes, returns) = taipan_parser::parse_func_type(&text)
            .map_err(|e| syntax_error(vm, e.kind.name(), &e.msg, &fname, e.lineno, e.offset, &text))?;
        return crate::astmodule::to_obj::func_type_to_obj(vm, &st, &argtypes, &returns);
    }
    // `_feature_version` (a minor version; -1 for the current one) counts
    // only for `PyCF_ONLY_AST`, as in CPython.
    let mut opts = taipan_parser::Options { type_comments: flags & PYCF_TYPE_COMMENTS != 0, ..Default::default() };
    if let Some(fv) = &feature_version {
        let v = builtin::expect_int(vm, &crate::ops::index(vm, fv)?, "")?;
        if v >= 0 && only_ast {
            opts.feature_version = u32::try_from(v).unwrap_or(u32::MAX);
        }
    }
    let source_is_text = source.downcast::<StrData>().is_some();
    let tree = parse_mode_opts(vm, &bytes, source_is_text, &fname, &mode_s, opts)?;
    if only_ast {
        let st = crate::astmodule::state(vm)?;
        return crate::astmodule::to_obj::module_to_obj(vm, &st, &tree);
    }
    compile_tree_opt(vm, &tree, &fname, &text, level)
}

/// `exec(source, globals=None, locals=None, /, *, closure=None)` and
/// `eval(source, globals=None, locals=None, /)`.
fn exec_eval(vm: &Vm, a: &[Obj], kw: Kwargs, name: &'static str) -> PyResult<Obj> {
    if !kw.is_empty() && name == "eval" {
        return Err(vm.type_error("eval() takes no keyword arguments"));
    }
    let mut closure = None;
    for (k, v) in kw {
        let key = str_data(k).as_str().into_owned();
        if key != "closure" {
            return Err(vm.type_error(format!("exec() got an unexpected keyword argument '{key}'")));
        }
        closure = Some(v.clone()).filter(|c| !c.is(&vm.none));
    }
    let [source, globals, locals] = crate::native::at_most::<3>(vm, name, 1, a, &[])?;
    let Some(source) = source else { return Err(vm.type_error(format!("{name} expected at least 1 argument, got 0"))) };
    let globals = globals.filter(|g| !g.is(&vm.none));
    let locals = locals.filter(|l| !l.is(&vm.none));
    if let Some(g) = &globals {
        if g.downcast::<DictData>().is_none() {
            let what = if name == "exec" {
                format!("exec() globals must be a dict, not {}", type_name(g))
            } else {
                "globals must be a dict".into()
            };
            return Err(vm.type_error(what));
        }
    }
    if let Some(l) = &locals {
        if l.downcast::<DictData>().is_none() && crate::types::lookup(&crate::types::type_of(l), "__getitem__").is_none() {
            return Err(vm.type_error("locals must be a mapping"));
        }
    }
    let (globals, locals) = match (globals, locals) {
        (Some(g), Some(l)) => (g, l),
        (Some(g), None) => (g.clone(), g),
        (None, l) => {
            let c = caller(vm)?;
            let l = l.or(c.locals).unwrap_or_else(|| builtin::new_dict(vm));
            (c.globals, l)
        }
    };
    let key = vm.intern("__builtins__");
    if builtin::dict_get(vm, &globals, &key)?.is_none() {
        builtin::dict_set(vm, &globals, key, vm.builtins.clone())?;
    }
    let mut cells = Vec::new();
    let code = if let Some(c) = source.downcast::<crate::function::CodeData>() {
        let nfree = c.unit.freevars.len();
        match &closure {
            None if nfree > 0 => {
                return Err(vm.type_error(format!("code object passed to {name}() may not contain free variables")));
            }
            None => {}
            Some(_) if nfree == 0 => return Err(vm.type_error("cannot use a closure with this code object")),
            Some(cl) => {
                let items = cl.downcast::<builtin::TupleData>().map(|t| t.items.to_vec());
                match items {
                    Some(items) if items.len() == nfree && items.iter().all(|i| crate::types::type_of(i).is(&vm.types.cell)) => {
                        cells = items
                    }
                    _ => return Err(vm.type_error(format!("code object requires a closure of exactly length {nfree}"))),
                }
            }
        }
        source
    } else {
        if closure.is_some() {
            return Err(vm.type_error("closure can only be used when source is a code object"));
        }
        if let Some(s) = source.downcast::<StrData>() {
            let text = s.as_str();
            if text.contains('\0') {
                return Err(vm.new_error(&vm.types.value_error, "source code string cannot contain null bytes"));
            }
            compile_source(vm, &text, "<string>", name)?
        } else if let Some(b) = crate::types::bytes::as_buffer(&source) {
            if b.contains(&0) {
                return Err(vm.new_error(&vm.types.value_error, "source code string cannot contain null bytes"));
            }
            compile_source_bytes(vm, &b, "<string>", name)?
        } else {
            return Err(vm.type_error(format!("{name}() arg 1 must be a string, bytes or code object")));
        }
    };
    let frame = crate::eval::Frame::with_namespaces(code, globals, locals).with_cells(vm, cells);
    let r = crate::eval::run(vm, frame)?;
    Ok(if name == "exec" { vm.none.clone() } else { r })
}

/// `breakpoint(*args, **kws)`: calls `sys.breakpointhook`.
fn builtin_breakpoint(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let hook = match builtin::dict_get_str(vm, &vm.modules, "sys")? {
        Some(sys) => crate::classes::getattr_opt(vm, &sys, &vm.intern("breakpointhook"))?,
        None => None,
    };
    match hook {
        Some(h) => crate::classes::call_object_kw(vm, &h, a, kw),
        None => Err(vm.new_error(&vm.types.runtime_error, "lost sys.breakpointhook")),
    }
}

/// `sys.breakpointhook(*args, **kws)`: `$PYTHONBREAKPOINT` names the hook
/// ("0" disables it; the default is `pdb.set_trace`); an unimportable
/// hook is a RuntimeWarning.
pub fn sys_breakpointhook(vm: &Vm, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let ignore_env = crate::sysmodule::current_flags(vm).ignore_environment != 0;
    let hook = if ignore_env { String::new() } else { std::env::var("PYTHONBREAKPOINT").unwrap_or_default() };
    if hook == "0" {
        return Ok(vm.none.clone());
    }
    let hook = if hook.is_empty() { "pdb.set_trace".to_string() } else { hook };
    let (module, attr) = match hook.rsplit_once('.') {
        Some((m, a)) => (m.to_string(), a.to_string()),
        None => ("builtins".to_string(), hook.clone()),
    };
    let target = if module == "builtins" {
        builtin::dict_get(vm, &vm.builtins, &vm.intern(&attr))?
    } else {
        match crate::import::import_absolute(vm, &module) {
            Ok(m) => crate::classes::getattr_opt(vm, &m, &vm.intern(&attr))?,
            Err(_) => None,
        }
    };
    match target {
        Some(f) => crate::classes::call_object_kw(vm, &f, a, kw),
        None => {
            let msg = builtin::new_str(vm, &format!("Ignoring unimportable $PYTHONBREAKPOINT: \"{hook}\""));
            let warnings = crate::import::import_absolute(vm, "warnings")?;
            let warn = crate::classes::getattr(vm, &warnings, &vm.intern("warn"))?;
            let category = vm.exception_type("RuntimeWarning").unwrap_or_else(|| vm.types.exception.clone());
            crate::classes::call_object(vm, &warn, &[msg, category])?;
            Ok(vm.none.clone())
        }
    }
}
