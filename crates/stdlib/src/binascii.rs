//! `binascii`: conversions between binary data and ASCII encodings
//! (CPython's `Modules/binascii.c`): hex, base64 (with 3.11's
//! `strict_mode`), uuencode, quoted-printable, CRC-32 and CRC-CCITT.
//! The `a2b_*` functions take ASCII `str` as well as bytes-like objects.
//! [`crc32`] is shared with `zlib`.

use taipan_vm::modules::{add_attr, add_functions};
use taipan_vm::native::{bind, exact, FunctionDef, Params};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{as_buffer, int_data, new_bytes, new_str, type_name, StrData};
use taipan_vm::types::Kwargs;
use taipan_vm::{PyErr, PyResult, Vm};

use crate::util;

fn error(vm: &Vm, msg: impl Into<String>) -> PyErr {
    match util::exception_class(vm, "binascii.Error", std::slice::from_ref(&vm.types.value_error)) {
        Ok(t) => vm.new_error(&t, msg),
        Err(e) => e,
    }
}

/// A bytes-like argument (`y*`).
fn bin_arg(vm: &Vm, o: &Obj) -> PyResult<Vec<u8>> {
    match as_buffer(o) {
        Some(b) => Ok(b.into_owned()),
        None => Err(vm.type_error(format!("a bytes-like object is required, not '{}'", type_name(o)))),
    }
}

/// An `a2b_*` argument: bytes-like or an ASCII str
/// (`ascii_buffer_converter`).
fn ascii_arg(vm: &Vm, o: &Obj) -> PyResult<Vec<u8>> {
    if let Some(s) = o.downcast::<StrData>() {
        let s = s.as_str();
        if !s.is_ascii() {
            return Err(vm.new_error(&vm.types.value_error, "string argument should contain only ASCII characters"));
        }
        return Ok(s.as_bytes().to_vec());
    }
    match as_buffer(o) {
        Some(b) => Ok(b.into_owned()),
        None => Err(vm.type_error(format!("argument should be bytes, buffer or ASCII string, not '{}'", type_name(o)))),
    }
}

fn flag(vm: &Vm, o: Option<Obj>) -> PyResult<bool> {
    match o {
        Some(o) => taipan_vm::ops::truth(vm, &o),
        None => Ok(false),
    }
}

/// An `unsigned int` argument with `bitwise=True`: any int, masked.
fn uint_mask(vm: &Vm, o: &Obj) -> PyResult<u32> {
    let i = taipan_vm::ops::index(vm, o)?;
    let Some(d) = int_data(&i) else { return Ok(0) };
    let big = d.to_big();
    let (sign, digits) = big.to_u32_digits();
    let low = digits.first().copied().unwrap_or(0);
    Ok(if sign == num_bigint::Sign::Minus { low.wrapping_neg() } else { low })
}

// ------------------------------------------------------------------ CRCs

const fn crc32_table() -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xedb8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
}

static CRC32: [u32; 256] = crc32_table();

