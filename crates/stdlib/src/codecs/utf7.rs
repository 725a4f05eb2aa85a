//! UTF-7 (RFC 2152) as CPython's `utf_7_encode`/`utf_7_decode` do it:
//! the optional-direct set and white space are written as themselves,
//! shift sequences carry UTF-16 units in modified base64, and an
//! incremental decode stops before an unfinished shift sequence.

use taipan_parser::wtf8::Wtf8Buf;
use taipan_vm::native::{bind, Params};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{new_bytes, new_str_wtf8, new_tuple, StrData};
use taipan_vm::types::Kwargs;
use taipan_vm::{ops, PyResult, Vm};

use super::{bytes_arg, call_handler, str_arg, text_arg, unicode_error};

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn is_base64(b: u32) -> bool {
    matches!(b, 0x41..=0x5A | 0x61..=0x7A | 0x30..=0x39 | 0x2B | 0x2F)
}

fn from_base64(b: u8) -> u64 {
    match b {
        b'A'..=b'Z' => (b - b'A') as u64,
        b'a'..=b'z' => (b - b'a' + 26) as u64,
        b'0'..=b'9' => (b - b'0' + 52) as u64,
        b'+' => 62,
        _ => 63,
    }
}

/// Written as itself by the encoder: RFC 2152's direct and optional-direct
/// characters and white space; `+`, `\`, `~`, controls and non-ASCII are not.
fn encode_direct(c: u32) -> bool {
    match c {
        0x09 | 0x0A | 0x0D | 0x20 => true,
        0x21..=0x7D => c != 0x2B && c != 0x5C,
        _ => false,
    }
}

fn push_base64(out: &mut Vec<u8>, bits: u64) {
    out.push(BASE64[(bits & 0x3F) as usize]);
}

pub(super) fn encode_text(text: &Wtf8Buf) -> Vec<u8> {
    let mut out = Vec::new();
    let mut in_shift = false;
    let mut bits = 0u32;
    let mut buffer = 0u64;
    for c in text.code_points() {
        if in_shift && encode_direct(c) {
            if bits > 0 {
                push_base64(&mut out, buffer << (6 - bits));
                buffer = 0;
                bits = 0;
            }
            in_shift = false;
            // A base64 character or '-' right after the sequence would be
            // read as part of it: close it explicitly.
            if is_base64(c) || c == u32::from(b'-') {
                out.push(b'-');
            }
            out.push(c as u8);
            continue;
        }
        if !in_shift {
            if c == u32::from(b'+') {
                out.extend_from_slice(b"+-");
                continue;
            }
            if encode_direct(c) {
                out.push(c as u8);
                continue;
            }
            out.push(b'+');
            in_shift = true;
        }
        let units: &[u32] = &if c >= 0x10000 {
            let v = c - 0x10000;
            [0xD800 | (v >> 10), 0xDC00 | (v & 0x3FF)]
        } else {
            [c, u32::MAX]
        };
        for &unit in units.iter().filter(|&&u| u != u32::MAX) {
            bits += 16;
            buffer = ((buffer << 16) | u64::from(unit)) & 0xFFFF_FFFF;
            while bits >= 6 {
                push_base64(&mut out, buffer >> (bits - 6));
                bits -= 6;
            }
        }
    }
    if bits > 0 {
        push_base64(&mut out, buffer << (6 - bits));
    }
    if in_shift {
        out.push(b'-');
    }
    out
}

/// `utf_7_encode(str, errors=None)` -> `(bytes, len(str))`; UTF-7 can
/// encode every code point, so `errors` is never consulted.
pub(super) fn utf_7_encode(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [s, errors] = taipan_vm::native::at_most::<2>(vm, "utf_7_encode", 1, args, kw)?;
    let s = s.unwrap_or_else(|| vm.none.clone());
    let st = text_arg(vm, &s, "utf_7_encode")?;
    str_arg(vm, &errors, "strict", "utf_7_encode", "errors")?;
    Ok(new_tuple(vm, vec![new_bytes(vm, encode_text(&st.value)), vm.int(st.len() as i64)]))
}

