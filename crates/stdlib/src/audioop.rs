//! `audioop`: operations on raw audio fragments (CPython's
//! `Modules/audioop.c`). Samples are signed little-endian integers of 1,
//! 2, 3 or 4 bytes; results follow the C module bit for bit: C `int`
//! arithmetic where it uses it, doubles truncated toward zero where it
//! converts (`fbound`), the G.711 u-law/A-law tables and the Intel/DVI
//! ADPCM coder. Importing the module warns (DeprecationWarning), as in
//! 3.11.

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{at_most, exact, FunctionDef};
use taipan_vm::object::{alloc, Obj};
use taipan_vm::ops;
use taipan_vm::types::builtin::{as_buffer, new_bytes, new_tuple, type_name, IntData, StrData, TupleData};
use taipan_vm::types::Kwargs;
use taipan_vm::{PyErr, PyResult, Vm};

use crate::util;

const MAXVALS: [i32; 5] = [0, 0x7F, 0x7FFF, 0x7F_FFFF, 0x7FFF_FFFF];
const MINVALS: [i32; 5] = [0, -0x80, -0x8000, -0x80_0000, i32::MIN];

fn error(vm: &Vm, msg: &str) -> PyErr {
    match util::exception_class(vm, "audioop.error", &[]) {
        Ok(t) => vm.new_error(&t, msg),
        Err(e) => e,
    }
}

// ------------------------------------------------------------ arguments

fn buf(vm: &Vm, o: &Obj) -> PyResult<Vec<u8>> {
    match as_buffer(o) {
        Some(b) if o.downcast::<StrData>().is_none() => Ok(b.into_owned()),
        _ => Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(o)))),
    }
}

/// A `Py_ssize_t` argument.
fn ssize_arg(vm: &Vm, o: &Obj) -> PyResult<i64> {
    if o.downcast::<f64>().is_some() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    Ok(util::to_isize(vm, o)? as i64)
}

/// A C `double` argument (the `d` converter).
fn double_arg(vm: &Vm, o: &Obj) -> PyResult<f64> {
    let ty = taipan_vm::types::type_of(o);
    let numeric = o.downcast::<f64>().is_some()
        || o.downcast::<IntData>().is_some()
        || taipan_vm::types::lookup(&ty, "__float__").is_some()
        || taipan_vm::types::lookup(&ty, "__index__").is_some();
    if !numeric {
        return Err(vm.type_error(format!("must be real number, not {}", type_name(o))));
    }
    taipan_vm::types::float::number_to_f64(vm, o)
}

/// Clinic's positional-only check: "audioop.max() takes no keyword
/// arguments".
fn no_kw<'a>(vm: &Vm, name: &str, kw: Kwargs<'a>) -> PyResult<Kwargs<'a>> {
    if kw.is_empty() {
        Ok(kw)
    } else {
        Err(vm.type_error(format!("audioop.{name}() takes no keyword arguments")))
    }
}

/// Exactly `N` positional arguments.
fn pos_args<const N: usize>(vm: &Vm, name: &str, args: &[Obj], kw: Kwargs) -> PyResult<[Obj; N]> {
    exact::<N>(vm, name, args, no_kw(vm, name, kw)?)
}

fn check_size(vm: &Vm, width: i32) -> PyResult<usize> {
    if (1..=4).contains(&width) {
        Ok(width as usize)
    } else {
        Err(error(vm, "Size should be 1, 2, 3 or 4"))
    }
}

fn check_parameters(vm: &Vm, len: usize, width: i32) -> PyResult<usize> {
    let w = check_size(vm, width)?;
    if !len.is_multiple_of(w) {
        return Err(error(vm, "not a whole number of frames"));
    }
    Ok(w)
}

/// `(fragment, width)` checked as a whole number of frames.
fn frag_width(vm: &Vm, name: &str, args: &[Obj], kw: Kwargs) -> PyResult<(Vec<u8>, usize)> {
    let [f, w] = pos_args::<2>(vm, name, args, kw)?;
    let f = buf(vm, &f)?;
    let w = ops::c_int(vm, &w)?;
    let w = check_parameters(vm, f.len(), w)?;
    Ok((f, w))
}

// -------------------------------------------------------------- samples

/// The sample of `w` bytes at byte offset `i`, sign-extended.
fn get_raw(b: &[u8], w: usize, i: usize) -> i32 {
    match w {
        1 => b[i] as i8 as i32,
        2 => i16::from_le_bytes([b[i], b[i + 1]]) as i32,
        3 => (b[i] as i32) | ((b[i + 1] as i32) << 8) | ((b[i + 2] as i8 as i32) << 16),
        _ => i32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]),
    }
}

