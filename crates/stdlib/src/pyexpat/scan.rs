//! The tokenizer: pure functions over a slice of decoded characters that
//! recognise one token at index `i`. `Err(More)` means the token runs past
//! the end of the slice (the caller waits for more input, or reports an
//! unclosed token at the end of the input); `Err(Bad(code, at))` is a
//! well-formedness error at index `at`.

use super::chars::{is_name_char, is_name_start, is_space, is_xml_char};

pub const INVALID_TOKEN: u32 = 4;
pub const BAD_CHAR_REF: u32 = 14;
pub const XML_DECL: u32 = 30;
pub const SYNTAX: u32 = 2;

#[derive(Debug, PartialEq)]
pub enum SErr {
    More,
    Bad(u32, usize),
}

pub type S<T> = Result<T, SErr>;

pub fn at(s: &[char], i: usize) -> S<char> {
    s.get(i).copied().ok_or(SErr::More)
}

/// Whether `s[i..]` starts with `lit`; `More` if the slice ends before
/// the comparison is decided.
pub fn starts(s: &[char], i: usize, lit: &str) -> S<bool> {
    for (k, c) in lit.chars().enumerate() {
        match s.get(i + k) {
            None => return Err(SErr::More),
            Some(&d) if d != c => return Ok(false),
            _ => {}
        }
    }
    Ok(true)
}

pub fn skip_space(s: &[char], mut i: usize) -> S<usize> {
    while is_space(at(s, i)?) {
        i += 1;
    }
    Ok(i)
}

/// A name at `i`; the end index.
pub fn name(s: &[char], i: usize) -> S<(String, usize)> {
    let c = at(s, i)?;
    if !is_name_start(c) {
        return Err(SErr::Bad(INVALID_TOKEN, i));
    }
    let mut j = i + 1;
    while is_name_char(at(s, j)?) {
        j += 1;
    }
    Ok((s[i..j].iter().collect(), j))
}

/// One attribute as written: its name, raw value (between the quotes)
/// and where both start.
#[derive(Debug)]
pub struct RawAttr {
    pub name: String,
    pub name_at: usize,
    pub value: Vec<char>,
    pub value_at: usize,
}

#[derive(Debug)]
pub enum Tok {
    Start {
        name: String,
        attrs: Vec<RawAttr>,
        empty: bool,
    },
    End {
        name: String,
        name_at: usize,
    },
    Text(String),
    Newline,
    CharRef(char),
    EntRef(String),
    Comment(String),
    Pi(String, String),
    /// `<?xml ...?>`: the XML declaration (or a misplaced one).
    XmlDecl(Vec<(String, usize, String, usize)>),
    CdataStart,
    /// `<!DOCTYPE`: the caller parses the rest.
    Doctype,
}

/// A quoted literal at `i`: its characters and the index after the
/// closing quote.
pub fn quoted(s: &[char], i: usize) -> S<(Vec<char>, usize)> {
    let q = at(s, i)?;
    if q != '"' && q != '\'' {
        return Err(SErr::Bad(INVALID_TOKEN, i));
    }
    let mut j = i + 1;
    loop {
        let c = at(s, j)?;
        if c == q {
            return Ok((s[i + 1..j].to_vec(), j + 1));
        }
        if !is_xml_char(c) {
            return Err(SErr::Bad(INVALID_TOKEN, j));
        }
        j += 1;
    }
}

/// A start tag after its `<` at `i - 1`.
fn start_tag(s: &[char], i: usize) -> S<(Tok, usize)> {
    let (name, mut j) = name(s, i)?;
    let mut attrs = Vec::new();
    loop {
        let k = skip_space(s, j)?;
        let c = at(s, k)?;
        if c == '>' {
            return Ok((Tok::Start { name, attrs, empty: false }, k + 1));
        }
        if c == '/' {
            if at(s, k + 1)? == '>' {
                return Ok((Tok::Start { name, attrs, empty: true }, k + 2));
            }
            return Err(SErr::Bad(INVALID_TOKEN, k + 1));
        }
        if k == j || !is_name_start(c) {
            return Err(SErr::Bad(INVALID_TOKEN, k));
        }
        let (an, e) = self::name(s, k)?;
        let e2 = skip_space(s, e)?;
        if at(s, e2)? != '=' {
            return Err(SErr::Bad(INVALID_TOKEN, e2));
        }
        let v = skip_space(s, e2 + 1)?;
        let q = at(s, v)?;
        if q != '"' && q != '\'' {
            return Err(SErr::Bad(INVALID_TOKEN, v));
        }
        let mut w = v + 1;
        loop {
            let c = at(s, w)?;
            if c == q {
                break;
            }
            if c == '<' || !is_xml_char(c) {
                return Err(SErr::Bad(INVALID_TOKEN, w));
            }
            if c == '&' {
                // The reference must be well formed; it is expanded later.
                w = ref_end(s, w)?;
                continue;
            }
            w += 1;
        }
        attrs.push(RawAttr { name: an, name_at: k, value: s[v + 1..w].to_vec(), value_at: v + 1 });
        j = w + 1;
    }
}

