//! The eval loop. Python-to-Python calls do not recurse on the Rust stack:
//! a call pushes a [`Frame`] on the loop's own frame stack and a return
//! pops it, so deep Python recursion raises `RecursionError` at the
//! recursion limit instead of overflowing the native stack.
//!
//! Frames are plain data (code, instruction index, value stack, locals) so
//! that a JIT side exit can rebuild them later.

// Frames are boxed on purpose: a call, a return or a generator resume moves
// one pointer, and finished frames are recycled whole (`FramePool`).
#![allow(clippy::vec_box)]

use crate::function::{CodeData, FunctionData};
use crate::object::Obj;
use crate::ops;
use crate::specialize;
use crate::sysmodule::ProfileEvent;
use crate::types::builtin::{self, new_list, new_tuple, str_data};
use crate::types::{is_subtype, type_data_of, type_of};
use crate::vm::{PyErr, Vm};
use crate::PyResult;
use taipan_compiler::bytecode::{decode, BinaryOp, CompareOp, Opcode};

pub struct Frame {
    code: Obj,
    ip: usize,
    /// Start of the instruction being executed (for tracebacks and the
    /// exception table).
    last: usize,
    stack: Vec<Obj>,
    fast: Vec<Option<Obj>>,
    /// Cell objects: the code's cell variables, then its free variables.
    cells: Vec<Obj>,
    globals: Obj,
    /// The locals mapping of module and class bodies (`LoadName`).
    locals: Option<Obj>,
    /// Generators: the exceptions being handled in the frame while it is
    /// suspended (back on `vm.handled` while it runs).
    saved_handled: Vec<Obj>,
    /// What `sys.settrace`/`setprofile` tracing keeps about the frame.
    trace: TraceState,
}

/// A traced frame's state: its frame object (the same one for every
/// event), the last line reported, whether its 'call' event was sent (and
/// not yet its 'return').
#[derive(Default)]
struct TraceState {
    obj: Option<Obj>,
    line: u32,
    entered: bool,
    /// Set by `resume_generator`: the frame starts running again (a
    /// 'call' event), unlike a frame running when tracing was turned on.
    resuming: bool,
}

impl Frame {
    /// The mapping `*Name` instructions use (`locals`, which module bodies
    /// share with their globals), or the globals for `*Global`.
    fn namespace(&self, name_op: bool) -> Obj {
        match &self.locals {
            Some(l) if name_op => l.clone(),
            _ => self.globals.clone(),
        }
    }

    /// Pushes the value a resumed `yield` evaluates to.
    #[inline]
    pub fn push(&mut self, v: Obj) {
        self.stack.push(v);
    }

    /// Calls `visit` on every object the frame references (for the cycle
    /// collector, when the frame is suspended in a generator).
    pub(crate) fn traverse(&self, visit: &mut dyn FnMut(&Obj)) {
        visit(&self.globals);
        if let Some(l) = &self.locals {
            visit(l);
        }
        for x in self.stack.iter() {
            visit(x);
        }
        for x in self.fast.iter().flatten() {
            visit(x);
        }
        for x in self.cells.iter() {
            visit(x);
        }
    }

    /// The frame's globals.
    pub fn globals(&self) -> &Obj {
        &self.globals
    }

    /// The code object being run.
    pub fn code(&self) -> &Obj {
        &self.code
    }

    /// The frame's frame object, if it has one.
    pub(crate) fn frame_obj(&self) -> Option<&Obj> {
        self.trace.obj.as_ref()
    }

    /// The frame's own frame object (made now if it has none: the frame
    /// keeps it), its instruction and locals brought up to date.
    pub(crate) fn own_frame_object(&mut self, vm: &Vm) -> PyResult<Obj> {
        let locals = self.locals_dict(vm)?;
        if let Some(o) = &self.trace.obj {
            if let Some(d) = o.downcast::<crate::sysmodule::FrameData>() {
                d.lasti.set(self.last as u32);
                let old = d.locals.replace(Some(locals));
                drop(old);
            }
            return Ok(o.clone());
        }
        let o = crate::sysmodule::new_frame_object(vm, self.code.clone(), self.last as u32, self.globals.clone(), locals, None);
        self.trace.obj = Some(o.clone());
        Ok(o)
    }

    /// A frame object for this frame (a snapshot: `gi_frame`,
    /// `sys._getframe`): code, current instruction, globals, locals.
    pub fn frame_object(&self, vm: &Vm, back: Option<Obj>) -> PyResult<Obj> {
        let locals = self.locals_dict(vm)?;
        Ok(crate::sysmodule::new_frame_object(vm, self.code.clone(), self.last as u32, self.globals.clone(), locals, back))
    }

    /// Code being run (for generator reprs).
    pub fn code_unit(&self) -> &taipan_compiler::bytecode::CodeUnit {
        &code_data(&self.code).unit
    }

    /// A frame running `code` with these globals and locals mappings
    /// (`exec`/`eval`).
    pub fn with_namespaces(code: Obj, globals: Obj, locals: Obj) -> Frame {
        Frame {
            code,
            ip: 0,
            last: 0,
            stack: Vec::new(),
            fast: Vec::new(),
            cells: Vec::new(),
            locals: Some(locals),
            globals,
            saved_handled: Vec::new(),
            trace: TraceState::default(),
        }
    }

    /// Gives the frame fresh cells for its code's cell variables followed
    /// by `closure` (cells for its free variables): `exec` of a code object.
    pub fn with_cells(mut self, vm: &Vm, closure: Vec<Obj>) -> Frame {
        let unit = &code_data(&self.code).unit;
        let mut cells: Vec<Obj> = unit.cellvars.iter().map(|_| new_cell(vm, None)).collect();
        cells.extend(closure);
        self.cells = cells;
        self
    }

    /// The frame's locals as a dict: its locals mapping, or (function
    /// frames) a snapshot of the bound fast locals and cells.
    pub fn locals_dict(&self, vm: &Vm) -> PyResult<Obj> {
        if let Some(l) = &self.locals {
            return Ok(l.clone());
        }
        locals_of(vm, &self.code, &self.fast, &self.cells)
    }

    /// A snapshot of the frame for frame-reading builtins.
    fn view(&self, vm: &Vm) -> PyResult<FrameView> {
        Ok(FrameView {
            globals: self.globals.clone(),
            locals: Some(self.locals_dict(vm)?),
            code: self.code.clone(),
            lasti: self.last as u32,
            callers: Vec::new(),
            obj: self.trace.obj.clone(),
            index: None,
        })
    }

    /// A view of a frame waiting in a frame chain (at `index` of
    /// `FrameChain::frames`) whose locals are not taken: a frame object
    /// made from it reads them when asked (`live_locals`).
    fn lazy_view(&self, index: usize) -> FrameView {
        FrameView {
            globals: self.globals.clone(),
            locals: self.locals.clone(),
            code: self.code.clone(),
            lasti: self.last as u32,
            callers: Vec::new(),
            obj: self.trace.obj.clone(),
            index: Some(index),
        }
    }

    /// A frame for a module body: its locals are its globals.
    pub fn module(code: Obj, globals: Obj) -> Frame {
        Frame {
            code,
            ip: 0,
            last: 0,
            stack: Vec::new(),
            fast: Vec::new(),
            cells: Vec::new(),
            locals: Some(globals.clone()),
            globals,
            saved_handled: Vec::new(),
            trace: TraceState::default(),
        }
    }

    /// The next instruction's index.
    pub fn ip(&self) -> usize {
        self.ip
    }

    /// The top of the value stack.
    pub fn top(&self) -> Option<Obj> {
        self.stack.last().cloned()
    }

    /// A suspended `yield from`/`await` whose iterator finished while
    /// something was thrown into it: `v` becomes the expression's result and
    /// the frame continues after the delegation loop.
    pub fn finish_delegation(&mut self, v: Obj) {
        let unit = &code_data(&self.code).unit;
        // After the yield: `Jump send`; the `Send` jumps to the loop's exit.
        if let (Some(Opcode::Jump), send_at) = decode(unit.code.get(self.ip).copied().unwrap_or(0)) {
            if let (Some(Opcode::Send), exit) = decode(unit.code.get(send_at as usize).copied().unwrap_or(0)) {
                self.stack.pop();
                self.stack.push(v);
                self.ip = exit as usize;
            }
        }
    }
}

fn code_data(code: &Obj) -> &CodeData {
    match code.downcast::<CodeData>() {
        Some(c) => c,
        None => unreachable!("frame code is a code object"),
    }
}

/// What an instruction asks the loop to do next.
enum Flow {
    Next,
    /// Push the frame left in the step's `pending` slot and run it (a
    /// Python call). The frame travels outside `Flow` so that every
    /// instruction's result stays two words.
    Call,
    /// Return this value from the current frame.
    Return(Obj),
    /// Suspend the (generator) frame, producing this value (`true`: a
    /// yield of `yield from`/`await`).
    Yield(Obj, bool),
    /// The instruction is done and a native call switched tracing or
    /// profiling on (`sys.setprofile`, `Profiler.enable`): leave the
    /// untraced loop so that the frame goes on in [`run_frame_traced`].
    Retrace,
}

/// An exception leaving an instruction; `add_here` is false when it is
/// re-raised and the current frame is already in its traceback. A `raise`
/// statement (`explicit`) chains the exception being handled as its
/// `__context__` (CPython's `_PyErr_SetObject`); an error coming back
/// from a call only gets one if it has none: Python code that raised it
/// in a nested loop (a generator, a callback) chained it there already,
/// and may have set `__context__` itself since.
struct Raised {
    exc: Obj,
    add_here: bool,
    explicit: bool,
}

impl From<PyErr> for Raised {
    fn from(e: PyErr) -> Raised {
        Raised { exc: e.exc, add_here: true, explicit: false }
    }
}

/// Runs `frame` (and every frame it calls) to completion.
pub fn run(vm: &Vm, frame: Frame) -> PyResult<Obj> {
    run_boxed(vm, Box::new(frame))
}

fn run_boxed(vm: &Vm, frame: Box<Frame>) -> PyResult<Obj> {
    if vm.depth.get() >= vm.recursion_limit.get() {
        recycle(vm, frame);
        return Err(vm.new_error(&vm.types.recursion_error, "maximum recursion depth exceeded"));
    }
    vm.depth.set(vm.depth.get() + 1);
    let _guard = crate::object::gc::enter_vm(vm);
    let base = start_run(vm, &frame);
    let (r, kept) = run_frames_until(vm, frame, base);
    end_run(vm);
    if let Some(f) = kept {
        vm.depth.set(vm.depth.get() - 1);
        recycle(vm, f);
    }
    match r? {
        Exit::Return(v) => Ok(v),
        Exit::Yield(..) => Err(vm.new_error(&vm.types.runtime_error, "yield outside a generator (compiler bug)")),
    }
}

/// Calls a Python function from Rust (a nested eval loop). The arguments
/// are bound straight from the caller's slice into a recycled frame: the
/// call allocates nothing in the common case.
pub fn call_function(vm: &Vm, f: &FunctionData, args: &[Obj], kw: &[(Obj, Obj)]) -> PyResult<Obj> {
    call_function_self(vm, f, None, args, kw)
}

/// [`call_function`] with `self_arg` before `args` (a bound method, a
/// special method called for its instance), without building a new
/// argument vector.
pub fn call_function_self(vm: &Vm, f: &FunctionData, self_arg: Option<&Obj>, args: &[Obj], kw: &[(Obj, Obj)]) -> PyResult<Obj> {
    let frame = enter_function(vm, f, self_arg, args, kw)?;
    if code_data(&frame.code).unit.flags & GENERATOR_FLAGS != 0 {
        return Ok(crate::generator::new_generator(vm, frame, None));
    }
    run_boxed(vm, frame)
}

/// Runs a class body (a function's code) with `ns` as its locals mapping;
/// returns what the body returns (the `__class__` cell, or None).
pub fn run_class_body(vm: &Vm, f: &FunctionData, ns: Obj) -> PyResult<Obj> {
    let code = f.code.borrow().clone();
    let unit = &code_data(&code).unit;
    let mut cells: Vec<Obj> = unit.cellvars.iter().map(|_| new_cell(vm, None)).collect();
    cells.extend(f.closure.iter().cloned());
    let frame = Frame {
        code: code.clone(),
        ip: 0,
        last: 0,
        stack: Vec::new(),
        fast: Vec::new(),
        cells,
        globals: f.globals.clone(),
        locals: Some(ns),
        saved_handled: Vec::new(),
        trace: TraceState::default(),
    };
    run(vm, frame)
}

/// A new cell object holding `v`.
pub fn new_cell(vm: &Vm, v: Option<Obj>) -> Obj {
    crate::object::alloc(vm.types.cell.clone(), CellData { value: std::cell::RefCell::new(v) })
}

/// What zero-argument `super()` reads from the calling frame: the
/// `__class__` cell's class and the first argument (CPython's
/// `super_init_without_args`).
fn super_args(vm: &Vm, f: &Frame) -> PyResult<[Obj; 2]> {
    let unit = &code_data(&f.code).unit;
    let runtime = |m: &str| vm.new_error(&vm.types.runtime_error, m);
    if unit.argcount == 0 || f.locals.is_some() {
        return Err(runtime("super(): no arguments"));
    }
    let first = match unit.cellvars.iter().position(|c| *c == unit.varnames[0]) {
        Some(i) => f.cells.get(i).and_then(cell_get),
        None => f.fast.first().cloned().flatten(),
    };
    let Some(first) = first else { return Err(runtime("super(): arg[0] deleted")) };
    let Some(i) = unit.freevars.iter().position(|n| &**n == "__class__") else {
        return Err(runtime("super(): __class__ cell not found"));
    };
    match f.cells.get(unit.cellvars.len() + i).and_then(cell_get) {
        Some(c) if c.downcast::<crate::types::TypeData>().is_some() => Ok([c, first]),
        Some(_) => Err(runtime("super(): __class__ is not a type")),
        None => Err(runtime("super(): empty __class__ cell")),
    }
}

/// Calling code with these flags makes a generator, coroutine or async
/// generator object.
const GENERATOR_FLAGS: u32 =
    taipan_compiler::codegen::CO_GENERATOR | taipan_compiler::codegen::CO_COROUTINE | taipan_compiler::codegen::CO_ASYNC_GENERATOR;

/// How a run of frames ended: the base frame returned, or (generators)
/// yielded (`true`: from `yield from`/`await`).
pub enum Exit {
    Return(Obj),
    Yield(Obj, bool),
}

/// How a suspended generator frame is resumed.
pub enum Resume {
    /// The value of the pending `yield`.
    Value(Obj),
    /// An exception raised at the pending `yield`.
    Throw(Obj),
    /// Just go on (a fresh frame, or one whose stack is already set).
    Continue,
}

/// Resumes a generator's frame until it yields (the frame is handed back)
/// or finishes.
pub fn resume_generator(vm: &Vm, mut frame: Box<Frame>, input: Resume) -> (PyResult<Exit>, Option<Box<Frame>>) {
    if vm.depth.get() >= vm.recursion_limit.get() {
        return (Err(vm.new_error(&vm.types.recursion_error, "maximum recursion depth exceeded")), Some(frame));
    }
    vm.depth.set(vm.depth.get() + 1);
    let base_handled = vm.handled.borrow().len();
    vm.handled.borrow_mut().append(&mut frame.saved_handled);
    // Resumed while tracing: a 'call' event (a frame resumed untraced
    // sends none if tracing starts while it runs).
    frame.trace.resuming = vm.tracing.get();
    let _guard = crate::object::gc::enter_vm(vm);
    let base = start_run(vm, &frame);
    let started = match input {
        Resume::Value(v) => {
            frame.stack.push(v);
            Ok(frame)
        }
        Resume::Continue => Ok(frame),
        Resume::Throw(mut exc) => {
            // A traced generator hears its 'call' before the exception
            // thrown in at its `yield`.
            if frame.trace.resuming && vm.tracing.get() {
                frame.trace.entered = true;
                frame.trace.resuming = false;
                let l = line_of(code_data(&frame.code), frame.last);
                if l != 0 {
                    frame.trace.line = l;
                }
                if let Err(e) = trace_event_at(vm, &mut frame, "call", vm.none.clone(), None) {
                    exc = e.exc;
                }
            }
            unwind(vm, frame, base, Raised { exc, add_here: true, explicit: true })
        }
    };
    let (r, mut kept) = match started {
        Ok(frame) => run_frames_until(vm, frame, base),
        Err(e) => (Err(e), None),
    };
    end_run(vm);
    let extra = {
        let mut h = vm.handled.borrow_mut();
        let at = base_handled.min(h.len());
        h.split_off(at)
    };
    if let Some(f) = kept.as_mut() {
        f.saved_handled = extra;
        vm.depth.set(vm.depth.get() - 1);
    }
    (r, kept)
}

