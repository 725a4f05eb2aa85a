//! `_tracemalloc`: traces of the memory blocks objects take, with the
//! Python traceback that allocated each (CPython's `Modules/_tracemalloc.c`,
//! under the stdlib's pure-Python `tracemalloc.py`).
//!
//! # The hook
//! `object::raw` reports every object block it allocates
//! (`alloc_exact`, the only path objects take, free-list blocks included)
//! and frees (`dealloc`'s fast path for floats, `dealloc_now`) to
//! [`block_allocated`]/[`block_freed`] while `raw::TRACE_BLOCKS` is set.
//! Off (the normal case), that is one relaxed load and a predictable
//! branch per allocation and per deallocation.
//!
//! # A trace
//! One block: its domain (0 for objects; other domains only through the
//! Rust API [`track`]/[`untrack`], CPython's `PyTraceMalloc_Track`), its
//! address (the object's header), its size and an interned traceback.
//! The size is the bytes allocated for the object (its header, payload
//! and GC head) plus, for the types whose payload owns a variable-size
//! buffer (str, bytes, bytearray, tuple, list, dict, big int), that
//! buffer's size *at allocation*: a buffer that grows later (`append`)
//! is not re-measured. The traceback holds the allocating Python frames,
//! innermost first, at most `start(nframe)` of them, and the total number
//! of frames; frames are (code unit, line) pairs (`Rc<CodeUnit>`: no
//! Python objects, so recording a trace never allocates an object and
//! dropping one never frees one). Identical tracebacks are shared.
//!
//! # Lines
//! The eval loop keeps a running frame's instruction in a register; while
//! tracemalloc traces, `vm.tracing` is set so frames run through
//! `eval::run_frame_traced`, which publishes the instruction running
//! (`vm.callout_last`) for [`eval::visit_stack`]. Tracing thus costs what
//! `sys.settrace` without a trace function costs, plus a hash-table
//! insertion and a stack walk (depth of the stack) per allocation.
//!
//! The state is per interpreter (`Vm::tracemalloc`); the GIL is held on
//! every path that reaches it, so it takes no lock.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use crate::modules::{add_functions, NativeModuleDef};
use crate::native::{at_most, exact, FunctionDef};
use crate::object::{Obj, TRACE_BLOCKS};
use crate::types::builtin::{self, new_list, new_str, new_tuple, IntData};
use crate::types::Kwargs;
use crate::vm::Vm;
use crate::PyResult;
use taipan_compiler::bytecode::CodeUnit;

/// The largest traceback limit (`start(nframe)`): CPython keeps frame
/// counts in 16 bits.
pub const MAX_NFRAME: usize = 65535;

/// One frame of a traceback: the code and the line it was running.
struct Frame {
    unit: Rc<CodeUnit>,
    lineno: u32,
}

/// An interned traceback: frames innermost first (empty: no Python frame),
/// and how many frames the stack had (at most `MAX_NFRAME`).
struct Traceback {
    frames: Box<[Frame]>,
    total: u32,
}

impl PartialEq for Traceback {
    fn eq(&self, other: &Traceback) -> bool {
        self.total == other.total
            && self.frames.len() == other.frames.len()
            && self.frames.iter().zip(other.frames.iter()).all(|(a, b)| Rc::ptr_eq(&a.unit, &b.unit) && a.lineno == b.lineno)
    }
}

impl Eq for Traceback {}

impl Hash for Traceback {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.total.hash(h);
        for f in self.frames.iter() {
            Rc::as_ptr(&f.unit).hash(h);
            f.lineno.hash(h);
        }
    }
}

struct Trace {
    size: usize,
    traceback: Rc<Traceback>,
}

/// The tracer of one interpreter (`Vm::tracemalloc`).
pub struct Tracer {
    tracing: Cell<bool>,
    /// `start(nframe)`'s limit (kept after `stop`, as CPython does).
    limit: Cell<usize>,
    /// Traces by (domain, address).
    traces: RefCell<HashMap<(u32, usize), Trace>>,
    tracebacks: RefCell<HashSet<Rc<Traceback>>>,
    /// Traced bytes now, and the most since the last reset.
    current: Cell<usize>,
    peak: Cell<usize>,
    /// Set while a trace is being recorded or removed: blocks allocated or
    /// freed meanwhile (a dropped code reference) are not traced.
    busy: Cell<bool>,
}

