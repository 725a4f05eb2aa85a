//! String formatting: `fmt % args` (printf-style, CPython's
//! `PyUnicode_Format`), `str.format` / `str.format_map` (PEP 3101, CPython's
//! `unicode_format.h`), and `ascii()`.

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive};

use crate::native::exact;
use crate::object::Obj;
use crate::ops;
use crate::types::builtin::*;
use crate::types::{lookup, type_of, Kwargs};
use crate::vm::Vm;
use crate::PyResult;
use taipan_parser::wtf8::Wtf8Buf;

fn value_error(vm: &Vm, msg: impl Into<String>) -> crate::PyErr {
    vm.new_error(&vm.types.value_error, msg)
}

/// `ascii(o)`: `repr(o)` with non-ASCII code points escaped.
pub fn ascii_of(vm: &Vm, o: &Obj) -> PyResult<Wtf8Buf> {
    let r = ops::repr(vm, o)?;
    let s = str_data(&r);
    if s.is_ascii() {
        return Ok(s.value.clone());
    }
    let mut out = String::with_capacity(s.bytes().len() + 8);
    for cp in s.value.code_points() {
        match cp {
            0..=0x7F => out.push(cp as u8 as char),
            0x80..=0xFF => out.push_str(&format!("\\x{cp:02x}")),
            0x100..=0xFFFF => out.push_str(&format!("\\u{cp:04x}")),
            _ => out.push_str(&format!("\\U{cp:08x}")),
        }
    }
    Ok(Wtf8Buf::from_str(&out))
}

/// The `str()`, `repr()` or `ascii()` of `o` as a `Wtf8Buf`.
fn convert(vm: &Vm, o: &Obj, conv: char) -> PyResult<Wtf8Buf> {
    match conv {
        'r' => Ok(str_data(&ops::repr(vm, o)?).value.clone()),
        'a' => ascii_of(vm, o),
        _ => Ok(str_data(&ops::str(vm, o)?).value.clone()),
    }
}

// ----- printf-style formatting ------------------------------------------

#[derive(Default)]
struct Flags {
    left: bool,
    sign: bool,
    space: bool,
    alt: bool,
    zero: bool,
}

