//! `_string`: the format-string parsing `string.Formatter` uses
//! (`formatter_parser`, `formatter_field_name_split`), on top of the
//! vm's `str.format` parser (`types::str_format::next_markup`,
//! `split_field_name`): one implementation.

use std::cell::Cell;

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{exact, new_type, FunctionDef};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::types::builtin::{new_str, new_str_cp, new_tuple, object_slots, type_name, StrData};
use taipan_vm::types::str_format::{from_cps, next_markup, split_field_name, FieldKey, FieldName};
use taipan_vm::types::{Kwargs, Slots};
use taipan_vm::{PyResult, Vm};

/// `formatteriterator`: the format string's code points and the position
/// of the next chunk.
pub struct FormatterIter {
    s: Obj,
    cps: Vec<u32>,
    pos: Cell<usize>,
}

/// `fieldnameiterator`: the parts after the first, then the error that
/// stopped the split, if any.
pub struct FieldNameIter {
    s: Obj,
    cps: Vec<u32>,
    parts: FieldName,
    next: Cell<usize>,
}

fn arg_str(vm: &Vm, o: &Obj) -> PyResult<Vec<u32>> {
    match o.downcast::<StrData>() {
        Some(s) => Ok(s.value.code_points().collect()),
        None => Err(vm.type_error(format!("expected str, got {}", type_name(o)))),
    }
}

fn formatter_iter_type(vm: &Vm) -> Obj {
    vm.native_type("formatteriterator", |vm| {
        let slots = Slots {
            iter: Some(|_, o| Ok(o.clone())),
            next: Some(|vm, o| {
                let Some(it) = o.downcast::<FormatterIter>() else { return Ok(None) };
                let mut pos = it.pos.get();
                let r = next_markup(&it.cps, &mut pos);
                it.pos.set(pos);
                let chunk = match r {
                    Ok(Some(c)) => c,
                    Ok(None) => return Ok(None),
                    Err(e) => {
                        it.pos.set(it.cps.len());
                        return Err(vm.new_error(&vm.types.value_error, e));
                    }
                };
                let literal = from_cps(vm, &it.cps[chunk.literal.0..chunk.literal.1]);
                let Some(f) = chunk.field else {
                    return Ok(Some(new_tuple(vm, vec![literal, vm.none.clone(), vm.none.clone(), vm.none.clone()])));
                };
                let name = from_cps(vm, &it.cps[f.name.0..f.name.1]);
                let spec = from_cps(vm, &it.cps[f.spec.0..f.spec.1]);
                let conv = match f.conversion {
                    Some(c) => new_str_cp(vm, c),
                    None => vm.none.clone(),
                };
                Ok(Some(new_tuple(vm, vec![literal, name, spec, conv])))
            }),
            traverse: Some(|o, visit| {
                if let Some(it) = o.downcast::<FormatterIter>() {
                    visit(&it.s);
                }
            }),
            ..object_slots()
        };
        new_type::<FormatterIter>(vm, "formatteriterator", &[], true, slots, &[], &[])
    })
}

fn key_obj(vm: &Vm, cps: &[u32], k: FieldKey) -> Obj {
    match k {
        FieldKey::Index(i) => vm.int(i as i64),
        FieldKey::Name(a, b) => from_cps(vm, &cps[a..b]),
    }
}

fn fieldname_iter_type(vm: &Vm) -> Obj {
    vm.native_type("fieldnameiterator", |vm| {
        let slots = Slots {
            iter: Some(|_, o| Ok(o.clone())),
            next: Some(|vm, o| {
                let Some(it) = o.downcast::<FieldNameIter>() else { return Ok(None) };
                let i = it.next.get();
                it.next.set(i + 1);
                match it.parts.rest.get(i) {
                    Some(&(is_attr, key)) => Ok(Some(new_tuple(vm, vec![vm.bool(is_attr), key_obj(vm, &it.cps, key)]))),
                    None if i == it.parts.rest.len() => match it.parts.error {
                        Some(e) => Err(vm.new_error(&vm.types.value_error, e)),
                        None => Ok(None),
                    },
                    None => Ok(None),
                }
            }),
            traverse: Some(|o, visit| {
                if let Some(it) = o.downcast::<FieldNameIter>() {
                    visit(&it.s);
                }
            }),
            ..object_slots()
        };
        new_type::<FieldNameIter>(vm, "fieldnameiterator", &[], true, slots, &[], &[])
    })
}

fn formatter_parser(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [s] = exact::<1>(vm, "formatter_parser", args, kw)?;
    let cps = arg_str(vm, &s)?;
    Ok(alloc(formatter_iter_type(vm), FormatterIter { s, cps, pos: Cell::new(0) }))
}

fn formatter_field_name_split(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [s] = exact::<1>(vm, "formatter_field_name_split", args, kw)?;
    let cps = arg_str(vm, &s)?;
    let parts = split_field_name(&cps, 0, cps.len()).map_err(|e| vm.new_error(&vm.types.value_error, e))?;
    let first = key_obj(vm, &cps, parts.first);
    let it = alloc(fieldname_iter_type(vm), FieldNameIter { s, cps, parts, next: Cell::new(0) });
    Ok(new_tuple(vm, vec![first, it]))
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("formatter_parser", formatter_parser, "parse the argument as a format string"),
    FunctionDef::new("formatter_field_name_split", formatter_field_name_split, "split the argument as a field name"),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "__doc__", new_str(vm, "string helper module"))?;
    Ok(())
}
