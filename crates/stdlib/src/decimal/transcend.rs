//! The transcendental operations of `_decimal`: `exp`, `ln`, `log10` and
//! `**` with a non-integral (or huge integral) exponent, plus the
//! three-argument `pow`. Results are correctly rounded (as libmpdec's
//! are, with its default "all correctly rounded" setting) by Ziv's
//! strategy: an approximation is computed in fixed point (integers scaled
//! by a power of ten) together with a bound on its error; when every value
//! within the bound rounds to the same result under the context, that is
//! the answer, otherwise the working precision grows and it is tried again.
//! The conditions (Inexact, Rounded, Subnormal, Underflow, Overflow,
//! Clamped) come from fitting a value with a nonzero sticky digit to the
//! context, exactly as for the basic operations.

use std::cell::RefCell;

use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::number::status::*;
use super::number::{self, check_nans, digits, pow10, Ctx, Dec, Kind, EXP_LIMIT};

thread_local! {
    /// The most precise ln(10) computed so far: (digits, floor(ln 10 * 10**digits)).
    static LN10: RefCell<(u64, BigUint)> = const { RefCell::new((0, BigUint::ZERO)) };
}

/// atanh(1/n) * 10**w, with an error of at most a few ulps per term.
fn atanh_inv(n: u32, w: u64) -> BigUint {
    let n2 = BigUint::from(n) * n;
    let mut p = pow10(w) / n;
    let mut sum = p.clone();
    let mut k = 1u64;
    loop {
        p /= &n2;
        if p.is_zero() {
            return sum;
        }
        sum += &p / (2 * k + 1);
        k += 1;
    }
}

/// ln(10) * 10**w, within one ulp.
pub fn ln10(w: u64) -> BigUint {
    let cached = LN10.with(|c| {
        let c = c.borrow();
        (c.0 >= w && !c.1.is_zero()).then(|| &c.1 / pow10(c.0 - w))
    });
    if let Some(v) = cached {
        return v;
    }
    // ln 10 = 46 atanh(1/31) + 34 atanh(1/49) + 20 atanh(1/161); the
    // truncation errors stay far below the 12 guard digits.
    let wg = w + 12;
    let v = atanh_inv(31, wg) * 46u32 + atanh_inv(49, wg) * 34u32 + atanh_inv(161, wg) * 20u32;
    let v = v / pow10(12);
    LN10.with(|c| *c.borrow_mut() = (w, v.clone()));
    v
}

/// `d * 10**w` as a signed integer, truncated toward zero, and whether the
/// truncation lost anything.
fn to_fixed(d: &Dec, w: u64) -> (BigInt, bool) {
    let e = d.exp as i128 + w as i128;
    let (mag, lost) = if e >= 0 {
        (&d.coeff * pow10(e as u64), false)
    } else {
        let drop = (-e) as u64;
        if drop > digits(&d.coeff) + 1 {
            (BigUint::zero(), !d.coeff.is_zero())
        } else {
            let (q, r) = d.coeff.div_rem(&pow10(drop));
            (q, !r.is_zero())
        }
    };
    (BigInt::from_biguint(if d.neg { Sign::Minus } else { Sign::Plus }, mag), lost)
}

/// exp(r / 10**w) * 10**w for 0 <= r / 10**w < 2.31, where `r` itself may be
/// off by `r_err` ulps: the approximation and its error bound in ulps.
fn exp_core(r: &BigUint, r_err: u64, w: u64) -> (BigUint, u64) {
    let u = pow10(w);
    let k = ((w as f64).sqrt() * 0.6) as u32 + 2;
    let k = k.min(400);
    let t = r >> k;
    let mut sum = u.clone();
    let mut term = u.clone();
    let mut n = 1u64;
    loop {
        term = (&term * &t) / (&u * n);
        if term.is_zero() {
            break;
        }
        sum += &term;
        n += 1;
    }
    let mut y = sum;
    for _ in 0..k {
        y = (&y * &y) / &u;
    }
    // Relative error (in ulps, values >= 1) at most doubles per squaring plus
    // one ulp; the result is below 10.
    let rel = (n + 4).saturating_mul(1u64 << k.min(40));
    let err = rel.saturating_add(r_err).saturating_mul(10).saturating_add(1);
    (y, err)
}

