//! The symbol-table pass: which names each scope binds, uses, declares, and
//! where each name resolves (local, cell, free, global), with CPython 3.11's
//! exact rules and the `SyntaxError`s CPython's `Python/symtable.c` (and
//! `Python/future.c`, which runs first) raise.
//!
//! [`build`] makes two passes, like CPython:
//!
//! 1. [`builder`] walks the tree, creating one [`Scope`] per module, function
//!    (`def`, `async def`, `lambda`), class and comprehension (`listcomp`,
//!    `setcomp`, `dictcomp`, `genexpr`), and records raw flags per symbol
//!    (`DEF_LOCAL`, `USE`, ...). Names are mangled (`__x` in class `C` is
//!    `_C__x`) as they are recorded. Errors about declarations, walrus targets
//!    in comprehensions, `yield` in comprehensions, `import *`, duplicate
//!    parameters are raised here.
//! 2. [`analyze`] resolves each symbol's [`SymScope`] (LOCAL, CELL, FREE,
//!    GLOBAL_EXPLICIT, GLOBAL_IMPLICIT), propagates free variables up through
//!    enclosing scopes (marking `DEF_FREE_CLASS` in classes) and raises the
//!    `nonlocal` errors.
//!
//! # Finding the scope of a node
//!
//! Like CPython (whose symtable entries are keyed by the AST node's address),
//! [`SymbolTable::scope_of_stmt`] and [`SymbolTable::scope_of_expr`] look a
//! scope up by the *address* of the `FunctionDef`/`AsyncFunctionDef`/`ClassDef`
//! statement or the `Lambda`/`ListComp`/`SetComp`/`DictComp`/`GeneratorExp`
//! expression that opened it. This is valid as long as the tree given to
//! [`build`] is neither moved nor mutated before the lookups (keep the `Mod`
//! borrowed or boxed in place). [`Scope::children`] lists the child scopes in
//! the order CPython creates them, as an alternative.
//!
//! Annotation scopes (created only under `from __future__ import
//! annotations`, as CPython does) are in the arena but are nobody's child and
//! are not registered for node lookup: code generation never needs them.

mod analyze;
mod builder;
mod future;

use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use taipan_parser::ast;

pub use future::FutureFeatures;

/// Raw symbol flags, CPython's values (`Include/internal/pycore_symtable.h`).
pub mod flags {
    /// Global statement (or a walrus target in a comprehension at module level).
    pub const DEF_GLOBAL: u32 = 1;
    /// Assignment in code block.
    pub const DEF_LOCAL: u32 = 2;
    /// Formal parameter.
    pub const DEF_PARAM: u32 = 4;
    /// Nonlocal statement (or a walrus target in a comprehension in a function).
    pub const DEF_NONLOCAL: u32 = 8;
    /// Name is used.
    pub const USE: u32 = 16;
    /// Name used but not defined in nested block (never set by CPython 3.11).
    pub const DEF_FREE: u32 = 32;
    /// Free variable from class's method.
    pub const DEF_FREE_CLASS: u32 = 64;
    /// Assignment occurred via import.
    pub const DEF_IMPORT: u32 = 128;
    /// This name is annotated.
    pub const DEF_ANNOT: u32 = 256;
    /// This name is a comprehension iteration variable.
    pub const DEF_COMP_ITER: u32 = 512;
    /// Any binding.
    pub const DEF_BOUND: u32 = DEF_LOCAL | DEF_PARAM | DEF_IMPORT;
}

/// Index of a scope in [`SymbolTable::scopes`]. The module is always 0.
pub type ScopeId = usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    /// `def`, `async def`, `lambda` and comprehensions.
    Function,
    Class,
    /// Only under `from __future__ import annotations`; never a child.
    Annotation,
}

impl ScopeKind {
    /// `symtable.SymbolTable.get_type()`.
    pub fn type_name(self) -> &'static str {
        match self {
            ScopeKind::Module => "module",
            ScopeKind::Function => "function",
            ScopeKind::Class => "class",
            ScopeKind::Annotation => "annotation",
        }
    }
}

