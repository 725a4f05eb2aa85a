//! `_pickle.Pickler`, `PicklerMemoProxy`, `dump` and `dumps`: objects to
//! pickle bytes, in CPython's order of checks (`save`): persistent ids,
//! the atoms, the memo, the built-in containers, `reducer_override`,
//! classes and functions as globals, then `dispatch_table` /
//! `copyreg.dispatch_table` / `__reduce_ex__` / `__reduce__`.
//!
//! Output goes to an in-memory buffer; from protocol 4 it is cut into
//! frames (`FRAME` + 8-byte length) at opcode boundaries once a frame
//! reaches 64 KiB, and byte strings of 64 KiB or more are written outside
//! any frame, as CPython's `_Pickler_write_bytes` does. With a file, each
//! finished frame is handed to `file.write` as it completes.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;

use num_bigint::BigInt;
use num_traits::Zero;

use taipan_vm::classes;
use taipan_vm::native::{self, exact, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::ops;
use taipan_vm::types::builtin::{
    dict_get, dict_items, dict_len, dict_set, is_exact, new_bytes, new_dict, new_str, new_tuple, object_slots, set_items, set_len,
    str_data, type_name, IntData, ListData, StrData, TupleData,
};
use taipan_vm::types::memoryview::{memory_order_bytes, MemoryViewData};
use taipan_vm::types::picklebuffer::{self, PickleBufferData};
use taipan_vm::types::{is_subtype, type_of, Kwargs, Slots};
use taipan_vm::{PyResult, Vm};

use super::{op, pickling_error, state, State, DEFAULT_PROTOCOL, HIGHEST_PROTOCOL};
use crate::util;

const FRAME_SIZE_MIN: usize = 4;
const FRAME_SIZE_TARGET: usize = 64 * 1024;
const FRAME_HEADER_SIZE: usize = 9;
const BATCHSIZE: usize = 1000;
const FAST_NESTING_LIMIT: usize = 50;

/// The memo: objects already written, by identity, with their index.
/// Entries keep their objects alive so addresses stay unique. Keyed by
/// address, so hashed with the vm's fast hasher (SipHash was a third of
/// `dumps`).
#[derive(Default, Clone)]
pub(crate) struct Memo {
    index: taipan_vm::hash::FastMap<usize, usize>,
    entries: Vec<(Obj, u32)>,
}

impl Memo {
    fn get(&self, o: &Obj) -> Option<u32> {
        self.index.get(&(o.as_ptr() as usize)).map(|&i| self.entries[i].1)
    }

    fn set(&mut self, o: &Obj, idx: u32) {
        let key = o.as_ptr() as usize;
        if let Some(&i) = self.index.get(&key) {
            self.entries[i].1 = idx;
        } else {
            if self.index.capacity() == 0 {
                // Skip the first few doublings of a fresh memo.
                self.index.reserve(32);
            }
            self.index.insert(key, self.entries.len());
            self.entries.push((o.clone(), idx));
        }
    }

    fn len(&self) -> usize {
        self.entries.len()
    }
}

/// The configuration and memo of a `Pickler` (also used bare by `dumps`).
#[derive(Default)]
pub struct PicklerData {
    /// `file.write`; `None` until `__init__` ran (or for `dumps`).
    write: RefCell<Option<Obj>>,
    initialized: Cell<bool>,
    proto: Cell<i64>,
    bin: Cell<i64>,
    fix_imports: Cell<bool>,
    fast: Cell<i64>,
    memo: RefCell<Memo>,
    pers_func: RefCell<Option<Obj>>,
    dispatch_table: RefCell<Option<Obj>>,
    buffer_callback: RefCell<Option<Obj>>,
}

impl PicklerData {
    fn configure(&self, vm: &Vm, protocol: Option<Obj>, fix_imports: bool, buffer_callback: Option<Obj>) -> PyResult<()> {
        let proto = protocol_arg(vm, protocol)?;
        self.proto.set(proto);
        self.bin.set((proto > 0) as i64);
        self.fix_imports.set(fix_imports && proto < 3);
        let cb = buffer_callback.filter(|c| !c.is(&vm.none));
        if cb.is_some() && proto < 5 {
            return Err(vm.new_error(&vm.types.value_error, "buffer_callback needs protocol >= 5"));
        }
        *self.buffer_callback.borrow_mut() = cb;
        Ok(())
    }
}

/// `_Pickler_SetProtocol`: None is the default, negative the highest.
fn protocol_arg(vm: &Vm, protocol: Option<Obj>) -> PyResult<i64> {
    let Some(p) = protocol.filter(|p| !p.is(&vm.none)) else { return Ok(DEFAULT_PROTOCOL) };
    let v = match ops::index(vm, &p)?.downcast::<IntData>() {
        Some(IntData::Small(v)) => *v,
        _ => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C long")),
    };
    if v < 0 {
        Ok(HIGHEST_PROTOCOL)
    } else if v > HIGHEST_PROTOCOL {
        Err(vm.new_error(&vm.types.value_error, format!("pickle protocol must be <= {HIGHEST_PROTOCOL}")))
    } else {
        Ok(v)
    }
}

fn truth_arg(vm: &Vm, o: Option<Obj>) -> PyResult<bool> {
    match o {
        None => Ok(true),
        Some(o) => ops::truth(vm, &o),
    }
}

pub(crate) fn pickler_type(vm: &Vm) -> Obj {
    vm.native_type("_pickle.Pickler", |vm| {
        let slots = Slots {
            new: Some(|_vm, cls, _args, _kw| Ok(alloc(cls.clone(), PicklerData::default()))),
            init: Some(pickler_init),
            traverse: Some(|o, visit| {
                if let Some(p) = o.downcast::<PicklerData>() {
                    traverse_pickler(p, visit);
                }
            }),
            clear: Some(|o| {
                if let Some(p) = o.downcast::<PicklerData>() {
                    clear_pickler(p);
                }
            }),
            ..object_slots()
        };
        let ty = native::new_type::<PicklerData>(vm, "_pickle.Pickler", &[], true, slots, PICKLER_METHODS, PICKLER_GETSETS);
        native::set_type_doc(
            vm,
            &ty,
            "Pickler(file, protocol=None, fix_imports=True, buffer_callback=None)\n--\n\n\
             This takes a binary file for writing a pickle data stream.",
        );
        ty
    })
}

fn traverse_pickler(p: &PicklerData, visit: &mut dyn FnMut(&Obj)) {
    for c in [&p.write, &p.pers_func, &p.dispatch_table, &p.buffer_callback] {
        if let Ok(b) = c.try_borrow() {
            if let Some(x) = &*b {
                visit(x);
            }
        }
    }
    if let Ok(m) = p.memo.try_borrow() {
        for (o, _) in &m.entries {
            visit(o);
        }
    }
}

fn clear_pickler(p: &PicklerData) {
    let mut junk: Vec<Obj> = Vec::new();
    for c in [&p.write, &p.pers_func, &p.dispatch_table, &p.buffer_callback] {
        if let Ok(mut b) = c.try_borrow_mut() {
            junk.extend(b.take());
        }
    }
    if let Ok(mut m) = p.memo.try_borrow_mut() {
        let old = std::mem::take(&mut *m);
        junk.extend(old.entries.into_iter().map(|(o, _)| o));
    }
    drop(junk);
}

fn data<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a PicklerData> {
    o.downcast::<PicklerData>()
        .ok_or_else(|| vm.type_error(format!("descriptor requires a '_pickle.Pickler' object but received '{}'", type_name(o))))
}

static PICKLER_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "dump",
        pickler_dump,
        "dump($self, obj, /)\n--\n\nWrite a pickled representation of the given object to the open file.",
    ),
    MethodDef::method(
        "clear_memo",
        |vm, this, args, kw| {
            exact::<0>(vm, "clear_memo", args, kw)?;
            let old = std::mem::take(&mut *data(vm, this)?.memo.borrow_mut());
            drop(old);
            Ok(vm.none.clone())
        },
        "Clears the pickler's \"memo\".",
    ),
    MethodDef::method(
        "__sizeof__",
        |vm, this, args, kw| {
            exact::<0>(vm, "__sizeof__", args, kw)?;
            let d = data(vm, this)?;
            Ok(vm.int((std::mem::size_of::<PicklerData>() + d.memo.borrow().len() * 24) as i64))
        },
        "Returns size in memory, in bytes.",
    ),
];

