x = 1
g = globals()
g["injected"] = "yes"
print(injected, "x" in g, g is globals())
def f(a):
    b = 2
    return sorted(locals()), sorted(vars())
print(f(1))
class C:
    cv = 1
    def m(self): pass
print(sorted(k for k in vars(C) if not k.startswith("__")))
c = C()
c.i = 2
print(vars(c), "m" in dir(c), "i" in dir(c), "cv" in dir(c), "__class__" in dir(c))
try:
    vars(1)
except TypeError as e:
    print(e)
print(sorted(n for n in dir() if not n.startswith("__")))
import math
print("sqrt" in dir(math), dir([])[:0], "append" in dir(list))
