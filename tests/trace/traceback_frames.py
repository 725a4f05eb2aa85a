# Frame objects reached through tracebacks: their locals (kept when the
# frame finished), f_back, clear(), generator frames, TracebackType().
import sys
import types
import weakref
import gc


def inner(x=5, **kw):
    y = x * 2
    1 / 0


def outer(**kw):
    z = "outer"
    try:
        inner(**kw)
    except ZeroDivisionError as e:
        return e


def frames(tb):
    out = []
    while tb is not None:
        out.append(tb.tb_frame)
        tb = tb.tb_next
    return out


exc = outer(k=1)
f_outer, f_inner = frames(exc.__traceback__)
print(f_outer.f_code.co_name, sorted(f_outer.f_locals))
print(f_inner.f_code.co_name, sorted(f_inner.f_locals.items()))
print(f_inner.f_back is f_outer)
print(f_inner.f_lineno - inner.__code__.co_firstlineno)
print(exc.__traceback__.tb_frame is f_outer)

# clear() drops the locals of finished frames.
class C:
    pass


c = C()
wr = weakref.ref(c)
exc = outer(c=c)
del c
gc.collect()
print("alive before clear:", wr() is not None)
for fr in frames(exc.__traceback__):
    fr.clear()
gc.collect()
print("alive after clear:", wr() is not None)
print(frames(exc.__traceback__)[1].f_locals)

# An executing frame cannot be cleared.
try:
    1 / 0
except ZeroDivisionError as e:
    running = e.__traceback__.tb_frame
try:
    running.clear()
except RuntimeError as e:
    print(type(e).__name__, e)


def caller():
    try:
        1 / 0
    except ZeroDivisionError as e:
        f = e.__traceback__.tb_frame
    try:
        f.f_back.clear()
    except RuntimeError as e:
        print("f_back:", type(e).__name__, e)
    return f


caller()

# Clearing a suspended generator's frame closes the generator.
log = []


def gen():
    try:
        yield 1
        yield 2
    finally:
        log.append("finally")


g = gen()
next(g)
print(g.gi_frame is g.gi_frame, g.gi_frame.f_lineno - gen.__code__.co_firstlineno)
g.gi_frame.clear()
print(log, g.gi_frame)


def gen2():
    try:
        1 / 0
    except ZeroDivisionError as e:
        f = e.__traceback__.tb_frame
        try:
            f.clear()
        except RuntimeError as e2:
            log.append(str(e2))
        yield f
    finally:
        log.append("gen2 finally")


log.clear()
g2 = gen2()
f2 = next(g2)
f2.clear()
print(log)

# The locals of a frame whose f_locals was read before it finished.
def reads_then_raises():
    a = 1
    f = sys._getframe()
    first = dict(f.f_locals)
    a = 2
    b = 3
    del first
    raise KeyError(a)


try:
    reads_then_raises()
except KeyError as e:
    fr = frames(e.__traceback__)[1]
    print(sorted((k, v) for k, v in fr.f_locals.items() if k != "f"))

# types.TracebackType
f = sys._getframe()
tb = types.TracebackType(None, f, 0, 77)
print(tb.tb_lineno, tb.tb_lasti, tb.tb_frame is f, tb.tb_next)
tb2 = types.TracebackType(tb_next=tb, tb_frame=f, tb_lasti=2, tb_lineno=3)
print(tb2.tb_next is tb, tb2.tb_lineno)
for args in [(1, f, 0, 1), (None, 1, 0, 1), (None, f, "x", 1), (None, f, 0)]:
    try:
        types.TracebackType(*args)
    except TypeError as e:
        print(type(e).__name__, e)
e = ValueError("v")
e.__traceback__ = tb
print(e.__traceback__ is tb, e.__traceback__.tb_lineno)