/// exp(X / 10**w) for a signed fixed-point `x` off by `x_err` ulps:
/// `(m, q, err)` with exp ~ m * 10**(q - w), m within `err` ulps.
fn exp_fixed(x: &BigInt, x_err: u64, w: u64) -> (BigUint, i128, u64) {
    let int_digits = {
        let d = digits(x.magnitude()) as i64 - w as i64;
        d.max(0) as u64 + 1
    };
    let l = BigInt::from(ln10(w + int_digits));
    let xs = x * BigInt::from(pow10(int_digits));
    let (q, rs) = xs.div_mod_floor(&l);
    let r = rs.magnitude() / pow10(int_digits);
    let (m, err) = exp_core(&r, x_err.saturating_add(2), w);
    let q = q.to_i128().unwrap_or(if x.is_negative() { -(EXP_LIMIT as i128) } else { EXP_LIMIT as i128 });
    (m, q, err)
}

/// ln(x) * 10**w for a positive finite `x`: the approximation (signed) and
/// its error bound in ulps.
fn ln_fixed(x: &Dec, w: u64, near_one: bool) -> (BigInt, u64) {
    let a = if near_one { 0 } else { x.adjusted() };
    let j = ((w as f64).sqrt() * 0.5) as u32 + 2;
    let j = j.min(400);
    let wj = w + 8 + (j as u64 * 3) / 10 + 1;
    let m = Dec::finite(false, x.coeff.clone(), x.exp - a);
    let (mf, _) = to_fixed(&m, wj);
    let u = pow10(wj);
    let mut s = mf.into_parts().1;
    for _ in 0..j {
        s = (&s * &u).sqrt();
    }
    let ui = BigInt::from(u.clone());
    let si = BigInt::from(s);
    let t = (&si - &ui) * &ui / (&si + &ui);
    let t2 = &t * &t / &ui;
    let mut sum = t.clone();
    let mut p = t;
    let mut k = 1u64;
    loop {
        p = &p * &t2 / &ui;
        if p.is_zero() {
            break;
        }
        sum += &p / BigInt::from(2 * k + 1);
        k += 1;
    }
    let mut l: BigInt = sum << (j + 1);
    let mut err = (k + 10).saturating_mul(1u64 << (j + 1).min(40));
    if a != 0 {
        let ad = digits(&BigUint::from(a.unsigned_abs()));
        let ln = BigInt::from(ln10(wj + ad)) * BigInt::from(a);
        l += ln / BigInt::from(pow10(ad));
        err += 2;
    }
    let drop = wj - w;
    (l / BigInt::from(pow10(drop)), err / 10u64.pow(drop.min(19) as u32) + 2)
}

/// The rounded result if every value within `err` ulps of `m * 10**exp`
/// rounds to the same number (a sticky digit marks it inexact).
fn ziv(neg: bool, m: &BigUint, err: u64, exp: i64, ctx: &Ctx, st: &mut u32, force: bool) -> Option<Dec> {
    let exp = exp.clamp(-EXP_LIMIT + 2, EXP_LIMIT - 2);
    let sticky = |c: &BigUint, up: bool| {
        let c10 = c * 10u32;
        if up {
            c10 + 1u32
        } else if c10.is_zero() {
            BigUint::one()
        } else {
            c10 - 1u32
        }
    };
    let lo = if *m > BigUint::from(err) { m - err } else { BigUint::zero() };
    let hi = m + err;
    let mut s1 = 0;
    let r1 = Dec::finite(neg, sticky(&lo, true), exp - 1).fix(ctx, &mut s1);
    if force {
        *st |= s1;
        return Some(r1);
    }
    let mut s2 = 0;
    let r2 = Dec::finite(neg, sticky(&hi, false), exp - 1).fix(ctx, &mut s2);
    if r1 == r2 && s1 == s2 {
        *st |= s1;
        return Some(r1);
    }
    None
}

/// Runs `attempt(guard)` with growing guard digits until the rounding is
/// decided (or gives up with the last approximation).
fn ziv_loop(ctx: &Ctx, st: &mut u32, mut attempt: impl FnMut(u64) -> (bool, BigUint, u64, i64)) -> Dec {
    let prec = ctx.prec.max(1) as u64;
    let mut g = 12u64;
    loop {
        let (neg, m, err, exp) = attempt(g);
        let last = g > 2 * prec + 200;
        if let Some(r) = ziv(neg, &m, err, exp, ctx, st, last) {
            return r;
        }
        g = g * 2 + 8;
    }
}

