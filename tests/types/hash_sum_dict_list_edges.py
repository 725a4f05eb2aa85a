# Edge cases: __hash__ results outside the machine range, subclasses of
# unhashable built-ins, sum() refusing bytes starts, dict.update noticing
# a source mutated by __eq__, setdefault hashing once, list equality when
# __eq__ empties an operand, re.Pattern/re.Match not subclassable,
# bound-method reprs, and __set_name__ errors' cause and context.
import re
import types


def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__, e)


class Big:
    def __hash__(self):
        return 2 ** 100


class MinusOne:
    def __hash__(self):
        return -1


class Floaty:
    def __hash__(self):
        return 1.5


class SelfHash(int):
    def __hash__(self):
        return self


for c in (Big, MinusOne, Floaty):
    show(c.__name__, lambda: hash(c()))
print(hash(SelfHash(42)) == hash(42), hash(SelfHash(2 ** 80)) == hash(2 ** 80))


class D(dict):
    pass


class L(list):
    pass


class S(set):
    pass


class BA(bytearray):
    pass


for c in (D, L, S, BA):
    show("hash " + c.__name__, lambda: hash(c()))
    print(c.__hash__)


class FS(frozenset):
    pass


print(hash(FS([1, 2])) == hash(frozenset([1, 2])))

for start in (b"", bytearray(), ""):
    show("sum start %r" % (start,), lambda: sum([], start))
print(sum([[1], [2]], []), sum([1, 2], 10))


class X:
    def __hash__(self):
        return 0

    def __eq__(self, o):
        other.clear()
        return False


other = dict([(i, 0) for i in range(1, 100)])
other[X()] = 0
d = {X(): 0, 1: 1}
show("update mutated", lambda: d.update(other))


class Hashed:
    def __init__(self):
        self.hash_count = 0
        self.eq_count = 0

    def __hash__(self):
        self.hash_count += 1
        return 42

    def __eq__(self, other):
        self.eq_count += 1
        return id(self) == id(other)


h1 = Hashed()
y = {h1: 5}
h2 = Hashed()
print(y.setdefault(h2, []), h1.hash_count, h2.hash_count, h1.eq_count + h2.eq_count)
print(y.setdefault(h2, 7), len(y))


class EX:
    def __eq__(self, other):
        list2.clear()
        return NotImplemented


class EY:
    def __eq__(self, other):
        list1.clear()
        return NotImplemented


class EZ:
    def __eq__(self, other):
        list3.clear()
        return NotImplemented


list1 = [EX()]
list2 = [EY()]
print(list1 == list2)
list3 = [EZ()]
list4 = [1]
print(list3 == list4, list3 != [1])

for t in (re.Pattern, re.Match):
    show("subclass " + t.__name__, lambda: type("A", (t,), {}))


class MyCallable:
    def __call__(self, arg):
        pass


func = MyCallable()
m = types.MethodType(func, 42)
print(repr(m))
func.__name__ = "name"
print(repr(m))
func.__qualname__ = "Qual.name"
print(repr(m))


class Named:
    def __set_name__(self, owner, name):
        raise ValueError("no " + name)


try:
    class Owner:
        attr = Named()
except RuntimeError as e:
    print(type(e).__name__, e)
    print(repr(e.__cause__), repr(e.__context__), e.__suppress_context__)

import warnings
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    print(bool(NotImplemented), not NotImplemented)
    print([(x.category.__name__, str(x.message)) for x in w])
