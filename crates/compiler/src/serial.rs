//! Code units as bytes: the bytecode cache's format (`__pycache__/
//! NAME.taipan-311.pyc`) and the payload of a code object in `marshal`.
//!
//! A cache file is a 48-byte header and a payload:
//!
//! ```text
//!  0  b"TPYC"              magic
//!  4  u16 FORMAT_VERSION   bumped whenever CodeUnit or this encoding changes
//!  6  b"\r\n"              (catches text-mode mangling, like CPython's magic)
//!  8  u64 fingerprint      of the parser's and compiler's sources (build.rs):
//!                          a cache from a different compiler is stale
//! 16  u32 flags            FLAG_HASH_BASED, FLAG_CHECK_SOURCE (PEP 552)
//! 20  u32 0
//! 24  u64 key              source mtime in ns, or the source hash
//! 32  u64 size             source size in bytes (0 when hash based)
//! 40  u64 checksum         FNV-1a of the payload
//! 48  payload              one encoded CodeUnit
//! ```
//!
//! Integers are little-endian. In the payload, counts and small numbers are
//! LEB128 varints, instruction words are 4 bytes each, strings are a length
//! and their (generalised) UTF-8. Decoding checks everything it reads and
//! then [`validate`]s the unit (opcodes, operand indices, jump targets, the
//! exception table), so that a damaged file is an error, never a crash.

use crate::bytecode::{decode, CodeUnit, Const, ExceptionEntry, Location, Opcode};
use taipan_parser::ast::IntValue;
use taipan_parser::wtf8::Wtf8Buf;

/// The encoding's version. Bump it with any change to [`CodeUnit`],
/// [`Const`], [`Location`], [`ExceptionEntry`] or this module's encoding
/// (`tests::layout_is_pinned` fails until you do).
pub const FORMAT_VERSION: u16 = 1;

pub const MAGIC: &[u8; 4] = b"TPYC";
pub const HEADER_LEN: usize = 48;
/// The cache is validated by the source's hash rather than its mtime.
pub const FLAG_HASH_BASED: u32 = 1;
/// With `FLAG_HASH_BASED`: the hash is checked against the source.
pub const FLAG_CHECK_SOURCE: u32 = 2;

/// Nesting of constants (tuples, code) a decoder accepts.
const MAX_DEPTH: u32 = 2000;

/// Why bytes could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Not a Taipan cache (another magic).
    BadMagic,
    /// Another format version or compiler: stale, not damaged.
    Stale,
    /// The data ends early.
    Truncated,
    /// The payload does not match its checksum.
    Checksum,
    /// Well framed but not a valid code unit.
    Malformed(&'static str),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::BadMagic => f.write_str("bad magic number"),
            DecodeError::Stale => f.write_str("written by another compiler version"),
            DecodeError::Truncated => f.write_str("truncated data"),
            DecodeError::Checksum => f.write_str("checksum mismatch"),
            DecodeError::Malformed(what) => write!(f, "malformed code: {what}"),
        }
    }
}

/// The build's compiler fingerprint (see build.rs).
pub fn compiler_fingerprint() -> u64 {
    u64::from_str_radix(env!("TAIPAN_COMPILER_FINGERPRINT"), 16).unwrap_or(0)
}

/// FNV-1a, 64 bits.
pub fn checksum(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The fields of a cache file's header that say which source it is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheKey {
    pub flags: u32,
    /// Source mtime in nanoseconds since the epoch, or the source hash.
    pub key: u64,
    /// Source size (0 when hash based).
    pub size: u64,
}

