//! Hash values exactly as CPython 3.11 computes them, so that hash-ordered
//! containers (sets, and dicts' probe order) behave the same.
//!
//! - str and bytes: SipHash-1-3 (`Py_HASH_ALGORITHM` 3 = siphash13, no
//!   small-string cutoff) keyed by the process's hash secret. A str is hashed
//!   over CPython's internal representation of it: one byte per code point
//!   when all are below U+0100, two (little-endian) when all are below
//!   U+10000, else four.
//! - The secret comes from `PYTHONHASHSEED`: unset or `random` gives a key
//!   from the OS; `0` disables randomisation (an all-zero key); any other
//!   integer up to 4294967295 fills the secret with CPython's linear
//!   congruential generator (`lcg_urandom` in `bootstrap_hash.c`).
//! - Numbers: the value modulo the Mersenne prime 2**61 - 1 (the numeric
//!   hash of the language reference), so that equal ints, floats and complex
//!   numbers hash alike; infinities hash to ±314159, NaN by identity.

use std::sync::OnceLock;

use num_bigint::{BigInt, Sign};

/// Bits of the numeric-hash modulus.
pub const HASH_BITS: u32 = 61;
/// The numeric-hash modulus, 2**61 - 1.
pub const MODULUS: u64 = (1 << HASH_BITS) - 1;
/// `hash(float('inf'))`.
pub const HASH_INF: i64 = 314159;
/// The multiplier of the imaginary part's hash in `hash(complex)`.
pub const HASH_IMAG: u64 = 1000003;

/// Why `PYTHONHASHSEED` was rejected (CPython's fatal startup error).
pub const BAD_SEED_MESSAGE: &str = "PYTHONHASHSEED must be \"random\" or an integer in range [0; 4294967295]";

static SECRET: OnceLock<(u64, u64)> = OnceLock::new();

/// Reads `PYTHONHASHSEED` as CPython does: `None` for unset or `random`,
/// the seed otherwise; an error for anything else.
pub fn parse_seed(value: Option<&str>) -> Result<Option<u32>, &'static str> {
    match value {
        None | Some("") | Some("random") => Ok(None),
        Some(v) => v.trim().parse::<u64>().ok().filter(|s| *s <= u32::MAX as u64).map(|s| Some(s as u32)).ok_or(BAD_SEED_MESSAGE),
    }
}

/// The siphash key (k0, k1) for a seed: all zero for 0, else CPython's
/// LCG stream over the 24-byte secret, of which the first 16 bytes are the
/// two little-endian keys.
pub fn key_from_seed(seed: u32) -> (u64, u64) {
    let mut buf = [0u8; 16];
    if seed != 0 {
        let mut x = seed;
        for b in buf.iter_mut() {
            x = x.wrapping_mul(214013).wrapping_add(2531011);
            *b = (x >> 16) as u8;
        }
    }
    let k0 = u64::from_le_bytes([buf[0], buf[1], buf[2], buf[3], buf[4], buf[5], buf[6], buf[7]]);
    let k1 = u64::from_le_bytes([buf[8], buf[9], buf[10], buf[11], buf[12], buf[13], buf[14], buf[15]]);
    (k0, k1)
}

/// A random key from the OS (`/dev/urandom`), or from the clock and an
/// address when that is unavailable.
fn random_key() -> (u64, u64) {
    use std::io::Read;
    let mut buf = [0u8; 16];
    let ok = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut buf)).is_ok();
    if !ok {
        let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let local = 0u8;
        let addr = &local as *const u8 as usize as u128;
        buf = (t ^ (addr << 64) ^ addr).to_le_bytes();
    }
    let (a, b) = buf.split_at(8);
    let k = |s: &[u8]| s.iter().rev().fold(0u64, |acc, &x| (acc << 8) | x as u64);
    (k(a), k(b))
}

/// Fixes the process's hash secret from `PYTHONHASHSEED` (done on first
/// use otherwise; an invalid value then counts as unset). The binary calls
/// this at startup to report an invalid value as CPython does.
pub fn init_from_env() -> Result<(), &'static str> {
    init_from(std::env::var("PYTHONHASHSEED").ok().as_deref())
}

/// As `init_from_env` with the variable's value given (`None` when unset
/// or ignored: `-E`/`-I`).
pub fn init_from(var: Option<&str>) -> Result<(), &'static str> {
    let seed = parse_seed(var)?;
    let _ = SECRET.get_or_init(|| seed.map_or_else(random_key, key_from_seed));
    Ok(())
}

fn secret() -> (u64, u64) {
    *SECRET.get_or_init(|| {
        let var = std::env::var("PYTHONHASHSEED").ok();
        match parse_seed(var.as_deref()) {
            Ok(Some(seed)) => key_from_seed(seed),
            _ => random_key(),
        }
    })
}