impl Default for Tracer {
    fn default() -> Tracer {
        Tracer {
            tracing: Cell::new(false),
            limit: Cell::new(1),
            traces: RefCell::default(),
            tracebacks: RefCell::default(),
            current: Cell::new(0),
            peak: Cell::new(0),
            busy: Cell::new(false),
        }
    }
}

/// How many interpreters of the process trace (`raw::TRACE_BLOCKS` is
/// set while any does).
static TRACING_VMS: AtomicUsize = AtomicUsize::new(0);

/// Whether the interpreter traces allocations (`tracemalloc.is_tracing()`).
pub fn is_tracing(vm: &Vm) -> bool {
    vm.tracemalloc.tracing.get()
}

/// Starts tracing with tracebacks of at most `nframe` frames (1 to
/// [`MAX_NFRAME`]; the caller checked). Already tracing: nothing changes,
/// as in CPython.
pub fn start(vm: &Vm, nframe: usize) {
    let t = &vm.tracemalloc;
    if t.tracing.replace(true) {
        return;
    }
    t.limit.set(nframe.clamp(1, MAX_NFRAME));
    TRACING_VMS.fetch_add(1, Relaxed);
    TRACE_BLOCKS.store(true, Relaxed);
    crate::sysmodule::update_tracing(vm);
}

/// Stops tracing and forgets every trace.
pub fn stop(vm: &Vm) {
    let t = &vm.tracemalloc;
    if !t.tracing.replace(false) {
        return;
    }
    // The hook stays on while another interpreter of the process traces
    // (`block_allocated` checks the interpreter's own state).
    if TRACING_VMS.fetch_sub(1, Relaxed) == 1 {
        TRACE_BLOCKS.store(false, Relaxed);
    }
    clear(t);
    crate::sysmodule::update_tracing(vm);
}

fn clear(t: &Tracer) {
    let traces = std::mem::take(&mut *t.traces.borrow_mut());
    let tracebacks = std::mem::take(&mut *t.tracebacks.borrow_mut());
    t.current.set(0);
    t.peak.set(0);
    drop(traces);
    drop(tracebacks);
}

/// The traceback of the running Python code, interned.
fn capture(vm: &Vm, t: &Tracer) -> Rc<Traceback> {
    let limit = t.limit.get();
    let mut frames = Vec::new();
    let mut total = 0usize;
    crate::eval::visit_stack(vm, true, &mut |code, last| {
        if frames.len() < limit {
            if let Some(cd) = code.downcast::<crate::function::CodeData>() {
                frames.push(Frame { unit: cd.unit.clone(), lineno: crate::eval::line_at(code, last) });
            }
        }
        total += 1;
        total < MAX_NFRAME
    });
    let tb = Rc::new(Traceback { frames: frames.into_boxed_slice(), total: total as u32 });
    // (Never borrowed here: the tracer's own borrows allocate nothing.)
    let Ok(mut set) = t.tracebacks.try_borrow_mut() else { return tb };
    if let Some(known) = set.get(&*tb) {
        return known.clone();
    }
    set.insert(tb.clone());
    tb
}

/// Records the trace of a block (replacing an older one at the same
/// address).
fn add_trace(vm: &Vm, t: &Tracer, domain: u32, addr: usize, size: usize) {
    let traceback = capture(vm, t);
    let Ok(mut traces) = t.traces.try_borrow_mut() else { return };
    let old = traces.insert((domain, addr), Trace { size, traceback });
    drop(traces);
    let mut current = t.current.get() + size;
    if let Some(old) = old {
        current -= old.size;
    }
    t.current.set(current);
    if current > t.peak.get() {
        t.peak.set(current);
    }
}

fn remove_trace(t: &Tracer, domain: u32, addr: usize) -> bool {
    let Ok(mut traces) = t.traces.try_borrow_mut() else { return false };
    let old = traces.remove(&(domain, addr));
    drop(traces);
    match old {
        Some(old) => {
            t.current.set(t.current.get() - old.size);
            true
        }
        None => false,
    }
}

