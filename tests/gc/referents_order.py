# gc.get_referents lists references in CPython's traverse order: lists and
# tuples last item first; dicts with str keys give their values only;
# instances give their attributes, then their class.
import gc

print(gc.get_referents([1, 2, 3]))
print(gc.get_referents((1, 2, 3)))
print(gc.get_referents({"a": 1, "b": 2}))
print(gc.get_referents({1: "a", 2: "b"}))


class A:
    pass


a = A()
a.x = 1
a.y = 2
print(gc.get_referents(a))


class S:
    __slots__ = ("p", "q")


s = S()
s.p = "P"
s.q = "Q"
print(gc.get_referents(s))
print(gc.get_referents([[1], [2]]))
print(gc.get_referents(1, "x", [4, 5]))
