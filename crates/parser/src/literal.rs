//! Values of literal tokens: numbers (`int`, `float`, imaginary) and the
//! bodies of `str` and `bytes` literals with all of Python 3.11's escapes,
//! failing with exactly the `SyntaxError` message CPython gives.
//!
//! Error positions follow CPython: a non-raw `str` body containing a
//! backslash is first rewritten into an ASCII buffer where each non-ASCII
//! character becomes a ten-byte `\UXXXXXXXX` escape and a backslash before a
//! non-ASCII character becomes `\u005c`; the positions in
//! `'unicodeescape' codec can't decode ...` messages are byte offsets in that
//! buffer. `bytes` errors give the offset of the backslash in the body.

use crate::ast::{Constant, IntValue};
use crate::unicode::lookup_name;
use crate::wtf8::Wtf8Buf;

/// A literal CPython rejects; `msg` is the exact `SyntaxError` message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiteralError {
    pub msg: String,
}

impl LiteralError {
    fn new(msg: impl Into<String>) -> LiteralError {
        LiteralError { msg: msg.into() }
    }
}

impl std::fmt::Display for LiteralError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.msg)
    }
}

impl std::error::Error for LiteralError {}

/// The value of a Python 3.11 number token (underscores, `0x`/`0o`/`0b`
/// prefixes in any case, floats, `j`/`J` imaginary suffix). `None` if `text`
/// is not a valid number token.
/// CPython's limit on decimal digits in an int literal: the current
/// `sys.set_int_max_str_digits` value (default
/// `sys.int_info.default_max_str_digits`, 0: no limit), which the vm keeps
/// up to date with [`set_max_str_digits`].
static MAX_STR_DIGITS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(4300);

/// Sets the digit limit int literals are checked against.
pub fn set_max_str_digits(n: usize) {
    MAX_STR_DIGITS.store(n, std::sync::atomic::Ordering::Relaxed);
}

fn max_str_digits() -> usize {
    MAX_STR_DIGITS.load(std::sync::atomic::Ordering::Relaxed)
}

/// The digit count of a decimal int literal that exceeds CPython's
/// int/str conversion limit (underscores and leading zeros not counted).
pub fn int_digits_over_limit(text: &str) -> Option<usize> {
    let limit = max_str_digits();
    let b = text.as_bytes();
    if limit == 0 || b.len() <= limit || !b.iter().all(|&c| c.is_ascii_digit() || c == b'_') {
        return None;
    }
    let digits = b.iter().filter(|&&c| c != b'_').skip_while(|&&c| c == b'0').count();
    (digits > limit).then_some(digits)
}

/// The message CPython gives for [`int_digits_over_limit`].
pub fn int_limit_message(digits: usize) -> String {
    format!(
        "Exceeds the limit ({} digits) for integer string conversion: value has {digits} digits; use \
         sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for huge integer literals to avoid decimal \
         conversion limits.",
        max_str_digits()
    )
}

pub fn parse_number(text: &str) -> Option<Constant> {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    if clean.is_empty() || !clean.is_ascii() {
        return None;
    }
    if let Some(body) = clean.strip_suffix(['j', 'J']) {
        let imag = parse_float(body)?;
        return Some(Constant::Complex { real: 0.0, imag });
    }
    let lower = clean.to_ascii_lowercase();
    let radix = if lower.starts_with("0x") {
        16
    } else if lower.starts_with("0o") {
        8
    } else if lower.starts_with("0b") {
        2
    } else {
        10
    };
    if radix != 10 {
        return parse_int(&lower[2..], radix);
    }
    if lower.bytes().all(|b| b.is_ascii_digit()) {
        return parse_int(&lower, 10);
    }
    parse_float(&lower).map(Constant::Float)
}

/// A decimal float literal (no underscores): digits, optional point,
/// optional exponent. Overflow gives infinity, as in CPython.
fn parse_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut mant_digits = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        mant_digits += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            mant_digits += 1;
        }
    }
    if mant_digits == 0 {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    s.parse::<f64>().ok()
}