/// The bytes of the variable-size buffer an object's payload owns, for
/// the types that have one.
fn buffer_size(obj: &Obj) -> usize {
    const WORD: usize = std::mem::size_of::<usize>();
    if let Some(b) = obj.downcast::<builtin::BytesData>() {
        b.value.len()
    } else if let Some(s) = obj.downcast::<builtin::StrData>() {
        s.bytes().len()
    } else if let Some(t) = obj.downcast::<builtin::TupleData>() {
        t.items.len() * WORD
    } else if let Some(l) = obj.downcast::<builtin::ListData>() {
        l.items.try_borrow().map_or(0, |v| v.capacity() * WORD)
    } else if let Some(d) = obj.downcast::<builtin::DictData>() {
        d.heap_bytes()
    } else if let Some(b) = obj.downcast::<builtin::ByteArrayData>() {
        b.value.try_borrow().map_or(0, |v| v.capacity())
    } else if let Some(IntData::Big(n)) = obj.downcast::<IntData>() {
        (n.bits() as usize).div_ceil(64) * 8
    } else {
        0
    }
}

/// `object::raw`'s hook: `obj` was just allocated as a block of `size`
/// bytes (GC head included).
#[cold]
#[inline(never)]
pub(crate) fn block_allocated(obj: &Obj, size: usize) {
    crate::object::gc::with_current_vm(|vm| {
        let t = &vm.tracemalloc;
        if !t.tracing.get() || t.busy.replace(true) {
            return;
        }
        add_trace(vm, t, 0, obj.as_ptr() as usize, size + buffer_size(obj));
        t.busy.set(false);
    });
}

/// `object::raw`'s hook: the object block at `addr` is being freed.
#[cold]
#[inline(never)]
pub(crate) fn block_freed(addr: usize) {
    crate::object::gc::with_current_vm(|vm| {
        let t = &vm.tracemalloc;
        if !t.tracing.get() || t.busy.replace(true) {
            return;
        }
        remove_trace(t, 0, addr);
        t.busy.set(false);
    });
}

/// Traces a block of `size` bytes at `ptr` in `domain`, with the running
/// code's traceback (CPython's `PyTraceMalloc_Track`): for memory that
/// native code manages itself. False when not tracing.
pub fn track(vm: &Vm, domain: u32, ptr: usize, size: usize) -> bool {
    let t = &vm.tracemalloc;
    if !t.tracing.get() || t.busy.replace(true) {
        return false;
    }
    add_trace(vm, t, domain, ptr, size);
    t.busy.set(false);
    true
}

/// Removes the trace of the block at `ptr` in `domain`
/// (`PyTraceMalloc_Untrack`). False when not tracing.
pub fn untrack(vm: &Vm, domain: u32, ptr: usize) -> bool {
    let t = &vm.tracemalloc;
    if !t.tracing.get() || t.busy.replace(true) {
        return false;
    }
    remove_trace(t, domain, ptr);
    t.busy.set(false);
    true
}

// ---------------------------------------------------------------------
// The module

pub(crate) const MODULE: NativeModuleDef = NativeModuleDef { name: "_tracemalloc", init };

fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new(
        "_get_object_traceback",
        get_object_traceback,
        "Get the traceback where the Python object obj was allocated.\n\nReturn a tuple of (filename: str, lineno: int) tuples.\nReturn None if the tracemalloc module is disabled or did not\ntrace the allocation of the object.",
    ),
    FunctionDef::new(
        "_get_traces",
        get_traces,
        "Get traces of all memory blocks allocated by Python.\n\nReturn a list of (size: int, traceback: tuple) tuples.\ntraceback is a tuple of (filename: str, lineno: int) tuples.\n\nReturn an empty list if the tracemalloc module is disabled.",
    ),
    FunctionDef::new("clear_traces", clear_traces, "Clear traces of memory blocks allocated by Python."),
    FunctionDef::new(
        "get_traceback_limit",
        get_traceback_limit,
        "Get the maximum number of frames stored in the traceback of a trace.\n\nBy default, a trace of an allocated memory block only stores\nthe most recent frame: the limit is 1.",
    ),
    FunctionDef::new(
        "get_traced_memory",
        get_traced_memory,
        "Get the current size and peak size of memory blocks traced by tracemalloc.\n\nReturns a tuple: (current: int, peak: int).",
    ),
    FunctionDef::new(
        "get_tracemalloc_memory",
        get_tracemalloc_memory,
        "Get the memory usage in bytes of the tracemalloc module.\n\nThis memory is used internally to trace memory allocations.",
    ),
    FunctionDef::new("is_tracing", is_tracing_fn, "Return True if the tracemalloc module is tracing Python memory allocations."),
    FunctionDef::new(
        "reset_peak",
        reset_peak,
        "Set the peak size of memory blocks traced by tracemalloc to the current size.\n\nDo nothing if the tracemalloc module is not tracing memory allocations.",
    ),
    FunctionDef::new(
        "start",
        start_fn,
        "Start tracing Python memory allocations.\n\nAlso set the maximum number of frames stored in the traceback of a\ntrace to nframe.",
    ),
    FunctionDef::new("stop", stop_fn, "Stop tracing Python memory allocations.\n\nAlso clear traces of memory blocks allocated by Python."),
];

