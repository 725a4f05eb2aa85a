# 'exception' events for the StopIteration that ends a for loop or a
# `yield from` (CPython sends them when the iterator raised one: a generator
# that returned a value, a class whose __next__ raises, a coroutine awaited).
import sys

events = []


def tracer(frame, event, arg):
    name = frame.f_code.co_name
    if name in ("tracer", "show"):
        return None
    rel = frame.f_lineno - frame.f_code.co_firstlineno
    if event == "exception":
        events.append((name, event, rel, arg[0].__name__, arg[1].args))
    else:
        events.append((name, event, rel))
    return tracer


def show(title, fn):
    events.clear()
    sys.settrace(tracer)
    try:
        r = fn()
    finally:
        sys.settrace(None)
    print(title, r)
    for e in events:
        print("   ", e)


def gen_value():
    yield 0
    yield 1
    return 123


def gen_none():
    yield 0


def loop_value():
    out = []
    for i in gen_value():
        out.append(i)
    return out


def loop_none():
    out = []
    for i in gen_none():
        out.append(i)
    return out


class It:
    def __init__(self):
        self.n = 0

    def __iter__(self):
        return self

    def __next__(self):
        self.n += 1
        if self.n > 2:
            raise StopIteration(self.n)
        return self.n


def loop_class():
    return [i for i in It()] + list(x for x in [5])


def sub():
    yield 0
    return 7


def delegate():
    x = yield from sub()
    return x


def loop_delegate():
    total = []
    for v in delegate():
        total.append(v)
    return total


def sub_none():
    yield 1


def delegate_none():
    yield from sub_none()


def loop_delegate_none():
    return list(delegate_none())


def loop_native():
    n = 0
    for c in "ab":
        n += 1
    for c in iter([1, 2]):
        n += c
    return n


async def coro_inner():
    return 5


async def coro_none():
    pass


async def coro_outer():
    a = await coro_inner()
    await coro_none()
    return a


def run_coro():
    c = coro_outer()
    try:
        c.send(None)
    except StopIteration as e:
        return e.value


def send_values():
    g = delegate()
    first = g.send(None)
    try:
        g.send("x")
    except StopIteration as e:
        return first, e.value


show("value", loop_value)
show("none", loop_none)
show("class", loop_class)
show("delegate", loop_delegate)
show("delegate_none", loop_delegate_none)
show("native", loop_native)
show("coroutine", run_coro)
show("send", send_values)
