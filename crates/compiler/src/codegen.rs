//! AST to bytecode. Every statement and expression of Python 3.11 that the
//! vm runs is translated here; anything else is a [`CompileError`] naming
//! the construct, so nothing runs with wrong semantics.
//!
//! Names are resolved by the symbol table (`crate::symtable`), as CPython's
//! compiler does: fast locals, cells and free variables (closures),
//! globals, or the namespace lookups of module bodies.
//!
//! Control flow out of protected regions follows CPython's "frame blocks":
//! each `try`, `finally`, `except`, `with` and loop being compiled is a
//! [`Block`]; `return`, `break` and `continue` emit the cleanup of every
//! block they leave (inlining `finally` bodies, calling `__exit__`, ending
//! the handling of an exception). Each block may own an exception handler;
//! every emitted word records the innermost one, and the exception table is
//! built from those records at the end.

use crate::bytecode::{encode, BinaryOp, CodeUnit, CompareOp, Const, ExceptionEntry, Location, Opcode};
use crate::symtable::{self, mangle, ScopeId, ScopeKind, SymScope, SymbolTable};
use taipan_parser::ast::*;
use taipan_parser::wtf8::Wtf8Buf;

/// A construct the compiler cannot translate (yet), or a compile-time
/// error; `lineno`/`offset` locate it as CPython's SyntaxError would.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    pub msg: String,
    pub lineno: u32,
    pub offset: u32,
}

type CResult<T> = Result<T, CompileError>;

/// A `SyntaxWarning` the compiler found (CPython's `compiler_warn`): the
/// vm issues them in order after compiling; one that a filter turns into
/// an error becomes a SyntaxError at `lineno`/`offset`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileWarning {
    pub msg: String,
    pub lineno: u32,
    pub offset: u32,
}

thread_local! {
    static WARNINGS: std::cell::RefCell<Vec<CompileWarning>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn warn(msg: String, loc: Loc) {
    WARNINGS.with(|w| w.borrow_mut().push(CompileWarning { msg, lineno: loc.lineno, offset: loc.col_offset + 1 }));
}

/// The warnings of the last compilation on this thread (see
/// [`CompileWarning`]).
pub fn take_warnings() -> Vec<CompileWarning> {
    WARNINGS.with(|w| std::mem::take(&mut *w.borrow_mut()))
}

/// The type name CPython's `infer_type` gives an expression known at
/// compile time (None: not known).
fn infer_type(e: &Expr) -> Option<&'static str> {
    Some(match &e.kind {
        ExprKind::Tuple { .. } => "tuple",
        ExprKind::List { .. } | ExprKind::ListComp { .. } => "list",
        ExprKind::Dict { .. } | ExprKind::DictComp { .. } => "dict",
        ExprKind::Set { .. } | ExprKind::SetComp { .. } => "set",
        ExprKind::GeneratorExp { .. } => "generator",
        ExprKind::Lambda { .. } => "function",
        ExprKind::JoinedStr { .. } | ExprKind::FormattedValue { .. } => "str",
        ExprKind::Slice { .. } => "slice",
        ExprKind::Constant { value, .. } => constant_type(value),
        ExprKind::UnaryOp { op, operand } => match &operand.kind {
            ExprKind::Constant { value, .. } => fold_unary(*op, value).map(|_| constant_type(value))?,
            _ => return None,
        },
        _ => return None,
    })
}

fn constant_type(c: &Constant) -> &'static str {
    match c {
        Constant::None => "NoneType",
        Constant::Bool(_) => "bool",
        Constant::Ellipsis => "ellipsis",
        Constant::Int(_) => "int",
        Constant::Float(_) => "float",
        Constant::Complex { .. } => "complex",
        Constant::Str(_) => "str",
        Constant::Bytes(_) => "bytes",
        Constant::Tuple(_) => "tuple",
    }
}

/// A literal for CPython's `check_is_arg`: a constant (after folding)
/// other than None, True, False and Ellipsis.
fn is_literal(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Constant { value, .. } => !matches!(value, Constant::None | Constant::Bool(_) | Constant::Ellipsis),
        ExprKind::UnaryOp { op, operand } => matches!(&operand.kind, ExprKind::Constant { value, .. } if fold_unary(*op, value).is_some()),
        ExprKind::Tuple { elts, .. } => elts.iter().all(|x| is_literal(x) || matches!(x.kind, ExprKind::Constant { .. })),
        _ => false,
    }
}

/// `x is 1`: CPython's `check_compare`.
fn check_compare(c: &Compare, loc: Loc) {
    let mut left = is_literal(&c.left);
    for (op, comp) in c.ops.iter().zip(&c.comparators) {
        let right = is_literal(comp);
        if matches!(op, CmpOp::Is | CmpOp::IsNot) && (left || right) {
            let msg = if *op == CmpOp::Is {
                "\"is\" with a literal. Did you mean \"==\"?"
            } else {
                "\"is not\" with a literal. Did you mean \"!=\"?"
            };
            warn(msg.into(), loc);
            return;
        }
        left = right;
    }
}

/// `(1, 2) (3, 4)`: CPython's `check_caller`.
fn check_caller(func: &Expr, loc: Loc) {
    let callable_literal = matches!(
        func.kind,
        ExprKind::Constant { .. }
            | ExprKind::Tuple { .. }
            | ExprKind::List { .. }
            | ExprKind::ListComp { .. }
            | ExprKind::Dict { .. }
            | ExprKind::DictComp { .. }
            | ExprKind::Set { .. }
            | ExprKind::SetComp { .. }
            | ExprKind::GeneratorExp { .. }
            | ExprKind::JoinedStr { .. }
            | ExprKind::FormattedValue { .. }
    );
    if let (true, Some(t)) = (callable_literal, infer_type(func)) {
        warn(format!("'{t}' object is not callable; perhaps you missed a comma?"), loc);
    }
}

/// `[1, 2] [3]`, `'ab' ['x']`: CPython's `check_subscripter` and
/// `check_index` (loads only).
fn check_subscript(value: &Expr, slice: &Expr, loc: Loc) {
    let not_subscriptable = match &value.kind {
        ExprKind::Constant { value: c, .. } => {
            matches!(
                c,
                Constant::None | Constant::Ellipsis | Constant::Bool(_) | Constant::Int(_) | Constant::Float(_) | Constant::Complex { .. }
            )
        }
        ExprKind::Set { .. } | ExprKind::SetComp { .. } | ExprKind::GeneratorExp { .. } | ExprKind::Lambda { .. } => true,
        _ => false,
    };
    if not_subscriptable {
        if let Some(t) = infer_type(value) {
            warn(format!("'{t}' object is not subscriptable; perhaps you missed a comma?"), loc);
        }
        return;
    }
    let Some(index) = infer_type(slice) else { return };
    if matches!(index, "int" | "bool" | "slice") {
        return;
    }
    let indexable = match &value.kind {
        ExprKind::Constant { value: c, .. } => matches!(c, Constant::Str(_) | Constant::Bytes(_) | Constant::Tuple(_)),
        ExprKind::Tuple { .. }
        | ExprKind::List { .. }
        | ExprKind::ListComp { .. }
        | ExprKind::JoinedStr { .. }
        | ExprKind::FormattedValue { .. } => true,
        _ => false,
    };
    if let (true, Some(t)) = (indexable, infer_type(value)) {
        warn(format!("{t} indices must be integers or slices, not {index}; perhaps you missed a comma?"), loc);
    }
}

/// `co_flags` bits.
pub const CO_OPTIMIZED: u32 = 0x1;
pub const CO_NEWLOCALS: u32 = 0x2;
pub const CO_VARARGS: u32 = 0x4;
pub const CO_VARKEYWORDS: u32 = 0x8;
/// A function nested in another function (no effect at run time).
pub const CO_NESTED: u32 = 0x10;
pub const CO_GENERATOR: u32 = 0x20;
pub const CO_COROUTINE: u32 = 0x80;
pub const CO_ITERABLE_COROUTINE: u32 = 0x100;
pub const CO_ASYNC_GENERATOR: u32 = 0x200;

/// `YieldValue` argument of the yields of `yield from` and `await` (their
/// frame delegates to the iterator below the yielded value).
pub const YIELD_DELEGATING: u32 = 1;

/// Compiles a module body.
pub fn compile_module(module: &Mod, filename: &str) -> CResult<CodeUnit> {
    compile_module_opt(module, filename, 0)
}

/// Compiles a module body at an optimisation level (`-O` is 1: `assert`
/// statements go and `__debug__` is false; `-OO` is 2: docstrings go too).
pub fn compile_module_opt(module: &Mod, filename: &str, optimize: u32) -> CResult<CodeUnit> {
    WARNINGS.with(|w| w.borrow_mut().clear());
    FORBIDDEN.with(|f| f.borrow_mut().take());
    let r = compile_module_inner(module, filename, optimize);
    match FORBIDDEN.with(|f| f.borrow_mut().take()) {
        Some(e) if r.is_ok() => Err(e),
        _ => r,
    }
}

thread_local! {
    /// The first store or deletion of `__debug__` met (CPython's
    /// `forbidden_name`), reported when the compilation ends.
    static FORBIDDEN: std::cell::RefCell<Option<CompileError>> = const { std::cell::RefCell::new(None) };
}

/// `__debug__` cannot be bound or deleted (`store`: bound).
fn check_forbidden(name: &str, loc: Loc, store: bool) {
    if name == "__debug__" {
        let msg = if store { "cannot assign to __debug__" } else { "cannot delete __debug__" };
        FORBIDDEN.with(|f| {
            f.borrow_mut().get_or_insert(CompileError { msg: msg.into(), lineno: loc.lineno, offset: loc.col_offset + 1 });
        });
    }
}