/// Stores the low `w` bytes of `v` at byte offset `i`.
fn set_raw(b: &mut [u8], w: usize, i: usize, v: i32) {
    b[i..i + w].copy_from_slice(&v.to_le_bytes()[..w]);
}

/// The sample scaled to 32 bits (`GETSAMPLE32`).
fn get32(b: &[u8], w: usize, i: usize) -> i32 {
    get_raw(b, w, i).wrapping_shl(32 - 8 * w as u32)
}

/// Stores a 32-bit sample at width `w` (`SETSAMPLE32`).
fn set32(b: &mut [u8], w: usize, i: usize, v: i32) {
    set_raw(b, w, i, v >> (32 - 8 * w as u32));
}

/// C's `(int)` of a double as x86 does it (NaN and overflow give
/// `INT_MIN`).
fn c_int(v: f64) -> i32 {
    if v.is_nan() || v >= 2147483648.0 || v <= -2147483649.0 {
        i32::MIN
    } else {
        v as i32
    }
}

/// CPython's `(int)floor(fbound(v, min, max))`: clamped to the sample
/// range, rounded down.
fn fbound(v: f64, min: f64, max: f64) -> i32 {
    let v = if v > max {
        max
    } else if v < min + 1.0 {
        min
    } else {
        v
    };
    c_int(v.floor())
}

fn samples(b: &[u8], w: usize) -> impl Iterator<Item = i32> + '_ {
    (0..b.len() / w).map(move |k| get_raw(b, w, k * w))
}

// ------------------------------------------------------------ G.711 codecs

static ULAW2LIN: [i16; 256] = make_ulaw_table();
static ALAW2LIN: [i16; 256] = make_alaw_table();

/// The u-law decoding table (G.711: bias 0x84, complemented codes).
const fn make_ulaw_table() -> [i16; 256] {
    let mut t = [0i16; 256];
    let mut i = 0;
    while i < 256 {
        let u = !(i as u8);
        let exponent = ((u >> 4) & 7) as i32;
        let mantissa = (u & 0x0f) as i32;
        let magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
        t[i] = if u & 0x80 != 0 { -magnitude as i16 } else { magnitude as i16 };
        i += 1;
    }
    t
}

/// The A-law decoding table (even bits inverted).
const fn make_alaw_table() -> [i16; 256] {
    let mut t = [0i16; 256];
    let mut i = 0;
    while i < 256 {
        let a = (i as u8) ^ 0x55;
        let exponent = ((a >> 4) & 7) as i32;
        let mantissa = (a & 0x0f) as i32;
        let magnitude = if exponent == 0 { (mantissa << 4) + 8 } else { ((mantissa << 4) + 0x108) << (exponent - 1) };
        t[i] = if a & 0x80 != 0 { magnitude as i16 } else { -magnitude as i16 };
        i += 1;
    }
    t
}

const SEG_AEND: [i16; 8] = [0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF];
const SEG_UEND: [i16; 8] = [0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF];

fn segment(v: i16, table: &[i16; 8]) -> usize {
    table.iter().position(|&end| v <= end).unwrap_or(8)
}

/// A 14-bit linear sample to u-law.
fn linear14_to_ulaw(pcm: i16) -> u8 {
    let (mut v, mask) = if pcm < 0 { (-pcm, 0x7Fu8) } else { (pcm, 0xFFu8) };
    v = v.min(32635);
    v += 0x84 >> 2;
    let seg = segment(v, &SEG_UEND);
    if seg >= 8 {
        return 0x7F ^ mask;
    }
    (((seg as u8) << 4) | ((v >> (seg + 1)) as u8 & 0xF)) ^ mask
}

/// A 13-bit linear sample to A-law.
fn linear13_to_alaw(pcm: i16) -> u8 {
    let (v, mask) = if pcm >= 0 { (pcm, 0xD5u8) } else { (-pcm - 1, 0x55u8) };
    let seg = segment(v, &SEG_AEND);
    if seg >= 8 {
        return 0x7F ^ mask;
    }
    let mut a = (seg as u8) << 4;
    a |= if seg < 2 { (v >> 1) as u8 & 0xF } else { (v >> seg) as u8 & 0xF };
    a ^ mask
}

// ------------------------------------------------------------- ADPCM

const INDEX_TABLE: [i32; 16] = [-1, -1, -1, -1, 2, 4, 6, 8, -1, -1, -1, -1, 2, 4, 6, 8];

