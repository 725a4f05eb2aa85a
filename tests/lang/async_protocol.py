# Coroutines, await, async with, async for, async generators and async
# comprehensions, driven by a hand-written loop (no asyncio).

class Suspend:
    """An awaitable that yields once to the driver."""

    def __init__(self, tag):
        self.tag = tag

    def __await__(self):
        got = yield self.tag
        return "resumed " + str(got)

def run(coro):
    value = None
    steps = 0
    while True:
        try:
            yielded = coro.send(value)
        except StopIteration as e:
            print("  finished after", steps, "steps:", e)
            return
        print("  driver got", yielded)
        steps += 1
        value = steps * 10

async def add(a, b):
    r = await Suspend("in add")
    print("  add:", r)
    return a + b

async def main():
    x = await add(1, 2)
    y = await add(x, 10)
    return y

print("coroutine")
run(main())

c = main()
print(type(c).__name__)
c.close()

class AsyncCM:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress

    async def __aenter__(self):
        await Suspend("aenter " + self.name)
        return self.name

    async def __aexit__(self, t, v, tb):
        await Suspend("aexit " + self.name)
        print("  aexit", self.name, t.__name__ if t else None)
        return self.suppress

async def use_cm():
    async with AsyncCM("one") as n:
        print("  inside", n)
    async with AsyncCM("two", True):
        raise KeyError("swallowed")
    return "cm done"

print("async with")
run(use_cm())

class Ticker:
    def __init__(self, n):
        self.i = 0
        self.n = n

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.i >= self.n:
            raise StopAsyncIteration
        self.i += 1
        await Suspend("tick")
        return self.i

async def use_for():
    total = 0
    async for v in Ticker(3):
        total += v
    else:
        print("  async for else")
    async for v in Ticker(5):
        if v == 2:
            break
    return total

print("async for")
run(use_for())

async def agen(n):
    for i in range(n):
        await Suspend("agen " + str(i))
        yield i * i

async def use_agen():
    out = []
    async for v in agen(3):
        out.append(v)
    squares = [v async for v in agen(2)]
    return out + squares if False else (out, squares)

print("async generator")
run(use_agen())

async def agen_manual():
    g = agen(2)
    first = await g.__anext__()
    second = await g.asend(None)
    try:
        await g.__anext__()
    except StopAsyncIteration:
        print("  StopAsyncIteration")
    return (first, second)

run(agen_manual())

async def closing():
    try:
        yield 1
        yield 2
    finally:
        print("  agen finally")

async def use_aclose():
    g = closing()
    print("  first", await g.__anext__())
    await g.aclose()
    return "closed"

run(use_aclose())

async def fails():
    await Suspend("before failure")
    raise ValueError("coroutine failed")

async def catcher():
    try:
        await fails()
    except ValueError as e:
        print("  caught", e)
    return "ok"

print("exceptions")
run(catcher())

async def simple():
    return 1

async def errors():
    try:
        await 5
    except TypeError as e:
        print("  TypeError", e)
    try:
        async with Suspend("x"):
            pass
    except TypeError as e:
        print("  TypeError", e)
    try:
        async for x in 5:
            pass
    except TypeError as e:
        print("  TypeError", e)
    co = simple()
    await co
    try:
        await co
    except RuntimeError as e:
        print("  RuntimeError", e)
    return "errors done"

run(errors())

co = simple()
try:
    co.send(1)
except TypeError as e:
    print(type(e).__name__, e)
co.close()

class BadAwait:
    def __await__(self):
        return 5

async def bad():
    await BadAwait()

try:
    bad().send(None)
except TypeError as e:
    print(type(e).__name__, e)

# throw into a coroutine suspended in an await
async def waiter():
    try:
        await Suspend("waiting")
    except KeyError as e:
        print("  waiter caught", repr(e))
        return "handled"

w = waiter()
print(w.send(None))
try:
    w.throw(KeyError("k"))
except StopIteration as e:
    print("StopIteration", e)

it = simple().__await__()
try:
    next(it)
except StopIteration as e:
    print("__await__ iterator finished:", e)
