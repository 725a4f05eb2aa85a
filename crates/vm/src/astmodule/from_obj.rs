//! `ast` node objects back to the parser's tree (CPython's `obj2ast_*`),
//! for `compile(tree, filename, mode)`, with CPython's messages for
//! malformed trees. Nodes are read through their attributes, so any
//! object with the right fields works for product types (`arguments`,
//! `arg`, ...) as in CPython; sum types (`expr`, `stmt`, ...) dispatch on
//! the node's class.

use taipan_parser::ast::*;

use super::{AstState, NodeClass};
use crate::classes::getattr_opt;
use crate::object::Obj;
use crate::types::builtin::{self, repr_string, type_name, BytesData, IntData, StrData, TupleData};
use crate::types::{type_data, type_of};
use crate::vm::Vm;
use crate::PyResult;

/// The tree of node `obj` for `compile()` in `mode` (`exec`, `eval`,
/// `single`): `Module`, `Expression`, `Interactive`.
pub fn mod_from_obj(vm: &Vm, st: &AstState, obj: &Obj, mode: &str) -> PyResult<Mod> {
    let want = match mode {
        "exec" => "Module",
        "eval" => "Expression",
        "single" => "Interactive",
        _ => "FunctionType",
    };
    let is = super::is_node(vm, st, obj, want)?;
    if !is {
        return Err(vm.type_error(format!("expected {want} node, got {}", type_data(&type_of(obj)).name)));
    }
    let c = FromObj { vm, st };
    let n = c.at(obj, want);
    Ok(match want {
        "Module" => {
            let body = n.stmts("body")?;
            let type_ignores = n.seq("type_ignores", |c, o| c.type_ignore(o))?;
            Mod::Module { body, type_ignores }
        }
        "Expression" => Mod::Expression { body: n.expr("body")? },
        "Interactive" => Mod::Interactive { body: n.stmts("body")? },
        _ => return Err(vm.new_error(&vm.types.value_error, "compile() mode 'func_type' requires flag PyCF_ONLY_AST")),
    })
}

struct FromObj<'a> {
    vm: &'a Vm,
    st: &'a AstState,
}

/// The fields of one node being read; `owner` names it in messages.
struct At<'a> {
    c: &'a FromObj<'a>,
    obj: &'a Obj,
    owner: &'static str,
}

impl<'a> FromObj<'a> {
    fn at(&'a self, obj: &'a Obj, owner: &'static str) -> At<'a> {
        At { c: self, obj, owner }
    }

    fn type_error(&self, msg: String) -> crate::PyErr {
        self.vm.type_error(msg)
    }

    fn value_error(&self, msg: String) -> crate::PyErr {
        self.vm.new_error(&self.vm.types.value_error, msg)
    }

    /// The constructor of sum type `sum` that `obj` is an instance of.
    fn constructor(&self, obj: &Obj, sum: &str) -> PyResult<&'static NodeClass> {
        let ty = type_of(obj);
        let mro = type_data(&ty).mro.borrow().clone();
        for c in &mro {
            if let Some(info) = self.st.class_of(c) {
                if info.base == Some(sum) {
                    return Ok(info);
                }
            }
        }
        let r = repr_string(self.vm, obj)?;
        Err(self.type_error(format!("expected some sort of {sum}, but got {r}")))
    }

    /// The location attributes of a node (`owner` is its sum type or
    /// product type name).
    fn loc(&self, obj: &Obj, owner: &'static str) -> PyResult<Loc> {
        let n = self.at(obj, owner);
        let lineno = n.int("lineno")?;
        let col_offset = n.int("col_offset")?;
        let end_lineno = n.opt_int("end_lineno")?.unwrap_or(lineno);
        let end_col_offset = n.opt_int("end_col_offset")?.unwrap_or(col_offset);
        if owner == "stmt" || owner == "expr" {
            // CPython's VALIDATE_POSITIONS (statements and expressions).
            let value_error = |msg: String| self.vm.new_error(&self.vm.types.value_error, msg);
            if lineno > end_lineno {
                return Err(value_error(format!("AST node line range ({lineno}, {end_lineno}) is not valid")));
            }
            if (lineno < 0 && end_lineno != lineno) || (col_offset < 0 && col_offset != end_col_offset) {
                return Err(value_error(format!(
                    "AST node column range ({col_offset}, {end_col_offset}) for line range ({lineno}, {end_lineno}) is not valid"
                )));
            }
            if lineno == end_lineno && col_offset > end_col_offset {
                return Err(value_error(format!("line {lineno}, column {col_offset}-{end_col_offset} is not a valid range")));
            }
        }
        let u = |v: i64| v.clamp(0, u32::MAX as i64) as u32;
        Ok(Loc::new(u(lineno), u(col_offset), u(end_lineno), u(end_col_offset)))
    }

