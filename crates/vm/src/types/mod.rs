//! Type objects: the payload of `type` instances, the slot table the eval
//! loop dispatches through, method resolution orders and attribute lookup
//! along them, and the version tag that caches key on.

pub mod buffer;
pub mod builtin;
pub mod bytearray;
pub mod bytes;
pub mod bytes_format;
pub mod complex;
pub mod container;
pub mod dict;
pub mod exceptions;
pub mod float;
pub mod genericalias;
pub mod int;
pub mod iterators;
pub mod list;
pub mod memoryview;
pub mod namespace;
pub mod object;
pub mod picklebuffer;
pub mod range;
pub mod set;
pub mod slice;
pub mod str;
pub mod str_format;
pub mod structseq;
pub mod tuple;

use self::builtin as builtin_types;

use std::cell::{Cell, RefCell};

use crate::native::GetSetDef;
use crate::object::{InstanceLayout, Obj};
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::{BinaryOp, CompareOp};

/// What `type` instances hold. `#[repr(C)]` and `instances` first: the
/// object layer finds instance layouts there (see `object::raw`).
#[repr(C)]
pub struct TypeData {
    pub instances: InstanceLayout,
    pub name: Box<str>,
    /// Direct bases, in order (a `RefCell`: `cls.__bases__ = ...`).
    pub bases: RefCell<Vec<Obj>>,
    /// C3 linearisation, starting with the type itself.
    pub mro: RefCell<Vec<Obj>>,
    /// The type's own attributes (`__dict__`), in definition order.
    pub dict: RefCell<AttrMap>,
    /// The version tag: a number no other type state ever had (taken from
    /// a global counter), replaced by [`type_modified`] whenever the type's
    /// attributes or MRO change, or those of one of its bases. Attribute
    /// caches key on it alone: an unchanged tag means the same type in the
    /// same state.
    pub version: Cell<u64>,
    /// MRO lookups by name object ([`lookup_name`]), valid for `version`.
    pub lookup_cache: RefCell<LookupCache>,
    /// A `Cell`: assigning a dunder to a class (`C.__eq__ = f`, as
    /// `functools.total_ordering` and `dataclasses` do) updates them.
    pub slots: Cell<Slots>,
    /// `__qualname__` (classes defined in Python; `name` otherwise).
    pub qualname: RefCell<Option<Obj>>,
    /// `__name__` as assigned to a class (`C.__name__ = 'D'`); `name`
    /// keeps the name it was created with.
    pub assigned_name: RefCell<Option<Obj>>,
    /// Classes deriving directly from this one (`__subclasses__()`), in
    /// creation order: weak references to classes (CPython's
    /// `tp_subclasses`), so that the list does not keep them alive. Read
    /// and changed through [`subclasses`], [`add_subclass`] and
    /// [`remove_subclass`].
    pub subclasses: RefCell<SubclassList>,
    /// Instances have a `__dict__` (false for built-in types and for
    /// classes whose MRO declares `__slots__` without `__dict__`).
    pub instance_dict: Cell<bool>,
    /// Number of `__slots__` member slots of instances, bases included.
    pub member_slots: Cell<usize>,
    /// `__abstractmethods__` is set and non-empty (instantiation fails).
    pub is_abstract: Cell<bool>,
    /// Classes cannot derive from it (CPython's type without
    /// `Py_TPFLAGS_BASETYPE`); see [`is_final_type`].
    pub is_final: Cell<bool>,
    /// Instances can be weakly referenced (CPython's `tp_weaklistoffset`);
    /// only types whose instances have a GC head may set it.
    pub weakrefable: Cell<bool>,
    /// What a `match` statement treats instances as (CPython's
    /// `Py_TPFLAGS_SEQUENCE`/`Py_TPFLAGS_MAPPING`).
    pub collection: Cell<Collection>,
}

/// A type's pattern-matching kind: inherited from the first class in the
/// MRO that has one, set by `collections.abc`'s `__abc_tpflags__` and
/// `register`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Collection {
    #[default]
    Neither,
    Sequence,
    Mapping,
}

/// Gives a new type the collection kind of the first class in its MRO
/// that has one (CPython's `inherit_patma_flags`).
pub fn inherit_collection(ty: &Obj) {
    let t = type_data(ty);
    if t.collection.get() != Collection::Neither {
        return;
    }
    let found = t.mro.borrow().iter().skip(1).map(|b| type_data(b).collection.get()).find(|c| *c != Collection::Neither);
    if let Some(c) = found {
        t.collection.set(c);
    }
}

/// Slot function signatures.
pub type UnaryFn = fn(&Vm, &Obj) -> PyResult<Obj>;
pub type BinaryFn = fn(&Vm, BinaryOp, &Obj, &Obj) -> PyResult<Obj>;
pub type CompareFn = fn(&Vm, CompareOp, &Obj, &Obj) -> PyResult<Obj>;
/// A call with positional arguments (also the builtin-function signature
/// with the callee dropped).
pub type CallFn = fn(&Vm, &Obj, &[Obj], Kwargs) -> PyResult<Obj>;
/// Keyword arguments of a call: (name, value) pairs in call order.
pub type Kwargs<'a> = &'a [(Obj, Obj)];
pub type NextFn = fn(&Vm, &Obj) -> PyResult<Option<Obj>>;
/// `descr.__get__(obj, owner)`; `obj` is `None` for access through the class.
pub type DescrGetFn = fn(&Vm, &Obj, Option<&Obj>, &Obj) -> PyResult<Obj>;
/// `descr.__set__(obj, value)` (`Some`) or `descr.__delete__(obj)` (`None`).
pub type DescrSetFn = fn(&Vm, &Obj, &Obj, Option<Obj>) -> PyResult<()>;
pub type GetattroFn = fn(&Vm, &Obj, &Obj) -> PyResult<Obj>;
/// Sets (`Some`) or deletes (`None`) an attribute.
pub type SetattroFn = fn(&Vm, &Obj, &Obj, Option<Obj>) -> PyResult<()>;

