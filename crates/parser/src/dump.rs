//! `ast.dump(tree, include_attributes=True)` as CPython 3.11 prints it.
//!
//! Fields print in `_fields` order as `name=value`; optional fields whose
//! value is `None` are left out, lists always print; location attributes
//! follow the fields.

use crate::ast::*;
use crate::repr::{repr_constant, repr_str};
use crate::wtf8::Wtf8Buf;

pub fn dump_module(m: &Mod) -> String {
    let mut d = Dumper { out: String::with_capacity(4096) };
    match m {
        Mod::Module { body, type_ignores } => {
            d.out.push_str("Module(body=");
            d.stmts(body);
            d.out.push_str(", type_ignores=[");
            for (i, t) in type_ignores.iter().enumerate() {
                if i > 0 {
                    d.out.push_str(", ");
                }
                d.out.push_str(&format!("TypeIgnore(lineno={}, tag=", t.lineno));
                d.ident(&t.tag);
                d.out.push(')');
            }
            d.out.push_str("])");
        }
        Mod::Interactive { body } => {
            d.out.push_str("Interactive(body=");
            d.stmts(body);
            d.out.push(')');
        }
        Mod::Expression { body } => {
            d.out.push_str("Expression(body=");
            d.expr(body);
            d.out.push(')');
        }
    }
    d.out
}

struct Dumper {
    out: String,
}

/// One `name=value` field; the closure prints the value.
macro_rules! field {
    ($d:expr, $first:expr, $name:literal) => {{
        if !$first {
            $d.out.push_str(", ");
        }
        $d.out.push_str(concat!($name, "="));
    }};
}

impl Dumper {
    fn s(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn ident(&mut self, name: &str) {
        let r = repr_str(&Wtf8Buf::from_str(name));
        self.out.push_str(&r);
    }

    fn loc(&mut self, l: &Loc) {
        use std::fmt::Write;
        let _ = write!(
            self.out,
            ", lineno={}, col_offset={}, end_lineno={}, end_col_offset={})",
            l.lineno, l.col_offset, l.end_lineno, l.end_col_offset
        );
    }

    fn list<T>(&mut self, items: &[T], mut f: impl FnMut(&mut Self, &T)) {
        self.out.push('[');
        for (i, it) in items.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            f(self, it);
        }
        self.out.push(']');
    }

    fn stmts(&mut self, body: &[Stmt]) {
        self.list(body, |d, s| d.stmt(s));
    }

    fn exprs(&mut self, v: &[Expr]) {
        self.list(v, |d, e| d.expr(e));
    }

    fn opt_expr(&mut self, name: &str, e: &Option<Box<Expr>>) {
        if let Some(e) = e {
            self.out.push_str(", ");
            self.out.push_str(name);
            self.out.push('=');
            self.expr(e);
        }
    }

    fn opt_ident(&mut self, name: &str, v: &Option<Ident>) {
        if let Some(v) = v {
            self.out.push_str(", ");
            self.out.push_str(name);
            self.out.push('=');
            self.ident(v);
        }
    }

    fn ctx(&mut self, c: ExprContext) {
        self.s(match c {
            ExprContext::Load => ", ctx=Load()",
            ExprContext::Store => ", ctx=Store()",
            ExprContext::Del => ", ctx=Del()",
        });
    }

    fn args(&mut self, a: &Arguments) {
        self.s("arguments(posonlyargs=");
        self.list(&a.posonlyargs, |d, x| d.arg(x));
        self.s(", args=");
        self.list(&a.args, |d, x| d.arg(x));
        if let Some(v) = &a.vararg {
            self.s(", vararg=");
            self.arg(v);
        }
        self.s(", kwonlyargs=");
        self.list(&a.kwonlyargs, |d, x| d.arg(x));
        self.s(", kw_defaults=");
        self.list(&a.kw_defaults, |d, x| match x {
            Some(e) => d.expr(e),
            None => d.s("None"),
        });
        if let Some(v) = &a.kwarg {
            self.s(", kwarg=");
            self.arg(v);
        }
        self.s(", defaults=");
        self.exprs(&a.defaults);
        self.s(")");
    }

    fn arg(&mut self, a: &Arg) {
        self.s("arg(arg=");
        self.ident(&a.arg);
        self.opt_expr("annotation", &a.annotation);
        self.type_comment(&a.type_comment);
        self.loc(&a.loc);
    }

