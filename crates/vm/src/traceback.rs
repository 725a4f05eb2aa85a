//! Printing an uncaught exception as CPython 3.11 does: the chain of
//! causes and contexts, each with its traceback, source lines and the
//! `^^^^`/`~~^~~` position markers of 3.11 (`traceback.py`'s rules).

use std::collections::HashMap;

use crate::function::CodeData;
use crate::object::Obj;
use crate::ops;
use crate::types::builtin::{self, exception_data, group_exceptions, str_data, StrData};
use crate::vm::Vm;

/// The full report CPython writes to stderr for an uncaught exception.
pub fn format_exception(vm: &Vm, exc: &Obj) -> String {
    let mut out = String::new();
    let mut sources = HashMap::new();
    let mut ctx = Ctx { depth: 0, need_close: false, seen: Vec::new(), limit: traceback_limit(vm) };
    format_exc(vm, exc, &mut ctx, &mut out, &mut sources);
    out
}

/// `traceback._ExceptionPrintContext`: nesting of exception groups.
struct Ctx {
    depth: usize,
    need_close: bool,
    /// Exceptions already printed (cycles in the chain).
    seen: Vec<usize>,
    /// `sys.tracebacklimit`: at most that many entries (the innermost).
    limit: usize,
}

/// `sys.tracebacklimit` when it is an int (0 for a negative one), else no
/// limit.
fn traceback_limit(vm: &Vm) -> usize {
    let Ok(Some(sys)) = builtin::dict_get_str(vm, &vm.modules, "sys") else { return usize::MAX };
    let Ok(Some(v)) = crate::classes::getattr_opt(vm, &sys, &vm.intern("tracebacklimit")) else { return usize::MAX };
    match v.downcast::<builtin::IntData>() {
        Some(builtin::IntData::Small(n)) => usize::try_from(*n).unwrap_or(0),
        Some(builtin::IntData::Big(b)) if b.sign() == num_bigint::Sign::Minus => 0,
        _ => usize::MAX,
    }
}

impl Ctx {
    fn indent(&self) -> String {
        " ".repeat(2 * self.depth)
    }

    /// Writes `text` with each line prefixed by the group margin.
    fn emit(&self, text: &str, margin: Option<char>, out: &mut String) {
        let mut prefix = self.indent();
        if self.depth > 0 {
            prefix.push(margin.unwrap_or('|'));
            prefix.push(' ');
        }
        for line in text.split_inclusive('\n') {
            out.push_str(&prefix);
            out.push_str(line);
        }
    }
}

const MAX_GROUP_WIDTH: usize = 15;
const MAX_GROUP_DEPTH: usize = 10;

type Sources = HashMap<String, Option<Vec<String>>>;