/// A type's traverse function (CPython's `tp_traverse`): calls the visitor
/// on each object the payload holds a strong reference to. It must only
/// borrow: never drop a reference, never run Python code (see
/// `object::gc`).
pub type TraverseFn = fn(&Obj, &mut dyn FnMut(&Obj));
/// A type's clear function (`tp_clear`): drops the references that can
/// close a cycle (with `try_borrow_mut`: never panics on a busy cell).
pub type ClearFn = fn(&Obj);

/// The operations a type implements natively (CPython's `tp_*` and
/// `nb_*` slots). `None` falls back to the base types' slots or the
/// generic behaviour.
#[derive(Clone, Copy, Default)]
pub struct Slots {
    pub repr: Option<UnaryFn>,
    pub str: Option<UnaryFn>,
    pub hash: Option<fn(&Vm, &Obj) -> PyResult<i64>>,
    pub bool: Option<fn(&Vm, &Obj) -> PyResult<bool>>,
    /// Binary arithmetic; returns `NotImplemented` for operand types it
    /// does not handle (both operand orders reach it, as in CPython).
    pub binary: Option<BinaryFn>,
    /// Unary arithmetic (`nb_negative`, `nb_positive`, `nb_invert`,
    /// `nb_absolute`): `-x`, `+x`, `~x`, `abs(x)`.
    pub negative: Option<UnaryFn>,
    pub positive: Option<UnaryFn>,
    pub invert: Option<UnaryFn>,
    pub absolute: Option<UnaryFn>,
    pub compare: Option<CompareFn>,
    pub call: Option<CallFn>,
    /// Creates an instance (`cls(*args)`); the callee is the class.
    pub new: Option<CallFn>,
    /// Initialises a new instance (`__init__`); the callee is the instance,
    /// the result is ignored.
    pub init: Option<CallFn>,
    pub iter: Option<UnaryFn>,
    /// `None` when exhausted.
    pub next: Option<NextFn>,
    /// Attribute access (`tp_getattro`); `None` is the generic
    /// `object.__getattribute__` (`classes::generic_getattr`).
    pub getattro: Option<GetattroFn>,
    pub setattro: Option<SetattroFn>,
    /// The type's instances are descriptors (`tp_descr_get`/`tp_descr_set`);
    /// a type with `descr_set` makes data descriptors.
    pub descr_get: Option<DescrGetFn>,
    pub descr_set: Option<DescrSetFn>,
    /// The class defines binary operators in Python (`__add__`, ...):
    /// `ops::binary_op` dispatches through `classes::binary_dispatch`.
    pub python_binary: bool,
    /// The cycle collector's view of the payload (`object::gc::traverse`
    /// adds the type and `__dict__` of class instances); `None` for
    /// payloads without references (the collector treats them as leaves).
    pub traverse: Option<TraverseFn>,
    pub clear: Option<ClearFn>,
    /// Runs before an instance is freed (`tp_finalize`: `__del__`); it
    /// reports its own errors as unraisable.
    pub finalize: Option<fn(&Vm, &Obj)>,
    /// Where a native type's instances keep their `__dict__` (CPython's
    /// `tp_dictoffset`): `functools.partial`, `_lru_cache_wrapper`. Not
    /// inherited: subclasses defined in Python have their own.
    pub dict: Option<DictSlotFn>,
    /// The type exports a buffer (CPython's `tp_as_buffer`) for types
    /// outside the core (`array.array`): `bytes(x)`, `memoryview(x)` and
    /// every bytes-like argument (`builtin::as_buffer`) read it.
    pub buffer: Option<&'static BufferProcs>,
}

/// A native type's buffer export (see `Slots::buffer`): one-dimensional,
/// C-contiguous items of one struct format character.
pub struct BufferProcs {
    /// The item format (`'B'`, `'i'`, `'d'`, ...) and the item size.
    pub format: fn(&Obj) -> (char, usize),
    /// A copy of the exported bytes.
    pub read: fn(&Obj) -> Vec<u8>,
    /// Writes `data` at byte `offset` (within the current length);
    /// `None` for read-only exporters.
    pub write: Option<fn(&Obj, usize, &[u8])>,
    /// Whether this exporter is read-only although its type can write
    /// (an `mmap` opened with `ACCESS_READ`); `None`: decided by `write`.
    pub readonly: Option<fn(&Obj) -> bool>,
    /// Refuses an export with an error (CPython's failing `bf_getbuffer`:
    /// a closed `mmap`); run by `memoryview(x)`, `bytes(x)` and
    /// `bytearray(x)` through `bytes::check_export`.
    pub check: Option<fn(&Vm, &Obj) -> PyResult<()>>,
    /// A view was taken (`+1`) or released (`-1`): while views exist the
    /// exporter refuses to resize ("cannot resize an array that is
    /// exporting buffers").
    pub exports: fn(&Obj, isize),
    /// A full exporter (`_testbuffer.ndarray`): answers `get_buffer`
    /// requests itself (shape, strides, suboffsets, its own errors);
    /// the central code then counts the export through `release`.
    pub getbuffer: Option<GetBufferFn>,
    /// Counts the exports of a `getbuffer` exporter: the view's
    /// `internal` tag and `+1` (taken) or `-1` (released).
    pub release: Option<fn(&Obj, usize, isize)>,
}

impl BufferProcs {
    /// Whether `o` refuses writes through its buffer.
    pub fn is_readonly(&self, o: &Obj) -> bool {
        self.write.is_none() || self.readonly.is_some_and(|f| f(o))
    }

