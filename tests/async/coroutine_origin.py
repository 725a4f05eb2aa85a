# sys.get/set_coroutine_origin_tracking_depth, cr_origin, the "never
# awaited" warning and generator finalization on drop.
import gc
import os
import sys
import threading
import warnings

HERE = os.path.basename(__file__)


def short(origin):
    if origin is None:
        return None
    return tuple((os.path.basename(f), line, name) for f, line, name in origin)


async def coro():
    return 1


def make():
    return coro()


def outer():
    return make()


print(sys.get_coroutine_origin_tracking_depth())
for bad in (-1, 1.5, "3", 2**40, -(2**40)):
    try:
        sys.set_coroutine_origin_tracking_depth(bad)
    except Exception as e:
        print(type(e).__name__, e)
try:
    sys.set_coroutine_origin_tracking_depth()
except TypeError as e:
    print("TypeError", e)
print(sys.get_coroutine_origin_tracking_depth())

# Off: None.
c = coro()
print(c.cr_origin)
c.close()

sys.set_coroutine_origin_tracking_depth(depth=2)
print(sys.get_coroutine_origin_tracking_depth())
c = outer()
print(short(c.cr_origin))
c.close()

sys.set_coroutine_origin_tracking_depth(10)
c = outer()
o = short(c.cr_origin)
print(len(o), o)
c.close()

# Created from native code (functools.partial, map): the Python caller.
import functools
c = functools.partial(coro)()
print(short(c.cr_origin))
c.close()
[c] = list(map(lambda f: f(), [coro]))
print(short(c.cr_origin))
c.close()

sys.set_coroutine_origin_tracking_depth(1)
c = outer()
print(short(c.cr_origin))
c.close()


# Per thread: a new thread starts at 0.
def in_thread():
    print("thread", sys.get_coroutine_origin_tracking_depth())
    sys.set_coroutine_origin_tracking_depth(5)


t = threading.Thread(target=in_thread)
t.start()
t.join()
print("main", sys.get_coroutine_origin_tracking_depth())

# Generators are not tracked; async generators neither.
def gen():
    yield 1


async def agen():
    yield 1


print(hasattr(gen(), "cr_origin"), hasattr(agen(), "cr_origin"))


def warning_text(m):
    return str(m.message).replace(__file__, HERE)


# The never-awaited warning, with the origin when tracking is on.
sys.set_coroutine_origin_tracking_depth(2)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    c = outer()
    del c
    gc.collect()
for m in w:
    print(m.category.__name__, warning_text(m))
sys.set_coroutine_origin_tracking_depth(0)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    c = outer()
    del c
for m in w:
    print(m.category.__name__, warning_text(m), m.source is not None)

# An awaited (or closed) coroutine does not warn.
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    c = coro()
    try:
        c.send(None)
    except StopIteration as e:
        print("returned", e.value)
    del c
    c = coro()
    c.close()
    del c
print(len(w))

# "error" filter: the warning is reported as unraisable.
def hook(u):
    print("unraisable", type(u.exc_value).__name__, str(u.exc_value).splitlines()[0])


old = sys.unraisablehook
sys.unraisablehook = hook
with warnings.catch_warnings():
    warnings.simplefilter("error")
    c = coro()
    del c
sys.unraisablehook = old


# A suspended generator is closed when dropped: its finally runs.
def g():
    try:
        yield 1
        yield 2
    finally:
        print("finally of g")


x = g()
next(x)
del x
print("after del")


# A generator that ignores GeneratorExit: reported as unraisable.
def stubborn():
    while True:
        try:
            yield 1
        except GeneratorExit:
            pass


sys.unraisablehook = hook
x = stubborn()
next(x)
del x
sys.unraisablehook = old


# In a cycle: closed by the collector.
class Box:
    pass


def cyc(b):
    try:
        yield b
    finally:
        print("finally of cyc")


b = Box()
b.g = cyc(b)
next(b.g)
del b
gc.collect()
print("collected")

# An async generator: the finalizer hook receives it.
finalized = []
sys.set_asyncgen_hooks(firstiter=lambda ag: None, finalizer=lambda ag: finalized.append(ag.__name__))
a = agen()
n = a.__anext__()
try:
    n.send(None)
except StopIteration as e:
    print("first", e.value)
del n, a
print(finalized)
sys.set_asyncgen_hooks(None, None)
