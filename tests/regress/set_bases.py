# Assigning a class's __bases__: CPython's checks, new MRO for it and its subclasses.
class A: x = 1
class B: x = 2
class C(A): pass
class D(C): pass
def t(f):
    try:
        f(); print("ok")
    except Exception as e:
        print(type(e).__name__, e)
def setb(c, v):
    c.__bases__ = v
print(D.x, C.__mro__)
setb(C, (B,))
print(D.x, C.x, C.__bases__, C.__mro__, D.__mro__, A.__subclasses__(), B.__subclasses__())
t(lambda: setb(C, [A]))
t(lambda: setb(C, ()))
t(lambda: setb(C, (1,)))
t(lambda: setb(C, (D,)))
t(lambda: setb(C, (C,)))
t(lambda: setb(int, (object,)))
t(lambda: setb(C, (int,)))
t(lambda: setb(C, (A, A)))
def dl(c): del c.__bases__
t(lambda: dl(C))
t(lambda: dl(int))
class E(Exception): pass
t(lambda: setb(E, (ValueError,)))
print(E.__mro__)
class X(A, B): pass
t(lambda: setb(X, (B, A)))
print(X.__mro__, X.x)
class Y(A): pass
class Z(B, Y): pass
t(lambda: setb(Y, (B,)))
print(Y.__mro__, Z.__mro__)
class F(int): pass
t(lambda: setb(F, (A,)))
class G(A):
    def __eq__(self, o): return True
class H: pass
t(lambda: setb(H, (G,)))
class H2(A): pass
setb(H2, (G,))
print(H2() == 3, H2.__hash__, H2.x)


# typing.NamedTuple's class syntax assigns __bases__.
from typing import NamedTuple


class Point(NamedTuple):
    x: int
    y: int = 0


p = Point(1)
print(p, p._replace(y=5), Point.__bases__, Point.__mro__, isinstance(p, tuple))


# A metaclass's mro() is used; when it fails, every MRO is restored.
class WorkOnce(type):
    def __new__(self, name, bases, ns):
        self.flag = 0
        return super(WorkOnce, self).__new__(WorkOnce, name, bases, ns)

    def mro(self):
        if self.flag > 0:
            raise RuntimeError("bozo")
        self.flag += 1
        return type.mro(self)


class C0:
    pass


class C2:
    pass


class D0(C0):
    pass


class E0(D0):
    pass


class F0(D0, metaclass=WorkOnce):
    pass


before = (D0.__mro__, E0.__mro__)
try:
    D0.__bases__ = (C2,)
except RuntimeError as e:
    print("RuntimeError", e)
print((D0.__mro__, E0.__mro__) == before, D0.__bases__)


class Rev(type):
    def mro(cls):
        return [cls, object]


class R(A, metaclass=Rev):
    pass


R.__bases__ = (B,)
print(R.__mro__)
