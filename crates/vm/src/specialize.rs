//! The eval loop's inline caches (PEP 659's specialisation, without
//! rewriting the instruction): each instruction with cache words owns a
//! `CacheEntry` in its code object (`CodeData::caches`, indexed by the
//! instruction's position). An entry records what the generic path found
//! the last time and the version tags under which that still holds; a hit
//! skips the generic protocol, a miss takes it and re-specialises.
//!
//! What each kind is keyed on (all tags are globally unique, so a tag
//! equal to the cached one means the same object in the same state):
//! - `LoadGlobal`: the globals dict's keys version (and, for a builtin,
//!   the builtins dict's) plus the entry index of the name.
//! - `LoadAttr`/`LoadMethod`/`StoreAttr` on instances: the type's version
//!   tag (`types::type_modified` replaces it on any change to the type or
//!   a base), which fixes the MRO lookup's result: no class attribute
//!   (the value lives in the instance dict; `index` remembers its entry
//!   position, checked by key identity), or a class attribute that is
//!   not a data descriptor (shadowed by the instance dict, which is
//!   checked on every hit).
//! - Module attributes: the module type's version and the module dict's
//!   keys version.
//! - Class attributes (`C.x`): the class's and its metatype's versions.

use std::cell::Cell;

use crate::classes::{attr_ext, InstanceExt, MethodData};
use crate::descriptors::MemberData;
use crate::function::{CacheEntry, FunctionData};
use crate::modules::ModuleData;
use crate::object::{alloc, Obj};
use crate::shape;
use crate::types::builtin::{dict_data, dict_get, dict_lookup_index, dict_set, str_data};
use crate::types::{is_subtype, lookup_name, type_data_of, type_of, TypeData};
use crate::vm::Vm;
use crate::PyResult;

const GLOBAL_MODULE: u32 = 1;
const GLOBAL_BUILTIN: u32 = 2;

/// Kinds of `LoadAttr`/`LoadMethod`/`StoreAttr` entries.
const ATTR_GENERIC: u32 = 1;
const ATTR_INSTANCE: u32 = 2;
/// A class attribute that is a Python function or a method descriptor:
/// bound (or, for `LoadMethod`, pushed unbound with the instance).
const ATTR_METHOD: u32 = 3;
/// A class attribute without `__get__`: the value itself.
const ATTR_CLASS_VALUE: u32 = 4;
const ATTR_MODULE: u32 = 5;
/// An attribute of a class (`C.x`) that is not a descriptor.
const ATTR_TYPE_VALUE: u32 = 6;
/// A store that adds an attribute to an instance (see `store_attr`).
const ATTR_ADD: u32 = 7;
/// A `__slots__` member (a member descriptor of the class that applies to
/// the type): `index` is the member's slot in `InstanceExt::members`.
const ATTR_MEMBER: u32 = 8;

/// The member slot of `a` when it is a `__slots__` member descriptor
/// usable on instances of `ty` (for stores: a writable one).
fn member_index(vm: &Vm, a: &Obj, ty: &Obj, store: bool) -> Option<u32> {
    if !std::ptr::eq(a.type_ptr(), vm.types.member_descriptor.as_ptr()) {
        return None;
    }
    let m = a.downcast::<MemberData>()?;
    if (store && m.readonly) || !is_subtype(ty, &m.owner) {
        return None;
    }
    index_u32(m.index)
}

fn index_u32(ix: usize) -> Option<u32> {
    u32::try_from(ix).ok()
}

/// `LoadGlobal`: `name` in the globals, then the builtins.
#[inline]
pub(crate) fn load_global(vm: &Vm, c: &Cell<CacheEntry>, globals: &Obj, name: &Obj) -> PyResult<Option<Obj>> {
    let e = c.get();
    let g = dict_data(globals);
    if e.tag == g.keys_version() {
        if e.kind == GLOBAL_MODULE {
            if let Some(v) = g.value_at(e.index as usize) {
                return Ok(Some(v));
            }
        } else if e.kind == GLOBAL_BUILTIN {
            let b = dict_data(&vm.builtins);
            if e.tag2 == b.keys_version() {
                if let Some(v) = b.value_at(e.index as usize) {
                    return Ok(Some(v));
                }
            }
        }
    }
    load_global_miss(vm, c, globals, name)
}

