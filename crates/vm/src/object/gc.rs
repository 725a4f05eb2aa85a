//! The cycle collector's object-level half: the lists of tracked container
//! objects (CPython's generations), the graph analysis that finds objects
//! only reachable from each other (`gc_refs` subtraction), the weak
//! reference table, the "trashcan" that keeps deallocation of long chains
//! off the native stack, and the registration of the running `Vm` that
//! deallocation needs to call `__del__` and weakref callbacks.
//!
//! The policy half (finalizers, weakref callbacks, clearing, thresholds,
//! the `gc` module) is safe code in `crate::gc`.
//!
//! # Invariants
//! - A `GcHead` is linked into at most one list (a generation's or the
//!   permanent one) and only while its object is allocated: `alloc` links
//!   it (flag `TRACKED`), `dealloc` unlinks it before the memory is freed,
//!   `make_immortal` unlinks it for good. List pointers (`next`/`prev`)
//!   are addresses of `GcHead`s: either a sentinel owned by `GcState`
//!   (boxed, never moved, never freed: heaps are leaked) or the head
//!   of a live object. Hence every address reached by walking a list is
//!   valid to read.
//! - An object's header is at `head + size_of::<GcHead>()` (see `raw`,
//!   which reserves exactly that prefix).
//! - The analysis phases (`analyze`) run no Python code and never drop a
//!   reference: the traverse functions only borrow. So the raw pointers
//!   collected from the lists stay valid during them. Objects whose count
//!   is zero (waiting in the trashcan) are skipped: they are neither
//!   candidates nor roots, and they are never turned back into strong
//!   references.
//! - What the collector hands out as unreachable are *strong* references:
//!   finalizers and `clear` functions run while the collector holds them,
//!   so nothing is freed under its feet; the objects go away when the
//!   caller drops its references, through the ordinary `dealloc`.
//! - A weak reference object's `referent` address is non-zero only while
//!   the referent is allocated: the referent's `dealloc` clears every weak
//!   reference to it (flag `HAS_WEAKREFS`, table `WEAKREFS`) before its
//!   memory is freed, and a weakref object unregisters itself when it dies.
//!   A referent whose count is zero (deferred in the trashcan) is treated
//!   as dead by `upgrade`.
//! - The registered `Vm` pointer is valid while the `VmGuard` that set it
//!   lives (the guard borrows the `Vm`).
//! - Threads: the heap (lists, counters, weakref table) is shared by the
//!   OS threads of one interpreter (`adopt_heap`); they touch it, like any
//!   object, only while holding that interpreter's GIL (`crate::thread`),
//!   whose mutex orders their accesses. The trashcan and the registered
//!   `Vm` are per OS thread.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::mem::ManuallyDrop;
use std::ptr::NonNull;

use super::raw::{GcHead, PyObject};
use super::Obj;
use crate::vm::Vm;

/// `GcHead::flags` bits.
pub(crate) const TRACKED: usize = 1;
pub(crate) const HAS_WEAKREFS: usize = 2;
/// `__del__` has run (PEP 442: at most once per object).
pub(crate) const FINALIZED: usize = 4;
const COLLECTING: usize = 8;
const REACHABLE: usize = 16;
/// Member of the unreachable set of the collection under way.
pub(crate) const UNREACHABLE: usize = 32;

/// CPython's default thresholds.
const DEFAULT_THRESHOLDS: [usize; 3] = [700, 10, 10];

struct GcState {
    /// Sentinels of the generation lists and the permanent (frozen) one.
    lists: [Box<GcHead>; 4],
    counts: [Cell<usize>; 3],
    thresholds: [Cell<usize>; 3],
    enabled: Cell<bool>,
    collecting: Cell<bool>,
    long_lived_total: Cell<usize>,
    long_lived_pending: Cell<usize>,
}

const PERMANENT: usize = 3;

impl GcState {
    fn new() -> GcState {
        let lists = [(); 4].map(|_| {
            let h = Box::new(GcHead::default());
            let a = &*h as *const GcHead as usize;
            h.next.set(a);
            h.prev.set(a);
            h
        });
        GcState {
            lists,
            counts: Default::default(),
            thresholds: DEFAULT_THRESHOLDS.map(Cell::new),
            enabled: Cell::new(true),
            collecting: Cell::new(false),
            long_lived_total: Cell::new(0),
            long_lived_pending: Cell::new(0),
        }
    }
}