    /// The write procedure, when `o` accepts writes.
    pub fn writer(&self, o: &Obj) -> Option<fn(&Obj, usize, &[u8])> {
        if self.is_readonly(o) {
            None
        } else {
            self.write
        }
    }
}

/// `BufferProcs::getbuffer`: the exporter's answer to a `PyBUF_*` request.
pub type GetBufferFn = fn(&Vm, &Obj, u32) -> PyResult<crate::types::buffer::BufferView>;

/// The `__dict__` cell of a native payload (see `Slots::dict`).
pub type DictSlotFn = for<'a> fn(&'a Obj) -> Option<&'a RefCell<Option<Obj>>>;

/// An insertion-ordered map from attribute names to values.
#[derive(Default)]
pub struct AttrMap {
    entries: Vec<(Box<str>, Obj)>,
}

impl AttrMap {
    pub fn get(&self, name: &str) -> Option<&Obj> {
        self.entries.iter().find(|(k, _)| &**k == name).map(|(_, v)| v)
    }

    pub fn insert(&mut self, name: &str, value: Obj) {
        drop(self.insert_returning(name, value));
    }

    /// Inserts, handing back the value replaced (for the caller to drop
    /// outside any borrow: dropping may run arbitrary code).
    pub fn insert_returning(&mut self, name: &str, value: Obj) -> Option<Obj> {
        match self.entries.iter_mut().find(|(k, _)| &**k == name) {
            Some(e) => Some(std::mem::replace(&mut e.1, value)),
            None => {
                self.entries.push((name.into(), value));
                None
            }
        }
    }

    pub fn remove(&mut self, name: &str) -> Option<Obj> {
        let i = self.entries.iter().position(|(k, _)| &**k == name)?;
        Some(self.entries.remove(i).1)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Obj)> {
        self.entries.iter().map(|(k, v)| (&**k, v))
    }
}

impl TypeData {
    pub fn new(name: &str, instances: InstanceLayout, bases: Vec<Obj>, slots: Slots) -> TypeData {
        TypeData {
            instances,
            name: name.into(),
            bases: RefCell::new(bases),
            mro: RefCell::new(Vec::new()),
            dict: RefCell::new(AttrMap::default()),
            version: Cell::new(next_type_version()),
            lookup_cache: RefCell::new(LookupCache::default()),
            slots: Cell::new(slots),
            qualname: RefCell::new(None),
            assigned_name: RefCell::new(None),
            subclasses: RefCell::new(SubclassList::default()),
            instance_dict: Cell::new(false),
            member_slots: Cell::new(0),
            is_abstract: Cell::new(false),
            is_final: Cell::new(false),
            weakrefable: Cell::new(false),
            collection: Cell::new(Collection::Neither),
        }
    }
}

/// The `TypeData` of a type object.
pub fn type_data(ty: &Obj) -> &TypeData {
    match ty.downcast::<TypeData>() {
        Some(t) => t,
        None => unreachable!("not a type object"),
    }
}

/// The type of `obj`, as a new reference.
pub fn type_of(obj: &Obj) -> Obj {
    // SAFETY: every object's type pointer is a live type object.
    unsafe { Obj::from_borrowed(obj.type_ptr()) }
}

/// The `TypeData` of `obj`'s type, borrowed for as long as `obj` lives.
pub fn type_data_of(obj: &Obj) -> &TypeData {
    match obj.type_payload::<TypeData>() {
        Some(t) => t,
        None => unreachable!("an object's type is a type object"),
    }
}

/// Whether `sub` is `sup` or derives from it (walks the MRO).
pub fn is_subtype(sub: &Obj, sup: &Obj) -> bool {
    sub.is(sup) || type_data(sub).mro.borrow().iter().any(|t| t.is(sup))
}

thread_local! {
    static NEXT_TYPE_VERSION: Cell<u64> = const { Cell::new(1) };
}

/// A version tag no type has had yet.
pub fn next_type_version() -> u64 {
    NEXT_TYPE_VERSION.with(|c| {
        let v = c.get() + 1;
        c.set(v);
        v
    })
}

/// An entry of a type's subclass list.
pub enum Subclass {
    /// A built-in type (immortal: a strong reference costs nothing).
    Static(Obj),
    /// A class, through a basic weak reference (the one `weakref.ref(cls)`
    /// returns, as in CPython).
    Weak(Obj),
}

impl Subclass {
    /// The subclass, if it is still alive.
    pub fn get(&self) -> Option<Obj> {
        match self {
            Subclass::Static(t) => Some(t.clone()),
            Subclass::Weak(w) => w.downcast::<crate::weakref::WeakRefData>().and_then(|d| d.get()),
        }
    }

    fn is(&self, ty: &Obj) -> bool {
        match self {
            Subclass::Static(t) => t.is(ty),
            Subclass::Weak(w) => w.downcast::<crate::weakref::WeakRefData>().is_some_and(|d| d.referent.get() == ty.as_ptr() as usize),
        }
    }

    fn alive(&self) -> bool {
        match self {
            Subclass::Static(_) => true,
            Subclass::Weak(w) => w.downcast::<crate::weakref::WeakRefData>().is_some_and(|d| d.referent.get() != 0),
        }
    }
}

/// A type's direct subclasses ([`TypeData::subclasses`]). Entries of
/// classes that died stay until the list is pruned, which happens when
/// an addition finds it has doubled since the last pruning (so creating
/// classes stays amortised constant time).
#[derive(Default)]
pub struct SubclassList {
    entries: Vec<Subclass>,
    /// Length after the last pruning.
    pruned_len: usize,
}

