# compile() of ast trees: modified parsed trees, hand-built trees, and
# CPython's errors for malformed ones.
import ast

tree = ast.parse("total = 0\nfor i in range(5):\n    total += i\nprint('total', total)")
exec(compile(tree, "<tree>", "exec"))

class Double(ast.NodeTransformer):
    def visit_Constant(self, node):
        if isinstance(node.value, int):
            return ast.copy_location(ast.Constant(node.value * 2), node)
        return node
tree = ast.fix_missing_locations(Double().visit(tree))
exec(compile(tree, "<tree>", "exec"))

print(eval(compile(ast.parse("3 * 7", mode="eval"), "<e>", "eval")))
exec(compile(ast.parse("print('single')", mode="single"), "<s>", "single"))

# A hand-built tree.
L = dict(lineno=1, col_offset=0)
fn = ast.FunctionDef(
    name="add",
    args=ast.arguments(posonlyargs=[], args=[ast.arg("a"), ast.arg("b")], kwonlyargs=[], kw_defaults=[],
                       defaults=[ast.Constant(10)]),
    body=[ast.Return(ast.BinOp(ast.Name("a", ast.Load()), ast.Add(), ast.Name("b", ast.Load())))],
    decorator_list=[])
mod = ast.fix_missing_locations(ast.Module(body=[fn], type_ignores=[]))
ns = {}
exec(compile(mod, "<built>", "exec"), ns)
print(ns["add"](1, 2), ns["add"](5))

# Classes, comprehensions, try, with, match through trees.
code = '''
class K:
    def __init__(self, v): self.v = v
    def __enter__(self): print("enter"); return self
    def __exit__(self, *a): print("exit"); return False
with K(3) as k:
    print([x * k.v for x in range(3) if x], {x: x for x in "ab"})
try:
    1 / 0
except ZeroDivisionError as e:
    print("caught", type(e).__name__)
match [1, 2]:
    case [a, b]: print("match", a, b)
print(f"{k.v!r:>4}", (lambda *a, **k: (a, k))(1, x=2))
'''
exec(compile(ast.parse(code), "<code>", "exec"))
t = ast.parse(code)
t.body.reverse()
try:
    exec(compile(t, "<rev>", "exec"), {})
except NameError as e:
    print("NameError", e)

# compile() returns an AST unchanged with PyCF_ONLY_AST.
m = ast.parse("x")
print(compile(m, "<m>", "exec", ast.PyCF_ONLY_AST) is m)

def check(tree, mode="exec"):
    try:
        compile(tree, "<t>", mode)
        print("ok")
    except (TypeError, ValueError, SyntaxError, OverflowError, SystemError) as e:
        print(type(e).__name__, e)

n = lambda s, c=ast.Load(): ast.Name(s, c, **L)
check(ast.Module([ast.Expr(ast.Name("x", ast.Load()))], []))
check(ast.Module([ast.Expr(ast.Name("x", ast.Load()), **L)], []))
check(ast.Module([ast.Expr(n("x"), **L)]))
check(ast.Module([ast.Expr(3, **L)], []))
check(ast.Module([3], []))
check(ast.Module(3, []))
check(ast.Module([None], []))
check(ast.Module([ast.Expr(None, **L)], []))
check(ast.Module([ast.Expr(ast.Name(3, ast.Load(), **L), **L)], []))
check(ast.Module([ast.Expr(n("x", ast.Store()), **L)], []))
check(ast.Module([ast.Expr(ast.Name("x", 5, **L), **L)], []))
check(ast.Module([ast.Expr(ast.Name("x", None, **L), **L)], []))
check(ast.Module([ast.Expr(ast.Constant([1], **L), **L)], []))
check(ast.Module([ast.Expr(ast.Constant(1, kind=3, **L), **L)], []))
check(ast.Module([ast.Expr(ast.Name("x", ast.Load(), lineno="a", col_offset=0), **L)], []))
check(ast.Module([ast.Expr(ast.Name("x", ast.Load(), lineno=2**70, col_offset=0), **L)], []))
check(ast.Module([ast.Expr(ast.BinOp(None, ast.Add(), n("y"), **L), **L)], []))
check(ast.Module([ast.Expr(ast.BinOp(n("x"), None, n("y"), **L), **L)], []))
check(ast.Module([ast.FunctionDef("f", 3, [ast.Pass(**L)], [], **L)], []))
check(ast.Expression(n("x")), "exec")
check(ast.Module([], []), "eval")
check(n("x"), "eval")
check(ast.Module([ast.Expr(n("x"), **L)], []), "single")
check(ast.Interactive([ast.Expr(n("x"), **L)]), "single")
check(5)
check(ast.Module([ast.Expr(n("None"), **L)], []))
check(ast.Module([ast.Assign([n("x")], n("y"), **L)], []))
check(ast.Module([ast.Assign([], n("y"), **L)], []))
check(ast.Module([ast.Assign([ast.Constant(1, **L)], n("y"), **L)], []))
check(ast.Module([ast.Delete([n("x")], **L)], []))
check(ast.Module([ast.Expr(ast.BoolOp(ast.And(), [n("x")], **L), **L)], []))
check(ast.Module([ast.Expr(ast.Compare(n("x"), [ast.Eq()], [], **L), **L)], []))
check(ast.Module([ast.Expr(ast.Compare(n("x"), [ast.Eq(), ast.Lt()], [n("y")], **L), **L)], []))
check(ast.Module([ast.Expr(ast.Dict([n("x")], [], **L), **L)], []))
check(ast.Module([ast.Expr(ast.ListComp(n("x"), [], **L), **L)], []))
check(ast.Module([ast.Try([ast.Pass(**L)], [], [], [], **L)], []))
check(ast.Module([ast.Try([ast.Pass(**L)], [], [ast.Pass(**L)], [ast.Pass(**L)], **L)], []))
check(ast.Module([ast.If(n("x"), [], [], **L)], []))
check(ast.Module([ast.FunctionDef("f", ast.arguments([], [], None, [], [], None, [n("x")]), [ast.Pass(**L)], [], **L)], []))
check(ast.Module([ast.FunctionDef("f", ast.arguments([], [], None, [ast.arg("a", **L)], [], None, []), [ast.Pass(**L)], [], **L)], []))
check(ast.Module([ast.Raise(None, n("x"), **L)], []))
check(ast.Module([ast.Import([], **L)], []))
check(ast.Module([ast.AnnAssign(ast.Attribute(n("x"), "y", ast.Store(), **L), n("int"), None, 1, **L)], []))
check(ast.Module([ast.With([], [ast.Pass(**L)], **L)], []))
check(ast.Module([ast.Expr(ast.FormattedValue(n("x"), 7, None, **L), **L)], []))
for args in [("x", "<t>", "bogus"), ("x", "<t>", "exec", 0x40000000), (ast.Module([], []), "<t>", "func_type"),
             ("x", "<t>", "func_type"), ("x", "<t>", "exec", 0, False, 7), (3, "<t>", "exec"), ("x\0", "<t>", "exec")]:
    try:
        compile(*args)
        print("ok")
    except (TypeError, ValueError, SyntaxError) as e:
        print(type(e).__name__, e)
