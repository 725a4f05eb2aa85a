//! `_pickle.Unpickler`, `UnpicklerMemoProxy`, `load` and `loads`: the
//! pickle machine (a value stack, a mark stack and the memo) over every
//! opcode of protocols 0-5, with CPython's error messages.
//!
//! Input is an in-memory buffer: the whole of `loads`'s argument, or what
//! was read from a file so far. From a file the machine reads exactly what
//! each opcode needs (`read(n)`, `readline()`; a whole frame at `FRAME`),
//! so the file is left just after the pickle's `STOP`.

use std::cell::{Cell, RefCell};

use num_bigint::BigInt;

use taipan_vm::native::{self, exact, GetSetDef, MethodDef, Params};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::ops;
use taipan_vm::types::builtin::{
    as_buffer, dict_get, dict_items, dict_set, is_exact, new_bytearray, new_bytes, new_dict, new_int_big, new_list, new_str, new_tuple,
    object_slots, str_data, type_name, DictData, IntData, ListData, StrData, TupleData,
};
use taipan_vm::types::{type_of, Kwargs, Slots};
use taipan_vm::vm::PyErr;
use taipan_vm::{PyResult, Vm};

use super::pickler::{dotted_path, get_deep_attribute};

/// How far past the memo's end a `PUT` index may grow the table.
const SPARSE_GAP: usize = 1 << 16;
/// Memo indices from which CPython's table cannot be allocated.
const MEMO_INDEX_LIMIT: usize = 1 << 28;
use super::{op, state, unpickling_error, unpickling_error_class, HIGHEST_PROTOCOL};
use crate::util;

/// The configuration and memo of an `Unpickler` (also used bare by
/// `loads`/`load`).
pub struct UnpicklerData {
    initialized: Cell<bool>,
    read: RefCell<Option<Obj>>,
    readline: RefCell<Option<Obj>>,
    memo: RefCell<Vec<Option<Obj>>>,
    /// Entries far beyond the end of `memo`.
    sparse_memo: RefCell<std::collections::HashMap<usize, Obj>>,
    memo_len: Cell<usize>,
    pers_func: RefCell<Option<Obj>>,
    encoding: RefCell<String>,
    errors: RefCell<String>,
    fix_imports: Cell<bool>,
    /// An iterator over the out-of-band buffers.
    buffers: RefCell<Option<Obj>>,
    proto: Cell<i64>,
}

impl Default for UnpicklerData {
    fn default() -> Self {
        UnpicklerData {
            initialized: Cell::new(false),
            read: RefCell::new(None),
            readline: RefCell::new(None),
            memo: RefCell::new(Vec::new()),
            sparse_memo: RefCell::new(std::collections::HashMap::new()),
            memo_len: Cell::new(0),
            pers_func: RefCell::new(None),
            encoding: RefCell::new("ASCII".into()),
            errors: RefCell::new("strict".into()),
            fix_imports: Cell::new(true),
            buffers: RefCell::new(None),
            proto: Cell::new(0),
        }
    }
}

impl UnpicklerData {
    fn memo_get(&self, idx: usize) -> Option<Obj> {
        match self.memo.borrow().get(idx) {
            Some(x) => x.clone(),
            None => self.sparse_memo.borrow().get(&idx).cloned(),
        }
    }

    /// `PUT`-family: CPython grows its table to twice the index, which
    /// fails (MemoryError) for indices in the billions.
    fn memo_put_checked(&self, vm: &Vm, idx: usize, value: Obj) -> PyResult<()> {
        if idx >= MEMO_INDEX_LIMIT {
            return Err(vm.new_error(&vm.types.memory_error, ""));
        }
        self.memo_put(idx, value);
        Ok(())
    }

    fn memo_put(&self, idx: usize, value: Obj) {
        let old = {
            let mut m = self.memo.borrow_mut();
            if idx >= m.len() && idx - m.len() > SPARSE_GAP {
                // A far index (hostile or hand-written data): kept aside
                // rather than growing the table to it.
                self.sparse_memo.borrow_mut().insert(idx, value)
            } else {
                if m.len() <= idx {
                    m.resize(idx + 1, None);
                }
                m[idx].replace(value)
            }
        };
        if old.is_none() {
            self.memo_len.set(self.memo_len.get() + 1);
        }
        drop(old);
    }

    fn memo_clear(&self) {
        let old = std::mem::take(&mut *self.memo.borrow_mut());
        let old_sparse = std::mem::take(&mut *self.sparse_memo.borrow_mut());
        self.memo_len.set(0);
        drop(old);
        drop(old_sparse);
    }

    /// `encoding`, `errors`, `fix_imports` and `buffers` of `__init__`,
    /// `load` and `loads`.
    fn configure(
        &self,
        vm: &Vm,
        fix_imports: Option<Obj>,
        encoding: Option<Obj>,
        errors: Option<Obj>,
        buffers: Option<Obj>,
        fname: &str,
    ) -> PyResult<()> {
        self.fix_imports.set(match fix_imports {
            None => true,
            Some(o) => ops::truth(vm, &o)?,
        });
        if let Some(e) = encoding {
            *self.encoding.borrow_mut() = str_arg(vm, &e, fname, "encoding", 3)?;
        }
        if let Some(e) = errors {
            *self.errors.borrow_mut() = str_arg(vm, &e, fname, "errors", 4)?;
        }
        *self.buffers.borrow_mut() = match buffers {
            Some(b) if !b.is(&vm.none) => Some(ops::iter(vm, &b)?),
            _ => None,
        };
        Ok(())
    }

    fn set_input(&self, vm: &Vm, file: &Obj) -> PyResult<()> {
        let read = util::getattr_opt(vm, file, "read")?;
        let readline = util::getattr_opt(vm, file, "readline")?;
        if read.is_none() || readline.is_none() {
            return Err(vm.type_error("file must have 'read' and 'readline' attributes"));
        }
        *self.read.borrow_mut() = read;
        *self.readline.borrow_mut() = readline;
        Ok(())
    }
}

fn str_arg(vm: &Vm, o: &Obj, fname: &str, name: &str, pos: usize) -> PyResult<String> {
    match o.downcast::<StrData>() {
        Some(s) => Ok(s.as_str().into_owned()),
        None => {
            let _ = pos;
            Err(vm.type_error(format!("{fname}() argument '{name}' must be str, not {}", type_name(o))))
        }
    }
}

