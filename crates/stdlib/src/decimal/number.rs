//! The arithmetic of `_decimal`, free of the object model: a decimal number
//! is a sign, a binary coefficient (`BigUint`, so that products of huge
//! coefficients stay fast) and an exponent, or a special value. Operations
//! follow the General Decimal Arithmetic specification (the algorithms of
//! `_pydecimal`): they take a [`Ctx`] and return the result together with
//! the conditions they raised, as libmpdec status bits ([`status`]); the
//! caller records them in the Python context and raises the trapped ones.

use std::cmp::Ordering;

use num_bigint::BigUint;
use num_integer::Integer;
use num_traits::{One, ToPrimitive, Zero};

/// libmpdec's status bits: conditions (several map onto the
/// InvalidOperation signal) and signals.
pub mod status {
    pub const CLAMPED: u32 = 1;
    pub const CONVERSION_SYNTAX: u32 = 2;
    pub const DIVISION_BY_ZERO: u32 = 4;
    pub const DIVISION_IMPOSSIBLE: u32 = 8;
    pub const DIVISION_UNDEFINED: u32 = 16;
    pub const INEXACT: u32 = 64;
    pub const INVALID_CONTEXT: u32 = 128;
    pub const INVALID_OPERATION: u32 = 256;
    pub const FLOAT_OPERATION: u32 = 1024;
    pub const OVERFLOW: u32 = 2048;
    pub const ROUNDED: u32 = 4096;
    pub const SUBNORMAL: u32 = 8192;
    pub const UNDERFLOW: u32 = 16384;
    /// Every condition of the InvalidOperation signal.
    pub const IEEE_INVALID: u32 = CONVERSION_SYNTAX | DIVISION_IMPOSSIBLE | DIVISION_UNDEFINED | INVALID_CONTEXT | INVALID_OPERATION;
}
use status::*;

/// Exponents are kept within +-EXP_LIMIT (far beyond every context's
/// limits) so that sums of two exponents and digit counts cannot overflow.
pub const EXP_LIMIT: i64 = i64::MAX / 4;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Finite,
    Inf,
    NaN,
    SNaN,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Rounding {
    Up,
    Down,
    Ceiling,
    Floor,
    HalfUp,
    HalfDown,
    HalfEven,
    Up05,
}

pub const ROUNDING_NAMES: [(&str, Rounding); 8] = [
    ("ROUND_UP", Rounding::Up),
    ("ROUND_DOWN", Rounding::Down),
    ("ROUND_CEILING", Rounding::Ceiling),
    ("ROUND_FLOOR", Rounding::Floor),
    ("ROUND_HALF_UP", Rounding::HalfUp),
    ("ROUND_HALF_DOWN", Rounding::HalfDown),
    ("ROUND_HALF_EVEN", Rounding::HalfEven),
    ("ROUND_05UP", Rounding::Up05),
];

impl Rounding {
    pub fn name(self) -> &'static str {
        ROUNDING_NAMES.iter().find(|(_, r)| *r == self).map(|(n, _)| *n).unwrap_or("ROUND_HALF_EVEN")
    }
}

/// The arithmetic part of a context.
#[derive(Clone, Copy, Debug)]
pub struct Ctx {
    pub prec: i64,
    pub rounding: Rounding,
    pub emin: i64,
    pub emax: i64,
    pub clamp: bool,
}

impl Ctx {
    pub fn etiny(&self) -> i64 {
        self.emin - self.prec + 1
    }
    pub fn etop(&self) -> i64 {
        self.emax - self.prec + 1
    }
}

/// A decimal number. For NaNs the coefficient is the payload; infinities
/// have exponent 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dec {
    pub neg: bool,
    pub coeff: BigUint,
    pub exp: i64,
    pub kind: Kind,
}

// ----------------------------------------------------------------------
// Digits and powers of ten