impl SubclassList {
    /// The subclasses still alive, in order.
    pub fn live(&self) -> impl Iterator<Item = Obj> + '_ {
        self.entries.iter().filter_map(Subclass::get)
    }

    /// Number of entries, dead ones included.
    pub fn raw_len(&self) -> usize {
        self.entries.len()
    }

    fn push(&mut self, entry: Subclass) -> Vec<Subclass> {
        let mut dead = Vec::new();
        if self.entries.len() >= 8 && self.entries.len() >= 2 * self.pruned_len {
            let (keep, gone): (Vec<Subclass>, Vec<Subclass>) = std::mem::take(&mut self.entries).into_iter().partition(Subclass::alive);
            self.entries = keep;
            self.pruned_len = self.entries.len();
            dead = gone;
        }
        self.entries.push(entry);
        dead
    }
}

/// The live direct subclasses of `ty`, in CPython's order (creation, or
/// the latest `__bases__` assignment).
pub fn subclasses(ty: &Obj) -> Vec<Obj> {
    match type_data(ty).subclasses.try_borrow() {
        Ok(s) => s.live().collect(),
        Err(_) => Vec::new(),
    }
}

/// Records `sub` as a direct subclass of `base`: weakly for a class (a
/// basic weakref; strongly if its metatype refuses weak references),
/// strongly for a built-in type.
pub fn add_subclass(vm: &Vm, base: &Obj, sub: &Obj) {
    let entry = if type_data(sub).instances.owns_type {
        match crate::weakref::new_ref(vm, sub) {
            Ok(w) => Subclass::Weak(w),
            Err(_) => Subclass::Static(sub.clone()),
        }
    } else {
        Subclass::Static(sub.clone())
    };
    add_subclass_entry(base, entry);
}

/// [`add_subclass`] for the built-in types made before weak references
/// exist (they are immortal).
pub(crate) fn add_static_subclass(base: &Obj, sub: &Obj) {
    add_subclass_entry(base, Subclass::Static(sub.clone()));
}

fn add_subclass_entry(base: &Obj, entry: Subclass) {
    // Pruned entries are dropped outside the borrow.
    let dead = match type_data(base).subclasses.try_borrow_mut() {
        Ok(mut s) => s.push(entry),
        Err(_) => vec![entry],
    };
    drop(dead);
}

/// Forgets `sub` as a direct subclass of `base` (`__bases__` assignment).
pub fn remove_subclass(base: &Obj, sub: &Obj) {
    let gone = match type_data(base).subclasses.try_borrow_mut() {
        Ok(mut s) => {
            let (keep, gone): (Vec<Subclass>, Vec<Subclass>) =
                std::mem::take(&mut s.entries).into_iter().partition(|e| !e.is(sub) && e.alive());
            s.entries = keep;
            s.pruned_len = s.entries.len();
            gone
        }
        Err(_) => Vec::new(),
    };
    drop(gone);
}

/// Records that `ty`'s attributes (its dict) or MRO changed: `ty` and every
/// class deriving from it get fresh version tags, which invalidates their
/// lookup caches and every inline cache keyed on their old tags. Whoever
/// mutates `TypeData::dict` or `TypeData::mro` must call this afterwards.
pub fn type_modified(ty: &Obj) {
    let mut todo = vec![ty.clone()];
    while let Some(t) = todo.pop() {
        let Some(td) = t.downcast::<TypeData>() else { continue };
        td.version.set(next_type_version());
        // Dropped outside the borrow (dropping may run code).
        let old = td.lookup_cache.try_borrow_mut().map(|mut c| std::mem::take(&mut *c)).ok();
        if let Ok(subs) = td.subclasses.try_borrow() {
            todo.extend(subs.live());
        }
        drop(old);
    }
}

/// Number of entries of a type's lookup cache (direct-mapped by the name
/// object's address).
const LOOKUP_CACHE_SIZE: usize = 32;

/// A type's cache of MRO lookups: (name object, result) pairs,
/// direct-mapped by the name's address, valid while the type's version
/// tag equals `version`. Holding the name keeps its address from being
/// reused; the results are also held by the dicts along the MRO, and the
/// collector sees them through the type (`type_traverse`).
#[derive(Default)]
pub struct LookupCache {
    version: u64,
    entries: Vec<Option<(Obj, Option<Obj>)>>,
    /// The same for lookups by Rust text ([`lookup`]), direct-mapped by a
    /// cheap hash of the text and checked by comparing it.
    by_text: Vec<Option<(Box<str>, Option<Obj>)>>,
}

impl LookupCache {
    /// Starts over for `version` if the cache was for another one,
    /// handing back the stale entries (to be dropped outside the borrow).
    fn renew(&mut self, version: u64) -> LookupCache {
        if self.version == version {
            return LookupCache::default();
        }
        let old = std::mem::take(self);
        self.version = version;
        old
    }

    fn values(&self) -> impl Iterator<Item = &Obj> {
        let a = self.entries.iter().flatten().filter_map(|(_, v)| v.as_ref());
        let b = self.by_text.iter().flatten().filter_map(|(_, v)| v.as_ref());
        a.chain(b)
    }
}

#[inline(always)]
fn text_slot(name: &str) -> usize {
    let b = name.as_bytes();
    let h = match b {
        [] => 0,
        [.., last] => {
            b.len().wrapping_mul(31) ^ (b[0] as usize).wrapping_mul(7) ^ (*last as usize).wrapping_mul(131) ^ b[b.len() / 2] as usize
        }
    };
    (h ^ (h >> 5)) % LOOKUP_CACHE_SIZE
}

#[inline(always)]
fn lookup_slot(name: &Obj) -> usize {
    let a = name.as_ptr() as usize;
    ((a >> 4) ^ (a >> 10)) % LOOKUP_CACHE_SIZE
}