fn is_one(d: &Dec) -> bool {
    d.kind == Kind::Finite && !d.neg && number::cmp(d, &Dec::from_i64(1)) == std::cmp::Ordering::Equal
}

/// `-adjusted(x - 1)` when |x - 1| < 1/2 (the digits lost to cancellation
/// near 1), else None.
fn near_one_extra(x: &Dec) -> Option<u64> {
    // Far from 1 (and possibly huge): no exact subtraction needed.
    if x.is_special() || x.neg || x.adjusted() > 0 || x.adjusted() < -1 {
        return None;
    }
    let big = Ctx { prec: i64::MAX / 8, rounding: number::Rounding::HalfEven, emin: -EXP_LIMIT, emax: EXP_LIMIT, clamp: false };
    let mut ignored = 0;
    let d = number::sub(x, &Dec::from_i64(1), &big, &mut ignored);
    if d.is_zero() {
        return Some(0);
    }
    let half = Dec::finite(false, BigUint::from(5u32), -1);
    if number::cmp(&d.with_sign(false), &half) != std::cmp::Ordering::Less {
        return None;
    }
    Some((-d.adjusted()).max(0) as u64)
}

// ----------------------------------------------------------------------
// exp

pub fn exp(a: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    // Always rounded half-even, whatever the context says (as libmpdec).
    let ctx = &Ctx { rounding: number::Rounding::HalfEven, ..*ctx };
    if let Some(n) = check_nans(a, None, ctx, st) {
        return n;
    }
    if a.is_inf() {
        return if a.neg { Dec::zero(false, 0) } else { Dec::inf(false) };
    }
    if a.is_zero() {
        return Dec::from_i64(1);
    }
    let p = ctx.prec.max(1);
    let adj = a.adjusted();
    let lim = |v: i128| (v.unsigned_abs().to_string().len()) as i64;
    // Values far outside the range: the result is certainly out of range
    // (or within a tiny distance of 1); stand-ins with the same rounding.
    let shortcut = if !a.neg && adj > lim((ctx.emax as i128 + 1) * 3) {
        Some(Dec::finite(false, BigUint::one(), ctx.emax + 1))
    } else if a.neg && adj > lim((-(ctx.etiny() as i128) + 1) * 3) {
        Some(Dec::finite(false, BigUint::one(), ctx.etiny() - 1))
    } else if !a.neg && adj < -p {
        Some(Dec::finite(false, pow10(p as u64) + 1u32, -p))
    } else if a.neg && adj < -p - 1 {
        Some(Dec::finite(false, pow10(p as u64 + 1) - 1u32, -p - 1))
    } else {
        None
    };
    if let Some(s) = shortcut {
        let mut r = s.fix(ctx, st);
        *st |= INEXACT | ROUNDED;
        if r.is_zero() {
            r.exp = r.exp.max(ctx.etiny());
        }
        return r;
    }
    let prec = p as u64;
    ziv_loop(ctx, st, |g| {
        let w = prec + g + adj.max(0) as u64;
        let (x, lost) = to_fixed(a, w);
        let (m, q, err) = exp_fixed(&x, lost as u64, w);
        let exp = (q - w as i128).clamp(-(EXP_LIMIT as i128), EXP_LIMIT as i128) as i64;
        (false, m, err, exp)
    })
}

// ----------------------------------------------------------------------
// ln and log10

/// The special cases shared by `ln` and `log10`.
fn log_special(a: &Dec, ctx: &Ctx, st: &mut u32) -> Option<Dec> {
    if let Some(n) = check_nans(a, None, ctx, st) {
        return Some(n);
    }
    if a.is_zero() {
        return Some(Dec::inf(true));
    }
    if a.neg {
        *st |= INVALID_OPERATION;
        return Some(Dec::nan());
    }
    if a.is_inf() {
        return Some(Dec::inf(false));
    }
    None
}