/// The heap of an interpreter: the generation lists and counters, the
/// weak reference table, and the few interpreter-wide counters native code
/// reaches without a `Vm` (dict version tags, the int/str digit limit).
/// Each OS thread starts with a heap of its own (created on first use and
/// never freed); a Python thread started by `_thread` adopts its creator's
/// (`current_heap`/`adopt_heap`), so all the threads of one interpreter use
/// one heap, touching it only while they hold the GIL.
struct Heap {
    state: GcState,
    /// Weak references by referent address: the weakref objects'
    /// addresses, in CPython's list order (basic ref, basic proxy, then
    /// the others newest first).
    weakrefs: RefCell<HashMap<usize, Vec<usize>>>,
    dict_version: Cell<u64>,
    max_str_digits: Cell<Option<usize>>,
}

thread_local! {
    /// The heap this OS thread uses (null until first use).
    static HEAP: Cell<*const Heap> = const { Cell::new(std::ptr::null()) };
    /// Set when generation 0 passes its threshold; the eval loop of this
    /// OS thread polls it.
    static PENDING: Cell<bool> = const { Cell::new(false) };
    static VM: Cell<*const Vm> = const { Cell::new(std::ptr::null()) };
    /// Trashcan: nesting of `dealloc` on this OS thread, and objects whose
    /// deallocation was deferred to the outermost one.
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    static DEFERRED: RefCell<Vec<NonNull<PyObject>>> = const { RefCell::new(Vec::new()) };
    /// Whether `DEFERRED` may hold objects: the outermost deallocation
    /// looks at the list only then (every deallocation passes there).
    static ANY_DEFERRED: Cell<bool> = const { Cell::new(false) };
}

/// This thread's heap.
#[inline(always)]
fn heap() -> &'static Heap {
    let p = HEAP.with(|h| h.get());
    if p.is_null() {
        return new_heap();
    }
    // SAFETY: heaps are leaked, never freed; only the threads of one
    // interpreter share one, and only while holding its GIL (module
    // invariants).
    unsafe { &*p }
}

/// The first use of a heap on this OS thread: a new one.
#[cold]
fn new_heap() -> &'static Heap {
    let new: &'static Heap = Box::leak(Box::new(Heap {
        state: GcState::new(),
        weakrefs: RefCell::new(HashMap::new()),
        dict_version: Cell::new(1),
        max_str_digits: Cell::new(None),
    }));
    HEAP.with(|h| h.set(new));
    new
}

fn with_state<R>(f: impl FnOnce(&GcState) -> R) -> R {
    f(&heap().state)
}

fn with_weakrefs<R>(f: impl FnOnce(&RefCell<HashMap<usize, Vec<usize>>>) -> R) -> R {
    f(&heap().weakrefs)
}

/// The heap of the current OS thread, to be handed to a new Python thread
/// of the same interpreter (`adopt_heap`).
#[derive(Clone, Copy)]
pub(crate) struct HeapRef(*const Heap);

// SAFETY: a `HeapRef` only moves to a thread that uses the heap while it
// holds the GIL of the heap's interpreter (see `adopt_heap`).
unsafe impl Send for HeapRef {}

pub(crate) fn current_heap() -> HeapRef {
    HeapRef(heap())
}

/// Makes the current OS thread (a new Python thread) use `h`.
///
/// # Safety
/// The caller touches objects only while holding the GIL of the
/// interpreter `h` belongs to, which every other user of `h` does too.
pub(crate) unsafe fn adopt_heap(h: HeapRef) {
    HEAP.with(|c| c.set(h.0));
}

/// A fresh dict version tag (interpreter-wide, increasing).
#[inline]
pub(crate) fn next_dict_version() -> u64 {
    let c = &heap().dict_version;
    let v = c.get().wrapping_add(1);
    c.set(v);
    v
}

/// The interpreter's int/str digit limit (`None`: not read from the
/// environment yet).
pub(crate) fn max_str_digits_cell() -> &'static Cell<Option<usize>> {
    &heap().max_str_digits
}

/// Deallocations nested deeper than this are deferred (CPython's trashcan
/// uses 50 too).
const TRASHCAN_DEPTH: u32 = 50;

// ---------------------------------------------------------------------
// Lists

