# A function cleared by the collector (tp_clear) keeps a consistent state:
# its names read as '' (CPython's func_clear, bpo gh-91636); an assigned
# __qualname__ shows in the repr.
import gc
import re
import weakref


def show(f):
    return re.sub(r"0x[0-9a-f]+", "ADDR", repr(f))


def g():
    pass


g.__qualname__ = "renamed"
print(show(g), g.__name__)


class LateFin:
    __slots__ = ("ref",)

    def __del__(self):
        global func
        func = self.ref()


class Cyclic(tuple):
    __slots__ = ()

    def __del__(self):
        self[1].ref = weakref.ref(self[0])
        global latefin
        del latefin


latefin = LateFin()


def func():
    pass


cyc = tuple.__new__(Cyclic, (func, latefin))
func.__module__ = cyc
del func, cyc
gc.collect()
print("func=%s" % show(func))
print(repr(func.__name__), repr(func.__qualname__))
