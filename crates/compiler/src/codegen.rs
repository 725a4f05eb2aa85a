//! AST to bytecode, for the subset of Python the vm runs so far: module
//! code, functions with positional parameters and defaults, assignments to
//! names, `if`/`while`/`for`/`break`/`continue`/`return`, and expressions
//! over constants, names, operators, comparisons, boolean operators,
//! conditional expressions, calls with positional arguments, tuples, lists
//! and dicts. Anything else is a [`CompileError`] naming the construct, so
//! nothing runs with wrong semantics.
//!
//! Names are resolved by the symbol table (`crate::symtable`), as CPython's
//! compiler does: fast locals, cells and free variables (closures),
//! globals, or the namespace lookups of module bodies.

use crate::bytecode::{encode, BinaryOp, CodeUnit, CompareOp, Const, ExceptionEntry, Location, Opcode};
use crate::symtable::{self, ScopeId, ScopeKind, SymScope, SymbolTable};
use taipan_parser::ast::*;

/// A construct the compiler cannot translate (yet), or a compile-time
/// error; `lineno`/`offset` locate it as CPython's SyntaxError would.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    pub msg: String,
    pub lineno: u32,
    pub offset: u32,
}

type CResult<T> = Result<T, CompileError>;

/// `co_flags` bits.
pub const CO_OPTIMIZED: u32 = 0x1;
pub const CO_NEWLOCALS: u32 = 0x2;
pub const CO_VARARGS: u32 = 0x4;
pub const CO_VARKEYWORDS: u32 = 0x8;
pub const CO_GENERATOR: u32 = 0x20;

/// Compiles a module body.
pub fn compile_module(module: &Mod, filename: &str) -> CResult<CodeUnit> {
    let st =
        symtable::build(module, filename).map_err(|e| CompileError { msg: e.msg, lineno: e.lineno, offset: e.offset.max(0) as u32 })?;
    let body = match module {
        Mod::Module { body, .. } | Mod::Interactive { body } => body,
        Mod::Expression { body } => {
            // `eval` mode: the expression's value is the code's result.
            let mut c = Compiler::new(&st, st.root(), "<module>", filename, 1);
            c.expr(body)?;
            c.emit(Opcode::ReturnValue, 0, Loc::default());
            return Ok(c.finish());
        }
    };
    let mut c = Compiler::new(&st, st.root(), "<module>", filename, 1);
    c.interactive = matches!(module, Mod::Interactive { .. });
    let body = match docstring(body).filter(|_| !c.interactive) {
        // A module's docstring is stored as `__doc__` (CPython's
        // `compiler_body`).
        Some(doc) => {
            c.load_const(Const::Str(doc.clone()), body[0].loc);
            c.store_name("__doc__", body[0].loc);
            &body[1..]
        }
        None => &body[..],
    };
    c.stmts(body)?;
    c.load_const(Const::None, Loc::default());
    c.emit(Opcode::ReturnValue, 0, Loc::default());
    Ok(c.finish())
}

/// The docstring of a module, class or function body: a leading string
/// constant expression statement.
pub fn docstring(body: &[Stmt]) -> Option<&taipan_parser::wtf8::Wtf8Buf> {
    match &body.first()?.kind {
        StmtKind::Expr { value } => match &value.kind {
            ExprKind::Constant { value: taipan_parser::ast::Constant::Str(s), .. } => Some(s),
            _ => None,
        },
        _ => None,
    }
}

struct Loop {
    start: usize,
    breaks: Vec<usize>,
    /// Exception handlers open when the loop began.
    handlers: u32,
    /// A `for` loop keeps its iterator on the stack.
    is_for: bool,
}

struct Compiler<'st> {
    unit: CodeUnit,
    st: &'st SymbolTable,
    scope: ScopeId,
    loops: Vec<Loop>,
    depth: i32,
    /// `except` bodies being compiled (each must end its handling on any
    /// way out: `return`, `continue`).
    handlers: u32,
    /// Interactive input (`Mod::Interactive`): module-level expression
    /// statements print their values (`PrintExpr`).
    interactive: bool,
}

fn unsupported<T>(what: &str, loc: Loc) -> CResult<T> {
    Err(CompileError { msg: format!("{what} is not supported by the compiler yet"), lineno: loc.lineno, offset: loc.col_offset + 1 })
}

/// How a name is loaded and stored in the current scope (CPython's
/// `compiler_nameop` cases).
enum NameOp {
    Fast(u32),
    Deref(u32),
    Global(u32),
    Name(u32),
}

