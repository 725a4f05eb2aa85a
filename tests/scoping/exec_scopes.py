ns = {}
exec("a = 1\ndef f(): return a + 1", ns)
print(ns["a"], ns["f"]())
g, l = {"x": 1}, {}
exec("y = x + 1", g, l)
print(l, "y" in g)
print(eval("x * 10", {"x": 4}))
print(eval("a + b", {"a": 1}, {"b": 2}))
def f():
    loc = {}
    exec("z = 5", globals(), loc)
    return loc["z"]
print(f())
