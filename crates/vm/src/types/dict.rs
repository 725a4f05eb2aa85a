//! `dict`, its views (`dict_keys`, `dict_values`, `dict_items`), their
//! iterators, and `mappingproxy`.
//!
//! The table is CPython's compact dict: `entries` holds (hash, key, value)
//! in insertion order, with `None` holes where entries were deleted;
//! `indices` is an open-addressing table (a power of two long) of positions
//! into `entries`, probed with CPython's perturbation recurrence
//! (`i = i*5 + perturb + 1`, `perturb >>= 5`). A deleted entry leaves a
//! `DUMMY` in the index; holes are squeezed out when the table grows.
//!
//! Comparing keys can run Python code (`__eq__`) that mutates the dict: the
//! lookup drops its borrow around the call and restarts when the dict's
//! version tag moved. The version tag (`version`) is bumped on every
//! mutation, from a counter shared by all dicts, so that a (dict, version)
//! pair identifies one state of one dict (global caches key on it).

use std::cell::{Cell, RefCell};

use crate::native::{at_most, exact, GetSetDef, MethodDef};
use crate::object::{alloc, Obj};
use crate::ops;
use crate::types::builtin::*;
use crate::types::container::{eq_bool, is_exact, ReprGuard};
use crate::types::{lookup as type_lookup, type_of, Kwargs, Slots};
use crate::vm::{PyErr, Types, Vm};
use crate::PyResult;
use taipan_compiler::bytecode::{BinaryOp, CompareOp};

const EMPTY: isize = -1;
const DUMMY: isize = -2;
const MIN_SIZE: usize = 8;
const PERTURB_SHIFT: u32 = 5;

pub struct Entry {
    pub hash: i64,
    pub key: Obj,
    pub value: Obj,
}

#[derive(Default)]
struct Table {
    /// Empty (no allocation yet) or a power of two long.
    indices: Vec<isize>,
    entries: Vec<Option<Entry>>,
    used: usize,
    /// Insertions left before the index must grow (CPython's
    /// `dk_usable`). Deletions never give it back, so every index keeps
    /// empty slots and probes end.
    usable_left: usize,
}

impl Table {
    /// CPython's `USABLE_FRACTION`: entries a table of `indices.len()`
    /// slots takes before it grows.
    fn usable(&self) -> usize {
        self.indices.len() * 2 / 3
    }

    fn free_slot(&self, hash: i64) -> usize {
        let mask = self.indices.len() - 1;
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        while self.indices[i] >= 0 {
            perturb >>= PERTURB_SHIFT;
            i = i.wrapping_mul(5).wrapping_add(perturb as usize).wrapping_add(1) & mask;
        }
        i
    }

    /// The index slot that points at entry `ix`.
    fn slot_of(&self, hash: i64, ix: usize) -> Option<usize> {
        if self.indices.is_empty() {
            return None;
        }
        let mask = self.indices.len() - 1;
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        for _ in 0..=self.indices.len() * 2 + 64 {
            match self.indices[i] {
                EMPTY => return None,
                x if x == ix as isize => return Some(i),
                _ => {}
            }
            perturb >>= PERTURB_SHIFT;
            i = i.wrapping_mul(5).wrapping_add(perturb as usize).wrapping_add(1) & mask;
        }
        self.indices.iter().position(|&x| x == ix as isize)
    }

    /// Squeezes out the holes and rebuilds the index with at least
    /// `minsize` slots.
    fn rebuild(&mut self, minsize: usize) {
        let mut size = MIN_SIZE;
        while size < minsize {
            size <<= 1;
        }
        self.entries.retain(Option::is_some);
        self.indices = vec![EMPTY; size];
        self.usable_left = self.usable().saturating_sub(self.entries.len());
        for ix in 0..self.entries.len() {
            if let Some(e) = &self.entries[ix] {
                let slot = self.free_slot(e.hash);
                self.indices[slot] = ix as isize;
            }
        }
    }

    /// Appends a key known to be absent.
    fn insert_new(&mut self, hash: i64, key: Obj, value: Obj) {
        if self.usable_left == 0 {
            // CPython's GROWTH_RATE: used * 3.
            self.rebuild(self.used * 3);
        }
        self.usable_left -= 1;
        let slot = self.free_slot(hash);
        self.indices[slot] = self.entries.len() as isize;
        self.entries.push(Some(Entry { hash, key, value }));
        self.used += 1;
    }

    fn remove_at(&mut self, ix: usize) -> Option<Entry> {
        let hash = self.entries.get(ix)?.as_ref()?.hash;
        if let Some(slot) = self.slot_of(hash, ix) {
            self.indices[slot] = DUMMY;
        }
        let e = self.entries[ix].take();
        self.used -= 1;
        e
    }
}

/// A `dict` (or the dict part of an instance of a subclass).
pub struct DictData {
    table: RefCell<Table>,
    version: Cell<u64>,
    /// Changes when the set of keys or their entry positions change (not
    /// when a value is replaced): entry indexes cached against it stay
    /// valid (CPython's `dk_version`, used by `LOAD_GLOBAL`'s cache).
    keys_version: Cell<u64>,
}

/// A fresh version tag (from the interpreter's counter, shared by its
/// threads).
fn next_version() -> u64 {
    crate::object::gc::next_dict_version()
}