/// `fmt % args`; `fmt` is a str.
pub fn percent_format(vm: &Vm, fmt: &Obj, args: &Obj) -> PyResult<Obj> {
    let cps: Vec<u32> = str_data(fmt).value.code_points().collect();
    let tuple = args.downcast::<TupleData>();
    let is_mapping = tuple.is_none()
        && args.downcast::<StrData>().is_none()
        && (args.downcast::<DictData>().is_some()
            || args.downcast::<ListData>().is_some()
            || lookup(&type_of(args), "__getitem__").is_some());
    let dict = if is_mapping { Some(args.clone()) } else { None };
    // CPython's argidx/arglen: a lone argument has arglen -1, argidx -2.
    let (mut arglen, mut argidx): (i64, i64) = match tuple {
        Some(t) => (t.items.len() as i64, 0),
        None => (-1, -2),
    };
    let mut current = args.clone();
    let next_arg = |current: &Obj, argidx: &mut i64, arglen: i64| -> PyResult<Obj> {
        if *argidx < arglen {
            let i = *argidx;
            *argidx += 1;
            if arglen < 0 {
                return Ok(current.clone());
            }
            if let Some(t) = current.downcast::<TupleData>() {
                return Ok(t.items[i as usize].clone());
            }
            return Ok(current.clone());
        }
        Err(vm.type_error("not enough arguments for format string"))
    };
    let mut out = Wtf8Buf::with_capacity(cps.len() + 16);
    let n = cps.len();
    let mut i = 0;
    while i < n {
        let c = cps[i];
        if c != '%' as u32 {
            out.push_code_point(c);
            i += 1;
            continue;
        }
        i += 1;
        if i < n && cps[i] == '%' as u32 {
            out.push_code_point('%' as u32);
            i += 1;
            continue;
        }
        // Mapping key.
        if i < n && cps[i] == '(' as u32 {
            let Some(d) = &dict else { return Err(vm.type_error("format requires a mapping")) };
            i += 1;
            let start = i;
            let mut depth = 1;
            while i < n {
                if cps[i] == '(' as u32 {
                    depth += 1;
                } else if cps[i] == ')' as u32 {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                i += 1;
            }
            if depth > 0 {
                return Err(value_error(vm, "incomplete format key"));
            }
            let key = from_cps(vm, &cps[start..i]);
            i += 1;
            current = crate::sequence::getitem(vm, d, &key)?;
            arglen = -1;
            argidx = -2;
        }
        let mut f = Flags::default();
        while i < n {
            match char::from_u32(cps[i]) {
                Some('-') => f.left = true,
                Some('+') => f.sign = true,
                Some(' ') => f.space = true,
                Some('#') => f.alt = true,
                Some('0') => f.zero = true,
                _ => break,
            }
            i += 1;
        }
        let mut width: Option<usize> = None;
        if i < n && cps[i] == '*' as u32 {
            let w = next_arg(&current, &mut argidx, arglen)?;
            let v = match w.downcast::<IntData>() {
                Some(IntData::Small(v)) => v,
                Some(_) => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C ssize_t")),
                None => return Err(vm.type_error("* wants int")),
            };
            if *v < 0 {
                f.left = true;
            }
            width = Some(v.unsigned_abs() as usize);
            i += 1;
        } else {
            let mut w: usize = 0;
            let mut any = false;
            while i < n && (0x30..=0x39).contains(&cps[i]) {
                w = w.saturating_mul(10).saturating_add((cps[i] - 0x30) as usize);
                any = true;
                i += 1;
            }
            if w > isize::MAX as usize {
                return Err(vm.new_error(&vm.types.value_error, "width too big"));
            }
            if any {
                width = Some(w);
            }
        }
        let mut prec: Option<usize> = None;
        if i < n && cps[i] == '.' as u32 {
            i += 1;
            if i < n && cps[i] == '*' as u32 {
                let p = next_arg(&current, &mut argidx, arglen)?;
                let v = match p.downcast::<IntData>() {
                    Some(IntData::Small(v)) if i32::try_from(*v).is_ok() => *v,
                    Some(_) => return Err(vm.new_error(&vm.types.overflow_error, "Python int too large to convert to C int")),
                    None => return Err(vm.type_error("* wants int")),
                };
                prec = Some(v.max(0) as usize);
                i += 1;
            } else {
                let mut p: usize = 0;
                while i < n && (0x30..=0x39).contains(&cps[i]) {
                    p = p.saturating_mul(10).saturating_add((cps[i] - 0x30) as usize);
                    i += 1;
                }
                if p > i32::MAX as usize {
                    return Err(vm.new_error(&vm.types.value_error, "precision too big"));
                }
                prec = Some(p);
            }
        }
        while i < n && matches!(cps[i], 0x68 | 0x6C | 0x4C) {
            i += 1; // length modifiers h, l, L are ignored
        }
        if i >= n {
            return Err(value_error(vm, "incomplete format"));
        }
        let conv = cps[i];
        i += 1;
        let arg = next_arg(&current, &mut argidx, arglen)?;
        let ch = char::from_u32(conv).unwrap_or('\u{FFFD}');
        // (sign, prefix, body, numeric)
        let (sign, prefix, body, numeric): (&str, &str, Wtf8Buf, bool) = match ch {
            's' | 'r' | 'a' => {
                let mut s = convert(vm, &arg, ch)?;
                if let Some(p) = prec {
                    s = truncate(&s, p);
                }
                ("", "", s, false)
            }
            'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                let v = int_arg(vm, &arg, ch)?;
                let mag = v.abs();
                let mut digits = match ch {
                    'x' => mag.to_str_radix(16),
                    'X' => mag.to_str_radix(16).to_uppercase(),
                    'o' => mag.to_str_radix(8),
                    _ => mag.to_string(),
                };
                if let Some(p) = prec {
                    if digits.len() < p {
                        digits = format!("{}{digits}", "0".repeat(p - digits.len()));
                    }
                }
                let prefix = match (f.alt, ch) {
                    (true, 'x') => "0x",
                    (true, 'X') => "0X",
                    (true, 'o') => "0o",
                    _ => "",
                };
                (sign_of(&f, v.is_negative()), prefix, Wtf8Buf::from_str(&digits), true)
            }
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                let x = float_arg(vm, &arg)?;
                let body = float_body(x.abs(), ch, prec.unwrap_or(6), f.alt);
                (sign_of(&f, x.is_sign_negative() && !x.is_nan()), "", Wtf8Buf::from_str(&body), true)
            }
            'c' => {
                let cp = if let Some(s) = arg.downcast::<StrData>() {
                    if s.len() != 1 {
                        return Err(vm.type_error("%c requires int or char"));
                    }
                    s.code_point(0)
                } else {
                    // Any integer-like object (`__index__`), as
                    // `PyLong_AsLongAndOverflow` takes.
                    let i = match crate::ops::index(vm, &arg) {
                        Ok(i) => i,
                        Err(e) if crate::types::is_subtype(&crate::types::type_of(&e.exc), &vm.types.type_error) => {
                            return Err(vm.type_error("%c requires int or char"));
                        }
                        Err(e) => return Err(e),
                    };
                    match i.downcast::<IntData>().and_then(|v| v.to_big().to_u32()) {
                        Some(c) if c < 0x110000 => c,
                        _ => return Err(vm.new_error(&vm.types.overflow_error, "%c arg not in range(0x110000)")),
                    }
                };
                let mut w = Wtf8Buf::new();
                w.push_code_point(cp);
                ("", "", w, false)
            }
            _ => {
                let shown = if (0x20..0x7F).contains(&conv) { ch.to_string() } else { "?".to_string() };
                return Err(value_error(vm, format!("unsupported format character '{shown}' (0x{conv:x}) at index {}", i - 1)));
            }
        };
        let len = sign.len() + prefix.len() + body.code_points().count();
        let w = width.unwrap_or(0);
        crate::types::container::check_alloc(vm, w)?;
        if len >= w {
            out.push_str(sign);
            out.push_str(prefix);
            out.push_wtf8(&body);
        } else if f.left {
            out.push_str(sign);
            out.push_str(prefix);
            out.push_wtf8(&body);
            out.push_str(&" ".repeat(w - len));
        } else if f.zero && numeric {
            out.push_str(sign);
            out.push_str(prefix);
            out.push_str(&"0".repeat(w - len));
            out.push_wtf8(&body);
        } else {
            out.push_str(&" ".repeat(w - len));
            out.push_str(sign);
            out.push_str(prefix);
            out.push_wtf8(&body);
        }
    }
    if argidx < arglen && dict.is_none() {
        return Err(vm.type_error("not all arguments converted during string formatting"));
    }
    Ok(new_str_wtf8(vm, out))
}