/// A whole cache file for `unit`.
pub fn encode_cache(unit: &CodeUnit, key: CacheKey) -> Vec<u8> {
    let mut payload = Vec::with_capacity(4096);
    encode_code(unit, &mut payload);
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&compiler_fingerprint().to_le_bytes());
    out.extend_from_slice(&key.flags.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&key.key.to_le_bytes());
    out.extend_from_slice(&key.size.to_le_bytes());
    out.extend_from_slice(&checksum(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

/// Reads a cache file's header: its key and the payload (checksum
/// verified). The caller compares the key with the source, then
/// [`decode_code`]s the payload.
pub fn parse_cache(data: &[u8]) -> Result<(CacheKey, &[u8]), DecodeError> {
    if data.len() < 8 {
        return Err(if MAGIC.starts_with(&data[..data.len().min(4)]) { DecodeError::Truncated } else { DecodeError::BadMagic });
    }
    if &data[..4] != MAGIC || &data[6..8] != b"\r\n" {
        return Err(DecodeError::BadMagic);
    }
    if u16::from_le_bytes([data[4], data[5]]) != FORMAT_VERSION {
        return Err(DecodeError::Stale);
    }
    if data.len() < HEADER_LEN {
        return Err(DecodeError::Truncated);
    }
    let u64_at = |i: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&data[i..i + 8]);
        u64::from_le_bytes(b)
    };
    if u64_at(8) != compiler_fingerprint() {
        return Err(DecodeError::Stale);
    }
    let flags = u32::from_le_bytes([data[16], data[17], data[18], data[19]]);
    let payload = &data[HEADER_LEN..];
    if checksum(payload) != u64_at(40) {
        return Err(DecodeError::Checksum);
    }
    Ok((CacheKey { flags, key: u64_at(24), size: u64_at(32) }, payload))
}

/// Appends the encoding of `unit` (and its nested code units) to `out`.
pub fn encode_code(unit: &CodeUnit, out: &mut Vec<u8>) {
    let mut w = Writer { out };
    w.code(unit);
}

/// Decodes one code unit that fills `bytes` exactly, validated.
pub fn decode_code(bytes: &[u8]) -> Result<CodeUnit, DecodeError> {
    let mut r = Reader { data: bytes, pos: 0, depth: 0 };
    let unit = r.code()?;
    if r.pos != bytes.len() {
        return Err(DecodeError::Malformed("trailing bytes"));
    }
    Ok(unit)
}

/// Decodes one code unit at the start of `bytes`; returns it and the
/// number of bytes it took (for `marshal`, where more data follows).
pub fn decode_code_prefix(bytes: &[u8]) -> Result<(CodeUnit, usize), DecodeError> {
    let mut r = Reader { data: bytes, pos: 0, depth: 0 };
    let unit = r.code()?;
    Ok((unit, r.pos))
}

struct Writer<'a> {
    out: &'a mut Vec<u8>,
}

