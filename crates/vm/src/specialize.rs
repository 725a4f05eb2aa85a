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

use crate::classes::{dict_slot_of, MethodData};
use crate::function::{CacheEntry, FunctionData};
use crate::modules::ModuleData;
use crate::object::{alloc, Obj};
use crate::types::builtin::{dict_data, dict_get, dict_lookup_index, dict_set};
use crate::types::{lookup_name, type_data_of, type_of, TypeData};
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
    if let Some((ix, v)) = dict_lookup_index(vm, globals, name)? {
        if let Some(index) = index_u32(ix) {
            c.set(CacheEntry { tag: dict_data(globals).keys_version(), tag2: 0, index, kind: GLOBAL_MODULE });
        }
        return Ok(Some(v));
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

/// The instance's own dict, if it has one already.
#[inline]
fn own_dict(obj: &Obj, td: &TypeData) -> Option<Obj> {
    dict_slot_of(obj, td).and_then(|slot| slot.borrow().clone())
}

/// Whether the instance's dict (if any) has `name` (which then shadows a
/// non-data class attribute).
#[inline]
fn shadowed(vm: &Vm, obj: &Obj, td: &TypeData, name: &Obj) -> PyResult<bool> {
    match own_dict(obj, td) {
        Some(d) => Ok(dict_get(vm, &d, name)?.is_some()),
        None => Ok(false),
    }
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
            if let Some(d) = own_dict(obj, td) {
                if let Some(v) = dict_data(&d).value_at_if_key(e.index as usize, name) {
                    return Ok(Some(Loaded::Value(v)));
                }
                if let Some((ix, v)) = dict_lookup_index(vm, &d, name)? {
                    if let Some(index) = index_u32(ix) {
                        c.set(CacheEntry { index, ..e });
                    }
                    return Ok(Some(Loaded::Value(v)));
                }
            }
            Ok(None)
        }
        ATTR_METHOD | ATTR_CLASS_VALUE => {
            if shadowed(vm, obj, td, name)? {
                return Ok(None);
            }
            match lookup_name(&type_of(obj), name) {
                Some(f) if e.kind == ATTR_METHOD => Ok(Some(Loaded::Method(f))),
                Some(v) => Ok(Some(Loaded::Value(v))),
                None => Ok(None),
            }
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
                let index = match own_dict(obj, td) {
                    Some(d) => dict_lookup_index(vm, &d, name)?.and_then(|(ix, _)| index_u32(ix)).unwrap_or(0),
                    None => 0,
                };
                CacheEntry { index, kind: ATTR_INSTANCE, ..generic }
            }
            Some(a) => {
                let at = type_data_of(&a);
                let s = at.slots.get();
                let is_method = (a.downcast::<FunctionData>().is_some() && std::ptr::eq(a.type_ptr(), vm.types.function.as_ptr()))
                    || std::ptr::eq(a.type_ptr(), vm.types.method_descriptor.as_ptr());
                if is_method {
                    CacheEntry { kind: ATTR_METHOD, ..generic }
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

/// The entry for `obj`'s type: the cached one if its tag matches, else a
/// new one worked out from the type's lookup cache (cheap: sites that see
/// several types, as with subclasses sharing a method, re-specialise on
/// each change of type rather than taking the generic path).
#[inline]
fn entry_for(vm: &Vm, c: &Cell<CacheEntry>, obj: &Obj, name: &Obj) -> PyResult<CacheEntry> {
    let e = c.get();
    if e.tag == type_data_of(obj).version.get() && e.kind != 0 {
        return Ok(e);
    }
    let e = specialise_load(vm, obj, name)?;
    c.set(e);
    Ok(e)
}

/// `LoadAttr`: `obj.name`.
#[inline]
pub(crate) fn load_attr(vm: &Vm, c: &Cell<CacheEntry>, obj: &Obj, name: &Obj) -> PyResult<Obj> {
    let e = entry_for(vm, c, obj, name)?;
    if e.kind > ATTR_GENERIC {
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
pub(crate) fn load_method(vm: &Vm, c: &Cell<CacheEntry>, obj: &Obj, name: &Obj) -> PyResult<(Obj, bool)> {
    let e = entry_for(vm, c, obj, name)?;
    if e.kind > ATTR_GENERIC {
        match load_hit(vm, e, c, obj, name)? {
            Some(Loaded::Value(v)) => return Ok((v, false)),
            Some(Loaded::Method(f)) => return Ok((f, true)),
            None => {}
        }
    }
    Ok((crate::classes::getattr(vm, obj, name)?, false))
}

/// `StoreAttr`: `obj.name = v`.
#[inline]
pub(crate) fn store_attr(vm: &Vm, c: &Cell<CacheEntry>, obj: &Obj, name: &Obj, v: Obj) -> PyResult<()> {
    let mut e = c.get();
    let td = type_data_of(obj);
    if e.tag != td.version.get() {
        // Another type: whether it stores in the instance dict too.
        e = CacheEntry { tag: td.version.get(), tag2: 0, index: e.index, kind: ATTR_GENERIC };
        if td.slots.get().setattro.is_none()
            && lookup_name(&type_of(obj), name).is_none_or(|a| type_data_of(&a).slots.get().descr_set.is_none())
        {
            e.kind = ATTR_INSTANCE;
        }
        c.set(e);
    }
    if e.kind == ATTR_INSTANCE {
        if let Some(d) = own_dict(obj, td) {
            return match dict_data(&d).replace_at_if_key(e.index as usize, name, v) {
                Ok(old) => {
                    drop(old);
                    Ok(())
                }
                Err(v) => {
                    dict_set(vm, &d, name.clone(), v)?;
                    // Remember where the name is for the next instance.
                    if let Some(index) = dict_lookup_index(vm, &d, name)?.and_then(|(ix, _)| index_u32(ix)) {
                        c.set(CacheEntry { index, ..e });
                    }
                    Ok(())
                }
            };
        }
    }
    crate::classes::setattr(vm, obj, name, v)
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
        assert_eq!(std::mem::size_of::<crate::eval::Frame>(), 136);
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
