//! `marshal`: CPython's serialisation of Python values (format versions
//! 0-4): None, bools, `StopIteration`, `...`, ints (32-bit `i` and 15-bit
//! digit `l`), floats and complexes (text before version 2, binary after),
//! str (`u`/`t`, short and long ASCII forms from version 4), bytes and
//! buffer objects, tuples (small tuples from version 4), lists, dicts,
//! sets and frozensets (elements ordered by their own marshalled bytes, as
//! CPython does for reproducible output), and back-references (`FLAG_REF`,
//! `r`, from version 3) for objects referenced more than once and
//! interned strings — so `dumps` gives CPython's bytes for the same
//! values.
//!
//! Code objects are Taipan's own: `c` followed by the bytecode-cache
//! encoding of the code unit (`taipan_compiler::serial`) with its format
//! version and compiler fingerprint. `loads` gives the code back;
//! CPython cannot read it (nor we CPython's).

use num_bigint::{BigInt, BigUint, Sign};
use num_traits::{ToPrimitive, Zero};
use std::collections::HashMap;

use taipan_vm::classes::call_object;
use taipan_vm::function::{new_code, CodeData};
use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{self, FunctionDef, Params};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{self, new_str_wtf8, IntData, StrData};
use taipan_vm::types::{type_of, Kwargs};
use taipan_vm::vm::PyErr;
use taipan_vm::{PyResult, Vm};

use taipan_compiler::serial;
use taipan_parser::wtf8::Wtf8Buf;

/// `marshal.version`.
const VERSION: i64 = 4;
/// CPython's `MAX_MARSHAL_STACK_DEPTH`.
const MAX_DEPTH: usize = 2000;
const FLAG_REF: u8 = 0x80;

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_attr(vm, m, "version", vm.int(VERSION))?;
    add_functions(vm, m, FUNCS)
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("dumps", dumps, "Return the bytes object that would be written to a file by dump(value, file)."),
    FunctionDef::new("loads", loads, "Convert the bytes-like object to a value."),
    FunctionDef::new("dump", dump, "Write the value on the open file."),
    FunctionDef::new("load", load, "Read one value from the open file and return it."),
];

fn version_arg(vm: &Vm, v: Option<Obj>) -> PyResult<i64> {
    match v {
        None => Ok(VERSION),
        Some(v) => {
            if v.downcast::<IntData>().is_none() {
                return Err(vm.type_error(format!("'{}' object cannot be interpreted as an integer", builtin::type_name(&v))));
            }
            builtin::expect_int(vm, &v, "")
        }
    }
}

/// `dumps(value, version=version, /)`.
fn dumps(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "dumps", names: &["value", "version"], posonly: 2, kwonly: 0, required: 1 };
    let [value, version] = native::bind::<2>(vm, &P, args, kw)?;
    let version = version_arg(vm, version)?;
    let value = value.unwrap_or_else(|| vm.none.clone());
    Ok(taipan_vm::types::bytes::new_bytes(vm, to_bytes(vm, &value, version)?))
}

/// `dump(value, file, version=version, /)`.
fn dump(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "dump", names: &["value", "file", "version"], posonly: 3, kwonly: 0, required: 2 };
    let [value, file, version] = native::bind::<3>(vm, &P, args, kw)?;
    let version = version_arg(vm, version)?;
    let (value, file) = (value.unwrap_or_else(|| vm.none.clone()), file.unwrap_or_else(|| vm.none.clone()));
    let data = taipan_vm::types::bytes::new_bytes(vm, to_bytes(vm, &value, version)?);
    // CPython returns what `file.write` returned.
    taipan_vm::lang::call_method(vm, &file, "write", &[data])
}

/// `loads(bytes, /)`: one value from the start of `bytes` (what follows
/// it is ignored).
fn loads(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [data] = native::exact::<1>(vm, "loads", args, kw)?;
    let Some(bytes) = taipan_vm::types::bytes::as_buffer(&data) else {
        return Err(vm.type_error(format!("a bytes-like object is required, not '{}'", builtin::type_name(&data))));
    };
    Reader::new(vm, &bytes).object_at_top()
}

