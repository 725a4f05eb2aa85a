//! First pass: walk the tree, create scopes, record raw symbol flags.
//! The visiting order is CPython's (it decides child order, symbol order
//! and which error is reported first).

use std::collections::HashMap;
use std::rc::Rc;

use taipan_parser::ast::{self, Expr, ExprKind, Loc, Pattern, PatternKind, Stmt, StmtKind};

use super::flags::*;
use super::{mangle, CompKind, FutureFeatures, Scope, ScopeId, ScopeKind, SymScope, SymbolTable, SymtableError};

type R = Result<(), SymtableError>;

pub(crate) struct Builder<'a> {
    scopes: Vec<Scope>,
    by_node: HashMap<usize, ScopeId>,
    stack: Vec<ScopeId>,
    cur: ScopeId,
    private: Option<&'a str>,
    future: FutureFeatures,
    names: HashMap<Box<str>, Rc<str>>,
    depth: u32,
    max_depth: u32,
}

fn err(msg: impl Into<String>, loc: Loc) -> SymtableError {
    SymtableError::at(msg.into(), loc)
}

impl<'a> Builder<'a> {
    pub(crate) fn run(module: &'a ast::Mod, future: FutureFeatures, max_depth: u32) -> Result<SymbolTable, SymtableError> {
        let mut b = Builder {
            scopes: Vec::new(),
            by_node: HashMap::new(),
            stack: Vec::new(),
            cur: 0,
            private: None,
            future,
            names: HashMap::new(),
            depth: 0,
            max_depth,
        };
        let top = b.intern("top");
        b.scopes.push(Scope::new(ScopeKind::Module, top, Loc::default(), None));
        b.stack.push(0);
        match module {
            ast::Mod::Module { body, .. } | ast::Mod::Interactive { body } => b.stmts(body)?,
            ast::Mod::Expression { body } => b.expr(body)?,
        }
        Ok(SymbolTable { scopes: b.scopes, future: b.future, filename: String::new(), by_node: b.by_node })
    }

    fn intern(&mut self, s: &str) -> Rc<str> {
        if let Some(r) = self.names.get(s) {
            return r.clone();
        }
        let r: Rc<str> = Rc::from(s);
        self.names.insert(s.into(), r.clone());
        r
    }

    fn cur(&mut self) -> &mut Scope {
        &mut self.scopes[self.cur]
    }

    // ----- scopes -----

    fn enter(&mut self, name: &str, kind: ScopeKind, loc: Loc, key: Option<usize>) -> ScopeId {
        let name = self.intern(name);
        let prev = self.cur;
        let id = self.scopes.len();
        let mut sc = Scope::new(kind, name, loc, Some(prev));
        let p = &self.scopes[prev];
        sc.nested = p.nested || p.kind == ScopeKind::Function;
        // bpo-37757: every assignment expression inside the outermost
        // iterable of a comprehension is refused, even in nested scopes.
        sc.comp_iter_expr = p.comp_iter_expr;
        self.scopes.push(sc);
        self.stack.push(id);
        self.cur = id;
        if kind != ScopeKind::Annotation {
            self.scopes[prev].children.push(id);
            if let Some(k) = key {
                self.by_node.insert(k, id);
            }
        }
        id
    }

    fn exit(&mut self) {
        self.stack.pop();
        self.cur = *self.stack.last().expect("module scope stays on the stack");
    }

    // ----- definitions -----

    /// CPython's `symtable_add_def_helper`.
    fn add_def_in(&mut self, name: &str, flag: u32, scope: ScopeId, loc: Loc) -> R {
        let mangled = mangle(self.private, name);
        let mangled = self.intern(&mangled);
        let sc = &mut self.scopes[scope];
        let mut val = match sc.symbol_mut(&mangled) {
            Some(sym) => {
                if flag & DEF_PARAM != 0 && sym.flags & DEF_PARAM != 0 {
                    return Err(err(format!("duplicate argument '{name}' in function definition"), loc));
                }
                sym.flags | flag
            }
            None => flag,
        };
        if sc.comp_iter_target {
            if val & (DEF_GLOBAL | DEF_NONLOCAL) != 0 {
                return Err(err(format!("comprehension inner loop cannot rebind assignment expression target '{name}'"), loc));
            }
            val |= DEF_COMP_ITER;
        }
        match sc.symbol_mut(&mangled) {
            Some(sym) => sym.flags = val,
            None => sc.insert(mangled.clone(), val, SymScope::None),
        }
        if flag & DEF_PARAM != 0 {
            sc.varnames.push(mangled);
        } else if flag & DEF_GLOBAL != 0 {
            let module = &mut self.scopes[0];
            match module.symbol_mut(&mangled) {
                Some(sym) => sym.flags |= flag,
                None => module.insert(mangled, flag, SymScope::None),
            }
        }
        Ok(())
    }