pub fn ln(a: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    // Always rounded half-even, whatever the context says (as libmpdec).
    let ctx = &Ctx { rounding: number::Rounding::HalfEven, ..*ctx };
    if let Some(r) = log_special(a, ctx, st) {
        return r;
    }
    if is_one(a) {
        return Dec::zero(false, 0);
    }
    let prec = ctx.prec.max(1) as u64;
    let near = near_one_extra(a);
    let extra = near.unwrap_or(0);
    ziv_loop(ctx, st, |g| {
        let w = prec + g + extra;
        let (l, err) = ln_fixed(a, w, near.is_some());
        (l.is_negative(), l.into_parts().1, err, -(w as i64))
    })
}

pub fn log10(a: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    // Always rounded half-even, whatever the context says (as libmpdec).
    let ctx = &Ctx { rounding: number::Rounding::HalfEven, ..*ctx };
    if let Some(r) = log_special(a, ctx, st) {
        return r;
    }
    // Exact for powers of ten.
    let (c, _) = number::strip_zeros(&a.coeff, u64::MAX);
    if c.is_one() {
        return Dec::from_i64(a.adjusted()).fix(ctx, st);
    }
    let prec = ctx.prec.max(1) as u64;
    let near = near_one_extra(a);
    let extra = near.unwrap_or(0);
    ziv_loop(ctx, st, |g| {
        let w = prec + g + extra;
        let (l, err) = ln_fixed(a, w + 2, near.is_some());
        let q = l * BigInt::from(pow10(w + 2)) / BigInt::from(ln10(w + 2));
        let q: BigInt = q / BigInt::from(100u32);
        (q.is_negative(), q.into_parts().1, err / 200 + 2, -(w as i64))
    })
}

// ----------------------------------------------------------------------
// power

/// Whether an integral finite value is odd.
fn int_is_odd(y: &Dec) -> bool {
    if y.exp > 0 {
        return false;
    }
    if y.exp == 0 {
        return y.coeff.bit(0);
    }
    let drop = y.exp.unsigned_abs();
    if drop > digits(&y.coeff) {
        return false;
    }
    (&y.coeff / pow10(drop)).bit(0)
}

/// log10 |d| as a float (finite nonzero `d`).
fn log10_est(d: &Dec) -> f64 {
    let nd = digits(&d.coeff);
    let keep = nd.min(17);
    let lead = (&d.coeff / pow10(nd - keep)).to_f64().unwrap_or(1.0);
    lead.log10() + (d.exp as f64) + (nd - keep) as f64
}

/// An integral y as i128 if it fits.
fn small_int(y: &Dec) -> Option<i128> {
    if y.exp > 38 {
        return None;
    }
    let m = number::trunc_magnitude(y).to_i128()?;
    Some(if y.neg { -m } else { m })
}

