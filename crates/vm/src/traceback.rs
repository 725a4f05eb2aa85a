//! Printing an uncaught exception as CPython 3.11 does: the chain of
//! causes and contexts, each with its traceback, source lines and the
//! `^^^^`/`~~^~~` position markers of 3.11 (`traceback.py`'s rules).

use std::collections::HashMap;

use crate::function::CodeData;
use crate::object::Obj;
use crate::ops;
use crate::types::builtin::{exception_data, str_data, type_name};
use crate::vm::Vm;

/// The full report CPython writes to stderr for an uncaught exception.
pub fn format_exception(vm: &Vm, exc: &Obj) -> String {
    let mut out = String::new();
    let mut sources = HashMap::new();
    format_chain(vm, exc, &mut out, &mut sources, 0);
    out
}

fn format_chain(vm: &Vm, exc: &Obj, out: &mut String, sources: &mut HashMap<String, Option<Vec<String>>>, depth: usize) {
    if let Some(d) = exception_data(exc) {
        // Guard against reference cycles in the chain, as CPython does.
        if depth < 100 {
            let cause = d.cause.borrow().clone();
            let context = d.context.borrow().clone();
            if let Some(c) = cause {
                format_chain(vm, &c, out, sources, depth + 1);
                out.push_str("\nThe above exception was the direct cause of the following exception:\n\n");
            } else if let Some(c) = context.filter(|_| !d.suppress_context.get()) {
                format_chain(vm, &c, out, sources, depth + 1);
                out.push_str("\nDuring handling of the above exception, another exception occurred:\n\n");
            }
        }
        let tb = d.traceback.borrow();
        if !tb.is_empty() {
            out.push_str("Traceback (most recent call last):\n");
            for (code, word) in tb.iter().rev() {
                format_frame(code, *word, out, sources);
            }
        }
    }
    if is_syntax_error(vm, exc) {
        format_syntax_error(vm, exc, out);
        return;
    }
    let msg = ops::str(vm, exc).map(|s| str_data(&s).as_str().into_owned()).unwrap_or_else(|_| "<exception str() failed>".into());
    let name = type_name(exc);
    if msg.is_empty() {
        out.push_str(name);
    } else {
        out.push_str(&format!("{name}: {msg}"));
    }
    out.push('\n');
}

fn format_frame(code: &Obj, word: u32, out: &mut String, sources: &mut HashMap<String, Option<Vec<String>>>) {
    let Some(cd) = code.downcast::<CodeData>() else { return };
    let unit = &cd.unit;
    let loc = unit.locations.get(word as usize).copied().unwrap_or_default();
    out.push_str(&format!("  File \"{}\", line {}, in {}\n", unit.filename, loc.lineno, unit.name));
    let lines = sources.entry(unit.filename.to_string()).or_insert_with(|| read_lines(&unit.filename));
    let Some(line) = lines.as_ref().and_then(|l| l.get(loc.lineno.wrapping_sub(1) as usize)) else { return };
    let stripped = line.trim();
    if stripped.is_empty() {
        return;
    }
    out.push_str(&format!("    {stripped}\n"));
    let leading = line.chars().count() - line.trim_start().chars().count();
    let start = char_offset(line, loc.col as usize) + 1;
    let mut end = char_offset(line, loc.end_col as usize) + 1;
    let mut anchors = None;
    if loc.lineno == loc.end_lineno {
        let seg: String = line.chars().skip(start - 1).take(end.saturating_sub(start)).collect();
        anchors = caret_anchors(&seg);
    } else {
        end = leading + stripped.chars().count();
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

fn read_lines(filename: &str) -> Option<Vec<String>> {
    let bytes = std::fs::read(filename).ok()?;
    let text = String::from_utf8_lossy(&bytes);
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

fn is_syntax_error(vm: &Vm, exc: &Obj) -> bool {
    let Ok(Some(ty)) = crate::types::builtin::dict_get_str(vm, &vm.builtins, "SyntaxError") else { return false };
    ty.downcast::<crate::types::TypeData>().is_some() && crate::types::is_subtype(&crate::types::type_of(exc), &ty)
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
    let name = type_name(exc);
    match msg {
        Some(m) if !m.is_empty() => out.push_str(&format!("{name}: {m}\n")),
        _ => out.push_str(&format!("{name}\n")),
    }
}