pub(crate) fn unpickler_type(vm: &Vm) -> Obj {
    vm.native_type("_pickle.Unpickler", |vm| {
        let slots = Slots {
            new: Some(|_vm, cls, _args, _kw| Ok(alloc(cls.clone(), UnpicklerData::default()))),
            init: Some(unpickler_init),
            traverse: Some(|o, visit| {
                if let Some(d) = o.downcast::<UnpicklerData>() {
                    for c in [&d.read, &d.readline, &d.pers_func, &d.buffers] {
                        if let Ok(b) = c.try_borrow() {
                            if let Some(x) = &*b {
                                visit(x);
                            }
                        }
                    }
                    if let Ok(m) = d.memo.try_borrow() {
                        m.iter().flatten().for_each(&mut *visit);
                    }
                    if let Ok(m) = d.sparse_memo.try_borrow() {
                        m.values().for_each(&mut *visit);
                    }
                }
            }),
            clear: Some(|o| {
                if let Some(d) = o.downcast::<UnpicklerData>() {
                    clear_unpickler(d);
                }
            }),
            ..object_slots()
        };
        native::new_type::<UnpicklerData>(vm, "_pickle.Unpickler", &[], true, slots, UNPICKLER_METHODS, UNPICKLER_GETSETS)
    })
}

fn clear_unpickler(d: &UnpicklerData) {
    let mut junk: Vec<Obj> = Vec::new();
    for c in [&d.read, &d.readline, &d.pers_func, &d.buffers] {
        if let Ok(mut b) = c.try_borrow_mut() {
            junk.extend(b.take());
        }
    }
    if let Ok(mut m) = d.memo.try_borrow_mut() {
        junk.extend(std::mem::take(&mut *m).into_iter().flatten());
        d.memo_len.set(0);
    }
    if let Ok(mut m) = d.sparse_memo.try_borrow_mut() {
        junk.extend(std::mem::take(&mut *m).into_values());
    }
    drop(junk);
}

fn data<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a UnpicklerData> {
    o.downcast::<UnpicklerData>()
        .ok_or_else(|| vm.type_error(format!("descriptor requires a '_pickle.Unpickler' object but received '{}'", type_name(o))))
}

static UNPICKLER_METHODS: &[MethodDef] = &[
    MethodDef::method("load", unpickler_load, "Load a pickle."),
    MethodDef::method(
        "find_class",
        |vm, this, args, kw| {
            let [module, name] = exact::<2>(vm, "find_class", args, kw)?;
            let d = data(vm, this)?;
            find_class_impl(vm, d, &module, &name)
        },
        "Return an object from a specified module.",
    ),
    MethodDef::method(
        "__sizeof__",
        |vm, this, args, kw| {
            exact::<0>(vm, "__sizeof__", args, kw)?;
            let d = data(vm, this)?;
            Ok(vm.int((std::mem::size_of::<UnpicklerData>() + d.memo.borrow().len() * 8) as i64))
        },
        "Returns size in memory, in bytes.",
    ),
];

fn unpickler_init(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params =
        Params { fname: "Unpickler", names: &["file", "fix_imports", "encoding", "errors", "buffers"], posonly: 0, kwonly: 4, required: 1 };
    let [file, fix_imports, encoding, errors, buffers] = native::bind::<5>(vm, &P, args, kw)?;
    let d = data(vm, this)?;
    if d.initialized.get() {
        clear_unpickler(d);
    }
    d.set_input(vm, &file.unwrap_or_else(|| vm.none.clone()))?;
    d.configure(vm, fix_imports, encoding, errors, buffers, "Unpickler")?;
    *d.pers_func.borrow_mut() = util::getattr_opt(vm, this, "persistent_load")?;
    d.proto.set(0);
    d.initialized.set(true);
    Ok(vm.none.clone())
}

fn unpickler_load(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "load", args, kw)?;
    let d = data(vm, this)?;
    if !d.initialized.get() {
        return Err(unpickling_error(
            vm,
            format!("Unpickler.__init__() was not called by {}.__init__()", taipan_vm::types::type_data(&type_of(this)).name),
        ));
    }
    let read = d.read.borrow().clone();
    let readline = d.readline.borrow().clone();
    let mut l = Loader::new(vm, d, Some(this), Vec::new(), read, readline);
    l.load()
}

static UNPICKLER_GETSETS: &[GetSetDef] = &[
    GetSetDef::new(
        "memo",
        |vm, o| {
            data(vm, o)?;
            Ok(alloc(memo_proxy_type(vm), MemoProxy { unpickler: o.clone() }))
        },
        |vm, o, v| {
            let d = data(vm, o)?;
            let Some(v) = v else { return Err(vm.type_error("attribute deletion is not supported")) };
            let mut entries: Vec<(usize, Obj)> = Vec::new();
            if let Some(proxy) = v.downcast::<MemoProxy>().filter(|_| is_exact(&v, &memo_proxy_type(vm))) {
                let other = data(vm, &proxy.unpickler)?;
                for (i, x) in other.memo.borrow().iter().enumerate() {
                    if let Some(x) = x {
                        entries.push((i, x.clone()));
                    }
                }
                entries.extend(other.sparse_memo.borrow().iter().map(|(k, v)| (*k, v.clone())));
            } else if v.downcast::<DictData>().is_some() {
                for (k, value) in dict_items(&v) {
                    if k.downcast::<IntData>().is_none() {
                        return Err(vm.type_error("memo key must be integers"));
                    }
                    let idx = util::to_isize(vm, &k)?;
                    if idx < 0 {
                        return Err(vm.new_error(&vm.types.value_error, "memo key must be positive integers."));
                    }
                    // CPython stores these in the memo it is about to
                    // replace: a dict leaves the memo empty.
                    drop(value);
                }
            } else {
                return Err(vm.type_error(format!("'memo' attribute must be an UnpicklerMemoProxy object or dict, not {}", type_name(&v))));
            }
            d.memo_clear();
            for (i, x) in entries {
                d.memo_put(i, x);
            }
            Ok(())
        },
        "",
    ),
    GetSetDef::new(
        "persistent_load",
        |vm, o| data(vm, o)?.pers_func.borrow().clone().ok_or_else(|| vm.new_error(&vm.types.attribute_error, "persistent_load")),
        |vm, o, v| {
            let d = data(vm, o)?;
            let Some(v) = v else { return Err(vm.type_error("attribute deletion is not supported")) };
            if !ops::callable(&v) {
                return Err(vm.type_error("persistent_load must be a callable taking one argument"));
            }
            *d.pers_func.borrow_mut() = Some(v);
            Ok(())
        },
        "",
    ),
];

