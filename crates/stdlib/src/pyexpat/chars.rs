//! Character classes of XML 1.0 and the input decoders (UTF-8, UTF-16,
//! Latin-1, US-ASCII, and single-byte tables built from Python codecs).

/// Stands for an undecodable byte; it is not an XML character, so the
/// tokenizer reports "not well-formed (invalid token)" where it sits.
pub const BAD: char = '\u{FFFF}';

/// Whether a single-byte table keeps in place every ASCII character
/// that means something to XML (all but the control characters, DEL and
/// `$ @ \ ^ { } ~` and the backquote), as expat requires of the table of
/// an unknown encoding.
pub fn ascii_compatible(t: &[char; 256]) -> bool {
    (0u8..128).all(|b| {
        let free = matches!(b, 0..=8 | 11 | 12 | 14..=31 | b'$' | b'@' | b'\\' | b'^' | b'`' | b'{' | b'}' | b'~' | 127);
        free || t[b as usize] == b as char
    })
}

/// `Char` of XML 1.0 (§2.2).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

pub fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// `NameStartChar` (XML 1.0 fifth edition).
pub fn is_name_start(c: char) -> bool {
    matches!(c,
        'A'..='Z' | 'a'..='z' | '_' | ':' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}'
        | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

/// `NameChar`.
pub fn is_name_char(c: char) -> bool {
    is_name_start(c) || matches!(c, '0'..='9' | '-' | '.' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// An input encoding.
#[derive(Clone)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Latin1,
    Ascii,
    /// A single-byte encoding: the character of each byte (`BAD` where
    /// the codec has none).
    Table(Box<[char; 256]>),
}

/// What an encoding name means to the parser: one of the built-in
/// encodings, or a name to look up (`None`).
pub fn builtin_encoding(name: &str) -> Option<Encoding> {
    let n = name.to_ascii_lowercase().replace('_', "-");
    match n.as_str() {
        "utf-8" | "utf8" => Some(Encoding::Utf8),
        "utf-16" | "utf16" => Some(Encoding::Utf16Le),
        "utf-16le" | "utf-16-le" => Some(Encoding::Utf16Le),
        "utf-16be" | "utf-16-be" => Some(Encoding::Utf16Be),
        "iso-8859-1" | "latin-1" | "latin1" | "iso8859-1" | "l1" => Some(Encoding::Latin1),
        "us-ascii" | "ascii" => Some(Encoding::Ascii),
        _ => None,
    }
}

/// Decodes as much of `raw` as forms whole characters, appending them to
/// `out` with their byte widths; returns how many bytes were used. With
/// `fin`, trailing partial characters become `BAD`.
pub fn decode(enc: &Encoding, raw: &[u8], fin: bool, out: &mut Vec<char>, widths: &mut Vec<u8>) -> usize {
    let mut i = 0;
    match enc {
        Encoding::Utf8 => {
            while i < raw.len() {
                let b = raw[i];
                if b < 0x80 {
                    out.push(b as char);
                    widths.push(1);
                    i += 1;
                    continue;
                }
                let n = match b {
                    0xC2..=0xDF => 2,
                    0xE0..=0xEF => 3,
                    0xF0..=0xF4 => 4,
                    _ => 0,
                };
                if n == 0 {
                    out.push(BAD);
                    widths.push(1);
                    i += 1;
                    continue;
                }
                if i + n > raw.len() {
                    // A partial sequence at the end: wait for the rest, unless
                    // what is there is already invalid.
                    let valid_prefix = std::str::from_utf8(&raw[i..]).err().is_none_or(|e| e.error_len().is_none());
                    if !fin && valid_prefix {
                        break;
                    }
                    out.push(BAD);
                    widths.push(1);
                    i += 1;
                    continue;
                }
                match std::str::from_utf8(&raw[i..i + n]) {
                    Ok(s) => {
                        out.extend(s.chars());
                        widths.push(n as u8);
                        i += n;
                    }
                    Err(_) => {
                        out.push(BAD);
                        widths.push(1);
                        i += 1;
                    }
                }
            }
        }
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let le = matches!(enc, Encoding::Utf16Le);
            let unit = |j: usize| -> u32 {
                if le {
                    u16::from_le_bytes([raw[j], raw[j + 1]]) as u32
                } else {
                    u16::from_be_bytes([raw[j], raw[j + 1]]) as u32
                }
            };
            while i + 1 < raw.len() {
                let u = unit(i);
                if (0xD800..0xDC00).contains(&u) {
                    if i + 3 >= raw.len() {
                        if !fin {
                            break;
                        }
                        out.push(BAD);
                        widths.push(2);
                        i += 2;
                        continue;
                    }
                    let v = unit(i + 2);
                    if (0xDC00..0xE000).contains(&v) {
                        let c = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
                        out.push(char::from_u32(c).unwrap_or(BAD));
                        widths.push(4);
                        i += 4;
                        continue;
                    }
                    out.push(BAD);
                    widths.push(2);
                    i += 2;
                    continue;
                }
                out.push(char::from_u32(u).unwrap_or(BAD));
                widths.push(2);
                i += 2;
            }
            // An odd trailing byte stays undecoded (a partial character).
        }
        Encoding::Latin1 => {
            out.extend(raw.iter().map(|&b| b as char));
            widths.extend(std::iter::repeat_n(1, raw.len()));
            i = raw.len();
        }
        Encoding::Ascii => {
            out.extend(raw.iter().map(|&b| if b < 0x80 { b as char } else { BAD }));
            widths.extend(std::iter::repeat_n(1, raw.len()));
            i = raw.len();
        }
        Encoding::Table(t) => {
            out.extend(raw.iter().map(|&b| t[b as usize]));
            widths.extend(std::iter::repeat_n(1, raw.len()));
            i = raw.len();
        }
    }
    i
}

/// The encoding named by the XML declaration at the start of `raw` (an
/// ASCII-compatible input): `Ok(None)` if there is no declaration or it
/// names no encoding, `Err(())` if more bytes are needed to know.
pub fn sniff_declared(raw: &[u8], fin: bool) -> Result<Option<String>, ()> {
    let head = b"<?xml";
    let n = raw.len().min(head.len());
    if raw[..n] != head[..n] {
        return Ok(None);
    }
    if raw.len() < 6 {
        return if fin { Ok(None) } else { Err(()) };
    }
    if !matches!(raw[5], b' ' | b'\t' | b'\r' | b'\n') {
        return Ok(None);
    }
    let end = match raw.windows(2).position(|w| w == b"?>") {
        Some(e) => e,
        None if fin || raw.len() > 4096 => raw.len(),
        None => return Err(()),
    };
    let decl = &raw[..end];
    let Some(at) = decl.windows(8).position(|w| w == b"encoding") else { return Ok(None) };
    let mut j = at + 8;
    while j < decl.len() && matches!(decl[j], b' ' | b'\t' | b'\r' | b'\n') {
        j += 1;
    }
    if j >= decl.len() || decl[j] != b'=' {
        return Ok(None);
    }
    j += 1;
    while j < decl.len() && matches!(decl[j], b' ' | b'\t' | b'\r' | b'\n') {
        j += 1;
    }
    if j >= decl.len() || !matches!(decl[j], b'"' | b'\'') {
        return Ok(None);
    }
    let q = decl[j];
    let start = j + 1;
    let Some(len) = decl[start..].iter().position(|&b| b == q) else { return Ok(None) };
    Ok(Some(String::from_utf8_lossy(&decl[start..start + len]).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_partial_sequences_wait() {
        let mut out = Vec::new();
        let mut w = Vec::new();
        let used = decode(&Encoding::Utf8, "aé".as_bytes().split_at(2).0, false, &mut out, &mut w);
        assert_eq!((used, out.clone()), (1, vec!['a']));
        let used = decode(&Encoding::Utf8, &[0xC3], true, &mut out, &mut w);
        assert_eq!((used, out.last().copied()), (1, Some(BAD)));
    }

    #[test]
    fn utf16_surrogates() {
        let mut out = Vec::new();
        let mut w = Vec::new();
        let bytes: Vec<u8> = "a\u{10400}".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decode(&Encoding::Utf16Le, &bytes, false, &mut out, &mut w), 6);
        assert_eq!(out, vec!['a', '\u{10400}']);
        assert_eq!(w, vec![2, 4]);
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff_declared(b"<?xml version='1.0' encoding='latin-1'?><a/>", false), Ok(Some("latin-1".into())));
        assert_eq!(sniff_declared(b"<?xml version='1.0'", false), Err(()));
        assert_eq!(sniff_declared(b"<a/>", false), Ok(None));
    }
}
