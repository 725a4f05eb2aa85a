//! The object header, strong references and allocation: the one place in
//! the vm where object memory is touched directly.
//!
//! # Layout
//! Every object is one allocation laid out as CPython lays it out:
//!
//! ```text
//! [GcHead]?  [PyObject header][payload T]
//!            ^ an `Obj` points here
//! ```
//!
//! The header is `#[repr(C)]` `{ refcnt: isize, ty: *const PyObject }`, so a
//! later C API can hand `Obj` pointers to C unchanged. Objects whose type
//! can take part in reference cycles carry a [`GcHead`] *before* the header
//! (CPython's `PyGC_Head`), found by negative offset.
//!
//! # Invariants
//! - An `Obj` is a strong reference: while it lives, `refcnt >= 1`.
//!   `Clone` increments, `Drop` decrements; at zero the object's type
//!   deallocates it (payload destructor, then the memory).
//! - `ty` always points at a live type object, and a heap type outlives its
//!   instances because each instance holds a strong reference to it (see
//!   `alloc`); static (built-in) types are immortal: their count never
//!   reaches zero.
//! - Refcounts are plain `Cell`s, not atomics: objects are only touched
//!   while holding the GIL, so `Obj` is neither `Send` nor `Sync`.
//! - Every instance of a type has the same layout, described by the
//!   [`InstanceLayout`] at the start of the type object's payload (CPython's
//!   `tp_basicsize`/`tp_dealloc`); `alloc` checks it and `dealloc` trusts
//!   it. Nothing else frees object memory.

use std::alloc::Layout;
use std::cell::Cell;
use std::marker::PhantomData;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

/// Set while `tracemalloc` traces allocations (any interpreter of the
/// process): allocation and deallocation then report each object block
/// to `crate::tracemalloc`. Off, the hook costs one load and one
/// predictable branch per allocation and per deallocation.
pub(crate) static TRACE_BLOCKS: AtomicBool = AtomicBool::new(false);

/// CPython's `PyObject`: the header every object starts with.
#[repr(C)]
pub struct PyObject {
    refcnt: Cell<isize>,
    ty: Cell<*const PyObject>,
}

/// The cycle collector's link block, placed before the header of objects
/// that can form cycles (CPython's `PyGC_Head`).
#[repr(C)]
#[derive(Default)]
pub struct GcHead {
    pub(crate) next: Cell<usize>,
    pub(crate) prev: Cell<usize>,
    /// Scratch count the collector uses (CPython's `gc_refs`).
    pub(crate) gc_refs: Cell<isize>,
    /// `object::gc` flag bits (tracked, weakly referenced, finalized, ...).
    pub(crate) flags: Cell<usize>,
}

/// Immortal objects start here and are never freed (static types, small
/// ints, `None`...): decrements can never bring them to zero in practice.
const IMMORTAL: isize = isize::MAX / 2;

/// One object as allocated (after its optional GC head).
#[repr(C)]
struct Boxed<T> {
    header: PyObject,
    payload: T,
}

/// How the instances of a type are laid out and destroyed. Every type
/// object's payload is `#[repr(C)]` and starts with this (CPython keeps the
/// same facts in `tp_basicsize`, `tp_dealloc` and `Py_TPFLAGS_HAVE_GC`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct InstanceLayout {
    /// Drops an instance's payload in place (given its header).
    drop_payload: unsafe fn(NonNull<PyObject>),
    /// The whole allocation of one instance, GC head included.
    layout: Layout,
    /// Bytes before the header (0, or the size of `GcHead`).
    prefix: usize,
    /// Instances hold a strong reference to their type (heap types).
    pub owns_type: bool,
    /// The payload type's id, checked by `alloc`.
    payload: std::any::TypeId,
    /// For instances of classes that derive from a built-in type with
    /// payload `B`, the payload is `Extended<B>`: this is `B`'s id
    /// (`downcast::<B>` works on them); otherwise equal to `payload`.
    base_payload: std::any::TypeId,
    /// Offset of the `InstanceExt` from the payload's start, for
    /// `Extended<B>` payloads (`NO_EXT`: none; `Extended<()>` puts it at 0).
    ext_offset: usize,
    /// The layout of a class deriving from this type: `Extended<B>`.
    extend: fn(bool) -> InstanceLayout,
    /// Deallocation runs the type's `finalize` slot (always for heap
    /// types; for native types that ask, such as the `_io` classes).
    pub finalizes: bool,
    /// The payload has no destructor (`f64`): with no GC head and a
    /// static type, freeing an instance is freeing its memory.
    trivial_drop: bool,
}