fn format_exc(vm: &Vm, exc: &Obj, ctx: &mut Ctx, out: &mut String, sources: &mut Sources) {
    // The chain, outermost cause first.
    let mut chain: Vec<(Option<&str>, Obj)> = Vec::new();
    let mut cur = Some(exc.clone());
    while let Some(e) = cur {
        ctx.seen.push(e.as_ptr() as usize);
        let (msg, next) = match exception_data(&e) {
            Some(d) => {
                let cause = d.cause.borrow().clone();
                let context = d.context.borrow().clone();
                match (cause, context) {
                    (Some(c), _) => (Some("\nThe above exception was the direct cause of the following exception:\n\n"), Some(c)),
                    (None, Some(c)) if !d.suppress_context.get() => {
                        (Some("\nDuring handling of the above exception, another exception occurred:\n\n"), Some(c))
                    }
                    _ => (None, None),
                }
            }
            None => (None, None),
        };
        let next = next.filter(|n| !ctx.seen.contains(&(n.as_ptr() as usize)));
        chain.push((if next.is_some() { msg } else { None }, e));
        cur = next;
    }
    for (msg, e) in chain.into_iter().rev() {
        if let Some(m) = msg {
            ctx.emit(m, None, out);
        }
        let tb = traceback_text(vm, &e, sources, ctx.limit);
        match group_exceptions(&e) {
            None => {
                if !tb.is_empty() {
                    ctx.emit("Traceback (most recent call last):\n", None, out);
                    ctx.emit(&tb, None, out);
                }
                ctx.emit(&exception_only(vm, &e), None, out);
            }
            Some(_) if ctx.depth > MAX_GROUP_DEPTH => {
                ctx.emit(&format!("... (max_group_depth is {MAX_GROUP_DEPTH})\n"), None, out);
            }
            Some(excs) => {
                let toplevel = ctx.depth == 0;
                if toplevel {
                    ctx.depth += 1;
                }
                if !tb.is_empty() {
                    ctx.emit("Exception Group Traceback (most recent call last):\n", Some(if toplevel { '+' } else { '|' }), out);
                    ctx.emit(&tb, None, out);
                }
                ctx.emit(&exception_only(vm, &e), None, out);
                let n = if excs.len() <= MAX_GROUP_WIDTH { excs.len() } else { MAX_GROUP_WIDTH + 1 };
                ctx.need_close = false;
                for i in 0..n {
                    let last = i == n - 1;
                    if last {
                        ctx.need_close = true;
                    }
                    let truncated = i >= MAX_GROUP_WIDTH;
                    let title = if truncated { "...".to_string() } else { (i + 1).to_string() };
                    out.push_str(&format!(
                        "{}{}+---------------- {title} ----------------\n",
                        ctx.indent(),
                        if i == 0 { "+-" } else { "  " }
                    ));
                    ctx.depth += 1;
                    if !truncated {
                        format_exc(vm, &excs[i], ctx, out, sources);
                    } else {
                        let remaining = excs.len() - MAX_GROUP_WIDTH;
                        let s = if remaining > 1 { "s" } else { "" };
                        ctx.emit(&format!("and {remaining} more exception{s}\n"), None, out);
                    }
                    if last && ctx.need_close {
                        out.push_str(&format!("{}+------------------------------------\n", ctx.indent()));
                        ctx.need_close = false;
                    }
                    ctx.depth -= 1;
                }
                if toplevel {
                    ctx.depth = 0;
                }
            }
        }
    }
}

fn traceback_text(vm: &Vm, exc: &Obj, sources: &mut Sources, limit: usize) -> String {
    let mut out = String::new();
    if let Some(d) = exception_data(exc) {
        // As CPython: a line repeated more than three times in a row (deep
        // recursion) is printed three times, then summarised.
        let mut last: Option<(String, u32, String)> = None;
        let mut count = 0usize;
        let entries = d.traceback.borrow();
        for (code, word, ..) in entries.iter().take(limit).rev() {
            let key = code.downcast::<CodeData>().map(|cd| {
                let loc = cd.unit.locations.get(*word as usize).copied().unwrap_or_default();
                (cd.unit.filename.to_string(), loc.lineno, cd.unit.name.to_string())
            });
            if key.is_none() || key != last {
                repeated_line_note(count, &mut out);
                last = key;
                count = 0;
            }
            count += 1;
            if count <= TRACEBACK_RECURSIVE_CUTOFF {
                format_frame(vm, code, *word, &mut out, sources);
            }
        }
        repeated_line_note(count, &mut out);
    }
    out
}

const TRACEBACK_RECURSIVE_CUTOFF: usize = 3;

fn repeated_line_note(count: usize, out: &mut String) {
    if count > TRACEBACK_RECURSIVE_CUTOFF {
        let more = count - TRACEBACK_RECURSIVE_CUTOFF;
        out.push_str(&format!("  [Previous line repeated {more} more time{}]\n", if more > 1 { "s" } else { "" }));
    }
}

fn text_of(vm: &Vm, o: &Obj) -> Option<String> {
    ops::str(vm, o).ok().filter(|s| s.downcast::<StrData>().is_some()).map(|s| str_data(&s).as_str().into_owned())
}