fn compile_module_inner(module: &Mod, filename: &str, optimize: u32) -> CResult<CodeUnit> {
    let st =
        symtable::build(module, filename).map_err(|e| CompileError { msg: e.msg, lineno: e.lineno, offset: e.offset.max(0) as u32 })?;
    let body = match module {
        Mod::Module { body, .. } | Mod::Interactive { body } => body,
        Mod::Expression { body } => {
            // `eval` mode: the expression's value is the code's result.
            let mut c = Compiler::new(&st, st.root(), "<module>", filename, 1);
            c.optimize = optimize;
            c.expr(body)?;
            c.emit(Opcode::ReturnValue, 0, Loc::default());
            return Ok(c.finish());
        }
    };
    let mut c = Compiler::new(&st, st.root(), "<module>", filename, 1);
    c.optimize = optimize;
    c.interactive = matches!(module, Mod::Interactive { .. });
    if find_annotations(body) {
        c.emit(Opcode::SetupAnnotations, 0, Loc::default());
    }
    let body = match docstring(body).filter(|_| !c.interactive) {
        Some(_) if optimize >= 2 => &body[1..],
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

/// Whether a module or class body has annotated assignments to names (it
/// then gets an `__annotations__` dict first), CPython's `find_ann`.
fn find_annotations(body: &[Stmt]) -> bool {
    body.iter().any(|s| match &s.kind {
        StmtKind::AnnAssign { .. } => true,
        StmtKind::For { body, orelse, .. }
        | StmtKind::AsyncFor { body, orelse, .. }
        | StmtKind::While { body, orelse, .. }
        | StmtKind::If { body, orelse, .. } => find_annotations(body) || find_annotations(orelse),
        StmtKind::With { body, .. } | StmtKind::AsyncWith { body, .. } => find_annotations(body),
        StmtKind::Try(t) | StmtKind::TryStar(t) => {
            find_annotations(&t.body)
                || find_annotations(&t.orelse)
                || find_annotations(&t.finalbody)
                || t.handlers.iter().any(|h| find_annotations(&h.body))
        }
        StmtKind::Match { cases, .. } => cases.iter().any(|c| find_annotations(&c.body)),
        _ => false,
    })
}

/// What leaving a block requires (CPython's `fblocktype`).
#[derive(Clone, Copy)]
enum BlockKind<'st> {
    /// A `while` or `for` loop (`for` keeps its iterator on the stack).
    Loop { is_for: bool },
    /// The body of a `try` with `except` clauses.
    TryExcept,
    /// The body of a `try` with a `finally` clause.
    FinallyTry(&'st [Stmt]),
    /// The `finally` body run for an exception (which is on the stack).
    FinallyEnd,
    /// The body of an `except` clause, with its `as` name.
    HandlerCleanup(Option<&'st str>),
    /// The body of a `with` (its `__exit__` is on the stack); `loc`: the
    /// statement's, which the `__exit__` call of a `break`/`return` shows.
    With { is_async: bool, loc: Loc },
    /// A stretch of code with an exception handler and nothing to undo.
    Region,
    /// A `finally` body inlined for a `return`: the return value is on the
    /// stack (a `break`/`continue`/`return` in the body drops it).
    PopValue,
}

struct Block<'st> {
    kind: BlockKind<'st>,
    /// Index in `Compiler::handlers` of this block's exception handler.
    handler: Option<usize>,
    /// Loops: where `continue` jumps, and the jumps `break` left to patch.
    start: usize,
    breaks: Vec<usize>,
}

struct Compiler<'st> {
    unit: CodeUnit,
    st: &'st SymbolTable,
    scope: ScopeId,
    blocks: Vec<Block<'st>>,
    /// Exception handlers: target word (patched when placed) and stack depth.
    handlers: Vec<(u32, u32)>,
    /// The innermost handler of each emitted word.
    word_handler: Vec<Option<usize>>,
    depth: i32,
    /// The enclosing class name, for private-name mangling.
    private: Option<String>,
    /// Interactive input (`Mod::Interactive`): module-level expression
    /// statements print their values (`PrintExpr`).
    interactive: bool,
    /// The optimisation level (`-O`: 1, `-OO`: 2).
    optimize: u32,
}

fn unsupported<T>(what: &str, loc: Loc) -> CResult<T> {
    Err(CompileError { msg: format!("{what} is not supported by the compiler yet"), lineno: loc.lineno, offset: loc.col_offset + 1 })
}

/// A SyntaxError raised by the compiler.
fn syntax_error<T>(msg: impl Into<String>, loc: Loc) -> CResult<T> {
    Err(CompileError { msg: msg.into(), lineno: loc.lineno, offset: loc.col_offset + 1 })
}

/// Where an attribute access spanning lines is reported: from the
/// attribute's name to the end of the expression (CPython 3.11's
/// `update_start_location_to_match_attr`).
fn attr_loc(loc: Loc, attr: &str) -> Loc {
    let len = attr.chars().count() as u32;
    if loc.lineno == loc.end_lineno || len > loc.end_col_offset {
        return loc;
    }
    Loc { lineno: loc.end_lineno, col_offset: loc.end_col_offset - len, ..loc }
}

fn str_const(s: &str) -> Const {
    Const::Str(Wtf8Buf::from_str(s))
}

/// The location of compiler-made instructions that belong to no line
/// (CPython's `UNSET_LOC`): the trace machinery reports the line that ran
/// before them.
const ARTIFICIAL: Loc = Loc { lineno: 0, col_offset: 0, end_lineno: 0, end_col_offset: 0 };

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
        // A class's free variables include names it binds itself that its
        // methods close over from an enclosing function (`DEF_FREE_CLASS`):
        // the class passes the outer cell through to them.
        let mut frees: Vec<Box<str>> = sc
            .symbols
            .iter()
            .filter(|s| s.scope == SymScope::Free || (s.flags & symtable::flags::DEF_FREE_CLASS != 0 && sc.kind == ScopeKind::Class))
            .map(|s| Box::from(&*s.name))
            .collect();
        cells.sort();
        frees.sort();
        unit.cellvars = cells;
        unit.freevars = frees;
        Compiler {
            unit,
            st,
            scope,
            blocks: Vec::new(),
            handlers: Vec::new(),
            word_handler: Vec::new(),
            depth: 0,
            private: None,
            interactive: false,
            optimize: 0,
        }
    }

    /// A compiler for a nested scope (same file, same private name).
    fn child(&self, scope: ScopeId, name: &str, firstlineno: u32) -> Compiler<'st> {
        let mut c = Compiler::new(self.st, scope, name, &self.unit.filename, firstlineno);
        c.private = self.private.clone();
        c.optimize = self.optimize;
        c
    }

    fn is_function(&self) -> bool {
        self.st.scope(self.scope).kind == ScopeKind::Function
    }

    fn future_annotations(&self) -> bool {
        self.st.future.annotations
    }

    fn mangled<'n>(&self, name: &'n str) -> std::borrow::Cow<'n, str> {
        mangle(self.private.as_deref(), name)
    }

    fn deref_index(&self, name: &str) -> Option<u32> {
        self.unit.cellvars.iter().chain(self.unit.freevars.iter()).position(|n| &**n == name).map(|i| i as u32)
    }

    /// Where `name` lives in the current scope.
    fn name_op(&mut self, name: &str) -> NameOp {
        let name = mangle(self.private.as_deref(), name).into_owned();
        let name = &*name;
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

    fn finish(mut self) -> CodeUnit {
        // Runs of words with the same innermost handler become rows.
        let mut table = Vec::new();
        let n = self.word_handler.len();
        let mut i = 0;
        while i < n {
            match self.word_handler[i] {
                Some(h) => {
                    let start = i;
                    while i < n && self.word_handler[i] == Some(h) {
                        i += 1;
                    }
                    let (target, depth) = self.handlers[h];
                    table.push(ExceptionEntry { start: start as u32, end: i as u32, target, depth });
                }
                None => i += 1,
            }
        }
        self.unit.exception_table = table;
        self.unit
    }

    /// A new exception handler whose code will be at the next
    /// `place_handler`; exceptions unwind the stack to `depth`.
    fn new_handler(&mut self, depth: i32) -> usize {
        self.handlers.push((u32::MAX, depth.max(0) as u32));
        self.handlers.len() - 1
    }

    /// The handler's code starts here; the stack holds its depth plus the
    /// exception.
    fn place_handler(&mut self, h: usize) {
        self.handlers[h].0 = self.unit.code.len() as u32;
        self.depth = self.handlers[h].1 as i32 + 1;
    }

    fn push_block(&mut self, kind: BlockKind<'st>, handler: Option<usize>) {
        self.blocks.push(Block { kind, handler, start: 0, breaks: Vec::new() });
    }

    fn pop_block(&mut self) -> Option<Block<'st>> {
        self.blocks.pop()
    }

    fn current_handler(&self) -> Option<usize> {
        self.blocks.iter().rev().find_map(|b| b.handler)
    }

    fn emit(&mut self, op: Opcode, arg: u32, loc: Loc) -> usize {
        let at = self.unit.code.len();
        let l = Location { lineno: loc.lineno, end_lineno: loc.end_lineno, col: loc.col_offset, end_col: loc.end_col_offset };
        let h = self.current_handler();
        self.unit.code.push(encode(op, arg));
        self.unit.locations.push(l);
        self.word_handler.push(h);
        for _ in 0..op.cache_words() {
            self.unit.code.push(0);
            self.unit.locations.push(l);
            self.word_handler.push(h);
        }
        self.depth += stack_effect(op, arg);
        self.unit.max_stack = self.unit.max_stack.max(self.depth.max(0) as u32);
        at
    }

    /// Points the jump at `at` to the current end of the code.
    fn patch_here(&mut self, at: usize) {
        let target = self.unit.code.len() as u32;
        self.patch_to(at, target);
    }

    fn patch_to(&mut self, at: usize, target: u32) {
        let op = self.unit.code[at] & 0xFF;
        self.unit.code[at] = op | (target << 8);
    }

    fn const_index(&mut self, c: Const) -> u32 {
        match self.unit.consts.iter().position(|x| same_const(x, &c)) {
            Some(i) => i as u32,
            None => {
                self.unit.consts.push(c);
                (self.unit.consts.len() - 1) as u32
            }
        }
    }

    fn load_const(&mut self, c: Const, loc: Loc) {
        let i = self.const_index(c);
        self.emit(Opcode::LoadConst, i, loc);
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

    /// The names entry of an attribute (mangled like a name).
    fn attr_index(&mut self, attr: &str) -> u32 {
        let m = self.mangled(attr).into_owned();
        self.name_index(&m)
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
        if name == "__debug__" {
            // A constant, as CPython's AST optimiser makes it.
            self.load_const(Const::Bool(self.optimize == 0), loc);
            return Ok(());
        }
        let (op, arg) = match self.name_op(name) {
            NameOp::Fast(i) => (Opcode::LoadFast, i),
            NameOp::Deref(i) if self.st.scope(self.scope).kind == ScopeKind::Class => (Opcode::LoadClassDeref, i),
            NameOp::Deref(i) => (Opcode::LoadDeref, i),
            NameOp::Global(i) => (Opcode::LoadGlobal, i),
            NameOp::Name(i) => (Opcode::LoadName, i),
        };
        self.emit(op, arg, loc);
        Ok(())
    }

    fn store_name(&mut self, name: &str, loc: Loc) {
        check_forbidden(name, loc, true);
        let (op, arg) = match self.name_op(name) {
            NameOp::Fast(i) => (Opcode::StoreFast, i),
            NameOp::Deref(i) => (Opcode::StoreDeref, i),
            NameOp::Global(i) => (Opcode::StoreGlobal, i),
            NameOp::Name(i) => (Opcode::StoreName, i),
        };
        self.emit(op, arg, loc);
    }

    fn delete_name(&mut self, name: &str, loc: Loc) {
        check_forbidden(name, loc, false);
        let (op, arg) = match self.name_op(name) {
            NameOp::Fast(i) => (Opcode::DeleteFast, i),
            NameOp::Deref(i) => (Opcode::DeleteDeref, i),
            NameOp::Global(i) => (Opcode::DeleteGlobal, i),
            NameOp::Name(i) => (Opcode::DeleteName, i),
        };
        self.emit(op, arg, loc);
    }

    fn stmts(&mut self, body: &'st [Stmt]) -> CResult<()> {
        body.iter().try_for_each(|s| self.stmt(s))
    }

    fn stmt(&mut self, s: &'st Stmt) -> CResult<()> {
        let loc = s.loc;
        match &s.kind {
            // A constant expression statement (not a docstring kept
            // elsewhere) leaves only its line, as CPython's NOP.
            StmtKind::Expr { value }
                if matches!(value.kind, ExprKind::Constant { .. }) && !(self.interactive && self.scope == self.st.root()) =>
            {
                self.emit(Opcode::Nop, 0, loc);
            }
            StmtKind::Expr { value } => {
                self.expr(value)?;
                let op = if self.interactive && self.scope == self.st.root() { Opcode::PrintExpr } else { Opcode::PopTop };
                self.emit(op, 0, loc);
            }
            // `pass` keeps its line (a 'line' trace event, a place to jump
            // to), as CPython's NOP does.
            StmtKind::Pass => {
                self.emit(Opcode::Nop, 0, loc);
            }
            StmtKind::Global { .. } | StmtKind::Nonlocal { .. } => {}
            StmtKind::Assign { targets, value, .. } => {
                self.expr(value)?;
                for (i, t) in targets.iter().enumerate() {
                    if i + 1 < targets.len() {
                        self.emit(Opcode::DupTop, 0, loc);
                    }
                    self.store_target(t)?;
                }
            }
            StmtKind::AugAssign { target, op, value } => self.aug_assign(target, *op, value, loc)?,
            StmtKind::AnnAssign { target, annotation, value, simple } => {
                if let ExprKind::Name { id, .. } = &target.kind {
                    check_forbidden(id, target.loc, true);
                }
                self.ann_assign(target, annotation, value.as_deref(), *simple, loc)?
            }
            StmtKind::Delete { targets } => {
                for t in targets {
                    self.delete_target(t)?;
                }
            }
            // `-O` drops assertions (after CPython's warning).
            StmtKind::Assert { test, .. } if self.optimize > 0 => {
                if matches!(&test.kind, ExprKind::Tuple { elts, .. } if !elts.is_empty()) {
                    warn("assertion is always true, perhaps remove parentheses?".into(), loc);
                }
            }
            StmtKind::Assert { test, msg } => {
                if matches!(&test.kind, ExprKind::Tuple { elts, .. } if !elts.is_empty()) {
                    warn("assertion is always true, perhaps remove parentheses?".into(), loc);
                }
                self.expr(test)?;
                let j = self.emit(Opcode::PopJumpIfTrue, 0, loc);
                self.emit(Opcode::LoadAssertionError, 0, loc);
                if let Some(m) = msg {
                    self.expr(m)?;
                    self.emit(Opcode::Call, 1, loc);
                }
                self.emit(Opcode::RaiseVarargs, 1, loc);
                self.patch_here(j);
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
                // Only the leading future statements (`symtable::future`)
                // may import from `__future__`.
                if module.as_deref() == Some("__future__") && loc.lineno > self.st.future.lineno {
                    return syntax_error("from __future__ imports must occur at the beginning of the file", loc);
                }
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
            // `if __debug__:` keeps only the branch that runs.
            StmtKind::If { test, body, orelse } if matches!(&test.kind, ExprKind::Name { id, .. } if &**id == "__debug__") => {
                self.stmts(if self.optimize == 0 { body } else { orelse })?;
            }
            StmtKind::If { test, body, orelse } => {
                self.expr(test)?;
                let jf = self.emit(Opcode::PopJumpIfFalse, 0, test.loc);
                self.stmts(body)?;
                if orelse.is_empty() {
                    self.patch_here(jf);
                } else {
                    let j = self.emit(Opcode::Jump, 0, ARTIFICIAL);
                    self.patch_here(jf);
                    self.stmts(orelse)?;
                    self.patch_here(j);
                }
            }
            StmtKind::While { test, body, orelse } => {
                let start = self.unit.code.len();
                self.expr(test)?;
                let jf = self.emit(Opcode::PopJumpIfFalse, 0, test.loc);
                self.push_loop(start, false);
                self.stmts(body)?;
                self.emit(Opcode::Jump, start as u32, ARTIFICIAL);
                let l = self.pop_block();
                self.patch_here(jf);
                self.stmts(orelse)?;
                for b in l.map(|l| l.breaks).unwrap_or_default() {
                    self.patch_here(b);
                }
            }
            StmtKind::For { target, iter, body, orelse, .. } => {
                self.expr(iter)?;
                self.emit(Opcode::GetIter, 0, iter.loc);
                let start = self.unit.code.len();
                let fi = self.emit(Opcode::ForIter, 0, loc);
                self.store_target(target)?;
                self.push_loop(start, true);
                self.stmts(body)?;
                self.emit(Opcode::Jump, start as u32, ARTIFICIAL);
                let l = self.pop_block();
                self.patch_here(fi);
                // ForIter pops the iterator when it is exhausted.
                self.depth -= 1;
                self.stmts(orelse)?;
                for b in l.map(|l| l.breaks).unwrap_or_default() {
                    self.patch_here(b);
                }
            }
            StmtKind::AsyncFor { target, iter, body, orelse, .. } => self.async_for(target, iter, body, orelse, loc)?,
            StmtKind::Break | StmtKind::Continue => {
                let is_break = matches!(s.kind, StmtKind::Break);
                let depth = self.depth;
                // The statement's own line comes first (before any
                // `finally` body it runs).
                self.emit(Opcode::Nop, 0, loc);
                let stmt_loc = loc;
                let mut loc = loc;
                let Some(i) = self.unwind(true, false, &mut loc)? else {
                    let what = if is_break { "'break' outside loop" } else { "'continue' not properly in loop" };
                    return syntax_error(what, stmt_loc);
                };
                if is_break {
                    if let BlockKind::Loop { is_for: true } = self.blocks[i].kind {
                        // The loop's iterator is on the stack.
                        self.emit(Opcode::PopTop, 0, loc);
                    }
                    let j = self.emit(Opcode::Jump, 0, loc);
                    self.blocks[i].breaks.push(j);
                } else {
                    let start = self.blocks[i].start as u32;
                    self.emit(Opcode::Jump, start, loc);
                }
                self.depth = depth;
            }
            StmtKind::Return { value } => {
                if !self.is_function() {
                    return syntax_error("'return' outside function", loc);
                }
                let sc = self.st.scope(self.scope);
                if value.is_some() && sc.is_coroutine && sc.is_generator {
                    return syntax_error("'return' with value in async generator", loc);
                }
                match value {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Const::None, loc),
                }
                let depth = self.depth;
                let mut loc = loc;
                self.unwind(false, true, &mut loc)?;
                self.emit(Opcode::ReturnValue, 0, loc);
                self.depth = depth - 1;
            }
            StmtKind::FunctionDef(f) => self.function_def(s, f, loc, false)?,
            StmtKind::AsyncFunctionDef(f) => self.function_def(s, f, loc, true)?,
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
            StmtKind::Try(t) => {
                if t.finalbody.is_empty() {
                    self.try_except(t, loc)?;
                } else if t.handlers.is_empty() {
                    self.try_finally(&t.finalbody, loc, |c| {
                        c.stmts(&t.body)?;
                        c.stmts(&t.orelse)
                    })?;
                } else {
                    self.try_finally(&t.finalbody, loc, |c| c.try_except(t, loc))?;
                }
            }
            StmtKind::TryStar(t) => {
                if t.finalbody.is_empty() {
                    self.try_star(t, loc)?;
                } else {
                    self.try_finally(&t.finalbody, loc, |c| c.try_star(t, loc))?;
                }
            }
            StmtKind::With { items, body, .. } => self.with(items, body, loc, false)?,
            StmtKind::AsyncWith { items, body, .. } => self.with(items, body, loc, true)?,
            StmtKind::Match { subject, cases } => self.match_stmt(subject, cases)?,
        }
        Ok(())
    }

    fn push_loop(&mut self, start: usize, is_for: bool) {
        self.blocks.push(Block { kind: BlockKind::Loop { is_for }, handler: None, start, breaks: Vec::new() });
    }

    /// Emits the cleanup of the blocks a `return` (all of them) or a
    /// `break`/`continue` (up to the innermost loop, whose index is
    /// returned) leaves. `preserve_tos`: a return value is on top. Once a
    /// `finally` body has run, the rest of the exit is artificial (`loc`
    /// becomes [`ARTIFICIAL`]): it seems to run after the `finally`.
    fn unwind(&mut self, to_loop: bool, preserve_tos: bool, loc: &mut Loc) -> CResult<Option<usize>> {
        let mut i = self.blocks.len();
        while i > 0 {
            i -= 1;
            let kind = self.blocks[i].kind;
            if to_loop && matches!(kind, BlockKind::Loop { .. }) {
                return Ok(Some(i));
            }
            // The cleanup runs outside the block (and the blocks in it).
            let saved = self.blocks.split_off(i);
            let r = self.unwind_block(kind, preserve_tos, *loc);
            self.blocks.extend(saved);
            r?;
            if let BlockKind::FinallyTry(_) | BlockKind::With { .. } = kind {
                *loc = ARTIFICIAL;
            }
        }
        Ok(None)
    }

    fn unwind_block(&mut self, kind: BlockKind<'st>, preserve_tos: bool, loc: Loc) -> CResult<()> {
        match kind {
            BlockKind::Loop { is_for } => {
                if is_for {
                    if preserve_tos {
                        self.emit(Opcode::Swap, 2, loc);
                    }
                    self.emit(Opcode::PopTop, 0, loc);
                }
            }
            BlockKind::TryExcept | BlockKind::Region => {}
            BlockKind::FinallyTry(body) => {
                if preserve_tos {
                    self.push_block(BlockKind::PopValue, None);
                }
                let r = self.stmts(body);
                if preserve_tos {
                    self.pop_block();
                }
                r?;
            }
            BlockKind::PopValue => {
                if preserve_tos {
                    self.emit(Opcode::Swap, 2, loc);
                }
                self.emit(Opcode::PopTop, 0, loc);
            }
            BlockKind::FinallyEnd => {
                if preserve_tos {
                    self.emit(Opcode::Swap, 2, loc);
                }
                self.emit(Opcode::PopTop, 0, loc);
                self.emit(Opcode::PopExcept, 0, loc);
            }
            BlockKind::HandlerCleanup(name) => {
                self.emit(Opcode::PopExcept, 0, loc);
                if let Some(n) = name {
                    self.load_const(Const::None, loc);
                    self.store_name(n, loc);
                    self.delete_name(n, loc);
                }
            }
            BlockKind::With { is_async, loc } => {
                if preserve_tos {
                    self.emit(Opcode::Swap, 2, loc);
                }
                self.call_exit_none(is_async, loc);
            }
        }
        Ok(())
    }

    /// `__exit__(None, None, None)` with the exit function on top; the
    /// result is discarded.
    fn call_exit_none(&mut self, is_async: bool, loc: Loc) {
        for _ in 0..3 {
            self.load_const(Const::None, loc);
        }
        self.emit(Opcode::Call, 3, loc);
        if is_async {
            self.emit(Opcode::GetAwaitable, 2, loc);
            self.await_loop(loc);
        }
        self.emit(Opcode::PopTop, 0, loc);
    }

    /// Drives the awaitable or sub-iterator on top to its end: sends the
    /// values sent in, yields what it yields, and leaves its result.
    fn await_loop(&mut self, loc: Loc) {
        self.load_const(Const::None, loc);
        let send = self.emit(Opcode::Send, 0, loc);
        self.emit(Opcode::YieldValue, YIELD_DELEGATING, loc);
        self.emit(Opcode::Jump, send as u32, loc);
        self.patch_here(send);
        // The iterator and the sent value are replaced by the result.
        self.depth -= 1;
    }

    /// `try`/`except`/`else`. The body's exceptions go to the handler code
    /// with the exception pushed; an exception inside the handlers ends the
    /// handling (the cleanup) and propagates.
    fn try_except(&mut self, t: &'st Try, loc: Loc) -> CResult<()> {
        let depth = self.depth;
        // The `try` line (CPython's SETUP_FINALLY, kept as a NOP).
        self.emit(Opcode::Nop, 0, loc);
        let h = self.new_handler(depth);
        self.push_block(BlockKind::TryExcept, Some(h));
        self.stmts(&t.body)?;
        self.pop_block();
        self.stmts(&t.orelse)?;
        // The plumbing of the handlers has no line of its own.
        let loc = ARTIFICIAL;
        let to_end = self.emit(Opcode::Jump, 0, loc);
        let mut exits = vec![to_end];
        self.place_handler(h);
        let cleanup = self.new_handler(depth);
        self.push_block(BlockKind::Region, Some(cleanup));
        self.emit(Opcode::PushExcInfo, 0, loc);
        for (i, handler) in t.handlers.iter().enumerate() {
            let mut next = None;
            match &handler.type_ {
                Some(ty) => {
                    self.expr(ty)?;
                    self.emit(Opcode::CheckExcMatch, 0, ty.loc);
                    next = Some(self.emit(Opcode::PopJumpIfFalse, 0, ty.loc));
                }
                None if i + 1 < t.handlers.len() => return syntax_error("default 'except:' must be last", handler.loc),
                None => {}
            }
            match &handler.name {
                Some(n) => {
                    self.store_name(n, handler.loc);
                    // An exception in the body unbinds the name, then ends
                    // the handling.
                    let cleanup_body = self.new_handler(depth);
                    self.push_block(BlockKind::HandlerCleanup(Some(n)), Some(cleanup_body));
                    self.stmts(&handler.body)?;
                    self.pop_block();
                    self.emit(Opcode::PopExcept, 0, loc);
                    self.load_const(Const::None, loc);
                    self.store_name(n, loc);
                    self.delete_name(n, loc);
                    exits.push(self.emit(Opcode::Jump, 0, loc));
                    self.place_handler(cleanup_body);
                    self.load_const(Const::None, loc);
                    self.store_name(n, loc);
                    self.delete_name(n, loc);
                    self.emit(Opcode::Reraise, 0, loc);
                }
                None => {
                    self.emit(Opcode::PopTop, 0, handler.loc);
                    self.push_block(BlockKind::HandlerCleanup(None), None);
                    self.stmts(&handler.body)?;
                    self.pop_block();
                    self.emit(Opcode::PopExcept, 0, loc);
                    exits.push(self.emit(Opcode::Jump, 0, loc));
                }
            }
            self.depth = depth + 1;
            if let Some(j) = next {
                self.patch_here(j);
            }
        }
        // No handler matched: re-raise (the cleanup ends the handling).
        self.emit(Opcode::Reraise, 0, loc);
        self.pop_block();
        self.place_handler(cleanup);
        self.emit(Opcode::PopExcept, 0, loc);
        self.emit(Opcode::Reraise, 0, loc);
        self.depth = depth;
        for e in exits {
            self.patch_here(e);
        }
        Ok(())
    }

    /// `try`/`finally`: the body (emitted by `body`), the `finally` body
    /// inline for the normal way out, and again as the exception handler.
    fn try_finally(&mut self, finalbody: &'st [Stmt], loc: Loc, body: impl FnOnce(&mut Compiler<'st>) -> CResult<()>) -> CResult<()> {
        let depth = self.depth;
        self.emit(Opcode::Nop, 0, loc);
        let loc = ARTIFICIAL;
        let h = self.new_handler(depth);
        self.push_block(BlockKind::FinallyTry(finalbody), Some(h));
        body(self)?;
        self.pop_block();
        self.stmts(finalbody)?;
        let end = self.emit(Opcode::Jump, 0, loc);
        self.place_handler(h);
        let cleanup = self.new_handler(depth);
        self.push_block(BlockKind::FinallyEnd, Some(cleanup));
        self.emit(Opcode::PushExcInfo, 0, loc);
        self.stmts(finalbody)?;
        self.emit(Opcode::Reraise, 0, loc);
        self.pop_block();
        self.place_handler(cleanup);
        self.emit(Opcode::PopExcept, 0, loc);
        self.emit(Opcode::Reraise, 0, loc);
        self.depth = depth;
        self.patch_here(end);
        Ok(())
    }

    /// `try`/`except*` (PEP 654), CPython 3.11's scheme: each clause
    /// splits what is left of the group; exceptions raised by the clauses
    /// are collected in a list, and `PrepReraiseStar` works out what to
    /// raise at the end.
    fn try_star(&mut self, t: &'st Try, loc: Loc) -> CResult<()> {
        let depth = self.depth;
        self.emit(Opcode::Nop, 0, loc);
        let loc = ARTIFICIAL;
        let h = self.new_handler(depth);
        self.push_block(BlockKind::TryExcept, Some(h));
        self.stmts(&t.body)?;
        self.pop_block();
        self.stmts(&t.orelse)?;
        let end = self.emit(Opcode::Jump, 0, loc);
        self.place_handler(h);
        let cleanup = self.new_handler(depth);
        self.push_block(BlockKind::Region, Some(cleanup));
        // [orig] -> [orig, raised list, rest]
        self.emit(Opcode::PushExcInfo, 0, loc);
        self.emit(Opcode::Copy, 1, loc);
        self.emit(Opcode::BuildList, 0, loc);
        self.emit(Opcode::Swap, 2, loc);
        for handler in &t.handlers {
            let Some(ty) = &handler.type_ else {
                return syntax_error("expected exception type after 'except*'", handler.loc);
            };
            self.expr(ty)?;
            // [orig, list, rest, type] -> [orig, list, rest', match or None]
            self.emit(Opcode::CheckEgMatch, 0, ty.loc);
            self.emit(Opcode::Copy, 1, ty.loc);
            self.load_const(Const::None, ty.loc);
            self.emit(Opcode::IsOp, 0, ty.loc);
            let no_match = self.emit(Opcode::PopJumpIfTrue, 0, ty.loc);
            match &handler.name {
                Some(n) => self.store_name(n, handler.loc),
                None => {
                    self.emit(Opcode::PopTop, 0, handler.loc);
                }
            }
            // An exception raised by the body joins the list.
            let body_depth = self.depth;
            let raised = self.new_handler(body_depth);
            self.push_block(BlockKind::Region, Some(raised));
            self.stmts(&handler.body)?;
            self.pop_block();
            if let Some(n) = &handler.name {
                self.load_const(Const::None, loc);
                self.store_name(n, loc);
                self.delete_name(n, loc);
            }
            let next = self.emit(Opcode::Jump, 0, loc);
            self.place_handler(raised);
            if let Some(n) = &handler.name {
                self.load_const(Const::None, loc);
                self.store_name(n, loc);
                self.delete_name(n, loc);
            }
            self.emit(Opcode::ListAppend, 2, loc);
            let next2 = self.emit(Opcode::Jump, 0, loc);
            self.depth = body_depth + 1;
            self.patch_here(no_match);
            self.emit(Opcode::PopTop, 0, loc);
            self.patch_here(next);
            self.patch_here(next2);
            self.depth = body_depth;
        }
        // [orig, list, rest] -> [orig, list] -> [exception to raise or None]:
        // the unhandled rest (or None) joins the list.
        self.emit(Opcode::ListAppend, 1, loc);
        self.emit(Opcode::PrepReraiseStar, 0, loc);
        self.emit(Opcode::Copy, 1, loc);
        self.load_const(Const::None, loc);
        self.emit(Opcode::IsOp, 1, loc);
        let reraise = self.emit(Opcode::PopJumpIfTrue, 0, loc);
        self.emit(Opcode::PopTop, 0, loc);
        self.pop_block();
        self.emit(Opcode::PopExcept, 0, loc);
        let done = self.emit(Opcode::Jump, 0, loc);
        self.depth = depth + 1;
        self.patch_here(reraise);
        self.push_block(BlockKind::Region, Some(cleanup));
        self.emit(Opcode::Reraise, 0, loc);
        self.pop_block();
        self.place_handler(cleanup);
        self.emit(Opcode::PopExcept, 0, loc);
        self.emit(Opcode::Reraise, 0, loc);
        self.depth = depth;
        self.patch_here(end);
        self.patch_here(done);
        Ok(())
    }

    /// `with a as x, b: body` (one item at a time, nested) and `async with`.
    fn with(&mut self, items: &'st [WithItem], body: &'st [Stmt], loc: Loc, is_async: bool) -> CResult<()> {
        let Some((item, rest)) = items.split_first() else {
            return self.stmts(body);
        };
        if is_async && !self.st.scope(self.scope).is_async_def {
            return syntax_error("'async with' outside async function", loc);
        }
        self.expr(&item.context_expr)?;
        if is_async {
            self.emit(Opcode::BeforeAsyncWith, 0, loc);
            self.emit(Opcode::GetAwaitable, 1, loc);
            self.await_loop(loc);
        } else {
            self.emit(Opcode::BeforeWith, 0, loc);
        }
        // [exit, enter result]
        let depth = self.depth - 1;
        let h = self.new_handler(depth);
        self.push_block(BlockKind::With { is_async, loc }, Some(h));
        match &item.optional_vars {
            Some(t) => self.store_target(t)?,
            None => {
                self.emit(Opcode::PopTop, 0, loc);
            }
        }
        self.with(rest, body, loc, is_async)?;
        self.pop_block();
        self.call_exit_none(is_async, loc);
        let end = self.emit(Opcode::Jump, 0, loc);
        // [exit, exc]
        self.place_handler(h);
        let cleanup = self.new_handler(depth);
        self.push_block(BlockKind::Region, Some(cleanup));
        self.emit(Opcode::PushExcInfo, 0, loc);
        self.emit(Opcode::WithExceptStart, 0, loc);
        if is_async {
            self.emit(Opcode::GetAwaitable, 2, loc);
            self.await_loop(loc);
        }
        let suppress = self.emit(Opcode::PopJumpIfTrue, 0, loc);
        self.emit(Opcode::Reraise, 0, loc);
        self.depth = depth + 1;
        self.patch_here(suppress);
        self.emit(Opcode::PopTop, 0, loc);
        self.pop_block();
        self.emit(Opcode::PopExcept, 0, loc);
        self.emit(Opcode::PopTop, 0, loc);
        let done = self.emit(Opcode::Jump, 0, loc);
        self.place_handler(cleanup);
        self.emit(Opcode::PopExcept, 0, loc);
        self.emit(Opcode::Reraise, 0, loc);
        self.depth = depth - 1;
        self.patch_here(end);
        self.patch_here(done);
        Ok(())
    }

    /// `async for`: `__anext__()` awaited until StopAsyncIteration, which
    /// `EndAsyncFor` turns into the end of the loop.
    fn async_for(&mut self, target: &'st Expr, iter: &'st Expr, body: &'st [Stmt], orelse: &'st [Stmt], loc: Loc) -> CResult<()> {
        if !self.st.scope(self.scope).is_async_def {
            return syntax_error("'async for' outside async function", loc);
        }
        self.expr(iter)?;
        self.emit(Opcode::GetAIter, 0, iter.loc);
        let start = self.unit.code.len();
        let depth = self.depth;
        let h = self.new_handler(depth);
        self.push_block(BlockKind::Region, Some(h));
        self.emit(Opcode::GetANext, 0, loc);
        self.emit(Opcode::GetAwaitable, 0, loc);
        self.await_loop(loc);
        self.pop_block();
        self.store_target(target)?;
        self.push_loop(start, true);
        self.stmts(body)?;
        // The jump back sends no 'line' event (CPython marks it artificial).
        self.emit(Opcode::Jump, start as u32, ARTIFICIAL);
        let l = self.pop_block();
        self.place_handler(h);
        self.emit(Opcode::EndAsyncFor, 0, loc);
        self.depth = depth - 1;
        self.stmts(orelse)?;
        for b in l.map(|l| l.breaks).unwrap_or_default() {
            self.patch_here(b);
        }
        Ok(())
    }

    fn aug_assign(&mut self, target: &'st Expr, op: Operator, value: &'st Expr, loc: Loc) -> CResult<()> {
        let code = binary_code(op) as u32 + 13;
        match &target.kind {
            ExprKind::Name { id, .. } => {
                self.load_name(id, target.loc)?;
                self.expr(value)?;
                self.emit(Opcode::BinaryOp, code, loc);
                self.store_name(id, target.loc);
            }
            ExprKind::Attribute { value: obj, attr, .. } => {
                self.expr(obj)?;
                self.emit(Opcode::Copy, 1, target.loc);
                let i = self.attr_index(attr);
                self.emit(Opcode::LoadAttr, i, target.loc);
                self.expr(value)?;
                self.emit(Opcode::BinaryOp, code, loc);
                self.emit(Opcode::Swap, 2, loc);
                self.emit(Opcode::StoreAttr, i, target.loc);
            }
            ExprKind::Subscript { value: obj, slice, .. } => {
                self.expr(obj)?;
                self.subscript_key(slice)?;
                self.emit(Opcode::Copy, 2, target.loc);
                self.emit(Opcode::Copy, 2, target.loc);
                self.emit(Opcode::BinarySubscr, 0, target.loc);
                self.expr(value)?;
                self.emit(Opcode::BinaryOp, code, loc);
                self.emit(Opcode::Swap, 3, loc);
                self.emit(Opcode::Swap, 2, loc);
                self.emit(Opcode::StoreSubscr, 0, target.loc);
            }
            _ => return syntax_error("'expression' is an illegal expression for augmented assignment", target.loc),
        }
        Ok(())
    }

    /// The annotation value stored for `x: ann` (a string under
    /// `from __future__ import annotations`).
    fn annotation(&mut self, ann: &'st Expr) -> CResult<()> {
        if self.future_annotations() {
            let text = crate::unparse::unparse(ann);
            self.load_const(str_const(&text), ann.loc);
            Ok(())
        } else {
            self.expr(ann)
        }
    }

    fn ann_assign(&mut self, target: &'st Expr, ann: &'st Expr, value: Option<&'st Expr>, simple: bool, loc: Loc) -> CResult<()> {
        if let Some(v) = value {
            self.expr(v)?;
            self.store_target(target)?;
        }
        let module_or_class = matches!(self.st.scope(self.scope).kind, ScopeKind::Module | ScopeKind::Class);
        match &target.kind {
            ExprKind::Name { id, .. } if simple => {
                if module_or_class {
                    self.annotation(ann)?;
                    let i = self.name_index("__annotations__");
                    self.emit(Opcode::LoadName, i, loc);
                    let name = self.mangled(id).into_owned();
                    self.load_const(str_const(&name), loc);
                    self.emit(Opcode::StoreSubscr, 0, loc);
                }
                return Ok(());
            }
            ExprKind::Attribute { value: obj, .. } if value.is_none() => {
                self.expr(obj)?;
                self.emit(Opcode::PopTop, 0, loc);
            }
            ExprKind::Subscript { value: obj, slice, .. } if value.is_none() => {
                self.expr(obj)?;
                self.emit(Opcode::PopTop, 0, loc);
                self.subscript_key(slice)?;
                self.emit(Opcode::PopTop, 0, loc);
            }
            _ => {}
        }
        if module_or_class && !self.future_annotations() {
            self.expr(ann)?;
            self.emit(Opcode::PopTop, 0, loc);
        }
        Ok(())
    }

    fn delete_target(&mut self, t: &'st Expr) -> CResult<()> {
        match &t.kind {
            ExprKind::Name { id, .. } => self.delete_name(id, t.loc),
            ExprKind::Attribute { value, attr, .. } => {
                self.expr(value)?;
                let i = self.attr_index(attr);
                self.emit(Opcode::DeleteAttr, i, t.loc);
            }
            ExprKind::Subscript { value, slice, .. } => {
                self.expr(value)?;
                self.subscript_key(slice)?;
                self.emit(Opcode::DeleteSubscr, 0, t.loc);
            }
            ExprKind::Tuple { elts, .. } | ExprKind::List { elts, .. } => {
                for e in elts {
                    self.delete_target(e)?;
                }
            }
            _ => return syntax_error("cannot delete expression", t.loc),
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

    fn store_target(&mut self, t: &'st Expr) -> CResult<()> {
        match &t.kind {
            ExprKind::Name { id, .. } => {
                self.store_name(id, t.loc);
                Ok(())
            }
            ExprKind::Attribute { value, attr, .. } => {
                check_forbidden(attr, t.loc, true);
                self.expr(value)?;
                let i = self.attr_index(attr);
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
                let stars: Vec<usize> =
                    elts.iter().enumerate().filter(|(_, e)| matches!(e.kind, ExprKind::Starred { .. })).map(|(i, _)| i).collect();
                match stars.as_slice() {
                    [] => {
                        self.emit(Opcode::UnpackSequence, elts.len() as u32, t.loc);
                    }
                    [i] => {
                        let (before, after) = (*i, elts.len() - i - 1);
                        if before >= 256 || after >= (1 << 16) {
                            return syntax_error("too many expressions in star-unpacking assignment", t.loc);
                        }
                        self.emit(Opcode::UnpackEx, (before | (after << 8)) as u32, t.loc);
                    }
                    _ => return syntax_error("multiple starred expressions in assignment", t.loc),
                }
                for e in elts {
                    match &e.kind {
                        ExprKind::Starred { value, .. } => self.store_target(value)?,
                        _ => self.store_target(e)?,
                    }
                }
                Ok(())
            }
            ExprKind::Starred { .. } => syntax_error("starred assignment target must be in a list or tuple", t.loc),
            _ => unsupported("assignment to this target", t.loc),
        }
    }

    /// The qualified name of a definition named `name` in this scope.
    fn child_qualname(&self, name: &str) -> String {
        // A class or function declared `global` here is named as at
        // module level (CPython's `force_global`).
        if self.st.scope(self.scope).scope_of(&self.mangled(name)) == SymScope::GlobalExplicit {
            return name.to_string();
        }
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
    fn class_def(&mut self, stmt: &'st Stmt, c: &'st ClassDef, loc: Loc) -> CResult<()> {
        for d in &c.decorator_list {
            self.expr(d)?;
        }
        let Some(child) = self.st.scope_of_stmt(stmt) else {
            return unsupported("a class without a symbol-table scope", loc);
        };
        let class_cell = self.st.scope(child).needs_class_closure;
        let qualname = self.child_qualname(&c.name);
        let first = c.decorator_list.first().map_or(loc.lineno, |d| d.loc.lineno);
        let mut b = self.child(child, &c.name, first);
        b.private = Some(c.name.to_string());
        if class_cell {
            // The implicit `__class__` cell comes first (CPython's
            // `compiler_enter_scope`).
            b.unit.cellvars.insert(0, "__class__".into());
        }
        b.unit.qualname = qualname.clone().into();
        let module = b.name_index("__name__");
        b.emit(Opcode::LoadName, module, loc);
        let i = b.name_index("__module__");
        b.emit(Opcode::StoreName, i, loc);
        b.load_const(str_const(&qualname), loc);
        let i = b.name_index("__qualname__");
        b.emit(Opcode::StoreName, i, loc);
        if find_annotations(&c.body) {
            b.emit(Opcode::SetupAnnotations, 0, loc);
        }
        let body = match docstring(&c.body) {
            Some(_) if b.optimize >= 2 => &c.body[1..],
            // The docstring becomes `__doc__` (CPython's `compiler_body`).
            Some(doc) => {
                b.load_const(Const::Str(doc.clone()), c.body[0].loc);
                let i = b.name_index("__doc__");
                b.emit(Opcode::StoreName, i, c.body[0].loc);
                &c.body[1..]
            }
            None => &c.body[..],
        };
        b.stmts(body)?;
        if class_cell {
            // Return the `__class__` cell, also stored as `__classcell__`
            // for `type.__new__` to fill.
            b.emit(Opcode::LoadClosure, 0, loc);
            b.emit(Opcode::Copy, 1, loc);
            let i = b.name_index("__classcell__");
            b.emit(Opcode::StoreName, i, loc);
        } else {
            b.load_const(Const::None, ARTIFICIAL);
        }
        b.emit(Opcode::ReturnValue, 0, ARTIFICIAL);
        let unit = b.finish();
        self.emit(Opcode::LoadBuildClass, 0, loc);
        let flags = self.closure(&unit, loc)?;
        self.load_const(Const::Code(Box::new(unit)), loc);
        self.emit(Opcode::MakeFunction, flags, loc);
        self.load_const(str_const(&c.name), loc);
        self.call_helper(false, 2, &c.bases, &c.keywords, loc)?;
        for d in c.decorator_list.iter().rev() {
            self.emit(Opcode::Call, 1, d.loc);
        }
        self.store_name(&c.name, loc);
        Ok(())
    }

    fn function_def(&mut self, stmt: &'st Stmt, f: &'st FunctionDef, loc: Loc, is_async: bool) -> CResult<()> {
        // Decorators are evaluated first and applied innermost first.
        for d in &f.decorator_list {
            self.expr(d)?;
        }
        let Some(child) = self.st.scope_of_stmt(stmt) else {
            return unsupported("a function without a symbol-table scope", loc);
        };
        // A decorated function's code starts at its first decorator.
        let first = f.decorator_list.first().map_or(loc.lineno, |d| d.loc.lineno);
        self.make_function(child, &f.name, &f.args, f.returns.as_deref(), (loc, first), is_async, |c| {
            // The docstring (or None) is the first constant, as in CPython:
            // `function.__doc__` reads it.
            let doc = docstring(&f.body);
            let kept = doc.filter(|_| c.optimize < 2);
            c.unit.consts.push(kept.map_or(Const::None, |d| Const::Str(d.clone())));
            c.stmts(if doc.is_some() { &f.body[1..] } else { &f.body[..] })?;
            // The implicit `return None` has no line of its own: it
            // reports the line that ran last (CPython duplicates it per
            // predecessor).
            c.load_const(Const::None, ARTIFICIAL);
            c.emit(Opcode::ReturnValue, 0, ARTIFICIAL);
            Ok(())
        })?;
        for d in f.decorator_list.iter().rev() {
            self.emit(Opcode::Call, 1, d.loc);
        }
        self.store_name(&f.name, loc);
        Ok(())
    }

    /// Pushes the annotations of a function as a flat tuple of
    /// `(name, value, ...)` pairs; false when there are none.
    fn function_annotations(&mut self, a: &'st Arguments, returns: Option<&'st Expr>, loc: Loc) -> CResult<bool> {
        let mut n = 0;
        let mut one = |c: &mut Compiler<'st>, name: &str, ann: &'st Expr| -> CResult<()> {
            let m = c.mangled(name).into_owned();
            c.load_const(str_const(&m), ann.loc);
            match &ann.kind {
                ExprKind::Starred { value, .. } if !c.future_annotations() => {
                    c.expr(value)?;
                    c.emit(Opcode::UnpackSequence, 1, ann.loc);
                }
                _ => c.annotation(ann)?,
            }
            n += 1;
            Ok(())
        };
        // CPython's order: positional, positional-only, *args, keyword-only,
        // **kwargs, return.
        for p in a.args.iter().chain(&a.posonlyargs) {
            if let Some(ann) = &p.annotation {
                one(self, &p.arg, ann)?;
            }
        }
        if let Some(v) = &a.vararg {
            if let Some(ann) = &v.annotation {
                one(self, &v.arg, ann)?;
            }
        }
        for p in &a.kwonlyargs {
            if let Some(ann) = &p.annotation {
                one(self, &p.arg, ann)?;
            }
        }
        if let Some(k) = &a.kwarg {
            if let Some(ann) = &k.annotation {
                one(self, &k.arg, ann)?;
            }
        }
        if let Some(r) = returns {
            one(self, "return", r)?;
        }
        if n > 0 {
            self.emit(Opcode::BuildTuple, 2 * n, loc);
        }
        Ok(n > 0)
    }

    /// Compiles a function body (`body` emits it into the child compiler)
    /// and pushes the function object: defaults, annotations, closure, code.
    #[allow(clippy::too_many_arguments)]
    fn make_function(
        &mut self,
        child: ScopeId,
        name: &str,
        a: &'st Arguments,
        returns: Option<&'st Expr>,
        (loc, firstlineno): (Loc, u32),
        is_async: bool,
        body: impl FnOnce(&mut Compiler<'st>) -> CResult<()>,
    ) -> CResult<()> {
        // `def f(__debug__)`: CPython's `compiler_check_debug_args`.
        let params = a.posonlyargs.iter().chain(&a.args).chain(a.vararg.as_deref()).chain(&a.kwonlyargs).chain(a.kwarg.as_deref());
        for p in params {
            check_forbidden(&p.arg, loc, true);
        }
        let mut flags = 0;
        if !a.defaults.is_empty() {
            for d in &a.defaults {
                self.expr(d)?;
            }
            self.emit(Opcode::BuildTuple, a.defaults.len() as u32, loc);
            flags |= 1;
        }
        let kwdefaults: Vec<(&Arg, &'st Expr)> =
            a.kwonlyargs.iter().zip(&a.kw_defaults).filter_map(|(p, d)| d.as_ref().map(|d| (p, d))).collect();
        if !kwdefaults.is_empty() {
            for (p, d) in &kwdefaults {
                let m = self.mangled(&p.arg).into_owned();
                self.load_const(str_const(&m), loc);
                self.expr(d)?;
            }
            self.emit(Opcode::BuildMap, kwdefaults.len() as u32, loc);
            flags |= 2;
        }
        if self.function_annotations(a, returns, loc)? {
            flags |= 4;
        }
        let mut c = self.child(child, name, firstlineno);
        c.unit.qualname = self.child_qualname(name).into();
        c.unit.flags = CO_OPTIMIZED | CO_NEWLOCALS | if c.st.scope(child).nested { CO_NESTED } else { 0 };
        // Parameters first, in CPython's order: positional-only, positional,
        // keyword-only, *args, **kwargs.
        c.unit.posonlyargcount = a.posonlyargs.len() as u32;
        c.unit.argcount = (a.posonlyargs.len() + a.args.len()) as u32;
        c.unit.kwonlyargcount = a.kwonlyargs.len() as u32;
        for p in a.posonlyargs.iter().chain(&a.args).chain(&a.kwonlyargs) {
            let m = c.mangled(&p.arg).into_owned();
            c.var_index(&m);
        }
        if let Some(v) = &a.vararg {
            let m = c.mangled(&v.arg).into_owned();
            c.var_index(&m);
            c.unit.flags |= CO_VARARGS;
        }
        if let Some(k) = &a.kwarg {
            let m = c.mangled(&k.arg).into_owned();
            c.var_index(&m);
            c.unit.flags |= CO_VARKEYWORDS;
        }
        let generator = c.st.scope(child).is_generator;
        c.unit.flags |= match (is_async, generator) {
            (true, true) => CO_ASYNC_GENERATOR,
            (true, false) => CO_COROUTINE,
            (false, true) => CO_GENERATOR,
            (false, false) => 0,
        };
        body(&mut c)?;
        let unit = c.finish();
        flags |= self.closure(&unit, loc)?;
        self.load_const(Const::Code(Box::new(unit)), loc);
        self.emit(Opcode::MakeFunction, flags, loc);
        Ok(())
    }

    /// A comprehension (CPython 3.11): a nested function whose one argument
    /// `.0` is the first iterator, evaluated here. `element` emits the
    /// element and names the instruction that adds it.
    fn comprehension(
        &mut self,
        e: &'st Expr,
        name: &str,
        generators: &'st [Comprehension],
        loc: Loc,
        element: impl FnOnce(&mut Compiler<'st>) -> CResult<Opcode>,
    ) -> CResult<()> {
        let Some(child) = self.st.scope_of_expr(e) else {
            return unsupported("a comprehension without a symbol-table scope", loc);
        };
        let generator = name == "<genexpr>";
        let is_async = self.st.scope(child).is_coroutine;
        if is_async && !generator {
            let here = self.st.scope(self.scope);
            if !here.is_async_def && here.comprehension.is_none() {
                return syntax_error("asynchronous comprehension outside of an asynchronous function", loc);
            }
        }
        let mut b = self.child(child, name, loc.lineno);
        b.unit.qualname = self.child_qualname(name).into();
        b.unit.flags = CO_OPTIMIZED | CO_NEWLOCALS | if b.st.scope(child).nested { CO_NESTED } else { 0 };
        b.unit.argcount = 1;
        b.var_index(".0");
        b.unit.flags |= match (generator, is_async) {
            (true, true) => CO_ASYNC_GENERATOR,
            (true, false) => CO_GENERATOR,
            (false, true) => CO_COROUTINE,
            (false, false) => 0,
        };
        if !generator {
            let collection = match name {
                "<dictcomp>" => Opcode::BuildMap,
                "<setcomp>" => Opcode::BuildSet,
                _ => Opcode::BuildList,
            };
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
        let get = if generators[0].is_async { Opcode::GetAIter } else { Opcode::GetIter };
        self.emit(get, 0, generators[0].iter.loc);
        self.emit(Opcode::Call, 1, loc);
        if is_async && !generator {
            self.emit(Opcode::GetAwaitable, 0, loc);
            self.await_loop(loc);
        }
        Ok(())
    }

    /// The `for`/`if` clauses from `gens[i]` on, then the element.
    fn comprehension_loops(
        &mut self,
        gens: &'st [Comprehension],
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
            let get = if g.is_async { Opcode::GetAIter } else { Opcode::GetIter };
            self.emit(get, 0, g.iter.loc);
        }
        let start = self.unit.code.len();
        let depth = self.depth;
        let (fi, async_handler) = if g.is_async {
            let h = self.new_handler(depth);
            self.push_block(BlockKind::Region, Some(h));
            self.emit(Opcode::GetANext, 0, loc);
            self.emit(Opcode::GetAwaitable, 0, loc);
            self.await_loop(loc);
            self.pop_block();
            (None, Some(h))
        } else {
            (Some(self.emit(Opcode::ForIter, 0, loc)), None)
        };
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
            self.patch_to(s, start as u32);
        }
        self.emit(Opcode::Jump, start as u32, loc);
        if let Some(fi) = fi {
            self.patch_here(fi);
            self.depth -= 1;
        }
        if let Some(h) = async_handler {
            self.place_handler(h);
            self.emit(Opcode::EndAsyncFor, 0, loc);
        }
        self.depth = depth - 1;
        Ok(())
    }

    /// The key of a subscript: an expression, or a slice built on the stack.
    fn subscript_key(&mut self, key: &'st Expr) -> CResult<()> {
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

    /// A tuple, list or set display (or positional call arguments) with
    /// `*` unpacking: the items before the first star are built at once,
    /// the rest added one by one (CPython's `starunpack_helper`). `pushed`
    /// items already on the stack come first.
    fn starunpack(&mut self, pushed: usize, elts: &'st [Expr], build: Opcode, loc: Loc) -> CResult<()> {
        let has_star = elts.iter().any(|e| matches!(e.kind, ExprKind::Starred { .. }));
        if !has_star {
            for x in elts {
                self.expr(x)?;
            }
            self.emit(build, (pushed + elts.len()) as u32, loc);
            return Ok(());
        }
        let (start, add, extend) = match build {
            Opcode::BuildSet => (Opcode::BuildSet, Opcode::SetAdd, Opcode::SetUpdate),
            _ => (Opcode::BuildList, Opcode::ListAppend, Opcode::ListExtend),
        };
        let mut built = false;
        for (i, x) in elts.iter().enumerate() {
            if let ExprKind::Starred { value, .. } = &x.kind {
                if !built {
                    self.emit(start, (pushed + i) as u32, loc);
                    built = true;
                }
                self.expr(value)?;
                self.emit(extend, 1, x.loc);
            } else {
                self.expr(x)?;
                if built {
                    self.emit(add, 1, x.loc);
                }
            }
        }
        if build == Opcode::BuildTuple {
            self.emit(Opcode::ListToTuple, 0, loc);
        }
        Ok(())
    }

    /// `BuildMap` of keyword arguments `kws` (all named).
    fn subkwargs(&mut self, kws: &'st [Keyword], loc: Loc) -> CResult<()> {
        for k in kws {
            let name = k.arg.as_deref().unwrap_or_default();
            self.load_const(str_const(name), k.loc);
            self.expr(&k.value)?;
        }
        self.emit(Opcode::BuildMap, kws.len() as u32, loc);
        Ok(())
    }

    fn call(&mut self, call: &'st Call, loc: Loc) -> CResult<()> {
        check_caller(&call.func, loc);
        // CPython's `validate_keywords`.
        for (i, k) in call.keywords.iter().enumerate() {
            let Some(name) = &k.arg else { continue };
            check_forbidden(name, loc, true);
            if call.keywords[i + 1..].iter().any(|o| o.arg.as_deref() == Some(&**name)) {
                let dup = call.keywords[i + 1..].iter().find(|o| o.arg.as_deref() == Some(&**name)).map_or(k.loc, |o| o.loc);
                return syntax_error(format!("keyword argument repeated: {name}"), dup);
            }
        }
        let star = call.args.iter().any(|a| matches!(a.kind, ExprKind::Starred { .. })) || call.keywords.iter().any(|k| k.arg.is_none());
        // `obj.name(args)`: the method is fetched without binding it.
        let method = match &call.func.kind {
            ExprKind::Attribute { value, attr, .. } if !star => {
                self.expr(value)?;
                let i = self.attr_index(attr);
                self.emit(Opcode::LoadMethod, i, attr_loc(call.func.loc, attr));
                true
            }
            _ => {
                self.expr(&call.func)?;
                false
            }
        };
        // A method call spanning lines starts at the method's name.
        let loc = match &call.func.kind {
            ExprKind::Attribute { attr, .. } if call.func.loc.lineno != call.func.loc.end_lineno => {
                let a = attr_loc(call.func.loc, attr);
                Loc { lineno: a.lineno, col_offset: a.col_offset, ..loc }
            }
            _ => loc,
        };
        self.call_helper(method, 0, &call.args, &call.keywords, loc)
    }

    /// Calls the callable below `pushed` positional arguments already on
    /// the stack with `args` and `keywords` after them (CPython's
    /// `compiler_call_helper`); `method` when a `LoadMethod` pushed it.
    fn call_helper(&mut self, method: bool, pushed: usize, args: &'st [Expr], keywords: &'st [Keyword], loc: Loc) -> CResult<()> {
        let star = args.iter().any(|a| matches!(a.kind, ExprKind::Starred { .. })) || keywords.iter().any(|k| k.arg.is_none());
        if !star {
            for a in args {
                self.expr(a)?;
            }
            let mut names = Vec::new();
            for k in keywords {
                self.expr(&k.value)?;
                names.push(str_const(k.arg.as_deref().unwrap_or_default()));
            }
            let n = (pushed + args.len() + names.len()) as u32;
            if names.is_empty() {
                self.emit(if method { Opcode::CallMethod } else { Opcode::Call }, n, loc);
            } else {
                self.load_const(Const::Tuple(names.into_boxed_slice()), loc);
                self.emit(if method { Opcode::CallMethodKw } else { Opcode::CallKw }, n, loc);
            }
            return Ok(());
        }
        match args {
            [Expr { kind: ExprKind::Starred { value, .. }, .. }] if pushed == 0 => self.expr(value)?,
            args => self.starunpack(pushed, args, Opcode::BuildTuple, loc)?,
        }
        if keywords.is_empty() {
            self.emit(Opcode::CallFunctionEx, 0, loc);
            return Ok(());
        }
        let mut have_dict = false;
        let mut start = 0;
        for (i, k) in keywords.iter().enumerate() {
            if k.arg.is_none() {
                if i > start {
                    self.subkwargs(&keywords[start..i], loc)?;
                    if have_dict {
                        self.emit(Opcode::DictMerge, 1, loc);
                    }
                    have_dict = true;
                }
                if !have_dict {
                    self.emit(Opcode::BuildMap, 0, loc);
                    have_dict = true;
                }
                self.expr(&k.value)?;
                self.emit(Opcode::DictMerge, 1, k.loc);
                start = i + 1;
            }
        }
        if start < keywords.len() {
            self.subkwargs(&keywords[start..], loc)?;
            if have_dict {
                self.emit(Opcode::DictMerge, 1, loc);
            }
        }
        self.emit(Opcode::CallFunctionEx, 1, loc);
        Ok(())
    }

    fn dict_display(&mut self, d: &'st Dict, loc: Loc) -> CResult<()> {
        let mut have_dict = false;
        let mut elements = 0;
        let n = d.values.len();
        for i in 0..n {
            match &d.keys[i] {
                None => {
                    if elements > 0 {
                        self.subdict(d, i - elements, i, loc)?;
                        if have_dict {
                            self.emit(Opcode::DictUpdate, 1, loc);
                        }
                        have_dict = true;
                        elements = 0;
                    }
                    if !have_dict {
                        self.emit(Opcode::BuildMap, 0, loc);
                        have_dict = true;
                    }
                    self.expr(&d.values[i])?;
                    self.emit(Opcode::DictUpdate, 1, d.values[i].loc);
                }
                Some(_) => elements += 1,
            }
        }
        if elements > 0 {
            self.subdict(d, n - elements, n, loc)?;
            if have_dict {
                self.emit(Opcode::DictUpdate, 1, loc);
            }
            have_dict = true;
        }
        if !have_dict {
            self.emit(Opcode::BuildMap, 0, loc);
        }
        Ok(())
    }

    fn subdict(&mut self, d: &'st Dict, from: usize, to: usize, loc: Loc) -> CResult<()> {
        for i in from..to {
            if let Some(k) = &d.keys[i] {
                self.expr(k)?;
            }
            self.expr(&d.values[i])?;
        }
        self.emit(Opcode::BuildMap, (to - from) as u32, loc);
        Ok(())
    }

    fn expr(&mut self, e: &'st Expr) -> CResult<()> {
        let loc = e.loc;
        match &e.kind {
            ExprKind::Constant { value, .. } => {
                let c = constant(value);
                self.load_const(c, loc);
            }
            ExprKind::Name { id, .. } => self.load_name(id, loc)?,
            ExprKind::NamedExpr { target, value } => {
                self.expr(value)?;
                self.emit(Opcode::Copy, 1, loc);
                self.store_target(target)?;
            }
            ExprKind::Attribute { value, attr, .. } => {
                self.expr(value)?;
                let i = self.attr_index(attr);
                self.emit(Opcode::LoadAttr, i, attr_loc(loc, attr));
            }
            ExprKind::Subscript { value, slice, .. } => {
                check_subscript(value, slice, loc);
                self.expr(value)?;
                self.subscript_key(slice)?;
                self.emit(Opcode::BinarySubscr, 0, loc);
            }
            ExprKind::Yield { value } => {
                if !self.is_function() {
                    return syntax_error("'yield' outside function", loc);
                }
                match value {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Const::None, loc),
                }
                self.emit(Opcode::YieldValue, 0, loc);
            }
            ExprKind::YieldFrom { value } => {
                if !self.is_function() {
                    return syntax_error("'yield' outside function", loc);
                }
                if self.st.scope(self.scope).is_coroutine {
                    return syntax_error("'yield from' inside async function", loc);
                }
                self.expr(value)?;
                self.emit(Opcode::GetYieldFromIter, 0, loc);
                self.await_loop(loc);
            }
            ExprKind::Await { value } => {
                if !self.is_function() {
                    return syntax_error("'await' outside function", loc);
                }
                // Comprehensions may await (they become asynchronous and
                // are checked where they are built); other functions and
                // lambdas must be `async def`.
                let here = self.st.scope(self.scope);
                if !here.is_async_def && here.comprehension.is_none() {
                    return syntax_error("'await' outside async function", loc);
                }
                self.expr(value)?;
                self.emit(Opcode::GetAwaitable, 0, loc);
                self.await_loop(loc);
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
            ExprKind::SetComp(c) => self.comprehension(e, "<setcomp>", &c.generators, loc, |b| {
                b.expr(&c.elt)?;
                Ok(Opcode::SetAdd)
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
                self.make_function(child, "<lambda>", args, None, (loc, loc.lineno), false, |c| {
                    // None first, so a lambda has no docstring (CPython's
                    // `compiler_lambda`).
                    c.unit.consts.push(Const::None);
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
                // CPython's AST optimizer folds `-1`, `+2.5`, `~3`, `-1j`.
                if let ExprKind::Constant { value, .. } = &operand.kind {
                    if let Some(folded) = fold_unary(*op, value) {
                        self.load_const(folded, loc);
                        return Ok(());
                    }
                }
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
                check_compare(c, loc);
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
            ExprKind::Call(call) => self.call(call, loc)?,
            ExprKind::Tuple { elts, .. } => match fold_tuple(elts) {
                // CPython's AST optimizer makes a tuple of constants one
                // constant.
                Some(c) => self.load_const(c, loc),
                None => self.starunpack(0, elts, Opcode::BuildTuple, loc)?,
            },
            ExprKind::List { elts, .. } => self.starunpack(0, elts, Opcode::BuildList, loc)?,
            ExprKind::Set { elts } => self.starunpack(0, elts, Opcode::BuildSet, loc)?,
            ExprKind::Dict(d) => self.dict_display(d, loc)?,
            ExprKind::Starred { .. } => return syntax_error("can't use starred expression here", loc),
            // Only reachable inside a subscript's tuple key (`x[1:2, 3]`).
            ExprKind::Slice { .. } => self.subscript_key(e)?,
        }
        Ok(())
    }

    // ----- match (PEP 634) -----

    /// `match`: each case's pattern is described by a constant that the
    /// `MatchPattern` instruction interprets, with the values it needs
    /// (value patterns, mapping keys, classes) evaluated before it. The
    /// subject stays on the stack until a case is chosen; a matching
    /// pattern yields the tuple of its captures, stored before the guard.
    fn match_stmt(&mut self, subject: &'st Expr, cases: &'st [MatchCase]) -> CResult<()> {
        self.expr(subject)?;
        let depth = self.depth;
        let mut ends = Vec::new();
        for (i, case) in cases.iter().enumerate() {
            let last = i + 1 == cases.len();
            let allow_irrefutable = case.guard.is_some() || last;
            let mut names: Vec<String> = Vec::new();
            let mut values: Vec<&'st Expr> = Vec::new();
            let desc = self.pattern(&case.pattern, allow_irrefutable, &mut names, &mut values)?;
            let wildcard = matches!(case.pattern.kind, PatternKind::MatchAs { pattern: None, name: None });
            let mut fail_result = None;
            if wildcard {
                // The case's line is still reported to tracers.
                self.emit(Opcode::Nop, 0, case.pattern.loc);
            } else {
                for v in &values {
                    self.expr(v)?;
                }
                self.emit(Opcode::BuildTuple, values.len() as u32, case.pattern.loc);
                let names_const = Const::Tuple(names.iter().map(|n| str_const(n)).collect());
                let i = self.const_index(Const::Tuple(Box::new([names_const, desc])));
                self.emit(Opcode::MatchPattern, i, case.pattern.loc);
                self.emit(Opcode::Copy, 1, case.pattern.loc);
                self.load_const(Const::None, case.pattern.loc);
                self.emit(Opcode::IsOp, 0, case.pattern.loc);
                fail_result = Some(self.emit(Opcode::PopJumpIfTrue, 0, case.pattern.loc));
                if names.is_empty() {
                    self.emit(Opcode::PopTop, 0, case.pattern.loc);
                } else {
                    self.emit(Opcode::UnpackSequence, names.len() as u32, case.pattern.loc);
                    for n in &names {
                        self.store_name(n, case.pattern.loc);
                    }
                }
            }
            let mut fail_guard = None;
            if let Some(g) = &case.guard {
                self.expr(g)?;
                fail_guard = Some(self.emit(Opcode::PopJumpIfFalse, 0, g.loc));
            }
            // The bookkeeping between cases has no line of its own (a
            // tracer sees the case lines and the body's, as in CPython).
            self.emit(Opcode::PopTop, 0, ARTIFICIAL);
            self.stmts(&case.body)?;
            ends.push(self.emit(Opcode::Jump, 0, ARTIFICIAL));
            self.depth = depth;
            if let Some(j) = fail_result {
                self.depth = depth + 1;
                self.patch_here(j);
                self.emit(Opcode::PopTop, 0, ARTIFICIAL);
            }
            if let Some(j) = fail_guard {
                self.patch_here(j);
            }
        }
        self.emit(Opcode::PopTop, 0, ARTIFICIAL);
        for j in ends {
            self.patch_here(j);
        }
        Ok(())
    }

    fn capture(&self, name: &str, names: &mut Vec<String>, loc: Loc) -> CResult<Const> {
        if names.iter().any(|n| n == name) {
            return syntax_error(format!("multiple assignments to name '{name}' in pattern"), loc);
        }
        names.push(name.to_string());
        Ok(str_const(name))
    }

    /// The description of pattern `p` (see `vm::patterns`), recording the
    /// names it captures and the expressions it needs.
    fn pattern(&self, p: &'st Pattern, allow_irrefutable: bool, names: &mut Vec<String>, values: &mut Vec<&'st Expr>) -> CResult<Const> {
        let tag = |t: &str, rest: Vec<Const>| -> Const {
            let mut v = vec![str_const(t)];
            v.extend(rest);
            Const::Tuple(v.into_boxed_slice())
        };
        let int = |i: i64| Const::Int(IntValue::Small(i));
        let loc = p.loc;
        Ok(match &p.kind {
            PatternKind::MatchValue { value } => {
                // CPython's MATCH_VALUE_EXPR, after its AST optimizer
                // folded signed and complex literals.
                let literal = matches!(
                    &value.kind,
                    ExprKind::Constant { .. } | ExprKind::Attribute { .. } | ExprKind::UnaryOp { .. } | ExprKind::BinOp { .. }
                );
                if !literal {
                    return syntax_error("patterns may only match literals and attribute lookups", value.loc);
                }
                values.push(value);
                tag("v", vec![int(values.len() as i64 - 1)])
            }
            PatternKind::MatchSingleton { value } => tag("s", vec![constant(value)]),
            PatternKind::MatchSequence { patterns } => {
                let stars: Vec<usize> =
                    patterns.iter().enumerate().filter(|(_, q)| matches!(q.kind, PatternKind::MatchStar { .. })).map(|(i, _)| i).collect();
                if stars.len() > 1 {
                    return syntax_error("multiple starred names in sequence pattern", loc);
                }
                let mut subs = Vec::new();
                for q in patterns {
                    subs.push(self.pattern(q, true, names, values)?);
                }
                let star = stars.first().map_or(-1, |&i| i as i64);
                tag("q", vec![Const::Tuple(subs.into_boxed_slice()), int(star)])
            }
            PatternKind::MatchMapping { keys, patterns, rest } => {
                let mut seen: Vec<Constant> = Vec::new();
                let mut idx = Vec::new();
                for k in keys {
                    match &k.kind {
                        ExprKind::Attribute { .. } => {}
                        ExprKind::Constant { .. } | ExprKind::UnaryOp { .. } | ExprKind::BinOp { .. } => {
                            // Keys are compared as CPython's set of folded
                            // constants does: `0`, `False`, `0.0`, `-0`
                            // and `0j` are the same key.
                            if let Some(c) = fold_pattern_literal(k) {
                                if seen.iter().any(|s| same_key(s, &c)) {
                                    let r = taipan_parser::repr::repr_constant(&c);
                                    return syntax_error(format!("mapping pattern checks duplicate key ({r})"), loc);
                                }
                                seen.push(c);
                            }
                        }
                        _ => return syntax_error("mapping pattern keys may only match literals and attribute lookups", loc),
                    }
                    values.push(k);
                    idx.push(int(values.len() as i64 - 1));
                }
                let mut subs = Vec::new();
                for q in patterns {
                    subs.push(self.pattern(q, true, names, values)?);
                }
                let rest = match rest {
                    Some(r) => self.capture(r, names, loc)?,
                    None => Const::None,
                };
                tag("m", vec![Const::Tuple(idx.into_boxed_slice()), Const::Tuple(subs.into_boxed_slice()), rest])
            }
            PatternKind::MatchClass { cls, patterns, kwd_attrs, kwd_patterns } => {
                for (i, a) in kwd_attrs.iter().enumerate() {
                    if kwd_attrs[..i].contains(a) {
                        return syntax_error(format!("attribute name repeated in class pattern: {a}"), kwd_patterns[i].loc);
                    }
                }
                values.push(cls);
                let ci = int(values.len() as i64 - 1);
                let mut subs = Vec::new();
                for q in patterns {
                    subs.push(self.pattern(q, true, names, values)?);
                }
                let mut kw = Vec::new();
                for q in kwd_patterns {
                    kw.push(self.pattern(q, true, names, values)?);
                }
                let attrs: Vec<Const> = kwd_attrs.iter().map(|a| str_const(a)).collect();
                tag(
                    "c",
                    vec![
                        ci,
                        Const::Tuple(subs.into_boxed_slice()),
                        Const::Tuple(attrs.into_boxed_slice()),
                        Const::Tuple(kw.into_boxed_slice()),
                    ],
                )
            }
            PatternKind::MatchStar { name } => {
                let n = match name {
                    Some(n) => self.capture(n, names, loc)?,
                    None => Const::None,
                };
                tag("*", vec![n])
            }
            PatternKind::MatchAs { pattern, name } => {
                let sub = match pattern {
                    Some(q) => self.pattern(q, allow_irrefutable, names, values)?,
                    None => {
                        if !allow_irrefutable {
                            return match name {
                                Some(n) => syntax_error(format!("name capture '{n}' makes remaining patterns unreachable"), loc),
                                None => syntax_error("wildcard makes remaining patterns unreachable", loc),
                            };
                        }
                        Const::None
                    }
                };
                let n = match name {
                    Some(n) => self.capture(n, names, loc)?,
                    None => Const::None,
                };
                tag("a", vec![sub, n])
            }
            PatternKind::MatchOr { patterns } => {
                let base = names.clone();
                let mut alts = Vec::new();
                let mut first: Option<Vec<String>> = None;
                for (i, q) in patterns.iter().enumerate() {
                    let allow = i + 1 == patterns.len() && allow_irrefutable;
                    let mut alt_names = base.clone();
                    alts.push(self.pattern(q, allow, &mut alt_names, values)?);
                    let mut bound: Vec<String> = alt_names[base.len()..].to_vec();
                    match &first {
                        None => {
                            names.extend(bound.iter().cloned());
                            bound.sort();
                            first = Some(bound);
                        }
                        Some(f) => {
                            bound.sort();
                            if &bound != f {
                                return syntax_error("alternative patterns bind different names", q.loc);
                            }
                        }
                    }
                }
                tag("|", vec![Const::Tuple(alts.into_boxed_slice())])
            }
        })
    }
}

/// A constant of the tree as a code-unit constant.
fn constant(value: &Constant) -> Const {
    match value {
        Constant::None => Const::None,
        Constant::Bool(b) => Const::Bool(*b),
        Constant::Ellipsis => Const::Ellipsis,
        Constant::Int(i) => Const::Int(i.clone()),
        Constant::Float(f) => Const::Float(*f),
        Constant::Complex { real, imag } => Const::Complex { real: *real, imag: *imag },
        Constant::Str(s) => Const::Str((**s).clone()),
        Constant::Bytes(b) => Const::Bytes(b.clone()),
        Constant::Tuple(items) => Const::Tuple(items.iter().map(constant).collect()),
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

/// A unary operator applied to a numeric literal at compile time (None
/// where the result would need a big int or the operand is no number).
fn fold_unary(op: UnaryOp, c: &Constant) -> Option<Const> {
    use taipan_parser::ast::IntValue;
    Some(match (op, c) {
        (UnaryOp::USub, Constant::Int(IntValue::Small(v))) => Const::Int(IntValue::Small(v.checked_neg()?)),
        (UnaryOp::UAdd, Constant::Int(IntValue::Small(v))) => Const::Int(IntValue::Small(*v)),
        (UnaryOp::Invert, Constant::Int(IntValue::Small(v))) => Const::Int(IntValue::Small(!*v)),
        (UnaryOp::USub, Constant::Float(f)) => Const::Float(-*f),
        (UnaryOp::UAdd, Constant::Float(f)) => Const::Float(*f),
        (UnaryOp::USub, Constant::Complex { real, imag }) => Const::Complex { real: -*real, imag: -*imag },
        (UnaryOp::UAdd, Constant::Complex { real, imag }) => Const::Complex { real: *real, imag: *imag },
        _ => return None,
    })
}

/// A literal of a pattern (`1`, `-1.5`, `1+2j`, `'s'`) folded to its
/// value, as CPython's AST optimizer does before the compiler sees it;
/// None for anything else (or a big int it would have to negate).
fn fold_pattern_literal(e: &Expr) -> Option<Constant> {
    use taipan_parser::ast::IntValue;
    let real = |e: &Expr| -> Option<f64> {
        match fold_pattern_literal(e)? {
            Constant::Int(IntValue::Small(i)) => Some(i as f64),
            Constant::Float(f) => Some(f),
            _ => None,
        }
    };
    match &e.kind {
        ExprKind::Constant { value, .. } => Some(value.clone()),
        ExprKind::UnaryOp { op: UnaryOp::USub, operand } => match fold_pattern_literal(operand)? {
            Constant::Int(IntValue::Small(i)) => Some(Constant::Int(IntValue::Small(i.checked_neg()?))),
            Constant::Float(f) => Some(Constant::Float(-f)),
            Constant::Complex { real, imag } => Some(Constant::Complex { real: -real, imag: -imag }),
            _ => None,
        },
        ExprKind::BinOp { left, op: op @ (Operator::Add | Operator::Sub), right } => {
            let re = real(left)?;
            let Constant::Complex { imag, .. } = fold_pattern_literal(right)? else { return None };
            let imag = if *op == Operator::Sub { -imag } else { imag };
            Some(Constant::Complex { real: re, imag })
        }
        _ => None,
    }
}

/// Whether two folded literals are equal as dict keys (numbers by value
/// across bool, int, float and complex; str and bytes never equal).
fn same_key(a: &Constant, b: &Constant) -> bool {
    use taipan_parser::ast::IntValue;
    enum Real<'a> {
        Small(i64),
        Big(&'a str),
        Float(f64),
    }
    fn number(c: &Constant) -> Option<(Real<'_>, f64)> {
        Some(match c {
            Constant::Bool(b) => (Real::Small(*b as i64), 0.0),
            Constant::Int(IntValue::Small(i)) => (Real::Small(*i), 0.0),
            Constant::Int(IntValue::Big(d)) => (Real::Big(d), 0.0),
            Constant::Float(f) => (Real::Float(*f), 0.0),
            Constant::Complex { real, imag } => (Real::Float(*real), *imag),
            _ => return None,
        })
    }
    fn int_eq_float(i: i64, f: f64) -> bool {
        f.fract() == 0.0 && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) && f as i64 == i
    }
    if let (Some((ra, ia)), Some((rb, ib))) = (number(a), number(b)) {
        return ia == ib
            && match (ra, rb) {
                (Real::Small(x), Real::Small(y)) => x == y,
                (Real::Big(x), Real::Big(y)) => x == y,
                (Real::Float(x), Real::Float(y)) => x == y,
                (Real::Small(i), Real::Float(f)) | (Real::Float(f), Real::Small(i)) => int_eq_float(i, f),
                (Real::Big(d), Real::Float(f)) | (Real::Float(f), Real::Big(d)) => {
                    f.is_finite() && f.fract() == 0.0 && format!("{f:.0}") == d
                }
                _ => false,
            };
    }
    match (a, b) {
        (Constant::None, Constant::None) | (Constant::Ellipsis, Constant::Ellipsis) => true,
        (Constant::Str(x), Constant::Str(y)) => x == y,
        (Constant::Bytes(x), Constant::Bytes(y)) => x == y,
        _ => false,
    }
}

/// A tuple display whose items are all constants (after folding), as one
/// constant.
fn fold_tuple(elts: &[Expr]) -> Option<Const> {
    let items = elts
        .iter()
        .map(|e| match &e.kind {
            ExprKind::Constant { value, .. } => Some(constant(value)),
            ExprKind::UnaryOp { op, operand } => match &operand.kind {
                ExprKind::Constant { value, .. } => fold_unary(*op, value),
                _ => None,
            },
            ExprKind::Tuple { elts, .. } => fold_tuple(elts),
            _ => None,
        })
        .collect::<Option<Vec<Const>>>()?;
    Some(Const::Tuple(items.into_boxed_slice()))
}

/// Constants are shared by value, but `1`, `1.0` and `True` stay apart.
fn same_const(a: &Const, b: &Const) -> bool {
    match (a, b) {
        (Const::Float(x), Const::Float(y)) => x.to_bits() == y.to_bits(),
        (Const::Complex { real: a, imag: b }, Const::Complex { real: c, imag: d }) => {
            a.to_bits() == c.to_bits() && b.to_bits() == d.to_bits()
        }
        (Const::Tuple(x), Const::Tuple(y)) => x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| same_const(p, q)),
        (Const::Code(_), _) | (_, Const::Code(_)) => false,
        (Const::Int(_), Const::Bool(_)) | (Const::Bool(_), Const::Int(_)) => false,
        _ => a == b,
    }
}

/// Net change of the value-stack depth for one instruction on its
/// fall-through path (the compiler's depth accounting; the vm's analysis
/// of `f_lineno` jumps uses it too).
pub fn stack_effect(op: Opcode, arg: u32) -> i32 {
    let n = arg as i32;
    match op {
        Opcode::Nop | Opcode::Jump | Opcode::UnaryOp | Opcode::GetIter | Opcode::DeleteFast | Opcode::DeleteGlobal | Opcode::DeleteName => {
            0
        }
        Opcode::PopTop | Opcode::PrintExpr | Opcode::StoreFast | Opcode::StoreGlobal | Opcode::StoreName | Opcode::StoreDeref => -1,
        Opcode::PopJumpIfFalse | Opcode::PopJumpIfTrue | Opcode::ReturnValue => -1,
        // Measured on the fall-through path, where the value is popped.
        Opcode::JumpIfFalseOrPop | Opcode::JumpIfTrueOrPop => -1,
        Opcode::LoadConst | Opcode::LoadFast | Opcode::LoadGlobal | Opcode::LoadName | Opcode::LoadDeref | Opcode::LoadClassDeref => 1,
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
        Opcode::LoadMethod => 1,
        Opcode::CallMethod => -n - 1,
        Opcode::CallMethodKw => -n - 2,
        Opcode::CallFunctionEx => -1 - (n & 1),
        Opcode::MakeFunction => -(n & 1) - ((n >> 1) & 1) - ((n >> 2) & 1) - ((n >> 3) & 1),
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
        Opcode::UnpackEx => (n & 0xFF) + (n >> 8),
        Opcode::ListAppend | Opcode::SetAdd | Opcode::ListExtend | Opcode::SetUpdate | Opcode::DictUpdate | Opcode::DictMerge => -1,
        Opcode::ListToTuple => 0,
        // Pops the value, and resumption pushes the sent one.
        Opcode::YieldValue => 0,
        Opcode::FormatValue => -((n >> 2) & 1),
        Opcode::BuildString => 1 - n,
        Opcode::MapAdd => -2,
        Opcode::BuildSlice => 1 - n,
        Opcode::Swap => 0,
        Opcode::LoadAssertionError => 1,
        Opcode::SetupAnnotations => 0,
        Opcode::BeforeWith | Opcode::BeforeAsyncWith => 1,
        Opcode::WithExceptStart => 1,
        // Measured on the path that yields (the value replaces the sent one).
        Opcode::Send => 0,
        Opcode::GetYieldFromIter | Opcode::GetAwaitable | Opcode::GetAIter => 0,
        Opcode::GetANext => 1,
        Opcode::EndAsyncFor => -2,
        Opcode::MatchPattern => 0,
        Opcode::CheckEgMatch => 0,
        Opcode::PrepReraiseStar => -1,
    }
}