/// The payload of instances of classes defined in Python: the built-in
/// base's payload first (`#[repr(C)]`, so a pointer to the payload is a
/// pointer to the base), then what every such instance has.
#[repr(C)]
pub struct Extended<B> {
    pub base: B,
    pub ext: crate::classes::InstanceExt,
}

impl InstanceLayout {
    /// The layout of instances whose payload is `T`.
    pub fn of<T: 'static>(gc: bool, owns_type: bool) -> InstanceLayout {
        InstanceLayout { extend: extended_layout::<T>, ..InstanceLayout::plain::<T>(gc, owns_type) }
    }

    /// The layout of instances that carry, after the payload `T`, an
    /// `InstanceExt` (a `__dict__`), as instances of classes defined in
    /// Python do: for native types whose instances have a `__dict__`.
    pub fn of_with_dict<T: 'static>() -> InstanceLayout {
        extended_layout::<T>(false)
    }

    /// `of` without `extend` set (it would instantiate `Extended<..>` types
    /// without end).
    fn plain<T: 'static>(gc: bool, owns_type: bool) -> InstanceLayout {
        unsafe fn drop_payload<T>(p: NonNull<PyObject>) {
            std::ptr::drop_in_place(p.as_ptr().cast::<u8>().add(payload_offset::<T>()).cast::<T>());
        }
        let prefix = if gc { std::mem::size_of::<GcHead>() } else { 0 };
        let body = Layout::new::<Boxed<T>>();
        let layout = match Layout::from_size_align(prefix + body.size(), body.align().max(std::mem::align_of::<GcHead>())) {
            Ok(l) => l,
            Err(_) => panic!("object layout overflow"),
        };
        let id = std::any::TypeId::of::<T>();
        InstanceLayout {
            drop_payload: drop_payload::<T>,
            layout,
            prefix,
            owns_type,
            payload: id,
            base_payload: id,
            ext_offset: NO_EXT,
            extend: |_| unreachable!("set by `of`"),
            finalizes: false,
            trivial_drop: !std::mem::needs_drop::<T>(),
        }
    }

    /// The layout of instances of a class (a heap type, with a GC head)
    /// deriving from a type laid out as `self`.
    pub fn extended(&self) -> InstanceLayout {
        (self.extend)(true)
    }

    /// Whether instances are `Extended<B>` (classes defined in Python).
    pub fn is_extended(&self) -> bool {
        self.ext_offset != NO_EXT
    }

    /// Whether two layouts have the same built-in base payload (CPython's
    /// "instance lay-out" compatibility for `__class__` assignment and
    /// multiple bases).
    pub fn same_base(&self, other: &InstanceLayout) -> bool {
        self.base_payload == other.base_payload
    }

    pub fn has_gc(&self) -> bool {
        self.prefix != 0
    }

    /// Whether instances carry a payload of type `T`.
    pub fn payload_is<T: 'static>(&self) -> bool {
        self.payload == std::any::TypeId::of::<T>()
    }
}

const NO_EXT: usize = usize::MAX;

