//! Turning source bytes into the UTF-8 text the tokenizer reads.
//!
//! Owns what CPython's tokenizer does before it sees a token: the UTF-8 BOM,
//! the PEP 263 coding cookie on line 1 or 2, decoding, the null-byte check,
//! and newline translation (CRLF and lone CR become LF, as CPython's
//! universal-newline reading does; columns are unaffected since `\r` only
//! ever ends a line).

use crate::error::{ErrorKind, ParseError};

/// Source text ready for the tokenizer: UTF-8, LF line endings.
pub struct Source {
    pub text: String,
}

/// Finds a coding cookie (`coding[:=]\s*([-\w.]+)`) in a comment line.
fn find_cookie(line: &[u8]) -> Option<String> {
    // Only a line that is a comment (possibly indented) can hold a cookie.
    let mut i = 0;
    while i < line.len() && matches!(line[i], b' ' | b'\t' | b'\x0c') {
        i += 1;
    }
    if line.get(i) != Some(&b'#') {
        return None;
    }
    let rest = &line[i..];
    let mut search = 0;
    while let Some(p) = find_sub(&rest[search..], b"coding") {
        let mut j = search + p + 6;
        if j < rest.len() && (rest[j] == b':' || rest[j] == b'=') {
            j += 1;
            while j < rest.len() && (rest[j] == b' ' || rest[j] == b'\t') {
                j += 1;
            }
            let start = j;
            while j < rest.len() && (rest[j].is_ascii_alphanumeric() || matches!(rest[j], b'-' | b'_' | b'.')) {
                j += 1;
            }
            if j > start {
                return Some(String::from_utf8_lossy(&rest[start..j]).into_owned());
            }
        }
        search += p + 6;
    }
    None
}

