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
    ];
    for c in classes {
        let key = builtin::raw_str(t, builtin::name_of_type(c));
        let _ = builtin::dict_set(vm, &vm.builtins, key, c.clone());
    }
    let table: [(&'static str, crate::function::BuiltinFn); 5] =
        [("print", builtin_print), ("repr", builtin_repr), ("len", builtin_len), ("range", builtin_range), ("format", builtin_format)];
    for (name, f) in table {
        let key = builtin::raw_str(&vm.types, name);
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
