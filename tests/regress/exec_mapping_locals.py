# exec with a non-dict mapping as locals: annotations, import *, dir().
class NS:
    def __init__(self):
        self.d = {}
    def __getitem__(self, k):
        return self.d[k]
    def __setitem__(self, k, v):
        self.d[k] = v
    def __delitem__(self, k):
        del self.d[k]
    def keys(self):
        return self.d.keys()

ns = NS()
exec("x: int = 1\ny = x + 1\nfrom math import *\nnames = dir()", {}, ns)
print(ns.d["__annotations__"], ns.d["y"], "pi" in ns.d, "names" in ns.d, "x" in ns.d["names"])

import types
m = types.ModuleType("m")
m.__all__ = ["a", 3]
m.a = 1
import sys
sys.modules["m"] = m
try:
    exec("from m import *", {})
except TypeError as e:
    print("TypeError", e)
