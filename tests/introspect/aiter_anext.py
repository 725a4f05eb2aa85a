import asyncio, types
class AIt:
    def __init__(self, n): self.n = n
    def __aiter__(self): return self
    async def __anext__(self):
        if self.n == 0: raise StopAsyncIteration
        self.n -= 1
        return self.n
async def agen():
    yield 1
    yield 2
async def main():
    it = aiter(AIt(2))
    print(await anext(it), await anext(it), await anext(it, 'done'))
    try: await anext(it)
    except StopAsyncIteration: print('stop')
    g = agen()
    print(await anext(g), await anext(g, 0), await anext(g, 'end'))
    print(type(anext(g, 1)).__name__)
asyncio.run(main())
for bad in [lambda: aiter(1), lambda: anext(1), lambda: anext(), lambda: anext(1, 2, 3), lambda: aiter()]:
    try: bad()
    except TypeError as e: print(e)
class A:
    def __aiter__(s): return 1
try: aiter(A())
except TypeError as e: print(e)
a = anext(AIt(0), 5)
try: a.send(None)
except StopIteration as e: print('StopIteration', e.value)