fn extended_layout<B: 'static>(owns_type: bool) -> InstanceLayout {
    let mut l = InstanceLayout::plain::<Extended<B>>(true, owns_type);
    // `downcast::<B>` reads the payload at `payload_offset::<B>()`: it must
    // be where `Extended<B>` puts its `base`; `instance_ext` relies on
    // the payload starting right after the header.
    assert_eq!(payload_offset::<B>(), payload_offset::<Extended<B>>(), "over-aligned base payload");
    assert_eq!(payload_offset::<Extended<B>>(), std::mem::size_of::<PyObject>(), "over-aligned base payload");
    l.base_payload = std::any::TypeId::of::<B>();
    l.ext_offset = std::mem::offset_of!(Extended<B>, ext);
    l.extend = extended_layout::<B>;
    l
}

/// Offset of the payload from the header, for payload type `T`.
const fn payload_offset<T>() -> usize {
    std::mem::offset_of!(Boxed<T>, payload)
}

/// The instance layout of the type object `ty`.
///
/// # Safety
/// `ty` must be a live type object (its payload starts with an
/// `InstanceLayout`, see the module invariants).
unsafe fn layout_of_type<'a>(ty: *const PyObject) -> &'a InstanceLayout {
    &*(ty.cast::<u8>().add(payload_offset::<InstanceLayout>()).cast::<InstanceLayout>())
}

/// A strong reference to a Python object of any type.
#[repr(transparent)]
pub struct Obj {
    ptr: NonNull<PyObject>,
    _not_send: PhantomData<*const ()>,
}

impl Obj {
    /// The raw header pointer (borrowed: no count change).
    #[inline]
    pub fn as_ptr(&self) -> *const PyObject {
        self.ptr.as_ptr()
    }

    #[inline]
    fn header(&self) -> &PyObject {
        // SAFETY: an `Obj` keeps its object alive (invariant 1).
        unsafe { self.ptr.as_ref() }
    }

    /// The current reference count (as `sys.getrefcount` would see it).
    pub fn refcount(&self) -> isize {
        self.header().refcnt.get()
    }

    /// The object's type, as a borrowed reference.
    #[inline]
    pub fn type_ptr(&self) -> *const PyObject {
        self.header().ty.get()
    }

    /// Whether `self` and `other` are the same object (`is`).
    #[inline]
    pub fn is(&self, other: &Obj) -> bool {
        self.ptr == other.ptr
    }

    /// The payload, if the object was allocated with payload type `T`.
    /// Callers check the type first (see `typed`); this only trusts it.
    ///
    /// # Safety
    /// The object must have been allocated by `alloc::<T>` (or with a
    /// payload whose `#[repr(C)]` layout starts with a `T`).
    #[inline]
    pub unsafe fn payload_unchecked<T>(&self) -> &T {
        &*(self.ptr.as_ptr().cast::<u8>().add(payload_offset::<T>()).cast::<T>())
    }