/// `a ** b` for everything `number::power_int` leaves (non-integral or
/// huge exponents, special values).
pub fn power(a: &Dec, b: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    if let Some(n) = check_nans(a, Some(b), ctx, st) {
        return n;
    }
    let b_int = b.kind == Kind::Finite && number::is_integer(b);
    let odd = b_int && int_is_odd(b);
    if a.is_zero() {
        if b.is_zero() {
            *st |= INVALID_OPERATION;
            return Dec::nan();
        }
        let neg = a.neg && odd;
        return if b.neg { Dec::inf(neg) } else { Dec::zero(neg, 0) };
    }
    if a.neg && !b_int {
        *st |= INVALID_OPERATION;
        return Dec::nan();
    }
    let neg = a.neg && odd;
    if a.is_inf() {
        if b.is_zero() {
            return Dec::from_i64(1);
        }
        return if b.neg { Dec::zero(neg, 0) } else { Dec::inf(neg) };
    }
    let prec = ctx.prec.max(1);
    let mag = a.with_sign(false);
    if b.is_zero() {
        return Dec::from_i64(1);
    }
    if is_one(&mag) {
        // 1 ** y: the exponent depends on y being a positive integer.
        let exp = if b_int {
            let mult = if b.neg {
                0
            } else {
                match small_int(b) {
                    Some(v) if v <= prec as i128 => v as i64,
                    _ => prec,
                }
            };
            let e = (mag.exp as i128 * mult as i128).max(-(EXP_LIMIT as i128)) as i64;
            if e < 1 - prec {
                *st |= ROUNDED;
                1 - prec
            } else {
                e
            }
        } else {
            *st |= INEXACT | ROUNDED;
            1 - prec
        };
        return Dec::finite(neg, pow10(exp.unsigned_abs()), exp);
    }
    if b.is_inf() {
        let below = number::cmp(&mag, &Dec::from_i64(1)) == std::cmp::Ordering::Less;
        return if below != b.neg { Dec::zero(false, 0) } else { Dec::inf(false) };
    }
    // Powers of ten with an integral exponent are exact.
    let (stripped, t) = number::strip_zeros(&a.coeff, u64::MAX);
    if b_int && stripped.is_one() {
        if let Some(y) = small_int(b) {
            let r = if y < 0 {
                let e = ((a.exp as i128 + t as i128) * y).clamp(-(EXP_LIMIT as i128), EXP_LIMIT as i128) as i64;
                Dec::finite(neg, BigUint::one(), e)
            } else {
                let zeros = t as i128 * y;
                let e = a.exp as i128 * y;
                let (c, e) = if zeros + 1 > prec as i128 {
                    *st |= ROUNDED;
                    (pow10(prec as u64 - 1), e + zeros - (prec as i128 - 1))
                } else {
                    (pow10(zeros as u64), e)
                };
                Dec::finite(neg, c, e.clamp(-(EXP_LIMIT as i128), EXP_LIMIT as i128) as i64)
            };
            return r.fix(ctx, st);
        }
    }
    // z = b * ln|a|; estimate its size to settle overflow, underflow and
    // results within a hair of 1 without computing.
    let near = near_one_extra(&mag);
    let ln_log10 = match near {
        Some(extra) => {
            // ln(1 + d) ~ d
            let big = Ctx { prec: 30, rounding: number::Rounding::HalfEven, emin: -EXP_LIMIT, emax: EXP_LIMIT, clamp: false };
            let mut ignored = 0;
            let d = number::sub(&mag, &Dec::from_i64(1), &big, &mut ignored);
            let _ = extra;
            log10_est(&d)
        }
        None => (log10_est(&mag) * std::f64::consts::LN_10).abs().log10(),
    };
    let ln_neg = number::cmp(&mag, &Dec::from_i64(1)) == std::cmp::Ordering::Less;
    let z_neg = ln_neg != b.neg;
    let lz = log10_est(b) + ln_log10;
    let out_of_range = |st: &mut u32| {
        let s = if z_neg { Dec::finite(neg, BigUint::one(), ctx.etiny() - 2) } else { Dec::finite(neg, BigUint::one(), ctx.emax + 1) };
        let mut r = s.fix(ctx, st);
        *st |= INEXACT | ROUNDED;
        if r.is_zero() {
            r.exp = r.exp.max(ctx.etiny());
        }
        r
    };
    if !b_int && lz > 25.0 {
        return out_of_range(st);
    }
    let lg = 10f64.powf(lz) / std::f64::consts::LN_10;
    if !b_int && ((!z_neg && lg > ctx.emax as f64 + 3.0) || (z_neg && -lg < ctx.etiny() as f64 - 3.0)) {
        return out_of_range(st);
    }
    if b_int {
        return power_by_squaring(&mag, b, neg, ctx, st);
    }
    // As libmpdec: ln, product and exp each correctly rounded (half-even)
    // to the working precision, then rounded once more to the context.
    let w = (digits(&a.coeff) as i64).max(prec) + 23;
    let wctx = Ctx { prec: w, rounding: number::Rounding::HalfEven, emin: -EXP_LIMIT / 2, emax: EXP_LIMIT / 2, clamp: false };
    let mut ws = 0;
    let t = ln(&mag, &wctx, &mut ws);
    let t = number::mul(&t, b, &wctx, &mut ws);
    let mut es = 0;
    let r = exp(&t, &wctx, &mut es);
    *st |= es & (INEXACT | ROUNDED);
    r.with_sign(neg).fix(ctx, st)
}

