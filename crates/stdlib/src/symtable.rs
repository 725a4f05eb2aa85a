//! `_symtable`: the compiler's symbol tables for Python code (the module
//! behind `symtable.py`). `symtable(source, filename, mode)` parses the
//! source, runs the compiler's symbol-table pass
//! (`taipan_compiler::symtable`) and returns the module's
//! `symtable entry` object; every entry carries its children, so the whole
//! tree is built at once. Symbol flags are CPython's: the raw `DEF_*` bits
//! with the resolved scope (`LOCAL`, `FREE`, ...) shifted by `SCOPE_OFF`.

use taipan_compiler::symtable::{self as st, flags, ScopeId, ScopeKind, SymbolTable, SymtableError, SymtableErrorKind};
use taipan_vm::classes::{call_object, getattr_opt, setattr};
use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{new_type, FunctionDef, GetSetDef};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{
    as_buffer, bytes_data, dict_set, name_of_type, new_dict, new_exception, new_list, new_str, object_slots, type_name, StrData,
};
use taipan_vm::types::{Kwargs, Slots};
use taipan_vm::{PyErr, PyResult, Vm};

/// `SCOPE_OFF`: where the resolved scope sits in a symbol's flags.
const SCOPE_OFF: u32 = 11;
const SCOPE_MASK: u32 = 15;
const TYPE_FUNCTION: i64 = 0;
const TYPE_CLASS: i64 = 1;
const TYPE_MODULE: i64 = 2;

/// One scope (`symtable entry`). The containers are made once, so
/// `entry.symbols is entry.symbols`, as in CPython.
pub struct Entry {
    name: Obj,
    kind: i64,
    lineno: u32,
    nested: bool,
    symbols: Obj,
    varnames: Obj,
    children: Obj,
}

fn entry_type(vm: &Vm) -> Obj {
    vm.native_type("symtable entry", |vm| {
        let slots = Slots {
            new: Some(|vm, cls, _, _| Err(vm.type_error(format!("cannot create '{}' instances", name_of_type(cls))))),
            repr: Some(|vm, o| {
                let e = entry(vm, o)?;
                let name = e.name.downcast::<StrData>().map(|s| s.as_str().into_owned()).unwrap_or_default();
                Ok(new_str(vm, &format!("<symtable entry {}({}), line {}>", name, o.as_ptr() as usize, e.lineno)))
            }),
            traverse: Some(|o, visit| {
                if let Some(e) = o.downcast::<Entry>() {
                    visit(&e.symbols);
                    visit(&e.varnames);
                    visit(&e.children);
                }
            }),
            ..object_slots()
        };
        new_type::<Entry>(vm, "symtable entry", &[], true, slots, &[], ENTRY_GETSETS)
    })
}

fn entry<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a Entry> {
    o.downcast::<Entry>()
        .ok_or_else(|| vm.type_error(format!("descriptor requires a 'symtable entry' object but received '{}'", type_name(o))))
}

static ENTRY_GETSETS: &[GetSetDef] = &[
    GetSetDef::readonly("id", |vm, o| Ok(vm.int(entry(vm, o).map(|_| o.as_ptr() as usize as i64)?)), ""),
    GetSetDef::readonly("name", |vm, o| Ok(entry(vm, o)?.name.clone()), ""),
    GetSetDef::readonly("symbols", |vm, o| Ok(entry(vm, o)?.symbols.clone()), ""),
    GetSetDef::readonly("varnames", |vm, o| Ok(entry(vm, o)?.varnames.clone()), ""),
    GetSetDef::readonly("children", |vm, o| Ok(entry(vm, o)?.children.clone()), ""),
    GetSetDef::readonly("nested", |vm, o| Ok(vm.int(entry(vm, o)?.nested as i64)), ""),
    GetSetDef::readonly("type", |vm, o| Ok(vm.int(entry(vm, o)?.kind)), ""),
    GetSetDef::readonly("lineno", |vm, o| Ok(vm.int(entry(vm, o)?.lineno as i64)), ""),
];

