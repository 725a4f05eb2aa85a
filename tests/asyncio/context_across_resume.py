# An exception leaving a generator/coroutine (resumed by next(), send(), a Task)
# keeps the __context__ its own frames gave it (contextlib.AsyncExitStack
# sets it by hand before a bare raise); a new raise still chains.
def g():
    e = IndexError()
    try:
        raise e
    except BaseException:
        e.__context__ = KeyError()
        raise
    yield

def h():
    e = IndexError()
    try:
        raise e
    except BaseException:
        e.__context__ = KeyError()
        raise

for f in (lambda: next(g()), h, lambda: g().send(None)):
    try:
        1/0
    except ZeroDivisionError:
        try:
            f()
        except IndexError as e:
            print(repr(e.__context__))


import asyncio, sys
from contextlib import AsyncExitStack

loop = asyncio.new_event_loop()
def run_coroutine(coro):
    t = loop.create_task(coro)
    t.add_done_callback(lambda f: loop.stop())
    loop.run_forever()
    exc = t.exception()
    if not exc:
        return t.result()
    context = exc.__context__
    print("task exc", repr(exc), "ctx", repr(context))
    try:
        raise exc
    except:
        exc.__context__ = context
        raise exc

def raise_exc(exc):
    raise exc

async def aexit(*exc_details):
    frame_exc = sys.exc_info()[1]
    print("frame_exc", repr(frame_exc))
    try:
        raise_exc(KeyError)
    except:
        new = sys.exc_info()[1]
        print("new ctx", repr(new.__context__))
    try:
        raise_exc(IndexError)
    except:
        new2 = sys.exc_info()[1]
        print("new2 ctx", repr(new2.__context__))
    new2.__context__ = new
    try:
        fixed_ctx = new2.__context__
        raise new2
    except BaseException:
        new2.__context__ = fixed_ctx
        raise

try:
    try:
        1/0
    except:
        run_coroutine(aexit())
except IndexError as e:
    print("final", repr(e.__context__))


def callee():
    try:
        raise KeyError("inner")
    except KeyError:
        raise ValueError("v")


try:
    1 / 0
except ZeroDivisionError:
    for f in (lambda: list(map(lambda _: callee(), [1])), callee):
        try:
            f()
        except ValueError as e:
            print("callee ctx", repr(e.__context__), repr(e.__context__.__context__))
    try:
        int("x")
    except ValueError as e:
        print("native ctx", repr(e.__context__))
    e = IndexError("again")
    e.__context__ = KeyError()
    try:
        raise e
    except IndexError as e2:
        print("raise overwrites", repr(e2.__context__))
