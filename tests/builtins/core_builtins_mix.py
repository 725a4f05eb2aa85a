print(ValueError("x"), repr(ValueError("x", 2)), KeyError("k"), repr(KeyError()))
e = OSError(2, "No such file or directory", "x")
print(type(e).__name__, e, e.errno, e.strerror, e.filename, e.args)
print(OSError(1, "a", "b", None, "c"))
print(FileExistsError.__mro__)
print(StopIteration(5).value, SystemExit(1, 2).code, SystemExit().code)
g = ExceptionGroup("msg", [ValueError(1), TypeError(2)])
print(g, repr(g), g.message, g.exceptions)
m, r = g.split(ValueError)
print(m, r, m.exceptions, r.exceptions)
print(..., Ellipsis, NotImplemented, slice(1, 2), slice(3).indices(10))
print(UnicodeEncodeError("ascii", "\xe9", 0, 1, "ordinal not in range(128)"))
class MyErr(Exception):
    def __init__(self, a, b):
        Exception.__init__(self, a)
        self.b = b
x = MyErr(1, 2)
print(x, x.args, x.b, repr(x))
print([x for x in enumerate("ab", 1)], [x for x in zip([1, 2], "ab")], [x for x in map(abs, [-1, 2])])
print(pow(3, 4, 5), pow(2, -1, 5), round(2.675, 2), round(2.5), round(1234, -2), bin(5), hex(-255), oct(8))
print(eval("1 + 2"), eval("x * 2", {"x": 4}))
exec("y = 5\nprint(y)")
print(all([1, 1]), any([0]), ascii("é"), len(range(10)))
try:
    undefined_nam
except NameError as e:
    print(e, e.name)
def f():
    a = 1
    return locals()
print(f(), "f" in globals())