    /// The payload as a `T`, if the object's type lays its instances out
    /// with payload `T`.
    #[inline]
    pub fn downcast<T: 'static>(&self) -> Option<&T> {
        if self.instance_layout().base_payload == std::any::TypeId::of::<T>() {
            // SAFETY: the type says the payload is a `T`.
            Some(unsafe { self.payload_unchecked::<T>() })
        } else {
            None
        }
    }

    /// The payload of this object's *type* object as a `T` (e.g. the
    /// type's `TypeData`), borrowed for as long as `self` lives: an
    /// instance keeps its type alive.
    #[inline]
    pub fn type_payload<T: 'static>(&self) -> Option<&T> {
        let ty = std::mem::ManuallyDrop::new(Obj {
            ptr: unsafe { NonNull::new_unchecked(self.type_ptr() as *mut PyObject) },
            _not_send: PhantomData,
        });
        let p: *const T = ty.downcast::<T>()?;
        // SAFETY: the type outlives `self` (module invariants).
        Some(unsafe { &*p })
    }

    /// The per-instance part of instances of classes defined in Python.
    #[inline]
    pub fn instance_ext(&self) -> Option<&crate::classes::InstanceExt> {
        let meta = self.instance_layout();
        if meta.ext_offset == NO_EXT {
            return None;
        }
        // SAFETY: the layout says the payload is an `Extended<B>` whose
        // `ext` field lies `ext_offset` bytes into it.
        unsafe {
            let payload = self.ptr.as_ptr().cast::<u8>().add(std::mem::size_of::<PyObject>());
            Some(&*payload.add(meta.ext_offset).cast::<crate::classes::InstanceExt>())
        }
    }

    /// The cycle collector's head, for objects allocated with one.
    pub fn gc_head(&self) -> Option<&GcHead> {
        let meta = self.instance_layout();
        if meta.prefix == 0 {
            return None;
        }
        // SAFETY: the prefix was reserved and initialised by `alloc`.
        Some(unsafe { &*(self.ptr.as_ptr().cast::<u8>().sub(meta.prefix).cast::<GcHead>()) })
    }

    /// The bytes of this object's allocation, its GC head excepted
    /// (`sys.getsizeof` adds that).
    pub fn block_size(&self) -> usize {
        let meta = self.instance_layout();
        meta.layout.size() - meta.prefix
    }

    /// The instance layout of this object's type.
    pub(crate) fn layout(&self) -> &InstanceLayout {
        self.instance_layout()
    }

    fn instance_layout(&self) -> &InstanceLayout {
        // SAFETY: `ty` is a live type object (module invariants).
        unsafe { layout_of_type(self.type_ptr()) }
    }

    /// Makes this object immortal (its count never reaches zero).
    pub fn make_immortal(&self) {
        self.header().refcnt.set(IMMORTAL);
        // Immortal objects are never garbage: the collector need not walk them.
        if let Some(h) = self.gc_head() {
            super::gc::untrack(h, false);
        }
    }

    /// Changes the object's type (`obj.__class__ = ...`). The caller has
    /// checked layout compatibility.
    pub fn set_type(&self, ty: Obj) {
        let owns = self.instance_layout().owns_type;
        let old = self.header().ty.replace(ty.as_ptr());
        if owns {
            std::mem::forget(ty);
            // SAFETY: the object held a strong reference to its old type.
            unsafe { drop(Obj::from_raw(old)) };
        } else {
            // Instances of static types never counted their type.
            drop(ty);
        }
    }

    /// Takes over a strong reference held as a raw pointer.
    ///
    /// # Safety
    /// `ptr` must be a live object whose count includes one reference that
    /// the caller owns and hands over.
    pub unsafe fn from_raw(ptr: *const PyObject) -> Obj {
        Obj { ptr: NonNull::new_unchecked(ptr as *mut PyObject), _not_send: PhantomData }
    }

    /// A new strong reference to a borrowed object pointer.
    ///
    /// # Safety
    /// `ptr` must be a live object.
    pub unsafe fn from_borrowed(ptr: *const PyObject) -> Obj {
        let o = Obj::from_raw(ptr);
        o.incref();
        o
    }

    /// Gives up ownership without decrementing (the caller now owns one
    /// reference as a raw pointer).
    pub fn into_raw(self) -> *const PyObject {
        let p = self.as_ptr();
        std::mem::forget(self);
        p
    }

    #[inline]
    fn incref(&self) {
        let h = self.header();
        h.refcnt.set(h.refcnt.get() + 1);
    }
}

impl Clone for Obj {
    #[inline]
    fn clone(&self) -> Obj {
        self.incref();
        Obj { ptr: self.ptr, _not_send: PhantomData }
    }
}

impl Drop for Obj {
    #[inline]
    fn drop(&mut self) {
        let h = self.header();
        let n = h.refcnt.get() - 1;
        h.refcnt.set(n);
        if n == 0 {
            // SAFETY: this was the last strong reference.
            unsafe { dealloc(self.ptr) }
        }
    }
}

impl PartialEq for Obj {
    fn eq(&self, other: &Obj) -> bool {
        self.is(other)
    }
}

impl Eq for Obj {}