/// Checks a traceback limit (`start(nframe)`, `-X tracemalloc=N`).
pub fn check_nframe(vm: &Vm, n: &Obj) -> PyResult<usize> {
    let n = crate::ops::index(vm, n)?;
    // A C `int` first (its overflow message), then the range.
    let v = match n.downcast::<IntData>() {
        Some(IntData::Small(v)) if i32::try_from(*v).is_ok() => *v,
        _ => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int")),
    };
    if !(1..=MAX_NFRAME as i64).contains(&v) {
        return Err(vm.new_error(&vm.types.value_error, format!("the number of frames must be in range [1; {MAX_NFRAME}]")));
    }
    Ok(v as usize)
}

fn start_fn(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    crate::native::no_kwargs(vm, "_tracemalloc.start", kw)?;
    let [n] = at_most::<1>(vm, "start", 0, args, kw)?;
    let nframe = match n {
        Some(n) => check_nframe(vm, &n)?,
        None => 1,
    };
    start(vm, nframe);
    Ok(vm.none.clone())
}

fn stop_fn(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_tracemalloc.stop", args, kw)?;
    stop(vm);
    Ok(vm.none.clone())
}

fn is_tracing_fn(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_tracemalloc.is_tracing", args, kw)?;
    Ok(vm.bool(is_tracing(vm)))
}

fn clear_traces(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_tracemalloc.clear_traces", args, kw)?;
    if is_tracing(vm) {
        clear(&vm.tracemalloc);
    }
    Ok(vm.none.clone())
}

fn get_traceback_limit(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_tracemalloc.get_traceback_limit", args, kw)?;
    Ok(vm.int(vm.tracemalloc.limit.get() as i64))
}

fn get_traced_memory(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_tracemalloc.get_traced_memory", args, kw)?;
    let t = &vm.tracemalloc;
    let (current, peak) = if t.tracing.get() { (t.current.get(), t.peak.get()) } else { (0, 0) };
    Ok(new_tuple(vm, vec![vm.int(current as i64), vm.int(peak as i64)]))
}

fn reset_peak(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_tracemalloc.reset_peak", args, kw)?;
    let t = &vm.tracemalloc;
    if t.tracing.get() {
        t.peak.set(t.current.get());
    }
    Ok(vm.none.clone())
}

/// An estimate of the tracer's own memory: its two tables (hash tables
/// keep about one control byte per slot) and the tracebacks' frames.
fn get_tracemalloc_memory(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_tracemalloc.get_tracemalloc_memory", args, kw)?;
    let t = &vm.tracemalloc;
    let traces = t.traces.borrow().capacity() * (std::mem::size_of::<((u32, usize), Trace)>() + 1);
    let mut size = std::mem::size_of::<Tracer>() + traces;
    {
        let tracebacks = t.tracebacks.borrow();
        size += tracebacks.capacity() * (std::mem::size_of::<Rc<Traceback>>() + 1);
        let each = 2 * std::mem::size_of::<usize>() + std::mem::size_of::<Traceback>();
        size += tracebacks.iter().map(|tb| each + tb.frames.len() * std::mem::size_of::<Frame>()).sum::<usize>();
    }
    Ok(vm.int(size as i64))
}

/// Builds the Python tuples of tracebacks, each made once (two traces with
/// the same traceback share the tuple, as in CPython).
struct TupleCache {
    tracebacks: HashMap<*const Traceback, Obj>,
    frames: HashMap<(*const CodeUnit, u32), Obj>,
    filenames: HashMap<*const CodeUnit, Obj>,
}

impl TupleCache {
    fn new() -> TupleCache {
        TupleCache { tracebacks: HashMap::new(), frames: HashMap::new(), filenames: HashMap::new() }
    }

    fn traceback(&mut self, vm: &Vm, tb: &Rc<Traceback>) -> Obj {
        if let Some(o) = self.tracebacks.get(&Rc::as_ptr(tb)) {
            return o.clone();
        }
        let items = if tb.frames.is_empty() {
            vec![new_tuple(vm, vec![new_str(vm, "<unknown>"), vm.int(0)])]
        } else {
            tb.frames.iter().map(|f| self.frame(vm, f)).collect()
        };
        let o = new_tuple(vm, items);
        self.tracebacks.insert(Rc::as_ptr(tb), o.clone());
        o
    }