/// [`lookup`] with the name as a str object, through the type's lookup
/// cache (CPython's method cache): names from code objects are interned,
/// so a repeated lookup is one pointer comparison.
pub fn lookup_name(ty: &Obj, name: &Obj) -> Option<Obj> {
    let td = type_data(ty);
    let slot = lookup_slot(name);
    if let Ok(c) = td.lookup_cache.try_borrow() {
        if c.version == td.version.get() {
            if let Some(Some((k, v))) = c.entries.get(slot) {
                if k.is(name) {
                    return v.clone();
                }
            }
        }
    }
    let v = match name.downcast::<builtin_types::StrData>() {
        Some(s) => lookup_uncached(ty, &s.as_str()),
        None => None,
    };
    let old = match td.lookup_cache.try_borrow_mut() {
        Ok(mut c) => {
            let stale = c.renew(td.version.get());
            if c.entries.is_empty() {
                c.entries = vec![None; LOOKUP_CACHE_SIZE];
            }
            let replaced = c.entries[slot].replace((name.clone(), v.clone()));
            Some((stale, replaced))
        }
        Err(_) => None,
    };
    drop(old);
    v
}

/// Looks `name` up along the MRO of type `ty` (CPython's `_PyType_Lookup`),
/// through the type's lookup cache.
pub fn lookup(ty: &Obj, name: &str) -> Option<Obj> {
    let td = type_data(ty);
    let slot = text_slot(name);
    if let Ok(c) = td.lookup_cache.try_borrow() {
        if c.version == td.version.get() {
            if let Some(Some((k, v))) = c.by_text.get(slot) {
                if **k == *name {
                    return v.clone();
                }
            }
        }
    }
    let v = lookup_uncached(ty, name);
    let old = match td.lookup_cache.try_borrow_mut() {
        Ok(mut c) => {
            let stale = c.renew(td.version.get());
            if c.by_text.is_empty() {
                c.by_text = vec![None; LOOKUP_CACHE_SIZE];
            }
            let replaced = c.by_text[slot].replace((name.into(), v.clone()));
            Some((stale, replaced))
        }
        Err(_) => None,
    };
    drop(old);
    v
}

/// The MRO walk itself.
fn lookup_uncached(ty: &Obj, name: &str) -> Option<Obj> {
    for t in type_data(ty).mro.borrow().iter() {
        if let Some(v) = type_data(t).dict.borrow().get(name) {
            return Some(v.clone());
        }
    }
    None
}