/// `format_exception_only`: the `Type: message` line (SyntaxErrors with
/// their source line and caret), the "Did you mean" suggestion, then the
/// `__notes__`.
fn exception_only(vm: &Vm, exc: &Obj) -> String {
    let ty = crate::types::type_of(exc);
    let td = crate::types::type_data(&ty);
    let qualname = match td.dict.borrow().get("__qualname__") {
        Some(q) if q.downcast::<StrData>().is_some() => str_data(q).as_str().into_owned(),
        _ => td.name.to_string(),
    };
    let module = td.dict.borrow().get("__module__").cloned();
    let stype = match module {
        Some(m) if m.downcast::<StrData>().is_some() => {
            let m = str_data(&m).as_str().into_owned();
            if m == "builtins" || m == "__main__" {
                qualname
            } else {
                format!("{m}.{qualname}")
            }
        }
        Some(_) => format!("<unknown>.{qualname}"),
        None => qualname,
    };
    let mut out = String::new();
    let is_syntax = crate::types::is_subtype(&ty, &vm.types.syntax_error);
    let msg = ops::str(vm, exc).map(|s| str_data(&s).as_str().into_owned()).unwrap_or_else(|_| "<exception str() failed>".into());
    if is_syntax {
        let mut lines = String::new();
        format_syntax_error(vm, exc, &mut lines);
        out.push_str(lines.trim_end_matches('\n'));
    } else if msg.is_empty() {
        out.push_str(&stype);
    } else {
        out.push_str(&format!("{stype}: {msg}"));
    }
    if let Some(s) = suggestion(vm, exc) {
        out.push_str(&format!(". Did you mean: '{s}'?"));
    }
    out.push('\n');
    if let Ok(Some(notes)) = crate::classes::getattr_opt(vm, exc, &vm.intern("__notes__")) {
        let items = if notes.downcast::<builtin::ListData>().is_some() || notes.downcast::<builtin::TupleData>().is_some() {
            crate::sequence::to_vec(vm, &notes).ok()
        } else {
            None
        };
        match items {
            Some(items) => {
                for n in items {
                    let text = if n.downcast::<StrData>().is_some() {
                        str_data(&n).as_str().into_owned()
                    } else {
                        text_of(vm, &n).unwrap_or_else(|| "<note str() failed>".into())
                    };
                    out.push_str(&text);
                    out.push('\n');
                }
            }
            None => {
                let text = builtin::repr_string(vm, &notes).unwrap_or_else(|_| "<__notes__ repr() failed>".into());
                out.push_str(&text);
                out.push('\n');
            }
        }
    }
    out
}

/// CPython's `_Py_Offer_Suggestions`: the closest name for a NameError
/// (code varnames, globals, builtins) or an AttributeError (the object's
/// attributes).
fn suggestion(vm: &Vm, exc: &Obj) -> Option<String> {
    let ty = crate::types::type_of(exc);
    let name = builtin::exc_field(exc, 0).filter(|n| crate::types::type_of(n).is(&vm.types.str_))?;
    let name = str_data(&name).as_str().into_owned();
    if ty.is(&vm.types.name_error)
        || (crate::types::is_subtype(&ty, &vm.types.name_error) && !crate::types::is_subtype(&ty, &vm.types.unbound_local_error))
    {
        let d = exception_data(exc)?;
        if d.traceback.borrow().is_empty() {
            return None;
        }
        let (locals, globals) = d.name_scope.borrow().clone()?;
        let names =
            |v: Vec<Obj>| -> Vec<String> { v.iter().filter_map(|k| k.downcast::<StrData>().map(|s| s.as_str().into_owned())).collect() };
        let keys = |d: &Obj| names(builtin::dict_items(d).into_iter().map(|(k, _)| k).collect());
        return calculate_suggestion(&names(locals), &name)
            .or_else(|| calculate_suggestion(&keys(&globals), &name))
            .or_else(|| calculate_suggestion(&keys(&vm.builtins), &name));
    }
    if crate::types::is_subtype(&ty, &vm.types.attribute_error) {
        let obj = builtin::exc_field(exc, 1)?;
        return calculate_suggestion(&attribute_names(vm, &obj), &name);
    }
    None
}

