import builtins
def mylen(x): return 42
b = dict(vars(builtins)); b['len'] = mylen
g = {'__builtins__': b}
exec("r = len([1,2])", g); print(g['r'])
exec("def f(): return len([])\nr2 = f()", g); print(g['r2'])
print(eval("len('ab')", {'__builtins__': b}))
g2 = {'__builtins__': {}}
try:
    exec("print(1)", g2)
except NameError as e:
    print("NameError", e)
import types
m = types.ModuleType("fake"); m.len = lambda x: -1; m.__import__ = builtins.__import__
g3 = {'__builtins__': m}
exec("r = len('x')", g3); print(g3['r'])
g4 = {}
exec("pass", g4); print(g4['__builtins__'] is builtins.__dict__ or g4['__builtins__'] is builtins)
g5 = {'__builtins__': {'__import__': builtins.__import__}}
try:
    exec("import os; x = abs(1)", g5)
except NameError as e: print("NameError", e)
# functions created in exec keep their builtins
g6 = {'__builtins__': b}
exec("def h(): return len('zzz')", g6)
print(g6['h']())
print(g6['h'].__builtins__ is b)
