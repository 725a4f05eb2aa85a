print(eval("1 + 2 * 3"), eval("  x + 1", {"x": 41}), eval("y", {}, {"y": "local"}))
g = {"a": 1}
exec("b = a + 1\ndef f():\n    return b * 10\nc = f()", g)
print(g["b"], g["c"], "__builtins__" in g)
l = {}
exec("z = 5", {}, l)
print(l)
code = compile("q = 7\nprint('compiled', q)", "<mine>", "exec")
exec(code)
print(eval(compile("3 * 4", "<e>", "eval")), type(code).__name__)
def scope():
    local_var = 3
    return eval("local_var + 1")
print(scope())
exec("top_level_name = 99")
print(top_level_name)
for src in ["1 +", "x = (", "def f(:\n  pass"]:
    try:
        compile(src, "<src>", "exec")
    except SyntaxError as e:
        print(type(e).__name__, e.msg, e.filename, e.lineno)
for bad in ["compile('x', 'f', 'bad')", "eval(1)", "exec(1)", "eval('x', 1)", "eval('x', {}, 1)", "eval('undefined_thing')"]:
    try:
        eval(bad)
    except (TypeError, ValueError, NameError) as e:
        print(bad, type(e).__name__, e)
def f():
    a = 1
    b = "two"
    return locals()
print(f(), globals()["f"] is f, globals() is globals())