#[cold]
fn load_global_miss(vm: &Vm, c: &Cell<CacheEntry>, globals: &Obj, name: &Obj) -> PyResult<Option<Obj>> {
    if !std::ptr::eq(globals.type_ptr(), vm.types.dict.as_ptr()) {
        // A dict subclass as globals: its `__getitem__` runs, KeyError
        // meaning absent (CPython's slow path); nothing is cached.
        if let Some(v) = crate::eval::mapping_get(vm, globals, name)? {
            return Ok(Some(v));
        }
        return crate::eval::mapping_get(vm, &builtins_of(vm, globals)?, name);
    }
    if let Some((ix, v)) = dict_lookup_index(vm, globals, name)? {
        if let Some(index) = index_u32(ix) {
            c.set(CacheEntry { tag: dict_data(globals).keys_version(), tag2: 0, index, kind: GLOBAL_MODULE });
        }
        return Ok(Some(v));
    }
    let builtins = builtins_of(vm, globals)?;
    if !builtins.is(&vm.builtins) {
        // Other builtins (`exec(code, {'__builtins__': {...}})`) are not
        // cached: the entry's tags only cover the interpreter's own. Any
        // mapping (or object) is subscripted.
        return crate::eval::mapping_get(vm, &builtins, name);
    }
    if let Some((ix, v)) = dict_lookup_index(vm, &vm.builtins, name)? {
        if let Some(index) = index_u32(ix) {
            let (tag, tag2) = (dict_data(globals).keys_version(), dict_data(&vm.builtins).keys_version());
            c.set(CacheEntry { tag, tag2, index, kind: GLOBAL_BUILTIN });
        }
        return Ok(Some(v));
    }
    Ok(None)
}

/// The builtins namespace of code running with `globals`
/// (`_PyEval_BuiltinsFromGlobals`): `globals['__builtins__']` (a module
/// gives its dict), else the interpreter's `builtins`. Any other value is
/// used as it is: lookups subscript it (`{'__builtins__': 123}` makes
/// `print` a TypeError).
pub fn builtins_of(vm: &Vm, globals: &Obj) -> PyResult<Obj> {
    if globals.downcast::<crate::types::builtin::DictData>().is_none() {
        return Ok(vm.builtins.clone());
    }
    let name = vm.builtins_name.get_or_init(|| vm.intern("__builtins__"));
    let Some(b) = crate::types::builtin::dict_get(vm, globals, name)? else { return Ok(vm.builtins.clone()) };
    if let Some(m) = b.downcast::<ModuleData>() {
        return Ok(m.dict.clone());
    }
    Ok(b)
}

/// `tag2` of instance entries whose instance is in dict mode (shape ids
/// are addresses, never this).
const DICT_MODE: u64 = u64::MAX;
/// `tag2` that matches no instance state.
const NO_SHAPE: u64 = u64::MAX - 1;

/// The instance's own dict, if it is in dict mode.
#[inline]
fn own_dict(ext: &InstanceExt) -> Option<Obj> {
    ext.dict.borrow().clone()
}

/// Whether the instance has its own `name` (which then shadows a non-data
/// class attribute). The entry's `tag2` remembers a shape known not to
/// have it.
#[inline]
fn shadowed(vm: &Vm, c: &Cell<CacheEntry>, e: CacheEntry, obj: &Obj, td: &TypeData, name: &Obj) -> PyResult<bool> {
    // Objects keeping a `__dict__` elsewhere (exceptions, functions,
    // modules' instances) are searched there.
    let Some(ext) = attr_ext(obj, td) else { return Ok(crate::classes::own_attr(vm, obj, name)?.is_some()) };
    if let Some(s) = ext.shape.get() {
        if s.id() == e.tag2 {
            return Ok(false);
        }
        if s.index_of(name).is_some() {
            return Ok(true);
        }
        c.set(CacheEntry { tag2: s.id(), ..e });
        return Ok(false);
    }
    match own_dict(ext) {
        Some(d) => Ok(dict_get(vm, &d, name)?.is_some()),
        None => Ok(false),
    }
}

/// An instance attribute load whose entry did not match the instance's
/// state: looks it up and re-keys the entry.
#[cold]
fn instance_miss(vm: &Vm, c: &Cell<CacheEntry>, e: CacheEntry, ext: &InstanceExt, name: &Obj) -> PyResult<Option<Obj>> {
    if let Some(s) = ext.shape.get() {
        let Some(i) = s.index_of(name) else { return Ok(None) };
        if let Some(index) = index_u32(i) {
            c.set(CacheEntry { tag2: s.id(), index, ..e });
        }
        return Ok(ext.values.borrow().get(i).cloned());
    }
    let Some(d) = own_dict(ext) else { return Ok(None) };
    if let Some((ix, v)) = dict_lookup_index(vm, &d, name)? {
        if let Some(index) = index_u32(ix) {
            c.set(CacheEntry { tag2: DICT_MODE, index, ..e });
        }
        return Ok(Some(v));
    }
    Ok(None)
}