impl DictData {
    /// Bytes of the table's heap buffers (index and entries), for
    /// `tracemalloc`.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.table.try_borrow().map_or(0, |t| {
            t.indices.capacity() * std::mem::size_of::<isize>() + t.entries.capacity() * std::mem::size_of::<Option<Entry>>()
        })
    }

    pub fn new() -> DictData {
        let v = next_version();
        DictData { table: RefCell::new(Table::default()), version: Cell::new(v), keys_version: Cell::new(v) }
    }

    pub fn len(&self) -> usize {
        self.table.borrow().used
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The version tag: changes whenever the dict does.
    pub fn version(&self) -> u64 {
        self.version.get()
    }

    fn bump(&self) {
        self.version.set(next_version());
    }

    /// A mutation that adds, removes or moves keys.
    fn bump_keys(&self) {
        let v = next_version();
        self.version.set(v);
        self.keys_version.set(v);
    }

    /// The keys version tag (unique across dicts, like `version`).
    #[inline]
    pub fn keys_version(&self) -> u64 {
        self.keys_version.get()
    }

    /// The value of entry `ix` (an index from [`dict_lookup_index`]).
    #[inline]
    pub fn value_at(&self, ix: usize) -> Option<Obj> {
        self.table.borrow().entries.get(ix).and_then(|e| e.as_ref()).map(|e| e.value.clone())
    }

    /// The key of entry `ix` (an index from [`dict_lookup_index`]): the
    /// stored object itself, which later lookups find by identity.
    #[inline]
    pub fn key_at(&self, ix: usize) -> Option<Obj> {
        self.table.borrow().entries.get(ix).and_then(|e| e.as_ref()).map(|e| e.key.clone())
    }

    /// Replaces the value of entry `ix` if that entry's key is `key`
    /// itself: the old value (for the caller to drop), or `Err(value)`.
    #[inline]
    pub fn replace_at_if_key(&self, ix: usize, key: &Obj, value: Obj) -> Result<Obj, Obj> {
        let (old, same) = match self.table.borrow_mut().entries.get_mut(ix) {
            Some(Some(e)) if e.key.is(key) => {
                let same = e.value.is(&value);
                (std::mem::replace(&mut e.value, value), same)
            }
            _ => return Err(value),
        };
        // Storing the value already there changes nothing (PEP 509).
        if !same {
            self.bump();
        }
        Ok(old)
    }

    /// The value of entry `ix` if that entry's key is `key` itself (a
    /// cheap check of a cached position).
    #[inline]
    pub fn value_at_if_key(&self, ix: usize, key: &Obj) -> Option<Obj> {
        match self.table.borrow().entries.get(ix) {
            Some(Some(e)) if e.key.is(key) => Some(e.value.clone()),
            _ => None,
        }
    }

    /// The first live entry at position `pos` or later: (position, key,
    /// value).
    fn entry_from(&self, pos: usize) -> Option<(usize, Obj, Obj)> {
        let t = self.table.borrow();
        t.entries.iter().enumerate().skip(pos).find_map(|(i, e)| e.as_ref().map(|e| (i, e.key.clone(), e.value.clone())))
    }

    /// The last live entry at position `pos` or before.
    fn entry_back_from(&self, pos: usize) -> Option<(usize, Obj, Obj)> {
        let t = self.table.borrow();
        let end = (pos + 1).min(t.entries.len());
        t.entries[..end].iter().enumerate().rev().find_map(|(i, e)| e.as_ref().map(|e| (i, e.key.clone(), e.value.clone())))
    }

    fn entries_len(&self) -> usize {
        self.table.borrow().entries.len()
    }

    /// (hash, key, value) of every live entry, in order.
    fn snapshot(&self) -> Vec<(i64, Obj, Obj)> {
        self.table.borrow().entries.iter().flatten().map(|e| (e.hash, e.key.clone(), e.value.clone())).collect()
    }

    /// Empties the dict, handing back the old entries (for the caller to
    /// drop outside any borrow).
    fn take_all(&self) -> Table {
        let old = std::mem::take(&mut *self.table.borrow_mut());
        // Clearing a dict that never held an entry since it was made or
        // last cleared changes nothing (CPython's `Py_EMPTY_KEYS` case).
        if !old.entries.is_empty() {
            self.bump_keys();
        }
        old
    }
}

impl Default for DictData {
    fn default() -> Self {
        DictData::new()
    }
}

/// A dict made before the `Vm` exists (bootstrap only).
pub fn new_dict_raw(types: &Types) -> Obj {
    alloc(types.dict.clone(), DictData::new())
}

pub fn new_dict(vm: &Vm) -> Obj {
    new_dict_raw(&vm.types)
}

pub fn dict_data(d: &Obj) -> &DictData {
    match d.downcast::<DictData>() {
        Some(x) => x,
        None => unreachable!("dict operation on a non-dict"),
    }
}

fn is_exact_str(vm: &Vm, o: &Obj) -> bool {
    is_exact(o, &vm.types.str_)
}

