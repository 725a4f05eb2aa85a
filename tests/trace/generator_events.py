# Event order for a generator closed by its caller (its 'call' comes
# before the GeneratorExit's 'exception'), a generator thrown into, and
# the lines of an `async for` (its jump back sends no 'line').
import sys

events = []


def tracer(frame, event, arg):
    name = frame.f_code.co_name
    if name in ("tracer", "show", "run"):
        return None
    rel = frame.f_lineno - frame.f_code.co_firstlineno
    extra = arg[0].__name__ if event == "exception" else ""
    events.append((name, event, rel, extra))
    return tracer


def show(title, fn):
    events.clear()
    sys.settrace(tracer)
    try:
        fn()
    finally:
        sys.settrace(None)
    print(title)
    for e in events:
        print("   ", e)


def gen():
    try:
        yield True
        "continued"
    finally:
        "finally"


def closing():
    x = any(gen())
    return x


def throwing():
    g = gen()
    next(g)
    try:
        g.throw(ValueError("v"))
    except ValueError:
        pass


class Aiter:
    def __init__(self):
        self.n = 0

    def __aiter__(self):
        return self

    async def __anext__(self):
        self.n += 1
        if self.n > 2:
            raise StopAsyncIteration
        return self.n


async def aloop():
    async for x in Aiter():
        y = x
    return 1


def run_async():
    c = aloop()
    try:
        c.send(None)
    except StopIteration:
        pass


show("closing", closing)
show("throwing", throwing)
show("async for", run_async)