/// The result of a specialised attribute load: a value, or a method with
/// its instance (not bound yet).
pub(crate) enum Loaded {
    Value(Obj),
    Method(Obj),
}

/// The cached fast paths shared by `LoadAttr` and `LoadMethod`; `None`
/// sends the caller down the generic path.
#[inline]
fn load_hit(vm: &Vm, e: CacheEntry, c: &Cell<CacheEntry>, obj: &Obj, name: &Obj) -> PyResult<Option<Loaded>> {
    let td = type_data_of(obj);
    if e.tag != td.version.get() {
        return Ok(None);
    }
    match e.kind {
        ATTR_INSTANCE => {
            let Some(ext) = attr_ext(obj, td) else { return Ok(None) };
            if let Some(s) = ext.shape.get() {
                if s.id() == e.tag2 {
                    if let Some(v) = ext.values.borrow().get(e.index as usize) {
                        return Ok(Some(Loaded::Value(v.clone())));
                    }
                }
            } else if e.tag2 == DICT_MODE {
                if let Some(d) = own_dict(ext) {
                    if let Some(v) = dict_data(&d).value_at_if_key(e.index as usize, name) {
                        return Ok(Some(Loaded::Value(v)));
                    }
                }
            }
            Ok(instance_miss(vm, c, e, ext, name)?.map(Loaded::Value))
        }
        ATTR_METHOD | ATTR_CLASS_VALUE => {
            if shadowed(vm, c, e, obj, td, name)? {
                return Ok(None);
            }
            match lookup_name(&type_of(obj), name) {
                Some(f) if e.kind == ATTR_METHOD => Ok(Some(Loaded::Method(f))),
                Some(v) => Ok(Some(Loaded::Value(v))),
                None => Ok(None),
            }
        }
        ATTR_MEMBER => {
            let Some(ext) = obj.instance_ext() else { return Ok(None) };
            // An unset member: the generic path raises.
            let v = ext.members.borrow().get(e.index as usize).cloned().flatten();
            Ok(v.map(Loaded::Value))
        }
        ATTR_MODULE => {
            let Some(m) = obj.downcast::<ModuleData>() else { return Ok(None) };
            let d = dict_data(&m.dict);
            if d.keys_version() == e.tag2 {
                return Ok(d.value_at(e.index as usize).map(Loaded::Value));
            }
            Ok(None)
        }
        ATTR_TYPE_VALUE => {
            let Some(cls) = obj.downcast::<TypeData>() else { return Ok(None) };
            if cls.version.get() != e.tag2 {
                return Ok(None);
            }
            Ok(lookup_name(obj, name).map(Loaded::Value))
        }
        _ => Ok(None),
    }
}