fn pickler_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params =
        Params { fname: "Pickler", names: &["file", "protocol", "fix_imports", "buffer_callback"], posonly: 0, kwonly: 0, required: 1 };
    let [file, protocol, fix_imports, buffer_callback] = native::bind::<4>(vm, &P, args, kw)?;
    let d = data(vm, this)?;
    if d.initialized.get() {
        clear_pickler(d);
    }
    let fix = truth_arg(vm, fix_imports)?;
    d.configure(vm, protocol, fix, buffer_callback)?;
    let file = file.unwrap_or_else(|| vm.none.clone());
    let write = util::getattr_opt(vm, &file, "write")?.ok_or_else(|| vm.type_error("file must have a 'write' attribute"))?;
    *d.write.borrow_mut() = Some(write);
    d.fast.set(0);
    d.initialized.set(true);
    let pers = util::getattr_opt(vm, this, "persistent_id")?;
    *d.pers_func.borrow_mut() = pers;
    let table = util::getattr_opt(vm, this, "dispatch_table")?;
    *d.dispatch_table.borrow_mut() = table;
    Ok(vm.none.clone())
}

fn pickler_dump(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [obj] = exact::<1>(vm, "dump", args, kw)?;
    let d = data(vm, this)?;
    let Some(write) = d.write.borrow().clone() else {
        return Err(pickling_error(
            vm,
            format!("Pickler.__init__() was not called by {}.__init__()", taipan_vm::types::type_data(&type_of(this)).name),
        ));
    };
    let reducer_override = util::getattr_opt(vm, this, "reducer_override")?;
    let mut p = Saver::new(vm, d, Some(write), reducer_override)?;
    p.dump(&obj)?;
    p.flush_to_file()?;
    Ok(vm.none.clone())
}

static PICKLER_GETSETS: &[GetSetDef] = &[
    GetSetDef::new(
        "memo",
        |vm, o| {
            data(vm, o)?;
            Ok(alloc(memo_proxy_type(vm), MemoProxy { pickler: o.clone() }))
        },
        |vm, o, v| {
            let d = data(vm, o)?;
            let Some(v) = v else { return Err(vm.type_error("attribute deletion is not supported")) };
            let new = if let Some(proxy) = v.downcast::<MemoProxy>().filter(|_| is_exact(&v, &memo_proxy_type(vm))) {
                data(vm, &proxy.pickler)?.memo.borrow().clone()
            } else if v.downcast::<taipan_vm::types::builtin::DictData>().is_some() {
                let mut m = Memo::default();
                for (_, value) in dict_items(&v) {
                    let Some(t) = value.downcast::<TupleData>().filter(|t| t.items.len() == 2) else {
                        return Err(vm.type_error("'memo' values must be 2-item tuples"));
                    };
                    let idx = util::to_isize(vm, &t.items[0])?;
                    m.set(&t.items[1], idx as u32);
                }
                m
            } else {
                return Err(vm.type_error(format!("'memo' attribute must be a PicklerMemoProxy object or dict, not {}", type_name(&v))));
            };
            let old = std::mem::replace(&mut *d.memo.borrow_mut(), new);
            drop(old);
            Ok(())
        },
        "",
    ),
    GetSetDef::new(
        "persistent_id",
        |vm, o| data(vm, o)?.pers_func.borrow().clone().ok_or_else(|| vm.new_error(&vm.types.attribute_error, "persistent_id")),
        |vm, o, v| {
            let d = data(vm, o)?;
            let Some(v) = v else { return Err(vm.type_error("attribute deletion is not supported")) };
            if !ops::callable(&v) {
                return Err(vm.type_error("persistent_id must be a callable taking one argument"));
            }
            *d.pers_func.borrow_mut() = Some(v);
            Ok(())
        },
        "",
    ),
    GetSetDef::new(
        "dispatch_table",
        |vm, o| data(vm, o)?.dispatch_table.borrow().clone().ok_or_else(|| vm.new_error(&vm.types.attribute_error, "dispatch_table")),
        |vm, o, v| {
            let d = data(vm, o)?;
            if v.is_none() && d.dispatch_table.borrow().is_none() {
                return Err(vm.new_error(&vm.types.attribute_error, "dispatch_table"));
            }
            let old = std::mem::replace(&mut *d.dispatch_table.borrow_mut(), v);
            drop(old);
            Ok(())
        },
        "",
    ),
    GetSetDef::new("bin", |vm, o| Ok(vm.int(data(vm, o)?.bin.get())), |vm, o, v| set_int_member(vm, &data(vm, o)?.bin, v), ""),
    GetSetDef::new("fast", |vm, o| Ok(vm.int(data(vm, o)?.fast.get())), |vm, o, v| set_int_member(vm, &data(vm, o)?.fast, v), ""),
];

/// A `T_INT` member: ints only, no deletion.
fn set_int_member(vm: &Vm, cell: &Cell<i64>, v: Option<Obj>) -> PyResult<()> {
    let Some(v) = v else { return Err(vm.type_error("can't delete numeric/char attribute")) };
    if v.downcast::<IntData>().is_none() {
        return Err(vm.type_error("an integer is required"));
    }
    cell.set(util::to_isize(vm, &v)? as i64);
    Ok(())
}

// PicklerMemoProxy -------------------------------------------------------

pub struct MemoProxy {
    pickler: Obj,
}

pub(crate) fn memo_proxy_type(vm: &Vm) -> Obj {
    vm.native_type("_pickle.PicklerMemoProxy", |vm| {
        let slots = Slots {
            traverse: Some(|o, visit| {
                if let Some(p) = o.downcast::<MemoProxy>() {
                    visit(&p.pickler);
                }
            }),
            hash: None,
            ..object_slots()
        };
        native::new_type::<MemoProxy>(vm, "_pickle.PicklerMemoProxy", &[], true, slots, MEMO_PROXY_METHODS, &[])
    })
}

fn proxy_pickler<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a PicklerData> {
    let p = o.downcast::<MemoProxy>().ok_or_else(|| vm.type_error("expected a PicklerMemoProxy"))?;
    data(vm, &p.pickler)
}

/// `{id(obj): (index, obj)}`, the memo as a dict.
fn memo_copy(vm: &Vm, d: &PicklerData) -> PyResult<Obj> {
    let entries = d.memo.borrow().entries.clone();
    let out = new_dict(vm);
    for (o, idx) in entries {
        let id = vm.int(o.as_ptr() as usize as i64);
        dict_set(vm, &out, id, new_tuple(vm, vec![vm.int(idx as i64), o]))?;
    }
    Ok(out)
}

