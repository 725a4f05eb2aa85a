//! The parser's tree to `ast` node objects (CPython's `ast2obj_*`).
//!
//! Every field of a node is set, optional ones to `None`; nodes with
//! locations get `lineno`, `col_offset`, `end_lineno`, `end_col_offset`.
//! Contexts and operators are the shared instances of [`AstState`].

use taipan_parser::ast::*;

use super::AstState;
use crate::object::{alloc, Obj};
use crate::types::builtin::{self, new_list, new_str, new_tuple};
use crate::vm::Vm;
use crate::PyResult;

/// CPython's limit for `ast2obj` (its C recursion limit times 3).
const MAX_DEPTH: usize = 3000;

/// `mod` to a node object.
pub fn module_to_obj(vm: &Vm, st: &AstState, m: &Mod) -> PyResult<Obj> {
    let mut c = ToObj { vm, st, depth: 0 };
    match m {
        Mod::Module { body, type_ignores } => {
            let body = c.stmts(body)?;
            let ti = type_ignores
                .iter()
                .map(|t| c.node("TypeIgnore", vec![vm.int(t.lineno as i64), new_str(vm, &t.tag)], None))
                .collect::<PyResult<Vec<_>>>()?;
            c.node("Module", vec![body, new_list(vm, ti)], None)
        }
        Mod::Interactive { body } => {
            let body = c.stmts(body)?;
            c.node("Interactive", vec![body], None)
        }
        Mod::Expression { body } => {
            let body = c.expr(body)?;
            c.node("Expression", vec![body], None)
        }
    }
}

/// `FunctionType(argtypes, returns)` (`mode='func_type'`).
pub fn func_type_to_obj(vm: &Vm, st: &AstState, argtypes: &[Expr], returns: &Expr) -> PyResult<Obj> {
    let mut c = ToObj { vm, st, depth: 0 };
    let a = c.exprs(argtypes)?;
    let r = c.expr(returns)?;
    c.node("FunctionType", vec![a, r], None)
}

/// A constant's value as a Python object.
pub fn constant_to_obj(vm: &Vm, c: &Constant) -> Obj {
    match c {
        Constant::None => vm.none.clone(),
        Constant::Bool(b) => vm.bool(*b),
        Constant::Ellipsis => vm.ellipsis.clone(),
        Constant::Int(IntValue::Small(v)) => vm.int(*v),
        Constant::Int(IntValue::Big(digits)) => match digits.parse::<num_bigint::BigInt>() {
            Ok(b) => builtin::new_int_big(vm, b),
            Err(_) => vm.int(0),
        },
        Constant::Float(f) => alloc(vm.types.float.clone(), *f),
        Constant::Complex { real, imag } => crate::types::complex::new_complex(vm, *real, *imag),
        Constant::Str(s) => builtin::new_str_wtf8(vm, (**s).clone()),
        Constant::Bytes(b) => builtin::new_bytes(vm, b.to_vec()),
        Constant::Tuple(items) => new_tuple(vm, items.iter().map(|c| constant_to_obj(vm, c)).collect()),
    }
}

struct ToObj<'a> {
    vm: &'a Vm,
    st: &'a AstState,
    depth: usize,
}

fn opname(op: Operator) -> &'static str {
    use Operator::*;
    match op {
        Add => "Add",
        Sub => "Sub",
        Mult => "Mult",
        MatMult => "MatMult",
        Div => "Div",
        Mod => "Mod",
        Pow => "Pow",
        LShift => "LShift",
        RShift => "RShift",
        BitOr => "BitOr",
        BitXor => "BitXor",
        BitAnd => "BitAnd",
        FloorDiv => "FloorDiv",
    }
}

fn cmpname(op: CmpOp) -> &'static str {
    use CmpOp::*;
    match op {
        Eq => "Eq",
        NotEq => "NotEq",
        Lt => "Lt",
        LtE => "LtE",
        Gt => "Gt",
        GtE => "GtE",
        Is => "Is",
        IsNot => "IsNot",
        In => "In",
        NotIn => "NotIn",
    }
}