impl<'st> Compiler<'st> {
    fn new(st: &'st SymbolTable, scope: ScopeId, name: &str, filename: &str, firstlineno: u32) -> Compiler<'st> {
        let mut unit = CodeUnit { name: name.into(), qualname: name.into(), filename: filename.into(), firstlineno, ..CodeUnit::default() };
        // Cells, then free variables, each sorted by name, as CPython
        // orders `co_cellvars` and `co_freevars`.
        let sc = st.scope(scope);
        let mut cells: Vec<Box<str>> = sc.symbols.iter().filter(|s| s.scope == SymScope::Cell).map(|s| Box::from(&*s.name)).collect();
        let mut frees: Vec<Box<str>> = sc.symbols.iter().filter(|s| s.scope == SymScope::Free).map(|s| Box::from(&*s.name)).collect();
        cells.sort();
        frees.sort();
        unit.cellvars = cells;
        unit.freevars = frees;
        Compiler { unit, st, scope, loops: Vec::new(), depth: 0, handlers: 0, interactive: false }
    }

    fn is_function(&self) -> bool {
        self.st.scope(self.scope).kind == ScopeKind::Function
    }

    fn deref_index(&self, name: &str) -> Option<u32> {
        self.unit.cellvars.iter().chain(self.unit.freevars.iter()).position(|n| &**n == name).map(|i| i as u32)
    }

    /// Where `name` lives in the current scope.
    fn name_op(&mut self, name: &str) -> NameOp {
        let scope = self.st.scope(self.scope).scope_of(name);
        match scope {
            SymScope::Free | SymScope::Cell => match self.deref_index(name) {
                Some(i) => NameOp::Deref(i),
                None => NameOp::Name(self.name_index(name)),
            },
            SymScope::Local if self.is_function() => NameOp::Fast(self.var_index(name)),
            SymScope::GlobalImplicit if self.is_function() => NameOp::Global(self.name_index(name)),
            SymScope::GlobalExplicit => NameOp::Global(self.name_index(name)),
            _ => NameOp::Name(self.name_index(name)),
        }
    }

    fn finish(self) -> CodeUnit {
        self.unit
    }

    fn emit(&mut self, op: Opcode, arg: u32, loc: Loc) -> usize {
        let at = self.unit.code.len();
        let l = Location { lineno: loc.lineno, end_lineno: loc.end_lineno, col: loc.col_offset, end_col: loc.end_col_offset };
        self.unit.code.push(encode(op, arg));
        self.unit.locations.push(l);
        for _ in 0..op.cache_words() {
            self.unit.code.push(0);
            self.unit.locations.push(l);
        }
        self.depth += stack_effect(op, arg);
        self.unit.max_stack = self.unit.max_stack.max(self.depth.max(0) as u32);
        at
    }

    /// Points the jump at `at` to the current end of the code.
    fn patch_here(&mut self, at: usize) {
        let target = self.unit.code.len() as u32;
        let op = self.unit.code[at] & 0xFF;
        self.unit.code[at] = op | (target << 8);
    }

    fn load_const(&mut self, c: Const, loc: Loc) {
        let i = match self.unit.consts.iter().position(|x| same_const(x, &c)) {
            Some(i) => i,
            None => {
                self.unit.consts.push(c);
                self.unit.consts.len() - 1
            }
        };
        self.emit(Opcode::LoadConst, i as u32, loc);
    }

    fn name_index(&mut self, name: &str) -> u32 {
        match self.unit.names.iter().position(|n| &**n == name) {
            Some(i) => i as u32,
            None => {
                self.unit.names.push(name.into());
                (self.unit.names.len() - 1) as u32
            }
        }
    }

    fn var_index(&mut self, name: &str) -> u32 {
        match self.unit.varnames.iter().position(|n| &**n == name) {
            Some(i) => i as u32,
            None => {
                self.unit.varnames.push(name.into());
                (self.unit.varnames.len() - 1) as u32
            }
        }
    }

    fn load_name(&mut self, name: &str, loc: Loc) -> CResult<()> {
        let (op, arg) = match self.name_op(name) {
            NameOp::Fast(i) => (Opcode::LoadFast, i),
            NameOp::Deref(i) => (Opcode::LoadDeref, i),
            NameOp::Global(i) => (Opcode::LoadGlobal, i),
            NameOp::Name(i) => (Opcode::LoadName, i),
        };
        self.emit(op, arg, loc);
        Ok(())
    }

    fn store_name(&mut self, name: &str, loc: Loc) {
        let (op, arg) = match self.name_op(name) {
            NameOp::Fast(i) => (Opcode::StoreFast, i),
            NameOp::Deref(i) => (Opcode::StoreDeref, i),
            NameOp::Global(i) => (Opcode::StoreGlobal, i),
            NameOp::Name(i) => (Opcode::StoreName, i),
        };
        self.emit(op, arg, loc);
    }

    fn delete_name(&mut self, name: &str, loc: Loc) {
        let (op, arg) = match self.name_op(name) {
            NameOp::Fast(i) => (Opcode::DeleteFast, i),
            NameOp::Deref(i) => (Opcode::DeleteDeref, i),
            NameOp::Global(i) => (Opcode::DeleteGlobal, i),
            NameOp::Name(i) => (Opcode::DeleteName, i),
        };
        self.emit(op, arg, loc);
    }

    fn stmts(&mut self, body: &[Stmt]) -> CResult<()> {
        body.iter().try_for_each(|s| self.stmt(s))
    }

    fn stmt(&mut self, s: &Stmt) -> CResult<()> {
        let loc = s.loc;
        match &s.kind {
            StmtKind::Expr { value } => {
                self.expr(value)?;
                let op = if self.interactive && self.scope == self.st.root() { Opcode::PrintExpr } else { Opcode::PopTop };
                self.emit(op, 0, loc);
            }
            StmtKind::Pass => {}
            StmtKind::Assign { targets, value } => {
                self.expr(value)?;
                for (i, t) in targets.iter().enumerate() {
                    if i + 1 < targets.len() {
                        self.emit(Opcode::DupTop, 0, loc);
                    }
                    self.store_target(t)?;
                }
            }
            StmtKind::AugAssign { target, op, value } => match &target.kind {
                ExprKind::Name { id, .. } => {
                    self.load_name(id, target.loc)?;
                    self.expr(value)?;
                    self.emit(Opcode::BinaryOp, binary_code(*op) as u32 + 13, loc);
                    self.store_name(id, target.loc);
                }
                ExprKind::Attribute { value: obj, attr, .. } => {
                    self.expr(obj)?;
                    self.emit(Opcode::Copy, 1, target.loc);
                    let i = self.name_index(attr);
                    self.emit(Opcode::LoadAttr, i, target.loc);
                    self.expr(value)?;
                    self.emit(Opcode::BinaryOp, binary_code(*op) as u32 + 13, loc);
                    self.emit(Opcode::Swap, 2, loc);
                    self.emit(Opcode::StoreAttr, i, target.loc);
                }
                _ => return unsupported("augmented assignment to this target", target.loc),
            },
            StmtKind::Delete { targets } => {
                for t in targets {
                    match &t.kind {
                        ExprKind::Name { id, .. } => self.delete_name(id, t.loc),
                        ExprKind::Attribute { value, attr, .. } => {
                            self.expr(value)?;
                            let i = self.name_index(attr);
                            self.emit(Opcode::DeleteAttr, i, t.loc);
                        }
                        ExprKind::Subscript { value, slice, .. } => {
                            self.expr(value)?;
                            self.subscript_key(slice)?;
                            self.emit(Opcode::DeleteSubscr, 0, t.loc);
                        }
                        _ => return unsupported("deleting this target", t.loc),
                    }
                }
            }
            StmtKind::ClassDef(c) => self.class_def(s, c, loc)?,
            StmtKind::Import { names } => {
                for a in names {
                    self.load_const(Const::Int(taipan_parser::ast::IntValue::Small(0)), loc);
                    self.load_const(Const::None, loc);
                    let i = self.name_index(&a.name);
                    self.emit(Opcode::ImportName, i, loc);
                    match &a.asname {
                        // `import a.b.c as d` binds the module a.b.c itself.
                        Some(asname) => {
                            for part in a.name.split('.').skip(1) {
                                let i = self.name_index(part);
                                self.emit(Opcode::ImportFrom, i, loc);
                                self.emit(Opcode::Swap, 2, loc);
                                self.emit(Opcode::PopTop, 0, loc);
                            }
                            self.store_name(asname, loc);
                        }
                        // `import a.b.c` binds the top-level package `a`.
                        None => {
                            let top = a.name.split('.').next().unwrap_or(&a.name);
                            self.store_name(top, loc);
                        }
                    }
                }
            }
            StmtKind::ImportFrom { module, names, level } => {
                self.load_const(Const::Int(taipan_parser::ast::IntValue::Small(*level as i64)), loc);
                let fromlist: Vec<Const> = names.iter().map(|a| Const::Str(taipan_parser::wtf8::Wtf8Buf::from_str(&a.name))).collect();
                self.load_const(Const::Tuple(fromlist.into()), loc);
                let m = self.name_index(module.as_deref().unwrap_or(""));
                self.emit(Opcode::ImportName, m, loc);
                if names.len() == 1 && &*names[0].name == "*" {
                    self.emit(Opcode::ImportStar, 0, loc);
                } else {
                    for a in names {
                        let i = self.name_index(&a.name);
                        self.emit(Opcode::ImportFrom, i, loc);
                        self.store_name(a.asname.as_deref().unwrap_or(&a.name), loc);
                    }
                    self.emit(Opcode::PopTop, 0, loc);
                }
            }
            StmtKind::If { test, body, orelse } => {
                self.expr(test)?;
                let jf = self.emit(Opcode::PopJumpIfFalse, 0, test.loc);
                self.stmts(body)?;
                if orelse.is_empty() {
                    self.patch_here(jf);
                } else {
                    let j = self.emit(Opcode::Jump, 0, loc);
                    self.patch_here(jf);
                    self.stmts(orelse)?;
                    self.patch_here(j);
                }
            }
            StmtKind::While { test, body, orelse } => {
                let start = self.unit.code.len();
                self.expr(test)?;
                let jf = self.emit(Opcode::PopJumpIfFalse, 0, test.loc);
                self.loops.push(Loop { start, breaks: Vec::new(), handlers: self.handlers, is_for: false });
                self.stmts(body)?;
                self.emit(Opcode::Jump, start as u32, loc);
                let l = self.loops.pop();
                self.patch_here(jf);
                self.stmts(orelse)?;
                for b in l.map(|l| l.breaks).unwrap_or_default() {
                    self.patch_here(b);
                }
            }
            StmtKind::For { target, iter, body, orelse } => {
                self.expr(iter)?;
                self.emit(Opcode::GetIter, 0, iter.loc);
                let start = self.unit.code.len();
                let fi = self.emit(Opcode::ForIter, 0, loc);
                self.store_target(target)?;
                self.loops.push(Loop { start, breaks: Vec::new(), handlers: self.handlers, is_for: true });
                self.stmts(body)?;
                self.emit(Opcode::Jump, start as u32, loc);
                let l = self.loops.pop();
                self.patch_here(fi);
                // ForIter pops the iterator when it is exhausted.
                self.depth -= 1;
                self.stmts(orelse)?;
                for b in l.map(|l| l.breaks).unwrap_or_default() {
                    self.patch_here(b);
                }
            }
            StmtKind::Break | StmtKind::Continue => {
                let is_break = matches!(s.kind, StmtKind::Break);
                let Some(l) = self.loops.last() else {
                    let what = if is_break { "'break' outside loop" } else { "'continue' not properly in loop" };
                    return Err(CompileError { msg: what.into(), lineno: loc.lineno, offset: loc.col_offset + 1 });
                };
                let (start, handlers, is_for) = (l.start as u32, l.handlers, l.is_for);
                let depth = self.depth;
                for _ in handlers..self.handlers {
                    self.emit(Opcode::PopExcept, 0, loc);
                }
                if is_break {
                    if is_for {
                        // The loop's iterator is on the stack.
                        self.emit(Opcode::PopTop, 0, loc);
                    }
                    let j = self.emit(Opcode::Jump, 0, loc);
                    if let Some(l) = self.loops.last_mut() {
                        l.breaks.push(j);
                    }
                } else {
                    self.emit(Opcode::Jump, start, loc);
                }
                self.depth = depth;
            }
            StmtKind::Return { value } => {
                if !self.is_function() {
                    return Err(CompileError { msg: "'return' outside function".into(), lineno: loc.lineno, offset: loc.col_offset + 1 });
                }
                match value {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Const::None, loc),
                }
                for _ in 0..self.handlers {
                    self.emit(Opcode::PopExcept, 0, loc);
                }
                self.emit(Opcode::ReturnValue, 0, loc);
            }
            StmtKind::FunctionDef(f) => self.function_def(s, f, loc)?,
            StmtKind::Raise { exc, cause } => {
                let n = match (exc, cause) {
                    (None, _) => 0,
                    (Some(e), None) => {
                        self.expr(e)?;
                        1
                    }
                    (Some(e), Some(c)) => {
                        self.expr(e)?;
                        self.expr(c)?;
                        2
                    }
                };
                self.emit(Opcode::RaiseVarargs, n, loc);
            }
            StmtKind::Try(t) => self.try_except(t, loc)?,
            StmtKind::Global { .. } | StmtKind::Nonlocal { .. } => {}
            other => return unsupported(stmt_name(other), loc),
        }
        Ok(())
    }

