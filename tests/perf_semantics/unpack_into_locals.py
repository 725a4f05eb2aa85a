# `a, b, ... = seq` into a function's locals (UNPACK_SEQUENCE followed by
# STORE_FASTs): the order the old values are released in (their __del__
# sees the locals already stored), lists and tuples of the right and wrong
# lengths, mixed targets, and tracing still seeing every line.
import sys

log = []


class Noisy:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        log.append("del " + self.name)


def f():
    t = Noisy("a1"), Noisy("b1"), Noisy("c1")
    a, b, c = t
    del t
    log.append("first done")
    t = [Noisy("a2"), Noisy("b2"), Noisy("c2")]
    a, b, c = t
    del t
    log.append("after list")
    t = (Noisy("a3"), Noisy("b3"), Noisy("c3"))
    a, b, c = t
    del t
    log.append("second done")
    a, b, c = [1, 2, 3]
    log.append((a, b, c))
    return a + b + c


print(f())
print(log)


def g(t):
    x, y = t
    return x, y


for t in [(1, 2), [3, 4], "ab", range(2), iter([5, 6]), {7: 0, 8: 0}]:
    print(g(t))
for bad in [(1,), [1, 2, 3], "abc", []]:
    try:
        g(bad)
    except ValueError as e:
        print(type(e).__name__, e)
try:
    g(5)
except TypeError as e:
    print(type(e).__name__, e)


class Obj:
    pass


def mixed(t):
    o = Obj()
    a, o.attr, b = t
    d = {}
    c, d["k"], e = t
    (p, q), r = (t[0], t[1]), t[2]
    return a, o.attr, b, c, d, e, p, q, r


print(mixed((1, 2, 3)))
print(mixed([4, 5, 6]))


def many():
    total = 0
    for i in range(1000):
        a, b, c, d, e, f, g, h, i2, j = (i, 1, 2, 3, 4, 5, 6, 7, 8, 9)
        total += a + j
        a, b, c, d, e, f, g, h, i2, j = [j, i, h, g, f, e, d, c, b, a]
        total -= a - b
    return total


print(many())


def traced():
    a, b = 1, 2
    c, d = [a, b]
    return c + d


events = []


def tracer(frame, event, arg):
    if frame.f_code.co_name == "traced":
        events.append((event, frame.f_lineno - traced.__code__.co_firstlineno))
        frame.f_trace_opcodes = True
    return tracer


sys.settrace(tracer)
traced()
sys.settrace(None)
print(events)