/// Finds `key` (whose hash is `hash`): the position of its entry.
fn lookup(vm: &Vm, d: &DictData, key: &Obj, hash: i64) -> PyResult<Option<usize>> {
    let key_is_str = is_exact_str(vm, key);
    'restart: loop {
        let version = d.version.get();
        let mut t = d.table.borrow();
        if t.indices.is_empty() {
            return Ok(None);
        }
        let mask = t.indices.len() - 1;
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        loop {
            let ix = t.indices[i];
            if ix == EMPTY {
                return Ok(None);
            }
            if ix >= 0 {
                if let Some(e) = &t.entries[ix as usize] {
                    if e.key.is(key) {
                        return Ok(Some(ix as usize));
                    }
                    if e.hash == hash {
                        if key_is_str && is_exact_str(vm, &e.key) {
                            if str_data(&e.key).value == str_data(key).value {
                                return Ok(Some(ix as usize));
                            }
                        } else {
                            let k = e.key.clone();
                            drop(t);
                            let same = ops::eq(vm, &k, key)?;
                            drop(k);
                            if d.version.get() != version {
                                continue 'restart;
                            }
                            if same {
                                return Ok(Some(ix as usize));
                            }
                            t = d.table.borrow();
                        }
                    }
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = i.wrapping_mul(5).wrapping_add(perturb as usize).wrapping_add(1) & mask;
        }
    }
}

/// The hash of a key (`TypeError: unhashable type` for lists, ...).
#[inline]
fn key_hash(vm: &Vm, key: &Obj) -> PyResult<i64> {
    // Exact str keys (names) skip the slot call and its recursion guard.
    if is_exact_str(vm, key) {
        return Ok(crate::types::str::str_hash(str_data(key)));
    }
    ops::hash(vm, key)
}

pub fn dict_get_hash(vm: &Vm, d: &Obj, key: &Obj, hash: i64) -> PyResult<Option<Obj>> {
    let data = dict_data(d);
    Ok(lookup(vm, data, key, hash)?.and_then(|ix| data.table.borrow().entries[ix].as_ref().map(|e| e.value.clone())))
}

/// The entry index of `key` in dict `d` and its value (for caches that
/// remember positions; see [`DictData::keys_version`]).
pub fn dict_lookup_index(vm: &Vm, d: &Obj, key: &Obj) -> PyResult<Option<(usize, Obj)>> {
    let hash = key_hash(vm, key)?;
    let data = dict_data(d);
    Ok(lookup(vm, data, key, hash)?.and_then(|ix| data.value_at(ix).map(|v| (ix, v))))
}

/// [`dict_lookup_index`] with the key's hash already known (callers that
/// must hash a key only once: `functools.lru_cache`).
pub fn dict_lookup_index_hash(vm: &Vm, d: &Obj, key: &Obj, hash: i64) -> PyResult<Option<(usize, Obj)>> {
    let data = dict_data(d);
    Ok(lookup(vm, data, key, hash)?.and_then(|ix| data.value_at(ix).map(|v| (ix, v))))
}

/// [`dict_pop`] with the key's hash already known.
pub fn dict_pop_hash(vm: &Vm, d: &Obj, key: &Obj, hash: i64) -> PyResult<Option<Obj>> {
    let data = dict_data(d);
    let Some(ix) = lookup(vm, data, key, hash)? else { return Ok(None) };
    let old = data.table.borrow_mut().remove_at(ix);
    data.bump_keys();
    Ok(old.map(|e| e.value))
}

pub fn dict_get(vm: &Vm, d: &Obj, key: &Obj) -> PyResult<Option<Obj>> {
    let hash = key_hash(vm, key)?;
    dict_get_hash(vm, d, key, hash)
}

/// Looks up a str key given as Rust text (names in namespaces).
pub fn dict_get_str(vm: &Vm, d: &Obj, key: &str) -> PyResult<Option<Obj>> {
    dict_get(vm, d, &new_str(vm, key))
}

pub fn dict_contains(vm: &Vm, d: &Obj, key: &Obj) -> PyResult<bool> {
    let hash = key_hash(vm, key)?;
    Ok(lookup(vm, dict_data(d), key, hash)?.is_some())
}

pub fn dict_set_hash(vm: &Vm, d: &Obj, key: Obj, hash: i64, value: Obj) -> PyResult<()> {
    let data = dict_data(d);
    match lookup(vm, data, &key, hash)? {
        Some(ix) => {
            let (old, same) = match data.table.borrow_mut().entries[ix].as_mut() {
                Some(e) => {
                    let same = e.value.is(&value);
                    (std::mem::replace(&mut e.value, value), same)
                }
                None => (value, false),
            };
            // Storing the value already there changes nothing (PEP 509).
            if !same {
                data.bump();
            }
            drop(old);
        }
        None => {
            data.table.borrow_mut().insert_new(hash, key, value);
            data.bump_keys();
        }
    }
    Ok(())
}

pub fn dict_set(vm: &Vm, d: &Obj, key: Obj, value: Obj) -> PyResult<()> {
    let hash = key_hash(vm, &key)?;
    dict_set_hash(vm, d, key, hash, value)
}

/// Removes `key`, handing back its value (`None` if absent).
pub fn dict_pop(vm: &Vm, d: &Obj, key: &Obj) -> PyResult<Option<Obj>> {
    let hash = key_hash(vm, key)?;
    let data = dict_data(d);
    let Some(ix) = lookup(vm, data, key, hash)? else { return Ok(None) };
    let old = data.table.borrow_mut().remove_at(ix);
    data.bump_keys();
    Ok(old.map(|e| e.value))
}

pub fn dict_del(vm: &Vm, d: &Obj, key: &Obj) -> PyResult<bool> {
    Ok(dict_pop(vm, d, key)?.is_some())
}

/// The live (key, value) pairs in insertion order.
pub fn dict_items(d: &Obj) -> Vec<(Obj, Obj)> {
    dict_data(d).snapshot().into_iter().map(|(_, k, v)| (k, v)).collect()
}

/// (hash, key) of every entry, in order (the hashes the dict stored).
pub fn dict_keys_with_hash(d: &Obj) -> Vec<(i64, Obj)> {
    dict_data(d).snapshot().into_iter().map(|(h, k, _)| (h, k)).collect()
}

/// The first (oldest) entry, if any: `next(iter(d.items()))`.
pub fn dict_first(d: &Obj) -> Option<(Obj, Obj)> {
    dict_data(d).entry_from(0).map(|(_, k, v)| (k, v))
}

/// The last (newest) entry, if any.
pub fn dict_last(d: &Obj) -> Option<(Obj, Obj)> {
    let data = dict_data(d);
    let n = data.entries_len();
    if n == 0 {
        return None;
    }
    data.entry_back_from(n - 1).map(|(_, k, v)| (k, v))
}

pub fn dict_len(d: &Obj) -> usize {
    dict_data(d).len()
}

pub fn dict_clear(d: &Obj) {
    drop(dict_data(d).take_all());
}

/// `KeyError(key)`.
pub fn key_error(vm: &Vm, key: &Obj) -> PyErr {
    PyErr { exc: new_exception(vm, &vm.types.key_error, vec![key.clone()]) }
}

/// A plain dict with the same items (`PyDict_Copy`).
pub fn dict_copy(vm: &Vm, d: &Obj) -> Obj {
    let out = new_dict(vm);
    let items = dict_data(d).snapshot();
    {
        let mut t = dict_data(&out).table.borrow_mut();
        // Sized as CPython's copy (an index at most 3/2 of the entries).
        t.rebuild(items.len() * 3 / 2 + 1);
        for (h, k, v) in items {
            t.insert_new(h, k, v);
        }
    }
    out
}

/// `d[key]` with `__missing__` for subclasses (`dict_subscript`).
pub fn dict_subscript(vm: &Vm, d: &Obj, key: &Obj) -> PyResult<Obj> {
    if let Some(v) = dict_get(vm, d, key)? {
        return Ok(v);
    }
    if !is_exact(d, &vm.types.dict) {
        if let Some(missing) = type_lookup(&type_of(d), "__missing__") {
            return crate::classes::call_special(vm, &missing, d, std::slice::from_ref(key), &[]);
        }
    }
    Err(key_error(vm, key))
}

/// Merges `other` into `d` (`dict.update(other)` / `dict_update_arg`):
/// a dict, a mapping (anything with `keys()`), or an iterable of pairs.
pub fn dict_update_arg(vm: &Vm, d: &Obj, other: &Obj) -> PyResult<()> {
    if other.downcast::<DictData>().is_some() && (is_exact(other, &vm.types.dict) || !overrides_iter(vm, other)) {
        let used = dict_data(other).len();
        for (h, k, v) in dict_data(other).snapshot() {
            dict_set_hash(vm, d, k, h, v)?;
            // A key's `__eq__` may have changed the source meanwhile.
            if dict_data(other).len() != used {
                return Err(vm.new_error(&vm.types.runtime_error, "dict mutated during update"));
            }
        }
        return Ok(());
    }
    if let Some(keys) = crate::classes::getattr_opt(vm, other, &vm.intern("keys"))? {
        let keys = crate::classes::call_object(vm, &keys, &[])?;
        return crate::types::container::for_each(vm, &keys, |k| {
            let v = crate::sequence::getitem(vm, other, &k)?;
            dict_set(vm, d, k, v)
        });
    }
    dict_merge_pairs(vm, d, other)
}

fn overrides_iter(vm: &Vm, o: &Obj) -> bool {
    let ty = type_of(o);
    ["__iter__", "keys"].iter().any(|n| type_lookup(&ty, n).is_some_and(|f| f.downcast::<crate::native::MethodDescrData>().is_none()))
        && !ty.is(&vm.types.dict)
}

/// `PyDict_MergeFromSeq2`: an iterable of 2-item iterables.
fn dict_merge_pairs(vm: &Vm, d: &Obj, seq: &Obj) -> PyResult<()> {
    let it = ops::iter(vm, seq)?;
    let mut i = 0usize;
    while let Some(item) = ops::next(vm, &it)? {
        let pair = match ops::iter(vm, &item) {
            Ok(_) => crate::types::container::collect(vm, &item)?,
            Err(e) if crate::types::is_subtype(&type_of(&e.exc), &vm.types.type_error) => {
                return Err(vm.type_error(format!("cannot convert dictionary update sequence element #{i} to a sequence")));
            }
            Err(e) => return Err(e),
        };
        if pair.len() != 2 {
            return Err(vm.new_error(
                &vm.types.value_error,
                format!("dictionary update sequence element #{i} has length {}; 2 is required", pair.len()),
            ));
        }
        let mut pair = pair.into_iter();
        if let (Some(k), Some(v)) = (pair.next(), pair.next()) {
            dict_set(vm, d, k, v)?;
        }
        i += 1;
    }
    Ok(())
}

/// `dict.update(*args, **kw)` and `dict.__init__`.
fn update_common(vm: &Vm, d: &Obj, fname: &str, args: &[Obj], kw: Kwargs) -> PyResult<()> {
    if args.len() > 1 {
        return Err(vm.type_error(format!("{fname} expected at most 1 argument, got {}", args.len())));
    }
    if let Some(a) = args.first() {
        dict_update_arg(vm, d, a)?;
    }
    for (k, v) in kw {
        dict_set(vm, d, k.clone(), v.clone())?;
    }
    Ok(())
}

fn dict_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let Some(_guard) = ReprGuard::enter(vm, o) else { return Ok(new_str(vm, "{...}")) };
    let data = dict_data(o);
    let mut out = String::from("{");
    let mut pos = 0;
    let mut first = true;
    while let Some((i, k, v)) = data.entry_from(pos) {
        if !first {
            out.push_str(", ");
        }
        first = false;
        out.push_str(&repr_string(vm, &k)?);
        out.push_str(": ");
        out.push_str(&repr_string(vm, &v)?);
        pos = i + 1;
    }
    out.push('}');
    Ok(new_str(vm, &out))
}

