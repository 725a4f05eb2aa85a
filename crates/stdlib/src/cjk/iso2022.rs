//! `_codecs_iso2022`: the ISO-2022 family (iso2022_kr, iso2022_jp, _1, _2,
//! _2004, _3, _ext). Escape sequences designate character sets into G0/G1
//! (G2 with single shift `ESC N` for iso2022_jp_2); SO/SI switch to G1 for
//! iso2022_kr. The state bytes follow CPython's layout, which `getstate()`
//! shows: `c[0..3]` = the mark of the set in G0..G3 (0x80 = double byte),
//! `c[4]` = flags (1 = shifted to G1, 2 = passing a foreign escape through).
//!
//! The sets decode with the shared generated tables (`tables::charsets`);
//! they encode through the verified maps of the EUC codecs of the same
//! sets (a two-byte EUC code with both bytes >= 0xA1 is the set's code with
//! the high bits set; 0x8F-prefixed codes are JIS X 0212 / JIS X 0213
//! plane 2).

use super::tables::charsets as cs;
use super::{lookup, one, CjkCodec, Dec, Enc, Hit, State, Table, TableCodec, Tr};

const ESC: u8 = 0x1B;
const SO: u8 = 0x0E;
const SI: u8 = 0x0F;
const LF: u8 = 0x0A;
const DBCS: u8 = 0x80;
const ASCII: u8 = b'B';
const F_SHIFTED: u8 = 1;
const F_ESCTHROUGHOUT: u8 = 2;

const NO_SHIFT: u8 = 1;
const USE_G2: u8 = 2;
const USE_JISX0208_EXT: u8 = 4;

/// The character sets of the family.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Set {
    Ksx1001,
    Jisx0208,
    Jisx0212,
    Gb2312,
    Jisx0201R,
    Jisx0201K,
    /// JIS X 0213 plane 1 (2004 or 2000), whole or only its combining pairs.
    J13Plane1 {
        y2000: bool,
        pair_only: bool,
    },
    J13Plane2 {
        y2000: bool,
    },
    /// G2 sets of iso2022_jp_2 (decoded by `ESC N`, never encoded).
    Iso8859_1,
    Iso8859_7,
}

struct Designation {
    mark: u8,
    plane: u8,
    width: usize,
    set: Set,
}

const fn d(mark: u8, plane: u8, width: usize, set: Set) -> Designation {
    Designation { mark, plane, width, set }
}

const KSX1001_G0: Designation = d(b'C' | DBCS, 0, 2, Set::Ksx1001);
const KSX1001_G1: Designation = d(b'C' | DBCS, 1, 2, Set::Ksx1001);
const JISX0201_R: Designation = d(b'J', 0, 1, Set::Jisx0201R);
const JISX0201_K: Designation = d(b'I', 0, 1, Set::Jisx0201K);
const JISX0208: Designation = d(b'B' | DBCS, 0, 2, Set::Jisx0208);
const JISX0208_O: Designation = d(b'@' | DBCS, 0, 2, Set::Jisx0208);
const JISX0212: Designation = d(b'D' | DBCS, 0, 2, Set::Jisx0212);
const GB2312: Designation = d(b'A' | DBCS, 0, 2, Set::Gb2312);
const ISO8859_1: Designation = d(b'A', 2, 1, Set::Iso8859_1);
const ISO8859_7: Designation = d(b'F', 2, 1, Set::Iso8859_7);
const fn j13_1(mark: u8, y2000: bool, pair_only: bool) -> Designation {
    d(mark | DBCS, 0, 2, Set::J13Plane1 { y2000, pair_only })
}
const J13_2004_2: Designation = d(b'P' | DBCS, 0, 2, Set::J13Plane2 { y2000: false });
const J13_2000_2: Designation = d(b'P' | DBCS, 0, 2, Set::J13Plane2 { y2000: true });

pub struct Iso2022 {
    name: &'static str,
    flags: u8,
    designations: &'static [Designation],
}