fn head_ref<'a>(addr: usize) -> &'a GcHead {
    // SAFETY: list addresses are sentinels or heads of live objects
    // (module invariants).
    unsafe { &*(addr as *const GcHead) }
}

fn header_of(head: &GcHead) -> NonNull<PyObject> {
    let p = (head as *const GcHead as usize + std::mem::size_of::<GcHead>()) as *mut PyObject;
    // SAFETY: non-null: it is an offset from a reference.
    unsafe { NonNull::new_unchecked(p) }
}

fn list_append(list: &GcHead, h: &GcHead) {
    let last = head_ref(list.prev.get());
    let me = h as *const GcHead as usize;
    h.prev.set(list.prev.get());
    h.next.set(list as *const GcHead as usize);
    last.next.set(me);
    list.prev.set(me);
}

fn list_remove(h: &GcHead) {
    let prev = head_ref(h.prev.get());
    let next = head_ref(h.next.get());
    prev.next.set(h.next.get());
    next.prev.set(h.prev.get());
    h.next.set(0);
    h.prev.set(0);
}

/// Moves every element of `from` to the end of `to`.
fn list_merge(from: &GcHead, to: &GcHead) {
    let from_addr = from as *const GcHead as usize;
    if from.next.get() == from_addr {
        return;
    }
    let first = head_ref(from.next.get());
    let last = head_ref(from.prev.get());
    let to_last = head_ref(to.prev.get());
    to_last.next.set(from.next.get());
    first.prev.set(to.prev.get());
    last.next.set(to as *const GcHead as usize);
    to.prev.set(from.prev.get());
    from.next.set(from_addr);
    from.prev.set(from_addr);
}

fn list_heads(list: &GcHead) -> Vec<&'static GcHead> {
    let end = list as *const GcHead as usize;
    let mut out = Vec::new();
    let mut a = list.next.get();
    while a != end {
        let h = head_ref(a);
        out.push(h);
        a = h.next.get();
    }
    out
}

/// Links a freshly allocated object into generation 0 (from `alloc`).
pub(crate) fn track_new(head: &GcHead) {
    with_state(|s| {
        list_append(&s.lists[0], head);
        head.flags.set(head.flags.get() | TRACKED);
        let c = s.counts[0].get() + 1;
        s.counts[0].set(c);
        let t = s.thresholds[0].get();
        if t != 0 && c > t && s.enabled.get() && !s.collecting.get() {
            PENDING.with(|p| p.set(true));
        }
    });
}

/// Unlinks an object (from `dealloc`, `make_immortal`).
pub(crate) fn untrack(head: &GcHead, freed: bool) {
    if head.flags.get() & TRACKED == 0 {
        return;
    }
    list_remove(head);
    head.flags.set(head.flags.get() & !TRACKED);
    if freed {
        with_state(|s| {
            let c = s.counts[0].get();
            if c > 0 {
                s.counts[0].set(c - 1);
            }
        });
    }
}

// ---------------------------------------------------------------------
// Deallocation support

/// The trashcan: runs `free` for `p` unless deallocations are nested too
/// deeply, in which case `p` waits (with count zero) until the outermost
/// deallocation finishes.
///
/// # Safety
/// `p` is an object whose count reached zero; `free` deallocates it.
pub(crate) unsafe fn trashcan(p: NonNull<PyObject>, free: unsafe fn(NonNull<PyObject>)) {
    let depth = DEPTH.with(|d| d.get());
    if depth >= TRASHCAN_DEPTH {
        DEFERRED.with(|l| l.borrow_mut().push(p));
        ANY_DEFERRED.with(|a| a.set(true));
        return;
    }
    DEPTH.with(|d| d.set(depth + 1));
    free(p);
    if depth == 0 && ANY_DEFERRED.with(|a| a.get()) {
        drain_deferred(free);
    }
    DEPTH.with(|d| d.set(depth));
}

/// The outermost deallocation frees what was deferred, one at a time
/// (each may defer more).
///
/// # Safety
/// As `trashcan`, for every deferred object.
#[cold]
#[inline(never)]
unsafe fn drain_deferred(free: unsafe fn(NonNull<PyObject>)) {
    while let Some(q) = DEFERRED.with(|l| l.borrow_mut().pop()) {
        free(q);
    }
    ANY_DEFERRED.with(|a| a.set(false));
}