/// The entry of scope `id` and, recursively, of its children.
fn make_entry(vm: &Vm, table: &SymbolTable, id: ScopeId) -> PyResult<Obj> {
    let sc = table.scope(id);
    let symbols = new_dict(vm);
    for sym in &sc.symbols {
        let value = sym.flags | ((sym.scope as u32) << SCOPE_OFF);
        dict_set(vm, &symbols, new_str(vm, &sym.name), vm.int(value as i64))?;
    }
    let varnames = sc.varnames.iter().map(|v| new_str(vm, v)).collect();
    let mut children = Vec::with_capacity(sc.children.len());
    for &c in &sc.children {
        children.push(make_entry(vm, table, c)?);
    }
    let kind = match sc.kind {
        ScopeKind::Module => TYPE_MODULE,
        ScopeKind::Class => TYPE_CLASS,
        ScopeKind::Function | ScopeKind::Annotation => TYPE_FUNCTION,
    };
    let e = Entry {
        name: new_str(vm, &sc.name),
        kind,
        lineno: sc.lineno(),
        nested: sc.nested,
        symbols,
        varnames: new_list(vm, varnames),
        children: new_list(vm, children),
    };
    Ok(alloc(entry_type(vm), e))
}

/// `filename` as `PyUnicode_FSDecoder` reads it: str, bytes, os.PathLike,
/// or (deprecated) any other bytes-like object.
fn fs_decode(vm: &Vm, filename: &Obj) -> PyResult<String> {
    if let Some(s) = filename.downcast::<StrData>() {
        return Ok(s.as_str().into_owned());
    }
    if let Some(b) = bytes_data(filename) {
        return Ok(String::from_utf8_lossy(b).into_owned());
    }
    let fspath = getattr_opt(vm, &taipan_vm::types::type_of(filename), &vm.intern("__fspath__"))?;
    if let Some(f) = fspath {
        let p = call_object(vm, &f, std::slice::from_ref(filename))?;
        if let Some(s) = p.downcast::<StrData>() {
            return Ok(s.as_str().into_owned());
        }
        if let Some(b) = bytes_data(&p) {
            return Ok(String::from_utf8_lossy(b).into_owned());
        }
        let (tn, pn) = (type_name(filename), type_name(&p));
        return Err(vm.type_error(format!("expected {tn}.__fspath__() to return str or bytes, not {pn}")));
    }
    if let Some(b) = as_buffer(filename) {
        let b = b.into_owned();
        let warnings = taipan_vm::import::import_absolute(vm, "_warnings")?;
        let category = vm.exception_type("DeprecationWarning").unwrap_or_else(|| vm.types.exception.clone());
        let msg = new_str(vm, &format!("path should be string, bytes, or os.PathLike, not {}", type_name(filename)));
        crate::util::call_method(vm, &warnings, "warn", &[msg, category, vm.int(1)])?;
        return Ok(String::from_utf8_lossy(&b).into_owned());
    }
    Err(vm.type_error(format!("expected str, bytes or os.PathLike object, not {}", type_name(filename))))
}

/// A `SyntaxError` whose only argument is the message, with the location
/// set as attributes (CPython's `PyErr_RangedSyntaxLocationObject`): the
/// text is the line of `filename` if that file can be read.
fn symtable_error(vm: &Vm, e: &SymtableError, filename: &str) -> PyErr {
    if e.kind == SymtableErrorKind::RecursionError {
        return vm.new_error(&vm.types.recursion_error, &e.msg);
    }
    let exc = new_exception(vm, &vm.types.syntax_error, vec![new_str(vm, &e.msg)]);
    let text = std::fs::read(filename).ok().and_then(|data| {
        let data = String::from_utf8_lossy(&data).into_owned();
        data.split_inclusive('\n').nth(e.lineno.saturating_sub(1) as usize).map(|l| new_str(vm, l))
    });
    let attrs = [
        ("filename", new_str(vm, filename)),
        ("lineno", vm.int(e.lineno as i64)),
        ("offset", vm.int(e.offset)),
        ("end_lineno", vm.int(e.end_lineno as i64)),
        ("end_offset", vm.int(e.end_offset)),
        ("text", text.unwrap_or_else(|| vm.none.clone())),
    ];
    for (name, value) in attrs {
        if let Err(err) = setattr(vm, &exc, &vm.intern(name), value) {
            return err;
        }
    }
    PyErr { exc }
}

