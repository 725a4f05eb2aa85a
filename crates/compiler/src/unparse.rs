//! Expressions back to source text, as CPython's `ast_unparse.c` writes
//! them for `from __future__ import annotations` (PEP 563).

use taipan_parser::ast::*;

// Precedence levels, lowest first (CPython's `PR_*`).
const TUPLE: u8 = 0;
const TEST: u8 = 1;
const OR: u8 = 2;
const AND: u8 = 3;
const NOT: u8 = 4;
const CMP: u8 = 5;
const BOR: u8 = 6;
const BXOR: u8 = 7;
const BAND: u8 = 8;
const SHIFT: u8 = 9;
const ARITH: u8 = 10;
const TERM: u8 = 11;
const FACTOR: u8 = 12;
const POWER: u8 = 13;
const AWAIT: u8 = 14;
const ATOM: u8 = 15;

/// The source text of `e`.
pub fn unparse(e: &Expr) -> String {
    let mut out = String::new();
    expr(&mut out, e, TEST);
    out
}

fn binop(op: Operator) -> (&'static str, u8) {
    match op {
        Operator::Add => ("+", ARITH),
        Operator::Sub => ("-", ARITH),
        Operator::Mult => ("*", TERM),
        Operator::MatMult => ("@", TERM),
        Operator::Div => ("/", TERM),
        Operator::Mod => ("%", TERM),
        Operator::FloorDiv => ("//", TERM),
        Operator::Pow => ("**", POWER),
        Operator::LShift => ("<<", SHIFT),
        Operator::RShift => (">>", SHIFT),
        Operator::BitOr => ("|", BOR),
        Operator::BitXor => ("^", BXOR),
        Operator::BitAnd => ("&", BAND),
    }
}

fn cmpop(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "==",
        CmpOp::NotEq => "!=",
        CmpOp::Lt => "<",
        CmpOp::LtE => "<=",
        CmpOp::Gt => ">",
        CmpOp::GtE => ">=",
        CmpOp::Is => "is",
        CmpOp::IsNot => "is not",
        CmpOp::In => "in",
        CmpOp::NotIn => "not in",
    }
}

fn seq(out: &mut String, items: &[Expr]) {
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        expr(out, x, TEST);
    }
}

fn comprehensions(out: &mut String, gens: &[Comprehension]) {
    for g in gens {
        out.push_str(if g.is_async { " async for " } else { " for " });
        expr(out, &g.target, TUPLE);
        out.push_str(" in ");
        expr(out, &g.iter, TEST + 1);
        for c in &g.ifs {
            out.push_str(" if ");
            expr(out, c, TEST + 1);
        }
    }
}

fn args(out: &mut String, a: &Arguments) {
    let mut first = true;
    let mut sep = |out: &mut String| {
        if !first {
            out.push_str(", ");
        }
        first = false;
    };
    let positional: Vec<&Arg> = a.posonlyargs.iter().chain(&a.args).collect();
    let ndefaults = a.defaults.len();
    for (i, p) in positional.iter().enumerate() {
        sep(out);
        out.push_str(&p.arg);
        if i + ndefaults >= positional.len() {
            out.push('=');
            expr(out, &a.defaults[i + ndefaults - positional.len()], TEST);
        }
        if i + 1 == a.posonlyargs.len() {
            out.push_str(", /");
        }
    }
    if a.vararg.is_some() || !a.kwonlyargs.is_empty() {
        sep(out);
        out.push('*');
        if let Some(v) = &a.vararg {
            out.push_str(&v.arg);
        }
    }
    for (p, d) in a.kwonlyargs.iter().zip(&a.kw_defaults) {
        sep(out);
        out.push_str(&p.arg);
        if let Some(d) = d {
            out.push('=');
            expr(out, d, TEST);
        }
    }
    if let Some(k) = &a.kwarg {
        sep(out);
        out.push_str("**");
        out.push_str(&k.arg);
    }
}

