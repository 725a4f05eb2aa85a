e = ValueError("v")
print(e.__cause__, e.__context__, e.__suppress_context__, e.__traceback__)
for attr, val in [("__cause__", 1), ("__context__", 1), ("__suppress_context__", 1), ("__traceback__", 1)]:
    try:
        setattr(e, attr, val)
    except TypeError as x:
        print(attr, type(x).__name__, x)
c = KeyError("c")
e.__cause__ = c
print(e.__cause__ is c, e.__suppress_context__)
e.__suppress_context__ = False
print(e.__suppress_context__)
e.add_note("first")
e.add_note("second")
print(e.__notes__)
try:
    e.add_note(5)
except TypeError as x:
    print(x)
e.__notes__ = "not a list"
try:
    e.add_note("x")
except TypeError as x:
    print(x)
try:
    raise ValueError("tb")
except ValueError as x:
    tb = x.__traceback__
    print(tb is not None, tb.tb_lineno, tb.tb_next)
    y = TypeError("other").with_traceback(tb)
    print(y.__traceback__.tb_lineno)
    print(x.with_traceback(None).__traceback__)
class Custom(Exception):
    def __init__(self, a, b=2):
        Exception.__init__(self, a)
        self.b = b
c = Custom(1, b=5)
print(c, c.args, c.b, repr(c))
class NoInit(Exception):
    pass
print(NoInit(1, 2).args, repr(NoInit("x")))
class Quiet(Exception):
    def __init__(self, *args):
        pass
print(Quiet(1, 2).args)
e = Exception()
e.extra = 1
print(e.extra, e.__dict__)