/// An integer in `radix` from its digits (no prefix, no underscores).
fn parse_int(digits: &str, radix: u32) -> Option<Constant> {
    if digits.is_empty() {
        return None;
    }
    // Little-endian limbs in base 10^9.
    const BASE: u64 = 1_000_000_000;
    let mut limbs: Vec<u64> = vec![0];
    for c in digits.chars() {
        let d = c.to_digit(radix)? as u64;
        let mut carry = d;
        for limb in limbs.iter_mut() {
            let v = *limb * radix as u64 + carry;
            *limb = v % BASE;
            carry = v / BASE;
        }
        while carry > 0 {
            limbs.push(carry % BASE);
            carry /= BASE;
        }
    }
    let mut text = String::new();
    let mut iter = limbs.iter().rev();
    if let Some(top) = iter.next() {
        text.push_str(&top.to_string());
    }
    for limb in iter {
        text.push_str(&format!("{limb:09}"));
    }
    Some(Constant::Int(match text.parse::<i64>() {
        Ok(v) => IntValue::Small(v),
        Err(_) => IntValue::Big(text.into_boxed_str()),
    }))
}

/// The value of a `str` literal body (the text between the quotes).
///
/// The body is expected with newlines already normalised to `\n` (as
/// CPython's tokenizer does), so `\` + `\r` is not a line continuation.
/// Invalid escapes such as `\q` are kept verbatim; the DeprecationWarning
/// CPython emits for them is not reported.
pub fn decode_str(body: &str, raw: bool) -> Result<Wtf8Buf, LiteralError> {
    let plain = raw || !body.contains('\\');
    if let Some(e) = invalid_utf8(body, !plain) {
        return Err(e);
    }
    if raw || !body.contains('\\') {
        return Ok(Wtf8Buf::from_str(body));
    }
    decode_unicode_escape(&escape_buffer(body))
}

/// The error for a string body holding invalid UTF-8 (escaped source
/// bytes): CPython decodes the whole body, or with escape processing
/// (`by_runs`) each run of non-ASCII bytes on its own, so the position is
/// relative to what it decoded.
pub(crate) fn invalid_utf8(body: &str, by_runs: bool) -> Option<LiteralError> {
    if !crate::source::has_escapes(body) {
        return None;
    }
    let bytes = crate::source::unescape(body);
    let msg = if by_runs {
        let mut i = 0;
        let mut found = None;
        while i < bytes.len() && found.is_none() {
            if bytes[i] < 0x80 {
                i += 1;
                continue;
            }
            let run = i;
            while i < bytes.len() && bytes[i] >= 0x80 {
                i += 1;
            }
            found = crate::source::utf8_error_message(&bytes[run..i]);
        }
        found
    } else {
        crate::source::utf8_error_message(&bytes)
    }?;
    Some(LiteralError::new(format!("(unicode error) {msg}")))
}

/// CPython's intermediate buffer: ASCII only, non-ASCII characters as
/// `\UXXXXXXXX`, a backslash before a non-ASCII character as `\u005c`.
fn escape_buffer(body: &str) -> Vec<u8> {
    let mut buf = Vec::with_capacity(body.len() * 2);
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            buf.push(b'\\');
            match chars.peek() {
                None => {
                    buf.extend_from_slice(b"u005c");
                    break;
                }
                Some(&n) if !n.is_ascii() => buf.extend_from_slice(b"u005c"),
                Some(&n) => {
                    buf.push(n as u8);
                    chars.next();
                }
            }
        } else if c.is_ascii() {
            buf.push(c as u8);
        } else {
            buf.extend_from_slice(format!("\\U{:08x}", c as u32).as_bytes());
        }
    }
    buf
}

fn unicode_error(buf: &[u8], start: usize, end: usize, reason: &str) -> LiteralError {
    let what = if end == start + 1 {
        format!("can't decode byte 0x{:02x} in position {}", buf.get(start).copied().unwrap_or(0), start)
    } else {
        format!("can't decode bytes in position {}-{}", start, end.saturating_sub(1))
    };
    LiteralError::new(format!("(unicode error) 'unicodeescape' codec {what}: {reason}"))
}

fn hex_value(b: u8) -> Option<u32> {
    (b as char).to_digit(16)
}

