//! `format(value, spec)`: the format-specification mini-language for the
//! built-in int, float and str types (`[[fill]align][sign][z][#][0][width]
//! [grouping][.precision][type]`), and classes' `__format__`.

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive};

use crate::object::Obj;
use crate::ops;
use crate::types::builtin::{self, str_data, type_name, IntData, StrData};
use crate::vm::Vm;
use crate::PyResult;

#[derive(Default)]
struct Spec {
    fill: Option<char>,
    align: Option<char>,
    sign: Option<char>,
    alternate: bool,
    zero: bool,
    width: Option<usize>,
    grouping: Option<char>,
    precision: Option<usize>,
    ty: Option<char>,
}

fn parse_spec(vm: &Vm, spec: &str) -> PyResult<Spec> {
    let chars: Vec<char> = spec.chars().collect();
    let mut s = Spec::default();
    let mut i = 0;
    let is_align = |c: char| matches!(c, '<' | '>' | '=' | '^');
    if chars.len() >= 2 && is_align(chars[1]) {
        s.fill = Some(chars[0]);
        s.align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && is_align(chars[0]) {
        s.align = Some(chars[0]);
        i = 1;
    }
    if i < chars.len() && matches!(chars[i], '+' | '-' | ' ') {
        s.sign = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() && chars[i] == '#' {
        s.alternate = true;
        i += 1;
    }
    if i < chars.len() && chars[i] == '0' {
        s.zero = true;
        i += 1;
    }
    let start = i;
    while i < chars.len() && chars[i].is_ascii_digit() {
        i += 1;
    }
    if i > start {
        let width = decimal(vm, &chars[start..i])?;
        crate::types::container::check_alloc(vm, width)?;
        s.width = Some(width);
    }
    if i < chars.len() && matches!(chars[i], ',' | '_') {
        s.grouping = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() && chars[i] == '.' {
        i += 1;
        let p = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i == p {
            return Err(vm.new_error(&vm.types.value_error, "Format specifier missing precision"));
        }
        s.precision = Some(decimal(vm, &chars[p..i])?);
    }
    if i < chars.len() {
        s.ty = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() {
        return Err(vm.new_error(&vm.types.value_error, "Invalid format specifier"));
    }
    // The separators each presentation type allows, checked whatever the
    // value's type (CPython's `parse_internal_render_format_spec`).
    if let Some(g) = s.grouping {
        let ok = match s.ty {
            None | Some('d' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F') => true,
            Some('b' | 'o' | 'x' | 'X') => g == '_',
            Some(_) => false,
        };
        if !ok {
            let t = s.ty.unwrap_or('\0');
            let shown = if (t as u32) > 32 && (t as u32) < 128 { t.to_string() } else { format!("\\x{:x}", t as u32) };
            return Err(vm.new_error(&vm.types.value_error, format!("Cannot specify '{g}' with '{shown}'.")));
        }
    }
    Ok(s)
}

/// Pads `body` (with its sign/prefix already in `sign`) to the spec's width.
fn pad(s: &Spec, sign: &str, body: &str, default_align: char) -> String {
    let len = sign.chars().count() + body.chars().count();
    let width = s.width.unwrap_or(0);
    if len >= width {
        return format!("{sign}{body}");
    }
    let fill = s.fill.unwrap_or(if s.zero { '0' } else { ' ' });
    let align = s.align.unwrap_or(if s.zero && default_align == '>' { '=' } else { default_align });
    let n = width - len;
    let f = |k: usize| fill.to_string().repeat(k);
    match align {
        '<' => format!("{sign}{body}{}", f(n)),
        '^' => format!("{}{sign}{body}{}", f(n / 2), f(n - n / 2)),
        '=' => format!("{sign}{}{body}", f(n)),
        _ => format!("{}{sign}{body}", f(n)),
    }
}

/// Inserts a thousands separator every `every` digits of `digits`.
fn group(digits: &str, sep: char, every: usize) -> String {
    let chars: Vec<char> = digits.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if i > 0 && (chars.len() - i).is_multiple_of(every) {
            out.push(sep);
        }
        out.push(*c);
    }
    out
}

fn sign_str(s: &Spec, negative: bool) -> &'static str {
    match (negative, s.sign) {
        (true, _) => "-",
        (false, Some('+')) => "+",
        (false, Some(' ')) => " ",
        _ => "",
    }
}

/// `format(value, spec)` as Rust text.
pub fn format_value(vm: &Vm, v: &Obj, spec: &str) -> PyResult<String> {
    // `object.__format__` is the fallback below (the built-in types'
    // specs are handled here natively).
    let object_format = crate::types::type_data(&vm.types.object).dict.borrow().get("__format__").cloned();
    if let Some(f) = crate::types::lookup(&crate::types::type_of(v), "__format__")
        .filter(|f| object_format.as_ref().is_none_or(|o| !o.is(f)) && !is_native_format(f))
    {
        let r = crate::classes::call_special(vm, &f, v, &[builtin::new_str(vm, spec)], &[])?;
        return match r.downcast::<StrData>() {
            Some(s) => Ok(s.as_str().into_owned()),
            None => Err(vm.type_error(format!("__format__ must return a str, not {}", type_name(&r)))),
        };
    }
    if spec.is_empty() {
        let s = ops::str(vm, v)?;
        return Ok(str_data(&s).as_str().into_owned());
    }
    format_native(vm, v, spec)
}

/// `int.__format__`, `float.__format__`, `complex.__format__` and
/// `str.__format__` (one native method for the four types).
pub static FORMAT_METHODS: &[crate::native::MethodDef] = &[crate::native::MethodDef::method(
    "__format__",
    native_format_method,
    "Return a formatted version of the value as described by format_spec.",
)];

fn native_format_method(vm: &Vm, this: &Obj, args: &[Obj], kw: crate::types::Kwargs) -> PyResult<Obj> {
    let [spec] = crate::native::exact::<1>(vm, "__format__", args, kw)?;
    let Some(s) = spec.downcast::<StrData>() else {
        return Err(vm.type_error(format!("__format__() argument must be str, not {}", type_name(&spec))));
    };
    if s.value.is_empty() {
        return ops::str(vm, this);
    }
    let text = format_native(vm, this, &s.as_str())?;
    Ok(builtin::new_str(vm, &text))
}

/// Whether `f` (a `__format__` found on a type) is [`FORMAT_METHODS`]'s:
/// the value is then formatted here without a call.
fn is_native_format(f: &Obj) -> bool {
    f.downcast::<crate::native::MethodDescrData>().is_some_and(|d| std::ptr::eq(d.def, &FORMAT_METHODS[0]))
}

/// The built-in types' formatting of `v` under a non-empty `spec`, without
/// looking for a `__format__` method.
pub fn format_native(vm: &Vm, v: &Obj, spec: &str) -> PyResult<String> {
    let s = parse_spec(vm, spec)?;
    if (v.is(&vm.true_) || v.is(&vm.false_)) && s.ty.is_none() {
        return Ok(pad(&s, "", if v.is(&vm.true_) { "True" } else { "False" }, '<'));
    }
    if let Some(i) = v.downcast::<IntData>() {
        return format_int(vm, &s, &i.to_big());
    }
    if let Some(f) = v.downcast::<f64>() {
        return format_float(vm, &s, *f);
    }
    if let Some(c) = v.downcast::<crate::types::complex::Complex>() {
        return format_complex(vm, &s, c.re, c.im);
    }
    if let Some(st) = v.downcast::<StrData>() {
        if !matches!(s.ty, None | Some('s')) {
            return Err(
                vm.new_error(&vm.types.value_error, format!("Unknown format code '{}' for object of type 'str'", s.ty.unwrap_or('s')))
            );
        }
        let err = |m: &str| Err(vm.new_error(&vm.types.value_error, m.to_string()));
        match s.sign {
            Some(' ') => return err("Space not allowed in string format specifier"),
            Some(_) => return err("Sign not allowed in string format specifier"),
            None => {}
        }
        if s.alternate {
            return err("Alternate form (#) not allowed in string format specifier");
        }
        if let Some(g) = s.grouping {
            return err(&format!("Cannot specify '{g}' with 's'."));
        }
        if s.align == Some('=') {
            return err("'=' alignment not allowed in string format specifier");
        }
        let mut text = st.as_str().into_owned();
        if let Some(p) = s.precision {
            text = text.chars().take(p).collect();
        }
        return Ok(pad(&s, "", &text, '<'));
    }
    Err(vm.type_error(format!("unsupported format string passed to {}.__format__", type_name(v))))
}

fn format_int(vm: &Vm, s: &Spec, v: &BigInt) -> PyResult<String> {
    let ty = s.ty.unwrap_or('d');
    if matches!(ty, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') {
        return format_float(vm, s, v.to_f64().unwrap_or(f64::INFINITY));
    }
    if s.precision.is_some() {
        return Err(vm.new_error(&vm.types.value_error, "Precision not allowed in integer format specifier"));
    }
    let mag = v.abs();
    let (digits, prefix, every) = match ty {
        'd' | 'n' => (builtin::int_to_decimal(vm, &IntData::Big(mag))?, "", 3),
        'b' => (mag.to_str_radix(2), "0b", 4),
        'o' => (mag.to_str_radix(8), "0o", 4),
        'x' => (mag.to_str_radix(16), "0x", 4),
        'X' => (mag.to_str_radix(16).to_uppercase(), "0X", 4),
        'c' => {
            let c = v
                .to_u32()
                .and_then(char::from_u32)
                .ok_or_else(|| vm.new_error(&vm.types.overflow_error, "%c arg not in range(0x110000)"))?;
            return Ok(pad(s, "", &c.to_string(), '<'));
        }
        other => return Err(vm.new_error(&vm.types.value_error, format!("Unknown format code '{other}' for object of type 'int'"))),
    };
    let sign = format!("{}{}", sign_str(s, v.is_negative()), if s.alternate { prefix } else { "" });
    let digits = match s.grouping {
        Some(sep) => group_min(&digits, sep, every, zero_grouped_width(s, sign.chars().count())),
        None => digits,
    };
    Ok(pad(s, &sign, &digits, '>'))
}

/// With grouping and zero padding (`0` flag or `0=` fill and alignment),
/// the zeros are grouped digits too: the width the grouped number (all
/// but its `sign_len` sign/prefix characters) must reach; 0 otherwise.
fn zero_grouped_width(s: &Spec, sign_len: usize) -> usize {
    let fill = s.fill.unwrap_or(if s.zero { '0' } else { ' ' });
    let align = s.align.unwrap_or(if s.zero { '=' } else { '>' });
    if fill == '0' && align == '=' {
        s.width.unwrap_or(0).saturating_sub(sign_len)
    } else {
        0
    }
}

/// [`group`], with leading zeros added until the result is at least
/// `min_width` long (it never starts with a separator).
fn group_min(digits: &str, sep: char, every: usize, min_width: usize) -> String {
    let mut d = digits.to_string();
    loop {
        let g = group(&d, sep, every);
        if g.chars().count() >= min_width || d.is_empty() {
            return g;
        }
        d.insert(0, '0');
    }
}

fn format_float(vm: &Vm, s: &Spec, v: f64) -> PyResult<String> {
    let neg = v.is_sign_negative() && !v.is_nan();
    let sign = sign_str(s, neg);
    let body = float_body(vm, s, v.abs(), "float", zero_grouped_width(s, sign.chars().count()))?;
    Ok(pad(s, sign, &body, '>'))
}

/// A width or precision of a format spec (at most `sys.maxsize`).
fn decimal(vm: &Vm, digits: &[char]) -> PyResult<usize> {
    match digits.iter().collect::<String>().parse::<i64>() {
        Ok(n) => Ok(n as usize),
        Err(_) => Err(vm.new_error(&vm.types.value_error, "Too many decimal digits in format string")),
    }
}

/// The digits of a non-negative float under the spec's type, precision
/// and grouping (no sign, no padding).
fn float_body(vm: &Vm, s: &Spec, a: f64, type_name: &str, min_width: usize) -> PyResult<String> {
    let upper = matches!(s.ty, Some('E' | 'F' | 'G'));
    if s.precision.is_some_and(|p| p > i32::MAX as usize) {
        return Err(vm.new_error(&vm.types.value_error, "precision too big"));
    }
    let body = if !a.is_finite() {
        let word = if a.is_nan() { "nan" } else { "inf" };
        if s.ty == Some('%') {
            format!("{word}%")
        } else {
            word.to_string()
        }
    } else {
        match s.ty {
            Some('f' | 'F') => fixed(a, s.precision.unwrap_or(6)),
            Some('%') => fixed(a * 100.0, s.precision.unwrap_or(6)) + "%",
            Some('e' | 'E') => exp_form(a, s.precision.unwrap_or(6)),
            Some('g' | 'G' | 'n') => general(a, s.precision.unwrap_or(6), s.alternate),
            None => match s.precision {
                Some(p) => general(a, p.max(1), s.alternate),
                None => taipan_parser::repr::repr_float(a),
            },
            Some(other) => {
                return Err(vm.new_error(&vm.types.value_error, format!("Unknown format code '{other}' for object of type '{type_name}'")))
            }
        }
    };
    // `#` keeps the decimal point even without decimals ("2.", "2.e+00").
    let body = if s.alternate && s.ty.is_some() && a.is_finite() && !body.contains('.') {
        let at = body.find(['e', '%']).unwrap_or(body.len());
        format!("{}.{}", &body[..at], &body[at..])
    } else {
        body
    };
    let body = if upper { body.to_uppercase() } else { body };
    let body = match s.grouping {
        Some(sep) => {
            let (int, rest) = body.split_at(body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len()));
            let min = if int.is_empty() { 0 } else { min_width.saturating_sub(rest.chars().count()) };
            format!("{}{rest}", group_min(int, sep, 3, min))
        }
        None => body,
    };
    Ok(body)
}

/// `format(complex, spec)` (CPython's `format_complex_internal`): both
/// parts in the float presentation; without a type, `str()`-like parts in
/// parentheses (none when the real part is +0 and omitted).
fn format_complex(vm: &Vm, s: &Spec, re: f64, im: f64) -> PyResult<String> {
    if s.zero {
        return Err(vm.new_error(&vm.types.value_error, "Zero padding is not allowed in complex format specifier"));
    }
    if s.align == Some('=') {
        return Err(vm.new_error(&vm.types.value_error, "'=' alignment flag is not allowed in complex format specifier"));
    }
    if let Some(t) = s.ty.filter(|t| !matches!(t, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n')) {
        return Err(vm.new_error(&vm.types.value_error, format!("Unknown format code '{t}' for object of type 'complex'")));
    }
    let untyped = s.ty.is_none();
    let skip_re = untyped && re == 0.0 && re.is_sign_positive();
    let parens = untyped && !skip_re;
    let part = |x: f64| -> PyResult<String> {
        let a = x.abs();
        match (s.ty, s.precision) {
            // The repr's digits, without a ".0".
            (None, None) => {
                let r = taipan_parser::repr::repr_complex(0.0, a);
                Ok(r.trim_end_matches('j').to_string())
            }
            (None, Some(_)) if !a.is_finite() => Ok(if a.is_nan() { "nan" } else { "inf" }.to_string()),
            (None, Some(p)) => Ok(general(a, p.max(1), s.alternate)),
            _ => float_body(vm, s, a, "complex", 0),
        }
    };
    let neg = |x: f64| x.is_sign_negative() && !x.is_nan();
    let mut out = String::new();
    if parens {
        out.push('(');
    }
    if !skip_re {
        out.push_str(sign_str(s, neg(re)));
        out.push_str(&part(re)?);
        out.push(if neg(im) { '-' } else { '+' });
    } else {
        out.push_str(sign_str(s, neg(im)));
    }
    out.push_str(&part(im)?);
    out.push('j');
    if parens {
        out.push(')');
    }
    Ok(pad(s, "", &out, '>'))
}

/// `%e`: mantissa with `p` decimals and a two-digit (at least) exponent.
/// Digits past which an f64's exact decimal expansion has ended (at most
/// 1074 after the point, 767 significant): further digits are zeros.
const EXACT_DIGITS: usize = 1100;

/// `format!("{:.p$}", a)` for any precision (Rust's formatter panics on
/// precisions above `u16::MAX`).
pub fn fixed(a: f64, p: usize) -> String {
    if p <= EXACT_DIGITS {
        return format!("{a:.p$}");
    }
    let mut s = format!("{a:.EXACT_DIGITS$}");
    s.extend(std::iter::repeat_n('0', p - EXACT_DIGITS));
    s
}

/// `format!("{:.p$e}", a)` (Rust's exponent form, `1.5e3`) for any
/// precision.
pub fn scientific(a: f64, p: usize) -> String {
    if p <= EXACT_DIGITS {
        return format!("{a:.p$e}");
    }
    let s = format!("{a:.EXACT_DIGITS$e}");
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    format!("{m}{}e{e}", "0".repeat(p - EXACT_DIGITS))
}

pub(crate) fn exp_form(a: f64, p: usize) -> String {
    let s = scientific(a, p);
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
}

/// `%g`: fixed or exponent form by the exponent, trailing zeros removed
/// unless `alternate`.
pub(crate) fn general(a: f64, p: usize, alternate: bool) -> String {
    let p = p.max(1);
    if a == 0.0 {
        return if alternate { fixed(0.0, p - 1) } else { "0".to_string() };
    }
    let e = exp_form(a, p - 1);
    let exp: i32 = e.split_once('e').and_then(|(_, x)| x.parse().ok()).unwrap_or(0);
    let mut out = if exp < -4 || exp as i64 >= p as i64 { e } else { fixed(a, (p as i64 - 1 - exp as i64).max(0) as usize) };
    if !alternate {
        let (m, ex) = match out.split_once('e') {
            Some((m, ex)) => (m.to_string(), format!("e{ex}")),
            None => (out.clone(), String::new()),
        };
        let m = if m.contains('.') { m.trim_end_matches('0').trim_end_matches('.').to_string() } else { m };
        out = format!("{m}{ex}");
    }
    out
}
