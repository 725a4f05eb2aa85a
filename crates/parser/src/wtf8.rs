//! A string of Unicode code points that may include lone surrogates.
//!
//! Python `str` values can hold lone surrogates (`"\udc80"`), which Rust's
//! `String` cannot. `Wtf8Buf` stores code points in generalised UTF-8: valid
//! UTF-8, except that a surrogate code point is encoded in its three-byte
//! form. Invariant: a surrogate pair is never stored as two surrogates when it
//! came from a single escape; two adjacent lone surrogates stay two code
//! points (as in CPython, `"\ud800\udc00"` has length 2).

#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Wtf8Buf {
    bytes: Vec<u8>,
}

impl Wtf8Buf {
    pub fn new() -> Wtf8Buf {
        Wtf8Buf { bytes: Vec::new() }
    }

    #[allow(clippy::should_implement_trait)]
    pub fn from_str(s: &str) -> Wtf8Buf {
        Wtf8Buf { bytes: s.as_bytes().to_vec() }
    }

    pub fn push_str(&mut self, s: &str) {
        self.bytes.extend_from_slice(s.as_bytes());
    }

    pub fn push_wtf8(&mut self, other: &Wtf8Buf) {
        self.bytes.extend_from_slice(&other.bytes);
    }

    /// Appends one code point (0..=0x10FFFF, surrogates allowed).
    pub fn push_code_point(&mut self, cp: u32) {
        match char::from_u32(cp) {
            Some(c) => {
                let mut buf = [0u8; 4];
                self.bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            None => {
                debug_assert!((0xD800..0xE000).contains(&cp));
                self.bytes.push(0xE0 | (cp >> 12) as u8);
                self.bytes.push(0x80 | ((cp >> 6) & 0x3F) as u8);
                self.bytes.push(0x80 | (cp & 0x3F) as u8);
            }
        }
    }

    /// Appends generalised UTF-8 taken from another `Wtf8Buf` (or valid
    /// UTF-8) at code-point boundaries: `bytes` must hold whole code points.
    pub fn push_wtf8_bytes(&mut self, bytes: &[u8]) {
        debug_assert!(bytes.first().is_none_or(|&b| b & 0xC0 != 0x80));
        self.bytes.extend_from_slice(bytes);
    }

    pub fn with_capacity(n: usize) -> Wtf8Buf {
        Wtf8Buf { bytes: Vec::with_capacity(n) }
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Takes generalised UTF-8 bytes (as [`Wtf8Buf::as_bytes`] gives them),
    /// or `None` when they are not well formed: each code point in its
    /// shortest form, surrogates (0xD800..0xDFFF) in their three-byte form.
    pub fn from_wtf8_bytes(bytes: Vec<u8>) -> Option<Wtf8Buf> {
        if std::str::from_utf8(&bytes).is_ok() {
            return Some(Wtf8Buf { bytes });
        }
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let (len, min) = match b {
                0x00..=0x7F => (1, 0),
                0xC2..=0xDF => (2, 0x80),
                0xE0..=0xEF => (3, 0x800),
                0xF0..=0xF4 => (4, 0x10000),
                _ => return None,
            };
            let seq = bytes.get(i..i + len)?;
            let mut cp = if len == 1 { b as u32 } else { (b as u32) & (0x7F >> len) };
            for &c in &seq[1..] {
                if c & 0xC0 != 0x80 {
                    return None;
                }
                cp = (cp << 6) | (c as u32 & 0x3F);
            }
            if cp < min || cp > 0x10FFFF {
                return None;
            }
            i += len;
        }
        Some(Wtf8Buf { bytes })
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The contents as `&str` when there is no lone surrogate.
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.bytes).ok()
    }

    pub fn code_points(&self) -> CodePoints<'_> {
        CodePoints { bytes: &self.bytes, pos: 0 }
    }
}

impl std::fmt::Debug for Wtf8Buf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(&self.bytes))
    }
}

/// Iterates the code points of a [`Wtf8Buf`].
pub struct CodePoints<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Iterator for CodePoints<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        let b = self.bytes;
        let i = self.pos;
        let first = *b.get(i)? as u32;
        let (cp, len) = if first < 0x80 {
            (first, 1)
        } else if first < 0xE0 {
            (((first & 0x1F) << 6) | (b[i + 1] as u32 & 0x3F), 2)
        } else if first < 0xF0 {
            (((first & 0x0F) << 12) | ((b[i + 1] as u32 & 0x3F) << 6) | (b[i + 2] as u32 & 0x3F), 3)
        } else {
            (((first & 0x07) << 18) | ((b[i + 1] as u32 & 0x3F) << 12) | ((b[i + 2] as u32 & 0x3F) << 6) | (b[i + 3] as u32 & 0x3F), 4)
        };
        self.pos += len;
        Some(cp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surrogates_round_trip() {
        let mut s = Wtf8Buf::from_str("a\u{e9}");
        s.push_code_point(0xDC80);
        s.push_code_point(0x1F600);
        assert_eq!(s.code_points().collect::<Vec<_>>(), vec![0x61, 0xE9, 0xDC80, 0x1F600]);
        assert!(s.as_str().is_none());
    }

    #[test]
    fn from_wtf8_bytes_checks_form() {
        let mut s = Wtf8Buf::from_str("a\u{e9}");
        s.push_code_point(0xD800);
        s.push_code_point(0xDC00);
        s.push_code_point(0x1F600);
        assert_eq!(Wtf8Buf::from_wtf8_bytes(s.as_bytes().to_vec()), Some(s.clone()));
        for bad in [&[0xFFu8][..], &[0xC0, 0x80], &[0xE0, 0x80, 0x80], &[0xE1, 0x80], &[0xF4, 0x90, 0x80, 0x80], &[0x80]] {
            assert_eq!(Wtf8Buf::from_wtf8_bytes(bad.to_vec()), None, "{bad:?}");
        }
    }
}
