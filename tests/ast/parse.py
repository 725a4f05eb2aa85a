# ast.parse in every mode, dump, unparse, literal_eval and the helpers.
import ast

src = '''
"""Doc."""
import os, sys as system
from . import rel
from ..pkg import (a as b, c)

@decorator(1)
async def f(a, /, b: int = 2, *args, c, d=4, **kw) -> "ret":
    """Function doc."""
    global g
    x = [i async for i in aiter() if i]
    async with ctx() as (p, q):
        await something
    return x

class C(Base, metaclass=Meta):
    attr: int = 5
    def m(self):
        nonlocal_ = lambda x, *y, z=1: (yield)
        del self.attr, self[1:2:3]
        try:
            raise ValueError("x") from None
        except* (TypeError, KeyError) as e:
            pass
        else:
            pass
        finally:
            pass

for i, j in enumerate(range(10)):
    if i: continue
    elif j: break
    else: pass
else:
    x += 1; y **= 2
while not x: x = x if y else -z
with open("f") as fh, other(): print(f"{x!r:>{w}} {y=} {{}}", u"u", b"b", rb'\\d')
match point:
    case Point(x=0, y=0) | [1, 2, *rest] | {"k": v, **kw} if v > 0:
        pass
    case None | True | 1.5 | -3 | 2 + 3j | "s" as z:
        pass
    case _:
        pass
s = {1, 2}; d = {**a, 'b': 1}; g = (i for i in x); sc = {i for i in x}; dc = {k: v for k, v in x}
assert a is not b, "msg"
v = a if b else c; w = (n := 10); z = a[1, 2:3, ...]; q = not a and b or c
print(*args, **kwargs, sep="")
e = 1 < 2 <= 3 != 4 in [5] not in () is None
t = 0xFF + 1_000 + 1e10 + 10j + 0o17 + 0b1 + 123456789012345678901234567890
'''
tree = ast.parse(src)
print(ast.dump(tree, include_attributes=True))
print(ast.dump(tree, indent=1)[:600])
print(ast.unparse(tree))
print(ast.unparse(ast.parse(ast.unparse(tree))) == ast.unparse(tree))

print(ast.dump(ast.parse("x + 1", mode="eval"), include_attributes=True))
print(ast.dump(ast.parse("x = 1; y = 2", mode="single")))
print(ast.dump(ast.parse("(int, *str) -> List[int]", mode="func_type"), include_attributes=True))
print(ast.dump(ast.parse("() -> None", mode="func_type")))
print(ast.dump(ast.parse("(a) -> b", mode="func_type")))
print(ast.dump(compile(b"x = 1", "<bytes>", "exec", ast.PyCF_ONLY_AST)))

for bad, mode in [("x = ", "exec"), ("  1", "eval"), ("x=1\ny", "single"),
                  ("def f(:", "exec")]:
    try:
        ast.parse(bad, mode=mode)
    except SyntaxError as e:
        print(type(e).__name__, e.msg, e.lineno, e.offset)

# literal_eval
for s in ["1", "-2.5", "1+2j", "'s'", "b'b'", "[1, (2, 3), {4: {5}}]", "set()", "None", "True",
          "{'a': [1, -1]}", "()", "-(1)"]:
    print(repr(ast.literal_eval(s)))
for s in ["x", "1 + x", "f()", "[1, 2] + [3]", "{1: }"]:
    try:
        ast.literal_eval(s)
    except (ValueError, SyntaxError) as e:
        print(type(e).__name__, str(e).split(" at 0x")[0])

# walk, visitors, transformers, helpers
t = ast.parse("def f(x):\n    '''doc'''\n    return x * 2 + y\n")
print(sorted({type(n).__name__ for n in ast.walk(t)}))

class Names(ast.NodeVisitor):
    def __init__(self):
        self.seen = []
    def visit_Name(self, node):
        self.seen.append((node.id, type(node.ctx).__name__))
        self.generic_visit(node)
v = Names()
v.visit(t)
print(v.seen)

class Rename(ast.NodeTransformer):
    def visit_Name(self, node):
        return ast.copy_location(ast.Name(node.id.upper(), node.ctx), node)
    def visit_Constant(self, node):
        return ast.Constant(node.value * 10)
t2 = ast.fix_missing_locations(Rename().visit(t))
print(ast.unparse(t2))
ast.increment_lineno(t2, 5)
print(t2.body[0].lineno, t2.body[0].body[1].value.lineno)
s = "a = 1\nb = foo(\n  a)\n"
tt = ast.parse(s)
print(repr(ast.get_source_segment(s, tt.body[1].value)))
print([(k, type(v).__name__) for k, v in ast.iter_fields(ast.parse("x").body[0])])
print([type(n).__name__ for n in ast.iter_child_nodes(tt.body[1])])