pub static ISO2022_KR: Iso2022 = Iso2022 { name: "iso2022_kr", flags: 0, designations: &[KSX1001_G1] };
pub static ISO2022_JP: Iso2022 =
    Iso2022 { name: "iso2022_jp", flags: NO_SHIFT | USE_JISX0208_EXT, designations: &[JISX0208, JISX0201_R, JISX0208_O] };
pub static ISO2022_JP_1: Iso2022 =
    Iso2022 { name: "iso2022_jp_1", flags: NO_SHIFT | USE_JISX0208_EXT, designations: &[JISX0208, JISX0212, JISX0201_R, JISX0208_O] };
pub static ISO2022_JP_2: Iso2022 = Iso2022 {
    name: "iso2022_jp_2",
    flags: NO_SHIFT | USE_G2 | USE_JISX0208_EXT,
    designations: &[JISX0208, JISX0212, KSX1001_G0, GB2312, JISX0201_R, JISX0208_O, ISO8859_1, ISO8859_7],
};
pub static ISO2022_JP_2004: Iso2022 = Iso2022 {
    name: "iso2022_jp_2004",
    flags: NO_SHIFT | USE_JISX0208_EXT,
    designations: &[j13_1(b'Q', false, true), JISX0208, j13_1(b'Q', false, false), J13_2004_2],
};
pub static ISO2022_JP_3: Iso2022 = Iso2022 {
    name: "iso2022_jp_3",
    flags: NO_SHIFT | USE_JISX0208_EXT,
    designations: &[j13_1(b'O', true, true), JISX0208, j13_1(b'O', true, false), J13_2000_2],
};
pub static ISO2022_JP_EXT: Iso2022 = Iso2022 {
    name: "iso2022_jp_ext",
    flags: NO_SHIFT | USE_JISX0208_EXT,
    designations: &[JISX0208, JISX0212, JISX0201_R, JISX0201_K, JISX0208_O],
};

pub static CODECS: &[(&str, &dyn CjkCodec)] = &[
    ("iso2022_kr", &ISO2022_KR),
    ("iso2022_jp", &ISO2022_JP),
    ("iso2022_jp_1", &ISO2022_JP_1),
    ("iso2022_jp_2", &ISO2022_JP_2),
    ("iso2022_jp_2004", &ISO2022_JP_2004),
    ("iso2022_jp_3", &ISO2022_JP_3),
    ("iso2022_jp_ext", &ISO2022_JP_EXT),
];

fn is_escend(c: u8) -> bool {
    c.is_ascii_uppercase() || c == b'@'
}

fn is_iso2022esc(c: u8) -> bool {
    matches!(c, b'(' | b')' | b'$' | b'.' | b'&')
}

fn iso8859_7(c: u8) -> Option<u32> {
    let c32 = u32::from(c);
    if c < 0xA0 || (c < 0xC0 && (0x288F_3BC9u32 >> (c - 0xA0)) & 1 != 0) {
        Some(c32)
    } else if (0xB4..=0xFE).contains(&c) && (c >= 0xD4 || (0xBFFF_FD77u32 >> (c - 0xB4)) & 1 != 0) {
        Some(0x02D0 + c32)
    } else {
        match c {
            0xA1 => Some(0x2018),
            0xA2 => Some(0x2019),
            0xAF => Some(0x2015),
            _ => None,
        }
    }
}