/// Runs `first` (the base frame of a run of the loop) and the frames it
/// calls until it returns, raises or yields. The frames it calls wait in
/// the thread's frame chain above `base` while their callees run. A
/// yielding base frame is handed back.
fn run_frames_until(vm: &Vm, first: Box<Frame>, base: usize) -> (PyResult<Exit>, Option<Box<Frame>>) {
    let mut pending: Option<Box<Frame>> = None;
    let mut cur = first;
    loop {
        let code_obj = cur.code.clone();
        let cd = code_data(&code_obj);
        // Run this frame until it calls, returns or raises.
        let flow =
            if vm.tracing.get() { run_frame_traced(vm, &mut cur, cd, &mut pending) } else { run_frame(vm, &mut cur, cd, &mut pending) };
        let raised = match flow {
            Ok(Flow::Next | Flow::Retrace) => continue,
            Ok(Flow::Call) => {
                let Some(new) = pending.take() else { unreachable!("a call leaves its frame pending") };
                if vm.depth.get() >= vm.recursion_limit.get() {
                    recycle(vm, new);
                    vm.new_error(&vm.types.recursion_error, "maximum recursion depth exceeded").into()
                } else {
                    vm.depth.set(vm.depth.get() + 1);
                    // The caller waits in the chain (where `sys._getframe`
                    // finds it), the callee runs.
                    let caller = std::mem::replace(&mut cur, new);
                    vm.frame_chain.borrow_mut().frames.push(caller);
                    // The callee's entry polls the eval breaker (CPython's
                    // `RESUME`); what it raises comes from the callee's frame.
                    match poll_breaker(vm) {
                        Ok(()) => continue,
                        Err(e) => e.into(),
                    }
                }
            }
            Ok(Flow::Return(v)) => {
                vm.depth.set(vm.depth.get() - 1);
                let caller = pop_caller(vm, base);
                match caller {
                    Some(caller) => {
                        let generator = cd.generator;
                        recycle(vm, std::mem::replace(&mut cur, caller));
                        if generator {
                            // A generator resumed in this loop finished.
                            leave_generator(vm, &mut cur, None);
                            generator_returned(&mut cur, v);
                            continue;
                        }
                        // The callee stayed on the caller's stack during
                        // the call (`call_callee`): the result replaces it.
                        match cur.stack.last_mut() {
                            Some(top) => *top = v,
                            None => cur.stack.push(v),
                        }
                        continue;
                    }
                    None => {
                        recycle(vm, cur);
                        return (Ok(Exit::Return(v)), None);
                    }
                }
            }
            Ok(Flow::Yield(v, d)) => match pop_caller(vm, base) {
                // The base frame of a generator's own run.
                None => return (Ok(Exit::Yield(v, d)), Some(cur)),
                // A generator resumed in this loop (`enter_generator`):
                // it waits in its generator again, the resumer goes on.
                Some(caller) => {
                    vm.depth.set(vm.depth.get() - 1);
                    let frame = std::mem::replace(&mut cur, caller);
                    leave_generator(vm, &mut cur, Some(frame));
                    cur.stack.push(v);
                    continue;
                }
            },
            Err(r) => r,
        };
        cur = match unwind(vm, cur, base, raised) {
            Ok(f) => f,
            Err(e) => return (Err(e), None),
        };
    }
}

/// The frame object of frame `f` for the traceback entry an exception
/// passing through it gets (`tb_frame`, CPython's `PyTraceBack_Here`): the
/// frame keeps it (its locals are read live, then kept when it finishes).
/// Its `f_back` is its caller's frame object when the caller waits in
/// this run (given one too); a frame called from native code gets its
/// `f_back` from `sys._getframe` or the trace machinery.
#[inline(never)]
fn traceback_frame(vm: &Vm, f: &mut Frame, base: usize) -> Obj {
    let obj = match &f.trace.obj {
        Some(o) => {
            if let Some(d) = o.downcast::<crate::sysmodule::FrameData>() {
                d.lasti.set(f.last as u32);
            }
            o.clone()
        }
        None => {
            let o = crate::sysmodule::lazy_frame_object(vm, f.code.clone(), f.last as u32, f.globals.clone(), f.locals.clone(), None);
            f.trace.obj = Some(o.clone());
            o
        }
    };
    let Some(d) = obj.downcast::<crate::sysmodule::FrameData>() else { return obj };
    if d.back.borrow().is_none() {
        // The caller's object, or what makes one (outside the borrow).
        let caller = {
            let chain = vm.frame_chain.borrow();
            match chain.frames.last() {
                Some(c) if chain.frames.len() > base => Some(match &c.trace.obj {
                    Some(o) => Ok(o.clone()),
                    None => Err((c.code.clone(), c.last as u32, c.globals.clone(), c.locals.clone())),
                }),
                _ => None,
            }
        };
        let back = match caller {
            Some(Ok(o)) => Some(o),
            Some(Err((code, last, globals, locals))) => {
                let o = crate::sysmodule::lazy_frame_object(vm, code, last, globals, locals, None);
                let mut chain = vm.frame_chain.borrow_mut();
                if let Some(c) = chain.frames.last_mut() {
                    if c.trace.obj.is_none() {
                        c.trace.obj = Some(o.clone());
                    }
                }
                Some(o)
            }
            None => None,
        };
        let old = d.back.replace(back);
        drop(old);
    }
    obj
}

/// The innermost frame waiting in the chain above `base` (the caller of
/// the frame that returned), taken out of the chain.
#[inline]
fn pop_caller(vm: &Vm, base: usize) -> Option<Box<Frame>> {
    let mut chain = vm.frame_chain.borrow_mut();
    if chain.frames.len() > base {
        chain.frames.pop()
    } else {
        None
    }
}

/// Before `exc` gets `handled` as its `__context__`: if `exc` is already
/// in `handled`'s context chain, the link to it is cut so that no cycle
/// forms (CPython's `_PyErr_SetObject`; a cycle that was there before is
/// walked once, with Floyd's tortoise, and left alone).
fn break_context_cycle(handled: &Obj, exc: &Obj) {
    let context = |o: &Obj| builtin::exception_data(o).and_then(|d| d.context.borrow().clone());
    let mut o = handled.clone();
    let mut slow = handled.clone();
    let mut toggle = false;
    while let Some(c) = context(&o) {
        if c.is(exc) {
            if let Some(d) = builtin::exception_data(&o) {
                *d.context.borrow_mut() = None;
            }
            break;
        }
        o = c;
        if o.is(&slow) {
            break;
        }
        if toggle {
            match context(&slow) {
                Some(s) => slow = s,
                None => break,
            }
        }
        toggle = !toggle;
    }
}

/// Looks for a handler for `r` in the innermost frames, popping frames
/// that have none and recording each in the traceback. `Err` when the
/// exception leaves the outermost frame.
fn unwind(vm: &Vm, mut cur: Box<Frame>, base: usize, r: Raised) -> PyResult<Box<Frame>> {
    let exc = r.exc;
    let mut add_here = r.add_here;
    if add_here {
        // A new raise while handling another exception chains to it.
        let top = vm.handled.borrow().last().cloned();
        if let (Some(top), Some(d)) = (top, builtin::exception_data(&exc)) {
            if !top.is(&exc) && (r.explicit || d.context.borrow().is_none()) {
                break_context_cycle(&top, &exc);
                *d.context.borrow_mut() = Some(top);
            }
        }
    }
    let mut exc = exc;
    loop {
        let f = &mut cur;
        let here = f.last as u32;
        // The traced frame's 'exception' event sees the traceback entry
        // of the frame (CPython's `PyTraceBack_Here` comes first).
        let traced = add_here && vm.tracing.get() && (f.trace.entered || f.trace.obj.is_some());
        if add_here {
            if let Some(d) = builtin::exception_data(&exc) {
                let frame = traceback_frame(vm, f, base);
                d.traceback.borrow_mut().push((f.code.clone(), here, f.globals.clone(), Some(frame)));
            }
        }
        // A re-raise (`add_here` false) sends no new 'exception' event,
        // as CPython's RERAISE skips it.
        if traced {
            if let Err(e) = trace_exception(vm, f, &exc) {
                exc = e.exc;
            }
        }
        add_here = true;
        let handler = code_data(&f.code).unit.exception_table.iter().find(|e| e.start <= here && here < e.end).copied();
        if let Some(h) = handler {
            f.stack.truncate(h.depth as usize);
            f.stack.push(exc);
            f.ip = h.target as usize;
            return Ok(cur);
        }
        vm.depth.set(vm.depth.get() - 1);
        if vm.tracing.get() && (cur.trace.entered || cur.trace.obj.is_some() || crate::sysmodule::profiling(vm)) {
            cur.trace.entered = false;
            let shown = shown_line(&cur);
            if let Err(e) = trace_event_at(vm, &mut cur, "return", vm.none.clone(), shown) {
                exc = e.exc;
            }
        }
        let generator = code_data(&cur.code).unit.flags & GENERATOR_FLAGS != 0;
        match pop_caller(vm, base) {
            Some(caller) => {
                recycle(vm, std::mem::replace(&mut cur, caller));
                if generator {
                    // A generator resumed in this loop raised: it is
                    // finished, its resumer sees the exception at the
                    // resuming instruction (StopIteration converted).
                    if let Some(e) =
                        leave_generator(vm, &mut cur, None).and_then(|g| crate::generator::finish_inline(vm, &g, Some(exc.clone())))
                    {
                        exc = e;
                    }
                }
            }
            None => {
                recycle(vm, cur);
                return Err(PyErr { exc });
            }
        }
    }
}

/// Whether `ForIter`/`Send` may run a generator's frame in the current
/// loop: not while tracing (the nested run sends the events), and not at
/// the recursion limit (the nested run raises RecursionError).
#[inline(always)]
fn can_inline_resume(vm: &Vm) -> bool {
    !vm.tracing.get() && vm.depth.get() < vm.recursion_limit.get()
}

/// Starts running a generator's `frame` (taken by `take_inline`) as the
/// callee of `f`, which keeps the generator on its stack: the frame's
/// handled exceptions go back on `vm.handled` as in `resume_generator`.
fn enter_generator(vm: &Vm, f: &mut Frame, here: usize, mut frame: Box<Frame>, pending: &mut Option<Box<Frame>>) -> Flow {
    f.last = here;
    // Only untraced frames run here (`can_inline_resume`): tracing
    // turned on while the frame runs sends it no 'call' event.
    frame.trace.resuming = false;
    let handled_base = vm.handled.borrow().len();
    if !frame.saved_handled.is_empty() {
        vm.handled.borrow_mut().append(&mut frame.saved_handled);
    }
    vm.frame_chain.borrow_mut().generator_handled.push(handled_base);
    *pending = Some(frame);
    Flow::Call
}

/// A generator's frame run by `enter_generator` leaves for its resumer
/// `caller` (whose stack top is the generator): suspended (`Some`, it
/// yielded) or finished. Its handled exceptions leave `vm.handled`.
/// Returns the generator when it finished.
fn leave_generator(vm: &Vm, caller: &mut Frame, frame: Option<Box<Frame>>) -> Option<Obj> {
    let base = vm.frame_chain.borrow_mut().generator_handled.pop().unwrap_or(0);
    let extra = {
        let mut h = vm.handled.borrow_mut();
        if h.len() > base {
            h.split_off(base)
        } else {
            Vec::new()
        }
    };
    let g = caller.stack.last()?;
    match frame {
        Some(mut frame) => {
            if !extra.is_empty() {
                frame.saved_handled = extra;
            }
            crate::generator::suspend_inline(vm, g, frame);
            None
        }
        None => {
            crate::generator::finish_inline(vm, g, None);
            Some(g.clone())
        }
    }
}

/// A generator resumed in this loop returned `v`: its resumer goes on as
/// when the generator raised StopIteration(v). A `for` loop ends; the
/// result of `yield from` is `v`.
fn generator_returned(caller: &mut Frame, v: Obj) {
    let (op, target) = decode(code_data(&caller.code).unit.code.get(caller.last).copied().unwrap_or(0));
    caller.stack.pop();
    if op == Some(Opcode::Send) {
        caller.stack.push(v);
    }
    caller.ip = target as usize;
}

/// Runs frame `f` until an instruction calls, returns, yields or raises.
/// `step` is inlined into this loop: one function call per instruction
/// costs more than most instructions. It is itself inlined into
/// `run_frames_until` (its only untraced caller): a Python call or return
/// switches frames without leaving the function.
#[inline(always)]
fn run_frame(vm: &Vm, f: &mut Frame, cd: &CodeData, pending: &mut Option<Box<Frame>>) -> Result<Flow, Raised> {
    // The instruction pointer lives in a local (a register) while the frame
    // runs and goes back into the frame whenever the frame is left.
    // `f.last` (the traceback's and `f_lasti`'s instruction) is stored only
    // then too: by `call_callee` before a call, here on any other exit.
    let mut ip = f.ip;
    loop {
        let here = ip;
        match step(vm, f, &mut ip, cd, pending) {
            Ok(Flow::Next) => {}
            Ok(Flow::Call) => {
                f.ip = ip;
                return Ok(Flow::Call);
            }
            Ok(other) => {
                f.ip = ip;
                f.last = here;
                return Ok(other);
            }
            Err(e) => {
                f.ip = ip;
                f.last = here;
                return Err(e);
            }
        }
    }
}

/// [`run_frame`] while a trace or profile function is installed: sends
/// the frame's 'call', 'line', 'opcode', 'return' events (CPython's
/// `call_trace_protected`), instruction by instruction. A 'line' event
/// goes out when an instruction's line differs from the line that ran
/// last, or after a backward jump (not `Send`'s: `yield from` and
/// `await` loops); instructions without a line (the compiler's
/// artificial ones) send none and count as the line that ran last. A
/// trace function may move the frame to another line (`f_lineno`).
#[inline(never)]
fn run_frame_traced(vm: &Vm, f: &mut Frame, cd: &CodeData, pending: &mut Option<Box<Frame>>) -> Result<Flow, Raised> {
    if !f.trace.entered && (f.ip == 0 || f.trace.resuming) {
        f.trace.entered = true;
        f.trace.resuming = false;
        // A resumed generator reports the line of its `yield` and sends
        // no new 'line' event for it.
        if f.ip == 0 {
            f.trace.line = 0;
            f.last = 0;
        }
        let first = (f.ip == 0).then(|| cd.unit.firstlineno);
        trace_event_at(vm, f, "call", vm.none.clone(), first)?;
    }
    // A frame traced from the middle (tracing turned on while it ran, or
    // a generator made before) counts the line it stopped at as run.
    // So does a frame coming back (from a call, or untraced since tracing
    // stopped and started again): its last line may be stale.
    if f.ip != 0 {
        let l = line_of(cd, f.last);
        if l != 0 || f.trace.line == 0 {
            f.trace.line = l;
        }
    }
    let mut ip = f.ip;
    let mut prev = ip;
    loop {
        let mut here = ip;
        if vm.tracing.get() {
            let line = line_of(cd, here);
            let backward = here < prev && !matches!(decode(cd.unit.code[here]).0, Some(Opcode::Send));
            if line != 0 && (line != f.trace.line || backward) {
                f.trace.line = line;
                f.last = here;
                f.ip = here;
                trace_event(vm, f, "line", vm.none.clone())?;
                if let Some(target) = take_jump(vm, f, cd) {
                    here = target;
                    ip = target;
                    f.ip = target;
                    f.last = target;
                    let l = line_of(cd, target);
                    if l != 0 {
                        f.trace.line = l;
                    }
                }
            }
            if f.trace.obj.as_ref().and_then(|o| o.downcast::<crate::sysmodule::FrameData>()).is_some_and(|d| d.trace_opcodes.get()) {
                f.last = here;
                f.ip = here;
                let shown = shown_line(f);
                trace_event_at(vm, f, "opcode", vm.none.clone(), shown)?;
            }
        }
        prev = here;
        // Profilers see calls of built-in functions ('c_call', ...).
        let c_callee = if crate::sysmodule::profiling(vm) { builtin_callee(vm, f, cd, here) } else { None };
        if let Some(func) = &c_callee {
            f.last = here;
            f.ip = here;
            c_profile_event(vm, f, ProfileEvent::CCall, func)?;
        }
        {
            // What a run started by this instruction sees as its caller.
            let mut chain = vm.frame_chain.borrow_mut();
            let same = match (&chain.running_trace, &f.trace.obj) {
                (Some(a), Some(b)) => a.is(b),
                (a, b) => a.is_none() && b.is_none(),
            };
            if !same {
                let old = std::mem::replace(&mut chain.running_trace, f.trace.obj.clone());
                drop(chain);
                drop(old);
            }
        }
        // Native code run by this instruction (an allocation traced by
        // `tracemalloc`, a nested run's `f_back`) sees this instruction.
        vm.callout_last.set(here as u32);
        vm.callout_code.set(f.code.as_ptr() as usize);
        let r = step(vm, f, &mut ip, cd, pending);
        if let Some(func) = &c_callee {
            let ev = if r.is_err() { ProfileEvent::CException } else { ProfileEvent::CReturn };
            f.last = here;
            if let Err(e) = c_profile_event(vm, f, ev, func) {
                f.ip = ip;
                return Err(e.into());
            }
        }
        match r {
            Ok(Flow::Next) => {}
            Ok(Flow::Call) => {
                f.ip = ip;
                return Ok(Flow::Call);
            }
            Ok(other) => {
                f.ip = ip;
                f.last = here;
                if let Flow::Return(v) | Flow::Yield(v, _) = &other {
                    // The profiler hears every return, also of frames
                    // that started before it was installed (as in CPython);
                    // a frame given an `f_trace` gets its 'return' too.
                    if f.trace.entered || f.trace.obj.is_some() || crate::sysmodule::profiling(vm) {
                        f.trace.entered = false;
                        let shown = shown_line(f);
                        trace_event_at(vm, f, "return", v.clone(), shown)?;
                    }
                }
                return Ok(other);
            }
            Err(e) => {
                f.ip = ip;
                f.last = here;
                return Err(e);
            }
        }
    }
}