/// SipHash-1-3 fed incrementally (a str's canonical bytes are produced
/// one code point at a time, without a buffer).
struct Sip13 {
    v: [u64; 4],
    tail: u64,
    ntail: u32,
    len: u64,
}

impl Sip13 {
    fn new((k0, k1): (u64, u64)) -> Sip13 {
        Sip13 {
            v: [k0 ^ 0x736f6d6570736575, k1 ^ 0x646f72616e646f6d, k0 ^ 0x6c7967656e657261, k1 ^ 0x7465646279746573],
            tail: 0,
            ntail: 0,
            len: 0,
        }
    }

    #[inline]
    fn round(&mut self) {
        let v = &mut self.v;
        v[0] = v[0].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(13) ^ v[0];
        v[0] = v[0].rotate_left(32);
        v[2] = v[2].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(16) ^ v[2];
        v[0] = v[0].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(21) ^ v[0];
        v[2] = v[2].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(17) ^ v[2];
        v[2] = v[2].rotate_left(32);
    }

    #[inline]
    fn compress(&mut self, m: u64) {
        self.v[3] ^= m;
        self.round();
        self.v[0] ^= m;
    }

    #[inline]
    fn byte(&mut self, b: u8) {
        self.tail |= (b as u64) << (8 * self.ntail);
        self.ntail += 1;
        self.len += 1;
        if self.ntail == 8 {
            let m = self.tail;
            self.compress(m);
            self.tail = 0;
            self.ntail = 0;
        }
    }

    fn bytes(&mut self, data: &[u8]) {
        let mut rest = data;
        while self.ntail != 0 && !rest.is_empty() {
            self.byte(rest[0]);
            rest = &rest[1..];
        }
        let mut chunks = rest.chunks_exact(8);
        for c in &mut chunks {
            let m = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.compress(m);
            self.len += 8;
        }
        for &b in chunks.remainder() {
            self.byte(b);
        }
    }

    fn finish(mut self) -> u64 {
        let b = (self.len << 56) | self.tail;
        self.compress(b);
        self.v[2] ^= 0xff;
        self.round();
        self.round();
        self.round();
        self.v[0] ^ self.v[1] ^ self.v[2] ^ self.v[3]
    }
}

/// CPython's `_Py_HashBytes` result for a finished siphash: 0 for empty
/// input, -1 mapped to -2.
fn fix(len_zero: bool, h: u64) -> i64 {
    if len_zero {
        return 0;
    }
    let h = h as i64;
    if h == -1 {
        -2
    } else {
        h
    }
}

/// SipHash-1-3 of `data` under `key` (no length or -1 adjustments).
pub fn siphash13(key: (u64, u64), data: &[u8]) -> u64 {
    let mut s = Sip13::new(key);
    s.bytes(data);
    s.finish()
}

/// `hash(bytes)`: the siphash of the raw bytes.
pub fn hash_bytes(data: &[u8]) -> i64 {
    fix(data.is_empty(), siphash13(secret(), data))
}

/// Decodes generalized UTF-8 (WTF-8: surrogates allowed) into code points.
fn code_points(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        let b0 = *bytes.get(i)? as u32;
        let cont = |k: usize| bytes.get(i + k).map_or(0, |b| (*b & 0x3f) as u32);
        let (cp, n) = if b0 < 0x80 {
            (b0, 1)
        } else if b0 < 0xe0 {
            (((b0 & 0x1f) << 6) | cont(1), 2)
        } else if b0 < 0xf0 {
            (((b0 & 0x0f) << 12) | (cont(1) << 6) | cont(2), 3)
        } else {
            (((b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3), 4)
        };
        i += n;
        Some(cp)
    })
}

/// `hash(str)` for a str stored as WTF-8 bytes, over CPython's compact
/// representation (Latin-1, UCS-2 or UCS-4 little-endian units).
pub fn hash_str_wtf8(wtf8: &[u8]) -> i64 {
    hash_str_with_key(secret(), wtf8)
}

fn hash_str_with_key(key: (u64, u64), wtf8: &[u8]) -> i64 {
    if wtf8.is_ascii() {
        return fix(wtf8.is_empty(), siphash13(key, wtf8));
    }
    let max = code_points(wtf8).max().unwrap_or(0);
    let mut s = Sip13::new(key);
    if max < 0x100 {
        code_points(wtf8).for_each(|c| s.byte(c as u8));
    } else if max < 0x10000 {
        code_points(wtf8).for_each(|c| s.bytes(&(c as u16).to_le_bytes()));
    } else {
        code_points(wtf8).for_each(|c| s.bytes(&c.to_le_bytes()));
    }
    fix(false, s.finish())
}

