//! Setting `frame.f_lineno` from a trace function (CPython 3.11's
//! `frame_setlineno`): which instruction a line starts at, and whether the
//! value stack there is compatible with the one at the current instruction
//! (a jump may only pop items, never invent them). The stacks are worked
//! out by abstract interpretation of the code, each item classified by
//! kind, with the exceptions being handled (`vm.handled`, pushed by
//! `PushExcInfo`) as items of their own: leaving an `except` block pops one.

use taipan_compiler::bytecode::{decode, CodeUnit, Opcode};
use taipan_compiler::codegen::stack_effect;

/// What a value-stack item is, for the compatibility rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A `for` loop's iterator.
    Iterator,
    /// An exception being handled (on `vm.handled`, not the value stack).
    Except,
    /// The exception a handler starts with (on the value stack).
    ExcValue,
    /// Any other value.
    Object,
}

/// The abstract stack before each instruction word (None: unreachable or
/// not the start of an instruction).
pub fn mark_stacks(unit: &CodeUnit) -> Vec<Option<Vec<Kind>>> {
    let n = unit.code.len();
    let mut stacks: Vec<Option<Vec<Kind>>> = vec![None; n];
    if n == 0 {
        return stacks;
    }
    stacks[0] = Some(Vec::new());
    let mut work = vec![0usize];
    let merge = |stacks: &mut Vec<Option<Vec<Kind>>>, work: &mut Vec<usize>, at: usize, s: Vec<Kind>| {
        if at < stacks.len() && stacks[at].is_none() {
            stacks[at] = Some(s);
            work.push(at);
        }
    };
    while let Some(i) = work.pop() {
        let Some(s) = stacks[i].clone() else { continue };
        let (Some(op), arg) = decode(unit.code[i]) else { continue };
        let next = i + 1 + op.cache_words();
        let target = arg as usize;
        // The handler covering this instruction sees the stack cut to its
        // depth plus the exception.
        if let Some(h) = unit.exception_table.iter().find(|e| e.start as usize <= i && i < e.end as usize) {
            let mut hs = s.clone();
            while hs.iter().filter(|k| **k != Kind::Except).count() > h.depth as usize {
                hs.pop();
            }
            hs.push(Kind::ExcValue);
            merge(&mut stacks, &mut work, h.target as usize, hs);
        }
        let pop = |mut s: Vec<Kind>, k: usize| {
            for _ in 0..k {
                s.pop();
            }
            s
        };
        match op {
            Opcode::Jump => merge(&mut stacks, &mut work, target, s),
            Opcode::PopJumpIfFalse | Opcode::PopJumpIfTrue => {
                let s = pop(s, 1);
                merge(&mut stacks, &mut work, target, s.clone());
                merge(&mut stacks, &mut work, next, s);
            }
            Opcode::JumpIfFalseOrPop | Opcode::JumpIfTrueOrPop => {
                merge(&mut stacks, &mut work, target, s.clone());
                merge(&mut stacks, &mut work, next, pop(s, 1));
            }
            Opcode::ForIter => {
                merge(&mut stacks, &mut work, target, pop(s.clone(), 1));
                let mut s = s;
                s.push(Kind::Object);
                merge(&mut stacks, &mut work, next, s);
            }
            Opcode::Send => {
                let mut done = pop(s.clone(), 2);
                done.push(Kind::Object);
                merge(&mut stacks, &mut work, target, done);
                merge(&mut stacks, &mut work, next, s);
            }
            Opcode::ReturnValue | Opcode::RaiseVarargs | Opcode::Reraise => {}
            Opcode::GetIter | Opcode::GetAIter => {
                let mut s = pop(s, 1);
                s.push(Kind::Iterator);
                merge(&mut stacks, &mut work, next, s);
            }
            Opcode::PushExcInfo => {
                let mut s = pop(s, 1);
                s.push(Kind::Except);
                s.push(Kind::ExcValue);
                merge(&mut stacks, &mut work, next, s);
            }
            Opcode::PopExcept => {
                let mut s = s;
                if let Some(at) = s.iter().rposition(|k| *k == Kind::Except) {
                    s.remove(at);
                }
                merge(&mut stacks, &mut work, next, s);
            }
            Opcode::DupTop | Opcode::Copy => {
                let back = if op == Opcode::DupTop { 1 } else { arg as usize };
                let mut s = s;
                let k = s.len().checked_sub(back).and_then(|at| s.get(at)).copied().unwrap_or(Kind::Object);
                s.push(k);
                merge(&mut stacks, &mut work, next, s);
            }
            Opcode::Swap => {
                let mut s = s;
                let len = s.len();
                if arg as usize <= len && arg >= 1 {
                    s.swap(len - 1, len - arg as usize);
                }
                merge(&mut stacks, &mut work, next, s);
            }
            _ => {
                let e = stack_effect(op, arg);
                let s = if e < 0 {
                    pop(s, (-e) as usize)
                } else {
                    let mut s = s;
                    s.extend(std::iter::repeat_n(Kind::Object, e as usize));
                    s
                };
                merge(&mut stacks, &mut work, next, s);
            }
        }
    }
    stacks
}