/// zlib's CRC-32 of `data` continuing from `crc`.
pub fn crc32(data: &[u8], crc: u32) -> u32 {
    let mut c = !crc;
    for &b in data {
        c = CRC32[((c ^ b as u32) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

/// CRC-CCITT (polynomial 0x1021, as `binhex` uses it).
pub fn crc_hqx(data: &[u8], crc: u32) -> u32 {
    let mut c = crc & 0xffff;
    for &b in data {
        let mut x = ((c >> 8) ^ b as u32) << 8;
        for _ in 0..8 {
            x = if x & 0x8000 != 0 { (x << 1) ^ 0x1021 } else { x << 1 };
        }
        c = ((c << 8) ^ x) & 0xffff;
    }
    c
}

fn m_crc32(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [data, crc] = taipan_vm::native::at_most::<2>(vm, "crc32", 1, args, kw)?;
    let data = bin_arg(vm, data.as_ref().unwrap_or(&vm.none))?;
    let crc = match crc {
        Some(c) => uint_mask(vm, &c)?,
        None => 0,
    };
    Ok(vm.int(crc32(&data, crc) as i64))
}

fn m_crc_hqx(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [data, crc] = exact::<2>(vm, "crc_hqx", args, kw)?;
    let data = bin_arg(vm, &data)?;
    let crc = uint_mask(vm, &crc)?;
    Ok(vm.int(crc_hqx(&data, crc) as i64))
}

// ------------------------------------------------------------------- hex

fn hexlify_impl(vm: &Vm, fname: &'static str, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = Params { fname, names: &["data", "sep", "bytes_per_sep"], posonly: 0, kwonly: 0, required: 1 };
    let [data, sep, per] = bind::<3>(vm, &p, args, kw)?;
    let data = bin_arg(vm, data.as_ref().unwrap_or(&vm.none))?;
    if let Some(s) = &sep {
        if s.downcast::<StrData>().is_none() && as_buffer(s).is_none() {
            return Err(vm.type_error(format!("object of type '{}' has no len()", type_name(s))));
        }
    }
    let h = taipan_vm::types::bytes::hex_string(vm, &data, sep, per)?;
    Ok(new_bytes(vm, h.chars().map(|c| c as u32 as u8).collect()))
}

fn m_hexlify(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    hexlify_impl(vm, "hexlify", args, kw)
}

fn m_b2a_hex(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    hexlify_impl(vm, "b2a_hex", args, kw)
}

fn unhexlify_impl(vm: &Vm, fname: &str, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [s] = exact::<1>(vm, fname, args, kw)?;
    let s = ascii_arg(vm, &s)?;
    if s.len() % 2 != 0 {
        return Err(error(vm, "Odd-length string"));
    }
    let mut out = Vec::with_capacity(s.len() / 2);
    for pair in s.chunks(2) {
        let (Some(a), Some(b)) = ((pair[0] as char).to_digit(16), (pair[1] as char).to_digit(16)) else {
            return Err(error(vm, "Non-hexadecimal digit found"));
        };
        out.push((a * 16 + b) as u8);
    }
    Ok(new_bytes(vm, out))
}

fn m_unhexlify(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    unhexlify_impl(vm, "unhexlify", args, kw)
}

fn m_a2b_hex(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    unhexlify_impl(vm, "a2b_hex", args, kw)
}

// ---------------------------------------------------------------- base64

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn b64_value(c: u8) -> Option<u8> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    })
}

/// Standard base64 with padding.
pub fn b64encode(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len().div_ceil(3) * 4 + 1);
    for chunk in data.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = ((b[0] as u32) << 16) | ((b[1] as u32) << 8) | b[2] as u32;
        out.push(B64[(n >> 18) as usize & 63]);
        out.push(B64[(n >> 12) as usize & 63]);
        out.push(if chunk.len() > 1 { B64[(n >> 6) as usize & 63] } else { b'=' });
        out.push(if chunk.len() > 2 { B64[n as usize & 63] } else { b'=' });
    }
    out
}