const STEPSIZE_TABLE: [i32; 89] = [
    7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41, 45, 50, 55, 60, 66, 73, 80, 88, 97, 107, 118, 130, 143, 157,
    173, 190, 209, 230, 253, 279, 307, 337, 371, 408, 449, 494, 544, 598, 658, 724, 796, 876, 963, 1060, 1166, 1282, 1411, 1552, 1707,
    1878, 2066, 2272, 2499, 2749, 3024, 3327, 3660, 4026, 4428, 4871, 5358, 5894, 6484, 7132, 7845, 8630, 9493, 10442, 11487, 12635, 13899,
    15289, 16818, 18500, 20350, 22385, 24623, 27086, 29794, 32767,
];

/// An ADPCM `state` argument: `(valpred, index)`, or the start state.
fn adpcm_state(vm: &Vm, fname: &str, state: &Obj) -> PyResult<(i32, i32)> {
    if state.is(&vm.none) {
        return Ok((0, 0));
    }
    let Some(t) = state.downcast::<TupleData>() else { return Err(vm.type_error("state must be a tuple or None")) };
    let [a, b] = &t.items[..] else { return Err(vm.type_error(format!("{fname}(): illegal state argument"))) };
    let valpred = ops::c_int(vm, a)?;
    let index = ops::c_int(vm, b)?;
    if !(-0x8000..0x8000).contains(&valpred) || !(0..STEPSIZE_TABLE.len() as i32).contains(&index) {
        return Err(vm.new_error(&vm.types.value_error, "bad state"));
    }
    Ok((valpred, index))
}

fn adpcm_result(vm: &Vm, out: Vec<u8>, valpred: i32, index: i32) -> Obj {
    let st = new_tuple(vm, vec![vm.int(valpred as i64), vm.int(index as i64)]);
    new_tuple(vm, vec![new_bytes(vm, out), st])
}

// ------------------------------------------------------------ functions

fn a_getsample(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f, w, i] = pos_args::<3>(vm, "getsample", args, kw)?;
    let f = buf(vm, &f)?;
    let w = ops::c_int(vm, &w)?;
    let i = ssize_arg(vm, &i)?;
    let w = check_parameters(vm, f.len(), w)?;
    if i < 0 || i >= (f.len() / w) as i64 {
        return Err(error(vm, "Index out of range"));
    }
    Ok(vm.int(get_raw(&f, w, i as usize * w) as i64))
}

fn a_max(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (f, w) = frag_width(vm, "max", args, kw)?;
    let m = samples(&f, w).map(|v| v.unsigned_abs()).max().unwrap_or(0);
    Ok(vm.int(m as i64))
}

fn a_minmax(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (f, w) = frag_width(vm, "minmax", args, kw)?;
    let (mut lo, mut hi) = (i32::MAX, i32::MIN);
    for v in samples(&f, w) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    Ok(new_tuple(vm, vec![vm.int(lo as i64), vm.int(hi as i64)]))
}

fn a_avg(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (f, w) = frag_width(vm, "avg", args, kw)?;
    if f.is_empty() {
        return Ok(vm.int(0));
    }
    let sum: f64 = samples(&f, w).fold(0.0, |s, v| s + v as f64);
    Ok(vm.int(c_int((sum / (f.len() / w) as f64).floor()) as i64))
}

fn a_rms(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (f, w) = frag_width(vm, "rms", args, kw)?;
    if f.is_empty() {
        return Ok(vm.int(0));
    }
    let sum: f64 = samples(&f, w).fold(0.0, |s, v| s + (v as f64) * (v as f64));
    Ok(vm.int((sum / (f.len() / w) as f64).sqrt() as u32 as i64))
}

/// The 16-bit samples of an even-sized fragment.
fn shorts(vm: &Vm, o: &Obj) -> PyResult<Vec<f64>> {
    let b = buf(vm, o)?;
    if b.len() & 1 != 0 {
        return Err(error(vm, "Strings should be even-sized"));
    }
    Ok(b.chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]]) as f64).collect())
}

fn sum2(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).fold(0.0, |s, (x, y)| s + x * y)
}