/// `PrintExpr` (interactive statements): calls `sys.displayhook`.
#[cold]
fn print_expr(vm: &Vm, v: &Obj) -> PyResult<()> {
    let hook = match builtin::dict_get_str(vm, &vm.modules, "sys")? {
        Some(sys) => crate::classes::getattr_opt(vm, &sys, &vm.intern("displayhook"))?,
        None => None,
    };
    let Some(hook) = hook else {
        return Err(vm.new_error(&vm.types.runtime_error, "lost sys.displayhook"));
    };
    ops::call(vm, &hook, std::slice::from_ref(v)).map(drop)
}

/// The line of instruction `at` (0: an artificial instruction).
fn line_of(cd: &CodeData, at: usize) -> u32 {
    cd.unit.locations.get(at).map_or(0, |l| l.lineno)
}

/// The `f_lineno` a trace event shows for `f` when its current instruction
/// is artificial: the line that ran last (None: the instruction's own).
fn shown_line(f: &Frame) -> Option<u32> {
    let cd = code_data(&f.code);
    if line_of(cd, f.last) != 0 {
        return None;
    }
    Some(if f.trace.line != 0 { f.trace.line } else { cd.unit.firstlineno })
}

/// Carries out a jump a trace function asked for by setting `f_lineno`
/// (checked by `jump::find_target`): pops the value-stack items and the
/// handled exceptions the target has no room for. The target instruction,
/// or None (no jump, or the stack is not what the analysis expects).
fn take_jump(vm: &Vm, f: &mut Frame, cd: &CodeData) -> Option<usize> {
    use crate::jump::Kind;
    let target = f.trace.obj.as_ref()?.downcast::<crate::sysmodule::FrameData>()?.jump.take()? as usize;
    let stacks = crate::jump::mark_stacks(&cd.unit);
    let from = stacks.get(f.last)?.as_ref()?;
    let to = stacks.get(target)?.as_ref()?;
    if from.iter().filter(|k| **k != Kind::Except).count() != f.stack.len() || !crate::jump::compatible(from, to) {
        return None;
    }
    for k in from[to.len()..].iter().rev() {
        if *k == Kind::Except {
            let popped = vm.handled.borrow_mut().pop();
            drop(popped);
        } else {
            let popped = f.stack.pop();
            drop(popped);
        }
    }
    Some(target)
}

/// The frame object trace functions get for `f` (made on its first event
/// and kept: debuggers compare frames by identity), brought up to date.
fn trace_object(vm: &Vm, f: &mut Frame) -> PyResult<Obj> {
    if let Some(o) = &f.trace.obj {
        if let Some(d) = o.downcast::<crate::sysmodule::FrameData>() {
            d.lasti.set(f.last as u32);
            let locals = f.locals_dict(vm)?;
            let old = d.locals.replace(Some(locals));
            drop(old);
        }
        return Ok(o.clone());
    }
    // The caller's frame object when it has one (same run), else
    // snapshots of the chain.
    let caller = {
        let chain = vm.frame_chain.borrow();
        let base = chain.runs.last().map_or(0, |r| r.base);
        if chain.frames.len() > base {
            chain.frames.last().and_then(|c| c.trace.obj.clone())
        } else {
            chain.runs.last().and_then(|r| r.outer_trace.clone())
        }
    };
    let back = match caller {
        Some(c) => Some(c),
        None => {
            let views = chain_views(vm)?;
            let mut back: Option<Obj> = None;
            for v in &views {
                back = Some(crate::sysmodule::frame_object_of_view(vm, v, back));
            }
            back
        }
    };
    let o = crate::sysmodule::new_frame_object(vm, f.code.clone(), f.last as u32, f.globals.clone(), f.locals_dict(vm)?, back);
    f.trace.obj = Some(o.clone());
    Ok(o)
}

/// Calls a trace or profile function with tracing off (CPython's
/// `tstate->tracing`).
fn call_hook(vm: &Vm, hook: &Obj, frame: &Obj, event: &str, arg: Obj) -> PyResult<Obj> {
    crate::sysmodule::enter_hook(vm);
    let r = ops::call(vm, hook, &[frame.clone(), vm.intern(event), arg]);
    crate::sysmodule::leave_hook(vm);
    r
}

/// Sends `event` about frame `f`: to the profile function ('call' and
/// 'return'), then to the trace function: the global one for 'call', the
/// frame's `f_trace` otherwise; what it returns (unless None) becomes the
/// frame's `f_trace`. A hook that raises is removed (CPython's
/// `trace_trampoline`/`profile_trampoline`).
fn trace_event(vm: &Vm, f: &mut Frame, event: &str, arg: Obj) -> PyResult<()> {
    trace_event_at(vm, f, event, arg, None)
}

/// The built-in function the call instruction at `here` is about to call
/// (CPython's `trace_call_function`): a `builtin_function_or_method`, or
/// a method descriptor bound to its first argument; `None` for other
/// callees and other instructions.
fn builtin_callee(vm: &Vm, f: &Frame, cd: &CodeData, here: usize) -> Option<Obj> {
    let (op, arg) = decode(*cd.unit.code.get(here)?);
    let n = arg as usize;
    let st = &f.stack;
    let len = st.len();
    // The callee's slot and the first positional argument's.
    let (at, first) = match op? {
        Opcode::Call => {
            let at = len.checked_sub(n + 1)?;
            (at, (n > 0).then_some(at + 1))
        }
        Opcode::CallKw => {
            let at = len.checked_sub(n + 2)?;
            (at, (n > 0).then_some(at + 1))
        }
        Opcode::CallMethod | Opcode::CallMethodKw => {
            let top = if op == Some(Opcode::CallMethodKw) { len.checked_sub(1)? } else { len };
            let m = top.checked_sub(n + 2)?;
            if st[m].is(&vm.null_marker) {
                (m + 1, (n > 0).then_some(m + 2))
            } else {
                (m, Some(m + 1))
            }
        }
        Opcode::CallFunctionEx => {
            let at = len.checked_sub(2 + (arg as usize & 1))?;
            let first = st[at + 1].downcast::<builtin::TupleData>().and_then(|t| t.items.first().cloned());
            return bind_builtin(vm, &st[at], first.as_ref());
        }
        _ => return None,
    };
    bind_builtin(vm, &st[at], first.map(|i| &st[i]))
}

fn bind_builtin(vm: &Vm, callee: &Obj, first: Option<&Obj>) -> Option<Obj> {
    let t = callee.type_ptr();
    if std::ptr::eq(t, vm.types.builtin_function.as_ptr()) || std::ptr::eq(t, vm.types.builtin_method.as_ptr()) {
        return Some(callee.clone());
    }
    if std::ptr::eq(t, vm.types.method_descriptor.as_ptr()) {
        let this = first?;
        let get = type_data_of(callee).slots.get().descr_get?;
        return get(vm, callee, Some(this), &type_of(this)).ok();
    }
    None
}

/// Sends a 'c_call', 'c_return' or 'c_exception' event about `func` to the
/// profiler (native or a Python profile function).
fn c_profile_event(vm: &Vm, f: &mut Frame, ev: ProfileEvent, func: &Obj) -> PyResult<()> {
    if let Some((p, hook)) = crate::sysmodule::native_profile(vm) {
        native_profile_event(vm, &p, hook, ev, func);
        return Ok(());
    }
    let (_, Some(p)) = crate::sysmodule::hooks(vm) else { return Ok(()) };
    let o = trace_object(vm, f)?;
    if let Err(e) = call_hook(vm, &p, &o, ev.name(), func.clone()) {
        crate::sysmodule::clear_profile(vm);
        return Err(e);
    }
    Ok(())
}

/// Calls a native profiler with tracing off.
fn native_profile_event(vm: &Vm, p: &Obj, hook: crate::sysmodule::NativeProfileFn, ev: ProfileEvent, subject: &Obj) {
    crate::sysmodule::enter_hook(vm);
    hook(vm, p, ev, subject);
    crate::sysmodule::leave_hook(vm);
}

/// [`trace_event`] with the frame's `f_lineno` shown as `line`.
fn trace_event_at(vm: &Vm, f: &mut Frame, event: &str, arg: Obj, line: Option<u32>) -> PyResult<()> {
    if let (Some((p, hook)), "call" | "return") = (crate::sysmodule::native_profile(vm), event) {
        let ev = if event == "call" { ProfileEvent::Call } else { ProfileEvent::Return };
        native_profile_event(vm, &p, hook, ev, &f.code);
    }
    let (global, profile) = crate::sysmodule::hooks(vm);
    if profile.is_some() || global.is_some() || f.trace.obj.is_some() {
        let o = trace_object(vm, f)?;
        if let Some(d) = o.downcast::<crate::sysmodule::FrameData>() {
            d.lineno.set(line.unwrap_or(0));
        }
    }
    if let (Some(p), "call" | "return") = (&profile, event) {
        let o = trace_object(vm, f)?;
        if let Err(e) = call_hook(vm, p, &o, event, arg.clone()) {
            crate::sysmodule::clear_profile(vm);
            return Err(e);
        }
    }
    if global.is_none() && f.trace.obj.is_none() {
        return Ok(());
    }
    let o = trace_object(vm, f)?;
    let Some(d) = o.downcast::<crate::sysmodule::FrameData>() else { return Ok(()) };
    let callback = if event == "call" { global } else { d.trace.borrow().clone() };
    let Some(cb) = callback else { return Ok(()) };
    if event == "line" && !d.trace_lines.get() {
        return Ok(());
    }
    use crate::sysmodule::{TRACE_CALL, TRACE_EXCEPTION, TRACE_LINE, TRACE_OPCODE, TRACE_RETURN};
    let code = match event {
        "call" => TRACE_CALL,
        "line" => TRACE_LINE,
        "return" => TRACE_RETURN,
        "exception" => TRACE_EXCEPTION,
        _ => TRACE_OPCODE,
    };
    let outer = d.event.replace(code);
    let r = call_hook(vm, &cb, &o, event, arg);
    d.event.set(outer);
    match r {
        Ok(r) => {
            if !r.is(&vm.none) {
                let old = d.trace.replace(Some(r));
                drop(old);
            }
            Ok(())
        }
        Err(e) => {
            crate::sysmodule::clear_trace(vm);
            let old = d.trace.replace(None);
            drop(old);
            Err(e)
        }
    }
}

/// `ForIter`'s next item in a traced frame: a StopIteration the iterator
/// raised ends the loop after an 'exception' event (CPython's `FOR_ITER`
/// calls `call_exc_trace`; what the trace function raises is dropped).
#[cold]
#[inline(never)]
fn traced_next(vm: &Vm, f: &mut Frame, here: usize, it: &Obj) -> PyResult<Option<Obj>> {
    // A class's `__next__` written in Python is called as is: its `next`
    // slot takes StopIteration for the end.
    let r = match crate::types::lookup(&type_of(it), "__next__") {
        Some(m) if m.downcast::<FunctionData>().is_some() => crate::classes::call_object(vm, &m, std::slice::from_ref(it)).map(Some),
        _ => ops::next_raw(vm, it),
    };
    match r {
        Err(e) if is_subtype(&type_of(&e.exc), &vm.types.stop_iteration) => {
            f.last = here;
            let _ = trace_exception(vm, f, &e.exc);
            Ok(None)
        }
        r => r,
    }
}

/// `Send` in a traced frame: the StopIteration that ends a `yield from`
/// or an `await` goes to the trace function first (CPython's `SEND`).
#[cold]
#[inline(never)]
fn traced_send(vm: &Vm, f: &mut Frame, here: usize, it: &Obj, v: Obj) -> PyResult<crate::generator::SendResult> {
    let (r, stop) = crate::generator::send_traced(vm, it, v)?;
    if let Some(exc) = stop {
        f.last = here;
        trace_exception(vm, f, &exc)?;
    }
    Ok(r)
}

/// The 'exception' event: `exc` is raised in (or passes through) `f`.
fn trace_exception(vm: &Vm, f: &mut Frame, exc: &Obj) -> PyResult<()> {
    if f.trace.obj.is_none() {
        return Ok(());
    }
    let tb = crate::classes::getattr(vm, exc, &vm.intern("__traceback__")).unwrap_or_else(|_| vm.none.clone());
    let arg = new_tuple(vm, vec![type_of(exc), exc.clone(), tb]);
    let shown = shown_line(f);
    trace_event_at(vm, f, "exception", arg, shown)
}

/// The eval breaker: automatic collections, signal handlers and GIL
/// hand-offs. Polled where CPython polls it — backward jumps (every loop
/// iteration ends with one) and calls — not after every instruction:
/// straight-line code between two polls is bounded by the code's length.
#[inline(always)]
fn poll_breaker(vm: &Vm) -> PyResult<()> {
    let gc_due = crate::object::gc::take_pending();
    if gc_due || crate::signals::pending() || crate::thread::breaker_set(vm) {
        return handle_breaker(vm, gc_due);
    }
    Ok(())
}

#[cold]
#[inline(never)]
fn handle_breaker(vm: &Vm, gc_due: bool) -> PyResult<()> {
    if gc_due {
        crate::gc::collect_due(vm);
    }
    if crate::signals::pending() {
        crate::signals::run_pending(vm)?;
    }
    if crate::thread::breaker_set(vm) {
        crate::thread::handle_breaker(vm)?;
    }
    Ok(())
}