/// Why base64 text does not decode (`binascii.Error` messages).
#[derive(Debug, PartialEq, Eq)]
pub enum B64Error {
    Message(&'static str),
    OneMore(usize),
}

/// Decodes base64 as `a2b_base64` does: without `strict`, characters
/// outside the alphabet are skipped and the first complete pad ends the
/// data.
pub fn b64decode(data: &[u8], strict: bool) -> Result<Vec<u8>, B64Error> {
    let mut out = Vec::with_capacity(data.len() / 4 * 3 + 3);
    let (mut quad, mut left, mut pads) = (0u8, 0u8, 0usize);
    let mut padding_started = false;
    for (i, &c) in data.iter().enumerate() {
        if c == b'=' {
            padding_started = true;
            if strict && i == 0 {
                return Err(B64Error::Message("Leading padding not allowed"));
            }
            if quad >= 2 {
                pads += 1;
                if quad as usize + pads >= 4 {
                    if strict && i + 1 < data.len() {
                        return Err(B64Error::Message("Excess data after padding"));
                    }
                    return Ok(out);
                }
            }
            continue;
        }
        let Some(v) = b64_value(c) else {
            if strict {
                return Err(B64Error::Message("Only base64 data is allowed"));
            }
            continue;
        };
        if strict && padding_started {
            return Err(B64Error::Message("Discontinuous padding not allowed"));
        }
        pads = 0;
        match quad {
            0 => {
                quad = 1;
                left = v;
            }
            1 => {
                quad = 2;
                out.push((left << 2) | (v >> 4));
                left = v & 0x0f;
            }
            2 => {
                quad = 3;
                out.push((left << 4) | (v >> 2));
                left = v & 0x03;
            }
            _ => {
                quad = 0;
                out.push((left << 6) | v);
                left = 0;
            }
        }
    }
    match quad {
        0 => Ok(out),
        1 => Err(B64Error::OneMore(out.len() / 3 * 4 + 1)),
        _ => Err(B64Error::Message("Incorrect padding")),
    }
}

fn m_a2b_base64(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "a2b_base64", names: &["data", "strict_mode"], posonly: 1, kwonly: 1, required: 1 };
    let [data, strict] = bind::<2>(vm, &P, args, kw)?;
    let data = ascii_arg(vm, data.as_ref().unwrap_or(&vm.none))?;
    match b64decode(&data, flag(vm, strict)?) {
        Ok(v) => Ok(new_bytes(vm, v)),
        Err(B64Error::Message(m)) => Err(error(vm, m)),
        Err(B64Error::OneMore(n)) => {
            Err(error(vm, format!("Invalid base64-encoded string: number of data characters ({n}) cannot be 1 more than a multiple of 4")))
        }
    }
}

fn m_b2a_base64(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "b2a_base64", names: &["data", "newline"], posonly: 1, kwonly: 1, required: 1 };
    let [data, newline] = bind::<2>(vm, &P, args, kw)?;
    let data = bin_arg(vm, data.as_ref().unwrap_or(&vm.none))?;
    let newline = match newline {
        Some(n) => taipan_vm::ops::truth(vm, &n)?,
        None => true,
    };
    let mut out = b64encode(&data);
    if newline {
        out.push(b'\n');
    }
    Ok(new_bytes(vm, out))
}

// ---------------------------------------------------------------- uuencode

fn m_b2a_uu(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "b2a_uu", names: &["data", "backtick"], posonly: 1, kwonly: 1, required: 1 };
    let [data, backtick] = bind::<2>(vm, &P, args, kw)?;
    let data = bin_arg(vm, data.as_ref().unwrap_or(&vm.none))?;
    let backtick = flag(vm, backtick)?;
    if data.len() > 45 {
        return Err(error(vm, "At most 45 bytes at once"));
    }
    let ch = |v: u8| if backtick && v == 0 { b'`' } else { b' ' + v };
    let mut out = vec![if backtick && data.is_empty() { b'`' } else { b' ' + data.len() as u8 }];
    for chunk in data.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = ((b[0] as u32) << 16) | ((b[1] as u32) << 8) | b[2] as u32;
        for shift in [18, 12, 6, 0] {
            out.push(ch(((n >> shift) & 0x3f) as u8));
        }
    }
    out.push(b'\n');
    Ok(new_bytes(vm, out))
}