    /// `try`/`except`/`else` (no `finally` yet). The body's range sends
    /// exceptions to the handler code with the exception pushed; an
    /// exception inside the handlers ends the handling and propagates.
    fn try_except(&mut self, t: &Try, loc: Loc) -> CResult<()> {
        if !t.finalbody.is_empty() {
            return unsupported("'finally'", loc);
        }
        let depth = self.depth.max(0) as u32;
        let start = self.unit.code.len() as u32;
        self.stmts(&t.body)?;
        let end = self.unit.code.len() as u32;
        self.stmts(&t.orelse)?;
        let to_end = self.emit(Opcode::Jump, 0, loc);
        let mut exits = vec![to_end];
        let handler = self.unit.code.len() as u32;
        // Inner rows first: the handlers' own row is added after the body's
        // rows of nested statements, which were pushed while compiling it.
        self.unit.exception_table.push(ExceptionEntry { start, end, target: handler, depth });
        self.depth = depth as i32 + 1;
        let h_start = self.unit.code.len() as u32;
        self.emit(Opcode::PushExcInfo, 0, loc);
        for h in &t.handlers {
            let mut next = None;
            if let Some(ty) = &h.type_ {
                self.expr(ty)?;
                self.emit(Opcode::CheckExcMatch, 0, ty.loc);
                self.depth -= 1;
                next = Some(self.emit(Opcode::PopJumpIfFalse, 0, ty.loc));
                self.depth += 1;
            }
            match &h.name {
                Some(n) => self.store_name(n, h.loc),
                None => {
                    self.emit(Opcode::PopTop, 0, h.loc);
                }
            }
            self.handlers += 1;
            self.stmts(&h.body)?;
            self.handlers -= 1;
            self.emit(Opcode::PopExcept, 0, h.loc);
            if let Some(n) = &h.name {
                // `except E as e` unbinds `e` at the end of the handler.
                self.load_const(Const::None, h.loc);
                self.store_name(n, h.loc);
                self.delete_name(n, h.loc);
            }
            exits.push(self.emit(Opcode::Jump, 0, h.loc));
            self.depth = depth as i32 + 1;
            if let Some(j) = next {
                self.patch_here(j);
            }
        }
        // No handler matched: re-raise (the cleanup row ends the handling).
        self.emit(Opcode::Reraise, 0, loc);
        let h_end = self.unit.code.len() as u32;
        let cleanup = self.unit.code.len() as u32;
        self.unit.exception_table.push(ExceptionEntry { start: h_start, end: h_end, target: cleanup, depth });
        self.depth = depth as i32 + 1;
        self.emit(Opcode::PopExcept, 0, loc);
        self.emit(Opcode::Reraise, 0, loc);
        self.depth = depth as i32;
        for e in exits {
            self.patch_here(e);
        }
        Ok(())
    }

