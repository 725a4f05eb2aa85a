import gc, sys, _weakref
def hook(u):
    print("unraisable:", type(u.exc_value).__name__, u.exc_value, u.object is Bad.__del__)
sys.unraisablehook = hook
class Bad:
    def __del__(self):
        raise ValueError("in __del__")
b = Bad()
del b
gc.disable()
class A: pass
a=A(); b=A(); a.o=b; b.o=a
del a,b
print(gc.collect())
a=A(); a.o=a; a.__dict__
del a
print(gc.collect())
l=[]; l.append(l); del l
print(gc.collect())
def f(): pass
f.x = f
del f
print(gc.collect())
class D:
    def __del__(self): print("del D")
d=D(); d.s=d; del d
print(gc.collect())
saved=[]
class R:
    def __del__(self): saved.append(self); print("del R")
r=R(); r.s=r; del r
print(gc.collect())
saved.pop()
print(gc.collect())
a=A(); b=R(); a.b=b; b.a=a; del a,b
print(gc.collect(), len(saved))
saved.pop()
print(gc.collect())
class C: pass
x=C(); x.s=x
w=_weakref.ref(x, lambda r: print("cb", r()))
del x
print(gc.collect())
x=C(); x.s=x; x.w=_weakref.ref(x, lambda r: print("cb2"))
del x
print(gc.collect())
a=A()
r1 = _weakref.ref(a, lambda r: print("cb1")); r2 = _weakref.ref(a, lambda r: print("cb2")); r3=_weakref.ref(a)
print(r3 is _weakref.ref(a), _weakref.getweakrefcount(a))
del a
print("end")
