# Special methods that are descriptors other than functions (as
# unittest.mock's MagicProxy): subscripting, item assignment/deletion,
# `in` and in-place operators bind them through __get__.
class P:
    def __init__(self, name):
        self.name = name

    def __get__(self, obj, cls=None):
        return lambda *a: print(self.name, type(obj).__name__, a) or self.name


class C:
    __getitem__ = P("getitem")
    __setitem__ = P("setitem")
    __delitem__ = P("delitem")
    __contains__ = P("contains")
    __iand__ = P("iand")
    __ior__ = P("ior")


c = C()
print(c[1], c[1:2])
c[0] = "x"
del c[0]
print(3 in c)
c &= 5
print(c)
d = C()
d |= 1
print(d)


class Late:
    pass


Late.__getitem__ = P("late")
print(Late()["k"])
