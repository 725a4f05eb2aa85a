//! The CJK codecs: CPython's `_codecs_jp`, `_codecs_cn`, `_codecs_kr`,
//! `_codecs_tw`, `_codecs_hk`, `_codecs_iso2022` (each a `getcodec(name)`
//! returning a `_multibytecodec.MultibyteCodec`) and `_multibytecodec`
//! itself (`multibytecodec.rs`: the codec object, incremental
//! encoder/decoder, stream reader/writer and the error-handler protocol).
//!
//! A codec here is a [`CjkCodec`]: a decoder that reads one sequence at a
//! time and an encoder that writes one character (or combining pair) at a
//! time, both with an 8-byte state (CPython's `MultibyteCodec_State`, which
//! `getstate()` exposes). The table-driven codecs share one engine
//! ([`TableCodec`]) over the generated tables of `tables/` (see
//! `tools/gen_cjk_tables.py`): each codec tries an ordered list of layers,
//! its own extension table then the shared 94x94 character sets reached
//! through a coordinate transform; encoding inverts the decoding (first
//! byte sequence wins) with a generated list of exceptions. HZ and the
//! ISO-2022 family (`iso2022.rs`) are state machines over the same sets.

pub mod iso2022;
pub mod multibytecodec;
mod tables;

use std::collections::HashMap;
use std::sync::OnceLock;

use taipan_vm::modules::add_functions;
use taipan_vm::native::{exact, FunctionDef};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::StrData;
use taipan_vm::types::Kwargs;
use taipan_vm::{PyResult, Vm};

pub use tables::codecs::{EUCKR_CHO, EUCKR_JONG, GB18030_RANGES};

/// CPython's `MultibyteCodec_State`: 8 bytes a codec may use freely.
pub type State = [u8; 8];

/// One decoding step.
#[derive(Debug, PartialEq, Eq)]
pub enum Dec {
    /// `consumed` bytes gave these characters (0, 1 or 2 of them).
    Out(usize, [u32; 2], u8),
    /// An illegal sequence of this many bytes.
    Illegal(usize),
    /// The input ends inside a sequence.
    TooFew,
}

/// One encoding step.
#[derive(Debug, PartialEq, Eq)]
pub enum Enc {
    /// This many characters were encoded.
    Done(usize),
    /// This many characters cannot be encoded.
    Illegal(usize),
    /// More characters are needed to decide (only when not flushing).
    TooFew,
}

fn one(n: usize, c: u32) -> Dec {
    Dec::Out(n, [c, 0], 1)
}

pub trait CjkCodec: Sync {
    fn name(&self) -> &'static str;
    /// The encoder's initial state.
    fn init(&self) -> State {
        [0; 8]
    }
    /// The decoder's initial state.
    fn dec_init(&self) -> State {
        self.init()
    }
    fn decode(&self, st: &mut State, input: &[u8]) -> Dec;
    /// Encodes from `input[0]`; `flush` when no more text follows.
    fn encode(&self, st: &mut State, input: &[u32], flush: bool, out: &mut Vec<u8>) -> Enc;
    /// Whether the codec has an encoder reset (returning to the initial
    /// shift state); `enc_reset` writes it.
    fn has_reset(&self) -> bool {
        false
    }
    fn enc_reset(&self, _st: &mut State, _out: &mut Vec<u8>) {}
    /// The decoder's reset.
    fn dec_reset(&self, st: &mut State) {
        *st = self.dec_init();
    }
}

// ------------------------------------------------------------------ tables

const WIDE: u16 = 0xD800;
const PAIR: u16 = 0xD801;
const LEAD: u16 = 0xDFFD;
const ILL2: u16 = 0xDFFE;
const ILL1: u16 = 0xDFFF;
const NONE32: u32 = 0xFFFF_FFFF;

/// A generated double-byte table (see the generator's docstring).
pub struct Table {
    /// `(lead, first trail, last trail, offset into data)`, sorted by lead.
    pub rows: &'static [(u8, u8, u8, u32)],
    pub data: &'static [u16],
    /// Non-BMP values: `(code, code point)`, sorted by code.
    pub wide: &'static [(u16, u32)],
    /// Two-character values: `(code, first, second)`, sorted by code.
    pub pairs: &'static [(u16, u32, u32)],
}