/// Executes one instruction of frame `f`; a Python call leaves the callee's
/// frame in `pending`.
#[inline(always)]
fn step(vm: &Vm, f: &mut Frame, ip: &mut usize, cd: &CodeData, pending: &mut Option<Box<Frame>>) -> Result<Flow, Raised> {
    let here = *ip;
    let ins = cd.instrs[here];
    let Some(op) = ins.op else {
        return Err(vm.new_error(&vm.types.runtime_error, format!("invalid instruction word at {here}")).into());
    };
    let arg = ins.arg;
    *ip += ins.len as usize;
    let arg_usize = arg as usize;
    match op {
        Opcode::Nop => {}
        Opcode::PopTop => {
            if let Some(v) = f.stack.pop() {
                if v.refcount() == 1 {
                    release_here(vm, f, here, v);
                }
            }
        }
        Opcode::DupTop => {
            let v = f.stack.last().cloned().ok_or_else(|| stack_underflow(vm))?;
            f.stack.push(v);
        }
        Opcode::Copy => {
            let i = f.stack.len().checked_sub(arg_usize).ok_or_else(|| stack_underflow(vm))?;
            let v = f.stack[i].clone();
            f.stack.push(v);
        }
        Opcode::Swap => {
            let top = f.stack.len().checked_sub(1).ok_or_else(|| stack_underflow(vm))?;
            let other = f.stack.len().checked_sub(arg_usize).ok_or_else(|| stack_underflow(vm))?;
            f.stack.swap(top, other);
        }
        Opcode::ContainsOp => {
            let container = pop(vm, &mut f.stack)?;
            let item = pop(vm, &mut f.stack)?;
            let found = ops::contains(vm, &container, &item)?;
            f.stack.push(vm.bool(found != (arg == 1)));
        }
        Opcode::LoadConst => f.stack.push(cd.consts[arg_usize].clone()),
        Opcode::LoadAttr => {
            let obj = pop(vm, &mut f.stack)?;
            f.stack.push(specialize::load_attr(vm, specialize::attr_entries(&cd.caches, here), &obj, &cd.names[arg_usize])?);
        }
        Opcode::StoreAttr => {
            let obj = pop(vm, &mut f.stack)?;
            let v = pop(vm, &mut f.stack)?;
            specialize::store_attr(vm, specialize::attr_entries(&cd.caches, here), &obj, &cd.names[arg_usize], v)?;
        }
        Opcode::DeleteAttr => {
            let obj = pop(vm, &mut f.stack)?;
            crate::classes::delattr(vm, &obj, &cd.names[arg_usize])?;
        }
        Opcode::LoadBuildClass => {
            // `__build_class__` comes from the frame's builtins, which
            // may be a custom mapping without it.
            let builtins = specialize::builtins_of(vm, &f.globals)?;
            match mapping_get(vm, &builtins, &vm.intern("__build_class__"))? {
                Some(bc) => f.stack.push(bc),
                None => return Err(vm.new_error(&vm.types.name_error, "__build_class__ not found").into()),
            }
        }
        Opcode::FormatValue => {
            let spec = if arg & 4 != 0 { Some(pop(vm, &mut f.stack)?) } else { None };
            let v = pop(vm, &mut f.stack)?;
            let v = match arg & 3 {
                1 => ops::str(vm, &v)?,
                2 => ops::repr(vm, &v)?,
                3 => builtin::new_str_wtf8(vm, crate::types::str_format::ascii_of(vm, &v)?),
                _ => v,
            };
            let spec = spec.map(|s| str_data(&s).as_str().into_owned()).unwrap_or_default();
            if spec.is_empty() && std::ptr::eq(v.type_ptr(), vm.types.str_.as_ptr()) {
                f.stack.push(v);
            } else {
                let text = crate::format::format_value(vm, &v, &spec)?;
                f.stack.push(builtin::new_str(vm, &text));
            }
        }
        Opcode::BuildString => {
            let at = f.stack.len().checked_sub(arg_usize).ok_or_else(|| stack_underflow(vm))?;
            let parts = f.stack.split_off(at);
            let mut out = taipan_parser::wtf8::Wtf8Buf::new();
            for p in &parts {
                out.push_wtf8(&str_data(p).value);
            }
            f.stack.push(builtin::new_str_wtf8(vm, out));
        }
        Opcode::ListAppend => {
            let v = pop(vm, &mut f.stack)?;
            let i = f.stack.len().checked_sub(arg_usize).ok_or_else(|| stack_underflow(vm))?;
            match f.stack[i].downcast::<builtin::ListData>() {
                Some(l) => l.items.borrow_mut().push(v),
                None => return Err(stack_underflow(vm).into()),
            }
        }
        Opcode::MapAdd => {
            let v = pop(vm, &mut f.stack)?;
            let k = pop(vm, &mut f.stack)?;
            let i = f.stack.len().checked_sub(arg_usize).ok_or_else(|| stack_underflow(vm))?;
            let d = f.stack[i].clone();
            builtin::dict_set(vm, &d, k, v)?;
        }
        Opcode::ImportName => {
            let fromlist = pop(vm, &mut f.stack)?;
            let level = pop(vm, &mut f.stack)?;
            let level = crate::import::level_of(vm, &level)?;
            let name = str_data(&cd.names[arg_usize]).as_str().into_owned();
            // An `__import__` replaced in the builtins is called (CPython's
            // `import_name`); the built-in one is the fast path.
            let builtins = specialize::builtins_of(vm, &f.globals)?;
            let m = match crate::import::overridden_import(vm, &builtins)? {
                None => crate::import::import_name(vm, &name, Some(&f.globals), &fromlist, level)?,
                Some(func) => {
                    let optimized = cd.unit.flags & taipan_compiler::codegen::CO_OPTIMIZED != 0;
                    let locals = match &f.locals {
                        Some(l) => l.clone(),
                        None if !optimized => f.globals.clone(),
                        None => vm.none.clone(),
                    };
                    let args = [cd.names[arg_usize].clone(), f.globals.clone(), locals, fromlist, vm.int(level as i64)];
                    crate::classes::call_object(vm, &func, &args)?
                }
            };
            f.stack.push(m);
        }
        Opcode::PrintExpr => {
            let v = pop(vm, &mut f.stack)?;
            print_expr(vm, &v)?;
        }
        Opcode::ImportStar => {
            let m = pop(vm, &mut f.stack)?;
            let ns = f.namespace(true);
            crate::import::import_star(vm, &m, &ns)?;
        }
        Opcode::ImportFrom => {
            let m = f.stack.last().cloned().ok_or_else(|| stack_underflow(vm))?;
            f.stack.push(crate::import::import_from(vm, &m, &cd.names[arg_usize])?);
        }
        Opcode::BinarySubscr => {
            let key = pop(vm, &mut f.stack)?;
            let container = pop(vm, &mut f.stack)?;
            let v = match fast_getitem(vm, &container, &key) {
                Some(v) => v,
                None => crate::sequence::getitem(vm, &container, &key)?,
            };
            f.stack.push(v);
        }
        Opcode::StoreSubscr => {
            let key = pop(vm, &mut f.stack)?;
            let container = pop(vm, &mut f.stack)?;
            let v = pop(vm, &mut f.stack)?;
            if let Err(v) = fast_setitem(vm, &container, &key, v) {
                crate::sequence::setitem(vm, &container, &key, v)?;
            }
        }
        Opcode::DeleteSubscr => {
            let key = pop(vm, &mut f.stack)?;
            let container = pop(vm, &mut f.stack)?;
            crate::sequence::delitem(vm, &container, &key)?;
        }
        Opcode::BuildSlice => {
            let step = if arg == 3 { Some(pop(vm, &mut f.stack)?) } else { None };
            let stop = pop(vm, &mut f.stack)?;
            let start = pop(vm, &mut f.stack)?;
            let step = step.unwrap_or_else(|| vm.none.clone());
            f.stack.push(crate::object::alloc(vm.types.slice.clone(), crate::sequence::SliceData { start, stop, step }));
        }
        Opcode::UnpackSequence => {
            let seq = pop(vm, &mut f.stack)?;
            // Exact tuples and lists of the right length go straight onto
            // the stack (no intermediate vector).
            if std::ptr::eq(seq.type_ptr(), vm.types.tuple.as_ptr()) {
                if let Some(t) = seq.downcast::<builtin::TupleData>().filter(|t| t.items.len() == arg_usize) {
                    f.stack.extend(t.items.iter().rev().cloned());
                    store_unpacked(vm, f, ip, cd, arg_usize);
                    return Ok(Flow::Next);
                }
            } else if std::ptr::eq(seq.type_ptr(), vm.types.list.as_ptr()) {
                let pushed = match seq.downcast::<builtin::ListData>().and_then(|l| l.items.try_borrow().ok()) {
                    Some(items) if items.len() == arg_usize => {
                        f.stack.extend(items.iter().rev().cloned());
                        true
                    }
                    _ => false,
                };
                if pushed {
                    store_unpacked(vm, f, ip, cd, arg_usize);
                    return Ok(Flow::Next);
                }
            }
            let items = crate::sequence::unpack_to_vec(vm, &seq)?;
            if items.len() != arg_usize {
                let msg = if items.len() < arg_usize {
                    format!("not enough values to unpack (expected {arg}, got {})", items.len())
                } else {
                    format!("too many values to unpack (expected {arg})")
                };
                return Err(vm.new_error(&vm.types.value_error, msg).into());
            }
            f.stack.extend(items.into_iter().rev());
        }
        Opcode::LoadFast => match &f.fast[arg_usize] {
            Some(v) => f.stack.push(v.clone()),
            None => {
                let name = &cd.unit.varnames[arg_usize];
                let msg = format!("cannot access local variable '{name}' where it is not associated with a value");
                return Err(vm.new_error(&vm.types.unbound_local_error, msg).into());
            }
        },
        Opcode::StoreFast => f.fast[arg_usize] = f.stack.pop(),
        Opcode::DeleteFast => match f.fast[arg_usize].take() {
            Some(v) if v.refcount() == 1 => release_here(vm, f, here, v),
            Some(_) => {}
            None => {
                let name = &cd.unit.varnames[arg_usize];
                let msg = format!("cannot access local variable '{name}' where it is not associated with a value");
                return Err(vm.new_error(&vm.types.unbound_local_error, msg).into());
            }
        },
        Opcode::LoadGlobal => match specialize::load_global(vm, &cd.caches[here], &f.globals, &cd.names[arg_usize])? {
            Some(v) => f.stack.push(v),
            None => return Err(name_error_in(vm, f, cd, &cd.names[arg_usize]).into()),
        },
        Opcode::LoadName => {
            let name = &cd.names[arg_usize];
            let mut found = None;
            if op == Opcode::LoadName {
                if let Some(l) = &f.locals {
                    found = mapping_get(vm, l, name)?;
                }
            }
            if found.is_none() {
                found = builtin::dict_get(vm, &f.globals, name)?;
            }
            if found.is_none() {
                let builtins = specialize::builtins_of(vm, &f.globals)?;
                found = mapping_get(vm, &builtins, name)?;
            }
            match found {
                Some(v) => f.stack.push(v),
                None => {
                    return Err(name_error_in(vm, f, cd, name).into());
                }
            }
        }
        Opcode::StoreGlobal | Opcode::StoreName => {
            let v = pop(vm, &mut f.stack)?;
            let target = f.namespace(op == Opcode::StoreName);
            if is_exact_dict(vm, &target) {
                builtin::dict_set(vm, &target, cd.names[arg_usize].clone(), v)?;
            } else {
                // A class body's namespace from `__prepare__` (enum's
                // `_EnumDict`): its own `__setitem__` runs.
                crate::sequence::setitem(vm, &target, &cd.names[arg_usize], v)?;
            }
        }
        Opcode::DeleteGlobal | Opcode::DeleteName => {
            // A finaliser run by the deletion sees this instruction.
            vm.callout_last.set(here as u32);
            vm.callout_code.set(f.code.as_ptr() as usize);
            let target = f.namespace(op == Opcode::DeleteName);
            let name = &cd.names[arg_usize];
            if is_exact_dict(vm, &target) {
                if !builtin::dict_del(vm, &target, name)? {
                    return Err(name_not_defined(vm, name).into());
                }
            } else if let Err(e) = crate::sequence::delitem(vm, &target, name) {
                if crate::types::is_subtype(&crate::types::type_of(&e.exc), &vm.types.key_error) {
                    return Err(name_not_defined(vm, name).into());
                }
                return Err(e.into());
            }
        }
        Opcode::BinaryOp => {
            let b = pop(vm, &mut f.stack)?;
            let a = pop(vm, &mut f.stack)?;
            let bop = binary_op_code(vm, arg)?;
            // Exact word-sized ints, then exact floats (and a float with
            // a small int), without the type slots.
            let fast = if let Some(r) = small_int_binary(vm, bop, &a, &b) { Some(r) } else { float_binary(vm, bop, &a, &b) };
            let r = match fast {
                Some(r) => r,
                None if arg >= 13 => ops::inplace_binary_op(vm, bop, &a, &b)?,
                None => ops::binary_op(vm, bop, &a, &b)?,
            };
            f.stack.push(r);
        }
        Opcode::UnaryOp => {
            let a = pop(vm, &mut f.stack)?;
            let r = match arg {
                0 => ops::neg(vm, &a)?,
                1 => ops::pos(vm, &a)?,
                2 => ops::invert(vm, &a)?,
                _ => vm.bool(!ops::truth(vm, &a)?),
            };
            f.stack.push(r);
        }
        Opcode::CompareOp => {
            let b = pop(vm, &mut f.stack)?;
            let a = pop(vm, &mut f.stack)?;
            let cop = compare_op_code(vm, arg)?;
            let r = match (exact_small_int(vm, &a), exact_small_int(vm, &b)) {
                (Some(x), Some(y)) => vm.bool(match cop {
                    CompareOp::Lt => x < y,
                    CompareOp::Le => x <= y,
                    CompareOp::Eq => x == y,
                    CompareOp::Ne => x != y,
                    CompareOp::Gt => x > y,
                    CompareOp::Ge => x >= y,
                }),
                _ => match (exact_float(vm, &a), exact_float(vm, &b)) {
                    (Some(x), Some(y)) => vm.bool(match cop {
                        CompareOp::Lt => x < y,
                        CompareOp::Le => x <= y,
                        CompareOp::Eq => x == y,
                        CompareOp::Ne => x != y,
                        CompareOp::Gt => x > y,
                        CompareOp::Ge => x >= y,
                    }),
                    _ => ops::compare(vm, cop, &a, &b)?,
                },
            };
            f.stack.push(r);
        }
        Opcode::IsOp => {
            let b = pop(vm, &mut f.stack)?;
            let a = pop(vm, &mut f.stack)?;
            f.stack.push(vm.bool(a.is(&b) != (arg == 1)));
        }
        Opcode::BuildSet => {
            let at = f.stack.len().checked_sub(arg_usize).ok_or_else(|| stack_underflow(vm))?;
            let items = f.stack.split_off(at);
            f.stack.push(crate::lang::new_set(vm, items)?);
        }
        Opcode::SetAdd => {
            let v = pop(vm, &mut f.stack)?;
            let s = peek(vm, &f.stack, arg_usize)?;
            crate::lang::call_method(vm, &s, "add", &[v])?;
        }
        Opcode::SetUpdate => {
            let v = pop(vm, &mut f.stack)?;
            let s = peek(vm, &f.stack, arg_usize)?;
            crate::lang::call_method(vm, &s, "update", &[v])?;
        }
        Opcode::ListExtend => {
            let v = pop(vm, &mut f.stack)?;
            let l = peek(vm, &f.stack, arg_usize)?;
            let items = crate::lang::star_items(vm, &v, None)?;
            builtin::list_items(vm, &l)?.borrow_mut().extend(items);
        }
        Opcode::ListToTuple => {
            let l = pop(vm, &mut f.stack)?;
            let items = builtin::list_items(vm, &l)?.borrow().clone();
            f.stack.push(new_tuple(vm, items));
        }
        Opcode::DictUpdate => {
            let m = pop(vm, &mut f.stack)?;
            let d = peek(vm, &f.stack, arg_usize)?;
            let Some(items) = crate::lang::mapping_items(vm, &m)? else {
                return Err(vm.type_error(format!("'{}' object is not a mapping", builtin::type_name(&m))).into());
            };
            for (k, v) in items {
                builtin::dict_set(vm, &d, k, v)?;
            }
        }
        Opcode::DictMerge => {
            let m = pop(vm, &mut f.stack)?;
            let d = peek(vm, &f.stack, arg_usize)?;
            let callee = peek(vm, &f.stack, arg_usize + 2)?;
            crate::lang::dict_merge(vm, &callee, &d, &m)?;
        }
        Opcode::CallFunctionEx => {
            let kw = if arg & 1 != 0 { Some(pop(vm, &mut f.stack)?) } else { None };
            let args = pop(vm, &mut f.stack)?;
            let callee = pop(vm, &mut f.stack)?;
            let args = crate::lang::star_items(vm, &args, Some(&callee))?;
            let kw = match kw {
                Some(d) => {
                    let items = builtin::dict_items(&d);
                    if items.iter().any(|(k, _)| k.downcast::<builtin::StrData>().is_none()) {
                        return Err(vm.type_error("keywords must be strings").into());
                    }
                    items
                }
                None => Vec::new(),
            };
            let at = f.stack.len();
            f.stack.push(callee);
            f.stack.extend(args);
            return call_callee(vm, f, here, at, at + 1, &kw, pending);
        }
        Opcode::UnpackEx => {
            let (before, after) = (arg_usize & 0xFF, arg_usize >> 8);
            let seq = pop(vm, &mut f.stack)?;
            let mut items = crate::sequence::unpack_to_vec(vm, &seq)?;
            if items.len() < before + after {
                let msg = format!("not enough values to unpack (expected at least {}, got {})", before + after, items.len());
                return Err(vm.new_error(&vm.types.value_error, msg).into());
            }
            let tail = items.split_off(items.len() - after);
            let middle = items.split_off(before);
            f.stack.extend(tail.into_iter().rev());
            f.stack.push(new_list(vm, middle));
            f.stack.extend(items.into_iter().rev());
        }
        Opcode::LoadAssertionError => f.stack.push(crate::generator::builtin_class(vm, "AssertionError")?),
        Opcode::SetupAnnotations => {
            let ns = f.namespace(true);
            let key = vm.intern("__annotations__");
            // The namespace may be any mapping (`exec` locals, a
            // metaclass's `__prepare__`).
            if mapping_get(vm, &ns, &key)?.is_none() {
                if is_exact_dict(vm, &ns) {
                    builtin::dict_set(vm, &ns, key, builtin::new_dict(vm))?;
                } else {
                    crate::sequence::setitem(vm, &ns, &key, builtin::new_dict(vm))?;
                }
            }
        }
        Opcode::BeforeWith | Opcode::BeforeAsyncWith => {
            let mgr = pop(vm, &mut f.stack)?;
            let (exit, entered) = crate::lang::before_with(vm, &mgr, op == Opcode::BeforeAsyncWith)?;
            f.stack.push(exit);
            f.stack.push(entered);
            if vm.tracing.get() {
                // `with profiler:` switched profiling on.
                return Ok(Flow::Retrace);
            }
        }
        Opcode::WithExceptStart => {
            let exc = peek(vm, &f.stack, 1)?;
            let exit = peek(vm, &f.stack, 2)?;
            // `__exit__(type, value, traceback)`: contextlib's generator
            // managers put the traceback back on the exception they rethrow.
            let tb = crate::classes::getattr(vm, &exc, &vm.intern("__traceback__"))?;
            let r = ops::call(vm, &exit, &[type_of(&exc), exc, tb])?;
            f.stack.push(r);
        }
        Opcode::GetYieldFromIter => {
            let v = pop(vm, &mut f.stack)?;
            let it = if v.downcast::<crate::generator::GeneratorData>().is_some() && is_subtype(&type_of(&v), &vm.types.generator) {
                v
            } else if is_subtype(&type_of(&v), &vm.types.coroutine) {
                // Allowed in coroutines and in generators marked by
                // `types.coroutine` (CO_ITERABLE_COROUTINE).
                const CO_ITERABLE_COROUTINE: u32 = 0x100;
                if cd.unit.flags & (taipan_compiler::codegen::CO_COROUTINE | CO_ITERABLE_COROUTINE) == 0 {
                    return Err(vm.type_error("cannot 'yield from' a coroutine object in a non-coroutine generator").into());
                }
                v
            } else {
                ops::iter(vm, &v)?
            };
            f.stack.push(it);
        }
        Opcode::GetAwaitable => {
            let v = pop(vm, &mut f.stack)?;
            f.stack.push(crate::generator::get_awaitable(vm, &v, arg)?);
        }
        Opcode::GetAIter => {
            let v = pop(vm, &mut f.stack)?;
            f.stack.push(crate::lang::get_aiter(vm, &v)?);
        }
        Opcode::GetANext => {
            let it = peek(vm, &f.stack, 1)?;
            f.stack.push(crate::lang::get_anext(vm, &it)?);
        }
        Opcode::Send => {
            let mut v = pop(vm, &mut f.stack)?;
            let it = peek(vm, &f.stack, 1)?;
            if std::ptr::eq(it.type_ptr(), vm.types.generator.as_ptr()) && can_inline_resume(vm) {
                // `yield from` a plain generator runs it in this loop.
                match crate::generator::take_inline(vm, &it, v) {
                    Ok(frame) => return Ok(enter_generator(vm, f, here, frame, pending)),
                    Err(back) => v = back,
                }
            }
            vm.callout_last.set(here as u32);
            vm.callout_code.set(f.code.as_ptr() as usize);
            let sent = if vm.tracing.get() && f.trace.obj.is_some() {
                traced_send(vm, f, here, &it, v)
            } else {
                crate::generator::send(vm, &it, v)
            };
            // Past this instruction, `callout_last` is stale (see `native_caller_views`).
            vm.callout_code.set(0);
            match sent? {
                crate::generator::SendResult::Yielded(x) => f.stack.push(x),
                crate::generator::SendResult::Returned(r) => {
                    f.stack.pop();
                    f.stack.push(r);
                    *ip = arg_usize;
                }
            }
        }
        Opcode::EndAsyncFor => {
            let exc = pop(vm, &mut f.stack)?;
            let stop = crate::generator::builtin_class(vm, "StopAsyncIteration")?;
            if !is_subtype(&type_of(&exc), &stop) {
                return Err(Raised { exc, add_here: false, explicit: false });
            }
            f.stack.pop();
        }
        Opcode::MatchPattern => {
            let values = pop(vm, &mut f.stack)?;
            let subject = peek(vm, &f.stack, 1)?;
            let desc = cd.consts[arg_usize].clone();
            let r = crate::patterns::match_case(vm, &subject, &desc, &values)?;
            f.stack.push(r.unwrap_or_else(|| vm.none.clone()));
        }
        Opcode::CheckEgMatch => {
            let ty = pop(vm, &mut f.stack)?;
            let exc = pop(vm, &mut f.stack)?;
            let (rest, matched) = crate::lang::exception_group_match(vm, &exc, &ty)?;
            if !matched.is(&vm.none) {
                // The replaced exception is dropped after the borrow ends
                // (its finalizers may look at `sys.exc_info()`).
                let _old = vm.handled.borrow_mut().last_mut().map(|top| std::mem::replace(top, matched.clone()));
            }
            f.stack.push(rest);
            f.stack.push(matched);
        }
        Opcode::PrepReraiseStar => {
            let raised = pop(vm, &mut f.stack)?;
            let orig = pop(vm, &mut f.stack)?;
            f.stack.push(crate::lang::prep_reraise_star(vm, &orig, &raised)?);
        }
        Opcode::BuildTuple | Opcode::BuildList => {
            let at = f.stack.len().checked_sub(arg_usize).ok_or_else(|| stack_underflow(vm))?;
            let items = f.stack.split_off(at);
            f.stack.push(if op == Opcode::BuildTuple { new_tuple(vm, items) } else { new_list(vm, items) });
        }
        Opcode::BuildMap => {
            let at = f.stack.len().checked_sub(2 * arg_usize).ok_or_else(|| stack_underflow(vm))?;
            let items = f.stack.split_off(at);
            let d = builtin::new_dict(vm);
            for pair in items.chunks(2) {
                builtin::dict_set(vm, &d, pair[0].clone(), pair[1].clone())?;
            }
            f.stack.push(d);
        }
        Opcode::Jump => {
            *ip = arg_usize;
            if arg_usize <= here {
                poll_breaker(vm)?;
            }
        }
        Opcode::PopJumpIfFalse | Opcode::PopJumpIfTrue => {
            let v = pop(vm, &mut f.stack)?;
            if ops::truth(vm, &v)? == (op == Opcode::PopJumpIfTrue) {
                *ip = arg_usize;
            }
        }
        Opcode::JumpIfFalseOrPop | Opcode::JumpIfTrueOrPop => {
            let v = f.stack.last().cloned().ok_or_else(|| stack_underflow(vm))?;
            if ops::truth(vm, &v)? == (op == Opcode::JumpIfTrueOrPop) {
                *ip = arg_usize;
            } else {
                f.stack.pop();
            }
        }
        Opcode::GetIter => {
            let v = pop(vm, &mut f.stack)?;
            f.stack.push(ops::iter(vm, &v)?);
        }
        Opcode::ForIter => {
            let it = f.stack.last().ok_or_else(|| stack_underflow(vm))?;
            // Range and list iterators are advanced in place (their `next`
            // slots share these methods); anything else through its slot.
            let ty = it.type_ptr();
            let next = if std::ptr::eq(ty, vm.types.range_iterator.as_ptr()) {
                it.downcast::<builtin::RangeIterData>().and_then(|r| r.next_value()).map(|v| vm.int(v))
            } else if std::ptr::eq(ty, vm.types.list_iterator.as_ptr()) {
                it.downcast::<builtin::ListIterData>().and_then(|l| l.next_item())
            } else {
                if std::ptr::eq(ty, vm.types.generator.as_ptr()) && can_inline_resume(vm) {
                    // A plain generator runs in this loop (no nested run).
                    if let Ok(frame) = crate::generator::take_inline(vm, it, vm.none.clone()) {
                        return Ok(enter_generator(vm, f, here, frame, pending));
                    }
                }
                let it = it.clone();
                // A generator's frame sees this line as its resumer's.
                vm.callout_last.set(here as u32);
                vm.callout_code.set(f.code.as_ptr() as usize);
                let next = if vm.tracing.get() && f.trace.obj.is_some() { traced_next(vm, f, here, &it) } else { ops::next(vm, &it) };
                vm.callout_code.set(0);
                next?
            };
            match next {
                Some(v) => f.stack.push(v),
                None => {
                    f.stack.pop();
                    *ip = arg_usize;
                }
            }
        }
        Opcode::LoadDeref => {
            let cell = f.cells.get(arg_usize).ok_or_else(|| stack_underflow(vm))?;
            match cell_get(cell) {
                Some(v) => f.stack.push(v),
                None => return Err(unbound_deref(vm, cd, arg_usize).into()),
            }
        }
        Opcode::LoadClassDeref => {
            // A name assigned in the class namespace (by `exec`, a
            // metaclass's `__prepare__`) wins over the enclosing cell.
            let unit = &cd.unit;
            let name = unit.cellvars.iter().chain(unit.freevars.iter()).nth(arg_usize).ok_or_else(|| stack_underflow(vm))?;
            let found = match &f.locals {
                Some(l) => mapping_get(vm, l, &vm.intern(name))?,
                None => None,
            };
            match found {
                Some(v) => f.stack.push(v),
                None => {
                    let cell = f.cells.get(arg_usize).ok_or_else(|| stack_underflow(vm))?;
                    match cell_get(cell) {
                        Some(v) => f.stack.push(v),
                        None => return Err(unbound_deref(vm, cd, arg_usize).into()),
                    }
                }
            }
        }
        Opcode::StoreDeref => {
            let v = pop(vm, &mut f.stack)?;
            let cell = f.cells.get(arg_usize).ok_or_else(|| stack_underflow(vm))?;
            cell_set(cell, Some(v));
        }
        Opcode::DeleteDeref => {
            let cell = f.cells.get(arg_usize).ok_or_else(|| stack_underflow(vm))?;
            if cell_get(cell).is_none() {
                return Err(unbound_deref(vm, cd, arg_usize).into());
            }
            cell_set(cell, None);
        }
        Opcode::LoadClosure => {
            let cell = f.cells.get(arg_usize).cloned().ok_or_else(|| stack_underflow(vm))?;
            f.stack.push(cell);
        }
        Opcode::MakeFunction => {
            let code = pop(vm, &mut f.stack)?;
            let closure_tuple = if arg & 8 != 0 { Some(pop(vm, &mut f.stack)?) } else { None };
            let annotations = if arg & 4 != 0 {
                let t = pop(vm, &mut f.stack)?;
                let items = t.downcast::<builtin::TupleData>().map_or_else(Vec::new, |t| t.items.to_vec());
                let d = builtin::new_dict(vm);
                for pair in items.chunks(2) {
                    if let [k, v] = pair {
                        builtin::dict_set(vm, &d, k.clone(), v.clone())?;
                    }
                }
                Some(d)
            } else {
                None
            };
            let kwdefaults: Vec<(Box<str>, Obj)> = if arg & 2 != 0 {
                let d = pop(vm, &mut f.stack)?;
                builtin::dict_items(&d).into_iter().map(|(k, v)| (Box::from(&*str_data(&k).as_str()), v)).collect()
            } else {
                Vec::new()
            };
            let closure = if let Some(c) = closure_tuple {
                c.downcast::<builtin::TupleData>().map_or_else(Vec::new, |t| t.items.to_vec())
            } else {
                Vec::new()
            };
            let defaults = if arg & 1 != 0 {
                let d = pop(vm, &mut f.stack)?;
                d.downcast::<builtin::TupleData>().map_or_else(Vec::new, |t| t.items.to_vec())
            } else {
                Vec::new()
            };
            let name = builtin::new_str(vm, &code_data(&code).unit.name);
            let qualname = builtin::new_str(vm, &code_data(&code).unit.qualname);
            let func = crate::object::alloc(
                vm.types.function.clone(),
                FunctionData {
                    code: std::cell::RefCell::new(code),
                    globals: f.globals.clone(),
                    name,
                    qualname,
                    defaults: std::cell::RefCell::new(defaults),
                    kwdefaults: std::cell::RefCell::new(kwdefaults),
                    closure,
                    dict: std::cell::RefCell::new(None),
                    annotations: std::cell::RefCell::new(annotations),
                    cleared: std::cell::Cell::new(false),
                },
            );
            f.stack.push(func);
        }
        Opcode::Call => {
            let at = f.stack.len().checked_sub(arg_usize + 1).ok_or_else(|| stack_underflow(vm))?;
            return call_callee(vm, f, here, at, at + 1, &[], pending);
        }
        Opcode::LoadMethod => {
            let obj = pop(vm, &mut f.stack)?;
            let (v, is_method) = specialize::load_method(vm, specialize::attr_entries(&cd.caches, here), &obj, &cd.names[arg_usize])?;
            if is_method {
                f.stack.push(v);
                f.stack.push(obj);
            } else {
                f.stack.push(vm.null_marker.clone());
                f.stack.push(v);
            }
        }
        Opcode::CallMethod | Opcode::CallMethodKw => {
            let names = if op == Opcode::CallMethodKw { Some(pop(vm, &mut f.stack)?) } else { None };
            let at = f.stack.len().checked_sub(arg_usize + 2).ok_or_else(|| stack_underflow(vm))?;
            // No method: the callable goes to the marker's slot and the
            // marker stays below the arguments (dropped with them, no
            // shift of the stack).
            let args = if f.stack[at].is(&vm.null_marker) {
                f.stack.swap(at, at + 1);
                at + 2
            } else {
                at + 1
            };
            let Some(names) = names else { return call_callee(vm, f, here, at, args, &[], pending) };
            let kw = keyword_args(vm, f, args - 1, &names)?;
            return call_callee(vm, f, here, at, args, &kw, pending);
        }
        Opcode::CallKw => {
            let names = pop(vm, &mut f.stack)?;
            let at = f.stack.len().checked_sub(arg_usize + 1).ok_or_else(|| stack_underflow(vm))?;
            let kw = keyword_args(vm, f, at, &names)?;
            return call_callee(vm, f, here, at, at + 1, &kw, pending);
        }
        Opcode::ReturnValue => return Ok(Flow::Return(pop(vm, &mut f.stack)?)),
        Opcode::YieldValue => return Ok(Flow::Yield(pop(vm, &mut f.stack)?, arg == 1)),
        Opcode::RaiseVarargs => {
            let (exc, cause) = match arg {
                0 => match vm.handled.borrow().last() {
                    Some(e) => return Err(Raised { exc: e.clone(), add_here: false, explicit: false }),
                    None => return Err(vm.new_error(&vm.types.runtime_error, "No active exception to reraise").into()),
                },
                1 => (pop(vm, &mut f.stack)?, None),
                _ => {
                    let c = pop(vm, &mut f.stack)?;
                    (pop(vm, &mut f.stack)?, Some(c))
                }
            };
            let exc = make_exception(vm, exc)?;
            if let Some(c) = cause {
                let cause = if c.is(&vm.none) {
                    None
                } else {
                    match make_exception(vm, c) {
                        Ok(c) => Some(c),
                        Err(e) if is_subtype(&type_of(&e.exc), &vm.types.type_error) => {
                            return Err(vm.type_error("exception causes must derive from BaseException").into());
                        }
                        Err(e) => return Err(e.into()),
                    }
                };
                if let Some(d) = builtin::exception_data(&exc) {
                    *d.cause.borrow_mut() = cause;
                    d.suppress_context.set(true);
                }
            }
            return Err(Raised { exc, add_here: true, explicit: true });
        }
        Opcode::Reraise => {
            let exc = pop(vm, &mut f.stack)?;
            return Err(Raised { exc, add_here: false, explicit: false });
        }
        Opcode::PushExcInfo => {
            let exc = f.stack.last().cloned().ok_or_else(|| stack_underflow(vm))?;
            vm.handled.borrow_mut().push(exc);
        }
        Opcode::PopExcept => {
            // Dropped after the borrow ends: a finalizer may run.
            let popped = vm.handled.borrow_mut().pop();
            drop(popped);
        }
        Opcode::CheckExcMatch => {
            let ty = pop(vm, &mut f.stack)?;
            let exc = f.stack.last().cloned().ok_or_else(|| stack_underflow(vm))?;
            f.stack.push(vm.bool(exception_matches(vm, &exc, &ty)?));
        }
    }
    Ok(Flow::Next)
}

