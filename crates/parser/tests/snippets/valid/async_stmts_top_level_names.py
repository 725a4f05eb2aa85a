async def f():
    pass
await_ = 1
