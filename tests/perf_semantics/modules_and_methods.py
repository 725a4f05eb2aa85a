# Module attribute caches, class attribute caches (C.x) and method calls
# without bound methods.
import math


def root(v):
    return math.sqrt(v)


for _ in range(10):
    root(4.0)
print(root(9.0))
math.sqrt = lambda v: "patched"
print(root(9.0))
del math.sqrt
try:
    root(9.0)
except AttributeError as e:
    print(type(e).__name__, e)

import sys

m = sys.modules[__name__]
m.f = lambda: 1
def callf():
    return m.f()


for _ in range(5):
    callf()
m.f = lambda: 2
print(callf())


class K:
    LIMIT = 10

    @staticmethod
    def s():
        return "static"

    @classmethod
    def c(cls):
        return cls.__name__


class KSub(K):
    pass


def limits():
    return K.LIMIT, KSub.LIMIT, K.s(), KSub.c()


for _ in range(10):
    limits()
print(limits())
K.LIMIT = 20
print(limits())
KSub.LIMIT = 30
print(limits())


class Meta(type):
    @property
    def LIMIT(cls):
        return "meta property"


class WithMeta(metaclass=Meta):
    LIMIT = 1


print(WithMeta.LIMIT)

# Methods called through LoadMethod: builtin methods, functions stored on
# the instance, callables that are not functions, bound methods passed
# around.
items = []
for i in range(5):
    items.append(i)
print(items, "a,b".split(","), {1: 2}.get(1))


class Holder:
    def __init__(self):
        self.cb = lambda x: x * 2

    def meth(self, x, y=1):
        return x + y


h = Holder()
print(h.cb(4), h.meth(1), h.meth(1, y=5), h.meth(x=2, y=3))
bound = h.meth
print(bound(10))
try:
    h.missing()
except AttributeError as e:
    print(type(e).__name__, e)
try:
    h.meth()
except TypeError as e:
    print(type(e).__name__, e)
try:
    items.append()
except TypeError as e:
    print(type(e).__name__, e)


def gen():
    yield "x".upper()
    yield "y".upper()


print(list(gen()))
print(super(KSub, KSub).c())
