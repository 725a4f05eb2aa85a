//! Checks a tree built from node objects before it is compiled (CPython's
//! `PyAST_Validate` in `Python/ast.c`): expression contexts, non-empty
//! bodies and lists, matching lengths, reserved identifiers. The code
//! generator may then rely on the shapes the parser produces.

use taipan_parser::ast::*;

use crate::vm::Vm;
use crate::PyResult;

pub fn validate_mod(vm: &Vm, m: &Mod) -> PyResult<()> {
    let v = Validator { vm };
    match m {
        Mod::Module { body, .. } | Mod::Interactive { body } => v.stmts(body),
        Mod::Expression { body } => v.expr(body, ExprContext::Load),
    }
}

struct Validator<'a> {
    vm: &'a Vm,
}

fn ctx_name(c: ExprContext) -> &'static str {
    match c {
        ExprContext::Load => "Load",
        ExprContext::Store => "Store",
        ExprContext::Del => "Del",
    }
}

use ExprContext::{Del, Load, Store};

impl Validator<'_> {
    fn err(&self, msg: impl Into<String>) -> crate::PyErr {
        self.vm.new_error(&self.vm.types.value_error, msg)
    }

    fn check(&self, ok: bool, msg: &str) -> PyResult<()> {
        if ok {
            Ok(())
        } else {
            Err(self.err(msg))
        }
    }

    fn nonempty<T>(&self, v: &[T], what: &str, owner: &str) -> PyResult<()> {
        self.check(!v.is_empty(), &format!("empty {what} on {owner}"))
    }

    fn body(&self, body: &[Stmt], owner: &str) -> PyResult<()> {
        self.nonempty(body, "body", owner)?;
        self.stmts(body)
    }

    fn stmts(&self, body: &[Stmt]) -> PyResult<()> {
        body.iter().try_for_each(|s| self.stmt(s))
    }

    fn exprs(&self, v: &[Expr], ctx: ExprContext) -> PyResult<()> {
        v.iter().try_for_each(|e| self.expr(e, ctx))
    }

    fn opt(&self, e: &Option<Box<Expr>>, ctx: ExprContext) -> PyResult<()> {
        e.as_ref().map_or(Ok(()), |e| self.expr(e, ctx))
    }

    fn name(&self, id: &str) -> PyResult<()> {
        if matches!(id, "None" | "True" | "False") {
            return Err(self.err(format!("identifier field can't represent '{id}' constant")));
        }
        Ok(())
    }

    fn arguments(&self, a: &Arguments) -> PyResult<()> {
        for arg in a.posonlyargs.iter().chain(&a.args).chain(a.vararg.as_deref()).chain(&a.kwonlyargs).chain(a.kwarg.as_deref()) {
            self.opt(&arg.annotation, Load)?;
        }
        self.check(a.defaults.len() <= a.posonlyargs.len() + a.args.len(), "more positional defaults than args on arguments")?;
        self.check(a.kw_defaults.len() == a.kwonlyargs.len(), "length of kwonlyargs is not the same as kw_defaults on arguments")?;
        self.exprs(&a.defaults, Load)?;
        a.kw_defaults.iter().flatten().try_for_each(|e| self.expr(e, Load))
    }

    fn keywords(&self, k: &[Keyword]) -> PyResult<()> {
        k.iter().try_for_each(|k| self.expr(&k.value, Load))
    }

    fn comprehension(&self, gens: &[Comprehension]) -> PyResult<()> {
        self.check(!gens.is_empty(), "comprehension with no generators")?;
        for g in gens {
            self.expr(&g.target, Store)?;
            self.expr(&g.iter, Load)?;
            self.exprs(&g.ifs, Load)?;
        }
        Ok(())
    }

    fn try_(&self, t: &Try, owner: &str) -> PyResult<()> {
        self.body(&t.body, owner)?;
        if t.handlers.is_empty() && t.finalbody.is_empty() {
            return Err(self.err(format!("{owner} has neither except handlers nor finalbody")));
        }
        if t.handlers.is_empty() && !t.orelse.is_empty() {
            return Err(self.err(format!("{owner} has orelse but no except handlers")));
        }
        for h in &t.handlers {
            self.opt(&h.type_, Load)?;
            self.body(&h.body, "ExceptHandler")?;
        }
        if !t.finalbody.is_empty() {
            self.stmts(&t.finalbody)?;
        }
        self.stmts(&t.orelse)
    }

    fn stmt(&self, s: &Stmt) -> PyResult<()> {
        let _guard = self.vm.enter_recursive_call(" during compilation")?;
        match &s.kind {
            StmtKind::FunctionDef(f) | StmtKind::AsyncFunctionDef(f) => {
                let owner = if matches!(s.kind, StmtKind::FunctionDef(_)) { "FunctionDef" } else { "AsyncFunctionDef" };
                self.body(&f.body, owner)?;
                self.arguments(&f.args)?;
                self.exprs(&f.decorator_list, Load)?;
                self.opt(&f.returns, Load)
            }
            StmtKind::ClassDef(c) => {
                self.body(&c.body, "ClassDef")?;
                self.exprs(&c.bases, Load)?;
                self.keywords(&c.keywords)?;
                self.exprs(&c.decorator_list, Load)
            }
            StmtKind::Return { value } => self.opt(value, Load),
            StmtKind::Delete { targets } => {
                self.nonempty(targets, "targets", "Delete")?;
                self.exprs(targets, Del)
            }
            StmtKind::Assign { targets, value, .. } => {
                self.nonempty(targets, "targets", "Assign")?;
                self.exprs(targets, Store)?;
                self.expr(value, Load)
            }
            StmtKind::AugAssign { target, value, .. } => {
                self.expr(target, Store)?;
                self.expr(value, Load)
            }
            StmtKind::AnnAssign { target, annotation, value, simple } => {
                if *simple && !matches!(target.kind, ExprKind::Name { .. }) {
                    return Err(self.vm.type_error("AnnAssign with simple non-Name target"));
                }
                self.expr(target, Store)?;
                self.opt(value, Load)?;
                self.expr(annotation, Load)
            }
            StmtKind::For { target, iter, body, orelse, .. } | StmtKind::AsyncFor { target, iter, body, orelse, .. } => {
                self.expr(target, Store)?;
                self.expr(iter, Load)?;
                self.body(body, if matches!(s.kind, StmtKind::For { .. }) { "For" } else { "AsyncFor" })?;
                self.stmts(orelse)
            }
            StmtKind::While { test, body, orelse } | StmtKind::If { test, body, orelse } => {
                self.expr(test, Load)?;
                self.body(body, if matches!(s.kind, StmtKind::While { .. }) { "While" } else { "If" })?;
                self.stmts(orelse)
            }
            StmtKind::With { items, body, .. } | StmtKind::AsyncWith { items, body, .. } => {
                let owner = if matches!(s.kind, StmtKind::With { .. }) { "With" } else { "AsyncWith" };
                self.nonempty(items, "items", owner)?;
                for i in items {
                    self.expr(&i.context_expr, Load)?;
                    self.opt(&i.optional_vars, Store)?;
                }
                self.body(body, owner)
            }
            StmtKind::Match { subject, cases } => {
                self.expr(subject, Load)?;
                self.nonempty(cases, "cases", "Match")?;
                for c in cases {
                    self.pattern(&c.pattern)?;
                    self.opt(&c.guard, Load)?;
                    self.body(&c.body, "match_case")?;
                }
                Ok(())
            }
            StmtKind::Raise { exc, cause } => {
                if exc.is_none() && cause.is_some() {
                    return Err(self.err("Raise with cause but no exception"));
                }
                self.opt(exc, Load)?;
                self.opt(cause, Load)
            }
            StmtKind::Try(t) => self.try_(t, "Try"),
            StmtKind::TryStar(t) => self.try_(t, "TryStar"),
            StmtKind::Assert { test, msg } => {
                self.expr(test, Load)?;
                self.opt(msg, Load)
            }
            StmtKind::Import { names } => self.nonempty(names, "names", "Import"),
            StmtKind::ImportFrom { names, .. } => self.nonempty(names, "names", "ImportFrom"),
            StmtKind::Global { names } => self.nonempty(names, "names", "Global"),
            StmtKind::Nonlocal { names } => self.nonempty(names, "names", "Nonlocal"),
            StmtKind::Expr { value } => self.expr(value, Load),
            StmtKind::Pass | StmtKind::Break | StmtKind::Continue => Ok(()),
        }
    }

    fn expr(&self, e: &Expr, ctx: ExprContext) -> PyResult<()> {
        let _guard = self.vm.enter_recursive_call(" during compilation")?;
        let actual = match &e.kind {
            ExprKind::Attribute { ctx, .. }
            | ExprKind::Subscript { ctx, .. }
            | ExprKind::Starred { ctx, .. }
            | ExprKind::Name { ctx, .. }
            | ExprKind::List { ctx, .. }
            | ExprKind::Tuple { ctx, .. } => Some(*ctx),
            _ => None,
        };
        match actual {
            Some(a) if a != ctx => {
                return Err(self.err(format!("expression must have {} context but has {} instead", ctx_name(ctx), ctx_name(a))));
            }
            None if ctx != Load => {
                return Err(self.err(format!("expression which can't be assigned to in {} context", ctx_name(ctx))));
            }
            _ => {}
        }
        match &e.kind {
            ExprKind::BoolOp { values, .. } => {
                self.check(values.len() >= 2, "BoolOp with less than 2 values")?;
                self.exprs(values, Load)
            }
            ExprKind::NamedExpr { target, value } => {
                if !matches!(target.kind, ExprKind::Name { .. }) {
                    return Err(self.vm.type_error("NamedExpr target must be a Name"));
                }
                self.expr(target, Store)?;
                self.expr(value, Load)
            }
            ExprKind::BinOp { left, right, .. } => {
                self.expr(left, Load)?;
                self.expr(right, Load)
            }
            ExprKind::UnaryOp { operand, .. } => self.expr(operand, Load),
            ExprKind::Lambda { args, body } => {
                self.arguments(args)?;
                self.expr(body, Load)
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.expr(test, Load)?;
                self.expr(body, Load)?;
                self.expr(orelse, Load)
            }
            ExprKind::Dict(d) => {
                self.check(d.keys.len() == d.values.len(), "Dict doesn't have the same number of keys as values")?;
                d.keys.iter().flatten().try_for_each(|k| self.expr(k, Load))?;
                self.exprs(&d.values, Load)
            }
            ExprKind::Set { elts } => self.exprs(elts, Load),
            ExprKind::ListComp(c) | ExprKind::SetComp(c) | ExprKind::GeneratorExp(c) => {
                self.comprehension(&c.generators)?;
                self.expr(&c.elt, Load)
            }
            ExprKind::DictComp(c) => {
                self.comprehension(&c.generators)?;
                self.expr(&c.key, Load)?;
                self.expr(&c.value, Load)
            }
            ExprKind::Await { value } | ExprKind::YieldFrom { value } => self.expr(value, Load),
            ExprKind::Yield { value } => self.opt(value, Load),
            ExprKind::Compare(c) => {
                self.check(!c.comparators.is_empty(), "Compare with no comparators")?;
                self.check(c.comparators.len() == c.ops.len(), "Compare has a different number of comparators and operands")?;
                self.exprs(&c.comparators, Load)?;
                self.expr(&c.left, Load)
            }
            ExprKind::Call(c) => {
                self.expr(&c.func, Load)?;
                self.exprs(&c.args, Load)?;
                self.keywords(&c.keywords)
            }
            ExprKind::FormattedValue { value, conversion, format_spec } => {
                if !matches!(*conversion, -1 | 115 | 114 | 97) {
                    let ty = self.vm.exception_type("SystemError").unwrap_or_else(|| self.vm.types.exception.clone());
                    return Err(self.vm.new_error(&ty, format!("Unrecognized conversion character {conversion}")));
                }
                self.expr(value, Load)?;
                self.opt(format_spec, Load)
            }
            ExprKind::JoinedStr { values } => self.exprs(values, Load),
            ExprKind::Constant { .. } => Ok(()),
            ExprKind::Attribute { value, .. } => self.expr(value, Load),
            ExprKind::Subscript { value, slice, .. } => {
                self.expr(slice, Load)?;
                self.expr(value, Load)
            }
            ExprKind::Starred { value, .. } => self.expr(value, ctx),
            ExprKind::Slice { lower, upper, step } => {
                self.opt(lower, Load)?;
                self.opt(upper, Load)?;
                self.opt(step, Load)
            }
            ExprKind::List { elts, .. } | ExprKind::Tuple { elts, .. } => self.exprs(elts, ctx),
            ExprKind::Name { id, .. } => self.name(id),
        }
    }

    fn pattern(&self, p: &Pattern) -> PyResult<()> {
        self.pattern_star(p, false)
    }

    /// A capture name: not `_` (CPython's `validate_capture`).
    fn capture(&self, name: &str) -> PyResult<()> {
        if name == "_" {
            return Err(self.err("can't capture name '_' in patterns"));
        }
        self.name(name)
    }

    /// The value of a `MatchValue` or a mapping key (CPython's
    /// `validate_pattern_match_value`).
    fn match_value(&self, e: &Expr) -> PyResult<()> {
        self.expr(e, Load)?;
        match &e.kind {
            ExprKind::Constant { value, .. } => {
                if matches!(value, Constant::Int(_) | Constant::Float(_) | Constant::Bytes(_) | Constant::Complex { .. } | Constant::Str(_))
                {
                    return Ok(());
                }
                Err(self.err("unexpected constant inside of a literal pattern"))
            }
            ExprKind::Attribute { .. } | ExprKind::JoinedStr { .. } => Ok(()),
            ExprKind::UnaryOp { op: UnaryOp::USub, .. } => Ok(()),
            ExprKind::BinOp { op: Operator::Add | Operator::Sub, .. } => Ok(()),
            _ => Err(self.err("patterns may only match literals and attribute lookups")),
        }
    }

    /// CPython's `validate_pattern` (`star_ok`: a `MatchStar` may stand
    /// here, directly in a sequence pattern).
    fn pattern_star(&self, p: &Pattern, star_ok: bool) -> PyResult<()> {
        let _guard = self.vm.enter_recursive_call(" during compilation")?;
        match &p.kind {
            PatternKind::MatchValue { value } => self.match_value(value),
            PatternKind::MatchSingleton { value } => {
                if !matches!(value, Constant::None | Constant::Bool(_)) {
                    return Err(self.err("MatchSingleton can only contain True, False and None"));
                }
                Ok(())
            }
            PatternKind::MatchSequence { patterns } => patterns.iter().try_for_each(|p| self.pattern_star(p, true)),
            PatternKind::MatchOr { patterns } => {
                if patterns.len() < 2 {
                    return Err(self.err("MatchOr requires at least 2 patterns"));
                }
                patterns.iter().try_for_each(|p| self.pattern(p))
            }
            PatternKind::MatchMapping { keys, patterns, rest } => {
                self.check(keys.len() == patterns.len(), "MatchMapping doesn't have the same number of keys as patterns")?;
                if let Some(r) = rest {
                    self.capture(r)?;
                }
                for k in keys {
                    // None, True and False are valid keys (the compiler
                    // reports them otherwise).
                    if matches!(&k.kind, ExprKind::Constant { value: Constant::None | Constant::Bool(_), .. }) {
                        continue;
                    }
                    self.match_value(k)?;
                }
                patterns.iter().try_for_each(|p| self.pattern(p))
            }
            PatternKind::MatchClass { cls, patterns, kwd_attrs, kwd_patterns } => {
                self.check(
                    kwd_attrs.len() == kwd_patterns.len(),
                    "MatchClass doesn't have the same number of keyword attributes as patterns",
                )?;
                self.expr(cls, Load)?;
                let mut c: &Expr = cls;
                loop {
                    match &c.kind {
                        ExprKind::Name { .. } => break,
                        ExprKind::Attribute { value, .. } => c = value,
                        _ => return Err(self.err("MatchClass cls field can only contain Name or Attribute nodes.")),
                    }
                }
                kwd_attrs.iter().try_for_each(|a| self.name(a))?;
                patterns.iter().chain(kwd_patterns).try_for_each(|p| self.pattern(p))
            }
            PatternKind::MatchStar { name } => {
                if !star_ok {
                    return Err(self.err("can't use MatchStar here"));
                }
                name.as_deref().map_or(Ok(()), |n| self.capture(n))
            }
            PatternKind::MatchAs { pattern, name } => {
                if let Some(n) = name {
                    self.capture(n)?;
                }
                if pattern.is_some() && name.is_none() {
                    return Err(self.err("MatchAs must specify a target name if a pattern is given"));
                }
                pattern.as_deref().map_or(Ok(()), |p| self.pattern(p))
            }
        }
    }
}
