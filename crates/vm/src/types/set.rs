//! `set`, `frozenset` and their iterator.
//!
//! The table is CPython's (`Objects/setobject.c`): open addressing over a
//! power-of-two array of slots, each empty, a dummy (a deleted key) or an
//! active (hash, key); a probe looks at `LINEAR_PROBES` neighbours before
//! jumping with the perturbation recurrence; the table is resized when
//! `fill * 5 >= mask * 3`, to the smallest power of two above four (two,
//! past 50000 keys) times the active count. Iteration walks the slots in
//! order, so for keys whose hashes equal CPython's the iteration order is
//! CPython's.
//!
//! `__eq__` of a key can mutate the set while a probe is comparing: the
//! probe drops its borrow around the call and restarts when the set's
//! mutation counter moved, as CPython restarts when the table changed.

use std::cell::{Cell, RefCell};

use crate::native::{exact, MethodDef};
use crate::object::{alloc, Obj};
use crate::ops;
use crate::types::builtin::*;
use crate::types::container::{is_exact, ReprGuard};
use crate::types::{is_subtype, type_of, Kwargs, Slots};
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::{BinaryOp, CompareOp};

const MIN_SIZE: usize = 8;
const LINEAR_PROBES: usize = 9;
const PERTURB_SHIFT: u32 = 5;

#[derive(Clone)]
enum Slot {
    Empty,
    Dummy,
    Active { hash: i64, key: Obj },
}

struct Table {
    slots: Vec<Slot>,
    /// Active plus dummy slots.
    fill: usize,
    /// Active slots.
    used: usize,
    /// Where `pop` looks next.
    finger: usize,
}

