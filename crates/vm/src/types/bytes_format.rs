//! `bytes % args` (PEP 461): printf-style formatting of byte strings.

use num_bigint::BigInt;
use num_traits::{Signed, Zero};

use crate::object::Obj;
use crate::types::builtin::*;
use crate::types::bytes::{as_buffer, new_bytes};
use crate::vm::Vm;
use crate::PyResult;

#[derive(Default)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    prec: Option<usize>,
}

/// Formats `fmt % args`.
pub fn percent_format(vm: &Vm, fmt: &[u8], args: &Obj) -> PyResult<Vec<u8>> {
    let tuple: Option<Vec<Obj>> = args.downcast::<TupleData>().map(|t| t.items.to_vec());
    let mapping = tuple.is_none() && args.downcast::<DictData>().is_some();
    let items: Vec<Obj> = tuple.clone().unwrap_or_else(|| vec![args.clone()]);
    let mut next_arg = 0usize;
    let mut used_mapping = false;
    let mut out = Vec::with_capacity(fmt.len());
    let mut i = 0;
    let not_enough = || vm.type_error("not enough arguments for format string");
    while i < fmt.len() {
        let c = fmt[i];
        if c != b'%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        let mut key_arg: Option<Obj> = None;
        if fmt.get(i) == Some(&b'(') {
            if !mapping {
                return Err(vm.type_error("format requires a mapping"));
            }
            let mut depth = 1;
            let start = i + 1;
            let mut j = start;
            while j < fmt.len() && depth > 0 {
                match fmt[j] {
                    b'(' => depth += 1,
                    b')' => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            if depth > 0 {
                return Err(vm.new_error(&vm.types.value_error, "incomplete format key"));
            }
            let key = new_bytes(vm, fmt[start..j - 1].to_vec());
            key_arg = Some(crate::sequence::getitem(vm, args, &key)?);
            used_mapping = true;
            i = j;
        }
        let mut spec = Spec::default();
        while let Some(&f) = fmt.get(i) {
            match f {
                b'-' => spec.left = true,
                b'+' => spec.plus = true,
                b' ' => spec.space = true,
                b'#' => spec.alt = true,
                b'0' => spec.zero = true,
                _ => break,
            }
            i += 1;
        }
        let mut take = |vm: &Vm| -> PyResult<Obj> {
            if let Some(k) = key_arg.take() {
                return Ok(k);
            }
            if mapping {
                return Ok(args.clone());
            }
            let a = items.get(next_arg).cloned().ok_or_else(not_enough)?;
            next_arg += 1;
            let _ = vm;
            Ok(a)
        };
        if fmt.get(i) == Some(&b'*') {
            let w = take(vm)?;
            let w = match w.downcast::<IntData>() {
                Some(IntData::Small(w)) => w,
                Some(_) => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C ssize_t")),
                None => return Err(vm.type_error("* wants int")),
            };
            if *w < 0 {
                spec.left = true;
            }
            spec.width = w.unsigned_abs() as usize;
            i += 1;
        } else {
            while let Some(d) = fmt.get(i).filter(|d| d.is_ascii_digit()) {
                spec.width = spec.width.saturating_mul(10).saturating_add((d - b'0') as usize);
                if spec.width > isize::MAX as usize {
                    return Err(vm.new_error(&vm.types.value_error, "width too big"));
                }
                i += 1;
            }
        }
        if fmt.get(i) == Some(&b'.') {
            i += 1;
            if fmt.get(i) == Some(&b'*') {
                let p = take(vm)?;
                let p = match p.downcast::<IntData>() {
                    Some(IntData::Small(p)) if i32::try_from(*p).is_ok() => *p,
                    Some(_) => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int")),
                    None => return Err(vm.type_error("* wants int")),
                };
                spec.prec = Some(p.max(0) as usize);
                i += 1;
            } else {
                let mut p: usize = 0;
                while let Some(d) = fmt.get(i).filter(|d| d.is_ascii_digit()) {
                    p = p.saturating_mul(10).saturating_add((d - b'0') as usize);
                    i += 1;
                }
                if p > i32::MAX as usize {
                    return Err(vm.new_error(&vm.types.value_error, "prec too big"));
                }
                spec.prec = Some(p);
            }
        }
        while matches!(fmt.get(i), Some(b'h' | b'l' | b'L')) {
            i += 1;
        }
        let Some(&conv) = fmt.get(i) else { return Err(vm.new_error(&vm.types.value_error, "incomplete format")) };
        i += 1;
        if conv == b'%' {
            out.push(b'%');
            continue;
        }
        let arg = take(vm)?;
        let body: Vec<u8> = match conv {
            b's' | b'b' => {
                let mut v = bytes_of(vm, &arg)?;
                if let Some(p) = spec.prec {
                    v.truncate(p);
                }
                v
            }
            b'r' | b'a' => {
                let r = repr_string(vm, &arg)?;
                let mut v = ascii_escape(&r).into_bytes();
                if let Some(p) = spec.prec {
                    v.truncate(p);
                }
                v
            }
            b'c' => {
                if let Some(n) = arg.downcast::<IntData>() {
                    match n {
                        IntData::Small(v) if (0..256).contains(v) => vec![*v as u8],
                        _ => return Err(vm.new_error(&vm.types.overflow_error, "%c arg not in range(256)")),
                    }
                } else {
                    match as_buffer(&arg) {
                        Some(b) if b.len() == 1 => b.into_owned(),
                        _ => return Err(vm.type_error("%c requires an integer in range(256) or a single byte")),
                    }
                }
            }
            b'd' | b'i' | b'u' | b'x' | b'X' | b'o' => {
                let n: BigInt = if let Some(n) = arg.downcast::<IntData>() {
                    n.to_big()
                } else if let (Some(f), b'd' | b'i' | b'u') = (arg.downcast::<f64>(), conv) {
                    if !f.is_finite() {
                        let msg =
                            if f.is_nan() { "cannot convert float NaN to integer" } else { "cannot convert float infinity to integer" };
                        let ty = if f.is_nan() { &vm.types.value_error } else { &vm.types.overflow_error };
                        return Err(vm.new_error(ty, msg));
                    }
                    num_traits::FromPrimitive::from_f64(f.trunc()).unwrap_or_default()
                } else {
                    let what = if matches!(conv, b'd' | b'i' | b'u') { "a real number" } else { "an integer" };
                    let msg = format!("%{} format: {what} is required, not {}", conv as char, type_name(&arg));
                    return Err(vm.type_error(msg));
                };
                format_int(&n, conv, &spec)
            }
            b'e' | b'E' | b'f' | b'F' | b'g' | b'G' => {
                let f = if let Some(f) = arg.downcast::<f64>() {
                    *f
                } else if let Some(n) = arg.downcast::<IntData>() {
                    num_traits::ToPrimitive::to_f64(&n.to_big()).unwrap_or(f64::INFINITY)
                } else {
                    return Err(vm.type_error(format!("float argument required, not {}", type_name(&arg))));
                };
                format_float(f, conv, &spec)
            }
            _ => {
                let msg = format!("unsupported format character '{}' (0x{conv:x}) at index {}", conv as char, i - 1);
                return Err(vm.new_error(&vm.types.value_error, msg));
            }
        };
        let numeric = matches!(conv, b'd' | b'i' | b'u' | b'x' | b'X' | b'o' | b'e' | b'E' | b'f' | b'F' | b'g' | b'G');
        crate::types::container::check_alloc(vm, spec.width)?;
        pad(&mut out, body, &spec, numeric);
    }
    if !mapping && !used_mapping && next_arg < items.len() && (tuple.is_some() || next_arg == 0) {
        return Err(vm.type_error("not all arguments converted during bytes formatting"));
    }
    Ok(out)
}

/// `%s`/`%b`: a buffer or an object with `__bytes__`.
fn bytes_of(vm: &Vm, arg: &Obj) -> PyResult<Vec<u8>> {
    if let Some(b) = as_buffer(arg) {
        return Ok(b.into_owned());
    }
    if let Some(f) = crate::types::lookup(&crate::types::type_of(arg), "__bytes__") {
        let r = crate::classes::call_special(vm, &f, arg, &[], &[])?;
        if let Some(b) = crate::types::bytes::bytes_data(&r) {
            return Ok(b.to_vec());
        }
        return Err(vm.type_error(format!("__bytes__ returned non-bytes (type {})", type_name(&r))));
    }
    Err(vm.type_error(format!("%b requires a bytes-like object, or an object that implements __bytes__, not '{}'", type_name(arg))))
}

/// `ascii()`'s escaping of a repr: non-ASCII characters as `\x`, `\u`, `\U`.
fn ascii_escape(s: &str) -> String {
    let mut r = String::new();
    for c in s.chars() {
        let cp = c as u32;
        if cp < 0x80 {
            r.push(c);
        } else if cp < 0x100 {
            r.push_str(&format!("\\x{cp:02x}"));
        } else if cp < 0x10000 {
            r.push_str(&format!("\\u{cp:04x}"));
        } else {
            r.push_str(&format!("\\U{cp:08x}"));
        }
    }
    r
}

fn sign_of(neg: bool, spec: &Spec) -> &'static str {
    if neg {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    }
}

fn format_int(n: &BigInt, conv: u8, spec: &Spec) -> Vec<u8> {
    let mag = n.abs();
    let (mut digits, prefix) = match conv {
        b'x' => (mag.to_str_radix(16), "0x"),
        b'X' => (mag.to_str_radix(16).to_uppercase(), "0X"),
        b'o' => (mag.to_str_radix(8), "0o"),
        _ => (mag.to_str_radix(10), ""),
    };
    if let Some(p) = spec.prec {
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    let prefix = if spec.alt { prefix } else { "" };
    let head = format!("{}{prefix}", sign_of(n.is_negative() && !mag.is_zero(), spec));
    join_padded(head, digits, spec)
}

/// Sign and prefix, then zero padding (the `0` flag) and digits.
fn join_padded(head: String, digits: String, spec: &Spec) -> Vec<u8> {
    let mut s = head.clone();
    if spec.zero && !spec.left {
        let total = head.len() + digits.len();
        for _ in total..spec.width {
            s.push('0');
        }
    }
    s.push_str(&digits);
    s.into_bytes()
}

fn format_float(f: f64, conv: u8, spec: &Spec) -> Vec<u8> {
    let upper = conv.is_ascii_uppercase();
    let neg = f.is_sign_negative() && !f.is_nan();
    let a = f.abs();
    let body = if !a.is_finite() {
        let s = if a.is_nan() { "nan" } else { "inf" };
        let s = if upper { s.to_uppercase() } else { s.to_string() };
        let mut r = sign_of(neg, spec).to_string();
        r.push_str(&s);
        return r.into_bytes();
    } else {
        let p = spec.prec.unwrap_or(6);
        match conv.to_ascii_lowercase() {
            b'f' => {
                let mut s = crate::format::fixed(a, p);
                if spec.alt && p == 0 {
                    s.push('.');
                }
                s
            }
            b'e' => exp_form(a, p, spec.alt),
            _ => {
                let p = p.max(1);
                let x = if a == 0.0 { 0 } else { exponent_of(a, p) };
                let mut s = if (-4..p as i64).contains(&(x as i64)) {
                    crate::format::fixed(a, (p as i64 - 1 - x as i64) as usize)
                } else {
                    exp_form(a, p - 1, spec.alt)
                };
                if !spec.alt {
                    let (m, e) = match s.find('e') {
                        Some(k) => (s[..k].to_string(), s[k..].to_string()),
                        None => (s.clone(), String::new()),
                    };
                    let m = if m.contains('.') { m.trim_end_matches('0').trim_end_matches('.').to_string() } else { m };
                    s = m + &e;
                } else if !s.contains('.') {
                    match s.find('e') {
                        Some(k) => s.insert(k, '.'),
                        None => s.push('.'),
                    }
                }
                s
            }
        }
    };
    let body = if upper { body.to_uppercase() } else { body };
    join_padded(sign_of(neg, spec).to_string(), body, spec)
}

/// The decimal exponent of `a` once rounded to `p` significant digits.
fn exponent_of(a: f64, p: usize) -> i32 {
    let s = crate::format::scientific(a, p - 1);
    s.split_once('e').and_then(|(_, e)| e.parse().ok()).unwrap_or(0)
}

/// `%e` form: `d.ddde+XX`.
fn exp_form(a: f64, p: usize, alt: bool) -> String {
    let s = crate::format::scientific(a, p);
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    let dot = if alt && p == 0 { "." } else { "" };
    format!("{m}{dot}e{}{:02}", if e < 0 { '-' } else { '+' }, e.unsigned_abs())
}

fn pad(out: &mut Vec<u8>, body: Vec<u8>, spec: &Spec, numeric: bool) {
    let n = body.len();
    if n >= spec.width || (numeric && spec.zero && !spec.left) {
        out.extend(body);
        return;
    }
    if spec.left {
        out.extend(body);
        out.extend(std::iter::repeat_n(b' ', spec.width - n));
    } else {
        out.extend(std::iter::repeat_n(b' ', spec.width - n));
        out.extend(body);
    }
}
