//! `Decimal.__format__`: the format-spec mini-language as the C module
//! (libmpdec's `mpd_qformat_spec` plus 3.11's `z` option) accepts it:
//! `[[fill]align][sign][z][0][width][,][.precision][type]` with types
//! `eEfFgGn%` (no `#`, no `_`), rounding with the context's rounding mode,
//! and a locale (or the override dict) giving the decimal point, the
//! thousands separator and the C-style grouping string.

use super::number::{self, Dec, Rounding};

/// Why a spec is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum SpecError {
    /// "invalid format string"
    Invalid,
    /// "format specification exceeds internal limits of _decimal"
    Limits,
}

#[derive(Debug, Default)]
pub struct Spec {
    pub fill: Option<char>,
    pub align: Option<char>,
    pub zeropad: bool,
    pub sign: Option<char>,
    pub no_neg_0: bool,
    pub width: usize,
    pub thousands: bool,
    pub precision: Option<usize>,
    pub ty: Option<char>,
}

fn is_align(c: char) -> bool {
    matches!(c, '<' | '>' | '=' | '^')
}

fn number(chars: &[char], i: &mut usize) -> Result<Option<usize>, SpecError> {
    let start = *i;
    while *i < chars.len() && chars[*i].is_ascii_digit() {
        *i += 1;
    }
    if start == *i {
        return Ok(None);
    }
    let s: String = chars[start..*i].iter().collect();
    match s.parse::<u64>() {
        Ok(v) if v < i64::MAX as u64 => Ok(Some(v as usize)),
        _ => Err(SpecError::Limits),
    }
}