    fn add_def(&mut self, name: &str, flag: u32, loc: Loc) -> R {
        self.add_def_in(name, flag, self.cur, loc)
    }

    fn lookup(&self, name: &str) -> u32 {
        self.scopes[self.cur].flags_of(&mangle(self.private, name))
    }

    fn record_directive(&mut self, name: &str, loc: Loc) {
        let mangled = mangle(self.private, name);
        let mangled = self.intern(&mangled);
        self.cur().directives.push((mangled, loc));
    }

    // ----- statements -----

    fn stmts(&mut self, body: &'a [Stmt]) -> R {
        body.iter().try_for_each(|s| self.stmt(s))
    }

    fn exprs(&mut self, es: &'a [Expr]) -> R {
        es.iter().try_for_each(|e| self.expr(e))
    }

    fn function(&mut self, s: &'a Stmt, f: &'a ast::FunctionDef, is_async: bool) -> R {
        self.add_def(&f.name, DEF_LOCAL, s.loc)?;
        self.exprs(&f.args.defaults)?;
        for d in f.args.kw_defaults.iter().flatten() {
            self.expr(d)?;
        }
        self.annotations(s.loc, &f.args, f.returns.as_deref())?;
        self.exprs(&f.decorator_list)?;
        self.enter(&f.name, ScopeKind::Function, s.loc, Some(s as *const Stmt as usize));
        if is_async {
            self.cur().is_coroutine = true;
            self.cur().is_async_def = true;
        }
        self.arguments(&f.args)?;
        self.stmts(&f.body)?;
        self.exit();
        Ok(())
    }

