async def f():
    return await self.x.y(z)[0]