fn m_a2b_uu(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [data] = exact::<1>(vm, "a2b_uu", args, kw)?;
    let data = ascii_arg(vm, &data)?;
    // An empty line reads as a NUL length byte (CPython reads the
    // terminator of the empty buffer).
    let first = data.first().copied().unwrap_or(0);
    let mut bin_len = (first.wrapping_sub(b' ') & 0o77) as usize;
    let mut rest = data.get(1..).unwrap_or(&[]).iter();
    let mut out = Vec::with_capacity(bin_len);
    let (mut acc, mut bits) = (0u32, 0u32);
    while bin_len > 0 {
        let v = match rest.next() {
            None | Some(b'\n') | Some(b'\r') => 0,
            Some(&c) => {
                if !(b' '..=b' ' + 64).contains(&c) {
                    return Err(error(vm, "Illegal char"));
                }
                (c - b' ') & 0o77
            }
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
            bin_len -= 1;
        }
    }
    for &c in rest {
        if !matches!(c, b' ' | b'`' | b'\n' | b'\r') {
            return Err(error(vm, "Trailing garbage"));
        }
    }
    Ok(new_bytes(vm, out))
}

// ------------------------------------------------------- quoted-printable

const MAXLINESIZE: usize = 76;

fn hex_upper(b: u8) -> [u8; 2] {
    const H: &[u8; 16] = b"0123456789ABCDEF";
    [H[(b >> 4) as usize], H[(b & 15) as usize]]
}

/// Quoted-printable encoding (`b2a_qp`).
pub fn qp_encode(data: &[u8], quotetabs: bool, istext: bool, header: bool) -> Vec<u8> {
    let crlf = data.iter().position(|&c| c == b'\n').is_some_and(|p| p > 0 && data[p - 1] == b'\r');
    let len = data.len();
    let mut out = Vec::with_capacity(len * 2);
    let mut linelen = 0usize;
    let soft_break = |out: &mut Vec<u8>| {
        out.push(b'=');
        if crlf {
            out.push(b'\r');
        }
        out.push(b'\n');
    };
    let mut i = 0;
    while i < len {
        let c = data[i];
        let next = data.get(i + 1).copied();
        let must_quote = c > 126
            || c == b'='
            || (header && c == b'_')
            || (c == b'.' && linelen == 0 && matches!(next, None | Some(b'\n') | Some(b'\r') | Some(0)))
            || (!istext && (c == b'\r' || c == b'\n'))
            || ((c == b'\t' || c == b' ') && next.is_none())
            || (c < 33 && c != b'\r' && c != b'\n' && (quotetabs || (c != b'\t' && c != b' ')));
        if must_quote {
            if linelen + 3 >= MAXLINESIZE {
                soft_break(&mut out);
                linelen = 0;
            }
            out.push(b'=');
            out.extend_from_slice(&hex_upper(c));
            i += 1;
            linelen += 3;
        } else if istext && (c == b'\n' || (c == b'\r' && next == Some(b'\n'))) {
            linelen = 0;
            // Whitespace at the end of a line is quoted.
            if let Some(&last) = out.last() {
                if last == b' ' || last == b'\t' {
                    out.pop();
                    out.push(b'=');
                    out.extend_from_slice(&hex_upper(last));
                }
            }
            if crlf {
                out.push(b'\r');
            }
            out.push(b'\n');
            i += if c == b'\r' { 2 } else { 1 };
        } else {
            if next.is_some() && next != Some(b'\n') && linelen + 1 >= MAXLINESIZE {
                soft_break(&mut out);
                linelen = 0;
            }
            linelen += 1;
            out.push(if header && c == b' ' { b'_' } else { c });
            i += 1;
        }
    }
    out
}

