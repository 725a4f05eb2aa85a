//! `_lsprof`: the deterministic profiler behind `cProfile`. A `Profiler`
//! installs itself as the vm's native profile hook
//! (`sysmodule::set_native_profile`): the eval loop calls [`on_event`]
//! for every Python call and return (subject: the code object) and, with
//! `builtins=True`, every call of a built-in function ('c_call' ...,
//! subject: the function), without making frame objects.
//!
//! Like CPython's `Modules/_lsprof.c`, it keeps one entry per function
//! (code object, or built-in identified by name and owner) with call
//! counts and total/inline times, per-caller sub-entries when `subcalls`
//! is on, and a stack of contexts for the calls in progress. Times are
//! integers from the timer: nanoseconds of a monotonic clock, or what a
//! custom timer returns (seconds as a float, or integer units scaled by
//! `timeunit`).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::time::Instant;

use taipan_vm::classes::call_object;
use taipan_vm::function::BuiltinFunctionData;
use taipan_vm::modules::{add_attr, ModuleData};
use taipan_vm::native::{bind, exact, new_type, BoundNativeData, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::sysmodule::{set_native_profile, ProfileEvent};
use taipan_vm::types::builtin::{int_data, new_list, new_str, object_slots, type_name, IntData, StrData};
use taipan_vm::types::structseq::{new_structseq, new_structseq_type, StructSeqDesc};
use taipan_vm::types::{lookup, type_of, Kwargs, Slots};
use taipan_vm::{PyResult, Vm};

static ENTRY_DESC: StructSeqDesc = StructSeqDesc {
    name: "_lsprof.profiler_entry",
    doc: "",
    fields: &["code", "callcount", "reccallcount", "totaltime", "inlinetime", "calls"],
    n_in_sequence: 6,
};

static SUBENTRY_DESC: StructSeqDesc = StructSeqDesc {
    name: "_lsprof.profiler_subentry",
    doc: "",
    fields: &["code", "callcount", "reccallcount", "totaltime", "inlinetime"],
    n_in_sequence: 5,
};

/// What identifies a profiled function: a code object (by address; the
/// entry keeps it alive), or a built-in by its name and its owner (the
/// module, or the type of the object it is bound to).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Code(usize),
    Builtin(usize, usize, usize),
}

#[derive(Default)]
struct Counts {
    /// Total time (with subcalls), inline time (without).
    tt: i64,
    it: i64,
    callcount: i64,
    recursivecalls: i64,
    recursion_level: i64,
}

struct Entry {
    /// The code object, or the built-in's description (`<built-in method
    /// builtins.len>`).
    user: Obj,
    counts: Counts,
    /// Per callee: (callee entry, counts), in first-call order.
    subs: Vec<(usize, Counts)>,
    sub_index: HashMap<usize, usize>,
}

impl Entry {
    fn sub(&mut self, callee: usize) -> &mut Counts {
        let i = *self.sub_index.entry(callee).or_insert_with(|| {
            self.subs.push((callee, Counts::default()));
            self.subs.len() - 1
        });
        &mut self.subs[i].1
    }
}

/// A call in progress.
struct Context {
    entry: usize,
    t0: i64,
    /// Time spent in its subcalls so far.
    subt: i64,
}

#[derive(Default)]
struct Data {
    entries: Vec<Entry>,
    index: HashMap<Key, usize>,
    stack: Vec<Context>,
}

pub struct Profiler {
    data: RefCell<Data>,
    timer: Option<Obj>,
    timeunit: f64,
    subcalls: Cell<bool>,
    builtins: Cell<bool>,
    enabled: Cell<bool>,
    epoch: Instant,
}

fn profiler_type(vm: &Vm) -> Obj {
    vm.native_type("_lsprof.Profiler", |vm| {
        let slots = Slots {
            new: Some(profiler_new),
            traverse: Some(|o, visit| {
                if let Some(p) = o.downcast::<Profiler>() {
                    if let Some(t) = &p.timer {
                        visit(t);
                    }
                    if let Ok(d) = p.data.try_borrow() {
                        d.entries.iter().for_each(|e| visit(&e.user));
                    }
                }
            }),
            clear: Some(|o| {
                if let Some(p) = o.downcast::<Profiler>() {
                    if let Ok(mut d) = p.data.try_borrow_mut() {
                        let old = std::mem::take(&mut *d);
                        drop(d);
                        drop(old);
                    }
                }
            }),
            ..object_slots()
        };
        new_type::<Profiler>(vm, "_lsprof.Profiler", &[], true, slots, PROFILER_METHODS, &[])
    })
}