/// The value of an exact `int` that fits a machine word (the fast paths
/// below skip the type slots for them; subclasses take the slow path).
#[inline(always)]
fn exact_small_int(vm: &Vm, o: &Obj) -> Option<i64> {
    if !std::ptr::eq(o.type_ptr(), vm.types.int.as_ptr()) {
        return None;
    }
    match o.downcast::<builtin::IntData>() {
        Some(builtin::IntData::Small(v)) => Some(*v),
        _ => None,
    }
}

/// A word-sized index into a sequence of length `n`, negative from the
/// end; `None` when out of range (the generic path raises).
#[inline(always)]
fn seq_index(i: i64, n: usize) -> Option<usize> {
    let n = i64::try_from(n).ok()?;
    let j = if i < 0 { i.checked_add(n)? } else { i };
    if (0..n).contains(&j) {
        usize::try_from(j).ok()
    } else {
        None
    }
}

/// `container[key]` for an exact list or tuple and an exact word-sized int
/// in range (CPython's `BINARY_SUBSCR_LIST_INT`/`_TUPLE_INT`); `None`
/// takes the generic path.
#[inline(always)]
fn fast_getitem(vm: &Vm, container: &Obj, key: &Obj) -> Option<Obj> {
    let i = exact_small_int(vm, key)?;
    let ty = container.type_ptr();
    if std::ptr::eq(ty, vm.types.list.as_ptr()) {
        let items = container.downcast::<builtin::ListData>()?.items.try_borrow().ok()?;
        let j = seq_index(i, items.len())?;
        items.get(j).cloned()
    } else if std::ptr::eq(ty, vm.types.tuple.as_ptr()) {
        let t = container.downcast::<builtin::TupleData>()?;
        t.items.get(seq_index(i, t.items.len())?).cloned()
    } else {
        None
    }
}

