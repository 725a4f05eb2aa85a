//! `_warnings`, first cut: `warn`, which `importlib._bootstrap` needs as a
//! built-in module. It hands the warning to the pure-Python `warnings`
//! module (which, finding no `filters` here, keeps its own state), so the
//! behaviour is `warnings.py`'s.

use crate::native::{self, FunctionDef, Params};
use crate::object::Obj;
use crate::types::Kwargs;
use crate::vm::Vm;
use crate::PyResult;

pub(crate) fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    crate::modules::add_functions(vm, m, FUNCS)
}

static FUNCS: &[FunctionDef] = &[FunctionDef::new("warn", warn, "Issue a warning, or maybe ignore it or raise an exception.")];

/// `warn(message, category=None, stacklevel=1, source=None)`.
fn warn(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static PARAMS: Params =
        Params { fname: "warn", names: &["message", "category", "stacklevel", "source"], posonly: 0, kwonly: 0, required: 1 };
    let [message, category, stacklevel, source] = native::bind::<4>(vm, &PARAMS, args, kw)?;
    let warnings = crate::import::import_absolute(vm, "warnings")?;
    let f = crate::classes::getattr(vm, &warnings, &vm.intern("warn"))?;
    let none = || vm.none.clone();
    let args = [message.unwrap_or_else(none), category.unwrap_or_else(none), stacklevel.unwrap_or_else(|| vm.int(1)), source.unwrap_or_else(none)];
    crate::classes::call_object(vm, &f, &args)
}