impl ToObj<'_> {
    /// A new instance of class `name` with `values` for its `_fields` (in
    /// order) and the location attributes.
    fn node(&self, name: &'static str, values: Vec<Obj>, loc: Option<&Loc>) -> PyResult<Obj> {
        let vm = self.vm;
        let (cls, info) = self.st.class(vm, name)?;
        debug_assert_eq!(values.len(), info.fields.len(), "{name}");
        let o = alloc(cls, ());
        let Some(d) = crate::classes::instance_dict(vm, &o) else {
            return Err(vm.type_error(format!("{name} has no __dict__")));
        };
        for (f, v) in info.fields.iter().zip(values) {
            builtin::dict_set(vm, &d, vm.intern(f.name), v)?;
        }
        if let Some(l) = loc {
            builtin::dict_set(vm, &d, vm.intern("lineno"), vm.int(l.lineno as i64))?;
            builtin::dict_set(vm, &d, vm.intern("col_offset"), vm.int(l.col_offset as i64))?;
            builtin::dict_set(vm, &d, vm.intern("end_lineno"), vm.int(l.end_lineno as i64))?;
            builtin::dict_set(vm, &d, vm.intern("end_col_offset"), vm.int(l.end_col_offset as i64))?;
        }
        Ok(o)
    }

    fn enter(&mut self) -> PyResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.vm.new_error(&self.vm.types.recursion_error, "maximum recursion depth exceeded during ast construction"));
        }
        Ok(())
    }

    fn none(&self) -> Obj {
        self.vm.none.clone()
    }

    fn ident(&self, s: &str) -> Obj {
        new_str(self.vm, s)
    }

    fn opt_ident(&self, s: &Option<Ident>) -> Obj {
        s.as_ref().map_or_else(|| self.none(), |s| self.ident(s))
    }

    fn idents(&self, v: &[Ident]) -> Obj {
        new_list(self.vm, v.iter().map(|s| self.ident(s)).collect())
    }

    fn int(&self, v: i64) -> Obj {
        self.vm.int(v)
    }

    fn single(&self, name: &'static str) -> PyResult<Obj> {
        self.st.singleton(self.vm, name)
    }

    fn list<T>(&mut self, items: &[T], mut f: impl FnMut(&mut Self, &T) -> PyResult<Obj>) -> PyResult<Obj> {
        let mut out = Vec::with_capacity(items.len());
        for it in items {
            out.push(f(self, it)?);
        }
        Ok(new_list(self.vm, out))
    }

    fn stmts(&mut self, body: &[Stmt]) -> PyResult<Obj> {
        self.list(body, |c, s| c.stmt(s))
    }

    fn exprs(&mut self, v: &[Expr]) -> PyResult<Obj> {
        self.list(v, |c, e| c.expr(e))
    }

    fn opt_expr(&mut self, e: &Option<Box<Expr>>) -> PyResult<Obj> {
        match e {
            Some(e) => self.expr(e),
            None => Ok(self.none()),
        }
    }

    fn ctx(&self, c: ExprContext) -> PyResult<Obj> {
        self.single(match c {
            ExprContext::Load => "Load",
            ExprContext::Store => "Store",
            ExprContext::Del => "Del",
        })
    }

    fn arguments(&mut self, a: &Arguments) -> PyResult<Obj> {
        let posonly = self.list(&a.posonlyargs, |c, x| c.arg(x))?;
        let args = self.list(&a.args, |c, x| c.arg(x))?;
        let vararg = match &a.vararg {
            Some(v) => self.arg(v)?,
            None => self.none(),
        };
        let kwonly = self.list(&a.kwonlyargs, |c, x| c.arg(x))?;
        let kw_defaults = self.list(&a.kw_defaults, |c, x| match x {
            Some(e) => c.expr(e),
            None => Ok(c.none()),
        })?;
        let kwarg = match &a.kwarg {
            Some(v) => self.arg(v)?,
            None => self.none(),
        };
        let defaults = self.exprs(&a.defaults)?;
        self.node("arguments", vec![posonly, args, vararg, kwonly, kw_defaults, kwarg, defaults], None)
    }

    fn arg(&mut self, a: &Arg) -> PyResult<Obj> {
        let ann = self.opt_expr(&a.annotation)?;
        let tc = self.type_comment(&a.type_comment);
        self.node("arg", vec![self.ident(&a.arg), ann, tc], Some(&a.loc))
    }

    fn type_comment(&self, t: &TypeComment) -> Obj {
        match t {
            Some(s) => new_str(self.vm, s),
            None => self.none(),
        }
    }

    fn keyword(&mut self, k: &Keyword) -> PyResult<Obj> {
        let v = self.expr(&k.value)?;
        self.node("keyword", vec![self.opt_ident(&k.arg), v], Some(&k.loc))
    }

    fn alias(&mut self, a: &Alias) -> PyResult<Obj> {
        self.node("alias", vec![self.ident(&a.name), self.opt_ident(&a.asname)], Some(&a.loc))
    }

    fn withitem(&mut self, w: &WithItem) -> PyResult<Obj> {
        let e = self.expr(&w.context_expr)?;
        let v = self.opt_expr(&w.optional_vars)?;
        self.node("withitem", vec![e, v], None)
    }

    fn comprehension(&mut self, g: &Comprehension) -> PyResult<Obj> {
        let t = self.expr(&g.target)?;
        let i = self.expr(&g.iter)?;
        let ifs = self.exprs(&g.ifs)?;
        self.node("comprehension", vec![t, i, ifs, self.int(g.is_async as i64)], None)
    }

    fn generators(&mut self, gens: &[Comprehension]) -> PyResult<Obj> {
        self.list(gens, |c, g| c.comprehension(g))
    }

    fn handler(&mut self, h: &ExceptHandler) -> PyResult<Obj> {
        let t = self.opt_expr(&h.type_)?;
        let body = self.stmts(&h.body)?;
        self.node("ExceptHandler", vec![t, self.opt_ident(&h.name), body], Some(&h.loc))
    }

    fn match_case(&mut self, m: &MatchCase) -> PyResult<Obj> {
        let p = self.pattern(&m.pattern)?;
        let g = self.opt_expr(&m.guard)?;
        let body = self.stmts(&m.body)?;
        self.node("match_case", vec![p, g, body], None)
    }

    fn funcdef(&mut self, name: &'static str, f: &FunctionDef, loc: &Loc) -> PyResult<Obj> {
        let args = self.arguments(&f.args)?;
        let body = self.stmts(&f.body)?;
        let decos = self.exprs(&f.decorator_list)?;
        let returns = self.opt_expr(&f.returns)?;
        let tc = self.type_comment(&f.type_comment);
        self.node(name, vec![self.ident(&f.name), args, body, decos, returns, tc], Some(loc))
    }

    fn try_(&mut self, name: &'static str, t: &Try, loc: &Loc) -> PyResult<Obj> {
        let body = self.stmts(&t.body)?;
        let handlers = self.list(&t.handlers, |c, h| c.handler(h))?;
        let orelse = self.stmts(&t.orelse)?;
        let fin = self.stmts(&t.finalbody)?;
        self.node(name, vec![body, handlers, orelse, fin], Some(loc))
    }

    fn stmt(&mut self, s: &Stmt) -> PyResult<Obj> {
        self.enter()?;
        let r = self.stmt_inner(s);
        self.depth -= 1;
        r
    }

    fn stmt_inner(&mut self, s: &Stmt) -> PyResult<Obj> {
        let loc = Some(&s.loc);
        let (name, values): (&'static str, Vec<Obj>) = match &s.kind {
            StmtKind::FunctionDef(f) => return self.funcdef("FunctionDef", f, &s.loc),
            StmtKind::AsyncFunctionDef(f) => return self.funcdef("AsyncFunctionDef", f, &s.loc),
            StmtKind::ClassDef(c) => {
                let bases = self.exprs(&c.bases)?;
                let kws = self.list(&c.keywords, |c, k| c.keyword(k))?;
                let body = self.stmts(&c.body)?;
                let decos = self.exprs(&c.decorator_list)?;
                ("ClassDef", vec![self.ident(&c.name), bases, kws, body, decos])
            }
            StmtKind::Return { value } => ("Return", vec![self.opt_expr(value)?]),
            StmtKind::Delete { targets } => ("Delete", vec![self.exprs(targets)?]),
            StmtKind::Assign { targets, value, type_comment } => {
                let t = self.exprs(targets)?;
                ("Assign", vec![t, self.expr(value)?, self.type_comment(type_comment)])
            }
            StmtKind::AugAssign { target, op, value } => {
                let t = self.expr(target)?;
                let op = self.single(opname(*op))?;
                ("AugAssign", vec![t, op, self.expr(value)?])
            }
            StmtKind::AnnAssign { target, annotation, value, simple } => {
                let t = self.expr(target)?;
                let a = self.expr(annotation)?;
                let v = self.opt_expr(value)?;
                ("AnnAssign", vec![t, a, v, self.int(*simple as i64)])
            }
            StmtKind::For { target, iter, body, orelse, type_comment }
            | StmtKind::AsyncFor { target, iter, body, orelse, type_comment } => {
                let name = if matches!(s.kind, StmtKind::For { .. }) { "For" } else { "AsyncFor" };
                let t = self.expr(target)?;
                let i = self.expr(iter)?;
                let b = self.stmts(body)?;
                let o = self.stmts(orelse)?;
                (name, vec![t, i, b, o, self.type_comment(type_comment)])
            }
            StmtKind::While { test, body, orelse } | StmtKind::If { test, body, orelse } => {
                let name = if matches!(s.kind, StmtKind::While { .. }) { "While" } else { "If" };
                let t = self.expr(test)?;
                let b = self.stmts(body)?;
                let o = self.stmts(orelse)?;
                (name, vec![t, b, o])
            }
            StmtKind::With { items, body, type_comment } | StmtKind::AsyncWith { items, body, type_comment } => {
                let name = if matches!(s.kind, StmtKind::With { .. }) { "With" } else { "AsyncWith" };
                let i = self.list(items, |c, w| c.withitem(w))?;
                let b = self.stmts(body)?;
                (name, vec![i, b, self.type_comment(type_comment)])
            }
            StmtKind::Match { subject, cases } => {
                let s = self.expr(subject)?;
                ("Match", vec![s, self.list(cases, |c, m| c.match_case(m))?])
            }
            StmtKind::Raise { exc, cause } => {
                let e = self.opt_expr(exc)?;
                ("Raise", vec![e, self.opt_expr(cause)?])
            }
            StmtKind::Try(t) => return self.try_("Try", t, &s.loc),
            StmtKind::TryStar(t) => return self.try_("TryStar", t, &s.loc),
            StmtKind::Assert { test, msg } => {
                let t = self.expr(test)?;
                ("Assert", vec![t, self.opt_expr(msg)?])
            }
            StmtKind::Import { names } => ("Import", vec![self.list(names, |c, a| c.alias(a))?]),
            StmtKind::ImportFrom { module, names, level } => {
                let n = self.list(names, |c, a| c.alias(a))?;
                ("ImportFrom", vec![self.opt_ident(module), n, self.int(*level as i64)])
            }
            StmtKind::Global { names } => ("Global", vec![self.idents(names)]),
            StmtKind::Nonlocal { names } => ("Nonlocal", vec![self.idents(names)]),
            StmtKind::Expr { value } => ("Expr", vec![self.expr(value)?]),
            StmtKind::Pass => ("Pass", vec![]),
            StmtKind::Break => ("Break", vec![]),
            StmtKind::Continue => ("Continue", vec![]),
        };
        self.node(name, values, loc)
    }

    fn expr(&mut self, e: &Expr) -> PyResult<Obj> {
        self.enter()?;
        let r = self.expr_inner(e);
        self.depth -= 1;
        r
    }

    fn expr_inner(&mut self, e: &Expr) -> PyResult<Obj> {
        let (name, values): (&'static str, Vec<Obj>) = match &e.kind {
            ExprKind::BoolOp { op, values } => {
                let op = self.single(if *op == BoolOp::And { "And" } else { "Or" })?;
                ("BoolOp", vec![op, self.exprs(values)?])
            }
            ExprKind::NamedExpr { target, value } => {
                let t = self.expr(target)?;
                ("NamedExpr", vec![t, self.expr(value)?])
            }
            ExprKind::BinOp { left, op, right } => {
                let l = self.expr(left)?;
                let op = self.single(opname(*op))?;
                ("BinOp", vec![l, op, self.expr(right)?])
            }
            ExprKind::UnaryOp { op, operand } => {
                let op = self.single(match op {
                    UnaryOp::Invert => "Invert",
                    UnaryOp::Not => "Not",
                    UnaryOp::UAdd => "UAdd",
                    UnaryOp::USub => "USub",
                })?;
                ("UnaryOp", vec![op, self.expr(operand)?])
            }
            ExprKind::Lambda { args, body } => {
                let a = self.arguments(args)?;
                ("Lambda", vec![a, self.expr(body)?])
            }
            ExprKind::IfExp { test, body, orelse } => {
                let t = self.expr(test)?;
                let b = self.expr(body)?;
                ("IfExp", vec![t, b, self.expr(orelse)?])
            }
            ExprKind::Dict(d) => {
                let keys = self.list(&d.keys, |c, k| match k {
                    Some(k) => c.expr(k),
                    None => Ok(c.none()),
                })?;
                ("Dict", vec![keys, self.exprs(&d.values)?])
            }
            ExprKind::Set { elts } => ("Set", vec![self.exprs(elts)?]),
            ExprKind::ListComp(c) | ExprKind::SetComp(c) | ExprKind::GeneratorExp(c) => {
                let name = match e.kind {
                    ExprKind::ListComp(_) => "ListComp",
                    ExprKind::SetComp(_) => "SetComp",
                    _ => "GeneratorExp",
                };
                let elt = self.expr(&c.elt)?;
                (name, vec![elt, self.generators(&c.generators)?])
            }
            ExprKind::DictComp(c) => {
                let k = self.expr(&c.key)?;
                let v = self.expr(&c.value)?;
                ("DictComp", vec![k, v, self.generators(&c.generators)?])
            }
            ExprKind::Await { value } => ("Await", vec![self.expr(value)?]),
            ExprKind::Yield { value } => ("Yield", vec![self.opt_expr(value)?]),
            ExprKind::YieldFrom { value } => ("YieldFrom", vec![self.expr(value)?]),
            ExprKind::Compare(c) => {
                let l = self.expr(&c.left)?;
                let ops = self.list(&c.ops, |c, op| c.single(cmpname(*op)))?;
                ("Compare", vec![l, ops, self.exprs(&c.comparators)?])
            }
            ExprKind::Call(c) => {
                let f = self.expr(&c.func)?;
                let a = self.exprs(&c.args)?;
                ("Call", vec![f, a, self.list(&c.keywords, |c, k| c.keyword(k))?])
            }
            ExprKind::FormattedValue { value, conversion, format_spec } => {
                let v = self.expr(value)?;
                let spec = self.opt_expr(format_spec)?;
                ("FormattedValue", vec![v, self.int(*conversion as i64), spec])
            }
            ExprKind::JoinedStr { values } => ("JoinedStr", vec![self.exprs(values)?]),
            ExprKind::Constant { value, kind } => {
                let kind = if kind.is_some() { new_str(self.vm, "u") } else { self.none() };
                ("Constant", vec![constant_to_obj(self.vm, value), kind])
            }
            ExprKind::Attribute { value, attr, ctx } => {
                let v = self.expr(value)?;
                ("Attribute", vec![v, self.ident(attr), self.ctx(*ctx)?])
            }
            ExprKind::Subscript { value, slice, ctx } => {
                let v = self.expr(value)?;
                let s = self.expr(slice)?;
                ("Subscript", vec![v, s, self.ctx(*ctx)?])
            }
            ExprKind::Starred { value, ctx } => {
                let v = self.expr(value)?;
                ("Starred", vec![v, self.ctx(*ctx)?])
            }
            ExprKind::Name { id, ctx } => ("Name", vec![self.ident(id), self.ctx(*ctx)?]),
            ExprKind::List { elts, ctx } => {
                let el = self.exprs(elts)?;
                ("List", vec![el, self.ctx(*ctx)?])
            }
            ExprKind::Tuple { elts, ctx } => {
                let el = self.exprs(elts)?;
                ("Tuple", vec![el, self.ctx(*ctx)?])
            }
            ExprKind::Slice { lower, upper, step } => {
                let l = self.opt_expr(lower)?;
                let u = self.opt_expr(upper)?;
                ("Slice", vec![l, u, self.opt_expr(step)?])
            }
        };
        self.node(name, values, Some(&e.loc))
    }

    fn patterns(&mut self, v: &[Pattern]) -> PyResult<Obj> {
        self.list(v, |c, p| c.pattern(p))
    }

    fn pattern(&mut self, p: &Pattern) -> PyResult<Obj> {
        self.enter()?;
        let r = self.pattern_inner(p);
        self.depth -= 1;
        r
    }

    fn pattern_inner(&mut self, p: &Pattern) -> PyResult<Obj> {
        let (name, values): (&'static str, Vec<Obj>) = match &p.kind {
            PatternKind::MatchValue { value } => ("MatchValue", vec![self.expr(value)?]),
            PatternKind::MatchSingleton { value } => ("MatchSingleton", vec![constant_to_obj(self.vm, value)]),
            PatternKind::MatchSequence { patterns } => ("MatchSequence", vec![self.patterns(patterns)?]),
            PatternKind::MatchMapping { keys, patterns, rest } => {
                let k = self.exprs(keys)?;
                let p = self.patterns(patterns)?;
                ("MatchMapping", vec![k, p, self.opt_ident(rest)])
            }
            PatternKind::MatchClass { cls, patterns, kwd_attrs, kwd_patterns } => {
                let c = self.expr(cls)?;
                let p = self.patterns(patterns)?;
                let ka = self.idents(kwd_attrs);
                ("MatchClass", vec![c, p, ka, self.patterns(kwd_patterns)?])
            }
            PatternKind::MatchStar { name } => ("MatchStar", vec![self.opt_ident(name)]),
            PatternKind::MatchAs { pattern, name } => {
                let p = match pattern {
                    Some(p) => self.pattern(p)?,
                    None => self.none(),
                };
                ("MatchAs", vec![p, self.opt_ident(name)])
            }
            PatternKind::MatchOr { patterns } => ("MatchOr", vec![self.patterns(patterns)?]),
        };
        self.node(name, values, Some(&p.loc))
    }
}