    fn compare_op(&mut self, op: CmpOp, loc: Loc) {
        match op {
            CmpOp::Is | CmpOp::IsNot => {
                self.emit(Opcode::IsOp, (op == CmpOp::IsNot) as u32, loc);
            }
            CmpOp::In | CmpOp::NotIn => {
                self.emit(Opcode::ContainsOp, (op == CmpOp::NotIn) as u32, loc);
            }
            op => {
                let code = match op {
                    CmpOp::Lt => CompareOp::Lt,
                    CmpOp::LtE => CompareOp::Le,
                    CmpOp::Eq => CompareOp::Eq,
                    CmpOp::NotEq => CompareOp::Ne,
                    CmpOp::Gt => CompareOp::Gt,
                    _ => CompareOp::Ge,
                };
                self.emit(Opcode::CompareOp, code as u32, loc);
            }
        }
    }

    fn store_target(&mut self, t: &Expr) -> CResult<()> {
        match &t.kind {
            ExprKind::Name { id, .. } => {
                self.store_name(id, t.loc);
                Ok(())
            }
            ExprKind::Attribute { value, attr, .. } => {
                self.expr(value)?;
                let i = self.name_index(attr);
                self.emit(Opcode::StoreAttr, i, t.loc);
                Ok(())
            }
            ExprKind::Subscript { value, slice, .. } => {
                self.expr(value)?;
                self.subscript_key(slice)?;
                self.emit(Opcode::StoreSubscr, 0, t.loc);
                Ok(())
            }
            ExprKind::Tuple { elts, .. } | ExprKind::List { elts, .. } => {
                if elts.iter().any(|e| matches!(e.kind, ExprKind::Starred { .. })) {
                    return unsupported("starred assignment", t.loc);
                }
                self.emit(Opcode::UnpackSequence, elts.len() as u32, t.loc);
                for e in elts {
                    self.store_target(e)?;
                }
                Ok(())
            }
            _ => unsupported("assignment to this target", t.loc),
        }
    }

    /// The qualified name of a definition named `name` in this scope.
    fn child_qualname(&self, name: &str) -> String {
        match self.st.scope(self.scope).kind {
            ScopeKind::Module => name.to_string(),
            ScopeKind::Function => format!("{}.<locals>.{name}", self.unit.qualname),
            _ => format!("{}.{name}", self.unit.qualname),
        }
    }