/// Called by `dealloc` for a tracked-kind object about to be freed (its
/// count set to 1 for the duration): finalizer and weakref callbacks when
/// a `Vm` is running, else only the weakref clearing. The caller checks
/// the count afterwards (resurrection).
pub(crate) fn before_free(p: NonNull<PyObject>, flags: usize, heap_instance: bool) {
    // SAFETY: the object is alive with count 1 owned by `dealloc`; the
    // `ManuallyDrop` keeps this borrowed handle from decrementing it.
    let obj = ManuallyDrop::new(unsafe { Obj::from_raw(p.as_ptr()) });
    let vm = VM.with(|v| v.get());
    if !vm.is_null() {
        // SAFETY: set by a live `VmGuard` (module invariants).
        let vm = unsafe { &*vm };
        if heap_instance && flags & FINALIZED == 0 {
            crate::gc::finalize_on_dealloc(vm, &obj);
            if obj.refcount() > 1 {
                return;
            }
        }
        if obj.gc_head().is_some_and(|h| h.flags.get() & HAS_WEAKREFS != 0) {
            let refs = take_weakrefs(&obj);
            crate::gc::call_weakref_callbacks(vm, refs);
        }
    } else if flags & HAS_WEAKREFS != 0 {
        drop(take_weakrefs(&obj));
    }
}

/// Sets the running `Vm` (for `__del__` and callbacks run by deallocation)
/// until the guard is dropped.
pub struct VmGuard<'a> {
    prev: *const Vm,
    _vm: std::marker::PhantomData<&'a Vm>,
}

pub fn enter_vm(vm: &Vm) -> VmGuard<'_> {
    let prev = VM.with(|v| v.replace(vm as *const Vm));
    VmGuard { prev, _vm: std::marker::PhantomData }
}

/// Runs `f` with the `Vm` this OS thread registered (`enter_vm`), if any:
/// for code reached outside the interpreter's call paths, such as a
/// signal handler running on the thread (`faulthandler`). Nothing is
/// borrowed mutably here; what `f` reads may be in the middle of a change
/// when it interrupted the thread (readers use `try_borrow`).
pub fn with_current_vm<R>(f: impl FnOnce(&Vm) -> R) -> Option<R> {
    let p = VM.try_with(|v| v.get()).ok()?;
    if p.is_null() {
        return None;
    }
    // SAFETY: a non-null registered pointer is valid while the `VmGuard`
    // that set it lives (module invariants); that guard is on this
    // thread's stack, below any code (or signal handler) running now.
    Some(f(unsafe { &*p }))
}

impl Drop for VmGuard<'_> {
    fn drop(&mut self) {
        VM.with(|v| v.set(self.prev));
    }
}

// ---------------------------------------------------------------------
// Weak references

fn addr(o: &Obj) -> usize {
    o.as_ptr() as usize
}

/// Registers the weakref object `wr` as pointing at `referent` (which has
/// a GC head; the caller checked). `basic` is 1 for a basic ref, 2 for a
/// basic proxy, 0 for the others (CPython's list order).
pub(crate) fn register_weakref(referent: &Obj, wr: &Obj, basic: u8) {
    let Some(h) = referent.gc_head() else { return };
    h.flags.set(h.flags.get() | HAS_WEAKREFS);
    with_weakrefs(|t| {
        let mut t = t.borrow_mut();
        let list = t.entry(addr(referent)).or_default();
        let at = match basic {
            1 => 0,
            _ => {
                // After the basic ref and basic proxy, if present.
                let mut i = 0;
                while i < list.len() && i < 2 && is_basic(list[i]) {
                    i += 1;
                }
                i
            }
        };
        list.insert(at, addr(wr));
    });
}

fn is_basic(wr_addr: usize) -> bool {
    // SAFETY: table entries are live weakref objects (they unregister
    // when they die).
    let wr = ManuallyDrop::new(unsafe { Obj::from_raw(wr_addr as *const PyObject) });
    wr.downcast::<crate::weakref::WeakRefData>().is_some_and(|w| w.is_basic(&wr))
}

