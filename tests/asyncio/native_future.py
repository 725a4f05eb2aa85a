# The native _asyncio.Future: state, callbacks, errors, the await protocol,
# and the "exception was never retrieved" report; compared with the
# pure-Python _PyFuture where both exist.
import asyncio
import gc
import _asyncio
from asyncio import futures

print(asyncio.Future is _asyncio.Future, futures._CFuture is _asyncio.Future)
print(_asyncio.Future.__module__, _asyncio.Future.__name__, _asyncio.Task.__mro__)
print(sorted(n for n in dir(_asyncio) if not n.startswith("__")))


def show(label, f):
    try:
        v = f()
        print(label, "->", repr(v))
    except BaseException as e:
        print(label, "!!", type(e).__name__, e)


loop = asyncio.new_event_loop()
for cls in (futures._CFuture, futures._PyFuture):
    print("==", cls.__module__)
    f = cls(loop=loop)
    print(f._state, f.done(), f.cancelled(), f.get_loop() is loop, f._loop is loop)
    show("result pending", f.result)
    show("exception pending", f.exception)
    calls = []
    def cb(fut, tag="a"):
        calls.append((tag, fut is f))
    f.add_done_callback(cb)
    f.add_done_callback(lambda fut: calls.append(("b", fut.result())))
    f.add_done_callback(cb)
    print("callbacks", len(f._callbacks))
    print("removed", f.remove_done_callback(cb))
    f.set_result(42)
    show("set again", lambda: f.set_result(1))
    show("set_exception again", lambda: f.set_exception(ValueError))
    print(f._state, f.result(), f.exception(), f._result)
    loop.run_until_complete(asyncio.sleep(0))
    print("calls", calls)

    g = cls(loop=loop)
    show("stopiteration", lambda: g.set_exception(StopIteration()))
    show("not an exception", lambda: g.set_exception(42))
    g.set_exception(ValueError)
    print(type(g.exception()).__name__, g._log_traceback)
    show("result raises", g.result)
    show("log_traceback=True", lambda: setattr(g, "_log_traceback", True))
    g._log_traceback = False
    print(g._log_traceback)

    h = cls(loop=loop)
    print("cancel", h.cancel("why"), h.cancel(), h.cancelled(), h._state, h._cancel_message)
    show("cancelled result", h.result)
    show("cancelled exception", h.exception)
    h2 = cls(loop=loop)
    h2.cancel()
    show("make_cancelled_error", lambda: type(h2._make_cancelled_error()).__name__)

    # __await__ / __iter__ protocol
    p = cls(loop=loop)
    it = p.__await__()
    print("first next is fut", next(it) is p, p._asyncio_future_blocking)
    p.set_result("done")
    try:
        next(it)
    except StopIteration as e:
        print("stop value", e.value)

    # a fresh future's awaiting coroutine, driven by the loop
    q = cls(loop=loop)
    async def waiter():
        return await q
    loop.call_soon(q.set_result, "via loop")
    print(loop.run_until_complete(waiter()))
    print(cls[int])

# FutureIter specifics (C only)
f = asyncio.Future(loop=loop)
it = iter(f)
print(type(it).__name__, iter(it) is it)
show("throw class", lambda: it.throw(KeyError, "k"))
it = iter(f)
show("throw instance+value", lambda: it.throw(KeyError("k"), 1))
show("throw bad", lambda: it.throw(1))
show("throw bad tb", lambda: it.throw(KeyError, None, 5))
it = iter(f)
print(it.close(), next(it, "exhausted"))
it = f.__await__()
print(it.send(None) is f)
show("second send", lambda: it.send(None))

# uninitialized futures
u = asyncio.Future.__new__(asyncio.Future)
show("uninit result", u.result)
show("uninit exception", u.exception)
show("uninit get_loop", u.get_loop)
show("uninit repr", lambda: repr(u))
show("uninit add_done_callback", lambda: u.add_done_callback(print))
print(u.done(), u.cancelled(), u._loop, u._source_traceback)
show("uninit iter", lambda: iter(u))

# errors of the blocking flag and attribute deletion
f = asyncio.Future(loop=loop)
show("del blocking", lambda: delattr(f, "_asyncio_future_blocking"))
show("del cancel msg", lambda: delattr(f, "_cancel_message"))
f._asyncio_future_blocking = 1
print(f._asyncio_future_blocking)

# exception never retrieved: reported through the loop's exception handler
reports = []
loop.set_exception_handler(lambda lp, ctx: reports.append(sorted(ctx)))
f = asyncio.Future(loop=loop)
f.set_exception(RuntimeError("lost"))
del f
gc.collect()
print(reports)
reports.clear()
f = asyncio.Future(loop=loop)
f.set_exception(RuntimeError("seen"))
f.exception()
del f
gc.collect()
print(reports)

class MyFut(asyncio.Future):
    pass

mf = MyFut(loop=loop)
mf.set_exception(ValueError("sub"))
del mf
gc.collect()
print(reports)
loop.close()
