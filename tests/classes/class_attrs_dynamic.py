class C:
    a = 1
c = C()
C.b = 2
print(c.a, c.b)
c.a = 10
print(c.a, C.a)
del c.a
print(c.a)
setattr(C, "m", lambda self: "added method")
print(c.m(), getattr(c, "a"), hasattr(C, "zz"))
delattr(C, "b")
print(hasattr(c, "b"))
print(sorted(k for k in C.__dict__ if not k.startswith("__")), type(C.__dict__).__name__)
try:
    C.__dict__["x"] = 1
except TypeError as e:
    print(e)
try:
    object().x = 1
except AttributeError as e:
    print(e)
c.__class__ = type("Other", (), {"m": lambda self: "other"})
print(c.m(), type(c).__name__)
class Outer:
    class Inner:
        def f(self): pass
print(Outer.Inner.__qualname__, Outer.Inner.f.__qualname__)