thread_local! {
    static POW10: std::cell::RefCell<Vec<BigUint>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// 10**n.
pub fn pow10(n: u64) -> BigUint {
    if n < 20 {
        return BigUint::from(10u64.pow(n as u32));
    }
    if n < 512 {
        return POW10.with(|p| {
            let mut p = p.borrow_mut();
            if p.is_empty() {
                let mut x = BigUint::one();
                for _ in 0..512 {
                    p.push(x.clone());
                    x *= 10u32;
                }
            }
            p[n as usize].clone()
        });
    }
    BigUint::from(10u32).pow(n as u32)
}

/// `c` as a `u128` when it fits (the coefficients of small precisions and
/// their products: the fast paths below work on machine integers).
#[inline]
pub fn small(c: &BigUint) -> Option<u128> {
    if c.bits() > 128 {
        return None;
    }
    let mut it = c.iter_u64_digits();
    let lo = it.next().unwrap_or(0);
    let hi = it.next().unwrap_or(0);
    Some(u128::from(lo) | (u128::from(hi) << 64))
}

/// The number of decimal digits of `v` (1 for zero).
#[inline]
fn digits_u128(v: u128) -> u64 {
    if let Ok(w) = u64::try_from(v) {
        return match w.checked_ilog10() {
            Some(l) => u64::from(l) + 1,
            None => 1,
        };
    }
    // log10(2**bits) estimated with 1233/4096 ~ log10(2): the digit count
    // minus one is that estimate or one less.
    let bits = 128 - v.leading_zeros();
    let t = ((bits * 1233) >> 12) as usize;
    let ilog = if POW10_U128.get(t).is_some_and(|&p| v < p) { t - 1 } else { t };
    ilog as u64 + 1
}

/// 10**i for i in 0..=38 (all that fit a `u128`).
const POW10_U128: [u128; 39] = {
    let mut p = [1u128; 39];
    let mut i = 1;
    while i < 39 {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
};

/// Lower and upper bounds of the number of decimal digits of `c`.
pub fn digit_bounds(c: &BigUint) -> (u64, u64) {
    let bits = c.bits();
    if bits <= 128 {
        let d = digits(c);
        return (d, d);
    }
    // 2**(bits-1) <= c < 2**bits
    let lo = ((bits - 1) as f64 * std::f64::consts::LOG10_2).floor() as u64 + 1;
    let hi = (bits as f64 * std::f64::consts::LOG10_2).floor() as u64 + 1;
    (lo.saturating_sub(1).max(1), hi + 1)
}

/// The number of decimal digits of `c` (1 for zero).
pub fn digits(c: &BigUint) -> u64 {
    if let Some(v) = small(c) {
        return digits_u128(v);
    }
    let bits = c.bits();
    let est = ((bits - 1) as f64 * std::f64::consts::LOG10_2).floor() as u64;
    // c has est+1 or est+2 digits (up to floating error: check around).
    let mut d = est.saturating_sub(1).max(1);
    while d < 512 && POW10.with(|p| p.borrow().get(d as usize).map(|p| c >= p)) == Some(true) {
        d += 1;
    }
    while *c >= pow10(d) {
        d += 1;
    }
    d
}

/// `c` without up to `max` trailing zeros, and the number removed.
pub fn strip_zeros(c: &BigUint, max: u64) -> (BigUint, u64) {
    if c.is_zero() || max == 0 {
        return (c.clone(), 0);
    }
    let mut c = c.clone();
    let mut n = 0u64;
    let ten = BigUint::from(10u32);
    // Big steps first.
    let mut step = 16u64;
    while step >= 1 {
        while n + step <= max {
            let p = if step == 1 { ten.clone() } else { pow10(step) };
            let (q, r) = c.div_rem(&p);
            if !r.is_zero() {
                break;
            }
            c = q;
            n += step;
            if step < 4096 && n + step * 2 <= max {
                step *= 2;
            }
        }
        step /= 2;
    }
    (c, n)
}

// ----------------------------------------------------------------------
// Constructors

impl Dec {
    pub fn finite(neg: bool, coeff: BigUint, exp: i64) -> Dec {
        Dec { neg, coeff, exp, kind: Kind::Finite }
    }
    pub fn zero(neg: bool, exp: i64) -> Dec {
        Dec::finite(neg, BigUint::zero(), exp)
    }
    pub fn inf(neg: bool) -> Dec {
        Dec { neg, coeff: BigUint::zero(), exp: 0, kind: Kind::Inf }
    }
    pub fn nan() -> Dec {
        Dec { neg: false, coeff: BigUint::zero(), exp: 0, kind: Kind::NaN }
    }
    pub fn from_i64(v: i64) -> Dec {
        Dec::finite(v < 0, BigUint::from(v.unsigned_abs()), 0)
    }
    pub fn is_special(&self) -> bool {
        self.kind != Kind::Finite
    }
    pub fn is_nan(&self) -> bool {
        matches!(self.kind, Kind::NaN | Kind::SNaN)
    }
    pub fn is_inf(&self) -> bool {
        self.kind == Kind::Inf
    }
    pub fn is_zero(&self) -> bool {
        self.kind == Kind::Finite && self.coeff.is_zero()
    }
    pub fn negated(&self) -> Dec {
        Dec { neg: !self.neg, ..self.clone() }
    }
    pub fn with_sign(&self, neg: bool) -> Dec {
        Dec { neg, ..self.clone() }
    }
    /// The number of digits of the coefficient.
    pub fn ndigits(&self) -> u64 {
        digits(&self.coeff)
    }
    /// The exponent of the most significant digit (0 for specials).
    pub fn adjusted(&self) -> i64 {
        if self.is_special() {
            return 0;
        }
        self.exp + self.ndigits() as i64 - 1
    }
    /// -1, 0 or 1 for -Infinity, finite, +Infinity.
    fn inf_sign(&self) -> i32 {
        if self.is_inf() {
            if self.neg {
                -1
            } else {
                1
            }
        } else {
            0
        }
    }
}

// ----------------------------------------------------------------------
// Parsing and printing

/// Parses a numeric string (ASCII, already stripped of whitespace and
/// underscores): `None` on a syntax error. Exact: no context applied.
pub fn parse(s: &str) -> Option<Dec> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut neg = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        neg = b[i] == b'-';
        i += 1;
    }
    let rest = &s[i..];
    let lower = rest.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(Dec::inf(neg));
    }
    for (prefix, kind) in [("snan", Kind::SNaN), ("nan", Kind::NaN)] {
        if let Some(p) = lower.strip_prefix(prefix) {
            if !p.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let coeff = if p.is_empty() { BigUint::zero() } else { p.parse::<BigUint>().ok()? };
            return Some(Dec { neg, coeff, exp: 0, kind });
        }
    }
    let rb = rest.as_bytes();
    let mut j = 0;
    let mut intpart = String::new();
    let mut frac = String::new();
    while j < rb.len() && rb[j].is_ascii_digit() {
        intpart.push(rb[j] as char);
        j += 1;
    }
    if j < rb.len() && rb[j] == b'.' {
        j += 1;
        while j < rb.len() && rb[j].is_ascii_digit() {
            frac.push(rb[j] as char);
            j += 1;
        }
    }
    if intpart.is_empty() && frac.is_empty() {
        return None;
    }
    let mut exp: i128 = 0;
    if j < rb.len() && (rb[j] == b'e' || rb[j] == b'E') {
        j += 1;
        let mut eneg = false;
        if j < rb.len() && (rb[j] == b'+' || rb[j] == b'-') {
            eneg = rb[j] == b'-';
            j += 1;
        }
        let start = j;
        while j < rb.len() && rb[j].is_ascii_digit() {
            j += 1;
        }
        if start == j {
            return None;
        }
        let digits = rest[start..j].trim_start_matches('0');
        exp = if digits.len() > 30 {
            i128::MAX / 4
        } else if digits.is_empty() {
            0
        } else {
            digits.parse::<i128>().ok()?
        };
        if eneg {
            exp = -exp;
        }
    }
    if j != rb.len() {
        return None;
    }
    let all = format!("{intpart}{frac}");
    let coeff = all.parse::<BigUint>().ok()?;
    let exp = exp - frac.len() as i128;
    let exp = exp.clamp(-EXP_LIMIT as i128, EXP_LIMIT as i128) as i64;
    Some(Dec::finite(neg, coeff, exp))
}

/// `to_sci_string` (`eng` false) or `to_eng_string`.
pub fn to_string(d: &Dec, eng: bool, capitals: bool) -> String {
    let sign = if d.neg { "-" } else { "" };
    match d.kind {
        Kind::Inf => return format!("{sign}Infinity"),
        Kind::NaN | Kind::SNaN => {
            let s = if d.kind == Kind::SNaN { "sNaN" } else { "NaN" };
            let payload = if d.coeff.is_zero() { String::new() } else { d.coeff.to_string() };
            return format!("{sign}{s}{payload}");
        }
        Kind::Finite => {}
    }
    let int = d.coeff.to_string();
    let n = int.len() as i64;
    let leftdigits = d.exp + n;
    let dotplace = if d.exp <= 0 && leftdigits > -6 {
        leftdigits
    } else if !eng {
        1
    } else if d.coeff.is_zero() {
        (leftdigits + 1).rem_euclid(3) - 1
    } else {
        (leftdigits - 1).rem_euclid(3) + 1
    };
    let (intpart, fracpart) = if dotplace <= 0 {
        ("0".to_string(), format!(".{}{}", "0".repeat((-dotplace) as usize), int))
    } else if dotplace >= n {
        (format!("{}{}", int, "0".repeat((dotplace - n) as usize)), String::new())
    } else {
        (int[..dotplace as usize].to_string(), format!(".{}", &int[dotplace as usize..]))
    };
    let exp =
        if leftdigits == dotplace { String::new() } else { format!("{}{:+}", if capitals { 'E' } else { 'e' }, leftdigits - dotplace) };
    format!("{sign}{intpart}{fracpart}{exp}")
}

// ----------------------------------------------------------------------
// Rounding and fitting to a context