/// `a == b` for two dicts (`dict_equal`).
fn dict_equal(vm: &Vm, a: &Obj, b: &Obj) -> PyResult<bool> {
    if dict_len(a) != dict_len(b) {
        return Ok(false);
    }
    let mut pos = 0;
    while let Some((i, k, av)) = dict_data(a).entry_from(pos) {
        pos = i + 1;
        let hash = key_hash(vm, &k)?;
        let Some(bv) = dict_get_hash(vm, b, &k, hash)? else { return Ok(false) };
        if !eq_bool(vm, &av, &bv)? {
            return Ok(false);
        }
    }
    Ok(true)
}

pub fn dict_slots() -> Slots {
    Slots {
        // `type.__call__` runs `__init__` next.
        new: Some(|_vm, cls, _args, _kw| Ok(alloc(cls.clone(), DictData::new()))),
        traverse: Some(dict_traverse),
        clear: Some(dict_gc_clear),
        init: Some(|vm, d, args, kw| {
            update_common(vm, d, "dict", args, kw)?;
            Ok(vm.none.clone())
        }),
        repr: Some(dict_repr),
        hash: None,
        bool: Some(|_, o| Ok(!dict_data(o).is_empty())),
        iter: Some(|vm, o| Ok(new_dict_iter(vm, o, ViewKind::Keys, false))),
        compare: Some(|vm, op, a, b| {
            if !matches!(op, CompareOp::Eq | CompareOp::Ne) || b.downcast::<DictData>().is_none() || a.downcast::<DictData>().is_none() {
                return Ok(vm.not_implemented.clone());
            }
            let eq = dict_equal(vm, a, b)?;
            Ok(vm.bool(eq == (op == CompareOp::Eq)))
        }),
        binary: Some(|vm, op, a, b| {
            if op != BinaryOp::Or || a.downcast::<DictData>().is_none() || b.downcast::<DictData>().is_none() {
                return Ok(vm.not_implemented.clone());
            }
            let out = dict_copy(vm, a);
            dict_update_arg(vm, &out, b)?;
            Ok(out)
        }),
        ..object_slots()
    }
}

fn this_dict<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a DictData> {
    match o.downcast::<DictData>() {
        Some(d) => Ok(d),
        None => Err(vm.type_error(format!("descriptor requires a 'dict' object but received a '{}'", type_name(o)))),
    }
}