/// Forgets the weakref object at `wr_addr` (it is dying) in the list of
/// the referent at `referent`.
pub(crate) fn unregister_weakref(referent: usize, wr_addr: usize) {
    with_weakrefs(|t| {
        let mut t = t.borrow_mut();
        if let Some(list) = t.get_mut(&referent) {
            list.retain(|&a| a != wr_addr);
            if list.is_empty() {
                t.remove(&referent);
                // SAFETY: a weakref's referent address is a live object
                // (module invariants).
                let r = ManuallyDrop::new(unsafe { Obj::from_raw(referent as *const PyObject) });
                if let Some(h) = r.gc_head() {
                    h.flags.set(h.flags.get() & !HAS_WEAKREFS);
                }
            }
        }
    });
}

/// The live weakref objects to `referent`, in list order.
pub(crate) fn weakrefs_of(referent: &Obj) -> Vec<Obj> {
    let addrs = with_weakrefs(|t| t.borrow().get(&addr(referent)).cloned().unwrap_or_default());
    addrs
        .into_iter()
        .filter_map(|a| {
            // SAFETY: table entries are live weakref objects.
            let w = ManuallyDrop::new(unsafe { Obj::from_raw(a as *const PyObject) });
            (w.refcount() > 0).then(|| (*w).clone())
        })
        .collect()
}

/// Clears every weak reference to `referent` (they now return `None`) and
/// hands back those still alive, in list order, for their callbacks.
pub(crate) fn take_weakrefs(referent: &Obj) -> Vec<Obj> {
    if let Some(h) = referent.gc_head() {
        h.flags.set(h.flags.get() & !HAS_WEAKREFS);
    }
    let addrs = with_weakrefs(|t| t.borrow_mut().remove(&addr(referent))).unwrap_or_default();
    let mut out = Vec::new();
    for a in addrs {
        // SAFETY: table entries are live weakref objects.
        let w = ManuallyDrop::new(unsafe { Obj::from_raw(a as *const PyObject) });
        if let Some(d) = w.downcast::<crate::weakref::WeakRefData>() {
            d.referent.set(0);
        }
        if w.refcount() > 0 {
            out.push((*w).clone());
        }
    }
    out
}

/// The referent of a weakref, if it is still alive.
pub(crate) fn upgrade(referent: usize) -> Option<Obj> {
    if referent == 0 {
        return None;
    }
    // SAFETY: a non-zero referent address is an allocated object (module
    // invariants); a zero count means it is being freed.
    let r = ManuallyDrop::new(unsafe { Obj::from_raw(referent as *const PyObject) });
    (r.refcount() > 0).then(|| (*r).clone())
}

// ---------------------------------------------------------------------
// Traversal

/// Calls `visit` on every object `o` holds a strong reference to, as far
/// as its type declares (CPython's `tp_traverse`): the type of a heap-type
/// instance, the `__dict__`, attribute values and `__slots__` members of
/// instances of classes, then the payload's own references.
pub fn traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    // CPython's `subtype_traverse` order: `__slots__` members, the
    // attributes, then the type, then the built-in base's references.
    let layout = o.layout();
    if let Some(ext) = o.instance_ext() {
        if let Ok(members) = ext.members.try_borrow() {
            members.iter().flatten().for_each(&mut *visit);
        }
        if let Ok(values) = ext.values.try_borrow() {
            values.iter().for_each(&mut *visit);
        }
        if let Ok(d) = ext.dict.try_borrow() {
            if let Some(d) = &*d {
                if d.gc_head().is_some_and(|h| h.flags.get() & TRACKED != 0) {
                    visit(d);
                } else {
                    // An instance's own dict is untracked and counted as
                    // part of the instance (CPython 3.11's inline values).
                    crate::types::dict::dict_traverse(d, visit);
                }
            }
        }
    }
    if layout.owns_type {
        // SAFETY: heap-type instances own a reference to their live type.
        let ty = ManuallyDrop::new(unsafe { Obj::from_raw(o.type_ptr()) });
        visit(&ty);
    }
    if let Some(t) = slot_fns(o).0 {
        t(o, visit);
    }
}

/// The type's traverse and clear functions, read without copying the
/// whole slot table.
fn slot_fns(o: &Obj) -> (Option<crate::types::TraverseFn>, Option<crate::types::ClearFn>) {
    let slots = &crate::types::type_data_of(o).slots;
    // SAFETY: slot tables are only ever replaced whole with `Cell::set`,
    // never borrowed mutably; reading two fields is a plain copy.
    unsafe {
        let p = slots.as_ptr();
        ((*p).traverse, (*p).clear)
    }
}

