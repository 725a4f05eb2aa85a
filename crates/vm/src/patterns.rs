//! `match` statements (PEP 634). The compiler describes each case's
//! pattern as a constant (nested tuples tagged by a one-letter string, see
//! `codegen::Compiler::pattern`) and evaluates the values it needs; this
//! module interprets the description against the subject with CPython's
//! rules (`MATCH_CLASS`, `MATCH_MAPPING`, `MATCH_SEQUENCE`, `MATCH_KEYS`)
//! and errors.

use crate::object::Obj;
use crate::ops;
use crate::types::builtin::{self, new_list, str_data, type_name, TupleData};
use crate::types::{is_subtype, type_data, type_of, Collection};
use crate::vm::Vm;
use crate::PyResult;

fn items(o: &Obj) -> Vec<Obj> {
    o.downcast::<TupleData>().map_or_else(Vec::new, |t| t.items.to_vec())
}

fn as_index(o: &Obj) -> Option<usize> {
    match o.downcast::<builtin::IntData>() {
        Some(builtin::IntData::Small(i)) if *i >= 0 => Some(*i as usize),
        _ => None,
    }
}

/// Matches `subject` against a case's description `(names, pattern)`,
/// with `values` the evaluated value patterns, keys and classes: the
/// captured values in `names` order, or `None` when it does not match.
pub fn match_case(vm: &Vm, subject: &Obj, desc: &Obj, values: &Obj) -> PyResult<Option<Obj>> {
    let d = items(desc);
    let (Some(names), Some(pattern)) = (d.first(), d.get(1)) else { return Ok(None) };
    let vals = items(values);
    let mut caps = Vec::new();
    if !match_pattern(vm, subject, pattern, &vals, &mut caps)? {
        return Ok(None);
    }
    let mut out = Vec::new();
    for n in items(names) {
        let v = caps.iter().rev().find(|(k, _): &&(Obj, Obj)| str_data(k).value == str_data(&n).value).map(|(_, v)| v.clone());
        out.push(v.unwrap_or_else(|| vm.none.clone()));
    }
    Ok(Some(builtin::new_tuple(vm, out)))
}

fn tag(p: &Obj) -> (String, Vec<Obj>) {
    let mut it = items(p);
    if it.is_empty() {
        return (String::new(), it);
    }
    let t = str_data(&it.remove(0)).as_str().into_owned();
    (t, it)
}

/// The built-in types in `names` (by their `builtins` names).
fn builtin_types(vm: &Vm, names: &[&str]) -> Vec<Obj> {
    names.iter().filter_map(|n| builtin::dict_get_str(vm, &vm.builtins, n).ok().flatten()).collect()
}

fn mro_has_any(ty: &Obj, classes: &[Obj]) -> bool {
    type_data(ty).mro.borrow().iter().any(|t| classes.iter().any(|c| c.is(t)))
}

fn is_sequence(o: &Obj) -> bool {
    type_data(&type_of(o)).collection.get() == Collection::Sequence
}

fn is_mapping(o: &Obj) -> bool {
    type_data(&type_of(o)).collection.get() == Collection::Mapping
}

fn len_of(vm: &Vm, o: &Obj) -> PyResult<usize> {
    let len = builtin::dict_get_str(vm, &vm.builtins, "len")?.ok_or_else(|| vm.type_error("len is missing"))?;
    let n = ops::call(vm, &len, std::slice::from_ref(o))?;
    Ok(as_index(&n).unwrap_or(0))
}