/// Drops the last `drop` digits of `c` (which has `nd` digits), rounding
/// with `rounding` for a number of sign `neg`: the kept digits and whether
/// anything nonzero was dropped.
pub fn round_drop(c: &BigUint, nd: u64, drop: u64, rounding: Rounding, neg: bool) -> (BigUint, bool) {
    if drop == 0 {
        return (c.clone(), false);
    }
    if drop <= 38 {
        if let Some(v) = small(c) {
            let (q, inc, nonzero) = round_drop_u128(v, drop as u32, rounding, neg);
            return (BigUint::from(q + u128::from(inc)), nonzero);
        }
    }
    let (q, half_cmp, nonzero) = if drop > nd {
        (BigUint::zero(), Ordering::Less, !c.is_zero())
    } else {
        let p = pow10(drop);
        let (q, r) = c.div_rem(&p);
        let half = p / 2u32;
        (q, r.cmp(&half), !r.is_zero())
    };
    if !nonzero {
        return (q, false);
    }
    let inc = rounds_up(rounding, neg, half_cmp, q.bit(0), || (&q % 10u32).to_u32().unwrap_or(0));
    (if inc { q + 1u32 } else { q }, true)
}

/// [`round_drop`] on a machine integer (`drop` <= 38): the kept digits,
/// whether to add one to them, and whether anything nonzero was dropped.
fn round_drop_u128(c: u128, drop: u32, rounding: Rounding, neg: bool) -> (u128, bool, bool) {
    let p = POW10_U128[drop as usize];
    let (q, r) = (c / p, c % p);
    if r == 0 {
        return (q, false, false);
    }
    let half_cmp = r.cmp(&(p / 2));
    let inc = rounds_up(rounding, neg, half_cmp, q & 1 == 1, || (q % 10) as u32);
    (q, inc, true)
}

/// Whether dropping nonzero digits rounds the kept ones up by one:
/// `half_cmp` compares the dropped part with half a unit, `odd` is the
/// parity of the kept digits and `last_digit` their last digit (for
/// ROUND_05UP), for a number of sign `neg`.
fn rounds_up(rounding: Rounding, neg: bool, half_cmp: Ordering, odd: bool, last_digit: impl FnOnce() -> u32) -> bool {
    match rounding {
        Rounding::Down => false,
        Rounding::Up => true,
        Rounding::Ceiling => !neg,
        Rounding::Floor => neg,
        Rounding::HalfUp => half_cmp != Ordering::Less,
        Rounding::HalfDown => half_cmp == Ordering::Greater,
        Rounding::HalfEven => half_cmp == Ordering::Greater || (half_cmp == Ordering::Equal && odd),
        Rounding::Up05 => matches!(last_digit(), 0 | 5),
    }
}

/// The result of an overflow for `rounding` and sign.
fn overflow_result(ctx: &Ctx, neg: bool) -> Dec {
    let to_inf = match ctx.rounding {
        Rounding::HalfUp | Rounding::HalfEven | Rounding::HalfDown | Rounding::Up => true,
        Rounding::Ceiling => !neg,
        Rounding::Floor => neg,
        _ => false,
    };
    if to_inf {
        Dec::inf(neg)
    } else {
        Dec::finite(neg, pow10(ctx.prec as u64) - 1u32, ctx.etop())
    }
}

/// A NaN's payload cut to what the context allows.
pub fn fix_nan(d: &Dec, ctx: &Ctx) -> Dec {
    let max = (ctx.prec - ctx.clamp as i64).max(0) as u64;
    if !d.coeff.is_zero() && digits(&d.coeff) > max {
        let keep = &d.coeff % pow10(max);
        return Dec { coeff: keep, ..d.clone() };
    }
    d.clone()
}

impl Dec {
    /// Rounds to the context's precision and checks the exponent limits
    /// (`_fix`).
    pub fn fix(self, ctx: &Ctx, st: &mut u32) -> Dec {
        match self.kind {
            Kind::NaN | Kind::SNaN => return fix_nan(&self, ctx),
            Kind::Inf => return self,
            Kind::Finite => {}
        }
        let etiny = ctx.etiny();
        let etop = ctx.etop();
        if self.coeff.is_zero() {
            let exp_max = if ctx.clamp { etop } else { ctx.emax };
            let new_exp = self.exp.max(etiny).min(exp_max);
            if new_exp != self.exp {
                *st |= CLAMPED;
                return Dec::zero(self.neg, new_exp);
            }
            return self;
        }
        // Fast path: clearly within precision and exponent limits.
        let (lo, hi) = digit_bounds(&self.coeff);
        if (hi as i64) <= ctx.prec
            && self.exp >= etiny
            && self.exp + lo as i64 > ctx.emin
            && self.exp + hi as i64 - 1 <= ctx.emax
            && (!ctx.clamp || self.exp <= etop)
        {
            return self;
        }
        let nd = self.ndigits();
        let mut exp_min = nd as i64 + self.exp - ctx.prec;
        if exp_min > etop {
            *st |= OVERFLOW | INEXACT | ROUNDED;
            return overflow_result(ctx, self.neg);
        }
        let subnormal = exp_min < etiny;
        if subnormal {
            exp_min = etiny;
        }
        if self.exp < exp_min {
            let drop = (exp_min - self.exp) as u64;
            let (mut coeff, changed) = round_drop(&self.coeff, nd, drop, ctx.rounding, self.neg);
            if changed && digits(&coeff) as i64 > ctx.prec {
                coeff /= 10u32;
                exp_min += 1;
            }
            if exp_min > etop {
                *st |= OVERFLOW | INEXACT | ROUNDED;
                return overflow_result(ctx, self.neg);
            }
            if changed && subnormal {
                *st |= UNDERFLOW;
            }
            if subnormal {
                *st |= SUBNORMAL;
            }
            if changed {
                *st |= INEXACT;
            }
            *st |= ROUNDED;
            if coeff.is_zero() {
                *st |= CLAMPED;
            }
            return Dec::finite(self.neg, coeff, exp_min);
        }
        if subnormal {
            *st |= SUBNORMAL;
        }
        if ctx.clamp && self.exp > etop {
            *st |= CLAMPED;
            let coeff = &self.coeff * pow10((self.exp - etop) as u64);
            return Dec::finite(self.neg, coeff, etop);
        }
        self
    }

    /// The value with exponent `exp`, rounding as needed; no flags
    /// (`_rescale`).
    pub fn rescale(&self, exp: i64, rounding: Rounding) -> Dec {
        if self.is_special() {
            return self.clone();
        }
        if self.coeff.is_zero() {
            return Dec::zero(self.neg, exp);
        }
        if self.exp >= exp {
            return Dec::finite(self.neg, &self.coeff * pow10((self.exp - exp) as u64), exp);
        }
        let nd = self.ndigits();
        let (coeff, _) = round_drop(&self.coeff, nd, (exp - self.exp) as u64, rounding, self.neg);
        Dec::finite(self.neg, coeff, exp)
    }
}

// ----------------------------------------------------------------------
// NaN handling