/// `load(file, /)`: reads the rest of the file, decodes one value and,
/// when the file can seek, leaves it just after that value.
fn load(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [file] = native::exact::<1>(vm, "load", args, kw)?;
    let start = taipan_vm::lang::call_method(vm, &file, "tell", &[]).ok();
    let data = taipan_vm::lang::call_method(vm, &file, "read", &[])?;
    let Some(bytes) = taipan_vm::types::bytes::as_buffer(&data) else {
        return Err(vm.type_error(format!("file.read() returned not bytes but {}", builtin::type_name(&data))));
    };
    let mut r = Reader::new(vm, &bytes);
    let v = r.object_at_top()?;
    if let Some(start) = start {
        if r.pos < bytes.len() {
            let pos = taipan_vm::ops::binary_op(vm, taipan_compiler::bytecode::BinaryOp::Add, &start, &vm.int(r.pos as i64))?;
            taipan_vm::lang::call_method(vm, &file, "seek", &[pos])?;
        }
    }
    Ok(v)
}

/// The marshalled bytes of `value`.
pub fn to_bytes(vm: &Vm, value: &Obj, version: i64) -> PyResult<Vec<u8>> {
    let mut w = Writer { vm, out: Vec::new(), version, refs: HashMap::new(), keep: Vec::new(), depth: 0 };
    w.object(value)?;
    Ok(w.out)
}

struct Writer<'v> {
    vm: &'v Vm,
    out: Vec<u8>,
    version: i64,
    /// Objects written with FLAG_REF, by address, and their index.
    refs: HashMap<usize, u32>,
    /// Keeps the objects of `refs` alive (their addresses stay theirs).
    keep: Vec<Obj>,
    depth: usize,
}

fn value_error(vm: &Vm, msg: &str) -> PyErr {
    vm.new_error(&vm.types.value_error, msg)
}