/// A str made of code points.
pub fn from_cps(vm: &Vm, cps: &[u32]) -> Obj {
    let mut w = Wtf8Buf::new();
    for &c in cps {
        w.push_code_point(c);
    }
    new_str_wtf8(vm, w)
}

fn truncate(s: &Wtf8Buf, n: usize) -> Wtf8Buf {
    let mut w = Wtf8Buf::new();
    for c in s.code_points().take(n) {
        w.push_code_point(c);
    }
    w
}

fn sign_of(f: &Flags, negative: bool) -> &'static str {
    if negative {
        "-"
    } else if f.sign {
        "+"
    } else if f.space {
        " "
    } else {
        ""
    }
}

/// The integer for `%d`/`%x`/...: ints as they are, floats truncated for
/// the decimal conversions.
fn int_arg(vm: &Vm, arg: &Obj, ch: char) -> PyResult<BigInt> {
    if let Some(i) = arg.downcast::<IntData>() {
        return Ok(i.to_big());
    }
    if let Some(x) = arg.downcast::<f64>() {
        if matches!(ch, 'd' | 'i' | 'u') {
            if x.is_nan() {
                return Err(value_error(vm, "cannot convert float NaN to integer"));
            }
            if x.is_infinite() {
                return Err(vm.new_error(&vm.types.overflow_error, "cannot convert float infinity to integer"));
            }
            return Ok(num_bigint::BigInt::from(x.trunc() as i128));
        }
        return Err(vm.type_error(format!("%{ch} format: an integer is required, not float")));
    }
    if let Some(f) = lookup(&type_of(arg), "__index__") {
        let r = crate::classes::call_object(vm, &f, std::slice::from_ref(arg))?;
        if let Some(i) = r.downcast::<IntData>() {
            return Ok(i.to_big());
        }
    }
    if matches!(ch, 'd' | 'i' | 'u') {
        if let Some(f) = lookup(&type_of(arg), "__int__") {
            let r = crate::classes::call_object(vm, &f, std::slice::from_ref(arg))?;
            if let Some(i) = r.downcast::<IntData>() {
                return Ok(i.to_big());
            }
        }
        return Err(vm.type_error(format!("%{ch} format: a real number is required, not {}", type_name(arg))));
    }
    Err(vm.type_error(format!("%{ch} format: an integer is required, not {}", type_name(arg))))
}