/// Parses a format spec.
pub fn parse_spec(s: &str) -> Result<Spec, SpecError> {
    let mut chars: Vec<char> = s.chars().collect();
    let mut spec = Spec::default();
    // 3.11's `z`: right after [[fill]align][sign] (or before the sign).
    let mut p = 0;
    if chars.len() >= 2 && is_align(chars[1]) {
        p = 2;
    } else if !chars.is_empty() && is_align(chars[0]) {
        p = 1;
    }
    if p < chars.len() && matches!(chars[p], '+' | '-' | ' ') {
        p += 1;
    }
    if p < chars.len() && chars[p] == 'z' {
        spec.no_neg_0 = true;
        chars.remove(p);
    }
    let mut i = 0;
    if chars.len() >= 2 && is_align(chars[1]) {
        spec.fill = Some(chars[0]);
        spec.align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && is_align(chars[0]) {
        spec.align = Some(chars[0]);
        i = 1;
    }
    if i < chars.len() && matches!(chars[i], '+' | '-' | ' ') {
        spec.sign = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() && chars[i] == '0' {
        if spec.fill.is_some() || spec.align.is_some() {
            return Err(SpecError::Invalid);
        }
        spec.zeropad = true;
        spec.fill = Some('0');
        spec.align = Some('=');
        i += 1;
    }
    if let Some(w) = number(&chars, &mut i)? {
        spec.width = w;
    }
    if i < chars.len() && chars[i] == ',' {
        spec.thousands = true;
        i += 1;
    }
    if i < chars.len() && chars[i] == '.' {
        i += 1;
        match number(&chars, &mut i)? {
            Some(p) => spec.precision = Some(p),
            None => return Err(SpecError::Invalid),
        }
    }
    if i < chars.len() {
        let t = chars[i];
        if !matches!(t, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%') {
            return Err(SpecError::Invalid);
        }
        spec.ty = Some(t);
        i += 1;
    }
    if i != chars.len() || (spec.thousands && spec.ty == Some('n')) {
        return Err(SpecError::Invalid);
    }
    Ok(spec)
}

/// Decimal point, thousands separator and grouping (C style: each char a
/// group length, 0 or the end repeats the last, CHAR_MAX stops).
pub struct Locale {
    pub point: String,
    pub sep: String,
    pub grouping: Vec<u32>,
}

impl Locale {
    pub fn plain(thousands: bool) -> Locale {
        Locale {
            point: ".".into(),
            sep: if thousands { ",".into() } else { String::new() },
            grouping: if thousands { vec![3] } else { vec![] },
        }
    }
}

/// Inserts separators into the digit string `digits`, zero-padding it to
/// at least `min_width` characters (the zero flag).
fn group(digits: &str, loc: &Locale, mut min_width: isize) -> String {
    let mut digits: Vec<char> = digits.chars().collect();
    let sep_len = loc.sep.chars().count() as isize;
    let mut groups: Vec<String> = Vec::new();
    let mut gi = 0usize;
    let mut last: Option<u32> = None;
    let pad_take = |digits: &mut Vec<char>, l: usize| -> String {
        let take = l.min(digits.len());
        let tail: String = digits[digits.len() - take..].iter().collect();
        digits.truncate(digits.len() - take);
        format!("{}{}", "0".repeat(l - take), tail)
    };
    loop {
        // The next group length, or None: the rest is one group.
        let g = if loc.sep.is_empty() && loc.grouping.is_empty() {
            None
        } else {
            match loc.grouping.get(gi) {
                Some(0) | None => last,
                Some(127) => None,
                Some(&v) => {
                    gi += 1;
                    last = Some(v);
                    Some(v)
                }
            }
        };
        match g {
            Some(l) if l > 0 => {
                let l = (l as usize).min((digits.len() as isize).max(min_width).max(1) as usize);
                groups.push(pad_take(&mut digits, l));
                min_width -= l as isize;
                if digits.is_empty() && min_width <= 0 {
                    break;
                }
                min_width -= sep_len;
            }
            _ => {
                let l = (digits.len() as isize).max(min_width).max(1) as usize;
                groups.push(pad_take(&mut digits, l));
                break;
            }
        }
    }
    groups.reverse();
    groups.join(&loc.sep)
}

/// Rounds to `places` significant digits (finite, nonzero).
fn round_sig(d: &Dec, places: i64, rounding: Rounding) -> Dec {
    if d.is_special() || d.is_zero() {
        return d.clone();
    }
    let adj = d.adjusted();
    let r = d.rescale(adj + 1 - places, rounding);
    if r.adjusted() != adj {
        let a2 = r.adjusted();
        return r.rescale(a2 + 1 - places, rounding);
    }
    r
}

/// Formats `d` by `spec`; `capitals` is the context's, `rounding` its
/// rounding mode.
pub fn format(d: &Dec, spec: &Spec, loc: &Locale, capitals: bool, rounding: Rounding) -> String {
    let ty = spec.ty.unwrap_or(if capitals { 'G' } else { 'g' });
    let mut fill = spec.fill.unwrap_or(' ');
    let mut align = spec.align.unwrap_or('>');
    let zeropad = spec.zeropad;
    let mut neg = d.neg;
    let body;
    if d.is_special() {
        if zeropad {
            fill = ' ';
            align = '>';
        }
        let mut s = number::to_string(&d.with_sign(false), false, true);
        if ty == '%' {
            s.push('%');
        }
        body = s;
    } else {
        let mut x = d.clone();
        if ty == '%' {
            x.exp += 2;
        }
        let ty_l = ty.to_ascii_lowercase();
        if let Some(p) = spec.precision {
            let p = p as i64;
            match ty_l {
                'e' => x = round_sig(&x, p + 1, rounding),
                'f' | '%' => x = x.rescale(-p, rounding),
                _ => {
                    let p = p.max(1);
                    if (x.ndigits() as i64) > p {
                        x = round_sig(&x, p, rounding);
                    }
                }
            }
        }
        if x.is_zero() && x.exp > 0 && matches!(ty_l, 'f' | '%') {
            x = x.rescale(0, rounding);
        }
        if x.is_zero() && spec.no_neg_0 {
            neg = false;
        }
        let int = x.coeff.to_string();
        let n = int.len() as i64;
        let leftdigits = x.exp + n;
        let dotplace = match ty_l {
            'e' => {
                if x.is_zero() && spec.precision.is_some() {
                    1 - spec.precision.unwrap_or(0) as i64
                } else {
                    1
                }
            }
            'f' | '%' => leftdigits,
            _ => {
                if x.exp <= 0 && leftdigits > -6 {
                    leftdigits
                } else {
                    1
                }
            }
        };
        let (intpart, frac) = if dotplace < 0 {
            ("0".to_string(), format!("{}{}", "0".repeat((-dotplace) as usize), int))
        } else if dotplace > n {
            (format!("{}{}", int, "0".repeat((dotplace - n) as usize)), String::new())
        } else {
            let ip = &int[..dotplace as usize];
            (if ip.is_empty() { "0".to_string() } else { ip.to_string() }, int[dotplace as usize..].to_string())
        };
        let exp = leftdigits - dotplace;
        let mut fracpart = String::new();
        if !frac.is_empty() {
            fracpart.push_str(&loc.point);
            fracpart.push_str(&frac);
        }
        if exp != 0 || ty_l == 'e' {
            let echar = if ty == 'E' || ty == 'G' { 'E' } else { 'e' };
            fracpart.push_str(&format!("{echar}{exp:+}"));
        }
        if ty == '%' {
            fracpart.push('%');
        }
        let sign_len = if neg || matches!(spec.sign, Some('+') | Some(' ')) { 1 } else { 0 };
        let min_width = if zeropad && fill == '0' { spec.width as isize - fracpart.chars().count() as isize - sign_len } else { 0 };
        body = format!("{}{}", group(&intpart, loc, min_width), fracpart);
    }
    let sign = if neg {
        "-"
    } else {
        match spec.sign {
            Some('+') => "+",
            Some(' ') => " ",
            _ => "",
        }
    };
    let len = sign.chars().count() + body.chars().count();
    let pad_n = spec.width.saturating_sub(len);
    let pad: String = std::iter::repeat_n(fill, pad_n).collect();
    match align {
        '<' => format!("{sign}{body}{pad}"),
        '=' => format!("{sign}{pad}{body}"),
        '^' => {
            let half: String = std::iter::repeat_n(fill, pad_n / 2).collect();
            let rest: String = std::iter::repeat_n(fill, pad_n - pad_n / 2).collect();
            format!("{half}{sign}{body}{rest}")
        }
        _ => format!("{pad}{sign}{body}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(v: &str, s: &str) -> String {
        let spec = parse_spec(s).unwrap();
        let loc = Locale::plain(spec.thousands);
        format(&number::parse(v).unwrap(), &spec, &loc, true, Rounding::HalfEven)
    }

    #[test]
    fn formats() {
        assert_eq!(f("-123456789", "017,.2f"), "-0,123,456,789.00");
        assert_eq!(f("-123456789", "+017,.2e"), "-00,000,001.23e+8");
        assert_eq!(f("12", "^+8"), "  +12   ");
        assert_eq!(f("0E+9", ".3e"), "0.000e+12");
        assert_eq!(f("-Inf", "010"), " -Infinity");
        assert_eq!(f("1.5", ".0%"), "150%");
        assert_eq!(f("12345.5", ".2"), "1.2E+4");
        assert_eq!(parse_spec("<010").unwrap_err(), SpecError::Invalid);
        assert_eq!(parse_spec("_").unwrap_err(), SpecError::Invalid);
        assert!(parse_spec("=z5").unwrap().no_neg_0);
    }

    #[test]
    fn grouping() {
        let crazy = Locale { point: "&".into(), sep: "-".into(), grouping: vec![1, 4, 2, 127] };
        assert_eq!(group("1234567890123", &crazy, 0), "123456-78-9012-3");
        assert_eq!(group("123456", &crazy, 13), "000-01-2345-6");
    }
}