/// The NaN operand result of a binary operation (`_check_nans`), if any.
pub fn check_nans(a: &Dec, b: Option<&Dec>, ctx: &Ctx, st: &mut u32) -> Option<Dec> {
    let quiet = |d: &Dec| fix_nan(&Dec { kind: Kind::NaN, ..d.clone() }, ctx);
    if a.kind == Kind::SNaN {
        *st |= INVALID_OPERATION;
        return Some(quiet(a));
    }
    if let Some(b) = b {
        if b.kind == Kind::SNaN {
            *st |= INVALID_OPERATION;
            return Some(quiet(b));
        }
    }
    if a.kind == Kind::NaN {
        return Some(fix_nan(a, ctx));
    }
    if let Some(b) = b {
        if b.kind == Kind::NaN {
            return Some(fix_nan(b, ctx));
        }
    }
    None
}

fn invalid(st: &mut u32, bit: u32) -> Dec {
    *st |= bit;
    Dec::nan()
}

// ----------------------------------------------------------------------
// Arithmetic

pub fn plus(a: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    if let Some(n) = check_nans(a, None, ctx, st) {
        return n;
    }
    let mut r = a.clone();
    if r.is_zero() && ctx.rounding != Rounding::Floor {
        r.neg = false;
    }
    r.fix(ctx, st)
}

pub fn minus(a: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    if let Some(n) = check_nans(a, None, ctx, st) {
        return n;
    }
    let mut r = a.negated();
    if a.is_zero() && ctx.rounding != Rounding::Floor {
        r.neg = false;
    }
    r.fix(ctx, st)
}

pub fn abs(a: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    if let Some(n) = check_nans(a, None, ctx, st) {
        return n;
    }
    if a.neg {
        minus(a, ctx, st)
    } else {
        plus(a, ctx, st)
    }
}

pub fn add(a: &Dec, b: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    if a.is_special() || b.is_special() {
        if let Some(n) = check_nans(a, Some(b), ctx, st) {
            return n;
        }
        if a.is_inf() {
            if b.is_inf() && a.neg != b.neg {
                return invalid(st, INVALID_OPERATION);
            }
            return a.clone();
        }
        return b.clone();
    }
    let negativezero = ctx.rounding == Rounding::Floor && a.neg != b.neg;
    let exp = a.exp.min(b.exp);
    if a.is_zero() && b.is_zero() {
        let neg = (a.neg && b.neg) || negativezero;
        return Dec::zero(neg, exp).fix(ctx, st);
    }
    if a.is_zero() {
        let exp = exp.max(b.exp - ctx.prec - 1);
        return b.rescale(exp, ctx.rounding).fix(ctx, st);
    }
    if b.is_zero() {
        let exp = exp.max(a.exp - ctx.prec - 1);
        return a.rescale(exp, ctx.rounding).fix(ctx, st);
    }
    // Align; a far smaller operand only matters as a sticky digit.
    let (mut x, mut y) = if a.exp >= b.exp { (a.clone(), b.clone()) } else { (b.clone(), a.clone()) };
    let (_, xhi) = digit_bounds(&x.coeff);
    let (_, yhi) = digit_bounds(&y.coeff);
    if x.exp - y.exp > ctx.prec + xhi as i64 + 2 {
        let xlen = x.ndigits() as i64;
        let ylen = y.ndigits() as i64;
        let e = x.exp + (-1i64).min(xlen - ctx.prec - 2);
        if ylen + y.exp - 1 < e {
            y.coeff = BigUint::one();
            y.exp = e;
        }
    }
    let _ = yhi;
    if x.exp > y.exp {
        x.coeff *= pow10((x.exp - y.exp) as u64);
        x.exp = y.exp;
    }
    let exp = y.exp;
    let r = if x.neg == y.neg {
        Dec::finite(x.neg, &x.coeff + &y.coeff, exp)
    } else {
        match x.coeff.cmp(&y.coeff) {
            Ordering::Equal => return Dec::zero(negativezero, exp).fix(ctx, st),
            Ordering::Greater => Dec::finite(x.neg, &x.coeff - &y.coeff, exp),
            Ordering::Less => Dec::finite(y.neg, &y.coeff - &x.coeff, exp),
        }
    };
    r.fix(ctx, st)
}

pub fn sub(a: &Dec, b: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    if let Some(n) = check_nans(a, Some(b), ctx, st) {
        return n;
    }
    add(a, &b.negated(), ctx, st)
}

pub fn mul(a: &Dec, b: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    let neg = a.neg != b.neg;
    if a.is_special() || b.is_special() {
        if let Some(n) = check_nans(a, Some(b), ctx, st) {
            return n;
        }
        if a.is_inf() {
            if b.is_zero() {
                return invalid(st, INVALID_OPERATION);
            }
            return Dec::inf(neg);
        }
        if a.is_zero() {
            return invalid(st, INVALID_OPERATION);
        }
        return Dec::inf(neg);
    }
    let exp = a.exp + b.exp;
    if a.is_zero() || b.is_zero() {
        return Dec::zero(neg, exp).fix(ctx, st);
    }
    Dec::finite(neg, &a.coeff * &b.coeff, exp).fix(ctx, st)
}

pub fn div(a: &Dec, b: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    let neg = a.neg != b.neg;
    if a.is_special() || b.is_special() {
        if let Some(n) = check_nans(a, Some(b), ctx, st) {
            return n;
        }
        if a.is_inf() && b.is_inf() {
            return invalid(st, INVALID_OPERATION);
        }
        if a.is_inf() {
            return Dec::inf(neg);
        }
        *st |= CLAMPED;
        return Dec::zero(neg, ctx.etiny());
    }
    if b.is_zero() {
        if a.is_zero() {
            return invalid(st, DIVISION_UNDEFINED);
        }
        *st |= DIVISION_BY_ZERO;
        return Dec::inf(neg);
    }
    let ideal = a.exp - b.exp;
    if a.is_zero() {
        return Dec::zero(neg, ideal).fix(ctx, st);
    }
    let shift = b.ndigits() as i64 - a.ndigits() as i64 + ctx.prec + 1;
    // With a large precision, look for an exact quotient first (scaling
    // by 10**shift would be huge); same result as the general path.
    if shift > 64 {
        if let Some((q, k)) = exact_quotient(&a.coeff, &b.coeff) {
            if (digits(&q) as i64) <= ctx.prec {
                return Dec::finite(neg, q, ideal - k as i64).fix(ctx, st);
            }
        }
    }
    let exp = ideal - shift;
    if let Some(r) = div_small(neg, &a.coeff, &b.coeff, shift, exp, ideal) {
        return r.fix(ctx, st);
    }
    let (mut q, r) =
        if shift >= 0 { (&a.coeff * pow10(shift as u64)).div_rem(&b.coeff) } else { a.coeff.div_rem(&(&b.coeff * pow10((-shift) as u64))) };
    let mut exp = exp;
    if !r.is_zero() {
        if (&q % 5u32).is_zero() {
            q += 1u32;
        }
    } else if exp < ideal {
        let (s, n) = strip_zeros(&q, (ideal - exp) as u64);
        q = s;
        exp += n as i64;
    }
    Dec::finite(neg, q, exp).fix(ctx, st)
}