fn a_findfit(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f, r] = pos_args::<2>(vm, "findfit", args, kw)?;
    let (fb, rb) = (buf(vm, &f)?, buf(vm, &r)?);
    if fb.len() & 1 != 0 || rb.len() & 1 != 0 {
        return Err(error(vm, "Strings should be even-sized"));
    }
    let (a, r) = (shorts(vm, &f)?, shorts(vm, &r)?);
    let (len1, len2) = (a.len(), r.len());
    if len1 < len2 {
        return Err(error(vm, "First sample should be longer"));
    }
    let sum_ri_2 = sum2(&r, &r);
    let mut sum_aij_2 = sum2(&a, &a[..len2]);
    let mut sum_aij_ri = sum2(&a, &r);
    let mut best = (sum_ri_2 * sum_aij_2 - sum_aij_ri * sum_aij_ri) / sum_aij_2;
    let mut best_j = 0;
    for j in 1..=len1 - len2 {
        let (aj_m1, aj_lm1) = (a[j - 1], a[j + len2 - 1]);
        sum_aij_2 = sum_aij_2 + aj_lm1 * aj_lm1 - aj_m1 * aj_m1;
        sum_aij_ri = sum2(&a[j..], &r);
        let result = (sum_ri_2 * sum_aij_2 - sum_aij_ri * sum_aij_ri) / sum_aij_2;
        if result < best {
            best = result;
            best_j = j;
        }
    }
    let factor = sum2(&a[best_j..], &r) / sum_ri_2;
    Ok(new_tuple(vm, vec![vm.int(best_j as i64), alloc(vm.types.float.clone(), factor)]))
}

fn a_findfactor(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f, r] = pos_args::<2>(vm, "findfactor", args, kw)?;
    let (fb, rb) = (buf(vm, &f)?, buf(vm, &r)?);
    if fb.len() & 1 != 0 || rb.len() & 1 != 0 {
        return Err(error(vm, "Strings should be even-sized"));
    }
    if fb.len() != rb.len() {
        return Err(error(vm, "Samples should be same size"));
    }
    let (a, r) = (shorts(vm, &f)?, shorts(vm, &r)?);
    Ok(alloc(vm.types.float.clone(), sum2(&a, &r) / sum2(&r, &r)))
}

fn a_findmax(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f, n] = pos_args::<2>(vm, "findmax", args, kw)?;
    let a = shorts(vm, &f)?;
    let n = ssize_arg(vm, &n)?;
    if n < 0 || (a.len() as i64) < n {
        return Err(error(vm, "Input sample should be longer"));
    }
    let n = n as usize;
    let mut result = sum2(&a[..n], &a[..n]);
    let (mut best, mut best_j) = (result, 0);
    for j in 1..=a.len() - n {
        let (aj_m1, aj_lm1) = (a[j - 1], a[j + n - 1]);
        result = result + aj_lm1 * aj_lm1 - aj_m1 * aj_m1;
        if result > best {
            best = result;
            best_j = j;
        }
    }
    Ok(vm.int(best_j as i64))
}

/// The extremes' differences (`avgpp`/`maxpp`): each difference between
/// consecutive turning points of the signal.
fn peak_diffs(f: &[u8], w: usize) -> Vec<u32> {
    let mut out = Vec::new();
    if f.len() <= w {
        return out;
    }
    let mut it = samples(f, w);
    let mut prevval = it.next().unwrap_or(0);
    let mut prevdiff: i32 = 17;
    let mut prevextreme: Option<i32> = None;
    for val in it {
        if val != prevval {
            let diff = (val < prevval) as i32;
            if prevdiff == (diff == 0) as i32 {
                if let Some(pe) = prevextreme {
                    out.push(if prevval < pe {
                        (pe as u32).wrapping_sub(prevval as u32)
                    } else {
                        (prevval as u32).wrapping_sub(pe as u32)
                    });
                }
                prevextreme = Some(prevval);
            }
            prevval = val;
            prevdiff = diff;
        }
    }
    out
}

fn a_avgpp(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (f, w) = frag_width(vm, "avgpp", args, kw)?;
    let d = peak_diffs(&f, w);
    if d.is_empty() {
        return Ok(vm.int(0));
    }
    let sum: f64 = d.iter().fold(0.0, |s, &x| s + x as f64);
    Ok(vm.int((sum / d.len() as f64) as u32 as i64))
}

fn a_maxpp(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (f, w) = frag_width(vm, "maxpp", args, kw)?;
    Ok(vm.int(peak_diffs(&f, w).into_iter().max().unwrap_or(0) as i64))
}

fn a_cross(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (f, w) = frag_width(vm, "cross", args, kw)?;
    let mut n: i64 = -1;
    let mut prev: i32 = 17;
    for v in samples(&f, w) {
        let neg = (v < 0) as i32;
        if neg != prev {
            n += 1;
        }
        prev = neg;
    }
    Ok(vm.int(n))
}

fn a_mul(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f, w, factor] = pos_args::<3>(vm, "mul", args, kw)?;
    let f = buf(vm, &f)?;
    let w = ops::c_int(vm, &w)?;
    let factor = double_arg(vm, &factor)?;
    let w = check_parameters(vm, f.len(), w)?;
    let (min, max) = (MINVALS[w] as f64, MAXVALS[w] as f64);
    let mut out = vec![0u8; f.len()];
    for i in (0..f.len()).step_by(w) {
        let v = get_raw(&f, w, i) as f64 * factor;
        set_raw(&mut out, w, i, fbound(v, min, max));
    }
    Ok(new_bytes(vm, out))
}

