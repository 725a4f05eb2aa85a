class Yield:
    def __await__(self):
        yield
class Res:
    def __init__(self, name): self.name = name
    async def __aenter__(self):
        print("aenter", self.name)
        await Yield()
        return self.name.upper()
    async def __aexit__(self, et, ev, tb):
        print("aexit", self.name, et.__name__ if et else None)
        return et is KeyError
class Ticker:
    def __init__(self, n): self.n = n
    def __aiter__(self): return self
    async def __anext__(self):
        if self.n == 0:
            raise StopAsyncIteration
        self.n -= 1
        await Yield()
        return self.n
async def main():
    async with Res("a") as a, Res("b") as b:
        print("inside", a, b)
    async with Res("swallow"):
        raise KeyError("x")
    async for t in Ticker(3):
        print("tick", t)
    try:
        async with Res("raise"):
            raise ValueError("v")
    except ValueError:
        print("propagated")
    return "ok"
c = main()
while True:
    try:
        c.send(None)
    except StopIteration as e:
        print(e.value)
        break
