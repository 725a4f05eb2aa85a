# The eval loop's fast paths (recycled frames, exact positional calls,
# range/list iteration, generator resume, the eval breaker polled only at
# backward jumps and calls) keep CPython's behaviour.
import os
import signal
import sys
import traceback
import weakref


def add(a, b):
    return a + b


def defaults(a, b=2, *, c=3):
    return a, b, c


def varargs(*args, **kw):
    return args, sorted(kw.items())


# Exact positional calls and every binding path, with their error messages.
print(add(1, 2), add("x", "y"), defaults(1), defaults(1, 5, c=7), varargs(1, 2, z=3))
for call in (lambda: add(1), lambda: add(1, 2, 3), lambda: add(1, b=2, a=3), lambda: defaults(1, d=4), lambda: defaults()):
    try:
        call()
    except TypeError as e:
        print(type(e).__name__, e)


# A frame's locals die when it returns (the recycled frame keeps nothing).
class Tracked:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("del", self.name)


def holds():
    t = Tracked("local")
    r = weakref.ref(t)
    return r


r = holds()
print("after return", r())


def raises():
    t = Tracked("unwound")
    raise ValueError("boom")


try:
    raises()
except ValueError:
    pass
print("after unwind")


# Deep recursion raises RecursionError, and the loop is usable afterwards.
def down(n):
    return down(n + 1) + 1


try:
    down(0)
except RecursionError as e:
    print(type(e).__name__, e)
print(add(40, 2))


# Tracebacks keep the line of each call.
def inner():
    return 1 / 0


def outer():
    x = 1
    return inner() + x


try:
    outer()
except ZeroDivisionError:
    tb = traceback.extract_tb(sys.exc_info()[2])
    print([(f.name, f.lineno - outer.__code__.co_firstlineno) for f in tb[1:]])


# The caller's frame seen from a callee: the line of the call.
def where():
    f = sys._getframe(1)
    return f.f_code.co_name, f.f_lineno - f.f_code.co_firstlineno


def caller():
    a = 1
    return where()


print(caller())


# for over range and list iterators: steps, empties, mutation, exhaustion.
print([i for i in range(5)], [i for i in range(10, 0, -3)], [i for i in range(3, 3)], list(range(0, -5, -2)))
big = sys.maxsize
print([i - big for i in range(big - 2, big)])
items = [1, 2, 3]
seen = []
for x in items:
    seen.append(x)
    if x == 1:
        items.append(4)
print(seen)
it = iter([1, 2])
for x in it:
    pass
items2 = [5]
print(list(it))
it = iter(range(2))
print(next(it), next(it), next(it, "done"))
for i in range(3):
    pass
else:
    print("else after", i)
total = 0
for i in range(100000):
    total += i
print(total)


class MyList(list):
    pass


print([x * 2 for x in MyList([1, 2, 3])])


# Generators: resume and yield keep the frame's state, errors inside them.
def counter(n):
    i = 0
    while i < n:
        got = yield i
        if got is not None:
            i = got
        i += 1
    return "end"


g = counter(5)
print(next(g), next(g), g.send(3), list(g))
g = counter(2)
next(g)
print(g.gi_frame.f_lineno - counter.__code__.co_firstlineno, g.gi_running)
try:
    g.throw(KeyError("k"))
except KeyError as e:
    print("thrown", e)
print(g.gi_frame)


def gen_raises():
    yield 1
    raise IndexError("inside")


try:
    for v in gen_raises():
        print("got", v)
except IndexError:
    tb = traceback.extract_tb(sys.exc_info()[2])
    print([f.name for f in tb])


def nested(depth):
    if depth:
        yield from nested(depth - 1)
    yield depth


print(sum(nested(50)), list(nested(3)))


# The eval breaker: a signal handler runs right after the call that raised
# the signal, and inside a loop that makes no calls.
hits = []
signal.signal(signal.SIGUSR1, lambda signum, frame: hits.append(signum))
os.kill(os.getpid(), signal.SIGUSR1)
print("handled after the call:", hits == [signal.SIGUSR1])


def interrupting(signum, frame):
    raise RuntimeError("from handler")


signal.signal(signal.SIGUSR1, interrupting)
try:
    os.kill(os.getpid(), signal.SIGUSR1)
    print("not reached")
except RuntimeError as e:
    print("raised by handler:", e)
signal.signal(signal.SIGUSR1, signal.SIG_DFL)