/// `container[key] = v` for an exact list and an exact word-sized int in
/// range; gives `v` back for the generic path otherwise.
#[inline(always)]
fn fast_setitem(vm: &Vm, container: &Obj, key: &Obj, v: Obj) -> Result<(), Obj> {
    if !std::ptr::eq(container.type_ptr(), vm.types.list.as_ptr()) {
        return Err(v);
    }
    let (Some(i), Some(l)) = (exact_small_int(vm, key), container.downcast::<builtin::ListData>()) else { return Err(v) };
    let Ok(mut items) = l.items.try_borrow_mut() else { return Err(v) };
    let Some(slot) = seq_index(i, items.len()).and_then(|j| items.get_mut(j)) else { return Err(v) };
    let old = std::mem::replace(slot, v);
    // The old value is released after the borrow ends (its `__del__` may
    // look at the list).
    drop(items);
    drop(old);
    Ok(())
}

/// `a op b` for two exact word-sized ints when it cannot overflow or
/// raise; `None` sends the operation down the generic path.
#[inline(always)]
fn small_int_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> Option<Obj> {
    let (x, y) = (exact_small_int(vm, a)?, exact_small_int(vm, b)?);
    let r = match op {
        BinaryOp::Add => x.checked_add(y)?,
        BinaryOp::Subtract => x.checked_sub(y)?,
        BinaryOp::Multiply => x.checked_mul(y)?,
        BinaryOp::And => x & y,
        BinaryOp::Or => x | y,
        BinaryOp::Xor => x ^ y,
        // Python's floor division and modulo: rounded towards minus
        // infinity, the remainder taking the divisor's sign (division by
        // zero and `MIN // -1` take the generic path).
        BinaryOp::FloorDivide => {
            let q = x.checked_div(y)?;
            if x % y != 0 && ((x < 0) != (y < 0)) {
                q - 1
            } else {
                q
            }
        }
        BinaryOp::Remainder => {
            let r = x.checked_rem(y)?;
            if r != 0 && ((r < 0) != (y < 0)) {
                r + y
            } else {
                r
            }
        }
        _ => return None,
    };
    Some(vm.int(r))
}

/// The value of an exact `float`.
#[inline(always)]
fn exact_float(vm: &Vm, o: &Obj) -> Option<f64> {
    if !std::ptr::eq(o.type_ptr(), vm.types.float.as_ptr()) {
        return None;
    }
    o.downcast::<f64>().copied()
}

/// `a op b` for exact floats (or an exact float and a word-sized exact
/// int, converted exactly as `float.__add__` would: only below 2**53)
/// when the result is a plain IEEE operation; `None` takes the generic
/// path (division by zero raises there).
#[inline(always)]
fn float_binary(vm: &Vm, op: BinaryOp, a: &Obj, b: &Obj) -> Option<Obj> {
    const EXACT: i64 = 1 << 53;
    let as_f = |o: &Obj| exact_float(vm, o).or_else(|| exact_small_int(vm, o).filter(|v| v.abs() <= EXACT).map(|v| v as f64));
    let (x, y) = match (exact_float(vm, a), exact_float(vm, b)) {
        (Some(x), Some(y)) => (x, y),
        (Some(x), None) => (x, as_f(b)?),
        (None, Some(y)) => (as_f(a)?, y),
        (None, None) => return None,
    };
    let r = match op {
        BinaryOp::Add => x + y,
        BinaryOp::Subtract => x - y,
        BinaryOp::Multiply => x * y,
        BinaryOp::TrueDivide if y != 0.0 => x / y,
        // A positive finite base and a finite exponent: C's `pow`, as
        // `float.__pow__` computes it; an overflow (OverflowError) takes
        // the generic path.
        BinaryOp::Power if x > 0.0 && x.is_finite() && y.is_finite() => {
            let r = x.powf(y);
            if !r.is_finite() {
                return None;
            }
            r
        }
        _ => return None,
    };
    Some(crate::object::alloc_ref(&vm.types.float, r))
}

/// A call from the eval loop, with the callee at `f.stack[at]` and the
/// positional arguments at `f.stack[args..]` (`args` is `at + 1`, or
/// `at + 2` above `CallMethod`'s no-method marker): Python functions (and
/// methods bound to them) get a frame of their own, bound straight from the
/// value stack; anything else is called here.
#[inline(always)]
fn call_callee(
    vm: &Vm,
    f: &mut Frame,
    here: usize,
    at: usize,
    args: usize,
    kw: &[(Obj, Obj)],
    pending: &mut Option<Box<Frame>>,
) -> Result<Flow, Raised> {
    // The caller's current instruction, for its traceback entry and for
    // the callee's view of it (`f_lasti`, `f_lineno`).
    f.last = here;
    // The common call: a Python function given exactly its positional
    // parameters. The arguments move from the stack into the new frame's
    // locals (no reference counting, no intermediate buffer).
    if kw.is_empty() {
        if let Some(func) = f.stack[at].downcast::<FunctionData>() {
            let code = func.code.borrow();
            let cd = code_data(&code);
            if cd.exact_argc as usize == f.stack.len() - args {
                let (argc, nlocals) = (cd.exact_argc, cd.nlocals);
                let mut frame = new_frame(vm);
                frame.stack.reserve(cd.unit.max_stack as usize);
                frame.code = code.clone();
                frame.globals = func.globals.clone();
                if !func.closure.is_empty() {
                    frame.cells.extend(func.closure.iter().cloned());
                }
                drop(code);
                // All locals start unbound (a loop: `resize` is a call),
                // then the arguments move in from the top of the stack.
                let fast = &mut frame.fast;
                fast.reserve(nlocals as usize);
                for _ in 0..nlocals {
                    fast.push(None);
                }
                for slot in fast[..argc as usize].iter_mut().rev() {
                    *slot = f.stack.pop();
                }
                // The callee stays on the stack until the call returns
                // (CPython's frames hold their function too): it tells
                // `sys._getframe` in a nested run what this frame's callee
                // runs (`chain_views`). Drops `CallMethod`'s marker.
                f.stack.truncate(at + 1);
                *pending = Some(frame);
                return Ok(Flow::Call);
            }
        }
    }
    call_callee_general(vm, f, here, at, args, kw, pending)
}

/// [`call_callee`] for every call but a Python function's exact-arguments
/// one.
#[inline(never)]
fn call_callee_general(
    vm: &Vm,
    f: &mut Frame,
    here: usize,
    at: usize,
    args: usize,
    kw: &[(Obj, Obj)],
    pending: &mut Option<Box<Frame>>,
) -> Result<Flow, Raised> {
    // Python functions (and methods of them): a frame bound straight from
    // the stack, without taking a reference to the callee (it stays on
    // the stack).
    let entered = {
        let callee = &f.stack[at];
        let (func, self_arg) = if let Some(func) = callee.downcast::<FunctionData>() {
            (Some(func), None)
        } else if let Some(m) = callee.downcast::<crate::classes::MethodData>() {
            match m.func.downcast::<FunctionData>() {
                Some(func) => (Some(func), Some(&m.self_)),
                None => (None, None),
            }
        } else {
            (None, None)
        };
        func.map(|func| enter_function(vm, func, self_arg, &f.stack[args..], kw))
    };
    match entered {
        Some(Ok(frame)) => {
            if code_data(&frame.code).unit.flags & GENERATOR_FLAGS != 0 {
                f.stack.truncate(at);
                let g = crate::generator::new_generator(vm, frame, Some(f));
                f.stack.push(g);
                return Ok(Flow::Next);
            }
            // The callee stays on the stack until the call returns (see
            // `call_callee`).
            f.stack.truncate(at + 1);
            *pending = Some(frame);
            return Ok(Flow::Call);
        }
        Some(Err(e)) => {
            f.stack.truncate(at);
            return Err(e.into());
        }
        None => {}
    }
    // Anything else is called here, with the callee and the arguments
    // left on the stack until it returns.
    // Native code may call Python code: the frames that code sees
    // (`sys._getframe`) show this call's line.
    vm.callout_last.set(here as u32);
    vm.callout_code.set(f.code.as_ptr() as usize);
    // Builtins that read the calling frame (`globals()`,
    // `locals()`, `exec`, ...) find it in `vm.frame_views`.
    let view = match f.stack[at].downcast::<crate::function::BuiltinFunctionData>() {
        Some(b) if b.reads_caller_frame => {
            let mut view = f.view(vm)?;
            // `sys._getframe` and `faulthandler.dump_traceback` also
            // see the frames below.
            if matches!(b.name, "_getframe" | "_current_frames" | "dump_traceback" | "warn") {
                view.callers = chain_views(vm)?;
            }
            Some(view)
        }
        _ => None,
    };
    let pushed = view.is_some();
    // Only builtins that read the calling frame can be `sys._getframe`.
    let getframe = pushed
        && f.stack[at]
            .downcast::<crate::function::BuiltinFunctionData>()
            .is_some_and(|b| matches!(b.name, "_getframe" | "_current_frames"));
    if let Some(v) = view {
        vm.frame_views.borrow_mut().push(v);
    }
    let callee = &f.stack[at];
    let r = if args == f.stack.len() && kw.is_empty() && callee.is(&vm.types.super_) {
        // Zero-argument `super()` reads this frame.
        super_args(vm, f).and_then(|args| ops::call_kw(vm, callee, &args, kw))
    } else {
        // Called straight from the eval loop as CPython's
        // specialised `CALL`s call builtins: without the native
        // recursion guard (a Python frame they reach checks it).
        match type_data_of(callee).slots.get().call {
            Some(c) => c(vm, callee, &f.stack[args..], kw),
            None => ops::call_kw(vm, callee, &f.stack[args..], kw),
        }
    };
    if pushed {
        vm.frame_views.borrow_mut().pop();
    }
    if getframe {
        adopt_frame_objects(vm, f);
    }
    f.stack.truncate(at);
    // Native code that later instructions run (an object freed by `del`)
    // is not this call's (see `native_caller_views`).
    vm.callout_code.set(0);
    let r = r?;
    // After a call of native code (a signal raised by `os.kill`
    // runs its handler here, as CPython's `CALL` does).
    f.stack.push(r);
    poll_breaker(vm)?;
    if vm.tracing.get() {
        return Ok(Flow::Retrace);
    }
    Ok(Flow::Next)
}

/// The keyword arguments of a `CallKw`/`CallMethodKw` whose callee is at
/// `at`: the values on top of the stack (taken off it) paired with the
/// names tuple, in one allocation.
fn keyword_args(vm: &Vm, f: &mut Frame, at: usize, names: &Obj) -> PyResult<Vec<(Obj, Obj)>> {
    let names: &[Obj] = names.downcast::<builtin::TupleData>().map_or(&[], |t| &t.items[..]);
    let kw_at = f.stack.len().checked_sub(names.len()).filter(|k| *k > at).ok_or_else(|| stack_underflow(vm))?;
    Ok(names.iter().cloned().zip(f.stack.drain(kw_at..)).collect())
}

/// Keeps the frame objects `sys._getframe` (or `sys._current_frames`) just
/// made for the calling frame and the frames waiting in the thread's frame
/// chain, so that the trace machinery uses them (a debugger sets `f_trace`
/// on them, compares them by identity) and later calls hand out the same
/// objects.
fn adopt_frame_objects(vm: &Vm, f: &mut Frame) {
    let objs = crate::sysmodule::take_getframe_objects(vm);
    let Some(((last, _), rest)) = objs.split_last() else { return };
    if f.trace.obj.is_none() && same_code(last, &f.code) {
        f.trace.obj = Some(last.clone());
    }
    adopt_in_chain(&mut vm.frame_chain.borrow_mut(), rest);
}

/// Whether frame object `o` is one of a frame running `code`.
fn same_code(o: &Obj, code: &Obj) -> bool {
    o.downcast::<crate::sysmodule::FrameData>().is_some_and(|d| d.code.is(code))
}

/// Gives the frames of `chain` the frame objects made from their views
/// (`FrameView::index`), unless they have one.
pub(crate) fn adopt_in_chain(chain: &mut FrameChain, objs: &[(Obj, Option<usize>)]) {
    for (o, index) in objs {
        let Some(fr) = index.and_then(|i| chain.frames.get_mut(i)) else { continue };
        if fr.trace.obj.is_none() && same_code(o, &fr.code) {
            fr.trace.obj = Some(o.clone());
        }
    }
}

/// What a frame's locals are made from: its code, fast locals, cells and
/// locals mapping.
type FrameLocals = (Obj, Vec<Option<Obj>>, Vec<Obj>, Option<Obj>);

/// The current locals of the frame whose frame object is `obj`, when that
/// frame waits in a frame chain: the calling thread's or a thread waiting
/// without the GIL (CPython's frame objects read their live frame). None
/// when the frame is not found (it finished, or it is the running frame).
pub(crate) fn live_locals(vm: &Vm, obj: &Obj) -> Option<PyResult<Obj>> {
    let find = |chain: &FrameChain| -> Option<FrameLocals> {
        let fr = chain.frames.iter().rev().find(|fr| fr.trace.obj.as_ref().is_some_and(|o| o.is(obj)))?;
        Some((fr.code.clone(), fr.fast.clone(), fr.cells.clone(), fr.locals.clone()))
    };
    let found = match vm.frame_chain.try_borrow() {
        Ok(chain) => find(&chain),
        Err(_) => None,
    };
    let found = found.or_else(|| {
        let parked = vm.parked.try_borrow().ok()?;
        parked.iter().find_map(|p| find(p.state.frames().0))
    });
    let (code, fast, cells, locals) = found?;
    if let Some(l) = locals {
        return Some(Ok(l));
    }
    Some(locals_of(vm, &code, &fast, &cells))
}

/// The current locals of the frame `view` shows, waiting in the calling
/// thread's frame chain (`FrameView::index`).
pub(crate) fn live_locals_of_index(vm: &Vm, view: &FrameView) -> Option<PyResult<Obj>> {
    let (code, fast, cells, locals) = {
        let chain = vm.frame_chain.try_borrow().ok()?;
        let fr = chain.frames.get(view.index?).filter(|fr| fr.code.is(&view.code))?;
        (fr.code.clone(), fr.fast.clone(), fr.cells.clone(), fr.locals.clone())
    };
    if let Some(l) = locals {
        return Some(Ok(l));
    }
    Some(locals_of(vm, &code, &fast, &cells))
}

/// A dict of the bound fast locals and cells of a frame running `code`.
fn locals_of(vm: &Vm, code: &Obj, fast: &[Option<Obj>], cells: &[Obj]) -> PyResult<Obj> {
    let unit = &code_data(code).unit;
    let d = builtin::new_dict(vm);
    for (name, v) in unit.varnames.iter().zip(fast) {
        if let Some(v) = v {
            builtin::dict_set(vm, &d, vm.intern(name), v.clone())?;
        }
    }
    for (name, cell) in unit.cellvars.iter().chain(unit.freevars.iter()).zip(cells) {
        if let Some(v) = cell_get(cell) {
            builtin::dict_set(vm, &d, vm.intern(name), v)?;
        }
    }
    Ok(d)
}