fn find_sub(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// CPython's `get_normal_name`: canonical names for the encodings it knows
/// natively.
fn normal_name(name: &str) -> String {
    let lower: String = name.chars().take(12).map(|c| if c == '_' { '-' } else { c.to_ascii_lowercase() }).collect();
    if lower == "utf-8" || lower.starts_with("utf-8-") {
        return "utf-8".into();
    }
    for prefix in ["latin-1", "iso-8859-1", "iso-latin-1"] {
        if lower == prefix || lower.starts_with(&format!("{prefix}-")) {
            return "iso-8859-1".into();
        }
    }
    name.to_string()
}

#[derive(Clone, Copy, PartialEq)]
enum Encoding {
    Utf8,
    Latin1,
    Ascii,
    Cp1252,
}

fn lookup_encoding(name: &str) -> Option<Encoding> {
    let n: String = name.to_ascii_lowercase().replace(['-', ' '], "_");
    Some(match n.as_str() {
        "utf_8" | "utf8" | "u8" | "utf" | "utf8_ucs2" | "utf8_ucs4" | "cp65001" => Encoding::Utf8,
        "iso_8859_1" | "latin_1" | "latin1" | "latin" | "l1" | "iso8859_1" | "iso8859" | "8859" | "cp819" | "iso_ir_100"
        | "csisolatin1" | "iso_8859_1_1987" | "ibm819" => Encoding::Latin1,
        "ascii" | "us_ascii" | "646" | "us" | "ansi_x3.4_1968" | "ansi_x3_4_1968" | "iso646_us" | "cp367" | "csascii" | "ibm367" => {
            Encoding::Ascii
        }
        "cp1252" | "windows_1252" => Encoding::Cp1252,
        _ => return None,
    })
}

const CP1252_HIGH: [u16; 32] = [
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019,
    0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
];

fn file_error(msg: String) -> ParseError {
    ParseError { kind: ErrorKind::SyntaxError, msg, lineno: Some(0), offset: Some(-1) }
}

/// Decodes `bytes` as CPython's tokenizer would, or returns its error.
pub fn decode(bytes: &[u8]) -> Result<Source, ParseError> {
    if bytes.contains(&0) {
        return Err(ParseError {
            kind: ErrorKind::SyntaxError,
            msg: "source code string cannot contain null bytes".into(),
            lineno: None,
            offset: None,
        });
    }
    let (has_bom, body) = match bytes.strip_prefix(b"\xef\xbb\xbf") {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    // The cookie may be on line 1, or on line 2 when line 1 is a comment or blank.
    let mut lines = body.splitn(3, |&b| b == b'\n' || b == b'\r');
    let first = lines.next().unwrap_or(&[]);
    let mut cookie = find_cookie(first);
    if cookie.is_none() {
        let trimmed: Vec<u8> = first.iter().copied().filter(|b| !matches!(b, b' ' | b'\t' | b'\x0c')).collect();
        if trimmed.is_empty() || trimmed[0] == b'#' {
            if let Some(second) = lines.next() {
                cookie = find_cookie(second);
            }
        }
    }
    let mut encoding = Encoding::Utf8;
    if let Some(name) = cookie {
        let normal = normal_name(&name);
        if has_bom && normal != "utf-8" {
            return Err(file_error(format!("encoding problem: {normal} with BOM")));
        }
        encoding = lookup_encoding(&normal).ok_or_else(|| file_error(format!("unknown encoding: {name}")))?;
    }
    let text = match encoding {
        Encoding::Utf8 => match std::str::from_utf8(body) {
            Ok(s) => s.to_string(),
            Err(e) => return Err(utf8_error(body, e)),
        },
        Encoding::Latin1 => body.iter().map(|&b| b as char).collect(),
        Encoding::Ascii => {
            if let Some(pos) = body.iter().position(|&b| b >= 0x80) {
                return Err(file_error(format!(
                    "'ascii' codec can't decode byte 0x{:02x} in position {pos}: ordinal not in range(128)",
                    body[pos]
                )));
            }
            String::from_utf8_lossy(body).into_owned()
        }
        Encoding::Cp1252 => {
            let mut s = String::with_capacity(body.len());
            for (pos, &b) in body.iter().enumerate() {
                if (0x80..0xA0).contains(&b) {
                    let cp = CP1252_HIGH[(b - 0x80) as usize];
                    if cp == 0 {
                        return Err(file_error(format!(
                            "'charmap' codec can't decode byte 0x{b:02x} in position {pos}: character maps to <undefined>"
                        )));
                    }
                    s.push(char::from_u32(cp as u32).unwrap_or('\u{FFFD}'));
                } else {
                    s.push(b as char);
                }
            }
            s
        }
    };
    Ok(Source { text: normalize_newlines(text) })
}

fn utf8_error(body: &[u8], e: std::str::Utf8Error) -> ParseError {
    let bad = e.valid_up_to();
    let lineno = body[..bad].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let line_start = body[..bad].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let line_end = body[bad..].iter().position(|&b| b == b'\n').map_or(body.len(), |p| bad + p);
    let line = &body[line_start..line_end];
    // CPython decodes the offending line on its own and reports that error.
    let line_err = std::str::from_utf8(line).err();
    let (pos, reason) = match line_err {
        Some(le) => {
            let p = le.valid_up_to();
            let b = line[p];
            let reason = match le.error_len() {
                None => "unexpected end of data".to_string(),
                Some(_) if (0x80..0xC2).contains(&b) || b >= 0xF5 => "invalid start byte".to_string(),
                Some(_) => "invalid continuation byte".to_string(),
            };
            (p, reason)
        }
        None => (0, "invalid start byte".to_string()),
    };
    let byte = line.get(pos).copied().unwrap_or(0);
    let msg = match e.error_len() {
        None if reason == "unexpected end of data" => {
            let end = line.len();
            if end - pos > 1 {
                format!("(unicode error) 'utf-8' codec can't decode bytes in position {pos}-{}: unexpected end of data", end - 1)
            } else {
                format!("(unicode error) 'utf-8' codec can't decode byte 0x{byte:02x} in position {pos}: unexpected end of data")
            }
        }
        _ => format!("(unicode error) 'utf-8' codec can't decode byte 0x{byte:02x} in position {pos}: {reason}"),
    };
    ParseError { kind: ErrorKind::SyntaxError, msg, lineno: Some(lineno), offset: Some(1) }
}

fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}
