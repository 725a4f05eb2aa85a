//! Module objects, `import` of the built-in modules the vm provides, and
//! those modules: `sys` and `math` (first cuts). Other names raise
//! `ModuleNotFoundError`: the import system over `sys.path` is the next
//! issue's.

use crate::classes::no_kwargs;
use crate::function::new_builtin_function;
use crate::object::{alloc, Obj};
use crate::types::builtin::{self, expect_int, new_str, new_tuple, str_data, IntData};
use crate::types::{Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;

/// A module: its name and namespace (`__dict__`).
pub struct ModuleData {
    pub name: Box<str>,
    pub dict: Obj,
}

pub fn module_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let name = o.downcast::<ModuleData>().map_or("?", |m| &m.name);
            Ok(new_str(vm, &format!("<module '{name}' (built-in)>")))
        }),
        getattro: Some(module_getattro),
        setattro: Some(|vm, o, name, value| {
            let Some(m) = o.downcast::<ModuleData>() else { return Err(vm.type_error("not a module")) };
            match value {
                Some(v) => builtin::dict_set(vm, &m.dict, name.clone(), v),
                None if builtin::dict_del(vm, &m.dict, name)? => Ok(()),
                None => Err(crate::classes::no_attribute(vm, o, name)),
            }
        }),
        traverse: Some(module_traverse),
        ..builtin::object_slots()
    }
}

/// A module's attributes: its dict, then the module type's attributes,
/// then the module's own `__getattr__` (PEP 562).
fn module_getattro(vm: &Vm, o: &Obj, name: &Obj) -> PyResult<Obj> {
    let Some(m) = o.downcast::<ModuleData>() else { return Err(vm.type_error("not a module")) };
    if let Some(v) = builtin::dict_get(vm, &m.dict, name)? {
        return Ok(v);
    }
    if str_data(name).as_str() == "__dict__" {
        return Ok(m.dict.clone());
    }
    if let Some(v) = crate::classes::generic_getattr_opt(vm, o, name)? {
        return Ok(v);
    }
    if let Some(f) = builtin::dict_get_str(vm, &m.dict, "__getattr__")? {
        return crate::classes::call_object(vm, &f, std::slice::from_ref(name));
    }
    Err(crate::classes::no_attribute(vm, o, name))
}

/// `sys.displayhook(value)`: prints `repr(value)` unless it is None and
/// keeps it as `builtins._`.
pub fn displayhook(vm: &Vm, v: &Obj) -> PyResult<()> {
    if v.is(&vm.none) {
        return Ok(());
    }
    let underscore = vm.intern("_");
    builtin::dict_set(vm, &vm.builtins, underscore.clone(), vm.none.clone())?;
    let text = crate::ops::repr(vm, v)?;
    let mut out = std::io::stdout().lock();
    let _ = std::io::Write::write_all(&mut out, str_data(&text).as_str().as_bytes());
    let _ = std::io::Write::write_all(&mut out, b"\n");
    let _ = std::io::Write::flush(&mut out);
    builtin::dict_set(vm, &vm.builtins, underscore, v.clone())
}

/// A new built-in module named `name`, if there is one.
pub fn builtin_module(vm: &Vm, name: &str) -> Option<Obj> {
    match name {
        "sys" => Some(new_module(vm, "sys", sys_contents)),
        "math" => Some(new_module(vm, "math", math_contents)),
        "gc" => Some(new_module(vm, "gc", crate::gc::gc_contents)),
        "_weakref" => Some(new_module(vm, "_weakref", crate::weakref::module_contents)),
        _ => None,
    }
}

