//! Turning source bytes into the UTF-8 text the tokenizer reads.
//!
//! Owns what CPython's tokenizer does before it sees a token: the UTF-8 BOM,
//! the PEP 263 coding cookie on line 1 or 2, decoding, the null-byte check,
//! and newline translation (CRLF and lone CR become LF, as CPython's
//! universal-newline reading does; columns are unaffected since `\r` only
//! ever ends a line).
//!
//! Without a non-UTF-8 cookie CPython 3.11 does not validate UTF-8 up
//! front: a bad byte is only reported when a token holding it is decoded
//! (an identifier, a string literal), and bad bytes in comments pass. So
//! invalid bytes are kept, each as an *escape* character
//! `U+10FF00 + byte` (the last 128 code points of plane 16's private use
//! area, which real source essentially never holds); [`unescape`] gives the
//! original bytes back. A UTF-8 BOM is kept as a leading U+FEFF so the
//! tokenizer knows an encoding was declared (CPython then reports parser
//! error offsets in characters rather than bytes).

use crate::error::{ErrorKind, ParseError};

/// Source text ready for the tokenizer: UTF-8, LF line endings, invalid
/// UTF-8 bytes as escape characters, a BOM kept as a leading U+FEFF.
pub struct Source {
    pub text: String,
}

/// The first escape character: invalid byte `b` is kept as `ESCAPE_BASE + b`.
const ESCAPE_BASE: u32 = 0x10FF00;

/// Whether `c` stands for an invalid source byte.
pub(crate) fn is_escape(c: char) -> bool {
    (ESCAPE_BASE + 0x80..=ESCAPE_BASE + 0xFF).contains(&(c as u32))
}

/// Whether `s` holds any escaped invalid byte (a cheap byte scan: every
/// escape character's UTF-8 form starts with F4 8F).
pub(crate) fn has_escapes(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(2).any(|w| w == [0xF4, 0x8F]) && s.chars().any(is_escape)
}

/// The original source bytes of `s`.
pub(crate) fn unescape(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        if is_escape(c) {
            out.push((c as u32 - ESCAPE_BASE) as u8);
        } else {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
    out
}

/// Keeps valid UTF-8 as is and each invalid byte as an escape character.
fn escape_invalid(mut bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 8);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let good = e.valid_up_to();
                out.push_str(std::str::from_utf8(&bytes[..good]).unwrap_or_default());
                let bad = e.error_len().unwrap_or(bytes.len() - good);
                for &b in &bytes[good..good + bad] {
                    out.push(char::from_u32(ESCAPE_BASE + b as u32).unwrap_or('\u{FFFD}'));
                }
                bytes = &bytes[good + bad..];
            }
        }
    }
}

/// The message of the `UnicodeDecodeError` CPython's strict UTF-8 decoder
/// raises for `bytes`, or `None` if they are valid.
pub(crate) fn utf8_error_message(bytes: &[u8]) -> Option<String> {
    let e = std::str::from_utf8(bytes).err()?;
    let pos = e.valid_up_to();
    let first = bytes[pos];
    let (len, reason) = match e.error_len() {
        None => (bytes.len() - pos, "unexpected end of data"),
        Some(1) if (0x80..0xC2).contains(&first) || first >= 0xF5 => (1, "invalid start byte"),
        Some(n) => (n, "invalid continuation byte"),
    };
    Some(if len == 1 {
        format!("'utf-8' codec can't decode byte 0x{first:02x} in position {pos}: {reason}")
    } else {
        format!("'utf-8' codec can't decode bytes in position {pos}-{}: {reason}", pos + len - 1)
    })
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
    /// A single-byte codec: ASCII below 0x80, a table above.
    Charmap(&'static [u16; 128]),
    Utf16 {
        big: bool,
        bom: bool,
    },
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
        "utf_16" | "utf16" | "u16" => Encoding::Utf16 { big: false, bom: true },
        "utf_16_le" | "utf_16le" | "utf16le" => Encoding::Utf16 { big: false, bom: false },
        "utf_16_be" | "utf_16be" | "utf16be" => Encoding::Utf16 { big: true, bom: false },
        n => {
            // CPython's aliases for the tables we carry.
            let canonical = match n {
                "windows_1250" => "cp1250",
                "windows_1251" => "cp1251",
                "windows_1252" => "cp1252",
                "koi8r" => "koi8_r",
                "koi8u" => "koi8_u",
                "iso_8859_2" | "latin2" | "l2" => "iso8859_2",
                "iso_8859_5" | "cyrillic" => "iso8859_5",
                "iso_8859_7" | "greek" | "greek8" => "iso8859_7",
                "iso_8859_15" | "latin9" | "l9" => "iso8859_15",
                other => other,
            };
            let table = crate::charmaps::CHARMAPS.iter().find(|(name, _)| *name == canonical)?;
            Encoding::Charmap(&table.1)
        }
    })
}

fn file_error(msg: String) -> ParseError {
    ParseError::from_parts(ErrorKind::SyntaxError, msg, Some(0), Some(-1))
}

/// The coding cookie of `body`: on line 1, or on line 2 when line 1 is a
/// comment or blank.
fn cookie_of(body: &[u8]) -> Option<String> {
    let mut lines = body.splitn(3, |&b| b == b'\n' || b == b'\r');
    let first = lines.next().unwrap_or(&[]);
    let cookie = find_cookie(first);
    if cookie.is_some() {
        return cookie;
    }
    let trimmed: Vec<u8> = first.iter().copied().filter(|b| !matches!(b, b' ' | b'\t' | b'\x0c')).collect();
    if trimmed.is_empty() || trimmed[0] == b'#' {
        return lines.next().and_then(find_cookie);
    }
    None
}

