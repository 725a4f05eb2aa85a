import types, inspect
async def a(): return "a"
@types.coroutine
def legacy():
    v = yield "legacy-yield"
    return "legacy got " + str(v)
async def main():
    x = await a()
    y = await legacy()
    return x, y
c = main()
print(c.send(None))
try:
    c.send(7)
except StopIteration as e:
    print(e.value)
print(inspect.iscoroutinefunction(a), inspect.iscoroutine(a()), inspect.isawaitable(a()), inspect.isasyncgenfunction(a))
c = a()
print(c.cr_running, c.cr_code.co_name, inspect.getcoroutinestate(c))
c.close()
print(inspect.getcoroutinestate(c))