/// What a table (or a chain of layers) holds for a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    Char(u32),
    Pair(u32, u32),
    Illegal(usize),
}

impl Table {
    fn raw(&self, c1: u8, c2: u8) -> u16 {
        let Ok(i) = self.rows.binary_search_by_key(&c1, |r| r.0) else { return 0 };
        let (_, lo, hi, off) = self.rows[i];
        if c2 < lo || c2 > hi {
            return 0;
        }
        self.data.get(off as usize + (c2 - lo) as usize).copied().unwrap_or(0)
    }

    /// The entry for `(c1, c2)`, or None (not in this table).
    pub fn get(&self, c1: u8, c2: u8) -> Option<Hit> {
        let code = u16::from(c1) << 8 | u16::from(c2);
        match self.raw(c1, c2) {
            0 => None,
            ILL1 => Some(Hit::Illegal(1)),
            ILL2 => Some(Hit::Illegal(2)),
            WIDE => self.wide.binary_search_by_key(&code, |w| w.0).ok().map(|i| Hit::Char(self.wide[i].1)),
            PAIR => self.pairs.binary_search_by_key(&code, |p| p.0).ok().map(|i| Hit::Pair(self.pairs[i].1, self.pairs[i].2)),
            v => Some(Hit::Char(u32::from(v))),
        }
    }
}

/// How a codec's bytes become a table's coordinates.
#[derive(Clone, Copy)]
pub enum Tr {
    Id,
    /// Both bytes 0xA1..0xFE, high bit dropped.
    Euc,
    /// Shift JIS lead/trail to JIS row/column.
    Sjis,
}

impl Tr {
    fn apply(self, c1: u8, c2: u8) -> Option<(u8, u8)> {
        match self {
            Tr::Id => Some((c1, c2)),
            Tr::Euc => ((0xA1..=0xFE).contains(&c1) && (0xA1..=0xFE).contains(&c2)).then_some((c1 & 0x7F, c2 & 0x7F)),
            Tr::Sjis => {
                let r = match c1 {
                    0x81..=0x9F => c1 - 0x81,
                    0xE0..=0xEF => c1 - 0xC1,
                    _ => return None,
                };
                let t = match c2 {
                    0x40..=0x7E => c2 - 0x40,
                    0x80..=0xFC => c2 - 0x41,
                    _ => return None,
                };
                let (row, col) = if t >= 0x5E { (2 * r + 1, t - 0x5E) } else { (2 * r, t) };
                Some((row + 0x21, col + 0x21))
            }
        }
    }
}

/// Looks `(c1, c2)` up through the layers in order.
pub fn lookup(layers: &[(&Table, Tr)], c1: u8, c2: u8) -> Option<Hit> {
    for (t, tr) in layers {
        if let Some((a, b)) = tr.apply(c1, c2) {
            if let Some(h) = t.get(a, b) {
                return Some(h);
            }
        }
    }
    None
}

/// The generated data of one table-driven codec.
pub struct CodecTables {
    pub name: &'static str,
    /// Per byte: the character, LEAD (a multi-byte sequence starts) or ILL1.
    pub single: &'static [u16],
    pub layers: &'static [(&'static Table, Tr)],
    /// For the 0x8F-prefixed triple bytes of the EUC-JP family.
    pub layers3: &'static [(&'static Table, Tr)],
    /// `(code point, code)`: encoding exceptions; code NONE32 = unencodable.
    pub enc_over: &'static [(u32, u32)],
    /// `(first, second, code)`: combining pairs with their own code.
    pub enc_pairs: &'static [(u32, u32, u32)],
}

/// The structural extras of a table codec.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Plain,
    /// 0x8F + two bytes (EUC-JP, EUC-JIS-2004).
    Euc3,
    /// Four-byte sequences.
    Gb18030,
    /// KS X 1001:1998 Annex 3 make-up sequences (0xA4D4 + 3 jamo).
    EucKr,
}

/// A stateless table-driven codec.
pub struct TableCodec {
    pub t: &'static CodecTables,
    pub kind: Kind,
    enc: OnceLock<HashMap<u32, u32>>,
}

impl TableCodec {
    const fn new(t: &'static CodecTables, kind: Kind) -> TableCodec {
        TableCodec { t, kind, enc: OnceLock::new() }
    }