impl Writer<'_> {
    fn long(&mut self, v: i32) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }

    fn size(&mut self, n: usize) -> PyResult<()> {
        let n = i32::try_from(n).map_err(|_| value_error(self.vm, "unmarshallable object"))?;
        self.long(n);
        Ok(())
    }

    fn pstring(&mut self, b: &[u8]) -> PyResult<()> {
        self.size(b.len())?;
        self.out.extend_from_slice(b);
        Ok(())
    }

    /// `w_ref`: a back-reference to an object written before, or marks
    /// this one (FLAG_REF) when it may be shared: more than one reference,
    /// or an interned str. Returns the flag, or None if a reference was
    /// written.
    fn reference(&mut self, v: &Obj, refcount: isize) -> PyResult<Option<u8>> {
        if self.version < 3 || (refcount <= 1 && !self.vm.is_interned(v)) {
            return Ok(Some(0));
        }
        let addr = v.as_ptr() as usize;
        if let Some(&i) = self.refs.get(&addr) {
            self.out.push(b'r');
            self.long(i as i32);
            return Ok(None);
        }
        let n = self.refs.len();
        if n >= 0x7fff_ffff {
            return Err(value_error(self.vm, "too many objects"));
        }
        self.refs.insert(addr, n as u32);
        self.keep.push(v.clone());
        Ok(Some(FLAG_REF))
    }

    fn object(&mut self, v: &Obj) -> PyResult<()> {
        // The reference the caller holds for the duration of the call (a
        // container's item, or the argument) is not a sharing: CPython
        // borrows both.
        let refcount = v.refcount() - 1;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.depth -= 1;
            return Err(value_error(self.vm, "object too deeply nested to marshal"));
        }
        let r = self.object_inner(v, refcount);
        self.depth -= 1;
        r
    }

    fn object_inner(&mut self, v: &Obj, refcount: isize) -> PyResult<()> {
        let vm = self.vm;
        if v.is(&vm.none) {
            self.out.push(b'N');
            return Ok(());
        }
        if v.is(&vm.false_) {
            self.out.push(b'F');
            return Ok(());
        }
        if v.is(&vm.true_) {
            self.out.push(b'T');
            return Ok(());
        }
        if v.is(&vm.ellipsis) {
            self.out.push(b'.');
            return Ok(());
        }
        if v.is(&vm.types.stop_iteration) {
            self.out.push(b'S');
            return Ok(());
        }
        let Some(flag) = self.reference(v, refcount)? else { return Ok(()) };
        let ty = type_of(v);
        let t = &vm.types;
        if ty.is(&t.int) {
            match v.downcast::<IntData>() {
                Some(IntData::Small(x)) if i32::try_from(*x).is_ok() => {
                    self.out.push(b'i' | flag);
                    self.long(*x as i32);
                }
                Some(IntData::Small(x)) => self.big_int(&BigInt::from(*x), flag)?,
                Some(IntData::Big(b)) => self.big_int(b, flag)?,
                None => return Err(value_error(vm, "unmarshallable object")),
            }
        } else if ty.is(&t.float) {
            let f = v.downcast::<f64>().copied().unwrap_or(0.0);
            if self.version > 1 {
                self.out.push(b'g' | flag);
                self.out.extend_from_slice(&f.to_le_bytes());
            } else {
                self.out.push(b'f' | flag);
                self.float_str(f);
            }
        } else if ty.is(&t.complex) {
            let c = v.downcast::<taipan_vm::types::complex::Complex>().map_or((0.0, 0.0), |c| (c.re, c.im));
            if self.version > 1 {
                self.out.push(b'y' | flag);
                self.out.extend_from_slice(&c.0.to_le_bytes());
                self.out.extend_from_slice(&c.1.to_le_bytes());
            } else {
                self.out.push(b'x' | flag);
                self.float_str(c.0);
                self.float_str(c.1);
            }
        } else if ty.is(&t.str_) {
            let s = v.downcast::<StrData>().map(|s| s.value.as_bytes().to_vec()).unwrap_or_default();
            let interned = vm.is_interned(v);
            if self.version >= 4 && s.is_ascii() {
                if s.len() < 256 {
                    self.out.push(if interned { b'Z' } else { b'z' } | flag);
                    self.out.push(s.len() as u8);
                    self.out.extend_from_slice(&s);
                } else {
                    self.out.push(if interned { b'A' } else { b'a' } | flag);
                    self.pstring(&s)?;
                }
            } else {
                self.out.push(if self.version >= 3 && interned { b't' } else { b'u' } | flag);
                self.pstring(&s)?;
            }
        } else if ty.is(&t.tuple) {
            let items = v.downcast::<builtin::TupleData>().map(|t| t.items.to_vec()).unwrap_or_default();
            if self.version >= 4 && items.len() < 256 {
                self.out.push(b')' | flag);
                self.out.push(items.len() as u8);
            } else {
                self.out.push(b'(' | flag);
                self.size(items.len())?;
            }
            for i in &items {
                self.object(i)?;
            }
        } else if ty.is(&t.list) {
            let items = builtin::list_items(vm, v)?.borrow().clone();
            self.out.push(b'[' | flag);
            self.size(items.len())?;
            for i in &items {
                self.object(i)?;
            }
        } else if ty.is(&t.dict) {
            self.out.push(b'{' | flag);
            for (k, val) in builtin::dict_items(v) {
                self.object(&k)?;
                self.object(&val)?;
            }
            self.out.push(b'0');
        } else if ty.is(&t.set) || ty.is(&t.frozenset) {
            self.out.push(if ty.is(&t.set) { b'<' } else { b'>' } | flag);
            let items = builtin::set_items(v);
            self.size(items.len())?;
            // Ordered by each element's own marshalled bytes (bpo-37596).
            let mut keyed = Vec::with_capacity(items.len());
            for i in items {
                keyed.push((to_bytes(vm, &i, self.version)?, i));
            }
            keyed.sort_by(|a, b| a.0.cmp(&b.0));
            for (_, i) in &keyed {
                self.object(i)?;
            }
        } else if ty.is(&t.code) {
            let Some(code) = v.downcast::<CodeData>() else { return Err(value_error(vm, "unmarshallable object")) };
            let mut payload = Vec::new();
            serial::encode_code(&code.unit, &mut payload);
            self.out.push(b'c' | flag);
            self.out.extend_from_slice(&serial::FORMAT_VERSION.to_le_bytes());
            self.out.extend_from_slice(&serial::compiler_fingerprint().to_le_bytes());
            self.size(payload.len())?;
            self.out.extend_from_slice(&payload);
        } else if let Some(buf) = taipan_vm::types::bytes::as_buffer(v) {
            self.out.push(b's' | flag);
            self.pstring(&buf)?;
        } else {
            return Err(value_error(vm, "unmarshallable object"));
        }
        Ok(())
    }

    /// `l`: the sign and count of 15-bit digits, then the digits.
    fn big_int(&mut self, b: &BigInt, flag: u8) -> PyResult<()> {
        let mut digits = Vec::new();
        let mut mag: BigUint = b.magnitude().clone();
        let mask = BigUint::from(0x7fffu32);
        while !mag.is_zero() {
            digits.push((&mag & &mask).to_u16().unwrap_or(0));
            mag >>= 15;
        }
        self.out.push(b'l' | flag);
        let n = i32::try_from(digits.len()).map_err(|_| value_error(self.vm, "unmarshallable object"))?;
        self.long(if b.sign() == Sign::Minus { -n } else { n });
        for d in digits {
            self.out.extend_from_slice(&d.to_le_bytes());
        }
        Ok(())
    }

    /// A float as text (versions 0 and 1): a length byte and `%.17g`.
    fn float_str(&mut self, f: f64) {
        let s = format_g17(f);
        self.out.push(s.len() as u8);
        self.out.extend_from_slice(s.as_bytes());
    }
}