/// Whether decoded source `text` declared its encoding (a BOM or a
/// cookie), which makes CPython report parser error offsets in characters.
pub(crate) fn declares_encoding(text: &str) -> bool {
    text.starts_with('\u{FEFF}') || cookie_of(text.as_bytes()).is_some()
}

/// Decodes UTF-16 (`big`: big-endian) as CPython's codec does, or returns
/// its error message.
fn decode_utf16(body: &[u8], name: &str, big: bool) -> Result<String, String> {
    let units: Vec<u16> =
        body.chunks_exact(2).map(|c| if big { u16::from_be_bytes([c[0], c[1]]) } else { u16::from_le_bytes([c[0], c[1]]) }).collect();
    let mut out = String::with_capacity(units.len());
    let mut i = 0;
    while i < units.len() {
        let u = units[i];
        if (0xD800..0xDC00).contains(&u) {
            match units.get(i + 1) {
                Some(&l) if (0xDC00..0xE000).contains(&l) => {
                    let cp = 0x10000 + (((u as u32) - 0xD800) << 10) + (l as u32 - 0xDC00);
                    out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                    i += 2;
                    continue;
                }
                Some(_) => {
                    return Err(format!("'{name}' codec can't decode bytes in position {}-{}: illegal UTF-16 surrogate", 2 * i, 2 * i + 1))
                }
                None if body.len().is_multiple_of(2) => {
                    return Err(format!(
                        "'{name}' codec can't decode bytes in position {}-{}: unexpected end of data",
                        2 * i,
                        body.len() - 1
                    ))
                }
                None => {}
            }
        } else if (0xDC00..0xE000).contains(&u) {
            return Err(format!("'{name}' codec can't decode bytes in position {}-{}: illegal encoding", 2 * i, 2 * i + 1));
        } else {
            out.push(char::from_u32(u as u32).unwrap_or('\u{FFFD}'));
        }
        i += 1;
    }
    if body.len() % 2 == 1 {
        let pos = body.len() - 1;
        return Err(format!("'{name}' codec can't decode byte 0x{:02x} in position {pos}: truncated data", body[pos]));
    }
    Ok(out)
}

/// Decodes `bytes` as CPython's tokenizer would, or returns its error.
pub fn decode(bytes: &[u8]) -> Result<Source, ParseError> {
    decode_with(bytes, &|_, _| None)
}

/// A decoder for encodings the parser does not carry (CPython's tokenizer
/// asks the codec registry): given the cookie's name and the source bytes,
/// `None` if the name is unknown, else the text or the decoding error's
/// message.
pub type ExternalDecoder<'a> = &'a dyn Fn(&str, &[u8]) -> Option<Result<String, String>>;

/// Source already decoded (`compile(str, ...)`, `exec(str)`): a coding
/// cookie in it is not applied, but NUL is refused and newlines are
/// normalised, as for bytes.
pub fn from_text(text: &str) -> Result<Source, ParseError> {
    if text.contains('\0') {
        return Err(ParseError::from_parts(ErrorKind::SyntaxError, "source code string cannot contain null bytes".into(), None, None));
    }
    Ok(Source { text: normalize_newlines(text.to_string()) })
}

/// [`decode`], with `external` consulted for encodings not built in.
pub fn decode_with(bytes: &[u8], external: ExternalDecoder) -> Result<Source, ParseError> {
    if bytes.contains(&0) {
        return Err(ParseError::from_parts(ErrorKind::SyntaxError, "source code string cannot contain null bytes".into(), None, None));
    }
    let (has_bom, body) = match bytes.strip_prefix(b"\xef\xbb\xbf") {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    let cookie = cookie_of(body);
    let mut encoding = Encoding::Utf8;
    if let Some(name) = cookie {
        let normal = normal_name(&name);
        if has_bom && normal != "utf-8" {
            return Err(file_error(format!("encoding problem: {normal} with BOM")));
        }
        match lookup_encoding(&normal) {
            Some(e) => encoding = e,
            None => {
                let text = match external(&name, body) {
                    Some(Ok(text)) => text,
                    Some(Err(msg)) => return Err(file_error(msg)),
                    None => return Err(file_error(format!("unknown encoding: {name}"))),
                };
                return Ok(Source { text: normalize_newlines(text) });
            }
        }
    }
    let text = match encoding {
        Encoding::Utf8 => escape_invalid(body),
        Encoding::Latin1 => body.iter().map(|&b| b as char).collect(),
        Encoding::Utf16 { big, bom } => {
            // The codec's error names the byte order it settled on.
            let (big, data) = match body {
                [0xFF, 0xFE, rest @ ..] if bom => (false, rest),
                [0xFE, 0xFF, rest @ ..] if bom => (true, rest),
                _ => (big, body),
            };
            let name = if big { "utf-16-be" } else { "utf-16-le" };
            decode_utf16(data, name, big).map_err(file_error)?
        }
        Encoding::Ascii => {
            if let Some(pos) = body.iter().position(|&b| b >= 0x80) {
                return Err(file_error(format!(
                    "'ascii' codec can't decode byte 0x{:02x} in position {pos}: ordinal not in range(128)",
                    body[pos]
                )));
            }
            String::from_utf8_lossy(body).into_owned()
        }
        Encoding::Charmap(table) => {
            let mut s = String::with_capacity(body.len());
            for (pos, &b) in body.iter().enumerate() {
                if b >= 0x80 {
                    let cp = table[(b - 0x80) as usize];
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
    let text = normalize_newlines(text);
    Ok(Source { text: if has_bom { format!("\u{FEFF}{text}") } else { text } })
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