// UnpicklerMemoProxy -----------------------------------------------------

pub struct MemoProxy {
    unpickler: Obj,
}

pub(crate) fn memo_proxy_type(vm: &Vm) -> Obj {
    vm.native_type("_pickle.UnpicklerMemoProxy", |vm| {
        let slots = Slots {
            traverse: Some(|o, visit| {
                if let Some(p) = o.downcast::<MemoProxy>() {
                    visit(&p.unpickler);
                }
            }),
            ..object_slots()
        };
        native::new_type::<MemoProxy>(vm, "_pickle.UnpicklerMemoProxy", &[], true, slots, MEMO_PROXY_METHODS, &[])
    })
}

fn proxy_data<'a>(vm: &Vm, o: &'a Obj) -> PyResult<&'a UnpicklerData> {
    let p = o.downcast::<MemoProxy>().ok_or_else(|| vm.type_error("expected an UnpicklerMemoProxy"))?;
    data(vm, &p.unpickler)
}

fn memo_copy(vm: &Vm, d: &UnpicklerData) -> PyResult<Obj> {
    let entries: Vec<Option<Obj>> = d.memo.borrow().clone();
    let mut sparse: Vec<(usize, Obj)> = d.sparse_memo.borrow().iter().map(|(k, v)| (*k, v.clone())).collect();
    sparse.sort_by_key(|(k, _)| *k);
    let out = new_dict(vm);
    for (i, x) in entries.into_iter().enumerate() {
        if let Some(x) = x {
            dict_set(vm, &out, vm.int(i as i64), x)?;
        }
    }
    for (i, x) in sparse {
        dict_set(vm, &out, vm.int(i as i64), x)?;
    }
    Ok(out)
}

static MEMO_PROXY_METHODS: &[MethodDef] = &[
    MethodDef::method(
        "clear",
        |vm, this, args, kw| {
            exact::<0>(vm, "clear", args, kw)?;
            proxy_data(vm, this)?.memo_clear();
            Ok(vm.none.clone())
        },
        "Remove all keys from the unpickler's memo.",
    ),
    MethodDef::method(
        "copy",
        |vm, this, args, kw| {
            exact::<0>(vm, "copy", args, kw)?;
            memo_copy(vm, proxy_data(vm, this)?)
        },
        "Copy the memo to a new object.",
    ),
    MethodDef::method(
        "__reduce__",
        |vm, this, args, kw| {
            exact::<0>(vm, "__reduce__", args, kw)?;
            let copy = memo_copy(vm, proxy_data(vm, this)?)?;
            Ok(new_tuple(vm, vec![vm.types.dict.clone(), new_tuple(vm, vec![copy])]))
        },
        "Implement pickling support.",
    ),
];

// load / loads ----------------------------------------------------------

/// `load(file, *, fix_imports=True, encoding='ASCII', errors='strict', buffers=())`.
pub(crate) fn load(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params =
        Params { fname: "load", names: &["file", "fix_imports", "encoding", "errors", "buffers"], posonly: 0, kwonly: 4, required: 1 };
    let [file, fix_imports, encoding, errors, buffers] = native::bind::<5>(vm, &P, args, kw)?;
    let d = UnpicklerData::default();
    d.set_input(vm, &file.unwrap_or_else(|| vm.none.clone()))?;
    d.configure(vm, fix_imports, encoding, errors, buffers, "load")?;
    let read = d.read.borrow().clone();
    let readline = d.readline.borrow().clone();
    let r = Loader::new(vm, &d, None, Vec::new(), read, readline).load();
    d.memo_clear();
    r
}

/// `loads(data, /, *, fix_imports=True, encoding='ASCII', errors='strict', buffers=())`.
pub(crate) fn loads(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params =
        Params { fname: "loads", names: &["data", "fix_imports", "encoding", "errors", "buffers"], posonly: 1, kwonly: 4, required: 1 };
    let [data, fix_imports, encoding, errors, buffers] = native::bind::<5>(vm, &P, args, kw)?;
    let data = data.unwrap_or_else(|| vm.none.clone());
    let bytes = match as_buffer(&data) {
        Some(b) if data.downcast::<StrData>().is_none() => b.into_owned(),
        _ => return Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(&data)))),
    };
    let d = UnpicklerData::default();
    d.configure(vm, fix_imports, encoding, errors, buffers, "loads")?;
    let r = Loader::new(vm, &d, None, bytes, None, None).load();
    d.memo_clear();
    r
}

/// `find_class`'s default: 2.x names mapped for old protocols, then the
/// module imported and the (dotted, from protocol 4) name looked up.
fn find_class_impl(vm: &Vm, d: &UnpicklerData, module: &Obj, name: &Obj) -> PyResult<Obj> {
    let st = state(vm)?;
    let (mut module, mut name) = (module.clone(), name.clone());
    if d.proto.get() < 3 && d.fix_imports.get() {
        let key = new_tuple(vm, vec![module.clone(), name.clone()]);
        if let Some(item) = dict_get(vm, &st.name_mapping_2to3, &key)? {
            let Some(t) = item.downcast::<TupleData>().filter(|t| t.items.len() == 2) else {
                return Err(vm.new_error(
                    &vm.types.runtime_error,
                    format!("_compat_pickle.NAME_MAPPING values should be 2-tuples, not {}", type_name(&item)),
                ));
            };
            let (m, n) = (t.items[0].clone(), t.items[1].clone());
            if m.downcast::<StrData>().is_none() || n.downcast::<StrData>().is_none() {
                return Err(vm.new_error(
                    &vm.types.runtime_error,
                    format!("_compat_pickle.NAME_MAPPING values should be pairs of str, not ({}, {})", type_name(&m), type_name(&n)),
                ));
            }
            (module, name) = (m, n);
        } else if let Some(item) = dict_get(vm, &st.import_mapping_2to3, &module)? {
            if item.downcast::<StrData>().is_none() {
                return Err(vm.new_error(
                    &vm.types.runtime_error,
                    format!("_compat_pickle.IMPORT_MAPPING values should be strings, not {}", type_name(&item)),
                ));
            }
            module = item;
        }
    }
    let Some(mname) = module.downcast::<StrData>().map(|s| s.as_str().into_owned()) else {
        return Err(vm.type_error(format!("module name must be str, not {}", type_name(&module))));
    };
    let m = taipan_vm::import::import_absolute(vm, &mname)?;
    let attr = if d.proto.get() >= 4 {
        let path = dotted_path(vm, Some(&m), &name)?;
        get_deep_attribute(vm, &m, &path)?.map(|(a, _)| a)
    } else {
        if name.downcast::<StrData>().is_none() {
            return Err(vm.type_error(format!("attribute name must be string, not '{}'", type_name(&name))));
        }
        taipan_vm::classes::getattr_opt(vm, &m, &name)?
    };
    attr.ok_or_else(|| {
        let msg = match (util::repr(vm, &name), util::repr(vm, &m)) {
            (Ok(n), Ok(mr)) => format!("Can't get attribute {n} on {mr}"),
            _ => "Can't get attribute".to_string(),
        };
        vm.new_error(&vm.types.attribute_error, msg)
    })
}