/// A set's decoding of one code (7-bit bytes).
fn set_decode(set: Set, b: &[u8]) -> Option<Hit> {
    let layers: &[(&Table, Tr)] = match set {
        Set::Ksx1001 => &[(&cs::KSX1001, Tr::Id)],
        Set::Jisx0208 => &[(&cs::JISX0208, Tr::Id)],
        Set::Jisx0212 => &[(&cs::JISX0212, Tr::Id)],
        Set::Gb2312 => &[(&cs::GB2312, Tr::Id)],
        Set::J13Plane1 { y2000: false, .. } => &[(&cs::JISX0213_1, Tr::Id), (&cs::JISX0208, Tr::Id)],
        Set::J13Plane1 { y2000: true, .. } => &[(&cs::JISX0213_2000_1, Tr::Id), (&cs::JISX0213_1, Tr::Id), (&cs::JISX0208, Tr::Id)],
        Set::J13Plane2 { y2000: false } => &[(&cs::JISX0213_2, Tr::Id)],
        Set::J13Plane2 { y2000: true } => &[(&cs::JISX0213_2000_2, Tr::Id), (&cs::JISX0213_2, Tr::Id)],
        Set::Jisx0201R => {
            return Some(Hit::Char(match b[0] {
                0x5C => 0xA5,
                0x7E => 0x203E,
                c if c < 0x80 => u32::from(c),
                _ => return None,
            }))
        }
        Set::Jisx0201K => {
            let c = b[0] ^ 0x80;
            return (0xA1..=0xDF).contains(&c).then(|| Hit::Char(0xFEC0 + u32::from(c)));
        }
        Set::Iso8859_1 | Set::Iso8859_7 => return None,
    };
    match lookup(layers, b[0], b[1]) {
        Some(h @ (Hit::Char(_) | Hit::Pair(..))) => Some(h),
        _ => None,
    }
}

/// The EUC codec whose map encodes a set.
fn euc_of(set: Set) -> Option<&'static TableCodec> {
    Some(match set {
        Set::Ksx1001 => &super::EUC_KR,
        Set::Jisx0208 | Set::Jisx0212 => &super::EUC_JP,
        Set::Gb2312 => &super::GB2312,
        Set::J13Plane1 { y2000: false, .. } | Set::J13Plane2 { y2000: false } => &super::EUC_JIS_2004,
        Set::J13Plane1 { y2000: true, .. } | Set::J13Plane2 { y2000: true } => &super::EUC_JISX0213,
        _ => return None,
    })
}

/// The two-byte code of `c` in a set (no pairs).
fn set_encode_one(set: Set, c: u32) -> Option<u32> {
    match set {
        Set::Jisx0201R => {
            return match c {
                0xA5 => Some(0x5C),
                0x203E => Some(0x7E),
                c if c < 0x80 && c != 0x5C && c != 0x7E => Some(c),
                _ => None,
            }
        }
        Set::Jisx0201K => return (0xFF61..=0xFF9F).contains(&c).then(|| c - 0xFEC0 - 0x80),
        Set::Iso8859_1 | Set::Iso8859_7 => return None,
        Set::Jisx0208 if c == 0xFF3C => return Some(0x2140),
        _ => {}
    }
    let code = euc_of(set)?.encode_char(c)?;
    let two = (0xA1A1..=0xFEFE).contains(&code) && code & 0xFF >= 0xA1;
    let three = code >> 16 == 0x8F && (code >> 8 & 0xFF) >= 0xA1 && code & 0xFF >= 0xA1;
    let plane2 = matches!(set, Set::Jisx0212 | Set::J13Plane2 { .. });
    let code = match (two, three, plane2) {
        (true, _, false) | (_, true, true) => code & 0x7F7F,
        _ => return None,
    };
    // EUC-JIS-2004 also encodes JIS X 0212 after 0x8F and has a few
    // one-way codes; the 2000 sets lack some 2004 characters: keep only
    // what the set itself decodes back (CPython's JIS X 0213:2000
    // emulation has one one-way code: U+9B1D as the code of U+9B1C).
    if let Set::J13Plane1 { .. } | Set::J13Plane2 { .. } = set {
        if set_decode(set, &[(code >> 8) as u8, code as u8]) != Some(Hit::Char(c)) && c != 0x9B1D {
            return None;
        }
    }
    Some(code)
}

/// Whether `c` starts a JIS X 0213 combining pair.
fn pair_start(set: Set, c: u32) -> bool {
    matches!(set, Set::J13Plane1 { .. }) && euc_of(set).is_some_and(|e| e.t.enc_pairs.iter().any(|p| p.0 == c))
}

fn pair_code(set: Set, c: u32, d: u32) -> Option<u32> {
    euc_of(set)?.t.enc_pairs.iter().find(|p| p.0 == c && p.1 == d).map(|p| p.2 & 0x7F7F)
}

/// What a designation can do with `input[0..]`.
enum Found {
    Code(u32, usize),
    NotHere,
    TooFew,
}

