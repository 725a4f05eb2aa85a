# `async for` over async generators and the awaitables of __anext__/asend:
# values that are themselves StopIteration/tuples/None, nested generators,
# exceptions, reuse errors, and the awaitables driven by hand (send/throw
# and __next__ report a plain yield as StopIteration(value)).
import asyncio
import types


class Tree:
    def __init__(self, left, value, right):
        self.left, self.value, self.right = left, value, right

    async def __aiter__(self):
        if self.left:
            async for i in self.left:
                yield i
        yield self.value
        if self.right:
            async for i in self.right:
                yield i


def tree(r):
    if not r:
        return None
    i = len(r) // 2
    return Tree(tree(r[:i]), r[i], tree(r[i + 1:]))


odd = [None, (), (1, 2), StopIteration(5), [StopIteration], 0, "x"]


async def agen_odd():
    for v in odd:
        yield v


@types.coroutine
def suspend():
    yield "tick"


async def agen_awaits():
    for i in range(3):
        await asyncio.sleep(0)
        yield i * 10
    raise ValueError("boom")


async def main():
    out = [i async for i in tree(range(200))]
    print(out == list(range(200)), len(out))
    got = []
    async for v in agen_odd():
        got.append(repr(v))
    print(got)
    try:
        async for v in agen_awaits():
            print("awaits", v)
    except ValueError as e:
        print(type(e).__name__, e)
    g = agen_odd()
    print(repr(await g.__anext__()), repr(await g.asend(None)), repr(await anext(g)))
    a = g.__anext__()
    print(repr(await a))
    try:
        await a
    except RuntimeError as e:
        print(type(e).__name__, e)
    await g.aclose()
    try:
        await g.__anext__()
    except StopAsyncIteration as e:
        print(type(e).__name__, repr(e.args))


asyncio.run(main())


# Driving the awaitables by hand.
async def simple():
    x = yield 1
    print("got", x)
    yield (2, x)
    yield StopIteration(3)


g = simple()
a = g.__anext__()
try:
    a.send(None)
except StopIteration as e:
    print("stop", e.value, e.args)
try:
    a.send(None)
except RuntimeError as e:
    print(type(e).__name__, e)
a = g.asend("hello")
try:
    a.__next__()
except StopIteration as e:
    print("stop", e.value)
a = g.__anext__()
try:
    a.send(None)
except StopIteration as e:
    print("stop", repr(e.value), type(e.value).__name__)
a = g.__anext__()
try:
    a.send(None)
except StopAsyncIteration as e:
    print(type(e).__name__)
a = g.athrow(KeyError("k"))
try:
    a.send(None)
except (StopAsyncIteration, StopIteration) as e:
    print("athrow after end", type(e).__name__)
except KeyError as e:
    print("athrow", type(e).__name__, e)


async def awaiting():
    v = yield "first"
    await suspend()
    yield v


g = awaiting()
a = g.__anext__()
try:
    a.send(None)
except StopIteration as e:
    print("first:", e.value)
a = g.asend(42)
print("suspended on:", a.send(None))
try:
    a.send(None)
except StopIteration as e:
    print("second:", e.value)
try:
    a.throw(ValueError("late"))
except RuntimeError as e:
    print(type(e).__name__, e)
except ValueError as e:
    print(type(e).__name__, e)