/// The thread's Python frames other than the running one of each run of
/// the eval loop (`Vm::frame_chain`). A Python-to-Python call moves the
/// caller's frame here (and the return moves it back), which costs the
/// call nothing more than the frame stack of a run did; a run (a call from
/// native code, a generator resume) adds one record. That is enough for
/// `sys._getframe` to see the whole stack: the running frame of an outer
/// run is its base frame when it has called no Python frame, otherwise the
/// callee still on the stack of its innermost waiting frame.
#[derive(Default)]
pub(crate) struct FrameChain {
    /// Frames waiting for a Python callee, outermost first (all runs).
    frames: Vec<Box<Frame>>,
    /// The runs of the loop, outermost first.
    runs: Vec<RunRecord>,
    /// While tracing: the frame object of the running frame of the
    /// innermost run, if it has one (the `f_back` of the frames of a run
    /// it starts from native code).
    running_trace: Option<Obj>,
    /// For each generator frame resumed inside its resumer's loop
    /// (`enter_generator`), innermost last: the length of `vm.handled`
    /// below the frame's own handled exceptions.
    generator_handled: Vec<usize>,
}

/// A run of the eval loop: its base frame's code and namespaces, where its
/// waiting frames start in `FrameChain::frames`, and the instruction of
/// the outer run's running frame when it started (the `CALL` that reached
/// native code, `vm.callout_last`).
struct RunRecord {
    code: Obj,
    globals: Obj,
    locals: Option<Obj>,
    base: usize,
    outer_last: u32,
    outer_code: usize,
    /// `FrameChain::running_trace` of the outer run when this one started.
    outer_trace: Option<Obj>,
}

/// Records the start of a run of the loop with `frame` as its base;
/// returns where its waiting frames start. Inlined into its callers: it
/// is part of every call from native code (`sorted(key=...)`, `__eq__`).
#[inline(always)]
fn start_run(vm: &Vm, frame: &Frame) -> usize {
    let outer_last = vm.callout_last.get();
    let outer_code = vm.callout_code.get();
    let mut chain = vm.frame_chain.borrow_mut();
    let base = chain.frames.len();
    let outer_trace = chain.running_trace.take();
    chain.runs.push(RunRecord {
        code: frame.code.clone(),
        globals: frame.globals.clone(),
        locals: frame.locals.clone(),
        base,
        outer_last,
        outer_code,
        outer_trace,
    });
    base
}

/// Records the end of the innermost run (its frames have left the chain).
#[inline(always)]
fn end_run(vm: &Vm) {
    let mut chain = vm.frame_chain.borrow_mut();
    let Some(rec) = chain.runs.pop() else { return };
    let RunRecord { code, globals, locals, outer_trace, outer_last, outer_code, .. } = rec;
    // The outer run's running frame is back at the instruction that
    // started this run (the native code it called goes on).
    vm.callout_last.set(outer_last);
    vm.callout_code.set(outer_code);
    // Only a traced run leaves a frame object behind.
    let old = if outer_trace.is_some() || chain.running_trace.is_some() {
        std::mem::replace(&mut chain.running_trace, outer_trace)
    } else {
        None
    };
    // Released after the borrow: dropping may run arbitrary code.
    drop(chain);
    drop(old);
    drop(locals);
    drop(globals);
    drop(code);
}

/// The code and globals a Python callee runs with (a function or a method
/// of one).
fn callee_code(callee: &Obj) -> Option<(Obj, Obj)> {
    let func = match callee.downcast::<FunctionData>() {
        Some(f) => f,
        // A generator resumed inside the waiting frame's loop.
        None if callee.downcast::<crate::generator::GeneratorData>().is_some() => return crate::generator::code_and_globals(callee),
        None => callee.downcast::<crate::classes::MethodData>()?.func.downcast::<FunctionData>()?,
    };
    let code = func.code.borrow().clone();
    Some((code, func.globals.clone()))
}

/// The globals of the thread's innermost running Python frame (CPython's
/// `PyEval_GetGlobals`), for native code that needs its caller's module
/// (`type(name, bases, ns)` sets `__module__` from its `__name__`).
pub fn running_globals(vm: &Vm) -> Option<Obj> {
    let chain = vm.frame_chain.borrow();
    let run = chain.runs.last()?;
    match chain.frames.get(run.base..).and_then(|w| w.last()) {
        None => Some(run.globals.clone()),
        Some(caller) => caller.stack.last().and_then(callee_code).map(|(_, g)| g),
    }
}

/// Views of the thread's frames below the running frame of the innermost
/// run, outermost first (for `sys._getframe`). The running frames of the
/// outer runs show the line of the call that reached native code and
/// (function frames) no `f_locals`; the waiting frames' locals are read
/// when asked (`live_locals`).
fn chain_views(vm: &Vm) -> PyResult<Vec<FrameView>> {
    Ok(views_of_chain(&vm.frame_chain.borrow(), None))
}

/// Drops `v`, the last reference to an object, with this instruction
/// published as the running frame's (`native_caller_views`): a finaliser
/// that warns (an unclosed file) names this line, as CPython's does.
#[cold]
#[inline(never)]
fn release_here(vm: &Vm, f: &Frame, here: usize, v: Obj) {
    vm.callout_last.set(here as u32);
    vm.callout_code.set(f.code.as_ptr() as usize);
    drop(v);
    vm.callout_code.set(0);
}

/// Views of the thread's frames, outermost first, for native code that
/// no call published a frame to (a warning issued by a method, a
/// constructor or a finaliser): the running frame of the innermost run
/// stands at `vm.callout_last`, the last instruction that called native
/// code. Empty while the chain is being changed, when no Python code runs
/// and when that instruction is not the running frame's.
pub fn native_caller_views(vm: &Vm) -> Vec<FrameView> {
    let Ok(chain) = vm.frame_chain.try_borrow() else { return Vec::new() };
    let views = views_of_chain(&chain, Some(vm.callout_last.get()));
    // Native code reached by an instruction other than a call (an object
    // freed by `del`): the running frame is not where the last call left
    // it, and its current instruction is not known.
    match views.last() {
        Some(running) if running.code.as_ptr() as usize == vm.callout_code.get() => views,
        _ => Vec::new(),
    }
}

/// Views of the frames of `chain` (a thread's Python stack), outermost
/// first, without their locals (see `chain_views`). With `running`, the
/// running frame of the innermost run is included too, standing at that
/// instruction (a thread waiting without the GIL: the call of the native
/// code that released it).
pub(crate) fn views_of_chain(chain: &FrameChain, running: Option<u32>) -> Vec<FrameView> {
    let mut out = Vec::new();
    let runs = &chain.runs;
    for (i, run) in runs.iter().enumerate() {
        let end = runs.get(i + 1).map_or(chain.frames.len(), |r| r.base.max(run.base));
        let waiting = chain.frames.get(run.base..end).unwrap_or(&[]);
        for (k, f) in waiting.iter().enumerate() {
            out.push(f.lazy_view(run.base + k));
        }
        let next = runs.get(i + 1);
        let (lasti, obj) = match (next, running) {
            (Some(next), _) => (next.outer_last, next.outer_trace.clone()),
            (None, Some(last)) => (last, chain.running_trace.clone()),
            (None, None) => break,
        };
        let running = match waiting.last() {
            None => Some((run.code.clone(), run.globals.clone(), run.locals.clone())),
            Some(caller) => caller.stack.last().and_then(callee_code).map(|(c, g)| (c, g, None)),
        };
        if let Some((code, globals, locals)) = running {
            let obj = obj.filter(|o| same_code(o, &code));
            out.push(FrameView { globals, locals, code, lasti, callers: Vec::new(), obj, index: None });
        }
    }
    out
}

/// The code and current instruction of the thread's Python frames,
/// innermost first, at most `limit` of them: `running` (the frame making a
/// call, when the eval loop is the caller) then the frames below it; without
/// `running`, the innermost run's running frame stands at the instruction
/// that called native code. For `cr_origin` (cheaper than `chain_views`:
/// no namespaces).
pub(crate) fn stack_positions(vm: &Vm, running: Option<&Frame>, limit: usize) -> Vec<(Obj, u32)> {
    let mut out = Vec::new();
    if limit == 0 {
        return out;
    }
    if let Some(f) = running {
        out.push((f.code.clone(), f.last as u32));
    }
    visit_stack(vm, running.is_none(), &mut |code, last| {
        if out.len() >= limit {
            return false;
        }
        out.push((code.clone(), last));
        true
    });
    out.truncate(limit);
    out
}

/// Shows `visit` the code and current instruction of the thread's Python
/// frames, innermost first, until it returns false: the running frame of
/// the innermost run (unless `!with_running`) at `vm.callout_last` — the
/// instruction that called native code, or while the loop runs traced
/// (`run_frame_traced`) the instruction running — then the frames below
/// it. Shows nothing while the chain is being changed. Takes no new
/// objects (for `tracemalloc`, which runs inside allocations).
pub(crate) fn visit_stack(vm: &Vm, with_running: bool, visit: &mut dyn FnMut(&Obj, u32) -> bool) {
    let Ok(chain) = vm.frame_chain.try_borrow() else { return };
    let runs = &chain.runs;
    for i in (0..runs.len()).rev() {
        let run = &runs[i];
        let end = runs.get(i + 1).map_or(chain.frames.len(), |r| r.base.max(run.base));
        let waiting = chain.frames.get(run.base..end).unwrap_or(&[]);
        let innermost = i + 1 == runs.len();
        if !innermost || with_running {
            let last = runs.get(i + 1).map_or(vm.callout_last.get(), |r| r.outer_last);
            let code = match waiting.last() {
                None => Some(run.code.clone()),
                Some(caller) => caller.stack.last().and_then(callee_code).map(|(c, _)| c),
            };
            if let Some(code) = code {
                if !visit(&code, last) {
                    return;
                }
            }
        }
        for f in waiting.iter().rev() {
            if !visit(&f.code, f.last as u32) {
                return;
            }
        }
    }
}

/// The line of instruction `last` of code object `code`; an instruction
/// without one (an artificial one) shows the line of the nearest earlier
/// instruction that has one, else the code's first line.
pub(crate) fn line_at(code: &Obj, last: u32) -> u32 {
    let unit = &code_data(code).unit;
    let upto = (last as usize + 1).min(unit.locations.len());
    unit.locations[..upto].iter().rev().map(|l| l.lineno).find(|&l| l != 0).unwrap_or(unit.firstlineno)
}

/// The code and current instruction of the calling thread's Python
/// frames, innermost first, at most `limit` (`stack_positions` seen from
/// native code: the innermost frame stands at the call that reached it).
/// For `faulthandler.dump_traceback`.
pub fn thread_stack(vm: &Vm, limit: usize) -> Vec<(Obj, u32)> {
    stack_positions(vm, None, limit)
}

/// `thread_stack` without allocating, for a signal handler on the thread
/// holding the `Vm`'s thread state (`faulthandler`'s fatal-error and
/// user-signal handlers): calls `f(code, instruction)` per frame,
/// innermost first, at most `limit` times. Returns false (having called
/// nothing) when the frame chain is being changed at that moment.
pub fn walk_stack(vm: &Vm, limit: usize, f: &mut dyn FnMut(&Obj, u32)) -> bool {
    let Ok(chain) = vm.frame_chain.try_borrow() else { return false };
    let runs = &chain.runs;
    let mut n = 0;
    for i in (0..runs.len()).rev() {
        let run = &runs[i];
        let end = runs.get(i + 1).map_or(chain.frames.len(), |r| r.base.max(run.base));
        let waiting = chain.frames.get(run.base..end).unwrap_or(&[]);
        let last = runs.get(i + 1).map_or(vm.callout_last.get(), |r| r.outer_last);
        if n >= limit {
            return true;
        }
        match waiting.last() {
            None => {
                f(&run.code, last);
                n += 1;
            }
            Some(caller) => {
                if let Some((code, _)) = caller.stack.last().and_then(callee_code) {
                    f(&code, last);
                    n += 1;
                }
            }
        }
        for fr in waiting.iter().rev() {
            if n >= limit {
                return true;
            }
            f(&fr.code, fr.last as u32);
            n += 1;
        }
    }
    true
}

/// A frame object for the running frame of a generator with code `code`:
/// the base frame of the innermost run of the loop that runs `code` (a
/// generator resume starts a run), at its current instruction. For
/// `gi_frame`/`cr_frame` read while the generator runs (asyncio's
/// `Task.get_stack`); no `f_back`, empty `f_locals` for function frames.
pub(crate) fn running_frame_object(vm: &Vm, code: &Obj) -> Option<Obj> {
    let chain = vm.frame_chain.borrow();
    let runs = &chain.runs;
    let i = runs.iter().rposition(|r| r.code.is(code))?;
    let run = &runs[i];
    let end = runs.get(i + 1).map_or(chain.frames.len(), |r| r.base.max(run.base));
    let lasti = match chain.frames.get(run.base..end).and_then(|w| w.first()) {
        Some(f) => f.last as u32,
        None => runs.get(i + 1).map_or(vm.callout_last.get(), |r| r.outer_last),
    };
    let globals = run.globals.clone();
    let locals = run.locals.clone();
    drop(chain);
    let locals = locals.unwrap_or_else(|| builtin::new_dict(vm));
    Some(crate::sysmodule::new_frame_object(vm, code.clone(), lasti, globals, locals, None))
}

/// The namespaces of the Python frame calling a frame-reading builtin.
#[derive(Clone)]
pub struct FrameView {
    pub globals: Obj,
    /// The locals mapping (None: a function frame whose locals were not
    /// taken, read when asked).
    pub locals: Option<Obj>,
    pub code: Obj,
    /// The instruction being executed (the call).
    pub lasti: u32,
    /// For `sys._getframe` only: the frames below this one (of the thread's
    /// whole chain, `chain_views`), outermost first (empty otherwise).
    pub callers: Vec<FrameView>,
    /// The frame's frame object when it has one (traced, or adopted from
    /// an earlier `sys._getframe`): the same object every time.
    pub obj: Option<Obj>,
    /// Where the frame waits in its thread's `FrameChain::frames` (None:
    /// a running frame).
    pub(crate) index: Option<usize>,
}

/// The calling frame's namespaces, for `globals()`, `locals()`, `exec`.
pub fn caller_frame(vm: &Vm) -> Option<FrameView> {
    vm.frame_views.borrow().last().cloned()
}

/// `NameError` for a name the frame could not find, with the scope the
/// traceback's "Did you mean" suggestion searches.
fn name_error_in(vm: &Vm, f: &Frame, cd: &CodeData, name: &Obj) -> PyErr {
    // CPython 3.11 searches the code's variable names, then the globals.
    let locals: Vec<Obj> = cd.unit.varnames.iter().map(|n| vm.intern(n)).collect();
    let msg = format!("name '{}' is not defined", str_data(name).as_str());
    builtin::new_name_error(vm, name, msg, Some((locals, f.globals.clone())))
}

/// Finished frames (boxed, with their value-stack, locals and cells
/// buffers), reused by the next calls so that a call allocates nothing in
/// the common case and a frame is never copied: calls, returns and
/// generator resumes move one pointer.
#[derive(Default)]
pub struct FramePool {
    frames: Vec<Box<Frame>>,
}

/// A frame from the pool (empty buffers, `None` for code and globals).
fn new_frame(vm: &Vm) -> Box<Frame> {
    let spare = vm.frame_pool.borrow_mut().frames.pop();
    spare.unwrap_or_else(|| {
        Box::new(Frame {
            code: vm.none.clone(),
            ip: 0,
            last: 0,
            stack: Vec::new(),
            fast: Vec::new(),
            cells: Vec::new(),
            globals: vm.none.clone(),
            locals: None,
            saved_handled: Vec::new(),
            trace: TraceState::default(),
        })
    })
}

/// A finished function frame's frame object keeps its final locals (what
/// `f_locals` shows from then on, as in CPython), when something else
/// holds the object.
#[cold]
fn keep_final_locals(frame: &Frame) {
    let Some(o) = &frame.trace.obj else { return };
    let Some(d) = o.downcast::<crate::sysmodule::FrameData>() else { return };
    // `f_lineno` stays where the frame stood when last seen (a re-raise
    // keeps the raising instruction, as CPython's RERAISE restores it).
    d.finished.set(true);
    if frame.locals.is_some() || o.refcount() <= 1 {
        return;
    }
    // Kept as they are (the dict is made if `f_locals` is asked for):
    // every frame an exception leaves has a frame object in its traceback.
    let old = d.final_fast.replace(Some((frame.fast.clone(), frame.cells.clone())));
    drop(old);
}