fn a_tomono(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f, w, lf, rf] = pos_args::<4>(vm, "tomono", args, kw)?;
    let f = buf(vm, &f)?;
    let w = ops::c_int(vm, &w)?;
    let lf = double_arg(vm, &lf)?;
    let rf = double_arg(vm, &rf)?;
    let w = check_parameters(vm, f.len(), w)?;
    if (f.len() / w) & 1 != 0 {
        return Err(error(vm, "not a whole number of frames"));
    }
    let (min, max) = (MINVALS[w] as f64, MAXVALS[w] as f64);
    let mut out = vec![0u8; f.len() / 2];
    for i in (0..f.len()).step_by(2 * w) {
        let v = get_raw(&f, w, i) as f64 * lf + get_raw(&f, w, i + w) as f64 * rf;
        set_raw(&mut out, w, i / 2, fbound(v, min, max));
    }
    Ok(new_bytes(vm, out))
}

fn a_tostereo(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f, w, lf, rf] = pos_args::<4>(vm, "tostereo", args, kw)?;
    let f = buf(vm, &f)?;
    let w = ops::c_int(vm, &w)?;
    let lf = double_arg(vm, &lf)?;
    let rf = double_arg(vm, &rf)?;
    let w = check_parameters(vm, f.len(), w)?;
    let (min, max) = (MINVALS[w] as f64, MAXVALS[w] as f64);
    let mut out = vec![0u8; f.len() * 2];
    for i in (0..f.len()).step_by(w) {
        let v = get_raw(&f, w, i) as f64;
        set_raw(&mut out, w, i * 2, fbound(v * lf, min, max));
        set_raw(&mut out, w, i * 2 + w, fbound(v * rf, min, max));
    }
    Ok(new_bytes(vm, out))
}

fn a_add(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f1, f2, w] = pos_args::<3>(vm, "add", args, kw)?;
    let f1 = buf(vm, &f1)?;
    let f2 = buf(vm, &f2)?;
    let w = ops::c_int(vm, &w)?;
    let w = check_parameters(vm, f1.len(), w)?;
    if f1.len() != f2.len() {
        return Err(error(vm, "Lengths should be the same"));
    }
    let (min, max) = (MINVALS[w], MAXVALS[w]);
    let mut out = vec![0u8; f1.len()];
    for i in (0..f1.len()).step_by(w) {
        let (a, b) = (get_raw(&f1, w, i), get_raw(&f2, w, i));
        let v = if w < 4 { (a + b).clamp(min, max) } else { fbound(a as f64 + b as f64, min as f64, max as f64) };
        set_raw(&mut out, w, i, v);
    }
    Ok(new_bytes(vm, out))
}

fn a_bias(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f, w, bias] = pos_args::<3>(vm, "bias", args, kw)?;
    let f = buf(vm, &f)?;
    let w = ops::c_int(vm, &w)?;
    let bias = ops::c_int(vm, &bias)?;
    let w = check_parameters(vm, f.len(), w)?;
    let mut out = vec![0u8; f.len()];
    for i in (0..f.len()).step_by(w) {
        let v = (get_raw(&f, w, i) as u32).wrapping_add(bias as u32);
        set_raw(&mut out, w, i, v as i32);
    }
    Ok(new_bytes(vm, out))
}

fn a_reverse(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (f, w) = frag_width(vm, "reverse", args, kw)?;
    let out: Vec<u8> = f.chunks_exact(w).rev().flatten().copied().collect();
    Ok(new_bytes(vm, out))
}

fn a_byteswap(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (f, w) = frag_width(vm, "byteswap", args, kw)?;
    let out: Vec<u8> = f.chunks_exact(w).flat_map(|c| c.iter().rev().copied()).collect();
    Ok(new_bytes(vm, out))
}

fn a_lin2lin(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f, w, nw] = pos_args::<3>(vm, "lin2lin", args, kw)?;
    let f = buf(vm, &f)?;
    let w = ops::c_int(vm, &w)?;
    let nw = ops::c_int(vm, &nw)?;
    let w = check_parameters(vm, f.len(), w)?;
    let nw = check_size(vm, nw)?;
    let n = f.len() / w;
    let mut out = vec![0u8; n * nw];
    for k in 0..n {
        set32(&mut out, nw, k * nw, get32(&f, w, k * w));
    }
    Ok(new_bytes(vm, out))
}