    /// Pushes the closure tuple for a child code unit that has free
    /// variables, returning the `MakeFunction` flag bit it needs.
    fn closure(&mut self, unit: &CodeUnit, loc: Loc) -> CResult<u32> {
        if unit.freevars.is_empty() {
            return Ok(0);
        }
        for name in unit.freevars.iter() {
            let Some(i) = self.deref_index(name) else {
                return unsupported("a closure over a class-body variable", loc);
            };
            self.emit(Opcode::LoadClosure, i, loc);
        }
        self.emit(Opcode::BuildTuple, unit.freevars.len() as u32, loc);
        Ok(8)
    }

    /// `class C(bases): body` — `__build_class__(body_function, 'C', *bases)`.
    fn class_def(&mut self, stmt: &Stmt, c: &ClassDef, loc: Loc) -> CResult<()> {
        for d in &c.decorator_list {
            self.expr(d)?;
        }
        if !c.keywords.is_empty() {
            return unsupported("a class keyword argument", loc);
        }
        let Some(child) = self.st.scope_of_stmt(stmt) else {
            return unsupported("a class without a symbol-table scope", loc);
        };
        if self.st.scope(child).needs_class_closure {
            return unsupported("'super()' or '__class__' in a method", loc);
        }
        let qualname = self.child_qualname(&c.name);
        let mut b = Compiler::new(self.st, child, &c.name, &self.unit.filename, loc.lineno);
        b.unit.qualname = qualname.clone().into();
        let module = b.name_index("__name__");
        b.emit(Opcode::LoadName, module, loc);
        let i = b.name_index("__module__");
        b.emit(Opcode::StoreName, i, loc);
        b.load_const(Const::Str(taipan_parser::wtf8::Wtf8Buf::from_str(&qualname)), loc);
        let i = b.name_index("__qualname__");
        b.emit(Opcode::StoreName, i, loc);
        b.stmts(&c.body)?;
        b.load_const(Const::None, loc);
        b.emit(Opcode::ReturnValue, 0, loc);
        let unit = b.finish();
        self.emit(Opcode::LoadBuildClass, 0, loc);
        let flags = self.closure(&unit, loc)?;
        self.load_const(Const::Code(Box::new(unit)), loc);
        self.emit(Opcode::MakeFunction, flags, loc);
        self.load_const(Const::Str(taipan_parser::wtf8::Wtf8Buf::from_str(&c.name)), loc);
        for base in &c.bases {
            if matches!(base.kind, ExprKind::Starred { .. }) {
                return unsupported("'*' unpacking in class bases", base.loc);
            }
            self.expr(base)?;
        }
        self.emit(Opcode::Call, 2 + c.bases.len() as u32, loc);
        for d in c.decorator_list.iter().rev() {
            self.emit(Opcode::Call, 1, d.loc);
        }
        self.store_name(&c.name, loc);
        Ok(())
    }

    fn function_def(&mut self, stmt: &Stmt, f: &FunctionDef, loc: Loc) -> CResult<()> {
        // Decorators are evaluated first and applied innermost first.
        for d in &f.decorator_list {
            self.expr(d)?;
        }
        let Some(child) = self.st.scope_of_stmt(stmt) else {
            return unsupported("a function without a symbol-table scope", loc);
        };
        self.make_function(child, &f.name, &f.args, loc, |c| {
            c.stmts(&f.body)?;
            c.load_const(Const::None, loc);
            c.emit(Opcode::ReturnValue, 0, loc);
            Ok(())
        })?;
        for d in f.decorator_list.iter().rev() {
            self.emit(Opcode::Call, 1, d.loc);
        }
        self.store_name(&f.name, loc);
        Ok(())
    }