/// C's `%.17g` (what `PyOS_double_to_string(v, 'g', 17, 0)` gives).
pub fn format_g17(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let e = format!("{f:.16e}");
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let strip = |s: &str| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s.to_string()
        }
    };
    if !(-4..17).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", strip(mantissa), exp.abs())
    } else {
        let decimals = (16 - exp).max(0) as usize;
        strip(&format!("{f:.decimals$}"))
    }
}

struct Reader<'v, 'd> {
    vm: &'v Vm,
    data: &'d [u8],
    pos: usize,
    /// Objects read with FLAG_REF (None while a tuple or frozenset that
    /// reserved its index is being read).
    refs: Vec<Option<Obj>>,
    depth: usize,
}

fn eof(vm: &Vm, msg: &str) -> PyErr {
    let ty = vm.exception_type("EOFError").unwrap_or_else(|| vm.types.value_error.clone());
    vm.new_error(&ty, msg)
}

fn bad(vm: &Vm, what: &str) -> PyErr {
    value_error(vm, &format!("bad marshal data ({what})"))
}

impl<'v, 'd> Reader<'v, 'd> {
    fn new(vm: &'v Vm, data: &'d [u8]) -> Self {
        Reader { vm, data, pos: 0, refs: Vec::new(), depth: 0 }
    }