    /// Decodes the sequence at the start of `inp` (stateless).
    pub fn decode_seq(&self, inp: &[u8]) -> Dec {
        let c = inp[0];
        let s = self.t.single.get(c as usize).copied().unwrap_or(ILL1);
        if s == ILL1 {
            return Dec::Illegal(1);
        }
        if s != LEAD {
            return one(1, u32::from(s));
        }
        let Some(&c2) = inp.get(1) else { return Dec::TooFew };
        match self.kind {
            Kind::Euc3 if c == 0x8F => {
                let Some(&c3) = inp.get(2) else { return Dec::TooFew };
                return hit_to_dec(lookup(self.t.layers3, c2, c3), 3);
            }
            Kind::Gb18030 if (0x30..=0x39).contains(&c2) => return gb18030_four(inp),
            Kind::EucKr if c == 0xA4 && c2 == 0xD4 => return euckr_makeup(inp),
            _ => {}
        }
        hit_to_dec(lookup(self.t.layers, c, c2), 2)
    }

    /// Code point -> code, built on first use from the decoding.
    fn enc_map(&self) -> &HashMap<u32, u32> {
        self.enc.get_or_init(|| {
            let mut m: HashMap<u32, u32> = HashMap::new();
            for b in 0..=255u8 {
                let s = self.t.single[b as usize];
                if s != LEAD && s != ILL1 {
                    m.entry(u32::from(s)).or_insert(u32::from(b));
                }
            }
            for c1 in 0..=255u8 {
                if self.t.single[c1 as usize] != LEAD {
                    continue;
                }
                for c2 in 0..=255u8 {
                    if let Dec::Out(2, [ch, _], 1) = self.decode_seq(&[c1, c2]) {
                        m.entry(ch).or_insert(u32::from(c1) << 8 | u32::from(c2));
                    }
                }
            }
            if self.kind == Kind::Euc3 {
                for c2 in 0..=255u8 {
                    for c3 in 0..=255u8 {
                        if let Some(Hit::Char(ch)) = lookup(self.t.layers3, c2, c3) {
                            m.entry(ch).or_insert(0x8F_0000 | u32::from(c2) << 8 | u32::from(c3));
                        }
                    }
                }
            }
            for &(cp, code) in self.t.enc_over {
                if code == NONE32 {
                    m.remove(&cp);
                } else {
                    m.insert(cp, code);
                }
            }
            m
        })
    }

    /// The code of one character, if any.
    pub fn encode_char(&self, c: u32) -> Option<u32> {
        self.enc_map().get(&c).copied()
    }
}

fn hit_to_dec(h: Option<Hit>, n: usize) -> Dec {
    match h {
        Some(Hit::Char(c)) => one(n, c),
        Some(Hit::Pair(a, b)) => Dec::Out(n, [a, b], 2),
        Some(Hit::Illegal(k)) => Dec::Illegal(k),
        None => Dec::Illegal(1),
    }
}

/// Appends a code of 1 to 4 bytes.
fn push_code(out: &mut Vec<u8>, code: u32) {
    let bytes = code.to_be_bytes();
    let skip = if code > 0xFF_FFFF {
        0
    } else if code > 0xFFFF {
        1
    } else if code > 0xFF {
        2
    } else {
        3
    };
    out.extend_from_slice(&bytes[skip..]);
}

/// GB 18030 four-byte sequences: the BMP ranges and the linear non-BMP area.
fn gb18030_four(inp: &[u8]) -> Dec {
    if inp.len() < 4 {
        return Dec::TooFew;
    }
    let (c1, c2, c3, c4) = (inp[0], inp[1], inp[2], inp[3]);
    if !(0x81..=0xFE).contains(&c1) || !(0x81..=0xFE).contains(&c3) || !(0x30..=0x39).contains(&c4) {
        return Dec::Illegal(1);
    }
    let idx = (((u32::from(c1) - 0x81) * 10 + (u32::from(c2) - 0x30)) * 126 + (u32::from(c3) - 0x81)) * 10 + (u32::from(c4) - 0x30);
    if c1 < 0x90 {
        if idx >= 39420 {
            return Dec::Illegal(1);
        }
        let i = GB18030_RANGES.partition_point(|r| r.0 <= idx) - 1;
        let (start, cp) = GB18030_RANGES[i];
        return one(4, cp + (idx - start));
    }
    let cp = 0x10000 + idx - 189000;
    if cp > 0x10FFFF {
        return Dec::Illegal(1);
    }
    one(4, cp)
}

