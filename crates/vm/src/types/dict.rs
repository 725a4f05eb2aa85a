//! `dict`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use crate::native::{at_most, MethodDef};
use crate::object::{alloc, Obj};
use crate::types::builtin::*;
use crate::types::Slots;
use crate::vm::{PyErr, Types, Vm};
use crate::PyResult;

/// A `dict`: insertion-ordered entries plus a hash index. (A first cut:
/// the compact, versioned dict of DESIGN.md replaces the `HashMap` index.)
pub struct DictData {
    entries: RefCell<Vec<Option<(i64, Obj, Obj)>>>,
    index: RefCell<HashMap<i64, Vec<usize>, BuildHasherDefault<HashIsKey>>>,
}

/// The index is keyed by Python hashes, which are already mixed: hashing
/// them again (std's SipHash) only costs time.
#[derive(Default)]
pub struct HashIsKey(u64);

impl std::hash::Hasher for HashIsKey {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ b as u64;
        }
    }
    fn write_i64(&mut self, v: i64) {
        // Spread small ints (whose hash is themselves) over the table.
        self.0 = (v as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A dict made before the `Vm` exists (bootstrap only).
pub fn new_dict_raw(types: &Types) -> Obj {
    alloc(types.dict.clone(), DictData { entries: RefCell::new(Vec::new()), index: RefCell::new(HashMap::default()) })
}

pub fn new_dict(vm: &Vm) -> Obj {
    new_dict_raw(&vm.types)
}

pub fn dict_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let items: Vec<(Obj, Obj)> = dict_items(o);
            let parts =
                items.iter().map(|(k, v)| Ok(format!("{}: {}", repr_string(vm, k)?, repr_string(vm, v)?))).collect::<PyResult<Vec<_>>>()?;
            Ok(new_str(vm, &format!("{{{}}}", parts.join(", "))))
        }),
        bool: Some(|_, o| Ok(!dict_items(o).is_empty())),
        traverse: Some(dict_traverse),
        clear: Some(dict_clear),
        ..object_slots()
    }
}

fn dict_data(d: &Obj) -> &DictData {
    match d.downcast::<DictData>() {
        Some(x) => x,
        None => unreachable!("dict operation on a non-dict"),
    }
}

/// The live (key, value) pairs in insertion order.
pub fn dict_items(d: &Obj) -> Vec<(Obj, Obj)> {
    dict_data(d).entries.borrow().iter().flatten().map(|(_, k, v)| (k.clone(), v.clone())).collect()
}

fn find(vm: &Vm, d: &DictData, hash: i64, key: &Obj) -> PyResult<Option<usize>> {
    let candidates: Vec<usize> = d.index.borrow().get(&hash).cloned().unwrap_or_default();
    for i in candidates {
        let k = match &d.entries.borrow()[i] {
            Some((_, k, _)) => k.clone(),
            None => continue,
        };
        let same = match (k.downcast::<StrData>(), key.downcast::<StrData>()) {
            (Some(a), Some(b)) => k.is(key) || a.value == b.value,
            _ => k.is(key) || crate::ops::eq(vm, &k, key)?,
        };
        if same {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

pub fn dict_get(vm: &Vm, d: &Obj, key: &Obj) -> PyResult<Option<Obj>> {
    let data = dict_data(d);
    let hash = crate::ops::hash(vm, key)?;
    Ok(find(vm, data, hash, key)?.and_then(|i| data.entries.borrow()[i].as_ref().map(|(_, _, v)| v.clone())))
}

/// Looks up a str key given as Rust text (names in namespaces).
pub fn dict_get_str(vm: &Vm, d: &Obj, key: &str) -> PyResult<Option<Obj>> {
    dict_get(vm, d, &new_str(vm, key))
}

pub fn dict_set(vm: &Vm, d: &Obj, key: Obj, value: Obj) -> PyResult<()> {
    let data = dict_data(d);
    let hash = crate::ops::hash(vm, &key)?;
    match find(vm, data, hash, &key)? {
        Some(i) => {
            if let Some(e) = data.entries.borrow_mut()[i].as_mut() {
                e.2 = value;
            }
        }
        None => {
            let mut entries = data.entries.borrow_mut();
            data.index.borrow_mut().entry(hash).or_default().push(entries.len());
            entries.push(Some((hash, key, value)));
        }
    }
    Ok(())
}

pub fn dict_del(vm: &Vm, d: &Obj, key: &Obj) -> PyResult<bool> {
    let data = dict_data(d);
    let hash = crate::ops::hash(vm, key)?;
    match find(vm, data, hash, key)? {
        Some(i) => {
            let old = data.entries.borrow_mut()[i].take();
            if let Some(v) = data.index.borrow_mut().get_mut(&hash) {
                v.retain(|&j| j != i);
            }
            drop(old);
            Ok(true)
        }
        None => Ok(false),
    }
}

/// `KeyError(key)`.
pub fn key_error(vm: &Vm, key: &Obj) -> PyErr {
    PyErr { exc: new_exception(vm, &vm.types.key_error, vec![key.clone()]) }
}

pub static DICT_METHODS: &[MethodDef] = &[MethodDef::method(
    "get",
    |vm, s, a, kw| {
        let [k, default] = at_most::<2>(vm, "get", 1, a, kw)?;
        let Some(k) = k else { return Err(vm.type_error("get expected at least 1 argument, got 0")) };
        Ok(dict_get(vm, s, &k)?.unwrap_or_else(|| default.unwrap_or_else(|| vm.none.clone())))
    },
    "Return the value for key if key is in the dictionary, else default.",
)];

/// The collector's view of a dict: keys and values.
pub(crate) fn dict_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(d) = o.downcast::<DictData>() {
        if let Ok(entries) = d.entries.try_borrow() {
            for (_, k, v) in entries.iter().flatten() {
                visit(k);
                visit(v);
            }
        }
    }
}

/// `dict.clear()` for the collector (never panics on a busy dict).
pub(crate) fn dict_clear(o: &Obj) {
    if let Some(d) = o.downcast::<DictData>() {
        let (Ok(mut entries), Ok(mut index)) = (d.entries.try_borrow_mut(), d.index.try_borrow_mut()) else { return };
        let old = std::mem::take(&mut *entries);
        index.clear();
        drop(entries);
        drop(index);
        drop(old);
    }
}
