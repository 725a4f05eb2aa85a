async def f():
    await g()
    async for x in y:
        pass
    async with z as w:
        pass
    return [i async for i in a]
