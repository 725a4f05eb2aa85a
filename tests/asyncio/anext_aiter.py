# builtins aiter()/anext() (contextlib.asynccontextmanager's __aenter__ awaits
# anext(gen)), the anext_awaitable that anext(it, default) returns.
import asyncio, types

def t(label, f):
    try:
        print(label, repr(f()))
    except Exception as e:
        print(label, type(e).__name__, e)

async def agen():
    yield 1
    yield 2

class AI:
    def __aiter__(self):
        return self
    async def __anext__(self):
        raise StopAsyncIteration

class BadAiter:
    def __aiter__(self):
        return 5

class NotAwaitable:
    def __aiter__(self):
        return self
    def __anext__(self):
        return 42

t("aiter int", lambda: aiter(1))
t("aiter bad", lambda: aiter(BadAiter()))
t("aiter ok", lambda: type(aiter(AI())).__name__)
t("aiter args", lambda: aiter())
t("aiter 2 args", lambda: aiter(1, 2))
t("anext int", lambda: anext(1))
t("anext args", lambda: anext())
t("anext 3 args", lambda: anext(1, 2, 3))
t("anext kw", lambda: anext(AI(), default=1))
t("anext type no default", lambda: type(anext(agen())).__name__)
t("anext type default", lambda: type(anext(agen(), 0)).__name__)

async def main():
    g = agen()
    print("a", await anext(g))
    print("b", await anext(g, "d"))
    print("c", await anext(g, "d"))
    print("d", await anext(g, "d"))
    try:
        await anext(g)
    except StopAsyncIteration as e:
        print("e StopAsyncIteration", e.args)
    print("f", await anext(AI(), "dflt"))
    try:
        await anext(NotAwaitable(), 1)
    except TypeError as e:
        print("g TypeError", e)
    try:
        await anext(NotAwaitable())
    except TypeError as e:
        print("h TypeError", e)
    it = aiter(agen())
    print("i", [x async for x in it])
    # the default wrapper as a plain iterator
    w = anext(AI(), "x")
    it = w.__await__()
    print("j", it is w, iter(w) is w)
    try:
        next(it)
    except StopIteration as e:
        print("k StopIteration", e.value)
    w2 = anext(agen(), "y")
    try:
        w2.send(None)
    except StopIteration as e:
        print("l StopIteration", e.value)
    w3 = anext(agen(), "z")
    try:
        w3.throw(ValueError("boom"))
    except ValueError as e:
        print("m ValueError", e)
    w4 = anext(agen(), "z")
    print("n", w4.close())

asyncio.run(main())


import contextlib


@contextlib.asynccontextmanager
async def database():
    print("enter")
    try:
        yield "db"
    finally:
        print("exit")


async def use_cm():
    async with database() as db:
        print("inside", db)
    try:
        async with database():
            raise KeyError("k")
    except KeyError as e:
        print("KeyError", e)


asyncio.run(use_cm())
