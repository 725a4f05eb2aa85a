//! Python's exact `repr()` text for the constants a syntax tree can hold
//! (`str`, `bytes`, `int`, `float`, `complex`, tuples, singletons), as
//! `ast.dump` prints them.

use crate::ast::{Constant, IntValue};
use crate::unicode::is_printable;
use crate::wtf8::Wtf8Buf;
use std::fmt::Write;

const HEX: &[u8; 16] = b"0123456789abcdef";

fn push_hex(out: &mut String, prefix: &str, v: u32, digits: u32) {
    out.push_str(prefix);
    for i in (0..digits).rev() {
        out.push(HEX[((v >> (4 * i)) & 0xF) as usize] as char);
    }
}

/// `repr(s)` for a Python `str`.
pub fn repr_str(s: &Wtf8Buf) -> String {
    let mut has_single = false;
    let mut has_double = false;
    for cp in s.code_points() {
        has_single |= cp == '\'' as u32;
        has_double |= cp == '"' as u32;
    }
    let quote = if has_single && !has_double { '"' } else { '\'' };
    let mut out = String::with_capacity(s.as_bytes().len() + 2);
    out.push(quote);
    for cp in s.code_points() {
        match cp {
            _ if cp == quote as u32 || cp == '\\' as u32 => {
                out.push('\\');
                out.push(quote_or_backslash(cp));
            }
            0x09 => out.push_str("\\t"),
            0x0A => out.push_str("\\n"),
            0x0D => out.push_str("\\r"),
            0..=0x1F | 0x7F => push_hex(&mut out, "\\x", cp, 2),
            0x20..=0x7E => out.push(cp as u8 as char),
            _ => match char::from_u32(cp) {
                Some(c) if is_printable(cp) => out.push(c),
                _ if cp <= 0xFF => push_hex(&mut out, "\\x", cp, 2),
                _ if cp <= 0xFFFF => push_hex(&mut out, "\\u", cp, 4),
                _ => push_hex(&mut out, "\\U", cp, 8),
            },
        }
    }
    out.push(quote);
    out
}

fn quote_or_backslash(cp: u32) -> char {
    match cp {
        0x27 => '\'',
        0x22 => '"',
        _ => '\\',
    }
}

/// `repr(b)` for a Python `bytes`.
pub fn repr_bytes(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') { '"' } else { '\'' };
    let mut out = String::with_capacity(b.len() + 3);
    out.push('b');
    out.push(quote);
    for &c in b {
        match c {
            _ if c == quote as u8 || c == b'\\' => {
                out.push('\\');
                out.push(c as char);
            }
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            0x20..=0x7E => out.push(c as char),
            _ => push_hex(&mut out, "\\x", c as u32, 2),
        }
    }
    out.push(quote);
    out
}

/// Python's `float.__repr__` core (format code `'r'`): shortest round-trip
/// digits, exponent form when the decimal exponent is < -4 or >= 16.
/// `dot0` adds `.0` to integral values in fixed form; `plus` forces a sign.
fn format_float(f: f64, dot0: bool, plus: bool) -> String {
    if f.is_nan() {
        return if plus { "+nan".to_string() } else { "nan".to_string() };
    }
    let mut out = String::new();
    if f.is_sign_negative() {
        out.push('-');
    } else if plus {
        out.push('+');
    }
    let a = f.abs();
    if a.is_infinite() {
        out.push_str("inf");
        return out;
    }
    // `{:e}` gives the shortest round-trip digits: "d[.ddd]e[-]x".
    let sci = format!("{a:e}");
    let (mant, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = if digits.is_empty() { "0".to_string() } else { digits };
    if a != 0.0 && !(-4..16).contains(&exp) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.unsigned_abs());
        return out;
    }
    let n = digits.len() as i32;
    if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(&digits);
    } else if exp + 1 >= n {
        out.push_str(&digits);
        for _ in 0..(exp + 1 - n) {
            out.push('0');
        }
        if dot0 {
            out.push_str(".0");
        }
    } else {
        let point = (exp + 1) as usize;
        out.push_str(&digits[..point]);
        out.push('.');
        out.push_str(&digits[point..]);
    }
    out
}

/// `repr(f)` for a Python `float`.
pub fn repr_float(f: f64) -> String {
    format_float(f, true, false)
}

/// `repr(complex(real, imag))`.
pub fn repr_complex(real: f64, imag: f64) -> String {
    if real == 0.0 && real.is_sign_positive() {
        let mut s = format_float(imag, false, false);
        s.push('j');
        s
    } else {
        format!("({}{}j)", format_float(real, false, false), format_float(imag, false, true))
    }
}