/// Simple one-character escapes shared by `str` and `bytes`.
fn simple_escape(c: u8) -> Option<u8> {
    Some(match c {
        b'\\' => b'\\',
        b'\'' => b'\'',
        b'"' => b'"',
        b'b' => 0x08,
        b'f' => 0x0C,
        b't' => b'\t',
        b'n' => b'\n',
        b'r' => b'\r',
        b'v' => 0x0B,
        b'a' => 0x07,
        _ => return None,
    })
}

/// Reads up to two more octal digits after the first at `b[*i - 1]`.
fn octal_escape(b: &[u8], i: &mut usize, first: u8) -> u32 {
    let mut v = (first - b'0') as u32;
    for _ in 0..2 {
        match b.get(*i) {
            Some(&d @ b'0'..=b'7') => {
                v = (v << 3) + (d - b'0') as u32;
                *i += 1;
            }
            _ => break,
        }
    }
    v
}

/// CPython's `unicode_escape` decoding of an ASCII buffer, strict errors.
fn decode_unicode_escape(b: &[u8]) -> Result<Wtf8Buf, LiteralError> {
    let mut out = Wtf8Buf::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c != b'\\' {
            out.push_code_point(c as u32);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let Some(&c) = b.get(i) else {
            return Err(unicode_error(b, start, b.len(), "\\ at end of string"));
        };
        i += 1;
        if c == b'\n' {
            continue;
        }
        if let Some(e) = simple_escape(c) {
            out.push_code_point(e as u32);
            continue;
        }
        match c {
            b'0'..=b'7' => {
                let v = octal_escape(b, &mut i, c);
                out.push_code_point(v);
            }
            b'x' | b'u' | b'U' => {
                let (count, msg) = match c {
                    b'x' => (2, "truncated \\xXX escape"),
                    b'u' => (4, "truncated \\uXXXX escape"),
                    _ => (8, "truncated \\UXXXXXXXX escape"),
                };
                let mut v: u32 = 0;
                for _ in 0..count {
                    match b.get(i).copied().and_then(hex_value) {
                        Some(d) => {
                            v = (v << 4) | d;
                            i += 1;
                        }
                        None => return Err(unicode_error(b, start, i, msg)),
                    }
                }
                if v > 0x10FFFF {
                    return Err(unicode_error(b, start, i, "illegal Unicode character"));
                }
                out.push_code_point(v);
            }
            b'N' => {
                let mut msg = "malformed \\N character escape";
                if b.get(i) == Some(&b'{') {
                    i += 1;
                    let name_start = i;
                    while i < b.len() && b[i] != b'}' {
                        i += 1;
                    }
                    if i < b.len() && i > name_start {
                        let name = std::str::from_utf8(&b[name_start..i]).unwrap_or("");
                        i += 1;
                        if let Some(cp) = lookup_name(name) {
                            out.push_code_point(cp);
                            continue;
                        }
                        msg = "unknown Unicode character name";
                    }
                }
                return Err(unicode_error(b, start, i, msg));
            }
            _ => {
                out.push_code_point('\\' as u32);
                out.push_code_point(c as u32);
            }
        }
    }
    Ok(out)
}