impl std::fmt::Debug for Obj {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<object at {:p}>", self.ptr)
    }
}

/// Allocates an instance of type `ty` with `payload`. Heap types
/// (`owns_type`) are referenced by their instances; the reference to a
/// static type is simply released.
///
/// # Panics
/// If `ty` does not describe instances with payload `T` (a vm bug).
pub fn alloc<T: 'static>(ty: Obj, payload: T) -> Obj {
    alloc_ref(&ty, payload)
}

/// [`alloc`] with the type borrowed: the hot allocations (floats, ints,
/// tuples) take no reference to a static type just to release it.
///
/// # Panics
/// If `ty` does not describe instances with payload `T` (a vm bug).
#[inline]
pub fn alloc_ref<T: 'static>(ty: &Obj, payload: T) -> Obj {
    // SAFETY: `ty` is a live type object, which outlives this call.
    let meta = unsafe { layout_of_type(ty.as_ptr()) };
    if meta.ext_offset != NO_EXT && meta.base_payload == std::any::TypeId::of::<T>() {
        return alloc_exact(ty, meta, Extended { base: payload, ext: crate::classes::InstanceExt::default() });
    }
    alloc_exact(ty, meta, payload)
}

#[inline]
fn alloc_exact<T: 'static>(ty: &Obj, meta: &InstanceLayout, payload: T) -> Obj {
    assert!(meta.payload == std::any::TypeId::of::<T>(), "payload does not match the type's instance layout");
    // SAFETY: `meta` describes `Boxed<T>` (checked just above).
    unsafe {
        let boxed = allocate::<T>(meta);
        let ty_ptr = if meta.owns_type { ty.clone().into_raw() } else { ty.as_ptr() };
        boxed.write(Boxed { header: PyObject { refcnt: Cell::new(1), ty: Cell::new(ty_ptr) }, payload });
        if meta.prefix != 0 {
            super::gc::track_new(&*boxed.cast::<u8>().sub(meta.prefix).cast::<GcHead>());
        }
        let obj = Obj::from_raw(boxed.cast::<PyObject>());
        if TRACE_BLOCKS.load(Relaxed) {
            crate::tracemalloc::block_allocated(&obj, meta.layout.size());
        }
        obj
    }
}

/// Allocates memory for one object with layout `meta` and initialises its
/// GC head, if any; the caller writes the `Boxed<T>` at the result.
///
/// # Safety
/// `meta` must describe instances with payload `T` (`InstanceLayout::of::<T>`),
/// whose layout has a non-zero size (the header alone is 16 bytes).
unsafe fn allocate<T>(meta: &InstanceLayout) -> *mut Boxed<T> {
    if meta.prefix == 0 {
        if let Some(block) = take_block(meta.layout) {
            return block.cast::<Boxed<T>>();
        }
    }
    let base = std::alloc::alloc(meta.layout);
    if base.is_null() {
        std::alloc::handle_alloc_error(meta.layout);
    }
    if meta.prefix != 0 {
        base.cast::<GcHead>().write(GcHead::default());
    }
    base.add(meta.prefix).cast::<Boxed<T>>()
}

/// Frees an object whose count reached zero, through the trashcan (long
/// chains of objects are freed iteratively, not recursively).
///
/// # Safety
/// `p` is an object allocated by `alloc` with no strong references left.
unsafe fn dealloc(p: NonNull<PyObject>) {
    let meta = layout_of_type((*p.as_ptr()).ty.get());
    if meta.trivial_drop && meta.prefix == 0 && !meta.owns_type {
        // Nothing to run and nothing it references (floats): no trashcan.
        if TRACE_BLOCKS.load(Relaxed) {
            crate::tracemalloc::block_freed(p.as_ptr() as usize);
        }
        free_block(p.as_ptr().cast::<u8>(), meta.layout);
        return;
    }
    super::gc::trashcan(p, dealloc_now);
}

