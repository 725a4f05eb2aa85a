# Cycles through dict views, dict iterators and set iterators are
# collected; dict.fromkeys from a dict or set reuses the stored hashes;
# int.__hash__ called from a subclass's __hash__; partial subclasses keep
# their attributes through copy and __setstate__; deleting a function's
# __module__ leaves None.
import copy
import functools
import gc
import weakref


class C:
    pass


for make in (dict.items, dict.values, dict.keys, lambda d: d):
    obj = C()
    ref = weakref.ref(obj)
    container = {obj: 1}
    obj.v = make(container)
    obj.x = iter(obj.v)
    del obj, container
    gc.collect()
    print("dict cycle collected", ref() is None)

for kind in (set, frozenset):
    obj = C()
    ref = weakref.ref(obj)
    container = kind([obj, 1])
    obj.x = iter(container)
    del obj, container
    gc.collect()
    print(kind.__name__, "iterator cycle collected", ref() is None)


class HashCountingInt(int):
    def __init__(self, *args):
        self.hash_count = 0

    def __hash__(self):
        self.hash_count += 1
        return int.__hash__(self)


d = dict.fromkeys(map(HashCountingInt, range(10)))
print(sum(e.hash_count for e in d))
s = set(d)
s.difference(d)
s.symmetric_difference_update(d)
dict.fromkeys(set(d))
dict.fromkeys(frozenset(d), 123)
dict.fromkeys(d)
print(sum(e.hash_count for e in d), hash(HashCountingInt(5)) == hash(5))
print(dict.fromkeys(frozenset([3]), 1), dict.fromkeys({"a": 1}.keys(), 0))


class OD(dict):
    pass


print(type(OD.fromkeys({1, 2})).__name__, sorted(OD.fromkeys({1, 2})))


def capture(*args, **kw):
    return args, kw


def signature(part):
    return (part.func, part.args, part.keywords, part.__dict__)


class P(functools.partial):
    pass


f = P(capture, 1, a=2)
f.attr = []
g = copy.copy(f)
print(g.attr is f.attr, g(3), type(g).__name__)
h = copy.deepcopy(f)
print(h.attr == [], h.attr is f.attr)
f.__setstate__((capture, (1,), dict(a=10), dict(attr=[])))
print(signature(f)[1:], f.attr, f(2, b=20))
f.__setstate__((capture, (1,), dict(a=10), None))
print(signature(f)[1:], f(2, b=20))


def fn():
    "doc"


del fn.__module__
print(fn.__module__)
del fn.__doc__
print(fn.__doc__)
try:
    del fn.__name__
except TypeError as e:
    print(type(e).__name__)


class Holder:
    pass


for kind in (set, frozenset):
    obj = Holder()
    ref = weakref.ref(obj)
    obj.s = kind([obj])
    del obj
    gc.collect()
    print(kind.__name__, "cycle collected", ref() is None)