/// The `f_locals` of a finished frame from its final fast locals and
/// cells: written into `old` (the dict handed out before, as CPython's
/// `PyFrame_FastToLocals` updates it) when there is one.
pub(crate) fn final_locals_dict(vm: &Vm, code: &Obj, fast: &[Option<Obj>], cells: &[Obj], old: Option<Obj>) -> PyResult<Obj> {
    let fresh = locals_of(vm, code, fast, cells)?;
    let Some(old) = old.filter(|o| type_of(o).is(&vm.types.dict)) else { return Ok(fresh) };
    let unit = &code_data(code).unit;
    for name in unit.varnames.iter().chain(unit.cellvars.iter()).chain(unit.freevars.iter()) {
        let key = vm.intern(name);
        match builtin::dict_get(vm, &fresh, &key)? {
            Some(v) => builtin::dict_set(vm, &old, key, v)?,
            None => {
                builtin::dict_del(vm, &old, &key)?;
            }
        }
    }
    Ok(old)
}

/// Returns a finished frame to the pool, keeping its buffers' capacity
/// (a returning frame's locals storage is reused by the next call, never
/// reallocated). Leaves it as `new_frame` hands out a fresh one. Inlined:
/// it is part of every return.
#[inline(always)]
fn recycle(vm: &Vm, mut frame: Box<Frame>) {
    // Dropping the values may run arbitrary code (`__del__`): do it before
    // borrowing the pool. What the frame referenced is released now, as
    // when a frame dies. A returning frame's value stack, cells and
    // handled exceptions are usually empty already.
    if frame.trace.obj.is_some() {
        keep_final_locals(&frame);
    }
    if !frame.stack.is_empty() {
        frame.stack.clear();
    }
    frame.fast.clear();
    if !frame.cells.is_empty() {
        frame.cells.clear();
    }
    if !frame.saved_handled.is_empty() {
        frame.saved_handled.clear();
    }
    // Cheaper than testing each field (untraced frames have nothing to
    // reset).
    frame.trace = TraceState::default();
    if frame.locals.is_some() {
        frame.locals = None;
    }
    frame.ip = 0;
    frame.last = 0;
    frame.code = vm.none.clone();
    frame.globals = vm.none.clone();
    let mut pool = vm.frame_pool.borrow_mut();
    if pool.frames.len() < 64 {
        pool.frames.push(frame);
    }
}

/// `raise X`: an exception instance as is, an exception class called with
/// no arguments; anything else is a TypeError.
fn make_exception(vm: &Vm, x: Obj) -> PyResult<Obj> {
    if builtin::exception_data(&x).is_some() {
        return Ok(x);
    }
    if x.downcast::<crate::types::TypeData>().is_some() && is_subtype(&x, &vm.types.base_exception) {
        let made = ops::call(vm, &x, &[])?;
        if builtin::exception_data(&made).is_none() {
            let (cls, got) = (builtin::repr_string(vm, &x)?, builtin::repr_string(vm, &type_of(&made))?);
            return Err(vm.type_error(format!("calling {cls} should have returned an instance of BaseException, not {got}")));
        }
        return Ok(made);
    }
    Err(vm.type_error("exceptions must derive from BaseException"))
}

/// `except T:` matching, with `T` a class or a tuple of classes.
fn exception_matches(vm: &Vm, exc: &Obj, ty: &Obj) -> PyResult<bool> {
    if let Some(t) = ty.downcast::<builtin::TupleData>() {
        // Every item is checked before any matches (`except (E, 42)`
        // fails even for an E), as CPython does.
        let mut found = false;
        for item in t.items.iter() {
            found |= exception_matches(vm, exc, item)?;
        }
        return Ok(found);
    }
    if ty.downcast::<crate::types::TypeData>().is_none() || !is_subtype(ty, &vm.types.base_exception) {
        return Err(vm.type_error("catching classes that do not inherit from BaseException is not allowed"));
    }
    Ok(is_subtype(&type_of(exc), ty))
}

/// `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'` (CPython's argument lists).
fn name_list(names: &[&str]) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match q.len() {
        0 => String::new(),
        1 => q[0].clone(),
        2 => format!("{} and {}", q[0], q[1]),
        n => format!("{}, and {}", q[..n - 1].join(", "), q[n - 1]),
    }
}

/// Binds arguments to a new frame's parameters, as CPython's
/// `initialize_locals` does, with its error messages.
fn enter_function(vm: &Vm, func: &FunctionData, self_arg: Option<&Obj>, args: &[Obj], kw: &[(Obj, Obj)]) -> PyResult<Box<Frame>> {
    const CO_VARARGS: u32 = 0x4;
    const CO_VARKEYWORDS: u32 = 0x8;
    // `__code__` is assignable; the setter fails (instead of waiting)
    // while this borrow lasts.
    let code = func.code.borrow();
    let cd = code_data(&code);
    let unit = &cd.unit;
    let name = &unit.qualname;
    let argcount = unit.argcount as usize;
    let posonly = unit.posonlyargcount as usize;
    let total = argcount + unit.kwonlyargcount as usize;
    let has_varargs = unit.flags & CO_VARARGS != 0;
    let has_varkw = unit.flags & CO_VARKEYWORDS != 0;
    let mut frame = new_frame(vm);
    frame.code = code.clone();
    frame.globals = func.globals.clone();
    frame.ip = 0;
    frame.last = 0;
    frame.stack.reserve(unit.max_stack as usize);
    let given = args.len() + usize::from(self_arg.is_some());
    // The common case: exactly the positional parameters, no cells: the
    // arguments go straight into the recycled frame's locals.
    if given == argcount && kw.is_empty() && total == argcount && !has_varargs && !has_varkw && unit.cellvars.is_empty() {
        let fast = &mut frame.fast;
        fast.reserve(unit.varnames.len());
        if let Some(s) = self_arg {
            fast.push(Some(s.clone()));
        }
        fast.extend(args.iter().map(|a| Some(a.clone())));
        // The other locals start unbound (a loop: `resize` is a call).
        for _ in fast.len()..unit.varnames.len() {
            fast.push(None);
        }
        frame.cells.extend(func.closure.iter().cloned());
        return Ok(frame);
    }
    let mut fast = std::mem::take(&mut frame.fast);
    fast.resize(unit.varnames.len(), None);
    let mut positional = self_arg.into_iter().chain(args.iter());
    for slot in fast.iter_mut().take(argcount.min(given)) {
        *slot = positional.next().cloned();
    }
    if has_varargs {
        fast[total] = Some(new_tuple(vm, positional.cloned().collect()));
    }
    let kwdict = if has_varkw { Some(builtin::new_dict(vm)) } else { None };
    let mut posonly_as_kw = Vec::new();
    for (k, v) in kw {
        // `f(**{1: 2})` reaches here from native callers (`partial`).
        if k.downcast::<builtin::StrData>().is_none() {
            return Err(vm.type_error("keywords must be strings"));
        }
        let key = str_data(k).as_str().into_owned();
        match unit.varnames[posonly..total].iter().position(|n| **n == *key) {
            Some(j) => {
                let slot = &mut fast[posonly + j];
                if slot.is_some() {
                    return Err(vm.type_error(format!("{name}() got multiple values for argument '{key}'")));
                }
                *slot = Some(v.clone());
            }
            None => match &kwdict {
                Some(d) => builtin::dict_set(vm, d, k.clone(), v.clone())?,
                None if unit.varnames[..posonly].iter().any(|n| **n == *key) => posonly_as_kw.push(key),
                None => return Err(vm.type_error(format!("{name}() got an unexpected keyword argument '{key}'"))),
            },
        }
    }
    if !posonly_as_kw.is_empty() {
        let names = posonly_as_kw.join(", ");
        return Err(vm.type_error(format!("{name}() got some positional-only arguments passed as keyword arguments: '{names}'")));
    }
    // Too many positional arguments is reported after the keywords'
    // errors, as CPython does.
    if !has_varargs && given > argcount {
        let min = argcount - func.defaults.borrow().len().min(argcount);
        let takes = if min == argcount { format!("{argcount}") } else { format!("from {min} to {argcount}") };
        let s = if argcount == 1 && min == argcount { "" } else { "s" };
        let kwonly_given = fast[argcount..total].iter().filter(|v| v.is_some()).count();
        let were = if given == 1 && kwonly_given == 0 { "was" } else { "were" };
        let kwonly = match kwonly_given {
            0 => String::new(),
            k => format!(
                " positional argument{} (and {k} keyword-only argument{})",
                if given == 1 { "" } else { "s" },
                if k == 1 { "" } else { "s" }
            ),
        };
        return Err(vm.type_error(format!("{name}() takes {takes} positional argument{s} but {given}{kwonly} {were} given")));
    }
    if let Some(d) = kwdict {
        fast[total + usize::from(has_varargs)] = Some(d);
    }
    let defaults = func.defaults.borrow();
    let first_default = argcount - defaults.len().min(argcount);
    let mut missing = Vec::new();
    for (i, slot) in fast.iter_mut().enumerate().take(argcount) {
        if slot.is_none() {
            if i >= first_default {
                *slot = Some(defaults[i - first_default].clone());
            } else {
                missing.push(&*unit.varnames[i]);
            }
        }
    }
    drop(defaults);
    if !missing.is_empty() {
        let s = if missing.len() == 1 { "" } else { "s" };
        return Err(vm.type_error(format!("{name}() missing {} required positional argument{s}: {}", missing.len(), name_list(&missing))));
    }
    let mut missing_kw = Vec::new();
    for (slot, pname) in fast[argcount..total].iter_mut().zip(&unit.varnames[argcount..total]) {
        if slot.is_none() {
            match func.kwdefaults.borrow().iter().find(|(n, _)| n == pname) {
                Some((_, v)) => *slot = Some(v.clone()),
                None => missing_kw.push(&**pname),
            }
        }
    }
    if !missing_kw.is_empty() {
        let s = if missing_kw.len() == 1 { "" } else { "s" };
        return Err(vm.type_error(format!(
            "{name}() missing {} required keyword-only argument{s}: {}",
            missing_kw.len(),
            name_list(&missing_kw)
        )));
    }
    // Cells for the cell variables (a parameter that is a cell moves into
    // its cell), then the closure's cells for the free variables.
    let cells = &mut frame.cells;
    cells.reserve(unit.cellvars.len() + func.closure.len());
    for name in unit.cellvars.iter() {
        let initial = unit.varnames.iter().position(|v| v == name).and_then(|i| fast[i].take());
        cells.push(crate::object::alloc(vm.types.cell.clone(), CellData { value: std::cell::RefCell::new(initial) }));
    }
    cells.extend(func.closure.iter().cloned());
    frame.fast = fast;
    Ok(frame)
}

/// A cell's content (`None` when empty).
pub struct CellData {
    pub value: std::cell::RefCell<Option<Obj>>,
}

fn cell_get(cell: &Obj) -> Option<Obj> {
    cell.downcast::<CellData>().and_then(|c| c.value.borrow().clone())
}

fn cell_set(cell: &Obj, v: Option<Obj>) {
    if let Some(c) = cell.downcast::<CellData>() {
        let old = c.value.replace(v);
        drop(old);
    }
}

/// The error for reading an empty cell or free variable.
fn unbound_deref(vm: &Vm, cd: &CodeData, i: usize) -> PyErr {
    let unit = &cd.unit;
    if i < unit.cellvars.len() {
        let name = &unit.cellvars[i];
        vm.new_error(
            &vm.types.unbound_local_error,
            format!("cannot access local variable '{name}' where it is not associated with a value"),
        )
    } else {
        let name = unit.freevars.get(i - unit.cellvars.len()).map_or("?", |n| n);
        vm.new_error(
            &vm.types.name_error,
            format!("cannot access free variable '{name}' where it is not associated with a value in enclosing scope"),
        )
    }
}

/// After an `UNPACK_SEQUENCE n` that pushed its items: when the next `n`
/// instructions are all `STORE_FAST` (`a, b, c = t` in a function), runs
/// them here, exactly as they would run, without `n` trips through the
/// dispatch. Not while tracing (each instruction is an 'opcode' event).
#[inline(always)]
fn store_unpacked(vm: &Vm, f: &mut Frame, ip: &mut usize, cd: &CodeData, n: usize) {
    let start = *ip;
    let Some(stores) = cd.instrs.get(start..start + n) else { return };
    if vm.tracing.get() || !stores.iter().all(|i| i.op == Some(Opcode::StoreFast) && i.len == 1) {
        return;
    }
    for s in stores {
        let v = f.stack.pop();
        f.fast[s.arg as usize] = v;
    }
    *ip = start + n;
}

fn name_not_defined(vm: &Vm, name: &Obj) -> PyErr {
    builtin::new_name_error(vm, name, format!("name '{}' is not defined", str_data(name).as_str()), None)
}

/// The `n`-th item from the top (1 = TOS).
fn peek(vm: &Vm, stack: &[Obj], n: usize) -> PyResult<Obj> {
    stack.len().checked_sub(n).and_then(|i| stack.get(i)).cloned().ok_or_else(|| stack_underflow(vm))
}

fn pop(vm: &Vm, stack: &mut Vec<Obj>) -> PyResult<Obj> {
    stack.pop().ok_or_else(|| stack_underflow(vm))
}

fn stack_underflow(vm: &Vm) -> PyErr {
    vm.new_error(&vm.types.runtime_error, "value stack underflow (compiler bug)")
}

fn binary_op_code(vm: &Vm, arg: u32) -> PyResult<BinaryOp> {
    const ALL: [BinaryOp; 13] = [
        BinaryOp::Add,
        BinaryOp::And,
        BinaryOp::FloorDivide,
        BinaryOp::Lshift,
        BinaryOp::MatrixMultiply,
        BinaryOp::Multiply,
        BinaryOp::Remainder,
        BinaryOp::Or,
        BinaryOp::Power,
        BinaryOp::Rshift,
        BinaryOp::Subtract,
        BinaryOp::TrueDivide,
        BinaryOp::Xor,
    ];
    ALL.get(arg as usize % 13).copied().ok_or_else(|| vm.new_error(&vm.types.runtime_error, "bad binary operator"))
}

fn compare_op_code(vm: &Vm, arg: u32) -> PyResult<CompareOp> {
    const ALL: [CompareOp; 6] = [CompareOp::Lt, CompareOp::Le, CompareOp::Eq, CompareOp::Ne, CompareOp::Gt, CompareOp::Ge];
    ALL.get(arg as usize).copied().ok_or_else(|| vm.new_error(&vm.types.runtime_error, "bad comparison"))
}

/// The collector's view of a cell: its content.
pub(crate) fn cell_traverse(o: &Obj, visit: &mut dyn FnMut(&Obj)) {
    if let Some(c) = o.downcast::<CellData>() {
        if let Ok(v) = c.value.try_borrow() {
            if let Some(v) = &*v {
                visit(v);
            }
        }
    }
}

pub(crate) fn cell_clear(o: &Obj) {
    if let Some(c) = o.downcast::<CellData>() {
        let old = c.value.try_borrow_mut().ok().and_then(|mut v| v.take());
        drop(old);
    }
}

fn is_exact_dict(vm: &Vm, o: &Obj) -> bool {
    std::ptr::eq(o.type_ptr(), vm.types.dict.as_ptr())
}

/// `ns[name]` for a frame's locals: the dict directly, or any mapping's
/// `__getitem__` (KeyError meaning absent).
pub(crate) fn mapping_get(vm: &Vm, ns: &Obj, name: &Obj) -> PyResult<Option<Obj>> {
    if is_exact_dict(vm, ns) {
        return builtin::dict_get(vm, ns, name);
    }
    match crate::sequence::getitem(vm, ns, name) {
        Ok(v) => Ok(Some(v)),
        Err(e) if crate::types::is_subtype(&crate::types::type_of(&e.exc), &vm.types.key_error) => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hot types of the loop: a frame is boxed and recycled (moves are
    /// one pointer), an instruction's outcome stays two words plus a tag.
    #[test]
    fn hot_type_sizes_are_pinned() {
        assert_eq!(std::mem::size_of::<Frame>(), 152); // 136 + `TraceState` (settrace)
        assert_eq!(std::mem::size_of::<Option<Box<Frame>>>(), 8);
        assert_eq!(std::mem::size_of::<Flow>(), 16);
        assert_eq!(std::mem::size_of::<Result<Flow, Raised>>(), 24);
        // One instruction word: opcode byte and 24-bit argument.
        assert_eq!(std::mem::size_of_val(&taipan_compiler::bytecode::encode(Opcode::Nop, 0)), 4);
    }
}