/// The value of a `bytes` literal body (the text between the quotes).
pub fn decode_bytes(body: &str, raw: bool) -> Result<Vec<u8>, LiteralError> {
    if !body.is_ascii() {
        return Err(LiteralError::new("bytes can only contain ASCII literal characters"));
    }
    let b = body.as_bytes();
    if raw || !b.contains(&b'\\') {
        return Ok(b.to_vec());
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c != b'\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let Some(&c) = b.get(i) else {
            return Err(LiteralError::new("(value error) Trailing \\ in string"));
        };
        i += 1;
        if c == b'\n' {
            continue;
        }
        if let Some(e) = simple_escape(c) {
            out.push(e);
            continue;
        }
        match c {
            b'0'..=b'7' => {
                let v = octal_escape(b, &mut i, c);
                out.push((v & 0xFF) as u8);
            }
            b'x' => {
                let hi = b.get(i).copied().and_then(hex_value);
                let lo = b.get(i + 1).copied().and_then(hex_value);
                match (hi, lo) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => return Err(LiteralError::new(format!("(value error) invalid \\x escape at position {start}"))),
                }
            }
            _ => {
                out.push(b'\\');
                out.push(c);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repr::{repr_bytes, repr_constant, repr_str};

    // (input, expected) pairs printed by CPython 3.11.7: the `repr()` of the
    // value, or "ERR:" and the SyntaxError message.
    const STR_CASES: &[(&str, &str)] = &[
        ("abc", "'abc'"),
        ("a\u{5c}nb", "'a\u{5c}nb'"),
        ("\u{5c}\u{5c}", "'\u{5c}\u{5c}'"),
        ("\u{5c}'\u{5c}\u{22}", "'\u{5c}'\u{22}'"),
        ("\u{5c}a\u{5c}b\u{5c}f\u{5c}n\u{5c}r\u{5c}t\u{5c}v", "'\u{5c}x07\u{5c}x08\u{5c}x0c\u{5c}n\u{5c}r\u{5c}t\u{5c}x0b'"),
        (
            "\u{5c}0\u{5c}01\u{5c}012\u{5c}0123\u{5c}777\u{5c}8\u{5c}9",
            "'\u{5c}x00\u{5c}x01\u{5c}n\u{5c}n3\u{1ff}\u{5c}\u{5c}8\u{5c}\u{5c}9'",
        ),
        ("\u{5c}x41\u{5c}x4a\u{5c}x4A", "'AJJ'"),
        ("\u{5c}u00e9\u{5c}u12ab", "'\u{e9}\u{12ab}'"),
        ("\u{5c}U0001F600\u{5c}U00000041", "'\u{1f600}A'"),
        ("\u{5c}ud800\u{5c}udc00", "'\u{5c}ud800\u{5c}udc00'"),
        ("\u{5c}N{LATIN SMALL LETTER A}\u{5c}N{latin small letter b}", "'ab'"),
        ("\u{5c}N{BYTE ORDER MARK}", "'\u{5c}ufeff'"),
        ("\u{5c}N{CJK UNIFIED IDEOGRAPH-4E00}", "'\u{4e00}'"),
        ("\u{5c}N{HANGUL SYLLABLE GAG}", "'\u{ac01}'"),
        ("\u{5c}q\u{5c}z\u{5c} \u{5c}$", "'\u{5c}\u{5c}q\u{5c}\u{5c}z\u{5c}\u{5c} \u{5c}\u{5c}$'"),
        ("line\u{5c}\u{a}cont", "'linecont'"),
        ("\u{e9}\u{5c}x41", "'\u{e9}A'"),
        ("\u{5c}\u{e9}", "'\u{5c}\u{5c}\u{e9}'"),
        ("\u{5c}\u{5c}\u{e9}", "'\u{5c}\u{5c}\u{e9}'"),
        ("a\u{e9}\u{5c}n", "'a\u{e9}\u{5c}n'"),
        ("\u{5c}x", "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 0-1: truncated \u{5c}xXX escape"),
        ("\u{5c}x4", "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \u{5c}xXX escape"),
        ("\u{5c}xg0", "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 0-1: truncated \u{5c}xXX escape"),
        ("ab\u{5c}x4", "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 2-4: truncated \u{5c}xXX escape"),
        ("\u{5c}u12", "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 0-3: truncated \u{5c}uXXXX escape"),
        ("\u{5c}u12g4", "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 0-3: truncated \u{5c}uXXXX escape"),
        (
            "\u{5c}U1234567",
            "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 0-8: truncated \u{5c}UXXXXXXXX escape",
        ),
        ("\u{5c}U00110000", "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 0-9: illegal Unicode character"),
        ("\u{5c}Uffffffff", "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 0-9: illegal Unicode character"),
        ("\u{5c}N", "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 0-1: malformed \u{5c}N character escape"),
        ("\u{5c}N{", "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: malformed \u{5c}N character escape"),
        ("\u{5c}N{}", "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: malformed \u{5c}N character escape"),
        ("\u{5c}N{abc", "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 0-5: malformed \u{5c}N character escape"),
        ("\u{5c}Nx", "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 0-1: malformed \u{5c}N character escape"),
        (
            "\u{5c}N{NOT A NAME}",
            "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 0-13: unknown Unicode character name",
        ),
        ("\u{5c}N{ABCD}", "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 0-7: unknown Unicode character name"),
        (
            "a\u{e9}\u{5c}N{\u{e9}}",
            "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 11-24: unknown Unicode character name",
        ),
        (
            "\u{5c}\u{e9}\u{5c}x",
            "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 16-17: truncated \u{5c}xXX escape",
        ),
        ("\u{e9}\u{5c}x4", "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 10-12: truncated \u{5c}xXX escape"),
        (
            "ab\u{5c}N{LATIN SMALL LETTER A}\u{5c}x1",
            "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 26-28: truncated \u{5c}xXX escape",
        ),
        ("\u{5c}\u{a}\u{5c}x", "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 2-3: truncated \u{5c}xXX escape"),
        ("\u{1f600}\u{5c}x", "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 10-11: truncated \u{5c}xXX escape"),
        (
            "\u{20ac}\u{5c}u123",
            "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 10-14: truncated \u{5c}uXXXX escape",
        ),
        (
            "x\u{5c}N{HANGUL SYLLABLE ga}",
            "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 1-22: unknown Unicode character name",
        ),
        (
            "\u{5c}N{cjk unified ideograph-4e00}",
            "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 0-29: unknown Unicode character name",
        ),
        ("\u{5c}N{NULL}\u{5c}N{bel}", "'\u{5c}x00\u{5c}x07'"),
        (
            "\u{5c}N{LATIN CAPITAL LETTER A WITH MACRON AND GRAVE}",
            "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 0-47: unknown Unicode character name",
        ),
        ("\u{5c}N{EM DASH}\u{5c}N{SPACE}", "'\u{2014} '"),
        (
            "\u{5c}N{ LATIN SMALL LETTER A}",
            "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 0-24: unknown Unicode character name",
        ),
        (
            "\u{5c}N{TANGUT IDEOGRAPH-17000}",
            "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 0-25: unknown Unicode character name",
        ),
        ("\u{5c}N{KHITAN SMALL SCRIPT CHARACTER-18B00}", "'\u{18b00}'"),
        (
            "\u{5c}x41\u{e9}\u{5c}N{}",
            "ERR:(unicode error) 'unicodeescape' codec can't decode bytes in position 14-16: malformed \u{5c}N character escape",
        ),
        ("\u{5c}1234", "'S4'"),
        ("\u{5c}400", "'\u{100}'"),
        ("tab\u{9}here", "'tab\u{5c}there'"),
        ("\u{5c}\u{5c}N{SPACE}", "'\u{5c}\u{5c}N{SPACE}'"),
    ];
    const BYTES_CASES: &[(&str, &str)] = &[
        ("abc", "b'abc'"),
        ("\u{5c}x41\u{5c}xff\u{5c}xFF", "b'A\u{5c}xff\u{5c}xff'"),
        ("\u{5c}0\u{5c}777\u{5c}400\u{5c}12", "b'\u{5c}x00\u{5c}xff\u{5c}x00\u{5c}n'"),
        (
            "\u{5c}a\u{5c}b\u{5c}f\u{5c}n\u{5c}r\u{5c}t\u{5c}v\u{5c}\u{5c}\u{5c}'\u{5c}\u{22}",
            "b'\u{5c}x07\u{5c}x08\u{5c}x0c\u{5c}n\u{5c}r\u{5c}t\u{5c}x0b\u{5c}\u{5c}\u{5c}'\u{22}'",
        ),
        ("\u{5c}q\u{5c}N{x}\u{5c}u1234", "b'\u{5c}\u{5c}q\u{5c}\u{5c}N{x}\u{5c}\u{5c}u1234'"),
        ("\u{5c}x", "ERR:(value error) invalid \u{5c}x escape at position 0"),
        ("\u{5c}x4", "ERR:(value error) invalid \u{5c}x escape at position 0"),
        ("ab\u{5c}xg1", "ERR:(value error) invalid \u{5c}x escape at position 2"),
        ("ab\u{5c}x4\u{5c}x", "ERR:(value error) invalid \u{5c}x escape at position 2"),
        ("\u{e9}", "ERR:bytes can only contain ASCII literal characters"),
        ("line\u{5c}\u{a}cont", "b'linecont'"),
        ("\u{5c}x4\u{e9}", "ERR:bytes can only contain ASCII literal characters"),
    ];
    const NUM_CASES: &[(&str, &str)] = &[
        ("0", "0"),
        ("00", "0"),
        ("1", "1"),
        ("1_000", "1000"),
        ("9223372036854775807", "9223372036854775807"),
        ("9223372036854775808", "9223372036854775808"),
        ("123456789012345678901234567890", "123456789012345678901234567890"),
        ("0x7fffffffffffffff", "9223372036854775807"),
        ("0X8000000000000000", "9223372036854775808"),
        ("0xDEAD_beef", "3735928559"),
        ("0o777", "511"),
        ("0O17", "15"),
        ("0b1010", "10"),
        ("0B1_0", "2"),
        ("0xffffffffffffffffffffffffffffffff", "340282366920938463463374607431768211455"),
        (
            "0b1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111",
            "1267650600228229401496703205375",
        ),
        ("0o7777777777777777777777777777777777777777", "1329227995784915872903807060280344575"),
        ("1.", "1.0"),
        (".5", "0.5"),
        ("1e5", "100000.0"),
        ("1E-5", "1e-05"),
        ("1_000.0_1", "1000.01"),
        ("1.5e+3", "1500.0"),
        ("0.1", "0.1"),
        ("1e308", "1e+308"),
        ("1e309", "inf"),
        ("1e-400", "0.0"),
        ("2.5e-324", "5e-324"),
        ("1j", "1j"),
        ("1.5J", "1.5j"),
        ("0j", "0j"),
        ("1e16j", "1e+16j"),
        ("1_0j", "10j"),
        (".5j", "0.5j"),
        ("1e400j", "infj"),
        ("0e0", "0.0"),
        ("00.5", "0.5"),
        ("007j", "7j"),
        ("4_2", "42"),
        ("18446744073709551616", "18446744073709551616"),
        ("0.30000000000000004", "0.30000000000000004"),
        ("123456789.123456789e-5", "1234.567891234568"),
    ];

    #[test]
    fn str_bodies() {
        for &(body, want) in STR_CASES {
            let got = match decode_str(body, false) {
                Ok(v) => repr_str(&v),
                Err(e) => format!("ERR:{}", e.msg),
            };
            assert_eq!(got, want, "{body:?}");
        }
    }

    #[test]
    fn bytes_bodies() {
        for &(body, want) in BYTES_CASES {
            let got = match decode_bytes(body, false) {
                Ok(v) => repr_bytes(&v),
                Err(e) => format!("ERR:{}", e.msg),
            };
            assert_eq!(got, want, "{body:?}");
        }
    }

    #[test]
    fn raw_bodies() {
        assert_eq!(decode_str("a\\x\\N{", true), Ok(Wtf8Buf::from_str("a\\x\\N{")));
        assert_eq!(decode_str("\u{e9}\\", true), Ok(Wtf8Buf::from_str("\u{e9}\\")));
        assert_eq!(decode_bytes("a\\x", true), Ok(b"a\\x".to_vec()));
        assert_eq!(decode_bytes("\u{e9}", true), Err(LiteralError { msg: "bytes can only contain ASCII literal characters".into() }));
    }

    #[test]
    fn lone_surrogates() {
        let v = decode_str("\\ud800\\udc00x", false).unwrap();
        assert_eq!(v.code_points().collect::<Vec<_>>(), vec![0xD800, 0xDC00, 0x78]);
    }

    #[test]
    fn numbers() {
        for &(text, want) in NUM_CASES {
            let got = parse_number(text).map(|c| repr_constant(&c));
            assert_eq!(got.as_deref(), Some(want), "{text:?}");
        }
        assert_eq!(parse_number("0x7fffffffffffffff"), Some(Constant::Int(IntValue::Small(i64::MAX))));
        assert_eq!(parse_number("9223372036854775808"), Some(Constant::Int(IntValue::Big("9223372036854775808".into()))));
        assert_eq!(parse_number("1e16j"), Some(Constant::Complex { real: 0.0, imag: 1e16 }));
        assert!(matches!(parse_number("1.0"), Some(Constant::Float(f)) if f == 1.0));
    }

    #[test]
    fn bad_numbers_do_not_panic() {
        for t in ["", "_", "0x", "0b2", "0o8", "1e", "1e+", ".", "j", "1.2.3", "abc", "0xg", "1ee5", "\u{e9}", "--1", "1e5e5"] {
            assert_eq!(parse_number(t), None, "{t:?}");
        }
    }
}