/// Takes `o` (a GC object) off the collector's lists: an instance's own
/// dict, which its instance traverses on its behalf.
pub fn untrack_object(o: &Obj) {
    if let Some(h) = o.gc_head() {
        untrack(h, false);
    }
}

/// Puts an untracked GC object back on the youngest list (an instance's
/// dict handed out as `__dict__`).
pub fn track_object(o: &Obj) {
    if let Some(h) = o.gc_head() {
        if h.flags.get() & TRACKED == 0 && o.refcount() > 0 {
            track_new(h);
        }
    }
}

/// Drops the references `o` holds that can close cycles (`tp_clear`).
pub fn clear(o: &Obj) {
    if let Some(ext) = o.instance_ext() {
        let old = ext.dict.try_borrow_mut().ok().and_then(|mut d| d.take());
        let values = ext.values.try_borrow_mut().map(|mut v| {
            ext.shape.set(None);
            std::mem::take(&mut *v)
        });
        // `__slots__` members keep their places (descriptors index them).
        let members: Vec<Obj> =
            ext.members.try_borrow_mut().map(|mut m| m.iter_mut().filter_map(Option::take).collect()).unwrap_or_default();
        drop(old);
        drop(values);
        drop(members);
    }
    if let Some(c) = slot_fns(o).1 {
        c(o);
    }
}

/// Flags of objects whose count is not zero, for the analysis.
fn live(h: &GcHead) -> Option<ManuallyDrop<Obj>> {
    let p = header_of(h);
    // SAFETY: a linked head belongs to an allocated object.
    let o = ManuallyDrop::new(unsafe { Obj::from_raw(p.as_ptr()) });
    (o.refcount() > 0).then_some(o)
}

/// The core of the collector over the set `objs` (borrowed, all with a
/// GC head): which of them are reachable from outside the set. `held` is
/// the number of references to each that the caller itself holds and that
/// do not count as outside references.
fn analyze(objs: &[ManuallyDrop<Obj>], held: isize) -> Vec<bool> {
    fn head(o: &Obj) -> &GcHead {
        match o.gc_head() {
            Some(h) => h,
            None => unreachable!("collector sets hold GC objects only"),
        }
    }
    for o in objs {
        let h = head(o);
        h.flags.set(h.flags.get() | COLLECTING);
        h.gc_refs.set(o.refcount() - held);
    }
    // Subtract references from inside the set.
    for o in objs {
        traverse(o, &mut |r| {
            if let Some(rh) = r.gc_head() {
                if rh.flags.get() & COLLECTING != 0 {
                    rh.gc_refs.set(rh.gc_refs.get() - 1);
                }
            }
        });
    }
    // Whatever has references left is reachable from outside, and so is
    // everything it reaches.
    let mut work: Vec<Obj> = Vec::new();
    for o in objs {
        let h = head(o);
        if h.gc_refs.get() > 0 {
            h.flags.set(h.flags.get() | REACHABLE);
            work.push(Obj::clone(o));
        }
    }
    // `work` holds strong references: incrementing counts is harmless
    // here (counts were read above), and they are dropped only after the
    // flags are read; no count reaches zero because each was positive.
    let mut seen = Vec::new();
    while let Some(o) = work.pop() {
        traverse(&o, &mut |r| {
            if let Some(rh) = r.gc_head() {
                let f = rh.flags.get();
                if f & COLLECTING != 0 && f & REACHABLE == 0 {
                    rh.flags.set(f | REACHABLE);
                    work.push(r.clone());
                }
            }
        });
        seen.push(o);
    }
    let out = objs
        .iter()
        .map(|o| {
            let h = head(o);
            let f = h.flags.get();
            h.flags.set(f & !(COLLECTING | REACHABLE));
            f & REACHABLE != 0
        })
        .collect();
    drop(seen);
    out
}

/// Whether a collection is under way (nested ones are refused).
pub fn collecting() -> bool {
    with_state(|s| s.collecting.get())
}

pub(crate) fn set_collecting(on: bool) {
    with_state(|s| s.collecting.set(on));
}