/// What the generic path would do with `obj.name`, as a cache entry to
/// remember (after the generic path ran, so that the tags read are
/// those of the current state).
fn specialise_load(vm: &Vm, obj: &Obj, name: &Obj) -> PyResult<CacheEntry> {
    let td = type_data_of(obj);
    let generic = CacheEntry { tag: td.version.get(), tag2: 0, index: 0, kind: ATTR_GENERIC };
    let getattro = td.slots.get().getattro;
    if getattro.is_none() {
        let ty = type_of(obj);
        return Ok(match lookup_name(&ty, name) {
            // The value can only be in the instance dict (where the hit
            // path looks, trying the remembered position first).
            None => {
                let (tag2, index) = match attr_ext(obj, td) {
                    Some(ext) => match (ext.shape.get(), own_dict(ext)) {
                        (Some(s), _) => match s.index_of(name).and_then(index_u32) {
                            Some(i) => (s.id(), i),
                            // Not an attribute of this shape: no id to match.
                            None => (NO_SHAPE, 0),
                        },
                        (None, Some(d)) => (DICT_MODE, dict_lookup_index(vm, &d, name)?.and_then(|(ix, _)| index_u32(ix)).unwrap_or(0)),
                        (None, None) => (NO_SHAPE, 0),
                    },
                    None => (NO_SHAPE, 0),
                };
                CacheEntry { tag2, index, kind: ATTR_INSTANCE, ..generic }
            }
            Some(a) => {
                let at = type_data_of(&a);
                let s = at.slots.get();
                let is_method = (a.downcast::<FunctionData>().is_some() && std::ptr::eq(a.type_ptr(), vm.types.function.as_ptr()))
                    || std::ptr::eq(a.type_ptr(), vm.types.method_descriptor.as_ptr());
                if is_method {
                    CacheEntry { kind: ATTR_METHOD, ..generic }
                } else if let Some(index) = member_index(vm, &a, &ty, false) {
                    CacheEntry { index, kind: ATTR_MEMBER, ..generic }
                } else if s.descr_get.is_none() {
                    CacheEntry { kind: ATTR_CLASS_VALUE, ..generic }
                } else {
                    generic
                }
            }
        });
    }
    if let Some(m) = obj.downcast::<ModuleData>() {
        if getattro.is_some_and(|g| std::ptr::fn_addr_eq(g, crate::modules::module_getattro as crate::types::GetattroFn)) {
            if let Some((ix, _)) = dict_lookup_index(vm, &m.dict, name)? {
                if let Some(index) = index_u32(ix) {
                    return Ok(CacheEntry { tag2: dict_data(&m.dict).keys_version(), index, kind: ATTR_MODULE, ..generic });
                }
            }
        }
        return Ok(generic);
    }
    if let Some(cls) = obj.downcast::<TypeData>() {
        // `C.x` where neither the metatype nor the class gives `x` a
        // `__get__` (the metatype's version covers its data descriptors).
        if getattro.is_some_and(|g| std::ptr::fn_addr_eq(g, crate::classes::type_getattro as crate::types::GetattroFn)) {
            let meta = type_of(obj);
            let in_meta = lookup_name(&meta, name);
            let meta_plain = in_meta.as_ref().is_none_or(|a| {
                let s = type_data_of(a).slots.get();
                s.descr_get.is_none() && s.descr_set.is_none()
            });
            if let (true, Some(v)) = (meta_plain, lookup_name(obj, name)) {
                if type_data_of(&v).slots.get().descr_get.is_none() {
                    return Ok(CacheEntry { tag2: cls.version.get(), kind: ATTR_TYPE_VALUE, ..generic });
                }
            }
        }
    }
    Ok(generic)
}

/// How many entries an attribute instruction owns: its own cell and those
/// of its two cache words (`Opcode::cache_words` of `LoadAttr`,
/// `LoadMethod`, `StoreAttr`), so a site that sees up to three types
/// (subclasses sharing a method, as in richards' tasks) stays specialised
/// for all of them (a polymorphic inline cache).
pub(crate) const ATTR_WAYS: usize = 3;

/// The entries of the attribute instruction at `here` (fewer when the
/// code is too short to hold them: then fewer types are remembered).
#[inline(always)]
pub(crate) fn attr_entries(caches: &[Cell<CacheEntry>], here: usize) -> &[Cell<CacheEntry>] {
    match caches.get(here..here + ATTR_WAYS) {
        Some(c) => c,
        None => caches.get(here..here + 1).unwrap_or(&[]),
    }
}

/// Makes `e` the first of the entries, moving the others down one (the
/// oldest falls out).
fn remember(cs: &[Cell<CacheEntry>], e: CacheEntry) {
    for i in (1..cs.len()).rev() {
        cs[i].set(cs[i - 1].get());
    }
    if let Some(c) = cs.first() {
        c.set(e);
    }
}

/// The entry for `obj`'s type and its cell: a cached one whose tag matches,
/// else a new one worked out from the type's lookup cache (it replaces
/// the oldest entry).
#[inline(always)]
fn entry_for<'c>(vm: &Vm, cs: &'c [Cell<CacheEntry>], obj: &Obj, name: &Obj) -> PyResult<(CacheEntry, Option<&'c Cell<CacheEntry>>)> {
    let version = type_data_of(obj).version.get();
    for c in cs {
        let e = c.get();
        if e.tag == version && e.kind != 0 {
            return Ok((e, Some(c)));
        }
    }
    entry_miss(vm, cs, obj, name)
}

#[cold]
#[inline(never)]
fn entry_miss<'c>(vm: &Vm, cs: &'c [Cell<CacheEntry>], obj: &Obj, name: &Obj) -> PyResult<(CacheEntry, Option<&'c Cell<CacheEntry>>)> {
    let e = specialise_load(vm, obj, name)?;
    remember(cs, e);
    Ok((e, cs.first()))
}

