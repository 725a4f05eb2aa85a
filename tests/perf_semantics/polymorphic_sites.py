# Attribute sites that see several types (polymorphic inline caches) and
# the list/tuple subscript and unpacking fast paths: results must be those
# of the generic protocol, whatever the mix of types at one site.


class Base:
    kind = "base"

    def __init__(self, v):
        self.v = v

    def describe(self):
        return f"{self.kind}:{self.v}"


class A(Base):
    kind = "a"


class B(Base):
    kind = "b"

    def describe(self):
        return "B!" + super().describe()


class C(Base):
    def __init__(self, v):
        self.w = v * 10
        self.v = v


class D:
    __slots__ = ("v",)

    def __init__(self, v):
        self.v = v

    def describe(self):
        return f"slot:{self.v}"


class E(A):
    @property
    def v(self):
        return "prop"

    @v.setter
    def v(self, value):
        self._v = value


def walk(objs):
    out = []
    for o in objs:
        out.append((o.v, o.describe(), type(o).__name__))
    return out


def store(objs, n):
    for o in objs:
        o.v = n
    return [o.v for o in objs]


objs = [Base(1), A(2), B(3), C(4), D(5), E(6), A(7), B(8), D(9)]
for _ in range(3):
    print(walk(objs))
print(store(objs, 42))
print(E(1)._v)

# A class changed while a site is specialised for it.
a = A(0)
print(walk([a, objs[2]]))
A.describe = lambda self: "patched"
print(walk([a, objs[2], objs[0]]))
del A.describe
print(walk([a, objs[2], objs[0]]))
a.describe = lambda: "instance"
print(walk([a, objs[2]]))

# An attribute missing on one type at a shared site.
for o in [Base(1), D(2)]:
    try:
        print(o.w)
    except AttributeError as e:
        print(type(e).__name__, e)
del objs[4].v
try:
    print(objs[4].v)
except AttributeError as e:
    print(type(e).__name__, e)


# Subscripts: lists, tuples, negative and out-of-range indices, bools,
# big ints, subclasses.
class L(list):
    def __getitem__(self, i):
        return ("L", super().__getitem__(i))

    def __setitem__(self, i, v):
        super().__setitem__(i, ("set", v))


class T(tuple):
    def __getitem__(self, i):
        return ("T", super().__getitem__(i))


lst = [10, 20, 30]
tup = (1, 2, 3)
for c in (lst, tup, L(lst), T(tup), "abc", range(3), {0: "zero", -1: "minus", True: "t"}):
    for i in (0, -1, True, 2):
        try:
            print(type(c).__name__, i, c[i])
        except (IndexError, KeyError) as e:
            print(type(c).__name__, i, type(e).__name__, e)
for c in (lst, tup):
    for i in (3, -4, 2**70, -(2**70), 1.0, "x"):
        try:
            print(c[i])
        except (IndexError, TypeError) as e:
            print(type(e).__name__, e)

lst2 = [0, 0, 0]
for i in (0, -1, False, True):
    lst2[i] = i
print(lst2)
for i in (3, -4, 2**70, "x"):
    try:
        lst2[i] = 1
    except (IndexError, TypeError) as e:
        print(type(e).__name__, e)
sub = L([0, 0])
sub[1] = 5
print(list.__getitem__(sub, 1))


class Noisy:
    def __init__(self, name, target):
        self.name = name
        self.target = target

    def __del__(self):
        # The list is consistent when the replaced item dies.
        print("del", self.name, len(self.target), self.target[0] is self)


holder = [None]
holder[0] = Noisy("first", holder)
holder[0] = 1
print(holder)

# Unpacking: tuples, lists, wrong lengths, other iterables.
x, y, z = (1, 2, 3)
print(x, y, z)
x, y = [4, 5]
print(x, y)
x, y = "ab"
print(x, y)
for bad in ((1, 2), [1, 2, 3, 4], (), iter([1])):
    try:
        x, y, z = bad
    except ValueError as e:
        print(type(e).__name__, e)


class TT(tuple):
    def __iter__(self):
        return iter(("custom", "iter"))


x, y = TT((1, 2))
print(x, y)
pairs = [((1, 2), (3, 4)), ((5, 6), (7, 8))]
for (p, q), (r, s) in pairs:
    print(p + q + r + s)