    /// Statements and expressions count towards the nesting limit, as in CPython.
    fn enter_recursion(&mut self) -> R {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(SymtableError::recursion());
        }
        Ok(())
    }

    fn stmt(&mut self, s: &'a Stmt) -> R {
        self.enter_recursion()?;
        self.stmt_inner(s)?;
        self.depth -= 1;
        Ok(())
    }

    fn stmt_inner(&mut self, s: &'a Stmt) -> R {
        match &s.kind {
            StmtKind::FunctionDef(f) => self.function(s, f, false)?,
            StmtKind::AsyncFunctionDef(f) => self.function(s, f, true)?,
            StmtKind::ClassDef(c) => {
                self.add_def(&c.name, DEF_LOCAL, s.loc)?;
                self.exprs(&c.bases)?;
                for k in &c.keywords {
                    self.expr(&k.value)?;
                }
                self.exprs(&c.decorator_list)?;
                self.enter(&c.name, ScopeKind::Class, s.loc, Some(s as *const Stmt as usize));
                let saved = self.private.replace(&c.name);
                self.stmts(&c.body)?;
                self.private = saved;
                self.exit();
            }
            StmtKind::Return { value } => {
                if let Some(v) = value {
                    self.expr(v)?;
                }
            }
            StmtKind::Delete { targets } => self.exprs(targets)?,
            StmtKind::Assign { targets, value, .. } => {
                self.exprs(targets)?;
                self.expr(value)?;
            }
            StmtKind::AnnAssign { target, annotation, value, simple } => {
                if let ExprKind::Name { id, .. } = &target.kind {
                    let cur = self.lookup(id);
                    if cur & (DEF_GLOBAL | DEF_NONLOCAL) != 0 && self.cur != 0 && *simple {
                        let what = if cur & DEF_GLOBAL != 0 { "global" } else { "nonlocal" };
                        return Err(err(format!("annotated name '{id}' can't be {what}"), s.loc));
                    }
                    if *simple {
                        self.add_def(id, DEF_ANNOT | DEF_LOCAL, target.loc)?;
                    } else if value.is_some() {
                        self.add_def(id, DEF_LOCAL, target.loc)?;
                    }
                } else {
                    self.expr(target)?;
                }
                self.annotation(annotation)?;
                if let Some(v) = value {
                    self.expr(v)?;
                }
            }
            StmtKind::AugAssign { target, value, .. } => {
                self.expr(target)?;
                self.expr(value)?;
            }
            StmtKind::For { target, iter, body, orelse, .. } | StmtKind::AsyncFor { target, iter, body, orelse, .. } => {
                self.expr(target)?;
                self.expr(iter)?;
                self.stmts(body)?;
                self.stmts(orelse)?;
            }
            StmtKind::While { test, body, orelse } | StmtKind::If { test, body, orelse } => {
                self.expr(test)?;
                self.stmts(body)?;
                self.stmts(orelse)?;
            }
            StmtKind::With { items, body, .. } | StmtKind::AsyncWith { items, body, .. } => {
                for item in items {
                    self.expr(&item.context_expr)?;
                    if let Some(v) = &item.optional_vars {
                        self.expr(v)?;
                    }
                }
                self.stmts(body)?;
            }
            StmtKind::Match { subject, cases } => {
                self.expr(subject)?;
                for case in cases {
                    self.pattern(&case.pattern)?;
                    if let Some(g) = &case.guard {
                        self.expr(g)?;
                    }
                    self.stmts(&case.body)?;
                }
            }
            StmtKind::Raise { exc, cause } => {
                if let Some(e) = exc {
                    self.expr(e)?;
                }
                if let Some(c) = cause {
                    self.expr(c)?;
                }
            }
            StmtKind::Try(t) | StmtKind::TryStar(t) => {
                self.stmts(&t.body)?;
                self.stmts(&t.orelse)?;
                for h in &t.handlers {
                    if let Some(ty) = &h.type_ {
                        self.expr(ty)?;
                    }
                    if let Some(name) = &h.name {
                        self.add_def(name, DEF_LOCAL, h.loc)?;
                    }
                    self.stmts(&h.body)?;
                }
                self.stmts(&t.finalbody)?;
            }
            StmtKind::Assert { test, msg } => {
                self.expr(test)?;
                if let Some(m) = msg {
                    self.expr(m)?;
                }
            }
            StmtKind::Import { names } | StmtKind::ImportFrom { names, .. } => {
                for a in names {
                    self.alias(a)?;
                }
            }
            StmtKind::Global { names } => self.declare(names, DEF_GLOBAL, "global", s.loc)?,
            StmtKind::Nonlocal { names } => self.declare(names, DEF_NONLOCAL, "nonlocal", s.loc)?,
            StmtKind::Expr { value } => self.expr(value)?,
            StmtKind::Pass | StmtKind::Break | StmtKind::Continue => {}
        }
        Ok(())
    }

    fn declare(&mut self, names: &[ast::Ident], flag: u32, what: &str, loc: Loc) -> R {
        for name in names {
            let cur = self.lookup(name);
            if cur & (DEF_PARAM | DEF_LOCAL | USE | DEF_ANNOT) != 0 {
                let msg = if cur & DEF_PARAM != 0 {
                    format!("name '{name}' is parameter and {what}")
                } else if cur & USE != 0 {
                    format!("name '{name}' is used prior to {what} declaration")
                } else if cur & DEF_ANNOT != 0 {
                    format!("annotated name '{name}' can't be {what}")
                } else {
                    format!("name '{name}' is assigned to before {what} declaration")
                };
                return Err(err(msg, loc));
            }
            self.add_def(name, flag, loc)?;
            self.record_directive(name, loc);
        }
        Ok(())
    }

    fn alias(&mut self, a: &ast::Alias) -> R {
        let name = a.asname.as_deref().unwrap_or(&a.name);
        if name == "*" {
            if self.scopes[self.cur].kind != ScopeKind::Module {
                return Err(err("import * only allowed at module level", a.loc));
            }
            return Ok(());
        }
        let store = match name.find('.') {
            Some(dot) => &name[..dot],
            None => name,
        };
        self.add_def(store, DEF_IMPORT, a.loc)
    }

    fn pattern(&mut self, p: &'a Pattern) -> R {
        match &p.kind {
            PatternKind::MatchValue { value } => self.expr(value)?,
            PatternKind::MatchSingleton { .. } => {}
            PatternKind::MatchSequence { patterns } | PatternKind::MatchOr { patterns } => {
                patterns.iter().try_for_each(|q| self.pattern(q))?
            }
            PatternKind::MatchStar { name } => {
                if let Some(n) = name {
                    self.add_def(n, DEF_LOCAL, p.loc)?;
                }
            }
            PatternKind::MatchMapping { keys, patterns, rest } => {
                self.exprs(keys)?;
                patterns.iter().try_for_each(|q| self.pattern(q))?;
                if let Some(n) = rest {
                    self.add_def(n, DEF_LOCAL, p.loc)?;
                }
            }
            PatternKind::MatchClass { cls, patterns, kwd_patterns, .. } => {
                self.expr(cls)?;
                patterns.iter().try_for_each(|q| self.pattern(q))?;
                kwd_patterns.iter().try_for_each(|q| self.pattern(q))?;
            }
            PatternKind::MatchAs { pattern, name } => {
                if let Some(q) = pattern {
                    self.pattern(q)?;
                }
                if let Some(n) = name {
                    self.add_def(n, DEF_LOCAL, p.loc)?;
                }
            }
        }
        Ok(())
    }

    // ----- parameters and annotations -----

    fn params(&mut self, args: &[ast::Arg]) -> R {
        args.iter().try_for_each(|a| self.add_def(&a.arg, DEF_PARAM, a.loc))
    }

    fn arguments(&mut self, a: &ast::Arguments) -> R {
        self.params(&a.posonlyargs)?;
        self.params(&a.args)?;
        self.params(&a.kwonlyargs)?;
        if let Some(v) = &a.vararg {
            self.add_def(&v.arg, DEF_PARAM, v.loc)?;
            self.cur().has_varargs = true;
        }
        if let Some(k) = &a.kwarg {
            self.add_def(&k.arg, DEF_PARAM, k.loc)?;
            self.cur().has_varkeywords = true;
        }
        Ok(())
    }

    fn arg_annotations(&mut self, args: &'a [ast::Arg]) -> R {
        for a in args {
            if let Some(ann) = &a.annotation {
                self.expr(ann)?;
            }
        }
        Ok(())
    }

    /// Parameter annotations (in an annotation scope under PEP 563), then
    /// the return annotation.
    fn annotations(&mut self, loc: Loc, a: &'a ast::Arguments, returns: Option<&'a Expr>) -> R {
        let future = self.future.annotations;
        if future {
            self.enter("_annotation", ScopeKind::Annotation, loc, None);
        }
        self.arg_annotations(&a.posonlyargs)?;
        self.arg_annotations(&a.args)?;
        if let Some(ann) = a.vararg.as_ref().and_then(|v| v.annotation.as_ref()) {
            self.expr(ann)?;
        }
        if let Some(ann) = a.kwarg.as_ref().and_then(|v| v.annotation.as_ref()) {
            self.expr(ann)?;
        }
        self.arg_annotations(&a.kwonlyargs)?;
        if future {
            self.exit();
        }
        if let Some(r) = returns {
            self.annotation(r)?;
        }
        Ok(())
    }

    fn annotation(&mut self, ann: &'a Expr) -> R {
        let future = self.future.annotations;
        if future {
            self.enter("_annotation", ScopeKind::Annotation, ann.loc, None);
        }
        self.expr(ann)?;
        if future {
            self.exit();
        }
        Ok(())
    }

    fn refuse_in_annotation(&self, what: &str, e: &Expr) -> R {
        if self.scopes[self.cur].kind == ScopeKind::Annotation {
            return Err(err(format!("'{what}' can not be used within an annotation"), e.loc));
        }
        Ok(())
    }

    fn refuse_in_comprehension(&self, e: &Expr) -> R {
        let msg = match self.scopes[self.cur].comprehension {
            None => return Ok(()),
            Some(CompKind::List) => "'yield' inside list comprehension",
            Some(CompKind::Set) => "'yield' inside set comprehension",
            Some(CompKind::Dict) => "'yield' inside dict comprehension",
            Some(CompKind::Generator) => "'yield' inside generator expression",
        };
        Err(err(msg, e.loc))
    }

    // ----- expressions -----

    fn expr(&mut self, e: &'a Expr) -> R {
        self.enter_recursion()?;
        self.expr_inner(e)?;
        self.depth -= 1;
        Ok(())
    }

    fn expr_inner(&mut self, e: &'a Expr) -> R {
        match &e.kind {
            ExprKind::BoolOp { values, .. } => self.exprs(values)?,
            ExprKind::NamedExpr { target, value } => {
                self.refuse_in_annotation("named expression", e)?;
                if self.scopes[self.cur].comp_iter_expr > 0 {
                    return Err(err("assignment expression cannot be used in a comprehension iterable expression", e.loc));
                }
                if self.scopes[self.cur].comprehension.is_some() {
                    self.extend_namedexpr_scope(target)?;
                }
                self.expr(value)?;
                self.expr(target)?;
            }
            ExprKind::BinOp { left, right, .. } => {
                self.expr(left)?;
                self.expr(right)?;
            }
            ExprKind::UnaryOp { operand, .. } => self.expr(operand)?,
            ExprKind::Lambda { args, body } => {
                self.exprs(&args.defaults)?;
                for d in args.kw_defaults.iter().flatten() {
                    self.expr(d)?;
                }
                self.enter("lambda", ScopeKind::Function, e.loc, Some(e as *const Expr as usize));
                self.arguments(args)?;
                self.expr(body)?;
                self.exit();
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.expr(test)?;
                self.expr(body)?;
                self.expr(orelse)?;
            }
            ExprKind::Dict(d) => {
                for k in d.keys.iter().flatten() {
                    self.expr(k)?;
                }
                self.exprs(&d.values)?;
            }
            ExprKind::Set { elts } => self.exprs(elts)?,
            ExprKind::ListComp(c) => self.comprehension(e, "listcomp", CompKind::List, &c.generators, &c.elt, None)?,
            ExprKind::SetComp(c) => self.comprehension(e, "setcomp", CompKind::Set, &c.generators, &c.elt, None)?,
            ExprKind::GeneratorExp(c) => self.comprehension(e, "genexpr", CompKind::Generator, &c.generators, &c.elt, None)?,
            ExprKind::DictComp(c) => self.comprehension(e, "dictcomp", CompKind::Dict, &c.generators, &c.key, Some(&c.value))?,
            ExprKind::Await { value } => {
                self.refuse_in_annotation("await expression", e)?;
                self.expr(value)?;
                self.cur().is_coroutine = true;
            }
            ExprKind::Yield { value } => {
                self.refuse_in_annotation("yield expression", e)?;
                if let Some(v) = value {
                    self.expr(v)?;
                }
                self.cur().is_generator = true;
                self.refuse_in_comprehension(e)?;
            }
            ExprKind::YieldFrom { value } => {
                self.refuse_in_annotation("yield expression", e)?;
                self.expr(value)?;
                self.cur().is_generator = true;
                self.refuse_in_comprehension(e)?;
            }
            ExprKind::Compare(c) => {
                self.expr(&c.left)?;
                self.exprs(&c.comparators)?;
            }
            ExprKind::Call(c) => {
                self.expr(&c.func)?;
                self.exprs(&c.args)?;
                for k in &c.keywords {
                    self.expr(&k.value)?;
                }
            }
            ExprKind::FormattedValue { value, format_spec, .. } => {
                self.expr(value)?;
                if let Some(f) = format_spec {
                    self.expr(f)?;
                }
            }
            ExprKind::JoinedStr { values } => self.exprs(values)?,
            ExprKind::Constant { .. } => {}
            ExprKind::Attribute { value, .. } => self.expr(value)?,
            ExprKind::Subscript { value, slice, .. } => {
                self.expr(value)?;
                self.expr(slice)?;
            }
            ExprKind::Starred { value, .. } => self.expr(value)?,
            ExprKind::Name { id, ctx } => {
                let load = *ctx == ast::ExprContext::Load;
                self.add_def(id, if load { USE } else { DEF_LOCAL }, e.loc)?;
                if load && self.scopes[self.cur].kind == ScopeKind::Function && &**id == "super" {
                    self.add_def("__class__", USE, e.loc)?;
                }
            }
            ExprKind::List { elts, .. } | ExprKind::Tuple { elts, .. } => self.exprs(elts)?,
            ExprKind::Slice { lower, upper, step } => {
                for part in [lower, upper, step].into_iter().flatten() {
                    self.expr(part)?;
                }
            }
        }
        Ok(())
    }

    fn comprehension(
        &mut self,
        e: &'a Expr,
        name: &str,
        kind: CompKind,
        generators: &'a [ast::Comprehension],
        elt: &'a Expr,
        value: Option<&'a Expr>,
    ) -> R {
        let outermost = &generators[0];
        // The outermost iterable is evaluated in the enclosing scope.
        self.cur().comp_iter_expr += 1;
        self.expr(&outermost.iter)?;
        self.cur().comp_iter_expr -= 1;
        self.enter(name, ScopeKind::Function, e.loc, Some(e as *const Expr as usize));
        self.cur().comprehension = Some(kind);
        if outermost.is_async {
            self.cur().is_coroutine = true;
        }
        // The outermost iterator is received as the implicit argument `.0`.
        self.add_def(".0", DEF_PARAM, e.loc)?;
        self.cur().comp_iter_target = true;
        self.expr(&outermost.target)?;
        self.cur().comp_iter_target = false;
        self.exprs(&outermost.ifs)?;
        for g in &generators[1..] {
            self.cur().comp_iter_target = true;
            self.expr(&g.target)?;
            self.cur().comp_iter_target = false;
            self.cur().comp_iter_expr += 1;
            self.expr(&g.iter)?;
            self.cur().comp_iter_expr -= 1;
            self.exprs(&g.ifs)?;
            if g.is_async {
                self.cur().is_coroutine = true;
            }
        }
        if let Some(v) = value {
            self.expr(v)?;
        }
        self.expr(elt)?;
        let is_generator = kind == CompKind::Generator;
        self.cur().is_generator = is_generator;
        let is_async = self.scopes[self.cur].is_coroutine && !is_generator;
        self.exit();
        if is_async {
            self.cur().is_coroutine = true;
        }
        Ok(())
    }

    /// A walrus target inside a comprehension binds in the nearest enclosing
    /// function (as nonlocal) or module (as global).
    fn extend_namedexpr_scope(&mut self, target: &Expr) -> R {
        let ExprKind::Name { id, .. } = &target.kind else {
            return Ok(());
        };
        let loc = target.loc;
        for i in (0..self.stack.len()).rev() {
            let sid = self.stack[i];
            let sc = &self.scopes[sid];
            if sc.comprehension.is_some() {
                if sc.flags_of(id) & DEF_COMP_ITER != 0 {
                    return Err(err(format!("assignment expression cannot rebind comprehension iteration variable '{id}'"), loc));
                }
                continue;
            }
            match sc.kind {
                ScopeKind::Function => {
                    let flag = if sc.flags_of(id) & DEF_GLOBAL != 0 { DEF_GLOBAL } else { DEF_NONLOCAL };
                    self.add_def(id, flag, loc)?;
                    self.record_directive(id, loc);
                    return self.add_def_in(id, DEF_LOCAL, sid, loc);
                }
                ScopeKind::Module => {
                    self.add_def(id, DEF_GLOBAL, loc)?;
                    self.record_directive(id, loc);
                    return self.add_def_in(id, DEF_GLOBAL, sid, loc);
                }
                ScopeKind::Class => {
                    return Err(err("assignment expression within a comprehension cannot be used in a class body", loc));
                }
                ScopeKind::Annotation => {}
            }
        }
        Ok(())
    }
}