/// The end of a reference (`&name;`, `&#N;`, `&#xN;`) at `i`, checking
/// its syntax (not the character number).
fn ref_end(s: &[char], i: usize) -> S<usize> {
    if at(s, i + 1)? == '#' {
        let (_, e) = char_ref(s, i)?;
        return Ok(e);
    }
    let (_, e) = name(s, i + 1)?;
    if at(s, e)? != ';' {
        return Err(SErr::Bad(INVALID_TOKEN, e));
    }
    Ok(e + 1)
}

/// A character reference `&#...;` at `i`.
pub fn char_ref(s: &[char], i: usize) -> S<(char, usize)> {
    let mut j = i + 2;
    let hex = at(s, j)? == 'x';
    if hex {
        j += 1;
    }
    let digits = j;
    let mut v: u32 = 0;
    loop {
        let c = at(s, j)?;
        if c == ';' && j > digits {
            break;
        }
        let d = if hex { c.to_digit(16) } else { c.to_digit(10) };
        match d {
            Some(d) => v = v.saturating_mul(if hex { 16 } else { 10 }).saturating_add(d),
            None => return Err(SErr::Bad(INVALID_TOKEN, j)),
        }
        j += 1;
    }
    match char::from_u32(v) {
        Some(c) if is_xml_char(c) => Ok((c, j + 1)),
        _ => Err(SErr::Bad(BAD_CHAR_REF, i)),
    }
}

/// A reference in content at `i`.
fn reference(s: &[char], i: usize) -> S<(Tok, usize)> {
    if at(s, i + 1)? == '#' {
        let (c, e) = char_ref(s, i)?;
        return Ok((Tok::CharRef(c), e));
    }
    let (n, e) = name(s, i + 1)?;
    if at(s, e)? != ';' {
        return Err(SErr::Bad(INVALID_TOKEN, e));
    }
    Ok((Tok::EntRef(n), e + 1))
}

/// `<!--` at `i`.
fn comment(s: &[char], i: usize) -> S<(Tok, usize)> {
    let mut j = i + 4;
    loop {
        let c = at(s, j)?;
        if c == '-' && at(s, j + 1)? == '-' {
            if at(s, j + 2)? == '>' {
                return Ok((Tok::Comment(s[i + 4..j].iter().collect()), j + 3));
            }
            return Err(SErr::Bad(INVALID_TOKEN, j + 2));
        }
        if !is_xml_char(c) {
            return Err(SErr::Bad(INVALID_TOKEN, j));
        }
        j += 1;
    }
}

/// `<?` at `i`: a processing instruction or the XML declaration.
fn pi(s: &[char], i: usize) -> S<(Tok, usize)> {
    let (target, j) = name(s, i + 2)?;
    let c = at(s, j)?;
    if target == "xml" && is_space(c) {
        return xml_decl(s, j);
    }
    if c == '?' {
        if at(s, j + 1)? == '>' {
            return Ok((Tok::Pi(target, String::new()), j + 2));
        }
        return Err(SErr::Bad(INVALID_TOKEN, j + 1));
    }
    if !is_space(c) {
        return Err(SErr::Bad(INVALID_TOKEN, j));
    }
    let d = skip_space(s, j)?;
    let mut k = d;
    loop {
        let c = at(s, k)?;
        if c == '?' && at(s, k + 1)? == '>' {
            return Ok((Tok::Pi(target, s[d..k].iter().collect()), k + 2));
        }
        if !is_xml_char(c) {
            return Err(SErr::Bad(INVALID_TOKEN, k));
        }
        k += 1;
    }
}

/// The pseudo-attributes of `<?xml` (from the space after `xml`).
fn xml_decl(s: &[char], mut j: usize) -> S<(Tok, usize)> {
    let mut attrs = Vec::new();
    loop {
        let k = skip_space(s, j)?;
        if at(s, k)? == '?' {
            if at(s, k + 1)? == '>' {
                return Ok((Tok::XmlDecl(attrs), k + 2));
            }
            return Err(SErr::Bad(XML_DECL, k));
        }
        if k == j {
            return Err(SErr::Bad(XML_DECL, k));
        }
        let (n, e) = match name(s, k) {
            Err(SErr::Bad(_, at)) => return Err(SErr::Bad(XML_DECL, at)),
            r => r?,
        };
        let e2 = skip_space(s, e)?;
        if at(s, e2)? != '=' {
            return Err(SErr::Bad(XML_DECL, e2));
        }
        let v = skip_space(s, e2 + 1)?;
        let (val, end) = match quoted(s, v) {
            Err(SErr::Bad(_, at)) => return Err(SErr::Bad(XML_DECL, at)),
            r => r?,
        };
        attrs.push((n, k, val.iter().collect(), v + 1));
        j = end;
    }
}