fn float_arg(vm: &Vm, arg: &Obj) -> PyResult<f64> {
    if let Some(x) = arg.downcast::<f64>() {
        return Ok(*x);
    }
    if let Some(i) = arg.downcast::<IntData>() {
        return match i {
            IntData::Small(v) => Ok(*v as f64),
            IntData::Big(b) => match b.to_f64().filter(|f| f.is_finite()) {
                Some(f) => Ok(f),
                None => Err(vm.new_error(&vm.types.overflow_error, "int too large to convert to float")),
            },
        };
    }
    if let Some(f) = lookup(&type_of(arg), "__float__") {
        let r = crate::classes::call_object(vm, &f, std::slice::from_ref(arg))?;
        if let Some(x) = r.downcast::<f64>() {
            return Ok(*x);
        }
    }
    Err(vm.type_error(format!("must be real number, not {}", type_name(arg))))
}

/// `%e`/`%f`/`%g` of a non-negative float.
fn float_body(a: f64, ch: char, prec: usize, alt: bool) -> String {
    let upper = ch.is_ascii_uppercase();
    let body = if a.is_infinite() {
        "inf".to_string()
    } else if a.is_nan() {
        "nan".to_string()
    } else {
        match ch.to_ascii_lowercase() {
            'f' => {
                let mut s = crate::format::fixed(a, prec);
                if alt && prec == 0 {
                    s.push('.');
                }
                s
            }
            'e' => {
                let s = crate::format::exp_form(a, prec);
                if alt && prec == 0 {
                    s.replacen('e', ".e", 1)
                } else {
                    s
                }
            }
            _ => crate::format::general(a, prec, alt),
        }
    };
    if upper {
        body.to_uppercase()
    } else {
        body
    }
}

// ----- str.format ---------------------------------------------------------

enum AutoNumber {
    Init,
    Auto(usize),
    Manual,
}

struct FormatCtx<'a> {
    args: Option<&'a [Obj]>,
    kwargs: Option<Obj>,
    auto: AutoNumber,
}

fn cps_to_string(cps: &[u32]) -> String {
    cps.iter().map(|&c| char::from_u32(c).unwrap_or('\u{FFFD}')).collect()
}

/// A key in a field name: a decimal index or a name (a range of the
/// format string's code points).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FieldKey {
    Index(usize),
    Name(usize, usize),
}

/// A field name split as CPython's `FieldNameIterator` does: the first
/// part (an index when all digits), then `(is_attribute, key)` for each
/// `.attr` / `[item]` (items that are all digits become indices). The rest
/// is parsed lazily in CPython, so an error ends the list instead of
/// failing the split.
pub struct FieldName {
    pub first: FieldKey,
    pub rest: Vec<(bool, FieldKey)>,
    pub error: Option<&'static str>,
}

/// The decimal value of an all-digit name (`get_integer`): `Ok(None)` if
/// some character is not a digit.
fn decimal(cps: &[u32]) -> Result<Option<usize>, &'static str> {
    if cps.is_empty() {
        return Ok(None);
    }
    let mut v: usize = 0;
    for &c in cps {
        if !(0x30..=0x39).contains(&c) {
            return Ok(None);
        }
        v = match v.checked_mul(10).and_then(|x| x.checked_add((c - 0x30) as usize)) {
            Some(x) if x <= isize::MAX as usize => x,
            _ => return Err("Too many decimal digits in format string"),
        };
    }
    Ok(Some(v))
}