impl Writer<'_> {
    fn uvar(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.out.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.out.push(v as u8);
    }

    fn ivar(&mut self, v: i64) {
        self.uvar(((v << 1) ^ (v >> 63)) as u64);
    }

    fn bytes(&mut self, b: &[u8]) {
        self.uvar(b.len() as u64);
        self.out.extend_from_slice(b);
    }

    fn strs(&mut self, items: &[Box<str>]) {
        self.uvar(items.len() as u64);
        for s in items {
            self.bytes(s.as_bytes());
        }
    }

    fn code(&mut self, u: &CodeUnit) {
        // Every field, by name: adding one to CodeUnit breaks this
        // pattern, which is the reminder to extend the format.
        let CodeUnit {
            name,
            qualname,
            filename,
            firstlineno,
            argcount,
            posonlyargcount,
            kwonlyargcount,
            flags,
            code,
            consts,
            names,
            varnames,
            cellvars,
            freevars,
            locations,
            exception_table,
            max_stack,
        } = u;
        self.bytes(name.as_bytes());
        self.bytes(qualname.as_bytes());
        self.bytes(filename.as_bytes());
        for v in [*firstlineno, *argcount, *posonlyargcount, *kwonlyargcount, *flags, *max_stack] {
            self.uvar(v as u64);
        }
        self.uvar(code.len() as u64);
        for w in code {
            self.out.extend_from_slice(&w.to_le_bytes());
        }
        self.uvar(consts.len() as u64);
        for c in consts {
            self.constant(c);
        }
        self.strs(names);
        self.strs(varnames);
        self.strs(cellvars);
        self.strs(freevars);
        // Locations: the line as a delta from the previous word's, the
        // end line as a delta from the line (both usually 0).
        self.uvar(locations.len() as u64);
        let mut prev = 0i64;
        for &Location { lineno, end_lineno, col, end_col } in locations {
            self.ivar(lineno as i64 - prev);
            self.ivar(end_lineno as i64 - lineno as i64);
            self.uvar(col as u64);
            self.uvar(end_col as u64);
            prev = lineno as i64;
        }
        self.uvar(exception_table.len() as u64);
        for &ExceptionEntry { start, end, target, depth } in exception_table {
            for v in [start, end, target, depth] {
                self.uvar(v as u64);
            }
        }
    }

    fn constant(&mut self, c: &Const) {
        match c {
            Const::None => self.out.push(0),
            Const::Bool(false) => self.out.push(1),
            Const::Bool(true) => self.out.push(2),
            Const::Ellipsis => self.out.push(3),
            Const::Int(IntValue::Small(v)) => {
                self.out.push(4);
                self.ivar(*v);
            }
            Const::Int(IntValue::Big(digits)) => {
                self.out.push(5);
                self.bytes(digits.as_bytes());
            }
            Const::Float(f) => {
                self.out.push(6);
                self.out.extend_from_slice(&f.to_le_bytes());
            }
            Const::Complex { real, imag } => {
                self.out.push(7);
                self.out.extend_from_slice(&real.to_le_bytes());
                self.out.extend_from_slice(&imag.to_le_bytes());
            }
            Const::Str(s) => {
                self.out.push(8);
                self.bytes(s.as_bytes());
            }
            Const::Bytes(b) => {
                self.out.push(9);
                self.bytes(b);
            }
            Const::Tuple(items) => {
                self.out.push(10);
                self.uvar(items.len() as u64);
                for i in items.iter() {
                    self.constant(i);
                }
            }
            Const::Code(u) => {
                self.out.push(11);
                self.code(u);
            }
        }
    }
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    depth: u32,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(n).ok_or(DecodeError::Truncated)?;
        let s = self.data.get(self.pos..end).ok_or(DecodeError::Truncated)?;
        self.pos = end;
        Ok(s)
    }

    fn byte(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1)?[0])
    }

    fn uvar(&mut self) -> Result<u64, DecodeError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= ((b & 0x7F) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(DecodeError::Malformed("varint too long"))
    }

    fn u32(&mut self) -> Result<u32, DecodeError> {
        u32::try_from(self.uvar()?).map_err(|_| DecodeError::Malformed("number out of range"))
    }

    fn ivar(&mut self) -> Result<i64, DecodeError> {
        let u = self.uvar()?;
        Ok((u >> 1) as i64 ^ -((u & 1) as i64))
    }

    /// A count of items each at least `min_size` bytes long: checked
    /// against the data left, so a damaged count cannot reserve memory.
    fn count(&mut self, min_size: usize) -> Result<usize, DecodeError> {
        let n = self.uvar()?;
        let left = (self.data.len() - self.pos) as u64;
        if n.saturating_mul(min_size.max(1) as u64) > left {
            return Err(DecodeError::Truncated);
        }
        Ok(n as usize)
    }

    fn bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let n = self.count(1)?;
        self.take(n)
    }

    fn string(&mut self) -> Result<Box<str>, DecodeError> {
        std::str::from_utf8(self.bytes()?).map(Into::into).map_err(|_| DecodeError::Malformed("invalid UTF-8"))
    }

    fn strs(&mut self) -> Result<Vec<Box<str>>, DecodeError> {
        let n = self.count(1)?;
        (0..n).map(|_| self.string()).collect()
    }

    fn f64(&mut self) -> Result<f64, DecodeError> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        Ok(f64::from_le_bytes(b))
    }

    fn code(&mut self) -> Result<CodeUnit, DecodeError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(DecodeError::Malformed("nested too deeply"));
        }
        let name = self.string()?;
        let qualname = self.string()?;
        let filename = self.string()?;
        let firstlineno = self.u32()?;
        let argcount = self.u32()?;
        let posonlyargcount = self.u32()?;
        let kwonlyargcount = self.u32()?;
        let flags = self.u32()?;
        let max_stack = self.u32()?;
        let n = self.count(4)?;
        let words = self.take(n * 4)?;
        let code = words.chunks_exact(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).collect();
        let n = self.count(1)?;
        let consts = (0..n).map(|_| self.constant()).collect::<Result<_, _>>()?;
        let names = self.strs()?;
        let varnames = self.strs()?;
        let cellvars = self.strs()?;
        let freevars = self.strs()?;
        let n = self.count(4)?;
        let mut locations = Vec::with_capacity(n);
        let mut prev = 0i64;
        for _ in 0..n {
            let lineno = prev + self.ivar()?;
            let end_lineno = lineno + self.ivar()?;
            let line = |v: i64| u32::try_from(v).map_err(|_| DecodeError::Malformed("line out of range"));
            locations.push(Location { lineno: line(lineno)?, end_lineno: line(end_lineno)?, col: self.u32()?, end_col: self.u32()? });
            prev = lineno;
        }
        let n = self.count(4)?;
        let mut exception_table = Vec::with_capacity(n);
        for _ in 0..n {
            exception_table.push(ExceptionEntry { start: self.u32()?, end: self.u32()?, target: self.u32()?, depth: self.u32()? });
        }
        self.depth -= 1;
        let unit = CodeUnit {
            name,
            qualname,
            filename,
            firstlineno,
            argcount,
            posonlyargcount,
            kwonlyargcount,
            flags,
            code,
            consts,
            names,
            varnames,
            cellvars,
            freevars,
            locations,
            exception_table,
            max_stack,
        };
        validate(&unit).map_err(DecodeError::Malformed)?;
        Ok(unit)
    }

    fn constant(&mut self) -> Result<Const, DecodeError> {
        Ok(match self.byte()? {
            0 => Const::None,
            1 => Const::Bool(false),
            2 => Const::Bool(true),
            3 => Const::Ellipsis,
            4 => Const::Int(IntValue::Small(self.ivar()?)),
            5 => {
                let digits = self.bytes()?;
                if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                    return Err(DecodeError::Malformed("bad int digits"));
                }
                Const::Int(IntValue::Big(String::from_utf8_lossy(digits).into()))
            }
            6 => Const::Float(self.f64()?),
            7 => Const::Complex { real: self.f64()?, imag: self.f64()? },
            8 => {
                let b = self.bytes()?.to_vec();
                Const::Str(Wtf8Buf::from_wtf8_bytes(b).ok_or(DecodeError::Malformed("invalid string"))?)
            }
            9 => Const::Bytes(self.bytes()?.into()),
            10 => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(DecodeError::Malformed("nested too deeply"));
                }
                let n = self.count(1)?;
                let items = (0..n).map(|_| self.constant()).collect::<Result<Vec<_>, _>>()?;
                self.depth -= 1;
                Const::Tuple(items.into())
            }
            11 => Const::Code(Box::new(self.code()?)),
            _ => return Err(DecodeError::Malformed("unknown constant tag")),
        })
    }
}