    fn type_comment(&mut self, t: &TypeComment) {
        if let Some(t) = t {
            self.s(", type_comment=");
            self.ident(t);
        }
    }

    fn keyword(&mut self, k: &Keyword) {
        self.s("keyword(");
        let mut first = true;
        if let Some(a) = &k.arg {
            self.s("arg=");
            self.ident(a);
            first = false;
        }
        field!(self, first, "value");
        self.expr(&k.value);
        self.loc(&k.loc);
    }

    fn alias(&mut self, a: &Alias) {
        self.s("alias(name=");
        self.ident(&a.name);
        self.opt_ident("asname", &a.asname);
        self.loc(&a.loc);
    }

    fn withitem(&mut self, w: &WithItem) {
        self.s("withitem(context_expr=");
        self.expr(&w.context_expr);
        self.opt_expr("optional_vars", &w.optional_vars);
        self.s(")");
    }

    fn comprehension(&mut self, c: &Comprehension) {
        self.s("comprehension(target=");
        self.expr(&c.target);
        self.s(", iter=");
        self.expr(&c.iter);
        self.s(", ifs=");
        self.exprs(&c.ifs);
        self.s(if c.is_async { ", is_async=1)" } else { ", is_async=0)" });
    }

    fn handler(&mut self, h: &ExceptHandler) {
        self.s("ExceptHandler(");
        let mut first = true;
        if let Some(t) = &h.type_ {
            self.s("type=");
            self.expr(t);
            first = false;
        }
        if let Some(n) = &h.name {
            field!(self, first, "name");
            self.ident(n);
            first = false;
        }
        field!(self, first, "body");
        self.stmts(&h.body);
        self.loc(&h.loc);
    }

    fn funcdef(&mut self, name: &str, f: &FunctionDef, loc: &Loc) {
        self.s(name);
        self.s("(name=");
        self.ident(&f.name);
        self.s(", args=");
        self.args(&f.args);
        self.s(", body=");
        self.stmts(&f.body);
        self.s(", decorator_list=");
        self.exprs(&f.decorator_list);
        self.opt_expr("returns", &f.returns);
        self.type_comment(&f.type_comment);
        self.loc(loc);
    }

