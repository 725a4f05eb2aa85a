"""The eval loop's exact-arguments call path (arguments moved into the
callee's frame) and CallMethod without a method (a callable attribute):
results, locals, errors, frames and hooks must be as CPython's."""
import sys


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


print(fib(20))


def locals_start_unbound(a, b):
    if a:
        c = a + b
    try:
        return c
    except UnboundLocalError as e:
        return (type(e).__name__, str(e))


print(locals_start_unbound(1, 2), locals_start_unbound(0, 2))


# Arguments are moved, not shared: the caller's expression values stay
# valid and the callee's rebinding does not leak back.
def rebind(x, y):
    x = x + [1]
    y.append(2)
    return x, y


a, b = [0], [0]
print(rebind(a, b), a, b)


# Closures (free variables) with exact arguments.
def make_adder(k):
    def add(x):
        return x + k
    return add


add3 = make_adder(3)
print([add3(i) for i in range(5)])


# A parameter that is a cell variable takes the general path.
def cell_param(x):
    def get():
        return x
    x += 1
    return get()


print(cell_param(41))


# Defaults, keywords and varargs beside exact calls of the same function.
def defaults(a, b=10, *rest, c=5, **kw):
    return a, b, rest, c, sorted(kw.items())


print(defaults(1), defaults(1, 2), defaults(1, 2, 3), defaults(1, c=1, z=2))


def two(a, b):
    return a - b


for args in [(1,), (1, 2, 3), ()]:
    try:
        two(*args)
    except TypeError as e:
        print(type(e).__name__, e)
try:
    two(1)
except TypeError as e:
    print(type(e).__name__, e)
try:
    two(1, 2, 3)
except TypeError as e:
    print(type(e).__name__, e)
print(two(b=1, a=5))


# Generators are made, not run, by an exact call.
def gen(n):
    yield n
    yield n + 1


g = gen(7)
print(type(g).__name__, list(g))


# CallMethod: methods, and callables found as attributes (no method:
# the marker case), with and without keywords, deep in an expression.
class C:
    def __init__(self):
        self.fn = two
        self.lam = lambda x, y=0: (x, y)

    def m(self, x):
        return ("m", x)

    @staticmethod
    def s(x):
        return ("s", x)

    @classmethod
    def k(cls, x):
        return ("k", cls.__name__, x)


c = C()
print(c.m(1), c.s(2), c.k(3), c.fn(9, 4), c.lam(1), c.lam(1, y=2), c.fn(b=1, a=2))
print([[0, 1, 2, c.fn(10, j), c.lam(j, y=j)] for j in range(2)])
print(sys.getrecursionlimit() > 0, sys.intern("a").upper())
print(C.m(c, 5), C.s(6), c.m.__func__(c, 7))


# Bound methods called through a variable, and builtins as attributes.
bm = c.m
print(bm(8), [bm(i) for i in range(3)])


class Holder:
    pass


h = Holder()
h.f = len
h.g = fib
print(h.f("abc"), h.g(10))


# `__code__` replaced between calls.
def first(x):
    return ("first", x)


def second(y):
    return ("second", y)


def swapped(x):
    return x


print(swapped(1))
swapped.__code__ = first.__code__
print(swapped(2))
swapped.__code__ = second.__code__
print(swapped(3))


# Recursion limit through exact calls.
def down(n):
    return down(n + 1)


try:
    down(0)
except RecursionError as e:
    print(type(e).__name__, e)
print(fib(15))


# The callee sees its caller's frame.
def callee():
    f = sys._getframe(1)
    return f.f_code.co_name, f.f_locals.get("marker")


def caller():
    marker = "here"
    return callee()


print(caller())


# Exceptions leaving exact calls carry the right traceback.
def boom(x):
    return 1 / x


def mid(x):
    return boom(x)


try:
    mid(0)
except ZeroDivisionError as e:
    tb = e.__traceback__
    names = []
    while tb is not None:
        names.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    print(type(e).__name__, e, names)


# Objects passed as arguments die when the callee's frame ends.
class Noisy:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("del", self.name)


def take(o):
    return o.name


print(take(Noisy("arg")))
print("after take")


# Tracing and profiling see every exact call and return.
events = []


def tracer(frame, event, arg):
    if frame.f_code.co_name in ("fib", "two"):
        events.append((event, frame.f_code.co_name, frame.f_lineno))
    return tracer


sys.settrace(tracer)
fib(3)
two(5, 1)
sys.settrace(None)
print(len(events), events[:6])

prof = []


def profiler(frame, event, arg):
    if event in ("call", "return"):
        prof.append((event, frame.f_code.co_name))


sys.setprofile(profiler)
fib(2)
c.fn(3, 1)
c.m(2)
sys.setprofile(None)
print(prof)


# exec with its own __builtins__ (LoadGlobal's builtins lookup).
ns = {"__builtins__": {"len": lambda s: 42}}
exec("def f(x):\n    return len(x)\nr = f('abc')", ns)
print(ns["r"])
ns2 = {}
exec("r = len('abcd')", ns2)
print(ns2["r"], "__builtins__" in ns2)