fn gb18030_four_encode(c: u32) -> Option<u32> {
    let idx = if c >= 0x10000 {
        c - 0x10000 + 189000
    } else {
        let i = GB18030_RANGES.partition_point(|r| r.1 <= c).checked_sub(1)?;
        let (start, cp) = GB18030_RANGES[i];
        let next = GB18030_RANGES.get(i + 1).map_or(39420, |r| r.0);
        let idx = start + (c - cp);
        if idx >= next {
            return None;
        }
        idx
    };
    let b4 = idx % 10;
    let b3 = idx / 10 % 126;
    let b2 = idx / 1260 % 10;
    let b1 = idx / 12600;
    Some((0x81 + b1) << 24 | (0x30 + b2) << 16 | (0x81 + b3) << 8 | (0x30 + b4))
}

fn euckr_makeup(inp: &[u8]) -> Dec {
    if inp.len() < 8 {
        return Dec::TooFew;
    }
    if inp[2] != 0xA4 || inp[4] != 0xA4 || inp[6] != 0xA4 {
        return Dec::Illegal(1);
    }
    let jamo = |t: &[u8; 30], c: u8| if (0xA1..=0xBE).contains(&c) { t[(c - 0xA1) as usize] } else { 255 };
    let cho = jamo(&EUCKR_CHO, inp[3]);
    let jung = if (0xBF..=0xD3).contains(&inp[5]) { inp[5] - 0xBF } else { 255 };
    let jong = if inp[7] == 0xD4 { 0 } else { jamo(&EUCKR_JONG, inp[7]) };
    if cho == 255 || jung == 255 || jong == 255 {
        return Dec::Illegal(1);
    }
    one(8, 0xAC00 + u32::from(cho) * 588 + u32::from(jung) * 28 + u32::from(jong))
}

fn euckr_makeup_encode(c: u32, out: &mut Vec<u8>) -> bool {
    if !(0xAC00..=0xD7A3).contains(&c) {
        return false;
    }
    let s = c - 0xAC00;
    let (cho, jung, jong) = ((s / 588) as u8, (s / 28 % 21) as u8, (s % 28) as u8);
    let Some(ci) = EUCKR_CHO.iter().position(|&x| x == cho) else { return false };
    let jb = if jong == 0 {
        0xD4
    } else {
        match EUCKR_JONG.iter().position(|&x| x == jong) {
            Some(j) => 0xA1 + j as u8,
            None => return false,
        }
    };
    out.extend_from_slice(&[0xA4, 0xD4, 0xA4, 0xA1 + ci as u8, 0xA4, 0xBF + jung, 0xA4, jb]);
    true
}

impl CjkCodec for TableCodec {
    fn name(&self) -> &'static str {
        self.t.name
    }

    fn decode(&self, _st: &mut State, input: &[u8]) -> Dec {
        self.decode_seq(input)
    }

    fn encode(&self, _st: &mut State, input: &[u32], flush: bool, out: &mut Vec<u8>) -> Enc {
        let c = input[0];
        if self.t.enc_pairs.iter().any(|p| p.0 == c) {
            match input.get(1) {
                Some(&d) => {
                    if let Some(p) = self.t.enc_pairs.iter().find(|p| p.0 == c && p.1 == d) {
                        push_code(out, p.2);
                        return Enc::Done(2);
                    }
                }
                None if !flush => return Enc::TooFew,
                None => {}
            }
        }
        if let Some(code) = self.encode_char(c) {
            push_code(out, code);
            return Enc::Done(1);
        }
        match self.kind {
            Kind::Gb18030 => {
                if let Some(code) = gb18030_four_encode(c) {
                    push_code(out, code);
                    return Enc::Done(1);
                }
            }
            Kind::EucKr if euckr_makeup_encode(c, out) => return Enc::Done(1),
            _ => {}
        }
        Enc::Illegal(1)
    }
}

use tables::codecs as tc;