/// The names `dir(obj)` lists: the instance's `__dict__`, its class and
/// the class's bases (or, for a class, its MRO; for a module, its dict).
fn attribute_names(vm: &Vm, obj: &Obj) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let add_dict = |d: &Obj, out: &mut Vec<String>| {
        for (k, _) in builtin::dict_items(d) {
            if let Some(s) = k.downcast::<StrData>() {
                out.push(s.as_str().into_owned());
            }
        }
    };
    if let Some(m) = obj.downcast::<crate::modules::ModuleData>() {
        let _ = m;
        if let Ok(Some(d)) = crate::classes::getattr_opt(vm, obj, &vm.intern("__dict__")) {
            if d.downcast::<builtin::DictData>().is_some() {
                add_dict(&d, &mut out);
            }
        }
    } else {
        let is_type = obj.downcast::<crate::types::TypeData>().is_some();
        if !is_type {
            for k in crate::classes::own_attr_names(obj) {
                if let Some(s) = k.downcast::<StrData>() {
                    out.push(s.as_str().into_owned());
                }
            }
        }
        let ty = if is_type { obj.clone() } else { crate::types::type_of(obj) };
        for t in crate::types::type_data(&ty).mro.borrow().iter() {
            out.extend(crate::types::type_data(t).dict.borrow().iter().map(|(k, _)| k.to_string()));
        }
    }
    out.sort();
    out.dedup();
    out
}

const MAX_CANDIDATE_ITEMS: usize = 750;
const MAX_STRING_SIZE: usize = 40;
const MOVE_COST: usize = 2;
const CASE_COST: usize = 1;

fn substitution_cost(a: u8, b: u8) -> usize {
    if a & 31 != b & 31 {
        return MOVE_COST;
    }
    if a == b {
        return 0;
    }
    if a.eq_ignore_ascii_case(&b) {
        CASE_COST
    } else {
        MOVE_COST
    }
}

/// `levenshtein_distance` of Python/suggestions.c (on UTF-8 bytes, with
/// the move and case costs, giving up above `max_cost`).
pub fn levenshtein(a: &[u8], b: &[u8], max_cost: usize) -> usize {
    let (mut a, mut b) = (a, b);
    while let (Some(x), Some(y)) = (a.first(), b.first()) {
        if x != y {
            break;
        }
        a = &a[1..];
        b = &b[1..];
    }
    while let (Some(x), Some(y)) = (a.last(), b.last()) {
        if x != y {
            break;
        }
        a = &a[..a.len() - 1];
        b = &b[..b.len() - 1];
    }
    if a.is_empty() || b.is_empty() {
        return (a.len() + b.len()) * MOVE_COST;
    }
    if a.len() > MAX_STRING_SIZE || b.len() > MAX_STRING_SIZE {
        return max_cost + 1;
    }
    if b.len() < a.len() {
        std::mem::swap(&mut a, &mut b);
    }
    if (b.len() - a.len()) * MOVE_COST > max_cost {
        return max_cost + 1;
    }
    let mut buffer: Vec<usize> = (1..=a.len()).map(|i| i * MOVE_COST).collect();
    let mut result = 0;
    for (bi, &code) in b.iter().enumerate() {
        let mut distance = bi * MOVE_COST;
        result = distance;
        let mut minimum = usize::MAX;
        for (i, &ac) in a.iter().enumerate() {
            let substitute = distance + substitution_cost(code, ac);
            distance = buffer[i];
            let insert_delete = result.min(distance) + MOVE_COST;
            result = insert_delete.min(substitute);
            buffer[i] = result;
            minimum = minimum.min(result);
        }
        if minimum > max_cost {
            return max_cost + 1;
        }
    }
    result
}

/// `calculate_suggestions`: the candidate closest to `name` within a
/// third of the characters involved.
pub fn calculate_suggestion(dir: &[String], name: &str) -> Option<String> {
    if dir.len() >= MAX_CANDIDATE_ITEMS {
        return None;
    }
    let mut best: Option<(&String, usize)> = None;
    for item in dir {
        if item == name {
            continue;
        }
        let mut max_distance = (name.len() + item.len() + 3) * MOVE_COST / 6;
        if let Some((_, d)) = best {
            max_distance = max_distance.min(d.saturating_sub(1));
        }
        let d = levenshtein(name.as_bytes(), item.as_bytes(), max_distance);
        if d > max_distance {
            continue;
        }
        if best.is_none_or(|(_, bd)| d < bd) {
            best = Some((item, d));
        }
    }
    best.map(|(s, _)| s.clone())
}