    fn frame(&mut self, vm: &Vm, f: &Frame) -> Obj {
        let key = (Rc::as_ptr(&f.unit), f.lineno);
        if let Some(o) = self.frames.get(&key) {
            return o.clone();
        }
        let name = self.filenames.entry(key.0).or_insert_with(|| new_str(vm, &f.unit.filename)).clone();
        let o = new_tuple(vm, vec![name, vm.int(i64::from(f.lineno))]);
        self.frames.insert(key, o.clone());
        o
    }
}

/// The total frame count a traceback reports (an empty one stands for
/// one unknown frame).
fn total_of(tb: &Traceback) -> i64 {
    if tb.frames.is_empty() {
        1
    } else {
        i64::from(tb.total)
    }
}

fn get_traces(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "_tracemalloc._get_traces", args, kw)?;
    let t = &vm.tracemalloc;
    if !t.tracing.get() {
        return Ok(new_list(vm, Vec::new()));
    }
    // A copy first: building the result allocates (and is traced).
    let copy: Vec<(u32, usize, Rc<Traceback>)> =
        t.traces.borrow().iter().map(|(&(domain, _), tr)| (domain, tr.size, tr.traceback.clone())).collect();
    let mut cache = TupleCache::new();
    let mut out = Vec::with_capacity(copy.len());
    for (domain, size, tb) in copy {
        let frames = cache.traceback(vm, &tb);
        out.push(new_tuple(vm, vec![vm.int(i64::from(domain)), vm.int(size as i64), frames, vm.int(total_of(&tb))]));
    }
    Ok(new_list(vm, out))
}

fn get_object_traceback(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [obj] = exact::<1>(vm, "_tracemalloc._get_object_traceback", args, kw)?;
    Ok(block_traceback(vm, 0, obj.as_ptr() as usize))
}

/// The traceback of the block at `ptr` in `domain` as `_get_traces`
/// gives it (a tuple of `(filename, lineno)`, innermost first), or None
/// when that block has no trace or tracemalloc is not tracing
/// (`_PyTraceMalloc_GetTraceback`).
pub fn block_traceback(vm: &Vm, domain: u32, ptr: usize) -> Obj {
    let t = &vm.tracemalloc;
    if !t.tracing.get() {
        return vm.none.clone();
    }
    let tb = t.traces.borrow().get(&(domain, ptr)).map(|tr| tr.traceback.clone());
    match tb {
        Some(tb) => TupleCache::new().traceback(vm, &tb),
        None => vm.none.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Objects allocated while tracing get a trace of their block and
    /// buffer; freeing removes it; `stop` forgets everything.
    #[test]
    fn traces_follow_objects() {
        let vm = Vm::new();
        let _guard = crate::object::gc::enter_vm(&vm);
        start(&vm, 3);
        assert!(TRACE_BLOCKS.load(Relaxed));
        let t = &vm.tracemalloc;
        let before = t.current.get();
        let l = new_list(&vm, Vec::with_capacity(100));
        let key = (0, l.as_ptr() as usize);
        let size = t.traces.borrow().get(&key).map(|tr| tr.size).unwrap_or(0);
        assert!(size >= 100 * std::mem::size_of::<usize>() + 16, "{size}");
        assert_eq!(t.current.get() - before, size);
        // No Python frame: the empty (unknown) traceback, shared.
        let other = new_list(&vm, Vec::new());
        {
            let traces = t.traces.borrow();
            let (a, b) = (&traces[&key].traceback, &traces[&(0, other.as_ptr() as usize)].traceback);
            assert!(a.frames.is_empty() && Rc::ptr_eq(a, b));
        }
        drop(l);
        assert!(!t.traces.borrow().contains_key(&key));
        assert!(t.peak.get() >= before + size);
        assert!(track(&vm, 7, 0x1000, 123));
        assert_eq!(t.traces.borrow()[&(7, 0x1000)].size, 123);
        assert!(untrack(&vm, 7, 0x1000));
        stop(&vm);
        assert!(t.traces.borrow().is_empty() && t.current.get() == 0);
        assert!(!track(&vm, 7, 0x1000, 123));
        drop(other);
    }
}
