import gc
class Node:
    def __init__(self, name):
        self.name = name
        self.other = None
    def __del__(self):
        print("del", self.name)
gc.disable()
a, b = Node("a"), Node("b")
a.other, b.other = b, a
del a, b
print("cycle unreachable, not yet collected")
n = gc.collect()
print("collected something:", n > 0)
l = []
l.append(l)
del l
print(gc.collect() >= 1)
import weakref
class C: pass
x = C()
x.self = x
r = weakref.ref(x, lambda ref: print("weakref callback from gc"))
del x
print("before collect", r() is not None)
gc.collect()
print("after collect", r())
gc.enable()
print(gc.isenabled())
