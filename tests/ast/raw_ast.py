# `_ast` alone (without ast.py): compile(..., PyCF_ONLY_AST), node classes,
# a hand-written dump, and compiling the trees back.
import _ast

def dump(node):
    if isinstance(node, _ast.AST):
        parts = []
        for name in node._fields + node._attributes:
            if hasattr(node, name):
                parts.append(f"{name}={dump(getattr(node, name))}")
        return f"{type(node).__name__}({', '.join(parts)})"
    if isinstance(node, list):
        return "[" + ", ".join(dump(x) for x in node) + "]"
    return repr(node)

src = '''
def f(a, *b, c=1, **d):
    return [x async for x in a] if b else {k: v for k, v in d.items()}
class C(B, metaclass=M):
    x: int = 1
try:
    pass
except* E as e:
    raise X from None
match p:
    case {"a": [1, *r]} | Point(x=0) as q if q: del q
print(f"{a!r:>{w}}", -1, 2.5, 3j, b"x", ..., None, True, 10**30)
'''
tree = compile(src, "<src>", "exec", _ast.PyCF_ONLY_AST)
print(dump(tree))
print(dump(compile("a + b", "<e>", "eval", _ast.PyCF_ONLY_AST)))
print(dump(compile("(int, str) -> bool", "<f>", "func_type", _ast.PyCF_ONLY_AST)))

ns = {}
code = compile("def g(x):\n    return x * 3\nr = g(4)", "<m>", "exec", _ast.PyCF_ONLY_AST)
code.body[1].value.args[0].value = 5
exec(compile(code, "<m>", "exec"), ns)
print(ns["r"])

L = dict(lineno=1, col_offset=0)
m = _ast.Module([_ast.Expr(_ast.Call(_ast.Name("print", _ast.Load(), **L),
                                     [_ast.Constant("built", **L)], [], **L), **L)], [])
exec(compile(m, "<built>", "exec"))
print(eval(compile(_ast.Expression(_ast.BinOp(_ast.Constant(6, **L), _ast.Mult(), _ast.Constant(7, **L), **L)), "<e>", "eval")))

print(_ast.BinOp._fields, _ast.expr._attributes, _ast.Name.__match_args__, _ast.Return.value)
print(_ast.BinOp.__mro__)
print(_ast.Load().__reduce__()[:2], _ast.Name("n").__reduce__()[2])
for args in [(1, 2, 3, 4), (1,)]:
    try:
        _ast.BinOp(*args, left=0)
    except TypeError as e:
        print(type(e).__name__, e)
try:
    compile(_ast.Module([_ast.Expr(_ast.Name("x", _ast.Store(), **L), **L)], []), "<t>", "exec")
except ValueError as e:
    print(type(e).__name__, e)
try:
    compile(_ast.Module([_ast.Pass()], []), "<t>", "exec")
except TypeError as e:
    print(type(e).__name__, e)