/// Quoted-printable decoding (`a2b_qp`).
pub fn qp_decode(data: &[u8], header: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let len = data.len();
    let mut i = 0;
    while i < len {
        let c = data[i];
        if c == b'=' {
            i += 1;
            if i >= len {
                break;
            }
            let d = data[i];
            if d == b'\n' || d == b'\r' {
                // A soft line break.
                if d != b'\n' {
                    while i < len && data[i] != b'\n' {
                        i += 1;
                    }
                }
                if i < len {
                    i += 1;
                }
            } else if d == b'=' {
                out.push(b'=');
                i += 1;
            } else if i + 1 < len && d.is_ascii_hexdigit() && data[i + 1].is_ascii_hexdigit() {
                let hi = (d as char).to_digit(16).unwrap_or(0) as u8;
                let lo = (data[i + 1] as char).to_digit(16).unwrap_or(0) as u8;
                out.push((hi << 4) | lo);
                i += 2;
            } else {
                out.push(b'=');
            }
        } else if header && c == b'_' {
            out.push(b' ');
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn m_a2b_qp(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "a2b_qp", names: &["data", "header"], posonly: 0, kwonly: 0, required: 1 };
    let [data, header] = bind::<2>(vm, &P, args, kw)?;
    let data = ascii_arg(vm, data.as_ref().unwrap_or(&vm.none))?;
    Ok(new_bytes(vm, qp_decode(&data, flag(vm, header)?)))
}

fn m_b2a_qp(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    static P: Params = Params { fname: "b2a_qp", names: &["data", "quotetabs", "istext", "header"], posonly: 0, kwonly: 0, required: 1 };
    let [data, quotetabs, istext, header] = bind::<4>(vm, &P, args, kw)?;
    let data = bin_arg(vm, data.as_ref().unwrap_or(&vm.none))?;
    let istext = match istext {
        Some(o) => taipan_vm::ops::truth(vm, &o)?,
        None => true,
    };
    Ok(new_bytes(vm, qp_encode(&data, flag(vm, quotetabs)?, istext, flag(vm, header)?)))
}

static FUNCS: &[FunctionDef] = &[
    FunctionDef::new("a2b_uu", m_a2b_uu, "Decode a line of uuencoded data."),
    FunctionDef::new("b2a_uu", m_b2a_uu, "Uuencode line of data."),
    FunctionDef::new("a2b_base64", m_a2b_base64, "Decode a line of base64 data."),
    FunctionDef::new("b2a_base64", m_b2a_base64, "Base64-code line of data."),
    FunctionDef::new("a2b_qp", m_a2b_qp, "Decode a string of qp-encoded data."),
    FunctionDef::new("b2a_qp", m_b2a_qp, "Encode a string using quoted-printable encoding."),
    FunctionDef::new("a2b_hex", m_a2b_hex, "Binary data of hexadecimal representation."),
    FunctionDef::new("b2a_hex", m_b2a_hex, "Hexadecimal representation of binary data."),
    FunctionDef::new("hexlify", m_hexlify, "Hexadecimal representation of binary data."),
    FunctionDef::new("unhexlify", m_unhexlify, "Binary data of hexadecimal representation."),
    FunctionDef::new("crc32", m_crc32, "Compute CRC-32 incrementally."),
    FunctionDef::new("crc_hqx", m_crc_hqx, "Compute CRC-CCITT incrementally."),
];

pub fn init(vm: &Vm, m: &Obj) -> PyResult<()> {
    add_functions(vm, m, FUNCS)?;
    add_attr(vm, m, "__doc__", new_str(vm, "Conversion between binary data and ASCII"))?;
    add_attr(vm, m, "Error", util::exception_class(vm, "binascii.Error", std::slice::from_ref(&vm.types.value_error))?)?;
    add_attr(vm, m, "Incomplete", util::exception_class(vm, "binascii.Incomplete", &[])?)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crcs() {
        assert_eq!(crc32(b"hello world", 0), 0x0d4a_1185);
        assert_eq!(crc32(b"world", crc32(b"hello ", 0)), 0x0d4a_1185);
        assert_eq!(crc_hqx(b"123456789", 0), 0x31c3);
    }

    #[test]
    fn base64_round_trip() {
        for n in 0..20u8 {
            let data: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37)).collect();
            assert_eq!(b64decode(&b64encode(&data), true), Ok(data));
        }
        assert_eq!(b64decode(b"YQ", false), Err(B64Error::Message("Incorrect padding")));
        assert_eq!(b64decode(b"YWJjZ", false), Err(B64Error::OneMore(5)));
    }
}