/// `utf_7_decode(data, errors=None, final=False)` -> `(str, consumed)`.
pub(super) fn utf_7_decode(vm: &Vm, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let p = Params { fname: "utf_7_decode", names: &["data", "errors", "final"], posonly: 3, kwonly: 0, required: 1 };
    let [data, errors, final_] = bind::<3>(vm, &p, args, kw)?;
    let data = bytes_arg(vm, &data.unwrap_or_else(|| vm.none.clone()), "utf_7_decode")?;
    let errors = str_arg(vm, &errors, "strict", "utf_7_decode", "errors")?;
    let final_ = match &final_ {
        Some(f) => ops::truth(vm, f)?,
        None => false,
    };
    let (text, used) = decode(vm, &data, &errors, final_)?;
    Ok(new_tuple(vm, vec![new_str_wtf8(vm, text), vm.int(used as i64)]))
}

pub(super) fn decode(vm: &Vm, data: &[u8], errors: &str, final_: bool) -> PyResult<(Wtf8Buf, usize)> {
    // Code points rather than text, so that an incremental decode can take
    // back what an unfinished shift sequence produced.
    let mut out: Vec<u32> = Vec::new();
    let mut shift_out_start = 0usize;
    let mut in_shift = false;
    let mut bits = 0u32;
    let mut buffer = 0u64;
    let mut surrogate = 0u32;
    let mut start = 0usize;
    let mut i = 0usize;
    loop {
        while i < data.len() {
            let b = data[i];
            let c = u32::from(b);
            let reason: &str;
            if in_shift {
                if is_base64(c) {
                    buffer = (buffer << 6) | from_base64(b);
                    bits += 6;
                    i += 1;
                    if bits >= 16 {
                        let unit = ((buffer >> (bits - 16)) & 0xFFFF) as u32;
                        bits -= 16;
                        buffer &= (1u64 << bits) - 1;
                        if surrogate != 0 {
                            if (0xDC00..0xE000).contains(&unit) {
                                out.push(0x10000 + ((surrogate - 0xD800) << 10) + (unit - 0xDC00));
                                surrogate = 0;
                                continue;
                            }
                            out.push(surrogate);
                            surrogate = 0;
                        }
                        if (0xD800..0xDC00).contains(&unit) {
                            surrogate = unit;
                        } else {
                            out.push(unit);
                        }
                    }
                    continue;
                }
                in_shift = false;
                if bits >= 6 {
                    i += 1;
                    reason = "partial character in shift sequence";
                } else if bits > 0 && buffer != 0 {
                    i += 1;
                    reason = "non-zero padding bits in shift sequence";
                } else {
                    // A pending high surrogate survives only before a
                    // character that decodes as itself.
                    if surrogate != 0 && c <= 127 && b != b'+' {
                        out.push(surrogate);
                    }
                    surrogate = 0;
                    if b == b'-' {
                        i += 1;
                    }
                    continue;
                }
            } else if b == b'+' {
                start = i;
                i += 1;
                if data.get(i) == Some(&b'-') {
                    i += 1;
                    out.push(c);
                    continue;
                }
                if data.get(i).is_some_and(|&n| !is_base64(u32::from(n))) {
                    i += 1;
                    reason = "ill-formed sequence";
                } else {
                    in_shift = true;
                    surrogate = 0;
                    shift_out_start = out.len();
                    bits = 0;
                    buffer = 0;
                    continue;
                }
            } else if c <= 127 {
                i += 1;
                out.push(c);
                continue;
            } else {
                start = i;
                i += 1;
                reason = "unexpected special character";
            }
            i = handle_error(vm, data, errors, start, i, reason, &mut out)?;
        }
        if in_shift && final_ {
            in_shift = false;
            if surrogate != 0 || bits >= 6 || (bits > 0 && buffer != 0) {
                i = handle_error(vm, data, errors, start, data.len(), "unterminated shift sequence", &mut out)?;
                if i < data.len() {
                    continue;
                }
            }
        }
        break;
    }
    let used = if in_shift {
        out.truncate(shift_out_start);
        start
    } else {
        i
    };
    let mut text = Wtf8Buf::new();
    for c in out {
        text.push_code_point(c);
    }
    Ok((text, used))
}

/// Raises the UnicodeDecodeError (strict) or appends the handler's
/// replacement; returns where decoding resumes.
fn handle_error(vm: &Vm, data: &[u8], errors: &str, start: usize, end: usize, reason: &str, out: &mut Vec<u32>) -> PyResult<usize> {
    let exc = unicode_error(vm, &vm.types.unicode_decode_error, "utf7", new_bytes(vm, data.to_vec()), start, end, reason);
    if errors == "strict" {
        return Err(exc);
    }
    let (rep, pos) = call_handler(vm, errors, exc)?;
    if let Some(s) = rep.downcast::<StrData>() {
        out.extend(s.value.code_points());
    }
    Ok(pos.min(data.len()))
}