/// Maps a numeric hash's -1 (reserved for errors in CPython) to -2.
fn not_minus_one(h: i64) -> i64 {
    if h == -1 {
        -2
    } else {
        h
    }
}

/// `hash(int)` for a machine-word int.
pub fn hash_i64(v: i64) -> i64 {
    let m = (v.unsigned_abs() % MODULUS) as i64;
    not_minus_one(if v < 0 { -m } else { m })
}

/// `hash(int)` for a big int.
pub fn hash_bigint(v: &BigInt) -> i64 {
    // Reduce 64 bits at a time: 2**64 = 8 (mod 2**61 - 1).
    let mut acc: u128 = 0;
    for d in v.magnitude().iter_u64_digits().rev() {
        acc = ((acc << 64) | d as u128) % MODULUS as u128;
    }
    let m = acc as i64;
    not_minus_one(if v.sign() == Sign::Minus { -m } else { m })
}

/// The identity hash of an object at `addr` (`_Py_HashPointer`: the address
/// rotated right by 4 bits, since the low bits are alignment zeros).
pub fn hash_pointer(addr: usize) -> i64 {
    not_minus_one(addr.rotate_right(4) as i64)
}

/// `hash(float)`: the value as a rational number modulo 2**61 - 1; NaN
/// hashes by the identity of the object (`addr`), as since Python 3.10.
pub fn hash_f64(v: f64, addr: usize) -> i64 {
    if v.is_nan() {
        return hash_pointer(addr);
    }
    if v.is_infinite() {
        return if v > 0.0 { HASH_INF } else { -HASH_INF };
    }
    if v == 0.0 {
        return 0;
    }
    // |v| = mantissa * 2**exp exactly.
    let bits = v.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1 << 52) - 1);
    let (mantissa, exp) = if biased == 0 { (frac, -1074) } else { (frac | (1 << 52), biased - 1075) };
    // 2**61 = 1 (mod P), so 2**exp = 2**(exp mod 61).
    let e = exp.rem_euclid(HASH_BITS as i64) as u32;
    let m = mantissa % MODULUS;
    let x = ((m as u128) << e) % MODULUS as u128;
    let x = x as i64;
    not_minus_one(if v < 0.0 { -x } else { x })
}