/// The commonest hit, inlined into the loop: an instance attribute in
/// the slot the entry remembers for the instance's shape (`e` matched the
/// type's version already).
#[inline(always)]
fn instance_hit(e: CacheEntry, obj: &Obj) -> Option<Obj> {
    if e.kind != ATTR_INSTANCE {
        return None;
    }
    let ext = attr_ext(obj, type_data_of(obj))?;
    if ext.shape.get()?.id() != e.tag2 {
        return None;
    }
    let v = ext.values.try_borrow().ok()?.get(e.index as usize).cloned();
    v
}

/// `LoadAttr`: `obj.name`.
#[inline]
pub(crate) fn load_attr(vm: &Vm, cs: &[Cell<CacheEntry>], obj: &Obj, name: &Obj) -> PyResult<Obj> {
    let (e, c) = entry_for(vm, cs, obj, name)?;
    if let Some(v) = instance_hit(e, obj) {
        return Ok(v);
    }
    if let (true, Some(c)) = (e.kind > ATTR_GENERIC, c) {
        match load_hit(vm, e, c, obj, name)? {
            Some(Loaded::Value(v)) => return Ok(v),
            Some(Loaded::Method(f)) => return bind(vm, f, obj),
            None => {}
        }
    }
    crate::classes::getattr(vm, obj, name)
}

/// A class's function (or method descriptor) bound to `obj`, as its
/// `__get__` would.
fn bind(vm: &Vm, f: Obj, obj: &Obj) -> PyResult<Obj> {
    if f.downcast::<FunctionData>().is_some() {
        return Ok(alloc(vm.types.method.clone(), MethodData { func: f, self_: obj.clone() }));
    }
    match type_data_of(&f).slots.get().descr_get {
        Some(get) => get(vm, &f, Some(obj), &type_of(obj)),
        None => Ok(f),
    }
}

/// `LoadMethod`: `(function, Some(obj))` for a method found on the class
/// (called with `obj` as first argument, no bound method made), else
/// `(obj.name, None)`.
#[inline]
pub(crate) fn load_method(vm: &Vm, cs: &[Cell<CacheEntry>], obj: &Obj, name: &Obj) -> PyResult<(Obj, bool)> {
    let (e, c) = entry_for(vm, cs, obj, name)?;
    if let Some(v) = instance_hit(e, obj) {
        return Ok((v, false));
    }
    if let (true, Some(c)) = (e.kind > ATTR_GENERIC, c) {
        match load_hit(vm, e, c, obj, name)? {
            Some(Loaded::Value(v)) => return Ok((v, false)),
            Some(Loaded::Method(f)) => return Ok((f, true)),
            None => {}
        }
    }
    Ok((crate::classes::getattr(vm, obj, name)?, false))
}

