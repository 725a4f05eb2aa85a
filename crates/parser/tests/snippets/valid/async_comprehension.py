async def f():
    return [x async for x in y if await x]

async def g():
    return {k: v async for k, v in z}, (await w for w in q)