pub static DICT_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "__init__",
        |vm, s, a, kw| {
            this_dict(vm, s)?;
            update_common(vm, s, "dict", a, kw)?;
            Ok(vm.none.clone())
        },
        "Initialize self.  See help(type(self)) for accurate signature.",
    ),
    MethodDef::method(
        "__contains__",
        |vm, s, a, kw| {
            this_dict(vm, s)?;
            let [k] = exact(vm, "dict.__contains__", a, kw)?;
            Ok(vm.bool(dict_contains(vm, s, &k)?))
        },
        "True if the dictionary has the specified key, else False.",
    ),
    MethodDef::method(
        "__getitem__",
        |vm, s, a, kw| {
            this_dict(vm, s)?;
            let [k] = exact(vm, "dict.__getitem__", a, kw)?;
            dict_subscript(vm, s, &k)
        },
        "x.__getitem__(y) <==> x[y]",
    ),
    MethodDef::method(
        "__setitem__",
        |vm, s, a, kw| {
            this_dict(vm, s)?;
            let [k, v] = exact(vm, "__setitem__", a, kw)?;
            dict_set(vm, s, k, v)?;
            Ok(vm.none.clone())
        },
        "Set self[key] to value.",
    ),
    MethodDef::method(
        "__delitem__",
        |vm, s, a, kw| {
            this_dict(vm, s)?;
            let [k] = exact(vm, "__delitem__", a, kw)?;
            if !dict_del(vm, s, &k)? {
                return Err(key_error(vm, &k));
            }
            Ok(vm.none.clone())
        },
        "Delete self[key].",
    ),
    MethodDef::method(
        "__len__",
        |vm, s, a, kw| {
            let d = this_dict(vm, s)?;
            exact::<0>(vm, "dict.__len__", a, kw)?;
            Ok(vm.int(d.len() as i64))
        },
        "Return len(self).",
    ),
    MethodDef::method(
        "__iter__",
        |vm, s, a, kw| {
            this_dict(vm, s)?;
            exact::<0>(vm, "dict.__iter__", a, kw)?;
            Ok(new_dict_iter(vm, s, ViewKind::Keys, false))
        },
        "Implement iter(self).",
    ),
    MethodDef::method(
        "__reversed__",
        |vm, s, a, kw| {
            this_dict(vm, s)?;
            exact::<0>(vm, "dict.__reversed__", a, kw)?;
            Ok(new_dict_iter(vm, s, ViewKind::Keys, true))
        },
        "Return a reverse iterator over the dict keys.",
    ),
    MethodDef::method(
        "__or__",
        |vm, s, a, kw| {
            let [o] = exact(vm, "dict.__or__", a, kw)?;
            (dict_slots().binary.unwrap_or(|vm, _, _, _| Ok(vm.not_implemented.clone())))(vm, BinaryOp::Or, s, &o)
        },
        "Return self|value.",
    ),
    MethodDef::method(
        "__ror__",
        |vm, s, a, kw| {
            let [o] = exact(vm, "dict.__ror__", a, kw)?;
            (dict_slots().binary.unwrap_or(|vm, _, _, _| Ok(vm.not_implemented.clone())))(vm, BinaryOp::Or, &o, s)
        },
        "Return value|self.",
    ),
    MethodDef::method(
        "__ior__",
        |vm, s, a, kw| {
            this_dict(vm, s)?;
            let [o] = exact(vm, "dict.__ior__", a, kw)?;
            dict_update_arg(vm, s, &o)?;
            Ok(s.clone())
        },
        "Return self|=value.",
    ),
    MethodDef::method(
        "get",
        |vm, s, a, kw| {
            this_dict(vm, s)?;
            let [k, default] = at_most::<2>(vm, "get", 1, a, kw)?;
            let Some(k) = k else { return Err(vm.type_error("get expected at least 1 argument, got 0")) };
            Ok(dict_get(vm, s, &k)?.unwrap_or_else(|| default.unwrap_or_else(|| vm.none.clone())))
        },
        "Return the value for key if key is in the dictionary, else default.",
    ),
    MethodDef::method(
        "setdefault",
        |vm, s, a, kw| {
            this_dict(vm, s)?;
            let [k, default] = at_most::<2>(vm, "setdefault", 1, a, kw)?;
            let Some(k) = k else { return Err(vm.type_error("setdefault expected at least 1 argument, got 0")) };
            let hash = key_hash(vm, &k)?;
            // One lookup (one `__eq__` per colliding key), then a
            // straight insertion (CPython's atomic `setdefault`).
            let data = dict_data(s);
            if let Some(v) = lookup(vm, data, &k, hash)?.and_then(|ix| data.value_at(ix)) {
                return Ok(v);
            }
            let v = default.unwrap_or_else(|| vm.none.clone());
            data.table.borrow_mut().insert_new(hash, k, v.clone());
            data.bump_keys();
            Ok(v)
        },
        "Insert key with a value of default if key is not in the dictionary.\n\nReturn the value for key if key is in the dictionary, else default.",
    ),
    MethodDef::method(
        "pop",
        |vm, s, a, kw| {
            this_dict(vm, s)?;
            let [k, default] = at_most::<2>(vm, "pop", 1, a, kw)?;
            let Some(k) = k else { return Err(vm.type_error("pop expected at least 1 argument, got 0")) };
            match (dict_pop(vm, s, &k)?, default) {
                (Some(v), _) => Ok(v),
                (None, Some(d)) => Ok(d),
                (None, None) => Err(key_error(vm, &k)),
            }
        },
        "D.pop(k[,d]) -> v, remove specified key and return the corresponding value.",
    ),
    MethodDef::method(
        "popitem",
        |vm, s, a, kw| {
            let d = this_dict(vm, s)?;
            exact::<0>(vm, "dict.popitem", a, kw)?;
            let e = {
                let mut t = d.table.borrow_mut();
                while matches!(t.entries.last(), Some(None)) {
                    t.entries.pop();
                }
                match t.entries.len().checked_sub(1) {
                    Some(ix) => {
                        let e = t.remove_at(ix);
                        t.entries.pop();
                        e
                    }
                    None => None,
                }
            };
            let Some(e) = e else { return Err(vm.new_error(&vm.types.key_error, "popitem(): dictionary is empty")) };
            d.bump_keys();
            Ok(new_tuple(vm, vec![e.key, e.value]))
        },
        "Remove and return a (key, value) pair as a 2-tuple.",
    ),
    MethodDef::method(
        "keys",
        |vm, s, a, kw| {
            this_dict(vm, s)?;
            exact::<0>(vm, "dict.keys", a, kw)?;
            Ok(new_view(vm, s, ViewKind::Keys))
        },
        "D.keys() -> a set-like object providing a view on D's keys",
    ),
    MethodDef::method(
        "values",
        |vm, s, a, kw| {
            this_dict(vm, s)?;
            exact::<0>(vm, "dict.values", a, kw)?;
            Ok(new_view(vm, s, ViewKind::Values))
        },
        "D.values() -> an object providing a view on D's values",
    ),
    MethodDef::method(
        "items",
        |vm, s, a, kw| {
            this_dict(vm, s)?;
            exact::<0>(vm, "dict.items", a, kw)?;
            Ok(new_view(vm, s, ViewKind::Items))
        },
        "D.items() -> a set-like object providing a view on D's items",
    ),
    MethodDef::method(
        "update",
        |vm, s, a, kw| {
            this_dict(vm, s)?;
            update_common(vm, s, "update", a, kw)?;
            Ok(vm.none.clone())
        },
        "D.update([E, ]**F) -> None.  Update D from dict/iterable E and F.",
    ),
    MethodDef::method(
        "clear",
        |vm, s, a, kw| {
            this_dict(vm, s)?;
            exact::<0>(vm, "dict.clear", a, kw)?;
            dict_clear(s);
            Ok(vm.none.clone())
        },
        "D.clear() -> None.  Remove all items from D.",
    ),
    MethodDef::method(
        "copy",
        |vm, s, a, kw| {
            this_dict(vm, s)?;
            exact::<0>(vm, "dict.copy", a, kw)?;
            Ok(dict_copy(vm, s))
        },
        "D.copy() -> a shallow copy of D",
    ),
    MethodDef::class(
        "fromkeys",
        |vm, cls, a, kw| {
            let [iterable, value] = at_most::<2>(vm, "fromkeys", 1, a, kw)?;
            let Some(iterable) = iterable else { return Err(vm.type_error("fromkeys expected at least 1 argument, got 0")) };
            let value = value.unwrap_or_else(|| vm.none.clone());
            let d = crate::classes::call_object(vm, cls, &[])?;
            let fast = is_exact(&d, &vm.types.dict);
            // From a dict or a set: their stored hashes, no rehashing
            // (CPython's `_PyDict_FromKeys` fast paths).
            let known = if !fast {
                None
            } else if is_exact(&iterable, &vm.types.dict) {
                Some(dict_keys_with_hash(&iterable))
            } else if crate::types::set::is_anyset(&iterable) {
                Some(crate::types::set::set_entries_with_hash(&iterable))
            } else {
                None
            };
            if let Some(entries) = known {
                for (h, k) in entries {
                    dict_set_hash(vm, &d, k, h, value.clone())?;
                }
                return Ok(d);
            }
            crate::types::container::for_each(vm, &iterable, |k| {
                if fast {
                    dict_set(vm, &d, k, value.clone())
                } else {
                    crate::sequence::setitem(vm, &d, &k, value.clone())
                }
            })?;
            Ok(d)
        },
        "Create a new dictionary with keys from iterable and values set to value.",
    ),
];

// ----- views -----

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ViewKind {
    Keys,
    Values,
    Items,
}

/// `dict_keys`, `dict_values`, `dict_items`.
pub struct DictViewData {
    pub dict: Obj,
    pub kind: ViewKind,
}

fn new_view(vm: &Vm, d: &Obj, kind: ViewKind) -> Obj {
    let ty = match kind {
        ViewKind::Keys => &vm.types.dict_keys,
        ViewKind::Values => &vm.types.dict_values,
        ViewKind::Items => &vm.types.dict_items,
    };
    alloc(ty.clone(), DictViewData { dict: d.clone(), kind })
}

fn view_data(o: &Obj) -> Option<&DictViewData> {
    o.downcast::<DictViewData>()
}

/// A keys or items view (the set-like ones).
fn set_like_view(o: &Obj) -> Option<&DictViewData> {
    view_data(o).filter(|v| v.kind != ViewKind::Values)
}