/// The line each reachable instruction starting a line begins (CPython's
/// `marklines`; its compiler drops unreachable code): `(word, line)` in
/// code order.
pub fn line_starts(unit: &CodeUnit, stacks: &[Option<Vec<Kind>>]) -> Vec<(usize, u32)> {
    let mut out = Vec::new();
    let mut last = 0;
    let mut i = 0;
    while i < unit.code.len() {
        let line = unit.locations.get(i).map_or(0, |l| l.lineno);
        if line != 0 && line != last && stacks.get(i).is_some_and(|s| s.is_some()) {
            out.push((i, line));
            last = line;
        }
        let (op, _) = decode(unit.code[i]);
        i += 1 + op.map_or(0, |o| o.cache_words());
    }
    out
}

/// Whether a frame whose stack is `from` may continue with stack `to`
/// by popping items.
pub fn compatible(from: &[Kind], to: &[Kind]) -> bool {
    // Any value-stack item can stand for a plain object.
    to.len() <= from.len() && from.iter().zip(to).all(|(a, b)| a == b || (*b == Kind::Object && *a != Kind::Except))
}

/// Why no instruction of the line fits (CPython's
/// `explain_incompatible_stack`).
fn explain(to: &[Kind]) -> &'static str {
    match to.last() {
        Some(Kind::Except | Kind::ExcValue) => "can't jump into an 'except' block as there's no exception",
        Some(Kind::Iterator) => "can't jump into the body of a for loop",
        _ => "incompatible stacks",
    }
}

/// The instruction to continue at when a frame at instruction `from`
/// jumps to line `line` (already checked to lie in the code), or
/// CPython's error message.
pub fn find_target(unit: &CodeUnit, from: usize, line: u32) -> Result<usize, String> {
    let stacks = mark_stacks(unit);
    let starts = line_starts(unit, &stacks);
    let Some(target_line) = starts.iter().map(|(_, l)| *l).filter(|l| *l >= line).min() else {
        return Err(format!("line {line} comes after the current code block"));
    };
    let Some(start) = stacks.get(from).cloned().flatten() else {
        return Err("can't jump from unreachable code".into());
    };
    let mut best: Option<(usize, usize)> = None;
    let mut msg: Option<&'static str> = None;
    for (i, l) in starts {
        if l != target_line {
            continue;
        }
        match stacks.get(i).and_then(|s| s.as_ref()) {
            Some(to) if compatible(&start, to) => {
                if best.is_none_or(|(_, depth)| to.len() > depth) {
                    best = Some((i, to.len()));
                }
            }
            Some(to) => {
                msg.get_or_insert(explain(to));
            }
            None => {
                msg.get_or_insert("can't jump into an exception handler, or code may be unreachable");
            }
        }
    }
    match best {
        Some((i, _)) => Ok(i),
        None => Err(msg.unwrap_or("cannot find bytecode for specified line").to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compatible_pops_only() {
        use Kind::*;
        assert!(compatible(&[Object, Iterator], &[Object]));
        assert!(compatible(&[Iterator], &[Iterator]));
        assert!(!compatible(&[Object], &[Object, Iterator]));
        assert!(!compatible(&[Except], &[Object]));
    }
}