    fn take(&mut self, n: usize) -> PyResult<&'d [u8]> {
        match self.pos.checked_add(n).and_then(|end| self.data.get(self.pos..end)) {
            Some(s) => {
                self.pos += n;
                Ok(s)
            }
            None => Err(eof(self.vm, "marshal data too short")),
        }
    }

    fn byte(&mut self) -> PyResult<u8> {
        Ok(self.take(1)?[0])
    }

    fn long(&mut self) -> PyResult<i32> {
        let b = self.take(4)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn size(&mut self, what: &str) -> PyResult<usize> {
        let n = self.long()?;
        if n < 0 {
            return Err(bad(self.vm, &format!("{what} size out of range")));
        }
        Ok(n as usize)
    }

    fn f64(&mut self) -> PyResult<f64> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(f64::from_le_bytes(a))
    }

    fn float_str(&mut self) -> PyResult<f64> {
        let n = self.byte()? as usize;
        let s = self.take(n)?;
        std::str::from_utf8(s)
            .ok()
            .and_then(|t| t.trim().parse::<f64>().ok())
            .ok_or_else(|| value_error(self.vm, &format!("could not convert string to float: '{}'", String::from_utf8_lossy(s))))
    }

    fn object_at_top(&mut self) -> PyResult<Obj> {
        if self.pos >= self.data.len() {
            return Err(eof(self.vm, "EOF read where object expected"));
        }
        match self.object()? {
            Some(v) => Ok(v),
            None => Err(self.null_error()),
        }
    }

    fn null_error(&self) -> PyErr {
        self.vm.type_error("NULL object in marshal data for object")
    }

    /// Stores a FLAG_REF object.
    fn remember(&mut self, flag: bool, v: &Obj) {
        if flag {
            self.refs.push(Some(v.clone()));
        }
    }

    /// Reserves a reference index for an object built after its items.
    fn reserve(&mut self, flag: bool) -> Option<usize> {
        flag.then(|| {
            self.refs.push(None);
            self.refs.len() - 1
        })
    }

    fn fill(&mut self, slot: Option<usize>, v: &Obj) {
        if let Some(i) = slot {
            self.refs[i] = Some(v.clone());
        }
    }

    fn item(&mut self) -> PyResult<Obj> {
        match self.object()? {
            Some(v) => Ok(v),
            None => Err(self.null_error()),
        }
    }

    /// One object, or None for TYPE_NULL (`0`, the end of a dict).
    fn object(&mut self) -> PyResult<Option<Obj>> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.depth -= 1;
            return Err(value_error(self.vm, "recursion limit exceeded"));
        }
        let r = self.object_inner();
        self.depth -= 1;
        r
    }

    fn object_inner(&mut self) -> PyResult<Option<Obj>> {
        let vm = self.vm;
        let Some(&code) = self.data.get(self.pos) else { return Err(eof(vm, "EOF read where object expected")) };
        self.pos += 1;
        let flag = code & FLAG_REF != 0;
        let v = match code & !FLAG_REF {
            b'0' => return Ok(None),
            b'N' => vm.none.clone(),
            b'F' => vm.false_.clone(),
            b'T' => vm.true_.clone(),
            b'.' => vm.ellipsis.clone(),
            b'S' => vm.types.stop_iteration.clone(),
            b'i' => {
                let v = vm.int(self.long()? as i64);
                self.remember(flag, &v);
                v
            }
            // TYPE_INT64: written by old versions; still read.
            b'I' => {
                let b = self.take(8)?;
                let mut raw = [0u8; 8];
                raw.copy_from_slice(&b);
                let v = vm.int(i64::from_le_bytes(raw));
                self.remember(flag, &v);
                v
            }
            b'l' => {
                let n = self.long()?;
                let count = n.unsigned_abs() as usize;
                let raw = self.take(count.checked_mul(2).ok_or_else(|| bad(vm, "long size out of range"))?)?;
                let mut mag = BigUint::zero();
                for (i, d) in raw.chunks_exact(2).enumerate().rev() {
                    let d = u16::from_le_bytes([d[0], d[1]]);
                    if d > 0x7fff {
                        return Err(bad(vm, "digit out of range in long"));
                    }
                    if i == count - 1 && d == 0 {
                        return Err(bad(vm, "unnormalized long data"));
                    }
                    mag = (mag << 15) | BigUint::from(d);
                }
                let b = BigInt::from_biguint(if n < 0 { Sign::Minus } else { Sign::Plus }, mag);
                let v = builtin::new_int_big(vm, b);
                self.remember(flag, &v);
                v
            }
            b'g' => {
                let v = taipan_vm::object::alloc(vm.types.float.clone(), self.f64()?);
                self.remember(flag, &v);
                v
            }
            b'f' => {
                let v = taipan_vm::object::alloc(vm.types.float.clone(), self.float_str()?);
                self.remember(flag, &v);
                v
            }
            b'y' => {
                let (re, im) = (self.f64()?, self.f64()?);
                let v = taipan_vm::types::complex::new_complex(vm, re, im);
                self.remember(flag, &v);
                v
            }
            b'x' => {
                let (re, im) = (self.float_str()?, self.float_str()?);
                let v = taipan_vm::types::complex::new_complex(vm, re, im);
                self.remember(flag, &v);
                v
            }
            b's' => {
                let n = self.size("bytes object")?;
                let v = taipan_vm::types::bytes::new_bytes(vm, self.take(n)?.to_vec());
                self.remember(flag, &v);
                v
            }
            c @ (b'u' | b't' | b'a' | b'A' | b'z' | b'Z') => {
                let n = if matches!(c, b'z' | b'Z') { self.byte()? as usize } else { self.size("string")? };
                let raw = self.take(n)?;
                let interned = matches!(c, b't' | b'A' | b'Z');
                let v = if matches!(c, b'a' | b'A' | b'z' | b'Z') && !raw.is_ascii() {
                    return Err(bad(vm, "non-ASCII data in an ASCII string"));
                } else {
                    match Wtf8Buf::from_wtf8_bytes(raw.to_vec()) {
                        Some(w) => match w.as_str() {
                            Some(s) if interned => vm.intern(s),
                            _ => new_str_wtf8(vm, w),
                        },
                        None => {
                            let ty = vm.types.unicode_decode_error.clone();
                            return Err(vm.new_error(&ty, "'utf-8' codec can't decode bytes: invalid data"));
                        }
                    }
                };
                self.remember(flag, &v);
                v
            }
            c @ (b'(' | b')') => {
                let n = if c == b')' { self.byte()? as usize } else { self.size("tuple")? };
                let slot = self.reserve(flag);
                let mut items = Vec::with_capacity(n.min(self.data.len()));
                for _ in 0..n {
                    items.push(self.item()?);
                }
                let v = builtin::new_tuple(vm, items);
                self.fill(slot, &v);
                v
            }
            b'[' => {
                let n = self.size("list")?;
                let v = builtin::new_list(vm, Vec::new());
                self.remember(flag, &v);
                for _ in 0..n {
                    let item = self.item()?;
                    builtin::list_items(vm, &v)?.borrow_mut().push(item);
                }
                v
            }
            b'{' => {
                let v = builtin::new_dict(vm);
                self.remember(flag, &v);
                loop {
                    let Some(k) = self.object()? else { break };
                    let Some(val) = self.object()? else { break };
                    builtin::dict_set(vm, &v, k, val)?;
                }
                v
            }
            c @ (b'<' | b'>') => {
                let n = self.size("set")?;
                if c == b'<' {
                    let v = builtin::new_set(vm, Vec::new())?;
                    self.remember(flag, &v);
                    for _ in 0..n {
                        let item = self.item()?;
                        builtin::set_add(vm, &v, item)?;
                    }
                    v
                } else {
                    let slot = self.reserve(flag);
                    let mut items = Vec::with_capacity(n.min(self.data.len()));
                    for _ in 0..n {
                        items.push(self.item()?);
                    }
                    let v = call_object(vm, &vm.types.frozenset, &[builtin::new_list(vm, items)])?;
                    self.fill(slot, &v);
                    v
                }
            }
            b'c' => {
                let head = self.take(14)?;
                let version = u16::from_le_bytes([head[0], head[1]]);
                let mut fp = [0u8; 8];
                fp.copy_from_slice(&head[2..10]);
                let n = i32::from_le_bytes([head[10], head[11], head[12], head[13]]);
                if version != serial::FORMAT_VERSION || u64::from_le_bytes(fp) != serial::compiler_fingerprint() {
                    return Err(bad(vm, "code object from another Taipan build"));
                }
                let n = usize::try_from(n).map_err(|_| bad(vm, "code size out of range"))?;
                let payload = self.take(n)?;
                let unit = serial::decode_code(payload).map_err(|e| bad(vm, &e.to_string()))?;
                let v = new_code(vm, unit);
                self.remember(flag, &v);
                v
            }
            b'r' => {
                let i = self.long()?;
                match usize::try_from(i).ok().and_then(|i| self.refs.get(i)).and_then(Clone::clone) {
                    Some(v) => v,
                    None => return Err(bad(vm, "invalid reference")),
                }
            }
            _ => return Err(bad(vm, "unknown type code")),
        };
        Ok(Some(v))
    }
}

#[cfg(test)]
mod tests {
    use super::format_g17;

    #[test]
    fn g17() {
        assert_eq!(format_g17(0.1), "0.10000000000000001");
        assert_eq!(format_g17(1.5), "1.5");
        assert_eq!(format_g17(1e22), "1e+22");
        assert_eq!(format_g17(1e16), "10000000000000000");
        assert_eq!(format_g17(1e17), "1e+17");
        assert_eq!(format_g17(-2.5e-5), "-2.5000000000000001e-05");
        assert_eq!(format_g17(0.0001), "0.0001");
        assert_eq!(format_g17(-0.0), "-0");
        assert_eq!(format_g17(f64::INFINITY), "inf");
    }
}
