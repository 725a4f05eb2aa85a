code = compile("a * 2", "<expr>", "eval")
print(type(code).__name__, eval(code, {"a": 21}), code.co_filename, code.co_name)
c2 = compile("x = 1\ny = x + 1\n", "<stmts>", "exec")
ns = {}
print(exec(c2, ns), ns["y"], "__builtins__" in ns)
c3 = compile("1 + 1", "<single>", "single")
exec(c3)
print(eval("[i for i in range(3)]"), eval("len('abc')", {"__builtins__": {"len": len}}))
try:
    eval("len('a')", {"__builtins__": {}})
except NameError as e:
    print(e)
print(eval(" 1 + 1 "), eval(b"2 * 3"))
exec("def sq(v): return v * v", globals())
print(sq(9))
try:
    eval("x = 1")
except SyntaxError as e:
    print("SyntaxError:", e.msg)
try:
    compile("a", "f", "bogus")
except ValueError as e:
    print(e)
import ast
tree = compile("1 + 2", "<ast>", "eval", ast.PyCF_ONLY_AST)
print(type(tree).__name__, ast.dump(tree))
print(eval(compile(tree, "<ast>", "eval")))