/// The layout of the blocks the free list keeps: a header and one word
/// without a GC head (floats).
const SMALL_BLOCK: Layout = Layout::new::<Boxed<f64>>();
/// At most this many free blocks per OS thread (a thread that ends leaves
/// its few blocks unfreed).
const SMALL_BLOCKS_MAX: u32 = 256;

thread_local! {
    /// Freed `SMALL_BLOCK`s, linked through their first word (CPython's
    /// float free list): float arithmetic frees one and allocates one per
    /// operation.
    static FREE_BLOCKS: Cell<*mut u8> = const { Cell::new(std::ptr::null_mut()) };
    static FREE_COUNT: Cell<u32> = const { Cell::new(0) };
}

/// Frees object memory with `layout` (no GC head): small blocks go to the
/// free list.
///
/// # Safety
/// `block` was allocated with `layout` and nothing uses it any more.
#[inline]
unsafe fn free_block(block: *mut u8, layout: Layout) {
    if layout == SMALL_BLOCK {
        let n = FREE_COUNT.with(|c| c.get());
        if n < SMALL_BLOCKS_MAX {
            FREE_COUNT.with(|c| c.set(n + 1));
            let head = FREE_BLOCKS.with(|h| h.get());
            block.cast::<*mut u8>().write(head);
            FREE_BLOCKS.with(|h| h.set(block));
            return;
        }
    }
    std::alloc::dealloc(block, layout);
}

/// A block from the free list for `layout`, if it keeps such blocks and
/// has one.
#[inline]
fn take_block(layout: Layout) -> Option<*mut u8> {
    if layout != SMALL_BLOCK {
        return None;
    }
    let head = FREE_BLOCKS.with(|h| h.get());
    if head.is_null() {
        return None;
    }
    // SAFETY: a non-null head is a free block of `SMALL_BLOCK` written by
    // `free_block`: its first word links the next one.
    let next = unsafe { head.cast::<*mut u8>().read() };
    FREE_BLOCKS.with(|h| h.set(next));
    FREE_COUNT.with(|c| c.set(c.get() - 1));
    Some(head)
}

/// # Safety
/// As `dealloc`.
unsafe fn dealloc_now(p: NonNull<PyObject>) {
    let ty = (*p.as_ptr()).ty.get();
    // What the rest needs, read once (not the whole layout: freeing is
    // hot); a finalizer may even reassign `__class__`.
    let (prefix, drop_payload, layout, owns_type, finalizes) = {
        let m = layout_of_type(ty);
        (m.prefix, m.drop_payload, m.layout, m.owns_type, m.finalizes)
    };
    // Keep the object alive (count 1) while its finalizer and its payload's
    // destructor run, so that code reached from them may look at the
    // object safely.
    (*p.as_ptr()).refcnt.set(1);
    if prefix != 0 {
        let head = &*p.as_ptr().cast::<u8>().sub(prefix).cast::<GcHead>();
        let flags = head.flags.get();
        let heap_instance = (owns_type || finalizes) && flags & super::gc::FINALIZED == 0;
        if heap_instance || flags & super::gc::HAS_WEAKREFS != 0 {
            super::gc::before_free(p, flags, heap_instance);
            let n = (*p.as_ptr()).refcnt.get();
            if n > 1 {
                // Resurrected by `__del__`: the new owners keep it.
                (*p.as_ptr()).refcnt.set(n - 1);
                return;
            }
        }
        super::gc::untrack(head, true);
    }
    (drop_payload)(p);
    if TRACE_BLOCKS.load(Relaxed) {
        crate::tracemalloc::block_freed(p.as_ptr() as usize);
    }
    if prefix == 0 {
        free_block(p.as_ptr().cast::<u8>(), layout);
    } else {
        std::alloc::dealloc(p.as_ptr().cast::<u8>().sub(prefix), layout);
    }
    if owns_type {
        drop(Obj::from_raw(ty));
    }
}