fn format_frame(vm: &Vm, code: &Obj, word: u32, out: &mut String, sources: &mut HashMap<String, Option<Vec<String>>>) {
    let Some(cd) = code.downcast::<CodeData>() else { return };
    let unit = &cd.unit;
    let loc = unit.locations.get(word as usize).copied().unwrap_or_default();
    out.push_str(&format!("  File \"{}\", line {}, in {}\n", unit.filename, loc.lineno, unit.name));
    let lines = sources.entry(unit.filename.to_string()).or_insert_with(|| read_lines(vm, &unit.filename));
    let Some(line) = lines.as_ref().and_then(|l| l.get(loc.lineno.wrapping_sub(1) as usize)) else { return };
    let stripped = line.trim();
    if stripped.is_empty() {
        return;
    }
    out.push_str(&format!("    {stripped}\n"));
    if !crate::sysmodule::debug_ranges(vm) {
        return;
    }
    let leading = line.chars().count() - line.trim_start().chars().count();
    let start = char_offset(line, loc.col as usize) + 1;
    let mut end = char_offset(line, loc.end_col as usize) + 1;
    let mut anchors = None;
    if loc.lineno == loc.end_lineno {
        let seg: String = line.chars().skip(start - 1).take(end.saturating_sub(start)).collect();
        anchors = caret_anchors(&seg);
    } else {
        // A multi-line span is marked up to the line's last
        // non-blank character (offsets here count from 1).
        end = leading + stripped.chars().count() + 1;
    }
    let width = end.saturating_sub(start);
    let spans_line = width >= stripped.chars().count();
    let anchored = anchors.is_some_and(|(l, r)| r > l);
    if spans_line && !anchored {
        return;
    }
    let mut row = String::from("    ");
    row.push_str(&" ".repeat(start.saturating_sub(leading + 1)));
    match anchors {
        Some((l, r)) => {
            row.push_str(&"~".repeat(l));
            row.push_str(&"^".repeat(r - l));
            row.push_str(&"~".repeat(width.saturating_sub(r)));
        }
        None => row.push_str(&"^".repeat(width)),
    }
    out.push_str(&row);
    out.push('\n');
}