fn try_designation(dsg: &Designation, input: &[u32], flush: bool) -> Found {
    let c = input[0];
    if let Set::J13Plane1 { pair_only, .. } = dsg.set {
        if pair_start(dsg.set, c) {
            match input.get(1) {
                None if !flush => return Found::TooFew,
                None => {}
                Some(&d) => {
                    if let Some(code) = pair_code(dsg.set, c, d) {
                        return Found::Code(code, 2);
                    }
                }
            }
            if pair_only {
                return Found::NotHere;
            }
            return set_encode_one(dsg.set, c).map_or(Found::NotHere, |code| Found::Code(code, 1));
        }
        if pair_only {
            return Found::NotHere;
        }
    }
    set_encode_one(dsg.set, c).map_or(Found::NotHere, |code| Found::Code(code, 1))
}

impl Iso2022 {
    fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    /// An escape sequence at `b[0] == ESC` (`b[1]` is an ISO 2022 header).
    fn escape(&self, st: &mut State, b: &[u8]) -> Dec {
        let mut i = 1;
        let mut esclen = 0;
        while i < 16 {
            if i >= b.len() {
                return Dec::TooFew;
            }
            if is_escend(b[i]) {
                esclen = i + 1;
                break;
            } else if self.has(USE_JISX0208_EXT) && i + 1 < b.len() && b[i] == b'&' && b[i + 1] == b'@' {
                i += 2;
            }
            i += 1;
        }
        if i >= 16 {
            return Dec::Illegal(1);
        }
        let (charset, desig) = match esclen {
            3 => {
                if b[1] == b'$' {
                    (b[2] | DBCS, 0)
                } else {
                    match b[1] {
                        b'(' => (b[2], 0),
                        b')' => (b[2], 1),
                        b'.' if self.has(USE_G2) => (b[2], 2),
                        _ => return Dec::Illegal(3),
                    }
                }
            }
            4 => {
                if b[1] != b'$' {
                    return Dec::Illegal(4);
                }
                match b[2] {
                    b'(' => (b[3] | DBCS, 0),
                    b')' => (b[3] | DBCS, 1),
                    _ => return Dec::Illegal(4),
                }
            }
            6 if self.has(USE_JISX0208_EXT) && b[3] == ESC && b[4] == b'$' && b[5] == b'B' => (b'B' | DBCS, 0),
            n => return Dec::Illegal(n),
        };
        if charset != ASCII && !self.designations.iter().any(|d| d.mark == charset) {
            return Dec::Illegal(esclen);
        }
        st[desig] = charset;
        Dec::Out(esclen, [0, 0], 0)
    }

    fn single_shift(&self, st: &State, b: &[u8]) -> Dec {
        let c = b[2];
        let out = match st[2] {
            b'A' if c < 0x80 => u32::from(c) + 0x80,
            b'F' => match iso8859_7(c ^ 0x80) {
                Some(x) => x,
                None => return Dec::Illegal(3),
            },
            ASCII if c & 0x80 == 0 => u32::from(c),
            b'A' | ASCII => return Dec::Illegal(3),
            _ => return Dec::Illegal(1),
        };
        one(3, out)
    }

    fn write_designation(&self, st: &mut State, dsg: &Designation, out: &mut Vec<u8>) {
        let mark = dsg.mark & 0x7F;
        if dsg.plane == 0 {
            if st[4] & F_SHIFTED != 0 {
                out.push(SI);
                st[4] &= !F_SHIFTED;
            }
            if st[0] != dsg.mark {
                if dsg.width == 1 {
                    out.extend_from_slice(&[ESC, b'(', mark]);
                } else if dsg.mark == b'B' | DBCS {
                    out.extend_from_slice(&[ESC, b'$', mark]);
                } else {
                    out.extend_from_slice(&[ESC, b'$', b'(', mark]);
                }
                st[0] = dsg.mark;
            }
        } else {
            if st[1] != dsg.mark {
                if dsg.width == 1 {
                    out.extend_from_slice(&[ESC, b')', mark]);
                } else {
                    out.extend_from_slice(&[ESC, b'$', b')', mark]);
                }
                st[1] = dsg.mark;
            }
            if st[4] & F_SHIFTED == 0 {
                out.push(SO);
                st[4] |= F_SHIFTED;
            }
        }
    }
}

