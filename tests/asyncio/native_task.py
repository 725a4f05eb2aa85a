# The native _asyncio.Task: stepping coroutines, cancellation (cancel,
# cancelling, uncancel, messages), names, bad yields, the current-task
# registry and "Task was destroyed but it is pending!"; the pure-Python
# _PyTask runs the same script for comparison.
import asyncio
import gc
import types
import _asyncio
from asyncio import tasks


def show(label, f):
    try:
        v = f()
        print(label, "->", repr(v))
    except BaseException as e:
        print(label, "!!", type(e).__name__, e)


print(asyncio.Task is _asyncio.Task, tasks._CTask is _asyncio.Task)

for Task in (tasks._CTask, tasks._PyTask):
    print("==", Task.__module__)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    async def add(a, b):
        await asyncio.sleep(0)
        return a + b

    t = Task(add(1, 2), loop=loop, name=12)
    print(t.get_name(), type(t.get_name()).__name__, t.done(), t.cancelling())
    print(loop.run_until_complete(t), t.result(), t._state)
    show("set_result", lambda: t.set_result(1))
    show("set_exception", lambda: t.set_exception(ValueError()))
    t.set_name(("a", 1))
    print(t.get_name(), t.get_coro().__name__, t._coro is t.get_coro())
    if Task is tasks._CTask:
        # (the pure-Python Task reports its half-built self on the way out)
        show("not a coroutine", lambda: Task(42, loop=loop))
        show("missing coro", lambda: Task(loop=loop))

    # exceptions propagate into the task
    async def boom():
        await asyncio.sleep(0)
        raise KeyError("boom")

    t = Task(boom(), loop=loop)
    show("boom", lambda: loop.run_until_complete(t))
    print(type(t.exception()).__name__)

    # cancellation while waiting on a future, with a message
    fut = loop.create_future()
    log = []

    async def waits():
        try:
            await fut
        except asyncio.CancelledError as e:
            log.append(("caught", e.args))
            raise

    t = Task(waits(), loop=loop)
    loop.run_until_complete(asyncio.sleep(0))
    print("waiter", t._fut_waiter is fut)
    print("cancel", t.cancel("stop"), t.cancelling(), fut.cancelled())
    show("run", lambda: loop.run_until_complete(t))
    print(log, t.cancelled(), t.cancel(), t.cancelling())
    print("uncancel", t.uncancel(), t.uncancel(), t.cancelling())

    # cancel before the first step: _must_cancel
    async def never():
        log.append("ran")

    t = Task(never(), loop=loop)
    print(t.cancel(), t._must_cancel)
    show("run2", lambda: loop.run_until_complete(t))
    print(t.cancelled(), "ran" in log)

    # a task that swallows the cancellation goes on
    async def stubborn():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            asyncio.current_task().uncancel()
            return "survived"

    t = Task(stubborn(), loop=loop)
    loop.run_until_complete(asyncio.sleep(0))
    t.cancel()
    print(loop.run_until_complete(t), t.cancelling())

    # bare yield, bad yields
    @types.coroutine
    def bare():
        yield
        return "after bare yield"

    async def uses_bare():
        return await bare()

    print(loop.run_until_complete(Task(uses_bare(), loop=loop)))

    @types.coroutine
    def bad():
        yield 42

    async def uses_bad():
        await bad()

    show("bad yield", lambda: loop.run_until_complete(Task(uses_bad(), loop=loop)))

    @types.coroutine
    def nonblocking():
        f = loop.create_future()
        yield f

    async def uses_nonblocking():
        await nonblocking()

    t = Task(uses_nonblocking(), loop=loop)
    show("yield instead of yield from", lambda: loop.run_until_complete(t) and None)
    print(type(t.exception()).__name__, "yield was used instead of yield from" in str(t.exception()))

    async def self_await():
        await asyncio.current_task()

    t = Task(self_await(), loop=loop)
    show("self await", lambda: loop.run_until_complete(t))

    other = asyncio.new_event_loop()
    async def other_loop():
        await other.create_future()

    t = Task(other_loop(), loop=loop)
    show("other loop", lambda: loop.run_until_complete(t) and None)
    print("attached to a different loop" in str(t.exception()))
    other.close()

    # current_task and all_tasks
    async def who():
        cur = asyncio.current_task()
        return cur is me[0], cur in asyncio.all_tasks()

    me = [None]
    me[0] = Task(who(), loop=loop)
    print(loop.run_until_complete(me[0]))
    show("current outside", lambda: asyncio.current_task(loop))

    # gather / wait_for / shield through the task machinery
    async def main():
        r = await asyncio.gather(add(1, 1), add(2, 2), return_exceptions=True)
        s = await asyncio.wait_for(add(3, 3), 5)
        u = await asyncio.shield(add(4, 4))
        return r, s, u

    print(loop.run_until_complete(Task(main(), loop=loop)))

    # context
    import contextvars
    var = contextvars.ContextVar("var", default="unset")

    async def readvar():
        return var.get()

    ctx = contextvars.copy_context()
    ctx.run(var.set, "in ctx")
    print(loop.run_until_complete(Task(readvar(), loop=loop, context=ctx)))
    print(loop.run_until_complete(Task(readvar(), loop=loop)))

    # a pending task destroyed
    reports = []
    loop.set_exception_handler(lambda lp, c: reports.append(c["message"]))

    async def forever():
        await loop.create_future()

    t = Task(forever(), loop=loop)
    loop.run_until_complete(asyncio.sleep(0))
    del t
    gc.collect()
    print(reports)
    asyncio.set_event_loop(None)
    loop.close()

print(_asyncio.Task[int])
show("enter twice", lambda: (_asyncio._enter_task(1, "a"), _asyncio._enter_task(1, "b")))
show("leave other", lambda: _asyncio._leave_task(1, "b"))
_asyncio._leave_task(1, "a")
show("leave none", lambda: _asyncio._leave_task(1, "a"))
print(_asyncio._current_tasks)
show("get_running_loop", _asyncio.get_running_loop)
print(_asyncio._get_running_loop())
_asyncio._set_running_loop("fake")
print(_asyncio._get_running_loop(), asyncio.get_event_loop())
_asyncio._set_running_loop(None)
print(_asyncio._get_running_loop())
