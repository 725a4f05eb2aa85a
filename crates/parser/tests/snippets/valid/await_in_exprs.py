async def f():
    x = await a + await b
    y = -await c ** 2
    await d[0].e()