    fn try_(&mut self, name: &str, t: &Try, loc: &Loc) {
        self.s(name);
        self.s("(body=");
        self.stmts(&t.body);
        self.s(", handlers=");
        self.list(&t.handlers, |d, h| d.handler(h));
        self.s(", orelse=");
        self.stmts(&t.orelse);
        self.s(", finalbody=");
        self.stmts(&t.finalbody);
        self.loc(loc);
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::FunctionDef(f) => return self.funcdef("FunctionDef", f, &s.loc),
            StmtKind::AsyncFunctionDef(f) => return self.funcdef("AsyncFunctionDef", f, &s.loc),
            StmtKind::ClassDef(c) => {
                self.s("ClassDef(name=");
                self.ident(&c.name);
                self.s(", bases=");
                self.exprs(&c.bases);
                self.s(", keywords=");
                self.list(&c.keywords, |d, k| d.keyword(k));
                self.s(", body=");
                self.stmts(&c.body);
                self.s(", decorator_list=");
                self.exprs(&c.decorator_list);
            }
            StmtKind::Return { value } => {
                self.s("Return(");
                if let Some(v) = value {
                    self.s("value=");
                    self.expr(v);
                    self.loc(&s.loc);
                } else {
                    self.loc_first(&s.loc);
                }
                return;
            }
            StmtKind::Delete { targets } => {
                self.s("Delete(targets=");
                self.exprs(targets);
            }
            StmtKind::Assign { targets, value, type_comment } => {
                self.s("Assign(targets=");
                self.exprs(targets);
                self.s(", value=");
                self.expr(value);
                self.type_comment(type_comment);
            }
            StmtKind::AugAssign { target, op, value } => {
                self.s("AugAssign(target=");
                self.expr(target);
                self.s(", op=");
                self.s(operator(*op));
                self.s(", value=");
                self.expr(value);
            }
            StmtKind::AnnAssign { target, annotation, value, simple } => {
                self.s("AnnAssign(target=");
                self.expr(target);
                self.s(", annotation=");
                self.expr(annotation);
                self.opt_expr("value", value);
                self.s(if *simple { ", simple=1" } else { ", simple=0" });
            }
            StmtKind::For { target, iter, body, orelse, type_comment }
            | StmtKind::AsyncFor { target, iter, body, orelse, type_comment } => {
                self.s(if matches!(s.kind, StmtKind::For { .. }) { "For(target=" } else { "AsyncFor(target=" });
                self.expr(target);
                self.s(", iter=");
                self.expr(iter);
                self.s(", body=");
                self.stmts(body);
                self.s(", orelse=");
                self.stmts(orelse);
                self.type_comment(type_comment);
            }
            StmtKind::While { test, body, orelse } | StmtKind::If { test, body, orelse } => {
                self.s(if matches!(s.kind, StmtKind::While { .. }) { "While(test=" } else { "If(test=" });
                self.expr(test);
                self.s(", body=");
                self.stmts(body);
                self.s(", orelse=");
                self.stmts(orelse);
            }
            StmtKind::With { items, body, type_comment } | StmtKind::AsyncWith { items, body, type_comment } => {
                self.s(if matches!(s.kind, StmtKind::With { .. }) { "With(items=" } else { "AsyncWith(items=" });
                self.list(items, |d, w| d.withitem(w));
                self.s(", body=");
                self.stmts(body);
                self.type_comment(type_comment);
            }
            StmtKind::Match { subject, cases } => {
                self.s("Match(subject=");
                self.expr(subject);
                self.s(", cases=");
                self.list(cases, |d, c| d.match_case(c));
            }
            StmtKind::Raise { exc, cause } => {
                self.s("Raise(");
                let mut first = true;
                if let Some(e) = exc {
                    self.s("exc=");
                    self.expr(e);
                    first = false;
                }
                if let Some(c) = cause {
                    field!(self, first, "cause");
                    self.expr(c);
                    first = false;
                }
                if first {
                    self.loc_first(&s.loc);
                } else {
                    self.loc(&s.loc);
                }
                return;
            }
            StmtKind::Try(t) => return self.try_("Try", t, &s.loc),
            StmtKind::TryStar(t) => return self.try_("TryStar", t, &s.loc),
            StmtKind::Assert { test, msg } => {
                self.s("Assert(test=");
                self.expr(test);
                self.opt_expr("msg", msg);
            }
            StmtKind::Import { names } => {
                self.s("Import(names=");
                self.list(names, |d, a| d.alias(a));
            }
            StmtKind::ImportFrom { module, names, level } => {
                self.s("ImportFrom(");
                if let Some(m) = module {
                    self.s("module=");
                    self.ident(m);
                    self.s(", ");
                }
                self.s("names=");
                self.list(names, |d, a| d.alias(a));
                self.s(&format!(", level={level}"));
            }
            StmtKind::Global { names } | StmtKind::Nonlocal { names } => {
                self.s(if matches!(s.kind, StmtKind::Global { .. }) { "Global(names=" } else { "Nonlocal(names=" });
                self.list(names, |d, n| d.ident(n));
            }
            StmtKind::Expr { value } => {
                self.s("Expr(value=");
                self.expr(value);
            }
            StmtKind::Pass => return self.bare("Pass(", &s.loc),
            StmtKind::Break => return self.bare("Break(", &s.loc),
            StmtKind::Continue => return self.bare("Continue(", &s.loc),
        }
        self.loc(&s.loc);
    }

    fn bare(&mut self, name: &str, l: &Loc) {
        self.s(name);
        self.loc_first(l);
    }

    /// Location attributes when no field was printed before them.
    fn loc_first(&mut self, l: &Loc) {
        use std::fmt::Write;
        let _ = write!(
            self.out,
            "lineno={}, col_offset={}, end_lineno={}, end_col_offset={})",
            l.lineno, l.col_offset, l.end_lineno, l.end_col_offset
        );
    }

    fn match_case(&mut self, c: &MatchCase) {
        self.s("match_case(pattern=");
        self.pattern(&c.pattern);
        self.opt_expr("guard", &c.guard);
        self.s(", body=");
        self.stmts(&c.body);
        self.s(")");
    }

    fn pattern(&mut self, p: &Pattern) {
        match &p.kind {
            PatternKind::MatchValue { value } => {
                self.s("MatchValue(value=");
                self.expr(value);
            }
            PatternKind::MatchSingleton { value } => {
                self.s("MatchSingleton(value=");
                self.s(&repr_constant(value));
            }
            PatternKind::MatchSequence { patterns } => {
                self.s("MatchSequence(patterns=");
                self.list(patterns, |d, x| d.pattern(x));
            }
            PatternKind::MatchMapping { keys, patterns, rest } => {
                self.s("MatchMapping(keys=");
                self.exprs(keys);
                self.s(", patterns=");
                self.list(patterns, |d, x| d.pattern(x));
                self.opt_ident("rest", rest);
            }
            PatternKind::MatchClass { cls, patterns, kwd_attrs, kwd_patterns } => {
                self.s("MatchClass(cls=");
                self.expr(cls);
                self.s(", patterns=");
                self.list(patterns, |d, x| d.pattern(x));
                self.s(", kwd_attrs=");
                self.list(kwd_attrs, |d, x| d.ident(x));
                self.s(", kwd_patterns=");
                self.list(kwd_patterns, |d, x| d.pattern(x));
            }
            PatternKind::MatchStar { name } => {
                self.s("MatchStar(");
                match name {
                    Some(n) => {
                        self.s("name=");
                        self.ident(n);
                    }
                    None => return self.loc_first(&p.loc),
                }
            }
            PatternKind::MatchAs { pattern, name } => {
                self.s("MatchAs(");
                let mut first = true;
                if let Some(pt) = pattern {
                    self.s("pattern=");
                    self.pattern(pt);
                    first = false;
                }
                if let Some(n) = name {
                    field!(self, first, "name");
                    self.ident(n);
                    first = false;
                }
                if first {
                    return self.loc_first(&p.loc);
                }
            }
            PatternKind::MatchOr { patterns } => {
                self.s("MatchOr(patterns=");
                self.list(patterns, |d, x| d.pattern(x));
            }
        }
        self.loc(&p.loc);
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::BoolOp { op, values } => {
                self.s(if *op == BoolOp::And { "BoolOp(op=And(), values=" } else { "BoolOp(op=Or(), values=" });
                self.exprs(values);
            }
            ExprKind::NamedExpr { target, value } => {
                self.s("NamedExpr(target=");
                self.expr(target);
                self.s(", value=");
                self.expr(value);
            }
            ExprKind::BinOp { left, op, right } => {
                self.s("BinOp(left=");
                self.expr(left);
                self.s(", op=");
                self.s(operator(*op));
                self.s(", right=");
                self.expr(right);
            }
            ExprKind::UnaryOp { op, operand } => {
                self.s(match op {
                    UnaryOp::Invert => "UnaryOp(op=Invert(), operand=",
                    UnaryOp::Not => "UnaryOp(op=Not(), operand=",
                    UnaryOp::UAdd => "UnaryOp(op=UAdd(), operand=",
                    UnaryOp::USub => "UnaryOp(op=USub(), operand=",
                });
                self.expr(operand);
            }
            ExprKind::Lambda { args, body } => {
                self.s("Lambda(args=");
                self.args(args);
                self.s(", body=");
                self.expr(body);
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.s("IfExp(test=");
                self.expr(test);
                self.s(", body=");
                self.expr(body);
                self.s(", orelse=");
                self.expr(orelse);
            }
            ExprKind::Dict(d) => {
                let Dict { keys, values } = &**d;
                self.s("Dict(keys=");
                self.list(keys, |d, k| match k {
                    Some(k) => d.expr(k),
                    None => d.s("None"),
                });
                self.s(", values=");
                self.exprs(values);
            }
            ExprKind::Set { elts } => {
                self.s("Set(elts=");
                self.exprs(elts);
            }
            ExprKind::ListComp(c) | ExprKind::SetComp(c) | ExprKind::GeneratorExp(c) => {
                let Comp { elt, generators } = &**c;
                self.s(match e.kind {
                    ExprKind::ListComp(_) => "ListComp(elt=",
                    ExprKind::SetComp(_) => "SetComp(elt=",
                    _ => "GeneratorExp(elt=",
                });
                self.expr(elt);
                self.s(", generators=");
                self.list(generators, |d, c| d.comprehension(c));
            }
            ExprKind::DictComp(c) => {
                let DictComp { key, value, generators } = &**c;
                self.s("DictComp(key=");
                self.expr(key);
                self.s(", value=");
                self.expr(value);
                self.s(", generators=");
                self.list(generators, |d, c| d.comprehension(c));
            }
            ExprKind::Await { value } => {
                self.s("Await(value=");
                self.expr(value);
            }
            ExprKind::Yield { value } => {
                self.s("Yield(");
                match value {
                    Some(v) => {
                        self.s("value=");
                        self.expr(v);
                    }
                    None => return self.loc_first(&e.loc),
                }
            }
            ExprKind::YieldFrom { value } => {
                self.s("YieldFrom(value=");
                self.expr(value);
            }
            ExprKind::Compare(c) => {
                let Compare { left, ops, comparators } = &**c;
                self.s("Compare(left=");
                self.expr(left);
                self.s(", ops=");
                self.list(ops, |d, o| d.s(cmpop(*o)));
                self.s(", comparators=");
                self.exprs(comparators);
            }
            ExprKind::Call(c) => {
                let Call { func, args, keywords } = &**c;
                self.s("Call(func=");
                self.expr(func);
                self.s(", args=");
                self.exprs(args);
                self.s(", keywords=");
                self.list(keywords, |d, k| d.keyword(k));
            }
            ExprKind::FormattedValue { value, conversion, format_spec } => {
                self.s("FormattedValue(value=");
                self.expr(value);
                self.s(&format!(", conversion={conversion}"));
                self.opt_expr("format_spec", format_spec);
            }
            ExprKind::JoinedStr { values } => {
                self.s("JoinedStr(values=");
                self.exprs(values);
            }
            ExprKind::Constant { value, kind } => {
                self.s("Constant(value=");
                self.s(&repr_constant(value));
                if kind.is_some() {
                    self.s(", kind=");
                    self.ident("u");
                }
            }
            ExprKind::Attribute { value, attr, ctx } => {
                self.s("Attribute(value=");
                self.expr(value);
                self.s(", attr=");
                self.ident(attr);
                self.ctx(*ctx);
            }
            ExprKind::Subscript { value, slice, ctx } => {
                self.s("Subscript(value=");
                self.expr(value);
                self.s(", slice=");
                self.expr(slice);
                self.ctx(*ctx);
            }
            ExprKind::Starred { value, ctx } => {
                self.s("Starred(value=");
                self.expr(value);
                self.ctx(*ctx);
            }
            ExprKind::Name { id, ctx } => {
                self.s("Name(id=");
                self.ident(id);
                self.ctx(*ctx);
            }
            ExprKind::List { elts, ctx } | ExprKind::Tuple { elts, ctx } => {
                self.s(if matches!(e.kind, ExprKind::List { .. }) { "List(elts=" } else { "Tuple(elts=" });
                self.exprs(elts);
                self.ctx(*ctx);
            }
            ExprKind::Slice { lower, upper, step } => {
                self.s("Slice(");
                let mut first = true;
                for (name, v) in [("lower=", lower), ("upper=", upper), ("step=", step)] {
                    if let Some(v) = v {
                        if !first {
                            self.s(", ");
                        }
                        self.s(name);
                        self.expr(v);
                        first = false;
                    }
                }
                if first {
                    return self.loc_first(&e.loc);
                }
            }
        }
        self.loc(&e.loc);
    }
}

fn operator(op: Operator) -> &'static str {
    match op {
        Operator::Add => "Add()",
        Operator::Sub => "Sub()",
        Operator::Mult => "Mult()",
        Operator::MatMult => "MatMult()",
        Operator::Div => "Div()",
        Operator::Mod => "Mod()",
        Operator::Pow => "Pow()",
        Operator::LShift => "LShift()",
        Operator::RShift => "RShift()",
        Operator::BitOr => "BitOr()",
        Operator::BitXor => "BitXor()",
        Operator::BitAnd => "BitAnd()",
        Operator::FloorDiv => "FloorDiv()",
    }
}

fn cmpop(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "Eq()",
        CmpOp::NotEq => "NotEq()",
        CmpOp::Lt => "Lt()",
        CmpOp::LtE => "LtE()",
        CmpOp::Gt => "Gt()",
        CmpOp::GtE => "GtE()",
        CmpOp::Is => "Is()",
        CmpOp::IsNot => "IsNot()",
        CmpOp::In => "In()",
        CmpOp::NotIn => "NotIn()",
    }
}