    /// Compiles a function body (`body` emits it into the child compiler)
    /// and pushes the function object: defaults, closure, code.
    fn make_function(
        &mut self,
        child: ScopeId,
        name: &str,
        a: &Arguments,
        loc: Loc,
        body: impl FnOnce(&mut Compiler<'st>) -> CResult<()>,
    ) -> CResult<()> {
        let mut flags = 0;
        if !a.defaults.is_empty() {
            for d in &a.defaults {
                self.expr(d)?;
            }
            self.emit(Opcode::BuildTuple, a.defaults.len() as u32, loc);
            flags |= 1;
        }
        let kwdefaults: Vec<(&Arg, &Expr)> =
            a.kwonlyargs.iter().zip(&a.kw_defaults).filter_map(|(p, d)| d.as_ref().map(|d| (p, d))).collect();
        if !kwdefaults.is_empty() {
            for (p, d) in &kwdefaults {
                self.load_const(Const::Str(taipan_parser::wtf8::Wtf8Buf::from_str(&p.arg)), loc);
                self.expr(d)?;
            }
            self.emit(Opcode::BuildMap, kwdefaults.len() as u32, loc);
            flags |= 2;
        }
        let mut c = Compiler::new(self.st, child, name, &self.unit.filename, loc.lineno);
        c.unit.qualname = self.child_qualname(name).into();
        c.unit.flags = CO_OPTIMIZED | CO_NEWLOCALS;
        // Parameters first, in CPython's order: positional-only, positional,
        // keyword-only, *args, **kwargs.
        c.unit.posonlyargcount = a.posonlyargs.len() as u32;
        c.unit.argcount = (a.posonlyargs.len() + a.args.len()) as u32;
        c.unit.kwonlyargcount = a.kwonlyargs.len() as u32;
        for p in a.posonlyargs.iter().chain(&a.args).chain(&a.kwonlyargs) {
            c.var_index(&p.arg);
        }
        if let Some(v) = &a.vararg {
            c.var_index(&v.arg);
            c.unit.flags |= CO_VARARGS;
        }
        if let Some(k) = &a.kwarg {
            c.var_index(&k.arg);
            c.unit.flags |= CO_VARKEYWORDS;
        }
        if c.st.scope(child).is_generator {
            c.unit.flags |= CO_GENERATOR;
        }
        body(&mut c)?;
        let unit = c.finish();
        flags |= self.closure(&unit, loc)?;
        self.load_const(Const::Code(Box::new(unit)), loc);
        self.emit(Opcode::MakeFunction, flags, loc);
        Ok(())
    }

    /// A list or dict comprehension (CPython 3.11): a nested function
    /// whose one argument `.0` is the first iterator, evaluated here.
    /// `element` emits the element and names the instruction that adds it.
    fn comprehension(
        &mut self,
        e: &Expr,
        name: &str,
        generators: &[Comprehension],
        loc: Loc,
        element: impl FnOnce(&mut Compiler<'st>) -> CResult<Opcode>,
    ) -> CResult<()> {
        if generators.iter().any(|g| g.is_async) {
            return unsupported("an async comprehension", loc);
        }
        let Some(child) = self.st.scope_of_expr(e) else {
            return unsupported("a comprehension without a symbol-table scope", loc);
        };
        let mut b = Compiler::new(self.st, child, name, &self.unit.filename, loc.lineno);
        b.unit.qualname = self.child_qualname(name).into();
        b.unit.flags = CO_OPTIMIZED | CO_NEWLOCALS;
        b.unit.argcount = 1;
        b.var_index(".0");
        let generator = name == "<genexpr>";
        if generator {
            b.unit.flags |= CO_GENERATOR;
        } else {
            let collection = if name == "<dictcomp>" { Opcode::BuildMap } else { Opcode::BuildList };
            b.emit(collection, 0, loc);
        }
        b.comprehension_loops(generators, 0, loc, element)?;
        if generator {
            b.load_const(Const::None, loc);
        }
        b.emit(Opcode::ReturnValue, 0, loc);
        let unit = b.finish();
        let flags = self.closure(&unit, loc)?;
        self.load_const(Const::Code(Box::new(unit)), loc);
        self.emit(Opcode::MakeFunction, flags, loc);
        self.expr(&generators[0].iter)?;
        self.emit(Opcode::GetIter, 0, generators[0].iter.loc);
        self.emit(Opcode::Call, 1, loc);
        Ok(())
    }

    /// The `for`/`if` clauses from `gens[i]` on, then the element.
    fn comprehension_loops(
        &mut self,
        gens: &[Comprehension],
        i: usize,
        loc: Loc,
        element: impl FnOnce(&mut Compiler<'st>) -> CResult<Opcode>,
    ) -> CResult<()> {
        let g = &gens[i];
        if i == 0 {
            let it = self.var_index(".0");
            self.emit(Opcode::LoadFast, it, g.iter.loc);
        } else {
            self.expr(&g.iter)?;
            self.emit(Opcode::GetIter, 0, g.iter.loc);
        }
        let start = self.unit.code.len();
        let fi = self.emit(Opcode::ForIter, 0, loc);
        self.store_target(&g.target)?;
        let mut skips = Vec::new();
        for cond in &g.ifs {
            self.expr(cond)?;
            skips.push(self.emit(Opcode::PopJumpIfFalse, 0, cond.loc));
        }
        if i + 1 < gens.len() {
            self.comprehension_loops(gens, i + 1, loc, element)?;
        } else {
            // The collection sits below the iterators of every loop (a
            // generator expression has none: its element is popped).
            let op = element(self)?;
            let arg = if op == Opcode::PopTop { 0 } else { (gens.len() + 1) as u32 };
            self.emit(op, arg, loc);
        }
        for s in skips {
            let target = start as u32;
            let op = self.unit.code[s] & 0xFF;
            self.unit.code[s] = op | (target << 8);
        }
        self.emit(Opcode::Jump, start as u32, loc);
        self.patch_here(fi);
        self.depth -= 1;
        Ok(())
    }

    /// The key of a subscript: an expression, or a slice built on the stack.
    fn subscript_key(&mut self, key: &Expr) -> CResult<()> {
        if let ExprKind::Slice { lower, upper, step } = &key.kind {
            for part in [lower, upper] {
                match part {
                    Some(p) => self.expr(p)?,
                    None => self.load_const(Const::None, key.loc),
                }
            }
            let n = match step {
                Some(s) => {
                    self.expr(s)?;
                    3
                }
                None => 2,
            };
            self.emit(Opcode::BuildSlice, n, key.loc);
            return Ok(());
        }
        self.expr(key)
    }

    fn expr(&mut self, e: &Expr) -> CResult<()> {
        let loc = e.loc;
        match &e.kind {
            ExprKind::Constant { value, .. } => {
                let c = match value {
                    Constant::None => Const::None,
                    Constant::Bool(b) => Const::Bool(*b),
                    Constant::Ellipsis => Const::Ellipsis,
                    Constant::Int(i) => Const::Int(i.clone()),
                    Constant::Float(f) => Const::Float(*f),
                    Constant::Complex { real, imag } => Const::Complex { real: *real, imag: *imag },
                    Constant::Str(s) => Const::Str((**s).clone()),
                    Constant::Bytes(b) => Const::Bytes(b.clone()),
                    Constant::Tuple(_) => return unsupported("a tuple constant", loc),
                };
                self.load_const(c, loc);
            }
            ExprKind::Name { id, .. } => self.load_name(id, loc)?,
            ExprKind::Attribute { value, attr, .. } => {
                self.expr(value)?;
                let i = self.name_index(attr);
                self.emit(Opcode::LoadAttr, i, loc);
            }
            ExprKind::Subscript { value, slice, .. } => {
                self.expr(value)?;
                self.subscript_key(slice)?;
                self.emit(Opcode::BinarySubscr, 0, loc);
            }
            ExprKind::Yield { value } => {
                if !self.is_function() {
                    return Err(CompileError { msg: "'yield' outside function".into(), lineno: loc.lineno, offset: loc.col_offset + 1 });
                }
                match value {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Const::None, loc),
                }
                self.emit(Opcode::YieldValue, 0, loc);
            }
            ExprKind::GeneratorExp(c) => self.comprehension(e, "<genexpr>", &c.generators, loc, |b| {
                b.expr(&c.elt)?;
                b.emit(Opcode::YieldValue, 0, c.elt.loc);
                Ok(Opcode::PopTop)
            })?,
            ExprKind::JoinedStr { values } => {
                for v in values {
                    self.expr(v)?;
                }
                self.emit(Opcode::BuildString, values.len() as u32, loc);
            }
            ExprKind::FormattedValue { value, conversion, format_spec } => {
                self.expr(value)?;
                let mut arg = match *conversion {
                    115 => 1,
                    114 => 2,
                    97 => 3,
                    _ => 0,
                };
                if let Some(spec) = format_spec {
                    self.expr(spec)?;
                    arg |= 4;
                }
                self.emit(Opcode::FormatValue, arg, loc);
            }
            ExprKind::ListComp(c) => self.comprehension(e, "<listcomp>", &c.generators, loc, |b| {
                b.expr(&c.elt)?;
                Ok(Opcode::ListAppend)
            })?,
            ExprKind::DictComp(c) => self.comprehension(e, "<dictcomp>", &c.generators, loc, |b| {
                b.expr(&c.key)?;
                b.expr(&c.value)?;
                Ok(Opcode::MapAdd)
            })?,
            ExprKind::Lambda { args, body } => {
                let Some(child) = self.st.scope_of_expr(e) else {
                    return unsupported("a lambda without a symbol-table scope", loc);
                };
                self.make_function(child, "<lambda>", args, loc, |c| {
                    c.expr(body)?;
                    c.emit(Opcode::ReturnValue, 0, body.loc);
                    Ok(())
                })?;
            }
            ExprKind::BinOp { left, op, right } => {
                self.expr(left)?;
                self.expr(right)?;
                self.emit(Opcode::BinaryOp, binary_code(*op) as u32, loc);
            }
            ExprKind::UnaryOp { op, operand } => {
                self.expr(operand)?;
                let code = match op {
                    UnaryOp::USub => 0,
                    UnaryOp::UAdd => 1,
                    UnaryOp::Invert => 2,
                    UnaryOp::Not => 3,
                };
                self.emit(Opcode::UnaryOp, code, loc);
            }
            ExprKind::Compare(c) => {
                // `a < b < c`: each middle operand is compared twice but
                // evaluated once; a false link short-circuits (CPython's
                // SWAP/COPY sequence).
                self.expr(&c.left)?;
                let n = c.ops.len();
                let mut cleanups = Vec::new();
                for (i, (op, comp)) in c.ops.iter().zip(&c.comparators).enumerate() {
                    self.expr(comp)?;
                    if i + 1 < n {
                        self.emit(Opcode::Swap, 2, loc);
                        self.emit(Opcode::Copy, 2, loc);
                    }
                    self.compare_op(*op, loc);
                    if i + 1 < n {
                        cleanups.push(self.emit(Opcode::JumpIfFalseOrPop, 0, loc));
                    }
                }
                if !cleanups.is_empty() {
                    let end = self.emit(Opcode::Jump, 0, loc);
                    for j in cleanups {
                        self.patch_here(j);
                    }
                    // The false result is on top of the leftover operand.
                    self.depth += 1;
                    self.emit(Opcode::Swap, 2, loc);
                    self.emit(Opcode::PopTop, 0, loc);
                    self.patch_here(end);
                }
            }
            ExprKind::BoolOp { op, values } => {
                // `a and b`: if `a` is false it is the result, else `b` is.
                let jump = if *op == BoolOp::And { Opcode::JumpIfFalseOrPop } else { Opcode::JumpIfTrueOrPop };
                let mut ends = Vec::new();
                for (i, v) in values.iter().enumerate() {
                    self.expr(v)?;
                    if i + 1 < values.len() {
                        ends.push(self.emit(jump, 0, loc));
                    }
                }
                for j in ends {
                    self.patch_here(j);
                }
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.expr(test)?;
                let jf = self.emit(Opcode::PopJumpIfFalse, 0, loc);
                self.expr(body)?;
                let j = self.emit(Opcode::Jump, 0, loc);
                self.depth -= 1;
                self.patch_here(jf);
                self.expr(orelse)?;
                self.patch_here(j);
            }
            ExprKind::Call(call) => {
                self.expr(&call.func)?;
                for a in &call.args {
                    if matches!(a.kind, ExprKind::Starred { .. }) {
                        return unsupported("argument unpacking", a.loc);
                    }
                    self.expr(a)?;
                }
                let mut names = Vec::new();
                for k in &call.keywords {
                    let Some(name) = &k.arg else { return unsupported("'**' argument unpacking", k.loc) };
                    self.expr(&k.value)?;
                    names.push(Const::Str(taipan_parser::wtf8::Wtf8Buf::from_str(name)));
                }
                let n = (call.args.len() + names.len()) as u32;
                if names.is_empty() {
                    self.emit(Opcode::Call, n, loc);
                } else {
                    self.load_const(Const::Tuple(names.into_boxed_slice()), loc);
                    self.emit(Opcode::CallKw, n, loc);
                }
            }
            ExprKind::Tuple { elts, .. } | ExprKind::List { elts, .. } => {
                for x in elts {
                    if matches!(x.kind, ExprKind::Starred { .. }) {
                        return unsupported("unpacking in a display", x.loc);
                    }
                    self.expr(x)?;
                }
                let op = if matches!(e.kind, ExprKind::Tuple { .. }) { Opcode::BuildTuple } else { Opcode::BuildList };
                self.emit(op, elts.len() as u32, loc);
            }
            ExprKind::Dict(d) => {
                for (k, v) in d.keys.iter().zip(&d.values) {
                    let Some(k) = k else { return unsupported("'**' in a dict display", v.loc) };
                    self.expr(k)?;
                    self.expr(v)?;
                }
                self.emit(Opcode::BuildMap, d.values.len() as u32, loc);
            }
            other => return unsupported(expr_name(other), loc),
        }
        Ok(())
    }
}

/// How error messages name a statement the compiler cannot translate yet.
fn stmt_name(s: &StmtKind) -> &'static str {
    match s {
        StmtKind::FunctionDef(_) | StmtKind::AsyncFunctionDef(_) => "'async def'",
        StmtKind::ClassDef(_) => "'class'",
        StmtKind::AnnAssign { .. } => "an annotated assignment",
        StmtKind::AsyncFor { .. } => "'async for'",
        StmtKind::With { .. } | StmtKind::AsyncWith { .. } => "'with'",
        StmtKind::Match { .. } => "'match'",
        StmtKind::TryStar(_) => "'except*'",
        StmtKind::Assert { .. } => "'assert'",
        _ => "this statement",
    }
}

/// How error messages name an expression the compiler cannot translate yet.
fn expr_name(e: &ExprKind) -> &'static str {
    match e {
        ExprKind::NamedExpr { .. } => "':='",
        ExprKind::Lambda { .. } => "'lambda'",
        ExprKind::Set { .. } => "a set display",
        ExprKind::ListComp(_) | ExprKind::SetComp(_) | ExprKind::DictComp(_) | ExprKind::GeneratorExp(_) => "a comprehension",
        ExprKind::Await { .. } => "'await'",
        ExprKind::Yield { .. } | ExprKind::YieldFrom { .. } => "'yield'",
        ExprKind::FormattedValue { .. } | ExprKind::JoinedStr { .. } => "an f-string",
        ExprKind::Attribute { .. } => "attribute access",
        ExprKind::Subscript { .. } => "subscription",
        ExprKind::Starred { .. } => "'*' unpacking",
        ExprKind::Slice { .. } => "a slice",
        _ => "this expression",
    }
}

