# `for` over a generator and `yield from` a generator run the generator's
# frame inside the resumer's eval loop: everything observable must stay as
# with a nested resumption.
import sys
import traceback


def count(n):
    i = 0
    while i < n:
        yield i
        i += 1
    return "done"


# Plain iteration, nested pipelines, early break, reuse after exhaustion.
def evens(src):
    for x in src:
        if x % 2 == 0:
            yield x


print(list(evens(count(10))))
print(sum(x * x for x in evens(count(100))))
g = count(5)
for x in g:
    if x == 2:
        break
print("after break", next(g), list(g), list(g))


# `yield from` gives the return value, trees of delegation.
def outer():
    r = yield from count(3)
    print("yield from returned", r)
    return r * 2


def tree(d):
    if d:
        yield from tree(d - 1)
        yield d
        yield from tree(d - 1)


print(list(outer()))
print(list(tree(4)), sum(tree(10)))


# A generator raising: traceback through the generator and its resumer.
def bad(n):
    yield n
    raise ValueError("bad %d" % n)


def resumer():
    for x in bad(7):
        print("got", x)


try:
    resumer()
except ValueError as e:
    print(type(e).__name__, e)
    names = [f.name for f in traceback.extract_tb(e.__traceback__)]
    print(names)


def delegating():
    yield from bad(8)


try:
    for x in delegating():
        print("got", x)
except ValueError as e:
    print(type(e).__name__, e, [f.name for f in traceback.extract_tb(e.__traceback__)])


# PEP 479: StopIteration inside a generator becomes RuntimeError.
def leaky():
    yield 1
    raise StopIteration("oops")


try:
    for x in leaky():
        print("leaky", x)
except RuntimeError as e:
    print(type(e).__name__, e, type(e.__cause__).__name__, e.__cause__, e.__suppress_context__)

try:
    def via():
        yield from leaky()
    print(list(via()))
except RuntimeError as e:
    print(type(e).__name__, e, type(e.__cause__).__name__)


# The generator is finished after raising, and running while it runs.
def selfish():
    print("running", me.gi_running)
    try:
        next(me)
    except ValueError as e:
        print(type(e).__name__, e)
    yield 1


me = selfish()
for x in me:
    print("selfish", x, me.gi_running)
print(me.gi_running, me.gi_frame)
b = bad(1)
try:
    for x in b:
        pass
except ValueError:
    pass
print("finished", list(b), b.gi_frame)


# Caught inside the generator, exceptions handled across yields.
def handler():
    try:
        raise KeyError("k")
    except KeyError:
        yield sys.exc_info()[0].__name__
        yield repr(sys.exc_info()[1])
    yield sys.exc_info()[0]


for x in handler():
    print("handler", x, sys.exc_info()[0])

try:
    raise IndexError("outer")
except IndexError:
    for x in handler():
        print("in except", x, sys.exc_info()[0].__name__)


def raise_in_except():
    try:
        raise KeyError("first")
    except KeyError:
        yield 1
        raise TypeError("second")


try:
    for x in raise_in_except():
        pass
except TypeError as e:
    print(type(e).__name__, e, "context:", repr(e.__context__))


# Frames: the resumer is the generator frame's caller.
def frames():
    f = sys._getframe()
    yield f.f_code.co_name, f.f_back.f_code.co_name
    yield sys._getframe(1).f_code.co_name


def frame_user():
    for x in frames():
        print("frames", x)


frame_user()


def calls_native():
    # A nested run below an inline generator frame sees it in the stack.
    yield sorted([3, 1, 2], key=lambda v: (sys._getframe(1).f_code.co_name, v))
    yield [sys._getframe(i).f_code.co_name for i in range(3)]


def driver():
    for x in calls_native():
        print("native", x)


driver()


# send/throw/close on delegating generators still work.
def echo():
    received = []
    try:
        while True:
            v = yield len(received)
            received.append(v)
    except GeneratorExit:
        print("echo closed", received)
        raise


def relay():
    r = yield from echo()
    return r


r = relay()
print(next(r), r.send("a"), r.send("b"))
r.close()


def catcher():
    try:
        yield 1
    except ValueError as e:
        yield "caught %s" % e


def relay2():
    yield from catcher()


r = relay2()
print(next(r), r.throw(ValueError("x")))
try:
    r.throw(ValueError("y"))
except ValueError as e:
    print("rethrown", e)


# A fresh generator sent a value through yield from.
def fresh_send():
    inner = count(3)
    x = yield from inner
    return x


print(list(fresh_send()))


# Deep recursion through generators raises RecursionError, catchable.
def deep(n):
    yield from deep(n + 1)


try:
    for x in deep(0):
        pass
except RecursionError as e:
    print(type(e).__name__)


def deep_for(n):
    for x in deep_for(n + 1):
        yield x


try:
    list(deep_for(0))
except RecursionError as e:
    print(type(e).__name__)
print(list(count(3)))


# Generators in a class, methods, closures.
class Box:
    def __init__(self, items):
        self.items = items

    def __iter__(self):
        for i in self.items:
            yield i * 10


print([x for x in Box([1, 2, 3])], sum(Box(range(5))))


def closure_gen():
    total = 0

    def inner(n):
        nonlocal total
        for i in range(n):
            total += i
            yield total

    for v in inner(5):
        pass
    return total


print(closure_gen())


# A generator returning a value to a for loop (ignored) and yield from a
# non-generator iterator.
def ret_val():
    yield 1
    return 42


print([x for x in ret_val()])


def yf_list():
    r = yield from [1, 2]
    print("list yf result", r)


print(list(yf_list()))


# Generator finalization after inline runs.
def finalizing():
    try:
        yield 1
        yield 2
    finally:
        print("finally ran")


fg = finalizing()
for x in fg:
    print("fin", x)
    break
fg.close()
print("end")
