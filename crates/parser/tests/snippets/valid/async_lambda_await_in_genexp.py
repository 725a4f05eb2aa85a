async def f():
    g = (await x for x in y)
    return [await z async for z in g]
