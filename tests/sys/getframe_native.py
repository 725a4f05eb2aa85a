# sys._getframe / f_back across calls made by native code (class calls,
# key functions, generators, __getitem__ via operator.itemgetter), and the
# callers warnings and logging find through them.
import io
import logging
import operator
import os
import sys
import warnings


def names(frame, n):
    out = []
    while frame is not None and len(out) < n:
        out.append(frame.f_code.co_name)
        frame = frame.f_back
    return out


def where(frame):
    return os.path.basename(frame.f_code.co_filename), frame.f_code.co_name, frame.f_lineno


class C:
    def __init__(self):
        f = sys._getframe(1)
        print("init caller:", where(f))
        print("init chain:", names(sys._getframe(), 4))


def make():
    return C()


make()


def key(x):
    print("key chain:", names(sys._getframe(), 3), sys._getframe(1).f_code.co_name)
    return -x


def sorter():
    return sorted([1, 2], key=key)


print(sorter())


def gen():
    print("gen back:", names(sys._getframe(), 3))
    yield 1
    print("gen back again:", names(sys._getframe(), 3))
    yield 2


def consume_next():
    g = gen()
    next(g)
    return g


def consume_for(g):
    for v in g:
        print("got", v)


consume_for(consume_next())


class Item:
    def __getitem__(self, k):
        print("getitem chain:", names(sys._getframe(), 3))
        f = sys._getframe(1)
        print("getitem caller:", f.f_code.co_name, f.f_globals["__name__"])
        return k


def use_itemgetter():
    return operator.itemgetter(5)(Item())


print(use_itemgetter())


def mapped(x):
    return sys._getframe(1).f_code.co_name


def do_map():
    return list(map(mapped, [1]))


print(do_map())

# Depth beyond the stack.
try:
    sys._getframe(1000)
except ValueError as e:
    print(type(e).__name__, e)


# warnings.warn(stacklevel=2) from __init__ reports the class call's line.
class W:
    def __init__(self):
        warnings.warn("careful", UserWarning, stacklevel=2)


def build_w():
    return W()  # the warning's line


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    build_w()
for w in caught:
    print("warning:", os.path.basename(w.filename), w.lineno, w.message)

# logging's findCaller through a native call.
stream = io.StringIO()
handler = logging.StreamHandler(stream)
handler.setFormatter(logging.Formatter("%(funcName)s %(lineno)d %(message)s"))
log = logging.getLogger("frames-test")
log.addHandler(handler)
log.propagate = False


class L:
    def __init__(self):
        log.warning("from init")


def log_in_key(x):
    log.warning("from key")
    return x


L()
sorted([1], key=log_in_key)
print(stream.getvalue(), end="")

# sys._current_frames: the current thread's frame.
import threading

frames = sys._current_frames()
me = frames[threading.get_ident()]
print("current:", me.f_code.co_name, me is not None)


def in_func():
    f = sys._current_frames()[threading.get_ident()]
    return f.f_code.co_name, f.f_back.f_code.co_name


print(in_func())
try:
    sys._current_frames(1)
except TypeError as e:
    print(type(e).__name__, e)