/// Allocates the first type object, whose type is itself (`type(type) is
/// type`). `payload` must be `#[repr(C)]` and start with the
/// `InstanceLayout` of its own instances (type objects), i.e.
/// `InstanceLayout::of::<P>(..)`. The result is immortal.
pub fn alloc_metatype<P: 'static>(payload: P, instance_layout: InstanceLayout) -> Obj {
    assert!(instance_layout.payload == std::any::TypeId::of::<P>(), "metatype must describe its own layout");
    let meta = instance_layout;
    // SAFETY: `meta` describes `Boxed<P>` (checked just above); the type
    // pointer is the object itself.
    unsafe {
        let boxed = allocate::<P>(&meta);
        boxed.write(Boxed { header: PyObject { refcnt: Cell::new(IMMORTAL), ty: Cell::new(boxed.cast::<PyObject>()) }, payload });
        Obj::from_raw(boxed.cast::<PyObject>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    /// A minimal type-object payload for the tests.
    #[repr(C)]
    struct TestType {
        instances: InstanceLayout,
    }

    struct Tracks(Rc<Cell<u32>>);
    impl Drop for Tracks {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }

    fn metatype() -> Obj {
        let l = InstanceLayout::of::<TestType>(false, false);
        alloc_metatype(TestType { instances: l }, l)
    }

    fn new_type<T: 'static>(meta: &Obj, gc: bool) -> Obj {
        alloc(meta.clone(), TestType { instances: InstanceLayout::of::<T>(gc, true) })
    }

    /// Floats (no GC head, a static type) are freed to the free list and
    /// their blocks reused; the list is bounded.
    #[test]
    fn float_blocks_are_reused() {
        let meta = metatype();
        let l = InstanceLayout::of::<f64>(false, false);
        assert_eq!(l.layout, SMALL_BLOCK);
        assert!(l.trivial_drop);
        // A static type: its instances do not reference it.
        let ty = alloc(meta.clone(), TestType { instances: l });
        let a = alloc_ref(&ty, 1.5f64);
        let addr = a.as_ptr();
        drop(a);
        let b = alloc_ref(&ty, 2.5f64);
        assert_eq!(b.as_ptr(), addr);
        assert_eq!(b.downcast::<f64>(), Some(&2.5));
        let many: Vec<Obj> = (0..2 * SMALL_BLOCKS_MAX).map(|i| alloc_ref(&ty, f64::from(i))).collect();
        drop(many);
        assert!(FREE_COUNT.with(|c| c.get()) <= SMALL_BLOCKS_MAX);
        drop(b);
    }

    #[test]
    fn refcount_frees_at_zero() {
        let meta = metatype();
        let ty = new_type::<Tracks>(&meta, true);
        let dropped = Rc::new(Cell::new(0));
        let a = alloc(ty.clone(), Tracks(dropped.clone()));
        assert_eq!(a.refcount(), 1);
        let b = a.clone();
        assert_eq!(a.refcount(), 2);
        assert!(a.gc_head().is_some());
        drop(a);
        assert_eq!(dropped.get(), 0);
        drop(b);
        assert_eq!(dropped.get(), 1);
    }

    #[test]
    fn payload_round_trip_and_type_reference() {
        let meta = metatype();
        assert_eq!(meta.type_ptr(), meta.as_ptr());
        let ty = new_type::<u64>(&meta, false);
        let before = ty.refcount();
        let o = alloc(ty.clone(), 42u64);
        assert_eq!(ty.refcount(), before + 1);
        assert_eq!(unsafe { *o.payload_unchecked::<u64>() }, 42);
        assert_eq!(o.type_ptr(), ty.as_ptr());
        assert!(o.gc_head().is_none());
        drop(o);
        assert_eq!(ty.refcount(), before);
    }

    #[test]
    #[should_panic(expected = "payload does not match")]
    fn wrong_payload_is_refused() {
        let meta = metatype();
        let ty = new_type::<u64>(&meta, false);
        let _ = alloc(ty, 1u32);
    }
}