/// `|a| ** b` for a huge integral `b`, as libmpdec computes integer
/// powers: left-to-right binary exponentiation, each product rounded
/// half-even to `prec + digits(b) + 2` digits within the context's
/// exponent limits, then one rounding to the context.
fn power_by_squaring(mag: &Dec, b: &Dec, neg: bool, ctx: &Ctx, st: &mut u32) -> Dec {
    let prec = ctx.prec.max(1);
    let w = prec + (digits(&b.coeff) as i64 + b.exp).max(1) + 2;
    let wctx = Ctx { prec: w, rounding: number::Rounding::HalfEven, clamp: false, ..*ctx };
    let base = if b.neg {
        let mut ws = 0;
        let q = number::div(&Dec::from_i64(1), mag, &Ctx { prec: w + 1, ..wctx }, &mut ws);
        *st |= ws;
        if ws & IEEE_INVALID != 0 {
            return Dec::nan();
        }
        q
    } else {
        mag.clone()
    };
    let n = number::trunc_magnitude(&b.with_sign(false));
    let mut ws = 0;
    let mut r = base.clone();
    let bits = n.bits();
    for i in (0..bits.saturating_sub(1)).rev() {
        r = number::mul(&r, &r, &wctx, &mut ws);
        if n.bit(i) {
            r = number::mul(&r, &base, &wctx, &mut ws);
        }
        if r.is_special() || (r.is_zero() && ws & CLAMPED != 0) {
            break;
        }
    }
    *st |= ws;
    if r.is_inf() {
        r = Dec::finite(false, BigUint::one(), EXP_LIMIT / 2);
    }
    r.with_sign(neg).fix(ctx, st)
}

/// Three-argument `pow(a, b, m)`: integers only, the result's exponent 0.
pub fn power_mod(a: &Dec, b: &Dec, m: &Dec, ctx: &Ctx, st: &mut u32) -> Dec {
    for d in [a, b, m] {
        if d.kind == Kind::SNaN {
            *st |= INVALID_OPERATION;
            return number::fix_nan(&Dec { kind: Kind::NaN, ..d.clone() }, ctx);
        }
    }
    for d in [a, b, m] {
        if d.kind == Kind::NaN {
            return number::fix_nan(d, ctx);
        }
    }
    let ok = [a, b, m].iter().all(|d| d.kind == Kind::Finite && number::is_integer(d));
    if !ok || b.neg && !b.is_zero() || m.is_zero() || (a.is_zero() && b.is_zero()) || m.adjusted() + 1 > ctx.prec {
        *st |= INVALID_OPERATION;
        return Dec::nan();
    }
    let modulus = number::trunc_magnitude(m);
    // (c * 10**e) mod m without building 10**e (e may be huge).
    let base = if a.exp > 0 {
        (&a.coeff % &modulus) * BigUint::from(10u32).modpow(&BigUint::from(a.exp as u64), &modulus) % &modulus
    } else {
        number::trunc_magnitude(a) % &modulus
    };
    // The exponent may be huge (1E+1000): reduce it digit by digit.
    let mut r = if b.exp > 0 {
        let mut r = base.modpow(&b.coeff, &modulus);
        for _ in 0..b.exp {
            r = r.modpow(&BigUint::from(10u32), &modulus);
        }
        r
    } else {
        base.modpow(&number::trunc_magnitude(b), &modulus)
    };
    if modulus.is_one() {
        r = BigUint::zero();
    }
    let neg = a.neg && int_is_odd(b);
    Dec::finite(neg, r, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use number::{parse, to_string, Rounding};

    fn ctx(prec: i64) -> Ctx {
        Ctx { prec, rounding: Rounding::HalfEven, emin: -999999, emax: 999999, clamp: false }
    }

    fn s(x: &Dec) -> String {
        to_string(x, false, true)
    }

    #[test]
    fn ln10_digits() {
        assert_eq!(ln10(30).to_string(), "2302585092994045684017991454684");
        assert_eq!(ln10(5).to_string(), "230258");
    }

    #[test]
    fn transcendental() {
        let c = ctx(28);
        let d = |v: &str| parse(v).unwrap();
        let mut st = 0;
        assert_eq!(s(&exp(&d("1"), &c, &mut st)), "2.718281828459045235360287471");
        assert_eq!(st, INEXACT | ROUNDED);
        assert_eq!(s(&ln(&d("10"), &c, &mut 0)), "2.302585092994045684017991455");
        assert_eq!(s(&log10(&d("2"), &c, &mut 0)), "0.3010299956639811952137388947");
        assert_eq!(s(&power(&d("2"), &d("0.5"), &c, &mut 0)), "1.414213562373095048801688724");
        assert_eq!(s(&ln(&d("1.0000000000000000000000001"), &c, &mut 0)), "9.999999999999999999999999500E-26");
        assert_eq!(s(&exp(&d("-1000000"), &c, &mut 0)), "3.296831478088558578968907969E-434295");
    }
}
