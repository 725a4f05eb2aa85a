# ast.parse(..., type_comments=True, feature_version=...): type comments on
# defs, parameters, assignments, for and with; type: ignore comments; the
# syntax each feature_version rejects; mode='func_type'.
import ast


def show(src, **kw):
    try:
        tree = ast.parse(src, **kw)
    except SyntaxError as e:
        print("SyntaxError:", e.msg, e.lineno)
        return None
    print(ast.dump(tree))
    return tree


show("def f(a,  # type: int\n      *b,  # type: str\n      **c  # type: bool\n      ):\n    # type: (...) -> None\n    pass\n",
     type_comments=True)
show("def f():  # type: () -> int\n    return 1\n", type_comments=True)
show("def f():  # type: () -> int\n    # type: () -> str\n    return 1\n", type_comments=True)
show("x = []  # type: List[int]\nfor i in x:  # type: int\n    pass\nwith a as b:  # type: T\n    pass\n",
     type_comments=True)
show("x = 1  # type: int\n")
show("x = 1  # type: ignore[attr]\ny = 2  #type:ignore\n# type: ignore\n", type_comments=True)
show("pass  # type: int\n", type_comments=True)
show("def f(\n    *, # type: int\n    a, # type: int\n):\n    pass\n", type_comments=True)
show("pass  # type: ignored\n", type_comments=True)
show("async def f():\n    async for x in y:  # type: int\n        await z\n", type_comments=True)

for v in range(4, 12):
    for src in ["a @ b\n", "f'{x}'\n", "1_000\n", "x: int = 1\n", "(y := 2)\n",
                "def f(a, /): pass\n", "async def f(): pass\n", "with (a as b, c): pass\n",
                "match x:\n case 1: pass\n", "try: pass\nexcept* E: pass\n", "async = 1\n",
                "async def f():\n    await x\n    [i async for i in y]\n"]:
        try:
            ast.parse(src, feature_version=(3, v))
            print(v, repr(src), "ok")
        except SyntaxError as e:
            print(v, repr(src), "SyntaxError:", e.msg)

for src in ["() -> int", "(int, *str, **Any) -> float", "(*int) -> None", "(**int) -> None",
            "(List[int], Dict[str, int]) -> Tuple[int, ...]",
            "(int, *str, *Any) -> float", "(**int, **str) -> float", "(int, **str, Any) -> float", "int -> str"]:
    try:
        t = ast.parse(src, "<unknown>", "func_type")
        print(ast.dump(t))
    except SyntaxError as e:
        print(repr(src), "SyntaxError:", e.msg)

tree = compile("x = 1  # type: int\n", "<s>", "exec", ast.PyCF_ONLY_AST | ast.PyCF_TYPE_COMMENTS)
print(tree.body[0].type_comment)
print(ast.unparse(ast.parse("def f(a):  # type: (int) -> int\n    return a\n", type_comments=True)))
# A tree with type comments compiles.
ns = {}
exec(compile(ast.parse("def f(a,  # type: int\n):\n    return a + 1\nx = f(1)  # type: int\n", type_comments=True), "<t>", "exec"), ns)
print(ns["x"])