// The machine -------------------------------------------------------------

struct Loader<'a> {
    vm: &'a Vm,
    d: &'a UnpicklerData,
    this: Option<&'a Obj>,
    buf: Vec<u8>,
    pos: usize,
    read: Option<Obj>,
    readline: Option<Obj>,
    stack: Vec<Obj>,
    marks: Vec<usize>,
}

fn truncated(vm: &Vm) -> PyErr {
    unpickling_error(vm, "pickle data was truncated")
}

fn le_size(b: &[u8]) -> u64 {
    let mut v = 0u64;
    for (i, &x) in b.iter().enumerate() {
        v |= (x as u64) << (8 * i);
    }
    v
}

impl<'a> Loader<'a> {
    fn new(vm: &'a Vm, d: &'a UnpicklerData, this: Option<&'a Obj>, buf: Vec<u8>, read: Option<Obj>, readline: Option<Obj>) -> Self {
        Loader { vm, d, this, buf, pos: 0, read, readline, stack: Vec::new(), marks: Vec::new() }
    }

    // Input -----------------------------------------------------------------

    /// `n` more bytes: their start in `buf`.
    fn read(&mut self, n: usize) -> PyResult<usize> {
        if self.buf.len() - self.pos >= n {
            let start = self.pos;
            self.pos += n;
            return Ok(start);
        }
        let Some(read) = self.read.clone() else { return Err(truncated(self.vm)) };
        let rest = self.buf.split_off(self.pos);
        let need = n - rest.len();
        let got = util::call(self.vm, &read, &[self.vm.int(need as i64)])?;
        let Some(more) = as_buffer(&got) else {
            return Err(self.vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(&got))));
        };
        let mut buf = rest;
        buf.extend_from_slice(&more);
        self.buf = buf;
        self.pos = 0;
        if self.buf.len() < n {
            return Err(truncated(self.vm));
        }
        self.pos = n;
        Ok(0)
    }

    fn read_byte(&mut self) -> PyResult<u8> {
        let s = self.read(1)?;
        Ok(self.buf[s])
    }

    fn read_size(&mut self, nbytes: usize) -> PyResult<u64> {
        let s = self.read(nbytes)?;
        Ok(le_size(&self.buf[s..s + nbytes]))
    }

    /// A line, with its newline: its range in `buf`.
    fn readline(&mut self) -> PyResult<(usize, usize)> {
        if let Some(i) = self.buf[self.pos..].iter().position(|&b| b == b'\n') {
            let start = self.pos;
            self.pos += i + 1;
            return Ok((start, self.pos));
        }
        let Some(readline) = self.readline.clone() else { return Err(truncated(self.vm)) };
        let got = util::call(self.vm, &readline, &[])?;
        let Some(line) = as_buffer(&got).map(|b| b.into_owned()) else {
            return Err(self.vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(&got))));
        };
        if line.last() != Some(&b'\n') {
            return Err(truncated(self.vm));
        }
        self.buf = line;
        self.pos = self.buf.len();
        Ok((0, self.pos))
    }

    /// A line without its newline, as text (lossy for non-UTF-8).
    fn line_bytes(&mut self) -> PyResult<Vec<u8>> {
        let (s, e) = self.readline()?;
        Ok(self.buf[s..e - 1].to_vec())
    }

    // The stacks ----------------------------------------------------------

    fn fence(&self) -> usize {
        self.marks.last().copied().unwrap_or(0)
    }

    fn underflow(&self) -> PyErr {
        unpickling_error(self.vm, if self.marks.is_empty() { "unpickling stack underflow" } else { "unexpected MARK found" })
    }

    fn pop(&mut self) -> PyResult<Obj> {
        if self.stack.len() <= self.fence() {
            return Err(self.underflow());
        }
        self.stack.pop().ok_or_else(|| self.underflow())
    }

    fn top(&self) -> PyResult<Obj> {
        if self.stack.len() <= self.fence() {
            return Err(self.underflow());
        }
        self.stack.last().cloned().ok_or_else(|| self.underflow())
    }

    fn marker(&mut self) -> PyResult<usize> {
        self.marks.pop().ok_or_else(|| unpickling_error(self.vm, "could not find MARK"))
    }

    fn pop_items(&mut self, start: usize) -> PyResult<Vec<Obj>> {
        if start < self.fence() || start > self.stack.len() {
            return Err(self.underflow());
        }
        Ok(self.stack.split_off(start))
    }

    fn push(&mut self, o: Obj) {
        self.stack.push(o);
    }

    // The loop ------------------------------------------------------------

    fn load(&mut self) -> PyResult<Obj> {
        let vm = self.vm;
        self.d.proto.set(0);
        loop {
            let code = match self.read_byte() {
                Ok(c) => c,
                Err(e) => {
                    if unpickling_error_class(vm).is_ok_and(|c| util::is_error(&e, &c)) {
                        let eof = vm.exception_type("EOFError").unwrap_or_else(|| vm.types.exception.clone());
                        return Err(vm.new_error(&eof, "Ran out of input"));
                    }
                    return Err(e);
                }
            };
            if code == op::STOP {
                break;
            }
            self.dispatch(code)?;
        }
        self.pop()
    }

    fn dispatch(&mut self, code: u8) -> PyResult<()> {
        let vm = self.vm;
        match code {
            op::NONE => self.push(vm.none.clone()),
            op::NEWTRUE => self.push(vm.true_.clone()),
            op::NEWFALSE => self.push(vm.false_.clone()),
            op::BININT => {
                let s = self.read(4)?;
                let v = i32::from_le_bytes([self.buf[s], self.buf[s + 1], self.buf[s + 2], self.buf[s + 3]]);
                self.push(vm.int(v as i64));
            }
            op::BININT1 => {
                let v = self.read_byte()?;
                self.push(vm.int(v as i64));
            }
            op::BININT2 => {
                let v = self.read_size(2)?;
                self.push(vm.int(v as i64));
            }
            op::INT => self.load_int()?,
            op::LONG => self.load_long()?,
            op::LONG1 | op::LONG4 => {
                let n = if code == op::LONG1 {
                    self.read_byte()? as u64
                } else {
                    let s = self.read(4)?;
                    let v = i32::from_le_bytes([self.buf[s], self.buf[s + 1], self.buf[s + 2], self.buf[s + 3]]);
                    if v < 0 {
                        return Err(unpickling_error(vm, "LONG pickle has negative byte count"));
                    }
                    v as u64
                };
                let n = n as usize;
                let s = self.read(n)?;
                let v = BigInt::from_signed_bytes_le(&self.buf[s..s + n]);
                self.push(new_int_big(vm, v));
            }
            op::FLOAT => {
                let (s, e) = self.readline()?;
                let text = String::from_utf8_lossy(&self.buf[s..e - 1]).into_owned();
                let Some(f) = taipan_vm::types::float::parse_float_text(text.trim_start()) else {
                    let msg = format!("could not convert string to float: '{}'", String::from_utf8_lossy(&self.buf[s..e]));
                    return Err(vm.new_error(&vm.types.value_error, msg));
                };
                self.push(alloc(vm.types.float.clone(), f));
            }
            op::BINFLOAT => {
                let s = self.read(8)?;
                let mut b = [0u8; 8];
                b.copy_from_slice(&self.buf[s..s + 8]);
                self.push(alloc(vm.types.float.clone(), f64::from_be_bytes(b)));
            }
            op::STRING => self.load_string()?,
            op::BINSTRING | op::SHORT_BINSTRING => {
                let n = self.read_size(if code == op::BINSTRING { 4 } else { 1 })? as usize;
                let s = self.read(n)?;
                let raw = self.buf[s..s + n].to_vec();
                let o = self.decode_py2_string(raw)?;
                self.push(o);
            }
            op::BINBYTES | op::SHORT_BINBYTES | op::BINBYTES8 => {
                let nb = match code {
                    op::SHORT_BINBYTES => 1,
                    op::BINBYTES => 4,
                    _ => 8,
                };
                let n = self.read_size(nb)?;
                let n = self.checked_size(n, "BINBYTES")?;
                let s = self.read(n)?;
                let b = new_bytes(vm, self.buf[s..s + n].to_vec());
                self.push(b);
            }
            op::BYTEARRAY8 => {
                let n = self.read_size(8)?;
                let n = self.checked_size(n, "BYTEARRAY8")?;
                let s = self.read(n)?;
                let b = new_bytearray(vm, self.buf[s..s + n].to_vec());
                self.push(b);
            }
            op::NEXT_BUFFER => {
                let Some(it) = self.d.buffers.borrow().clone() else {
                    return Err(unpickling_error(vm, "pickle stream refers to out-of-band data but no *buffers* argument was given"));
                };
                match ops::next(vm, &it)? {
                    Some(b) => self.push(b),
                    None => return Err(unpickling_error(vm, "not enough out-of-band buffers")),
                }
            }
            op::READONLY_BUFFER => {
                let top = self.top()?;
                let view = util::call(vm, &vm.types.memoryview, &[top])?;
                let ro = util::getattr(vm, &view, "readonly")?;
                if !ops::truth(vm, &ro)? {
                    let v = util::call_method(vm, &view, "toreadonly", &[])?;
                    if let Some(last) = self.stack.last_mut() {
                        *last = v;
                    }
                }
            }
            op::UNICODE => {
                let (s, e) = self.readline()?;
                if e - s < 1 {
                    return Err(truncated(vm));
                }
                let raw = new_bytes(vm, self.buf[s..e - 1].to_vec());
                let o = util::call_method(vm, &raw, "decode", &[new_str(vm, "raw-unicode-escape")])?;
                self.push(o);
            }
            op::BINUNICODE | op::SHORT_BINUNICODE | op::BINUNICODE8 => {
                let nb = match code {
                    op::SHORT_BINUNICODE => 1,
                    op::BINUNICODE => 4,
                    _ => 8,
                };
                let n = self.read_size(nb)?;
                let n = self.checked_size(n, "BINUNICODE")?;
                let s = self.read(n)?;
                let o = match std::str::from_utf8(&self.buf[s..s + n]) {
                    Ok(text) => new_str(vm, text),
                    Err(_) => {
                        let raw = new_bytes(vm, self.buf[s..s + n].to_vec());
                        util::call_method(vm, &raw, "decode", &[new_str(vm, "utf-8"), new_str(vm, "surrogatepass")])?
                    }
                };
                self.push(o);
            }
            op::EMPTY_TUPLE => self.push(new_tuple(vm, vec![])),
            op::TUPLE1 | op::TUPLE2 | op::TUPLE3 => {
                let n = (code - op::TUPLE1 + 1) as usize;
                if self.stack.len() < n {
                    return Err(self.underflow());
                }
                let items = self.pop_items(self.stack.len() - n)?;
                self.push(new_tuple(vm, items));
            }
            op::TUPLE => {
                let i = self.marker()?;
                let items = self.pop_items(i)?;
                self.push(new_tuple(vm, items));
            }
            op::EMPTY_LIST => self.push(new_list(vm, vec![])),
            op::EMPTY_DICT => self.push(new_dict(vm)),
            op::EMPTY_SET => self.push(taipan_vm::types::builtin::new_set(vm, vec![])?),
            op::LIST => {
                let i = self.marker()?;
                let items = self.pop_items(i)?;
                self.push(new_list(vm, items));
            }
            op::DICT => {
                let i = self.marker()?;
                let items = self.pop_items(i)?;
                if !items.len().is_multiple_of(2) {
                    return Err(unpickling_error(vm, "odd number of items for DICT"));
                }
                let d = new_dict(vm);
                for kv in items.chunks(2) {
                    dict_set(vm, &d, kv[0].clone(), kv[1].clone())?;
                }
                self.push(d);
            }
            op::FROZENSET => {
                let i = self.marker()?;
                let items = self.pop_items(i)?;
                let t = new_tuple(vm, items);
                let f = util::call(vm, &vm.types.frozenset, &[t])?;
                self.push(f);
            }
            op::OBJ => {
                let i = self.marker()?;
                if self.stack.len() < i + 1 {
                    return Err(self.underflow());
                }
                let args = self.pop_items(i + 1)?;
                let cls = self.pop()?;
                let o = self.instantiate(&cls, args)?;
                self.push(o);
            }
            op::INST => {
                let i = self.marker()?;
                let module = self.line_ascii()?;
                let name = self.line_ascii()?;
                let cls = self.find_class(&module, &name)?;
                let args = self.pop_items(i)?;
                let o = self.instantiate(&cls, args)?;
                self.push(o);
            }
            op::NEWOBJ | op::NEWOBJ_EX => self.load_newobj(code == op::NEWOBJ_EX)?,
            op::GLOBAL => {
                let module = self.line_utf8()?;
                let name = self.line_utf8()?;
                let g = self.find_class(&module, &name)?;
                self.push(g);
            }
            op::STACK_GLOBAL => {
                let name = self.pop()?;
                let module = self.pop()?;
                if !is_exact(&name, &vm.types.str_) || !is_exact(&module, &vm.types.str_) {
                    return Err(unpickling_error(vm, "STACK_GLOBAL requires str"));
                }
                let g = self.find_class(&module, &name)?;
                self.push(g);
            }
            op::EXT1 | op::EXT2 | op::EXT4 => {
                let nb = match code {
                    op::EXT1 => 1,
                    op::EXT2 => 2,
                    _ => 4,
                };
                let code = self.read_size(nb)?;
                self.load_extension(code as i64)?;
            }
            op::PERSID => {
                let (s, e) = self.readline()?;
                if e - s < 1 {
                    return Err(truncated(vm));
                }
                let raw = &self.buf[s..e - 1];
                if !raw.is_ascii() {
                    return Err(unpickling_error(vm, "persistent IDs in protocol 0 must be ASCII strings"));
                }
                let pid = new_str(vm, &String::from_utf8_lossy(raw));
                let o = self.persistent_load(pid)?;
                self.push(o);
            }
            op::BINPERSID => {
                let pid = self.pop()?;
                let o = self.persistent_load(pid)?;
                self.push(o);
            }
            op::POP => {
                let len = self.stack.len();
                if self.marks.last() == Some(&len) {
                    self.marks.pop();
                } else if len <= self.fence() {
                    return Err(self.underflow());
                } else {
                    self.stack.pop();
                }
            }
            op::POP_MARK => {
                let i = self.marker()?;
                self.stack.truncate(i);
            }
            op::DUP => {
                let t = self.top()?;
                self.push(t);
            }
            op::GET => {
                let line = self.line_bytes()?;
                let idx = parse_decimal(vm, &line)?;
                self.push_memo(idx)?;
            }
            op::BINGET | op::LONG_BINGET => {
                let idx = self.read_size(if code == op::BINGET { 1 } else { 4 })?;
                self.push_memo(idx as i64)?;
            }
            op::PUT => {
                let line = self.line_bytes()?;
                let top = self.top()?;
                let idx = parse_decimal(vm, &line)?;
                if idx < 0 {
                    return Err(vm.new_error(&vm.types.value_error, "negative PUT argument"));
                }
                self.d.memo_put_checked(vm, idx as usize, top)?;
            }
            op::BINPUT | op::LONG_BINPUT => {
                let idx = self.read_size(if code == op::BINPUT { 1 } else { 4 })?;
                let top = self.top()?;
                self.d.memo_put_checked(vm, idx as usize, top)?;
            }
            op::MEMOIZE => {
                let top = self.top()?;
                self.d.memo_put(self.d.memo_len.get(), top);
            }
            op::APPEND => {
                let x = self.stack.len().wrapping_sub(1);
                self.do_append(x)?;
            }
            op::APPENDS => {
                let x = self.marker()?;
                self.do_append(x)?;
            }
            op::SETITEM => {
                let x = self.stack.len().wrapping_sub(2);
                self.do_setitems(x)?;
            }
            op::SETITEMS => {
                let x = self.marker()?;
                self.do_setitems(x)?;
            }
            op::ADDITEMS => self.load_additems()?,
            op::BUILD => self.load_build()?,
            op::REDUCE => {
                let args = self.pop()?;
                let callable = self.pop()?;
                let Some(t) = args.downcast::<TupleData>().filter(|_| taipan_vm::types::is_subtype(&type_of(&args), &vm.types.tuple))
                else {
                    return Err(vm.type_error("argument list must be a tuple"));
                };
                let items = t.items.to_vec();
                let o = util::call(vm, &callable, &items)?;
                self.push(o);
            }
            op::MARK => self.marks.push(self.stack.len()),
            op::PROTO => {
                let p = self.read_byte()? as i64;
                if p > HIGHEST_PROTOCOL {
                    return Err(vm.new_error(&vm.types.value_error, format!("unsupported pickle protocol: {p}")));
                }
                self.d.proto.set(p);
            }
            op::FRAME => {
                let n = self.read_size(8)?;
                let n = usize::try_from(n).ok().filter(|&n| n <= isize::MAX as usize).ok_or_else(|| {
                    vm.new_error(&vm.types.value_error, format!("FRAME length exceeds system's maximum of {} bytes", isize::MAX))
                })?;
                self.read(n)?;
                self.pos -= n;
            }
            c => {
                let msg = if (0x20..=0x7e).contains(&c) && c != b'\'' && c != b'\\' {
                    format!("invalid load key, '{}'.", c as char)
                } else {
                    format!("invalid load key, '\\x{c:02x}'.")
                };
                return Err(unpickling_error(vm, msg));
            }
        }
        Ok(())
    }

    fn checked_size(&self, n: u64, _what: &str) -> PyResult<usize> {
        usize::try_from(n).ok().filter(|&n| n <= isize::MAX as usize).ok_or_else(|| truncated(self.vm))
    }

    fn push_memo(&mut self, idx: i64) -> PyResult<()> {
        let v = if idx >= 0 { self.d.memo_get(idx as usize) } else { None };
        match v {
            Some(v) => {
                self.push(v);
                Ok(())
            }
            None => Err(unpickling_error(self.vm, format!("Memo value not found at index {idx}"))),
        }
    }

    fn line_ascii(&mut self) -> PyResult<Obj> {
        let (s, e) = self.readline()?;
        if e - s < 2 {
            return Err(truncated(self.vm));
        }
        let raw = new_bytes(self.vm, self.buf[s..e - 1].to_vec());
        util::call_method(self.vm, &raw, "decode", &[new_str(self.vm, "ascii")])
    }

    fn line_utf8(&mut self) -> PyResult<Obj> {
        let (s, e) = self.readline()?;
        if e - s < 2 {
            return Err(truncated(self.vm));
        }
        match std::str::from_utf8(&self.buf[s..e - 1]) {
            Ok(t) => Ok(new_str(self.vm, t)),
            Err(_) => {
                let raw = new_bytes(self.vm, self.buf[s..e - 1].to_vec());
                util::call_method(self.vm, &raw, "decode", &[new_str(self.vm, "utf-8")])
            }
        }
    }

    fn load_int(&mut self) -> PyResult<()> {
        let vm = self.vm;
        let (s, e) = self.readline()?;
        if e - s < 2 {
            return Err(truncated(vm));
        }
        let line = self.buf[s..e - 1].to_vec();
        if line == b"00" || line == b"01" {
            self.push(vm.bool(line == b"01"));
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line).into_owned();
        let v = taipan_vm::types::int::parse_int_text(text.trim(), 10)
            .map_err(|_| vm.new_error(&vm.types.value_error, "could not convert string to int"))?;
        self.push(new_int_big(vm, v));
        Ok(())
    }

    fn load_long(&mut self) -> PyResult<()> {
        let vm = self.vm;
        let (s, e) = self.readline()?;
        if e - s < 2 {
            return Err(truncated(vm));
        }
        let mut line = &self.buf[s..e - 1];
        if line.last() == Some(&b'L') {
            line = &line[..line.len() - 1];
        }
        let text = String::from_utf8_lossy(line).into_owned();
        let v = taipan_vm::types::int::parse_int_text(&text, 10).map_err(|_| {
            vm.new_error(&vm.types.value_error, format!("invalid literal for int() with base 0: {}", py_repr_bytes_as_str(line)))
        })?;
        self.push(new_int_big(vm, v));
        Ok(())
    }

    fn load_string(&mut self) -> PyResult<()> {
        let vm = self.vm;
        let (s, e) = self.readline()?;
        let line = &self.buf[s..e - 1];
        let n = line.len();
        if !(n >= 2 && line[0] == line[n - 1] && (line[0] == b'\'' || line[0] == b'"')) {
            return Err(unpickling_error(vm, "the STRING opcode argument must be quoted"));
        }
        let inner = new_bytes(vm, line[1..n - 1].to_vec());
        let codecs = taipan_vm::import::import_absolute(vm, "_codecs")?;
        let decoded = util::call_method(vm, &codecs, "escape_decode", &[inner])?;
        let bytes = decoded.downcast::<TupleData>().and_then(|t| t.items.first().cloned()).unwrap_or_else(|| vm.none.clone());
        let raw = as_buffer(&bytes).map(|b| b.into_owned()).unwrap_or_default();
        let o = self.decode_py2_string(raw)?;
        self.push(o);
        Ok(())
    }

    fn decode_py2_string(&self, raw: Vec<u8>) -> PyResult<Obj> {
        let vm = self.vm;
        let b = new_bytes(vm, raw);
        let enc = self.d.encoding.borrow().clone();
        if enc == "bytes" {
            return Ok(b);
        }
        let errors = self.d.errors.borrow().clone();
        util::call_method(vm, &b, "decode", &[new_str(vm, &enc), new_str(vm, &errors)])
    }

    fn instantiate(&self, cls: &Obj, args: Vec<Obj>) -> PyResult<Obj> {
        let vm = self.vm;
        if args.is_empty()
            && cls.downcast::<taipan_vm::types::TypeData>().is_some()
            && util::getattr_opt(vm, cls, "__getinitargs__")?.is_none()
        {
            return util::call_method(vm, cls, "__new__", std::slice::from_ref(cls));
        }
        util::call(vm, cls, &args)
    }

    fn load_newobj(&mut self, use_kwargs: bool) -> PyResult<()> {
        let vm = self.vm;
        let kwargs = if use_kwargs { Some(self.pop()?) } else { None };
        let args = self.pop()?;
        let cls = self.pop()?;
        let opname = if use_kwargs { "NEWOBJ_EX" } else { "NEWOBJ" };
        if cls.downcast::<taipan_vm::types::TypeData>().is_none() {
            return Err(unpickling_error(vm, format!("{opname} class argument must be a type, not {}", type_name(&cls))));
        }
        let Some(t) = args.downcast::<TupleData>() else {
            return Err(unpickling_error(vm, format!("{opname} args argument must be a tuple, not {}", type_name(&args))));
        };
        let mut call_args = vec![cls.clone()];
        call_args.extend(t.items.iter().cloned());
        let kw = match &kwargs {
            Some(k) => {
                if k.downcast::<DictData>().is_none() {
                    return Err(unpickling_error(vm, format!("{opname} kwargs argument must be a dict, not {}", type_name(k))));
                }
                dict_items(k)
            }
            None => Vec::new(),
        };
        let new = util::getattr(vm, &cls, "__new__")?;
        let o = util::call_kw(vm, &new, &call_args, &kw)?;
        self.push(o);
        Ok(())
    }

    fn find_class(&self, module: &Obj, name: &Obj) -> PyResult<Obj> {
        match self.this {
            Some(this) => util::call_method(self.vm, this, "find_class", &[module.clone(), name.clone()]),
            None => find_class_impl(self.vm, self.d, module, name),
        }
    }

    fn persistent_load(&self, pid: Obj) -> PyResult<Obj> {
        let f = self.d.pers_func.borrow().clone();
        match f {
            Some(f) => util::call(self.vm, &f, &[pid]),
            None => Err(unpickling_error(
                self.vm,
                "A load persistent id instruction was encountered,\nbut no persistent_load function was specified.",
            )),
        }
    }

    fn load_extension(&mut self, code: i64) -> PyResult<()> {
        let vm = self.vm;
        if code <= 0 {
            return Err(unpickling_error(vm, "EXT specifies code <= 0"));
        }
        let st = state(vm)?;
        let key = vm.int(code);
        if let Some(o) = dict_get(vm, &st.extension_cache, &key)? {
            self.push(o);
            return Ok(());
        }
        let Some(pair) = dict_get(vm, &st.inverted_registry, &key)? else {
            return Err(vm.new_error(&vm.types.value_error, format!("unregistered extension code {code}")));
        };
        let items = pair.downcast::<TupleData>().map(|t| t.items.to_vec()).unwrap_or_default();
        if items.len() != 2 || items.iter().any(|x| x.downcast::<StrData>().is_none()) {
            return Err(vm.new_error(&vm.types.value_error, format!("_inverted_registry[{code}] isn't a 2-tuple of strings")));
        }
        let o = self.find_class(&items[0], &items[1])?;
        dict_set(vm, &st.extension_cache, key, o.clone())?;
        self.push(o);
        Ok(())
    }

    fn do_append(&mut self, x: usize) -> PyResult<()> {
        let vm = self.vm;
        let len = self.stack.len();
        if x > len || x <= self.fence() {
            return Err(self.underflow());
        }
        if x == len {
            return Ok(());
        }
        let list = self.stack[x - 1].clone();
        if is_exact(&list, &vm.types.list) {
            let items = self.stack.split_off(x);
            if let Some(l) = list.downcast::<ListData>() {
                l.items.borrow_mut().extend(items);
            }
            return Ok(());
        }
        if let Some(extend) = util::getattr_opt(vm, &list, "extend")? {
            let items = self.stack.split_off(x);
            util::call(vm, &extend, &[new_list(vm, items)])?;
        } else {
            let append = util::getattr(vm, &list, "append")?;
            let items = self.stack.split_off(x);
            for v in items {
                util::call(vm, &append, &[v])?;
            }
        }
        Ok(())
    }

    fn do_setitems(&mut self, x: usize) -> PyResult<()> {
        let vm = self.vm;
        let len = self.stack.len();
        if x > len || x <= self.fence() {
            return Err(self.underflow());
        }
        if x == len {
            return Ok(());
        }
        if !(len - x).is_multiple_of(2) {
            return Err(unpickling_error(vm, "odd number of items for SETITEMS"));
        }
        let dict = self.stack[x - 1].clone();
        let items = self.stack.split_off(x);
        let exact_dict = is_exact(&dict, &vm.types.dict);
        for kv in items.chunks(2) {
            if exact_dict {
                dict_set(vm, &dict, kv[0].clone(), kv[1].clone())?;
            } else {
                taipan_vm::sequence::setitem(vm, &dict, &kv[0], kv[1].clone())?;
            }
        }
        Ok(())
    }

    fn load_additems(&mut self) -> PyResult<()> {
        let vm = self.vm;
        let mark = self.marker()?;
        let len = self.stack.len();
        if mark > len || mark <= self.fence() {
            return Err(self.underflow());
        }
        if len == mark {
            return Ok(());
        }
        let set = self.stack[mark - 1].clone();
        let items = self.stack.split_off(mark);
        if taipan_vm::types::builtin::is_anyset(&set) {
            for x in items {
                taipan_vm::types::builtin::set_add(vm, &set, x)?;
            }
        } else {
            let add = util::getattr(vm, &set, "add")?;
            for x in items {
                util::call(vm, &add, &[x])?;
            }
        }
        Ok(())
    }

    fn load_build(&mut self) -> PyResult<()> {
        let vm = self.vm;
        if self.stack.len() < 2 || self.stack.len() - 2 < self.fence() {
            return Err(self.underflow());
        }
        let state = self.pop()?;
        let inst = self.top()?;
        if let Some(setstate) = util::getattr_opt(vm, &inst, "__setstate__")? {
            util::call(vm, &setstate, &[state])?;
            return Ok(());
        }
        let (state, slotstate) = match state.downcast::<TupleData>() {
            Some(t) if t.items.len() == 2 => (t.items[0].clone(), Some(t.items[1].clone())),
            _ => (state.clone(), None),
        };
        if !state.is(&vm.none) {
            if state.downcast::<DictData>().is_none() {
                return Err(unpickling_error(vm, "state is not a dictionary"));
            }
            let dict = util::getattr(vm, &inst, "__dict__")?;
            for (k, v) in dict_items(&state) {
                if is_exact(&k, &vm.types.str_) {
                    let k = vm.intern(&str_data(&k).as_str());
                    taipan_vm::sequence::setitem(vm, &dict, &k, v)?;
                } else {
                    taipan_vm::sequence::setitem(vm, &dict, &k, v)?;
                }
            }
        }
        if let Some(slotstate) = slotstate.filter(|s| !s.is(&vm.none)) {
            if slotstate.downcast::<DictData>().is_none() {
                return Err(unpickling_error(vm, "slot state is not a dictionary"));
            }
            for (k, v) in dict_items(&slotstate) {
                taipan_vm::classes::setattr(vm, &inst, &k, v)?;
            }
        }
        Ok(())
    }
}

/// A `GET`/`PUT` argument: a decimal integer.
fn parse_decimal(vm: &Vm, line: &[u8]) -> PyResult<i64> {
    let text = String::from_utf8_lossy(line);
    match taipan_vm::types::int::parse_int_text(text.trim(), 10) {
        Ok(v) => i64::try_from(v).map_err(|_| vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C ssize_t")),
        Err(_) => {
            Err(vm.new_error(&vm.types.value_error, format!("invalid literal for int() with base 10: {}", py_repr_bytes_as_str(line))))
        }
    }
}

/// `repr()` of the text of `b` (as CPython quotes the literal in int()'s
/// error).
fn py_repr_bytes_as_str(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(b);
    if s.contains('\'') && !s.contains('"') {
        format!("\"{s}\"")
    } else {
        format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}
