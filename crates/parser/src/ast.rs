//! The syntax tree, shaped exactly like CPython 3.11's `ast` module.
//!
//! Every node kind, field name and field order follows `Parser/Python.asdl`
//! of CPython 3.11, so that the vm can later turn this tree into `ast` module
//! objects one to one, and so that [`crate::dump`] can print what
//! `ast.dump(..., include_attributes=True)` prints.
//!
//! Locations: `lineno` is 1-based, `col_offset` is a 0-based UTF-8 byte
//! offset into the (decoded, UTF-8) source line, as in CPython.

use crate::wtf8::Wtf8Buf;

/// A source range as CPython's `_attributes` store it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Loc {
    pub lineno: u32,
    pub col_offset: u32,
    pub end_lineno: u32,
    pub end_col_offset: u32,
}

impl Loc {
    pub fn new(lineno: u32, col_offset: u32, end_lineno: u32, end_col_offset: u32) -> Loc {
        Loc { lineno, col_offset, end_lineno, end_col_offset }
    }
    /// The range that starts where `self` starts and ends where `end` ends.
    pub fn to(self, end: Loc) -> Loc {
        Loc { lineno: self.lineno, col_offset: self.col_offset, end_lineno: end.end_lineno, end_col_offset: end.end_col_offset }
    }
}

/// Identifiers: boxed, to keep nodes small.
pub type Ident = Box<str>;

/// A `# type:` comment's text (only with `ast.parse(..., type_comments=True)`);
/// a thin pointer, to keep statements small.
pub type TypeComment = Option<Box<String>>;

/// The `kind` of a `Constant` node: `Some(UPrefix)` is CPython's `'u'`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UPrefix;

#[derive(Clone, Debug, PartialEq)]
pub enum Mod {
    Module { body: Vec<Stmt>, type_ignores: Vec<TypeIgnore> },
    Interactive { body: Vec<Stmt> },
    Expression { body: Box<Expr> },
}