/// The unrounded quotient of [`div`] on machine integers, when the
/// scaled dividend `a * 10**shift` fits in a `u128` (same digits).
fn div_small(neg: bool, a: &BigUint, b: &BigUint, shift: i64, mut exp: i64, ideal: i64) -> Option<Dec> {
    let p = POW10_U128.get(usize::try_from(shift).ok()?)?;
    let num = small(a)?.checked_mul(*p)?;
    let den = small(b)?;
    if den == 0 {
        return None;
    }
    let (mut q, r) = (num / den, num % den);
    if r != 0 {
        if q % 5 == 0 {
            q += 1;
        }
    } else {
        while exp < ideal && q != 0 && q % 10 == 0 {
            q /= 10;
            exp += 1;
        }
    }
    Some(Dec::finite(neg, BigUint::from(q), exp))
}

/// `a / b` as `q / 10**k` exactly with the least `k`, if the quotient
/// has a finite decimal expansion.
fn exact_quotient(a: &BigUint, b: &BigUint) -> Option<(BigUint, u64)> {
    let g = a.gcd(b);
    let mut d = b / &g;
    let mut twos = 0u64;
    let mut fives = 0u64;
    let t = d.trailing_zeros().unwrap_or(0);
    d >>= t;
    twos += t;
    loop {
        let (q, r) = d.div_rem(&BigUint::from(5u32));
        if !r.is_zero() {
            break;
        }
        d = q;
        fives += 1;
    }
    if !d.is_one() {
        return None;
    }
    let k = twos.max(fives);
    let q = (a / &g) * (pow10(k) / (b / &g));
    Some((q, k))
}

/// Integer quotient and remainder of finite numbers (`_divide`); `None`
/// when the quotient needs more than `prec` digits (DivisionImpossible).
fn divide_parts(a: &Dec, b: &Dec, ctx: &Ctx) -> Option<(Dec, Dec)> {
    let neg = a.neg != b.neg;
    let ideal = if b.is_inf() { a.exp } else { a.exp.min(b.exp) };
    let expdiff = a.adjusted() - b.adjusted();
    if a.is_zero() || b.is_inf() || expdiff <= -2 {
        return Some((Dec::zero(neg, 0), a.rescale(ideal, ctx.rounding)));
    }
    if expdiff <= ctx.prec {
        let (mut x, mut y) = (a.coeff.clone(), b.coeff.clone());
        if a.exp >= b.exp {
            x *= pow10((a.exp - b.exp) as u64);
        } else {
            y *= pow10((b.exp - a.exp) as u64);
        }
        let (q, r) = x.div_rem(&y);
        if (digits(&q) as i64) <= ctx.prec {
            return Some((Dec::finite(neg, q, 0), Dec::finite(a.neg, r, ideal)));
        }
    }
    None
}

pub fn floordiv(a: &Dec, b: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    let neg = a.neg != b.neg;
    if let Some(n) = check_nans(a, Some(b), ctx, st) {
        return n;
    }
    if a.is_inf() {
        if b.is_inf() {
            return invalid(st, INVALID_OPERATION);
        }
        return Dec::inf(neg);
    }
    if b.is_zero() {
        if a.is_zero() {
            return invalid(st, DIVISION_UNDEFINED);
        }
        *st |= DIVISION_BY_ZERO;
        return Dec::inf(neg);
    }
    match divide_parts(a, b, ctx) {
        Some((q, _)) => q,
        None => invalid(st, DIVISION_IMPOSSIBLE),
    }
}

pub fn rem(a: &Dec, b: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    if let Some(n) = check_nans(a, Some(b), ctx, st) {
        return n;
    }
    if a.is_inf() {
        return invalid(st, INVALID_OPERATION);
    }
    if b.is_zero() {
        if a.is_zero() {
            return invalid(st, DIVISION_UNDEFINED);
        }
        return invalid(st, INVALID_OPERATION);
    }
    match divide_parts(a, b, ctx) {
        Some((_, r)) => r.fix(ctx, st),
        None => invalid(st, DIVISION_IMPOSSIBLE),
    }
}

pub fn divmod(a: &Dec, b: &Dec, ctx: &Ctx, st: &mut u32) -> (Dec, Dec) {
    let neg = a.neg != b.neg;
    if let Some(n) = check_nans(a, Some(b), ctx, st) {
        return (n.clone(), n);
    }
    if a.is_inf() {
        if b.is_inf() {
            let n = invalid(st, INVALID_OPERATION);
            return (n.clone(), n);
        }
        return (Dec::inf(neg), invalid(st, INVALID_OPERATION));
    }
    if b.is_zero() {
        if a.is_zero() {
            let n = invalid(st, DIVISION_UNDEFINED);
            return (n.clone(), n);
        }
        *st |= DIVISION_BY_ZERO;
        return (Dec::inf(neg), invalid(st, INVALID_OPERATION));
    }
    match divide_parts(a, b, ctx) {
        Some((q, r)) => (q, r.fix(ctx, st)),
        None => {
            let n = invalid(st, DIVISION_IMPOSSIBLE);
            (n.clone(), n)
        }
    }
}

/// Compares two non-NaN values (`_cmp`).
pub fn cmp(a: &Dec, b: &Dec) -> Ordering {
    if a.is_special() || b.is_special() {
        return a.inf_sign().cmp(&b.inf_sign());
    }
    if a.is_zero() {
        if b.is_zero() {
            return Ordering::Equal;
        }
        return if b.neg { Ordering::Greater } else { Ordering::Less };
    }
    if b.is_zero() {
        return if a.neg { Ordering::Less } else { Ordering::Greater };
    }
    if a.neg != b.neg {
        return if a.neg { Ordering::Less } else { Ordering::Greater };
    }
    let mag = {
        let (aa, ba) = (a.adjusted(), b.adjusted());
        if aa != ba {
            aa.cmp(&ba)
        } else if a.exp >= b.exp {
            (&a.coeff * pow10((a.exp - b.exp) as u64)).cmp(&b.coeff)
        } else {
            a.coeff.cmp(&(&b.coeff * pow10((b.exp - a.exp) as u64)))
        }
    };
    if a.neg {
        mag.reverse()
    } else {
        mag
    }
}

pub fn quantize(a: &Dec, e: &Dec, rounding: Rounding, ctx: &Ctx, st: &mut u32) -> Dec {
    if a.is_special() || e.is_special() {
        if let Some(n) = check_nans(a, Some(e), ctx, st) {
            return n;
        }
        if a.is_inf() && e.is_inf() {
            return a.clone();
        }
        return invalid(st, INVALID_OPERATION);
    }
    if !(ctx.etiny() <= e.exp && e.exp <= ctx.emax) {
        return invalid(st, INVALID_OPERATION);
    }
    if a.is_zero() {
        return Dec::zero(a.neg, e.exp).fix(ctx, st);
    }
    let adj = a.adjusted();
    if adj > ctx.emax || adj - e.exp + 1 > ctx.prec {
        return invalid(st, INVALID_OPERATION);
    }
    let ans = a.rescale(e.exp, rounding);
    if ans.adjusted() > ctx.emax || ans.ndigits() as i64 > ctx.prec {
        return invalid(st, INVALID_OPERATION);
    }
    if !ans.is_zero() && ans.adjusted() < ctx.emin {
        *st |= SUBNORMAL;
    }
    if ans.exp > a.exp {
        if cmp(&ans, a) != Ordering::Equal {
            *st |= INEXACT;
        }
        *st |= ROUNDED;
    }
    ans.fix(ctx, st)
}