/// The lines of a source file, decoded by its coding cookie.
fn read_lines(vm: &Vm, filename: &str) -> Option<Vec<String>> {
    let bytes = std::fs::read(filename).ok()?;
    let text = match crate::import::decode_source(vm, &bytes) {
        Some(t) => t,
        None => String::from_utf8_lossy(&bytes).into_owned(),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Some(text.lines().map(str::to_string).collect())
}

/// Characters in the first `bytes` bytes of `line`.
fn char_offset(line: &str, bytes: usize) -> usize {
    let b = line.as_bytes();
    let n = bytes.min(b.len());
    String::from_utf8_lossy(&b[..n]).chars().count()
}

/// `traceback._extract_caret_anchors_from_line_segment`: for a binary
/// operation the operator is marked `^` and the operands `~`; for a
/// subscript, the brackets and index. Offsets in characters of `segment`.
fn caret_anchors(segment: &str) -> Option<(usize, usize)> {
    use taipan_parser::ast::{ExprKind, Mod, StmtKind};
    let Ok(Mod::Module { body, .. }) = taipan_parser::parse_module(segment.as_bytes()) else { return None };
    let [stmt] = &body[..] else { return None };
    let StmtKind::Expr { value } = &stmt.kind else { return None };
    let norm = |off: u32| char_offset(segment, off as usize);
    match &value.kind {
        ExprKind::BinOp { left, right, .. } => {
            let op_start = norm(left.loc.end_col_offset);
            let op_end = norm(right.loc.col_offset);
            let op_str: String = segment.chars().skip(op_start).take(op_end.saturating_sub(op_start)).collect();
            let skip = op_str.chars().count() - op_str.trim_start().chars().count();
            let left_anchor = left.loc.end_col_offset as usize + skip;
            let mut right_anchor = left_anchor + 1;
            let chars: Vec<char> = op_str.chars().collect();
            if skip + 1 < chars.len() && !chars[skip + 1].is_whitespace() {
                right_anchor += 1;
            }
            Some((norm(left_anchor as u32), norm(right_anchor as u32)))
        }
        ExprKind::Subscript { value: v, slice, .. } => Some((norm(v.loc.end_col_offset), norm(slice.loc.end_col_offset + 1))),
        _ => None,
    }
}

/// A SyntaxError's details: its attributes when it has them, else the
/// `(msg, (filename, lineno, offset, text, end_lineno, end_offset))`
/// arguments it was made with.
fn syntax_error_details(vm: &Vm, exc: &Obj) -> (Option<String>, [Option<Obj>; 6]) {
    let attr = |name: &str| crate::classes::getattr_opt(vm, exc, &vm.intern(name)).ok().flatten().filter(|v| !v.is(&vm.none));
    let names = ["filename", "lineno", "offset", "text", "end_lineno", "end_offset"];
    let mut out: [Option<Obj>; 6] = std::array::from_fn(|i| attr(names[i]));
    let mut msg = attr("msg");
    let args = exception_data(exc).map(|d| crate::sequence::to_vec(vm, &d.args.borrow()).unwrap_or_default()).unwrap_or_default();
    if msg.is_none() {
        msg = args.first().cloned();
    }
    if out.iter().all(Option::is_none) {
        if let Some(details) = args.get(1) {
            for (slot, v) in out.iter_mut().zip(crate::sequence::to_vec(vm, details).unwrap_or_default()) {
                if !v.is(&vm.none) {
                    *slot = Some(v);
                }
            }
        }
    }
    let msg = msg.map(|m| ops::str(vm, &m).map(|s| str_data(&s).as_str().into_owned()).unwrap_or_default());
    (msg, out)
}

/// CPython's `print_exception` for SyntaxError: the file and line, the
/// source line stripped of leading whitespace, a caret line, the message.
fn format_syntax_error(vm: &Vm, exc: &Obj, out: &mut String) {
    let (msg, [filename, lineno, offset, text, end_lineno, end_offset]) = syntax_error_details(vm, exc);
    let int = |o: &Option<Obj>| o.as_ref().and_then(|v| crate::types::builtin::expect_int(vm, v, "").ok());
    let s = |o: &Option<Obj>| o.as_ref().and_then(|v| ops::str(vm, v).ok()).map(|v| str_data(&v).as_str().into_owned());
    let lineno_n = int(&lineno);
    out.push_str(&format!("  File \"{}\", line {}\n", s(&filename).unwrap_or_else(|| "<string>".into()), lineno_n.unwrap_or(0)));
    if let Some(text) = s(&text) {
        let line = text.split('\n').next().unwrap_or("");
        let stripped = line.trim_start_matches([' ', '\t', '\x0c']);
        let removed = (line.chars().count() - stripped.chars().count()) as i64;
        let shown = stripped.trim_end();
        out.push_str(&format!("    {shown}\n"));
        if let Some(off) = int(&offset) {
            let len = shown.chars().count() as i64;
            let start = (off - 1 - removed).min(len);
            if start >= 0 {
                let width = match (int(&end_lineno), int(&end_offset)) {
                    (Some(el), Some(eo)) if Some(el) == lineno_n && eo > off => (eo - off).min(len - start).max(1),
                    _ => 1,
                };
                out.push_str(&format!("    {}{}\n", " ".repeat(start as usize), "^".repeat(width as usize)));
            }
        }
    }
    let name = builtin::type_name(exc);
    match msg {
        Some(m) if !m.is_empty() => out.push_str(&format!("{name}: {m}\n")),
        _ => out.push_str(&format!("{name}\n")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levenshtein_costs() {
        assert_eq!(levenshtein(b"print", b"print", 10), 0);
        assert_eq!(levenshtein(b"prnt", b"print", 10), 2);
        assert_eq!(levenshtein(b"Print", b"print", 10), 1);
        assert_eq!(levenshtein(b"abc", b"xyz", 2), 3);
    }

    #[test]
    fn suggestions() {
        let dir: Vec<String> = ["print", "input", "len"].iter().map(|s| s.to_string()).collect();
        assert_eq!(calculate_suggestion(&dir, "pritn").as_deref(), Some("print"));
        assert_eq!(calculate_suggestion(&dir, "zzzzzz"), None);
        assert_eq!(calculate_suggestion(&dir, "print"), None);
    }
}