/// `repr()` of any constant a syntax tree can hold.
pub fn repr_constant(c: &Constant) -> String {
    match c {
        Constant::None => "None".to_string(),
        Constant::Bool(true) => "True".to_string(),
        Constant::Bool(false) => "False".to_string(),
        Constant::Ellipsis => "Ellipsis".to_string(),
        Constant::Int(IntValue::Small(i)) => i.to_string(),
        Constant::Int(IntValue::Big(digits)) => digits.to_string(),
        Constant::Float(f) => repr_float(*f),
        Constant::Complex { real, imag } => repr_complex(*real, *imag),
        Constant::Str(s) => repr_str(s),
        Constant::Bytes(b) => repr_bytes(b),
        Constant::Tuple(items) => {
            let parts: Vec<String> = items.iter().map(repr_constant).collect();
            if parts.len() == 1 {
                format!("({},)", parts[0])
            } else {
                format!("({})", parts.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values printed by CPython 3.11.7.
    #[test]
    fn floats() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (-1.5, "-1.5"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.2345678901234568e17, "1.2345678901234568e+17"),
            (1.5e-05, "1.5e-05"),
            (0.0001, "0.0001"),
            (1e-05, "1e-05"),
            (1e22, "1e+22"),
            (1e-07, "1e-07"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (f64::INFINITY, "inf"),
            (-f64::INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (-f64::NAN, "nan"),
            (9999999999999998.0, "9999999999999998.0"),
            (1234.5678, "1234.5678"),
            (9007199254740992.0, "9007199254740992.0"),
            (0.30000000000000004, "0.30000000000000004"),
            (1.2345678901234567e19, "1.2345678901234567e+19"),
            (100.0, "100.0"),
            (0.00123, "0.00123"),
        ];
        for &(f, want) in cases {
            assert_eq!(repr_float(f), want, "{f:?}");
        }
    }

    #[test]
    fn complexes() {
        let cases: &[(f64, f64, &str)] = &[
            (0.0, 1.0, "1j"),
            (0.0, 1e16, "1e+16j"),
            (0.0, 0.0, "0j"),
            (0.0, -0.0, "-0j"),
            (-0.0, 1.0, "(-0+1j)"),
            (1.0, 2.0, "(1+2j)"),
            (1.5, -2.5, "(1.5-2.5j)"),
            (0.0, f64::INFINITY, "infj"),
            (1.0, f64::INFINITY, "(1+infj)"),
            (1.0, f64::NAN, "(1+nanj)"),
            (1.0, -f64::NAN, "(1+nanj)"),
            (1e16, 1e-05, "(1e+16+1e-05j)"),
            (-0.0, -0.0, "(-0-0j)"),
            (0.0, 1.5e-07, "1.5e-07j"),
            (f64::NAN, 1.0, "(nan+1j)"),
            (0.0, 2.5, "2.5j"),
        ];
        for &(r, i, want) in cases {
            assert_eq!(repr_complex(r, i), want, "{r:?} {i:?}");
        }
    }

    fn w(cps: &[u32]) -> Wtf8Buf {
        let mut b = Wtf8Buf::new();
        for &c in cps {
            b.push_code_point(c);
        }
        b
    }

    #[test]
    fn strings() {
        let cases: &[(&str, &str)] = &[
            ("", "''"),
            ("abc", "'abc'"),
            ("it's", "\"it's\""),
            ("say \"hi\"", "'say \"hi\"'"),
            ("'\"", "'\\'\"'"),
            ("a\\b", "'a\\\\b'"),
            ("\t\n\r\x00\x1f\x7f", "'\\t\\n\\r\\x00\\x1f\\x7f'"),
            ("\u{a0}\u{ad}\u{e9}", "'\\xa0\\xad\u{e9}'"),
            ("\u{2028}\u{fffe}\u{4e00}", "'\\u2028\\ufffe\u{4e00}'"),
            ("\u{1f600}\u{e0001}\u{10ffff}", "'\u{1f600}\\U000e0001\\U0010ffff'"),
            (" ", "' '"),
        ];
        for &(s, want) in cases {
            assert_eq!(repr_str(&Wtf8Buf::from_str(s)), want, "{s:?}");
        }
        assert_eq!(repr_str(&w(&[0xD800, 0x61, 0xDFFF])), "'\\ud800a\\udfff'");
    }

    #[test]
    fn bytes() {
        assert_eq!(repr_bytes(b""), "b''");
        assert_eq!(repr_bytes(b"abc"), "b'abc'");
        assert_eq!(repr_bytes(b"it's"), "b\"it's\"");
        assert_eq!(repr_bytes(b"'\""), "b'\\'\"'");
        assert_eq!(repr_bytes(b"\\\t\n\r\x00\x7f\x80\xff"), "b'\\\\\\t\\n\\r\\x00\\x7f\\x80\\xff'");
    }

    #[test]
    fn constants() {
        assert_eq!(repr_constant(&Constant::None), "None");
        assert_eq!(repr_constant(&Constant::Bool(true)), "True");
        assert_eq!(repr_constant(&Constant::Bool(false)), "False");
        assert_eq!(repr_constant(&Constant::Ellipsis), "Ellipsis");
        assert_eq!(repr_constant(&Constant::Int(IntValue::Small(-5))), "-5");
        assert_eq!(repr_constant(&Constant::Int(IntValue::Big("123456789012345678901234".into()))), "123456789012345678901234");
        assert_eq!(repr_constant(&Constant::Tuple(vec![])), "()");
        assert_eq!(repr_constant(&Constant::Tuple(vec![Constant::Int(IntValue::Small(1))])), "(1,)");
        assert_eq!(
            repr_constant(&Constant::Tuple(vec![
                Constant::Int(IntValue::Small(1)),
                Constant::Str(Wtf8Buf::from_str("a")),
                Constant::Bytes(b"b".to_vec()),
                Constant::Float(2.0),
                Constant::Complex { real: 0.0, imag: 3.0 },
            ])),
            "(1, 'a', b'b', 2.0, 3j)"
        );
    }
}