static MEMO_PROXY_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "clear",
        |vm, this, args, kw| {
            exact::<0>(vm, "clear", args, kw)?;
            let old = std::mem::take(&mut *proxy_pickler(vm, this)?.memo.borrow_mut());
            drop(old);
            Ok(vm.none.clone())
        },
        "Remove all items from memo.",
    ),
    MethodDef::method(
        "copy",
        |vm, this, args, kw| {
            exact::<0>(vm, "copy", args, kw)?;
            memo_copy(vm, proxy_pickler(vm, this)?)
        },
        "Copy the memo to a new object.",
    ),
    MethodDef::method(
        "__reduce__",
        |vm, this, args, kw| {
            exact::<0>(vm, "__reduce__", args, kw)?;
            let copy = memo_copy(vm, proxy_pickler(vm, this)?)?;
            Ok(new_tuple(vm, vec![vm.types.dict.clone(), new_tuple(vm, vec![copy])]))
        },
        "Implement pickle support.",
    ),
];

// dump / dumps ----------------------------------------------------------

/// `dump(obj, file, protocol=None, *, fix_imports=True, buffer_callback=None)`.
pub(crate) fn dump(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params =
        Params { fname: "dump", names: &["obj", "file", "protocol", "fix_imports", "buffer_callback"], posonly: 0, kwonly: 2, required: 2 };
    let [obj, file, protocol, fix_imports, buffer_callback] = native::bind::<5>(vm, &P, args, kw)?;
    let d = PicklerData::default();
    d.configure(vm, protocol, truth_arg(vm, fix_imports)?, buffer_callback)?;
    let file = file.unwrap_or_else(|| vm.none.clone());
    let write = util::getattr_opt(vm, &file, "write")?.ok_or_else(|| vm.type_error("file must have a 'write' attribute"))?;
    let mut p = Saver::new(vm, &d, Some(write), None)?;
    p.dump(&obj.unwrap_or_else(|| vm.none.clone()))?;
    p.flush_to_file()?;
    Ok(vm.none.clone())
}

/// `dumps(obj, protocol=None, *, fix_imports=True, buffer_callback=None)`.
pub(crate) fn dumps(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params =
        Params { fname: "dumps", names: &["obj", "protocol", "fix_imports", "buffer_callback"], posonly: 0, kwonly: 2, required: 1 };
    let [obj, protocol, fix_imports, buffer_callback] = native::bind::<4>(vm, &P, args, kw)?;
    let d = PicklerData::default();
    d.configure(vm, protocol, truth_arg(vm, fix_imports)?, buffer_callback)?;
    let mut p = Saver::new(vm, &d, None, None)?;
    p.dump(&obj.unwrap_or_else(|| vm.none.clone()))?;
    let out = std::mem::take(&mut p.out);
    Ok(new_bytes(vm, out))
}

// The pickling machine ---------------------------------------------------

/// One `dump`: the output buffer and framing state over a pickler's
/// configuration and memo.
struct Saver<'a> {
    vm: &'a Vm,
    d: &'a PicklerData,
    st: std::rc::Rc<State>,
    out: Vec<u8>,
    write: Option<Obj>,
    framing: bool,
    frame_start: Option<usize>,
    proto: i64,
    bin: bool,
    fix_imports: bool,
    fast: bool,
    fast_nesting: usize,
    fast_memo: HashSet<usize>,
    pers_func: Option<Obj>,
    dispatch_table: Option<Obj>,
    reducer_override: Option<Obj>,
}

fn is_type(o: &Obj) -> bool {
    o.downcast::<taipan_vm::types::TypeData>().is_some()
}

