import weakref
class Obj:
    def __init__(self, n): self.n = n
def cb(ref):
    print("callback, ref dead:", ref() is None)
o = Obj(1)
r = weakref.ref(o, cb)
print(r() is o, r().n, weakref.getweakrefcount(o))
del o
print("after del", r())
o2 = Obj(2)
p = weakref.proxy(o2)
print(p.n)
del o2
try:
    p.n
except ReferenceError as e:
    print("ReferenceError", e)
wd = weakref.WeakValueDictionary()
k = Obj(3)
wd["k"] = k
print(len(wd))
del k
print(len(wd))
ws = weakref.WeakSet()
items = [Obj(i) for i in range(3)]
for it in items:
    ws.add(it)
print(len(ws))
items.pop()
print(len(ws))
fin = Obj(4)
weakref.finalize(fin, print, "finalizer ran")
del fin
print("done")