fn fstring_body(out: &mut String, values: &[Expr]) {
    for v in values {
        match &v.kind {
            ExprKind::Constant { value: Constant::Str(s), .. } => {
                out.push_str(&s.as_str().unwrap_or_default().replace('{', "{{").replace('}', "}}"));
            }
            ExprKind::FormattedValue { value, conversion, format_spec } => {
                let mut inner = String::new();
                expr(&mut inner, value, TEST + 1);
                out.push('{');
                if inner.starts_with('{') {
                    out.push(' ');
                }
                out.push_str(&inner);
                if *conversion > 0 {
                    out.push('!');
                    out.push(char::from_u32(*conversion as u32).unwrap_or('r'));
                }
                if let Some(spec) = format_spec {
                    out.push(':');
                    if let ExprKind::JoinedStr { values } = &spec.kind {
                        fstring_body(out, values);
                    }
                }
                out.push('}');
            }
            _ => {}
        }
    }
}

fn expr(out: &mut String, e: &Expr, level: u8) {
    let open = |out: &mut String, mine: u8| {
        if level > mine {
            out.push('(');
        }
    };
    let close = |out: &mut String, mine: u8| {
        if level > mine {
            out.push(')');
        }
    };
    match &e.kind {
        ExprKind::BoolOp { op, values } => {
            let (s, mine) = if *op == BoolOp::And { (" and ", AND) } else { (" or ", OR) };
            open(out, mine);
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    out.push_str(s);
                }
                expr(out, v, mine + 1);
            }
            close(out, mine);
        }
        ExprKind::NamedExpr { target, value } => {
            open(out, TUPLE);
            expr(out, target, ATOM);
            out.push_str(" := ");
            expr(out, value, ATOM);
            close(out, TUPLE);
        }
        ExprKind::BinOp { left, op, right } => {
            let (s, mine) = binop(*op);
            let right_assoc = *op == Operator::Pow;
            open(out, mine);
            expr(out, left, if right_assoc { mine + 1 } else { mine });
            out.push(' ');
            out.push_str(s);
            out.push(' ');
            expr(out, right, if right_assoc { mine } else { mine + 1 });
            close(out, mine);
        }
        ExprKind::UnaryOp { op, operand } => {
            let (s, mine) = match op {
                UnaryOp::Not => ("not ", NOT),
                UnaryOp::Invert => ("~", FACTOR),
                UnaryOp::UAdd => ("+", FACTOR),
                UnaryOp::USub => ("-", FACTOR),
            };
            open(out, mine);
            out.push_str(s);
            expr(out, operand, mine);
            close(out, mine);
        }
        ExprKind::Lambda { args: a, body } => {
            open(out, TEST);
            let mut params = String::new();
            args(&mut params, a);
            if params.is_empty() {
                out.push_str("lambda: ");
            } else {
                out.push_str("lambda ");
                out.push_str(&params);
                out.push_str(": ");
            }
            expr(out, body, TEST);
            close(out, TEST);
        }
        ExprKind::IfExp { test, body, orelse } => {
            open(out, TEST);
            expr(out, body, TEST + 1);
            out.push_str(" if ");
            expr(out, test, TEST + 1);
            out.push_str(" else ");
            expr(out, orelse, TEST);
            close(out, TEST);
        }
        ExprKind::Dict(d) => {
            out.push('{');
            for (i, (k, v)) in d.keys.iter().zip(&d.values).enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                match k {
                    Some(k) => {
                        expr(out, k, TEST);
                        out.push_str(": ");
                        expr(out, v, TEST);
                    }
                    None => {
                        out.push_str("**");
                        expr(out, v, BOR);
                    }
                }
            }
            out.push('}');
        }
        ExprKind::Set { elts } => {
            out.push('{');
            seq(out, elts);
            out.push('}');
        }
        ExprKind::ListComp(c) | ExprKind::SetComp(c) | ExprKind::GeneratorExp(c) => {
            let (l, r) = match &e.kind {
                ExprKind::ListComp(_) => ('[', ']'),
                ExprKind::SetComp(_) => ('{', '}'),
                _ => ('(', ')'),
            };
            out.push(l);
            expr(out, &c.elt, TEST);
            comprehensions(out, &c.generators);
            out.push(r);
        }
        ExprKind::DictComp(c) => {
            out.push('{');
            expr(out, &c.key, TEST);
            out.push_str(": ");
            expr(out, &c.value, TEST);
            comprehensions(out, &c.generators);
            out.push('}');
        }
        ExprKind::Await { value } => {
            open(out, AWAIT);
            out.push_str("await ");
            expr(out, value, ATOM);
            close(out, AWAIT);
        }
        ExprKind::Yield { value } => {
            out.push_str("(yield");
            if let Some(v) = value {
                out.push(' ');
                expr(out, v, TEST);
            }
            out.push(')');
        }
        ExprKind::YieldFrom { value } => {
            out.push_str("(yield from ");
            expr(out, value, TEST);
            out.push(')');
        }
        ExprKind::Compare(c) => {
            open(out, CMP);
            expr(out, &c.left, CMP + 1);
            for (op, x) in c.ops.iter().zip(&c.comparators) {
                out.push(' ');
                out.push_str(cmpop(*op));
                out.push(' ');
                expr(out, x, CMP + 1);
            }
            close(out, CMP);
        }
        ExprKind::Call(c) => {
            expr(out, &c.func, ATOM);
            // A lone generator expression argument keeps its own parentheses.
            if c.args.len() == 1 && c.keywords.is_empty() && matches!(c.args[0].kind, ExprKind::GeneratorExp(_)) {
                expr(out, &c.args[0], TEST);
                return;
            }
            out.push('(');
            let mut first = true;
            for a in &c.args {
                if !first {
                    out.push_str(", ");
                }
                first = false;
                expr(out, a, TEST);
            }
            for k in &c.keywords {
                if !first {
                    out.push_str(", ");
                }
                first = false;
                match &k.arg {
                    Some(n) => {
                        out.push_str(n);
                        out.push('=');
                    }
                    None => out.push_str("**"),
                }
                expr(out, &k.value, TEST);
            }
            out.push(')');
        }
        ExprKind::FormattedValue { .. } => fstring_body(out, std::slice::from_ref(e)),
        ExprKind::JoinedStr { values } => {
            let mut body = String::new();
            fstring_body(&mut body, values);
            let c = Constant::Str(Box::new(taipan_parser::wtf8::Wtf8Buf::from_str(&body)));
            out.push('f');
            out.push_str(&taipan_parser::repr::repr_constant(&c));
        }
        ExprKind::Constant { value, .. } => match value {
            Constant::Ellipsis => out.push_str("..."),
            Constant::Float(f) if f.is_infinite() => out.push_str("1e309"),
            Constant::Complex { real, imag } if real.is_infinite() || imag.is_infinite() => out.push_str("1e309j"),
            v => out.push_str(&taipan_parser::repr::repr_constant(v)),
        },
        ExprKind::Attribute { value, attr, .. } => {
            expr(out, value, ATOM);
            // `1 .real`: an int literal needs a space before the dot.
            if let ExprKind::Constant { value: Constant::Int(_), .. } = &value.kind {
                out.push(' ');
            }
            out.push('.');
            out.push_str(attr);
        }
        ExprKind::Subscript { value, slice, .. } => {
            expr(out, value, ATOM);
            out.push('[');
            match &slice.kind {
                ExprKind::Tuple { elts, .. } if !elts.is_empty() => {
                    for (i, x) in elts.iter().enumerate() {
                        if i > 0 {
                            out.push_str(", ");
                        }
                        expr(out, x, TEST);
                    }
                    if elts.len() == 1 {
                        out.push(',');
                    }
                }
                _ => expr(out, slice, TUPLE),
            }
            out.push(']');
        }
        ExprKind::Starred { value, .. } => {
            out.push('*');
            expr(out, value, BOR);
        }
        ExprKind::Name { id, .. } => out.push_str(id),
        ExprKind::List { elts, .. } => {
            out.push('[');
            seq(out, elts);
            out.push(']');
        }
        ExprKind::Tuple { elts, .. } => {
            if elts.is_empty() {
                out.push_str("()");
                return;
            }
            open(out, TUPLE);
            seq(out, elts);
            if elts.len() == 1 {
                out.push(',');
            }
            close(out, TUPLE);
        }
        ExprKind::Slice { lower, upper, step } => {
            if let Some(l) = lower {
                expr(out, l, TEST);
            }
            out.push(':');
            if let Some(u) = upper {
                expr(out, u, TEST);
            }
            if let Some(s) = step {
                out.push(':');
                expr(out, s, TEST);
            }
        }
    }
}