fn this<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a Profiler> {
    o.downcast::<Profiler>()
        .ok_or_else(|| vm.type_error(format!("descriptor requires a '_lsprof.Profiler' object but received '{}'", type_name(o))))
}

/// `Profiler(timer=None, timeunit=0.0, subcalls=True, builtins=True)`.
fn profiler_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let params = Params { fname: "Profiler", names: &["timer", "timeunit", "subcalls", "builtins"], posonly: 0, kwonly: 0, required: 0 };
    let [timer, timeunit, subcalls, builtins] = bind::<4>(vm, &params, args, kw)?;
    let timeunit = match &timeunit {
        Some(t) => real_arg(vm, t)?,
        None => 0.0,
    };
    let flag = |o: &Option<Obj>| o.as_ref().map_or(Ok(true), |o| int_flag(vm, o));
    let p = Profiler {
        data: RefCell::new(Data::default()),
        timer: timer.filter(|t| !t.is(&vm.none)),
        timeunit,
        subcalls: Cell::new(flag(&subcalls)?),
        builtins: Cell::new(flag(&builtins)?),
        enabled: Cell::new(false),
        epoch: Instant::now(),
    };
    Ok(alloc(cls.clone(), p))
}

/// A `d` argument (a float, or an int).
fn real_arg(vm: &Vm, o: &Obj) -> PyResult<f64> {
    if let Some(f) = o.downcast::<f64>() {
        return Ok(*f);
    }
    if int_data(o).is_some() {
        return taipan_vm::types::builtin::number_to_f64(vm, o);
    }
    Err(vm.type_error(format!("must be real number, not {}", type_name(o))))
}

/// An `i` argument used as a flag (anything with `__index__`).
fn int_flag(vm: &Vm, o: &Obj) -> PyResult<bool> {
    let i = taipan_vm::ops::index(vm, o)?;
    match int_data(&i) {
        Some(IntData::Small(v)) if i32::try_from(*v).is_ok() => Ok(*v != 0),
        Some(IntData::Small(v)) if *v < 0 => Err(vm.new_error(&vm.types.overflow_error, "signed integer is less than minimum")),
        _ => Err(vm.new_error(&vm.types.overflow_error, "signed integer is greater than maximum")),
    }
}

impl Profiler {
    /// The current time in timer units; a failing custom timer is
    /// reported as unraisable and reads 0 (as in CPython).
    fn now(&self, vm: &Vm) -> i64 {
        let Some(timer) = &self.timer else {
            return self.epoch.elapsed().as_nanos() as i64;
        };
        let r = call_object(vm, timer, &[]).and_then(|o| {
            if self.timeunit > 0.0 {
                match int_data(&o) {
                    Some(IntData::Small(v)) => Ok(*v),
                    Some(_) => Err(vm.new_error(&vm.types.overflow_error, "timestamp too large to convert to C _PyTime_t")),
                    None => Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer", type_name(&o)))),
                }
            } else if let Some(f) = o.downcast::<f64>() {
                Ok((f * 1e9).floor() as i64)
            } else {
                match int_data(&o) {
                    Some(IntData::Small(v)) => Ok(v.saturating_mul(1_000_000_000)),
                    Some(_) => Err(vm.new_error(&vm.types.overflow_error, "timestamp too large to convert to C _PyTime_t")),
                    None => Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer", type_name(&o)))),
                }
            }
        });
        match r {
            Ok(t) => t,
            Err(e) => {
                taipan_vm::gc::report_unraisable(vm, e, Some(timer));
                0
            }
        }
    }

    fn enter(&self, vm: &Vm, key: Key, user: impl FnOnce() -> Obj) {
        let entry = {
            let mut d = self.data.borrow_mut();
            let entry = match d.index.get(&key) {
                Some(&i) => i,
                None => {
                    let i = d.entries.len();
                    d.entries.push(Entry { user: user(), counts: Counts::default(), subs: Vec::new(), sub_index: HashMap::new() });
                    d.index.insert(key, i);
                    i
                }
            };
            d.entries[entry].counts.recursion_level += 1;
            if self.subcalls.get() {
                if let Some(caller) = d.stack.last().map(|c| c.entry) {
                    d.entries[caller].sub(entry).recursion_level += 1;
                }
            }
            entry
        };
        let t0 = self.now(vm);
        self.data.borrow_mut().stack.push(Context { entry, t0, subt: 0 });
    }