pub fn to_integral(a: &Dec, rounding: Rounding, exact: bool, ctx: &Ctx, st: &mut u32) -> Dec {
    if a.is_special() {
        if let Some(n) = check_nans(a, None, ctx, st) {
            return n;
        }
        return a.clone();
    }
    if a.exp >= 0 {
        return a.clone();
    }
    if a.is_zero() {
        return Dec::zero(a.neg, 0);
    }
    let ans = a.rescale(0, rounding);
    if exact {
        if cmp(&ans, a) != Ordering::Equal {
            *st |= INEXACT;
        }
        *st |= ROUNDED;
    }
    ans
}

/// A copy of `ctx` rounding half-even (sqrt, exp, ln, log10 ignore the
/// context's rounding).
fn half_even(ctx: &Ctx) -> Ctx {
    Ctx { rounding: Rounding::HalfEven, ..*ctx }
}

/// The correctly rounded square root (`_pydecimal`'s algorithm, with an
/// exact integer root tried first so that exact results need no scaling).
pub fn sqrt(a: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    if a.is_special() {
        if let Some(n) = check_nans(a, None, ctx, st) {
            return n;
        }
        if a.is_inf() && !a.neg {
            return a.clone();
        }
        return invalid(st, INVALID_OPERATION);
    }
    if a.is_zero() {
        return Dec::zero(a.neg, a.exp.div_euclid(2)).fix(ctx, st);
    }
    if a.neg {
        return invalid(st, INVALID_OPERATION);
    }
    let hctx = half_even(ctx);
    let e0 = a.exp.div_euclid(2);
    let odd = a.exp.rem_euclid(2) == 1;
    let c = if odd { &a.coeff * 10u32 } else { a.coeff.clone() };
    let r = c.sqrt();
    if &r * &r == c {
        return Dec::finite(false, r, e0).fix(&hctx, st);
    }
    let prec = ctx.prec + 1;
    let nd = a.ndigits() as i64;
    let l = if odd { (nd >> 1) + 1 } else { (nd + 1) >> 1 };
    let shift = prec - l;
    let (c2, exact) = if shift >= 0 {
        (c * pow10(2 * shift as u64), true)
    } else {
        let (q, r) = c.div_rem(&pow10(2 * (-shift) as u64));
        (q, r.is_zero())
    };
    let mut e = e0 - shift;
    let mut n = c2.sqrt();
    if exact && &n * &n == c2 {
        if shift >= 0 {
            n /= pow10(shift as u64);
        } else {
            n *= pow10((-shift) as u64);
        }
        e += shift;
    } else if (&n % 5u32).is_zero() {
        n += 1u32;
    }
    Dec::finite(false, n, e).fix(&hctx, st)
}

/// Whether a finite number is an integer.
pub fn is_integer(a: &Dec) -> bool {
    if a.exp >= 0 || a.is_zero() {
        return true;
    }
    let drop = a.exp.unsigned_abs();
    drop < a.ndigits() && (&a.coeff % pow10(drop)).is_zero()
}

/// `a ** b` for the cases computed exactly and rounded once: finite `a`,
/// integral `b` of moderate size. `None`: not handled here.
pub fn power_int(a: &Dec, b: &Dec, ctx: &Ctx, st: &mut u32) -> Option<Dec> {
    if a.is_special() || b.is_special() {
        if let Some(n) = check_nans(a, Some(b), ctx, st) {
            return Some(n);
        }
        return None;
    }
    if !is_integer(b) {
        return None;
    }
    let y = trunc_magnitude(b);
    if b.is_zero() {
        if a.is_zero() {
            return Some(invalid(st, INVALID_OPERATION));
        }
        return Some(Dec::from_i64(1));
    }
    let yodd = y.bit(0);
    let neg = a.neg && yodd;
    if a.is_zero() {
        return Some(if b.neg { Dec::inf(neg) } else { Dec::zero(neg, 0) });
    }
    let y = y.to_u64()?;
    let est = a.ndigits().checked_mul(y)?;
    if est > (4 * ctx.prec.max(0) as u64).max(20000) {
        return None;
    }
    if y > u32::MAX as u64 {
        return None;
    }
    let exp = a.exp.checked_mul(y as i64)?;
    let p = Dec::finite(neg, a.coeff.pow(y as u32), exp);
    if !b.neg {
        return Some(p.fix(ctx, st));
    }
    Some(div(&Dec::finite(neg, BigUint::one(), 0), &Dec { neg: false, ..p }, ctx, st))
}

// ----------------------------------------------------------------------
// Comparison-based, logical and digit-shuffling operations

fn nan_kind(d: &Dec) -> u8 {
    match d.kind {
        Kind::NaN => 1,
        Kind::SNaN => 2,
        _ => 0,
    }
}

/// `compare_total`: -1, 0 or 1 under the total order.
pub fn compare_total(a: &Dec, b: &Dec) -> i32 {
    if a.neg && !b.neg {
        return -1;
    }
    if !a.neg && b.neg {
        return 1;
    }
    let flip = |x: i32| if a.neg { -x } else { x };
    let (an, bn) = (nan_kind(a), nan_kind(b));
    if an != 0 || bn != 0 {
        if an == bn {
            return flip(match a.coeff.cmp(&b.coeff) {
                Ordering::Less => -1,
                Ordering::Equal => 0,
                Ordering::Greater => 1,
            });
        }
        // Positive values: numbers < sNaN < NaN.
        let rank = |k: u8| match k {
            0 => 0,
            2 => 1,
            _ => 2,
        };
        return flip(if rank(an) > rank(bn) { 1 } else { -1 });
    }
    match cmp(a, b) {
        Ordering::Less => -1,
        Ordering::Greater => 1,
        Ordering::Equal => match a.exp.cmp(&b.exp) {
            Ordering::Less => flip(-1),
            Ordering::Greater => flip(1),
            Ordering::Equal => 0,
        },
    }
}

/// `max`, `min`, `max_mag`, `min_mag`.
pub fn minmax(a: &Dec, b: &Dec, want_max: bool, mag: bool, ctx: &Ctx, st: &mut u32) -> Dec {
    let (an, bn) = (nan_kind(a), nan_kind(b));
    if an != 0 || bn != 0 {
        if bn == 1 && an == 0 {
            return a.clone().fix(ctx, st);
        }
        if an == 1 && bn == 0 {
            return b.clone().fix(ctx, st);
        }
        return check_nans(a, Some(b), ctx, st).unwrap_or_else(Dec::nan);
    }
    let mut c = if mag { cmp(&a.with_sign(false), &b.with_sign(false)) } else { cmp(a, b) };
    if c == Ordering::Equal {
        c = compare_total(a, b).cmp(&0);
    }
    let pick_b = if want_max { c == Ordering::Less } else { c != Ordering::Less };
    let ans = if pick_b { b } else { a };
    ans.clone().fix(ctx, st)
}

