async def f():
    return 1
c = f()
try:
    next(c)
except TypeError as e:
    print(e)
try:
    c.send(None)
except StopIteration as e:
    print("value", e.value)
try:
    c.send(None)
except RuntimeError as e:
    print(e)
async def g():
    await Awaitable()
class Awaitable:
    def __await__(self):
        return iter([1, 2])
coro = g()
print(coro.send(None), coro.send(None))
try:
    coro.send(None)
except StopIteration:
    print("done")
class BadAwait:
    def __await__(self):
        return 5
async def h():
    await BadAwait()
try:
    h().send(None)
except TypeError as e:
    print(e)
async def k():
    await 3
try:
    k().send(None)
except TypeError as e:
    print(e)
c2 = f()
c2.close()
print("closed unstarted ok")
async def th():
    try:
        await Awaitable()
    except ValueError as e:
        return "caught " + str(e)
t = th()
t.send(None)
try:
    t.throw(ValueError("thrown"))
except StopIteration as e:
    print(e.value)
