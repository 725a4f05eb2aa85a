class Yield:
    def __await__(self):
        yield "tick"
async def agen(n):
    for i in range(n):
        await Yield()
        yield i
    print("agen done")
def run(coro):
    ticks = 0
    while True:
        try:
            coro.send(None)
            ticks += 1
        except StopIteration as e:
            return e.value, ticks
async def consume():
    out = []
    async for v in agen(3):
        out.append(v)
    return out
print(run(consume()))
async def comp():
    return [v * 2 async for v in agen(2)]
print(run(comp()))
async def manual():
    g = agen(2)
    print(type(g).__name__)
    a = await g.__anext__()
    b = await anext(g)
    try:
        await anext(g)
    except StopAsyncIteration:
        print("StopAsyncIteration")
    return a, b, await anext(agen(0), "default")
print(run(manual()))
async def closing():
    g = agen(5)
    await anext(g)
    await g.aclose()
    return "closed"
print(run(closing()))
async def asend_gen():
    x = yield 1
    print("asend got", x)
    yield 2
async def use_asend():
    g = asend_gen()
    first = await g.asend(None)
    second = await g.asend("hello")
    return first, second
print(run(use_asend()))