    /// One of the field-less sum types (`expr_context`, `operator`, ...).
    fn simple(&self, obj: &Obj, sum: &str) -> PyResult<&'static str> {
        if obj.is(&self.vm.none) {
            return Err(self.type_error(format!("expected some sort of {sum}, but got None")));
        }
        Ok(self.constructor(obj, sum)?.name)
    }

    fn ctx(&self, obj: &Obj) -> PyResult<ExprContext> {
        Ok(match self.simple(obj, "expr_context")? {
            "Load" => ExprContext::Load,
            "Store" => ExprContext::Store,
            _ => ExprContext::Del,
        })
    }

    fn operator(&self, obj: &Obj) -> PyResult<Operator> {
        use Operator::*;
        Ok(match self.simple(obj, "operator")? {
            "Add" => Add,
            "Sub" => Sub,
            "Mult" => Mult,
            "MatMult" => MatMult,
            "Div" => Div,
            "Mod" => Mod,
            "Pow" => Pow,
            "LShift" => LShift,
            "RShift" => RShift,
            "BitOr" => BitOr,
            "BitXor" => BitXor,
            "BitAnd" => BitAnd,
            _ => FloorDiv,
        })
    }

    fn unaryop(&self, obj: &Obj) -> PyResult<UnaryOp> {
        Ok(match self.simple(obj, "unaryop")? {
            "Invert" => UnaryOp::Invert,
            "Not" => UnaryOp::Not,
            "UAdd" => UnaryOp::UAdd,
            _ => UnaryOp::USub,
        })
    }

    fn boolop(&self, obj: &Obj) -> PyResult<BoolOp> {
        Ok(if self.simple(obj, "boolop")? == "And" { BoolOp::And } else { BoolOp::Or })
    }

    fn cmpop(&self, obj: &Obj) -> PyResult<CmpOp> {
        use CmpOp::*;
        Ok(match self.simple(obj, "cmpop")? {
            "Eq" => Eq,
            "NotEq" => NotEq,
            "Lt" => Lt,
            "LtE" => LtE,
            "Gt" => Gt,
            "GtE" => GtE,
            "Is" => Is,
            "IsNot" => IsNot,
            "In" => In,
            _ => NotIn,
        })
    }

    fn type_ignore(&self, obj: &Obj) -> PyResult<TypeIgnore> {
        self.constructor(obj, "type_ignore")?;
        let n = self.at(obj, "TypeIgnore");
        let lineno = n.int("lineno")?.clamp(0, u32::MAX as i64) as u32;
        let tag = n.string("tag")?.unwrap_or_default();
        Ok(TypeIgnore { lineno, tag })
    }

    fn stmt(&self, obj: &Obj) -> PyResult<Option<Stmt>> {
        if obj.is(&self.vm.none) {
            return Ok(None);
        }
        let _guard = self.vm.enter_recursive_call(" while traversing 'stmt' node")?;
        let loc = self.loc(obj, "stmt")?;
        let info = self.constructor(obj, "stmt")?;
        let n = self.at(obj, info.name);
        let funcdef = |n: &At| -> PyResult<Box<FunctionDef>> {
            Ok(Box::new(FunctionDef {
                name: n.ident("name")?,
                args: n.arguments("args")?,
                body: n.stmts("body")?,
                decorator_list: n.exprs("decorator_list")?,
                returns: n.opt_expr("returns")?,
                type_comment: n.type_comment()?,
            }))
        };
        let try_ = |n: &At| -> PyResult<Box<Try>> {
            Ok(Box::new(Try {
                body: n.stmts("body")?,
                handlers: n.seq("handlers", |c, o| c.handler(o))?,
                orelse: n.stmts("orelse")?,
                finalbody: n.stmts("finalbody")?,
            }))
        };
        let kind = match info.name {
            "FunctionDef" => {
                let f = funcdef(&n)?;
                StmtKind::FunctionDef(f)
            }
            "AsyncFunctionDef" => {
                let f = funcdef(&n)?;
                StmtKind::AsyncFunctionDef(f)
            }
            "ClassDef" => StmtKind::ClassDef(Box::new(ClassDef {
                name: n.ident("name")?,
                bases: n.exprs("bases")?,
                keywords: n.seq("keywords", |c, o| c.keyword(o))?,
                body: n.stmts("body")?,
                decorator_list: n.exprs("decorator_list")?,
            })),
            "Return" => StmtKind::Return { value: n.opt_expr("value")? },
            "Delete" => StmtKind::Delete { targets: n.exprs("targets")? },
            "Assign" => {
                let targets = n.exprs("targets")?;
                let value = n.expr("value")?;
                let type_comment = n.type_comment()?;
                StmtKind::Assign { targets, value, type_comment }
            }
            "AugAssign" => {
                StmtKind::AugAssign { target: n.expr("target")?, op: self.operator(&n.required("op")?)?, value: n.expr("value")? }
            }
            "AnnAssign" => StmtKind::AnnAssign {
                target: n.expr("target")?,
                annotation: n.expr("annotation")?,
                value: n.opt_expr("value")?,
                simple: n.int("simple")? != 0,
            },
            "For" | "AsyncFor" => {
                let (target, iter, body, orelse) = (n.expr("target")?, n.expr("iter")?, n.stmts("body")?, n.stmts("orelse")?);
                let type_comment = n.type_comment()?;
                if info.name == "For" {
                    StmtKind::For { target, iter, body, orelse, type_comment }
                } else {
                    StmtKind::AsyncFor { target, iter, body, orelse, type_comment }
                }
            }
            "While" => StmtKind::While { test: n.expr("test")?, body: n.stmts("body")?, orelse: n.stmts("orelse")? },
            "If" => StmtKind::If { test: n.expr("test")?, body: n.stmts("body")?, orelse: n.stmts("orelse")? },
            "With" | "AsyncWith" => {
                let items = n.seq("items", |c, o| c.withitem(o))?;
                let body = n.stmts("body")?;
                let type_comment = n.type_comment()?;
                if info.name == "With" {
                    StmtKind::With { items, body, type_comment }
                } else {
                    StmtKind::AsyncWith { items, body, type_comment }
                }
            }
            "Match" => StmtKind::Match { subject: n.expr("subject")?, cases: n.seq("cases", |c, o| c.match_case(o))? },
            "Raise" => StmtKind::Raise { exc: n.opt_expr("exc")?, cause: n.opt_expr("cause")? },
            "Try" => StmtKind::Try(try_(&n)?),
            "TryStar" => StmtKind::TryStar(try_(&n)?),
            "Assert" => StmtKind::Assert { test: n.expr("test")?, msg: n.opt_expr("msg")? },
            "Import" => StmtKind::Import { names: n.seq("names", |c, o| c.alias(o))? },
            "ImportFrom" => {
                let module = n.opt_ident("module")?;
                let names = n.seq("names", |c, o| c.alias(o))?;
                let level = n.opt_int("level")?.unwrap_or(0);
                if level < 0 {
                    return Err(self.vm.new_error(&self.vm.types.value_error, "Negative ImportFrom level"));
                }
                StmtKind::ImportFrom { module, names, level: level.min(u32::MAX as i64) as u32 }
            }
            "Global" => StmtKind::Global { names: n.idents("names")? },
            "Nonlocal" => StmtKind::Nonlocal { names: n.idents("names")? },
            "Expr" => StmtKind::Expr { value: n.expr("value")? },
            "Pass" => StmtKind::Pass,
            "Break" => StmtKind::Break,
            _ => StmtKind::Continue,
        };
        Ok(Some(Stmt { kind, loc }))
    }

    fn expr(&self, obj: &Obj) -> PyResult<Option<Expr>> {
        if obj.is(&self.vm.none) {
            return Ok(None);
        }
        let _guard = self.vm.enter_recursive_call(" while traversing 'expr' node")?;
        let loc = self.loc(obj, "expr")?;
        let info = self.constructor(obj, "expr")?;
        let n = self.at(obj, info.name);
        let comp = |n: &At| -> PyResult<Box<Comp>> {
            Ok(Box::new(Comp { elt: *n.expr("elt")?, generators: n.seq("generators", |c, o| c.comprehension(o))? }))
        };
        let kind = match info.name {
            "BoolOp" => ExprKind::BoolOp { op: self.boolop(&n.required("op")?)?, values: n.exprs("values")? },
            "NamedExpr" => ExprKind::NamedExpr { target: n.expr("target")?, value: n.expr("value")? },
            "BinOp" => {
                let left = n.expr("left")?;
                let op = self.operator(&n.required("op")?)?;
                ExprKind::BinOp { left, op, right: n.expr("right")? }
            }
            "UnaryOp" => {
                let op = self.unaryop(&n.required("op")?)?;
                ExprKind::UnaryOp { op, operand: n.expr("operand")? }
            }
            "Lambda" => ExprKind::Lambda { args: n.arguments("args")?, body: n.expr("body")? },
            "IfExp" => ExprKind::IfExp { test: n.expr("test")?, body: n.expr("body")?, orelse: n.expr("orelse")? },
            "Dict" => ExprKind::Dict(Box::new(Dict { keys: n.opt_exprs("keys")?, values: n.exprs("values")? })),
            "Set" => ExprKind::Set { elts: n.exprs("elts")? },
            "ListComp" => ExprKind::ListComp(comp(&n)?),
            "SetComp" => ExprKind::SetComp(comp(&n)?),
            "GeneratorExp" => ExprKind::GeneratorExp(comp(&n)?),
            "DictComp" => ExprKind::DictComp(Box::new(DictComp {
                key: *n.expr("key")?,
                value: *n.expr("value")?,
                generators: n.seq("generators", |c, o| c.comprehension(o))?,
            })),
            "Await" => ExprKind::Await { value: n.expr("value")? },
            "Yield" => ExprKind::Yield { value: n.opt_expr("value")? },
            "YieldFrom" => ExprKind::YieldFrom { value: n.expr("value")? },
            "Compare" => {
                let left = *n.expr("left")?;
                let ops = n.seq("ops", |c, o| c.cmpop(o))?;
                ExprKind::Compare(Box::new(Compare { left, ops, comparators: n.exprs("comparators")? }))
            }
            "Call" => ExprKind::Call(Box::new(Call {
                func: *n.expr("func")?,
                args: n.exprs("args")?,
                keywords: n.seq("keywords", |c, o| c.keyword(o))?,
            })),
            "FormattedValue" => ExprKind::FormattedValue {
                value: n.expr("value")?,
                conversion: n.int("conversion")?.clamp(i32::MIN as i64, i32::MAX as i64) as i32,
                format_spec: n.opt_expr("format_spec")?,
            },
            "JoinedStr" => ExprKind::JoinedStr { values: n.exprs("values")? },
            "Constant" => {
                let v = n.required("value")?;
                let value = self.constant(&v)?;
                let kind = n.string("kind")?.filter(|k| k == "u").map(|_| UPrefix);
                ExprKind::Constant { value, kind }
            }
            "Attribute" => {
                let value = n.expr("value")?;
                let attr = n.ident("attr")?;
                ExprKind::Attribute { value, attr, ctx: self.ctx(&n.required("ctx")?)? }
            }
            "Subscript" => {
                let value = n.expr("value")?;
                let slice = n.expr("slice")?;
                ExprKind::Subscript { value, slice, ctx: self.ctx(&n.required("ctx")?)? }
            }
            "Starred" => {
                let value = n.expr("value")?;
                ExprKind::Starred { value, ctx: self.ctx(&n.required("ctx")?)? }
            }
            "Name" => {
                let id = n.ident("id")?;
                ExprKind::Name { id, ctx: self.ctx(&n.required("ctx")?)? }
            }
            "List" => {
                let elts = n.exprs("elts")?;
                ExprKind::List { elts, ctx: self.ctx(&n.required("ctx")?)? }
            }
            "Tuple" => {
                let elts = n.exprs("elts")?;
                ExprKind::Tuple { elts, ctx: self.ctx(&n.required("ctx")?)? }
            }
            _ => ExprKind::Slice { lower: n.opt_expr("lower")?, upper: n.opt_expr("upper")?, step: n.opt_expr("step")? },
        };
        Ok(Some(Expr { kind, loc }))
    }

    /// A `Constant`'s value (CPython's `validate_constant`).
    fn constant(&self, v: &Obj) -> PyResult<Constant> {
        let vm = self.vm;
        let ty = type_of(v);
        let t = &vm.types;
        if v.is(&vm.none) {
            return Ok(Constant::None);
        }
        if v.is(&vm.ellipsis) {
            return Ok(Constant::Ellipsis);
        }
        if ty.is(&t.bool_) {
            return Ok(Constant::Bool(v.is(&vm.bool(true))));
        }
        if ty.is(&t.int) {
            if let Some(d) = v.downcast::<IntData>() {
                return Ok(Constant::Int(match d {
                    IntData::Small(i) => IntValue::Small(*i),
                    IntData::Big(b) => IntValue::Big(b.to_string().into()),
                }));
            }
        }
        if ty.is(&t.float) {
            if let Some(f) = v.downcast::<f64>() {
                return Ok(Constant::Float(*f));
            }
        }
        if ty.is(&t.complex) {
            if let Some(c) = v.downcast::<crate::types::complex::Complex>() {
                return Ok(Constant::Complex { real: c.re, imag: c.im });
            }
        }
        if ty.is(&t.str_) {
            if let Some(s) = v.downcast::<StrData>() {
                return Ok(Constant::Str(Box::new(s.value.clone())));
            }
        }
        if ty.is(&t.bytes) {
            if let Some(b) = v.downcast::<BytesData>() {
                return Ok(Constant::Bytes(b.value.clone()));
            }
        }
        if ty.is(&t.tuple) {
            if let Some(tu) = v.downcast::<TupleData>() {
                let _guard = vm.enter_recursive_call(" while traversing 'Constant' node")?;
                let items = tu.items.iter().map(|i| self.constant(i)).collect::<PyResult<Vec<_>>>()?;
                return Ok(Constant::Tuple(items.into()));
            }
        }
        Err(self.type_error(format!("got an invalid type in Constant: {}", type_name(v))))
    }

    fn arguments(&self, obj: &Obj) -> PyResult<Arguments> {
        let n = self.at(obj, "arguments");
        Ok(Arguments {
            posonlyargs: n.seq("posonlyargs", |c, o| c.arg(o))?,
            args: n.seq("args", |c, o| c.arg(o))?,
            vararg: n.opt("vararg", |c, o| c.arg(o))?.map(Box::new),
            kwonlyargs: n.seq("kwonlyargs", |c, o| c.arg(o))?,
            kw_defaults: n.opt_exprs("kw_defaults")?,
            kwarg: n.opt("kwarg", |c, o| c.arg(o))?.map(Box::new),
            defaults: n.exprs("defaults")?,
        })
    }

    fn arg(&self, obj: &Obj) -> PyResult<Arg> {
        let n = self.at(obj, "arg");
        let arg = n.ident("arg")?;
        let annotation = n.opt_expr("annotation")?;
        let type_comment = n.type_comment()?;
        let loc = self.loc(obj, "arg")?;
        Ok(Arg { arg, annotation, type_comment, loc })
    }

    fn keyword(&self, obj: &Obj) -> PyResult<Keyword> {
        let n = self.at(obj, "keyword");
        let arg = n.opt_ident("arg")?;
        let value = *n.expr("value")?;
        Ok(Keyword { arg, value, loc: self.loc(obj, "keyword")? })
    }

    fn alias(&self, obj: &Obj) -> PyResult<Alias> {
        let n = self.at(obj, "alias");
        let name = n.ident("name")?;
        let asname = n.opt_ident("asname")?;
        Ok(Alias { name, asname, loc: self.loc(obj, "alias")? })
    }

    fn withitem(&self, obj: &Obj) -> PyResult<WithItem> {
        let n = self.at(obj, "withitem");
        Ok(WithItem { context_expr: *n.expr("context_expr")?, optional_vars: n.opt_expr("optional_vars")? })
    }

    fn comprehension(&self, obj: &Obj) -> PyResult<Comprehension> {
        let n = self.at(obj, "comprehension");
        Ok(Comprehension { target: *n.expr("target")?, iter: *n.expr("iter")?, ifs: n.exprs("ifs")?, is_async: n.int("is_async")? != 0 })
    }

    fn handler(&self, obj: &Obj) -> PyResult<ExceptHandler> {
        let loc = self.loc(obj, "excepthandler")?;
        self.constructor(obj, "excepthandler")?;
        let n = self.at(obj, "ExceptHandler");
        Ok(ExceptHandler { type_: n.opt_expr("type")?, name: n.opt_ident("name")?, body: n.stmts("body")?, loc })
    }

    fn match_case(&self, obj: &Obj) -> PyResult<MatchCase> {
        let n = self.at(obj, "match_case");
        let pattern = n.required("pattern")?;
        let Some(pattern) = self.pattern(&pattern)? else {
            return Err(self.value_error("field 'pattern' is required for match_case".into()));
        };
        Ok(MatchCase { pattern, guard: n.opt_expr("guard")?, body: n.stmts("body")? })
    }

    fn pattern(&self, obj: &Obj) -> PyResult<Option<Pattern>> {
        if obj.is(&self.vm.none) {
            return Ok(None);
        }
        let _guard = self.vm.enter_recursive_call(" while traversing 'pattern' node")?;
        let loc = self.loc(obj, "pattern")?;
        let info = self.constructor(obj, "pattern")?;
        let n = self.at(obj, info.name);
        let kind = match info.name {
            "MatchValue" => PatternKind::MatchValue { value: n.expr("value")? },
            "MatchSingleton" => PatternKind::MatchSingleton { value: self.constant(&n.required("value")?)? },
            "MatchSequence" => PatternKind::MatchSequence { patterns: n.patterns("patterns")? },
            "MatchMapping" => {
                PatternKind::MatchMapping { keys: n.exprs("keys")?, patterns: n.patterns("patterns")?, rest: n.opt_ident("rest")? }
            }
            "MatchClass" => PatternKind::MatchClass {
                cls: n.expr("cls")?,
                patterns: n.patterns("patterns")?,
                kwd_attrs: n.idents("kwd_attrs")?,
                kwd_patterns: n.patterns("kwd_patterns")?,
            },
            "MatchStar" => PatternKind::MatchStar { name: n.opt_ident("name")? },
            "MatchAs" => {
                let pattern = match n.get("pattern")? {
                    Some(p) => self.pattern(&p)?.map(Box::new),
                    None => None,
                };
                PatternKind::MatchAs { pattern, name: n.opt_ident("name")? }
            }
            _ => PatternKind::MatchOr { patterns: n.patterns("patterns")? },
        };
        Ok(Some(Pattern { kind, loc }))
    }
}