/// Finds the objects of generations `0..=gen` that only objects of those
/// generations reach. Survivors move to the next generation (the
/// unreachable ones too: they are freed from there). Returns strong
/// references to the unreachable objects, flagged `UNREACHABLE`.
///
/// The order follows CPython's `move_unreachable`, because it decides the
/// order in which finalizers run (visible at exit, say): the list is
/// scanned in order; an object with no outside references is set aside
/// (tentatively unreachable); an object with some is reachable, and the
/// objects it references that were set aside go back to the end of the
/// list, to be scanned again. Survivors keep that new order in the lists.
pub fn find_unreachable(gen: usize) -> Vec<Obj> {
    with_state(|s| {
        for young in 0..gen {
            list_merge(&s.lists[young], &s.lists[gen]);
        }
        let objs: Vec<ManuallyDrop<Obj>> = list_heads(&s.lists[gen]).into_iter().filter_map(live).collect();
        let (survivors, unreachable) = move_unreachable(&objs);
        // Relink the list in the new order (objects waiting in the
        // trashcan, not part of the analysis, stay in front).
        for o in &objs {
            list_remove(gc_head_of(o));
        }
        for o in survivors.iter().chain(&unreachable) {
            list_append(&s.lists[gen], gc_head_of(o));
        }
        let mut out = Vec::with_capacity(unreachable.len());
        for o in &unreachable {
            let h = gc_head_of(o);
            h.flags.set(h.flags.get() | UNREACHABLE);
            out.push(Obj::clone(o));
        }
        let survivors = survivors.len();
        if gen < 2 {
            list_merge(&s.lists[gen], &s.lists[gen + 1]);
        }
        for c in &s.counts[..=gen] {
            c.set(0);
        }
        if gen < 2 {
            s.counts[gen + 1].set(s.counts[gen + 1].get() + 1);
        }
        if gen == 1 {
            s.long_lived_pending.set(s.long_lived_pending.get() + survivors);
        } else if gen == 2 {
            s.long_lived_pending.set(0);
            s.long_lived_total.set(survivors);
        }
        out
    })
}

fn gc_head_of(o: &Obj) -> &GcHead {
    match o.gc_head() {
        Some(h) => h,
        None => unreachable!("collector sets hold GC objects only"),
    }
}

/// Set aside during `move_unreachable`.
const TENTATIVE: usize = 64;

/// CPython's `update_refs`, `subtract_refs` and `move_unreachable` over
/// `objs` (borrowed, in list order): the reachable objects in their new
/// order and the unreachable ones, as borrowed handles. Runs no Python
/// code and drops no reference.
fn move_unreachable(objs: &[ManuallyDrop<Obj>]) -> (Vec<ManuallyDrop<Obj>>, Vec<ManuallyDrop<Obj>>) {
    for o in objs {
        let h = gc_head_of(o);
        h.flags.set(h.flags.get() | COLLECTING);
        h.gc_refs.set(o.refcount());
    }
    for o in objs {
        traverse(o, &mut |r| {
            if let Some(rh) = r.gc_head() {
                if rh.flags.get() & COLLECTING != 0 {
                    rh.gc_refs.set(rh.gc_refs.get() - 1);
                }
            }
        });
    }
    let mut young: Vec<ManuallyDrop<Obj>> = objs.iter().map(|o| ManuallyDrop::new(unsafe_clone_borrowed(o))).collect();
    let mut survivors = Vec::with_capacity(objs.len());
    let mut set_aside = Vec::new();
    let mut back = Vec::new();
    let mut i = 0;
    while i < young.len() {
        let o = ManuallyDrop::new(unsafe_clone_borrowed(&young[i]));
        let h = gc_head_of(&o);
        if h.gc_refs.get() > 0 {
            traverse(&o, &mut |r| {
                if let Some(rh) = r.gc_head() {
                    let f = rh.flags.get();
                    if f & COLLECTING == 0 {
                        return;
                    }
                    if f & TENTATIVE != 0 {
                        rh.flags.set(f & !TENTATIVE);
                        rh.gc_refs.set(1);
                        back.push(ManuallyDrop::new(unsafe_clone_borrowed(r)));
                    } else if rh.gc_refs.get() <= 0 {
                        rh.gc_refs.set(1);
                    }
                }
            });
            survivors.push(o);
            young.append(&mut back);
        } else {
            h.flags.set(h.flags.get() | TENTATIVE);
            set_aside.push(o);
        }
        i += 1;
    }
    let unreachable: Vec<ManuallyDrop<Obj>> = set_aside.into_iter().filter(|o| gc_head_of(o).flags.get() & TENTATIVE != 0).collect();
    for o in objs {
        let h = gc_head_of(o);
        h.flags.set(h.flags.get() & !(COLLECTING | TENTATIVE));
    }
    (survivors, unreachable)
}