    fn leave(&self, vm: &Vm, key: Key) {
        if self.data.borrow().stack.is_empty() {
            return;
        }
        let entry = self.data.borrow().index.get(&key).copied();
        match entry {
            Some(e) => self.stop(vm, Some(e)),
            None => {
                self.data.borrow_mut().stack.pop();
            }
        }
    }

    /// Ends the innermost context, charging `entry` (CPython's `Stop`).
    fn stop(&self, vm: &Vm, entry: Option<usize>) {
        let now = self.now(vm);
        let mut d = self.data.borrow_mut();
        let Some(ctx) = d.stack.pop() else { return };
        let entry = entry.unwrap_or(ctx.entry);
        let tt = now - ctx.t0;
        let it = tt - ctx.subt;
        if let Some(prev) = d.stack.last_mut() {
            prev.subt += tt;
        }
        let caller = d.stack.last().map(|c| c.entry);
        let Some(e) = d.entries.get_mut(entry) else { return };
        let c = &mut e.counts;
        c.recursion_level -= 1;
        if c.recursion_level == 0 {
            c.tt += tt;
        } else {
            c.recursivecalls += 1;
        }
        c.it += it;
        c.callcount += 1;
        if let (true, Some(caller)) = (self.subcalls.get(), caller) {
            let s = d.entries[caller].sub(entry);
            s.recursion_level -= 1;
            if s.recursion_level == 0 {
                s.tt += tt;
            } else {
                s.recursivecalls += 1;
            }
            s.it += it;
            s.callcount += 1;
        }
    }

    /// Ends every call in progress (on `disable()`).
    fn flush(&self, vm: &Vm) {
        while !self.data.borrow().stack.is_empty() {
            self.stop(vm, None);
        }
    }
}

/// The key and, lazily, the description of a built-in function (CPython's
/// `normalizeUserObj`): `<name>` or `<module.name>` for module functions
/// without a module, `<built-in method module.name>` for those with one,
/// and for methods the repr of the descriptor found on the type of
/// `__self__` (`<method 'append' of 'list' objects>`).
fn builtin_key(vm: &Vm, func: &Obj) -> Option<(Key, Option<Obj>, &'static str)> {
    if let Some(b) = func.downcast::<BoundNativeData>() {
        let def = b.def as *const MethodDef as usize;
        return Some((Key::Builtin(def, 0, type_of(&b.receiver).as_ptr() as usize), Some(b.receiver.clone()), b.def.name));
    }
    let b = func.downcast::<BuiltinFunctionData>()?;
    let this = b.module.borrow().clone();
    let owner = match &this {
        Some(s) if s.downcast::<ModuleData>().is_some() => s.as_ptr() as usize,
        Some(s) if !s.is(&vm.none) => type_of(s).as_ptr() as usize,
        _ => 0,
    };
    Some((Key::Builtin(b.name.as_ptr() as usize, b.name.len(), owner), this, b.name))
}

fn builtin_label(vm: &Vm, this: Option<Obj>, name: &str) -> Obj {
    let module_name = |m: &Obj| m.downcast::<ModuleData>().map(|md| md.name.to_string());
    let text = match this {
        None => format!("<{name}>"),
        Some(s) if s.is(&vm.none) => format!("<{name}>"),
        Some(s) => {
            let found = if s.downcast::<ModuleData>().is_some() { None } else { lookup(&type_of(&s), name) };
            let r = found.and_then(|d| taipan_vm::ops::repr(vm, &d).ok());
            if let Some(r) = r.as_ref().and_then(|r| r.downcast::<StrData>()) {
                r.as_str().into_owned()
            } else {
                match module_name(&s) {
                    Some(m) => format!("<built-in method {m}.{name}>"),
                    None => format!("<built-in method {name}>"),
                }
            }
        }
    };
    new_str(vm, &text)
}

/// The native profile hook (see the module doc).
fn on_event(vm: &Vm, prof: &Obj, ev: ProfileEvent, subject: &Obj) {
    let Some(p) = prof.downcast::<Profiler>() else { return };
    match ev {
        ProfileEvent::Call => p.enter(vm, Key::Code(subject.as_ptr() as usize), || subject.clone()),
        ProfileEvent::Return => p.leave(vm, Key::Code(subject.as_ptr() as usize)),
        ProfileEvent::CCall if p.builtins.get() => {
            if let Some((key, this, name)) = builtin_key(vm, subject) {
                p.enter(vm, key, || builtin_label(vm, this, name));
            }
        }
        ProfileEvent::CReturn | ProfileEvent::CException if p.builtins.get() => {
            if let Some((key, _, _)) = builtin_key(vm, subject) {
                p.leave(vm, key);
            }
        }
        _ => {}
    }
}