pub static SHIFT_JIS: TableCodec = TableCodec::new(&tc::CODEC_SHIFT_JIS, Kind::Plain);
pub static CP932: TableCodec = TableCodec::new(&tc::CODEC_CP932, Kind::Plain);
pub static EUC_JP: TableCodec = TableCodec::new(&tc::CODEC_EUC_JP, Kind::Euc3);
pub static SHIFT_JIS_2004: TableCodec = TableCodec::new(&tc::CODEC_SHIFT_JIS_2004, Kind::Plain);
pub static SHIFT_JISX0213: TableCodec = TableCodec::new(&tc::CODEC_SHIFT_JISX0213, Kind::Plain);
pub static EUC_JIS_2004: TableCodec = TableCodec::new(&tc::CODEC_EUC_JIS_2004, Kind::Euc3);
pub static EUC_JISX0213: TableCodec = TableCodec::new(&tc::CODEC_EUC_JISX0213, Kind::Euc3);
pub static GB2312: TableCodec = TableCodec::new(&tc::CODEC_GB2312, Kind::Plain);
pub static GBK: TableCodec = TableCodec::new(&tc::CODEC_GBK, Kind::Plain);
pub static GB18030: TableCodec = TableCodec::new(&tc::CODEC_GB18030, Kind::Gb18030);
pub static EUC_KR: TableCodec = TableCodec::new(&tc::CODEC_EUC_KR, Kind::EucKr);
pub static CP949: TableCodec = TableCodec::new(&tc::CODEC_CP949, Kind::Plain);
pub static JOHAB: TableCodec = TableCodec::new(&tc::CODEC_JOHAB, Kind::Plain);
pub static BIG5: TableCodec = TableCodec::new(&tc::CODEC_BIG5, Kind::Plain);
pub static CP950: TableCodec = TableCodec::new(&tc::CODEC_CP950, Kind::Plain);
pub static BIG5HKSCS: TableCodec = TableCodec::new(&tc::CODEC_BIG5HKSCS, Kind::Plain);

// ---------------------------------------------------------------------- HZ

/// HZ (RFC 1843): `~{` GB 2312 in 7 bits `~}`; state byte 0 = GB mode.
pub struct Hz;

pub static HZ: Hz = Hz;

impl CjkCodec for Hz {
    fn name(&self) -> &'static str {
        "hz"
    }

    fn decode(&self, st: &mut State, inp: &[u8]) -> Dec {
        let c = inp[0];
        if c == b'~' {
            let Some(&c2) = inp.get(1) else { return Dec::TooFew };
            return match (c2, st[0]) {
                (b'~', 0) => one(2, u32::from(b'~')),
                (b'{', 0) => {
                    st[0] = 1;
                    Dec::Out(2, [0, 0], 0)
                }
                (b'\n', 0) => Dec::Out(2, [0, 0], 0),
                (b'}', 1) => {
                    st[0] = 0;
                    Dec::Out(2, [0, 0], 0)
                }
                _ => Dec::Illegal(1),
            };
        }
        if c & 0x80 != 0 {
            return Dec::Illegal(1);
        }
        if st[0] == 0 {
            return one(1, u32::from(c));
        }
        let Some(&c2) = inp.get(1) else { return Dec::TooFew };
        match lookup(tc::CODEC_GB2312.layers, c | 0x80, c2 | 0x80) {
            Some(Hit::Char(ch)) if c2 & 0x80 == 0 => one(2, ch),
            _ => Dec::Illegal(1),
        }
    }

    fn encode(&self, st: &mut State, input: &[u32], _flush: bool, out: &mut Vec<u8>) -> Enc {
        let c = input[0];
        if c < 0x80 {
            if st[0] != 0 {
                out.extend_from_slice(b"~}");
                st[0] = 0;
            }
            out.push(c as u8);
            if c == u32::from(b'~') {
                out.push(b'~');
            }
            return Enc::Done(1);
        }
        match GB2312.encode_char(c) {
            Some(code) if (0x8080..=0xFFFF).contains(&code) && code & 0x8080 == 0x8080 => {
                if st[0] == 0 {
                    out.extend_from_slice(b"~{");
                    st[0] = 1;
                }
                out.extend_from_slice(&[((code >> 8) & 0x7F) as u8, (code & 0x7F) as u8]);
                Enc::Done(1)
            }
            _ => Enc::Illegal(1),
        }
    }

    fn has_reset(&self) -> bool {
        true
    }

    fn enc_reset(&self, st: &mut State, out: &mut Vec<u8>) {
        if st[0] != 0 {
            out.extend_from_slice(b"~}");
            st[0] = 0;
        }
    }
}