fn is_logical(d: &Dec) -> bool {
    d.kind == Kind::Finite && !d.neg && d.exp == 0 && d.coeff.to_string().bytes().all(|c| c == b'0' || c == b'1')
}

/// The digits of a logical operand, as `prec` digits (left-padded or
/// cut to the last `prec`).
fn logical_digits(d: &Dec, prec: usize) -> Vec<u8> {
    let s = d.coeff.to_string().into_bytes();
    if s.len() >= prec {
        s[s.len() - prec..].to_vec()
    } else {
        let mut v = vec![b'0'; prec - s.len()];
        v.extend_from_slice(&s);
        v
    }
}

fn from_digit_bytes(v: &[u8]) -> BigUint {
    let s = std::str::from_utf8(v).unwrap_or("0").trim_start_matches('0');
    if s.is_empty() {
        BigUint::zero()
    } else {
        s.parse().unwrap_or_default()
    }
}

/// `logical_and` (`op` 0), `logical_or` (1), `logical_xor` (2).
pub fn logical(a: &Dec, b: &Dec, op: u8, ctx: &Ctx, st: &mut u32) -> Dec {
    if !is_logical(a) || !is_logical(b) {
        return invalid(st, INVALID_OPERATION);
    }
    let n = (a.ndigits().max(b.ndigits()) as usize).min(ctx.prec as usize);
    let (x, y) = (logical_digits(a, n), logical_digits(b, n));
    let r: Vec<u8> = x
        .iter()
        .zip(&y)
        .map(|(p, q)| {
            let (p, q) = (*p == b'1', *q == b'1');
            let bit = match op {
                0 => p && q,
                1 => p || q,
                _ => p != q,
            };
            if bit {
                b'1'
            } else {
                b'0'
            }
        })
        .collect();
    Dec::finite(false, from_digit_bytes(&r), 0)
}

pub fn logical_invert(a: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    if !is_logical(a) {
        return invalid(st, INVALID_OPERATION);
    }
    let x = logical_digits(a, ctx.prec as usize);
    let r: Vec<u8> = x.iter().map(|c| if *c == b'1' { b'0' } else { b'1' }).collect();
    Dec::finite(false, from_digit_bytes(&r), 0)
}

/// The integer of an operand that must be an integer with exponent 0
/// within `[-lim, lim]` (`rotate`, `shift`, `scaleb`).
fn small_int_operand(b: &Dec, lim: i64) -> Option<i64> {
    if b.kind != Kind::Finite || b.exp != 0 {
        return None;
    }
    let v = b.coeff.to_i64()?;
    let v = if b.neg { -v } else { v };
    if v < -lim || v > lim {
        return None;
    }
    Some(v)
}

/// `rotate` (`rot`) or `shift` of the coefficient's `prec` digits.
pub fn rotate_shift(a: &Dec, b: &Dec, rot: bool, ctx: &Ctx, st: &mut u32) -> Dec {
    if let Some(n) = check_nans(a, Some(b), ctx, st) {
        return n;
    }
    let Some(k) = small_int_operand(b, ctx.prec) else { return invalid(st, INVALID_OPERATION) };
    if a.is_inf() {
        return a.clone();
    }
    let prec = ctx.prec as usize;
    let digits = logical_digits(a, prec);
    let out: Vec<u8> = if rot {
        let k = k.rem_euclid(prec as i64) as usize;
        let mut v = digits[k..].to_vec();
        v.extend_from_slice(&digits[..k]);
        v
    } else if k < 0 {
        digits[..(prec as i64 + k) as usize].to_vec()
    } else {
        let mut v = digits.clone();
        v.extend(std::iter::repeat_n(b'0', k as usize));
        v[v.len() - prec..].to_vec()
    };
    Dec::finite(a.neg, from_digit_bytes(&out), a.exp)
}

pub fn scaleb(a: &Dec, b: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    if let Some(n) = check_nans(a, Some(b), ctx, st) {
        return n;
    }
    let lim = 2 * (ctx.emax.saturating_add(ctx.prec));
    let Some(k) = small_int_operand(b, lim) else { return invalid(st, INVALID_OPERATION) };
    if a.is_inf() {
        return a.clone();
    }
    let exp = (a.exp as i128 + k as i128).clamp(-EXP_LIMIT as i128, EXP_LIMIT as i128) as i64;
    Dec::finite(a.neg, a.coeff.clone(), exp).fix(ctx, st)
}

pub fn logb(a: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    if let Some(n) = check_nans(a, None, ctx, st) {
        return n;
    }
    if a.is_inf() {
        return Dec::inf(false);
    }
    if a.is_zero() {
        *st |= DIVISION_BY_ZERO;
        return Dec::inf(true);
    }
    Dec::from_i64(a.adjusted()).fix(ctx, st)
}

pub fn next_plus(a: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    next(a, true, ctx, st)
}

pub fn next_minus(a: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    next(a, false, ctx, st)
}

fn next(a: &Dec, up: bool, ctx: &Ctx, st: &mut u32) -> Dec {
    if let Some(n) = check_nans(a, None, ctx, st) {
        return n;
    }
    if a.is_inf() {
        if a.neg != up {
            return a.clone();
        }
        return Dec::finite(a.neg, pow10(ctx.prec as u64) - 1u32, ctx.etop());
    }
    let c = Ctx { rounding: if up { Rounding::Ceiling } else { Rounding::Floor }, ..*ctx };
    let mut ignored = 0;
    let fixed = a.clone().fix(&c, &mut ignored);
    if cmp(&fixed, a) != Ordering::Equal {
        return fixed;
    }
    let tiny = Dec::finite(!up, BigUint::one(), ctx.etiny() - 1);
    add(a, &tiny, &c, &mut ignored)
}

pub fn next_toward(a: &Dec, b: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    if let Some(n) = check_nans(a, Some(b), ctx, st) {
        return n;
    }
    let ans = match cmp(a, b) {
        Ordering::Equal => return a.with_sign(b.neg),
        Ordering::Less => next_plus(a, ctx, st),
        Ordering::Greater => next_minus(a, ctx, st),
    };
    if ans.is_inf() {
        *st |= OVERFLOW | INEXACT | ROUNDED;
    } else if ans.adjusted() < ctx.emin {
        *st |= UNDERFLOW | SUBNORMAL | INEXACT | ROUNDED;
        if ans.is_zero() {
            *st |= CLAMPED;
        }
    }
    ans
}

pub fn number_class(a: &Dec, ctx: &Ctx) -> &'static str {
    match a.kind {
        Kind::SNaN => "sNaN",
        Kind::NaN => "NaN",
        Kind::Inf => {
            if a.neg {
                "-Infinity"
            } else {
                "+Infinity"
            }
        }
        Kind::Finite => {
            let class = if a.is_zero() {
                0
            } else if a.adjusted() < ctx.emin {
                1
            } else {
                2
            };
            match (a.neg, class) {
                (true, 0) => "-Zero",
                (false, 0) => "+Zero",
                (true, 1) => "-Subnormal",
                (false, 1) => "+Subnormal",
                (true, _) => "-Normal",
                (false, _) => "+Normal",
            }
        }
    }
}