/// `x in view` for keys and items views.
pub fn view_contains(vm: &Vm, view: &DictViewData, x: &Obj) -> PyResult<bool> {
    match view.kind {
        ViewKind::Keys => dict_contains(vm, &view.dict, x),
        ViewKind::Items => {
            let Some(t) = x.downcast::<TupleData>().filter(|t| t.items.len() == 2) else { return Ok(false) };
            let (k, v) = (t.items[0].clone(), t.items[1].clone());
            match dict_get(vm, &view.dict, &k)? {
                Some(found) => eq_bool(vm, &found, &v),
                None => Ok(false),
            }
        }
        ViewKind::Values => {
            let mut pos = 0;
            while let Some((i, _, v)) = dict_data(&view.dict).entry_from(pos) {
                pos = i + 1;
                if eq_bool(vm, &v, x)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
    }
}

/// The set operations of keys and items views produce sets
/// (`dictviews_to_set`: a keys view copies its dict's keys).
fn view_to_set(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    match view_data(o) {
        Some(v) if v.kind == ViewKind::Keys => crate::types::set::new_set_from(vm, &v.dict),
        _ => crate::types::set::new_set_from(vm, o),
    }
}

fn view_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    use crate::types::set;
    let sa = set_like_view(a).is_some();
    let sb = set_like_view(b).is_some();
    if !sa && !sb {
        return Ok(vm.not_implemented.clone());
    }
    match op {
        BinaryOp::And => {
            let (view, other) = if sa { (a, b) } else { (b, a) };
            let vdata = set_like_view(view).map(|v| (v.dict.clone(), v.kind));
            let Some((vdict, vkind)) = vdata else { return Ok(vm.not_implemented.clone()) };
            let len_self = dict_len(&vdict);
            if is_exact(other, &vm.types.set) && len_self <= set::set_len(other) {
                return set::intersection(vm, other, view);
            }
            let (mut view, mut other) = (view.clone(), other.clone());
            if let Some(ov) = set_like_view(&other) {
                if dict_len(&ov.dict) > len_self {
                    std::mem::swap(&mut view, &mut other);
                }
            }
            let _ = vkind;
            let result = set::new_set(vm, vec![])?;
            let Some(vd) = set_like_view(&view).map(|v| DictViewData { dict: v.dict.clone(), kind: v.kind }) else {
                return Ok(result);
            };
            crate::types::container::for_each(vm, &other, |x| {
                if view_contains(vm, &vd, &x)? {
                    set::set_add(vm, &result, x)?;
                }
                Ok(())
            })?;
            Ok(result)
        }
        BinaryOp::Or => {
            let result = view_to_set(vm, a)?;
            set::update_from(vm, &result, b)?;
            Ok(result)
        }
        BinaryOp::Subtract => {
            let result = view_to_set(vm, a)?;
            set::difference_update_from(vm, &result, b)?;
            Ok(result)
        }
        BinaryOp::Xor => {
            let result = view_to_set(vm, a)?;
            set::symmetric_difference_update_from(vm, &result, b)?;
            Ok(result)
        }
        _ => Ok(vm.not_implemented.clone()),
    }
}

/// Every item of `a` is in `b` (`all_contained_in`).
fn all_contained_in(vm: &Vm, a: &Obj, b: &Obj) -> PyResult<bool> {
    let it = ops::iter(vm, a)?;
    while let Some(x) = ops::next(vm, &it)? {
        if !ops::contains(vm, b, &x)? {
            return Ok(false);
        }
    }
    Ok(true)
}

fn view_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    if set_like_view(a).is_none() || !(set_like_view(b).is_some() || crate::types::set::is_anyset(b)) {
        return Ok(vm.not_implemented.clone());
    }
    let la = ops::length(vm, a)?;
    let lb = ops::length(vm, b)?;
    let r = match op {
        CompareOp::Eq | CompareOp::Ne => {
            let eq = la == lb && all_contained_in(vm, a, b)?;
            eq == (op == CompareOp::Eq)
        }
        CompareOp::Lt => la < lb && all_contained_in(vm, a, b)?,
        CompareOp::Le => la <= lb && all_contained_in(vm, a, b)?,
        CompareOp::Gt => la > lb && all_contained_in(vm, b, a)?,
        CompareOp::Ge => la >= lb && all_contained_in(vm, b, a)?,
    };
    Ok(vm.bool(r))
}

pub fn dict_view_slots() -> Slots {
    Slots {
        // A view holds its dict, which can hold the view.
        traverse: Some(|o, visit| {
            if let Some(v) = view_data(o) {
                visit(&v.dict);
            }
        }),
        repr: Some(|vm, o| {
            let Some(v) = view_data(o) else { return Ok(new_str(vm, "<dict view>")) };
            let Some(_guard) = ReprGuard::enter(vm, o) else { return Ok(new_str(vm, "...")) };
            let list = new_list(vm, crate::types::container::collect(vm, o)?);
            let name = match v.kind {
                ViewKind::Keys => "dict_keys",
                ViewKind::Values => "dict_values",
                ViewKind::Items => "dict_items",
            };
            Ok(new_str(vm, &format!("{name}({})", repr_string(vm, &list)?)))
        }),
        hash: None,
        iter: Some(|vm, o| match view_data(o) {
            Some(v) => Ok(new_dict_iter(vm, &v.dict, v.kind, false)),
            None => Err(vm.type_error("not a dict view")),
        }),
        bool: Some(|_, o| Ok(view_data(o).is_some_and(|v| !dict_data(&v.dict).is_empty()))),
        binary: Some(view_binary),
        compare: Some(view_compare),
        ..object_slots()
    }
}

fn this_view<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a DictViewData> {
    view_data(o).ok_or_else(|| vm.type_error("descriptor requires a dict view"))
}

pub static DICT_VIEW_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "__len__",
        |vm, s, a, kw| {
            let v = this_view(vm, s)?;
            exact::<0>(vm, "__len__", a, kw)?;
            Ok(vm.int(dict_len(&v.dict) as i64))
        },
        "Return len(self).",
    ),
    MethodDef::method(
        "__reversed__",
        |vm, s, a, kw| {
            let v = this_view(vm, s)?;
            exact::<0>(vm, "__reversed__", a, kw)?;
            Ok(new_dict_iter(vm, &v.dict, v.kind, true))
        },
        "Return a reverse iterator over the dict keys.",
    ),
];

pub static DICT_SET_VIEW_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "__contains__",
        |vm, s, a, kw| {
            let v = this_view(vm, s)?;
            let [x] = exact(vm, "__contains__", a, kw)?;
            Ok(vm.bool(view_contains(vm, v, &x)?))
        },
        "Return key in self.",
    ),
    MethodDef::method(
        "isdisjoint",
        |vm, s, a, kw| {
            this_view(vm, s)?;
            let [other] = exact(vm, "isdisjoint", a, kw)?;
            if s.is(&other) {
                return Ok(vm.bool(ops::length(vm, s)? == 0));
            }
            let (mut this, mut other) = (s.clone(), other);
            if crate::types::set::is_anyset(&other) || set_like_view(&other).is_some() {
                let ls = ops::length(vm, &this)?;
                let lo = ops::length(vm, &other)?;
                if lo > ls {
                    std::mem::swap(&mut this, &mut other);
                }
            }
            let it = ops::iter(vm, &other)?;
            while let Some(x) = ops::next(vm, &it)? {
                if ops::contains(vm, &this, &x)? {
                    return Ok(vm.false_.clone());
                }
            }
            Ok(vm.true_.clone())
        },
        "Return True if the view and the given iterable have a null intersection.",
    ),
];