// ----------------------------------------------------------------- modules

type CodecList = &'static [(&'static str, &'static dyn CjkCodec)];

static JP: CodecList = &[
    ("shift_jis", &SHIFT_JIS),
    ("cp932", &CP932),
    ("euc_jp", &EUC_JP),
    ("shift_jis_2004", &SHIFT_JIS_2004),
    ("shift_jisx0213", &SHIFT_JISX0213),
    ("euc_jis_2004", &EUC_JIS_2004),
    ("euc_jisx0213", &EUC_JISX0213),
];
static CN: CodecList = &[("gb2312", &GB2312), ("gbk", &GBK), ("gb18030", &GB18030), ("hz", &HZ)];
static KR: CodecList = &[("euc_kr", &EUC_KR), ("cp949", &CP949), ("johab", &JOHAB)];
static TW: CodecList = &[("big5", &BIG5), ("cp950", &CP950)];
static HK: CodecList = &[("big5hkscs", &BIG5HKSCS)];

/// The codecs each `_codecs_XX` module offers, by CPython's names.
fn codecs_of(module: &str) -> CodecList {
    match module {
        "_codecs_jp" => JP,
        "_codecs_cn" => CN,
        "_codecs_kr" => KR,
        "_codecs_tw" => TW,
        "_codecs_hk" => HK,
        "_codecs_iso2022" => iso2022::CODECS,
        _ => &[],
    }
}

fn getcodec_in(vm: &Vm, module: &str, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [name] = exact::<1>(vm, "getcodec", args, kw)?;
    let Some(s) = name.downcast::<StrData>() else {
        return Err(vm.type_error("encoding name must be a string."));
    };
    let name = s.as_str();
    match codecs_of(module).iter().find(|(n, _)| *n == name) {
        Some((_, c)) => Ok(multibytecodec::new_codec_object(vm, *c)),
        None => Err(vm.new_error(&vm.types.lookup_error, "no such codec is supported.")),
    }
}

macro_rules! codec_module {
    ($init:ident, $name:literal) => {
        pub fn $init(vm: &Vm, m: &Obj) -> PyResult<()> {
            static FUNCS: &[FunctionDef] = &[FunctionDef::new("getcodec", |vm, args, kw| getcodec_in(vm, $name, args, kw), "")];
            add_functions(vm, m, FUNCS)
        }
    };
}

codec_module!(init_jp, "_codecs_jp");
codec_module!(init_cn, "_codecs_cn");
codec_module!(init_kr, "_codecs_kr");
codec_module!(init_tw, "_codecs_tw");
codec_module!(init_hk, "_codecs_hk");
codec_module!(init_iso2022, "_codecs_iso2022");

#[cfg(test)]
mod tests {
    use super::*;

    fn dec_all(c: &dyn CjkCodec, b: &[u8]) -> Vec<u32> {
        let mut st = c.init();
        let mut i = 0;
        let mut out = vec![];
        while i < b.len() {
            match c.decode(&mut st, &b[i..]) {
                Dec::Out(n, cs, k) => {
                    out.extend_from_slice(&cs[..k as usize]);
                    i += n;
                }
                d => panic!("{d:?} at {i}"),
            }
        }
        out
    }

    #[test]
    fn sjis_and_euc_share_jisx0208() {
        assert_eq!(dec_all(&SHIFT_JIS, b"\x82\xa0a"), vec![0x3042, 0x61]);
        assert_eq!(dec_all(&EUC_JP, b"\xa4\xa2"), vec![0x3042]);
        let mut o = vec![];
        assert_eq!(SHIFT_JIS.encode(&mut [0; 8], &[0x3042], true, &mut o), Enc::Done(1));
        assert_eq!(o, b"\x82\xa0");
    }

    #[test]
    fn gb18030_four_bytes_round_trip() {
        for c in [0x80u32, 0x452, 0xFFFF, 0x10000, 0x10FFFF] {
            let code = gb18030_four_encode(c).unwrap();
            assert_eq!(gb18030_four(&code.to_be_bytes()), one(4, c));
        }
    }
}