static PROFILER_METHODS: &[MethodDef] = &[
    MethodDef::method("enable", profiler_enable, "enable(subcalls=True, builtins=True)\n\nStart collecting profiling information."),
    MethodDef::method("disable", profiler_disable, "disable()\n\nStop collecting profiling information."),
    MethodDef::method("clear", profiler_clear, "clear()\n\nClear all profiling information collected so far."),
    MethodDef::method("getstats", profiler_getstats, "list of profiler_entry objects.\n\ngetstats() -> list of profiler_entry objects"),
];

fn profiler_enable(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = this(vm, o)?;
    let params = Params { fname: "enable", names: &["subcalls", "builtins"], posonly: 0, kwonly: 0, required: 0 };
    let [subcalls, builtins] = bind::<2>(vm, &params, args, kw)?;
    if let Some(s) = subcalls {
        p.subcalls.set(int_flag(vm, &s)?);
    }
    if let Some(b) = builtins {
        p.builtins.set(int_flag(vm, &b)?);
    }
    set_native_profile(vm, Some((o.clone(), on_event)));
    p.enabled.set(true);
    Ok(vm.none.clone())
}

fn profiler_disable(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = this(vm, o)?;
    exact::<0>(vm, "disable", args, kw)?;
    set_native_profile(vm, None);
    p.enabled.set(false);
    p.flush(vm);
    Ok(vm.none.clone())
}

fn profiler_clear(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = this(vm, o)?;
    exact::<0>(vm, "clear", args, kw)?;
    let old = std::mem::take(&mut *p.data.borrow_mut());
    drop(old);
    Ok(vm.none.clone())
}

/// A function and its numbers (callcount, reccallcount, tt, it) with its
/// callees', copied out of the profiler for `getstats`.
type Row = (Obj, [i64; 4], Option<Vec<(Obj, [i64; 4])>>);

fn profiler_getstats(vm: &Vm, o: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = this(vm, o)?;
    exact::<0>(vm, "getstats", args, kw)?;
    let factor = if p.timer.is_some() && p.timeunit > 0.0 { p.timeunit } else { 1e-9 };
    let entry_ty = vm.native_type("_lsprof.profiler_entry", |vm| new_structseq_type(vm, &ENTRY_DESC));
    let sub_ty = vm.native_type("_lsprof.profiler_subentry", |vm| new_structseq_type(vm, &SUBENTRY_DESC));
    // Copy out first: making objects may run a collection.
    let rows: Vec<Row> = {
        let d = p.data.borrow();
        let nums = |c: &Counts| [c.callcount, c.recursivecalls, c.tt, c.it];
        d.entries
            .iter()
            .filter(|e| e.counts.callcount != 0)
            .map(|e| {
                let subs =
                    (!e.subs.is_empty()).then(|| e.subs.iter().map(|(callee, c)| (d.entries[*callee].user.clone(), nums(c))).collect());
                (e.user.clone(), nums(&e.counts), subs)
            })
            .collect()
    };
    let values = |user: Obj, n: [i64; 4]| {
        vec![
            user,
            vm.int(n[0]),
            vm.int(n[1]),
            alloc(vm.types.float.clone(), n[2] as f64 * factor),
            alloc(vm.types.float.clone(), n[3] as f64 * factor),
        ]
    };
    let mut out = Vec::with_capacity(rows.len());
    for (user, n, subs) in rows {
        let calls = match subs {
            Some(subs) => new_list(vm, subs.into_iter().map(|(u, n)| new_structseq(vm, &sub_ty, values(u, n))).collect()),
            None => vm.none.clone(),
        };
        let mut v = values(user, n);
        v.push(calls);
        out.push(new_structseq(vm, &entry_ty, v));
    }
    Ok(new_list(vm, out))
}

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_attr(vm, m, "Profiler", profiler_type(vm))?;
    let entry_ty = vm.native_type("_lsprof.profiler_entry", |vm| new_structseq_type(vm, &ENTRY_DESC));
    let sub_ty = vm.native_type("_lsprof.profiler_subentry", |vm| new_structseq_type(vm, &SUBENTRY_DESC));
    add_attr(vm, m, "profiler_entry", entry_ty)?;
    add_attr(vm, m, "profiler_subentry", sub_ty)?;
    Ok(())
}