/// Which comprehension a function scope implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompKind {
    List,
    Set,
    Dict,
    Generator,
}

/// The resolved scope of a symbol (CPython's values; `None` before analysis).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymScope {
    None = 0,
    Local = 1,
    GlobalExplicit = 2,
    GlobalImplicit = 3,
    Free = 4,
    Cell = 5,
}

#[derive(Clone, Debug)]
pub struct Symbol {
    /// The (mangled) name.
    pub name: Rc<str>,
    /// Raw flags, see [`flags`].
    pub flags: u32,
    pub scope: SymScope,
}

impl Symbol {
    pub fn has(&self, flag: u32) -> bool {
        self.flags & flag != 0
    }
}

#[derive(Clone, Debug)]
pub struct Scope {
    pub kind: ScopeKind,
    /// `top` for the module, the function or class name, or `lambda`,
    /// `listcomp`, `setcomp`, `dictcomp`, `genexpr`.
    pub name: Rc<str>,
    /// Location of the node that opened the scope (all 0 for the module).
    pub loc: ast::Loc,
    pub parent: Option<ScopeId>,
    /// Symbols in CPython's insertion order (the order of first mention,
    /// then free variables propagated from children).
    pub symbols: Vec<Symbol>,
    index: HashMap<Rc<str>, usize>,
    /// Child scopes in creation order.
    pub children: Vec<ScopeId>,
    /// Parameters in order: positional-only, positional, keyword-only, then
    /// `*args`, `**kwargs` (comprehensions: `.0`).
    pub varnames: Vec<Rc<str>>,
    /// `Some` for comprehension scopes.
    pub comprehension: Option<CompKind>,
    /// Nested in a function (directly or not).
    pub nested: bool,
    pub is_generator: bool,
    pub is_coroutine: bool,
    /// An `async def` (`is_coroutine` is also set by an `await` anywhere,
    /// as in CPython's symtable; the compiler's checks need this).
    pub is_async_def: bool,
    pub has_varargs: bool,
    pub has_varkeywords: bool,
    /// The scope has free variables (or implicit globals while nested).
    pub has_free: bool,
    /// Some child scope has free variables.
    pub child_free: bool,
    /// A class whose methods use `__class__` or `super`: needs the `__class__` cell.
    pub needs_class_closure: bool,
    /// `global`/`nonlocal` declarations (and implicit ones from walrus
    /// targets in comprehensions): mangled name and statement location.
    pub directives: Vec<(Rc<str>, ast::Loc)>,
    // Builder state.
    pub(crate) comp_iter_target: bool,
    pub(crate) comp_iter_expr: u32,
}

impl Scope {
    fn new(kind: ScopeKind, name: Rc<str>, loc: ast::Loc, parent: Option<ScopeId>) -> Scope {
        Scope {
            kind,
            name,
            loc,
            parent,
            symbols: Vec::new(),
            index: HashMap::new(),
            children: Vec::new(),
            varnames: Vec::new(),
            comprehension: None,
            nested: false,
            is_generator: false,
            is_coroutine: false,
            is_async_def: false,
            has_varargs: false,
            has_varkeywords: false,
            has_free: false,
            child_free: false,
            needs_class_closure: false,
            directives: Vec::new(),
            comp_iter_target: false,
            comp_iter_expr: 0,
        }
    }

    pub fn lineno(&self) -> u32 {
        self.loc.lineno
    }

    /// The symbol for a (mangled) name.
    pub fn lookup(&self, name: &str) -> Option<&Symbol> {
        self.index.get(name).map(|&i| &self.symbols[i])
    }

    /// Raw flags of a name, 0 if absent (CPython's `_PyST_GetSymbol`).
    pub fn flags_of(&self, name: &str) -> u32 {
        self.lookup(name).map_or(0, |s| s.flags)
    }