fn gcd(mut a: i32, mut b: i32) -> i32 {
    while b > 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

fn a_ratecv(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f, w, nch, inrate, outrate, state, wa, wb] = at_most::<8>(vm, "ratecv", 6, args, no_kw(vm, "ratecv", kw)?)?;
    let f = buf(vm, f.as_ref().unwrap_or(&vm.none))?;
    let w = ops::c_int(vm, w.as_ref().unwrap_or(&vm.none))?;
    let nch = ops::c_int(vm, nch.as_ref().unwrap_or(&vm.none))?;
    let mut inrate = ops::c_int(vm, inrate.as_ref().unwrap_or(&vm.none))?;
    let mut outrate = ops::c_int(vm, outrate.as_ref().unwrap_or(&vm.none))?;
    let state = state.unwrap_or_else(|| vm.none.clone());
    let mut wa = match &wa {
        Some(o) => ops::c_int(vm, o)?,
        None => 1,
    };
    let mut wb = match &wb {
        Some(o) => ops::c_int(vm, o)?,
        None => 0,
    };
    let w = check_size(vm, w)?;
    if nch < 1 {
        return Err(error(vm, "# of channels should be >= 1"));
    }
    if w as i32 > i32::MAX / nch {
        return Err(vm.new_error(&vm.types.overflow_error, "width * nchannels too big for a C int"));
    }
    let nch = nch as usize;
    let frame = w * nch;
    if wa < 1 || wb < 0 {
        return Err(error(vm, "weightA should be >= 1, weightB should be >= 0"));
    }
    if f.len() % frame != 0 {
        return Err(error(vm, "not a whole number of frames"));
    }
    if inrate <= 0 || outrate <= 0 {
        return Err(error(vm, "sampling rate not > 0"));
    }
    let g = gcd(inrate, outrate);
    inrate /= g;
    outrate /= g;
    let g = gcd(wa, wb);
    wa /= g;
    wb /= g;

    let mut prev = vec![0i32; nch];
    let mut cur = vec![0i32; nch];
    let mut d: i32;
    if state.is(&vm.none) {
        d = -outrate;
    } else {
        let illegal = || vm.type_error("ratecv(): illegal state argument");
        let Some(t) = state.downcast::<TupleData>() else { return Err(vm.type_error("state must be a tuple or None")) };
        let [d0, samps] = &t.items[..] else { return Err(illegal()) };
        d = ops::c_int(vm, d0)?;
        let Some(samps) = samps.downcast::<TupleData>() else { return Err(illegal()) };
        if samps.items.len() != nch {
            return Err(error(vm, "illegal state argument"));
        }
        for (ch, s) in samps.items.iter().enumerate() {
            let Some(pair) = s.downcast::<TupleData>() else { return Err(illegal()) };
            let [p, c] = &pair.items[..] else { return Err(illegal()) };
            prev[ch] = ops::c_int(vm, p)?;
            cur[ch] = ops::c_int(vm, c)?;
        }
    }

    let mut len = f.len() / frame;
    // CPython's bound on the output, capped: the vector grows past it.
    let bound = if len == 0 { 0 } else { (1 + (len - 1) / inrate as usize).saturating_mul(outrate as usize).saturating_mul(frame) };
    let mut out = Vec::with_capacity(bound.min(1 << 20));
    let mut pos = 0;
    let (fa, fb) = (wa as f64, wb as f64);
    loop {
        while d < 0 {
            if len == 0 {
                let samps: Vec<Obj> = (0..nch).map(|ch| new_tuple(vm, vec![vm.int(prev[ch] as i64), vm.int(cur[ch] as i64)])).collect();
                let st = new_tuple(vm, vec![vm.int(d as i64), new_tuple(vm, samps)]);
                return Ok(new_tuple(vm, vec![new_bytes(vm, out), st]));
            }
            for ch in 0..nch {
                prev[ch] = cur[ch];
                let s = get32(&f, w, pos) as f64;
                pos += w;
                cur[ch] = c_int((fa * s + fb * prev[ch] as f64) / (fa + fb));
            }
            len -= 1;
            d = d.wrapping_add(outrate);
        }
        while d >= 0 {
            for ch in 0..nch {
                let o = c_int((prev[ch] as f64 * d as f64 + cur[ch] as f64 * (outrate as f64 - d as f64)) / outrate as f64);
                let at = out.len();
                out.resize(at + w, 0);
                set32(&mut out, w, at, o);
            }
            d = d.wrapping_sub(inrate);
        }
    }
}