/// One token of content (or of the prolog and epilog, which use the
/// markup ones) at `i`.
pub fn content_token(s: &[char], i: usize, fin: bool) -> S<(Tok, usize)> {
    let c = at(s, i)?;
    match c {
        '<' => match at(s, i + 1)? {
            '/' => {
                let (n, e) = name(s, i + 2)?;
                let k = skip_space(s, e)?;
                if at(s, k)? != '>' {
                    return Err(SErr::Bad(INVALID_TOKEN, k));
                }
                Ok((Tok::End { name: n, name_at: i + 2 }, k + 1))
            }
            '?' => pi(s, i),
            '!' => {
                if starts(s, i, "<!--")? {
                    comment(s, i)
                } else if starts(s, i, "<![CDATA[")? {
                    Ok((Tok::CdataStart, i + 9))
                } else if starts(s, i, "<!DOCTYPE")? {
                    Ok((Tok::Doctype, i + 9))
                } else {
                    Err(SErr::Bad(INVALID_TOKEN, i + 2))
                }
            }
            _ => start_tag(s, i + 1),
        },
        '&' => reference(s, i),
        '\n' => Ok((Tok::Newline, i + 1)),
        '\r' => match s.get(i + 1) {
            Some('\n') => Ok((Tok::Newline, i + 2)),
            None if !fin => Err(SErr::More),
            _ => Ok((Tok::Newline, i + 1)),
        },
        _ => {
            let mut j = i;
            while j < s.len() {
                let c = s[j];
                match c {
                    '<' | '&' | '\n' | '\r' => break,
                    ']' => {
                        if s.get(j + 1) == Some(&']') && s.get(j + 2) == Some(&'>') {
                            if j == i {
                                return Err(SErr::Bad(INVALID_TOKEN, j + 2));
                            }
                            break;
                        }
                        if !fin && s[j..].iter().all(|&c| c == ']') {
                            break;
                        }
                    }
                    _ if !is_xml_char(c) => {
                        if j == i {
                            return Err(SErr::Bad(INVALID_TOKEN, j));
                        }
                        break;
                    }
                    _ => {}
                }
                j += 1;
            }
            if j == i {
                return Err(SErr::More);
            }
            Ok((Tok::Text(s[i..j].iter().collect()), j))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cs(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn start_tags() {
        let s = cs("<a x='1' y=\"&amp;2\"/>rest");
        let (t, e) = content_token(&s, 0, false).unwrap();
        assert_eq!(e, 21);
        match t {
            Tok::Start { name, attrs, empty } => {
                assert_eq!((name.as_str(), empty, attrs.len()), ("a", true, 2));
                assert_eq!(attrs[1].value.iter().collect::<String>(), "&amp;2");
            }
            _ => panic!("not a start tag"),
        }
        assert_eq!(content_token(&cs("<a x='1"), 0, false).unwrap_err(), SErr::More);
        assert_eq!(content_token(&cs("<a x=1/>"), 0, false).unwrap_err(), SErr::Bad(INVALID_TOKEN, 5));
    }

    #[test]
    fn text_and_refs() {
        let s = cs("ab]]>");
        assert!(matches!(content_token(&s, 0, true), Ok((Tok::Text(_), 2))));
        assert_eq!(content_token(&s, 2, true).unwrap_err(), SErr::Bad(INVALID_TOKEN, 4));
        assert!(matches!(content_token(&cs("&#x41;"), 0, true), Ok((Tok::CharRef('A'), 6))));
        assert_eq!(content_token(&cs("&#0;"), 0, true).unwrap_err(), SErr::Bad(BAD_CHAR_REF, 0));
        assert!(matches!(content_token(&cs("\r"), 0, false), Err(SErr::More)));
    }

    #[test]
    fn comments() {
        assert_eq!(content_token(&cs("<!-- x -- y -->"), 0, true).unwrap_err(), SErr::Bad(INVALID_TOKEN, 9));
        assert!(matches!(content_token(&cs("<!--x-->"), 0, true), Ok((Tok::Comment(_), 8))));
    }
}