    /// Resolved scope of a name (`SymScope::None` if absent).
    pub fn scope_of(&self, name: &str) -> SymScope {
        self.lookup(name).map_or(SymScope::None, |s| s.scope)
    }

    pub(crate) fn symbol_mut(&mut self, name: &str) -> Option<&mut Symbol> {
        match self.index.get(name) {
            Some(&i) => Some(&mut self.symbols[i]),
            None => None,
        }
    }

    pub(crate) fn insert(&mut self, name: Rc<str>, flags: u32, scope: SymScope) {
        self.index.insert(name.clone(), self.symbols.len());
        self.symbols.push(Symbol { name, flags, scope });
    }
}

/// A `SyntaxError` raised by the symbol-table pass (or by the
/// `from __future__` check), located as CPython locates it: 1-based line,
/// `offset` = UTF-8 byte column + 1 (CPython's symtable does not convert to
/// characters), `end_*` likewise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SymtableError {
    pub kind: SymtableErrorKind,
    pub msg: String,
    pub lineno: u32,
    pub offset: i64,
    pub end_lineno: u32,
    pub end_offset: i64,
}

/// The Python exception class of a [`SymtableError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymtableErrorKind {
    SyntaxError,
    /// `maximum recursion depth exceeded during compilation` (no location:
    /// its `lineno`/`offset` fields are 0).
    RecursionError,
}

impl SymtableError {
    pub(crate) fn recursion() -> SymtableError {
        SymtableError {
            kind: SymtableErrorKind::RecursionError,
            msg: "maximum recursion depth exceeded during compilation".into(),
            lineno: 0,
            offset: 0,
            end_lineno: 0,
            end_offset: 0,
        }
    }

    pub(crate) fn at(msg: String, loc: ast::Loc) -> SymtableError {
        SymtableError {
            kind: SymtableErrorKind::SyntaxError,
            msg,
            lineno: loc.lineno,
            offset: loc.col_offset as i64 + 1,
            end_lineno: loc.end_lineno,
            end_offset: loc.end_col_offset as i64 + 1,
        }
    }
}

impl fmt::Display for SymtableError {
    /// `SyntaxError: msg (lineno, offset)` or `RecursionError: msg`, the dump format.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            SymtableErrorKind::SyntaxError => write!(f, "SyntaxError: {} ({}, {})", self.msg, self.lineno, self.offset),
            SymtableErrorKind::RecursionError => write!(f, "RecursionError: {}", self.msg),
        }
    }
}

impl std::error::Error for SymtableError {}

/// The result of the pass: an arena of scopes, the module first.
#[derive(Debug)]
pub struct SymbolTable {
    pub scopes: Vec<Scope>,
    pub future: FutureFeatures,
    pub filename: String,
    by_node: HashMap<usize, ScopeId>,
}

impl SymbolTable {
    /// The module scope.
    pub fn root(&self) -> ScopeId {
        0
    }

    pub fn scope(&self, id: ScopeId) -> &Scope {
        &self.scopes[id]
    }

    /// The scope opened by a `FunctionDef`, `AsyncFunctionDef` or `ClassDef`
    /// statement of the tree given to [`build`] (looked up by address).
    pub fn scope_of_stmt(&self, stmt: &ast::Stmt) -> Option<ScopeId> {
        self.by_node.get(&(stmt as *const ast::Stmt as usize)).copied()
    }

    /// The scope opened by a `Lambda` or comprehension expression of the
    /// tree given to [`build`] (looked up by address).
    pub fn scope_of_expr(&self, expr: &ast::Expr) -> Option<ScopeId> {
        self.by_node.get(&(expr as *const ast::Expr as usize)).copied()
    }

    /// The dump `tools/cpython_symtable_dump.py` prints for a file that
    /// CPython accepts (without the `== FILE` header).
    pub fn dump(&self) -> String {
        let mut out = String::new();
        self.dump_scope(0, 0, &mut out);
        out.pop();
        out
    }