impl<'a> Saver<'a> {
    fn new(vm: &'a Vm, d: &'a PicklerData, write: Option<Obj>, reducer_override: Option<Obj>) -> PyResult<Saver<'a>> {
        Ok(Saver {
            vm,
            d,
            st: state(vm)?,
            out: Vec::new(),
            write,
            framing: false,
            frame_start: None,
            proto: d.proto.get(),
            bin: d.bin.get() != 0,
            fix_imports: d.fix_imports.get(),
            fast: d.fast.get() != 0,
            fast_nesting: 0,
            fast_memo: HashSet::new(),
            pers_func: d.pers_func.borrow().clone(),
            dispatch_table: d.dispatch_table.borrow().clone(),
            reducer_override,
        })
    }

    // Output ------------------------------------------------------------

    fn w(&mut self, data: &[u8]) {
        if self.framing && self.frame_start.is_none() {
            self.frame_start = Some(self.out.len());
            self.out.extend_from_slice(&[0; FRAME_HEADER_SIZE]);
        }
        self.out.extend_from_slice(data);
    }

    fn w1(&mut self, b: u8) {
        self.w(&[b]);
    }

    fn commit_frame(&mut self) {
        if !self.framing {
            return;
        }
        let Some(start) = self.frame_start.take() else { return };
        let len = self.out.len() - start - FRAME_HEADER_SIZE;
        if len >= FRAME_SIZE_MIN {
            self.out[start] = op::FRAME;
            self.out[start + 1..start + FRAME_HEADER_SIZE].copy_from_slice(&(len as u64).to_le_bytes());
        } else {
            self.out.drain(start..start + FRAME_HEADER_SIZE);
        }
    }

    fn opcode_boundary(&mut self) -> PyResult<()> {
        if !self.framing {
            return Ok(());
        }
        let Some(start) = self.frame_start else { return Ok(()) };
        if self.out.len() - start - FRAME_HEADER_SIZE >= FRAME_SIZE_TARGET {
            self.commit_frame();
            if self.write.is_some() {
                self.flush_to_file()?;
            }
        }
        Ok(())
    }

    fn flush_to_file(&mut self) -> PyResult<()> {
        let Some(write) = self.write.clone() else { return Ok(()) };
        let data = std::mem::take(&mut self.out);
        util::call(self.vm, &write, &[new_bytes(self.vm, data)])?;
        Ok(())
    }

    /// `_Pickler_write_bytes`: a header and a payload; payloads of a
    /// frame's size or more go outside any frame (straight to the file
    /// when there is one).
    fn write_bytes(&mut self, header: &[u8], data: &[u8], payload: Option<&Obj>) -> PyResult<()> {
        let bypass = data.len() >= FRAME_SIZE_TARGET;
        let framing = self.framing;
        if bypass {
            self.commit_frame();
            self.framing = false;
        }
        self.w(header);
        if bypass && self.write.is_some() {
            self.flush_to_file()?;
            let payload = match payload {
                Some(p) => p.clone(),
                None => new_bytes(self.vm, data.to_vec()),
            };
            if let Some(write) = self.write.clone() {
                util::call(self.vm, &write, &[payload])?;
            }
        } else {
            self.w(data);
        }
        self.framing = framing;
        Ok(())
    }

    // The memo ------------------------------------------------------------

    fn memo_get_index(&self, o: &Obj) -> Option<u32> {
        self.d.memo.borrow().get(o)
    }

    fn write_get(&mut self, idx: u32) {
        if !self.bin {
            self.w(format!("g{idx}\n").as_bytes());
        } else if idx < 256 {
            self.w(&[op::BINGET, idx as u8]);
        } else {
            let mut b = vec![op::LONG_BINGET];
            b.extend_from_slice(&idx.to_le_bytes());
            self.w(&b);
        }
    }

    fn memo_put(&mut self, o: &Obj) {
        if self.fast {
            return;
        }
        let idx = {
            let mut m = self.d.memo.borrow_mut();
            let idx = m.len() as u32;
            m.set(o, idx);
            idx
        };
        if self.proto >= 4 {
            self.w1(op::MEMOIZE);
        } else if !self.bin {
            self.w(format!("p{idx}\n").as_bytes());
        } else if idx < 256 {
            self.w(&[op::BINPUT, idx as u8]);
        } else {
            let mut b = vec![op::LONG_BINPUT];
            b.extend_from_slice(&idx.to_le_bytes());
            self.w(&b);
        }
    }

    // save ------------------------------------------------------------

    fn dump(&mut self, obj: &Obj) -> PyResult<()> {
        if self.proto >= 2 {
            self.w(&[op::PROTO, self.proto as u8]);
            if self.proto >= 4 {
                self.framing = true;
            }
        }
        let r = self.save(obj, false);
        if r.is_ok() {
            self.w1(op::STOP);
            self.commit_frame();
        }
        self.framing = false;
        self.reducer_override = None;
        r
    }

    fn save(&mut self, obj: &Obj, pers_save: bool) -> PyResult<()> {
        let vm = self.vm;
        self.opcode_boundary()?;
        if !pers_save && self.pers_func.is_some() && self.save_pers(obj)? {
            return Ok(());
        }
        let t = &vm.types;
        if obj.is(&vm.none) {
            self.w1(op::NONE);
            return Ok(());
        }
        if obj.is(&vm.true_) || obj.is(&vm.false_) {
            let v = obj.is(&vm.true_);
            if self.proto >= 2 {
                self.w1(if v { op::NEWTRUE } else { op::NEWFALSE });
            } else {
                self.w(if v { b"I01\n" } else { b"I00\n" });
            }
            return Ok(());
        }
        if is_exact(obj, &t.int) {
            return self.save_long(obj);
        }
        if is_exact(obj, &t.float) {
            let f = obj.downcast::<f64>().copied().unwrap_or(0.0);
            if self.bin {
                let mut b = vec![op::BINFLOAT];
                b.extend_from_slice(&f.to_be_bytes());
                self.w(&b);
            } else {
                let s = format!("F{}\n", taipan_parser::repr::repr_float(f));
                self.w(s.as_bytes());
            }
            return Ok(());
        }
        if let Some(idx) = self.memo_get_index(obj) {
            self.write_get(idx);
            return Ok(());
        }
        if is_exact(obj, &t.bytes) {
            return self.save_bytes(obj);
        }
        if is_exact(obj, &t.str_) {
            return self.save_unicode(obj);
        }
        let _guard = vm.enter_recursive_call(" while pickling an object")?;
        if is_exact(obj, &t.dict) {
            return self.save_dict(obj);
        }
        if is_exact(obj, &t.set) {
            return self.save_set(obj);
        }
        if is_exact(obj, &t.frozenset) {
            return self.save_frozenset(obj);
        }
        if is_exact(obj, &t.list) {
            return self.save_list(obj);
        }
        if is_exact(obj, &t.tuple) {
            return self.save_tuple(obj);
        }
        if is_exact(obj, &t.bytearray) {
            return self.save_bytearray(obj);
        }
        if obj.downcast::<PickleBufferData>().is_some() {
            return self.save_picklebuffer(obj);
        }
        if let Some(ro) = self.reducer_override.clone() {
            let rv = util::call(vm, &ro, std::slice::from_ref(obj))?;
            if !rv.is(&vm.not_implemented) {
                return self.save_reduce_value(obj, &rv);
            }
        }
        if is_exact(obj, &t.type_) {
            return self.save_type(obj);
        }
        if is_exact(obj, &t.function) {
            return self.save_global(obj, None);
        }
        let ty = type_of(obj);
        let reduce_func = match &self.dispatch_table {
            None => dict_get(vm, &self.st.dispatch_table, &ty)?,
            Some(table) => match taipan_vm::sequence::getitem(vm, table, &ty) {
                Ok(f) => Some(f),
                Err(e) if util::is_error(&e, &vm.types.key_error) => None,
                Err(e) => return Err(e),
            },
        };
        let rv = if let Some(f) = reduce_func {
            util::call(vm, &f, std::slice::from_ref(obj))?
        } else if is_subtype(&ty, &t.type_) {
            return self.save_global(obj, None);
        } else if let Some(f) = util::getattr_opt(vm, obj, "__reduce_ex__")? {
            util::call(vm, &f, &[vm.int(self.proto)])?
        } else if let Some(f) = util::getattr_opt(vm, obj, "__reduce__")? {
            util::call(vm, &f, &[])?
        } else {
            return Err(pickling_error(vm, format!("can't pickle '{}' object: {}", type_name(obj), util::repr(vm, obj)?)));
        };
        self.save_reduce_value(obj, &rv)
    }

    fn save_reduce_value(&mut self, obj: &Obj, rv: &Obj) -> PyResult<()> {
        if rv.downcast::<StrData>().is_some() {
            return self.save_global(obj, Some(rv.clone()));
        }
        if rv.downcast::<TupleData>().is_none() {
            return Err(pickling_error(self.vm, "__reduce__ must return a string or tuple"));
        }
        self.save_reduce(rv, Some(obj))
    }

    fn save_pers(&mut self, obj: &Obj) -> PyResult<bool> {
        let vm = self.vm;
        let Some(f) = self.pers_func.clone() else { return Ok(false) };
        let pid = util::call(vm, &f, std::slice::from_ref(obj))?;
        if pid.is(&vm.none) {
            return Ok(false);
        }
        if self.bin {
            self.save(&pid, true)?;
            self.w1(op::BINPERSID);
        } else {
            let s = ops::str(vm, &pid)?;
            let sd = str_data(&s);
            if !sd.is_ascii() {
                return Err(pickling_error(vm, "persistent IDs in protocol 0 must be ASCII strings"));
            }
            let mut b = vec![op::PERSID];
            b.extend_from_slice(sd.bytes());
            b.push(b'\n');
            self.w(&b);
        }
        Ok(true)
    }

    fn save_long(&mut self, obj: &Obj) -> PyResult<()> {
        let Some(v) = obj.downcast::<IntData>() else { return Ok(()) };
        if let IntData::Small(x) = v {
            if let Ok(x) = i32::try_from(*x) {
                if self.bin {
                    if (0..=0xff).contains(&x) {
                        self.w(&[op::BININT1, x as u8]);
                    } else if (0..=0xffff).contains(&x) {
                        self.w(&[op::BININT2, x as u8, (x >> 8) as u8]);
                    } else {
                        let mut b = vec![op::BININT];
                        b.extend_from_slice(&x.to_le_bytes());
                        self.w(&b);
                    }
                } else {
                    self.w(format!("I{x}\n").as_bytes());
                }
                return Ok(());
            }
        }
        let big: BigInt = v.to_big();
        if self.proto >= 2 {
            let bytes = if big.is_zero() { Vec::new() } else { big.to_signed_bytes_le() };
            let n = bytes.len();
            if n > 0x7fff_ffff {
                return Err(self.vm.new_error(&self.vm.types.overflow_error, "int too large to pickle"));
            }
            let mut b = Vec::with_capacity(n + 5);
            if n < 256 {
                b.push(op::LONG1);
                b.push(n as u8);
            } else {
                b.push(op::LONG4);
                b.extend_from_slice(&(n as u32).to_le_bytes());
            }
            b.extend_from_slice(&bytes);
            self.w(&b);
        } else {
            let text = taipan_vm::types::int::int_to_decimal(self.vm, v)?;
            self.w(format!("L{text}L\n").as_bytes());
        }
        Ok(())
    }

    fn save_bytes(&mut self, obj: &Obj) -> PyResult<()> {
        let vm = self.vm;
        let data = taipan_vm::types::builtin::bytes_data(obj).unwrap_or(&[]);
        if self.proto < 3 {
            let rv = if data.is_empty() {
                new_tuple(vm, vec![vm.types.bytes.clone(), new_tuple(vm, vec![])])
            } else {
                let text: String = data.iter().map(|&b| b as char).collect();
                let args = new_tuple(vm, vec![new_str(vm, &text), new_str(vm, "latin1")]);
                new_tuple(vm, vec![self.st.codecs_encode.clone(), args])
            };
            return self.save_reduce(&rv, Some(obj));
        }
        self.save_bytes_data(obj, data)
    }

    /// `data` as a protocol 3+ bytes opcode, memoized as `obj`.
    fn save_bytes_data(&mut self, obj: &Obj, data: &[u8]) -> PyResult<()> {
        let vm = self.vm;
        let n = data.len();
        let mut header = Vec::with_capacity(9);
        if n < 256 {
            header.extend_from_slice(&[op::SHORT_BINBYTES, n as u8]);
        } else if n <= 0xffff_ffff {
            header.push(op::BINBYTES);
            header.extend_from_slice(&(n as u32).to_le_bytes());
        } else if self.proto >= 4 {
            header.push(op::BINBYTES8);
            header.extend_from_slice(&(n as u64).to_le_bytes());
        } else {
            return Err(
                vm.new_error(&vm.types.overflow_error, "serializing a bytes object larger than 4 GiB requires pickle protocol 4 or higher")
            );
        }
        self.write_bytes(&header, data, Some(obj))?;
        self.memo_put(obj);
        Ok(())
    }

    fn save_bytearray(&mut self, obj: &Obj) -> PyResult<()> {
        let vm = self.vm;
        let data: Vec<u8> = taipan_vm::types::builtin::as_buffer(obj).map(|b| b.into_owned()).unwrap_or_default();
        if self.proto < 5 {
            let args = if data.is_empty() { vec![] } else { vec![new_bytes(vm, data)] };
            let rv = new_tuple(vm, vec![vm.types.bytearray.clone(), new_tuple(vm, args)]);
            return self.save_reduce(&rv, Some(obj));
        }
        self.save_bytearray_data(obj, &data)
    }

    /// `data` as a `BYTEARRAY8` opcode, memoized as `obj`.
    fn save_bytearray_data(&mut self, obj: &Obj, data: &[u8]) -> PyResult<()> {
        let mut header = vec![op::BYTEARRAY8];
        header.extend_from_slice(&(data.len() as u64).to_le_bytes());
        self.write_bytes(&header, data, None)?;
        self.memo_put(obj);
        Ok(())
    }

    /// A `PickleBuffer` (protocol 5): its bytes in-band (as bytes when the
    /// buffer is read-only, as a bytearray otherwise), or out-of-band
    /// (`NEXT_BUFFER`, then `READONLY_BUFFER` for a read-only one) when
    /// the `buffer_callback` returns a false value.
    fn save_picklebuffer(&mut self, obj: &Obj) -> PyResult<()> {
        let vm = self.vm;
        if self.proto < 5 {
            return Err(pickling_error(vm, "PickleBuffer can only pickled with protocol >= 5"));
        }
        let view = match picklebuffer::exported_view(vm, obj) {
            Some(v) => v?,
            None => return Err(vm.type_error("PickleBuffer expected")),
        };
        let Some(m) = view.downcast::<MemoryViewData>() else { return Err(vm.type_error("PickleBuffer expected")) };
        if !m.view.is_contiguous('A') {
            return Err(pickling_error(vm, "PickleBuffer can not be pickled when pointing to a non-contiguous buffer"));
        }
        let readonly = m.readonly();
        let callback = self.d.buffer_callback.borrow().clone();
        let in_band = match callback {
            Some(cb) => {
                let r = util::call(vm, &cb, std::slice::from_ref(obj))?;
                ops::truth(vm, &r)?
            }
            None => true,
        };
        if in_band {
            // CPython writes the exporter's memory as it lies.
            let data = memory_order_bytes(m).unwrap_or_default();
            if readonly {
                self.save_bytes_data(obj, &data)
            } else {
                self.save_bytearray_data(obj, &data)
            }
        } else {
            self.w1(op::NEXT_BUFFER);
            if readonly {
                self.w1(op::READONLY_BUFFER);
            }
            Ok(())
        }
    }

    fn save_unicode(&mut self, obj: &Obj) -> PyResult<()> {
        let sd = str_data(obj);
        if self.bin {
            let data = sd.bytes();
            let n = data.len();
            let mut header = Vec::with_capacity(9);
            if n <= 0xff && self.proto >= 4 {
                header.extend_from_slice(&[op::SHORT_BINUNICODE, n as u8]);
            } else if n > 0xffff_ffff && self.proto >= 4 {
                header.push(op::BINUNICODE8);
                header.extend_from_slice(&(n as u64).to_le_bytes());
            } else if n <= 0xffff_ffff {
                header.push(op::BINUNICODE);
                header.extend_from_slice(&(n as u32).to_le_bytes());
            } else {
                return Err(self.vm.new_error(
                    &self.vm.types.overflow_error,
                    "serializing a string larger than 4 GiB requires pickle protocol 4 or higher",
                ));
            }
            self.write_bytes(&header, data, None)?;
        } else {
            let mut b = vec![op::UNICODE];
            raw_unicode_escape(sd, &mut b);
            b.push(b'\n');
            self.w(&b);
        }
        self.memo_put(obj);
        Ok(())
    }

    fn save_tuple(&mut self, obj: &Obj) -> PyResult<()> {
        let items: Vec<Obj> = obj.downcast::<TupleData>().map(|t| t.items.to_vec()).unwrap_or_default();
        let n = items.len();
        if n == 0 {
            if self.proto > 0 {
                self.w1(op::EMPTY_TUPLE);
            } else {
                self.w(&[op::MARK, op::TUPLE]);
            }
            return Ok(());
        }
        if n <= 3 && self.proto >= 2 {
            for x in &items {
                self.save(x, false)?;
            }
            if let Some(idx) = self.memo_get_index(obj) {
                self.w(&vec![op::POP; n]);
                self.write_get(idx);
            } else {
                self.w1([op::TUPLE1, op::TUPLE2, op::TUPLE3][n - 1]);
                self.memo_put(obj);
            }
            return Ok(());
        }
        self.w1(op::MARK);
        for x in &items {
            self.save(x, false)?;
        }
        if let Some(idx) = self.memo_get_index(obj) {
            if self.bin {
                self.w1(op::POP_MARK);
            } else {
                self.w(&vec![op::POP; n + 1]);
            }
            self.write_get(idx);
            return Ok(());
        }
        self.w1(op::TUPLE);
        self.memo_put(obj);
        Ok(())
    }

    fn fast_enter(&mut self, obj: &Obj) -> PyResult<()> {
        if !self.fast {
            return Ok(());
        }
        self.fast_nesting += 1;
        if self.fast_nesting >= FAST_NESTING_LIMIT {
            let key = obj.as_ptr() as usize;
            if !self.fast_memo.insert(key) {
                return Err(self.vm.new_error(
                    &self.vm.types.value_error,
                    format!("fast mode: can't pickle cyclic objects including object type {} at {:#x}", type_name(obj), key),
                ));
            }
        }
        Ok(())
    }

    fn fast_leave(&mut self, obj: &Obj) {
        if !self.fast {
            return;
        }
        if self.fast_nesting >= FAST_NESTING_LIMIT {
            self.fast_memo.remove(&(obj.as_ptr() as usize));
        }
        self.fast_nesting = self.fast_nesting.saturating_sub(1);
    }

    fn save_list(&mut self, obj: &Obj) -> PyResult<()> {
        self.fast_enter(obj)?;
        if self.bin {
            self.w1(op::EMPTY_LIST);
        } else {
            self.w(&[op::MARK, op::LIST]);
        }
        self.memo_put(obj);
        let list = obj.downcast::<ListData>();
        let len = list.map_or(0, |l| l.items.borrow().len());
        if len != 0 {
            if self.proto > 0 {
                self.batch_list_exact(obj)?;
            } else {
                let it = ops::iter(self.vm, obj)?;
                self.batch_list(&it)?;
            }
        }
        self.fast_leave(obj);
        Ok(())
    }

    fn list_item(obj: &Obj, i: usize) -> Option<Obj> {
        obj.downcast::<ListData>().and_then(|l| l.items.borrow().get(i).cloned())
    }

    fn list_len(obj: &Obj) -> usize {
        obj.downcast::<ListData>().map_or(0, |l| l.items.borrow().len())
    }

    fn batch_list_exact(&mut self, obj: &Obj) -> PyResult<()> {
        if Self::list_len(obj) == 1 {
            if let Some(x) = Self::list_item(obj, 0) {
                self.save(&x, false)?;
            }
            self.w1(op::APPEND);
            return Ok(());
        }
        let mut total = 0;
        loop {
            let mut this_batch = 0;
            self.w1(op::MARK);
            while let Some(x) = Self::list_item(obj, total) {
                self.save(&x, false)?;
                total += 1;
                this_batch += 1;
                if this_batch == BATCHSIZE {
                    break;
                }
            }
            self.w1(op::APPENDS);
            if total >= Self::list_len(obj) {
                break;
            }
        }
        Ok(())
    }

    /// `batch_list` over an iterator.
    fn batch_list(&mut self, it: &Obj) -> PyResult<()> {
        let vm = self.vm;
        if self.proto == 0 {
            while let Some(x) = ops::next(vm, it)? {
                self.save(&x, false)?;
                self.w1(op::APPEND);
            }
            return Ok(());
        }
        loop {
            let Some(first) = ops::next(vm, it)? else { break };
            let Some(mut x) = ops::next(vm, it)? else {
                self.save(&first, false)?;
                self.w1(op::APPEND);
                break;
            };
            self.w1(op::MARK);
            self.save(&first, false)?;
            let mut n = 1;
            loop {
                self.save(&x, false)?;
                n += 1;
                if n == BATCHSIZE {
                    break;
                }
                match ops::next(vm, it)? {
                    Some(y) => x = y,
                    None => break,
                }
            }
            self.w1(op::APPENDS);
            if n != BATCHSIZE {
                break;
            }
        }
        Ok(())
    }

    fn save_dict(&mut self, obj: &Obj) -> PyResult<()> {
        self.fast_enter(obj)?;
        if self.bin {
            self.w1(op::EMPTY_DICT);
        } else {
            self.w(&[op::MARK, op::DICT]);
        }
        self.memo_put(obj);
        if dict_len(obj) != 0 {
            if self.proto > 0 {
                self.batch_dict_exact(obj)?;
            } else {
                let items = util::call_method(self.vm, obj, "items", &[])?;
                let it = ops::iter(self.vm, &items)?;
                self.batch_dict(&it)?;
            }
        }
        self.fast_leave(obj);
        Ok(())
    }

    fn batch_dict_exact(&mut self, obj: &Obj) -> PyResult<()> {
        let items = dict_items(obj);
        let size = items.len();
        if size == 1 {
            let (k, v) = &items[0];
            self.save(k, false)?;
            self.save(v, false)?;
            self.w1(op::SETITEM);
            return Ok(());
        }
        let mut iter = items.into_iter();
        loop {
            let mut i = 0;
            self.w1(op::MARK);
            for (k, v) in iter.by_ref() {
                self.save(&k, false)?;
                self.save(&v, false)?;
                i += 1;
                if i == BATCHSIZE {
                    break;
                }
            }
            self.w1(op::SETITEMS);
            if dict_len(obj) != size {
                return Err(self.vm.new_error(&self.vm.types.runtime_error, "dictionary changed size during iteration"));
            }
            if i != BATCHSIZE {
                break;
            }
        }
        Ok(())
    }

    fn item_pair(&self, x: &Obj) -> PyResult<(Obj, Obj)> {
        match x.downcast::<TupleData>() {
            Some(t) if t.items.len() == 2 => Ok((t.items[0].clone(), t.items[1].clone())),
            _ => Err(self.vm.type_error("dict items iterator must return 2-tuples")),
        }
    }

    /// `batch_dict` over an iterator of pairs.
    fn batch_dict(&mut self, it: &Obj) -> PyResult<()> {
        let vm = self.vm;
        if self.proto == 0 {
            while let Some(x) = ops::next(vm, it)? {
                let (k, v) = self.item_pair(&x)?;
                self.save(&k, false)?;
                self.save(&v, false)?;
                self.w1(op::SETITEM);
            }
            return Ok(());
        }
        loop {
            let Some(first) = ops::next(vm, it)? else { break };
            let first = self.item_pair(&first)?;
            let Some(x) = ops::next(vm, it)? else {
                self.save(&first.0, false)?;
                self.save(&first.1, false)?;
                self.w1(op::SETITEM);
                break;
            };
            self.w1(op::MARK);
            self.save(&first.0, false)?;
            self.save(&first.1, false)?;
            let mut n = 1;
            let mut x = x;
            loop {
                let (k, v) = self.item_pair(&x)?;
                self.save(&k, false)?;
                self.save(&v, false)?;
                n += 1;
                if n == BATCHSIZE {
                    break;
                }
                match ops::next(vm, it)? {
                    Some(y) => x = y,
                    None => break,
                }
            }
            self.w1(op::SETITEMS);
            if n != BATCHSIZE {
                break;
            }
        }
        Ok(())
    }

    fn save_set(&mut self, obj: &Obj) -> PyResult<()> {
        let vm = self.vm;
        if self.proto < 4 {
            let items = taipan_vm::types::builtin::new_list(vm, set_items(obj));
            let rv = new_tuple(vm, vec![vm.types.set.clone(), new_tuple(vm, vec![items])]);
            return self.save_reduce(&rv, Some(obj));
        }
        self.w1(op::EMPTY_SET);
        self.memo_put(obj);
        let items = set_items(obj);
        let size = items.len();
        if size == 0 {
            return Ok(());
        }
        let mut iter = items.into_iter();
        loop {
            let mut i = 0;
            self.w1(op::MARK);
            for x in iter.by_ref() {
                self.save(&x, false)?;
                i += 1;
                if i == BATCHSIZE {
                    break;
                }
            }
            self.w1(op::ADDITEMS);
            if set_len(obj) != size {
                return Err(vm.new_error(&vm.types.runtime_error, "set changed size during iteration"));
            }
            if i != BATCHSIZE {
                break;
            }
        }
        Ok(())
    }

    fn save_frozenset(&mut self, obj: &Obj) -> PyResult<()> {
        let vm = self.vm;
        if self.fast {
            self.fast_enter(obj)?;
        }
        if self.proto < 4 {
            let items = taipan_vm::types::builtin::new_list(vm, set_items(obj));
            let rv = new_tuple(vm, vec![vm.types.frozenset.clone(), new_tuple(vm, vec![items])]);
            let r = self.save_reduce(&rv, Some(obj));
            self.fast_leave(obj);
            return r;
        }
        self.w1(op::MARK);
        for x in set_items(obj) {
            self.save(&x, false)?;
        }
        if let Some(idx) = self.memo_get_index(obj) {
            self.w1(op::POP_MARK);
            self.write_get(idx);
        } else {
            self.w1(op::FROZENSET);
            self.memo_put(obj);
        }
        self.fast_leave(obj);
        Ok(())
    }

    fn save_type(&mut self, obj: &Obj) -> PyResult<()> {
        let vm = self.vm;
        let singleton = if obj.is(&type_of(&vm.none)) {
            Some(vm.none.clone())
        } else if obj.is(&type_of(&vm.ellipsis)) {
            Some(vm.ellipsis.clone())
        } else if obj.is(&type_of(&vm.not_implemented)) {
            Some(vm.not_implemented.clone())
        } else {
            None
        };
        match singleton {
            Some(s) => {
                let rv = new_tuple(vm, vec![vm.types.type_.clone(), new_tuple(vm, vec![s])]);
                self.save_reduce(&rv, Some(obj))
            }
            None => self.save_global(obj, None),
        }
    }

    fn save_global(&mut self, obj: &Obj, name: Option<Obj>) -> PyResult<()> {
        let vm = self.vm;
        let global_name = match name {
            Some(n) => n,
            None => match util::getattr_opt(vm, obj, "__qualname__")? {
                Some(n) => n,
                None => util::getattr(vm, obj, "__name__")?,
            },
        };
        let dotted = dotted_path(vm, None, &global_name)?;
        let module_name = whichmodule(vm, obj, &dotted)?;
        let module_str = str_of(vm, &module_name)?;
        let module = match taipan_vm::import::import_absolute(vm, &module_str) {
            Ok(m) => m,
            Err(_) => {
                return Err(pickling_error(
                    vm,
                    format!("Can't pickle {}: import of module {} failed", util::repr(vm, obj)?, util::repr(vm, &module_name)?),
                ))
            }
        };
        let lastname = dotted.last().cloned().unwrap_or_default();
        let found = get_deep_attribute(vm, &module, &dotted).ok().flatten();
        let Some((cls, parent)) = found else {
            return Err(pickling_error(
                vm,
                format!("Can't pickle {}: attribute lookup {} on {} failed", util::repr(vm, obj)?, str_of(vm, &global_name)?, module_str),
            ));
        };
        if !cls.is(obj) {
            return Err(pickling_error(
                vm,
                format!("Can't pickle {}: it's not the same object as {}.{}", util::repr(vm, obj)?, module_str, str_of(vm, &global_name)?),
            ));
        }
        if self.proto >= 2 {
            let key = new_tuple(vm, vec![module_name.clone(), global_name.clone()]);
            if let Some(code_obj) = dict_get(vm, &self.st.extension_registry, &key)? {
                let Some(code) = code_obj.downcast::<IntData>().filter(|_| is_subtype(&type_of(&code_obj), &vm.types.int)) else {
                    return Err(pickling_error(
                        vm,
                        format!("Can't pickle {}: extension code {} isn't an integer", util::repr(vm, obj)?, util::repr(vm, &code_obj)?),
                    ));
                };
                let code = match code {
                    IntData::Small(c) if *c > 0 && *c <= 0x7fff_ffff => *c as u32,
                    IntData::Small(c) => {
                        return Err(pickling_error(
                            vm,
                            format!("Can't pickle {}: extension code {} is out of range", util::repr(vm, obj)?, c),
                        ))
                    }
                    IntData::Big(_) => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C long")),
                };
                if code <= 0xff {
                    self.w(&[op::EXT1, code as u8]);
                } else if code <= 0xffff {
                    self.w(&[op::EXT2, code as u8, (code >> 8) as u8]);
                } else {
                    let mut b = vec![op::EXT4];
                    b.extend_from_slice(&code.to_le_bytes());
                    self.w(&b);
                }
                return Ok(());
            }
        }
        let parent_is_module = parent.is(&module);
        let global_name = if parent_is_module { new_str(vm, &lastname) } else { global_name };
        if self.proto >= 4 {
            self.save(&module_name, false)?;
            self.save(&global_name, false)?;
            self.w1(op::STACK_GLOBAL);
        } else if !parent_is_module {
            let args = new_tuple(vm, vec![parent, new_str(vm, &lastname)]);
            let rv = new_tuple(vm, vec![self.st.getattr.clone(), args]);
            self.save_reduce(&rv, None)?;
        } else {
            let (mut module_name, mut global_name) = (module_name, global_name);
            if self.proto < 3 && self.fix_imports {
                (module_name, global_name) = self.fix_imports_3to2(module_name, global_name)?;
            }
            let m = str_of(vm, &module_name)?;
            let g = str_of(vm, &global_name)?;
            let ascii_only = self.proto != 3;
            if ascii_only && !m.is_ascii() {
                return Err(pickling_error(vm, format!("can't pickle module identifier '{m}' using pickle protocol {}", self.proto)));
            }
            if ascii_only && !g.is_ascii() {
                return Err(pickling_error(vm, format!("can't pickle global identifier '{g}' using pickle protocol {}", self.proto)));
            }
            let mut b = vec![op::GLOBAL];
            b.extend_from_slice(str_data(&module_name).bytes());
            b.push(b'\n');
            b.extend_from_slice(str_data(&global_name).bytes());
            b.push(b'\n');
            self.w(&b);
        }
        self.memo_put(obj);
        Ok(())
    }

    fn fix_imports_3to2(&self, module_name: Obj, global_name: Obj) -> PyResult<(Obj, Obj)> {
        let vm = self.vm;
        let key = new_tuple(vm, vec![module_name.clone(), global_name.clone()]);
        if let Some(item) = dict_get(vm, &self.st.name_mapping_3to2, &key)? {
            let Some(t) = item.downcast::<TupleData>().filter(|t| t.items.len() == 2) else {
                return Err(vm.new_error(
                    &vm.types.runtime_error,
                    format!("_compat_pickle.REVERSE_NAME_MAPPING values should be 2-tuples, not {}", type_name(&item)),
                ));
            };
            let (m, g) = (t.items[0].clone(), t.items[1].clone());
            if m.downcast::<StrData>().is_none() || g.downcast::<StrData>().is_none() {
                return Err(vm.new_error(
                    &vm.types.runtime_error,
                    format!(
                        "_compat_pickle.REVERSE_NAME_MAPPING values should be pairs of str, not ({}, {})",
                        type_name(&m),
                        type_name(&g)
                    ),
                ));
            }
            return Ok((m, g));
        }
        if let Some(item) = dict_get(vm, &self.st.import_mapping_3to2, &module_name)? {
            if item.downcast::<StrData>().is_none() {
                return Err(vm.new_error(
                    &vm.types.runtime_error,
                    format!("_compat_pickle.REVERSE_IMPORT_MAPPING values should be strings, not {}", type_name(&item)),
                ));
            }
            return Ok((item, global_name));
        }
        Ok((module_name, global_name))
    }

    fn save_reduce(&mut self, rv: &Obj, obj: Option<&Obj>) -> PyResult<()> {
        let vm = self.vm;
        let items: Vec<Obj> = rv.downcast::<TupleData>().map(|t| t.items.to_vec()).unwrap_or_default();
        if !(2..=6).contains(&items.len()) {
            return Err(pickling_error(vm, "tuple returned by __reduce__ must contain 2 through 6 elements"));
        }
        let opt = |i: usize| items.get(i).filter(|x| !x.is(&vm.none)).cloned();
        let callable = items[0].clone();
        let argtup = items[1].clone();
        let state = opt(2);
        let listitems = opt(3);
        let dictitems = opt(4);
        let state_setter = opt(5);
        if !ops::callable(&callable) {
            return Err(pickling_error(vm, "first item of the tuple returned by __reduce__ must be callable"));
        }
        let Some(args) = argtup.downcast::<TupleData>().map(|t| t.items.to_vec()) else {
            return Err(pickling_error(vm, "second item of the tuple returned by __reduce__ must be a tuple"));
        };
        if let Some(l) = &listitems {
            if !is_iterator(l) {
                return Err(pickling_error(
                    vm,
                    format!("fourth element of the tuple returned by __reduce__ must be an iterator, not {}", type_name(l)),
                ));
            }
        }
        if let Some(d) = &dictitems {
            if !is_iterator(d) {
                return Err(pickling_error(
                    vm,
                    format!("fifth element of the tuple returned by __reduce__ must be an iterator, not {}", type_name(d)),
                ));
            }
        }
        if let Some(s) = &state_setter {
            if !ops::callable(s) {
                return Err(pickling_error(
                    vm,
                    format!("sixth element of the tuple returned by __reduce__ must be a function, not {}", type_name(s)),
                ));
            }
        }
        let (mut use_newobj, mut use_newobj_ex) = (false, false);
        if self.proto >= 2 {
            if let Some(name) = util::getattr_opt(vm, &callable, "__name__")? {
                if let Some(s) = name.downcast::<StrData>() {
                    use_newobj = s.bytes() == b"__newobj__";
                    use_newobj_ex = s.bytes() == b"__newobj_ex__";
                }
            }
        }
        if use_newobj_ex {
            if args.len() != 3 {
                return Err(pickling_error(vm, format!("length of the NEWOBJ_EX argument tuple must be exactly 3, not {}", args.len())));
            }
            let cls = &args[0];
            if !is_type(cls) {
                return Err(pickling_error(
                    vm,
                    format!("first item from NEWOBJ_EX argument tuple must be a class, not {}", type_name(cls)),
                ));
            }
            let Some(cargs) = args[1].downcast::<TupleData>().map(|t| t.items.to_vec()) else {
                return Err(pickling_error(
                    vm,
                    format!("second item from NEWOBJ_EX argument tuple must be a tuple, not {}", type_name(&args[1])),
                ));
            };
            let kwargs = &args[2];
            if kwargs.downcast::<taipan_vm::types::builtin::DictData>().is_none() {
                return Err(pickling_error(
                    vm,
                    format!("third item from NEWOBJ_EX argument tuple must be a dict, not {}", type_name(kwargs)),
                ));
            }
            if self.proto >= 4 {
                self.save(cls, false)?;
                self.save(&args[1], false)?;
                self.save(kwargs, false)?;
                self.w1(op::NEWOBJ_EX);
            } else {
                let cls_new = util::getattr(vm, cls, "__new__")?;
                let mut pargs = vec![cls_new, cls.clone()];
                pargs.extend(cargs);
                let kw = dict_items(kwargs);
                let f = util::call_kw(vm, &self.st.partial, &pargs, &kw)?;
                self.save(&f, false)?;
                let empty = new_tuple(vm, vec![]);
                self.save(&empty, false)?;
                self.w1(op::REDUCE);
            }
        } else if use_newobj {
            let Some(cls) = args.first() else { return Err(pickling_error(vm, "__newobj__ arglist is empty")) };
            if !is_type(cls) {
                return Err(pickling_error(vm, "args[0] from __newobj__ args is not a type"));
            }
            if let Some(obj) = obj {
                let obj_class = util::getattr(vm, obj, "__class__")?;
                if !obj_class.is(cls) {
                    return Err(pickling_error(vm, "args[0] from __newobj__ args has the wrong class"));
                }
            }
            self.save(cls, false)?;
            let rest = new_tuple(vm, args[1..].to_vec());
            self.save(&rest, false)?;
            self.w1(op::NEWOBJ);
        } else {
            self.save(&callable, false)?;
            self.save(&argtup, false)?;
            self.w1(op::REDUCE);
        }
        if let Some(obj) = obj {
            if let Some(idx) = self.memo_get_index(obj) {
                self.w1(op::POP);
                self.write_get(idx);
                return Ok(());
            }
            self.memo_put(obj);
        }
        if let Some(l) = listitems {
            self.batch_list(&l)?;
        }
        if let Some(d) = dictitems {
            self.batch_dict(&d)?;
        }
        if let Some(state) = state {
            match state_setter {
                None => {
                    self.save(&state, false)?;
                    self.w1(op::BUILD);
                }
                Some(setter) => {
                    self.save(&setter, false)?;
                    if let Some(obj) = obj {
                        self.save(obj, false)?;
                    }
                    self.save(&state, false)?;
                    self.w(&[op::TUPLE2, op::REDUCE, op::POP]);
                }
            }
        }
        Ok(())
    }
}