/// After finalizers ran: splits the unreachable set into the objects still
/// unreachable and those something outside now references (resurrected,
/// with everything they reach). Clears the `UNREACHABLE` flags.
pub fn split_resurrected(objs: Vec<Obj>) -> (Vec<Obj>, Vec<Obj>) {
    let borrowed: Vec<ManuallyDrop<Obj>> = objs.iter().map(|o| ManuallyDrop::new(unsafe_clone_borrowed(o))).collect();
    let reachable = analyze(&borrowed, 1);
    let (mut dead, mut alive) = (Vec::new(), Vec::new());
    for (o, r) in objs.into_iter().zip(reachable) {
        if let Some(h) = o.gc_head() {
            h.flags.set(h.flags.get() & !UNREACHABLE);
        }
        if r {
            alive.push(o);
        } else {
            dead.push(o);
        }
    }
    (dead, alive)
}

/// A handle to `o` that does not own a count (wrapped in `ManuallyDrop`
/// by the caller).
fn unsafe_clone_borrowed(o: &Obj) -> Obj {
    // SAFETY: `o` is alive for the duration; the result is never dropped.
    unsafe { Obj::from_raw(o.as_ptr()) }
}

/// Whether generation 0 passed its threshold since the last check.
#[inline]
pub fn take_pending() -> bool {
    PENDING.with(|p| p.replace(false))
}

/// The generation an automatic collection should cover, if any (CPython's
/// `collect_generations`, with the long-lived heuristic for the oldest).
pub fn generation_due() -> Option<usize> {
    with_state(|s| {
        if !s.enabled.get() || s.collecting.get() {
            return None;
        }
        for g in (0..3).rev() {
            if s.counts[g].get() > s.thresholds[g].get() && s.thresholds[g].get() != 0 {
                if g == 2 && s.long_lived_pending.get() < s.long_lived_total.get() / 4 {
                    continue;
                }
                return Some(g);
            }
        }
        None
    })
}

pub fn is_enabled() -> bool {
    with_state(|s| s.enabled.get())
}

pub fn set_enabled(on: bool) {
    with_state(|s| s.enabled.set(on));
}

pub fn thresholds() -> [usize; 3] {
    with_state(|s| [0, 1, 2].map(|i| s.thresholds[i].get()))
}

pub fn set_thresholds(t: &[usize]) {
    with_state(|s| {
        for (i, v) in t.iter().enumerate().take(3) {
            s.thresholds[i].set(*v);
        }
    });
}

pub fn counts() -> [usize; 3] {
    with_state(|s| [0, 1, 2].map(|i| s.counts[i].get()))
}

/// Strong references to every tracked object of the generations (and the
/// permanent list when `permanent`).
pub fn tracked_objects(permanent: bool) -> Vec<Obj> {
    with_state(|s| {
        let n = if permanent { 4 } else { 3 };
        s.lists[..n].iter().flat_map(|l| list_heads(l)).filter_map(live).map(|o| Obj::clone(&o)).collect()
    })
}

/// Strong references to the tracked objects of generation `gen` (0-2).
pub fn tracked_objects_of(gen: usize) -> Vec<Obj> {
    with_state(|s| {
        s.lists.get(gen).map(|l| list_heads(l).into_iter().filter_map(live).map(|o| Obj::clone(&o)).collect()).unwrap_or_default()
    })
}

/// `gc.freeze()`: every tracked object moves to the permanent list.
pub fn freeze() {
    with_state(|s| {
        for g in 0..3 {
            list_merge(&s.lists[g], &s.lists[PERMANENT]);
            s.counts[g].set(0);
        }
    });
}

/// `gc.unfreeze()`: back into the oldest generation.
pub fn unfreeze() {
    with_state(|s| list_merge(&s.lists[PERMANENT], &s.lists[2]));
}

pub fn freeze_count() -> usize {
    with_state(|s| list_heads(&s.lists[PERMANENT]).len())
}
