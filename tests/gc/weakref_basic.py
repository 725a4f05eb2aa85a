import _weakref
import gc

class C:
    pass

def show(f):
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)

c = C()
r = _weakref.ref(c)
print(r() is c, r is _weakref.ref(c), _weakref.getweakrefcount(c))
print(type(r), type(r).__name__, type(r).__module__)
print(_weakref.ref is _weakref.ReferenceType)
print(r.__callback__)
show(lambda: _weakref.ref())
show(lambda: _weakref.ref(c, None, 3))
show(lambda: r(1))
show(lambda: _weakref.ref(c, callback=None))
show(lambda: _weakref.ref(1))
show(lambda: _weakref.ref("s"))
show(lambda: _weakref.ref((1, 2)))
show(lambda: _weakref.ref([]))
show(lambda: _weakref.ref({}))
show(lambda: _weakref.ref(r))
show(lambda: _weakref.ref(ValueError()))
show(lambda: r < r)
show(lambda: _weakref.getweakrefcount())
show(lambda: _weakref.getweakrefs(1))
show(lambda: _weakref.getweakrefcount(1))

def f():
    pass

for obj in [f, C, gc]:
    w = _weakref.ref(obj)
    print("weakly referenced:", w() is obj)

# equality and hashing follow the referent while it lives
cb_print = lambda w: print("r2 callback", w is r2)
r2 = _weakref.ref(c, cb_print)
print(r == r2, r != r2, hash(r) == hash(c), hash(r2) == hash(r))
print(r2.__callback__ is cb_print)
d = _weakref.ref(C())
print(d() is None, d == d, d != r)
show(lambda: hash(d))
h = hash(r)
print(_weakref.getweakrefcount(c), len(_weakref.getweakrefs(c)))
del c
print(r(), r2(), hash(r) == h, r == r2)
print(r2.__callback__)

# callbacks: most recent first, each gets its weakref, after the
# referent is cleared
class Target:
    def __init__(self, name):
        self.name = name

t = Target("t")
log = []
w1 = _weakref.ref(t, lambda w: log.append(("cb1", w is w1, w())))
w2 = _weakref.ref(t, lambda w: log.append(("cb2", w is w2, w())))
w3 = _weakref.ref(t)
print(_weakref.getweakrefcount(t))
del t
print(log)

# a weakref dying before its referent: no callback
t = Target("u")
w = _weakref.ref(t, lambda w: print("never"))
del w
del t
print("no callback for a dead weakref")

# callback errors are reported, not raised
import sys
def hook(u):
    print("unraisable:", type(u.exc_value).__name__, u.exc_value, u.object is bad_cb)
sys.unraisablehook = hook
def bad_cb(w):
    raise KeyError(5)
t = Target("v")
w = _weakref.ref(t, bad_cb)
del t
print("continues")

# proxies
class P:
    def __init__(self):
        self.x = 1
    def meth(self):
        return "meth"
    def __call__(self, a):
        return a * 2
    def __len__(self):
        return 3

o = P()
p = _weakref.proxy(o)
print(type(p).__name__, p.x, p.meth(), p(21), bool(p))
p.y = 5
print(o.y)
print(type(_weakref.proxy(C())) is _weakref.ProxyType)
print(type(p) is _weakref.CallableProxyType)
show(lambda: hash(p))
show(lambda: _weakref.proxy())
print(_weakref.getweakrefcount(o), _weakref.proxy(o) is p)
del o
show(lambda: p.x)
show(lambda: p(1))

# _remove_dead_weakref removes only dead entries
t1, t2 = Target("a"), Target("b")
dd = {"a": _weakref.ref(t1), "b": _weakref.ref(t2)}
del t1
_weakref._remove_dead_weakref(dd, "a")
_weakref._remove_dead_weakref(dd, "b")
_weakref._remove_dead_weakref(dd, "missing")
print("a" in dd, "b" in dd, len(dd))