/// Puts the method and attribute tables of the built-in types in their
/// dicts.
pub(crate) fn install_methods(vm: &Vm) {
    use crate::native::{add_getsets, add_methods};
    let t = &vm.types;
    add_methods(vm, &t.list, builtin_types::LIST_METHODS);
    add_methods(vm, &t.module, crate::modules::MODULE_METHODS);
    add_getsets(vm, &t.module, crate::modules::MODULE_GETSETS);
    add_methods(vm, &t.tuple, builtin_types::TUPLE_METHODS);
    add_methods(vm, &t.range, range::RANGE_METHODS);
    crate::native::add_getsets(vm, &t.range, range::RANGE_GETSETS);
    add_methods(vm, &t.set, builtin_types::SET_METHODS);
    add_methods(vm, &t.frozenset, builtin_types::FROZENSET_METHODS);
    for view in [&t.dict_keys, &t.dict_values, &t.dict_items] {
        add_methods(vm, view, builtin_types::DICT_VIEW_METHODS);
        add_getsets(vm, view, builtin_types::DICT_VIEW_GETSETS);
    }
    add_methods(vm, &t.dict_keys, builtin_types::DICT_SET_VIEW_METHODS);
    add_methods(vm, &t.dict_items, builtin_types::DICT_SET_VIEW_METHODS);
    for it in [
        &t.dict_keyiterator,
        &t.dict_valueiterator,
        &t.dict_itemiterator,
        &t.dict_reversekeyiterator,
        &t.dict_reversevalueiterator,
        &t.dict_reverseitemiterator,
    ] {
        add_methods(vm, it, builtin_types::DICT_ITER_METHODS);
    }
    add_methods(vm, &t.list_iterator, builtin_types::LIST_ITER_METHODS);
    add_methods(vm, &t.bytes_iterator, crate::types::bytes::BYTES_ITER_METHODS);
    add_methods(vm, &t.bytearray_iterator, crate::types::bytes::BYTES_ITER_METHODS);
    add_methods(vm, &t.list_reverseiterator, builtin_types::LIST_ITER_METHODS);
    add_methods(vm, &t.tuple_iterator, builtin_types::TUPLE_ITER_METHODS);
    add_methods(vm, &t.set_iterator, builtin_types::SET_ITER_METHODS);
    add_methods(vm, &t.mappingproxy, builtin_types::MAPPINGPROXY_METHODS);
    // Mutable containers are unhashable: `__hash__` is None, as in CPython.
    for ty in [&t.list, &t.dict, &t.set, &t.bytearray, &t.dict_keys, &t.dict_values, &t.dict_items, &t.mappingproxy] {
        type_data(ty).dict.borrow_mut().insert("__hash__", vm.none.clone());
        type_modified(ty);
    }
    add_methods(vm, &t.str_, builtin_types::STR_METHODS);
    add_methods(vm, &t.dict, builtin_types::DICT_METHODS);
    add_methods(vm, &t.int, builtin_types::INT_DUNDERS);
    add_methods(vm, &t.int, builtin_types::INT_INVERT);
    add_methods(vm, &t.int, builtin_types::INT_METHODS);
    add_getsets(vm, &t.int, builtin_types::INT_GETSETS);
    add_methods(vm, &t.float, builtin_types::FLOAT_DUNDERS);
    add_methods(vm, &t.float, builtin_types::FLOAT_METHODS);
    add_getsets(vm, &t.float, builtin_types::FLOAT_GETSETS);
    add_methods(vm, &t.complex, complex::COMPLEX_DUNDERS);
    add_methods(vm, &t.complex, complex::COMPLEX_METHODS);
    for ty in [&t.int, &t.float, &t.complex, &t.str_] {
        add_methods(vm, ty, crate::format::FORMAT_METHODS);
    }
    // The shared `number_dunders` table declares every operator: floats
    // have no bitwise ones, complex numbers no `//` or `%` either.
    const BITWISE: [&str; 10] =
        ["__lshift__", "__rlshift__", "__rshift__", "__rrshift__", "__and__", "__rand__", "__or__", "__ror__", "__xor__", "__rxor__"];
    for n in BITWISE {
        type_data(&t.float).dict.borrow_mut().remove(n);
        type_data(&t.complex).dict.borrow_mut().remove(n);
    }
    for n in ["__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__divmod__", "__rdivmod__"] {
        type_data(&t.complex).dict.borrow_mut().remove(n);
    }
    add_getsets(vm, &t.complex, complex::COMPLEX_GETSETS);
    add_methods(vm, &t.generator, crate::generator::GENERATOR_METHODS);
    add_getsets(vm, &t.generator, crate::generator::GENERATOR_GETSETS);
    add_getsets(vm, &t.coroutine, crate::generator::COROUTINE_GETSETS);
    add_getsets(vm, &t.async_generator, crate::generator::ASYNC_GENERATOR_GETSETS);
    add_methods(vm, &t.coroutine, crate::generator::GENERATOR_METHODS);
    add_methods(vm, &t.coroutine, crate::generator::COROUTINE_METHODS);
    add_methods(vm, &t.coroutine_wrapper, crate::generator::CORO_WRAPPER_METHODS);
    add_methods(vm, &t.async_generator, crate::generator::ASYNC_GENERATOR_METHODS);
    for ty in [&t.async_generator_asend, &t.async_generator_athrow] {
        add_methods(vm, ty, crate::generator::AWAITABLE_METHODS);
    }
    add_getsets(vm, &t.function, crate::function::FUNCTION_GETSETS);
    add_getsets(vm, &t.cell, crate::function::CELL_GETSETS);
    type_data(&t.cell).dict.borrow_mut().insert("__hash__", vm.none.clone());
    add_getsets(vm, &t.builtin_function, crate::function::BUILTIN_FUNCTION_GETSETS);
    add_getsets(vm, &t.builtin_method, crate::native::BOUND_NATIVE_GETSETS);
    add_methods(vm, &t.builtin_function, crate::function::BUILTIN_FUNCTION_METHODS);
    add_methods(vm, &t.method, crate::classes::METHOD_METHODS);
    add_methods(vm, &t.method_descriptor, crate::native::METHOD_DESCR_METHODS);
    add_getsets(vm, &t.method_descriptor, crate::native::METHOD_DESCR_GETSETS);
    add_getsets(vm, &t.classmethod_descriptor, crate::native::METHOD_DESCR_GETSETS);
    add_getsets(vm, &t.getset_descriptor, crate::native::GETSET_DESCR_GETSETS);
    add_methods(vm, &t.ellipsis, crate::types::object::ELLIPSIS_METHODS);
    add_methods(vm, &t.not_implemented, crate::types::object::NOT_IMPLEMENTED_METHODS);
    add_methods(vm, &t.builtin_method, crate::native::BOUND_NATIVE_METHODS);
    add_getsets(vm, &t.code, crate::function::CODE_GETSETS);
    add_methods(vm, &t.code, crate::function::CODE_METHODS);
    add_methods(vm, &t.bytes, bytes::SHARED_METHODS);
    add_methods(vm, &t.bytes, bytes::BYTES_METHODS);
    add_methods(vm, &t.bytearray, bytes::SHARED_METHODS);
    add_methods(vm, &t.bytearray, bytearray::BYTEARRAY_METHODS);
    add_methods(vm, &t.memoryview, memoryview::MEMORYVIEW_METHODS);
    add_getsets(vm, &t.memoryview, memoryview::MEMORYVIEW_GETSETS);
    add_methods(vm, &t.str_, crate::codecs::STR_CODEC_METHODS);
    add_getsets(vm, &t.type_, TYPE_GETSETS);
    exceptions::install_exception_methods(vm);
    add_methods(vm, &t.slice, slice::SLICE_METHODS);
    for ty in [&t.enumerate, &t.filter, &t.map, &t.zip, &t.reversed, &t.callable_iterator, &t.seq_iterator] {
        add_methods(vm, ty, iterators::ITER_METHODS);
    }
    for ty in [&t.enumerate, &t.filter, &t.map, &t.callable_iterator] {
        add_methods(vm, ty, iterators::REDUCE_METHODS);
    }
    add_methods(vm, &t.zip, iterators::ZIP_METHODS);
    add_methods(vm, &t.range_iterator, range::RANGE_ITER_METHODS);
    add_methods(vm, &t.reversed, iterators::SEQ_REDUCE_METHODS);
    add_methods(vm, &t.seq_iterator, iterators::SEQ_REDUCE_METHODS);
    add_getsets(vm, &t.slice, slice::SLICE_GETSETS);
    add_methods(vm, &t.type_, crate::classes::TYPE_METHODS);
    add_methods(vm, &t.object, builtin_types::OBJECT_METHODS);
    add_methods(vm, &t.object, crate::reduce::REDUCE_METHODS);
    add_getsets(vm, &t.object, builtin_types::OBJECT_GETSETS);
    crate::descriptors::install(vm);
    genericalias::install(vm);
    crate::native::set_type_doc(
        vm,
        &t.object,
        "object()\n--\n\nThe base class of the class hierarchy.\n\nWhen called, it accepts no arguments and returns a new featureless\ninstance that has no instance attributes and cannot be given any.\n",
    );
}

