//! ISO 8601 parsing for `fromisoformat` (3.11's extended forms: basic
//! format, week dates, `,` fractions, `Z`) and `IsoCalendarDate`.

use taipan_vm::native::{bind, exact, MethodDef, Params};
use taipan_vm::object::Obj;
use taipan_vm::types::builtin::{new_tuple, str_data, TupleData};
use taipan_vm::types::structseq::{new_structseq, new_structseq_type, StructSeqDesc};
use taipan_vm::types::Kwargs;
use taipan_vm::{PyResult, Vm};

use super::value_error;

fn digits(s: &[u8], pos: usize, n: usize) -> Option<i64> {
    let part = s.get(pos..pos + n)?;
    let mut v = 0i64;
    for &c in part {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(v)
}

/// Where the date part of a datetime string ends (CPython's
/// `_find_isoformat_datetime_separator`).
fn separator_position(s: &[u8]) -> Option<usize> {
    let n = s.len();
    if n == 7 {
        return Some(7);
    }
    if s[4] == b'-' {
        if s[5] == b'W' {
            if n > 8 && s[8] == b'-' {
                if n == 9 {
                    return None;
                }
                if n > 10 && s[10].is_ascii_digit() {
                    return Some(8);
                }
                return Some(10);
            }
            return Some(8);
        }
        return Some(10);
    }
    if s[4] == b'W' {
        let mut idx = 7;
        while idx < n && s[idx].is_ascii_digit() {
            idx += 1;
        }
        if idx < 9 {
            return Some(idx);
        }
        return Some(if idx % 2 == 0 { 7 } else { 8 });
    }
    Some(8)
}

/// The raw `(year, month, day)` of a 7, 8 or 10 character ISO date, or
/// `(year, -week, weekday)` for week dates.
fn parse_date_raw(s: &[u8]) -> Option<(i64, i64, i64, bool)> {
    if ![7, 8, 10].contains(&s.len()) {
        return None;
    }
    let year = digits(s, 0, 4)?;
    let has_sep = s[4] == b'-';
    let mut pos = 4 + usize::from(has_sep);
    if s.get(pos) == Some(&b'W') {
        pos += 1;
        let week = digits(s, pos, 2)?;
        pos += 2;
        let mut day = 1;
        if s.len() > pos {
            if (s[pos] == b'-') != has_sep {
                return None;
            }
            pos += usize::from(has_sep);
            day = digits(s, pos, 1)?;
            pos += 1;
        }
        if pos != s.len() {
            return None;
        }
        return Some((year, week, day, true));
    }
    let month = digits(s, pos, 2)?;
    pos += 2;
    if (s.get(pos) == Some(&b'-')) != has_sep {
        return None;
    }
    pos += usize::from(has_sep);
    let day = digits(s, pos, 2)?;
    if pos + 2 != s.len() {
        return None;
    }
    Some((year, month, day, false))
}

/// A whole ISO date string as `(year, month, day)` (week dates
/// resolved), or None when malformed or the week date is invalid.
pub fn parse_date(vm: &Vm, text: &str) -> Option<(i64, i64, i64)> {
    let (y, a, b, week) = parse_date_raw(text.as_bytes())?;
    if week {
        super::iso_to_ymd(vm, y, a, b).ok()
    } else {
        Some((y, a, b))
    }
}

/// `HH[:?MM[:?SS[{.,}fff[fff]]]]`.
fn parse_hms(s: &[u8]) -> Option<[i64; 4]> {
    let mut comps = [0i64; 4];
    let mut pos = 0;
    let mut has_sep = false;
    #[allow(clippy::needless_range_loop)]
    for comp in 0..3 {
        if s.len() - pos.min(s.len()) < 2 {
            return None;
        }
        comps[comp] = digits(s, pos, 2)?;
        pos += 2;
        let next = s.get(pos).copied();
        if comp == 0 {
            has_sep = next == Some(b':');
        }
        let Some(next) = next else { break };
        if comp >= 2 {
            break;
        }
        if has_sep && next != b':' {
            return None;
        }
        pos += usize::from(has_sep);
    }
    if pos < s.len() {
        if s[pos] != b'.' && s[pos] != b',' {
            return None;
        }
        pos += 1;
        let rem = s.len() - pos;
        let take = rem.min(6);
        if take == 0 {
            return None;
        }
        let mut v = digits(s, pos, take)?;
        for _ in take..6 {
            v *= 10;
        }
        comps[3] = v;
        if !s[pos + take..].iter().all(u8::is_ascii_digit) {
            return None;
        }
    }
    Some(comps)
}

/// A time string with an optional UTC offset: `([h, m, s, us], offset
/// in microseconds)`.
pub fn parse_time(text: &str) -> Option<([i64; 4], Option<i128>)> {
    let s = text.as_bytes();
    if s.len() < 2 {
        return None;
    }
    let tz_pos =
        s.iter().position(|&c| c == b'-').or_else(|| s.iter().position(|&c| c == b'+')).or_else(|| s.iter().position(|&c| c == b'Z'));
    let time_part = match tz_pos {
        Some(p) => &s[..p],
        None => s,
    };
    let comps = parse_hms(time_part)?;
    let Some(p) = tz_pos else { return Some((comps, None)) };
    if p + 1 == s.len() && s[p] == b'Z' {
        return Some((comps, Some(0)));
    }
    let tzs = &s[p + 1..];
    if [0, 1, 3].contains(&tzs.len()) {
        return None;
    }
    let t = parse_hms(tzs)?;
    let us = i128::from(((t[0] * 60 + t[1]) * 60 + t[2]) * 1_000_000 + t[3]);
    let sign = if s[p] == b'-' { -1 } else { 1 };
    Some((comps, Some(sign * us)))
}

/// `datetime.fromisoformat`'s parsing: fields and offset.
pub fn parse_datetime(vm: &Vm, obj: &Obj, s: &[u8]) -> PyResult<([i64; 7], Option<i128>)> {
    let bad = || {
        let r = taipan_vm::ops::repr(vm, obj).map(|r| str_data(&r).as_str().into_owned()).unwrap_or_default();
        value_error(vm, format!("Invalid isoformat string: {r}"))
    };
    // `s` is the string's WTF-8: the date part must be ASCII; the
    // separator may be any code point (even a lone surrogate).
    if s.len() < 7 {
        return Err(bad());
    }
    let sep = separator_position(s).ok_or_else(bad)?;
    let date_part = s.get(..sep).ok_or_else(bad)?;
    let (y, a, b, week) = parse_date_raw(date_part).ok_or_else(bad)?;
    let (y, m, d) = if week { super::iso_to_ymd(vm, y, a, b).map_err(|_| bad())? } else { (y, a, b) };
    let width = match s.get(sep) {
        None => 0,
        Some(&c) if c < 0x80 => 1,
        Some(&c) if c < 0xe0 => 2,
        Some(&c) if c < 0xf0 => 3,
        Some(_) => 4,
    };
    let tstr = s.get(sep + width..).and_then(|t| std::str::from_utf8(t).ok()).ok_or_else(bad)?;
    if tstr.is_empty() {
        return Ok(([y, m, d, 0, 0, 0, 0], None));
    }
    let (t, off) = parse_time(tstr).ok_or_else(bad)?;
    Ok(([y, m, d, t[0], t[1], t[2], t[3]], off))
}

static ISOCAL: StructSeqDesc = StructSeqDesc { name: "datetime.IsoCalendarDate", doc: "The result of date.isocalendar() or datetime.isocalendar()\n\nThis object may be accessed either as a tuple of\n  ((year, week, weekday)\nor via the object attributes as named in the above tuple.", fields: &["year", "week", "weekday"], n_in_sequence: 3 };

fn isocal_reduce(vm: &Vm, this: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    exact::<0>(vm, "__reduce__", args, kw)?;
    let items = this.downcast::<TupleData>().map(|t| t.items.to_vec()).unwrap_or_default();
    Ok(new_tuple(vm, vec![vm.types.tuple.clone(), new_tuple(vm, vec![new_tuple(vm, items)])]))
}

static ISOCAL_METHODS: &[MethodDef] = &[MethodDef::method("__reduce__", isocal_reduce, "__reduce__() -> (cls, state)")];

static ISOCAL_PARAMS: Params = Params { fname: "IsoCalendarDate", names: &["year", "week", "weekday"], posonly: 0, kwonly: 0, required: 3 };

/// `IsoCalendarDate(year, week, weekday)` (not a struct sequence's
/// single-sequence constructor).
fn isocal_new(vm: &Vm, cls: &Obj, args: &[Obj], kw: Kwargs) -> PyResult<Obj> {
    let [y, w, d] = bind::<3>(vm, &ISOCAL_PARAMS, args, kw)?;
    let v = [y, w, d].map(|x| x.unwrap_or_else(|| vm.none.clone()));
    Ok(new_structseq(vm, cls, v.to_vec()))
}

pub fn iso_calendar_date(vm: &Vm, y: i64, w: i64, d: i64) -> Obj {
    let ty = vm.native_type("datetime.IsoCalendarDate", |vm| {
        let t = new_structseq_type(vm, &ISOCAL);
        let td = taipan_vm::types::type_data(&t);
        td.slots.set(taipan_vm::types::Slots { new: Some(isocal_new), ..td.slots.get() });
        taipan_vm::native::add_methods(vm, &t, ISOCAL_METHODS);
        taipan_vm::types::type_modified(&t);
        t
    });
    new_structseq(vm, &ty, vec![vm.int(y), vm.int(w), vm.int(d)])
}