pub static DICT_VIEW_GETSETS: &[GetSetDef] = &[GetSetDef::readonly(
    "mapping",
    |vm, o| match view_data(o) {
        Some(v) => Ok(alloc(vm.types.mappingproxy.clone(), MappingProxyData { mapping: v.dict.clone() })),
        None => Err(vm.type_error("not a dict view")),
    },
    "dictionary that this view refers to",
)];

// ----- iterators -----

/// The iterators over a dict's keys, values or items, forwards or
/// backwards.
pub struct DictIterData {
    /// `None` once exhausted.
    dict: RefCell<Option<Obj>>,
    kind: ViewKind,
    reverse: bool,
    /// The next entry position to look at (backwards: the one after it).
    pos: Cell<usize>,
    /// The dict's size when iteration started; `None` once a size change
    /// was reported (every later call reports it again).
    used: Cell<Option<usize>>,
    /// Items left to produce.
    remaining: Cell<usize>,
}

fn new_dict_iter(vm: &Vm, d: &Obj, kind: ViewKind, reverse: bool) -> Obj {
    let data = dict_data(d);
    let ty = match (kind, reverse) {
        (ViewKind::Keys, false) => &vm.types.dict_keyiterator,
        (ViewKind::Values, false) => &vm.types.dict_valueiterator,
        (ViewKind::Items, false) => &vm.types.dict_itemiterator,
        (ViewKind::Keys, true) => &vm.types.dict_reversekeyiterator,
        (ViewKind::Values, true) => &vm.types.dict_reversevalueiterator,
        (ViewKind::Items, true) => &vm.types.dict_reverseitemiterator,
    };
    let pos = if reverse { data.entries_len() } else { 0 };
    alloc(
        ty.clone(),
        DictIterData {
            dict: RefCell::new(Some(d.clone())),
            kind,
            reverse,
            pos: Cell::new(pos),
            used: Cell::new(Some(data.len())),
            remaining: Cell::new(data.len()),
        },
    )
}

fn dict_iter_next(vm: &Vm, o: &Obj) -> PyResult<Option<Obj>> {
    let Some(it) = o.downcast::<DictIterData>() else { return Ok(None) };
    let Some(d) = it.dict.borrow().clone() else { return Ok(None) };
    let data = dict_data(&d);
    if it.used.get() != Some(data.len()) {
        it.used.set(None);
        return Err(vm.new_error(&vm.types.runtime_error, "dictionary changed size during iteration"));
    }
    let found = if it.reverse {
        match it.pos.get().checked_sub(1) {
            Some(p) => data.entry_back_from(p),
            None => None,
        }
    } else {
        data.entry_from(it.pos.get())
    };
    let Some((i, k, v)) = found else {
        *it.dict.borrow_mut() = None;
        return Ok(None);
    };
    if !it.reverse && it.remaining.get() == 0 {
        *it.dict.borrow_mut() = None;
        return Err(vm.new_error(&vm.types.runtime_error, "dictionary keys changed during iteration"));
    }
    it.pos.set(if it.reverse { i } else { i + 1 });
    it.remaining.set(it.remaining.get().saturating_sub(1));
    Ok(Some(match it.kind {
        ViewKind::Keys => k,
        ViewKind::Values => v,
        ViewKind::Items => new_tuple(vm, vec![k, v]),
    }))
}

pub fn dict_iterator_slots() -> Slots {
    Slots {
        iter: Some(|_, o| Ok(o.clone())),
        next: Some(dict_iter_next),
        // The dict can hold its iterator (a cycle through a value).
        traverse: Some(|o, visit| {
            if let Some(d) = o.downcast::<DictIterData>().and_then(|i| i.dict.try_borrow().ok()) {
                if let Some(d) = &*d {
                    visit(d);
                }
            }
        }),
        clear: Some(|o| {
            let old = o.downcast::<DictIterData>().and_then(|i| i.dict.try_borrow_mut().ok().and_then(|mut d| d.take()));
            drop(old);
        }),
        ..object_slots()
    }
}

/// `__reduce__`: `(iter, (list of the items left,))`, read from a copy
/// of the iterator.
fn dict_iter_reduce(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__reduce__", a, kw)?;
    let mut items = Vec::new();
    if let Some(it) = s.downcast::<DictIterData>() {
        let copy = alloc(
            type_of(s),
            DictIterData {
                dict: RefCell::new(it.dict.borrow().clone()),
                kind: it.kind,
                reverse: it.reverse,
                pos: Cell::new(it.pos.get()),
                used: Cell::new(it.used.get()),
                remaining: Cell::new(it.remaining.get()),
            },
        );
        while let Some(x) = dict_iter_next(vm, &copy)? {
            items.push(x);
        }
    }
    crate::types::iterators::reduce_iter(vm, new_list(vm, items), None)
}

pub static DICT_ITER_METHODS: &[MethodDef] = &[
    MethodDef::method("__reduce__", dict_iter_reduce, "Return state information for pickling."),
    MethodDef::method(
        "__length_hint__",
        |vm, s, a, kw| {
            exact::<0>(vm, "__length_hint__", a, kw)?;
            let n = match s.downcast::<DictIterData>() {
                Some(it) => match &*it.dict.borrow() {
                    Some(d) if it.used.get() == Some(dict_len(d)) => it.remaining.get(),
                    _ => 0,
                },
                None => 0,
            };
            Ok(vm.int(n as i64))
        },
        "Private method returning an estimate of len(list(it)).",
    ),
];

// ----- mappingproxy -----

/// `mappingproxy`: a read-only view of a mapping.
pub struct MappingProxyData {
    pub mapping: Obj,
}

fn proxied(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    match o.downcast::<MappingProxyData>() {
        Some(p) => Ok(p.mapping.clone()),
        None => Err(vm.type_error("descriptor requires a 'mappingproxy' object")),
    }
}

pub fn mappingproxy_slots() -> Slots {
    Slots {
        new: Some(|vm, _cls, args, kw| {
            let [m] = crate::native::bind::<1>(
                vm,
                &crate::native::Params { fname: "mappingproxy", names: &["mapping"], posonly: 0, kwonly: 0, required: 1 },
                args,
                kw,
            )?;
            let Some(m) = m else { return Err(vm.type_error("mappingproxy() missing required argument 'mapping' (pos 1)")) };
            if type_lookup(&type_of(&m), "__getitem__").is_none()
                || m.downcast::<crate::types::list::ListData>().is_some()
                || m.downcast::<TupleData>().is_some()
            {
                return Err(vm.type_error(format!("mappingproxy() argument must be a mapping, not {}", type_name(&m))));
            }
            Ok(alloc(vm.types.mappingproxy.clone(), MappingProxyData { mapping: m }))
        }),
        repr: Some(|vm, o| {
            let m = proxied(vm, o)?;
            Ok(new_str(vm, &format!("mappingproxy({})", repr_string(vm, &m)?)))
        }),
        str: Some(|vm, o| {
            let m = proxied(vm, o)?;
            ops::str(vm, &m)
        }),
        hash: None,
        iter: Some(|vm, o| {
            let m = proxied(vm, o)?;
            ops::iter(vm, &m)
        }),
        compare: Some(|vm, op, a, b| {
            let m = proxied(vm, a)?;
            ops::compare(vm, op, &m, b)
        }),
        binary: Some(|vm, op, a, b| {
            let a = a.downcast::<MappingProxyData>().map_or_else(|| a.clone(), |p| p.mapping.clone());
            let b = b.downcast::<MappingProxyData>().map_or_else(|| b.clone(), |p| p.mapping.clone());
            if op != BinaryOp::Or {
                return Ok(vm.not_implemented.clone());
            }
            ops::binary_op(vm, op, &a, &b)
        }),
        ..object_slots()
    }
}