static TYPE_GETSETS: &[crate::native::GetSetDef] = &[
    GetSetDef::new(
        "__name__",
        |vm, t| match &*type_data(t).assigned_name.borrow() {
            Some(n) => Ok(n.clone()),
            None => Ok(builtin_types::new_str(vm, short_name(t))),
        },
        crate::classes::type_set_name,
        "",
    ),
    GetSetDef::new("__qualname__", |vm, t| Ok(qualname(vm, t)), crate::classes::type_set_qualname, ""),
    GetSetDef::new(
        "__module__",
        |vm, t| match type_data(t).dict.borrow().get("__module__") {
            // A built-in type's own dict may hold a descriptor under the
            // name (`type.__dict__['__module__']`): only text counts there.
            Some(q) if type_data(t).instances.owns_type || q.downcast::<builtin_types::StrData>().is_some() => Ok(q.clone()),
            _ => match type_data(t).name.rsplit_once('.') {
                Some((module, _)) if !type_data(t).instances.owns_type => Ok(vm.intern(module)),
                _ => Ok(vm.intern("builtins")),
            },
        },
        |vm, t, v| crate::classes::type_set_special(vm, t, "__module__", v),
        "",
    ),
    GetSetDef::new(
        "__bases__",
        |vm, t| Ok(builtin_types::new_tuple(vm, type_data(t).bases.borrow().clone())),
        crate::classes::type_set_bases,
        "",
    ),
    GetSetDef::readonly("__base__", |vm, t| Ok(crate::classes::type_base(vm, t)), ""),
    GetSetDef::readonly("__mro__", |vm, t| Ok(builtin_types::new_tuple(vm, type_data(t).mro.borrow().clone())), ""),
    GetSetDef::new(
        "__doc__",
        |vm, t| {
            let d = type_data(t).dict.borrow().get("__doc__").cloned();
            match d {
                // A descriptor in the class dict (a property) gets the class.
                Some(d) => match type_data_of(&d).slots.get().descr_get {
                    Some(get) if type_data(t).instances.owns_type => get(vm, &d, None, t),
                    // A built-in type's docstring may open with its text
                    // signature (`native::split_doc`).
                    _ if d.downcast::<builtin_types::StrData>().is_some() => {
                        let text = builtin_types::str_data(&d).as_str().into_owned();
                        match crate::native::split_doc(&type_data(t).name, &text) {
                            (Some(_), rest) => Ok(builtin_types::new_str(vm, rest)),
                            (None, _) => Ok(d),
                        }
                    }
                    _ => Ok(d),
                },
                None => Ok(vm.none.clone()),
            }
        },
        |vm, t, v| crate::classes::type_set_special(vm, t, "__doc__", v),
        "",
    ),
    GetSetDef::readonly(
        "__text_signature__",
        |vm, t| {
            let d = type_data(t).dict.borrow().get("__doc__").cloned();
            match d.filter(|d| d.downcast::<builtin_types::StrData>().is_some()) {
                Some(d) => Ok(crate::native::text_signature_attr(vm, &type_data(t).name, &builtin_types::str_data(&d).as_str())),
                None => Ok(vm.none.clone()),
            }
        },
        "",
    ),
    GetSetDef::readonly("__flags__", |vm, t| Ok(vm.int(type_flags(vm, t))), ""),
    GetSetDef::new("__abstractmethods__", crate::classes::type_get_abstract, crate::classes::type_set_abstract, ""),
    GetSetDef::readonly(
        "__dict__",
        |vm, t| {
            // A read-only mappingproxy over a snapshot (CPython's proxy is
            // live; the class namespace here is not a dict).
            let d = builtin_types::new_dict(vm);
            let items: Vec<(Box<str>, Obj)> = type_data(t).dict.borrow().iter().map(|(k, v)| (k.into(), v.clone())).collect();
            for (k, v) in items {
                builtin_types::dict_set(vm, &d, vm.intern(&k), v)?;
            }
            Ok(crate::object::alloc(vm.types.mappingproxy.clone(), builtin_types::MappingProxyData { mapping: d }))
        },
        "",
    ),
];

/// Built-in types that cannot be subclassed (CPython's types without
/// `Py_TPFLAGS_BASETYPE`).
const FINAL_TYPES: &[&str] = &[
    "bool",
    "NoneType",
    "NotImplementedType",
    "ellipsis",
    "function",
    "method",
    "range",
    "slice",
    "memoryview",
    "code",
    "cell",
    "frame",
    "generator",
    "coroutine",
    "async_generator",
    "builtin_function_or_method",
    "method-wrapper",
    "wrapper_descriptor",
    "method_descriptor",
    "classmethod_descriptor",
    "getset_descriptor",
    "member_descriptor",
    "mappingproxy",
    "traceback",
    "UnionType",
    "types.UnionType",
];

/// Whether Python classes cannot derive from `t`: a built-in final type,
/// or a native type marked `is_final`.
pub fn is_final_type(t: &Obj) -> bool {
    let td = type_data(t);
    td.is_final.get() || (!td.instances.owns_type && FINAL_TYPES.contains(&&*td.name))
}

