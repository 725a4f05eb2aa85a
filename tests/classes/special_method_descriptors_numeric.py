# Special methods found on the type through a descriptor that is not a
# function (as unittest.mock's MagicProxy): bound through __get__; and
# isinstance() falling back to an overridden __class__.


class D:
    def __get__(self, obj, t=None):
        return lambda *a: ("bound", type(obj).__name__, len(a))


class Num:
    def __get__(self, obj, t=None):
        return lambda: 7


class C:
    __getitem__ = D()
    __setitem__ = D()
    __delitem__ = D()
    __abs__ = D()


class N:
    __int__ = Num()
    __index__ = Num()
    __float__ = Num()


c = C()
print(c[1])
c[1] = 2
del c[1]
print(abs(c))
n = N()
print(int(n), float(n) if False else "skip", hex(n), range(10)[n:][:1])
try:
    float(n)
except TypeError as e:
    print("TypeError", e)


class Proxy:
    @property
    def __class__(self):
        return int


p = Proxy()
print(isinstance(p, int), isinstance(p, Proxy), isinstance(p, (str, int)), isinstance(p, str))
print(type.__instancecheck__(int, p), int.__instancecheck__(p))


class Meta(type):
    pass


class M(metaclass=Meta):
    pass


class P2:
    __class__ = M


print(isinstance(P2(), M))


class Broken:
    @property
    def __class__(self):
        raise AttributeError("no")


print(isinstance(Broken(), int), isinstance(Broken(), Broken))


class Bad:
    @property
    def __class__(self):
        raise ValueError("boom")


try:
    isinstance(Bad(), int)
except ValueError as e:
    print("ValueError", e)

from unittest import mock
import asyncio
import inspect

m = mock.MagicMock()
print(int(m), float(m), len(m), m[0] is not None)
print(isinstance(mock.Mock(spec=int), int))
print(isinstance(mock.AsyncMock(asyncio.Future), asyncio.Future))


def f():
    pass


print(inspect.iscoroutinefunction(mock.AsyncMock(f)))


def g():
    yield 1


x = g()
for args in ((Exception, Exception("e"), 32), (Exception("e"), Exception("e")), (list,)):
    try:
        x.throw(*args)
    except Exception as e:
        print(type(e).__name__, e)


# __del__ is inherited by subclasses (also through a failing __init__).
class A:
    def __del__(self):
        print("del", type(self).__name__)


class B(A):
    pass


class C2(B):
    def __init__(self):
        super().__init__()


a = A()
del a
b = B()
del b
c2 = C2()
del c2


class E(A):
    def __init__(self):
        raise ValueError


try:
    E()
except ValueError:
    pass
import gc

gc.collect()
print("end")