fn binary_code(op: Operator) -> BinaryOp {
    match op {
        Operator::Add => BinaryOp::Add,
        Operator::Sub => BinaryOp::Subtract,
        Operator::Mult => BinaryOp::Multiply,
        Operator::MatMult => BinaryOp::MatrixMultiply,
        Operator::Div => BinaryOp::TrueDivide,
        Operator::Mod => BinaryOp::Remainder,
        Operator::Pow => BinaryOp::Power,
        Operator::LShift => BinaryOp::Lshift,
        Operator::RShift => BinaryOp::Rshift,
        Operator::BitOr => BinaryOp::Or,
        Operator::BitXor => BinaryOp::Xor,
        Operator::BitAnd => BinaryOp::And,
        Operator::FloorDiv => BinaryOp::FloorDivide,
    }
}

/// Constants are shared by value, but `1`, `1.0` and `True` stay apart.
fn same_const(a: &Const, b: &Const) -> bool {
    match (a, b) {
        (Const::Float(x), Const::Float(y)) => x.to_bits() == y.to_bits(),
        (Const::Code(_), _) | (_, Const::Code(_)) => false,
        _ => a == b,
    }
}

/// Net change of the value-stack depth for one instruction.
fn stack_effect(op: Opcode, arg: u32) -> i32 {
    let n = arg as i32;
    match op {
        Opcode::Nop | Opcode::Jump | Opcode::UnaryOp | Opcode::GetIter | Opcode::DeleteFast | Opcode::DeleteGlobal | Opcode::DeleteName => {
            0
        }
        Opcode::PopTop | Opcode::PrintExpr | Opcode::StoreFast | Opcode::StoreGlobal | Opcode::StoreName | Opcode::StoreDeref => -1,
        Opcode::PopJumpIfFalse | Opcode::PopJumpIfTrue | Opcode::ReturnValue => -1,
        // Measured on the fall-through path, where the value is popped.
        Opcode::JumpIfFalseOrPop | Opcode::JumpIfTrueOrPop => -1,
        Opcode::LoadConst | Opcode::LoadFast | Opcode::LoadGlobal | Opcode::LoadName | Opcode::LoadDeref => 1,
        Opcode::LoadAttr => 0,
        Opcode::StoreAttr => -2,
        Opcode::DeleteAttr => -1,
        Opcode::BinarySubscr | Opcode::BinaryOp | Opcode::CompareOp | Opcode::IsOp | Opcode::ContainsOp => -1,
        Opcode::StoreSubscr => -3,
        Opcode::DeleteSubscr => -2,
        Opcode::BuildTuple | Opcode::BuildList | Opcode::BuildSet => 1 - n,
        Opcode::BuildMap => 1 - 2 * n,
        Opcode::Call => -n,
        Opcode::CallKw => -n - 1,
        Opcode::MakeFunction => -(n & 1) - ((n >> 1) & 1) - ((n >> 3) & 1),
        Opcode::LoadClosure => 1,
        Opcode::DeleteDeref => 0,
        Opcode::ForIter => 1,
        Opcode::RaiseVarargs => -n,
        Opcode::Reraise => -1,
        Opcode::PushExcInfo | Opcode::PopExcept => 0,
        Opcode::CheckExcMatch => 0,
        Opcode::DupTop | Opcode::Copy | Opcode::LoadBuildClass | Opcode::ImportFrom => 1,
        Opcode::ImportName => -1,
        Opcode::ImportStar => -1,
        Opcode::UnpackSequence => n - 1,
        Opcode::ListAppend => -1,
        // Pops the value, and resumption pushes the sent one.
        Opcode::YieldValue => 0,
        Opcode::FormatValue => -((n >> 2) & 1),
        Opcode::BuildString => 1 - n,
        Opcode::MapAdd => -2,
        Opcode::BuildSlice => 1 - n,
        Opcode::Swap => 0,
    }
}