pub fn fma(a: &Dec, b: &Dec, c: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    let neg = a.neg != b.neg;
    let product = if a.is_special() || b.is_special() {
        let quiet = |d: &Dec| fix_nan(&Dec { kind: Kind::NaN, ..d.clone() }, ctx);
        if a.kind == Kind::SNaN {
            *st |= INVALID_OPERATION;
            return quiet(a);
        }
        if b.kind == Kind::SNaN {
            *st |= INVALID_OPERATION;
            return quiet(b);
        }
        if a.kind == Kind::NaN {
            a.clone()
        } else if b.kind == Kind::NaN {
            b.clone()
        } else if a.is_inf() {
            if b.is_zero() {
                return invalid(st, INVALID_OPERATION);
            }
            Dec::inf(neg)
        } else {
            if a.is_zero() {
                return invalid(st, INVALID_OPERATION);
            }
            Dec::inf(neg)
        }
    } else {
        Dec::finite(neg, &a.coeff * &b.coeff, a.exp + b.exp)
    };
    add(&product, c, ctx, st)
}

pub fn remainder_near(a: &Dec, b: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    if let Some(n) = check_nans(a, Some(b), ctx, st) {
        return n;
    }
    if a.is_inf() {
        return invalid(st, INVALID_OPERATION);
    }
    if b.is_zero() {
        return invalid(st, if a.is_zero() { DIVISION_UNDEFINED } else { INVALID_OPERATION });
    }
    if b.is_inf() {
        return a.clone().fix(ctx, st);
    }
    let ideal = a.exp.min(b.exp);
    if a.is_zero() {
        return Dec::zero(a.neg, ideal).fix(ctx, st);
    }
    let expdiff = a.adjusted() - b.adjusted();
    if expdiff > ctx.prec {
        return invalid(st, DIVISION_IMPOSSIBLE);
    }
    if expdiff <= -2 {
        return a.rescale(ideal, ctx.rounding).fix(ctx, st);
    }
    let (mut x, mut y) = (a.coeff.clone(), b.coeff.clone());
    if a.exp >= b.exp {
        x *= pow10((a.exp - b.exp) as u64);
    } else {
        y *= pow10((b.exp - a.exp) as u64);
    }
    let (mut q, r) = x.div_rem(&y);
    // r in [0, y); take y - r when that is nearer (ties to an even q).
    let twice = &r * 2u32 + if q.bit(0) { 1u32 } else { 0u32 };
    let (neg, r) = if twice > y {
        q += 1u32;
        (!a.neg, &y - &r)
    } else {
        (a.neg, r)
    };
    if digits(&q) as i64 > ctx.prec {
        return invalid(st, DIVISION_IMPOSSIBLE);
    }
    Dec::finite(neg, r, ideal).fix(ctx, st)
}

/// The exact integer value (truncated toward zero) of a finite number:
/// magnitude only.
pub fn trunc_magnitude(a: &Dec) -> BigUint {
    if a.exp >= 0 {
        &a.coeff * pow10(a.exp as u64)
    } else {
        let drop = (-a.exp) as u64;
        if drop > a.ndigits() {
            BigUint::zero()
        } else {
            &a.coeff / pow10(drop)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(prec: i64) -> Ctx {
        Ctx { prec, rounding: Rounding::HalfEven, emin: -999999, emax: 999999, clamp: false }
    }

    fn d(s: &str) -> Dec {
        parse(s).unwrap()
    }

    fn s(x: &Dec) -> String {
        to_string(x, false, true)
    }

    #[test]
    fn digits_count() {
        assert_eq!(digits(&BigUint::zero()), 1);
        assert_eq!(digits(&pow10(100)), 101);
        assert_eq!(digits(&(pow10(100) - 1u32)), 100);
        assert_eq!(digits(&pow10(1000)), 1001);
        let (lo, hi) = digit_bounds(&pow10(1000));
        assert!(lo <= 1001 && 1001 <= hi);
    }

    #[test]
    fn arithmetic() {
        let c = ctx(28);
        let mut st = 0;
        assert_eq!(s(&div(&d("1"), &d("3"), &c, &mut st)), "0.3333333333333333333333333333");
        assert_eq!(st, INEXACT | ROUNDED);
        assert_eq!(s(&div(&d("1"), &d("4"), &c, &mut 0)), "0.25");
        assert_eq!(s(&add(&d("1.30"), &d("1.2"), &c, &mut 0)), "2.50");
        assert_eq!(s(&sub(&d("1.3"), &d("1.30"), &c, &mut 0)), "0.00");
        assert_eq!(s(&mul(&d("1.20"), &d("3"), &c, &mut 0)), "3.60");
        assert_eq!(s(&add(&d("1E+100"), &d("1E-100"), &c, &mut 0)), "1.000000000000000000000000000E+100");
        assert_eq!(s(&rem(&d("-7"), &d("3"), &c, &mut 0)), "-1");
        assert_eq!(s(&floordiv(&d("-7"), &d("3"), &c, &mut 0)), "-2");
        assert_eq!(s(&div(&d("1000"), &d("10"), &c, &mut 0)), "100");
        assert_eq!(s(&div(&d("1E+3"), &d("10"), &c, &mut 0)), "1E+2");
    }

    #[test]
    fn strings() {
        assert_eq!(s(&d("1e-7")), "1E-7");
        assert_eq!(s(&d("0.000001")), "0.000001");
        assert_eq!(to_string(&d("123E+1"), true, true), "1.23E+3");
        assert_eq!(to_string(&d("0E+1"), true, true), "0.00E+3");
        assert_eq!(s(&d("-sNaN12")), "-sNaN12");
        assert!(parse("1e").is_none());
        assert!(parse(".").is_none());
    }

    #[test]
    fn rounding_modes() {
        let mut c = ctx(2);
        for (r, want) in [(Rounding::HalfEven, "2.2"), (Rounding::HalfUp, "2.3"), (Rounding::Down, "2.2"), (Rounding::Up, "2.3")] {
            c.rounding = r;
            assert_eq!(s(&plus(&d("2.25"), &c, &mut 0)), want);
        }
    }

    #[test]
    fn digit_counts_at_powers_of_ten() {
        // Every power of ten and its neighbours up to 10**40 (machine-word
        // paths, then BigUint): the count matches the decimal string's.
        let mut p = BigUint::one();
        for _ in 0..=40 {
            for c in [p.clone(), &p + 1u32, if p.is_zero() { p.clone() } else { &p - 1u32 }, &p * 7u32, (&p << 1u32) + 3u32] {
                let want = c.to_string().len() as u64;
                assert_eq!(digits(&c), want, "{c}");
                let (lo, hi) = digit_bounds(&c);
                assert!(lo <= want && want <= hi, "{c}");
            }
            p *= 10u32;
        }
        for shift in 60..130u32 {
            let c = BigUint::one() << shift;
            assert_eq!(digits(&c), c.to_string().len() as u64, "2**{shift}");
            let c = &c - 1u32;
            assert_eq!(digits(&c), c.to_string().len() as u64, "2**{shift}-1");
        }
    }
}
