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

/// Shortest round-trip digits of `a` (finite, non-negative) in `{:e}` form,
/// choosing among equally short candidates the one nearest the exact value,
/// ties to even, as CPython's `dtoa` mode 0 does. Rust's shortest formatting
/// can pick the other neighbour on exact ties; its fixed-precision
/// formatting rounds the exact value correctly.
fn shortest_sci(a: f64) -> String {
    let shortest = format!("{a:e}");
    let mant = shortest.split_once('e').map_or(shortest.as_str(), |(m, _)| m);
    let n = mant.chars().filter(|c| c.is_ascii_digit()).count();
    let nearest = format!("{:.*e}", n.saturating_sub(1), a);
    if nearest.parse::<f64>().ok() == Some(a) {
        nearest
    } else {
        shortest
    }
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
    let sci = shortest_sci(a);
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
            // Exact ties between two shortest candidates: CPython picks even.
            (954412556931742.0 + 0.25, "954412556931742.2"),
            (274856130708447.0 + 0.125, "274856130708447.12"),
            (14098945350216.0 + 0.3125, "14098945350216.312"),
        ];
        for &(f, want) in cases {
            assert_eq!(repr_float(f), want, "{f:?}");
        }
    }

    // Random bit patterns and powers of ten, repr'd by CPython 3.11.7.
    #[test]
    fn floats_from_bits() {
        let cases: &[(u64, &str)] = &[
            (0xDDA1494C73CF256D, "-1.0539756485530688e+143"),
            (0xDB5B5FAB8F4D3E27, "-1.2143721666352482e+132"),
            (0xC7FDE805EC99108D, "-6.360375184993316e+38"),
            (0x73AB48767734D7C1, "1.526087629730313e+249"),
            (0xDAE445508201E2BD, "-7.02551513787579e+129"),
            (0x309D6B79965EDA32, "1.6260771785726701e-74"),
            (0xCDCC69292F45E678, "-5.984009685093657e+66"),
            (0x79CB9E86830C71C2, "4.8959585264576934e+278"),
            (0x9D2C67EDA13FFE79, "-3.7634144828029947e-168"),
            (0x2FA91425CB008853, "4.2301541954837196e-79"),
            (0x7253EDC618187993, "5.315422088462547e+242"),
            (0x244CAF9C4DABB481, "7.893354548061464e-134"),
            (0x89E7D15F17362F25, "-6.0511296129096725e-261"),
            (0xE3EFF9C0CF44DD3F, "-2.471417988383651e+173"),
            (0xA26B7F62B1852F27, "-7.046717376279707e-143"),
            (0x986E86CB0AB8AB67, "-5.352667702512672e-191"),
            (0x656ABD72FB710734, "3.467443581611296e+180"),
            (0x73F778AAF6FA5DB8, "4.201212419249933e+250"),
            (0xBD299753A7677796, "-4.545896140860994e-14"),
            (0xA66B0D389D95847E, "-1.278808376866442e-123"),
            (0x9F8558A628518867, "-7.773821756658801e-157"),
            (0xD4EA65D003D71684, "-1.1547680013076696e+101"),
            (0x102B938B8743FEB6, "8.88116792998917e-231"),
            (0x09208A650F3EBDD3, "1.0259476444142278e-264"),
            (0xE12B2B8F30B17D0B, "-1.1937126864956989e+160"),
            (0x998092253DEFFA38, "-7.616900394922395e-186"),
            (0xC7321CC007B37E14, "-9.404446511312006e+34"),
            (0x5387F61376C468AE, "2.4990667113411633e+94"),
            (0x97491E2370C6A5B8, "-1.6800925191972358e-196"),
            (0x320094EAD7A94DED, "7.688121853400444e-68"),
            (0x3BD0334684E55160, "1.3722183439346506e-20"),
            (0x4B4D8474A3EA284D, "5.654411402250841e+54"),
            (0x012D0EA67FF12229, "5.2964948879303666e-303"),
            (0x15C1D2DFA9964AEF, "7.106101800028059e-204"),
            (0xA7A1149075139237, "-8.466578551422606e-118"),
            (0x6822A6B24735AF1C, "4.254739997646274e+193"),
            (0x8D1FE1DAFF666589, "-1.82394811931708e-245"),
            (0xEE82EC3FFEE5A5B2, "-2.1888367315112703e+224"),
            (0x154CD2AAD7185DDA, "4.48880712297644e-206"),
            (0x4105CCA7B53302FC, "178580.96347620327"),
            (0xC20BA2C250B601FC, "-14836845078.750969"),
            (0x834C687A3ACB6266, "-8.89603834440535e-293"),
            (0x079DD25A49FE85B0, "5.512596216870721e-272"),
            (0x902A174F11FA2AC0, "-8.402816815872519e-231"),
            (0x1BA1192EC42B7170, "1.3502284154461823e-175"),
            (0x1B98FBE466809A11, "9.864696090544821e-176"),
            (0x4A789CB3D8B9B45C, "5.755304411044234e+50"),
            (0x111B8AAA62F28D1A, "2.906520696062733e-226"),
            (0x0452EF05F542441D, "7.771400548145935e-288"),
            (0xAF5570EED8E94B15, "-1.1301839483341071e-80"),
            (0x36A80BDF0023B682, "2.1060089631924535e-45"),
            (0xED52A24135B00A54, "-4.111104105007642e+218"),
            (0x0D650372E90794DF, "3.846903957475949e-244"),
            (0x601E5B4578511608, "1.0175362681840425e+155"),
            (0xB57A6A1DFAF8CDA9, "-4.4124872996083094e-51"),
            (0x6B77730F65BD9ACB, "4.818254424152078e+209"),
            (0x90F5380E12B2A414, "-5.59818787271577e-227"),
            (0x32D03FDDA123F501, "6.171919835623171e-64"),
            (0xACC6D8F2C74C7CCF, "-5.476576641333704e-93"),
            (0x563E9BED45100358, "2.8080761486268174e+107"),
            (0x4FAB6F3E164F1513, "6.204497722829631e+75"),
            (0x03E0D681552454F1, "5.399361342713712e-290"),
            (0x68F918D8F6CDB2F8, "4.690077642987989e+197"),
            (0xEC3FBF4DC20EF164, "-2.671920137368832e+213"),
            (0x2274EA181E34B3F1, "1.0719341509670623e-142"),
            (0xB4FF00AE3F1347DE, "-2.0230178791490352e-53"),
            (0x02CDF2AF19DE2BC1, "3.6633790673883503e-295"),
            (0x77064C2C0F552C94, "2.246794185000636e+265"),
            (0x7CA07386CC099A1E, "2.052132435276533e+292"),
            (0xAE9CA08B2D7C5048, "-3.6839941944551377e-84"),
            (0x303A07B28F2DF760, "2.2480005775930857e-76"),
            (0x82450164728A6FCF, "-1.0037049327814946e-297"),
            (0xFC3B66FA30D0B194, "-2.6704358063702368e+290"),
            (0xC4FF64DEBB5D6B48, "-2.372065358411878e+24"),
            (0x6B52B08D21870F0B, "9.60059739237528e+208"),
            (0x623D8EB7A4CA83B2, "1.7021004551247649e+165"),
            (0x65151C401DD377BF, "8.554466782229772e+178"),
            (0xFD7410696BB6A3DE, "-2.050291543292753e+296"),
            (0x001EDC8E367E5D6D, "4.2918260627505524e-308"),
            (0xDD44FD3645114889, "-1.999594777184923e+141"),
            (0xF9903B72F88ECE64, "-3.596781218505223e+277"),
            (0x97BDD982CDAC6046, "-2.5556541660417015e-194"),
            (0xFF769E374DDC74C8, "-9.926826104895675e+305"),
            (0x050684BFE286852C, "1.8929301343429817e-284"),
            (0x2FF3600735F11AF2, "1.0457919747758503e-77"),
            (0xFEEF16E964EF2EBE, "-2.665013245785095e+303"),
            (0x9A1DE24EDAB871D5, "-7.033015931467466e-183"),
            (0x93B3A3D9A44F576A, "-9.115603964113715e-214"),
            (0x0AC793F519AF685D, "9.814313116910558e-257"),
            (0x2577C1ECFD42E044, "3.427385883019569e-128"),
            (0x7108E02236971E1B, "3.163725663615856e+236"),
            (0x027385C9421E7A60, "7.462803201584231e-297"),
            (0x9C3ECB54C5CEFDD8, "-1.2450657943859326e-172"),
            (0xD48DD9F354366C21, "-2.0403884006401313e+99"),
            (0x62DC08D64BDBF090, "1.6531441360879889e+168"),
            (0x1304145212CA3F70, "4.550544609882556e-217"),
            (0x356F8BD11711EB57, "2.634858158773902e-51"),
            (0xA2F7647A952E1B8B, "-3.069294655753937e-140"),
            (0x03F8670D3E361858, "1.5650179277057452e-289"),
            (0x5E617F8E99EDBCE7, "4.370015838755655e+146"),
            (0x9F452C075F27FF08, "-4.81896657125812e-158"),
            (0x20918FA774057241, "8.382530048134057e-152"),
            (0x965768E0F589D99A, "-4.77857526286792e-201"),
            (0xD5157E9D7BD55EE6, "-7.522249387832486e+101"),
            (0x22BFB8E0931719FD, "2.6013873678573284e-141"),
            (0x62D74145DDD4A054, "1.3713029962237035e+168"),
            (0xA0931ED42ECDCC0A, "-9.126825325860168e-152"),
            (0x4F91540C27756991, "1.95945436602899e+75"),
            (0x3A775505E88E752F, "4.711884393621409e-27"),
            (0x9C461CB5D15B77F2, "-1.7880656148849774e-172"),
            (0xB9B338EB3FDF2348, "-9.477345146907405e-31"),
            (0x2891DD3C3096C6C8, "2.9016511834537835e-113"),
            (0xA104A795BD4AEAB0, "-1.261971519223374e-149"),
            (0x8DCE6F52F0BE600D, "-3.5658641838890846e-242"),
            (0xAFDD87333253B562, "-3.984529127601709e-78"),
            (0x6361B9F8F33C1A7F, "5.351917985767459e+170"),
            (0x7B862EACE1D7300F, "1.0555357775202995e+287"),
            (0x14186EBF9A8137E9, "7.257598590133459e-212"),
            (0x0C2282666BE49EE7, "3.2315090305308215e-250"),
            (0x1BEA85931A953CCA, "3.3510053402371645e-174"),
            (0x3DFA978E27AE854F, "3.8696471693782655e-10"),
            (0x3E45798EE2308C3A, "1e-08"),
            (0x3E79D77F39A075CC, "9.626815114556152e-08"),
            (0x3E7AD7F29ABCAF48, "1e-07"),
            (0x3E8FFF9BD80C8B54, "2.3840719267598275e-07"),
            (0x3EB0C6F7A0B5ED8D, "1e-06"),
            (0x3EDD8D5D4620F1C9, "7.04579460558377e-06"),
            (0x3EE4F8B588E368F1, "1e-05"),
            (0x3EFAF24AB8EBA68E, "2.5698139832031198e-05"),
            (0x3F1A36E2EB1C432D, "0.0001"),
            (0x3F4AFDD89B4216BB, "0.0008237178467573528"),
            (0x3F50624DD2F1A9FC, "0.001"),
            (0x3F786E670CC100BC, "0.005964663065299355"),
            (0x3F847AE147AE147B, "0.01"),
            (0x3F9E0C3B46A82DDD, "0.029343534648473713"),
            (0x3FB999999999999A, "0.1"),
            (0x3FC67499FEDE26C0, "0.17543339676585923"),
            (0x3FF0000000000000, "1.0"),
            (0x401CD06B06E2C9C2, "7.203533275215195"),
            (0x4024000000000000, "10.0"),
            (0x401B82ACD451EC16, "6.877612416744361"),
            (0x4059000000000000, "100.0"),
            (0x406C8CAECB9D331A, "228.39633732512522"),
            (0x408F400000000000, "1000.0"),
            (0x40B5D9A9D66EE26E, "5593.66342824009"),
            (0x40C3880000000000, "10000.0"),
            (0x40F4CF7FCCF0A61C, "85239.98753418814"),
            (0x40F86A0000000000, "100000.0"),
            (0x4122BF3E080D1705, "614303.0157248682"),
            (0x412E848000000000, "1000000.0"),
            (0x41456108F67D9E27, "2802193.9257085505"),
            (0x416312D000000000, "10000000.0"),
            (0x4195DF1F4765A3C3, "91736017.84925751"),
            (0x4197D78400000000, "100000000.0"),
            (0x41A850F0FEBD4746, "203978879.3696844"),
            (0x41CDCD6500000000, "1000000000.0"),
            (0x41A3C239B595462D, "165747930.79155102"),
            (0x4202A05F20000000, "10000000000.0"),
            (0x42191215588B8952, "26919392802.8841"),
            (0x42374876E8000000, "100000000000.0"),
            (0x4259F187A0DB8A33, "445705519982.15936"),
            (0x426D1A94A2000000, "1000000000000.0"),
            (0x4261984A99DBAF82, "604555759325.4846"),
            (0x42A2309CE5400000, "10000000000000.0"),
            (0x42B007BA5DFD01B7, "17625377537281.715"),
            (0x42D6BCC41E900000, "100000000000000.0"),
            (0x42F4F6888FFD8A6B, "368785370372262.7"),
            (0x430C6BF526340000, "1000000000000000.0"),
            (0x433453D9C008D6D7, "5721694229026519.0"),
            (0x4341C37937E08000, "1e+16"),
            (0x43475F7F951A5BED, "1.3157852062726106e+16"),
            (0x4376345785D8A000, "1e+17"),
            (0x43941A6467B8CD8D, "3.621451566994809e+17"),
            (0x43ABC16D674EC800, "1e+18"),
            (0x43DEE9238C00A386, "8.909402299698125e+18"),
            (0x43E158E460913D00, "1e+19"),
        ];
        for &(bits, want) in cases {
            assert_eq!(repr_float(f64::from_bits(bits)), want, "{bits:x}");
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
        assert_eq!(repr_constant(&Constant::Tuple(Box::new([]))), "()");
        assert_eq!(repr_constant(&Constant::Tuple(Box::new([Constant::Int(IntValue::Small(1))]))), "(1,)");
        assert_eq!(
            repr_constant(&Constant::Tuple(Box::new([
                Constant::Int(IntValue::Small(1)),
                Constant::Str(Box::new(Wtf8Buf::from_str("a"))),
                Constant::Bytes(b"b".to_vec().into_boxed_slice()),
                Constant::Float(2.0),
                Constant::Complex { real: 0.0, imag: 3.0 },
            ]))),
            "(1, 'a', b'b', 2.0, 3j)"
        );
    }
}