#[derive(Clone, Debug, PartialEq)]
pub struct TypeIgnore {
    pub lineno: u32,
    pub tag: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FunctionDef {
    pub name: Ident,
    pub args: Box<Arguments>,
    pub body: Vec<Stmt>,
    pub decorator_list: Vec<Expr>,
    pub returns: Option<Box<Expr>>,
    pub type_comment: TypeComment,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClassDef {
    pub name: Ident,
    pub bases: Vec<Expr>,
    pub keywords: Vec<Keyword>,
    pub body: Vec<Stmt>,
    pub decorator_list: Vec<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Try {
    pub body: Vec<Stmt>,
    pub handlers: Vec<ExceptHandler>,
    pub orelse: Vec<Stmt>,
    pub finalbody: Vec<Stmt>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    FunctionDef(Box<FunctionDef>),
    AsyncFunctionDef(Box<FunctionDef>),
    ClassDef(Box<ClassDef>),
    Return { value: Option<Box<Expr>> },
    Delete { targets: Vec<Expr> },
    Assign { targets: Vec<Expr>, value: Box<Expr>, type_comment: TypeComment },
    AugAssign { target: Box<Expr>, op: Operator, value: Box<Expr> },
    AnnAssign { target: Box<Expr>, annotation: Box<Expr>, value: Option<Box<Expr>>, simple: bool },
    For { target: Box<Expr>, iter: Box<Expr>, body: Vec<Stmt>, orelse: Vec<Stmt>, type_comment: TypeComment },
    AsyncFor { target: Box<Expr>, iter: Box<Expr>, body: Vec<Stmt>, orelse: Vec<Stmt>, type_comment: TypeComment },
    While { test: Box<Expr>, body: Vec<Stmt>, orelse: Vec<Stmt> },
    If { test: Box<Expr>, body: Vec<Stmt>, orelse: Vec<Stmt> },
    With { items: Vec<WithItem>, body: Vec<Stmt>, type_comment: TypeComment },
    AsyncWith { items: Vec<WithItem>, body: Vec<Stmt>, type_comment: TypeComment },
    Match { subject: Box<Expr>, cases: Vec<MatchCase> },
    Raise { exc: Option<Box<Expr>>, cause: Option<Box<Expr>> },
    Try(Box<Try>),
    TryStar(Box<Try>),
    Assert { test: Box<Expr>, msg: Option<Box<Expr>> },
    Import { names: Vec<Alias> },
    ImportFrom { module: Option<Ident>, names: Vec<Alias>, level: u32 },
    Global { names: Vec<Ident> },
    Nonlocal { names: Vec<Ident> },
    Expr { value: Box<Expr> },
    Pass,
    Break,
    Continue,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub loc: Loc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExprContext {
    Load,
    Store,
    Del,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoolOp {
    And,
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    Add,
    Sub,
    Mult,
    MatMult,
    Div,
    Mod,
    Pow,
    LShift,
    RShift,
    BitOr,
    BitXor,
    BitAnd,
    FloorDiv,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Invert,
    Not,
    UAdd,
    USub,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
    Is,
    IsNot,
    In,
    NotIn,
}

/// An integer literal's value. Literals that fit in `i64` stay small; the
/// others keep their decimal digits (the parser has no use for big-int
/// arithmetic, the vm converts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntValue {
    Small(i64),
    /// Decimal digits, no sign, no leading zeros.
    Big(Box<str>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Constant {
    None,
    Bool(bool),
    Ellipsis,
    Int(IntValue),
    Float(f64),
    /// An imaginary literal: `value` is the imaginary part, the real part is 0.
    Complex {
        real: f64,
        imag: f64,
    },
    /// A `str` value; may hold lone surrogates, hence WTF-8.
    Str(Box<Wtf8Buf>),
    Bytes(Box<[u8]>),
    /// Only ever produced by constant folding in later layers.
    Tuple(Box<[Constant]>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comprehension {
    pub target: Expr,
    pub iter: Expr,
    pub ifs: Vec<Expr>,
    pub is_async: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    BoolOp {
        op: BoolOp,
        values: Vec<Expr>,
    },
    NamedExpr {
        target: Box<Expr>,
        value: Box<Expr>,
    },
    BinOp {
        left: Box<Expr>,
        op: Operator,
        right: Box<Expr>,
    },
    UnaryOp {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Lambda {
        args: Box<Arguments>,
        body: Box<Expr>,
    },
    IfExp {
        test: Box<Expr>,
        body: Box<Expr>,
        orelse: Box<Expr>,
    },
    Dict(Box<Dict>),
    Set {
        elts: Vec<Expr>,
    },
    ListComp(Box<Comp>),
    SetComp(Box<Comp>),
    DictComp(Box<DictComp>),
    GeneratorExp(Box<Comp>),
    Await {
        value: Box<Expr>,
    },
    Yield {
        value: Option<Box<Expr>>,
    },
    YieldFrom {
        value: Box<Expr>,
    },
    Compare(Box<Compare>),
    Call(Box<Call>),
    /// `conversion` is -1 (none), or the code of `s`, `r`, `a`.
    FormattedValue {
        value: Box<Expr>,
        conversion: i32,
        format_spec: Option<Box<Expr>>,
    },
    JoinedStr {
        values: Vec<Expr>,
    },
    /// `kind` is `Some(UPrefix)` (CPython: `'u'`) for a `u"..."` literal.
    Constant {
        value: Constant,
        kind: Option<UPrefix>,
    },
    Attribute {
        value: Box<Expr>,
        attr: Ident,
        ctx: ExprContext,
    },
    Subscript {
        value: Box<Expr>,
        slice: Box<Expr>,
        ctx: ExprContext,
    },
    Starred {
        value: Box<Expr>,
        ctx: ExprContext,
    },
    Name {
        id: Ident,
        ctx: ExprContext,
    },
    List {
        elts: Vec<Expr>,
        ctx: ExprContext,
    },
    Tuple {
        elts: Vec<Expr>,
        ctx: ExprContext,
    },
    Slice {
        lower: Option<Box<Expr>>,
        upper: Option<Box<Expr>>,
        step: Option<Box<Expr>>,
    },
}

// The payloads of the larger expression nodes, boxed so that `Expr` stays
// small (it moves through every parser frame).

#[derive(Clone, Debug, PartialEq)]
pub struct Dict {
    /// `keys[i]` is `None` for a `**mapping` entry.
    pub keys: Vec<Option<Expr>>,
    pub values: Vec<Expr>,
}

/// `ListComp`, `SetComp`, `GeneratorExp`.
#[derive(Clone, Debug, PartialEq)]
pub struct Comp {
    pub elt: Expr,
    pub generators: Vec<Comprehension>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DictComp {
    pub key: Expr,
    pub value: Expr,
    pub generators: Vec<Comprehension>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Compare {
    pub left: Expr,
    pub ops: Vec<CmpOp>,
    pub comparators: Vec<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub func: Expr,
    pub args: Vec<Expr>,
    pub keywords: Vec<Keyword>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExceptHandler {
    pub type_: Option<Box<Expr>>,
    pub name: Option<Ident>,
    pub body: Vec<Stmt>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Arguments {
    pub posonlyargs: Vec<Arg>,
    pub args: Vec<Arg>,
    pub vararg: Option<Box<Arg>>,
    pub kwonlyargs: Vec<Arg>,
    /// One entry per keyword-only argument; `None` where it has no default.
    pub kw_defaults: Vec<Option<Expr>>,
    pub kwarg: Option<Box<Arg>>,
    pub defaults: Vec<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    pub arg: Ident,
    pub annotation: Option<Box<Expr>>,
    pub type_comment: TypeComment,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Keyword {
    /// `None` for `**kwargs`.
    pub arg: Option<Ident>,
    pub value: Expr,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Alias {
    pub name: Ident,
    pub asname: Option<Ident>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WithItem {
    pub context_expr: Expr,
    pub optional_vars: Option<Box<Expr>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MatchCase {
    pub pattern: Pattern,
    pub guard: Option<Box<Expr>>,
    pub body: Vec<Stmt>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pattern {
    pub kind: PatternKind,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PatternKind {
    MatchValue {
        value: Box<Expr>,
    },
    /// `None`, `True` or `False`.
    MatchSingleton {
        value: Constant,
    },
    MatchSequence {
        patterns: Vec<Pattern>,
    },
    MatchMapping {
        keys: Vec<Expr>,
        patterns: Vec<Pattern>,
        rest: Option<Ident>,
    },
    MatchClass {
        cls: Box<Expr>,
        patterns: Vec<Pattern>,
        kwd_attrs: Vec<Ident>,
        kwd_patterns: Vec<Pattern>,
    },
    MatchStar {
        name: Option<Ident>,
    },
    MatchAs {
        pattern: Option<Box<Pattern>>,
        name: Option<Ident>,
    },
    MatchOr {
        patterns: Vec<Pattern>,
    },
}