fn a_lin2ulaw(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (f, w) = frag_width(vm, "lin2ulaw", args, kw)?;
    let out: Vec<u8> = (0..f.len() / w).map(|k| linear14_to_ulaw((get32(&f, w, k * w) >> 18) as i16)).collect();
    Ok(new_bytes(vm, out))
}

fn a_lin2alaw(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let (f, w) = frag_width(vm, "lin2alaw", args, kw)?;
    let out: Vec<u8> = (0..f.len() / w).map(|k| linear13_to_alaw((get32(&f, w, k * w) >> 19) as i16)).collect();
    Ok(new_bytes(vm, out))
}

fn law2lin(vm: &Vm, name: &str, table: &[i16; 256], args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f, w] = pos_args::<2>(vm, name, args, kw)?;
    let f = buf(vm, &f)?;
    let w = check_size(vm, ops::c_int(vm, &w)?)?;
    let mut out = vec![0u8; f.len() * w];
    for (k, &c) in f.iter().enumerate() {
        set32(&mut out, w, k * w, (table[c as usize] as i32) << 16);
    }
    Ok(new_bytes(vm, out))
}

fn a_ulaw2lin(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    law2lin(vm, "ulaw2lin", &ULAW2LIN, args, kw)
}

fn a_alaw2lin(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    law2lin(vm, "alaw2lin", &ALAW2LIN, args, kw)
}

fn a_lin2adpcm(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f, w, state] = pos_args::<3>(vm, "lin2adpcm", args, kw)?;
    let f = buf(vm, &f)?;
    let w = ops::c_int(vm, &w)?;
    let w = check_parameters(vm, f.len(), w)?;
    let (mut valpred, mut index) = adpcm_state(vm, "lin2adpcm", &state)?;
    let mut out = Vec::with_capacity(f.len() / (w * 2));
    let mut step = STEPSIZE_TABLE[index as usize];
    let mut high = true;
    let mut outbuf = 0u8;
    for k in 0..f.len() / w {
        let val = get32(&f, w, k * w) >> 16;
        let (mut diff, sign) = if val < valpred { (valpred - val, 8) } else { (val - valpred, 0) };
        let mut delta = 0;
        let mut vpdiff = step >> 3;
        if diff >= step {
            delta = 4;
            diff -= step;
            vpdiff += step;
        }
        step >>= 1;
        if diff >= step {
            delta |= 2;
            diff -= step;
            vpdiff += step;
        }
        step >>= 1;
        if diff >= step {
            delta |= 1;
            vpdiff += step;
        }
        valpred = (if sign != 0 { valpred - vpdiff } else { valpred + vpdiff }).clamp(-32768, 32767);
        delta |= sign;
        index = (index + INDEX_TABLE[delta as usize]).clamp(0, 88);
        step = STEPSIZE_TABLE[index as usize];
        if high {
            outbuf = ((delta << 4) & 0xf0) as u8;
        } else {
            out.push((delta & 0x0f) as u8 | outbuf);
        }
        high = !high;
    }
    Ok(adpcm_result(vm, out, valpred, index))
}