    fn dump_scope(&self, id: ScopeId, depth: usize, out: &mut String) {
        use flags::*;
        use std::fmt::Write;
        let sc = &self.scopes[id];
        let ind = "  ".repeat(depth);
        let _ = writeln!(out, "{ind}{} {} lineno={}", sc.kind.type_name(), sc.name, sc.lineno());
        let module_scope = &*sc.name == "top";
        let mut syms: Vec<&Symbol> = sc.symbols.iter().collect();
        syms.sort_by(|a, b| a.name.cmp(&b.name));
        for s in syms {
            let f = s.flags;
            let scope = s.scope;
            let bound_at_module = module_scope && f & DEF_BOUND != 0;
            let namespace = sc.children.iter().any(|&c| self.scopes[c].name == s.name);
            let preds = [
                ('r', f & USE != 0),
                ('i', f & DEF_IMPORT != 0),
                ('p', f & DEF_PARAM != 0),
                ('g', matches!(scope, SymScope::GlobalImplicit | SymScope::GlobalExplicit) || bound_at_module),
                ('G', scope == SymScope::GlobalExplicit),
                ('l', matches!(scope, SymScope::Local | SymScope::Cell) || bound_at_module),
                ('a', f & DEF_ANNOT != 0),
                ('f', scope == SymScope::Free),
                ('s', f & DEF_LOCAL != 0),
                ('n', namespace),
                ('N', f & DEF_NONLOCAL != 0),
            ];
            let letters: String = preds.iter().filter(|p| p.1).map(|p| p.0).collect();
            let _ = writeln!(out, "{ind}  {}:{}:{}:{}", s.name, letters, f, scope as u32);
        }
        for &c in &sc.children {
            self.dump_scope(c, depth + 1, out);
        }
    }
}

/// How deeply statements and expressions may nest before [`build`] raises
/// `RecursionError` (CPython: 3 × (recursion limit − current Python call
/// depth); 2988 is what `symtable.symtable` gets with the default limit of
/// 1000 when called 4 frames deep, as in `tools/cpython_symtable_dump.py`).
pub const DEFAULT_MAX_DEPTH: u32 = 2988;

/// Builds the symbol table of a module, or returns the `SyntaxError` that
/// `symtable.symtable(src, filename, 'exec')` raises for a tree the parser
/// accepted.
pub fn build(module: &ast::Mod, filename: &str) -> Result<SymbolTable, SymtableError> {
    build_with_max_depth(module, filename, DEFAULT_MAX_DEPTH)
}

/// [`build`] with an explicit nesting limit (see [`DEFAULT_MAX_DEPTH`]).
pub fn build_with_max_depth(module: &ast::Mod, filename: &str, max_depth: u32) -> Result<SymbolTable, SymtableError> {
    let future = future::parse_future(module)?;
    let mut st = builder::Builder::run(module, future, max_depth)?;
    st.filename = filename.to_string();
    analyze::analyze(&mut st)?;
    Ok(st)
}

/// What `symtable_dump` prints for one file (without the header): the dump,
/// or the parser's or the symbol table's `SyntaxError`.
pub fn dump_or_error(source: &[u8], filename: &str) -> String {
    match taipan_parser::parse_module(source) {
        Err(e) => e.to_string(),
        Ok(m) => match build(&m, filename) {
            Ok(st) => st.dump(),
            Err(e) => e.to_string(),
        },
    }
}

/// CPython's `_Py_Mangle`: `__name` inside class `Cls` is `_Cls__name`,
/// unless the name ends with `__`, contains a dot, or the class name is all
/// underscores.
pub fn mangle<'a>(private: Option<&str>, name: &'a str) -> std::borrow::Cow<'a, str> {
    use std::borrow::Cow;
    let Some(private) = private else {
        return Cow::Borrowed(name);
    };
    if !name.starts_with("__") || name.ends_with("__") || name.contains('.') {
        return Cow::Borrowed(name);
    }
    let stripped = private.trim_start_matches('_');
    if stripped.is_empty() {
        return Cow::Borrowed(name);
    }
    Cow::Owned(format!("_{stripped}{name}"))
}
