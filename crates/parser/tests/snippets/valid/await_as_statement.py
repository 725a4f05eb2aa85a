async def f():
    await x
    await asyncio.sleep(0)