/// `hash(complex)` from the hashes of the parts.
pub fn hash_complex(real_hash: i64, imag_hash: i64) -> i64 {
    let h = (real_hash as u64).wrapping_add(HASH_IMAG.wrapping_mul(imag_hash as u64));
    not_minus_one(h as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(seed: u32, s: &str) -> i64 {
        hash_str_with_key(key_from_seed(seed), s.as_bytes())
    }

    #[test]
    fn str_hashes_match_cpython_seed_0() {
        // PYTHONHASHSEED=0 python3 -c "print(hash(...))"
        assert_eq!(h(0, ""), 0);
        assert_eq!(h(0, "a"), 4644417185603328019);
        assert_eq!(h(0, "abc"), -4594863902769663758);
        assert_eq!(h(0, "abcdefgh"), 4574395652268504554);
        assert_eq!(h(0, "hello world!"), 839851713330019024);
        assert_eq!(h(0, "é"), 6047309291227476195);
        assert_eq!(h(0, "café"), 137524001917817222);
        assert_eq!(h(0, "\u{100}x"), 4810634372846155561);
        assert_eq!(h(0, "€"), -5529981157763016009);
        assert_eq!(h(0, "😀"), -3536540696076613844);
        assert_eq!(h(0, "x\u{10ffff}é"), 2455695711875789494);
        // 'a\ud800' as WTF-8.
        assert_eq!(hash_str_with_key(key_from_seed(0), b"a\xed\xa0\x80"), -4549245310181175860);
    }

    #[test]
    fn str_hashes_match_cpython_other_seeds() {
        assert_eq!(h(1, "a"), -3012895188637184397);
        assert_eq!(h(1, "abc"), -4667308735975688587);
        assert_eq!(h(1, "hello world!"), -6843234206117886366);
        assert_eq!(h(1, "€"), 4443362316794630049);
        assert_eq!(h(42, "abcdefgh"), -5457871895989710762);
        assert_eq!(h(42, "café"), 6223193746424771551);
        assert_eq!(h(42, "😀"), 6601963133753205906);
        assert_eq!(h(4294967295, "abc"), -6122489556238538401);
        assert_eq!(h(4294967295, "\u{100}x"), -7425255999595897644);
        assert_eq!(h(4294967295, "x\u{10ffff}é"), 5939330201298858261);
    }

    #[test]
    fn bytes_hash_is_siphash_of_raw_bytes() {
        assert_eq!(fix(false, siphash13(key_from_seed(0), b"abc")), -4594863902769663758);
        assert_eq!(fix(true, siphash13(key_from_seed(0), b"")), 0);
    }

    #[test]
    fn seeds_parse_like_cpython() {
        assert_eq!(parse_seed(None), Ok(None));
        assert_eq!(parse_seed(Some("random")), Ok(None));
        assert_eq!(parse_seed(Some("0")), Ok(Some(0)));
        assert_eq!(parse_seed(Some("4294967295")), Ok(Some(u32::MAX)));
        assert!(parse_seed(Some("4294967296")).is_err());
        assert!(parse_seed(Some("-1")).is_err());
        assert!(parse_seed(Some("x")).is_err());
    }

    #[test]
    fn numeric_hashes_match_cpython() {
        assert_eq!(hash_i64(-1), -2);
        assert_eq!(hash_i64(-2), -2);
        assert_eq!(hash_i64((1 << 61) - 1), 0);
        assert_eq!(hash_i64(1 << 61), 1);
        assert_eq!(hash_bigint(&(BigInt::from(1) << 100usize)), 549755813888);
        assert_eq!(hash_bigint(&-(BigInt::from(1) << 100usize)), -549755813888);
        let big: BigInt = "123456789012345678901234567890".parse().unwrap_or_default();
        assert_eq!(hash_bigint(&big), 248789772095949448);
        assert_eq!(hash_f64(0.5, 0), 1152921504606846976);
        assert_eq!(hash_f64(1.5, 0), 1152921504606846977);
        assert_eq!(hash_f64(-2.25, 0), -576460752303423490);
        assert_eq!(hash_f64(1e300, 0), 1224995262755759164);
        assert_eq!(hash_f64(12345.678, 0), 1563361560246628409);
        assert_eq!(hash_f64(1e-300, 0), 482449582752280463);
        assert_eq!(hash_f64(0.1, 0), 230584300921369408);
        assert_eq!(hash_f64(-0.0, 0), 0);
        assert_eq!(hash_f64(f64::INFINITY, 0), 314159);
        assert_eq!(hash_f64(f64::NEG_INFINITY, 0), -314159);
        assert_eq!(hash_f64(2f64.powi(70), 0), 512);
        assert_eq!(hash_complex(hash_i64(1), hash_i64(2)), 2000007);
        assert_eq!(hash_complex(hash_f64(0.5, 0), hash_f64(-1.5, 0)), -2305843009214693955);
        assert_eq!(hash_complex(hash_f64(-0.0, 0), hash_f64(-1.0, 0)), -2000006);
        assert_eq!(hash_complex(hash_f64(-1.0, 0), 0), -2);
    }
}

/// A fast, non-cryptographic hasher for the interpreter's internal Rust
/// maps whose keys no user controls (type ids, `&'static str` names,
/// object addresses): std's default SipHash costs more than the rest of
/// a lookup in `Vm::state`/`Vm::native_type`, which native modules call
/// on every operation. Multiply-rotate (FxHash's step) over machine
/// words; `finish` rotates so that the well-mixed high bits of the
/// product land in the low bits hashbrown indexes buckets with (addresses
/// have zero low bits).
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

const FAST_SEED: u64 = 0xf135_7aea_2e62_a9c5;

impl FastHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0 ^ w).wrapping_mul(FAST_SEED);
    }
}

impl std::hash::Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.add(i as u64);
        self.add((i >> 64) as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

/// `HashMap` with [`FastHasher`]: for internal keys only (never for keys
/// built from user data an attacker could choose to collide).
pub type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

#[cfg(test)]
mod fast_tests {
    use super::*;
    use std::hash::{BuildHasher, BuildHasherDefault};

    #[test]
    fn fast_hasher_spreads_addresses_and_names() {
        let b = BuildHasherDefault::<FastHasher>::default();
        // Aligned addresses must not share their low (bucket) bits.
        let lows: std::collections::HashSet<u64> = (0..64usize).map(|i| b.hash_one(0x7f00_0000_1000 + i * 64) & 63).collect();
        assert!(lows.len() > 32, "{}", lows.len());
        assert_ne!(b.hash_one("decimal.Decimal"), b.hash_one("decimal.Context"));
        assert_ne!(b.hash_one("ab"), b.hash_one("ab\0"));
        let mut m: FastMap<&'static str, u32> = FastMap::default();
        m.insert("x", 1);
        m.insert("y", 2);
        assert_eq!(m.get("x"), Some(&1));
        assert_eq!(m.get("y"), Some(&2));
    }
}