impl Table {
    fn new() -> Table {
        Table { slots: vec![Slot::Empty; MIN_SIZE], fill: 0, used: 0, finger: 0 }
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// Places a key known to be absent in a table without dummies
    /// (`set_insert_clean`).
    fn insert_clean(slots: &mut [Slot], hash: i64, key: Obj) {
        let mask = slots.len() - 1;
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        loop {
            if matches!(slots[i], Slot::Empty) {
                slots[i] = Slot::Active { hash, key };
                return;
            }
            if i + LINEAR_PROBES <= mask {
                if let Some(slot) = slots[i + 1..=i + LINEAR_PROBES].iter_mut().find(|s| matches!(s, Slot::Empty)) {
                    *slot = Slot::Active { hash, key };
                    return;
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb as usize) & mask;
        }
    }

    /// `set_table_resize`: a table of the smallest power of two above
    /// `minused`, the active keys re-inserted in slot order.
    fn resize(&mut self, minused: usize) {
        let mut size = MIN_SIZE;
        while size <= minused {
            size <<= 1;
        }
        let old = std::mem::replace(&mut self.slots, vec![Slot::Empty; size]);
        for s in old {
            if let Slot::Active { hash, key } = s {
                Table::insert_clean(&mut self.slots, hash, key);
            }
        }
        self.fill = self.used;
    }

    fn active(&self) -> Vec<(i64, Obj)> {
        self.slots
            .iter()
            .filter_map(|s| match s {
                Slot::Active { hash, key } => Some((*hash, key.clone())),
                _ => None,
            })
            .collect()
    }
}

/// A `set` or `frozenset` (or the set part of a subclass instance).
pub struct SetData {
    table: RefCell<Table>,
    /// Bumped on every mutation (probes restart when it moves).
    version: Cell<u64>,
    /// A frozenset's cached hash.
    hash: Cell<Option<i64>>,
}

impl SetData {
    pub fn new() -> SetData {
        SetData { table: RefCell::new(Table::new()), version: Cell::new(0), hash: Cell::new(None) }
    }

    pub fn len(&self) -> usize {
        self.table.borrow().used
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn bump(&self) {
        self.version.set(self.version.get().wrapping_add(1));
    }

    /// (hash, key) of the active slots in table order.
    fn entries(&self) -> Vec<(i64, Obj)> {
        self.table.borrow().active()
    }

    fn clear(&self) -> Table {
        let old = std::mem::replace(&mut *self.table.borrow_mut(), Table::new());
        self.bump();
        old
    }
}

impl Default for SetData {
    fn default() -> Self {
        SetData::new()
    }
}

pub fn is_anyset(o: &Obj) -> bool {
    o.downcast::<SetData>().is_some()
}

fn data(o: &Obj) -> &SetData {
    match o.downcast::<SetData>() {
        Some(s) => s,
        None => unreachable!("set operation on a non-set"),
    }
}

pub fn set_len(o: &Obj) -> usize {
    o.downcast::<SetData>().map_or(0, SetData::len)
}

fn is_exact_str(vm: &Vm, o: &Obj) -> bool {
    is_exact(o, &vm.types.str_)
}

/// What a probe found in one slot.
enum Seen {
    Empty,
    Dummy,
    Same,
    /// Same hash, another object: `__eq__` decides.
    Compare(Obj),
    Other,
}

fn see(vm: &Vm, slot: &Slot, key: &Obj, hash: i64, key_is_str: bool) -> Seen {
    match slot {
        Slot::Empty => Seen::Empty,
        Slot::Dummy => Seen::Dummy,
        Slot::Active { hash: h, key: k } if *h == hash => {
            if k.is(key) || (key_is_str && is_exact_str(vm, k) && str_data(k).value == str_data(key).value) {
                Seen::Same
            } else {
                Seen::Compare(k.clone())
            }
        }
        Slot::Active { .. } => Seen::Other,
    }
}

/// `set_add_entry`.
fn add_entry(vm: &Vm, s: &SetData, key: Obj, hash: i64) -> PyResult<()> {
    let key_is_str = is_exact_str(vm, &key);
    'restart: loop {
        let version = s.version.get();
        let mut t = s.table.borrow_mut();
        let mut mask = t.mask();
        let mut i = (hash as u64 as usize) & mask;
        let mut perturb = hash as u64;
        let mut freeslot: Option<usize> = None;
        loop {
            let probes = if i + LINEAR_PROBES <= mask { LINEAR_PROBES } else { 0 };
            for j in i..=i + probes {
                match see(vm, &t.slots[j], &key, hash, key_is_str) {
                    Seen::Empty => {
                        if let Some(f) = freeslot {
                            t.slots[f] = Slot::Active { hash, key };
                            t.used += 1;
                            drop(t);
                            s.bump();
                            return Ok(());
                        }
                        t.slots[j] = Slot::Active { hash, key };
                        t.fill += 1;
                        t.used += 1;
                        if t.fill * 5 >= mask * 3 {
                            let minused = if t.used > 50000 { t.used * 2 } else { t.used * 4 };
                            t.resize(minused);
                        }
                        drop(t);
                        s.bump();
                        return Ok(());
                    }
                    Seen::Dummy => {
                        if freeslot.is_none() {
                            freeslot = Some(j);
                        }
                    }
                    Seen::Same => return Ok(()),
                    Seen::Compare(k) => {
                        drop(t);
                        let same = ops::eq(vm, &k, &key)?;
                        drop(k);
                        if same {
                            return Ok(());
                        }
                        if s.version.get() != version {
                            continue 'restart;
                        }
                        t = s.table.borrow_mut();
                        mask = t.mask();
                    }
                    Seen::Other => {}
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb as usize) & mask;
        }
    }
}

/// `set_lookkey`: the slot holding `key`.
fn lookup(vm: &Vm, s: &SetData, key: &Obj, hash: i64) -> PyResult<Option<usize>> {
    let key_is_str = is_exact_str(vm, key);
    'restart: loop {
        let version = s.version.get();
        let mut t = s.table.borrow();
        let mut mask = t.mask();
        let mut i = (hash as u64 as usize) & mask;
        let mut perturb = hash as u64;
        loop {
            let probes = if i + LINEAR_PROBES <= mask { LINEAR_PROBES } else { 0 };
            for j in i..=i + probes {
                match see(vm, &t.slots[j], key, hash, key_is_str) {
                    Seen::Empty => return Ok(None),
                    Seen::Same => return Ok(Some(j)),
                    Seen::Compare(k) => {
                        drop(t);
                        let same = ops::eq(vm, &k, key)?;
                        drop(k);
                        if s.version.get() != version {
                            continue 'restart;
                        }
                        if same {
                            return Ok(Some(j));
                        }
                        t = s.table.borrow();
                        mask = t.mask();
                    }
                    Seen::Dummy | Seen::Other => {}
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb as usize) & mask;
        }
    }
}

fn contains_entry(vm: &Vm, s: &SetData, key: &Obj, hash: i64) -> PyResult<bool> {
    Ok(lookup(vm, s, key, hash)?.is_some())
}

/// Removes the key; whether it was there.
fn discard_entry(vm: &Vm, s: &SetData, key: &Obj, hash: i64) -> PyResult<bool> {
    let Some(j) = lookup(vm, s, key, hash)? else { return Ok(false) };
    let old = {
        let mut t = s.table.borrow_mut();
        t.used -= 1;
        std::mem::replace(&mut t.slots[j], Slot::Dummy)
    };
    s.bump();
    drop(old);
    Ok(true)
}

/// Sets (not frozensets) used as keys are looked up as frozensets
/// (`set_contains_key` and friends): the hash of `key`, or of its frozen
/// copy.
fn hash_or_frozen(vm: &Vm, key: &Obj) -> PyResult<(Obj, i64)> {
    match ops::hash(vm, key) {
        Ok(h) => Ok((key.clone(), h)),
        Err(e) if is_subtype(&type_of(key), &vm.types.set) && is_subtype(&type_of(&e.exc), &vm.types.type_error) => {
            let frozen = alloc(vm.types.frozenset.clone(), SetData::new());
            merge(vm, data(&frozen), key)?;
            let h = frozenset_hash(data(&frozen));
            Ok((frozen, h))
        }
        Err(e) => Err(e),
    }
}

/// `set_merge`: adds the keys of another set.
fn merge(vm: &Vm, s: &SetData, other: &Obj) -> PyResult<()> {
    let o = data(other);
    if std::ptr::eq(s, o) || o.is_empty() {
        return Ok(());
    }
    {
        let mut t = s.table.borrow_mut();
        let ot = o.table.borrow();
        if (t.fill + ot.used) * 5 >= t.mask() * 3 {
            let minused = (t.used + ot.used) * 2;
            t.resize(minused);
        }
        if t.fill == 0 && t.mask() == ot.mask() && ot.fill == ot.used {
            t.slots = ot.slots.clone();
            t.fill = ot.fill;
            t.used = ot.used;
            drop((t, ot));
            s.bump();
            return Ok(());
        }
        if t.fill == 0 {
            for slot in ot.slots.iter() {
                if let Slot::Active { hash, key } = slot {
                    Table::insert_clean(&mut t.slots, *hash, key.clone());
                }
            }
            t.fill = ot.used;
            t.used = ot.used;
            drop((t, ot));
            s.bump();
            return Ok(());
        }
    }
    for (h, k) in o.entries() {
        add_entry(vm, s, k, h)?;
    }
    Ok(())
}

/// `set_update_internal`: adds every item of an iterable.
fn update_internal(vm: &Vm, s: &SetData, other: &Obj) -> PyResult<()> {
    if is_anyset(other) {
        return merge(vm, s, other);
    }
    if is_exact(other, &vm.types.dict) {
        let items = dict_items_with_hash(other);
        {
            let mut t = s.table.borrow_mut();
            if (t.fill + items.len()) * 5 >= t.mask() * 3 {
                let minused = (t.used + items.len()) * 2;
                t.resize(minused);
            }
        }
        for (h, k) in items {
            add_entry(vm, s, k, h)?;
        }
        return Ok(());
    }
    crate::types::container::for_each(vm, other, |k| {
        let h = ops::hash(vm, &k)?;
        add_entry(vm, s, k, h)
    })
}

fn dict_items_with_hash(d: &Obj) -> Vec<(i64, Obj)> {
    crate::types::dict::dict_keys_with_hash(d)
}

/// A new, empty set or frozenset of the built-in base of `like`'s type
/// (`make_new_set_basetype`).
fn new_basetype(vm: &Vm, like: &Obj) -> Obj {
    let ty = if is_subtype(&type_of(like), &vm.types.set) { &vm.types.set } else { &vm.types.frozenset };
    alloc(ty.clone(), SetData::new())
}

fn copy_of(vm: &Vm, so: &Obj) -> PyResult<Obj> {
    let out = new_basetype(vm, so);
    merge(vm, data(&out), so)?;
    Ok(out)
}

/// `set(iterable)` (exact `set`).
pub fn new_set_from(vm: &Vm, iterable: &Obj) -> PyResult<Obj> {
    let out = alloc(vm.types.set.clone(), SetData::new());
    update_internal(vm, data(&out), iterable)?;
    Ok(out)
}

/// A `set` of `items` (`BUILD_SET`).
pub fn new_set(vm: &Vm, items: Vec<Obj>) -> PyResult<Obj> {
    let out = alloc(vm.types.set.clone(), SetData::new());
    for x in items {
        set_add(vm, &out, x)?;
    }
    Ok(out)
}

/// `set.add(item)` (`SET_ADD`).
pub fn set_add(vm: &Vm, set: &Obj, item: Obj) -> PyResult<()> {
    let h = ops::hash(vm, &item)?;
    add_entry(vm, data(set), item, h)
}

/// `set.update(iterable)` (`SET_UPDATE`).
pub fn set_update(vm: &Vm, set: &Obj, iterable: &Obj) -> PyResult<()> {
    update_internal(vm, data(set), iterable)
}

/// `key in set`.
pub fn set_contains(vm: &Vm, set: &Obj, key: &Obj) -> PyResult<bool> {
    let (k, h) = hash_or_frozen(vm, key)?;
    contains_entry(vm, data(set), &k, h)
}

/// The keys, in iteration order.
/// (hash, key) of a set's or frozenset's items: the hashes it stored
/// (`dict.fromkeys(a_set)` does not hash the keys again).
pub fn set_entries_with_hash(set: &Obj) -> Vec<(i64, Obj)> {
    data(set).entries()
}

pub fn set_items(set: &Obj) -> Vec<Obj> {
    data(set).entries().into_iter().map(|(_, k)| k).collect()
}

pub fn update_from(vm: &Vm, set: &Obj, other: &Obj) -> PyResult<()> {
    update_internal(vm, data(set), other)
}

/// `set_intersection`.
pub fn intersection(vm: &Vm, so: &Obj, other: &Obj) -> PyResult<Obj> {
    if so.is(other) {
        return copy_of(vm, so);
    }
    let result = new_basetype(vm, so);
    let r = data(&result);
    if is_anyset(other) {
        let (big, small) = if set_len(other) > set_len(so) { (other, so) } else { (so, other) };
        for (h, k) in data(small).entries() {
            if contains_entry(vm, data(big), &k, h)? {
                add_entry(vm, r, k, h)?;
            }
        }
        return Ok(result);
    }
    crate::types::container::for_each(vm, other, |k| {
        let h = ops::hash(vm, &k)?;
        if contains_entry(vm, data(so), &k, h)? {
            add_entry(vm, r, k, h)?;
        }
        Ok(())
    })?;
    Ok(result)
}

fn intersection_multi(vm: &Vm, so: &Obj, others: &[Obj]) -> PyResult<Obj> {
    if others.is_empty() {
        return copy_of(vm, so);
    }
    let mut result = so.clone();
    for o in others {
        result = intersection(vm, &result, o)?;
    }
    Ok(result)
}

/// Makes `so` hold `other`'s table (`set_swap_bodies` with a temporary).
fn take_body(so: &Obj, other: &Obj) {
    let (s, o) = (data(so), data(other));
    let old = std::mem::replace(&mut *s.table.borrow_mut(), std::mem::replace(&mut *o.table.borrow_mut(), Table::new()));
    s.bump();
    s.hash.set(None);
    drop(old);
}

/// `set_difference_update_internal`.
fn difference_update_internal(vm: &Vm, so: &Obj, other: &Obj) -> PyResult<()> {
    let s = data(so);
    if so.is(other) {
        drop(s.clear());
        return Ok(());
    }
    if is_anyset(other) {
        for (h, k) in data(other).entries() {
            discard_entry(vm, s, &k, h)?;
        }
    } else {
        crate::types::container::for_each(vm, other, |k| {
            let (k, h) = hash_or_frozen(vm, &k)?;
            discard_entry(vm, s, &k, h)?;
            Ok(())
        })?;
    }
    let mut t = s.table.borrow_mut();
    if t.fill - t.used > t.mask() / 4 {
        let minused = if t.used > 50000 { t.used * 2 } else { t.used * 4 };
        t.resize(minused);
    }
    Ok(())
}

pub fn difference_update_from(vm: &Vm, set: &Obj, other: &Obj) -> PyResult<()> {
    difference_update_internal(vm, set, other)
}

/// `set_difference`.
fn difference(vm: &Vm, so: &Obj, other: &Obj) -> PyResult<Obj> {
    let other_size = if is_anyset(other) {
        set_len(other)
    } else if is_exact(other, &vm.types.dict) {
        dict_len(other)
    } else {
        let result = copy_of(vm, so)?;
        difference_update_internal(vm, &result, other)?;
        return Ok(result);
    };
    if (set_len(so) >> 2) > other_size {
        let result = copy_of(vm, so)?;
        difference_update_internal(vm, &result, other)?;
        return Ok(result);
    }
    let result = new_basetype(vm, so);
    let r = data(&result);
    let is_dict = !is_anyset(other);
    for (h, k) in data(so).entries() {
        let inside = if is_dict { dict_get_hash(vm, other, &k, h)?.is_some() } else { contains_entry(vm, data(other), &k, h)? };
        if !inside {
            add_entry(vm, r, k, h)?;
        }
    }
    Ok(result)
}

/// `set_symmetric_difference_update`.
fn symmetric_difference_update(vm: &Vm, so: &Obj, other: &Obj) -> PyResult<()> {
    let s = data(so);
    if so.is(other) {
        drop(s.clear());
        return Ok(());
    }
    let entries = if is_exact(other, &vm.types.dict) {
        dict_items_with_hash(other)
    } else if is_anyset(other) {
        data(other).entries()
    } else {
        let tmp = new_basetype(vm, so);
        update_internal(vm, data(&tmp), other)?;
        data(&tmp).entries()
    };
    for (h, k) in entries {
        if !discard_entry(vm, s, &k, h)? {
            add_entry(vm, s, k, h)?;
        }
    }
    Ok(())
}

pub fn symmetric_difference_update_from(vm: &Vm, set: &Obj, other: &Obj) -> PyResult<()> {
    symmetric_difference_update(vm, set, other)
}

fn symmetric_difference(vm: &Vm, so: &Obj, other: &Obj) -> PyResult<Obj> {
    let result = new_basetype(vm, so);
    update_internal(vm, data(&result), other)?;
    symmetric_difference_update(vm, &result, so)?;
    Ok(result)
}

/// `set_issubset` for two sets.
fn issubset(vm: &Vm, so: &Obj, other: &Obj) -> PyResult<bool> {
    if set_len(so) > set_len(other) {
        return Ok(false);
    }
    for (h, k) in data(so).entries() {
        if !contains_entry(vm, data(other), &k, h)? {
            return Ok(false);
        }
    }
    Ok(true)
}

fn as_set(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    if is_anyset(o) {
        Ok(o.clone())
    } else {
        new_set_from(vm, o)
    }
}

fn isdisjoint(vm: &Vm, so: &Obj, other: &Obj) -> PyResult<bool> {
    if so.is(other) {
        return Ok(set_len(so) == 0);
    }
    if is_anyset(other) {
        let (big, small) = if set_len(other) > set_len(so) { (other, so) } else { (so, other) };
        for (h, k) in data(small).entries() {
            if contains_entry(vm, data(big), &k, h)? {
                return Ok(false);
            }
        }
        return Ok(true);
    }
    let it = ops::iter(vm, other)?;
    while let Some(k) = ops::next(vm, &it)? {
        let h = ops::hash(vm, &k)?;
        if contains_entry(vm, data(so), &k, h)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// CPython's `frozenset_hash`: the shuffled hashes of the keys combined
/// with xor, so that the order of insertion does not matter.
fn frozenset_hash(s: &SetData) -> i64 {
    if let Some(h) = s.hash.get() {
        return h;
    }
    let t = s.table.borrow();
    let h = frozenset_hash_of(t.slots.iter().filter_map(|x| match x {
        Slot::Active { hash, .. } => Some(*hash),
        _ => None,
    }));
    drop(t);
    s.hash.set(Some(h));
    h
}

/// The frozenset hash of keys with hashes `hashes`.
pub fn frozenset_hash_of(hashes: impl Iterator<Item = i64>) -> i64 {
    fn shuffle(h: u64) -> u64 {
        ((h ^ 89869747) ^ (h << 16)).wrapping_mul(3644798167)
    }
    let mut hash: u64 = 0;
    let mut n: u64 = 0;
    for h in hashes {
        hash ^= shuffle(h as u64);
        n += 1;
    }
    hash ^= (n + 1).wrapping_mul(1927868237);
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash.wrapping_mul(69069).wrapping_add(907133923);
    if hash == u64::MAX {
        hash = 590923713;
    }
    hash as i64
}

fn set_repr(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let name = type_name(o).to_string();
    let s = data(o);
    if s.is_empty() {
        return Ok(new_str(vm, &format!("{name}()")));
    }
    let Some(_guard) = ReprGuard::enter(vm, o) else { return Ok(new_str(vm, &format!("{name}(...)"))) };
    let parts = s.entries().iter().map(|(_, k)| repr_string(vm, k)).collect::<PyResult<Vec<_>>>()?;
    let body = format!("{{{}}}", parts.join(", "));
    if is_exact(o, &vm.types.set) {
        Ok(new_str(vm, &body))
    } else {
        Ok(new_str(vm, &format!("{name}({body})")))
    }
}

fn set_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    if !is_anyset(a) || !is_anyset(b) {
        return Ok(vm.not_implemented.clone());
    }
    match op {
        BinaryOp::Or => {
            let result = copy_of(vm, a)?;
            update_internal(vm, data(&result), b)?;
            Ok(result)
        }
        BinaryOp::And => intersection(vm, a, b),
        BinaryOp::Subtract => difference(vm, a, b),
        BinaryOp::Xor => symmetric_difference(vm, a, b),
        _ => Ok(vm.not_implemented.clone()),
    }
}

fn set_compare(vm: &Vm, op: CompareOp, a: &Obj, b: &Obj) -> PyResult<Obj> {
    if !is_anyset(a) || !is_anyset(b) {
        return Ok(vm.not_implemented.clone());
    }
    let (la, lb) = (set_len(a), set_len(b));
    let r = match op {
        CompareOp::Eq | CompareOp::Ne => {
            let eq = la == lb && issubset(vm, a, b)?;
            eq == (op == CompareOp::Eq)
        }
        CompareOp::Le => issubset(vm, a, b)?,
        CompareOp::Ge => issubset(vm, b, a)?,
        CompareOp::Lt => la < lb && issubset(vm, a, b)?,
        CompareOp::Gt => la > lb && issubset(vm, b, a)?,
    };
    Ok(vm.bool(r))
}

fn set_init_native(vm: &Vm, so: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<()> {
    // Always, subclasses with their own `__new__` included (bpo-43413).
    crate::native::no_kwargs(vm, "set", kw)?;
    if args.len() > 1 {
        return Err(vm.type_error(format!("{} expected at most 1 argument, got {}", type_name(so), args.len())));
    }
    let s = data(so);
    if s.table.borrow().fill > 0 {
        drop(s.clear());
    }
    if let Some(it) = args.first() {
        update_internal(vm, s, it)?;
    }
    Ok(())
}

/// The collector's view of a set: its items (they can refer back).
fn set_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(t) = o.downcast::<SetData>().and_then(|s| s.table.try_borrow().ok()) {
        for slot in &t.slots {
            if let Slot::Active { key, .. } = slot {
                visit(key);
            }
        }
    }
}

fn set_clear(o: &Obj) {
    if let Some(s) = o.downcast::<SetData>() {
        if s.table.try_borrow_mut().is_ok() {
            drop(s.clear());
        }
    }
}

fn iter_slot(vm: &Vm, o: &Obj) -> PyResult<Obj> {
    let n = set_len(o);
    Ok(alloc(
        vm.types.set_iterator.clone(),
        SetIterData { set: RefCell::new(Some(o.clone())), pos: Cell::new(0), used: Cell::new(Some(n)), remaining: Cell::new(n) },
    ))
}

pub fn set_slots() -> Slots {
    Slots {
        // `type.__call__` runs `__init__` next.
        new: Some(|_vm, cls, _args, _kw| Ok(alloc(cls.clone(), SetData::new()))),
        init: Some(|vm, s, args, kw| {
            set_init_native(vm, s, args, kw)?;
            Ok(vm.none.clone())
        }),
        repr: Some(set_repr),
        hash: None,
        bool: Some(|_, o| Ok(set_len(o) != 0)),
        iter: Some(iter_slot),
        binary: Some(set_binary),
        compare: Some(set_compare),
        traverse: Some(set_traverse),
        clear: Some(set_clear),
        ..object_slots()
    }
}

pub fn frozenset_slots() -> Slots {
    Slots {
        new: Some(|vm, cls, args, kw| {
            // Keywords are refused unless a subclass has its own
            // `__init__` to take them (CPython's rule).
            let own_init = crate::types::lookup(cls, "__init__");
            let object_init = crate::types::lookup(&vm.types.object, "__init__");
            let inherits_init = matches!((own_init, object_init), (Some(a), Some(b)) if a.is(&b));
            if !kw.is_empty() && (cls.is(&vm.types.frozenset) || inherits_init) {
                crate::native::no_kwargs(vm, "frozenset", kw)?;
            }
            if args.len() > 1 {
                return Err(vm.type_error(format!(
                    "{} expected at most 1 argument, got {}",
                    crate::types::type_data(cls).name,
                    args.len()
                )));
            }
            if let Some(it) = args.first() {
                if cls.is(&vm.types.frozenset) && is_exact(it, &vm.types.frozenset) {
                    return Ok(it.clone());
                }
            }
            let s = alloc(cls.clone(), SetData::new());
            if let Some(it) = args.first() {
                update_internal(vm, data(&s), it)?;
            }
            Ok(s)
        }),
        repr: Some(set_repr),
        hash: Some(|_, o| Ok(frozenset_hash(data(o)))),
        bool: Some(|_, o| Ok(set_len(o) != 0)),
        iter: Some(iter_slot),
        binary: Some(set_binary),
        compare: Some(set_compare),
        traverse: Some(set_traverse),
        clear: Some(set_clear),
        ..object_slots()
    }
}

fn this<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a SetData> {
    o.downcast::<SetData>().ok_or_else(|| vm.type_error(format!("descriptor requires a 'set' object but received a '{}'", type_name(o))))
}

fn m_add(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    this(vm, s)?;
    let [x] = exact(vm, "set.add", a, kw)?;
    set_add(vm, s, x)?;
    Ok(vm.none.clone())
}

fn m_clear(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let d = this(vm, s)?;
    exact::<0>(vm, "set.clear", a, kw)?;
    drop(d.clear());
    Ok(vm.none.clone())
}

fn m_copy(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    this(vm, s)?;
    exact::<0>(vm, if is_subtype(&type_of(s), &vm.types.set) { "set.copy" } else { "frozenset.copy" }, a, kw)?;
    if is_exact(s, &vm.types.frozenset) {
        return Ok(s.clone());
    }
    copy_of(vm, s)
}

fn m_discard(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let d = this(vm, s)?;
    let [x] = exact(vm, "set.discard", a, kw)?;
    let (k, h) = hash_or_frozen(vm, &x)?;
    discard_entry(vm, d, &k, h)?;
    Ok(vm.none.clone())
}

fn m_remove(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let d = this(vm, s)?;
    let [x] = exact(vm, "set.remove", a, kw)?;
    let (k, h) = hash_or_frozen(vm, &x)?;
    if !discard_entry(vm, d, &k, h)? {
        return Err(key_error(vm, &x));
    }
    Ok(vm.none.clone())
}

fn m_pop(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let d = this(vm, s)?;
    exact::<0>(vm, "set.pop", a, kw)?;
    let key = {
        let mut t = d.table.borrow_mut();
        if t.used == 0 {
            None
        } else {
            let mask = t.mask();
            let mut i = t.finger & mask;
            while !matches!(t.slots[i], Slot::Active { .. }) {
                i = if i >= mask { 0 } else { i + 1 };
            }
            let old = std::mem::replace(&mut t.slots[i], Slot::Dummy);
            t.used -= 1;
            t.finger = i + 1;
            match old {
                Slot::Active { key, .. } => Some(key),
                _ => None,
            }
        }
    };
    match key {
        Some(k) => {
            d.bump();
            Ok(k)
        }
        None => Err(vm.new_error(&vm.types.key_error, "pop from an empty set")),
    }
}

fn m_union(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    this(vm, s)?;
    crate::native::no_kwargs(vm, "union", kw)?;
    let result = copy_of(vm, s)?;
    for o in a {
        update_internal(vm, data(&result), o)?;
    }
    Ok(result)
}

fn m_update(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let d = this(vm, s)?;
    crate::native::no_kwargs(vm, "update", kw)?;
    for o in a {
        update_internal(vm, d, o)?;
    }
    Ok(vm.none.clone())
}

fn m_intersection(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    this(vm, s)?;
    crate::native::no_kwargs(vm, "intersection", kw)?;
    intersection_multi(vm, s, a)
}

fn m_intersection_update(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    this(vm, s)?;
    crate::native::no_kwargs(vm, "intersection_update", kw)?;
    let tmp = intersection_multi(vm, s, a)?;
    if !tmp.is(s) {
        take_body(s, &tmp);
    }
    Ok(vm.none.clone())
}

fn m_difference(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    this(vm, s)?;
    crate::native::no_kwargs(vm, "difference", kw)?;
    let Some((first, rest)) = a.split_first() else { return copy_of(vm, s) };
    let result = difference(vm, s, first)?;
    for o in rest {
        difference_update_internal(vm, &result, o)?;
    }
    Ok(result)
}

fn m_difference_update(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    this(vm, s)?;
    crate::native::no_kwargs(vm, "difference_update", kw)?;
    for o in a {
        difference_update_internal(vm, s, o)?;
    }
    Ok(vm.none.clone())
}

fn m_symmetric_difference(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    this(vm, s)?;
    let fname = if is_subtype(&type_of(s), &vm.types.set) { "set.symmetric_difference" } else { "frozenset.symmetric_difference" };
    let [o] = exact(vm, fname, a, kw)?;
    symmetric_difference(vm, s, &o)
}

fn m_symmetric_difference_update(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    this(vm, s)?;
    let [o] = exact(vm, "set.symmetric_difference_update", a, kw)?;
    symmetric_difference_update(vm, s, &o)?;
    Ok(vm.none.clone())
}

fn qual(vm: &Vm, s: &Obj, name: &str) -> String {
    if is_subtype(&type_of(s), &vm.types.set) {
        format!("set.{name}")
    } else {
        format!("frozenset.{name}")
    }
}

fn m_issubset(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    this(vm, s)?;
    let [o] = exact(vm, &qual(vm, s, "issubset"), a, kw)?;
    let o = as_set(vm, &o)?;
    Ok(vm.bool(issubset(vm, s, &o)?))
}

fn m_issuperset(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    this(vm, s)?;
    let [o] = exact(vm, &qual(vm, s, "issuperset"), a, kw)?;
    let o = as_set(vm, &o)?;
    Ok(vm.bool(issubset(vm, &o, s)?))
}

fn m_isdisjoint(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    this(vm, s)?;
    let [o] = exact(vm, &qual(vm, s, "isdisjoint"), a, kw)?;
    Ok(vm.bool(isdisjoint(vm, s, &o)?))
}

fn m_contains(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    this(vm, s)?;
    let [x] = exact(vm, &qual(vm, s, "__contains__"), a, kw)?;
    Ok(vm.bool(set_contains(vm, s, &x)?))
}

fn m_len(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let d = this(vm, s)?;
    exact::<0>(vm, "__len__", a, kw)?;
    Ok(vm.int(d.len() as i64))
}

fn m_iter(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    this(vm, s)?;
    exact::<0>(vm, "__iter__", a, kw)?;
    iter_slot(vm, s)
}

fn m_init(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    this(vm, s)?;
    set_init_native(vm, s, a, kw)?;
    Ok(vm.none.clone())
}

/// The in-place operators (`|=`, `&=`, `-=`, `^=`): `NotImplemented` for
/// operands that are not sets.
fn inplace(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs, op: BinaryOp) -> PyResult<Obj> {
    this(vm, s)?;
    let [o] = exact(vm, "__ior__", a, kw)?;
    if !is_anyset(&o) {
        return Ok(vm.not_implemented.clone());
    }
    match op {
        BinaryOp::Or => update_internal(vm, data(s), &o)?,
        BinaryOp::And => {
            let tmp = intersection(vm, s, &o)?;
            if !tmp.is(s) {
                take_body(s, &tmp);
            }
        }
        BinaryOp::Subtract => difference_update_internal(vm, s, &o)?,
        _ => symmetric_difference_update(vm, s, &o)?,
    }
    Ok(s.clone())
}

fn binary_method(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs, op: BinaryOp, reflected: bool) -> PyResult<Obj> {
    let [o] = exact(vm, "__or__", a, kw)?;
    if reflected {
        set_binary(vm, op, &o, s)
    } else {
        set_binary(vm, op, s, &o)
    }
}

pub static SET_METHODS: &[MethodDef] = &[
    MethodDef::method("add", m_add, "Add an element to a set.\n\nThis has no effect if the element is already present."),
    MethodDef::method("clear", m_clear, "Remove all elements from this set."),
    MethodDef::method("copy", m_copy, "Return a shallow copy of a set."),
    MethodDef::method("discard", m_discard, "Remove an element from a set if it is a member.\n\nUnlike set.remove(), the discard() method does not raise\nan exception when an element is missing from the set."),
    MethodDef::method("remove", m_remove, "Remove an element from a set; it must be a member.\n\nIf the element is not a member, raise a KeyError."),
    MethodDef::method("pop", m_pop, "Remove and return an arbitrary set element.\nRaises KeyError if the set is empty."),
    MethodDef::method("union", m_union, "Return the union of sets as a new set.\n\n(i.e. all elements that are in either set.)"),
    MethodDef::method("update", m_update, "Update a set with the union of itself and others."),
    MethodDef::method("intersection", m_intersection, "Return the intersection of two sets as a new set.\n\n(i.e. all elements that are in both sets.)"),
    MethodDef::method("intersection_update", m_intersection_update, "Update a set with the intersection of itself and another."),
    MethodDef::method("difference", m_difference, "Return the difference of two or more sets as a new set.\n\n(i.e. all elements that are in this set but not the others.)"),
    MethodDef::method("difference_update", m_difference_update, "Remove all elements of another set from this set."),
    MethodDef::method("symmetric_difference", m_symmetric_difference, "Return the symmetric difference of two sets as a new set.\n\n(i.e. all elements that are in exactly one of the sets.)"),
    MethodDef::method("symmetric_difference_update", m_symmetric_difference_update, "Update a set with the symmetric difference of itself and another."),
    MethodDef::method("issubset", m_issubset, "Report whether another set contains this set."),
    MethodDef::method("issuperset", m_issuperset, "Report whether this set contains another set."),
    MethodDef::method("isdisjoint", m_isdisjoint, "Return True if two sets have a null intersection."),
    MethodDef::method("__contains__", m_contains, "x.__contains__(y) <==> y in x."),
    MethodDef::method("__len__", m_len, "Return len(self)."),
    MethodDef::method("__iter__", m_iter, "Implement iter(self)."),
    MethodDef::method("__reduce__", m_reduce, "Return state information for pickling."),
    MethodDef::method("__init__", m_init, "Initialize self.  See help(type(self)) for accurate signature."),
    MethodDef::method("__ior__", |vm, s, a, kw| inplace(vm, s, a, kw, BinaryOp::Or), "Return self|=value."),
    MethodDef::method("__iand__", |vm, s, a, kw| inplace(vm, s, a, kw, BinaryOp::And), "Return self&=value."),
    MethodDef::method("__isub__", |vm, s, a, kw| inplace(vm, s, a, kw, BinaryOp::Subtract), "Return self-=value."),
    MethodDef::method("__ixor__", |vm, s, a, kw| inplace(vm, s, a, kw, BinaryOp::Xor), "Return self^=value."),
    MethodDef::method("__or__", |vm, s, a, kw| binary_method(vm, s, a, kw, BinaryOp::Or, false), "Return self|value."),
    MethodDef::method("__and__", |vm, s, a, kw| binary_method(vm, s, a, kw, BinaryOp::And, false), "Return self&value."),
    MethodDef::method("__sub__", |vm, s, a, kw| binary_method(vm, s, a, kw, BinaryOp::Subtract, false), "Return self-value."),
    MethodDef::method("__xor__", |vm, s, a, kw| binary_method(vm, s, a, kw, BinaryOp::Xor, false), "Return self^value."),
    MethodDef::method("__ror__", |vm, s, a, kw| binary_method(vm, s, a, kw, BinaryOp::Or, true), "Return value|self."),
    MethodDef::method("__rand__", |vm, s, a, kw| binary_method(vm, s, a, kw, BinaryOp::And, true), "Return value&self."),
    MethodDef::method("__rsub__", |vm, s, a, kw| binary_method(vm, s, a, kw, BinaryOp::Subtract, true), "Return value-self."),
    MethodDef::method("__rxor__", |vm, s, a, kw| binary_method(vm, s, a, kw, BinaryOp::Xor, true), "Return value^self."),
];

/// `set.__reduce__()`: `(type(self), (list(self),), self.__getstate__())`.
fn m_reduce(vm: &Vm, s: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    crate::native::exact::<0>(vm, "__reduce__", args, kw)?;
    let items = new_list(vm, set_items(s));
    let dict = match crate::classes::getattr_opt(vm, s, &vm.intern("__getstate__"))? {
        Some(f) => crate::classes::call_object(vm, &f, &[])?,
        None => vm.none.clone(),
    };
    Ok(new_tuple(vm, vec![crate::types::type_of(s), new_tuple(vm, vec![items]), dict]))
}

pub static FROZENSET_METHODS: &[MethodDef] = &[
    MethodDef::method("__reduce__", m_reduce, "Return state information for pickling."),
    MethodDef::method("copy", m_copy, "Return a shallow copy of a set."),
    MethodDef::method("union", m_union, "Return the union of sets as a new set.\n\n(i.e. all elements that are in either set.)"),
    MethodDef::method(
        "intersection",
        m_intersection,
        "Return the intersection of two sets as a new set.\n\n(i.e. all elements that are in both sets.)",
    ),
    MethodDef::method(
        "difference",
        m_difference,
        "Return the difference of two or more sets as a new set.\n\n(i.e. all elements that are in this set but not the others.)",
    ),
    MethodDef::method(
        "symmetric_difference",
        m_symmetric_difference,
        "Return the symmetric difference of two sets as a new set.\n\n(i.e. all elements that are in exactly one of the sets.)",
    ),
    MethodDef::method("issubset", m_issubset, "Report whether another set contains this set."),
    MethodDef::method("issuperset", m_issuperset, "Report whether this set contains another set."),
    MethodDef::method("isdisjoint", m_isdisjoint, "Return True if two sets have a null intersection."),
    MethodDef::method("__contains__", m_contains, "x.__contains__(y) <==> y in x."),
    MethodDef::method("__len__", m_len, "Return len(self)."),
    MethodDef::method("__iter__", m_iter, "Implement iter(self)."),
    MethodDef::method("__or__", |vm, s, a, kw| binary_method(vm, s, a, kw, BinaryOp::Or, false), "Return self|value."),
    MethodDef::method("__and__", |vm, s, a, kw| binary_method(vm, s, a, kw, BinaryOp::And, false), "Return self&value."),
    MethodDef::method("__sub__", |vm, s, a, kw| binary_method(vm, s, a, kw, BinaryOp::Subtract, false), "Return self-value."),
    MethodDef::method("__xor__", |vm, s, a, kw| binary_method(vm, s, a, kw, BinaryOp::Xor, false), "Return self^value."),
];

// ----- iterator -----

pub struct SetIterData {
    set: RefCell<Option<Obj>>,
    pos: Cell<usize>,
    used: Cell<Option<usize>>,
    remaining: Cell<usize>,
}

pub fn set_iterator_slots() -> Slots {
    Slots {
        iter: Some(|_, o| Ok(o.clone())),
        next: Some(set_iter_next),
        // The iterated set can hold the iterator (a cycle).
        traverse: Some(|o, visit| {
            if let Some(s) = o.downcast::<SetIterData>().and_then(|i| i.set.try_borrow().ok()) {
                if let Some(s) = &*s {
                    visit(s);
                }
            }
        }),
        clear: Some(|o| {
            let old = o.downcast::<SetIterData>().and_then(|i| i.set.try_borrow_mut().ok().and_then(|mut s| s.take()));
            drop(old);
        }),
        ..object_slots()
    }
}

fn set_iter_next(vm: &Vm, o: &Obj) -> PyResult<Option<Obj>> {
    let Some(it) = o.downcast::<SetIterData>() else { return Ok(None) };
    let Some(s) = it.set.borrow().clone() else { return Ok(None) };
    let d = data(&s);
    if it.used.get() != Some(d.len()) {
        it.used.set(None);
        return Err(vm.new_error(&vm.types.runtime_error, "Set changed size during iteration"));
    }
    let found = {
        let t = d.table.borrow();
        let mut i = it.pos.get();
        while i < t.slots.len() && !matches!(t.slots[i], Slot::Active { .. }) {
            i += 1;
        }
        it.pos.set(i + 1);
        match t.slots.get(i) {
            Some(Slot::Active { key, .. }) => Some(key.clone()),
            _ => None,
        }
    };
    if found.is_none() {
        *it.set.borrow_mut() = None;
    } else {
        it.remaining.set(it.remaining.get().saturating_sub(1));
    }
    Ok(found)
}

/// `__reduce__`: `(iter, (list of the items left,))`, read from a copy
/// of the iterator.
fn set_iter_reduce(vm: &Vm, s: &Obj, a: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    crate::native::exact::<0>(vm, "__reduce__", a, kw)?;
    let mut items = Vec::new();
    if let Some(it) = s.downcast::<SetIterData>() {
        let copy = alloc(
            type_of(s),
            SetIterData {
                set: RefCell::new(it.set.borrow().clone()),
                pos: Cell::new(it.pos.get()),
                used: Cell::new(it.used.get()),
                remaining: Cell::new(it.remaining.get()),
            },
        );
        while let Some(x) = set_iter_next(vm, &copy)? {
            items.push(x);
        }
    }
    crate::types::iterators::reduce_iter(vm, new_list(vm, items), None)
}

pub static SET_ITER_METHODS: &[MethodDef] = &[
    MethodDef::method("__reduce__", set_iter_reduce, "Return state information for pickling."),
    MethodDef::method(
        "__length_hint__",
        |vm, s, a, kw| {
            exact::<0>(vm, "__length_hint__", a, kw)?;
            let n = match s.downcast::<SetIterData>() {
                Some(it) => match &*it.set.borrow() {
                    Some(set) if it.used.get() == Some(set_len(set)) => it.remaining.get(),
                    _ => 0,
                },
                None => 0,
            };
            Ok(vm.int(n as i64))
        },
        "Private method returning an estimate of len(list(it)).",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_int_order_matches_cpython() {
        // CPython: list({100, 7, 3, 12, 64, 1}) == [64, 1, 3, 100, 7, 12]
        let vm = Vm::new();
        let s = new_set(&vm, [100, 7, 3, 12, 64, 1].iter().map(|&i| vm.int(i)).collect()).unwrap();
        let got: Vec<i64> = set_items(&s)
            .iter()
            .map(|k| match k.downcast::<IntData>() {
                Some(IntData::Small(v)) => *v,
                _ => -1,
            })
            .collect();
        assert_eq!(got, vec![64, 1, 3, 100, 7, 12]);
    }

    #[test]
    fn frozenset_hash_matches_cpython() {
        // CPython 3.11: hash(frozenset()) == 133146708735736,
        // hash(frozenset({1, 2, 3})) == -272375401224217160
        assert_eq!(frozenset_hash_of(std::iter::empty()), 133146708735736);
        assert_eq!(frozenset_hash_of([1, 2, 3].into_iter()), -272375401224217160);
    }
}