/// Splits the field name `s[start..end]` (see [`FieldName`]).
pub fn split_field_name(s: &[u32], start: usize, end: usize) -> Result<FieldName, &'static str> {
    let name = &s[start..end];
    let split = name.iter().position(|&c| c == '.' as u32 || c == '[' as u32).unwrap_or(name.len());
    let first = match decimal(&name[..split])? {
        Some(i) => FieldKey::Index(i),
        None => FieldKey::Name(start, start + split),
    };
    let mut out = FieldName { first, rest: Vec::new(), error: None };
    let mut i = start + split;
    while i < end {
        let is_attr = s[i] == '.' as u32;
        if !is_attr && s[i] != '[' as u32 {
            out.error = Some("Only '.' or '[' may follow ']' in format field specifier");
            return Ok(out);
        }
        i += 1;
        let (a, b);
        if is_attr {
            let e = s[i..end].iter().position(|&c| c == '.' as u32 || c == '[' as u32).map_or(end, |p| i + p);
            (a, b) = (i, e);
            i = e;
        } else {
            let Some(e) = s[i..end].iter().position(|&c| c == ']' as u32).map(|p| i + p) else {
                out.error = Some("Missing ']' in format string");
                return Ok(out);
            };
            (a, b) = (i, e);
            i = e + 1;
        }
        if a == b {
            out.error = Some("Empty attribute in format string");
            return Ok(out);
        }
        let key = if is_attr {
            FieldKey::Name(a, b)
        } else {
            match decimal(&s[a..b]) {
                Ok(Some(n)) => FieldKey::Index(n),
                Ok(None) => FieldKey::Name(a, b),
                Err(e) => {
                    out.error = Some(e);
                    return Ok(out);
                }
            }
        };
        out.rest.push((is_attr, key));
    }
    Ok(out)
}

/// A replacement field of a format string, as ranges of its code points.
pub struct MarkupField {
    pub name: (usize, usize),
    /// The character after `!`, if any.
    pub conversion: Option<u32>,
    pub spec: (usize, usize),
    /// The spec contains `{`: it is itself formatted first.
    pub spec_nested: bool,
}

/// One step of CPython's `MarkupIterator`: literal text (with an escaped
/// brace kept once) and the field that follows it, if any.
pub struct MarkupChunk {
    pub literal: (usize, usize),
    pub field: Option<MarkupField>,
}

/// Parses the next chunk of `s` from `*i`; `Ok(None)` at the end. Errors
/// are the `ValueError` messages of `str.format`.
pub fn next_markup(s: &[u32], i: &mut usize) -> Result<Option<MarkupChunk>, String> {
    let n = s.len();
    if *i >= n {
        return Ok(None);
    }
    let start = *i;
    let mut c = 0u32;
    let mut markup = false;
    while *i < n {
        c = s[*i];
        *i += 1;
        if c == '{' as u32 || c == '}' as u32 {
            markup = true;
            break;
        }
    }
    let at_end = *i >= n;
    let mut len = *i - start;
    if markup && c == '}' as u32 && (at_end || s[*i] != c) {
        return Err("Single '}' encountered in format string".into());
    }
    if markup && at_end && c == '{' as u32 {
        return Err("Single '{' encountered in format string".into());
    }
    if markup && !at_end {
        if s[*i] == c {
            *i += 1;
            markup = false;
        } else {
            len -= 1;
        }
    }
    let literal = (start, start + len);
    if !markup {
        return Ok(Some(MarkupChunk { literal, field: None }));
    }
    // A replacement field: the name ends at '}', ':' or '!' (brackets
    // skip those).
    let name_start = *i;
    let mut term = 0u32;
    while *i < n {
        let c = s[*i];
        *i += 1;
        if c == '{' as u32 {
            return Err("unexpected '{' in field name".into());
        }
        if c == '[' as u32 {
            while *i < n && s[*i] != ']' as u32 {
                *i += 1;
            }
            continue;
        }
        if c == '}' as u32 || c == ':' as u32 || c == '!' as u32 {
            term = c;
            break;
        }
    }
    let name_end = if term != 0 { *i - 1 } else { *i };
    let mut conversion: Option<u32> = None;
    let mut spec = (*i, *i);
    let mut spec_nested = false;
    if term == '!' as u32 || term == ':' as u32 {
        let mut done = false;
        if term == '!' as u32 {
            if *i >= n {
                return Err("end of string while looking for conversion specifier".into());
            }
            conversion = Some(s[*i]);
            *i += 1;
            if *i < n {
                let c = s[*i];
                *i += 1;
                if c == '}' as u32 {
                    done = true;
                } else if c != ':' as u32 {
                    return Err("expected ':' after conversion specifier".into());
                }
            }
        }
        if !done {
            let sstart = *i;
            let mut count = 1;
            let mut closed = false;
            while *i < n {
                let c = s[*i];
                *i += 1;
                if c == '{' as u32 {
                    spec_nested = true;
                    count += 1;
                } else if c == '}' as u32 {
                    count -= 1;
                    if count == 0 {
                        spec = (sstart, *i - 1);
                        closed = true;
                        break;
                    }
                }
            }
            if !closed {
                return Err("unmatched '{' in format spec".into());
            }
        }
    } else if term != '}' as u32 {
        return Err("expected '}' before end of string".into());
    }
    Ok(Some(MarkupChunk { literal, field: Some(MarkupField { name: (name_start, name_end), conversion, spec, spec_nested }) }))
}