/// `cls.__flags__`: CPython's `tp_flags` bits that Taipan's types can
/// state (heap type, base type, GC, abstract, the fast subclass bits).
pub fn type_flags(vm: &Vm, t: &Obj) -> i64 {
    let td = type_data(t);
    let ty = &vm.types;
    let heap = td.instances.owns_type;
    let mut f: i64 = 1 << 12; // READY
    if heap {
        f |= 1 << 9;
        if td.instance_dict.get() {
            f |= 1 << 4; // MANAGED_DICT
        }
    } else {
        f |= (1 << 8) | (1 << 19); // IMMUTABLETYPE, VALID_VERSION_TAG
    }
    if !is_final_type(t) {
        f |= 1 << 10; // BASETYPE
    }
    if td.instances.has_gc() {
        f |= 1 << 14;
    }
    if td.is_abstract.get() {
        f |= 1 << 20;
    }
    if is_subtype(t, &ty.list) || is_subtype(t, &ty.tuple) {
        f |= 1 << 5; // SEQUENCE
    }
    if is_subtype(t, &ty.dict) {
        f |= 1 << 6; // MAPPING
    }
    let subclass_bits = [
        (&ty.int, 24),
        (&ty.list, 25),
        (&ty.tuple, 26),
        (&ty.bytes, 27),
        (&ty.str_, 28),
        (&ty.dict, 29),
        (&ty.base_exception, 30),
        (&ty.type_, 31),
    ];
    for (base, bit) in subclass_bits {
        if is_subtype(t, base) {
            f |= 1 << bit;
        }
    }
    f
}

/// A built-in type's `__name__`: its name after the module prefix
/// (`weakref.ReferenceType` -> `ReferenceType`), as CPython derives it
/// from `tp_name`.
fn short_name(t: &Obj) -> &str {
    let td = type_data(t);
    match td.name.rsplit_once('.') {
        Some((_, n)) if !td.instances.owns_type => n,
        _ => &td.name,
    }
}

/// `cls.__qualname__` as a str object.
pub fn qualname(vm: &Vm, ty: &Obj) -> Obj {
    match &*type_data(ty).qualname.borrow() {
        Some(q) => q.clone(),
        None => builtin_types::new_str(vm, short_name(ty)),
    }
}

/// `type`'s own slots: calling a class makes an instance (`type.__call__`:
/// `__new__` then `__init__`); `type(x)` gives the type of `x`.
pub fn type_slots() -> Slots {
    Slots {
        repr: Some(|vm, o| {
            let t = type_data(o);
            if !t.instances.owns_type {
                // A built-in type: its full `tp_name` (`weakref.ReferenceType`).
                return Ok(builtin_types::new_str(vm, &format!("<class '{}'>", t.name)));
            }
            let module = t.dict.borrow().get("__module__").cloned();
            let q = qualname(vm, o);
            let qualname = builtin_types::str_data(&q).as_str().into_owned();
            match module {
                Some(m) if m.downcast::<builtin_types::StrData>().is_some() && builtin_types::str_data(&m).as_str() != "builtins" => {
                    Ok(builtin_types::new_str(vm, &format!("<class '{}.{qualname}'>", builtin_types::str_data(&m).as_str())))
                }
                _ => Ok(builtin_types::new_str(vm, &format!("<class '{qualname}'>"))),
            }
        }),
        getattro: Some(crate::classes::type_getattro),
        setattro: Some(crate::classes::type_setattro),
        call: Some(crate::classes::type_call),
        new: Some(crate::classes::type_new_slot),
        init: Some(crate::classes::type_init),
        traverse: Some(type_traverse),
        clear: Some(type_clear),
        binary: Some(genericalias::union_or),
        ..builtin_types::object_slots()
    }
}

/// C3 linearisation of `ty` from its bases' MROs; `None` if inconsistent.
pub fn c3_mro(ty: &Obj, bases: &[Obj]) -> Option<Vec<Obj>> {
    c3_merge(ty, bases).ok()
}

/// C3 linearisation, or the classes it could not order (the heads of the
/// sequences left to merge, for CPython's error message).
pub fn c3_merge(ty: &Obj, bases: &[Obj]) -> Result<Vec<Obj>, Vec<Obj>> {
    let mut seqs: Vec<Vec<Obj>> = bases.iter().map(|b| type_data(b).mro.borrow().clone()).collect();
    seqs.push(bases.to_vec());
    let mut out = vec![ty.clone()];
    loop {
        seqs.retain(|s| !s.is_empty());
        if seqs.is_empty() {
            return Ok(out);
        }
        // The first head that is in no other sequence's tail.
        let Some(head) = seqs.iter().map(|s| s[0].clone()).find(|h| !seqs.iter().any(|s| s[1..].iter().any(|x| x.is(h)))) else {
            let mut heads: Vec<Obj> = Vec::new();
            for s in &seqs {
                if !heads.iter().any(|h| h.is(&s[0])) {
                    heads.push(s[0].clone());
                }
            }
            return Err(heads);
        };
        for s in seqs.iter_mut() {
            if s[0].is(&head) {
                s.remove(0);
            }
        }
        out.push(head);
    }
}

/// A type's references for the collector: bases, MRO, attributes.
fn type_traverse(t: &Obj, visit: &mut dyn FnMut(&Obj)) {
    let Some(td) = t.downcast::<TypeData>() else { return };
    if let Ok(bases) = td.bases.try_borrow() {
        for b in bases.iter() {
            visit(b);
        }
    }
    if let Ok(mro) = td.mro.try_borrow() {
        for m in mro.iter() {
            visit(m);
        }
    }
    if let Ok(d) = td.dict.try_borrow() {
        for (_, v) in d.iter() {
            visit(v);
        }
    }
    if let Ok(c) = td.lookup_cache.try_borrow() {
        for v in c.values() {
            visit(v);
        }
    }
}

/// Breaks cycles through a class: its attributes and its MRO (which
/// starts with the class itself) go; lookups on it then find nothing.
fn type_clear(t: &Obj) {
    let Some(td) = t.downcast::<TypeData>() else { return };
    let old = td.dict.try_borrow_mut().map(|mut d| std::mem::take(&mut *d)).ok();
    let mro = td.mro.try_borrow_mut().map(|mut m| std::mem::take(&mut *m)).ok();
    type_modified(t);
    drop(old);
    drop(mro);
}