/// `PyIter_Check`: the type has `__next__`.
fn is_iterator(o: &Obj) -> bool {
    taipan_vm::types::type_data_of(o).slots.get().next.is_some() || taipan_vm::types::lookup(&type_of(o), "__next__").is_some()
}

fn str_of(vm: &Vm, o: &Obj) -> PyResult<String> {
    match o.downcast::<StrData>() {
        Some(s) => Ok(s.as_str().into_owned()),
        None => Ok(str_data(&ops::str(vm, o)?).as_str().into_owned()),
    }
}

/// `name.split('.')`, refusing `<locals>` components (CPython's
/// `get_dotted_path`).
pub(crate) fn dotted_path(vm: &Vm, obj: Option<&Obj>, name: &Obj) -> PyResult<Vec<String>> {
    let Some(s) = name.downcast::<StrData>() else {
        return Err(vm.type_error(format!("attribute name must be string, not '{}'", type_name(name))));
    };
    let text = s.as_str().into_owned();
    let parts: Vec<String> = text.split('.').map(str::to_string).collect();
    if parts.iter().any(|p| p == "<locals>") {
        let msg = match obj {
            None => format!("Can't pickle local object {}", util::repr(vm, name)?),
            Some(o) => format!("Can't pickle local attribute {} on {}", util::repr(vm, name)?, util::repr(vm, o)?),
        };
        return Err(vm.new_error(&vm.types.attribute_error, msg));
    }
    Ok(parts)
}