fn get_field(vm: &Vm, ctx: &mut FormatCtx, s: &[u32], (start, end): (usize, usize)) -> PyResult<Obj> {
    let parts = split_field_name(s, start, end).map_err(|e| value_error(vm, e))?;
    let empty = matches!(parts.first, FieldKey::Name(a, b) if a == b);
    let mut index = match parts.first {
        FieldKey::Index(i) => Some(i),
        FieldKey::Name(..) => None,
    };
    if empty || index.is_some() {
        if matches!(ctx.auto, AutoNumber::Init) {
            ctx.auto = if empty { AutoNumber::Auto(0) } else { AutoNumber::Manual };
        }
        match (&mut ctx.auto, empty) {
            (AutoNumber::Manual, true) => {
                return Err(value_error(vm, "cannot switch from manual field specification to automatic field numbering"))
            }
            (AutoNumber::Auto(_), false) => {
                return Err(value_error(vm, "cannot switch from automatic field numbering to manual field specification"))
            }
            (AutoNumber::Auto(n), true) => {
                index = Some(*n);
                *n += 1;
            }
            _ => {}
        }
    }
    let mut obj = match (index, parts.first) {
        (None, FieldKey::Name(a, b)) => {
            let key = from_cps(vm, &s[a..b]);
            match &ctx.kwargs {
                None => return Err(key_error(vm, &key)),
                Some(k) => crate::sequence::getitem(vm, k, &key)?,
            }
        }
        (None, FieldKey::Index(_)) => return Err(value_error(vm, "bad field")),
        (Some(i), _) => {
            let Some(args) = ctx.args else { return Err(value_error(vm, "Format string contains positional fields")) };
            match args.get(i) {
                Some(o) => o.clone(),
                None => {
                    return Err(vm.new_error(&vm.types.index_error, format!("Replacement index {i} out of range for positional args tuple")))
                }
            }
        }
    };
    for (is_attr, key) in parts.rest {
        obj = match (is_attr, key) {
            (true, FieldKey::Name(a, b)) => crate::classes::getattr(vm, &obj, &vm.intern(&cps_to_string(&s[a..b])))?,
            (true, FieldKey::Index(_)) => return Err(value_error(vm, "bad field")),
            (false, FieldKey::Index(n)) => crate::sequence::getitem(vm, &obj, &vm.int(n as i64))?,
            (false, FieldKey::Name(a, b)) => crate::sequence::getitem(vm, &obj, &from_cps(vm, &s[a..b]))?,
        };
    }
    if let Some(e) = parts.error {
        return Err(value_error(vm, e));
    }
    Ok(obj)
}

fn build_string(vm: &Vm, ctx: &mut FormatCtx, s: &[u32], depth: u32, out: &mut Wtf8Buf) -> PyResult<()> {
    if depth == 0 {
        return Err(value_error(vm, "Max string recursion exceeded"));
    }
    let mut i = 0;
    while let Some(chunk) = next_markup(s, &mut i).map_err(|e| value_error(vm, e))? {
        for &c in &s[chunk.literal.0..chunk.literal.1] {
            out.push_code_point(c);
        }
        let Some(field) = chunk.field else { continue };
        let obj = get_field(vm, ctx, s, field.name)?;
        let obj = match field.conversion {
            None => obj,
            Some(c) if c == 'r' as u32 || c == 's' as u32 || c == 'a' as u32 => {
                new_str_wtf8(vm, convert(vm, &obj, char::from_u32(c).unwrap_or('s'))?)
            }
            Some(c) => {
                let msg = if (33..127).contains(&c) {
                    format!("Unknown conversion specifier {}", char::from_u32(c).unwrap_or('?'))
                } else {
                    format!("Unknown conversion specifier \\x{c:x}")
                };
                return Err(value_error(vm, msg));
            }
        };
        let spec = &s[field.spec.0..field.spec.1];
        let spec_text = if field.spec_nested {
            let mut w = Wtf8Buf::new();
            build_string(vm, ctx, spec, depth - 1, &mut w)?;
            String::from_utf8_lossy(w.as_bytes()).into_owned()
        } else {
            cps_to_string(spec)
        };
        // An exact str formats as itself (a subclass may override
        // `__format__` or `__str__`).
        if spec_text.is_empty() && std::ptr::eq(obj.type_ptr(), vm.types.str_.as_ptr()) {
            if let Some(st) = obj.downcast::<StrData>() {
                out.push_wtf8(&st.value);
                continue;
            }
        }
        let text = crate::format::format_value(vm, &obj, &spec_text)?;
        out.push_str(&text);
    }
    Ok(())
}

