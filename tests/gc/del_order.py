import gc
import _weakref

class Noisy:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("del", self.name)

# __del__ runs before the weakref callbacks of the object
n = Noisy("first")
w = _weakref.ref(n, lambda r: print("callback after __del__, referent gone:", r() is None))
del n

# members of a container go in order when it is freed
lst = [Noisy("a"), Noisy("b"), Noisy("c")]
del lst
t = (Noisy("t1"), Noisy("t2"))
t = None
d = {1: Noisy("v1"), 2: Noisy("v2")}
del d

# attributes go when the instance goes
class Holder:
    pass
h = Holder()
h.x = Noisy("attr x")
h.y = Noisy("attr y")
del h

# resurrection on the refcount path: __del__ runs once only
keep = []
class Phoenix:
    def __del__(self):
        print("Phoenix.__del__")
        keep.append(self)
p = Phoenix()
del p
print("resurrected:", len(keep))
print(gc.is_finalized(keep[0]))
keep.pop()
print("dropped again without a second __del__")

# exceptions in __del__ are reported to sys.unraisablehook
import sys
def hook(u):
    print("unraisable:", type(u.exc_value).__name__, u.exc_value, u.object is Bad.__del__, u.err_msg)
sys.unraisablehook = hook
class Bad:
    def __del__(self):
        raise ValueError("in __del__")
b = Bad()
del b
print("continues after exception in __del__")

# finalizers of a collected cycle run once, then the cycle is cleared
gc.disable()
class Pair:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("Pair.__del__", self.name, "partner still set:", self.partner.name)
a, b = Pair("a"), Pair("b")
a.partner, b.partner = b, a
wa = _weakref.ref(a, lambda r: print("weakref to a cleared before finalizers"))
del a, b
print("collect ->", gc.collect())
print(wa())

# an object in a cycle resurrected by its finalizer survives the
# collection; the next collection frees it without calling __del__ again
saved = []
class Saver:
    def __del__(self):
        print("Saver.__del__")
        saved.append(self)
s = Saver()
s.me = s
del s
print("collect ->", gc.collect(), len(saved))
saved.pop()
print("collect ->", gc.collect())
gc.enable()

print("end of module")
