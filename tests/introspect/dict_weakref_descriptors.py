import weakref
class A:
    def meth(self): pass
print(sorted(A.__dict__))
a = A(); a.x = 1
print(a.__dict__, A.__dict__['__dict__'].__get__(a))
a.__dict__ = {'y': 2}
print(a.y, vars(a))
print(a.__weakref__)
r = weakref.ref(a)
print(a.__weakref__ is r)
class E(Exception): pass
print(sorted(E.__dict__))
class S: __slots__ = ()
class T(S): pass
print(sorted(T.__dict__))
class U(S): __slots__ = ('__dict__',)
print(sorted(U.__dict__))
class W(S): __slots__ = ('__weakref__',)
print(sorted(W.__dict__))
for cls in [S, T, U, W]:
    try: weakref.ref(cls()); print(cls.__name__, 'weakrefable')
    except TypeError as e: print(e)
class B(A): pass
print(sorted(B.__dict__))
print(type(A.__dict__['__dict__']).__name__, A.__dict__['__weakref__'].__qualname__)
try: A.__dict__['__dict__'].__get__(1)
except TypeError as e: print(e)
class I(int): pass
print(sorted(I.__dict__))