/// `_symtable.symtable(source, filename, mode, /)`.
fn symtable(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    if !kw.is_empty() {
        return Err(vm.type_error("_symtable.symtable() takes no keyword arguments"));
    }
    let [source, filename, mode] = args else {
        return Err(vm.type_error(format!("symtable expected 3 arguments, got {}", args.len())));
    };
    let bytes: Vec<u8> = if let Some(s) = source.downcast::<StrData>() {
        s.as_str().into_owned().into_bytes()
    } else if let Some(b) = as_buffer(source) {
        b.into_owned()
    } else {
        return Err(vm.type_error("symtable() arg 1 must be a string or bytes object"));
    };
    let filename = fs_decode(vm, filename)?;
    let Some(mode) = mode.downcast::<StrData>().map(|m| m.as_str().into_owned()) else {
        return Err(vm.type_error(format!("symtable() argument 3 must be str, not {}", type_name(mode))));
    };
    if !matches!(mode.as_str(), "exec" | "eval" | "single") {
        return Err(vm.new_error(&vm.types.value_error, "symtable() arg 3 must be 'exec' or 'eval' or 'single'"));
    }
    if bytes.contains(&0) {
        let msg = new_str(vm, "source code string cannot contain null bytes");
        return Err(PyErr { exc: new_exception(vm, &vm.types.syntax_error, vec![msg]) });
    }
    let source_is_text = source.downcast::<StrData>().is_some();
    let tree = taipan_vm::builtins_module::parse_mode(vm, &bytes, source_is_text, &filename, &mode)?;
    let table = st::build(&tree, &filename).map_err(|e| symtable_error(vm, &e, &filename))?;
    make_entry(vm, &table, table.root())
}

static FUNCS: &[FunctionDef] =
    &[FunctionDef::new("symtable", symtable, "Return symbol and scope dictionaries used internally by compiler.")];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    let consts: &[(&str, i64)] = &[
        ("USE", flags::USE as i64),
        ("DEF_GLOBAL", flags::DEF_GLOBAL as i64),
        ("DEF_NONLOCAL", flags::DEF_NONLOCAL as i64),
        ("DEF_LOCAL", flags::DEF_LOCAL as i64),
        ("DEF_PARAM", flags::DEF_PARAM as i64),
        ("DEF_FREE", flags::DEF_FREE as i64),
        ("DEF_FREE_CLASS", flags::DEF_FREE_CLASS as i64),
        ("DEF_IMPORT", flags::DEF_IMPORT as i64),
        ("DEF_BOUND", flags::DEF_BOUND as i64),
        ("DEF_ANNOT", flags::DEF_ANNOT as i64),
        ("TYPE_FUNCTION", TYPE_FUNCTION),
        ("TYPE_CLASS", TYPE_CLASS),
        ("TYPE_MODULE", TYPE_MODULE),
        ("LOCAL", st::SymScope::Local as i64),
        ("GLOBAL_EXPLICIT", st::SymScope::GlobalExplicit as i64),
        ("GLOBAL_IMPLICIT", st::SymScope::GlobalImplicit as i64),
        ("FREE", st::SymScope::Free as i64),
        ("CELL", st::SymScope::Cell as i64),
        ("SCOPE_OFF", SCOPE_OFF as i64),
        ("SCOPE_MASK", SCOPE_MASK as i64),
    ];
    for &(name, value) in consts {
        add_attr(vm, m, name, vm.int(value))?;
    }
    Ok(())
}