/// `StoreAttr`: `obj.name = v`. Entries of kind `ATTR_INSTANCE` replace
/// slot `index` of shape `tag2` (or, with `DICT_MODE`, dict entry
/// `index`); `ATTR_ADD` entries add the attribute to an instance of shape
/// `tag2` (0: none yet), following the shape's transition for `name`.
#[inline]
pub(crate) fn store_attr(vm: &Vm, cs: &[Cell<CacheEntry>], obj: &Obj, name: &Obj, v: Obj) -> PyResult<()> {
    let td = type_data_of(obj);
    let version = td.version.get();
    let found = cs.iter().find(|c| {
        let e = c.get();
        e.tag == version && e.kind != 0
    });
    let (c, mut e) = match found {
        Some(c) => (c, c.get()),
        None => {
            // Make room in the first cell (re-keyed below).
            let Some(first) = cs.first() else { return crate::classes::setattr(vm, obj, name, v) };
            remember(cs, CacheEntry::default());
            (first, CacheEntry::default())
        }
    };
    if e.tag != version || e.kind == 0 {
        // Another type: whether it stores in the instance too.
        e = CacheEntry { tag: td.version.get(), tag2: 0, index: 0, kind: ATTR_GENERIC };
        let found = lookup_name(&type_of(obj), name);
        if let Some(index) = found.as_ref().and_then(|a| member_index(vm, a, &type_of(obj), true)) {
            if td.slots.get().setattro.is_none() {
                e.kind = ATTR_MEMBER;
                e.index = index;
            }
        } else if td.slots.get().setattro.is_none()
            && td.instance_dict.get()
            && str_data(name).value.as_bytes() != b"__dict__"
            && found.is_none_or(|a| type_data_of(&a).slots.get().descr_set.is_none())
        {
            e.kind = ATTR_INSTANCE;
            e.tag2 = NO_SHAPE;
        }
        c.set(e);
    }
    if e.kind == ATTR_MEMBER {
        if let Some(ext) = obj.instance_ext() {
            let mut members = ext.members.borrow_mut();
            let ix = e.index as usize;
            if members.len() <= ix {
                members.resize(ix + 1, None);
            }
            let old = members[ix].replace(v);
            drop(members);
            drop(old);
            return Ok(());
        }
    }
    if e.kind == ATTR_INSTANCE || e.kind == ATTR_ADD {
        if let Some(ext) = attr_ext(obj, td) {
            let shape = ext.shape.get();
            let state = match shape {
                Some(s) => s.id(),
                None if ext.dict.borrow().is_some() => DICT_MODE,
                None => 0,
            };
            if state == e.tag2 {
                if state == DICT_MODE {
                    if let Some(d) = own_dict(ext) {
                        match dict_data(&d).replace_at_if_key(e.index as usize, name, v) {
                            Ok(old) => {
                                drop(old);
                                return Ok(());
                            }
                            Err(v) => {
                                dict_set(vm, &d, name.clone(), v)?;
                                // Remember where the name is for the next instance.
                                if let Some(index) = dict_lookup_index(vm, &d, name)?.and_then(|(ix, _)| index_u32(ix)) {
                                    c.set(CacheEntry { index, ..e });
                                }
                                return Ok(());
                            }
                        }
                    }
                } else if e.kind == ATTR_INSTANCE {
                    let mut values = ext.values.borrow_mut();
                    if let Some(slot) = values.get_mut(e.index as usize) {
                        let old = std::mem::replace(slot, v);
                        drop(values);
                        drop(old);
                        return Ok(());
                    }
                } else if let Some(next) = shape.unwrap_or(vm.shapes.root).transition_by_identity(name) {
                    let mut values = ext.values.borrow_mut();
                    if values.len() == e.index as usize {
                        values.push(v);
                        drop(values);
                        ext.shape.set(Some(next));
                        return Ok(());
                    }
                }
            }
            return store_miss(vm, c, e, ext, name, v);
        }
    }
    crate::classes::setattr(vm, obj, name, v)
}

/// A store into an instance whose entry did not match its state: stores
/// and re-keys the entry on what the store did.
#[cold]
fn store_miss(vm: &Vm, c: &Cell<CacheEntry>, e: CacheEntry, ext: &InstanceExt, name: &Obj, v: Obj) -> PyResult<()> {
    let before = ext.shape.get();
    let had = before.and_then(|s| s.index_of(name));
    ext.set_attr(vm, name, Some(v))?;
    let after = ext.shape.get();
    let entry = match (before, after, had) {
        (_, Some(s), Some(i)) => index_u32(i).map(|index| CacheEntry { tag2: s.id(), index, kind: ATTR_INSTANCE, ..e }),
        (_, Some(s), None) => index_u32(s.len() - 1).map(|index| CacheEntry { tag2: shape::shape_id(before), index, kind: ATTR_ADD, ..e }),
        (_, None, _) => match own_dict(ext) {
            Some(d) => dict_lookup_index(vm, &d, name)?.and_then(|(ix, _)| index_u32(ix)).map(|index| CacheEntry {
                tag2: DICT_MODE,
                index,
                kind: ATTR_INSTANCE,
                ..e
            }),
            None => None,
        },
    };
    if let Some(entry) = entry {
        c.set(entry);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version_of(ty: &Obj) -> u64 {
        crate::types::type_data(ty).version.get()
    }

    /// Hot types of the eval loop, pinned (ruff-style): a change in size
    /// shows up here to be justified.
    #[test]
    fn hot_type_sizes_are_pinned() {
        assert_eq!(std::mem::size_of::<CacheEntry>(), 24);
        assert_eq!(std::mem::size_of::<Cell<CacheEntry>>(), 24);
        assert_eq!(std::mem::size_of::<crate::eval::Frame>(), 152);
        assert_eq!(std::mem::size_of::<Option<Obj>>(), 8);
    }

    #[test]
    fn type_versions_are_unique_and_move_with_bases() {
        let vm = Vm::new();
        let a = version_of(&vm.types.int);
        let b = version_of(&vm.types.bool_);
        assert_ne!(a, b);
        crate::types::type_modified(&vm.types.int);
        assert_ne!(version_of(&vm.types.int), a);
        // bool derives from int: its tag moves too.
        assert_ne!(version_of(&vm.types.bool_), b);
    }
}
