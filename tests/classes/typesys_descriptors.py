# property, classmethod, staticmethod, super, __slots__ members.

def show(f):
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)

class Temp:
    def __init__(self):
        self._c = 0
    @property
    def c(self):
        "celsius"
        return self._c
    @c.setter
    def c(self, v):
        print("set", v)
        self._c = v
    @c.deleter
    def c(self):
        print("deleted")
    @property
    def f(self):
        return self._c * 9 / 5 + 32
    g = property(lambda self: "g", doc="explicit doc")
    nothing = property()
t = Temp()
t.c = 100
print(t.c, t.f, t.g, Temp.c.__doc__, Temp.g.__doc__, type(Temp.c).__name__)
del t.c
print(Temp.c.fget.__name__, Temp.c.fset.__name__, Temp.f.fset, Temp.f.fdel)
show(lambda: setattr(t, "f", 1))
def delf():
    del t.f
show(delf)
show(lambda: t.nothing)
loose = property()
Temp.loose = loose
show(lambda: t.loose)
show(lambda: loose.__get__(1))
print(loose.__get__(None, int) is loose)

class P2(property):
    pass
class UsesP2:
    @P2
    def v(self):
        return "p2"
    @v.setter
    def v(self, x):
        print("P2 set", x)
u = UsesP2()
u.v = 3
print(u.v, type(UsesP2.__dict__["v"]).__name__)

class C:
    n = 0
    @classmethod
    def inc(cls, by=1):
        cls.n += by
        return cls.n
    @staticmethod
    def add(a, b):
        return a + b
    @classmethod
    @property
    def cp(cls):
        return "classprop " + cls.__name__
class D(C):
    pass
print(C.inc(), C().inc(2), D.inc(), C.n, D.n, C.add(1, 2), C().add(3, 4), D.cp)
print(C.inc.__self__ is C, D().inc.__self__ is D, C.__dict__["add"].__func__(5, 6))
sm = staticmethod(len)
cm = classmethod(len)
print(sm("abc"), callable(sm), callable(cm), repr(sm), repr(cm), sm.__func__ is len)
show(lambda: staticmethod())
show(lambda: classmethod(1, 2))

class Base:
    def __init__(self):
        self.log = ["Base"]
    def who(self):
        return "Base.who"
    @classmethod
    def make(cls):
        return "made " + cls.__name__
class Mid(Base):
    def __init__(self):
        super().__init__()
        self.log.append("Mid")
    def who(self):
        return "Mid>" + super().who()
class Leaf(Mid):
    def __init__(self):
        super(Mid, self).__init__()
        self.log.append("Leaf")
    def who(self):
        return "Leaf>" + super().who()
    @classmethod
    def make(cls):
        return "Leaf " + super().make()
print(Mid().log, Leaf().log, Leaf().who(), Leaf.make(), super(Leaf, Leaf()).who())
s = super(Mid, Leaf())
print(type(s).__name__, s.__thisclass__.__name__, type(s.__self__).__name__, s.__self_class__.__name__)
print(repr(super(Mid)), super(Mid, Leaf).make(), super(Leaf, Leaf).who(Leaf()))
show(lambda: super(Mid, 1))
show(lambda: super(1, 1))
show(lambda: super())
show(lambda: super(Leaf, Leaf()).nothing)
def outside(self):
    return super().who()
show(lambda: outside(Leaf()))
def noargs():
    return super()
show(noargs)
class G:
    def __getattr__(self, name):
        return "G.getattr:" + name
class H(G):
    def get(self):
        return super().anything
show(lambda: H().get())
print(H().other)

class Cell:
    def m(self):
        self = None
        return super().__class__
class CellArg:
    def m2(self):
        return "base m2"
class CellArg2(CellArg):
    def m2(self):
        def inner():
            return self
        return "sub>" + super().m2() + " " + str(inner() is self)
show(lambda: Cell().m())
print(CellArg2().m2())

class S:
    __slots__ = ("x", "y")
    def __init__(self):
        self.x = 1
s = S()
print(s.x, hasattr(s, "__dict__"), type(S.x).__name__, repr(S.y), S.__slots__)
show(lambda: setattr(s, "z", 3))
show(lambda: s.y)
s.y = 5
del s.x
print(s.y, hasattr(s, "x"))
def dely():
    del s.x
show(dely)
class T(S):
    pass
t2 = T()
t2.z = 5
print(t2.z, t2.x, t2.__dict__)
class U(S):
    __slots__ = ("w", "__dict__")
uu = U()
uu.w = 1
uu.q = 2
print(uu.w, uu.q, uu.__dict__)
class OneSlot:
    __slots__ = "only"
o = OneSlot()
o.only = 1
print(o.only, OneSlot.__slots__)
try:
    class Conflict:
        __slots__ = ("a",)
        a = 1
except ValueError as e:
    print(e)
show(lambda: S.x.__get__(1))