/// `str.format(*args, **kwargs)`.
pub fn str_format_method(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let kwargs = if kw.is_empty() {
        None
    } else {
        let d = new_dict(vm);
        for (k, v) in kw {
            dict_set(vm, &d, k.clone(), v.clone())?;
        }
        Some(d)
    };
    let mut ctx = FormatCtx { args: Some(args), kwargs, auto: AutoNumber::Init };
    let cps: Vec<u32> = str_data(this).value.code_points().collect();
    let mut out = Wtf8Buf::with_capacity(cps.len() + 16);
    build_string(vm, &mut ctx, &cps, 2, &mut out)?;
    Ok(new_str_wtf8(vm, out))
}

/// `str.format_map(mapping)`.
pub fn str_format_map(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [mapping] = exact::<1>(vm, "str.format_map", args, kw)?;
    let mut ctx = FormatCtx { args: None, kwargs: Some(mapping), auto: AutoNumber::Init };
    let cps: Vec<u32> = str_data(this).value.code_points().collect();
    let mut out = Wtf8Buf::with_capacity(cps.len() + 16);
    build_string(vm, &mut ctx, &cps, 2, &mut out)?;
    Ok(new_str_wtf8(vm, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cps(s: &str) -> Vec<u32> {
        s.chars().map(|c| c as u32).collect()
    }

    /// (name, spec, conversion) of a field, as text.
    type Field = (String, String, Option<char>);

    /// (literal, field) of each chunk.
    fn chunks(s: &str) -> Result<Vec<(String, Option<Field>)>, String> {
        let v = cps(s);
        let text = |(a, b): (usize, usize)| cps_to_string(&v[a..b]);
        let mut i = 0;
        let mut out = Vec::new();
        while let Some(c) = next_markup(&v, &mut i)? {
            let field = c.field.map(|f| (text(f.name), text(f.spec), f.conversion.and_then(char::from_u32)));
            out.push((text(c.literal), field));
        }
        Ok(out)
    }

    #[test]
    fn markup_chunks() {
        assert_eq!(chunks("a{{b").unwrap(), vec![("a{".into(), None), ("b".into(), None)]);
        assert_eq!(chunks("x{0!r:>{w}}y").unwrap(), vec![("x".into(), Some(("0".into(), ">{w}".into(), Some('r')))), ("y".into(), None)]);
        assert_eq!(chunks("{a[}]}").unwrap(), vec![("".into(), Some(("a[}]".into(), "".into(), None)))]);
        assert_eq!(chunks("a}").unwrap_err(), "Single '}' encountered in format string");
        assert_eq!(chunks("{0!").unwrap_err(), "end of string while looking for conversion specifier");
        assert!(chunks("").unwrap().is_empty());
    }

    #[test]
    fn field_names() {
        let v = cps("0.x[1][k]");
        let f = split_field_name(&v, 0, v.len()).unwrap();
        assert_eq!(f.first, FieldKey::Index(0));
        assert_eq!(f.rest, vec![(true, FieldKey::Name(2, 3)), (false, FieldKey::Index(1)), (false, FieldKey::Name(7, 8))]);
        assert_eq!(f.error, None);
        let v = cps("a..b");
        let f = split_field_name(&v, 0, v.len()).unwrap();
        assert_eq!((f.first, f.rest.len(), f.error), (FieldKey::Name(0, 1), 0, Some("Empty attribute in format string")));
        let v = cps("99999999999999999999999");
        assert!(split_field_name(&v, 0, v.len()).is_err());
    }
}