fn match_pattern(vm: &Vm, subject: &Obj, p: &Obj, vals: &[Obj], caps: &mut Vec<(Obj, Obj)>) -> PyResult<bool> {
    let (t, a) = tag(p);
    let val = |i: &Obj| -> PyResult<Obj> {
        as_index(i).and_then(|i| vals.get(i)).cloned().ok_or_else(|| vm.new_error(&vm.types.runtime_error, "bad match pattern"))
    };
    match (t.as_str(), a.as_slice()) {
        ("a", [sub, name]) => {
            if !sub.is(&vm.none) && !match_pattern(vm, subject, sub, vals, caps)? {
                return Ok(false);
            }
            if !name.is(&vm.none) {
                caps.push((name.clone(), subject.clone()));
            }
            Ok(true)
        }
        ("v", [i]) => ops::eq(vm, subject, &val(i)?),
        ("s", [c]) => Ok(subject.is(c)),
        ("|", [alts]) => {
            for alt in items(alts) {
                let mark = caps.len();
                if match_pattern(vm, subject, &alt, vals, caps)? {
                    return Ok(true);
                }
                caps.truncate(mark);
            }
            Ok(false)
        }
        ("q", [subs, star]) => {
            if !is_sequence(subject) {
                return Ok(false);
            }
            let subs = items(subs);
            let n = subs.len();
            let star = as_index(star);
            // The length is asked only when it decides something (`[*_]`
            // matches any sequence), as CPython's compiled checks do.
            let len = match star {
                None => {
                    let len = len_of(vm, subject)?;
                    if len != n {
                        return Ok(false);
                    }
                    len
                }
                Some(_) if n > 1 => {
                    let len = len_of(vm, subject)?;
                    if len + 1 < n {
                        return Ok(false);
                    }
                    len
                }
                Some(_) => 0,
            };
            let is_wild = |p: &Obj| {
                let (t, a) = tag(p);
                match (t.as_str(), a.as_slice()) {
                    ("a", [sub, name]) | ("*", [sub @ name]) => sub.is(&vm.none) && name.is(&vm.none),
                    _ => false,
                }
            };
            if subs.iter().all(is_wild) {
                return Ok(true);
            }
            // With a wildcard star (`[x, *_, y]`) items are fetched by
            // index, never by iterating the whole subject (CPython's
            // `pattern_helper_sequence_subscr`).
            if let Some(s) = star.filter(|&s| is_wild(&subs[s])) {
                for (i, sub) in subs.iter().enumerate() {
                    if i == s || is_wild(sub) {
                        continue;
                    }
                    let index = if i < s { i } else { len - (n - i) };
                    let item = crate::sequence::getitem(vm, subject, &vm.int(index as i64))?;
                    if !match_pattern(vm, &item, sub, vals, caps)? {
                        return Ok(false);
                    }
                }
                return Ok(true);
            }
            let all = crate::sequence::to_vec(vm, subject)?;
            // `[*x]` never asked the length: any length matches.
            let len = if n == 1 && star.is_some() { all.len() } else { len };
            if all.len() != len {
                return Ok(false);
            }
            for (i, sub) in subs.iter().enumerate() {
                let ok = match star {
                    Some(s) if i == s => {
                        let rest = new_list(vm, all[s..len - (n - s - 1)].to_vec());
                        match_pattern(vm, &rest, sub, vals, caps)?
                    }
                    Some(s) if i > s => match_pattern(vm, &all[len - (n - i)], sub, vals, caps)?,
                    _ => match_pattern(vm, &all[i], sub, vals, caps)?,
                };
                if !ok {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        ("*", [name]) => {
            if !name.is(&vm.none) {
                caps.push((name.clone(), subject.clone()));
            }
            Ok(true)
        }
        ("m", [keys, subs, rest]) => {
            if !is_mapping(subject) {
                return Ok(false);
            }
            let keys: Vec<Obj> = items(keys).iter().map(&val).collect::<PyResult<_>>()?;
            if keys.is_empty() && rest.is(&vm.none) {
                return Ok(true);
            }
            if !keys.is_empty() && len_of(vm, subject)? < keys.len() {
                return Ok(false);
            }
            let seen = builtin::new_dict(vm);
            let mut found = Vec::new();
            for k in &keys {
                if builtin::dict_get(vm, &seen, k)?.is_some() {
                    let r = ops::repr(vm, k)?;
                    return Err(
                        vm.new_error(&vm.types.value_error, format!("mapping pattern checks duplicate key ({})", str_data(&r).as_str()))
                    );
                }
                builtin::dict_set(vm, &seen, k.clone(), vm.none.clone())?;
                let v = if type_of(subject).is(&vm.types.dict) {
                    builtin::dict_get(vm, subject, k)?
                } else {
                    let dummy = builtin::new_tuple(vm, vec![]);
                    let v = crate::lang::call_method(vm, subject, "get", &[k.clone(), dummy.clone()])?;
                    (!v.is(&dummy)).then_some(v)
                };
                match v {
                    Some(v) => found.push(v),
                    None => return Ok(false),
                }
            }
            for (v, sub) in found.iter().zip(items(subs)) {
                if !match_pattern(vm, v, &sub, vals, caps)? {
                    return Ok(false);
                }
            }
            if !rest.is(&vm.none) {
                let d = builtin::new_dict(vm);
                for (k, v) in crate::lang::mapping_items(vm, subject)?.unwrap_or_default() {
                    builtin::dict_set(vm, &d, k, v)?;
                }
                for k in &keys {
                    builtin::dict_del(vm, &d, k)?;
                }
                caps.push((rest.clone(), d));
            }
            Ok(true)
        }
        ("c", [cls, pos, kw_names, kw_subs]) => {
            match_class(vm, subject, &val(cls)?, &items(pos), &items(kw_names), &items(kw_subs), vals, caps)
        }
        _ => Err(vm.new_error(&vm.types.runtime_error, "bad match pattern")),
    }
}

/// `MATCH_CLASS`: the isinstance check, then the attributes named by
/// `__match_args__` (or the subject itself for the self-matching built-in
/// types) and by keywords, then their sub-patterns.
#[allow(clippy::too_many_arguments)]
fn match_class(
    vm: &Vm,
    subject: &Obj,
    cls: &Obj,
    pos: &[Obj],
    kw_names: &[Obj],
    kw_subs: &[Obj],
    vals: &[Obj],
    caps: &mut Vec<(Obj, Obj)>,
) -> PyResult<bool> {
    if cls.downcast::<crate::types::TypeData>().is_none() {
        return Err(vm.type_error("called match pattern must be a type"));
    }
    if !is_subtype(&type_of(subject), cls) {
        return Ok(false);
    }
    let cls_name = type_data(cls).name.to_string();
    let mut attrs: Vec<(Obj, Obj)> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let get = |name: &Obj, seen: &mut Vec<String>| -> PyResult<Option<Obj>> {
        let n = str_data(name).as_str().into_owned();
        if seen.contains(&n) {
            let r = ops::repr(vm, name)?;
            return Err(vm.type_error(format!("{cls_name}() got multiple sub-patterns for attribute {}", str_data(&r).as_str())));
        }
        seen.push(n);
        match crate::classes::getattr(vm, subject, name) {
            Ok(v) => Ok(Some(v)),
            Err(e) if is_subtype(&type_of(&e.exc), &vm.types.attribute_error) => Ok(None),
            Err(e) => Err(e),
        }
    };
    if !pos.is_empty() {
        let match_self_types =
            builtin_types(vm, &["bool", "bytearray", "bytes", "dict", "float", "frozenset", "int", "list", "set", "str", "tuple"]);
        let match_self = mro_has_any(cls, &match_self_types);
        let match_args = match crate::classes::getattr(vm, cls, &vm.intern("__match_args__")) {
            Ok(m) => Some(m),
            Err(e) if is_subtype(&type_of(&e.exc), &vm.types.attribute_error) => None,
            Err(e) => return Err(e),
        };
        let names: Option<Vec<Obj>> = match &match_args {
            Some(m) => match m.downcast::<TupleData>() {
                Some(t) => Some(t.items.to_vec()),
                None => return Err(vm.type_error(format!("{cls_name}.__match_args__ must be a tuple (got {})", type_name(m)))),
            },
            None => None,
        };
        let allowed = match &names {
            Some(n) => n.len(),
            None => usize::from(match_self),
        };
        if pos.len() > allowed {
            let s = if allowed == 1 { "" } else { "s" };
            return Err(vm.type_error(format!("{cls_name}() accepts {allowed} positional sub-pattern{s} ({} given)", pos.len())));
        }
        for (i, sub) in pos.iter().enumerate() {
            let v = match &names {
                None => Some(subject.clone()),
                Some(n) => {
                    let name = &n[i];
                    if name.downcast::<builtin::StrData>().is_none() {
                        return Err(vm.type_error(format!("__match_args__ elements must be strings (got {})", type_name(name))));
                    }
                    get(name, &mut seen)?
                }
            };
            match v {
                Some(v) => attrs.push((v, sub.clone())),
                None => return Ok(false),
            }
        }
    }
    for (name, sub) in kw_names.iter().zip(kw_subs) {
        match get(name, &mut seen)? {
            Some(v) => attrs.push((v, sub.clone())),
            None => return Ok(false),
        }
    }
    for (v, sub) in &attrs {
        if !match_pattern(vm, v, sub, vals, caps)? {
            return Ok(false);
        }
    }
    Ok(true)
}
