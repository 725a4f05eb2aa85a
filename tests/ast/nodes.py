# The _ast node classes: hierarchy, fields, constructor semantics.
import ast
import _ast

print(ast.AST, ast.AST._fields, ast.AST._attributes, ast.AST.__module__)
for name in ["mod", "Module", "stmt", "FunctionDef", "expr", "BinOp", "expr_context", "Load",
             "operator", "Add", "comprehension", "arguments", "arg", "keyword", "alias",
             "withitem", "match_case", "pattern", "MatchAs", "type_ignore", "TypeIgnore",
             "excepthandler", "ExceptHandler", "FunctionType", "Constant", "ImportFrom"]:
    cls = getattr(ast, name)
    print(name, cls.__bases__, cls._fields, getattr(cls, "_attributes", None), cls.__match_args__)
    print("  ", cls.__doc__.splitlines()[0])

names = sorted(n for n in dir(_ast) if isinstance(getattr(_ast, n), type))
print(len(names), names[:5], names[-5:])
print(_ast.PyCF_ONLY_AST, _ast.PyCF_TYPE_COMMENTS, _ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
print(ast.FunctionDef is _ast.FunctionDef, ast.stmt.__subclasses__()[:3])

# Optional fields and attributes default to None on the class.
f = ast.FunctionDef()
print(f.returns, f.type_comment, f.end_lineno, f.end_col_offset, hasattr(f, "body"), hasattr(f, "lineno"))
print(sorted(k for k, v in vars(ast.ImportFrom).items() if v is None))

# Constructor: positional by _fields, keywords, extra keywords allowed.
b = ast.BinOp(ast.Constant(1), ast.Add(), ast.Constant(2), lineno=3, foo="bar")
print(b.left.value, type(b.op).__name__, b.right.value, b.lineno, b.foo, vars(b).keys())
print(ast.Name("x").__dict__, type(ast.Name(id="y", ctx=ast.Store()).ctx).__name__)
for args, kw in [((1, 2, 3, 4), {}), ((1,), {"left": 2}), ((1,), {}), ((), {})]:
    try:
        ast.BinOp(*args, **kw)
        print("ok", args, kw)
    except TypeError as e:
        print(type(e).__name__, e)
for cls in (ast.Pass, ast.AST, ast.Load, ast.Name):
    try:
        cls(1, 2, 3)
    except TypeError as e:
        print(type(e).__name__, e)

# __reduce__, pattern matching through __match_args__.
print(ast.Load().__reduce__())
r = ast.Name("a", ast.Load()).__reduce__()
print(r[0], r[1], sorted(r[2]), type(r[2]["ctx"]).__name__)
node = ast.parse("f(1)").body[0].value
match node:
    case ast.Call(ast.Name(fid), [ast.Constant(v)]):
        print("matched", fid, v)

# Contexts and operators are shared in parsed trees, fresh when made.
t = ast.parse("a + b - c; d = e")
print(t.body[0].value.op is ast.parse("x + y").body[0].value.op, ast.Add() is ast.Add())
print(t.body[0].value.left.left.ctx is t.body[1].value.ctx)

# Subclasses and deprecated aliases (defined by ast.py).
class MyName(ast.Name):
    pass
m = MyName("z", ast.Load())
print(isinstance(m, ast.expr), m.id, MyName._fields)
print(ast.Num(5).n, ast.Str("s").s, isinstance(ast.Constant(3), ast.Num), isinstance(ast.Constant("x"), ast.Num))
print(type(ast.Num(1)).__name__, ast.Index(5), ast.Suite, ast.Param)