fn a_adpcm2lin(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [f, w, state] = pos_args::<3>(vm, "adpcm2lin", args, kw)?;
    let f = buf(vm, &f)?;
    let w = check_size(vm, ops::c_int(vm, &w)?)?;
    let (mut valpred, mut index) = adpcm_state(vm, "adpcm2lin", &state)?;
    let mut out = vec![0u8; f.len() * w * 2];
    let mut step = STEPSIZE_TABLE[index as usize];
    for k in 0..f.len() * 2 {
        let byte = f[k / 2] as i32;
        let delta = if k % 2 == 0 { (byte >> 4) & 0xf } else { byte & 0xf };
        index = (index + INDEX_TABLE[delta as usize]).clamp(0, 88);
        let sign = delta & 8;
        let delta = delta & 7;
        let mut vpdiff = step >> 3;
        if delta & 4 != 0 {
            vpdiff += step;
        }
        if delta & 2 != 0 {
            vpdiff += step >> 1;
        }
        if delta & 1 != 0 {
            vpdiff += step >> 2;
        }
        valpred = (if sign != 0 { valpred - vpdiff } else { valpred + vpdiff }).clamp(-32768, 32767);
        step = STEPSIZE_TABLE[index as usize];
        set32(&mut out, w, k * w, valpred << 16);
    }
    Ok(adpcm_result(vm, out, valpred, index))
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("adpcm2lin", a_adpcm2lin, "Decode an Intel/DVI ADPCM coded fragment to a linear fragment."),
    FunctionDef::new("add", a_add, "Return a fragment which is the addition of the two samples passed as parameters."),
    FunctionDef::new("alaw2lin", a_alaw2lin, "Convert sound fragments in a-LAW encoding to linearly encoded sound fragments."),
    FunctionDef::new("avg", a_avg, "Return the average over all samples in the fragment."),
    FunctionDef::new("avgpp", a_avgpp, "Return the average peak-peak value over all samples in the fragment."),
    FunctionDef::new("bias", a_bias, "Return a fragment that is the original fragment with a bias added to each sample."),
    FunctionDef::new("byteswap", a_byteswap, "Convert big-endian samples to little-endian and vice versa."),
    FunctionDef::new("cross", a_cross, "Return the number of zero crossings in the fragment passed as an argument."),
    FunctionDef::new("findfactor", a_findfactor, "Return a factor F such that rms(add(fragment, mul(reference, -F))) is minimal."),
    FunctionDef::new("findfit", a_findfit, "Try to match reference as well as possible to a portion of fragment."),
    FunctionDef::new("findmax", a_findmax, "Search fragment for a slice of specified number of samples with maximum energy."),
    FunctionDef::new("getsample", a_getsample, "Return the value of sample index from the fragment."),
    FunctionDef::new("lin2adpcm", a_lin2adpcm, "Convert samples to 4 bit Intel/DVI ADPCM encoding."),
    FunctionDef::new("lin2alaw", a_lin2alaw, "Convert samples in the audio fragment to a-LAW encoding."),
    FunctionDef::new("lin2lin", a_lin2lin, "Convert samples between 1-, 2-, 3- and 4-byte formats."),
    FunctionDef::new("lin2ulaw", a_lin2ulaw, "Convert samples in the audio fragment to u-LAW encoding."),
    FunctionDef::new("max", a_max, "Return the maximum of the absolute value of all samples in a fragment."),
    FunctionDef::new("maxpp", a_maxpp, "Return the maximum peak-peak value in the sound fragment."),
    FunctionDef::new("minmax", a_minmax, "Return the minimum and maximum values of all samples in the sound fragment."),
    FunctionDef::new(
        "mul",
        a_mul,
        "Return a fragment that has all samples in the original fragment multiplied by the floating-point value factor.",
    ),
    FunctionDef::new("ratecv", a_ratecv, "Convert the frame rate of the input fragment."),
    FunctionDef::new("reverse", a_reverse, "Reverse the samples in a fragment and returns the modified fragment."),
    FunctionDef::new("rms", a_rms, "Return the root-mean-square of the fragment, i.e. sqrt(sum(S_i^2)/n)."),
    FunctionDef::new("tomono", a_tomono, "Convert a stereo fragment to a mono fragment."),
    FunctionDef::new("tostereo", a_tostereo, "Generate a stereo fragment from a mono fragment."),
    FunctionDef::new("ulaw2lin", a_ulaw2lin, "Convert sound fragments in u-LAW encoding to linearly encoded sound fragments."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "error", util::exception_class(vm, "audioop.error", &[])?)?;
    crate::util::warn_deprecated_module(vm, "audioop")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g711_tables() {
        // Spot values of the G.711 tables CPython carries.
        assert_eq!(&ULAW2LIN[..4], &[-32124, -31100, -30076, -29052]);
        assert_eq!(ULAW2LIN[127], 0);
        assert_eq!(ULAW2LIN[128], 32124);
        assert_eq!(ULAW2LIN[255], 0);
        assert_eq!(ULAW2LIN[0x70], -120);
        assert_eq!(&ALAW2LIN[..4], &[-5504, -5248, -6016, -5760]);
        assert_eq!(ALAW2LIN[32], -22016);
        assert_eq!(ALAW2LIN[128], 5504);
        assert_eq!(ALAW2LIN[255], 848);
        assert_eq!(ALAW2LIN[0x55], -8);
    }

    #[test]
    fn g711_round_trip() {
        for c in 0..=255u8 {
            let v = ULAW2LIN[c as usize] as i32;
            let back = linear14_to_ulaw(((v << 16) >> 18) as i16);
            assert_eq!(ULAW2LIN[back as usize], ULAW2LIN[c as usize]);
            let v = ALAW2LIN[c as usize] as i32;
            assert_eq!(linear13_to_alaw(((v << 16) >> 19) as i16), c);
        }
    }

    #[test]
    fn samples_24bit() {
        let b = [0x01, 0x02, 0x83];
        assert_eq!(get_raw(&b, 3, 0), -0x7cfdff);
        let mut o = [0u8; 3];
        set_raw(&mut o, 3, 0, -0x7cfdff);
        assert_eq!(o, b);
        assert_eq!(get32(&[0x80], 1, 0), i32::MIN);
    }
}