/// Checks what the eval loop relies on: valid opcodes with their cache
/// words present, operands within the constant/name/variable tables, jump
/// targets and exception-table rows inside the code, one location per
/// word, parameters within the variables.
pub fn validate(u: &CodeUnit) -> Result<(), &'static str> {
    let len = u.code.len();
    if u.locations.len() != len {
        return Err("locations do not match the code");
    }
    let params = u.argcount as u64 + u.kwonlyargcount as u64 + u64::from(u.flags & 0x4 != 0) + u64::from(u.flags & 0x8 != 0);
    if params > u.varnames.len() as u64 || u.posonlyargcount > u.argcount {
        return Err("more parameters than variables");
    }
    let cells = u.cellvars.len() + u.freevars.len();
    let mut i = 0;
    while i < len {
        let (op, arg) = decode(u.code[i]);
        let Some(op) = op else { return Err("invalid opcode") };
        let arg = arg as usize;
        let ok = match op {
            Opcode::LoadConst | Opcode::MatchPattern => arg < u.consts.len(),
            Opcode::LoadFast | Opcode::StoreFast | Opcode::DeleteFast => arg < u.varnames.len(),
            Opcode::LoadGlobal
            | Opcode::StoreGlobal
            | Opcode::DeleteGlobal
            | Opcode::LoadName
            | Opcode::StoreName
            | Opcode::DeleteName
            | Opcode::LoadAttr
            | Opcode::StoreAttr
            | Opcode::DeleteAttr
            | Opcode::ImportName
            | Opcode::ImportFrom => arg < u.names.len(),
            Opcode::LoadDeref | Opcode::LoadClassDeref | Opcode::StoreDeref | Opcode::DeleteDeref | Opcode::LoadClosure => arg < cells,
            Opcode::Jump
            | Opcode::PopJumpIfFalse
            | Opcode::PopJumpIfTrue
            | Opcode::JumpIfFalseOrPop
            | Opcode::JumpIfTrueOrPop
            | Opcode::ForIter
            | Opcode::Send => arg < len,
            _ => true,
        };
        if !ok {
            return Err("operand out of range");
        }
        i += 1 + op.cache_words();
    }
    if i != len {
        return Err("code ends inside an instruction");
    }
    for e in &u.exception_table {
        if e.start > e.end || e.end as usize > len || e.target as usize >= len {
            return Err("exception table out of range");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(src: &str) -> CodeUnit {
        let m = taipan_parser::parse_module(src.as_bytes()).expect("parses");
        crate::codegen::compile_module(&m, "t.py").expect("compiles")
    }

    const SAMPLE: &str = "import os\nx = (1, 2.5, 3j, 'é\\udc80', b'\\x00', None, True, ..., 10**30)\n\
        def f(a, /, b=2, *c, d, **e):\n    def g():\n        return a + d\n    try:\n        return g()\n    except Exception as ex:\n        raise\n\
        class C:\n    y = [i for i in range(3)]\n";

    fn sample_cache() -> Vec<u8> {
        encode_cache(&compile(SAMPLE), CacheKey { flags: 0, key: 123, size: 45 })
    }

    #[test]
    fn round_trip() {
        let u = compile(SAMPLE);
        let mut b = Vec::new();
        encode_code(&u, &mut b);
        assert_eq!(decode_code(&b), Ok(u.clone()));
        let data = sample_cache();
        let (key, payload) = parse_cache(&data).expect("valid");
        assert_eq!(key, CacheKey { flags: 0, key: 123, size: 45 });
        assert_eq!(decode_code(payload), Ok(u));
    }

    #[test]
    fn truncated_files_are_rejected() {
        let data = sample_cache();
        for n in 0..data.len() {
            let r = parse_cache(&data[..n]).and_then(|(_, p)| decode_code(p));
            assert!(r.is_err(), "accepted a file cut at {n} of {}", data.len());
        }
    }

    #[test]
    fn corrupt_files_are_rejected() {
        let data = sample_cache();
        // Any single flipped bit in the magic, version, fingerprint or
        // payload is caught (the key fields are for the caller to compare).
        for i in (0..data.len()).filter(|i| !(16..40).contains(i)) {
            for bit in [0x01u8, 0x80] {
                let mut d = data.clone();
                d[i] ^= bit;
                assert!(parse_cache(&d).and_then(|(_, p)| decode_code(p)).is_err(), "accepted a flip at byte {i}");
            }
        }
        assert_eq!(parse_cache(b"\xa7\x0d\x0d\x0a\0\0\0\0"), Err(DecodeError::BadMagic), "CPython's .pyc");
        let mut d = data.clone();
        d[4] = d[4].wrapping_add(1);
        assert_eq!(parse_cache(&d), Err(DecodeError::Stale));
    }

    #[test]
    fn damaged_payloads_never_panic() {
        // Without the checksum's protection: every truncation and byte
        // change of the payload decodes to an error or a valid unit.
        let u = compile(SAMPLE);
        let mut b = Vec::new();
        encode_code(&u, &mut b);
        for n in 0..b.len() {
            assert!(decode_code(&b[..n]).is_err());
        }
        for i in 0..b.len() {
            for v in [0u8, 0x7F, 0x80, 0xFF] {
                let mut d = b.clone();
                d[i] = v;
                if let Ok(unit) = decode_code(&d) {
                    assert_eq!(validate(&unit), Ok(()));
                }
            }
        }
    }

    #[test]
    fn validate_rejects_bad_operands() {
        let mut u = compile("x = 1\n");
        u.code[0] = crate::bytecode::encode(Opcode::LoadConst, 99);
        assert!(validate(&u).is_err());
        let mut u = compile("x = 1\n");
        u.locations.pop();
        assert!(validate(&u).is_err());
        let mut u = compile("x = 1\n");
        u.code[0] = 0xFF;
        assert!(validate(&u).is_err());
    }

    /// Pins the layout of everything the format encodes: when this fails,
    /// update the encoding for the change, bump FORMAT_VERSION and then
    /// the numbers here. (Opcode changes need no bump: the compiler
    /// fingerprint in the header already makes older caches stale. A new
    /// field also breaks the exhaustive pattern in `Writer::code`.)
    #[test]
    fn layout_is_pinned() {
        use std::mem::size_of;
        let pin = (FORMAT_VERSION, size_of::<CodeUnit>(), size_of::<Const>(), size_of::<Location>(), size_of::<ExceptionEntry>());
        assert_eq!(pin, (1, 264, 24, 16, 16), "the code unit layout changed: update serial.rs and bump FORMAT_VERSION");
    }
}