/// Follows `names` from `obj`: the attribute and its parent, or `None`
/// when an attribute is missing.
pub(crate) fn get_deep_attribute(vm: &Vm, obj: &Obj, names: &[String]) -> PyResult<Option<(Obj, Obj)>> {
    let mut parent = obj.clone();
    let mut cur = obj.clone();
    for n in names {
        parent = cur;
        match classes::getattr_opt(vm, &parent, &vm.intern(n))? {
            Some(x) => cur = x,
            None => return Ok(None),
        }
    }
    Ok(Some((cur, parent)))
}

/// The module `obj` belongs to: its `__module__`, else the first module
/// of `sys.modules` (but `__main__`) where `dotted` leads to it, else
/// `__main__`.
fn whichmodule(vm: &Vm, obj: &Obj, dotted: &[String]) -> PyResult<Obj> {
    if let Some(m) = util::getattr_opt(vm, obj, "__module__")? {
        if !m.is(&vm.none) {
            return Ok(m);
        }
    }
    for (name, module) in dict_items(&vm.modules) {
        if name.downcast::<StrData>().is_some_and(|s| s.bytes() == b"__main__") || module.is(&vm.none) {
            continue;
        }
        match get_deep_attribute(vm, &module, dotted) {
            Ok(Some((c, _))) if c.is(obj) => return Ok(name),
            Ok(_) => {}
            Err(e) if util::is_error(&e, &vm.types.attribute_error) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(new_str(vm, "__main__"))
}

/// Protocol 0's text form of a str: `raw-unicode-escape` with `\`, NUL,
/// newlines and `\x1a` escaped too.
fn raw_unicode_escape(s: &StrData, out: &mut Vec<u8>) {
    let n = s.len();
    if s.is_ascii() {
        for &b in s.bytes() {
            push_escaped(b as u32, out);
        }
        return;
    }
    for i in 0..n {
        push_escaped(s.code_point(i), out);
    }
}

fn push_escaped(ch: u32, out: &mut Vec<u8>) {
    if ch >= 0x10000 {
        out.extend_from_slice(format!("\\U{ch:08x}").as_bytes());
    } else if ch >= 256 || ch == b'\\' as u32 || ch == 0 || ch == b'\n' as u32 || ch == b'\r' as u32 || ch == 0x1a {
        out.extend_from_slice(format!("\\u{ch:04x}").as_bytes());
    } else {
        out.push(ch as u8);
    }
}
