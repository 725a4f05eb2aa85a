class S:
    __slots__ = ("x", "y")
    def __init__(self): self.x = 1
s = S()
print(s.x, hasattr(s, "__dict__"), type(S.x).__name__)
try:
    s.z = 3
except AttributeError as e:
    print(e)
try:
    s.y
except AttributeError as e:
    print(e)
s.y = 5
del s.x
print(s.y, hasattr(s, "x"))
class T(S):
    pass
t = T()
t.z = 5
print(t.z, t.__dict__)
class U(S):
    __slots__ = ("w", "__dict__")
u = U()
u.w, u.q = 1, 2
print(u.w, u.q, sorted(U.__slots__))
class Weak:
    __slots__ = ("__weakref__",)
import weakref
w = Weak()
print(weakref.ref(w)() is w)
try:
    weakref.ref(s)
except TypeError as e:
    print(e)
try:
    class Conflict:
        __slots__ = ("a",)
        a = 1
except ValueError as e:
    print(e)
