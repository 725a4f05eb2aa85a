async def f(a, /, /):
    pass