fn new_module(vm: &Vm, name: &str, fill: fn(&Vm, &mut Vec<(&'static str, Obj)>)) -> Obj {
    let dict = builtin::new_dict(vm);
    let mut items = vec![("__name__", new_str(vm, name))];
    fill(vm, &mut items);
    for (k, v) in items {
        let _ = builtin::dict_set(vm, &dict, vm.intern(k), v);
    }
    alloc(vm.types.module.clone(), ModuleData { name: name.into(), dict })
}

fn sys_contents(vm: &Vm, items: &mut Vec<(&'static str, Obj)>) {
    let argv = vm.argv.borrow().iter().map(|a| new_str(vm, a)).collect();
    items.push(("argv", builtin::new_list(vm, argv)));
    items.push(("maxsize", vm.int(i64::MAX)));
    items.push(("byteorder", new_str(vm, "little")));
    items.push(("platform", new_str(vm, "linux")));
    items.push(("version_info", new_tuple(vm, vec![vm.int(3), vm.int(11), vm.int(7), new_str(vm, "final"), vm.int(0)])));
    items.push(("modules", vm.modules.clone()));
    items.push(("path", vm.path.clone()));
    items.push(("exit", new_builtin_function(vm, "exit", sys_exit)));
    let hook = new_builtin_function(vm, "unraisablehook", crate::gc::default_unraisablehook);
    items.push(("unraisablehook", hook.clone()));
    items.push(("__unraisablehook__", hook));
    items.push((
        "getrecursionlimit",
        new_builtin_function(vm, "getrecursionlimit", |vm, a, kw| {
            no_kwargs(vm, "getrecursionlimit", kw)?;
            if !a.is_empty() {
                return Err(vm.type_error(format!("sys.getrecursionlimit() takes no arguments ({} given)", a.len())));
            }
            Ok(vm.int(vm.recursion_limit.get() as i64))
        }),
    ));
    items.push((
        "setrecursionlimit",
        new_builtin_function(vm, "setrecursionlimit", |vm, a, kw| {
            no_kwargs(vm, "setrecursionlimit", kw)?;
            let [n] = a else { return Err(vm.type_error("setrecursionlimit() takes exactly one argument")) };
            let n = expect_int(vm, n, "")?;
            if n < 1 {
                return Err(vm.new_error(&vm.types.value_error, "recursion limit must be greater or equal than 1"));
            }
            vm.recursion_limit.set(n.min(u32::MAX as i64) as u32);
            Ok(vm.none.clone())
        }),
    ));
}

/// `sys.exit([arg])`: raises `SystemExit(arg)`.
fn sys_exit(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    no_kwargs(vm, "exit", kw)?;
    if args.len() > 1 {
        return Err(vm.type_error(format!("exit expected at most 1 argument, got {}", args.len())));
    }
    Err(crate::PyErr { exc: builtin::new_exception(vm, &vm.types.system_exit, args.to_vec()) })
}

/// A float argument (ints convert), as math functions take them.
fn float_arg(vm: &Vm, o: &Obj) -> PyResult<f64> {
    match builtin::as_f64(vm, o)? {
        Some(f) => Ok(f),
        None => Err(vm.type_error(format!("must be real number, not {}", builtin::type_name(o)))),
    }
}

fn float(vm: &Vm, f: f64) -> Obj {
    alloc(vm.types.float.clone(), f)
}

/// Declares math functions of one float argument, with CPython's domain
/// error for results that are NaN from a non-NaN argument.
macro_rules! math_unary {
    ($items:ident, $vm:ident, $($name:literal => $f:expr),* $(,)?) => {
        $(
            $items.push(($name, new_builtin_function($vm, $name, |vm, a, kw| {
                no_kwargs(vm, $name, kw)?;
                let [x] = a else { return Err(vm.type_error(format!("math.{}() takes exactly one argument ({} given)", $name, a.len()))) };
                let x = float_arg(vm, x)?;
                let f: fn(f64) -> f64 = $f;
                let r = f(x);
                if r.is_nan() && !x.is_nan() {
                    return Err(vm.new_error(&vm.types.value_error, "math domain error"));
                }
                Ok(float(vm, r))
            })));
        )*
    };
}

fn math_contents(vm: &Vm, items: &mut Vec<(&'static str, Obj)>) {
    items.push(("pi", float(vm, std::f64::consts::PI)));
    items.push(("e", float(vm, std::f64::consts::E)));
    items.push(("tau", float(vm, std::f64::consts::TAU)));
    items.push(("inf", float(vm, f64::INFINITY)));
    items.push(("nan", float(vm, f64::NAN)));
    math_unary!(items, vm,
        "sqrt" => f64::sqrt,
        "exp" => f64::exp,
        "sin" => f64::sin,
        "cos" => f64::cos,
        "tan" => f64::tan,
        "atan" => f64::atan,
        "fabs" => f64::abs,
        "log2" => |x| if x > 0.0 { x.log2() } else { f64::NAN },
        "log10" => |x| if x > 0.0 { x.log10() } else { f64::NAN },
    );
    items.push((
        "log",
        new_builtin_function(vm, "log", |vm, a, kw| {
            no_kwargs(vm, "log", kw)?;
            let (x, base) = match a {
                [x] => (float_arg(vm, x)?, None),
                [x, b] => (float_arg(vm, x)?, Some(float_arg(vm, b)?)),
                _ => return Err(vm.type_error(format!("log expected 1 or 2 arguments, got {}", a.len()))),
            };
            if x <= 0.0 || base.is_some_and(|b| b <= 0.0) {
                return Err(vm.new_error(&vm.types.value_error, "math domain error"));
            }
            Ok(float(
                vm,
                match base {
                    Some(b) => x.ln() / b.ln(),
                    None => x.ln(),
                },
            ))
        }),
    ));
    items.push(("floor", new_builtin_function(vm, "floor", |vm, a, kw| int_rounding(vm, a, kw, "floor", f64::floor))));
    items.push(("ceil", new_builtin_function(vm, "ceil", |vm, a, kw| int_rounding(vm, a, kw, "ceil", f64::ceil))));
    items.push(("trunc", new_builtin_function(vm, "trunc", |vm, a, kw| int_rounding(vm, a, kw, "trunc", f64::trunc))));
    items.push(("isnan", new_builtin_function(vm, "isnan", |vm, a, _| Ok(vm.bool(float_arg(vm, one(vm, a)?)?.is_nan())))));
    items.push(("isinf", new_builtin_function(vm, "isinf", |vm, a, _| Ok(vm.bool(float_arg(vm, one(vm, a)?)?.is_infinite())))));
    items.push(("isfinite", new_builtin_function(vm, "isfinite", |vm, a, _| Ok(vm.bool(float_arg(vm, one(vm, a)?)?.is_finite())))));
    items.push((
        "hypot",
        new_builtin_function(vm, "hypot", |vm, a, _| {
            let mut acc = 0.0f64;
            for x in a {
                let v = float_arg(vm, x)?;
                acc = acc.hypot(v);
            }
            Ok(float(vm, acc))
        }),
    ));
    items.push((
        "gcd",
        new_builtin_function(vm, "gcd", |vm, a, _| {
            let mut g = num_bigint::BigInt::from(0);
            for x in a {
                match x.downcast::<IntData>() {
                    Some(i) => g = num_integer::Integer::gcd(&g, &i.to_big()),
                    None => return Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer", builtin::type_name(x)))),
                }
            }
            Ok(builtin::new_int_big(vm, g))
        }),
    ));
    items.push((
        "factorial",
        new_builtin_function(vm, "factorial", |vm, a, _| {
            let n = match one(vm, a)?.downcast::<IntData>() {
                Some(IntData::Small(n)) => *n,
                _ => return Err(vm.type_error("factorial() only accepts integral values")),
            };
            if n < 0 {
                return Err(vm.new_error(&vm.types.value_error, "factorial() not defined for negative values"));
            }
            let mut r = num_bigint::BigInt::from(1);
            for i in 2..=n {
                r *= i;
            }
            Ok(builtin::new_int_big(vm, r))
        }),
    ));
}

fn one<'a>(vm: &Vm, a: &'a [Obj]) -> PyResult<&'a Obj> {
    match a {
        [x] => Ok(x),
        _ => Err(vm.type_error(format!("function takes exactly one argument ({} given)", a.len()))),
    }
}

/// `math.floor`/`ceil`/`trunc`: ints stay as they are, floats round to an
/// int (errors for NaN and infinities as CPython gives them).
fn int_rounding(vm: &Vm, a: &[Obj], kw: Kwargs, name: &str, f: fn(f64) -> f64) -> PyResult<Obj> {
    no_kwargs(vm, name, kw)?;
    let x = one(vm, a)?;
    if x.downcast::<IntData>().is_some() {
        return Ok(x.clone());
    }
    let v = float_arg(vm, x)?;
    if v.is_nan() {
        return Err(vm.new_error(&vm.types.value_error, "cannot convert float NaN to integer"));
    }
    if v.is_infinite() {
        return Err(vm.new_error(&vm.types.overflow_error, "cannot convert float infinity to integer"));
    }
    Ok(builtin::new_int_big(vm, float_to_big(f(v))))
}

/// The exact integer value of an integral float.
fn float_to_big(f: f64) -> num_bigint::BigInt {
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7FF) as i64 - 1075;
    let mantissa = (bits & ((1 << 52) - 1)) | (1 << 52);
    let m = num_bigint::BigInt::from(mantissa);
    let v = if exp >= 0 { m << exp as usize } else { m >> (-exp) as usize };
    if f < 0.0 {
        -v
    } else {
        v
    }
}

/// The collector's view of a module: its dict.
pub(crate) fn module_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(m) = o.downcast::<ModuleData>() {
        visit(&m.dict);
    }
}