fn proxy_call(vm: &Vm, s: &Obj, name: &str, a: &[Obj]) -> PyResult<Obj> {
    let m = proxied(vm, s)?;
    let f = crate::classes::getattr(vm, &m, &vm.intern(name))?;
    crate::classes::call_object(vm, &f, a)
}

pub static MAPPINGPROXY_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "__ior__",
        |vm, _s, a, kw| {
            exact::<1>(vm, "__ior__", a, kw)?;
            Err(vm.type_error("'|=' is not supported by mappingproxy; use '|' instead"))
        },
        "Return self|=value.",
    ),
    MethodDef::method(
        "__reversed__",
        |vm, s, a, kw| {
            exact::<0>(vm, "mappingproxy.__reversed__", a, kw)?;
            let m = proxied(vm, s)?;
            let f = crate::classes::getattr(vm, &m, &vm.intern("__reversed__"))?;
            crate::classes::call_object(vm, &f, &[])
        },
        "D.__reversed__() -> reverse iterator",
    ),
    MethodDef::method(
        "__getitem__",
        |vm, s, a, kw| {
            let [k] = exact(vm, "mappingproxy.__getitem__", a, kw)?;
            crate::sequence::getitem(vm, &proxied(vm, s)?, &k)
        },
        "Return self[key].",
    ),
    MethodDef::method(
        "__contains__",
        |vm, s, a, kw| {
            let [k] = exact(vm, "mappingproxy.__contains__", a, kw)?;
            Ok(vm.bool(ops::contains(vm, &proxied(vm, s)?, &k)?))
        },
        "Return key in self.",
    ),
    MethodDef::method(
        "__len__",
        |vm, s, a, kw| {
            exact::<0>(vm, "mappingproxy.__len__", a, kw)?;
            Ok(vm.int(ops::length(vm, &proxied(vm, s)?)? as i64))
        },
        "Return len(self).",
    ),
    MethodDef::method(
        "get",
        |vm, s, a, kw| {
            crate::native::no_kwargs(vm, "get", kw)?;
            proxy_call(vm, s, "get", a)
        },
        "D.get(k[,d]) -> D[k] if k in D, else d.  d defaults to None.",
    ),
    MethodDef::method(
        "keys",
        |vm, s, a, kw| {
            exact::<0>(vm, "mappingproxy.keys", a, kw)?;
            proxy_call(vm, s, "keys", &[])
        },
        "D.keys() -> a set-like object providing a view on D's keys",
    ),
    MethodDef::method(
        "values",
        |vm, s, a, kw| {
            exact::<0>(vm, "mappingproxy.values", a, kw)?;
            proxy_call(vm, s, "values", &[])
        },
        "D.values() -> an object providing a view on D's values",
    ),
    MethodDef::method(
        "items",
        |vm, s, a, kw| {
            exact::<0>(vm, "mappingproxy.items", a, kw)?;
            proxy_call(vm, s, "items", &[])
        },
        "D.items() -> a set-like object providing a view on D's items",
    ),
    MethodDef::method(
        "copy",
        |vm, s, a, kw| {
            exact::<0>(vm, "mappingproxy.copy", a, kw)?;
            proxy_call(vm, s, "copy", &[])
        },
        "D.copy() -> a shallow copy of D",
    ),
];

/// The collector's view of a dict: keys and values.
pub(crate) fn dict_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(d) = o.downcast::<DictData>() {
        if let Ok(t) = d.table.try_borrow() {
            // CPython's order: the value, then the key; str keys are not
            // visited (its tables of str keys visit values only; strs
            // hold no references anyway).
            for e in t.entries.iter().flatten() {
                visit(&e.value);
                if e.key.gc_head().is_some() || e.key.downcast::<StrData>().is_none() {
                    visit(&e.key);
                }
            }
        }
    }
}

/// `dict.clear()` for the collector (never panics on a busy dict).
pub(crate) fn dict_gc_clear(o: &Obj) {
    if let Some(d) = o.downcast::<DictData>() {
        let old = match d.table.try_borrow_mut() {
            Ok(mut t) => std::mem::take(&mut *t),
            Err(_) => return,
        };
        d.bump_keys();
        drop(old);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_survives_deletes_and_growth() {
        let vm = Vm::new();
        let d = new_dict(&vm);
        for i in 0..100 {
            dict_set(&vm, &d, vm.int(i), vm.int(i * 2)).unwrap();
        }
        for i in (0..100).step_by(3) {
            assert!(dict_del(&vm, &d, &vm.int(i)).unwrap());
        }
        for i in 100..200 {
            dict_set(&vm, &d, vm.int(i), vm.int(i)).unwrap();
        }
        let keys: Vec<i64> = dict_items(&d)
            .iter()
            .map(|(k, _)| match k.downcast::<IntData>() {
                Some(IntData::Small(v)) => *v,
                _ => -1,
            })
            .collect();
        let want: Vec<i64> = (0..100).filter(|i| i % 3 != 0).chain(100..200).collect();
        assert_eq!(keys, want);
        assert_eq!(dict_len(&d), want.len());
        for i in 0..200 {
            assert_eq!(dict_get(&vm, &d, &vm.int(i)).unwrap().is_some(), i >= 100 || i % 3 != 0);
        }
    }

    #[test]
    fn version_moves_on_every_mutation() {
        let vm = Vm::new();
        let d = new_dict(&vm);
        let v0 = dict_data(&d).version();
        dict_set(&vm, &d, vm.int(1), vm.int(1)).unwrap();
        let v1 = dict_data(&d).version();
        assert_ne!(v0, v1);
        dict_set(&vm, &d, vm.int(1), vm.int(2)).unwrap();
        let v2 = dict_data(&d).version();
        assert_ne!(v1, v2);
        dict_get(&vm, &d, &vm.int(1)).unwrap();
        assert_eq!(v2, dict_data(&d).version());
        let same = vm.int(7);
        dict_set(&vm, &d, vm.int(1), same.clone()).unwrap();
        let v3 = dict_data(&d).version();
        dict_set(&vm, &d, vm.int(1), same).unwrap();
        assert_eq!(v3, dict_data(&d).version(), "the same value again changes nothing");
        dict_del(&vm, &d, &vm.int(1)).unwrap();
        assert_ne!(v3, dict_data(&d).version());
    }
}