impl CjkCodec for Iso2022 {
    fn name(&self) -> &'static str {
        self.name
    }

    fn init(&self) -> State {
        [ASCII, ASCII, 0, 0, 0, 0, 0, 0]
    }

    fn dec_init(&self) -> State {
        [ASCII, ASCII, ASCII, 0, 0, 0, 0, 0]
    }

    fn dec_reset(&self, st: &mut State) {
        st[0] = ASCII;
        st[4] &= !F_SHIFTED;
    }

    fn decode(&self, st: &mut State, b: &[u8]) -> Dec {
        let c = b[0];
        if st[4] & F_ESCTHROUGHOUT != 0 {
            if is_escend(c) {
                st[4] &= !F_ESCTHROUGHOUT;
            }
            return one(1, u32::from(c));
        }
        match c {
            ESC => {
                let Some(&c2) = b.get(1) else { return Dec::TooFew };
                if is_iso2022esc(c2) {
                    self.escape(st, b)
                } else if self.has(USE_G2) && c2 == b'N' {
                    if b.len() < 3 {
                        return Dec::TooFew;
                    }
                    self.single_shift(st, b)
                } else {
                    st[4] |= F_ESCTHROUGHOUT;
                    one(1, u32::from(ESC))
                }
            }
            SI | SO if self.has(NO_SHIFT) => one(1, u32::from(c)),
            SI => {
                st[4] &= !F_SHIFTED;
                Dec::Out(1, [0, 0], 0)
            }
            SO => {
                st[4] |= F_SHIFTED;
                Dec::Out(1, [0, 0], 0)
            }
            LF => {
                st[4] &= !F_SHIFTED;
                one(1, u32::from(LF))
            }
            _ if c < 0x20 => one(1, u32::from(c)),
            _ if c >= 0x80 => Dec::Illegal(1),
            _ => {
                let charset = if st[4] & F_SHIFTED != 0 { st[1] } else { st[0] };
                if charset == ASCII {
                    return one(1, u32::from(c));
                }
                let Some(dsg) = self.designations.iter().find(|d| d.mark == charset) else { return Dec::Illegal(1) };
                if b.len() < dsg.width {
                    return Dec::TooFew;
                }
                match set_decode(dsg.set, &b[..dsg.width]) {
                    Some(Hit::Char(x)) => one(dsg.width, x),
                    Some(Hit::Pair(x, y)) => Dec::Out(dsg.width, [x, y], 2),
                    _ => Dec::Illegal(dsg.width),
                }
            }
        }
    }

    fn encode(&self, st: &mut State, input: &[u32], flush: bool, out: &mut Vec<u8>) -> Enc {
        let c = input[0];
        if c < 0x80 {
            if st[0] != ASCII {
                out.extend_from_slice(&[ESC, b'(', b'B']);
                st[0] = ASCII;
            }
            if st[4] & F_SHIFTED != 0 {
                out.push(SI);
                st[4] &= !F_SHIFTED;
            }
            out.push(c as u8);
            return Enc::Done(1);
        }
        for dsg in self.designations {
            match try_designation(dsg, input, flush) {
                Found::NotHere => continue,
                Found::TooFew => return Enc::TooFew,
                Found::Code(code, n) => {
                    self.write_designation(st, dsg, out);
                    if dsg.width == 1 {
                        out.push(code as u8);
                    } else {
                        out.extend_from_slice(&[(code >> 8) as u8, code as u8]);
                    }
                    return Enc::Done(n);
                }
            }
        }
        Enc::Illegal(1)
    }

    fn has_reset(&self) -> bool {
        true
    }

    fn enc_reset(&self, st: &mut State, out: &mut Vec<u8>) {
        if st[4] & F_SHIFTED != 0 {
            out.push(SI);
            st[4] &= !F_SHIFTED;
        }
        if st[0] != ASCII {
            out.extend_from_slice(&[ESC, b'(', b'B']);
            st[0] = ASCII;
        }
    }
}
