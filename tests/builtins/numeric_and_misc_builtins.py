print(pow(3, 4, 5), pow(2, -1, 5), pow(-2, 3, 7), pow(2, 10, -7), pow(2, 0.5), pow(base=2, exp=3))
for bad in ["pow(2, 3, 0)", "pow(2.0, 3, 5)", "pow(2, -1, 4)"]:
    try:
        eval(bad)
    except (TypeError, ValueError) as e:
        print(bad, type(e).__name__, e)
print(round(2.5), round(3.5), round(-2.5), round(2.675, 2), round(0.125, 2), round(1234.5678, -2), round(1.5, None))
print(round(1234, -2), round(1250, -2), round(1350, -2), round(-1250, -2), round(7, 3), round(True))
class R:
    def __round__(self, n=None):
        return ("rounded", n)
print(round(R()), round(R(), 2))
for bad in ["round('a')", "round(1.5, 'a')", "round(float('nan'))", "round(float('inf'))"]:
    try:
        eval(bad)
    except (TypeError, ValueError, OverflowError) as e:
        print(bad, type(e).__name__, e)
print(bin(5), bin(-5), oct(8), oct(-8), hex(255), hex(-255), hex(0), bin(2 ** 70))
class Idx:
    def __index__(self):
        return 10
print(bin(Idx()), hex(Idx()))
for bad in ["bin(1.5)", "hex('a')", "oct(None)"]:
    try:
        eval(bad)
    except TypeError as e:
        print(bad, e)
print(all([]), all([1, 0]), any([]), any([0, 2]), all(x > 0 for x in [1, 2]))
print(ascii("abc"), ascii("é"), ascii("\u1234"), ascii("\U0001f600"), ascii([1, "ü"]))
print(divmod(7, 2), divmod(-7, 2), abs(-3), abs(-2.5))
print(callable(len), callable(1), callable(int), callable(lambda: 0))
class Obj:
    pass
o = Obj()
setattr(o, "a", 1)
print(getattr(o, "a"), getattr(o, "b", "dflt"), hasattr(o, "a"))
delattr(o, "a")
print(hasattr(o, "a"))
for bad in ["delattr(o, 1)", "getattr(o, 1)", "setattr(o, 1, 2)", "hasattr(o, 1)", "delattr(o, 'zz')"]:
    try:
        eval(bad)
    except (TypeError, AttributeError) as e:
        print(bad, type(e).__name__, e)
print(id(o) == id(o), id(o) != id(Obj()))
class L:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
print(len(L(4)), len(range(0, 10, 3)), len(range(10, 0, -3)), len({"a": 1}))
for n in [-1, "x"]:
    try:
        len(L(n))
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
try:
    len(5)
except TypeError as e:
    print(e)
print(min(3, 1, 2), max([3, 1, 2]), min([], default=7), max("abc", key=lambda c: -ord(c)))
for bad in ["min()", "min(1)", "min([])", "max([], key=len, x=1)", "min(1, 2, default=3)", "sorted()", "sorted([], bad=1)"]:
    try:
        eval(bad)
    except (TypeError, ValueError) as e:
        print(bad, type(e).__name__, e)
print(sorted([3, 1, 2], reverse=True), sorted("bca"), sorted([(1, "b"), (0, "a")], key=lambda t: t[1]), sorted([3, 1, 2], key=lambda v: -v))
print(sum([1, 2, 3]), sum([1, 2], 10), sum([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]), sum(range(5), start=1))
print(isinstance(1, (str, (int, float))), isinstance(True, int), issubclass(bool, (str, int)))
class Meta(type):
    def __instancecheck__(cls, obj):
        return obj == "magic"
    def __subclasscheck__(cls, sub):
        return sub is int
for bad in ["isinstance(1, 1)", "issubclass(1, int)", "issubclass(int, 1)", "isinstance(1)"]:
    try:
        eval(bad)
    except TypeError as e:
        print(bad, e)
print(..., Ellipsis, type(...).__name__, ... is Ellipsis, NotImplemented, type(NotImplemented).__name__)