impl At<'_> {
    /// The attribute, or `None` if it is missing.
    fn get(&self, field: &str) -> PyResult<Option<Obj>> {
        getattr_opt(self.c.vm, self.obj, &self.c.vm.intern(field))
    }

    /// The attribute, which must be present.
    fn required(&self, field: &str) -> PyResult<Obj> {
        match self.get(field)? {
            Some(v) => Ok(v),
            None => Err(self.c.type_error(format!("required field \"{field}\" missing from {}", self.owner))),
        }
    }

    fn is_required(&self, field: &str) -> crate::PyErr {
        self.c.value_error(format!("field '{field}' is required for {}", self.owner))
    }

    /// An optional field: missing or `None` is `None`.
    fn opt<T>(&self, field: &str, f: impl Fn(&FromObj, &Obj) -> PyResult<T>) -> PyResult<Option<T>> {
        match self.get(field)? {
            Some(v) if !v.is(&self.c.vm.none) => Ok(Some(f(self.c, &v)?)),
            _ => Ok(None),
        }
    }

    /// The items of a sequence field (a list).
    fn items(&self, field: &str) -> PyResult<Vec<Obj>> {
        let v = self.required(field)?;
        match v.downcast::<builtin::ListData>() {
            Some(_) => Ok(builtin::list_items(self.c.vm, &v)?.borrow().clone()),
            None => Err(self.c.type_error(format!("{} field \"{field}\" must be a list, not a {}", self.owner, type_name(&v)))),
        }
    }

    fn seq<T>(&self, field: &str, f: impl Fn(&FromObj, &Obj) -> PyResult<T>) -> PyResult<Vec<T>> {
        self.items(field)?.iter().map(|o| f(self.c, o)).collect()
    }

    fn expr(&self, field: &str) -> PyResult<Box<Expr>> {
        let v = self.required(field)?;
        match self.c.expr(&v)? {
            Some(e) => Ok(Box::new(e)),
            None => Err(self.is_required(field)),
        }
    }

    fn opt_expr(&self, field: &str) -> PyResult<Option<Box<Expr>>> {
        Ok(self.opt(field, |c, o| c.expr(o))?.flatten().map(Box::new))
    }

    fn exprs(&self, field: &str) -> PyResult<Vec<Expr>> {
        let mut out = Vec::new();
        for o in self.items(field)? {
            match self.c.expr(&o)? {
                Some(e) => out.push(e),
                None => return Err(self.c.value_error("None disallowed in expression list".into())),
            }
        }
        Ok(out)
    }

    fn opt_exprs(&self, field: &str) -> PyResult<Vec<Option<Expr>>> {
        self.seq(field, |c, o| c.expr(o))
    }

    fn stmts(&self, field: &str) -> PyResult<Vec<Stmt>> {
        let mut out = Vec::new();
        for o in self.items(field)? {
            match self.c.stmt(&o)? {
                Some(s) => out.push(s),
                None => return Err(self.c.value_error("None disallowed in statement list".into())),
            }
        }
        Ok(out)
    }

    fn patterns(&self, field: &str) -> PyResult<Vec<Pattern>> {
        let mut out = Vec::new();
        for o in self.items(field)? {
            match self.c.pattern(&o)? {
                Some(p) => out.push(p),
                None => return Err(self.c.value_error("None disallowed in pattern list".into())),
            }
        }
        Ok(out)
    }

    fn arguments(&self, field: &str) -> PyResult<Box<Arguments>> {
        let v = self.required(field)?;
        if v.is(&self.c.vm.none) {
            return Err(self.is_required(field));
        }
        Ok(Box::new(self.c.arguments(&v)?))
    }

    fn identifier(c: &FromObj, v: &Obj) -> PyResult<Ident> {
        if !type_of(v).is(&c.vm.types.str_) {
            return Err(c.type_error("AST identifier must be of type str".into()));
        }
        Ok(builtin::str_data(v).as_str().into_owned().into())
    }

    fn ident(&self, field: &str) -> PyResult<Ident> {
        let v = self.required(field)?;
        if v.is(&self.c.vm.none) {
            return Err(self.is_required(field));
        }
        Self::identifier(self.c, &v)
    }

    fn opt_ident(&self, field: &str) -> PyResult<Option<Ident>> {
        self.opt(field, Self::identifier)
    }

    fn idents(&self, field: &str) -> PyResult<Vec<Ident>> {
        self.seq(field, Self::identifier)
    }

    fn int_value(c: &FromObj, v: &Obj) -> PyResult<i64> {
        let Some(d) = v.downcast::<IntData>() else {
            let r = repr_string(c.vm, v)?;
            return Err(c.value_error(format!("invalid integer value: {r}")));
        };
        match d {
            IntData::Small(i) if i32::try_from(*i).is_ok() => Ok(*i),
            _ => Err(c.vm.new_error(&c.vm.types.overflow_error, "Python int too large to convert to C int")),
        }
    }

    fn int(&self, field: &str) -> PyResult<i64> {
        Self::int_value(self.c, &self.required(field)?)
    }

    fn opt_int(&self, field: &str) -> PyResult<Option<i64>> {
        self.opt(field, Self::int_value)
    }

    /// A `string?` field (`kind`, `type_comment`, `tag`).
    fn string(&self, field: &str) -> PyResult<Option<String>> {
        self.opt(field, |c, v| {
            if let Some(s) = v.downcast::<StrData>() {
                return Ok(s.as_str().into_owned());
            }
            if let Some(b) = v.downcast::<BytesData>() {
                return Ok(String::from_utf8_lossy(&b.value).into_owned());
            }
            Err(c.type_error("AST string must be of type str".into()))
        })
    }

    /// A `type_comment` field.
    fn type_comment(&self) -> PyResult<TypeComment> {
        Ok(self.string("type_comment")?.map(Box::new))
    }
}
