# Python functions called back from native code: sort keys, min/max keys,
# map/filter, special methods, bound methods; frames, traces, profiles and
# errors must look the same as for calls from Python code.
import sys
import functools


class P:
    def __init__(self, n):
        self.n = n

    def key(self):
        return -self.n

    def __eq__(self, other):
        return isinstance(other, P) and self.n % 10 == other.n % 10

    def __hash__(self):
        return self.n % 10

    def __lt__(self, other):
        return self.n < other.n

    def __repr__(self):
        return f"P({self.n})"


ps = [P(i) for i in (5, 3, 9, 1, 7)]
print(sorted(ps, key=lambda p: p.n))
print(sorted(ps, key=P.key))
ps.sort(key=lambda p: p.n % 4, reverse=True)
print(ps)
print(min(ps, key=lambda p: -p.n), max(ps, key=P.key))
print(list(map(lambda p: p.n * 2, ps)), list(filter(lambda p: p.n > 4, ps)))
print(list(map(P.key, ps)))
bound = [p.key for p in ps]
print([f() for f in bound], sorted(ps, key=lambda p: bound[ps.index(p)]()))
print(sorted([P(3), P(1), P(2)]))
d = {P(1): "a", P(12): "b"}
print(d[P(11)], d[P(2)], P(21) in d, len({P(1), P(11), P(2)}))


def defaults(x, y=10, *rest, z=5, **kw):
    return (x, y, rest, z, sorted(kw))


print(list(map(defaults, [1, 2])))
print(list(map(functools.partial(defaults, y=1, q=2), [3])))


def gen(x):
    yield x
    yield x + 1


print([list(g) for g in map(gen, [1, 10])])


# Errors from the callback reach the caller, with the callback's frame in
# the traceback.
def bad(x):
    if x == 2:
        raise ValueError(f"bad key {x}")
    return x


try:
    sorted([3, 2, 1], key=bad)
except ValueError as e:
    tb = e.__traceback__
    names = []
    while tb is not None:
        names.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    print(type(e).__name__, e, names)

try:
    list(map(lambda a, b: a, [1, 2]))
except TypeError as e:
    print(type(e).__name__, e)

try:
    sorted([1, 2], key=lambda: 0)
except TypeError as e:
    print(type(e).__name__, e)


# The callback's frame sees its callers (f_back) through the native call.
def where(x):
    f = sys._getframe()
    return (f.f_code.co_name, f.f_back.f_code.co_name, x)


def outer():
    return list(map(where, [2, 1]))


print(outer())
print(min([4, 3], key=lambda x: sys._getframe(1).f_code.co_name))


# Deep recursion through native calls still ends in RecursionError.
def down(n):
    return sorted([n], key=lambda x: down(x + 1))


try:
    down(0)
except RecursionError as e:
    print(type(e).__name__, e)


class R:
    def __eq__(self, other):
        return self == other

    __hash__ = object.__hash__


try:
    R() == R()
except RecursionError as e:
    print(type(e).__name__)

# Traces and profiles see the calls made from native code.
events = []


def tracer(frame, event, arg):
    if frame.f_code.co_filename == __file__:
        events.append((event, frame.f_code.co_name))
    return tracer


def keyf(x):
    return -x


sys.settrace(tracer)
sorted([1, 2], key=keyf)
list(map(keyf, [3]))
sys.settrace(None)
print(events)

prof = []


def profiler(frame, event, arg):
    if event in ("call", "return"):
        prof.append((event, frame.f_code.co_name))
    elif event == "c_call":
        prof.append((event, arg.__name__))


sys.setprofile(profiler)
sorted([1, 2], key=keyf)
sys.setprofile(None)
print(prof)
