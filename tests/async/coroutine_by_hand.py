import types
class Sleep:
    def __init__(self, tag): self.tag = tag
    def __await__(self):
        got = yield ("suspend", self.tag)
        return f"resumed {self.tag} with {got}"
async def work(n):
    r = await Sleep(n)
    print(r)
    return n * 10
async def main():
    a = await work(1)
    b = await work(2)
    return a + b
coro = main()
print(type(coro).__name__, coro.__name__)
value = None
i = 0
while True:
    try:
        yielded = coro.send(value)
        print("yielded", yielded)
        i += 1
        value = "v%d" % i
    except StopIteration as e:
        print("result", e.value)
        break
